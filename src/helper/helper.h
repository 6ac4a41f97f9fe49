/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The configuration policy of the helpers hostvirt-vf, hostvirt-hugepages and hostvirt-net
 * (hostvirt(8), section HELPERS): a helper's start acts on its own section only, and
 * stop needs no configuration.
 *
 *   r = helper_conf_load(&c);                  loads it all, printing no diagnostic
 *   pf = conf_find_sriov(c, name);             the helper's own lookup
 *   r = helper_conf_section(c, "SR-IOV", name, pf != NULL);
 *
 * Its section found: errors in other sections do not stop it, and one warning says how many
 * there are.  Not found (absent, or dropped for its errors): the configuration is read
 * again aloud, so that every diagnostic, the section's own among them, is in the helper's
 * log, and an error names the section.  The generator has reported everything at boot,
 * and `hostvirt check` does on demand.
 *
 * Both return 0, or the exit status to end with (HELPER_EXIT_NOT_CONFIGURED, logged);
 * helper_conf_load() leaves nothing to free then.
 */

#include <stdbool.h>

#include "conf.h"
#include "exit-codes.h"

int helper_conf_load(struct conf **ret);
int helper_conf_section(const struct conf *c, const char *kind, const char *name, bool found);

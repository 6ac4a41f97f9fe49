/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/*
 * The kernel command line as systemd reads it: /proc/cmdline, but PID 1's own
 * arguments (/proc/1/cmdline) when $SYSTEMD_VIRTUALIZATION says "container:…",
 * since a container's /proc/cmdline is the host's.  Re-rooted by HOSTVIRT_ROOT.
 *
 * Returns the value of the last "key=value" (or "" for a bare "key") in *ret,
 * 1 when found, 0 when not, negative errno on failure to read.
 */
int cmdline_get_key(const char *key, char **ret);

/*
 * hostvirt=0/no/off/false disables the generator, hostvirt=1/yes/on/true enables it; the
 * last valid value wins, and true when there is none.  An invalid or empty value (or a bare
 * "hostvirt") is ignored with a warning: it never overrides an earlier false.
 */
bool cmdline_hostvirt_enabled(void);

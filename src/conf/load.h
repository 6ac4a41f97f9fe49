/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "conf.h"

/* conf_load(), counting the lines libinih read otherwise than the reader (for the fuzz target). */
int conf_load_opts(struct conf **ret, const struct kind *const *kinds, char *const *paths, struct diag *d,
                   unsigned *disagreements);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "model.h"

/* Problems between sections and between the config and this host (sysfs, re-rooted). */
void check_cross(const struct conf *c, struct diag *d);
/* Other network tools configured to set up the same devices (others.c). */
void check_other_tools(const struct conf *c, struct diag *d);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "model.h"

/* Problems between sections and between the config and this host (sysfs, re-rooted). */
void check_cross(const struct conf *c, struct diag *d);

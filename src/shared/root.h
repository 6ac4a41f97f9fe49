/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The test seam: HOSTVIRT_ROOT=/dir makes every program read and write the
 * paths it would use under / (config directories, /proc/cmdline, /sys,
 * /etc/machine-id, /run/hostvirt) under that directory instead.  Netlink and
 * /dev/kmsg are not re-rooted; libudev always reads the real /sys.
 */

#include <stdbool.h>

/* "" when unset, else the root without trailing slashes. */
const char *root_dir(void);
bool root_is_set(void);
/* Newly allocated root_dir() + path; path must be absolute. */
char *root_path(const char *path);

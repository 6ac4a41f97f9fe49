/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Cleanup helpers for libudev objects.  Header only: the shared library itself
 * does not link libudev (the generator must not). */

#include <libudev.h>

#include "util.h"

static inline void udev_unrefp(struct udev **u) {
        if (*u)
                udev_unref(*u);
}
static inline void udev_device_unrefp(struct udev_device **d) {
        if (*d)
                udev_device_unref(*d);
}
static inline void udev_enumerate_unrefp(struct udev_enumerate **e) {
        if (*e)
                udev_enumerate_unref(*e);
}
#define _cleanup_udev_ _cleanup_(udev_unrefp)
#define _cleanup_udev_device_ _cleanup_(udev_device_unrefp)
#define _cleanup_udev_enumerate_ _cleanup_(udev_enumerate_unrefp)

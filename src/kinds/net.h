/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the network kinds share (net.c): unit names and drop-ins. */

#include <stdbool.h>

#include "conf.h"

struct emitter;

/* "sys-subsystem-net-devices-NAME.device", or NULL when NAME cannot be a path component. */
char *net_device_unit(const char *ifname);
/* The unit that sets up interface NAME if it is one of ours (*ret_ours), else its device unit. */
char *net_interface_unit(const struct conf *c, const char *name, bool *ret_ours);

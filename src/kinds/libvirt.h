/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* [Libvirt] (libvirt.c): which services start after what hostvirt sets up. */

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "kinds.h"

struct conf_libvirt {
        struct conf_loc loc; /* line 0 when the section is absent */
        char **services;     /* NULL-terminated */
        size_t n_services;
        bool order;
};

/* There is always one: the defaults, or what the [Libvirt] sections say. */
static inline struct conf_libvirt *conf_libvirt(const struct conf *c) {
        return c->objs[KIND_LIBVIRT].v[0];
}

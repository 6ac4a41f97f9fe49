/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* [VLAN X] (vlan.c) and [Bridge X] (bridge.c): network devices hostvirt-net creates. */

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "kinds.h"

struct conf_vlan {
        char *name;
        struct conf_loc loc;
        char *link;
        unsigned id;
        int protocol;       /* 0x8100 or 0x88a8 */
        unsigned mtu;       /* 0 = unset */
        char *bridge;       /* NULL = none */
        int device_timeout_sec; /* Link='s device unit's wait (not one of ours), 0 = for ever, CONF_UNSET */
        bool unmanaged;     /* default yes: 80-hostvirt-net.rules keeps NetworkManager off it */
};

struct conf_bridge {
        char *name;
        struct conf_loc loc;
        char **ports;       /* NULL-terminated, may be empty */
        size_t n_ports;
        int stp;            /* 0/1, CONF_UNSET */
        int forward_delay_sec; /* CONF_UNSET */
        int vlan_filtering; /* 0/1, CONF_UNSET */
        unsigned mtu;       /* 0 = unset */
        bool has_mac;
        uint8_t mac[6];
        int device_timeout_sec; /* the ports' device units' wait (not ours), 0 = for ever, CONF_UNSET */
        bool unmanaged;     /* default yes, as [VLAN]'s */
};

static inline struct conf_vlan *conf_find_vlan(const struct conf *c, const char *name) {
        return conf_find(c, &kind_vlan, name);
}

static inline struct conf_bridge *conf_find_bridge(const struct conf *c, const char *name) {
        return conf_find(c, &kind_bridge, name);
}

/* The name rule of network devices (a header's name). */
int net_parse_name(struct section *s, const char *header, char *name, char **ret);

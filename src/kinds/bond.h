/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* [Bond X] (bond.c): a bonding device over physical ports, created by hostvirt-net. */

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "kinds.h"

/* The kernel's values (include/uapi/linux/if_bonding.h, IFLA_BOND_*). */
enum bond_mode {
        BOND_MODE_BALANCE_RR = 0,
        BOND_MODE_ACTIVE_BACKUP = 1,
        BOND_MODE_BALANCE_XOR = 2,
        BOND_MODE_BROADCAST = 3,
        BOND_MODE_8023AD = 4,
        BOND_MODE_BALANCE_TLB = 5,
        BOND_MODE_BALANCE_ALB = 6,
};

enum bond_xmit_hash_policy {
        BOND_XMIT_LAYER2 = 0,
        BOND_XMIT_LAYER34 = 1,
        BOND_XMIT_LAYER23 = 2,
        BOND_XMIT_ENCAP23 = 3,
        BOND_XMIT_ENCAP34 = 4,
        BOND_XMIT_VLAN_SRCMAC = 5,
};

struct conf_bond {
        char *name;
        struct conf_loc loc;
        char **ports;       /* NULL-terminated, may be empty */
        size_t n_ports;
        int mode;           /* enum bond_mode; default balance-rr, as the kernel's */
        int xmit_hash_policy; /* enum bond_xmit_hash_policy, CONF_UNSET */
        int lacp_rate;      /* 0 slow, 1 fast, CONF_UNSET */
        int64_t miimon_ms;  /* CONF_UNSET */
        int64_t min_links;  /* CONF_UNSET */
        unsigned mtu;       /* 0 = unset */
        bool has_mac;
        uint8_t mac[6];
        int device_timeout_sec; /* the ports' device units' wait, 0 = for ever, CONF_UNSET */
        bool unmanaged;     /* default yes, as [VLAN]'s */
};

static inline struct conf_bond *conf_find_bond(const struct conf *c, const char *name) {
        return conf_find(c, &kind_bond, name);
}

/* "802.3ad" for BOND_MODE_8023AD, ... */
const char *bond_mode_name(int mode);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The VFs of a PF as rtnetlink reports them: RTM_GETLINK with IFLA_EXT_MASK
 * RTEXT_FILTER_VF, the answer's IFLA_VFINFO_LIST parsed into one struct vf_info
 * per VF.  Read by the VF helper (before it writes a setting, src/vf/vf-netlink.h)
 * and by `hostvirt status`.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink.h"

/* What the kernel reports of one VF, or what we want of it. */
struct vf_info {
        unsigned index;
        bool has_mac;
        uint8_t mac[6];
        bool has_vlan;
        unsigned vlan, qos;
        unsigned vlan_proto;    /* host byte order: 0x8100, 0x88a8 */
        bool has_rate;
        uint32_t min_tx_rate, max_tx_rate;
        int spoofchk;           /* 0/1, -1 unknown */
        int link_state;         /* IFLA_VF_LINK_STATE_*, -1 unknown */
        int trust;              /* 0/1, -1 unknown */
};

struct pf_link {
        int ifindex;
        bool has_num_vf;
        unsigned num_vf;        /* IFLA_NUM_VF */
        struct vf_info *vfs;
        size_t n_vfs;
};

void vf_info_init(struct vf_info *v, unsigned index);

/* Parses an RTM_NEWLINK message (exposed for the tests). */
int vfnl_parse_link(const struct nlmsghdr *nlh, struct pf_link *ret);

/* -ENODEV when there is no such interface. */
int vfnl_get_pf(struct nl *nl, const char *name, struct pf_link *ret);

void pf_link_done(struct pf_link *l);
const struct vf_info *pf_link_find_vf(const struct pf_link *l, unsigned index);

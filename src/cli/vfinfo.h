/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The per-VF settings of a PF as the kernel reports them: RTM_GETLINK with
 * IFLA_EXT_MASK = RTEXT_FILTER_VF, answered with IFLA_VFINFO_LIST (one
 * IFLA_VF_INFO nest per VF).  This is what `ip link show PF` prints as its
 * "vf N ..." lines.
 */

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink.h"

/* -1 where the kernel (or the driver) did not say. */
struct vf_info {
        unsigned vf;
        bool has_mac;
        uint8_t mac[6];
        int vlan;
        int qos;
        int vlan_proto;         /* host byte order: 0x8100, 0x88a8 */
        int spoof_check;        /* 0/1 */
        int trust;              /* 0/1 */
        int link_state;         /* IFLA_VF_LINK_STATE_* */
        long long max_tx_rate;  /* Mbit/s */
        long long min_tx_rate;
};

struct vf_list {
        struct vf_info *v;
        size_t n;
        int num_vf;             /* IFLA_NUM_VF, -1 when absent */
};

/* Parses one RTM_NEWLINK message (appends to ret, which starts zeroed). */
int vfinfo_parse(const struct nlmsghdr *nlh, struct vf_list *ret);
/* Asks the kernel about PF by name; -ENODEV when this network namespace has no such device. */
int vfinfo_get(struct nl *nl, const char *pf, struct vf_list *ret);
void vf_list_done(struct vf_list *l);
const struct vf_info *vf_list_find(const struct vf_list *l, unsigned vf);

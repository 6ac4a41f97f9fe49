/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Per-VF settings over rtnetlink, on the socket layer of src/net/netlink.h:
 * the PF's VF list is read with RTM_GETLINK and IFLA_EXT_MASK
 * RTEXT_FILTER_VF (IFLA_VFINFO_LIST), and each setting is written with its
 * own RTM_SETLINK carrying one IFLA_VF_INFO with one attribute, so that a
 * refusal names exactly one VF and one setting.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink.h"

/* One settable thing, one IFLA_VF_* attribute each. */
enum vf_attr {
        VF_ATTR_MAC,            /* IFLA_VF_MAC */
        VF_ATTR_VLAN,           /* IFLA_VF_VLAN_LIST: VLAN, QoS, protocol */
        VF_ATTR_RATE,           /* IFLA_VF_RATE: min and max TX rate */
        VF_ATTR_SPOOFCHK,       /* IFLA_VF_SPOOFCHK */
        VF_ATTR_LINK_STATE,     /* IFLA_VF_LINK_STATE */
        VF_ATTR_TRUST,          /* IFLA_VF_TRUST */
        _VF_ATTR_MAX,
};

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
/* Builds the RTM_SETLINK request for one setting (exposed for the tests). */
void vfnl_put_setting(struct nlmsghdr *nlh, int ifindex, enum vf_attr attr, const struct vf_info *v);

/* -ENODEV when there is no such interface. */
int vfnl_get_pf(struct nl *nl, const char *name, struct pf_link *ret);
int vfnl_set(struct nl *nl, int ifindex, enum vf_attr attr, const struct vf_info *v);

void pf_link_done(struct pf_link *l);
const struct vf_info *pf_link_find_vf(const struct pf_link *l, unsigned index);

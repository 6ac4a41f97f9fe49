/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Per-VF settings over rtnetlink, on the netlink library (src/netlink): the PF's
 * VF list is read with vfinfo.h, and each setting is written with its own
 * RTM_SETLINK carrying one IFLA_VF_INFO with one attribute, so that a refusal
 * names exactly one VF and one setting.
 */

#include "vfinfo.h"

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

/* Builds the RTM_SETLINK request for one setting (exposed for the tests). */
void vfnl_put_setting(struct nlmsghdr *nlh, int ifindex, enum vf_attr attr, const struct vf_info *v);
int vfnl_set(struct nl *nl, int ifindex, enum vf_attr attr, const struct vf_info *v);

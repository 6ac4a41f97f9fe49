/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writing per-VF settings (the VF helper's side; reading the VF list is the netlink
 * library's, vfinfo.c).
 */
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "vf-netlink.h"

void vfnl_put_setting(struct nlmsghdr *nlh, int ifindex, enum vf_attr attr, const struct vf_info *v) {
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        struct nlattr *list, *info, *vlans;
        uint32_t vf = v->index;

        ifi->ifi_family = AF_UNSPEC;
        ifi->ifi_index = ifindex;
        list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
        info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
        switch (attr) {
        case VF_ATTR_MAC: {
                struct ifla_vf_mac m = { .vf = vf };
                memcpy(m.mac, v->mac, 6);
                mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(m), &m);
                break;
        }
        case VF_ATTR_VLAN: {
                /* The list form, which alone carries the protocol (802.1ad). */
                struct ifla_vf_vlan_info vi = {
                        .vf = vf, .vlan = v->vlan, .qos = v->qos, .vlan_proto = htons((uint16_t) v->vlan_proto),
                };
                vlans = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);
                mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
                mnl_attr_nest_end(nlh, vlans);
                break;
        }
        case VF_ATTR_RATE: {
                struct ifla_vf_rate rate = { .vf = vf, .min_tx_rate = v->min_tx_rate, .max_tx_rate = v->max_tx_rate };
                mnl_attr_put(nlh, IFLA_VF_RATE, sizeof(rate), &rate);
                break;
        }
        case VF_ATTR_SPOOFCHK: {
                struct ifla_vf_spoofchk s = { .vf = vf, .setting = (uint32_t) v->spoofchk };
                mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, sizeof(s), &s);
                break;
        }
        case VF_ATTR_LINK_STATE: {
                struct ifla_vf_link_state s = { .vf = vf, .link_state = (uint32_t) v->link_state };
                mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof(s), &s);
                break;
        }
        case VF_ATTR_TRUST: {
                struct ifla_vf_trust s = { .vf = vf, .setting = (uint32_t) v->trust };
                mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(s), &s);
                break;
        }
        case _VF_ATTR_MAX:
                break;
        }
        mnl_attr_nest_end(nlh, info);
        mnl_attr_nest_end(nlh, list);
}

int vfnl_set(struct nl *nl, int ifindex, enum vf_attr attr, const struct vf_info *v) {
        struct nlmsghdr *nlh = nl_msg_new(nl, RTM_SETLINK, 0);

        vfnl_put_setting(nlh, ifindex, attr, v);
        return nl_call(nl, nlh, NULL, NULL);
}

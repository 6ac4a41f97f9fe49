/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The VF list of a PF as rtnetlink reports it (IFLA_VFINFO_LIST), for the VF helper and
 * `hostvirt status` alike.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "util.h"
#include "vfinfo.h"

void vf_info_init(struct vf_info *v, unsigned index) {
        *v = (struct vf_info) {
                .index = index,
                .vlan_proto = 0x8100,
                .spoofchk = -1,
                .link_state = -1,
                .trust = -1,
        };
}

static bool payload_ok(const struct nlattr *a, size_t size) {
        return mnl_attr_get_payload_len(a) >= size;
}

/* A u32 "setting" the driver did not fill in reads back as (u32) -1. */
static int setting(uint32_t s) {
        return s == UINT32_MAX ? -1 : (int) (s != 0);
}

static void parse_vlan_list(const struct nlattr *list, struct vf_info *v) {
        const struct nlattr *a;

        mnl_attr_for_each_nested(a, list) {
                const struct ifla_vf_vlan_info *vi = mnl_attr_get_payload(a);
                if (mnl_attr_get_type(a) != IFLA_VF_VLAN_INFO || !payload_ok(a, sizeof(*vi)))
                        continue;
                v->has_vlan = true;
                v->vlan = vi->vlan;
                v->qos = vi->qos;
                v->vlan_proto = ntohs(vi->vlan_proto);
                return;         /* the kernel reports one entry */
        }
}

/* The attributes whose struct starts with the VF's index (IFLA_VF_BROADCAST, the lists and the
 * statistics do not). */
static bool has_index(const struct nlattr *a) {
        switch (mnl_attr_get_type(a)) {
        case IFLA_VF_MAC:
        case IFLA_VF_VLAN:
        case IFLA_VF_TX_RATE:
        case IFLA_VF_RATE:
        case IFLA_VF_SPOOFCHK:
        case IFLA_VF_LINK_STATE:
        case IFLA_VF_RSS_QUERY_EN:
        case IFLA_VF_TRUST:
                return payload_ok(a, sizeof(uint32_t));
        default:
                return false;
        }
}

/* One IFLA_VF_INFO. */
static int parse_vf(const struct nlattr *info, struct vf_info *v) {
        const struct nlattr *a;
        bool have_index = false;

        vf_info_init(v, 0);
        mnl_attr_for_each_nested(a, info) {
                const void *p = mnl_attr_get_payload(a);

                if (!have_index && has_index(a)) {
                        memcpy(&v->index, p, sizeof(uint32_t));
                        have_index = true;
                }
                switch (mnl_attr_get_type(a)) {
                case IFLA_VF_MAC:
                        if (payload_ok(a, sizeof(struct ifla_vf_mac))) {
                                memcpy(v->mac, ((const struct ifla_vf_mac *) p)->mac, 6);
                                v->has_mac = true;
                        }
                        break;
                case IFLA_VF_VLAN:
                        /* IFLA_VF_VLAN_LIST, when there, adds the protocol */
                        if (payload_ok(a, sizeof(struct ifla_vf_vlan)) && !v->has_vlan) {
                                v->has_vlan = true;
                                v->vlan = ((const struct ifla_vf_vlan *) p)->vlan;
                                v->qos = ((const struct ifla_vf_vlan *) p)->qos;
                        }
                        break;
                case IFLA_VF_VLAN_LIST:
                        parse_vlan_list(a, v);
                        break;
                case IFLA_VF_RATE:
                        if (payload_ok(a, sizeof(struct ifla_vf_rate))) {
                                v->has_rate = true;
                                v->min_tx_rate = ((const struct ifla_vf_rate *) p)->min_tx_rate;
                                v->max_tx_rate = ((const struct ifla_vf_rate *) p)->max_tx_rate;
                        }
                        break;
                case IFLA_VF_SPOOFCHK:
                        if (payload_ok(a, sizeof(struct ifla_vf_spoofchk)))
                                v->spoofchk = setting(((const struct ifla_vf_spoofchk *) p)->setting);
                        break;
                case IFLA_VF_LINK_STATE:
                        if (payload_ok(a, sizeof(struct ifla_vf_link_state)))
                                v->link_state = (int) ((const struct ifla_vf_link_state *) p)->link_state;
                        break;
                case IFLA_VF_TRUST:
                        if (payload_ok(a, sizeof(struct ifla_vf_trust)))
                                v->trust = setting(((const struct ifla_vf_trust *) p)->setting);
                        break;
                }
        }
        return have_index ? 0 : -EBADMSG;
}

static int parse_vfinfo_list(const struct nlattr *list, struct pf_link *l) {
        const struct nlattr *a;

        mnl_attr_for_each_nested(a, list) {
                struct vf_info v;

                if (mnl_attr_get_type(a) != IFLA_VF_INFO)
                        continue;
                if (parse_vf(a, &v) < 0)
                        return -EBADMSG;
                l->vfs = xrealloc(l->vfs, (l->n_vfs + 1) * sizeof(*l->vfs));
                l->vfs[l->n_vfs++] = v;
        }
        return 0;
}

int vfnl_parse_link(const struct nlmsghdr *nlh, struct pf_link *ret) {
        const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
        const struct nlattr *a;
        int r;

        if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
                return -EBADMSG;
        ret->ifindex = ifi->ifi_index;
        mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
                switch (mnl_attr_get_type(a)) {
                case IFLA_NUM_VF:
                        if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
                                ret->has_num_vf = true;
                                ret->num_vf = mnl_attr_get_u32(a);
                        }
                        break;
                case IFLA_VFINFO_LIST:
                        r = parse_vfinfo_list(a, ret);
                        if (r < 0)
                                return r;
                        break;
                }
        }
        return 0;
}

static int get_cb(const struct nlmsghdr *nlh, void *data) {
        int r = vfnl_parse_link(nlh, data);

        if (r < 0) {
                errno = -r;
                return MNL_CB_ERROR;
        }
        return MNL_CB_OK;
}

int vfnl_get_pf(struct nl *nl, const char *name, struct pf_link *ret) {
        struct nlmsghdr *nlh = nl_msg_new(nl, RTM_GETLINK, 0);
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        int r;

        *ret = (struct pf_link) {};
        ifi->ifi_family = AF_UNSPEC;
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        /* The VF list, without the per-VF statistics nobody here reads. */
        mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);

        r = nl_call(nl, nlh, get_cb, ret);
        if (r < 0) {
                pf_link_done(ret);
                return r;
        }
        if (ret->ifindex <= 0)
                return -ENODEV;
        return 0;
}

void pf_link_done(struct pf_link *l) {
        free(l->vfs);
        l->vfs = NULL;
        l->n_vfs = 0;
}

const struct vf_info *pf_link_find_vf(const struct pf_link *l, unsigned index) {
        for (size_t i = 0; i < l->n_vfs; i++)
                if (l->vfs[i].index == index)
                        return &l->vfs[i];
        return NULL;
}

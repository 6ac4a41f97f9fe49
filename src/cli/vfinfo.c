/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "util.h"
#include "vfinfo.h"

/* The kernel reports "cannot tell" (a driver without the callback) as all ones. */
static int u32_setting(uint32_t v) {
        return v == UINT32_MAX ? -1 : (int) (v != 0);
}

/* An attribute holding a fixed struct: present and at least that long. */
static const void *attr_struct(const struct nlattr *a, size_t size) {
        if (!a || mnl_attr_get_payload_len(a) < size)
                return NULL;
        return mnl_attr_get_payload(a);
}

struct table {
        const struct nlattr **tb;
        unsigned max;
};

static int table_cb(const struct nlattr *attr, void *data) {
        struct table *t = data;
        unsigned type = mnl_attr_get_type(attr);

        if (type <= t->max)
                t->tb[type] = attr;
        return MNL_CB_OK;
}

/* The first entry of IFLA_VF_VLAN_LIST: the only one that carries the protocol. */
static const struct ifla_vf_vlan_info *first_vlan_info(const struct nlattr *list) {
        const struct nlattr *a;

        mnl_attr_for_each_nested(a, list)
                if (mnl_attr_get_type(a) == IFLA_VF_VLAN_INFO)
                        return attr_struct(a, sizeof(struct ifla_vf_vlan_info));
        return NULL;
}

static void parse_vf(const struct nlattr *nest, struct vf_list *l) {
        const struct nlattr *tb[IFLA_VF_MAX + 1] = {};
        struct table t = { tb, IFLA_VF_MAX };
        const struct ifla_vf_mac *mac;
        const struct ifla_vf_vlan *vlan;
        const struct ifla_vf_vlan_info *vinfo;
        const struct ifla_vf_spoofchk *spoof;
        const struct ifla_vf_trust *trust;
        const struct ifla_vf_link_state *ls;
        const struct ifla_vf_rate *rate;
        const struct ifla_vf_tx_rate *txrate;
        struct vf_info *v;

        (void) mnl_attr_parse_nested(nest, table_cb, &t);
        /* Every VF nest starts with its MAC, and every struct names the VF: take the index there. */
        mac = attr_struct(tb[IFLA_VF_MAC], sizeof(*mac));
        if (!mac)
                return;

        l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
        v = &l->v[l->n++];
        *v = (struct vf_info) {
                .vf = mac->vf,
                .has_mac = true,
                .vlan = -1, .qos = -1, .vlan_proto = -1, .spoof_check = -1, .trust = -1,
                .link_state = -1, .max_tx_rate = -1, .min_tx_rate = -1,
        };
        memcpy(v->mac, mac->mac, 6);

        vinfo = tb[IFLA_VF_VLAN_LIST] ? first_vlan_info(tb[IFLA_VF_VLAN_LIST]) : NULL;
        vlan = attr_struct(tb[IFLA_VF_VLAN], sizeof(*vlan));
        if (vinfo) {
                v->vlan = (int) vinfo->vlan;
                v->qos = (int) vinfo->qos;
                v->vlan_proto = ntohs(vinfo->vlan_proto);
        } else if (vlan) {
                v->vlan = (int) vlan->vlan;
                v->qos = (int) vlan->qos;
                v->vlan_proto = 0x8100; /* the only protocol before VLAN lists existed */
        }

        spoof = attr_struct(tb[IFLA_VF_SPOOFCHK], sizeof(*spoof));
        if (spoof)
                v->spoof_check = u32_setting(spoof->setting);
        trust = attr_struct(tb[IFLA_VF_TRUST], sizeof(*trust));
        if (trust)
                v->trust = u32_setting(trust->setting);
        ls = attr_struct(tb[IFLA_VF_LINK_STATE], sizeof(*ls));
        if (ls)
                v->link_state = (int) ls->link_state;

        rate = attr_struct(tb[IFLA_VF_RATE], sizeof(*rate));
        txrate = attr_struct(tb[IFLA_VF_TX_RATE], sizeof(*txrate));
        if (rate) {
                v->max_tx_rate = rate->max_tx_rate;
                v->min_tx_rate = rate->min_tx_rate;
        } else if (txrate)
                v->max_tx_rate = txrate->rate;
}

int vfinfo_parse(const struct nlmsghdr *nlh, struct vf_list *ret) {
        const struct nlattr *tb[IFLA_MAX + 1] = {};
        struct table t = { tb, IFLA_MAX };
        const struct nlattr *a;

        if (nlh->nlmsg_type != RTM_NEWLINK)
                return 0;
        if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
                return -EBADMSG;
        if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), table_cb, &t) < 0)
                return -EBADMSG;

        ret->num_vf = -1;
        if (tb[IFLA_NUM_VF] && mnl_attr_validate(tb[IFLA_NUM_VF], MNL_TYPE_U32) >= 0)
                ret->num_vf = (int) mnl_attr_get_u32(tb[IFLA_NUM_VF]);
        if (!tb[IFLA_VFINFO_LIST])
                return 0;
        mnl_attr_for_each_nested(a, tb[IFLA_VFINFO_LIST])
                if (mnl_attr_get_type(a) == IFLA_VF_INFO)
                        parse_vf(a, ret);
        return 0;
}

static int vfinfo_cb(const struct nlmsghdr *nlh, void *data) {
        int r = vfinfo_parse(nlh, data);

        if (r < 0) {
                errno = -r;
                return MNL_CB_ERROR;
        }
        return MNL_CB_OK;
}

int vfinfo_get(struct nl *nl, const char *pf, struct vf_list *ret) {
        struct nlmsghdr *nlh = nl_msg_new(nl, RTM_GETLINK, 0);
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        int r;

        ifi->ifi_family = AF_UNSPEC;
        mnl_attr_put_strz(nlh, IFLA_IFNAME, pf);
        /* The VF list, without the per-VF counters that would make it much larger. */
        mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);

        *ret = (struct vf_list) { .num_vf = -1 };
        r = nl_call(nl, nlh, vfinfo_cb, ret);
        if (r < 0)
                vf_list_done(ret);
        return r;
}

void vf_list_done(struct vf_list *l) {
        free(l->v);
        l->v = NULL;
        l->n = 0;
}

const struct vf_info *vf_list_find(const struct vf_list *l, unsigned vf) {
        for (size_t i = 0; i < l->n; i++)
                if (l->v[i].vf == vf)
                        return &l->v[i];
        return NULL;
}

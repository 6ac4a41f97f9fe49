/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "link.h"
#include "util.h"

/* Fills tb[type] for attributes up to max (libmnl's usual table callback). */
struct attr_table {
        const struct nlattr **tb;
        unsigned max;
};

static int table_cb(const struct nlattr *attr, void *data) {
        struct attr_table *t = data;
        unsigned type = mnl_attr_get_type(attr);

        if (type <= t->max)
                t->tb[type] = attr;
        return MNL_CB_OK;
}

static void parse_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned max) {
        struct attr_table t = { tb, max };

        memset(tb, 0, sizeof(*tb) * (max + 1));
        (void) mnl_attr_parse_nested(nest, table_cb, &t);
}

static bool attr_ok(const struct nlattr *a, enum mnl_attr_data_type type) {
        return a && mnl_attr_validate(a, type) >= 0;
}

static void parse_vlan(const struct nlattr *data, struct link *l) {
        const struct nlattr *tb[IFLA_VLAN_MAX + 1];

        parse_nested(data, tb, IFLA_VLAN_MAX);
        if (attr_ok(tb[IFLA_VLAN_ID], MNL_TYPE_U16))
                l->vlan_id = mnl_attr_get_u16(tb[IFLA_VLAN_ID]);
        if (attr_ok(tb[IFLA_VLAN_PROTOCOL], MNL_TYPE_U16))
                l->vlan_protocol = ntohs(mnl_attr_get_u16(tb[IFLA_VLAN_PROTOCOL]));
}

static void parse_bridge(const struct nlattr *data, struct link *l) {
        const struct nlattr *tb[IFLA_BR_MAX + 1];

        parse_nested(data, tb, IFLA_BR_MAX);
        if (attr_ok(tb[IFLA_BR_STP_STATE], MNL_TYPE_U32))
                l->br_stp = mnl_attr_get_u32(tb[IFLA_BR_STP_STATE]) != 0;
        if (attr_ok(tb[IFLA_BR_FORWARD_DELAY], MNL_TYPE_U32))
                l->br_forward_delay = mnl_attr_get_u32(tb[IFLA_BR_FORWARD_DELAY]);
        if (attr_ok(tb[IFLA_BR_VLAN_FILTERING], MNL_TYPE_U8))
                l->br_vlan_filtering = mnl_attr_get_u8(tb[IFLA_BR_VLAN_FILTERING]);
}

static void parse_bond(const struct nlattr *data, struct link *l) {
        const struct nlattr *tb[IFLA_BOND_MAX + 1];

        parse_nested(data, tb, IFLA_BOND_MAX);
        if (attr_ok(tb[IFLA_BOND_MODE], MNL_TYPE_U8))
                l->bond.mode = mnl_attr_get_u8(tb[IFLA_BOND_MODE]);
        if (attr_ok(tb[IFLA_BOND_MIIMON], MNL_TYPE_U32))
                l->bond.miimon_ms = mnl_attr_get_u32(tb[IFLA_BOND_MIIMON]);
        if (attr_ok(tb[IFLA_BOND_XMIT_HASH_POLICY], MNL_TYPE_U8))
                l->bond.xmit_hash_policy = mnl_attr_get_u8(tb[IFLA_BOND_XMIT_HASH_POLICY]);
        if (attr_ok(tb[IFLA_BOND_AD_LACP_RATE], MNL_TYPE_U8))
                l->bond.lacp_rate = mnl_attr_get_u8(tb[IFLA_BOND_AD_LACP_RATE]);
        if (attr_ok(tb[IFLA_BOND_MIN_LINKS], MNL_TYPE_U32))
                l->bond.min_links = mnl_attr_get_u32(tb[IFLA_BOND_MIN_LINKS]);
}

static void parse_linkinfo(const struct nlattr *linkinfo, struct link *l) {
        const struct nlattr *tb[IFLA_INFO_MAX + 1];

        parse_nested(linkinfo, tb, IFLA_INFO_MAX);
        if (!attr_ok(tb[IFLA_INFO_KIND], MNL_TYPE_STRING))
                return;
        snprintf(l->kind, sizeof(l->kind), "%.*s",
                 (int) mnl_attr_get_payload_len(tb[IFLA_INFO_KIND]), mnl_attr_get_str(tb[IFLA_INFO_KIND]));

        if (!tb[IFLA_INFO_DATA])
                return;
        if (streq(l->kind, "vlan"))
                parse_vlan(tb[IFLA_INFO_DATA], l);
        else if (streq(l->kind, "bridge"))
                parse_bridge(tb[IFLA_INFO_DATA], l);
        else if (streq(l->kind, "bond"))
                parse_bond(tb[IFLA_INFO_DATA], l);
}

static int link_parse_cb(const struct nlmsghdr *nlh, void *data) {
        struct link *l = data;
        const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
        const struct nlattr *tb[IFLA_MAX + 1] = {};
        struct attr_table t = { tb, IFLA_MAX };

        if (nlh->nlmsg_type != RTM_NEWLINK)
                return MNL_CB_OK;
        if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi)) {
                errno = EBADMSG;
                return MNL_CB_ERROR;
        }
        if (mnl_attr_parse(nlh, sizeof(*ifi), table_cb, &t) < 0)
                return MNL_CB_ERROR;

        *l = (struct link) {
                .ifindex = ifi->ifi_index,
                .flags = ifi->ifi_flags,
                .br_stp = -1,
                .br_forward_delay = -1,
                .br_vlan_filtering = -1,
                .bond = BOND_OPTIONS_NONE,
        };
        if (attr_ok(tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING))
                snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
        if (attr_ok(tb[IFLA_MTU], MNL_TYPE_U32))
                l->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
        if (attr_ok(tb[IFLA_OPERSTATE], MNL_TYPE_U8))
                l->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
        if (attr_ok(tb[IFLA_MASTER], MNL_TYPE_U32))
                l->master = (int) mnl_attr_get_u32(tb[IFLA_MASTER]);
        if (attr_ok(tb[IFLA_LINK], MNL_TYPE_U32))
                l->parent = (int) mnl_attr_get_u32(tb[IFLA_LINK]);
        l->parent_in_other_netns = tb[IFLA_LINK_NETNSID] != NULL;
        if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6) {
                l->has_mac = true;
                memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
        }
        if (tb[IFLA_LINKINFO])
                parse_linkinfo(tb[IFLA_LINKINFO], l);

        return MNL_CB_OK;
}

struct nlmsghdr *link_msg_new(struct nl *nl, uint16_t type, uint16_t flags, int ifindex) {
        struct nlmsghdr *nlh = nl_msg_new(nl, type, flags);
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

        ifi->ifi_family = AF_UNSPEC;
        ifi->ifi_index = ifindex;
        return nlh;
}

static int link_get(struct nl *nl, struct nlmsghdr *nlh, struct link *ret) {
        struct link l = { .ifindex = 0 };
        int r;

        /* Counters are of no use here and make the answer much larger. */
        mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);

        r = nl_call(nl, nlh, link_parse_cb, &l);
        if (r < 0)
                return r;
        if (l.ifindex <= 0)
                return -ENODEV;
        *ret = l;
        return 0;
}

int link_get_by_name(struct nl *nl, const char *name, struct link *ret) {
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_GETLINK, 0, 0);

        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        return link_get(nl, nlh, ret);
}

int link_get_by_index(struct nl *nl, int ifindex, struct link *ret) {
        return link_get(nl, link_msg_new(nl, RTM_GETLINK, 0, ifindex), ret);
}

struct port_dump {
        int master;
        link_cb_t cb;
        void *userdata;
};

static int port_dump_cb(const struct nlmsghdr *nlh, void *data) {
        struct port_dump *d = data;
        struct link l;
        int r;

        if (nlh->nlmsg_type != RTM_NEWLINK)
                return MNL_CB_OK;
        if (link_parse_cb(nlh, &l) <= MNL_CB_ERROR)
                return MNL_CB_ERROR;
        if (l.master != d->master)
                return MNL_CB_OK;
        r = d->cb(&l, d->userdata);
        if (r < 0) {
                errno = -r;
                return MNL_CB_ERROR;
        }
        return MNL_CB_OK;
}

int link_for_each_port(struct nl *nl, int master, link_cb_t cb, void *userdata) {
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_GETLINK, NLM_F_DUMP, 0);
        struct port_dump d = { master, cb, userdata };

        /* The kernel filters a dump by IFLA_MASTER (and we check again: old kernels do not). */
        mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t) master);
        mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        return nl_call(nl, nlh, port_dump_cb, &d);
}

int link_create_vlan(struct nl *nl, const char *name, int parent, unsigned id, unsigned protocol, unsigned mtu) {
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
        struct nlattr *info, *data;

        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t) parent);
        if (mtu > 0)
                mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
        info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vlan");
        data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        mnl_attr_put_u16(nlh, IFLA_VLAN_ID, (uint16_t) id);
        mnl_attr_put_u16(nlh, IFLA_VLAN_PROTOCOL, htons((uint16_t) protocol));
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, info);

        return nl_call(nl, nlh, NULL, NULL);
}

int link_create_bridge(struct nl *nl, const char *name, const uint8_t *mac) {
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
        struct nlattr *info;

        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        /* Set from birth, not afterwards: udev's MACAddressPolicy=persistent (99-default.link)
         * replaces a random address of a new bridge, racing with a later RTM_SETLINK. */
        if (mac)
                mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
        info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
        mnl_attr_nest_end(nlh, info);

        return nl_call(nl, nlh, NULL, NULL);
}

/* IFLA_INFO_DATA of a bond: the options that are set.  The kernel applies IFLA_BOND_MODE
 * first, whatever the order here (the others depend on it). */
static void put_bond_options(struct nlmsghdr *nlh, const struct bond_options *o) {
        struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);

        if (o->mode >= 0)
                mnl_attr_put_u8(nlh, IFLA_BOND_MODE, (uint8_t) o->mode);
        if (o->miimon_ms >= 0)
                mnl_attr_put_u32(nlh, IFLA_BOND_MIIMON, (uint32_t) o->miimon_ms);
        if (o->xmit_hash_policy >= 0)
                mnl_attr_put_u8(nlh, IFLA_BOND_XMIT_HASH_POLICY, (uint8_t) o->xmit_hash_policy);
        if (o->lacp_rate >= 0)
                mnl_attr_put_u8(nlh, IFLA_BOND_AD_LACP_RATE, (uint8_t) o->lacp_rate);
        if (o->min_links >= 0)
                mnl_attr_put_u32(nlh, IFLA_BOND_MIN_LINKS, (uint32_t) o->min_links);
        mnl_attr_nest_end(nlh, data);
}

int link_create_bond(struct nl *nl, const char *name, const struct bond_options *o, const uint8_t *mac) {
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
        struct nlattr *info;

        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        /* From birth, as for a bridge (udev's MACAddressPolicy=); a bond whose address was set
         * does not take its first port's. */
        if (mac)
                mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
        info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bond");
        put_bond_options(nlh, o);
        mnl_attr_nest_end(nlh, info);

        return nl_call(nl, nlh, NULL, NULL);
}

int link_delete(struct nl *nl, int ifindex) {
        return nl_call(nl, link_msg_new(nl, RTM_DELLINK, 0, ifindex), NULL, NULL);
}

int link_set_bridge_options(struct nl *nl, int ifindex, const struct bridge_options *o) {
        /* Options of a link's kind change only through RTM_NEWLINK (changelink). */
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_NEWLINK, 0, ifindex);
        struct nlattr *info, *data;

        info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
        data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        /*
         * The kernel applies the forward delay before the STP state (and
         * checks its 2..30 s range only with STP on), in the order of its
         * own table, whatever our order: send each option at most once.
         */
        if (o->forward_delay >= 0)
                mnl_attr_put_u32(nlh, IFLA_BR_FORWARD_DELAY, (uint32_t) o->forward_delay);
        if (o->stp >= 0)
                mnl_attr_put_u32(nlh, IFLA_BR_STP_STATE, (uint32_t) o->stp);
        if (o->vlan_filtering >= 0)
                mnl_attr_put_u8(nlh, IFLA_BR_VLAN_FILTERING, (uint8_t) o->vlan_filtering);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, info);

        return nl_call(nl, nlh, NULL, NULL);
}

int link_set_bond_options(struct nl *nl, int ifindex, const struct bond_options *o) {
        /* as for a bridge: changelink, through RTM_NEWLINK */
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_NEWLINK, 0, ifindex);
        struct nlattr *info;

        info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bond");
        put_bond_options(nlh, o);
        mnl_attr_nest_end(nlh, info);

        return nl_call(nl, nlh, NULL, NULL);
}

int link_set_mtu(struct nl *nl, int ifindex, unsigned mtu) {
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_SETLINK, 0, ifindex);

        mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
        return nl_call(nl, nlh, NULL, NULL);
}

int link_set_mac(struct nl *nl, int ifindex, const uint8_t mac[6]) {
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_SETLINK, 0, ifindex);

        mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
        return nl_call(nl, nlh, NULL, NULL);
}

int link_set_up(struct nl *nl, int ifindex, bool up) {
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_SETLINK, 0, ifindex);
        struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

        ifi->ifi_change = IFF_UP;
        ifi->ifi_flags = up ? IFF_UP : 0;
        return nl_call(nl, nlh, NULL, NULL);
}

int link_set_master(struct nl *nl, int ifindex, int master) {
        struct nlmsghdr *nlh = link_msg_new(nl, RTM_SETLINK, 0, ifindex);

        mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t) master);
        return nl_call(nl, nlh, NULL, NULL);
}

const char *vlan_protocol_name(unsigned protocol) {
        switch (protocol) {
        case ETH_P_8021Q_:
                return "802.1Q";
        case ETH_P_8021AD_:
                return "802.1ad";
        default:
                return "unknown protocol";
        }
}

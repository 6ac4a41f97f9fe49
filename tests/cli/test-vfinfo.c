/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The VF list parser `hostvirt status` reads per-VF settings with (the netlink
 * library's, src/netlink/vfinfo.c, which the VF helper reads with too), on
 * messages laid out as the kernel does.
 *
 * This machine has no SR-IOV device, so no kernel here answers with an
 * IFLA_VFINFO_LIST: the answers are built with libmnl the way the kernel's
 * rtnl_fill_vfinfo() lays them out (the VM suite sees real ones from
 * netdevsim).  The request itself goes to this kernel: for "lo" (no VFs, no
 * IFLA_NUM_VF) and for a device that does not exist.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfinfo.h"

static unsigned failures;

#define CHECK(cond)                                                                  \
        do {                                                                         \
                if (cond)                                                            \
                        printf("PASS %s\n", #cond);                                  \
                else {                                                               \
                        printf("FAIL %s (line %d)\n", #cond, __LINE__);              \
                        failures++;                                                  \
                }                                                                    \
        } while (0)

static void put_vf(struct nlmsghdr *nlh, unsigned vf, bool full) {
        struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_VF_INFO), *list, *stats;
        struct ifla_vf_mac mac = { .vf = vf, .mac = { 0x02, 0x11, 0x22, 0x33, 0x44, (uint8_t) vf } };
        struct ifla_vf_vlan vlan = { .vf = vf, .vlan = full ? 100 : 7, .qos = full ? 3 : 0 };
        struct ifla_vf_vlan_info vinfo = { .vf = vf, .vlan = 100, .qos = 3, .vlan_proto = htons(0x88a8) };
        struct ifla_vf_rate rate = { .vf = vf, .min_tx_rate = 10, .max_tx_rate = 1000 };
        struct ifla_vf_tx_rate txrate = { .vf = vf, .rate = full ? 1000 : 500 };
        struct ifla_vf_spoofchk spoof = { .vf = vf, .setting = full ? 1 : 0 };
        struct ifla_vf_link_state ls = { .vf = vf, .link_state = IFLA_VF_LINK_STATE_DISABLE };
        /* A driver that cannot tell says all ones (rtnl_fill_vfinfo() presets -1). */
        struct ifla_vf_trust trust = { .vf = vf, .setting = full ? (uint32_t) -1 : 1 };

        mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(mac), &mac);
        mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof(vlan), &vlan);
        if (full) {
                list = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);
                mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, sizeof(vinfo), &vinfo);
                mnl_attr_nest_end(nlh, list);
                mnl_attr_put(nlh, IFLA_VF_RATE, sizeof(rate), &rate);
                mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof(ls), &ls);
                /* stats come along unless RTEXT_FILTER_SKIP_STATS: must be skipped */
                stats = mnl_attr_nest_start(nlh, IFLA_VF_STATS);
                mnl_attr_put_u64(nlh, IFLA_VF_STATS_RX_PACKETS, 42);
                mnl_attr_nest_end(nlh, stats);
        }
        mnl_attr_put(nlh, IFLA_VF_TX_RATE, sizeof(txrate), &txrate);
        mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, sizeof(spoof), &spoof);
        mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(trust), &trust);
        mnl_attr_nest_end(nlh, info);
}

static void test_parse(void) {
        static char buf[8192];
        struct nlmsghdr *nlh;
        struct ifinfomsg *ifi;
        struct nlattr *list, *bad;
        struct pf_link l = {};
        const struct vf_info *v0, *v1;
        uint32_t short_trust = 1;

        memset(buf, 0, sizeof(buf));
        nlh = mnl_nlmsg_put_header(buf);
        nlh->nlmsg_type = RTM_NEWLINK;
        ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        ifi->ifi_index = 7;
        mnl_attr_put_strz(nlh, IFLA_IFNAME, "eno4");
        mnl_attr_put_u32(nlh, IFLA_NUM_VF, 3);
        list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
        put_vf(nlh, 0, true);
        put_vf(nlh, 1, false);
        /* a truncated IFLA_VF_TRUST (4 bytes, not 8) names VF 1 again but sets nothing */
        bad = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
        mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(short_trust), &short_trust);
        mnl_attr_nest_end(nlh, bad);
        mnl_attr_nest_end(nlh, list);

        CHECK(vfnl_parse_link(nlh, &l) == 0);
        CHECK(l.ifindex == 7);
        CHECK(l.has_num_vf && l.num_vf == 3);
        CHECK(l.n_vfs == 3);
        v0 = pf_link_find_vf(&l, 0);
        v1 = pf_link_find_vf(&l, 1);
        CHECK(v0 && v1 && !pf_link_find_vf(&l, 2));
        if (!v0 || !v1)
                return;
        CHECK(v0->has_mac && memcmp(v0->mac, "\x02\x11\x22\x33\x44\x00", 6) == 0);
        CHECK(v1->mac[5] == 1);
        /* the VLAN list wins over the legacy attribute: it has the protocol */
        CHECK(v0->has_vlan && v0->vlan == 100 && v0->qos == 3 && v0->vlan_proto == 0x88a8);
        CHECK(v1->has_vlan && v1->vlan == 7 && v1->qos == 0 && v1->vlan_proto == 0x8100);
        CHECK(v0->has_rate && v0->max_tx_rate == 1000 && v0->min_tx_rate == 10);
        /* only the legacy IFLA_VF_TX_RATE: min unknown, so the pair is not reported */
        CHECK(!v1->has_rate);
        CHECK(v0->spoofchk == 1 && v1->spoofchk == 0);
        CHECK(v0->trust == -1 && v1->trust == 1);
        CHECK(v0->link_state == IFLA_VF_LINK_STATE_DISABLE && v1->link_state == -1);
        pf_link_done(&l);

        /* not a link message, or too short for its header: refused */
        nlh->nlmsg_type = RTM_NEWADDR;
        l = (struct pf_link) {};
        CHECK(vfnl_parse_link(nlh, &l) == -EBADMSG && l.n_vfs == 0);
        nlh->nlmsg_type = RTM_NEWLINK;
        nlh->nlmsg_len = mnl_nlmsg_size(4);
        CHECK(vfnl_parse_link(nlh, &l) == -EBADMSG);
}

static void test_kernel(void) {
        struct nl *nl = NULL;
        struct pf_link l = {};

        if (nl_open(&nl) < 0) {
                printf("SKIP kernel requests: no rtnetlink socket\n");
                return;
        }
        CHECK(vfnl_get_pf(nl, "lo", &l) == 0 && l.n_vfs == 0 && !l.has_num_vf && l.ifindex == 1);
        pf_link_done(&l);
        l = (struct pf_link) {};
        CHECK(vfnl_get_pf(nl, "hostvirt-none0", &l) == -ENODEV);
        pf_link_done(&l);
        nl_close(nl);
}

int main(void) {
        test_parse();
        test_kernel();
        printf("%u failed\n", failures);
        return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Per-VF settings without a kernel: this machine has no driver with VF
 * settings (no netdevsim, no SR-IOV NIC), so the VM suite (tests/vm) proves
 * them on netdevsim.  Here:
 *   - the plan: PF defaults overlaid by [VF] sections, persistent MACs from
 *     /etc/machine-id under HOSTVIRT_ROOT, what is refused;
 *   - applying it through a stand-in for the kernel that records every
 *     request and refuses the ones it is told to: only what differs is
 *     written, and a refusal rolls back what was written, newest first;
 *   - the rtnetlink messages: an RTM_NEWLINK laid out as the kernel's
 *     rtnl_fill_vfinfo() does is parsed, and each RTM_SETLINK request is
 *     taken apart again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "log.h"
#include "util.h"
#include "vf-mac.h"
#include "vf-netlink.h"
#include "vf-settings.h"

static unsigned n_failed, n_passed;

#define CHECK(cond) check((cond), #cond, __LINE__)
static void check(bool ok, const char *what, int line) {
        if (ok)
                n_passed++;
        else {
                n_failed++;
                printf("FAIL line %d: %s\n", line, what);
        }
}

static char *tmpdir;

static void write_file(const char *rel, const char *text) {
        _cleanup_free_ char *p = xasprintf("%s%s", tmpdir, rel);
        FILE *f;

        for (char *s = strchr(p + strlen(tmpdir) + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = '\0';
                mkdir(p, 0755);
                *s = '/';
        }
        f = fopen(p, "we");
        if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
                perror(p);
                exit(EXIT_FAILURE);
        }
}

/* Runs f with stderr captured; returns what it logged. */
static char *capture(void (*f)(void *), void *userdata) {
        char path[] = "/tmp/test-vf-settings.XXXXXX";
        int fd = mkstemp(path), saved = dup(STDERR_FILENO);
        char *buf = xcalloc(1, 65536);

        fflush(stderr);
        dup2(fd, STDERR_FILENO);
        f(userdata);
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        close(saved);
        (void) !pread(fd, buf, 65535, 0);
        close(fd);
        unlink(path);
        return buf;
}

/* ------------------------------------------------------------------------------------------
 * The plan
 */

static const char *const CONFIG =
        "[SR-IOV eno4]\n"
        "VirtualFunctions = 4\n"
        "MACAddressPolicy = persistent\n"
        "Trust = no\n"
        "SpoofCheck = yes\n"
        "VLAN = 10\n"
        "MaxTxRate = 500\n"
        "[VF eno4:0]\n"
        "MACAddress = 02:11:22:33:44:55\n"
        "VLAN = 20\n"
        "QoS = 3\n"
        "VLANProtocol = 802.1ad\n"
        "Trust = yes\n"
        "LinkState = enable\n"
        "MinTxRate = 100\n"
        "[VF eno4:3]\n"
        "SpoofCheck = no\n"
        "LinkState = disable\n"
        "[SR-IOV eno5]\n"
        "VirtualFunctions = 2\n"
        "MinTxRate = 600\n"
        "[VF eno5:1]\n"
        "MaxTxRate = 100\n"
        "[SR-IOV eno6]\n"
        "VirtualFunctions = 2\n"
        "[SR-IOV eno7]\n"
        "VirtualFunctions = 1\n"
        "MACAddressPolicy = persistent\n"
        "[VF eno7:0]\n"
        "MACAddress = 02:00:00:00:00:07\n"
        "[SR-IOV eno8]\n"
        "VirtualFunctions = 1\n"
        "VLANProtocol = 802.1ad\n";

static void test_plan(void) {
        const char *mid = "b08dfa6083e7567a1921a715000001fb";
        uint8_t id[MACHINE_ID_SIZE], read_id[MACHINE_ID_SIZE], mac1[6];
        struct vf_want *w = NULL;
        struct conf *c = NULL;
        const struct conf_sriov *pf;

        write_file("/etc/hostvirt/test.conf", CONFIG);
        write_file("/etc/machine-id", "b08dfa6083e7567a1921a715000001fb\n");
        setenv("HOSTVIRT_ROOT", tmpdir, 1);

        CHECK(machine_id_read(read_id) == 0);
        machine_id_parse(mid, id);
        CHECK(memcmp(id, read_id, sizeof(id)) == 0);

        CHECK(conf_load_all(&c, NULL, &(struct diag) {}) >= 0);
        CHECK(c->n_errors == 0);
        pf = conf_find_sriov(c, "eno4");
        CHECK(pf && vf_plan_needs_machine_id(pf));
        CHECK(pf && vf_plan_build(pf, id, &w) == 0);
        if (!w)
                return;

        /* VF 0: its own section wins key by key; the explicit MAC wins over the policy */
        CHECK(w[0].attrs == (VF_ATTR_BIT(VF_ATTR_MAC) | VF_ATTR_BIT(VF_ATTR_VLAN) | VF_ATTR_BIT(VF_ATTR_RATE) |
                             VF_ATTR_BIT(VF_ATTR_SPOOFCHK) | VF_ATTR_BIT(VF_ATTR_LINK_STATE) |
                             VF_ATTR_BIT(VF_ATTR_TRUST)));
        CHECK(memcmp(w[0].v.mac, "\x02\x11\x22\x33\x44\x55", 6) == 0 && !w[0].mac_persistent);
        CHECK(w[0].v.vlan == 20 && w[0].v.qos == 3 && w[0].v.vlan_proto == 0x88a8);
        CHECK(w[0].v.trust == 1 && w[0].v.spoofchk == 1 && w[0].v.link_state == IFLA_VF_LINK_STATE_ENABLE);
        CHECK(w[0].min_rate_set && w[0].max_rate_set && w[0].v.min_tx_rate == 100 && w[0].v.max_tx_rate == 500);

        /* VF 1: PF defaults only, the persistent MAC, 802.1Q and QoS 0 by default, no LinkState */
        vf_mac_persistent(id, "eno4", 1, mac1);
        CHECK(w[1].attrs == (VF_ATTR_BIT(VF_ATTR_MAC) | VF_ATTR_BIT(VF_ATTR_VLAN) | VF_ATTR_BIT(VF_ATTR_RATE) |
                             VF_ATTR_BIT(VF_ATTR_SPOOFCHK) | VF_ATTR_BIT(VF_ATTR_TRUST)));
        CHECK(memcmp(w[1].v.mac, mac1, 6) == 0 && w[1].mac_persistent);
        CHECK(w[1].v.vlan == 10 && w[1].v.qos == 0 && w[1].v.vlan_proto == 0x8100);
        CHECK(w[1].v.trust == 0 && w[1].v.spoofchk == 1);
        CHECK(!w[1].min_rate_set && w[1].max_rate_set && w[1].v.max_tx_rate == 500);

        /* VF 3 overrides SpoofCheck= and adds LinkState= */
        CHECK(w[3].v.spoofchk == 0 && w[3].v.link_state == IFLA_VF_LINK_STATE_DISABLE && w[3].v.trust == 0);
        CHECK(memcmp(w[2].v.mac, w[3].v.mac, 6) != 0 && memcmp(w[1].v.mac, w[2].v.mac, 6) != 0);
        free(w);
        w = NULL;

        /* MinTxRate= of the PF above MaxTxRate= of a VF: refused before anything is written */
        pf = conf_find_sriov(c, "eno5");
        CHECK(pf && vf_plan_build(pf, id, &w) == -EINVAL && !w);

        /* nothing configured per VF: no settings at all, no machine ID needed */
        pf = conf_find_sriov(c, "eno6");
        CHECK(pf && !vf_plan_needs_machine_id(pf) && vf_plan_build(pf, NULL, &w) == 0);
        CHECK(w && !vf_plan_has_settings(w, 2));
        free(w);
        w = NULL;

        /* persistent, but every VF has its own MAC: the machine ID is not needed */
        pf = conf_find_sriov(c, "eno7");
        CHECK(pf && !vf_plan_needs_machine_id(pf));

        /* a lone VLANProtocol= sets nothing */
        pf = conf_find_sriov(c, "eno8");
        CHECK(pf && vf_plan_build(pf, NULL, &w) == 0 && w && w[0].attrs == 0);
        free(w);

        conf_free(c);
        write_file("/etc/machine-id", "uninitialized\n");
        CHECK(machine_id_read(read_id) == -EBADMSG);
        unsetenv("HOSTVIRT_ROOT");
}

/* ------------------------------------------------------------------------------------------
 * Applying, through a stand-in kernel
 */

struct call {
        enum vf_attr attr;
        struct vf_info v;
};

struct fake {
        struct call calls[64];
        size_t n_calls;
        unsigned refuse_vf;
        int refuse_attr;        /* -1: refuse nothing */
        int refuse_error;
        const char *refuse_msg;
};

static int fake_set(void *userdata, enum vf_attr attr, const struct vf_info *v) {
        struct fake *f = userdata;

        if (f->n_calls < ELEMENTSOF(f->calls))
                f->calls[f->n_calls++] = (struct call) { .attr = attr, .v = *v };
        if ((int) attr == f->refuse_attr && v->index == f->refuse_vf)
                return -f->refuse_error;
        return 0;
}

static const char *fake_error(void *userdata) {
        struct fake *f = userdata;
        return f->refuse_msg ?: "";
}

static struct vf_info cur_vf(unsigned index) {
        struct vf_info v;

        vf_info_init(&v, index);
        v.has_mac = true;
        v.mac[5] = (uint8_t) index;
        v.has_vlan = true;
        v.has_rate = true;
        v.min_tx_rate = 50;
        v.max_tx_rate = 0;
        v.spoofchk = 1;
        v.link_state = IFLA_VF_LINK_STATE_AUTO;
        v.trust = 0;
        return v;
}

struct apply_args {
        struct vf_want *want;
        size_t n;
        struct pf_link *cur;
        struct fake *fake;
        int r;
};

static void run_apply(void *userdata) {
        struct apply_args *a = userdata;
        struct vf_setter s = { .set = fake_set, .error_message = fake_error, .userdata = a->fake };
        a->r = vf_settings_apply("eno4", a->want, a->n, a->cur, &s);
}

static void test_apply(void) {
        struct vf_info cur[3] = { cur_vf(0), cur_vf(1), cur_vf(2) };
        struct pf_link link = { .ifindex = 7, .vfs = cur, .n_vfs = 3 };
        struct vf_want want[3] = {};
        struct fake f = { .refuse_attr = -1 };
        struct apply_args a = { .want = want, .n = 3, .cur = &link, .fake = &f };
        _cleanup_free_ char *log1 = NULL, *log2 = NULL, *log3 = NULL, *log4 = NULL;

        /* asking for what is there already: nothing written */
        for (unsigned i = 0; i < 3; i++) {
                want[i].v = cur[i];
                want[i].attrs = VF_ATTR_BIT(VF_ATTR_MAC) | VF_ATTR_BIT(VF_ATTR_SPOOFCHK) | VF_ATTR_BIT(VF_ATTR_TRUST);
        }
        /* untagged: the protocol the driver reports does not matter */
        cur[2].vlan_proto = 0x88a8;
        want[2].attrs |= VF_ATTR_BIT(VF_ATTR_VLAN);
        want[2].v.vlan_proto = 0x8100;
        log1 = capture(run_apply, &a);
        CHECK(a.r == 0 && f.n_calls == 0);

        /* VF 0 trust, VF 1 MAC + VLAN, VF 2 max rate only (its min rate stays 50) */
        want[0].v.trust = 1;
        want[1].v.mac[5] = 0x99;
        want[1].attrs |= VF_ATTR_BIT(VF_ATTR_VLAN);
        want[1].v.vlan = 20;
        want[1].v.qos = 3;
        want[2].attrs |= VF_ATTR_BIT(VF_ATTR_RATE);
        want[2].max_rate_set = true;
        want[2].v.max_tx_rate = 1000;
        f.n_calls = 0;
        log2 = capture(run_apply, &a);
        CHECK(a.r == 4 && f.n_calls == 4);
        CHECK(f.calls[0].attr == VF_ATTR_TRUST && f.calls[0].v.index == 0 && f.calls[0].v.trust == 1);
        CHECK(f.calls[1].attr == VF_ATTR_MAC && f.calls[1].v.index == 1 && f.calls[1].v.mac[5] == 0x99);
        CHECK(f.calls[2].attr == VF_ATTR_VLAN && f.calls[2].v.vlan == 20 && f.calls[2].v.qos == 3 &&
              f.calls[2].v.vlan_proto == 0x8100);
        CHECK(f.calls[3].attr == VF_ATTR_RATE && f.calls[3].v.index == 2 && f.calls[3].v.min_tx_rate == 50 &&
              f.calls[3].v.max_tx_rate == 1000);
        CHECK(strstr(log2, "eno4: VF 1: set VLAN=20 QoS=3 VLANProtocol=802.1Q\n") != NULL);

        /* the driver refuses VF 2's rate: the three earlier writes are put back, newest first */
        f = (struct fake) { .refuse_attr = VF_ATTR_RATE, .refuse_vf = 2, .refuse_error = EOPNOTSUPP,
                            .refuse_msg = "rate limiting is not supported" };
        log3 = capture(run_apply, &a);
        CHECK(a.r == -EOPNOTSUPP && f.n_calls == 7);
        CHECK(f.calls[4].attr == VF_ATTR_VLAN && f.calls[4].v.index == 1 && f.calls[4].v.vlan == 0);
        CHECK(f.calls[5].attr == VF_ATTR_MAC && f.calls[5].v.index == 1 && f.calls[5].v.mac[5] == 1);
        CHECK(f.calls[6].attr == VF_ATTR_TRUST && f.calls[6].v.index == 0 && f.calls[6].v.trust == 0);
        CHECK(strstr(log3, "eno4: VF 2: the driver refused MinTxRate=50 MaxTxRate=1000: Operation not supported "
                           "(kernel: rate limiting is not supported)") != NULL);
        CHECK(strstr(log3, "eno4: put back all 3 VF settings this start had changed") != NULL);

        /* a previous value the driver did not report cannot be put back: said so */
        cur[0].trust = -1;
        want[0].v.trust = 1;
        f = (struct fake) { .refuse_attr = VF_ATTR_MAC, .refuse_vf = 1, .refuse_error = EINVAL };
        log4 = capture(run_apply, &a);
        CHECK(a.r == -EINVAL && f.n_calls == 2);
        CHECK(strstr(log4, "eno4: VF 0: cannot put back the previous Trust=") != NULL);
        CHECK(strstr(log4, "eno4: 1 of 1 changed VF settings could not be put back") != NULL);
        CHECK(strstr(log4, "eno4: VF 1: the driver refused MACAddress=00:00:00:00:00:99: Invalid argument\n") != NULL);

        /* a VF the driver does not list: nothing written at all */
        link.n_vfs = 2;
        f = (struct fake) { .refuse_attr = -1 };
        free(capture(run_apply, &a));
        CHECK(a.r == -ENXIO && f.n_calls == 0);
}

/* ------------------------------------------------------------------------------------------
 * The messages
 */

static void put_vf(struct nlmsghdr *nlh, uint32_t vf, uint32_t trust) {
        struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_VF_INFO), *list, *stats;
        struct ifla_vf_mac mac = { .vf = vf, .mac = { 0x02, 0, 0, 0, 0, (uint8_t) (0x10 + vf) } };
        struct ifla_vf_broadcast bc;
        struct ifla_vf_vlan vlan = { .vf = vf, .vlan = 20 + vf, .qos = 3 };
        struct ifla_vf_rate rate = { .vf = vf, .min_tx_rate = 10, .max_tx_rate = 100 };
        struct ifla_vf_tx_rate txrate = { .vf = vf, .rate = 100 };
        struct ifla_vf_spoofchk spoof = { .vf = vf, .setting = 1 };
        struct ifla_vf_link_state ls = { .vf = vf, .link_state = IFLA_VF_LINK_STATE_DISABLE };
        struct ifla_vf_rss_query_en rss = { .vf = vf, .setting = UINT32_MAX };
        struct ifla_vf_trust tr = { .vf = vf, .setting = trust };
        struct ifla_vf_vlan_info vi = { .vf = vf, .vlan = 20 + vf, .qos = 3, .vlan_proto = htons(0x88a8) };

        /* the order of rtnl_fill_vfinfo(); the broadcast address starts with 0xff, not an index */
        memset(&bc, 0xff, sizeof(bc));
        mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(mac), &mac);
        mnl_attr_put(nlh, IFLA_VF_BROADCAST, sizeof(bc), &bc);
        mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof(vlan), &vlan);
        mnl_attr_put(nlh, IFLA_VF_RATE, sizeof(rate), &rate);
        mnl_attr_put(nlh, IFLA_VF_TX_RATE, sizeof(txrate), &txrate);
        mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, sizeof(spoof), &spoof);
        mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof(ls), &ls);
        mnl_attr_put(nlh, IFLA_VF_RSS_QUERY_EN, sizeof(rss), &rss);
        mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(tr), &tr);
        list = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);
        mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
        mnl_attr_nest_end(nlh, list);
        stats = mnl_attr_nest_start(nlh, IFLA_VF_STATS);
        mnl_attr_put_u64(nlh, IFLA_VF_STATS_RX_PACKETS, 12345);
        mnl_attr_nest_end(nlh, stats);
        mnl_attr_nest_end(nlh, info);
}

static void test_parse(void) {
        char *buf = xcalloc(1, 8192);
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        struct ifinfomsg *ifi;
        struct nlattr *list;
        struct pf_link l = {};
        const struct vf_info *v;

        nlh->nlmsg_type = RTM_NEWLINK;
        ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        ifi->ifi_index = 7;
        mnl_attr_put_strz(nlh, IFLA_IFNAME, "eno4");
        mnl_attr_put_u32(nlh, IFLA_NUM_VF, 2);
        list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
        /* listed out of order: the index comes from the attributes, not the position */
        put_vf(nlh, 1, 1);
        put_vf(nlh, 0, UINT32_MAX);
        mnl_attr_nest_end(nlh, list);

        CHECK(vfnl_parse_link(nlh, &l) == 0);
        CHECK(l.ifindex == 7 && l.has_num_vf && l.num_vf == 2 && l.n_vfs == 2);
        v = pf_link_find_vf(&l, 0);
        CHECK(v && v->has_mac && v->mac[0] == 0x02 && v->mac[5] == 0x10);
        CHECK(v && v->has_vlan && v->vlan == 20 && v->qos == 3 && v->vlan_proto == 0x88a8);
        CHECK(v && v->has_rate && v->min_tx_rate == 10 && v->max_tx_rate == 100);
        CHECK(v && v->spoofchk == 1 && v->link_state == IFLA_VF_LINK_STATE_DISABLE && v->trust == -1);
        v = pf_link_find_vf(&l, 1);
        CHECK(v && v->mac[5] == 0x11 && v->vlan == 21 && v->trust == 1);
        CHECK(!pf_link_find_vf(&l, 2));
        pf_link_done(&l);
        free(buf);
}

/* The one IFLA_VF_* attribute inside IFLA_VFINFO_LIST/IFLA_VF_INFO of a request, and the index. */
static const struct nlattr *request_attr(const struct nlmsghdr *nlh, int *ret_ifindex) {
        const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
        const struct nlattr *list, *info, *a, *found = NULL;
        unsigned n = 0;

        *ret_ifindex = ifi->ifi_index;
        mnl_attr_for_each(list, nlh, sizeof(*ifi)) {
                if (mnl_attr_get_type(list) != IFLA_VFINFO_LIST)
                        return NULL;
                mnl_attr_for_each_nested(info, list) {
                        if (mnl_attr_get_type(info) != IFLA_VF_INFO)
                                return NULL;
                        mnl_attr_for_each_nested(a, info) {
                                found = a;
                                n++;
                        }
                }
        }
        return n == 1 ? found : NULL;
}

static void test_requests(void) {
        char *buf = xcalloc(1, 8192);
        struct nlmsghdr *nlh;
        struct vf_info v;
        const struct nlattr *a, *vi;
        int ifindex;

        vf_info_init(&v, 5);
        memcpy(v.mac, "\x02\xaa\xbb\xcc\xdd\xee", 6);
        v.vlan = 100;
        v.qos = 2;
        v.vlan_proto = 0x88a8;
        v.min_tx_rate = 10;
        v.max_tx_rate = 2000;
        v.spoofchk = 0;
        v.link_state = IFLA_VF_LINK_STATE_ENABLE;
        v.trust = 1;

#define REQUEST(attr) (memset(buf, 0, 8192), nlh = mnl_nlmsg_put_header(buf), nlh->nlmsg_type = RTM_SETLINK, \
                       vfnl_put_setting(nlh, 9, (attr), &v), request_attr(nlh, &ifindex))
        a = REQUEST(VF_ATTR_MAC);
        CHECK(a && ifindex == 9 && mnl_attr_get_type(a) == IFLA_VF_MAC &&
              ((const struct ifla_vf_mac *) mnl_attr_get_payload(a))->vf == 5 &&
              memcmp(((const struct ifla_vf_mac *) mnl_attr_get_payload(a))->mac, v.mac, 6) == 0);
        a = REQUEST(VF_ATTR_VLAN);
        CHECK(a && mnl_attr_get_type(a) == IFLA_VF_VLAN_LIST);
        vi = a ? mnl_attr_get_payload(a) : NULL;
        CHECK(vi && mnl_attr_get_type(vi) == IFLA_VF_VLAN_INFO);
        if (vi) {
                const struct ifla_vf_vlan_info *info = mnl_attr_get_payload(vi);
                const uint8_t *proto = (const uint8_t *) &info->vlan_proto;
                CHECK(info->vf == 5 && info->vlan == 100 && info->qos == 2 && proto[0] == 0x88 && proto[1] == 0xa8);
        }
        a = REQUEST(VF_ATTR_RATE);
        CHECK(a && mnl_attr_get_type(a) == IFLA_VF_RATE &&
              ((const struct ifla_vf_rate *) mnl_attr_get_payload(a))->min_tx_rate == 10 &&
              ((const struct ifla_vf_rate *) mnl_attr_get_payload(a))->max_tx_rate == 2000);
        a = REQUEST(VF_ATTR_SPOOFCHK);
        CHECK(a && mnl_attr_get_type(a) == IFLA_VF_SPOOFCHK &&
              ((const struct ifla_vf_spoofchk *) mnl_attr_get_payload(a))->setting == 0);
        a = REQUEST(VF_ATTR_LINK_STATE);
        CHECK(a && mnl_attr_get_type(a) == IFLA_VF_LINK_STATE &&
              ((const struct ifla_vf_link_state *) mnl_attr_get_payload(a))->link_state == IFLA_VF_LINK_STATE_ENABLE);
        a = REQUEST(VF_ATTR_TRUST);
        CHECK(a && mnl_attr_get_type(a) == IFLA_VF_TRUST &&
              ((const struct ifla_vf_trust *) mnl_attr_get_payload(a))->setting == 1 &&
              ((const struct ifla_vf_trust *) mnl_attr_get_payload(a))->vf == 5);
#undef REQUEST
        free(buf);
}

int main(void) {
        char tmpl[] = "/tmp/test-vf-settings.d.XXXXXX";

        log_setup("test-vf-settings", LOG_TARGET_STDERR);
        tmpdir = mkdtemp(tmpl);
        if (!tmpdir)
                return perror("mkdtemp"), EXIT_FAILURE;

        test_plan();
        test_apply();
        test_parse();
        test_requests();

        {
                _cleanup_free_ char *cmd = xasprintf("rm -rf '%s'", tmpdir);
                (void) !system(cmd);
        }
        printf("%u passed, %u failed\n", n_passed, n_failed);
        return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

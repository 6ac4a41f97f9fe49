/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The loader, table-driven, with its diagnostics caught through struct diag's sink:
 *   1. every key of every kind's key table (read from the tables themselves, so a new
 *      key is tested the day it is added): values at and past its bounds, words of its
 *      enum, bad strings and lists, each refused with "FILE:LINE: ... invalid KEY=" at
 *      the key's own line, each good one kept;
 *   2. name rules, cross-checks within and across sections, the net graph and the line
 *      grammar, each case with the FILE:LINE message it must give (or none) and what
 *      must be left of the model.
 * Exit 0 when every check passed.
 */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers" /* the case table leaves empty lists out */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "model.h"
#include "section.h"
#include "util.h"

static unsigned n_pass, n_fail;

struct msg {
        int level;
        unsigned line;
        char *text;
};
static struct msg msgs[4096];
static size_t n_msgs;
static char *dir, *path;

static void sink(void *userdata, int level, const char *file, unsigned line, const char *msg) {
        (void) userdata;
        if (n_msgs < ELEMENTSOF(msgs) && streq(file, path))
                msgs[n_msgs++] = (struct msg) { level, line, xstrdup(msg) };
}

static void reset_msgs(void) {
        for (size_t i = 0; i < n_msgs; i++)
                free(msgs[i].text);
        n_msgs = 0;
}

static void dump_msgs(void) {
        for (size_t i = 0; i < n_msgs; i++)
                printf("    got %s:%u: %s: %s\n", path, msgs[i].line, msgs[i].level == LOG_ERR_LEVEL ? "error" : "warning",
                       msgs[i].text);
}

static struct conf *load(const char *text) {
        char *const paths[] = { path, NULL };
        struct diag d = { .sink = sink };
        struct conf *c = NULL;
        FILE *f;

        reset_msgs();
        f = fopen(path, "we");
        if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
                perror(path);
                exit(2);
        }
        unsigned disagreements = 0;
        if (conf_load_opts(&c, kinds_all, paths, &d, &disagreements) < 0 || !c) {
                printf("conf_load failed\n");
                exit(2);
        }
        /* every input: libinih read every line as the reader did (see load.c, take_line()) */
        if (disagreements) {
                n_fail++;
                printf("FAIL: libinih read %u line(s) otherwise than the reader in:\n%s\n", disagreements, text);
                dump_msgs();
        } else
                n_pass++;
        return c;
}

static void check(bool ok, const char *what, const char *text, ...) __attribute__((format(printf, 2, 4)));
static void check(bool ok, const char *what, const char *text, ...) {
        va_list ap;

        if (ok) {
                n_pass++;
                return;
        }
        n_fail++;
        printf("FAIL ");
        va_start(ap, text);
        vprintf(what, ap);
        va_end(ap);
        printf("\n  input:\n%s", text);
        dump_msgs();
}

/* An error (level) at line whose text contains substr. */
static bool has(int level, unsigned line, const char *substr) {
        for (size_t i = 0; i < n_msgs; i++)
                if (msgs[i].level == level && msgs[i].line == line && strstr(msgs[i].text, substr))
                        return true;
        return false;
}

static size_t n_level(int level) {
        size_t n = 0;
        for (size_t i = 0; i < n_msgs; i++)
                n += msgs[i].level == level;
        return n;
}

static unsigned count_lines(const char *s) {
        unsigned n = 0;
        for (; *s; s++)
                n += *s == '\n';
        return n;
}

/* ---- 1. every key of every table --------------------------------------------------------- */

/* A valid section of kind k that does not set key (except keys it needs), with its name. */
static const char *base_of(const struct kind *k, const char *key, const char **ret_name) {
        switch (k->id) {
        case KIND_SRIOV:
                *ret_name = "eth0";
                return "[SR-IOV eth0]\nVirtualFunctions = 4\nVLAN = 5\n";
        case KIND_VF:
                *ret_name = "eth0:1";
                return "[SR-IOV eth0]\nVirtualFunctions = 4\n[VF eth0:1]\nVLAN = 5\n";
        case KIND_HUGEPAGES:
                *ret_name = "2M";
                if (streq(key, "Pages") || streq(key, "NodePages"))
                        return "[Hugepages 2M]\nMount = /dev/hp\n";
                return "[Hugepages 2M]\nPages = 1\nMount = /dev/hp\n";
        case KIND_VLAN:
                *ret_name = "v1";
                return "[Bridge br0]\n[VLAN v1]\nLink = eth0\nId = 5\n";
        case KIND_BRIDGE:
                *ret_name = "br0";
                return "[Bridge br0]\n";
        case KIND_BOND:
                *ret_name = "bond0";
                if (streq(key, "LACPTransmitRate") || streq(key, "MinLinks") || streq(key, "TransmitHashPolicy"))
                        return "[Bond bond0]\nMode = 802.3ad\n";
                return "[Bond bond0]\n";
        case KIND_VIRTIOFS:
                *ret_name = "s0";
                if (streq(key, "SharedDir"))
                        return "[Virtiofs s0]\n";
                if (streq(key, "PosixACL"))
                        return "[Virtiofs s0]\nSharedDir = /srv/s0\nXattr = yes\n";
                return "[Virtiofs s0]\nSharedDir = /srv/s0\n";
        case KIND_LIBVIRT:
                *ret_name = NULL;
                return "[Libvirt]\n";
        }
        abort();
}

/* Sets key to value in a valid section of k: refused (with its FILE:LINE) or kept. */
static void try_value(const struct kind *k, const struct key_def *key, const char *value, bool good) {
        const char *name, *base = base_of(k, key->name, &name);
        _cleanup_free_ char *text = xasprintf("%s%s = %s\n", base, key->name, value);
        unsigned line = count_lines(base) + 1;
        struct conf *c = load(text);
        _cleanup_free_ char *invalid = xasprintf("invalid %s=", key->name);

        if (good)
                check(n_level(LOG_ERR_LEVEL) == 0 && (!name || conf_find(c, k, name)),
                      "[%s] %s=%s is valid: no error, section kept", text, k->type, key->name, value);
        else
                check(has(LOG_ERR_LEVEL, line, key->type == KEY_REFUSED ? "belongs in" : invalid) &&
                      (!name || !conf_find(c, k, name)),
                      "[%s] %s=%s is refused at line %u, section dropped", text, k->type, key->name, value, line);
        conf_free(c);
}

static void test_key_tables(void) {
        for (size_t i = 0; kinds_all[i]; i++) {
                const struct kind *k = kinds_all[i];

                /* the slug names the kind in status --json: lowercase letters, one per kind */
                bool slug_ok = k->slug && *k->slug && strspn(k->slug, "abcdefghijklmnopqrstuvwxyz") == strlen(k->slug);
                for (size_t j = 0; slug_ok && j < i; j++)
                        slug_ok = !streq(kinds_all[j]->slug, k->slug);
                check(slug_ok, "[%s] has a slug of its own (%s)", "", k->type, k->slug ? k->slug : "(none)");
                for (const struct key_def *key = k->keys; key->name; key++) {
                        char buf[64];

                        switch (key->type) {
                        case KEY_UINT:
                                snprintf(buf, sizeof(buf), "%llu", key->min);
                                try_value(k, key, buf, true);
                                snprintf(buf, sizeof(buf), "%llu", key->max);
                                try_value(k, key, buf, true);
                                snprintf(buf, sizeof(buf), "%llu", key->max + 1);
                                try_value(k, key, buf, false);
                                if (key->min > 0) {
                                        snprintf(buf, sizeof(buf), "%llu", key->min - 1);
                                        try_value(k, key, buf, false);
                                }
                                try_value(k, key, "-1", false);
                                try_value(k, key, "1x", false);
                                try_value(k, key, "", false);
                                try_value(k, key, "18446744073709551616", false);
                                break;
                        case KEY_BOOL:
                        case KEY_FLAG:
                                try_value(k, key, "yes", true);
                                try_value(k, key, "OFF", true);
                                try_value(k, key, "maybe", false);
                                try_value(k, key, "", false);
                                break;
                        case KEY_ENUM:
                                for (const struct key_enum *e = key->values; e->name; e++)
                                        try_value(k, key, e->name, true);
                                try_value(k, key, "bogus", false);
                                break;
                        case KEY_MAC:
                                try_value(k, key, "02:11:22:33:44:55", true);
                                try_value(k, key, "01:00:5e:00:00:01", false);
                                try_value(k, key, "00:00:00:00:00:00", false);
                                try_value(k, key, "02:11:22:33:44", false);
                                break;
                        case KEY_STRING:
                                try_value(k, key, "a/b", false);
                                try_value(k, key, "", false);
                                break;
                        case KEY_STRV:
                                try_value(k, key, "eth1 eth2", true);
                                try_value(k, key, "eth1 eth1", false);
                                try_value(k, key, "eth1 a/b", false);
                                break;
                        case KEY_CUSTOM:
                        case KEY_REFUSED:
                                break; /* below, by name */
                        }
                        if (key->type == KEY_REFUSED)
                                try_value(k, key, "02:11:22:33:44:55", false);
                }
        }
}

/* The keys whose values need more than their type says. */
static const struct {
        const char *type, *key, *value;
        bool good;
} custom_values[] = {
        { "SR-IOV", "Driver", "vfio-pci", true },
        { "VF", "Driver", "vfio-pci", true },
        { "VLAN", "Link", "eth9", true },
        { "Hugepages", "Group", "kvm", true },
        { "Hugepages", "Group", "-kvm", false },
        { "Hugepages", "NodePages", "0:1 1:2", true },
        { "Hugepages", "NodePages", "0:1 0:2", false },
        { "Hugepages", "NodePages", "1024:1", false },
        { "Hugepages", "NodePages", "0", false },
        { "Hugepages", "Mount", "/dev/hugepages1G", true },
        { "Hugepages", "Mount", "/mnt/huge", true },
        { "Hugepages", "Mount", "/dev/mqueue", false },
        { "Hugepages", "Mount", "/run/systemd/x", false },
        { "Hugepages", "Mount", "/var/lib/machines", false },
        { "Hugepages", "Mount", "/usr/x", false },
        { "Hugepages", "Mount", "/mnt", false },
        { "Hugepages", "Mount", "relative", false },
        { "Hugepages", "Mount", "/a/../b", false },
        { "Hugepages", "Mount", "/dev/h\xef\xbf\xbf", false }, /* U+FFFF: systemd refuses it in a unit file */
        { "Hugepages", "Mount", "/dev/h\xc3\xa9", true },
        { "Hugepages", "Mode", "1770", true },
        { "Hugepages", "Mode", "9", false },
        { "Hugepages", "Mode", "17777", false },
        { "Bond", "MIIMonitorSec", "100ms", true },
        { "Bond", "MIIMonitorSec", "2", true },
        { "Bond", "MIIMonitorSec", "1s", true },
        { "Bond", "MIIMonitorSec", "0", true },
        { "Bond", "MIIMonitorSec", "3601s", false },
        { "Bond", "MIIMonitorSec", "1m", false },
        { "Bond", "MIIMonitorSec", "ms", false },
        { "Virtiofs", "SharedDir", "/srv/vm-share", true },
        { "Virtiofs", "SharedDir", "/var/lib/libvirt/shares/a", true },
        { "Virtiofs", "SharedDir", "/home/u/x%y", true },
        { "Virtiofs", "SharedDir", "relative", false },
        { "Virtiofs", "SharedDir", "/", false },
        { "Virtiofs", "SharedDir", "/etc", false },
        { "Virtiofs", "SharedDir", "/run/x", false },
        { "Virtiofs", "SharedDir", "/proc", false },
        { "Virtiofs", "SharedDir", "/var/lib/systemd/x", false },
        { "Virtiofs", "SharedDir", "/srv/../etc", false },
        { "Virtiofs", "SharedDir", "/srv/a b", false },
        { "Virtiofs", "SharedDir", "/srv/a\"b", false },
        { "Virtiofs", "SharedDir", "/srv/a,b", false },
        { "Virtiofs", "SharedDir", "/srv/\xef\xb7\x90", false },
        { "Virtiofs", "SocketGroup", "kvm", true },
        { "Virtiofs", "SocketGroup", "107", true },
        { "Virtiofs", "SocketMode", "0660", true },
        { "Virtiofs", "SocketMode", "600", true },
        { "Virtiofs", "SocketMode", "0777", true },
        { "Virtiofs", "SocketMode", "0460", false },
        { "Virtiofs", "SocketMode", "1660", false },
        { "Virtiofs", "SocketMode", "0888", false },
        { "Virtiofs", "SocketMode", "", false },
        { "Libvirt", "Services", "libvirtd.service my@x.service", true },
        { "Libvirt", "Services", "libvirtd", false },
        { "Libvirt", "Services", "my@.service", false },
        { "Libvirt", "Services", "interface-vf@eno4.service", false },
        { "Libvirt", "Services", "hostvirt-vlan@v1.service", false },
};

static void test_custom_values(void) {
        for (size_t i = 0; i < ELEMENTSOF(custom_values); i++)
                for (size_t j = 0; kinds_all[j]; j++) {
                        const struct kind *k = kinds_all[j];
                        if (!streq(k->type, custom_values[i].type))
                                continue;
                        for (const struct key_def *key = k->keys; key->name; key++)
                                if (streq(key->name, custom_values[i].key))
                                        try_value(k, key, custom_values[i].value, custom_values[i].good);
                }
}

/* ---- 2. rules across keys, sections and lines --------------------------------------------- */

struct expect {
        int level;          /* 0: the end of the list */
        unsigned line;
        const char *text;
};

struct rule_case {
        const char *what;
        const char *input;
        struct expect expect[4];         /* every diagnostic, exactly */
        const char *kept[6];             /* "Type name" that must be in the model */
        const char *dropped[4];          /* "Type name" that must not */
};

#define E(l, t) { LOG_ERR_LEVEL, l, t }
#define W(l, t) { LOG_WARNING_LEVEL, l, t }

static const struct rule_case rule_cases[] = {
        /* names */
        { "a PCI PF is kept in lower case", "[SR-IOV 0000:0A:00.0]\nVirtualFunctions = 1\n", {},
          { "SR-IOV 0000:0a:00.0" } },
        { "[VF] of a PCI PF in another case is the same PF",
          "[SR-IOV 0000:0a:00.0]\nVirtualFunctions = 2\n[VF 0000:0A:00.0:1]\nDriver = vfio-pci\n", {},
          { "VF 0000:0a:00.0:1" } },
        { "a PF name with a slash", "[SR-IOV a/b]\nVirtualFunctions = 1\n",
          { E(1, "invalid physical function 'a/b'") } },
        { "a VF index past 65535", "[VF eth0:65536]\n", { E(1, "expected [VF <pf>:<index>]") } },
        { "a section without a name", "[VLAN]\n", { E(1, "needs a name") } },
        { "[Libvirt] with a name", "[Libvirt x]\n", { E(1, "takes no name") } },
        { "an unknown section", "[Bond0 x]\nMode = x\n", { W(1, "unknown section") } },
        { "a hugepage size", "[Hugepages 3X]\nPages = 1\n", { E(1, "invalid hugepage size") } },
        { "1G and 1048576kB are one section", "[Hugepages 1G]\nPages = 1\n[Hugepages 1048576kB]\nPages = 2\n", {},
          { "Hugepages 1G" } },
        /* within a section */
        { "SR-IOV without VirtualFunctions=", "[SR-IOV eth0]\nTrust = yes\n", { E(1, "has no VirtualFunctions=") },
          {}, { "SR-IOV eth0" } },
        { "QoS= without VLAN=", "[SR-IOV eth0]\nVirtualFunctions = 1\nQoS = 3\n", { E(3, "QoS= needs VLAN=") } },
        { "MinTxRate > MaxTxRate, at the later line",
          "[SR-IOV eth0]\nVirtualFunctions = 1\nMinTxRate = 100\nMaxTxRate = 10\n", { E(4, "exceeds MaxTxRate") } },
        { "a netlink key on a PCI PF",
          "[SR-IOV 0000:01:00.0]\nVirtualFunctions = 1\nTrust = yes\n", { E(3, "needs a network PF") } },
        { "a PCI PF takes Driver=", "[SR-IOV 0000:01:00.0]\nVirtualFunctions = 1\nDriver = vfio-pci\n", {},
          { "SR-IOV 0000:01:00.0" } },
        { "Pages= and NodePages=", "[Hugepages 2M]\nNodePages = 0:1\nPages = 1\n", { E(3, "both given") } },
        { "Hugepages without pages", "[Hugepages 2M]\nStrict = yes\n", { E(1, "needs Pages= or NodePages=") } },
        { "Mode= without Mount=", "[Hugepages 2M]\nPages = 1\nMode = 1770\n", { E(3, "needs Mount=") } },
        { "VLAN without Id=", "[VLAN v1]\nLink = eth0\n", { E(1, "needs Link= and Id=") } },
        { "VLAN on itself", "[VLAN v1]\nLink = v1\nId = 3\n", { E(2, "cannot be the VLAN itself") } },
        { "a bridge as its own port", "[Bridge br0]\nPorts = br0\n", { E(2, "its own port") } },
        { "merged keys: the later value wins",
          "[SR-IOV eth0]\nVirtualFunctions = 99999\n[SR-IOV eth0]\nVirtualFunctions = 2\n",
          { E(2, "invalid VirtualFunctions=99999") }, {}, { "SR-IOV eth0" } },
        /* across sections */
        { "a [VF] without its PF", "[VF eth0:0]\nTrust = yes\n", { E(1, "no valid [SR-IOV] section") } },
        { "a [VF] index past the PF's count", "[SR-IOV eth0]\nVirtualFunctions = 2\n[VF eth0:2]\nTrust = yes\n",
          { E(3, "not below VirtualFunctions=") } },
        { "two pools on one mount point",
          "[Hugepages 2M]\nPages = 1\nMount = /dev/hp\n[Hugepages 1G]\nPages = 1\nMount = /dev//hp/\n",
          { E(4, "is already the mount point") }, { "Hugepages 2M" }, { "Hugepages 1G" } },
        { "a VLAN and a bridge of one name", "[VLAN x]\nLink = eth0\nId = 2\n[Bridge x]\n",
          { E(4, "already declared as [VLAN x]") }, { "VLAN x" }, { "Bridge x" } },
        /* the net graph */
        { "a port in two bridges", "[Bridge a]\nPorts = eth1\n[Bridge b]\nPorts = eth1\n",
          { E(3, "already a port of [Bridge a]") }, { "Bridge a" }, { "Bridge b" } },
        { "a bridge as a bridge port", "[Bridge a]\n[Bridge b]\nPorts = a\n",
          { E(2, "a [Bridge] cannot be a port of a [Bridge]") }, { "Bridge a" }, { "Bridge b" } },
        { "Bridge= to an undeclared bridge", "[VLAN v]\nLink = eth0\nId = 2\nBridge = nob\n",
          { E(1, "Bridge=nob is not a declared [Bridge]") }, {}, { "VLAN v" } },
        { "Bridge= one bridge, Ports= of another",
          "[Bridge a]\n[Bridge b]\nPorts = v\n[VLAN v]\nLink = eth0\nId = 2\nBridge = a\n",
          { E(2, "its [VLAN] section says Bridge=a") }, { "Bridge a", "VLAN v" }, { "Bridge b" } },
        { "Bridge= makes the VLAN a port", "[Bridge a]\n[VLAN v]\nLink = eth0\nId = 2\nBridge = a\n", {},
          { "Bridge a", "VLAN v" } },
        { "a VLAN loop: the member declared last goes",
          "[VLAN a]\nLink = b\nId = 2\n[VLAN b]\nLink = a\nId = 3\n", { E(4, "make a loop") }, { "VLAN a" },
          { "VLAN b" } },
        { "a loop through a bridge", "[Bridge br]\nPorts = v\n[VLAN v]\nLink = br\nId = 2\n",
          { E(3, "make a loop") }, { "Bridge br" }, { "VLAN v" } },
        { "the 65th port of a bridge still counts for loops",
          "[Bridge br]\nPorts = p1 p2 p3 p4 p5 p6 p7 p8 p9 p10 p11 p12 p13 p14 p15 p16 p17 p18 p19 p20\n"
          "  p21 p22 p23 p24 p25 p26 p27 p28 p29 p30 p31 p32 p33 p34 p35 p36 p37 p38 p39 p40\n"
          "  p41 p42 p43 p44 p45 p46 p47 p48 p49 p50 p51 p52 p53 p54 p55 p56 p57 p58 p59 p60\n"
          "  p61 p62 p63 p64 loop\n"
          "[VLAN loop]\nLink = br\nId = 9\n",
          { E(6, "make a loop") }, { "Bridge br" }, { "VLAN loop" } },
        { "Bridge= to a bridge dropped for a loop: the VLAN goes too",
          "[VLAN onbr]\nLink = brC\nId = 14\n[Bridge brC]\nPorts = onbr\n[VLAN v]\nLink = eth1\nId = 15\n"
          "Bridge = brC\n",
          { E(4, "make a loop"), E(6, "Bridge=brC, which is ignored for its errors") }, { "VLAN onbr" },
          { "Bridge brC", "VLAN v" } },
        { "a diamond is no loop",
          "[Bridge b0]\n[VLAN x]\nLink = b0\nId = 2\n[VLAN y]\nLink = b0\nId = 3\n[Bridge b1]\nPorts = x y\n", {},
          { "Bridge b0", "VLAN x", "VLAN y", "Bridge b1" } },
        /* bonds */
        { "LACPTransmitRate= with another mode", "[Bond b]\nMode = active-backup\nLACPTransmitRate = fast\n",
          { E(3, "applies to Mode=802.3ad only") }, {}, { "Bond b" } },
        { "MinLinks= before Mode=: at the later line", "[Bond b]\nMinLinks = 2\nMode = balance-rr\n",
          { E(3, "applies to Mode=802.3ad only") }, {}, { "Bond b" } },
        { "TransmitHashPolicy= with active-backup", "[Bond b]\nMode = active-backup\nTransmitHashPolicy = layer2\n",
          { E(3, "TransmitHashPolicy= applies to") } },
        { "bond -> VLAN -> bridge",
          "[Bond bond0]\nPorts = eno1 eno2\nMode = 802.3ad\n[VLAN vlan20]\nLink = bond0\nId = 20\nBridge = br20\n"
          "[Bridge br20]\n", {}, { "Bond bond0", "VLAN vlan20", "Bridge br20" } },
        { "a bond as a bridge port", "[Bond bond0]\nPorts = eno1\n[Bridge br0]\nPorts = bond0\n", {},
          { "Bond bond0", "Bridge br0" } },
        { "a bond's port in a bridge", "[Bond bond0]\nPorts = eno1\n[Bridge br0]\nPorts = eno1\n",
          { E(3, "already a port of [Bond bond0]") }, { "Bond bond0" }, { "Bridge br0" } },
        { "a port in two bonds", "[Bond a]\nPorts = eno1\n[Bond b]\nPorts = eno1\n",
          { E(3, "already a port of [Bond a]") }, { "Bond a" }, { "Bond b" } },
        { "a VLAN as a bond port", "[VLAN v]\nLink = eth0\nId = 2\n[Bond b]\nPorts = v\n",
          { E(4, "a [VLAN] cannot be a port of a [Bond]") }, { "VLAN v" }, { "Bond b" } },
        { "a bond on its own VLAN is refused", "[Bond b]\nPorts = b\n", { E(2, "its own port") } },
        { "a bond and a bridge of one name", "[Bridge x]\n[Bond x]\n", { E(2, "already declared as [Bridge x]") },
          { "Bridge x" }, { "Bond x" } },
        /* the grammar */
        { "a BOM before a [VF] header mid-file",
          "[SR-IOV eno4]\nVirtualFunctions = 2\n\xef\xbb\xbf[VF eno4:1]\nTrust = yes\n",
          { E(3, "byte order mark") }, { "SR-IOV eno4" }, { "VF eno4:1" } },
        { "a comment on a continuation line", "[Bridge br0]\nPorts = eth8 ; first\n\teth10 ; second\n", {},
          { "Bridge br0" } },
        { "a CR before the end of a file without newline",
          "[SR-IOV cr]\nVirtualFunctions = 1\nDriver = vf\rx", { E(3, "control character (0x0d)") }, {},
          { "SR-IOV cr" } },
        { "198 bytes with CRLF",
          "[SR-IOV crlf]\r\nVirtualFunctions = 1\r\nX-Pad = "
          "ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
          "ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\r\n",
          {}, { "SR-IOV crlf" } },
        { "an indented key is a key", "[Bridge br0]\nPorts = eth1\n  eth2\n  STP = yes\n", {}, { "Bridge br0" } },
        { "text after a header", "[VLAN v1] Link = eth0\nLink = eth0\nId = 5\n",
          { E(1, "text after the section header") }, {}, { "VLAN v1" } },
        { "a key with a blank in its name", "[SR-IOV eth0]\nVirtualFunctions = 1\nVirtual Functions = 2\n",
          { E(3, "expected KEY=VALUE") }, {}, { "SR-IOV eth0" } },
        /* the message shows 40 bytes of the line, without its trailing blanks, and "..." after more */
        { "a bad line of 41 bytes is cut", "[Bridge br0]\nx123456789x123456789x123456789x123456789Z\n",
          { E(2, "got 'x123456789x123456789x123456789x123456789...'") }, {}, { "Bridge br0" } },
        { "a bad line of 40 bytes and blanks is whole", "[Bridge br0]\nx123456789x123456789x123456789x123456789 \t \n",
          { E(2, "got 'x123456789x123456789x123456789x123456789', ignoring") }, {}, { "Bridge br0" } },
        { "a key outside any section", "Trust = yes\n", { W(1, "outside of any section") } },
        { "an unknown key", "[Bridge br0]\nColour = red\n", { W(2, "unknown key 'Colour'") }, { "Bridge br0" } },
        { "X- keys are the admin's", "[Bridge br0]\nX-Note = rack 4\n", {}, { "Bridge br0" } },
        { "Key = ; note is empty", "[Libvirt]\nServices = ; none\n", {} },
};

static void *find_named(const struct conf *c, const char *spec) {
        _cleanup_free_ char *s = xstrdup(spec);
        char *name = strchr(s, ' ');

        *name++ = '\0';
        for (size_t i = 0; kinds_all[i]; i++)
                if (streq(kinds_all[i]->type, s))
                        return conf_find(c, kinds_all[i], name);
        return NULL;
}

static void test_rules(void) {
        for (size_t i = 0; i < ELEMENTSOF(rule_cases); i++) {
                const struct rule_case *t = &rule_cases[i];
                struct conf *c = load(t->input);
                size_t n = 0;
                bool ok = true;

                for (; n < ELEMENTSOF(t->expect) && t->expect[n].level; n++)
                        ok = ok && has(t->expect[n].level, t->expect[n].line, t->expect[n].text);
                check(ok && n == n_msgs, "%s: exactly the expected diagnostics", t->input, t->what);
                for (size_t k = 0; k < ELEMENTSOF(t->kept) && t->kept[k]; k++)
                        check(find_named(c, t->kept[k]), "%s: %s is kept", t->input, t->what, t->kept[k]);
                for (size_t k = 0; k < ELEMENTSOF(t->dropped) && t->dropped[k]; k++)
                        check(!find_named(c, t->dropped[k]), "%s: %s is dropped", t->input, t->what, t->dropped[k]);
                conf_free(c);
        }
}

/* Values that only the model shows. */
static void test_values(void) {
        struct conf *c;
        struct conf_bridge *b;
        struct conf_hugepages *h;

        c = load("[Bridge br0]\nPorts = eth8 ; first\n\teth10 ; second\n");
        b = conf_find_bridge(c, "br0");
        check(b && b->n_ports == 2 && streq(b->ports[0], "eth8") && streq(b->ports[1], "eth10"),
              "continuation comments are not ports", "");
        conf_free(c);

        c = load("[Bridge br0]\nPorts = eth1\n  eth2\n  STP = yes\n");
        b = conf_find_bridge(c, "br0");
        check(b && b->n_ports == 2 && b->stp == 1, "an indented STP= is STP, not a port", "");
        conf_free(c);

        c = load("[Bridge a]\n[VLAN v]\nLink = eth0\nId = 2\nBridge = a\n");
        b = conf_find_bridge(c, "a");
        check(b && b->n_ports == 1 && streq(b->ports[0], "v"), "Bridge= adds the VLAN to the bridge's ports", "");
        conf_free(c);

        c = load("[Hugepages 2M]\nPages = 4\nMount = /dev//hp/./\n");
        h = conf_find_hugepages(c, "2M");
        check(h && h->pages == 4 && streq(h->mount, "/dev/hp"), "Mount= is normalized", "");
        conf_free(c);

        c = load("[Libvirt]\nServices = a.service\n[Libvirt]\nOrder = no\n");
        check(conf_libvirt(c)->n_services == 1 && !conf_libvirt(c)->order, "[Libvirt] sections merge", "");
        conf_free(c);

        c = load("");
        check(conf_libvirt(c)->n_services == 2 && conf_libvirt(c)->order, "[Libvirt] defaults", "");
        conf_free(c);
}

int main(void) {
        char tmpl[] = "/tmp/hostvirt-test-loader.XXXXXX";

        unsetenv("HOSTVIRT_ROOT"); /* absolute paths would be re-rooted */
        dir = mkdtemp(tmpl);
        if (!dir) {
                perror("mkdtemp");
                return 2;
        }
        path = xasprintf("%s/test.conf", dir);

        test_key_tables();
        test_custom_values();
        test_rules();
        test_values();

        reset_msgs();
        unlink(path);
        rmdir(dir);
        free(path);
        printf("%u passed, %u failed\n", n_pass, n_fail);
        return n_fail == 0 ? 0 : 1;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "escape.h"
#include "fuzz-common.h"
#include "log.h"
#include "util.h"

_Noreturn void fuzz_fail(const char *file, int line, const char *fmt, ...) {
        va_list ap;

        fprintf(stderr, "%s:%d: invariant violated: ", file, line);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        abort();
}

static char *scratch;

static void rm_scratch(void) {
        int fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd >= 0) {
                fuzz_clear_dir(fd);
                close(fd);
        }
        (void) rmdir(scratch);
}

char *fuzz_scratch_dir(const char *what) {
        const char *tmp = getenv("TMPDIR");
        char *d;

        if (!tmp || !*tmp)
                tmp = access("/dev/shm", W_OK) >= 0 ? "/dev/shm" : "/tmp";
        d = xasprintf("%s/hostvirt-fuzz-%s.XXXXXX", tmp, what);
        if (!mkdtemp(d))
                fuzz_fail(__FILE__, __LINE__, "mkdtemp %s: %s", d, strerror(errno));
        /* one scratch directory per process; libFuzzer exits through exit() */
        scratch = d;
        atexit(rm_scratch);
        return d;
}

void fuzz_write_file(int dirfd, const char *name, const void *data, size_t size, unsigned mode) {
        int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);

        if (fd < 0)
                fuzz_fail(__FILE__, __LINE__, "create %s: %s", name, strerror(errno));
        if (size > 0 && write(fd, data, size) != (ssize_t) size)
                fuzz_fail(__FILE__, __LINE__, "write %s: %s", name, strerror(errno));
        (void) fchmod(fd, mode); /* the umask must not decide what the loader sees */
        close(fd);
}

void fuzz_clear_dir(int dirfd) {
        int fd = dup(dirfd);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;

        if (!d)
                fuzz_fail(__FILE__, __LINE__, "opendir: %s", strerror(errno));
        rewinddir(d); /* the dup shares the file offset with dirfd: start from the top */
        while ((de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (de->d_type == DT_DIR) {
                        int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0)
                                fuzz_fail(__FILE__, __LINE__, "open %s: %s", de->d_name, strerror(errno));
                        fuzz_clear_dir(sub);
                        close(sub);
                        if (unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0)
                                fuzz_fail(__FILE__, __LINE__, "rmdir %s: %s", de->d_name, strerror(errno));
                } else if (unlinkat(dirfd, de->d_name, 0) < 0)
                        fuzz_fail(__FILE__, __LINE__, "unlink %s: %s", de->d_name, strerror(errno));
        }
        closedir(d);
}

void fuzz_setup_logging(void) {
        /* Diagnostics are still formatted (diag_* builds each message before it is held back),
         * only not printed. */
        if (!getenv("FUZZ_VERBOSE"))
                log_set_max_level(0);
}

/* ---- the model ---- */

/* UTF-8 as systemd's utf8_is_valid() takes it: systemd ignores a setting that is not. */
static bool utf8_ok(const char *s) {
        for (const unsigned char *p = (const unsigned char *) s; *p;) {
                unsigned len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
                uint32_t c;

                if (len == 0)
                        return false;
                c = len == 1 ? *p : *p & (0x7fu >> len);
                for (unsigned i = 1; i < len; i++) {
                        if ((p[i] & 0xc0) != 0x80)
                                return false;
                        c = c << 6 | (p[i] & 0x3f);
                }
                if ((len > 1 && c < (len == 2 ? 0x80u : len == 3 ? 0x800u : 0x10000u)) || c >= 0x110000 ||
                    (c & 0xfffff800) == 0xd800 || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
                        return false;
                p += len;
        }
        return true;
}

static bool in_files(const struct conf *c, const struct conf_loc *loc) {
        for (size_t i = 0; i < c->n_files; i++)
                if (c->files[i] == loc->file)
                        return loc->line >= 1;
        return false;
}

static bool has_netlink_settings(const struct vf_settings *v) {
        return v->has_mac || v->vlan != CONF_UNSET || v->qos != CONF_UNSET || v->vlan_proto != CONF_UNSET ||
               v->trust != CONF_UNSET || v->spoof_check != CONF_UNSET || v->link_state != CONF_UNSET ||
               v->max_tx_rate != CONF_UNSET || v->min_tx_rate != CONF_UNSET;
}

static bool mac_usable(const uint8_t m[6]) {
        return !(m[0] & 1) && (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]);
}

static bool tristate(int v) {
        return v == CONF_UNSET || v == 0 || v == 1;
}

static void check_vf_settings(const char *what, const struct vf_settings *v) {
        fuzz_assert(v->vlan == CONF_UNSET || (v->vlan >= 0 && v->vlan <= 4095), "%s: VLAN=%d", what, v->vlan);
        fuzz_assert(v->qos == CONF_UNSET || (v->qos >= 0 && v->qos <= 7), "%s: QoS=%d", what, v->qos);
        fuzz_assert(v->qos == CONF_UNSET || v->vlan != CONF_UNSET, "%s: QoS= without VLAN=", what);
        fuzz_assert(v->vlan_proto == CONF_UNSET || v->vlan_proto == 0x8100 || v->vlan_proto == 0x88a8,
                    "%s: VLANProtocol=%#x", what, v->vlan_proto);
        fuzz_assert(tristate(v->trust) && tristate(v->spoof_check), "%s: Trust/SpoofCheck", what);
        fuzz_assert(v->link_state == CONF_UNSET || (v->link_state >= 0 && v->link_state <= 2), "%s: LinkState", what);
        fuzz_assert(v->max_tx_rate == CONF_UNSET || (v->max_tx_rate >= 0 && v->max_tx_rate <= UINT32_MAX),
                    "%s: MaxTxRate", what);
        fuzz_assert(v->min_tx_rate == CONF_UNSET || (v->min_tx_rate >= 0 && v->min_tx_rate <= UINT32_MAX),
                    "%s: MinTxRate", what);
        fuzz_assert(!(v->min_tx_rate > 0 && v->max_tx_rate > 0 && v->min_tx_rate > v->max_tx_rate),
                    "%s: MinTxRate > MaxTxRate", what);
        fuzz_assert(!v->has_mac || mac_usable(v->mac), "%s: unusable MACAddress", what);
        if (v->driver) {
                size_t n = strlen(v->driver);
                fuzz_assert(n >= 1 && n <= 64 && strspn(v->driver, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                                  "0123456789_-") == n,
                            "%s: Driver=%s", what, v->driver);
        }
}

static void check_sriov(const struct conf *c) {
        for (size_t i = 0; i < CONF_N(c, SRIOV); i++) {
                const struct conf_sriov *pf = CONF_AT(c, SRIOV, conf_sriov, i);
                struct vf_settings eff;

                fuzz_assert(pf->is_pci == pci_address_valid(pf->name), "[SR-IOV %s]: is_pci", pf->name);
                fuzz_assert(pf->is_pci || ifname_valid(pf->name), "[SR-IOV %s]: invalid name", pf->name);
                fuzz_assert(in_files(c, &pf->loc), "[SR-IOV %s]: location", pf->name);
                fuzz_assert(conf_find_sriov(c, pf->name) == pf, "[SR-IOV %s] twice", pf->name);
                fuzz_assert(pf->num_vfs <= 65535, "[SR-IOV %s]: VirtualFunctions=%u", pf->name, pf->num_vfs);
                fuzz_assert(tristate(pf->autoprobe), "[SR-IOV %s]: DriversAutoprobe", pf->name);
                fuzz_assert(pf->mac_policy == MAC_POLICY_KEEP || pf->mac_policy == MAC_POLICY_PERSISTENT,
                            "[SR-IOV %s]: MACAddressPolicy", pf->name);
                fuzz_assert(pf->timeout_sec <= 86400, "[SR-IOV %s]: TimeoutSec", pf->name);
                fuzz_assert(conf_sriov_timeout(pf) >= 1, "[SR-IOV %s]: timeout 0", pf->name);
                fuzz_assert(!pf->defaults.has_mac, "[SR-IOV %s]: a PF-wide MACAddress", pf->name);
                fuzz_assert(!pf->is_pci || !has_netlink_settings(&pf->defaults),
                            "[SR-IOV %s]: netlink settings on a PCI PF", pf->name);
                if (pf->driver)
                        fuzz_assert(pf->driver[0], "[SR-IOV %s]: empty Driver", pf->name);
                check_vf_settings(pf->name, &pf->defaults);

                for (size_t j = 0; j < pf->n_vfs; j++) {
                        const struct conf_vf *vf = pf->vfs[j];
                        fuzz_assert(streq(vf->pf, pf->name), "[VF %s:%u] linked to %s", vf->pf, vf->index, pf->name);
                        fuzz_assert(vf->index < pf->num_vfs, "[VF %s:%u] beyond VirtualFunctions=%u", vf->pf,
                                    vf->index, pf->num_vfs);
                        fuzz_assert(j == 0 || pf->vfs[j - 1]->index < vf->index, "[VF %s:%u] unsorted or twice",
                                    vf->pf, vf->index);
                        fuzz_assert(!pf->is_pci || !has_netlink_settings(&vf->set), "[VF %s:%u] netlink on PCI",
                                    vf->pf, vf->index);
                        fuzz_assert(in_files(c, &vf->loc), "[VF %s:%u]: location", vf->pf, vf->index);
                        check_vf_settings(vf->pf, &vf->set);
                }
                /* what the helper will apply, for a few indexes */
                for (unsigned k = 0; k < pf->num_vfs && k < 4; k++) {
                        conf_vf_effective(pf, k, &eff);
                        fuzz_assert(eff.qos == CONF_UNSET || eff.vlan != CONF_UNSET,
                                    "[SR-IOV %s] VF %u: QoS without VLAN after overlay", pf->name, k);
                        fuzz_assert(eff.vlan_proto == CONF_UNSET || eff.vlan_proto == 0x8100 ||
                                    eff.vlan_proto == 0x88a8, "VF %u: VLANProtocol", k);
                }
        }
        for (size_t i = 0; i < CONF_N(c, VF); i++) {
                const struct conf_sriov *pf = conf_find_sriov(c, CONF_AT(c, VF, conf_vf, i)->pf);
                bool linked = false;

                fuzz_assert(pf, "[VF %s:%u] without its PF", CONF_AT(c, VF, conf_vf, i)->pf, CONF_AT(c, VF, conf_vf, i)->index);
                for (size_t j = 0; j < pf->n_vfs; j++)
                        linked |= pf->vfs[j] == CONF_AT(c, VF, conf_vf, i);
                fuzz_assert(linked, "[VF %s:%u] not linked from its PF", CONF_AT(c, VF, conf_vf, i)->pf, CONF_AT(c, VF, conf_vf, i)->index);
        }
}

static void check_hugepages(const struct conf *c) {
        for (size_t i = 0; i < CONF_N(c, HUGEPAGES); i++) {
                const struct conf_hugepages *h = CONF_AT(c, HUGEPAGES, conf_hugepages, i);
                _cleanup_free_ char *name = format_size_kb(h->size_kb);
                uint64_t kb = 0;

                fuzz_assert(h->size_kb > 0 && streq(name, h->name), "[Hugepages %s]: size %llu kB", h->name,
                            (unsigned long long) h->size_kb);
                fuzz_assert(parse_size_kb(h->name, &kb) >= 0 && kb == h->size_kb, "[Hugepages %s]: name does not parse",
                            h->name);
                fuzz_assert(conf_find_hugepages(c, h->name) == h, "[Hugepages %s] twice", h->name);
                fuzz_assert(in_files(c, &h->loc), "[Hugepages %s]: location", h->name);
                fuzz_assert((h->pages >= 0 && h->n_node_pages == 0) || (h->pages == CONF_UNSET && h->n_node_pages > 0),
                            "[Hugepages %s]: Pages=%ld with %zu NodePages", h->name, h->pages, h->n_node_pages);
                for (size_t a = 0; a < h->n_node_pages; a++)
                        for (size_t b = 0; b < a; b++)
                                fuzz_assert(h->node_pages[a].node != h->node_pages[b].node,
                                            "[Hugepages %s]: node %u twice", h->name, h->node_pages[a].node);
                fuzz_assert(!h->has_mode || h->mode <= 07777, "[Hugepages %s]: Mode=%o", h->name, h->mode);
                fuzz_assert(h->mount || (!h->has_mode && !h->group), "[Hugepages %s]: Mode/Group without Mount",
                            h->name);
                if (h->mount) {
                        _cleanup_free_ char *e = unit_escape_path(h->mount);
                        fuzz_assert(h->mount[0] == '/' && e && !streq(e, "-"), "[Hugepages %s]: Mount=%s", h->name,
                                    h->mount);
                        fuzz_assert(strlen(e) + strlen(".mount") <= 255, "[Hugepages %s]: mount unit name too long",
                                    h->name);
                        fuzz_assert(!strstr(h->mount, "//") && !strstr(h->mount, "/./") && !endswith(h->mount, "/.") &&
                                    !endswith(h->mount, "/"), "[Hugepages %s]: Mount=%s is not normalized", h->name,
                                    h->mount);
                        fuzz_assert(utf8_ok(h->mount), "[Hugepages %s]: Mount= is not UTF-8", h->name);
                        fuzz_assert(!streq(h->mount, "/dev") && !streq(h->mount, "/run") && !streq(h->mount, "/proc") &&
                                    !streq(h->mount, "/sys") && !startswith(h->mount, "/proc/") &&
                                    !startswith(h->mount, "/sys/") && !streq(h->mount, "/dev/shm") &&
                                    !streq(h->mount, "/dev/pts"),
                                    "[Hugepages %s]: Mount=%s is an API file system", h->name, h->mount);
                        fuzz_assert(!isspace((unsigned char) h->mount[strlen(h->mount) - 1]),
                                    "[Hugepages %s]: Mount= ends in a blank (systemd would strip it from Where=)", h->name);
                        for (const char *m = h->mount; *m; m++)
                                fuzz_assert(((unsigned char) *m >= 0x20 || *m == '\t') && *m != 0x7f,
                                            "[Hugepages %s]: control character in Mount=", h->name);
                        for (size_t j = 0; j < i; j++)
                                fuzz_assert(!CONF_AT(c, HUGEPAGES, conf_hugepages, j)->mount || !streq(CONF_AT(c, HUGEPAGES, conf_hugepages, j)->mount, h->mount),
                                            "Mount=%s twice", h->mount);
                }
        }
}

static void check_net(const struct conf *c) {
        for (size_t i = 0; i < CONF_N(c, VLAN); i++) {
                const struct conf_vlan *v = CONF_AT(c, VLAN, conf_vlan, i);

                fuzz_assert(ifname_valid(v->name) && ifname_valid(v->link), "[VLAN %s]: names", v->name);
                fuzz_assert(!streq(v->name, v->link), "[VLAN %s] on itself", v->name);
                fuzz_assert(v->id >= 1 && v->id <= 4094, "[VLAN %s]: Id=%u", v->name, v->id);
                fuzz_assert(v->protocol == 0x8100 || v->protocol == 0x88a8, "[VLAN %s]: Protocol", v->name);
                fuzz_assert(v->mtu == 0 || (v->mtu >= 68 && v->mtu <= 65535), "[VLAN %s]: MTU", v->name);
                fuzz_assert(conf_find_vlan(c, v->name) == v, "[VLAN %s] twice", v->name);
                fuzz_assert(!conf_find_bridge(c, v->name), "%s is a VLAN and a bridge", v->name);
                fuzz_assert(in_files(c, &v->loc), "[VLAN %s]: location", v->name);
                if (v->bridge) {
                        const struct conf_bridge *b = conf_find_bridge(c, v->bridge);
                        fuzz_assert(b && strv_contains(b->ports, v->name), "[VLAN %s]: Bridge=%s not honoured",
                                    v->name, v->bridge);
                }
        }
        for (size_t i = 0; i < CONF_N(c, BRIDGE); i++) {
                const struct conf_bridge *b = CONF_AT(c, BRIDGE, conf_bridge, i);

                fuzz_assert(ifname_valid(b->name), "[Bridge %s]: name", b->name);
                fuzz_assert(conf_find_bridge(c, b->name) == b, "[Bridge %s] twice", b->name);
                fuzz_assert(in_files(c, &b->loc), "[Bridge %s]: location", b->name);
                fuzz_assert(tristate(b->stp) && tristate(b->vlan_filtering), "[Bridge %s]: booleans", b->name);
                fuzz_assert(b->forward_delay_sec == CONF_UNSET || (b->forward_delay_sec >= 2 && b->forward_delay_sec <= 30),
                            "[Bridge %s]: ForwardDelaySec", b->name);
                fuzz_assert(b->mtu == 0 || (b->mtu >= 68 && b->mtu <= 65535), "[Bridge %s]: MTU", b->name);
                fuzz_assert(!b->has_mac || mac_usable(b->mac), "[Bridge %s]: MACAddress", b->name);
                fuzz_assert(b->ports && !b->ports[b->n_ports], "[Bridge %s]: ports vector", b->name);
                for (size_t p = 0; p < b->n_ports; p++) {
                        const struct conf_vlan *v = conf_find_vlan(c, b->ports[p]);

                        fuzz_assert(ifname_valid(b->ports[p]), "[Bridge %s]: port name", b->name);
                        fuzz_assert(!streq(b->ports[p], b->name), "[Bridge %s] is its own port", b->name);
                        fuzz_assert(!conf_find_bridge(c, b->ports[p]), "[Bridge %s]: bridge %s as a port", b->name,
                                    b->ports[p]);
                        fuzz_assert(!v || !streq(v->link, b->name), "[Bridge %s]: port %s is a VLAN on it", b->name,
                                    b->ports[p]);
                        fuzz_assert(!v || !v->bridge || streq(v->bridge, b->name), "[Bridge %s]: port %s says Bridge=%s",
                                    b->name, b->ports[p], v->bridge);
                        for (size_t q = 0; q < p; q++)
                                fuzz_assert(!streq(b->ports[p], b->ports[q]), "[Bridge %s]: port %s twice", b->name,
                                            b->ports[p]);
                        for (size_t j = 0; j < i; j++)
                                fuzz_assert(!strv_contains(CONF_AT(c, BRIDGE, conf_bridge, j)->ports, b->ports[p]),
                                            "port %s in two bridges", b->ports[p]);
                }
        }
}

/* A VLAN on a bridge whose port is that VLAN (or any longer loop) could never come up: the
 * loader drops one of them.  Depth-first search over Link= and Ports= between declared names. */
static bool net_reaches(const struct conf *c, const char *from, const char *target, unsigned depth) {
        const struct conf_vlan *v = conf_find_vlan(c, from);
        const struct conf_bridge *b = conf_find_bridge(c, from);

        if (depth > CONF_N(c, VLAN) + CONF_N(c, BRIDGE))
                return false;
        if (v && (streq(v->link, target) || net_reaches(c, v->link, target, depth + 1)))
                return true;
        for (size_t i = 0; b && i < b->n_ports; i++)
                if (streq(b->ports[i], target) || net_reaches(c, b->ports[i], target, depth + 1))
                        return true;
        return false;
}

static void check_net_loops(const struct conf *c) {
        for (size_t i = 0; i < CONF_N(c, VLAN); i++)
                fuzz_assert(!net_reaches(c, CONF_AT(c, VLAN, conf_vlan, i)->name, CONF_AT(c, VLAN, conf_vlan, i)->name, 0), "[VLAN %s] is on a loop",
                            CONF_AT(c, VLAN, conf_vlan, i)->name);
        for (size_t i = 0; i < CONF_N(c, BRIDGE); i++)
                fuzz_assert(!net_reaches(c, CONF_AT(c, BRIDGE, conf_bridge, i)->name, CONF_AT(c, BRIDGE, conf_bridge, i)->name, 0), "[Bridge %s] is on a loop",
                            CONF_AT(c, BRIDGE, conf_bridge, i)->name);
}

/* [Virtiofs]: what goes into unit files and virtiofsd's arguments is what the rules allow. */
static void check_virtiofs(const struct conf *c) {
        for (size_t i = 0; i < CONF_N(c, VIRTIOFS); i++) {
                const struct conf_virtiofs *v = CONF_AT(c, VIRTIOFS, conf_virtiofs, i);
                const char *d = v->shared_dir;

                fuzz_assert(virtiofs_tag_valid(v->name) && strlen(v->name) <= VIRTIOFS_TAG_MAX, "[Virtiofs %s]: tag",
                            v->name);
                fuzz_assert(conf_find_virtiofs(c, v->name) == v, "[Virtiofs %s] twice", v->name);
                fuzz_assert(in_files(c, &v->loc), "[Virtiofs %s]: location", v->name);
                fuzz_assert(d && d[0] == '/' && !streq(d, "/") && utf8_ok(d) && !strpbrk(d, " \t\"'\\,") &&
                            !strstr(d, "//") && !strstr(d, "/./") && !strstr(d, "/../") && !endswith(d, "/") &&
                            !endswith(d, "/.") && !endswith(d, "/.."),
                            "[Virtiofs %s]: SharedDir=%s", v->name, d ? d : "(none)");
                for (const char *p = d; *p; p++)
                        fuzz_assert((unsigned char) *p >= 0x20 && *p != 0x7f, "[Virtiofs %s]: control character", v->name);
                fuzz_assert(!startswith(d, "/proc/") && !startswith(d, "/sys/") && !startswith(d, "/dev/") &&
                            !startswith(d, "/run/") && !streq(d, "/etc") && !streq(d, "/usr") && !streq(d, "/proc") &&
                            !streq(d, "/run") && !startswith(d, "/etc/hostvirt/"),
                            "[Virtiofs %s]: SharedDir=%s is the system's", v->name, d);
                fuzz_assert(v->socket_mode <= 0777 && (v->socket_mode & 0600) == 0600, "[Virtiofs %s]: SocketMode=%o",
                            v->name, v->socket_mode);
                fuzz_assert(v->socket_group && *v->socket_group, "[Virtiofs %s]: no SocketGroup", v->name);
                fuzz_assert(!v->posix_acl || v->xattr, "[Virtiofs %s]: PosixACL= without Xattr=", v->name);
                fuzz_assert(virtiofs_cache_name(v->cache) != NULL, "[Virtiofs %s]: Cache=%d", v->name, v->cache);
                fuzz_assert(v->thread_pool_size == CONF_UNSET || (v->thread_pool_size >= 0 && v->thread_pool_size <= 1024),
                            "[Virtiofs %s]: ThreadPoolSize=%d", v->name, v->thread_pool_size);
        }
}

void fuzz_check_conf(const struct conf *c) {
        fuzz_assert(conf_libvirt(c)->services && !conf_libvirt(c)->services[conf_libvirt(c)->n_services], "[Libvirt] Services vector");
        for (size_t i = 0; i < conf_libvirt(c)->n_services; i++)
                fuzz_assert(endswith(conf_libvirt(c)->services[i], ".service") && strlen(conf_libvirt(c)->services[i]) > 8 &&
                            conf_libvirt(c)->services[i][0] != '@', "[Libvirt] Services=%s", conf_libvirt(c)->services[i]);
        check_sriov(c);
        check_hugepages(c);
        check_net(c);
        check_net_loops(c);
        check_virtiofs(c);
}

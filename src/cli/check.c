/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `hostvirt check`: what the loader cannot know, because it needs this host —
 * devices that do not exist or cannot do SR-IOV, more VFs than a device has,
 * drivers that are not loaded, page sizes and NUMA nodes the host lacks, a PF
 * far from its hugepages, bridge and bond ports and VLAN parents nothing provides.
 * The generator does not do these: at boot a device may simply not be there yet.
 * What the host may still change (a device, a driver) is a warning; what the
 * units would certainly fail on is an error.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "root.h"
#include "sysfs.h"
#include "util.h"

/* Does /sys/<dir>/<name> exist (under HOSTVIRT_ROOT)? */
static bool sys_exists(const char *dir, const char *name) {
        _cleanup_free_ char *p = xasprintf("%s/sys/%s/%s", root_dir(), dir, name);
        return access(p, F_OK) >= 0;
}

static bool netdev_exists(const char *name) {
        return sys_exists("class/net", name);
}

static bool node_exists(unsigned node) {
        char n[24];
        snprintf(n, sizeof(n), "node%u", node);
        return sys_exists("devices/system/node", n);
}

/* The PF's device directory in sysfs (re-rooted). */
static char *pf_dev(const struct conf_sriov *pf) {
        _cleanup_free_ char *p = pf->is_pci ? xasprintf("/sys/bus/pci/devices/%s", pf->name)
                                            : xasprintf("/sys/class/net/%s/device", pf->name);
        return root_path(p);
}

/* NUMA node of a PF's PCI device, or -1 when unknown. */
static int pf_numa_node(const struct conf_sriov *pf) {
        _cleanup_free_ char *dev = pf_dev(pf), *r = xasprintf("%s/numa_node", dev), *s = NULL;
        long v;

        if (read_one_line(r, &s) < 0)
                return -1;
        v = strtol(s, NULL, 10);
        return v >= 0 && v < 4096 ? (int) v : -1;
}

/* Driver= names a PCI driver that is not loaded now: binding would fail until something loads it. */
static void host_check_driver(struct diag *d, const struct conf_loc *loc, const char *title, const char *driver) {
        if (!driver || sys_exists("bus/pci/drivers", driver))
                return;
        diag_warning(d, loc->file, loc->line, "%s: Driver=%s is not loaded on this host now "
                     "(no /sys/bus/pci/drivers/%s; load its module at boot, e.g. in /etc/modules-load.d/)",
                     title, driver, driver);
}

static void check_pf(struct diag *d, const struct conf_sriov *pf) {
        _cleanup_free_ char *dev = pf_dev(pf), *numvfs = xasprintf("%s/sriov_numvfs", dev),
                            *totalvfs = xasprintf("%s/sriov_totalvfs", dev);
        _cleanup_free_ char *title = xasprintf("[SR-IOV %s]", pf->name);
        unsigned long long total;

        host_check_driver(d, &pf->loc, title, pf->driver);
        for (size_t i = 0; i < pf->n_vfs; i++) {
                _cleanup_free_ char *vf_title = xasprintf("[VF %s:%u]", pf->name, pf->vfs[i]->index);
                host_check_driver(d, &pf->vfs[i]->loc, vf_title, pf->vfs[i]->set.driver);
        }

        if (access(dev, F_OK) < 0) {
                diag_warning(d, pf->loc.file, pf->loc.line, "%s: no such %s on this host now", title,
                             pf->is_pci ? "PCI device" : "network interface");
                return;
        }
        if (access(numvfs, F_OK) < 0) {
                diag_error(d, pf->loc.file, pf->loc.line, "%s: the device has no sriov_numvfs: it is not an SR-IOV "
                           "physical function (or its driver does not support SR-IOV)", title);
                return;
        }
        /* Some devices (netdevsim) have no sriov_totalvfs: their limit shows only when applied. */
        if (read_uint(totalvfs, &total) >= 0 && pf->num_vfs > total)
                diag_error(d, pf->loc.file, pf->loc.line, "%s: VirtualFunctions=%u exceeds what the device supports "
                           "(sriov_totalvfs=%llu)", title, pf->num_vfs, total);
}

static void check_sriov(struct diag *d, const struct conf *c) {
        for (size_t i = 0; i < CONF_N(c, SRIOV); i++)
                check_pf(d, CONF_AT(c, SRIOV, conf_sriov, i));
}

static void check_hugepages(struct diag *d, const struct conf *c) {
        for (size_t i = 0; i < CONF_N(c, HUGEPAGES); i++) {
                const struct conf_hugepages *h = CONF_AT(c, HUGEPAGES, conf_hugepages, i);
                char kb[48];

                snprintf(kb, sizeof(kb), "hugepages-%llukB", (unsigned long long) h->size_kb);
                if (!sys_exists("kernel/mm/hugepages", kb))
                        diag_error(d, h->loc.file, h->loc.line, "[Hugepages %s]: this host's kernel has no %s pages "
                                   "(see /sys/kernel/mm/hugepages/)", h->name, h->name);
                for (size_t k = 0; k < h->n_node_pages; k++)
                        if (!node_exists(h->node_pages[k].node))
                                diag_error(d, h->loc.file, h->loc.line, "[Hugepages %s]: NodePages= names NUMA node %u, "
                                           "which this host does not have", h->name, h->node_pages[k].node);
        }

        /* A PF whose NUMA node gets none of the per-node hugepages: guests using both cross nodes. */
        for (size_t i = 0; i < CONF_N(c, SRIOV); i++) {
                const struct conf_sriov *pf = CONF_AT(c, SRIOV, conf_sriov, i);
                int node = pf_numa_node(pf);
                bool any_numa = false, near = false;

                if (node < 0)
                        continue;
                for (size_t j = 0; j < CONF_N(c, HUGEPAGES); j++)
                        for (size_t k = 0; k < CONF_AT(c, HUGEPAGES, conf_hugepages, j)->n_node_pages; k++) {
                                any_numa = true;
                                if (CONF_AT(c, HUGEPAGES, conf_hugepages, j)->node_pages[k].node == (unsigned) node &&
                                    CONF_AT(c, HUGEPAGES, conf_hugepages, j)->node_pages[k].pages > 0)
                                        near = true;
                        }
                if (any_numa && !near)
                        diag_warning(d, pf->loc.file, pf->loc.line, "[SR-IOV %s]: the PF is on NUMA node %d, but "
                                     "NodePages= reserves no hugepages there", pf->name, node);
        }
}

/* br_netfilter hands what a bridge forwards between its ports (the guests' traffic) to the host's
 * IP firewall, whose FORWARD policy may drop it: say so, and where the choices are explained. */
static void check_bridge_netfilter(struct diag *d, const struct conf_bridge *b) {
        _cleanup_free_ char *why = NULL, *list = NULL;
        unsigned mask = bridge_netfilter(b->name, &why);

        if (!mask)
                return;
        list = netfilter_families(mask, ", ", " and ");
        diag_warning(d, b->loc.file, b->loc.line,
                     "[Bridge %s]: the traffic it bridges passes the host's %s rules (br_netfilter: %s); a FORWARD "
                     "policy that drops takes its guests off the network: see hostvirt.conf(5), BRIDGES AND THE "
                     "FIREWALL", b->name, list, why);
}

/* An interface a section names: there now, or one hostvirt makes. */
static bool net_provided(const struct conf *c, const char *name) {
        return netdev_exists(name) || conf_net_kind_of(c, name, NULL);
}

static void check_net(struct diag *d, const struct conf *c) {
        for (size_t i = 0; i < CONF_N(c, VLAN); i++) {
                const struct conf_vlan *v = CONF_AT(c, VLAN, conf_vlan, i);
                if (!net_provided(c, v->link))
                        diag_warning(d, v->loc.file, v->loc.line, "[VLAN %s]: Link=%s is neither declared nor an "
                                     "interface on this host now", v->name, v->link);
        }
        /* (The net graph lets a bridge take VLANs and bonds as ports, and a bond none of ours.) */
        for (size_t i = 0; i < CONF_N(c, BRIDGE); i++) {
                const struct conf_bridge *b = CONF_AT(c, BRIDGE, conf_bridge, i);
                for (size_t p = 0; p < b->n_ports; p++)
                        if (!net_provided(c, b->ports[p]))
                                diag_warning(d, b->loc.file, b->loc.line, "[Bridge %s]: port %s is neither declared "
                                             "nor an interface on this host now", b->name, b->ports[p]);
                check_bridge_netfilter(d, b);
        }
        for (size_t i = 0; i < CONF_N(c, BOND); i++) {
                const struct conf_bond *b = CONF_AT(c, BOND, conf_bond, i);
                for (size_t p = 0; p < b->n_ports; p++)
                        if (!net_provided(c, b->ports[p]))
                                diag_warning(d, b->loc.file, b->loc.line, "[Bond %s]: port %s is neither declared "
                                             "nor an interface on this host now", b->name, b->ports[p]);
        }
}

/* A group of this host: in /etc/group (under HOSTVIRT_ROOT), or where NSS finds it (not re-rooted). */
static bool group_exists(const char *name) {
        _cleanup_free_ char *p = root_path("/etc/group");
        _cleanup_fclose_ FILE *f = fopen(p, "re");
        size_t n = strlen(name);
        char line[1024];

        while (f && fgets(line, sizeof(line), f))
                if (strncmp(line, name, n) == 0 && line[n] == ':')
                        return true;
        return !root_is_set() && getgrnam(name) != NULL;
}

/* What the share's units would fail on now: the directory, virtiofsd, the socket's group. */
static void check_virtiofs(struct diag *d, const struct conf *c) {
        static const char *const daemons[] = VIRTIOFSD_PATHS;
        bool have_daemon = false;

        for (size_t i = 0; i < ELEMENTSOF(daemons); i++) {
                _cleanup_free_ char *p = root_path(daemons[i]);
                have_daemon |= access(p, X_OK) == 0;
        }
        for (size_t i = 0; i < CONF_N(c, VIRTIOFS); i++) {
                const struct conf_virtiofs *v = CONF_AT(c, VIRTIOFS, conf_virtiofs, i);
                _cleanup_free_ char *dir = root_path(v->shared_dir);
                struct stat st;

                if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
                        diag_warning(d, v->loc.file, v->loc.line, "[Virtiofs %s]: SharedDir=%s is not a directory on "
                                     "this host now", v->name, v->shared_dir);
                if (!have_daemon)
                        diag_warning(d, v->loc.file, v->loc.line, "[Virtiofs %s]: virtiofsd is not installed "
                                     "(Debian 13: package virtiofsd; Debian 12: qemu-system-common)", v->name);
                if (strspn(v->socket_group, "0123456789") != strlen(v->socket_group) && !group_exists(v->socket_group))
                        diag_warning(d, v->loc.file, v->loc.line, "[Virtiofs %s]: SocketGroup=%s is no group on this "
                                     "host now: the socket cannot be made", v->name, v->socket_group);
        }
}

void check_cross(const struct conf *c, struct diag *d) {
        diag_hold(d);
        check_sriov(d, c);
        check_hugepages(d, c);
        check_net(d, c);
        check_virtiofs(d, c);
        check_other_tools(c, d);
        diag_flush(d, c->files);
}

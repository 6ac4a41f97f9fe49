/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `hostvirt check`: what the loader cannot know, because it needs this host —
 * devices that do not exist, NUMA nodes the host lacks, a PF far from its hugepages.
 * The generator does not do these: at boot a device may simply not be there yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "root.h"
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

/* NUMA node of a PF's PCI device, or -1 when unknown. */
static int pf_numa_node(const struct conf_sriov *pf) {
        _cleanup_free_ char *p = pf->is_pci ? xasprintf("/sys/bus/pci/devices/%s/numa_node", pf->name)
                                            : xasprintf("/sys/class/net/%s/device/numa_node", pf->name);
        _cleanup_free_ char *r = root_path(p), *s = NULL;
        long v;

        if (read_one_line(r, &s) < 0)
                return -1;
        v = strtol(s, NULL, 10);
        return v >= 0 && v < 4096 ? (int) v : -1;
}

static void check_sriov(const struct conf *c) {
        for (size_t i = 0; i < c->n_sriov; i++) {
                const struct conf_sriov *pf = c->sriov[i];
                bool present = pf->is_pci ? sys_exists("bus/pci/devices", pf->name) : netdev_exists(pf->name);

                if (!present)
                        diag_warning(pf->loc.file, pf->loc.line, "[SR-IOV %s]: no such %s on this host now",
                                     pf->name, pf->is_pci ? "PCI device" : "network interface");
        }
}

static void check_hugepages(const struct conf *c) {
        for (size_t i = 0; i < c->n_hugepages; i++) {
                const struct conf_hugepages *h = c->hugepages[i];
                char kb[48];

                snprintf(kb, sizeof(kb), "hugepages-%llukB", (unsigned long long) h->size_kb);
                if (!sys_exists("kernel/mm/hugepages", kb))
                        diag_error(h->loc.file, h->loc.line, "[Hugepages %s]: this host's kernel has no %s pages "
                                   "(see /sys/kernel/mm/hugepages/)", h->name, h->name);
                for (size_t k = 0; k < h->n_node_pages; k++)
                        if (!node_exists(h->node_pages[k].node))
                                diag_error(h->loc.file, h->loc.line, "[Hugepages %s]: NodePages= names NUMA node %u, "
                                           "which this host does not have", h->name, h->node_pages[k].node);
        }

        /* A PF whose NUMA node gets none of the per-node hugepages: guests using both cross nodes. */
        for (size_t i = 0; i < c->n_sriov; i++) {
                const struct conf_sriov *pf = c->sriov[i];
                int node = pf_numa_node(pf);
                bool any_numa = false, near = false;

                if (node < 0)
                        continue;
                for (size_t j = 0; j < c->n_hugepages; j++)
                        for (size_t k = 0; k < c->hugepages[j]->n_node_pages; k++) {
                                any_numa = true;
                                if (c->hugepages[j]->node_pages[k].node == (unsigned) node &&
                                    c->hugepages[j]->node_pages[k].pages > 0)
                                        near = true;
                        }
                if (any_numa && !near)
                        diag_warning(pf->loc.file, pf->loc.line, "[SR-IOV %s]: the PF is on NUMA node %d, but "
                                     "NodePages= reserves no hugepages there", pf->name, node);
        }
}

static void check_net(const struct conf *c) {
        for (size_t i = 0; i < c->n_vlans; i++) {
                const struct conf_vlan *v = c->vlans[i];
                if (!netdev_exists(v->link) && !conf_find_bridge(c, v->link) && !conf_find_vlan(c, v->link))
                        diag_warning(v->loc.file, v->loc.line, "[VLAN %s]: Link=%s is neither declared nor an "
                                     "interface on this host now", v->name, v->link);
        }
        for (size_t i = 0; i < c->n_bridges; i++) {
                const struct conf_bridge *b = c->bridges[i];
                for (size_t p = 0; p < b->n_ports; p++)
                        if (!netdev_exists(b->ports[p]) && !conf_find_vlan(c, b->ports[p]))
                                diag_warning(b->loc.file, b->loc.line, "[Bridge %s]: port %s is neither declared "
                                             "nor an interface on this host now", b->name, b->ports[p]);
        }
}

void check_cross(const struct conf *c) {
        diag_hold();
        check_sriov(c);
        check_hugepages(c);
        check_net(c);
        diag_flush(c->files);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * status of [VLAN X], [Bridge X] and [Bond X]: the devices as rtnetlink describes
 * them in this network namespace (netlink is not re-rooted by HOSTVIRT_ROOT: docs/DESIGN.md, Tests).
 */
#include <errno.h>
#include <net/if.h>
#include <sys/stat.h>
#include <systemd/sd-device.h>
#include <unistd.h>

#include "escape.h"
#include "link.h"
#include "status.h"
#include "sysfs.h"
#include "util.h"

/* One device now: r is 0 (found), -ENODEV (there is none), or why it could not be asked. */
struct dev {
        int r;
        struct link l;
};

static struct dev dev_get(struct status *st, const char *name) {
        struct dev d = { .r = -EAFNOSUPPORT };

        if (st->nl)
                d.r = link_get_by_name(st->nl, name, &d.l);
        return d;
}

/* A value of a device: unknown when we could not ask, null when there is no device. */
static struct val dev_val(const struct dev *d, struct val v) {
        if (d->r == 0)
                return v;
        free(v.s);
        return d->r == -ENODEV ? val_null() : val_unknown();
}

static struct val dev_present(const struct dev *d) {
        return d->r == 0 ? val_bool(true) : d->r == -ENODEV ? val_bool(false) : val_unknown();
}

/* The name of another device by ifindex (0: none). */
static struct val ifindex_name(struct status *st, const struct dev *d, int ifindex) {
        struct link l;

        if (d->r != 0)
                return dev_val(d, val_null());
        if (ifindex <= 0)
                return val_null();
        if (link_get_by_index(st->nl, ifindex, &l) < 0)
                return val_unknown();
        return val_str(l.name);
}

/* udevd serves the host's network namespace only, and the devices of a container are not its. */
static bool udev_sees_this_netns(void) {
        struct stat self, init;

        return stat("/proc/self/ns/net", &self) == 0 && stat("/proc/1/ns/net", &init) == 0 &&
               self.st_ino == init.st_ino && self.st_dev == init.st_dev && access("/run/udev/control", F_OK) == 0;
}

/* What udev told NetworkManager about the device (80-hostvirt-net.rules sets NM_UNMANAGED=1):
 * unknown where udevd has not processed it, or cannot; null when there is no device. */
static struct val nm_unmanaged(const struct dev *d) {
        sd_device *dev = NULL;
        const char *v;
        struct val r;

        if (d->r != 0)
                return dev_val(d, val_null());
        if (!udev_sees_this_netns() || sd_device_new_from_ifindex(&dev, d->l.ifindex) < 0)
                return val_unknown();
        if (sd_device_get_is_initialized(dev) <= 0)
                r = val_unknown();
        else
                r = val_bool(sd_device_get_property_value(dev, "NM_UNMANAGED", &v) >= 0 && parse_boolean(v) > 0);
        sd_device_unref(dev);
        return r;
}

static void common_items(struct obj *o, const struct dev *d, const char *kind, unsigned mtu, bool unmanaged) {
        obj_compare(o, "present", val_bool(true), dev_present(d));
        obj_compare(o, "kind", val_str(kind), dev_val(d, val_str(d->l.kind[0] ? d->l.kind : "none")));
        obj_compare(o, "up", val_bool(true), dev_val(d, val_bool(d->l.flags & IFF_UP)));
        obj_compare(o, "mtu", mtu ? val_int(mtu) : val_null(), dev_val(d, val_int(d->l.mtu)));
        /* compared only where udevd has processed the device: nothing sets NM_UNMANAGED in
         * another network namespace or a container (shown, then, for information) */
        struct val nm = nm_unmanaged(d);
        obj_compare(o, "unmanaged", nm.type == VAL_UNKNOWN ? val_null() : val_bool(unmanaged), nm);
}

/* The bridge whose Ports= lists name (the loader put Bridge= there too). */
static const char *bridge_of(const struct conf *c, const char *name) {
        for (size_t i = 0; i < CONF_N(c, BRIDGE); i++)
                if (strv_contains(CONF_AT(c, BRIDGE, conf_bridge, i)->ports, name))
                        return CONF_AT(c, BRIDGE, conf_bridge, i)->name;
        return NULL;
}

static void status_vlan(struct status *st, const struct conf_vlan *v) {
        struct dev d = dev_get(st, v->name);
        bool is_vlan = d.r == 0 && streq(d.l.kind, "vlan");
        struct obj *o;

        o = obj_new(st, &kind_vlan, v->name, &v->loc);
        o->unit = unit_instance("hostvirt-vlan", v->name, ".service");
        obj_compare(o, "active_state", val_str("active"), unit_active_state(o->unit));
        common_items(o, &d, "vlan", v->mtu, v->unmanaged);
        obj_compare(o, "link", val_str(v->link),
                    d.l.parent_in_other_netns ? val_unknown() : ifindex_name(st, &d, d.l.parent));
        obj_compare(o, "id", val_int(v->id), dev_val(&d, is_vlan ? val_int(d.l.vlan_id) : val_null()));
        obj_compare(o, "protocol", val_str(vlan_protocol_name((unsigned) v->protocol)),
                    dev_val(&d, is_vlan ? val_str(vlan_protocol_name(d.l.vlan_protocol)) : val_null()));
        obj_compare(o, "master", val_str(bridge_of(st->conf, v->name)), ifindex_name(st, &d, d.l.master));
}

/* A port of a bridge or bond: there, up, and its master's. */
static void port_member(struct status *st, struct obj *o, const char *master, const char *port) {
        struct dev d = dev_get(st, port);
        struct obj *m = obj_add_member(o, "port", port);

        obj_compare(m, "present", val_bool(true), dev_present(&d));
        obj_compare(m, "master", val_str(master), ifindex_name(st, &d, d.l.master));
        obj_compare(m, "up", val_bool(true), dev_val(&d, val_bool(d.l.flags & IFF_UP)));
}

static void status_bridge(struct status *st, const struct conf_bridge *b) {
        struct dev d = dev_get(st, b->name);
        bool is_bridge = d.r == 0 && streq(d.l.kind, "bridge");
        _cleanup_free_ char *want_mac = b->has_mac ? format_mac(b->mac) : NULL;
        _cleanup_free_ char *have_mac = d.r == 0 && d.l.has_mac ? format_mac(d.l.mac) : NULL;
        struct obj *o;

        o = obj_new(st, &kind_bridge, b->name, &b->loc);
        o->unit = unit_instance("hostvirt-bridge", b->name, ".service");
        obj_compare(o, "active_state", val_str("active"), unit_active_state(o->unit));
        common_items(o, &d, "bridge", b->mtu, b->unmanaged);
        obj_compare(o, "mac", val_str(want_mac), dev_val(&d, val_str(have_mac)));
        obj_compare(o, "stp", val_conf_bool(b->stp),
                    dev_val(&d, is_bridge && d.l.br_stp >= 0 ? val_bool(d.l.br_stp) : val_null()));
        /* The kernel keeps the delay in clock_t: hundredths of a second. */
        obj_compare(o, "forward_delay_sec", val_conf_int(b->forward_delay_sec),
                    dev_val(&d, is_bridge && d.l.br_forward_delay >= 0 ? val_int(d.l.br_forward_delay / 100)
                                                                        : val_null()));
        obj_compare(o, "vlan_filtering", val_conf_bool(b->vlan_filtering),
                    dev_val(&d, is_bridge && d.l.br_vlan_filtering >= 0 ? val_bool(d.l.br_vlan_filtering)
                                                                         : val_null()));
        /* for information: what the host's firewall sees of the guests' traffic (hostvirt.conf(5)) */
        unsigned nf = bridge_netfilter(b->name, NULL);
        _cleanup_free_ char *families = nf ? netfilter_families(nf, " ", " ") : NULL;
        obj_compare(o, "netfilter", val_null(), val_str(families ? families : "none"));
        for (size_t p = 0; p < b->n_ports; p++)
                port_member(st, o, b->name, b->ports[p]);
}

/* The kernel's words for a bond's options (its values are the configuration's:
 * include/uapi/linux/if_bonding.h, and src/kinds/bond.c's tables). */
static const char *xmit_hash_policy_name(int p) {
        static const char *const names[] = { "layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac" };
        return p >= 0 && (size_t) p < ELEMENTSOF(names) ? names[p] : NULL;
}

static const char *lacp_rate_name(int r) {
        return r == 0 ? "slow" : r == 1 ? "fast" : NULL;
}

/* A value of a bond: null when the device is none (or another kind), unknown when the kernel
 * did not say (the LACP rate outside 802.3ad). */
static struct val bond_val(const struct dev *d, bool is_bond, bool known, struct val v) {
        if (!is_bond || !known) {
                free(v.s);
                return dev_val(d, is_bond ? val_unknown() : val_null());
        }
        return dev_val(d, v);
}

static void status_bond(struct status *st, const struct conf_bond *b) {
        struct dev d = dev_get(st, b->name);
        bool is_bond = d.r == 0 && streq(d.l.kind, "bond");
        const struct bond_options *have = &d.l.bond;
        _cleanup_free_ char *want_mac = b->has_mac ? format_mac(b->mac) : NULL;
        _cleanup_free_ char *have_mac = d.r == 0 && d.l.has_mac ? format_mac(d.l.mac) : NULL;
        struct obj *o;

        o = obj_new(st, &kind_bond, b->name, &b->loc);
        o->unit = unit_instance("hostvirt-bond", b->name, ".service");
        obj_compare(o, "active_state", val_str("active"), unit_active_state(o->unit));
        common_items(o, &d, "bond", b->mtu, b->unmanaged);
        obj_compare(o, "mac", val_str(want_mac), dev_val(&d, val_str(have_mac)));
        obj_compare(o, "mode", val_str(bond_mode_name(b->mode)),
                    bond_val(&d, is_bond, have->mode >= 0 && bond_mode_name(have->mode),
                             val_str(have->mode >= 0 ? bond_mode_name(have->mode) : NULL)));
        obj_compare(o, "transmit_hash_policy",
                    val_str(b->xmit_hash_policy == CONF_UNSET ? NULL : xmit_hash_policy_name(b->xmit_hash_policy)),
                    bond_val(&d, is_bond, xmit_hash_policy_name(have->xmit_hash_policy) != NULL,
                             val_str(xmit_hash_policy_name(have->xmit_hash_policy))));
        obj_compare(o, "lacp_transmit_rate", val_str(b->lacp_rate == CONF_UNSET ? NULL : lacp_rate_name(b->lacp_rate)),
                    bond_val(&d, is_bond, lacp_rate_name(have->lacp_rate) != NULL,
                             val_str(lacp_rate_name(have->lacp_rate))));
        obj_compare(o, "mii_monitor_ms", val_conf_int(b->miimon_ms),
                    bond_val(&d, is_bond, have->miimon_ms >= 0, val_int(have->miimon_ms)));
        obj_compare(o, "min_links", val_conf_int(b->min_links),
                    bond_val(&d, is_bond, have->min_links >= 0, val_int(have->min_links)));
        for (size_t p = 0; p < b->n_ports; p++)
                port_member(st, o, b->name, b->ports[p]);
}

void status_net(struct status *st) {
        for (size_t i = 0; i < CONF_N(st->conf, VLAN); i++)
                status_vlan(st, CONF_AT(st->conf, VLAN, conf_vlan, i));
        for (size_t i = 0; i < CONF_N(st->conf, BRIDGE); i++)
                status_bridge(st, CONF_AT(st->conf, BRIDGE, conf_bridge, i));
        for (size_t i = 0; i < CONF_N(st->conf, BOND); i++)
                status_bond(st, CONF_AT(st->conf, BOND, conf_bond, i));
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * status of [SR-IOV X] and its VFs: the counts and driver bindings from
 * sysfs, the per-VF settings from rtnetlink (RTEXT_FILTER_VF on the PF).
 */
#include <errno.h>
#include <linux/if_link.h>

#include "escape.h"
#include "status.h"
#include "sysfs.h"
#include "util.h"
#include "vf-mac.h"
#include "vfinfo.h"

/* What the PF looks like now. */
struct pf_now {
        char *dev;              /* its device directory in sysfs (re-rooted) */
        bool present;
        bool pci;               /* a PCI function: its VFs show up as virtfn* links */
        long long numvfs;       /* sriov_numvfs, -1 when it cannot be read */
        struct pf_link vfs;     /* from rtnetlink */
        int vfs_error;          /* why vfs is empty: -ENODEV, -EAFNOSUPPORT, ... */
        bool has_machine_id;    /* for MACAddressPolicy=persistent */
        uint8_t machine_id[MACHINE_ID_SIZE];
};

static const char *link_state_name(int s) {
        switch (s) {
        case IFLA_VF_LINK_STATE_AUTO:
                return "auto";
        case IFLA_VF_LINK_STATE_ENABLE:
                return "enable";
        case IFLA_VF_LINK_STATE_DISABLE:
                return "disable";
        default:
                return NULL;
        }
}

static const char *vlan_proto_name(unsigned p) {
        return p == 0x8100 ? "802.1Q" : p == 0x88a8 ? "802.1ad" : NULL;
}

/* A value the kernel reported, -1 meaning it did not. */
static struct val have_int(const struct vf_info *vi, long long v) {
        return vi && v >= 0 ? val_int(v) : val_unknown();
}

static struct val have_bool(const struct vf_info *vi, int v) {
        return vi && v >= 0 ? val_bool(v) : val_unknown();
}

static struct val have_str(const struct vf_info *vi, const char *s) {
        return vi && s ? val_str(s) : val_unknown();
}

/* The settings of one VF that go over rtnetlink: only for a PF with a netdev. */
static void vf_netlink_items(struct obj *m, const struct conf_sriov *pf, const struct pf_now *now, unsigned i,
                             const struct vf_settings *want, const struct vf_info *vi) {
        _cleanup_free_ char *want_mac = NULL;
        _cleanup_free_ char *have_mac = vi && vi->has_mac ? format_mac(vi->mac) : NULL;
        bool has_vlan = vi && vi->has_vlan, has_rate = vi && vi->has_rate;

        /* An explicit MACAddress= wins; else MACAddressPolicy=persistent derives it as the VF helper does. */
        if (want->has_mac)
                want_mac = format_mac(want->mac);
        else if (pf->mac_policy == MAC_POLICY_PERSISTENT && now->has_machine_id) {
                uint8_t mac[6];
                vf_mac_persistent(now->machine_id, pf->name, i, mac);
                want_mac = format_mac(mac);
        }
        obj_compare_detail(m, "mac", val_str(want_mac), have_str(vi, have_mac));
        obj_compare_detail(m, "vlan", val_conf_int(want->vlan), have_int(vi, has_vlan ? (long long) vi->vlan : -1));
        obj_compare_detail(m, "qos", val_conf_int(want->qos), have_int(vi, has_vlan ? (long long) vi->qos : -1));
        obj_compare_detail(m, "vlan_protocol",
                           val_str(want->vlan_proto == CONF_UNSET ? NULL : vlan_proto_name((unsigned) want->vlan_proto)),
                           have_str(vi, vi ? vlan_proto_name(vi->vlan_proto) : NULL));
        obj_compare_detail(m, "trust", val_conf_bool(want->trust), have_bool(vi, vi ? vi->trust : -1));
        obj_compare_detail(m, "spoof_check", val_conf_bool(want->spoof_check),
                           have_bool(vi, vi ? vi->spoofchk : -1));
        obj_compare_detail(m, "link_state",
                           val_str(want->link_state == CONF_UNSET ? NULL : link_state_name(want->link_state)),
                           have_str(vi, vi ? link_state_name(vi->link_state) : NULL));
        obj_compare_detail(m, "max_tx_rate", val_conf_int(want->max_tx_rate),
                           have_int(vi, has_rate ? (long long) vi->max_tx_rate : -1));
        obj_compare_detail(m, "min_tx_rate", val_conf_int(want->min_tx_rate),
                           have_int(vi, has_rate ? (long long) vi->min_tx_rate : -1));
}

static void vf_member(struct obj *o, const struct conf_sriov *pf, struct pf_now *now, unsigned i) {
        _cleanup_free_ char *virtfn = xasprintf("%s/virtfn%u", now->dev, i);
        _cleanup_free_ char *drv = xasprintf("%s/driver", virtfn), *net = xasprintf("%s/net", virtfn);
        _cleanup_free_ char *pci = host_link_name(virtfn), *netdev = pci ? host_first_entry(net) : NULL;
        _cleanup_free_ char *driver = pci ? host_link_name(drv) : NULL;
        char name[16];
        struct vf_settings want;
        struct obj *m;
        bool present;

        snprintf(name, sizeof(name), "%u", i);
        m = obj_add_member(o, "vf", name);
        conf_vf_effective(pf, i, &want);

        /* A PF that is no PCI function (netdevsim) has VFs, but no virtfn* links to show them. */
        present = now->pci ? pci != NULL : i < now->numvfs;
        obj_compare(m, "present", val_bool(i < pf->num_vfs), val_bool(present));
        obj_compare(m, "pci_address", val_null(), val_str(pci));
        obj_compare(m, "netdev", val_null(), val_str(netdev));
        obj_compare(m, "driver", val_str(want.driver), now->pci ? val_str(driver) : val_unknown());

        if (!pf->is_pci)
                vf_netlink_items(m, pf, now, i, &want, now->vfs_error < 0 ? NULL : pf_link_find_vf(&now->vfs, i));
}

static void status_pf(struct status *st, const struct conf_sriov *pf) {
        _cleanup_free_ char *subsys = NULL, *bus = NULL;
        struct pf_now now = {};
        struct obj *o;
        unsigned count;

        o = obj_new(st, &kind_sriov, pf->name, &pf->loc);
        o->unit = unit_instance("interface-vf", pf->name, ".service");
        obj_compare(o, "active_state", val_str("active"), unit_active_state(o->unit));

        now.dev = pf->is_pci ? host_path("/sys/bus/pci/devices/%s", pf->name)
                             : host_path("/sys/class/net/%s/device", pf->name);
        now.present = host_exists(now.dev);
        subsys = xasprintf("%s/subsystem", now.dev);
        bus = host_link_name(subsys);
        now.pci = bus && streq(bus, "pci");
        obj_compare(o, "present", val_bool(true), val_bool(now.present));

        {
                _cleanup_free_ char *numvfs = xasprintf("%s/sriov_numvfs", now.dev),
                                    *total = xasprintf("%s/sriov_totalvfs", now.dev),
                                    *autoprobe = xasprintf("%s/sriov_drivers_autoprobe", now.dev);
                struct val have = host_read_int(numvfs);

                now.numvfs = have.type == VAL_INT ? have.i : -1;
                obj_compare(o, "numvfs", val_int(pf->num_vfs), have);
                obj_compare(o, "totalvfs", val_null(), host_read_int(total));
                obj_compare(o, "autoprobe", val_conf_bool(pf->autoprobe), host_read_bool(autoprobe));
        }

        now.vfs_error = -ENODEV;
        if (!pf->is_pci)
                now.vfs_error = st->nl ? vfnl_get_pf(st->nl, pf->name, &now.vfs) : -EAFNOSUPPORT;
        now.has_machine_id = pf->mac_policy == MAC_POLICY_PERSISTENT && machine_id_read(now.machine_id) >= 0;

        /* Every VF that should be there, and every VF that is. */
        count = pf->num_vfs;
        if (now.numvfs > (long long) count)
                count = (unsigned) now.numvfs;
        for (unsigned i = 0; i < count; i++)
                vf_member(o, pf, &now, i);

        pf_link_done(&now.vfs);
        free(now.dev);
}

void status_sriov(struct status *st) {
        for (size_t i = 0; i < CONF_N(st->conf, SRIOV); i++)
                status_pf(st, CONF_AT(st->conf, SRIOV, conf_sriov, i));
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [SR-IOV X]: a physical function and its virtual functions, set up by
 * interface-vf@X.service whenever the PF appears.
 */
#include <errno.h>
#include <string.h>

#include "emit.h"
#include "escape.h"
#include "section.h"
#include "sriov.h"
#include "util.h"

const struct key_enum vlan_protocols[] = {
        { "802.1Q", 0x8100, false },
        { "802.1q", 0x8100, true },
        { "802.1ad", 0x88a8, false },
        { "802.1AD", 0x88a8, true },
        {}
};

const struct key_enum vf_link_states[] = {
        { "auto", VF_LINK_STATE_AUTO, false },
        { "enable", VF_LINK_STATE_ENABLE, false },
        { "disable", VF_LINK_STATE_DISABLE, false },
        {}
};

static const struct key_enum mac_policies[] = {
        { "keep", MAC_POLICY_KEEP, false },
        { "persistent", MAC_POLICY_PERSISTENT, false },
        {}
};

static const struct key_def sriov_keys[] = {
        KEY_UINT_FIELD("VirtualFunctions", struct conf_sriov, num_vfs, 0, 65535),
        { .name = "DriversAutoprobe", .type = KEY_BOOL, .offset = offsetof(struct conf_sriov, autoprobe) },
        { .name = "Driver", .type = KEY_STRING, .offset = offsetof(struct conf_sriov, driver), .check = check_driver },
        { .name = "Unmanaged", .type = KEY_FLAG, .offset = offsetof(struct conf_sriov, unmanaged) },
        { .name = "MACAddressPolicy", .type = KEY_ENUM, .offset = offsetof(struct conf_sriov, mac_policy),
          .values = mac_policies, .flags = KEYF_NETDEV },
        KEY_UINT_FIELD("TimeoutSec", struct conf_sriov, timeout_sec, 1, 86400),
        KEY_UINT_FIELD("DeviceTimeoutSec", struct conf_sriov, device_timeout_sec, 0, 86400),
        { .name = "MACAddress", .type = KEY_REFUSED, .hint = "[VF <pf>:<index>] sections (one MAC per VF)" },
        VF_SETTINGS_KEYS(struct conf_sriov, defaults),
        {}
};

char *pf_name_normalize(const char *name) {
        char *s = xstrdup(name);

        if (pci_address_normalize(s) || ifname_valid(s))
                return s;
        free(s);
        return NULL;
}

static int sriov_parse_name(struct section *s, const char *header, char *name, char **ret) {
        *ret = pf_name_normalize(name);
        if (*ret)
                return 0;
        section_error(s, NULL,
                      "invalid physical function '%s' in [%s]: neither an interface name (1..15 bytes, no '/', ':', "
                      "'%%', whitespace, not '.' or '..') nor a PCI address (DDDD:BB:DD.F); ignoring section",
                      name, header);
        return -EINVAL;
}

void vf_settings_init(struct vf_settings *v) {
        *v = (struct vf_settings) {
                .vlan = CONF_UNSET, .qos = CONF_UNSET, .vlan_proto = CONF_UNSET,
                .trust = CONF_UNSET, .spoof_check = CONF_UNSET, .link_state = CONF_UNSET,
                .max_tx_rate = CONF_UNSET, .min_tx_rate = CONF_UNSET,
        };
}

bool vf_has_netlink_settings(const struct vf_settings *v) {
        return v->has_mac || v->vlan != CONF_UNSET || v->qos != CONF_UNSET || v->vlan_proto != CONF_UNSET ||
               v->trust != CONF_UNSET || v->spoof_check != CONF_UNSET || v->link_state != CONF_UNSET ||
               v->max_tx_rate != CONF_UNSET || v->min_tx_rate != CONF_UNSET;
}

/* Errors that involve several keys of one section; at the line of the later key. */
bool vf_settings_check(struct section *s, const struct vf_settings *v) {
        const struct raw_kv *a = section_key(s, "MinTxRate"), *b = section_key(s, "MaxTxRate");
        const struct raw_kv *q = section_key(s, "QoS"), *vl = section_key(s, "VLAN");

        if (v->min_tx_rate > 0 && v->max_tx_rate > 0 && v->min_tx_rate > v->max_tx_rate) {
                section_error(s, section_later(s, a, b), "MinTxRate=%s exceeds MaxTxRate=%s, ignoring section %s",
                              a->value, b->value, s->title);
                return false;
        }
        if (q && !vl) {
                section_error(s, q, "QoS= needs VLAN=, ignoring section %s", s->title);
                return false;
        }
        return true;
}

static const char *sriov_name_of(const void *obj) {
        return ((const struct conf_sriov *) obj)->name;
}

static const struct conf_loc *sriov_loc_of(const void *obj) {
        return &((const struct conf_sriov *) obj)->loc;
}

static void sriov_init(void *obj, const char *name, const struct conf_loc *loc) {
        struct conf_sriov *pf = obj;

        pf->name = xstrdup(name);
        pf->is_pci = pci_address_valid(name);
        pf->loc = *loc;
        pf->autoprobe = pf->device_timeout_sec = CONF_UNSET;
        pf->unmanaged = true;
        pf->mac_policy = MAC_POLICY_KEEP;
        vf_settings_init(&pf->defaults);
}

static bool sriov_verify(struct section *s, void *obj) {
        struct conf_sriov *pf = obj;

        if (!section_key(s, "VirtualFunctions")) {
                section_error(s, NULL, "%s has no VirtualFunctions=, ignoring section", s->title);
                return false;
        }
        if (!vf_settings_check(s, &pf->defaults))
                return false;
        /* A PF named by PCI address has no netdev to send per-VF netlink settings through. */
        for (size_t i = 0; pf->is_pci && s->kind->keys[i].name; i++) {
                const struct raw_kv *kv = s->last[i];
                if (!kv || !(s->kind->keys[i].flags & KEYF_NETDEV))
                        continue;
                section_error(s, kv,
                              "%s= needs a network PF, but %s names a PCI device (only VirtualFunctions=, "
                              "DriversAutoprobe=, Driver= and TimeoutSec= apply), ignoring section",
                              kv->key, s->title);
                return false;
        }
        return true;
}

static void sriov_free(void *obj) {
        struct conf_sriov *pf = obj;

        free(pf->defaults.driver);
        free(pf->name);
        free(pf->driver);
        free(pf->vfs);
        free(pf);
}

void conf_vf_effective(const struct conf_sriov *pf, unsigned index, struct vf_settings *ret) {
        const struct vf_settings *v = NULL;

        *ret = pf->defaults;
        ret->driver = pf->driver;
        for (size_t i = 0; i < pf->n_vfs; i++)
                if (pf->vfs[i]->index == index)
                        v = &pf->vfs[i]->set;
        if (!v)
                return;

#define OVERLAY(f) if (v->f != CONF_UNSET) ret->f = v->f
        OVERLAY(vlan);
        OVERLAY(qos);
        OVERLAY(vlan_proto);
        OVERLAY(trust);
        OVERLAY(spoof_check);
        OVERLAY(link_state);
        OVERLAY(max_tx_rate);
        OVERLAY(min_tx_rate);
#undef OVERLAY
        if (v->has_mac) {
                ret->has_mac = true;
                memcpy(ret->mac, v->mac, 6);
        }
        if (v->driver)
                ret->driver = v->driver;
}

unsigned conf_sriov_timeout(const struct conf_sriov *pf) {
        /* Creating VFs takes the driver a while each (firmware calls): 60 s plus 5 s per VF. */
        if (pf->timeout_sec > 0)
                return pf->timeout_sec;
        return 60 + 5 * pf->num_vfs;
}

/* The device unit a PF's instance is bound to: its netdev, or for a PF named by PCI address
 * the alias our udev rule (70-hostvirt-sriov.rules) gives SR-IOV capable PCI devices. */
char *sriov_device_unit(const struct conf_sriov *pf) {
        _cleanup_free_ char *path = pf->is_pci ? strjoin("/sys/bus/pci/devices/", pf->name)
                                               : strjoin("/sys/subsystem/net/devices/", pf->name);
        _cleanup_free_ char *e = unit_escape_path(path);

        return e ? strjoin(e, ".device") : NULL;
}

/* interface-vf@X.service, started whenever the PF appears: at boot, and again after a driver reload. */
static int sriov_emit(struct emitter *e, const struct conf *c) {
        int ret = 0;

        for (size_t i = 0; i < CONF_N(c, SRIOV); i++) {
                const struct conf_sriov *pf = CONF_AT(c, SRIOV, conf_sriov, i);
                _cleanup_free_ char *device = sriov_device_unit(pf);
                _cleanup_free_ char *unit = NULL, *dropin = NULL;
                FILE *f;
                int r;

                if (!device) {
                        ret = log_error_errno(EINVAL, "Cannot name the device unit of %s, skipping", pf->name);
                        continue;
                }
                r = emit_wanted_instance(e, "interface-vf", pf->name, device, &unit);
                if (r < 0) {
                        ret = r;
                        continue;
                }
                if (pf->device_timeout_sec != CONF_UNSET)
                        emit_device_timeout(e, device, (unsigned) pf->device_timeout_sec, pf->loc.file);
                dropin = strjoin(unit, ".d/50-hostvirt.conf");
                f = emit_open(e, dropin);
                if (!f) {
                        ret = -ENOMEM;
                        continue;
                }
                emit_unit_header(f, pf->loc.file);
                fprintf(f, "BindsTo=%s\nAfter=%s\n\n[Service]\nTimeoutStartSec=%u\n", device, device,
                        conf_sriov_timeout(pf));
                r = emit_close(e, f);
                if (r < 0) {
                        ret = r;
                        continue;
                }
                emit_register_unit(e, unit, pf->loc.file);
        }
        return ret;
}

const struct kind kind_sriov = {
        .type = "SR-IOV",
        .slug = "sriov",
        .id = KIND_SRIOV,
        .size = sizeof(struct conf_sriov),
        .keys = sriov_keys,
        .name_example = "eth0",
        .parse_name = sriov_parse_name,
        .name_of = sriov_name_of,
        .loc_of = sriov_loc_of,
        .init = sriov_init,
        .verify = sriov_verify,
        .free = sriov_free,
        .emit = sriov_emit,
};

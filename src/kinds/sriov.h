/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* [SR-IOV X] (sriov.c) and [VF X:N] (vf.c): a PF's virtual functions and their settings. */

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "kinds.h"
#include "section.h"

enum vf_link_state {
        VF_LINK_STATE_AUTO = 0, /* IFLA_VF_LINK_STATE_AUTO */
        VF_LINK_STATE_ENABLE = 1,
        VF_LINK_STATE_DISABLE = 2,
};

enum mac_policy {
        MAC_POLICY_KEEP = 0,
        MAC_POLICY_PERSISTENT = 1,
};

/* Settings that apply to one VF; every field may be unset (CONF_UNSET / false). */
struct vf_settings {
        bool has_mac;
        uint8_t mac[6];
        int vlan;           /* 0..4095, CONF_UNSET */
        int qos;            /* 0..7, CONF_UNSET */
        int vlan_proto;     /* 0x8100, 0x88a8, CONF_UNSET */
        int trust;          /* 0/1, CONF_UNSET */
        int spoof_check;    /* 0/1, CONF_UNSET */
        int link_state;     /* enum vf_link_state, CONF_UNSET */
        int64_t max_tx_rate; /* Mbit/s, CONF_UNSET */
        int64_t min_tx_rate; /* Mbit/s, CONF_UNSET */
        char *driver;       /* NULL when unset */
};

/* [VF pf:index] */
struct conf_vf {
        char *name;         /* "pf:index" */
        char *pf;
        unsigned index;
        struct conf_loc loc;
        struct vf_settings set;
};

/* [SR-IOV X] */
struct conf_sriov {
        char *name;         /* interface name or PCI address */
        bool is_pci;        /* name is a PCI address (DDDD:BB:DD.F) */
        struct conf_loc loc; /* the section header that declared it first */
        unsigned num_vfs;
        int autoprobe;      /* 0/1, CONF_UNSET = kernel default (yes) */
        char *driver;
        bool unmanaged;     /* default yes */
        int mac_policy;     /* enum mac_policy */
        struct vf_settings defaults;
        unsigned timeout_sec; /* 0 = derived from num_vfs */
        int device_timeout_sec; /* the PF's device unit's wait, 0 = for ever, CONF_UNSET = systemd's */
        struct conf_vf **vfs; /* per-VF sections of this PF, sorted by index (owned by the [VF] kind) */
        size_t n_vfs;
};

static inline struct conf_sriov *conf_find_sriov(const struct conf *c, const char *name) {
        return conf_find(c, &kind_sriov, name);
}

/* The settings of VF 'index' of 'pf': PF defaults overlaid with its [VF] section. */
void conf_vf_effective(const struct conf_sriov *pf, unsigned index, struct vf_settings *ret);

/* TimeoutStartSec= of a PF's unit: explicit TimeoutSec=, else grows with the VF count. */
unsigned conf_sriov_timeout(const struct conf_sriov *pf);

/* The device unit interface-vf@X.service binds to (net device, or PCI device alias). */
char *sriov_device_unit(const struct conf_sriov *pf);

/* Shared by the two kinds. */
void vf_settings_init(struct vf_settings *v);
bool vf_settings_check(struct section *s, const struct vf_settings *v);
bool vf_has_netlink_settings(const struct vf_settings *v);
/* A PF name as the loader keeps it: an interface name, or a PCI address in lower case; NULL if neither. */
char *pf_name_normalize(const char *name);

#define VF_SETTINGS_KEYS(T, base)                                                                         \
        { .name = "VLAN", .type = KEY_UINT, .offset = offsetof(T, base.vlan),                             \
          .size = FIELD_SIZE(T, base.vlan), .min = 0, .max = 4095, .flags = KEYF_NETDEV },                \
        { .name = "QoS", .type = KEY_UINT, .offset = offsetof(T, base.qos),                               \
          .size = FIELD_SIZE(T, base.qos), .min = 0, .max = 7, .flags = KEYF_NETDEV },                    \
        { .name = "VLANProtocol", .type = KEY_ENUM, .offset = offsetof(T, base.vlan_proto),               \
          .values = vlan_protocols, .flags = KEYF_NETDEV },                                                  \
        { .name = "Trust", .type = KEY_BOOL, .offset = offsetof(T, base.trust), .flags = KEYF_NETDEV },   \
        { .name = "SpoofCheck", .type = KEY_BOOL, .offset = offsetof(T, base.spoof_check),                \
          .flags = KEYF_NETDEV },                                                                            \
        { .name = "LinkState", .type = KEY_ENUM, .offset = offsetof(T, base.link_state),                  \
          .values = vf_link_states, .flags = KEYF_NETDEV },                                                  \
        { .name = "MaxTxRate", .type = KEY_UINT, .offset = offsetof(T, base.max_tx_rate),                 \
          .size = FIELD_SIZE(T, base.max_tx_rate), .min = 0, .max = UINT32_MAX, .flags = KEYF_NETDEV },   \
        { .name = "MinTxRate", .type = KEY_UINT, .offset = offsetof(T, base.min_tx_rate),                 \
          .size = FIELD_SIZE(T, base.min_tx_rate), .min = 0, .max = UINT32_MAX, .flags = KEYF_NETDEV }

extern const struct key_enum vlan_protocols[];
extern const struct key_enum vf_link_states[];

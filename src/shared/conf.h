/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The configuration model shared by the generator, the helpers and the CLI.
 *
 * conf_load() reads /etc/hostvirt, /run/hostvirt, /usr/local/lib/hostvirt and
 * /usr/lib/hostvirt (under HOSTVIRT_ROOT), merges them like systemd drop-ins,
 * parses every file with libinih and turns the sections into the typed objects
 * below.  Every diagnostic is reported through diag_*() as "FILE:LINE: ...".
 * A section with an invalid value is dropped as a whole; everything else is
 * kept.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONF_UNSET (-1)

/* Where a section or a key came from, as the admin knows it (no HOSTVIRT_ROOT). */
struct conf_loc {
        const char *file; /* owned by struct conf (files[]) */
        unsigned line;
};

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
        struct conf_vf **vfs; /* per-VF sections of this PF, sorted by index */
        size_t n_vfs;
};

struct node_pages {
        unsigned node;
        unsigned long pages;
};

/* [Hugepages S] */
struct conf_hugepages {
        char *name;         /* normalized size: "2M", "1G", "64kB" ... */
        uint64_t size_kb;
        struct conf_loc loc;
        long pages;         /* CONF_UNSET when NodePages= is used */
        struct node_pages *node_pages;
        size_t n_node_pages;
        char *mount;        /* absolute, normalized path, or NULL */
        unsigned mode;      /* valid when has_mode; the emitter defaults to 01770 with Group=, else no mode= */
        bool has_mode;
        char *group;        /* name or number as given, NULL = unset */
        bool strict;
};

/* [VLAN X] */
struct conf_vlan {
        char *name;
        struct conf_loc loc;
        char *link;
        unsigned id;
        int protocol;       /* 0x8100 or 0x88a8 */
        unsigned mtu;       /* 0 = unset */
        char *bridge;       /* NULL = none */
};

/* [Bridge X] */
struct conf_bridge {
        char *name;
        struct conf_loc loc;
        char **ports;       /* NULL-terminated, may be empty */
        size_t n_ports;
        int stp;            /* 0/1, CONF_UNSET */
        int forward_delay_sec; /* CONF_UNSET */
        int vlan_filtering; /* 0/1, CONF_UNSET */
        unsigned mtu;       /* 0 = unset */
        bool has_mac;
        uint8_t mac[6];
};

/* [Libvirt] */
struct conf_libvirt {
        struct conf_loc loc; /* line 0 when the section is absent */
        char **services;     /* NULL-terminated */
        size_t n_services;
        bool order;
};

struct conf {
        char **files;        /* every file read, as the admin knows it, in read order */
        size_t n_files;

        struct conf_sriov **sriov;
        size_t n_sriov;
        struct conf_vf **vfs; /* all valid [VF] sections (also linked from their PF) */
        size_t n_vfs;
        struct conf_hugepages **hugepages;
        size_t n_hugepages;
        struct conf_vlan **vlans;
        size_t n_vlans;
        struct conf_bridge **bridges;
        size_t n_bridges;
        struct conf_libvirt libvirt;

        unsigned n_errors;
        unsigned n_warnings;
};

/* Read all config directories (paths == NULL) or exactly the given files. */
int conf_load(struct conf **ret, char *const *paths);
void conf_free(struct conf *c);

struct conf_sriov *conf_find_sriov(const struct conf *c, const char *name);
struct conf_hugepages *conf_find_hugepages(const struct conf *c, const char *name);
struct conf_vlan *conf_find_vlan(const struct conf *c, const char *name);
struct conf_bridge *conf_find_bridge(const struct conf *c, const char *name);

/* The settings of VF 'index' of 'pf': PF defaults overlaid with its [VF] section. */
void conf_vf_effective(const struct conf_sriov *pf, unsigned index, struct vf_settings *ret);

/* TimeoutStartSec= of a PF's unit: explicit TimeoutSec=, else grows with the VF count. */
unsigned conf_sriov_timeout(const struct conf_sriov *pf);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Network interfaces over rtnetlink: read one link, create VLANs, bridges
 * and bonds, change settings, enslave, delete.  Every function addresses an
 * existing device by its ifindex, not its name, so that a device that was
 * replaced by another of the same name in between is never touched.
 *
 * Functions return 0 or a negative errno; the kernel's extended ack message
 * is then in nl_error_message() for the caller's log line.
 */

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "netlink.h"

#define ETH_P_8021Q_ 0x8100
#define ETH_P_8021AD_ 0x88a8

/* Bond options (IFLA_BOND_*, the kernel's values: include/uapi/linux/if_bonding.h);
 * negative: unknown when read, left alone when set. */
struct bond_options {
        int mode;               /* BOND_MODE_* (balance-rr 0 ... balance-alb 6) */
        long miimon_ms;         /* IFLA_BOND_MIIMON */
        int xmit_hash_policy;   /* BOND_XMIT_POLICY_* (layer2 0, layer3+4 1, ...) */
        int lacp_rate;          /* 0 slow, 1 fast; reported in 802.3ad mode only */
        long min_links;         /* IFLA_BOND_MIN_LINKS */
};
#define BOND_OPTIONS_NONE ((struct bond_options) { -1, -1, -1, -1, -1 })

/* What one RTM_NEWLINK says about a device; unknown values stay -1/0. */
struct link {
        int ifindex;
        char name[IF_NAMESIZE];
        char kind[32];          /* IFLA_INFO_KIND; "" for devices without one (NICs) */
        unsigned flags;         /* IFF_* */
        uint8_t operstate;      /* IF_OPER_* */
        unsigned mtu;
        int master;             /* ifindex, 0 = none */
        int parent;             /* IFLA_LINK, 0 = none */
        bool parent_in_other_netns; /* IFLA_LINK_NETNSID present: parent is not ours */
        bool has_mac;
        uint8_t mac[6];

        /* kind "vlan" */
        unsigned vlan_id;
        unsigned vlan_protocol; /* host byte order, 0x8100 / 0x88a8 */

        /* kind "bridge" */
        int br_stp;             /* 0/1, -1 unknown */
        long br_forward_delay;  /* centiseconds (clock_t), -1 unknown */
        int br_vlan_filtering;  /* 0/1, -1 unknown */

        /* kind "bond" */
        struct bond_options bond;
};

/*
 * An RTM_*LINK request for ifindex (0: by IFLA_IFNAME) with its ifinfomsg,
 * ready for attributes: the start of anything not covered below (use the
 * mnl_attr_*_check() variants with NL_BUFFER_SIZE for long nests).  A PF's
 * VF list is vfinfo.h's.
 */
struct nlmsghdr *link_msg_new(struct nl *nl, uint16_t type, uint16_t flags, int ifindex);

/* -ENODEV when there is no such device. */
int link_get_by_name(struct nl *nl, const char *name, struct link *ret);
int link_get_by_index(struct nl *nl, int ifindex, struct link *ret);

/*
 * Calls cb for every port of bridge (or bond) master, in ifindex order.  cb
 * returns 0, or a negative errno that ends the walk (as -errno, errno set).
 */
typedef int (*link_cb_t)(const struct link *l, void *userdata);
int link_for_each_port(struct nl *nl, int master, link_cb_t cb, void *userdata);

int link_create_vlan(struct nl *nl, const char *name, int parent, unsigned id, unsigned protocol, unsigned mtu);
/* mac: NULL, or the bridge's address from birth (NET_ADDR_SET: neither udev's
 * MACAddressPolicy= nor the bridge's follow-the-lowest-port rule replace it). */
int link_create_bridge(struct nl *nl, const char *name, const uint8_t *mac);
/* o: the options to give from birth (negative ones are left to the kernel); mac as for a
 * bridge.  Loading the bonding module (the kernel does, for the first bond) makes bond0 on
 * its own unless max_bonds=0, which systemd's modprobe.d/systemd.conf sets. */
int link_create_bond(struct nl *nl, const char *name, const struct bond_options *o, const uint8_t *mac);
int link_delete(struct nl *nl, int ifindex);

/* Bridge options; a negative value leaves that option alone. */
struct bridge_options {
        int stp;
        long forward_delay;     /* centiseconds */
        int vlan_filtering;
};
int link_set_bridge_options(struct nl *nl, int ifindex, const struct bridge_options *o);

/* The kernel changes a bond's mode only without ports and while it is down, its LACP rate
 * only while it is down. */
int link_set_bond_options(struct nl *nl, int ifindex, const struct bond_options *o);

int link_set_mtu(struct nl *nl, int ifindex, unsigned mtu);
int link_set_mac(struct nl *nl, int ifindex, const uint8_t mac[6]);
int link_set_up(struct nl *nl, int ifindex, bool up);
/* master 0 releases the device from its master. */
int link_set_master(struct nl *nl, int ifindex, int master);

const char *vlan_protocol_name(unsigned protocol);

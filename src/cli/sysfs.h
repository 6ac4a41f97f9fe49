/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Reading the host for `hostvirt check` and `hostvirt status`: sysfs and
 * /proc paths under HOSTVIRT_ROOT, as every hostvirt program reads them.
 */

#include <stdbool.h>

#include "status.h"

/* root_path() of a formatted absolute path. */
char *host_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool host_exists(const char *path);
/* The last component of a symlink's target ("vfio-pci" for .../drivers/vfio-pci), or NULL. */
char *host_link_name(const char *path);
/* The first entry of a directory, in name order ("eno4v0" for .../virtfn0/net), or NULL. */
char *host_first_entry(const char *dir);
/* A number in a file as a status value: VAL_INT, or VAL_NULL when the file is missing or not a number. */
struct val host_read_int(const char *path);
/* The same for a 0/1 file as VAL_BOOL. */
struct val host_read_bool(const char *path);

/* Which of the kernel's netfilter hooks the traffic a bridge forwards between its ports passes
 * (br_netfilter): a mask of the families whose IPv4, IPv6 and ARP rules, iptables' or nftables',
 * see it (bit i: netfilter_family(i)); 0 when none, also when the kernel has no br_netfilter (no
 * /proc/sys/net/bridge).  A family is on when its global sysctl net.bridge.bridge-nf-call-FAMILY
 * is 1, or the bridge's own nf_call_FAMILY (which can only add it).  *ret_why, when not NULL,
 * gets the settings that turn them on ("" when none). */
unsigned bridge_netfilter(const char *bridge, char **ret_why);
/* "iptables", "ip6tables", "arptables" for i = 0, 1, 2; NULL past them. */
const char *netfilter_family(unsigned i);
/* The families of a mask joined: with sep between them and last before the last one. */
char *netfilter_families(unsigned mask, const char *sep, const char *last);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [Bond X]: a bonding device with its options, MAC address, MTU and ports, in
 * the transaction of netdev.c.
 *
 * The options are given at creation, and only those that are configured (the
 * kernel's defaults stay for the others).  An existing bond is adopted when its
 * mode is the configured one, or when it has no ports yet (the kernel changes
 * the mode only without ports); every other option that differs is set.  The
 * kernel changes the mode and the LACP rate only while the bond is down: an
 * adopted bond that is up is set down for that, recorded first (netdev.h), and
 * up again.  The kernel enslaves only ports that are down: each is set down
 * first and comes up again as it joins (ops.port_down_to_enslave).  The MTU is
 * set after the ports, and the kernel passes it on to them.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "log.h"
#include "net.h"
#include "netdev.h"
#include "util.h"

static void bond_init(struct netdev *nd) {
        const struct conf_bond *b = nd->obj;

        nd->name = b->name;
        nd->port_names = b->ports;
        nd->n_ports = b->n_ports;
        nd->mtu = b->mtu;
        nd->nm_managed = !b->unmanaged;
        nd->mac = b->has_mac ? b->mac : NULL;
}

/* What the configuration asks for; the unset ones negative (left alone). */
static struct bond_options bond_wanted(const struct conf_bond *b) {
        return (struct bond_options) {
                .mode = b->mode,
                .miimon_ms = b->miimon_ms == CONF_UNSET ? -1 : (long) b->miimon_ms,
                .xmit_hash_policy = b->xmit_hash_policy == CONF_UNSET ? -1 : b->xmit_hash_policy,
                .lacp_rate = b->lacp_rate == CONF_UNSET ? -1 : b->lacp_rate,
                .min_links = b->min_links == CONF_UNSET ? -1 : (long) b->min_links,
        };
}

/* The options of want that differ from have; false when none does. */
static bool options_diff(const struct bond_options *want, const struct bond_options *have, struct bond_options *ret) {
        *ret = BOND_OPTIONS_NONE;
        if (want->mode >= 0 && want->mode != have->mode)
                ret->mode = want->mode;
        if (want->miimon_ms >= 0 && want->miimon_ms != have->miimon_ms)
                ret->miimon_ms = want->miimon_ms;
        if (want->xmit_hash_policy >= 0 && want->xmit_hash_policy != have->xmit_hash_policy)
                ret->xmit_hash_policy = want->xmit_hash_policy;
        if (want->lacp_rate >= 0 && want->lacp_rate != have->lacp_rate)
                ret->lacp_rate = want->lacp_rate;
        if (want->min_links >= 0 && want->min_links != have->min_links)
                ret->min_links = want->min_links;
        return ret->mode >= 0 || ret->miimon_ms >= 0 || ret->xmit_hash_policy >= 0 || ret->lacp_rate >= 0 ||
               ret->min_links >= 0;
}

/* What the kernel changes only while the bond is down (BOND_OPTFLAG_IFDOWN). */
static const char *needs_down(const struct bond_options *change) {
        return change->mode >= 0 ? "its mode" : change->lacp_rate >= 0 ? "its LACP rate" : NULL;
}

static const char *mode_name(int mode) {
        const char *n = mode >= 0 ? bond_mode_name(mode) : NULL;
        return n ? n : "unknown";
}

static int add_name(const struct link *l, void *userdata) {
        char **names = userdata;
        char *joined = xasprintf("%s%s%s", *names ? *names : "", *names ? " " : "", l->name);

        free(*names);
        *names = joined;
        return 0;
}

/* Another mode, with ports: the kernel cannot change it, and hostvirt does not take the ports away. */
static int bond_check_existing(struct netdev *nd) {
        const struct conf_bond *b = nd->obj;
        _cleanup_free_ char *ports = NULL;
        int r;

        if (nd->dev.bond.mode == b->mode)
                return 0;
        r = link_for_each_port(nd->nl, nd->dev.ifindex, add_name, &ports);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to list the ports of bond %s", b->name);
        if (!ports)
                return 0;
        return log_error_errno(-EBUSY, "Failed to set up bond %s: it exists in mode %s with ports (%s), not in mode %s, "
                               "and a bond's mode cannot change while it has ports; leaving it alone",
                               b->name, mode_name(nd->dev.bond.mode), ports, mode_name(b->mode));
}

static int bond_create(struct netdev *nd) {
        const struct conf_bond *b = nd->obj;
        struct bond_options o = bond_wanted(b);
        int r;

        r = link_create_bond(nd->nl, b->name, &o, nd->mac);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to create bond %s (mode %s)", b->name, mode_name(b->mode));
        log_info("%s: created bond (mode %s)", b->name, mode_name(b->mode));
        return 0;
}

static int bond_set_options(struct netdev *nd) {
        const struct conf_bond *b = nd->obj;
        struct bond_options want = bond_wanted(b), change;
        const char *why;
        int r;

        if (!options_diff(&want, &nd->dev.bond, &change))
                return 0;
        why = needs_down(&change);
        if (why) {
                r = netdev_down_for_change(nd, why);
                if (r < 0)
                        return r;
        }
        r = link_set_bond_options(nd->nl, nd->dev.ifindex, &change);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to set the options of bond %s (Mode=, MIIMonitorSec=, "
                                    "TransmitHashPolicy=, LACPTransmitRate=, MinLinks=)", b->name);
        log_info("%s: set bond options", b->name);
        return 0;
}

static void bond_restore_options(struct netdev *nd, const struct link *now) {
        const struct link *before = &nd->undo.before;
        struct bond_options change;
        bool down_for_it;
        int r;

        if (!options_diff(&before->bond, &now->bond, &change))
                return;
        down_for_it = needs_down(&change) && (now->flags & IFF_UP);
        if (down_for_it && (r = link_set_up(nd->nl, now->ifindex, false)) < 0) {
                nl_log_error(nd->nl, r, "Failed to set bond %s down to set its options back", nd->name);
                return;
        }
        if ((r = link_set_bond_options(nd->nl, now->ifindex, &change)) < 0)
                nl_log_error(nd->nl, r, "Failed to set the options of bond %s back", nd->name);
        if (down_for_it && (r = link_set_up(nd->nl, now->ifindex, true)) < 0)
                nl_log_error(nd->nl, r, "Failed to set bond %s up again", nd->name);
}

static void bond_describe(const struct netdev *nd, char *buf, size_t size) {
        const struct conf_bond *b = nd->obj;

        snprintf(buf, size, "bond (mode %s)", mode_name(b->mode));
}

const struct netdev_ops bond_ops = {
        .kind = "bond",
        .what = "bond",
        .a_what = "a bond",
        .init = bond_init,
        .check_existing = bond_check_existing,
        .create = bond_create,
        .set_options = bond_set_options,
        .restore_options = bond_restore_options,
        .describe = bond_describe,
        .has_ports = true,
        .port_down_to_enslave = true,
};

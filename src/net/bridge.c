/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [Bridge X]: a Linux bridge with its options, MAC address, MTU and ports, in
 * the transaction of netdev.c.
 *
 * The MTU comes after the ports because the kernel sets a bridge's MTU to its
 * smallest port's unless the MTU was set on the bridge itself, which it only
 * counts when set by a change, not at creation.  The MAC address is given at
 * creation too: udev's MACAddressPolicy= would otherwise replace the random
 * address of a new bridge, racing with the change after.
 */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "net.h"
#include "netdev.h"
#include "util.h"

static void bridge_init(struct netdev *nd) {
        const struct conf_bridge *b = nd->obj;

        nd->name = b->name;
        nd->port_names = b->ports;
        nd->n_ports = b->n_ports;
        nd->mtu = b->mtu;
        nd->nm_managed = !b->unmanaged;
        nd->mac = b->has_mac ? b->mac : NULL;
}

static int bridge_create(struct netdev *nd) {
        const struct conf_bridge *b = nd->obj;
        int r;

        r = link_create_bridge(nd->nl, b->name, nd->mac);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to create bridge %s", b->name);
        log_info("%s: created bridge", b->name);
        return 0;
}

/* The options of want that differ from have; false when none does. */
static bool options_diff(const struct bridge_options *want, const struct link *have, struct bridge_options *ret) {
        *ret = (struct bridge_options) { -1, -1, -1 };
        if (want->stp >= 0 && want->stp != have->br_stp)
                ret->stp = want->stp;
        if (want->forward_delay >= 0 && want->forward_delay != have->br_forward_delay)
                ret->forward_delay = want->forward_delay;
        if (want->vlan_filtering >= 0 && want->vlan_filtering != have->br_vlan_filtering)
                ret->vlan_filtering = want->vlan_filtering;
        return ret->stp >= 0 || ret->forward_delay >= 0 || ret->vlan_filtering >= 0;
}

static int bridge_set_options(struct netdev *nd) {
        const struct conf_bridge *b = nd->obj;
        struct bridge_options want = {
                .stp = b->stp,
                /* the kernel counts in 1/100 s */
                .forward_delay = b->forward_delay_sec == CONF_UNSET ? -1 : b->forward_delay_sec * 100L,
                .vlan_filtering = b->vlan_filtering,
        }, change;
        int r;

        if (!options_diff(&want, &nd->dev, &change))
                return 0;
        r = link_set_bridge_options(nd->nl, nd->dev.ifindex, &change);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to set the options of bridge %s (STP, ForwardDelaySec=, VLANFiltering=)", b->name);
        log_info("%s: set bridge options", b->name);
        return 0;
}

static void bridge_restore_options(struct netdev *nd, const struct link *now) {
        const struct link *before = &nd->undo.before;
        struct bridge_options want = { before->br_stp, before->br_forward_delay, before->br_vlan_filtering }, change;
        int r;

        if (options_diff(&want, now, &change) && (r = link_set_bridge_options(nd->nl, now->ifindex, &change)) < 0)
                nl_log_error(nd->nl, r, "Failed to set the options of bridge %s back", nd->name);
}

const struct netdev_ops bridge_ops = {
        .kind = "bridge",
        .what = "bridge",
        .a_what = "a bridge",
        .init = bridge_init,
        .create = bridge_create,
        .set_options = bridge_set_options,
        .restore_options = bridge_restore_options,
        .has_ports = true,
};

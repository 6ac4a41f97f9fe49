/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [VLAN X]: an 802.1Q or 802.1ad device on its parent (Link=), in the
 * transaction of netdev.c.
 *
 * A VLAN's parent, id and protocol are fixed when it is created; the kernel
 * cannot change them later.  So an existing VLAN that differs in one of them
 * is refused rather than adopted: fixing it would mean deleting a device
 * that someone else made.  MTU and the up state are fixed in place.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "log.h"
#include "net.h"
#include "netdev.h"
#include "util.h"

const struct conf_bridge *vlan_bridge(const struct conf *c, const struct conf_vlan *v) {
        for (size_t i = 0; i < CONF_N(c, BRIDGE); i++)
                if (strv_contains(CONF_AT(c, BRIDGE, conf_bridge, i)->ports, v->name))
                        return CONF_AT(c, BRIDGE, conf_bridge, i);
        return NULL;
}

static void link_name_of(struct nl *nl, int ifindex, char ret[IF_NAMESIZE + 16]) {
        struct link l;

        if (ifindex > 0 && link_get_by_index(nl, ifindex, &l) >= 0)
                snprintf(ret, IF_NAMESIZE + 16, "%s", l.name);
        else
                snprintf(ret, IF_NAMESIZE + 16, "ifindex %d", ifindex);
}

static void vlan_init(struct netdev *nd) {
        const struct conf_vlan *v = nd->obj;

        nd->name = v->name;
        nd->mtu = v->mtu;
        nd->nm_managed = !v->unmanaged;
}

static int vlan_prepare(struct netdev *nd) {
        const struct conf_vlan *v = nd->obj;
        int r;

        r = link_get_by_name(nd->nl, v->link, &nd->lower);
        if (r == -ENODEV)
                return log_error_errno(r, "Failed to set up VLAN %s: its parent %s does not exist", v->name, v->link);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to look up %s, the parent of VLAN %s", v->link, v->name);
        return 0;
}

/* An existing VLAN named like ours: ours to adopt only if nothing fixed differs. */
static int vlan_check_existing(struct netdev *nd) {
        const struct conf_vlan *v = nd->obj;
        const struct link *dev = &nd->dev;
        char other[IF_NAMESIZE + 16];

        if (dev->parent != nd->lower.ifindex || dev->parent_in_other_netns) {
                link_name_of(nd->nl, dev->parent_in_other_netns ? 0 : dev->parent, other);
                return log_error_errno(-EEXIST, "Failed to set up VLAN %s: it exists on %s, not on %s, and a VLAN cannot move; leaving it alone",
                                       v->name, other, v->link);
        }

        if (dev->vlan_id != v->id || dev->vlan_protocol != (unsigned) v->protocol)
                return log_error_errno(-EEXIST, "Failed to set up VLAN %s: it exists with id %u (%s), not %u (%s), which cannot change in place; leaving it alone",
                                       v->name, dev->vlan_id, vlan_protocol_name(dev->vlan_protocol),
                                       v->id, vlan_protocol_name((unsigned) v->protocol));
        return 0;
}

static int vlan_create(struct netdev *nd) {
        const struct conf_vlan *v = nd->obj;
        int r;

        r = link_create_vlan(nd->nl, v->name, nd->lower.ifindex, v->id, (unsigned) v->protocol, v->mtu);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to create VLAN %s (id %u, %s) on %s", v->name, v->id,
                                    vlan_protocol_name((unsigned) v->protocol), v->link);
        log_info("%s: created VLAN %u (%s) on %s", v->name, v->id, vlan_protocol_name((unsigned) v->protocol), v->link);
        return 0;
}

/*
 * A VLAN created while its bridge is already up (its parent went away and
 * came back, say) joins it here: the bridge unit, still active, would not
 * enslave it again.
 */
static int vlan_join_bridge(struct netdev *nd, const char *bridge) {
        const struct conf_vlan *v = nd->obj;
        struct link br;
        int r;

        r = link_get_by_name(nd->nl, bridge, &br);
        if (r == -ENODEV)
                return 0; /* hostvirt-bridge@ enslaves it when it starts */
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to look up bridge %s of VLAN %s", bridge, v->name);
        if (!streq(br.kind, "bridge")) {
                log_warning("%s: %s is not a bridge, not joining it", v->name, bridge);
                return 0;
        }

        r = link_set_master(nd->nl, nd->dev.ifindex, br.ifindex);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to add VLAN %s to bridge %s", v->name, bridge);
        log_info("%s: joined bridge %s", v->name, bridge);
        return 0;
}

static int vlan_before_up(struct netdev *nd) {
        const struct conf_vlan *v = nd->obj;
        const struct conf_bridge *b = vlan_bridge(nd->c, v);
        int r;

        if (b && nd->undo.created) {
                r = vlan_join_bridge(nd, b->name);
                if (r < 0)
                        return r;
        }

        /*
         * A VLAN passes no traffic over a parent that is down, and at boot
         * nobody else brings a pure trunk up.  (The kernel also refuses
         * to set a VLAN up on a parent that is down.)  Stop leaves it up:
         * other VLANs may share it.
         */
        if (!(nd->lower.flags & IFF_UP)) {
                r = link_set_up(nd->nl, nd->lower.ifindex, true);
                if (r < 0)
                        return nl_log_error(nd->nl, r, "Failed to set %s, the parent of VLAN %s, up", v->link, v->name);
                nd->undo.lower_set_up = nd->lower.ifindex;
                log_info("%s: set parent %s up", v->name, v->link);
        }
        return 0;
}

static void vlan_describe(const struct netdev *nd, char *buf, size_t size) {
        const struct conf_vlan *v = nd->obj;

        snprintf(buf, size, "VLAN %u on %s", v->id, v->link);
}

const struct netdev_ops vlan_ops = {
        .kind = "vlan",
        .what = "VLAN",
        .a_what = "a VLAN",
        .init = vlan_init,
        .prepare = vlan_prepare,
        .check_existing = vlan_check_existing,
        .create = vlan_create,
        .before_up = vlan_before_up,
        .describe = vlan_describe,
};

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [VLAN X]: an 802.1Q or 802.1ad device on its parent (Link=).
 *
 * A VLAN's parent, id and protocol are fixed when it is created; the kernel
 * cannot change them later.  So an existing VLAN that differs in one of them
 * is refused rather than adopted: fixing it would mean deleting a device
 * that someone else made.  MTU and the up state are fixed in place.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "link.h"
#include "log.h"
#include "net.h"
#include "state.h"
#include "util.h"

/* What this start changed, so that a failing step can undo the earlier ones. */
struct vlan_undo {
        int created;            /* ifindex of the VLAN we created, or 0 */
        int set_up;             /* an adopted VLAN we set up */
        int mtu_of;             /* an adopted VLAN whose MTU we changed ... */
        unsigned old_mtu;       /* ... from this */
        int parent_set_up;      /* the parent we set up */
};

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

/* An existing device named like the VLAN: ours to adopt only if nothing fixed differs. */
static int vlan_check_existing(struct nl *nl, const struct conf_vlan *v, const struct link *dev,
                               const struct link *parent) {
        char other[IF_NAMESIZE + 16];

        if (!streq(dev->kind, "vlan"))
                return log_error_errno(-EEXIST, "Failed to set up VLAN %s: %s exists as a %s device, not a VLAN; leaving it alone",
                                       v->name, v->name, dev->kind[0] ? dev->kind : "hardware");

        if (dev->parent != parent->ifindex || dev->parent_in_other_netns) {
                link_name_of(nl, dev->parent_in_other_netns ? 0 : dev->parent, other);
                return log_error_errno(-EEXIST, "Failed to set up VLAN %s: it exists on %s, not on %s, and a VLAN cannot move; leaving it alone",
                                       v->name, other, v->link);
        }

        if (dev->vlan_id != v->id || dev->vlan_protocol != (unsigned) v->protocol)
                return log_error_errno(-EEXIST, "Failed to set up VLAN %s: it exists with id %u (%s), not %u (%s), which cannot change in place; leaving it alone",
                                       v->name, dev->vlan_id, vlan_protocol_name(dev->vlan_protocol),
                                       v->id, vlan_protocol_name((unsigned) v->protocol));
        return 0;
}

/*
 * A VLAN created while its bridge is already up (its parent went away and
 * came back, say) joins it here: the bridge unit, still active, would not
 * enslave it again.
 */
static int vlan_join_bridge(struct nl *nl, const struct conf_vlan *v, const char *bridge, int ifindex) {
        struct link br;
        int r;

        r = link_get_by_name(nl, bridge, &br);
        if (r == -ENODEV)
                return 0; /* hostvirt-bridge@ enslaves it when it starts */
        if (r < 0)
                return nl_log_error(nl, r, "Failed to look up bridge %s of VLAN %s", bridge, v->name);
        if (!streq(br.kind, "bridge")) {
                log_warning("%s: %s is not a bridge, not joining it", v->name, bridge);
                return 0;
        }

        r = link_set_master(nl, ifindex, br.ifindex);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to add VLAN %s to bridge %s", v->name, bridge);
        log_info("%s: joined bridge %s", v->name, bridge);
        return 0;
}

static int vlan_create(struct nl *nl, const struct conf_vlan *v, const struct link *parent, struct link *ret) {
        int r;

        r = link_create_vlan(nl, v->name, parent->ifindex, v->id, (unsigned) v->protocol, v->mtu);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to create VLAN %s (id %u, %s) on %s", v->name, v->id,
                                    vlan_protocol_name((unsigned) v->protocol), v->link);
        r = link_get_by_name(nl, v->name, ret);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to look up VLAN %s after creating it", v->name);

        log_info("%s: created VLAN %u (%s) on %s", v->name, v->id, vlan_protocol_name((unsigned) v->protocol), v->link);
        return 0;
}

/*
 * As for bridges (bridge.c), the record is rewritten before each change with
 * what is about to become ours, so that a start killed at any point leaves a
 * record that claims no less than is true.
 */
static int vlan_apply(struct nl *nl, const struct conf *c, const struct conf_vlan *v, const struct link *parent,
                      const struct link *existing, struct net_state *st, struct vlan_undo *undo) {
        const struct conf_bridge *b;
        struct link dev;
        int r;

        if (existing)
                dev = *existing;
        else {
                st->created = true;
                r = state_record("VLAN", v->name, st);
                if (r < 0)
                        return r;
                r = vlan_create(nl, v, parent, &dev);
                if (r < 0)
                        return r;
                undo->created = dev.ifindex;
                st->ifindex = dev.ifindex;
                r = state_record("VLAN", v->name, st);
                if (r < 0)
                        return r;
        }

        if (v->mtu > 0 && dev.mtu != v->mtu) {
                r = link_set_mtu(nl, dev.ifindex, v->mtu);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to set the MTU of VLAN %s to %u", v->name, v->mtu);
                if (!undo->created) {
                        undo->mtu_of = dev.ifindex;
                        undo->old_mtu = dev.mtu;
                }
                log_info("%s: MTU %u -> %u", v->name, dev.mtu, v->mtu);
        }

        b = vlan_bridge(c, v);
        if (b && undo->created) {
                r = vlan_join_bridge(nl, v, b->name, dev.ifindex);
                if (r < 0)
                        return r;
        }

        /*
         * A VLAN passes no traffic over a parent that is down, and at boot
         * nobody else brings a pure trunk up.  (The kernel also refuses
         * to set a VLAN up on a parent that is down.)  Stop leaves it up:
         * other VLANs may share it.
         */
        if (!(parent->flags & IFF_UP)) {
                r = link_set_up(nl, parent->ifindex, true);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to set %s, the parent of VLAN %s, up", v->link, v->name);
                undo->parent_set_up = parent->ifindex;
                log_info("%s: set parent %s up", v->name, v->link);
        }

        if (!(dev.flags & IFF_UP)) {
                /* one of ours goes at stop anyway; only an adopted one is set down again */
                if (!st->created) {
                        st->up = true;
                        r = state_record("VLAN", v->name, st);
                        if (r < 0)
                                return r;
                }
                r = link_set_up(nl, dev.ifindex, true);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to set VLAN %s up", v->name);
                if (!undo->created)
                        undo->set_up = dev.ifindex;
        }
        return 0;
}

/* Best effort, in reverse order; each failure is logged. */
static void vlan_undo(struct nl *nl, const struct conf_vlan *v, const struct vlan_undo *undo) {
        int r;

        if (undo->parent_set_up && (r = link_set_up(nl, undo->parent_set_up, false)) < 0)
                nl_log_error(nl, r, "Failed to set %s down again", v->link);

        if (undo->created) {
                r = link_delete(nl, undo->created);
                if (r < 0)
                        nl_log_error(nl, r, "Failed to delete VLAN %s again", v->name);
                else
                        log_info("%s: deleted it again", v->name);
                return;
        }

        if (undo->set_up && (r = link_set_up(nl, undo->set_up, false)) < 0)
                nl_log_error(nl, r, "Failed to set VLAN %s down again", v->name);
        if (undo->mtu_of && (r = link_set_mtu(nl, undo->mtu_of, undo->old_mtu)) < 0)
                nl_log_error(nl, r, "Failed to set the MTU of VLAN %s back to %u", v->name, undo->old_mtu);
}

int vlan_start(struct nl *nl, const struct conf *c, const struct conf_vlan *v) {
        struct net_state old = {}, st = {};
        struct vlan_undo undo = {};
        struct link parent, dev;
        bool exists, have_old;
        int r;

        r = link_get_by_name(nl, v->link, &parent);
        if (r == -ENODEV)
                return log_error_errno(r, "Failed to set up VLAN %s: its parent %s does not exist", v->name, v->link);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to look up %s, the parent of VLAN %s", v->link, v->name);

        r = link_get_by_name(nl, v->name, &dev);
        if (r < 0 && r != -ENODEV)
                return nl_log_error(nl, r, "Failed to look up VLAN %s", v->name);
        exists = r >= 0;
        if (exists) {
                r = vlan_check_existing(nl, v, &dev, &parent);
                if (r < 0)
                        goto out;
        }

        st.kind = xstrdup("vlan");
        /* The record of an earlier start still counts when it is about this very device, or
         * when that start was killed while creating it (created=yes, no ifindex yet). */
        have_old = state_read(v->name, &old) >= 0;
        if (exists && have_old && (old.ifindex == dev.ifindex || (old.ifindex == 0 && old.created))) {
                st.created = old.created;
                st.up = old.up;
        }
        st.ifindex = exists ? dev.ifindex : 0;

        /* Recorded before the device appears, so the udev rule sees it (NetworkManager). */
        r = state_record("VLAN", v->name, &st);
        if (r < 0)
                goto out;

        r = vlan_apply(nl, c, v, &parent, exists ? &dev : NULL, &st, &undo);
        if (r >= 0)
                r = state_record("VLAN", v->name, &st);
        if (r < 0) {
                vlan_undo(nl, v, &undo);
                if (have_old)
                        (void) state_write(v->name, &old);
                else
                        (void) state_remove(v->name);
                goto out;
        }

        if (exists)
                log_info("%s: VLAN %u on %s is up (%s)", v->name, v->id, v->link,
                         st.created ? "created earlier by hostvirt" : "adopted");
out:
        state_done(&old);
        state_done(&st);
        return r;
}

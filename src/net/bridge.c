/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [Bridge X]: a Linux bridge with its options, MAC address, MTU and ports.
 *
 * Everything is checked before anything changes: every port must exist and
 * may not be a port of another bridge (we never steal one).  Then, in this
 * order: create (or adopt), options, MAC address, ports, MTU, up.  The MTU
 * comes after the ports because the kernel sets a bridge's MTU to its
 * smallest port's unless the MTU was set on the bridge itself, which it only
 * counts when set by a change, not at creation.  A MAC address is always set
 * when configured, even when the bridge happens to have it already: only an
 * address set explicitly stays when ports come and go.
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
struct bridge_undo {
        int created;                    /* ifindex of the bridge we created, or 0 */
        struct link before;             /* an adopted bridge, as we found it */
        /* ports, by ifindex */
        int *enslaved;
        size_t n_enslaved;
        int *set_up_ports;
        size_t n_set_up_ports;
};

static void push_int(int **v, size_t *n, int i) {
        *v = xrealloc(*v, (*n + 1) * sizeof(**v));
        (*v)[(*n)++] = i;
}

static void undo_done(struct bridge_undo *u) {
        free(u->enslaved);
        free(u->set_up_ports);
}

/* Every port exists and is free, or already ours. */
static int bridge_check_ports(struct nl *nl, const struct conf_bridge *b, int bridge_ifindex, struct link *ports) {
        int r;

        for (size_t i = 0; i < b->n_ports; i++) {
                struct link *p = &ports[i], m;

                r = link_get_by_name(nl, b->ports[i], p);
                if (r == -ENODEV)
                        return log_error_errno(r, "Failed to set up bridge %s: its port %s does not exist", b->name, b->ports[i]);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to look up %s, a port of bridge %s", b->ports[i], b->name);

                if (p->master == 0 || (bridge_ifindex > 0 && p->master == bridge_ifindex))
                        continue;
                if (link_get_by_index(nl, p->master, &m) < 0)
                        snprintf(m.name, sizeof(m.name), "ifindex %d", p->master);
                return log_error_errno(-EBUSY, "Failed to set up bridge %s: %s is already a port of %s; leaving it there",
                                       b->name, p->name, m.name);
        }
        return 0;
}

static int bridge_create(struct nl *nl, const struct conf_bridge *b, struct link *ret) {
        int r;

        r = link_create_bridge(nl, b->name, b->has_mac ? b->mac : NULL);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to create bridge %s", b->name);
        r = link_get_by_name(nl, b->name, ret);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to look up bridge %s after creating it", b->name);
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

static int bridge_set_options(struct nl *nl, const struct conf_bridge *b, const struct link *br) {
        struct bridge_options want = {
                .stp = b->stp,
                /* the kernel counts in 1/100 s */
                .forward_delay = b->forward_delay_sec == CONF_UNSET ? -1 : b->forward_delay_sec * 100L,
                .vlan_filtering = b->vlan_filtering,
        }, change;
        int r;

        if (!options_diff(&want, br, &change))
                return 0;
        r = link_set_bridge_options(nl, br->ifindex, &change);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to set the options of bridge %s (STP, ForwardDelaySec=, VLANFiltering=)", b->name);
        log_info("%s: set bridge options", b->name);
        return 0;
}

static int bridge_set_mac(struct nl *nl, const struct conf_bridge *b, const struct link *br) {
        int r;

        if (!b->has_mac)
                return 0;
        r = link_set_mac(nl, br->ifindex, b->mac);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to set the MAC address of bridge %s", b->name);
        return 0;
}

/*
 * The record is rewritten before each change, saying what is about to become
 * ours: a start killed at any point leaves a record that is true or says a
 * little more than is true, never less.  So the next start does not take our
 * bridge for an admin's (and adopt it), and stop undoes all we did.  Stop
 * checks each claim against the kernel (a port it is told we enslaved but
 * that has no master is left alone), so saying a little more is harmless;
 * a failing start puts the record of before back anyway.
 */
static int bridge_enslave(struct nl *nl, const struct conf_bridge *b, const struct link *br, const struct link *ports,
                          struct net_state *st, struct bridge_undo *undo) {
        int r;

        for (size_t i = 0; i < b->n_ports; i++) {
                const struct link *p = &ports[i];
                struct state_port *sp;

                if (p->master == br->ifindex)
                        continue;
                sp = state_find_port(st, p->name);
                if (sp)
                        sp->enslaved = true;
                else
                        state_add_port(st, p->name, true, false);
                r = state_record("bridge", b->name, st);
                if (r < 0)
                        return r;

                r = link_set_master(nl, p->ifindex, br->ifindex);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to add %s to bridge %s", p->name, b->name);
                push_int(&undo->enslaved, &undo->n_enslaved, p->ifindex);
                log_info("%s: added port %s", b->name, p->name);
        }
        return 0;
}

static int bridge_set_mtu(struct nl *nl, const struct conf_bridge *b, const struct link *br) {
        struct link now;
        int r;

        if (b->mtu == 0)
                return 0;
        /* Re-read: the ports may have changed it. */
        r = link_get_by_index(nl, br->ifindex, &now);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to look up bridge %s", b->name);
        if (now.mtu == b->mtu)
                return 0;

        r = link_set_mtu(nl, br->ifindex, b->mtu);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to set the MTU of bridge %s to %u", b->name, b->mtu);
        log_info("%s: MTU %u -> %u", b->name, now.mtu, b->mtu);
        return 0;
}

static int bridge_set_up(struct nl *nl, const struct conf_bridge *b, const struct link *br, const struct link *ports,
                         struct net_state *st, struct bridge_undo *undo) {
        int r;

        /* A port that is down forwards nothing; at boot nobody else sets a bridge's ports up. */
        for (size_t i = 0; i < b->n_ports; i++) {
                const struct link *p = &ports[i];
                struct state_port *sp;

                if (p->flags & IFF_UP)
                        continue;
                sp = state_find_port(st, p->name);
                if (sp)
                        sp->up = true;
                else
                        state_add_port(st, p->name, false, true);
                r = state_record("bridge", b->name, st);
                if (r < 0)
                        return r;

                r = link_set_up(nl, p->ifindex, true);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to set %s, a port of bridge %s, up", p->name, b->name);
                push_int(&undo->set_up_ports, &undo->n_set_up_ports, p->ifindex);
        }

        if (br->flags & IFF_UP)
                return 0;
        /* A bridge of ours goes at stop anyway; only an adopted one is set down again. */
        if (!st->created) {
                st->up = true;
                r = state_record("bridge", b->name, st);
                if (r < 0)
                        return r;
        }
        r = link_set_up(nl, br->ifindex, true);
        if (r < 0)
                return nl_log_error(nl, r, "Failed to set bridge %s up", b->name);
        return 0;
}

static int bridge_apply(struct nl *nl, const struct conf_bridge *b, const struct link *existing, const struct link *ports,
                        struct net_state *st, struct bridge_undo *undo) {
        struct link br;
        int r;

        if (existing) {
                br = *existing;
                undo->before = br;
        } else {
                /* created=yes with no ifindex yet: a start killed right after the kernel
                 * made the bridge leaves a record that still claims it (see bridge_start) */
                st->created = true;
                r = state_record("bridge", b->name, st);
                if (r < 0)
                        return r;
                r = bridge_create(nl, b, &br);
                if (r < 0)
                        return r;
                undo->created = br.ifindex;
                st->ifindex = br.ifindex;
                r = state_record("bridge", b->name, st);
                if (r < 0)
                        return r;
        }

        r = bridge_set_options(nl, b, &br);
        if (r < 0)
                return r;
        r = bridge_set_mac(nl, b, &br);
        if (r < 0)
                return r;
        r = bridge_enslave(nl, b, &br, ports, st, undo);
        if (r < 0)
                return r;
        r = bridge_set_mtu(nl, b, &br);
        if (r < 0)
                return r;
        return bridge_set_up(nl, b, &br, ports, st, undo);
}

/*
 * An adopted bridge gets back what differs from how we found it: not only
 * what we set, but also what the kernel changed on its own as ports came
 * and went (a bridge without an address of its own takes its ports', and
 * its MTU follows theirs).
 */
static void bridge_restore(struct nl *nl, const struct conf_bridge *b, const struct link *before) {
        struct bridge_options want = { before->br_stp, before->br_forward_delay, before->br_vlan_filtering }, change;
        struct link now;
        int r;

        r = link_get_by_index(nl, before->ifindex, &now);
        if (r < 0) {
                nl_log_error(nl, r, "Failed to look up bridge %s to restore it", b->name);
                return;
        }
        if (!(before->flags & IFF_UP) && (now.flags & IFF_UP) && (r = link_set_up(nl, now.ifindex, false)) < 0)
                nl_log_error(nl, r, "Failed to set bridge %s down again", b->name);
        if (now.mtu != before->mtu && (r = link_set_mtu(nl, now.ifindex, before->mtu)) < 0)
                nl_log_error(nl, r, "Failed to set the MTU of bridge %s back to %u", b->name, before->mtu);
        if (before->has_mac && memcmp(now.mac, before->mac, 6) != 0 && (r = link_set_mac(nl, now.ifindex, before->mac)) < 0)
                nl_log_error(nl, r, "Failed to set the MAC address of bridge %s back", b->name);
        if (options_diff(&want, &now, &change) && (r = link_set_bridge_options(nl, now.ifindex, &change)) < 0)
                nl_log_error(nl, r, "Failed to set the options of bridge %s back", b->name);
}

/* Best effort, in reverse order; each failure is logged. */
static void bridge_undo(struct nl *nl, const struct conf_bridge *b, const struct bridge_undo *u) {
        int r;

        for (size_t i = u->n_set_up_ports; i > 0; i--)
                if ((r = link_set_up(nl, u->set_up_ports[i - 1], false)) < 0)
                        nl_log_error(nl, r, "Failed to set a port of bridge %s down again", b->name);
        for (size_t i = u->n_enslaved; i > 0; i--)
                if ((r = link_set_master(nl, u->enslaved[i - 1], 0)) < 0)
                        nl_log_error(nl, r, "Failed to release a port of bridge %s again", b->name);

        if (u->created) {
                r = link_delete(nl, u->created);
                if (r < 0)
                        nl_log_error(nl, r, "Failed to delete bridge %s again", b->name);
                else
                        log_info("%s: deleted it again", b->name);
        } else if (u->before.ifindex > 0)
                bridge_restore(nl, b, &u->before);
}

int bridge_start(struct nl *nl, const struct conf_bridge *b) {
        _cleanup_free_ struct link *ports = xcalloc(b->n_ports + 1, sizeof(struct link));
        struct net_state old = {}, st = {};
        struct bridge_undo undo = {};
        struct link br;
        bool exists, have_old;
        int r;

        r = link_get_by_name(nl, b->name, &br);
        if (r < 0 && r != -ENODEV)
                return nl_log_error(nl, r, "Failed to look up bridge %s", b->name);
        exists = r >= 0;
        if (exists && !streq(br.kind, "bridge")) {
                r = log_error_errno(-EEXIST, "Failed to set up bridge %s: %s exists as a %s device, not a bridge; leaving it alone",
                                    b->name, b->name, br.kind[0] ? br.kind : "hardware");
                goto out;
        }

        r = bridge_check_ports(nl, b, exists ? br.ifindex : 0, ports);
        if (r < 0)
                goto out;

        st.kind = xstrdup("bridge");
        /* The record of an earlier start still counts when it is about this very bridge, or
         * when that start was killed while creating it (created=yes, ifindex not known yet:
         * the record lives in /run, so only a start since this boot can have left it). */
        have_old = state_read(b->name, &old) >= 0;
        if (exists && have_old && (old.ifindex == br.ifindex || (old.ifindex == 0 && old.created))) {
                st.created = old.created;
                st.up = old.up;
                for (size_t i = 0; i < old.n_ports; i++)
                        state_add_port(&st, old.ports[i].name, old.ports[i].enslaved, old.ports[i].up);
        }
        st.ifindex = exists ? br.ifindex : 0;

        /* Recorded before the bridge appears, so the udev rule sees it (NetworkManager). */
        r = state_record("bridge", b->name, &st);
        if (r < 0)
                goto out;

        r = bridge_apply(nl, b, exists ? &br : NULL, ports, &st, &undo);
        if (r >= 0)
                r = state_record("bridge", b->name, &st);
        if (r < 0) {
                bridge_undo(nl, b, &undo);
                if (have_old)
                        (void) state_write(b->name, &old);
                else
                        (void) state_remove(b->name);
                goto out;
        }

        if (exists)
                log_info("%s: bridge is up (%s)", b->name, st.created ? "created earlier by hostvirt" : "adopted");
out:
        undo_done(&undo);
        state_done(&old);
        state_done(&st);
        return r;
}

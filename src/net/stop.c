/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stop, for VLANs and bridges alike: undo what the record of start says,
 * and nothing else.  It needs no configuration (the admin may have changed
 * or removed it since), only /run/hostvirt/net/NAME.
 */
#include <errno.h>
#include <net/if.h>

#include "link.h"
#include "log.h"
#include "net.h"
#include "state.h"
#include "util.h"

/* Releases the ports we enslaved, sets down those we set up; returns the first error. */
static int stop_ports(struct nl *nl, const char *name, const struct net_state *st, const struct link *dev) {
        int r = 0, k;

        for (size_t i = 0; i < st->n_ports; i++) {
                const struct state_port *sp = &st->ports[i];
                struct link p;

                k = link_get_by_name(nl, sp->name, &p);
                if (k == -ENODEV)
                        continue; /* gone, and with it what we did to it */
                if (k < 0) {
                        r = r < 0 ? r : nl_log_error(nl, k, "Failed to look up %s, a port of %s", sp->name, name);
                        continue;
                }
                /* A port someone moved to another master since is theirs now. */
                if (p.master != 0 && (!dev || p.master != dev->ifindex))
                        continue;

                if (sp->enslaved && p.master != 0) {
                        k = link_set_master(nl, p.ifindex, 0);
                        if (k < 0)
                                r = r < 0 ? r : nl_log_error(nl, k, "Failed to release %s from bridge %s", sp->name, name);
                        else
                                log_info("%s: released port %s", name, sp->name);
                }
                if (sp->up && (p.flags & IFF_UP)) {
                        k = link_set_up(nl, p.ifindex, false);
                        if (k < 0)
                                r = r < 0 ? r : nl_log_error(nl, k, "Failed to set %s, a port of %s, down", sp->name, name);
                }
        }
        return r;
}

static int add_name(const struct link *l, void *userdata) {
        char **names = userdata;
        char *joined = xasprintf("%s%s%s", *names ? *names : "", *names ? " " : "", l->name);

        free(*names);
        *names = joined;
        return 0;
}

/*
 * Deleting a bridge detaches whatever else is on it, the guests' tap
 * interfaces first of all: say so, as it is what the admin will miss.
 */
static void log_foreign_ports(struct nl *nl, const char *name, int ifindex) {
        _cleanup_free_ char *names = NULL;

        if (link_for_each_port(nl, ifindex, add_name, &names) >= 0 && names)
                log_warning("%s: deleting it detaches %s, which hostvirt did not add", name, names);
}

static int stop_device(struct nl *nl, const char *what, const char *name, const struct net_state *st, const struct link *dev) {
        int r;

        if (st->created) {
                if (streq(dev->kind, "bridge"))
                        log_foreign_ports(nl, name, dev->ifindex);
                r = link_delete(nl, dev->ifindex);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to delete %s %s", what, name);
                log_info("%s: deleted", name);
                return 0;
        }

        if (st->up && (dev->flags & IFF_UP)) {
                r = link_set_up(nl, dev->ifindex, false);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to set %s %s down", what, name);
        }
        log_info("%s: left in place (it existed before hostvirt started it)", name);
        return 0;
}

static int net_stop(struct nl *nl, const char *kind, const char *what, const char *name) {
        struct net_state st = {};
        struct link dev;
        bool ours;
        int r, k;

        r = state_read(name, &st);
        if (r == -ENOENT) {
                log_info("%s: not set up by hostvirt, nothing to undo", name);
                return 0;
        }
        if (r < 0)
                return log_error_errno(r, "Failed to read the state of %s %s: %m", what, name);

        r = link_get_by_name(nl, name, &dev);
        if (r < 0 && r != -ENODEV) {
                nl_log_error(nl, r, "Failed to look up %s %s", what, name);
                goto out;
        }
        /* Only the very device we set up: a same-named successor is someone else's.  A record
         * with created=yes and no ifindex is from a start killed while it created the device,
         * which may or may not exist now: one of the kind and name is that one. */
        ours = r >= 0 && streq(dev.kind, kind) && (dev.ifindex == st.ifindex || (st.ifindex == 0 && st.created));
        if (r == -ENODEV)
                log_info("%s: already gone", name);
        else if (!ours)
                log_info("%s: not the device hostvirt set up (replaced since), leaving it alone", name);

        r = stop_ports(nl, name, &st, ours ? &dev : NULL);
        if (ours) {
                k = stop_device(nl, what, name, &st, &dev);
                if (k < 0 && r == 0)
                        r = k;
        }

        /* On failure the record stays, so that stop can be tried again. */
        if (r == 0) {
                r = state_remove(name);
                if (r < 0)
                        log_error_errno(r, "Failed to remove the state of %s %s: %m", what, name);
        }
out:
        state_done(&st);
        return r;
}

int vlan_stop(struct nl *nl, const char *name) {
        return net_stop(nl, "vlan", "VLAN", name);
}

int bridge_stop(struct nl *nl, const char *name) {
        return net_stop(nl, "bridge", "bridge", name);
}

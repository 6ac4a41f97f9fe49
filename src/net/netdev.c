/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The start/stop transaction of every device hostvirt-net sets up (netdev.h says
 * the steps).  What differs between VLANs, bridges and bonds is in their ops
 * tables; everything else, and all of the record and the undo, is here.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "log.h"
#include "netdev.h"
#include "util.h"

static void push_int(int **v, size_t *n, int i) {
        *v = xrealloc(*v, (*n + 1) * sizeof(**v));
        (*v)[(*n)++] = i;
}

int netdev_record(struct netdev *nd) {
        return state_record(nd->ops->what, nd->name, &nd->st);
}

/* ------------------------------------------------------------------ checks */

/* Every port exists and is free, or already ours. */
static int check_ports(struct netdev *nd) {
        int master = nd->exists ? nd->dev.ifindex : 0, r;

        for (size_t i = 0; i < nd->n_ports; i++) {
                struct link *p = &nd->ports[i], m;

                r = link_get_by_name(nd->nl, nd->port_names[i], p);
                if (r == -ENODEV)
                        return log_error_errno(r, "Failed to set up %s %s: its port %s does not exist", nd->ops->what,
                                               nd->name, nd->port_names[i]);
                if (r < 0)
                        return nl_log_error(nd->nl, r, "Failed to look up %s, a port of %s %s", nd->port_names[i],
                                            nd->ops->what, nd->name);

                if (p->master == 0 || (master > 0 && p->master == master))
                        continue;
                if (link_get_by_index(nd->nl, p->master, &m) < 0)
                        snprintf(m.name, sizeof(m.name), "ifindex %d", p->master);
                return log_error_errno(-EBUSY, "Failed to set up %s %s: %s is already a port of %s; leaving it there",
                                       nd->ops->what, nd->name, p->name, m.name);
        }
        return 0;
}

/* Everything start needs, looked up and checked; nothing changed. */
static int check_all(struct netdev *nd) {
        int r;

        if (nd->ops->prepare) {
                r = nd->ops->prepare(nd);
                if (r < 0)
                        return r;
        }

        r = link_get_by_name(nd->nl, nd->name, &nd->dev);
        if (r < 0 && r != -ENODEV)
                return nl_log_error(nd->nl, r, "Failed to look up %s %s", nd->ops->what, nd->name);
        nd->exists = r >= 0;
        if (nd->exists) {
                if (!streq(nd->dev.kind, nd->ops->kind))
                        return log_error_errno(-EEXIST, "Failed to set up %s %s: %s exists as a %s device, not %s; leaving it alone",
                                               nd->ops->what, nd->name, nd->name,
                                               nd->dev.kind[0] ? nd->dev.kind : "hardware", nd->ops->a_what);
                if (nd->ops->check_existing) {
                        r = nd->ops->check_existing(nd);
                        if (r < 0)
                                return r;
                }
        }

        return check_ports(nd);
}

/* ------------------------------------------------------------------ the steps */

static int step_create(struct netdev *nd) {
        int r;

        if (nd->exists) {
                nd->undo.before = nd->dev;
                return 0;
        }

        /* created=yes with no ifindex yet: a start killed right after the kernel made the
         * device leaves a record that still claims it (see netdev_start) */
        nd->st.created = true;
        r = netdev_record(nd);
        if (r < 0)
                return r;
        r = nd->ops->create(nd);
        if (r < 0)
                return r;
        r = link_get_by_name(nd->nl, nd->name, &nd->dev);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to look up %s %s after creating it", nd->ops->what, nd->name);
        nd->undo.created = nd->dev.ifindex;
        nd->st.ifindex = nd->dev.ifindex;
        return netdev_record(nd);
}

int netdev_down_for_change(struct netdev *nd, const char *why) {
        int r;

        if (!(nd->dev.flags & IFF_UP))
                return 0;
        if (!nd->undo.created) {
                nd->st.down = true;
                r = netdev_record(nd);
                if (r < 0)
                        return r;
        }
        r = link_set_up(nd->nl, nd->dev.ifindex, false);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to set %s %s down to change %s", nd->ops->what, nd->name, why);
        nd->dev.flags &= ~IFF_UP;
        if (!nd->undo.created)
                nd->undo.set_down = true;
        log_info("%s: set down to change %s", nd->name, why);
        return 0;
}

/* Always set when configured, even when the device happens to have it already: only an
 * address set explicitly stays when ports come and go. */
static int step_mac(struct netdev *nd) {
        int r;

        if (!nd->mac)
                return 0;
        r = link_set_mac(nd->nl, nd->dev.ifindex, nd->mac);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to set the MAC address of %s %s", nd->ops->what, nd->name);
        return 0;
}

/*
 * The record is rewritten before each change, saying what is about to become
 * ours: a start killed at any point leaves a record that is true or says a
 * little more than is true, never less.  So the next start does not take our
 * device for an admin's (and adopt it), and stop undoes all we did.  Stop
 * checks each claim against the kernel (a port it is told we enslaved but
 * that has no master is left alone), so saying a little more is harmless;
 * a failing start puts the record of before back anyway.
 */
static int step_enslave(struct netdev *nd) {
        int r;

        for (size_t i = 0; i < nd->n_ports; i++) {
                struct link *p = &nd->ports[i];
                struct state_port *sp;
                bool was_up = p->flags & IFF_UP;

                if (p->master == nd->dev.ifindex)
                        continue;
                sp = state_port(&nd->st, p->name);
                sp->enslaved = true;
                if (nd->ops->port_down_to_enslave) {
                        /* Down for the kernel, and up again after (by the kernel or us): stop
                         * sets up again what was up, and down what was down.  (A port that is
                         * down because a killed start set it down was up.) */
                        if (was_up)
                                sp->down = true;
                        else if (!sp->down)
                                sp->up = true;
                }
                r = netdev_record(nd);
                if (r < 0)
                        return r;

                if (nd->ops->port_down_to_enslave && was_up) {
                        r = link_set_up(nd->nl, p->ifindex, false);
                        if (r < 0)
                                return nl_log_error(nd->nl, r, "Failed to set %s down to add it to %s %s", p->name,
                                                    nd->ops->what, nd->name);
                        push_int(&nd->undo.ports_set_down, &nd->undo.n_ports_set_down, p->ifindex);
                }
                r = link_set_master(nd->nl, p->ifindex, nd->dev.ifindex);
                if (r < 0)
                        return nl_log_error(nd->nl, r, "Failed to add %s to %s %s", p->name, nd->ops->what, nd->name);
                push_int(&nd->undo.enslaved, &nd->undo.n_enslaved, p->ifindex);
                log_info("%s: added port %s", nd->name, p->name);

                if (nd->ops->port_down_to_enslave) {
                        /* the kernel may have set it up itself (bonding does) */
                        r = link_get_by_index(nd->nl, p->ifindex, p);
                        if (r < 0)
                                return nl_log_error(nd->nl, r, "Failed to look up %s, a port of %s %s", sp->name,
                                                    nd->ops->what, nd->name);
                        if (!was_up)
                                push_int(&nd->undo.ports_set_up, &nd->undo.n_ports_set_up, p->ifindex);
                }
        }
        return 0;
}

static int step_mtu(struct netdev *nd) {
        struct link now;
        int r;

        if (nd->mtu == 0)
                return 0;
        /* Re-read a device with ports: they may have changed it. */
        now = nd->dev;
        if (nd->ops->has_ports) {
                r = link_get_by_index(nd->nl, nd->dev.ifindex, &now);
                if (r < 0)
                        return nl_log_error(nd->nl, r, "Failed to look up %s %s", nd->ops->what, nd->name);
        }
        if (now.mtu == nd->mtu)
                return 0;

        r = link_set_mtu(nd->nl, nd->dev.ifindex, nd->mtu);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to set the MTU of %s %s to %u", nd->ops->what, nd->name, nd->mtu);
        log_info("%s: MTU %u -> %u", nd->name, now.mtu, nd->mtu);
        return 0;
}

static int step_up(struct netdev *nd) {
        int r;

        /* A port that is down carries nothing; at boot nobody else sets a device's ports up. */
        for (size_t i = 0; i < nd->n_ports; i++) {
                const struct link *p = &nd->ports[i];
                struct state_port *sp;

                if (p->flags & IFF_UP)
                        continue;
                sp = state_port(&nd->st, p->name);
                /* one we set down to enslave it was up before: setting it up is no new claim */
                if (!sp->down && !sp->up) {
                        sp->up = true;
                        r = netdev_record(nd);
                        if (r < 0)
                                return r;
                }
                r = link_set_up(nd->nl, p->ifindex, true);
                if (r < 0)
                        return nl_log_error(nd->nl, r, "Failed to set %s, a port of %s %s, up", p->name, nd->ops->what,
                                            nd->name);
                push_int(&nd->undo.ports_set_up, &nd->undo.n_ports_set_up, p->ifindex);
        }

        if (nd->dev.flags & IFF_UP) {
                nd->st.down = false;    /* (someone set it up since a killed start set it down) */
                return 0;
        }
        /* One of ours goes at stop anyway; only an adopted one is set down again, and not one
         * that was up before we set it down for a change (down=yes). */
        if (!nd->st.created && !nd->st.down) {
                nd->st.up = true;
                r = netdev_record(nd);
                if (r < 0)
                        return r;
        }
        r = link_set_up(nd->nl, nd->dev.ifindex, true);
        if (r < 0)
                return nl_log_error(nd->nl, r, "Failed to set %s %s up", nd->ops->what, nd->name);
        nd->dev.flags |= IFF_UP;
        nd->st.down = false;
        return 0;
}

static int apply(struct netdev *nd) {
        int r;

        r = step_create(nd);
        if (r < 0)
                return r;
        if (nd->ops->set_options) {
                r = nd->ops->set_options(nd);
                if (r < 0)
                        return r;
        }
        r = step_mac(nd);
        if (r < 0)
                return r;
        r = step_enslave(nd);
        if (r < 0)
                return r;
        r = step_mtu(nd);
        if (r < 0)
                return r;
        if (nd->ops->before_up) {
                r = nd->ops->before_up(nd);
                if (r < 0)
                        return r;
        }
        return step_up(nd);
}

/* ------------------------------------------------------------------ undo */

/*
 * An adopted device gets back what differs from how we found it: not only
 * what we set, but also what the kernel changed on its own as ports came
 * and went (a bridge without an address of its own takes its ports', and
 * its MTU follows theirs).
 */
static void restore(struct netdev *nd) {
        const struct link *before = &nd->undo.before;
        const char *what = nd->ops->what;
        struct link now;
        int r;

        r = link_get_by_index(nd->nl, before->ifindex, &now);
        if (r < 0) {
                nl_log_error(nd->nl, r, "Failed to look up %s %s to restore it", what, nd->name);
                return;
        }
        if (!(before->flags & IFF_UP) && (now.flags & IFF_UP)) {
                if ((r = link_set_up(nd->nl, now.ifindex, false)) < 0)
                        nl_log_error(nd->nl, r, "Failed to set %s %s down again", what, nd->name);
                else
                        now.flags &= ~IFF_UP;
        }
        if (now.mtu != before->mtu && (r = link_set_mtu(nd->nl, now.ifindex, before->mtu)) < 0)
                nl_log_error(nd->nl, r, "Failed to set the MTU of %s %s back to %u", what, nd->name, before->mtu);
        if (before->has_mac && memcmp(now.mac, before->mac, 6) != 0 && (r = link_set_mac(nd->nl, now.ifindex, before->mac)) < 0)
                nl_log_error(nd->nl, r, "Failed to set the MAC address of %s %s back", what, nd->name);
        if (nd->ops->restore_options)
                nd->ops->restore_options(nd, &now);
        /* up again, if we set it down for a change */
        if (nd->undo.set_down && (before->flags & IFF_UP) && link_get_by_index(nd->nl, now.ifindex, &now) >= 0 &&
            !(now.flags & IFF_UP) && (r = link_set_up(nd->nl, now.ifindex, true)) < 0)
                nl_log_error(nd->nl, r, "Failed to set %s %s up again", what, nd->name);
}

/* Best effort, in reverse order; each failure is logged. */
static void undo(struct netdev *nd) {
        const char *what = nd->ops->what;
        int r;

        if (nd->undo.lower_set_up && (r = link_set_up(nd->nl, nd->undo.lower_set_up, false)) < 0)
                nl_log_error(nd->nl, r, "Failed to set %s down again", nd->lower.name);
        for (size_t i = nd->undo.n_ports_set_up; i > 0; i--)
                if ((r = link_set_up(nd->nl, nd->undo.ports_set_up[i - 1], false)) < 0)
                        nl_log_error(nd->nl, r, "Failed to set a port of %s %s down again", what, nd->name);
        for (size_t i = nd->undo.n_enslaved; i > 0; i--)
                if ((r = link_set_master(nd->nl, nd->undo.enslaved[i - 1], 0)) < 0)
                        nl_log_error(nd->nl, r, "Failed to release a port of %s %s again", what, nd->name);
        for (size_t i = nd->undo.n_ports_set_down; i > 0; i--)
                if ((r = link_set_up(nd->nl, nd->undo.ports_set_down[i - 1], true)) < 0)
                        nl_log_error(nd->nl, r, "Failed to set a port of %s %s up again", what, nd->name);

        if (nd->undo.created) {
                r = link_delete(nd->nl, nd->undo.created);
                if (r < 0)
                        nl_log_error(nd->nl, r, "Failed to delete %s %s again", what, nd->name);
                else
                        log_info("%s: deleted it again", nd->name);
        } else if (nd->undo.before.ifindex > 0)
                restore(nd);
}

/* ------------------------------------------------------------------ start */

int netdev_start(struct nl *nl, const struct conf *c, const struct netdev_ops *ops, const void *obj) {
        struct netdev nd = { .ops = ops, .nl = nl, .c = c, .obj = obj };
        struct net_state old = {};
        bool have_old, had_nm_managed;
        int r;

        ops->init(&nd);
        nd.ports = xcalloc(nd.n_ports + 1, sizeof(struct link));

        r = check_all(&nd);
        if (r < 0)
                goto out;

        nd.st.kind = xstrdup(ops->kind);
        /* The record of an earlier start still counts when it is about this very device, or
         * when that start was killed while creating it (created=yes, ifindex not known yet:
         * the record lives in /run, so only a start since this boot can have left it). */
        have_old = state_read(nd.name, &old) >= 0;
        if (nd.exists && have_old && (old.ifindex == nd.dev.ifindex || (old.ifindex == 0 && old.created))) {
                nd.st.created = old.created;
                nd.st.up = old.up;
                nd.st.down = old.down;
                for (size_t i = 0; i < old.n_ports; i++) {
                        struct state_port *sp = state_port(&nd.st, old.ports[i].name);
                        sp->enslaved = old.ports[i].enslaved;
                        sp->up = old.ports[i].up;
                        sp->down = old.ports[i].down;
                }
        }
        nd.st.ifindex = nd.exists ? nd.dev.ifindex : 0;

        /* Recorded before the device appears, so the udev rule sees it (NetworkManager):
         * the mark that lets NetworkManager manage it first, then the record. */
        had_nm_managed = state_nm_managed(nd.name);
        r = state_set_nm_managed(nd.name, nd.nm_managed);
        if (r < 0) {
                log_error_errno(r, "Failed to record that NetworkManager may manage %s %s: %m", ops->what, nd.name);
                goto out;
        }
        r = netdev_record(&nd);
        if (r < 0) {
                (void) state_set_nm_managed(nd.name, had_nm_managed);
                goto out;
        }

        r = apply(&nd);
        if (r >= 0)
                r = netdev_record(&nd);
        if (r < 0) {
                undo(&nd);
                if (have_old)
                        (void) state_write(nd.name, &old);
                else
                        (void) state_remove(nd.name);
                (void) state_set_nm_managed(nd.name, had_nm_managed);
                goto out;
        }

        if (nd.exists) {
                char desc[64];

                if (ops->describe)
                        ops->describe(&nd, desc, sizeof(desc));
                else
                        snprintf(desc, sizeof(desc), "%s", ops->what);
                log_info("%s: %s is up (%s)", nd.name, desc, nd.st.created ? "created earlier by hostvirt" : "adopted");
        }
out:
        free(nd.undo.enslaved);
        free(nd.undo.ports_set_up);
        free(nd.undo.ports_set_down);
        free(nd.ports);
        state_done(&old);
        state_done(&nd.st);
        return r;
}

/* ------------------------------------------------------------------ stop */

/* Releases the ports we enslaved, sets down those we set up and up those we set down;
 * returns the first error. */
static int stop_ports(struct nl *nl, const struct netdev_ops *ops, const char *name, const struct net_state *st,
                      const struct link *dev) {
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
                        if (k < 0) {
                                r = r < 0 ? r : nl_log_error(nl, k, "Failed to release %s from %s %s", sp->name, ops->what, name);
                                continue;
                        }
                        log_info("%s: released port %s", name, sp->name);
                        /* releasing may change its state (bonding sets it down) */
                        if (sp->down && link_get_by_index(nl, p.ifindex, &p) < 0)
                                continue;
                }
                if (sp->up && (p.flags & IFF_UP)) {
                        k = link_set_up(nl, p.ifindex, false);
                        if (k < 0)
                                r = r < 0 ? r : nl_log_error(nl, k, "Failed to set %s, a port of %s, down", sp->name, name);
                }
                if (sp->down && !(p.flags & IFF_UP)) {
                        k = link_set_up(nl, p.ifindex, true);
                        if (k < 0)
                                r = r < 0 ? r : nl_log_error(nl, k, "Failed to set %s, a port of %s, up again", sp->name, name);
                        else
                                log_info("%s: set %s up again, as it was", name, sp->name);
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
 * Deleting a bridge (or bond) detaches whatever else is on it, the guests' tap
 * interfaces first of all: say so, as it is what the admin will miss.
 */
static void log_foreign_ports(struct nl *nl, const char *name, int ifindex) {
        _cleanup_free_ char *names = NULL;

        if (link_for_each_port(nl, ifindex, add_name, &names) >= 0 && names)
                log_warning("%s: deleting it detaches %s, which hostvirt did not add", name, names);
}

static int stop_device(struct nl *nl, const struct netdev_ops *ops, const char *name, const struct net_state *st,
                       const struct link *dev) {
        int r;

        if (st->created) {
                if (ops->has_ports)
                        log_foreign_ports(nl, name, dev->ifindex);
                r = link_delete(nl, dev->ifindex);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to delete %s %s", ops->what, name);
                log_info("%s: deleted", name);
                return 0;
        }

        if (st->up && (dev->flags & IFF_UP)) {
                r = link_set_up(nl, dev->ifindex, false);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to set %s %s down", ops->what, name);
        }
        /* a start set it down for a change and did not get to set it up again */
        if (st->down && !(dev->flags & IFF_UP)) {
                r = link_set_up(nl, dev->ifindex, true);
                if (r < 0)
                        return nl_log_error(nl, r, "Failed to set %s %s up again", ops->what, name);
        }
        log_info("%s: left in place (it existed before hostvirt started it)", name);
        return 0;
}

int netdev_stop(struct nl *nl, const struct netdev_ops *ops, const char *name) {
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
                return log_error_errno(r, "Failed to read the state of %s %s: %m", ops->what, name);

        r = link_get_by_name(nl, name, &dev);
        if (r < 0 && r != -ENODEV) {
                nl_log_error(nl, r, "Failed to look up %s %s", ops->what, name);
                goto out;
        }
        /* Only the very device we set up: a same-named successor is someone else's.  A record
         * with created=yes and no ifindex is from a start killed while it created the device,
         * which may or may not exist now: one of the kind and name is that one. */
        ours = r >= 0 && streq(dev.kind, ops->kind) && (dev.ifindex == st.ifindex || (st.ifindex == 0 && st.created));
        if (r == -ENODEV)
                log_info("%s: already gone", name);
        else if (!ours)
                log_info("%s: not the device hostvirt set up (replaced since), leaving it alone", name);

        r = stop_ports(nl, ops, name, &st, ours ? &dev : NULL);
        if (ours) {
                k = stop_device(nl, ops, name, &st, &dev);
                if (k < 0 && r == 0)
                        r = k;
        }

        /* On failure the record stays, so that stop can be tried again. */
        if (r == 0) {
                r = state_remove(name);
                if (r < 0)
                        log_error_errno(r, "Failed to remove the state of %s %s: %m", ops->what, name);
                else if ((k = state_set_nm_managed(name, false)) < 0)
                        /* without the record it means nothing (80-hostvirt-net.rules), and the next
                         * start sets it as configured */
                        log_warning_errno(k, "Failed to remove %s:nm-managed beside the state of %s %s: %m", name,
                                          ops->what, name);
        }
out:
        state_done(&st);
        return r;
}

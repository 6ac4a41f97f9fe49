/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What hostvirt-net did to a device, so that stop undoes exactly that and
 * nothing more: /run/hostvirt/net/NAME (under HOSTVIRT_ROOT), one small
 * key=value file per VLAN, bridge or bond, written atomically.
 *
 *   kind=bridge
 *   ifindex=12      the device we set up (a same-named successor is not ours)
 *   created=yes     we created it: stop deletes it
 *   up=yes          we set it up (matters for a device we adopted)
 *   down=yes        (only when so) we set an adopted device down for a change
 *                   the kernel makes only while it is down: it was up, and the
 *                   next start or stop sets it up again
 *   port=eth2 enslaved up
 *                   a port we enslaved and/or set up: stop undoes either; "down"
 *                   (a bond's port, which the kernel enslaves only while it is
 *                   down): it was up, and stop sets it up again after releasing it
 *
 * The file exists from the start of "start" to the end of "stop", which is
 * also what the udev rule 80-hostvirt-net.rules tests to keep NetworkManager
 * away from the device, unless /run/hostvirt/net/NAME:nm-managed exists too
 * (Unmanaged=no; ':' is in no interface name, so it is never a record).
 */

#include <stdbool.h>
#include <stddef.h>

struct state_port {
        char *name;
        bool enslaved;          /* we made it a port: stop releases it */
        bool up;                /* we set it up: stop sets it down */
        bool down;              /* we set it down (it was up): stop sets it up */
};

struct net_state {
        char *kind;             /* "vlan", "bridge" or "bond" */
        int ifindex;            /* 0 = not known yet */
        bool created;
        bool up;
        bool down;
        struct state_port *ports;
        size_t n_ports;
};

/* -ENOENT when there is none. */
int state_read(const char *name, struct net_state *ret);
int state_write(const char *name, const struct net_state *s);
/* state_write(), and a log message naming WHAT ("VLAN", "bridge", "bond") NAME when it fails */
int state_record(const char *what, const char *name, const struct net_state *s);
int state_remove(const char *name);
/* Creates (managed) or removes NAME:nm-managed; 0 or a negative errno. */
int state_set_nm_managed(const char *name, bool managed);
bool state_nm_managed(const char *name);
void state_done(struct net_state *s);

/* The port's entry, added (with nothing claimed) if there is none. */
struct state_port *state_port(struct net_state *s, const char *name);
struct state_port *state_find_port(const struct net_state *s, const char *name);

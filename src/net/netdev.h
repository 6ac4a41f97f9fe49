/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The one start/stop transaction of hostvirt-net, which VLANs, bridges and bonds
 * share (netdev.c); each kind supplies a small table of what is its own (struct
 * netdev_ops: vlan.c, bridge.c, bond.c).
 *
 * start, in this order:
 *   1. check everything before changing anything: the kind's own lower devices
 *      (ops->prepare: a VLAN's parent), an existing device of the name (another
 *      kind, or ops->check_existing: what cannot change in place), every port
 *      (exists, in no other master: a port is never stolen);
 *   2. record what is about to become ours (state.h), and whether NetworkManager may
 *      manage it, before the first change;
 *   3. create the device (ops->create), or adopt the one there;
 *   4. the kind's options that differ (ops->set_options);
 *   5. the MAC address;
 *   6. the ports: enslaved (for a kind with port_down_to_enslave, a bond, each
 *      port is set down first, as the kernel requires, and up again after);
 *   7. the MTU (after the ports: a bridge's follows its ports' until set on it);
 *   8. ops->before_up (a VLAN joins its bridge and sets its parent up), the
 *      ports up (a port that is down carries nothing), the device up.
 * The record is rewritten before each change with what is about to become ours.
 * A step that fails undoes, in reverse, what this start did, and puts the record
 * of before back.
 *
 * stop undoes what the record says and nothing else: it deletes the device only
 * if start created it (and it is still that device), releases only the ports
 * start enslaved, and sets down what start set up and up what start set down.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link.h"
#include "model.h"
#include "netlink.h"
#include "state.h"

struct netdev;

struct netdev_ops {
        const char *kind;       /* IFLA_INFO_KIND, and kind= of the record */
        const char *what;       /* in messages: "VLAN", "bridge", "bond" */
        const char *a_what;     /* "a VLAN", "a bridge", "a bond" */

        /* Fills in name, ports, mtu and mac of nd from the kind's section nd->obj. */
        void (*init)(struct netdev *nd);
        /* Optional: checks and looks up what the device needs besides itself and its ports
         * (a VLAN's parent, in nd->lower).  0, or a negative errno (logged); nothing changes. */
        int (*prepare)(struct netdev *nd);
        /* Optional: an existing device of this kind and name (nd->dev) can be adopted: 0, or a
         * negative errno (logged) for what cannot change in place. */
        int (*check_existing)(struct netdev *nd);
        /* Creates the device; logs the kernel's refusal with the device's name. */
        int (*create)(struct netdev *nd);
        /* Optional: sets the kind's options that differ from nd->dev's. */
        int (*set_options)(struct netdev *nd);
        /* Optional: puts the options of an adopted device back as nd->before had them. */
        void (*restore_options)(struct netdev *nd, const struct link *now);
        /* Optional: after the ports and the MTU, before the device is set up. */
        int (*before_up)(struct netdev *nd);
        /* Optional: "VLAN 20 on eth1", "bridge": the final log line's words for the device. */
        void (*describe)(const struct netdev *nd, char *buf, size_t size);

        /* A master (bridge, bond): its MTU may follow its ports', and deleting it detaches
         * ports hostvirt did not add (stop names them). */
        bool has_ports;
        /* The kernel enslaves only ports that are down (bonding): each is set down first. */
        bool port_down_to_enslave;
};

/* One start of one device. */
struct netdev {
        const struct netdev_ops *ops;
        struct nl *nl;
        const struct conf *c;
        const void *obj;                /* the kind's section: struct conf_vlan, ... */

        /* from ops->init */
        const char *name;
        char *const *port_names;
        size_t n_ports;
        unsigned mtu;                   /* 0: leave it alone */
        const uint8_t *mac;             /* NULL: leave it alone */
        bool nm_managed;                /* Unmanaged=no: NetworkManager may manage it */

        struct link dev;                /* the device: as found, or as created */
        bool exists;                    /* it was there before this start */
        struct link lower;              /* ops->prepare's (a VLAN's parent) */
        struct link *ports;             /* n_ports, as found (then as changed) */
        struct net_state st;            /* the record, as it is being written */

        /* what this start changed, for the undo; devices by ifindex */
        struct {
                int created;            /* the device we created, or 0 */
                struct link before;     /* an adopted device, as we found it (ifindex 0: none) */
                bool set_down;          /* we set the adopted device down for a change */
                int lower_set_up;       /* a lower device we set up (a VLAN's parent) */
                int *enslaved;
                size_t n_enslaved;
                int *ports_set_up;
                size_t n_ports_set_up;
                int *ports_set_down;
                size_t n_ports_set_down;
        } undo;
};

/* start: 0 or a negative errno (logged). */
int netdev_start(struct nl *nl, const struct conf *c, const struct netdev_ops *ops, const void *obj);
/* stop: needs no configuration, only the record; 0 or a negative errno (logged). */
int netdev_stop(struct nl *nl, const struct netdev_ops *ops, const char *name);

/* For the kinds' hooks: writes the record (logging a failure). */
int netdev_record(struct netdev *nd);
/* For ops->set_options: sets an adopted device that is up down, for an option the kernel
 * changes only while it is down; recorded first (down=yes), so that it is set up again
 * whatever happens.  The up step of start sets it up again. */
int netdev_down_for_change(struct netdev *nd, const char *why);

extern const struct netdev_ops vlan_ops, bridge_ops, bond_ops;

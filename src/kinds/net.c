/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [VLAN X] and [Bridge X]: instances of hostvirt-vlan@.service and
 * hostvirt-bridge@.service, ordered so that each device is set up after
 * the devices it is built on.
 *
 * A VLAN is started by its parent's device unit (a .wants/ symlink), like
 * interface-vf@: at boot when the parent appears, and again when it comes
 * back after a driver reload or a replug, which took the VLAN with it.  It
 * is bound to that device (BindsTo=), so its unit stops when the parent
 * goes.  When the parent is itself one of ours (a VLAN on a bridge, or
 * 802.1Q on 802.1ad), the VLAN also waits for the parent's unit: the
 * parent's device appears as soon as it is created, before its unit has
 * finished setting it up (its MTU, say).
 *
 * A bridge has no device to wait for until it creates one, so it is pulled
 * in by multi-user.target, as `systemctl enable` would do with the
 * template's [Install] section.  (network-pre.target cannot pull it in: it
 * is a passive target that only network managers pull in, and a hypervisor
 * may run none.)  It wants and waits for the units of its ports: the VLAN
 * units of ports that are [VLAN]s, and the device units of the others (a
 * physical NIC, a VF), so that it starts once they exist, or after the
 * device's job timed out, which the helper then reports as a missing port.
 * It does not bind to its ports: a port that goes away must not take the
 * bridge and every guest on it down.
 *
 * Both templates order themselves before network-pre.target: set up before
 * any network manager looks at the interfaces.
 *
 * The loader's net graph (src/conf/netgraph.c) leaves no loop, so every
 * Wants=/After= here points down the stack and none makes an ordering cycle.
 *
 * This file holds what the network kinds (vlan.c, bridge.c) share.
 */
#include <errno.h>
#include <string.h>

#include "emit.h"
#include "escape.h"
#include "log.h"
#include "net.h"
#include "util.h"

char *net_device_unit(const char *ifname) {
        _cleanup_free_ char *path = strjoin("/sys/subsystem/net/devices/", ifname);
        _cleanup_free_ char *escaped = unit_escape_path(path);

        return escaped ? strjoin(escaped, ".device") : NULL;
}

char *net_interface_unit(const struct conf *c, const char *name, bool *ret_ours) {
        const struct kind *k = conf_net_kind_of(c, name, NULL);

        *ret_ours = k != NULL;
        if (k)
                return unit_instance(k->net->unit_prefix, name, ".service");
        return net_device_unit(name);
}

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
 */
#include <errno.h>
#include <string.h>

#include "config.h"
#include "emit.h"
#include "escape.h"
#include "log.h"
#include "util.h"

/* "sys-subsystem-net-devices-NAME.device", or NULL when NAME cannot be a path component. */
static char *net_device_unit(const char *ifname) {
        _cleanup_free_ char *path = xasprintf("/sys/subsystem/net/devices/%s", ifname);
        _cleanup_free_ char *escaped = unit_escape_path(path);

        return escaped ? xasprintf("%s.device", escaped) : NULL;
}

/* The unit that sets up interface NAME, if it is one of ours; else its device unit. */
static char *interface_unit(const struct conf *c, const char *name, bool *ret_ours) {
        *ret_ours = true;
        if (conf_find_vlan(c, name))
                return unit_instance("hostvirt-vlan", name, ".service");
        if (conf_find_bridge(c, name))
                return unit_instance("hostvirt-bridge", name, ".service");
        *ret_ours = false;
        return net_device_unit(name);
}

/*
 * Whether interface 'from' is built on 'target', directly or not: a VLAN on
 * its parent, a bridge on its ports.  A configuration where two of ours are
 * built on each other can never come up; ordering their units after each
 * other as well would only add an ordering cycle that systemd breaks at
 * random, so such edges are left out (the loader reports the loop).
 */
static bool built_on(const struct conf *c, const char *from, const char *target, unsigned depth) {
        const struct conf_vlan *v;
        const struct conf_bridge *b;

        if (streq(from, target))
                return true;
        if (depth > c->n_vlans + c->n_bridges)
                return false; /* a loop that does not pass through target: not ours to break */

        v = conf_find_vlan(c, from);
        if (v)
                return built_on(c, v->link, target, depth + 1);
        b = conf_find_bridge(c, from);
        for (size_t i = 0; b && i < b->n_ports; i++)
                if (built_on(c, b->ports[i], target, depth + 1))
                        return true;
        return false;
}

static int emit_dropin(struct emitter *e, const char *unit, const char *source, const char *body) {
        _cleanup_free_ char *relpath = xasprintf("%s.d/50-hostvirt.conf", unit);
        FILE *f;

        f = emit_open(e, relpath);
        if (!f)
                return -errno;
        emit_unit_header(f, source);
        fputs(body, f);
        return emit_close(e, f);
}

static int emit_vlan(struct emitter *e, const struct conf *c, const struct conf_vlan *v) {
        _cleanup_free_ char *unit = NULL, *device = NULL, *parent = NULL, *body = NULL;
        bool ours;
        int r;

        device = net_device_unit(v->link);
        if (!device)
                return log_error_errno(EINVAL, "Failed to build the device unit name for [VLAN %s]: %m", v->name);

        r = emit_wanted_instance(e, "hostvirt-vlan", v->name, device, &unit);
        if (r < 0)
                return r;

        parent = interface_unit(c, v->link, &ours);
        if (ours && !built_on(c, v->link, v->name, 0))
                body = xasprintf("BindsTo=%s\nAfter=%s\nWants=%s\nAfter=%s\n", device, device, parent, parent);
        else
                body = xasprintf("BindsTo=%s\nAfter=%s\n", device, device);
        r = emit_dropin(e, unit, v->loc.file, body);
        if (r < 0)
                return r;

        emit_register_unit(e, unit, v->loc.file);
        return 0;
}

static int emit_bridge(struct emitter *e, const struct conf *c, const struct conf_bridge *b) {
        _cleanup_free_ char *unit = NULL, *body = NULL;
        size_t size = 0;
        FILE *s;
        int r;

        r = emit_wanted_instance(e, "hostvirt-bridge", b->name, "multi-user.target", &unit);
        if (r < 0)
                return r;

        s = open_memstream(&body, &size);
        if (!s)
                return log_error_errno(errno, "Failed to build the drop-in of %s: %m", unit);
        for (size_t i = 0; i < b->n_ports; i++) {
                _cleanup_free_ char *port = NULL;
                bool ours;

                port = interface_unit(c, b->ports[i], &ours);
                if (!port) {
                        fclose(s);
                        return log_error_errno(EINVAL, "Failed to build the unit name of port %s of [Bridge %s]: %m",
                                               b->ports[i], b->name);
                }
                if (ours && built_on(c, b->ports[i], b->name, 0))
                        continue;
                fprintf(s, "Wants=%s\nAfter=%s\n", port, port);
        }
        if (fclose(s) != 0)
                return log_error_errno(errno, "Failed to build the drop-in of %s: %m", unit);

        r = emit_dropin(e, unit, b->loc.file, body);
        if (r < 0)
                return r;

        emit_register_unit(e, unit, b->loc.file);
        return 0;
}

int emit_net(struct emitter *e, const struct conf *c) {
        int r = 0, k;

        for (size_t i = 0; i < c->n_vlans; i++) {
                k = emit_vlan(e, c, c->vlans[i]);
                if (k < 0 && r == 0)
                        r = k;
        }
        for (size_t i = 0; i < c->n_bridges; i++) {
                k = emit_bridge(e, c, c->bridges[i]);
                if (k < 0 && r == 0)
                        r = k;
        }
        return r;
}

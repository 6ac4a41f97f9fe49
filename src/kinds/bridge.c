/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [Bridge X]: a Linux bridge and its ports, created by
 * hostvirt-bridge@X.service, which multi-user.target pulls in.
 */
#include <errno.h>
#include <string.h>

#include "emit.h"
#include "escape.h"
#include "log.h"
#include "net.h"
#include "section.h"
#include "util.h"
#include "vlan.h"

static const struct key_def bridge_keys[] = {
        { .name = "Ports", .type = KEY_STRV, .offset = offsetof(struct conf_bridge, ports),
          .offset_set = offsetof(struct conf_bridge, n_ports), .check = check_ifname },
        { .name = "STP", .type = KEY_BOOL, .offset = offsetof(struct conf_bridge, stp) },
        KEY_UINT_FIELD("ForwardDelaySec", struct conf_bridge, forward_delay_sec, 2, 30),
        { .name = "VLANFiltering", .type = KEY_BOOL, .offset = offsetof(struct conf_bridge, vlan_filtering) },
        KEY_UINT_FIELD("MTU", struct conf_bridge, mtu, 68, 65535),
        KEY_UINT_FIELD("DeviceTimeoutSec", struct conf_bridge, device_timeout_sec, 0, 86400),
        { .name = "Unmanaged", .type = KEY_FLAG, .offset = offsetof(struct conf_bridge, unmanaged) },
        { .name = "MACAddress", .type = KEY_MAC, .offset = offsetof(struct conf_bridge, mac),
          .offset_set = offsetof(struct conf_bridge, has_mac) },
        {}
};

static const char *bridge_name_of(const void *obj) {
        return ((const struct conf_bridge *) obj)->name;
}

static const struct conf_loc *bridge_loc_of(const void *obj) {
        return &((const struct conf_bridge *) obj)->loc;
}

static void bridge_init(void *obj, const char *name, const struct conf_loc *loc) {
        struct conf_bridge *b = obj;

        b->name = xstrdup(name);
        b->loc = *loc;
        b->stp = b->forward_delay_sec = b->vlan_filtering = b->device_timeout_sec = CONF_UNSET;
        b->unmanaged = true;
        b->ports = xcalloc(1, sizeof(char *));
}

static bool bridge_verify(struct section *s, void *obj) {
        struct conf_bridge *b = obj;

        if (strv_contains(b->ports, b->name)) {
                section_error(s, section_key(s, "Ports"), "a bridge cannot be its own port, ignoring section %s",
                              s->title);
                return false;
        }
        return true;
}

static void bridge_free(void *obj) {
        struct conf_bridge *b = obj;

        free(b->name);
        strv_free(b->ports);
        free(b);
}

static char *const *bridge_ports(const void *obj) {
        return ((const struct conf_bridge *) obj)->ports;
}

static void bridge_add_port(void *obj, const char *port) {
        struct conf_bridge *b = obj;

        strv_push(&b->ports, &b->n_ports, xstrdup(port));
}

/* Bridges do not nest (a bridge as a port of a bridge makes a loop for frames, not devices). */
static bool bridge_accepts_port(const struct kind *port) {
        return port != &kind_bridge;
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

                port = net_interface_unit(c, b->ports[i], &ours);
                if (!port) {
                        fclose(s);
                        return log_error_errno(EINVAL, "Failed to build the unit name of port %s of [Bridge %s]: %m",
                                               b->ports[i], b->name);
                }
                fprintf(s, "Wants=%s\nAfter=%s\n", port, port);
                if (!ours && b->device_timeout_sec != CONF_UNSET)
                        emit_device_timeout(e, port, (unsigned) b->device_timeout_sec, b->loc.file);
        }
        if (fclose(s) != 0)
                return log_error_errno(errno, "Failed to build the drop-in of %s: %m", unit);

        r = emit_dropin(e, unit, b->loc.file, body);
        if (r < 0)
                return r;

        emit_register_unit(e, unit, b->loc.file);
        return 0;
}

static int bridge_emit(struct emitter *e, const struct conf *c) {
        int r = 0;

        for (size_t i = 0; i < CONF_N(c, BRIDGE); i++) {
                int k = emit_bridge(e, c, CONF_AT(c, BRIDGE, conf_bridge, i));
                if (k < 0 && r == 0)
                        r = k;
        }
        return r;
}

static bool bridge_nm_managed(const void *obj) {
        return !((const struct conf_bridge *) obj)->unmanaged;
}

static const struct net_ops bridge_net = {
        .nm_managed = bridge_nm_managed,
        .ports = bridge_ports,
        .add_port = bridge_add_port,
        .accepts_port = bridge_accepts_port,
        .unit_prefix = "hostvirt-bridge",
};

const struct kind kind_bridge = {
        .type = "Bridge",
        .slug = "bridge",
        .id = KIND_BRIDGE,
        .size = sizeof(struct conf_bridge),
        .keys = bridge_keys,
        .name_example = "eth0",
        .parse_name = net_parse_name,
        .name_of = bridge_name_of,
        .loc_of = bridge_loc_of,
        .init = bridge_init,
        .verify = bridge_verify,
        .free = bridge_free,
        .net = &bridge_net,
        .emit = bridge_emit,
};

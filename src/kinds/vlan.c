/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [VLAN X]: an 802.1Q or 802.1ad device on Link=, created by
 * hostvirt-vlan@X.service, which its parent's device unit starts.
 */
#include <errno.h>
#include <string.h>

#include "emit.h"
#include "escape.h"
#include "log.h"
#include "net.h"
#include "section.h"
#include "sriov.h"
#include "util.h"
#include "vlan.h"

static const struct key_def vlan_keys[] = {
        { .name = "Link", .type = KEY_STRING, .offset = offsetof(struct conf_vlan, link), .check = check_ifname },
        KEY_UINT_FIELD("Id", struct conf_vlan, id, 1, 4094),
        { .name = "Protocol", .type = KEY_ENUM, .offset = offsetof(struct conf_vlan, protocol), .values = vlan_protocols },
        KEY_UINT_FIELD("MTU", struct conf_vlan, mtu, 68, 65535),
        KEY_UINT_FIELD("DeviceTimeoutSec", struct conf_vlan, device_timeout_sec, 0, 86400),
        { .name = "Unmanaged", .type = KEY_FLAG, .offset = offsetof(struct conf_vlan, unmanaged) },
        { .name = "Bridge", .type = KEY_STRING, .offset = offsetof(struct conf_vlan, bridge), .check = check_ifname },
        {}
};

int net_parse_name(struct section *s, const char *header, char *name, char **ret) {
        if (!ifname_valid(name)) {
                section_error(s, NULL,
                              "invalid interface name '%s' in [%s] (1..15 bytes, no '/', ':', '%%', whitespace, "
                              "not '.' or '..'), ignoring section", name, header);
                return -EINVAL;
        }
        *ret = xstrdup(name);
        return 0;
}

static const char *vlan_name_of(const void *obj) {
        return ((const struct conf_vlan *) obj)->name;
}

static const struct conf_loc *vlan_loc_of(const void *obj) {
        return &((const struct conf_vlan *) obj)->loc;
}

static void vlan_init(void *obj, const char *name, const struct conf_loc *loc) {
        struct conf_vlan *v = obj;

        v->name = xstrdup(name);
        v->loc = *loc;
        v->protocol = 0x8100;
        v->device_timeout_sec = CONF_UNSET;
        v->unmanaged = true;
}

static bool vlan_verify(struct section *s, void *obj) {
        struct conf_vlan *v = obj;

        if (!v->link || !section_key(s, "Id")) {
                section_error(s, NULL, "%s needs Link= and Id=, ignoring section", s->title);
                return false;
        }
        if (streq(v->link, v->name)) {
                section_error(s, section_key(s, "Link"), "Link= cannot be the VLAN itself, ignoring section %s",
                              s->title);
                return false;
        }
        if (v->bridge && (streq(v->bridge, v->name) || streq(v->bridge, v->link))) {
                section_error(s, section_key(s, "Bridge"), "Bridge=%s would be a loop, ignoring section %s", v->bridge,
                              s->title);
                return false;
        }
        return true;
}

static void vlan_free(void *obj) {
        struct conf_vlan *v = obj;

        free(v->name);
        free(v->link);
        free(v->bridge);
        free(v);
}

static const char *vlan_link(const void *obj) {
        return ((const struct conf_vlan *) obj)->link;
}

static const char *vlan_master(const void *obj) {
        return ((const struct conf_vlan *) obj)->bridge;
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

        parent = net_interface_unit(c, v->link, &ours);
        if (!ours && v->device_timeout_sec != CONF_UNSET)
                emit_device_timeout(e, device, (unsigned) v->device_timeout_sec, v->loc.file);
        if (ours)
                body = xasprintf("BindsTo=%s\nAfter=%s\nWants=%s\nAfter=%s\n", device, device, parent, parent);
        else
                body = xasprintf("BindsTo=%s\nAfter=%s\n", device, device);
        r = emit_dropin(e, unit, v->loc.file, body);
        if (r < 0)
                return r;

        emit_register_unit(e, unit, v->loc.file);
        return 0;
}

static int vlan_emit(struct emitter *e, const struct conf *c) {
        int r = 0;

        for (size_t i = 0; i < CONF_N(c, VLAN); i++) {
                int k = emit_vlan(e, c, CONF_AT(c, VLAN, conf_vlan, i));
                if (k < 0 && r == 0)
                        r = k;
        }
        return r;
}

static bool vlan_nm_managed(const void *obj) {
        return !((const struct conf_vlan *) obj)->unmanaged;
}

static const struct net_ops vlan_net = {
        .nm_managed = vlan_nm_managed,
        .link = vlan_link,
        .master = vlan_master,
        .unit_prefix = "hostvirt-vlan",
        .master_key = "Bridge",
};

const struct kind kind_vlan = {
        .type = "VLAN",
        .slug = "vlan",
        .id = KIND_VLAN,
        .size = sizeof(struct conf_vlan),
        .keys = vlan_keys,
        .name_example = "eth0",
        .parse_name = net_parse_name,
        .name_of = vlan_name_of,
        .loc_of = vlan_loc_of,
        .init = vlan_init,
        .verify = vlan_verify,
        .free = vlan_free,
        .net = &vlan_net,
        .emit = vlan_emit,
};

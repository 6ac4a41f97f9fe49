/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [Bond X]: a bonding device and its ports, created by hostvirt-bond@X.service,
 * which multi-user.target pulls in, like a bridge.  It wants and waits for the
 * device units of its ports.  A bond may be a VLAN's Link= and a bridge's port;
 * its own ports are interfaces hostvirt does not create (NICs, VFs), each in no
 * other bond or bridge (the net graph checks both).
 */
#include <errno.h>
#include <string.h>

#include "bond.h"
#include "emit.h"
#include "escape.h"
#include "log.h"
#include "net.h"
#include "section.h"
#include "util.h"
#include "vlan.h"

static const struct key_enum bond_modes[] = {
        { "balance-rr", BOND_MODE_BALANCE_RR, false },
        { "active-backup", BOND_MODE_ACTIVE_BACKUP, false },
        { "balance-xor", BOND_MODE_BALANCE_XOR, false },
        { "broadcast", BOND_MODE_BROADCAST, false },
        { "802.3ad", BOND_MODE_8023AD, false },
        { "balance-tlb", BOND_MODE_BALANCE_TLB, false },
        { "balance-alb", BOND_MODE_BALANCE_ALB, false },
        {}
};

static const struct key_enum xmit_hash_policies[] = {
        { "layer2", BOND_XMIT_LAYER2, false },
        { "layer3+4", BOND_XMIT_LAYER34, false },
        { "layer2+3", BOND_XMIT_LAYER23, false },
        { "encap2+3", BOND_XMIT_ENCAP23, false },
        { "encap3+4", BOND_XMIT_ENCAP34, false },
        { "vlan+srcmac", BOND_XMIT_VLAN_SRCMAC, false },
        {}
};

static const struct key_enum lacp_rates[] = {
        { "slow", 0, false },
        { "fast", 1, false },
        {}
};

const char *bond_mode_name(int mode) {
        for (const struct key_enum *e = bond_modes; e->name; e++)
                if (e->value == mode)
                        return e->name;
        return NULL;
}

/* "100ms", "1s", "2" (seconds), "0": milliseconds, as the kernel's miimon counts. */
static int parse_miimon(struct section *s, const struct raw_kv *kv, void *obj) {
        struct conf_bond *b = obj;
        _cleanup_free_ char *num = xstrdup(kv->value);
        unsigned long long x, scale = 1000;
        size_t n = strlen(num);

        if (n > 2 && endswith(num, "ms")) {
                num[n - 2] = '\0';
                scale = 1;
        } else if (n > 1 && endswith(num, "s"))
                num[n - 1] = '\0';
        if (parse_uint(num, 3600000, &x) < 0 || x * scale > 3600000)
                return section_bad_value(s, kv, "expected a time like 100ms or 1s, at most 1h");
        b->miimon_ms = (int64_t) (x * scale);
        return 0;
}

static const struct key_def bond_keys[] = {
        { .name = "Ports", .type = KEY_STRV, .offset = offsetof(struct conf_bond, ports),
          .offset_set = offsetof(struct conf_bond, n_ports), .check = check_ifname },
        { .name = "Mode", .type = KEY_ENUM, .offset = offsetof(struct conf_bond, mode), .values = bond_modes },
        { .name = "TransmitHashPolicy", .type = KEY_ENUM, .offset = offsetof(struct conf_bond, xmit_hash_policy),
          .values = xmit_hash_policies },
        { .name = "LACPTransmitRate", .type = KEY_ENUM, .offset = offsetof(struct conf_bond, lacp_rate),
          .values = lacp_rates },
        { .name = "MIIMonitorSec", .type = KEY_CUSTOM, .parse = parse_miimon },
        KEY_UINT_FIELD("MinLinks", struct conf_bond, min_links, 0, 1024),
        KEY_UINT_FIELD("MTU", struct conf_bond, mtu, 68, 65535),
        KEY_UINT_FIELD("DeviceTimeoutSec", struct conf_bond, device_timeout_sec, 0, 86400),
        { .name = "Unmanaged", .type = KEY_FLAG, .offset = offsetof(struct conf_bond, unmanaged) },
        { .name = "MACAddress", .type = KEY_MAC, .offset = offsetof(struct conf_bond, mac),
          .offset_set = offsetof(struct conf_bond, has_mac) },
        {}
};

static const char *bond_name_of(const void *obj) {
        return ((const struct conf_bond *) obj)->name;
}

static const struct conf_loc *bond_loc_of(const void *obj) {
        return &((const struct conf_bond *) obj)->loc;
}

static void bond_init(void *obj, const char *name, const struct conf_loc *loc) {
        struct conf_bond *b = obj;

        b->name = xstrdup(name);
        b->loc = *loc;
        b->mode = BOND_MODE_BALANCE_RR;
        b->xmit_hash_policy = b->lacp_rate = CONF_UNSET;
        b->miimon_ms = b->min_links = CONF_UNSET;
        b->device_timeout_sec = CONF_UNSET;
        b->unmanaged = true;
        b->ports = xcalloc(1, sizeof(char *));
}

/* Options that only one mode (or a few) reads: elsewhere the kernel refuses or ignores them. */
static bool bond_verify(struct section *s, void *obj) {
        struct conf_bond *b = obj;
        const struct raw_kv *lacp = section_key(s, "LACPTransmitRate"), *links = section_key(s, "MinLinks"),
                            *hash = section_key(s, "TransmitHashPolicy"), *mode = section_key(s, "Mode");

        if (strv_contains(b->ports, b->name)) {
                section_error(s, section_key(s, "Ports"), "a bond cannot be its own port, ignoring section %s",
                              s->title);
                return false;
        }
        if ((lacp || links) && b->mode != BOND_MODE_8023AD) {
                const struct raw_kv *kv = section_later(s, lacp ? lacp : links, mode);
                section_error(s, kv, "%s= applies to Mode=802.3ad only, but the mode is %s, ignoring section %s",
                              (lacp ? lacp : links)->key, bond_mode_name(b->mode), s->title);
                return false;
        }
        if (hash && b->mode != BOND_MODE_BALANCE_XOR && b->mode != BOND_MODE_8023AD &&
            b->mode != BOND_MODE_BALANCE_TLB) {
                section_error(s, section_later(s, hash, mode),
                              "TransmitHashPolicy= applies to Mode=balance-xor, 802.3ad and balance-tlb only, but the "
                              "mode is %s, ignoring section %s", bond_mode_name(b->mode), s->title);
                return false;
        }
        return true;
}

static void bond_free(void *obj) {
        struct conf_bond *b = obj;

        free(b->name);
        strv_free(b->ports);
        free(b);
}

static char *const *bond_ports(const void *obj) {
        return ((const struct conf_bond *) obj)->ports;
}

/* The ports of a bond are interfaces hostvirt does not create: a NIC, a VF. */
static bool bond_accepts_port(const struct kind *port) {
        (void) port;
        return false;
}

static int emit_bond(struct emitter *e, const struct conf *c, const struct conf_bond *b) {
        _cleanup_free_ char *unit = NULL, *body = NULL;
        size_t size = 0;
        FILE *s;
        int r;

        r = emit_wanted_instance(e, "hostvirt-bond", b->name, "multi-user.target", &unit);
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
                        return log_error_errno(EINVAL, "Failed to build the unit name of port %s of [Bond %s]: %m",
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

static int bond_emit(struct emitter *e, const struct conf *c) {
        int r = 0;

        for (size_t i = 0; i < CONF_N(c, BOND); i++) {
                int k = emit_bond(e, c, CONF_AT(c, BOND, conf_bond, i));
                if (k < 0 && r == 0)
                        r = k;
        }
        return r;
}

static bool bond_nm_managed(const void *obj) {
        return !((const struct conf_bond *) obj)->unmanaged;
}

static const struct net_ops bond_net = {
        .nm_managed = bond_nm_managed,
        .ports = bond_ports,
        .accepts_port = bond_accepts_port,
        .unit_prefix = "hostvirt-bond",
};

const struct kind kind_bond = {
        .type = "Bond",
        .slug = "bond",
        .id = KIND_BOND,
        .size = sizeof(struct conf_bond),
        .keys = bond_keys,
        .name_example = "bond0",
        .parse_name = net_parse_name,
        .name_of = bond_name_of,
        .loc_of = bond_loc_of,
        .init = bond_init,
        .verify = bond_verify,
        .free = bond_free,
        .net = &bond_net,
        .emit = bond_emit,
};

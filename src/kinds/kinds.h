/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The one list of object kinds.  A kind is one module in this directory
 * (its object, key table, name rule, checks and emitter); adding one means
 * adding it to KIND_LIST and writing its module (docs/DESIGN.md).
 */

#include "conf.h"

struct emitter;

/* X(ID, module): in this order sections are built, checked and emitted. */
#define KIND_LIST(X)                \
        X(SRIOV, sriov)             \
        X(VF, vf)                   \
        X(HUGEPAGES, hugepages)     \
        X(VLAN, vlan)               \
        X(BRIDGE, bridge)           \
        X(BOND, bond)               \
        X(VIRTIOFS, virtiofs)       \
        X(LIBVIRT, libvirt)

#define KIND_ENUM(id, mod) KIND_##id,
enum kind_id { KIND_LIST(KIND_ENUM) _KIND_MAX };
#undef KIND_ENUM

#define KIND_DECL(id, mod) extern const struct kind kind_##mod;
KIND_LIST(KIND_DECL)
#undef KIND_DECL

/* NULL-terminated, in KIND_LIST order. */
extern const struct kind *const kinds_all[];

/* conf_load() with every kind. */
int conf_load_all(struct conf **ret, char *const *paths, struct diag *d);

/* What the generator writes for a config: every kind's emitter, [Libvirt]'s last. */
int emit_all(struct emitter *e, const struct conf *c);

/* The objects of one kind, typed. */
#define CONF_N(c, id) ((c)->objs[KIND_##id].n)
#define CONF_AT(c, id, type, i) ((struct type *) (c)->objs[KIND_##id].v[i])

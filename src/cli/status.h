/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * `hostvirt status`: the configuration (desired) against the host (actual).
 *
 * The collectors (status-*.c) turn every configured object into a struct
 * obj: a kind and name, the unit that sets it up, and a list of compared
 * settings, each with the value the configuration asks for, the value read
 * from the host, and a verdict.  Objects may have members (the VFs of a PF,
 * the NUMA nodes of a page size, the ports of a bridge or bond) of the same shape.
 * The renderers (status-render.c) print that model as text or JSON; the
 * JSON shape is documented in hostvirt(8).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model.h"

struct nl;

/* Ordered: an object's state is the worst of its settings' and members' states. */
enum state {
        STATE_INFO,     /* nothing is asked for: the actual value is shown for information */
        STATE_OK,       /* the host has what the configuration asks for */
        STATE_UNKNOWN,  /* the actual value could not be read (no bus, device in another netns, ...) */
        STATE_DRIFT,    /* the host differs from the configuration */
};

enum val_type {
        VAL_NULL,       /* not asked for / does not exist */
        VAL_UNKNOWN,    /* could not be read; null in JSON */
        VAL_STR,
        VAL_INT,
        VAL_BOOL,
};

struct val {
        enum val_type type;
        char *s;        /* VAL_STR, owned */
        long long i;    /* VAL_INT, VAL_BOOL */
};

struct item {
        const char *key;        /* a static string: the JSON key */
        struct val want, have;
        enum state state;
        bool detail;            /* text output shows it only when it is not ok */
};

struct obj {
        const char *kind;       /* a kind's slug ("sriov", "vlan", ...), a member's ("vf", "node", "port"), "generator" */
        const char *type;       /* a top-level object's heading in the text output: "SR-IOV" */
        bool bare;              /* headed "[Type] NAME" (a section without a name), not "[Type NAME]" */
        char *name;
        const char *file;       /* where it is configured (points into struct conf), or NULL */
        unsigned line;
        char *unit;             /* the unit that sets it up, or NULL */
        const char *hint;       /* what to do about drift, for the text output (static), or NULL */
        struct item *items;
        size_t n_items;
        struct obj **members;
        size_t n_members;
        enum state state;       /* set by status_finish() */
};

struct status {
        struct obj **objs;
        size_t n_objs;
        enum state state;
        const struct conf *conf;
        struct nl *nl;          /* NULL when no rtnetlink socket could be opened */
};

struct val val_null(void);
struct val val_unknown(void);
struct val val_str(const char *s);      /* NULL gives val_null() */
struct val val_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
struct val val_int(long long i);
struct val val_bool(bool b);
/* A boolean/integer setting of the config that may be CONF_UNSET. */
struct val val_conf_bool(int v);
struct val val_conf_int(long long v);
bool val_equal(const struct val *a, const struct val *b);
/* The value as text: "yes"/"no" for booleans, "-" for null, "unknown". */
char *val_format(const struct val *v);

/* A top-level object: one of a kind (headed by the kind's section type), or another one. */
struct obj *obj_new(struct status *st, const struct kind *k, const char *name, const struct conf_loc *loc);
struct obj *obj_new_other(struct status *st, const char *kind, const char *type, const char *name);
struct obj *obj_add_member(struct obj *o, const char *kind, const char *name);
/* Compares want with have: info when want is null, unknown when have is, else ok or drift.
 * Takes ownership of both values. */
struct item *obj_compare(struct obj *o, const char *key, struct val want, struct val have);
/* ok when have >= want (hugepages: pages reserved elsewhere are fine). */
struct item *obj_at_least(struct obj *o, const char *key, struct val want, struct val have);
/* The same, marked as a detail (text output hides it while it is ok or informational). */
struct item *obj_compare_detail(struct obj *o, const char *key, struct val want, struct val have);
struct item *obj_find_item(const struct obj *o, const char *key);

/* Collectors, in the order of the output. */
void status_sriov(struct status *st);           /* [SR-IOV] and their VFs */
void status_hugepages(struct status *st);       /* [Hugepages] and their NUMA nodes */
void status_net(struct status *st);             /* [VLAN], [Bridge] and [Bond], with their ports */
void status_virtiofs(struct status *st);        /* [Virtiofs]: daemon, socket, directory */
void status_libvirt(struct status *st);         /* [Libvirt] drop-ins, then the generator's output */

/* Computes the states of every object from its items and members. */
void status_finish(struct status *st);
void status_free(struct status *st);

/* status-render.c */
int status_print_text(const struct status *st, FILE *f, bool color);
int status_print_json(const struct status *st, FILE *f);

/* status-units.c: the systemd side (sd-bus), and the generator's output. */
int units_open(void);
void units_close(void);
/* ActiveState of a unit ("active", "failed", ...), or VAL_UNKNOWN without a bus. */
struct val unit_active_state(const char *unit);
/* LoadState ("loaded", "not-found", "masked", ...), or VAL_UNKNOWN without a bus. */
struct val unit_load_state(const char *unit);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The configuration model: what the loader makes of the config files, shared
 * by the generator, the helpers and the CLI.  See docs/DESIGN.md.
 *
 * conf_load() reads /etc/hostvirt, /run/hostvirt, /usr/local/lib/hostvirt and
 * /usr/lib/hostvirt (under HOSTVIRT_ROOT), merges them like systemd drop-ins,
 * splits every file into lines with one grammar (reader.c, hostvirt.conf(5)),
 * and hands each section to its object kind (src/kinds), which turns it into a
 * typed object.  Every diagnostic goes to the caller's struct diag as
 * "FILE:LINE: ...".  A section with an invalid value is dropped as a whole;
 * everything else is kept.
 *
 * This layer knows no kind by name: the list of kinds is passed in
 * (kinds_all() in src/kinds/kinds.h), and objects are found by (kind, name).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashset.h"
#include "log.h"

#define CONF_UNSET (-1)
/* How many kinds the model has room for (the list in src/kinds/kinds.h is shorter). */
#define CONF_KINDS_MAX 16

/* Where a section or a key came from, as the admin knows it (no HOSTVIRT_ROOT). */
struct conf_loc {
        const char *file; /* owned by struct conf (files[]) */
        unsigned line;
};

/* The valid objects of one kind, in the order their sections were first seen. */
struct conf_objs {
        void **v;
        size_t n;
};

struct conf {
        char **files;        /* every file read, as the admin knows it, in read order */
        size_t n_files;

        const struct kind *const *kinds; /* the list this was loaded with */
        struct conf_objs objs[CONF_KINDS_MAX];
        struct hashset index; /* (kind, name) -> object (struct conf_entry) */

        unsigned n_errors;   /* diagnostics of this load */
        unsigned n_warnings;
};

struct section;
struct emitter;

/* The lower devices of a network object (see netgraph.c). */
struct net_ops {
        /* The interface this one is built on (a VLAN's Link=), or NULL. */
        const char *(*link)(const void *obj);
        /* The ports it enslaves (a bridge's or bond's Ports=), NULL-terminated, or NULL. */
        char *const *(*ports)(const void *obj);
        /* The master it asks to be a port of (a VLAN's Bridge=), or NULL. */
        const char *(*master)(const void *obj);
        /* Adds a port that asked for this master (Bridge= of another section). */
        void (*add_port)(void *obj, const char *port);
        /* Whether an object of kind 'port' may be one of this one's ports. */
        bool (*accepts_port)(const struct kind *port);
        /* Whether NetworkManager may manage it (Unmanaged=no). */
        bool (*nm_managed)(const void *obj);
        const char *unit_prefix; /* of its template: "hostvirt-vlan" */
        const char *master_key; /* the key that asks for a master, and the type of it: "Bridge" */
};

/*
 * One object kind: a section type, its object and what the loader needs to
 * build one.  Each lives in its own module under src/kinds, registered in the
 * one list of kinds.
 */
struct kind {
        const char *type;       /* the section type, "SR-IOV" */
        const char *slug;       /* its name in `hostvirt status --json`, "sriov" */
        unsigned id;            /* its position in the list */
        size_t size;            /* of its object */
        const struct key_def *keys;
        /* NULL: the section takes no name ([Libvirt]); else an example for messages */
        const char *name_example;
        bool singleton;         /* one object, merged from every section, always present */

        /* Normalizes the name of a header (name is writable); logs and returns < 0 when invalid. */
        int (*parse_name)(struct section *s, const char *header, char *name, char **ret);
        /* The name and the place of declaration of an object. */
        const char *(*name_of)(const void *obj);
        const struct conf_loc *(*loc_of)(const void *obj);
        /* Sets the defaults of a new object. */
        void (*init)(void *obj, const char *name, const struct conf_loc *loc);
        /* Checks across the keys of one section; logs and returns false to drop it. */
        bool (*verify)(struct section *s, void *obj);
        /* A singleton: takes what a valid section says over the current object. */
        void (*merge)(void *into, void *from);
        /* Frees what the object owns, and the object. */
        void (*free)(void *obj);
        /* Checks across sections, once every section is built (in list order). */
        void (*link)(struct conf *c, struct diag *d);
        const struct net_ops *net; /* a network device: part of the net graph */

        /* What the generator writes for the objects of this kind (NULL: nothing). */
        int (*emit)(struct emitter *e, const struct conf *c);
        bool emit_last;         /* runs after every other kind ([Libvirt] orders after them all) */
};

/* Read all config directories (paths == NULL) or exactly the given files. */
int conf_load(struct conf **ret, const struct kind *const *kinds, char *const *paths, struct diag *d);
void conf_free(struct conf *c);
/* For _cleanup_(conf_freep). */
static inline void conf_freep(struct conf **c) {
        if (*c)
                conf_free(*c);
}

/* The object of a kind by its (normalized) name, or NULL. */
void *conf_find(const struct conf *c, const struct kind *k, const char *name);
/* The kind of the network object called name, or NULL (one name, one net object). */
const struct kind *conf_net_kind_of(const struct conf *c, const char *name, void **ret_obj);
/* Drops an object (after an error found across sections): unindexed, freed. */
void conf_drop(struct conf *c, const struct kind *k, void *obj);

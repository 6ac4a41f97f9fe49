/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What a kind module sees of a section while it is built: the merged
 * KEY=VALUE lines of every file that declared it, and a table of the keys
 * the kind knows, each with its type and bounds (keys.c parses every value).
 */

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"

struct raw_kv {
        char *key;
        char *value;
        struct conf_loc loc;
};

enum key_type {
        KEY_BOOL,     /* int: 0/1; left as the default (CONF_UNSET) when not given */
        KEY_FLAG,     /* bool */
        KEY_UINT,     /* an integer field (int, unsigned, long, int64_t) in min..max */
        KEY_ENUM,     /* int: one of values[] */
        KEY_MAC,      /* uint8_t[6] at offset, bool at offset_set */
        KEY_STRING,   /* char *, checked by check() */
        KEY_STRV,     /* char ** (NULL-terminated) at offset, size_t at offset_set: words, each checked, no duplicates */
        KEY_CUSTOM,   /* parse() does it all */
        KEY_REFUSED,  /* known, but belongs elsewhere: hint says where */
};

struct key_enum {
        const char *name;
        int value;
        bool alias;   /* accepted, not listed in messages */
};

/* Key flags */
#define KEYF_NETDEV 1u /* [SR-IOV]: needs a PF with a network device */

struct key_def {
        const char *name;
        enum key_type type;
        size_t offset;
        size_t size;          /* of the field (KEY_UINT) */
        size_t offset_set;    /* KEY_MAC, KEY_STRV */
        unsigned long long min, max;
        const struct key_enum *values;
        /* KEY_STRING, KEY_STRV: NULL when valid, else why not */
        const char *(*check)(const char *v);
        int (*parse)(struct section *s, const struct raw_kv *kv, void *obj);
        const char *why;      /* the expectation for messages, when the generic one is not clear */
        const char *hint;     /* KEY_REFUSED */
        unsigned flags;
};

#define FIELD_SIZE(T, field) sizeof(((T *) 0)->field)
#define KEY_UINT_FIELD(key, T, field, lo, hi) \
        { .name = key, .type = KEY_UINT, .offset = offsetof(T, field), .size = FIELD_SIZE(T, field), .min = lo, .max = hi }

struct section {
        const struct kind *kind;
        char *name;       /* normalized name, "" for a section without one */
        char *title;      /* "[SR-IOV eno4]" for messages */
        struct conf_loc loc;
        bool bad;
        struct raw_kv *kvs;
        size_t n_kvs, cap_kvs;
        /* after parsing: the last valid assignment of each key of kind->keys, or NULL
         * (kind->n_keys + 1 entries, allocated with the section) */
        const struct raw_kv **last;
        struct diag *diag;
        struct conf *conf;
};

/* The number of keys of a table (up to its empty entry). */
size_t keys_count(const struct key_def *keys);
/* Applies every line of s to obj through kind->keys (fills s->last). */
void section_apply_keys(struct section *s, void *obj);
/* The last valid assignment of a key, or NULL. */
const struct raw_kv *section_key(const struct section *s, const char *key);
/* Of two assignments, the one later in reading order (either may be NULL). */
const struct raw_kv *section_later(const struct section *s, const struct raw_kv *a, const struct raw_kv *b);
/* Reports an invalid value; the section is dropped. Returns -EINVAL. */
int section_bad_value(struct section *s, const struct raw_kv *kv, const char *why);
/* Reports an error at a line of the section (a key's, or the header's when kv is NULL): dropped. */
void section_error(struct section *s, const struct raw_kv *kv, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Value checkers shared by kinds (NULL = valid). */
const char *check_ifname(const char *v);
const char *check_driver(const char *v);
const char *check_group(const char *v);   /* a group name or number */

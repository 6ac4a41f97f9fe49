/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Key tables: every value of every section is parsed here, by its key's type
 * and bounds (struct key_def); the kinds only check what involves several keys.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "section.h"
#include "util.h"

int section_bad_value(struct section *s, const struct raw_kv *kv, const char *why) {
        diag_error(s->diag, kv->loc.file, kv->loc.line, "invalid %s=%s (%s), ignoring section %s", kv->key, kv->value,
                   why, s->title);
        s->bad = true;
        return -EINVAL;
}

void section_error(struct section *s, const struct raw_kv *kv, const char *fmt, ...) {
        const struct conf_loc *at = kv ? &kv->loc : &s->loc;
        char msg[1024];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        diag_error(s->diag, at->file, at->line, "%s", msg);
        s->bad = true;
}

static size_t key_index(const struct key_def *keys, const char *name) {
        size_t i = 0;

        /* the first byte before the whole name: most keys of a table differ in it */
        while (keys[i].name && (keys[i].name[0] != name[0] || !streq(keys[i].name, name)))
                i++;
        return i;
}

const struct raw_kv *section_key(const struct section *s, const char *key) {
        size_t i = key_index(s->kind->keys, key);

        return s->kind->keys[i].name && s->last ? s->last[i] : NULL;
}

/* Position in reading order: the file's place in conf->files, then the line. */
static bool loc_after(const struct section *s, const struct conf_loc *a, const struct conf_loc *b) {
        size_t fa = 0, fb = 0;

        if (a->file != b->file)
                for (size_t i = 0; i < s->conf->n_files; i++) {
                        if (s->conf->files[i] == a->file)
                                fa = i;
                        if (s->conf->files[i] == b->file)
                                fb = i;
                }
        return fa != fb ? fa > fb : a->line > b->line;
}

const struct raw_kv *section_later(const struct section *s, const struct raw_kv *a, const struct raw_kv *b) {
        if (!a || !b)
                return a ? a : b;
        return loc_after(s, &a->loc, &b->loc) ? a : b;
}

const char *check_ifname(const char *v) {
        return ifname_valid(v) ? NULL : "expected an interface name (1..15 bytes, no '/', ':', '%', whitespace)";
}

const char *check_driver(const char *v) {
        size_t n = strlen(v);

        if (n == 0 || n > 64)
                return "expected a driver name like vfio-pci";
        for (; *v; v++)
                if (!isalnum((unsigned char) *v) && *v != '_' && *v != '-')
                        return "expected a driver name like vfio-pci";
        return NULL;
}

static void store_uint(void *dst, size_t size, unsigned long long x) {
        switch (size) {
        case sizeof(uint8_t): { uint8_t v = (uint8_t) x; memcpy(dst, &v, size); break; }
        case sizeof(uint16_t): { uint16_t v = (uint16_t) x; memcpy(dst, &v, size); break; }
        case sizeof(uint32_t): { uint32_t v = (uint32_t) x; memcpy(dst, &v, size); break; }
        case sizeof(uint64_t): { uint64_t v = (uint64_t) x; memcpy(dst, &v, size); break; }
        default: abort(); /* a key table names a field of a size it cannot hold */
        }
}

/* "expected a, b or c" from an enum table */
static void enum_expectation(const struct key_enum *values, char *buf, size_t size) {
        size_t n = 0, k = 0, len;

        for (const struct key_enum *e = values; e->name; e++)
                n += !e->alias;
        len = (size_t) snprintf(buf, size, "expected ");
        for (const struct key_enum *e = values; e->name && len < size; e++) {
                if (e->alias)
                        continue;
                k++;
                len += (size_t) snprintf(buf + len, size - len, "%s%s", e->name,
                                         k + 1 == n ? " or " : k < n ? ", " : "");
        }
}

static int parse_value(struct section *s, const struct key_def *k, const struct raw_kv *kv, void *obj) {
        char *dst = (char *) obj + k->offset;
        const char *v = kv->value, *why;
        char buf[160];
        int r;

        switch (k->type) {
        case KEY_BOOL:
        case KEY_FLAG:
                r = parse_boolean(v);
                if (r < 0)
                        return section_bad_value(s, kv, "expected yes/no/true/false/on/off/1/0");
                if (k->type == KEY_BOOL)
                        *(int *) dst = r;
                else
                        *(bool *) dst = r;
                return 0;

        case KEY_UINT: {
                unsigned long long x;

                r = parse_uint(v, k->max, &x);
                if (r < 0 || x < k->min) {
                        snprintf(buf, sizeof(buf), "expected a number %llu..%llu", k->min, k->max);
                        return section_bad_value(s, kv, k->why ? k->why : buf);
                }
                store_uint(dst, k->size, x);
                return 0;
        }

        case KEY_ENUM:
                for (const struct key_enum *e = k->values; e->name; e++)
                        if (streq(e->name, v)) {
                                *(int *) dst = e->value;
                                return 0;
                        }
                enum_expectation(k->values, buf, sizeof(buf));
                return section_bad_value(s, kv, buf);

        case KEY_MAC: {
                uint8_t mac[6];

                if (parse_mac(v, mac) < 0)
                        return section_bad_value(s, kv, "expected a MAC address like 02:11:22:33:44:55");
                if (mac[0] & 1)
                        return section_bad_value(s, kv, "a multicast address cannot be an interface address");
                if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
                        return section_bad_value(s, kv, "the all-zero address is not an interface address");
                memcpy(dst, mac, sizeof(mac));
                *(bool *) ((char *) obj + k->offset_set) = true;
                return 0;
        }

        case KEY_STRING:
                why = k->check ? k->check(v) : NULL;
                if (why)
                        return section_bad_value(s, kv, why);
                free(*(char **) dst);
                *(char **) dst = xstrdup(v);
                return 0;

        case KEY_STRV: {
                size_t n;
                char **w = split_words(v, &n);
                struct hashset seen = HASHSET_INIT(hash_string_entry, streq_entry);

                why = NULL;
                for (size_t i = 0; !why && i < n; i++) {
                        why = k->check ? k->check(w[i]) : NULL;
                        if (!why) {
                                if (hashset_put(&seen, w[i]) != w[i]) {
                                        snprintf(buf, sizeof(buf), "%s is listed twice", w[i]);
                                        why = buf;
                                }
                        }
                }
                hashset_done(&seen, NULL);
                if (why) {
                        strv_free(w);
                        return section_bad_value(s, kv, why);
                }
                strv_free(*(char ***) dst);
                *(char ***) dst = w;
                *(size_t *) ((char *) obj + k->offset_set) = n;
                return 0;
        }

        case KEY_CUSTOM:
                return k->parse(s, kv, obj);

        case KEY_REFUSED:
                diag_error(s->diag, kv->loc.file, kv->loc.line, "%s= belongs in %s, ignoring section %s", kv->key,
                           k->hint, s->title);
                s->bad = true;
                return -EINVAL;
        }
        abort();
}

size_t keys_count(const struct key_def *keys) {
        size_t n = 0;

        while (keys && keys[n].name)
                n++;
        return n;
}

void section_apply_keys(struct section *s, void *obj) {
        const struct key_def *keys = s->kind->keys;

        memset(s->last, 0, (keys_count(keys) + 1) * sizeof(*s->last));
        for (size_t i = 0; i < s->n_kvs; i++) {
                const struct raw_kv *kv = &s->kvs[i];
                size_t ki = key_index(keys, kv->key);

                if (!keys[ki].name) {
                        diag_warning(s->diag, kv->loc.file, kv->loc.line, "unknown key '%s' in %s, ignoring", kv->key,
                                     s->title);
                        continue;
                }
                if (parse_value(s, &keys[ki], kv, obj) >= 0)
                        s->last[ki] = kv;
        }
}

const char *check_group(const char *v) {
        size_t n = strlen(v);

        /* a number, or a name as useradd accepts it */
        if (n == 0 || n > 32 || v[0] == '-')
                return "expected a group name or number";
        for (const char *c = v; *c; c++)
                if (!isalnum((unsigned char) *c) && *c != '_' && *c != '-' && *c != '.')
                        return "expected a group name or number";
        return NULL;
}

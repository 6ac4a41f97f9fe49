/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The model of `hostvirt status`: objects with compared settings (status.h).
 */
#include <stdarg.h>
#include <string.h>

#include "status.h"
#include "util.h"

struct val val_null(void) {
        return (struct val) { .type = VAL_NULL };
}

struct val val_unknown(void) {
        return (struct val) { .type = VAL_UNKNOWN };
}

struct val val_str(const char *s) {
        return s ? (struct val) { .type = VAL_STR, .s = xstrdup(s) } : val_null();
}

struct val val_strf(const char *fmt, ...) {
        va_list ap;
        char *s;

        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                s = xstrdup("");
        va_end(ap);
        return (struct val) { .type = VAL_STR, .s = s };
}

struct val val_int(long long i) {
        return (struct val) { .type = VAL_INT, .i = i };
}

struct val val_bool(bool b) {
        return (struct val) { .type = VAL_BOOL, .i = b };
}

struct val val_conf_bool(int v) {
        return v == CONF_UNSET ? val_null() : val_bool(v);
}

struct val val_conf_int(long long v) {
        return v == CONF_UNSET ? val_null() : val_int(v);
}

bool val_equal(const struct val *a, const struct val *b) {
        if (a->type != b->type)
                return false;
        switch (a->type) {
        case VAL_STR:
                return streq(a->s, b->s);
        case VAL_INT:
        case VAL_BOOL:
                return a->i == b->i;
        default:
                return true;
        }
}

char *val_format(const struct val *v) {
        switch (v->type) {
        case VAL_NULL:
                return xstrdup("-");
        case VAL_UNKNOWN:
                return xstrdup("unknown");
        case VAL_STR:
                return xstrdup(v->s);
        case VAL_INT:
                return xasprintf("%lld", v->i);
        case VAL_BOOL:
                return xstrdup(v->i ? "yes" : "no");
        }
        return xstrdup("?");
}

static void val_done(struct val *v) {
        free(v->s);
        v->s = NULL;
}

static struct obj *obj_alloc(const char *kind, const char *name) {
        struct obj *o = xcalloc(1, sizeof(*o));

        o->kind = kind;
        o->name = xstrdup(name);
        return o;
}

static struct obj *obj_push(struct status *st, struct obj *o) {
        st->objs = xrealloc(st->objs, (st->n_objs + 1) * sizeof(*st->objs));
        st->objs[st->n_objs++] = o;
        return o;
}

struct obj *obj_new_other(struct status *st, const char *kind, const char *type, const char *name) {
        struct obj *o = obj_alloc(kind, name);

        o->type = type;
        o->bare = true;
        return obj_push(st, o);
}

struct obj *obj_new(struct status *st, const struct kind *k, const char *name, const struct conf_loc *loc) {
        struct obj *o = obj_alloc(k->slug, name);

        o->type = k->type;
        o->bare = !k->name_example;
        if (loc) {
                o->file = loc->file;
                o->line = loc->line;
        }
        return obj_push(st, o);
}

struct obj *obj_add_member(struct obj *o, const char *kind, const char *name) {
        struct obj *m = obj_alloc(kind, name);

        o->members = xrealloc(o->members, (o->n_members + 1) * sizeof(*o->members));
        o->members[o->n_members++] = m;
        return m;
}

static struct item *obj_add_item(struct obj *o, const char *key, struct val want, struct val have) {
        struct item *it;

        o->items = xrealloc(o->items, (o->n_items + 1) * sizeof(*o->items));
        it = &o->items[o->n_items++];
        *it = (struct item) { .key = key, .want = want, .have = have };
        return it;
}

struct item *obj_compare(struct obj *o, const char *key, struct val want, struct val have) {
        struct item *it = obj_add_item(o, key, want, have);

        if (want.type == VAL_NULL)
                it->state = STATE_INFO;
        else if (have.type == VAL_UNKNOWN)
                it->state = STATE_UNKNOWN;
        else
                it->state = val_equal(&want, &have) ? STATE_OK : STATE_DRIFT;
        return it;
}

struct item *obj_at_least(struct obj *o, const char *key, struct val want, struct val have) {
        struct item *it = obj_compare(o, key, want, have);

        if (it->state == STATE_DRIFT && want.type == VAL_INT && have.type == VAL_INT && have.i >= want.i)
                it->state = STATE_OK;
        return it;
}

struct item *obj_compare_detail(struct obj *o, const char *key, struct val want, struct val have) {
        struct item *it = obj_compare(o, key, want, have);

        it->detail = true;
        return it;
}

struct item *obj_find_item(const struct obj *o, const char *key) {
        for (size_t i = 0; i < o->n_items; i++)
                if (streq(o->items[i].key, key))
                        return &o->items[i];
        return NULL;
}

static enum state obj_finish(struct obj *o, bool top) {
        /* An object with nothing to compare is fine as it is; a top-level one whose every
         * value is only shown (a libvirt service that is not installed) is for information. */
        enum state s = STATE_OK;
        bool all_info = top && o->n_items > 0 && o->n_members == 0;

        for (size_t i = 0; i < o->n_items; i++) {
                if (o->items[i].state > s)
                        s = o->items[i].state;
                if (o->items[i].state != STATE_INFO)
                        all_info = false;
        }
        if (all_info)
                s = STATE_INFO;
        for (size_t i = 0; i < o->n_members; i++) {
                enum state m = obj_finish(o->members[i], false);
                if (m > s)
                        s = m;
        }
        o->state = s;
        return s;
}

void status_finish(struct status *st) {
        st->state = STATE_OK;
        for (size_t i = 0; i < st->n_objs; i++) {
                enum state s = obj_finish(st->objs[i], true);
                if (s > st->state)
                        st->state = s;
        }
}

static void obj_free(struct obj *o) {
        for (size_t i = 0; i < o->n_items; i++) {
                val_done(&o->items[i].want);
                val_done(&o->items[i].have);
        }
        free(o->items);
        for (size_t i = 0; i < o->n_members; i++)
                obj_free(o->members[i]);
        free(o->members);
        free(o->name);
        free(o->unit);
        free(o);
}

void status_free(struct status *st) {
        for (size_t i = 0; i < st->n_objs; i++)
                obj_free(st->objs[i]);
        free(st->objs);
        st->objs = NULL;
        st->n_objs = 0;
}

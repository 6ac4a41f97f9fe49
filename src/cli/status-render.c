/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `hostvirt status` output: text for people (drift in color on a terminal,
 * the same words without escape sequences when piped) and JSON for
 * monitoring (its shape is documented in hostvirt(8), JSON OUTPUT).
 */
#include <errno.h>

#include "json.h"
#include "status.h"
#include "util.h"

#define ANSI_RED "\033[1;31m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_GREEN "\033[32m"
#define ANSI_RESET "\033[0m"

static const char *state_name(enum state s) {
        switch (s) {
        case STATE_INFO:
                return "info";
        case STATE_OK:
                return "ok";
        case STATE_UNKNOWN:
                return "unknown";
        case STATE_DRIFT:
                return "drift";
        }
        return "unknown";
}

static const char *state_color(enum state s) {
        return s == STATE_DRIFT ? ANSI_RED : s == STATE_UNKNOWN ? ANSI_YELLOW : ANSI_GREEN;
}

struct out {
        FILE *f;
        bool color;
};

static void put_colored(const struct out *o, const char *color, const char *s) {
        if (o->color)
                fprintf(o->f, "%s%s%s", color, s, ANSI_RESET);
        else
                fputs(s, o->f);
}

/* Shown in text: what is compared, and what is known without being asked for. */
static bool item_shown(const struct item *it) {
        if (it->state == STATE_DRIFT || it->state == STATE_UNKNOWN)
                return true;
        if (it->detail)
                return false;
        return it->state == STATE_OK || it->have.type != VAL_NULL;
}

/* "value", or "value (want other)" with the value in color when it is not what is asked for. */
static void put_value(const struct out *o, const struct item *it) {
        _cleanup_free_ char *have = val_format(&it->have), *want = NULL;

        if (it->state != STATE_DRIFT && it->state != STATE_UNKNOWN) {
                fputs(have, o->f);
                return;
        }
        put_colored(o, state_color(it->state), have);
        want = val_format(&it->want);
        fprintf(o->f, " (want %s)", want);
}

static void put_mark(const struct out *o, enum state s) {
        if (s != STATE_DRIFT && s != STATE_UNKNOWN)
                return;
        fputs("  <- ", o->f);
        put_colored(o, state_color(s), state_name(s));
}

/*
 * Items to show: all of them, but for something that should exist and does
 * not, only those up to "present": everything after it differs for the same
 * reason, and saying so once is enough.  (JSON has them all.)
 */
static size_t items_to_show(const struct obj *o) {
        for (size_t i = 0; i < o->n_items; i++)
                if (streq(o->items[i].key, "present") && o->items[i].state == STATE_DRIFT &&
                    (o->items[i].have.type == VAL_NULL || (o->items[i].have.type == VAL_BOOL && !o->items[i].have.i)))
                        return i + 1;
        return o->n_items;
}

static void print_member(const struct out *o, const struct obj *m) {
        size_t n = items_to_show(m);

        fprintf(o->f, "  %s %s:", m->kind, m->name);
        for (size_t i = 0; i < n; i++) {
                const struct item *it = &m->items[i];

                if (!item_shown(it))
                        continue;
                fprintf(o->f, " %s=", it->key);
                put_value(o, it);
        }
        put_mark(o, m->state);
        fputc('\n', o->f);
}

static void print_obj(const struct out *o, const struct obj *obj) {
        fprintf(o->f, obj->bare ? "[%s] %s" : "[%s %s]", obj->type, obj->name);
        if (obj->file && obj->line > 0)
                fprintf(o->f, " (%s:%u)", obj->file, obj->line);
        fputs(": ", o->f);
        put_colored(o, state_color(obj->state), state_name(obj->state));
        fputc('\n', o->f);

        if (obj->unit)
                fprintf(o->f, "  %-18s%s\n", "unit", obj->unit);
        for (size_t i = 0; i < items_to_show(obj); i++) {
                const struct item *it = &obj->items[i];

                if (!item_shown(it))
                        continue;
                fprintf(o->f, "  %-18s", it->key);
                put_value(o, it);
                put_mark(o, it->state);
                fputc('\n', o->f);
        }
        for (size_t i = 0; i < obj->n_members; i++)
                print_member(o, obj->members[i]);
        if (obj->hint && obj->state == STATE_DRIFT)
                fprintf(o->f, "  %-18s%s\n", "hint", obj->hint);
}

int status_print_text(const struct status *st, FILE *f, bool color) {
        struct out o = { f, color };
        unsigned n[STATE_DRIFT + 1] = {};

        for (size_t i = 0; i < st->n_objs; i++) {
                if (i > 0)
                        fputc('\n', f);
                print_obj(&o, st->objs[i]);
                n[st->objs[i]->state]++;
        }
        if (st->n_objs > 0)
                fputc('\n', f);
        fprintf(f, "%zu object%s: %u ok, ", st->n_objs, st->n_objs == 1 ? "" : "s", n[STATE_OK] + n[STATE_INFO]);
        {
                char drift[32];
                snprintf(drift, sizeof(drift), "%u drift", n[STATE_DRIFT]);
                if (n[STATE_DRIFT] > 0)
                        put_colored(&o, ANSI_RED, drift);
                else
                        fputs(drift, f);
        }
        fprintf(f, ", %u unknown\n", n[STATE_UNKNOWN]);
        return fflush(f) == 0 && !ferror(f) ? 0 : -EIO;
}

static void json_val(struct json *j, const struct val *v) {
        switch (v->type) {
        case VAL_STR:
                json_string(j, v->s);
                break;
        case VAL_INT:
                json_int(j, v->i);
                break;
        case VAL_BOOL:
                json_bool(j, v->i);
                break;
        default:
                json_null(j);
        }
}

static void json_obj(struct json *j, const struct obj *o) {
        json_begin_object(j);
        json_key(j, "kind");
        json_string(j, o->kind);
        json_key(j, "name");
        json_string(j, o->name);
        json_key(j, "source");
        if (o->file) {
                json_begin_object(j);
                json_key(j, "file");
                json_string(j, o->file);
                json_key(j, "line");
                json_int(j, o->line);
                json_end_object(j);
        } else
                json_null(j);
        json_key(j, "unit");
        json_string(j, o->unit);
        json_key(j, "state");
        json_string(j, state_name(o->state));

        json_key(j, "settings");
        json_begin_object(j);
        for (size_t i = 0; i < o->n_items; i++) {
                json_key(j, o->items[i].key);
                json_begin_object(j);
                json_key(j, "desired");
                json_val(j, &o->items[i].want);
                json_key(j, "actual");
                json_val(j, &o->items[i].have);
                json_key(j, "state");
                json_string(j, state_name(o->items[i].state));
                json_end_object(j);
        }
        json_end_object(j);

        json_key(j, "members");
        json_begin_array(j);
        for (size_t i = 0; i < o->n_members; i++)
                json_obj(j, o->members[i]);
        json_end_array(j);
        json_end_object(j);
}

int status_print_json(const struct status *st, FILE *f) {
        struct json j;

        json_init(&j, f);
        json_begin_object(&j);
        json_key(&j, "version");
        json_int(&j, 1);
        json_key(&j, "state");
        json_string(&j, state_name(st->state));
        json_key(&j, "drift");
        json_bool(&j, st->state == STATE_DRIFT);

        json_key(&j, "config");
        json_begin_object(&j);
        json_key(&j, "files");
        json_begin_array(&j);
        for (size_t i = 0; i < st->conf->n_files; i++)
                json_string(&j, st->conf->files[i]);
        json_end_array(&j);
        json_key(&j, "errors");
        json_int(&j, st->conf->n_errors);
        json_key(&j, "warnings");
        json_int(&j, st->conf->n_warnings);
        json_end_object(&j);

        json_key(&j, "objects");
        json_begin_array(&j);
        for (size_t i = 0; i < st->n_objs; i++)
                json_obj(&j, st->objs[i]);
        json_end_array(&j);
        json_end_object(&j);
        return json_finish(&j);
}

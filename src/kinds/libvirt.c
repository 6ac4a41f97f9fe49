/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [Libvirt]: order the libvirt daemons after everything hostvirt sets up.
 *
 * For each service in Services= a drop-in <service>.d/50-hostvirt.conf with
 * Wants= and After= of every unit the other emitters registered, and
 * RequiresMountsFor= of every hugetlbfs mount point.  This runs last, when
 * the registry is complete.
 *
 * The drop-in goes on the service, never on its sockets: libvirtd.socket and
 * virtqemud.socket are started early (sockets.target, before basic.target),
 * long before our network units, so ordering a socket after them would make
 * an ordering cycle or delay every socket.  A connection to the socket only
 * queues until the service's start job runs, and that job waits for our
 * units through After=, so socket activation gets the same guarantee.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "emit.h"
#include "escape.h"
#include "libvirt.h"
#include "log.h"
#include "section.h"
#include "util.h"

static bool unit_name_chars_valid(const char *s) {
        for (; *s; s++)
                if (!isalnum((unsigned char) *s) && !strchr(":-_.\\@", *s))
                        return false;
        return true;
}

static int parse_services(struct section *s, const struct raw_kv *kv, void *obj) {
        struct conf_libvirt *lv = obj;
        size_t n;
        char **w = split_words(kv->value, &n);
        char why[300];

        for (size_t i = 0; i < n; i++) {
                const char *at = strchr(w[i], '@');
                /* a startable service: "name.service" or "name@instance.service", never a template */
                bool ok = endswith(w[i], ".service") && strlen(w[i]) > 8 && strlen(w[i]) <= 255 &&
                          unit_name_chars_valid(w[i]) && w[i][0] != '@' && w[i][0] != '.' &&
                          (!at || (strchr(at + 1, '@') == NULL && at[1] != '.'));
                if (!ok) {
                        strv_free(w);
                        return section_bad_value(s, kv, "expected service unit names like libvirtd.service");
                }
                /* Our own units get drop-ins of their own, and cannot wait for themselves. */
                if (startswith(w[i], "hostvirt-") || startswith(w[i], "interface-vf@")) {
                        snprintf(why, sizeof(why), "%s is one of hostvirt's own units, which cannot be ordered "
                                 "after hostvirt's units", w[i]);
                        strv_free(w);
                        return section_bad_value(s, kv, why);
                }
        }
        strv_free(lv->services);
        lv->services = w;
        lv->n_services = n;
        return 0;
}

static const struct key_def libvirt_keys[] = {
        { .name = "Services", .type = KEY_CUSTOM, .parse = parse_services },
        { .name = "Order", .type = KEY_FLAG, .offset = offsetof(struct conf_libvirt, order) },
        {}
};

static const char *libvirt_name_of(const void *obj) {
        (void) obj;
        return "";
}

static const struct conf_loc *libvirt_loc_of(const void *obj) {
        return &((const struct conf_libvirt *) obj)->loc;
}

/* The object every config has (loc->file NULL) gets the defaults; a section's, only what it says. */
static void libvirt_init(void *obj, const char *name, const struct conf_loc *loc) {
        struct conf_libvirt *lv = obj;

        (void) name;
        lv->loc = *loc;
        lv->order = true;
        if (!loc->file)
                lv->services = split_words("libvirtd.service virtqemud.service", &lv->n_services);
}

static void libvirt_merge(void *into, void *from) {
        struct conf_libvirt *a = into, *b = from;

        if (b->services) {
                strv_free(a->services);
                a->services = b->services;
                a->n_services = b->n_services;
                b->services = NULL;
        }
        a->order = b->order;
        a->loc = b->loc;
        free(b);
}

static void libvirt_free(void *obj) {
        struct conf_libvirt *lv = obj;

        strv_free(lv->services);
        free(lv);
}

/* A file name in the header comment: one line, whatever bytes it holds. */
static void put_comment_line(FILE *f, const char *s) {
        fputs("#   ", f);
        for (; *s; s++)
                fputc((unsigned char) *s < ' ' ? '?' : *s, f);
        fputc('\n', f);
}

/*
 * One RequiresMountsFor= path, with '%' doubled (specifiers) and, when it
 * holds whitespace or quotes, in double quotes (the list is split on
 * whitespace and unquoted).
 */
static void put_mount_path(FILE *f, const char *path) {
        _cleanup_free_ char *p = unit_specifier_escape(path);
        const char *s;

        if (strpbrk(p, " \t\"'\\") == NULL) {
                fprintf(f, "RequiresMountsFor=%s\n", p);
                return;
        }
        fputs("RequiresMountsFor=\"", f);
        for (s = p; *s; s++) {
                if (*s == '"' || *s == '\\')
                        fputc('\\', f);
                fputc(*s, f);
        }
        fputs("\"\n", f);
}

static int emit_libvirt_dropin(struct emitter *e, const char *service) {
        _cleanup_free_ char *relpath = strjoin(service, ".d/50-hostvirt.conf");
        char *const *units = emit_units(e), *const *mounts = emit_mounts(e),
                    *const *sources = emit_sources(e);
        FILE *f;

        f = emit_open(e, relpath);
        if (!f)
                return -errno;

        fputs(GENERATOR_HEADER, f);
        fprintf(f, "#\n# Starts %s after what hostvirt sets up, as configured in:\n", service);
        for (char *const *s = sources; s && *s; s++)
                put_comment_line(f, *s);
        fputs("\n[Unit]\n", f);
        for (char *const *u = units; u && *u; u++)
                fprintf(f, "Wants=%s\nAfter=%s\n", *u, *u);
        for (char *const *m = mounts; m && *m; m++)
                put_mount_path(f, *m);

        return emit_close(e, f);
}

static int libvirt_emit(struct emitter *e, const struct conf *c) {
        const struct conf_libvirt *lv = conf_libvirt(c);
        char *const *units = emit_units(e), *const *mounts = emit_mounts(e);
        char **done = NULL;
        size_t n_done = 0;
        int r = 0;

        if (!lv->order)
                return 0;
        /* Nothing of ours to wait for: leave libvirt's units alone. */
        if ((!units || !*units) && (!mounts || !*mounts))
                return 0;

        for (char **s = lv->services; s && *s; s++) {
                int k;

                /* "Services = libvirtd.service libvirtd.service" is one drop-in,
                 * not a duplicate-file error. */
                if (strv_contains(done, *s))
                        continue;
                strv_push(&done, &n_done, xstrdup(*s));

                k = emit_libvirt_dropin(e, *s);
                if (k < 0 && r == 0)
                        r = k;
        }

        strv_free(done);
        return r;
}

const struct kind kind_libvirt = {
        .type = "Libvirt",
        .slug = "libvirt",
        .id = KIND_LIBVIRT,
        .size = sizeof(struct conf_libvirt),
        .keys = libvirt_keys,
        .singleton = true,
        .name_of = libvirt_name_of,
        .loc_of = libvirt_loc_of,
        .init = libvirt_init,
        .merge = libvirt_merge,
        .free = libvirt_free,
        .emit = libvirt_emit,
        .emit_last = true,
};

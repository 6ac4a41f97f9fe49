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
#include <string.h>

#include "emit.h"
#include "escape.h"
#include "log.h"
#include "util.h"

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
        _cleanup_free_ char *relpath = xasprintf("%s.d/50-hostvirt.conf", service);
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

int emit_libvirt(struct emitter *e, const struct conf *c) {
        char *const *units = emit_units(e), *const *mounts = emit_mounts(e);
        char **done = NULL;
        size_t n_done = 0;
        int r = 0;

        if (!c->libvirt.order)
                return 0;
        /* Nothing of ours to wait for: leave libvirt's units alone. */
        if ((!units || !*units) && (!mounts || !*mounts))
                return 0;

        for (char **s = c->libvirt.services; s && *s; s++) {
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

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "root.h"
#include "util.h"

static const char *log_ident = "hostvirt";
static enum log_target log_target = LOG_TARGET_STDERR;
static int log_max_level = LOG_INFO_LEVEL;
static int kmsg_fd = -1;
static bool stderr_prefix; /* journald parses "<N>" prefixes on our stderr */

/* A diagnostic held back by diag_hold(), printed sorted by file and line. */
struct diag_held {
        int level;
        char *file;
        unsigned line;
        char *text;
};

void log_setup(const char *ident, enum log_target target) {
        const char *e;

        log_ident = ident;
        log_target = target;

        e = getenv("HOSTVIRT_LOG_LEVEL");
        if (e && e[0] >= '0' && e[0] <= '7' && e[1] == '\0')
                log_max_level = e[0] - '0';

        /* Under HOSTVIRT_ROOT (tests), everything goes to stderr: see hostvirt-generator(8). */
        if (target == LOG_TARGET_KMSG && !root_is_set())
                kmsg_fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);

        /* Like systemd: "<N>" prefixes only when stderr really is the journal stream we were
         * given, not when $JOURNAL_STREAM was merely inherited (hostvirt check | less). */
        e = getenv("JOURNAL_STREAM");
        if (kmsg_fd < 0 && e) {
                unsigned long long dev, ino;
                struct stat st;

                if (sscanf(e, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) >= 0 &&
                    (unsigned long long) st.st_dev == dev && (unsigned long long) st.st_ino == ino)
                        stderr_prefix = true;
        }
}

void log_set_max_level(int level) {
        log_max_level = level;
}

int log_get_max_level(void) {
        return log_max_level;
}

static void log_write(int level, const char *msg) {
        char buf[2048];
        int n;

        if (kmsg_fd >= 0) {
                /* /dev/kmsg takes one record per write() */
                n = snprintf(buf, sizeof(buf), "<%d>%s[%d]: %s\n", level, log_ident, (int) getpid(), msg);
                if (n > 0 && write(kmsg_fd, buf, (size_t) n < sizeof(buf) ? (size_t) n : sizeof(buf) - 1) >= 0)
                        return;
        }

        if (stderr_prefix)
                fprintf(stderr, "<%d>%s\n", level, msg);
        else
                fprintf(stderr, "%s\n", msg);
}

int log_internalv(int level, int error, const char *fmt, va_list ap) {
        char msg[1536];
        int saved = errno;

        if (error < 0)
                error = -error;

        if (level <= log_max_level) {
                errno = error; /* so that %m prints the error we were given */
                vsnprintf(msg, sizeof(msg), fmt, ap);
                log_write(level, msg);
        }

        errno = saved;
        return -error;
}

int log_internal(int level, int error, const char *fmt, ...) {
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = log_internalv(level, error, fmt, ap);
        va_end(ap);
        return r;
}

static void diag_print(struct diag *d, int level, const char *file, unsigned line, const char *what,
                       const char *msg) {
        if (d->sink)
                d->sink(d->userdata, level, file, line, msg);
        else if (line > 0)
                log_internal(level, 0, "%s:%u: %s: %s", file, line, what, msg);
        else
                log_internal(level, 0, "%s: %s: %s", file, what, msg);
}

static void diag(struct diag *d, int level, const char *file, unsigned line, const char *fmt, va_list ap) {
        char msg[1280];

        if (level == LOG_ERR_LEVEL)
                d->n_errors++;
        else
                d->n_warnings++;
        if (d->quiet)
                return;

        vsnprintf(msg, sizeof(msg), fmt, ap);
        if (d->holding) {
                d->held = xrealloc(d->held, (d->n_held + 1) * sizeof(*d->held));
                d->held[d->n_held++] = (struct diag_held) { level, xstrdup(file), line, xstrdup(msg) };
                return;
        }
        diag_print(d, level, file, line, level == LOG_ERR_LEVEL ? "error" : "warning", msg);
}

void diag_hold(struct diag *d) {
        d->holding = true;
}

/* The order of held diagnostics: by the position of their file in 'files', then line. */
struct held_ref {
        const struct diag_held *h;
        long rank;   /* position of its file in files, -1: not a file read (a directory, say) */
        size_t seq;  /* qsort is not stable: the order in which they were said */
};

static int cmp_held(const void *a, const void *b) {
        const struct held_ref *x = a, *y = b;

        if (x->rank != y->rank)
                return x->rank < y->rank ? -1 : 1;
        if (x->rank < 0 && strcmp(x->h->file, y->h->file) != 0)
                return strcmp(x->h->file, y->h->file);
        if (x->h->line != y->h->line)
                return x->h->line < y->h->line ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_flush(struct diag *d, char *const *files) {
        struct held_ref *v = xcalloc(d->n_held + 1, sizeof(*v));

        for (size_t i = 0; i < d->n_held; i++) {
                v[i] = (struct held_ref) { &d->held[i], -1, i };
                for (long k = 0; files && files[k]; k++)
                        if (strcmp(files[k], d->held[i].file) == 0) {
                                v[i].rank = k;
                                break;
                        }
        }
        qsort(v, d->n_held, sizeof(*v), cmp_held);
        for (size_t i = 0; i < d->n_held; i++)
                diag_print(d, v[i].h->level, v[i].h->file, v[i].h->line,
                           v[i].h->level == LOG_ERR_LEVEL ? "error" : "warning", v[i].h->text);
        for (size_t i = 0; i < d->n_held; i++) {
                free(d->held[i].file);
                free(d->held[i].text);
        }
        free(v);
        free(d->held);
        d->held = NULL;
        d->n_held = 0;
        d->holding = false;
}

void diag_error(struct diag *d, const char *file, unsigned line, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        diag(d, LOG_ERR_LEVEL, file, line, fmt, ap);
        va_end(ap);
}

void diag_warning(struct diag *d, const char *file, unsigned line, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        diag(d, LOG_WARNING_LEVEL, file, line, fmt, ap);
        va_end(ap);
}

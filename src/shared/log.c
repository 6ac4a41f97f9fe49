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

static unsigned n_errors, n_warnings;
static bool diag_quiet;

/* While a batch is open, diagnostics are held back and then printed sorted by file and line. */
struct held_diag {
        int level;
        char *file;
        unsigned line;
        char *text;
};
static bool diag_holding;
static struct held_diag *held;
static size_t n_held;

void log_setup(const char *ident, enum log_target target) {
        const char *e;

        log_ident = ident;
        log_target = target;

        e = getenv("HOSTVIRT_LOG_LEVEL");
        if (e && e[0] >= '0' && e[0] <= '7' && e[1] == '\0')
                log_max_level = e[0] - '0';

        /* With the test seam set, everything goes to stderr (CONTRACT, section 5). */
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

static void diag_print(int level, const char *file, unsigned line, const char *what, const char *msg) {
        if (line > 0)
                log_internal(level, 0, "%s:%u: %s: %s", file, line, what, msg);
        else
                log_internal(level, 0, "%s: %s: %s", file, what, msg);
}

static void diag(int level, const char *what, const char *file, unsigned line, const char *fmt, va_list ap) {
        char msg[1280];

        if (diag_quiet)
                return;

        vsnprintf(msg, sizeof(msg), fmt, ap);
        if (diag_holding) {
                held = xrealloc(held, (n_held + 1) * sizeof(*held));
                held[n_held++] = (struct held_diag) { level, xstrdup(file), line, xstrdup(msg) };
                return;
        }
        diag_print(level, file, line, what, msg);
}

void diag_hold(void) {
        diag_holding = true;
}

static char *const *sort_files;

static long file_rank(const char *file) {
        for (long i = 0; sort_files && sort_files[i]; i++)
                if (strcmp(sort_files[i], file) == 0)
                        return i;
        return -1; /* directories and unreadable files: before the files read */
}

static int cmp_held_ptr(const void *a, const void *b) {
        const struct held_diag *x = *(struct held_diag *const *) a, *y = *(struct held_diag *const *) b;
        long fx = file_rank(x->file), fy = file_rank(y->file);

        if (fx != fy)
                return fx < fy ? -1 : 1;
        if (fx < 0 && strcmp(x->file, y->file) != 0)
                return strcmp(x->file, y->file);
        if (x->line != y->line)
                return x->line < y->line ? -1 : 1;
        return x < y ? -1 : x > y; /* stable: keep the order of the messages of one line */
}

void diag_flush(char *const *files) {
        /* qsort is not stable: make it so by comparing addresses in the original array,
         * which requires sorting an array of pointers into it */
        struct held_diag **v = xcalloc(n_held, sizeof(*v));

        sort_files = files;
        for (size_t i = 0; i < n_held; i++)
                v[i] = &held[i];
        qsort(v, n_held, sizeof(*v), cmp_held_ptr);
        for (size_t i = 0; i < n_held; i++) {
                diag_print(v[i]->level, v[i]->file, v[i]->line,
                           v[i]->level == LOG_ERR_LEVEL ? "error" : "warning", v[i]->text);
                free(v[i]->file);
                free(v[i]->text);
        }
        free(v);
        free(held);
        held = NULL;
        n_held = 0;
        diag_holding = false;
        sort_files = NULL;
}

void diag_error(const char *file, unsigned line, const char *fmt, ...) {
        va_list ap;

        n_errors++;
        va_start(ap, fmt);
        diag(LOG_ERR_LEVEL, "error", file, line, fmt, ap);
        va_end(ap);
}

void diag_warning(const char *file, unsigned line, const char *fmt, ...) {
        va_list ap;

        n_warnings++;
        va_start(ap, fmt);
        diag(LOG_WARNING_LEVEL, "warning", file, line, fmt, ap);
        va_end(ap);
}

unsigned diag_n_errors(void) {
        return n_errors;
}

unsigned diag_n_warnings(void) {
        return n_warnings;
}

void diag_reset(void) {
        n_errors = n_warnings = 0;
}

void diag_set_quiet(bool quiet) {
        diag_quiet = quiet;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Logging for every hostvirt program.
 *
 * The generator logs to /dev/kmsg (stderr where that cannot be opened, and
 * always stderr with HOSTVIRT_ROOT set).  Helpers and the CLI log to stderr;
 * under systemd (JOURNAL_STREAM set) each line carries a "<N>" syslog level
 * prefix that journald understands.
 *
 * Functions that fail return a negative errno; callers log once with
 * log_error_errno(r, "Failed to ...: %m"), which returns r.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define LOG_ERR_LEVEL 3
#define LOG_WARNING_LEVEL 4
#define LOG_NOTICE_LEVEL 5
#define LOG_INFO_LEVEL 6
#define LOG_DEBUG_LEVEL 7

enum log_target {
        LOG_TARGET_STDERR,  /* plain, or with <N> prefixes under journald */
        LOG_TARGET_KMSG,    /* /dev/kmsg, falling back to stderr */
};

void log_setup(const char *ident, enum log_target target);
void log_set_max_level(int level);
int log_get_max_level(void);

/* Logs and returns -abs(error) (or 0 when error is 0); %m prints strerror(error). */
int log_internal(int level, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int log_internalv(int level, int error, const char *fmt, va_list ap);

#define log_error(...) log_internal(LOG_ERR_LEVEL, 0, __VA_ARGS__)
#define log_warning(...) log_internal(LOG_WARNING_LEVEL, 0, __VA_ARGS__)
#define log_notice(...) log_internal(LOG_NOTICE_LEVEL, 0, __VA_ARGS__)
#define log_info(...) log_internal(LOG_INFO_LEVEL, 0, __VA_ARGS__)
#define log_debug(...) log_internal(LOG_DEBUG_LEVEL, 0, __VA_ARGS__)
#define log_error_errno(e, ...) log_internal(LOG_ERR_LEVEL, (e), __VA_ARGS__)
#define log_warning_errno(e, ...) log_internal(LOG_WARNING_LEVEL, (e), __VA_ARGS__)

/*
 * Config diagnostics: "FILE:LINE: error: message" / "FILE:LINE: warning: message".
 * They go through a context that the caller owns and passes down (the loader keeps
 * no globals): it counts them, for exit codes, and can hold them back or drop them.
 */
struct diag_held;
struct diag {
        unsigned n_errors, n_warnings;
        bool quiet;               /* count, but print nothing (`hostvirt check --quiet`, helpers) */
        bool holding;             /* see diag_hold() */
        /* when set, diagnostics go here instead of the log (tests, --json) */
        void (*sink)(void *userdata, int level, const char *file, unsigned line, const char *msg);
        void *userdata;
        struct diag_held *held;
        size_t n_held;
};

void diag_error(struct diag *d, const char *file, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void diag_warning(struct diag *d, const char *file, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* Holds diagnostics back until diag_flush(), which prints them sorted by the
 * position of their file in files (NULL-terminated; others first) and line. */
void diag_hold(struct diag *d);
void diag_flush(struct diag *d, char *const *files);

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
 * They count towards the error/warning totals that decide exit codes.
 */
void diag_error(const char *file, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_warning(const char *file, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
unsigned diag_n_errors(void);
unsigned diag_n_warnings(void);
void diag_reset(void);
/* Holds diagnostics back until diag_flush(), which prints them sorted by the
 * position of their file in files (NULL-terminated; others first) and line. */
void diag_hold(void);
void diag_flush(char *const *files);
/* Quiet mode for `hostvirt check --quiet`: count, but print nothing. */
void diag_set_quiet(bool quiet);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What both libFuzzer targets share: a private scratch directory, writing and
 * clearing files in it, and a check that aborts (so libFuzzer records the
 * input) when an invariant of the config model or of the emitted units does
 * not hold.  A crash is only one kind of finding: a wrong result that the
 * sanitizers cannot see is another, so the targets check what they can.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Aborts with a message: the fuzzer saves the input as crash-*. */
#define fuzz_assert(cond, ...)                                  \
        do {                                                    \
                if (!(cond))                                    \
                        fuzz_fail(__FILE__, __LINE__, __VA_ARGS__); \
        } while (0)

_Noreturn void fuzz_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A new directory under $TMPDIR (default /dev/shm, else /tmp), removed at exit. */
char *fuzz_scratch_dir(const char *what);
/* Writes data to dirfd/name (created or truncated) with the given mode. */
void fuzz_write_file(int dirfd, const char *name, const void *data, size_t size, unsigned mode);
/* Removes everything below dirfd (not dirfd itself). */
void fuzz_clear_dir(int dirfd);
/* Quiet unless FUZZ_VERBOSE is set: a fuzzer must not spend its time printing diagnostics. */
void fuzz_setup_logging(void);

/* Invariants of the typed model conf_load() returns (what "a bad section is dropped" promises). */
struct conf;
void fuzz_check_conf(const struct conf *c);

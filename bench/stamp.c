/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench/boot.sh's clock inside a unit: preloaded (LD_PRELOAD) into the
 * programs of the units it times, it writes the CLOCK_MONOTONIC time of the
 * program's start (right after the exec) to stderr, which systemd hands to
 * the journal with the unit's name:
 *
 *   hvstamp exec USEC
 *
 * With the unit's ExecMainStartTimestampMonotonic (the fork) and
 * ExecMainExitTimestampMonotonic that splits an activation into systemd's
 * setup of the child (fork to exec) and the program's own run.  (No stamp at
 * exit: a shell leaves with _exit(), and systemd's exit time serves all.)  Not part of hostvirt: the benchmark installs it into
 * its containers only.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void stamp(const char *what) {
        struct timespec ts;
        char buf[64];
        int n;

        if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
                return;
        n = snprintf(buf, sizeof(buf), "hvstamp %s %llu\n", what,
                     (unsigned long long) ts.tv_sec * 1000000ULL + (unsigned long long) ts.tv_nsec / 1000ULL);
        if (n > 0)
                (void) !write(STDERR_FILENO, buf, (size_t) n);
}

__attribute__((constructor)) static void at_exec(void) {
        stamp("exec");
}

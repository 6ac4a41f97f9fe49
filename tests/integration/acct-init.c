/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * acct-init PACCT INIT [ARG...]: turns on BSD process accounting into PACCT,
 * then becomes INIT (the container's systemd).  Accounting is per PID
 * namespace and stays on across exec, so every process of the container's
 * boot, the generators included, is recorded when it ends (boot-execs.py
 * reads the file).  Without accounting (no CAP_SYS_PACCT, a kernel without
 * CONFIG_BSD_PROCESS_ACCT) it says so and boots all the same.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        FILE *f;

        if (argc < 3) {
                fprintf(stderr, "usage: acct-init PACCT INIT [ARG...]\n");
                return 2;
        }
        /* acct() wants an existing file */
        f = fopen(argv[1], "we");
        if (!f || fclose(f) != 0 || acct(argv[1]) < 0)
                fprintf(stderr, "acct-init: no process accounting into %s: %s\n", argv[1], strerror(errno));
        execv(argv[2], argv + 2);
        fprintf(stderr, "acct-init: cannot run %s: %s\n", argv[2], strerror(errno));
        return 127;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test driver for escape.c, compared against the real systemd-escape by test-escape.sh.
 *   escape-tool gen N SEED    N pseudo-random names, NUL-separated, rich in the
 *                             characters escaping cares about
 *   escape-tool string|path   reads NUL-separated names, prints one escaped name a line
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "util.h"

static unsigned long long rng_state;

static unsigned rnd(unsigned n) {
        /* xorshift64*: deterministic for a seed, no libc differences */
        rng_state ^= rng_state >> 12;
        rng_state ^= rng_state << 25;
        rng_state ^= rng_state >> 27;
        return (unsigned) ((rng_state * 2685821657736338717ULL) >> 33) % n;
}

static int gen(unsigned long n, unsigned long long seed, bool paths) {
        static const char interesting[] = "-\\./_:@% x";

        rng_state = seed ? seed : 1;
        for (unsigned long i = 0; i < n; i++) {
                unsigned len = 1 + rnd(20);
                char name[64];

                for (unsigned k = 0; k < len; k++) {
                        unsigned kind = rnd(10);
                        if (kind < 4)
                                name[k] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[rnd(62)];
                        else if (kind < 8)
                                name[k] = interesting[rnd(sizeof(interesting) - 1)];
                        else if (kind < 9)
                                name[k] = (char) (0x80 + rnd(0x80)); /* non-ASCII bytes */
                        else
                                name[k] = (char) (1 + rnd(0x1f));    /* control characters */
                }
                name[len] = '\0';
                if (paths) {
                        /* systemd-escape --path refuses ".." components: keep paths normalized */
                        for (unsigned k = 0; k + 1 < len; k++)
                                if (name[k] == '.' && name[k + 1] == '.')
                                        name[k] = '_';
                        printf("/%s", name);
                } else
                        fputs(name, stdout);
                putchar('\0');
        }
        return 0;
}

int main(int argc, char *argv[]) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;

        if (argc >= 4 && (streq(argv[1], "gen") || streq(argv[1], "genpath")))
                return gen(strtoul(argv[2], NULL, 10), strtoull(argv[3], NULL, 10), streq(argv[1], "genpath"));
        if (argc != 2 || (!streq(argv[1], "string") && !streq(argv[1], "path"))) {
                fprintf(stderr, "usage: escape-tool gen|genpath N SEED | string | path\n");
                return 2;
        }
        while ((n = getdelim(&line, &cap, '\0', stdin)) > 0) {
                char *e = streq(argv[1], "path") ? unit_escape_path(line) : unit_escape(line);
                puts(e ? e : "(refused)");
                free(e);
        }
        free(line);
        return 0;
}

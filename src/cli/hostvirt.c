/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostvirt: the admin's command.
 *
 *   hostvirt check [--quiet] [FILE...]   validate the configuration
 *   hostvirt plan                        the units the generator would write
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmdline.h"
#include "conf.h"
#include "emit.h"
#include "log.h"
#include "util.h"

static bool arg_quiet;

static int verb_check(int argc, char *argv[]) {
        struct conf *c = NULL;
        unsigned errors, warnings;
        size_t objects;

        diag_set_quiet(arg_quiet);
        (void) conf_load(&c, argc > 0 ? argv : NULL);
        check_cross(c);
        diag_set_quiet(false);

        errors = diag_n_errors();
        warnings = diag_n_warnings();
        objects = c->n_sriov + c->n_vfs + c->n_hugepages + c->n_vlans + c->n_bridges;
        if (!arg_quiet)
                printf("%zu file%s, %zu valid section%s, %u error%s, %u warning%s\n",
                       c->n_files, c->n_files == 1 ? "" : "s", objects, objects == 1 ? "" : "s",
                       errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
        conf_free(c);
        return errors > 0 ? 1 : 0;
}

static int verb_plan(int argc, char *argv[]) {
        struct conf *c = NULL;
        struct emitter *e;
        int r;

        if (argc > 0) {
                log_error("plan takes no arguments.");
                return 2;
        }
        if (!cmdline_hostvirt_enabled())
                log_notice("Note: hostvirt=0 is on the kernel command line: the generator emits nothing at boot.");

        (void) conf_load(&c, NULL);
        e = emitter_new_memory();
        r = emit_all(e, c);
        if (r >= 0)
                r = emitter_print(e, stdout);
        emitter_free(e);
        if (r >= 0 && c->n_errors > 0)
                r = -EINVAL;
        conf_free(c);
        return r < 0 ? 1 : 0;
}

static void help(void) {
        printf("Usage: hostvirt [OPTIONS] COMMAND ...\n\n"
               "Commands:\n"
               "  check [FILE...]   Validate the configuration (all of it, or the given files)\n"
               "  plan              Print the units hostvirt-generator would write\n\n"
               "Options:\n"
               "  -q --quiet        check: print nothing, only set the exit status\n"
               "     --json         status: print JSON\n"
               "  -h --help         Show this help\n"
               "     --version      Show the version\n\n"
               "See hostvirt(8) and hostvirt.conf(5).\n");
}

int main(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_JSON };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "quiet", no_argument, NULL, 'q' },
                { "json", no_argument, NULL, ARG_JSON },
                { "version", no_argument, NULL, ARG_VERSION },
                {}
        };
        bool json = false;
        const char *verb;
        int opt;

        log_setup("hostvirt", LOG_TARGET_STDERR);
        while ((opt = getopt_long(argc, argv, "+hq", options, NULL)) >= 0)
                switch (opt) {
                case 'h':
                        help();
                        return 0;
                case 'q':
                        arg_quiet = true;
                        break;
                case ARG_JSON:
                        json = true;
                        break;
                case ARG_VERSION:
                        printf("hostvirt %s\n", PACKAGE_VERSION);
                        return 0;
                default:
                        return 2;
                }

        if (optind >= argc) {
                help();
                return 2;
        }
        verb = argv[optind++];
        /* options may also follow the verb */
        for (int i = optind; i < argc; i++) {
                if (streq(argv[i], "--quiet") || streq(argv[i], "-q"))
                        arg_quiet = true;
                else if (streq(argv[i], "--json"))
                        json = true;
                else
                        continue;
                memmove(argv + i, argv + i + 1, (size_t) (argc - i - 1) * sizeof(char *));
                argv[--argc] = NULL;
                i--;
        }

        if (streq(verb, "check"))
                return verb_check(argc - optind, argv + optind);
        if (streq(verb, "plan"))
                return verb_plan(argc - optind, argv + optind);
        (void) json; /* status: see issue 7 */
        log_error("Unknown command '%s'. See 'hostvirt --help'.", verb);
        return 2;
}

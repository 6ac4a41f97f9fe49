/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostvirt: the admin's command.
 *
 *   hostvirt check [--quiet] [FILE...]   validate the configuration
 *   hostvirt plan [--diff]               the units the generator would write
 *   hostvirt status [--json] [--quiet]   the configuration against the host
 *
 * Exit status: 0 all is well, 1 problems found (config errors, drift, a
 * difference for plan --diff), 2 usage errors.  See hostvirt(8).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmdline.h"
#include "model.h"
#include "emit.h"
#include "log.h"
#include "netlink.h"
#include "plan.h"
#include "root.h"
#include "status.h"
#include "util.h"

#define EXIT_PROBLEMS 1
#define EXIT_USAGE 2

static bool arg_quiet;
static bool arg_json;
static bool arg_diff;

static int verb_check(int argc, char *argv[]) {
        struct conf *c = NULL;
        struct diag diag = { .quiet = arg_quiet };
        unsigned errors, warnings;
        size_t objects = 0;

        (void) conf_load_all(&c, argc > 0 ? argv : NULL, &diag);
        check_cross(c, &diag);

        errors = diag.n_errors;
        warnings = diag.n_warnings;
        for (size_t i = 0; kinds_all[i]; i++)
                if (!kinds_all[i]->singleton)
                        objects += c->objs[i].n;
        if (!arg_quiet)
                printf("%zu file%s, %zu valid section%s, %u error%s, %u warning%s\n",
                       c->n_files, c->n_files == 1 ? "" : "s", objects, objects == 1 ? "" : "s",
                       errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
        conf_free(c);
        return errors > 0 ? EXIT_PROBLEMS : 0;
}

/* plan --diff: from what systemd loaded (the generator's output at the last boot or daemon-reload) to the plan. */
static int plan_print_diff(const struct conf *c) {
        _cleanup_free_ char *dir = root_path(GENERATOR_OUTPUT_DIR);
        struct plan now = {}, loaded = {};
        unsigned changed;
        int r;

        r = plan_load_dir(dir, &loaded);
        if (r == -ENOENT)
                log_notice("%s does not exist: systemd has not run generators, everything is new.", dir);
        else if (r < 0)
                return log_error_errno(r, "Failed to read %s: %m", dir);
        r = plan_build(c, &now);
        if (r >= 0) {
                changed = plan_diff(&loaded, GENERATOR_OUTPUT_DIR, &now, stdout);
                if (fflush(stdout) != 0)
                        r = -errno;
                else
                        r = changed > 0;
        }
        plan_done(&now);
        plan_done(&loaded);
        return r;
}

static int verb_plan(int argc, char *argv[]) {
        struct conf *c = NULL;
        struct emitter *e;
        int r;

        if (argc > 0) {
                log_error("plan takes no arguments.");
                return EXIT_USAGE;
        }
        if (!cmdline_hostvirt_enabled())
                log_notice("Note: hostvirt=0 is on the kernel command line: the generator emits nothing at boot.");

        (void) conf_load_all(&c, NULL, &(struct diag) {});
        if (arg_diff) {
                r = plan_print_diff(c);
                if (r >= 0 && c->n_errors > 0)
                        r = 1;
                conf_free(c);
                return r < 0 ? EXIT_PROBLEMS : r > 0 ? EXIT_PROBLEMS : 0;
        }
        e = emitter_new_memory();
        r = emit_all(e, c);
        if (r >= 0)
                r = emitter_print(e, stdout);
        emitter_free(e);
        if (r >= 0 && c->n_errors > 0)
                r = -EINVAL;
        conf_free(c);
        return r < 0 ? EXIT_PROBLEMS : 0;
}

/* Color when a person reads it: stdout a terminal, and nobody asked for none (https://no-color.org). */
static bool use_color(void) {
        const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

        return isatty(STDOUT_FILENO) && !(no && *no) && !(term && streq(term, "dumb"));
}

static int verb_status(int argc, char *argv[]) {
        struct status st = {};
        struct conf *c = NULL;
        int r;

        if (argc > 0) {
                log_error("status takes no arguments.");
                return EXIT_USAGE;
        }
        /* Config problems are `hostvirt check`'s to explain; here they only count. */
        (void) conf_load_all(&c, NULL, &(struct diag) { .quiet = true });
        if (c->n_errors > 0 && !arg_quiet)
                log_warning("The configuration has %u error%s: sections with errors are not shown "
                            "(see 'hostvirt check').", c->n_errors, c->n_errors == 1 ? "" : "s");

        st.conf = c;
        if (nl_open(&st.nl) < 0)
                st.nl = NULL;
        (void) units_open();

        status_sriov(&st);
        status_hugepages(&st);
        status_net(&st);
        status_virtiofs(&st);
        status_libvirt(&st);
        status_finish(&st);

        units_close();
        nl_close(st.nl);

        r = 0;
        if (!arg_quiet)
                r = arg_json ? status_print_json(&st, stdout) : status_print_text(&st, stdout, use_color());
        if (r < 0)
                log_error_errno(r, "Failed to write the status: %m");
        else
                r = st.state == STATE_DRIFT || c->n_errors > 0;
        status_free(&st);
        conf_free(c);
        return r != 0 ? EXIT_PROBLEMS : 0;
}

static void help(void) {
        printf("Usage: hostvirt [OPTIONS] COMMAND ...\n\n"
               "Commands:\n"
               "  check [FILE...]   Validate the configuration (all of it, or the given files)\n"
               "  plan              Print the units hostvirt-generator would write\n"
               "  status            Compare the configuration with this host\n\n"
               "Options:\n"
               "  -q --quiet        check, status: print nothing, only set the exit status\n"
               "     --diff         plan: show what would change against the loaded units\n"
               "     --json         status: print JSON\n"
               "  -h --help         Show this help\n"
               "     --version      Show the version\n\n"
               "Exit status: 0 all well, 1 problems found, 2 usage error.\n"
               "See hostvirt(8) and hostvirt.conf(5).\n");
}

static const struct {
        const char *name;
        int (*run)(int argc, char *argv[]);
        unsigned options; /* which of the OPT_* below it takes */
} verbs[] = {
#define OPT_QUIET 1u
#define OPT_JSON 2u
#define OPT_DIFF 4u
        { "check", verb_check, OPT_QUIET },
        { "plan", verb_plan, OPT_DIFF },
        { "status", verb_status, OPT_QUIET | OPT_JSON },
};

int main(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_JSON, ARG_DIFF };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "quiet", no_argument, NULL, 'q' },
                { "json", no_argument, NULL, ARG_JSON },
                { "diff", no_argument, NULL, ARG_DIFF },
                { "version", no_argument, NULL, ARG_VERSION },
                {}
        };
        unsigned given = 0;
        const char *verb;
        int opt;

        log_setup("hostvirt", LOG_TARGET_STDERR);
        /* Options may come before or after the command (getopt permutes); "--" ends them. */
        while ((opt = getopt_long(argc, argv, "hq", options, NULL)) >= 0)
                switch (opt) {
                case 'h':
                        help();
                        return 0;
                case 'q':
                        arg_quiet = true;
                        given |= OPT_QUIET;
                        break;
                case ARG_JSON:
                        arg_json = true;
                        given |= OPT_JSON;
                        break;
                case ARG_DIFF:
                        arg_diff = true;
                        given |= OPT_DIFF;
                        break;
                case ARG_VERSION:
                        printf("hostvirt %s\n", PACKAGE_VERSION);
                        return 0;
                default:
                        return EXIT_USAGE;
                }

        if (optind >= argc) {
                help();
                return EXIT_USAGE;
        }
        verb = argv[optind++];
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++) {
                if (!streq(verbs[i].name, verb))
                        continue;
                if (given & ~verbs[i].options) {
                        unsigned bad = given & ~verbs[i].options;
                        log_error("Option %s does not apply to '%s'. See 'hostvirt --help'.",
                                  bad & OPT_QUIET ? "--quiet" : bad & OPT_JSON ? "--json" : "--diff", verb);
                        return EXIT_USAGE;
                }
                return verbs[i].run(argc - optind, argv + optind);
        }
        log_error("Unknown command '%s'. See 'hostvirt --help'.", verb);
        return EXIT_USAGE;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "helper.h"
#include "kinds.h"
#include "log.h"

int helper_conf_load(struct conf **ret) {
        struct conf *c = NULL;
        int r;

        r = conf_load_all(&c, NULL, &(struct diag) { .quiet = true });
        if (r < 0) {
                conf_free(c);
                log_error_errno(r, "Failed to load the configuration: %m");
                return HELPER_EXIT_NOT_CONFIGURED;
        }
        *ret = c;
        return 0;
}

int helper_conf_section(const struct conf *c, const char *kind, const char *name, bool found) {
        struct conf *again = NULL;

        if (found) {
                if (c->n_errors > 0)
                        log_warning("%s: the configuration has %u error%s in other sections, which do not stop "
                                    "this one (see 'hostvirt check').", name, c->n_errors, c->n_errors == 1 ? "" : "s");
                return 0;
        }

        /* Say why: the diagnostics of this section (and all others) that the quiet load kept back. */
        if (c->n_errors > 0 || c->n_warnings > 0) {
                (void) conf_load_all(&again, NULL, &(struct diag) {});
                conf_free(again);
        }
        log_error("%s: no valid [%s %s] section in the configuration (see 'hostvirt check').", name, kind, name);
        return HELPER_EXIT_NOT_CONFIGURED;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostvirt-generator: the files in /etc/hostvirt (and the other config directories) -> units, at boot and on daemon-reload.
 *
 * Runs on every boot path, so it stays small: it reads the config (and may read
 * sysfs), writes unit files, drop-ins and symlinks into its first output
 * directory, and nothing else — no writes to the system, no netlink, no fork,
 * no IPC.
 */
#include <stdlib.h>
#include <unistd.h>

#include "cmdline.h"
#include "model.h"
#include "emit.h"
#include "log.h"
#include "root.h"
#include "util.h"

/* systemd's own test: an initrd carries /etc/initrd-release. */
static bool in_initrd(void) {
        _cleanup_free_ char *p = root_path("/etc/initrd-release");
        return access(p, F_OK) >= 0;
}

static int run(const char *dest) {
        struct conf *c = NULL;
        struct diag diag = {};
        struct emitter *e;
        int r;

        /* The host's devices, pools and libvirt are set up from the real root, after switch-root:
         * VFs or pages made in the initrd would only be torn down again by its shutdown. */
        if (in_initrd()) {
                log_debug("Running in the initrd, generating nothing.");
                return 0;
        }

        if (!cmdline_hostvirt_enabled()) {
                log_info("Disabled by hostvirt=0 on the kernel command line, generating nothing.");
                return 0;
        }

        r = conf_load_all(&c, NULL, &diag);
        if (r < 0)
                return log_error_errno(r, "Failed to load the configuration: %m");

        e = emitter_new_dir(dest);
        if (!e) {
                conf_free(c);
                return -EIO;
        }
        r = emit_all(e, c);
        emitter_free(e);

        /* Everything valid has been written; any config error still fails us (visible in
         * systemctl status / the journal): see hostvirt-generator(8). */
        if (r >= 0 && c->n_errors > 0)
                r = -EINVAL;
        conf_free(c);
        return r;
}

int main(int argc, char *argv[]) {
        log_setup("hostvirt-generator", LOG_TARGET_KMSG);

        /* systemd passes normal, early and late directories; one directory means all three. */
        if (argc != 2 && argc != 4) {
                log_error("This program takes one or three arguments.");
                return EXIT_FAILURE;
        }

        return run(argv[1]) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

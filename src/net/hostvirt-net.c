/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostvirt-net start|stop vlan|bridge NAME
 *
 * The helper of hostvirt-vlan@.service and hostvirt-bridge@.service: sets
 * up a [VLAN NAME] or [Bridge NAME] of the configuration over rtnetlink, or
 * undoes that.  Never forks, never runs ip(8).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "log.h"
#include "net.h"
#include "netlink.h"
#include "util.h"

static void conf_freep(struct conf **c) {
        if (*c)
                conf_free(*c);
}

static int usage(void) {
        fputs("Usage: hostvirt-net start|stop vlan|bridge NAME\n"
              "\n"
              "Sets up (start) or tears down (stop) the [VLAN NAME] or [Bridge NAME]\n"
              "of the hostvirt configuration.  See hostvirt.conf(5).\n",
              stderr);
        return 2;
}

static int start(struct nl *nl, bool is_vlan, const char *name) {
        _cleanup_(conf_freep) struct conf *c = NULL;
        struct diag diag = {};
        int r;

        r = conf_load_all(&c, NULL, &diag);
        if (r < 0)
                return log_error_errno(r, "Failed to load the configuration: %m");

        /* A section with an error was dropped, with its FILE:LINE message above. */
        if (is_vlan) {
                const struct conf_vlan *v = conf_find_vlan(c, name);
                if (!v)
                        return log_error_errno(-ENOENT, "No valid [VLAN %s] in the configuration", name);
                return vlan_start(nl, c, v);
        }

        const struct conf_bridge *b = conf_find_bridge(c, name);
        if (!b)
                return log_error_errno(-ENOENT, "No valid [Bridge %s] in the configuration", name);
        return bridge_start(nl, b);
}

int main(int argc, char *argv[]) {
        _cleanup_nl_ struct nl *nl = NULL;
        bool is_start, is_vlan;
        const char *name;
        int r;

        log_setup("hostvirt-net", LOG_TARGET_STDERR);

        if (argc != 4)
                return usage();
        if (!streq(argv[1], "start") && !streq(argv[1], "stop"))
                return usage();
        if (!streq(argv[2], "vlan") && !streq(argv[2], "bridge"))
                return usage();
        is_start = streq(argv[1], "start");
        is_vlan = streq(argv[2], "vlan");
        name = argv[3];
        /* The name becomes a file name under /run/hostvirt/net: refuse what the kernel would. */
        if (!ifname_valid(name)) {
                log_error("Invalid interface name: %s", name);
                return 2;
        }

        r = nl_open(&nl);
        if (r < 0) {
                log_error_errno(r, "Failed to open an rtnetlink socket: %m");
                return EXIT_FAILURE;
        }

        if (is_start)
                r = start(nl, is_vlan, name);
        else
                r = is_vlan ? vlan_stop(nl, name) : bridge_stop(nl, name);

        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

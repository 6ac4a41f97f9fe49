/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostvirt-net start|stop vlan|bridge|bond NAME
 *
 * The helper of hostvirt-vlan@.service, hostvirt-bridge@.service and
 * hostvirt-bond@.service: sets up a [VLAN NAME], [Bridge NAME] or [Bond NAME]
 * of the configuration over rtnetlink, or undoes that (netdev.h).  Never
 * forks, never runs ip(8).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"
#include "model.h"
#include "log.h"
#include "net.h"
#include "netdev.h"
#include "netlink.h"
#include "util.h"

/* The kinds of device, by the word of the command line. */
static const struct net_kind {
        const char *word;               /* "vlan" */
        const char *type;               /* the section type, "VLAN" */
        const struct kind *kind;
        const struct netdev_ops *ops;
} net_kinds[] = {
        { "vlan", "VLAN", &kind_vlan, &vlan_ops },
        { "bridge", "Bridge", &kind_bridge, &bridge_ops },
        { "bond", "Bond", &kind_bond, &bond_ops },
};

static const struct net_kind *net_kind(const char *word) {
        for (size_t i = 0; i < ELEMENTSOF(net_kinds); i++)
                if (streq(net_kinds[i].word, word))
                        return &net_kinds[i];
        return NULL;
}

static void help(FILE *f) {
        fputs("Usage: hostvirt-net start|stop vlan|bridge|bond NAME\n"
              "\n"
              "Sets up (start) or tears down (stop) the [VLAN NAME], [Bridge NAME] or\n"
              "[Bond NAME] of the hostvirt configuration.  See hostvirt.conf(5).\n"
              "\n"
              "Exit status: 0 done, 1 failed, 2 usage error, 6 no valid [VLAN NAME],\n"
              "[Bridge NAME] or [Bond NAME] section; see hostvirt(8), HELPERS.\n",
              f);
}

static int usage_error(void) {
        help(stderr);
        return HELPER_EXIT_USAGE;
}

/* Only this section matters (helper.h); 0, HELPER_EXIT_NOT_CONFIGURED or a negative errno. */
static int start(const struct net_kind *k, const char *name) {
        _cleanup_(conf_freep) struct conf *c = NULL;
        _cleanup_nl_ struct nl *nl = NULL;
        const void *obj;
        int r;

        r = helper_conf_load(&c);
        if (r > 0)
                return r;
        obj = conf_find(c, k->kind, name);
        r = helper_conf_section(c, k->type, name, obj != NULL);
        if (r > 0)
                return r;

        r = nl_open(&nl);
        if (r < 0)
                return log_error_errno(r, "Failed to open an rtnetlink socket: %m");
        r = netdev_start(nl, c, k->ops, obj);
        return r < 0 ? r : 0;
}

/* 0 or a negative errno (logged). */
static int stop(const struct net_kind *k, const char *name) {
        _cleanup_nl_ struct nl *nl = NULL;
        int r;

        r = nl_open(&nl);
        if (r < 0)
                return log_error_errno(r, "Failed to open an rtnetlink socket: %m");
        r = netdev_stop(nl, k->ops, name);
        return r < 0 ? r : 0;
}

int main(int argc, char *argv[]) {
        const struct net_kind *k;
        const char *name;

        log_setup("hostvirt-net", LOG_TARGET_STDERR);

        if (argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                help(stdout);
                return HELPER_EXIT_OK;
        }
        if (argc != 4)
                return usage_error();
        if (!streq(argv[1], "start") && !streq(argv[1], "stop"))
                return usage_error();
        k = net_kind(argv[2]);
        if (!k)
                return usage_error();
        name = argv[3];
        /* The name becomes a file name under /run/hostvirt/net: refuse what the kernel would. */
        if (!ifname_valid(name)) {
                log_error("Invalid interface name: %s", name);
                return HELPER_EXIT_USAGE;
        }

        return helper_exit_status(streq(argv[1], "start") ? start(k, name) : stop(k, name));
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "root.h"
#include "sysfs.h"
#include "util.h"

char *host_path(const char *fmt, ...) {
        _cleanup_free_ char *p = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&p, fmt, ap) < 0)
                p = NULL;
        va_end(ap);
        return p ? root_path(p) : xstrdup("/nonexistent");
}

bool host_exists(const char *path) {
        return access(path, F_OK) >= 0;
}

char *host_link_name(const char *path) {
        char target[PATH_MAX];
        ssize_t n = readlink(path, target, sizeof(target) - 1);
        const char *slash;

        if (n <= 0)
                return NULL;
        target[n] = '\0';
        slash = strrchr(target, '/');
        return xstrdup(slash ? slash + 1 : target);
}

char *host_first_entry(const char *dir) {
        struct dirent **list = NULL;
        char *first = NULL;
        int n;

        n = scandir(dir, &list, NULL, alphasort);
        for (int i = 0; i < n; i++) {
                if (!first && list[i]->d_name[0] != '.')
                        first = xstrdup(list[i]->d_name);
                free(list[i]);
        }
        free(list);
        return first;
}

struct val host_read_int(const char *path) {
        unsigned long long v;

        if (read_uint(path, &v) < 0 || v > LLONG_MAX)
                return val_null();
        return val_int((long long) v);
}

struct val host_read_bool(const char *path) {
        struct val v = host_read_int(path);

        return v.type == VAL_INT ? val_bool(v.i != 0) : v;
}

const char *netfilter_family(unsigned i) {
        static const char *const families[] = { "iptables", "ip6tables", "arptables" };
        return i < ELEMENTSOF(families) ? families[i] : NULL;
}

char *netfilter_families(unsigned mask, const char *sep, const char *last) {
        char buf[64] = "";
        unsigned left = mask;

        for (unsigned i = 0; netfilter_family(i); i++) {
                size_t at = strlen(buf);
                if (!(mask & (1u << i)))
                        continue;
                left &= ~(1u << i);
                snprintf(buf + at, sizeof(buf) - at, "%s%s", at == 0 ? "" : left ? sep : last, netfilter_family(i));
        }
        return xstrdup(buf);
}

unsigned bridge_netfilter(const char *bridge, char **ret_why) {
        _cleanup_free_ char *dir = host_path("/proc/sys/net/bridge");
        char why[512] = "";
        unsigned mask = 0;

        if (host_exists(dir))
                for (unsigned i = 0; netfilter_family(i); i++) {
                        const char *f = netfilter_family(i);
                        _cleanup_free_ char *g = host_path("/proc/sys/net/bridge/bridge-nf-call-%s", f);
                        _cleanup_free_ char *b = host_path("/sys/class/net/%s/bridge/nf_call_%s", bridge, f);
                        struct val global = host_read_bool(g), own = host_read_bool(b);
                        bool by_global = global.type == VAL_BOOL && global.i, by_own = own.type == VAL_BOOL && own.i;
                        size_t n = strlen(why);

                        if (!by_global && !by_own)
                                continue;
                        mask |= 1u << i;
                        if (by_global)
                                snprintf(why + n, sizeof(why) - n, "%snet.bridge.bridge-nf-call-%s=1", n ? ", " : "", f);
                        else
                                snprintf(why + n, sizeof(why) - n, "%s%s's nf_call_%s=1", n ? ", " : "", bridge, f);
                }
        if (ret_why)
                *ret_why = xstrdup(why);
        return mask;
}

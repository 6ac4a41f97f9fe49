/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * status of [Virtiofs TAG]: the daemon's and the socket's units, the socket file with its
 * group and mode, the shared directory, and how many clients (guests) are connected now.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "escape.h"
#include "root.h"
#include "status.h"
#include "util.h"

/*
 * The connections to a listening socket at path: /proc/net/unix lists each accepted socket
 * with the listener's path, in state 03 (SS_CONNECTED); the listener is 01.  -1 when it
 * cannot be read.
 */
static long clients_of(const char *path) {
        _cleanup_free_ char *proc = root_path("/proc/net/unix");
        _cleanup_fclose_ FILE *f = fopen(proc, "re");
        char line[512];
        long n = 0;

        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f)) {
                char p[256] = "";
                unsigned st;

                line[strcspn(line, "\n")] = '\0';
                /* Num RefCount Protocol Flags Type St Inode Path */
                if (sscanf(line, "%*s %*s %*s %*s %*s %x %*s %255s", &st, p) == 2 && st == 3 && streq(p, path))
                        n++;
        }
        return n;
}

static void status_share(struct status *st, const struct conf_virtiofs *v) {
        _cleanup_free_ char *sock_path = xasprintf("%s/%s.sock", VIRTIOFS_SOCKET_DIR, v->name);
        _cleanup_free_ char *sock_real = root_path(sock_path), *dir_real = root_path(v->shared_dir);
        _cleanup_free_ char *socket_unit = unit_instance("hostvirt-virtiofsd", v->name, ".socket");
        struct stat ss, ds;
        bool have_sock = stat(sock_real, &ss) == 0 && S_ISSOCK(ss.st_mode);
        bool have_dir = stat(dir_real, &ds) == 0 && S_ISDIR(ds.st_mode);
        struct group *g;
        struct obj *o;
        long clients;

        o = obj_new(st, &kind_virtiofs, v->name, &v->loc);
        o->unit = unit_instance("hostvirt-virtiofsd", v->name, ".service");
        obj_compare(o, "active_state", val_str("active"), unit_active_state(o->unit));
        obj_compare(o, "socket_state", val_str("active"), unit_active_state(socket_unit));
        obj_compare(o, "shared_dir", val_bool(true), val_bool(have_dir));
        obj_compare(o, "socket", val_str(sock_path), val_str(have_sock ? sock_path : NULL));
        if (have_sock) {
                /* by name, or by number where SocketGroup= gives one */
                g = strspn(v->socket_group, "0123456789") == strlen(v->socket_group) ? NULL : getgrgid(ss.st_gid);
                obj_compare(o, "socket_group", val_str(v->socket_group),
                            g ? val_str(g->gr_name) : val_strf("%u", (unsigned) ss.st_gid));
                obj_compare(o, "socket_mode", val_strf("%04o", v->socket_mode), val_strf("%04o", ss.st_mode & 07777));
        } else {
                obj_compare(o, "socket_group", val_str(v->socket_group), val_null());
                obj_compare(o, "socket_mode", val_strf("%04o", v->socket_mode), val_null());
        }
        /* for information: a guest connected now */
        clients = have_sock ? clients_of(sock_path) : 0;
        obj_compare(o, "clients", val_null(), clients < 0 ? val_unknown() : val_int(clients));
}

void status_virtiofs(struct status *st) {
        for (size_t i = 0; i < CONF_N(st->conf, VIRTIOFS); i++)
                status_share(st, CONF_AT(st->conf, VIRTIOFS, conf_virtiofs, i));
}

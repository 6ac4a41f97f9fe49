/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostvirt-virtiofs TAG
 *
 * The helper of hostvirt-virtiofsd@TAG.service: checks the [Virtiofs TAG] share and the
 * listening socket systemd passes (hostvirt-virtiofsd@TAG.socket, fd 3), then execs the
 * distribution's virtiofsd on it with the share's options.  Two implementations are in use,
 * with two option syntaxes: the Rust one (Debian 13's virtiofsd package, /usr/libexec/virtiofsd:
 * --shared-dir=DIR) and QEMU's C one (Debian 12's qemu-system-common, /usr/lib/qemu/virtiofsd:
 * -o source=DIR).  Which one a binary is, it says itself: its usage text names its options.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "helper.h"
#include "log.h"
#include "model.h"
#include "util.h"

enum flavor {
        FLAVOR_NONE,
        FLAVOR_RUST,    /* --shared-dir=DIR --cache=never --sandbox=chroot --xattr ... */
        FLAVOR_C,       /* -o source=DIR -o cache=none -o sandbox=chroot -o xattr ... */
};

/* Where Debian installs them, the current one first. */
static const char *const virtiofsd_paths[] = VIRTIOFSD_PATHS;

/* What an executable is, from the option names in its usage text. */
static enum flavor flavor_of(const char *path) {
        enum flavor f = FLAVOR_NONE;
        struct stat st;
        void *m;
        int fd;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return FLAVOR_NONE;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111) || st.st_size <= 0) {
                close(fd);
                return FLAVOR_NONE;
        }
        m = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (m == MAP_FAILED)
                return FLAVOR_NONE;
        if (memmem(m, (size_t) st.st_size, "--shared-dir", 12))
                f = FLAVOR_RUST;
        else if (memmem(m, (size_t) st.st_size, "source=PATH", 11))
                f = FLAVOR_C;
        munmap(m, (size_t) st.st_size);
        return f;
}

static void help(FILE *f) {
        fputs("Usage: hostvirt-virtiofs TAG\n"
              "\n"
              "Runs virtiofsd for the [Virtiofs TAG] share of the hostvirt configuration on\n"
              "the listening socket systemd passes (hostvirt-virtiofsd@TAG.socket).\n"
              "See hostvirt.conf(5).\n"
              "\n"
              "Exit status: that of virtiofsd; before it runs 1 failed, 2 usage error,\n"
              "6 no valid [Virtiofs TAG] section; see hostvirt(8), HELPERS.\n",
              f);
}

/* Appends one argument to args. */
#define ARG(...) strv_push(&args, &n_args, xasprintf(__VA_ARGS__))

int main(int argc, char *argv[]) {
        _cleanup_(conf_freep) struct conf *c = NULL;
        const struct conf_virtiofs *v;
        const char *tag, *bin = NULL;
        enum flavor flavor = FLAVOR_NONE;
        char **args = xcalloc(1, sizeof(char *));
        size_t n_args = 0;
        struct stat st;
        int r;

        log_setup("hostvirt-virtiofs", LOG_TARGET_STDERR);

        if (argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                help(stdout);
                return HELPER_EXIT_OK;
        }
        if (argc != 2) {
                help(stderr);
                return HELPER_EXIT_USAGE;
        }
        tag = argv[1];
        if (!virtiofs_tag_valid(tag)) {
                log_error("Invalid virtiofs tag: %s", tag);
                return HELPER_EXIT_USAGE;
        }

        r = helper_conf_load(&c);
        if (r > 0)
                return r;
        v = conf_find_virtiofs(c, tag);
        r = helper_conf_section(c, "Virtiofs", tag, v != NULL);
        if (r > 0)
                return r;

        /* The socket: systemd's, listening (Accept=no), as fd 3. */
        if (sd_listen_fds(0) != 1 || sd_is_socket_unix(SD_LISTEN_FDS_START, SOCK_STREAM, 1, NULL, 0) <= 0) {
                log_error("[Virtiofs %s]: no listening socket was passed: start hostvirt-virtiofsd@%s.socket, "
                          "which starts this", tag, tag);
                return HELPER_EXIT_FAILED;
        }

        if (stat(v->shared_dir, &st) < 0) {
                log_error_errno(errno, "[Virtiofs %s] (%s:%u): SharedDir=%s: %m", tag, v->loc.file, v->loc.line,
                                v->shared_dir);
                return HELPER_EXIT_FAILED;
        }
        if (!S_ISDIR(st.st_mode)) {
                log_error("[Virtiofs %s] (%s:%u): SharedDir=%s is not a directory", tag, v->loc.file, v->loc.line,
                          v->shared_dir);
                return HELPER_EXIT_FAILED;
        }

        for (size_t i = 0; i < ELEMENTSOF(virtiofsd_paths) && flavor == FLAVOR_NONE; i++) {
                flavor = flavor_of(virtiofsd_paths[i]);
                bin = virtiofsd_paths[i];
        }
        if (flavor == FLAVOR_NONE) {
                log_error("[Virtiofs %s]: no virtiofsd: neither /usr/libexec/virtiofsd (Debian 13: package "
                          "virtiofsd) nor /usr/lib/qemu/virtiofsd (Debian 12: package qemu-system-common)", tag);
                return HELPER_EXIT_FAILED;
        }

        /* The unit sets LimitNOFILE=; virtiofsd would raise it to fs.nr_open, which needs a
         * capability the unit does not give. */
        ARG("%s", bin);
        ARG("--fd=%d", SD_LISTEN_FDS_START);
        ARG("--rlimit-nofile=0");
        if (v->thread_pool_size != CONF_UNSET)
                ARG("--thread-pool-size=%d", v->thread_pool_size);
        /* Without CAP_MKNOD (the unit has none to give): a guest makes no device nodes on the host. */
        if (flavor == FLAVOR_RUST) {
                ARG("--modcaps=-mknod");
                ARG("--shared-dir=%s", v->shared_dir);
                ARG("--cache=%s", virtiofs_cache_name(v->cache));
                ARG("--sandbox=chroot");
                if (v->xattr)
                        ARG("--xattr");
                if (v->posix_acl)
                        ARG("--posix-acl");
        } else {
                ARG("-o");
                ARG("modcaps=-mknod");
                ARG("-o");
                ARG("source=%s", v->shared_dir);
                ARG("-o");
                ARG("cache=%s", v->cache == VIRTIOFS_CACHE_NEVER ? "none" : virtiofs_cache_name(v->cache));
                ARG("-o");
                ARG("sandbox=chroot");
                ARG("-o");
                ARG("%s", v->xattr ? "xattr" : "no_xattr");
                if (v->posix_acl) {
                        ARG("-o");
                        ARG("posix_acl");
                }
        }

        /* sd_listen_fds() set FD_CLOEXEC on it: virtiofsd is to have it */
        if (fcntl(SD_LISTEN_FDS_START, F_SETFD, 0) < 0) {
                log_error_errno(errno, "[Virtiofs %s]: failed to pass the socket on: %m", tag);
                return HELPER_EXIT_FAILED;
        }
        log_info("[Virtiofs %s]: serving %s%s with %s", tag, v->shared_dir, v->read_only ? " read-only" : "", bin);
        fflush(NULL);
        execv(bin, args);
        log_error_errno(errno, "[Virtiofs %s]: failed to run %s: %m", tag, bin);
        strv_free(args);
        return HELPER_EXIT_FAILED;
}

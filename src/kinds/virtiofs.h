/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* [Virtiofs TAG] (virtiofs.c): a host directory shared with guests by a virtiofsd that
 * hostvirt-virtiofsd@TAG.service runs, on the socket hostvirt-virtiofsd@TAG.socket listens on. */

#include <stdbool.h>

#include "conf.h"
#include "kinds.h"

/* Where the sockets are: VIRTIOFS_SOCKET_DIR "/TAG.sock" (the socket unit's ListenStream=). */
#define VIRTIOFS_SOCKET_DIR "/run/hostvirt/virtiofs"
/* Where Debian installs virtiofsd: Debian 13's package virtiofsd (the Rust implementation), then
 * Debian 12's qemu-system-common (QEMU's C implementation). */
#define VIRTIOFSD_PATHS { "/usr/libexec/virtiofsd", "/usr/lib/qemu/virtiofsd" }
/* The longest tag: the virtio-fs device's tag field (VIRTIO 1.2, 5.11.4). */
#define VIRTIOFS_TAG_MAX 36

enum virtiofs_cache {
        VIRTIOFS_CACHE_AUTO,
        VIRTIOFS_CACHE_ALWAYS,
        VIRTIOFS_CACHE_NEVER,
};

struct conf_virtiofs {
        char *name;             /* the tag */
        struct conf_loc loc;
        char *shared_dir;       /* absolute, normalized */
        int cache;              /* enum virtiofs_cache */
        bool xattr;
        bool posix_acl;
        bool read_only;
        int thread_pool_size;   /* CONF_UNSET: virtiofsd's default */
        char *socket_group;     /* default "kvm" */
        unsigned socket_mode;   /* default 0660 */
};

static inline struct conf_virtiofs *conf_find_virtiofs(const struct conf *c, const char *name) {
        return conf_find(c, &kind_virtiofs, name);
}

/* A tag is the guest's mount source (mount -t virtiofs TAG /mnt) and part of a file and a unit
 * name: 1..VIRTIOFS_TAG_MAX of A-Z a-z 0-9 _ . -, not starting with '.' or '-'. */
bool virtiofs_tag_valid(const char *tag);
/* "auto", "always", "never" */
const char *virtiofs_cache_name(int cache);

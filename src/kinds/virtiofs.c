/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [Virtiofs TAG]: a host directory for guests, served by virtiofsd ("externally launched", in
 * libvirt's words: libvirt only connects the guest to the socket).
 *
 * hostvirt-virtiofsd@TAG.socket (sockets.target) listens on /run/hostvirt/virtiofs/TAG.sock
 * with the configured group and mode: systemd makes the socket, so it is there from early boot
 * and stays while the daemon comes and goes.  hostvirt-virtiofsd@TAG.service (multi-user.target)
 * runs the helper hostvirt-virtiofs, which checks the share and execs the distribution's
 * virtiofsd on that socket (--fd=3).  virtiofsd serves one client and exits when it goes; the
 * socket starts it again for the guest's next start.  The libvirt services are ordered after
 * the service, which waits for the mounts SharedDir= needs.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "emit.h"
#include "escape.h"
#include "log.h"
#include "section.h"
#include "util.h"
#include "virtiofs.h"

static const struct key_enum caches[] = {
        { "auto", VIRTIOFS_CACHE_AUTO, false },
        { "always", VIRTIOFS_CACHE_ALWAYS, false },
        { "never", VIRTIOFS_CACHE_NEVER, false },
        { "none", VIRTIOFS_CACHE_NEVER, true }, /* virtiofsd's C implementation's word */
        {}
};

const char *virtiofs_cache_name(int cache) {
        for (const struct key_enum *c = caches; c->name; c++)
                if (c->value == cache && !c->alias)
                        return c->name;
        return NULL;
}

/*
 * What a share must not be: the file systems and state of systemd and the OS, and hostvirt's
 * own ("below": and everything under it).  A guest that writes there writes the host.
 */
static const struct path_rule refused_dirs[] = {
        { "/", false },
        { "/proc", true }, { "/sys", true }, { "/dev", true }, { "/run", true },
        { "/boot", true }, { "/efi", true },
        { "/etc", false }, { "/etc/systemd", true }, { "/etc/hostvirt", true }, { "/etc/libvirt", true },
        { "/usr", false }, { "/usr/lib/systemd", true }, { "/lib/systemd", true },
        { "/var", false }, { "/var/lib", false }, { "/var/lib/systemd", true }, { "/var/lib/hostvirt", true },
        { "/var/lib/libvirt", false }, { "/var/log", true },
        { "/tmp", false }, { "/var/tmp", false },
};

static int parse_shared_dir(struct section *s, const struct raw_kv *kv, void *obj) {
        struct conf_virtiofs *v = obj;
        _cleanup_free_ char *norm = NULL;
        const char *value = kv->value, *owner;
        char why[200];

        if (value[0] != '/' || strlen(value) >= PATH_MAX)
                return section_bad_value(s, kv, "expected an absolute path");
        if (has_control_chars(value) || !utf8_valid(value))
                return section_bad_value(s, kv, "a path with control characters or invalid UTF-8");
        /* it goes into unit files (RequiresMountsFor=, ReadWritePaths=) and virtiofsd's options */
        if (strpbrk(value, " \t\"'\\,"))
                return section_bad_value(s, kv, "a path with blanks, quotes, backslashes or commas");
        norm = path_normalize(value);
        if (streq(norm, "/..") || strstr(norm, "/../") || endswith(norm, "/.."))
                return section_bad_value(s, kv, "a path with '..' in it");
        owner = path_rule_find(refused_dirs, ELEMENTSOF(refused_dirs), norm);
        if (owner) {
                snprintf(why, sizeof(why), "systemd, the OS or hostvirt owns %s%s: not a directory to give guests",
                         streq(owner, norm) ? "" : "what is under ", owner);
                return section_bad_value(s, kv, why);
        }
        free(v->shared_dir);
        v->shared_dir = norm;
        norm = NULL;
        return 0;
}

static int parse_socket_mode(struct section *s, const struct raw_kv *kv, void *obj) {
        struct conf_virtiofs *v = obj;
        unsigned mode;

        if (parse_mode(kv->value, &mode) < 0 || mode > 0777)
                return section_bad_value(s, kv, "expected an octal mode like 0660, without setuid, setgid or sticky bits");
        if ((mode & 0600) != 0600)
                return section_bad_value(s, kv, "the owner (root, who runs virtiofsd) needs read and write: 06xx");
        v->socket_mode = mode;
        return 0;
}

static const struct key_def virtiofs_keys[] = {
        { .name = "SharedDir", .type = KEY_CUSTOM, .parse = parse_shared_dir },
        { .name = "Cache", .type = KEY_ENUM, .offset = offsetof(struct conf_virtiofs, cache), .values = caches },
        { .name = "Xattr", .type = KEY_FLAG, .offset = offsetof(struct conf_virtiofs, xattr) },
        { .name = "PosixACL", .type = KEY_FLAG, .offset = offsetof(struct conf_virtiofs, posix_acl) },
        { .name = "ReadOnly", .type = KEY_FLAG, .offset = offsetof(struct conf_virtiofs, read_only) },
        KEY_UINT_FIELD("ThreadPoolSize", struct conf_virtiofs, thread_pool_size, 0, 1024),
        { .name = "SocketGroup", .type = KEY_STRING, .offset = offsetof(struct conf_virtiofs, socket_group),
          .check = check_group },
        { .name = "SocketMode", .type = KEY_CUSTOM, .parse = parse_socket_mode },
        {}
};

bool virtiofs_tag_valid(const char *tag) {
        size_t n = strlen(tag);
        bool ok = n > 0 && n <= VIRTIOFS_TAG_MAX && tag[0] != '.' && tag[0] != '-';

        for (const char *c = tag; ok && *c; c++)
                ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                     strchr("_.-", *c);
        return ok;
}

static int virtiofs_parse_name(struct section *s, const char *header, char *name, char **ret) {
        if (!virtiofs_tag_valid(name)) {
                section_error(s, NULL,
                              "invalid tag '%s' in [%s] (1..%d of A-Z a-z 0-9 _ . -, not starting with '.' or '-'), "
                              "ignoring section", name, header, VIRTIOFS_TAG_MAX);
                return -EINVAL;
        }
        *ret = xstrdup(name);
        return 0;
}

static const char *virtiofs_name_of(const void *obj) {
        return ((const struct conf_virtiofs *) obj)->name;
}

static const struct conf_loc *virtiofs_loc_of(const void *obj) {
        return &((const struct conf_virtiofs *) obj)->loc;
}

static void virtiofs_init(void *obj, const char *name, const struct conf_loc *loc) {
        struct conf_virtiofs *v = obj;

        v->name = xstrdup(name);
        v->loc = *loc;
        v->cache = VIRTIOFS_CACHE_AUTO;
        v->thread_pool_size = CONF_UNSET;
        v->socket_mode = 0660;
}

static bool virtiofs_verify(struct section *s, void *obj) {
        struct conf_virtiofs *v = obj;

        if (!v->shared_dir) {
                section_error(s, NULL, "%s needs SharedDir=, ignoring section", s->title);
                return false;
        }
        /* virtiofsd refuses POSIX ACLs without extended attributes, which carry them */
        if (v->posix_acl && !v->xattr) {
                section_error(s, section_key(s, "PosixACL"), "PosixACL=yes needs Xattr=yes, ignoring section %s",
                              s->title);
                return false;
        }
        if (!v->socket_group)
                v->socket_group = xstrdup("kvm");
        return true;
}

static void virtiofs_free(void *obj) {
        struct conf_virtiofs *v = obj;

        free(v->name);
        free(v->shared_dir);
        free(v->socket_group);
        free(v);
}

static int emit_share(struct emitter *e, const struct conf_virtiofs *v) {
        _cleanup_free_ char *socket = NULL, *service = NULL, *dir = unit_specifier_escape(v->shared_dir);
        _cleanup_free_ char *socket_body = NULL, *service_body = NULL;
        int r;

        r = emit_wanted_instance_of(e, "hostvirt-virtiofsd", v->name, ".socket", "sockets.target", &socket);
        if (r < 0)
                return r;
        r = emit_wanted_instance(e, "hostvirt-virtiofsd", v->name, "multi-user.target", &service);
        if (r < 0)
                return r;

        socket_body = xasprintf("\n[Socket]\nSocketGroup=%s\nSocketMode=%04o\n", v->socket_group, v->socket_mode);
        r = emit_dropin(e, socket, v->loc.file, socket_body);
        if (r < 0)
                return r;

        /* The share's mounts first; writable only where it is not read-only (ProtectSystem=strict).
         * ('-': a directory that is not there is the helper's to report, not a failure to set up
         * the mount namespace.) */
        service_body = v->read_only ? xasprintf("RequiresMountsFor=%s\n", dir)
                                    : xasprintf("RequiresMountsFor=%s\n\n[Service]\nReadWritePaths=-%s\n", dir, dir);
        r = emit_dropin(e, service, v->loc.file, service_body);
        if (r < 0)
                return r;

        emit_register_unit(e, service, v->loc.file);
        return 0;
}

static int virtiofs_emit(struct emitter *e, const struct conf *c) {
        int r = 0;

        for (size_t i = 0; i < CONF_N(c, VIRTIOFS); i++) {
                int k = emit_share(e, CONF_AT(c, VIRTIOFS, conf_virtiofs, i));
                if (k < 0 && r == 0)
                        r = k;
        }
        return r;
}

const struct kind kind_virtiofs = {
        .type = "Virtiofs",
        .slug = "virtiofs",
        .id = KIND_VIRTIOFS,
        .size = sizeof(struct conf_virtiofs),
        .keys = virtiofs_keys,
        .name_example = "share0",
        .parse_name = virtiofs_parse_name,
        .name_of = virtiofs_name_of,
        .loc_of = virtiofs_loc_of,
        .init = virtiofs_init,
        .verify = virtiofs_verify,
        .free = virtiofs_free,
        .emit = virtiofs_emit,
};

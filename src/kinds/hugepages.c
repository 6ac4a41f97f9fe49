/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [Hugepages S]: the allocation unit and the optional hugetlbfs mount.
 *
 * hostvirt-hugepages@S.service is pulled in by sysinit.target: pages are
 * allocated as early as possible, while memory is least fragmented (the
 * template orders itself before sysinit.target and after systemd-sysctl, so
 * pages set by sysctl.d count as found and are never released).  The
 * instance gets a drop-in that names its source file.
 *
 * With Mount=, a .mount unit for hugetlbfs with pagesize=S.  It requires the
 * allocation unit, so stopping the pool unmounts it first, and is ordered
 * after it.  The allocation unit runs after systemd-tmpfiles-setup.service
 * (its record directory), which runs after local-fs.target: so the mount
 * cannot be one of local-fs.target's (that is a cycle), but is one of
 * sysinit.target's, with DefaultDependencies=no (the default ones would put
 * it before local-fs.target) and the two of them it still needs: unmounted
 * at shutdown (umount.target).  Mounts it sits on are still ordered first
 * (systemd's implicit dependencies on the parent mount).  It is wanted, not
 * required: a failed allocation (Strict=yes) leaves the mount out but must
 * not fail the boot.
 *
 * Group= by name is passed on as gid=NAME: mount(8) (libmount) resolves it
 * when the unit starts.  The generator must not call NSS (it may reach other
 * processes, and runs before the system's users exist on first boot); the
 * mount is ordered after systemd-sysusers.service so that a group created
 * there on first boot exists by then.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "config.h"
#include "emit.h"
#include "escape.h"
#include "hugepages.h"
#include "log.h"
#include "section.h"
#include "util.h"

/*
 * Where a hugetlbfs mount must not go: what systemd mounts itself (its API file
 * systems, dev-mqueue.mount, ...) or owns (/run/systemd, machines), and the
 * directories of the OS, whose contents a mount on them would hide.
 * /dev/hugepages is the exception: replacing systemd's own hugetlbfs mount there
 * is documented.
 */
static const struct path_rule refused_mounts[] = {
        { "/", false },
        { "/bin", true }, { "/boot", true }, { "/efi", true }, { "/etc", true }, { "/lib", true },
        { "/lib64", true }, { "/sbin", true }, { "/usr", true },
        { "/proc", true }, { "/sys", true },
        { "/dev", false }, { "/dev/pts", true }, { "/dev/shm", true }, { "/dev/mqueue", true },
        { "/run", false }, { "/run/systemd", true }, { "/run/user", true }, { "/run/credentials", true },
        { "/run/udev", true }, { "/run/lock", true }, { "/run/hostvirt", true },
        { "/tmp", false }, { "/var", false }, { "/var/tmp", false }, { "/var/lib/machines", true },
        { "/var/lib/systemd", true }, { "/var/lib/hostvirt", true }, { "/var/log", true },
        { "/home", false }, { "/root", false }, { "/srv", false }, { "/opt", false }, { "/mnt", false },
        { "/media", false },
};

static int parse_mount(struct section *s, const struct raw_kv *kv, void *obj) {
        struct conf_hugepages *h = obj;
        _cleanup_free_ char *e = NULL, *norm = NULL;
        const char *v = kv->value, *owner;
        char why[160];

        if (v[0] != '/' || strlen(v) >= PATH_MAX)
                return section_bad_value(s, kv, "expected an absolute path");
        if (has_control_chars(v) || !utf8_valid(v))
                return section_bad_value(s, kv, "a mount point with control characters or invalid UTF-8");
        norm = path_normalize(v);
        /* systemd strips it from Where=, so the mount would never match its unit name */
        if (isspace((unsigned char) norm[strlen(norm) - 1]))
                return section_bad_value(s, kv, "a mount point ending in a blank");
        e = unit_escape_path(norm);
        if (!e)
                return section_bad_value(s, kv, "a path with '..' in it");
        owner = path_rule_find(refused_mounts, ELEMENTSOF(refused_mounts), norm);
        if (owner) {
                snprintf(why, sizeof(why), "systemd or the OS owns %s%s: not a place for a hugetlbfs mount",
                         streq(owner, norm) ? "" : "what is under ", owner);
                return section_bad_value(s, kv, why);
        }
        if (strlen(e) + strlen(".mount") > 255)
                return section_bad_value(s, kv, "the path is too long for a mount unit name");
        free(h->mount);
        h->mount = norm;
        norm = NULL;
        return 0;
}

static int parse_mode_key(struct section *s, const struct raw_kv *kv, void *obj) {
        struct conf_hugepages *h = obj;

        if (parse_mode(kv->value, &h->mode) < 0)
                return section_bad_value(s, kv, "expected an octal mode like 1770");
        h->has_mode = true;
        return 0;
}

static int parse_node_pages(struct section *s, const struct raw_kv *kv, void *obj) {
        struct conf_hugepages *h = obj;
        size_t n;
        char **w = split_words(kv->value, &n);
        int r = 0;

        free(h->node_pages);
        h->node_pages = NULL;
        h->n_node_pages = 0;
        if (n == 0)
                r = section_bad_value(s, kv, "expected NODE:PAGES pairs like 0:8 1:8");
        for (size_t i = 0; r == 0 && i < n; i++) {
                unsigned long long node, pages;
                char *c = strchr(w[i], ':');

                if (!c) {
                        r = section_bad_value(s, kv, "expected NODE:PAGES pairs like 0:8 1:8");
                        break;
                }
                *c = '\0';
                if (parse_uint(w[i], 1023, &node) < 0 || parse_uint(c + 1, LONG_MAX / 2, &pages) < 0) {
                        r = section_bad_value(s, kv, "expected NODE:PAGES pairs like 0:8 1:8");
                        break;
                }
                for (size_t j = 0; r == 0 && j < h->n_node_pages; j++)
                        if (h->node_pages[j].node == node)
                                r = section_bad_value(s, kv, "a node is listed twice");
                h->node_pages = xrealloc(h->node_pages, (h->n_node_pages + 1) * sizeof(*h->node_pages));
                h->node_pages[h->n_node_pages++] = (struct node_pages) { (unsigned) node, (unsigned long) pages };
        }
        strv_free(w);
        return r;
}

static const struct key_def hugepages_keys[] = {
        { .name = "Pages", .type = KEY_UINT, .offset = offsetof(struct conf_hugepages, pages),
          .size = FIELD_SIZE(struct conf_hugepages, pages), .min = 0, .max = LONG_MAX / 2,
          .why = "expected a number of pages" },
        { .name = "NodePages", .type = KEY_CUSTOM, .parse = parse_node_pages },
        { .name = "Mount", .type = KEY_CUSTOM, .parse = parse_mount },
        { .name = "Mode", .type = KEY_CUSTOM, .parse = parse_mode_key },
        { .name = "Group", .type = KEY_STRING, .offset = offsetof(struct conf_hugepages, group), .check = check_group },
        { .name = "Strict", .type = KEY_FLAG, .offset = offsetof(struct conf_hugepages, strict) },
        {}
};

static int hugepages_parse_name(struct section *s, const char *header, char *name, char **ret) {
        uint64_t kb;

        if (parse_size_kb(name, &kb) < 0) {
                section_error(s, NULL,
                              "invalid hugepage size '%s' in [%s] (expected e.g. 2M, 1G, 2048kB), ignoring section",
                              name, header);
                return -EINVAL;
        }
        *ret = format_size_kb(kb);
        return 0;
}

static const char *hugepages_name_of(const void *obj) {
        return ((const struct conf_hugepages *) obj)->name;
}

static const struct conf_loc *hugepages_loc_of(const void *obj) {
        return &((const struct conf_hugepages *) obj)->loc;
}

static void hugepages_init(void *obj, const char *name, const struct conf_loc *loc) {
        struct conf_hugepages *h = obj;

        h->name = xstrdup(name);
        (void) parse_size_kb(name, &h->size_kb);
        h->loc = *loc;
        h->pages = CONF_UNSET;
}

static bool hugepages_verify(struct section *s, void *obj) {
        struct conf_hugepages *h = obj;
        const struct raw_kv *pg = section_key(s, "Pages"), *np = section_key(s, "NodePages");
        const struct raw_kv *opt = section_key(s, "Mode") ? section_key(s, "Mode") : section_key(s, "Group");

        if (pg && np) {
                section_error(s, section_later(s, pg, np),
                              "Pages= and NodePages= both given (total or per node, not both), ignoring section %s",
                              s->title);
                return false;
        }
        if (!pg && !np) {
                section_error(s, NULL, "%s needs Pages= or NodePages=, ignoring section", s->title);
                return false;
        }
        if (!h->mount && opt) {
                section_error(s, opt, "%s= needs Mount=, ignoring section %s", opt->key, s->title);
                return false;
        }
        return true;
}

static void hugepages_free(void *obj) {
        struct conf_hugepages *h = obj;

        free(h->name);
        free(h->node_pages);
        free(h->mount);
        free(h->group);
        free(h);
}

static uint64_t hash_mount(const void *a) {
        return hash_string(((const struct conf_hugepages *) a)->mount);
}

static bool eq_mount(const void *a, const void *b) {
        return streq(((const struct conf_hugepages *) a)->mount, ((const struct conf_hugepages *) b)->mount);
}

/* One hugetlbfs mount point serves one page size: the later section goes. */
static void hugepages_link(struct conf *c, struct diag *d) {
        struct hashset mounts = HASHSET_INIT(hash_mount, eq_mount);

        for (size_t i = 0; i < CONF_N(c, HUGEPAGES); i++) {
                struct conf_hugepages *h = CONF_AT(c, HUGEPAGES, conf_hugepages, i), *slot;

                if (!h->mount)
                        continue;
                slot = hashset_put(&mounts, h);
                if (slot == h)
                        continue;
                diag_error(d, h->loc.file, h->loc.line,
                           "[Hugepages %s]: Mount=%s is already the mount point of [Hugepages %s] (%s:%u), "
                           "ignoring section", h->name, h->mount, slot->name, slot->loc.file, slot->loc.line);
                conf_drop(c, &kind_hugepages, h);
                i--;
        }
        hashset_done(&mounts, NULL);
}

static bool is_number(const char *s) {
        unsigned long long v;
        return parse_uint(s, UINT32_MAX, &v) >= 0;
}

/*
 * The mount's mode: Mode= if given; 1770 with Group= (only root and that
 * group, e.g. kvm for libvirt's qemu processes, may use it; the sticky bit
 * keeps them from removing each other's files); otherwise none, which leaves
 * hugetlbfs's own 0755, as on systemd's /dev/hugepages.
 */
static bool mount_mode(const struct conf_hugepages *h, unsigned *ret) {
        if (h->has_mode) {
                *ret = h->mode;
                return true;
        }
        if (h->group) {
                *ret = 01770;
                return true;
        }
        return false;
}

static int emit_mount(struct emitter *e, const struct conf_hugepages *h, const char *service) {
        _cleanup_free_ char *escaped = NULL, *unit = NULL, *link = NULL, *target = NULL, *where = NULL,
                            *group = NULL;
        unsigned mode;
        FILE *f;
        int r;

        escaped = unit_escape_path(h->mount);
        if (!escaped)
                return log_error_errno(errno ? errno : EINVAL, "Failed to escape mount point %s: %m", h->mount);
        unit = strjoin(escaped, ".mount");

        f = emit_open(e, unit);
        if (!f)
                return -errno;

        where = unit_specifier_escape(h->mount);
        emit_unit_header(f, h->loc.file);
        fprintf(f, "Description=Hugepages %s (hugetlbfs)\n"
                   "Documentation=man:hostvirt.conf(5)\n"
                   "DefaultDependencies=no\n"
                   "Requires=%s\n"
                   "After=%s\n"
                   "Conflicts=umount.target\n"
                   "Before=sysinit.target\n"
                   "Before=umount.target\n",
                h->name, service, service);
        if (h->group && !is_number(h->group))
                fputs("After=systemd-sysusers.service\n", f);

        fprintf(f, "\n[Mount]\n"
                   "What=hugetlbfs\n"
                   "Where=%s\n"
                   "Type=hugetlbfs\n"
                   "Options=pagesize=%s",
                where, h->name);
        if (mount_mode(h, &mode))
                fprintf(f, ",mode=%04o", mode);
        if (h->group) {
                group = unit_specifier_escape(h->group);
                fprintf(f, ",gid=%s", group);
        }
        fputc('\n', f);

        r = emit_close(e, f);
        if (r < 0)
                return r;

        link = strjoin("sysinit.target.wants/", unit);
        target = strjoin("../", unit);
        r = emit_symlink(e, link, target);
        if (r < 0)
                return r;

        emit_register_mount(e, h->mount, h->loc.file);
        return 0;
}

static int emit_one(struct emitter *e, const struct conf_hugepages *h) {
        _cleanup_free_ char *service = NULL, *dropin = NULL;
        FILE *f;
        int r;

        r = emit_wanted_instance(e, "hostvirt-hugepages", h->name, "sysinit.target", &service);
        if (r < 0)
                return r;

        dropin = strjoin(service, ".d/50-hostvirt.conf");
        f = emit_open(e, dropin);
        if (!f)
                return -errno;
        emit_unit_header(f, h->loc.file);
        r = emit_close(e, f);
        if (r < 0)
                return r;

        emit_register_unit(e, service, h->loc.file);

        if (h->mount)
                return emit_mount(e, h, service);
        return 0;
}

static int hugepages_emit(struct emitter *e, const struct conf *c) {
        int r = 0;

        for (size_t i = 0; i < CONF_N(c, HUGEPAGES); i++) {
                /* two sections on one mount point are refused by the loader */
                int k = emit_one(e, CONF_AT(c, HUGEPAGES, conf_hugepages, i));
                if (k < 0 && r == 0)
                        r = k;
        }
        return r;
}

const struct kind kind_hugepages = {
        .type = "Hugepages",
        .slug = "hugepages",
        .id = KIND_HUGEPAGES,
        .size = sizeof(struct conf_hugepages),
        .keys = hugepages_keys,
        .name_example = "2M",
        .parse_name = hugepages_parse_name,
        .name_of = hugepages_name_of,
        .loc_of = hugepages_loc_of,
        .init = hugepages_init,
        .verify = hugepages_verify,
        .free = hugepages_free,
        .link = hugepages_link,
        .emit = hugepages_emit,
};

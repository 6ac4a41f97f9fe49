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
#include <errno.h>
#include <string.h>

#include "config.h"
#include "emit.h"
#include "escape.h"
#include "log.h"
#include "util.h"

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
        unit = xasprintf("%s.mount", escaped);

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

        link = xasprintf("sysinit.target.wants/%s", unit);
        target = xasprintf("../%s", unit);
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

        dropin = xasprintf("%s.d/50-hostvirt.conf", service);
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

int emit_hugepages(struct emitter *e, const struct conf *c) {
        int r = 0;

        for (size_t i = 0; i < c->n_hugepages; i++) {
                /* two sections on one mount point are refused by the loader */
                int k = emit_one(e, c->hugepages[i]);
                if (k < 0 && r == 0)
                        r = k;
        }
        return r;
}

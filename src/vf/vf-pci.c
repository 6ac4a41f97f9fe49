/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "root.h"
#include "udev-util.h"
#include "util.h"
#include "vf-pci.h"

/* The kernel probes before the write to drivers_probe returns; a little slack for drivers
 * that finish asynchronously (and for the stand-in kernel of the tests). */
#define BIND_WAIT_USEC (3ULL * 1000 * 1000)


/* The basename of a symlink's target, e.g. the driver of a device; NULL when there is no link. */
static char *link_basename(const char *syspath, const char *link) {
        _cleanup_free_ char *path = xasprintf("%s%s/%s", root_dir(), syspath, link);
        char target[PATH_MAX];
        const char *slash;
        ssize_t n;

        n = readlink(path, target, sizeof(target) - 1);
        if (n <= 0)
                return NULL;
        target[n] = '\0';
        slash = strrchr(target, '/');
        return xstrdup(slash ? slash + 1 : target);
}

/* The only entry of SYSPATH/vfio-dev/ (VFIO's per-device node, kernels with iommufd). */
static char *vfio_dev_name(const char *syspath) {
        _cleanup_free_ char *path = xasprintf("%s%s/vfio-dev", root_dir(), syspath);
        DIR *d = opendir(path);
        struct dirent *de;
        char *name = NULL;

        if (!d)
                return NULL;
        while (!name && (de = readdir(d)))
                if (startswith(de->d_name, "vfio"))
                        name = xstrdup(de->d_name);
        closedir(d);
        return name;
}

/* The PF's PCI function; NULL with *ret_r = 0 when the PF exists but is not on PCI. */
static struct udev_device *pf_pci_device(struct udev *udev, const char *pf, bool is_pci, int *ret_r) {
        _cleanup_udev_device_ struct udev_device *net = NULL;
        struct udev_device *parent;

        *ret_r = 0;
        if (is_pci) {
                struct udev_device *d = udev_device_new_from_subsystem_sysname(udev, "pci", pf);
                if (!d)
                        *ret_r = errno > 0 ? -errno : -ENODEV;
                return d;
        }

        net = udev_device_new_from_subsystem_sysname(udev, "net", pf);
        if (!net) {
                *ret_r = errno > 0 ? -errno : -ENODEV;
                return NULL;
        }
        /* The netdev's own device, not any ancestor: a USB NIC sits below a PCI controller too. */
        parent = udev_device_get_parent(net);
        if (!parent || !streq(udev_device_get_subsystem(parent) ?: "", "pci"))
                return NULL;
        return udev_device_ref(parent);
}

static void vf_pci_fill(struct vf_pci *v, unsigned index, struct udev_device *d) {
        const char *driver = udev_device_get_driver(d);

        *v = (struct vf_pci) {
                .index = index,
                .syspath = xstrdup(udev_device_get_syspath(d)),
                .address = xstrdup(udev_device_get_sysname(d)),
                .driver = driver ? xstrdup(driver) : NULL,
        };
        v->iommu_group = link_basename(v->syspath, "iommu_group");
        v->vfio_dev = vfio_dev_name(v->syspath);
}

int vf_pci_list_get(const char *pf, bool is_pci, unsigned n, struct vf_pci_list *ret) {
        _cleanup_udev_ struct udev *udev = udev_new();
        _cleanup_udev_device_ struct udev_device *pfdev = NULL;
        int r;

        *ret = (struct vf_pci_list) {};
        if (!udev)
                return -ENOMEM;
        pfdev = pf_pci_device(udev, pf, is_pci, &r);
        if (r < 0)
                return r;
        if (!pfdev)
                return 0;
        ret->pf_is_pci = true;
        ret->vfs = xcalloc(n ?: 1, sizeof(struct vf_pci));

        for (unsigned i = 0; i < n; i++) {
                _cleanup_free_ char *link = xasprintf("%s/virtfn%u", udev_device_get_syspath(pfdev), i);
                /* libudev resolves the link to the VF's own directory */
                _cleanup_udev_device_ struct udev_device *vf = udev_device_new_from_syspath(udev, link);

                if (!vf) {
                        log_debug("%s: VF %u has no PCI function (no virtfn%u)", pf, i, i);
                        continue;
                }
                vf_pci_fill(&ret->vfs[ret->n++], i, vf);
        }
        return 0;
}

void vf_pci_list_done(struct vf_pci_list *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->vfs[i].syspath);
                free(l->vfs[i].address);
                free(l->vfs[i].driver);
                free(l->vfs[i].iommu_group);
                free(l->vfs[i].vfio_dev);
        }
        free(l->vfs);
        *l = (struct vf_pci_list) {};
}

const struct vf_pci *vf_pci_find(const struct vf_pci_list *l, unsigned index) {
        for (size_t i = 0; i < l->n; i++)
                if (l->vfs[i].index == index)
                        return &l->vfs[i];
        return NULL;
}

bool pci_driver_loaded(const char *driver) {
        _cleanup_free_ char *path = xasprintf("%s/sys/bus/pci/drivers/%s", root_dir(), driver);
        return access(path, F_OK) >= 0;
}

/* ------------------------------------------------------------------------------------------
 * Binding
 */

static unsigned long long now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (unsigned long long) ts.tv_sec * 1000000ULL + (unsigned long long) ts.tv_nsec / 1000;
}

static int write_sys(const char *pf, const struct vf_pci *vf, const char *path, const char *value) {
        _cleanup_free_ char *p = root_path(path);
        int r = write_string(p, value);

        if (r < 0)
                return log_error_errno(r, "%s: VF %u (%s): writing '%s' to %s failed: %m",
                                       pf, vf->index, vf->address, value, path);
        log_debug("%s: VF %u: wrote '%s' to %s", pf, vf->index, value, path);
        return 0;
}

/* The driver the VF is bound to now, polled briefly: a driver may probe asynchronously. */
static char *wait_for_driver(const struct vf_pci *vf, const char *driver) {
        unsigned long long deadline = now_usec() + BIND_WAIT_USEC;

        for (;;) {
                char *now = link_basename(vf->syspath, "driver");
                if ((now && streq(now, driver)) || now_usec() > deadline)
                        return now;
                free(now);
                usleep(20 * 1000);
        }
}

int vf_pci_bind(const char *pf, struct vf_pci *vf, const char *driver) {
        _cleanup_free_ char *override_path = xasprintf("%s/driver_override", vf->syspath);
        _cleanup_free_ char *override_rooted = root_path(override_path), *override = NULL, *now = NULL;
        int r;

        if (read_one_line(override_rooted, &override) < 0)
                return log_error_errno(EOPNOTSUPP, "%s: VF %u (%s) has no driver_override: cannot bind it to %s",
                                       pf, vf->index, vf->address, driver);

        if (vf->driver && streq(vf->driver, driver) && streq(override, driver)) {
                log_debug("%s: VF %u (%s) is bound to %s already", pf, vf->index, vf->address, driver);
                return 0;
        }
        /* Set first, so that whichever probe comes next (ours, a rescan, a hotplug) picks it. */
        if (!streq(override, driver)) {
                r = write_sys(pf, vf, override_path, driver);
                if (r < 0)
                        return r;
        }
        if (vf->driver && streq(vf->driver, driver))
                return 0;

        if (vf->driver) {
                _cleanup_free_ char *unbind = xasprintf("/sys/bus/pci/drivers/%s/unbind", vf->driver);
                log_info("%s: VF %u (%s): unbinding from %s", pf, vf->index, vf->address, vf->driver);
                r = write_sys(pf, vf, unbind, vf->address);
                if (r < 0)
                        return r;
                free(vf->driver);
                vf->driver = NULL;
        }
        log_info("%s: VF %u (%s): binding to %s", pf, vf->index, vf->address, driver);
        r = write_sys(pf, vf, "/sys/bus/pci/drivers_probe", vf->address);
        if (r < 0)
                return r;

        now = wait_for_driver(vf, driver);
        if (!now || !streq(now, driver))
                return log_error_errno(EIO, "%s: VF %u (%s): %s did not take the device (bound: %s); "
                                       "the kernel log says why", pf, vf->index, vf->address, driver,
                                       now ?: "none");
        vf->driver = now;
        now = NULL;
        return 0;
}

/* ------------------------------------------------------------------------------------------
 * The in-use guard
 */

struct holder {
        const struct vf_pci *vf;
        const char *node;       /* the /dev/vfio/... path found open */
        long pid;
};

static bool is_vfio_driver(const char *driver) {
        /* vfio-pci and the vendor variants (mlx5_vfio_pci, hisi_acc_vfio_pci, ...) */
        return driver && strstr(driver, "vfio");
}

/* The device nodes through which VFIO hands a VF to a process. */
static size_t vf_nodes(const struct vf_pci *vf, char *ret[3]) {
        size_t n = 0;

        if (vf->iommu_group) {
                ret[n++] = xasprintf("/dev/vfio/%s", vf->iommu_group);
                ret[n++] = xasprintf("/dev/vfio/noiommu-%s", vf->iommu_group);
        }
        if (vf->vfio_dev)
                ret[n++] = xasprintf("/dev/vfio/devices/%s", vf->vfio_dev);
        return n;
}

struct watch {
        const struct vf_pci *vf;
        char *node;
};

/* Checks every fd of one process against the watched nodes; -errno when its fds cannot be read. */
static int scan_process(const char *proc, const char *pid, const struct watch *w, size_t n_w,
                        struct holder **holders, size_t *n_holders) {
        _cleanup_free_ char *fddir = xasprintf("%s/%s/fd", proc, pid);
        struct dirent *de;
        int r = 0;
        DIR *d;

        d = opendir(fddir);
        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                char target[PATH_MAX];
                ssize_t k;

                if (de->d_name[0] == '.')
                        continue;
                /* Listing needs CAP_DAC_READ_SEARCH, reading the links CAP_SYS_PTRACE (other users). */
                k = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
                if (k < 0 && (errno == EACCES || errno == EPERM)) {
                        r = -errno;
                        break;
                }
                if (k <= 0)
                        continue;
                target[k] = '\0';
                if (!startswith(target, "/dev/vfio/"))
                        continue;
                for (size_t i = 0; i < n_w; i++) {
                        if (!streq(target, w[i].node))
                                continue;
                        *holders = xrealloc(*holders, (*n_holders + 1) * sizeof(struct holder));
                        (*holders)[(*n_holders)++] = (struct holder) {
                                .vf = w[i].vf, .node = w[i].node, .pid = strtol(pid, NULL, 10),
                        };
                }
        }
        closedir(d);
        return r;
}

static char *process_name(long pid) {
        _cleanup_free_ char *path = xasprintf("%s/proc/%ld/comm", root_dir(), pid);
        char *s = NULL;

        if (read_one_line(path, &s) < 0)
                return xstrdup("?");
        return s;
}

static int scan_proc(const struct watch *w, size_t n_w, struct holder **holders, size_t *n_holders) {
        _cleanup_free_ char *proc = root_path("/proc"), *names = xstrdup("");
        unsigned denied = 0;
        struct dirent *de;
        DIR *d;

        d = opendir(proc);
        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                int r;

                if (strspn(de->d_name, "0123456789") != strlen(de->d_name) || streq(de->d_name, ""))
                        continue;
                r = scan_process(proc, de->d_name, w, n_w, holders, n_holders);
                /* ENOENT: the process exited meanwhile */
                if (r != -EACCES && r != -EPERM)
                        continue;
                /* name the first few, so that the admin can tell what they are */
                if (++denied <= 3) {
                        _cleanup_free_ char *comm = process_name(strtol(de->d_name, NULL, 10)), *old = names;
                        names = xasprintf("%s%sPID %s (%s)", old, *old ? ", " : "", de->d_name, comm);
                }
        }
        closedir(d);
        if (denied > 0) {
                log_warning("Could not read the open files of %u processes (%s%s): that needs CAP_SYS_PTRACE and "
                            "CAP_DAC_READ_SEARCH, and no security module in the way", denied, names,
                            denied > 3 ? ", ..." : "");
                return -EACCES;
        }
        return 0;
}

int vf_pci_in_use(const char *pf, const struct vf_pci_list *l, const bool *only) {
        struct watch *w = NULL;
        struct holder *h = NULL;
        size_t n_w = 0, n_h = 0;
        int r, scan_r, busy = 0;

        for (size_t i = 0; i < l->n; i++) {
                char *nodes[3];
                size_t k;

                if (!is_vfio_driver(l->vfs[i].driver) || (only && !only[l->vfs[i].index]))
                        continue;
                k = vf_nodes(&l->vfs[i], nodes);
                if (k == 0)
                        continue;
                w = xrealloc(w, (n_w + k) * sizeof(*w));
                for (size_t j = 0; j < k; j++)
                        w[n_w++] = (struct watch) { .vf = &l->vfs[i], .node = nodes[j] };
        }
        /* Nothing bound to VFIO: nothing any process could hold. */
        if (n_w == 0) {
                free(w);
                return 0;
        }

        /* A process we could not look at may hold a VF: unknown, unless a holder was found anyway. */
        scan_r = scan_proc(w, n_w, &h, &n_h);
        if (scan_r < 0 && n_h == 0) {
                r = scan_r;
                goto out;
        }

        for (size_t i = 0; i < l->n; i++) {
                bool held = false;

                for (size_t j = 0; j < n_h; j++) {
                        _cleanup_free_ char *comm = NULL;

                        if (h[j].vf != &l->vfs[i])
                                continue;
                        comm = process_name(h[j].pid);
                        log_error("%s: VF %u (%s) is bound to %s and in use: %s is open in process %ld (%s)",
                                  pf, l->vfs[i].index, l->vfs[i].address, l->vfs[i].driver, h[j].node,
                                  h[j].pid, comm);
                        held = true;
                }
                busy += held;
        }
        r = busy;
out:
        for (size_t i = 0; i < n_w; i++)
                free(w[i].node);
        free(w);
        free(h);
        return r;
}

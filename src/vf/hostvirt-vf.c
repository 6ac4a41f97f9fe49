/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostvirt-vf: the helper behind interface-vf@.service.
 *
 *   hostvirt-vf start PF   checks everything it can before writing anything,
 *                          then sriov_drivers_autoprobe (when configured),
 *                          sriov_numvfs (nothing when already right, through 0
 *                          when changing between non-zero counts), waits for
 *                          the VFs' PCI functions (virtfn* links), applies the
 *                          per-VF settings over rtnetlink, binds drivers
 *   hostvirt-vf stop PF    sriov_numvfs=0
 *
 * PF is an interface name or a PCI address, as in [SR-IOV PF].  Every step is
 * logged with the PF name.  When the count or a per-VF setting fails, what
 * this run changed is put back, so the PF is left as it was found.  Removing
 * VFs (stop, a count change) is refused while a VF's VFIO device is open,
 * unless --force.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"
#include "model.h"
#include "log.h"
#include "root.h"
#include "util.h"
#include "vf-mac.h"
#include "vf-netlink.h"
#include "vf-pci.h"
#include "vf-settings.h"

#define VF_WAIT_USEC (60ULL * 1000 * 1000)

static bool arg_force;
static bool guard_refused;

struct pf_state {
        const char *name;
        char *dev;              /* the PF's device directory in sysfs (re-rooted) */
        bool is_pci;            /* has virtfn* links to wait for */
};

static char *dev_attr(const struct pf_state *p, const char *attr) {
        return xasprintf("%s/%s", p->dev, attr);
}

static int read_attr(const struct pf_state *p, const char *attr, unsigned long long *ret) {
        _cleanup_free_ char *path = dev_attr(p, attr);
        return read_uint(path, ret);
}

static int write_attr(const struct pf_state *p, const char *attr, unsigned long long value) {
        _cleanup_free_ char *path = dev_attr(p, attr);
        char buf[32];
        int r;

        snprintf(buf, sizeof(buf), "%llu", value);
        r = write_string(path, buf);
        if (r < 0)
                return log_error_errno(r, "%s: writing %s=%s failed: %m", p->name, attr, buf);
        log_debug("%s: wrote %s=%s", p->name, attr, buf);
        return 0;
}

static bool attr_exists(const struct pf_state *p, const char *attr) {
        _cleanup_free_ char *path = dev_attr(p, attr);
        return access(path, F_OK) >= 0;
}

static int pf_open(const char *name, bool is_pci, struct pf_state *ret) {
        _cleanup_free_ char *dev = is_pci ? xasprintf("/sys/bus/pci/devices/%s", name)
                                          : xasprintf("/sys/class/net/%s/device", name);
        char *subsys;
        char target[4096];
        ssize_t n;

        ret->name = name;
        ret->dev = root_path(dev);
        ret->is_pci = false;

        if (access(ret->dev, F_OK) < 0)
                return -errno;

        /* Only PCI PFs get virtfn* links (netdevsim, for one, has none). */
        subsys = dev_attr(ret, "subsystem");
        n = readlink(subsys, target, sizeof(target) - 1);
        free(subsys);
        if (n > 0) {
                target[n] = '\0';
                ret->is_pci = endswith(target, "/bus/pci");
        }
        return 0;
}

static unsigned long long now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (unsigned long long) ts.tv_sec * 1000000ULL + (unsigned long long) ts.tv_nsec / 1000;
}

/* The kernel adds virtfnN links as it creates each VF's PCI function. */
static int wait_for_vfs(const struct pf_state *p, unsigned want) {
        unsigned long long deadline = now_usec() + VF_WAIT_USEC;

        if (!p->is_pci || want == 0)
                return 0;
        for (;;) {
                unsigned have = 0;

                while (have < want) {
                        char attr[32];
                        snprintf(attr, sizeof(attr), "virtfn%u", have);
                        if (!attr_exists(p, attr))
                                break;
                        have++;
                }
                if (have == want) {
                        log_debug("%s: all %u VF PCI functions are present", p->name, want);
                        return 0;
                }
                if (now_usec() > deadline)
                        return log_error_errno(ETIMEDOUT, "%s: only %u of %u VFs appeared (virtfn* links) "
                                               "within %llu s", p->name, have, want, VF_WAIT_USEC / 1000000);
                usleep(20 * 1000);
        }
}

static int set_numvfs(const struct pf_state *p, unsigned long long cur, unsigned long long want) {
        int r;

        /* The kernel refuses (EBUSY) to go from one non-zero count to another. */
        if (cur != 0 && want != 0) {
                log_info("%s: changing from %llu to %llu VFs, removing the old ones first", p->name, cur, want);
                r = write_attr(p, "sriov_numvfs", 0);
                if (r < 0)
                        return r;
        }
        log_info("%s: %s %llu VFs", p->name, want ? "creating" : "removing", want ? want : cur);
        r = write_attr(p, "sriov_numvfs", want);
        if (r < 0 && cur != 0) {
                /* put the old VFs back rather than leave the PF with none */
                if (write_attr(p, "sriov_numvfs", cur) >= 0)
                        log_notice("%s: restored the previous %llu VFs", p->name, cur);
                else
                        log_error("%s: could not put the previous %llu VFs back either: the PF is left with 0 VFs",
                                  p->name, cur);
        }
        return r;
}

/* ------------------------------------------------------------------------------------------
 * The in-use guard
 */

/*
 * Refuses (-EBUSY, logged) when one of VFs 0..n-1 (those with only[i] set, when only is given)
 * is held open through VFIO.  what says what would happen to them, verb how to force it.
 */
static int guard(const struct pf_state *p, bool is_pci, unsigned n, const bool *only, const char *what,
                 const char *verb) {
        struct vf_pci_list l;
        int r;

        /* VFs of a PF that is no PCI function (netdevsim) have no PCI functions to hand to VFIO. */
        if (n == 0 || !p->is_pci)
                return 0;
        r = vf_pci_list_get(p->name, is_pci, n, &l);
        if (r < 0)
                return log_error_errno(r, "%s: cannot find the VFs' PCI functions to check whether they are "
                                       "in use: %m; nothing changed", p->name);
        r = vf_pci_in_use(p->name, &l, only);
        vf_pci_list_done(&l);
        if (r == 0)
                return 0;
        if (arg_force) {
                if (r < 0)
                        log_warning_errno(r, "%s: cannot check whether the VFs are in use (%m); "
                                          "going on, as --force says", p->name);
                else
                        log_warning("%s: %d VFs are in use; going on to %s, as --force says", p->name, r, what);
                return 0;
        }
        guard_refused = true;
        if (r < 0)
                return log_error_errno(r, "%s: cannot check whether the VFs are in use (%m), so refusing to %s; "
                                       "`hostvirt-vf --force %s %s` goes on regardless; nothing changed",
                                       p->name, what, verb, p->name);
        return log_error_errno(EBUSY, "%s: refusing to %s while %d of its VFs are in use: stop the guests "
                               "using them first, or force it with `hostvirt-vf --force %s %s`; nothing changed",
                               p->name, what, r, verb, p->name);
}

/* ------------------------------------------------------------------------------------------
 * start
 */

struct start {
        const struct conf_sriov *pf;
        struct pf_state p;
        unsigned long long cur;         /* sriov_numvfs as found */
        unsigned long long autoprobe;   /* sriov_drivers_autoprobe as found */
        bool autoprobe_changed;
        bool count_changed;
        struct vf_want *plan;           /* per VF: the netlink settings */
        bool has_settings;
        const char **drivers;           /* per VF: Driver=, NULL for none */
        bool has_drivers;
        struct nl *nl;
};

static void start_done(struct start *st) {
        free(st->p.dev);
        free(st->plan);
        free(st->drivers);
        nl_close(st->nl);
}

/* sriov_numvfs and sriov_totalvfs; a device without sriov_totalvfs (netdevsim) is not limited. */
static int check_count(struct start *st) {
        const struct conf_sriov *pf = st->pf;
        unsigned long long total;
        int r;

        if (!attr_exists(&st->p, "sriov_numvfs"))
                return log_error_errno(EOPNOTSUPP, "%s: the device has no sriov_numvfs: not an SR-IOV physical "
                                       "function (or its driver does not support SR-IOV)", pf->name);
        r = read_attr(&st->p, "sriov_numvfs", &st->cur);
        if (r < 0)
                return log_error_errno(r, "%s: cannot read sriov_numvfs: %m", pf->name);
        if (!attr_exists(&st->p, "sriov_totalvfs"))
                return 0;
        r = read_attr(&st->p, "sriov_totalvfs", &total);
        if (r < 0)
                return log_error_errno(r, "%s: cannot read sriov_totalvfs: %m", pf->name);
        if (pf->num_vfs > total)
                return log_error_errno(ERANGE, "%s: VirtualFunctions=%u exceeds what the device supports "
                                       "(sriov_totalvfs=%llu); nothing changed", pf->name, pf->num_vfs, total);
        return 0;
}

/* Driver= of every VF: only for VFs with PCI functions, and only drivers that are loaded. */
static int check_drivers(struct start *st) {
        const struct conf_sriov *pf = st->pf;

        st->drivers = xcalloc(pf->num_vfs ?: 1, sizeof(char *));
        for (unsigned i = 0; i < pf->num_vfs; i++) {
                struct vf_settings s;

                conf_vf_effective(pf, i, &s);
                st->drivers[i] = s.driver;
                if (!s.driver)
                        continue;
                st->has_drivers = true;
                if (!st->p.is_pci)
                        return log_error_errno(EOPNOTSUPP, "%s: Driver=%s for VF %u, but the PF is not a PCI "
                                               "device: its VFs have no PCI functions to bind; nothing changed",
                                               pf->name, s.driver, i);
                if (!pci_driver_loaded(s.driver))
                        return log_error_errno(ENOENT, "%s: Driver=%s for VF %u, but that driver is not loaded "
                                               "(no /sys/bus/pci/drivers/%s): load its module at boot, e.g. "
                                               "with /etc/modules-load.d/%s.conf; nothing changed",
                                               pf->name, s.driver, i, s.driver, s.driver);
        }
        return 0;
}

/* The per-VF netlink settings, and the PF's netdev to send them through. */
static int prepare_settings(struct start *st) {
        const struct conf_sriov *pf = st->pf;
        uint8_t machine_id[MACHINE_ID_SIZE] = {};
        struct pf_link link;
        int r;

        if (vf_plan_needs_machine_id(pf)) {
                r = machine_id_read(machine_id);
                if (r < 0)
                        return log_error_errno(r, "%s: MACAddressPolicy=persistent needs the machine ID, but "
                                               "/etc/machine-id is %s: %m; nothing changed", pf->name,
                                               r == -ENOENT ? "missing" : "not valid");
        }
        r = vf_plan_build(pf, machine_id, &st->plan);
        if (r < 0)
                return r;
        st->has_settings = vf_plan_has_settings(st->plan, pf->num_vfs);
        if (!st->has_settings)
                return 0;

        r = nl_open(&st->nl);
        if (r < 0)
                return log_error_errno(r, "%s: cannot open an rtnetlink socket: %m", pf->name);
        r = vfnl_get_pf(st->nl, pf->name, &link);
        if (r < 0)
                return nl_log_error(st->nl, r, "%s: cannot read the PF's link over rtnetlink", pf->name);
        pf_link_done(&link);
        return 0;
}

/* What start would do to VFs in use: remove them all (count change), or rebind some. */
static int check_in_use(struct start *st) {
        const struct conf_sriov *pf = st->pf;
        _cleanup_free_ bool *rebind = NULL;
        struct vf_pci_list l;
        bool any = false;
        int r;

        if (st->cur != 0 && st->cur != pf->num_vfs)
                return guard(&st->p, pf->is_pci, (unsigned) st->cur, NULL,
                             "change the VF count (which removes every VF first)", "start");
        if (st->cur == 0 || !st->has_drivers)
                return 0;

        /* Same count: only VFs that move to another driver are affected. */
        r = vf_pci_list_get(pf->name, pf->is_pci, pf->num_vfs, &l);
        if (r < 0)
                return log_error_errno(r, "%s: cannot find the VFs' PCI functions: %m", pf->name);
        rebind = xcalloc(pf->num_vfs, sizeof(bool));
        for (size_t i = 0; i < l.n; i++) {
                const char *want = st->drivers[l.vfs[i].index];
                if (want && l.vfs[i].driver && !streq(want, l.vfs[i].driver))
                        any = rebind[l.vfs[i].index] = true;
        }
        vf_pci_list_done(&l);
        if (!any)
                return 0;
        return guard(&st->p, pf->is_pci, pf->num_vfs, rebind, "bind VFs to another driver", "start");
}

static int apply_count(struct start *st) {
        const struct conf_sriov *pf = st->pf;
        int r;

        if (pf->autoprobe != CONF_UNSET && attr_exists(&st->p, "sriov_drivers_autoprobe")) {
                r = read_attr(&st->p, "sriov_drivers_autoprobe", &st->autoprobe);
                if (r < 0)
                        return log_error_errno(r, "%s: cannot read sriov_drivers_autoprobe: %m", pf->name);
                if (st->autoprobe != (unsigned long long) pf->autoprobe) {
                        if (st->cur == pf->num_vfs && st->cur != 0)
                                log_notice("%s: DriversAutoprobe=%s takes effect when the VFs are next created "
                                           "(systemctl restart)", pf->name, pf->autoprobe ? "yes" : "no");
                        log_info("%s: setting sriov_drivers_autoprobe=%d", pf->name, pf->autoprobe);
                        r = write_attr(&st->p, "sriov_drivers_autoprobe", (unsigned long long) pf->autoprobe);
                        if (r < 0)
                                return r;
                        st->autoprobe_changed = true;
                }
        } else if (pf->autoprobe == 0)
                log_notice("%s: the device has no sriov_drivers_autoprobe, DriversAutoprobe=no has no effect",
                           pf->name);

        if (st->cur == pf->num_vfs)
                log_info("%s: already has %llu VFs, nothing to change", pf->name, st->cur);
        else {
                r = set_numvfs(&st->p, st->cur, pf->num_vfs);
                if (r < 0)
                        return r;
                st->count_changed = true;
        }
        return wait_for_vfs(&st->p, pf->num_vfs);
}

/* Puts back the count and autoprobe setting found, after a later step failed. */
static void undo_count(struct start *st) {
        if (st->count_changed) {
                if (st->cur == 0)
                        log_notice("%s: removing the VFs this start created", st->pf->name);
                else
                        log_notice("%s: putting back the %llu VFs found before this start", st->pf->name, st->cur);
                (void) set_numvfs(&st->p, st->pf->num_vfs, st->cur);
        }
        if (st->autoprobe_changed)
                (void) write_attr(&st->p, "sriov_drivers_autoprobe", st->autoprobe);
}

struct nl_target {
        struct nl *nl;
        int ifindex;
};

static int nl_target_set(void *userdata, enum vf_attr attr, const struct vf_info *v) {
        struct nl_target *t = userdata;
        return vfnl_set(t->nl, t->ifindex, attr, v);
}

static const char *nl_target_error(void *userdata) {
        struct nl_target *t = userdata;
        return nl_error_message(t->nl);
}

static int apply_settings(struct start *st) {
        const struct conf_sriov *pf = st->pf;
        struct pf_link link;
        struct nl_target t = { .nl = st->nl };
        struct vf_setter setter = { .set = nl_target_set, .error_message = nl_target_error, .userdata = &t };
        int r;

        if (!st->has_settings)
                return 0;
        /* Read again: the VFs may be new since prepare_settings(). */
        r = vfnl_get_pf(st->nl, pf->name, &link);
        if (r < 0)
                return nl_log_error(st->nl, r, "%s: cannot read the VFs' settings over rtnetlink", pf->name);
        t.ifindex = link.ifindex;
        r = vf_settings_apply(pf->name, st->plan, pf->num_vfs, &link, &setter);
        pf_link_done(&link);
        if (r == 0)
                log_info("%s: VF settings are as configured already", pf->name);
        return r < 0 ? r : 0;
}

/* Each VF on its own: a driver refusing one VF does not keep the others from theirs. */
static int bind_drivers(struct start *st) {
        const struct conf_sriov *pf = st->pf;
        struct vf_pci_list l;
        unsigned failed = 0;
        int r;

        if (!st->has_drivers)
                return 0;
        r = vf_pci_list_get(pf->name, pf->is_pci, pf->num_vfs, &l);
        if (r < 0)
                return log_error_errno(r, "%s: cannot find the VFs' PCI functions: %m", pf->name);
        for (unsigned i = 0; i < pf->num_vfs; i++) {
                struct vf_pci *vf = (struct vf_pci *) vf_pci_find(&l, i);

                if (!st->drivers[i])
                        continue;
                if (!vf) {
                        log_error("%s: VF %u has no PCI function (no virtfn%u) to bind to %s", pf->name, i, i,
                                  st->drivers[i]);
                        failed++;
                } else if (vf_pci_bind(pf->name, vf, st->drivers[i]) < 0)
                        failed++;
        }
        vf_pci_list_done(&l);
        if (failed > 0)
                return log_error_errno(EIO, "%s: %u VFs could not be bound to their driver", pf->name, failed);
        return 0;
}

static int do_start(const struct conf_sriov *pf) {
        struct start st = { .pf = pf };
        int r;

        r = pf_open(pf->name, pf->is_pci, &st.p);
        if (r < 0) {
                r = log_error_errno(r, "%s: no such %s: %m", pf->name, pf->is_pci ? "PCI device" : "network interface");
                goto out;
        }

        /* Check everything before writing anything. */
        r = check_count(&st);
        if (r >= 0)
                r = check_drivers(&st);
        if (r >= 0)
                r = prepare_settings(&st);
        if (r >= 0)
                r = check_in_use(&st);
        if (r < 0)
                goto out;

        r = apply_count(&st);
        if (r >= 0)
                r = apply_settings(&st);
        if (r < 0) {
                undo_count(&st);
                goto out;
        }
        r = bind_drivers(&st);
        if (r < 0)
                goto out;
        log_info("%s: %u VFs ready", pf->name, pf->num_vfs);
out:
        start_done(&st);
        return r;
}

/* ------------------------------------------------------------------------------------------
 * stop
 */

static int do_stop(const char *name, bool is_pci) {
        struct pf_state p = {};
        unsigned long long cur;
        int r;

        r = pf_open(name, is_pci, &p);
        if (r < 0) {
                free(p.dev);
                if (r != -ENOENT)
                        return log_error_errno(r, "%s: cannot open device: %m", name);
                /* The PF went away (driver unload, hot unplug): so did its VFs. */
                log_info("%s: device is gone, nothing to remove", name);
                return 0;
        }

        r = read_attr(&p, "sriov_numvfs", &cur);
        if (r == -ENOENT) {
                log_info("%s: no sriov_numvfs, nothing to remove", name);
                r = 0;
        } else if (r < 0)
                r = log_error_errno(r, "%s: cannot read sriov_numvfs: %m", name);
        else if (cur == 0)
                log_info("%s: has no VFs, nothing to remove", name);
        else {
                r = guard(&p, is_pci, (unsigned) cur, NULL, "remove the VFs", "stop");
                if (r >= 0) {
                        log_info("%s: removing %llu VFs", name, cur);
                        r = write_attr(&p, "sriov_numvfs", 0);
                }
        }
        free(p.dev);
        return r;
}

static void help(void) {
        printf("Usage: hostvirt-vf [--verbose] [--force] start|stop PF\n\n"
               "Creates (start) or removes (stop) the virtual functions of the SR-IOV\n"
               "physical function PF as configured in [SR-IOV PF] of hostvirt.conf(5),\n"
               "with their per-VF settings and drivers.\n\n"
               "  -f --force    remove or rebind VFs even while a process holds their VFIO device\n"
               "  -v --verbose  log every write\n\n"
               "Exit status: 0 done, 1 failed, 2 usage error, 6 no valid [SR-IOV PF] section,\n"
               "75 refused because VFs are in use; see hostvirt(8), HELPERS.\n"
               "This is the helper behind interface-vf@.service; see interface-vf@.service(8).\n");
}

static int usage_error(void) {
        log_error("Usage: hostvirt-vf [--verbose] [--force] start|stop PF (see 'hostvirt-vf --help').");
        return HELPER_EXIT_USAGE;
}

/* What do_start() and do_stop() returned, 0 or a negative errno, as the exit status. */
static int exit_status(int r) {
        if (r >= 0)
                return HELPER_EXIT_OK;
        return guard_refused ? HELPER_EXIT_IN_USE : HELPER_EXIT_FAILED;
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "verbose", no_argument, NULL, 'v' },
                { "force", no_argument, NULL, 'f' },
                {}
        };
        struct conf *c = NULL;
        const struct conf_sriov *pf;
        const char *verb;
        char *name;
        bool is_pci;
        int opt, r;

        log_setup("hostvirt-vf", LOG_TARGET_STDERR);
        while ((opt = getopt_long(argc, argv, "hvf", options, NULL)) >= 0)
                switch (opt) {
                case 'h':
                        help();
                        return HELPER_EXIT_OK;
                case 'v':
                        log_set_max_level(LOG_DEBUG_LEVEL);
                        break;
                case 'f':
                        arg_force = true;
                        break;
                default:
                        return usage_error();
                }
        if (argc - optind != 2)
                return usage_error();
        verb = argv[optind];
        name = argv[optind + 1];
        if (!streq(verb, "start") && !streq(verb, "stop")) {
                log_error("Unknown command '%s'.", verb);
                return usage_error();
        }

        /* 0000:0A:00.0 is 0000:0a:00.0: the kernel's name in sysfs, and the loader's. */
        is_pci = pci_address_normalize(name);
        if (!is_pci && !ifname_valid(name)) {
                log_error("'%s' is neither a valid interface name nor a PCI address.", name);
                return HELPER_EXIT_USAGE;
        }

        if (streq(verb, "stop")) {
                /* Stop needs no config: whatever it says now, the VFs go. */
                r = do_stop(name, is_pci);
                return exit_status(r);
        }

        /* Only this PF's section matters (helper.h). */
        r = helper_conf_load(&c);
        if (r > 0)
                return r;
        pf = conf_find_sriov(c, name);
        r = helper_conf_section(c, "SR-IOV", name, pf);
        if (r > 0) {
                conf_free(c);
                return r;
        }
        r = do_start(pf);
        conf_free(c);
        return exit_status(r);
}

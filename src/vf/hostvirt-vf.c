/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostvirt-vf: the helper behind interface-vf@.service.
 *
 *   hostvirt-vf start PF   sriov_drivers_autoprobe (when configured), then
 *                          sriov_numvfs (nothing when already right, through 0
 *                          when changing between non-zero counts), then waits
 *                          for the VFs' PCI functions (virtfn* links)
 *   hostvirt-vf stop PF    sriov_numvfs=0
 *
 * PF is an interface name or a PCI address, as in [SR-IOV PF].  Every step is
 * logged with the PF name.  When a write fails, what this run changed is put
 * back, so the PF is left as it was found.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "root.h"
#include "util.h"

#define VF_WAIT_USEC (60ULL * 1000 * 1000)

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
        log_info("%s: creating %llu VFs", p->name, want);
        r = write_attr(p, "sriov_numvfs", want);
        if (r < 0 && cur != 0) {
                /* put the old VFs back rather than leave the PF with none */
                if (write_attr(p, "sriov_numvfs", cur) >= 0)
                        log_notice("%s: restored the previous %llu VFs", p->name, cur);
        }
        return r;
}

static int do_start(const struct conf_sriov *pf) {
        struct pf_state p = {};
        unsigned long long cur, total, autoprobe = 1;
        bool autoprobe_changed = false;
        int r;

        r = pf_open(pf->name, pf->is_pci, &p);
        if (r < 0) {
                r = log_error_errno(r, "%s: no such %s: %m", pf->name, pf->is_pci ? "PCI device" : "network interface");
                goto out;
        }
        if (!attr_exists(&p, "sriov_numvfs")) {
                r = log_error_errno(EOPNOTSUPP, "%s: the device has no sriov_numvfs: not an SR-IOV physical function "
                                    "(or its driver does not support SR-IOV)", pf->name);
                goto out;
        }
        r = read_attr(&p, "sriov_numvfs", &cur);
        if (r < 0) {
                r = log_error_errno(r, "%s: cannot read sriov_numvfs: %m", pf->name);
                goto out;
        }

        /* Check everything before writing anything. */
        if (attr_exists(&p, "sriov_totalvfs")) {
                r = read_attr(&p, "sriov_totalvfs", &total);
                if (r < 0) {
                        r = log_error_errno(r, "%s: cannot read sriov_totalvfs: %m", pf->name);
                        goto out;
                }
                if (pf->num_vfs > total) {
                        r = log_error_errno(ERANGE, "%s: VirtualFunctions=%u exceeds what the device supports "
                                            "(sriov_totalvfs=%llu); nothing changed", pf->name, pf->num_vfs, total);
                        goto out;
                }
        }

        if (pf->autoprobe != CONF_UNSET && attr_exists(&p, "sriov_drivers_autoprobe")) {
                r = read_attr(&p, "sriov_drivers_autoprobe", &autoprobe);
                if (r < 0) {
                        r = log_error_errno(r, "%s: cannot read sriov_drivers_autoprobe: %m", pf->name);
                        goto out;
                }
                if (autoprobe != (unsigned long long) pf->autoprobe) {
                        if (cur == pf->num_vfs && cur != 0)
                                log_notice("%s: DriversAutoprobe=%s takes effect when the VFs are next created "
                                           "(systemctl restart)", pf->name, pf->autoprobe ? "yes" : "no");
                        log_info("%s: setting sriov_drivers_autoprobe=%d", pf->name, pf->autoprobe);
                        r = write_attr(&p, "sriov_drivers_autoprobe", (unsigned long long) pf->autoprobe);
                        if (r < 0)
                                goto out;
                        autoprobe_changed = true;
                }
        } else if (pf->autoprobe == 0)
                log_notice("%s: the device has no sriov_drivers_autoprobe, DriversAutoprobe=no has no effect",
                           pf->name);

        if (cur == pf->num_vfs)
                log_info("%s: already has %llu VFs, nothing to change", pf->name, cur);
        else {
                r = set_numvfs(&p, cur, pf->num_vfs);
                if (r < 0) {
                        if (autoprobe_changed)
                                (void) write_attr(&p, "sriov_drivers_autoprobe", autoprobe);
                        goto out;
                }
        }

        r = wait_for_vfs(&p, pf->num_vfs);
        if (r < 0)
                goto out;
        log_info("%s: %u VFs ready", pf->name, pf->num_vfs);
out:
        free(p.dev);
        return r;
}

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
                log_info("%s: removing %llu VFs", name, cur);
                r = write_attr(&p, "sriov_numvfs", 0);
        }
        free(p.dev);
        return r;
}

static void help(void) {
        printf("Usage: hostvirt-vf [--verbose] start|stop PF\n\n"
               "Creates (start) or removes (stop) the virtual functions of the SR-IOV\n"
               "physical function PF as configured in [SR-IOV PF] of hostvirt.conf(5).\n"
               "This is the helper behind interface-vf@.service; see interface-vf@.service(8).\n");
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "verbose", no_argument, NULL, 'v' },
                {}
        };
        struct conf *c = NULL;
        const struct conf_sriov *pf;
        const char *verb, *name;
        int opt, r;

        log_setup("hostvirt-vf", LOG_TARGET_STDERR);
        while ((opt = getopt_long(argc, argv, "hv", options, NULL)) >= 0)
                switch (opt) {
                case 'h':
                        help();
                        return EXIT_SUCCESS;
                case 'v':
                        log_set_max_level(LOG_DEBUG_LEVEL);
                        break;
                default:
                        return EXIT_FAILURE;
                }
        if (argc - optind != 2) {
                help();
                return EXIT_FAILURE;
        }
        verb = argv[optind];
        name = argv[optind + 1];

        if (!pci_address_valid(name) && !ifname_valid(name)) {
                log_error("'%s' is neither a valid interface name nor a PCI address.", name);
                return EXIT_FAILURE;
        }

        if (streq(verb, "stop")) {
                /* Stop needs no config: whatever it says now, the VFs go. */
                r = do_stop(name, pci_address_valid(name));
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        }
        if (!streq(verb, "start")) {
                log_error("Unknown command '%s'.", verb);
                return EXIT_FAILURE;
        }

        /* Problems elsewhere in the config are the generator's and `hostvirt check`'s to report;
         * here only this PF's section matters.  When it is not usable, say why: load again aloud. */
        diag_set_quiet(true);
        r = conf_load(&c, NULL);
        diag_set_quiet(false);
        if (r < 0)
                return log_error_errno(r, "Failed to load the configuration: %m"), EXIT_FAILURE;

        pf = conf_find_sriov(c, name);
        if (!pf) {
                conf_free(c);
                (void) conf_load(&c, NULL);
                log_error("%s: no valid [SR-IOV %s] section in the configuration.", name, name);
                conf_free(c);
                return EXIT_FAILURE;
        }
        r = do_start(pf);
        conf_free(c);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

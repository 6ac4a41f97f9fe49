/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostvirt-udev-vf: the import program of 71-hostvirt-vf.rules.
 *
 *   hostvirt-udev-vf DEVPATH|IFNAME
 *
 * For the network interface of an SR-IOV VF, finds its PF with libudev (the
 * VF's PCI function, its physfn link, the PF's own interfaces), looks the PF
 * up in the configuration by interface name and by PCI address, and prints
 * udev properties:
 *
 *   HOSTVIRT_PF=NAME   the PF has an [SR-IOV NAME] section
 *   NM_UNMANAGED=1     ... with Unmanaged=yes (the default)
 *
 * Prints nothing for any other device.  Problems elsewhere in the
 * configuration are not reported here (`hostvirt check` does that).
 */
#include <errno.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "log.h"
#include "udev-util.h"
#include "util.h"


static struct udev_device *device_from_arg(struct udev *udev, const char *arg) {
        _cleanup_free_ char *syspath = NULL;

        if (arg[0] != '/')
                return udev_device_new_from_subsystem_sysname(udev, "net", arg);
        /* $devpath, as udev passes it, is relative to /sys */
        syspath = xasprintf("/sys%s", arg);
        return udev_device_new_from_syspath(udev, syspath);
}

/* The PF's PCI function, or NULL when dev is not the netdev of a VF. */
static struct udev_device *pf_of(struct udev *udev, struct udev_device *dev) {
        _cleanup_free_ char *physfn = NULL;
        struct udev_device *vf;

        if (!streq(udev_device_get_subsystem(dev) ?: "", "net"))
                return NULL;
        vf = udev_device_get_parent(dev);
        if (!vf || !streq(udev_device_get_subsystem(vf) ?: "", "pci"))
                return NULL;
        physfn = xasprintf("%s/physfn", udev_device_get_syspath(vf));
        return udev_device_new_from_syspath(udev, physfn);
}

/* The [SR-IOV] section of the PF: by one of its interface names, else by its PCI address. */
static const struct conf_sriov *find_pf(struct udev *udev, struct udev_device *pf, const struct conf *c) {
        _cleanup_udev_enumerate_ struct udev_enumerate *e = udev_enumerate_new(udev);
        struct udev_list_entry *entry;

        if (e && udev_enumerate_add_match_parent(e, pf) >= 0 && udev_enumerate_add_match_subsystem(e, "net") >= 0 &&
            udev_enumerate_scan_devices(e) >= 0)
                udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
                        const char *path = udev_list_entry_get_name(entry), *name = strrchr(path, '/');
                        const struct conf_sriov *s = name ? conf_find_sriov(c, name + 1) : NULL;
                        if (s)
                                return s;
                }
        return conf_find_sriov(c, udev_device_get_sysname(pf));
}

int main(int argc, char *argv[]) {
        _cleanup_udev_ struct udev *udev = NULL;
        _cleanup_udev_device_ struct udev_device *dev = NULL, *pf = NULL;
        const struct conf_sriov *s;
        struct conf *c = NULL;
        int r;

        log_setup("hostvirt-udev-vf", LOG_TARGET_STDERR);
        if (argc != 2 || streq(argv[1], "--help")) {
                fprintf(stderr, "Usage: hostvirt-udev-vf DEVPATH|IFNAME\n"
                                "Prints NM_UNMANAGED=1 for a VF whose PF has Unmanaged=yes in hostvirt.conf(5);\n"
                                "called by 71-hostvirt-vf.rules.\n");
                return argc == 2 ? EXIT_SUCCESS : EXIT_FAILURE;
        }

        udev = udev_new();
        if (!udev)
                return log_error_errno(ENOMEM, "Failed to create a udev context: %m"), EXIT_FAILURE;
        dev = device_from_arg(udev, argv[1]);
        if (!dev)
                return log_error_errno(errno ?: ENODEV, "%s: no such device: %m", argv[1]), EXIT_FAILURE;
        pf = pf_of(udev, dev);
        if (!pf)
                return EXIT_SUCCESS;

        r = conf_load_all(&c, NULL, &(struct diag) { .quiet = true });
        if (r < 0)
                return log_error_errno(r, "Failed to load the configuration: %m"), EXIT_FAILURE;
        s = find_pf(udev, pf, c);
        if (s) {
                printf("HOSTVIRT_PF=%s\n", s->name);
                if (s->unmanaged)
                        printf("NM_UNMANAGED=1\n");
        }
        conf_free(c);
        return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

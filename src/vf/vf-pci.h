/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The PCI side of a PF's VFs: finding each VF's PCI function with libudev
 * (the PF's virtfnN links), binding VFs to a driver, and the in-use guard.
 *
 * libudev reads the real /sys: tests bind their fake tree over /sys in a
 * private mount namespace.  Attributes are read and written through
 * root_path(), so with HOSTVIRT_ROOT set they land in the same fake tree.
 */

#include <stdbool.h>
#include <stddef.h>

struct vf_pci {
        unsigned index;
        char *syspath;          /* /sys/devices/... of the VF's PCI function */
        char *address;          /* its PCI address, e.g. 0000:03:00.1 */
        char *driver;           /* bound driver, NULL when none */
        char *iommu_group;      /* IOMMU group number, NULL when none */
        char *vfio_dev;         /* "vfioN" under vfio-dev/ (iommufd), NULL when none */
};

struct vf_pci_list {
        struct vf_pci *vfs;     /* by index; VFs without a PCI function are left out */
        size_t n;
        bool pf_is_pci;         /* false: the PF is no PCI function (netdevsim), n is 0 */
};

/* The PCI functions of VFs 0..n-1 of PF (an interface name, or a PCI address when is_pci). */
int vf_pci_list_get(const char *pf, bool is_pci, unsigned n, struct vf_pci_list *ret);
void vf_pci_list_done(struct vf_pci_list *l);
const struct vf_pci *vf_pci_find(const struct vf_pci_list *l, unsigned index);

/* /sys/bus/pci/drivers/NAME exists: the driver's module is loaded. */
bool pci_driver_loaded(const char *driver);

/*
 * Binds the VF to driver through driver_override, unbinding it from its
 * current driver first; nothing when it is bound to driver already.  Logs
 * what it does and why it failed, prefixed with pf.
 */
int vf_pci_bind(const char *pf, struct vf_pci *vf, const char *driver);

/*
 * The in-use guard: VFs bound to a VFIO driver whose group (/dev/vfio/N,
 * /dev/vfio/noiommu-N) or device node (/dev/vfio/devices/vfioN) some process
 * holds open, found by reading the /proc/PID/fd links of every process.
 * Logs each such VF with the processes; returns how many, or a negative
 * errno when that cannot be told: /proc cannot be read, or the open files of
 * some process cannot (-EACCES) and no holder was found among the others.  only (indexed by VF index, may be NULL)
 * limits the check to some VFs.
 */
int vf_pci_in_use(const char *pf, const struct vf_pci_list *l, const bool *only);

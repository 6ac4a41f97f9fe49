/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The exit status of the helpers hostvirt-vf, hostvirt-hugepages and hostvirt-net, what
 * their units' ExecStart= and ExecStop= end with: one table for all three, documented once,
 * in hostvirt(8), section HELPERS.  Where LSB defines a status for the case, it is that one
 * (systemd names them: status=2/INVALIDARGUMENT, status=6/NOTCONFIGURED); the refusal of
 * something in use is BSD's EX_TEMPFAIL (status=75/TEMPFAIL): it goes once the guests do.
 */
enum {
        /* done, or nothing needed doing */
        HELPER_EXIT_OK = 0,
        /* the job failed on this host: a device, node or page size missing, a write the
         * kernel refused, a record that is not valid; what this run changed is put back */
        HELPER_EXIT_FAILED = 1,
        /* the command line: an unknown verb or option, a missing or extra argument, a name
         * that is no interface name or PCI address, a size that is no page size */
        HELPER_EXIT_USAGE = 2,
        /* start: no valid section for the name (none, or dropped for its errors), or the
         * configuration cannot be read at all; errors in other sections do not count */
        HELPER_EXIT_NOT_CONFIGURED = 6,
        /* refused because it would take something in use away (hostvirt-vf: VFs held by
         * guests through VFIO); nothing changed, --force goes on regardless */
        HELPER_EXIT_IN_USE = 75,
};

/* What the helpers' functions return (negative errno, 0, or a HELPER_EXIT_* above) as the
 * exit status: every failure without a status of its own is HELPER_EXIT_FAILED. */
static inline int helper_exit_status(int r) {
        return r < 0 ? HELPER_EXIT_FAILED : r;
}

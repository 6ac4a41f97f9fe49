/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Per-VF settings: what the configuration asks of each VF (PF defaults
 * overlaid with its [VF] section, MACAddressPolicy=persistent), and applying
 * that to the VFs with a rollback.
 *
 * Applying is all or nothing: the VFs' current values are read first; every
 * setting that differs is written, one VF and one setting at a time; when
 * the driver refuses one, every setting already written by this run is put
 * back to the value read before, newest first, and the refusal is reported
 * with the VF index, the setting and the kernel's message.
 */

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "vf-mac.h"
#include "vf-netlink.h"

#define VF_ATTR_BIT(a) (1u << (a))

struct vf_want {
        unsigned attrs;         /* VF_ATTR_BIT()s of the settings asked for */
        struct vf_info v;       /* their values */
        bool min_rate_set, max_rate_set; /* VF_ATTR_RATE: the other one stays as it is */
        bool mac_persistent;    /* the MAC comes from MACAddressPolicy=persistent */
};

/*
 * The settings for VFs 0..pf->num_vfs-1 (ret[i] for VF i).  machine_id is
 * needed only with MACAddressPolicy=persistent (see vf_plan_needs_machine_id()).
 * Fails with -EINVAL (logged) when the overlay is contradictory (MinTxRate= from
 * one section above MaxTxRate= from the other).
 */
bool vf_plan_needs_machine_id(const struct conf_sriov *pf);
int vf_plan_build(const struct conf_sriov *pf, const uint8_t *machine_id, struct vf_want **ret);
/* Whether any VF of the plan has a netlink setting. */
bool vf_plan_has_settings(const struct vf_want *w, size_t n);

struct vf_setter {
        int (*set)(void *userdata, enum vf_attr attr, const struct vf_info *v);
        /* the kernel's message on the last failure, "" when it gave none */
        const char *(*error_message)(void *userdata);
        void *userdata;
};

/*
 * Writes what differs between want[0..n-1] and cur, as described above.
 * Returns the number of settings written, or the driver's error after the
 * rollback.  -ENXIO: a VF of the plan is missing from cur (nothing written).
 */
int vf_settings_apply(const char *pf, const struct vf_want *want, size_t n, const struct pf_link *cur,
                      const struct vf_setter *s);

/* "MACAddress=02:00:00:00:00:01", "VLAN=20 QoS=3 VLANProtocol=802.1Q", ... */
char *vf_attr_describe(enum vf_attr attr, const struct vf_info *v);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * MACAddressPolicy=persistent: a stable MAC address per VF.
 *
 *   digest = HMAC-SHA256(key = the machine ID as 16 bytes,
 *                        message = "hostvirt-vf-mac:" PF ":" INDEX)
 *   MAC    = digest[0..5], with bit 0 of the first byte cleared (unicast)
 *            and bit 1 set (locally administered)
 *
 * PF is the name in the [SR-IOV PF] section, INDEX the VF index in decimal.
 * Keyed with the machine ID (as systemd derives application-specific IDs,
 * sd_id128_get_machine_app_specific()), so the addresses differ between hosts
 * and do not reveal the machine ID; the same on every boot of one host.
 * hostvirt.conf(5) gives the openssl(1) command that recomputes one.
 */

#include <stdint.h>

#define MACHINE_ID_SIZE 16

/* The machine ID from /etc/machine-id (under HOSTVIRT_ROOT): -ENOENT, or
 * -EBADMSG when it is not 32 hex digits (e.g. "uninitialized", all zeros). */
int machine_id_read(uint8_t ret[MACHINE_ID_SIZE]);
int machine_id_parse(const char *s, uint8_t ret[MACHINE_ID_SIZE]);

void vf_mac_persistent(const uint8_t machine_id[MACHINE_ID_SIZE], const char *pf, unsigned index,
                       uint8_t ret[6]);

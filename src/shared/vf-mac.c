/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "root.h"
#include "sha256.h"
#include "util.h"
#include "vf-mac.h"

int machine_id_parse(const char *s, uint8_t ret[MACHINE_ID_SIZE]) {
        uint8_t id[MACHINE_ID_SIZE];
        bool any = false;

        if (strlen(s) != 2 * MACHINE_ID_SIZE)
                return -EBADMSG;
        for (unsigned i = 0; i < MACHINE_ID_SIZE; i++) {
                int hi = unhexchar(s[2 * i]), lo = unhexchar(s[2 * i + 1]);
                if (hi < 0 || lo < 0)
                        return -EBADMSG;
                id[i] = (uint8_t) (hi << 4 | lo);
                any = any || id[i];
        }
        /* systemd treats the null ID as "no ID" as well */
        if (!any)
                return -EBADMSG;
        memcpy(ret, id, sizeof(id));
        return 0;
}

int machine_id_read(uint8_t ret[MACHINE_ID_SIZE]) {
        _cleanup_free_ char *path = root_path("/etc/machine-id"), *s = NULL;
        int r;

        r = read_one_line(path, &s);
        if (r < 0)
                return r;
        return machine_id_parse(s, ret);
}

void vf_mac_persistent(const uint8_t machine_id[MACHINE_ID_SIZE], const char *pf, unsigned index,
                       uint8_t ret[6]) {
        uint8_t digest[SHA256_DIGEST_SIZE];
        _cleanup_free_ char *msg = xasprintf("hostvirt-vf-mac:%s:%u", pf, index);

        hmac_sha256(machine_id, MACHINE_ID_SIZE, msg, strlen(msg), digest);
        memcpy(ret, digest, 6);
        ret[0] &= 0xfe;         /* unicast */
        ret[0] |= 0x02;         /* locally administered */
}

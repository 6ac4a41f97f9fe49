/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for the persistent VF MAC
 * addresses (vf-mac.h).  Small and self-contained so that the derivation
 * does not depend on a crypto library being present at early boot; the test
 * vectors of both standards are checked by tests/vf/test-mac.c.
 */

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256_ctx {
        uint32_t h[8];
        uint64_t length;        /* bytes hashed so far */
        uint8_t buf[SHA256_BLOCK_SIZE];
        size_t n_buf;
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t n);
void sha256_final(struct sha256_ctx *c, uint8_t ret[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t n, uint8_t ret[SHA256_DIGEST_SIZE]);

void hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                 uint8_t ret[SHA256_DIGEST_SIZE]);

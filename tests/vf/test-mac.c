/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * MACAddressPolicy=persistent: SHA-256 and HMAC-SHA256 against the test
 * vectors of their standards, then the properties of the derived MACs.
 *
 *   test-mac                           runs the checks
 *   test-mac derive MACHINE-ID PF N    prints the MAC of VF N of PF (for test-mac.sh,
 *                                      which compares it with Python's hmac module)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "util.h"
#include "vf-mac.h"

static unsigned n_failed, n_passed;

static void check(bool ok, const char *what) {
        if (ok)
                n_passed++;
        else {
                n_failed++;
                printf("FAIL %s\n", what);
        }
}

static void hex(const uint8_t *d, size_t n, char *ret) {
        for (size_t i = 0; i < n; i++)
                sprintf(ret + 2 * i, "%02x", d[i]);
}

static void check_digest(const uint8_t d[SHA256_DIGEST_SIZE], const char *want, const char *what) {
        char got[2 * SHA256_DIGEST_SIZE + 1];

        hex(d, SHA256_DIGEST_SIZE, got);
        if (!streq(got, want))
                printf("  %s: got %s\n  %*s  want %s\n", what, got, (int) strlen(what), "", want);
        check(streq(got, want), what);
}

/* FIPS 180-4 examples (the NIST "abc", two-block and one-million-a messages) and the empty string. */
static void test_sha256(void) {
        static const char *two_block = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        uint8_t d[SHA256_DIGEST_SIZE], d2[SHA256_DIGEST_SIZE];
        struct sha256_ctx c;
        char *million = xmalloc(1000000);

        sha256("abc", 3, d);
        check_digest(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256 abc");
        sha256("", 0, d);
        check_digest(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256 empty");
        sha256(two_block, strlen(two_block), d);
        check_digest(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "sha256 two blocks");
        memset(million, 'a', 1000000);
        sha256(million, 1000000, d);
        check_digest(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "sha256 million a");

        /* Fed in odd pieces: the same digest for every length around the block and padding edges. */
        for (size_t len = 0; len <= 200; len++) {
                sha256(million, len, d);
                sha256_init(&c);
                for (size_t off = 0, step = 1; off < len; off += step, step = step * 3 % 17 + 1)
                        sha256_update(&c, million + off, off + step > len ? len - off : step);
                sha256_final(&c, d2);
                if (memcmp(d, d2, sizeof(d)) != 0) {
                        printf("  sha256 in pieces differs at length %zu\n", len);
                        check(false, "sha256 in pieces");
                        free(million);
                        return;
                }
        }
        check(true, "sha256 in pieces");
        free(million);
}

/* RFC 4231, test cases 1-4, 6 and 7 (5 is a truncated output). */
static void test_hmac(void) {
        uint8_t key[131], data[50], d[SHA256_DIGEST_SIZE];
        const char *tc6 = "Test Using Larger Than Block-Size Key - Hash Key First";
        const char *tc7 = "This is a test using a larger than block-size key and a larger than block-size data. "
                          "The key needs to be hashed before being used by the HMAC algorithm.";

        memset(key, 0x0b, 20);
        hmac_sha256(key, 20, "Hi There", 8, d);
        check_digest(d, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", "hmac rfc4231 1");
        hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
        check_digest(d, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "hmac rfc4231 2");
        memset(key, 0xaa, 20);
        memset(data, 0xdd, 50);
        hmac_sha256(key, 20, data, 50, d);
        check_digest(d, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", "hmac rfc4231 3");
        for (unsigned i = 0; i < 25; i++)
                key[i] = (uint8_t) (i + 1);
        memset(data, 0xcd, 50);
        hmac_sha256(key, 25, data, 50, d);
        check_digest(d, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", "hmac rfc4231 4");
        memset(key, 0xaa, 131);
        hmac_sha256(key, 131, tc6, strlen(tc6), d);
        check_digest(d, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", "hmac rfc4231 6");
        hmac_sha256(key, 131, tc7, strlen(tc7), d);
        check_digest(d, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", "hmac rfc4231 7");
}

static void test_machine_id(void) {
        uint8_t id[MACHINE_ID_SIZE];

        check(machine_id_parse("0123456789abcdef0123456789ABCDEF", id) == 0 && id[0] == 0x01 && id[15] == 0xef,
              "machine-id parse");
        check(machine_id_parse("uninitialized", id) < 0, "machine-id 'uninitialized' refused");
        check(machine_id_parse("", id) < 0, "machine-id empty refused");
        check(machine_id_parse("0123456789abcdef0123456789abcde", id) < 0, "machine-id 31 digits refused");
        check(machine_id_parse("0123456789abcdef0123456789abcdef0", id) < 0, "machine-id 33 digits refused");
        check(machine_id_parse("0123456789abcdef0123456789abcdeg", id) < 0, "machine-id non-hex refused");
        check(machine_id_parse("00000000000000000000000000000000", id) < 0, "machine-id all zeros refused");
}

static int cmp_mac(const void *a, const void *b) {
        return memcmp(a, b, 6);
}

/* 64 PFs x 256 VFs: all locally administered unicast, all distinct, the same when asked again. */
static void test_mac_properties(void) {
        enum { N_PF = 64, N_VF = 256 };
        uint8_t id[MACHINE_ID_SIZE], other[MACHINE_ID_SIZE], (*macs)[6] = xcalloc(N_PF * N_VF, 6);
        bool la = true, unicast = true, stable = true, per_host = true, distinct = true;
        static const char *prefixes[] = { "eno", "enp3s0f", "ens", "eth", "enP2p1s0f", "wan-", "a.b", "x" };

        machine_id_parse("b08dfa6083e7567a1921a715000001fb", id);
        machine_id_parse("b08dfa6083e7567a1921a715000001fc", other);
        for (unsigned p = 0; p < N_PF; p++) {
                char pf[32];

                snprintf(pf, sizeof(pf), "%s%u", prefixes[p % ELEMENTSOF(prefixes)], (unsigned) (p / ELEMENTSOF(prefixes)));
                for (unsigned v = 0; v < N_VF; v++) {
                        uint8_t *m = macs[p * N_VF + v], again[6], elsewhere[6];

                        vf_mac_persistent(id, pf, v, m);
                        vf_mac_persistent(id, pf, v, again);
                        vf_mac_persistent(other, pf, v, elsewhere);
                        la = la && (m[0] & 0x02);
                        unicast = unicast && !(m[0] & 0x01);
                        stable = stable && memcmp(m, again, 6) == 0;
                        per_host = per_host && memcmp(m, elsewhere, 6) != 0;
                }
        }
        qsort(macs, N_PF * N_VF, 6, cmp_mac);
        for (unsigned i = 1; i < N_PF * N_VF; i++)
                if (memcmp(macs[i - 1], macs[i], 6) == 0)
                        distinct = false;
        check(la, "persistent MACs: locally administered bit set");
        check(unicast, "persistent MACs: multicast bit clear");
        check(stable, "persistent MACs: deterministic");
        check(per_host, "persistent MACs: differ with the machine ID");
        check(distinct, "persistent MACs: 16384 PF/VF pairs, no two alike");
        free(macs);
}

static int derive(const char *machine_id, const char *pf, const char *index) {
        uint8_t id[MACHINE_ID_SIZE], mac[6];
        _cleanup_free_ char *s = NULL;

        if (machine_id_parse(machine_id, id) < 0)
                return fprintf(stderr, "bad machine id\n"), EXIT_FAILURE;
        vf_mac_persistent(id, pf, (unsigned) strtoul(index, NULL, 10), mac);
        s = format_mac(mac);
        printf("%s\n", s);
        return EXIT_SUCCESS;
}

int main(int argc, char *argv[]) {
        if (argc == 5 && streq(argv[1], "derive"))
                return derive(argv[2], argv[3], argv[4]);

        test_sha256();
        test_hmac();
        test_machine_id();
        test_mac_properties();
        printf("%u passed, %u failed\n", n_passed, n_failed);
        return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

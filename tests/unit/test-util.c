/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the value parsers and name checks every config key relies on. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static unsigned n_pass, n_fail;

#define CHECK(cond)                                                                     \
        do {                                                                            \
                if (cond)                                                               \
                        n_pass++;                                                       \
                else {                                                                  \
                        n_fail++;                                                       \
                        printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
                }                                                                       \
        } while (0)

static uint64_t size_kb(const char *s) {
        uint64_t kb = 0;
        return parse_size_kb(s, &kb) < 0 ? 0 : kb;
}

int main(void) {
        unsigned long long u;
        uint8_t mac[6];
        unsigned mode;
        char *s;

        /* booleans: the contract's eight words, case-insensitive, nothing else */
        CHECK(parse_boolean("yes") == 1 && parse_boolean("On") == 1 && parse_boolean("TRUE") == 1 && parse_boolean("1") == 1);
        CHECK(parse_boolean("no") == 0 && parse_boolean("off") == 0 && parse_boolean("false") == 0 && parse_boolean("0") == 0);
        CHECK(parse_boolean("") == -EINVAL && parse_boolean("y") == -EINVAL && parse_boolean("yes ") == -EINVAL);

        /* unsigned numbers: digits only, bounded */
        CHECK(parse_uint("0", 10, &u) == 0 && u == 0);
        CHECK(parse_uint("65535", 65535, &u) == 0 && u == 65535);
        CHECK(parse_uint("65536", 65535, &u) == -ERANGE);
        CHECK(parse_uint("-1", 10, &u) == -EINVAL && parse_uint("+1", 10, &u) == -EINVAL);
        CHECK(parse_uint("0x10", 100, &u) == -EINVAL && parse_uint(" 1", 10, &u) == -EINVAL && parse_uint("", 10, &u) == -EINVAL);
        CHECK(parse_uint("99999999999999999999999", UINT64_MAX, &u) == -ERANGE);

        /* hugepage sizes: 1G and 1048576kB name the same size */
        CHECK(size_kb("2M") == 2048 && size_kb("2048kB") == 2048 && size_kb("2048K") == 2048);
        CHECK(size_kb("1G") == 1048576 && size_kb("1048576kB") == 1048576 && size_kb("1GB") == 1048576);
        CHECK(size_kb("0M") == 0 && size_kb("2") == 0 && size_kb("M") == 0 && size_kb("2 M") == 0 && size_kb("2m") == 0);
        CHECK(size_kb("99999999999999999999G") == 0);
        s = format_size_kb(2048);       CHECK(streq(s, "2M")); free(s);
        s = format_size_kb(1048576);    CHECK(streq(s, "1G")); free(s);
        s = format_size_kb(64);         CHECK(streq(s, "64kB")); free(s);
        s = format_size_kb(16777216);   CHECK(streq(s, "16G")); free(s);

        /* UTF-8 as systemd takes it in unit files: no overlong forms, surrogates or noncharacters */
        CHECK(utf8_valid("/srv/\xc3\xa9t\xc3\xa9") && utf8_valid("\xf0\x9f\x98\x80") && utf8_valid("\xef\xbb\xbf"));
        CHECK(!utf8_valid("\xc0\xaf") && !utf8_valid("\xed\xa0\x80") && !utf8_valid("\xf4\x90\x80\x80"));
        CHECK(!utf8_valid("\xef\xbf\xbf") && !utf8_valid("\xef\xbf\xbe") && !utf8_valid("\xef\xb7\x90") &&
              !utf8_valid("\xf0\x9f\xbf\xbf") && utf8_valid("\xef\xb7\xb0"));
        CHECK(!utf8_valid("\xe2\x82") && !utf8_valid("\x80"));

        /* MAC addresses */
        CHECK(parse_mac("02:11:22:33:44:55", mac) == 0 && mac[0] == 2 && mac[5] == 0x55);
        CHECK(parse_mac("02:AB:cd:33:44:55", mac) == 0 && mac[1] == 0xab && mac[2] == 0xcd);
        CHECK(parse_mac("02:11:22:33:44", mac) < 0 && parse_mac("02-11-22-33-44-55", mac) < 0);
        CHECK(parse_mac("02:11:22:33:44:5g", mac) < 0 && parse_mac("02:11:22:33:44:555", mac) < 0);

        /* modes */
        CHECK(parse_mode("1770", &mode) == 0 && mode == 01770);
        CHECK(parse_mode("0755", &mode) == 0 && mode == 0755);
        CHECK(parse_mode("8", &mode) < 0 && parse_mode("17777", &mode) < 0 && parse_mode("", &mode) < 0);

        /* interface names, as the kernel's dev_valid_name() (plus no '%', no control bytes) */
        CHECK(ifname_valid("eno4") && ifname_valid("eth-1") && ifname_valid("a\\b") && ifname_valid(".x"));
        CHECK(ifname_valid("123456789012345") && !ifname_valid("1234567890123456"));
        CHECK(!ifname_valid("") && !ifname_valid(".") && !ifname_valid(".."));
        CHECK(!ifname_valid("a/b") && !ifname_valid("../x") && !ifname_valid("a b") && !ifname_valid("a\tb"));
        CHECK(!ifname_valid("a:b") && !ifname_valid("%i") && !ifname_valid("eth%d") && !ifname_valid("a\nb"));

        /* PCI addresses */
        CHECK(pci_address_valid("0000:03:00.0") && pci_address_valid("0000:af:1f.7") && pci_address_valid("10000:00:01.0"));
        CHECK(!pci_address_valid("03:00.0") && !pci_address_valid("0000:03:20.0") && !pci_address_valid("0000:03:00.8"));
        CHECK(!pci_address_valid("0000:03:00.0x") && !pci_address_valid("000g:03:00.0"));

        /* PCI addresses are normalized to lower case, as the kernel and the loader name them */
        {
                char a[] = "0000:0A:1F.7", b[] = "ABCD0:aF:00.0", c[] = "eno4", d[] = "0000:0G:00.0", e[] = "";
                CHECK(pci_address_normalize(a) && streq(a, "0000:0a:1f.7"));
                CHECK(pci_address_normalize(b) && streq(b, "abcd0:af:00.0"));
                CHECK(!pci_address_normalize(c) && streq(c, "eno4"));
                CHECK(!pci_address_normalize(d) && streq(d, "0000:0G:00.0"));
                CHECK(!pci_address_normalize(e));
        }

        /* word splitting for lists */
        {
                size_t n;
                char **w = split_words("  a\tb  c ", &n);
                CHECK(n == 3 && streq(w[0], "a") && streq(w[2], "c") && w[3] == NULL);
                strv_free(w);
                w = split_words("   ", &n);
                CHECK(n == 0 && w[0] == NULL);
                strv_free(w);
        }

        printf("%u passed, %u failed\n", n_pass, n_fail);
        return n_fail ? 1 : 0;
}

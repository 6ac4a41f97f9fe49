/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util.h"

_Noreturn void oom(void) {
        /* Nothing sensible is left to do; say so and stop. */
        static const char msg[] = "hostvirt: out of memory\n";
        (void) !write(STDERR_FILENO, msg, sizeof(msg) - 1);
        abort();
}

void *xmalloc(size_t n) {
        void *p = malloc(n ? n : 1);
        if (!p)
                oom();
        return p;
}

void *xcalloc(size_t n, size_t size) {
        void *p = calloc(n ? n : 1, size ? size : 1);
        if (!p)
                oom();
        return p;
}

void *xrealloc(void *p, size_t n) {
        p = realloc(p, n ? n : 1);
        if (!p)
                oom();
        return p;
}

void *xgrow(void *v, size_t n, size_t size) {
        size_t cap;

        if (n & (n - 1))
                return v; /* not a power of two (nor 0): the last doubling left room */
        cap = n ? n * 2 : 1;
        if (cap < n || cap > SIZE_MAX / size)
                oom();
        return xrealloc(v, cap * size);
}

char *xstrdup(const char *s) {
        char *p = strdup(s);
        if (!p)
                oom();
        return p;
}

char *xasprintf(const char *fmt, ...) {
        va_list ap;
        char *p;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&p, fmt, ap);
        va_end(ap);
        if (r < 0)
                oom();
        return p;
}

void strv_push(char ***v, size_t *n, char *p) {
        *v = xrealloc(*v, (*n + 2) * sizeof(char *));
        (*v)[(*n)++] = p;
        (*v)[*n] = NULL;
}

void strv_free(char **v) {
        if (!v)
                return;
        for (char **i = v; *i; i++)
                free(*i);
        free(v);
}

bool strv_contains(char *const *v, const char *s) {
        if (!v)
                return false;
        for (; *v; v++)
                if (streq(*v, s))
                        return true;
        return false;
}

bool startswith(const char *s, const char *prefix) {
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool endswith(const char *s, const char *suffix) {
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int parse_boolean(const char *s) {
        static const char *const yes[] = { "1", "yes", "true", "on" };
        static const char *const no[] = { "0", "no", "false", "off" };

        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        }
        return -EINVAL;
}

int parse_uint(const char *s, unsigned long long max, unsigned long long *ret) {
        unsigned long long v = 0;

        /* Digits only: no sign, no blanks, no hex, nothing after the number. */
        if (!*s)
                return -EINVAL;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                if (v > (max - (unsigned) (*s - '0')) / 10)
                        return -ERANGE;
                v = v * 10 + (unsigned) (*s - '0');
        }
        if (v > max)
                return -ERANGE;
        *ret = v;
        return 0;
}

int parse_size_kb(const char *s, uint64_t *ret_kb) {
        static const struct {
                const char *suffix;
                uint64_t factor;
        } units[] = {
                { "kB", 1 }, { "K", 1 }, { "KB", 1 },
                { "M", 1024 }, { "MB", 1024 },
                { "G", 1024 * 1024 }, { "GB", 1024 * 1024 },
        };
        unsigned long long v;
        const char *end = s;
        char num[32];

        while (*end >= '0' && *end <= '9')
                end++;
        if (end == s || (size_t) (end - s) >= sizeof(num))
                return -EINVAL;
        memcpy(num, s, (size_t) (end - s));
        num[end - s] = '\0';

        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                if (!streq(end, units[i].suffix))
                        continue;
                if (parse_uint(num, UINT64_MAX / units[i].factor, &v) < 0)
                        return -ERANGE;
                if (v == 0)
                        return -ERANGE;
                *ret_kb = v * units[i].factor;
                return 0;
        }
        return -EINVAL;
}

int unhexchar(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int parse_mac(const char *s, uint8_t ret[6]) {
        uint8_t mac[6];

        if (strlen(s) != 17)
                return -EINVAL;
        for (int i = 0; i < 6; i++) {
                int hi = unhexchar(s[i * 3]), lo = unhexchar(s[i * 3 + 1]);
                if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
                        return -EINVAL;
                mac[i] = (uint8_t) (hi << 4 | lo);
        }
        memcpy(ret, mac, 6);
        return 0;
}

int parse_mode(const char *s, unsigned *ret) {
        unsigned v = 0;

        if (!*s || strlen(s) > 5)
                return -EINVAL;
        for (; *s; s++) {
                if (*s < '0' || *s > '7')
                        return -EINVAL;
                v = v * 8 + (unsigned) (*s - '0');
        }
        if (v > 07777)
                return -ERANGE;
        *ret = v;
        return 0;
}

char **split_words(const char *s, size_t *ret_n) {
        char **v = NULL;
        size_t n = 0;

        for (;;) {
                const char *e;

                while (*s && isspace((unsigned char) *s))
                        s++;
                if (!*s)
                        break;
                for (e = s; *e && !isspace((unsigned char) *e); e++)
                        ;
                strv_push(&v, &n, strndup(s, (size_t) (e - s)));
                if (!v[n - 1])
                        abort();
                s = e;
        }
        if (!v)
                v = xcalloc(1, sizeof(char *));
        if (ret_n)
                *ret_n = n;
        return v;
}

bool utf8_valid(const char *s) {
        const unsigned char *p = (const unsigned char *) s;

        while (*p) {
                unsigned n, cp;

                if (*p < 0x80) {
                        p++;
                        continue;
                }
                if ((*p & 0xe0) == 0xc0)
                        n = 1, cp = *p & 0x1f;
                else if ((*p & 0xf0) == 0xe0)
                        n = 2, cp = *p & 0x0f;
                else if ((*p & 0xf8) == 0xf0)
                        n = 3, cp = *p & 0x07;
                else
                        return false;
                for (unsigned i = 1; i <= n; i++) {
                        if ((p[i] & 0xc0) != 0x80)
                                return false;
                        cp = cp << 6 | (p[i] & 0x3f);
                }
                /* overlong, beyond Unicode, a surrogate, or a noncharacter (U+FDD0..U+FDEF, U+xxFFFE,
                 * U+xxFFFF), which systemd refuses in unit files as well */
                if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
                    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe)
                        return false;
                p += n + 1;
        }
        return true;
}

bool has_control_chars(const char *s) {
        for (; *s; s++)
                if ((unsigned char) *s < 0x20 || *s == 0x7f)
                        return true;
        return false;
}

bool ifname_valid(const char *s) {
        size_t n = strlen(s);

        /* dev_valid_name() in the kernel: IFNAMSIZ-1 bytes, not "." or "..",
         * no '/', ':' or whitespace.  We also refuse '%' (the kernel takes
         * "name%d" as a template) and control characters. */
        if (n == 0 || n > 15 || streq(s, ".") || streq(s, ".."))
                return false;
        for (; *s; s++) {
                unsigned char c = (unsigned char) *s;
                if (c == '/' || c == ':' || c == '%' || isspace(c) || c < 0x20 || c == 0x7f || c == 0xa0)
                        return false;
        }
        return true;
}

bool pci_address_valid(const char *s) {
        /* domain (4..8 hex digits) ':' bus (2) ':' device (2) '.' function (1) */
        size_t d = 0;

        while (unhexchar(s[d]) >= 0)
                d++;
        if (d < 4 || d > 8 || s[d] != ':')
                return false;
        s += d + 1;
        if (unhexchar(s[0]) < 0 || unhexchar(s[1]) < 0 || s[2] != ':')
                return false;
        if (unhexchar(s[3]) < 0 || unhexchar(s[4]) < 0 || s[5] != '.')
                return false;
        if (unhexchar(s[3]) * 16 + unhexchar(s[4]) > 0x1f)
                return false;
        return s[6] >= '0' && s[6] <= '7' && s[7] == '\0';
}

char *format_size_kb(uint64_t kb) {
        if (kb % (1024 * 1024) == 0)
                return xasprintf("%" PRIu64 "G", kb / (1024 * 1024));
        if (kb % 1024 == 0)
                return xasprintf("%" PRIu64 "M", kb / 1024);
        return xasprintf("%" PRIu64 "kB", kb);
}

char *format_mac(const uint8_t m[6]) {
        return xasprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

int read_one_line(const char *path, char **ret) {
        char buf[4096];
        ssize_t n;
        int fd;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        n = read(fd, buf, sizeof(buf) - 1);
        if (n < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        close(fd);
        buf[n] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        *ret = xstrdup(buf);
        return 0;
}

int write_string(const char *path, const char *value) {
        size_t len = strlen(value);
        ssize_t n;
        int fd, r = 0;

        /* O_TRUNC so that a fake sysfs file (a regular file) reads back like sysfs */
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_TRUNC);
        if (fd < 0)
                return -errno;
        n = write(fd, value, len);
        if (n < 0)
                r = -errno;
        else if ((size_t) n != len)
                r = -EIO;
        if (close(fd) < 0 && r == 0)
                r = -errno;
        return r;
}

int read_uint(const char *path, unsigned long long *ret) {
        _cleanup_free_ char *s = NULL;
        int r;

        r = read_one_line(path, &s);
        if (r < 0)
                return r;
        if (parse_uint(s, UINT64_MAX, ret) < 0)
                return -EBADMSG;
        return 0;
}

bool pci_address_normalize(char *s) {
        if (!pci_address_valid(s))
                return false;
        for (; *s; s++)
                if (*s >= 'A' && *s <= 'F')
                        *s = (char) (*s - 'A' + 'a');
        return true;
}

char *strjoin_internal(const char *first, ...) {
        va_list ap;
        size_t n = 0;
        char *r, *p;

        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *))
                n += strlen(s);
        va_end(ap);
        r = p = xmalloc(n + 1);
        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *)) {
                size_t k = strlen(s);
                memcpy(p, s, k);
                p += k;
        }
        va_end(ap);
        *p = '\0';
        return r;
}

char *path_normalize(const char *v) {
        char *out = xmalloc(strlen(v) + 2), *t = out;

        for (const char *s = v; *s; ) {
                if (*s == '/' && (s[1] == '/' || s[1] == '\0' || (s[1] == '.' && (s[2] == '/' || s[2] == '\0')))) {
                        s += s[1] == '.' ? 2 : 1;
                        continue;
                }
                *t++ = *s++;
        }
        if (t == out)
                *t++ = '/';
        *t = '\0';
        return out;
}

const char *path_rule_find(const struct path_rule *rules, size_t n, const char *norm) {
        for (size_t i = 0; i < n; i++) {
                size_t len = strlen(rules[i].path);

                if (streq(norm, rules[i].path) || (rules[i].below && strncmp(norm, rules[i].path, len) == 0 &&
                                                   norm[len] == '/'))
                        return rules[i].path;
        }
        return NULL;
}

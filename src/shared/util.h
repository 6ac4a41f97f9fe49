/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p) {
        free(*(void **) p);
}
static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* says "out of memory" and aborts: what the x*() allocators do when allocation fails */
_Noreturn void oom(void);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Room for element n of an array of n elements that grows one at a time and through nothing
 * else: the capacity doubles when n is 0 or a power of two, so n appends cost O(n) in all. */
void *xgrow(void *v, size_t n, size_t size);
#define XGROW(v, n) ((v) = xgrow((v), (n), sizeof(*(v))))
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The strings up to a NULL, joined (cheaper than xasprintf() where it runs per line). */
char *strjoin_internal(const char *first, ...);
#define strjoin(...) strjoin_internal(__VA_ARGS__, (const char *) NULL)
/* Appends p to the NULL-terminated vector *v of *n entries. */
void strv_push(char ***v, size_t *n, char *p);
void strv_free(char **v);
bool strv_contains(char *const *v, const char *s);

static inline bool streq(const char *a, const char *b) {
        return strcmp(a, b) == 0;
}
bool startswith(const char *s, const char *prefix);
bool endswith(const char *s, const char *suffix);

/* Strict value parsers: the whole string must match; return 0 or -EINVAL/-ERANGE. */
int parse_boolean(const char *s);                     /* 1, 0, or -EINVAL */
int parse_uint(const char *s, unsigned long long max, unsigned long long *ret);
int parse_size_kb(const char *s, uint64_t *ret_kb);   /* "2M", "1G", "2048kB", "1048576kB" */
/* The value of one hex digit, or -1. */
int unhexchar(char c);
int parse_mac(const char *s, uint8_t ret[6]);         /* aa:bb:cc:dd:ee:ff */
int parse_mode(const char *s, unsigned *ret);         /* octal, <= 07777 */
/* Splits on whitespace into a NULL-terminated vector. */
char **split_words(const char *s, size_t *ret_n);

/* Valid UTF-8 as systemd takes it (no overlong forms, surrogates or noncharacters). */
bool utf8_valid(const char *s);
/* Any byte below 0x20 or 0x7f (tab included). */
bool has_control_chars(const char *s);
/* "/dev//hp/./x/" -> "/dev/hp/x": one spelling for one absolute path (".." is left as it is). */
char *path_normalize(const char *v);
/* A path, and whether every path under it counts too. */
struct path_rule {
        const char *path;
        bool below;
};
/* The path of the first of the n rules that norm (normalized) is, or is under; NULL when none. */
const char *path_rule_find(const struct path_rule *rules, size_t n, const char *norm);

/* Kernel rules for a network interface name (dev_valid_name()). */
bool ifname_valid(const char *s);
/* DDDD:BB:DD.F, in hex of either case (the kernel prints lower case: see pci_address_normalize()). */
bool pci_address_valid(const char *s);

/* "2M", "1G", otherwise "NkB": the canonical name of a hugepage size. */
char *format_size_kb(uint64_t kb);
char *format_mac(const uint8_t mac[6]);

/* Reads a whole small file, strips one trailing newline. */
int read_one_line(const char *path, char **ret);
/* Writes "value\n"-less string with one write(); returns -errno. */
int write_string(const char *path, const char *value);
int read_uint(const char *path, unsigned long long *ret);
/*
 * When s is a valid PCI address (any case), lower-cases it in place, as the kernel names the
 * device in sysfs and as the loader names [SR-IOV ADDRESS], and returns true; otherwise leaves
 * s alone and returns false.  Every program taking a PF name from its user goes through this.
 */
bool pci_address_normalize(char *s);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fault-inject.so: an LD_PRELOAD shim that makes a fake sysfs tree fail, or
 * stop, the way the kernel's would — for the faults suite only.
 *
 * A fake sysfs tree is made of plain files, which take any write.  The kernel
 * refuses some (EBUSY: VFs in use or a non-zero count change; EINVAL: a value
 * the driver rejects; ENOMEM: no memory for the VFs), and a helper can be
 * killed while it is between two writes.  Neither can be had from a plain
 * file (chattr +i gives EPERM only, a read-only mount EROFS only), and FUSE
 * is a whole file system to write; so the helper's own write() is wrapped.
 *
 * Every file whose path holds "/sys/" is treated as a sysfs attribute:
 *   - O_TRUNC is dropped at open and a write() replaces the content (sysfs
 *     ignores O_TRUNC; a write that fails leaves the old value, as in the
 *     kernel, instead of an empty file);
 *   - FAULT_LOG=FILE appends "PATH=VALUE" for each write (the test's record of
 *     what was written, in order);
 *   - the FAULT_NTH-th (default 1st; "N+": that one and all later ones;
 *     "N,M": those) write to a path holding FAULT_MATCH (default "/sys/")
 *     is the fault: with FAULT_ERRNO=EBUSY|EINVAL|ENOMEM|
 *     EIO|EPERM or a number it fails with that error and changes nothing; with
 *     FAULT_BLOCK=FILE it creates FILE and stops before writing, until killed.
 * FAULT_SENDTO_NTH=N moves the fault to the N-th sendto() on a netlink socket
 * (a helper stopped between two rtnetlink requests), with FAULT_BLOCK or
 * FAULT_ERRNO; sysfs writes then only emulate and log.  Every netlink
 * sendto() is logged to FAULT_LOG as "netlink=request".
 *
 * FAULT_HUGEPAGES_LIMIT="SIZE[@NODE]=MAX[+STEP] ..." plays a kernel that is short of
 * hugepages, which a plain file never is: a count written to the nr_hugepages file of
 * that page size (SIZE as hostvirt-hugepages names it: 2M, 1G, 64kB), of NUMA node NODE
 * or (without @NODE) of the global pool, is cut to MAX plus STEP for every write to
 * .../proc/sys/vm/compact_memory so far (compaction finding more pages).  The write
 * succeeds with the whole count, as the kernel's does, and the file then holds what
 * was granted.
 *
 * The files of the real kernel (sysfs, procfs: the hugepages suite runs the helper on
 * the real /sys) are written as they are, without the plain-file emulation above; the
 * faults, the limit and FAULT_LOG apply to them all the same.
 */
#undef _FORTIFY_SOURCE
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static ssize_t (*real_sendto)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);

static unsigned n_matching_writes, n_sendtos, n_compactions;

__attribute__((constructor)) static void fault_init(void) {
        real_write = (ssize_t (*)(int, const void *, size_t)) dlsym(RTLD_NEXT, "write");
        real_open = (int (*)(const char *, int, ...)) dlsym(RTLD_NEXT, "open");
        real_open64 = (int (*)(const char *, int, ...)) dlsym(RTLD_NEXT, "open64");
        real_openat = (int (*)(int, const char *, int, ...)) dlsym(RTLD_NEXT, "openat");
        real_openat64 = (int (*)(int, const char *, int, ...)) dlsym(RTLD_NEXT, "openat64");
        real_sendto = (ssize_t (*)(int, const void *, size_t, int, const struct sockaddr *, socklen_t))
                dlsym(RTLD_NEXT, "sendto");
}

static bool is_sysfs(const char *path) {
        return path && strstr(path, "/sys/");
}

static int parse_errno(const char *s) {
        static const struct { const char *name; int value; } names[] = {
                { "EBUSY", EBUSY }, { "EINVAL", EINVAL }, { "ENOMEM", ENOMEM }, { "EIO", EIO },
                { "EPERM", EPERM }, { "ENODEV", ENODEV }, { "ENOSPC", ENOSPC }, { "EAGAIN", EAGAIN },
        };

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (strcmp(s, names[i].name) == 0)
                        return names[i].value;
        return atoi(s);
}

/* The fault, when it is due: fails with FAULT_ERRNO (returns it) or stops for good. */
static int fault_now(void) {
        const char *block = getenv("FAULT_BLOCK"), *e = getenv("FAULT_ERRNO");

        if (block) {
                int fd = real_open(block, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                if (fd >= 0)
                        close(fd);
                for (;;)
                        pause(); /* until the test's SIGKILL */
        }
        return e ? parse_errno(e) : 0;
}

/* nth: "N" (that one), "N+" (that one and every later one), or "N,M,..." */
static bool due(unsigned n, const char *nth) {
        char *end;

        if (!nth)
                return n == 1;
        for (const char *p = nth; *p; p = *end ? end + 1 : end) {
                unsigned long k = strtoul(p, &end, 10);
                if (end == p)
                        return false;
                if (*end == '+')
                        return n >= k;
                if (n == k)
                        return true;
        }
        return false;
}

static void log_write(const char *path, const void *buf, size_t n) {
        const char *log = getenv("FAULT_LOG");
        char line[4096];
        int fd, len;

        if (!log)
                return;
        len = snprintf(line, sizeof(line), "%s=%.*s\n", path, (int) (n && ((const char *) buf)[n - 1] == '\n' ? n - 1 : n),
                       (const char *) buf);
        fd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0)
                return;
        (void) real_write(fd, line, len > 0 && (size_t) len < sizeof(line) ? (size_t) len : 0);
        close(fd);
}

/* The last occurrence of needle in s (a test's temporary directory may hold any name). */
static const char *last_strstr(const char *s, const char *needle) {
        const char *last = NULL;

        for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
                last = p;
        return last;
}

/* "2M", "1G", "64kB": the page size of a ".../hugepages-NkB/nr_hugepages" path, as
 * hostvirt-hugepages names it; false for any other path. */
static bool hugepages_size(const char *path, char *ret, size_t size) {
        const char *p = last_strstr(path, "/hugepages-"), *end = strrchr(path, '/');
        unsigned long long kb;
        char *e;

        if (!p || !end || strcmp(end, "/nr_hugepages") != 0)
                return false;
        kb = strtoull(p + strlen("/hugepages-"), &e, 10);
        if (e == p + strlen("/hugepages-") || strncmp(e, "kB/", 3) != 0 || e + 2 != end || kb == 0)
                return false;
        if (kb % (1024 * 1024) == 0)
                snprintf(ret, size, "%lluG", kb / (1024 * 1024));
        else if (kb % 1024 == 0)
                snprintf(ret, size, "%lluM", kb / 1024);
        else
                snprintf(ret, size, "%llukB", kb);
        return true;
}

/*
 * FAULT_HUGEPAGES_LIMIT for the pool of path: 1 and the count it grants now in *ret,
 * 0 when it sets none, -1 when it cannot be parsed (said on stderr).
 */
static int hugepages_limit(const char *path, unsigned long long *ret) {
        const char *spec = getenv("FAULT_HUGEPAGES_LIMIT"), *node;
        char size[32], key[64];
        int r = 0;

        if (!spec || !hugepages_size(path, size, sizeof(size)))
                return 0;
        node = last_strstr(path, "/devices/system/node/node");
        if (node)
                snprintf(key, sizeof(key), "%s@%lu=", size,
                         strtoul(node + strlen("/devices/system/node/node"), NULL, 10));
        else
                snprintf(key, sizeof(key), "%s=", size);

        for (const char *w = spec; *w;) {
                size_t len = strcspn(w, " \t");
                char word[128], *plus, *e1, *e2 = NULL;
                unsigned long long max, step = 0;

                if (len > 0 && len < sizeof(word) && strncmp(w, key, strlen(key)) == 0) {
                        memcpy(word, w, len);
                        word[len] = '\0';
                        plus = strchr(word, '+');
                        if (plus) {
                                *plus = '\0';
                                step = strtoull(plus + 1, &e2, 10);
                        }
                        max = strtoull(word + strlen(key), &e1, 10);
                        if (e1 == word + strlen(key) || *e1 || (plus && (e2 == plus + 1 || *e2))) {
                                fprintf(stderr, "fault-inject: invalid word '%.*s' in FAULT_HUGEPAGES_LIMIT\n",
                                        (int) len, w);
                                return -1;
                        }
                        *ret = max + step * n_compactions;
                        r = 1;
                        break;
                }
                w += len;
                w += strspn(w, " \t");
        }
        return r;
}

/* A plain file standing in for one of the kernel's, not one of the kernel's own. */
static bool is_fake(int fd) {
        struct statfs sfs;

        return fstatfs(fd, &sfs) < 0 || (sfs.f_type != SYSFS_MAGIC && sfs.f_type != PROC_SUPER_MAGIC);
}

ssize_t write(int fd, const void *buf, size_t n) {
        char link[64], path[4096], granted[32];
        const char *match = getenv("FAULT_MATCH");
        const void *data = buf;
        size_t len = n;
        unsigned long long want, limit;
        struct stat st;
        ssize_t l;
        int err, r;

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        l = readlink(link, path, sizeof(path) - 1);
        if (l <= 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return real_write(fd, buf, n);
        path[l] = '\0';
        if (!is_sysfs(path))
                return real_write(fd, buf, n);

        if (!getenv("FAULT_SENDTO_NTH") && strstr(path, match ? match : "/sys/") &&
            due(++n_matching_writes, getenv("FAULT_NTH"))) {
                err = fault_now();
                if (err > 0) {
                        errno = err;
                        return -1;
                }
        }

        /* a kernel short of pages grants fewer than asked, and says nothing */
        r = hugepages_limit(path, &limit);
        if (r < 0) {
                errno = EINVAL;
                return -1;
        }
        if (r > 0 && n > 0 && n < sizeof(granted)) {
                char *e;

                memcpy(granted, buf, n);
                granted[n] = '\0';
                want = strtoull(granted, &e, 10);
                if (e != granted && (*e == '\0' || strcmp(e, "\n") == 0) && want > limit) {
                        len = (size_t) snprintf(granted, sizeof(granted), "%llu", limit);
                        data = granted;
                }
        }

        if (is_fake(fd)) {
                /* as sysfs: the value written replaces the old one */
                if (ftruncate(fd, 0) < 0)
                        return -1;
                l = pwrite(fd, data, len, 0);
        } else
                l = real_write(fd, data, len);
        if (l < 0)
                return l;
        log_write(path, buf, n); /* what the helper wrote, not what it was granted */
        if (strlen(path) >= strlen("/proc/sys/vm/compact_memory") &&
            strcmp(path + strlen(path) - strlen("/proc/sys/vm/compact_memory"), "/proc/sys/vm/compact_memory") == 0)
                n_compactions++;
        return (size_t) l == len ? (ssize_t) n : l;
}

/* sysfs ignores O_TRUNC: a fake attribute must not lose its value before the write is refused */
static int sysfs_flags(int dirfd, const char *path, int flags) {
        struct stat st;

        if (!(flags & O_TRUNC) || !(is_sysfs(path) || dirfd != AT_FDCWD))
                return flags;
        if (dirfd != AT_FDCWD) {
                char link[64], dir[4096];
                ssize_t l;

                snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
                l = readlink(link, dir, sizeof(dir) - 1);
                if (l <= 0)
                        return flags;
                dir[l] = '\0';
                if (!is_sysfs(dir) && !is_sysfs(path))
                        return flags;
        }
        if (fstatat(dirfd, path, &st, 0) < 0 || !S_ISREG(st.st_mode))
                return flags;
        return flags & ~O_TRUNC;
}

#define MODE_ARG(flags, mode)                                   \
        do {                                                    \
                if ((flags) & (O_CREAT | O_TMPFILE)) {          \
                        va_list ap;                             \
                        va_start(ap, flags);                    \
                        mode = va_arg(ap, int);                 \
                        va_end(ap);                             \
                }                                               \
        } while (0)

int open(const char *path, int flags, ...) {
        int mode = 0;
        MODE_ARG(flags, mode);
        return real_open(path, sysfs_flags(AT_FDCWD, path, flags), mode);
}

int open64(const char *path, int flags, ...) {
        int mode = 0;
        MODE_ARG(flags, mode);
        return real_open64(path, sysfs_flags(AT_FDCWD, path, flags), mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
        int mode = 0;
        MODE_ARG(flags, mode);
        return real_openat(dirfd, path, sysfs_flags(dirfd, path, flags), mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
        int mode = 0;
        MODE_ARG(flags, mode);
        return real_openat64(dirfd, path, sysfs_flags(dirfd, path, flags), mode);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to, socklen_t tolen) {
        const char *nth = getenv("FAULT_SENDTO_NTH");
        int domain = 0, err;
        socklen_t len = sizeof(domain);

        if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 || domain != AF_NETLINK)
                return real_sendto(fd, buf, n, flags, to, tolen);
        if (getenv("FAULT_LOG"))
                log_write("netlink", "request", strlen("request"));
        if (nth && due(++n_sendtos, nth)) {
                err = fault_now();
                if (err > 0) {
                        errno = err;
                        return -1;
                }
        }
        return real_sendto(fd, buf, n, flags, to, tolen);
}

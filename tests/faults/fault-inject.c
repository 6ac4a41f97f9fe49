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
#include <unistd.h>

static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static ssize_t (*real_sendto)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);

static unsigned n_matching_writes, n_sendtos;

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

ssize_t write(int fd, const void *buf, size_t n) {
        char link[64], path[4096];
        const char *match = getenv("FAULT_MATCH");
        struct stat st;
        ssize_t l;
        int err;

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
        /* as sysfs: the value written replaces the old one */
        if (ftruncate(fd, 0) < 0)
                return -1;
        l = pwrite(fd, buf, n, 0);
        if (l >= 0)
                log_write(path, buf, n);
        return l;
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

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostvirt-hugepages start|stop SIZE — the helper of hostvirt-hugepages@SIZE.service.
 *
 * start: sets the hugepage pool of one page size to what [Hugepages SIZE]
 * asks for, globally (Pages=) or per NUMA node (NodePages=), compacting
 * memory and retrying when the kernel falls short, and logs what it got.
 * Before it changes anything it records the counts it found under
 * /run/hostvirt/hugepages/SIZE.
 *
 * stop: puts back exactly the recorded counts and forgets them.  It needs no
 * configuration, so it also undoes a start whose section was edited since.
 *
 * Pages that were there before start (reserved on the kernel command line,
 * by sysctl.d, by hand) are never released: start only ever raises a count,
 * and stop goes back to what was found.  Gigantic pages given up at runtime
 * can rarely be had again until the next boot.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helper.h"
#include "model.h"
#include "log.h"
#include "root.h"
#include "util.h"

/* How often a short allocation is retried after compacting memory. */
#define COMPACT_RETRIES 3

#define STATE_DIR "/run/hostvirt/hugepages"

/* One nr_hugepages file: the global pool of a size, or one node's share. */
struct pool {
        int node;                /* -1: the global pool */
        char *path;              /* under HOSTVIRT_ROOT */
        unsigned long long found; /* the count before the first start */
        unsigned long long want;  /* what the config asks for; 0 when not asked */
        bool asked;              /* part of the current config */
        unsigned long long got;   /* read back after writing */
        bool written;            /* changed by this run: undo on failure */
};

struct pools {
        struct pool *p;
        size_t n;
};

static void pools_done(struct pools *ps) {
        for (size_t i = 0; i < ps->n; i++)
                free(ps->p[i].path);
        free(ps->p);
        ps->p = NULL;
        ps->n = 0;
}

static char *pool_path(uint64_t kb, int node) {
        _cleanup_free_ char *p = NULL;

        if (node < 0)
                p = xasprintf("/sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB/nr_hugepages", kb);
        else
                p = xasprintf("/sys/devices/system/node/node%d/hugepages/hugepages-%" PRIu64 "kB/nr_hugepages",
                              node, kb);
        return root_path(p);
}

static struct pool *pools_find(struct pools *ps, int node) {
        for (size_t i = 0; i < ps->n; i++)
                if (ps->p[i].node == node)
                        return &ps->p[i];
        return NULL;
}

static struct pool *pools_add(struct pools *ps, uint64_t kb, int node) {
        struct pool *p = pools_find(ps, node);

        if (p)
                return p;
        ps->p = xrealloc(ps->p, (ps->n + 1) * sizeof(struct pool));
        p = &ps->p[ps->n++];
        *p = (struct pool) { .node = node, .path = pool_path(kb, node) };
        return p;
}

/* "node 0" or "the global pool", for messages. */
static const char *pool_name(const struct pool *p, char buf[static 32]) {
        if (p->node < 0)
                return "the global pool";
        snprintf(buf, 32, "node %d", p->node);
        return buf;
}

/* The kernel may grant fewer pages than asked, and says so only in what reads back. */
static int pool_write(struct pool *p, unsigned long long count) {
        char buf[32];

        snprintf(buf, sizeof(buf), "%llu", count);
        return write_string(p->path, buf);
}

static int pool_read_back(struct pool *p) {
        return read_uint(p->path, &p->got);
}

/* ---- the record of what start found ---- */

static char *state_path(const char *size) {
        _cleanup_free_ char *p = xasprintf(STATE_DIR "/%s", size);
        return root_path(p);
}

static int mkdir_parents(const char *path) {
        _cleanup_free_ char *p = xstrdup(path);

        for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = '\0';
                if (mkdir(p, 0755) < 0 && errno != EEXIST)
                        return -errno;
                *s = '/';
        }
        return 0;
}

/*
 * The record is read as strictly as the configuration: stop writes what it says into the
 * kernel's pools, so a line that is not exactly what state_save() writes means the file is
 * not ours (or was damaged), and it is refused whole, before anything is written.
 *
 *   # comment            (and empty lines)
 *   global COUNT         the global pool
 *   nodeN COUNT          NUMA node N's pool
 *
 * one blank between the two, decimal digits without leading zeros, N and COUNT within the
 * bounds of NodePages= and Pages= in hostvirt.conf(5), each pool at most once, at least one
 * pool, every line ended by a newline, UTF-8 without control characters, no line longer than
 * RECORD_MAX_LINE, no file larger than RECORD_MAX_SIZE.
 */
#define RECORD_MAX_NODE 1023ULL
#define RECORD_MAX_PAGES ((unsigned long long) LONG_MAX / 2)
#define RECORD_MAX_LINE 256
#define RECORD_MAX_SIZE (64 * 1024) /* "larger than 64 KiB" below */

/* A number as "%llu" writes it: digits, no leading zero, at most max. */
static int parse_record_uint(const char *s, unsigned long long max, unsigned long long *ret) {
        if (s[0] == '0' && s[1] != '\0')
                return -EINVAL;
        return parse_uint(s, max, ret);
}

/* One line without its newline; on failure, *ret_reason says why (allocated). */
static int state_parse_line(const char *line, int *ret_node, unsigned long long *ret_count, char **ret_reason) {
        _cleanup_free_ char *what = NULL;
        const char *sp = strchr(line, ' ');
        unsigned long long count, n;
        int node = -1;

        if (!sp || sp == line || strchr(sp + 1, ' ') || !sp[1]) {
                *ret_reason = xasprintf("'%s' is not 'global COUNT' or 'nodeN COUNT'", line);
                return -EBADMSG;
        }
        what = strndup(line, (size_t) (sp - line));
        if (!what)
                oom();
        if (startswith(what, "node") && what[4] != '\0') {
                if (parse_record_uint(what + 4, RECORD_MAX_NODE, &n) < 0) {
                        *ret_reason = xasprintf("invalid NUMA node '%s' (node0 to node%llu)", what, RECORD_MAX_NODE);
                        return -EBADMSG;
                }
                node = (int) n;
        } else if (!streq(what, "global")) {
                *ret_reason = xasprintf("unknown pool '%s' (global or nodeN)", what);
                return -EBADMSG;
        }
        if (parse_record_uint(sp + 1, RECORD_MAX_PAGES, &count) < 0) {
                *ret_reason = xasprintf("invalid page count '%s' (0 to %llu)", sp + 1, RECORD_MAX_PAGES);
                return -EBADMSG;
        }

        *ret_node = node;
        *ret_count = count;
        return 0;
}

/* Says why the record is refused (at line, or the whole file when 0); returns -EBADMSG. */
static int state_refuse(const char *path, const char *size, unsigned line, const char *reason) {
        if (line > 0)
                log_error("%s:%u: %s.", path, line, reason);
        else
                log_error("%s: %s.", path, reason);
        log_error("%s: %s is not a valid record of the counts found at start: refusing it whole, "
                  "nothing changed (remove it to forget those counts).", size, path);
        return -EBADMSG;
}

/*
 * Adds every recorded pool to ps with its found count; returns their number, 0 when there is
 * no record, or a negative errno, logged (-EBADMSG: the record is not valid, nothing added is
 * to be used).
 */
static int state_load(const char *path, const char *size, uint64_t kb, struct pools *ps) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL, *reason = NULL;
        size_t alloc = 0;
        unsigned lineno = 0;
        struct stat st;
        ssize_t len;
        int fd, r, n = 0;

        /* O_NONBLOCK: a FIFO put there is refused below, not waited on */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0 && errno == ENOENT)
                return 0;
        if (fd < 0 || fstat(fd, &st) < 0) {
                r = log_error_errno(errno, "%s: failed to read the record %s: %m", size, path);
                if (fd >= 0)
                        close(fd);
                return r;
        }
        if (!S_ISREG(st.st_mode) || st.st_size > RECORD_MAX_SIZE) {
                close(fd);
                return state_refuse(path, size, 0, !S_ISREG(st.st_mode) ? "not a regular file"
                                                                         : "larger than 64 KiB");
        }
        f = fdopen(fd, "r");
        if (!f) {
                r = log_error_errno(errno, "%s: failed to read the record %s: %m", size, path);
                close(fd);
                return r;
        }

        while ((len = getline(&line, &alloc, f)) >= 0) {
                unsigned long long count = 0;
                int node = -1;

                lineno++;
                if ((size_t) len > RECORD_MAX_LINE)
                        reason = xasprintf("line longer than %d bytes", RECORD_MAX_LINE);
                else if (len == 0 || line[len - 1] != '\n')
                        reason = xstrdup("no newline at the end of the line (a truncated record?)");
                else if (memchr(line, '\0', (size_t) len))
                        reason = xstrdup("NUL byte in the line");
                else {
                        line[len - 1] = '\0';
                        if (has_control_chars(line))
                                reason = xstrdup("control character in the line");
                        else if (!utf8_valid(line))
                                reason = xstrdup("the line is not UTF-8");
                        else if (line[0] == '#' || line[0] == '\0')
                                continue;
                        else if (state_parse_line(line, &node, &count, &reason) >= 0 && pools_find(ps, node))
                                reason = node < 0 ? xstrdup("the global pool is recorded twice")
                                                  : xasprintf("node %d is recorded twice", node);
                }
                if (reason)
                        break;
                pools_add(ps, kb, node)->found = count;
                n++;
        }
        if (!reason && ferror(f))
                return log_error_errno(EIO, "%s: failed to read the record %s: %m", size, path);
        if (!reason && n == 0) {
                reason = xstrdup("the record names no pool");
                lineno = 0;
        }
        if (reason)
                return state_refuse(path, size, lineno, reason);
        return n;
}

/* Written to a temporary file and renamed, so a crash leaves the old record or the new one. */
static int state_save(const char *path, const char *size, const struct pools *ps) {
        _cleanup_free_ char *tmp = xasprintf("%s.tmp", path);
        FILE *f;
        int r;

        r = mkdir_parents(path);
        if (r < 0)
                return r;

        f = fopen(tmp, "wxe");
        if (!f && errno == EEXIST) {
                /* left over from a crash: ours to replace */
                (void) unlink(tmp);
                f = fopen(tmp, "wxe");
        }
        if (!f)
                return -errno;

        fprintf(f, "# hostvirt-hugepages %s: the counts found before start; stop puts them back\n", size);
        for (size_t i = 0; i < ps->n; i++) {
                if (ps->p[i].node < 0)
                        fprintf(f, "global %llu\n", ps->p[i].found);
                else
                        fprintf(f, "node%d %llu\n", ps->p[i].node, ps->p[i].found);
        }

        r = fflush(f) == 0 && !ferror(f) ? 0 : -errno;
        if (fclose(f) < 0 && r == 0)
                r = -errno;
        if (r == 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                (void) unlink(tmp);
        return r;
}

/* ---- start ---- */

static int cmp_u64(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return x < y ? -1 : x > y;
}

/* "2M 1G": the sizes this kernel offers, smallest first. */
static int list_sizes(char **ret) {
        _cleanup_free_ char *dir = root_path("/sys/kernel/mm/hugepages");
        _cleanup_free_ uint64_t *kbs = NULL;
        struct dirent *de;
        size_t n = 0;
        char *s;
        DIR *d;

        d = opendir(dir);
        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                uint64_t kb;

                if (!startswith(de->d_name, "hugepages-") ||
                    parse_size_kb(de->d_name + strlen("hugepages-"), &kb) < 0)
                        continue;
                kbs = xrealloc(kbs, (n + 1) * sizeof(uint64_t));
                kbs[n++] = kb;
        }
        closedir(d);

        qsort(kbs, n, sizeof(uint64_t), cmp_u64);
        s = xstrdup("");
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *name = format_size_kb(kbs[i]), *old = s;
                s = xasprintf("%s%s%s", old, i > 0 ? " " : "", name);
        }
        *ret = s;
        return 0;
}

static int check_size(const char *size, uint64_t kb) {
        _cleanup_free_ char *rel = xasprintf("/sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB", kb);
        _cleanup_free_ char *dir = root_path(rel), *sizes = NULL;
        struct stat st;

        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
                return 0;
        if (list_sizes(&sizes) < 0 || !*sizes)
                log_error("%s: this kernel offers no hugepages (no %s).", size, rel);
        else
                log_error("%s: this kernel has no %s pages (%s is missing); it offers: %s.",
                          size, size, rel, sizes);
        return -EOPNOTSUPP;
}

static int check_node(const char *size, uint64_t kb, unsigned node) {
        _cleanup_free_ char *rel = xasprintf("/sys/devices/system/node/node%u", node);
        _cleanup_free_ char *dir = root_path(rel), *pool = pool_path(kb, (int) node);
        struct stat st;

        if (stat(dir, &st) < 0) {
                log_error("%s: NodePages= names NUMA node %u, but there is no %s.", size, node, rel);
                return -ENODEV;
        }
        if (access(pool, F_OK) < 0) {
                log_error("%s: NUMA node %u has no %s pool (%s).", size, node, size, pool);
                return -EOPNOTSUPP;
        }
        return 0;
}

/* The pools the config asks for, with the counts wanted; the nodes must exist. */
static int pools_from_config(const struct conf_hugepages *h, struct pools *ps) {
        if (h->pages != CONF_UNSET) {
                struct pool *p = pools_add(ps, h->size_kb, -1);
                p->want = (unsigned long long) h->pages;
                p->asked = true;
                return 0;
        }

        for (size_t i = 0; i < h->n_node_pages; i++) {
                int r = check_node(h->name, h->size_kb, h->node_pages[i].node);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < h->n_node_pages; i++) {
                struct pool *p = pools_add(ps, h->size_kb, (int) h->node_pages[i].node);
                p->want = h->node_pages[i].pages;
                p->asked = true;
        }
        return 0;
}

static unsigned long long pool_target(const struct pool *p) {
        /* Never below what was there: those pages are not ours to release. */
        return p->asked && p->want > p->found ? p->want : p->found;
}

static bool pools_short(const struct pools *ps) {
        for (size_t i = 0; i < ps->n; i++)
                if (ps->p[i].got < pool_target(&ps->p[i]))
                        return true;
        return false;
}

static int compact_memory(void) {
        _cleanup_free_ char *p = root_path("/proc/sys/vm/compact_memory");

        return write_string(p, "1");
}

/* Writes every target, then compacts and rewrites the short ones a bounded number of times. */
static int pools_allocate(struct pools *ps, const char *size) {
        int r;

        for (unsigned attempt = 0;; attempt++) {
                for (size_t i = 0; i < ps->n; i++) {
                        struct pool *p = &ps->p[i];
                        char buf[32];

                        if (attempt > 0 && p->got >= pool_target(p))
                                continue;
                        r = pool_write(p, pool_target(p));
                        if (r < 0)
                                return log_error_errno(r, "%s: failed to set %s to %llu pages (%s): %m",
                                                       size, pool_name(p, buf), pool_target(p), p->path);
                        p->written = true;
                        r = pool_read_back(p);
                        if (r < 0)
                                return log_error_errno(r, "%s: failed to read back %s: %m", size, p->path);
                }
                if (!pools_short(ps) || attempt >= COMPACT_RETRIES)
                        return 0;

                /* Free memory in pieces too small for a page: compaction can join them. */
                log_info("%s: short of pages, compacting memory and trying again (%u of %u).",
                         size, attempt + 1, COMPACT_RETRIES);
                r = compact_memory();
                if (r < 0)
                        log_warning_errno(r, "%s: failed to compact memory, trying again anyway: %m", size);
        }
}

/*
 * Puts the pools back to their found counts (all, or only those this run
 * wrote: a write the kernel refused changed nothing); returns the first
 * error (logged).
 */
static int pools_restore(struct pools *ps, const char *size, bool only_written) {
        int ret = 0;

        for (size_t i = 0; i < ps->n; i++) {
                struct pool *p = &ps->p[i];
                char buf[32];
                int r;

                if (only_written && !p->written)
                        continue;

                r = pool_write(p, p->found);
                if (r >= 0)
                        r = pool_read_back(p);
                if (r < 0) {
                        log_error_errno(r, "%s: failed to put %s back to %llu pages: %m",
                                        size, pool_name(p, buf), p->found);
                        if (ret == 0)
                                ret = r;
                        continue;
                }
                if (p->got > p->found)
                        /* In use: the kernel turned them into surplus pages and frees them when they are unmapped. */
                        log_warning("%s: %s keeps %llu pages instead of %llu: %llu are still in use and go when they are released.",
                                    size, pool_name(p, buf), p->got, p->found, p->got - p->found);
        }
        return ret;
}

/* "allocated N of M pages (node 0: a of b, ...)" over the pools the config asks for. */
static char *format_result(const struct pools *ps, unsigned long long *ret_got, unsigned long long *ret_want) {
        unsigned long long got = 0, want = 0;
        char *nodes = xstrdup("");

        for (size_t i = 0; i < ps->n; i++) {
                const struct pool *p = &ps->p[i];
                char *old = nodes;

                if (!p->asked)
                        continue;
                got += p->got;
                want += p->want;
                if (p->node < 0)
                        continue;
                nodes = xasprintf("%s%snode %d: %llu of %llu", old, *old ? ", " : "", p->node, p->got, p->want);
                free(old);
        }

        *ret_got = got;
        *ret_want = want;
        if (*nodes) {
                char *s = xasprintf("allocated %llu of %llu pages (%s)", got, want, nodes);
                free(nodes);
                return s;
        }
        free(nodes);
        return xasprintf("allocated %llu of %llu pages", got, want);
}

/* The kernel command line that reserves the pages at boot, before memory fragments. */
static char *format_cmdline(const struct pools *ps, const char *size) {
        char *counts = xstrdup("");

        for (size_t i = 0; i < ps->n; i++) {
                const struct pool *p = &ps->p[i];
                char *old = counts;

                if (!p->asked)
                        continue;
                if (p->node < 0)
                        counts = xasprintf("%llu", p->want);
                else
                        counts = xasprintf("%s%s%d:%llu", old, *old ? "," : "", p->node, p->want);
                free(old);
        }

        char *s = xasprintf("hugepagesz=%s hugepages=%s", size, counts);
        free(counts);
        return s;
}

static void log_kept(const struct pools *ps, const char *size) {
        for (size_t i = 0; i < ps->n; i++) {
                const struct pool *p = &ps->p[i];
                char buf[32];

                if (p->asked && p->found > p->want)
                        log_notice("%s: %s had %llu pages before start, more than the %llu asked; "
                                   "keeping them (pages hostvirt did not allocate are never released).",
                                   size, pool_name(p, buf), p->found, p->want);
        }
}

/* Logs the outcome; -ENOMEM when short and Strict=yes. */
static int report(const struct pools *ps, const struct conf_hugepages *h) {
        _cleanup_free_ char *result = NULL, *cmdline = NULL;
        unsigned long long got, want;

        log_kept(ps, h->name);
        result = format_result(ps, &got, &want);
        if (!pools_short(ps)) {
                log_info("%s: %s.", h->name, result);
                return 0;
        }

        cmdline = format_cmdline(ps, h->name);
        if (h->strict) {
                log_error("%s: %s; Strict=yes, so giving them back and failing.", h->name, result);
                log_error("%s: to reserve them at boot, add to the kernel command line: %s", h->name, cmdline);
                return -ENOMEM;
        }
        log_warning("%s: %s.", h->name, result);
        log_warning("%s: to reserve them at boot, add to the kernel command line: %s", h->name, cmdline);
        return 0;
}

/* 0, or HELPER_EXIT_NOT_CONFIGURED (logged): only our own section matters (helper.h). */
static int load_section(const char *size, struct conf **ret_conf, struct conf_hugepages **ret) {
        struct conf *c = NULL;
        struct conf_hugepages *h;
        int r;

        r = helper_conf_load(&c);
        if (r > 0)
                return r;
        h = conf_find_hugepages(c, size);
        r = helper_conf_section(c, "Hugepages", size, h);
        if (r > 0) {
                conf_free(c);
                return r;
        }
        *ret_conf = c;
        *ret = h;
        return 0;
}

static int do_start(const char *size, uint64_t kb) {
        _cleanup_free_ char *state = state_path(size);
        struct pools ps = {};
        struct conf *c = NULL;
        struct conf_hugepages *h = NULL;
        size_t first_new;
        int r, n_recorded;

        r = check_size(size, kb);
        if (r < 0)
                return r;
        r = load_section(size, &c, &h);
        if (r != 0)
                return r;

        /* A second start keeps the first record: those are the counts from before us. */
        n_recorded = state_load(state, size, kb, &ps);
        if (n_recorded < 0) {
                r = n_recorded;
                goto finish;
        }
        first_new = ps.n;
        r = pools_from_config(h, &ps);
        if (r < 0)
                goto finish;
        for (size_t i = first_new; i < ps.n; i++) {
                r = read_uint(ps.p[i].path, &ps.p[i].found);
                if (r < 0) {
                        log_error_errno(r, "%s: failed to read %s: %m", size, ps.p[i].path);
                        goto finish;
                }
                /* no kernel has that many: refuse what stop would refuse to put back */
                if (ps.p[i].found > RECORD_MAX_PAGES) {
                        r = log_error_errno(ERANGE, "%s: %s says %llu pages, more than any kernel has; nothing changed",
                                            size, ps.p[i].path, ps.p[i].found);
                        goto finish;
                }
        }
        r = state_save(state, size, &ps);
        if (r < 0) {
                log_error_errno(r, "%s: failed to record the counts found in %s: %m", size, state);
                if (r == -EROFS || r == -ENOENT)
                        log_error("%s is made at boot by tmpfiles.d/hostvirt.conf; "
                                  "'systemd-tmpfiles --create hostvirt.conf' makes it now.", STATE_DIR);
                goto finish;
        }

        r = pools_allocate(&ps, size);
        if (r >= 0)
                r = report(&ps, h);
        if (r < 0) {
                /* Nothing half-done: back to what we found, and no record left to undo. */
                if (pools_restore(&ps, size, true) >= 0)
                        (void) unlink(state);
        }

finish:
        pools_done(&ps);
        conf_free(c);
        return r;
}

/* ---- stop ---- */

static char *format_restored(const struct pools *ps) {
        char *s = xstrdup("");

        for (size_t i = 0; i < ps->n; i++) {
                const struct pool *p = &ps->p[i];
                char *old = s;

                if (p->node < 0)
                        s = xasprintf("%s%s%llu pages", old, *old ? ", " : "", p->found);
                else
                        s = xasprintf("%s%snode %d: %llu", old, *old ? ", " : "", p->node, p->found);
                free(old);
        }
        return s;
}

static int do_stop(const char *size, uint64_t kb) {
        _cleanup_free_ char *state = state_path(size), *what = NULL;
        struct pools ps = {};
        int r;

        r = state_load(state, size, kb, &ps);
        if (r < 0)
                goto finish;
        if (r == 0) {
                log_info("%s: no counts recorded by start, nothing to put back.", size);
                goto finish;
        }

        r = pools_restore(&ps, size, false);
        if (r < 0)
                goto finish; /* the record stays, so that a second stop can finish the job */

        if (unlink(state) < 0 && errno != ENOENT)
                log_warning_errno(errno, "%s: failed to remove %s: %m", size, state);
        what = format_restored(&ps);
        log_info("%s: put back the counts found at start (%s).", size, what);
        r = 0;

finish:
        pools_done(&ps);
        return r;
}

static int help(void) {
        printf("Usage: hostvirt-hugepages start|stop SIZE\n\n"
               "Sets the hugepage pool of SIZE (2M, 1G, 2048kB, ...) as [Hugepages SIZE]\n"
               "in hostvirt.conf(5) asks, or puts back the counts found before start.\n\n"
               "Exit status: 0 done, 1 failed, 2 usage error, 6 no valid [Hugepages SIZE]\n"
               "section; see hostvirt(8), HELPERS.\n");
        return HELPER_EXIT_OK;
}

int main(int argc, char *argv[]) {
        _cleanup_free_ char *size = NULL;
        uint64_t kb;
        int r;

        log_setup("hostvirt-hugepages", LOG_TARGET_STDERR);

        if (argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h")))
                return help();
        if (argc != 3 || !(streq(argv[1], "start") || streq(argv[1], "stop"))) {
                log_error("Usage: hostvirt-hugepages start|stop SIZE (see 'hostvirt-hugepages --help').");
                return HELPER_EXIT_USAGE;
        }

        /* "2048kB" and "2M" are the same instance. */
        if (parse_size_kb(argv[2], &kb) < 0) {
                log_error("Invalid hugepage size '%s' (expected e.g. 2M, 1G, 2048kB).", argv[2]);
                return HELPER_EXIT_USAGE;
        }
        size = format_size_kb(kb);

        if (streq(argv[1], "start"))
                r = do_start(size, kb);
        else
                r = do_stop(size, kb);

        return helper_exit_status(r);
}

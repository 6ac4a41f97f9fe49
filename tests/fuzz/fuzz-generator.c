/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the whole generator (kernel command line, conf_load() over
 * the four config directories, emit_all()) on a fuzzed tree.
 *
 * The input is split into files at header lines:
 *
 *   #@D NAME     the following bytes go to a config file NAME in directory D:
 *                0 etc/hostvirt, 1 run/hostvirt, 2 usr/local/lib/hostvirt,
 *                3 usr/lib/hostvirt; 4..7: the same directories, but NAME is a
 *                symlink to /dev/null (a mask) and the bytes are dropped.
 *                NAME is any bytes but '/' and newline, "\n" standing for a
 *                newline (".conf" is appended unless it ends so): the
 *                loader's handling of odd names is fuzzed too.
 *   #@c          the following bytes are proc/cmdline.
 *
 * Bytes before the first header go to etc/hostvirt/input.conf, so a plain
 * config file is an input as well.  The tree is written under a private
 * HOSTVIRT_ROOT on tmpfs.
 *
 * What is checked besides crashes and sanitizer reports:
 *   - the model keeps the loader's promises (fuzz_check_conf());
 *   - `hostvirt plan` and the generator agree: emit_all() into a directory
 *     and into memory give the same files and the same result;
 *   - only unit files, drop-ins and symlinks with valid unit names are
 *     written, and only inside the output directory;
 *   - every emitted line is a comment, a section header or a Key=Value that
 *     one of the emitters writes, with no control characters but tabs (systemd
 *     ends a line at '\r' as well) and every '%' doubled: no config value (or
 *     file name) can add lines or specifiers to a unit;
 *   - SourcePath= names a config file that was read;
 *   - every unit named in Wants=/After=/Before=/Requires=/BindsTo= is a
 *     valid unit name.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdline.h"
#include "model.h"
#include "emit.h"
#include "escape.h"
#include "fuzz-common.h"
#include "log.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_FILES 16
#define UNIT_NAME_MAX 255

static const char *const dirs[] = {
        "etc/hostvirt",
        "run/hostvirt",
        "usr/local/lib/hostvirt",
        "usr/lib/hostvirt",
};

static char *scratch, *root, *out;
static int scratch_fd = -1, root_fd = -1, out_fd = -1;

/* FUZZ_UNPACK=DIR: only write each input's tree into DIR (verify-corpus.sh runs the real
 * generator and systemd-analyze verify on it). */
static const char *unpack;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        unpack = getenv("FUZZ_UNPACK");
        scratch = fuzz_scratch_dir("generator");
        root = unpack ? xstrdup(unpack) : xasprintf("%s/root", scratch);
        out = xasprintf("%s/out", scratch);
        if ((mkdir(root, 0755) < 0 && !unpack) || mkdir(out, 0755) < 0)
                abort();
        scratch_fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        out_fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (scratch_fd < 0 || root_fd < 0 || out_fd < 0)
                abort();

        /* Read once and cached by root_dir(): set before anything looks. */
        setenv("HOSTVIRT_ROOT", root, 1);
        unsetenv("SYSTEMD_VIRTUALIZATION");
        fuzz_setup_logging();
        return 0;
}

/* ---- writing the input tree ---- */

static int mkdir_p_at(int dirfd, const char *path) {
        _cleanup_free_ char *p = xstrdup(path);

        for (char *s = p;; s++) {
                if (*s == '/' || *s == '\0') {
                        char c = *s;
                        *s = '\0';
                        if (mkdirat(dirfd, p, 0755) < 0 && errno != EEXIST)
                                return -errno;
                        if (c == '\0')
                                return 0;
                        *s = c;
                }
        }
}

static void put_file(char kind, const char *name, size_t name_len, const uint8_t *body, size_t body_len) {
        _cleanup_free_ char *base = NULL, *rel = NULL;
        const char *dir;
        bool mask = false;

        if (kind == 'c') {
                if (mkdir_p_at(root_fd, "proc") < 0)
                        abort();
                fuzz_write_file(root_fd, "proc/cmdline", body, body_len, 0444);
                return;
        }
        if (kind < '0' || kind > '7')
                return;
        mask = kind >= '4';
        dir = dirs[(kind - '0') % 4];

        /* the two bytes \ n in NAME stand for a newline, which a header line cannot hold */
        base = xmalloc(name_len + 1);
        for (size_t i = 0, j = 0; i <= name_len; i++)
                if (i == name_len)
                        base[j] = '\0';
                else if (name[i] == '\\' && i + 1 < name_len && name[i + 1] == 'n') {
                        base[j++] = '\n';
                        i++;
                } else
                        base[j++] = name[i];
        if (!base || strchr(base, '/') || !*base || streq(base, ".") || streq(base, ".."))
                return;
        rel = endswith(base, ".conf") ? xasprintf("%s/%s", dir, base) : xasprintf("%s/%s.conf", dir, base);
        if (strlen(rel) > 200)
                return;
        if (mkdir_p_at(root_fd, dir) < 0)
                abort();
        (void) unlinkat(root_fd, rel, 0);
        if (mask) {
                if (symlinkat("/dev/null", root_fd, rel) < 0)
                        abort();
                return;
        }
        fuzz_write_file(root_fd, rel, body, body_len, 0644);
}

/* The next "#@" at the start of a line, at or after p (which starts a line), or end. */
static const uint8_t *find_header(const uint8_t *p, const uint8_t *data, const uint8_t *end) {
        while (p < end) {
                const uint8_t *nl;

                if (end - p >= 3 && p[0] == '#' && p[1] == '@' && (p == data || p[-1] == '\n'))
                        return p;
                nl = memchr(p, '\n', (size_t) (end - p));
                if (!nl)
                        return end;
                p = nl + 1;
        }
        return end;
}

static void write_tree(const uint8_t *data, size_t size) {
        const uint8_t *end = data + size, *h = find_header(data, data, end);

        if (h > data || h == end)
                put_file('0', "input.conf", strlen("input.conf"), data, (size_t) (h - data));

        for (unsigned n = 0; h < end && n < MAX_FILES; n++) {
                const uint8_t *eol = memchr(h, '\n', (size_t) (end - h)), *body, *next;
                const char *name;

                if (!eol)
                        eol = end;
                name = (const char *) h + 3;
                while ((const uint8_t *) name < eol && *name == ' ')
                        name++;
                body = eol < end ? eol + 1 : end;
                next = find_header(body, data, end);
                put_file((char) h[2], name, (size_t) ((const char *) eol - name), body, (size_t) (next - body));
                h = next;
        }
}

/* ---- reading the output tree back ---- */

struct entry {
        char *relpath;
        char *content; /* NULL for a symlink */
        char *target;
};

struct tree {
        struct entry *e;
        size_t n;
};

static char *read_fd_all(int fd) {
        char *buf = NULL;
        size_t size = 0;
        ssize_t n;

        for (;;) {
                buf = xrealloc(buf, size + 4096 + 1);
                n = read(fd, buf + size, 4096);
                fuzz_assert(n >= 0, "read: %s", strerror(errno));
                if (n == 0)
                        break;
                size += (size_t) n;
        }
        buf[size] = '\0';
        fuzz_assert(strlen(buf) == size, "a NUL byte in an emitted file");
        return buf;
}

static void walk(int dirfd, const char *prefix, unsigned depth, struct tree *t) {
        int fd = dup(dirfd);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;

        fuzz_assert(d, "opendir %s", prefix);
        rewinddir(d); /* the dup shares the file offset with dirfd */
        while ((de = readdir(d))) {
                _cleanup_free_ char *rel = NULL;
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                rel = *prefix ? xasprintf("%s/%s", prefix, de->d_name) : xstrdup(de->d_name);
                fuzz_assert(fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) >= 0, "stat %s", rel);
                if (S_ISDIR(st.st_mode)) {
                        int sub;
                        fuzz_assert(depth == 0, "a directory below the top level: %s", rel);
                        sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        fuzz_assert(sub >= 0, "open %s", rel);
                        walk(sub, rel, depth + 1, t);
                        close(sub);
                        continue;
                }
                t->e = xrealloc(t->e, (t->n + 1) * sizeof(*t->e));
                if (S_ISLNK(st.st_mode)) {
                        char target[4096];
                        ssize_t n = readlinkat(dirfd, de->d_name, target, sizeof(target) - 1);
                        fuzz_assert(n > 0, "readlink %s", rel);
                        target[n] = '\0';
                        t->e[t->n++] = (struct entry) { .relpath = xstrdup(rel), .target = xstrdup(target) };
                } else {
                        int f;
                        fuzz_assert(S_ISREG(st.st_mode), "%s is neither a file, a directory nor a symlink", rel);
                        f = openat(dirfd, de->d_name, O_RDONLY | O_CLOEXEC);
                        fuzz_assert(f >= 0, "open %s", rel);
                        t->e[t->n++] = (struct entry) { .relpath = xstrdup(rel), .content = read_fd_all(f) };
                        close(f);
                }
        }
        closedir(d);
}

static int cmp_entry(const void *a, const void *b) {
        return strcmp(((const struct entry *) a)->relpath, ((const struct entry *) b)->relpath);
}

/* The tree in emitter_print()'s format, to compare with the in-memory emitter. */
static char *tree_text(struct tree *t) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        fuzz_assert(f, "open_memstream");
        if (t->n > 1)
                qsort(t->e, t->n, sizeof(*t->e), cmp_entry);
        for (size_t i = 0; i < t->n; i++) {
                if (t->e[i].target)
                        fprintf(f, "# %s -> %s\n", t->e[i].relpath, t->e[i].target);
                else
                        fprintf(f, "# %s\n%s", t->e[i].relpath, t->e[i].content);
                if (i + 1 < t->n)
                        fputc('\n', f);
        }
        fclose(f);
        return buf;
}

static void tree_free(struct tree *t) {
        for (size_t i = 0; i < t->n; i++) {
                free(t->e[i].relpath);
                free(t->e[i].content);
                free(t->e[i].target);
        }
        free(t->e);
}

/* ---- what a unit name and a unit file may look like ---- */

static bool unit_name_ok(const char *s, size_t len) {
        static const char *const suffixes[] = { ".service", ".socket", ".mount", ".device", ".target", NULL };
        const char *at;
        bool suffix = false;

        if (len == 0 || len > UNIT_NAME_MAX)
                return false;
        for (size_t i = 0; i < len; i++)
                if (!isalnum((unsigned char) s[i]) && !strchr(":-_.\\@", s[i]))
                        return false;
        for (const char *const *x = suffixes; *x; x++) {
                size_t n = strlen(*x);
                if (len > n && strncmp(s + len - n, *x, n) == 0)
                        suffix = true;
        }
        if (!suffix)
                return false;
        at = memchr(s, '@', len);
        /* an instance: a non-empty prefix and a non-empty instance (which may hold more '@', as
         * systemd allows); never a bare template */
        return !at || (at > s && at[1] != '.');
}

static bool key_in(const char *key, size_t len, const char *const *keys) {
        for (const char *const *k = keys; *k; k++)
                if (strlen(*k) == len && strncmp(*k, key, len) == 0)
                        return true;
        return false;
}

/* Every key the emitters write, per section: a line with any other key was injected (or is new:
 * then add it here). */
static const char *const unit_keys[] = { "SourcePath", "Description", "Documentation", "DefaultDependencies",
                                         "Wants", "After", "Before", "Requires", "BindsTo", "Conflicts",
                                         "RequiresMountsFor", "JobRunningTimeoutSec", NULL };
static const char *const service_keys[] = { "TimeoutStartSec", "ReadWritePaths", NULL };
static const char *const socket_keys[] = { "SocketGroup", "SocketMode", NULL };
static const char *const mount_keys[] = { "What", "Where", "Type", "Options", NULL };
static const char *const unit_list_keys[] = { "Wants", "After", "Before", "Requires", "BindsTo", "Conflicts", NULL };

/* The config files read, with '%' doubled as SourcePath= carries them. */
static char **sources;
static size_t n_sources;

static void check_line(const char *rel, const char *l, size_t len, const char *const **section) {
        const char *eq;

        for (size_t i = 0; i < len; i++)
                fuzz_assert(((unsigned char) l[i] >= 0x20 || l[i] == '\t') && l[i] != 0x7f,
                            "%s: control character in line '%.*s'", rel, (int) len, l);
        if (len == 0 || l[0] == '#')
                return;
        if (l[0] == '[') {
                if (len == 6 && !strncmp(l, "[Unit]", 6))
                        *section = unit_keys;
                else if (len == 9 && !strncmp(l, "[Service]", 9))
                        *section = service_keys;
                else if (len == 7 && !strncmp(l, "[Mount]", 7))
                        *section = mount_keys;
                else if (len == 8 && !strncmp(l, "[Socket]", 8))
                        *section = socket_keys;
                else
                        fuzz_fail(__FILE__, __LINE__, "%s: unexpected section '%.*s'", rel, (int) len, l);
                return;
        }
        eq = memchr(l, '=', len);
        fuzz_assert(eq && eq > l && *section && key_in(l, (size_t) (eq - l), *section),
                    "%s: a line no emitter writes: '%.*s'", rel, (int) len, l);
        for (const char *v = eq + 1; v < l + len; v++)
                if (*v == '%') {
                        fuzz_assert(v + 1 < l + len && v[1] == '%', "%s: undoubled %% in '%.*s'", rel, (int) len, l);
                        v++;
                }
        if (key_in(l, (size_t) (eq - l), unit_list_keys))
                fuzz_assert(unit_name_ok(eq + 1, len - (size_t) (eq + 1 - l)), "%s: invalid unit name in '%.*s'", rel,
                            (int) len, l);
        if ((size_t) (eq - l) == strlen("JobRunningTimeoutSec") && !strncmp(l, "JobRunningTimeoutSec", (size_t) (eq - l))) {
                /* DeviceTimeoutSec=: only on a device unit, "infinity" or 1..86400 seconds */
                const char *v = eq + 1;
                size_t n = len - (size_t) (eq + 1 - l), digits = strspn(v, "0123456789");
                unsigned long secs = digits > 0 && digits <= 5 ? strtoul(v, NULL, 10) : 0;
                fuzz_assert(strstr(rel, ".device.d/") != NULL, "%s: JobRunningTimeoutSec= on a unit that is no device", rel);
                fuzz_assert((n == 8 && !strncmp(v, "infinity", 8)) ||
                            (digits + 1 == n && v[digits] == 's' && secs >= 1 && secs <= 86400),
                            "%s: JobRunningTimeoutSec= value '%.*s'", rel, (int) n, v);
        }
        if ((size_t) (eq - l) == strlen("SocketMode") && !strncmp(l, "SocketMode", (size_t) (eq - l))) {
                /* [Virtiofs] SocketMode=: four octal digits, the owner's read and write in it */
                const char *v = eq + 1;
                size_t n = len - (size_t) (eq + 1 - l);
                fuzz_assert(n == 4 && v[0] == '0' && strspn(v, "01234567") == 4 && (v[1] == '6' || v[1] == '7'),
                            "%s: SocketMode= value '%.*s'", rel, (int) n, v);
        }
        if ((size_t) (eq - l) == strlen("SourcePath") && !strncmp(l, "SourcePath", (size_t) (eq - l))) {
                bool found = false;
                for (size_t i = 0; i < n_sources; i++)
                        found |= strlen(sources[i]) == len - (size_t) (eq + 1 - l) &&
                                 !strncmp(sources[i], eq + 1, len - (size_t) (eq + 1 - l));
                fuzz_assert(found, "%s: '%.*s' names no config file that was read", rel, (int) len, l);
        }
}

static void check_content(const char *rel, const char *content) {
        const char *const *section = NULL;

        fuzz_assert(startswith(content, GENERATOR_HEADER), "%s: no generator header", rel);
        for (const char *l = content; *l;) {
                const char *nl = strchr(l, '\n');
                fuzz_assert(nl, "%s: last line without a newline", rel);
                check_line(rel, l, (size_t) (nl - l), &section);
                l = nl + 1;
        }
}

static void check_tree(const struct tree *t) {
        for (size_t i = 0; i < t->n; i++) {
                const struct entry *e = &t->e[i];
                const char *slash = strchr(e->relpath, '/');

                if (!slash) {
                        /* a unit file at the top */
                        fuzz_assert(e->content && unit_name_ok(e->relpath, strlen(e->relpath)),
                                    "top-level entry %s", e->relpath);
                        check_content(e->relpath, e->content);
                        continue;
                }
                if (endswith(e->relpath, ".d/50-hostvirt.conf")) {
                        fuzz_assert(e->content && unit_name_ok(e->relpath, (size_t) (slash - e->relpath) - 2),
                                    "drop-in %s", e->relpath);
                        check_content(e->relpath, e->content);
                        continue;
                }
                /* a .wants/ symlink: to a template we install, or to a unit next to it */
                fuzz_assert(e->target && slash - e->relpath > 6 && !strncmp(slash - 6, ".wants", 6) &&
                            unit_name_ok(e->relpath, (size_t) (slash - 6 - e->relpath)) &&
                            unit_name_ok(slash + 1, strlen(slash + 1)),
                            "odd entry %s", e->relpath);
                if (startswith(e->target, "../")) {
                        bool found = false;
                        for (size_t j = 0; j < t->n; j++)
                                found |= streq(t->e[j].relpath, e->target + 3) && t->e[j].content;
                        fuzz_assert(found, "%s -> %s: no such unit emitted", e->relpath, e->target);
                } else
                        fuzz_assert(startswith(e->target, UNITDIR "/") &&
                                    (endswith(e->target, "@.service") || endswith(e->target, "@.socket")) &&
                                    !strchr(e->target + strlen(UNITDIR "/"), '/'),
                                    "%s -> %s", e->relpath, e->target);
        }
}

static unsigned count_entries(int dirfd) {
        int fd = dup(dirfd);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        unsigned n = 0;

        fuzz_assert(d, "opendir");
        rewinddir(d);
        while (readdir(d))
                n++;
        closedir(d);
        return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct conf *c = NULL;
        struct emitter *e, *m;
        struct tree t = {};
        _cleanup_free_ char *mem_text = NULL, *dir_text = NULL;
        size_t mem_size = 0;
        FILE *f;
        int r_dir, r_mem;

        if (size > 64 * 1024)
                return -1;

        fuzz_clear_dir(root_fd);
        fuzz_clear_dir(out_fd);
        write_tree(data, size);
        if (unpack)
                return 0;

        /* as hostvirt-generator's run() */
        if (!cmdline_hostvirt_enabled())
                return 0;
        fuzz_assert(conf_load_all(&c, NULL, &(struct diag) {}) >= 0 && c, "conf_load failed");
        fuzz_check_conf(c);

        e = emitter_new_dir(out);
        fuzz_assert(e, "emitter_new_dir");
        r_dir = emit_all(e, c);
        emitter_free(e);

        m = emitter_new_memory();
        r_mem = emit_all(m, c);
        strv_free(sources);
        sources = NULL;
        n_sources = 0;
        for (size_t i = 0; i < c->n_files; i++)
                strv_push(&sources, &n_sources, unit_specifier_escape(c->files[i]));

        f = open_memstream(&mem_text, &mem_size);
        fuzz_assert(f && emitter_print(m, f) >= 0, "emitter_print");
        fclose(f);
        emitter_free(m);
        conf_free(c);

        fuzz_assert(count_entries(scratch_fd) == 4, "something was written next to the output directory");
        walk(out_fd, "", 0, &t);
        dir_text = tree_text(&t);
        fuzz_assert((r_dir < 0) == (r_mem < 0), "generator returned %d, plan %d", r_dir, r_mem);
        fuzz_assert(streq(dir_text, mem_text), "generator and plan differ:\n--- generator\n%s\n--- plan\n%s", dir_text,
                    mem_text);
        check_tree(&t);
        tree_free(&t);
        return 0;
}

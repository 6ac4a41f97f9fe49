/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"
#include "escape.h"
#include "hashset.h"
#include "log.h"
#include "util.h"

struct emitted {
        char *relpath;
        char *content; /* NULL for a symlink */
        char *target;
};

struct emitter {
        int dirfd;           /* -1 in memory mode */
        char *dir;
        struct emitted *files;
        size_t n_files;

        /* the file being built */
        FILE *cur;
        char *cur_path;
        char *cur_buf;
        size_t cur_size;

        bool open;           /* a file is being built in cur */
        struct hashset dirs;  /* the directories made so far (strings) */
        struct hashset paths; /* memory mode: the paths of files[] (struct path_entry) */

        /* what emitted files name, for the libvirt drop-ins: each once, in emit order */
        struct names { char **v; size_t n; struct hashset index; } units, mounts, sources;

        /* device units and how long they wait (emit_device_timeout()), in first-named order */
        struct device_timeout { char *unit; unsigned secs; char *source; } **timeouts;
        size_t n_timeouts;
        struct hashset timeout_index;
};

static uint64_t hash_timeout(const void *a) {
        return hash_string(((const struct device_timeout *) a)->unit);
}

static bool eq_timeout(const void *a, const void *b) {
        return streq(((const struct device_timeout *) a)->unit, ((const struct device_timeout *) b)->unit);
}

/* memory mode: a path of files[] and its place there */
struct path_entry {
        const char *path;
        size_t i;
};

static uint64_t hash_path_entry(const void *a) {
        return hash_string(((const struct path_entry *) a)->path);
}

static bool eq_path_entry(const void *a, const void *b) {
        return streq(((const struct path_entry *) a)->path, ((const struct path_entry *) b)->path);
}

/* The entry of files[] at relpath, or adds one (*ret_new): memory mode's one lookup. */
static struct emitted *memory_entry(struct emitter *e, char *relpath, bool *ret_new) {
        struct path_entry *pe = xmalloc(sizeof(*pe)), *found;

        *pe = (struct path_entry) { relpath, e->n_files };
        found = hashset_put(&e->paths, pe);
        *ret_new = found == pe;
        if (!*ret_new) {
                free(pe);
                return &e->files[found->i];
        }
        XGROW(e->files, e->n_files);
        e->files[e->n_files] = (struct emitted) { .relpath = relpath };
        return &e->files[e->n_files++];
}

static void names_done(struct names *l) {
        hashset_done(&l->index, NULL);
        strv_free(l->v);
}

/* Appends s unless the list has it: looked up in a hash set, as a host may have thousands of PFs. */
static void names_add(struct names *l, const char *s) {
        char *copy;

        if (hashset_get(&l->index, s))
                return;
        copy = xstrdup(s);
        strv_push(&l->v, &l->n, copy);
        hashset_put(&l->index, copy);
}

static struct emitter *emitter_alloc(void) {
        struct emitter *e = xcalloc(1, sizeof(*e));
        e->dirfd = -1;
        e->dirs = HASHSET_INIT(hash_string_entry, streq_entry);
        e->paths = HASHSET_INIT(hash_path_entry, eq_path_entry);
        e->units.index = e->mounts.index = e->sources.index = HASHSET_INIT(hash_string_entry, streq_entry);
        e->timeout_index = HASHSET_INIT(hash_timeout, eq_timeout);
        e->units.v = xcalloc(1, sizeof(char *));
        e->mounts.v = xcalloc(1, sizeof(char *));
        e->sources.v = xcalloc(1, sizeof(char *));
        return e;
}

struct emitter *emitter_new_dir(const char *dir) {
        struct emitter *e;
        int fd;

        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                log_error_errno(errno, "Failed to open output directory %s: %m", dir);
                return NULL;
        }
        e = emitter_alloc();
        e->dirfd = fd;
        e->dir = xstrdup(dir);
        return e;
}

struct emitter *emitter_new_memory(void) {
        return emitter_alloc();
}

void emitter_free(struct emitter *e) {
        if (!e)
                return;
        free(e->cur_path);
        for (size_t i = 0; i < e->n_files; i++) {
                free(e->files[i].relpath);
                free(e->files[i].content);
                free(e->files[i].target);
        }
        free(e->files);
        if (e->dirfd >= 0)
                close(e->dirfd);
        free(e->dir);
        hashset_done(&e->dirs, free);
        hashset_done(&e->paths, free);
        if (e->cur)
                fclose(e->cur);
        free(e->cur_buf);
        names_done(&e->units);
        names_done(&e->mounts);
        names_done(&e->sources);
        hashset_done(&e->timeout_index, NULL);
        for (size_t i = 0; i < e->n_timeouts; i++) {
                free(e->timeouts[i]->unit);
                free(e->timeouts[i]->source);
                free(e->timeouts[i]);
        }
        free(e->timeouts);
        free(e);
}

/* mkdir -p of the directories in relpath (not the last component), below the output dir; each
 * directory once (another generator may have made it before: that is fine too). */
static int mkdir_parents(struct emitter *e, const char *relpath) {
        char p[PATH_MAX];
        size_t n = strlen(relpath);

        if (n >= sizeof(p))
                return log_error_errno(ENAMETOOLONG, "Failed to create %s/%s: %m", e->dir, relpath);
        memcpy(p, relpath, n + 1);
        for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
                *s = '\0';
                if (!hashset_get(&e->dirs, p)) {
                        if (mkdirat(e->dirfd, p, 0755) < 0 && errno != EEXIST)
                                return log_error_errno(errno, "Failed to create %s/%s: %m", e->dir, p);
                        hashset_put(&e->dirs, xstrdup(p));
                }
                *s = '/';
        }
        return 0;
}

FILE *emit_open(struct emitter *e, const char *relpath) {
        if (e->open) {
                log_error("Internal error: %s opened while %s is still open", relpath, e->cur_path);
                return NULL;
        }
        /* One stream for every file: opening a memstream costs a zeroed buffer each time. */
        if (!e->cur) {
                e->cur = open_memstream(&e->cur_buf, &e->cur_size);
                if (!e->cur) {
                        log_error_errno(errno, "Failed to allocate a buffer for %s: %m", relpath);
                        return NULL;
                }
        } else if (fseeko(e->cur, 0, SEEK_SET) < 0) {
                log_error_errno(errno, "Failed to rewind the buffer for %s: %m", relpath);
                return NULL;
        }
        e->open = true;
        e->cur_path = xstrdup(relpath);
        return e->cur;
}

static int write_file(struct emitter *e, const char *relpath, const char *content, size_t size) {
        ssize_t n;
        int fd, r;

        r = mkdir_parents(e, relpath);
        if (r < 0)
                return r;
        /* Exclusive: a unit defined twice is a bug (ours or the config's), never silently overwritten. */
        fd = openat(e->dirfd, relpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
                if (errno == EEXIST)
                        return log_error_errno(errno, "Failed to create unit file %s/%s, as it already exists. "
                                               "Duplicate entry?", e->dir, relpath);
                return log_error_errno(errno, "Failed to create %s/%s: %m", e->dir, relpath);
        }
        n = write(fd, content, size);
        r = n < 0 ? -errno : (size_t) n != size ? -EIO : 0;
        if (close(fd) < 0 && r == 0)
                r = -errno;
        if (r < 0) {
                (void) unlinkat(e->dirfd, relpath, 0);
                return log_error_errno(r, "Failed to write %s/%s: %m", e->dir, relpath);
        }
        return 0;
}

int emit_close(struct emitter *e, FILE *f) {
        char *path = e->cur_path;
        size_t size;
        int r = 0;

        if (!f || f != e->cur || !e->open)
                return log_error_errno(EINVAL, "Internal error: closing a file that is not open");

        /* the stream's size is its position: what this file wrote */
        if (fflush(f) != 0 || ferror(f))
                r = log_error_errno(ENOMEM, "Failed to build %s: %m", path);
        size = e->cur_size;
        e->open = false;
        e->cur_path = NULL;

        if (r == 0 && e->dirfd >= 0)
                r = write_file(e, path, e->cur_buf, size);
        if (r == 0 && e->dirfd < 0) {
                /* the same rule as the exclusive creation in dir mode */
                bool is_new;
                struct emitted *m = memory_entry(e, path, &is_new);
                if (is_new) {
                        m->content = xmalloc(size + 1);
                        memcpy(m->content, e->cur_buf, size);
                        m->content[size] = '\0';
                        return 0;
                }
                r = log_error_errno(EEXIST, "Failed to create unit file %s, as it already exists. Duplicate entry?",
                                    path);
        }
        free(path);
        return r;
}

int emit_symlink(struct emitter *e, const char *relpath, const char *target) {
        char old[PATH_MAX];
        ssize_t n;
        int r;

        if (e->dirfd < 0) {
                /* as in dir mode: the same symlink twice is harmless, anything else there a conflict */
                char *path = xstrdup(relpath);
                bool is_new;
                struct emitted *m = memory_entry(e, path, &is_new);
                if (is_new) {
                        m->target = xstrdup(target);
                        return 0;
                }
                free(path);
                if (m->target && streq(m->target, target))
                        return 0;
                return log_error_errno(EEXIST, "Failed to create symlink %s -> %s: %m", relpath, target);
        }

        r = mkdir_parents(e, relpath);
        if (r < 0)
                return r;
        if (symlinkat(target, e->dirfd, relpath) >= 0)
                return 0;
        if (errno == EEXIST) {
                /* The same dependency twice is harmless; a different one is a conflict. */
                n = readlinkat(e->dirfd, relpath, old, sizeof(old) - 1);
                if (n >= 0) {
                        old[n] = '\0';
                        if (streq(old, target))
                                return 0;
                }
        }
        return log_error_errno(errno, "Failed to create symlink %s/%s -> %s: %m", e->dir, relpath, target);
}

int emit_wanted_instance(struct emitter *e, const char *prefix, const char *instance, const char *wanted_by,
                         char **ret_unit) {
        return emit_wanted_instance_of(e, prefix, instance, ".service", wanted_by, ret_unit);
}

int emit_wanted_instance_of(struct emitter *e, const char *prefix, const char *instance, const char *suffix,
                            const char *wanted_by, char **ret_unit) {
        _cleanup_free_ char *unit = unit_instance(prefix, instance, suffix);
        _cleanup_free_ char *link = strjoin(wanted_by, ".wants/", unit);
        _cleanup_free_ char *template = strjoin(UNITDIR, "/", prefix, "@", suffix);
        int r;

        r = emit_symlink(e, link, template);
        if (r < 0)
                return r;
        *ret_unit = unit;
        unit = NULL;
        return 0;
}

void emit_device_timeout(struct emitter *e, const char *device_unit, unsigned secs, const char *source_file) {
        struct device_timeout key = { .unit = (char *) device_unit }, *t;
        /* 0 waits for ever: longer than any number of seconds */
        unsigned long long wait = secs == 0 ? ULLONG_MAX : secs;

        t = hashset_get(&e->timeout_index, &key);
        if (t) {
                if (wait > (t->secs == 0 ? ULLONG_MAX : t->secs)) {
                        t->secs = secs;
                        free(t->source);
                        t->source = xstrdup(source_file);
                }
                return;
        }
        t = xmalloc(sizeof(*t));
        *t = (struct device_timeout) { xstrdup(device_unit), secs, xstrdup(source_file) };
        XGROW(e->timeouts, e->n_timeouts);
        e->timeouts[e->n_timeouts++] = t;
        hashset_put(&e->timeout_index, t);
}

int emit_finish(struct emitter *e) {
        int ret = 0;

        for (size_t i = 0; i < e->n_timeouts; i++) {
                const struct device_timeout *t = e->timeouts[i];
                _cleanup_free_ char *body = t->secs == 0 ? xstrdup("JobRunningTimeoutSec=infinity\n")
                                                         : xasprintf("JobRunningTimeoutSec=%us\n", t->secs);
                int r = emit_dropin(e, t->unit, t->source, body);

                if (r < 0 && ret == 0)
                        ret = r;
        }
        return ret;
}

void emit_unit_header(FILE *f, const char *source_file) {
        _cleanup_free_ char *src = unit_specifier_escape(source_file);

        fputs(GENERATOR_HEADER, f);
        fprintf(f, "\n[Unit]\nSourcePath=%s\n", src);
}

int emit_dropin(struct emitter *e, const char *unit, const char *source_file, const char *body) {
        _cleanup_free_ char *relpath = strjoin(unit, ".d/50-hostvirt.conf");
        FILE *f;

        f = emit_open(e, relpath);
        if (!f)
                return errno > 0 ? -errno : -EIO; /* (logged) */
        emit_unit_header(f, source_file);
        fputs(body, f);
        return emit_close(e, f);
}

void emit_register_unit(struct emitter *e, const char *unit, const char *source_file) {
        names_add(&e->units, unit);
        names_add(&e->sources, source_file);
}

void emit_register_mount(struct emitter *e, const char *path, const char *source_file) {
        names_add(&e->mounts, path);
        names_add(&e->sources, source_file);
}

char *const *emit_units(const struct emitter *e) {
        return e->units.v;
}

char *const *emit_mounts(const struct emitter *e) {
        return e->mounts.v;
}

char *const *emit_sources(const struct emitter *e) {
        return e->sources.v;
}

size_t emitter_n_files(const struct emitter *e) {
        return e->n_files;
}

void emitter_file(const struct emitter *e, size_t i, const char **ret_relpath, const char **ret_content,
                  const char **ret_target) {
        *ret_relpath = e->files[i].relpath;
        *ret_content = e->files[i].content;
        *ret_target = e->files[i].target;
}

static int cmp_emitted(const void *a, const void *b) {
        return strcmp(((const struct emitted *) a)->relpath, ((const struct emitted *) b)->relpath);
}

int emitter_print(struct emitter *e, FILE *out) {
        if (e->n_files > 1)
                qsort(e->files, e->n_files, sizeof(*e->files), cmp_emitted);
        for (size_t i = 0; i < e->n_files; i++) {
                if (e->files[i].target)
                        fprintf(out, "# %s -> %s\n", e->files[i].relpath, e->files[i].target);
                else
                        fprintf(out, "# %s\n%s", e->files[i].relpath, e->files[i].content);
                if (i + 1 < e->n_files)
                        fputc('\n', out);
        }
        return fflush(out) == 0 ? 0 : -errno;
}

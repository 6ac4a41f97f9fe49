/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"
#include "log.h"
#include "plan.h"
#include "util.h"

/* The generator writes files and <unit>.d/ or <unit>.wants/ directories: nothing deeper. */
#define MAX_DEPTH 3
/* Unit files are small; anything larger is not ours to read whole. */
#define MAX_FILE_SIZE (1024 * 1024)

static void plan_push(struct plan *p, char *relpath, char *content, char *target) {
        p->files = xrealloc(p->files, (p->n_files + 1) * sizeof(*p->files));
        p->files[p->n_files++] = (struct plan_file) { relpath, content, target };
}

void plan_done(struct plan *p) {
        for (size_t i = 0; i < p->n_files; i++) {
                free(p->files[i].relpath);
                free(p->files[i].content);
                free(p->files[i].target);
        }
        free(p->files);
        p->files = NULL;
        p->n_files = 0;
}

static int cmp_file(const void *a, const void *b) {
        return strcmp(((const struct plan_file *) a)->relpath, ((const struct plan_file *) b)->relpath);
}

const struct plan_file *plan_find(const struct plan *p, const char *relpath) {
        struct plan_file key = { .relpath = (char *) relpath };

        return p->n_files ? bsearch(&key, p->files, p->n_files, sizeof(*p->files), cmp_file) : NULL;
}

bool plan_file_equal(const struct plan_file *a, const struct plan_file *b) {
        if (!a || !b)
                return a == b;
        if (!a->content != !b->content)
                return false;
        return a->content ? streq(a->content, b->content) : streq(a->target, b->target);
}

static int read_file_at(int dirfd, const char *name, char **ret) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        ssize_t n;
        int fd;

        fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        if (fd < 0)
                return -errno;
        buf = xmalloc(MAX_FILE_SIZE + 1);
        while ((n = read(fd, buf + size, MAX_FILE_SIZE - size)) > 0)
                size += (size_t) n;
        close(fd);
        if (n < 0)
                return -errno;
        buf[size] = '\0';
        *ret = buf;
        buf = NULL;
        return 0;
}

static int load_at(int dirfd, const char *prefix, int depth, struct plan *p) {
        DIR *d;
        struct dirent *de;
        int fd = dup(dirfd), r = 0;

        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                r = -errno;
                close(fd);
                return r;
        }
        while ((de = readdir(d))) {
                _cleanup_free_ char *rel = NULL;
                char target[PATH_MAX];
                struct stat st;
                ssize_t n;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                rel = prefix ? xasprintf("%s/%s", prefix, de->d_name) : xstrdup(de->d_name);
                if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
                        int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub >= 0) {
                                r = load_at(sub, rel, depth + 1, p);
                                close(sub);
                        }
                } else if (S_ISLNK(st.st_mode)) {
                        n = readlinkat(dirfd, de->d_name, target, sizeof(target) - 1);
                        if (n > 0) {
                                target[n] = '\0';
                                plan_push(p, rel, NULL, xstrdup(target));
                                rel = NULL;
                        }
                } else if (S_ISREG(st.st_mode) && st.st_size <= MAX_FILE_SIZE) {
                        char *content = NULL;
                        if (read_file_at(dirfd, de->d_name, &content) >= 0) {
                                plan_push(p, rel, content, NULL);
                                rel = NULL;
                        }
                }
                if (r < 0)
                        break;
        }
        closedir(d);
        return r;
}

/* A relative symlink's target as a path inside the tree ("../x.mount" from "a.wants/x.mount"). */
static char *resolve_relative(const char *relpath, const char *target) {
        _cleanup_free_ char *joined = NULL;
        const char *slash = strrchr(relpath, '/');
        char **parts = NULL, *save = NULL, *s;
        size_t n = 0, k = 0;
        char *out;

        joined = slash ? xasprintf("%.*s/%s", (int) (slash - relpath), relpath, target) : xstrdup(target);
        for (s = strtok_r(joined, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
                if (streq(s, "."))
                        continue;
                if (streq(s, "..")) {
                        if (n == 0) {
                                free(parts);
                                return NULL; /* leaves the tree */
                        }
                        n--;
                        continue;
                }
                parts = xrealloc(parts, (n + 1) * sizeof(*parts));
                parts[n++] = s;
        }
        out = xstrdup("");
        for (k = 0; k < n; k++) {
                char *next = xasprintf("%s%s%s", out, k ? "/" : "", parts[k]);
                free(out);
                out = next;
        }
        free(parts);
        return out;
}

static bool ours_file(const struct plan_file *f) {
        return f->content && startswith(f->content, GENERATOR_HEADER);
}

/* A symlink the generator makes: to one of our templates, or to one of our files in the tree. */
static bool ours_symlink(const struct plan *all, const struct plan_file *f) {
        _cleanup_free_ char *in_tree = NULL;
        const char *base;

        if (f->target[0] == '/') {
                if (!startswith(f->target, UNITDIR "/"))
                        return false;
                base = f->target + strlen(UNITDIR "/");
                return !strchr(base, '/') && (startswith(base, "interface-vf@") || startswith(base, "hostvirt-"));
        }
        in_tree = resolve_relative(f->relpath, f->target);
        if (!in_tree)
                return false;
        for (size_t i = 0; i < all->n_files; i++)
                if (streq(all->files[i].relpath, in_tree))
                        return ours_file(&all->files[i]);
        return false;
}

static int plan_load(const char *dir, bool only_ours, struct plan *ret) {
        struct plan all = {};
        bool *keep;
        int fd, r;

        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = load_at(fd, NULL, 1, &all);
        close(fd);
        if (r < 0) {
                plan_done(&all);
                return r;
        }

        /* Decide about every file first: a symlink is judged by the file it points to. */
        keep = xcalloc(all.n_files, sizeof(bool));
        for (size_t i = 0; i < all.n_files; i++) {
                const struct plan_file *f = &all.files[i];
                keep[i] = !only_ours || (f->content ? ours_file(f) : ours_symlink(&all, f));
        }
        *ret = (struct plan) {};
        for (size_t i = 0; i < all.n_files; i++)
                if (keep[i]) {
                        plan_push(ret, all.files[i].relpath, all.files[i].content, all.files[i].target);
                        all.files[i] = (struct plan_file) {};
                }
        free(keep);
        plan_done(&all);
        if (ret->n_files > 1)
                qsort(ret->files, ret->n_files, sizeof(*ret->files), cmp_file);
        return 0;
}

int plan_load_dir(const char *dir, struct plan *ret) {
        return plan_load(dir, true, ret);
}

/* What the generator would write, from the emitter's memory mode: the same code path. */
int plan_build(const struct conf *c, struct plan *ret) {
        struct emitter *e = emitter_new_memory();
        int r;

        *ret = (struct plan) {};
        r = emit_all(e, c);
        for (size_t i = 0; r >= 0 && i < emitter_n_files(e); i++) {
                const char *relpath, *content, *target;

                emitter_file(e, i, &relpath, &content, &target);
                plan_push(ret, xstrdup(relpath), content ? xstrdup(content) : NULL, target ? xstrdup(target) : NULL);
        }
        emitter_free(e);
        if (r < 0) {
                plan_done(ret);
                return r;
        }
        if (ret->n_files > 1)
                qsort(ret->files, ret->n_files, sizeof(*ret->files), cmp_file);
        return 0;
}

/* ---------------------------------------------------------------------------------------------
 * A unified diff, one hunk per group of changes with three lines of context.
 */

#define CONTEXT 3
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
/* Beyond this many line pairs, a changed file is shown as removed and added whole. */
#define MAX_LCS_CELLS (4u * 1024 * 1024)

struct lines {
        char **v;
        size_t n;
};

static struct lines split_lines(const struct plan_file *f) {
        _cleanup_free_ char *text = !f ? xstrdup("") : f->content ? xstrdup(f->content)
                                                                  : xasprintf("symlink to %s\n", f->target);
        struct lines l = {};
        char *s = text, *nl;

        while (*s) {
                nl = strchr(s, '\n');
                l.v = xrealloc(l.v, (l.n + 1) * sizeof(*l.v));
                l.v[l.n++] = nl ? strndup(s, (size_t) (nl - s)) : xstrdup(s);
                if (!l.v[l.n - 1])
                        l.v[l.n - 1] = xstrdup("");
                if (!nl)
                        break;
                s = nl + 1;
        }
        return l;
}

static void lines_done(struct lines *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i]);
        free(l->v);
}

struct op {
        char type;              /* ' ', '-', '+' */
        const char *line;
        size_t a, b;            /* line numbers (0-based) in old and new before this op */
};

/* The edit script from a to b along a longest common subsequence. */
static size_t edit_script(const struct lines *a, const struct lines *b, struct op **ret) {
        size_t cols = b->n + 1, n = 0, i = 0, j = 0;
        struct op *ops = xcalloc(a->n + b->n + 1, sizeof(*ops));
        unsigned *lcs = NULL;

        if ((a->n + 1) * cols <= MAX_LCS_CELLS) {
                lcs = xcalloc((a->n + 1) * cols, sizeof(*lcs));
                for (size_t x = a->n; x-- > 0;)
                        for (size_t y = b->n; y-- > 0;)
                                lcs[x * cols + y] = streq(a->v[x], b->v[y])
                                                            ? lcs[(x + 1) * cols + y + 1] + 1
                                                            : MAX(lcs[(x + 1) * cols + y], lcs[x * cols + y + 1]);
        }
        while (i < a->n || j < b->n) {
                if (lcs && i < a->n && j < b->n && streq(a->v[i], b->v[j]))
                        ops[n++] = (struct op) { ' ', a->v[i], i, j }, i++, j++;
                else if (i < a->n && (j >= b->n || !lcs || lcs[(i + 1) * cols + j] >= lcs[i * cols + j + 1]))
                        ops[n++] = (struct op) { '-', a->v[i], i, j }, i++;
                else
                        ops[n++] = (struct op) { '+', b->v[j], i, j }, j++;
        }
        free(lcs);
        *ret = ops;
        return n;
}

static void print_hunk(FILE *out, const struct op *ops, size_t s, size_t e) {
        size_t na = 0, nb = 0;

        for (size_t k = s; k < e; k++) {
                na += ops[k].type != '+';
                nb += ops[k].type != '-';
        }
        /* An empty side is numbered by the line before it, as diff -u does. */
        fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ops[s].a + (na > 0), na, ops[s].b + (nb > 0), nb);
        for (size_t k = s; k < e; k++)
                fprintf(out, "%c%s\n", ops[k].type, ops[k].line);
}

static void diff_file(FILE *out, const char *label, const struct plan_file *old, const struct plan_file *new,
                      const char *relpath) {
        struct lines a = split_lines(old), b = split_lines(new);
        struct op *ops = NULL;
        size_t n = edit_script(&a, &b, &ops), k = 0;

        if (old)
                fprintf(out, "--- %s/%s\n", label, relpath);
        else
                fputs("--- /dev/null\n", out);
        /* Both sides name the file the admin would find changed, as "diff -u old new" of one path would. */
        if (new)
                fprintf(out, "+++ %s/%s\n", label, relpath);
        else
                fputs("+++ /dev/null\n", out);

        while (k < n) {
                size_t s, e;

                while (k < n && ops[k].type == ' ')
                        k++;
                if (k >= n)
                        break;
                s = k > CONTEXT ? k - CONTEXT : 0;
                /* Extend over changes that are closer than two contexts apart. */
                for (e = k; e < n; e++) {
                        size_t same = 0;
                        while (e + same < n && ops[e + same].type == ' ')
                                same++;
                        if (e + same >= n || same > 2 * CONTEXT) {
                                e += MIN(same, (size_t) CONTEXT);
                                break;
                        }
                        e += same;
                }
                print_hunk(out, ops, s, MIN(e, n));
                k = MIN(e, n);
        }
        free(ops);
        lines_done(&a);
        lines_done(&b);
}

unsigned plan_diff(const struct plan *old, const char *label, const struct plan *new, FILE *out) {
        size_t i = 0, j = 0;
        unsigned changed = 0;

        while (i < old->n_files || j < new->n_files) {
                const struct plan_file *a = i < old->n_files ? &old->files[i] : NULL;
                const struct plan_file *b = j < new->n_files ? &new->files[j] : NULL;
                int c = !a ? 1 : !b ? -1 : strcmp(a->relpath, b->relpath);

                if (c < 0)
                        b = NULL, i++;
                else if (c > 0)
                        a = NULL, j++;
                else
                        i++, j++;
                if (plan_file_equal(a, b))
                        continue;
                changed++;
                if (out)
                        diff_file(out, label, a, b, a ? a->relpath : b->relpath);
        }
        return changed;
}

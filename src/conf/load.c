/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The loader: which files, in which order, their lines (reader.c) fed through
 * libinih, sections merged by (kind, name), and each handed to its kind.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "conf.h"
#include "load.h"
#include "netgraph.h"
#include "reader.h"
#include "root.h"
#include "section.h"
#include "util.h"

/* The directories, most important first: see hostvirt.conf(5), FILES. */
static const char *const conf_dirs[] = {
        "/etc/hostvirt",
        "/run/hostvirt",
        "/usr/local/lib/hostvirt",
        "/usr/lib/hostvirt",
};

/* A config file larger than this is refused whole: it bounds what one file costs at boot.
 * A thousand PFs take some 50 kB. */
#define FILE_MAX_BYTES (1024 * 1024)

/* The keys and values of every line, freed together when loading is done. */
struct arena_block {
        struct arena_block *next;
        size_t used, size;
        char data[];
};

struct loader {
        struct conf *conf;
        struct arena_block *arena;
        struct diag *diag;
        struct section **sections; /* in the order they were first seen */
        size_t n_sections;
        struct hashset index;      /* the same, by kind and name */
        unsigned *disagreements;   /* lines libinih read otherwise than the reader */

        /* per file */
        const char *file;      /* as the admin knows it */
        struct reader reader;
        struct line_view view; /* the line handed to libinih last */
        struct section *cur;   /* NULL: keys are dropped (no, unknown or invalid section) */
        bool in_section;       /* a header was seen (so keys are not "outside any section") */
        bool last_key_dropped; /* the key a continuation belongs to was dropped */
        bool awaiting_take;    /* libinih was fed a key or continuation line and has not handed it back */
        unsigned *fed;         /* the file's line of each line fed to libinih, for its error returns */
        size_t n_fed;
};

static char *arena_alloc(struct loader *l, size_t n) {
        struct arena_block *b = l->arena;

        if (!b || b->size - b->used < n) {
                if (n > SIZE_MAX / 2)
                        oom();
                size_t size = n > 64 * 1024 ? n : 64 * 1024;
                b = xmalloc(sizeof(*b) + size);
                *b = (struct arena_block) { .next = l->arena, .size = size };
                l->arena = b;
        }
        b->used += n;
        return b->data + b->used - n;
}

/* n zeroed bytes, aligned for any object */
static void *arena_zalloc(struct loader *l, size_t n) {
        const size_t align = _Alignof(max_align_t);
        struct arena_block *b = l->arena;
        char *p;

        if (b) {
                size_t pad = (align - (uintptr_t) (b->data + b->used) % align) % align;
                if (b->size - b->used >= pad + n) {
                        b->used += pad + n;
                        return memset(b->data + b->used - n, 0, n);
                }
        }
        /* does not fit (pad < align): a new block, aligned inside it */
        p = arena_alloc(l, n + align);
        p += (align - (uintptr_t) p % align) % align;
        return memset(p, 0, n);
}

static char *arena_join(struct loader *l, const char *a, const char *sep, const char *b) {
        size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
        char *p = arena_alloc(l, la + ls + lb + 1);

        memcpy(p, a, la);
        memcpy(p + la, sep, ls);
        memcpy(p + la + ls, b, lb + 1);
        return p;
}

static char *arena_strdup(struct loader *l, const char *s) {
        size_t n = strlen(s) + 1;

        return memcpy(arena_alloc(l, n), s, n);
}

static void arena_free(struct loader *l) {
        while (l->arena) {
                struct arena_block *next = l->arena->next;
                free(l->arena);
                l->arena = next;
        }
}

/* ---------------------------------------------------------------------------------------------
 * The index of the model: (kind, name) -> object.
 */

struct conf_entry {
        const struct kind *kind;
        const char *name; /* the object's own */
        void *obj;
};

/* Network objects share one name space (one name, one device): their kind is not part of the key. */
static uint64_t entry_kind_key(const struct kind *k) {
        return k->net ? UINT64_MAX : k->id;
}

static uint64_t hash_entry(const void *a) {
        const struct conf_entry *x = a;
        return hash_mix(hash_string(x->name), entry_kind_key(x->kind));
}

static bool eq_entry(const void *a, const void *b) {
        const struct conf_entry *x = a, *y = b;
        return entry_kind_key(x->kind) == entry_kind_key(y->kind) && streq(x->name, y->name);
}

static struct conf_entry *find_entry(const struct conf *c, const struct kind *k, const char *name) {
        return hashset_get(&c->index, &(struct conf_entry) { .kind = k, .name = name });
}

void *conf_find(const struct conf *c, const struct kind *k, const char *name) {
        struct conf_entry *e;

        if (!c || !name)
                return NULL;
        e = find_entry(c, k, name);
        return e && e->kind == k ? e->obj : NULL;
}

const struct kind *conf_net_kind_of(const struct conf *c, const char *name, void **ret_obj) {
        struct conf_entry *e = NULL;

        for (size_t i = 0; !e && c->kinds[i]; i++)
                if (c->kinds[i]->net)
                        e = find_entry(c, c->kinds[i], name);
        if (ret_obj)
                *ret_obj = e ? e->obj : NULL;
        return e ? e->kind : NULL;
}

/* Adds a built object; false if a network object of another kind has its name (not added). */
static bool conf_add(struct conf *c, const struct kind *k, void *obj) {
        struct conf_entry *e = xmalloc(sizeof(*e));

        *e = (struct conf_entry) { k, k->name_of(obj), obj };
        if (hashset_put(&c->index, e) != e) {
                free(e);
                return false;
        }
        struct conf_objs *o = &c->objs[k->id];
        XGROW(o->v, o->n);
        o->v[o->n++] = obj;
        return true;
}

void conf_drop(struct conf *c, const struct kind *k, void *obj) {
        struct conf_objs *o = &c->objs[k->id];
        struct conf_entry key = { .kind = k, .name = k->name_of(obj) }, *e;

        e = hashset_get(&c->index, &key);
        if (e && e->obj == obj)
                free(hashset_remove(&c->index, &key));
        for (size_t i = 0; i < o->n; i++)
                if (o->v[i] == obj) {
                        memmove(o->v + i, o->v + i + 1, (o->n - i - 1) * sizeof(*o->v));
                        o->n--;
                        break;
                }
        k->free(obj);
}

/* ---------------------------------------------------------------------------------------------
 * Raw sections: what the files say, merged by section identity, before any value is parsed.
 */

static uint64_t hash_section(const void *a) {
        const struct section *x = a;
        return hash_mix(hash_string(x->name), x->kind->id);
}

static bool eq_section(const void *a, const void *b) {
        const struct section *x = a, *y = b;
        return x->kind == y->kind && streq(x->name, y->name);
}

static struct section *section_get(struct loader *l, const struct kind *k, char *name) {
        struct section *s, key = { .kind = k, .name = name };

        /* The same section in several files (or twice in one) is merged; later keys win. */
        s = hashset_get(&l->index, &key);
        if (s) {
                free(name);
                return s;
        }

        s = arena_zalloc(l, sizeof(*s));
        s->kind = k;
        s->name = name;
        s->title = arena_join(l, "[", k->type, *name ? " " : "");
        s->title = arena_join(l, s->title, name, "]");
        s->last = arena_zalloc(l, (keys_count(k->keys) + 1) * sizeof(*s->last));
        s->loc = (struct conf_loc) { l->file, l->view.line };
        s->diag = l->diag;
        s->conf = l->conf;
        XGROW(l->sections, l->n_sections);
        l->sections[l->n_sections++] = s;
        hashset_put(&l->index, s);
        return s;
}

static void section_free(struct section *s) {
        /* (the rest is in the loader's arena) */
        free(s->name);
}

/* "Type Name": the kind and its normalized name. */
static void section_begin(struct loader *l, const char *header) {
        _cleanup_free_ char *h = xstrdup(header);
        const struct kind *k = NULL;
        char *type, *name, *p, *norm = NULL;
        struct section probe;

        l->in_section = true;
        l->cur = NULL;

        type = h;
        while (*type == ' ' || *type == '\t')
                type++;
        for (p = type; *p && *p != ' ' && *p != '\t'; p++)
                ;
        name = p;
        while (*name == ' ' || *name == '\t')
                name++;
        *p = '\0';
        for (p = name + strlen(name); p > name && (p[-1] == ' ' || p[-1] == '\t'); p--)
                p[-1] = '\0';

        for (size_t i = 0; l->conf->kinds[i]; i++)
                if (type[0] == l->conf->kinds[i]->type[0] && streq(type, l->conf->kinds[i]->type))
                        k = l->conf->kinds[i];
        if (!k) {
                diag_warning(l->diag, l->file, l->view.line, "unknown section [%s], ignoring", header);
                return;
        }

        if (!k->name_example) {
                if (*name) {
                        diag_error(l->diag, l->file, l->view.line, "[%s] takes no name, ignoring section [%s]",
                                   k->type, header);
                        return;
                }
                l->cur = section_get(l, k, xstrdup(""));
                return;
        }
        if (!*name) {
                diag_error(l->diag, l->file, l->view.line, "section [%s] needs a name, e.g. [%s %s]; ignoring it",
                           header, type, k->name_example);
                return;
        }
        /* the kind's name rule reports at the header's line */
        probe = (struct section) { .kind = k, .loc = { l->file, l->view.line }, .diag = l->diag, .conf = l->conf };
        if (k->parse_name(&probe, header, name, &norm) < 0)
                return;
        l->cur = section_get(l, k, norm);
}

/* Reports a line the reader refused; its section is invalid. */
static void line_error(struct loader *l, const struct line_view *v) {
        if (v->drops_section) {
                diag_error(l->diag, l->file, v->line, "%s, ignoring the lines up to the next section", v->error);
                l->in_section = true;
                l->cur = NULL;
                return;
        }
        diag_error(l->diag, l->file, v->line, "%s, ignoring it%s%s", v->error, l->cur ? " and section " : "",
                   l->cur ? l->cur->title : "");
        if (l->cur)
                l->cur->bad = true;
}

static void add_key(struct loader *l, const char *key, const char *value) {
        struct section *s = l->cur;

        l->last_key_dropped = true;
        if (!l->in_section) {
                diag_warning(l->diag, l->file, l->view.line, "%s= outside of any section, ignoring", key);
                return;
        }
        if (!s || startswith(key, "X-"))
                return;
        l->last_key_dropped = false;
        if (s->n_kvs == s->cap_kvs) {
                /* in the arena too: the old array stays there unused, a few dozen bytes a section */
                struct raw_kv *v = arena_zalloc(l, (s->cap_kvs ? 2 * s->cap_kvs : 4) * sizeof(*v));
                if (s->n_kvs)
                        memcpy(v, s->kvs, s->n_kvs * sizeof(*v));
                s->kvs = v;
                s->cap_kvs = s->cap_kvs ? 2 * s->cap_kvs : 4;
        }
        s->kvs[s->n_kvs++] = (struct raw_kv) {
                .key = arena_strdup(l, key),
                .value = arena_strdup(l, value),
                .loc = { l->file, l->view.line },
        };
}

static void continue_key(struct loader *l, const char *value) {
        struct section *s = l->cur;
        struct raw_kv *kv;

        /* An indented line continues the previous value, joined with a space. */
        if (l->last_key_dropped || !s || s->n_kvs == 0)
                return;
        kv = &s->kvs[s->n_kvs - 1];
        kv->value = arena_join(l, kv->value, *kv->value ? " " : "", value);
}

/* a, b and c into str (num bytes): their length, or num when they do not fit. */
static int put_line(char *str, int num, const char *a, const char *b, const char *c) {
        size_t la = strlen(a), lb = strlen(b), lc = strlen(c);

        if (la + lb + lc >= (size_t) num)
                return num;
        memcpy(str, a, la);
        memcpy(str + la, b, lb);
        memcpy(str + la + lb, c, lc + 1);
        return (int) (la + lb + lc);
}

/* A key or continuation line fed to libinih that its handler never saw: libinih read it otherwise. */
static void check_taken(struct loader *l) {
        if (!l->awaiting_take)
                return;
        l->awaiting_take = false;
        if (l->disagreements)
                (*l->disagreements)++;
        diag_error(l->diag, l->file, l->fed[l->n_fed - 1], "internal error: libinih did not read this line as a %s",
                   l->view.type == LINE_KEY ? "key" : "continuation");
}

/* libinih's reader: the next line, in a spelling libinih can read only as the reader did.  Only
 * headers, keys and continuations reach it: blank, comment and refused lines mean nothing to it. */
static char *feed_line(char *str, int num, void *userdata) {
        struct loader *l = userdata;
        struct line_view *v = &l->view;
        int r, n = 0;

        check_taken(l);
        for (;;) {
                r = reader_next(&l->reader, v);
                if (r <= 0)
                        return NULL;
                if (v->type == LINE_ERROR)
                        line_error(l, v);
                else if (v->type != LINE_BLANK)
                        break;
        }
        /* built by hand: this runs for every line, and printf is the costliest part of it */
        switch (v->type) {
        case LINE_SECTION:
                /* a section of ours in its canonical spelling (its title), which take_line() checks */
                section_begin(l, v->header);
                n = l->cur ? put_line(str, num, l->cur->title, "\n", "") : put_line(str, num, "[", v->header, "]\n");
                break;
        case LINE_KEY:
                n = put_line(str, num, v->key, "=", v->value);
                if (n >= 0 && n + 1 < num) {
                        str[n++] = '\n';
                        str[n] = '\0';
                } else
                        n = num;
                break;
        case LINE_CONTINUATION:
                n = put_line(str, num, "\t", v->value, "\n");
                break;
        default:
                abort();
        }
        if (n < 0 || n >= num) {
                /* cannot happen with READER_LINE_MAX below INI_MAX_LINE; never hand inih half a line */
                diag_error(l->diag, l->file, v->line, "line too long for libinih (%d bytes), ignoring it", n);
                v->type = LINE_BLANK;
                snprintf(str, (size_t) num, "\n");
        }
        XGROW(l->fed, l->n_fed);
        l->fed[l->n_fed++] = v->line;
        l->awaiting_take = v->type == LINE_KEY || v->type == LINE_CONTINUATION;
        return str;
}

/* libinih's ini.c keeps the section name in a char[50]: a longer one reaches the handler cut. */
#define INIH_MAX_SECTION 50

/* Whether libinih's section is the title it was fed for s, "[Type name]". */
static bool same_section(const struct section *s, const char *section) {
        size_t n = strlen(s->title) - 2;

        if (n > INIH_MAX_SECTION - 1)
                n = INIH_MAX_SECTION - 1;
        return strlen(section) == n && strncmp(section, s->title + 1, n) == 0;
}

/* libinih's handler: must say what the reader said; the reader's word is what counts. */
static int take_line(void *userdata, const char *section, const char *name, const char *value) {
        struct loader *l = userdata;
        const struct line_view *v = &l->view;
        bool same;

        l->awaiting_take = false;
        if (l->cur && !same_section(l->cur, section))
                same = false;
        else if (v->type == LINE_KEY)
                same = streq(name, v->key) && streq(value, v->value);
        else if (v->type == LINE_CONTINUATION)
                same = streq(value, v->value);
        else
                same = false;
        if (!same) {
                if (l->disagreements)
                        (*l->disagreements)++;
                diag_error(l->diag, l->file, v->line, "internal error: libinih read this line otherwise ([%s] %s=%s)",
                           section, name, value);
                return 1;
        }
        if (v->type == LINE_KEY)
                add_key(l, v->key, v->value);
        else
                continue_key(l, v->value);
        return 1;
}

/* Reads a file of size bytes whole (a config file is small: bounded above). */
static int read_whole(int fd, size_t size, char **ret, size_t *ret_size) {
        char *buf = xmalloc(size + 1);
        size_t n = 0;

        for (;;) {
                ssize_t k = read(fd, buf + n, size + 1 - n);
                if (k < 0) {
                        int r = -errno;
                        free(buf);
                        return r;
                }
                if (k == 0)
                        break;
                n += (size_t) k;
                if (n > size) {
                        /* it grew while we read: refuse rather than parse half of it */
                        free(buf);
                        return -EFBIG;
                }
        }
        *ret = buf;
        *ret_size = n;
        return 0;
}

/* A symlink to /dev/null (or /dev/null itself) masks a file of the directories: the device is
 * what open() found, so this works whatever the link says and under HOSTVIRT_ROOT too. */
static bool is_null_device(const struct stat *st) {
        return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* One open, one fstat, one read: the file is then parsed from memory. */
static void load_file(struct loader *l, const char *admin_path, const char *real_path, bool maskable) {
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t size = 0;
        int fd, r;

        /* The name ends up in SourcePath= and comments of generated units: a newline there would
         * add lines to them, and systemd ignores lines that are not UTF-8. */
        if (has_control_chars(admin_path) || !utf8_valid(admin_path)) {
                _cleanup_free_ char *shown = xstrdup(admin_path);
                for (char *p = shown; *p; p++)
                        if ((unsigned char) *p < 0x20 || *p == 0x7f || (unsigned char) *p >= 0x80)
                                *p = '?';
                diag_error(l->diag, shown, 0, "file name contains control characters or is not UTF-8, refusing it");
                return;
        }

        fd = open(real_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
                diag_error(l->diag, admin_path, 0, "cannot open: %s", strerror(errno));
                return;
        }
        if (fstat(fd, &st) < 0) {
                diag_error(l->diag, admin_path, 0, "cannot stat: %s", strerror(errno));
                close(fd);
                return;
        }
        if (maskable && is_null_device(&st)) {
                close(fd);
                return;
        }
        if (!S_ISREG(st.st_mode)) {
                diag_error(l->diag, admin_path, 0, "not a regular file, ignoring");
                close(fd);
                return;
        }
        /* Anyone could have put anything in it: refuse, like sshd or sudo would. */
        if (st.st_mode & S_IWOTH) {
                diag_error(l->diag, admin_path, 0, "file is world-writable (mode %04o), refusing to use it",
                           (unsigned) (st.st_mode & 07777));
                close(fd);
                return;
        }
        if (st.st_size > FILE_MAX_BYTES) {
                diag_error(l->diag, admin_path, 0, "file is larger than 1 MiB (%lld bytes), refusing it",
                           (long long) st.st_size);
                close(fd);
                return;
        }
        r = read_whole(fd, (size_t) st.st_size, &buf, &size);
        close(fd);
        if (r < 0) {
                diag_error(l->diag, admin_path, 0, "cannot read: %s", strerror(-r));
                return;
        }

        strv_push(&l->conf->files, &l->conf->n_files, xstrdup(admin_path));
        l->file = l->conf->files[l->conf->n_files - 1];
        l->cur = NULL;
        l->in_section = false;
        l->last_key_dropped = false;

        reader_init(&l->reader, buf, size);
        l->n_fed = 0;
        l->awaiting_take = false;
        r = ini_parse_stream(feed_line, l, take_line, l);
        check_taken(l);
        if (r == -2)
                diag_error(l->diag, admin_path, 0, "out of memory while parsing");
        else if (r > 0) {
                /* Our handler never fails and libinih gets only lines it can read. */
                if (l->disagreements)
                        (*l->disagreements)++;
                diag_error(l->diag, admin_path, (size_t) r <= l->n_fed ? l->fed[r - 1] : 0,
                           "internal error: libinih cannot parse this line");
        }
        reader_done(&l->reader);
}

struct conf_file {
        char *name;
        char *path; /* as the admin knows it */
        size_t dir; /* its directory's place in conf_dirs[] */
};

static int cmp_conf_file(const void *a, const void *b) {
        const struct conf_file *x = a, *y = b;
        int r = strcmp(x->name, y->name);

        return r != 0 ? r : x->dir < y->dir ? -1 : x->dir > y->dir;
}

/* Read in name order; of one name, the file in the first directory holding it. */
static void load_dirs(struct loader *l) {
        struct conf_file *files = NULL;
        size_t n = 0;

        for (size_t d = 0; d < ELEMENTSOF(conf_dirs); d++) {
                _cleanup_free_ char *dir = root_path(conf_dirs[d]);
                DIR *dh = opendir(dir);
                struct dirent *de;

                if (!dh) {
                        if (errno != ENOENT && errno != ENOTDIR)
                                diag_error(l->diag, conf_dirs[d], 0, "cannot open directory: %s", strerror(errno));
                        continue;
                }
                while ((de = readdir(dh))) {
                        if (de->d_name[0] == '.' || !endswith(de->d_name, ".conf"))
                                continue;
                        files = xrealloc(files, (n + 1) * sizeof(*files));
                        files[n++] = (struct conf_file) { xstrdup(de->d_name),
                                                          xasprintf("%s/%s", conf_dirs[d], de->d_name), d };
                }
                closedir(dh);
        }

        if (n > 1)
                qsort(files, n, sizeof(*files), cmp_conf_file);
        for (size_t i = 0; i < n; i++) {
                if (i == 0 || !streq(files[i].name, files[i - 1].name)) {
                        _cleanup_free_ char *real = root_path(files[i].path);
                        load_file(l, files[i].path, real, true);
                }
        }
        for (size_t i = 0; i < n; i++) {
                free(files[i].name);
                free(files[i].path);
        }
        free(files);
}

/* ---------------------------------------------------------------------------------------------
 * Typed objects.
 */

static void build(struct loader *l, struct section *s) {
        const struct kind *k = s->kind;
        void *obj = xcalloc(1, k->size);

        k->init(obj, s->name, &s->loc);
        section_apply_keys(s, obj);
        if (!s->bad && k->verify && !k->verify(s, obj))
                s->bad = true;
        if (s->bad) {
                k->free(obj);
                return;
        }
        if (k->singleton) {
                k->merge(l->conf->objs[k->id].v[0], obj);
                return;
        }
        if (!conf_add(l->conf, k, obj)) {
                const struct kind *other = NULL;
                void *o = NULL;
                other = conf_net_kind_of(l->conf, s->name, &o);
                const struct conf_loc *at = other->loc_of(o);
                diag_error(l->diag, s->loc.file, s->loc.line,
                           "%s: %s is already declared as [%s %s] at %s:%u, ignoring section", s->title, s->name,
                           other->type, s->name, at->file, at->line);
                k->free(obj);
        }
}

int conf_load_opts(struct conf **ret, const struct kind *const *kinds, char *const *paths, struct diag *d,
                   unsigned *disagreements) {
        struct loader l = { .diag = d, .disagreements = disagreements,
                            .index = HASHSET_INIT(hash_section, eq_section) };
        struct conf *c = xcalloc(1, sizeof(*c));
        unsigned e0 = d->n_errors, w0 = d->n_warnings;
        bool held = d->holding;

        c->kinds = kinds;
        c->index = HASHSET_INIT(hash_entry, eq_entry);
        l.conf = c;
        for (size_t i = 0; kinds[i]; i++) {
                if (kinds[i]->id != i || i >= CONF_KINDS_MAX)
                        abort(); /* the list is out of order: a programming error */
                if (kinds[i]->singleton) {
                        void *obj = xcalloc(1, kinds[i]->size);
                        kinds[i]->init(obj, "", &(struct conf_loc) { NULL, 0 });
                        c->objs[i].v = xcalloc(1, sizeof(void *));
                        c->objs[i].v[0] = obj;
                        c->objs[i].n = 1;
                }
        }
        diag_hold(d);

        if (paths) {
                for (; *paths; paths++) {
                        _cleanup_free_ char *real = (*paths)[0] == '/' ? root_path(*paths) : xstrdup(*paths);
                        load_file(&l, *paths, real, false);
                }
        } else
                load_dirs(&l);

        /* kinds in list order ([VF] after its [SR-IOV]), sections in reading order */
        for (size_t i = 0; kinds[i]; i++)
                for (size_t j = 0; j < l.n_sections; j++)
                        if (l.sections[j]->kind == kinds[i])
                                build(&l, l.sections[j]);
        for (size_t i = 0; kinds[i]; i++)
                if (kinds[i]->link)
                        kinds[i]->link(c, d);
        netgraph_check(c, d);

        for (size_t i = 0; i < l.n_sections; i++)
                section_free(l.sections[i]);
        arena_free(&l);
        free(l.fed);
        hashset_done(&l.index, NULL);
        free(l.sections);

        if (!held)
                diag_flush(d, c->files);
        c->n_errors = d->n_errors - e0;
        c->n_warnings = d->n_warnings - w0;
        *ret = c;
        return 0;
}

int conf_load(struct conf **ret, const struct kind *const *kinds, char *const *paths, struct diag *d) {
        return conf_load_opts(ret, kinds, paths, d, NULL);
}

void conf_free(struct conf *c) {
        if (!c)
                return;
        hashset_done(&c->index, free);
        for (size_t i = 0; c->kinds && c->kinds[i]; i++) {
                for (size_t j = 0; j < c->objs[i].n; j++)
                        c->kinds[i]->free(c->objs[i].v[j]);
                free(c->objs[i].v);
        }
        strv_free(c->files);
        free(c);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <search.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "conf.h"
#include "escape.h"
#include "log.h"
#include "root.h"
#include "util.h"

/* The directories, most important first (CONTRACT, section 1). */
static const char *const conf_dirs[] = {
        "/etc/hostvirt",
        "/run/hostvirt",
        "/usr/local/lib/hostvirt",
        "/usr/lib/hostvirt",
};

/* inih hands us at most this many bytes per line (INI_MAX_LINE) including the NUL. */
#define LINE_MAX_BYTES (INI_MAX_LINE - 1)

/* A config file larger than this is refused whole: it bounds what one file costs at boot (a
 * line is read whole before it is found too long).  A thousand PFs take some 50 kB. */
#define FILE_MAX_BYTES (1024 * 1024)

/* ---------------------------------------------------------------------------------------------
 * Raw sections: what the files say, merged by section identity, before any value is parsed.
 */

struct raw_kv {
        char *key;
        char *value;
        struct conf_loc loc;
};

enum section_kind {
        KIND_SRIOV,
        KIND_VF,
        KIND_HUGEPAGES,
        KIND_VLAN,
        KIND_BRIDGE,
        KIND_LIBVIRT,
        _KIND_MAX,
};

struct raw_section {
        enum section_kind kind;
        char *name;     /* normalized name, "" for [Libvirt] */
        char *title;    /* "[SR-IOV eno4]" for messages */
        struct conf_loc loc;
        bool bad;
        struct raw_kv *kvs;
        size_t n_kvs;
};

struct loader {
        struct conf *conf;
        struct raw_section **sections; /* in the order they were first seen */
        size_t n_sections;
        void *index;                   /* the same, in a tsearch() tree by kind and name */

        /* per file */
        const char *file;      /* as the admin knows it */
        FILE *f;
        char *buf;
        size_t bufsize;
        unsigned line;
        struct raw_section *cur; /* NULL: keys are dropped (no/unknown/invalid section) */
        bool in_section;       /* a header was seen (so keys are not "outside any section") */
        bool have_key;         /* inih's prev_name is set: indented lines continue it */
        bool continuation;     /* the line handed to inih continues the previous key */
        bool last_key_ignored; /* the previous key was X- or outside a section */
};

static const char *const kind_names[_KIND_MAX] = {
        [KIND_SRIOV] = "SR-IOV",
        [KIND_VF] = "VF",
        [KIND_HUGEPAGES] = "Hugepages",
        [KIND_VLAN] = "VLAN",
        [KIND_BRIDGE] = "Bridge",
        [KIND_LIBVIRT] = "Libvirt",
};

static char *lskip(char *s) {
        while (*s && isspace((unsigned char) *s))
                s++;
        return s;
}

static void rstrip(char *s) {
        size_t n = strlen(s);
        while (n > 0 && isspace((unsigned char) s[n - 1]))
                s[--n] = '\0';
}

/* Like inih's find_chars_or_comment(): the first of chars, or an inline ';' comment. */
static char *find_chars_or_comment(char *s, const char *chars) {
        bool was_space = false;

        while (*s && (!chars || !strchr(chars, *s)) && !(was_space && *s == ';')) {
                was_space = isspace((unsigned char) *s);
                s++;
        }
        return s;
}

/* Parses "Type Name" into a kind and a normalized name; logs and returns < 0 when invalid,
 * 0 for an unknown type (warned), 1 when valid. */
static int parse_header(struct loader *l, const char *header, enum section_kind *ret_kind, char **ret_name) {
        _cleanup_free_ char *h = xstrdup(header);
        char *type, *name, *p;
        int kind = -1;

        type = lskip(h);
        rstrip(type);
        for (p = type; *p && !isspace((unsigned char) *p); p++)
                ;
        name = lskip(p);
        *p = '\0';

        for (int k = 0; k < _KIND_MAX; k++)
                if (streq(type, kind_names[k]))
                        kind = k;
        if (kind < 0) {
                diag_warning(l->file, l->line, "unknown section [%s], ignoring", header);
                return 0;
        }

        if (kind == KIND_LIBVIRT) {
                if (*name) {
                        diag_error(l->file, l->line, "[Libvirt] takes no name, ignoring section [%s]", header);
                        return -EINVAL;
                }
                *ret_kind = KIND_LIBVIRT;
                *ret_name = xstrdup("");
                return 1;
        }

        if (!*name) {
                diag_error(l->file, l->line, "section [%s] needs a name, e.g. [%s %s]; ignoring it", header, type,
                           kind == KIND_HUGEPAGES ? "2M" : "eth0");
                return -EINVAL;
        }

        switch (kind) {
        case KIND_SRIOV:
                if (pci_address_valid(name)) {
                        for (p = name; *p; p++)
                                *p = (char) tolower((unsigned char) *p);
                        *ret_name = xstrdup(name);
                        break;
                }
                if (!ifname_valid(name)) {
                        diag_error(l->file, l->line,
                                   "invalid physical function '%s' in [%s]: neither an interface name (1..15 bytes, "
                                   "no '/', ':', '%%', whitespace, not '.' or '..') nor a PCI address "
                                   "(DDDD:BB:DD.F); ignoring section", name, header);
                        return -EINVAL;
                }
                *ret_name = xstrdup(name);
                break;

        case KIND_VF: {
                unsigned long long idx;
                char *colon = strrchr(name, ':');

                if (!colon || parse_uint(colon + 1, 65535, &idx) < 0) {
                        diag_error(l->file, l->line, "invalid [%s]: expected [VF <pf>:<index>], ignoring section", header);
                        return -EINVAL;
                }
                *colon = '\0';
                if (pci_address_valid(name)) {
                        for (p = name; *p; p++)
                                *p = (char) tolower((unsigned char) *p);
                } else if (!ifname_valid(name)) {
                        diag_error(l->file, l->line, "invalid physical function '%s' in [%s], ignoring section", name, header);
                        return -EINVAL;
                }
                *ret_name = xasprintf("%s:%llu", name, idx);
                break;
        }

        case KIND_HUGEPAGES: {
                uint64_t kb;

                if (parse_size_kb(name, &kb) < 0) {
                        diag_error(l->file, l->line,
                                   "invalid hugepage size '%s' in [%s] (expected e.g. 2M, 1G, 2048kB), ignoring section",
                                   name, header);
                        return -EINVAL;
                }
                *ret_name = format_size_kb(kb);
                break;
        }

        case KIND_VLAN:
        case KIND_BRIDGE:
                if (!ifname_valid(name)) {
                        diag_error(l->file, l->line,
                                   "invalid interface name '%s' in [%s] (1..15 bytes, no '/', ':', '%%', whitespace, "
                                   "not '.' or '..'), ignoring section", name, header);
                        return -EINVAL;
                }
                *ret_name = xstrdup(name);
                break;
        }

        *ret_kind = kind;
        return 1;
}

static int cmp_section(const void *a, const void *b) {
        const struct raw_section *x = a, *y = b;

        if (x->kind != y->kind)
                return x->kind < y->kind ? -1 : 1;
        return strcmp(x->name, y->name);
}

static struct raw_section *section_get(struct loader *l, enum section_kind kind, char *name) {
        struct raw_section *s, key = { .kind = kind, .name = name };
        void **found;

        /* The same section in several files (or twice in one) is merged; later keys win.  Looked
         * up in a tree: a host with thousands of PFs has thousands of sections. */
        found = tfind(&key, &l->index, cmp_section);
        if (found) {
                free(name);
                return *found;
        }

        s = xcalloc(1, sizeof(*s));
        s->kind = kind;
        s->name = name;
        s->title = *name ? xasprintf("[%s %s]", kind_names[kind], name) : xasprintf("[%s]", kind_names[kind]);
        s->loc = (struct conf_loc) { l->file, l->line };
        l->sections = xrealloc(l->sections, (l->n_sections + 1) * sizeof(*l->sections));
        l->sections[l->n_sections++] = s;
        if (!tsearch(s, &l->index, cmp_section))
                oom();
        return s;
}

static void section_begin(struct loader *l, const char *header) {
        enum section_kind kind = KIND_LIBVIRT;
        char *name = NULL;
        int r;

        l->in_section = true;
        l->cur = NULL;
        r = parse_header(l, header, &kind, &name);
        if (r > 0)
                l->cur = section_get(l, kind, name);
}

static void mark_bad(struct loader *l) {
        if (l->cur)
                l->cur->bad = true;
}

/*
 * Our line reader for ini_parse_stream().  It counts lines (the packaged libinih
 * does not pass line numbers to the handler), and mirrors inih's few rules to know
 * which section and key each line belongs to, so that everything inih cannot
 * report well — NUL bytes, over-long lines, lines that are not KEY=VALUE — gets
 * a FILE:LINE message here, and inih is handed a blank line instead.
 */
static char *reader(char *str, int num, void *userdata) {
        struct loader *l = userdata;
        char *s, *t, *end;
        ssize_t n, len;

        n = getline(&l->buf, &l->bufsize, l->f);
        if (n < 0)
                return NULL;
        l->line++;
        len = n > 0 && l->buf[n - 1] == '\n' ? n - 1 : n; /* for messages */
        l->continuation = false;

        s = l->buf;
        if (l->line == 1 && (unsigned char) s[0] == 0xEF && (unsigned char) s[1] == 0xBB && (unsigned char) s[2] == 0xBF)
                s += 3;

        if (strlen(l->buf) != (size_t) n) {
                diag_error(l->file, l->line, "line contains a NUL byte, ignoring it%s%s",
                           l->cur ? " and section " : "", l->cur ? l->cur->title : "");
                mark_bad(l);
                goto blank;
        }

        /* Control characters have no business in a config line, and a carriage return inside one
         * would end a line of a generated unit early: refuse them (a final CR of CRLF is fine). */
        for (ssize_t i = 0; i < n; i++) {
                unsigned char ch = (unsigned char) l->buf[i];
                if ((ch < 0x20 && ch != '\t' && ch != '\n' && !(ch == '\r' && i + 2 >= n)) || ch == 0x7f) {
                        diag_error(l->file, l->line, "line contains a control character (0x%02x), ignoring it%s%s", ch,
                                   l->cur ? " and section " : "", l->cur ? l->cur->title : "");
                        mark_bad(l);
                        goto blank;
                }
        }

        t = lskip(s);
        if (*t == '\0' || *t == '#' || *t == ';')
                goto pass; /* blank or comment: inih checks these first */

        if (l->have_key && t > s) {
                l->continuation = true;
                goto pass;
        }

        if (*t == '[' && n > LINE_MAX_BYTES) {
                /* not worth parsing: no valid header is that long */
                diag_error(l->file, l->line, "line too long (%zd bytes, at most %d), ignoring the lines up to the next section",
                           len, LINE_MAX_BYTES - 1);
                l->in_section = true;
                l->cur = NULL;
                l->have_key = false;
                goto blank;
        }
        if (*t == '[') {
                end = find_chars_or_comment(t + 1, "]");
                if (*end != ']') {
                        diag_error(l->file, l->line, "section header without ']', ignoring the lines up to the next section");
                        l->in_section = true;
                        l->cur = NULL;
                        l->have_key = false;
                        goto blank;
                }
                *end = '\0';
                section_begin(l, t + 1);
                *end = ']';
                l->have_key = false;
                goto pass;
        }

        end = find_chars_or_comment(t, "=:");
        if (*end != '=' && *end != ':') {
                rstrip(t);
                diag_error(l->file, l->line, "expected KEY=VALUE, got '%.40s%s'%s%s", t, strlen(t) > 40 ? "..." : "",
                           l->cur ? ", ignoring section " : "", l->cur ? l->cur->title : "");
                mark_bad(l);
                goto blank;
        }
        l->have_key = true;

pass:
        if (n > LINE_MAX_BYTES) {
                diag_error(l->file, l->line, "line too long (%zd bytes, at most %d)%s%s", len, LINE_MAX_BYTES - 1,
                           l->cur ? ", ignoring section " : "", l->cur ? l->cur->title : "");
                mark_bad(l);
                goto blank;
        }
        memcpy(str, l->buf, (size_t) n + 1);
        return str;

blank:
        (void) num;
        strcpy(str, "\n");
        return str;
}

static int handler(void *userdata, const char *section, const char *name, const char *value) {
        struct loader *l = userdata;
        struct raw_section *s = l->cur;
        struct raw_kv *kv;

        if (l->continuation) {
                /* An indented line continues the previous value (inih's multi-line values). */
                if (l->last_key_ignored || !s || s->n_kvs == 0)
                        return 1;
                kv = &s->kvs[s->n_kvs - 1];
                char *v = xasprintf("%s %s", kv->value, value);
                free(kv->value);
                kv->value = v;
                return 1;
        }

        l->last_key_ignored = true;
        if (!l->in_section) {
                diag_warning(l->file, l->line, "%s= outside of any section, ignoring", name);
                return 1;
        }
        if (!s)
                return 1;
        if (startswith(name, "X-"))
                return 1;

        l->last_key_ignored = false;
        s->kvs = xrealloc(s->kvs, (s->n_kvs + 1) * sizeof(*s->kvs));
        s->kvs[s->n_kvs++] = (struct raw_kv) {
                .key = xstrdup(name),
                .value = xstrdup(value),
                .loc = { l->file, l->line },
        };
        return 1;
}

static void load_file(struct loader *l, const char *admin_path, const char *real_path) {
        struct stat st;
        int fd, r;

        /* The name ends up in SourcePath= and comments of generated units: a newline there would
         * add lines to them, and systemd ignores lines that are not UTF-8. */
        if (has_control_chars(admin_path) || !utf8_valid(admin_path)) {
                _cleanup_free_ char *shown = xstrdup(admin_path);
                for (char *p = shown; *p; p++)
                        if ((unsigned char) *p < 0x20 || *p == 0x7f || (unsigned char) *p >= 0x80)
                                *p = '?';
                diag_error(shown, 0, "file name contains control characters or is not UTF-8, refusing it");
                return;
        }

        fd = open(real_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
                diag_error(admin_path, 0, "cannot open: %s", strerror(errno));
                return;
        }
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                diag_error(admin_path, 0, "not a regular file, ignoring");
                close(fd);
                return;
        }
        /* Anyone could have put anything in it: refuse, like sshd or sudo would. */
        if (st.st_mode & S_IWOTH) {
                diag_error(admin_path, 0, "file is world-writable (mode %04o), refusing to use it",
                           (unsigned) (st.st_mode & 07777));
                close(fd);
                return;
        }

        if (st.st_size > FILE_MAX_BYTES) {
                diag_error(admin_path, 0, "file is larger than 1 MiB (%lld bytes), refusing it", (long long) st.st_size);
                close(fd);
                return;
        }

        l->f = fdopen(fd, "re");
        if (!l->f) {
                close(fd);
                diag_error(admin_path, 0, "cannot read: %s", strerror(errno));
                return;
        }

        strv_push(&l->conf->files, &l->conf->n_files, xstrdup(admin_path));
        l->file = l->conf->files[l->conf->n_files - 1];
        l->line = 0;
        l->cur = NULL;
        l->in_section = false;
        l->have_key = false;
        l->last_key_ignored = false;

        r = ini_parse_stream(reader, l, handler, l);
        if (ferror(l->f))
                diag_error(admin_path, l->line, "read error: %s", strerror(errno));
        else if (r == -2)
                diag_error(admin_path, 0, "out of memory while parsing");
        else if (r > 0)
                /* Our handler never fails and the reader hands inih only lines it accepts. */
                diag_error(admin_path, (unsigned) r, "cannot parse line");

        fclose(l->f);
        l->f = NULL;
}

static bool is_masked(const char *path) {
        char target[PATH_MAX];
        struct stat st;
        ssize_t n;

        /* A symlink to /dev/null masks (checked by target, so it also works under HOSTVIRT_ROOT). */
        n = readlink(path, target, sizeof(target) - 1);
        if (n > 0) {
                target[n] = '\0';
                if (streq(target, "/dev/null"))
                        return true;
        }
        return stat(path, &st) >= 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Collects file names: the first directory holding a name wins; sorted by name. */
static void load_dirs(struct loader *l) {
        char **names = NULL, **dirs_of = NULL;
        size_t n = 0, m = 0;

        for (size_t d = 0; d < ELEMENTSOF(conf_dirs); d++) {
                _cleanup_free_ char *dir = root_path(conf_dirs[d]);
                DIR *dh = opendir(dir);
                struct dirent *de;

                if (!dh) {
                        if (errno != ENOENT && errno != ENOTDIR)
                                diag_error(conf_dirs[d], 0, "cannot open directory: %s", strerror(errno));
                        continue;
                }
                while ((de = readdir(dh))) {
                        if (de->d_name[0] == '.' || !endswith(de->d_name, ".conf"))
                                continue;
                        if (strv_contains(names, de->d_name))
                                continue;
                        strv_push(&names, &n, xstrdup(de->d_name));
                        strv_push(&dirs_of, &m, xasprintf("%s/%s", conf_dirs[d], de->d_name));
                }
                closedir(dh);
        }

        /* sort names and their paths together: sort the paths by basename */
        if (n > 1)
                qsort(names, n, sizeof(char *), cmp_str);
        for (size_t i = 0; i < n; i++) {
                for (size_t j = 0; j < m; j++) {
                        const char *base = strrchr(dirs_of[j], '/') + 1;
                        if (!streq(base, names[i]))
                                continue;
                        _cleanup_free_ char *real = root_path(dirs_of[j]);
                        if (!is_masked(real))
                                load_file(l, dirs_of[j], real);
                        break;
                }
        }
        strv_free(names);
        strv_free(dirs_of);
}

/* ---------------------------------------------------------------------------------------------
 * Typed sections.
 */

struct parse_ctx {
        struct raw_section *s;
        const struct raw_kv *kv;
};

/* Reports an invalid value; the section is skipped. */
static int bad_value(struct parse_ctx *p, const char *why) {
        diag_error(p->kv->loc.file, p->kv->loc.line, "invalid %s=%s (%s), ignoring section %s",
                   p->kv->key, p->kv->value, why, p->s->title);
        p->s->bad = true;
        return -EINVAL;
}

typedef int (*value_parser)(struct parse_ctx *p, const char *v, void *dst);

static int p_bool(struct parse_ctx *p, const char *v, void *dst) {
        int r = parse_boolean(v);
        if (r < 0)
                return bad_value(p, "expected yes/no/true/false/on/off/1/0");
        *(int *) dst = r;
        return 0;
}

static int p_flag(struct parse_ctx *p, const char *v, void *dst) {
        int r = parse_boolean(v);
        if (r < 0)
                return bad_value(p, "expected yes/no/true/false/on/off/1/0");
        *(bool *) dst = r;
        return 0;
}

static int p_uint_max(struct parse_ctx *p, const char *v, unsigned long long min, unsigned long long max,
                      unsigned long long *ret) {
        char why[80];
        int r = parse_uint(v, max, ret);
        if (r < 0 || *ret < min) {
                snprintf(why, sizeof(why), "expected a number %llu..%llu", min, max);
                return bad_value(p, why);
        }
        return 0;
}

#define DEFINE_UINT_PARSER(fname, type, min, max)                               \
        static int fname(struct parse_ctx *p, const char *v, void *dst) {       \
                unsigned long long x;                                           \
                if (p_uint_max(p, v, min, max, &x) < 0)                         \
                        return -EINVAL;                                         \
                *(type *) dst = (type) x;                                       \
                return 0;                                                       \
        }

DEFINE_UINT_PARSER(p_num_vfs, unsigned, 0, 65535)
DEFINE_UINT_PARSER(p_vlan_id, int, 0, 4095)
DEFINE_UINT_PARSER(p_vlan_id_nonzero, unsigned, 1, 4094)
DEFINE_UINT_PARSER(p_qos, int, 0, 7)
DEFINE_UINT_PARSER(p_rate, int64_t, 0, UINT32_MAX)
DEFINE_UINT_PARSER(p_timeout, unsigned, 1, 86400)
static int p_pages(struct parse_ctx *p, const char *v, void *dst) {
        unsigned long long x;

        if (parse_uint(v, LONG_MAX / 2, &x) < 0)
                return bad_value(p, "expected a number of pages");
        *(long *) dst = (long) x;
        return 0;
}
DEFINE_UINT_PARSER(p_mtu, unsigned, 68, 65535)
DEFINE_UINT_PARSER(p_fwd_delay, int, 2, 30)

static int p_mac(struct parse_ctx *p, const char *v, void *dst) {
        uint8_t *mac = dst;

        if (parse_mac(v, mac) < 0)
                return bad_value(p, "expected a MAC address like 02:11:22:33:44:55");
        if (mac[0] & 1)
                return bad_value(p, "a multicast address cannot be an interface address");
        if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
                return bad_value(p, "the all-zero address is not an interface address");
        /* has_mac lives right before mac[] in both structs that use this parser (asserted below) */
        ((bool *) dst)[-1] = true;
        return 0;
}

static int p_proto(struct parse_ctx *p, const char *v, void *dst) {
        if (streq(v, "802.1Q") || streq(v, "802.1q"))
                *(int *) dst = 0x8100;
        else if (streq(v, "802.1ad") || streq(v, "802.1AD"))
                *(int *) dst = 0x88a8;
        else
                return bad_value(p, "expected 802.1Q or 802.1ad");
        return 0;
}

static int p_link_state(struct parse_ctx *p, const char *v, void *dst) {
        if (streq(v, "auto"))
                *(int *) dst = VF_LINK_STATE_AUTO;
        else if (streq(v, "enable"))
                *(int *) dst = VF_LINK_STATE_ENABLE;
        else if (streq(v, "disable"))
                *(int *) dst = VF_LINK_STATE_DISABLE;
        else
                return bad_value(p, "expected auto, enable or disable");
        return 0;
}

static int p_mac_policy(struct parse_ctx *p, const char *v, void *dst) {
        if (streq(v, "keep"))
                *(int *) dst = MAC_POLICY_KEEP;
        else if (streq(v, "persistent"))
                *(int *) dst = MAC_POLICY_PERSISTENT;
        else
                return bad_value(p, "expected keep or persistent");
        return 0;
}

static bool driver_name_valid(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n > 64)
                return false;
        for (; *s; s++)
                if (!isalnum((unsigned char) *s) && *s != '_' && *s != '-')
                        return false;
        return true;
}

static int p_driver(struct parse_ctx *p, const char *v, void *dst) {
        if (!driver_name_valid(v))
                return bad_value(p, "expected a driver name like vfio-pci");
        free(*(char **) dst);
        *(char **) dst = xstrdup(v);
        return 0;
}

/* "/dev//hp/./x/" -> "/dev/hp/x", so that one mount point has one spelling. */
static char *path_normalize(const char *v) {
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

static int p_path(struct parse_ctx *p, const char *v, void *dst) {
        static const char *const api[] = { "/", "/dev", "/dev/pts", "/dev/shm", "/run", "/proc", "/sys", "/tmp" };
        _cleanup_free_ char *e = NULL, *norm = NULL;

        if (v[0] != '/' || strlen(v) >= PATH_MAX)
                return bad_value(p, "expected an absolute path");
        if (has_control_chars(v) || !utf8_valid(v))
                return bad_value(p, "a mount point with control characters or invalid UTF-8");
        norm = path_normalize(v);
        /* systemd strips it from Where=, so the mount would never match its unit name */
        if (isspace((unsigned char) norm[strlen(norm) - 1]))
                return bad_value(p, "a mount point ending in a blank");
        e = unit_escape_path(norm);
        if (!e)
                return bad_value(p, "a path with '..' in it");
        for (size_t i = 0; i < ELEMENTSOF(api); i++)
                if (streq(norm, api[i]) || ((i == 5 || i == 6) && startswith(norm, api[i]) && norm[strlen(api[i])] == '/'))
                        return bad_value(p, "not a place for a hugetlbfs mount (an API or system file system)");
        if (strlen(e) + strlen(".mount") > 255)
                return bad_value(p, "the path is too long for a mount unit name");
        free(*(char **) dst);
        *(char **) dst = norm;
        norm = NULL;
        return 0;
}

static int p_mode(struct parse_ctx *p, const char *v, void *dst) {
        if (parse_mode(v, dst) < 0)
                return bad_value(p, "expected an octal mode like 1770");
        return 0;
}

static int p_group(struct parse_ctx *p, const char *v, void *dst) {
        size_t n = strlen(v);

        /* a number, or a name as useradd accepts it */
        if (n == 0 || n > 32 || v[0] == '-')
                return bad_value(p, "expected a group name or number");
        for (const char *c = v; *c; c++)
                if (!isalnum((unsigned char) *c) && *c != '_' && *c != '-' && *c != '.')
                        return bad_value(p, "expected a group name or number");
        free(*(char **) dst);
        *(char **) dst = xstrdup(v);
        return 0;
}

static int p_node_pages(struct parse_ctx *p, const char *v, void *dst) {
        struct conf_hugepages *h = dst;
        size_t n;
        char **w = split_words(v, &n);
        int r = 0;

        free(h->node_pages);
        h->node_pages = NULL;
        h->n_node_pages = 0;
        if (n == 0)
                r = bad_value(p, "expected NODE:PAGES pairs like 0:8 1:8");
        for (size_t i = 0; r == 0 && i < n; i++) {
                unsigned long long node, pages;
                char *c = strchr(w[i], ':');

                if (!c) {
                        r = bad_value(p, "expected NODE:PAGES pairs like 0:8 1:8");
                        break;
                }
                *c = '\0';
                if (parse_uint(w[i], 1023, &node) < 0 || parse_uint(c + 1, LONG_MAX / 2, &pages) < 0) {
                        r = bad_value(p, "expected NODE:PAGES pairs like 0:8 1:8");
                        break;
                }
                for (size_t j = 0; j < h->n_node_pages; j++)
                        if (h->node_pages[j].node == node)
                                r = bad_value(p, "a node is listed twice");
                h->node_pages = xrealloc(h->node_pages, (h->n_node_pages + 1) * sizeof(*h->node_pages));
                h->node_pages[h->n_node_pages++] = (struct node_pages) { (unsigned) node, (unsigned long) pages };
        }
        strv_free(w);
        return r;
}

static int p_ifnames(struct parse_ctx *p, const char *v, void *dst) {
        struct conf_bridge *b = dst;
        size_t n;
        char **w = split_words(v, &n);

        for (size_t i = 0; i < n; i++)
                if (!ifname_valid(w[i])) {
                        strv_free(w);
                        return bad_value(p, "expected interface names (1..15 bytes, no '/', ':', '%', whitespace)");
                }
        for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < i; j++)
                        if (streq(w[i], w[j])) {
                                strv_free(w);
                                return bad_value(p, "an interface is listed twice");
                        }
        strv_free(b->ports);
        b->ports = w;
        b->n_ports = n;
        return 0;
}

static int p_ifname(struct parse_ctx *p, const char *v, void *dst) {
        if (!ifname_valid(v))
                return bad_value(p, "expected an interface name (1..15 bytes, no '/', ':', '%', whitespace)");
        free(*(char **) dst);
        *(char **) dst = xstrdup(v);
        return 0;
}

static bool unit_name_chars_valid(const char *s) {
        for (; *s; s++)
                if (!isalnum((unsigned char) *s) && !strchr(":-_.\\@", *s))
                        return false;
        return true;
}

static int p_services(struct parse_ctx *p, const char *v, void *dst) {
        struct conf_libvirt *lv = dst;
        size_t n;
        char **w = split_words(v, &n);

        for (size_t i = 0; i < n; i++) {
                const char *at = strchr(w[i], '@');
                /* a startable service: "name.service" or "name@instance.service", never a template */
                bool ok = endswith(w[i], ".service") && strlen(w[i]) > 8 && strlen(w[i]) <= 255 &&
                          unit_name_chars_valid(w[i]) && w[i][0] != '@' && w[i][0] != '.' &&
                          (!at || (strchr(at + 1, '@') == NULL && at[1] != '.'));
                if (!ok) {
                        strv_free(w);
                        return bad_value(p, "expected service unit names like libvirtd.service");
                }
        }
        strv_free(lv->services);
        lv->services = w;
        lv->n_services = n;
        return 0;
}

_Static_assert(offsetof(struct vf_settings, mac) == offsetof(struct vf_settings, has_mac) + 1, "has_mac before mac");
_Static_assert(offsetof(struct conf_bridge, mac) == offsetof(struct conf_bridge, has_mac) + 1, "has_mac before mac");

struct key_def {
        const char *name;
        value_parser parse;
        size_t offset;
        const char *only_in; /* non-NULL: refused here with this hint */
};

#define VFS(field) (offsetof(struct vf_settings, field))
#define VF_KEYS(base)                                                                         \
        { "VLAN", p_vlan_id, (base) + VFS(vlan), NULL },                                      \
        { "QoS", p_qos, (base) + VFS(qos), NULL },                                            \
        { "VLANProtocol", p_proto, (base) + VFS(vlan_proto), NULL },                          \
        { "Trust", p_bool, (base) + VFS(trust), NULL },                                       \
        { "SpoofCheck", p_bool, (base) + VFS(spoof_check), NULL },                            \
        { "LinkState", p_link_state, (base) + VFS(link_state), NULL },                        \
        { "MaxTxRate", p_rate, (base) + VFS(max_tx_rate), NULL },                             \
        { "MinTxRate", p_rate, (base) + VFS(min_tx_rate), NULL }

static const struct key_def sriov_keys[] = {
        { "VirtualFunctions", p_num_vfs, offsetof(struct conf_sriov, num_vfs), NULL },
        { "DriversAutoprobe", p_bool, offsetof(struct conf_sriov, autoprobe), NULL },
        { "Driver", p_driver, offsetof(struct conf_sriov, driver), NULL },
        { "Unmanaged", p_flag, offsetof(struct conf_sriov, unmanaged), NULL },
        { "MACAddressPolicy", p_mac_policy, offsetof(struct conf_sriov, mac_policy), NULL },
        { "TimeoutSec", p_timeout, offsetof(struct conf_sriov, timeout_sec), NULL },
        { "MACAddress", NULL, 0, "[VF <pf>:<index>] sections (one MAC per VF)" },
        VF_KEYS(offsetof(struct conf_sriov, defaults)),
        {}
};

static const struct key_def vf_keys[] = {
        { "MACAddress", p_mac, offsetof(struct conf_vf, set) + VFS(mac), NULL },
        { "Driver", p_driver, offsetof(struct conf_vf, set) + VFS(driver), NULL },
        VF_KEYS(offsetof(struct conf_vf, set)),
        {}
};

static const struct key_def hugepages_keys[] = {
        { "Pages", p_pages, offsetof(struct conf_hugepages, pages), NULL },
        { "NodePages", p_node_pages, 0, NULL },
        { "Mount", p_path, offsetof(struct conf_hugepages, mount), NULL },
        { "Mode", p_mode, offsetof(struct conf_hugepages, mode), NULL },
        { "Group", p_group, offsetof(struct conf_hugepages, group), NULL },
        { "Strict", p_flag, offsetof(struct conf_hugepages, strict), NULL },
        {}
};

static const struct key_def vlan_keys[] = {
        { "Link", p_ifname, offsetof(struct conf_vlan, link), NULL },
        { "Id", p_vlan_id_nonzero, offsetof(struct conf_vlan, id), NULL },
        { "Protocol", p_proto, offsetof(struct conf_vlan, protocol), NULL },
        { "MTU", p_mtu, offsetof(struct conf_vlan, mtu), NULL },
        { "Bridge", p_ifname, offsetof(struct conf_vlan, bridge), NULL },
        {}
};

static const struct key_def bridge_keys[] = {
        { "Ports", p_ifnames, 0, NULL },
        { "STP", p_bool, offsetof(struct conf_bridge, stp), NULL },
        { "ForwardDelaySec", p_fwd_delay, offsetof(struct conf_bridge, forward_delay_sec), NULL },
        { "VLANFiltering", p_bool, offsetof(struct conf_bridge, vlan_filtering), NULL },
        { "MTU", p_mtu, offsetof(struct conf_bridge, mtu), NULL },
        { "MACAddress", p_mac, offsetof(struct conf_bridge, mac), NULL },
        {}
};

static const struct key_def libvirt_keys[] = {
        { "Services", p_services, 0, NULL },
        { "Order", p_flag, offsetof(struct conf_libvirt, order), NULL },
        {}
};

/* Applies every key of s to obj; returns the location of each key's last assignment via ret_locs. */
static void apply_keys(struct raw_section *s, void *obj, const struct key_def *keys, const struct raw_kv **ret_last) {
        for (size_t i = 0; i < s->n_kvs; i++) {
                const struct raw_kv *kv = &s->kvs[i];
                const struct key_def *k;
                size_t ki;

                for (ki = 0, k = keys; k->name; k++, ki++)
                        if (streq(k->name, kv->key))
                                break;
                if (!k->name) {
                        diag_warning(kv->loc.file, kv->loc.line, "unknown key '%s' in %s, ignoring", kv->key, s->title);
                        continue;
                }
                if (k->only_in) {
                        diag_error(kv->loc.file, kv->loc.line, "%s= belongs in %s, ignoring section %s",
                                   kv->key, k->only_in, s->title);
                        s->bad = true;
                        continue;
                }
                struct parse_ctx p = { s, kv };
                if (k->parse(&p, kv->value, (char *) obj + k->offset) >= 0 && ret_last)
                        ret_last[ki] = kv;
        }
}

static size_t key_index(const struct key_def *keys, const char *name) {
        size_t i = 0;
        while (keys[i].name && !streq(keys[i].name, name))
                i++;
        return i;
}

static void vf_settings_init(struct vf_settings *v) {
        *v = (struct vf_settings) {
                .vlan = CONF_UNSET, .qos = CONF_UNSET, .vlan_proto = CONF_UNSET,
                .trust = CONF_UNSET, .spoof_check = CONF_UNSET, .link_state = CONF_UNSET,
                .max_tx_rate = CONF_UNSET, .min_tx_rate = CONF_UNSET,
        };
}

static void vf_settings_done(struct vf_settings *v) {
        free(v->driver);
}

/* Errors that involve several keys of one section; at the line of the later key. */
static bool check_vf_settings(struct raw_section *s, const struct vf_settings *v, const struct key_def *keys,
                              const struct raw_kv **last) {
        const struct raw_kv *a = last[key_index(keys, "MinTxRate")], *b = last[key_index(keys, "MaxTxRate")];
        const struct raw_kv *q = last[key_index(keys, "QoS")], *vl = last[key_index(keys, "VLAN")];

        if (v->min_tx_rate > 0 && v->max_tx_rate > 0 && v->min_tx_rate > v->max_tx_rate) {
                const struct raw_kv *at = a->loc.file == b->loc.file && a->loc.line > b->loc.line ? a : b;
                diag_error(at->loc.file, at->loc.line, "MinTxRate=%s exceeds MaxTxRate=%s, ignoring section %s",
                           a->value, b->value, s->title);
                return false;
        }
        if (q && !vl) {
                diag_error(q->loc.file, q->loc.line, "QoS= needs VLAN=, ignoring section %s", s->title);
                return false;
        }
        return true;
}

static void build_sriov(struct conf *c, struct raw_section *s) {
        const struct raw_kv *last[ELEMENTSOF(sriov_keys)] = {};
        struct conf_sriov *pf = xcalloc(1, sizeof(*pf));

        pf->name = xstrdup(s->name);
        pf->is_pci = pci_address_valid(s->name);
        pf->loc = s->loc;
        pf->autoprobe = CONF_UNSET;
        pf->unmanaged = true;
        pf->mac_policy = MAC_POLICY_KEEP;
        vf_settings_init(&pf->defaults);
        apply_keys(s, pf, sriov_keys, last);

        if (!s->bad && !last[key_index(sriov_keys, "VirtualFunctions")]) {
                diag_error(s->loc.file, s->loc.line, "%s has no VirtualFunctions=, ignoring section", s->title);
                s->bad = true;
        }
        if (!s->bad && !check_vf_settings(s, &pf->defaults, sriov_keys, last))
                s->bad = true;
        /* A PF named by PCI address has no netdev to send per-VF netlink settings through. */
        for (size_t i = 0; !s->bad && pf->is_pci && i < s->n_kvs; i++) {
                const struct raw_kv *kv = &s->kvs[i];
                if (streq(kv->key, "VirtualFunctions") || streq(kv->key, "DriversAutoprobe") ||
                    streq(kv->key, "Driver") || streq(kv->key, "TimeoutSec") || streq(kv->key, "Unmanaged") ||
                    key_index(sriov_keys, kv->key) == ELEMENTSOF(sriov_keys) - 1)
                        continue;
                diag_error(kv->loc.file, kv->loc.line,
                           "%s= needs a network PF, but %s names a PCI device (only VirtualFunctions=, "
                           "DriversAutoprobe=, Driver= and TimeoutSec= apply), ignoring section",
                           kv->key, s->title);
                s->bad = true;
        }

        if (s->bad) {
                vf_settings_done(&pf->defaults);
                free(pf->driver);
                free(pf->name);
                free(pf);
                return;
        }
        c->sriov = xrealloc(c->sriov, (c->n_sriov + 1) * sizeof(*c->sriov));
        c->sriov[c->n_sriov++] = pf;
}

static void build_vf(struct conf *c, struct raw_section *s) {
        const struct raw_kv *last[ELEMENTSOF(vf_keys)] = {};
        struct conf_vf *vf = xcalloc(1, sizeof(*vf));
        char *colon;

        vf->pf = xstrdup(s->name);
        colon = strrchr(vf->pf, ':');
        *colon = '\0';
        vf->index = (unsigned) strtoul(colon + 1, NULL, 10);
        vf->loc = s->loc;
        vf_settings_init(&vf->set);
        apply_keys(s, vf, vf_keys, last);
        if (!s->bad && !check_vf_settings(s, &vf->set, vf_keys, last))
                s->bad = true;

        if (s->bad) {
                vf_settings_done(&vf->set);
                free(vf->pf);
                free(vf);
                return;
        }
        c->vfs = xrealloc(c->vfs, (c->n_vfs + 1) * sizeof(*c->vfs));
        c->vfs[c->n_vfs++] = vf;
}

static void free_hugepages(struct conf_hugepages *h) {
        free(h->name);
        free(h->node_pages);
        free(h->mount);
        free(h->group);
        free(h);
}

static void build_hugepages(struct conf *c, struct raw_section *s) {
        const struct raw_kv *last[ELEMENTSOF(hugepages_keys)] = {};
        struct conf_hugepages *h = xcalloc(1, sizeof(*h));
        const struct key_def *keys = hugepages_keys;

        h->name = xstrdup(s->name);
        (void) parse_size_kb(s->name, &h->size_kb);
        h->loc = s->loc;
        h->pages = CONF_UNSET;

        apply_keys(s, h, keys, last);
        h->has_mode = last[key_index(keys, "Mode")] != NULL;

        const struct raw_kv *pg = last[key_index(keys, "Pages")], *np = last[key_index(keys, "NodePages")];
        if (!s->bad && pg && np) {
                const struct raw_kv *later = np;
                if (pg->loc.file == np->loc.file ? pg->loc.line > np->loc.line : strcmp(pg->loc.file, np->loc.file) > 0)
                        later = pg;
                diag_error(later->loc.file, later->loc.line,
                           "Pages= and NodePages= both given (total or per node, not both), ignoring section %s",
                           s->title);
                s->bad = true;
        }
        if (!s->bad && !pg && !np) {
                diag_error(s->loc.file, s->loc.line, "%s needs Pages= or NodePages=, ignoring section", s->title);
                s->bad = true;
        }
        const struct raw_kv *opt = last[key_index(keys, "Mode")] ? last[key_index(keys, "Mode")] : last[key_index(keys, "Group")];
        if (!s->bad && !h->mount && opt) {
                diag_error(opt->loc.file, opt->loc.line, "%s= needs Mount=, ignoring section %s", opt->key, s->title);
                s->bad = true;
        }
        if (np)
                h->pages = CONF_UNSET;

        if (s->bad) {
                free_hugepages(h);
                return;
        }
        c->hugepages = xrealloc(c->hugepages, (c->n_hugepages + 1) * sizeof(*c->hugepages));
        c->hugepages[c->n_hugepages++] = h;
}

static void build_vlan(struct conf *c, struct raw_section *s) {
        const struct raw_kv *last[ELEMENTSOF(vlan_keys)] = {};
        struct conf_vlan *v = xcalloc(1, sizeof(*v));

        v->name = xstrdup(s->name);
        v->loc = s->loc;
        v->protocol = 0x8100;
        apply_keys(s, v, vlan_keys, last);

        if (!s->bad && (!v->link || !last[key_index(vlan_keys, "Id")])) {
                diag_error(s->loc.file, s->loc.line, "%s needs Link= and Id=, ignoring section", s->title);
                s->bad = true;
        }
        if (!s->bad && streq(v->link, v->name)) {
                const struct raw_kv *kv = last[key_index(vlan_keys, "Link")];
                diag_error(kv->loc.file, kv->loc.line, "Link= cannot be the VLAN itself, ignoring section %s", s->title);
                s->bad = true;
        }
        if (!s->bad && v->bridge && (streq(v->bridge, v->name) || streq(v->bridge, v->link))) {
                const struct raw_kv *kv = last[key_index(vlan_keys, "Bridge")];
                diag_error(kv->loc.file, kv->loc.line, "Bridge=%s would be a loop, ignoring section %s", v->bridge,
                           s->title);
                s->bad = true;
        }
        if (s->bad) {
                free(v->name);
                free(v->link);
                free(v->bridge);
                free(v);
                return;
        }
        c->vlans = xrealloc(c->vlans, (c->n_vlans + 1) * sizeof(*c->vlans));
        c->vlans[c->n_vlans++] = v;
}

static void free_bridge(struct conf_bridge *b) {
        free(b->name);
        strv_free(b->ports);
        free(b);
}

static void build_bridge(struct conf *c, struct raw_section *s) {
        const struct raw_kv *last[ELEMENTSOF(bridge_keys)] = {};
        struct conf_bridge *b = xcalloc(1, sizeof(*b));

        b->name = xstrdup(s->name);
        b->loc = s->loc;
        b->stp = b->forward_delay_sec = b->vlan_filtering = CONF_UNSET;
        b->ports = xcalloc(1, sizeof(char *));
        apply_keys(s, b, bridge_keys, last);

        if (!s->bad && strv_contains(b->ports, b->name)) {
                const struct raw_kv *kv = last[key_index(bridge_keys, "Ports")];
                diag_error(kv->loc.file, kv->loc.line, "a bridge cannot be its own port, ignoring section %s", s->title);
                s->bad = true;
        }
        if (s->bad) {
                free_bridge(b);
                return;
        }
        c->bridges = xrealloc(c->bridges, (c->n_bridges + 1) * sizeof(*c->bridges));
        c->bridges[c->n_bridges++] = b;
}

static void build_libvirt(struct conf *c, struct raw_section *s) {
        struct conf_libvirt lv = { .loc = s->loc, .order = true };

        apply_keys(s, &lv, libvirt_keys, NULL);
        if (s->bad) {
                strv_free(lv.services);
                return;
        }
        if (lv.services) {
                strv_free(c->libvirt.services);
                c->libvirt.services = lv.services;
                c->libvirt.n_services = lv.n_services;
        }
        c->libvirt.order = lv.order;
        c->libvirt.loc = lv.loc;
}

/* ---------------------------------------------------------------------------------------------
 * Checks across sections.
 */

static int cmp_vf(const void *a, const void *b) {
        const struct conf_vf *x = *(struct conf_vf *const *) a, *y = *(struct conf_vf *const *) b;
        return x->index < y->index ? -1 : x->index > y->index;
}

static bool vf_has_netlink_settings(const struct vf_settings *v) {
        return v->has_mac || v->vlan != CONF_UNSET || v->qos != CONF_UNSET || v->vlan_proto != CONF_UNSET ||
               v->trust != CONF_UNSET || v->spoof_check != CONF_UNSET || v->link_state != CONF_UNSET ||
               v->max_tx_rate != CONF_UNSET || v->min_tx_rate != CONF_UNSET;
}

static void link_vfs(struct conf *c) {
        size_t kept = 0;

        for (size_t i = 0; i < c->n_vfs; i++) {
                struct conf_vf *vf = c->vfs[i];
                struct conf_sriov *pf = conf_find_sriov(c, vf->pf);
                const char *why = NULL;

                if (!pf)
                        why = "there is no valid [SR-IOV] section for this PF";
                else if (vf->index >= pf->num_vfs)
                        why = "the index is not below VirtualFunctions= of its PF";
                else if (pf->is_pci && vf_has_netlink_settings(&vf->set))
                        why = "the PF is named by PCI address: only Driver= applies to its VFs "
                              "(there is no network PF to configure them through)";
                if (why) {
                        diag_error(vf->loc.file, vf->loc.line, "[VF %s:%u]: %s, ignoring section", vf->pf, vf->index, why);
                        vf_settings_done(&vf->set);
                        free(vf->pf);
                        free(vf);
                        continue;
                }
                pf->vfs = xrealloc(pf->vfs, (pf->n_vfs + 1) * sizeof(*pf->vfs));
                pf->vfs[pf->n_vfs++] = vf;
                c->vfs[kept++] = vf;
        }
        c->n_vfs = kept;

        for (size_t i = 0; i < c->n_sriov; i++)
                if (c->sriov[i]->n_vfs > 1)
                        qsort(c->sriov[i]->vfs, c->sriov[i]->n_vfs, sizeof(struct conf_vf *), cmp_vf);
}

static void drop_bridge(struct conf *c, size_t i) {
        free_bridge(c->bridges[i]);
        memmove(c->bridges + i, c->bridges + i + 1, (c->n_bridges - i - 1) * sizeof(*c->bridges));
        c->n_bridges--;
}

static void drop_vlan(struct conf *c, size_t i) {
        free(c->vlans[i]->name);
        free(c->vlans[i]->link);
        free(c->vlans[i]->bridge);
        free(c->vlans[i]);
        memmove(c->vlans + i, c->vlans + i + 1, (c->n_vlans - i - 1) * sizeof(*c->vlans));
        c->n_vlans--;
}

static void check_net(struct conf *c) {
        /* A name declared twice (a VLAN and a bridge): the later declaration goes. */
        for (size_t i = 0; i < c->n_bridges; i++) {
                struct conf_vlan *v = conf_find_vlan(c, c->bridges[i]->name);
                if (v) {
                        diag_error(c->bridges[i]->loc.file, c->bridges[i]->loc.line,
                                   "[Bridge %s]: %s is already declared as a VLAN at %s:%u, ignoring section",
                                   c->bridges[i]->name, v->name, v->loc.file, v->loc.line);
                        drop_bridge(c, i--);
                }
        }

        /* A port belongs to one bridge; bridges do not nest; a bridge's port is not built on the bridge. */
        for (size_t i = 0; i < c->n_bridges; i++) {
                struct conf_bridge *b = c->bridges[i];
                const char *why = NULL, *port = NULL;

                for (size_t p = 0; !why && p < b->n_ports; p++) {
                        struct conf_vlan *v = conf_find_vlan(c, b->ports[p]);
                        port = b->ports[p];
                        if (conf_find_bridge(c, port))
                                why = "bridges cannot be ports of bridges";
                        else if (v && streq(v->link, b->name))
                                why = "it is a VLAN on this bridge (a loop)";
                        else if (v && v->bridge && !streq(v->bridge, b->name))
                                why = "its [VLAN] section says Bridge= another bridge";
                        for (size_t j = 0; !why && j < i; j++)
                                if (strv_contains(c->bridges[j]->ports, port))
                                        why = "it is already a port of another bridge";
                }
                if (why) {
                        diag_error(b->loc.file, b->loc.line, "[Bridge %s]: cannot use port %s: %s, ignoring section",
                                   b->name, port, why);
                        drop_bridge(c, i--);
                }
        }

        for (size_t i = 0; i < c->n_vlans; i++) {
                struct conf_vlan *v = c->vlans[i];
                struct conf_bridge *b;

                if (!v->bridge)
                        continue;
                b = conf_find_bridge(c, v->bridge);
                if (!b) {
                        diag_error(v->loc.file, v->loc.line, "[VLAN %s]: Bridge=%s is not a declared [Bridge], ignoring section",
                                   v->name, v->bridge);
                        drop_vlan(c, i--);
                        continue;
                }
                for (size_t j = 0; j < c->n_bridges; j++)
                        if (c->bridges[j] != b && strv_contains(c->bridges[j]->ports, v->name)) {
                                diag_error(v->loc.file, v->loc.line,
                                           "[VLAN %s]: Bridge=%s, but [Bridge %s] lists it as a port, ignoring section",
                                           v->name, v->bridge, c->bridges[j]->name);
                                b = NULL;
                        }
                if (!b) {
                        drop_vlan(c, i--);
                        continue;
                }
                if (!strv_contains(b->ports, v->name))
                        strv_push(&b->ports, &b->n_ports, xstrdup(v->name));
        }
}

static void check_hugepages(struct conf *c) {
        /* One hugetlbfs mount point serves one page size: the later section goes. */
        for (size_t i = 0; i < c->n_hugepages; i++)
                for (size_t j = 0; j < i; j++) {
                        struct conf_hugepages *h = c->hugepages[i], *o = c->hugepages[j];
                        if (!h->mount || !o->mount || !streq(h->mount, o->mount))
                                continue;
                        diag_error(h->loc.file, h->loc.line,
                                   "[Hugepages %s]: Mount=%s is already the mount point of [Hugepages %s] (%s:%u), "
                                   "ignoring section", h->name, h->mount, o->name, o->loc.file, o->loc.line);
                        free_hugepages(h);
                        memmove(c->hugepages + i, c->hugepages + i + 1, (c->n_hugepages - i - 1) * sizeof(*c->hugepages));
                        c->n_hugepages--;
                        i--;
                        break;
                }
}

/* Where a declaration stands in reading order: file, then line. */
static long loc_rank(const struct conf *c, const struct conf_loc *loc) {
        for (size_t i = 0; i < c->n_files; i++)
                if (c->files[i] == loc->file)
                        return (long) i * 1000000L + (long) loc->line;
        return (long) loc->line;
}

/* The declared VLANs and bridges name depends on: a VLAN its Link=, a bridge its Ports=. */
static size_t net_deps(const struct conf *c, const char *name, const char *ret[], size_t max) {
        struct conf_vlan *v = conf_find_vlan(c, name);
        struct conf_bridge *b = conf_find_bridge(c, name);
        size_t n = 0;

        if (v && (conf_find_vlan(c, v->link) || conf_find_bridge(c, v->link)))
                ret[n++] = v->link;
        for (size_t i = 0; b && i < b->n_ports && n < max; i++)
                if (conf_find_vlan(c, b->ports[i]) || conf_find_bridge(c, b->ports[i]))
                        ret[n++] = b->ports[i];
        return n;
}

/* Depth-first search for a path from cur back to start; path[] gets the names on it. */
static bool net_path_back(const struct conf *c, const char *start, const char *cur, const char **path, size_t depth,
                          size_t max, size_t *ret_len) {
        const char *deps[64];
        size_t n;

        if (depth >= max)
                return false;
        path[depth] = cur;
        n = net_deps(c, cur, deps, ELEMENTSOF(deps));
        for (size_t i = 0; i < n; i++) {
                if (streq(deps[i], start)) {
                        *ret_len = depth + 1;
                        return true;
                }
                bool seen = false;
                for (size_t k = 0; k <= depth; k++)
                        seen = seen || streq(path[k], deps[i]);
                if (!seen && net_path_back(c, start, deps[i], path, depth + 1, max, ret_len))
                        return true;
        }
        return false;
}

/* Link=/Ports= loops (va on vb on va; a VLAN on a bridge whose port is that VLAN): none of them
 * could ever come up.  The member of the loop declared last is dropped, until no loop is left. */
static void check_net_loops(struct conf *c) {
        for (bool again = true; again; ) {
                size_t n_nodes = c->n_vlans + c->n_bridges, len = 0;
                const char **path = xcalloc(n_nodes + 1, sizeof(char *));

                again = false;
                for (size_t i = 0; i < n_nodes && !again; i++) {
                        const char *name = i < c->n_vlans ? c->vlans[i]->name : c->bridges[i - c->n_vlans]->name;
                        const struct conf_loc *worst = NULL;
                        const char *worst_name = NULL;
                        char chain[512] = "";

                        if (!net_path_back(c, name, name, path, 0, n_nodes, &len))
                                continue;
                        for (size_t k = 0; k < len; k++) {
                                struct conf_vlan *v = conf_find_vlan(c, path[k]);
                                const struct conf_loc *loc = v ? &v->loc : &conf_find_bridge(c, path[k])->loc;
                                if (!worst || loc_rank(c, loc) > loc_rank(c, worst)) {
                                        worst = loc;
                                        worst_name = path[k];
                                }
                                snprintf(chain + strlen(chain), sizeof(chain) - strlen(chain), "%s -> ", path[k]);
                        }
                        snprintf(chain + strlen(chain), sizeof(chain) - strlen(chain), "%s", path[0]);
                        diag_error(worst->file, worst->line, "[%s %s]: Link=/Ports= make a loop (%s), ignoring section",
                                   conf_find_vlan(c, worst_name) ? "VLAN" : "Bridge", worst_name, chain);
                        for (size_t k = 0; k < c->n_vlans; k++)
                                if (streq(c->vlans[k]->name, worst_name)) {
                                        drop_vlan(c, k);
                                        break;
                                }
                        for (size_t k = 0; k < c->n_bridges; k++)
                                if (streq(c->bridges[k]->name, worst_name)) {
                                        drop_bridge(c, k);
                                        break;
                                }
                        again = true;
                }
                free(path);
        }
}

static void set_defaults(struct conf *c) {
        c->libvirt.order = true;
        c->libvirt.services = split_words("libvirtd.service virtqemud.service", &c->libvirt.n_services);
}

int conf_load(struct conf **ret, char *const *paths) {
        struct loader l = {};
        struct conf *c = xcalloc(1, sizeof(*c));
        unsigned e0 = diag_n_errors(), w0 = diag_n_warnings();

        l.conf = c;
        set_defaults(c);
        diag_hold();

        if (paths) {
                for (; *paths; paths++) {
                        _cleanup_free_ char *real = (*paths)[0] == '/' ? root_path(*paths) : xstrdup(*paths);
                        load_file(&l, *paths, real);
                }
        } else
                load_dirs(&l);

        for (size_t i = 0; i < l.n_sections; i++) {
                struct raw_section *s = l.sections[i];
                switch (s->kind) {
                case KIND_SRIOV: build_sriov(c, s); break;
                case KIND_VF: build_vf(c, s); break;
                case KIND_HUGEPAGES: build_hugepages(c, s); break;
                case KIND_VLAN: build_vlan(c, s); break;
                case KIND_BRIDGE: build_bridge(c, s); break;
                case KIND_LIBVIRT: build_libvirt(c, s); break;
                default: break;
                }
        }
        link_vfs(c);
        check_hugepages(c);
        check_net(c);
        check_net_loops(c);

        for (size_t i = 0; i < l.n_sections; i++) {
                struct raw_section *s = l.sections[i];
                for (size_t k = 0; k < s->n_kvs; k++) {
                        free(s->kvs[k].key);
                        free(s->kvs[k].value);
                }
                free(s->kvs);
                free(s->name);
                free(s->title);
                free(s);
        }
        tdestroy(l.index, noop_free);
        free(l.sections);
        free(l.buf);

        diag_flush(c->files);
        c->n_errors = diag_n_errors() - e0;
        c->n_warnings = diag_n_warnings() - w0;
        *ret = c;
        return 0;
}

void conf_free(struct conf *c) {
        if (!c)
                return;
        for (size_t i = 0; i < c->n_sriov; i++) {
                vf_settings_done(&c->sriov[i]->defaults);
                free(c->sriov[i]->name);
                free(c->sriov[i]->driver);
                free(c->sriov[i]->vfs);
                free(c->sriov[i]);
        }
        free(c->sriov);
        for (size_t i = 0; i < c->n_vfs; i++) {
                vf_settings_done(&c->vfs[i]->set);
                free(c->vfs[i]->pf);
                free(c->vfs[i]);
        }
        free(c->vfs);
        for (size_t i = 0; i < c->n_hugepages; i++)
                free_hugepages(c->hugepages[i]);
        free(c->hugepages);
        while (c->n_vlans > 0)
                drop_vlan(c, 0);
        free(c->vlans);
        for (size_t i = 0; i < c->n_bridges; i++)
                free_bridge(c->bridges[i]);
        free(c->bridges);
        strv_free(c->libvirt.services);
        strv_free(c->files);
        free(c);
}

struct conf_sriov *conf_find_sriov(const struct conf *c, const char *name) {
        for (size_t i = 0; i < c->n_sriov; i++)
                if (streq(c->sriov[i]->name, name))
                        return c->sriov[i];
        return NULL;
}

struct conf_hugepages *conf_find_hugepages(const struct conf *c, const char *name) {
        for (size_t i = 0; i < c->n_hugepages; i++)
                if (streq(c->hugepages[i]->name, name))
                        return c->hugepages[i];
        return NULL;
}

struct conf_vlan *conf_find_vlan(const struct conf *c, const char *name) {
        for (size_t i = 0; i < c->n_vlans; i++)
                if (streq(c->vlans[i]->name, name))
                        return c->vlans[i];
        return NULL;
}

struct conf_bridge *conf_find_bridge(const struct conf *c, const char *name) {
        for (size_t i = 0; i < c->n_bridges; i++)
                if (streq(c->bridges[i]->name, name))
                        return c->bridges[i];
        return NULL;
}

void conf_vf_effective(const struct conf_sriov *pf, unsigned index, struct vf_settings *ret) {
        const struct vf_settings *v = NULL;

        *ret = pf->defaults;
        ret->driver = pf->driver;
        for (size_t i = 0; i < pf->n_vfs; i++)
                if (pf->vfs[i]->index == index)
                        v = &pf->vfs[i]->set;
        if (!v)
                return;

#define OVERLAY(f) if (v->f != CONF_UNSET) ret->f = v->f
        OVERLAY(vlan);
        OVERLAY(qos);
        OVERLAY(vlan_proto);
        OVERLAY(trust);
        OVERLAY(spoof_check);
        OVERLAY(link_state);
        OVERLAY(max_tx_rate);
        OVERLAY(min_tx_rate);
#undef OVERLAY
        if (v->has_mac) {
                ret->has_mac = true;
                memcpy(ret->mac, v->mac, 6);
        }
        if (v->driver)
                ret->driver = v->driver;
}

unsigned conf_sriov_timeout(const struct conf_sriov *pf) {
        /* Creating VFs takes the driver a while each (firmware calls): 60 s plus 5 s per VF. */
        if (pf->timeout_sec > 0)
                return pf->timeout_sec;
        return 60 + 5 * pf->num_vfs;
}

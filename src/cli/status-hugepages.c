/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * status of [Hugepages S]: the pool of that size, globally and per NUMA
 * node, from sysfs; its hugetlbfs mount from /proc/self/mountinfo.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "root.h"
#include "status.h"
#include "sysfs.h"
#include "util.h"

/* A mountinfo field with the kernel's octal escapes (\040 for a space) undone, in place. */
static void unescape_octal(char *s) {
        char *w = s;

        for (; *s; s++) {
                if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
                    s[3] <= '7') {
                        *w++ = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
                        s += 3;
                } else
                        *w++ = *s;
        }
        *w = '\0';
}

/* hugetlbfs says pagesize=2M or pagesize=1024M (K, M or G, no "B"). */
static uint64_t pagesize_kb(const char *opts) {
        const char *p = strstr(opts, "pagesize=");
        char *end;
        unsigned long long v;

        if (!p)
                return 0;
        v = strtoull(p + strlen("pagesize="), &end, 10);
        switch (*end) {
        case 'K':
                return v;
        case 'M':
                return v * 1024;
        case 'G':
                return v * 1024 * 1024;
        default:
                return 0;
        }
}

/*
 * What is mounted at path now: the path itself when it is hugetlbfs of this
 * page size, a description of what is there instead, or null.  The last
 * mount at a path is the one in effect.
 */
static struct val mount_state(const char *path, uint64_t kb) {
        _cleanup_free_ char *mi = root_path("/proc/self/mountinfo"), *line = NULL, *found = NULL;
        _cleanup_fclose_ FILE *f = fopen(mi, "re");
        size_t size = 0;

        if (!f)
                return val_unknown();
        while (getline(&line, &size, f) > 0) {
                char *fields[5] = {}, *sep, *fstype, *opts, *save = NULL, *s = line;
                uint64_t have_kb;

                line[strcspn(line, "\n")] = '\0';
                sep = strstr(line, " - ");
                if (!sep)
                        continue;
                *sep = '\0';
                for (int i = 0; i < 5; i++, s = NULL)
                        fields[i] = strtok_r(s, " ", &save);
                if (!fields[4])
                        continue;
                unescape_octal(fields[4]);
                if (!streq(fields[4], path))
                        continue;
                fstype = strtok_r(sep + 3, " ", &save);
                (void) strtok_r(NULL, " ", &save); /* the source */
                opts = strtok_r(NULL, " ", &save);
                if (!fstype)
                        continue;
                free(found);
                have_kb = streq(fstype, "hugetlbfs") && opts ? pagesize_kb(opts) : 0;
                if (have_kb == kb)
                        found = xstrdup(path);
                else if (have_kb > 0) {
                        _cleanup_free_ char *sz = format_size_kb(have_kb);
                        found = xasprintf("%s: hugetlbfs pagesize=%s", path, sz);
                } else
                        found = xasprintf("%s: %s", path, fstype);
        }
        return found ? val_str(found) : val_null();
}

static long node_pages(const struct conf_hugepages *h, unsigned node) {
        for (size_t k = 0; k < h->n_node_pages; k++)
                if (h->node_pages[k].node == node)
                        return (long) h->node_pages[k].pages;
        return -1;
}

static int cmp_uint(const void *a, const void *b) {
        unsigned x = *(const unsigned *) a, y = *(const unsigned *) b;
        return x < y ? -1 : x > y;
}

/* The nodes to show: every node that has a pool of this size, and every node NodePages= names. */
static size_t list_nodes(const struct conf_hugepages *h, unsigned **ret) {
        _cleanup_free_ char *dir = host_path("/sys/devices/system/node");
        unsigned *v = NULL;
        size_t n = 0;
        DIR *d = opendir(dir);
        struct dirent *de;

        while (d && (de = readdir(d))) {
                unsigned long long node;
                _cleanup_free_ char *pool = NULL;

                if (!startswith(de->d_name, "node") || parse_uint(de->d_name + 4, 65535, &node) < 0)
                        continue;
                pool = xasprintf("%s/%s/hugepages/hugepages-%" PRIu64 "kB", dir, de->d_name, h->size_kb);
                if (!host_exists(pool))
                        continue;
                v = xrealloc(v, (n + 1) * sizeof(*v));
                v[n++] = (unsigned) node;
        }
        if (d)
                closedir(d);
        for (size_t k = 0; k < h->n_node_pages; k++) {
                bool seen = false;
                for (size_t i = 0; i < n; i++)
                        seen = seen || v[i] == h->node_pages[k].node;
                if (seen)
                        continue;
                v = xrealloc(v, (n + 1) * sizeof(*v));
                v[n++] = h->node_pages[k].node;
        }
        if (n > 1)
                qsort(v, n, sizeof(*v), cmp_uint);
        *ret = v;
        return n;
}

static void node_members(struct obj *o, const struct conf_hugepages *h) {
        _cleanup_free_ unsigned *nodes = NULL;
        size_t n = list_nodes(h, &nodes);

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *dir = host_path("/sys/devices/system/node/node%u/hugepages/hugepages-%" PRIu64 "kB",
                                                     nodes[i], h->size_kb);
                _cleanup_free_ char *nr = xasprintf("%s/nr_hugepages", dir), *fr = xasprintf("%s/free_hugepages", dir);
                long want = node_pages(h, nodes[i]);
                char name[16];
                struct obj *m;

                snprintf(name, sizeof(name), "%u", nodes[i]);
                m = obj_add_member(o, "node", name);
                obj_at_least(m, "pages", want < 0 ? val_null() : val_int(want), host_read_int(nr));
                obj_compare(m, "free", val_null(), host_read_int(fr));
        }
}

static void status_size(struct status *st, const struct conf_hugepages *h) {
        _cleanup_free_ char *dir = host_path("/sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB", h->size_kb);
        _cleanup_free_ char *nr = xasprintf("%s/nr_hugepages", dir), *fr = xasprintf("%s/free_hugepages", dir);
        long long want = h->pages;
        struct obj *o;

        if (want == CONF_UNSET) {
                want = 0;
                for (size_t k = 0; k < h->n_node_pages; k++)
                        want += (long long) h->node_pages[k].pages;
        }

        o = obj_new(st, &kind_hugepages, h->name, &h->loc);
        o->unit = unit_instance("hostvirt-hugepages", h->name, ".service");
        obj_compare(o, "active_state", val_str("active"), unit_active_state(o->unit));
        obj_compare(o, "supported", val_bool(true), val_bool(host_exists(dir)));
        /* Pages reserved elsewhere (kernel command line, sysctl) are never given back: more is fine. */
        obj_at_least(o, "pages", val_int(want), host_read_int(nr));
        obj_compare(o, "free", val_null(), host_read_int(fr));
        obj_compare(o, "mount", val_str(h->mount), h->mount ? mount_state(h->mount, h->size_kb) : val_null());
        node_members(o, h);
}

void status_hugepages(struct status *st) {
        for (size_t i = 0; i < CONF_N(st->conf, HUGEPAGES); i++)
                status_size(st, CONF_AT(st->conf, HUGEPAGES, conf_hugepages, i));
}

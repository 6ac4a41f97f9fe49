/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* [Hugepages S] (hugepages.c): a pool of one page size, and its hugetlbfs mount. */

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "kinds.h"

struct node_pages {
        unsigned node;
        unsigned long pages;
};

struct conf_hugepages {
        char *name;         /* normalized size: "2M", "1G", "64kB" ... */
        uint64_t size_kb;
        struct conf_loc loc;
        long pages;         /* CONF_UNSET when NodePages= is used */
        struct node_pages *node_pages;
        size_t n_node_pages;
        char *mount;        /* absolute, normalized path, or NULL */
        unsigned mode;      /* valid when has_mode; the emitter defaults to 01770 with Group=, else no mode= */
        bool has_mode;
        char *group;        /* name or number as given, NULL = unset */
        bool strict;
};

static inline struct conf_hugepages *conf_find_hugepages(const struct conf *c, const char *name) {
        return conf_find(c, &kind_hugepages, name);
}

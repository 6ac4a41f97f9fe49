/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "root.h"
#include "util.h"

static char *root;
static bool root_init;

const char *root_dir(void) {
        const char *e;
        size_t n;

        if (root_init)
                return root;
        root_init = true;

        e = getenv("HOSTVIRT_ROOT");
        root = xstrdup(e ? e : "");
        n = strlen(root);
        while (n > 0 && root[n - 1] == '/')
                root[--n] = '\0';
        return root;
}

bool root_is_set(void) {
        const char *e = getenv("HOSTVIRT_ROOT");

        /* "HOSTVIRT_ROOT=/" means the real root, but still "set" for logging. */
        return e && *e;
}

char *root_path(const char *path) {
        return xasprintf("%s%s", root_dir(), path);
}

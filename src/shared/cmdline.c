/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "log.h"
#include "root.h"
#include "util.h"

static int read_all(const char *path, char **ret, size_t *ret_size) {
        _cleanup_free_ char *p = root_path(path);
        char *buf = NULL;
        size_t size = 0;
        ssize_t n;
        int fd;

        fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        for (;;) {
                buf = xrealloc(buf, size + 4096 + 1);
                n = read(fd, buf + size, 4096);
                if (n < 0) {
                        int r = -errno;
                        free(buf);
                        close(fd);
                        return r;
                }
                if (n == 0)
                        break;
                size += (size_t) n;
        }
        close(fd);
        buf[size] = '\0';
        *ret = buf;
        *ret_size = size;
        return 0;
}

/* Splits /proc/cmdline into words, honouring double quotes like systemd does. */
static char **split_cmdline(const char *s) {
        char **v = NULL, *w;
        size_t n = 0, len;

        for (;;) {
                bool quoted = false;

                while (*s == ' ' || *s == '\t' || *s == '\n')
                        s++;
                if (!*s)
                        break;
                w = xmalloc(strlen(s) + 1);
                len = 0;
                for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
                        if (*s == '"')
                                quoted = !quoted;
                        else
                                w[len++] = *s;
                }
                w[len] = '\0';
                strv_push(&v, &n, w);
        }
        return v ? v : xcalloc(1, sizeof(char *));
}

static char **read_cmdline(void) {
        _cleanup_free_ char *buf = NULL;
        const char *virt = getenv("SYSTEMD_VIRTUALIZATION");
        char **v = NULL;
        size_t size, n = 0;

        if (virt && startswith(virt, "container:")) {
                if (read_all("/proc/1/cmdline", &buf, &size) < 0)
                        return xcalloc(1, sizeof(char *));
                /* argv[0] is the init binary; the rest are its arguments */
                for (size_t i = strlen(buf) + 1; i < size; i += strlen(buf + i) + 1)
                        strv_push(&v, &n, xstrdup(buf + i));
                return v ? v : xcalloc(1, sizeof(char *));
        }
        if (read_all("/proc/cmdline", &buf, &size) < 0)
                return xcalloc(1, sizeof(char *));
        return split_cmdline(buf);
}

int cmdline_get_key(const char *key, char **ret) {
        char **v = read_cmdline();
        size_t klen = strlen(key);
        const char *found = NULL;

        for (char **w = v; *w; w++) {
                if (strncmp(*w, key, klen) != 0)
                        continue;
                if ((*w)[klen] == '=')
                        found = *w + klen + 1;
                else if ((*w)[klen] == '\0')
                        found = "";
        }
        if (found)
                *ret = xstrdup(found);
        strv_free(v);
        return found ? 1 : 0;
}

/*
 * The rescue switch must never fail open.  Every occurrence counts, in order: a valid
 * boolean sets the state (the last valid one wins, as systemd reads its own switches);
 * anything else, an empty "hostvirt=", a bare "hostvirt" or a value that is no boolean,
 * is ignored with a warning and so can never undo an earlier "hostvirt=0".
 */
bool cmdline_hostvirt_enabled(void) {
        char **v = read_cmdline();
        const char *last_off = NULL;
        bool enabled = true;

        for (char **w = v; *w; w++) {
                const char *value;
                int b;

                if (!startswith(*w, "hostvirt"))
                        continue;
                if ((*w)[strlen("hostvirt")] == '=')
                        value = *w + strlen("hostvirt=");
                else if ((*w)[strlen("hostvirt")] == '\0')
                        value = NULL;
                else
                        continue; /* hostvirtfoo=... is another key */

                b = value && *value ? parse_boolean(value) : -EINVAL;
                if (b < 0) {
                        if (last_off)
                                log_warning("Ignoring invalid '%s' on the kernel command line: the earlier '%s' "
                                            "stays in force.", *w, last_off);
                        else
                                log_warning("Ignoring invalid '%s' on the kernel command line "
                                            "(expected hostvirt=0/no/off/false or 1/yes/on/true).", *w);
                        continue;
                }
                enabled = b;
                last_off = b ? NULL : *w;
        }
        strv_free(v);
        return enabled;
}

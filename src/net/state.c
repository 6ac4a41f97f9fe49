/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "root.h"
#include "state.h"
#include "util.h"

#define STATE_DIR "/run/hostvirt/net"

static void strv_freep(char ***v) {
        strv_free(*v);
}

/* Creates /run/hostvirt/net where it can: tmpfiles.d/hostvirt.conf makes it at boot, the
 * unit's sandbox lets nothing else in /run be written (and under HOSTVIRT_ROOT nobody has). */
static int state_dir(char **ret) {
        static const char *const dirs[] = { "/run", "/run/hostvirt", STATE_DIR };

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *d = root_path(dirs[i]);

                if (mkdir(d, 0755) < 0 && errno != EEXIST)
                        return -errno;
        }
        *ret = root_path(STATE_DIR);
        return 0;
}

static char *state_path(const char *name) {
        return xasprintf("%s%s/%s", root_dir(), STATE_DIR, name);
}

struct state_port *state_find_port(const struct net_state *s, const char *name) {
        for (size_t i = 0; i < s->n_ports; i++)
                if (streq(s->ports[i].name, name))
                        return &s->ports[i];
        return NULL;
}

struct state_port *state_port(struct net_state *s, const char *name) {
        struct state_port *p = state_find_port(s, name);

        if (p)
                return p;
        s->ports = xrealloc(s->ports, (s->n_ports + 1) * sizeof(*s->ports));
        p = &s->ports[s->n_ports++];
        *p = (struct state_port) { .name = xstrdup(name) };
        return p;
}

void state_done(struct net_state *s) {
        for (size_t i = 0; i < s->n_ports; i++)
                free(s->ports[i].name);
        free(s->ports);
        free(s->kind);
        *s = (struct net_state) {};
}

static int parse_line(struct net_state *s, char *line) {
        char *value = strchr(line, '=');
        unsigned long long u;
        int b;

        if (!value)
                return -EBADMSG;
        *value++ = '\0';

        if (streq(line, "kind")) {
                free(s->kind);
                s->kind = xstrdup(value);
        } else if (streq(line, "ifindex")) {
                if (parse_uint(value, INT32_MAX, &u) < 0)
                        return -EBADMSG;
                s->ifindex = (int) u;
        } else if (streq(line, "created") || streq(line, "up") || streq(line, "down")) {
                b = parse_boolean(value);
                if (b < 0)
                        return -EBADMSG;
                if (streq(line, "created"))
                        s->created = b;
                else if (streq(line, "up"))
                        s->up = b;
                else
                        s->down = b;
        } else if (streq(line, "port")) {
                _cleanup_(strv_freep) char **words = split_words(value, NULL);
                struct state_port *p;

                if (!words || !words[0] || !ifname_valid(words[0]))
                        return -EBADMSG;
                p = state_port(s, words[0]);
                for (char **w = words + 1; *w; w++) {
                        if (streq(*w, "enslaved"))
                                p->enslaved = true;
                        else if (streq(*w, "up"))
                                p->up = true;
                        else if (streq(*w, "down"))
                                p->down = true;
                }
        }
        /* Unknown keys come from a newer version: ignore them. */
        return 0;
}

int state_read(const char *name, struct net_state *ret) {
        _cleanup_free_ char *path = state_path(name);
        _cleanup_fclose_ FILE *f = NULL;
        struct net_state s = {};
        char line[256];
        int r;

        f = fopen(path, "re");
        if (!f)
                return -errno;

        while (fgets(line, sizeof(line), f)) {
                line[strcspn(line, "\n")] = '\0';
                if (line[0] == '#' || line[0] == '\0')
                        continue;
                r = parse_line(&s, line);
                if (r < 0) {
                        state_done(&s);
                        return r;
                }
        }
        if (ferror(f)) {
                state_done(&s);
                return -EIO;
        }

        *ret = s;
        return 0;
}

static void state_format(FILE *f, const char *name, const struct net_state *s) {
        fprintf(f, "# hostvirt-net: what \"hostvirt-net stop %s %s\" undoes\n", s->kind, name);
        fprintf(f, "kind=%s\nifindex=%d\ncreated=%s\nup=%s\n", s->kind, s->ifindex,
                s->created ? "yes" : "no", s->up ? "yes" : "no");
        if (s->down)
                fputs("down=yes\n", f);
        for (size_t i = 0; i < s->n_ports; i++)
                fprintf(f, "port=%s%s%s%s\n", s->ports[i].name, s->ports[i].enslaved ? " enslaved" : "",
                        s->ports[i].up ? " up" : "", s->ports[i].down ? " down" : "");
}

/* Written to a temporary file and renamed: a reader sees the old or the new, never half. */
int state_write(const char *name, const struct net_state *s) {
        _cleanup_free_ char *dir = NULL, *tmp = NULL, *path = NULL;
        FILE *f;
        int fd, r;

        r = state_dir(&dir);
        if (r < 0)
                return r;
        tmp = xasprintf("%s/.tmpXXXXXX", dir);
        path = state_path(name);

        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        (void) fchmod(fd, 0644);
        f = fdopen(fd, "w");
        if (!f) {
                r = -errno;
                close(fd);
                goto fail;
        }

        state_format(f, name, s);
        if (fflush(f) != 0 || ferror(f)) {
                r = errno > 0 ? -errno : -EIO;
                fclose(f);
                goto fail;
        }
        if (fclose(f) != 0) {
                r = -errno;
                goto fail;
        }
        if (rename(tmp, path) < 0) {
                r = -errno;
                goto fail;
        }
        return 0;
fail:
        (void) unlink(tmp);
        return r;
}

int state_record(const char *what, const char *name, const struct net_state *s) {
        int r = state_write(name, s);
        if (r < 0) {
                log_error_errno(r, "Failed to record the state of %s %s in %s: %m", what, name, STATE_DIR);
                if (r == -EROFS || r == -ENOENT)
                        log_error("%s is made at boot by tmpfiles.d/hostvirt.conf; "
                                  "'systemd-tmpfiles --create hostvirt.conf' makes it now.", STATE_DIR);
                return r;
        }
        return 0;
}

int state_remove(const char *name) {
        _cleanup_free_ char *path = state_path(name);

        if (unlink(path) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

static char *nm_managed_path(const char *name) {
        return xasprintf("%s%s/%s:nm-managed", root_dir(), STATE_DIR, name);
}

int state_set_nm_managed(const char *name, bool managed) {
        _cleanup_free_ char *dir = NULL, *path = nm_managed_path(name);
        int fd, r;

        if (!managed)
                return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
        r = state_dir(&dir);
        if (r < 0)
                return r;
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return -errno;
        (void) fchmod(fd, 0644);
        return close(fd) < 0 ? -errno : 0;
}

bool state_nm_managed(const char *name) {
        _cleanup_free_ char *path = nm_managed_path(name);

        return access(path, F_OK) == 0;
}

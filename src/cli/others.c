/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `hostvirt check`: other tools configured to set up the same devices (hostvirt.conf(5), OTHER
 * NETWORK TOOLS).  Two tools writing one device's sriov_numvfs, creating one bridge or
 * enslaving one port race at boot.  Read only, from each tool's standard places (under
 * HOSTVIRT_ROOT): no daemon is asked.  What is reported is what would *create or take* a device
 * hostvirt sets up; a tool that only puts an address on a hostvirt bridge is the intended
 * hand-off and is not reported.
 *
 *   systemd-udevd  *.link with SR-IOVVirtualFunctions= or an [SR-IOV] section, matched by
 *                  OriginalName= to a PF of ours
 *   systemd-networkd  *.netdev whose Name= is a VLAN, bridge or bond of ours; *.network
 *                  matched by Name= to a port of ours that it puts in a Bridge= or Bond=
 *   ifupdown       /etc/network/interfaces (and what it sources): a stanza that creates a
 *                  device of ours (bridge_ports, bond-slaves, vlan-raw-device) or puts a port
 *                  of ours in its bridge or bond
 *   NetworkManager *.nmconnection keyfiles: a bridge, bond or VLAN connection for a device of
 *                  ours, a port connection for a port of ours, or [sriov] total-vfs for a PF.
 *                  A connection of the device's own type for one with Unmanaged=no is the
 *                  hand-off (NetworkManager addresses it): reported only where a bridge's
 *                  connection sets STP or VLAN filtering otherwise than hostvirt does.
 *
 * Matching is by interface name only (globs as the tools take them); a .link file matched by
 * MAC address, path or driver is not resolved (that needs udev's view of the device).
 */
#include <dirent.h>
#include <fnmatch.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "root.h"
#include "util.h"

/* One of our objects a device name belongs to, for the message's FILE:LINE and title. */
struct ours {
        const char *kind; /* section type */
        const char *name;
        const struct conf_loc *loc;
};

struct scan {
        struct diag *d;
        const struct conf *c;
        const char *file; /* as shown: the path without HOSTVIRT_ROOT */

        /* the INI section being read, per file */
        char *match_names;  /* [Match] Name= / OriginalName= */
        char *netdev_name;  /* [NetDev] Name= */
        char *bridge, *bond; /* [Network] Bridge=, Bond= */
        bool sets_sriov;    /* [Link] SR-IOVVirtualFunctions= or an [SR-IOV] section */
        char *nm_ifname, *nm_type, *nm_controller, *nm_port_type;
        int nm_stp, nm_vlan_filtering; /* [bridge] stp=, vlan-filtering=; -1: not given */
        bool nm_sriov;
        unsigned line;      /* of the stanza (ifupdown), for the message; 0: the file only */
};

static struct ours ours_of(const struct kind *k, const void *obj) {
        return (struct ours) { k->type, k->name_of(obj), k->loc_of(obj) };
}

/* The network object of ours called name (a VLAN, bridge or bond: a kind with net_ops), and
 * optionally the object and its kind. */
static bool find_net_obj(const struct conf *c, const char *name, struct ours *ret, const struct kind **ret_kind,
                         const void **ret_obj) {
        void *obj;
        const struct kind *k = conf_net_kind_of(c, name, &obj);

        if (k)
                *ret = ours_of(k, obj);
        if (ret_kind)
                *ret_kind = k;
        if (ret_obj)
                *ret_obj = obj;
        return k != NULL;
}

static bool find_net(const struct conf *c, const char *name, struct ours *ret) {
        return find_net_obj(c, name, ret, NULL, NULL);
}

/* Walks the ports of ours (of the kinds whose net_ops have ports: bridges, bonds), each with its
 * master: start with a zeroed iterator; false after the last. */
struct port_iter {
        size_t kind, obj, port;
};

static bool next_port(const struct conf *c, struct port_iter *it, const char **ret_port, struct ours *ret_master) {
        for (; c->kinds[it->kind]; it->kind++, it->obj = 0) {
                const struct kind *k = c->kinds[it->kind];
                if (!k->net || !k->net->ports)
                        continue;
                for (; it->obj < c->objs[it->kind].n; it->obj++, it->port = 0) {
                        const void *master = c->objs[it->kind].v[it->obj];
                        char *const *ports = k->net->ports(master);
                        if (ports && ports[it->port]) {
                                *ret_port = ports[it->port++];
                                *ret_master = ours_of(k, master);
                                return true;
                        }
                }
        }
        return false;
}

/* The bridge or bond of ours that has port as a port. */
static bool find_port_master(const struct conf *c, const char *port, struct ours *ret) {
        struct port_iter it = {};
        const char *p;

        while (next_port(c, &it, &p, ret))
                if (streq(p, port))
                        return true;
        return false;
}

static void report(struct scan *s, const struct ours *o, const char *what) {
        char at[32] = "";

        if (s->line > 0)
                snprintf(at, sizeof(at), ":%u", s->line);
        diag_warning(s->d, o->loc->file, o->loc->line,
                     "[%s %s]: %s (%s%s): two tools setting up one device race at boot; see hostvirt.conf(5), "
                     "OTHER NETWORK TOOLS", o->kind, o->name, what, s->file, at);
}

/* Whether any of the whitespace-separated globs matches name (systemd's "!" negation: no match). */
static bool globs_match(const char *globs, const char *name) {
        _cleanup_free_ char *copy = xstrdup(globs);
        bool any = false;

        for (char *save = NULL, *g = strtok_r(copy, " \t", &save); g; g = strtok_r(NULL, " \t", &save)) {
                if (*g == '!')
                        return false; /* an inverted list: not resolved, see above */
                any |= fnmatch(g, name, 0) == 0;
        }
        return any;
}

static void set(char **p, const char *v) {
        free(*p);
        *p = xstrdup(v);
}

/* ---------------------------------------------------------------------------------------------
 * systemd: .link, .netdev, .network (INI, read with libinih: enough to find these keys).
 */

/* (Debian's libinih gives handlers no line numbers: the messages name the other tool's file.) */
static int systemd_key(void *userdata, const char *section, const char *key, const char *value) {
        struct scan *s = userdata;

        if (streq(section, "SR-IOV"))
                s->sets_sriov = true;
        if (streq(section, "Match") && (streq(key, "Name") || streq(key, "OriginalName"))) {
                if (s->match_names) {
                        /* several assignments: the lists add up */
                        char *j = strjoin(s->match_names, " ", value);
                        free(s->match_names);
                        s->match_names = j;
                } else
                        set(&s->match_names, value);
        } else if (streq(section, "Link") && streq(key, "SR-IOVVirtualFunctions"))
                s->sets_sriov = true;
        else if (streq(section, "NetDev") && streq(key, "Name"))
                set(&s->netdev_name, value);
        else if (streq(section, "Network") && streq(key, "Bridge"))
                set(&s->bridge, value);
        else if (streq(section, "Network") && streq(key, "Bond"))
                set(&s->bond, value);
        return 1;
}

static void scan_done(struct scan *s) {
        free(s->match_names);
        free(s->netdev_name);
        free(s->bridge);
        free(s->bond);
        free(s->nm_ifname);
        free(s->nm_type);
        free(s->nm_controller);
        free(s->nm_port_type);
}

static void check_systemd_file(struct diag *d, const struct conf *c, const char *shown, const char *real,
                               const char *suffix) {
        struct scan s = { .d = d, .c = c, .file = shown };
        struct ours o;
        char what[256];

        if (ini_parse(real, systemd_key, &s) < 0)
                goto done;
        if (streq(suffix, ".link") && s.sets_sriov && s.match_names)
                for (size_t i = 0; i < CONF_N(c, SRIOV); i++) {
                        const struct conf_sriov *pf = CONF_AT(c, SRIOV, conf_sriov, i);
                        if (pf->is_pci || !globs_match(s.match_names, pf->name))
                                continue;
                        o = (struct ours) { "SR-IOV", pf->name, &pf->loc };
                        report(&s, &o, "systemd-udevd also sets the VFs of this PF");
                }
        if (streq(suffix, ".netdev") && s.netdev_name && find_net(c, s.netdev_name, &o)) {
                snprintf(what, sizeof(what), "systemd-networkd also creates %s", s.netdev_name);
                report(&s, &o, what);
        }
        if (streq(suffix, ".network") && s.match_names && (s.bridge || s.bond)) {
                /* every port of ours the [Match] names */
                struct port_iter it = {};
                const char *port;
                while (next_port(c, &it, &port, &o))
                        if (globs_match(s.match_names, port)) {
                                snprintf(what, sizeof(what), "systemd-networkd also puts port %s in %s %s", port,
                                         s.bridge ? "bridge" : "bond", s.bridge ? s.bridge : s.bond);
                                report(&s, &o, what);
                        }
        }
done:
        scan_done(&s);
}

/* The files of a tool's directories, most important first; of one name, the first directory's;
 * a symlink to /dev/null (or an empty name) masks. */
static void for_each_file(struct diag *d, const struct conf *c, const char *const *dirs, const char *suffix,
                          void (*fn)(struct diag *, const struct conf *, const char *, const char *, const char *)) {
        char **seen = NULL;
        size_t n_seen = 0;

        for (size_t i = 0; dirs[i]; i++) {
                _cleanup_free_ char *real_dir = root_path(dirs[i]);
                struct dirent **list = NULL;
                int n = scandir(real_dir, &list, NULL, alphasort);

                for (int j = 0; j < n; j++) {
                        const char *name = list[j]->d_name;
                        if (name[0] != '.' && endswith(name, suffix) && !strv_contains(seen, name)) {
                                _cleanup_free_ char *shown = strjoin(dirs[i], "/", name);
                                _cleanup_free_ char *real = root_path(shown);
                                struct stat st;

                                strv_push(&seen, &n_seen, xstrdup(name));
                                if (stat(real, &st) >= 0 && S_ISREG(st.st_mode))
                                        fn(d, c, shown, real, suffix);
                        }
                        free(list[j]);
                }
                free(list);
        }
        strv_free(seen);
}

static const char *const systemd_network_dirs[] = {
        "/etc/systemd/network", "/run/systemd/network", "/usr/local/lib/systemd/network", "/usr/lib/systemd/network",
        NULL,
};

/* ---------------------------------------------------------------------------------------------
 * NetworkManager keyfiles.
 */

static int nm_key(void *userdata, const char *section, const char *key, const char *value) {
        struct scan *s = userdata;

        if (streq(section, "connection")) {
                if (streq(key, "interface-name"))
                        set(&s->nm_ifname, value);
                else if (streq(key, "type"))
                        set(&s->nm_type, value);
                else if (streq(key, "master") || streq(key, "controller"))
                        set(&s->nm_controller, value);
                else if (streq(key, "slave-type") || streq(key, "port-type"))
                        set(&s->nm_port_type, value);
        } else if (streq(section, "sriov") && streq(key, "total-vfs") && !streq(value, "0"))
                s->nm_sriov = true;
        else if (streq(section, "bridge") && streq(key, "stp"))
                s->nm_stp = parse_boolean(value);
        else if (streq(section, "bridge") && streq(key, "vlan-filtering"))
                s->nm_vlan_filtering = parse_boolean(value);
        return 1;
}

/* A bridge left to NetworkManager (Unmanaged=no): its connection's bridge settings are applied
 * over hostvirt's when it activates.  NetworkManager's defaults: stp=true, vlan-filtering=false;
 * hostvirt's, where the section says nothing, the kernel's for a new bridge (both off). */
static void check_nm_bridge(struct scan *s, const struct ours *o, const struct conf_bridge *b) {
        int nm_stp = s->nm_stp < 0 ? 1 : s->nm_stp, nm_vf = s->nm_vlan_filtering < 0 ? 0 : s->nm_vlan_filtering;
        int stp = b->stp == CONF_UNSET ? 0 : b->stp, vf = b->vlan_filtering == CONF_UNSET ? 0 : b->vlan_filtering;
        char what[256];

        if (nm_stp != stp) {
                snprintf(what, sizeof(what), "NetworkManager's bridge connection for it sets stp=%s, hostvirt STP=%s",
                         nm_stp ? "yes" : "no", stp ? "yes" : "no");
                report(s, o, what);
        }
        if (nm_vf != vf) {
                snprintf(what, sizeof(what),
                         "NetworkManager's bridge connection for it sets vlan-filtering=%s, hostvirt VLANFiltering=%s",
                         nm_vf ? "yes" : "no", vf ? "yes" : "no");
                report(s, o, what);
        }
}

static void check_nm_file(struct diag *d, const struct conf *c, const char *shown, const char *real, const char *suffix) {
        struct scan s = { .d = d, .c = c, .file = shown, .nm_stp = -1, .nm_vlan_filtering = -1 };
        const struct kind *k;
        const void *obj;
        struct ours o;
        char what[256];

        (void) suffix;
        if (ini_parse(real, nm_key, &s) < 0 || !s.nm_ifname)
                goto done;
        if (s.nm_type && (streq(s.nm_type, "bridge") || streq(s.nm_type, "bond") || streq(s.nm_type, "vlan")) &&
            find_net_obj(c, s.nm_ifname, &o, &k, &obj)) {
                if (streq(k->slug, s.nm_type) && k->net->nm_managed && k->net->nm_managed(obj)) {
                        if (k == &kind_bridge)
                                check_nm_bridge(&s, &o, obj);
                } else {
                        snprintf(what, sizeof(what), "NetworkManager has a %s connection that creates %s", s.nm_type,
                                 s.nm_ifname);
                        report(&s, &o, what);
                }
        }
        if (s.nm_controller && s.nm_port_type && find_port_master(c, s.nm_ifname, &o)) {
                snprintf(what, sizeof(what), "NetworkManager has a connection that puts port %s in %s %s", s.nm_ifname,
                         s.nm_port_type, s.nm_controller);
                report(&s, &o, what);
        }
        if (s.nm_sriov) {
                const struct conf_sriov *pf = conf_find_sriov(c, s.nm_ifname);
                if (pf) {
                        o = (struct ours) { "SR-IOV", pf->name, &pf->loc };
                        report(&s, &o, "NetworkManager also sets the VFs of this PF ([sriov] total-vfs=)");
                }
        }
done:
        scan_done(&s);
}

static const char *const nm_dirs[] = {
        "/etc/NetworkManager/system-connections", "/run/NetworkManager/system-connections",
        "/usr/lib/NetworkManager/system-connections", NULL,
};

/* ---------------------------------------------------------------------------------------------
 * ifupdown: stanzas of /etc/network/interfaces and of the files it sources.
 */

struct stanza {
        char *name;
        unsigned line;
        bool creates;     /* bridge_ports, bond-slaves, vlan-raw-device */
        char **ports;     /* of bridge_ports / bond-slaves */
        size_t n_ports;
};

static void stanza_end(struct scan *s, struct stanza *st) {
        struct ours o;
        char what[256];

        if (st->name && st->creates && find_net(s->c, st->name, &o)) {
                s->line = st->line;
                snprintf(what, sizeof(what), "ifupdown also creates %s", st->name);
                report(s, &o, what);
        }
        for (size_t i = 0; i < st->n_ports; i++)
                if (find_port_master(s->c, st->ports[i], &o) && !(st->name && streq(st->name, o.name))) {
                        s->line = st->line;
                        snprintf(what, sizeof(what), "ifupdown also puts port %s in %s", st->ports[i], st->name);
                        report(s, &o, what);
                }
        free(st->name);
        strv_free(st->ports);
        *st = (struct stanza) {};
}

/* The files read so far: each once, whatever sources it (a loop, or a file sourced twice). */
struct ifupdown_read {
        char **files;
        size_t n;
};

static void scan_ifupdown(struct diag *d, const struct conf *c, const char *shown, struct ifupdown_read *r);

/* "source GLOB" and "source-directory DIR": paths relative to /etc/network */
static void ifupdown_source(struct diag *d, const struct conf *c, const char *arg, bool directory,
                            struct ifupdown_read *r) {
        _cleanup_free_ char *pattern = arg[0] == '/' ? xstrdup(arg) : strjoin("/etc/network/", arg);

        if (directory) {
                struct dirent **list = NULL;
                _cleanup_free_ char *real = root_path(pattern);
                int n = scandir(real, &list, NULL, alphasort);

                for (int i = 0; i < n; i++) {
                        /* run-parts' names: letters, digits, '_' and '-' */
                        const char *nm = list[i]->d_name;
                        if (nm[0] != '.' && strspn(nm, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
                                                    strlen(nm)) {
                                _cleanup_free_ char *f = strjoin(pattern, "/", nm);
                                scan_ifupdown(d, c, f, r);
                        }
                        free(list[i]);
                }
                free(list);
                return;
        }
        /* a glob of files: the directory part literal, the name a pattern */
        char *slash = strrchr(pattern, '/');
        *slash = '\0';
        _cleanup_free_ char *real_dir = root_path(*pattern ? pattern : "/");
        struct dirent **list = NULL;
        int n = scandir(real_dir, &list, NULL, alphasort);
        for (int i = 0; i < n; i++) {
                if (list[i]->d_name[0] != '.' && fnmatch(slash + 1, list[i]->d_name, FNM_PERIOD) == 0) {
                        _cleanup_free_ char *f = strjoin(pattern, "/", list[i]->d_name);
                        scan_ifupdown(d, c, f, r);
                }
                free(list[i]);
        }
        free(list);
}

static void scan_ifupdown(struct diag *d, const struct conf *c, const char *shown, struct ifupdown_read *r) {
        _cleanup_free_ char *real = root_path(shown);
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *buf = NULL;
        struct scan s = { .d = d, .c = c, .file = shown };
        struct stanza st = {};
        size_t size = 0;
        unsigned line = 0;

        if (strv_contains(r->files, shown))
                return;
        strv_push(&r->files, &r->n, xstrdup(shown));
        f = fopen(real, "re");
        if (!f)
                return;
        while (getline(&buf, &size, f) >= 0) {
                char *save = NULL, *w0, *rest;

                line++;
                buf[strcspn(buf, "#\n")] = '\0';
                w0 = strtok_r(buf, " \t", &save);
                if (!w0)
                        continue;
                rest = strtok_r(NULL, "", &save);
                if (streq(w0, "iface")) {
                        stanza_end(&s, &st);
                        char *name = rest ? strtok_r(rest, " \t", &save) : NULL;
                        if (name)
                                st = (struct stanza) { .name = xstrdup(name), .line = line };
                } else if (streq(w0, "source") || streq(w0, "source-directory")) {
                        stanza_end(&s, &st);
                        if (rest)
                                ifupdown_source(d, c, strtok_r(rest, " \t", &save), streq(w0, "source-directory"), r);
                } else if (streq(w0, "auto") || streq(w0, "mapping") || startswith(w0, "allow-") ||
                           streq(w0, "no-auto-down") || streq(w0, "no-scripts")) {
                        stanza_end(&s, &st);
                } else if (st.name) {
                        /* an option of the stanza: ifupdown takes '_' and '-' alike */
                        for (char *p = w0; *p; p++)
                                if (*p == '_')
                                        *p = '-';
                        bool ports = streq(w0, "bridge-ports") || streq(w0, "bond-slaves");
                        if (ports || streq(w0, "vlan-raw-device") || streq(w0, "bond-mode"))
                                st.creates = true;
                        if (ports && rest) {
                                for (char *p = strtok_r(rest, " \t", &save); p; p = strtok_r(NULL, " \t", &save))
                                        if (!streq(p, "none"))
                                                strv_push(&st.ports, &st.n_ports, xstrdup(p));
                        }
                }
        }
        stanza_end(&s, &st);
}

void check_other_tools(const struct conf *c, struct diag *d) {
        bool any = CONF_N(c, SRIOV) > 0;

        for (size_t k = 0; c->kinds[k]; k++)
                any |= c->kinds[k]->net && c->objs[k].n > 0;
        if (!any)
                return;
        for_each_file(d, c, systemd_network_dirs, ".link", check_systemd_file);
        for_each_file(d, c, systemd_network_dirs, ".netdev", check_systemd_file);
        for_each_file(d, c, systemd_network_dirs, ".network", check_systemd_file);
        for_each_file(d, c, nm_dirs, ".nmconnection", check_nm_file);
        struct ifupdown_read r = {};
        scan_ifupdown(d, c, "/etc/network/interfaces", &r);
        strv_free(r.files);
}

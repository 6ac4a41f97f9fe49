/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The systemd side of `hostvirt status`: unit states over sd-bus, and
 * whether what the generator wrote at the last boot or daemon-reload is
 * what it would write now (the libvirt drop-ins among it).
 */
#include <errno.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "log.h"
#include "plan.h"
#include "root.h"
#include "status.h"
#include "util.h"

static sd_bus *bus;

/*
 * As systemctl does it: root talks to PID 1 directly on its private socket
 * (which works without a D-Bus daemon), everyone else over the system bus.
 * With HOSTVIRT_ROOT set the host's systemd is not the one the fake tree
 * describes: no bus, every unit state is "unknown".
 */
int units_open(void) {
        int r;

        if (root_is_set())
                return -EHOSTDOWN;
        if (geteuid() == 0) {
                r = sd_bus_new(&bus);
                if (r >= 0)
                        r = sd_bus_set_address(bus, "unix:path=/run/systemd/private");
                if (r >= 0)
                        r = sd_bus_start(bus);
                if (r >= 0)
                        return 0;
                bus = sd_bus_flush_close_unref(bus);
        }
        r = sd_bus_open_system(&bus);
        if (r < 0) {
                bus = NULL;
                log_debug("No connection to systemd, unit states are unknown: %s", strerror(-r));
        }
        return r;
}

void units_close(void) {
        bus = sd_bus_flush_close_unref(bus);
}

static struct val unit_property(const char *unit, const char *property) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *path = NULL, *value = NULL;
        int r;

        if (!bus)
                return val_unknown();
        r = sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit, &path);
        if (r >= 0)
                r = sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path, "org.freedesktop.systemd1.Unit",
                                               property, &error, &value);
        if (r < 0) {
                log_debug("Failed to get the %s of %s: %s", property, unit, error.message ? error.message : strerror(-r));
                sd_bus_error_free(&error);
                return val_unknown();
        }
        return val_str(value);
}

struct val unit_active_state(const char *unit) {
        return unit_property(unit, "ActiveState");
}

struct val unit_load_state(const char *unit) {
        return unit_property(unit, "LoadState");
}

/* "current" when the file in the generator's output is what plan makes now. */
static struct val file_state(const struct plan *loaded, const struct plan *now, const char *relpath) {
        const struct plan_file *have = plan_find(loaded, relpath);

        if (!have)
                return val_str("absent");
        return val_str(plan_file_equal(have, plan_find(now, relpath)) ? "current" : "outdated");
}

static void libvirt_objects(struct status *st, const struct plan *loaded, const struct plan *now, bool have_loaded) {
        const struct conf_libvirt *lv = conf_libvirt(st->conf);

        for (size_t i = 0; i < lv->n_services; i++) {
                _cleanup_free_ char *relpath = xasprintf("%s.d/50-hostvirt.conf", lv->services[i]);
                struct obj *o = obj_new(st, &kind_libvirt, lv->services[i], lv->loc.line > 0 ? &lv->loc : NULL);

                o->unit = xstrdup(lv->services[i]);
                struct val load = unit_load_state(o->unit);
                /* A service that is not installed (Debian ships no virtqemud.service): its
                 * drop-in orders nothing, which is fine, but it is not "ok" either. */
                bool absent = load.type == VAL_STR && streq(load.s, "not-found");

                obj_compare(o, "load_state", val_null(), load);
                /* Whether libvirt runs is the admin's business: shown, not compared. */
                obj_compare(o, "active_state", val_null(), absent ? val_null() : unit_active_state(o->unit));
                obj_compare(o, "dropin", absent ? val_null() : val_str(plan_find(now, relpath) ? "current" : "absent"),
                            have_loaded ? file_state(loaded, now, relpath) : val_unknown());
        }
}

/*
 * One object for the generator's output as a whole: when it differs from
 * the plan, the units systemd has loaded are not what the configuration
 * says now, and `systemctl daemon-reload` (after `hostvirt plan --diff`) is due.
 */
void status_libvirt(struct status *st) {
        _cleanup_free_ char *dir = root_path(GENERATOR_OUTPUT_DIR);
        struct plan now = {}, loaded = {};
        bool have_loaded, have_now;
        unsigned changed;
        struct obj *o;
        int r;

        have_now = plan_build(st->conf, &now) >= 0;
        r = plan_load_dir(dir, &loaded);
        if (r < 0 && r != -ENOENT)
                log_warning_errno(r, "Failed to read %s: %m", dir);
        /* No output directory at all: systemd has not run generators here (or not yet). */
        have_loaded = r >= 0 && have_now;

        libvirt_objects(st, &loaded, &now, have_loaded);

        changed = have_loaded ? plan_diff(&loaded, GENERATOR_OUTPUT_DIR, &now, NULL) : 0;
        o = obj_new_other(st, "generator", "Generator", GENERATOR_OUTPUT_DIR);
        obj_compare(o, "output", val_str("current"),
                    !have_loaded ? val_unknown() : val_str(changed == 0 ? "current" : "outdated"));
        obj_compare(o, "changed_files", val_null(), have_loaded ? val_int(changed) : val_unknown());
        o->hint = "review with 'hostvirt plan --diff', then 'systemctl daemon-reload'";
        plan_done(&now);
        plan_done(&loaded);
}

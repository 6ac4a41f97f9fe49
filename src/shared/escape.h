/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Unit name escaping, byte for byte what `systemd-escape` does
 * (unit_name_escape() / unit_name_path_escape() in systemd).
 */

/* systemd-escape STRING */
char *unit_escape(const char *s);
/* systemd-escape --path PATH; NULL (errno EINVAL) for a path that is not normalized. */
char *unit_escape_path(const char *path);
/* "prefix@escaped(instance).suffix" */
char *unit_instance(const char *prefix, const char *instance, const char *suffix);
/* Doubles every '%' so a value survives specifier expansion in a unit file. */
char *unit_specifier_escape(const char *s);

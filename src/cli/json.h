/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A small streaming JSON writer for `hostvirt status --json`: objects,
 * arrays, strings, integers, booleans and null, pretty-printed with two
 * spaces per level.  The caller writes keys and values in order; commas and
 * indentation are the writer's business.  Strings are escaped as RFC 8259
 * asks; bytes that are not valid UTF-8 (an interface name may hold any) are
 * written as U+FFFD, so the output is always valid JSON.
 */

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
        FILE *f;
        unsigned depth;
        bool first[JSON_MAX_DEPTH]; /* no member written yet at this level */
        bool after_key;             /* a key was written: the value follows on its line */
};

void json_init(struct json *j, FILE *f);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s); /* NULL writes null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool b);
void json_null(struct json *j);
/* Ends the document with a newline and flushes; 0 or -errno. */
int json_finish(struct json *j);

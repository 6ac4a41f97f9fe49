/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f) {
        memset(j, 0, sizeof(*j));
        j->f = f;
        j->first[0] = true;
}

static void indent(struct json *j) {
        fputc('\n', j->f);
        for (unsigned i = 0; i < j->depth; i++)
                fputs("  ", j->f);
}

/* Before any value: the comma and line break that separate it from the previous one. */
static void begin_value(struct json *j) {
        if (j->after_key) {
                j->after_key = false;
                return;
        }
        if (j->depth == 0)
                return;
        if (!j->first[j->depth])
                fputc(',', j->f);
        j->first[j->depth] = false;
        indent(j);
}

static void open_level(struct json *j, char c) {
        begin_value(j);
        fputc(c, j->f);
        /* Deeper than we ever write: keep going flat rather than overrun. */
        if (j->depth + 1 < JSON_MAX_DEPTH)
                j->depth++;
        j->first[j->depth] = true;
}

static void close_level(struct json *j, char c) {
        bool empty = j->first[j->depth];

        if (j->depth > 0)
                j->depth--;
        if (!empty)
                indent(j);
        fputc(c, j->f);
}

void json_begin_object(struct json *j) {
        open_level(j, '{');
}

void json_end_object(struct json *j) {
        close_level(j, '}');
}

void json_begin_array(struct json *j) {
        open_level(j, '[');
}

void json_end_array(struct json *j) {
        close_level(j, ']');
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s) {
        size_t n;
        unsigned cp;

        if (s[0] < 0x80)
                return 1;
        if ((s[0] & 0xe0) == 0xc0)
                n = 2, cp = s[0] & 0x1f;
        else if ((s[0] & 0xf0) == 0xe0)
                n = 3, cp = s[0] & 0x0f;
        else if ((s[0] & 0xf8) == 0xf0)
                n = 4, cp = s[0] & 0x07;
        else
                return 0;
        for (size_t i = 1; i < n; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        /* overlong forms, surrogates and beyond U+10FFFF are not UTF-8 */
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
                return 0;
        return n;
}

static void put_string(FILE *f, const char *str) {
        const unsigned char *s = (const unsigned char *) str;

        fputc('"', f);
        while (*s) {
                size_t n = utf8_len(s);

                if (n == 0) {
                        fputs("\\ufffd", f);
                        s++;
                } else if (*s == '"' || *s == '\\') {
                        fputc('\\', f);
                        fputc(*s++, f);
                } else if (*s == '\n') {
                        fputs("\\n", f);
                        s++;
                } else if (*s == '\t') {
                        fputs("\\t", f);
                        s++;
                } else if (*s < 0x20 || *s == 0x7f) {
                        fprintf(f, "\\u%04x", *s);
                        s++;
                } else {
                        fwrite(s, 1, n, f);
                        s += n;
                }
        }
        fputc('"', f);
}

void json_key(struct json *j, const char *key) {
        begin_value(j);
        put_string(j->f, key);
        fputs(": ", j->f);
        j->after_key = true;
}

void json_string(struct json *j, const char *s) {
        if (!s) {
                json_null(j);
                return;
        }
        begin_value(j);
        put_string(j->f, s);
}

void json_int(struct json *j, long long v) {
        begin_value(j);
        fprintf(j->f, "%lld", v);
}

void json_bool(struct json *j, bool b) {
        begin_value(j);
        fputs(b ? "true" : "false", j->f);
}

void json_null(struct json *j) {
        begin_value(j);
        fputs("null", j->f);
}

int json_finish(struct json *j) {
        fputc('\n', j->f);
        if (fflush(j->f) != 0 || ferror(j->f))
                return errno > 0 ? -errno : -EIO;
        return 0;
}

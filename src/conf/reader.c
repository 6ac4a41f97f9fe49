/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/types.h>

#include "reader.h"
#include "util.h"

static bool is_blank(char c) {
        return c == ' ' || c == '\t';
}

static bool is_bom(const char *s) {
        return (unsigned char) s[0] == 0xEF && (unsigned char) s[1] == 0xBB && (unsigned char) s[2] == 0xBF;
}

static char *lskip(char *s) {
        while (is_blank(*s))
                s++;
        return s;
}

static void rstrip(char *s) {
        size_t n = strlen(s);
        while (n > 0 && is_blank(s[n - 1]))
                s[--n] = '\0';
}

/* The first of c1 or c2 in s ('\0': none), or of an inline comment (';' after a blank), or the end. */
static char *find_chars_or_comment(char *s, char c1, char c2) {
        bool was_blank = false;

        for (; *s; s++) {
                if ((c1 && *s == c1) || (c2 && *s == c2) || (was_blank && *s == ';'))
                        break;
                was_blank = is_blank(*s);
        }
        return s;
}

/* A value: up to an inline comment, without the blanks around it. */
static char *value_of(char *s) {
        char *end = find_chars_or_comment(s, 0, 0); /* "Key = ; note" is an empty value */

        *end = '\0';
        s = lskip(s);
        rstrip(s);
        return s;
}

bool reader_key_valid(const char *s) {
        if (!isalpha((unsigned char) *s))
                return false;
        for (; *s; s++)
                if (!isalnum((unsigned char) *s) && *s != '-' && *s != '_')
                        return false;
        return true;
}

void reader_init(struct reader *r, const char *data, size_t size) {
        *r = (struct reader) { .data = data, .size = size };
}

void reader_done(struct reader *r) {
        free(r->buf);
        r->buf = NULL;
}

static int error(struct reader *r, struct line_view *v, bool drops, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int error(struct reader *r, struct line_view *v, bool drops, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
        va_end(ap);
        v->type = LINE_ERROR;
        v->error = r->msg;
        v->drops_section = drops;
        if (drops)
                r->have_key = false;
        return 1;
}

/* A key line, "KEY=VALUE" or "KEY: VALUE": 1 with key and value split, 0 if it is not one. */
static int split_key(char *t, char **ret_key, char **ret_value) {
        char *end = find_chars_or_comment(t, '=', ':');

        if (*end != '=' && *end != ':')
                return 0;
        *ret_value = value_of(end + 1);
        *end = '\0';
        rstrip(t);
        *ret_key = t;
        return 1;
}

int reader_next(struct reader *r, struct line_view *v) {
        char *s, *t, *end, *key, *value;
        ssize_t n;
        size_t len;
        bool bom = false, indented;

        if (r->pos >= r->size)
                return 0;
        /* the next line, with its LF, as a string of its own (the reader writes into it) */
        const char *start = r->data + r->pos, *nl = memchr(start, '\n', r->size - r->pos);
        n = (ssize_t) (nl ? (size_t) (nl - start) + 1 : r->size - r->pos);
        if ((size_t) n + 1 > r->bufsize) {
                r->bufsize = (size_t) n + 1;
                free(r->buf);
                r->buf = xmalloc(r->bufsize);
        }
        memcpy(r->buf, start, (size_t) n);
        r->buf[n] = '\0';
        r->pos += (size_t) n;
        r->line++;
        *v = (struct line_view) { .type = LINE_BLANK, .line = r->line };

        if (strlen(r->buf) != (size_t) n)
                return error(r, v, false, "line contains a NUL byte");

        /* the line ending: LF, CRLF, or a lone CR at the very end of the file */
        len = (size_t) n;
        if (len > 0 && r->buf[len - 1] == '\n')
                r->buf[--len] = '\0';
        if (len > 0 && r->buf[len - 1] == '\r')
                r->buf[--len] = '\0';

        /* a BOM starts a file; anywhere else an editor joined two files */
        s = r->buf;
        if (r->line == 1 && is_bom(s)) {
                s += 3;
                len -= 3;
        }
        bom = is_bom(s);

        /* Control characters have no business in a config line, and a carriage return inside one
         * would end a line of a generated unit early. */
        for (size_t i = 0; i < len; i++) {
                unsigned char ch = (unsigned char) s[i];
                if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
                        return error(r, v, false, "line contains a control character (0x%02x)", ch);
        }

        t = lskip(s);
        indented = t > s;
        if (len > READER_LINE_MAX)
                return error(r, v, *t == '[', "line too long (%zu bytes, at most %d)", len, READER_LINE_MAX);
        if (bom)
                /* whatever follows may be a header or a key of another file's section */
                return error(r, v, *lskip(s + 3) == '[', "a byte order mark that does not start the file");

        if (*t == '\0' || *t == '#' || *t == ';')
                return 1;

        if (*t == '[') {
                end = find_chars_or_comment(t + 1, ']', 0);
                if (*end != ']')
                        return error(r, v, true, "section header without ']'");
                *end = '\0';
                /* after ']' only blanks or a comment */
                char *rest = lskip(end + 1);
                if (*rest && *rest != '#' && *rest != ';')
                        return error(r, v, true, "text after the section header's ']'");
                v->type = LINE_SECTION;
                v->header = t + 1;
                r->have_key = false;
                return 1;
        }

        /* An indented line continues the value before it, unless it is a key of its own. */
        if (indented && r->have_key) {
                end = find_chars_or_comment(t, '=', 0);
                bool own_key = false;
                if (*end == '=') {
                        char *k = end;
                        while (k > t && is_blank(k[-1]))
                                k--;
                        char save = *k;
                        *k = '\0';
                        own_key = reader_key_valid(t);
                        *k = save;
                }
                if (!own_key) {
                        v->type = LINE_CONTINUATION;
                        v->value = value_of(t);
                        return 1;
                }
        }

        /* what the message shows of the line (without its trailing blanks), kept before
         * split_key() cuts it up */
        size_t n_shown = strlen(t);
        while (n_shown > 0 && is_blank(t[n_shown - 1]))
                n_shown--;
        char shown[41];
        memcpy(shown, t, n_shown < 40 ? n_shown : 40);
        shown[n_shown < 40 ? n_shown : 40] = '\0';
        if (!split_key(t, &key, &value) || !reader_key_valid(key))
                return error(r, v, false, "expected KEY=VALUE, got '%s%s'", shown, n_shown > 40 ? "..." : "");
        v->type = LINE_KEY;
        v->key = key;
        v->value = value;
        r->have_key = true;
        return 1;
}

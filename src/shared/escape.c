/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "escape.h"
#include "util.h"

/* Characters systemd leaves alone in a unit name ('-' and '\' are escaped anyway). */
static bool unit_char_plain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == ':' || c == '_' || c == '.';
}

static char *escape_byte(char *t, unsigned char c) {
        static const char hex[] = "0123456789abcdef";

        *t++ = '\\';
        *t++ = 'x';
        *t++ = hex[c >> 4];
        *t++ = hex[c & 15];
        return t;
}

/* The body shared by both forms: '/' becomes '-', a leading '.' and anything
 * that is not a plain unit-name character become \xNN. */
static char *escape_body(const char *s) {
        char *out = xmalloc(strlen(s) * 4 + 1), *t = out;

        if (*s == '.')
                t = escape_byte(t, (unsigned char) *s++);
        for (; *s; s++) {
                if (*s == '/')
                        *t++ = '-';
                else if (unit_char_plain(*s))
                        *t++ = *s;
                else
                        t = escape_byte(t, (unsigned char) *s);
        }
        *t = '\0';
        return out;
}

char *unit_escape(const char *s) {
        return escape_body(s);
}

char *unit_escape_path(const char *path) {
        _cleanup_free_ char *p = xstrdup(path);
        char *s, *t;
        size_t n;

        /* Collapse repeated slashes and drop "/./" like path_simplify();
         * refuse ".." (systemd-escape --path does too). */
        for (s = t = p; *s; ) {
                if (*s == '/' && (s[1] == '/' || (s[1] == '.' && (s[2] == '/' || s[2] == '\0')))) {
                        s += s[1] == '/' ? 1 : 2;
                        continue;
                }
                *t++ = *s++;
        }
        *t = '\0';
        for (s = p; *s; s++)
                if (s[0] == '.' && s[1] == '.' && (s == p || s[-1] == '/') && (s[2] == '/' || s[2] == '\0')) {
                        errno = EINVAL;
                        return NULL;
                }

        s = p;
        while (*s == '/')
                s++;
        n = strlen(s);
        while (n > 0 && s[n - 1] == '/')
                s[--n] = '\0';
        if (n == 0)
                return xstrdup("-");
        return escape_body(s);
}

char *unit_instance(const char *prefix, const char *instance, const char *suffix) {
        _cleanup_free_ char *e = unit_escape(instance);
        return strjoin(prefix, "@", e, suffix);
}

char *unit_specifier_escape(const char *s) {
        char *out = xmalloc(strlen(s) * 2 + 1), *t = out;

        for (; *s; s++) {
                if (*s == '%')
                        *t++ = '%';
                *t++ = *s;
        }
        *t = '\0';
        return out;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The grammar of a config file, one line at a time (hostvirt.conf(5), SYNTAX).
 *
 * This is the only code that decides what a line is.  The loader hands libinih
 * a canonical spelling of each line the reader accepted ("[header]", "KEY=VALUE",
 * "\tVALUE" for a continuation, else an empty line), which libinih can read
 * only one way, and checks that it did (load.c; tests/fuzz/fuzz-reader.c
 * compares the two on every input).
 */

#include <stdbool.h>
#include <stddef.h>

/* The most bytes a line may hold, without its line ending (LF or CRLF) and a first line's BOM. */
#define READER_LINE_MAX 198

enum line_type {
        LINE_BLANK,        /* blank, or a comment */
        LINE_SECTION,      /* header: the text between the brackets */
        LINE_KEY,          /* key, value */
        LINE_CONTINUATION, /* value: continues the value of the key before it */
        LINE_ERROR,        /* error: what is wrong with it */
};

struct line_view {
        enum line_type type;
        const char *header;
        const char *key;
        const char *value;
        const char *error;
        /* LINE_ERROR: the line may have been meant as a section header: the lines up to the
         * next header belong to no section (else: the line is dropped, with its section) */
        bool drops_section;
        unsigned line;
};

struct reader {
        const char *data;  /* the file, whole */
        size_t size, pos;
        unsigned line;
        bool have_key;     /* a key was read since the last header: indented lines continue it */
        char *buf;
        size_t bufsize;
        char msg[160];
};

void reader_init(struct reader *r, const char *data, size_t size);
void reader_done(struct reader *r);
/* Reads the next line into *v (valid until the next call); 0 at the end of the file. */
int reader_next(struct reader *r, struct line_view *v);
/* Whether s is a key name: a letter, then letters, digits, '-' and '_'. */
bool reader_key_valid(const char *s);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The generator's output as a list of files, to compare what it would write
 * now (`hostvirt plan`) with what it wrote at the last boot or
 * daemon-reload (/run/systemd/generator): `hostvirt plan --diff` and the
 * "generator" and "libvirt" objects of `hostvirt status`.
 */

#include <stdbool.h>
#include <stdio.h>

#include "model.h"

/* Where systemd runs generators with their first (normal priority) output directory. */
#define GENERATOR_OUTPUT_DIR "/run/systemd/generator"

struct plan_file {
        char *relpath;
        char *content;          /* NULL for a symlink */
        char *target;           /* the symlink's target */
};

struct plan {
        struct plan_file *files; /* sorted by relpath */
        size_t n_files;
};

/* What hostvirt-generator would write for c now.  Errors are logged. */
int plan_build(const struct conf *c, struct plan *ret);
/* hostvirt-generator's files in dir (re-rooted by the caller): other generators' files are
 * left out.  -ENOENT when dir does not exist. */
int plan_load_dir(const char *dir, struct plan *ret);
void plan_done(struct plan *p);
const struct plan_file *plan_find(const struct plan *p, const char *relpath);
bool plan_file_equal(const struct plan_file *a, const struct plan_file *b);

/* A unified diff from old to new, both sides labelled label/relpath (or /dev/null); returns the
 * number of files that differ.  out may be NULL to only count. */
unsigned plan_diff(const struct plan *old, const char *label, const struct plan *new, FILE *out);

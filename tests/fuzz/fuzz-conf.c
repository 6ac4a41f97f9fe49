/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the config loader on one file.
 *
 * The input is the file, byte for byte.  conf_load() reads files by path only,
 * so each input is written to one file in a private directory on tmpfs and
 * loaded through the "exactly these files" form (the one `hostvirt check FILE`
 * uses).  Beyond crashes and sanitizer reports, the typed model that comes
 * back must keep the loader's promises (fuzz_check_conf()), and libinih must
 * have read every line as the project's line reader did (src/conf/reader.c is
 * the grammar; the loader counts every line where libinih's section, key or
 * value differ from the reader's view): a difference is a finding.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "load.h"
#include "model.h"
#include "fuzz-common.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static int dirfd_ = -1;
static char *path;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        char *dir;

        /* Absolute paths given to conf_load() are re-rooted: the seam must be off here. */
        unsetenv("HOSTVIRT_ROOT");
        fuzz_setup_logging();
        dir = fuzz_scratch_dir("conf");
        dirfd_ = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd_ < 0)
                abort();
        path = xasprintf("%s/input.conf", dir);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *const paths[] = { path, NULL };
        struct conf *c = NULL;
        unsigned disagreements = 0;

        /* Lines longer than inih's buffer are one case among many; a megabyte of them is not. */
        if (size > 64 * 1024)
                return -1;

        fuzz_write_file(dirfd_, "input.conf", data, size, 0644);

        fuzz_assert(conf_load_opts(&c, kinds_all, paths, &(struct diag) {}, &disagreements) >= 0 && c,
                    "conf_load failed");
        fuzz_assert(disagreements == 0, "libinih read %u line(s) otherwise than the reader", disagreements);
        fuzz_assert(c->n_files == 1, "read %zu files", c->n_files);
        fuzz_check_conf(c);
        conf_free(c);
        return 0;
}

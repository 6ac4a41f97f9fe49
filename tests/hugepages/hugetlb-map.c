/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hugetlb-map FILE PAGE_KB PAGES: what qemu does with a hugetlbfs mount, in
 * small.  Creates FILE, maps PAGES pages of it shared, writes every page and
 * reads it back.  The file keeps its pages after exit, so the caller can see
 * them taken from the pool, and gives them back by removing it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        size_t page, len;
        unsigned char *m;
        long kb, n;
        int fd;

        if (argc != 4 || (kb = atol(argv[2])) <= 0 || (n = atol(argv[3])) <= 0) {
                fprintf(stderr, "usage: hugetlb-map FILE PAGE_KB PAGES\n");
                return 2;
        }
        page = (size_t) kb * 1024;
        len = page * (size_t) n;

        fd = open(argv[1], O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
                fprintf(stderr, "open %s: %s\n", argv[1], strerror(errno));
                return 1;
        }
        /* On hugetlbfs the size must be a multiple of the page size. */
        if (ftruncate(fd, (off_t) len) < 0) {
                fprintf(stderr, "ftruncate: %s\n", strerror(errno));
                return 1;
        }
        m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (m == MAP_FAILED) {
                fprintf(stderr, "mmap: %s\n", strerror(errno));
                return 1;
        }
        /* A fault that finds no free page is SIGBUS: the pool really backs this. */
        for (long i = 0; i < n; i++)
                memset(m + (size_t) i * page, (int) (0xa0 + i), page);
        for (long i = 0; i < n; i++)
                if (m[(size_t) i * page] != (unsigned char) (0xa0 + i) ||
                    m[(size_t) i * page + page - 1] != (unsigned char) (0xa0 + i)) {
                        fprintf(stderr, "page %ld reads back wrong\n", i);
                        return 1;
                }
        munmap(m, len);
        close(fd);
        printf("mapped %ld pages of %ld kB\n", n, kb);
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hvlimit: the physical limit of a generator run, and the clock bench/limit.sh reads it with.
 *
 *   hvlimit manifest TREE MANIFEST
 *       Walks TREE (a reference output of hostvirt-generator) once and writes MANIFEST:
 *       every directory, regular file (with its content) and symlink (with its target),
 *       parents before children.  Not timed.
 *   hvlimit replay MANIFEST DIR
 *       The limit: recreates the tree in the empty directory DIR with the fewest system
 *       calls a generator could make for it.  The manifest is read with one read() into
 *       memory (open, fstat, read, close), DIR is opened once, then per entry one
 *       mkdirat(), one openat()+write()+close(), or one symlinkat().  No stdio, no
 *       frees: what is left is process start and the file system's own work.
 *   hvlimit time RUNS WARMUP RSSRUNS TIMEOUT OUTDIR -- NAME CMD [ARG...] [\; NAME CMD...]...
 *       Times each command RUNS times (after WARMUP runs not counted), the commands
 *       interleaved (run i starts at command i mod N, so no command always goes first),
 *       each run with OUTDIR emptied and re-created before the clock starts.  The clock
 *       (CLOCK_MONOTONIC) spans posix_spawn() to wait4(): process start and exit are in,
 *       and the driver's own part is as small as Linux makes it (vfork, exec).
 *       stdin, stdout and stderr of the commands are /dev/null.  A run that takes more
 *       than TIMEOUT seconds is killed and ends that command's runs.  Then RSSRUNS more
 *       runs of each, untimed, for the peak RSS (ru_maxrss from wait4): started with
 *       fork() and execve(), since Linux counts the pages a process had before its exec
 *       into its peak, and a vfork child (posix_spawn) has the driver's whole RSS, a fork
 *       child only the driver's few anonymous pages.  Prints one line per command:
 *         NAME STATUS MEDIAN_MS MIN_MS MAX_MS MEDIAN_RSS_KB PEAK_RSS_KB RUNS
 *       with STATUS ok, timeout, or exit=N / signal=N (the last run's, when not 0), the
 *       RSS columns the median and the largest of the RSS runs (ru_maxrss varies by some
 *       100 kB from run to run with the address space layout).
 *
 * Linked like the project's programs (dynamically, libc only; the generator also loads
 * libinih), so the difference to the generator is its work, not the toolchain's.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void die(const char *what, const char *arg) {
        /* the one place replay may use stdio: it is not reached on success */
        fprintf(stderr, "hvlimit: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
        exit(EXIT_FAILURE);
}

/* ---------------------------------------------------------------------------------------------
 * The manifest: a sequence of NUL-terminated fields,
 *   "d" MODE PATH
 *   "f" MODE SIZE PATH <SIZE bytes of content>
 *   "l" PATH TARGET
 * MODE in octal, SIZE in decimal, PATH relative to the tree's root.
 */

struct entry {
        char *path;  /* relative to the tree */
        char type;   /* d, f, l */
        mode_t mode;
        char *target; /* symlinks */
        off_t size;   /* files */
};

static struct entry *entries;
static size_t n_entries;
static size_t root_len;

static int collect(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        struct entry e = { .mode = st->st_mode & 07777 };

        if (ftw->level == 0)
                return 0; /* the tree's root: DIR exists already when replay runs */
        e.path = strdup(path + root_len + 1);
        if (!e.path)
                die("out of memory", NULL);
        if (flag == FTW_D)
                e.type = 'd';
        else if (flag == FTW_SL) {
                char buf[4096];
                ssize_t n = readlink(path, buf, sizeof(buf) - 1);
                if (n < 0)
                        die("cannot read the symlink", path);
                buf[n] = '\0';
                e.type = 'l';
                e.target = strdup(buf);
        } else if (flag == FTW_F && S_ISREG(st->st_mode)) {
                e.type = 'f';
                e.size = st->st_size;
        } else {
                errno = EINVAL;
                die("neither a directory, a regular file nor a symlink", path);
        }
        entries = realloc(entries, (n_entries + 1) * sizeof(*entries));
        if (!entries)
                die("out of memory", NULL);
        entries[n_entries++] = e;
        return 0;
}

/* By path: a directory's path is a prefix of its entries', so it sorts before them. */
static int cmp_entry(const void *a, const void *b) {
        return strcmp(((const struct entry *) a)->path, ((const struct entry *) b)->path);
}

static int do_manifest(const char *tree, const char *manifest) {
        FILE *out;

        root_len = strlen(tree);
        while (root_len > 1 && tree[root_len - 1] == '/')
                root_len--;
        if (nftw(tree, collect, 64, FTW_PHYS) < 0)
                die("cannot walk", tree);
        qsort(entries, n_entries, sizeof(*entries), cmp_entry);

        out = fopen(manifest, "we");
        if (!out)
                die("cannot create", manifest);
        for (size_t i = 0; i < n_entries; i++) {
                const struct entry *e = &entries[i];
                if (e->type == 'd')
                        fprintf(out, "d%c%o%c%s%c", 0, (unsigned) e->mode, 0, e->path, 0);
                else if (e->type == 'l')
                        fprintf(out, "l%c%s%c%s%c", 0, e->path, 0, e->target, 0);
                else {
                        char *full, buf[65536];
                        size_t n;
                        FILE *in;

                        if (asprintf(&full, "%.*s/%s", (int) root_len, tree, e->path) < 0)
                                die("out of memory", NULL);
                        in = fopen(full, "re");
                        if (!in)
                                die("cannot open", full);
                        fprintf(out, "f%c%o%c%lld%c%s%c", 0, (unsigned) e->mode, 0, (long long) e->size, 0, e->path, 0);
                        while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
                                fwrite(buf, 1, n, out);
                        if (ferror(in))
                                die("cannot read", full);
                        fclose(in);
                        free(full);
                }
        }
        if (fclose(out) != 0)
                die("cannot write", manifest);
        return 0;
}

/* ---------------------------------------------------------------------------------------------
 * The limit.
 */

static unsigned long parse_num(const char **p, int base) {
        unsigned long v = 0;
        const char *s = *p;

        for (; *s; s++)
                v = v * (unsigned) base + (unsigned) (*s - '0');
        *p = s + 1;
        return v;
}

static int do_replay(const char *manifest, const char *dir) {
        struct stat st;
        char *buf;
        const char *p, *end;
        int fd, dfd;

        fd = open(manifest, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0)
                die("cannot open", manifest);
        buf = malloc((size_t) st.st_size + 1);
        if (!buf)
                die("out of memory", NULL);
        /* one read: the manifest is a regular file, which read() fills whole */
        if (read(fd, buf, (size_t) st.st_size) != st.st_size)
                die("short read of", manifest);
        close(fd);
        buf[st.st_size] = '\0';

        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                die("cannot open", dir);

        for (p = buf, end = buf + st.st_size; p < end;) {
                char type = *p;
                const char *path, *target;
                unsigned long mode;
                size_t size;

                p += 2;
                switch (type) {
                case 'd':
                        mode = parse_num(&p, 8);
                        path = p;
                        p += strlen(p) + 1;
                        if (mkdirat(dfd, path, (mode_t) mode) < 0)
                                die("cannot create directory", path);
                        break;
                case 'f':
                        mode = parse_num(&p, 8);
                        size = parse_num(&p, 10);
                        path = p;
                        p += strlen(p) + 1;
                        /* the generator's flags: exclusive, no symlink followed */
                        fd = openat(dfd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, (mode_t) mode);
                        if (fd < 0)
                                die("cannot create", path);
                        if (size > 0 && write(fd, p, size) != (ssize_t) size)
                                die("cannot write", path);
                        if (close(fd) < 0)
                                die("cannot close", path);
                        p += size;
                        break;
                case 'l':
                        path = p;
                        p += strlen(p) + 1;
                        target = p;
                        p += strlen(p) + 1;
                        if (symlinkat(target, dfd, path) < 0)
                                die("cannot create symlink", path);
                        break;
                default:
                        errno = EINVAL;
                        die("bad manifest", manifest);
                }
        }
        return 0;
}

/* ---------------------------------------------------------------------------------------------
 * The clock.
 */

struct cmd {
        const char *name;
        char **argv;
        double *ms;
        size_t n_ms;
        long *kb; /* ru_maxrss of each RSS run */
        size_t n_kb;
        long peak_kb;
        bool timed_out;
        int status; /* the last run's wait status */
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        if (remove(path) < 0 && errno != ENOENT)
                die("cannot remove", path);
        return 0;
}

/* OUTDIR, empty: removed with everything in it, and made again. */
static void fresh_dir(const char *dir) {
        struct stat st;

        if (lstat(dir, &st) >= 0 && nftw(dir, rm_entry, 64, FTW_DEPTH | FTW_PHYS) < 0)
                die("cannot remove", dir);
        if (mkdir(dir, 0755) < 0)
                die("cannot create", dir);
}

static double now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

/* fork() and execve() of c's command, its stdio on /dev/null (the RSS runs) */
static pid_t fork_exec(const struct cmd *c) {
        sigset_t none;
        pid_t pid = fork();
        int fd;

        if (pid != 0)
                return pid;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        fd = open("/dev/null", O_RDWR);
        if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
                _exit(126);
        execve(c->argv[0], c->argv, environ);
        _exit(127);
}

/* One run of c, at most timeout_s seconds; returns its duration in ms, or -1 after a timeout.
 * fa and attr NULL: an RSS run (fork, execve). */
static double run_once(struct cmd *c, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
                       double timeout_s) {
        struct rusage ru;
        sigset_t chld;
        double t0, t1;
        pid_t pid;
        int status, r;

        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        t0 = now_ms();
        if (fa)
                r = posix_spawn(&pid, c->argv[0], fa, attr, c->argv, environ);
        else {
                pid = fork_exec(c);
                r = pid < 0 ? errno : 0;
        }
        if (r != 0) {
                errno = r;
                die("cannot start", c->argv[0]);
        }
        for (;;) {
                double left = timeout_s * 1e3 - (now_ms() - t0);
                struct timespec ts;
                pid_t w;

                w = wait4(pid, &status, WNOHANG, &ru);
                if (w < 0)
                        die("wait4", c->name);
                if (w == pid)
                        break;
                if (left <= 0) {
                        kill(pid, SIGKILL);
                        (void) wait4(pid, &status, 0, &ru);
                        c->timed_out = true;
                        return -1;
                }
                ts.tv_sec = (time_t) (left / 1e3);
                ts.tv_nsec = (long) ((left - (double) ts.tv_sec * 1e3) * 1e6);
                (void) sigtimedwait(&chld, NULL, &ts);
        }
        t1 = now_ms();
        /* the SIGCHLD of this child stays pending (blocked): taken now, off the clock, so the
         * next run's first sigtimedwait() does not return at once */
        {
                struct timespec zero = { 0, 0 };
                (void) sigtimedwait(&chld, NULL, &zero);
        }
        c->status = status;
        if (!fa) {
                c->kb[c->n_kb++] = ru.ru_maxrss;
                if (ru.ru_maxrss > c->peak_kb)
                        c->peak_kb = ru.ru_maxrss;
        }
        return t1 - t0;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return x < y ? -1 : x > y;
}

static int cmp_long(const void *a, const void *b) {
        long x = *(const long *) a, y = *(const long *) b;
        return x < y ? -1 : x > y;
}

static int do_time(int argc, char *argv[]) {
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t attr;
        sigset_t chld, none;
        struct cmd *cmds = NULL;
        size_t n_cmds = 0;
        long runs, warmup, rss_runs;
        double timeout_s;
        const char *outdir;
        int i;

        if (argc < 8 || strcmp(argv[5], "--") != 0) {
                fprintf(stderr, "usage: hvlimit time RUNS WARMUP RSSRUNS TIMEOUT OUTDIR -- NAME CMD [ARG...] [; NAME CMD...]\n");
                return 2;
        }
        runs = strtol(argv[0], NULL, 10);
        warmup = strtol(argv[1], NULL, 10);
        rss_runs = strtol(argv[2], NULL, 10);
        timeout_s = strtod(argv[3], NULL);
        outdir = argv[4];
        if (runs < 1 || warmup < 0 || rss_runs < 0 || !(timeout_s > 0)) {
                fprintf(stderr, "hvlimit time: bad RUNS, WARMUP, RSSRUNS or TIMEOUT\n");
                return 2;
        }
        for (i = 6; i < argc;) {
                struct cmd c = { .name = argv[i] };
                int start = ++i;

                while (i < argc && strcmp(argv[i], ";") != 0)
                        i++;
                if (i == start) {
                        fprintf(stderr, "hvlimit time: %s has no command\n", c.name);
                        return 2;
                }
                c.argv = argv + start;
                argv[i] = NULL; /* ends this command's argv (the ";" or argv[argc]) */
                i++;
                c.ms = calloc((size_t) runs, sizeof(double));
                c.kb = calloc((size_t) rss_runs + 1, sizeof(long));
                cmds = realloc(cmds, (n_cmds + 1) * sizeof(*cmds));
                if (!c.ms || !c.kb || !cmds)
                        die("out of memory", NULL);
                cmds[n_cmds++] = c;
        }

        /* SIGCHLD blocked here, for sigtimedwait(); the commands start with nothing blocked */
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        sigprocmask(SIG_BLOCK, &chld, NULL);
        sigemptyset(&none);
        posix_spawnattr_init(&attr);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);

        for (long r = 0; r < warmup + runs; r++)
                for (size_t k = 0; k < n_cmds; k++) {
                        struct cmd *c = &cmds[((size_t) r + k) % n_cmds];
                        double ms;

                        if (c->timed_out)
                                continue;
                        fresh_dir(outdir);
                        ms = run_once(c, &fa, &attr, timeout_s);
                        if (ms >= 0 && r >= warmup)
                                c->ms[c->n_ms++] = ms;
                }
        for (long r = 0; r < rss_runs; r++)
                for (size_t k = 0; k < n_cmds; k++) {
                        struct cmd *c = &cmds[((size_t) r + k) % n_cmds];

                        if (c->timed_out)
                                continue;
                        fresh_dir(outdir);
                        (void) run_once(c, NULL, NULL, timeout_s);
                }

        for (size_t k = 0; k < n_cmds; k++) {
                struct cmd *c = &cmds[k];
                char st[32] = "ok";

                if (c->timed_out)
                        snprintf(st, sizeof(st), "timeout");
                else if (WIFSIGNALED(c->status))
                        snprintf(st, sizeof(st), "signal=%d", WTERMSIG(c->status));
                else if (WEXITSTATUS(c->status) != 0)
                        snprintf(st, sizeof(st), "exit=%d", WEXITSTATUS(c->status));
                printf("%s %s", c->name, st);
                if (c->n_ms == 0)
                        printf(" - - -");
                else {
                        qsort(c->ms, c->n_ms, sizeof(double), cmp_double);
                        /* the median; of an even count, the mean of the middle two */
                        printf(" %.3f %.3f %.3f",
                               c->n_ms % 2 ? c->ms[c->n_ms / 2] : (c->ms[c->n_ms / 2 - 1] + c->ms[c->n_ms / 2]) / 2,
                               c->ms[0], c->ms[c->n_ms - 1]);
                }
                if (c->n_kb == 0)
                        printf(" - -");
                else {
                        qsort(c->kb, c->n_kb, sizeof(long), cmp_long);
                        printf(" %ld %ld", c->kb[(c->n_kb - 1) / 2], c->peak_kb);
                }
                printf(" %zu\n", c->n_ms);
        }
        return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char *argv[]) {
        if (argc == 4 && strcmp(argv[1], "replay") == 0)
                return do_replay(argv[2], argv[3]);
        if (argc == 4 && strcmp(argv[1], "manifest") == 0)
                return do_manifest(argv[2], argv[3]);
        if (argc >= 2 && strcmp(argv[1], "time") == 0)
                return do_time(argc - 2, argv + 2);
        fprintf(stderr, "usage: hvlimit replay MANIFEST DIR | manifest TREE MANIFEST | time ...\n");
        return 2;
}

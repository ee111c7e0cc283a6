/* harness — what the hostile-input and fault tests (tests/e2e/test_hostile.c,
 * tests/e2e/test_faults.c) share: running $KAOHE as a child with a time
 * limit, resource limits and captured output; scratch directories under
 * /tmp/hostile-*; and checks of an output tree (no file outside OUTPUT, no
 * half-written file at a final path, accounting of persons).
 * Header-only (static functions), included by both test files. */
#ifndef KAOHE_TESTS_HOSTILE_HARNESS_H
#define KAOHE_TESTS_HOSTILE_HARNESS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define H_UNUSED __attribute__((unused))
#define H_EPOCH "1766966400"   /* 2025-12-29: every run is reproducible */

/* --- small string and file helpers ---------------------------------------- */

/* GCC with -fsanitize=undefined sees a NULL branch for fmt and warns
 * "null format string" (a false positive, also in src/util.c). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
H_UNUSED __attribute__((format(printf, 1, 2))) static char *h_printf(const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    char probe[1];
    int n = vsnprintf(probe, sizeof probe, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, aq);
    va_end(aq);
    return s;
}
#pragma GCC diagnostic pop

/* Whole file (NUL-terminated, *len bytes); NULL when it cannot be read. */
H_UNUSED static char *h_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, got;
    char *b = malloc(cap);
    while ((got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) b = realloc(b, cap *= 2);
    }
    fclose(f);
    b[n] = '\0';
    if (len) *len = n;
    return b;
}

H_UNUSED static void h_write(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

H_UNUSED static size_t h_count(const char *hay, const char *needle)
{
    size_t n = 0, l = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)); p += l) n++;
    return n;
}

H_UNUSED static bool h_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Under valgrind (make check-valgrind sets KAOHE_TEST_SLOW) everything
 * takes ~30 times longer: time limits stretch, the heaviest tests skip. */
H_UNUSED static double h_slow(void)
{
    const char *s = getenv("KAOHE_TEST_SLOW");
    return s && *s && strcmp(s, "0") ? 30.0 : 1.0;
}

#define H_SKIP_IF_SLOW(why) \
    do { if (h_slow() > 1) cr_skip_test("too slow under valgrind (KAOHE_TEST_SLOW): %s", why); } while (0)

/* Built with AddressSanitizer (make check-asan builds the tests with the
 * same flags as the binary): big allocations cost system time (100 MB of
 * text takes minutes) and memory doubles; the heaviest tests skip there. */
#if defined(__SANITIZE_ADDRESS__)
#define H_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define H_SANITIZED 1
#endif
#endif
#ifndef H_SANITIZED
#define H_SANITIZED 0
#endif
#define H_SKIP_IF_HEAVY(why) \
    do { \
        H_SKIP_IF_SLOW(why); \
        if (H_SANITIZED) cr_skip_test("too heavy under AddressSanitizer (the plain build runs it): %s", why); \
    } while (0)

/* --- the binary --------------------------------------------------------------- */

/* Absolute path of $KAOHE (tests run with cwd tests/, children elsewhere). */
H_UNUSED static const char *h_kaohe(void)
{
    static char path[PATH_MAX];
    if (!path[0]) {
        const char *k = getenv("KAOHE");
        if (!k) k = "../build/kaohe";
        cr_assert(realpath(k, path), "KAOHE=%s: %s", k, strerror(errno));
    }
    return path;
}

/* Absolute path of a file given relative to tests/. */
H_UNUSED static char *h_abs(const char *rel)
{
    char p[PATH_MAX];
    cr_assert(realpath(rel, p), "%s: %s", rel, strerror(errno));
    return strdup(p);
}

/* --- scratch directories -------------------------------------------------- */

typedef struct h_box {
    char base[64];      /* /tmp/hostile-XXXXXX */
    char *cap;          /* generated inputs, scratch of a test */
    char *box;          /* the child's working directory */
    char *out;          /* OUTPUT: box/a/b/out, deep enough that ../../.. stays in box */
} h_box;

/* Boxes of the running test (each test runs in its own process): the
 * suite's .fini removes those a failed assertion left open. */
static char h_open_boxes[8][64];

H_UNUSED static void h_box_open(h_box *b)
{
    snprintf(b->base, sizeof b->base, "/tmp/hostile-XXXXXX");
    cr_assert(mkdtemp(b->base), "mkdtemp: %s", strerror(errno));
    for (size_t i = 0; i < sizeof h_open_boxes / sizeof h_open_boxes[0]; i++)
        if (!h_open_boxes[i][0]) {
            snprintf(h_open_boxes[i], sizeof h_open_boxes[i], "%s", b->base);
            break;
        }
    b->cap = h_printf("%s/cap", b->base);
    b->box = h_printf("%s/box", b->base);
    b->out = h_printf("%s/box/a/b/out", b->base);
    cr_assert_eq(mkdir(b->cap, 0777), 0);
    cr_assert_eq(mkdir(b->box, 0777), 0);
    char *a = h_printf("%s/a", b->box), *ab = h_printf("%s/a/b", b->box);
    cr_assert_eq(mkdir(a, 0777), 0);
    cr_assert_eq(mkdir(ab, 0777), 0);
    free(a);
    free(ab);
}

/* rm -rf without a shell */
H_UNUSED static void h_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
                char *c = h_printf("%s/%s", path, e->d_name);
                h_rmtree(c);
                free(c);
            }
            closedir(d);
        }
        rmdir(path);
    } else unlink(path);
}

H_UNUSED static void h_box_close(h_box *b)
{
    h_rmtree(b->base);
    for (size_t i = 0; i < sizeof h_open_boxes / sizeof h_open_boxes[0]; i++)
        if (!strcmp(h_open_boxes[i], b->base)) h_open_boxes[i][0] = '\0';
    free(b->cap);
    free(b->box);
    free(b->out);
}

/* For a suite's .fini: remove the boxes a failed test did not close. */
H_UNUSED static void h_boxes_cleanup(void)
{
    for (size_t i = 0; i < sizeof h_open_boxes / sizeof h_open_boxes[0]; i++)
        if (h_open_boxes[i][0]) {
            h_rmtree(h_open_boxes[i]);
            h_open_boxes[i][0] = '\0';
        }
}

/* --- running the binary ------------------------------------------------------ */

typedef struct h_run_opts {
    const char *cwd;            /* default: the box, else tests/ */
    double timeout;             /* seconds; default 60 */
    long long fsize;            /* RLIMIT_FSIZE in bytes (0: none); SIGXFSZ ignored */
    const char *stdin_path;     /* default /dev/null */
} h_run_opts;

typedef struct h_result {
    int status;                 /* exit status, -1 when signalled or timed out */
    int sig;                    /* terminating signal, 0 if none */
    bool timed_out;
    double secs;
    long maxrss_kb;             /* peak resident set of the child */
    char *out, *err;            /* captured stdout, stderr */
} h_result;

H_UNUSED static double h_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* A running child: its stdout and stderr come through pipes that the
 * parent drains, so a file-size limit on the child never truncates them. */
typedef struct h_proc {
    pid_t pid;
    int fd[2];                  /* read ends: stdout, stderr (-1 once closed) */
    char *buf[2];
    size_t len[2], cap[2];
} h_proc;

/* Start argv[] (argv[0] "kaohe" is replaced by $KAOHE). */
H_UNUSED static void h_spawn(h_proc *p, const h_box *b, const h_run_opts *o, char *const argv[])
{
    memset(p, 0, sizeof *p);
    const char *exe = h_kaohe();   /* resolved here: the child must never assert */
    int po[2], pe[2];
    cr_assert(pipe(po) == 0 && pipe(pe) == 0, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        int in = open(o && o->stdin_path ? o->stdin_path : "/dev/null", O_RDONLY);
        if (in < 0) _exit(126);
        dup2(in, 0);
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        const char *cwd = o && o->cwd ? o->cwd : b->box;
        if (chdir(cwd) != 0) _exit(126);
        if (o && o->fsize > 0) {
            struct rlimit rl = { (rlim_t)o->fsize, (rlim_t)o->fsize };
            signal(SIGXFSZ, SIG_IGN);   /* writes fail with EFBIG instead */
            if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(126);
        }
        setenv("SOURCE_DATE_EPOCH", H_EPOCH, 1);
        unsetenv("KAOHE_TEMPLATES");
        int argc = 0;
        while (argv[argc]) argc++;
        char **args = calloc((size_t)argc + 1, sizeof *args);
        if (!args) _exit(126);
        args[0] = (char *)exe;
        for (int i = 1; i < argc; i++) args[i] = argv[i];
        execv(args[0], args);
        _exit(127);
    }
    setpgid(pid, pid);
    close(po[1]);
    close(pe[1]);
    p->pid = pid;
    p->fd[0] = po[0];
    p->fd[1] = pe[0];
    for (int i = 0; i < 2; i++) {
        fcntl(p->fd[i], F_SETFL, O_NONBLOCK);
        p->buf[i] = malloc(p->cap[i] = 4096);
        p->buf[i][0] = '\0';
    }
}

/* Read what the pipes hold now. */
H_UNUSED static void h_drain(h_proc *p)
{
    for (int i = 0; i < 2; i++) {
        while (p->fd[i] >= 0) {
            if (p->cap[i] - p->len[i] < 4096) p->buf[i] = realloc(p->buf[i], p->cap[i] *= 2);
            ssize_t n = read(p->fd[i], p->buf[i] + p->len[i], p->cap[i] - p->len[i] - 1);
            if (n > 0) {
                p->len[i] += (size_t)n;
                p->buf[i][p->len[i]] = '\0';
                continue;
            }
            if (n == 0 || errno != EAGAIN) {
                close(p->fd[i]);
                p->fd[i] = -1;
            }
            break;
        }
    }
}

/* Kill the child's whole process group. */
H_UNUSED static void h_kill(h_proc *p)
{
    kill(-p->pid, SIGKILL);
    kill(p->pid, SIGKILL);
}

/* Wait for the child up to `timeout` seconds after t0 (then kill it);
 * fills r (status, sig, timed_out, secs, maxrss_kb, out, err). */
H_UNUSED static void h_wait(h_proc *p, double timeout, double t0, h_result *r)
{
    memset(r, 0, sizeof *r);
    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    for (;;) {
        h_drain(p);
        pid_t w = wait4(p->pid, &st, WNOHANG, &ru);
        if (w == p->pid) break;
        cr_assert(w == 0, "wait4: %s", strerror(errno));
        if (h_now() - t0 > timeout) {
            r->timed_out = true;
            h_kill(p);
            wait4(p->pid, &st, 0, &ru);
            break;
        }
        struct timespec ts = { 0, 2 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    r->secs = h_now() - t0;
    r->maxrss_kb = ru.ru_maxrss;
    r->status = !r->timed_out && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r->sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    /* what is left in the pipes (descendants are gone with the group) */
    for (int i = 0; i < 2; i++)
        if (p->fd[i] >= 0) fcntl(p->fd[i], F_SETFL, 0);
    h_drain(p);
    r->out = p->buf[0];
    r->err = p->buf[1];
    p->buf[0] = p->buf[1] = NULL;
}

/* Run kaohe with NULL-terminated arguments; asserts no crash and no hang. */
H_UNUSED static void h_run(h_result *r, const h_box *b, const h_run_opts *o, char *const argv[])
{
    double timeout = (o && o->timeout > 0 ? o->timeout : 60) * h_slow();
    double t0 = h_now();
    h_proc p;
    h_spawn(&p, b, o, argv);
    h_wait(&p, timeout, t0, r);
    int last = 0;
    while (argv[last + 1]) last++;
    cr_assert(!r->timed_out, "kaohe %s … %s: no result after %.0f s (hang)", argv[1], argv[last], timeout);
    cr_assert_eq(r->sig, 0, "%s: killed by signal %d (crash)\nstderr:\n%s", argv[1], r->sig, r->err);
    cr_assert_neq(r->status, 127, "cannot exec %s", h_kaohe());
    cr_assert_neq(r->status, 126, "cannot set up the child");
}

H_UNUSED static void h_result_free(h_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* --- checks of an output tree ---------------------------------------------- */

/* A name a killed or failed run may leave behind: outfile's and the XLSX
 * writer's temp files, ".NAME.tmp-XXXXXX". Never a final file. */
H_UNUSED static bool h_is_temp(const char *name)
{
    const char *t = strstr(name, ".tmp-");
    return name[0] == '.' && t && strlen(t) == 11;
}

typedef void (*h_visit_fn)(const char *path, const char *rel, const struct stat *st, void *arg);

/* Every entry below dir (depth first), with its path relative to dir. */
H_UNUSED static void h_walk(const char *dir, const char *rel, h_visit_fn fn, void *arg)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *p = h_printf("%s/%s", dir, e->d_name);
        char *r = rel ? h_printf("%s/%s", rel, e->d_name) : strdup(e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0) {
            fn(p, r, &st, arg);
            if (S_ISDIR(st.st_mode)) h_walk(p, r, fn, arg);
        }
        free(p);
        free(r);
    }
    closedir(d);
}

H_UNUSED static void h_outside_visit(const char *path, const char *rel, const struct stat *st, void *arg)
{
    (void)path;
    (void)st;
    /* the box holds a/, a/b/ and the output tree a/b/out, nothing else */
    if (!strcmp(rel, "a") || !strcmp(rel, "a/b") || !strcmp(rel, "a/b/out") || !strncmp(rel, "a/b/out/", 8))
        return;
    (*(int *)arg)++;
    cr_expect(0, "file outside OUTPUT: box/%s", rel);
}

/* Nothing was written in the child's working directory or beside OUTPUT. */
H_UNUSED static void h_assert_nothing_outside(const h_box *b)
{
    int n = 0;
    h_walk(b->box, NULL, h_outside_visit, &n);
    cr_assert_eq(n, 0, "%d files outside OUTPUT", n);
}

/* Count of files below dir (temp files too). */
H_UNUSED static void h_count_visit(const char *path, const char *rel, const struct stat *st, void *arg)
{
    (void)path;
    (void)rel;
    if (!S_ISDIR(st->st_mode)) (*(int *)arg)++;
}

H_UNUSED static int h_count_files(const char *dir)
{
    int n = 0;
    h_walk(dir, NULL, h_count_visit, &n);
    return n;
}

/* --- no half-written file at a final path ---------------------------------- */

/* A complete XLSX: a zip whose end record points at a central directory
 * that ends where the end record starts (libxlsxwriter writes no comment). */
H_UNUSED static bool h_zip_complete(const unsigned char *d, size_t n)
{
    if (n < 22 + 4 || memcmp(d, "PK\x03\x04", 4)) return false;
    const unsigned char *e = d + n - 22;
    if (memcmp(e, "PK\x05\x06", 4)) return false;
    unsigned long size = e[12] | e[13] << 8 | (unsigned long)e[14] << 16 | (unsigned long)e[15] << 24;
    unsigned long off = e[16] | e[17] << 8 | (unsigned long)e[18] << 16 | (unsigned long)e[19] << 24;
    return off + size == n - 22 && off + 4 <= n && !memcmp(d + off, "PK\x01\x02", 4);
}

H_UNUSED static bool h_pdf_complete(const char *d, size_t n)
{
    if (n < 16 || memcmp(d, "%PDF-", 5)) return false;
    while (n && (d[n - 1] == '\n' || d[n - 1] == '\r')) n--;
    return n >= 5 && !memcmp(d + n - 5, "%%EOF", 5);
}

typedef struct h_tree {
    int files, temps, pdfs, xlsxs, bad;
    int manifests;
    char **manifest_dirs;
} h_tree;

H_UNUSED static void h_tree_visit(const char *path, const char *rel, const struct stat *st, void *arg)
{
    h_tree *t = arg;
    if (!S_ISREG(st->st_mode)) return;
    const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    if (h_is_temp(base)) {
        t->temps++;
        return;
    }
    t->files++;
    size_t n = strlen(base);
    bool ok = true;
    const char *why = "";
    if (n > 4 && !strcmp(base + n - 4, ".pdf")) {
        size_t len;
        char *d = h_slurp(path, &len);
        ok = d && h_pdf_complete(d, len);
        why = "PDF without %%EOF";
        free(d);
        t->pdfs++;
    } else if (n > 5 && !strcmp(base + n - 5, ".xlsx")) {
        size_t len;
        char *d = h_slurp(path, &len);
        ok = d && h_zip_complete((unsigned char *)d, len);
        why = "XLSX not a complete zip";
        free(d);
        t->xlsxs++;
    } else if (!strcmp(base, "results.xml")) {
        size_t len;
        char *d = h_slurp(path, &len);
        ok = d && len > 11 && !strcmp(d + len - 11, "</results>\n");
        why = "results.xml incomplete";
        free(d);
    } else if (!strcmp(base, "findings.txt")) {
        char *d = h_slurp(path, NULL);
        ok = d != NULL;
        /* one finding per line, five tab-separated fields */
        for (char *line = d, *nl; ok && line && *line; line = nl + 1) {
            nl = strchr(line, '\n');
            if (!nl) { ok = false; break; }
            int tabs = 0;
            for (char *c = line; c < nl; c++) tabs += *c == '\t';
            ok = tabs == 4;
        }
        why = "findings.txt: a line is not five tab-separated fields";
        free(d);
    } else if (!strcmp(base, "MANIFEST.sha256")) {
        char *dir = strdup(path);
        *strrchr(dir, '/') = '\0';
        t->manifest_dirs = realloc(t->manifest_dirs, (size_t)(t->manifests + 1) * sizeof *t->manifest_dirs);
        t->manifest_dirs[t->manifests++] = dir;
    }
    if (!ok) {
        t->bad++;
        cr_expect(0, "half-written or broken file at a final path: %s (%s)", rel, why);
    }
}

/* Check every file below dir: complete PDFs, XLSX, results.xml,
 * findings.txt; every manifest verifies (sha256sum -c). Temp files are
 * counted, never checked. */
H_UNUSED static h_tree h_check_tree(const char *dir)
{
    h_tree t = { 0 };
    h_walk(dir, NULL, h_tree_visit, &t);
    for (int i = 0; i < t.manifests; i++) {
        char *cmd = h_printf("cd '%s' && sha256sum -c --quiet --strict MANIFEST.sha256 >/dev/null 2>&1", t.manifest_dirs[i]);
        int rc = system(cmd);
        cr_expect_eq(rc, 0, "MANIFEST.sha256 does not verify in %s", t.manifest_dirs[i]);
        if (rc != 0) t.bad++;
        free(cmd);
        free(t.manifest_dirs[i]);
    }
    free(t.manifest_dirs);
    return t;
}

/* Two trees hold the same final files with the same bytes (temp files
 * ignored). Returns the number of differences (each reported). */
typedef struct h_cmp {
    const char *other;
    int diffs, files;
} h_cmp;

H_UNUSED static void h_cmp_visit(const char *path, const char *rel, const struct stat *st, void *arg)
{
    h_cmp *c = arg;
    const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    if (!S_ISREG(st->st_mode) || h_is_temp(base)) return;
    c->files++;
    char *o = h_printf("%s/%s", c->other, rel);
    size_t la, lb;
    char *a = h_slurp(path, &la), *b = h_slurp(o, &lb);
    if (!a || !b || la != lb || memcmp(a, b, la)) {
        if (c->diffs++ < 10) cr_expect(0, "differs: %s (%s)", rel, b ? "content" : "missing");
    }
    free(a);
    free(b);
    free(o);
}

H_UNUSED static int h_compare_trees(const char *a, const char *b)
{
    h_cmp ab = { b, 0, 0 }, ba = { a, 0, 0 };
    h_walk(a, NULL, h_cmp_visit, &ab);
    h_walk(b, NULL, h_cmp_visit, &ba);   /* files only in b */
    return ab.diffs + ba.diffs;
}

/* --- accounting ------------------------------------------------------------ */

/* Persons in results.xml: <person> elements and the totals line agree;
 * returns the count (or -1 when there is no results.xml). */
H_UNUSED static long h_results_persons(const char *year_dir)
{
    char *p = h_printf("%s/results.xml", year_dir);
    char *x = h_slurp(p, NULL);
    free(p);
    if (!x) return -1;
    long n = (long)h_count(x, "<person ");
    const char *t = strstr(x, "<totals ");
    cr_assert(t, "results.xml without <totals>");
    const char *pp = strstr(t, " persons=\"");
    cr_assert(pp, "totals without persons");
    long total = strtol(pp + 10, NULL, 10);
    cr_expect_eq(total, n, "totals persons=%ld but %ld <person> elements", total, n);
    free(x);
    return n;
}

/* The run's own statement on stderr: "输入 N 人，results.xml 中 M 人"
 * (persons in, persons out): both numbers, or false when absent. */
H_UNUSED static bool h_stated_persons(const char *err, long *in, long *out)
{
    const char *a = strstr(err, "输入 "), *b = strstr(err, "results.xml 中 ");
    if (!a || !b) return false;
    *in = strtol(a + strlen("输入 "), NULL, 10);
    *out = strtol(b + strlen("results.xml 中 "), NULL, 10);
    return true;
}

#endif

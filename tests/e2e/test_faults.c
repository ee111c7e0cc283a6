/* Output faults (issue 6): a file-size limit (ulimit -f), a full disk (a
 * small tmpfs), an unwritable OUTPUT, obstacles inside OUTPUT, and kill -9
 * at random moments during a build. Afterwards no half-written file stands
 * at a final path, the exit status says what happened (4, OUTPUT_FAILED),
 * and a re-run completes the package byte for byte as an undisturbed run
 * does. Tests run in tests/ with $KAOHE; scratch goes to /tmp/hostile-*. */
#include "../hostile/harness.h"

static char mounted[PATH_MAX];   /* a tmpfs this test mounted, unmounted by unmount() or the fini */

static void unmount(void)
{
    if (!mounted[0]) return;
    char *cmd = h_printf("umount '%s' 2>/dev/null", mounted);
    if (system(cmd) != 0) cr_log_info("could not unmount %s", mounted);
    free(cmd);
    mounted[0] = '\0';
}

/* after a failed assertion: the tmpfs first, then the scratch below it */
static void faults_fini(void)
{
    unmount();
    h_boxes_cleanup();
}

/* the time limit of each run is h_run's; this is only the last resort */
TestSuite(faults, .timeout = 1800, .fini = faults_fini);

/* mount a tmpfs at dir (root with CAP_SYS_ADMIN only); false when we can't */
static bool mount_tmpfs(const char *dir, const char *opts)
{
    char *cmd = h_printf("mount -t tmpfs -o '%s' kaohe-test '%s' 2>/dev/null", opts, dir);
    bool ok = geteuid() == 0 && system(cmd) == 0;
    free(cmd);
    if (ok) snprintf(mounted, sizeof mounted, "%s", dir);
    return ok;
}

static bool remount_tmpfs(const char *dir, const char *opts)
{
    char *cmd = h_printf("mount -o 'remount,%s' '%s' 2>/dev/null", opts, dir);
    bool ok = system(cmd) == 0;
    free(cmd);
    return ok;
}

static const char *inputs[2];

static void resolve_inputs(void)
{
    if (!inputs[0]) {
        inputs[0] = h_abs("data/valid-small.xml");
        inputs[1] = h_abs("data/calendar-2026.xml");   /* a second year directory */
    }
}

static void build(h_result *r, const h_box *b, const char *out, const h_run_opts *o)
{
    resolve_inputs();
    h_run(r, b, o, (char *[]){ "kaohe", "build", "-j", "2", "-o", (char *)out, (char *)inputs[0],
                               (char *)inputs[1], NULL });
}

/* An undisturbed run into box/../ref (outside the checked box). */
static char *reference(const h_box *b)
{
    char *ref = h_printf("%s/ref", b->base);
    h_result r;
    build(&r, b, ref, NULL);
    cr_assert_eq(r.status, 0, "the undisturbed run failed: exit %d\n%s", r.status, r.err);
    h_result_free(&r);
    return ref;
}

/* A failed run: exit 4 with a Chinese OUTPUT_FAILED message, no broken
 * file at a final path, no temp file left behind, nothing outside OUTPUT. */
static void expect_output_failed(const h_box *b, const h_result *r, const char *what)
{
    cr_expect_eq(r->status, 4, "%s: exit %d, want 4\n%s", what, r->status, r->err);
    cr_expect(strstr(r->err, "[OUTPUT_FAILED]") && strstr(r->err, "无法写入输出"), "%s: message:\n%s", what, r->err);
    h_tree t = h_check_tree(b->out);
    cr_expect_eq(t.bad, 0, "%s: broken files at final paths", what);
    cr_expect_eq(t.temps, 0, "%s: %d temp files left behind", what, t.temps);
    h_assert_nothing_outside(b);
}

/* The re-run completes and equals the undisturbed run. */
static void expect_rerun_identical(const h_box *b, const char *ref, const char *what)
{
    h_result r;
    build(&r, b, b->out, NULL);
    cr_expect_eq(r.status, 0, "%s: re-run exit %d\n%s", what, r.status, r.err);
    h_tree t = h_check_tree(b->out);
    cr_expect_eq(t.bad, 0);
    cr_expect_eq(h_compare_trees(ref, b->out), 0, "%s: the re-run differs from an undisturbed run", what);
    h_result_free(&r);
}

/* ulimit -f: writes beyond the limit fail with EFBIG (SIGXFSZ ignored). */
Test(faults, file_size_limit)
{
    h_box b;
    h_box_open(&b);
    char *ref = reference(&b);
    static const long long limits[] = { 1, 4096, 30000, 45000 };
    /* under valgrind its own log file is limited too: only the larger ones */
    for (size_t i = h_slow() > 1 ? 2 : 0; i < sizeof limits / sizeof limits[0]; i++) {
        h_rmtree(b.out);
        h_result r;
        h_run_opts o = { .fsize = limits[i], .timeout = 60 };
        build(&r, &b, b.out, &o);
        char *what = h_printf("RLIMIT_FSIZE %lld", limits[i]);
        expect_output_failed(&b, &r, what);
        h_result_free(&r);
        expect_rerun_identical(&b, ref, what);
        free(what);
    }
    h_rmtree(ref);
    free(ref);
    h_box_close(&b);
}

/* A full disk: OUTPUT on a 300 KB tmpfs, then grown and built again. */
Test(faults, full_disk)
{
    h_box b;
    h_box_open(&b);
    char *ref = reference(&b);
    cr_assert_eq(mkdir(b.out, 0777), 0);
    if (!mount_tmpfs(b.out, "size=300k")) {
        h_rmtree(ref);
        h_box_close(&b);
        cr_skip_test("cannot mount a small tmpfs here (needs root with CAP_SYS_ADMIN); "
                     "file_size_limit covers the EFBIG path");
    }
    h_result r;
    build(&r, &b, b.out, NULL);
    expect_output_failed(&b, &r, "300 KB tmpfs");
    h_result_free(&r);
    cr_assert(remount_tmpfs(b.out, "size=64m"));
    expect_rerun_identical(&b, ref, "tmpfs grown to 64 MB");
    unmount();
    h_rmtree(ref);
    free(ref);
    h_box_close(&b);
}

/* OUTPUT cannot be written at all. As root chmod does not stop writes, so
 * root gets a read-only tmpfs instead. */
Test(faults, unwritable_output)
{
    h_box b;
    h_box_open(&b);
    cr_assert_eq(mkdir(b.out, 0777), 0);
    if (geteuid() != 0) {
        cr_assert_eq(chmod(b.out, 0555), 0);
    } else if (!mount_tmpfs(b.out, "ro,size=64k")) {
        h_box_close(&b);
        cr_skip_test("running as root without mount: chmod cannot make OUTPUT unwritable");
    }
    h_result r;
    build(&r, &b, b.out, NULL);
    expect_output_failed(&b, &r, "read-only OUTPUT");
    cr_expect_eq(h_count_files(b.out), 0);
    h_result_free(&r);
    unmount();
    chmod(b.out, 0755);
    h_box_close(&b);
}

/* OUTPUT is a regular file, or lies below one. */
Test(faults, output_is_a_file)
{
    h_box b;
    h_box_open(&b);
    h_write(b.out, "x", 1);
    h_result r;
    build(&r, &b, b.out, NULL);
    expect_output_failed(&b, &r, "OUTPUT is a file");
    h_result_free(&r);
    char *below = h_printf("%s/sub", b.out);
    build(&r, &b, below, NULL);
    expect_output_failed(&b, &r, "OUTPUT below a file");
    size_t n;
    char *x = h_slurp(b.out, &n);
    cr_expect(x && n == 1 && x[0] == 'x', "the file named as OUTPUT was changed");
    free(x);
    free(below);
    h_result_free(&r);
    h_box_close(&b);
}

/* Obstacles inside OUTPUT: a unit's directory is a file, results.xml is a
 * directory. The run says so (exit 4); what it did write is complete; the
 * other unit's forms are all there. */
Test(faults, obstacles_inside_output)
{
    h_box b;
    h_box_open(&b);
    char *ref = reference(&b);
    char *year = h_printf("%s/2025", b.out);
    cr_assert_eq(mkdir(b.out, 0777), 0);
    cr_assert_eq(mkdir(year, 0777), 0);
    char *unit = h_printf("%s/U001", year);
    h_write(unit, "not a directory", 15);
    h_result r;
    build(&r, &b, b.out, NULL);
    expect_output_failed(&b, &r, "unit directory is a file");
    cr_expect(strstr(r.err, "U001"), "the message does not name the unit:\n%s", r.err);
    char *other = h_printf("%s/U002/registration.pdf", year);
    cr_expect(h_exists(other), "the other unit was not written");
    cr_expect_eq(h_results_persons(year), 12, "results.xml does not account for everyone");
    h_result_free(&r);
    unlink(unit);

    h_rmtree(b.out);
    cr_assert_eq(mkdir(b.out, 0777), 0);
    cr_assert_eq(mkdir(year, 0777), 0);
    char *res = h_printf("%s/results.xml", year);
    cr_assert_eq(mkdir(res, 0777), 0);
    build(&r, &b, b.out, NULL);
    expect_output_failed(&b, &r, "results.xml is a directory");
    char *man = h_printf("%s/MANIFEST.sha256", year);
    cr_expect(!h_exists(man), "a manifest stands although results.xml could not be written");
    h_result_free(&r);
    rmdir(res);
    expect_rerun_identical(&b, ref, "obstacles removed");
    h_rmtree(ref);
    free(man);
    free(res);
    free(other);
    free(unit);
    free(year);
    free(ref);
    h_box_close(&b);
}

/* The size of the killed build: 200 units of 10 persons (~12 s on 2 cores;
 * the test takes about 3.5 builds). */
#define KILL_UNITS "200"
#define KILL_PERSONS "2000"

/* kill -9 at random moments of a build of 200 units; after each kill no
 * final path holds a half-written file; the re-run completes the package
 * and it equals an undisturbed run byte for byte. */
Test(faults, kill_9_during_build)
{
    H_SKIP_IF_HEAVY("three and a half builds of " KILL_UNITS " units");
    h_box b;
    h_box_open(&b);
    h_result r;
    h_run_opts so = { .timeout = 60 };
    h_run(&r, &b, &so, (char *[]){ "kaohe", "sample", "--units", KILL_UNITS, "--persons", KILL_PERSONS, NULL });
    cr_assert_eq(r.status, 0, "sample: %s", r.err);
    char *input = h_printf("%s/sample.xml", b.cap);
    h_write(input, r.out, strlen(r.out));
    h_result_free(&r);

    char *ref = h_printf("%s/ref", b.base);
    h_run_opts o = { .timeout = 300 };
    h_run(&r, &b, &o, (char *[]){ "kaohe", "build", "-q", "-j", "2", "-o", ref, input, NULL });
    cr_assert_eq(r.status, 0, "undisturbed run: exit %d\n%s", r.status, r.err);
    double full = r.secs;
    h_result_free(&r);

    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    cr_log_info("kill_9_during_build: seed %u, an undisturbed run takes %.1f s", seed, full);
    srand(seed);
    int temps = 0;
    for (int k = 0; k < 3; k++) {
        /* a moment in the first 85% of a run (the re-run starts over, so
         * later kills find more of the package already in place) */
        double at = full * (0.05 + 0.8 * (double)rand() / RAND_MAX);
        double t0 = h_now();
        h_proc p;
        h_spawn(&p, &b, &o, (char *[]){ "kaohe", "build", "-q", "-j", "2", "-o", b.out, input, NULL });
        siginfo_t si = { 0 };
        while (h_now() - t0 < at && waitid(P_PID, (id_t)p.pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
               si.si_pid == 0) {
            h_drain(&p);
            struct timespec ts = { 0, 2 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
        h_kill(&p);
        h_wait(&p, at + 30, t0, &r);
        cr_log_info("kill %d at %.2f s: %s", k + 1, at, r.sig == SIGKILL ? "killed" : "had finished");
        h_tree t = h_check_tree(b.out);
        cr_expect_eq(t.bad, 0, "after kill %d at %.2f s: broken files at final paths (seed %u)", k + 1, at, seed);
        temps = t.temps;
        h_result_free(&r);
    }
    /* info, not warn: any cr_log_warn makes the Criterion runner exit 1 */
    if (temps) cr_log_info("kill_9_during_build: %d temp files of killed runs remain (not final, not in the manifest)", temps);
    h_run(&r, &b, &o, (char *[]){ "kaohe", "build", "-q", "-j", "2", "-o", b.out, input, NULL });
    cr_expect_eq(r.status, 0, "re-run: exit %d\n%s", r.status, r.err);
    h_result_free(&r);
    h_tree t = h_check_tree(b.out);
    cr_expect_eq(t.bad, 0);
    /* the re-run sweeps what the killed runs left before it starts */
    cr_expect_eq(t.temps, 0, "the re-run left %d temp files of the killed runs", t.temps);
    cr_expect_eq(h_compare_trees(ref, b.out), 0, "the re-run after kill -9 differs from an undisturbed run (seed %u)", seed);
    char *man = h_printf("%s/2025/MANIFEST.sha256", b.out);
    char *m = h_slurp(man, NULL);
    cr_assert(m, "no manifest after the re-run");
    cr_expect_null(strstr(m, ".tmp-"), "the manifest lists a temp file");
    h_assert_nothing_outside(&b);
    free(m);
    free(man);
    h_rmtree(ref);
    free(ref);
    free(input);
    h_box_close(&b);
}

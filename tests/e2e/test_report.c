/* End-to-end tests of the year's review page OUTPUT/<year>/index.html (issue
 * 20) in a real browser: headless Chromium (Debian package chromium) loads it
 * from disk with the network off, dumps its DOM after the page's script ran
 * and takes a screenshot; e2e/check_report.py checks the numbers shown
 * against results.xml, every link against the manifest, and the console.
 * Skipped when chromium is not installed. The binary is $KAOHE; tests run
 * in tests/. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "e2e_util.h"

#define PY "/usr/bin/python3"
#define CHROMIUM "/usr/bin/chromium"
#define EPOCH "1766966400" /* 2025-12-29, as `make run` */

static char dir[256];

static const char *kaohe(void) { return e2e_kaohe(); }

/* A shell command with the fixed SOURCE_DATE_EPOCH; stdout+stderr into *out. */
static int sh(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = e2e_vformat(fmt, ap);
    va_end(ap);
    char *full = e2e_format("export SOURCE_DATE_EPOCH=" EPOCH "; { %s ; } 2>&1", cmd);
    int st = e2e_shell(out, full);
    free(full);
    free(cmd);
    return st;
}

static void setup(void) { e2e_mkdtemp(dir, sizeof dir, "report-e2e"); }

static void teardown(void) { e2e_rmtree(dir); }

TestSuite(report, .init = setup, .fini = teardown, .timeout = 600);

/* Chromium with the network off (no proxy reachable, every host name
 * unresolvable, no background fetches) and a fresh profile; `what` is
 * --dump-dom or --screenshot=FILE. stderr carries the console's messages. */
static int chromium(const char *page, const char *what, const char *stdout_to, const char *stderr_to)
{
    struct stat st;
    if (stat(CHROMIUM, &st) != 0) cr_skip_test("no " CHROMIUM " (Debian package chromium)");
    return sh(NULL,
              "p=$(mktemp -d) && timeout 120 " CHROMIUM " --headless --no-sandbox --disable-gpu "
              "--disable-background-networking --disable-component-update --disable-sync --no-first-run "
              "--proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir=$p "
              "--enable-logging=stderr --v=0 --window-size=1280,1800 %s file://%s >%s 2>%s; rc=$?; rm -rf $p; exit $rc",
              what, page, stdout_to, stderr_to);
}

/* Build, load the page in the browser and check it; the screenshot is kept
 * in dir/shot.png. */
static void build_and_check(const char *inputs, int want_exit)
{
    char *out;
    int rc = sh(&out, "%s build -q -j 2 -o %s/out %s", kaohe(), dir, inputs);
    cr_assert_eq(rc, want_exit, "kaohe build %s: exit %d\n%s", inputs, rc, out);
    free(out);
    char page[400], dom[400], log[400], shot[400];
    snprintf(page, sizeof page, "%s/out/2025/index.html", dir);
    snprintf(dom, sizeof dom, "%s/dom.html", dir);
    snprintf(log, sizeof log, "%s/console.log", dir);
    snprintf(shot, sizeof shot, "--screenshot=%s/shot.png", dir);
    cr_assert_eq(chromium(page, "--dump-dom", dom, log), 0, "chromium --dump-dom failed");
    rc = sh(&out, PY " e2e/check_report.py %s/out/2025 %s %s", dir, dom, log);
    cr_assert_eq(rc, 0, "check_report.py:\n%s", out);
    free(out);
    char shot_log[400];
    snprintf(shot_log, sizeof shot_log, "%s/shot.log", dir);
    cr_assert_eq(chromium(page, shot, "/dev/null", shot_log), 0, "chromium --screenshot failed");
    rc = sh(&out, "file %s/shot.png", dir);
    cr_assert(strstr(out, "PNG image data, 1280 x 1800"), "no screenshot: %s", out);
    free(out);
}

/* The sample run's page: every number against results.xml, every link a
 * file of the manifest, no console error, the script ran. */
Test(report, sample_page_in_the_browser)
{
    build_and_check("../input/*.xml", 0);
    char *out;
    int rc = sh(&out, "cd %s/out/2025 && grep -q '  index.html$' MANIFEST.sha256 && sha256sum -c --quiet --strict "
                      "MANIFEST.sha256", dir);
    cr_assert_eq(rc, 0, "index.html not covered by the manifest:\n%s", out);
    free(out);
}

/* Units in error: their rows say so, their findings are explained with what
 * to do, they have no links, and the page still checks out. */
Test(report, error_units_explained_in_the_browser)
{
    build_and_check("../input/*.xml data/errors.xml", 1);
    char *out;
    int rc = sh(&out, "grep -o 'data-code=\"QUOTA_EXCEEDED\"><b>错误：[^<]*</b>（1 条）<br><span class=\"fix\">处理：[^<]*'"
                      " %s/out/2025/index.html", dir);
    cr_assert_eq(rc, 0, "QUOTA_EXCEEDED not explained:\n%s", out);
    free(out);
    rc = sh(&out, "grep -c '<tr data-status=\"error\"' %s/out/2025/index.html", dir);
    cr_assert_eq(atoi(out), 2, "error rows: %s", out);
    free(out);
}

/* The page is self-contained: nothing fetched, no absolute URL but the SVG
 * namespace. */
Test(report, page_fetches_nothing)
{
    char *out;
    int rc = sh(&out, "%s build -q -o %s/out ../input/*.xml", kaohe(), dir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    rc = sh(&out, "grep -o '[a-z]*://[^\"]*' %s/out/2025/index.html | sort -u", dir);
    cr_assert_str_eq(out, "http://www.w3.org/2000/svg\n");
    free(out);
}

/* A merge of shard runs writes the same page as the single run. */
Test(report, merge_writes_the_same_page)
{
    char *out;
    int rc = sh(&out, "%s build -q -o %s/one ../input/*.xml && %s build -q --shard 1/2 -o %s/s1 ../input/*.xml && "
                      "%s build -q --shard 2/2 -o %s/s2 ../input/*.xml && %s merge -o %s/m %s/s1 %s/s2 && "
                      "cmp %s/one/2025/index.html %s/m/2025/index.html",
                kaohe(), dir, kaohe(), dir, kaohe(), dir, kaohe(), dir, dir, dir, dir, dir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
}

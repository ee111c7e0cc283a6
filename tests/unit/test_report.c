/* report: the year's review page at scale (issue 20). A synthetic results.xml
 * of 2,000 units (20 persons, a finding and 11 files each, every tenth unit
 * in error) must give a page under 5 MB; one of 10,000 units must still
 * render in headless Chromium (every row there, no console error). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

#define CHROMIUM "/usr/bin/chromium"

static char dir[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/report-unit-XXXXXX");
    cr_assert(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(report, .init = setup, .fini = teardown, .timeout = 300);

static const char *const FORMS[] = {"ballot", "filing", "notice", "quota-application", "registration", "rewards",
                                    "tally"};

/* The files an error-free unit gets (empty: only their names matter). */
static void unit_files(const char *id)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, id);
    cr_assert_eq(mkdir(path, 0755), 0);
    for (size_t i = 0; i < sizeof FORMS / sizeof FORMS[0]; i++)
        for (int x = 0; x < 2 - (i == 2 || i == 4); x++) {   /* notice, registration: PDF only */
            snprintf(path, sizeof path, "%s/%s/%s.%s", dir, id, FORMS[i], x ? "xlsx" : "pdf");
            FILE *f = fopen(path, "w");
            cr_assert(f);
            fclose(f);
        }
}

/* results.xml of n units of 20 persons; with_files: the units' files too. */
static void write_results(int n, bool with_files)
{
    char path[300];
    snprintf(path, sizeof path, "%s/results.xml", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<results xmlns=\"urn:kaohe:results:1\" year=\"2025\" policy=\"national\">\n");
    for (int u = 0; u < n; u++) {
        bool error = u % 10 == 9;
        char id[16];
        snprintf(id, sizeof id, "U%06d", u);
        fprintf(f, "  <unit id=\"%s\" status=\"%s\" name=\"某某市第%d机关事务服务中心\" seq=\"%d\">\n"
                   "    <bucket name=\"admin\" participants=\"20\" ratio=\"0.2\" places=\"4\" excellent=\"%d\"/>\n",
                id, error ? "error" : "ok", u, u, error ? 5 : 4);
        for (int p = 0; p < 20; p++)
            fprintf(f, "    <person id=\"P%08d\" bucket=\"admin\" code=\"%d\" grade=\"%s\" reward=\"%s\"/>\n",
                    u * 20 + p, p < 4 + error ? 1 : 2, p < 4 + error ? "excellent" : "competent",
                    p < 4 + error ? "commendation" : "none");
        if (error)
            fprintf(f, "    <finding code=\"QUOTA_EXCEEDED\" severity=\"error\" person=\"P%08d\">行政（公务员、参公）："
                       "优秀 5 人，超过优秀名额 4 名</finding>\n", u * 20);
        fprintf(f, "    <finding code=\"NO_ROUTINE_RECORD\" severity=\"warning\" person=\"P%08d\">张三（P%08d）："
                   "没有平时考核记录，备案可能延迟</finding>\n    <notice from=\"2025-12-29\" to=\"2026-01-05\"/>\n"
                   "  </unit>\n", u * 20 + 7, u * 20 + 7);
        if (with_files && !error) unit_files(id);
    }
    fprintf(f, "</results>\n");
    cr_assert_eq(fclose(f), 0);
}

static long page_size(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/index.html", dir);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "no index.html");
    return (long)st.st_size;
}

static void write_page(void)
{
    sbuf written = {0}, err = {0};
    cr_assert(report_write_year(dir, 0, &written, &err), "report_write_year: %s", err.data ? err.data : "");
    cr_assert_str_eq(written.data, "index.html\n");
    sbuf_free(&written);
    sbuf_free(&err);
}

Test(report, two_thousand_units_under_5_mb)
{
    write_results(2000, true);
    write_page();
    long size = page_size();
    cr_assert_lt(size, 5L * 1000 * 1000, "index.html of 2,000 units: %ld bytes", size);
    cr_log_info("index.html of 2,000 units: %ld bytes", size);
}

/* Run `cmd` in the shell; its stdout as a malloc'd string. */
static char *capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    sbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) sbuf_add(&b, buf, n);
    pclose(p);
    sbuf_puts(&b, "");
    return b.data;
}

Test(report, ten_thousand_units_render_in_the_browser)
{
    struct stat st;
    if (stat(CHROMIUM, &st) != 0) cr_skip_test("no " CHROMIUM " (Debian package chromium)");
    write_results(10000, false);
    write_page();
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "p=$(mktemp -d); timeout 240 " CHROMIUM " --headless --no-sandbox --disable-gpu "
             "--disable-background-networking --disable-component-update --disable-sync --no-first-run "
             "--proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir=$p "
             "--enable-logging=stderr --v=0 --dump-dom file://%s/index.html 2>%s/console.log | "
             "grep -o '<tr data-status=\"[a-z]*\"' | sort | uniq -c | tr -s ' '; rm -rf $p; "
             "grep -c ':CONSOLE' %s/console.log",
             dir, dir, dir);
    char *out = capture(cmd);
    cr_assert_str_eq(out, " 1000 <tr data-status=\"error\"\n 9000 <tr data-status=\"ok\"\n0\n", "%s", out);
    free(out);
}

/* A results.xml that is not one leaves no page and says why. */
Test(report, unreadable_results_leave_no_page)
{
    char path[300];
    snprintf(path, sizeof path, "%s/results.xml", dir);
    FILE *f = fopen(path, "w");
    fputs("<results xmlns=\"urn:kaohe:results:1\" year=\"2025\"><unit id=\"A\"", f);   /* cut short */
    fclose(f);
    sbuf written = {0}, err = {0};
    cr_assert_not(report_write_year(dir, 0, &written, &err));
    cr_assert(err.data && strstr(err.data, "RESULTS_INVALID"), "%s", err.data ? err.data : "");
    cr_assert_eq(written.len, 0);
    snprintf(path, sizeof path, "%s/index.html", dir);
    struct stat st;
    cr_assert_neq(stat(path, &st), 0, "a page was left behind");
    sbuf_free(&written);
    sbuf_free(&err);
}

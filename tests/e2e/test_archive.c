/* End-to-end test of `kaohe archive` (SPEC 6, issue 18): a small package is
 * built twice (the second run with a person's name changed), scans are made
 * from its own PDFs by e2e/make_scans.sh (150/200/300 dpi, grey and
 * black-and-white, turned 90/180/270°, skewed 3°, JPEG q50, as a multi-page
 * TIFF, an image-only PDF, JPEG and PNG files), with a page dropped, one
 * duplicated, a page without a code and a page from the earlier run, and
 * some signature places scribbled in (e2e/sign.py); then the archive, its
 * report, its warnings of places left unsigned, its volumes (PDF/A-2b
 * structure by e2e/check_pdfa.py) and exit status are checked. The binary
 * is $KAOHE; tests run in tests/. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_util.h"

#define EPOCH "1766966400"

static char dir[256];

static const char *kaohe(void) { return e2e_kaohe(); }

/* Run a shell command in dir (stdout+stderr into *out when given); its exit status. */
static int sh(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = e2e_vformat(fmt, ap);
    va_end(ap);
    char cwd[1024];
    cr_assert(getcwd(cwd, sizeof cwd));
    char *full = e2e_format("export SOURCE_DATE_EPOCH=" EPOCH " T=%s; cd %s && { %s ; } 2>&1", cwd, dir, cmd);
    int st = e2e_shell(out, full);
    free(full);
    free(cmd);
    return st;
}

static char *abs_kaohe(void)
{
    static char path[1100];
    char cwd[1024];
    cr_assert(getcwd(cwd, sizeof cwd));
    const char *k = kaohe();
    if (k[0] == '/') snprintf(path, sizeof path, "%s", k);
    else snprintf(path, sizeof path, "%s/%s", cwd, k);
    return path;
}

static void setup(void) { e2e_mkdtemp(dir, sizeof dir, "archive-e2e"); }

static void teardown(void) { e2e_rmtree(dir); }

TestSuite(archive, .init = setup, .fini = teardown, .timeout = 1800);

/* The line of report.txt in sub beginning with `start`, or NULL (malloc'd). */
static char *report_line(const char *sub, const char *start)
{
    char *out;
    sh(&out, "grep -P '^%s' %s/2025/report.txt", start, sub);
    return out;
}

static void expect_line(const char *sub, const char *start, const char *want)
{
    char *l = report_line(sub, start);
    cr_expect_str_eq(l, want, "report line %s", start);
    free(l);
}

static int pdf_pages(const char *path)
{
    char *out;
    sh(&out, "pdfinfo %s | sed -n 's/^Pages: *//p'", path);
    int n = atoi(out);
    free(out);
    return n;
}

Test(archive, scans_filed_reported_and_deterministic)
{
    const char *k = abs_kaohe();
    char *out;
    cr_assert_eq(sh(&out, "%s build -q -o old $T/data/valid-small.xml && sed 's/张三/张叁/' $T/data/valid-small.xml "
                          "> changed.xml && %s build -q -o cur changed.xml && %s build -q --unit U002 -o u2 changed.xml",
                    k, k, k), 0, "%s", out);
    free(out);
    cr_assert_eq(sh(&out, "sh $T/e2e/make_scans.sh cur/2025 old/2025 scans truth.txt"), 0, "%s", out);
    free(out);

    int rc = sh(&out, "%s archive -j 2 -o arch --package cur/2025 scans", k);
    cr_assert_eq(rc, 1, "exit %d, expected 1 (incomplete, unrecognised pages):\n%s", rc, out);
    cr_expect(strstr(out, "[ARCHIVE_STALE_PAGE]"), "the earlier run's page is reported:\n%s", out);
    cr_expect(strstr(out, "[UNSIGNED_SUSPECT]"), "places left unsigned are reported:\n%s", out);
    free(out);

    /* UNSIGNED_SUSPECT: exactly the places make_scans.sh left blank, on
     * every kind of scan, and none it scribbled in */
    sh(&out, "cut -f6 truth.txt | sort | uniq -c | awk '{print $2, ($1 >= 10)}'");
    cr_expect_str_eq(out, "empty 1\nsigned 1\n", "both kinds of places, 10 or more each:\n%s", out);
    free(out);
    rc = sh(&out, "awk -F'\\t' '$6==\"empty\"{print $1\"\\t\"$2\"\\t\"$3\"\\t\"$4\"\\t\"$5}' truth.txt | sort > want && "
                  "cut -f2-6 arch/2025/warnings.txt | sort > got && diff want got && "
                  "cut -f1 arch/2025/warnings.txt | sort -u");
    cr_expect_eq(rc, 0, "warnings.txt against the places left blank (< expected, > got):\n%s", out);
    cr_expect_str_eq(out, "UNSIGNED_SUSPECT\n", "%s", out);
    free(out);
    /* the places named by their section and own label, the scan given */
    sh(&out, "grep -c \"	U001	P0002	registration	2	3	本人意见 签名	0.0%%	scans/reg.tif:3$\" arch/2025/warnings.txt; "
             "grep -c \"	result-notice	1	1	本人意见 本人签名	\" arch/2025/warnings.txt; "
             "grep -c '主管领导评语和考核等次建议 签名' arch/2025/warnings.txt");
    cr_expect_str_eq(out, "1\n10\n8\n", "named places (6 + 4 result notices, 3 + 5 registrations):\n%s", out);
    free(out);

    /* the dropped page, the duplicate, and every other document complete */
    expect_line("arch", "U001\\tP0001\\tregistration", "U001\tP0001\tregistration\t2\t1\t2\t-\tincomplete\n");
    expect_line("arch", "U001\\t-\\ttally", "U001\t-\ttally\t1\t1\t-\t1\tcomplete\n");
    expect_line("arch", "U001\\t-\\tfiling", "U001\t-\tfiling\t2\t2\t-\t-\tcomplete\n");
    expect_line("arch", "U002\\tP0105\\tregistration", "U002\tP0105\tregistration\t2\t2\t-\t-\tcomplete\n");
    expect_line("arch", "unrecognised", "unrecognised\t2\tscans/foreign.png:1\tscans/stale.png:1\n");
    sh(&out, "grep -c 'incomplete' arch/2025/report.txt; grep -vc 'complete' arch/2025/report.txt");
    cr_expect_str_eq(out, "1\n1\n", "one incomplete document, one unrecognised line:\n%s", out);
    free(out);
    sh(&out, "wc -l < arch/2025/report.txt");
    /* registration and result notice per person, the unit forms (U002 has an incompetent person) */
    cr_expect_eq(atoi(out), 7 + 7 + 5 + 5 + 5 + 6 + 1,
                 "a line per printed document (7+7+5 in U001, 5+5+6 in U002) and one more");
    free(out);

    /* volumes: the contents, a person's pages, the unit's forms in print order, the rest kept */
    /* P0001: its registration's page 1 (page 2 dropped) and its 2-page result notice */
    cr_expect_eq(pdf_pages("arch/2025/U001/P0001.pdf"), 1 + 1 + 2);
    cr_expect_eq(pdf_pages("arch/2025/U001/P0002.pdf"), 1 + 2 + 2);
    cr_expect_eq(pdf_pages("arch/2025/U001/unit.pdf"), 1 + 6);
    cr_expect_eq(pdf_pages("arch/2025/U002/unit.pdf"), 1 + 7);
    cr_expect_eq(pdf_pages("arch/2025/unrecognised.pdf"), 1 + 2);
    sh(&out, "pdftotext -f 2 -l 2 arch/2025/U001/unit.pdf - | wc -c; pdfimages -list arch/2025/U002/unit.pdf | "
             "awk 'NR>2{print $9}' | sort -u; pdfinfo -f 2 -l 2 arch/2025/U002/unit.pdf | grep -c 'rot: *90'");
    cr_expect_str_eq(out, "1\njpeg\n1\n", "image pages, JPEG passed through, turned upright:\n%s", out);
    free(out);
    /* a scan PDF's JPEG page goes in as it was (the same bytes), a colour TIFF in colour */
    sh(&out, "pdfimages -j -f 5 -l 5 scans/unit1.pdf j1 && pdfimages -j -f 7 -l 7 arch/2025/U001/unit.pdf j2 && "
             "cmp j1-000.jpg j2-000.jpg && echo same; pdfimages -list arch/2025/U001/P0002.pdf | awk 'NR>2{print $6}'");
    cr_expect_str_eq(out, "same\ngray\ngray\nrgb\ngray\n", "%s", out);
    free(out);
    /* a JPEG file goes in as it was too: U002's first unit form, its quota application */
    sh(&out, "pdfimages -j -f 2 -l 2 arch/2025/U002/unit.pdf j3 && cmp scans/u2-quota-application-1.jpg j3-000.jpg "
             "&& echo same");
    cr_expect_str_eq(out, "same\n", "the JPEG file's bytes in the volume:\n%s", out);
    free(out);
    /* 卷内目录: each document, its pages in the volume (after the contents), the scans; 缺 for the dropped page */
    sh(&out, "pdftotext -l 1 -layout arch/2025/U001/P0001.pdf - | grep -E '卷内目录|登记表|通知书' | tr -s ' '");
    cr_expect_str_eq(out, " 卷内目录\n 1 公务员年度考核登记表 2 第1页 reg.tif:1；第2页 缺\n"
                          " 2 年度考核结果通知书 3–4 第1页 rn-U001-01.png:1；第2页 rn-U001-02.png:1\n"
                          " 卷内目录 第 1 页 共 1 页\n", "P0001's contents:\n%s", out);
    free(out);
    sh(&out, "pdftotext -l 1 -layout arch/2025/U001/unit.pdf - | grep -cE '^ *[1-9] +年度考核'; "
             "pdftotext -l 1 -layout arch/2025/unrecognised.pdf - | grep -c -e '没有可识别的页码二维码 *2 *foreign.png:1' "
             "-e '较早一次生成的打印页'");
    cr_expect_str_eq(out, "5\n2\n", "the unit's five forms; why each page was not filed:\n%s", out);
    free(out);
    cr_expect_eq(sh(&out, "cd arch/2025 && sha256sum --quiet -c MANIFEST.sha256 && wc -l < MANIFEST.sha256"), 0);
    cr_expect_eq(atoi(out), 7 + 1 + 5 + 1 + 1 + 3, "every volume, the reports and warnings: %s", out);
    free(out);
    sh(&out, "/usr/bin/python3 -c \"import openpyxl; wb=openpyxl.load_workbook('arch/2025/report.xlsx'); "
             "ws=wb.active; w=wb['warnings']; "
             "print(ws.max_row, ws['A1'].value, ws['E3'].value, ws['H3'].value, w.max_row, w['G2'].value)\"; "
             "wc -l < arch/2025/warnings.txt");
    cr_expect_str_eq(out, "39 unit 1 incomplete 47 个人总结 签名\n46\n", "report.xlsx: %s", out);
    free(out);

    /* every volume PDF/A-2b as far as qpdf --json can tell (e2e/check_pdfa.py) */
    rc = sh(&out, "/usr/bin/python3 $T/e2e/check_pdfa.py arch/2025/*/*.pdf arch/2025/*.pdf");
    cr_expect_eq(rc, 0, "check_pdfa.py:\n%s", out);
    free(out);
    rc = sh(&out, "/usr/bin/python3 $T/e2e/check_pdfa.py cur/2025/U001/notice.pdf");
    cr_expect_eq(rc, 1, "the checker refuses a plain PDF:\n%s", out);
    free(out);

    /* the same scans, given in another order, give the same bytes */
    rc = sh(&out, "mkdir s2 && cp scans/* s2/ && %s archive -j 1 -o arch2 --package cur/2025 "
                  "$(ls -r s2/* ) >/dev/null 2>&1; "
                  "for f in $(cd arch/2025 && find . -type f ! -name 'report*' ! -name warnings.txt ! -name MANIFEST.sha256); do "
                  "cmp arch/2025/$f arch2/2025/$f || echo DIFF $f; done", k);
    cr_expect_eq(rc, 0);
    cr_expect_eq(strstr(out, "DIFF"), NULL, "%s", out);
    free(out);

    /* a complete set for a package of U002 alone: exit 0, whatever places
     * look unsigned (a warning) */
    rc = sh(&out, "mkdir s3 && cp scans/u2-* s3/ && %s archive -o arch3 --package u2/2025 s3", k);
    cr_expect_eq(rc, 0, "exit %d:\n%s", rc, out);
    cr_expect(strstr(out, "[UNSIGNED_SUSPECT]"), "%s", out);
    free(out);
}

Test(archive, exit_statuses)
{
    const char *k = abs_kaohe();
    char *out;
    cr_assert_eq(sh(&out, "%s build -q -o pkg $T/data/valid-small.xml", k), 0, "%s", out);
    free(out);
    int rc = sh(&out, "printf '%%%%PDF-1.4 broken' > bad.pdf && %s archive -o a --package pkg/2025 bad.pdf", k);
    cr_expect_eq(rc, 3, "an unreadable scan: exit %d\n%s", rc, out);
    cr_expect(strstr(out, "ARCHIVE_SCAN_UNREADABLE"), "%s", out);
    free(out);
    rc = sh(&out, "%s archive -o a --package nowhere/2025 bad.pdf", k);
    cr_expect_eq(rc, 3, "no package: exit %d\n%s", rc, out);
    free(out);
    rc = sh(&out, "%s archive -o a pkg/2025", k);
    cr_expect_eq(rc, 2, "no --package: exit %d\n%s", rc, out);
    free(out);
}

/* build --pdfa: every PDF of the package passes the structural PDF/A-2b
 * check (fonts embedded, XMP, output intent, /ID), and qpdf finds nothing. */
Test(archive, build_pdfa_passes_the_structural_check)
{
    const char *k = abs_kaohe();
    char *out;
    cr_assert_eq(sh(&out, "%s build -q --pdfa -o pa $T/data/valid-small.xml", k), 0, "%s", out);
    free(out);
    int rc = sh(&out, "/usr/bin/python3 $T/e2e/check_pdfa.py pa/2025/*/*.pdf pa/2025/*.pdf");
    cr_expect_eq(rc, 0, "check_pdfa.py:\n%s", out);
    free(out);
    rc = sh(&out, "for f in pa/2025/*/*.pdf; do qpdf --check $f >/dev/null || echo BAD $f; done; "
                  "pdfinfo -meta pa/2025/U001/registration.pdf | grep -c 'pdfaid:part>2'");
    cr_expect_str_eq(out, "1\n", "%s", out);
    free(out);
}

/* A contents longer than a page (45 pages without a code): its rows number
 * the volume's pages after all of its own pages, and the scans follow it. */
Test(archive, contents_longer_than_a_page)
{
    const char *k = abs_kaohe();
    char *out;
    cr_assert_eq(sh(&out, "%s build -q -o pkg $T/data/valid-small.xml && mkdir s && "
                          "pdftoppm -r 100 -gray -singlefile pkg/2025/U001/ballot.pdf b && "
                          "for i in $(seq -w 1 45); do convert b.pgm s/f$i.png; done", k), 0, "%s", out);
    free(out);
    int rc = sh(&out, "%s archive -o a --package pkg/2025 s", k);
    cr_expect_eq(rc, 1, "exit %d:\n%s", rc, out);
    free(out);
    sh(&out, "pdfinfo a/2025/unrecognised.pdf | sed -n 's/^Pages: *//p'; "
             "pdftotext -l 2 -layout a/2025/unrecognised.pdf - | tr -s ' ' | sed 's/^ //' | "
             "grep -e '^卷内目录 第' -e '^1 没有可识别的页码二维码 3 f01.png:1' -e '^45 没有可识别的页码二维码 47 f45.png:1'; "
             "pdftotext -f 3 -l 3 a/2025/unrecognised.pdf - | wc -c");
    cr_expect_str_eq(out, "47\n1 没有可识别的页码二维码 3 f01.png:1\n卷内目录 第 1 页 共 2 页\n"
                          "45 没有可识别的页码二维码 47 f45.png:1\n卷内目录 第 2 页 共 2 页\n1\n",
                     "two pages of contents, then the scans:\n%s", out);
    free(out);
}

/* End-to-end tests of the kaohe binary: exit statuses, results.xml and
 * findings.txt content, check/quota/workdays output, bad inputs. The binary
 * is $KAOHE (set by `make test-e2e`); tests run in tests/. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../hostile/harness.h"   /* h_slow, H_SKIP_IF_SLOW */

static char outdir[256];

static const char *kaohe(void)
{
    const char *k = getenv("KAOHE");
    return k ? k : "../build/kaohe";
}

/* Run a shell command; capture stdout+stderr into *out (malloc'd). */
static int run(char **out, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char full[4200];
    snprintf(full, sizeof full, "SOURCE_DATE_EPOCH=1766707200 %s 2>&1", cmd);   /* 2025-12-26 */
    FILE *p = popen(full, "r");
    cr_assert(p, "popen");
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 1024) buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    int st = pclose(p);
    if (out) *out = buf;
    else free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    s[fread(s, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return s;
}

static void setup(void)
{
    snprintf(outdir, sizeof outdir, "/tmp/kaohe-e2e-XXXXXX");
    cr_assert(mkdtemp(outdir));
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", outdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(cli, .init = setup, .fini = teardown);

#define assert_has(hay, needle) cr_assert(strstr((hay), (needle)), "missing: %s\nin:\n%s", (needle), (hay))

Test(cli, build_writes_results_that_follow_the_rules)
{
    char *out;
    int rc = run(&out, "%s build -q -o %s data/valid-small.xml", kaohe(), outdir);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
    free(out);
    char path[512];
    snprintf(path, sizeof path, "%s/2025/results.xml", outdir);
    char *x = slurp(path);
    cr_assert(x, "no results.xml");
    assert_has(x, "<results xmlns=\"urn:kaohe:results:1\" year=\"2025\" policy=\"national\">");
    assert_has(x, "<unit id=\"U001\" status=\"ok\" name=");
    assert_has(x, "<bucket name=\"admin\" participants=\"6\" ratio=\"0.2\" places=\"1\" excellent=\"1\"/>");
    assert_has(x, "<person id=\"P0007\" bucket=\"admin\" code=\"1\" grade=\"excellent\" reward=\"third-class-merit\"/>");
    assert_has(x, "<person id=\"P0001\" bucket=\"admin\" code=\"2\" grade=\"competent\" reward=\"none\"/>");
    assert_has(x, "<person id=\"P0005\" bucket=\"admin\" code=\"5A\" grade=\"none\" reward=\"none\"/>");
    assert_has(x, "<person id=\"P0006\" code=\"7\" grade=\"none\" reward=\"none\"/>");
    assert_has(x, "<bucket name=\"institution\" participants=\"5\" ratio=\"0.2\" places=\"1\" excellent=\"1\"/>");
    assert_has(x, "<person id=\"P0105\" bucket=\"institution\" code=\"4\" grade=\"incompetent\" reward=\"none\"/>");
    assert_has(x, "<notice from=\"2025-12-29\" to=\"2026-01-05\"/>");
    assert_has(x, "<totals units=\"2\" persons=\"12\" graded=\"10\" excellent=\"2\" errors=\"0\" warnings=\"0\"/>");
    free(x);
    /* the summary names the policy by its title, not by the key results.xml carries */
    rc = run(&out, "pdftotext %s/2025/summary.pdf - | tr -d ' \n'", outdir);
    cr_assert_eq(rc, 0, "%s", out);
    assert_has(out, "考核政策：事业单位工作人员考核规定（2023）、公务员考核规定");
    free(out);
    /* the same input gives byte-identical results */
    char other[300];
    snprintf(other, sizeof other, "%s/again", outdir);
    cr_assert_eq(run(NULL, "%s build -q -o %s data/valid-small.xml", kaohe(), other), 0);
    cr_assert_eq(run(NULL, "cmp %s/2025/results.xml %s/2025/results.xml", outdir, other), 0);
}

Test(cli, results_xml_is_well_formed_and_accounts_for_everyone)
{
    cr_assert_eq(run(NULL, "%s build -q -o %s data/valid-small.xml data/errors.xml", kaohe(), outdir), 1);
    char *out;
    cr_assert_eq(run(&out, "xmllint --noout %s/2025/results.xml", outdir), 0, "%s", out);
    free(out);
    run(&out, "grep -c '<person ' %s/2025/results.xml", outdir);
    cr_assert_eq(atoi(out), 12 + 5);
    free(out);
}

Test(cli, unit_errors_give_exit_1_and_findings)
{
    char *out;
    int rc = run(&out, "%s build -q -o %s data/errors.xml", kaohe(), outdir);
    cr_assert_eq(rc, 1, "%s", out);
    free(out);
    char path[512];
    snprintf(path, sizeof path, "%s/2025/results.xml", outdir);
    char *x = slurp(path);
    assert_has(x, "<unit id=\"E001\" status=\"error\"");
    assert_has(x, "<finding code=\"QUOTA_EXCEEDED\" severity=\"error\" person=\"Q1\">");
    assert_has(x, "<unit id=\"E002\" status=\"ok\"");
    assert_has(x, "<unit id=\"E003\" status=\"error\"");
    assert_has(x, "<finding code=\"DUPLICATE_ID\" severity=\"error\" person=\"Q1\">");
    free(x);
    snprintf(path, sizeof path, "%s/2025/findings.txt", outdir);
    x = slurp(path);
    assert_has(x, "E001\tQ1\tQUOTA_EXCEEDED\t错误\t");
    assert_has(x, "E003\tQ1\tDUPLICATE_ID\t");
    free(x);
}

Test(cli, check_prints_findings_and_writes_nothing)
{
    char *out;
    int rc = run(&out, "%s check -o %s data/errors.xml", kaohe(), outdir);
    cr_assert_eq(rc, 1);
    assert_has(out, "QUOTA_EXCEEDED");
    assert_has(out, "超过优秀名额");
    free(out);
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/2025", outdir);
    cr_assert_neq(stat(path, &st), 0, "check wrote output");
    rc = run(&out, "%s check --lang en data/errors.xml", kaohe());
    assert_has(out, "more than the 0 places");
    free(out);
}

Test(cli, strict_writes_nothing_on_error)
{
    cr_assert_eq(run(NULL, "%s build -q --strict -o %s data/valid-small.xml data/errors.xml", kaohe(), outdir), 1);
    char *out;
    run(&out, "find %s -type f | wc -l", outdir);
    cr_assert_eq(atoi(out), 0, "files left: %s", out);
    free(out);
}

static void expect_input_error(const char *file, const char *code, const char *where)
{
    char *out;
    int rc = run(&out, "%s build -q -o %s %s data/valid-small.xml", kaohe(), outdir, file);
    cr_assert_eq(rc, 3, "%s: exit %d: %s", file, rc, out);
    assert_has(out, code);
    assert_has(out, where);
    /* exactly one message for the bad file */
    int lines = 0;
    for (char *c = out; *c; c++) lines += *c == '\n';
    cr_assert_eq(lines, 1, "%s", out);
    free(out);
    /* the other file of the run still completed */
    char path[512];
    snprintf(path, sizeof path, "%s/2025/results.xml", outdir);
    char *x = slurp(path);
    cr_assert(x, "valid file was not processed");
    assert_has(x, "<unit id=\"U001\"");
    cr_assert_null(strstr(x, "X1"));
    free(x);
}

Test(cli, malformed_file_exit_3_with_line)
{
    expect_input_error("data/malformed.xml", "XML_MALFORMED", "data/malformed.xml:5:");
}

Test(cli, invalid_file_exit_3_with_line)
{
    expect_input_error("data/invalid.xml", "SCHEMA_INVALID", "data/invalid.xml:4:");
}

Test(cli, doctype_refused_exit_3)
{
    expect_input_error("data/doctype.xml", "DOCTYPE_REFUSED", "data/doctype.xml:");
}

Test(cli, wrong_namespace_exit_3)
{
    expect_input_error("data/wrong-namespace.xml", "SCHEMA_INVALID", "data/wrong-namespace.xml:2:");
}

Test(cli, unknown_policy_exit_3)
{
    expect_input_error("data/unknown-policy.xml", "POLICY_UNKNOWN", "nosuchpolicy");
}

Test(cli, missing_file_exit_3)
{
    expect_input_error("data/no-such-file.xml", "INPUT_UNREADABLE", "data/no-such-file.xml");
}

Test(cli, usage_errors_exit_2)
{
    cr_assert_eq(run(NULL, "%s", kaohe()), 2);
    cr_assert_eq(run(NULL, "%s frobnicate", kaohe()), 2);
    cr_assert_eq(run(NULL, "%s build", kaohe()), 2);
    cr_assert_eq(run(NULL, "%s build --jobs 0 data/valid-small.xml", kaohe()), 2);
    cr_assert_eq(run(NULL, "%s build --shard 3/2 data/valid-small.xml", kaohe()), 2);
    cr_assert_eq(run(NULL, "%s build --policy nosuch data/valid-small.xml", kaohe()), 2);
    cr_assert_eq(run(NULL, "%s workdays --from 2025-13-45 --days 5", kaohe()), 2);
    char *out;
    cr_assert_eq(run(&out, "%s --help", kaohe()), 0);
    assert_has(out, "kaohe build");
    free(out);
    cr_assert_eq(run(&out, "%s --version", kaohe()), 0);
    assert_has(out, "kaohe ");
    free(out);
}

Test(cli, workdays_across_holidays)
{
    char *out;
    cr_assert_eq(run(&out, "%s workdays --from 2025-09-29 --days 5", kaohe()), 0);
    cr_assert_str_eq(out, "2025-10-11\n");
    free(out);
    cr_assert_eq(run(&out, "%s workdays --from 2026-02-12 --days 5", kaohe()), 0);
    cr_assert_str_eq(out, "2026-02-25\n");
    free(out);
    cr_assert_eq(run(&out, "%s workdays --from 2030-01-01 --days 1", kaohe()), 0);
    assert_has(out, "NO_CALENDAR");
    free(out);
}

Test(cli, notice_across_spring_festival_and_filed_late)
{
    cr_assert_eq(run(NULL, "%s build -q -o %s data/calendar-2026.xml", kaohe(), outdir), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/2026/results.xml", outdir);
    char *x = slurp(path);
    assert_has(x, "<notice from=\"2026-02-12\" to=\"2026-02-25\"/>");
    assert_has(x, "<finding code=\"FILED_LATE\" severity=\"warning\">");
    assert_has(x, "<person id=\"C1\" bucket=\"admin\" code=\"1\" grade=\"excellent\" reward=\"commendation\" advanced=\"true\"/>");
    assert_has(x, "<bucket name=\"other\" participants=\"1\" ratio=\"0.1\" places=\"1\" excellent=\"1\"/>");
    free(x);
}

Test(cli, quota_text_and_csv)
{
    char *out;
    cr_assert_eq(run(&out, "%s quota --csv data/valid-small.xml", kaohe()), 0);
    assert_has(out, "U001,\"某市财政局\",admin,6,0.2,1,1\n");
    assert_has(out, "U002,\"某市第一中学\",institution,5,0.2,1,1\n");
    free(out);
    cr_assert_eq(run(&out, "%s quota data/valid-small.xml", kaohe()), 0);
    assert_has(out, "U001 某市财政局");
    free(out);
    /* under jiaozuo the explicit excellent exceeds the 0 places: exit 1 */
    cr_assert_eq(run(&out, "%s quota --csv --policy jiaozuo-2007 data/valid-small.xml", kaohe()), 1);
    assert_has(out, "U001,\"某市财政局\",admin-staff,6,0.1,0,1\n");
    free(out);
}

Test(cli, unit_filter_and_shards_partition_the_run)
{
    char *out;
    cr_assert_eq(run(&out, "%s quota --csv --unit U002 data/valid-small.xml", kaohe()), 0);
    cr_assert_null(strstr(out, "U001"));
    assert_has(out, "U002");
    free(out);
    char *a, *b;
    run(&a, "%s quota --csv --shard 1/2 data/valid-small.xml", kaohe());
    run(&b, "%s quota --csv --shard 2/2 data/valid-small.xml", kaohe());
    cr_assert_eq((strstr(a, "U001") != NULL) + (strstr(b, "U001") != NULL), 1);
    cr_assert_eq((strstr(a, "U002") != NULL) + (strstr(b, "U002") != NULL), 1);
    free(a);
    free(b);
}

Test(cli, unwritable_output_exit_4)
{
    char *out;
    int rc = run(&out, "touch %s/file && %s build -q -o %s/file/sub data/valid-small.xml", outdir, kaohe(), outdir);
    cr_assert_eq(rc, 4, "%s", out);
    assert_has(out, "OUTPUT_FAILED");
    free(out);
}

/* Regression: in the 2,000-unit sample these units' notice or rewards PDF
 * hit libharu 2.3.0's chunk-boundary seek failure (exit 4, PDF_FAILED). */
Test(cli, units_that_hit_the_libharu_seek_bug_build)
{
    H_SKIP_IF_SLOW("reads a sample of 2,000 units and 100,000 persons");
    char *out;
    int rc = run(&out, "%s sample --units 2000 --persons 100000 > %s/big.xml && "
                       "%s build -q -j 2 --formats pdf --unit U00329 --unit U00595 --unit U01713 -o %s %s/big.xml",
                 kaohe(), outdir, kaohe(), outdir, outdir);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
    free(out);
    rc = run(&out, "cd %s/2025 && sha256sum -c --quiet MANIFEST.sha256 && ls U00329/notice.pdf U00595/rewards.pdf", outdir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
}

/* A run spread over shards and merged equals the single run: results.xml,
 * findings, summary and every unit's files (so the manifests are equal). */
Test(cli, shards_merged_equal_one_run)
{
    const char *in = "data/valid-small.xml data/errors.xml ../input/2025-city.xml";
    cr_assert_eq(run(NULL, "%s build -q -o %s/one %s", kaohe(), outdir, in), 1);
    for (int k = 1; k <= 3; k++)
        cr_assert_leq(run(NULL, "%s build -q -j1 --shard %d/3 -o %s/s%d %s", kaohe(), k, outdir, k, in), 1);
    char *out;
    int rc = run(&out, "%s merge -o %s/merged %s/s1 %s/s2 %s/s3", kaohe(), outdir, outdir, outdir, outdir);
    cr_assert_eq(rc, 1, "merge exit %d (1: a unit has errors): %s", rc, out);
    free(out);
    cr_assert_eq(run(&out, "diff -r %s/one %s/merged", outdir, outdir), 0, "trees differ:\n%s", out);
    free(out);
    cr_assert_eq(run(&out, "cd %s/merged/2025 && sha256sum -c --quiet MANIFEST.sha256", outdir), 0, "%s", out);
    free(out);
    /* a missing shard is refused and names it */
    rc = run(&out, "%s merge -o %s/bad %s/s1 %s/s3", kaohe(), outdir, outdir, outdir);
    cr_assert_eq(rc, 3, "%s", out);
    assert_has(out, "MERGE_INCOMPLETE");
    assert_has(out, "2");
    free(out);
    /* the same shard twice is refused */
    rc = run(&out, "%s merge -o %s/bad %s/s1 %s/s1 %s/s2", kaohe(), outdir, outdir, outdir, outdir);
    cr_assert_eq(rc, 3, "%s", out);
    assert_has(out, "MERGE_MISMATCH");
    free(out);
}

Test(cli, split_writes_one_registration_pdf_per_person)
{
    char *out;
    int rc = run(&out, "%s build -q --split -o %s data/valid-small.xml", kaohe(), outdir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    static const char *const some[] = {"U001/registration/P0001.pdf", "U001/registration/P0007.pdf",
                                       "U002/registration/P0105.pdf"};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(run(&out, "pdftotext %s/2025/%s - | grep -c 年度考核登记表", outdir, some[i]), 0, "%s: %s",
                     some[i], out);
        free(out);
        cr_assert_eq(run(NULL, "grep -q '  %s$' %s/2025/MANIFEST.sha256", some[i], outdir), 0, "%s not in manifest",
                     some[i]);
    }
    run(&out, "ls %s/2025/U001/registration %s/2025/U002/registration | grep -c '\\.pdf$'", outdir, outdir);
    cr_assert_eq(atoi(out), 12, "one PDF per person: %s", out);
    free(out);
}

Test(cli, final_line_accounts_for_persons_and_files)
{
    char *out;
    int rc = run(&out, "%s build --progress never -o %s data/valid-small.xml", kaohe(), outdir);
    cr_assert_eq(rc, 0, "%s", out);
    assert_has(out, "完成：2 个单位，输入 12 人，results.xml 中 12 人，写出 ");
    free(out);
    /* the file count is the manifest's lines plus the manifest */
    run(&out, "wc -l < %s/2025/MANIFEST.sha256", outdir);
    long lines = atol(out);
    free(out);
    run(&out, "%s build --progress never -o %s data/valid-small.xml 2>&1 | grep -o '写出 [0-9]* 个文件'", kaohe(), outdir);
    char want[64];
    snprintf(want, sizeof want, "写出 %ld 个文件", lines + 1);
    assert_has(out, want);
    free(out);
}

/* SPEC 5 on seven zhangzhou units of series 1 (totals by hand: basic +
 * 100 for the untouched 作风 section + public + overall; Z07 loses 120 ×
 * 1 point for late meetings: the section falls to 0 and 20 come off the
 * total). Top 5 excellent (Z04/Z05 tie on 848: by id), Z06 qualified,
 * Z07 < 700 unqualified; the grade sets the staff ratio 20/15/5%. */
Test(cli, zhangzhou_assessment_ranks_grades_and_sets_staff_places)
{
    char *out;
    int rc = run(&out, "%s build -q -o %s data/zhangzhou-series.xml", kaohe(), outdir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    char path[512];
    snprintf(path, sizeof path, "%s/2025/results.xml", outdir);
    char *x = slurp(path);
    static const char *const want[] = {
        "<assessment total=\"878.00\" rank=\"1\" grade=\"excellent\"",
        "<assessment total=\"848.00\" rank=\"4\" grade=\"excellent\"",
        "<assessment total=\"848.00\" rank=\"5\" grade=\"excellent\"",
        "<assessment total=\"838.00\" rank=\"6\" grade=\"qualified\"",
        "<assessment total=\"500.00\" rank=\"7\" grade=\"unqualified\"",
        "<bucket name=\"admin\" participants=\"10\" ratio=\"0.2\" places=\"2\" excellent=\"2\"/>",
        "<bucket name=\"admin\" participants=\"10\" ratio=\"0.15\" places=\"1\" excellent=\"1\"/>",
        "<bucket name=\"admin\" participants=\"10\" ratio=\"0.05\" places=\"0\" excellent=\"0\"/>",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) assert_has(x, want[i]);
    /* Z05's place comes from the whole run even when only Z05 is built */
    free(x);
    rc = run(&out, "%s build -q --unit Z05 -o %s/one data/zhangzhou-series.xml", kaohe(), outdir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    snprintf(path, sizeof path, "%s/one/2025/results.xml", outdir);
    x = slurp(path);
    assert_has(x, "<assessment total=\"848.00\" rank=\"5\" grade=\"excellent\" scheme=\"zhangzhou\" series=\"1\" of=\"7\"");
    free(x);
    /* the ranking on the terminal */
    rc = run(&out, "%s score data/zhangzhou-series.xml", kaohe());
    cr_assert_eq(rc, 0, "%s", out);
    assert_has(out, "zhangzhou");
    assert_has(out, "Z05");
    assert_has(out, "5/7");
    assert_has(out, "不合格单位");
    free(out);
}

Test(cli, assessment_with_unknown_item_is_a_unit_error)
{
    char *out;
    int rc = run(&out, "sed 's/ref=\"basic\" points=\"440\"/ref=\"no-such-item\" points=\"1\"/' data/zhangzhou-series.xml > %s/bad.xml && "
                 "%s build -q -o %s %s/bad.xml", outdir, kaohe(), outdir, outdir);
    cr_assert_eq(rc, 1, "%s", out);
    free(out);
    char path[512];
    snprintf(path, sizeof path, "%s/2025/results.xml", outdir);
    char *x = slurp(path);
    assert_has(x, "<unit id=\"Z01\" status=\"error\"");
    assert_has(x, "ASSESSMENT_ITEM_UNKNOWN");
    /* the others are ranked without it */
    assert_has(x, "<assessment total=\"868.00\" rank=\"1\" grade=\"excellent\"");
    free(x);
}

/* Every XLSX of a unit and the summary opens in LibreOffice (headless
 * --convert-to pdf, as an officer's office suite would) and keeps its data. */
Test(cli, xlsx_files_open_in_libreoffice, .timeout = 240)
{
    /* LibreOffice is not traced, and a Criterion time limit cannot stretch */
    H_SKIP_IF_SLOW("240 s limit for a build and up to 200 s of LibreOffice");
    if (run(NULL, "command -v libreoffice >/dev/null") != 0) cr_skip("libreoffice not installed");
    cr_assert_eq(run(NULL, "%s build -q -o %s data/valid-small.xml", kaohe(), outdir), 0);
    char *out;
    int rc = run(&out, "cd %s/2025 && HOME=%s timeout 200 libreoffice --headless --convert-to pdf --outdir %s/lo "
                 "summary.xlsx U001/*.xlsx >/dev/null 2>&1; ls %s/lo | wc -l",
                 outdir, outdir, outdir, outdir);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert_eq(atoi(out), 6, "converted: %s", out);   /* summary, quota-application, tally, filing, rewards, result-notice */
    free(out);
    cr_assert_eq(run(&out, "pdftotext %s/lo/filing.pdf - | grep -c 张三", outdir), 0, "%s", out);
    free(out);
    cr_assert_eq(run(&out, "pdftotext %s/lo/summary.pdf - | grep -c 年度考核结果汇总表", outdir), 0, "%s", out);
    free(out);
}

Test(cli, summary_chart_with_an_empty_series_builds)
{
    char *out;
    int rc = run(&out, "%s build -q -o %s data/none-excellent.xml", kaohe(), outdir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    cr_assert_eq(run(&out, "qpdf --check %s/2025/summary.pdf", outdir), 0, "%s", out);
    free(out);
    /* the notice of a unit without excellent persons says so (not "以下0名同志") */
    rc = run(&out, "ls %s/2025/*/notice.pdf | xargs -I{} pdftotext {} - | tr -d '\n'", outdir);
    cr_assert_eq(rc, 0, "%s", out);
    assert_has(out, "无拟确定为优秀等次的人员，现予以公示");
    cr_expect_null(strstr(out, "0名同志"), "%s", out);
    free(out);
}

/* An input names a preset, never a file: "evil.policy" in the working
 * directory must not be read (it would set a ratio of 1). */
Test(cli, input_cannot_name_a_policy_file)
{
    char *out, exe[4096], data[4096];
    cr_assert(realpath(kaohe(), exe) && realpath("data/valid-small.xml", data));
    int rc = run(&out, "cd %s && printf 'ratio all 1\\n' > evil.policy && "
                 "sed 's/policy=\"national\"/policy=\"evil.policy\"/' %s > in.xml && "
                 "%s build -q -o out in.xml", outdir, data, exe);
    cr_assert_eq(rc, 3, "%s", out);
    assert_has(out, "POLICY_UNKNOWN");
    free(out);
}

/* A valid file with no unit still gets its year's package, so the final
 * line's files are on disk and results.xml says that nobody was read. */
Test(cli, file_without_units_writes_an_empty_package)
{
    char *out;
    int rc = run(&out, "%s build --progress never -o %s ../tests/hostile/empty-appraisal.xml", kaohe(), outdir);
    cr_assert_eq(rc, 0, "%s", out);
    assert_has(out, "完成：0 个单位，输入 0 人，results.xml 中 0 人，写出 6 个文件");
    free(out);
    char path[400];
    snprintf(path, sizeof path, "%s/2025/results.xml", outdir);
    char *xml = slurp(path);
    cr_assert(xml, "no results.xml");
    assert_has(xml, "<totals units=\"0\" persons=\"0\"");
    free(xml);
    rc = run(&out, "cd %s/2025 && sha256sum -c --quiet MANIFEST.sha256", outdir);
    cr_expect_eq(rc, 0, "%s", out);
    free(out);
}

/* What a killed run left (its staging directories ".YEAR.staging-XXXXXX",
 * temp files inside) is swept before the next build starts; look-alikes
 * that are not ours stay. */
Test(cli, build_sweeps_the_staging_of_a_killed_run)
{
    char *out;
    int rc = run(&out, "mkdir -p %1$s/.2025.staging-AbC123/U1/registration %1$s/keep && cd %1$s && "
                       "touch .2025.staging-AbC123/.results.xml.tmp-AbC123 .2025.staging-AbC123/U1/.a.pdf.tmp-zzzzzz "
                       ".2025.staging-1 .results.xml.tmp-AbC123 keep/.b.pdf.tmp-Q1w2E3",
                 outdir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    rc = run(&out, "%s build --progress never -o %s data/valid-small.xml", kaohe(), outdir);
    cr_assert_eq(rc, 0, "%s", out);
    assert_has(out, "1 个暂存目录");
    free(out);
    run(&out, "cd %s && find . -name '.*' | sort | tr '\\n' ' '", outdir);
    cr_expect_str_eq(out, ". ./.2025.staging-1 ./.results.xml.tmp-AbC123 ./keep/.b.pdf.tmp-Q1w2E3 ");
    free(out);
}

/* Issue 15: the names corpus (rare ideographs of Extensions A-G, marks,
 * ZWJ/ZWNJ, a variation selector, right-to-left names, a character no face
 * has) prints: e2e/check_names.py reads every name back from the
 * registration PDF's text and finds ink in every character's box. */
Test(cli, names_corpus_prints_and_reads_back, .timeout = 120)
{
    char *out;
    int rc = run(&out, "%s build -q -o %s data/names-corpus.xml", kaohe(), outdir);
    cr_assert(rc == 0 || rc == 1, "exit %d: %s", rc, out);
    free(out);
    char pdf[512];
    snprintf(pdf, sizeof pdf, "%s/2025/N01/registration.pdf", outdir);
    rc = run(&out, "/usr/bin/python3 e2e/check_names.py %s data/names-corpus.xml X1", pdf);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    /* poppler reads it without a word of complaint, qpdf finds it sound */
    rc = run(&out, "pdftotext %s /dev/null && qpdf --check %s >/dev/null && echo ok", pdf, pdf);
    cr_assert_str_eq(out, "ok\n");
    free(out);
}

/* The character no face has (U+10FFFD) is a warning naming unit, person
 * (id and name), field and code point, in Chinese and in English, and
 * belongs to the person in results.xml; the others print, unreported. */
Test(cli, a_character_no_font_has_is_reported_with_the_person)
{
    const char *langs[2] = {"zh", "en"};
    const char *texts[2] = {"单位 N01，王\xf4\x8f\xbf\xbd（X1）的“name”：字符 \xf4\x8f\xbf\xbd（U+10FFFD）",
                            "unit N01, 王\xf4\x8f\xbf\xbd (X1), field 'name': no font has the character "
                            "\xf4\x8f\xbf\xbd (U+10FFFD)"};
    for (int l = 0; l < 2; l++) {
        char *out;
        int rc = run(&out, "%s build -q --lang %s -o %s/%s data/names-corpus.xml", kaohe(), langs[l], outdir,
                     langs[l]);
        cr_assert(rc == 0 || rc == 1, "exit %d: %s", rc, out);
        free(out);
        char path[512];
        snprintf(path, sizeof path, "%s/%s/2025/results.xml", outdir, langs[l]);
        char *x = slurp(path);
        cr_assert(x);
        assert_has(x, "code=\"FONT_MISSING_GLYPH\" severity=\"warning\" person=\"X1\"");
        assert_has(x, texts[l]);
        int n = 0;
        for (const char *p = x; (p = strstr(p, "FONT_MISSING_GLYPH")); p++) n++;
        cr_assert_eq(n, 1, "only U+10FFFD lacks a face:\n%s", x);
        cr_assert_null(strstr(x, "NON_BMP_CHAR"));
        free(x);
    }
}

/* A name blank once ASCII and ideographic spaces are trimmed is an input
 * error at its line; a name with spaces around it is printed trimmed. */
Test(cli, blank_name_is_an_input_error_with_its_line)
{
    expect_input_error("data/blank-name.xml", "NAME_BLANK", "data/blank-name.xml:7");
    char *out;
    /* the name is a line of its own, trimmed, in its cell and in every page's running head */
    int rc = run(&out, "%s build -q -o %s/t data/names-corpus.xml && pdftotext %s/t/2025/N01/registration.pdf - "
                       "| grep -c '^张三$'", kaohe(), outdir, outdir);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert_neq(atoi(out), 0);
    free(out);
    rc = run(&out, "pdftotext %s/t/2025/N01/registration.pdf - | grep -c '[[:space:]　]张三\\|张三[[:space:]　]' || true",
             outdir);
    cr_assert_str_eq(out, "0\n", "a name printed with its spaces");
    free(out);
}

/* ---- issue 20: the command line as a new user meets it ------------------ */

#define assert_lacks(hay, needle) cr_assert(!strstr((hay), (needle)), "unexpected: %s\nin:\n%s", (needle), (hay))

/* --lang anywhere on the line, before the command too; LC_ALL, LC_MESSAGES,
 * LANG in that order when there is none; --lang beats them. */
Test(cli, language_from_the_line_or_the_environment)
{
    char *out;
    cr_assert_eq(run(&out, "%s --lang en --help", kaohe()), 0, "%s", out);
    assert_has(out, "Usage:");
    free(out);
    cr_assert_eq(run(&out, "%s check data/errors.xml --lang en", kaohe()), 1);
    assert_has(out, "more than the 0 places");
    free(out);
    static const struct { const char *env, *want, *not; } cases[] = {
        { "env -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8", "Usage:", "用法" },
        { "env -u LC_ALL LANG=zh_CN.UTF-8 LC_MESSAGES=en_GB.UTF-8", "Usage:", "用法" },
        { "env LC_ALL=zh_CN.UTF-8 LC_MESSAGES=en_US.UTF-8 LANG=en_US.UTF-8", "用法", "Usage:" },
        { "env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8", "用法", "Usage:" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(run(&out, "%s %s --help", cases[i].env, kaohe()), 0);
        assert_has(out, cases[i].want);
        assert_lacks(out, cases[i].not);
        free(out);
    }
    cr_assert_eq(run(&out, "env LANG=en_US.UTF-8 %s --lang zh --help", kaohe()), 0);
    assert_has(out, "用法");
    free(out);
    cr_assert_eq(run(&out, "%s --lang fr --help", kaohe()), 2);
    assert_has(out, "fr");
    free(out);
}

/* System errors read in the chosen language, with the errno's name. */
Test(cli, system_errors_in_the_chosen_language)
{
    char *out;
    cr_assert_eq(run(&out, "%s check %s/nosuch.xml", kaohe(), outdir), 3);
    assert_has(out, "文件或目录不存在（ENOENT）");
    assert_lacks(out, "No such file");
    free(out);
    cr_assert_eq(run(&out, "%s --lang en check %s/nosuch.xml", kaohe(), outdir), 3);
    assert_has(out, "no such file or directory (ENOENT)");
    free(out);
    /* a full disk: /dev/full answers every write with ENOSPC */
    cr_assert_eq(run(&out, "sh -c '%s sample --units 1 --persons 1 >/dev/full'", kaohe()), 4);
    assert_has(out, "磁盘空间不足（ENOSPC）");
    free(out);
    /* a file we may not read: as root, read it as nobody */
    char *exe = realpath(kaohe(), NULL);
    cr_assert(exe);
    run(NULL, "chmod 755 %s && cp data/valid-small.xml %s/in.xml && chmod 000 %s/in.xml", outdir, outdir, outdir);
    const char *as = getuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
    cr_assert_eq(run(&out, "%s%s check %s/in.xml", as, exe, outdir), 3, "%s", out);
    assert_has(out, "没有访问权限（EACCES）");
    assert_lacks(out, "Permission denied");
    free(out);
    free(exe);
}

/* kaohe COMMAND --help: that command's options only, and an example. */
Test(cli, each_command_has_its_own_help_with_an_example)
{
    static const struct { const char *cmd, *has, *lacks; } cases[] = {
        { "build", "--split", "--csv" },       { "check", "--unit", "--split" },
        { "quota", "--csv", "--formats" },     { "workdays", "--days", "--output" },
        { "sample", "--persons", "--output" }, { "merge", "SHARD_DIR", "--formats" },
        { "score", "INPUT.xml", "--output" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out, example[64];
        cr_assert_eq(run(&out, "%s %s --help", kaohe(), cases[i].cmd), 0, "%s --help", cases[i].cmd);
        assert_has(out, "示例");
        snprintf(example, sizeof example, "  kaohe %s ", cases[i].cmd);
        assert_has(out, example);
        assert_has(out, cases[i].has);
        assert_lacks(out, cases[i].lacks);
        assert_lacks(out, "kaohe workdays --from YYYY-MM-DD --days N   ");   /* not the whole list */
        free(out);
    }
    char *out;
    cr_assert_eq(run(&out, "%s quota --help --lang en", kaohe()), 0);
    assert_has(out, "Example");
    free(out);
}

/* A mistyped option or command: the closest one is suggested. */
Test(cli, mistyped_words_get_the_closest_suggested)
{
    static const struct { const char *line, *want; } cases[] = {
        { "build --ouput x data/valid-small.xml", "您是不是要输入 --output？" },
        { "check --stirct data/valid-small.xml", "您是不是要输入 --strict？" },
        { "biuld data/valid-small.xml", "您是不是要输入 build？" },
        { "--lang en chek data/valid-small.xml", "did you mean check?" },
        { "workdays --form 2025-12-29 --days 3", "--from" },
        { "check --formats pfd data/valid-small.xml", "您是不是要输入 pdf？" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out;
        cr_assert_eq(run(&out, "%s %s", kaohe(), cases[i].line), 2, "%s", cases[i].line);
        assert_has(out, cases[i].want);
        free(out);
    }
    char *out;   /* nothing near: no guess */
    cr_assert_eq(run(&out, "%s build --zzzzzzzz data/valid-small.xml", kaohe()), 2);
    assert_lacks(out, "您是不是");
    free(out);
}

/* -p NAME that is no preset: the presets listed by name, no path shown. */
Test(cli, unknown_policy_lists_the_presets_without_paths)
{
    char *out;
    cr_assert_eq(run(&out, "%s build -o %s/o -p nosuch data/valid-small.xml", kaohe(), outdir), 2);
    assert_has(out, "nosuch");
    assert_has(out, "national");
    assert_has(out, "zhangzhou");
    assert_lacks(out, "/");
    assert_lacks(out, ".policy");
    free(out);
    cr_assert_eq(run(&out, "%s check -p natonal data/valid-small.xml", kaohe()), 2);
    assert_has(out, "您是不是要输入 national？");
    free(out);
}

/* --formats: the wrong word named, the valid ones listed; empty is an error. */
Test(cli, formats_errors_name_the_word)
{
    char *out;
    cr_assert_eq(run(&out, "%s build -o %s/o --formats pdf,dxf data/valid-small.xml", kaohe(), outdir), 2);
    assert_has(out, "“dxf”");
    assert_has(out, "pdf,xlsx");
    free(out);
    cr_assert_eq(run(&out, "%s build -o %s/o --formats '' data/valid-small.xml", kaohe(), outdir), 2);
    assert_has(out, "--formats 不能为空");
    free(out);
    cr_assert_eq(run(&out, "%s --lang en build -o %s/o --formats xls data/valid-small.xml", kaohe(), outdir), 2);
    assert_has(out, "'xls' is not an output format");
    assert_has(out, "did you mean xlsx?");
    free(out);
    char path[400];
    snprintf(path, sizeof path, "%s/o", outdir);
    struct stat st;
    cr_assert_neq(stat(path, &st), 0, "a usage error wrote output");
}

/* --unit with an id no input holds is an error, not a run of nothing. */
Test(cli, unknown_unit_is_an_error)
{
    char *out;
    cr_assert_eq(run(&out, "%s check --unit NOSUCH data/valid-small.xml", kaohe()), 2);
    assert_has(out, "--unit NOSUCH：输入文件中没有这个单位");
    free(out);
    cr_assert_eq(run(&out, "%s build -q -o %s/o --unit NOSUCH data/valid-small.xml", kaohe(), outdir), 2);
    assert_has(out, "NOSUCH");
    free(out);
    cr_assert_eq(run(&out, "%s quota --unit NOSUCH --unit ALSO-NOT data/valid-small.xml", kaohe()), 2);
    assert_has(out, "ALSO-NOT");
    free(out);
}

/* Display columns of a UTF-8 line: CJK and fullwidth characters take two. */
static int display_width(const char *s, size_t n)
{
    int cols = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80) cols += c >= 0xE1 ? 2 : 1;
    }
    return cols;
}

/* kaohe quota: Chinese labels; every line of a table as wide on screen as
 * its header (the numbers are right-aligned to the same columns). */
Test(cli, quota_in_chinese_aligned_by_display_width)
{
    char *out;
    cr_assert_eq(run(&out, "%s quota ../input/*.xml", kaohe()), 0);
    assert_has(out, "行政（公务员、参公）");
    assert_has(out, "事业");
    assert_has(out, "参加人数");
    assert_lacks(out, "  admin ");
    assert_lacks(out, "institution");
    int width = -1, lines = 0;
    for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        if (strncmp(line, "  ", 2)) continue;   /* unit lines name the unit */
        int w = display_width(line, (size_t)(nl - line));
        if (width < 0) width = w;
        cr_assert_eq(w, width, "misaligned: %.*s", (int)(nl - line), line);
        lines++;
    }
    cr_assert_gt(lines, 20);
    free(out);
}

/* A run that finished with units in error (exit 1) says on its last line
 * that those units got no forms, and where to read why. */
Test(cli, final_line_names_the_units_without_forms)
{
    char *out;
    int rc = run(&out, "%s build -o %s/fl data/errors.xml 2>&1 | tail -1", kaohe(), outdir);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "完成：3 个单位") && strstr(out, "有错误的单位 2 个，没有生成表格"), "%s", out);
    free(out);
    rc = run(&out, "%s build -o %s/fl2 data/valid-small.xml 2>&1 | tail -1", kaohe(), outdir);
    cr_assert(strstr(out, "完成：") && !strstr(out, "有错误的单位"), "%s", out);
    free(out);
}

/* A broken form template stops the run with its file, line and code, in
 * the language of the run (the message catalog's text; the layout's
 * warnings: a_character_no_font_has_is_reported_with_the_person). */
Test(cli, template_errors_speak_the_runs_language)
{
    char *out;
    cr_assert_eq(run(NULL, "cp -r ../templates %s/tpl && sed -i '15s/<cell colspan=\"5\">/<cell colspan=\"5\" font=\"comic\">/' "
                           "%s/tpl/forms/notice.xml", outdir, outdir), 0);
    int rc = run(&out, "KAOHE_TEMPLATES=%s/tpl %s build -q --lang en -o %s/o data/valid-small.xml", outdir, kaohe(),
                 outdir);
    cr_assert_neq(rc, 0, "a broken template must stop the run: %s", out);
    assert_has(out, "notice.xml:15: unknown font \"comic\": use song, hei, kai or fang (TEMPLATE_BAD_FONT)");
    free(out);
    rc = run(&out, "KAOHE_TEMPLATES=%s/tpl %s build -q -o %s/o data/valid-small.xml", outdir, kaohe(), outdir);
    cr_assert_neq(rc, 0);
    assert_has(out, "notice.xml:15: 未知字体 \"comic\"，应为 song/hei/kai/fang (TEMPLATE_BAD_FONT)");
    free(out);
}

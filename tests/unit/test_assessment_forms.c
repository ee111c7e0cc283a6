/* Tests of the unit appraisal forms (SPEC 5): the 单位绩效考评评分表 of a unit
 * scored with the shipped schemes (templates/forms/assessment.xml through
 * forms.c's assessment.* data source) and the run's 单位绩效考评结果排名表
 * (templates/forms/ranking.xml) read back from a results.xml by summary.c,
 * also through package_finish_year (manifest order). pdftotext and openpyxl
 * give back item labels, counts, counted points, subtotals, total, rank and
 * grade. Tests run from tests/. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "form_fixture.h"
#include "outfile.h"
#include "package.h"
#include "summary.h"
#include "unit_fixture.h"

#define EPOCH UFX_EPOCH

static unit_fixture fx;

static void teardown(void) { ufx_free(&fx); }

static void open_shared(void) { ufx_open_forms(&fx); }

/* zhangzhou, series 2: 421.5 basic; 作风纪律 3 × 1 + 8 × 15 = 123 deducted
 * from 100 (0 left, 23 off the total); 突出绩效 30 + innovation 14 capped at
 * 10 + research 6 + 8 within the group's 10 (6 + 4) = 50; 效能评议 268 + 44.
 * Sections 421.5 + 0 + 50 + 312 = 783.5, total 783.5 − 23 = 760.5. */
static const char *ZHANGZHOU =
    "<assessment scheme=\"zhangzhou\">"
    "<item ref=\"basic\" points=\"421.5\"/>"
    "<item ref=\"late-meeting\" count=\"3\"/>"
    "<item ref=\"crime-section\" count=\"8\"/>"
    "<item ref=\"contribution\" count=\"1\"/>"
    "<item ref=\"innovation\" count=\"7\"/>"
    "<item ref=\"research-adopted\" count=\"3\"/>"
    "<item ref=\"research-prize-1\" count=\"1\"/>"
    "<item ref=\"public\" points=\"268\"/>"
    "<item ref=\"overall\" points=\"44\"/>"
    "</assessment>";

/* A unit with `assessment` (or none), computed under `preset`; when
 * scored, ranked by hand as `rank` of `of` with the scheme's grade rule
 * `rule`. */
static unit *compute(const char *preset, const char *assessment, int rank, int of, int rule)
{
    ufx_begin(&fx, preset, 2025);
    ufx_load_schemes(&fx);
    sbuf x = {0};
    sbuf_printf(&x, "<unit xmlns=\"urn:kaohe:appraisal:1\" id=\"U001\" name=\"漳州市某某局\" series=\"2\">%s"
                "<person id=\"P1\" name=\"张三丰\" category=\"civil-servant\" post=\"科员\"/>"
                "<person id=\"P2\" name=\"李四光\" category=\"civil-servant\" post=\"科员\"/></unit>",
                assessment ? assessment : "");
    ufx_ingest(&fx, x.data);
    sbuf_free(&x);
    unit_assessment *as = &fx.u->assessment;
    if (as->present) {
        const scheme *s = scheme_set_find(fx.schemes, as->scheme);
        cr_assert(s, "scheme %s", as->scheme);
        scheme_result *r = arena_alloc(&fx.u->mem, sizeof *r);
        scheme_error e;
        cr_assert_eq(scheme_score(s, as, &fx.u->mem, r, &e), 0, "scheme_score: %s", e.code);
        cr_assert(rule < s->n_grades);
        as->result = r;
        as->computed = true;
        as->total = r->total;
        as->rank = rank;
        as->series_size = of;
        as->grade = s->grades[rule].perf;
        as->label = s->grades[rule].label;
        as->note = s->grades[rule].note;
    }
    ufx_compute(&fx);
    open_shared();
    return fx.u;
}

static void write_unit(sbuf *written) { ufx_write_unit(&fx, written); }

/* pdftotext of dir/name, whitespace removed; poppler silent, qpdf --check ok. */
static char *pdf_text(const char *name) { return ufx_pdf_text(&fx, name); }

/* All cells of the first sheet as "A1=repr(value)" lines. */
static char *xlsx_cells(const char *name) { return ufx_xlsx_cells(&fx, name); }

static bool exists(const char *name)
{
    sbuf p = {0};
    sbuf_printf(&p, "%s/%s", fx.dir, name);
    struct stat st;
    bool ok = stat(p.data, &st) == 0;
    sbuf_free(&p);
    return ok;
}

static void remove_file(const char *name)
{
    sbuf p = {0};
    sbuf_printf(&p, "%s/%s", fx.dir, name);
    unlink(p.data);
    sbuf_free(&p);
}

#define HAS(text, s) cr_expect(strstr((text), (s)) != NULL, "missing \"%s\" in %s", (s), #text)
#define HASNT(text, s) cr_expect(strstr((text), (s)) == NULL, "unexpected \"%s\" in %s", (s), #text)

Test(assessment_forms, zhangzhou_sheet_pdf, .fini = teardown, .timeout = 60)
{
    compute("zhangzhou", ZHANGZHOU, 2, 12, 1);
    cr_assert_eq(fx.u->assessment.total, 760500000LL, "total %lld", (long long)fx.u->assessment.total);
    sbuf written = {0};
    write_unit(&written);
    HAS(written.data, "U001/assessment.xlsx\nU001/assessment.pdf\n");
    sbuf_free(&written);
    char *t = pdf_text("U001/assessment.pdf");
    HAS(t, "2025年度单位绩效考评评分表");
    HAS(t, "依据《漳州市直机关绩效考评办法》，满分1000分");
    HAS(t, "被考评单位：漳州市某某局");
    HAS(t, "考评序列：2");
    /* every item of every section, labels from the scheme file */
    HAS(t, "完成基本工作目标");
    HAS(t, "机关效率与作风纪律建设");
    HAS(t, "干部职工被追究刑事责任或受治安处罚（科级以上，每人次）");
    HAS(t, "上下班迟到、早退（每人次）");   /* an untouched item is listed too */
    HAS(t, "效能评议");
    HAS(t, "综合评议");
    /* rule, count, scored and counted points, two decimals each (one format per column) */
    HAS(t, "扣15分/次");
    HAS(t, "8-120.00-120.00");                  /* crime-section: 8 × 15 */
    HAS(t, "3-3.00-3.00");                      /* late-meeting */
    HAS(t, "加2分/次，最高加10分");
    HAS(t, "714.0010.00已达本项上限");           /* innovation: 7 × 2 = 14, counted 10 */
    HAS(t, "同组合计最高加10分");
    HAS(t, "18.004.00已达同组上限");             /* research-prize-1: 8, 4 left in the group */
    HAS(t, "421.50421.50");
    /* subtotals */
    HAS(t, "小计满分100分，扣分超出部分从总分中扣除-123.000.00超出23分从总分中扣除");
    HAS(t, "小计满分100分50.0050.00");           /* 突出绩效: 30 + 10 + 6 + 4 */
    HAS(t, "小计满分350分312.00312.00");
    /* sums, total, rank, grade, signatures */
    HAS(t, "各考评项目得分合计783.50");
    HAS(t, "-23.00");
    HAS(t, "考评总分760.50");
    HAS(t, "考评结果考评等次：优秀单位序列排名第2名／共12个单位");
    HAS(t, "结果运用：工作人员优秀等次比例20%");
    HAS(t, "考评组负责人签字");
    HAS(t, "被考评单位负责人签字");
    HAS(t, "（盖章）日期：年月日");
    free(t);
}

Test(assessment_forms, zhangzhou_sheet_xlsx, .fini = teardown, .timeout = 60)
{
    compute("zhangzhou", ZHANGZHOU, 2, 12, 1);
    write_unit(NULL);
    char *x = xlsx_cells("U001/assessment.xlsx");
    HAS(x, "'机关效率与作风纪律建设'");
    HAS(x, "'市委、市政府重要会议、重要活动迟到早退（每人次）'");
    HAS(x, "=-120\n");
    HAS(x, "=421.5\n");
    HAS(x, "=760.5\n");                   /* the total is a number */
    HAS(x, "=783.5\n");
    HAS(x, "'小计'");
    HAS(x, "'第 2 名／共 12 个单位'");
    HAS(x, "'考评等次：优秀单位'");
    free(x);
}

Test(assessment_forms, sheet_only_with_result, .fini = teardown, .timeout = 60)
{
    compute("zhangzhou", NULL, 0, 0, 0);
    sbuf written = {0};
    write_unit(&written);
    HASNT(written.data, "assessment");
    cr_expect(!exists("U001/assessment.pdf") && !exists("U001/assessment.xlsx"));
    sbuf_free(&written);
}

/* jishui: the unit is 测绘股 (survey); the other offices' sections are
 * alternatives it did not choose and are not shown. A bar veto applies. */
Test(assessment_forms, jishui_choice_and_veto, .fini = teardown, .timeout = 60)
{
    compute("zhangzhou",
            "<assessment scheme=\"jishui-2014\">"
            "<item ref=\"survey\"/>"
            "<item ref=\"common.late-early\" count=\"5\"/>"
            "<item ref=\"common.civilization-absent\" count=\"3\"/>"
            "<item ref=\"common.extra-city\" count=\"2\"/>"
            "<item ref=\"veto.sanction\" count=\"1\"/>"
            "</assessment>",
            1, 1, 3);
    write_unit(NULL);
    char *t = pdf_text("U001/assessment.pdf");
    HAS(t, "依据《吉水县国土资源局2014机关工作目标管理考评办法》");
    HAS(t, "共性考评项目");
    HAS(t, "测绘股");
    HASNT(t, "办公室");
    HASNT(t, "土地开发整理中心");
    HAS(t, "扣0.5分/次，最多扣2分");
    HAS(t, "5-2.50-2.00已达本项上限");         /* 5 × 0.5 = 2.5, capped at 2 */
    HAS(t, "3次及以上扣2分");
    HAS(t, "达3次，计2分");
    HAS(t, "加0.5分/次");
    HAS(t, "加减分，不设上限");
    HAS(t, "单位内有受到党纪、政纪、法规处理的人和事");
    HAS(t, "取消评优资格");
    HAS(t, "不得确定为优秀等次");
    HAS(t, "考评等次：85分以上");
    HASNT(t, "超过上限");                 /* a deduct section is never "over" its max */
    free(t);
}

/* ------------------------------------------------------------- ranking */

static const char *RESULTS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<results xmlns=\"urn:kaohe:results:1\" year=\"2025\" policy=\"zhangzhou\">\n"
    "  <unit id=\"Z3\" status=\"ok\" name=\"市丙局\" seq=\"0\">\n"
    "    <assessment total=\"690.00\" rank=\"2\" grade=\"unqualified\" scheme=\"zhangzhou\" series=\"1\" of=\"2\" label=\"不合格单位\"/>\n"
    "    <bucket name=\"admin\" participants=\"10\" ratio=\"0.2\" places=\"2\" excellent=\"1\"/>\n"
    "  </unit>\n"
    "  <unit id=\"K1\" status=\"ok\" name=\"乡甲办\" seq=\"1\">\n"
    "    <assessment total=\"91.00\" rank=\"1\" grade=\"excellent\" scheme=\"kaisheng\" series=\"1\" of=\"1\" label=\"效能建设先进单位\"/>\n"
    "  </unit>\n"
    "  <unit id=\"Z1\" status=\"ok\" name=\"市甲局\" seq=\"2\">\n"
    "    <assessment total=\"865.50\" rank=\"1\" grade=\"excellent\" scheme=\"zhangzhou\" series=\"1\" of=\"2\" label=\"优秀单位\"/>\n"
    "  </unit>\n"
    "  <unit id=\"N1\" status=\"ok\" name=\"无考评单位\" seq=\"3\"/>\n"
    "  <unit id=\"Z2\" status=\"error\" name=\"市乙局\" seq=\"4\">\n"
    "    <assessment total=\"720.25\" rank=\"1\" grade=\"qualified\" scheme=\"zhangzhou\" series=\"2\" of=\"1\" label=\"合格单位\" note=\"自带备注\"/>\n"
    "  </unit>\n"
    "  <unit id=\"Z0\" status=\"ok\" name=\"市未分序列局\" seq=\"5\">\n"
    "    <assessment total=\"800.00\" rank=\"1\" grade=\"qualified\" scheme=\"zhangzhou\" series=\"0\" of=\"1\" label=\"合格单位\"/>\n"
    "  </unit>\n"
    "  <totals units=\"6\" persons=\"0\" graded=\"0\" excellent=\"0\" errors=\"1\" warnings=\"0\"/>\n"
    "</results>\n";

static void write_file(const char *name, const char *text)
{
    sbuf p = {0};
    sbuf_printf(&p, "%s/%s", fx.dir, name);
    FILE *f = fopen(p.data, "w");
    cr_assert(f, "%s", p.data);
    fputs(text, f);
    fclose(f);
    sbuf_free(&p);
}

static summary *read_back(void)
{
    sbuf p = {0}, err = {0};
    sbuf_printf(&p, "%s/results.xml", fx.dir);
    summary *s = summary_read(p.data, EPOCH, &err);
    cr_assert(s, "summary_read: %s", err.data ? err.data : "");
    sbuf_free(&p);
    sbuf_free(&err);
    return s;
}

Test(assessment_forms, ranking_source_order, .fini = teardown, .timeout = 30)
{
    teardown();
    fx.dir = fixture_tmpdir();
    write_file("results.xml", RESULTS);
    summary *s = read_back();
    cr_expect_eq(summary_units(s), 6);
    cr_expect_eq(summary_assessed(s), 5);
    layout_source src = summary_ranking_source(s);
    cr_assert_eq(src.count(src.ctx, "ranking"), 5);
    static const char *const ids[] = {"K1", "Z0", "Z1", "Z3", "Z2"};   /* scheme, series, rank */
    for (size_t i = 0; i < 5; i++) cr_expect_str_eq(src.item(src.ctx, "ranking", i, "id"), ids[i], "row %zu", i);
    cr_expect_str_eq(src.item(src.ctx, "ranking", 1, "seriesLabel"), "—");
    cr_expect_str_eq(src.item(src.ctx, "ranking", 2, "total"), "865.5");
    cr_expect_str_eq(src.item(src.ctx, "ranking", 2, "of"), "2");
    cr_expect_str_eq(src.item(src.ctx, "ranking", 3, "gradeLabel"), "不合格单位");
    cr_expect_str_eq(src.item(src.ctx, "ranking", 4, "note"), "自带备注");
    cr_expect_str_eq(src.item(src.ctx, "ranking", 4, "status"), "有错误");
    cr_expect_str_eq(src.lookup(src.ctx, "assessed"), "5");
    summary_free(s);
}

Test(assessment_forms, ranking_forms, .fini = teardown, .timeout = 60)
{
    teardown();
    open_shared();
    write_file("results.xml", RESULTS);
    summary *s = read_back();
    layout_source src = summary_ranking_source(s);
    sbuf written = {0}, err = {0};
    int rc = forms_write_ranking(fx.fc, &src, fx.dir, &(forms_opts){true, true, false, EPOCH, LANG_ZH, NULL, false, false}, &written,
                                 &err);
    cr_assert_eq(rc, 0, "forms_write_ranking: %s", err.data ? err.data : "");
    cr_expect_str_eq(written.data, "ranking.xlsx\nranking.pdf\n");
    summary_free(s);
    char *t = pdf_text("ranking.pdf");
    HAS(t, "2025年度单位绩效考评结果排名表");
    HAS(t, "参加考评单位：5个");
    HAS(t, "开省乡机关绩效考评办法");
    HAS(t, "漳州市直机关绩效考评办法");
    /* rows in order; the scheme title only on its group's first row */
    const char *a = strstr(t, "1开省乡机关绩效考评办法111K1乡甲办91.00效能建设先进单位通报表彰");
    const char *b = strstr(t, "2漳州市直机关绩效考评办法—11Z0市未分序列局800.00合格单位");
    const char *c = strstr(t, "3112Z1市甲局865.50优秀单位工作人员优秀等次比例20%");
    const char *d = strstr(t, "4122Z3市丙局690.00不合格单位");
    const char *e = strstr(t, "5211Z2市乙局720.25合格单位自带备注");
    cr_expect(a && b && c && d && e && a < b && b < c && c < d && d < e, "order: %s", t);
    const char *first = strstr(t, "漳州市直机关绩效考评办法");
    cr_expect(first && !strstr(first + 1, "漳州市直机关绩效考评办法"), "title repeated");
    HASNT(t, "无考评单位");
    free(t);
    char *x = xlsx_cells("ranking.xlsx");
    HAS(x, "'市甲局'");
    HAS(x, "=865.5\n");
    HAS(x, "'优秀单位'");
    HAS(x, "'Z1'");
    free(x);
    sbuf_free(&written);
    sbuf_free(&err);
}

/* package_finish_year: ranking files written when some unit is assessed,
 * and in the manifest before results.xml; none without assessments. */
static char *finish(const char *results)
{
    write_file("results.xml", results);
    write_file("findings.txt", "");
    sbuf p = {0}, err = {0};
    sbuf_printf(&p, "%s/MANIFEST.sha256", fx.dir);
    outfile man;
    cr_assert(outfile_open(&man, p.data));
    bool ok = package_finish_year(fx.fc, fx.dir, &(forms_opts){true, true, false, EPOCH, LANG_ZH, NULL, false, false}, &man, &err);
    cr_assert(ok, "package_finish_year: %s", err.data ? err.data : "");
    sbuf_clear(&p);
    sbuf_printf(&p, "cut -c67- '%s/MANIFEST.sha256' | tr '\\n' ' '", fx.dir);
    int st;
    char *names = fixture_run(p.data, &st, NULL);
    sbuf_free(&p);
    sbuf_free(&err);
    return names;
}

Test(assessment_forms, package_manifest, .fini = teardown, .timeout = 60)
{
    teardown();
    open_shared();
    char *names = finish(RESULTS);
    cr_expect_str_eq(names, "summary.xlsx summary.pdf ranking.xlsx ranking.pdf index.html results.xml findings.txt ");
    free(names);
    cr_expect(exists("ranking.pdf") && exists("ranking.xlsx"));
    /* without assessments: no ranking */
    remove_file("ranking.pdf");
    remove_file("ranking.xlsx");
    names = finish("<results xmlns=\"urn:kaohe:results:1\" year=\"2025\" policy=\"national\">"
                   "<unit id=\"U1\" status=\"ok\" name=\"甲\" seq=\"0\">"
                   "<bucket name=\"admin\" participants=\"10\" ratio=\"0.2\" places=\"2\" excellent=\"1\"/>"
                   "</unit></results>");
    cr_expect_str_eq(names, "summary.xlsx summary.pdf index.html results.xml findings.txt ");
    free(names);
    cr_expect(!exists("ranking.pdf") && !exists("ranking.xlsx"));
}

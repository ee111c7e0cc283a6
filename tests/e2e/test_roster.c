/* End-to-end tests of roster input (SPEC 2.1): kaohe import, roster-template,
 * sample --format xlsx, and build/check taking .xlsx and .csv. The fixtures
 * in data/roster/ were written by openpyxl, LibreOffice, libxlsxwriter and by
 * hand the way Excel and WPS write (data/roster/make_fixtures.py says how). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_util.h"

static char dir[256];

static const char *kaohe(void) { return e2e_kaohe(); }

/* Run a shell command with a fixed run date; stdout+stderr into *out. */
static int sh(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = e2e_vformat(fmt, ap);
    va_end(ap);
    char *full = e2e_format("export SOURCE_DATE_EPOCH=1766966400; ( %s ) 2>&1", cmd);
    int st = e2e_shell(out, full);
    free(full);
    free(cmd);
    return st;
}

static void setup(void) { e2e_mkdtemp(dir, sizeof dir, "kaohe-roster-e2e"); }

static void teardown(void) { e2e_rmtree(dir); }

TestSuite(roster, .init = setup, .fini = teardown, .timeout = 300);

#define assert_has(hay, needle) cr_assert(strstr((hay), (needle)), "missing: %s\nin:\n%s", (needle), (hay))

/* results.xml of `build` over the inputs into DIR/name, compared with DIR/ref. */
static void build_results(const char *name, const char *inputs, int want_rc)
{
    char *out;
    int rc = sh(&out, "%s build -q --formats xlsx -o %s/%s %s", kaohe(), dir, name, inputs);
    cr_assert_eq(rc, want_rc, "build %s: %d\n%s", inputs, rc, out);
    free(out);
}

static void same_results(const char *a, const char *b)
{
    char *out;
    int rc = sh(&out, "cmp %s/%s/2025/results.xml %s/%s/2025/results.xml", dir, a, dir, b);
    cr_assert_eq(rc, 0, "results differ: %s vs %s\n%s", a, b, out);
    free(out);
}

/* Every fixture, whatever wrote it, gives the results of reference.xml. */
Test(roster, workbooks_of_every_writer_give_the_reference_results)
{
    build_results("ref", "data/roster/reference.xml", 0);
    static const char *const books[] = { "openpyxl.xlsx", "libreoffice.xlsx", "libxlsxwriter.xlsx",
                                         "excel-like.xlsx", "wps-like.xlsx" };
    for (size_t i = 0; i < sizeof books / sizeof books[0]; i++) {
        char in[128];
        snprintf(in, sizeof in, "data/roster/%s", books[i]);
        build_results(books[i], in, 0);
        same_results("ref", books[i]);
    }
    build_results("csv", "data/roster/csv/单位.csv data/roster/csv/人员.csv data/roster/csv/考核.csv", 0);
    same_results("ref", "csv");
}

/* XML -> roster (import's inverse) -> build == XML -> build, over the test
 * inputs and the sample inputs. */
Test(roster, round_trip_over_the_test_inputs)
{
    /* not data/errors.xml: it repeats a person id, which XML reports as the
     * unit's DUPLICATE_ID finding and a roster refuses at its cell */
    static const char *const inputs[] = { "data/valid-small.xml", "data/none-excellent.xml",
                                          "data/zhangzhou-series.xml", "data/calendar-2026.xml",
                                          "../input/2025-city.xml", "../input/2025-quannan.xml",
                                          "../input/2025-zhangzhou.xml" };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *out, a[32], b[32], xlsx[300];
        snprintf(a, sizeof a, "xml%zu", i);
        snprintf(b, sizeof b, "roster%zu", i);
        snprintf(xlsx, sizeof xlsx, "%s/in%zu.xlsx", dir, i);
        int rc = sh(&out, "%s build -q --formats xlsx -o %s/%s %s", kaohe(), dir, a, inputs[i]);
        free(out);
        cr_assert(rc == 0 || rc == 1, "%s: %d", inputs[i], rc);
        cr_assert_eq(sh(&out, "%s roster-template --from %s -o %s", kaohe(), inputs[i], xlsx), 0, "%s", out);
        free(out);
        build_results(b, xlsx, rc);
        /* the year directory follows the input's year */
        char cmd[900];
        snprintf(cmd, sizeof cmd, "cd %s && for y in %s/*/; do cmp %s/results.xml %s/$(basename $y)/results.xml || exit 1; done",
                 dir, a, "$y", b);
        cr_assert_eq(sh(&out, "%s", cmd), 0, "%s: results differ\n%s", inputs[i], out);
        free(out);
    }
}

Test(roster, import_writes_valid_xml_and_counts_rows_and_persons)
{
    char *out;
    cr_assert_eq(sh(&out, "%s import data/roster/wps-like.xlsx > %s/in.xml", kaohe(), dir), 0, "%s", out);
    assert_has(out, "人员 13 行，写出 13 人（2 个单位）");
    free(out);
    cr_assert_eq(sh(&out, "xmllint --noout --schema ../templates/appraisal.xsd %s/in.xml", dir), 0, "%s", out);
    free(out);
    cr_assert_eq(sh(&out, "grep -c '<person ' %s/in.xml", dir), 0);
    assert_has(out, "13");
    free(out);
    /* the build's last line counts the same persons */
    cr_assert_eq(sh(&out, "%s build --formats xlsx -o %s/o data/roster/openpyxl.xlsx", kaohe(), dir), 0, "%s", out);
    assert_has(out, "人员 13 行，写出 13 人");
    assert_has(out, "输入 13 人，results.xml 中 13 人");
    free(out);
}

Test(roster, sample_as_a_roster_gives_the_sample_results)
{
    char *out;
    cr_assert_eq(sh(&out, "%s sample --units 6 --persons 120 --seed 7 > %s/s.xml && %s sample --units 6 --persons 120 --seed 7 --format xlsx -o %s/s.xlsx",
                    kaohe(), dir, kaohe(), dir), 0, "%s", out);
    free(out);
    char in[300];
    snprintf(in, sizeof in, "%s/s.xml", dir);
    build_results("sx", in, 0);
    snprintf(in, sizeof in, "%s/s.xlsx", dir);
    build_results("sr", in, 0);
    same_results("sx", "sr");
}

/* The template: sheets, drop-downs on every enumerated column, frozen
 * header, widths for the Chinese headers, 说明, an example row per sheet. */
Test(roster, template_has_lists_frozen_headers_widths_and_notes)
{
    char *out;
    cr_assert_eq(sh(&out, "%s roster-template -o %s/t.xlsx", kaohe(), dir), 0, "%s", out);
    free(out);
    char py[300];
    snprintf(py, sizeof py, "%s/check.py", dir);
    FILE *f = fopen(py, "w");
    cr_assert(f);
    fputs("import sys, openpyxl\n"
          "wb = openpyxl.load_workbook(sys.argv[1])\n"
          "assert wb.sheetnames == ['考核', '单位', '人员', '绩效考评', '说明'], wb.sheetnames\n"
          "p = wb['人员']\n"
          "heads = [c.value for c in p[1]]\n"
          "assert p.freeze_panes == 'A2', p.freeze_panes\n"
          "lists = {}\n"
          "for dv in p.data_validations.dataValidation:\n"
          "    assert dv.type == 'list'\n"
          "    for rng in dv.sqref.ranges:\n"
          "        lists[heads[rng.min_col - 1]] = dv.formula1\n"
          "for h in ['性别', '人员类别', '角色', '借调挂职', '假别', '试用期', '立案调查', '处分', '拒绝考核', '拟定等次', '先进个人']:\n"
          "    assert h in lists, (h, lists)\n"
          "assert '事业单位工作人员' in lists['人员类别']\n"
          "u = wb['单位']\n"
          "uh = [c.value for c in u[1]]\n"
          "ul = set()\n"
          "for dv in u.data_validations.dataValidation:\n"
          "    for rng in dv.sqref.ranges: ul.add(uh[rng.min_col - 1])\n"
          "assert {'单位性质', '平时考核开展情况', '绩效考评等次', '重大事故'} <= ul, ul\n"
          "from openpyxl.utils import get_column_letter\n"
          "for i, h in enumerate(heads, 1):\n"
          "    w = p.column_dimensions[get_column_letter(i)].width\n"
          "    assert w and w >= 2 * len(h), (h, w)\n"
          "for s in ['单位', '人员', '绩效考评']:\n"
          "    assert wb[s].max_row >= 2 and wb[s].cell(2, 1).value, s\n"
          "assert wb['考核'].cell(2, 1).value == '考核年度'\n"
          "assert wb['说明'].max_row > 40\n"
          "print('ok')\n", f);
    fclose(f);
    cr_assert_eq(sh(&out, "/usr/bin/python3 %s %s/t.xlsx", py, dir), 0, "%s", out);
    free(out);
    /* and it reads back as one unit with one person */
    cr_assert_eq(sh(&out, "%s import %s/t.xlsx > /dev/null", kaohe(), dir), 0, "%s", out);
    assert_has(out, "人员 1 行，写出 1 人");
    free(out);
}

/* Bad workbooks: exit 3, a clear message with a stable code, nothing written. */
Test(roster, bad_packages_are_refused_with_their_reason)
{
    static const struct { const char *file, *code, *zh, *en; } cases[] = {
        { "legacy.xls", "ROSTER_XLS", "另存为", "save it as an Excel workbook (.xlsx)" },
        { "encrypted.xlsx", "ROSTER_ENCRYPTED", "密码", "password-protected" },
        { "bomb.xlsx", "ROSTER_ZIP_BOMB", "超出处理上限", "beyond the processing limits" },
        { "corrupt.xlsx", "ROSTER_ZIP_CORRUPT", "已损坏", "corrupt" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out;
        int rc = sh(&out, "%s build -o %s/b data/roster/bad/%s", kaohe(), dir, cases[i].file);
        cr_assert_eq(rc, 3, "%s: %d\n%s", cases[i].file, rc, out);
        assert_has(out, cases[i].code);
        assert_has(out, cases[i].zh);
        free(out);
        rc = sh(&out, "%s import --lang en data/roster/bad/%s", kaohe(), cases[i].file);
        cr_assert_eq(rc, 3);
        assert_has(out, cases[i].en);
        free(out);
    }
    char *out;
    cr_assert_neq(sh(&out, "test -e %s/b", dir), 0, "nothing written for a bad roster");
    free(out);
}

/* Value problems name file, sheet and cell; the good file of the same run
 * still completes, the roster yields nothing (exit 3). */
Test(roster, value_problems_name_the_cell_and_nothing_of_the_roster_is_processed)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd %s && printf '单位代码,单位名称\\nU1,甲单位\\nU1,乙单位\\n' > 单位.csv && "
             "printf '单位代码,单位名称,人员编号,姓名,人员类别,性别,本单位工作月数\\n"
             "U1,甲单位,P1,张三,公务员,男,12\\nU2,丙单位,P2,李四,公务员,男,12\\nU1,乙单位,P3,王五,干部,男,12\\n"
             "U1,甲单位,P1,赵六,公务员,男,13\\n' > 人员.csv", dir);
    char *out;
    cr_assert_eq(sh(&out, "%s", cmd), 0);
    free(out);
    int rc = sh(&out, "%s build --year 2025 -o %s/o %s/单位.csv %s/人员.csv data/valid-small.xml", kaohe(), dir, dir, dir);
    cr_assert_eq(rc, 3, "%d\n%s", rc, out);
    assert_has(out, "单位!A3: 单位代码“U1”重复（已在 单位!A2） [ROSTER_UNIT_TWICE]");
    assert_has(out, "人员!A3: 单位代码“U2”不在“单位”表中 [ROSTER_UNIT_UNKNOWN]");
    assert_has(out, "人员!E4: “人员类别”的值“干部”不在可选值中");
    assert_has(out, "[ROSTER_VALUE_NOT_IN_LIST]");
    assert_has(out, "人员!B4: 单位代码“U1”的单位名称“乙单位”与 单位!B2 的“甲单位”不一致 [ROSTER_UNIT_NAME_CONFLICT]");
    assert_has(out, "人员!G5: “本单位工作月数”的值“13”无效");
    assert_has(out, "人员!C5: 人员编号“P1”重复（已在 人员!C2） [ROSTER_DUPLICATE_ID]");
    assert_has(out, "输入 12 人，results.xml 中 12 人");   /* valid-small only */
    free(out);
    rc = sh(&out, "grep -c 'id=\"P1\"' %s/o/2025/results.xml", dir);
    cr_assert_eq(rc, 1, "nothing of the roster is in the results");
    free(out);
    /* English */
    rc = sh(&out, "%s check --lang en --year 2025 %s/人员.csv", kaohe(), dir);
    cr_assert_eq(rc, 3);
    assert_has(out, "人员!C5: person id 'P1' is repeated (already at 人员!C2) [ROSTER_DUPLICATE_ID]");
    free(out);
}

Test(roster, sheets_and_columns_and_years_are_checked)
{
    char *out;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd %s && printf '单位代码,人员编号,人员类别\\nU1,P1,公务员\\n' > a.csv && printf 'x,y\\n1,2\\n' > b.csv && "
             "printf '单位代码,单位名称,人员编号,姓名,人员类别\\nU1,甲,P1,张三,公务员\\n' > c.csv", dir);
    cr_assert_eq(sh(&out, "%s", cmd), 0);
    free(out);
    cr_assert_eq(sh(&out, "%s import --year 2025 %s/a.csv", kaohe(), dir), 3);
    assert_has(out, "人员!A1: 缺少必填列“姓名”");
    assert_has(out, "[ROSTER_COLUMN_MISSING]");
    free(out);
    cr_assert_eq(sh(&out, "%s import --year 2025 %s/b.csv", kaohe(), dir), 3);
    assert_has(out, "[ROSTER_SHEET_UNKNOWN]");
    free(out);
    cr_assert_eq(sh(&out, "%s import %s/c.csv", kaohe(), dir), 3);
    assert_has(out, "[ROSTER_YEAR_MISSING]");
    free(out);
    cr_assert_eq(sh(&out, "%s import --year 2025 %s/c.csv", kaohe(), dir), 0);
    free(out);
}

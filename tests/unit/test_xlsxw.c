/* Tests of xlsxw's worksheet row limit: a page model longer than a
 * worksheet holds goes on in name(2), name(3), ..., each later part starting
 * with the list heads (its print titles), every row once and in order, and
 * the limit is a parameter (XLSXW_MAX_ROWS by default), so a small one
 * shows the split without a million rows. Read back with openpyxl. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "font.h"
#include "form_fixture.h"
#include "layout.h"
#include "xlsxw.h"
#include "unit_fixture.h"

#define SUMMARY "../templates/forms/summary.xml"
#define EPOCH 1766966400LL

static font_set *FS;
static char *DIR_;
static void setup(void)
{
    sbuf err = {0};
    FS = font_set_open(NULL, &err);
    cr_assert_not_null(FS, "%s", err.data);
    sbuf_free(&err);
    DIR_ = fixture_tmpdir();
    cr_assert_not_null(DIR_);
}
static void teardown(void)
{
    font_set_free(FS);
    fixture_rmdir(DIR_);
    free(DIR_);
}

static char *path_in(const char *name)
{
    sbuf b = {0};
    sbuf_printf(&b, "%s/%s", DIR_, name);
    return b.data;
}

/* Run python3 `script` with arguments args: its stdout (malloc'd), status
 * in *st, stderr in *perr (malloc'd). */
static char *run_py(const char *script, const char *args, int *st, char **perr)
{
    char *py = path_in("check.py");
    FILE *f = fopen(py, "w");
    cr_assert_not_null(f, "%s", py);
    fputs(script, f);
    fclose(f);
    sbuf cmd = {0};
    sbuf_printf(&cmd, "/usr/bin/python3 '%s' %s", py, args);
    char *out = fixture_run(cmd.data, st, perr);
    sbuf_free(&cmd);
    free(py);
    return out;
}

typedef struct kv_pager {
    const tpl_form *t;
    layout_source src;
} kv_pager;

static lo_doc *kv_pager_run(void *ctx, const lo_sink *sink, sbuf *err)
{
    kv_pager *kp = ctx;
    return layout_stream(kp->t, &kp->src, FS, sink, err);
}

/* A summary workbook read back: each worksheet (name, rows, print titles,
 * whether its first row is the list head, its unit ids in order), the
 * totals row's participants cell, each chart sheet and the worksheet its
 * series read; then ALL_UNITS with every id in sheet order. Exits 1 when a
 * worksheet has more rows than argv[2]. */
static const char *PY_SUMMARY =
    "import sys, re, zipfile, openpyxl\n"
    "path, limit = sys.argv[1], int(sys.argv[2])\n"
    "wb = openpyxl.load_workbook(path)\n"
    "ids, spans = [], []\n"
    "for ws in wb.worksheets:\n"
    "    rows = [c.row for c in ws['B'] if isinstance(c.value, str) and re.fullmatch(r'U\\d{5}', c.value)]\n"
    "    own = [ws.cell(r, 2).value for r in rows]\n"
    "    ids += own\n"
    "    spans.append((\"'%s'\" % ws.title, rows[0], rows[-1]) if rows else None)\n"
    "    head = ws['A1'].value == '序号' and ws['B1'].value == '单位代码' and ws['O1'].value == '问题'\n"
    "    print('SHEET', ws.title, 'ROWS', ws.max_row, 'TITLES', ws.print_title_rows, 'HEAD', head,\n"
    "          'UNITS', len(own), 'UNITROWS', rows[0] if rows else '-', rows[-1] if rows else '-')\n"
    "    if ws.max_row > limit: print('OVER', ws.title); sys.exit(1)\n"
    "    for row in ws.iter_rows():\n"
    "        if row[0].value == '合\u3000计':\n"
    "            print('TOTAL', ws.title, repr(row[3].value), repr(row[7].value))\n"
    "            if rows: print('SUM_RANGE', row[3].value == '=SUM(D%d:D%d)' % (rows[0], rows[-1]))\n"
    "for cs in wb.chartsheets: print('CHARTSHEET', cs.title)\n"
    "z = zipfile.ZipFile(path)\n"
    "charts = []\n"
    "for n in sorted((n for n in z.namelist() if re.fullmatch(r'xl/charts/chart\\d+\\.xml', n)), key=lambda n: int(re.sub(r'\\D', '', n))):\n"
    "    x = z.read(n).decode()\n"
    "    refs = set(re.findall(r'<c:f>(.*?)!', x))\n"
    "    rows = [int(r) for ab in re.findall(r'<c:f>[^<]*?\\$(\\d+):\\$[A-Z]+\\$(\\d+)<', x) for r in ab]\n"
    "    charts.append((refs.pop() if len(refs) == 1 else refs, min(rows), max(rows)))\n"
    "print('CHARTS_ON_UNIT_ROWS', charts == [s for s in spans if s], len(charts))\n"
    "print('ALL_UNITS', len(ids), ' '.join(ids))\n";

/* The summary of n units written by the pager (and, when whole, by the
 * whole-document writer too) with at most max_rows rows a sheet: the
 * checker's output (malloc'd), the same for both writers. */
static char *write_summary(size_t n, unsigned long max_rows, bool whole)
{
    sbuf err = {0};
    tpl_form *t = ufx_template(SUMMARY);
    kv_map *m = fixture_summary_data(n, 0);
    kv_pager kp = {t, kv_source(m)};
    lo_pager pager = {kv_pager_run, &kp};
    xlsxw_opts o = {EPOCH, NULL, NULL, max_rows};
    char *x = path_in("paged.xlsx");
    cr_assert(xlsxw_write_pager(&pager, FS, &o, x, &err), "%s", err.data);
    char limit[32];
    snprintf(limit, sizeof limit, "%lu", max_rows ? max_rows : XLSXW_MAX_ROWS);
    sbuf args = {0};
    sbuf_printf(&args, "'%s' %s", x, limit);
    int st;
    char *perr;
    char *out = run_py(PY_SUMMARY, args.data, &st, &perr);
    cr_assert_eq(st, 0, "%s%s", out, perr);
    free(perr);
    if (whole) {
        lo_doc *d = layout_run(t, &kp.src, FS, &err);
        cr_assert_not_null(d, "%s", err.data);
        char *x2 = path_in("whole.xlsx");
        cr_assert(xlsxw_write(d, FS, &o, x2, &err), "%s", err.data);
        sbuf_clear(&args);
        sbuf_printf(&args, "'%s' %s", x2, limit);
        char *out2 = run_py(PY_SUMMARY, args.data, &st, &perr);
        cr_assert_eq(st, 0, "%s%s", out2, perr);
        cr_assert_str_eq(out2, out, "the whole-document writer splits as the pager does");
        free(out2);
        free(perr);
        free(x2);
        lo_doc_free(d);
    }
    sbuf_free(&args);
    free(x);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
    return out;
}

static size_t count_lines(const char *out, const char *prefix)
{
    size_t n = 0, len = strlen(prefix);
    for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, prefix, len)) n++;
    return n;
}

/* 120 units, 50 rows a sheet: 120 unit rows and the title, policy, head,
 * totals and signature rows need at least 3 sheets; every later sheet
 * starts with the head row (the summary repeats it on every page: its chart
 * pages keep it from being print titles); every unit once, in order; the
 * totals are numbers (a SUM over three sheets is no one range); one chart
 * sheet per worksheet, its series on that worksheet's unit rows. */
Test(xlsxw, summary_continues_on_new_sheets_at_the_row_limit, .init = setup, .fini = teardown)
{
    char *out = write_summary(120, 50, true);
    size_t sheets = count_lines(out, "SHEET ");
    cr_assert_geq(sheets, 3, "%s", out);
    cr_assert_not_null(strstr(out, "SHEET 汇总表 "), "%s", out);
    cr_assert_not_null(strstr(out, "SHEET 汇总表(2) "), "%s", out);
    cr_assert_not_null(strstr(out, "SHEET 汇总表(3) "), "%s", out);
    cr_assert_not_null(strstr(out, "SHEET 汇总表 ROWS"), "%s", out);
    char want[64];
    for (size_t k = 2; k <= sheets; k++) {
        snprintf(want, sizeof want, "SHEET 汇总表(%zu) ", k);
        const char *line = strstr(out, want);
        cr_assert_not_null(line, "%s", out);
        const char *eol = strchr(line, '\n');
        char *l = strndup(line, (size_t)(eol - line));
        cr_assert_not_null(strstr(l, "HEAD True"), "sheet %zu does not start with the head: %s", k, l);
        free(l);
    }
    /* every unit exactly once, in order */
    sbuf ids = {0};
    sbuf_puts(&ids, "ALL_UNITS 120");
    for (int i = 1; i <= 120; i++) sbuf_printf(&ids, " U%05d", i);
    sbuf_putc(&ids, '\n');
    cr_assert_not_null(strstr(out, ids.data), "%s", out);
    sbuf_free(&ids);
    /* the totals row on the last sheet: the values, no formula */
    snprintf(want, sizeof want, "TOTAL 汇总表(%zu) 120 ", sheets);
    cr_assert_not_null(strstr(out, want), "%s", out);
    cr_assert_eq(count_lines(out, "CHARTSHEET "), sheets, "%s", out);
    cr_assert_not_null(strstr(out, "CHARTSHEET 图表\n"), "%s", out);
    cr_assert_not_null(strstr(out, "CHARTSHEET 图表(2)\n"), "%s", out);
    char charts[64];
    snprintf(charts, sizeof charts, "CHARTS_ON_UNIT_ROWS True %zu\n", sheets);
    cr_assert_not_null(strstr(out, charts), "%s", out);
    free(out);
}

/* Under the limit (the default) nothing changes: one sheet, the totals as
 * formulas over the unit rows, one chart sheet over them. */
Test(xlsxw, summary_under_the_limit_is_one_sheet, .init = setup, .fini = teardown)
{
    char *out = write_summary(120, 0, false);
    cr_assert_eq(count_lines(out, "SHEET "), 1, "%s", out);
    cr_assert_not_null(strstr(out, "TOTAL 汇总表 '=SUM(D"), "%s", out);
    cr_assert_not_null(strstr(out, "SUM_RANGE True"), "the SUM runs over the unit rows: %s", out);
    cr_assert_eq(count_lines(out, "CHARTSHEET "), 1, "%s", out);
    cr_assert_not_null(strstr(out, "CHARTS_ON_UNIT_ROWS True 1\n"), "%s", out);
    free(out);
}

/* A page with more rows than a sheet may hold cannot be split at a page
 * boundary: the writer fails with XLSX_FAILED and leaves no file. */
Test(xlsxw, page_longer_than_the_limit_fails_cleanly, .init = setup, .fini = teardown)
{
    sbuf err = {0};
    tpl_form *t = ufx_template(SUMMARY);
    kv_map *m = fixture_summary_data(60, 0);
    kv_pager kp = {t, kv_source(m)};
    lo_pager pager = {kv_pager_run, &kp};
    xlsxw_opts o = {EPOCH, NULL, NULL, 10};
    char *x = path_in("short.xlsx");
    cr_assert_not(xlsxw_write_pager(&pager, FS, &o, x, &err));
    cr_assert_not_null(strstr(err.data, "XLSX_FAILED"), "%s", err.data);
    cr_assert_neq(access(x, F_OK), 0, "a failed workbook leaves nothing");
    sbuf_clear(&err);
    lo_doc *d = layout_run(t, &kp.src, FS, &err);
    cr_assert_not(xlsxw_write(d, FS, &o, x, &err));
    cr_assert_not_null(strstr(err.data, "XLSX_FAILED"), "%s", err.data);
    cr_assert_neq(access(x, F_OK), 0);
    lo_doc_free(d);
    free(x);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

/* Parts past (9) keep a long sheet name within Excel's 31 characters and
 * unique: 15 pages of two rows, two rows a sheet. */
Test(xlsxw, many_parts_keep_names_valid, .init = setup, .fini = teardown)
{
    const char *xml =
        "<form xmlns=\"urn:kaohe:form:1\" name=\"long\" sheet=\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十\">"
        "<columns>60 60</columns>"
        "<list source=\"items\"><item><row height=\"120\"><cell>{{a}}</cell><cell>{{b}}</cell></row></item></list>"
        "</form>";
    sbuf err = {0};
    tpl_form *t = ufx_template_mem(xml, strlen(xml), "long.xml");
    kv_map *m = kv_new();
    char key[32], val[32];
    for (int i = 0; i < 30; i++) {
        snprintf(key, sizeof key, "items.%d.a", i);
        snprintf(val, sizeof val, "A%02d", i);
        kv_set(m, key, val);
        snprintf(key, sizeof key, "items.%d.b", i);
        kv_set(m, key, "x");
    }
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, FS, &err);
    cr_assert_not_null(d, "%s", err.data);
    xlsxw_opts o = {EPOCH, NULL, NULL, 2};
    char *x = path_in("long.xlsx");
    cr_assert(xlsxw_write(d, FS, &o, x, &err), "%s", err.data);
    sbuf args = {0};
    sbuf_printf(&args, "'%s'", x);
    int st;
    char *perr;
    char *out = run_py("import sys, openpyxl\n"
                       "wb = openpyxl.load_workbook(sys.argv[1])\n"
                       "names = wb.sheetnames\n"
                       "assert len(set(n.lower() for n in names)) == len(names), names\n"
                       "assert all(len(n) <= 31 for n in names), names\n"
                       "print(len(names), names[1], names[-1])\n"
                       "print(' '.join(c.value for ws in wb.worksheets for c in ws['A'] if c.value))\n",
                       args.data, &st, &perr);
    cr_assert_eq(st, 0, "%s%s", out, perr);
    cr_assert_not_null(strstr(out, "15 一二三四五六七八九十一二三四五六七八九十一二三四五六七八(2) "
                                   "一二三四五六七八九十一二三四五六七八九十一二三四五六七(15)\n"),
                       "%s", out);
    cr_assert_not_null(strstr(out, "A00 A01 A02 A03 A04 A05 A06 A07 A08 A09 A10 A11 A12 A13 A14 A15 A16 A17 A18 "
                                   "A19 A20 A21 A22 A23 A24 A25 A26 A27 A28 A29\n"),
                       "%s", out);
    free(out);
    free(perr);
    sbuf_free(&args);
    free(x);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

/* A list whose heads are print titles (the demo's roster: two head rows
 * repeated on every page): a later part writes the heads once at its top
 * and prints them as its titles; the first part keeps its titles on the
 * heads' original rows; every person once, in order; whole and paged
 * writers agree. */
static const char *PY_ROSTER =
    "import sys, re, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "limit, names = int(sys.argv[2]), []\n"
    "for ws in wb.worksheets:\n"
    "    own = [c.value for c in ws['B'] if isinstance(c.value, str) and re.fullmatch(r'\\D+\\d+', c.value)]\n"
    "    names += own\n"
    "    t = ws.print_title_rows\n"
    "    lo, hi = (int(x) for x in re.findall(r'\\d+', t)) if t else (0, 0)\n"
    "    heads = [ws.cell(lo, 1).value, ws.cell(hi, 1).value, ws.cell(hi, 7).value] if t else []\n"
    "    print('SHEET', ws.title, 'ROWS', ws.max_row, 'TITLES', t, heads, 'PERSONS', len(own))\n"
    "    if ws.max_row > limit: sys.exit(1)\n"
    "print('ALL', ' '.join(names))\n";

static char *roster_check(const char *x, unsigned long limit)
{
    sbuf args = {0};
    sbuf_printf(&args, "'%s' %lu", x, limit);
    int st;
    char *perr;
    char *out = run_py(PY_ROSTER, args.data, &st, &perr);
    cr_assert_eq(st, 0, "%s%s", out, perr);
    free(perr);
    sbuf_free(&args);
    return out;
}

Test(xlsxw, print_titles_start_each_later_sheet, .init = setup, .fini = teardown)
{
    sbuf err = {0};
    tpl_form *t = ufx_template("../templates/forms/demo.xml");
    kv_map *m = fixture_demo_data(200, 100);
    kv_pager kp = {t, kv_source(m)};
    lo_pager pager = {kv_pager_run, &kp};
    xlsxw_opts o = {EPOCH, NULL, NULL, 60};
    char *x = path_in("paged.xlsx"), *x2 = path_in("whole.xlsx");
    cr_assert(xlsxw_write_pager(&pager, FS, &o, x, &err), "%s", err.data);
    lo_doc *d = layout_run(t, &kp.src, FS, &err);
    cr_assert_not_null(d, "%s", err.data);
    cr_assert(xlsxw_write(d, FS, &o, x2, &err), "%s", err.data);
    char *out = roster_check(x, 60), *out2 = roster_check(x2, 60);
    cr_assert_str_eq(out, out2);
    size_t sheets = count_lines(out, "SHEET ");
    cr_assert_geq(sheets, 4, "200 persons and the form's page need 4 sheets of 60 rows: %s", out);
    /* the first sheet prints the originals of the heads as titles */
    cr_assert_not_null(strstr(out, "SHEET 演示 ROWS"), "%s", out);
    const char *first = strstr(out, "SHEET 演示 ROWS");
    cr_assert_not_null(strstr(first, "['XX市财政局人员花名册', '序号', '备注']"), "%s", out);
    char want[64];
    for (size_t k = 2; k <= sheets; k++) {
        snprintf(want, sizeof want, "SHEET 演示(%zu) ", k);
        const char *line = strstr(out, want);
        cr_assert_not_null(line, "%s", out);
        char *l = strndup(line, strcspn(line, "\n"));
        cr_assert_not_null(strstr(l, "TITLES $1:$2 ['XX市财政局人员花名册', '序号', '备注']"),
                           "sheet %zu does not start with the heads as titles: %s", k, l);
        free(l);
    }
    static const char *const names[] = {"李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑十一"};
    sbuf all = {0};
    sbuf_puts(&all, "ALL");
    for (int i = 0; i < 200; i++) sbuf_printf(&all, " %s%d", names[i % 8], i + 1);
    sbuf_putc(&all, '\n');
    cr_assert_not_null(strstr(out, all.data), "every person once, in order: %s", out);
    sbuf_free(&all);
    free(out);
    free(out2);
    free(x);
    free(x2);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

/* Text that a spreadsheet would take for a formula once the cell is edited
 * and entered (= + - @ first, also after spaces or U+3000, and the
 * full-width ＝ ＋ － ＠) is a string cell with the quote prefix; other text
 * and numbers have none. LibreOffice opens it and, saving it again as XLSX,
 * keeps each such cell a string with its text (LibreOffice 7.4 writes no
 * quotePrefix of its own, so the prefix itself is checked on ours only). */
static const char *const QUOTE_CASES[][2] = {
    {"=1+2", "1"}, {"  =A1", "1"}, {"\u3000=A1", "1"}, {"\uFF1D1+2", "1"}, {"\uFF0B1", "1"},
    {"\uFF0D1", "1"}, {"\uFF20x", "1"}, {"+1", "1"}, {"-2", "1"}, {"@SUM(A1)", "1"},
    {"=HYPERLINK(\"http://e.x/\")", "1"}, {"a=b", "0"}, {"1-2", "0"}, {"甲", "0"},
};
#define NQUOTE (sizeof QUOTE_CASES / sizeof QUOTE_CASES[0])

static const char *PY_QUOTE =
    "import sys, openpyxl\n"
    "ws = openpyxl.load_workbook(sys.argv[1]).active\n"
    "for r in range(1, ws.max_row + 1):\n"
    "    a, b = ws.cell(r, 1), ws.cell(r, 2)\n"
    "    q = lambda c: (' %d' % bool(c.quotePrefix)) if sys.argv[2] == 'q' else ''\n"
    "    print('ROW', r, a.data_type + q(a), b.data_type + q(b), repr(b.value), '|' + a.value + '|')\n";

/* The cells of q.xlsx: type, quote prefix (when prefix), text. */
static char *quote_check(const char *x, bool prefix)
{
    sbuf args = {0};
    sbuf_printf(&args, "'%s' %s", x, prefix ? "q" : "-");
    int st;
    char *perr;
    char *out = run_py(PY_QUOTE, args.data, &st, &perr);
    cr_assert_eq(st, 0, "%s%s", out, perr);
    free(perr);
    sbuf_free(&args);
    return out;
}

Test(xlsxw, formula_like_text_has_the_quote_prefix, .init = setup, .fini = teardown)
{
    const char *xml =
        "<form xmlns=\"urn:kaohe:form:1\" name=\"q\" sheet=\"q\"><columns>90 30</columns>"
        "<list source=\"items\"><item><row height=\"8\"><cell>{{v}}</cell><cell>{{n|number}}</cell></row></item></list>"
        "</form>";
    sbuf err = {0};
    tpl_form *t = ufx_template_mem(xml, strlen(xml), "q.xml");
    kv_map *m = kv_new();
    char key[32];
    for (size_t i = 0; i < NQUOTE; i++) {
        snprintf(key, sizeof key, "items.%zu.v", i);
        kv_set(m, key, QUOTE_CASES[i][0]);
        snprintf(key, sizeof key, "items.%zu.n", i);
        kv_set(m, key, "-5");
    }
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, FS, &err);
    cr_assert_not_null(d, "%s", err.data);
    char *x = path_in("q.xlsx");
    cr_assert(xlsxw_write(d, FS, NULL, x, &err), "%s", err.data);
    char *out = quote_check(x, true);
    char want[256];
    for (size_t i = 0; i < NQUOTE; i++) {
        snprintf(want, sizeof want, "ROW %zu s %s n 0 -5 |%s|\n", i + 1, QUOTE_CASES[i][1], QUOTE_CASES[i][0]);
        cr_assert_not_null(strstr(out, want), "want %s in %s", want, out);
    }
    free(out);

    /* LibreOffice: the cells stay strings with their text */
    int st;
    out = fixture_run("command -v soffice", &st, NULL);
    free(out);
    if (st == 0) {
        sbuf cmd = {0};
        sbuf_printf(&cmd, "cd '%s' && HOME='%s' timeout 180 soffice --headless --convert-to xlsx --outdir lo q.xlsx",
                    DIR_, DIR_);
        char *perr;
        out = fixture_run(cmd.data, &st, &perr);
        cr_assert_eq(st, 0, "%s%s", out, perr);
        free(out);
        free(perr);
        char *lo = path_in("lo/q.xlsx");
        out = quote_check(lo, false);
        for (size_t i = 0; i < NQUOTE; i++) {
            snprintf(want, sizeof want, "ROW %zu s n -5 |%s|\n", i + 1, QUOTE_CASES[i][0]);
            cr_assert_not_null(strstr(out, want), "after LibreOffice: want %s in %s", want, out);
        }
        free(out);
        free(lo);
        sbuf_free(&cmd);
    } else {
        cr_log_warn("soffice not installed: LibreOffice check skipped");
    }
    free(x);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

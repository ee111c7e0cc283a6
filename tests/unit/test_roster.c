/* Roster reading (SPEC 2.1) below the command line: xlsxr's dates, cell
 * references, merged cells, rich text and date systems on the fixtures of
 * data/roster/ (written by openpyxl, LibreOffice, libxlsxwriter, and built
 * like Excel and WPS write: make_fixtures.py), csvr's encodings, and
 * roster_convert's cell-level problems. Run from tests/. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "csvr.h"
#include "roster.h"
#include "xlsxr.h"

Test(xlsxr, serial_dates_follow_both_date_systems)
{
    int y, m, d;
    cr_assert(xlsxr_serial_date(1, false, &y, &m, &d));
    cr_assert(y == 1900 && m == 1 && d == 1);
    cr_assert(xlsxr_serial_date(59, false, &y, &m, &d));
    cr_assert(y == 1900 && m == 2 && d == 28);
    /* Excel's 1900-02-29, which never was */
    cr_assert_not(xlsxr_serial_date(60, false, &y, &m, &d));
    cr_assert(xlsxr_serial_date(61, false, &y, &m, &d));
    cr_assert(y == 1900 && m == 3 && d == 1);
    cr_assert(xlsxr_serial_date(45658, false, &y, &m, &d));
    cr_assert(y == 2025 && m == 1 && d == 1, "%d-%d-%d", y, m, d);
    cr_assert(xlsxr_serial_date(45658.75, false, &y, &m, &d));   /* a time of day */
    cr_assert(y == 2025 && m == 1 && d == 1);
    cr_assert(xlsxr_serial_date(0, true, &y, &m, &d));
    cr_assert(y == 1904 && m == 1 && d == 1);
    cr_assert(xlsxr_serial_date(44196, true, &y, &m, &d));
    cr_assert(y == 2025 && m == 1 && d == 1);
    cr_assert_not(xlsxr_serial_date(-1, false, &y, &m, &d));
}

Test(xlsxr, cell_references)
{
    char b[16];
    xlsxr_cell_ref(5, 17, b, sizeof b);
    cr_assert_str_eq(b, "F17");
    xlsxr_cell_ref(26, 3, b, sizeof b);
    cr_assert_str_eq(b, "AA3");
    xlsxr_cell_ref(16383, 1, b, sizeof b);
    cr_assert_str_eq(b, "XFD1");
}

/* Rows of one sheet, flattened to "row:col=text|..." lines. */
typedef struct dump { sbuf s; int rows; } dump;

static int dump_row(void *arg, long row, const xlsxr_cell *cells, int n)
{
    dump *d = arg;
    d->rows++;
    sbuf_printf(&d->s, "%ld:", row);
    for (int i = 0; i < n; i++) {
        char ref[16];
        xlsxr_cell_ref(cells[i].col, row, ref, sizeof ref);
        sbuf_printf(&d->s, "%s=%s%s|", ref, cells[i].text, cells[i].date ? "(date)" : "");
    }
    sbuf_putc(&d->s, '\n');
    return 0;
}

static int sheet_index(xlsxr *x, const char *name)
{
    for (int i = 0; i < xlsxr_sheet_count(x); i++)
        if (!strcmp(xlsxr_sheet_name(x, i), name)) return i;
    return -1;
}

static dump read_sheet(const char *path, const char *sheet, bool *d1904)
{
    xlsxr_error e;
    xlsxr *x = xlsxr_open(path, &e);
    cr_assert(x, "%s: %s %s", path, e.code, e.detail);
    dump d = { { 0 }, 0 };
    int i = sheet_index(x, sheet);
    cr_assert(i >= 0, "%s: no sheet %s", path, sheet);
    cr_assert_eq(xlsxr_read_sheet(x, i, dump_row, &d, &e), 0, "%s", e.code);
    if (d1904) *d1904 = xlsxr_date1904(x);
    xlsxr_close(x);
    return d;
}

Test(xlsxr, openpyxl_merged_cells_hidden_rows_1904_and_sheet_order)
{
    bool d1904 = false;
    dump d = read_sheet("data/roster/openpyxl.xlsx", "人员", &d1904);
    cr_assert(d1904, "openpyxl.xlsx uses the 1904 date system");
    cr_assert_eq(d.rows, 14, "header + 13 persons, the hidden row included");
    /* A2:A9 merged: row 5 (hidden) and row 9 carry U001 and the unit name */
    cr_assert(strstr(d.s.data, "5:A5=U001|B5=某市财政局|C5=P0004|"), "%s", d.s.data);
    cr_assert(strstr(d.s.data, "9:A9=U001|"), "%s", d.s.data);
    cr_assert(strstr(d.s.data, "10:A10=U002|"), "%s", d.s.data);
    cr_assert(strstr(d.s.data, "(date)"), "birth dates are date cells");
    sbuf_free(&d.s);
}

Test(xlsxr, excel_rich_text_and_phonetic_runs)
{
    dump d = read_sheet("data/roster/excel-like.xlsx", "人员", NULL);
    /* 张 (bold run) + 三, without the phonetic guide チョウ */
    cr_assert(strstr(d.s.data, "D2=张三|"), "%s", d.s.data);
    cr_assert_null(strstr(d.s.data, "チョウ"));
    /* t="str": the formula's cached text */
    cr_assert(strstr(d.s.data, "B2=某市财政局|"), "%s", d.s.data);
    /* _x000D_ became a carriage return */
    cr_assert(strstr(d.s.data, "第一行\r\n第二行"), "%s", d.s.data);
    sbuf_free(&d.s);
}

Test(xlsxr, libreoffice_formulas_give_their_cached_values)
{
    dump d = read_sheet("data/roster/libreoffice.xlsx", "人员", NULL);
    cr_assert(strstr(d.s.data, "B2=某市财政局|"), "=单位!B2 cached: %s", d.s.data);
    cr_assert(strstr(d.s.data, "R2=20|"), "=15+5 cached: %s", d.s.data);
    sbuf_free(&d.s);
}

Test(xlsxr, wps_title_row_and_trailing_empty_rows)
{
    dump d = read_sheet("data/roster/wps-like.xlsx", "人员", NULL);
    /* the merged title spans A1:W1 (filled across), 13 persons, no empty rows 30-39 */
    cr_assert_eq(d.rows, 15, "%s", d.s.data);
    cr_assert(strstr(d.s.data, "1:A1=某市2025年度考核人员花名册|B1=某市2025年度考核人员花名册|"));
    cr_assert_null(strstr(d.s.data, "\n30:"));
    sbuf_free(&d.s);
}

static int csv_collect(void *arg, long row, const xlsxr_cell *cells, int n) { return dump_row(arg, row, cells, n); }

Test(csvr, utf8_bom_and_gb18030_are_detected)
{
    dump d = { { 0 }, 0 };
    const char *enc = NULL;
    xlsxr_error e;
    cr_assert_eq(csvr_read("data/roster/csv/人员.csv", csv_collect, &d, &enc, &e), 0, "%s", e.code);
    cr_assert_str_eq(enc, "GB18030");
    cr_assert_eq(d.rows, 14);
    cr_assert(strstr(d.s.data, "第一行\n第二行，“引号”与逗号,"), "a quoted field with a line break: %s", d.s.data);
    sbuf_free(&d.s);
    memset(&d, 0, sizeof d);
    cr_assert_eq(csvr_read("data/roster/csv/单位.csv", csv_collect, &d, &enc, &e), 0);
    cr_assert_str_eq(enc, "UTF-8");
    cr_assert(strstr(d.s.data, "1:A1=单位代码|"), "the BOM is not part of the first header: %s", d.s.data);
    sbuf_free(&d.s);
}

/* --- roster_convert problems --------------------------------------------------- */

static char *convert(char *const *paths, int n, int *rc, char **msgs)
{
    char *out = NULL, *err = NULL;
    size_t lo = 0, le = 0;
    FILE *fo = open_memstream(&out, &lo), *fe = open_memstream(&err, &le);
    roster_opts o = { .year = 2025, .policies_dir = "../templates/policies", .lang = LANG_ZH, .err = fe };
    roster_stats st;
    *rc = roster_convert(paths, n, fo, &o, &st);
    fclose(fo);
    fclose(fe);
    *msgs = err;
    return out;
}

Test(roster, a_number_where_text_belongs_is_named_by_its_cell)
{
    char path[] = "/tmp/kaohe-roster-unit-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "人员");
    static const char *const heads[] = { "单位代码", "单位名称", "人员编号", "姓名", "人员类别", "拟定等次" };
    for (int i = 0; i < 6; i++) worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], NULL);
    worksheet_write_number(ws, 1, 0, 1001, NULL);                /* a numeric unit code is fine */
    worksheet_write_string(ws, 1, 1, "甲单位", NULL);
    worksheet_write_number(ws, 1, 2, 7, NULL);
    worksheet_write_number(ws, 1, 3, 12345, NULL);               /* a name cannot be a number */
    worksheet_write_string(ws, 1, 4, "公务员", NULL);
    worksheet_write_boolean(ws, 1, 5, 1, NULL);                  /* nor a grade a boolean */
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    char *paths[] = { path };
    int rc;
    char *msgs, *out = convert(paths, 1, &rc, &msgs);
    cr_assert_eq(rc, -1);
    cr_assert_str_eq(out, "", "nothing of a bad roster is written");
    cr_assert(strstr(msgs, "人员!D2: “姓名”应填写文字，不能是数字或逻辑值（12345） [ROSTER_NUMBER_FOR_TEXT]"), "%s", msgs);
    cr_assert(strstr(msgs, "人员!F2: “拟定等次”应填写文字"), "%s", msgs);
    cr_assert_null(strstr(msgs, "人员!A2"), "%s", msgs);
    free(out);
    free(msgs);
    unlink(path);
}

Test(roster, clean_fixtures_convert_with_rows_in_equal_to_persons_out)
{
    static const char *const books[] = { "data/roster/openpyxl.xlsx", "data/roster/libreoffice.xlsx",
                                         "data/roster/libxlsxwriter.xlsx", "data/roster/excel-like.xlsx",
                                         "data/roster/wps-like.xlsx" };
    for (size_t i = 0; i < sizeof books / sizeof books[0]; i++) {
        char *paths[] = { (char *)books[i] };
        int rc;
        char *msgs, *out = convert(paths, 1, &rc, &msgs);
        cr_assert_eq(rc, 0, "%s: %s", books[i], msgs);
        int n = 0;
        for (const char *p = out; (p = strstr(p, "<person ")); p++) n++;
        cr_assert_eq(n, 13, "%s", books[i]);
        cr_assert(strstr(out, "<unit id=\"U002\" name=\"某市第一中学\" kind=\"institution\">"), "%s", out);
        cr_assert(strstr(out, "<quota approvedRatio=\"0.25\"/>"), "%s: %s", books[i], out);
        cr_assert(strstr(out, "birth=\"1980-05\""), "%s", books[i]);
        cr_assert(strstr(out, "assignment=\"seconded\""), "%s", books[i]);
        free(out);
        free(msgs);
    }
}

/* A sheet the reader does not know is an error when it holds data (its rows
 * would be lost); an empty one (Excel's Sheet2) and 说明 are passed over. */
Test(roster, an_unknown_sheet_with_data_is_refused_an_empty_one_ignored)
{
    char path[] = "/tmp/kaohe-roster-unit-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    workbook_add_worksheet(wb, "Sheet2");                        /* empty */
    lxw_worksheet *ws = workbook_add_worksheet(wb, "人员");
    static const char *const heads[] = { "单位代码", "单位名称", "人员编号", "姓名", "人员类别" };
    static const char *const row[] = { "U1", "甲单位", "P1", "张三", "公务员" };
    for (int i = 0; i < 5; i++) {
        worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], NULL);
        worksheet_write_string(ws, 1, (lxw_col_t)i, row[i], NULL);
    }
    lxw_worksheet *extra = workbook_add_worksheet(wb, "人员名单");   /* renamed by the officer */
    worksheet_write_string(extra, 0, 0, "姓名", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    char *paths[] = { path };
    int rc;
    char *msgs, *out = convert(paths, 1, &rc, &msgs);
    cr_assert_eq(rc, -1);
    cr_assert(strstr(msgs, "工作表“人员名单”无法识别"), "%s", msgs);
    cr_assert(strstr(msgs, "[ROSTER_SHEET_UNKNOWN]"), "%s", msgs);
    cr_assert_null(strstr(msgs, "Sheet2"), "%s", msgs);
    free(out);
    free(msgs);
    unlink(path);
}

/* Text cells are read by the same typed readers as the attributes they
 * fill (value.c): "+912.5", ".2", "+07", "05", "1" mean what the plain
 * spellings mean, in a roster as in XML. */
Test(roster, text_cells_take_every_spelling_the_schema_takes)
{
    char path[] = "/tmp/kaohe-roster-unit-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *us = workbook_add_worksheet(wb, "单位");
    static const char *const uheads[] = { "单位代码", "单位名称", "绩效考评得分", "核定优秀比例" };
    static const char *const urow[] = { "U1", "甲单位", "+912.5", ".2" };
    for (int i = 0; i < 4; i++) {
        worksheet_write_string(us, 0, (lxw_col_t)i, uheads[i], NULL);
        worksheet_write_string(us, 1, (lxw_col_t)i, urow[i], NULL);
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "人员");
    static const char *const heads[] = { "单位代码", "人员编号", "姓名", "人员类别", "请假月数", "优秀票", "试用期" };
    static const char *const row[] = { "U1", "P1", "张三", "公务员", "+07", "05", "1" };
    for (int i = 0; i < 7; i++) {
        worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], NULL);
        worksheet_write_string(ws, 1, (lxw_col_t)i, row[i], NULL);
    }
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    char *paths[] = { path };
    int rc;
    char *msgs, *out = convert(paths, 1, &rc, &msgs);
    cr_assert_eq(rc, 0, "%s", msgs);
    cr_assert(strstr(out, "score=\"912.5\""), "%s", out);
    cr_assert(strstr(out, "approvedRatio=\"0.2\""), "%s", out);
    cr_assert(strstr(out, "leaveMonths=\"7\""), "%s", out);
    cr_assert(strstr(out, "excellent=\"5\""), "%s", out);
    cr_assert(strstr(out, "probation=\"true\""), "%s", out);
    free(out);
    free(msgs);
    unlink(path);
}

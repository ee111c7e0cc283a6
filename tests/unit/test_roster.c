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
#include "ingest.h"
#include "roster.h"
#include "rosterw.h"
#include "sample.h"
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

/* --- one sheet written as raw SpreadsheetML ------------------------------------ */

#include <zip.h>

static void zip_put(zipFile z, const char *name, const char *data, size_t len)
{
    zip_fileinfo fi;
    memset(&fi, 0, sizeof fi);
    cr_assert_eq(zipOpenNewFileInZip(z, name, &fi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6), ZIP_OK);
    cr_assert_eq(zipWriteInFileInZip(z, data, (unsigned)len), ZIP_OK);
    cr_assert_eq(zipCloseFileInZip(z), ZIP_OK);
}

/* The sheet part deflated here and stored raw with its CRC-32, or with a
 * wrong one (`right_crc` false): a part whose bytes inflate but do not match. */
static void zip_put_crc(zipFile z, const char *name, const char *data, size_t len, bool right_crc)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    cr_assert_eq(deflateInit2(&zs, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)len);
    unsigned char *out = malloc(cap);
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t clen = cap - zs.avail_out;
    deflateEnd(&zs);
    uLong crc = crc32(0L, (const Bytef *)data, (uInt)len);
    zip_fileinfo fi;
    memset(&fi, 0, sizeof fi);
    cr_assert_eq(zipOpenNewFileInZip2(z, name, &fi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6, 1), ZIP_OK);
    cr_assert_eq(zipWriteInFileInZip(z, out, (unsigned)clen), ZIP_OK);
    cr_assert_eq(zipCloseFileInZipRaw(z, (uLong)len, right_crc ? crc : crc ^ 1), ZIP_OK);
    free(out);
}

typedef enum { CRC_BY_MINIZIP, CRC_RIGHT, CRC_WRONG } crc_mode;

/* A workbook of one sheet "S" whose sheet part is `sheet` as given. */
static void write_raw_workbook_crc(const char *path, const char *sheet, size_t len, crc_mode crc)
{
    static const char types[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
    static const char rels[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    static const char wb[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char wbrels[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
    zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
    cr_assert(z, "%s", path);
    zip_put(z, "[Content_Types].xml", types, strlen(types));
    zip_put(z, "_rels/.rels", rels, strlen(rels));
    zip_put(z, "xl/workbook.xml", wb, strlen(wb));
    zip_put(z, "xl/_rels/workbook.xml.rels", wbrels, strlen(wbrels));
    if (crc == CRC_BY_MINIZIP) zip_put(z, "xl/worksheets/sheet1.xml", sheet, len);
    else zip_put_crc(z, "xl/worksheets/sheet1.xml", sheet, len, crc == CRC_RIGHT);
    cr_assert_eq(zipClose(z, NULL), ZIP_OK);
}

#define SHEET_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"

/* Read sheet "S" of a raw workbook; returns xlsxr_read_sheet's value. */
static int read_raw_crc(const char *sheet, size_t len, crc_mode crc, xlsxr_row_fn fn, void *arg, xlsxr_error *e)
{
    char path[] = "/tmp/kaohe-xlsxr-unit-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    unlink(path);
    write_raw_workbook_crc(path, sheet, len, crc);
    xlsxr *x = xlsxr_open(path, e);
    cr_assert(x, "%s %s", e->code, e->detail);
    int rc = xlsxr_read_sheet(x, 0, fn, arg, e);
    xlsxr_close(x);
    unlink(path);
    return rc;
}

static int read_raw(const char *sheet, size_t len, xlsxr_row_fn fn, void *arg, xlsxr_error *e)
{
    return read_raw_crc(sheet, len, CRC_BY_MINIZIP, fn, arg, e);
}

typedef struct typed { dump d; double num[16]; int type[16], n; } typed;

static int typed_row(void *arg, long row, const xlsxr_cell *cells, int n)
{
    typed *t = arg;
    dump_row(&t->d, row, cells, n);
    for (int i = 0; i < n && t->n < 16; i++) {
        t->num[t->n] = cells[i].num;
        t->type[t->n++] = cells[i].type;
    }
    return 0;
}

/* Every cell type a writer may use, numbers as strtod reads them (plain
 * digits take a shorter path), cells and rows without references. */
Test(xlsxr, cell_types_and_numbers)
{
    static const char sheet[] = SHEET_HEAD
        "<row r=\"2\"><c r=\"A2\"><v>12</v></c><c r=\"B2\" t=\"\"><v>0012</v></c><c r=\"C2\" t=\"n\"><v>12.5</v></c>"
        "<c r=\"D2\"><v>1e3</v></c><c r=\"E2\"><v>-3</v></c><c r=\"F2\"><v>123456789012345678</v></c>"
        "<c r=\"G2\" t=\"b\"><v>true</v></c><c r=\"H2\" t=\"e\"><v>#N/A</v></c><c r=\"I2\" t=\"d\"><v>2025-01-02</v></c>"
        "<c r=\"J2\" t=\"str\"></c><c r=\"K2\" s=\"0\"/><c r=\"L2\" t=\"inlineStr\"><is><t>a_x000D_b</t></is></c>"
        "<c><v>5</v></c></row><row><c r=\"A3\"><v>7</v></c></row></sheetData></worksheet>";
    typed t = { { { 0 }, 0 }, { 0 }, { 0 }, 0 };
    xlsxr_error e;
    cr_assert_eq(read_raw(sheet, sizeof sheet - 1, typed_row, &t, &e), 0, "%s", e.code);
    cr_assert_str_eq(t.d.s.data, "2:A2=12|B2=0012|C2=12.5|D2=1e3|E2=-3|F2=123456789012345678|G2=true|H2=#N/A|"
                               "I2=2025-01-02|J2=|L2=a\rb|M2=5|\n3:A3=7|\n");
    static const double want[] = { 12, 12, 12.5, 1000, -3, 123456789012345678.0, 1 };
    for (int i = 0; i < 7; i++) {
        cr_assert_eq(t.type[i], i == 6 ? XC_BOOL : XC_NUMBER, "cell %d", i);
        cr_assert(t.num[i] == want[i], "cell %d: %.17g", i, t.num[i]);
    }
    cr_assert_eq(t.type[7], XC_ERROR);
    cr_assert_eq(t.type[8], XC_STRING);
    cr_assert_eq(t.type[9], XC_STRING, "t=\"str\" without text is a cell");
    cr_assert(t.num[11] == 5 && t.type[11] == XC_NUMBER);
    sbuf_free(&t.d.s);
}

typedef struct merged_check { long rows, bad; dump first_bad; } merged_check;

/* Column B of row r must read "单位" + (r - 2) / 100 (merged down each block
 * of 100 rows); column D of row 6 is claimed by two ranges. */
static int merged_row(void *arg, long row, const xlsxr_cell *cells, int n)
{
    merged_check *m = arg;
    m->rows++;
    char want[32];
    snprintf(want, sizeof want, "单位%ld", (row - 2) / 100);
    bool ok = n >= 2 && cells[1].col == 1 && !strcmp(cells[1].text, want);
    if (row == 6) ok = ok && n >= 4 && cells[3].col == 3 && !strcmp(cells[3].text, "second");
    if (!ok && !m->bad++) {
        dump_row(&m->first_bad, row, cells, n);
    }
    return 0;
}

/* The merged ranges come after the rows; the rows wait for them, in memory
 * and then (past 4 MB) in a temp file, and each gets its range's value,
 * the first listed range winning a cell two ranges claim. */
Test(xlsxr, rows_wait_for_the_merged_ranges_listed_after_them)
{
    const long rows = 40000;
    sbuf s = { 0 };
    sbuf_puts(&s, SHEET_HEAD);
    for (long r = 2; r < rows + 2; r++) {
        sbuf_printf(&s, "<row r=\"%ld\"><c r=\"A%ld\" t=\"inlineStr\"><is><t>P%06ld-%s</t></is></c>", r, r, r,
                    "padding-padding-padding-padding-padding-padding-padding-padding-padding");
        if ((r - 2) % 100 == 0) sbuf_printf(&s, "<c r=\"B%ld\" t=\"inlineStr\"><is><t>单位%ld</t></is></c>", r, (r - 2) / 100);
        else sbuf_printf(&s, "<c r=\"B%ld\" s=\"1\"/>", r);
        if (r == 5) sbuf_puts(&s, "<c r=\"D5\" t=\"inlineStr\"><is><t>first</t></is></c>");
        if (r == 6) sbuf_puts(&s, "<c r=\"C6\" t=\"inlineStr\"><is><t>second</t></is></c>");
        sbuf_puts(&s, "</row>");
    }
    sbuf_printf(&s, "</sheetData><mergeCells count=\"%ld\"><mergeCell ref=\"C6:D6\"/><mergeCell ref=\"D5:D6\"/>", rows / 100 + 2);
    for (long b = 0; b < rows / 100; b++) sbuf_printf(&s, "<mergeCell ref=\"B%ld:B%ld\"/>", b * 100 + 2, b * 100 + 101);
    sbuf_puts(&s, "</mergeCells></worksheet>");
    merged_check m = { 0, 0, { { 0 }, 0 } };
    xlsxr_error e;
    cr_assert_eq(read_raw(s.data, s.len, merged_row, &m, &e), 0, "%s", e.code);
    cr_assert_eq(m.rows, rows);
    cr_assert_eq(m.bad, 0, "%ld rows without their merged value, first: %s", m.bad, m.first_bad.s.data);
    sbuf_free(&s);
    sbuf_free(&m.first_bad.s);
}

/* A sheet part that is not well-formed after its rows is a corrupt
 * workbook, wherever the fault lies (the rows are then not handed over). */
Test(xlsxr, a_fault_after_the_rows_is_a_corrupt_workbook)
{
    sbuf s = { 0 };
    sbuf_puts(&s, SHEET_HEAD);
    for (long r = 1; r <= 5000; r++) sbuf_printf(&s, "<row r=\"%ld\"><c r=\"A%ld\"><v>%ld</v></c></row>", r, r, r);
    sbuf_puts(&s, "</sheetData><dataValidations>");
    for (int i = 0; i < 3000; i++) sbuf_puts(&s, "<dataValidation sqref=\"A1\"/>");
    sbuf_puts(&s, "</dataValidations><mergeCells><mergeCell ref=\"A1:B1\"></mergeCells></worksheet>");
    cr_assert_gt(s.len - (size_t)(strstr(s.data, "</sheetData>") - s.data), 70000, "the fault lies far after the rows");
    dump d = { { 0 }, 0 };
    xlsxr_error e;
    cr_assert_eq(read_raw(s.data, s.len, dump_row, &d, &e), -1);
    cr_assert_str_eq(e.code, "ROSTER_ZIP_CORRUPT");
    cr_assert_eq(d.rows, 0);
    sbuf_free(&s);
    sbuf_free(&d.s);
}

/* A sheet is inflated on a thread of its own, a few blocks ahead of the
 * parser. Over a part many blocks long: every row arrives, in order; a part
 * whose bytes do not match its CRC is refused after the parse has read it
 * all; a part the parser gives up on early (a fault in its first row, the
 * inflater then blocks ahead) is refused without hanging, its rest still
 * inflated. No row is handed over from a refused part. */
Test(xlsxr, a_sheet_inflated_alongside_the_parse_is_checked_to_its_end)
{
    const long rows = 30000;
    sbuf s = { 0 };
    sbuf_puts(&s, SHEET_HEAD);
    for (long r = 1; r <= rows; r++)
        sbuf_printf(&s, "<row r=\"%ld\"><c r=\"A%ld\" t=\"inlineStr\"><is><t>row %ld of the sheet</t></is></c></row>", r, r, r);
    sbuf_puts(&s, "</sheetData></worksheet>");
    cr_assert_gt(s.len, 2u << 20, "many blocks of the inflater");
    dump d = { { 0 }, 0 };
    xlsxr_error e;
    cr_assert_eq(read_raw_crc(s.data, s.len, CRC_RIGHT, dump_row, &d, &e), 0, "%s %s", e.code, e.detail);
    cr_assert_eq(d.rows, rows);
    char last[64];
    snprintf(last, sizeof last, "\n%ld:A%ld=row %ld of the sheet|\n", rows, rows, rows);
    cr_assert(strstr(d.s.data, "1:A1=row 1 of the sheet|\n2:A2=row 2 of the sheet|\n"));
    cr_assert(strstr(d.s.data, last), "the last row, in its place");
    sbuf_free(&d.s);

    memset(&d, 0, sizeof d);
    cr_assert_eq(read_raw_crc(s.data, s.len, CRC_WRONG, dump_row, &d, &e), -1);
    cr_assert_str_eq(e.code, "ROSTER_ZIP_CORRUPT");
    cr_assert_eq(d.rows, 0);
    sbuf_free(&d.s);

    char *fault = strstr(s.data, "</c></row>");   /* the first row's end tags swapped */
    memcpy(fault, "</row></c>", 10);
    memset(&d, 0, sizeof d);
    cr_assert_eq(read_raw_crc(s.data, s.len, CRC_RIGHT, dump_row, &d, &e), -1);
    cr_assert_str_eq(e.code, "ROSTER_ZIP_CORRUPT");
    cr_assert_eq(d.rows, 0);
    sbuf_free(&d.s);
    sbuf_free(&s);
}

/* Checks on text that take shortcuts (control characters looked for eight
 * bytes at a time, code points counted only when the bytes could pass the
 * limit, dates formatted by hand) reach the same verdicts wherever the
 * bytes fall. */
Test(roster, text_checks_hold_wherever_the_bytes_fall)
{
    char path[] = "/tmp/kaohe-roster-unit-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    sbuf cjk200 = { 0 }, cjk201 = { 0 };
    for (int i = 0; i < 200; i++) sbuf_puts(&cjk200, "财");
    sbuf_puts(&cjk201, cjk200.data);
    sbuf_puts(&cjk201, "政");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "人员");
    static const char *const heads[] = { "单位代码", "单位名称", "人员编号", "姓名", "人员类别", "从事或分管工作",
                                         "主管领导评语", "出生年月", "历年等次" };
    for (int i = 0; i < 9; i++) worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], NULL);
    const char *rows[][9] = {
        { "U1", "甲单位", "P1", "张三", "公务员", "负责\t预算\n编制", "第一行\n第二行", "1980.5", "2024优秀；2023称职" },
        { "U1", "甲单位", "P2", "李四", "公务员", cjk200.data, "好", "1980年5月", "" },
        { "U1", "甲单位", "P3", "王五", "公务员", cjk201.data, "好", "198005", "" },
        { "U1", "甲单位", "P4", "赵六", "公务员", "负责", "0123456789012345\x01tail", "1980-05", "" },
        { "U1", "甲单位", "P5", "钱七", "公务员", "负责预算编制工作\x1f", "好", "1980-05", "" },
    };
    for (int r = 0; r < 5; r++)
        for (int i = 0; i < 9; i++)
            if (rows[r][i][0]) worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)i, rows[r][i], NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    char *paths[] = { path };
    int rc;
    char *msgs, *out = convert(paths, 1, &rc, &msgs);
    cr_assert_eq(rc, -1);
    cr_assert(strstr(msgs, "人员!F4: “从事或分管工作”的值"), "201 characters: %s", msgs);
    cr_assert(strstr(msgs, "超过 200 字"), "%s", msgs);
    cr_assert_null(strstr(msgs, "人员!F3"), "200 characters are fine: %s", msgs);
    cr_assert(strstr(msgs, "人员!G5: “主管领导评语”的值"), "a control character at byte 16: %s", msgs);
    cr_assert(strstr(msgs, "人员!F6: “从事或分管工作”的值"), "a control character at the end: %s", msgs);
    cr_assert_null(strstr(msgs, "人员!F2"), "tabs and line breaks are no control characters: %s", msgs);
    free(out);
    free(msgs);
    /* the clean rows alone */
    wb = workbook_new(path);
    ws = workbook_add_worksheet(wb, "人员");
    for (int i = 0; i < 9; i++) worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], NULL);
    for (int r = 0; r < 2; r++)
        for (int i = 0; i < 9; i++)
            if (rows[r][i][0]) worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)i, rows[r][i], NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    out = convert(paths, 1, &rc, &msgs);
    cr_assert_eq(rc, 0, "%s", msgs);
    cr_assert(strstr(out, "duty=\"负责 预算 编制\""), "%s", out);
    cr_assert(strstr(out, "comment=\"第一行&#10;第二行\""), "%s", out);
    cr_assert(strstr(out, "birth=\"1980-05\""), "%s", out);
    cr_assert(strstr(out, "<history><year value=\"2024\" grade=\"excellent\"/><year value=\"2023\" grade=\"competent\"/></history>"), "%s", out);
    sbuf s = { 0 };
    sbuf_printf(&s, "duty=\"%s\"", cjk200.data);
    cr_assert(strstr(out, s.data), "%s", out);
    sbuf_free(&s);
    free(out);
    free(msgs);
    sbuf_free(&cjk200);
    sbuf_free(&cjk201);
    unlink(path);
}

/* A value repeated down a column is taken as converted once, but only what
 * converted cleanly: the same wrong value on two rows is named at both
 * cells; a value after a wrong one, a number after the same text, and a
 * date-styled number after the same plain number are each converted anew. */
Test(roster, a_repeated_value_is_checked_on_every_row)
{
    char path[] = "/tmp/kaohe-roster-unit-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "人员");
    static const char *const heads[] = { "单位代码", "单位名称", "人员编号", "姓名", "人员类别", "性别", "出生年月", "请假月数" };
    for (int i = 0; i < 8; i++) worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], NULL);
    static const char *const gender[] = { "男", "中", "中", "男", "女", "女" };
    for (int r = 1; r <= 6; r++) {
        char id[16];
        snprintf(id, sizeof id, "P%d", r);
        worksheet_write_string(ws, (lxw_row_t)r, 0, "U1", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 1, "甲单位", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 2, id, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 3, "张三", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 4, "公务员", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 5, gender[r - 1], NULL);
    }
    worksheet_write_number(ws, 5, 6, 29000, date);     /* a serial date: 1979-05 */
    worksheet_write_number(ws, 6, 6, 29000, NULL);     /* the same number unstyled: not a year-month */
    worksheet_write_string(ws, 5, 7, "3", NULL);       /* text "3", then the number 3: both fine */
    worksheet_write_number(ws, 6, 7, 3, NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    char *paths[] = { path };
    int rc;
    char *msgs, *out = convert(paths, 1, &rc, &msgs);
    cr_assert_eq(rc, -1);
    cr_assert(strstr(msgs, "人员!F3: "), "%s", msgs);
    cr_assert(strstr(msgs, "人员!F4: "), "the same wrong value again: %s", msgs);
    cr_assert_null(strstr(msgs, "人员!F5"), "%s", msgs);
    cr_assert_null(strstr(msgs, "人员!G6"), "the date-styled number is a year-month: %s", msgs);
    cr_assert(strstr(msgs, "人员!G7: "), "%s", msgs);
    cr_assert_null(strstr(msgs, "人员!H"), "%s", msgs);
    free(out);
    free(msgs);
    unlink(path);
}

/* How often `needle` occurs in s. */
static long occurrences(const char *s, const char *needle)
{
    long n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* A roster whose sheet would need more rows than a worksheet holds is not
 * written at all, with ROSTER_TOO_MANY_ROWS naming the sheet (it used to
 * lose the rows past Excel's 1,048,576 without a word). The limit is
 * lowered through max_rows; at exactly the rows needed the roster is
 * written whole and reads back person for person. */
Test(rosterw, a_sheet_past_the_row_limit_fails_the_roster)
{
    char xml[] = "/tmp/kaohe-rosterw-unit-XXXXXX.xml";
    int fd = mkstemps(xml, 4);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    sample_opts so = { .units = 3, .persons = 40, .seed = 7, .year = 2025, .policy = NULL };
    cr_assert_eq(sample_write(f, &so), 0);
    cr_assert_eq(fclose(f), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *in = fopen(xml, "rb");
    cr_assert(in);
    cr_assert_eq(getdelim(&text, &len, '\0', in) > 0, true);
    fclose(in);
    /* data rows each sheet takes; the largest decides the limit */
    const long need[] = { occurrences(text, "<unit "), occurrences(text, "<person "), occurrences(text, "<item ") };
    int big = 0;
    for (int i = 1; i < 3; i++)
        if (need[i] > need[big]) big = i;
    cr_assert_eq(need[1], 40);
    cr_assert_eq(big, 1, "the persons take the most rows (%ld %ld %ld)", need[0], need[1], need[2]);
    free(text);

    char e[512];
    ingest_schema *schema = ingest_schema_load("../templates/appraisal.xsd", e, sizeof e);
    cr_assert(schema, "%s", e);
    char book[] = "/tmp/kaohe-rosterw-unit-XXXXXX.xlsx";
    fd = mkstemps(book, 5);
    cr_assert(fd >= 0);
    close(fd);
    unlink(book);
    for (int lang = 0; lang < 2; lang++) {
        sbuf err = { 0 };
        int rc = rosterw_write(book, xml, schema, 1766966400LL, need[1], (msg_lang)lang, &err);
        cr_assert_eq(rc, 3, "one row short (header + %ld persons in %ld rows)", need[1], need[1]);
        cr_assert(err.data && strstr(err.data, "[ROSTER_TOO_MANY_ROWS]"), "%s", err.data ? err.data : "");
        cr_assert(strstr(err.data, lang == LANG_ZH ? "“人员”表需要 41 行" : "sheet “人员” would need 41 rows"), "%s", err.data);
        cr_assert(strstr(err.data, lang == LANG_ZH ? "上限 40 行" : "holds (40)"), "%s", err.data);
        cr_assert_neq(access(book, F_OK), 0, "no workbook is left behind");
        sbuf_free(&err);
    }
    sbuf err = { 0 };
    cr_assert_eq(rosterw_write(book, xml, schema, 1766966400LL, need[1] + 1, LANG_ZH, &err), 0, "%s",
                 err.data ? err.data : "");
    sbuf_free(&err);
    char *paths[] = { book };
    int rc;
    char *msgs, *out = convert(paths, 1, &rc, &msgs);
    cr_assert_eq(rc, 0, "%s", msgs);
    cr_assert_eq(occurrences(out, "<person "), need[1]);
    cr_assert_eq(occurrences(out, "<unit "), need[0]);
    free(out);
    free(msgs);
    ingest_schema_free(schema);
    unlink(book);
    unlink(xml);
}

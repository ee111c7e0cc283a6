/* Tests of both writers on the demo form: PDF text, fonts, structure, size
 * and determinism; XLSX values, merges, types, validation and determinism;
 * LibreOffice opens the XLSX (when installed). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hb.h>

#include "unit_fixture.h"
#include "font.h"
#include "form_fixture.h"
#include "layout.h"
#include "pdfw.h"
#include "xlsxw.h"

#define DEMO "../templates/forms/demo.xml"
#define EPOCH 1766966400LL

static writer_fixture W;
static void setup(void) { wfx_open(&W); }
static void teardown(void) { wfx_close(&W); }

/* Write `script` (then `extra`, if any) to W.dir/name and run it with
 * Debian's python3 (openpyxl) on `arg`: its stdout, exit status in *st and
 * stderr in *perr (both malloc'd, the caller frees them). */
static char *run_py(const char *name, const char *script, const char *extra, const char *arg,
                    int *st, char **perr)
{
    char *py = wfx_path(&W, name);
    FILE *f = fopen(py, "w");
    cr_assert_not_null(f, "%s", py);
    fputs(script, f);
    if (extra) fputs(extra, f);
    fclose(f);
    sbuf cmd = {0};
    sbuf_printf(&cmd, "/usr/bin/python3 '%s' '%s'", py, arg);
    char *out = fixture_run(cmd.data, st, perr);
    sbuf_free(&cmd);
    free(py);
    return out;
}

static lo_doc *demo_doc(kv_map **m_out, size_t npersons, size_t summary)
{
    sbuf err = {0};
    tpl_form *t = ufx_template(DEMO);
    cr_assert_not_null(t, "%s", err.data);
    kv_map *m = fixture_demo_data(npersons, summary);
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, W.fs, &err);
    cr_assert_not_null(d, "%s", err.data);
    tpl_free(t);
    sbuf_free(&err);
    *m_out = m;
    return d;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    sbuf b = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) sbuf_add(&b, buf, n);
    fclose(f);
    *len = b.len;
    return b.data;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Bound values of the demo data as printed. */
static const char *const PRINTED[] = {
    "XX市财政局年度考核演示表", "（2025年度）", "张三", "男", "1980年5月", "汉族", "中共党员",
    "大学本科", "XX市财政局一级科员", "2019年3月", "92.50", "20%", "优秀",
    "该同志工作认真负责，成绩突出，同意评为优秀等次。", "2026年1月20日",
    "XX市财政局人员花名册", "办公室副主任（主持工作）兼财务科科长", "=SUM(A1:A2)不是公式",
    "第1页共4页", "XX市财政局年度考核",
};

Test(writers, pdf_text_fonts_structure, .init = setup, .fini = teardown)
{
    kv_map *m;
    lo_doc *d = demo_doc(&m, 45, 1500);
    char *pdf = wfx_path(&W, "demo.pdf");
    sbuf err = {0};
    pdfw_opts o = {NULL, NULL, EPOCH, false, NULL, false};
    cr_assert(pdfw_write(d, W.fs, &o, pdf, &err), "%s", err.data);
    cr_assert_eq(d->npages, 4, "form, 续页, two roster pages");

    /* text: every bound value, exactly (whitespace aside: lines are broken) */
    sbuf cmd = {0};
    int st;
    char *perr;
    sbuf_printf(&cmd, "pdftotext -enc UTF-8 '%s' -", pdf);
    char *txt = fixture_run(cmd.data, &st, &perr);
    cr_assert_eq(st, 0);
    cr_assert_str_eq(perr, "", "poppler printed: %s", perr);
    fixture_squeeze(txt);
    for (size_t i = 0; i < sizeof PRINTED / sizeof PRINTED[0]; i++) {
        char *want = fixture_squeeze(strdup(PRINTED[i]));
        cr_assert_not_null(strstr(txt, want), "pdftotext lacks %s", PRINTED[i]);
        free(want);
    }
    for (size_t i = 0; i < 45; i++) {
        char key[64];
        snprintf(key, sizeof key, "persons.%zu.name", i);
        cr_assert_not_null(strstr(txt, kv_get(m, key)));
    }
    /* the summary, whole, across the form and its 续页 */
    char *sum = fixture_squeeze(strdup(kv_get(m, "person.summary")));
    char *mark = strstr(txt, "（转续页）");
    cr_assert_not_null(mark);
    char *after_title = strstr(txt, "个人总结（续页）——张三");   /* the field and whose */
    cr_assert_not_null(after_title);
    sbuf joined = {0};
    char *start = strstr(txt, "本年度");
    sbuf_add(&joined, start, (size_t)(mark - start));
    after_title += strlen("个人总结（续页）——张三");
    char *end = strstr(after_title, "第2页共4页");   /* the footer follows the box */
    cr_assert_not_null(end);
    char *header = strstr(after_title, "XX市财政局年度考核");
    if (header && header < end) end = header;
    sbuf_add(&joined, after_title, (size_t)(end - after_title));
    cr_assert_str_eq(joined.data, sum);
    free(sum);
    sbuf_free(&joined);
    free(txt);
    free(perr);

    /* fonts: all embedded subsets with ToUnicode */
    sbuf_clear(&cmd);
    sbuf_printf(&cmd, "pdffonts '%s'", pdf);
    char *fonts = fixture_run(cmd.data, &st, &perr);
    cr_assert_eq(st, 0);
    cr_assert_str_eq(perr, "");
    int nfonts = 0;
    for (char *line = strtok(fonts, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "name", 4) || !strncmp(line, "----", 4)) continue;
        nfonts++;
        cr_assert(strstr(line, "CID TrueType"), "%s", line);
        cr_assert(strstr(line, " yes yes yes "), "embedded, subset, unicode: %s", line);
        cr_assert_eq(line[6], '+', "subset tag: %s", line);
    }
    cr_assert_eq(nfonts, 3, "song, hei, kai (fang unused)");
    free(fonts);
    free(perr);

    /* qpdf finds nothing */
    sbuf_clear(&cmd);
    sbuf_printf(&cmd, "qpdf --check '%s'", pdf);
    char *q = fixture_run(cmd.data, &st, &perr);
    cr_assert_eq(st, 0, "qpdf: %s %s", q, perr);
    cr_assert_str_eq(perr, "");
    cr_assert(strstr(q, "No syntax or stream encoding errors"));
    free(q);
    free(perr);

    /* rendering prints no warning either */
    sbuf_clear(&cmd);
    sbuf_printf(&cmd, "pdftoppm -r 20 -png '%s' '%s/pg'", pdf, W.dir);
    q = fixture_run(cmd.data, &st, &perr);
    cr_assert_eq(st, 0);
    cr_assert_str_eq(perr, "", "%s", perr);
    free(q);
    free(perr);

    /* deterministic: same input, same bytes */
    char *pdf2 = wfx_path(&W, "demo2.pdf");
    cr_assert(pdfw_write(d, W.fs, &o, pdf2, &err), "%s", err.data);
    size_t l1, l2;
    char *b1 = slurp(pdf, &l1), *b2 = slurp(pdf2, &l2);
    cr_assert_eq(l1, l2);
    cr_assert_eq(memcmp(b1, b2, l1), 0, "byte-identical PDFs");
    cr_assert_not_null(memmem(b1, l1, "/ID [<", 6));
    cr_assert_null(memmem(b1, l1, "begincidrange", 13), "libharu's broken ToUnicode replaced");
    free(b1);
    free(b2);
    free(pdf2);
    sbuf_free(&cmd);
    sbuf_free(&err);
    free(pdf);
    lo_doc_free(d);
    kv_free(m);
}

Test(writers, pdf_600_distinct_characters_overhead_beyond_font_under_30k, .init = setup, .fini = teardown)
{
    /* one page: a single box filled with 600 distinct ideographs, 560 of
     * the song face and 40 rare ones of Extension B (beyond U+FFFF, from a
     * fallback face), as a register with rare names has them */
    const char *xml =
        "<form xmlns=\"urn:kaohe:form:1\" name=\"dense\" margins=\"15\">"
        "<columns>180</columns>"
        "<row height=\"20\"><cell font=\"hei\" size=\"16\">{{title}}</cell></row>"
        "<row height=\"240\"><cell align=\"left\" valign=\"top\" size=\"11\" min-size=\"8\">{{text}}</cell></row>"
        "</form>";
    sbuf err = {0};
    tpl_form *t = ufx_template_mem(xml, strlen(xml), "dense.xml");
    cr_assert_not_null(t, "%s", err.data);
    sbuf text = {0};
    size_t n = 0;
    for (uint32_t cp = 0x4E00; n < 600; cp += 7) {
        if (n == 560) cp = 0x20000 + (cp - 0x4E00) % 97;   /* on to Extension B */
        if (n < 560 ? !font_own_face_has(W.fs, FONT_SONG, cp) : !font_has(W.fs, FONT_SONG, cp)) continue;
        char u[4];
        sbuf_add(&text, u, text_utf8_encode(cp, u));
        if (++n % 40 == 0) sbuf_puts(&text, "。");
    }
    kv_map *m = kv_new();
    kv_set(m, "title", "六百个不同汉字的单页表格");
    kv_set(m, "text", text.data);
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, W.fs, &err);
    cr_assert_eq(d->npages, 1);
    char *pdf = wfx_path(&W, "dense.pdf");
    pdfw_opts o = {NULL, NULL, EPOCH, false, NULL, false};
    cr_assert(pdfw_write(d, W.fs, &o, pdf, &err), "%s", err.data);
    long size = file_size(pdf);
    /* the embedded font programs (FontFile2 streams) against everything else */
    sbuf fc = {0};
    sbuf_printf(&fc, "/usr/bin/python3 -c \"import re,sys; d=open('%s','rb').read(); "
                     "print(sum(d.find(b'endstream',m.end())-m.end() for m in re.finditer(rb'/Length1 [^>]*>>\\\\s*stream\\\\r?\\\\n',d)))\"", pdf);
    int fst;
    char *fout = fixture_run(fc.data, &fst, NULL);
    long fonts = atol(fout);
    free(fout);
    sbuf_free(&fc);
    cr_log_info("600 distinct characters, one page: %ld bytes, of which font programs %ld", size, fonts);
    cr_assert_gt(fonts, 0);
    /* AR PL UMing's outlines take ~300 bytes per glyph compressed, so the
     * 60 KB goal is out of reach with the default free font (see
     * templates/forms/README.md); what the engine adds stays small */
    cr_assert_lt(size - fonts, 30 * 1024, "overhead %ld", size - fonts);
    sbuf cmd = {0};
    int st;
    char *perr;
    sbuf_printf(&cmd, "pdftotext -enc UTF-8 '%s' -", pdf);
    char *txt = fixture_run(cmd.data, &st, &perr);
    fixture_squeeze(txt);
    cr_assert_not_null(strstr(txt, text.data), "every character comes back");
    cr_assert_str_eq(perr, "");
    free(txt);
    free(perr);
    sbuf_free(&cmd);
    free(pdf);
    sbuf_free(&text);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

static const char *PY_CHECK =
    "import sys, openpyxl, datetime\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "ws = wb.active\n"
    "print('SHEET', ws.title)\n"
    "for row in ws.iter_rows():\n"
    "    for c in row:\n"
    "        if c.value is not None and c.value != '':\n"
    "            v = c.value\n"
    "            if isinstance(v, datetime.datetime): v = 'DATE:' + v.strftime('%Y-%m-%d')\n"
    "            elif isinstance(v, (int, float)): v = 'NUM:%g' % v\n"
    "            else: v = 'STR:' + str(v).replace('\\n', ' ')\n"
    "            print('CELL', c.coordinate, v)\n"
    "for r in sorted(str(x) for x in ws.merged_cells.ranges): print('MERGE', r)\n"
    "for dv in ws.data_validations.dataValidation: print('DV', dv.type, dv.formula1, dv.sqref)\n"
    "print('TITLES', ws.print_title_rows)\n"
    "print('BREAKS', ' '.join(str(b.id) for b in ws.row_breaks.brk))\n"
    "print('PAPER', ws.page_setup.paperSize, ws.page_setup.orientation)\n"
    "print('FOOTER', ws.oddFooter.center.text)\n";

Test(writers, xlsx_values_merges_and_setup, .init = setup, .fini = teardown)
{
    kv_map *m;
    lo_doc *d = demo_doc(&m, 45, 1500);
    char *x = wfx_path(&W, "demo.xlsx");
    sbuf err = {0};
    xlsxw_opts o = {EPOCH, NULL, NULL};
    cr_assert(xlsxw_write(d, W.fs, &o, x, &err), "%s", err.data);
    int st;
    char *perr;
    char *out = run_py("check.py", PY_CHECK, NULL, x, &st, &perr);
    cr_assert_eq(st, 0, "openpyxl: %s", perr);
    sbuf cmd = {0};
    cr_assert_not_null(strstr(out, "SHEET 演示"));
    /* values with their types */
    cr_assert_not_null(strstr(out, "CELL A1 STR:XX市财政局年度考核演示表"), "%s", out);
    cr_assert_not_null(strstr(out, "CELL B3 STR:张三"));
    cr_assert_not_null(strstr(out, "CELL F3 DATE:1980-05-01"));
    cr_assert_not_null(strstr(out, "CELL F5 DATE:2019-03-01"));
    cr_assert_not_null(strstr(out, "CELL B6 NUM:92.5"));
    cr_assert_not_null(strstr(out, "CELL D6 NUM:0.2"));
    cr_assert_not_null(strstr(out, "CELL F6 STR:优秀"));
    cr_assert_not_null(strstr(out, "CELL G8 DATE:2026-01-20"));
    cr_assert_not_null(strstr(out, "STR:=SUM(A1:A2) 不是公式"), "formula-like text stays text");
    /* merges */
    cr_assert_not_null(strstr(out, "MERGE A1:G1"));
    cr_assert_not_null(strstr(out, "MERGE G3:G5"), "photo cell spans three rows");
    cr_assert_not_null(strstr(out, "MERGE B5:D5"));
    cr_assert_not_null(strstr(out, "MERGE F6:G6"));
    cr_assert_not_null(strstr(out, "MERGE B7:G7"));
    cr_assert_not_null(strstr(out, "MERGE A10:G10"), "the 续页 box");
    /* grade dropdown */
    cr_assert_not_null(strstr(out, "DV list \"优秀,称职,基本称职,不称职\" F6:G6"), "%s", out);
    /* print setup: A4 portrait, head rows as print titles, page breaks */
    cr_assert_not_null(strstr(out, "TITLES $11:$12"), "%s", out);
    cr_assert_not_null(strstr(out, "PAPER 9 portrait"));
    cr_assert_not_null(strstr(out, "FOOTER 第 &P 页 共 &N 页"), "%s", out);
    cr_assert_not_null(strstr(out, "BREAKS 8 10 36"), "%s", out);
    /* every roster value */
    for (size_t i = 0; i < 45; i++) {
        char key[64], want[128];
        snprintf(key, sizeof key, "persons.%zu.name", i);
        snprintf(want, sizeof want, "STR:%s\n", kv_get(m, key));
        cr_assert_not_null(strstr(out, want), "%s", want);
    }
    /* the summary comes back whole from the form cell and the 续页 cell */
    cr_assert_not_null(strstr(out, "CELL B7 STR:本年度"));
    free(out);
    free(perr);

    /* deterministic */
    char *x2 = wfx_path(&W, "demo2.xlsx");
    cr_assert(xlsxw_write(d, W.fs, &o, x2, &err), "%s", err.data);
    size_t l1, l2;
    char *b1 = slurp(x, &l1), *b2 = slurp(x2, &l2);
    cr_assert_eq(l1, l2);
    cr_assert_eq(memcmp(b1, b2, l1), 0, "byte-identical XLSX");
    free(b1);
    free(b2);
    free(x2);

    /* LibreOffice opens it (skipped when not installed) */
    out = fixture_run("command -v soffice", &st, NULL);
    free(out);
    if (st == 0) {
        sbuf_clear(&cmd);
        sbuf_printf(&cmd,
                    "cd '%s' && HOME='%s' timeout 180 soffice --headless --convert-to pdf --outdir lo demo.xlsx",
                    W.dir, W.dir);
        out = fixture_run(cmd.data, &st, &perr);
        free(out);
        free(perr);
        char *lopdf = wfx_path(&W, "lo/demo.pdf");
        cr_assert_eq(st, 0);
        cr_assert_gt(file_size(lopdf), 0, "LibreOffice converted the XLSX");
        sbuf_clear(&cmd);
        sbuf_printf(&cmd, "pdfinfo '%s' | grep Pages", lopdf);
        out = fixture_run(cmd.data, &st, NULL);
        cr_assert_not_null(strstr(out, " 4\n"), "same page count as our PDF: %s", out);
        free(out);
        free(lopdf);
    } else {
        cr_log_warn("soffice not installed: LibreOffice check skipped");
    }
    sbuf_free(&cmd);
    free(x);
    sbuf_free(&err);
    lo_doc_free(d);
    kv_free(m);
}

Test(writers, xlsx_tall_rows_split_under_excel_limit, .init = setup, .fini = teardown)
{
    const char *xml =
        "<form xmlns=\"urn:kaohe:form:1\" name=\"tall\" sheet=\"a[b]:c\">"
        "<columns>60 60</columns>"
        "<row height=\"200\"><cell>{{a}}</cell><cell>{{b}}</cell></row>"
        "<row height=\"10\"><cell colspan=\"2\" choices=\"是,否\">{{c}}</cell></row>"
        "</form>";
    sbuf err = {0};
    tpl_form *t = ufx_template_mem(xml, strlen(xml), "tall.xml");
    cr_assert_not_null(t, "%s", err.data);
    kv_map *m = kv_new();
    kv_set(m, "a", "@甲");
    kv_set(m, "b", "+1");
    kv_set(m, "c", "-2");
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, W.fs, &err);
    char *x = wfx_path(&W, "tall.xlsx");
    cr_assert(xlsxw_write(d, W.fs, NULL, x, &err), "%s", err.data);
    int st;
    char *perr;
    char *out = run_py("check.py", PY_CHECK,
                       "for r in range(1, 4): print('HEIGHT', r, ws.row_dimensions[r].height)\n", x, &st,
                       &perr);
    cr_assert_eq(st, 0, "%s", perr);
    /* 200 mm = 567 pt > 409 pt: two rows of 283.46 pt, cells merged over both */
    cr_assert_not_null(strstr(out, "MERGE A1:A2"), "%s", out);
    cr_assert_not_null(strstr(out, "MERGE B1:B2"), "%s", out);
    cr_assert_not_null(strstr(out, "HEIGHT 1 283.46"), "%s", out);
    cr_assert_not_null(strstr(out, "MERGE A3:B3"), "%s", out);
    /* text that looks like a formula stays text */
    cr_assert_not_null(strstr(out, "CELL A1 STR:@甲"), "%s", out);
    cr_assert_not_null(strstr(out, "CELL B1 STR:+1"), "%s", out);
    cr_assert_not_null(strstr(out, "CELL A3 STR:-2"), "%s", out);
    cr_assert_not_null(strstr(out, "DV list \"是,否\" A3:B3"), "%s", out);
    cr_assert_not_null(strstr(out, "SHEET abc"), "invalid sheet-name characters dropped: %s", out);
    free(out);
    free(perr);
    free(x);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

Test(writers, write_failure_leaves_nothing, .init = setup, .fini = teardown)
{
    kv_map *m;
    lo_doc *d = demo_doc(&m, 2, 20);
    sbuf err = {0};
    cr_assert_not(pdfw_write(d, W.fs, NULL, "/nonexistent-dir/x.pdf", &err));
    cr_assert(strstr(err.data, "WRITE_FAILED"), "%s", err.data);
    sbuf_clear(&err);
    cr_assert_not(xlsxw_write(d, W.fs, NULL, "/nonexistent-dir/x.xlsx", &err));
    cr_assert(strstr(err.data, "WRITE_FAILED"), "%s", err.data);
    /* several forms in one PDF with an outline */
    const lo_doc *docs[2] = {d, d};
    const char *names[2] = {"张三", "李四"};
    char *p = wfx_path(&W, "two.pdf");
    cr_assert(pdfw_write_docs(docs, 2, names, W.fs, NULL, p, &err), "%s", err.data);
    sbuf cmd = {0};
    int st;
    sbuf_printf(&cmd, "pdfinfo '%s' | grep Pages; qpdf --check '%s' >/dev/null && echo QPDF_OK", p, p);
    char *out = fixture_run(cmd.data, &st, NULL);
    char want[32];
    snprintf(want, sizeof want, " %zu\n", 2 * d->npages);
    cr_assert_not_null(strstr(out, want), "%s", out);
    cr_assert_not_null(strstr(out, "QPDF_OK"));
    free(out);
    /* and several sheets in one workbook, names made unique */
    char *x = wfx_path(&W, "two.xlsx");
    cr_assert(xlsxw_write_docs(docs, 2, NULL, W.fs, NULL, x, &err), "%s", err.data);
    sbuf_clear(&cmd);
    sbuf_printf(&cmd, "/usr/bin/python3 -c \"import openpyxl; print(openpyxl.load_workbook('%s').sheetnames)\"", x);
    out = fixture_run(cmd.data, &st, NULL);
    cr_assert_not_null(strstr(out, "['演示', '演示(2)']"), "%s", out);
    free(out);
    free(x);
    free(p);
    sbuf_free(&cmd);
    sbuf_free(&err);
    lo_doc_free(d);
    kv_free(m);
}

/* A source of page models: pdfw asks for each document twice (characters,
 * then drawing) and releases every one it got; get fails at fail_at. */
typedef struct counting_src {
    const lo_doc *doc;
    size_t gets, puts, fail_at;
} counting_src;

static const lo_doc *cs_get(void *ctx, size_t i)
{
    counting_src *c = ctx;
    (void)i;
    if (c->gets == c->fail_at) return NULL;
    c->gets++;
    return c->doc;
}

static void cs_put(void *ctx, size_t i, const lo_doc *d)
{
    (void)i;
    (void)d;
    ((counting_src *)ctx)->puts++;
}

Test(writers, pdf_from_a_source, .init = setup, .fini = teardown)
{
    kv_map *m;
    lo_doc *d = demo_doc(&m, 2, 20);
    counting_src c = {d, 0, 0, (size_t)-1};
    pdfw_source src = {3, cs_get, cs_put, NULL, &c};
    char *p = wfx_path(&W, "src.pdf");
    sbuf err = {0};
    cr_assert(pdfw_write_source(&src, W.fs, NULL, p, &err), "%s", err.data);
    cr_assert_eq(c.gets, 6);
    cr_assert_eq(c.puts, 6);
    sbuf cmd = {0};
    int st;
    sbuf_printf(&cmd, "pdfinfo '%s' | grep Pages; qpdf --check '%s' >/dev/null && echo QPDF_OK; "
                "pdffonts '%s' | tail -n +3 | awk '{print $(NF-4), $(NF-3)}' | sort -u", p, p, p);
    char *out = fixture_run(cmd.data, &st, NULL);
    char want[32];
    snprintf(want, sizeof want, " %zu\n", 3 * d->npages);
    cr_assert_not_null(strstr(out, want), "%s", out);
    cr_assert_not_null(strstr(out, "QPDF_OK"), "%s", out);
    cr_assert_not_null(strstr(out, "QPDF_OK\nyes yes\n"), "every font an embedded subset: %s", out);
    free(out);
    /* every page refers to one /Resources (page dicts are not compressed) */
    sbuf_clear(&cmd);
    sbuf_printf(&cmd, "grep -a -o '/Resources [0-9]* 0 R' '%s' | wc -l; grep -a -o '/Resources [0-9]* 0 R' '%s' | "
                "sort -u | wc -l; grep -a -o '/ProcSet' '%s' | wc -l", p, p, p);
    out = fixture_run(cmd.data, &st, NULL);
    snprintf(want, sizeof want, "%zu\n1\n1\n", 3 * d->npages);
    cr_assert_str_eq(out, want, "pages, distinct /Resources, ProcSets");
    free(out);
    /* a layout failing while drawing: nothing at the path, no message of pdfw's */
    char *q = wfx_path(&W, "fail.pdf");
    c = (counting_src){d, 0, 0, 4};
    cr_assert_not(pdfw_write_source(&src, W.fs, NULL, q, &err));
    cr_assert_eq(err.len, 0, "%s", err.data);
    cr_assert_eq(c.puts, c.gets);
    cr_assert_eq(file_size(q), -1);
    free(q);
    free(p);
    sbuf_free(&cmd);
    sbuf_free(&err);
    lo_doc_free(d);
    kv_free(m);
}

/* Regression: libharu 2.3.0 failed (HPDF_INVALID_OBJECT) on ~1 in 4,000
 * documents, whenever the font it rebuilds had a size that is a multiple of
 * 4096 and its last table, 'prep', was empty. Every subset carries a
 * non-empty 'prep' now. */
Test(writers, subsets_carry_a_nonempty_prep_table, .init = setup, .fini = teardown)
{
    static const uint32_t cps[] = { 0x4E2D, 0x56FD, 0x8003, 0x6838, 'A', '1' };
    for (int role = 0; role < FONT_NROLES; role++) {
        unsigned char *data;
        size_t len;
        sbuf err = { 0 };
        cr_assert(font_subset(W.fs, (font_role)role, cps, sizeof cps / sizeof cps[0], &data, &len, &err), "%s",
                  err.data ? err.data : "");
        hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
        hb_face_t *face = hb_face_create(blob, 0);
        hb_blob_t *prep = hb_face_reference_table(face, HB_TAG('p', 'r', 'e', 'p'));
        cr_assert_gt(hb_blob_get_length(prep), 0, "role %d has no prep", role);
        hb_blob_destroy(prep);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        free(data);
        sbuf_free(&err);
    }
}

/* The CIDs are the document's characters numbered 1..n (not their code
 * points): every font's CIDToGIDMap is 2 bytes per character drawn, not
 * 128 KB up to the fullwidth punctuation (U+FFxx), and /W stays within the
 * CIDs; the text still comes back exactly, fullwidth punctuation included. */
static const char *PY_CIDS =
    "import re, sys\n"
    "d = open(sys.argv[1], 'rb').read()\n"
    "def obj(i):\n"
    "    m = re.search(rb'(?:^|\\n)' + i + rb' 0 obj\\s*<<(.*?)>>\\s*(stream\\r?\\n)?', d, re.S)\n"
    "    return m\n"
    "maps = re.findall(rb'/CIDToGIDMap (\\d+) 0 R', d)\n"
    "def length(i):\n"
    "    m = obj(i)\n"
    "    r = re.search(rb'/Length (\\d+) 0 R', m.group(1))\n"
    "    if r: return int(re.search(rb'(?:^|\\n)' + r.group(1) + rb' 0 obj\\s*(\\d+)', d).group(1))\n"
    "    return int(re.search(rb'/Length (\\d+)', m.group(1)).group(1))\n"
    "lens = [length(i) for i in maps]\n"
    "ws = re.findall(rb'/W \\[(.*?)\\]\\s*(?:/|>>)', d, re.S)\n"
    "cids = [int(x) for w in ws for x in re.findall(rb'(?:^|\\]|\\[)\\s*(\\d+)\\s*\\[', w)]\n"
    "print(len(maps), max(lens), max(cids) if cids else 0)\n";

Test(writers, pdf_cids_are_the_characters_drawn, .init = setup, .fini = teardown)
{
    kv_map *m;
    lo_doc *d = demo_doc(&m, 45, 1500);
    char *pdf = wfx_path(&W, "cids.pdf");
    sbuf err = {0};
    pdfw_opts o = {NULL, NULL, EPOCH, true, NULL, false};   /* uncompressed: streams readable */
    cr_assert(pdfw_write(d, W.fs, &o, pdf, &err), "%s", err.data);

    /* the distinct characters drawn, all fonts together (pdftotext's words) */
    sbuf cmd = {0};
    int st;
    char *perr;
    sbuf_printf(&cmd, "pdftotext -enc UTF-8 '%s' -", pdf);
    char *txt = fixture_run(cmd.data, &st, &perr);
    cr_assert_eq(st, 0);
    cr_assert_str_eq(perr, "", "poppler printed: %s", perr);
    cr_assert_not_null(strstr(txt, "（2025年度）"), "fullwidth brackets come back");
    text_cpset seen = {0};
    text_cpset_add_utf8(&seen, txt, strlen(txt));
    size_t nchars = seen.count;
    text_cpset_free(&seen);
    free(txt);
    free(perr);

    char *out = run_py("cids.py", PY_CIDS, NULL, pdf, &st, &perr);
    cr_assert_eq(st, 0, "%s %s", out, perr);
    int nmaps = 0;
    long maxlen = 0, maxcid = 0;
    cr_assert_eq(sscanf(out, "%d %ld %ld", &nmaps, &maxlen, &maxcid), 3, "%s", out);
    cr_log_info("%zu distinct characters: %d CIDToGIDMaps of at most %ld bytes, highest /W CID %ld",
                nchars, nmaps, maxlen, maxcid);
    cr_assert_eq(nmaps, 3, "song, hei, kai");
    /* CIDs 0..n, n = the characters of all fonts (a few pdftotext drops:
     * space, line ends) */
    cr_assert_leq(maxlen, 2 * ((long)nchars + 8), "CIDToGIDMap %ld bytes for %zu characters",
                  maxlen, nchars);
    cr_assert_leq(maxcid, (long)nchars + 8);
    free(out);
    free(perr);
    sbuf_free(&cmd);
    sbuf_free(&err);
    free(pdf);
    lo_doc_free(d);
    kv_free(m);
}

/* ---- pagers: a document laid out page by page, as often as a writer needs ---- */

/* Both workbooks as openpyxl reads them, compared: every cell's value
 * (formulas as text) and style, merges, row heights, column widths, print
 * setup, header/footer, validations, chart sheets. Prints SAME and the
 * number of merges over more than one row, or the first difference. */
static const char *PY_SAME_BOOK =
    "import sys, openpyxl\n"
    "def dump(path):\n"
    "    wb = openpyxl.load_workbook(path)\n"
    "    out = [('props', wb.properties.title, str(wb.properties.created))]\n"
    "    for ws in wb.worksheets:\n"
    "        out.append(('sheet', ws.title, ws.max_row, ws.max_column))\n"
    "        out.append(('merged', sorted(str(r) for r in ws.merged_cells.ranges)))\n"
    "        out.append(('heights', sorted((k, v.height) for k, v in ws.row_dimensions.items() if v.height)))\n"
    "        out.append(('widths', sorted((k, v.width) for k, v in ws.column_dimensions.items())))\n"
    "        out.append(('print', ws.print_title_rows, str(ws.print_area), [b.id for b in ws.row_breaks.brk]))\n"
    "        ps, pm = ws.page_setup, ws.page_margins\n"
    "        out.append(('setup', ps.orientation, ps.paperSize, ps.scale, pm.left, pm.right, pm.top, pm.bottom,\n"
    "                    ws.print_options.horizontalCentered, ws.oddHeader.center.text, ws.oddFooter.center.text))\n"
    "        out.append(('dv', [(d.type, d.formula1, str(d.sqref)) for d in ws.data_validations.dataValidation]))\n"
    "        for row in ws.iter_rows():\n"
    "            for c in row:\n"
    "                if c.value is None and not c.has_style: continue\n"
    "                f, a, b = c.font, c.alignment, c.border\n"
    "                out.append((c.coordinate, c.value, c.data_type, c.number_format, f.name, f.sz,\n"
    "                            a.horizontal, a.vertical, a.wrap_text,\n"
    "                            b.top.style, b.bottom.style, b.left.style, b.right.style))\n"
    "    for cs in wb.chartsheets: out.append(('chartsheet', cs.title))\n"
    "    return out, sum(1 for ws in wb.worksheets for r in ws.merged_cells.ranges if r.min_row != r.max_row)\n"
    "(a, multi), (b, _) = dump(sys.argv[1] + '-whole.xlsx'), dump(sys.argv[1] + '-paged.xlsx')\n"
    "if a == b: print('SAME', len(a), 'MULTIROW', multi); sys.exit(0)\n"
    "for x, y in zip(a, b):\n"
    "    if x != y: print('WHOLE', x); print('PAGED', y); break\n"
    "print('ITEMS', len(a), len(b)); sys.exit(1)\n";

/* pdfw_write_pager and xlsxw_write_pager against pdfw_write and xlsxw_write
 * of the same document laid out whole: the same PDF bytes, the same
 * workbook. Returns the number of merges over more than one row. */
static int check_pager(const tpl_form *t, kv_map *m, const char *stem)
{
    sbuf err = {0};
    kv_pager kp = {t, kv_source(m), W.fs, 0};
    lo_doc *whole = layout_run(t, &kp.src, W.fs, &err);
    cr_assert_not_null(whole, "%s", err.data);
    lo_pager pager = {kv_pager_run, &kp};
    pdfw_opts po = {NULL, NULL, EPOCH, false, NULL, false};
    xlsxw_opts xo = {EPOCH, NULL, NULL};
    sbuf name = {0};
    char *f[4];
    const char *suffix[4] = {"-whole.pdf", "-paged.pdf", "-whole.xlsx", "-paged.xlsx"};
    for (int i = 0; i < 4; i++) {
        sbuf_clear(&name);
        sbuf_printf(&name, "%s%s", stem, suffix[i]);
        f[i] = wfx_path(&W, name.data);
    }
    cr_assert(pdfw_write(whole, W.fs, &po, f[0], &err), "%s", err.data);
    cr_assert(pdfw_write_pager(&pager, W.fs, &po, f[1], &err), "%s", err.data);
    cr_assert_eq(kp.runs, 2, "characters, then drawing");
    cr_assert(xlsxw_write(whole, W.fs, &xo, f[2], &err), "%s", err.data);
    cr_assert(xlsxw_write_pager(&pager, W.fs, &xo, f[3], &err), "%s", err.data);
    cr_assert_eq(kp.runs, 4, "pages seen, then written");
    size_t la, lb;
    char *a = slurp(f[0], &la), *b = slurp(f[1], &lb);
    cr_assert(a && b && la == lb && !memcmp(a, b, la), "%s: PDF bytes differ (%zu, %zu)", stem, la, lb);
    free(a);
    free(b);
    int st;
    char *perr;
    char *prefix = wfx_path(&W, stem);
    char *out = run_py("same_book.py", PY_SAME_BOOK, NULL, prefix, &st, &perr);
    cr_assert_eq(st, 0, "%s: %s%s", stem, out, perr);
    int multi = -1;
    const char *mr = strstr(out, "MULTIROW ");
    cr_assert_not_null(mr, "%s", out);
    multi = atoi(mr + 9);
    free(out);
    free(perr);
    free(prefix);
    for (int i = 0; i < 4; i++) free(f[i]);
    sbuf_free(&name);
    lo_doc_free(whole);
    sbuf_free(&err);
    return multi;
}

Test(writers, pagers_write_what_the_whole_document_gives, .init = setup, .fini = teardown)
{
    sbuf err = {0};
    /* the demo: a 续页, list heads repeated as print titles, a row taller
     * than Excel allows */
    tpl_form *t = ufx_template(DEMO);
    cr_assert_not_null(t, "%s", err.data);
    kv_map *m = fixture_demo_data(45, 1500);
    check_pager(t, m, "demo");
    kv_free(m);
    tpl_free(t);
    /* the summary: formulas over the list, a chart sheet, and a unit whose
     * issues fill a page: its row (526 pt) is two sheet rows, every cell of
     * it merged over both, which a constant-memory sheet writes row by row */
    t = ufx_template("../templates/forms/summary.xml");
    cr_assert_not_null(t, "%s", err.data);
    m = fixture_summary_data(300, 3000);
    int multi = check_pager(t, m, "summary");
    cr_assert_geq(multi, 15, "the tall row's 15 cells are merged over its two sheet rows");
    kv_free(m);
    /* no unit: one page, no chart */
    m = fixture_summary_data(0, 0);
    check_pager(t, m, "empty");
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

/* Tests of the DOCX writer on the demo form (a 续页, list heads repeated on
 * later pages, merged cells) and the summary: the structure python3-docx
 * reads back, the pager giving the bytes of the whole document, same bytes
 * each time, and a failed write leaving nothing. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit_fixture.h"
#include "docxw.h"
#include "font.h"
#include "form_fixture.h"
#include "rfile.h"
#include "layout.h"

#define EPOCH 1766966400LL

static writer_fixture W;
static void setup(void) { wfx_open(&W); }
static void teardown(void) { wfx_close(&W); }

TestSuite(docxw, .init = setup, .fini = teardown);

static char *slurp(const char *path, size_t *len)
{
    sbuf b = {0};
    if (rfile_read(&b, path, 1u << 30) != 0) return NULL;
    *len = b.len;
    return b.data;
}

/* What python3-docx sees: pages (page-breaking paragraphs + 1), tables,
 * merges, header rows, row rules, fonts, the footer's fields. */
static const char *PY_READ =
    "import sys, docx\n"
    "from docx.oxml.ns import qn\n"
    "d = docx.Document(sys.argv[1])\n"
    "b = d.element.body\n"
    "print('PAGES', 1 + len(b.findall('.//' + qn('w:pageBreakBefore'))))\n"
    "print('TABLES', len(d.tables))\n"
    "print('SPANS', len(b.findall('.//' + qn('w:gridSpan'))))\n"
    "print('RESTART', len([v for v in b.iter(qn('w:vMerge')) if v.get(qn('w:val')) == 'restart']))\n"
    "print('HEADROWS', len(b.findall('.//' + qn('w:tblHeader'))))\n"
    "rules = [h.get(qn('w:hRule')) for h in b.iter(qn('w:trHeight'))]\n"
    "print('ATLEAST', rules.count('atLeast'), 'EXACT', rules.count('exact'))\n"
    "st = {s.get(qn('w:styleId')): s for s in d.styles.element.iter(qn('w:style'))}\n"
    "refs = list(b.iter(qn('w:pStyle'))) + list(b.iter(qn('w:rStyle')))\n"
    "print('EASTASIA', sorted({st[r.get(qn('w:val'))].find('.//' + qn('w:rFonts')).get(qn('w:eastAsia')) for r in refs}))\n"
    "print('CELLTEXT', sum(len(c.text) for t in d.tables for r in t.rows for c in r.cells))\n"
    "s = d.sections[-1]\n"
    "print('PAGE', s.page_width.mm, s.page_height.mm, s.left_margin.mm)\n"
    "print('FIELDS', [f.get(qn('w:instr')) for f in s.footer._element.iter(qn('w:fldSimple'))])\n";

static char *read_back(const char *path)
{
    char *py = wfx_path(&W, "read.py");
    FILE *f = fopen(py, "w");
    cr_assert_not_null(f);
    fputs(PY_READ, f);
    fclose(f);
    sbuf cmd = {0};
    sbuf_printf(&cmd, "/usr/bin/python3 '%s' '%s'", py, path);
    int st;
    char *perr = NULL;
    char *out = fixture_run(cmd.data, &st, &perr);
    cr_assert_eq(st, 0, "%s%s", out, perr);
    free(perr);
    sbuf_free(&cmd);
    free(py);
    return out;
}

static long field(const char *out, const char *key)
{
    const char *p = strstr(out, key);
    cr_assert_not_null(p, "%s in %s", key, out);
    return atol(p + strlen(key) + 1);
}

static double field_d(const char *out, const char *key)
{
    const char *p = strstr(out, key);
    cr_assert_not_null(p, "%s in %s", key, out);
    return atof(p + strlen(key) + 1);
}

Test(docxw, demo_form_structure_reads_back)
{
    if (system("/usr/bin/python3 -c 'import docx' 2>/dev/null") != 0) cr_skip_test("no python3-docx");
    sbuf err = {0};
    tpl_form *t = ufx_template("../templates/forms/demo.xml");
    cr_assert_not_null(t, "%s", err.data);
    kv_map *m = fixture_demo_data(45, 1500);
    kv_pager kp = {t, kv_source(m), W.fs, 0};
    lo_doc *d = layout_run(t, &kp.src, W.fs, &err);
    cr_assert_not_null(d, "%s", err.data);
    cr_assert_gt(d->npages, 2, "the demo continues its summary and its list");
    docxw_opts o = {EPOCH, NULL};
    char *whole = wfx_path(&W, "whole.docx"), *again = wfx_path(&W, "again.docx"), *paged = wfx_path(&W, "paged.docx");
    cr_assert(docxw_write(d, W.fs, &o, whole, &err), "%s", err.data);
    cr_assert(docxw_write(d, W.fs, &o, again, &err), "%s", err.data);
    lo_pager pager = {kv_pager_run, &kp};
    cr_assert(docxw_write_pager(&pager, W.fs, &o, paged, &err), "%s", err.data);
    size_t la = 0, lb = 0, lc = 0;
    char *a = slurp(whole, &la), *b = slurp(again, &lb), *c = slurp(paged, &lc);
    cr_assert(a && b && c);
    cr_assert(la == lb && !memcmp(a, b, la), "same model, same bytes");
    cr_assert(la == lc && !memcmp(a, c, la), "the pager gives the whole document's bytes");
    free(a);
    free(b);
    free(c);

    /* the 续页 are left out: their text is whole in its first cell */
    size_t conts = 0;
    for (size_t p = 0; p < d->npages; p++) conts += d->pages[p].continuation;
    cr_assert_gt(conts, 0, "the demo continues its summary");
    char *out = read_back(whole);
    cr_assert_eq(field(out, "PAGES"), (long)(d->npages - conts), "%s", out);
    cr_assert_eq(field(out, "TABLES"), (long)(d->npages - conts), "%s", out);
    size_t spans = 0, restarts = 0, heads = 0;
    for (size_t p = 0; p < d->npages; p++) {
        const lo_page *pg = &d->pages[p];
        if (pg->continuation) continue;
        for (size_t i = 0; i < pg->ncells; i++) {
            spans += pg->cells[i].colspan > 1 ? (size_t)pg->cells[i].rowspan : 0;
            restarts += pg->cells[i].rowspan > 1;
        }
        for (size_t r = 0; r < pg->nrows && pg->rows[r].repeat; r++) heads++;
    }
    cr_assert_eq(field(out, "SPANS"), (long)spans, "a gridSpan on each row of a wide cell: %s", out);
    cr_assert_eq(field(out, "RESTART"), (long)restarts, "%s", out);
    cr_assert_gt(heads, 0, "the demo repeats its list head");
    cr_assert_eq(field(out, "HEADROWS"), (long)heads, "%s", out);
    cr_assert_gt(field(out, "ATLEAST"), 0, "the continued summary's row may grow: %s", out);
    cr_assert_gt(field(out, "EXACT"), 0, "%s", out);
    cr_assert(strstr(out, font_sheet_name(W.fs, FONT_SONG)), "%s", out);
    cr_assert(strstr(out, "' PAGE '"), "%s", out);
    cr_assert(fabs(field_d(out, "\nPAGE") - d->page_w) < 0.1, "the model's page width: %s", out);
    free(out);

    /* two documents: two sections, each counting its own pages */
    const lo_doc *docs[2] = {d, d};
    char *two = wfx_path(&W, "two.docx");
    cr_assert(docxw_write_docs(docs, 2, W.fs, &o, two, &err), "%s", err.data);
    out = read_back(two);
    cr_assert_eq(field(out, "TABLES"), 2 * (long)(d->npages - conts), "%s", out);
    cr_assert(strstr(out, "SECTIONPAGES"), "%s", out);
    free(out);

    free(two);
    free(whole);
    free(again);
    free(paged);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

/* The demo's summary cell (the one that may be continued). */
static const lo_cell *summary_cell(const lo_doc *d, const char *summary)
{
    for (size_t p = 0; p < d->npages; p++)
        for (size_t i = 0; i < d->pages[p].ncells; i++) {
            const lo_cell *c = &d->pages[p].cells[i];
            const char *t = c->whole ? c->whole : c->text;
            if (!d->pages[p].continuation && t[0] && !strncmp(t, summary, 30)) return c;
        }
    return NULL;
}

/* The size (half-points) and row rule of the DOCX cell holding `text`
 * whole, as python3-docx reads them. */
static char *docx_cell_of(const char *path, const char *text)
{
    char *txt = wfx_path(&W, "want.txt"), *py = wfx_path(&W, "cell.py");
    FILE *f = fopen(txt, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    f = fopen(py, "w");
    cr_assert_not_null(f);
    fputs("import sys, docx\n"
          "from docx.oxml.ns import qn\n"
          "d = docx.Document(sys.argv[1])\n"
          "sq = lambda s: ''.join(ch for ch in s if not ch.isspace())\n"
          "want = sq(open(sys.argv[2], encoding='utf-8').read())\n"
          "st = {s.get(qn('w:styleId')): s for s in d.styles.element.iter(qn('w:style'))}\n"
          "for tr in d.element.body.iter(qn('w:tr')):\n"
          "    for tc in tr.iter(qn('w:tc')):\n"
          "        got = sq(''.join(t.text or '' for t in tc.iter(qn('w:t'))))\n"
          "        if want in got:\n"
          "            ps = tc.find('.//' + qn('w:pStyle')).get(qn('w:val'))\n"
          "            print('CELL', got == want, st[ps].find('.//' + qn('w:sz')).get(qn('w:val')),\n"
          "                  tr.find('.//' + qn('w:trHeight')).get(qn('w:hRule')))\n",
          f);
    fclose(f);
    sbuf cmd = {0};
    sbuf_printf(&cmd, "/usr/bin/python3 '%s' '%s' '%s'", py, path, txt);
    int st;
    char *perr = NULL;
    char *out = fixture_run(cmd.data, &st, &perr);
    cr_assert_eq(st, 0, "%s%s", out, perr);
    free(perr);
    sbuf_free(&cmd);
    free(py);
    free(txt);
    return out;
}

/* Text the layout shrank or continued is, for the DOCX, the whole text at
 * the template's size (lo_cell.want_size, .whole); the DOCX writes it so,
 * once, in a row that grows. */
Test(docxw, shrunk_or_continued_text_is_whole_at_its_size_in_a_growing_row)
{
    if (system("/usr/bin/python3 -c 'import docx' 2>/dev/null") != 0) cr_skip_test("no python3-docx");
    sbuf err = {0};
    tpl_form *t = ufx_template("../templates/forms/demo.xml");
    cr_assert_not_null(t);
    bool shrunk = false, continued = false;
    /* summaries from short to long: one the layout shrinks, one it continues */
    for (size_t chars = 100; chars <= 3000 && !(shrunk && continued); chars += 50) {
        kv_map *m = fixture_demo_data(2, chars);
        layout_source src = kv_source(m);
        lo_doc *d = layout_run(t, &src, W.fs, &err);
        cr_assert_not_null(d, "%s", err.data);
        const char *summary = kv_get(m, "person.summary");
        const lo_cell *c = summary_cell(d, summary);
        cr_assert_not_null(c, "%zu chars: no summary cell", chars);
        cr_assert_float_eq(c->want_size, 12, 1e-9, "the template's size");
        bool is_cont = c->whole != NULL, is_shrunk = !is_cont && c->size < c->want_size - 1e-6;
        if (is_cont) cr_assert_str_eq(c->whole, summary, "the whole text, as the data gives it");
        if ((is_cont && !continued) || (is_shrunk && !shrunk)) {
            char *path = wfx_path(&W, is_cont ? "cont.docx" : "shrunk.docx");
            docxw_opts o = {EPOCH, NULL, 0};
            cr_assert(docxw_write(d, W.fs, &o, path, &err), "%s", err.data);
            char *out = docx_cell_of(path, summary);
            cr_assert(strstr(out, "CELL True 24 atLeast\n") && !strstr(strstr(out, "CELL") + 1, "CELL"),
                      "%zu chars (%s): the whole text once, at 12 pt, its row at least: %s", chars,
                      is_cont ? "continued" : "shrunk", out);
            free(out);
            free(path);
        }
        shrunk = shrunk || is_shrunk;
        continued = continued || is_cont;
        lo_doc_free(d);
        kv_free(m);
    }
    cr_assert(shrunk && continued, "the demo's summary shrinks (%d), then continues (%d)", shrunk, continued);
    tpl_free(t);
    sbuf_free(&err);
}

/* The demo form laid out whole over npersons roster rows and a summary
 * of about summary_chars characters; its template and data in *t and *m. */
static lo_doc *demo_doc(size_t npersons, size_t summary_chars, tpl_form **t, kv_map **m)
{
    sbuf err = {0};
    *t = ufx_template("../templates/forms/demo.xml");
    *m = fixture_demo_data(npersons, summary_chars);
    layout_source src = kv_source(*m);
    lo_doc *d = layout_run(*t, &src, W.fs, &err);
    cr_assert_not_null(d, "%s", err.data);
    sbuf_free(&err);
    return d;
}

/* An entry whose XML outgrows the hold streams through minizip's deflate:
 * the same parts, byte for byte once unzipped, and the zip checks (CRCs,
 * sizes) as the held entries' does. */
Test(docxw, entries_beyond_the_hold_stream_to_the_same_parts)
{
    if (system("/usr/bin/python3 -c 'import zipfile' 2>/dev/null") != 0) cr_skip_test("no python3");
    sbuf err = {0};
    tpl_form *t;
    kv_map *m;
    lo_doc *d = demo_doc(45, 1500, &t, &m);
    docxw_opts held = {EPOCH, NULL, 0}, streamed = {EPOCH, NULL, 1000};
    char *a = wfx_path(&W, "held.docx"), *b = wfx_path(&W, "streamed.docx");
    cr_assert(docxw_write(d, W.fs, &held, a, &err), "%s", err.data);
    cr_assert(docxw_write(d, W.fs, &streamed, b, &err), "%s", err.data);
    sbuf cmd = {0};
    sbuf_printf(&cmd,
                "/usr/bin/python3 -c 'import sys, zipfile\n"
                "a, b = (zipfile.ZipFile(p) for p in sys.argv[1:])\n"
                "assert a.testzip() is None and b.testzip() is None\n"
                "assert a.namelist() == b.namelist(), (a.namelist(), b.namelist())\n"
                "big = [i.filename for i in b.infolist() if i.file_size > 1000]\n"
                "assert \"word/document.xml\" in big, big\n"
                "assert all(a.read(n) == b.read(n) for n in a.namelist())\n"
                "print(\"SAME\", len(big))' '%s' '%s'",
                a, b);
    int st;
    char *perr = NULL;
    char *out = fixture_run(cmd.data, &st, &perr);
    cr_assert_eq(st, 0, "%s%s", out, perr);
    cr_assert(strstr(out, "SAME"), "%s", out);
    free(out);
    free(perr);
    sbuf_free(&cmd);
    free(a);
    free(b);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

/* The properties a row repeats are cached by their key: with a height of
 * its own on every row (hundreds of keys, the cache's table grown several
 * times), each row still gets its own height, in order. */
Test(docxw, every_row_keeps_its_height_among_hundreds_of_cached_ones)
{
    if (system("/usr/bin/python3 -c 'import zipfile' 2>/dev/null") != 0) cr_skip_test("no python3");
    sbuf err = {0};
    tpl_form *t;
    kv_map *m;
    lo_doc *d = demo_doc(400, 200, &t, &m);
    sbuf want = {0};
    size_t n = 0;
    for (size_t p = 0; p < d->npages; p++) {
        lo_page *pg = &d->pages[p];
        if (pg->continuation) continue;
        for (size_t r = 0; r < pg->nrows; r++, n++) {
            pg->rows[r].h = 4.0 + 0.05 * (double)n;   /* 0.05 mm: 2.8 twips, a key each */
            sbuf_printf(&want, "%ld ", lround(pg->rows[r].h * 1440.0 / 25.4));
        }
    }
    cr_assert_gt(n, 200, "hundreds of rows: %zu", n);
    char *path = wfx_path(&W, "heights.docx");
    docxw_opts o = {EPOCH, NULL, 0};
    cr_assert(docxw_write(d, W.fs, &o, path, &err), "%s", err.data);
    sbuf cmd = {0};
    sbuf_printf(&cmd,
                "/usr/bin/python3 -c 'import sys, re, zipfile\n"
                "x = zipfile.ZipFile(sys.argv[1]).read(\"word/document.xml\").decode()\n"
                "print(\" \".join(re.findall(r\"<w:trHeight w:val=\\\"(\\d+)\\\"\", x)) + \" \")' '%s'",
                path);
    int st;
    char *perr = NULL;
    char *out = fixture_run(cmd.data, &st, &perr);
    cr_assert_eq(st, 0, "%s%s", out, perr);
    size_t len = strlen(out);
    if (len && out[len - 1] == '\n') out[len - 1] = 0;
    cr_assert_str_eq(out, want.data, "each row its own height, in order");
    free(out);
    free(perr);
    sbuf_free(&cmd);
    sbuf_free(&want);
    free(path);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

Test(docxw, write_failure_leaves_nothing)
{
    sbuf err = {0};
    tpl_form *t = ufx_template("../templates/forms/demo.xml");
    cr_assert_not_null(t, "%s", err.data);
    kv_map *m = fixture_demo_data(2, 20);
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, W.fs, &err);
    cr_assert_not_null(d);
    cr_assert_not(docxw_write(d, W.fs, NULL, "/nonexistent-dir/x.docx", &err));
    cr_assert(strstr(err.data, "WRITE_FAILED"), "%s", err.data);
    cr_assert_neq(access("/nonexistent-dir/x.docx", F_OK), 0);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

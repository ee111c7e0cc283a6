/* Tests of the layout engine: formatters, the key/value source, pages,
 * continuation (续页), repeated list heads, typed values, diagnostics. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit_fixture.h"
#include "form_fixture.h"
#include "layout.h"

#define DEMO "../templates/forms/demo.xml"

static font_set *FS;
static void setup(void)
{
    sbuf err = {0};
    FS = font_set_open(NULL, &err);
    cr_assert_not_null(FS, "%s", err.data);
    sbuf_free(&err);
}
static void teardown(void) { font_set_free(FS); }

static char *fmt(tpl_fmt f, const char *v, const char *arg, const char *cat, bool *ok)
{
    sbuf b = {0};
    *ok = layout_format(f, v, arg, cat, &b);
    if (!b.data) sbuf_puts(&b, "");
    return b.data;
}

#define FMT_EQ(f, v, arg, cat, want)                                   \
    do {                                                               \
        bool ok_;                                                      \
        char *s_ = fmt(f, v, arg, cat, &ok_);                          \
        cr_assert(ok_, "format of %s", v);                             \
        cr_assert_str_eq(s_, want);                                    \
        free(s_);                                                      \
    } while (0)

Test(layout, formatters)
{
    FMT_EQ(TPL_FMT_MONTH, "2025-12", NULL, NULL, "2025年12月");
    FMT_EQ(TPL_FMT_MONTH, "2019-03-15", NULL, NULL, "2019年3月");
    FMT_EQ(TPL_FMT_DATE, "2026-01-20", NULL, NULL, "2026年1月20日");
    FMT_EQ(TPL_FMT_PERCENT, "0.2", NULL, NULL, "20%");
    FMT_EQ(TPL_FMT_PERCENT, "0.125", NULL, NULL, "12.5%");
    FMT_EQ(TPL_FMT_PERCENT, "0.2", "1", NULL, "20.0%");
    FMT_EQ(TPL_FMT_NUMBER, "92.5", "2", NULL, "92.50");
    FMT_EQ(TPL_FMT_NUMBER, "88", NULL, NULL, "88");
    FMT_EQ(TPL_FMT_GRADE, "excellent", NULL, "civil-servant", "优秀");
    FMT_EQ(TPL_FMT_GRADE, "competent", NULL, "managed", "称职");
    FMT_EQ(TPL_FMT_GRADE, "competent", NULL, "institution", "合格");
    FMT_EQ(TPL_FMT_GRADE, "basic", NULL, "other", "基本合格");
    FMT_EQ(TPL_FMT_GRADE, "basic", NULL, "civil-servant", "基本称职");
    FMT_EQ(TPL_FMT_GRADE, "incompetent", NULL, "institution", "不合格");
    FMT_EQ(TPL_FMT_GRADE, "incompetent", NULL, NULL, "不称职");
    FMT_EQ(TPL_FMT_OR, "", "无", NULL, "无");
    FMT_EQ(TPL_FMT_OR, "有", "无", NULL, "有");
    FMT_EQ(TPL_FMT_MONTH, "", NULL, NULL, "");
    /* "there is no value" prints as it is under every formatter, without a BAD_VALUE */
    FMT_EQ(TPL_FMT_PERCENT, LAYOUT_NO_VALUE, "1", NULL, "—");
    FMT_EQ(TPL_FMT_NUMBER, LAYOUT_NO_VALUE, "2", NULL, "—");
    FMT_EQ(TPL_FMT_DATE, LAYOUT_NO_VALUE, NULL, NULL, "—");
    bool ok;
    char *s = fmt(TPL_FMT_DATE, "2025-02-30", NULL, NULL, &ok);
    cr_assert_not(ok);
    cr_assert_str_eq(s, "2025-02-30", "unparseable values are kept as they are");
    free(s);
    s = fmt(TPL_FMT_PERCENT, "1e3", NULL, NULL, &ok);
    cr_assert_not(ok);
    free(s);
    cr_assert_str_eq(layout_grade_labels("other")[1], "合格");
}

Test(layout, kv_source)
{
    kv_map *m = kv_new();
    kv_set(m, "a.b", "1");
    kv_set(m, "a.b", "2");
    kv_set(m, "list.0.x", "x0");
    kv_set(m, "list.2.x", "x2");
    kv_set(m, "listy.5.x", "no");
    layout_source s = kv_source(m);
    cr_assert_str_eq(s.lookup(s.ctx, "a.b"), "2");
    cr_assert_null(s.lookup(s.ctx, "a"));
    cr_assert_eq(s.count(s.ctx, "list"), 3);
    cr_assert_str_eq(s.item(s.ctx, "list", 2, "x"), "x2");
    cr_assert_null(s.item(s.ctx, "list", 1, "x"));
    kv_free(m);
}

/* All text of cells on pages of the model, concatenated. */
static char *all_text(const lo_doc *d)
{
    sbuf b = {0};
    sbuf_puts(&b, "");
    for (size_t p = 0; p < d->npages; p++)
        for (size_t i = 0; i < d->pages[p].ncells; i++) sbuf_puts(&b, d->pages[p].cells[i].text);
    return b.data;
}

static const lo_cell *find_exact(const lo_doc *d, size_t page, const char *text)
{
    for (size_t i = 0; i < d->pages[page].ncells; i++)
        if (!strcmp(d->pages[page].cells[i].text, text)) return &d->pages[page].cells[i];
    return NULL;
}

static const lo_cell *find_cell(const lo_doc *d, size_t page, const char *prefix)
{
    for (size_t i = 0; i < d->pages[page].ncells; i++)
        if (!strncmp(d->pages[page].cells[i].text, prefix, strlen(prefix))) return &d->pages[page].cells[i];
    return NULL;
}

Test(layout, demo_pages_continuation_and_repeats, .init = setup, .fini = teardown)
{
    sbuf err = {0};
    tpl_form *t = ufx_template(DEMO);
    cr_assert_not_null(t, "%s", err.data);
    kv_map *m = fixture_demo_data(45, 1500);
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, FS, &err);
    cr_assert_not_null(d, "%s", err.data);
    cr_assert_eq(d->diags.n, 0, "diag: %s", ufx_diags(&d->diags));
    cr_assert_geq(d->npages, 4);
    /* page 2 is the 续页 of the summary */
    cr_assert_not(d->pages[0].continuation);
    cr_assert(d->pages[1].continuation);
    cr_assert_not_null(find_cell(d, 1, "个人总结（续页）——张三"), "the 续页 names the field and the person");
    /* the summary is whole across the form and its 续页, in order */
    const char *summary = kv_get(m, "person.summary");
    sbuf joined = {0};
    sbuf_puts(&joined, "");
    for (size_t p = 0; p < d->npages; p++)
        for (size_t i = 0; i < d->pages[p].ncells; i++) {
            const lo_cell *c = &d->pages[p].cells[i];
            if ((p == 0 && c->col == 1 && c->colspan == 6 && c->valign == TPL_TOP) ||
                (d->pages[p].continuation && c->row == 1))
                sbuf_puts(&joined, c->text);
        }
    char *want = fixture_squeeze(strdup(summary));
    char *got = fixture_squeeze(joined.data);
    char *mark = strstr(got, "（转续页）");
    cr_assert_not_null(mark, "the part on the form ends with the continue mark");
    memmove(mark, mark + strlen("（转续页）"), strlen(mark + strlen("（转续页）")) + 1);
    cr_assert_str_eq(got, want);
    free(want);
    sbuf_free(&joined);
    /* the summary cell shrank to its minimum before continuing */
    const lo_cell *sc = find_cell(d, 0, "本年度");
    cr_assert_not_null(sc);
    cr_assert_float_eq(sc->size, 10.5, 1e-9);
    /* every line of the box lies inside the box */
    double bottom = sc->text_top + (sc->nlines ? ((sc->nlines - 1) * sc->size * sc->leading + sc->size) * 25.4 / 72 : 0);
    cr_assert_leq(bottom, sc->h + 1e-6);
    /* list pages: the first list page has the head, later pages repeat it */
    size_t list_pages = 0;
    for (size_t p = 2; p < d->npages; p++) {
        const lo_page *pg = &d->pages[p];
        cr_assert_not_null(find_cell(d, p, "XX市财政局人员花名册"), "page %zu has the list title", p + 1);
        cr_assert_not_null(find_cell(d, p, "序号"));
        if (p > 2) {
            cr_assert(pg->rows[0].repeat && pg->rows[1].repeat, "head repeated on page %zu", p + 1);
            cr_assert_eq(pg->rows[0].sheet_row, d->pages[2].rows[0].sheet_row);
        }
        list_pages++;
        /* rows fit the page */
        double h = 0;
        for (size_t r = 0; r < pg->nrows; r++) h += pg->rows[r].h;
        cr_assert_leq(h, d->page_h - d->margin[0] - d->margin[2] + 1e-6);
    }
    cr_assert_geq(list_pages, 2, "45 persons span at least two pages");
    /* every roster row is there once */
    char *all = all_text(d);
    for (size_t i = 0; i < 45; i++) {
        char key[64];
        snprintf(key, sizeof key, "persons.%zu.name", i);
        cr_assert_not_null(strstr(all, kv_get(m, key)), "%s", kv_get(m, key));
    }
    free(all);
    /* typed values */
    const lo_cell *score = find_cell(d, 0, "92.50");
    cr_assert_not_null(score);
    cr_assert_eq(score->kind, LO_NUMBER);
    cr_assert_float_eq(score->number, 92.5, 1e-9);
    cr_assert_str_eq(score->numfmt, "0.00");
    const lo_cell *birth = find_cell(d, 0, "1980年5月");
    cr_assert_eq(birth->kind, LO_DATE);
    cr_assert_eq(birth->year, 1980);
    cr_assert_eq(birth->month, 5);
    const lo_cell *ratio = find_cell(d, 0, "20%");
    cr_assert_eq(ratio->kind, LO_NUMBER);
    cr_assert_float_eq(ratio->number, 0.2, 1e-9);
    cr_assert_str_eq(ratio->numfmt, "0%");
    const lo_cell *grade = find_exact(d, 0, "优秀");
    cr_assert_eq(grade->nchoices, 4);
    cr_assert_str_eq(grade->choices[1], "称职");
    /* header/footer keep the page tokens */
    cr_assert_str_eq(d->footer.part[1], "第 " LO_PAGE_TOKEN " 页 共 " LO_PAGES_TOKEN " 页");
    cr_assert_str_eq(d->header.part[1], "XX市财政局 年度考核");
    /* geometry: cells sit on the grid, centred between the margins */
    cr_assert_float_eq(d->x0, 15, 1e-9);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

Test(layout, short_text_fits_on_one_page_and_empty_list, .init = setup, .fini = teardown)
{
    sbuf err = {0};
    tpl_form *t = ufx_template(DEMO);
    kv_map *m = fixture_demo_data(0, 100);
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, FS, &err);
    cr_assert_eq(d->npages, 2, "form page and the (empty) list page");
    cr_assert_not(d->pages[1].continuation);
    cr_assert_not_null(find_cell(d, 1, "（无人员）"));
    const lo_cell *sc = find_cell(d, 0, "本年度");
    cr_assert_float_eq(sc->size, 12, 1e-9, "short text keeps its size");
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

Test(layout, bad_data_is_reported_not_dropped, .init = setup, .fini = teardown)
{
    sbuf err = {0};
    tpl_form *t = ufx_template(DEMO);
    kv_map *m = fixture_demo_data(1, 50);
    kv_set(m, "person.name", "张\xff三𠀀");          /* invalid byte, non-BMP character */
    kv_set(m, "person.ethnicity", "\xe0\xb8\x81");   /* Thai ก */
    kv_set(m, "person.birth", "1980/05");            /* not a date */
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, FS, &err);
    bool inval = false, nonbmp = false, badval = false;
    for (size_t i = 0; i < d->diags.n; i++) {
        const char *code = d->diags.v[i].code;
        if (!strcmp(code, "INVALID_TEXT")) inval = true;
        if (!strcmp(code, "NON_BMP_CHAR") || !strcmp(code, "FONT_MISSING_GLYPH")) nonbmp = true;
        if (!strcmp(code, "BAD_VALUE")) badval = true;
    }
    /* characters beyond the BMP print now (fallback faces); a character no
     * face has is charcheck's to report, with the person */
    cr_assert(inval && badval && !nonbmp);
    cr_assert(font_has(FS, FONT_SONG, 0x20000) && font_has(FS, FONT_SONG, 0x0E01), "fallback faces");
    cr_assert_not_null(find_cell(d, 0, "张\xef\xbf\xbd三𠀀"));
    const lo_cell *b = find_cell(d, 0, "1980/05");
    cr_assert_not_null(b);
    cr_assert_eq(b->kind, LO_TEXT);
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&err);
}

Test(layout, fonts_report_missing_glyphs, .init = setup)
{
    cr_assert(font_has(FS, FONT_SONG, 0x4E2D));
    cr_assert_float_eq(font_advance(FS, FONT_SONG, 0x4E2D), 1.0, 0.01);
    cr_assert_eq(font_face_id(FS, FONT_SONG), font_face_id(FS, FONT_FANG), "song and fang share UMing");
    cr_assert_neq(font_face_id(FS, FONT_SONG), font_face_id(FS, FONT_HEI));
    font_role r;
    cr_assert(font_role_parse("仿宋", &r) && r == FONT_FANG);
    cr_assert_not(font_role_parse("comic", &r));
    font_spec bad[FONT_NROLES];
    font_default_specs(bad);
    bad[FONT_KAI].path = "/nonexistent/font.ttf";
    sbuf err = {0};
    cr_assert_null(font_set_open(bad, &err));
    cr_assert(strstr(err.data, "FONT_UNREADABLE"));
    sbuf_free(&err);
    font_set_free(FS);
}

/* A row's when/unless follows its value: set, not "" and not "0" is true;
 * a hidden group takes no room on the page. */
Test(layout, rows_shown_by_when_and_unless, .init = setup, .fini = teardown)
{
    const char *x = "<form xmlns=\"urn:kaohe:form:1\" name=\"c\"><columns>20 20</columns>"
                    "<row height=\"10\" when=\"n\"><cell rowspan=\"2\">有{{n}}人</cell><cell>甲</cell></row>"
                    "<row height=\"10\"><cell>乙</cell></row>"
                    "<row height=\"10\" unless=\"n\"><cell colspan=\"2\">无人</cell></row>"
                    "<row height=\"10\"><cell colspan=\"2\">尾</cell></row></form>";
    sbuf err = {0};
    tpl_form *t = ufx_template_mem(x, strlen(x), "c.xml");
    cr_assert_not_null(t, "%s", err.data);
    const char *values[] = {"3", "0", "", NULL};
    const char *want[] = {"有3人甲乙尾", "无人尾", "无人尾", "无人尾"};
    for (int i = 0; i < 4; i++) {
        kv_map *m = kv_new();
        if (values[i]) kv_set(m, "n", values[i]);
        layout_source src = kv_source(m);
        lo_doc *d = layout_run(t, &src, FS, &err);
        cr_assert_not_null(d, "%s", err.data);
        char *text = all_text(d);
        cr_expect_str_eq(text, want[i], "n = %s", values[i] ? values[i] : "(absent)");
        const lo_cell *tail = find_exact(d, 0, "尾");
        cr_assert_not_null(tail);
        cr_expect_float_eq(tail->y - d->pages[0].cells[0].y, i == 0 ? 20 : 10, 1e-6, "hidden rows take no room");
        free(text);
        lo_doc_free(d);
        kv_free(m);
    }
    tpl_free(t);
    sbuf_free(&err);
}

/* ---- layout_stream: the pages of layout_run, one at a time ---- */

#define SUMMARY "../templates/forms/summary.xml"

static bool same_str(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

static void assert_same_cell(const lo_cell *a, const lo_cell *b, size_t page, size_t i)
{
    cr_assert(a->row == b->row && a->col == b->col && a->rowspan == b->rowspan && a->colspan == b->colspan,
              "page %zu cell %zu: position", page, i);
    cr_assert(a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h, "page %zu cell %zu: box", page, i);
    cr_assert_str_eq(a->text, b->text, "page %zu cell %zu", page, i);
    cr_assert(a->font == b->font && a->size == b->size && a->nlines == b->nlines && a->text_top == b->text_top,
              "page %zu cell %zu: text setting", page, i);
    for (size_t k = 0; k < a->nlines; k++)
        cr_assert(a->lines[k].start == b->lines[k].start && a->lines[k].end == b->lines[k].end,
                  "page %zu cell %zu line %zu", page, i, k);
    cr_assert(a->kind == b->kind && a->number == b->number && same_str(a->numfmt, b->numfmt) &&
              a->nchoices == b->nchoices && same_str(a->formula, b->formula) && a->has_range == b->has_range &&
              a->range_first == b->range_first && a->range_last == b->range_last,
              "page %zu cell %zu: value", page, i);
    cr_assert(!memcmp(a->border, b->border, 4) && a->halign == b->halign && a->valign == b->valign,
              "page %zu cell %zu: style", page, i);
}

/* The sink compares each page it is handed with the whole layout's. */
typedef struct compare_sink {
    const lo_doc *whole;
    size_t seen;
} compare_sink;

static void compare_page(void *ctx, const lo_doc *d, const lo_page *pg)
{
    compare_sink *cs = ctx;
    size_t p = cs->seen++;
    cr_assert_lt(p, cs->whole->npages, "more pages than layout_run's %zu", cs->whole->npages);
    const lo_page *want = &cs->whole->pages[p];
    cr_assert(pg->continuation == want->continuation && pg->chart == want->chart &&
              pg->chart_from == want->chart_from && pg->chart_to == want->chart_to, "page %zu: kind", p);
    cr_assert_eq(pg->nrows, want->nrows, "page %zu", p);
    for (size_t r = 0; r < pg->nrows; r++)
        cr_assert(pg->rows[r].h == want->rows[r].h && pg->rows[r].sheet_row == want->rows[r].sheet_row &&
                  pg->rows[r].repeat == want->rows[r].repeat, "page %zu row %zu", p, r);
    cr_assert_eq(pg->ncells, want->ncells, "page %zu", p);
    for (size_t i = 0; i < pg->ncells; i++) assert_same_cell(&pg->cells[i], &want->cells[i], p, i);
    /* what every page shares is there when the first one leaves */
    cr_assert_str_eq(d->footer.part[1], cs->whole->footer.part[1]);
    if (pg->chart) cr_assert_not_null(d->chart);
}

static void check_stream(const char *tpl_path, kv_map *m, size_t min_pages)
{
    sbuf err = {0};
    tpl_form *t = ufx_template(tpl_path);
    cr_assert_not_null(t, "%s", err.data);
    layout_source src = kv_source(m);
    lo_doc *whole = layout_run(t, &src, FS, &err);
    cr_assert_not_null(whole, "%s", err.data);
    cr_assert_geq(whole->npages, min_pages);
    compare_sink cs = {whole, 0};
    lo_sink sink = {compare_page, &cs};
    lo_doc *shell = layout_stream(t, &src, FS, &sink, &err);
    cr_assert_not_null(shell, "%s", err.data);
    cr_assert_eq(cs.seen, whole->npages);
    cr_assert_eq(shell->npages, 0);
    cr_assert_null(shell->pages);
    cr_assert_eq(shell->nsheet_rows, whole->nsheet_rows);
    cr_assert_eq(shell->diags.n, whole->diags.n);
    sbuf a = {0};
    sbuf_puts(&a, ufx_diags(&shell->diags));
    cr_assert_str_eq(a.data, ufx_diags(&whole->diags));
    sbuf_free(&a);
    cr_assert_eq(!shell->chart, !whole->chart);
    if (shell->chart) cr_assert_eq(shell->chart->ncats, whole->chart->ncats);
    lo_doc_free(shell);
    lo_doc_free(whole);
    tpl_free(t);
    sbuf_free(&err);
}

Test(layout, stream_hands_over_the_pages_of_layout_run, .init = setup, .fini = teardown)
{
    /* the demo: a 续页, list heads repeated on later pages */
    kv_map *m = fixture_demo_data(45, 1500);
    check_stream(DEMO, m, 4);
    kv_free(m);
    /* the summary: 300 units, a row as tall as a page and its 续页, the
     * totals' formulas over the list, chart pages */
    m = fixture_summary_data(300, 3000);
    check_stream(SUMMARY, m, 14);
    kv_free(m);
    /* no unit: the list's empty row, no chart */
    m = fixture_summary_data(0, 0);
    check_stream(SUMMARY, m, 1);
    kv_free(m);
}

/* CPU seconds of laying out the summary with one 问题 cell of `chars`
 * characters (and how many pages it took). */
static double summary_cpu(size_t chars, size_t *pages)
{
    kv_map *m = fixture_summary_data(5, chars);
    sbuf err = {0};
    tpl_form *t = ufx_template(SUMMARY);
    cr_assert_not_null(t, "%s", err.data);
    layout_source src = kv_source(m);
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    lo_doc *d = layout_run(t, &src, FS, &err);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    cr_assert_not_null(d, "%s", err.data);
    *pages = d->npages;
    lo_doc_free(d);
    tpl_free(t);
    kv_free(m);
    sbuf_free(&err);
    return (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
}

/* A cell continued over many 续页 costs time in proportion to its text:
 * four times the text, about four times the time (it was n²: 40,000
 * findings in one 问题 cell took 53 s, 80,000 took 159 s). */
Test(layout, long_cell_continues_in_linear_time, .init = setup, .fini = teardown)
{
    size_t p1, p4;
    summary_cpu(20000, &p1);   /* warm-up: fonts, page cache */
    double t1 = summary_cpu(200000, &p1), t4 = summary_cpu(800000, &p4);
    cr_log_info("200,000 characters: %zu pages %.2f s; 800,000: %zu pages %.2f s", p1, t1, p4, t4);
    cr_assert_gt(p4, 3 * p1, "the long cell did not continue over more pages (%zu, %zu)", p1, p4);
    cr_expect_lt(t4, 7 * t1 + 0.1, "4x the text took %.1fx the time (%.2f s vs %.2f s): not linear", t4 / t1, t4, t1);
}

/* ---- printing on both sides (issue 16) ---- */

#define DUPLEX_FORM(duplex, body)                                                               \
    "<form xmlns=\"urn:kaohe:form:1\" name=\"d\" margins=\"20 15 20 25\" duplex=\"" duplex "\">" \
    "<columns>100 70</columns>" body "</form>"

static tpl_form *parse_or_fail(const char *x)
{
    sbuf err = {0};
    tpl_form *t = ufx_template_mem(x, strlen(x), "d.xml");
    cr_assert_not_null(t, "%s", err.data);
    sbuf_free(&err);
    return t;
}

static lo_doc *lay(const tpl_form *t, kv_map *m, bool simplex)
{
    sbuf err = {0};
    layout_source src = kv_source(m);
    lo_print pr = {simplex};
    lo_doc *d = layout_stream_print(t, &src, FS, NULL, &pr, &err);
    cr_assert_not_null(d, "%s", err.data);
    sbuf_free(&err);
    return d;
}

Test(layout, per_person_duplex_mirrors_even_pages_and_pads_to_even, .init = setup, .fini = teardown)
{
    tpl_form *t = parse_or_fail(DUPLEX_FORM("per-person",
        "<row height=\"10\"><cell>一</cell><cell>甲</cell></row><page-break/>"
        "<row height=\"10\"><cell>二</cell><cell>乙</cell></row><page-break/>"
        "<row height=\"10\"><cell>三</cell><cell>丙</cell></row>"));
    kv_map *m = kv_new();
    lo_doc *d = lay(t, m, false);
    cr_assert_eq(d->npages, 4, "3 pages padded to 4, got %zu", d->npages);
    for (size_t p = 0; p < 4; p++) {
        cr_expect_eq(d->pages[p].mirrored, p % 2 == 1, "page %zu", p + 1);
        cr_expect_eq(d->pages[p].blank, p == 3, "page %zu", p + 1);
        double left, right;
        layout_page_margins(d, &d->pages[p], &left, &right);
        /* the binding margin (25 mm) is on the left of odd pages, the right of even ones */
        cr_expect_float_eq(left, p % 2 ? 15 : 25, 1e-9, "page %zu", p + 1);
        cr_expect_float_eq(right, p % 2 ? 25 : 15, 1e-9, "page %zu", p + 1);
        cr_expect_float_eq(d->pages[p].cells[0].x, left, 1e-9, "page %zu: grid at the margin", p + 1);
        const lo_cell *last = &d->pages[p].cells[d->pages[p].ncells - 1];
        cr_expect_leq(last->x + last->w, 210 - right + 1e-9, "page %zu", p + 1);
    }
    cr_expect_str_eq(d->pages[3].cells[0].text, "本页无正文");
    lo_doc_free(d);
    /* simplex: neither mirrored nor padded */
    d = lay(t, m, true);
    cr_assert_eq(d->npages, 3);
    for (size_t p = 0; p < 3; p++) {
        cr_expect(!d->pages[p].mirrored && !d->pages[p].blank, "page %zu", p + 1);
        cr_expect_float_eq(d->pages[p].cells[0].x, 25, 1e-9);
    }
    lo_doc_free(d);
    tpl_free(t);
    /* mirror only: an odd count stays odd; an even count is not padded either */
    t = parse_or_fail(DUPLEX_FORM("mirror", "<row height=\"10\"><cell>一</cell><cell>甲</cell></row>"));
    d = lay(t, m, false);
    cr_expect_eq(d->npages, 1);
    lo_doc_free(d);
    tpl_free(t);
    kv_free(m);
}

static void count_page(void *ctx, const lo_doc *d, const lo_page *pg)
{
    (void)d;
    size_t *n = ctx;
    (*n) += 1 + (pg->blank ? 100 : 0) + (pg->mirrored ? 1000 : 0);
}

Test(layout, streamed_duplex_pads_like_the_whole_layout, .init = setup, .fini = teardown)
{
    tpl_form *t = parse_or_fail(DUPLEX_FORM("per-person", "<row height=\"10\"><cell>一</cell><cell>甲</cell></row>"));
    kv_map *m = kv_new();
    layout_source src = kv_source(m);
    size_t n = 0;
    lo_sink sink = {count_page, &n};
    sbuf err = {0};
    lo_doc *d = layout_stream_print(t, &src, FS, &sink, NULL, &err);
    cr_assert_not_null(d);
    cr_expect_eq(n, 2 + 100 + 1000, "one page, then a mirrored blank one (got %zu)", n);
    lo_doc_free(d);
    tpl_free(t);
    kv_free(m);
    sbuf_free(&err);
}

/* The 签名 row under a text that continues on a 续页 is drawn after the
 * text's end, and left empty (borders only) in its own place. */
Test(layout, follows_text_row_comes_after_the_continued_text, .init = setup, .fini = teardown)
{
    tpl_form *t = parse_or_fail(DUPLEX_FORM("per-person",
        "<row height=\"60\"><cell rowspan=\"2\">总结</cell>"
        "<cell align=\"left\" valign=\"top\" min-size=\"10\" continue-mark=\"（转续页）\">{{s}}</cell></row>"
        "<row height=\"10\" follows-text=\"true\"><cell align=\"right\">签名：　　年　月　日</cell></row>"));
    kv_map *m = kv_new();
    sbuf long_text = {0};
    for (int i = 0; i < 400; i++) sbuf_puts(&long_text, "认真学习，");
    sbuf_puts(&long_text, "结束语。");
    const char *texts[] = {"简短的总结。", long_text.data};
    for (int k = 0; k < 2; k++) {
        kv_set(m, "s", texts[k]);
        lo_doc *d = lay(t, m, false);
        const lo_page *p1 = &d->pages[0];
        const lo_cell *sig = NULL;
        for (size_t i = 0; i < p1->ncells; i++)
            if (p1->cells[i].row == 1) sig = &p1->cells[i];
        cr_assert_not_null(sig);
        if (k == 0) {
            cr_expect_eq(d->npages, 2, "one page, padded");
            cr_expect_str_eq(sig->text, "签名：　　年　月　日", "text fits: the row keeps its text");
        } else {
            cr_expect_str_eq(sig->text, "", "continued: the row stays empty on page 1");
            /* the last 续页 (before the padding) ends with the text, then the row */
            size_t last = d->npages - 1;
            while (last > 0 && d->pages[last].blank) last--;
            const lo_page *pl = &d->pages[last];
            cr_assert(pl->continuation);
            cr_assert_geq(pl->ncells, 3);
            const lo_cell *box = &pl->cells[pl->ncells - 2], *tail = &pl->cells[pl->ncells - 1];
            cr_expect_str_eq(tail->text, "签名：　　年　月　日");
            cr_expect(strstr(box->text, "结束语。") != NULL, "the box holds the text's end");
            cr_expect_float_eq(tail->y, box->y + box->h, 1e-9, "the row right under the text");
            cr_expect_eq(box->border[TPL_SIDE_BOTTOM], TPL_BORDER_NONE);
            cr_expect_eq(tail->border[TPL_SIDE_BOTTOM], TPL_BORDER_THIN);
            cr_expect_eq(d->npages % 2, 0, "padded to an even count");
        }
        lo_doc_free(d);
    }
    sbuf_free(&long_text);
    tpl_free(t);
    kv_free(m);
}

/* Centred titles break into balanced lines: no character or word alone on
 * the last line under a full one. */
Test(layout, centred_titles_break_into_balanced_lines, .init = setup, .fini = teardown)
{
    tpl_form *t = parse_or_fail(DUPLEX_FORM("mirror",
        "<row height=\"30\"><cell size=\"18\" font=\"hei\">安平市供销合作社联合社年度考核民主测评结果汇总表</cell>"
        "<cell></cell></row>"));
    /* 100 mm at 18 pt: 15 characters a line, greedy breaking leaves 9 on the second */
    kv_map *m = kv_new();
    lo_doc *d = lay(t, m, false);
    const lo_cell *c = &d->pages[0].cells[0];
    cr_assert_geq(c->nlines, 2, "%zu lines at %.1f pt", c->nlines, c->size);
    double wmin = 1e9, wmax = 0;
    for (size_t k = 0; k < c->nlines; k++) {
        if (c->lines[k].width < wmin) wmin = c->lines[k].width;
        if (c->lines[k].width > wmax) wmax = c->lines[k].width;
    }
    cr_expect_geq(wmin, wmax * 0.75, "lines of %.0f and %.0f pt: not balanced", wmin, wmax);
    lo_doc_free(d);
    tpl_free(t);
    kv_free(m);
}

/* A name too long for its cell continues on a 续页 titled with the field
 * (the template gives no label) and the person. */
Test(layout, long_name_continues_on_a_titled_page, .init = setup, .fini = teardown)
{
    sbuf err = {0};
    tpl_form *t = ufx_template(DEMO);
    kv_map *m = fixture_demo_data(1, 50);
    sbuf name = {0};
    for (int i = 0; i < 120; i++) sbuf_puts(&name, "长名字");
    kv_set(m, "person.name", name.data);
    kv_set(m, "person.id", "P42");
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, FS, &err);
    cr_assert_not_null(d, "%s", err.data);
    bool titled = false;
    for (size_t p = 0; p < d->npages; p++)
        if (d->pages[p].continuation && find_cell(d, p, "姓名（续页）——长名字")) {
            const lo_cell *c = find_cell(d, p, "姓名（续页）——长名字");
            titled = strstr(c->text, "（P42）") != NULL;
        }
    cr_assert(titled, "no 续页 titled 姓名（续页）——<name>（P42）");
    lo_doc_free(d);
    kv_free(m);
    tpl_free(t);
    sbuf_free(&name);
    sbuf_free(&err);
}

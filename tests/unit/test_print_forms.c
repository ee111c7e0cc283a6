/* Print-ready forms (issue 16), the parts a unit test reaches directly: the
 * summary's header names every policy of the run (read back from
 * results.xml's unit@policy by summary.c, shown by title by forms.c); no
 * text touches a cell border (layout_text_inside over every template laid
 * out with long, numeric and empty values). Tests run from tests/. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "form_fixture.h"
#include "summary.h"
#include "unit_fixture.h"

static unit_fixture fx;

static void teardown(void) { ufx_free(&fx); }

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
    summary *s = summary_read(p.data, UFX_EPOCH, &err);
    cr_assert(s, "summary_read: %s", err.data ? err.data : "");
    sbuf_free(&p);
    sbuf_free(&err);
    return s;
}

/* ------------------------------------------------------------ policies */

/* Units under three policies; U2 has no policy attribute (a results.xml of
 * an earlier kaohe) and counts under the root's. */
static const char *RESULTS_POLICIES =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<results xmlns=\"urn:kaohe:results:1\" year=\"2025\" policy=\"national\">\n"
    "  <unit id=\"U1\" status=\"ok\" name=\"市甲局\" seq=\"0\" policy=\"zhangzhou\">\n"
    "    <bucket name=\"admin\" participants=\"10\" ratio=\"0.2\" places=\"2\" excellent=\"1\"/>\n"
    "  </unit>\n"
    "  <unit id=\"U2\" status=\"ok\" name=\"市乙局\" seq=\"1\">\n"
    "  </unit>\n"
    "  <unit id=\"U3\" status=\"ok\" name=\"市丙局\" seq=\"2\" policy=\"zhangzhou\">\n"
    "  </unit>\n"
    "  <unit id=\"U4\" status=\"error\" name=\"县丁局\" seq=\"3\" policy=\"quannan-2011\">\n"
    "  </unit>\n"
    "  <totals units=\"4\" persons=\"0\" graded=\"0\" excellent=\"0\" errors=\"0\" warnings=\"0\"/>\n"
    "</results>\n";

Test(print_forms, summary_lists_every_policy_in_first_use_order, .fini = teardown, .timeout = 30)
{
    teardown();
    fx.dir = fixture_tmpdir();
    write_file("results.xml", RESULTS_POLICIES);
    summary *s = read_back();
    layout_source src = summary_source(s);
    cr_expect_str_eq(src.lookup(src.ctx, "policy"), "national");
    cr_expect_str_eq(src.lookup(src.ctx, "policies"), "zhangzhou；national；quannan-2011");
    cr_assert_eq(src.count(src.ctx, "policies"), 3);
    cr_expect_str_eq(src.item(src.ctx, "policies", 0, "name"), "zhangzhou");
    cr_expect_str_eq(src.item(src.ctx, "policies", 1, "name"), "national");
    cr_expect_str_eq(src.item(src.ctx, "policies", 2, "name"), "quannan-2011");
    cr_expect_null(src.item(src.ctx, "policies", 3, "name"));
    summary_free(s);
}

/* The PDF's header shows each policy by its title, in that order; a key
 * without a policy file stays as it is. */
Test(print_forms, summary_header_names_the_policies_by_title, .fini = teardown, .timeout = 60)
{
    teardown();
    ufx_open_forms(&fx);
    /* quannan-2011 becomes a policy without a file here */
    sbuf x = {0};
    sbuf_puts(&x, RESULTS_POLICIES);
    char *q = strstr(x.data, "quannan-2011");
    sbuf r = {0};
    sbuf_add(&r, x.data, (size_t)(q - x.data));
    sbuf_puts(&r, "my-city");
    sbuf_puts(&r, q + strlen("quannan-2011"));
    write_file("results.xml", r.data);
    sbuf_free(&x);
    sbuf_free(&r);
    summary *s = read_back();
    layout_source src = summary_source(s);
    sbuf written = {0}, err = {0};
    forms_opts o = {.want_pdf = true, .want_xlsx = true, .epoch = UFX_EPOCH, .lang = LANG_ZH};
    cr_assert_eq(forms_write_summary(fx.fc, &src, fx.dir, &o, &written, &err), 0, "%s", err.data ? err.data : "");
    summary_free(s);
    char *t = ufx_pdf_text(&fx, "summary.pdf");
    const char *want = "考核政策：漳州市直机关绩效考评办法；事业单位工作人员考核规定（2023）、公务员考核规定；my-city";
    cr_expect(strstr(t, want), "no '%s' in %s", want, t);
    free(t);
    char *c = ufx_xlsx_cells(&fx, "summary.xlsx");
    cr_expect(strstr(c, "漳州市直机关绩效考评办法；事业单位工作人员考核规定（2023）、公务员考核规定；my-city"), "%s", c);
    free(c);
    sbuf_free(&written);
    sbuf_free(&err);
}

/* ------------------------------------------------ text inside its cell */

/* A source giving every path and every list field the same value, lists of
 * `rows` rows. */
typedef struct same_source {
    const char *value;
    size_t rows;
} same_source;

static const char *same_lookup(void *ctx, const char *path)
{
    (void)path;
    return ((same_source *)ctx)->value;
}

static size_t same_count(void *ctx, const char *list)
{
    (void)list;
    return ((same_source *)ctx)->rows;
}

static const char *same_item(void *ctx, const char *list, size_t index, const char *field)
{
    (void)list, (void)index, (void)field;
    return ((same_source *)ctx)->value;
}

static font_set *open_fonts(void)
{
    sbuf err = {0};
    font_set *fs = font_set_open(NULL, &err);
    cr_assert_not_null(fs, "%s", err.data);
    sbuf_free(&err);
    return fs;
}

static void drop_page(void *ctx, const lo_doc *d, const lo_page *pg) { (void)ctx, (void)d, (void)pg; }

/* A cell whose text is pushed out of its box is reported, by page, grid
 * position and distance; text inside (the layout's own) is not. */
Test(print_forms, text_outside_its_cell_is_reported, .timeout = 30)
{
    font_set *fs = open_fonts();
    sbuf err = {0};
    const char *xml = "<form xmlns=\"urn:kaohe:form:1\" name=\"t\"><columns>30 30</columns>"
                      "<row height=\"10\"><cell>考核</cell><cell align=\"left\">{{a}}</cell></row></form>";
    tpl_form *t = ufx_template_mem(xml, strlen(xml), "t.xml");
    kv_map *m = kv_new();
    kv_set(m, "a", "优秀");
    layout_source src = kv_source(m);
    lo_doc *d = layout_run(t, &src, fs, &err);
    cr_assert(d && d->npages == 1);
    sbuf probs = {0};
    cr_expect_eq(layout_text_inside(&d->pages[0], 1, &probs), 0, "%s", probs.data);
    lo_cell *c = &d->pages[0].cells[1];
    cr_assert_eq(c->nlines, 1);
    double w = c->w;
    c->w = 2 * c->pad + 1;   /* 1 mm between the paddings: 优秀 reaches across the right one */
    cr_expect_eq(layout_text_inside(&d->pages[0], 3, &probs), 1);
    cr_expect(probs.data && strstr(probs.data, "TEXT_OUTSIDE_CELL: 第 3 页第 1 行第 2 列的文字超出单元格"), "%s",
              probs.data);
    cr_expect(probs.data && strstr(probs.data, "“优秀”"), "%s", probs.data);
    c->w = w;
    c->halign = TPL_RIGHT;   /* placed by its alignment: still inside */
    cr_expect_eq(layout_text_inside(&d->pages[0], 1, NULL), 0);
    c->text_top = -0.5;   /* above the top padding */
    cr_expect_eq(layout_text_inside(&d->pages[0], 1, NULL), 1);
    c->text_top = c->h;   /* below the cell */
    cr_expect_eq(layout_text_inside(&d->pages[0], 1, NULL), 1);
    sbuf_free(&probs);
    lo_doc_free(d);
    tpl_free(t);
    /* the engine checks its own pages: a column narrower than one character
     * at the minimum size cannot hold its text, and the document says so */
    const char *narrow = "<form xmlns=\"urn:kaohe:form:1\" name=\"n\"><columns>1.5 30</columns>"
                         "<style size=\"9\" min-size=\"8\" padding=\"0.5\"/>"
                         "<row height=\"auto\"><cell>{{a}}</cell><cell>{{a}}</cell></row></form>";
    t = ufx_template_mem(narrow, strlen(narrow), "n.xml");
    lo_sink sink = {drop_page, NULL};
    for (int stream = 0; stream < 2; stream++) {   /* laid out whole, and a page at a time */
        d = layout_stream_print(t, &src, fs, stream ? &sink : NULL, NULL, &err);
        cr_assert_not_null(d);
        size_t found = 0;
        for (size_t i = 0; i < d->diags.n; i++) {
            const diag *g = &d->diags.v[i];
            if (strcmp(g->code, "TEXT_OUTSIDE_CELL")) continue;
            cr_expect_str_neq(g->args[3], "2", "the wide column's text is inside");
            sbuf text = {0};
            diag_render(g, LANG_ZH, &text);
            found += strstr(text.data, "》第 1 页第 1 行第 1 列的文字超出单元格") != NULL;
            sbuf_free(&text);
        }
        cr_expect_gt(found, 0, "no TEXT_OUTSIDE_CELL among %zu diags", d->diags.n);
        lo_doc_free(d);
    }
    sbuf_free(&err);
    kv_free(m);
    tpl_free(t);
    font_set_free(fs);
}

/* Every shipped template laid out with long values (Chinese text with Latin
 * words and numbers, wider than any column), with wide numbers and with
 * empty values, lists of 1 and 7 rows, duplex and simplex: no text line on
 * any page reaches into a cell's padding. */
Test(print_forms, no_template_puts_text_outside_its_cells, .timeout = 300)
{
    font_set *fs = open_fonts();
    char *longv = fixture_long_text(400);
    const char *values[] = {longv, "12345678901234567890.123456", "年度考核 2025 Excellent-Grade 4 名", ""};
    DIR *dd = opendir("../templates/forms");
    cr_assert(dd);
    size_t forms = 0, pages = 0;
    sbuf probs = {0};
    for (struct dirent *e; (e = readdir(dd));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".xml")) continue;
        sbuf path = {0}, err = {0};
        sbuf_printf(&path, "../templates/forms/%s", e->d_name);
        tpl_form *t = ufx_template(path.data);
        forms++;
        for (size_t v = 0; v < sizeof values / sizeof *values; v++)
            for (size_t rows = 1; rows <= 7; rows += 6)
                for (int simplex = 0; simplex < 2; simplex++) {
                    same_source ss = {values[v], rows};
                    layout_source src = {same_lookup, same_count, same_item, &ss};
                    lo_print pr = {simplex == 1};
                    lo_doc *d = layout_stream_print(t, &src, fs, NULL, &pr, &err);
                    cr_assert_not_null(d, "%s: %s", e->d_name, err.data);
                    for (size_t p = 0; p < d->npages; p++) {
                        size_t before = probs.len;
                        if (layout_text_inside(&d->pages[p], p + 1, &probs))
                            sbuf_printf(&probs, "  (%s, value %zu, %zu rows)\n", e->d_name, v, rows);
                        (void)before;
                    }
                    pages += d->npages;
                    lo_doc_free(d);
                }
        tpl_free(t);
        sbuf_free(&path);
        sbuf_free(&err);
    }
    closedir(dd);
    cr_expect_geq(forms, 17, "templates found: %zu", forms);
    cr_expect_gt(pages, 500, "pages laid out: %zu", pages);
    cr_expect_eq(probs.len, 0, "%.4000s", probs.data ? probs.data : "");
    sbuf_free(&probs);
    free(longv);
    font_set_free(fs);
}

/* ------------------------------------------------------- the tally's 备注 */

/* 11 participants, 2 places: T1 is the leader's proposal with fewer
 * excellent votes than T2 and T3, who tie for the one place left (T2
 * before T3 by id); T4 on probation, T6 under investigation; T5 on long
 * leave is not appraised (not on the tally). The 备注 explains each grade
 * that is not the vote order's and each 不定等次, with the counts, and
 * shows no person id. */
Test(print_forms, tally_notes_explain_every_departure_from_the_votes, .fini = teardown, .timeout = 60)
{
    ufx_begin(&fx, "national", 2025);
    ufx_ingest(&fx,
               "<unit xmlns=\"urn:kaohe:appraisal:1\" id=\"U001\" name=\"某市统计局\">"
               "<person id=\"T1\" name=\"甲一\" category=\"civil-servant\"><votes excellent=\"5\" competent=\"20\"/>"
               "<proposal grade=\"excellent\"/></person>"
               "<person id=\"T2\" name=\"乙二\" category=\"civil-servant\"><votes excellent=\"15\" competent=\"10\"/></person>"
               "<person id=\"T3\" name=\"丙三\" category=\"civil-servant\"><votes excellent=\"15\" competent=\"10\"/></person>"
               "<person id=\"T4\" name=\"丁四\" category=\"civil-servant\"><status probation=\"true\"/></person>"
               "<person id=\"T5\" name=\"戊五\" category=\"civil-servant\"><status leaveMonths=\"8\" leaveType=\"personal\"/></person>"
               "<person id=\"T6\" name=\"己六\" category=\"civil-servant\"><status underInvestigation=\"true\"/></person>"
               "<person id=\"T7\" name=\"庚七\" category=\"civil-servant\"><votes excellent=\"2\" competent=\"23\"/></person>"
               "<person id=\"T8\" name=\"辛八\" category=\"civil-servant\"><votes excellent=\"2\" competent=\"23\"/></person>"
               "<person id=\"T9\" name=\"壬九\" category=\"civil-servant\"><votes excellent=\"1\" competent=\"24\"/></person>"
               "<person id=\"T10\" name=\"癸十\" category=\"civil-servant\"><votes excellent=\"0\" competent=\"25\"/></person>"
               "<person id=\"T11\" name=\"子十一\" category=\"civil-servant\"><votes excellent=\"0\" competent=\"25\"/></person>"
               "<person id=\"T12\" name=\"丑十二\" category=\"civil-servant\"><votes excellent=\"0\" competent=\"25\"/></person>"
               "</unit>");
    ufx_compute(&fx);
    ufx_open_forms(&fx);
    ufx_write_unit(&fx, NULL);
    char *x = ufx_xlsx_cells(&fx, "U001/tally.xlsx");
    const char *want[] = {
        "※按主管领导建议确定（优秀票5票）",
        "※与丙三优秀票同为15票，按人员编号顺序确定为优秀",
        "※与乙二优秀票同为15票，按人员编号顺序未确定为优秀",
        "※试用期人员，只写评语，不定等次",
        "※涉嫌违纪违法被立案调查尚未结案，不定等次",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) cr_expect(strstr(x, want[i]), "no %s in\n%s", want[i], x);
    cr_expect(!strstr(x, "戊五"), "a person not appraised on the tally");
    for (int i = 1; i <= 12; i++) {
        char id[8];
        snprintf(id, sizeof id, "T%d", i);
        cr_expect(!strstr(x, id), "the internal id %s is shown:\n%s", id, x);
    }
    free(x);
    char *t = ufx_pdf_text(&fx, "U001/tally.pdf");
    cr_expect(strstr(t, "※按主管领导建议确定（优秀票5票）"), "%s", t);
    cr_expect(strstr(t, "按人员编号顺序确定为优秀"), "%s", t);
    free(t);
}

/* Tests of the template parser (templates/forms/). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "unit_fixture.h"
#include "template.h"

#define DEMO "../templates/forms/demo.xml"

static tpl_form *parse(const char *body, diag_list *err)
{
    sbuf x = {0};
    sbuf_printf(&x, "<form xmlns=\"urn:kaohe:form:1\" name=\"t\">%s</form>", body);
    tpl_form *t = tpl_parse(x.data, x.len, "t.xml", err);
    sbuf_free(&x);
    return t;
}

Test(template, demo_parses)
{
    diag_list err = {0};
    tpl_form *t = tpl_load(DEMO, &err);
    cr_assert_not_null(t, "%s", ufx_diags(&err));
    cr_assert_str_eq(t->name, "demo");
    cr_assert_eq(t->ncols, 7);
    cr_assert_float_eq(t->col_w[0], 22, 1e-9);
    cr_assert_float_eq(t->page_w, 210, 1e-9);
    cr_assert_float_eq(t->margin[TPL_SIDE_TOP], 20, 1e-9);
    cr_assert_float_eq(t->margin[TPL_SIDE_LEFT], 15, 1e-9);
    cr_assert_eq(t->nblocks, 3, "rows, page-break, list");
    cr_assert_eq(t->blocks[0].kind, TPL_BLOCK_ROWS);
    cr_assert_eq(t->blocks[1].kind, TPL_BLOCK_BREAK);
    cr_assert_eq(t->blocks[2].kind, TPL_BLOCK_LIST);
    cr_assert_str_eq(t->blocks[2].source, "persons");
    cr_assert_eq(t->blocks[2].nhead, 2);
    cr_assert_eq(t->blocks[2].nrows, 3);
    /* the photo cell spans 3 rows; the next rows' cells skip its column */
    const tpl_row *r3 = &t->blocks[0].rows[2];
    cr_assert_eq(r3->cells[6].rowspan, 3);
    cr_assert_eq(r3->cells[6].col, 6);
    cr_assert_eq(r3->cells[6].st.border[0], TPL_BORDER_MEDIUM);
    const tpl_row *r5 = &t->blocks[0].rows[4];
    cr_assert_eq(r5->cells[1].colspan, 3);
    cr_assert_eq(r5->cells[2].col, 4);
    /* bindings and formatters */
    const tpl_cell *birth = &r3->cells[5];
    cr_assert_eq(birth->nsegs, 1);
    cr_assert(birth->segs[0].binding);
    cr_assert_str_eq(birth->segs[0].text, "person.birth");
    cr_assert_eq(birth->segs[0].fmt, TPL_FMT_MONTH);
    const tpl_cell *grade = &t->blocks[0].rows[5].cells[5];
    cr_assert_eq(grade->segs[0].fmt, TPL_FMT_GRADE);
    cr_assert_str_eq(grade->segs[0].arg, "person.category");
    cr_assert_eq(grade->st.font, FONT_HEI);
    /* styles: defaults and overrides */
    const tpl_cell *summary = &t->blocks[0].rows[6].cells[1];
    cr_assert_eq(summary->st.halign, TPL_LEFT);
    cr_assert_eq(summary->st.valign, TPL_TOP);
    cr_assert_float_eq(summary->st.size, 12, 1e-9);
    cr_assert_float_eq(summary->st.min_size, 10.5, 1e-9);
    cr_assert_str_eq(summary->continue_label, "个人总结（续页）");
    /* <br/> is a line break */
    cr_assert_str_eq(t->blocks[0].rows[6].cells[0].segs[0].text, "个\n人\n总\n结");
    /* auto rows */
    cr_assert(t->blocks[0].rows[7].autoheight);
    cr_assert_float_eq(t->blocks[0].rows[7].height, 16, 1e-9);
    /* header/footer */
    cr_assert_eq(t->footer.npart[1], 5);
    cr_assert_str_eq(t->footer.part[1][1].text, "page");
    tpl_free(t);
    diag_list_free(&err);
}

Test(template, text_segments)
{
    tpl_seg *s;
    size_t n;
    diag_list err = {0};
    cr_assert(tpl_parse_text("比例 {{ unit.ratio | percent:1 }}，等次{{g|grade:'institution'}}", &s, &n, &err, "t.xml", 1));
    cr_assert_eq(n, 4);
    cr_assert_str_eq(s[0].text, "比例 ");
    cr_assert_str_eq(s[1].text, "unit.ratio");
    cr_assert_eq(s[1].fmt, TPL_FMT_PERCENT);
    cr_assert_str_eq(s[1].arg, "1");
    cr_assert_eq(s[3].fmt, TPL_FMT_GRADE);
    cr_assert(s[3].arg_literal);
    cr_assert_str_eq(s[3].arg, "institution");
    tpl_segs_free(s, n);
    cr_assert_not(tpl_parse_text("{{x|nosuch}}", &s, &n, &err, "t.xml", 1));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_BAD_FORMATTER"));
    diag_list_free(&err);
    cr_assert_not(tpl_parse_text("{{x", &s, &n, &err, "t.xml", 1));
    cr_assert_not(tpl_parse_text("{{a b}}", &s, &n, &err, "t.xml", 1));
    cr_assert_not(tpl_parse_text("{{x|number:9}}", &s, &n, &err, "t.xml", 1));
    diag_list_free(&err);
}

Test(template, errors_name_the_line)
{
    diag_list err = {0};
    cr_assert_null(parse("<columns>10 10</columns>\n<row height=\"5\"><cell colspan=\"3\">a</cell></row>", &err));
    cr_assert(strstr(ufx_diags(&err), "t.xml:2:"), "%s", ufx_diags(&err));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_GRID"));
    diag_list_free(&err);
    /* a row not covering every column */
    cr_assert_null(parse("<columns>10 10</columns><row height=\"5\"><cell>a</cell></row>", &err));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_GRID"), "%s", ufx_diags(&err));
    diag_list_free(&err);
    /* rowspan leaving the block */
    cr_assert_null(parse("<columns>10</columns><row height=\"5\"><cell rowspan=\"2\">a</cell></row>", &err));
    diag_list_free(&err);
    cr_assert_null(parse("<columns>10</columns><bogus/>", &err));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_UNEXPECTED"));
    diag_list_free(&err);
    cr_assert_null(parse("<row height=\"5\"><cell>a</cell></row>", &err));
    diag_list_free(&err);
    cr_assert_null(parse("<columns>300</columns>", &err), "wider than the page");
    diag_list_free(&err);
    cr_assert_null(parse("<columns>10</columns><row height=\"5\"><cell font=\"comic\">a</cell></row>", &err));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_BAD_FONT"));
    diag_list_free(&err);
    cr_assert_null(parse("<columns>10</columns><row height=\"5\"><cell border=\"thin thin\">a</cell></row>", &err));
    diag_list_free(&err);
    cr_assert_null(parse("<columns>10</columns><row height=\"x\"><cell>a</cell></row>", &err));
    diag_list_free(&err);
    cr_assert_null(parse("<columns>10</columns><list source=\"p\"><head/></list>", &err), "list without item");
    diag_list_free(&err);
    const char *dt = "<!DOCTYPE form [<!ENTITY x \"y\">]><form xmlns=\"urn:kaohe:form:1\" name=\"t\"/>";
    cr_assert_null(tpl_parse(dt, strlen(dt), "d.xml", &err));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_DOCTYPE"), "%s", ufx_diags(&err));
    diag_list_free(&err);
    cr_assert_null(tpl_parse("<form", 5, "bad.xml", &err));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_XML"));
    diag_list_free(&err);
    cr_assert_null(tpl_load("../templates/forms/nonexistent.xml", &err));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_UNREADABLE"));
    diag_list_free(&err);
}

/* when/unless: one of them, not empty, form-level rows only, and only on
 * the first row of a rowspan group (it shows or hides the group whole). */
Test(template, row_conditions)
{
    diag_list err = {0};
    tpl_form *t = parse("<columns>10 10</columns><row height=\"5\" when=\"a.n\"><cell rowspan=\"2\">a</cell>"
                        "<cell>b</cell></row><row height=\"5\"><cell>c</cell></row>"
                        "<row height=\"5\" unless=\"a.n\"><cell colspan=\"2\">d</cell></row>", &err);
    cr_assert_not_null(t, "%s", ufx_diags(&err));
    cr_assert_str_eq(t->blocks[0].rows[0].cond, "a.n");
    cr_assert_not(t->blocks[0].rows[0].cond_negated);
    cr_assert_null(t->blocks[0].rows[1].cond);
    cr_assert(t->blocks[0].rows[2].cond_negated);
    tpl_free(t);
    cr_assert_null(parse("<columns>10</columns><row height=\"5\" when=\"a\" unless=\"b\"><cell>a</cell></row>", &err));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_UNEXPECTED"), "%s", ufx_diags(&err));
    diag_list_free(&err);
    cr_assert_null(parse("<columns>10</columns><row height=\"5\" when=\"\"><cell>a</cell></row>", &err));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_MISSING"), "%s", ufx_diags(&err));
    diag_list_free(&err);
    cr_assert_null(parse("<columns>10 10</columns><row height=\"5\"><cell rowspan=\"2\">a</cell><cell>b</cell></row>"
                         "<row height=\"5\" when=\"x\"><cell>c</cell></row>", &err));
    cr_assert(strstr(ufx_diags(&err), "t.xml:1:") && strstr(ufx_diags(&err), "TEMPLATE_GRID"), "%s", ufx_diags(&err));
    diag_list_free(&err);
    cr_assert_null(parse("<columns>10</columns><list source=\"p\"><item><row height=\"5\" when=\"x\"><cell>a</cell>"
                         "</row></item></list>", &err));
    cr_assert(strstr(ufx_diags(&err), "TEMPLATE_UNEXPECTED"), "%s", ufx_diags(&err));
    diag_list_free(&err);
}

Test(template, rowspans_and_borders)
{
    diag_list err = {0};
    tpl_form *t = parse("<style size=\"10\" min-size=\"8\" border=\"none\"/>"
                        "<columns>10 20 30</columns>"
                        "<row height=\"5\"><cell rowspan=\"2\" border=\"thin none medium thick\">a</cell>"
                        "<cell colspan=\"2\" size=\"7\">b</cell></row>"
                        "<row height=\"auto\" min-height=\"4\"><cell>c</cell><cell align=\"right\" valign=\"bottom\">d</cell></row>",
                        &err);
    cr_assert_not_null(t, "%s", ufx_diags(&err));
    const tpl_cell *a = &t->blocks[0].rows[0].cells[0];
    cr_assert_eq(a->st.border[TPL_SIDE_TOP], TPL_BORDER_THIN);
    cr_assert_eq(a->st.border[TPL_SIDE_RIGHT], TPL_BORDER_NONE);
    cr_assert_eq(a->st.border[TPL_SIDE_BOTTOM], TPL_BORDER_MEDIUM);
    cr_assert_eq(a->st.border[TPL_SIDE_LEFT], TPL_BORDER_THICK);
    const tpl_cell *b = &t->blocks[0].rows[0].cells[1];
    cr_assert_float_eq(b->st.size, 7, 1e-9);
    cr_assert_float_eq(b->st.min_size, 7, 1e-9, "min-size never above size");
    const tpl_cell *c = &t->blocks[0].rows[1].cells[0];
    cr_assert_eq(c->col, 1, "column 0 is taken by the rowspan");
    cr_assert_eq(c->st.border[0], TPL_BORDER_NONE);
    cr_assert_float_eq(c->st.min_size, 8, 1e-9);
    cr_assert_eq(t->blocks[0].rows[1].cells[1].st.halign, TPL_RIGHT);
    cr_assert_eq(t->blocks[0].rows[1].cells[1].st.valign, TPL_BOTTOM);
    tpl_free(t);
    diag_list_free(&err);
}

/* A form whose style has min-size above 9 still takes the default 9 pt page
 * header and footer: their text never shrinks, so their min-size is their
 * size (read_style's size_sets_min was once ignored and this failed). */
Test(template, header_footer_under_a_large_min_size)
{
    diag_list err = {0};
    tpl_form *t = parse("<style size=\"12\" min-size=\"10\"/>"
                        "<header center=\"第{{page}}页\"/><footer left=\"x\" size=\"8\"/>"
                        "<columns>10 20</columns><row height=\"8\"><cell>a</cell><cell>b</cell></row>",
                        &err);
    cr_assert_not_null(t, "%s", ufx_diags(&err));
    cr_assert_float_eq(t->header.size, 9, 1e-9);
    cr_assert_float_eq(t->footer.size, 8, 1e-9);
    tpl_free(t);
    diag_list_free(&err);
}

/* Issue 16: the shipped forms print no text below 7 pt (a cell's text never
 * shrinks below its min-size), and every portrait form keeps 25 mm free on
 * its binding edge (left; mirrored on even pages when printed on both sides). */
Test(template, shipped_forms_are_print_ready)
{
    const char *forms[] = {"assessment", "ballot", "filing", "incompetent", "notice", "quota-application",
                           "quota-application-split", "ranking", "registration-civil-servant",
                           "registration-institution", "registration-managed", "registration-other",
                           "result-notice", "rewards", "summary", "tally"};
    for (size_t f = 0; f < sizeof forms / sizeof *forms; f++) {
        char path[256];
        snprintf(path, sizeof path, "../templates/forms/%s.xml", forms[f]);
        diag_list err = {0};
        tpl_form *t = tpl_load(path, &err);
        cr_assert_not_null(t, "%s: %s", path, ufx_diags(&err));
        diag_list_free(&err);
        cr_expect_geq(t->header.size, 7, "%s header", forms[f]);
        cr_expect_geq(t->footer.size, 7, "%s footer", forms[f]);
        for (size_t b = 0; b < t->nblocks; b++)
            for (size_t r = 0; r < t->blocks[b].nrows; r++) {
                const tpl_row *row = &t->blocks[b].rows[r];
                for (size_t c = 0; c < row->ncells; c++)
                    cr_expect_geq(row->cells[c].st.min_size, 7, "%s line %d: min-size %.1f pt", forms[f],
                                  row->cells[c].line, row->cells[c].st.min_size);
            }
        if (!t->landscape) {
            cr_expect_geq(t->margin[TPL_SIDE_LEFT], 25, "%s: binding margin %.0f mm", forms[f],
                          t->margin[TPL_SIDE_LEFT]);
            double grid = 0;
            for (size_t i = 0; i < t->ncols; i++) grid += t->col_w[i];
            /* the grid starts at the binding margin, on odd and (mirrored) even pages */
            double avail = t->page_w - t->margin[TPL_SIDE_LEFT] - t->margin[TPL_SIDE_RIGHT];
            cr_expect_leq(grid, avail + 1e-9, "%s", forms[f]);
            bool multi_page = strcmp(forms[f], "notice") != 0;
            if (multi_page) cr_expect(t->duplex_mirror, "%s: not mirrored for duplex printing", forms[f]);
            if (!strncmp(forms[f], "registration", 12))
                cr_expect(t->duplex_pad, "%s: each person must start on an odd page", forms[f]);
        }
        tpl_free(t);
    }
}

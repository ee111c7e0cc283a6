/* Print-ready forms (issue 16), the parts a unit test reaches directly: the
 * summary's header names every policy of the run (read back from
 * results.xml's unit@policy by summary.c, shown by title by forms.c). Tests
 * run from tests/. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* unit_fixture — see unit_fixture.h. */
#include "unit_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form_fixture.h"

tpl_form *ufx_template(const char *path)
{
    diag_list dl = {0};
    tpl_form *t = tpl_load(path, &dl);
    cr_assert_not_null(t, "%s: %s", path, ufx_diags(&dl));
    diag_list_free(&dl);
    return t;
}

tpl_form *ufx_template_mem(const char *xml, size_t len, const char *name)
{
    diag_list dl = {0};
    tpl_form *t = tpl_parse(xml, len, name, &dl);
    cr_assert_not_null(t, "%s: %s", name, ufx_diags(&dl));
    diag_list_free(&dl);
    return t;
}

const char *ufx_diags(const diag_list *dl)
{
    static sbuf b;   /* a test is one process */
    sbuf_clear(&b);
    sbuf_puts(&b, "");
    diag_render_all(dl, LANG_ZH, &b);
    return b.data;
}

void ufx_free(unit_fixture *fx)
{
    if (fx->u) {
        model_unit_free(fx->u);
        free(fx->u);
    }
    policy_free(fx->pol);
    calendar_free(fx->cal);
    scheme_set_free(fx->schemes);
    forms_ctx_free(fx->fc);
    if (fx->dir && getenv("KAOHE_FORMS_KEEP")) fprintf(stderr, "kept %s\n", fx->dir);
    else if (fx->dir) fixture_rmdir(fx->dir);
    free(fx->dir);
    memset(fx, 0, sizeof *fx);
}

void ufx_begin(unit_fixture *fx, const char *preset, int year)
{
    ufx_free(fx);
    char err[512];
    fx->pol = policy_load(preset, "../templates/policies", err, sizeof err);
    cr_assert(fx->pol, "policy %s: %s", preset, err);
    fx->cal = calendar_load_dir("../templates/calendars", err, sizeof err);
    cr_assert(fx->cal, "calendars: %s", err);
    fx->hdr.year = year;
    fx->hdr.path = "test.xml";
    snprintf(fx->hdr.policy, sizeof fx->hdr.policy, "%s", preset);
}

void ufx_load_schemes(unit_fixture *fx)
{
    char err[512];
    fx->schemes = scheme_set_load_dir("../templates/schemes", err, sizeof err);
    cr_assert(fx->schemes, "schemes: %s", err);
}

unit *ufx_ingest(unit_fixture *fx, const char *unit_xml)
{
    fx->u = ingest_unit_from_string(unit_xml, &fx->hdr);
    cr_assert(fx->u, "unit XML did not parse");
    return fx->u;
}

void ufx_compute(unit_fixture *fx)
{
    rules_env env = {fx->pol, fx->cal, LANG_ZH, {fx->hdr.year, 12, 1}};
    rules_compute_unit(fx->u, &env);
}

void ufx_open_forms(unit_fixture *fx)
{
    char err[512];
    fx->fc = forms_ctx_new("../templates/forms", LANG_ZH, err, sizeof err);
    cr_assert(fx->fc, "forms_ctx_new: %s", err);
    fx->dir = fixture_tmpdir();
    cr_assert(fx->dir);
}

void ufx_write_unit(unit_fixture *fx, sbuf *written)
{
    sbuf err = {0}, d = {0};
    sbuf_printf(&d, "%s/U001", fx->dir);
    forms_opts o = {.want_pdf = true, .want_xlsx = true, .epoch = UFX_EPOCH, .lang = LANG_ZH};
    int rc = forms_write_unit(fx->fc, fx->u, fx->pol, d.data, &o, written, &err);
    cr_assert_eq(rc, 0, "forms_write_unit: %s", err.data ? err.data : "");
    sbuf_free(&d);
    sbuf_free(&err);
}

char *ufx_pdf_text(const unit_fixture *fx, const char *rel)
{
    sbuf c = {0};
    int st;
    char *e = NULL;
    sbuf_printf(&c, "pdftotext -raw -enc UTF-8 '%s/%s' -", fx->dir, rel);
    char *out = fixture_run(c.data, &st, &e);
    cr_assert_eq(st, 0, "pdftotext %s failed", rel);
    cr_assert_str_empty(e, "poppler warnings on %s: %s", rel, e);
    free(e);
    sbuf_clear(&c);
    sbuf_printf(&c, "qpdf --check '%s/%s'", fx->dir, rel);
    char *q = fixture_run(c.data, &st, NULL);
    cr_assert_eq(st, 0, "qpdf --check %s: %s", rel, q);
    free(q);
    sbuf_free(&c);
    return fixture_squeeze(out);
}

char *ufx_xlsx_cells(const unit_fixture *fx, const char *rel)
{
    sbuf c = {0};
    int st;
    char *e = NULL;
    sbuf_printf(&c,
                "/usr/bin/python3 -c \"import openpyxl,sys\n"
                "wb=openpyxl.load_workbook(sys.argv[1])\n"
                "ws=wb.worksheets[0]\n"
                "for row in ws.iter_rows():\n"
                "  for x in row:\n"
                "    if x.value is not None: print(x.coordinate+'='+repr(x.value))\n\" '%s/%s'",
                fx->dir, rel);
    char *out = fixture_run(c.data, &st, &e);
    cr_assert_eq(st, 0, "openpyxl %s: %s", rel, e);
    free(e);
    sbuf_free(&c);
    return out;
}

void ufx_write_file(const unit_fixture *fx, const char *name, const char *text)
{
    sbuf p = {0};
    sbuf_printf(&p, "%s/%s", fx->dir, name);
    FILE *f = fopen(p.data, "w");
    cr_assert(f, "%s", p.data);
    fputs(text, f);
    fclose(f);
    sbuf_free(&p);
}

summary *ufx_read_results(const unit_fixture *fx)
{
    sbuf p = {0}, err = {0};
    sbuf_printf(&p, "%s/results.xml", fx->dir);
    summary *s = summary_read(p.data, UFX_EPOCH, &err);
    cr_assert(s, "summary_read: %s", err.data ? err.data : "");
    sbuf_free(&p);
    sbuf_free(&err);
    return s;
}

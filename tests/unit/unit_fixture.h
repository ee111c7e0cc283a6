/* unit_fixture — the one fixture of the rule and form tests: a policy and the
 * calendars loaded, a unit ingested from an XML snippet through the real
 * ingest conversion and computed by the rules, and (for the form tests) the
 * parsed templates with a private output directory; plus readers of what
 * the writers wrote (pdftotext, openpyxl). Tests run from tests/. */
#ifndef KAOHE_UNIT_FIXTURE_H
#define KAOHE_UNIT_FIXTURE_H

#include "calendar.h"
#include "forms.h"
#include "ingest.h"
#include "policy.h"
#include "rules.h"
#include "scheme.h"
#include "summary.h"

/* SOURCE_DATE_EPOCH of the form tests: 2025-12-29. */
#define UFX_EPOCH 1766966400LL

typedef struct unit_fixture {
    file_header hdr;
    policy *pol;
    calendar *cal;
    scheme_set *schemes;   /* ufx_load_schemes */
    unit *u;
    forms_ctx *fc;         /* ufx_open_forms */
    char *dir;             /* ufx_open_forms: private temp directory (kept with KAOHE_FORMS_KEEP) */
} unit_fixture;

/* A template from a file, or from memory under name; asserts it parses. */
tpl_form *ufx_template(const char *path);
tpl_form *ufx_template_mem(const char *xml, size_t len, const char *name);

/* The diagnostics of dl rendered in Chinese, one a line ("" for none);
 * valid until the next call. */
const char *ufx_diags(const diag_list *dl);

/* Free everything the fixture holds and zero it (a test's .fini). */
void ufx_free(unit_fixture *fx);

/* Start afresh: free, load the preset from templates/policies and the
 * calendars, and set the file header to (year, "test.xml", preset). */
void ufx_begin(unit_fixture *fx, const char *preset, int year);

/* Load templates/schemes into fx->schemes. */
void ufx_load_schemes(unit_fixture *fx);

/* Ingest one <unit> element (with its namespace) under fx->hdr into fx->u;
 * asserts that it parses. */
unit *ufx_ingest(unit_fixture *fx, const char *unit_xml);

/* Apply the rules to fx->u as of 1 December of the header's year. */
void ufx_compute(unit_fixture *fx);

/* Parse templates/forms and make the private output directory. */
void ufx_open_forms(unit_fixture *fx);

/* Write every form of fx->u into fx->dir/U001 (PDF and XLSX, UFX_EPOCH). */
void ufx_write_unit(unit_fixture *fx, sbuf *written);

/* pdftotext of fx->dir/rel with all white space removed (malloc'd);
 * asserts that poppler prints nothing and qpdf --check passes. */
/* Write text to fx->dir/name (asserts). */
void ufx_write_file(const unit_fixture *fx, const char *name, const char *text);

/* fx->dir/results.xml read back as the summary (asserts). */
summary *ufx_read_results(const unit_fixture *fx);

char *ufx_pdf_text(const unit_fixture *fx, const char *rel);

/* Every non-empty cell of the first sheet of fx->dir/rel as
 * "A1=repr(value)" lines (openpyxl), malloc'd. */
char *ufx_xlsx_cells(const unit_fixture *fx, const char *rel);

#endif

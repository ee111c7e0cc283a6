/* forms — see forms.h. Which forms a unit gets, the template variant per
 * person category and policy, and the calls to the layout engine and the
 * writers (PDF, XLSX, DOCX), per form and per person. What the templates
 * read is fview's; no drawing here: every form is a template in
 * templates/forms/. */
#include "forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charcheck.h"
#include "font.h"
#include "fview.h"
#include "layout.h"
#include "outfile.h"
#include "pdfw.h"
#include "qr.h"
#include "scheme.h"
#include "template.h"
#include "xlsxw.h"
#include "docxw.h"

/* ---------------------------------------------------------------- context */

enum {
    T_QUOTA, T_QUOTA_SPLIT,
    T_REG_CS, T_REG_MANAGED, T_REG_INST, T_REG_OTHER,
    T_BALLOT, T_TALLY, T_NOTICE, T_FILING, T_REWARDS, T_SUMMARY,
    T_ASSESSMENT, T_RANKING,
    T_RESULT_NOTICE, T_INCOMPETENT,
    T_COUNT
};

static const char *const TPL_FILES[T_COUNT] = {
    "quota-application.xml", "quota-application-split.xml",
    "registration-civil-servant.xml", "registration-managed.xml",
    "registration-institution.xml", "registration-other.xml",
    "ballot.xml", "tally.xml", "notice.xml", "filing.xml", "rewards.xml", "summary.xml",
    "assessment.xml", "ranking.xml",
    "result-notice.xml", "incompetent.xml",
};

struct forms_ctx {
    tpl_form *tpl[T_COUNT];
    font_set *fs;
    scheme_set *schemes;     /* titles and grade notes for the ranking; NULL when unreadable */
    char *policies_dir;      /* templates/policies: the summary shows a policy's title */
};

void forms_ctx_free(forms_ctx *fc)
{
    if (!fc) return;
    for (int i = 0; i < T_COUNT; i++) tpl_free(fc->tpl[i]);
    font_set_free(fc->fs);
    scheme_set_free(fc->schemes);
    free(fc->policies_dir);
    free(fc);
}

forms_ctx *forms_ctx_new(const char *templates_dir, msg_lang lang, char *err, size_t errlen)
{
    forms_ctx *fc = xcalloc(1, sizeof *fc);
    sbuf e = {0};
    diag_list dl = {0};
    sbuf path = {0};
    for (int i = 0; i < T_COUNT; i++) {
        sbuf_clear(&path);
        sbuf_printf(&path, "%s/%s", templates_dir, TPL_FILES[i]);
        fc->tpl[i] = tpl_load(path.data, &dl);
        if (!fc->tpl[i]) {
            if (dl.n) diag_render(&dl.v[0], lang, &e);
            goto fail;
        }
    }
    fc->fs = font_set_open(NULL, &e);
    if (!fc->fs) goto fail;
    /* the schemes beside the forms (templates/schemes): optional here, the
       batch reports a scheme that does not load */
    sbuf_clear(&path);
    sbuf_printf(&path, "%s/../schemes", templates_dir);
    char serr[256];
    fc->schemes = scheme_set_load_dir(path.data, serr, sizeof serr);
    sbuf_clear(&path);
    sbuf_printf(&path, "%s/../policies", templates_dir);
    fc->policies_dir = xstrdup(path.data);
    sbuf_free(&path);
    sbuf_free(&e);
    diag_list_free(&dl);
    return fc;
fail:
    if (err && errlen) snprintf(err, errlen, "%s", e.data ? e.data : "template error");
    sbuf_free(&path);
    sbuf_free(&e);
    diag_list_free(&dl);
    forms_ctx_free(fc);
    return NULL;
}

/* ---------------------------------------------------------------- writing */

typedef struct wctx {
    const forms_ctx *fc;
    const char *prefix;          /* of the written paths: "<unit id>/", or "" for the run's files */
    const char *dir;
    bool want_pdf, want_xlsx;
    long long epoch;
    sbuf *written, *err;
    diag_list *diags;            /* the layouts' warnings, or NULL */
    bool simplex;                /* printed on one side (forms_opts) */
    bool approve;
    bool want_docx;              /* a .docx beside each PDF */
    const unit *u;               /* the unit, NULL for the run's files (archive codes, qr.h) */
    int year;
    bool pdfa;                   /* PDF/A-2b (build --pdfa) */
} wctx;

static char *out_path(const wctx *w, const char *name)
{
    sbuf b = {0};
    sbuf_printf(&b, "%s/%s", w->dir, name);
    return b.data;
}

static void note_written(const wctx *w, const char *name)
{
    if (!w->written) return;
    sbuf_printf(w->written, "%s%s\n", w->prefix, name);
}

/* After a writer: the file's name in `written`, or the writer's message e
 * in w->err. Without a message, a layout failed and has said so. Frees e. */
static int wrote(const wctx *w, const char *name, bool ok, sbuf *e)
{
    if (!ok && e->len) sbuf_printf(w->err, "%s%s: %s", w->prefix, name, e->data);
    sbuf_free(e);
    if (!ok) return -1;
    note_written(w, name);
    return 0;
}

static pdfw_opts pdf_opts(const wctx *w) { return (pdfw_opts){NULL, NULL, w->epoch < 0 ? -1 : w->epoch, false, NULL, w->pdfa}; }

/* The archive code of a PDF's pages (SPEC 6, qr.h): who and what each of
 * its documents is. The registration's documents are its persons; a
 * registration/<person id>.pdf is one of them. */
typedef struct form_mark {
    const wctx *w;
    const char *code;            /* qr_form_code of the file */
    const char *person;          /* the one person of the file, or NULL */
    qr_mark mark;
} form_mark;

static void form_mark_ident(void *ctx, size_t doc, qr_ident *id)
{
    const form_mark *fm = ctx;
    const unit *u = fm->w->u;
    id->year = fm->w->year;
    snprintf(id->unit, sizeof id->unit, "%s", u ? u->id : "-");
    const char *person = fm->person;
    /* the per-person documents: one document per person, in the unit's order */
    bool per_person = !strcmp(fm->code, "REG") || !strcmp(fm->code, "RESULT");
    if (!person && per_person && u && doc < (size_t)u->n_persons) person = u->persons[doc].id;
    snprintf(id->person, sizeof id->person, "%s", person ? person : "-");
    snprintf(id->form, sizeof id->form, "%s", fm->code);
}

/* o->mark for the file `name` ("notice.pdf", "registration/P1.pdf"), when
 * its form carries a code (not the blank ballot). */
static void form_mark_set(const wctx *w, const char *name, form_mark *fm, pdfw_opts *o)
{
    char base[128];
    snprintf(base, sizeof base, "%s", name);
    char *dot = strrchr(base, '.'), *slash = strchr(base, '/');
    if (dot) *dot = 0;
    fm->w = w;
    fm->person = NULL;
    if (slash) {   /* registration/<person id> */
        *slash = 0;
        fm->person = name + (slash - base) + 1;
    }
    fm->code = qr_form_code(base);
    if (!fm->code) return;
    fm->mark = (qr_mark){form_mark_ident, fm};
    o->mark = &fm->mark;
}

static xlsxw_opts xlsx_opts(const wctx *w) { return (xlsxw_opts){w->epoch < 0 ? -1 : w->epoch, NULL, NULL}; }

static int write_pdf(const wctx *w, const lo_doc *const *docs, size_t n, const char *const *outline,
                     const char *name)
{
    char *path = out_path(w, name);
    pdfw_opts o = pdf_opts(w);
    char person[128];
    form_mark fm;
    form_mark_set(w, name, &fm, &o);
    if (fm.person) {   /* the id without ".pdf" */
        snprintf(person, sizeof person, "%s", fm.person);
        person[strcspn(person, ".")] = 0;
        fm.person = person;
    }
    sbuf e = {0};
    bool ok = pdfw_write_docs(docs, n, outline, w->fc->fs, &o, path, &e);
    free(path);
    if (!ok && !e.len) sbuf_puts(&e, "PDF write failed");
    return wrote(w, name, ok, &e);
}

static int write_xlsx(const wctx *w, const lo_doc *const *docs, size_t n, const char *name)
{
    char *path = out_path(w, name);
    xlsxw_opts o = xlsx_opts(w);
    sbuf e = {0};
    bool ok = xlsxw_write_docs(docs, n, NULL, w->fc->fs, &o, path, &e);
    free(path);
    if (!ok && !e.len) sbuf_puts(&e, "XLSX write failed");
    return wrote(w, name, ok, &e);
}

static docxw_opts docx_opts(const wctx *w) { return (docxw_opts){w->epoch < 0 ? -1 : w->epoch, NULL}; }

static int write_docx(const wctx *w, const lo_doc *const *docs, size_t n, const char *name)
{
    char *path = out_path(w, name);
    docxw_opts o = docx_opts(w);
    sbuf e = {0};
    bool ok = docxw_write_docs(docs, n, w->fc->fs, &o, path, &e);
    free(path);
    if (!ok && !e.len) sbuf_puts(&e, "DOCX write failed");
    return wrote(w, name, ok, &e);
}

/* Lay template t out over src, handing each page to sink when it is not
 * NULL (layout_stream); the layout's problems go to w->diags, its failure
 * to w->err. */
static lo_doc *run_stream(const wctx *w, int t, const layout_source *src, const lo_sink *sink)
{
    sbuf e = {0};
    lo_print print = {w->simplex};
    lo_doc *d = layout_stream_print(w->fc->tpl[t], src, w->fc->fs, sink, &print, &e);
    if (!d) sbuf_printf(w->err, "%s%s: %s", w->prefix, TPL_FILES[t], e.data ? e.data : "layout failed");
    sbuf_free(&e);
    for (size_t k = 0; d && w->diags && k < d->diags.n; k++)
        diag_copy(w->diags, &d->diags.v[k]);   /* each distinct one once per unit */
    return d;
}

static lo_doc *run_source(const wctx *w, int t, const layout_source *src) { return run_stream(w, t, src, NULL); }

/* One of the run's forms (summary, ranking) as a pager: the writers lay it
 * out page by page, as often as they need, so their memory does not grow
 * with the number of units it lists. */
typedef struct run_pager {
    const wctx *w;
    int t;
    const layout_source *src;
} run_pager;

static lo_doc *run_pager_run(void *ctx, const lo_sink *sink, sbuf *err)
{
    const run_pager *rp = ctx;
    (void)err;   /* a failed layout says why in w->err */
    return run_stream(rp->w, rp->t, rp->src, sink);
}

/* base.pdf or base.xlsx of a pager. */
static int write_paged_as(const wctx *w, const lo_pager *pager, const char *base, bool pdf)
{
    char name[128];
    snprintf(name, sizeof name, "%s.%s", base, pdf ? "pdf" : "xlsx");
    char *path = out_path(w, name);
    sbuf e = {0};
    bool ok;
    if (pdf) {
        pdfw_opts o = pdf_opts(w);
        form_mark fm;
        form_mark_set(w, name, &fm, &o);
        ok = pdfw_write_pager(pager, w->fc->fs, &o, path, &e);
    } else {
        xlsxw_opts o = xlsx_opts(w);
        ok = xlsxw_write_pager(pager, w->fc->fs, &o, path, &e);
    }
    free(path);
    return wrote(w, name, ok, &e);
}

/* The run's form t as base.xlsx and base.pdf, in the wanted formats. */
static int write_paged(const wctx *w, int t, const layout_source *src, const char *base)
{
    run_pager rp = {w, t, src};
    lo_pager pager = {run_pager_run, &rp};
    int rc = w->want_xlsx ? write_paged_as(w, &pager, base, false) : 0;
    if (rc == 0 && w->want_pdf) rc = write_paged_as(w, &pager, base, true);
    if (rc == 0 && w->want_docx) {
        char name[128];
        snprintf(name, sizeof name, "%s.docx", base);
        char *path = out_path(w, name);
        docxw_opts o = docx_opts(w);
        sbuf e = {0};
        bool ok = docxw_write_pager(&pager, w->fc->fs, &o, path, &e);
        free(path);
        rc = wrote(w, name, ok, &e);
    }
    return rc;
}

static lo_doc *run(const wctx *w, int t, fview *v)
{
    layout_source src = fview_source(v);
    return run_source(w, t, &src);
}

/* A laid-out one-document form in the wanted formats: base name. */
static int write_both(const wctx *w, lo_doc *d, const char *base, bool xlsx)
{
    const lo_doc *docs[1] = {d};
    char name[128];
    int rc = 0;
    if (w->want_xlsx && xlsx) {
        snprintf(name, sizeof name, "%s.xlsx", base);
        rc = write_xlsx(w, docs, 1, name);
    }
    if (rc == 0 && w->want_pdf) {
        snprintf(name, sizeof name, "%s.pdf", base);
        rc = write_pdf(w, docs, 1, NULL, name);
    }
    if (rc == 0 && w->want_docx) {
        snprintf(name, sizeof name, "%s.docx", base);
        rc = write_docx(w, docs, 1, name);
    }
    lo_doc_free(d);
    return rc;
}

/* One-document form of the unit: base name, template. */
static int simple_form(const wctx *w, fview *v, int t, const char *base, bool xlsx)
{
    lo_doc *d = run(w, t, v);
    return d ? write_both(w, d, base, xlsx) : -1;
}

static int reg_template(category_t c)
{
    switch (c) {
    case CAT_CIVIL_SERVANT: return T_REG_CS;
    case CAT_MANAGED: return T_REG_MANAGED;
    case CAT_INSTITUTION: return T_REG_INST;
    default: return T_REG_OTHER;
    }
}

/* The unit's registration forms as a PDF source: one person's page model at
 * a time, laid out when pdfw asks (twice: for the characters, then to draw)
 * and freed when it is done, so a unit of thousands never holds every
 * person's form at once. A unit without persons gets one blank form of its
 * kind. */
#define REG_KEEP 256  /* persons whose page model the first pass keeps for the second */

/* pdfw lays a source out twice (characters, then drawing). The models of
 * the first REG_KEEP persons are kept between the passes: most units are
 * that small, and their registration is then laid out once (layout was a
 * sixth of a build's instructions), while a big unit still holds only
 * REG_KEEP models plus the one being drawn. */
typedef struct reg_source {
    const wctx *w;
    fview *v;
    sbuf outline;
    lo_doc *kept[REG_KEEP];
    bool more;        /* another writer (the DOCX) reads the kept models after the PDF */
} reg_source;

static void reg_source_free(reg_source *r)
{
    for (size_t i = 0; i < REG_KEEP; i++) lo_doc_free(r->kept[i]);
    sbuf_free(&r->outline);
}

static const lo_doc *reg_get(void *ctx, size_t i)
{
    reg_source *r = ctx;
    if (i < REG_KEEP && r->kept[i]) return r->kept[i];
    const unit *u = fview_unit(r->v);
    const person *p = u->n_persons > 0 ? &u->persons[i] : NULL;
    int t = p ? reg_template(p->category)
              : u->kind == KIND_ORGAN ? T_REG_CS : u->kind == KIND_MANAGED ? T_REG_MANAGED : T_REG_INST;
    fview_set_person(r->v, p);
    lo_doc *d = run(r->w, t, r->v);   /* a failure is reported to w->err */
    fview_set_person(r->v, NULL);
    return d;
}

static void reg_put(void *ctx, size_t i, const lo_doc *d)
{
    reg_source *r = ctx;
    if (i < REG_KEEP && !r->kept[i]) {   /* first pass: keep it for the second */
        r->kept[i] = (lo_doc *)d;
        return;
    }
    if (i < REG_KEEP && r->kept[i] == d) {   /* second pass: done with it, unless the DOCX follows */
        if (r->more) return;
        r->kept[i] = NULL;
    }
    lo_doc_free((lo_doc *)d);
}

static const char *reg_outline(void *ctx, size_t i)
{
    reg_source *r = ctx;
    const unit *u = fview_unit(r->v);
    sbuf_clear(&r->outline);
    if (u->n_persons > 0) {
        const person *p = &u->persons[i];
        sbuf_printf(&r->outline, "%zu %s", i + 1, p->name ? p->name : p->id);
    } else {
        sbuf_puts(&r->outline, "空白登记表");
    }
    return r->outline.data;
}

/* A PDF of the source's documents: file name. */
static int write_pdf_source(const wctx *w, const pdfw_source *src, const char *name)
{
    char *path = out_path(w, name);
    pdfw_opts o = pdf_opts(w);
    form_mark fm;
    form_mark_set(w, name, &fm, &o);
    sbuf e = {0};
    bool ok = pdfw_write_source(src, w->fc->fs, &o, path, &e);
    free(path);
    return wrote(w, name, ok, &e);
}

/* registration/<person id>.pdf for each person (ids are schema-restricted
 * to [A-Za-z0-9_-], so the names stay inside the unit's directory), each
 * person's form laid out once more. */
static int registration_split(const wctx *w, reg_source *r)
{
    const unit *u = fview_unit(r->v);
    sbuf dir = {0}, name = {0};
    sbuf_printf(&dir, "%s/registration", w->dir);
    int rc = outfile_mkdirs(dir.data) ? 0 : -1;
    if (rc) sbuf_printf(w->err, "%s: 无法创建目录 (OUTPUT_FAILED)", dir.data);
    for (long i = 0; rc == 0 && i < u->n_persons; i++) {
        const lo_doc *d = reg_get(r, (size_t)i);
        if (!d) {
            rc = -1;
            break;
        }
        const char *outline = reg_outline(r, (size_t)i);
        sbuf_clear(&name);
        sbuf_printf(&name, "registration/%s.pdf", u->persons[i].id);
        rc = write_pdf(w, &d, 1, &outline, name.data);
        reg_put(r, (size_t)i, d);
    }
    sbuf_free(&dir);
    sbuf_free(&name);
    return rc;
}

static int registration(const wctx *w, fview *v, bool split)
{
    const unit *u = fview_unit(v);
    reg_source r = {w, v, {0}, {0}, false};
    pdfw_source src = {u->n_persons > 0 ? (size_t)u->n_persons : 1, reg_get, reg_put, reg_outline, &r};
    r.more = w->want_docx;
    int rc = w->want_pdf ? write_pdf_source(w, &src, "registration.pdf") : 0;
    r.more = false;
    if (rc == 0 && w->want_docx) {
        /* each person a section; the models the PDF kept are used, the others laid out again */
        docxw_source ds = {src.n, reg_get, reg_put, &r};
        char *path = out_path(w, "registration.docx");
        docxw_opts o = docx_opts(w);
        sbuf e = {0};
        bool ok = docxw_write_source(&ds, w->fc->fs, &o, path, &e);
        free(path);
        rc = wrote(w, "registration.docx", ok, &e);
    }
    if (rc == 0 && split && w->want_pdf) rc = registration_split(w, &r);
    reg_source_free(&r);
    return rc;
}

/* result-notice.pdf: each person's 年度考核结果通知书, laid out one person
 * at a time like the registration forms (padded to a sheet each when
 * printed on both sides); result-notice.xlsx: a sheet per person, for
 * units of up to REG_KEEP persons (the workbook holds every sheet's model). */
static const lo_doc *notice_get(void *ctx, size_t i)
{
    reg_source *r = ctx;
    fview_set_person(r->v, &fview_unit(r->v)->persons[i]);
    lo_doc *d = run(r->w, T_RESULT_NOTICE, r->v);
    fview_set_person(r->v, NULL);
    return d;
}

static void notice_put(void *ctx, size_t i, const lo_doc *d)
{
    (void)ctx;
    (void)i;
    lo_doc_free((lo_doc *)d);
}

static int result_notices(const wctx *w, fview *v)
{
    const unit *u = fview_unit(v);
    if (u->n_persons <= 0) return 0;
    size_t n = (size_t)u->n_persons;
    reg_source r = {w, v, {0}, {0}};
    int rc = 0;
    if (w->want_pdf) {
        pdfw_source src = {n, notice_get, notice_put, reg_outline, &r};
        rc = write_pdf_source(w, &src, "result-notice.pdf");
    }
    if (rc == 0 && w->want_docx) {   /* each person a section, like registration.docx */
        docxw_source ds = {n, notice_get, notice_put, &r};
        char *path = out_path(w, "result-notice.docx");
        docxw_opts o = docx_opts(w);
        sbuf e = {0};
        bool ok = docxw_write_source(&ds, w->fc->fs, &o, path, &e);
        free(path);
        rc = wrote(w, "result-notice.docx", ok, &e);
    }
    if (rc == 0 && w->want_xlsx && n > REG_KEEP && w->diags) {
        char ns[32], ks[32];
        snprintf(ns, sizeof ns, "%zu", n);
        snprintf(ks, sizeof ks, "%d", REG_KEEP);
        diag_add(w->diags, DIAG_WARNING, "RESULT_NOTICE_PDF_ONLY", NULL, 0, NULL, 2, ns, ks);
    }
    if (rc == 0 && w->want_xlsx && n <= REG_KEEP) {
        /* a sheet per person, every model held at once: units up to
         * REG_KEEP persons (a bigger unit gets the PDF, and is told);
         * the spreadsheet is printed one sheet at a time: no padding */
        wctx one = *w;
        one.simplex = true;
        r.w = &one;
        lo_doc **docs = xcalloc(n, sizeof *docs);
        const char **names = xcalloc(n, sizeof *names);
        char **own = xcalloc(n, sizeof *own);
        for (size_t i = 0; i < n && rc == 0; i++) {
            docs[i] = (lo_doc *)notice_get(&r, i);
            if (!docs[i]) rc = -1;
            own[i] = xstrdup(reg_outline(&r, i));
            names[i] = own[i];
        }
        if (rc == 0) {
            char *path = out_path(w, "result-notice.xlsx");
            xlsxw_opts o = xlsx_opts(w);
            sbuf e = {0};
            bool ok = xlsxw_write_docs((const lo_doc *const *)docs, n, names, w->fc->fs, &o, path, &e);
            free(path);
            if (!ok && !e.len) sbuf_puts(&e, "XLSX write failed");
            rc = wrote(w, "result-notice.xlsx", ok, &e);
        }
        for (size_t i = 0; i < n; i++) {
            lo_doc_free(docs[i]);
            free(own[i]);
        }
        free(docs);
        free(names);
        free(own);
    }
    reg_source_free(&r);
    return rc;
}

static int ballot(const wctx *w, fview *v)
{
    lo_doc *docs[2] = {0};
    size_t n = 0;
    int rc = 0;
    for (int k = 0; k < 2; k++) {
        if (!fview_count(v, k ? FVIEW_BALLOT1 : FVIEW_BALLOT0)) continue;
        fview_set_ballot_kind(v, k);
        if (!(docs[n] = run(w, T_BALLOT, v))) { rc = -1; break; }
        n++;
    }
    if (rc == 0 && n == 0) {   /* nobody takes part: one blank ballot of the unit's kind */
        fview_set_ballot_kind(v, fview_unit(v)->kind == KIND_INSTITUTION ? 1 : 0);
        if (!(docs[n] = run(w, T_BALLOT, v))) rc = -1;
        else n++;
    }
    fview_set_ballot_kind(v, 0);
    if (rc == 0 && w->want_pdf) rc = write_pdf(w, (const lo_doc *const *)docs, n, NULL, "ballot.pdf");
    if (rc == 0 && w->want_docx) rc = write_docx(w, (const lo_doc *const *)docs, n, "ballot.docx");
    for (size_t i = 0; i < 2; i++)
        if (docs[i]) lo_doc_free(docs[i]);
    return rc;
}

int forms_write_unit(const forms_ctx *fc, const unit *u, const policy *pol, const char *dir,
                     const forms_opts *o, sbuf *written, sbuf *err)
{
    /* the forms are the official Chinese forms in every run language */
    if (!fc || !u || !pol || !dir || !o) {
        sbuf_puts(err, "forms_write_unit: missing argument");
        return -1;
    }
    if (!outfile_mkdirs(dir)) {
        sbuf_printf(err, "%s: 无法创建目录 (OUTPUT_FAILED)", dir);
        return -1;
    }
    sbuf prefix = {0};
    sbuf_printf(&prefix, "%s/", u->id);
    wctx w = {fc, prefix.data, dir, o->want_pdf, o->want_xlsx, o->epoch, written, err, o->diags, o->simplex,
              o->approve, o->want_docx, u, u->file ? u->file->year : 0, o->pdfa};
    if (o->diags) charcheck_unit(fc->fs, u, o->diags);   /* what prints as □, and whose */
    fview *v = fview_new(u, pol, o->epoch, o->approve);
    int rc = simple_form(&w, v, pol->split_leaders ? T_QUOTA_SPLIT : T_QUOTA, "quota-application", true);
    if (rc == 0 && (o->want_pdf || o->want_docx)) rc = registration(&w, v, o->split);
    if (rc == 0 && (o->want_pdf || o->want_docx)) rc = ballot(&w, v);
    if (rc == 0) rc = simple_form(&w, v, T_TALLY, "tally", true);
    if (rc == 0 && (o->want_pdf || o->want_docx)) rc = simple_form(&w, v, T_NOTICE, "notice", false);
    if (rc == 0) rc = simple_form(&w, v, T_FILING, "filing", true);
    if (rc == 0) rc = simple_form(&w, v, T_REWARDS, "rewards", true);
    if (rc == 0 && u->assessment.result) rc = simple_form(&w, v, T_ASSESSMENT, "assessment", true);
    if (rc == 0) rc = result_notices(&w, v);
    if (rc == 0 && fview_count(v, FVIEW_INCOMPETENT)) rc = simple_form(&w, v, T_INCOMPETENT, "incompetent", true);
    fview_free(v);
    sbuf_free(&prefix);
    return rc;
}

/* The run's year as its source has it (0 when absent), for the archive code. */
static int src_year(const layout_source *src)
{
    const char *y = src->lookup ? src->lookup(src->ctx, "year") : NULL;
    return y ? atoi(y) : 0;
}

int forms_write_summary(const forms_ctx *fc, const layout_source *src, const char *dir,
                        const forms_opts *o, sbuf *written, sbuf *err)
{
    if (!fc || !src || !dir || !o) {
        sbuf_puts(err, "forms_write_summary: missing argument");
        return -1;
    }
    fview_summary sv;
    layout_source ss = fview_summary_source(&sv, src, fc->policies_dir);
    wctx w = {fc, "", dir, o->want_pdf, o->want_xlsx, o->epoch, written, err, o->diags, o->simplex, o->approve,
              o->want_docx, NULL, src_year(src), o->pdfa};
    int rc = write_paged(&w, T_SUMMARY, &ss, "summary");
    fview_summary_free(&sv);
    return rc;
}

int forms_write_ranking(const forms_ctx *fc, const layout_source *src, const char *dir,
                        const forms_opts *o, sbuf *written, sbuf *err)
{
    if (!fc || !src || !dir || !o) {
        sbuf_puts(err, "forms_write_ranking: missing argument");
        return -1;
    }
    fview_ranking rv;
    layout_source rs = fview_ranking_source(&rv, src, fc->schemes);
    wctx w = {fc, "", dir, o->want_pdf, o->want_xlsx, o->epoch, written, err, o->diags, o->simplex, o->approve,
              o->want_docx, NULL, src_year(src), o->pdfa};
    return write_paged(&w, T_RANKING, &rs, "ranking");
}

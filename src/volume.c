/* volume — see volume.h. */
#include "volume.h"

#include <stdio.h>
#include <string.h>

#include <hpdf.h>

#include "layout.h"
#include "pdfw.h"

/* ---------------------------------------------------------------- the contents */

/* The contents' data source over v; the volume's pages count after the
 * contents' own `offset` pages. */
typedef struct source {
    const volume *v;
    int offset;
    char buf[32];                /* the last "卷内页次" given */
} source;

static const char *src_lookup(void *ctx, const char *path)
{
    const source *s = ctx;
    if (!strcmp(path, "volume.heading")) return s->v->heading;
    if (!strcmp(path, "volume.note")) return s->v->note;
    return NULL;
}

static size_t src_count(void *ctx, const char *list)
{
    const source *s = ctx;
    return strcmp(list, "docs") ? 0 : s->v->nrows;
}

static const char *src_item(void *ctx, const char *list, size_t i, const char *field)
{
    source *s = ctx;
    if (strcmp(list, "docs") || i >= s->v->nrows) return NULL;
    const volume_row *r = &s->v->rows[i];
    if (!strcmp(field, "doc")) return r->doc;
    if (!strcmp(field, "scans")) return r->scans;
    if (strcmp(field, "range")) return NULL;
    if (r->first <= 0) return "—";
    if (r->last > r->first) snprintf(s->buf, sizeof s->buf, "%d–%d", r->first + s->offset, r->last + s->offset);
    else snprintf(s->buf, sizeof s->buf, "%d", r->first + s->offset);
    return s->buf;
}

/* The contents laid out: again while its page count differs from the one
 * its "卷内页次" assumed (a long unrecognised.pdf's contents take pages). */
static lo_doc *contents(const tpl_form *t, const font_set *fs, const volume *v, sbuf *err)
{
    source s = {v, 1, ""};
    layout_source src = {src_lookup, src_count, src_item, &s};
    for (int tries = 0;; tries++) {
        lo_doc *d = layout_run(t, &src, fs, err);
        if (!d || (int)d->npages == s.offset || tries == 3) return d;
        s.offset = (int)d->npages;
        lo_doc_free(d);
    }
}

/* ---------------------------------------------------------------- the scans */

typedef struct scans {
    const volume *v;
    scan_reader *r;
} scans;

static bool add_scans(void *ctx, HPDF_Doc pdf, sbuf *err)
{
    const scans *sc = ctx;
    for (size_t i = 0; i < sc->v->npages; i++) {
        const volume_page *p = &sc->v->pages[i];
        double w, h;
        HPDF_Image im = scan_embed(sc->r, p->file, p->page, pdf, &w, &h, err);
        if (!im) return false;
        HPDF_Page page = HPDF_AddPage(pdf);
        if (!page || HPDF_Page_SetWidth(page, (HPDF_REAL)w) != HPDF_OK ||
            HPDF_Page_SetHeight(page, (HPDF_REAL)h) != HPDF_OK ||
            HPDF_Page_DrawImage(page, im, 0, 0, (HPDF_REAL)w, (HPDF_REAL)h) != HPDF_OK ||
            (p->turn && HPDF_Page_SetRotate(page, (HPDF_UINT16)(p->turn * 90)) != HPDF_OK)) {
            sbuf_printf(err, "%s: page %d could not be put into the archive", p->file->path, p->page + 1);
            return false;
        }
    }
    return true;
}

bool volume_write(const tpl_form *t, const font_set *fs, long long epoch, scan_reader *r, const volume *v,
                  const char *path, sbuf *err)
{
    lo_doc *d = contents(t, fs, v, err);
    if (!d) return false;
    scans sc = {v, r};
    pdfw_opts o = {.title = v->title, .epoch = epoch, .pdfa = true, .more = add_scans, .more_ctx = &sc};
    bool ok = pdfw_write(d, fs, &o, path, err);
    lo_doc_free(d);
    return ok;
}

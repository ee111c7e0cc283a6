/* docxw — page model → DOCX (WordprocessingML), the third writer beside
 * xlsxw and pdfw: each page of the model is a fixed-layout table on the
 * model's column grid (merges as gridSpan/vMerge, row heights, borders, cell
 * padding, alignment, list heads as w:tblHeader rows), each document a
 * section with the model's page size, orientation, margins and header/footer
 * (PAGE and page-count fields), fonts named per role for East Asian text.
 * XML through libxml2's xmlTextWriter, zip through minizip: each entry's
 * XML is held in memory and deflated whole by libdeflate (an entry longer
 * than opts->hold streams through minizip's deflate instead), so a document
 * of any length needs one page's model and at most hold bytes of XML in
 * memory; deterministic bytes (zip times and document dates from the epoch). */
#ifndef KAOHE_DOCXW_H
#define KAOHE_DOCXW_H

#include <stdbool.h>
#include <stddef.h>

#include "font.h"
#include "layout.h"
#include "util.h"

typedef struct docxw_opts {
    long long epoch;          /* zip entry times, dcterms:created/modified (SOURCE_DATE_EPOCH); < 0: 1980-01-01 */
    const char *title;        /* dc:title (UTF-8), NULL: the first model's title */
    size_t hold;              /* bytes of an entry's XML held to deflate whole; beyond, it streams (0: 4 MB) */
} docxw_opts;

/* Several page models into one document, each a section starting on a new
 * page with its own page numbers (one registration form per person). The
 * file at path is written atomically (outfile's temp name, then rename;
 * no fsync, as the other writers). false + err on failure, nothing at path. */
bool docxw_write_docs(const lo_doc *const *docs, size_t ndocs, const font_set *fs, const docxw_opts *opts,
                      const char *path, sbuf *err);

/* Documents handed over one at a time, in order, once each: get(ctx, i)
 * lays out document i (NULL: it failed and the source has said why; docxw
 * adds nothing to err), put(ctx, i, d) releases it. The same contract as
 * pdfw_source's get/put, so a caller can give both writers one source. */
typedef struct docxw_source {
    size_t n;
    const lo_doc *(*get)(void *ctx, size_t i);
    void (*put)(void *ctx, size_t i, const lo_doc *d);
    void *ctx;
} docxw_source;

bool docxw_write_source(const docxw_source *src, const font_set *fs, const docxw_opts *opts, const char *path,
                        sbuf *err);

/* One document laid out by pager once, written a page at a time as the
 * layout hands them over (the run's summary): memory holds one page. */
bool docxw_write_pager(const lo_pager *pager, const font_set *fs, const docxw_opts *opts, const char *path,
                       sbuf *err);

/* One page model. */
bool docxw_write(const lo_doc *doc, const font_set *fs, const docxw_opts *opts, const char *path, sbuf *err);

#endif

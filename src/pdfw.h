/* pdfw — page model → PDF with libharu 2.3.0: the rules and text of every
 * cell at the layout's geometry, header/footer with page numbers, fonts
 * subset with HarfBuzz to the document's characters and embedded (CIDs
 * numbering those characters), a correct /ToUnicode CMap in place of
 * libharu's broken one, and deterministic bytes
 * (no dates unless given, /ID from the content). One HPDF_Doc per call, so
 * threads may write different documents at once. */
#ifndef KAOHE_PDFW_H
#define KAOHE_PDFW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "font.h"
#include "layout.h"
#include "qr.h"
#include "util.h"

typedef struct pdfw_opts {
    const char *title;        /* /Title (UTF-8), NULL: the layout's title */
    const char *author;       /* /Author or NULL */
    long long epoch;          /* CreationDate/ModDate as Unix time (SOURCE_DATE_EPOCH); < 0: none */
    bool no_compress;         /* uncompressed streams (debugging) */
    const qr_mark *mark;      /* the archive code on every page (qr.h), NULL: none */
    bool pdfa;                /* PDF/A-2b: XMP metadata and an sRGB output intent (pdfa.h) */
    /* Pages of the caller's after the documents' (an archive volume's
     * scanned pages after its contents): more(more_ctx, pdf, err) is called
     * once the documents are drawn, before the streams are compressed and
     * the file saved; false (err saying why) fails the write. NULL: none. */
    bool (*more)(void *ctx, HPDF_Doc pdf, sbuf *err);
    void *more_ctx;
} pdfw_opts;

/* Render several page models into one PDF (e.g. one registration form per
 * person); outline entries titled outline[i] (UTF-8) when outline != NULL.
 * The file at path is written atomically (temp file, then rename, without
 * fsync: outfile_commit, see outfile.h: the build makes the year's files
 * durable with one syncfs before the manifest). false + err on failure,
 * leaving nothing at path. */
bool pdfw_write_docs(const lo_doc *const *docs, size_t ndocs, const char *const *outline,
                     const font_set *fs, const pdfw_opts *opts, const char *path, sbuf *err);

/* A PDF's page models, one at a time: get(ctx, i) lays out document i
 * (NULL: it failed, and the source has said why: pdfw adds nothing to err),
 * put(ctx, i, d) releases what get returned. Each document is asked for
 * twice, once to collect its characters (the fonts are subset to them
 * before anything is drawn) and once to draw it, so a caller need not hold
 * every document's page model at once (a unit's registration forms).
 * outline (may be NULL) gives document i's outline title (UTF-8) or NULL. */
typedef struct pdfw_source {
    size_t n;
    const lo_doc *(*get)(void *ctx, size_t i);
    void (*put)(void *ctx, size_t i, const lo_doc *d);
    const char *(*outline)(void *ctx, size_t i);
    void *ctx;
} pdfw_source;

/* Like pdfw_write_docs, with the documents from src. */
bool pdfw_write_source(const pdfw_source *src, const font_set *fs, const pdfw_opts *opts,
                       const char *path, sbuf *err);

/* One document laid out by pager, a page at a time, twice (characters, then
 * drawing): memory holds one page's model and the compressed pages drawn,
 * whatever the number of pages (the run's summary). The bytes are those
 * pdfw_write gives for the same document laid out whole. */
bool pdfw_write_pager(const lo_pager *pager, const font_set *fs, const pdfw_opts *opts,
                      const char *path, sbuf *err);

/* One page model. */
bool pdfw_write(const lo_doc *doc, const font_set *fs, const pdfw_opts *opts,
                const char *path, sbuf *err);

#endif

/* xlsxw — page model → XLSX with libxlsxwriter: one worksheet per page
 * model whose rows are the model's rows (list heads repeated on later pages
 * become print titles), real values (numbers, dates), merges, column widths
 * and row heights from the model, borders, fonts per role, A4 print setup
 * with the model's page breaks, header/footer with page numbers, and
 * dropdown validations for grade cells. Deterministic: fixed `created`.
 * A document from an lo_pager is written a page at a time into a
 * constant-memory workbook. */
#ifndef KAOHE_XLSXW_H
#define KAOHE_XLSXW_H

#include <stdbool.h>
#include <stddef.h>

#include "font.h"
#include "layout.h"
#include "util.h"

typedef struct xlsxw_opts {
    long long epoch;          /* document `created` time (SOURCE_DATE_EPOCH); < 0: 2000-01-01 */
    const char *author;       /* or NULL */
    const char *tmpdir;       /* libxlsxwriter's temp directory, NULL: system default */
} xlsxw_opts;

/* Write several page models as worksheets of one workbook (sheet names
 * from names[i] or the model's sheet name, made valid and unique), to path
 * atomically (temp file in the same directory, then rename; no fsync: the
 * year is synced once before its manifest, see outfile.h). false + err
 * on failure, leaving nothing at path. */
bool xlsxw_write_docs(const lo_doc *const *docs, size_t ndocs, const char *const *names,
                      const font_set *fs, const xlsxw_opts *opts, const char *path, sbuf *err);

/* One page model laid out by pager, a page at a time, twice: once to see
 * the pages (print titles, rows), once to write them into a workbook in
 * libxlsxwriter's constant-memory mode, rows in order. Memory holds one
 * page's model and 8 bytes per sheet row, whatever the number of pages
 * (the run's summary). Strings are inline, not shared, in that mode; the
 * cells, merges, heights and print setup are those xlsxw_write gives. */
bool xlsxw_write_pager(const lo_pager *pager, const font_set *fs, const xlsxw_opts *opts, const char *path,
                       sbuf *err);

/* One page model. */
bool xlsxw_write(const lo_doc *doc, const font_set *fs, const xlsxw_opts *opts,
                 const char *path, sbuf *err);

/* Excel's limit on one row's height, in points. */
#define XLSXW_MAX_ROW_PT 409.0

#endif

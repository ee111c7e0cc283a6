/* xlsxw — page model → XLSX with libxlsxwriter: one worksheet per page
 * model whose rows are the model's rows (list heads repeated on later pages
 * become print titles; a model longer than a worksheet's row limit goes on
 * in further worksheets, name(2), name(3), ..., each starting with the list
 * heads), real values (numbers, dates), text as text (a string cell, with
 * the quote prefix when it starts like a formula), merges, column widths
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
    /* Rows a worksheet may hold; 0 (or more than Excel's limit): Excel's
     * 1,048,576 (XLSXW_MAX_ROWS). A page model that would pass it goes on,
     * at a page boundary, in a new worksheet named after the first with
     * (2), (3), ... appended, whose first rows are the page's repeated list
     * heads (its print titles). A formula whose {first}/{last} rows are on
     * another worksheet is written as its value alone; a chart gets a chart
     * sheet per worksheet its rows are on. Tests set a small limit. */
    unsigned long max_rows;
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

/* Excel's limit on a worksheet's rows. */
#define XLSXW_MAX_ROWS 1048576UL

#endif

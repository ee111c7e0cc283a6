/* volume — one archive volume of `kaohe archive` (SPEC 6) as a PDF/A-2b
 * file: its 卷内目录 (templates/forms/contents.xml laid out over the
 * volume's documents and drawn by pdfw with the project's fonts, embedded)
 * and then its scanned pages, each at its own size and turned upright by
 * /Rotate (the scan's pixels as scan_embed puts them in). */
#ifndef KAOHE_VOLUME_H
#define KAOHE_VOLUME_H

#include <stdbool.h>
#include <stddef.h>

#include "font.h"
#include "scan.h"
#include "template.h"
#include "util.h"

/* A row of the contents: a document of the volume. */
typedef struct volume_row {
    const char *doc;             /* the document: its title */
    int first, last;             /* its pages among the volume's scanned pages, 1-based; 0: none there */
    const char *scans;           /* where each page came from */
} volume_row;

/* A scanned page of the volume. */
typedef struct volume_page {
    const scan_file *file;
    int page;                    /* 0-based in file */
    int turn;                    /* quarter turns clockwise that make it upright */
} volume_page;

typedef struct volume {
    const char *title;           /* the PDF's title (Info and XMP) */
    const char *heading;         /* the contents' line under its title */
    const char *note;            /* under the table, or NULL */
    const volume_row *rows;
    size_t nrows;
    const volume_page *pages;
    size_t npages;
} volume;

/* Write v to path (atomically, pdfw): the contents, whose "卷内页次" count
 * its own pages, then the scanned pages read through r. epoch: the dates
 * (< 0: none). False with err on failure, nothing left at path. */
bool volume_write(const tpl_form *contents, const font_set *fs, long long epoch, scan_reader *r, const volume *v,
                  const char *path, sbuf *err);

#endif

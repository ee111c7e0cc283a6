/* pdfimg — a scanned PDF page's own JPEG data (libqpdf's C API), so that an
 * archive volume carries the scanner's JPEG as it was instead of a
 * rendering of it (SPEC 6: no recompression). Only a page that is nothing
 * but one DCT-encoded grey or RGB image drawn upright over the whole page
 * qualifies (what scanners write); any other page is rendered as before.
 * One pdfimg per thread. */
#ifndef KAOHE_PDFIMG_H
#define KAOHE_PDFIMG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pdfimg pdfimg;

/* The PDF at path, or NULL when qpdf cannot read it. */
pdfimg *pdfimg_open(const char *path);
void pdfimg_close(pdfimg *p);

/* The JPEG data of page `page` (0-based) when the page qualifies: *data
 * (malloc'd, the caller frees it), *len, and the page's size in points.
 * False when it does not (or cannot be read). */
bool pdfimg_page_jpeg(pdfimg *p, int page, unsigned char **data, size_t *len, double *w_pt, double *h_pt);

#endif

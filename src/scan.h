/* scan — the pages of scanned files for the archive (SPEC 6): PDF (any
 * scanner's, rendered with poppler), multi-page TIFF (libtiff), JPEG
 * (libjpeg), PNG (libpng), and directories of them; each page as an 8-bit
 * grey image, its archive code found with ZXing-cpp (zxread.h: upright,
 * turned or skewed), and its image put into an archive PDF: JPEG data as
 * it was (JPEG files, a scanned PDF page's own JPEG: pdfimg.h), colour
 * kept for PNG and TIFF. A reader holds one open document and one page
 * image: one reader per thread. */
#ifndef KAOHE_SCAN_H
#define KAOHE_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include <hpdf.h>

#include "util.h"

typedef enum { SCAN_PDF, SCAN_TIFF, SCAN_JPEG, SCAN_PNG } scan_kind;

typedef struct scan_file {
    char *path;
    scan_kind kind;
    int pages;
} scan_file;

typedef struct scan_list {
    scan_file *v;
    size_t n, cap;
} scan_list;

/* Add a scan file, or every scan file under a directory (walked, names
 * sorted; files of other kinds in a directory are skipped), counting its
 * pages. False with "path: why" in err when a file named, or a scan file
 * found, cannot be read (exit 3). */
bool scan_list_add(scan_list *l, const char *path, sbuf *err);

/* Sort by path (the archive is then the same whatever the order given). */
void scan_list_sort(scan_list *l);
void scan_list_free(scan_list *l);

/* An 8-bit grey page: w × h bytes, dpi its resolution (0: unknown). */
typedef struct scan_image {
    unsigned char *px;
    int w, h;
    double dpi;
    bool reduced;                /* read coarse (scan_reader_coarse): a full read has more pixels */
} scan_image;

typedef struct scan_reader scan_reader;
scan_reader *scan_reader_new(void);
void scan_reader_free(scan_reader *r);

/* Coarse reading on or off (off at first): JPEG files of a known
 * resolution are then decoded at a half, quarter or eighth of their size,
 * down to ~100 dpi (the DCT scaled in libjpeg: cheaper), where a page code
 * still has 2 pixels a module; the image says it is reduced. A caller
 * that finds no code on it reads the page again at full size. */
void scan_reader_coarse(scan_reader *r, bool on);

/* Page `page` (0-based) of f as a grey image, owned by the reader and valid
 * until its next call. False with "path: why" in err. */
bool scan_read(scan_reader *r, const scan_file *f, int page, const scan_image **img, sbuf *err);

/* The archive code found on img: text (NUL-terminated, "" when none) and
 * the page's turn: how many quarter turns clockwise make it upright. Looks
 * at the four corners first (where a turned page's code is), then at the
 * whole page. Only codes beginning with "KH1 " count. */
typedef struct scan_code {
    char text[256];
    int turn;
    double corners[8];           /* the symbol's corners on img (zxread.h's order), pixels */
} scan_code;
bool scan_decode(const scan_image *img, scan_code *out);

/* The region of a PDF page from (x0, y0) (points from its top-left
 * corner), w × h pixels at `scale` pixels a point, rendered as for
 * printing on white into px as 8-bit grey (w × h bytes). rec, when not
 * NULL, is the page already rendered into a cairo recording surface (one
 * walk through the page for several regions): it is painted instead. */
typedef struct _PopplerPage PopplerPage;
typedef struct _cairo_surface cairo_surface_t;
void scan_render_region(PopplerPage *pg, cairo_surface_t *rec, double scale, double x0, double y0, int w, int h,
                        unsigned char *px);

/* Page `page` of f as an image of pdf, and its size in points: JPEG files
 * and PDF pages that are one upright JPEG image, their JPEG data as they
 * are; PNG files and colour TIFF pages, their pixels (grey or RGB); other
 * TIFF and PDF pages, the grey page image. NULL with err on failure. */
HPDF_Image scan_embed(scan_reader *r, const scan_file *f, int page, HPDF_Doc pdf, double *w_pt, double *h_pt,
                      sbuf *err);

#endif

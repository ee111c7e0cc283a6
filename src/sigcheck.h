/* sigcheck — does a scanned page look signed where its form asks for a
 * signature (UNSIGNED_SUSPECT, SPEC 6)? The places are read off the printed
 * page itself (its PDF in the package): the blank the layout leaves after
 * each 签名：, 签名（盖章）： or 本人签名： up to the date's 年. On the scan,
 * the page code's corners place the printed page (turn, scale, skew); around
 * each place the printed original, rendered, is aligned on the scan by a
 * small search, and the scan's ink inside the blank that the original does
 * not have is measured. One checker per thread (it holds an open PDF). */
#ifndef KAOHE_SIGCHECK_H
#define KAOHE_SIGCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan.h"

#define SIG_NAME_MAX 160
#define SIG_MAX_FIELDS 8          /* places checked on a page; the forms have at most 4 */

/* A place for a signature on a printed page, in PDF points from the page's
 * top-left corner (poppler's text coordinates). */
typedef struct sig_field {
    double box[4];                /* x0 y0 x1 y1: the blank after the label's colon, short of the date */
    double around[4];             /* the label, the blank and the date with a margin: aligned on the scan */
    char name[SIG_NAME_MAX];      /* the section's label and the place's own: "本人意见 本人签名" */
} sig_field;

/* A character of a page's text and its box (poppler's text layout). */
typedef struct sig_char {
    uint32_t cp;                  /* '\n' ends a line */
    double x0, y0, x1, y1;
} sig_char;

/* The signature places in a page's text, in text order, at most cap of
 * them into out; returns how many. A place is 签名 followed (within a few
 * characters, e.g. （盖章）) by a colon with room for a pen before the next
 * character of its line. Its name: the label of the section it closes (the
 * nearest lines above it, left of its line, as in a form's first column)
 * and its own label. */
size_t sig_fields(const sig_char *ch, size_t n, sig_field *out, size_t cap);

typedef enum { SIG_SIGNED, SIG_EMPTY, SIG_UNSURE } sig_verdict;

/* An 8-bit grey bitmap of a page region, at dpi. */
typedef struct sig_grey {
    unsigned char *px;
    int w, h;
    double dpi;
} sig_grey;

/* The scan's ink inside box (page points) beyond the original's: orig is the
 * page region `at` (page points) rendered at orig->dpi; affine maps a page
 * point (x, y) to the scan's pixel (a0 x + a1 y + a2, a3 x + a4 y + a5).
 * The original is aligned on the scan within search_mm first.
 * SIG_UNSURE when it cannot be (the place is not recognisable on the scan)
 * or the scan is too dark; else SIG_SIGNED when the share of the blank
 * inked (*ink) reaches SIG_INK_MIN. */
#define SIG_DPI 100.0
#define SIG_INK_MIN 0.02
sig_verdict sig_measure(const sig_grey *orig, const double at[4], const double box[4], const scan_image *img,
                        const double affine[6], double search_mm, double *ink);

/* The map (sig_measure's affine form) of a turn, one scale and a shift
 * taking the n points from[2n] (x y pairs) nearest to to[2n] (least
 * squares); false when they are degenerate. */
bool sig_fit(const double *from, const double *to, int n, double affine[6]);

/* The verdicts on one scanned page. */
typedef struct sig_result {
    int n;                        /* places checked (at most SIG_MAX_FIELDS) */
    sig_verdict v[SIG_MAX_FIELDS];
    float ink[SIG_MAX_FIELDS];
    char *empty;                  /* "k\tname\tink\n" for each SIG_EMPTY place k (1-based), malloc'd; NULL none */
} sig_result;

typedef struct sig_checker sig_checker;
sig_checker *sig_checker_new(void);
void sig_checker_free(sig_checker *c);

/* Check img, a scan of page `page` (0-based) of the printed PDF at path,
 * whose code (text `code`) has its corners at corners[8] on img (scan.h).
 * Fills r (r->empty is the caller's to free). False when the printed page
 * cannot be read or its code not found on it (r says nothing then). */
bool sig_check(sig_checker *c, const char *path, int page, const char *code, const scan_image *img,
               const double corners[8], sig_result *r);

#endif

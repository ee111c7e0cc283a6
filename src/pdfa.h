/* pdfa — what makes a libharu document PDF/A-2b (archive volumes, SPEC 6):
 * XMP metadata (pdfaid:part 2, pdfaid:conformance B, title, producer and
 * dates as the Info dictionary has them) and an sRGB output intent from
 * Debian's icc-profiles-free. Fonts, transparency and the /ID are the
 * caller's (pdfw: fonts embedded, nothing transparent, /ID from the bytes;
 * the archive volumes are written through it). */
#ifndef KAOHE_PDFA_H
#define KAOHE_PDFA_H

#include <stdbool.h>

#include <hpdf.h>

#include "util.h"

/* The sRGB profile (icc-profiles-free). */
#define PDFA_ICC_PATH "/usr/share/color/icc/sRGB.icc"

/* What the XMP repeats of the Info dictionary (PDF/A requires them to
 * agree): the caller sets the same in Info. */
typedef struct pdfa_meta {
    const char *title;        /* UTF-8 or NULL */
    const char *author;       /* or NULL */
    const char *producer;
    long long epoch;          /* creation and modification date, < 0: none */
} pdfa_meta;

/* The sRGB output intent and the XMP metadata stream (pdfaid part 2,
 * conformance B, m's entries). False with err when the profile cannot be
 * loaded. The caller sees to /ID (pdfw writes its own, from the content). */
bool pdfa_mark(HPDF_Doc pdf, const pdfa_meta *m, sbuf *err);

#endif

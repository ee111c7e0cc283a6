/* pdfa — what makes a libharu document PDF/A-2b (archive volumes, SPEC 6):
 * XMP metadata (pdfaid:part 2, pdfaid:conformance B, title, producer and
 * dates as the Info dictionary has them), an sRGB output intent from
 * Debian's icc-profiles-free, and a /ID given by the caller (deterministic),
 * not libharu's ctime()-based one. Fonts and transparency are the caller's:
 * the archive volumes draw images only. */
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

/* Make pdf PDF/A-2b before it is saved: title (ASCII), epoch the creation
 * and modification date (< 0: none), id the 16 bytes of both /ID strings.
 * False with err when the profile cannot be loaded. */
bool pdfa_apply(HPDF_Doc pdf, const char *title, long long epoch, const unsigned char id[16], sbuf *err);

#endif

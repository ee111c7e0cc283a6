/* qr — the archive code of a printed page (SPEC 6): its identifier (year,
 * unit, person, form, page n of m, the document's check value), the text
 * of it that the QR code carries and that is printed under it, and the
 * drawing of both in a page's bottom margin: the symbol encoded by
 * libqrencode and drawn as filled vector rectangles (sharp at any zoom). */
#ifndef KAOHE_QR_H
#define KAOHE_QR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "layout.h"
#include "text.h"
#include "util.h"

#define QR_ID_MAX 65           /* ids: [A-Za-z0-9_-]{1,64} + NUL */

typedef struct qr_ident {
    int year;
    char unit[QR_ID_MAX];      /* "-": a run-wide form (summary, ranking) */
    char person[QR_ID_MAX];    /* "-": a unit's form */
    char form[16];             /* a form code (qr_form_code) */
    int page, pages;           /* 1-based page n of m of the document */
    char check[9];             /* 8 upper-case hex digits of the document's content */
} qr_ident;

/* The form code of an output file's base name ("registration" → "REG",
 * "quota-application" → "QUOTA"); NULL for a file that carries no code
 * (the blank ballot) or is unknown. */
const char *qr_form_code(const char *base);

/* The base name of a form code (inverse of qr_form_code), or NULL. */
const char *qr_form_base(const char *code);

/* Print order of a form code within a unit's package (0 first), for
 * filing scans in the order the package prints them; unknown codes last. */
int qr_form_order(const char *code);

/* The identifier's text: "KH1 2025 U001 P0001 REG 1/3 3FA9B21C" (the same
 * in the code and under it). Appended to out. */
void qr_format(const qr_ident *id, sbuf *out);

/* Parse qr_format's text; false for anything else (a foreign code). */
bool qr_parse(const char *s, size_t len, qr_ident *out);

/* Where a page's code goes: the page and its margins, mm. */
typedef struct qr_page {
    double page_w, page_h;
    double margin_bottom, margin_right;
} qr_page;

/* Where the identifier's text goes: its baseline's left end and size, in
 * PDF points. The writer draws it with its own fonts and encoding (pdfw
 * encodes text as the document's CIDs). */
typedef struct qr_text_at {
    double x, y, size;
} qr_text_at;

/* Draw the code of `text` in the bottom-right corner of the page's bottom
 * margin and say where its text goes (under it, or beside it when the
 * margin is too low), measured with `m`. Outside a text object; leaves the
 * graphics state as it was. False when libqrencode cannot encode the text
 * (too long). */
bool qr_draw(HPDF_Page page, const qr_page *pg, const char *text, const text_metrics *m, qr_text_at *at);

/* What a PDF writer needs to mark its pages (pdfw_opts.mark): ident(ctx,
 * doc, id) fills year, unit, person and form of its document doc (0-based,
 * in the order written); the writer adds page, pages and check. */
typedef struct qr_mark {
    void (*ident)(void *ctx, size_t doc, qr_ident *id);
    void *ctx;
} qr_mark;

/* The check value of a document: its pages' cells (position and text)
 * hashed in order into *h (start from QR_CHECK_INIT), then qr_check_hex.
 * Any change of the content (a name, a grade, a date) changes it. */
#define QR_CHECK_INIT 0xcbf29ce484222325ULL
void qr_check_page(uint64_t *h, const lo_page *pg);
void qr_check_hex(uint64_t h, char out[9]);

/* The QR modules of text as libqrencode makes them (for tests and the
 * drawing): *width × *width bytes, 1 = dark, malloc'd; NULL on failure. */
unsigned char *qr_modules(const char *text, int *width);

#endif

/* text — UTF-8 decoding and cleaning, measuring with a font's advances, and
 * per-character line breaking with Chinese rules (避头尾), plus fitting text
 * into a box: shrink to a minimum size, then report where the overflow starts
 * so the layout can continue it on a 续页. No font knowledge: widths come
 * through a text_metrics callback. No global state. */
#ifndef KAOHE_TEXT_H
#define KAOHE_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "util.h"

#define TEXT_REPLACEMENT 0xFFFDu

/* Decode one code point at *p (not past end) and advance *p. Invalid or
 * truncated sequences, overlongs and surrogates yield U+FFFD and advance by
 * one byte. */
uint32_t text_utf8_next(const char **p, const char *end);

/* Encode cp as UTF-8 into out (at least 4 bytes); returns the length. Invalid
 * code points are encoded as U+FFFD. */
size_t text_utf8_encode(uint32_t cp, char out[4]);

/* Number of code points in s[0..len). */
size_t text_utf8_count(const char *s, size_t len);

/* Append s[0..len) to b as clean UTF-8: invalid sequences become U+FFFD,
 * CR LF and CR become LF, TAB becomes a space, other C0/C1 controls, DEL and
 * the non-characters U+FFFE/U+FFFF are dropped. Returns the number of
 * replaced or dropped items (0 when s was already clean). */
size_t text_clean_append(sbuf *b, const char *s, size_t len);

/* Whether a spreadsheet would read s as a formula (CSV/formula injection):
 * after any leading spaces (also U+3000), it starts with = + - @, a tab or
 * a CR, or their full-width forms ＝ ＋ － ＠. */
bool text_formula_like(const char *s);

/* Chinese line-breaking classes. */
bool text_no_line_start(uint32_t cp); /* ，。、；：？！）》」』”’ … may not begin a line */
bool text_no_line_end(uint32_t cp);   /* （《「『“‘ … may not end a line */
bool text_is_cjk(uint32_t cp);        /* ideographs, kana, hangul, CJK/fullwidth punctuation */
/* Default-ignorable code points (ZWJ, ZWNJ, variation selectors, BOM, bidi
 * controls, ...): never drawn, no width. */
bool text_is_ignorable(uint32_t cp);
/* Variation selectors (FE00-FE0F, E0100-E01EF, Mongolian FVS1-3). */
bool text_is_variation_selector(uint32_t cp);
/* Combining marks (general category Mn, Mc, Me): part of the character
 * before them, never the start of a line. */
bool text_is_mark(uint32_t cp);
/* Of those, the spacing ones (Mc), which keep their advance. */
bool text_is_spacing_mark(uint32_t cp);

/* Width source: advance of one code point in em (1.0 = the font size). */
typedef struct text_metrics {
    double (*advance)(void *ctx, uint32_t cp);
    void *ctx;
} text_metrics;

/* Width in points of s[0..len) at `size` points. */
double text_width(const text_metrics *m, const char *s, size_t len, double size);

/* One broken line: byte range [start,end) of the source (trailing spaces and
 * the newline excluded) and its width in points. */
typedef struct text_line {
    size_t start, end;
    double width;
} text_line;

typedef struct text_lines {
    text_line *v;
    size_t n, cap;
} text_lines;

void text_lines_clear(text_lines *l);
void text_lines_free(text_lines *l);

/* Break s[0..len) into lines no wider than `width` points at `size` points
 * (an exact fit fits). LF is a hard break; spaces at a break are dropped;
 * Latin words and numbers (runs of non-CJK, non-space characters), the
 * words of a small form vocabulary (参加, 考核, 人数, 不称职, …) and a number
 * with its measure word (4 名, 12 票) stay whole unless one alone is wider
 * than the line; 避头尾 rules hold unless a single
 * unbreakable run is wider than the line. Empty text gives zero lines; an
 * empty paragraph between two LFs gives an empty line. Appends to out
 * (cleared first). */
void text_break(const char *s, size_t len, const text_metrics *m,
                double size, double width, text_lines *out);

/* Fitting text into a box. */
typedef struct text_fit_req {
    double width, height;   /* box in points (padding already removed) */
    double size_max;        /* preferred size, pt */
    double size_min;        /* smallest allowed size, pt (<= size_max) */
    double step;            /* shrink step, pt (0: 0.5) */
    double leading;         /* line pitch as a multiple of size (0: 1.25) */
} text_fit_req;

typedef struct text_fit_result {
    double size;            /* chosen size */
    text_lines lines;       /* lines that fit (all lines when !overflow) */
    size_t fit_end;         /* byte offset where the overflow starts (== len when it all fits) */
    bool overflow;          /* true: s[fit_end..len) did not fit even at size_min */
} text_fit_result;

/* Height in points of n lines at size with leading: (n-1)*size*leading + size
 * (0 for n == 0). */
double text_lines_height(size_t n, double size, double leading);

/* Largest size from size_max down to size_min (in steps) at which the whole
 * text fits the box without a word or number broken (see text_break); when
 * there is none, the largest at which it fits at all. If none, uses size_min, keeps the lines that fit and
 * sets overflow/fit_end (the caller continues the rest elsewhere; nothing is
 * cut silently). Returns !overflow. Free out->lines with text_lines_free. */
bool text_fit(const char *s, size_t len, const text_metrics *m,
              const text_fit_req *req, text_fit_result *out);

/* Set of code points (BMP as a bitmap, others in a sorted list). */
typedef struct text_cpset {
    uint64_t bmp[65536 / 64];
    uint32_t *astral;
    size_t nastral, capastral;
    size_t count;
} text_cpset;

void text_cpset_add(text_cpset *s, uint32_t cp);
bool text_cpset_has(const text_cpset *s, uint32_t cp);
/* Add every code point of s[0..len). */
void text_cpset_add_utf8(text_cpset *s, const char *str, size_t len);
/* Ascending list of members in a new array (caller frees); *n gets the count. */
uint32_t *text_cpset_list(const text_cpset *s, size_t *n);
void text_cpset_free(text_cpset *s);

#endif

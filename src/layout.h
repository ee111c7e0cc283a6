/* layout — template + data source → one page model: pages of rows (heights
 * in mm) on the template's column grid, with cells that carry resolved and
 * cleaned text, font role, fitted size, line breaks, borders, alignment and a
 * typed value for spreadsheets. Long text shrinks to the cell's minimum size
 * and continues on 续页 pages attached after the page it starts on. Both
 * writers (xlsxw, pdfw) draw this model, so the two outputs agree. A
 * document is laid out whole (layout_run) or handed over a page at a time
 * (layout_stream), so a form of thousands of rows needs one page in memory.
 * Also a simple key/value data source for tests and small callers. */
#ifndef KAOHE_LAYOUT_H
#define KAOHE_LAYOUT_H

#include <stddef.h>
#include <stdbool.h>

#include "font.h"
#include "template.h"
#include "text.h"
#include "util.h"

/* Abstract data source. Returned strings need only live until the next call
 * on the source (the layout copies them at once). */
typedef struct layout_source {
    /* Value at a dotted path ("unit.name"), or NULL when absent. */
    const char *(*lookup)(void *ctx, const char *path);
    /* Number of rows of the list at path ("unit.persons"). */
    size_t (*count)(void *ctx, const char *list);
    /* Field of row `index` (0-based) of a list, or NULL when absent. */
    const char *(*item)(void *ctx, const char *list, size_t index, const char *field);
    void *ctx;
} layout_source;

typedef enum { LO_TEXT, LO_NUMBER, LO_DATE } lo_kind;

typedef struct lo_cell {
    int row, col, rowspan, colspan;   /* position in the page's grid */
    double x, y, w, h;                /* mm from the page's top-left corner */
    const char *text;                 /* clean UTF-8, never NULL; LF = hard break */
    font_role font;
    double size;                      /* fitted size, pt */
    double leading;
    double pad;                       /* horizontal padding mm; vertical is pad/2 */
    tpl_halign halign;
    tpl_valign valign;
    unsigned char border[4];          /* tpl_border per TPL_SIDE_* */
    text_line *lines;                 /* line breaks of text at size */
    size_t nlines;
    double text_top;                  /* mm from the cell top to the first line's em box */
    /* spreadsheet value */
    lo_kind kind;
    double number;                    /* LO_NUMBER */
    int year, month, day;             /* LO_DATE */
    const char *numfmt;               /* Excel number format or NULL */
    const char *const *choices;       /* dropdown values or NULL */
    size_t nchoices;
    /* spreadsheet formula (the template's, placeholders unresolved: the
     * writer knows the physical rows) and the sheet rows of the items of
     * the list laid out last before this cell, for {first} and {last} */
    const char *formula;
    bool has_range;
    size_t range_first, range_last;
    /* For a writer whose text flows and grows its row instead (DOCX): the
     * template's size (size below it: the layout shrank the text to fit),
     * and the text the cell holds when nothing is continued, NULL: text.
     * That is the whole of a text continued on 续页 pages (text is then its
     * first part and the mark), or a follows-text row's text (签名/日期)
     * that the layout moved to the end of the continuation. A 续页
     * (lo_page.continuation) holds nothing but parts of those texts. */
    double want_size;
    const char *whole;
} lo_cell;

typedef struct lo_row {
    double h;                         /* mm */
    size_t sheet_row;                 /* row in the XLSX sheet (of the original for repeats) */
    bool repeat;                      /* a repeated list head row (copy of sheet_row) */
} lo_row;

typedef struct lo_page {
    lo_row *rows;
    size_t nrows;
    lo_cell *cells;
    size_t ncells;
    bool continuation;                /* a 续页 */
    /* An even page of a document printed on both sides (template duplex):
     * its left and right margins are the document's swapped, so the
     * binding margin is on the right; its cells are placed already. */
    bool mirrored;
    /* A page with only 本页无正文, padding a per-person document to an even
     * page count so the next document of the same file starts on an odd
     * page (duplex="per-person"). */
    bool blank;
    bool chart;                       /* a chart page: categories [chart_from, chart_to) */
    size_t chart_from, chart_to;
} lo_page;

/* A chart over a list's rows: the values for the PDF drawing and, for the
 * spreadsheet's chart sheet, the sheet rows and columns they are in. */
typedef struct lo_series {
    const char *name, *col;
    double *values;                   /* ncats */
} lo_series;

/* Series colours in order, the same in both writers (0xRRGGBB). */
#define LO_CHART_NCOLORS 4
extern const unsigned lo_chart_colors[LO_CHART_NCOLORS];

typedef struct lo_chart {
    const char *title, *sheet, *cat_col;
    const char **cats;
    size_t ncats;
    lo_series *series;
    size_t nseries;
    bool percent;
    bool line;                        /* lines with markers; else clustered columns */
    size_t first_row, last_row;       /* sheet rows of the list items */
} lo_chart;

/* Header/footer text: page number tokens are LO_PAGE_TOKEN / LO_PAGES_TOKEN. */
#define LO_PAGE_TOKEN  "\x01P"
#define LO_PAGES_TOKEN "\x01N"
typedef struct lo_hf {
    const char *part[3];              /* left, center, right ("" when unused) */
    font_role font;
    double size;
} lo_hf;

typedef struct lo_doc {
    const char *title, *sheet;
    double page_w, page_h;            /* mm */
    bool landscape;
    int paper;
    double margin[4];                 /* TPL_SIDE_* order, mm */
    double header_margin, footer_margin;
    double x0;                        /* mm: left edge of the grid (centred in the margins) */
    double *col_w;                    /* mm */
    size_t ncols;
    lo_page *pages;
    size_t npages;
    size_t nsheet_rows;
    lo_hf header, footer;
    lo_chart *chart;                  /* NULL when the form has none */
    diag_list diags;                  /* what the officer should know (warnings: diag.h) */
    arena a;                          /* owns all strings and arrays above */
} lo_doc;

/* Lay out a template with data. Never fails on data (problems become
 * diags); NULL only for a template the page cannot hold, with err set. */
lo_doc *layout_run(const tpl_form *t, const layout_source *src, const font_set *fs, sbuf *err);

/* Where layout_stream hands its pages: page(ctx, d, pg) for each page in
 * order, once it and its 续页 are complete. pg and the strings of its cells
 * live only during the call. d is the document being laid out: its
 * geometry, header and footer (resolved before the first page), chart (set
 * before the chart's pages) and nsheet_rows so far are valid; its pages and
 * npages are not. */
typedef struct lo_sink {
    void (*page)(void *ctx, const lo_doc *d, const lo_page *pg);
    void *ctx;
} lo_sink;

/* How the document is printed. simplex: on one side (no mirrored even
 * pages, no 本页无正文 padding); the default is the template's duplex. */
typedef struct lo_print {
    bool simplex;
} lo_print;

/* The left and right margins (mm) of page pg of d: d->margin's, swapped on
 * a mirrored page. Writers place headers and footers between them. */
void layout_page_margins(const lo_doc *d, const lo_page *pg, double *left, double *right);

/* layout_run, handing each page to sink and freeing it, so memory does not
 * grow with the number of pages (the run's roll-up over thousands of units).
 * Returns the document without pages (npages 0, pages NULL): what the
 * pages share, its nsheet_rows and diags. Laid out again from the same
 * source, the pages come out the same, which is how the writers make the
 * passes they need. */
lo_doc *layout_stream(const tpl_form *t, const layout_source *src, const font_set *fs, const lo_sink *sink,
                      sbuf *err);

/* layout_stream printed as `print` says (NULL: the template's duplex). */
lo_doc *layout_stream_print(const tpl_form *t, const layout_source *src, const font_set *fs, const lo_sink *sink,
                            const lo_print *print, sbuf *err);

/* A document the writers lay out themselves, as often as they need:
 * run(ctx, sink, err) is layout_stream with the caller's template and source.
 * On failure it returns NULL, saying why in err, or where the caller reports
 * its own failures (forms), nowhere: err stays empty, and the writer adds
 * nothing to it and leaves no file. */
typedef struct lo_pager {
    lo_doc *(*run)(void *ctx, const lo_sink *sink, sbuf *err);
    void *ctx;
} lo_pager;
void lo_doc_free(lo_doc *d);

/* The value a source gives where there is no value to print (a ratio of
 * nobody, the establishment of a group that has none): every formatter
 * prints it as it is, and an XLSX cell holds it as text. */
#define LAYOUT_NO_VALUE "—"

/* Apply a formatter to a value (exposed for tests). Appends to out; returns
 * false when the value does not parse for the formatter (then the raw value
 * is appended). category is used by TPL_FMT_GRADE, arg by the others;
 * LAYOUT_NO_VALUE is appended as it is under every formatter. */
bool layout_format(tpl_fmt fmt, const char *value, const char *arg, const char *category, sbuf *out);

/* Grade labels for a person category: "civil-servant"/"managed" give
 * 优秀/称职/基本称职/不称职, "institution"/"other" 优秀/合格/基本合格/不合格.
 * Returns a static array of 4 labels (excellent, competent, basic, incompetent). */
const char *const *layout_grade_labels(const char *category);

/* Key/value data source: keys are paths; list rows are "list.N.field"
 * (N from 0). */
typedef struct kv_map kv_map;
kv_map *kv_new(void);
void kv_set(kv_map *m, const char *key, const char *value);
const char *kv_get(const kv_map *m, const char *key);
layout_source kv_source(kv_map *m);
void kv_free(kv_map *m);

/* The check "no text touches a cell border": every text line of page pg
 * (its advance width, its em box: size high, `leading` apart, from
 * text_top, placed by the cell's alignment as the writers place it) lies
 * inside its cell less the padding (pad left and right, pad/2 top and
 * bottom), within 0.01 mm. For each line that does not, appends
 * "TEXT_OUTSIDE_CELL: …\n" (page pno, the cell's row and column, how far
 * out, the start of its text) to problems when it is not NULL. Returns the
 * number of such lines. */
size_t layout_text_inside(const lo_page *pg, size_t pno, sbuf *problems);

#endif

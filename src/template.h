/* template — the form template files of templates/forms/ (XML, namespace
 * urn:kaohe:form:1, described in templates/forms/README.md): page setup,
 * column grid, rows of cells with spans, borders, alignment, font role and
 * size, static text and {{bindings|formatters}}, repeated list blocks,
 * page header and footer. Parsing only; the layout module fills it with data.
 * A parsed tpl_form is immutable and may be shared by threads. */
#ifndef KAOHE_TEMPLATE_H
#define KAOHE_TEMPLATE_H

#include <stddef.h>
#include <stdbool.h>

#include "diag.h"
#include "font.h"
#include "util.h"

typedef enum { TPL_LEFT, TPL_CENTER, TPL_RIGHT } tpl_halign;
typedef enum { TPL_TOP, TPL_MIDDLE, TPL_BOTTOM } tpl_valign;
/* Border weight of one side. */
typedef enum { TPL_BORDER_NONE, TPL_BORDER_THIN, TPL_BORDER_MEDIUM, TPL_BORDER_THICK } tpl_border;
enum { TPL_SIDE_TOP, TPL_SIDE_RIGHT, TPL_SIDE_BOTTOM, TPL_SIDE_LEFT };

/* Formatters of a binding. */
typedef enum {
    TPL_FMT_NONE,     /* the value as is */
    TPL_FMT_MONTH,    /* 2025-12[-31] → 2025年12月 (a date in XLSX) */
    TPL_FMT_DATE,     /* 2025-12-31 → 2025年12月31日 (a date in XLSX) */
    TPL_FMT_PERCENT,  /* 0.2 → 20% ; arg: decimals (a number in XLSX) */
    TPL_FMT_NUMBER,   /* 92.5 → 92.50 with arg 2 (a number in XLSX) */
    TPL_FMT_GRADE,    /* excellent → 优秀; arg: category path or 'literal' */
    TPL_FMT_OR        /* value, or arg when empty */
} tpl_fmt;

/* A piece of cell text: literal text, or a binding. */
typedef struct tpl_seg {
    bool binding;
    char *text;       /* literal text, or the binding's path */
    tpl_fmt fmt;
    char *arg;        /* formatter argument or NULL */
    bool arg_literal; /* arg was quoted: a literal, not a path */
} tpl_seg;

typedef struct tpl_style {
    font_role font;
    double size, min_size;      /* pt */
    double leading;             /* line pitch / size */
    double pad;                 /* horizontal padding, mm (vertical: pad / 2) */
    tpl_halign halign;
    tpl_valign valign;
    unsigned char border[4];    /* tpl_border per TPL_SIDE_* */
} tpl_style;

typedef struct tpl_cell {
    int col, colspan, rowspan;  /* col: computed grid column */
    tpl_style st;
    tpl_seg *segs;
    size_t nsegs;
    bool force_text;            /* type="text": never a number/date cell */
    char *continue_label;       /* title of the 续页 for this cell's overflow */
    char *continue_mark;        /* appended to the part that fits when it overflows */
    char **choices;             /* dropdown values (choices="a,b") */
    size_t nchoices;
    char *formula;              /* XLSX formula with {row} {col} {first} {last}, or NULL */
    int line;                   /* source line */
} tpl_cell;

typedef struct tpl_row {
    double height;              /* mm; for auto rows the minimum */
    bool autoheight;
    tpl_cell *cells;
    size_t ncells;
    int line;                   /* source line */
    /* when="path" / unless="path" (form-level rows only, on the first row of
     * a rowspan group, which it shows or hides whole): shown when the value
     * is set, not empty and not "0" (unless: the opposite). NULL: always. */
    char *cond;
    bool cond_negated;
    /* follows-text="true": the row closes the text of the row above it (the
     * 签名/日期 line under 个人总结). When that text continues on a 续页,
     * the row is drawn after the continued text ends, and stays empty (its
     * borders only) in its own place. */
    bool follows_text;
} tpl_row;

typedef enum { TPL_BLOCK_ROWS, TPL_BLOCK_LIST, TPL_BLOCK_BREAK, TPL_BLOCK_CHART } tpl_block_kind;

/* One data series of a chart: a numeric field of the chart's list, shown
 * in the sheet column `col` (letters) of that list's rows. (One chart type
 * for all series: libxlsxwriter 1.1.4 cannot combine chart types.) */
typedef struct tpl_series {
    char *name, *field, *col;
} tpl_series;

/* A chart over the rows of an earlier list: categories and series are
 * fields of that list. PDF: pages of at most per_page categories; XLSX: a
 * chart sheet whose series refer to the list's cells. */
typedef struct tpl_chart {
    tpl_seg *title;             /* text with bindings */
    size_t ntitle;
    char *sheet, *source;
    char *cat_field, *cat_col;
    tpl_series *series;
    size_t nseries;
    bool percent;               /* values are shares: axis as 0%..100% */
    bool line;                  /* type="line": lines with markers; else clustered columns */
    int per_page;
} tpl_chart;

typedef struct tpl_block {
    tpl_block_kind kind;
    tpl_row *rows;              /* ROWS: the rows; LIST: head rows then item rows */
    size_t nrows;
    size_t nhead;               /* LIST: number of head rows (repeated on each page) */
    char *source;               /* LIST: list path for the data source */
    char *empty;                /* LIST: text of a row shown when the list is empty, or NULL */
    tpl_chart *chart;           /* CHART */
} tpl_block;

/* Page header or footer: three parts, with {{page}} and {{pages}}. */
typedef struct tpl_hf {
    tpl_seg *part[3];           /* left, center, right */
    size_t npart[3];
    font_role font;
    double size;
} tpl_hf;

typedef struct tpl_form {
    char *name, *title, *sheet;
    double page_w, page_h;      /* mm, after orientation */
    bool landscape;
    int paper;                  /* 9 = A4, 8 = A3 (Excel paper codes) */
    double margin[4];           /* mm, TPL_SIDE_* order */
    double header_margin, footer_margin;
    double *col_w;              /* mm */
    size_t ncols;
    tpl_block *blocks;
    size_t nblocks;
    tpl_hf header, footer;
    /* duplex="mirror": printed on both sides and bound on the left, so even
     * pages swap the left and right margins (the binding margin is the
     * left one); duplex="per-person": also padded with a 本页无正文 page to
     * an even count, so the next person's form in the same file starts on
     * an odd page. Off for a simplex run (layout_print). */
    bool duplex_mirror, duplex_pad;
} tpl_form;

/* Parse a template file. NULL on error, with the error added to dl (its
 * file and line, a TEMPLATE_* code: diag.h). */
tpl_form *tpl_load(const char *path, diag_list *dl);
/* Parse from memory (name is the file named in diagnostics). */
tpl_form *tpl_parse(const char *xml, size_t len, const char *name, diag_list *dl);
void tpl_free(tpl_form *t);

/* Parse cell text with {{path|fmt:arg}} bindings into segments (exposed for
 * tests and for callers building templates in code). false on a bad
 * binding or unknown formatter, with the error added to dl at file:line
 * (file may be NULL). */
bool tpl_parse_text(const char *s, tpl_seg **segs, size_t *nsegs, diag_list *dl, const char *file, int line);
void tpl_segs_free(tpl_seg *segs, size_t n);

#endif

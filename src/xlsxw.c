/* xlsxw — see xlsxw.h. */
#include "xlsxw.h"
#include "msg.h"
#include "outfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lxw_patch.h"
#include "text.h"

#define MM2PT (72.0 / 25.4)
#define MM2IN (1.0 / 25.4)
#define MM2PX (96.0 / 25.4)
/* Spreadsheet margins are smaller than the form's at the sides and the
 * bottom, so a viewer's rounding never adds a page. Column widths are in
 * Excel's units (7 px per character at Calibri 11); LibreOffice measures the
 * character with its own font and draws columns up to ~5% wider, so the side
 * slack is 3% of the grid width per side (at least 4 mm); the grid is centred
 * when the form's margins are symmetric, so nothing moves. */
#define SIDE_SLACK_MIN_MM 4.0
#define SIDE_SLACK_FRAC 0.03
#define BOTTOM_SLACK_MM 4.0

/* format cache */
typedef struct fmt_ent {
    char *key;
    lxw_format *f;
} fmt_ent;

typedef struct W {
    lxw_workbook *wb;
    const font_set *fs;
    fmt_ent *fmts;
    size_t nfmts, capfmts;
} W;

/* The format of cell c; quote: with the quote prefix (lxw_patch.h). */
static lxw_format *get_format(W *w, const lo_cell *c, bool quote)
{
    char key[256];
    snprintf(key, sizeof key, "%d|%.2f|%d|%d|%d%d%d%d|%d|%s", (int)c->font, c->size, (int)c->halign,
             (int)c->valign, c->border[0], c->border[1], c->border[2], c->border[3], (int)quote,
             c->numfmt ? c->numfmt : "");
    for (size_t i = 0; i < w->nfmts; i++)
        if (!strcmp(w->fmts[i].key, key)) return w->fmts[i].f;
    lxw_format *f = workbook_add_format(w->wb);
    if (quote) lxw_patch_quote_prefix(f);
    format_set_font_name(f, font_sheet_name(w->fs, c->font));
    format_set_font_size(f, c->size);
    format_set_align(f, c->halign == TPL_LEFT ? LXW_ALIGN_LEFT
                        : c->halign == TPL_RIGHT ? LXW_ALIGN_RIGHT
                                                 : LXW_ALIGN_CENTER);
    format_set_align(f, c->valign == TPL_TOP ? LXW_ALIGN_VERTICAL_TOP
                        : c->valign == TPL_BOTTOM ? LXW_ALIGN_VERTICAL_BOTTOM
                                                  : LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f);
    static const uint8_t bstyle[4] = {LXW_BORDER_NONE, LXW_BORDER_THIN, LXW_BORDER_MEDIUM,
                                      LXW_BORDER_THICK};
    format_set_top(f, bstyle[c->border[TPL_SIDE_TOP] & 3]);
    format_set_right(f, bstyle[c->border[TPL_SIDE_RIGHT] & 3]);
    format_set_bottom(f, bstyle[c->border[TPL_SIDE_BOTTOM] & 3]);
    format_set_left(f, bstyle[c->border[TPL_SIDE_LEFT] & 3]);
    if (c->numfmt) format_set_num_format(f, c->numfmt);
    if (w->nfmts == w->capfmts) {
        w->capfmts = w->capfmts ? w->capfmts * 2 : 16;
        w->fmts = xrealloc(w->fmts, w->capfmts * sizeof *w->fmts);
    }
    w->fmts[w->nfmts].key = xstrdup(key);
    w->fmts[w->nfmts].f = f;
    w->nfmts++;
    return f;
}

/* Header/footer string: &L &C &R parts, page tokens → &P / &N, & → &&. */
static void hf_string(sbuf *b, const lo_hf *hf, const font_set *fs)
{
    static const char *const pos[3] = {"&L", "&C", "&R"};
    sbuf_clear(b);
    sbuf_puts(b, "");
    for (int i = 0; i < 3; i++) {
        const char *s = hf->part[i];
        if (!s || !*s) continue;
        sbuf_printf(b, "%s&\"%s,Regular\"&%d ", pos[i], font_sheet_name(fs, hf->font), (int)lround(hf->size));
        /* the space after the size keeps digits of the text apart from it */
        b->len--;
        b->data[b->len] = 0;
        bool first = true;
        for (const char *p = s; *p; p++) {
            if (first && *p >= '0' && *p <= '9') sbuf_putc(b, ' ');
            first = false;
            if (p[0] == '\x01' && p[1] == 'P') { sbuf_puts(b, "&P"); p++; }
            else if (p[0] == '\x01' && p[1] == 'N') { sbuf_puts(b, "&N"); p++; }
            else if (*p == '&') sbuf_puts(b, "&&");
            else sbuf_putc(b, *p);
        }
    }
}

/* Valid, unique sheet name (Excel: ≤ 31 characters, none of []:*?/\). */
/* Valid, unique sheet name (Excel: ≤ 31 characters, none of []:*?/\): want
 * (its first 28 characters), or that with (2), (3), ... appended (cut
 * further from (10) on, so the name stays within 31). */
static char *sheet_name(const char *want, char **used, size_t nused)
{
    sbuf b = {0};
    for (int k = 1;; k++) {
        char suffix[16] = "";
        if (k > 1) snprintf(suffix, sizeof suffix, "(%d)", k);
        size_t room = 31 - (strlen(suffix) > 3 ? strlen(suffix) : 3);
        sbuf_clear(&b);
        sbuf_puts(&b, "");
        const char *p = want && *want ? want : "Sheet";
        const char *e = p + strlen(p);
        size_t n = 0;
        while (p < e && n < room) {
            const char *q = p;
            uint32_t cp = text_utf8_next(&p, e);
            if (cp == '[' || cp == ']' || cp == ':' || cp == '*' || cp == '?' || cp == '/' ||
                cp == '\\' || cp < 0x20 || cp > 0xFFFF || (n == 0 && cp == '\''))
                continue;
            sbuf_add(&b, q, (size_t)(p - q));
            n++;
        }
        while (b.len && b.data[b.len - 1] == '\'') b.data[--b.len] = 0;
        if (!b.len) sbuf_puts(&b, "Sheet");
        sbuf_puts(&b, suffix);
        bool clash = false;
        for (size_t i = 0; i < nused && !clash; i++) clash = !strcasecmp(used[i], b.data);
        if (!clash) return b.data;
    }
}

/* ------------------------------------------------------------ workbooks */

/* A workbook written to outfile's temp name beside path, renamed at close. */
typedef struct book {
    lxw_workbook *wb;
    char *tmp;
    W w;
    char **used;                  /* sheet names so far */
    size_t nused, capused;
} book;

static bool book_open(book *b, const char *path, const font_set *fs, const xlsxw_opts *opts, bool constant,
                      const char *title, sbuf *err)
{
    memset(b, 0, sizeof *b);
    /* outfile's temp name: the one pattern a later build sweeps */
    int fd = outfile_mktemp(path, &b->tmp);
    if (fd < 0) {
        sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, msg_syserr(LANG_ZH, errno));
        return false;
    }
    close(fd);
    lxw_workbook_options wo = {0};
    wo.constant_memory = constant ? LXW_TRUE : LXW_FALSE;
    wo.tmpdir = (char *)opts->tmpdir;
    b->wb = workbook_new_opt(b->tmp, &wo);
    if (!b->wb) {
        sbuf_printf(err, "XLSX 创建失败 (XLSX_FAILED): %s", path);
        unlink(b->tmp);
        free(b->tmp);
        b->tmp = NULL;
        return false;
    }
    lxw_doc_properties props = {0};
    props.title = (char *)(title ? title : "");
    props.author = (char *)opts->author;
    props.created = (time_t)(opts->epoch >= 0 ? opts->epoch : 946684800);
    workbook_set_properties(b->wb, &props);
    b->w = (W){b->wb, fs, NULL, 0, 0};
    return true;
}

/* A sheet name made of want, valid and unique in the book (which keeps it). */
static const char *book_name(book *b, const char *want)
{
    if (b->nused == b->capused) {
        b->capused = b->capused ? b->capused * 2 : 4;
        b->used = xrealloc(b->used, b->capused * sizeof *b->used);
    }
    char *n = sheet_name(want, b->used, b->nused);
    b->used[b->nused++] = n;
    return n;
}

/* A worksheet named after want (made valid and unique), or NULL + err. */
static lxw_worksheet *book_add_sheet(book *b, const char *want, const char **name, sbuf *err)
{
    *name = book_name(b, want);
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, *name);
    if (!ws) sbuf_printf(err, "XLSX 工作表名无效 (XLSX_FAILED): %s", *name);
    return ws;
}

/* Close the workbook and put it at path when ok; frees b either way. */
static bool book_close(book *b, bool ok, const char *path, sbuf *err)
{
    lxw_error rc = workbook_close(b->wb);
    if (ok && rc != LXW_NO_ERROR) {
        sbuf_printf(err, "XLSX 写入失败 (XLSX_FAILED): %s: %s", path, lxw_strerror(rc));
        ok = false;
    }
    /* no fsync here: outfile's rule, the year's syncfs before its manifest */
    if (ok && rename(b->tmp, path) != 0) {
        sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, msg_syserr(LANG_ZH, errno));
        ok = false;
    }
    if (!ok) unlink(b->tmp);
    for (size_t i = 0; i < b->nused; i++) free(b->used[i]);
    free(b->used);
    for (size_t i = 0; i < b->w.nfmts; i++) free(b->w.fmts[i].key);
    free(b->w.fmts);
    free(b->tmp);
    return ok;
}

/* Sheet column letters of a 0-based column. */
static void col_letters(size_t col, char out[4])
{
    char tmp[4];
    int n = 0;
    for (size_t c = col + 1; c > 0 && n < 3; c = (c - 1) / 26) tmp[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

/* Column letters to a 0-based column. */
static lxw_col_t col_index(const char *s)
{
    lxw_col_t c = 0;
    for (; *s; s++) c = (lxw_col_t)(c * 26 + (lxw_col_t)(*s - 'A' + 1));
    return c ? c - 1 : 0;
}

/* The chart of a list as a chart sheet (named after the chart's sheet,
 * made unique) over rows first..last of worksheet ws_name, in the same
 * colours and order as the PDF's drawing. */
static bool write_chart(book *b, const char *ws_name, const lo_chart *ch, lxw_row_t first, lxw_row_t last,
                        sbuf *err)
{
    const char *name = book_name(b, ch->sheet);
    lxw_chartsheet *cs = workbook_add_chartsheet(b->wb, name);
    lxw_chart *chart = workbook_add_chart(b->wb, ch->line ? LXW_CHART_LINE : LXW_CHART_COLUMN);
    if (!cs || !chart) {
        sbuf_printf(err, "XLSX 图表创建失败 (XLSX_FAILED): %s", name);
        return false;
    }
    lxw_col_t cat = col_index(ch->cat_col);
    for (size_t k = 0; k < ch->nseries; k++) {
        const lo_series *s = &ch->series[k];
        lxw_chart_series *se = chart_add_series(chart, NULL, NULL);
        if (!se) continue;
        lxw_col_t vc = col_index(s->col);
        chart_series_set_categories(se, ws_name, first, cat, last, cat);
        chart_series_set_values(se, ws_name, first, vc, last, vc);
        chart_series_set_name(se, s->name);
        lxw_color_t rgb = lo_chart_colors[k % LO_CHART_NCOLORS];
        lxw_chart_fill fill = {rgb, 0, 0};
        lxw_chart_line ln = {rgb, 0, 1.5, 0, 0};
        if (ch->line) {
            chart_series_set_line(se, &ln);
            chart_series_set_marker_type(se, LXW_CHART_MARKER_DIAMOND);
            chart_series_set_marker_fill(se, &fill);
            chart_series_set_marker_line(se, &ln);
        } else {
            chart_series_set_fill(se, &fill);
        }
    }
    chart_title_set_name(chart, ch->title);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_TOP);
    if (ch->percent) chart_axis_set_num_format(chart->y_axis, "0%");
    chart_axis_set_min(chart->y_axis, 0);
    chartsheet_set_chart(cs, chart);
    chartsheet_set_landscape(cs);
    chartsheet_set_paper(cs, 9);
    return true;
}

/* ------------------------------------------------------------ print titles */

/* What decides whether repeated list heads become print titles, gathered a
 * page at a time (a streamed sheet is seen once before it is written). */
typedef struct page_heads {
    size_t lead, lead_lo;     /* leading repeat rows: how many, the first one's sheet row */
    bool lead_seq;            /* their sheet rows are lead_lo, lead_lo + 1, ... */
    bool other_rep;           /* a repeat row after the leading ones */
    bool any_own;             /* rows of the page's own: sheet rows own_lo..own_hi */
    size_t own_lo, own_hi;
} page_heads;

typedef struct heads {
    page_heads *pg;
    size_t n, cap;
    bool any_rep;
    size_t rep_lo, rep_hi;    /* sheet rows of every repeat row */
} heads;

static void heads_add_page(heads *h, const lo_page *pg)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 16;
        h->pg = xrealloc(h->pg, h->cap * sizeof *h->pg);
    }
    page_heads *ph = &h->pg[h->n++];
    memset(ph, 0, sizeof *ph);
    ph->lead_seq = true;
    bool leading = true;
    for (size_t r = 0; r < pg->nrows; r++) {
        const lo_row *row = &pg->rows[r];
        if (!row->repeat) {
            /* a page's own rows take consecutive sheet rows as they are placed */
            if (!ph->any_own) ph->own_lo = row->sheet_row;
            ph->any_own = true;
            ph->own_hi = row->sheet_row;
            leading = false;
            continue;
        }
        if (!h->any_rep || row->sheet_row < h->rep_lo) h->rep_lo = row->sheet_row;
        if (!h->any_rep || row->sheet_row > h->rep_hi) h->rep_hi = row->sheet_row;
        h->any_rep = true;
        if (!leading) { ph->other_rep = true; continue; }
        if (ph->lead == 0) ph->lead_lo = row->sheet_row;
        else if (row->sheet_row != ph->lead_lo + ph->lead) ph->lead_seq = false;
        ph->lead++;
    }
}

/* Repeated head rows become print titles only when they are one range and
 * every page after the one its original is on starts with it and repeats
 * nothing else, as the PDF does (viewers then repeat them exactly like the
 * PDF). */
static bool heads_titles(const heads *h)
{
    if (!h->any_rep) return false;
    size_t first = (size_t)-1;
    for (size_t p = 0; p < h->n && first == (size_t)-1; p++)
        if (h->pg[p].any_own && h->pg[p].own_lo <= h->rep_lo && h->rep_lo <= h->pg[p].own_hi) first = p;
    if (first == (size_t)-1) return false;
    size_t need = h->rep_hi - h->rep_lo + 1;
    for (size_t p = first + 1; p < h->n; p++) {
        const page_heads *ph = &h->pg[p];
        if (ph->lead != need || ph->lead_lo != h->rep_lo || !ph->lead_seq || ph->other_rep) return false;
    }
    return true;
}

/* ------------------------------------------------------------ one sheet */

typedef struct prow {
    lxw_row_t start;  /* first physical row */
    int count;        /* physical rows (a model row taller than Excel allows is split) */
} prow;

/* A cell merged over physical rows still to come (constant-memory sheets). */
typedef struct span {
    lxw_row_t fr, lr;
    lxw_col_t fc, lc;
    lxw_format *f;
} span;

/* One worksheet of a page model: the model's rows go on in the next
 * worksheet when this one's row limit is reached. */
typedef struct part {
    const char *name;             /* owned by the book */
    bool any;                     /* holds rows of the model's own (not repeats) */
    size_t sr_lo, sr_hi;          /* their sheet rows */
} part;

/* A page model being written a page at a time, its rows in order, into one
 * worksheet or, past the row limit, several (parts). Physical rows are
 * local to a part; first_phys/last_phys hold them as part * max_rows + row. */
typedef struct sheet {
    book *b;
    const lo_doc *d;              /* geometry, header and footer (valid while pages come) */
    const char *want;             /* the name asked for; later parts append (2), (3), ... */
    lxw_row_t max_rows;           /* rows a part may hold */
    bool constant;                /* libxlsxwriter's constant_memory: rows strictly in order */
    bool titles;
    size_t rep_lo, rep_hi;
    part *parts;                  /* the parts so far; the last is the one being written */
    size_t nparts;
    size_t npages;                /* pages written, all parts */
    lxw_row_t *first_phys, *last_phys;   /* of each sheet row (its original, not a repeat) */
    size_t nsheet_rows;
    /* the part being written */
    lxw_worksheet *ws;
    bool title_found;
    lxw_row_t title_lo, title_hi; /* physical rows of the titles */
    lxw_row_t next;               /* physical rows mapped */
    lxw_row_t done;               /* physical rows whose height is set */
    lxw_row_t breaks[1024];
    size_t nbreaks;
    /* the current page */
    prow *map;
    size_t map_cap;
    double *phys_h;               /* physical row heights, pt, from page_first */
    size_t phys_cap;
    lxw_row_t page_first;
    span *spans;
    size_t nspans, cap_spans;
    sbuf formula;
    sbuf *err;
    bool said;                    /* err already says why rc failed */
    lxw_error rc;
} sheet;

/* Physical rows of a model row h mm tall: Excel's rows are at most
 * XLSXW_MAX_ROW_PT high. */
static int phys_rows(double h)
{
    int k = (int)ceil(h * MM2PT / XLSXW_MAX_ROW_PT - 1e-9);
    return k < 1 ? 1 : k;
}

static lxw_row_t g_part(const sheet *s, lxw_row_t g) { return g / s->max_rows; }
static lxw_row_t g_row(const sheet *s, lxw_row_t g) { return g % s->max_rows; }

/* A new worksheet for the rows to come, its columns set. */
static void part_begin(sheet *s)
{
    if ((uint64_t)(s->nparts + 1) * s->max_rows > UINT32_MAX) {   /* first_phys's encoding */
        sbuf_printf(s->err, "XLSX 行数过多 (XLSX_FAILED): %s", s->want);
        s->said = true;
        s->rc = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
        return;
    }
    const char *name;
    s->ws = book_add_sheet(s->b, s->want, &name, s->err);
    if (!s->ws) {
        s->said = true;
        s->rc = LXW_ERROR_PARAMETER_VALIDATION;
        return;
    }
    s->parts = xrealloc(s->parts, (s->nparts + 1) * sizeof *s->parts);
    s->parts[s->nparts++] = (part){name, false, 0, 0};
    s->title_found = false;
    s->next = s->done = 0;
    s->nbreaks = 0;
    for (size_t c = 0; c < s->d->ncols; c++)
        worksheet_set_column_pixels(s->ws, (lxw_col_t)c, (lxw_col_t)c, (uint32_t)lround(s->d->col_w[c] * MM2PX),
                                    NULL);
}

/* What comes after a part's rows: its titles, page breaks, print setup and
 * header/footer. */
static void part_end(sheet *s)
{
    const lo_doc *d = s->d;
    lxw_worksheet *ws = s->ws;
    if (s->rc == LXW_NO_ERROR && s->title_found) s->rc = worksheet_repeat_rows(ws, s->title_lo, s->title_hi);
    if (s->rc == LXW_NO_ERROR && s->nbreaks) {
        s->breaks[s->nbreaks] = 0;
        s->rc = worksheet_set_h_pagebreaks(ws, s->breaks);
    }

    /* print setup */
    worksheet_set_paper(ws, (uint8_t)d->paper);
    if (d->landscape) worksheet_set_landscape(ws);
    else worksheet_set_portrait(ws);
    double grid_w = 0;
    for (size_t c = 0; c < d->ncols; c++) grid_w += d->col_w[c];
    double slack = grid_w * SIDE_SLACK_FRAC;
    if (slack < SIDE_SLACK_MIN_MM) slack = SIDE_SLACK_MIN_MM;
    double left = d->x0 - slack, right = d->page_w - d->x0 - grid_w - slack;
    if (left < 3) left = 3;
    if (right < 3) right = 3;
    double bottom = d->margin[TPL_SIDE_BOTTOM] - BOTTOM_SLACK_MM;
    if (bottom < d->footer_margin + 1) bottom = d->margin[TPL_SIDE_BOTTOM];
    worksheet_set_margins(ws, left * MM2IN, right * MM2IN, d->margin[TPL_SIDE_TOP] * MM2IN, bottom * MM2IN);
    if (fabs(left - right) < 0.1) worksheet_center_horizontally(ws);
    worksheet_set_print_scale(ws, 100);
    /* one page wide whatever the viewer's column widths (LibreOffice draws
     * them up to ~5% wider, which pushed ranking.xlsx's last column onto a
     * second page); pages down as the manual breaks say */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_gridlines(ws, LXW_HIDE_ALL_GRIDLINES);
    if (s->next > 0 && d->ncols > 0) worksheet_print_area(ws, 0, 0, s->next - 1, (lxw_col_t)(d->ncols - 1));
    sbuf hf = {0};
    hf_string(&hf, &d->header, s->b->w.fs);
    if (hf.len && s->rc == LXW_NO_ERROR) {
        lxw_header_footer_options o = {d->header_margin * MM2IN, NULL, NULL, NULL};
        if (worksheet_set_header_opt(ws, hf.data, &o) != LXW_NO_ERROR)
            sbuf_puts(s->err, "页眉过长，已省略 (XLSX_HEADER_TOO_LONG); ");
    }
    hf_string(&hf, &d->footer, s->b->w.fs);
    if (hf.len && s->rc == LXW_NO_ERROR) {
        lxw_header_footer_options o = {d->footer_margin * MM2IN, NULL, NULL, NULL};
        if (worksheet_set_footer_opt(ws, hf.data, &o) != LXW_NO_ERROR)
            sbuf_puts(s->err, "页脚过长，已省略 (XLSX_FOOTER_TOO_LONG); ");
    }
    sbuf_free(&hf);
}

/* Start writing page model d (its first part) into book b. */
static void sheet_begin(sheet *s, book *b, const char *want, bool constant, const heads *h, const lo_doc *d,
                        unsigned long max_rows, sbuf *err)
{
    memset(s, 0, sizeof *s);
    s->b = b;
    s->d = d;
    s->want = want;
    s->max_rows = (lxw_row_t)(max_rows && max_rows < XLSXW_MAX_ROWS ? max_rows : XLSXW_MAX_ROWS);
    s->constant = constant;
    s->titles = heads_titles(h);
    s->rep_lo = h->rep_lo;
    s->rep_hi = h->rep_hi;
    s->nsheet_rows = d->nsheet_rows;
    s->first_phys = xcalloc(d->nsheet_rows + 1, sizeof *s->first_phys);
    s->last_phys = xcalloc(d->nsheet_rows + 1, sizeof *s->last_phys);
    s->err = err;
    part_begin(s);
}

static void sheet_free(sheet *s)
{
    free(s->parts);
    free(s->first_phys);
    free(s->last_phys);
    free(s->map);
    free(s->phys_h);
    free(s->spans);
    sbuf_free(&s->formula);
}

/* Physical rows page pg takes in the part being written: a repeated head
 * row printed by the titles takes none, except at the top of a part after
 * the first, where it is written and becomes that part's title. */
static size_t page_rows(const sheet *s, const lo_page *pg)
{
    bool top = s->next == 0;
    size_t n = 0;
    for (size_t r = 0; r < pg->nrows; r++)
        if (!(s->titles && pg->rows[r].repeat && !top)) n += (size_t)phys_rows(pg->rows[r].h);
    return n;
}

/* Physical rows of the page's model rows (a repeat row printed by the
 * titles has none), its page break, and where each sheet row went. */
static void map_page(sheet *s, const lo_page *pg)
{
    if (pg->nrows > s->map_cap) {
        s->map_cap = pg->nrows;
        s->map = xrealloc(s->map, s->map_cap * sizeof *s->map);
    }
    s->page_first = s->next;
    bool top = s->next == 0, first_row = true;
    part *pt = &s->parts[s->nparts - 1];
    lxw_row_t base = (lxw_row_t)(s->nparts - 1) * s->max_rows;
    for (size_t r = 0; r < pg->nrows; r++) {
        const lo_row *row = &pg->rows[r];
        s->map[r] = (prow){s->next, 0};
        if (s->titles && row->repeat && !top) continue;
        if (first_row && s->npages > 0 && s->next > 0 && s->nbreaks < 1023) s->breaks[s->nbreaks++] = s->next;
        first_row = false;
        double pt_h = row->h * MM2PT;
        int k = phys_rows(row->h);
        size_t need = (size_t)(s->next - s->page_first) + (size_t)k;
        if (need > s->phys_cap) {
            s->phys_cap = need * 2;
            s->phys_h = xrealloc(s->phys_h, s->phys_cap * sizeof *s->phys_h);
        }
        for (int i = 0; i < k; i++)
            s->phys_h[s->next - s->page_first + (lxw_row_t)i] = floor(pt_h / k * 100) / 100;   /* never taller than the model */
        s->map[r].count = k;
        lxw_row_t last = s->next + (lxw_row_t)k - 1;
        if (!row->repeat && row->sheet_row < s->nsheet_rows) {
            s->first_phys[row->sheet_row] = base + s->next;
            s->last_phys[row->sheet_row] = base + last;
            if (!pt->any || row->sheet_row < pt->sr_lo) pt->sr_lo = row->sheet_row;
            if (!pt->any || row->sheet_row > pt->sr_hi) pt->sr_hi = row->sheet_row;
            pt->any = true;
        }
        if (s->titles && row->repeat) {   /* the heads at the top of a later part: its titles */
            if (!s->title_found) s->title_lo = s->next;
            s->title_found = true;
            s->title_hi = last;
        } else if (s->titles) {
            if (row->sheet_row == s->rep_lo && !s->title_found) {
                s->title_lo = s->next;
                s->title_found = true;
            }
            if (row->sheet_row == s->rep_hi) s->title_hi = last;
        }
        s->next += (lxw_row_t)k;
    }
}

/* The template's formula with its placeholders replaced: {row} the cell's
 * physical row, {col} its column, {first}/{last} the physical rows of the
 * list's items (1-based, as in A1 references). false when the formula needs
 * a range the layout did not have (an empty list) or one on another part:
 * the value alone is written. */
static bool resolve_formula(const sheet *s, const lo_cell *c, lxw_row_t row, sbuf *out)
{
    lxw_row_t here = (lxw_row_t)(s->nparts - 1);
    sbuf_clear(out);
    sbuf_putc(out, '=');
    for (const char *p = c->formula; *p; p++) {
        if (*p != '{') { sbuf_putc(out, *p); continue; }
        char col[4];
        lxw_row_t g;
        if (!strncmp(p, "{row}", 5)) { sbuf_printf(out, "%lu", (unsigned long)row + 1); p += 4; }
        else if (!strncmp(p, "{col}", 5)) { col_letters((size_t)c->col, col); sbuf_puts(out, col); p += 4; }
        else if (!strncmp(p, "{first}", 7) && c->has_range &&
                 g_part(s, g = s->first_phys[c->range_first]) == here) {
            sbuf_printf(out, "%lu", (unsigned long)g_row(s, g) + 1);
            p += 6;
        } else if (!strncmp(p, "{last}", 6) && c->has_range &&
                   g_part(s, g = s->last_phys[c->range_last]) == here) {
            sbuf_printf(out, "%lu", (unsigned long)g_row(s, g) + 1);
            p += 5;
        } else {
            return false;
        }
    }
    return true;
}

/* Formatted blanks over row r, columns fc..lc. */
static void blank_row(sheet *s, lxw_row_t r, lxw_col_t fc, lxw_col_t lc, lxw_format *f)
{
    for (lxw_col_t c = fc; c <= lc && s->rc == LXW_NO_ERROR; c++) s->rc = worksheet_write_blank(s->ws, r, c, f);
}

/* Rows up to and including `to` get their heights, in order. On a
 * constant-memory sheet, row `to` is then the one being written: a cell
 * merged over rows gets its blanks on each row, and its merge on its last
 * (the merge's writes to the rows before are refused there, and the value
 * written on the first row stays). */
static void advance(sheet *s, lxw_row_t to)
{
    for (; s->done <= to && s->rc == LXW_NO_ERROR; s->done++) {
        worksheet_set_row(s->ws, s->done, s->phys_h[s->done - s->page_first], NULL);
        for (size_t i = 0; i < s->nspans && s->rc == LXW_NO_ERROR;) {
            span *sp = &s->spans[i];
            if (s->done < sp->lr) {
                blank_row(s, s->done, sp->fc, sp->lc, sp->f);
                i++;
                continue;
            }
            s->rc = worksheet_merge_range(s->ws, sp->fr, sp->fc, sp->lr, sp->lc, "", sp->f);
            s->spans[i] = s->spans[--s->nspans];
        }
    }
}

static void write_cell(sheet *s, const lo_cell *c, lxw_row_t fr, lxw_row_t lr)
{
    lxw_worksheet *ws = s->ws;
    lxw_col_t fc = (lxw_col_t)c->col, lc = (lxw_col_t)(c->col + c->colspan - 1);
    /* text a spreadsheet would take for a formula once the cell is edited
     * (= + - @ first, after spaces, or their full-width forms) is marked as
     * text with the quote prefix; it is a string cell either way */
    lxw_format *f = get_format(&s->b->w, c, c->kind == LO_TEXT && text_formula_like(c->text));
    bool merged = fr != lr || fc != lc;
    lxw_error rc = LXW_NO_ERROR;
    if (merged && s->constant && fr != lr) {
        blank_row(s, fr, fc, lc, f);
        if (s->nspans == s->cap_spans) {
            s->cap_spans = s->cap_spans ? s->cap_spans * 2 : 8;
            s->spans = xrealloc(s->spans, s->cap_spans * sizeof *s->spans);
        }
        s->spans[s->nspans++] = (span){fr, lr, fc, lc, f};
        rc = s->rc;
    } else if (merged) {
        rc = worksheet_merge_range(ws, fr, fc, lr, lc, "", f);
    }
    if (rc != LXW_NO_ERROR) {
        s->rc = rc;
        return;
    }
    switch (c->kind) {
    case LO_NUMBER:
        if (c->formula && resolve_formula(s, c, fr, &s->formula))
            rc = worksheet_write_formula_num(ws, fr, fc, s->formula.data, f, c->number);
        else
            rc = worksheet_write_number(ws, fr, fc, c->number, f);
        break;
    case LO_DATE: {
        lxw_datetime dt = {c->year, c->month, c->day, 0, 0, 0};
        rc = worksheet_write_datetime(ws, fr, fc, &dt, f);
        break;
    }
    default:
        if (c->text[0]) {
            if (text_utf8_count(c->text, strlen(c->text)) > 32767) {
                sbuf_puts(s->err, "单元格文字超过 XLSX 上限 (XLSX_STRING_TOO_LONG)");
                rc = LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED;
            } else {
                rc = worksheet_write_string(ws, fr, fc, c->text, f);
            }
        } else if (!merged) {
            rc = worksheet_write_blank(ws, fr, fc, f);
        }
        break;
    }
    if (rc == LXW_NO_ERROR && c->nchoices) {
        lxw_data_validation v = {0};
        v.validate = LXW_VALIDATION_TYPE_LIST;
        char **list = xcalloc(c->nchoices + 1, sizeof *list);
        size_t total = 0;
        for (size_t k = 0; k < c->nchoices; k++) {
            list[k] = (char *)c->choices[k];
            total += strlen(c->choices[k]) + 1;
        }
        v.value_list = list;
        v.ignore_blank = LXW_VALIDATION_ON;
        v.show_error = LXW_VALIDATION_ON;
        v.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
        if (total <= 255) rc = worksheet_data_validation_range(ws, fr, fc, lr, lc, &v);
        free(list);
    }
    s->rc = rc;
}

/* One page's rows and cells (the layout gives a page's cells in the order
 * of their first rows, which a constant-memory sheet needs), in a new part
 * when the page would pass the part's row limit. */
static void write_page(sheet *s, const lo_page *pg)
{
    if (s->rc != LXW_NO_ERROR) return;
    if (s->next > 0 && (size_t)s->next + page_rows(s, pg) > s->max_rows) {
        part_end(s);
        if (s->rc == LXW_NO_ERROR) part_begin(s);
        if (s->rc != LXW_NO_ERROR) return;
    }
    if ((size_t)s->next + page_rows(s, pg) > s->max_rows) {
        sbuf_printf(s->err, "一页的行数超过工作表的行数上限 %lu (XLSX_FAILED): %s", (unsigned long)s->max_rows,
                    s->want);
        s->said = true;
        s->rc = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
        return;
    }
    map_page(s, pg);
    for (size_t i = 0; i < pg->ncells && s->rc == LXW_NO_ERROR; i++) {
        const lo_cell *c = &pg->cells[i];
        const prow *r0 = &s->map[c->row];
        if (r0->count == 0) continue;   /* a repeated head row: printed by the titles */
        const prow *r1 = &s->map[c->row + c->rowspan - 1];
        lxw_row_t fr = r0->start, lr = r1->start + (lxw_row_t)r1->count - 1;
        advance(s, fr);
        if (s->rc == LXW_NO_ERROR) write_cell(s, c, fr, lr);
    }
    if (s->next > s->page_first) advance(s, s->next - 1);
    s->npages++;
}

/* The chart over the list's sheet rows first..last: a chart sheet for each
 * part they are on. */
static void write_charts(sheet *s, const lo_chart *ch)
{
    for (size_t p = 0; p < s->nparts && s->rc == LXW_NO_ERROR; p++) {
        const part *pt = &s->parts[p];
        size_t lo = ch->first_row, hi = ch->last_row;
        if (s->nparts > 1) {
            if (!pt->any) continue;
            if (lo < pt->sr_lo) lo = pt->sr_lo;
            if (hi > pt->sr_hi) hi = pt->sr_hi;
            if (lo > hi) continue;
        }
        if (!write_chart(s->b, pt->name, ch, g_row(s, s->first_phys[lo]), g_row(s, s->last_phys[hi]), s->err)) {
            s->said = true;
            s->rc = LXW_ERROR_MEMORY_MALLOC_FAILED;
        }
    }
}

/* What comes after the rows: the last part's end and the chart sheets. d:
 * the document, whole or the shell of its stream. */
static bool sheet_end(sheet *s, const lo_doc *d)
{
    s->d = d;
    if (s->ws) part_end(s);
    if (s->rc == LXW_NO_ERROR && d->chart && d->chart->last_row < s->nsheet_rows) write_charts(s, d->chart);
    if (s->rc != LXW_NO_ERROR) {
        if (!s->said) sbuf_printf(s->err, "XLSX 写入失败 (XLSX_FAILED): %s", lxw_strerror(s->rc));
        return false;
    }
    return true;
}

/* ------------------------------------------------------------ workbooks */

static const xlsxw_opts DEFAULT_OPTS = {-1, NULL, NULL, 0};

bool xlsxw_write_docs(const lo_doc *const *docs, size_t ndocs, const char *const *names,
                      const font_set *fs, const xlsxw_opts *opts, const char *path, sbuf *err)
{
    if (!opts) opts = &DEFAULT_OPTS;
    book b;
    if (!book_open(&b, path, fs, opts, false, ndocs ? docs[0]->title : "", err)) return false;
    bool ok = true;
    for (size_t i = 0; i < ndocs && ok; i++) {
        const lo_doc *d = docs[i];
        heads h = {0};
        for (size_t p = 0; p < d->npages; p++) heads_add_page(&h, &d->pages[p]);
        sheet s;
        sheet_begin(&s, &b, names && names[i] ? names[i] : d->sheet, false, &h, d, opts->max_rows, err);
        free(h.pg);
        for (size_t p = 0; p < d->npages; p++) write_page(&s, &d->pages[p]);
        ok = sheet_end(&s, d);
        sheet_free(&s);
    }
    return book_close(&b, ok, path, err);
}

static void heads_sink(void *ctx, const lo_doc *d, const lo_page *pg)
{
    (void)d;
    heads_add_page(ctx, pg);
}

static void sheet_sink(void *ctx, const lo_doc *d, const lo_page *pg)
{
    sheet *s = ctx;
    s->d = d;   /* the document being laid out: its geometry, header and footer */
    write_page(s, pg);
}

bool xlsxw_write_pager(const lo_pager *pager, const font_set *fs, const xlsxw_opts *opts, const char *path,
                       sbuf *err)
{
    if (!opts) opts = &DEFAULT_OPTS;
    heads h = {0};
    lo_sink hs = {heads_sink, &h};
    lo_doc *shell = pager->run(pager->ctx, &hs, err);
    if (!shell) {
        free(h.pg);
        return false;
    }
    book b;
    bool ok = book_open(&b, path, fs, opts, true, shell->title, err);
    if (ok) {
        sheet s;
        sheet_begin(&s, &b, shell->sheet, true, &h, shell, opts->max_rows, err);
        lo_sink ss = {sheet_sink, &s};
        lo_doc *again = s.rc == LXW_NO_ERROR ? pager->run(pager->ctx, &ss, err) : NULL;
        if (s.rc != LXW_NO_ERROR) {
            ok = false;
            sheet_end(&s, again ? again : shell);   /* says why */
        } else if (!again) {
            ok = false;   /* the layout said why */
        } else if (s.npages != h.n || again->nsheet_rows != shell->nsheet_rows) {
            sbuf_puts(err, "XLSX 写入失败 (XLSX_FAILED): 第二遍排版与第一遍不同");
            ok = false;
        } else {
            ok = sheet_end(&s, again);
        }
        lo_doc_free(again);
        sheet_free(&s);
        ok = book_close(&b, ok, path, err);
    }
    free(h.pg);
    lo_doc_free(shell);
    return ok;
}

bool xlsxw_write(const lo_doc *doc, const font_set *fs, const xlsxw_opts *opts,
                 const char *path, sbuf *err)
{
    const lo_doc *docs[1] = {doc};
    return xlsxw_write_docs(docs, 1, NULL, fs, opts, path, err);
}

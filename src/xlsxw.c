/* xlsxw — see xlsxw.h. */
#include "xlsxw.h"
#include "outfile.h"

#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

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

/* minizip's zipOpenNewFileInZip4_64, through which libxlsxwriter deflates
 * every part of a workbook at Z_DEFAULT_COMPRESSION (level 6), with no
 * setting for it. Defining it here puts this program's definition first for
 * libxlsxwriter; it passes level 1 on to minizip's own (RTLD_NEXT). Level 1
 * deflates the sheet XML in a third of the time for ~25% more bytes, and is
 * as deterministic. The prototype is minizip 1.x's (Debian ships no header):
 * zipFile and zip_fileinfo * are pointers, uInt/uLong unsigned int/long. */
typedef int (*zip_open4_fn)(void *, const char *, const void *, const void *, unsigned,
                            const void *, unsigned, const char *, int, int, int, int, int,
                            int, const char *, unsigned long, unsigned long, unsigned long, int);

int zipOpenNewFileInZip4_64(void *file, const char *name, const void *info, const void *extra_local,
                            unsigned size_local, const void *extra_global, unsigned size_global,
                            const char *comment, int method, int level, int raw, int window_bits,
                            int mem_level, int strategy, const char *password, unsigned long crc,
                            unsigned long version_made_by, unsigned long flag_base, int zip64)
{
    zip_open4_fn next = (zip_open4_fn)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    if (!next) return -104;                   /* ZIP_INTERNALERROR */
    if (level == -1) level = 1;               /* Z_DEFAULT_COMPRESSION -> Z_BEST_SPEED */
    return next(file, name, info, extra_local, size_local, extra_global, size_global, comment, method,
                level, raw, window_bits, mem_level, strategy, password, crc, version_made_by,
                flag_base, zip64);
}

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

static lxw_format *get_format(W *w, const lo_cell *c)
{
    char key[256];
    snprintf(key, sizeof key, "%d|%.2f|%d|%d|%d%d%d%d|%s", (int)c->font, c->size, (int)c->halign,
             (int)c->valign, c->border[0], c->border[1], c->border[2], c->border[3],
             c->numfmt ? c->numfmt : "");
    for (size_t i = 0; i < w->nfmts; i++)
        if (!strcmp(w->fmts[i].key, key)) return w->fmts[i].f;
    lxw_format *f = workbook_add_format(w->wb);
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
static char *sheet_name(const char *want, char **used, size_t nused)
{
    sbuf b = {0};
    sbuf_puts(&b, "");
    const char *p = want && *want ? want : "Sheet";
    const char *e = p + strlen(p);
    size_t n = 0;
    while (p < e && n < 28) {
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
    char *base = xstrdup(b.data);
    for (int k = 2;; k++) {
        bool clash = false;
        for (size_t i = 0; i < nused; i++)
            if (!strcasecmp(used[i], b.data)) clash = true;
        if (!clash) break;
        sbuf_clear(&b);
        sbuf_printf(&b, "%s(%d)", base, k);
    }
    free(base);
    return b.data;
}

typedef struct prow {
    lxw_row_t start;  /* first physical row */
    int count;        /* physical rows (a model row taller than Excel allows is split) */
} prow;

/* Sheet column letters of a 0-based column. */
static void col_letters(size_t col, char out[4])
{
    char tmp[4];
    int n = 0;
    for (size_t c = col + 1; c > 0 && n < 3; c = (c - 1) / 26) tmp[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

/* The template's formula with its placeholders replaced: {row} the cell's
 * physical row, {col} its column, {first}/{last} the physical rows of the
 * list's items (1-based, as in A1 references). false when the formula needs
 * a range the layout did not have (an empty list): the value alone is written. */
static bool resolve_formula(const lo_cell *c, lxw_row_t row, const lxw_row_t *first_phys,
                            const lxw_row_t *last_phys, sbuf *out)
{
    sbuf_clear(out);
    sbuf_putc(out, '=');
    for (const char *p = c->formula; *p; p++) {
        if (*p != '{') { sbuf_putc(out, *p); continue; }
        char col[4];
        if (!strncmp(p, "{row}", 5)) { sbuf_printf(out, "%lu", (unsigned long)row + 1); p += 4; }
        else if (!strncmp(p, "{col}", 5)) { col_letters((size_t)c->col, col); sbuf_puts(out, col); p += 4; }
        else if (!strncmp(p, "{first}", 7) && c->has_range) {
            sbuf_printf(out, "%lu", (unsigned long)first_phys[c->range_first] + 1);
            p += 6;
        } else if (!strncmp(p, "{last}", 6) && c->has_range) {
            sbuf_printf(out, "%lu", (unsigned long)last_phys[c->range_last] + 1);
            p += 5;
        } else {
            return false;
        }
    }
    return true;
}

/* Column letters to a 0-based column. */
static lxw_col_t col_index(const char *s)
{
    lxw_col_t c = 0;
    for (; *s; s++) c = (lxw_col_t)(c * 26 + (lxw_col_t)(*s - 'A' + 1));
    return c ? c - 1 : 0;
}

/* The chart of a list as a chart sheet after the worksheet, in the same
 * colours and order as the PDF's drawing. */
static bool write_chart(W *w, const char *ws_name, const lo_chart *ch, lxw_row_t first, lxw_row_t last,
                        sbuf *err)
{
    lxw_chartsheet *cs = workbook_add_chartsheet(w->wb, ch->sheet);
    lxw_chart *chart = workbook_add_chart(w->wb, ch->line ? LXW_CHART_LINE : LXW_CHART_COLUMN);
    if (!cs || !chart) {
        sbuf_printf(err, "XLSX 图表创建失败 (XLSX_FAILED): %s", ch->sheet);
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

static bool write_sheet(W *w, lxw_worksheet *ws, const char *ws_name, const lo_doc *d, sbuf *err)
{
    lxw_error rc = LXW_NO_ERROR;
    /* do repeated head rows become print titles? Only when the repeated rows
     * are one range and every page after its first appearance starts with
     * it, as the PDF does (then viewers repeat them exactly like the PDF). */
    size_t rep_lo = (size_t)-1, rep_hi = 0;
    bool any_rep = false;
    for (size_t p = 0; p < d->npages; p++)
        for (size_t r = 0; r < d->pages[p].nrows; r++)
            if (d->pages[p].rows[r].repeat) {
                any_rep = true;
                if (d->pages[p].rows[r].sheet_row < rep_lo) rep_lo = d->pages[p].rows[r].sheet_row;
                if (d->pages[p].rows[r].sheet_row > rep_hi) rep_hi = d->pages[p].rows[r].sheet_row;
            }
    bool titles = any_rep;
    if (titles) {
        size_t first_page = (size_t)-1;
        for (size_t p = 0; p < d->npages && first_page == (size_t)-1; p++)
            for (size_t r = 0; r < d->pages[p].nrows; r++)
                if (!d->pages[p].rows[r].repeat && d->pages[p].rows[r].sheet_row == rep_lo) {
                    first_page = p;
                    break;
                }
        if (first_page == (size_t)-1) titles = false;
        for (size_t p = first_page + 1; titles && p < d->npages; p++) {
            const lo_page *pg = &d->pages[p];
            size_t need = rep_hi - rep_lo + 1;
            if (pg->nrows < need) { titles = false; break; }
            for (size_t r = 0; r < need; r++)
                if (!pg->rows[r].repeat || pg->rows[r].sheet_row != rep_lo + r) titles = false;
            for (size_t r = need; r < pg->nrows; r++)
                if (pg->rows[r].repeat) titles = false;
        }
    }

    /* physical rows */
    prow **map = xcalloc(d->npages ? d->npages : 1, sizeof *map);
    lxw_row_t next = 0;
    lxw_row_t *breaks = xcalloc(d->npages + 1, sizeof *breaks);
    size_t nbreaks = 0;
    for (size_t p = 0; p < d->npages; p++) {
        const lo_page *pg = &d->pages[p];
        map[p] = xcalloc(pg->nrows ? pg->nrows : 1, sizeof **map);
        bool first_row = true;
        for (size_t r = 0; r < pg->nrows; r++) {
            if (titles && pg->rows[r].repeat) {
                map[p][r].count = 0;
                continue;
            }
            if (first_row && p > 0 && next > 0 && nbreaks < 1023) breaks[nbreaks++] = next;
            first_row = false;
            double pt = pg->rows[r].h * MM2PT;
            int k = (int)ceil(pt / XLSXW_MAX_ROW_PT - 1e-9);
            if (k < 1) k = 1;
            map[p][r].start = next;
            map[p][r].count = k;
            for (int i = 0; i < k; i++) {
                double hpt = floor(pt / k * 100) / 100;   /* never taller than the model */
                worksheet_set_row(ws, next + (lxw_row_t)i, hpt, NULL);
            }
            next += (lxw_row_t)k;
        }
    }
    /* first and last physical row of each sheet row (its original, not a repeat) */
    lxw_row_t *first_phys = xcalloc(d->nsheet_rows + 1, sizeof *first_phys);
    lxw_row_t *last_phys = xcalloc(d->nsheet_rows + 1, sizeof *last_phys);
    for (size_t p = 0; p < d->npages; p++)
        for (size_t r = 0; r < d->pages[p].nrows; r++) {
            const lo_row *row = &d->pages[p].rows[r];
            if (row->repeat || row->sheet_row >= d->nsheet_rows || map[p][r].count == 0) continue;
            first_phys[row->sheet_row] = map[p][r].start;
            last_phys[row->sheet_row] = map[p][r].start + (lxw_row_t)map[p][r].count - 1;
        }
    sbuf formula = {0};
    if (titles) {
        /* physical rows of the originals */
        lxw_row_t lo = 0, hi = 0;
        bool found = false;
        for (size_t p = 0; p < d->npages; p++)
            for (size_t r = 0; r < d->pages[p].nrows; r++) {
                const lo_row *row = &d->pages[p].rows[r];
                if (row->repeat) continue;
                if (row->sheet_row == rep_lo && !found) { lo = map[p][r].start; found = true; }
                if (row->sheet_row == rep_hi) hi = map[p][r].start + (lxw_row_t)map[p][r].count - 1;
            }
        if (found) rc = worksheet_repeat_rows(ws, lo, hi);
    }

    /* columns */
    for (size_t c = 0; c < d->ncols; c++)
        worksheet_set_column_pixels(ws, (lxw_col_t)c, (lxw_col_t)c,
                                    (uint32_t)lround(d->col_w[c] * MM2PX), NULL);

    /* cells */
    for (size_t p = 0; p < d->npages && rc == LXW_NO_ERROR; p++) {
        const lo_page *pg = &d->pages[p];
        for (size_t i = 0; i < pg->ncells && rc == LXW_NO_ERROR; i++) {
            const lo_cell *c = &pg->cells[i];
            const prow *r0 = &map[p][c->row];
            if (r0->count == 0) continue;   /* a repeated head row: printed by the titles */
            const prow *r1 = &map[p][c->row + c->rowspan - 1];
            lxw_row_t fr = r0->start, lr = r1->start + (lxw_row_t)r1->count - 1;
            lxw_col_t fc = (lxw_col_t)c->col, lc = (lxw_col_t)(c->col + c->colspan - 1);
            lxw_format *f = get_format(w, c);
            bool merged = fr != lr || fc != lc;
            if (merged) rc = worksheet_merge_range(ws, fr, fc, lr, lc, "", f);
            if (rc != LXW_NO_ERROR) break;
            switch (c->kind) {
            case LO_NUMBER:
                if (c->formula && resolve_formula(c, fr, first_phys, last_phys, &formula))
                    rc = worksheet_write_formula_num(ws, fr, fc, formula.data, f, c->number);
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
                        sbuf_puts(err, "单元格文字超过 XLSX 上限 (XLSX_STRING_TOO_LONG)");
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
                if (total <= 255)
                    rc = worksheet_data_validation_range(ws, fr, fc, lr, lc, &v);
                free(list);
            }
        }
    }
    if (rc == LXW_NO_ERROR && nbreaks) {
        breaks[nbreaks] = 0;
        rc = worksheet_set_h_pagebreaks(ws, breaks);
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
    worksheet_gridlines(ws, LXW_HIDE_ALL_GRIDLINES);
    if (next > 0 && d->ncols > 0) worksheet_print_area(ws, 0, 0, next - 1, (lxw_col_t)(d->ncols - 1));
    sbuf hf = {0};
    hf_string(&hf, &d->header, w->fs);
    if (hf.len && rc == LXW_NO_ERROR) {
        lxw_header_footer_options o = {d->header_margin * MM2IN, NULL, NULL, NULL};
        if (worksheet_set_header_opt(ws, hf.data, &o) != LXW_NO_ERROR)
            sbuf_puts(err, "页眉过长，已省略 (XLSX_HEADER_TOO_LONG); ");
    }
    hf_string(&hf, &d->footer, w->fs);
    if (hf.len && rc == LXW_NO_ERROR) {
        lxw_header_footer_options o = {d->footer_margin * MM2IN, NULL, NULL, NULL};
        if (worksheet_set_footer_opt(ws, hf.data, &o) != LXW_NO_ERROR)
            sbuf_puts(err, "页脚过长，已省略 (XLSX_FOOTER_TOO_LONG); ");
    }
    sbuf_free(&hf);
    if (rc == LXW_NO_ERROR && d->chart && d->chart->last_row < d->nsheet_rows &&
        !write_chart(w, ws_name, d->chart, first_phys[d->chart->first_row], last_phys[d->chart->last_row], err)) {
        rc = LXW_ERROR_MEMORY_MALLOC_FAILED;
    }
    sbuf_free(&formula);
    free(first_phys);
    free(last_phys);
    for (size_t p = 0; p < d->npages; p++) free(map[p]);
    free(map);
    free(breaks);
    if (rc != LXW_NO_ERROR) {
        sbuf_printf(err, "XLSX 写入失败 (XLSX_FAILED): %s", lxw_strerror(rc));
        return false;
    }
    return true;
}

bool xlsxw_write_docs(const lo_doc *const *docs, size_t ndocs, const char *const *names,
                      const font_set *fs, const xlsxw_opts *opts, const char *path, sbuf *err)
{
    xlsxw_opts defopts = {-1, NULL, NULL};
    if (!opts) opts = &defopts;
    /* outfile's temp name: the one pattern a later build sweeps */
    char *tmp;
    int fd = outfile_mktemp(path, &tmp);
    if (fd < 0) {
        sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, strerror(errno));
        return false;
    }
    close(fd);
    lxw_workbook_options wo = {0};
    wo.constant_memory = LXW_FALSE;
    wo.tmpdir = (char *)opts->tmpdir;
    lxw_workbook *wb = workbook_new_opt(tmp, &wo);
    if (!wb) {
        sbuf_printf(err, "XLSX 创建失败 (XLSX_FAILED): %s", path);
        unlink(tmp);
        free(tmp);
        return false;
    }
    lxw_doc_properties props = {0};
    props.title = (char *)(ndocs ? docs[0]->title : "");
    props.author = (char *)opts->author;
    props.created = (time_t)(opts->epoch >= 0 ? opts->epoch : 946684800);
    workbook_set_properties(wb, &props);
    W w = {wb, fs, NULL, 0, 0};
    char **used = xcalloc(ndocs + 1, sizeof *used);
    bool ok = true;
    for (size_t i = 0; i < ndocs && ok; i++) {
        used[i] = sheet_name(names && names[i] ? names[i] : docs[i]->sheet, used, i);
        lxw_worksheet *ws = workbook_add_worksheet(wb, used[i]);
        if (!ws) {
            sbuf_printf(err, "XLSX 工作表名无效 (XLSX_FAILED): %s", used[i]);
            ok = false;
            break;
        }
        ok = write_sheet(&w, ws, used[i], docs[i], err);
    }
    lxw_error rc = workbook_close(wb);
    if (ok && rc != LXW_NO_ERROR) {
        sbuf_printf(err, "XLSX 写入失败 (XLSX_FAILED): %s: %s", path, lxw_strerror(rc));
        ok = false;
    }
    /* no fsync here: outfile's rule, the year's syncfs before its manifest */
    if (ok && rename(tmp, path) != 0) {
        sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, strerror(errno));
        ok = false;
    }
    if (!ok) unlink(tmp);
    for (size_t i = 0; i < ndocs; i++) free(used[i]);
    free(used);
    for (size_t i = 0; i < w.nfmts; i++) free(w.fmts[i].key);
    free(w.fmts);
    free(tmp);
    return ok;
}

bool xlsxw_write(const lo_doc *doc, const font_set *fs, const xlsxw_opts *opts,
                 const char *path, sbuf *err)
{
    const lo_doc *docs[1] = {doc};
    return xlsxw_write_docs(docs, 1, NULL, fs, opts, path, err);
}

/* pdfchart — see pdfchart.h.
 *
 * Page plan (mm, inside the margins): the title, a legend line, the plot
 * with its value axis on the left, and below the plot the category names,
 * one character under the other as CJK is written in columns, so long unit
 * names fit narrow bars. The value axis is the same on every page of a
 * chart so pages can be compared. */
#include "pdfchart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MM2PT (72.0 / 25.4)
#define PT2MM (25.4 / 72.0)

#define TITLE_SIZE 14.0
#define TEXT_SIZE 9.0
#define LABEL_SIZE 8.0
#define LABEL_MIN_SIZE 5.5
#define TITLE_H 10.0
#define LEGEND_H 8.0
#define AXIS_W 16.0
#define LABELS_H 45.0
#define ELLIPSIS "\xE2\x80\xA6"   /* … */

typedef struct geo {
    double H;                   /* page height, pt */
    double x0, x1, top, bottom; /* plot area, mm from the top-left corner */
    double ymax, step;
    int ticks;
    bool percent;
} geo;

/* Axis maximum and step: 1, 2, 2.5 or 5 times a power of ten, 4–8 steps. */
static void nice_axis(double max, bool percent, geo *g)
{
    if (!(max > 0)) max = percent ? 0.1 : 1;
    double raw = max / 5;
    double p10 = pow(10, floor(log10(raw)));
    static const double mult[] = {1, 2, 2.5, 5, 10};
    double step = p10 * 10;
    for (size_t i = 0; i < sizeof mult / sizeof *mult; i++)
        if (p10 * mult[i] >= raw) { step = p10 * mult[i]; break; }
    g->step = step;
    g->ticks = (int)ceil(max / step - 1e-9);
    if (g->ticks < 1) g->ticks = 1;
    g->ymax = g->ticks * step;
}

static void tick_label(const geo *g, double v, char *buf, size_t n)
{
    if (g->percent) {
        double pc = v * 100;
        if (fabs(pc - round(pc)) < 1e-9) snprintf(buf, n, "%.0f%%", pc);
        else snprintf(buf, n, "%.1f%%", pc);
    } else {
        snprintf(buf, n, "%g", v);
    }
}

static void set_rgb_fill(HPDF_Page page, unsigned rgb)
{
    HPDF_Page_SetRGBFill(page, (float)((rgb >> 16) & 0xFF) / 255, (float)((rgb >> 8) & 0xFF) / 255,
                         (float)(rgb & 0xFF) / 255);
}

static void set_rgb_stroke(HPDF_Page page, unsigned rgb)
{
    HPDF_Page_SetRGBStroke(page, (float)((rgb >> 16) & 0xFF) / 255, (float)((rgb >> 8) & 0xFF) / 255,
                           (float)(rgb & 0xFF) / 255);
}

/* Text with its left edge at x mm and its em box's top at y mm. */
static void text_at(HPDF_Page page, const geo *g, const font_set *fs, const pdfchart_text *fonts, font_role r,
                    double size, double x, double y, const char *s)
{
    double asc = font_ascender(fs, r), desc = font_descender(fs, r);
    HPDF_Page_BeginText(page);
    fonts->draw(fonts->ctx, page, r, size, x * MM2PT, g->H - y * MM2PT - size * asc / (asc - desc), s);
    HPDF_Page_EndText(page);
}

static double width_mm(const font_set *fs, font_role r, const char *s, size_t len, double size)
{
    text_metrics m = font_metrics(fs, r);
    return text_width(&m, s, len, size) * PT2MM;
}

static double max_value(const lo_chart *ch)
{
    double max = 0;
    for (size_t k = 0; k < ch->nseries; k++)
        for (size_t i = 0; i < ch->ncats; i++)
            if (ch->series[k].values[i] > max) max = ch->series[k].values[i];
    return max;
}

static void draw_title_and_legend(HPDF_Page page, const lo_doc *d, const geo *g, const pdfchart_text *fonts,
                                  const font_set *fs)
{
    const lo_chart *ch = d->chart;
    double left = d->margin[TPL_SIDE_LEFT], right = d->page_w - d->margin[TPL_SIDE_RIGHT];
    double tw = width_mm(fs, PDFCHART_TITLE_FONT, ch->title, strlen(ch->title), TITLE_SIZE);
    text_at(page, g, fs, fonts, PDFCHART_TITLE_FONT, TITLE_SIZE, (left + right - tw) / 2,
            d->margin[TPL_SIDE_TOP], ch->title);
    /* legend: swatch + name per series, centred */
    double total = 0;
    for (size_t k = 0; k < ch->nseries; k++)
        total += 6 + width_mm(fs, PDFCHART_TEXT_FONT, ch->series[k].name, strlen(ch->series[k].name), TEXT_SIZE) + 8;
    double x = (left + right - total) / 2, y = d->margin[TPL_SIDE_TOP] + TITLE_H + 1;
    for (size_t k = 0; k < ch->nseries; k++) {
        set_rgb_fill(page, lo_chart_colors[k % LO_CHART_NCOLORS]);
        HPDF_Page_Rectangle(page, x * MM2PT, g->H - (y + 3.5) * MM2PT, 4 * MM2PT, 3.5 * MM2PT);
        HPDF_Page_Fill(page);
        HPDF_Page_SetRGBFill(page, 0, 0, 0);
        text_at(page, g, fs, fonts, PDFCHART_TEXT_FONT, TEXT_SIZE, x + 6, y, ch->series[k].name);
        x += 6 + width_mm(fs, PDFCHART_TEXT_FONT, ch->series[k].name, strlen(ch->series[k].name), TEXT_SIZE) + 8;
    }
}

static void draw_axis(HPDF_Page page, const geo *g, const pdfchart_text *fonts, const font_set *fs)
{
    HPDF_Page_SetLineWidth(page, 0.3);
    HPDF_Page_SetRGBStroke(page, 0.80f, 0.80f, 0.80f);
    for (int t = 1; t <= g->ticks; t++) {
        double y = g->bottom - (g->bottom - g->top) * t / g->ticks;
        HPDF_Page_MoveTo(page, g->x0 * MM2PT, g->H - y * MM2PT);
        HPDF_Page_LineTo(page, g->x1 * MM2PT, g->H - y * MM2PT);
    }
    HPDF_Page_Stroke(page);
    HPDF_Page_SetRGBStroke(page, 0, 0, 0);
    HPDF_Page_SetLineWidth(page, 0.6);
    HPDF_Page_MoveTo(page, g->x0 * MM2PT, g->H - g->top * MM2PT);
    HPDF_Page_LineTo(page, g->x0 * MM2PT, g->H - g->bottom * MM2PT);
    HPDF_Page_LineTo(page, g->x1 * MM2PT, g->H - g->bottom * MM2PT);
    HPDF_Page_Stroke(page);
    for (int t = 0; t <= g->ticks; t++) {
        char buf[32];
        tick_label(g, g->step * t, buf, sizeof buf);
        double y = g->bottom - (g->bottom - g->top) * t / g->ticks;
        double w = width_mm(fs, PDFCHART_TEXT_FONT, buf, strlen(buf), LABEL_SIZE);
        text_at(page, g, fs, fonts, PDFCHART_TEXT_FONT, LABEL_SIZE, g->x0 - 1.5 - w,
                y - LABEL_SIZE * PT2MM / 2, buf);
    }
}

/* A category name top to bottom under its slot: shrunk to fit the label
 * area, and ended with … when even the smallest size cannot hold it (the
 * table on the pages before has the full name). */
static void draw_label(HPDF_Page page, const geo *g, const pdfchart_text *fonts, const font_set *fs, double cx,
                       double slot, const char *name)
{
    size_t n = text_utf8_count(name, strlen(name));
    double size = LABEL_SIZE;
    if (size * PT2MM > slot * 0.9) size = slot * 0.9 * MM2PT;
    double pitch_for = LABELS_H - 3;
    while (size > LABEL_MIN_SIZE && n * size * 1.05 * PT2MM > pitch_for) size -= 0.5;
    if (size < 3) size = 3;
    double pitch = size * 1.05 * PT2MM;
    size_t fit = (size_t)(pitch_for / pitch);
    const char *p = name, *e = name + strlen(name);
    double y = g->bottom + 2;
    char ch[8];
    for (size_t i = 0; p < e; i++) {
        const char *q = p;
        text_utf8_next(&p, e);
        bool last_slot = i + 1 == fit && p < e;
        size_t len = last_slot ? strlen(ELLIPSIS) : (size_t)(p - q);
        memcpy(ch, last_slot ? ELLIPSIS : q, len);
        ch[len] = 0;
        double w = width_mm(fs, PDFCHART_TEXT_FONT, ch, len, size);
        text_at(page, g, fs, fonts, PDFCHART_TEXT_FONT, size, cx - w / 2, y, ch);
        y += pitch;
        if (last_slot) break;
    }
}

static void draw_data(HPDF_Page page, const lo_chart *ch, const lo_page *pg, const geo *g)
{
    size_t n = pg->chart_to - pg->chart_from;
    double slot = (g->x1 - g->x0) / (double)(n ? n : 1);
    double h = g->bottom - g->top;
    for (size_t k = 0; k < ch->nseries; k++) {
        const double *v = ch->series[k].values;
        unsigned rgb = lo_chart_colors[k % LO_CHART_NCOLORS];
        if (ch->line) {
            set_rgb_stroke(page, rgb);
            set_rgb_fill(page, rgb);
            HPDF_Page_SetLineWidth(page, 1.2);
            for (size_t i = 0; i < n; i++) {
                double x = g->x0 + slot * (i + 0.5), y = g->bottom - h * v[pg->chart_from + i] / g->ymax;
                if (i == 0) HPDF_Page_MoveTo(page, x * MM2PT, g->H - y * MM2PT);
                else HPDF_Page_LineTo(page, x * MM2PT, g->H - y * MM2PT);
            }
            HPDF_Page_Stroke(page);
            for (size_t i = 0; i < n; i++) {
                double x = (g->x0 + slot * (i + 0.5)) * MM2PT;
                double y = g->H - (g->bottom - h * v[pg->chart_from + i] / g->ymax) * MM2PT;
                HPDF_Page_MoveTo(page, x, y + 2.5);
                HPDF_Page_LineTo(page, x + 2.5, y);
                HPDF_Page_LineTo(page, x, y - 2.5);
                HPDF_Page_LineTo(page, x - 2.5, y);
                HPDF_Page_ClosePath(page);
                HPDF_Page_Fill(page);
            }
        } else {
            double group = slot * 0.7, bw = group / (double)ch->nseries;
            set_rgb_fill(page, rgb);
            size_t bars = 0;
            for (size_t i = 0; i < n; i++) {
                double val = v[pg->chart_from + i];
                if (!(val > 0)) continue;
                double x = g->x0 + slot * i + (slot - group) / 2 + bw * (double)k;
                double bh = h * (val > g->ymax ? g->ymax : val) / g->ymax;
                HPDF_Page_Rectangle(page, x * MM2PT, g->H - g->bottom * MM2PT, bw * MM2PT, bh * MM2PT);
                bars++;
            }
            if (bars) HPDF_Page_Fill(page);   /* libharu refuses a fill without a path */
        }
    }
    HPDF_Page_SetRGBFill(page, 0, 0, 0);
    HPDF_Page_SetRGBStroke(page, 0, 0, 0);
}

void pdfchart_draw(HPDF_Page page, const lo_doc *d, const lo_page *pg, const pdfchart_text *fonts,
                   const font_set *fs)
{
    const lo_chart *ch = d->chart;
    if (!ch || !pg->chart || pg->chart_to <= pg->chart_from) return;
    geo g = {0};
    g.H = d->page_h * MM2PT;
    g.percent = ch->percent;
    g.x0 = d->margin[TPL_SIDE_LEFT] + AXIS_W;
    g.x1 = d->page_w - d->margin[TPL_SIDE_RIGHT];
    g.top = d->margin[TPL_SIDE_TOP] + TITLE_H + LEGEND_H + 4;
    g.bottom = d->page_h - d->margin[TPL_SIDE_BOTTOM] - LABELS_H;
    nice_axis(max_value(ch), ch->percent, &g);
    draw_title_and_legend(page, d, &g, fonts, fs);
    draw_axis(page, &g, fonts, fs);
    draw_data(page, ch, pg, &g);
    size_t n = pg->chart_to - pg->chart_from;
    double slot = (g.x1 - g.x0) / (double)n;
    for (size_t i = 0; i < n; i++)
        draw_label(page, &g, fonts, fs, g.x0 + slot * (i + 0.5), slot, ch->cats[pg->chart_from + i]);
}

void pdfchart_collect(const lo_chart *ch, const pdfchart_text *tx)
{
    if (!ch) return;
    tx->collect(tx->ctx, PDFCHART_TITLE_FONT, ch->title);
    static const char digits[] = "0123456789.%-" ELLIPSIS;
    tx->collect(tx->ctx, PDFCHART_TEXT_FONT, digits);
    for (size_t k = 0; k < ch->nseries; k++) tx->collect(tx->ctx, PDFCHART_TEXT_FONT, ch->series[k].name);
    /* category names are drawn a character at a time (draw_label) */
    char one[8];
    for (size_t i = 0; i < ch->ncats; i++) {
        const char *p = ch->cats[i], *e = p + strlen(p);
        while (p < e) {
            const char *q = p;
            text_utf8_next(&p, e);
            memcpy(one, q, (size_t)(p - q));
            one[p - q] = 0;
            tx->collect(tx->ctx, PDFCHART_TEXT_FONT, one);
        }
    }
}

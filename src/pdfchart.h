/* pdfchart — draws the page model's chart pages (lo_chart: clustered
 * columns or lines per category, a value axis with gridlines, a legend and
 * category names written top to bottom) with libharu, in the colours the
 * XLSX chart sheet uses. Part of the PDF writer; no state of its own. */
#ifndef KAOHE_PDFCHART_H
#define KAOHE_PDFCHART_H

#include <stdbool.h>
#include <hpdf.h>

#include "font.h"
#include "layout.h"
#include "text.h"

/* Fonts of the chart's text: the title is hei, everything else song. */
#define PDFCHART_TITLE_FONT FONT_HEI
#define PDFCHART_TEXT_FONT FONT_SONG

/* How the chart's text reaches the PDF writer, which owns the fonts: pass 1
 * hands it every text the chart may draw (collect), pass 2 draws a text
 * with its left end at x, baseline at y (points) inside a text object. */
typedef struct pdfchart_text {
    void (*collect)(void *ctx, font_role r, const char *s);
    void (*draw)(void *ctx, HPDF_Page page, font_role r, double size, double x, double y, const char *s);
    void *ctx;
} pdfchart_text;

/* Hand every text the chart may draw to tx->collect. */
void pdfchart_collect(const lo_chart *ch, const pdfchart_text *tx);

/* Draw the categories [pg->chart_from, pg->chart_to) of the document's chart
 * on `page` (outside any text object), its text through tx->draw. */
void pdfchart_draw(HPDF_Page page, const lo_doc *d, const lo_page *pg, const pdfchart_text *tx,
                   const font_set *fs);

#endif

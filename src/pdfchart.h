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

/* Add every character the chart may draw to the per-face sets (indexed by
 * font_face_id) and mark the faces used. */
void pdfchart_collect(const lo_chart *ch, const font_set *fs, text_cpset *sets, bool *used);

/* Draw the categories [pg->chart_from, pg->chart_to) of the document's chart
 * on `page` (outside any text object). `fonts` is indexed by face id. */
void pdfchart_draw(HPDF_Page page, const lo_doc *d, const lo_page *pg, HPDF_Font *fonts,
                   const font_set *fs);

#endif

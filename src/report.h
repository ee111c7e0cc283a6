/* report — the year's review page OUTPUT/<year>/index.html: one self-contained
 * file (inline CSS and SVG, a few lines of optional script) with the totals, a
 * chart of each unit's excellent ratio against its cap, the table of units and,
 * per unit, the proposed grades, rewards, notice period, findings explained and
 * links to the unit's files. Read back from the committed results.xml (the
 * numbers come from the summary module, so page and summary chart agree) and
 * written unit by unit, so its memory grows with units, never with persons. */
#ifndef KAOHE_REPORT_H
#define KAOHE_REPORT_H

#include <stdbool.h>

#include "util.h"

/* Write `dir`/index.html from `dir`/results.xml and the files already in
 * `dir`/<unit id>/; `epoch` dates the page as it dates the summary. On success
 * appends "index.html\n" to `written` (the manifest's list); false with a
 * message in err otherwise, leaving no file. */
bool report_write_year(const char *dir, long long epoch, sbuf *written, sbuf *err);

#endif

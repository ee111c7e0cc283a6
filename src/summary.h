/* summary — the run's roll-up of SPEC 4 (汇总表): one row per unit with
 * participants, places, excellent, the ratio used against its cap, counts
 * per grade, not graded, status and findings. The rows are read back from a
 * year's results.xml, so a single run and a merge of shard runs derive the
 * summary from the same bytes; the layout source feeds templates/forms/
 * summary.xml (table, totals as formulas, chart). The units' <assessment>
 * elements (SPEC 5) give the run's ranking table, templates/forms/ranking.xml. */
#ifndef KAOHE_SUMMARY_H
#define KAOHE_SUMMARY_H

#include <stddef.h>

#include "layout.h"
#include "util.h"

typedef struct summary summary;

/* Read OUTPUT/<year>/results.xml. `epoch` (SOURCE_DATE_EPOCH, or -1 for
 * now) dates the table. NULL with a message in err when the file cannot be
 * read or is not a results file. */
summary *summary_read(const char *results_path, long long epoch, sbuf *err);
void summary_free(summary *s);

/* Number of units (rows). */
size_t summary_units(const summary *s);

/* The summary as a data source: `year`, `policy` (the root's: the first
 * unit's), `policies` (every unit's policy, each once, in the order units
 * first use them, joined by "；"), `date`, `units`, `totals.<field>`, the
 * list `policies` (field name, same order) and the list `units` with fields
 * id, name, participants, places, excellent, ratio, cap, competent, basic,
 * incompetent, undetermined, absent, status, issues. A unit without a
 * policy attribute (a results.xml of an earlier kaohe) counts under the
 * root's policy. */
layout_source summary_source(summary *s);

/* Number of units with an <assessment> (rows of the ranking). */
size_t summary_assessed(const summary *s);

/* The ranking as a data source: `year`, `policy`, `date`, `units`,
 * `assessed` and the list `ranking`, ordered by scheme, series (0, not
 * given, first), rank, unit id, with fields id, name, status, scheme (its
 * name), series ("" for 0), seriesLabel ("—" for 0), rank, of (units in the
 * series), total, grade (excellent|qualified|unqualified|none), label (the
 * scheme's grade name), gradeLabel (label, else 优秀/合格/不合格), note (""
 * when results.xml carries none). Numbers are plain decimals. */
layout_source summary_ranking_source(summary *s);

#endif

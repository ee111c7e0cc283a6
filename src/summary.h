/* summary — the run's roll-up of SPEC 4 (汇总表): one row per unit with
 * participants, places, excellent, the ratio used against its cap, counts
 * per grade, not graded, status and findings. The rows are read back from a
 * year's results.xml, so a single run and a merge of shard runs derive the
 * summary from the same bytes; the layout source feeds templates/forms/
 * summary.xml (table, totals as formulas, chart). */
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

/* The summary as a data source: `year`, `policy`, `date`, `units`,
 * `totals.<field>` and the list `units` with fields id, name,
 * participants, places, excellent, ratio, cap, competent, basic,
 * incompetent, undetermined, absent, status, issues. */
layout_source summary_source(summary *s);

#endif

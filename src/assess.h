/* assess — the unit performance appraisal of a run (SPEC 5): a pre-pass
 * that scores every unit carrying an <assessment> (selected by --unit or
 * --shard or not: ranks are over the whole run) and ranks each scheme's
 * units per series; then, per unit, the scored sheet and its rank and grade
 * set on the unit before the staff rules run. Read-only after the pre-pass,
 * shared by the worker threads. */
#ifndef KAOHE_ASSESS_H
#define KAOHE_ASSESS_H

#include <stdbool.h>

#include "ingest.h"
#include "model.h"
#include "msg.h"
#include "scheme.h"

typedef struct assess_run assess_run;

/* Score and rank the units of `files` that carry an <assessment>, with the
 * schemes of `schemes_dir`. Files that fail validation are skipped (the main
 * pass reports them). Returns NULL when no input mentions an assessment
 * (nothing to do) or, with *err set, when the schemes cannot be loaded. */
assess_run *assess_prepass(const char *schemes_dir, char *const *files, int n_files,
                           const ingest_schema *schema, msg_lang lang, sbuf *err);
void assess_free(assess_run *a);

/* Set u->assessment (computed, total, rank, series_size, grade, label, note,
 * result scored into the unit's arena), or add the unit's error finding
 * (unknown scheme, bad item). No-op for a unit without <assessment>. */
void assess_apply(const assess_run *a, unit *u, msg_lang lang);

/* Entries of the run in ranking-table order (scheme, series, rank), for
 * `kaohe score`: returns the count; *out points into `a`. */
size_t assess_entries(const assess_run *a, const scheme_rank_entry **out, const char *const **scheme_names,
                      const char *const **unit_names);

/* "unit id<TAB>message [CODE]" lines of the units that could not be scored
 * (unknown scheme, bad item), "" when none. */
const char *assess_problems(const assess_run *a);
/* A scheme's title (from its file), "" when unknown. */
const char *assess_scheme_title(const assess_run *a, const char *name);

#endif

/* results — the machine-readable result of a run (results.xml, namespace
 * urn:kaohe:results:1) and the findings list (findings.txt), written as units
 * finish so memory does not grow with the run, and renamed into place at the
 * end. Also the run totals.
 *
 * The line contract (merge.c and summary.c read these files back line by
 * line, without an XML parser, and refuse anything else as not ours):
 *  - results.xml: line 1 the XML declaration; line 2 the root
 *    `<results xmlns="urn:kaohe:results:1" …>` (a shard run adds shard="K/N");
 *    then each unit as `  <unit id=… status=… name=… seq=… policy=…>` on one line,
 *    its children one element per line, and `  </unit>` alone on a line;
 *    then `  <totals …/>` on one line and `</results>`. Attribute values
 *    are escaped, so no value holds a newline or a quote.
 *  - findings.txt: one finding per line, tab-separated, the unit id first;
 *    the lines of a unit are consecutive and units are in input order.
 * Changing any of this changes what merge and summary accept. */
#ifndef KAOHE_RESULTS_H
#define KAOHE_RESULTS_H

#include <stdbool.h>
#include "model.h"
#include "msg.h"
#include "outfile.h"
#include "policy.h"

typedef struct results_totals {
    long units, persons, graded, excellent, errors, warnings;
} results_totals;

typedef struct results_writer {
    outfile xml, txt;
    int year;
    results_totals totals;
    msg_lang lang;
} results_writer;

/* Open OUTPUT_DIR/results.xml and findings.txt (as temp files) for a year.
 * `shard` ("K/N") marks a shard run's file for `kaohe merge`, or NULL. */
bool results_open(results_writer *w, const char *dir, int year, const char *policy_name, const char *shard,
                  msg_lang lang);
/* Append a unit already rendered with results_unit_xml/results_unit_findings
 * (workers render, one writer appends in input order). */
void results_append(results_writer *w, const sbuf *xml, const sbuf *findings, const results_totals *t);
/* Write the totals and rename both files into place (commit), or drop them. */
bool results_close(results_writer *w, bool commit);

/* The <unit> element of results.xml for u (for tests and other writers). */
void results_unit_xml(sbuf *b, const unit *u, const policy *pol);
/* One line per finding: unit, person, code, severity, message (tab-separated). */
void results_unit_findings(sbuf *b, const unit *u, msg_lang lang);
/* Add u's counts to totals. */
void results_count(results_totals *t, const unit *u);
/* The <totals .../> line of results.xml. */
void results_totals_xml(sbuf *b, const results_totals *t);
/* Add one set of totals to another. */
void results_totals_add(results_totals *t, const results_totals *add);

#endif

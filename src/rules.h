/* rules — the appraisal rules of SPEC 3 applied to one unit: result codes,
 * quota buckets and places, scores and ranking, proposed grades, checks,
 * rewards and the notice period. Pure computation on a unit; the run-wide
 * check for repeated ids is the batch's (it alone sees every unit). */
#ifndef KAOHE_RULES_H
#define KAOHE_RULES_H

#include "calendar.h"
#include "date.h"
#include "model.h"
#include "msg.h"
#include "policy.h"

typedef struct rules_env {
    const policy *pol;
    const calendar *cal;     /* may be NULL: Monday-Friday with NO_CALENDAR */
    msg_lang lang;
    kh_date run_date;        /* SOURCE_DATE_EPOCH or today */
} rules_env;

/* Compute everything about unit `u` (inputs must be filled in). Findings are
 * appended to those already on the unit (e.g. DUPLICATE_ID). */
void rules_compute_unit(unit *u, const rules_env *env);

/* floor(denominator × ratio) in exact integer arithmetic; with min_one a
 * denominator >= 1 gives at least 1 place. */
long rules_quota_places(long denominator, fix6 ratio, bool min_one);

/* A person's score (SPEC 3.4) is exact while its magnitude is at most
 * 999999999999.999999, the largest number fix6_parse (and so every number
 * of an input or a policy) accepts; a weighted sum beyond that saturates to
 * ±RULES_SCORE_LIMIT, which keeps its sign and its place in the ranking
 * (persons beyond the limit on the same side rank by votes and id). */
#define RULES_SCORE_LIMIT ((fix6)(1000000000000LL * FIX_ONE - 1))

/* The result code of SPEC 3.1 for person p in appraisal year `year`. */
code_t rules_person_code(const person *p, const policy *pol, int year);

/* Length of the run of consecutive excellent years ending this year (this
 * year counted when `this_year_excellent`), from the person's history. */
int rules_excellent_streak(const person *p, int year, bool this_year_excellent);

/* The unit performance grade that sets the ratios: explicit grade, else the
 * computed assessment grade, else the policy's score threshold. */
perf_grade_t rules_effective_performance(const unit *u, const policy *pol);

#endif

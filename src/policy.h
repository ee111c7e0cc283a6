/* policy — the appraisal rules of one preset as data: ratio rules per bucket,
 * quota settings, who is barred from excellent, scoring formula, rewards and
 * notice days. Loaded from a text file in templates/policies/ (format in
 * templates/policies/README.md); immutable after loading, shared by threads. */
#ifndef KAOHE_POLICY_H
#define KAOHE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"

/* A condition on the unit under which a ratio line applies. */
typedef enum {
    COND_ALWAYS, COND_PERFORMANCE, COND_COLLECTIVE_MERIT, COND_MAJOR_ACCIDENT, COND_ROUTINE
} policy_cond_kind;

typedef struct policy_cond {
    policy_cond_kind kind;
    unsigned mask;           /* PERFORMANCE: bit per perf_grade_t; ROUTINE: bit per routine_t */
} policy_cond;

/* Which buckets a line touches: bit (group * 2 + leader) for leader in {0 staff, 1 leaders}. */
typedef unsigned policy_selector;

typedef struct policy_ratio_rule {
    bool adjust;             /* false: set the ratio; true: add `value` to it */
    policy_selector sel;
    fix6 value;
    policy_cond cond;
} policy_ratio_rule;

typedef struct policy_score_term {
    unsigned roles;          /* bit per role_t */
    char component[64];
    fix6 weight;
} policy_score_term;

typedef struct policy_label {
    char label[32];
    fix6 value;
} policy_label;

typedef struct policy {
    char name[64];
    char title[256];
    fix6 max_ratio;
    bool split_leaders;
    bool min_one;
    int notice_days;
    int posting_days;               /* results posted >= N calendar days (0: not set) */
    int seconded_below_months;      /* seconded and monthsInUnit < N -> code 7 */
    int leave_above_months;         /* leaveMonths > N (not maternity) -> 6A */
    bool bar_warning;               /* warning sanction this year: not excellent */
    bool bar_accident_leaders;      /* leaders of a majorAccident unit: not excellent */
    bool has_unqualified_below;
    fix6 unqualified_below;         /* unit performance score below -> unqualified */
    bool has_advanced;              /* 先进个人 designation limited */
    fix6 advanced_ratio;
    bool advanced_min_one;
    int merit_streak;               /* streak multiple giving third-class merit */
    long reward_money[3];           /* by reward_t, yuan */
    policy_ratio_rule *rules;
    int n_rules;
    policy_score_term *terms;
    int n_terms;
    policy_label *labels;
    int n_labels;
} policy;

/* Load a policy: `ref` is a preset name (looked up as DIR/NAME.policy) or a
 * path to a policy file (contains '/' or ends in ".policy"). On failure
 * returns NULL and writes a message naming file:line into err. */
policy *policy_load(const char *ref, const char *dir, char *err, size_t errlen);
/* Parse policy text (for tests and fuzzing); `origin` names it in messages. */
policy *policy_parse(const char *text, size_t len, const char *origin, char *err, size_t errlen);
void policy_free(policy *p);

/* Ratio of a bucket of unit `u` by the policy's rules (approved ratios are the
 * rules module's business). `leader` is 0 staff, 1 leaders (ignored unless
 * split_leaders). Never below zero. */
fix6 policy_bucket_ratio(const policy *p, const unit *u, perf_grade_t perf, group_t g, int leader);
/* True when the policy defines a score. */
bool policy_has_score(const policy *p);
/* Value of a component as written: a number, or a label from the policy's
 * label table. False when it is neither. */
bool policy_component_value(const policy *p, const char *text, fix6 *out);

#endif

/* model — the in-memory records of one input file's header and of one unit
 * with its persons, as ingested (inputs, with SPEC defaults applied) and as
 * computed by the rules (codes, buckets, grades, rewards, findings).
 * A unit and everything it points to live in the unit's arena. */
#ifndef KAOHE_MODEL_H
#define KAOHE_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

typedef enum { GRADE_NONE = 0, GRADE_EXCELLENT, GRADE_COMPETENT, GRADE_BASIC, GRADE_INCOMPETENT } grade_t;
typedef enum { KIND_ORGAN, KIND_MANAGED, KIND_INSTITUTION } unit_kind_t;
typedef enum { CAT_CIVIL_SERVANT, CAT_MANAGED, CAT_INSTITUTION, CAT_OTHER } category_t;
typedef enum { ROLE_STAFF, ROLE_LEADER, ROLE_MAIN_LEADER } role_t;
typedef enum { SANCTION_NONE, SANCTION_WARNING, SANCTION_DEMERIT, SANCTION_MAJOR_DEMERIT,
               SANCTION_DEMOTION, SANCTION_REMOVAL } sanction_t;
typedef enum { LEAVE_SICK, LEAVE_PERSONAL, LEAVE_STUDY, LEAVE_MATERNITY } leave_t;
typedef enum { ROUTINE_GOOD, ROUTINE_POOR, ROUTINE_NONE } routine_t;
typedef enum { PERF_NONE = 0, PERF_EXCELLENT, PERF_QUALIFIED, PERF_UNQUALIFIED } perf_grade_t;

/* Staff groups whose excellent places never mix (SPEC 3.2). */
typedef enum { GROUP_ADMIN, GROUP_INSTITUTION, GROUP_OTHER, GROUP_COUNT } group_t;

/* Appraisal-result codes after the ZB18 code table (SPEC 3.1). */
typedef enum {
    CODE_GRADED = 0,   /* 1-4, the digit follows from the grade */
    CODE_4_REFUSED,    /* refused: graded incompetent */
    CODE_5A, CODE_5B, CODE_5C, CODE_6A, CODE_7
} code_t;

typedef enum { REWARD_NONE, REWARD_COMMENDATION, REWARD_THIRD_CLASS_MERIT } reward_t;
typedef enum { SEV_WARNING, SEV_ERROR } severity_t;

typedef struct finding {
    struct finding *next;
    const char *code;        /* stable code, e.g. "QUOTA_EXCEEDED" */
    severity_t severity;
    const char *person_id;   /* NULL for unit-level findings */
    char *message;           /* in the run's language */
} finding;

typedef struct score_component {
    const char *name;
    const char *value;       /* number or label, as written */
} score_component;

typedef struct history_year {
    int year;
    grade_t grade;
} history_year;

typedef struct person {
    /* inputs */
    const char *id, *name, *gender, *birth, *ethnicity, *political, *education;
    const char *post, *rank, *post_since, *summary, *comment;
    const char *duty;        /* 从事或分管工作; NULL when not given */
    category_t category;
    role_t role;
    int leave_months;
    leave_t leave_type;
    bool probation, under_investigation, refused, advanced;
    int months_in_unit;
    bool seconded;           /* assignment="seconded" (借调、挂职、援派); false: regular */
    sanction_t sanction;
    int sanction_year;       /* 0 when not given */
    long routine_records;
    long votes[4];           /* excellent, competent, basic, incompetent */
    grade_t proposed;        /* GRADE_NONE: no proposal (or no grade in it) */
    score_component *components;
    int n_components;
    history_year *history;
    int n_history;
    long line;               /* source line, for messages */

    /* computed by rules */
    code_t code;
    int bucket;              /* index into unit->buckets, -1 if not counted */
    grade_t grade;           /* final grade; GRADE_NONE for 5x/6A/7 */
    bool auto_proposed;      /* grade proposed by the program */
    bool barred;             /* may not be excellent */
    reward_t reward;
    int streak;              /* consecutive excellent years incl. this one */
    bool has_score;
    fix6 score;              /* exact; printed with 2 decimals */
    bool designated_advanced;
} person;

typedef struct bucket {
    char name[32];           /* "admin", "admin-leader", ... */
    group_t group;
    int leader;              /* -1 not split, 0 staff, 1 leaders */
    long participants;
    fix6 ratio;
    long places;
    long excellent;
} bucket;

typedef struct unit_assessment {
    bool present;
    const char *scheme;
    struct assessment_item { const char *ref; bool has_points; fix6 points; long count; } *items;
    int n_items;
    /* computed (batch: scored in a pre-pass, ranked over the run) */
    bool computed;
    fix6 total;
    int rank;
    int series_size;                     /* units of the run in the unit's series */
    perf_grade_t grade;
    const char *label, *note;            /* the grade rule's own name and consequence */
    const struct scheme_result *result;  /* the scored sheet (in the unit's arena), or NULL */
} unit_assessment;

typedef struct notice_period {
    bool present;
    char from[11], to[11];
} notice_period;

/* One input file's header (everything before the first unit). */
typedef struct file_header {
    const char *path;
    int year;
    char policy[72];
    char *authority_org, *authority_hr;
    char notice_start[11], filing_deadline[11], filed_on[11];  /* "" when absent */
} file_header;

typedef struct unit {
    arena mem;
    const file_header *file;
    long line;
    long seq;                /* position among all units of the run's input (0-based) */
    const char *id, *name;
    unit_kind_t kind;
    int series;              /* 0 when not given */
    long est_admin, est_institution;
    bool target_advanced, ministerial_commendation, civilized_unit, collective_merit;
    routine_t routine;
    bool major_accident;
    perf_grade_t perf_grade;  /* PERF_NONE: not given */
    bool has_perf_score;
    fix6 perf_score;
    bool has_approved_ratio;
    fix6 approved_ratio;
    const char *contact_name, *contact_phone;
    unit_assessment assessment;
    person *persons;
    long n_persons;

    /* computed by rules */
    perf_grade_t effective_perf;
    bucket buckets[GROUP_COUNT * 2];
    int n_buckets;
    long advanced_limit, advanced_count;
    notice_period notice;
    finding *findings, *findings_tail;
    int n_errors, n_warnings;
} unit;

/* Code as printed in results ("1".."4", "5A", ...). */
const char *model_code_str(const person *p);
const char *model_grade_key(grade_t g);           /* "excellent" ... "none" */
const char *model_reward_key(reward_t r);         /* "commendation" ... "none" */
const char *model_group_key(group_t g);           /* "admin", "institution", "other" */
const char *model_perf_key(perf_grade_t g);       /* "excellent"... "" for none */
/* Grade label as printed on forms, by category: 称职 vs 合格 etc. */
const char *model_grade_label(grade_t g, category_t c);
group_t model_group_of(category_t c);
bool model_is_leader(role_t r);
/* Persons counted in a bucket's denominator: codes 1-4, 5A, 5B, 5C. */
bool model_participates(const person *p);

/* Append a finding to the unit (message formatted by the caller). */
void model_add_finding(unit *u, const char *code, severity_t sev, const char *person_id,
                       const char *message);
/* Free a unit's arena and findings (the unit struct itself is the caller's). */
void model_unit_free(unit *u);

#endif

/* scheme — unit performance appraisal (单位绩效考评, SPEC 5) as data: a scheme
 * file's sections, items, caps, vetoes and grade rules; scoring one unit's
 * <assessment>; ranking and grading all units of a run under one scheme.
 * Schemes are immutable after loading and shared read-only by threads. */
#ifndef KAOHE_SCHEME_H
#define KAOHE_SCHEME_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"
#include "msg.h"
#include "util.h"

#define SCHEME_REF_MAX 64    /* ids and refs: [A-Za-z0-9_.-]{1,64}, as the XSD's policyRef */

/* How a section turns its items into a subtotal (format: templates/schemes/README.md). */
typedef enum {
    SCHEME_SCORE,            /* points given, subtotal capped at max */
    SCHEME_DEDUCT,           /* starts at max, items deduct; optional overflow to the total */
    SCHEME_AWARD,            /* count x points, subtotal capped at max */
    SCHEME_ADJUST            /* signed points (加减分), subtotal = sum, |sum| capped when max set */
} scheme_mode;

typedef enum {
    SCHEME_VETO_DEDUCT,      /* each occurrence takes `points` off the total */
    SCHEME_VETO_BAR,         /* cannot take an excellent grade (取消评先资格) */
    SCHEME_VETO_FAIL         /* takes the scheme's last grade rule (不予达标) */
} scheme_veto_kind;

typedef struct scheme_item {
    char ref[SCHEME_REF_MAX + 1];
    const char *label;
    int section;             /* index into scheme.sections */
    int group;               /* index into scheme.groups, -1 none */
    bool given;              /* points given per <item> (else count x per) */
    fix6 per;                /* points per occurrence (signed in adjust sections) */
    fix6 min, max;           /* given: allowed points of one <item> */
    bool has_cap;
    fix6 cap;                /* the item's own cap (magnitude) */
    long full_at;            /* count >= full_at takes the whole cap (0: never) */
} scheme_item;

typedef struct scheme_group {
    char id[SCHEME_REF_MAX + 1];
    const char *label;
    int section;
    fix6 cap;                /* members together, filled in item order */
} scheme_group;

typedef struct scheme_section {
    char id[SCHEME_REF_MAX + 1];
    const char *label;
    scheme_mode mode;
    bool has_max;            /* always for score/deduct/award; optional for adjust */
    fix6 max;
    bool overflow;           /* deduct: deductions beyond max come off the total */
    int choice;              /* index into scheme.choices, -1: always counted */
    int first_item, n_items; /* its items are scheme.items[first_item ...] */
} scheme_section;

typedef struct scheme_choice {   /* alternative sections, one chosen per unit */
    char id[SCHEME_REF_MAX + 1];
    const char *label;
} scheme_choice;

typedef struct scheme_veto {
    char ref[SCHEME_REF_MAX + 1];
    const char *label;
    scheme_veto_kind kind;
    fix6 points;             /* SCHEME_VETO_DEDUCT: per occurrence */
} scheme_veto;

typedef struct scheme_top { int series; int n; } scheme_top;

/* One grade rule; the rules are tried in order, the first that holds wins. */
typedef struct scheme_grade {
    perf_grade_t perf;       /* what the staff quota sees (PERF_NONE: no effect) */
    const char *label;       /* the scheme's own name for it (优秀单位, 省一级 ...) */
    const char *note;        /* consequence text, "" when none */
    bool has_min, has_below;
    fix6 min, below;         /* total >= min, total < below */
    bool has_top;
    int top_all;             /* > 0: the first N eligible of any series */
    scheme_top *tops;        /* else per series */
    int n_tops;
    int bottom;              /* > 0: among the last N of the series */
} scheme_grade;

typedef struct scheme {
    char name[SCHEME_REF_MAX + 1];
    const char *title;
    fix6 full;               /* full marks, checked against the sections */
    scheme_section *sections; int n_sections;
    scheme_item *items;       int n_items;      /* grouped by section, in file order */
    scheme_group *groups;     int n_groups;
    scheme_choice *choices;   int n_choices;
    scheme_veto *vetoes;      int n_vetoes;
    scheme_grade *grades;     int n_grades;     /* the last one is unconditional */
    struct scheme_ref *index; int n_index;      /* sorted refs, for lookups */
    arena mem;                                  /* strings */
} scheme;

/* Load a scheme file. On failure returns NULL and writes "file:line: what"
 * into err. */
scheme *scheme_load(const char *path, char *err, size_t errlen);
/* Parse scheme text (tests, fuzzing); `origin` names it in messages. */
scheme *scheme_parse(const char *text, size_t len, const char *origin, char *err, size_t errlen);
void scheme_free(scheme *s);
const char *scheme_name(const scheme *s);

/* Every DIR/NAME.scheme, loaded once per run and shared read-only. A file's
 * `name` must equal its base name. NULL (err: file:line) if any fails. */
typedef struct scheme_set scheme_set;
scheme_set *scheme_set_load_dir(const char *dir, char *err, size_t errlen);
/* The scheme called `name`, or NULL. */
const scheme *scheme_set_find(const scheme_set *set, const char *name);
/* Iteration in name order: index 0 .. scheme_set_count()-1. */
size_t scheme_set_count(const scheme_set *set);
const scheme *scheme_set_at(const scheme_set *set, size_t i);
void scheme_set_free(scheme_set *set);

/* ---- scoring one unit ------------------------------------------------ */

/* One scheme item as scored for a unit (every item of the scheme has one). */
typedef struct scheme_line {
    const scheme_item *item;
    long count;              /* occurrences, summed over the unit's <item>s */
    bool given;              /* some <item> gave points */
    fix6 points;             /* points given, summed */
    fix6 raw;                /* count x per, or points given; the cap once full_at is reached */
    fix6 counted;            /* after the item's cap and its group's cap */
} scheme_line;

typedef struct scheme_section_result {
    const scheme_section *section;
    bool counted;            /* false: an alternative the unit did not choose */
    fix6 items;              /* sum of its lines' counted points (deduct: the deductions) */
    fix6 value;              /* the subtotal */
    fix6 overflow;           /* deduct with overflow: beyond max, off the total */
} scheme_section_result;

typedef struct scheme_veto_result {
    const scheme_veto *veto;
    long count;              /* 0: not vetoed */
    fix6 deduction;          /* SCHEME_VETO_DEDUCT: count x points */
} scheme_veto_result;

typedef struct scheme_result {
    const scheme *scheme;
    scheme_line *lines;                 int n_lines;     /* scheme->items order */
    scheme_section_result *sections;    int n_sections;  /* scheme->sections order */
    scheme_veto_result *vetoes;         int n_vetoes;
    fix6 overflow;           /* sum of the sections' overflow */
    fix6 veto_deduction;     /* sum of deduct vetoes */
    bool barred;             /* a bar veto applies: cannot be excellent */
    bool failed;             /* a fail veto applies: last grade rule */
    fix6 total;              /* sections - overflow - veto deductions (may be < 0) */
} scheme_result;

/* A problem with a unit's <assessment>: `code` is a msg.c code
 * (ASSESSMENT_ITEM_UNKNOWN, ASSESSMENT_POINTS_RANGE, ASSESSMENT_NEEDS_COUNT,
 * ASSESSMENT_NEEDS_POINTS, ASSESSMENT_CHOICE_MISSING, ASSESSMENT_CHOICE_TWICE);
 * `arg` are its printf arguments in order. */
typedef struct scheme_error {
    const char *code;
    char arg[5][160];
} scheme_error;

/* Score `in` under `s`. Lines and section results are allocated in `mem`
 * (e.g. the unit's arena); the result points into `s`, which must outlive it.
 * Repeated <item>s with one ref add up; every given <item> must lie in its
 * item's range. Returns 0, or -1 with `err` filled (first problem only; the
 * result is then unusable). */
int scheme_score(const scheme *s, const unit_assessment *in, arena *mem, scheme_result *out,
                 scheme_error *err);
/* The message for an error, in `lang` (via the msg catalog). */
void scheme_error_format(const scheme_error *e, msg_lang lang, sbuf *b);

/* ---- ranking and grading a run ---------------------------------------- */

typedef struct scheme_rank_entry {
    /* in */
    const char *unit_id;
    int series;              /* 0: not given (a series of its own) */
    fix6 total;
    bool barred, failed;     /* from scheme_result */
    /* out */
    int rank;                /* 1-based position in the series: total desc, then id asc */
    int series_size;         /* units of the run in that series */
    int rule;                /* index of the grade rule that applied */
    perf_grade_t grade;
    const char *label;       /* the rule's label (points into the scheme) */
    const char *note;
} scheme_rank_entry;

/* Rank and grade all `n` units of a run scored under `s` (order of `e` is
 * kept). A `top` rule gives its places, in rank order, to the units of the
 * series that meet its min/below and are not barred (for excellent) nor
 * failed; so tiered rules (top 1, top 3, top 6) count cumulatively. A failed
 * unit takes the last rule. */
void scheme_rank(const scheme *s, scheme_rank_entry *e, size_t n);
/* qsort comparator: series ascending, then rank — the ranking table's order. */
int scheme_rank_cmp(const void *a, const void *b);

/* Display names. */
const char *scheme_mode_key(scheme_mode m);        /* "score", "deduct", "award", "adjust" */
const char *scheme_veto_key(scheme_veto_kind k);   /* "deduct", "bar", "fail" */

#endif

/* fview — what the form templates read: a layout source over one computed
 * unit (unit.*, quota and bucket figures, person.* of the current person,
 * the lists persons/ballot/participants/excellent/rewards/incompetent,
 * buckets, the assessment sheet), every value the text the official form
 * prints; and the run's summary and ranking sources with what results.xml
 * does not carry (the policy's title, each scheme's title and grade notes).
 * forms.c chooses the templates and writers; this module only answers. */
#ifndef KAOHE_FVIEW_H
#define KAOHE_FVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "model.h"
#include "policy.h"
#include "scheme.h"

/* The unit's lists of persons, in input order. */
typedef enum fview_list {
    FVIEW_ALL,            /* persons */
    FVIEW_BALLOT0,        /* ballot, admin labels: participants of 机关/参公 kinds */
    FVIEW_BALLOT1,        /* ballot, institution labels */
    FVIEW_PARTICIPANTS,   /* participants */
    FVIEW_EXCELLENT,      /* excellent */
    FVIEW_REWARDS,        /* rewards */
    FVIEW_INCOMPETENT,    /* incompetent (taking part) */
    FVIEW_NLISTS
} fview_list;

typedef struct fview fview;

/* The view of u under pol, dates from epoch (SOURCE_DATE_EPOCH; < 0: now);
 * approve: the authority's own run fills its 审核意见 (build --approve).
 * u and pol must outlive it. */
fview *fview_new(const unit *u, const policy *pol, long long epoch, bool approve);
void fview_free(fview *v);

/* The layout source over v (its strings live until the next call). */
layout_source fview_source(fview *v);

const unit *fview_unit(const fview *v);
size_t fview_count(const fview *v, fview_list l);

/* person.* reads p (NULL: nobody) — the registration form and the result
 * notice are laid out once per person. */
void fview_set_person(fview *v, const person *p);

/* The "ballot" list and its labels: 0 admin, 1 institution. */
void fview_set_ballot_kind(fview *v, int kind);

/* The summary's source in with the policy shown by its title (the policy
 * file's `title`, read from policies_dir) instead of the key results.xml
 * carries, and `policies`: every policy of the run by title, joined by "；";
 * a key stays when its policy no longer loads. fview_summary_free releases
 * what the source holds once the summary is written. */
typedef struct fview_summary {
    const layout_source *in;   /* first: the wrapped source (view_in) */
    char title[512];
    sbuf titles;
} fview_summary;

layout_source fview_summary_source(fview_summary *sv, const layout_source *in, const char *policies_dir);
void fview_summary_free(fview_summary *sv);

/* The ranking's source in with each scheme's title (on the first row of
 * its group, schemeHead) and the grade rule's note where the row has none. */
typedef struct fview_ranking {
    const layout_source *in;   /* first: the wrapped source (view_in) */
    const scheme_set *schemes;
    char scheme[SCHEME_REF_MAX + 1];
} fview_ranking;

layout_source fview_ranking_source(fview_ranking *rv, const layout_source *in, const scheme_set *schemes);

#endif

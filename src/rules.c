/* rules — see rules.h. The order of the steps matters: codes decide who is
 * counted, counts decide places, places decide the automatic proposals, and
 * only the final grades decide rewards and the quota check. */
#include "rules.h"

#include <assert.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* --- SPEC 3.1: who is graded ------------------------------------------- */

static bool sanction_blocks_grade(sanction_t s)
{
    return s == SANCTION_DEMERIT || s == SANCTION_MAJOR_DEMERIT || s == SANCTION_DEMOTION ||
           s == SANCTION_REMOVAL;
}

code_t rules_person_code(const person *p, const policy *pol, int year)
{
    if (p->months_in_unit < pol->seconded_below_months) return CODE_7;
    if (p->leave_months > pol->leave_above_months && p->leave_type != LEAVE_MATERNITY) return CODE_6A;
    if (p->under_investigation) return CODE_5B;
    if (p->probation) return CODE_5A;
    if (sanction_blocks_grade(p->sanction) && p->sanction_year == year) return CODE_5C;
    if (p->refused) return CODE_4_REFUSED;
    return CODE_GRADED;
}

/* Why a person may not be excellent; NULL when they may. */
static const char *barred_reason(const person *p, const unit *u, const policy *pol, msg_lang lang)
{
    if (pol->bar_warning && p->sanction == SANCTION_WARNING && p->sanction_year == u->file->year)
        return lang == LANG_EN ? "warning sanction this year" : "本年度受警告处分";
    if (pol->bar_accident_leaders && u->major_accident && model_is_leader(p->role))
        return lang == LANG_EN ? "leader of a unit with a major accident" : "所在单位发生重大事故的领导人员";
    return NULL;
}

static const char *code_reason(code_t c, msg_lang lang)
{
    static const char *const zh[] = { "", "拒绝参加考核", "试用期人员", "立案调查尚未结案",
                                      "受处分期间", "病事假累计超过半年", "借调挂职，由派出单位考核" };
    static const char *const en[] = { "", "refused the appraisal", "on probation", "under investigation",
                                      "under sanction", "on leave over half a year", "seconded, appraised by the home unit" };
    return lang == LANG_EN ? en[c] : zh[c];
}

/* --- SPEC 3.2: quota ---------------------------------------------------- */

long rules_quota_places(long denominator, fix6 ratio, bool min_one)
{
    if (denominator <= 0) return 0;
    if (ratio < 0) ratio = 0;
    /* 128-bit so an absurd ratio cannot overflow; the floor is exact. */
    __int128 p = (__int128)denominator * ratio / FIX_ONE;
    long places = p > (__int128)((long)1 << 62) ? ((long)1 << 62) : (long)p;
    if (min_one && places < 1) places = 1;
    /* a ratio of at most 1 never gives more places than persons */
    assert(places >= 0 && (ratio > FIX_ONE || places <= (denominator > 1 ? denominator : 1)));
    return places;
}

perf_grade_t rules_effective_performance(const unit *u, const policy *pol)
{
    if (u->perf_grade != PERF_NONE) return u->perf_grade;
    if (u->assessment.computed) return u->assessment.grade;
    if (pol->has_unqualified_below && u->has_perf_score && u->perf_score < pol->unqualified_below)
        return PERF_UNQUALIFIED;
    return PERF_NONE;
}

static int bucket_index_for(unit *u, const policy *pol, const person *p)
{
    group_t g = model_group_of(p->category);
    int leader = pol->split_leaders ? (model_is_leader(p->role) ? 1 : 0) : -1;
    for (int i = 0; i < u->n_buckets; i++)
        if (u->buckets[i].group == g && u->buckets[i].leader == leader) return i;
    return -1;
}

/* Buckets in a fixed order (admin, institution, other; leaders before staff),
 * only those with at least one participant. */
static void build_buckets(unit *u, const policy *pol, perf_grade_t perf)
{
    long count[GROUP_COUNT][2] = { { 0 } };
    for (long i = 0; i < u->n_persons; i++) {
        const person *p = &u->persons[i];
        if (!model_participates(p)) continue;
        count[model_group_of(p->category)][pol->split_leaders && model_is_leader(p->role) ? 1 : 0]++;
    }
    u->n_buckets = 0;
    for (int g = 0; g < GROUP_COUNT; g++) {
        for (int part = 0; part < (pol->split_leaders ? 2 : 1); part++) {
            int leader = pol->split_leaders ? 1 - part : -1;
            long n = pol->split_leaders ? count[g][leader] : count[g][0] + count[g][1];
            if (n == 0) continue;
            assert(u->n_buckets < (int)(sizeof u->buckets / sizeof u->buckets[0]));
            bucket *b = &u->buckets[u->n_buckets++];
            memset(b, 0, sizeof *b);
            b->group = (group_t)g;
            b->leader = leader;
            snprintf(b->name, sizeof b->name, "%s%s", model_group_key((group_t)g),
                     leader < 0 ? "" : leader ? "-leader" : "-staff");
            b->participants = n;
            b->ratio = u->has_approved_ratio ? u->approved_ratio
                                              : policy_bucket_ratio(pol, u, perf, (group_t)g, leader);
            b->places = rules_quota_places(n, b->ratio, pol->min_one);
        }
    }
}

/* --- SPEC 3.4: scores and ranking --------------------------------------- */

/* The policy's weighted sum of the person's components, rounded to 6
 * decimals. Weights and values are fix6 numbers as fix6_parse reads them
 * (|x| < 10^12), so one product is below 10^36 and exact in 128 bits; the
 * sum saturates instead of wrapping (only a policy of hundreds of such terms
 * could get there). A score beyond ±RULES_SCORE_LIMIT saturates to it (see
 * rules.h), like the other overflow of the rules (rules_quota_places) and of
 * the schemes (scheme.c's SAT_LIMIT): never a wrapped or implementation-
 * defined value, and the order of the ranking stays right. */
static void compute_score(unit *u, person *p, const policy *pol, msg_lang lang)
{
    const __int128 max128 = (__int128)(((unsigned __int128)1 << 127) - 1);
    __int128 sum = 0;   /* scale FIX_ONE^2: weight × value, exact */
    for (int t = 0; t < pol->n_terms; t++) {
        const policy_score_term *term = &pol->terms[t];
        if (!(term->roles & (1u << p->role))) continue;
        const char *text = NULL;
        for (int c = 0; c < p->n_components; c++)
            if (!strcmp(p->components[c].name, term->component)) text = p->components[c].value;
        if (!text) continue;   /* missing components count 0 */
        fix6 v;
        if (!policy_component_value(pol, text, &v)) {
            sbuf m = { 0 };
            msg_format(&m, lang, "SCORE_INVALID", p->name, p->id, term->component, text);
            model_add_finding(u, "SCORE_INVALID", SEV_WARNING, p->id, m.data);
            sbuf_free(&m);
            continue;
        }
        __int128 prod = (__int128)term->weight * v;   /* |prod| < 2^126: no overflow */
        if (__builtin_add_overflow(sum, prod, &sum)) sum = prod > 0 ? max128 : -max128;
    }
    const __int128 limit = (__int128)RULES_SCORE_LIMIT * FIX_ONE;   /* at scale FIX_ONE^2 */
    fix6 score;
    if (sum > limit || sum < -limit) {
        score = sum > 0 ? RULES_SCORE_LIMIT : -RULES_SCORE_LIMIT;
        /* saturated: the officer must know this score is not the input's */
        char shown[40];
        fix6_format_plain(score, shown, sizeof shown);
        sbuf m = { 0 };
        msg_format(&m, lang, "SCORE_OUT_OF_RANGE", p->name, p->id, shown);
        model_add_finding(u, "SCORE_OUT_OF_RANGE", SEV_WARNING, p->id, m.data);
        sbuf_free(&m);
    } else {
        /* round to 6 decimals, half away from zero: |q| <= RULES_SCORE_LIMIT fits fix6 */
        const __int128 half = FIX_ONE / 2;
        __int128 q = sum >= 0 ? (sum + half) / FIX_ONE : -((-sum + half) / FIX_ONE);
        score = (fix6)q;
    }
    p->score = score;
    p->has_score = true;
}

/* Rank order: score descending, excellent votes descending, id ascending.
 * Returns <0 when a ranks before b; 0 only for the same id. */
static int rank_cmp_keys(const person *a, const person *b, bool by_score)
{
    if (by_score && a->score != b->score) return a->score > b->score ? -1 : 1;
    if (a->votes[0] != b->votes[0]) return a->votes[0] > b->votes[0] ? -1 : 1;
    return 0;
}

static int rank_cmp_score(const void *x, const void *y)
{
    const person *a = *(person *const *)x, *b = *(person *const *)y;
    int c = rank_cmp_keys(a, b, true);
    return c ? c : strcmp(a->id, b->id);
}

static int rank_cmp_votes(const void *x, const void *y)
{
    const person *a = *(person *const *)x, *b = *(person *const *)y;
    int c = rank_cmp_keys(a, b, false);
    return c ? c : strcmp(a->id, b->id);
}

/* Give the bucket's free places to its automatic candidates in rank order. */
static void propose_bucket(unit *u, int bi, const rules_env *env, person **cand, long n_cand)
{
    const policy *pol = env->pol;
    bucket *b = &u->buckets[bi];
    long explicit_excellent = 0;
    for (long i = 0; i < u->n_persons; i++) {
        const person *p = &u->persons[i];
        if (p->bucket == bi && p->code == CODE_GRADED && !p->auto_proposed && p->grade == GRADE_EXCELLENT)
            explicit_excellent++;
    }
    long free_places = b->places - explicit_excellent;
    if (free_places < 0) free_places = 0;
    bool by_score = policy_has_score(pol);
    qsort(cand, (size_t)n_cand, sizeof *cand, by_score ? rank_cmp_score : rank_cmp_votes);
    long given = 0;
    for (long i = 0; i < n_cand; i++) {
        if (given < free_places) {
            cand[i]->grade = GRADE_EXCELLENT;
            given++;
            if (given == free_places && i + 1 < n_cand && !rank_cmp_keys(cand[i], cand[i + 1], by_score)) {
                sbuf m = { 0 };
                msg_format(&m, env->lang, "RANK_TIE", msg_bucket_label(env->lang, b->name),
                           cand[i]->name, cand[i + 1]->name);
                model_add_finding(u, "RANK_TIE", SEV_WARNING, cand[i + 1]->id, m.data);
                sbuf_free(&m);
            }
        } else {
            cand[i]->grade = GRADE_COMPETENT;
        }
    }
    assert(given <= free_places && free_places <= (b->places > 0 ? b->places : 0));
}

/* --- findings ------------------------------------------------------------ */

static void add_person_finding(unit *u, const rules_env *env, const char *code, severity_t sev,
                               const person *p, ...)
{
    va_list ap;
    va_start(ap, p);
    sbuf m = { 0 };
    sbuf_vprintf(&m, msg_fmt(env->lang, code), ap);
    va_end(ap);
    model_add_finding(u, code, sev, p ? p->id : NULL, m.data);
    sbuf_free(&m);
}

/* Grades for every person: fixed ones from the code, explicit proposals, and
 * the errors for grades a code does not allow. Automatic ones come later. */
static void assign_explicit_grades(unit *u, const rules_env *env)
{
    msg_lang lang = env->lang;
    for (long i = 0; i < u->n_persons; i++) {
        person *p = &u->persons[i];
        p->auto_proposed = false;
        switch (p->code) {
        case CODE_4_REFUSED:
            p->grade = GRADE_INCOMPETENT;
            if (p->proposed != GRADE_NONE && p->proposed != GRADE_INCOMPETENT)
                add_person_finding(u, env, "GRADE_NOT_ALLOWED", SEV_ERROR, p, p->name, p->id,
                                   code_reason(p->code, lang),
                                   lang == LANG_EN ? model_grade_key(p->proposed)
                                                   : model_grade_label(p->proposed, p->category));
            break;
        case CODE_GRADED:
            if (p->proposed != GRADE_NONE) {
                p->grade = p->proposed;
                if (p->grade == GRADE_EXCELLENT && p->barred)
                    add_person_finding(u, env, "EXCELLENT_BARRED", SEV_ERROR, p, p->name, p->id,
                                       barred_reason(p, u, env->pol, lang));
            } else {
                p->auto_proposed = true;
                p->grade = GRADE_COMPETENT;
            }
            break;
        default:   /* 5A, 5B, 5C, 6A, 7: no grade at all */
            p->grade = GRADE_NONE;
            if (p->proposed != GRADE_NONE)
                add_person_finding(u, env, "GRADE_NOT_ALLOWED", SEV_ERROR, p, p->name, p->id,
                                   code_reason(p->code, lang),
                                   lang == LANG_EN ? model_grade_key(p->proposed)
                                                   : model_grade_label(p->proposed, p->category));
            break;
        }
    }
}

static void propose_all_buckets(unit *u, const rules_env *env)
{
    person **cand = xmalloc((size_t)(u->n_persons ? u->n_persons : 1) * sizeof *cand);
    for (int bi = 0; bi < u->n_buckets; bi++) {
        long n = 0;
        for (long i = 0; i < u->n_persons; i++) {
            person *p = &u->persons[i];
            if (p->bucket == bi && p->auto_proposed && !p->barred) cand[n++] = p;
        }
        propose_bucket(u, bi, env, cand, n);
    }
    free(cand);
}

static void check_quota(unit *u, const rules_env *env)
{
    for (int bi = 0; bi < u->n_buckets; bi++) {
        bucket *b = &u->buckets[bi];
        b->excellent = 0;
        const person *over = NULL;
        for (long i = 0; i < u->n_persons; i++) {
            const person *p = &u->persons[i];
            if (p->bucket != bi || p->grade != GRADE_EXCELLENT) continue;
            if (++b->excellent == b->places + 1) over = p;
        }
        if (b->excellent > b->places) {
            sbuf m = { 0 };
            msg_format(&m, env->lang, "QUOTA_EXCEEDED", msg_bucket_label(env->lang, b->name),
                       b->excellent, b->places);
            model_add_finding(u, "QUOTA_EXCEEDED", SEV_ERROR, over ? over->id : NULL, m.data);
            sbuf_free(&m);
        }
    }
}

static void check_advanced(unit *u, const rules_env *env)
{
    const policy *pol = env->pol;
    if (!pol->has_advanced) return;
    long participants = 0;   /* every participant is in exactly one bucket */
    for (int b = 0; b < u->n_buckets; b++) participants += u->buckets[b].participants;
    u->advanced_limit = rules_quota_places(participants, pol->advanced_ratio, pol->advanced_min_one);
    u->advanced_count = 0;
    const person *over = NULL;
    for (long i = 0; i < u->n_persons; i++) {
        person *p = &u->persons[i];
        p->designated_advanced = p->advanced && model_participates(p);
        if (p->designated_advanced && ++u->advanced_count == u->advanced_limit + 1) over = p;
    }
    if (u->advanced_count > u->advanced_limit)
        add_person_finding(u, env, "ADVANCED_EXCEEDED", SEV_ERROR, over, u->advanced_count,
                           u->advanced_limit);
}

int rules_excellent_streak(const person *p, int year, bool this_year_excellent)
{
    if (!this_year_excellent) return 0;
    int streak = 1;
    for (int y = year - 1;; y--) {
        bool found = false;
        for (int h = 0; h < p->n_history && !found; h++)
            if (p->history[h].year == y && p->history[h].grade == GRADE_EXCELLENT) found = true;
        if (!found) break;
        streak++;
    }
    return streak;
}

static void assign_rewards(unit *u, const policy *pol)
{
    for (long i = 0; i < u->n_persons; i++) {
        person *p = &u->persons[i];
        p->streak = rules_excellent_streak(p, u->file->year, p->grade == GRADE_EXCELLENT);
        if (p->grade != GRADE_EXCELLENT) p->reward = REWARD_NONE;
        else if (pol->merit_streak > 0 && p->streak % pol->merit_streak == 0)
            p->reward = REWARD_THIRD_CLASS_MERIT;
        else p->reward = REWARD_COMMENDATION;
    }
}

static void check_persons(unit *u, const rules_env *env)
{
    msg_lang lang = env->lang;
    for (long i = 0; i < u->n_persons; i++) {
        const person *p = &u->persons[i];
        long total = p->votes[0] + p->votes[1] + p->votes[2] + p->votes[3];
        if (total > 0 && 3 * p->votes[3] > total)
            add_person_finding(u, env, "VOTES_AGAINST", SEV_WARNING, p, p->name, p->id,
                               lang == LANG_EN ? "incompetent" : model_grade_label(GRADE_INCOMPETENT, p->category),
                               p->votes[3], total);
        if (model_participates(p) && p->routine_records == 0)
            add_person_finding(u, env, "NO_ROUTINE_RECORD", SEV_WARNING, p, p->name, p->id);
    }
}

static void check_unit(unit *u, const rules_env *env)
{
    const policy *pol = env->pol;
    if (u->has_approved_ratio && u->approved_ratio > pol->max_ratio) {
        char a[32], m[32];
        fix6_format_plain(u->approved_ratio, a, sizeof a);
        fix6_format_plain(pol->max_ratio, m, sizeof m);
        add_person_finding(u, env, "RATIO_ABOVE_MAX", SEV_ERROR, NULL, a, m);
    }
    const file_header *f = u->file;
    if (f->filed_on[0] && f->filing_deadline[0] && strcmp(f->filed_on, f->filing_deadline) > 0)
        add_person_finding(u, env, "FILED_LATE", SEV_WARNING, NULL, f->filed_on, f->filing_deadline);
}

/* --- SPEC 3.6: notice period -------------------------------------------- */

static void compute_notice(unit *u, const rules_env *env)
{
    bool fallback = false;
    kh_date start;
    if (!u->file->notice_start[0] || !date_parse(u->file->notice_start, &start))
        start = calendar_next_workday_after(env->cal, env->run_date, &fallback);
    kh_date end = calendar_nth_workday(env->cal, start, env->pol->notice_days, &fallback);
    date_format(start, u->notice.from);
    date_format(end, u->notice.to);
    u->notice.present = true;
    if (fallback) {
        int year = !calendar_has_year(env->cal, start.y) ? start.y : end.y;
        add_person_finding(u, env, "NO_CALENDAR", SEV_WARNING, NULL, year);
    }
}

void rules_compute_unit(unit *u, const rules_env *env)
{
    const policy *pol = env->pol;
    int year = u->file->year;
    u->effective_perf = rules_effective_performance(u, pol);
    check_unit(u, env);
    for (long i = 0; i < u->n_persons; i++) {
        person *p = &u->persons[i];
        p->code = rules_person_code(p, pol, year);
        p->barred = barred_reason(p, u, pol, env->lang) != NULL;
        p->has_score = false;
        if (policy_has_score(pol)) compute_score(u, p, pol, env->lang);
    }
    build_buckets(u, pol, u->effective_perf);
    for (long i = 0; i < u->n_persons; i++) {
        person *p = &u->persons[i];
        p->bucket = model_participates(p) ? bucket_index_for(u, pol, p) : -1;
        /* build_buckets made a bucket for every participant's group from the same counts */
        assert(!model_participates(p) || p->bucket >= 0);
    }
    assign_explicit_grades(u, env);
    propose_all_buckets(u, env);
    check_quota(u, env);
    check_advanced(u, env);
    check_persons(u, env);
    assign_rewards(u, pol);
    compute_notice(u, env);
}

/* policy — see policy.h. The file format is line-based: `key value...`,
 * '#' starts a comment. Unknown keys are errors, so a typo never silently
 * changes a rule. */
#include "policy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 32

typedef struct parse_state {
    policy *p;
    const char *origin;
    int line;
    char *err;
    size_t errlen;
} parse_state;

static bool fail(parse_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report a problem at the current line; always false. */
static bool fail(parse_state *st, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(st->err, st->errlen, "%s:%d: %s", st->origin, st->line, what);
    return false;
}

static bool parse_bool(parse_state *st, const char *s, bool *out)
{
    if (!strcmp(s, "yes") || !strcmp(s, "true")) { *out = true; return true; }
    if (!strcmp(s, "no") || !strcmp(s, "false")) { *out = false; return true; }
    return fail(st, "expected yes or no, got '%s'", s);
}

static bool parse_int(parse_state *st, const char *s, long long min, long long max, int *out)
{
    long long v;
    if (!parse_int_range(s, min, max, &v)) return fail(st, "bad integer '%s'", s);
    *out = (int)v;
    return true;
}

static bool parse_fix(parse_state *st, const char *s, fix6 *out)
{
    if (!fix6_parse(s, out)) return fail(st, "bad number '%s'", s);
    return true;
}

/* "admin,institution-leader,all" -> bucket bits. */
static bool parse_selector(parse_state *st, char *s, policy_selector *out)
{
    *out = 0;
    for (char *save = NULL, *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        unsigned leaders = 3;          /* both staff (bit 0) and leaders (bit 1) */
        char *dash = strrchr(tok, '-');
        if (dash && !strcmp(dash, "-leader")) { leaders = 2; *dash = '\0'; }
        else if (dash && !strcmp(dash, "-staff")) { leaders = 1; *dash = '\0'; }
        unsigned groups;
        if (!strcmp(tok, "all")) groups = 7;
        else if (!strcmp(tok, "admin")) groups = 1u << GROUP_ADMIN;
        else if (!strcmp(tok, "institution")) groups = 1u << GROUP_INSTITUTION;
        else if (!strcmp(tok, "other")) groups = 1u << GROUP_OTHER;
        else return fail(st, "unknown bucket '%s'", tok);
        for (int g = 0; g < GROUP_COUNT; g++)
            if (groups & (1u << g)) *out |= leaders << (g * 2);
    }
    return true;
}

static bool parse_mask(parse_state *st, char *list, const char *const *names, int n, unsigned *mask)
{
    *mask = 0;
    for (char *save = NULL, *tok = strtok_r(list, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
        int i = 0;
        while (i < n && strcmp(tok, names[i])) i++;
        if (i == n) return fail(st, "unknown value '%s'", tok);
        *mask |= 1u << i;
    }
    return true;
}

static bool parse_cond(parse_state *st, char *s, policy_cond *c)
{
    static const char *const perf[] = { "none", "excellent", "qualified", "unqualified" };
    static const char *const routine[] = { "good", "poor", "none" };
    char *eq = strchr(s, '=');
    if (eq) *eq++ = '\0';
    if (!strcmp(s, "performance") && eq) {
        c->kind = COND_PERFORMANCE;
        return parse_mask(st, eq, perf, 4, &c->mask);
    }
    if (!strcmp(s, "routine") && eq) {
        c->kind = COND_ROUTINE;
        return parse_mask(st, eq, routine, 3, &c->mask);
    }
    if (eq) return fail(st, "unknown condition '%s'", s);
    if (!strcmp(s, "collective-merit")) c->kind = COND_COLLECTIVE_MERIT;
    else if (!strcmp(s, "major-accident")) c->kind = COND_MAJOR_ACCIDENT;
    else return fail(st, "unknown condition '%s'", s);
    return true;
}

/* ratio|adjust SELECTOR VALUE [if CONDITION] */
static bool parse_ratio_rule(parse_state *st, char **tok, int n, bool adjust)
{
    if (n != 3 && !(n == 5 && !strcmp(tok[3], "if")))
        return fail(st, "expected '%s SELECTOR VALUE [if CONDITION]'", tok[0]);
    policy_ratio_rule r = { .adjust = adjust, .cond = { COND_ALWAYS, 0 } };
    if (!parse_selector(st, tok[1], &r.sel) || !parse_fix(st, tok[2], &r.value)) return false;
    if (!adjust && (r.value < 0 || r.value > FIX_ONE)) return fail(st, "ratio out of 0..1: %s", tok[2]);
    /* an adjustment beyond ±1 means nothing, and a sum of such could overflow */
    if (adjust && (r.value < -FIX_ONE || r.value > FIX_ONE)) return fail(st, "adjustment out of -1..1: %s", tok[2]);
    if (n == 5 && !parse_cond(st, tok[4], &r.cond)) return false;
    policy *p = st->p;
    p->rules = xrealloc(p->rules, (size_t)(p->n_rules + 1) * sizeof *p->rules);
    p->rules[p->n_rules++] = r;
    return true;
}

/* score ROLES COMPONENT WEIGHT [COMPONENT WEIGHT]... */
static bool parse_score(parse_state *st, char **tok, int n)
{
    static const char *const roles[] = { "staff", "leader", "main-leader" };
    if (n < 4 || n % 2) return fail(st, "expected 'score ROLES COMPONENT WEIGHT...'");
    unsigned mask;
    if (!strcmp(tok[1], "all")) mask = 7;
    else if (!parse_mask(st, tok[1], roles, 3, &mask)) return false;
    policy *p = st->p;
    for (int i = 2; i < n; i += 2) {
        policy_score_term t = { .roles = mask };
        if (strlen(tok[i]) >= sizeof t.component) return fail(st, "component name too long");
        strcpy(t.component, tok[i]);
        if (!parse_fix(st, tok[i + 1], &t.weight)) return false;
        p->terms = xrealloc(p->terms, (size_t)(p->n_terms + 1) * sizeof *p->terms);
        p->terms[p->n_terms++] = t;
    }
    return true;
}

static bool parse_label(parse_state *st, char **tok, int n)
{
    if (n != 3) return fail(st, "expected 'label TEXT VALUE'");
    policy_label l;
    if (strlen(tok[1]) >= sizeof l.label) return fail(st, "label too long");
    strcpy(l.label, tok[1]);
    if (!parse_fix(st, tok[2], &l.value)) return false;
    policy *p = st->p;
    p->labels = xrealloc(p->labels, (size_t)(p->n_labels + 1) * sizeof *p->labels);
    p->labels[p->n_labels++] = l;
    return true;
}

static bool parse_reward(parse_state *st, char **tok, int n)
{
    if (n != 3) return fail(st, "expected 'reward KIND YUAN'");
    int money = 0;
    if (!parse_int(st, tok[2], 0, 100000000, &money)) return false;
    if (!strcmp(tok[1], "commendation")) st->p->reward_money[REWARD_COMMENDATION] = money;
    else if (!strcmp(tok[1], "third-class-merit")) st->p->reward_money[REWARD_THIRD_CLASS_MERIT] = money;
    else return fail(st, "unknown reward '%s'", tok[1]);
    return true;
}

static bool parse_line(parse_state *st, char **tok, int n)
{
    policy *p = st->p;
    const char *k = tok[0];
    if (!strcmp(k, "ratio")) return parse_ratio_rule(st, tok, n, false);
    if (!strcmp(k, "adjust")) return parse_ratio_rule(st, tok, n, true);
    if (!strcmp(k, "score")) return parse_score(st, tok, n);
    if (!strcmp(k, "label")) return parse_label(st, tok, n);
    if (!strcmp(k, "reward")) return parse_reward(st, tok, n);
    if (!strcmp(k, "title")) {
        /* the title is free text: re-join the tokens */
        p->title[0] = '\0';
        for (int i = 1; i < n; i++) {
            if (i > 1) strncat(p->title, " ", sizeof p->title - strlen(p->title) - 1);
            strncat(p->title, tok[i], sizeof p->title - strlen(p->title) - 1);
        }
        return true;
    }
    if (n != 2) return fail(st, "expected one value after '%s'", k);
    const char *v = tok[1];
    if (!strcmp(k, "name")) {
        if (strlen(v) >= sizeof p->name) return fail(st, "name too long");
        strcpy(p->name, v);
        return true;
    }
    if (!strcmp(k, "max-ratio")) return parse_fix(st, v, &p->max_ratio);
    if (!strcmp(k, "split-leaders")) return parse_bool(st, v, &p->split_leaders);
    if (!strcmp(k, "min-one")) return parse_bool(st, v, &p->min_one);
    if (!strcmp(k, "notice-days")) return parse_int(st, v, 1, 366, &p->notice_days);
    if (!strcmp(k, "posting-days")) return parse_int(st, v, 0, 366, &p->posting_days);
    if (!strcmp(k, "seconded-below-months")) return parse_int(st, v, 0, 13, &p->seconded_below_months);
    if (!strcmp(k, "leave-above-months")) return parse_int(st, v, 0, 12, &p->leave_above_months);
    if (!strcmp(k, "bar-warning")) return parse_bool(st, v, &p->bar_warning);
    if (!strcmp(k, "bar-accident-leaders")) return parse_bool(st, v, &p->bar_accident_leaders);
    if (!strcmp(k, "merit-streak")) return parse_int(st, v, 1, 100, &p->merit_streak);
    if (!strcmp(k, "advanced-min-one")) return parse_bool(st, v, &p->advanced_min_one);
    if (!strcmp(k, "unqualified-below")) {
        p->has_unqualified_below = true;
        return parse_fix(st, v, &p->unqualified_below);
    }
    if (!strcmp(k, "advanced-ratio")) {
        p->has_advanced = true;
        return parse_fix(st, v, &p->advanced_ratio);
    }
    return fail(st, "unknown setting '%s'", k);
}

policy *policy_parse(const char *text, size_t len, const char *origin, char *err, size_t errlen)
{
    policy *p = xcalloc(1, sizeof *p);
    /* Defaults: the SPEC's code thresholds, national notice length. */
    p->max_ratio = FIX_ONE;
    p->notice_days = 5;
    p->seconded_below_months = 6;
    p->leave_above_months = 6;
    p->bar_warning = true;
    p->merit_streak = 3;
    parse_state st = { p, origin, 0, err, errlen };
    char *buf = xmalloc(len + 1);
    memcpy(buf, text, len);
    buf[len] = '\0';
    bool ok = true;
    if (!utf8_valid(buf, len)) {
        st.line = 1;
        ok = fail(&st, "not valid UTF-8");
    }
    char *line = buf;
    while (ok && line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        st.line++;
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        char *tok[MAX_TOKENS];
        int n = 0;
        for (char *s2 = NULL, *t = strtok_r(line, " \t\r", &s2); t; t = strtok_r(NULL, " \t\r", &s2)) {
            if (n == MAX_TOKENS) { ok = fail(&st, "too many words on a line"); break; }
            tok[n++] = t;
        }
        if (ok && n > 0) ok = parse_line(&st, tok, n);
        line = nl ? nl + 1 : NULL;
    }
    if (ok && !p->name[0]) ok = fail(&st, "missing 'name'");
    if (ok && p->n_rules == 0) ok = fail(&st, "no 'ratio' rules");
    free(buf);
    if (!ok) {
        policy_free(p);
        return NULL;
    }
    return p;
}

policy *policy_load(const char *ref, const char *dir, char *err, size_t errlen)
{
    char path[4096];
    size_t rl = strlen(ref);
    bool is_path = strchr(ref, '/') || (rl > 7 && !strcmp(ref + rl - 7, ".policy"));
    if (is_path) snprintf(path, sizeof path, "%s", ref);
    else {
        for (const char *c = ref; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                  *c == '-' || *c == '_' || *c == '.')) {
                snprintf(err, errlen, "%s", ref);
                return NULL;
            }
        snprintf(path, sizeof path, "%s/%s.policy", dir, ref);
    }
    sbuf b = { 0 };
    int e = sbuf_read_file(&b, path, 1u << 20);
    policy *p = NULL;
    if (e) snprintf(err, errlen, "%s: %s", path, e == EFBIG ? "file too large" : strerror(e));
    else p = policy_parse(b.data ? b.data : "", b.len, path, err, errlen);
    sbuf_free(&b);
    return p;
}

void policy_free(policy *p)
{
    if (!p) return;
    free(p->rules);
    free(p->terms);
    free(p->labels);
    free(p);
}

static bool cond_holds(const policy_cond *c, const unit *u, perf_grade_t perf)
{
    switch (c->kind) {
    case COND_ALWAYS: return true;
    case COND_PERFORMANCE: return (c->mask >> perf) & 1u;
    case COND_ROUTINE: return (c->mask >> u->routine) & 1u;
    case COND_COLLECTIVE_MERIT: return u->collective_merit;
    case COND_MAJOR_ACCIDENT: return u->major_accident;
    }
    return false;
}

fix6 policy_bucket_ratio(const policy *p, const unit *u, perf_grade_t perf, group_t g, int leader)
{
    /* Without split buckets a group's bucket takes the staff line; presets
     * that split always say both. */
    unsigned bit = 1u << (g * 2 + (p->split_leaders && leader == 1 ? 1 : 0));
    fix6 ratio = 0;
    for (int i = 0; i < p->n_rules; i++) {
        const policy_ratio_rule *r = &p->rules[i];
        if (!(r->sel & bit) || !cond_holds(&r->cond, u, perf)) continue;
        ratio = r->adjust ? ratio + r->value : r->value;
    }
    return ratio < 0 ? 0 : ratio;
}

bool policy_has_score(const policy *p) { return p->n_terms > 0; }

bool policy_component_value(const policy *p, const char *text, fix6 *out)
{
    for (int i = 0; i < p->n_labels; i++)
        if (!strcmp(p->labels[i].label, text)) {
            *out = p->labels[i].value;
            return true;
        }
    return fix6_parse(text, out);
}

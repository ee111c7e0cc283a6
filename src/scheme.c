/* scheme — see scheme.h. The file format is line-based (one declaration a
 * line, '#' comments, "double quotes" around a word with spaces); unknown
 * keywords are errors, so a typo never silently changes a score. */
#include "scheme.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 48
#define MAX_FILE (1u << 20)
#define POINTS_LIMIT (1000000 * FIX_ONE)      /* |points| a scheme may write */
#define SAT_LIMIT ((fix6)4000000000000000000LL)

typedef enum { REF_ITEM, REF_VETO, REF_SECTION, REF_GROUP, REF_CHOICE } ref_kind;

struct scheme_ref {
    const char *ref;
    ref_kind kind;
    int idx;
};

/* ---- parsing ---------------------------------------------------------- */

typedef struct parse_state {
    scheme *s;
    const char *origin;
    int line;
    int section;             /* current section, -1 before the first */
    int *section_line, *grade_line;   /* for end-of-file messages */
    char *err;
    size_t errlen;
} parse_state;

static bool fail_atv(parse_state *st, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static bool fail_at(parse_state *st, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(parse_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report a problem at a line of the scheme file; always false. */
static bool fail_atv(parse_state *st, int line, const char *fmt, va_list ap)
{
    char what[300];
    vsnprintf(what, sizeof what, fmt, ap);
    snprintf(st->err, st->errlen, "%s:%d: %s", st->origin, line, what);
    return false;
}

static bool fail_at(parse_state *st, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_atv(st, line, fmt, ap);
    va_end(ap);
    return false;
}

static bool fail(parse_state *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_atv(st, st->line, fmt, ap);
    va_end(ap);
    return false;
}

#define GROW(arr, n) ((arr) = xrealloc((arr), (size_t)((n) + 1) * sizeof *(arr)), &(arr)[(n)++])

static bool parse_points(parse_state *st, const char *tok, fix6 *out)
{
    if (!fix6_parse(tok, out) || *out > POINTS_LIMIT || *out < -POINTS_LIMIT)
        return fail(st, "bad number '%s'", tok);
    return true;
}

static bool parse_positive(parse_state *st, const char *tok, fix6 *out)
{
    if (!parse_points(st, tok, out)) return false;
    if (*out <= 0) return fail(st, "expected a number above 0, got '%s'", tok);
    return true;
}

static bool parse_count(parse_state *st, const char *tok, long long max, long *out)
{
    long long v;
    if (!parse_int_range(tok, 1, max, &v)) return fail(st, "bad count '%s'", tok);
    *out = (long)v;
    return true;
}

static bool valid_ref(const char *r)
{
    size_t n = strlen(r);
    if (n == 0 || n > SCHEME_REF_MAX) return false;
    for (; *r; r++)
        if (!((*r >= 'a' && *r <= 'z') || (*r >= 'A' && *r <= 'Z') || (*r >= '0' && *r <= '9') ||
              *r == '_' || *r == '.' || *r == '-'))
            return false;
    return true;
}

/* Register an id in the one namespace of the scheme and copy it to dst. */
static bool add_ref(parse_state *st, const char *ref, ref_kind kind, int idx, char *dst)
{
    if (!valid_ref(ref)) return fail(st, "bad id '%s' (letters, digits, _ . -; at most 64)", ref);
    scheme *s = st->s;
    for (int i = 0; i < s->n_index; i++)
        if (!strcmp(s->index[i].ref, ref)) return fail(st, "id '%s' is already used", ref);
    strcpy(dst, ref);
    struct scheme_ref *r = GROW(s->index, s->n_index);
    r->ref = arena_strdup(&s->mem, ref);   /* stable while the arrays move */
    r->kind = kind;
    r->idx = idx;
    return true;
}

static const char *dup_label(parse_state *st, const char *tok)
{
    return arena_strdup(&st->s->mem, tok);
}

/* The rest of a line from token i, joined by single spaces. */
static const char *join_rest(parse_state *st, char **tok, int i, int n)
{
    sbuf b = { 0 };
    for (int k = i; k < n; k++) {
        if (k > i) sbuf_putc(&b, ' ');
        sbuf_puts(&b, tok[k]);
    }
    const char *r = arena_strdup(&st->s->mem, b.data ? b.data : "");
    sbuf_free(&b);
    return r;
}

static int find_in(parse_state *st, const char *ref, ref_kind kind)
{
    for (int i = 0; i < st->s->n_index; i++)
        if (st->s->index[i].kind == kind && !strcmp(st->s->index[i].ref, ref)) return st->s->index[i].idx;
    return -1;
}

/* choice ID LABEL */
static bool parse_choice(parse_state *st, char **tok, int n)
{
    if (n != 3) return fail(st, "expected 'choice ID LABEL'");
    scheme *s = st->s;
    scheme_choice *c = GROW(s->choices, s->n_choices);
    memset(c, 0, sizeof *c);
    c->label = dup_label(st, tok[2]);
    return add_ref(st, tok[1], REF_CHOICE, s->n_choices - 1, c->id);
}

static bool parse_mode(parse_state *st, const char *tok, scheme_mode *m)
{
    static const char *const modes[] = { "score", "deduct", "award", "adjust" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(tok, modes[i])) { *m = (scheme_mode)i; return true; }
    return fail(st, "unknown mode '%s' (score, deduct, award, adjust)", tok);
}

/* section ID LABEL MODE MAX|none [overflow] [choice ID] */
static bool parse_section(parse_state *st, char **tok, int n)
{
    if (n < 5) return fail(st, "expected 'section ID LABEL MODE MAX [overflow] [choice ID]'");
    scheme *s = st->s;
    scheme_section sec = { .choice = -1, .first_item = s->n_items };
    sec.label = dup_label(st, tok[2]);
    if (!parse_mode(st, tok[3], &sec.mode)) return false;
    if (strcmp(tok[4], "none")) {
        if (!parse_positive(st, tok[4], &sec.max)) return false;
        sec.has_max = true;
    } else if (sec.mode != SCHEME_ADJUST) {
        return fail(st, "only an adjust section may have no maximum");
    }
    for (int i = 5; i < n; i++) {
        if (!strcmp(tok[i], "overflow") && sec.mode == SCHEME_DEDUCT) sec.overflow = true;
        else if (!strcmp(tok[i], "overflow")) return fail(st, "only a deduct section may overflow");
        else if (!strcmp(tok[i], "choice") && i + 1 < n) {
            sec.choice = find_in(st, tok[++i], REF_CHOICE);
            if (sec.choice < 0) return fail(st, "unknown choice '%s' (declare it first)", tok[i]);
        } else return fail(st, "unexpected '%s'", tok[i]);
    }
    st->section = s->n_sections;
    st->section_line = xrealloc(st->section_line, (size_t)(s->n_sections + 1) * sizeof *st->section_line);
    st->section_line[s->n_sections] = st->line;
    scheme_section *dst = GROW(s->sections, s->n_sections);
    *dst = sec;
    return add_ref(st, tok[1], REF_SECTION, s->n_sections - 1, dst->id);
}

/* group ID LABEL CAP */
static bool parse_group(parse_state *st, char **tok, int n)
{
    if (n != 4) return fail(st, "expected 'group ID LABEL CAP'");
    if (st->section < 0) return fail(st, "a group must follow a section");
    scheme *s = st->s;
    scheme_group g = { .section = st->section };
    g.label = dup_label(st, tok[2]);
    if (!parse_positive(st, tok[3], &g.cap)) return false;
    scheme_group *dst = GROW(s->groups, s->n_groups);
    *dst = g;
    return add_ref(st, tok[1], REF_GROUP, s->n_groups - 1, dst->id);
}

/* The per-occurrence points or the given range, checked against the mode. */
static bool check_item_points(parse_state *st, const scheme_item *it, scheme_mode mode)
{
    if (it->given) {
        if (it->min > it->max) return fail(st, "given range is empty");
        if (mode != SCHEME_ADJUST && it->min < 0) return fail(st, "given points must not be negative here");
        return true;
    }
    if (mode == SCHEME_SCORE) return fail(st, "a score section takes points given ('given MIN MAX')");
    if (it->per == 0) return fail(st, "points per occurrence must not be 0");
    if (mode != SCHEME_ADJUST && it->per < 0) return fail(st, "points per occurrence must be above 0 here");
    return true;
}

/* item REF LABEL (POINTS | given MIN MAX) [cap N] [group ID] [full-at N] */
static bool parse_item(parse_state *st, char **tok, int n)
{
    if (n < 4) return fail(st, "expected 'item REF LABEL POINTS|given MIN MAX [cap N] [group ID] [full-at N]'");
    if (st->section < 0) return fail(st, "an item must follow a section");
    scheme *s = st->s;
    scheme_item it = { .section = st->section, .group = -1 };
    it.label = dup_label(st, tok[2]);
    int i = 4;
    if (!strcmp(tok[3], "given")) {
        if (n < 6) return fail(st, "expected 'given MIN MAX'");
        it.given = true;
        if (!parse_points(st, tok[4], &it.min) || !parse_points(st, tok[5], &it.max)) return false;
        i = 6;
    } else if (!parse_points(st, tok[3], &it.per)) {
        return false;
    }
    for (; i < n; i++) {
        if (i + 1 >= n) return fail(st, "'%s' needs a value", tok[i]);
        if (!strcmp(tok[i], "cap")) {
            if (!parse_positive(st, tok[++i], &it.cap)) return false;
            it.has_cap = true;
        } else if (!strcmp(tok[i], "group")) {
            it.group = find_in(st, tok[++i], REF_GROUP);
            if (it.group < 0 || s->groups[it.group].section != st->section)
                return fail(st, "no group '%s' in this section", tok[i]);
        } else if (!strcmp(tok[i], "full-at")) {
            if (!parse_count(st, tok[++i], 1000000, &it.full_at)) return false;
        } else return fail(st, "unexpected '%s'", tok[i]);
    }
    if (!check_item_points(st, &it, s->sections[st->section].mode)) return false;
    if (it.full_at && (it.given || !it.has_cap)) return fail(st, "full-at needs a counted item with a cap");
    s->sections[st->section].n_items++;
    scheme_item *dst = GROW(s->items, s->n_items);
    *dst = it;
    return add_ref(st, tok[1], REF_ITEM, s->n_items - 1, dst->ref);
}

/* veto REF LABEL (deduct N | bar | fail) */
static bool parse_veto(parse_state *st, char **tok, int n)
{
    scheme_veto v = { 0 };
    if (n == 5 && !strcmp(tok[3], "deduct")) {
        v.kind = SCHEME_VETO_DEDUCT;
        if (!parse_positive(st, tok[4], &v.points)) return false;
    } else if (n == 4 && !strcmp(tok[3], "bar")) v.kind = SCHEME_VETO_BAR;
    else if (n == 4 && !strcmp(tok[3], "fail")) v.kind = SCHEME_VETO_FAIL;
    else return fail(st, "expected 'veto REF LABEL deduct N|bar|fail'");
    v.label = dup_label(st, tok[2]);
    scheme *s = st->s;
    scheme_veto *dst = GROW(s->vetoes, s->n_vetoes);
    *dst = v;
    return add_ref(st, tok[1], REF_VETO, s->n_vetoes - 1, dst->ref);
}

/* "5" (every series) or "1:5,2:10,3:5". */
static bool parse_top(parse_state *st, char *list, scheme_grade *g)
{
    g->has_top = true;
    if (!strchr(list, ':')) {
        long v = 0;
        if (!parse_count(st, list, 1000000, &v)) return false;
        g->top_all = (int)v;
        return true;
    }
    for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(t, ':'), num[32];
        long long series, places;
        if (!colon || (size_t)(colon - t) >= sizeof num) return fail(st, "bad SERIES:N '%s'", t);
        memcpy(num, t, (size_t)(colon - t));
        num[colon - t] = '\0';
        if (!parse_int_range(num, 0, 1000000, &series) || !parse_int_range(colon + 1, 1, 1000000, &places))
            return fail(st, "bad SERIES:N '%s'", t);
        scheme_top *top = GROW(g->tops, g->n_tops);
        top->series = (int)series;
        top->n = (int)places;
    }
    return true;
}

static bool parse_perf(parse_state *st, const char *tok, perf_grade_t *out)
{
    static const char *const perf[] = { "none", "excellent", "qualified", "unqualified" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(tok, perf[i])) { *out = (perf_grade_t)i; return true; }
    return fail(st, "unknown grade '%s' (excellent, qualified, unqualified, none)", tok);
}

static bool parse_grade_options(parse_state *st, char **tok, int n, scheme_grade *g)
{
    for (int i = 3; i < n; i++) {
        if (!strcmp(tok[i], "note")) {
            g->note = join_rest(st, tok, i + 1, n);
            return true;
        }
        if (i + 1 >= n) return fail(st, "'%s' needs a value", tok[i]);
        const char *k = tok[i++];
        if (!strcmp(k, "min")) { g->has_min = true; if (!parse_points(st, tok[i], &g->min)) return false; }
        else if (!strcmp(k, "below")) { g->has_below = true; if (!parse_points(st, tok[i], &g->below)) return false; }
        else if (!strcmp(k, "top") && !g->has_top) { if (!parse_top(st, tok[i], g)) return false; }
        else if (!strcmp(k, "bottom")) {
            long v = 0;
            if (!parse_count(st, tok[i], 1000000, &v)) return false;
            g->bottom = (int)v;
        } else return fail(st, "unexpected '%s'", k);
    }
    return true;
}

/* grade PERF LABEL [min X] [below X] [top N|S:N,...] [bottom N] [note TEXT...] */
static bool parse_grade(parse_state *st, char **tok, int n)
{
    if (n < 3) return fail(st, "expected 'grade PERF LABEL [conditions] [note TEXT]'");
    scheme *s = st->s;
    st->grade_line = xrealloc(st->grade_line, (size_t)(s->n_grades + 1) * sizeof *st->grade_line);
    st->grade_line[s->n_grades] = st->line;
    scheme_grade *g = GROW(s->grades, s->n_grades);
    memset(g, 0, sizeof *g);
    g->note = "";
    g->label = dup_label(st, tok[2]);
    return parse_perf(st, tok[1], &g->perf) && parse_grade_options(st, tok, n, g);
}

static bool parse_line(parse_state *st, char **tok, int n)
{
    scheme *s = st->s;
    const char *k = tok[0];
    if (!strcmp(k, "section")) return parse_section(st, tok, n);
    if (!strcmp(k, "item")) return parse_item(st, tok, n);
    if (!strcmp(k, "group")) return parse_group(st, tok, n);
    if (!strcmp(k, "choice")) return parse_choice(st, tok, n);
    if (!strcmp(k, "veto")) return parse_veto(st, tok, n);
    if (!strcmp(k, "grade")) return parse_grade(st, tok, n);
    if (!strcmp(k, "title")) {
        s->title = join_rest(st, tok, 1, n);
        return true;
    }
    if (n != 2) return fail(st, "expected one value after '%s'", k);
    if (!strcmp(k, "name")) {
        if (!valid_ref(tok[1])) return fail(st, "bad name '%s'", tok[1]);
        strcpy(s->name, tok[1]);
        return true;
    }
    if (!strcmp(k, "full")) return parse_positive(st, tok[1], &s->full);
    return fail(st, "unknown keyword '%s'", k);
}

/* Split a line into words: blanks separate, "..." keeps blanks, '#' at the
 * start of a word begins a comment. Returns the count, -1 on error. */
static int tokenize(parse_state *st, char *line, char **tok)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r') p++;
        if (!*p || *p == '#') return n;
        if (n == MAX_TOKENS) return fail(st, "too many words on a line"), -1;
        if (*p == '"') {
            char *end = strchr(p + 1, '"');
            if (!end) return fail(st, "unterminated quote"), -1;
            *end = '\0';
            tok[n++] = p + 1;
            p = end + 1;
            if (*p && *p != ' ' && *p != '\t' && *p != '\r') return fail(st, "text after a closing quote"), -1;
            continue;
        }
        tok[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r') p++;
        if (*p) *p++ = '\0';
    }
}

/* Full marks of the sections: each counted section's max once, a choice's
 * alternatives (which must agree) once; adjust sections add nothing. */
static bool check_full(parse_state *st)
{
    scheme *s = st->s;
    fix6 sum = 0;
    for (int c = -1; c < s->n_choices; c++) {
        bool seen = false;
        fix6 first = 0;
        for (int i = 0; i < s->n_sections; i++) {
            const scheme_section *sec = &s->sections[i];
            if (sec->choice != c || sec->mode == SCHEME_ADJUST) continue;
            if (c < 0) sum += sec->max;
            else if (!seen) { seen = true; first = sec->max; sum += first; }
            else if (sec->max != first)
                return fail_at(st, st->section_line[i], "alternatives of choice '%s' must have one maximum",
                               s->choices[c].id);
        }
        if (c >= 0 && !seen) return fail_at(st, st->line, "choice '%s' has no section", s->choices[c].id);
    }
    if (sum != s->full) {
        char b[64];
        fix6_format_plain(sum, b, sizeof b);
        return fail_at(st, st->line, "'full' does not match the sections, which add up to %s", b);
    }
    return true;
}

static bool check_end(parse_state *st)
{
    scheme *s = st->s;
    if (!s->name[0]) return fail(st, "missing 'name'");
    if (!s->full) return fail(st, "missing 'full'");
    if (!s->n_sections) return fail(st, "no sections");
    for (int i = 0; i < s->n_sections; i++)
        if (!s->sections[i].n_items) return fail_at(st, st->section_line[i], "section '%s' has no items", s->sections[i].id);
    if (!s->n_grades) return fail(st, "no grade rules");
    const scheme_grade *last = &s->grades[s->n_grades - 1];
    int ll = st->grade_line[s->n_grades - 1];
    if (last->has_min || last->has_below || last->has_top || last->bottom)
        return fail_at(st, ll, "the last grade rule must have no conditions");
    if (last->perf == PERF_EXCELLENT) return fail_at(st, ll, "the last grade rule cannot be excellent");
    return check_full(st);
}

static int ref_cmp(const void *a, const void *b)
{
    return strcmp(((const struct scheme_ref *)a)->ref, ((const struct scheme_ref *)b)->ref);
}

static bool parse_lines(parse_state *st, char *buf)
{
    char *line = buf;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        st->line++;
        char *tok[MAX_TOKENS];
        int n = tokenize(st, line, tok);
        if (n < 0) return false;
        if (n > 0 && !parse_line(st, tok, n)) return false;
        line = nl ? nl + 1 : NULL;
    }
    return true;
}

scheme *scheme_parse(const char *text, size_t len, const char *origin, char *err, size_t errlen)
{
    scheme *s = xcalloc(1, sizeof *s);
    s->title = "";
    parse_state st = { s, origin, 0, -1, NULL, NULL, err, errlen };
    char *buf = xmalloc(len + 1);
    memcpy(buf, text, len);
    buf[len] = '\0';
    bool ok;
    if (!utf8_valid(buf, len) || memchr(buf, '\0', len)) {
        st.line = 1;
        ok = fail(&st, "not valid UTF-8 text");
    } else {
        ok = parse_lines(&st, buf) && check_end(&st);
    }
    free(buf);
    free(st.section_line);
    free(st.grade_line);
    if (!ok) {
        scheme_free(s);
        return NULL;
    }
    qsort(s->index, (size_t)s->n_index, sizeof *s->index, ref_cmp);
    return s;
}

scheme *scheme_load(const char *path, char *err, size_t errlen)
{
    sbuf b = { 0 };
    int e = sbuf_read_file(&b, path, MAX_FILE);
    scheme *s = NULL;
    if (e) snprintf(err, errlen, "%s: %s", path, e == EFBIG ? "file too large" : strerror(e));
    else s = scheme_parse(b.data ? b.data : "", b.len, path, err, errlen);
    sbuf_free(&b);
    return s;
}

void scheme_free(scheme *s)
{
    if (!s) return;
    free(s->sections);
    free(s->items);
    free(s->groups);
    free(s->choices);
    free(s->vetoes);
    for (int i = 0; i < s->n_grades; i++) free(s->grades[i].tops);
    free(s->grades);
    free(s->index);
    arena_free(&s->mem);
    free(s);
}

const char *scheme_name(const scheme *s) { return s->name; }

/* ---- the set of a run ------------------------------------------------- */

struct scheme_set {
    scheme **schemes;        /* sorted by name */
    size_t n;
};

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted "NAME.scheme" entries of dir; NULL with err on failure. */
static char **list_schemes(const char *dir, size_t *count, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return NULL;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l <= 7 || strcmp(e->d_name + l - 7, ".scheme") || e->d_name[0] == '.') continue;
        names = xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, name_cmp);
    *count = n;
    return names ? names : xcalloc(1, sizeof *names);
}

static scheme *load_named(const char *dir, const char *file, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    scheme *s = scheme_load(path, err, errlen);
    if (s && (strlen(file) != strlen(s->name) + 7 || strncmp(file, s->name, strlen(s->name)))) {
        snprintf(err, errlen, "%s: name '%s' does not match the file name", path, s->name);
        scheme_free(s);
        return NULL;
    }
    return s;
}

scheme_set *scheme_set_load_dir(const char *dir, char *err, size_t errlen)
{
    size_t n = 0;
    char **names = list_schemes(dir, &n, err, errlen);
    if (!names) return NULL;
    scheme_set *set = xcalloc(1, sizeof *set);
    set->schemes = xcalloc(n ? n : 1, sizeof *set->schemes);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (ok && !(set->schemes[set->n] = load_named(dir, names[i], err, errlen))) ok = false;
        else if (ok) set->n++;
        free(names[i]);
    }
    free(names);
    if (!ok) {
        scheme_set_free(set);
        return NULL;
    }
    return set;
}

const scheme *scheme_set_find(const scheme_set *set, const char *name)
{
    size_t lo = 0, hi = set ? set->n : 0;
    while (name && lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, set->schemes[mid]->name);
        if (!c) return set->schemes[mid];
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return NULL;
}

size_t scheme_set_count(const scheme_set *set) { return set ? set->n : 0; }

const scheme *scheme_set_at(const scheme_set *set, size_t i) { return set && i < set->n ? set->schemes[i] : NULL; }

void scheme_set_free(scheme_set *set)
{
    if (!set) return;
    for (size_t i = 0; i < set->n; i++) scheme_free(set->schemes[i]);
    free(set->schemes);
    free(set);
}

/* ---- scoring ---------------------------------------------------------- */

static fix6 sat(fix6 v) { return v > SAT_LIMIT ? SAT_LIMIT : v < -SAT_LIMIT ? -SAT_LIMIT : v; }

static fix6 sat_add(fix6 a, fix6 b)
{
    fix6 r;
    if (__builtin_add_overflow(a, b, &r)) return a > 0 ? SAT_LIMIT : -SAT_LIMIT;
    return sat(r);
}

static fix6 sat_mul(long count, fix6 per)
{
    fix6 r;
    if (__builtin_mul_overflow((fix6)count, per, &r)) return (per > 0) == (count > 0) ? SAT_LIMIT : -SAT_LIMIT;
    return sat(r);
}

static fix6 fix_abs(fix6 v) { return v < 0 ? -v : v; }

/* |v| limited to cap, sign kept. */
static fix6 limit(fix6 v, fix6 cap) { return v > cap ? cap : v < -cap ? -cap : v; }

static const struct scheme_ref *lookup(const scheme *s, const char *ref)
{
    struct scheme_ref key = { .ref = ref ? ref : "" };
    return bsearch(&key, s->index, (size_t)s->n_index, sizeof *s->index, ref_cmp);
}

static int set_error(scheme_error *e, const char *code, const char *a0, const char *a1, const char *a2,
                     const char *a3)
{
    const char *a[4] = { a0, a1, a2, a3 };
    memset(e, 0, sizeof *e);
    e->code = code;
    for (int i = 0; i < 4; i++) snprintf(e->arg[i], sizeof e->arg[i], "%s", a[i] ? a[i] : "");
    return -1;
}

static int range_error(const scheme_item *it, fix6 v, scheme_error *err)
{
    char val[40], lo[40], hi[40];
    fix6_format_plain(v, val, sizeof val);
    fix6_format_plain(it->min, lo, sizeof lo);
    fix6_format_plain(it->max, hi, sizeof hi);
    set_error(err, "ASSESSMENT_POINTS_RANGE", it->ref, it->label, val, lo);
    snprintf(err->arg[4], sizeof err->arg[4], "%s", hi);
    return -1;
}

/* Chosen section per choice: -1 none yet. */
static int choose(const scheme *s, int *chosen, int sec, scheme_error *err)
{
    int c = s->sections[sec].choice;
    if (c < 0 || chosen[c] == sec) return 0;
    if (chosen[c] >= 0)
        return set_error(err, "ASSESSMENT_CHOICE_TWICE", s->name, s->choices[c].label,
                         s->sections[chosen[c]].id, s->sections[sec].id);
    chosen[c] = sec;
    return 0;
}

static int take_item(const scheme *s, int idx, const struct assessment_item *in, scheme_result *r, int *chosen,
                     scheme_error *err)
{
    const scheme_item *it = &s->items[idx];
    scheme_line *l = &r->lines[idx];
    if (it->given) {
        if (!in->has_points || in->count != 0)
            return set_error(err, "ASSESSMENT_NEEDS_POINTS", it->ref, it->label, NULL, NULL);
        if (in->points < it->min || in->points > it->max) return range_error(it, in->points, err);
        l->given = true;
        l->points = sat_add(l->points, in->points);
    } else {
        if (in->has_points || in->count < 0)
            return set_error(err, "ASSESSMENT_NEEDS_COUNT", it->ref, it->label, NULL, NULL);
        l->count = l->count > 1000000000L - in->count ? 1000000000L : l->count + in->count;
    }
    return choose(s, chosen, it->section, err);
}

static int take_input(const scheme *s, const unit_assessment *in, scheme_result *r, int *chosen, scheme_error *err)
{
    for (int i = 0; i < in->n_items; i++) {
        const struct assessment_item *a = &in->items[i];
        const struct scheme_ref *ref = lookup(s, a->ref);
        int rc = 0;
        if (ref && ref->kind == REF_ITEM) rc = take_item(s, ref->idx, a, r, chosen, err);
        else if (ref && ref->kind == REF_VETO) {
            if (a->has_points || a->count < 0)
                return set_error(err, "ASSESSMENT_NEEDS_COUNT", a->ref, s->vetoes[ref->idx].label, NULL, NULL);
            long *c = &r->vetoes[ref->idx].count;
            *c = *c > 1000000000L - a->count ? 1000000000L : *c + a->count;
        } else if (ref && ref->kind == REF_SECTION && s->sections[ref->idx].choice >= 0)
            rc = choose(s, chosen, ref->idx, err);
        else
            return set_error(err, "ASSESSMENT_ITEM_UNKNOWN", s->name, a->ref, NULL, NULL);
        if (rc) return rc;
    }
    return 0;
}

static int check_choices(const scheme *s, const int *chosen, scheme_error *err)
{
    for (int c = 0; c < s->n_choices; c++) {
        if (chosen[c] >= 0) continue;
        char list[160] = "";
        for (int i = 0; i < s->n_sections; i++) {
            if (s->sections[i].choice != c) continue;
            size_t l = strlen(list);
            snprintf(list + l, sizeof list - l, "%s%s", l ? ", " : "", s->sections[i].id);
        }
        return set_error(err, "ASSESSMENT_CHOICE_MISSING", s->name, s->choices[c].label, list, NULL);
    }
    return 0;
}

/* Raw and capped points of every line; group caps filled in item order. */
static void score_lines(const scheme *s, scheme_result *r)
{
    fix6 *room = xmalloc((size_t)(s->n_groups ? s->n_groups : 1) * sizeof *room);
    for (int g = 0; g < s->n_groups; g++) room[g] = s->groups[g].cap;
    for (int i = 0; i < s->n_items; i++) {
        const scheme_item *it = &s->items[i];
        scheme_line *l = &r->lines[i];
        l->raw = it->given ? l->points : sat_mul(l->count, it->per);
        if (it->full_at && l->count >= it->full_at) l->raw = it->per < 0 ? -it->cap : it->cap;
        l->counted = it->has_cap ? limit(l->raw, it->cap) : l->raw;
        if (it->group >= 0) {
            l->counted = limit(l->counted, room[it->group]);
            room[it->group] -= fix_abs(l->counted);
        }
    }
    free(room);
}

static void score_section(const scheme *s, int i, const int *chosen, scheme_result *r)
{
    const scheme_section *sec = &s->sections[i];
    scheme_section_result *sr = &r->sections[i];
    sr->section = sec;
    sr->counted = sec->choice < 0 || chosen[sec->choice] == i;
    if (!sr->counted) return;
    for (int k = 0; k < sec->n_items; k++) sr->items = sat_add(sr->items, r->lines[sec->first_item + k].counted);
    switch (sec->mode) {
    case SCHEME_SCORE:
    case SCHEME_AWARD:
        sr->value = sr->items > sec->max ? sec->max : sr->items;
        break;
    case SCHEME_DEDUCT:
        sr->value = sr->items > sec->max ? 0 : sec->max - sr->items;
        if (sec->overflow && sr->items > sec->max) sr->overflow = sr->items - sec->max;
        break;
    case SCHEME_ADJUST:
        sr->value = sec->has_max ? limit(sr->items, sec->max) : sr->items;
        break;
    }
}

static void score_vetoes(const scheme *s, scheme_result *r)
{
    for (int i = 0; i < s->n_vetoes; i++) {
        scheme_veto_result *v = &r->vetoes[i];
        v->veto = &s->vetoes[i];
        if (!v->count) continue;
        if (v->veto->kind == SCHEME_VETO_DEDUCT) {
            v->deduction = sat_mul(v->count, v->veto->points);
            r->veto_deduction = sat_add(r->veto_deduction, v->deduction);
        } else if (v->veto->kind == SCHEME_VETO_BAR) r->barred = true;
        else r->failed = true;
    }
}

int scheme_score(const scheme *s, const unit_assessment *in, arena *mem, scheme_result *out, scheme_error *err)
{
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    out->scheme = s;
    out->n_lines = s->n_items;
    out->n_sections = s->n_sections;
    out->n_vetoes = s->n_vetoes;
    out->lines = arena_alloc(mem, (size_t)(s->n_items ? s->n_items : 1) * sizeof *out->lines);
    out->sections = arena_alloc(mem, (size_t)s->n_sections * sizeof *out->sections);
    out->vetoes = arena_alloc(mem, (size_t)(s->n_vetoes ? s->n_vetoes : 1) * sizeof *out->vetoes);
    for (int i = 0; i < s->n_items; i++) out->lines[i].item = &s->items[i];
    int *chosen = arena_alloc(mem, (size_t)(s->n_choices ? s->n_choices : 1) * sizeof *chosen);
    for (int c = 0; c < s->n_choices; c++) chosen[c] = -1;
    if (take_input(s, in, out, chosen, err) || check_choices(s, chosen, err)) return -1;
    score_lines(s, out);
    fix6 total = 0;
    for (int i = 0; i < s->n_sections; i++) {
        score_section(s, i, chosen, out);
        total = sat_add(total, out->sections[i].value);
        out->overflow = sat_add(out->overflow, out->sections[i].overflow);
    }
    score_vetoes(s, out);
    out->total = sat_add(sat_add(total, -out->overflow), -out->veto_deduction);
    return 0;
}

void scheme_error_format(const scheme_error *e, msg_lang lang, sbuf *b)
{
    if (!e->code) return;
    msg_format(b, lang, e->code, e->arg[0], e->arg[1], e->arg[2], e->arg[3], e->arg[4]);
}

/* ---- ranking ---------------------------------------------------------- */

static int order_cmp(const void *pa, const void *pb)
{
    const scheme_rank_entry *a = *(scheme_rank_entry *const *)pa, *b = *(scheme_rank_entry *const *)pb;
    if (a->series != b->series) return a->series < b->series ? -1 : 1;
    if (a->total != b->total) return a->total > b->total ? -1 : 1;
    return strcmp(a->unit_id ? a->unit_id : "", b->unit_id ? b->unit_id : "");
}

/* Places of a top rule in a series (0: none). */
static int top_places(const scheme_grade *g, int series)
{
    if (g->top_all) return g->top_all;
    for (int i = 0; i < g->n_tops; i++)
        if (g->tops[i].series == series) return g->tops[i].n;
    return 0;
}

static bool eligible(const scheme_grade *g, const scheme_rank_entry *e)
{
    if (e->failed) return false;
    if (e->barred && g->perf == PERF_EXCELLENT) return false;
    if (g->has_min && e->total < g->min) return false;
    if (g->has_below && e->total >= g->below) return false;
    return true;
}

static void apply_rule(const scheme *s, scheme_rank_entry *e, int r)
{
    e->rule = r;
    e->grade = r >= 0 ? s->grades[r].perf : PERF_NONE;
    e->label = r >= 0 ? s->grades[r].label : "";
    e->note = r >= 0 ? s->grades[r].note : "";
}

/* Grade the units of one series, given in rank order. */
static void grade_series(const scheme *s, scheme_rank_entry **u, size_t n, int *seen)
{
    for (int r = 0; r < s->n_grades; r++) seen[r] = 0;
    for (size_t i = 0; i < n; i++) {
        scheme_rank_entry *e = u[i];
        e->rank = (int)i + 1;
        e->series_size = (int)n;
        int pick = e->failed ? s->n_grades - 1 : -1;
        for (int r = 0; r < s->n_grades; r++) {
            const scheme_grade *g = &s->grades[r];
            if (!eligible(g, e)) continue;
            if (g->has_top) seen[r]++;
            if (pick >= 0) continue;
            if (g->has_top && seen[r] > top_places(g, e->series)) continue;
            if (g->bottom && (int)(n - i) > g->bottom) continue;
            pick = r;
        }
        apply_rule(s, e, pick);
    }
}

void scheme_rank(const scheme *s, scheme_rank_entry *e, size_t n)
{
    if (!n) return;
    scheme_rank_entry **order = xmalloc(n * sizeof *order);
    int *seen = xmalloc((size_t)s->n_grades * sizeof *seen);
    for (size_t i = 0; i < n; i++) order[i] = &e[i];
    qsort(order, n, sizeof *order, order_cmp);
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && order[end]->series == order[start]->series) end++;
        grade_series(s, order + start, end - start, seen);
        start = end;
    }
    free(seen);
    free(order);
}

int scheme_rank_cmp(const void *pa, const void *pb)
{
    const scheme_rank_entry *a = pa, *b = pb;
    if (a->series != b->series) return a->series < b->series ? -1 : 1;
    return (a->rank > b->rank) - (a->rank < b->rank);
}

const char *scheme_mode_key(scheme_mode m)
{
    static const char *const k[] = { "score", "deduct", "award", "adjust" };
    return (unsigned)m < 4 ? k[m] : "";
}

const char *scheme_veto_key(scheme_veto_kind v)
{
    static const char *const k[] = { "deduct", "bar", "fail" };
    return (unsigned)v < 3 ? k[v] : "";
}

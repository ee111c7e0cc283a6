/* assess — see assess.h. */
#include "assess.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rfile.h"

typedef struct entry {
    char *id, *name;
    const scheme *s;
    scheme_rank_entry rank;
} entry;

struct assess_run {
    scheme_set *schemes;
    entry *e;                    /* sorted by id after the pre-pass */
    size_t n, cap;
    strset seen;
    msg_lang lang;
    sbuf problems;               /* "unit id: message" lines of units that could not be scored */
    /* the ranking table: entries ordered by scheme, series, rank */
    scheme_rank_entry *table;
    const char **table_scheme, **table_name;
};

/* Does the file mention an assessment at all? A plain byte scan, so runs
 * without unit appraisal pay one sequential read, not a parse. */
static bool mentions_assessment(const char *path)
{
    FILE *f = rfile_fopen(path, LLONG_MAX, RFILE_FOLLOW);   /* a FIFO would block fopen() */
    if (!f) return false;
    static const char word[] = "assessment";
    char buf[(1 << 16) + sizeof word];
    size_t keep = 0, got;
    bool hit = false;
    while (!hit && (got = fread(buf + keep, 1, sizeof buf - keep - 1, f)) > 0) {
        size_t len = keep + got;
        buf[len] = '\0';
        for (size_t i = 0; i + sizeof word - 1 <= len && !hit; i++)
            hit = buf[i] == 'a' && !memcmp(buf + i, word, sizeof word - 1);
        keep = len < sizeof word ? len : sizeof word - 1;
        memmove(buf, buf + len - keep, keep);
    }
    fclose(f);
    return hit;
}

static int collect(unit *u, void *arg)
{
    assess_run *a = arg;
    if (u->assessment.present && strset_add(&a->seen, u->id)) {
        const scheme *s = scheme_set_find(a->schemes, u->assessment.scheme);
        scheme_result r;
        scheme_error e;
        if (!s || scheme_score(s, &u->assessment, &u->mem, &r, &e) != 0) {
            sbuf_printf(&a->problems, "%s\t", u->id);
            if (s) scheme_error_format(&e, a->lang, &a->problems);
            else msg_format(&a->problems, a->lang, "ASSESSMENT_SCHEME_UNKNOWN", u->assessment.scheme);
            sbuf_printf(&a->problems, " [%s]\n", s ? e.code : "ASSESSMENT_SCHEME_UNKNOWN");
        } else {
            if (a->n == a->cap) {
                a->cap = a->cap ? a->cap * 2 : 64;
                a->e = xrealloc(a->e, a->cap * sizeof *a->e);
            }
            entry *x = &a->e[a->n++];
            memset(x, 0, sizeof *x);
            x->id = xstrdup(u->id);
            x->name = xstrdup(u->name ? u->name : "");
            x->s = s;
            x->rank.series = u->series;
            x->rank.total = r.total;
            x->rank.barred = r.barred;
            x->rank.failed = r.failed;
        }
    }
    model_unit_free(u);
    free(u);
    return 0;
}

static int by_id(const void *x, const void *y)
{
    return strcmp(((const entry *)x)->id, ((const entry *)y)->id);
}

/* scheme_rank over each scheme's entries (copied out and back: it keeps order). */
static void rank_all(assess_run *a)
{
    scheme_rank_entry *tmp = xcalloc(a->n ? a->n : 1, sizeof *tmp);
    size_t *idx = xcalloc(a->n ? a->n : 1, sizeof *idx);
    for (size_t k = 0; k < scheme_set_count(a->schemes); k++) {
        const scheme *s = scheme_set_at(a->schemes, k);
        size_t m = 0;
        for (size_t i = 0; i < a->n; i++)
            if (a->e[i].s == s) {
                idx[m] = i;
                tmp[m] = a->e[i].rank;
                tmp[m].unit_id = a->e[i].id;
                m++;
            }
        if (!m) continue;
        scheme_rank(s, tmp, m);
        for (size_t j = 0; j < m; j++) a->e[idx[j]].rank = tmp[j];
    }
    free(tmp);
    free(idx);
}

static int by_table(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    int c = strcmp(scheme_name(a->s), scheme_name(b->s));
    return c ? c : scheme_rank_cmp(&a->rank, &b->rank);
}

static void build_table(assess_run *a)
{
    entry *sorted = xmalloc((a->n ? a->n : 1) * sizeof *sorted);
    /* a->e is NULL when every assessed unit failed to score */
    if (a->n) memcpy(sorted, a->e, a->n * sizeof *sorted);
    if (a->n) qsort(sorted, a->n, sizeof *sorted, by_table);
    a->table = xcalloc(a->n ? a->n : 1, sizeof *a->table);
    a->table_scheme = xcalloc(a->n ? a->n : 1, sizeof *a->table_scheme);
    a->table_name = xcalloc(a->n ? a->n : 1, sizeof *a->table_name);
    for (size_t i = 0; i < a->n; i++) {
        a->table[i] = sorted[i].rank;
        a->table_scheme[i] = scheme_name(sorted[i].s);
        a->table_name[i] = sorted[i].name;
    }
    free(sorted);
}

assess_run *assess_prepass(const char *schemes_dir, char *const *files, int n_files,
                           const ingest_schema *schema, msg_lang lang, sbuf *err)
{
    bool any = false;
    for (int i = 0; i < n_files && !any; i++) any = mentions_assessment(files[i]);
    if (!any) return NULL;
    char e[1024];
    scheme_set *set = scheme_set_load_dir(schemes_dir, e, sizeof e);
    if (!set) {
        msg_format(err, lang, "SCHEME_INVALID", e);
        return NULL;
    }
    assess_run *a = xcalloc(1, sizeof *a);
    a->schemes = set;
    a->lang = lang;
    for (int i = 0; i < n_files; i++) {
        sbuf ignored = { 0 };
        file_header hdr;
        if (ingest_validate(files[i], schema, lang, &ignored) == 0) {
            ingest_read(files[i], &hdr, collect, a, lang, &ignored);
            ingest_header_free(&hdr);
        }
        sbuf_free(&ignored);
    }
    strset_free(&a->seen);
    rank_all(a);
    for (size_t i = 0; i < a->n; i++) a->e[i].rank.unit_id = a->e[i].id;
    build_table(a);
    if (a->n) qsort(a->e, a->n, sizeof *a->e, by_id);
    for (size_t i = 0; i < a->n; i++) a->e[i].rank.unit_id = a->e[i].id;
    return a;
}

void assess_free(assess_run *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->e[i].id);
        free(a->e[i].name);
    }
    free(a->e);
    free(a->table);
    free(a->table_scheme);
    free(a->table_name);
    sbuf_free(&a->problems);
    scheme_set_free(a->schemes);
    free(a);
}

void assess_apply(const assess_run *a, unit *u, msg_lang lang)
{
    unit_assessment *as = &u->assessment;
    if (!as->present) return;
    const scheme *s = a ? scheme_set_find(a->schemes, as->scheme) : NULL;
    sbuf m = { 0 };
    if (!s) {
        msg_format(&m, lang, "ASSESSMENT_SCHEME_UNKNOWN", as->scheme);
        model_add_finding(u, "ASSESSMENT_SCHEME_UNKNOWN", SEV_ERROR, NULL, m.data);
        sbuf_free(&m);
        return;
    }
    scheme_result *r = arena_alloc(&u->mem, sizeof *r);
    scheme_error e;
    if (scheme_score(s, as, &u->mem, r, &e) != 0) {
        scheme_error_format(&e, lang, &m);
        model_add_finding(u, e.code, SEV_ERROR, NULL, m.data);
        sbuf_free(&m);
        return;
    }
    entry key = { .id = (char *)u->id };
    const entry *x = bsearch(&key, a->e, a->n, sizeof *a->e, by_id);
    if (!x || x->s != s) return;   /* a repeated id: that unit is in error already */
    as->computed = true;
    as->total = r->total;
    as->rank = x->rank.rank;
    as->series_size = x->rank.series_size;
    as->grade = x->rank.grade;
    as->label = x->rank.label;
    as->note = x->rank.note;
    as->result = r;
}

size_t assess_entries(const assess_run *a, const scheme_rank_entry **out, const char *const **scheme_names,
                      const char *const **unit_names)
{
    if (!a) return 0;
    *out = a->table;
    *scheme_names = a->table_scheme;
    *unit_names = a->table_name;
    return a->n;
}

const char *assess_problems(const assess_run *a)
{
    return a && a->problems.len ? a->problems.data : "";
}

const char *assess_scheme_title(const assess_run *a, const char *name)
{
    const scheme *s = a ? scheme_set_find(a->schemes, name) : NULL;
    return s && s->title ? s->title : "";
}

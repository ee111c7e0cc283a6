/* summary — see summary.h. results.xml is read with libxml2's streaming
 * reader: memory grows with the number of units (one short row each), never
 * with the number of persons. */
#include "summary.h"
#include "msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlreader.h>

#define RESULTS_NS "urn:kaohe:results:1"

enum { C_PART, C_PLACES, C_EXC, C_COMP, C_BASIC, C_INCOMP, C_UNDET, C_ABSENT, C_NCOUNTS };
static const char *const COUNT_FIELDS[C_NCOUNTS] = {
    "participants", "places", "excellent", "competent", "basic", "incompetent", "undetermined", "absent",
};

/* A unit's <assessment> (SPEC 5): its line of the ranking table. */
typedef struct ranked {
    bool present;
    char *scheme, *grade, *label, *note;
    long series, of, rank;
    fix6 total;
} ranked;

typedef struct summary_row {
    char *id, *name, *issues;
    bool error;
    long count[C_NCOUNTS];
    fix6 cap;
    ranked as;
} summary_row;

struct summary {
    char year[16], policy[80], date[16];
    char **policies;              /* every unit's policy, each once, first seen first */
    size_t n_policies;
    sbuf policy_list;             /* policies joined by "；" */
    summary_row *rows;
    size_t n, capacity;
    long total[C_NCOUNTS];
    __int128 cap_weight;          /* Σ participants × cap, for the totals' cap */
    const summary_row **ranking;  /* rows with an <assessment>: scheme, series, rank, id */
    size_t n_ranked;
    char buf[64];                 /* a formatted number, valid until the next call */
};

static char *get_attr(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static long long_attr(xmlTextReaderPtr r, const char *name)
{
    char *v = get_attr(r, name);
    long long x = 0;
    if (v && !parse_int_range(v, 0, 1000000000000LL, &x)) x = 0;
    free(v);
    return (long)x;
}

/* Findings of a unit as the 问题 column, in Chinese words: each error's message (why the unit
 * has no forms), then the warnings' titles (msg_title) with how often they occur. */
typedef struct issues {
    sbuf errors;
    struct { char code[48]; long n; } warn[16];
    int nwarn;
    long nwarn_total;
} issues;

static void issues_add(issues *is, const char *code, bool error, const char *text)
{
    if (error) {
        if (is->errors.len) sbuf_puts(&is->errors, "；");
        /* the message says it in Chinese; its code is for the log, not the form */
        sbuf_puts(&is->errors, text && *text ? text : msg_title(LANG_ZH, code));
        return;
    }
    is->nwarn_total++;
    for (int i = 0; i < is->nwarn; i++)
        if (!strcmp(is->warn[i].code, code ? code : "")) { is->warn[i].n++; return; }
    if (is->nwarn == 16) return;
    snprintf(is->warn[is->nwarn].code, sizeof is->warn[is->nwarn].code, "%s", code ? code : "");
    is->warn[is->nwarn++].n = 1;
}

static char *issues_text(issues *is)
{
    sbuf b = {0};
    sbuf_puts(&b, "");
    if (is->errors.len) sbuf_printf(&b, "错误：%s", is->errors.data);
    if (is->nwarn_total) {
        if (b.len) sbuf_puts(&b, "\n");
        sbuf_printf(&b, "警告 %ld 条：", is->nwarn_total);
        for (int i = 0; i < is->nwarn; i++) {
            sbuf_printf(&b, "%s%s", i ? "；" : "", msg_title(LANG_ZH, is->warn[i].code));
            if (is->warn[i].n > 1) sbuf_printf(&b, "（%ld条）", is->warn[i].n);
        }
    }
    sbuf_free(&is->errors);
    memset(is, 0, sizeof *is);
    return b.data;
}

/* <assessment total rank grade scheme series of label [note]/> */
static void read_assessment(xmlTextReaderPtr r, ranked *as)
{
    free(as->scheme);
    free(as->grade);
    free(as->label);
    free(as->note);
    as->present = true;
    as->scheme = get_attr(r, "scheme");
    as->grade = get_attr(r, "grade");
    as->label = get_attr(r, "label");
    as->note = get_attr(r, "note");
    as->series = long_attr(r, "series");
    as->of = long_attr(r, "of");
    as->rank = long_attr(r, "rank");
    char *t = get_attr(r, "total");
    if (!t || !fix6_parse(t, &as->total)) as->total = 0;
    free(t);
}

/* Note the policy of a unit (results.xml's unit@policy; the root's for a
 * file written before units carried one), once. */
static void add_policy(summary *s, const char *name)
{
    if (!name || !*name) name = s->policy;
    if (!*name) return;
    for (size_t i = 0; i < s->n_policies; i++)
        if (!strcmp(s->policies[i], name)) return;
    s->policies = xrealloc(s->policies, (s->n_policies + 1) * sizeof *s->policies);
    s->policies[s->n_policies++] = xstrdup(name);
    if (s->policy_list.len) sbuf_puts(&s->policy_list, "；");
    sbuf_puts(&s->policy_list, name);
}

static void count_person(summary_row *row, const char *code, const char *grade)
{
    code = code ? code : "";
    grade = grade ? grade : "";
    if (!strcmp(code, "6A") || !strcmp(code, "7")) row->count[C_ABSENT]++;
    else if (code[0] == '5' || !strcmp(grade, "none")) row->count[C_UNDET]++;
    else if (!strcmp(grade, "excellent")) {}   /* counted from the buckets */
    else if (!strcmp(grade, "competent")) row->count[C_COMP]++;
    else if (!strcmp(grade, "basic")) row->count[C_BASIC]++;
    else if (!strcmp(grade, "incompetent")) row->count[C_INCOMP]++;
}

static summary_row *new_row(summary *s)
{
    if (s->n == s->capacity) {
        s->capacity = s->capacity ? s->capacity * 2 : 64;
        s->rows = xrealloc(s->rows, s->capacity * sizeof *s->rows);
    }
    summary_row *row = &s->rows[s->n++];
    memset(row, 0, sizeof *row);
    return row;
}

/* The unit's cap: its buckets' ratios weighted by their participants. */
static void finish_row(summary *s, summary_row *row, __int128 weight, issues *is)
{
    long part = row->count[C_PART];
    row->cap = part ? (fix6)((2 * weight + part) / (2 * (__int128)part)) : 0;   /* rounded half up */
    row->issues = issues_text(is);
    for (int c = 0; c < C_NCOUNTS; c++) s->total[c] += row->count[c];
    s->cap_weight += weight;
}

static bool read_results(summary *s, xmlTextReaderPtr r, sbuf *err, const char *path)
{
    summary_row *row = NULL;
    __int128 weight = 0;
    issues is = {0};
    bool root = false;
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        if (type == XML_READER_TYPE_END_ELEMENT && !strcmp(name, "unit") && row) {
            finish_row(s, row, weight, &is);
            row = NULL;
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT) continue;
        const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
        if (!ns || strcmp(ns, RESULTS_NS)) continue;
        if (!strcmp(name, "results")) {
            char *y = get_attr(r, "year"), *p = get_attr(r, "policy");
            snprintf(s->year, sizeof s->year, "%s", y ? y : "");
            snprintf(s->policy, sizeof s->policy, "%s", p ? p : "");
            free(y);
            free(p);
            root = true;
        } else if (!strcmp(name, "unit")) {
            row = new_row(s);
            row->id = get_attr(r, "id");
            row->name = get_attr(r, "name");
            char *st = get_attr(r, "status");
            row->error = st && !strcmp(st, "error");
            free(st);
            char *pol = get_attr(r, "policy");
            add_policy(s, pol);
            free(pol);
            weight = 0;
            if (xmlTextReaderIsEmptyElement(r)) { finish_row(s, row, weight, &is); row = NULL; }
        } else if (row && !strcmp(name, "assessment")) {
            read_assessment(r, &row->as);
        } else if (row && !strcmp(name, "bucket")) {
            long part = long_attr(r, "participants");
            row->count[C_PART] += part;
            row->count[C_PLACES] += long_attr(r, "places");
            row->count[C_EXC] += long_attr(r, "excellent");
            char *ratio = get_attr(r, "ratio");
            fix6 x = 0;
            if (ratio && fix6_parse(ratio, &x)) weight += (__int128)x * part;
            free(ratio);
        } else if (row && !strcmp(name, "person")) {
            char *code = get_attr(r, "code"), *grade = get_attr(r, "grade");
            count_person(row, code, grade);
            free(code);
            free(grade);
        } else if (row && !strcmp(name, "finding")) {
            char *code = get_attr(r, "code"), *sev = get_attr(r, "severity");
            xmlChar *text = xmlTextReaderReadString(r);
            issues_add(&is, code, sev && !strcmp(sev, "error"), (const char *)text);
            xmlFree(text);
            free(code);
            free(sev);
        }
    }
    if (row) finish_row(s, row, weight, &is);
    sbuf_free(&is.errors);
    if (rc != 0 || !root) {
        sbuf_printf(err, "%s: 不是有效的 results.xml (RESULTS_INVALID)", path);
        return false;
    }
    return true;
}

static const char *str_or_empty(const char *s) { return s ? s : ""; }

static int ranked_cmp(const void *pa, const void *pb)
{
    const summary_row *a = *(const summary_row *const *)pa, *b = *(const summary_row *const *)pb;
    int c = strcmp(str_or_empty(a->as.scheme), str_or_empty(b->as.scheme));
    if (c) return c;
    if (a->as.series != b->as.series) return a->as.series < b->as.series ? -1 : 1;
    if (a->as.rank != b->as.rank) return a->as.rank < b->as.rank ? -1 : 1;
    return strcmp(str_or_empty(a->id), str_or_empty(b->id));
}

/* The ranking table's order: scheme, series (0, not given, first), rank. */
static void order_ranking(summary *s)
{
    s->ranking = xmalloc((s->n ? s->n : 1) * sizeof *s->ranking);
    for (size_t i = 0; i < s->n; i++)
        if (s->rows[i].as.present) s->ranking[s->n_ranked++] = &s->rows[i];
    qsort(s->ranking, s->n_ranked, sizeof *s->ranking, ranked_cmp);
}

summary *summary_read(const char *results_path, long long epoch, sbuf *err)
{
    xmlTextReaderPtr r = xmlReaderForFile(results_path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!r) {
        sbuf_printf(err, "%s: 无法读取 (RESULTS_INVALID)", results_path);
        return NULL;
    }
    summary *s = xcalloc(1, sizeof *s);
    bool ok = read_results(s, r, err, results_path);
    xmlFreeTextReader(r);
    if (!ok) {
        summary_free(s);
        return NULL;
    }
    order_ranking(s);
    time_t t = epoch >= 0 ? (time_t)epoch : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(s->date, sizeof s->date, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100);
    return s;
}

void summary_free(summary *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->rows[i].id);
        free(s->rows[i].name);
        free(s->rows[i].issues);
        free(s->rows[i].as.scheme);
        free(s->rows[i].as.grade);
        free(s->rows[i].as.label);
        free(s->rows[i].as.note);
    }
    for (size_t i = 0; i < s->n_policies; i++) free(s->policies[i]);
    free(s->policies);
    sbuf_free(&s->policy_list);
    free(s->rows);
    free(s->ranking);
    free(s);
}

size_t summary_units(const summary *s) { return s ? s->n : 0; }

size_t summary_assessed(const summary *s) { return s ? s->n_ranked : 0; }

/* ------------------------------------------------------------ data source */

static const char *fmt_long(summary *s, long v)
{
    snprintf(s->buf, sizeof s->buf, "%ld", v);
    return s->buf;
}

static const char *fmt_fix(summary *s, fix6 v)
{
    fix6_format_plain(v, s->buf, sizeof s->buf);
    return s->buf;
}

static const char *counts_field(summary *s, const long *count, const char *f)
{
    for (int c = 0; c < C_NCOUNTS; c++)
        if (!strcmp(f, COUNT_FIELDS[c])) return fmt_long(s, count[c]);
    if (!strcmp(f, "ratio")) return fmt_fix(s, fix6_share(count[C_EXC], count[C_PART]));
    return NULL;
}

static const char *src_lookup(void *ctx, const char *path)
{
    summary *s = ctx;
    if (!strcmp(path, "year")) return s->year;
    if (!strcmp(path, "policy")) return s->policy;
    if (!strcmp(path, "policies")) return s->policy_list.len ? s->policy_list.data : s->policy;
    if (!strcmp(path, "date")) return s->date;
    if (!strcmp(path, "units")) return fmt_long(s, (long)s->n);
    if (!strcmp(path, "assessed")) return fmt_long(s, (long)s->n_ranked);
    if (!strncmp(path, "totals.", 7)) {
        const char *f = path + 7;
        if (!strcmp(f, "cap")) {
            long part = s->total[C_PART];
            return fmt_fix(s, part ? (fix6)((2 * s->cap_weight + part) / (2 * (__int128)part)) : 0);
        }
        if (!strcmp(f, "errors") || !strcmp(f, "ok")) {
            long n = 0;
            for (size_t i = 0; i < s->n; i++) n += s->rows[i].error == (f[0] == 'e');
            return fmt_long(s, n);
        }
        return counts_field(s, s->total, f);
    }
    return NULL;
}

static size_t src_count(void *ctx, const char *list)
{
    summary *s = ctx;
    if (!strcmp(list, "ranking")) return s->n_ranked;
    if (!strcmp(list, "policies")) return s->n_policies;
    return !strcmp(list, "units") ? s->n : 0;
}

static const char *grade_label(const ranked *as)
{
    static const char *const keys[] = {"excellent", "qualified", "unqualified"};
    static const char *const labels[] = {"优秀", "合格", "不合格"};
    if (as->label && *as->label) return as->label;
    for (int i = 0; i < 3; i++)
        if (as->grade && !strcmp(as->grade, keys[i])) return labels[i];
    return "";
}

/* A row of the ranking table. */
static const char *ranking_item(summary *s, size_t index, const char *field)
{
    if (index >= s->n_ranked) return NULL;
    const summary_row *row = s->ranking[index];
    const ranked *as = &row->as;
    if (!strcmp(field, "id")) return row->id;
    if (!strcmp(field, "name")) return row->name;
    if (!strcmp(field, "status")) return row->error ? "有错误" : "正常";
    if (!strcmp(field, "scheme")) return str_or_empty(as->scheme);
    if (!strcmp(field, "series")) return as->series > 0 ? fmt_long(s, as->series) : "";
    if (!strcmp(field, "seriesLabel")) return as->series > 0 ? fmt_long(s, as->series) : "—";
    if (!strcmp(field, "rank")) return fmt_long(s, as->rank);
    if (!strcmp(field, "of")) return fmt_long(s, as->of);
    if (!strcmp(field, "total")) return fmt_fix(s, as->total);
    if (!strcmp(field, "grade")) return str_or_empty(as->grade);
    if (!strcmp(field, "label")) return str_or_empty(as->label);
    if (!strcmp(field, "gradeLabel")) return grade_label(as);
    if (!strcmp(field, "note")) return str_or_empty(as->note);
    return NULL;
}

static const char *src_item(void *ctx, const char *list, size_t index, const char *field)
{
    summary *s = ctx;
    if (!strcmp(list, "ranking")) return ranking_item(s, index, field);
    if (!strcmp(list, "policies")) return index < s->n_policies && !strcmp(field, "name") ? s->policies[index] : NULL;
    if (strcmp(list, "units") || index >= s->n) return NULL;
    summary_row *row = &s->rows[index];
    if (!strcmp(field, "id")) return row->id;
    if (!strcmp(field, "name")) return row->name;
    if (!strcmp(field, "issues")) return row->issues;
    if (!strcmp(field, "status")) return row->error ? "有错误" : "正常";
    if (!strcmp(field, "cap")) return fmt_fix(s, row->cap);
    return counts_field(s, row->count, field);
}

layout_source summary_source(summary *s)
{
    layout_source src = {src_lookup, src_count, src_item, s};
    return src;
}

layout_source summary_ranking_source(summary *s) { return summary_source(s); }

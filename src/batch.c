/* batch — see batch.h. */
#include "batch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "date.h"
#include "ingest.h"
#include "model.h"
#include "policy.h"
#include "results.h"
#include "rules.h"

#define MAX_YEARS 16
#define MAX_POLICIES 16

typedef struct year_sink {
    int year;
    results_writer w;
    bool open;
} year_sink;

typedef struct batch_state {
    const batch_opts *o;
    const calendar *cal;
    policy *override;
    policy *policies[MAX_POLICIES];   /* cache of presets named by files */
    int n_policies;
    const policy *file_policy;        /* the current file's */
    strset unit_ids, person_ids;
    year_sink years[MAX_YEARS];
    int n_years;
    int status;
    bool any_unit_error;
    bool output_failed;
} batch_state;

int batch_shard_of(const char *unit_id, int n)
{
    return (int)(hash_fnv1a64(unit_id) % (uint64_t)n) + 1;
}

static void report(batch_state *st, const char *code, const char *text)
{
    fprintf(st->o->err, "kaohe: %s [%s]\n", text, code);
}

static const policy *policy_for(batch_state *st, const char *name, sbuf *err)
{
    if (st->override) return st->override;
    for (int i = 0; i < st->n_policies; i++)
        if (!strcmp(st->policies[i]->name, name)) return st->policies[i];
    if (st->n_policies == MAX_POLICIES) {
        sbuf_printf(err, "too many policies");
        return NULL;
    }
    char dir[4096], e[600];
    snprintf(dir, sizeof dir, "%s/policies", st->o->templates_dir);
    /* A file names a preset only: never a path, so input cannot make us read files. */
    if (strchr(name, '/')) {
        msg_format(err, st->o->lang, "POLICY_UNKNOWN", name);
        return NULL;
    }
    policy *p = policy_load(name, dir, e, sizeof e);
    if (!p) {
        msg_format(err, st->o->lang, "POLICY_UNKNOWN", name);
        return NULL;
    }
    st->policies[st->n_policies++] = p;
    return p;
}

static bool unit_selected(const batch_opts *o, const unit *u)
{
    if (o->units) {
        bool hit = false;
        for (const char **id = o->units; *id && !hit; id++) hit = !strcmp(*id, u->id);
        if (!hit) return false;
    }
    if (o->shard_n > 0 && batch_shard_of(u->id, o->shard_n) != o->shard_k) return false;
    return true;
}

/* DUPLICATE_ID: the unit where an id repeats is in error. Every unit is
 * checked, selected or not, so shards and --unit runs agree on who repeats. */
static void check_ids(batch_state *st, unit *u)
{
    msg_lang lang = st->o->lang;
    if (!strset_add(&st->unit_ids, u->id)) {
        sbuf m = { 0 };
        msg_format(&m, lang, "DUPLICATE_ID", u->id, lang == LANG_EN ? "unit" : "单位");
        model_add_finding(u, "DUPLICATE_ID", SEV_ERROR, NULL, m.data);
        sbuf_free(&m);
    }
    for (long i = 0; i < u->n_persons; i++) {
        const person *p = &u->persons[i];
        if (strset_add(&st->person_ids, p->id)) continue;
        sbuf m = { 0 };
        msg_format(&m, lang, "DUPLICATE_ID", p->id, p->name);
        model_add_finding(u, "DUPLICATE_ID", SEV_ERROR, p->id, m.data);
        sbuf_free(&m);
    }
}

static year_sink *sink_for_year(batch_state *st, int year, const char *policy_name)
{
    for (int i = 0; i < st->n_years; i++)
        if (st->years[i].year == year) return &st->years[i];
    if (st->n_years == MAX_YEARS) return NULL;
    year_sink *ys = &st->years[st->n_years++];
    ys->year = year;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%d", st->o->output_dir, year);
    ys->open = results_open(&ys->w, dir, year, policy_name, st->o->lang);
    if (!ys->open) {
        sbuf m = { 0 };
        msg_format(&m, st->o->lang, "OUTPUT_FAILED", dir, strerror(errno));
        report(st, "OUTPUT_FAILED", m.data);
        sbuf_free(&m);
        st->output_failed = true;
    }
    return ys;
}

static void print_findings(batch_state *st, const unit *u)
{
    sbuf b = { 0 };
    results_unit_findings(&b, u, st->o->lang);
    fputs(b.data ? b.data : "", st->o->out);
    sbuf_free(&b);
}

static void print_quota(batch_state *st, const unit *u)
{
    FILE *out = st->o->out;
    msg_lang lang = st->o->lang;
    for (int i = 0; i < u->n_buckets; i++) {
        const bucket *b = &u->buckets[i];
        char r[40];
        fix6_format_plain(b->ratio, r, sizeof r);
        if (st->o->csv) {
            sbuf name = { 0 };
            sbuf_puts(&name, u->name);
            /* CSV: quote the name; double any quote */
            fprintf(out, "%s,\"", u->id);
            for (const char *c = u->name; *c; c++) {
                if (*c == '"') fputc('"', out);
                fputc(*c, out);
            }
            fprintf(out, "\",%s,%ld,%s,%ld,%ld\n", b->name, b->participants, r, b->places, b->excellent);
            sbuf_free(&name);
        } else {
            if (i == 0)
                fprintf(out, "%s %s%s\n  %-20s %8s %8s %8s %8s\n", u->id, u->name,
                        u->n_errors ? (lang == LANG_EN ? " (errors)" : "（有错误）") : "",
                        lang == LANG_EN ? "bucket" : "bucket", lang == LANG_EN ? "persons" : "参加人数",
                        lang == LANG_EN ? "ratio" : "比例", lang == LANG_EN ? "places" : "名额",
                        lang == LANG_EN ? "excellent" : "优秀");
            fprintf(out, "  %-20s %8ld %8s %8ld %8ld\n", b->name, b->participants, r, b->places, b->excellent);
        }
    }
    if (u->n_buckets == 0 && !st->o->csv)
        fprintf(out, "%s %s\n  %s\n", u->id, u->name, lang == LANG_EN ? "(no participants)" : "（无参加考核人员）");
}

static int on_unit(unit *u, void *arg)
{
    batch_state *st = arg;
    if (!st->file_policy) {
        /* The root's policy attribute is known once the first unit arrives. */
        sbuf m = { 0 };
        st->file_policy = policy_for(st, u->file->policy, &m);
        if (!st->file_policy) {
            fprintf(st->o->err, "kaohe: %s: %s [POLICY_UNKNOWN]\n", u->file->path, m.data);
            sbuf_free(&m);
            model_unit_free(u);
            free(u);
            return -1;    /* nothing of this file is processed */
        }
        sbuf_free(&m);
    }
    check_ids(st, u);
    if (unit_selected(st->o, u)) {
        rules_env env = { st->file_policy, st->cal, st->o->lang,
                          date_from_epoch(st->o->run_epoch) };
        rules_compute_unit(u, &env);
        if (u->n_errors) st->any_unit_error = true;
        switch (st->o->command) {
        case BATCH_BUILD: {
            year_sink *ys = sink_for_year(st, u->file->year, st->file_policy->name);
            if (ys && ys->open) results_add_unit(&ys->w, u, st->file_policy);
            break;
        }
        case BATCH_CHECK: print_findings(st, u); break;
        case BATCH_QUOTA: print_quota(st, u); break;
        }
    }
    model_unit_free(u);
    free(u);
    return 0;
}

static void run_file(batch_state *st, const char *path, const ingest_schema *schema)
{
    sbuf err = { 0 };
    if (ingest_validate(path, schema, st->o->lang, &err) != 0) {
        fprintf(st->o->err, "kaohe: %s\n", err.data);
        st->status = EXIT_INPUT;
        sbuf_free(&err);
        return;
    }
    file_header hdr;
    st->file_policy = NULL;
    if (ingest_read(path, &hdr, on_unit, st, st->o->lang, &err) != 0) {
        if (err.len) fprintf(st->o->err, "kaohe: %s\n", err.data);
        st->status = EXIT_INPUT;
    }
    ingest_header_free(&hdr);
    sbuf_free(&err);
}

int batch_run(const batch_opts *o, char *const *files, int n_files)
{
    batch_state st = { .o = o };
    char path[4096], e[1024];
    int status = EXIT_OK;

    snprintf(path, sizeof path, "%s/appraisal.xsd", o->templates_dir);
    ingest_schema *schema = ingest_schema_load(path, e, sizeof e);
    snprintf(path, sizeof path, "%s/calendars", o->templates_dir);
    calendar *cal = calendar_load_dir(path, e, sizeof e);
    if (o->policy) {
        snprintf(path, sizeof path, "%s/policies", o->templates_dir);
        st.override = policy_load(o->policy, path, e, sizeof e);
    }
    if (!schema || !cal || (o->policy && !st.override)) {
        sbuf m = { 0 };
        const char *code = !schema ? "SCHEMA_UNAVAILABLE" : !cal ? "CALENDAR_INVALID" : "POLICY_INVALID";
        msg_format(&m, o->lang, code, e);
        report(&st, code, m.data);
        sbuf_free(&m);
        status = !schema || !cal ? EXIT_OUTPUT : EXIT_USAGE;
        goto done;
    }
    st.cal = cal;
    for (int i = 0; i < n_files; i++) run_file(&st, files[i], schema);
    status = st.status;

done:
    for (int i = 0; i < st.n_years; i++) {
        year_sink *ys = &st.years[i];
        if (!ys->open) continue;
        bool commit = !(o->strict && st.any_unit_error);
        if (!results_close(&ys->w, commit)) {
            sbuf m = { 0 };
            msg_format(&m, o->lang, "OUTPUT_FAILED", o->output_dir, strerror(errno));
            report(&st, "OUTPUT_FAILED", m.data);
            sbuf_free(&m);
            st.output_failed = true;
        }
    }
    if (st.output_failed) status = EXIT_OUTPUT;
    else if (status == EXIT_OK && st.any_unit_error) status = EXIT_UNIT_ERRORS;
    for (int i = 0; i < st.n_policies; i++) policy_free(st.policies[i]);
    policy_free(st.override);
    strset_free(&st.unit_ids);
    strset_free(&st.person_ids);
    calendar_free(cal);
    ingest_schema_free(schema);
    return status;
}

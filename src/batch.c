/* batch — see batch.h.
 *
 * Threads: the calling thread reads (libxml2's reader is sequential) and does
 * the run-wide id check, then queues each selected unit; `jobs` workers
 * compute and render units; whichever worker completes the oldest pending
 * unit emits every finished unit in input order. At most `qcap` parsed units
 * wait for a worker and at most `window` are between reading and emitting
 * (the finished ones hold only their results), so memory is bounded by a few
 * units, never by the input, and the output is the same for every -j. */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assess.h"
#include "calendar.h"
#include "date.h"
#include "diag.h"
#include "forms.h"
#include "idset.h"
#include "ingest.h"
#include "manifest.h"
#include "model.h"
#include "package.h"
#include "policy.h"
#include "progress.h"
#include "results.h"
#include "rules.h"
#include "stage.h"
#include "text.h"

#define MAX_POLICIES 16
#define TRIM_PERSONS 200             /* units this big return their memory when done */

/* One year of the run, built in its staging directory (stage.h) and put at
 * OUTPUT/<year> only when every file of it was written. */
typedef struct year_sink {
    int year;
    char dir[4096];                   /* the staging directory */
    results_writer w;
    outfile manifest;
    bool open;
    bool failed;                      /* a unit's forms could not be written */
    bool placed;                      /* now at OUTPUT/<year> */
} year_sink;

/* One unit's rendered output, waiting for its turn to be emitted. */
typedef struct unit_out {
    year_sink *ys;                    /* NULL unless building */
    const policy *pol;
    sbuf xml, findings, text;
    sbuf manifest;                    /* lines for MANIFEST.sha256 */
    results_totals totals;
    long persons;                     /* of the unit, for the progress line */
    bool error;
    bool write_failed;                /* forms could not be written */
} unit_out;

typedef struct job {
    unit *u;
    const policy *pol;
    year_sink *ys;                    /* the unit's year when building */
    long seq;
} job;

typedef struct batch_state {
    const batch_opts *o;
    const calendar *cal;
    const forms_ctx *forms;           /* NULL unless building */
    const assess_run *assess;         /* unit appraisal of the run, NULL when none */
    kh_date run_date;
    policy *override;
    policy *policies[MAX_POLICIES];   /* presets named by files, kept for the run */
    int n_policies;
    const policy *file_policy;        /* the current file's */
    idset *unit_ids, *person_ids;     /* every id read, for DUPLICATE_ID */
    long units_seen;                  /* every unit read, selected or not: its seq */
    long persons_in;                  /* persons of the selected units, as read */

    /* pool: everything below is guarded by mu */
    pthread_mutex_t mu;
    pthread_cond_t can_push, can_pop;
    job *queue;                       /* ring of `qcap` units read, not yet started */
    long q_head, q_count, qcap;
    unit_out **slots;                 /* finished, by seq % window */
    long window, next_seq, next_emit;
    bool closing;
    int n_workers;                    /* 0: compute inline (threads unavailable) */

    progress prog;                    /* guarded by mu */
    year_sink **years;                /* every year of the input, each its own allocation */
    int n_years, cap_years;
    int status;
    bool any_unit_error;
    long units_in_error;              /* units with an error finding (no forms): the final line says how many */
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
    /* A file names a preset only, never a path: input cannot make us read
     * files (policy_load takes "x.policy" as a path in the working directory). */
    size_t len = strlen(name);
    bool path_like = strchr(name, '/') || (len >= 7 && !strcmp(name + len - 7, ".policy"));
    if (path_like || st->n_policies == MAX_POLICIES) {
        msg_format(err, st->o->lang, "POLICY_UNKNOWN", name);
        return NULL;
    }
    char dir[4096], e[600];
    snprintf(dir, sizeof dir, "%s/policies", st->o->templates_dir);
    policy *p = policy_load(name, dir, e, sizeof e);
    if (!p) {
        msg_format(err, st->o->lang, "POLICY_UNKNOWN", name);
        return NULL;
    }
    st->policies[st->n_policies++] = p;
    return p;
}

static bool id_selected(const batch_opts *o, const char *unit_id)
{
    if (o->units) {
        bool hit = false;
        for (const char **id = o->units; *id && !hit; id++) hit = !strcmp(*id, unit_id);
        if (!hit) return false;
    }
    if (o->shard_n > 0 && batch_shard_of(unit_id, o->shard_n) != o->shard_k) return false;
    return true;
}

static bool unit_selected(const batch_opts *o, const unit *u)
{
    return id_selected(o, u->id);
}

/* DUPLICATE_ID: the unit where an id repeats is in error. Every unit is
 * checked, selected or not, so shards and --unit runs agree on who repeats. */
static void check_ids(batch_state *st, unit *u)
{
    msg_lang lang = st->o->lang;
    if (!idset_add(st->unit_ids, u->id)) {
        sbuf m = { 0 };
        msg_format(&m, lang, "DUPLICATE_ID", u->id, lang == LANG_EN ? "unit" : "单位");
        model_add_finding(u, "DUPLICATE_ID", SEV_ERROR, NULL, m.data);
        sbuf_free(&m);
    }
    for (long i = 0; i < u->n_persons; i++) {
        const person *p = &u->persons[i];
        if (idset_add(st->person_ids, p->id)) continue;
        sbuf m = { 0 };
        msg_format(&m, lang, "DUPLICATE_ID", p->id, p->name);
        model_add_finding(u, "DUPLICATE_ID", SEV_ERROR, p->id, m.data);
        sbuf_free(&m);
    }
}

/* --- rendering (workers) -------------------------------------------------- */

/* One CSV field: quoted when `quote` or when it needs it, quotes doubled,
 * and a leading ' when a spreadsheet would take it for a formula
 * (=HYPERLINK(…), +cmd|…, an id like -A1). */
static void csv_field(sbuf *out, const char *s, bool quote)
{
    bool formula = text_formula_like(s);
    quote = quote || formula || strpbrk(s, ",\"\n\r");
    if (quote) sbuf_putc(out, '"');
    if (formula) sbuf_putc(out, '\'');
    for (const char *c = s; *c; c++) {
        if (*c == '"') sbuf_putc(out, '"');
        sbuf_putc(out, *c);
    }
    if (quote) sbuf_putc(out, '"');
}

/* s padded with spaces to `width` display columns (CJK characters take two,
 * so the quota table lines up on a terminal); right-aligned when `right`,
 * with at least one space before it. */
static void put_cols(sbuf *out, const char *s, int width, bool right)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) cols += *p >= 0xE1 ? 2 : 1;   /* U+1000 and up: Han, fullwidth punctuation */
    if (!right) sbuf_puts(out, s);
    for (int pad = right && cols >= width ? 1 : width - cols; pad > 0; pad--) sbuf_putc(out, ' ');
    if (right) sbuf_puts(out, s);
}

static void quota_header(const unit *u, msg_lang lang, sbuf *out)
{
    bool en = lang == LANG_EN;
    sbuf_printf(out, "%s %s%s\n  ", u->id, u->name, u->n_errors ? (en ? " (errors)" : "（有错误）") : "");
    put_cols(out, en ? "bucket" : "类别", 32, false);
    put_cols(out, en ? "persons" : "参加人数", 10, true);
    put_cols(out, en ? "ratio" : "比例", 10, true);
    put_cols(out, en ? "places" : "名额", 10, true);
    put_cols(out, en ? "excellent" : "优秀", 10, true);
    sbuf_putc(out, '\n');
}

static void render_quota(const batch_opts *o, const unit *u, sbuf *out)
{
    msg_lang lang = o->lang;
    if (u->n_buckets == 0 && !o->csv)
        sbuf_printf(out, "%s %s\n  %s\n", u->id, u->name, lang == LANG_EN ? "(no participants)" : "（无参加考核人员）");
    for (int i = 0; i < u->n_buckets; i++) {
        const bucket *b = &u->buckets[i];
        char r[40], n[3][24];
        fix6_format_plain(b->ratio, r, sizeof r);
        if (o->csv) {
            csv_field(out, u->id, false);
            sbuf_putc(out, ',');
            csv_field(out, u->name, true);
            sbuf_putc(out, ',');
            csv_field(out, b->name, false);
            sbuf_printf(out, ",%ld,%s,%ld,%ld\n", b->participants, r, b->places, b->excellent);
            continue;
        }
        if (i == 0) quota_header(u, lang, out);
        snprintf(n[0], sizeof n[0], "%ld", b->participants);
        snprintf(n[1], sizeof n[1], "%ld", b->places);
        snprintf(n[2], sizeof n[2], "%ld", b->excellent);
        sbuf_puts(out, "  ");
        put_cols(out, msg_bucket_label(lang, b->name), 32, false);
        put_cols(out, n[0], 10, true);
        put_cols(out, r, 10, true);
        put_cols(out, n[1], 10, true);
        put_cols(out, n[2], 10, true);
        sbuf_putc(out, '\n');
    }
}

/* What the forms had to report (a character the fonts lack, a value that
 * does not parse) becomes the unit's warnings, in the run's language, so
 * the officer sees it in findings.txt and results.xml. */
static void add_layout_findings(unit *u, const diag_list *dl, msg_lang lang)
{
    sbuf m = { 0 };
    for (size_t i = 0; i < dl->n; i++) {
        const diag *d = &dl->v[i];
        sbuf_clear(&m);
        sbuf_puts(&m, "");
        diag_message(d, lang, &m);
        /* findings keep the code pointer: it must live as long as the unit */
        char code[64];
        snprintf(code, sizeof code, "%.*s", (int)diag_code_len(d->code), d->code);
        model_add_finding(u, arena_strdup(&u->mem, code), d->sev == DIAG_ERROR ? SEV_ERROR : SEV_WARNING,
                          d->person ? arena_strdup(&u->mem, d->person) : NULL, m.data);
    }
    sbuf_free(&m);
}

/* Every form of an error-free unit into OUTPUT/<year>/<unit id>/ (ids are
 * schema-restricted to [A-Za-z0-9_-], so this never leaves OUTPUT), hashed
 * for the manifest while the files are hot in the page cache. */
static void write_unit_forms(batch_state *st, unit *u, const policy *pol, unit_out *out)
{
    const batch_opts *o = st->o;
    sbuf year_dir = { 0 }, dir = { 0 }, written = { 0 }, err = { 0 };
    sbuf_puts(&year_dir, out->ys->dir);   /* the year's staging directory */
    sbuf_printf(&dir, "%s/%s", year_dir.data, u->id);
    diag_list diags = { 0 };
    forms_opts fo = {o->want_pdf, o->want_xlsx, o->split, o->run_epoch, o->lang, &diags, o->simplex, o->approve, o->want_docx, o->pdfa};
    int rc = forms_write_unit(st->forms, u, pol, dir.data, &fo, &written, &err);
    add_layout_findings(u, &diags, o->lang);
    diag_list_free(&diags);
    for (char *line = written.data, *nl; rc == 0 && line && *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl) break;
        *nl = '\0';
        if (!manifest_add(&out->manifest, year_dir.data, line)) {
            sbuf_printf(&err, "%s/%s: %s", year_dir.data, line, msg_syserr(o->lang, errno));
            rc = -1;
        }
    }
    if (rc != 0) {
        sbuf m = { 0 };
        msg_format(&m, o->lang, "OUTPUT_FAILED", dir.data, err.data ? err.data : "");
        sbuf_printf(&out->text, "kaohe: %s [OUTPUT_FAILED]\n", m.data);
        sbuf_free(&m);
        out->write_failed = true;
    }
    sbuf_free(&year_dir);
    sbuf_free(&dir);
    sbuf_free(&written);
    sbuf_free(&err);
}

static unit_out *compute_job(batch_state *st, job *j)
{
    unit *u = j->u;
    rules_env env = { j->pol, st->cal, st->o->lang, st->run_date };
    assess_apply(st->assess, u, st->o->lang);
    rules_compute_unit(u, &env);
    unit_out *out = xcalloc(1, sizeof *out);
    out->ys = j->ys;
    out->pol = j->pol;
    out->persons = u->n_persons;
    out->error = u->n_errors > 0;
    switch (st->o->command) {
    case BATCH_BUILD:
        /* forms first: what their layout reports joins the unit's findings */
        /* a year whose staging could not be made has failed already */
        if (st->forms && !out->error && j->ys && j->ys->open) write_unit_forms(st, u, j->pol, out);
        results_unit_xml(&out->xml, u, j->pol);
        results_unit_findings(&out->findings, u, st->o->lang);
        results_count(&out->totals, u);
        break;
    case BATCH_CHECK: results_unit_findings(&out->text, u, st->o->lang); break;
    case BATCH_QUOTA: render_quota(st->o, u, &out->text); break;
    }
    long persons = u->n_persons;
    model_unit_free(u);
    free(u);
    /* glibc keeps a big unit's freed pages in the worker's malloc arena;
     * give them back so peak RSS stays that of the units in flight */
    if (persons >= TRIM_PERSONS) malloc_trim(0);
    return out;
}

/* --- emitting in input order (under mu) ----------------------------------- */

/* A run restricted with --unit or --shard never replaces a standing year
 * holding forms of units it does not select: it needs its own -o (README).
 * Returns the first such unit directory's name in *foreign, or false. */
static bool standing_year_has_foreign_units(const batch_opts *o, int year, sbuf *foreign)
{
    if (!o->units && o->shard_n == 0) return false;
    sbuf dir = { 0 };
    sbuf_printf(&dir, "%s/%d", o->output_dir, year);
    DIR *d = opendir(dir.data);
    sbuf_free(&dir);
    if (!d) return false;
    bool found = false;
    sbuf path = { 0 };
    for (struct dirent *de; !found && (de = readdir(d));) {
        if (de->d_name[0] == '.' || id_selected(o, de->d_name)) continue;
        sbuf_clear(&path);
        sbuf_printf(&path, "%s/%d/%s", o->output_dir, year, de->d_name);
        struct stat sb;
        if (lstat(path.data, &sb) != 0 || !S_ISDIR(sb.st_mode)) continue;
        sbuf_puts(foreign, de->d_name);
        found = true;
    }
    sbuf_free(&path);
    closedir(d);
    return found;
}

/* Open the year's staging directory, results files and manifest. */
static bool open_sink(batch_state *st, year_sink *ys, const char *policy_name, sbuf *why)
{
    sbuf staged = { 0 };
    bool ok = stage_year_open(st->o->output_dir, ys->year, &staged);
    if (ok) snprintf(ys->dir, sizeof ys->dir, "%s", staged.data);
    else sbuf_printf(why, "%s/.%d.staging: %s", st->o->output_dir, ys->year, strerror(errno));
    sbuf_free(&staged);
    if (!ok) return false;
    char shard[32];
    if (st->o->shard_n > 0) snprintf(shard, sizeof shard, "%d/%d", st->o->shard_k, st->o->shard_n);
    ys->open = results_open(&ys->w, ys->dir, ys->year, policy_name, st->o->shard_n > 0 ? shard : NULL, st->o->lang);
    if (ys->open) {
        char path[4200];
        snprintf(path, sizeof path, "%s/MANIFEST.sha256", ys->dir);
        if (!outfile_open(&ys->manifest, path)) {
            int e = errno;
            results_close(&ys->w, false);
            ys->open = false;
            errno = e;
        }
    }
    if (!ys->open) sbuf_printf(why, "%s: %s", ys->dir, strerror(errno));
    return ys->open;
}

/* The year's sink, opened the first time a unit of it arrives (under mu).
 * Every year of the input gets one: there is no limit on their number. */
static year_sink *sink_for_year(batch_state *st, int year, const char *policy_name)
{
    for (int i = 0; i < st->n_years; i++)
        if (st->years[i]->year == year) return st->years[i];
    if (st->n_years == st->cap_years) {
        st->cap_years = st->cap_years ? 2 * st->cap_years : 4;
        st->years = xrealloc(st->years, (size_t)st->cap_years * sizeof *st->years);
    }
    year_sink *ys = xcalloc(1, sizeof *ys);
    st->years[st->n_years++] = ys;
    ys->year = year;
    sbuf why = { 0 }, foreign = { 0 };
    const char *code = "OUTPUT_FAILED";
    if (standing_year_has_foreign_units(st->o, year, &foreign)) {
        code = "PARTIAL_OWN_OUTPUT";
        sbuf_printf(&why, "%s/%d", st->o->output_dir, year);
    } else {
        open_sink(st, ys, policy_name, &why);
    }
    if (!ys->open) {
        sbuf m = { 0 };
        if (!strcmp(code, "OUTPUT_FAILED")) msg_format(&m, st->o->lang, code, st->o->output_dir, why.data);
        else msg_format(&m, st->o->lang, code, why.data, foreign.data);
        progress_clear(&st->prog);
        report(st, code, m.data);
        sbuf_free(&m);
        st->output_failed = true;
    }
    sbuf_free(&why);
    sbuf_free(&foreign);
    return ys;
}

static void emit(batch_state *st, unit_out *out)
{
    if (out->error) {
        st->any_unit_error = true;
        st->units_in_error++;
    }
    if (out->write_failed) st->output_failed = true;
    if (st->o->command == BATCH_BUILD) {
        year_sink *ys = out->ys;
        if (out->write_failed) ys->failed = true;
        if (ys->open) {
            results_append(&ys->w, &out->xml, &out->findings, &out->totals);
            if (out->manifest.len) fwrite(out->manifest.data, 1, out->manifest.len, ys->manifest.fp);
        }
        if (out->text.len) {
            progress_clear(&st->prog);
            fputs(out->text.data, st->o->err);
        }
    } else if (out->text.len) {
        progress_clear(&st->prog);
        fputs(out->text.data, st->o->out);
    }
    progress_unit(&st->prog, out->persons);
    sbuf_free(&out->xml);
    sbuf_free(&out->findings);
    sbuf_free(&out->text);
    sbuf_free(&out->manifest);
    free(out);
}

static void *worker(void *arg)
{
    batch_state *st = arg;
    pthread_mutex_lock(&st->mu);
    for (;;) {
        while (st->q_count == 0 && !st->closing) pthread_cond_wait(&st->can_pop, &st->mu);
        if (st->q_count == 0) break;
        job j = st->queue[st->q_head];
        st->q_head = (st->q_head + 1) % st->qcap;
        st->q_count--;
        pthread_cond_broadcast(&st->can_push);
        pthread_mutex_unlock(&st->mu);

        unit_out *out = compute_job(st, &j);

        pthread_mutex_lock(&st->mu);
        st->slots[j.seq % st->window] = out;
        while (st->slots[st->next_emit % st->window]) {
            long k = st->next_emit % st->window;
            emit(st, st->slots[k]);
            st->slots[k] = NULL;
            st->next_emit++;
        }
        pthread_cond_broadcast(&st->can_push);
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

static void push_job(batch_state *st, unit *u, const policy *pol, year_sink *ys)
{
    if (st->n_workers == 0) {
        job j = { u, pol, ys, st->next_seq++ };
        emit(st, compute_job(st, &j));
        st->next_emit++;
        return;
    }
    pthread_mutex_lock(&st->mu);
    while (st->next_seq - st->next_emit >= st->window || st->q_count >= st->qcap)
        pthread_cond_wait(&st->can_push, &st->mu);
    long tail = (st->q_head + st->q_count) % st->qcap;
    st->queue[tail] = (job){ u, pol, ys, st->next_seq++ };
    st->q_count++;
    pthread_cond_signal(&st->can_pop);
    pthread_mutex_unlock(&st->mu);
}

/* --- reading (calling thread) --------------------------------------------- */

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
    u->seq = st->units_seen++;
    if (unit_selected(st->o, u)) {
        st->persons_in += u->n_persons;
        year_sink *ys = NULL;
        if (st->o->command == BATCH_BUILD) {
            /* the year's staging directory exists before a worker writes into it */
            pthread_mutex_lock(&st->mu);
            ys = sink_for_year(st, u->file->year, st->file_policy->name);
            pthread_mutex_unlock(&st->mu);
        }
        push_job(st, u, st->file_policy, ys);
    } else {
        if (st->o->command == BATCH_BUILD && st->o->shard_n > 0) {
            /* every shard writes every year of the input, even with none of
             * its units, so that `kaohe merge` can tell a missing shard */
            pthread_mutex_lock(&st->mu);
            sink_for_year(st, u->file->year, st->file_policy->name);
            pthread_mutex_unlock(&st->mu);
        }
        model_unit_free(u);
        free(u);
    }
    return 0;
}

/* A valid file without any unit still gets its year's package (results.xml
 * with no unit, the summary, the manifest): the officer sees that the file
 * was read and held nobody, and the final line matches what is on disk. */
static void open_empty_year(batch_state *st, const file_header *hdr)
{
    sbuf m = { 0 };
    const policy *pol = policy_for(st, hdr->policy, &m);
    pthread_mutex_lock(&st->mu);
    if (pol) {
        sink_for_year(st, hdr->year, pol->name);
    } else {
        progress_clear(&st->prog);
        fprintf(st->o->err, "kaohe: %s: %s [POLICY_UNKNOWN]\n", hdr->path, m.data);
        st->status = EXIT_INPUT;
    }
    pthread_mutex_unlock(&st->mu);
    sbuf_free(&m);
}

/* Wait until every queued unit of the current file has been emitted: the
 * file's header, which the units point to, is freed after this. */
static void drain(batch_state *st)
{
    pthread_mutex_lock(&st->mu);
    while (st->next_emit < st->next_seq) pthread_cond_wait(&st->can_push, &st->mu);
    pthread_mutex_unlock(&st->mu);
}

static void run_file(batch_state *st, const char *path, const ingest_schema *schema)
{
    sbuf err = { 0 };
    if (ingest_validate(path, schema, st->o->lang, &err) != 0) {
        pthread_mutex_lock(&st->mu);
        progress_clear(&st->prog);
        fprintf(st->o->err, "kaohe: %s\n", err.data);
        pthread_mutex_unlock(&st->mu);
        st->status = EXIT_INPUT;
        sbuf_free(&err);
        return;
    }
    file_header hdr;
    st->file_policy = NULL;
    long units_before = st->units_seen;
    if (ingest_read(path, &hdr, on_unit, st, st->o->lang, &err) != 0) {
        pthread_mutex_lock(&st->mu);
        progress_clear(&st->prog);
        if (err.len) fprintf(st->o->err, "kaohe: %s\n", err.data);
        pthread_mutex_unlock(&st->mu);
        st->status = EXIT_INPUT;
    } else if (st->units_seen == units_before && st->o->command == BATCH_BUILD) {
        open_empty_year(st, &hdr);
    }
    drain(st);
    ingest_header_free(&hdr);
    sbuf_free(&err);
}

static bool load_shared(batch_state *st, ingest_schema **schema, calendar **cal, int *status)
{
    const batch_opts *o = st->o;
    char path[4096], e[1024];
    snprintf(path, sizeof path, "%s/appraisal.xsd", o->templates_dir);
    *schema = ingest_schema_load(path, e, sizeof e);
    if (*schema) {
        snprintf(path, sizeof path, "%s/calendars", o->templates_dir);
        *cal = calendar_load_dir(path, e, sizeof e);
    }
    if (*schema && *cal && o->policy) {
        snprintf(path, sizeof path, "%s/policies", o->templates_dir);
        st->override = policy_load(o->policy, path, e, sizeof e);
    }
    if (*schema && *cal && (!o->policy || st->override)) return true;
    const char *code = !*schema ? "SCHEMA_UNAVAILABLE" : !*cal ? "CALENDAR_INVALID" : "POLICY_INVALID";
    sbuf m = { 0 };
    msg_format(&m, o->lang, code, e);
    report(st, code, m.data);
    sbuf_free(&m);
    /* a broken installation is an output-side failure; a bad --policy is usage */
    *status = !*schema || !*cal ? EXIT_OUTPUT : EXIT_USAGE;
    return false;
}

/* results.xml and findings.txt go into place first, then the summary read
 * back from them, then the manifest that lists them all. */
static bool close_year(batch_state *st, year_sink *ys, bool commit, sbuf *err)
{
    if (!results_close(&ys->w, commit) || !commit) {
        if (commit) sbuf_printf(err, "%s: %s", ys->dir, msg_syserr(st->o->lang, errno));
        outfile_abort(&ys->manifest);
        return !commit;
    }
    const batch_opts *o = st->o;
    forms_opts fo = {o->want_pdf, o->want_xlsx, o->split, o->run_epoch, o->lang, NULL, o->simplex, o->approve, o->want_docx, o->pdfa};
    return package_finish_year(st->forms, ys->dir, &fo, &ys->manifest, err);
}

/* Finish each year in its staging directory and put the complete ones in
 * place; a year with any failed output is removed and the standing year
 * stays, which the officer is told. */
static void close_sinks(batch_state *st)
{
    bool commit = !(st->o->strict && st->any_unit_error);
    for (int i = 0; i < st->n_years; i++) {
        year_sink *ys = st->years[i];
        if (!ys->dir[0]) continue;   /* no staging: reported when it failed */
        sbuf err = { 0 };
        bool ok = !ys->open || close_year(st, ys, commit && !ys->failed, &err);
        if (ok && ys->open && commit && !ys->failed) {
            ys->placed = stage_year_commit(st->o->output_dir, ys->year, ys->dir);
            if (!ys->placed) sbuf_printf(&err, "%s/%d: %s", st->o->output_dir, ys->year, strerror(errno));
            ok = ys->placed;
        }
        if (!ok) {
            sbuf m = { 0 };
            msg_format(&m, st->o->lang, "OUTPUT_FAILED", ys->dir, err.data ? err.data : "");
            report(st, "OUTPUT_FAILED", m.data);
            sbuf_free(&m);
            st->output_failed = true;
        }
        if (!ys->placed) {
            stage_year_discard(ys->dir);
            if (commit) {
                sbuf m = { 0 }, final = { 0 };
                sbuf_printf(&final, "%s/%d", st->o->output_dir, ys->year);
                msg_format(&m, st->o->lang, "YEAR_KEPT", final.data);
                report(st, "YEAR_KEPT", m.data);
                sbuf_free(&m);
                sbuf_free(&final);
            }
        }
        sbuf_free(&err);
    }
}

/* Score and rank every unit with an <assessment> before any unit's quota:
 * a unit's grade depends on the whole run. */
static bool load_assessments(batch_state *st, char *const *files, int n_files, const ingest_schema *schema,
                             assess_run **out, int *status)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/schemes", st->o->templates_dir);
    sbuf err = { 0 };
    *out = assess_prepass(dir, files, n_files, schema, st->o->lang, &err);
    bool ok = *out || !err.len;
    if (!ok) {
        report(st, "SCHEME_INVALID", err.data);
        *status = EXIT_OUTPUT;   /* a broken installation, like a template */
    }
    sbuf_free(&err);
    return ok;
}

/* The final line: units, persons in and out, files, bytes, seconds. Persons
 * out are the <person> elements the years now in place hold: on a
 * successful run the two agree. 完成 only then; otherwise the line says
 * which years are on disk and which are not (their previous state stands). */
static void print_done(batch_state *st, int status)
{
    long persons_out = 0, files = 0;
    long long bytes = 0;
    sbuf placed = { 0 }, kept = { 0 };
    const char *sep = st->o->lang == LANG_EN ? ", " : "、";
    for (int i = 0; i < st->n_years; i++) {
        year_sink *ys = st->years[i];
        sbuf *list = ys->placed ? &placed : &kept;
        sbuf_printf(list, "%s%d", list->len ? sep : "", ys->year);
        if (!ys->placed) continue;
        persons_out += ys->w.totals.persons;
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/%d", st->o->output_dir, ys->year);
        manifest_tally(dir, &files, &bytes);
    }
    const char *none = st->o->lang == LANG_EN ? "none" : "无";
    sbuf m = { 0 };
    if (status == EXIT_OK || status == EXIT_UNIT_ERRORS) {
        msg_format(&m, st->o->lang, "RUN_DONE", st->prog.units, st->persons_in, persons_out, files,
                   (double)bytes / 1e6, progress_seconds(&st->prog));
        /* the run finished, but not every unit got its forms: say so on the last line too */
        if (st->units_in_error > 0) msg_format(&m, st->o->lang, "RUN_UNIT_ERRORS", st->units_in_error);
    }
    else
        msg_format(&m, st->o->lang, "RUN_INCOMPLETE", st->prog.units, st->persons_in, persons_out,
                   placed.len ? placed.data : none, files, (double)bytes / 1e6, kept.len ? kept.data : none,
                   progress_seconds(&st->prog));
    fprintf(st->o->err, "kaohe: %s\n", m.data);
    sbuf_free(&m);
    sbuf_free(&placed);
    sbuf_free(&kept);
}

/* A run killed mid-write leaves its staging directories in OUTPUT (never a
 * file at a final path); this run holds OUTPUT's lock, so they go before any
 * worker starts. Nothing else in OUTPUT or below is touched. */
static void sweep_staging(batch_state *st)
{
    long n = stage_sweep(st->o->output_dir);
    if (n == 0 || st->o->quiet) return;
    sbuf m = { 0 };
    msg_format(&m, st->o->lang, "TEMP_SWEPT", st->o->output_dir, n);
    fprintf(st->o->err, "kaohe: %s\n", m.data);
    sbuf_free(&m);
}

/* Take OUTPUT's lock for the run's life: a second build or merge into the
 * same OUTPUT refuses at once (exit 4) or, with --wait, waits its turn. */
static int lock_output(batch_state *st, stage_lock *lock)
{
    const batch_opts *o = st->o;
    int e = stage_lock_take(lock, o->output_dir, o->wait);
    if (e == 0) return EXIT_OK;
    sbuf m = { 0 };
    const char *code = e == EINVAL ? "USAGE" : e == EWOULDBLOCK ? "OUTPUT_LOCKED" : "OUTPUT_FAILED";
    if (e == EINVAL) msg_format(&m, o->lang, code, "-o DIR: empty");
    else if (e == EWOULDBLOCK) msg_format(&m, o->lang, code, o->output_dir);
    else msg_format(&m, o->lang, code, o->output_dir, strerror(e));
    report(st, code, m.data);
    sbuf_free(&m);
    return e == EINVAL ? EXIT_USAGE : EXIT_OUTPUT;
}

/* --unit ids that no input file holds: each is a usage error (a typo must
 * not pass as a run of nothing). Every unit read went into unit_ids, so an
 * id that is new to the set was never read. */
static bool report_unknown_units(batch_state *st)
{
    bool any = false;
    for (const char **id = st->o->units; id && *id; id++) {
        if (!idset_add(st->unit_ids, *id)) continue;
        sbuf m = { 0 }, u = { 0 };
        msg_format(&u, st->o->lang, "UNIT_UNKNOWN", *id);
        msg_format(&m, st->o->lang, "USAGE", u.data);
        report(st, "UNIT_UNKNOWN", m.data);
        sbuf_free(&m);
        sbuf_free(&u);
        any = true;
    }
    return any;
}

/* --strict: compute everything once without writing; only a run without
 * any unit error goes on to write. The findings are shown when it stops. */
static int strict_precheck(const batch_opts *o, char *const *files, int n_files, bool *go_on)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    batch_opts check = *o;
    check.command = BATCH_CHECK;
    check.strict = false;
    check.quiet = true;
    check.progress = BATCH_PROGRESS_NEVER;
    check.out = mem ? mem : o->err;
    int status = batch_run(&check, files, n_files);
    if (mem) fclose(mem);
    *go_on = status == EXIT_OK;
    if (status == EXIT_UNIT_ERRORS && text) fputs(text, o->err);
    free(text);
    return status;
}

int batch_run(const batch_opts *o, char *const *files, int n_files)
{
    if (o->strict && o->command == BATCH_BUILD) {
        bool go_on;
        int status = strict_precheck(o, files, n_files, &go_on);
        if (!go_on) return status;
    }
    batch_state st = { .o = o, .run_date = date_from_epoch(o->run_epoch) };
    ingest_schema *schema = NULL;
    calendar *cal = NULL;
    forms_ctx *forms = NULL;
    int status = EXIT_OK;
    if (o->command == BATCH_BUILD && (o->want_pdf || o->want_xlsx || o->want_docx)) {
        char e[1024], dir[4200];
        snprintf(dir, sizeof dir, "%s/forms", o->templates_dir);
        forms = forms_ctx_new(dir, o->lang, e, sizeof e);
        if (!forms) {
            sbuf m = { 0 };
            msg_format(&m, o->lang, "TEMPLATE_INVALID", e);
            report(&st, "TEMPLATE_INVALID", m.data);
            sbuf_free(&m);
            return EXIT_OUTPUT;
        }
    }
    st.forms = forms;
    stage_lock lock = { -1, NULL };
    if (o->command == BATCH_BUILD) {
        status = lock_output(&st, &lock);
        if (status != EXIT_OK) {
            forms_ctx_free(forms);
            return status;
        }
        sweep_staging(&st);
    }
    st.unit_ids = idset_new(NULL, 0);
    st.person_ids = idset_new(NULL, 0);
    assess_run *assess = NULL;
    bool ready = load_shared(&st, &schema, &cal, &status) && load_assessments(&st, files, n_files, schema, &assess, &status);
    if (ready) {
        st.cal = cal;
        st.assess = assess;
        int jobs = o->jobs > 0 ? o->jobs : 1;
        /* A unit of 600 persons takes a worker a second or more while the
         * others go on with small units; their results wait for it in the
         * reorder window. 4 units per worker stalled them (-j2 lost a
         * third of a core on the bench's inputs); a window of 32 per worker
         * holds only finished results (a few KB per person), while the
         * parsed units waiting for a worker stay at 2 per worker. */
        st.window = 32L * jobs;
        st.qcap = 2L * jobs;
        st.queue = xcalloc((size_t)st.qcap, sizeof *st.queue);
        st.slots = xcalloc((size_t)st.window, sizeof *st.slots);
        pthread_mutex_init(&st.mu, NULL);
        pthread_cond_init(&st.can_push, NULL);
        pthread_cond_init(&st.can_pop, NULL);
        pthread_t *threads = xcalloc((size_t)jobs, sizeof *threads);
        int started = 0;
        while (started < jobs && pthread_create(&threads[started], NULL, worker, &st) == 0) started++;
        st.n_workers = started;
        bool live = !o->quiet && o->progress != BATCH_PROGRESS_NEVER &&
                    (o->progress == BATCH_PROGRESS_ALWAYS || isatty(fileno(o->err)));
        progress_start(&st.prog, o->err, live, o->lang, files, n_files);
        for (int i = 0; i < n_files; i++) run_file(&st, files[i], schema);
        pthread_mutex_lock(&st.mu);
        st.closing = true;
        pthread_cond_broadcast(&st.can_pop);
        pthread_mutex_unlock(&st.mu);
        for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
        free(threads);
        close_sinks(&st);
        progress_clear(&st.prog);
        status = st.status;
        if (report_unknown_units(&st) && status != EXIT_INPUT) status = EXIT_USAGE;
        if (st.output_failed) status = EXIT_OUTPUT;
        else if (status == EXIT_OK && st.any_unit_error) status = EXIT_UNIT_ERRORS;
        if (o->command == BATCH_BUILD && !o->quiet) print_done(&st, status);
        pthread_cond_destroy(&st.can_pop);
        pthread_cond_destroy(&st.can_push);
        pthread_mutex_destroy(&st.mu);
        free(st.queue);
        free(st.slots);
    }
    for (int i = 0; i < st.n_years; i++) free(st.years[i]);
    free(st.years);
    stage_lock_release(&lock);
    for (int i = 0; i < st.n_policies; i++) policy_free(st.policies[i]);
    policy_free(st.override);
    idset_free(st.unit_ids);
    idset_free(st.person_ids);
    calendar_free(cal);
    assess_free(assess);
    ingest_schema_free(schema);
    forms_ctx_free(forms);
    return status;
}

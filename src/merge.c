/* merge — see merge.h.
 *
 * A shard's results.xml, findings.txt and MANIFEST.sha256 list its units in
 * input order, so the merge is a k-way merge on each unit's seq over three
 * streams per shard. The files are ours, written one element per line
 * (results.c), which is what the line reader below relies on; anything
 * else is refused as not a shard output.
 *
 * Nothing of a shard is trusted: its files are opened as regular files only,
 * never through a symbolic link (rfile), every line of its manifest must
 * parse, results.xml and findings.txt must match their manifest lines before
 * a byte of them is used, and every unit file placed must hash to its line;
 * anything else refuses the merge (exit 3, MERGE_TAMPERED naming the shard
 * and the file). Like build, merge holds OUTPUT's lock and builds each year
 * in a staging directory put in place only when complete (stage.h). */
#include "merge.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exitcode.h"
#include "forms.h"
#include "manifest.h"
#include "outfile.h"
#include "package.h"
#include "results.h"
#include "rfile.h"
#include "stage.h"

typedef struct shard {
    char dir[4096];               /* SHARD_DIR/<year> */
    FILE *res, *fnd, *man;
    int k, n;
    sbuf head;                    /* the results root line without its shard attribute */
    sbuf chunk;                   /* the current <unit> element */
    long seq;
    char id[160];
    bool have, error;
    results_totals totals;
    char res_hex[65], fnd_hex[65];  /* their lines in the shard's manifest */
    char *fline, *mline;          /* peeked lines of findings.txt / MANIFEST.sha256 */
    size_t fcap, mcap;
    bool fpeek, mpeek;
} shard;

typedef struct merge_ctx {
    const merge_opts *o;
    shard *sh;
    int n;
    sbuf err;
    int status;
} merge_ctx;

/* Value of attribute `name` in one line of our XML, or false. */
static bool line_attr(const char *line, const char *name, char *out, size_t n)
{
    char key[64];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *p = strstr(line, key);
    if (!p) return false;
    p += strlen(key);
    const char *q = strchr(p, '"');
    if (!q || (size_t)(q - p) >= n) return false;
    memcpy(out, p, (size_t)(q - p));
    out[q - p] = '\0';
    return true;
}

static bool read_line(FILE *f, char **buf, size_t *cap)
{
    return f && getline(buf, cap, f) > 0;
}

static void shard_close(shard *s)
{
    if (s->res) fclose(s->res);
    if (s->fnd) fclose(s->fnd);
    if (s->man) fclose(s->man);
    sbuf_free(&s->head);
    sbuf_free(&s->chunk);
    free(s->fline);
    free(s->mline);
    memset(s, 0, sizeof *s);
}

/* A manifest line: 64 lowercase hex digits, two spaces, a relative path
 * inside the year (no "..", no leading '/'), a newline. */
static bool manifest_line_ok(const char *line)
{
    size_t n = strlen(line);
    if (n < 68 || line[n - 1] != '\n' || strspn(line, "0123456789abcdef") != 64 || strncmp(line + 64, "  ", 2))
        return false;
    const char *rel = line + 66;
    return rel[0] != '/' && !strstr(rel, "..") && !strchr(rel, '\t') && strcspn(rel, "\n") == n - 67;
}

/* Read the whole manifest once before anything else of the shard: every
 * line parses, and results.xml and findings.txt are listed (their hashes
 * kept). The stream is rewound for the merge. */
static bool shard_check_manifest(shard *s, sbuf *why)
{
    char *line = NULL;
    size_t cap = 0;
    long no = 0;
    bool ok = true;
    while (ok && read_line(s->man, &line, &cap)) {
        no++;
        ok = manifest_line_ok(line);
        if (!ok) sbuf_printf(why, "MANIFEST.sha256:%ld: not a manifest line", no);
        else if (!strcmp(line + 66, "results.xml\n")) memcpy(s->res_hex, line, 64);
        else if (!strcmp(line + 66, "findings.txt\n")) memcpy(s->fnd_hex, line, 64);
    }
    free(line);
    if (ok && ferror(s->man)) {
        sbuf_printf(why, "MANIFEST.sha256: %s", strerror(errno));
        ok = false;
    }
    if (ok && (!s->res_hex[0] || !s->fnd_hex[0])) {
        sbuf_printf(why, "MANIFEST.sha256: %s not listed", s->res_hex[0] ? "findings.txt" : "results.xml");
        ok = false;
    }
    rewind(s->man);
    return ok;
}

/* Open a shard file that its manifest vouches for: regular, not a link,
 * and its bytes hash to `hex` (read from the descriptor then kept, so the
 * bytes checked are the bytes used). NULL with a reason in why. */
static FILE *open_verified(const shard *s, const char *name, const char *hex, bool *tampered, sbuf *why)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", s->dir, name);
    FILE *f = rfile_fopen(path, LLONG_MAX, RFILE_NOFOLLOW);
    if (!f) {
        *tampered = errno == RFILE_ENOTREG || errno == RFILE_ELINK;
        sbuf_printf(why, "%s: %s", name, rfile_strerror(errno));
        return NULL;
    }
    char got[65];
    bool ok = manifest_hash_stream(f, got) && !strcmp(got, hex) && fseek(f, 0, SEEK_SET) == 0;
    if (!ok) {
        *tampered = true;
        sbuf_printf(why, "%s", name);
        fclose(f);
        return NULL;
    }
    return f;
}

/* Open a shard's year: the manifest checked first, then results.xml and
 * findings.txt as it lists them, and the results header. */
static bool shard_open(shard *s, const char *root, int year, bool *tampered, sbuf *why)
{
    snprintf(s->dir, sizeof s->dir, "%s/%d", root, year);
    char path[4200];
    snprintf(path, sizeof path, "%s/MANIFEST.sha256", s->dir);
    s->man = rfile_fopen(path, LLONG_MAX, RFILE_NOFOLLOW);
    if (!s->man) {
        *tampered = errno == RFILE_ENOTREG || errno == RFILE_ELINK;
        sbuf_printf(why, "MANIFEST.sha256: %s", rfile_strerror(errno));
        return false;
    }
    if (!shard_check_manifest(s, why)) return false;
    s->res = open_verified(s, "results.xml", s->res_hex, tampered, why);
    s->fnd = s->res ? open_verified(s, "findings.txt", s->fnd_hex, tampered, why) : NULL;
    if (!s->res || !s->fnd) return false;
    char *line = NULL;
    size_t cap = 0;
    bool ok = read_line(s->res, &line, &cap) && !strncmp(line, "<?xml", 5) && read_line(s->res, &line, &cap) &&
              !strncmp(line, "<results xmlns=\"urn:kaohe:results:1\"", 36);
    if (ok) {
        char shard[32] = "1/1";
        line_attr(line, "shard", shard, sizeof shard);
        char tail;
        ok = sscanf(shard, "%d/%d%c", &s->k, &s->n, &tail) == 2 && s->k >= 1 && s->k <= s->n;
        /* the header as a single run writes it: without the shard attribute */
        char *at = strstr(line, " shard=\"");
        if (at) {
            char *end = strchr(at + 8, '"');
            if (end) memmove(at, end + 1, strlen(end + 1) + 1);
        }
        sbuf_puts(&s->head, line);
    }
    free(line);
    if (!ok) sbuf_puts(why, "not a results.xml written by kaohe build");
    return ok;
}

/* Read the shard's next <unit> (have = true) or its totals (have = false). */
static bool shard_next(shard *s, sbuf *why)
{
    char *line = NULL;
    size_t cap = 0;
    bool ok = false;
    s->have = false;
    sbuf_clear(&s->chunk);
    while (read_line(s->res, &line, &cap)) {
        if (!strncmp(line, "  <totals ", 10)) {
            char v[32];
            long *f[] = {&s->totals.units, &s->totals.persons, &s->totals.graded, &s->totals.excellent,
                         &s->totals.errors, &s->totals.warnings};
            const char *names[] = {"units", "persons", "graded", "excellent", "errors", "warnings"};
            ok = true;
            for (int i = 0; i < 6; i++) {
                ok = ok && line_attr(line, names[i], v, sizeof v);
                if (ok) *f[i] = strtol(v, NULL, 10);
            }
            break;
        }
        if (strncmp(line, "  <unit ", 8)) break;
        char seq[32], status[16];
        if (!line_attr(line, "id", s->id, sizeof s->id) || !line_attr(line, "seq", seq, sizeof seq) ||
            !line_attr(line, "status", status, sizeof status))
            break;
        s->seq = strtol(seq, NULL, 10);
        s->error = !strcmp(status, "error");
        sbuf_puts(&s->chunk, line);
        while (read_line(s->res, &line, &cap)) {
            sbuf_puts(&s->chunk, line);
            if (!strcmp(line, "  </unit>\n")) { ok = s->have = true; break; }
        }
        break;
    }
    free(line);
    if (!ok) sbuf_printf(why, "results.xml: unexpected content near unit %s", s->id);
    return ok;
}

/* The unit's lines of findings.txt ("<unit id>\t…"), in order. */
static void shard_findings(shard *s, FILE *out)
{
    size_t idlen = strlen(s->id);
    for (;;) {
        if (!s->fpeek && !(s->fpeek = read_line(s->fnd, &s->fline, &s->fcap))) return;
        if (strncmp(s->fline, s->id, idlen) || s->fline[idlen] != '\t') return;
        fputs(s->fline, out);
        s->fpeek = false;
    }
}

/* The unit's files listed in the shard's manifest ("HEX  <unit id>/…"):
 * placed under out_dir and hashed anew for the merged manifest; the new
 * hash must be the shard's (else *tampered: the file is not what the shard
 * wrote, or not a regular file). */
static bool shard_files(shard *s, const char *out_dir, sbuf *lines, bool *tampered, sbuf *why)
{
    size_t idlen = strlen(s->id);
    char src[8400], dst[8400];
    for (;;) {
        if (!s->mpeek && !(s->mpeek = read_line(s->man, &s->mline, &s->mcap))) return true;
        char *rel = s->mline + 66;   /* every line was checked by shard_check_manifest */
        if (strncmp(rel, s->id, idlen) || rel[idlen] != '/') return true;
        rel[strcspn(rel, "\n")] = '\0';
        snprintf(src, sizeof src, "%s/%s", s->dir, rel);
        snprintf(dst, sizeof dst, "%s/%s", out_dir, rel);
        char *slash = strrchr(dst, '/');
        *slash = '\0';
        bool ok = outfile_mkdirs(dst);
        *slash = '/';
        if (ok && !outfile_place(src, dst)) {
            *tampered = errno == RFILE_ENOTREG || errno == RFILE_ELINK || errno == ENOENT;
            sbuf_printf(why, "%s: %s", rel, rfile_strerror(errno));
            return false;
        }
        size_t before = lines->len;
        if (!ok || !manifest_add(lines, out_dir, rel)) {
            sbuf_printf(why, "%s: %s", rel, rfile_strerror(errno));
            return false;
        }
        if (memcmp(lines->data + before, s->mline, 64) != 0) {
            *tampered = true;
            sbuf_printf(why, "%s", rel);
            return false;
        }
        s->mpeek = false;
    }
}

/* After the shard's last unit its manifest may list only the year's own
 * files (summary, ranking, results.xml, findings.txt, the review page): a
 * unit file left over belongs to no unit of results.xml, or came out of
 * order. The year's files are made anew by the merge, never copied. */
static bool shard_manifest_rest(shard *s, sbuf *why)
{
    static const char *const own[] = { "results.xml", "findings.txt", "summary.pdf", "summary.xlsx",
                                       "summary.docx", "ranking.pdf", "ranking.xlsx", "ranking.docx",
                                       "index.html" };
    for (;;) {
        if (!s->mpeek && !(s->mpeek = read_line(s->man, &s->mline, &s->mcap))) return true;
        char *rel = s->mline + 66;
        rel[strcspn(rel, "\n")] = '\0';
        bool known = false;
        for (size_t i = 0; i < sizeof own / sizeof own[0] && !known; i++) known = !strcmp(rel, own[i]);
        if (!known) {
            sbuf_printf(why, "MANIFEST.sha256: %s belongs to no unit of results.xml", rel);
            return false;
        }
        s->mpeek = false;
    }
}

static void fail(merge_ctx *m, int status, const char *code, const char *a, const char *b)
{
    sbuf t = {0};
    msg_format(&t, m->o->lang, code, a, b);
    fprintf(m->o->err, "kaohe: %s [%s]\n", t.data, code);
    sbuf_free(&t);
    if (m->status < status) m->status = status;
}

/* Every shard of the year agrees on the header and N, and K = 1..N each once. */
static bool check_shards(merge_ctx *m, int year)
{
    int n = m->sh[0].n;
    bool *seen = xcalloc((size_t)n + 1, 1);
    bool ok = true;
    for (int i = 0; i < m->n && ok; i++) {
        shard *s = &m->sh[i];
        if (s->n != n || strcmp(s->head.data, m->sh[0].head.data) || seen[s->k]) {
            fail(m, EXIT_INPUT, "MERGE_MISMATCH", s->dir, s->n != n ? "shard N" : seen[s->k] ? "shard K" : "year/policy");
            ok = false;
        } else {
            seen[s->k] = true;
        }
    }
    sbuf missing = {0};
    for (int k = 1; ok && k <= n; k++)
        if (!seen[k]) sbuf_printf(&missing, "%s%d", missing.len ? "," : "", k);
    if (ok && missing.len) {
        sbuf t = {0};
        msg_format(&t, m->o->lang, "MERGE_INCOMPLETE", year, n, missing.data);
        fprintf(m->o->err, "kaohe: %s [MERGE_INCOMPLETE]\n", t.data);
        sbuf_free(&t);
        m->status = EXIT_INPUT;
        ok = false;
    }
    sbuf_free(&missing);
    free(seen);
    return ok;
}

typedef struct year_out {
    char dir[4200];               /* the year's staging directory */
    bool staged;
    outfile xml, txt, man;
    results_totals totals;
    bool any_error;
} year_out;

static bool open_out(year_out *y, const merge_opts *o, int year)
{
    sbuf staged = {0};
    y->staged = stage_year_open(o->output_dir, year, &staged);
    snprintf(y->dir, sizeof y->dir, "%s", y->staged ? staged.data : o->output_dir);
    sbuf_free(&staged);
    char path[4300];
    bool ok = y->staged;
    snprintf(path, sizeof path, "%s/results.xml", y->dir);
    ok = ok && outfile_open(&y->xml, path);
    snprintf(path, sizeof path, "%s/findings.txt", y->dir);
    ok = ok && outfile_open(&y->txt, path);
    snprintf(path, sizeof path, "%s/MANIFEST.sha256", y->dir);
    ok = ok && outfile_open(&y->man, path);
    return ok;
}

static void abort_out(year_out *y)
{
    outfile_abort(&y->xml);
    outfile_abort(&y->txt);
    outfile_abort(&y->man);
}

/* The k-way merge of the units by seq. */
static bool merge_units(merge_ctx *m, year_out *y)
{
    sbuf lines = {0}, why = {0};
    bool ok = true;
    for (;;) {
        shard *next = NULL;
        for (int i = 0; i < m->n; i++) {
            shard *s = &m->sh[i];
            if (!s->have) continue;
            if (next && s->seq == next->seq) {
                fail(m, EXIT_INPUT, "MERGE_MISMATCH", s->dir, s->id);
                ok = false;
            }
            if (!next || s->seq < next->seq) next = s;
        }
        if (!next || !ok) break;
        fputs(next->chunk.data, y->xml.fp);
        shard_findings(next, y->txt.fp);
        y->any_error |= next->error;
        sbuf_clear(&lines);
        bool tampered = false;
        if (!shard_files(next, y->dir, &lines, &tampered, &why)) {
            if (tampered) fail(m, EXIT_INPUT, "MERGE_TAMPERED", next->dir, why.data);
            else fail(m, EXIT_OUTPUT, "OUTPUT_FAILED", y->dir, why.data);
            ok = false;
            break;
        }
        if (lines.len) fputs(lines.data, y->man.fp);
        if (!shard_next(next, &why)) {
            fail(m, EXIT_INPUT, "MERGE_UNREADABLE", next->dir, why.data);
            ok = false;
            break;
        }
    }
    for (int i = 0; i < m->n && ok; i++) {
        sbuf_clear(&why);
        if (!shard_manifest_rest(&m->sh[i], &why)) {
            fail(m, EXIT_INPUT, "MERGE_UNREADABLE", m->sh[i].dir, why.data);
            ok = false;
        }
    }
    sbuf_free(&lines);
    sbuf_free(&why);
    return ok;
}

static bool has_file(const shard *sh, int n, const char *name)
{
    char path[4300];
    struct stat st;
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", sh[i].dir, name);
        if (lstat(path, &st) == 0) return true;
    }
    return false;
}

/* Open every shard holding the year; false (reported) when one is
 * unreadable, tampered with or not from the same run. */
static bool open_shards(merge_ctx *m, char *const *roots, int year)
{
    sbuf why = {0};
    bool ok = true;
    m->n = 0;
    for (int i = 0; roots[i] && ok; i++) {
        shard *s = &m->sh[m->n];
        char probe[4200];
        struct stat st;
        snprintf(probe, sizeof probe, "%s/%d", roots[i], year);
        if (lstat(probe, &st) != 0) continue;   /* this shard has no unit of that year */
        m->n++;
        bool tampered = false;
        sbuf_clear(&why);
        if (!S_ISDIR(st.st_mode)) {
            fail(m, EXIT_INPUT, "MERGE_TAMPERED", probe, "(not a directory)");
            ok = false;
        } else if (!shard_open(s, roots[i], year, &tampered, &why) || !shard_next(s, &why)) {
            fail(m, EXIT_INPUT, tampered ? "MERGE_TAMPERED" : "MERGE_UNREADABLE", s->dir, why.data);
            ok = false;
        }
    }
    sbuf_free(&why);
    return ok && check_shards(m, year);
}

/* results.xml and findings.txt in place in the staging directory, then the
 * summary and the manifest: true when the year is complete. */
static bool finish_year(merge_ctx *m, year_out *y)
{
    for (int i = 0; i < m->n; i++) results_totals_add(&y->totals, &m->sh[i].totals);
    sbuf tail = {0}, why = {0};
    results_totals_xml(&tail, &y->totals);
    sbuf_puts(&tail, "</results>\n");
    fputs(tail.data, y->xml.fp);
    sbuf_free(&tail);
    bool committed = outfile_commit(&y->xml) && outfile_commit(&y->txt);
    if (!committed) {
        int e = errno;
        abort_out(y);
        fail(m, EXIT_OUTPUT, "OUTPUT_FAILED", y->dir, strerror(e));
        return false;
    }
    forms_opts fo = {has_file(m->sh, m->n, "summary.pdf"), has_file(m->sh, m->n, "summary.xlsx"), false,
                     m->o->run_epoch, m->o->lang, NULL};
    fo.want_docx = has_file(m->sh, m->n, "summary.docx");
    forms_ctx *fc = NULL;
    if (fo.want_pdf || fo.want_xlsx || fo.want_docx) {
        char e[1024], dir[4200];
        snprintf(dir, sizeof dir, "%s/forms", m->o->templates_dir);
        fc = forms_ctx_new(dir, m->o->lang, e, sizeof e);
        if (!fc) sbuf_puts(&why, e);
    }
    bool ok = !why.len && package_finish_year(fc, y->dir, &fo, &y->man, &why);
    if (!ok) {
        outfile_abort(&y->man);   /* no-op when package_finish_year got to it */
        fail(m, EXIT_OUTPUT, "OUTPUT_FAILED", y->dir, why.data ? why.data : "");
    }
    forms_ctx_free(fc);
    sbuf_free(&why);
    return ok;
}

static void merge_year(merge_ctx *m, char *const *roots, int year)
{
    year_out y = {0};
    bool ok = open_shards(m, roots, year);
    if (ok && !open_out(&y, m->o, year)) {
        fail(m, EXIT_OUTPUT, "OUTPUT_FAILED", y.dir, msg_syserr(m->o->lang, errno));
        abort_out(&y);
        ok = false;
    }
    if (ok) {
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", y.xml.fp);
        fputs(m->sh[0].head.data, y.xml.fp);
        ok = merge_units(m, &y);
        if (!ok) abort_out(&y);
    }
    ok = ok && finish_year(m, &y);
    if (ok && !stage_year_commit(m->o->output_dir, year, y.dir)) {
        fail(m, EXIT_OUTPUT, "OUTPUT_FAILED", y.dir, strerror(errno));
        ok = false;
    }
    if (ok && y.any_error && m->status == EXIT_OK) m->status = EXIT_UNIT_ERRORS;
    if (!ok && y.staged) {
        stage_year_discard(y.dir);
        char final[4200];
        snprintf(final, sizeof final, "%s/%d", m->o->output_dir, year);
        sbuf t = {0};
        msg_format(&t, m->o->lang, "YEAR_KEPT", final);
        fprintf(m->o->err, "kaohe: %s [YEAR_KEPT]\n", t.data);
        sbuf_free(&t);
    }
    for (int i = 0; i < m->n; i++) shard_close(&m->sh[i]);
}

/* Years present in any shard: its 4-digit subdirectories. */
static int collect_years(char *const *roots, int n, int *years, int max)
{
    int ny = 0;
    for (int i = 0; i < n; i++) {
        DIR *d = opendir(roots[i]);
        if (!d) continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            const char *s = e->d_name;
            if (strlen(s) != 4 || strspn(s, "0123456789") != 4) continue;
            int y = atoi(s), j = 0;
            while (j < ny && years[j] != y) j++;
            if (j == ny && ny < max) years[ny++] = y;
        }
        closedir(d);
    }
    for (int i = 1; i < ny; i++)   /* ascending */
        for (int j = i; j > 0 && years[j - 1] > years[j]; j--) {
            int t = years[j];
            years[j] = years[j - 1];
            years[j - 1] = t;
        }
    return ny;
}

/* OUTPUT's lock for the merge's life, as for a build (stage.h). */
static bool lock_output(merge_ctx *m, stage_lock *lock)
{
    int e = stage_lock_take(lock, m->o->output_dir, m->o->wait);
    if (e == EINVAL) fail(m, EXIT_USAGE, "USAGE", "-o DIR: empty", "");
    else if (e == EWOULDBLOCK) fail(m, EXIT_OUTPUT, "OUTPUT_LOCKED", m->o->output_dir, "");
    else if (e) fail(m, EXIT_OUTPUT, "OUTPUT_FAILED", m->o->output_dir, strerror(e));
    if (e == 0) stage_sweep(m->o->output_dir);
    return e == 0;
}

int merge_run(const merge_opts *o, char *const *shard_dirs, int n)
{
    merge_ctx m = {o, xcalloc((size_t)n, sizeof(shard)), 0, {0}, EXIT_OK};
    stage_lock lock = {-1, NULL};
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (stat(shard_dirs[i], &st) != 0 || !S_ISDIR(st.st_mode))
            fail(&m, EXIT_INPUT, "MERGE_UNREADABLE", shard_dirs[i], msg_syserr(o->lang, errno ? errno : ENOTDIR));
    }
    enum { MAX_YEARS = 10000 };   /* every 4-digit year */
    int *years = xcalloc(MAX_YEARS, sizeof *years);
    int ny = m.status == EXIT_OK ? collect_years(shard_dirs, n, years, MAX_YEARS) : 0;
    if (m.status == EXIT_OK && ny == 0) fail(&m, EXIT_INPUT, "MERGE_UNREADABLE", shard_dirs[0], "no <year>/results.xml");
    if (m.status == EXIT_OK) lock_output(&m, &lock);
    char **roots = xcalloc((size_t)n + 1, sizeof *roots);
    for (int i = 0; i < n; i++) roots[i] = shard_dirs[i];
    for (int i = 0; i < ny && (m.status == EXIT_OK || m.status == EXIT_UNIT_ERRORS); i++)
        merge_year(&m, roots, years[i]);
    stage_lock_release(&lock);
    free(roots);
    free(years);
    free(m.sh);
    sbuf_free(&m.err);
    return m.status;
}

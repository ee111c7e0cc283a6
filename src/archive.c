/* archive — see archive.h.
 *
 * Three passes, each bounded by one page image per thread:
 *  1. the package: each unit's PDFs read page by page with poppler for the
 *     code text printed under each page's QR code (what was printed: unit,
 *     person, form, pages, the document's check value);
 *  2. the scans: every page decoded by a pool of threads (scan.h);
 *  3. the volumes: each person's and unit's pages, in print order, loaded
 *     once more from their scans into the archive PDFs. */
#include "archive.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <poppler.h>
#include <xlsxwriter.h>

#include "batch.h"
#include "diag.h"
#include "manifest.h"
#include "outfile.h"
#include "pdfa.h"
#include "qr.h"
#include "scan.h"
#include "sigcheck.h"
#include "volume.h"
#include "xlsxw.h"

/* ---------------------------------------------------------------- the package */

/* A printed document: its pages and, once filed, the scanned page of each. */
typedef struct adoc {
    qr_ident id;                 /* page 1's identifier (page is unused) */
    long seq;                    /* order read (files sorted, pages in order) */
    size_t file;                 /* the package PDF it was read from (package.files) */
    int first;                   /* its first page there (0-based); its pages follow */
    long *scan;                  /* pages: index of the scanned page filed, -1 none */
    int *times;                  /* pages: times scanned */
} adoc;

typedef struct package {
    adoc *v;
    size_t n, cap;
    int year;
    adoc **by_key;               /* v sorted by (unit, person, form) */
    char **files;                /* the package PDFs read, paths */
    char **titles;               /* and their titles (NULL: none) */
    size_t nfiles;
} package;

static void package_free(package *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].scan);
        free(p->v[i].times);
    }
    free(p->v);
    free(p->by_key);
    for (size_t i = 0; i < p->nfiles; i++) {
        free(p->files[i]);
        g_free(p->titles[i]);
    }
    free(p->files);
    free(p->titles);
}

/* The code text on a printed page ("KH1 ..." up to the line's end). */
static bool page_ident(PopplerPage *pg, qr_ident *id)
{
    char *t = poppler_page_get_text(pg);
    const char *k = t ? strstr(t, "KH1 ") : NULL;
    bool ok = k && qr_parse(k, strcspn(k, "\r\n"), id);
    g_free(t);
    return ok;
}

static void package_add_page(package *p, const qr_ident *id, int index)
{
    adoc *last = p->n ? &p->v[p->n - 1] : NULL;
    if (last && !strcmp(last->id.unit, id->unit) && !strcmp(last->id.person, id->person) &&
        !strcmp(last->id.form, id->form) && !strcmp(last->id.check, id->check))
        return;   /* a further page of the document just read */
    if (p->n == p->cap) p->v = xrealloc(p->v, (p->cap = p->cap ? 2 * p->cap : 64) * sizeof *p->v);
    adoc *d = &p->v[p->n];
    *d = (adoc){*id, (long)p->n, p->nfiles - 1, index, NULL, NULL};
    d->scan = xmalloc((size_t)id->pages * sizeof *d->scan);
    d->times = xcalloc((size_t)id->pages, sizeof *d->times);
    for (int k = 0; k < id->pages; k++) d->scan[k] = -1;
    p->n++;
    if (!p->year) p->year = id->year;
}

static bool read_package_pdf(package *p, const char *path, sbuf *err)
{
    GError *ge = NULL;
    char *abs = realpath(path, NULL);
    char *uri = abs ? g_filename_to_uri(abs, NULL, &ge) : NULL;
    PopplerDocument *doc = uri ? poppler_document_new_from_file(uri, NULL, &ge) : NULL;
    g_free(uri);
    free(abs);
    if (!doc) {
        sbuf_printf(err, "%s: %s", path, ge ? ge->message : strerror(errno));
        if (ge) g_error_free(ge);
        return false;
    }
    p->files = xrealloc(p->files, (p->nfiles + 1) * sizeof *p->files);
    p->titles = xrealloc(p->titles, (p->nfiles + 1) * sizeof *p->titles);
    p->titles[p->nfiles] = poppler_document_get_title(doc);   /* the form's title, for the contents */
    p->files[p->nfiles++] = xstrdup(path);
    int n = poppler_document_get_n_pages(doc);
    for (int i = 0; i < n; i++) {
        PopplerPage *pg = poppler_document_get_page(doc, i);
        qr_ident id;
        if (pg && page_ident(pg, &id)) package_add_page(p, &id, i);
        if (pg) g_object_unref(pg);
    }
    g_object_unref(doc);
    return true;
}

static int str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The entries of dir (no dot files), sorted; *n of them. */
static char **list_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    *n = 0;
    if (!d) return NULL;
    char **v = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (*n == cap) v = xrealloc(v, (cap = cap ? 2 * cap : 32) * sizeof *v);
        v[(*n)++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (*n) qsort(v, *n, sizeof *v, str_cmp);
    return v;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* Every unit directory's PDFs (not registration/<person>.pdf, the same
 * documents again; not the run's summary and ranking, which nobody signs). */
static bool read_package(package *p, const char *dir, sbuf *err)
{
    size_t nu;
    char **units = list_dir(dir, &nu);
    if (!units) {
        sbuf_printf(err, "%s: %s", dir, strerror(errno ? errno : ENOENT));
        return false;
    }
    bool ok = true;
    sbuf path = {0};
    for (size_t u = 0; ok && u < nu; u++) {
        sbuf_clear(&path);
        sbuf_printf(&path, "%s/%s", dir, units[u]);
        struct stat st;
        if (stat(path.data, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        size_t nf;
        char **files = list_dir(path.data, &nf);
        for (size_t f = 0; ok && f < nf; f++) {
            if (!has_suffix(files[f], ".pdf")) continue;
            sbuf_clear(&path);
            sbuf_printf(&path, "%s/%s/%s", dir, units[u], files[f]);
            ok = read_package_pdf(p, path.data, err);
        }
        free_list(files, nf);
    }
    sbuf_free(&path);
    free_list(units, nu);
    if (ok && p->n == 0) {
        sbuf_printf(err, "%s: no page carries a kaohe page code", dir);
        ok = false;
    }
    return ok;
}

static int key_cmp3(const qr_ident *a, const qr_ident *b)
{
    int c = strcmp(a->unit, b->unit);
    if (!c) c = strcmp(a->person, b->person);
    if (!c) c = strcmp(a->form, b->form);
    return c;
}

static int by_key_cmp(const void *a, const void *b)
{
    return key_cmp3(&(*(adoc *const *)a)->id, &(*(adoc *const *)b)->id);
}

/* Print order: unit, then form (as a package prints them), then the order
 * the documents came in (the registration's persons in its order). */
static int print_cmp(const void *a, const void *b)
{
    const adoc *x = a, *y = b;
    int c = strcmp(x->id.unit, y->id.unit);
    if (!c) c = qr_form_order(x->id.form) - qr_form_order(y->id.form);
    if (!c) c = (x->seq > y->seq) - (x->seq < y->seq);
    return c;
}

static void package_index(package *p)
{
    qsort(p->v, p->n, sizeof *p->v, print_cmp);
    p->by_key = xmalloc((p->n ? p->n : 1) * sizeof *p->by_key);
    for (size_t i = 0; i < p->n; i++) p->by_key[i] = &p->v[i];
    if (p->n) qsort(p->by_key, p->n, sizeof *p->by_key, by_key_cmp);
}

static adoc *package_find(const package *p, const qr_ident *id)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = key_cmp3(&p->by_key[mid]->id, id);
        if (c == 0) return p->by_key[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* ---------------------------------------------------------------- decoding */

typedef struct apage {
    size_t file;
    int page;                    /* 0-based in its file */
    scan_code code;
    sig_result sig;              /* its signature places (a current page of the package) */
    enum { FILED_OK, NO_CODE, NOT_IN_PACKAGE, STALE } why_not;   /* unrecognised: why */
    bool unreadable;
    char why[256];               /* unreadable: the reader's message */
    bool filed;
} apage;

typedef struct pool {
    const scan_list *scans;
    const package *pkg;
    apage *pages;
    size_t n;
    atomic_size_t next;
} pool;

enum { CHUNK_PAGES = 4 };   /* consecutive pages a worker takes: one open document serves them */

/* The printed document of a decoded page: in the package, and current. */
static const adoc *current_doc(const package *p, const scan_code *c, qr_ident *id)
{
    if (!c->text[0] || !qr_parse(c->text, strlen(c->text), id) || id->year != p->year) return NULL;
    const adoc *d = package_find(p, id);
    return d && !strcmp(d->id.check, id->check) && d->id.pages == id->pages ? d : NULL;
}

/* The signature places of a current page, judged on its scan
 * (UNSIGNED_SUSPECT): against the page the package printed. */
static void check_signatures(const pool *pl, sig_checker *sc, apage *pg, const scan_image *img)
{
    qr_ident id;
    const adoc *d = current_doc(pl->pkg, &pg->code, &id);
    if (d && !sig_check(sc, pl->pkg->files[d->file], d->first + id.page - 1, pg->code.text, img, pg->code.corners,
                        &pg->sig))
        memset(&pg->sig, 0, sizeof pg->sig);
}

static void *decode_worker(void *arg)
{
    pool *pl = arg;
    scan_reader *r = scan_reader_new();
    sig_checker *sc = sig_checker_new();
    sbuf err = {0};
    for (;;) {
        size_t from = atomic_fetch_add(&pl->next, CHUNK_PAGES);
        if (from >= pl->n) break;
        size_t to = from + CHUNK_PAGES < pl->n ? from + CHUNK_PAGES : pl->n;
        for (size_t i = from; i < to; i++) {
            apage *pg = &pl->pages[i];
            const scan_image *img;
            const scan_file *file = &pl->scans->v[pg->file];
            sbuf_clear(&err);
            scan_reader_coarse(r, true);   /* cheaper; a page it does not decode is read again at full size */
            bool ok = scan_read(r, file, pg->page, &img, &err), found = ok && scan_decode(img, &pg->code);
            if (ok && !found && img->reduced) {
                scan_reader_coarse(r, false);
                ok = scan_read(r, file, pg->page, &img, &err);
                found = ok && scan_decode(img, &pg->code);
            }
            if (!ok) {
                pg->unreadable = true;
                snprintf(pg->why, sizeof pg->why, "%s", err.data ? err.data : "");
                continue;
            }
            if (found) check_signatures(pl, sc, pg, img);
        }
    }
    sbuf_free(&err);
    sig_checker_free(sc);
    scan_reader_free(r);
    return NULL;
}

static void decode_all(pool *pl, int jobs)
{
    if (jobs < 1) jobs = 1;
    if ((size_t)jobs > pl->n / CHUNK_PAGES + 1) jobs = (int)(pl->n / CHUNK_PAGES + 1);
    pthread_t *t = xcalloc((size_t)jobs, sizeof *t);
    int started = 0;
    for (int i = 1; i < jobs; i++)
        if (pthread_create(&t[i], NULL, decode_worker, pl) == 0) started = i;
        else break;
    decode_worker(pl);
    for (int i = 1; i <= started; i++) pthread_join(t[i], NULL);
    free(t);
}

/* ---------------------------------------------------------------- filing */

typedef struct filing {
    const archive_opts *o;
    const scan_list *scans;
    package pkg;
    apage *pages;
    size_t npages;
    size_t *unrec;               /* pages not filed, in scan order */
    size_t nunrec;
    bool unreadable;
    const tpl_form *contents;    /* templates/forms/contents.xml: each volume's 卷内目录 */
    const font_set *fs;
} filing;

static void say(const filing *f, const char *code, ...)
{
    va_list ap;
    va_start(ap, code);
    sbuf m = {0};
    sbuf_vprintf(&m, msg_fmt(f->o->lang, code), ap);
    va_end(ap);
    fprintf(f->o->err, "kaohe: %s [%s]\n", m.data ? m.data : "", code);
    sbuf_free(&m);
}

static void file_page(filing *f, size_t i)
{
    apage *pg = &f->pages[i];
    const char *src = f->scans->v[pg->file].path;
    qr_ident id;
    sbuf who = {0};
    if (pg->unreadable) {
        f->unreadable = true;
        say(f, "ARCHIVE_SCAN_UNREADABLE", pg->why);
    } else if (!pg->code.text[0] || !qr_parse(pg->code.text, strlen(pg->code.text), &id)) {
        say(f, "ARCHIVE_NO_CODE", src, pg->page + 1);
        pg->why_not = NO_CODE;
    } else {
        adoc *d = id.year == f->pkg.year ? package_find(&f->pkg, &id) : NULL;
        sbuf_printf(&who, "%d %s %s %s", id.year, id.unit, id.person, id.form);
        if (!d) {
            say(f, "ARCHIVE_NOT_IN_PACKAGE", src, pg->page + 1, who.data);
            pg->why_not = NOT_IN_PACKAGE;
        } else if (strcmp(d->id.check, id.check) || d->id.pages != id.pages) {
            say(f, "ARCHIVE_STALE_PAGE", src, pg->page + 1, who.data, id.check, d->id.check);
            pg->why_not = STALE;
        } else {
            int k = id.page - 1;
            if (d->times[k]++ == 0) d->scan[k] = (long)i;
            pg->filed = true;
        }
    }
    sbuf_free(&who);
    if (!pg->filed && !pg->unreadable) f->unrec[f->nunrec++] = i;
}

/* ---------------------------------------------------------------- volumes */

typedef struct outputs {
    const char *year_dir;
    sbuf manifest;               /* "rel\n" of each file written */
    sbuf err;
    bool failed;
} outputs;

static void wrote(outputs *out, const char *rel) { sbuf_printf(&out->manifest, "%s\n", rel); }

/* A volume being gathered: its scanned pages and its contents' rows (their
 * texts malloc'd). */
typedef struct vbuild {
    volume_page *pages;
    size_t npages, cap;
    volume_row *rows;
    size_t nrows, rcap;
} vbuild;

static void vbuild_clear(vbuild *b)
{
    for (size_t i = 0; i < b->nrows; i++) {
        free((char *)b->rows[i].doc);
        free((char *)b->rows[i].scans);
    }
    b->npages = b->nrows = 0;
}

static void vbuild_free(vbuild *b)
{
    vbuild_clear(b);
    free(b->pages);
    free(b->rows);
}

/* The scan's file name (not its folder: the same scans elsewhere give the
 * same volume) and page, as the contents show it. */
static void scan_ref(const filing *f, const apage *pg, sbuf *out)
{
    const char *path = f->scans->v[pg->file].path, *slash = strrchr(path, '/');
    sbuf_printf(out, "%s:%d", slash ? slash + 1 : path, pg->page + 1);
}

static void add_page(const filing *f, vbuild *b, const apage *pg)
{
    if (b->npages == b->cap) b->pages = xrealloc(b->pages, (b->cap = b->cap ? 2 * b->cap : 16) * sizeof *b->pages);
    b->pages[b->npages++] = (volume_page){&f->scans->v[pg->file], pg->page, pg->code.turn};
}

static void add_row(vbuild *b, const char *doc, int first, int last, sbuf *scans)
{
    if (b->nrows == b->rcap) b->rows = xrealloc(b->rows, (b->rcap = b->rcap ? 2 * b->rcap : 16) * sizeof *b->rows);
    b->rows[b->nrows++] = (volume_row){xstrdup(doc), first, last, scans->data ? scans->data : xstrdup("")};
    *scans = (sbuf){0};
}

/* A document's found pages into the volume and its row into the contents:
 * the scan of each page, or 缺 where none was found. */
static void add_doc(const filing *f, vbuild *b, const adoc *d)
{
    sbuf sc = {0};
    int first = 0, last = 0;
    for (int k = 0; k < d->id.pages; k++) {
        if (d->id.pages > 1) sbuf_printf(&sc, "%s第%d页 ", k ? "；" : "", k + 1);
        if (d->scan[k] < 0) {
            sbuf_puts(&sc, "缺");
            continue;
        }
        const apage *pg = &f->pages[d->scan[k]];
        add_page(f, b, pg);
        last = (int)b->npages;
        if (!first) first = last;
        scan_ref(f, pg, &sc);
    }
    const char *title = f->pkg.titles[d->file];
    add_row(b, title && title[0] ? title : qr_form_base(d->id.form), first, last, &sc);
}

#define CONTENTS_NOTE "“扫描件”一栏为扫描文件的文件名及文件中的页次；“缺”为未收到扫描件的页。"

/* ARCHIVE/<year>/<rel> from b (nothing when it has no page). */
static void volume_out(const filing *f, scan_reader *r, outputs *out, const char *rel, const vbuild *b,
                       const char *heading)
{
    if (!b->npages || out->failed) return;
    sbuf path = {0};
    sbuf_printf(&path, "%s/%s", out->year_dir, rel);
    char *slash = strrchr(path.data, '/');
    *slash = 0;   /* the unit's directory, made for its first volume */
    bool dir = outfile_mkdirs(path.data);
    *slash = '/';
    if (!dir) sbuf_printf(&out->err, "%s: %s", path.data, strerror(errno));
    sbuf title = {0};   /* "2025 U001/P0001" (ASCII: ids only) */
    sbuf_printf(&title, "%d %.*s", f->pkg.year, (int)(strlen(rel) - 4), rel);
    volume v = {title.data, heading, CONTENTS_NOTE, b->rows, b->nrows, b->pages, b->npages};
    if (dir && volume_write(f->contents, f->fs, f->o->epoch, r, &v, path.data, &out->err)) wrote(out, rel);
    else out->failed = true;
    sbuf_free(&title);
    sbuf_free(&path);
}

/* The documents of [from, to) of `person` ("-": the unit's) into b. */
static void gather(const filing *f, size_t from, size_t to, const char *person, vbuild *b)
{
    vbuild_clear(b);
    for (size_t i = from; i < to; i++)
        if (!strcmp(f->pkg.v[i].id.person, person)) add_doc(f, b, &f->pkg.v[i]);
}

/* ARCHIVE/<year>/<unit>/<person>.pdf and unit.pdf for the unit's documents
 * [from, to) (print order). */
static void unit_volumes(const filing *f, scan_reader *r, outputs *out, size_t from, size_t to)
{
    const char *unit = f->pkg.v[from].id.unit;
    sbuf rel = {0}, head = {0};
    vbuild b = {0};
    for (size_t i = from; i < to && !out->failed; i++) {
        const char *person = f->pkg.v[i].id.person;
        bool first = strcmp(person, "-") != 0;
        for (size_t j = from; first && j < i; j++)
            if (!strcmp(f->pkg.v[j].id.person, person)) first = false;
        if (!first) continue;
        gather(f, from, to, person, &b);
        sbuf_clear(&rel);
        sbuf_printf(&rel, "%s/%s.pdf", unit, person);
        sbuf_clear(&head);
        sbuf_printf(&head, "%d年度　单位 %s　人员 %s", f->pkg.year, unit, person);
        volume_out(f, r, out, rel.data, &b, head.data);
    }
    gather(f, from, to, "-", &b);
    sbuf_clear(&rel);
    sbuf_printf(&rel, "%s/unit.pdf", unit);
    sbuf_clear(&head);
    sbuf_printf(&head, "%d年度　单位 %s　单位文件", f->pkg.year, unit);
    volume_out(f, r, out, rel.data, &b, head.data);
    vbuild_free(&b);
    sbuf_free(&rel);
    sbuf_free(&head);
}

/* unrecognised.pdf: a row a page, saying why it was not filed. */
static void unrecognised_volume(const filing *f, scan_reader *r, outputs *out)
{
    static const char *const WHY[] = {"", "没有可识别的页码二维码", "不在本次考核结果中", "较早一次生成的打印页"};
    vbuild b = {0};
    sbuf doc = {0}, sc = {0};
    for (size_t k = 0; k < f->nunrec; k++) {
        const apage *pg = &f->pages[f->unrec[k]];
        add_page(f, &b, pg);
        sbuf_clear(&doc);
        sbuf_puts(&doc, WHY[pg->why_not]);
        if (pg->why_not != NO_CODE) sbuf_printf(&doc, "（%s）", pg->code.text);
        scan_ref(f, pg, &sc);
        add_row(&b, doc.data, (int)b.npages, (int)b.npages, &sc);
    }
    sbuf head = {0};
    sbuf_printf(&head, "%d年度　未能归档的扫描页", f->pkg.year);
    volume_out(f, r, out, "unrecognised.pdf", &b, head.data);
    sbuf_free(&head);
    sbuf_free(&doc);
    sbuf_free(&sc);
    vbuild_free(&b);
}

/* ---------------------------------------------------------------- warnings */

/* One line per signature place that looks empty on its filed scan, in print
 * order: UNSIGNED_SUSPECT, unit, person, form, page, place (its order on the
 * page), its name, the share of it inked, and the scan it is on. */
static void warning_lines(const filing *f, sbuf *out)
{
    for (size_t i = 0; i < f->pkg.n; i++) {
        const adoc *d = &f->pkg.v[i];
        for (int k = 0; k < d->id.pages; k++) {
            const apage *pg = d->scan[k] >= 0 ? &f->pages[d->scan[k]] : NULL;
            if (!pg || !pg->sig.empty) continue;
            for (const char *l = pg->sig.empty; *l;) {   /* "n\tname\tink\n" */
                const char *e = strchr(l, '\n');
                const char *t1 = strchr(l, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
                if (!e || !t2 || t2 > e) break;
                sbuf_printf(out, "UNSIGNED_SUSPECT\t%s\t%s\t%s\t%d\t%.*s\t%.*s\t%.1f%%\t%s:%d\n", d->id.unit,
                            d->id.person, qr_form_base(d->id.form), k + 1, (int)(t1 - l), l, (int)(t2 - t1 - 1), t1 + 1,
                            100 * atof(t2 + 1), f->scans->v[pg->file].path, pg->page + 1);
                l = e + 1;
            }
        }
    }
}

/* The cells of a warning line (tab-separated) into v; how many (at most max). */
static int split_tabs(char *line, char **v, int max)
{
    int n = 0;
    for (char *save = NULL, *c = strtok_r(line, "\t", &save); c && n < max; c = strtok_r(NULL, "\t", &save))
        v[n++] = c;
    return n;
}

/* Each warning on stderr too: person, form, page, place and scan. */
static void say_warnings(const filing *f, const sbuf *w)
{
    if (!w->len) return;
    char *copy = xstrdup(w->data);
    for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char *c[9];
        if (split_tabs(l, c, 9) == 9) say(f, c[0], c[1], c[2], c[3], atoi(c[4]), c[6], c[8], c[7]);
    }
    free(copy);
}

static bool write_warnings_txt(const sbuf *w, outputs *out)
{
    sbuf path = {0};
    sbuf_printf(&path, "%s/warnings.txt", out->year_dir);
    outfile of;
    bool ok = outfile_open(&of, path.data);
    if (ok) {
        if (w->len) fwrite(w->data, 1, w->len, of.fp);
        ok = outfile_commit(&of);
    }
    if (ok) wrote(out, "warnings.txt");
    else sbuf_printf(&out->err, "%s: %s", path.data, strerror(errno));
    sbuf_free(&path);
    return ok;
}

/* ---------------------------------------------------------------- report */

/* "1,3" or "-": the pages k (1-based) of d for which pick(d, k) holds. */
static void page_list(const adoc *d, bool dup, sbuf *out)
{
    size_t before = out->len;
    for (int k = 0; k < d->id.pages; k++) {
        bool hit = dup ? d->times[k] > 1 : d->times[k] == 0;
        if (hit) sbuf_printf(out, "%s%d", out->len > before ? "," : "", k + 1);
    }
    if (out->len == before) sbuf_putc(out, '-');
}

static int pages_found(const adoc *d)
{
    int n = 0;
    for (int k = 0; k < d->id.pages; k++) n += d->times[k] > 0;
    return n;
}

/* One report row's cells. */
static void report_cells(const adoc *d, sbuf cells[8])
{
    for (int c = 0; c < 8; c++) sbuf_clear(&cells[c]);
    sbuf_puts(&cells[0], d->id.unit);
    sbuf_puts(&cells[1], d->id.person);
    sbuf_puts(&cells[2], qr_form_base(d->id.form));
    sbuf_printf(&cells[3], "%d", d->id.pages);
    sbuf_printf(&cells[4], "%d", pages_found(d));
    page_list(d, false, &cells[5]);
    page_list(d, true, &cells[6]);
    sbuf_puts(&cells[7], pages_found(d) == d->id.pages ? "complete" : "incomplete");
}

static const char *const HEAD[8] = {"unit", "person", "form", "pages expected", "pages found",
                                    "missing", "duplicates", "status"};

static void unrec_entry(const filing *f, size_t k, sbuf *out)
{
    const apage *pg = &f->pages[f->unrec[k]];
    sbuf_printf(out, "%s:%d", f->scans->v[pg->file].path, pg->page + 1);
}

static bool write_report_txt(const filing *f, outputs *out)
{
    sbuf path = {0};
    sbuf_printf(&path, "%s/report.txt", out->year_dir);
    outfile of;
    bool ok = outfile_open(&of, path.data);
    sbuf cells[8] = {{0}};
    for (size_t i = 0; ok && i < f->pkg.n; i++) {
        report_cells(&f->pkg.v[i], cells);
        for (int c = 0; c < 8; c++) fprintf(of.fp, "%s%s", c ? "\t" : "", cells[c].data);
        fputc('\n', of.fp);
    }
    if (ok) {
        sbuf line = {0};
        sbuf_printf(&line, "unrecognised\t%zu", f->nunrec);
        for (size_t k = 0; k < f->nunrec; k++) {
            sbuf_putc(&line, '\t');
            unrec_entry(f, k, &line);
        }
        fprintf(of.fp, "%s\n", line.data);
        sbuf_free(&line);
        ok = outfile_commit(&of);
    }
    for (int c = 0; c < 8; c++) sbuf_free(&cells[c]);
    if (ok) wrote(out, "report.txt");
    else sbuf_printf(&out->err, "%s: %s", path.data, strerror(errno));
    sbuf_free(&path);
    return ok;
}

/* warnings.txt as a second sheet, with a header row. */
static void warnings_sheet(lxw_workbook *wb, lxw_format *bold, lxw_format *quoted, const sbuf *w)
{
    static const char *const head[9] = {"warning", "unit", "person", "form", "page", "place", "field", "ink",
                                        "scan"};
    lxw_worksheet *ws = workbook_add_worksheet(wb, "warnings");
    for (int c = 0; c < 9; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
    char *copy = w->len ? xstrdup(w->data) : NULL;
    lxw_row_t row = 1;
    for (char *save = NULL, *l = copy ? strtok_r(copy, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
        char *c[9];
        int n = split_tabs(l, c, 9);
        for (int k = 0; k < n; k++) {
            if (k == 4 || k == 5) worksheet_write_number(ws, row, (lxw_col_t)k, atof(c[k]), NULL);
            else xlsxw_write_text(ws, row, (lxw_col_t)k, c[k], NULL, quoted);
        }
        row++;
    }
    free(copy);
    worksheet_set_column(ws, 0, 0, 18, NULL);
    worksheet_set_column(ws, 6, 6, 36, NULL);
    worksheet_set_column(ws, 8, 8, 24, NULL);
}

/* The same table as a sheet: numbers as numbers, a header row, and the
 * unrecognised pages below it; the warnings on a second sheet. */
static bool write_report_xlsx(const filing *f, const sbuf *w, outputs *out)
{
    sbuf path = {0};
    sbuf_printf(&path, "%s/report.xlsx", out->year_dir);
    char *tmp = NULL;
    int fd = outfile_mktemp(path.data, &tmp);
    if (fd >= 0) close(fd);
    lxw_workbook *wb = fd >= 0 ? workbook_new(tmp) : NULL;
    bool ok = wb != NULL;
    if (ok) {
        lxw_doc_properties props = {0};
        props.title = "归档情况";
        props.created = (time_t)(f->o->epoch >= 0 ? f->o->epoch : 946684800);
        workbook_set_properties(wb, &props);
        lxw_worksheet *ws = workbook_add_worksheet(wb, "report");
        lxw_format *bold = workbook_add_format(wb);
        format_set_bold(bold);
        lxw_format *quoted = xlsxw_quoted_format(wb);   /* a scan's file name may start like a formula */
        for (int c = 0; c < 8; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, HEAD[c], bold);
        sbuf cells[8] = {{0}};
        lxw_row_t row = 1;
        for (size_t i = 0; i < f->pkg.n; i++, row++) {
            report_cells(&f->pkg.v[i], cells);
            for (int c = 0; c < 8; c++) {
                if (c == 3 || c == 4) worksheet_write_number(ws, row, (lxw_col_t)c, atof(cells[c].data), NULL);
                else xlsxw_write_text(ws, row, (lxw_col_t)c, cells[c].data, NULL, quoted);
            }
        }
        worksheet_write_string(ws, row, 0, "unrecognised", bold);
        worksheet_write_number(ws, row, 1, (double)f->nunrec, NULL);
        for (size_t k = 0; k < f->nunrec; k++) {
            sbuf_clear(&cells[0]);
            unrec_entry(f, k, &cells[0]);
            xlsxw_write_text(ws, (lxw_row_t)(row + 1 + k), 0, cells[0].data, NULL, quoted);
        }
        for (int c = 0; c < 8; c++) sbuf_free(&cells[c]);
        worksheet_set_column(ws, 0, 2, 14, NULL);
        worksheet_set_column(ws, 3, 7, 12, NULL);
        warnings_sheet(wb, bold, quoted, w);
        ok = workbook_close(wb) == LXW_NO_ERROR && rename(tmp, path.data) == 0;
    }
    if (!ok) {
        sbuf_printf(&out->err, "%s: %s", path.data, strerror(errno));
        if (tmp) unlink(tmp);
    } else
        wrote(out, "report.xlsx");
    free(tmp);
    sbuf_free(&path);
    return ok;
}

static bool write_manifest(outputs *out)
{
    sbuf lines = {0};
    bool ok = true;
    char *save = NULL;
    /* sorted: the same scans give the same manifest */
    size_t n = 0;
    char **rels = NULL;
    for (char *s = strtok_r(out->manifest.data, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
        rels = xrealloc(rels, (n + 1) * sizeof *rels);
        rels[n++] = s;
    }
    if (n) qsort(rels, n, sizeof *rels, str_cmp);
    for (size_t i = 0; ok && i < n; i++) ok = manifest_add(&lines, out->year_dir, rels[i]);
    free(rels);
    sbuf path = {0};
    sbuf_printf(&path, "%s/MANIFEST.sha256", out->year_dir);
    outfile of;
    ok = ok && outfile_open(&of, path.data);
    if (ok) {
        if (lines.len) fwrite(lines.data, 1, lines.len, of.fp);
        ok = outfile_commit_durable(&of);
    }
    if (!ok) sbuf_printf(&out->err, "%s: %s", path.data, strerror(errno));
    sbuf_free(&path);
    sbuf_free(&lines);
    return ok;
}

/* ---------------------------------------------------------------- the run */

static bool list_scans(const archive_opts *o, char *const *scans, int nscans, scan_list *l)
{
    sbuf err = {0};
    bool ok = true;
    for (int i = 0; i < nscans; i++) {
        sbuf_clear(&err);
        if (!scan_list_add(l, scans[i], &err)) {
            sbuf m = {0};
            msg_format(&m, o->lang, "ARCHIVE_SCAN_UNREADABLE", err.data ? err.data : scans[i]);
            fprintf(o->err, "kaohe: %s [ARCHIVE_SCAN_UNREADABLE]\n", m.data);
            sbuf_free(&m);
            ok = false;
        }
    }
    sbuf_free(&err);
    scan_list_sort(l);
    return ok;
}

static void write_all(filing *f, outputs *out)
{
    scan_reader *r = scan_reader_new();
    for (size_t i = 0; i < f->pkg.n && !out->failed;) {
        size_t j = i;
        while (j < f->pkg.n && !strcmp(f->pkg.v[j].id.unit, f->pkg.v[i].id.unit)) j++;
        unit_volumes(f, r, out, i, j);
        i = j;
    }
    if (!out->failed && f->nunrec) unrecognised_volume(f, r, out);
    scan_reader_free(r);
    sbuf w = {0};
    warning_lines(f, &w);
    say_warnings(f, &w);
    if (!out->failed)
        out->failed = !write_report_txt(f, out) || !write_report_xlsx(f, &w, out) || !write_warnings_txt(&w, out) ||
                      !write_manifest(out);
    sbuf_free(&w);
}

/* The contents' template (templates/forms/contents.xml) and the fonts. */
static bool load_contents(const archive_opts *o, tpl_form **t, font_set **fs, sbuf *err)
{
    sbuf path = {0};
    sbuf_printf(&path, "%s/forms/contents.xml", o->templates ? o->templates : "templates");
    diag_list dl = {0};
    *t = tpl_load(path.data, &dl);
    if (!*t && dl.n) diag_render(&dl.v[0], o->lang, err);
    diag_list_free(&dl);
    sbuf_free(&path);
    *fs = *t ? font_set_open(NULL, err) : NULL;
    return *fs != NULL;
}

int archive_run(const archive_opts *o, char *const *scans, int nscans)
{
    filing f = {.o = o};
    sbuf err = {0};
    if (!read_package(&f.pkg, o->package, &err)) {
        sbuf m = {0};
        msg_format(&m, o->lang, "ARCHIVE_PACKAGE_UNREADABLE", o->package, err.data ? err.data : "");
        fprintf(o->err, "kaohe: %s [ARCHIVE_PACKAGE_UNREADABLE]\n", m.data);
        sbuf_free(&m);
        sbuf_free(&err);
        package_free(&f.pkg);
        return EXIT_INPUT;
    }
    package_index(&f.pkg);
    tpl_form *contents = NULL;
    font_set *fs = NULL;
    if (!load_contents(o, &contents, &fs, &err)) {
        sbuf m = {0};
        msg_format(&m, o->lang, "ARCHIVE_TEMPLATE_UNREADABLE", err.data ? err.data : "");
        fprintf(o->err, "kaohe: %s [ARCHIVE_TEMPLATE_UNREADABLE]\n", m.data);
        sbuf_free(&m);
        sbuf_free(&err);
        tpl_free(contents);
        font_set_free(fs);
        package_free(&f.pkg);
        return EXIT_INPUT;
    }
    sbuf_free(&err);
    f.contents = contents;
    f.fs = fs;
    scan_list sl = {0};
    if (!list_scans(o, scans, nscans, &sl)) {
        scan_list_free(&sl);
        tpl_free(contents);
        font_set_free(fs);
        package_free(&f.pkg);
        return EXIT_INPUT;
    }
    f.scans = &sl;
    for (size_t i = 0; i < sl.n; i++) f.npages += (size_t)sl.v[i].pages;
    f.pages = xcalloc(f.npages ? f.npages : 1, sizeof *f.pages);
    for (size_t i = 0, k = 0; i < sl.n; i++)
        for (int p = 0; p < sl.v[i].pages; p++) f.pages[k++] = (apage){.file = i, .page = p};
    pool pl = {&sl, &f.pkg, f.pages, f.npages, 0};
    decode_all(&pl, o->jobs);
    f.unrec = xmalloc((f.npages ? f.npages : 1) * sizeof *f.unrec);
    for (size_t i = 0; i < f.npages; i++) file_page(&f, i);

    outputs out = {0};
    sbuf ydir = {0};
    sbuf_printf(&ydir, "%s/%d", o->output, f.pkg.year);
    out.year_dir = ydir.data;
    if (!outfile_mkdirs(ydir.data)) {
        sbuf_printf(&out.err, "%s: %s", ydir.data, strerror(errno));
        out.failed = true;
    }
    if (!out.failed) write_all(&f, &out);
    size_t complete = 0;
    for (size_t i = 0; i < f.pkg.n; i++) complete += pages_found(&f.pkg.v[i]) == f.pkg.v[i].id.pages;
    int status;
    if (out.failed) {
        sbuf m = {0};
        msg_format(&m, o->lang, "OUTPUT_FAILED", ydir.data, out.err.data ? out.err.data : "");
        fprintf(o->err, "kaohe: %s [OUTPUT_FAILED]\n", m.data);
        sbuf_free(&m);
        status = EXIT_OUTPUT;
    } else {
        sbuf m = {0};
        msg_format(&m, o->lang, "ARCHIVE_SUMMARY", sl.n, f.npages, complete, f.pkg.n - complete, f.nunrec, ydir.data);
        fprintf(o->err, "kaohe: %s\n", m.data);
        sbuf_free(&m);
        status = f.unreadable ? EXIT_INPUT : complete == f.pkg.n && f.nunrec == 0 ? EXIT_OK : EXIT_UNIT_ERRORS;
    }
    sbuf_free(&out.manifest);
    sbuf_free(&out.err);
    sbuf_free(&ydir);
    free(f.unrec);
    for (size_t i = 0; i < f.npages; i++) free(f.pages[i].sig.empty);
    free(f.pages);
    scan_list_free(&sl);
    tpl_free(contents);
    font_set_free(fs);
    package_free(&f.pkg);
    return status;
}

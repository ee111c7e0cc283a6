/* xlsxr — see xlsxr.h.
 * A workbook is read part by part: the package relationships lead to the
 * workbook part, its relationships to the sheets, the styles (which number
 * formats are dates) and the shared strings. A sheet is inflated and
 * parsed once; as its merged cells are listed after the rows, its rows wait
 * in a spool (memory, then a temp file) until the end of the part, and are
 * then handed over with the merged ranges applied. */
#define _GNU_SOURCE   /* memmem */
#include "xlsxr.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unzip.h>
#include <libxml/xmlreader.h>

/* Zip-bomb limits: a roster of 100,000 persons with full summaries is a few
 * hundred MB of sheet XML; deflate rarely passes 100:1 on real sheets. */
#define XLSXR_MAX_PART    (1536LL << 20)   /* one part, inflated */
#define XLSXR_MAX_TOTAL   (3072LL << 20)   /* all parts, inflated */
#define XLSXR_MAX_RATIO   200              /* inflated / compressed, for parts over ... */
#define XLSXR_RATIO_FLOOR (8LL << 20)      /* ... 8 MB (small parts compress very well) */
#define XLSXR_SST_MEM     (24u << 20)      /* shared strings kept in memory up to this */
#define XLSXR_MAX_MERGES  200000
#define XLSXR_SPOOL_MEM   (4u << 20)       /* a sheet's rows kept in memory up to this */
#define XLSXR_SPOOL_BUF   (1u << 20)       /* then written to a temp file in pieces of this */
#define XLSXR_MAX_COLS    16384

typedef struct merge_range { long r1, r2; int c1, c2; char *value; xlsxr_type type; double num; bool date; } merge_range;

typedef struct sheet_ent { char *name, *part; } sheet_ent;

struct xlsxr {
    unzFile zip;
    char *path;
    bool date1904;
    sheet_ent *sheets;
    int n_sheets;
    /* styles: is cellXfs[i] a date format */
    bool *xf_date;
    int n_xf;
    /* shared strings: offsets into pool (memory) or into spill (temp file) */
    uint64_t *sst_off;       /* n_sst + 1 offsets */
    long n_sst;
    sbuf sst_pool;
    FILE *sst_spill;
    sbuf sst_tmp;            /* one spilled string being read */
};

static void set_err(xlsxr_error *e, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(xlsxr_error *e, const char *code, const char *fmt, ...)
{
    if (!e || e->code) return;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof e->detail, fmt, ap);
    va_end(ap);
}

/* --- the package ------------------------------------------------------------ */

/* An OLE2 compound file is either a legacy .xls or an encrypted OOXML
 * package (Office stores a password-protected .xlsx that way, with an
 * "EncryptedPackage" stream): the stream name is in the directory, UTF-16LE. */
static bool sniff(const char *path, xlsxr_error *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_err(e, "INPUT_UNREADABLE", "%s", strerror(errno));
        return false;
    }
    unsigned char head[8] = { 0 };
    size_t n = fread(head, 1, sizeof head, f);
    static const unsigned char ole[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
    bool ok = true;
    if (n == 8 && !memcmp(head, ole, 8)) {
        static const char want[] = "EncryptedPackage";
        unsigned char buf[65536];
        bool enc = false;
        size_t k = 0, got;
        rewind(f);
        /* the directory may sit anywhere; 64 MB is far beyond any real one */
        for (long total = 0; !enc && total < (64L << 20) && (got = fread(buf, 1, sizeof buf, f)) > 0; total += (long)got)
            for (size_t i = 0; i < got && !enc; i++) {
                /* match "E\0n\0c\0..." one byte at a time (k counts bytes) */
                unsigned char expect = (k % 2) ? 0 : (unsigned char)want[k / 2];
                if (buf[i] == expect) {
                    if (++k == 2 * (sizeof want - 1)) enc = true;
                } else k = buf[i] == 'E' ? 1 : 0;
            }
        set_err(e, enc ? "ROSTER_ENCRYPTED" : "ROSTER_XLS", "%s", enc ? "EncryptedPackage" : "OLE2/BIFF");
        ok = false;
    } else if (n < 4 || memcmp(head, "PK\3\4", 4)) {
        set_err(e, n == 0 ? "ROSTER_NOT_WORKBOOK" : "ROSTER_ZIP_CORRUPT", "%s",
                n == 0 ? "empty file" : "not a zip archive");
        ok = false;
    }
    fclose(f);
    return ok;
}

/* Every entry's declared sizes against the limits, before anything is inflated. */
static bool check_sizes(unzFile z, xlsxr_error *e)
{
    long long total = 0;
    int rc = unzGoToFirstFile(z);
    while (rc == UNZ_OK) {
        unz_file_info64 fi;
        char name[512];
        if (unzGetCurrentFileInfo64(z, &fi, name, sizeof name, NULL, 0, NULL, 0) != UNZ_OK) {
            set_err(e, "ROSTER_ZIP_CORRUPT", "%s", "central directory");
            return false;
        }
        long long u = (long long)fi.uncompressed_size, c = (long long)fi.compressed_size;
        total += u;
        if (u > XLSXR_MAX_PART || total > XLSXR_MAX_TOTAL ||
            (u > XLSXR_RATIO_FLOOR && u / (c > 0 ? c : 1) > XLSXR_MAX_RATIO)) {
            set_err(e, "ROSTER_ZIP_BOMB", "%s: %lld -> %lld", name, c, u);
            return false;
        }
        rc = unzGoToNextFile(z);
    }
    if (rc != UNZ_END_OF_LIST_OF_FILE) {
        set_err(e, "ROSTER_ZIP_CORRUPT", "%s", "central directory");
        return false;
    }
    return true;
}

/* One part being inflated: the reader's input, counting what comes out so a
 * lying header cannot get past the limits. */
typedef struct part_in {
    unzFile zip;
    long long got, cap;
    int err;                  /* minizip error while reading */
    bool bomb;
} part_in;

static int part_read(void *ctx, char *buf, int len)
{
    part_in *p = ctx;
    int n = unzReadCurrentFile(p->zip, buf, (unsigned)len);
    if (n < 0) {
        p->err = n;
        return -1;
    }
    p->got += n;
    if (p->got > p->cap) {
        p->bomb = true;
        return -1;
    }
    return n;
}

static int part_close(void *ctx) { (void)ctx; return 0; }

static bool part_open(xlsxr *x, const char *name, part_in *p, xlsxr_error *e, bool required)
{
    memset(p, 0, sizeof *p);
    p->zip = x->zip;
    p->cap = XLSXR_MAX_PART;
    if (unzLocateFile(x->zip, name, 2) != UNZ_OK) {
        if (required) set_err(e, "ROSTER_NOT_WORKBOOK", "%s", name);
        return false;
    }
    int rc = unzOpenCurrentFile(x->zip);
    if (rc != UNZ_OK) {
        set_err(e, rc == UNZ_BADZIPFILE ? "ROSTER_ZIP_CORRUPT" : "ROSTER_ZIP_CORRUPT", "%s", name);
        return false;
    }
    return true;
}

/* Close the part; a CRC mismatch or a read error is a corrupt zip. */
static bool part_close_check(part_in *p, const char *name, xlsxr_error *e)
{
    int rc = unzCloseCurrentFile(p->zip);
    if (p->bomb) {
        set_err(e, "ROSTER_ZIP_BOMB", "%s", name);
        return false;
    }
    if (p->err || rc != UNZ_OK) {
        set_err(e, "ROSTER_ZIP_CORRUPT", "%s", name);
        return false;
    }
    return true;
}

static void ignore_structured(void *ctx, xmlErrorPtr err) { (void)ctx; (void)err; }

static xmlTextReaderPtr part_reader(part_in *p, const char *name)
{
    xmlTextReaderPtr r = xmlReaderForIO(part_read, part_close, p, name, NULL,
                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (r) xmlTextReaderSetStructuredErrorHandler(r, ignore_structured, NULL);
    return r;
}

static bool is_name(xmlTextReaderPtr r, const char *local)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n && !strcmp((const char *)n, local);
}

static char *get_attr(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* r:id is namespaced (officeDocument relationships); some writers prefix it
 * differently, so any attribute whose local name is "id" counts. */
static char *get_rel_id(xmlTextReaderPtr r)
{
    char *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) == 1) {
        do {
            const xmlChar *ln = xmlTextReaderConstLocalName(r);
            const xmlChar *px = xmlTextReaderConstPrefix(r);
            if (ln && !strcmp((const char *)ln, "id") && px) {
                v = xstrdup((const char *)xmlTextReaderConstValue(r));
                break;
            }
        } while (xmlTextReaderMoveToNextAttribute(r) == 1);
        xmlTextReaderMoveToElement(r);
    }
    return v;
}

/* Read a whole small part as XML, calling `fn` on every element start. */
typedef void (*element_fn)(xmlTextReaderPtr r, void *arg);

static bool walk_part(xlsxr *x, const char *name, element_fn fn, void *arg, xlsxr_error *e, bool required)
{
    part_in p;
    if (!part_open(x, name, &p, e, required)) return !required && !e->code;
    xmlTextReaderPtr r = part_reader(&p, name);
    int ret = r ? 1 : -1;
    while (r && (ret = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE) { ret = -1; break; }   /* no DTDs in a package */
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT) fn(r, arg);
    }
    if (r) xmlFreeTextReader(r);
    bool ok = part_close_check(&p, name, e);
    if (ok && ret < 0) {
        set_err(e, "ROSTER_ZIP_CORRUPT", "%s: XML", name);
        ok = false;
    }
    return ok;
}

/* --- relationships and the workbook ---------------------------------------- */

typedef struct rel { char *id, *type, *target; } rel;
typedef struct rels { rel *v; int n, cap; } rels;

static void on_rel(xmlTextReaderPtr r, void *arg)
{
    rels *rs = arg;
    if (!is_name(r, "Relationship") || rs->n >= 100000) return;
    if (rs->n == rs->cap) rs->v = xrealloc(rs->v, (size_t)(rs->cap = rs->cap ? rs->cap * 2 : 16) * sizeof *rs->v);
    rel *l = &rs->v[rs->n++];
    l->id = get_attr(r, "Id");
    l->type = get_attr(r, "Type");
    l->target = get_attr(r, "Target");
}

static void rels_free(rels *rs)
{
    for (int i = 0; i < rs->n; i++) {
        free(rs->v[i].id);
        free(rs->v[i].type);
        free(rs->v[i].target);
    }
    free(rs->v);
}

/* Type ends with "/suffix" (transitional and strict OOXML differ before it). */
static const char *rel_by_type(const rels *rs, const char *suffix)
{
    size_t ls = strlen(suffix);
    for (int i = 0; i < rs->n; i++) {
        const char *t = rs->v[i].type;
        size_t lt = t ? strlen(t) : 0;
        if (lt > ls && !strcmp(t + lt - ls, suffix) && t[lt - ls - 1] == '/' && rs->v[i].target) return rs->v[i].target;
    }
    return NULL;
}

static const char *rel_by_id(const rels *rs, const char *id)
{
    for (int i = 0; id && i < rs->n; i++)
        if (rs->v[i].id && !strcmp(rs->v[i].id, id)) return rs->v[i].target;
    return NULL;
}

/* A relationship target resolved against the directory of `base`. */
static char *resolve(const char *base, const char *target)
{
    if (target[0] == '/') return xstrdup(target + 1);
    sbuf b = { 0 };
    const char *slash = strrchr(base, '/');
    if (slash) sbuf_add(&b, base, (size_t)(slash - base + 1));
    sbuf_puts(&b, target);
    /* fold "dir/../" */
    char *s = b.data, *p;
    while ((p = strstr(s, "/../"))) {
        char *q = p;
        while (q > s && q[-1] != '/') q--;
        memmove(q, p + 4, strlen(p + 4) + 1);
    }
    return s;
}

/* "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels" */
static char *rels_name(const char *part)
{
    sbuf b = { 0 };
    const char *slash = strrchr(part, '/');
    if (slash) sbuf_add(&b, part, (size_t)(slash - part + 1));
    sbuf_puts(&b, "_rels/");
    sbuf_puts(&b, slash ? slash + 1 : part);
    sbuf_puts(&b, ".rels");
    return b.data;
}

typedef struct wb_walk { xlsxr *x; char **rids; int cap; } wb_walk;

static void on_workbook(xmlTextReaderPtr r, void *arg)
{
    wb_walk *w = arg;
    xlsxr *x = w->x;
    if (is_name(r, "workbookPr")) {
        char *v = get_attr(r, "date1904");
        x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
        free(v);
    } else if (is_name(r, "sheet") && x->n_sheets < 10000) {
        if (x->n_sheets == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 8;
            x->sheets = xrealloc(x->sheets, (size_t)w->cap * sizeof *x->sheets);
            w->rids = xrealloc(w->rids, (size_t)w->cap * sizeof *w->rids);
        }
        x->sheets[x->n_sheets].name = get_attr(r, "name");
        x->sheets[x->n_sheets].part = NULL;
        if (!x->sheets[x->n_sheets].name) x->sheets[x->n_sheets].name = xstrdup("");
        w->rids[x->n_sheets++] = get_rel_id(r);
    }
}

/* --- styles ------------------------------------------------------------------ */

/* A number format code shows a date or time when it has y, m, d, h or s
 * outside quoted text, [colour]/[locale] brackets and \-escapes. */
static bool format_is_date(const char *code)
{
    bool date = false;
    for (const char *c = code; *c; c++) {
        if (*c == '"') {
            c = strchr(c + 1, '"');
            if (!c) break;
        } else if (*c == '[') {
            const char *end = strchr(c, ']');
            /* [h], [mm], [ss]: elapsed time */
            if (end && strchr("hHmMsS", c[1])) date = true;
            if (!end) break;
            c = end;
        } else if (*c == '\\' || *c == '_' || *c == '*') {
            if (!*++c) break;
        } else if (strchr("yYmMdDhHsS", *c)) date = true;
        else if (*c == ';') break;   /* the first section decides */
    }
    return date;
}

static bool builtin_date(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

typedef struct fmt_ent { long id; bool date; } fmt_ent;
typedef struct style_walk { xlsxr *x; fmt_ent *fmts; int n_fmts, cap_fmts, cap_xf; int in_xfs; } style_walk;

static void on_style(xmlTextReaderPtr r, void *arg)
{
    style_walk *w = arg;
    if (is_name(r, "numFmt") && w->n_fmts < 10000) {
        char *id = get_attr(r, "numFmtId"), *code = get_attr(r, "formatCode");
        if (w->n_fmts == w->cap_fmts)
            w->fmts = xrealloc(w->fmts, (size_t)(w->cap_fmts = w->cap_fmts ? w->cap_fmts * 2 : 16) * sizeof *w->fmts);
        w->fmts[w->n_fmts].id = id ? strtol(id, NULL, 10) : -1;
        w->fmts[w->n_fmts++].date = code && format_is_date(code);
        free(id);
        free(code);
    } else if (is_name(r, "cellXfs")) {
        w->in_xfs = xmlTextReaderDepth(r) + 1;
    } else if (is_name(r, "cellStyleXfs") || is_name(r, "dxfs")) {
        w->in_xfs = 0;
    } else if (is_name(r, "xf") && w->in_xfs && xmlTextReaderDepth(r) == w->in_xfs && w->x->n_xf < 100000) {
        xlsxr *x = w->x;
        char *id = get_attr(r, "numFmtId");
        long fid = id ? strtol(id, NULL, 10) : 0;
        free(id);
        bool date = builtin_date(fid);
        for (int i = 0; i < w->n_fmts; i++)
            if (w->fmts[i].id == fid) date = w->fmts[i].date;
        if (x->n_xf == w->cap_xf) x->xf_date = xrealloc(x->xf_date, (size_t)(w->cap_xf = w->cap_xf ? w->cap_xf * 2 : 16));
        x->xf_date[x->n_xf++] = date;
    }
}

/* --- shared strings ---------------------------------------------------------- */

/* Excel writes characters XML cannot carry as _xHHHH_ (e.g. _x000D_). */
static void unescape_x(sbuf *b, size_t from)
{
    if (!b->data) return;
    const char *u = b->data + from, *end = b->data + b->len;
    while ((u = memchr(u, '_', (size_t)(end - u))) && u + 1 < end && u[1] != 'x') u++;
    if (!u || u + 1 >= end) return;   /* no "_x": the common case */
    char *s = b->data + from, *w = s;
    for (char *c = s; *c;) {
        unsigned v;
        if (c[0] == '_' && c[1] == 'x' && isxdigit((unsigned char)c[2]) && isxdigit((unsigned char)c[3]) &&
            isxdigit((unsigned char)c[4]) && isxdigit((unsigned char)c[5]) && c[6] == '_' &&
            sscanf(c + 2, "%4x", &v) == 1) {
            if (v < 0x80) *w++ = (char)v;
            else if (v < 0x800) { *w++ = (char)(0xC0 | (v >> 6)); *w++ = (char)(0x80 | (v & 0x3F)); }
            else { *w++ = (char)(0xE0 | (v >> 12)); *w++ = (char)(0x80 | ((v >> 6) & 0x3F)); *w++ = (char)(0x80 | (v & 0x3F)); }
            c += 7;
        } else *w++ = *c++;
    }
    *w = '\0';
    b->len = (size_t)(w - b->data);
}

static void sst_add(xlsxr *x, const char *s, size_t n, long *cap)
{
    if (x->n_sst + 1 >= *cap) x->sst_off = xrealloc(x->sst_off, (size_t)(*cap *= 2) * sizeof *x->sst_off);
    if (!x->sst_spill && x->sst_pool.len + n + 1 > XLSXR_SST_MEM) {
        /* too big for memory: move what we have to a temp file */
        x->sst_spill = tmpfile();
        if (x->sst_spill) {
            fwrite(x->sst_pool.data, 1, x->sst_pool.len, x->sst_spill);
            sbuf_free(&x->sst_pool);
        }
    }
    uint64_t at = x->sst_off[x->n_sst];
    if (x->sst_spill) {
        fwrite(s, 1, n, x->sst_spill);
        fputc('\0', x->sst_spill);
    } else {
        sbuf_add(&x->sst_pool, s, n);
        sbuf_putc(&x->sst_pool, '\0');
    }
    x->sst_off[++x->n_sst] = at + n + 1;
}

static bool read_sst(xlsxr *x, const char *name, xlsxr_error *e)
{
    part_in p;
    if (!part_open(x, name, &p, e, false)) return !e->code;
    xmlTextReaderPtr r = part_reader(&p, name);
    long cap = 1024;
    x->sst_off = xcalloc((size_t)cap, sizeof *x->sst_off);
    sbuf cur = { 0 };
    int ret = r ? 1 : -1, in_t = 0;
    bool in_si = false;
    while (r && (ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) { ret = -1; break; }
        if (type == XML_READER_TYPE_ELEMENT) {
            if (is_name(r, "si")) {
                sbuf_clear(&cur);
                sbuf_puts(&cur, "");
                in_si = true;
                if (xmlTextReaderIsEmptyElement(r)) { sst_add(x, "", 0, &cap); in_si = false; }
            } else if (is_name(r, "rPh") || is_name(r, "phoneticPr")) {
                /* phonetic guide (furigana): not part of the value */
                if (!xmlTextReaderIsEmptyElement(r) && xmlTextReaderNext(r) != 1) break;
                if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && is_name(r, "t") && in_si)
                    in_t = !xmlTextReaderIsEmptyElement(r);
            } else if (is_name(r, "t") && in_si) {
                in_t = !xmlTextReaderIsEmptyElement(r);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (is_name(r, "t")) in_t = 0;
            else if (is_name(r, "si") && in_si) {
                unescape_x(&cur, 0);
                sst_add(x, cur.data ? cur.data : "", cur.len, &cap);
                in_si = false;
            }
        } else if (in_t && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE)) {
            sbuf_puts(&cur, (const char *)xmlTextReaderConstValue(r));
        }
    }
    if (r) xmlFreeTextReader(r);
    sbuf_free(&cur);
    if (x->sst_spill) fflush(x->sst_spill);
    bool ok = part_close_check(&p, name, e);
    if (ok && ret < 0) {
        set_err(e, "ROSTER_ZIP_CORRUPT", "%s: XML", name);
        ok = false;
    }
    return ok;
}

static const char *sst_get(xlsxr *x, long i)
{
    if (i < 0 || i >= x->n_sst) return NULL;
    uint64_t a = x->sst_off[i], n = x->sst_off[i + 1] - a;
    if (!x->sst_spill) return x->sst_pool.data + a;
    sbuf_clear(&x->sst_tmp);
    sbuf_reserve(&x->sst_tmp, n + 1);
    if (pread(fileno(x->sst_spill), x->sst_tmp.data, n, (off_t)a) != (ssize_t)n) return NULL;
    x->sst_tmp.data[n] = '\0';
    return x->sst_tmp.data;
}

/* --- open -------------------------------------------------------------------- */

xlsxr *xlsxr_open(const char *path, xlsxr_error *e)
{
    memset(e, 0, sizeof *e);
    if (!sniff(path, e)) return NULL;
    unzFile z = unzOpen64(path);
    if (!z) {
        set_err(e, "ROSTER_ZIP_CORRUPT", "%s", "central directory");
        return NULL;
    }
    if (!check_sizes(z, e)) {
        unzClose(z);
        return NULL;
    }
    xlsxr *x = xcalloc(1, sizeof *x);
    x->zip = z;
    x->path = xstrdup(path);
    rels pkg = { 0 }, wbr = { 0 };
    wb_walk ww = { x, NULL, 0 };
    char *wb = NULL, *wbrels = NULL;
    bool ok = walk_part(x, "_rels/.rels", on_rel, &pkg, e, true);
    const char *t = ok ? rel_by_type(&pkg, "officeDocument") : NULL;
    if (ok && !t) {
        set_err(e, "ROSTER_NOT_WORKBOOK", "%s", "_rels/.rels");
        ok = false;
    }
    if (ok) {
        wb = resolve("", t);
        wbrels = rels_name(wb);
        ok = walk_part(x, wbrels, on_rel, &wbr, e, true) && walk_part(x, wb, on_workbook, &ww, e, true);
    }
    for (int i = 0; ok && i < x->n_sheets; i++) {
        const char *target = rel_by_id(&wbr, ww.rids[i]);
        x->sheets[i].part = target ? resolve(wb, target) : NULL;
    }
    if (ok && x->n_sheets == 0) {
        set_err(e, "ROSTER_NOT_WORKBOOK", "%s", wb);
        ok = false;
    }
    if (ok && (t = rel_by_type(&wbr, "styles"))) {
        char *sp = resolve(wb, t);
        style_walk sw = { x, NULL, 0, 0, 0, 0 };
        ok = walk_part(x, sp, on_style, &sw, e, false);
        free(sw.fmts);
        free(sp);
    }
    if (ok && (t = rel_by_type(&wbr, "sharedStrings"))) {
        char *sp = resolve(wb, t);
        ok = read_sst(x, sp, e);
        free(sp);
    }
    for (int i = 0; i < x->n_sheets; i++) free(ww.rids[i]);
    free(ww.rids);
    rels_free(&pkg);
    rels_free(&wbr);
    free(wb);
    free(wbrels);
    if (!ok) {
        xlsxr_close(x);
        return NULL;
    }
    return x;
}

void xlsxr_close(xlsxr *x)
{
    if (!x) return;
    if (x->zip) unzClose(x->zip);
    for (int i = 0; i < x->n_sheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].part);
    }
    free(x->sheets);
    free(x->xf_date);
    free(x->sst_off);
    sbuf_free(&x->sst_pool);
    sbuf_free(&x->sst_tmp);
    if (x->sst_spill) fclose(x->sst_spill);
    free(x->path);
    free(x);
}

int xlsxr_sheet_count(const xlsxr *x) { return x->n_sheets; }
const char *xlsxr_sheet_name(const xlsxr *x, int i) { return i >= 0 && i < x->n_sheets ? x->sheets[i].name : NULL; }
bool xlsxr_date1904(const xlsxr *x) { return x->date1904; }

/* --- cell references and dates ---------------------------------------------- */

/* "F17" -> col 5, row 17; returns false on anything else. */
static bool parse_ref(const char *s, int *col, long *row)
{
    int c = 0;
    const char *p = s;
    while (*p >= 'A' && *p <= 'Z' && c <= XLSXR_MAX_COLS) c = c * 26 + (*p++ - 'A' + 1);
    if (p == s || c > XLSXR_MAX_COLS) return false;
    *col = c - 1;
    if (row) {
        char *end;
        long r = strtol(p, &end, 10);
        if (end == p || *end || r < 1 || r > 100000000) return false;
        *row = r;
    }
    return true;
}

void xlsxr_cell_ref(int col, long row, char *buf, size_t n)
{
    char letters[8];
    int k = 0;
    for (int c = col + 1; c > 0 && k < 7; c = (c - 1) / 26) letters[k++] = (char)('A' + (c - 1) % 26);
    char rev[8];
    for (int i = 0; i < k; i++) rev[i] = letters[k - 1 - i];
    rev[k] = '\0';
    snprintf(buf, n, "%s%ld", rev, row);
}

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

bool xlsxr_serial_date(double serial, bool date1904, int *y, int *m, int *d)
{
    if (!(serial >= 0 && serial < 2958466)) return false;   /* up to 9999-12-31 */
    long s = (long)serial;                                    /* the time of day is dropped */
    long base;
    if (date1904) base = days_from_civil(1904, 1, 1);
    else {
        /* 1900 system: 1 = 1900-01-01, and Excel counts a 1900-02-29 (60) */
        if (s == 60 || s == 0) return false;
        base = s < 60 ? days_from_civil(1899, 12, 31) : days_from_civil(1899, 12, 30);
    }
    civil_from_days(base + s, y, m, d);
    return true;
}

/* --- merged cells ---------------------------------------------------------------- */

typedef struct merges { merge_range *v; int n, cap; } merges;

static void merge_add(merges *ms, const char *ref)
{
    char a[32], b[32];
    const char *colon = strchr(ref, ':');
    if (!colon || (size_t)(colon - ref) >= sizeof a || strlen(colon + 1) >= sizeof b || ms->n >= XLSXR_MAX_MERGES) return;
    memcpy(a, ref, (size_t)(colon - ref));
    a[colon - ref] = '\0';
    strcpy(b, colon + 1);
    merge_range m = { 0 };
    if (!parse_ref(a, &m.c1, &m.r1) || !parse_ref(b, &m.c2, &m.r2) || m.r2 < m.r1 || m.c2 < m.c1) return;
    if (ms->n == ms->cap) ms->v = xrealloc(ms->v, (size_t)(ms->cap = ms->cap ? ms->cap * 2 : 16) * sizeof *ms->v);
    ms->v[ms->n++] = m;
}

/* --- rows ---------------------------------------------------------------------- */

typedef struct row_state {
    xlsxr *x;
    xlsxr_cell *cells;
    size_t *text_at;         /* offset of each cell's text in `text` */
    int n, cap;
    sbuf text;
    merges ms;
    /* the ranges that reach the row being finished, in list order: rows
     * come in increasing order, so each range enters and leaves once */
    int *by_start;           /* range indices by first row (then list order) */
    int next;                /* by_start[next] is the next range to enter */
    int *active, n_active;
} row_state;

static xlsxr_cell *row_new_cell(row_state *rs, int col)
{
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 64;
        rs->cells = xrealloc(rs->cells, (size_t)rs->cap * sizeof *rs->cells);
        rs->text_at = xrealloc(rs->text_at, (size_t)rs->cap * sizeof *rs->text_at);
    }
    xlsxr_cell *c = &rs->cells[rs->n];
    memset(c, 0, sizeof *c);
    c->col = col;
    rs->text_at[rs->n++] = rs->text.len;
    return c;
}

static int cmp_cell(const void *a, const void *b)
{
    const xlsxr_cell *x = a, *y = b;
    return (x->col > y->col) - (x->col < y->col);
}

static int cmp_merge_start(const void *a, const void *b, void *arg)
{
    const merge_range *v = arg;
    int i = *(const int *)a, j = *(const int *)b;
    if (v[i].r1 != v[j].r1) return v[i].r1 < v[j].r1 ? -1 : 1;
    return (i > j) - (i < j);
}

/* Once the ranges are known: their order of entry. */
static void merges_index(row_state *rs)
{
    if (!rs->ms.n) return;
    rs->by_start = xmalloc((size_t)rs->ms.n * sizeof *rs->by_start);
    rs->active = xmalloc((size_t)rs->ms.n * sizeof *rs->active);
    for (int k = 0; k < rs->ms.n; k++) rs->by_start[k] = k;
    qsort_r(rs->by_start, (size_t)rs->ms.n, sizeof *rs->by_start, cmp_merge_start, rs->ms.v);
}

/* The ranges that reach `row` (rows increase): drop those that ended, take
 * in those that start, keeping list order (the first range listed wins a
 * cell two ranges claim, as when every range was tried for every row). */
static void merges_advance(row_state *rs, long row)
{
    int w = 0;
    for (int i = 0; i < rs->n_active; i++)
        if (rs->ms.v[rs->active[i]].r2 >= row) rs->active[w++] = rs->active[i];
    rs->n_active = w;
    while (rs->next < rs->ms.n && rs->ms.v[rs->by_start[rs->next]].r1 <= row) {
        int k = rs->by_start[rs->next++];
        if (rs->ms.v[k].r2 < row) continue;
        int i = rs->n_active++;
        while (i > 0 && rs->active[i - 1] > k) {
            rs->active[i] = rs->active[i - 1];
            i--;
        }
        rs->active[i] = k;
    }
}

/* Cells merged into a range get its top-left value; then pointers are fixed. */
static void row_finish(row_state *rs, long row)
{
    if (rs->ms.n) merges_advance(rs, row);
    for (int a = 0; a < rs->n_active; a++) {
        merge_range *m = &rs->ms.v[rs->active[a]];
        if (row < m->r1 || row > m->r2) continue;
        if (row == m->r1) {
            free(m->value);
            m->value = NULL;
            for (int i = 0; i < rs->n; i++)
                if (rs->cells[i].col == m->c1) {
                    m->value = xstrdup(rs->text.data + rs->text_at[i]);
                    m->type = rs->cells[i].type;
                    m->num = rs->cells[i].num;
                    m->date = rs->cells[i].date;
                }
        }
        if (!m->value) continue;
        for (int c = m->c1; c <= m->c2 && c - m->c1 < 256; c++) {
            if (row == m->r1 && c == m->c1) continue;
            bool have = false;
            for (int i = 0; i < rs->n && !have; i++) have = rs->cells[i].col == c && rs->text.data[rs->text_at[i]];
            if (have) continue;
            xlsxr_cell *nc = row_new_cell(rs, c);
            nc->type = m->type;
            nc->num = m->num;
            nc->date = m->date;
            sbuf_add(&rs->text, m->value, strlen(m->value) + 1);
        }
    }
    bool sorted = true;
    for (int i = 0; i < rs->n; i++) {
        rs->cells[i].text = rs->text.data + rs->text_at[i];
        if (i && rs->cells[i].col < rs->cells[i - 1].col) sorted = false;
    }
    if (!sorted) qsort(rs->cells, (size_t)rs->n, sizeof *rs->cells, cmp_cell);
}

static bool row_has_value(const row_state *rs)
{
    for (int i = 0; i < rs->n; i++)
        if (rs->cells[i].text[0]) return true;
    return false;
}

/* --- the spool: rows waiting for the end of their sheet ---------------------------- */

/* A row as spooled: its number, its cells (column, type, date flag, where
 * its text starts) and their texts, each with its NUL. A number's or a
 * boolean's value is read again from its text when the row comes back. */
typedef struct spool_row { int64_t row; int32_t n; uint32_t text_len; } spool_row;
typedef struct spool_cell { int32_t col; uint32_t text_at; uint8_t type, date; } spool_cell;

typedef struct spool {
    sbuf mem;                /* the rows while they fit in XLSXR_SPOOL_MEM */
    FILE *f;                 /* then all of them here */
    char *fbuf;              /* f's stdio buffer */
    size_t at;               /* reading: position in mem */
    bool failed;             /* the temp file could not be written or read */
    sbuf rec;                /* one row's record being built or read */
} spool;

static void spool_put(spool *sp, const void *p, size_t n)
{
    if (sp->failed) return;
    if (!sp->f && sp->mem.len + n <= XLSXR_SPOOL_MEM) {
        sbuf_add(&sp->mem, p, n);
        return;
    }
    if (!sp->f) {
        sp->f = tmpfile();
        if (!sp->f) {
            sp->failed = true;
            return;
        }
        sp->fbuf = xmalloc(XLSXR_SPOOL_BUF);
        setvbuf(sp->f, sp->fbuf, _IOFBF, XLSXR_SPOOL_BUF);
        if (sp->mem.len && fwrite(sp->mem.data, 1, sp->mem.len, sp->f) != sp->mem.len) sp->failed = true;
        sbuf_free(&sp->mem);
    }
    if (fwrite(p, 1, n, sp->f) != n) sp->failed = true;
}

/* Back to the first row; false when the temp file fails. */
static bool spool_rewind(spool *sp)
{
    sp->at = 0;
    if (sp->f && (fflush(sp->f) != 0 || fseek(sp->f, 0, SEEK_SET) != 0)) sp->failed = true;
    return !sp->failed;
}

/* Read n bytes; false at the end (or on a failure, then marked). */
static bool spool_get(spool *sp, void *p, size_t n)
{
    if (!n) return true;
    if (sp->f) {
        size_t got = fread(p, 1, n, sp->f);
        if (got != n && (got || ferror(sp->f))) sp->failed = true;
        return got == n;
    }
    if (sp->at + n > sp->mem.len) return false;
    memcpy(p, sp->mem.data + sp->at, n);
    sp->at += n;
    return true;
}

static void spool_free(spool *sp)
{
    if (sp->f) fclose(sp->f);
    free(sp->fbuf);
    sbuf_free(&sp->mem);
    sbuf_free(&sp->rec);
}

/* Spool the row read into rs (cells and texts as the parse left them), as
 * one record. */
static void spool_row_out(spool *sp, const row_state *rs, long row)
{
    spool_row h = { row, rs->n, (uint32_t)rs->text.len };
    sbuf *r = &sp->rec;
    sbuf_clear(r);
    sbuf_reserve(r, sizeof h + (size_t)rs->n * sizeof(spool_cell) + rs->text.len);
    memcpy(r->data, &h, sizeof h);
    spool_cell *c = (spool_cell *)(void *)(r->data + sizeof h);
    /* zeroed first: the record is written byte for byte, padding included */
    memset(c, 0, (size_t)rs->n * sizeof *c);
    for (int i = 0; i < rs->n; i++) {
        c[i].col = rs->cells[i].col;
        c[i].text_at = (uint32_t)rs->text_at[i];
        c[i].type = (uint8_t)rs->cells[i].type;
        c[i].date = rs->cells[i].date;
    }
    r->len = sizeof h + (size_t)rs->n * sizeof *c;
    if (rs->text.len) memcpy(r->data + r->len, rs->text.data, rs->text.len);
    r->len += rs->text.len;
    spool_put(sp, r->data, r->len);
}

static double parse_number(const char *s);

/* The next spooled row into rs; false at the end. */
static bool spool_row_in(spool *sp, row_state *rs, long *row)
{
    spool_row h;
    if (!spool_get(sp, &h, sizeof h)) return false;
    if (h.n < 0 || h.n > XLSXR_MAX_COLS) {
        sp->failed = true;
        return false;
    }
    rs->n = 0;
    sbuf_clear(&rs->text);
    sbuf *r = &sp->rec;
    sbuf_clear(r);
    sbuf_reserve(r, (size_t)h.n * sizeof(spool_cell));
    if (!spool_get(sp, r->data, (size_t)h.n * sizeof(spool_cell))) {
        sp->failed = true;
        return false;
    }
    const spool_cell *sc = (const spool_cell *)(const void *)r->data;
    for (int i = 0; i < h.n; i++) {
        xlsxr_cell *cell = row_new_cell(rs, sc[i].col);
        cell->type = (xlsxr_type)sc[i].type;
        cell->date = sc[i].date;
        rs->text_at[i] = sc[i].text_at;
    }
    sbuf_reserve(&rs->text, h.text_len);
    if (!spool_get(sp, rs->text.data, h.text_len)) {
        sp->failed = true;
        return false;
    }
    rs->text.len = h.text_len;
    rs->text.data[rs->text.len] = '\0';
    for (int i = 0; i < rs->n; i++) {
        xlsxr_cell *cell = &rs->cells[i];
        const char *t = rs->text.data + rs->text_at[i];
        if (rs->text_at[i] >= h.text_len) {
            sp->failed = true;
            return false;
        }
        if (cell->type == XC_NUMBER) cell->num = parse_number(t);
        else if (cell->type == XC_BOOL) cell->num = !strcmp(t, "1") || !strcmp(t, "true");
    }
    *row = (long)h.row;
    return true;
}

/* What the t attribute of a <c> says its <v>/<is> text is. */
typedef enum { CT_NUMBER, CT_SHARED, CT_BOOL, CT_ERROR, CT_INLINE, CT_STR, CT_OTHER } cell_kind;

/* t="" and no t at all are numbers; "d" (an ISO date) and anything unknown
 * are kept as text. */
static cell_kind cell_kind_of(const xmlChar *v, size_t n)
{
    if (n == 0) return CT_NUMBER;
    if (n == 1) {
        switch (v[0]) {
        case 'n': return CT_NUMBER;
        case 's': return CT_SHARED;
        case 'b': return CT_BOOL;
        case 'e': return CT_ERROR;
        default: return CT_OTHER;
        }
    }
    if (n == 9 && !memcmp(v, "inlineStr", 9)) return CT_INLINE;
    if (n == 3 && !memcmp(v, "str", 3)) return CT_STR;
    return CT_OTHER;
}

/* A cell's number: plain digits (counts, years, indices: most of them) are
 * read here, exactly, as a double holds every integer below 2^53; anything
 * else (fractions, exponents, signs, blanks) goes to strtod as before. */
static double parse_number(const char *s)
{
    double v = 0;
    const char *p = s;
    while (*p >= '0' && *p <= '9' && p - s < 15) v = v * 10 + (*p++ - '0');
    return !*p && p > s ? v : strtod(s, NULL);
}

/* The type of a cell once its <v>/<is> text is in rs->text (a shared
 * string's index replaced by the string). */
static void cell_finish(row_state *rs, xlsxr_cell *c, cell_kind t, long style)
{
    size_t at = rs->text_at[rs->n - 1];
    const char *raw = rs->text.data ? rs->text.data + at : "";
    switch (t) {
    case CT_NUMBER:   /* its value is read from the text when the row leaves the spool */
        if (!*raw) return;
        c->type = XC_NUMBER;
        c->date = style >= 0 && style < rs->x->n_xf && rs->x->xf_date[style];
        break;
    case CT_SHARED: {
        long i = 0;
        const char *p = raw;
        while (*p >= '0' && *p <= '9' && p - raw < 12) i = i * 10 + (*p++ - '0');
        if (*p || p == raw) {   /* not plain digits: as strtol reads it */
            char *end;
            i = strtol(raw, &end, 10);
            if (!*raw || *end) i = -1;
        }
        const char *s = sst_get(rs->x, i);
        rs->text.len = at;
        sbuf_puts(&rs->text, s ? s : "");
        c->type = XC_STRING;
        break;
    }
    case CT_BOOL:
        c->type = XC_BOOL;
        break;
    case CT_ERROR:
        c->type = XC_ERROR;
        break;
    default:
        /* str (a formula's text), inlineStr, d (an ISO date) */
        unescape_x(&rs->text, at);
        c->type = XC_STRING;
        break;
    }
}

/* The sheet's rows go through libxml2's SAX2 parser rather than the
 * xmlTextReader the other parts use: the reader builds (and frees) a node
 * for every element and text, 7 per cell, which was 55% of an import; the
 * SAX events carry the same information with nothing built. The parser
 * pulls the inflated part through part_read a few KB at a time (the push
 * parser, fed 64 KB chunks, spent ~10% more looking ahead for whole tags).
 * Element and attribute names arrive interned in the parser's dictionary,
 * so they are told apart by pointer. */
typedef struct sheet_names {
    const xmlChar *row, *c, *v, *t, *rPh, *phoneticPr, *sheetData, *mergeCell, *r, *s, *ref;
} sheet_names;

typedef struct sheet_sax {
    row_state rs;
    spool sp;
    xmlParserCtxtPtr pc;
    sheet_names nm;
    long row;
    int col;
    bool in_row, in_value, in_phonetic, done, doctype;
    int depth, c_depth;
    xlsxr_cell *cell;
    cell_kind t;
    long style;
} sheet_sax;

static void sheet_names_of(xmlDictPtr d, sheet_names *n)
{
    n->row = xmlDictLookup(d, BAD_CAST "row", -1);
    n->c = xmlDictLookup(d, BAD_CAST "c", -1);
    n->v = xmlDictLookup(d, BAD_CAST "v", -1);
    n->t = xmlDictLookup(d, BAD_CAST "t", -1);
    n->rPh = xmlDictLookup(d, BAD_CAST "rPh", -1);
    n->phoneticPr = xmlDictLookup(d, BAD_CAST "phoneticPr", -1);
    n->sheetData = xmlDictLookup(d, BAD_CAST "sheetData", -1);
    n->mergeCell = xmlDictLookup(d, BAD_CAST "mergeCell", -1);
    n->r = xmlDictLookup(d, BAD_CAST "r", -1);
    n->s = xmlDictLookup(d, BAD_CAST "s", -1);
    n->ref = xmlDictLookup(d, BAD_CAST "ref", -1);
}

/* The value [*v, *end) of attribute `name` (interned, no namespace) of a
 * SAX2 start tag; false when it is absent. */
static bool sax_attr(const xmlChar **attrs, int n, const xmlChar *name, const xmlChar **v, const xmlChar **end)
{
    for (int i = 0; i < n; i++) {
        const xmlChar **a = attrs + 5 * i;   /* localname, prefix, URI, value, end */
        if (a[0] == name && !a[1]) {
            *v = a[3];
            *end = a[4];
            return true;
        }
    }
    return false;
}

/* A row number or style index as strtol reads its first 63 characters:
 * plain digits here, the rest by strtol. */
static long attr_long(const xmlChar *v, const xmlChar *end)
{
    long r = 0;
    const xmlChar *p = v;
    while (p < end && *p >= '0' && *p <= '9' && p - v < 12) r = r * 10 + (*p++ - '0');
    if (p == end && p > v) return r;
    char buf[64];
    size_t len = (size_t)(end - v) < sizeof buf - 1 ? (size_t)(end - v) : sizeof buf - 1;
    memcpy(buf, v, len);
    buf[len] = '\0';
    return strtol(buf, NULL, 10);
}

/* The column of a cell reference ("F17" -> 5); false without letters. */
static bool ref_col(const xmlChar *v, const xmlChar *end, int *col)
{
    int c = 0;
    const xmlChar *p = v;
    while (p < end && p - v < 63 && *p >= 'A' && *p <= 'Z' && c <= XLSXR_MAX_COLS) c = c * 26 + (*p++ - 'A' + 1);
    if (p == v || c > XLSXR_MAX_COLS) return false;
    *col = c - 1;
    return true;
}

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                      const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
    (void)prefix; (void)uri; (void)nns; (void)ns; (void)ndef;
    sheet_sax *sx = ctx;
    sx->depth++;
    const sheet_names *nm = &sx->nm;
    const xmlChar *v, *end;
    if (local == nm->mergeCell) {   /* <mergeCells> follows <sheetData> */
        char ref[64];
        size_t len;
        if (sax_attr(attrs, nattrs, nm->ref, &v, &end) && (len = (size_t)(end - v)) < sizeof ref) {
            memcpy(ref, v, len);
            ref[len] = '\0';
            merge_add(&sx->rs.ms, ref);
        }
        return;
    }
    if (sx->done) return;
    if (local == nm->c && sx->in_row) {
        int cc;
        sx->col = sax_attr(attrs, nattrs, nm->r, &v, &end) && ref_col(v, end, &cc) ? cc : sx->col + 1;
        sx->style = sax_attr(attrs, nattrs, nm->s, &v, &end) ? attr_long(v, end) : -1;
        sx->t = sax_attr(attrs, nattrs, nm->t, &v, &end) ? cell_kind_of(v, (size_t)(end - v)) : CT_NUMBER;
        sx->cell = sx->col < XLSXR_MAX_COLS ? row_new_cell(&sx->rs, sx->col) : NULL;
        sx->c_depth = sx->depth;
    } else if (local == nm->v || local == nm->t) {
        if (sx->cell) sx->in_value = !sx->in_phonetic;
    } else if (local == nm->row) {
        long rn = sax_attr(attrs, nattrs, nm->r, &v, &end) ? attr_long(v, end) : sx->row + 1;
        sx->row = rn > sx->row ? rn : sx->row + 1;
        sx->col = -1;
        sx->rs.n = 0;
        sbuf_clear(&sx->rs.text);
        sx->in_row = true;
    } else if (sx->cell && (local == nm->rPh || local == nm->phoneticPr)) {
        sx->in_phonetic = true;
    }
}

/* Stop reading: xmlStopParser may be called from inside a SAX callback. */
static void sax_stop(sheet_sax *sx) { xmlStopParser(sx->pc); }
static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix; (void)uri;
    sheet_sax *sx = ctx;
    int depth = sx->depth--;
    if (sx->done) return;
    const sheet_names *nm = &sx->nm;
    if (local == nm->v || local == nm->t) sx->in_value = false;
    else if (local == nm->c) {
        if (!sx->cell || depth != sx->c_depth) return;
        row_state *rs = &sx->rs;
        sbuf_putc(&rs->text, '\0');
        rs->text.len--;
        /* an element without a value (<c r="B2" s="1"/>) is no cell */
        if (rs->text.len == rs->text_at[rs->n - 1] && sx->t != CT_INLINE && sx->t != CT_STR) rs->n--;
        else {
            cell_finish(rs, sx->cell, sx->t, sx->style);
            rs->text.len++;   /* keep the NUL: the next cell starts after it */
        }
        sx->cell = NULL;
    } else if (local == nm->rPh || local == nm->phoneticPr) sx->in_phonetic = false;
    else if (local == nm->row && sx->in_row) {
        sx->in_row = false;
        spool_row_out(&sx->sp, &sx->rs, sx->row);
    } else if (local == nm->sheetData) {
        sx->done = true;   /* nothing after the rows concerns us, but it must be well-formed */
    }
}

static void sax_chars(void *ctx, const xmlChar *ch, int len)
{
    sheet_sax *sx = ctx;
    if (sx->in_value && !sx->done) sbuf_add(&sx->rs.text, (const char *)ch, (size_t)len);
}

static void sax_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name; (void)ext; (void)sys;
    sheet_sax *sx = ctx;
    sx->doctype = true;   /* no DTDs in a package */
    sax_stop(sx);
}

static void sax_error(void *ctx, xmlErrorPtr err) { (void)ctx; (void)err; }

/* The parser's input: part_read, except that a read error or the size cap
 * ends the input instead of failing it (libxml2 would print an I/O error
 * of its own); part_close_check reports it. */
static int sheet_read(void *ctx, char *buf, int len)
{
    int n = part_read(ctx, buf, len);
    return n < 0 ? 0 : n;
}

/* Inflate what is left of the part, so that its CRC is checked on close. */
static void part_drain(part_in *p)
{
    char buf[16384];
    while (!p->err && !p->bomb && part_read(p, buf, sizeof buf) > 0) {}
}

/* A sheet's part inflated on a thread of its own while the parser reads
 * it: inflating (zlib and its CRC) is ~11% of an import, and the parse
 * need not wait for it on a second core. The thread runs at most
 * PIPE_BLOCKS blocks ahead; when the parser is done, it inflates the rest
 * of the part without keeping it, so that the CRC is checked on close. Its
 * part_in (counts, errors) is read by the caller only after the join. */
#define PIPE_BLOCKS 4
#define PIPE_BLOCK  (64 << 10)

typedef struct part_pipe {
    part_in *p;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *buf[PIPE_BLOCKS];
    int len[PIPE_BLOCKS];
    int head, count;          /* the oldest full block, and how many are full */
    int pos;                  /* the parser's place in buf[head] */
    bool end;                 /* the part is inflated to its end, or failed */
    bool discard;             /* the parser wants no more */
} part_pipe;

static void *pipe_run(void *arg)
{
    part_pipe *pp = arg;
    for (;;) {
        pthread_mutex_lock(&pp->mu);
        while (pp->count == PIPE_BLOCKS && !pp->discard) pthread_cond_wait(&pp->cv, &pp->mu);
        int slot = (pp->head + pp->count) % PIPE_BLOCKS;   /* not read by the parser while not full */
        pthread_mutex_unlock(&pp->mu);
        int n = part_read(pp->p, pp->buf[slot], PIPE_BLOCK);
        pthread_mutex_lock(&pp->mu);
        if (n <= 0) pp->end = true;
        else if (!pp->discard) {
            pp->len[slot] = n;
            pp->count++;
        }
        bool end = pp->end;
        pthread_cond_broadcast(&pp->cv);
        pthread_mutex_unlock(&pp->mu);
        if (end) return NULL;
    }
}

/* Start inflating p on a thread; false (nothing started) when no thread
 * can be had: the part is then read on the caller's thread. */
static bool pipe_start(part_pipe *pp, part_in *p)
{
    memset(pp, 0, sizeof *pp);
    pp->p = p;
    for (int i = 0; i < PIPE_BLOCKS; i++) pp->buf[i] = xmalloc(PIPE_BLOCK);
    pthread_mutex_init(&pp->mu, NULL);
    pthread_cond_init(&pp->cv, NULL);
    if (pthread_create(&pp->th, NULL, pipe_run, pp) == 0) return true;
    pthread_mutex_destroy(&pp->mu);
    pthread_cond_destroy(&pp->cv);
    for (int i = 0; i < PIPE_BLOCKS; i++) free(pp->buf[i]);
    return false;
}

/* The parser's input: what the thread inflated; 0 at the end of the part
 * or on an error (part_close_check reports it, as with sheet_read). */
static int pipe_read(void *ctx, char *out, int len)
{
    part_pipe *pp = ctx;
    pthread_mutex_lock(&pp->mu);
    while (!pp->count && !pp->end) pthread_cond_wait(&pp->cv, &pp->mu);
    int slot = pp->head, have = pp->count ? pp->len[slot] - pp->pos : 0;
    pthread_mutex_unlock(&pp->mu);
    if (!have) return 0;
    int n = len < have ? len : have;
    memcpy(out, pp->buf[slot] + pp->pos, (size_t)n);
    pp->pos += n;
    if (pp->pos == pp->len[slot]) {
        pthread_mutex_lock(&pp->mu);
        pp->head = (pp->head + 1) % PIPE_BLOCKS;
        pp->count--;
        pp->pos = 0;
        pthread_cond_broadcast(&pp->cv);
        pthread_mutex_unlock(&pp->mu);
    }
    return n;
}

/* The parser is done: the thread inflates the rest unkept and ends. */
static void pipe_finish(part_pipe *pp)
{
    pthread_mutex_lock(&pp->mu);
    pp->discard = true;
    pthread_cond_broadcast(&pp->cv);
    pthread_mutex_unlock(&pp->mu);
    pthread_join(pp->th, NULL);
    pthread_mutex_destroy(&pp->mu);
    pthread_cond_destroy(&pp->cv);
    for (int i = 0; i < PIPE_BLOCKS; i++) free(pp->buf[i]);
}

/* Hand the spooled rows over, merged ranges applied. */
static int sheet_replay(sheet_sax *sx, xlsxr_row_fn fn, void *arg)
{
    row_state *rs = &sx->rs;
    merges_index(rs);
    if (!spool_rewind(&sx->sp)) return -1;
    long row;
    int rc = 0;
    while (!rc && spool_row_in(&sx->sp, rs, &row)) {
        row_finish(rs, row);
        if (row_has_value(rs)) rc = fn(arg, row, rs->cells, rs->n);
    }
    return sx->sp.failed ? -1 : rc;
}

int xlsxr_read_sheet(xlsxr *x, int si, xlsxr_row_fn fn, void *arg, xlsxr_error *e)
{
    memset(e, 0, sizeof *e);
    const char *part = si >= 0 && si < x->n_sheets ? x->sheets[si].part : NULL;
    if (!part) {
        set_err(e, "ROSTER_NOT_WORKBOOK", "%s", si >= 0 && si < x->n_sheets ? x->sheets[si].name : "?");
        return -1;
    }
    part_in p;
    if (!part_open(x, part, &p, e, true)) return -1;
    sheet_sax sx = { .rs = { .x = x } };
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = sax_start;
    h.endElementNs = sax_end;
    h.characters = sax_chars;
    h.cdataBlock = sax_chars;
    h.internalSubset = sax_doctype;
    h.serror = sax_error;
    part_pipe pp;
    bool piped = pipe_start(&pp, &p);
    xmlParserCtxtPtr pc = piped ? xmlCreateIOParserCtxt(&h, &sx, pipe_read, part_close, &pp, XML_CHAR_ENCODING_NONE)
                                : xmlCreateIOParserCtxt(&h, &sx, sheet_read, part_close, &p, XML_CHAR_ENCODING_NONE);
    bool xml_bad = !pc;
    if (pc) {
        xmlCtxtUseOptions(pc, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        sx.pc = pc;
        sheet_names_of(pc->dict, &sx.nm);
        int ret = xmlParseDocument(pc);
        if (!sx.doctype && (ret != 0 || !pc->wellFormed)) xml_bad = true;
        xmlFreeParserCtxt(pc);
    }
    if (piped) pipe_finish(&pp);
    else part_drain(&p);
    bool ok = part_close_check(&p, part, e);
    if (ok && (xml_bad || sx.doctype)) {
        set_err(e, "ROSTER_ZIP_CORRUPT", "%s: XML", part);
        ok = false;
    }
    int rc = ok ? sheet_replay(&sx, fn, arg) : -1;
    if (ok && sx.sp.failed) set_err(e, "INPUT_UNREADABLE", "%s", "temp file");
    row_state *rs = &sx.rs;
    for (int k = 0; k < rs->ms.n; k++) free(rs->ms.v[k].value);
    free(rs->ms.v);
    free(rs->by_start);
    free(rs->active);
    free(rs->cells);
    free(rs->text_at);
    sbuf_free(&rs->text);
    spool_free(&sx.sp);
    return rc;
}

/* docxw — see docxw.h.
 *
 * The zip is written with minizip (the library libxlsxwriter already brings).
 * An entry's XML is written by xmlTextWriter into memory, deflated whole by
 * libdeflate and handed to minizip as a raw entry with its size and CRC:
 * zlib's per-entry setup (a 256 KB state, 64 KB of it cleared) and its
 * slower match finder were a quarter of what a DOCX cost. An entry whose
 * XML outgrows opts->hold (a registration of a few hundred persons) goes
 * on through minizip's own zlib deflate from there, so memory stays
 * bounded. xlsxw.c interposes minizip's zipOpenNewFileInZip4_64 to turn
 * libxlsxwriter's default level (-1) into level 1; the entries here pass
 * their level explicitly, so that wrapper hands them on unchanged. */
#include "docxw.h"
#include "outfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libdeflate.h>
#include <libxml/xmlwriter.h>
#include <zip.h>

#define MM2TW (1440.0 / 25.4)     /* twentieths of a point per mm */
#define PT2MM (25.4 / 72.0)
#define MM2PT (72.0 / 25.4)
/* The paragraph that ends a section (or separates two pages' tables) is
 * 1 pt tall; the body's bottom margin gives it this much room below the
 * PDF's last row, so a page the form fills never spills it onto a page of
 * its own. */
#define BOTTOM_SLACK_MM 2.0
/* A cell whose text takes this close to its height (in mm) fills it, and
 * Word's line breaks may need a little more: its row may grow in Word. */
#define TIGHT_MM 0.6
#define ZIP_LEVEL 1               /* deflate level: the XML is mostly markup */
/* Bytes of an entry's XML held to be deflated whole (opts->hold = 0): about
 * 220 persons of a registration at ~18 KB of XML each. */
#define HOLD_DEFAULT (4u << 20)

static const char *const NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
static const char *const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
static const char *const REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

/* A header or footer part: the lo_hf it shows, copied. */
typedef struct hf_part {
    char *part[3];
    font_role font;
    double size;
    bool footer;
    bool multi;                   /* several documents: count the section's pages */
    double width;                 /* mm between the margins, for the tabs */
    size_t pages;                 /* the document's pages when known (0: not), shown by the count field */
} hf_part;

/* A paragraph style: what a cell's paragraphs share (font role, size in
 * half-points, exact line pitch in twips, alignment). A cell's paragraph
 * then names its style instead of repeating its properties: the XML of a
 * form is half as long, and writing it is most of what a DOCX costs. */
typedef struct pstyle {
    font_role font;
    long hp, line;
    tpl_halign jc;
} pstyle;

/* What a cached fragment depends on: its kind and its parameters (the
 * struct is zeroed first, so equal parameters are equal bytes). */
typedef struct fkey {
    long kind;                    /* long, as v: no padding, so the bytes are the key */
    long v[10];
} fkey;

typedef struct frag {
    fkey key;
    char *xml;
    size_t len;
} frag;

typedef struct dx {
    zipFile z;
    xmlTextWriterPtr w;
    zip_fileinfo zi;
    /* the open entry: its name, its XML held so far, and whether it
     * outgrew hold and streams through minizip's deflate */
    char part[64];
    sbuf xml;
    size_t hold;
    bool streaming;
    struct libdeflate_compressor *dc;   /* made on the first entry */
    char *zout;                         /* deflated entry */
    size_t zcap;
    const font_set *fs;
    bool failed;
    bool multi;                   /* more than one document (section) */
    bool begun;                   /* a document begun (its header and footer known) */
    size_t doc_pages;             /* pages of the current document so far */
    size_t est_pages;             /* its pages in Word, estimated (multi only; else 0) */
    hf_part *hfs;
    size_t nhfs, caphfs;
    int cur_hdr, cur_ftr;         /* part index (1-based) of the current document's, 0: none */
    pstyle *ps;                   /* paragraph styles of the cells' text, written with styles.xml */
    size_t nps, capps, last_ps;
    int *occ;                     /* a page's grid: cell index per row × column */
    long table_pad;               /* twips: the current table's left and right cell margins */
    bool table_thin;              /* the current table's borders are thin lines everywhere */
    size_t capocc;
    double *rowh;                 /* a page's row heights as Word makes them (estimate) */
    unsigned char *rowgrow;       /* ... and whether the row grows (breaks across pages) */
    size_t caprowh;
    text_lines lines;
    char title[512];
    sbuf tmp;
    /* XML fragments every cell or row repeats (see "fragments") */
    struct frag *frags;
    size_t nfrags, capfrags;
    size_t *slots;                      /* hash of frags: index + 1, 0 empty; nslots a power of 2 */
    size_t nslots;
    xmlTextWriterPtr saved_w;           /* the entry's writer while a fragment is written */
    xmlBufferPtr frag_buf;
    fkey pending;                       /* the key of the fragment being written */
    int nested;                         /* fragments begun inside it (written as part of it) */
} dx;

/* ---------------------------------------------------------------- XML */

static void st(dx *x, const char *name)
{
    if (xmlTextWriterStartElement(x->w, BAD_CAST name) < 0) x->failed = true;
}

static void en(dx *x)
{
    if (xmlTextWriterEndElement(x->w) < 0) x->failed = true;
}

static void at(dx *x, const char *name, const char *v)
{
    if (xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST v) < 0) x->failed = true;
}

static void atl(dx *x, const char *name, long v)
{
    char b[24];
    snprintf(b, sizeof b, "%ld", v);
    at(x, name, b);
}

/* <name w:val="v"/> */
static void val(dx *x, const char *name, const char *v)
{
    st(x, name);
    at(x, "w:val", v);
    en(x);
}

static void vall(dx *x, const char *name, long v)
{
    st(x, name);
    atl(x, "w:val", v);
    en(x);
}

static void empty(dx *x, const char *name)
{
    st(x, name);
    en(x);
}

static long tw(double mm) { return lround(mm * MM2TW); }

/* ---------------------------------------------------------------- fragments */

/* The properties of a cell, a row or a paragraph (tcPr, trPr, pPr) are the
 * same on thousands of cells: each distinct one is written once per file by
 * xmlTextWriter into a buffer and written again with xmlTextWriterWriteRaw,
 * half the cost of writing the DOCX at their element and attribute calls.
 * A fragment is a whole element, so the document is what xmlTextWriter
 * would have written element by element.
 *
 *     fkey k = {...};
 *     if (frag_use(x, &k)) return;   // written from the cache
 *     ... write the element with st/at/en ...
 *     frag_done(x);                  // cached, and written
 */
enum { FK_TCPR = 1, FK_TRPR, FK_PPR, FK_EMPTY_TC };

static bool fkey_eq(const fkey *a, const fkey *b) { return !memcmp(a, b, sizeof *a); }

static void fkey_init(fkey *k, int kind)
{
    memset(k, 0, sizeof *k);
    k->kind = kind;
}

static void frag_write(dx *x, const frag *f)
{
    if (xmlTextWriterWriteRawLen(x->w, BAD_CAST f->xml, (int)f->len) < 0) x->failed = true;
}

static size_t fkey_hash(const fkey *k)
{
    const unsigned char *p = (const unsigned char *)k;
    size_t h = 14695981039346656037u;   /* FNV-1a */
    for (size_t i = 0; i < sizeof *k; i++) h = (h ^ p[i]) * 1099511628211u;
    return h;
}

/* The slot of key k: where it is, or the empty one where it goes. */
static size_t *frag_slot(dx *x, const fkey *k)
{
    size_t i = fkey_hash(k) & (x->nslots - 1);
    while (x->slots[i] && !fkey_eq(&x->frags[x->slots[i] - 1].key, k)) i = (i + 1) & (x->nslots - 1);
    return &x->slots[i];
}

/* Write the fragment of key k when it is cached (true); else point the
 * writer at a buffer until frag_done. A form has a few dozen (a list of
 * rows of many heights a few hundred). */
static bool frag_use(dx *x, const fkey *k)
{
    if (x->saved_w) {   /* inside another fragment: part of it */
        x->nested++;
        return false;
    }
    if (x->nslots) {
        size_t *s = frag_slot(x, k);
        if (*s) {
            frag_write(x, &x->frags[*s - 1]);
            return true;
        }
    }
    if (!x->frag_buf) x->frag_buf = xmlBufferCreate();
    xmlTextWriterPtr fw = x->frag_buf ? xmlNewTextWriterMemory(x->frag_buf, 0) : NULL;
    if (!fw) {   /* write it straight, uncached */
        x->failed = true;
        return false;
    }
    xmlBufferEmpty(x->frag_buf);
    x->saved_w = x->w;
    x->w = fw;
    x->pending = *k;
    return false;
}

/* Room for one more fragment in the hash (at most half full). */
static void frag_room(dx *x)
{
    if ((x->nfrags + 1) * 2 <= x->nslots) return;
    x->nslots = x->nslots ? x->nslots * 2 : 64;
    free(x->slots);
    x->slots = xcalloc(x->nslots, sizeof *x->slots);
    for (size_t i = 0; i < x->nfrags; i++) *frag_slot(x, &x->frags[i].key) = i + 1;
}

static void frag_done(dx *x)
{
    if (x->nested) {
        x->nested--;
        return;
    }
    if (!x->saved_w) return;   /* frag_use failed: written straight */
    xmlFreeTextWriter(x->w);   /* flushes into frag_buf */
    x->w = x->saved_w;
    x->saved_w = NULL;
    if (x->nfrags == x->capfrags) {
        x->capfrags = x->capfrags ? x->capfrags * 2 : 32;
        x->frags = xrealloc(x->frags, x->capfrags * sizeof *x->frags);
    }
    frag_room(x);
    frag *f = &x->frags[x->nfrags++];
    f->key = x->pending;
    *frag_slot(x, &f->key) = x->nfrags;
    f->len = (size_t)xmlBufferLength(x->frag_buf);
    f->xml = xmalloc(f->len + 1);
    memcpy(f->xml, xmlBufferContent(x->frag_buf), f->len);
    f->xml[f->len] = 0;
    frag_write(x, f);
}

static void frags_free(dx *x)
{
    for (size_t i = 0; i < x->nfrags; i++) free(x->frags[i].xml);
    free(x->frags);
    free(x->slots);
    if (x->frag_buf) xmlBufferFree(x->frag_buf);
}

/* ---------------------------------------------------------------- zip */

/* Open the held entry as one minizip deflates (level ZIP_LEVEL) and pass
 * it what is held: the entry outgrew the hold. */
static bool stream_start(dx *x)
{
    if (zipOpenNewFileInZip3_64(x->z, x->part, &x->zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, ZIP_LEVEL, 0,
                                -MAX_WBITS, DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY, NULL, 0, 0) != ZIP_OK)
        return false;
    x->streaming = true;
    bool ok = !x->xml.len || zipWriteInFileInZip(x->z, x->xml.data, (unsigned)x->xml.len) == ZIP_OK;
    sbuf_clear(&x->xml);
    return ok;
}

/* The writer's output: held, or once the entry outgrew the hold, into minizip. */
static int part_out(void *ctx, const char *buf, int len)
{
    dx *x = ctx;
    if (!x->streaming) {
        sbuf_add(&x->xml, buf, (size_t)len);
        if (x->xml.len <= x->hold) return len;
        return stream_start(x) ? len : -1;
    }
    return zipWriteInFileInZip(x->z, buf, (unsigned)len) == ZIP_OK ? len : -1;
}

/* Start entry name: a writer into memory, with the XML declaration. */
static void part_open(dx *x, const char *name)
{
    if (x->failed) return;
    snprintf(x->part, sizeof x->part, "%s", name);
    sbuf_clear(&x->xml);
    x->streaming = false;
    xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(part_out, NULL, x, NULL);
    x->w = ob ? xmlNewTextWriter(ob) : NULL;
    if (!x->w) {
        if (ob) xmlOutputBufferClose(ob);
        x->failed = true;
        return;
    }
    if (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", "yes") < 0) x->failed = true;
}

/* The held XML deflated by libdeflate into a raw entry (minizip writes its
 * headers with the size and CRC given). */
static bool part_store(dx *x)
{
    if (!x->dc && !(x->dc = libdeflate_alloc_compressor(ZIP_LEVEL))) return false;
    const char *in = x->xml.data ? x->xml.data : "";
    size_t bound = libdeflate_deflate_compress_bound(x->dc, x->xml.len);
    if (bound > x->zcap) {
        x->zout = xrealloc(x->zout, bound);
        x->zcap = bound;
    }
    size_t got = libdeflate_deflate_compress(x->dc, in, x->xml.len, x->zout, x->zcap);
    if (!got) return false;
    if (zipOpenNewFileInZip3_64(x->z, x->part, &x->zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, ZIP_LEVEL, 1,
                                -MAX_WBITS, DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY, NULL, 0, 0) != ZIP_OK)
        return false;
    bool ok = zipWriteInFileInZip(x->z, x->zout, (unsigned)got) == ZIP_OK;
    uLong crc = (uLong)libdeflate_crc32(0, in, x->xml.len);
    return zipCloseFileInZipRaw64(x->z, (ZPOS64_T)x->xml.len, crc) == ZIP_OK && ok;
}

static void part_close(dx *x)
{
    if (!x->w) return;
    if (xmlTextWriterEndDocument(x->w) < 0) x->failed = true;
    xmlFreeTextWriter(x->w);   /* flushes into part_out */
    x->w = NULL;
    if (x->failed) {
        if (x->streaming) zipCloseFileInZip(x->z);
    } else if (x->streaming ? zipCloseFileInZip(x->z) != ZIP_OK : !part_store(x)) {
        x->failed = true;
    }
    x->streaming = false;
    sbuf_clear(&x->xml);
}

/* Entry times: the epoch as a DOS date (UTC; 1980-01-01 before 1980). */
static void zip_time(zip_fileinfo *zi, long long epoch)
{
    memset(zi, 0, sizeof *zi);
    time_t t = (time_t)(epoch >= 315532800 ? epoch : 315532800);
    struct tm tm;
    gmtime_r(&t, &tm);
    zi->tmz_date = (tm_zip){(unsigned)tm.tm_sec, (unsigned)tm.tm_min, (unsigned)tm.tm_hour,
                            (unsigned)tm.tm_mday, (unsigned)tm.tm_mon, (unsigned)tm.tm_year + 1900};
}

/* ---------------------------------------------------------------- runs */

static const char *font_name(const dx *x, font_role r) { return font_sheet_name(x->fs, r); }

/* Size in half-points, rounded down so text the layout fitted at its size
 * still fits. */
static long half_points(double size)
{
    long hp = (long)floor(size * 2 + 1e-6);
    return hp < 2 ? 2 : hp;
}

/* The role's fonts for every script (w:eastAsia is what Word uses for CJK). */
static void role_fonts(dx *x, font_role f)
{
    const char *n = font_name(x, f);
    st(x, "w:rFonts");
    at(x, "w:ascii", n);
    at(x, "w:hAnsi", n);
    at(x, "w:eastAsia", n);
    at(x, "w:cs", n);
    en(x);
}

/* Run properties: the role's character style (its fonts: see
 * write_styles) and the size. */
static void rpr(dx *x, font_role f, double size)
{
    static const char *const style[FONT_NROLES] = {"R0", "R1", "R2", "R3"};
    st(x, "w:rPr");
    val(x, "w:rStyle", style[f < FONT_NROLES ? f : 0]);
    vall(x, "w:sz", half_points(size));
    en(x);
}

/* A run of text; its properties from the run's style when f >= 0, else
 * from the paragraph's. */
static void text_run(dx *x, int f, double size, const char *s, size_t n)
{
    st(x, "w:r");
    if (f >= 0) rpr(x, (font_role)f, size);
    st(x, "w:t");
    sbuf_clear(&x->tmp);
    sbuf_add(&x->tmp, s, n);
    /* spaces at the ends or in a row are kept only when marked */
    if (n && (s[0] == ' ' || s[n - 1] == ' ' || strstr(x->tmp.data, "  "))) at(x, "xml:space", "preserve");
    if (xmlTextWriterWriteString(x->w, BAD_CAST x->tmp.data) < 0) x->failed = true;
    en(x);
    en(x);
}

/* Top and bottom cell margins, mm: the layout's pad/2 on the side the
 * text is aligned to (where the PDF starts it), none on the other. */
static double mar_top(const lo_cell *c) { return c->valign == TPL_TOP ? c->pad / 2 : 0; }
static double mar_bottom(const lo_cell *c) { return c->valign == TPL_BOTTOM ? c->pad / 2 : 0; }

/* Text the layout fitted to its cell by shrinking it, or continued on a
 * 续页: written whole at the template's size in a row that grows (see
 * row_pr), so it stays editable in Word instead of cut into parts. */
static bool cell_grows(const lo_cell *c) { return c->whole || c->want_size > c->size + 1e-6; }

static const char *cell_text_of(const lo_cell *c) { return c->whole ? c->whole : c->text; }

static double cell_size(const lo_cell *c) { return cell_grows(c) ? c->want_size : c->size; }

/* The line pitch in twips: the layout's (size × leading), or less when
 * its lines would not fit the cell at a full pitch each (the layout counts
 * the last line at its em height only; Word gives it a whole pitch). A
 * growing cell keeps the full pitch: its row grows instead. */
static long line_tw(const lo_cell *c)
{
    double pitch = cell_size(c) * c->leading * 20;
    if (c->nlines && !cell_grows(c)) {
        double avail = (c->h - mar_top(c) - mar_bottom(c)) * MM2TW / (double)c->nlines;
        if (avail < pitch) pitch = floor(avail);
    }
    return pitch >= 20 ? (long)pitch : 20;
}

/* The paragraph style of cell c's text (its index, made on first use). */
static size_t cell_style(dx *x, const lo_cell *c)
{
    pstyle want = {c->font, half_points(cell_size(c)), line_tw(c), c->halign};
    if (x->last_ps < x->nps) {   /* neighbouring cells mostly share one */
        const pstyle *p = &x->ps[x->last_ps];
        if (p->font == want.font && p->hp == want.hp && p->line == want.line && p->jc == want.jc) return x->last_ps;
    }
    for (size_t i = 0; i < x->nps; i++) {
        const pstyle *p = &x->ps[i];
        if (p->font == want.font && p->hp == want.hp && p->line == want.line && p->jc == want.jc)
            return x->last_ps = i;
    }
    if (x->nps == x->capps) {
        x->capps = x->capps ? x->capps * 2 : 16;
        x->ps = xrealloc(x->ps, x->capps * sizeof *x->ps);
    }
    x->ps[x->nps] = want;
    return x->last_ps = x->nps++;
}

static void cell_ppr(dx *x, const lo_cell *c)
{
    fkey k;
    fkey_init(&k, FK_PPR);
    k.v[0] = (long)cell_style(x, c);
    if (frag_use(x, &k)) return;
    char id[24];
    snprintf(id, sizeof id, "P%ld", k.v[0]);
    st(x, "w:pPr");
    val(x, "w:pStyle", id);
    en(x);
    frag_done(x);
}

/* The cell's text, a paragraph per hard line break (Word wraps the rest
 * itself, so an edit rewraps). */
static void cell_text(dx *x, const lo_cell *c)
{
    const char *s = cell_text_of(c);
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        st(x, "w:p");
        cell_ppr(x, c);
        if (n) text_run(x, -1, 0, s, n);
        en(x);
        if (!nl) break;
        s = nl + 1;
    }
}

/* ---------------------------------------------------------------- tables */

static const char *border_style(unsigned char b, long *sz)
{
    switch (b) {
    case TPL_BORDER_THIN: *sz = 4; return "single";      /* eighths of a point: 0.5 pt, as the PDF */
    case TPL_BORDER_MEDIUM: *sz = 8; return "single";
    case TPL_BORDER_THICK: *sz = 12; return "single";
    default: *sz = 0; return "nil";
    }
}

static void border(dx *x, const char *name, unsigned char b)
{
    long sz;
    const char *s = border_style(b, &sz);
    if (!sz && !x->table_thin) return;   /* no side is drawn unless named */
    st(x, name);
    at(x, "w:val", s);
    if (sz) atl(x, "w:sz", sz);   /* colour auto: black */
    en(x);
}

/* Width in twips of columns [col, col + span), from rounded cumulative
 * edges so every cell edge falls on a grid line. */
static long span_tw(const lo_doc *d, int col, int span)
{
    double a = 0, b;
    for (int i = 0; i < col; i++) a += d->col_w[i];
    b = a;
    for (int i = col; i < col + span && i < (int)d->ncols; i++) b += d->col_w[i];
    return tw(b) - tw(a);
}

/* A grid position no cell covers: an empty cell over `span` columns. */
static void cell_borders(dx *x, const unsigned char b[4])
{
    st(x, "w:tcBorders");
    border(x, "w:top", b[0]);
    border(x, "w:left", b[1]);
    border(x, "w:bottom", b[2]);
    border(x, "w:right", b[3]);
    en(x);
}

static void empty_tc(dx *x, int span)
{
    fkey k;
    fkey_init(&k, FK_EMPTY_TC);
    k.v[0] = span;
    k.v[1] = x->table_thin;
    if (frag_use(x, &k)) return;
    st(x, "w:tc");
    st(x, "w:tcPr");
    if (span > 1) vall(x, "w:gridSpan", span);
    if (x->table_thin) cell_borders(x, (const unsigned char[4]){0, 0, 0, 0});
    en(x);
    empty(x, "w:p");
    en(x);
    frag_done(x);
}

/* The properties of cell c on page row r (first, last: its first and last
 * row). The merged region keeps the cell's borders on its outside only. */
static void tc_pr(dx *x, const lo_cell *c, bool first, bool last)
{
    unsigned char b[4] = {first ? c->border[TPL_SIDE_TOP] : 0, c->border[TPL_SIDE_LEFT],
                          last ? c->border[TPL_SIDE_BOTTOM] : 0, c->border[TPL_SIDE_RIGHT]};
    bool thin = b[0] == TPL_BORDER_THIN && b[1] == TPL_BORDER_THIN && b[2] == TPL_BORDER_THIN &&
                b[3] == TPL_BORDER_THIN;
    /* a table of thin lines: only the cells that differ say so, every side */
    bool borders = x->table_thin ? !thin : (b[0] || b[1] || b[2] || b[3]);
    /* margins where they differ from the table's (see table_pr) */
    long mar[4] = {tw(mar_top(c)), tw(c->pad), tw(mar_bottom(c)), tw(c->pad)};
    bool margins = mar_top(c) != 0 || mar_bottom(c) != 0 || mar[1] != x->table_pad;
    int vmerge = c->rowspan > 1 ? (first ? 1 : 2) : 0;
    fkey k;
    fkey_init(&k, FK_TCPR);
    k.v[0] = c->colspan;
    k.v[1] = vmerge;
    k.v[2] = borders ? 1 + (x->table_thin ? 2 : 0) : 0;
    k.v[3] = borders ? (long)b[0] | (long)b[1] << 8 | (long)b[2] << 16 | (long)b[3] << 24 : 0;
    k.v[4] = margins;
    for (int i = 0; i < 4 && margins; i++) k.v[5 + i] = mar[i];
    k.v[9] = (long)c->valign;
    if (frag_use(x, &k)) return;
    st(x, "w:tcPr");   /* no tcW: a fixed table's widths are its grid's */
    if (c->colspan > 1) vall(x, "w:gridSpan", c->colspan);
    if (vmerge == 1) val(x, "w:vMerge", "restart");
    else if (vmerge == 2) empty(x, "w:vMerge");
    if (borders) cell_borders(x, b);
    if (margins) {
        st(x, "w:tcMar");
        static const char *const side[4] = {"w:top", "w:left", "w:bottom", "w:right"};
        for (int i = 0; i < 4; i++) {
            st(x, side[i]);
            atl(x, "w:w", mar[i]);
            at(x, "w:type", "dxa");
            en(x);
        }
        en(x);
    }
    if (c->valign != TPL_TOP) val(x, "w:vAlign", c->valign == TPL_BOTTOM ? "bottom" : "center");
    en(x);
    frag_done(x);
}

/* Cell c's part on page row r: its content on its first row, a vMerge
 * continuation on the rows below. */
static void cell_tc(dx *x, const lo_cell *c, int r)
{
    bool first = r == c->row, last = r == c->row + c->rowspan - 1;
    st(x, "w:tc");
    tc_pr(x, c, first, last);
    if (first) cell_text(x, c);
    else {   /* sized as the cell's text, so an "at least" row does not grow for it */
        st(x, "w:p");
        cell_ppr(x, c);
        en(x);
    }
    en(x);
}

/* Does cell c's text fill its box (an auto height, or a fit to the
 * height that Word, with its own line breaks, may not match)? */
static bool cell_tight(const lo_cell *c)
{
    if (!c->text[0] || !c->nlines) return false;
    double need = (double)c->nlines * (double)line_tw(c) / MM2TW + mar_top(c) + mar_bottom(c);
    return need > c->h - TIGHT_MM;
}

/* Map the page's grid to its cells (-1: not covered). */
static int *page_grid(dx *x, const lo_doc *d, const lo_page *pg)
{
    size_t n = pg->nrows * d->ncols;
    if (n > x->capocc) {
        x->capocc = n;
        x->occ = xrealloc(x->occ, n * sizeof *x->occ);
    }
    for (size_t i = 0; i < n; i++) x->occ[i] = -1;
    for (size_t i = 0; i < pg->ncells; i++) {
        const lo_cell *c = &pg->cells[i];
        for (int r = c->row; r < c->row + c->rowspan && r < (int)pg->nrows; r++)
            for (int k = c->col; k < c->col + c->colspan && k < (int)d->ncols; k++)
                if (r >= 0 && k >= 0) x->occ[(size_t)r * d->ncols + (size_t)k] = (int)i;
    }
    return x->occ;
}

/* Row r's height: exact, as the PDF, unless a cell ending on it was fitted
 * to its height: then at least that, so text the PDF shrank or continued
 * stays whole and editable in Word (the row grows rather than clip). */
static void row_pr(dx *x, const lo_page *pg, const int *occ, size_t ncols, size_t r, bool head)
{
    bool grow = false;
    for (size_t k = 0; k < ncols && !grow; k++) {
        int i = occ[r * ncols + k];
        if (i < 0) continue;
        const lo_cell *c = &pg->cells[i];
        grow = c->row + c->rowspan - 1 == (int)r && (cell_grows(c) || cell_tight(c));
    }
    fkey k;
    fkey_init(&k, FK_TRPR);
    k.v[0] = tw(pg->rows[r].h);
    k.v[1] = grow;
    k.v[2] = head;
    if (frag_use(x, &k)) return;
    st(x, "w:trPr");
    if (!grow) empty(x, "w:cantSplit");
    st(x, "w:trHeight");
    atl(x, "w:val", k.v[0]);
    at(x, "w:hRule", grow ? "atLeast" : "exact");
    en(x);
    if (head) empty(x, "w:tblHeader");
    en(x);
    frag_done(x);
}

static void table_pr(dx *x, const lo_doc *d, const lo_page *pg)
{
    /* the page's commonest side padding is the table's, so most cells need no tcMar */
    x->table_pad = pg->ncells ? tw(pg->cells[pg->ncells / 2].pad) : 0;
    /* most cells ruled thin all round: the table's borders, so they need none */
    size_t nthin = 0;
    for (size_t i = 0; i < pg->ncells; i++) {
        const unsigned char *b = pg->cells[i].border;
        nthin += b[0] == TPL_BORDER_THIN && b[1] == TPL_BORDER_THIN && b[2] == TPL_BORDER_THIN &&
                 b[3] == TPL_BORDER_THIN;
    }
    x->table_thin = nthin * 2 > pg->ncells;
    st(x, "w:tblPr");
    st(x, "w:tblW");
    atl(x, "w:w", span_tw(d, 0, (int)d->ncols));
    at(x, "w:type", "dxa");
    en(x);
    /* the grid's left edge where the PDF has it (compatibility mode 15
     * measures the indent to the cell's edge) */
    st(x, "w:tblInd");
    atl(x, "w:w", tw(d->x0 - d->margin[TPL_SIDE_LEFT]));
    at(x, "w:type", "dxa");
    en(x);
    if (x->table_thin) {
        st(x, "w:tblBorders");
        static const char *const edge[6] = {"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"};
        for (int k = 0; k < 6; k++) border(x, edge[k], TPL_BORDER_THIN);
        en(x);
    }
    st(x, "w:tblLayout");
    at(x, "w:type", "fixed");
    en(x);
    st(x, "w:tblCellMar");
    static const char *const side[4] = {"w:top", "w:left", "w:bottom", "w:right"};
    for (int k = 0; k < 4; k++) {
        st(x, side[k]);
        atl(x, "w:w", k % 2 ? x->table_pad : 0);
        at(x, "w:type", "dxa");
        en(x);
    }
    en(x);
    en(x);
    st(x, "w:tblGrid");
    for (size_t k = 0; k < d->ncols; k++) {
        st(x, "w:gridCol");
        atl(x, "w:w", span_tw(d, (int)k, 1));
        en(x);
    }
    en(x);
}

/* One page of the model as one table. The repeated list head rows that
 * open a page are its w:tblHeader rows: when an edit makes the table run
 * onto another page, Word repeats them there as the PDF does. */
static void write_table(dx *x, const lo_doc *d, const lo_page *pg)
{
    if (!pg->nrows || !d->ncols) return;
    const int *occ = page_grid(x, d, pg);
    st(x, "w:tbl");
    table_pr(x, d, pg);
    bool lead = true;
    for (size_t r = 0; r < pg->nrows; r++) {
        lead = lead && pg->rows[r].repeat;
        st(x, "w:tr");
        row_pr(x, pg, occ, d->ncols, r, lead);
        for (size_t k = 0; k < d->ncols;) {
            int i = occ[r * d->ncols + k];
            if (i < 0) {
                size_t e = k;
                while (e < d->ncols && occ[r * d->ncols + e] < 0) e++;
                empty_tc(x, (int)(e - k));
                k = e;
                continue;
            }
            const lo_cell *c = &pg->cells[i];
            cell_tc(x, c, (int)r);
            k = (size_t)(c->col + c->colspan);
        }
        en(x);
    }
    en(x);
}

/* ---------------------------------------------------------------- sections */

static bool hf_used(const lo_hf *h)
{
    for (int k = 0; k < 3; k++)
        if (h->part[k] && h->part[k][0]) return true;
    return false;
}

static bool hf_same(const hf_part *p, const lo_hf *h)
{
    if (p->font != h->font || p->size != h->size) return false;
    for (int k = 0; k < 3; k++)
        if (strcmp(p->part[k], h->part[k] ? h->part[k] : "")) return false;
    return true;
}

/* The part showing h (1-based index), reusing the last one of its kind when
 * it shows the same; 0 when h is empty. */
static int hf_ref(dx *x, const lo_doc *d, const lo_hf *h, bool footer, int cur)
{
    if (!hf_used(h)) return 0;
    double width = d->page_w - d->margin[TPL_SIDE_LEFT] - d->margin[TPL_SIDE_RIGHT];
    size_t pages = x->est_pages;
    if (cur && hf_same(&x->hfs[cur - 1], h) && fabs(x->hfs[cur - 1].width - width) < 0.01 &&
        x->hfs[cur - 1].pages == pages)
        return cur;
    if (x->nhfs == x->caphfs) {
        x->caphfs = x->caphfs ? x->caphfs * 2 : 4;
        x->hfs = xrealloc(x->hfs, x->caphfs * sizeof *x->hfs);
    }
    hf_part *p = &x->hfs[x->nhfs++];
    for (int k = 0; k < 3; k++) p->part[k] = xstrdup(h->part[k] ? h->part[k] : "");
    p->font = h->font;
    p->size = h->size;
    p->footer = footer;
    p->multi = x->multi;
    p->width = width;
    p->pages = pages;
    return (int)x->nhfs;
}

/* The body's bottom margin: the PDF's less the slack for the section's
 * closing paragraph, while the footer still fits below it. */
static double body_bottom(const lo_doc *d)
{
    double b = d->margin[TPL_SIDE_BOTTOM] - BOTTOM_SLACK_MM;
    double foot = hf_used(&d->footer) ? d->footer.size * 1.4 * PT2MM : 0;
    double min = d->footer_margin + foot + 0.5;
    return b >= min ? b : d->margin[TPL_SIDE_BOTTOM];
}

static void hf_reference(dx *x, const char *name, int id)
{
    char rid[16];
    snprintf(rid, sizeof rid, "rIdH%d", id);
    st(x, name);
    at(x, "w:type", "default");
    at(x, "r:id", rid);
    en(x);
}

/* The section of document d: its header/footer, page size, orientation,
 * margins (the model's, binding margin included) and page numbers from 1. */
static void sect_pr(dx *x, const lo_doc *d)
{
    st(x, "w:sectPr");
    if (x->cur_hdr) hf_reference(x, "w:headerReference", x->cur_hdr);
    if (x->cur_ftr) hf_reference(x, "w:footerReference", x->cur_ftr);
    /* TODO(duplex): when the model says a document starts on an odd page,
     * w:type oddPage here */
    val(x, "w:type", "nextPage");
    st(x, "w:pgSz");
    atl(x, "w:w", tw(d->page_w));
    atl(x, "w:h", tw(d->page_h));
    if (d->landscape) at(x, "w:orient", "landscape");
    en(x);
    st(x, "w:pgMar");
    atl(x, "w:top", tw(d->margin[TPL_SIDE_TOP]));
    atl(x, "w:right", tw(d->margin[TPL_SIDE_RIGHT]));
    atl(x, "w:bottom", tw(body_bottom(d)));
    atl(x, "w:left", tw(d->margin[TPL_SIDE_LEFT]));
    atl(x, "w:header", tw(d->header_margin));
    atl(x, "w:footer", tw(d->footer_margin));
    at(x, "w:gutter", "0");
    en(x);
    st(x, "w:pgNumType");
    at(x, "w:start", "1");
    en(x);
    en(x);
}

/* A 1 pt paragraph: between two pages' tables (breaking the page before
 * the second) or closing a section. */
static void thin_para(dx *x, bool page_break, const lo_doc *sect)
{
    st(x, "w:p");
    st(x, "w:pPr");
    if (page_break) empty(x, "w:pageBreakBefore");
    st(x, "w:spacing");
    at(x, "w:before", "0");
    at(x, "w:after", "0");
    at(x, "w:line", "20");
    at(x, "w:lineRule", "exact");
    en(x);
    st(x, "w:rPr");
    vall(x, "w:sz", 2);
    en(x);
    if (sect) sect_pr(x, sect);
    en(x);
    en(x);
}

/* ---------------------------------------------------------------- page counts */

/* Height (mm) growing cell c takes in Word: its text broken at its size
 * in its width, a full pitch a line (line_tw), and its margins. */
static double grown_h(dx *x, const lo_cell *c)
{
    const char *s = cell_text_of(c);
    text_metrics m = font_metrics(x->fs, c->font);
    double w = (c->w - 2 * c->pad) * MM2PT;
    text_break(s, strlen(s), &m, (double)half_points(cell_size(c)) / 2, w > 1 ? w : 1, &x->lines);
    return (double)x->lines.n * (double)line_tw(c) / MM2TW + mar_top(c) + mar_bottom(c);
}

/* Pages page pg's table takes in Word, estimated: its rows as tall as the
 * PDF's but a growing cell's, which is as tall as its text needs and
 * breaks across pages; another row that does not fit starts a page. 1 for
 * a page without growing cells (the PDF's rows fit a page). */
static size_t table_pages(dx *x, const lo_doc *d, const lo_page *pg)
{
    bool any = false;
    for (size_t i = 0; i < pg->ncells && !any; i++) any = cell_grows(&pg->cells[i]) && pg->cells[i].text[0];
    if (!any || !pg->nrows) return 1;
    if (pg->nrows > x->caprowh) {
        x->caprowh = pg->nrows;
        x->rowh = xrealloc(x->rowh, x->caprowh * sizeof *x->rowh);
        x->rowgrow = xrealloc(x->rowgrow, x->caprowh);
    }
    for (size_t r = 0; r < pg->nrows; r++) {
        x->rowh[r] = pg->rows[r].h;
        x->rowgrow[r] = 0;
    }
    for (size_t i = 0; i < pg->ncells; i++) {
        const lo_cell *c = &pg->cells[i];
        int last = c->row + c->rowspan - 1;
        if (!cell_grows(c) || c->row < 0 || last >= (int)pg->nrows) continue;
        double need = grown_h(x, c);
        for (int r = c->row; r < last; r++) need -= x->rowh[r];
        if (need > x->rowh[last]) x->rowh[last] = need;
        x->rowgrow[last] = 1;
    }
    double body = d->page_h - d->margin[TPL_SIDE_TOP] - body_bottom(d) - PT2MM;
    if (body < 10) return 1;
    size_t pages = 1;
    double y = 0;
    for (size_t r = 0; r < pg->nrows; r++) {
        double h = x->rowh[r];
        if (x->rowgrow[r]) {   /* splits: fills the page, the rest on the next ones */
            while (y + h > body + 1e-6) {
                h -= body - y;
                pages++;
                y = 0;
            }
        } else if (y > 0 && y + h > body + 1e-6) {   /* cantSplit: moves whole */
            pages++;
            y = 0;
        }
        y += h;
    }
    return pages;
}

/* Pages document d takes in Word, estimated: the stored result of its
 * section's page-count field, which LibreOffice shows as it is. */
static size_t doc_pages_est(dx *x, const lo_doc *d)
{
    size_t n = 0;
    for (size_t p = 0; p < d->npages; p++)
        if (!d->pages[p].continuation) n += table_pages(x, d, &d->pages[p]);
    return n;
}

/* ---------------------------------------------------------------- document */

static void doc_begin(dx *x, const lo_doc *d)
{
    x->begun = true;
    x->doc_pages = 0;
    x->est_pages = x->multi ? doc_pages_est(x, d) : 0;
    x->cur_hdr = hf_ref(x, d, &d->header, false, x->cur_hdr);
    x->cur_ftr = hf_ref(x, d, &d->footer, true, x->cur_ftr);
    if (!x->title[0] && d->title) snprintf(x->title, sizeof x->title, "%s", d->title);
}

/* A 续页 holds the rest of a text its first part's cell holds whole here
 * (lo_cell.whole), so the DOCX has none: Word runs that cell's row onto
 * as many pages as the text needs. */
static void doc_page(dx *x, const lo_doc *d, const lo_page *pg)
{
    if (x->failed || pg->continuation) return;
    if (x->doc_pages++) thin_para(x, true, NULL);
    write_table(x, d, pg);
}

/* The end of document d: a section break, or the body's own section for
 * the last document. */
static void doc_end(dx *x, const lo_doc *d, bool last)
{
    if (!last) {
        thin_para(x, false, d);
        return;
    }
    thin_para(x, false, NULL);
    sect_pr(x, d);
}

static void body_begin(dx *x)
{
    part_open(x, "word/document.xml");
    if (x->failed) return;
    st(x, "w:document");
    at(x, "xmlns:w", NS_W);
    at(x, "xmlns:r", NS_R);
    st(x, "w:body");
}

static void body_end(dx *x)
{
    if (!x->w) return;
    en(x);
    en(x);
    part_close(x);
}

/* ---------------------------------------------------------------- parts */

static void field(dx *x, const hf_part *p, const char *instr, const char *shown)
{
    st(x, "w:fldSimple");
    at(x, "w:instr", instr);
    text_run(x, (int)p->font, p->size, shown, strlen(shown));
    en(x);
}

/* Text of a header/footer with its page tokens as PAGE and page-count
 * fields (the section's pages when the file holds several documents, as
 * the PDF numbers each document's pages). The count's shown result is the
 * document's page count when known: LibreOffice (7.4) shows SECTIONPAGES
 * as its stored result, so sections of different lengths get parts of
 * their own. */
static void hf_text(dx *x, const hf_part *p, const char *s)
{
    const char *run = s;
    for (;;) {
        const char *t = strchr(run, '\x01');
        size_t n = t ? (size_t)(t - run) : strlen(run);
        if (n) text_run(x, (int)p->font, p->size, run, n);
        if (!t) break;
        if (t[1] == 'P') field(x, p, " PAGE ", "1");
        else if (t[1] == 'N') {
            char count[24];
            snprintf(count, sizeof count, "%zu", p->pages ? p->pages : 1);
            field(x, p, p->multi ? " SECTIONPAGES " : " NUMPAGES ", count);
        }
        run = t[1] ? t + 2 : t + 1;
    }
}

/* header<n>.xml or footer<n>.xml: one paragraph, the left part at the
 * margin, the centre part on a centre tab, the right part on a right tab
 * at the other margin. */
static void write_hf_part(dx *x, const hf_part *p, int id)
{
    char name[40];
    snprintf(name, sizeof name, "word/%s%d.xml", p->footer ? "footer" : "header", id);
    part_open(x, name);
    if (x->failed) return;
    st(x, p->footer ? "w:ftr" : "w:hdr");
    at(x, "xmlns:w", NS_W);
    at(x, "xmlns:r", NS_R);
    st(x, "w:p");
    st(x, "w:pPr");
    st(x, "w:tabs");
    double width = p->width;
    st(x, "w:tab");
    at(x, "w:val", "center");
    atl(x, "w:pos", tw(width / 2));
    en(x);
    st(x, "w:tab");
    at(x, "w:val", "right");
    atl(x, "w:pos", tw(width));
    en(x);
    en(x);
    st(x, "w:spacing");
    at(x, "w:before", "0");
    at(x, "w:after", "0");
    en(x);
    rpr(x, p->font, p->size);
    en(x);
    for (int k = 0; k < 3; k++) {
        /* a tab before the centre part when it or the right part follows,
         * and before the right part */
        if ((k == 1 && (p->part[1][0] || p->part[2][0])) || (k == 2 && p->part[2][0])) {
            st(x, "w:r");
            empty(x, "w:tab");
            en(x);
        }
        if (p->part[k][0]) hf_text(x, p, p->part[k]);
    }
    en(x);
    en(x);
    part_close(x);
}

/* Defaults every paragraph and run starts from: the song role's font, no
 * space between paragraphs, no extra space between CJK and Latin text
 * (the PDF has none). */
static void write_styles(dx *x)
{
    part_open(x, "word/styles.xml");
    if (x->failed) return;
    st(x, "w:styles");
    at(x, "xmlns:w", NS_W);
    st(x, "w:docDefaults");
    st(x, "w:rPrDefault");
    st(x, "w:rPr");
    role_fonts(x, FONT_SONG);
    vall(x, "w:sz", 21);
    en(x);
    en(x);
    st(x, "w:pPrDefault");
    st(x, "w:pPr");
    val(x, "w:autoSpaceDE", "0");
    val(x, "w:autoSpaceDN", "0");
    st(x, "w:spacing");
    at(x, "w:after", "0");
    at(x, "w:line", "240");
    at(x, "w:lineRule", "auto");
    en(x);
    en(x);
    en(x);
    en(x);
    st(x, "w:style");
    at(x, "w:type", "paragraph");
    at(x, "w:default", "1");
    at(x, "w:styleId", "Normal");
    val(x, "w:name", "Normal");
    empty(x, "w:qFormat");
    en(x);
    for (int r = 0; r < FONT_NROLES; r++) {   /* a character style per font role */
        char id[16];
        snprintf(id, sizeof id, "R%d", r);
        st(x, "w:style");
        at(x, "w:type", "character");
        at(x, "w:customStyle", "1");
        at(x, "w:styleId", id);
        val(x, "w:name", font_role_name((font_role)r));
        st(x, "w:rPr");
        role_fonts(x, (font_role)r);
        en(x);
        en(x);
    }
    for (size_t i = 0; i < x->nps; i++) {   /* the cells' paragraph styles */
        const pstyle *p = &x->ps[i];
        char id[24];
        snprintf(id, sizeof id, "P%zu", i);
        st(x, "w:style");
        at(x, "w:type", "paragraph");
        at(x, "w:customStyle", "1");
        at(x, "w:styleId", id);
        val(x, "w:name", id);
        val(x, "w:basedOn", "Normal");
        st(x, "w:pPr");
        st(x, "w:spacing");
        at(x, "w:before", "0");
        at(x, "w:after", "0");
        atl(x, "w:line", p->line);
        at(x, "w:lineRule", "exact");
        en(x);
        val(x, "w:jc", p->jc == TPL_CENTER ? "center" : p->jc == TPL_RIGHT ? "right" : "left");
        en(x);
        st(x, "w:rPr");
        role_fonts(x, p->font);
        vall(x, "w:sz", p->hp);
        en(x);
        en(x);
    }
    st(x, "w:style");
    at(x, "w:type", "table");
    at(x, "w:default", "1");
    at(x, "w:styleId", "TableNormal");
    val(x, "w:name", "Normal Table");
    en(x);
    en(x);
    part_close(x);
}

/* Word 2013+ layout rules (compatibility mode 15), which LibreOffice
 * follows too: table indents measured to the cell edge. */
static void write_settings(dx *x)
{
    part_open(x, "word/settings.xml");
    if (x->failed) return;
    st(x, "w:settings");
    at(x, "xmlns:w", NS_W);
    st(x, "w:zoom");
    at(x, "w:percent", "100");
    en(x);
    vall(x, "w:defaultTabStop", 420);
    val(x, "w:characterSpacingControl", "doNotCompress");
    st(x, "w:compat");
    st(x, "w:compatSetting");
    at(x, "w:name", "compatibilityMode");
    at(x, "w:uri", "http://schemas.microsoft.com/office/word");
    at(x, "w:val", "15");
    en(x);
    en(x);
    en(x);
    part_close(x);
}

/* The families of the four roles (each once), GB2312 charset. */
static void write_fonts(dx *x)
{
    part_open(x, "word/fontTable.xml");
    if (x->failed) return;
    st(x, "w:fonts");
    at(x, "xmlns:w", NS_W);
    for (int r = 0; r < FONT_NROLES; r++) {
        bool seen = false;
        for (int q = 0; q < r; q++) seen = seen || !strcmp(font_name(x, q), font_name(x, r));
        if (seen) continue;
        st(x, "w:font");
        at(x, "w:name", font_name(x, r));
        val(x, "w:charset", "86");
        val(x, "w:family", "auto");
        val(x, "w:pitch", "variable");
        en(x);
    }
    en(x);
    part_close(x);
}

static void rel(dx *x, const char *id, const char *type, const char *target)
{
    st(x, "Relationship");
    at(x, "Id", id);
    sbuf_clear(&x->tmp);
    sbuf_printf(&x->tmp, "%s%s", strncmp(type, "http", 4) ? REL_BASE : "", type);
    at(x, "Type", x->tmp.data);
    at(x, "Target", target);
    en(x);
}

static void write_rels(dx *x)
{
    part_open(x, "_rels/.rels");
    if (x->failed) return;
    st(x, "Relationships");
    at(x, "xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
    rel(x, "rId1", "officeDocument", "word/document.xml");
    rel(x, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "docProps/core.xml");
    en(x);
    part_close(x);

    part_open(x, "word/_rels/document.xml.rels");
    if (x->failed) return;
    st(x, "Relationships");
    at(x, "xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
    rel(x, "rId1", "styles", "styles.xml");
    rel(x, "rId2", "settings", "settings.xml");
    rel(x, "rId3", "fontTable", "fontTable.xml");
    for (size_t i = 0; i < x->nhfs; i++) {
        char id[32], target[48];
        bool f = x->hfs[i].footer;
        snprintf(id, sizeof id, "rIdH%zu", i + 1);
        snprintf(target, sizeof target, "%s%zu.xml", f ? "footer" : "header", i + 1);
        rel(x, id, f ? "footer" : "header", target);
    }
    en(x);
    part_close(x);
}

static void override(dx *x, const char *part, const char *type)
{
    st(x, "Override");
    at(x, "PartName", part);
    sbuf_clear(&x->tmp);
    sbuf_printf(&x->tmp, "application/vnd.openxmlformats-%s+xml", type);
    at(x, "ContentType", x->tmp.data);
    en(x);
}

static void write_content_types(dx *x)
{
    part_open(x, "[Content_Types].xml");
    if (x->failed) return;
    st(x, "Types");
    at(x, "xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
    st(x, "Default");
    at(x, "Extension", "rels");
    at(x, "ContentType", "application/vnd.openxmlformats-package.relationships+xml");
    en(x);
    st(x, "Default");
    at(x, "Extension", "xml");
    at(x, "ContentType", "application/xml");
    en(x);
    override(x, "/word/document.xml", "officedocument.wordprocessingml.document.main");
    override(x, "/word/styles.xml", "officedocument.wordprocessingml.styles");
    override(x, "/word/settings.xml", "officedocument.wordprocessingml.settings");
    override(x, "/word/fontTable.xml", "officedocument.wordprocessingml.fontTable");
    for (size_t i = 0; i < x->nhfs; i++) {
        char part[48];
        bool f = x->hfs[i].footer;
        snprintf(part, sizeof part, "/word/%s%zu.xml", f ? "footer" : "header", i + 1);
        override(x, part, f ? "officedocument.wordprocessingml.footer" : "officedocument.wordprocessingml.header");
    }
    override(x, "/docProps/core.xml", "package.core-properties");
    en(x);
    part_close(x);
}

/* Title and dates: the epoch's, so the bytes do not change with the clock. */
static void write_core(dx *x, long long epoch)
{
    part_open(x, "docProps/core.xml");
    if (x->failed) return;
    st(x, "cp:coreProperties");
    at(x, "xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
    at(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
    at(x, "xmlns:dcterms", "http://purl.org/dc/terms/");
    at(x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    st(x, "dc:title");
    if (xmlTextWriterWriteString(x->w, BAD_CAST x->title) < 0) x->failed = true;
    en(x);
    time_t t = (time_t)(epoch >= 0 ? epoch : 315532800);
    struct tm tm;
    gmtime_r(&t, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    static const char *const dates[2] = {"dcterms:created", "dcterms:modified"};
    for (int k = 0; k < 2; k++) {
        st(x, dates[k]);
        at(x, "xsi:type", "dcterms:W3CDTF");
        if (xmlTextWriterWriteString(x->w, BAD_CAST when) < 0) x->failed = true;
        en(x);
    }
    en(x);
    part_close(x);
}

/* ---------------------------------------------------------------- files */

typedef struct file {
    dx x;
    char *tmp;
    long long epoch;
} file;

static bool file_open(file *f, const char *path, const font_set *fs, const docxw_opts *opts, bool multi,
                      sbuf *err)
{
    memset(f, 0, sizeof *f);
    f->epoch = opts ? opts->epoch : -1;
    f->x.fs = fs;
    f->x.multi = multi;
    f->x.hold = opts && opts->hold ? opts->hold : HOLD_DEFAULT;
    if (opts && opts->title) snprintf(f->x.title, sizeof f->x.title, "%s", opts->title);
    zip_time(&f->x.zi, f->epoch);
    /* outfile's temp name: the one pattern a later build sweeps */
    int fd = outfile_mktemp(path, &f->tmp);
    if (fd < 0) {
        sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, strerror(errno));
        return false;
    }
    close(fd);
    f->x.z = zipOpen64(f->tmp, APPEND_STATUS_CREATE);
    if (!f->x.z) {
        sbuf_printf(err, "DOCX 创建失败 (DOCX_FAILED): %s", path);
        unlink(f->tmp);
        free(f->tmp);
        return false;
    }
    body_begin(&f->x);
    return true;
}

/* Finish the parts after the body, close the zip and put it at path when
 * ok (not ok: a document failed and its source has said why). Frees f. */
static bool file_close(file *f, bool ok, const char *path, sbuf *err)
{
    dx *x = &f->x;
    if (ok) {
        body_end(x);
        for (size_t i = 0; i < x->nhfs; i++) write_hf_part(x, &x->hfs[i], (int)i + 1);
        write_styles(x);
        write_settings(x);
        write_fonts(x);
        write_rels(x);
        write_content_types(x);
        write_core(x, f->epoch);
    }
    if (x->w) {   /* a part left open by a failure */
        xmlFreeTextWriter(x->w);
        if (x->streaming) zipCloseFileInZip(x->z);
    }
    if (zipClose(x->z, NULL) != ZIP_OK) x->failed = true;
    if (ok && x->failed) {
        sbuf_printf(err, "DOCX 写入失败 (DOCX_FAILED): %s", path);
        ok = false;
    }
    if (ok && rename(f->tmp, path) != 0) {
        sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, strerror(errno));
        ok = false;
    }
    if (!ok) unlink(f->tmp);
    for (size_t i = 0; i < x->nhfs; i++)
        for (int k = 0; k < 3; k++) free(x->hfs[i].part[k]);
    free(x->hfs);
    free(x->occ);
    free(x->rowh);
    free(x->rowgrow);
    text_lines_free(&x->lines);
    free(x->ps);
    frags_free(x);
    sbuf_free(&x->tmp);
    sbuf_free(&x->xml);
    free(x->zout);
    if (x->dc) libdeflate_free_compressor(x->dc);
    free(f->tmp);
    return ok;
}

static void write_doc(dx *x, const lo_doc *d, bool last)
{
    doc_begin(x, d);
    for (size_t p = 0; p < d->npages; p++) doc_page(x, d, &d->pages[p]);
    doc_end(x, d, last);
}

bool docxw_write_docs(const lo_doc *const *docs, size_t ndocs, const font_set *fs, const docxw_opts *opts,
                      const char *path, sbuf *err)
{
    if (!ndocs) {
        sbuf_puts(err, "DOCX 写入失败 (DOCX_FAILED): 没有文档");
        return false;
    }
    file f;
    if (!file_open(&f, path, fs, opts, ndocs > 1, err)) return false;
    for (size_t i = 0; i < ndocs; i++) write_doc(&f.x, docs[i], i + 1 == ndocs);
    return file_close(&f, true, path, err);
}

bool docxw_write(const lo_doc *doc, const font_set *fs, const docxw_opts *opts, const char *path, sbuf *err)
{
    const lo_doc *docs[1] = {doc};
    return docxw_write_docs(docs, 1, fs, opts, path, err);
}

bool docxw_write_source(const docxw_source *src, const font_set *fs, const docxw_opts *opts, const char *path,
                        sbuf *err)
{
    if (!src->n) {
        sbuf_puts(err, "DOCX 写入失败 (DOCX_FAILED): 没有文档");
        return false;
    }
    file f;
    if (!file_open(&f, path, fs, opts, src->n > 1, err)) return false;
    bool ok = true;
    for (size_t i = 0; i < src->n && ok; i++) {
        const lo_doc *d = src->get(src->ctx, i);
        if (!(ok = d != NULL)) break;
        write_doc(&f.x, d, i + 1 == src->n);
        src->put(src->ctx, i, d);
    }
    return file_close(&f, ok, path, err);
}

static void pager_sink(void *ctx, const lo_doc *d, const lo_page *pg)
{
    dx *x = ctx;
    if (!x->begun) doc_begin(x, d);
    doc_page(x, d, pg);
}

bool docxw_write_pager(const lo_pager *pager, const font_set *fs, const docxw_opts *opts, const char *path,
                       sbuf *err)
{
    file f;
    if (!file_open(&f, path, fs, opts, false, err)) return false;
    lo_sink sink = {pager_sink, &f.x};
    lo_doc *shell = pager->run(pager->ctx, &sink, err);
    if (shell) {
        if (!f.x.begun) doc_begin(&f.x, shell);
        doc_end(&f.x, shell, true);
    }
    bool ok = file_close(&f, shell != NULL, path, err);
    lo_doc_free(shell);
    return ok;
}

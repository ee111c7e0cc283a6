/* pdfw — see pdfw.h.
 *
 * Drawing with libharu's public API: rules, text as runs of glyphs, header
 * and footer, charts (pdfchart), archive codes (qr), outlines; the two
 * passes over a document (collect the glyphs it draws, then draw), the
 * document's glyph table and its dense CIDs, the ToUnicode text of each
 * font. Where libharu 2.3.0's public API cannot do what a page needs, or
 * does it too slowly (fonts from memory, the dense-CID encoding, shared
 * /Resources, libdeflate, the save with /ID), hpdfx does it inside
 * libharu's structures; hpdf_patch replaces a few of its functions for the
 * whole process. */
#include "pdfw.h"
#include "msg.h"
#include "outfile.h"
#include "pdfa.h"
#include "pdfchart.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hpdfx.h"

#define MM2PT (72.0 / 25.4)

typedef struct pdf_err {
    HPDF_STATUS code;
    HPDF_STATUS detail;
} pdf_err;

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
    pdf_err *e = user;
    if (!e->code) {
        e->code = code;
        e->detail = detail;
    }
}

/* Text of a header/footer part with page numbers substituted. */
static void hf_text(sbuf *b, const char *s, size_t page, size_t pages)
{
    sbuf_clear(b);
    sbuf_puts(b, "");
    for (const char *p = s; *p; p++) {
        if (p[0] == '\x01' && p[1] == 'P') { sbuf_printf(b, "%zu", page); p++; }
        else if (p[0] == '\x01' && p[1] == 'N') { sbuf_printf(b, "%zu", pages); p++; }
        else sbuf_putc(b, *p);
    }
}

static const char *const TOUNICODE_HEAD =
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n"
    "<0000> <FFFF>\n"
    "endcodespacerange\n";

static const char *const TOUNICODE_TAIL =
    "endcmap\n"
    "CMapName currentdict /CMap defineresource pop\n"
    "end\n"
    "end\n";

/* ---------------------------------------------------------------- glyphs
 *
 * A document's text is drawn as the glyphs its clusters give
 * (font_cluster_next: a face of the role's chain for each character,
 * marks composed, invisible characters dropped). Pass 1 collects each
 * distinct glyph as drawn: face, glyph id, zero width or not, and the text
 * it stands for. Each distinct text and width is one CID, numbered 1..n in
 * the order of the texts (so the ToUnicode map keeps its runs of
 * consecutive characters) and shared by the faces that draw that text;
 * pass 2 finds each glyph's CID. A glyph standing for different texts (the
 * placeholder for two missing characters) has a CID per text, so the text
 * extracted is the input. */
typedef struct gkey {
    uint64_t hash;
    int face;
    uint32_t gid;            /* in the face */
    uint32_t newgid;         /* in its subset */
    uint32_t cp;             /* the code point whose glyph it is (font_glyph.cp) */
    bool zw;                 /* drawn with no advance (a mark over the glyph before) */
    uint32_t off, len;       /* its text, in the pool */
    uint32_t cid;            /* 1..n once numbered */
} gkey;

typedef struct glyphs {
    gkey *v;
    size_t n, cap;
    size_t ncid;             /* CIDs 1..ncid (glyphs_number) */
    uint32_t *slot;          /* open addressing: key index + 1, 0 empty */
    size_t nslot;            /* a power of two */
    sbuf pool;
    bool used[FONT_MAX_FACES];
    /* per face, made when first needed: BMP code point -> key index + 1 of
     * the glyph that stands for that one character (most text), found
     * without hashing */
    uint32_t *direct[FONT_MAX_FACES];
} glyphs;

/* Most CIDs a document can have: CID k is drawn as the code point
 * hpdfx_cid_code(k) of libharu's UTF-8 text, which skips the surrogates and
 * ends below U+FFFE (see "CIDs" below). */
#define GLYPHS_MAX HPDFX_MAX_CIDS

static void glyphs_free(glyphs *gs)
{
    free(gs->v);
    free(gs->slot);
    sbuf_free(&gs->pool);
    for (int f = 0; f < FONT_MAX_FACES; f++) free(gs->direct[f]);
}

static uint64_t gkey_hash(int face, uint32_t gid, bool zw, const char *t, size_t len)
{
    uint64_t h = 1469598103934665603ull ^ ((uint64_t)(unsigned)face << 40) ^ ((uint64_t)gid << 1) ^ zw;
    h *= 1099511628211ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)t[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void glyphs_rehash(glyphs *gs, size_t nslot)
{
    free(gs->slot);
    gs->slot = xcalloc(nslot, sizeof *gs->slot);
    gs->nslot = nslot;
    for (size_t k = 0; k < gs->n; k++) {
        size_t i = gs->v[k].hash & (nslot - 1);
        while (gs->slot[i]) i = (i + 1) & (nslot - 1);
        gs->slot[i] = (uint32_t)(k + 1);
    }
}

/* Index of the glyph, added when `add`; -1 when absent. */
static long glyphs_find(glyphs *gs, const font_glyph *g, const char *t, size_t len, bool add)
{
    bool zw = g->advance == 0;
    uint64_t h = gkey_hash(g->face, g->gid, zw, t, len);
    if (add && (gs->n + 1) * 2 > gs->nslot) glyphs_rehash(gs, gs->nslot ? 2 * gs->nslot : 1024);
    if (!gs->nslot) return -1;
    size_t mask = gs->nslot - 1, i = h & mask;
    for (; gs->slot[i]; i = (i + 1) & mask) {
        const gkey *k = &gs->v[gs->slot[i] - 1];
        if (k->hash == h && k->face == g->face && k->gid == g->gid && k->zw == zw && k->len == len &&
            !memcmp(gs->pool.data + k->off, t, len))
            return (long)gs->slot[i] - 1;
    }
    if (!add) return -1;
    if (gs->n == gs->cap) {
        gs->cap = gs->cap ? 2 * gs->cap : 256;
        gs->v = xrealloc(gs->v, gs->cap * sizeof *gs->v);
    }
    gs->v[gs->n] = (gkey){h, g->face, g->gid, 0, g->cp, zw, (uint32_t)gs->pool.len, (uint32_t)len, 0};
    sbuf_add(&gs->pool, t, len);
    gs->slot[i] = (uint32_t)++gs->n;
    gs->used[g->face] = true;
    return (long)gs->n - 1;
}

/* The key of cluster c (a glyph of it), found or (add) added; -1 when absent. */
static long glyphs_key(glyphs *gs, const font_cluster *c, size_t k, const char *s, bool add)
{
    const font_glyph *g = &c->g[k];
    uint32_t *d = NULL;
    if (c->simple) {
        if (!gs->direct[g->face]) {
            if (!add) return glyphs_find(gs, g, s + g->from, g->to - g->from, false);
            gs->direct[g->face] = xcalloc(65536, sizeof *gs->direct[g->face]);
        }
        d = &gs->direct[g->face][g->cp];
        if (*d) return (long)*d - 1;
    }
    long key = glyphs_find(gs, g, s + g->from, g->to - g->from, add);
    if (d && key >= 0) *d = (uint32_t)key + 1;
    return key;
}

/* Pass 1: the glyphs of s[0..len) drawn in role r. */
static void glyphs_collect(glyphs *gs, const font_set *fs, font_role r, const char *s, size_t len)
{
    font_cluster c;
    for (size_t pos = 0; pos < len; pos = c.end) {
        font_cluster_next(fs, r, s, len, pos, &c);
        for (size_t k = 0; k < c.n; k++) glyphs_key(gs, &c, k, s, true);
    }
}

/* Order of CIDs: by text (UTF-8 bytes compare as code points), then face,
 * width and glyph. */
typedef struct gorder {
    const char *text;
    const gkey *k;
    uint32_t idx;
} gorder;

static int gorder_cmp(const void *x, const void *y)
{
    const gorder *a = x, *b = y;
    const gkey *p = a->k, *q = b->k;
    size_t n = p->len < q->len ? p->len : q->len;
    int c = memcmp(a->text, b->text, n);
    if (c) return c;
    if (p->len != q->len) return p->len < q->len ? -1 : 1;
    if (p->zw != q->zw) return p->zw ? 1 : -1;
    if (p->face != q->face) return p->face < q->face ? -1 : 1;
    return (p->gid > q->gid) - (p->gid < q->gid);
}

/* One CID for keys of one text and width, unless they are two glyphs of
 * one face (a shaped letter's joining forms: the same text drawn two ways),
 * which a CIDToGIDMap cannot tell apart. */
static bool same_cid(const gorder *a, const gorder *b)
{
    return a->k->len == b->k->len && a->k->zw == b->k->zw && !memcmp(a->text, b->text, a->k->len) &&
           (a->k->face != b->k->face || a->k->gid == b->k->gid);
}

/* CIDs 1..ncid in gorder_cmp order, one per text and width: the same text
 * in several faces is one CID, which each face's CIDToGIDMap maps to its
 * own glyph (a face draws a text one way). false when there are more than
 * GLYPHS_MAX. */
static bool glyphs_number(glyphs *gs)
{
    gorder *ord = xmalloc((gs->n ? gs->n : 1) * sizeof *ord);
    for (size_t k = 0; k < gs->n; k++) ord[k] = (gorder){gs->pool.data + gs->v[k].off, &gs->v[k], (uint32_t)k};
    qsort(ord, gs->n, sizeof *ord, gorder_cmp);
    uint32_t cid = 0;
    for (size_t k = 0; k < gs->n; k++) {
        if (k == 0 || !same_cid(&ord[k - 1], &ord[k])) cid++;
        gs->v[ord[k].idx].cid = cid;
    }
    gs->ncid = cid;
    free(ord);
    return cid <= GLYPHS_MAX;
}

/* The keys of face f in CID order (caller frees); *n their number. */
static uint32_t *glyphs_of_face(const glyphs *gs, int f, size_t *n)
{
    uint32_t *byc = xcalloc(gs->ncid + 1, sizeof *byc);   /* CID -> key index + 1 */
    for (size_t k = 0; k < gs->n; k++)
        if (gs->v[k].face == f) byc[gs->v[k].cid] = (uint32_t)(k + 1);
    size_t m = 0;
    for (size_t c = 1; c <= gs->ncid; c++)
        if (byc[c]) byc[m++] = byc[c] - 1;
    *n = m;
    return byc;
}

/* The text of key k as UTF-16BE hex into b (when b is not NULL); its only
 * code point when it has one in the BMP (else 0, or 0xFFFFFFFF for
 * several). */
static uint32_t gkey_utf16(const glyphs *gs, const gkey *k, sbuf *b)
{
    static const char hx[] = "0123456789ABCDEF";
    const char *p = gs->pool.data + k->off, *e = p + k->len;
    uint32_t only = 0;
    size_t n = 0;
    while (p < e) {
        uint32_t cp = text_utf8_next(&p, e);
        only = n++ || cp > 0xFFFF ? 0xFFFFFFFFu : cp;
        if (!b) continue;
        uint32_t u[2] = {cp, 0};
        int nu = 1;
        if (cp > 0xFFFF) {   /* a surrogate pair */
            u[0] = 0xD800 + ((cp - 0x10000) >> 10);
            u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int i = 0; i < nu; i++) {
            char h[4] = {hx[u[i] >> 12 & 15], hx[u[i] >> 8 & 15], hx[u[i] >> 4 & 15], hx[u[i] & 15]};
            sbuf_add(b, h, 4);
        }
    }
    return only;
}

/* ToUnicode of a font: its CIDs (keys[0..n), CID order) to their text. A
 * run of consecutive CIDs standing for consecutive BMP characters, within
 * one high byte of both as bfrange requires, is one bfrange line; any other
 * CID one bfchar line (UTF-16 with surrogate pairs beyond U+FFFF, several
 * code units for a composed cluster). */
static bool fix_tounicode(HPDF_Font font, const glyphs *gs, const uint32_t *keys, size_t n)
{
    sbuf b = {0}, ranges = {0}, chars = {0}, u = {0};
    size_t nr = 0, nc = 0;
    sbuf_puts(&b, TOUNICODE_HEAD);
    sbuf_puts(&ranges, "");
    sbuf_puts(&chars, "");
    size_t i = 0;
    while (i < n) {
        const gkey *k = &gs->v[keys[i]];
        if (!k->len) {   /* a glyph whose cluster's text another glyph carries: no text */
            i++;
            continue;
        }
        sbuf_clear(&u);
        sbuf_puts(&u, "");
        uint32_t a = gkey_utf16(gs, k, &u);
        size_t j = i;
        if (a && a != 0xFFFFFFFFu) {
            while (j + 1 < n) {
                const gkey *q = &gs->v[keys[j + 1]];
                uint32_t c = gkey_utf16(gs, q, NULL);
                if (c != a + (j + 1 - i) || q->cid != k->cid + (j + 1 - i) || (c >> 8) != (a >> 8) ||
                    (q->cid >> 8) != (k->cid >> 8))
                    break;
                j++;
            }
        }
        if (j > i) {
            sbuf_printf(&ranges, "<%04X> <%04X> <%04X>\n", (unsigned)k->cid, (unsigned)gs->v[keys[j]].cid,
                        (unsigned)a);
            if (++nr % 100 == 0) {
                sbuf_printf(&b, "100 beginbfrange\n%sendbfrange\n", ranges.data);
                sbuf_clear(&ranges);
                sbuf_puts(&ranges, "");
            }
        } else {
            sbuf_printf(&chars, "<%04X> <%s>\n", (unsigned)k->cid, u.data);
            if (++nc % 100 == 0) {
                sbuf_printf(&b, "100 beginbfchar\n%sendbfchar\n", chars.data);
                sbuf_clear(&chars);
                sbuf_puts(&chars, "");
            }
        }
        i = j + 1;
    }
    if (nr % 100) sbuf_printf(&b, "%zu beginbfrange\n%sendbfrange\n", nr % 100, ranges.data);
    if (nc % 100) sbuf_printf(&b, "%zu beginbfchar\n%sendbfchar\n", nc % 100, chars.data);
    sbuf_puts(&b, TOUNICODE_TAIL);
    bool ok = hpdfx_set_tounicode(font, b.data, b.len);
    sbuf_free(&b);
    sbuf_free(&ranges);
    sbuf_free(&chars);
    sbuf_free(&u);
    return ok;
}

/* /DW and /W of a font over its CIDs (keys[0..n), CID order); a mark
 * drawn over the glyph before it is 0 wide. */
static bool compact_widths(HPDF_Doc pdf, HPDF_Font font, const glyphs *gs, const uint32_t *keys, size_t n)
{
    int *w = xmalloc((n ? n : 1) * sizeof *w);
    uint32_t *cids = xmalloc((n ? n : 1) * sizeof *cids);
    for (size_t i = 0; i < n; i++) {
        const gkey *k = &gs->v[keys[i]];
        w[i] = k->zw ? 0 : hpdfx_glyph_width(font, k->newgid);
        cids[i] = k->cid;
    }
    bool ok = hpdfx_set_widths(pdf, font, w, cids, n);
    free(w);
    free(cids);
    return ok;
}

static void set_date(HPDF_Doc pdf, HPDF_InfoType type, long long epoch)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    HPDF_Date d = {0};
    d.year = tm.tm_year + 1900;
    d.month = tm.tm_mon + 1;
    d.day = tm.tm_mday;
    d.hour = tm.tm_hour;
    d.minutes = tm.tm_min;
    d.seconds = tm.tm_sec;
    d.ind = 'Z';
    HPDF_SetInfoDateAttr(pdf, type, d);
}

static double border_pt(unsigned char b)
{
    switch (b) {
    case TPL_BORDER_THIN: return 0.5;
    case TPL_BORDER_MEDIUM: return 1.0;
    case TPL_BORDER_THICK: return 1.5;
    default: return 0;
    }
}

/* ---------------------------------------------------------------- drawing */

/* A straight rule of one weight: at c (y of a horizontal rule, x of a
 * vertical one) from a to b along it, in points. */
typedef struct rule {
    double c, a, b;
} rule;

typedef struct rules {
    rule *v;
    size_t n, cap;
} rules;

/* What drawing needs besides the page: the document's fonts (by face id)
 * and scratch reused from page to page. */
typedef struct drawer {
    HPDF_Doc pdf;
    const font_set *fs;
    HPDF_Font fonts[FONT_MAX_FACES];   /* by face id */
    HPDF_Encoder utf8;
    const glyphs *gs;                  /* the document's glyphs and their CIDs (pass 2) */
    int face;                          /* font and size of the open text object (-1: none yet) */
    double size;
    sbuf tmp, line;
    sbuf hex;                          /* the run's CIDs as a hex string (flush_run) */
    rules h, v;
    hpdfx_deflater z;
    hpdfx_resources res;               /* every page's /Resources (hpdfx_shared_resources) */
    const qr_mark *mark;               /* archive codes (qr.h) or NULL */
    size_t doc;                        /* the document being drawn */
    uint64_t *checks;                  /* mark: each document's check value (pass 1) */
    size_t nchecks;
} drawer;

static void drawer_free(drawer *dw)
{
    sbuf_free(&dw->tmp);
    sbuf_free(&dw->line);
    sbuf_free(&dw->hex);
    free(dw->h.v);
    free(dw->v.v);
    hpdfx_deflater_free(&dw->z);
    free(dw->checks);
}

/* Coordinates to 1/10,000 pt: the edge two neighbouring cells share comes
 * out of different sums (y + h of one, y of the next) that may differ in the
 * last bits, and must compare equal. */
static double snap(double x) { return round(x * 1e4) / 1e4; }

static void rules_add(rules *r, double c, double a, double b)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
    }
    r->v[r->n++] = (rule){snap(c), snap(a), snap(b)};
}

static int rule_cmp(const void *x, const void *y)
{
    const rule *p = x, *q = y;
    if (p->c != q->c) return p->c < q->c ? -1 : 1;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Sort and join rules on one line that overlap or touch: each shared cell
 * edge is drawn once, a grid line across a row as one stroke. With square
 * caps a joined rule looks exactly like its pieces. */
static void rules_merge(rules *r)
{
    if (r->n < 2) return;
    qsort(r->v, r->n, sizeof *r->v, rule_cmp);
    size_t k = 0;
    for (size_t i = 1; i < r->n; i++) {
        if (r->v[i].c == r->v[k].c && r->v[i].a <= r->v[k].b) {
            if (r->v[i].b > r->v[k].b) r->v[k].b = r->v[i].b;
        } else {
            r->v[++k] = r->v[i];
        }
    }
    r->n = k + 1;
}

/* The page's cell borders of weight wgt into dw->h and dw->v (top-down y). */
static void rules_of_weight(drawer *dw, const lo_page *pg, double H, int wgt)
{
    dw->h.n = dw->v.n = 0;
    for (size_t i = 0; i < pg->ncells; i++) {
        const lo_cell *c = &pg->cells[i];
        double x1 = c->x * MM2PT, x2 = (c->x + c->w) * MM2PT;
        double y1 = H - c->y * MM2PT, y2 = H - (c->y + c->h) * MM2PT;
        if (c->border[TPL_SIDE_TOP] == wgt) rules_add(&dw->h, y1, x1, x2);
        if (c->border[TPL_SIDE_BOTTOM] == wgt) rules_add(&dw->h, y2, x1, x2);
        if (c->border[TPL_SIDE_LEFT] == wgt) rules_add(&dw->v, x1, y2, y1);
        if (c->border[TPL_SIDE_RIGHT] == wgt) rules_add(&dw->v, x2, y2, y1);
    }
    rules_merge(&dw->h);
    rules_merge(&dw->v);
}

/* Cell borders, one path per weight, thin to thick. */
static void draw_rules(drawer *dw, HPDF_Page page, const lo_page *pg, double H)
{
    for (int wgt = TPL_BORDER_THIN; wgt <= TPL_BORDER_THICK; wgt++) {
        rules_of_weight(dw, pg, H, wgt);
        if (!dw->h.n && !dw->v.n) continue;
        HPDF_Page_SetLineWidth(page, border_pt((unsigned char)wgt));
        HPDF_Page_SetLineCap(page, HPDF_PROJECTING_SCUARE_END);
        for (size_t i = 0; i < dw->h.n; i++) {
            const rule *r = &dw->h.v[i];
            HPDF_Page_MoveTo(page, r->a, r->c);
            HPDF_Page_LineTo(page, r->b, r->c);
        }
        for (size_t i = 0; i < dw->v.n; i++) {
            const rule *r = &dw->v.v[i];
            HPDF_Page_MoveTo(page, r->c, r->b);
            HPDF_Page_LineTo(page, r->c, r->a);
        }
        HPDF_Page_Stroke(page);
    }
}

/* The font of the text object, set only when it changes. */
static void use_font(drawer *dw, HPDF_Page page, int f, double size)
{
    if (f == dw->face && size == dw->size) return;
    HPDF_Page_SetFontAndSize(page, dw->fonts[f], size);
    dw->face = f;
    dw->size = size;
}

/* The text run of one face gathered in dw->line, drawn at x, y; w is its
 * width. */
static void flush_run(drawer *dw, HPDF_Page page, int f, double size, double x, double y, double w)
{
    if (!dw->line.len) return;
    use_font(dw, page, f, size);
    /* libharu shows nothing of a text with no width (a run of marks alone
     * in their face): it still moves to x, y, and the run is written here */
    bool no_width = w == 0 && HPDF_Page_TextWidth(page, dw->line.data) == 0;
    HPDF_Page_TextOut(page, x, y, dw->line.data);
    if (no_width) hpdfx_page_show_hex(page, dw->hex.data);
    sbuf_clear(&dw->line);
    sbuf_clear(&dw->hex);
}

/* CID cid appended to the run being gathered (as libharu's UTF-8 and as hex). */
static void add_cid(drawer *dw, unsigned cid)
{
    char u[4];
    sbuf_add(&dw->line, u, text_utf8_encode(hpdfx_cid_code(cid), u));
    static const char hx[] = "0123456789ABCDEF";
    char h4[4] = {hx[cid >> 12 & 15], hx[cid >> 8 & 15], hx[cid >> 4 & 15], hx[cid & 15]};
    sbuf_add(&dw->hex, h4, 4);
}

/* s[0..len) in role r with its left end at x, baseline y (points): its
 * glyphs (pass 1 collected them) as runs of one face each, every glyph
 * written as the code point that stands for its CID (see "CIDs"). */
static void draw_text(drawer *dw, HPDF_Page page, font_role r, double size, double x, double y,
                      const char *s, size_t len)
{
    font_cluster c;
    int run = -1;
    double rx = x;
    sbuf_clear(&dw->line);
    sbuf_clear(&dw->hex);
    for (size_t pos = 0; pos < len; pos = c.end) {
        font_cluster_next(dw->fs, r, s, len, pos, &c);
        for (size_t k = 0; k < c.n; k++) {
            const font_glyph *g = &c.g[k];
            long key = glyphs_key((glyphs *)dw->gs, &c, k, s, false);
            if (key >= 0 && c.placed) {
                /* a shaped glyph where HarfBuzz put it: a text run of its own */
                flush_run(dw, page, run, size, rx, y, x - rx);
                run = -1;
                add_cid(dw, dw->gs->v[key].cid);
                flush_run(dw, page, g->face, size, x + g->dx * size, y + g->dy * size, g->advance * size);
            } else if (key >= 0) {
                if (g->face != run) {
                    flush_run(dw, page, run, size, rx, y, x - rx);
                    run = g->face;
                    rx = x;
                }
                add_cid(dw, dw->gs->v[key].cid);
            }
            x += g->advance * size;
        }
    }
    flush_run(dw, page, run, size, rx, y, x - rx);
}

static void draw_cell_text(drawer *dw, HPDF_Page page, const lo_cell *c, double H)
{
    double asc = font_ascender(dw->fs, c->font), desc = font_descender(dw->fs, c->font);
    double base = asc / (asc - desc);   /* baseline within the em box */
    double pitch = c->size * c->leading;
    double inner = (c->w - 2 * c->pad) * MM2PT;
    for (size_t k = 0; k < c->nlines; k++) {
        const text_line *l = &c->lines[k];
        if (l->end <= l->start) continue;
        double lx;
        switch (c->halign) {
        case TPL_CENTER: lx = c->x * MM2PT + c->pad * MM2PT + (inner - l->width) / 2; break;
        case TPL_RIGHT: lx = (c->x + c->w - c->pad) * MM2PT - l->width; break;
        default: lx = (c->x + c->pad) * MM2PT; break;
        }
        double top = (c->y + c->text_top) * MM2PT + k * pitch;
        double ly = H - top - c->size * base;
        draw_text(dw, page, c->font, c->size, lx, ly, c->text + l->start, l->end - l->start);
    }
}

/* Header (h 0) or footer (h 1) parts, page numbers substituted. */
static void draw_hf(drawer *dw, HPDF_Page page, const lo_doc *d, const lo_page *pg, int h, size_t pno,
                    size_t pages)
{
    double ml, mr;   /* a mirrored page's margins are swapped */
    layout_page_margins(d, pg, &ml, &mr);
    const lo_hf *hf = h == 0 ? &d->header : &d->footer;
    double H = d->page_h * MM2PT;
    for (int p = 0; p < 3; p++) {
        if (!hf->part[p] || !hf->part[p][0]) continue;
        hf_text(&dw->tmp, hf->part[p], pno, pages);
        text_metrics m = font_metrics(dw->fs, hf->font);
        double w = text_width(&m, dw->tmp.data, dw->tmp.len, hf->size);
        double left = ml * MM2PT;
        double right = (d->page_w - mr) * MM2PT;
        double x = p == 0 ? left : p == 1 ? (left + right - w) / 2 : right - w;
        double asc = font_ascender(dw->fs, hf->font), desc = font_descender(dw->fs, hf->font);
        double y;
        if (h == 0) y = H - d->header_margin * MM2PT - hf->size * asc / (asc - desc);
        else y = d->footer_margin * MM2PT + hf->size * (-desc) / (asc - desc);
        draw_text(dw, page, hf->font, hf->size, x, y, dw->tmp.data, dw->tmp.len);
    }
}

static void draw_page(drawer *dw, HPDF_Page page, const lo_doc *d, const lo_page *pg, size_t pno,
                      size_t pages)
{
    double H = d->page_h * MM2PT;
    draw_rules(dw, page, pg, H);
    HPDF_Page_BeginText(page);
    dw->face = -1;
    dw->size = -1;
    for (size_t i = 0; i < pg->ncells; i++) {
        const lo_cell *c = &pg->cells[i];
        if (c->nlines == 0) continue;
        draw_cell_text(dw, page, c, H);
    }
    draw_hf(dw, page, d, pg, 0, pno, pages);
    draw_hf(dw, page, d, pg, 1, pno, pages);
    HPDF_Page_EndText(page);
}

/* An outline entry titled s (UTF-8). libharu's UTF-8 strings drop the
 * characters beyond U+FFFF (a person's 𠮷 would vanish from the outline):
 * the title is written here as UTF-16BE with its byte order mark,
 * surrogate pairs included. */
static HPDF_Outline outline_new(drawer *dw, const char *s)
{
    HPDF_Outline o = HPDF_CreateOutline(dw->pdf, NULL, "", NULL);
    if (!o) return NULL;
    sbuf b = {0};
    sbuf_add(&b, "\xFE\xFF", 2);
    const char *p = s, *e = s + strlen(s);
    while (p < e) {
        uint32_t cp = text_utf8_next(&p, e);
        uint32_t u[2] = {cp, 0};
        int n = 1;
        if (cp > 0xFFFF) {
            u[0] = 0xD800 + ((cp - 0x10000) >> 10);
            u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            n = 2;
        }
        for (int i = 0; i < n; i++) {
            char c2[2] = {(char)(u[i] >> 8), (char)u[i]};
            sbuf_add(&b, c2, 2);
        }
    }
    hpdfx_outline_title(dw->pdf, o, b.data, b.len);
    sbuf_free(&b);
    return o;
}

/* The chart's text (pdfchart), each in a text object of its own. */
static void chart_draw(void *ctx, HPDF_Page page, font_role r, double size, double x, double y, const char *s)
{
    drawer *dw = ctx;
    dw->face = -1;
    draw_text(dw, page, r, size, x, y, s, strlen(s));
}

/* ---------------------------------------------------------------- archive codes (qr.h) */

static void mark_ident(const drawer *dw, size_t doc, size_t pno, size_t pages, sbuf *out)
{
    qr_ident id = {0};
    dw->mark->ident(dw->mark->ctx, doc, &id);
    id.page = (int)pno;
    id.pages = (int)pages;
    qr_check_hex(doc < dw->nchecks ? dw->checks[doc] : 0, id.check);
    qr_format(&id, out);
}

static void draw_mark(drawer *dw, HPDF_Page page, const lo_doc *d, const lo_page *pg, size_t pno, size_t pages)
{
    sbuf_clear(&dw->tmp);
    mark_ident(dw, dw->doc, pno, pages, &dw->tmp);
    double ml, mr;   /* a mirrored page's margins are swapped */
    layout_page_margins(d, pg, &ml, &mr);
    qr_page qp = {d->page_w, d->page_h, d->margin[TPL_SIDE_BOTTOM], mr};
    text_metrics m = font_metrics(dw->fs, FONT_SONG);
    qr_text_at at;
    if (!qr_draw(page, &qp, dw->tmp.data, &m, &at)) return;
    HPDF_Page_BeginText(page);
    dw->face = -1;
    draw_text(dw, page, FONT_SONG, at.size, at.x, at.y, dw->tmp.data, dw->tmp.len);
    HPDF_Page_EndText(page);
}

/* Page pg of d as page pno of a document of `pages` (its first, with an
 * outline entry when outline is not NULL). Its contents are deflated at
 * once: a document of many pages then holds each page's few compressed KB,
 * not its drawing. false when libharu failed (pe says how). */
static bool draw_one(drawer *dw, const lo_doc *d, const lo_page *pg, size_t pno, size_t pages,
                     const char *outline, const pdf_err *pe)
{
    HPDF_Page page = HPDF_AddPage(dw->pdf);
    if (!page) return false;
    HPDF_Page_SetWidth(page, d->page_w * MM2PT);
    HPDF_Page_SetHeight(page, d->page_h * MM2PT);
    if (!hpdfx_page_use(page, &dw->res)) return false;
    draw_page(dw, page, d, pg, pno, pages);
    if (pg->chart) {
        pdfchart_text tx = {NULL, chart_draw, dw};
        pdfchart_draw(page, d, pg, &tx, dw->fs);
    }
    if (dw->mark) draw_mark(dw, page, d, pg, pno, pages);
    if (outline) {
        HPDF_Outline o = outline_new(dw, outline);
        HPDF_Destination dst = HPDF_Page_CreateDestination(page);
        if (o && dst) HPDF_Outline_SetDestination(o, dst);   /* /Fit */
    }
    if (pe->code) return false;
    return hpdfx_deflate_page(&dw->z, page);
}

/* Every page of one document. */
static bool draw_doc(drawer *dw, const lo_doc *d, const char *outline, const pdf_err *pe)
{
    for (size_t p = 0; p < d->npages; p++)
        if (!draw_one(dw, d, &d->pages[p], p + 1, d->npages, p == 0 ? outline : NULL, pe)) return false;
    return true;
}

/* ---------------------------------------------------------------- building */

static void libharu_failed(sbuf *err, const pdf_err *pe)
{
    sbuf_printf(err, "PDF 生成失败 (PDF_FAILED): libharu 0x%04X/%u", (unsigned)pe->code,
                (unsigned)pe->detail);
}

/* Pass 1: the glyphs of every face the document draws, its title and its
 * number of pages. */
typedef struct chars {
    glyphs gs;
    char *title;             /* of the first document */
    size_t docs, pages;
    const font_set *fs;
} chars;

static void chars_free(chars *ch)
{
    glyphs_free(&ch->gs);
    free(ch->title);
}

static void collect_page(const lo_page *pg, const font_set *fs, chars *ch)
{
    for (size_t i = 0; i < pg->ncells; i++) {
        const lo_cell *c = &pg->cells[i];
        for (size_t k = 0; k < c->nlines; k++)   /* as draw_cell_text draws them */
            glyphs_collect(&ch->gs, fs, c->font, c->text + c->lines[k].start,
                           c->lines[k].end > c->lines[k].start ? c->lines[k].end - c->lines[k].start : 0);
    }
    ch->pages++;
}

static void chart_collect(void *ctx, font_role r, const char *s)
{
    chars *ch = ctx;
    glyphs_collect(&ch->gs, ch->fs, r, s, strlen(s));
}

/* What every page of d shares: its chart's labels, header and footer. */
static void collect_shared(const lo_doc *d, const font_set *fs, chars *ch, sbuf *tmp)
{
    if (ch->docs++ == 0 && d->title) ch->title = xstrdup(d->title);
    ch->fs = fs;
    pdfchart_text tx = {chart_collect, NULL, ch};
    pdfchart_collect(d->chart, &tx);
    const lo_hf *hfs[2] = {&d->header, &d->footer};
    for (int h = 0; h < 2; h++) {
        bool any = false;
        for (int p = 0; p < 3; p++) {
            if (!hfs[h]->part[p] || !hfs[h]->part[p][0]) continue;
            any = true;
            hf_text(tmp, hfs[h]->part[p], 0, 0);
            glyphs_collect(&ch->gs, fs, hfs[h]->font, tmp->data, tmp->len);
        }
        if (any) glyphs_collect(&ch->gs, fs, hfs[h]->font, "0123456789", 10);
    }
}

/* Pass 1 of document doc: its check value, and the characters of its code's text. */
static void mark_collect(drawer *dw, chars *ch, size_t doc, uint64_t check)
{
    dw->checks = xrealloc(dw->checks, (doc + 1) * sizeof *dw->checks);
    dw->checks[doc] = check;
    dw->nchecks = doc + 1;
    sbuf_clear(&dw->tmp);
    mark_ident(dw, doc, 1, 1, &dw->tmp);
    sbuf_puts(&dw->tmp, "0123456789ABCDEF/");
    glyphs_collect(&ch->gs, dw->fs, FONT_SONG, dw->tmp.data, dw->tmp.len);
}

/* Subset tag of face f cut to its glyphs keys[0..n): deterministic, and
 * distinct for distinct subsets, which are fixed by the face, the glyphs
 * and the CIDs they stand for. Hashing those few bytes, not the subset's
 * ~50 KB, saved 2% of a build's instructions. */
static void subset_tag(int f, const glyphs *gs, const uint32_t *keys, size_t n, char tag[7])
{
    HPDF_MD5_CTX ctx;
    HPDF_BYTE dig[16], b[6] = { (HPDF_BYTE)f, 0, 0, 0, 0, 0 };
    HPDF_MD5Init(&ctx);
    HPDF_MD5Update(&ctx, b, 1);
    for (size_t i = 0; i < n; i++) {      /* whatever the byte order */
        const gkey *k = &gs->v[keys[i]];
        b[0] = (HPDF_BYTE)(k->gid >> 16), b[1] = (HPDF_BYTE)(k->gid >> 8), b[2] = (HPDF_BYTE)k->gid;
        b[3] = (HPDF_BYTE)(k->cid >> 16), b[4] = (HPDF_BYTE)(k->cid >> 8), b[5] = (HPDF_BYTE)k->cid;
        HPDF_MD5Update(&ctx, b, 6);
    }
    HPDF_MD5Final(dig, &ctx);
    for (int k = 0; k < 6; k++) tag[k] = (char)('A' + dig[k] % 26);
    tag[6] = 0;
}

static void font_failed(const drawer *dw, int f, const pdf_err *pe, sbuf *err)
{
    sbuf_printf(err, "PDF 字体嵌入失败 (PDF_FONT_FAILED): %s (libharu 0x%04X)", font_face_path(dw->fs, f),
                (unsigned)pe->code);
}


/* Face f subset to its glyphs keys[0..n) (CID order) and loaded into the
 * document (the CID maps, /W and ToUnicode are finished by embed_fonts). */
static HPDF_Font embed_face(drawer *dw, glyphs *gs, int f, const uint32_t *keys, size_t n,
                            const pdf_err *pe, sbuf *err)
{
    uint32_t *gids = xmalloc((n + 1) * sizeof *gids), *newg = xmalloc((n + 1) * sizeof *newg);
    uint32_t *cids = xmalloc((n + 1) * sizeof *cids);
    text_cpset cps = {0};
    for (size_t i = 0; i < n; i++) {
        const gkey *k = &gs->v[keys[i]];
        gids[i] = k->gid;
        cids[i] = k->cid;
        if (k->cp) text_cpset_add(&cps, k->cp);
    }
    size_t ncp;
    uint32_t *cpl = text_cpset_list(&cps, &ncp);
    text_cpset_free(&cps);
    unsigned char *sub = NULL;
    size_t sublen = 0;
    HPDF_Font font = NULL;
    if (font_subset_glyphs(dw->fs, f, gids, n, cpl, ncp, &sub, &sublen, newg, err)) {
        for (size_t i = 0; i < n; i++) gs->v[keys[i]].newgid = newg[i];
        char tag[7];
        subset_tag(f, gs, keys, n, tag);
        const char *name = hpdfx_load_font(dw->pdf, sub, sublen, tag, cids, newg, n);
        if (name) font = HPDF_GetFont(dw->pdf, name, "UTF-8");
        if (font && !hpdfx_embed_subset(dw->pdf, font, sub, sublen)) font = NULL;
        if (!font) font_failed(dw, f, pe, err);
    }
    free(sub);
    free(cpl);
    free(gids);
    free(newg);
    free(cids);
    return font;
}

static void set_info(HPDF_Doc pdf, const pdfw_opts *opts, const char *doc_title)
{
    const char *title = opts->title ? opts->title : doc_title;
    if (title && title[0]) HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, title);
    if (opts->author) HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, opts->author);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "kaohe (libharu)");
    if (opts->epoch >= 0) {
        set_date(pdf, HPDF_INFO_CREATION_DATE, opts->epoch);
        set_date(pdf, HPDF_INFO_MOD_DATE, opts->epoch);
    }
}

/* build --pdfa: the output intent and the XMP repeating the info above
 * (fonts are embedded anyway, nothing is transparent, /ID is ours). */
static bool set_pdfa(HPDF_Doc pdf, const pdfw_opts *opts, const char *doc_title, sbuf *err)
{
    pdfa_meta m = {opts->title ? opts->title : doc_title, opts->author, "kaohe (libharu)", opts->epoch};
    return pdfa_mark(pdf, &m, err);
}

/* The fonts subset to the glyphs of pass 1, and the document's info. */
static bool embed_fonts(drawer *dw, chars *ch, const pdfw_opts *opts, const pdf_err *pe, sbuf *err)
{
    glyphs *gs = &ch->gs;
    if (!glyphs_number(gs)) {
        sbuf_printf(err, "PDF 生成失败 (PDF_TOO_MANY_GLYPHS): 一个文件中不同字形超过 %u 个", GLYPHS_MAX);
        return false;
    }
    bool ok = true;
    int nf = font_face_count(dw->fs);
    uint32_t *keys[FONT_MAX_FACES] = {0};
    size_t nkeys[FONT_MAX_FACES] = {0};
    hpdfx_cids c = {0};
    for (int f = 0; f < nf; f++)
        if (gs->used[f]) keys[f] = glyphs_of_face(gs, f, &nkeys[f]);
    hpdfx_cids_arm(dw->utf8, &c, (uint32_t)gs->ncid);
    for (int f = 0; ok && f < nf; f++)
        if (gs->used[f]) ok = (dw->fonts[f] = embed_face(dw, gs, f, keys[f], nkeys[f], pe, err)) != NULL;
    hpdfx_cids_disarm(dw->utf8, &c, (uint32_t)gs->ncid);
    for (int f = 0; ok && f < nf; f++) {
        if (!gs->used[f]) continue;
        ok = fix_tounicode(dw->fonts[f], gs, keys[f], nkeys[f]) &&
             compact_widths(dw->pdf, dw->fonts[f], gs, keys[f], nkeys[f]);
        if (!ok) font_failed(dw, f, pe, err);
    }
    if (ok) set_info(dw->pdf, opts, ch->title);
    if (ok && opts->pdfa) ok = set_pdfa(dw->pdf, opts, ch->title, err);
    /* PDF arrays hold at most 8,191 entries: a document with more pages
     * (a 20,000-person unit's registration) needs a tree of page nodes */
    if (ok && ch->pages > 8000) HPDF_SetPagesConfiguration(dw->pdf, 1000);
    for (int f = 0; f < nf; f++) free(keys[f]);
    dw->gs = gs;
    return ok;
}


/* How a document's two passes get their pages: from a pdfw_source, one
 * document at a time, or from an lo_pager, one page at a time. */
typedef struct passes {
    bool (*collect)(void *ctx, drawer *dw, chars *ch, sbuf *err);
    bool (*draw)(void *ctx, drawer *dw, const chars *ch, const pdf_err *pe, sbuf *err);
    void *ctx;
} passes;

static bool source_collect(void *ctx, drawer *dw, chars *ch, sbuf *err)
{
    const pdfw_source *src = ctx;
    (void)err;
    for (size_t i = 0; i < src->n; i++) {
        const lo_doc *d = src->get(src->ctx, i);
        if (!d) return false;
        uint64_t check = QR_CHECK_INIT;
        for (size_t p = 0; p < d->npages; p++) {
            collect_page(&d->pages[p], dw->fs, ch);
            if (dw->mark) qr_check_page(&check, &d->pages[p]);
        }
        collect_shared(d, dw->fs, ch, &dw->tmp);
        if (dw->mark) mark_collect(dw, ch, i, check);
        src->put(src->ctx, i, d);
    }
    return true;
}

static bool source_draw(void *ctx, drawer *dw, const chars *ch, const pdf_err *pe, sbuf *err)
{
    const pdfw_source *src = ctx;
    (void)ch;
    for (size_t i = 0; i < src->n; i++) {
        const lo_doc *d = src->get(src->ctx, i);
        if (!d) return false;
        const char *outline = src->outline ? src->outline(src->ctx, i) : NULL;
        dw->doc = i;
        bool ok = draw_doc(dw, d, outline, pe);
        src->put(src->ctx, i, d);
        if (!ok) {
            libharu_failed(err, pe);
            return false;
        }
    }
    return true;
}

/* The passes of an lo_pager: each lays the document out once more, and its
 * pages are collected or drawn as they come, then gone. */
typedef struct pager_pass {
    const lo_pager *pager;
    drawer *dw;
    chars *collecting;       /* pass 1 */
    const pdf_err *pe;       /* pass 2 */
    size_t pno, pages;
    uint64_t check;          /* pass 1, with a mark */
    bool ok;
} pager_pass;

static void pager_collect_page(void *ctx, const lo_doc *d, const lo_page *pg)
{
    pager_pass *pp = ctx;
    (void)d;
    collect_page(pg, pp->dw->fs, pp->collecting);
    if (pp->dw->mark) qr_check_page(&pp->check, pg);
}

static bool pager_collect(void *ctx, drawer *dw, chars *ch, sbuf *err)
{
    pager_pass pp = {.pager = ctx, .dw = dw, .collecting = ch, .check = QR_CHECK_INIT};
    lo_sink sink = {pager_collect_page, &pp};
    lo_doc *d = pp.pager->run(pp.pager->ctx, &sink, err);
    if (!d) return false;
    collect_shared(d, dw->fs, ch, &dw->tmp);
    if (dw->mark) mark_collect(dw, ch, 0, pp.check);
    lo_doc_free(d);
    return true;
}

static void pager_draw_page(void *ctx, const lo_doc *d, const lo_page *pg)
{
    pager_pass *pp = ctx;
    if (!pp->ok || pp->pno == pp->pages) {   /* after a failure, or a page pass 1 did not have */
        pp->ok = false;
        return;
    }
    pp->pno++;
    pp->ok = draw_one(pp->dw, d, pg, pp->pno, pp->pages, NULL, pp->pe);
}

static bool pager_draw(void *ctx, drawer *dw, const chars *ch, const pdf_err *pe, sbuf *err)
{
    pager_pass pp = {.pager = ctx, .dw = dw, .pe = pe, .pages = ch->pages, .ok = true};
    lo_sink sink = {pager_draw_page, &pp};
    lo_doc *d = pp.pager->run(pp.pager->ctx, &sink, err);
    if (!d) return false;
    lo_doc_free(d);
    if (pp.ok && pp.pno == pp.pages) return true;
    if (pe->code) libharu_failed(err, pe);
    else sbuf_printf(err, "PDF 生成失败 (PDF_FAILED): 第二遍排版得到的页数与第一遍不同");
    return false;
}


/* The document of the passes, drawn and ready to save; NULL + err (unless
 * the source failed, which speaks for itself). */
static HPDF_Doc build_doc(const passes *ps, const font_set *fs, const pdfw_opts *opts,
                          pdf_err *pe, sbuf *err)
{
    HPDF_Doc pdf = HPDF_New(on_error, pe);
    if (!pdf) {
        sbuf_puts(err, "PDF 文档创建失败 (PDF_FAILED)");
        return NULL;
    }
    HPDF_SetCompressionMode(pdf, opts->no_compress ? HPDF_COMP_NONE : HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    drawer dw = {.pdf = pdf, .fs = fs, .utf8 = HPDF_GetEncoder(pdf, "UTF-8"), .mark = opts->mark};
    chars ch = {.fs = fs};
    bool ok = ps->collect(ps->ctx, &dw, &ch, err) && embed_fonts(&dw, &ch, opts, pe, err);
    if (ok && !hpdfx_shared_resources(pdf, dw.fonts, FONT_MAX_FACES, &dw.res)) {
        libharu_failed(err, pe);
        ok = false;
    }
    ok = ok && ps->draw(ps->ctx, &dw, &ch, pe, err);
    ok = ok && (!opts->more || opts->more(opts->more_ctx, pdf, err));
    chars_free(&ch);
    if (ok && !opts->no_compress && !hpdfx_deflate_rest(pdf, &dw.z)) {
        libharu_failed(err, pe);
        ok = false;
    }
    drawer_free(&dw);
    if (!ok) {
        HPDF_Free(pdf);
        return NULL;
    }
    return pdf;
}


/* The document with its /ID to path (temp file, rename: outfile.h). */
static bool save_file(HPDF_Doc pdf, const char *path, const pdf_err *pe, sbuf *err)
{
    outfile o;
    if (!outfile_open(&o, path)) {
        sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, msg_syserr(LANG_ZH, errno));
        return false;
    }
    bool write_failed = false;
    bool ok = hpdfx_save(pdf, o.fp, &write_failed);
    if (ok && !(ok = outfile_commit(&o))) write_failed = true;
    if (!ok) {
        int e = errno;
        outfile_abort(&o);     /* no-op after a failed commit */
        errno = e;
        if (write_failed) sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, msg_syserr(LANG_ZH, errno));
        else libharu_failed(err, pe);
    }
    return ok;
}

/* Documents held by the caller, as a source. */
typedef struct held {
    const lo_doc *const *docs;
    const char *const *outline;
} held;

static const lo_doc *held_get(void *ctx, size_t i) { return ((const held *)ctx)->docs[i]; }
static void held_put(void *ctx, size_t i, const lo_doc *d) { (void)ctx; (void)i; (void)d; }
static const char *held_outline(void *ctx, size_t i)
{
    const held *h = ctx;
    return h->outline ? h->outline[i] : NULL;
}

static const pdfw_opts DEFAULT_OPTS = {NULL, NULL, -1, false, NULL, false};

static bool write_passes(const passes *ps, const font_set *fs, const pdfw_opts *opts, const char *path,
                         sbuf *err)
{
    pdf_err pe = {0, 0};
    HPDF_Doc pdf = build_doc(ps, fs, opts ? opts : &DEFAULT_OPTS, &pe, err);
    if (!pdf) return false;
    bool ok = save_file(pdf, path, &pe, err);
    HPDF_Free(pdf);
    return ok;
}

bool pdfw_write_source(const pdfw_source *src, const font_set *fs, const pdfw_opts *opts,
                       const char *path, sbuf *err)
{
    passes ps = {source_collect, source_draw, (void *)src};
    return write_passes(&ps, fs, opts, path, err);
}

bool pdfw_write_pager(const lo_pager *pager, const font_set *fs, const pdfw_opts *opts,
                      const char *path, sbuf *err)
{
    passes ps = {pager_collect, pager_draw, (void *)pager};
    return write_passes(&ps, fs, opts, path, err);
}

bool pdfw_write_docs(const lo_doc *const *docs, size_t ndocs, const char *const *outline,
                     const font_set *fs, const pdfw_opts *opts, const char *path, sbuf *err)
{
    held h = {docs, outline};
    pdfw_source src = {ndocs, held_get, held_put, held_outline, &h};
    return pdfw_write_source(&src, fs, opts, path, err);
}

bool pdfw_write(const lo_doc *doc, const font_set *fs, const pdfw_opts *opts,
                const char *path, sbuf *err)
{
    const lo_doc *docs[1] = {doc};
    return pdfw_write_docs(docs, 1, NULL, fs, opts, path, err);
}

/* pdfw — see pdfw.h.
 *
 * libharu 2.3.0 internals used here (headers shipped by libhpdf-dev):
 *  - fonts are loaded from memory (HPDF_MemStream + HPDF_TTFontDef_Load and
 *    the document's font list) instead of a temp file;
 *  - the font's ToUnicode stream (HPDF_FontAttr.cmap_stream) is rewritten,
 *    because 2.3.0 writes `begincidrange` into it, which poppler rejects;
 *  - the font descriptor, with the HarfBuzz subset's bytes as its FontFile2,
 *    is made here: libharu makes one at save time only for a font that has
 *    none, by rebuilding the font program (every table re-read 4 bytes at a
 *    time, glyf cut again by its own usage flags) — a tenth of the time of a
 *    registration PDF, to remake what HarfBuzz has just made;
 *  - the document's memory stream is read in place (pdf->stream) to add the
 *    /ID and write the file without a second copy of the document;
 *  - the document's UTF-8 encoder numbers the characters drawn as CIDs
 *    1..n (libharu's own CIDs are the code points, which costs each font of
 *    each document a pass over the whole BMP and a 128 KB CIDToGIDMap): see
 *    "CIDs" below;
 *  - every page shares one /Resources (shared_resources);
 *  - the streams drawn are deflated here with libdeflate before libharu
 *    saves them: each page's contents as soon as it is drawn (draw_one),
 *    the rest just before the save (deflate_streams);
 *  - a few functions of libharu and zlib are replaced for the whole process
 *    (hpdf_patch.c, which also holds the version guard for all of the above). */
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

#include "hpdf_patch.h"
#include <libdeflate.h>
#include <zlib.h>

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
 * glyph_pcp(k) of libharu's UTF-8 text, which skips the surrogates and
 * ends below U+FFFE (see "CIDs" below). */
#define GLYPHS_MAX (0xFFFDu - 0x800u)

static uint32_t glyph_pcp(uint32_t cid) { return cid < 0xD800 ? cid : cid + 0x800; }

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

static bool same_cid(const gorder *a, const gorder *b)
{
    return a->k->len == b->k->len && a->k->zw == b->k->zw && !memcmp(a->text, b->text, a->k->len);
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
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    if (!attr || !attr->cmap_stream || !attr->cmap_stream->stream) return false;
    HPDF_Stream st = attr->cmap_stream->stream;
    HPDF_MemStream_FreeData(st);
    sbuf b = {0}, ranges = {0}, chars = {0}, u = {0};
    size_t nr = 0, nc = 0;
    sbuf_puts(&b, TOUNICODE_HEAD);
    sbuf_puts(&ranges, "");
    sbuf_puts(&chars, "");
    size_t i = 0;
    while (i < n) {
        const gkey *k = &gs->v[keys[i]];
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
    HPDF_STATUS rc = HPDF_Stream_Write(st, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    sbuf_free(&b);
    sbuf_free(&ranges);
    sbuf_free(&chars);
    sbuf_free(&u);
    return rc == HPDF_OK;
}

/* libharu writes one /W entry per CID whose width differs from the notdef
 * width: rebuild /DW as the commonest width of the font's glyphs and /W as
 * runs of the others over consecutive CIDs (a dense CJK page: ~9 KB less);
 * a mark drawn over the glyph before it is 0 wide. */
static bool compact_widths(HPDF_Doc pdf, HPDF_Font font, const glyphs *gs, const uint32_t *keys, size_t n)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    if (!attr || !attr->descendant_font || !attr->fontdef) return false;
    HPDF_FontDef def = attr->fontdef;
    int *w = xmalloc((n ? n : 1) * sizeof *w);
    for (size_t i = 0; i < n; i++) {
        const gkey *k = &gs->v[keys[i]];
        w[i] = k->zw ? 0 : HPDF_TTFontDef_GetGidWidth(def, (HPDF_UINT16)k->newgid);
    }
    /* commonest width */
    int dw = n ? w[0] : 1000, best = 0;
    for (size_t i = 0; i < n; i++) {
        int cnt = 0;
        for (size_t k = 0; k < n && cnt <= (int)n / 2; k++) cnt += w[k] == w[i];
        if (cnt > best) { best = cnt; dw = w[i]; }
        if (best > (int)n / 2) break;
    }
    HPDF_Array arr = HPDF_Array_New(pdf->mmgr);
    bool ok = arr != NULL;
    size_t i = 0;
    while (ok && i < n) {
        if (w[i] == dw) { i++; continue; }
        HPDF_Array run = HPDF_Array_New(pdf->mmgr);
        ok = run && HPDF_Array_AddNumber(arr, (HPDF_INT32)gs->v[keys[i]].cid) == HPDF_OK &&
             HPDF_Array_Add(arr, run) == HPDF_OK;
        size_t j = i;
        while (ok && j < n && w[j] != dw && (j == i || gs->v[keys[j]].cid == gs->v[keys[j - 1]].cid + 1)) {
            ok = HPDF_Array_AddNumber(run, w[j]) == HPDF_OK;
            j++;
        }
        i = j;
    }
    free(w);
    if (!ok) return false;
    return HPDF_Dict_AddNumber(attr->descendant_font, "DW", dw) == HPDF_OK &&
           HPDF_Dict_Add(attr->descendant_font, "W", arr) == HPDF_OK;
}

/* libharu 2.3.0 finds a glyph by a linear scan of the cmap's format-4
 * segments, once per character drawn (TextOut widths): with a subset of N
 * sparse CJK characters that is N steps a character. Replace the parsed cmap
 * by an equivalent flat one: one segment 0000-FFFE whose glyph array is
 * indexed by the code point itself, plus the FFFF terminator. Same glyph for
 * every code point, found at the first step. Only the code points the
 * segments cover are looked at (the subset's few hundred, not all 65,535):
 * code point u belongs to the first segment whose end is >= u, and maps to a
 * glyph only when that segment also starts at or before u. */
static bool flatten_cmap(HPDF_FontDef def)
{
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)def->attr;
    HPDF_TTF_CmapRange *c = &a->cmap;
    unsigned nseg = c->seg_count_x2 / 2;
    if (c->format != 4 || nseg == 0) return false;
    for (unsigned i = 1; i < nseg; i++)
        if (c->end_count[i] < c->end_count[i - 1]) return false;   /* first-match order matters */
    HPDF_UINT16 *g = HPDF_GetMem(def->mmgr, 65535 * sizeof *g);
    HPDF_UINT16 *ends = HPDF_GetMem(def->mmgr, 2 * sizeof *ends);
    HPDF_UINT16 *starts = HPDF_GetMem(def->mmgr, 2 * sizeof *starts);
    HPDF_INT16 *deltas = HPDF_GetMem(def->mmgr, 2 * sizeof *deltas);
    HPDF_UINT16 *offs = HPDF_GetMem(def->mmgr, 2 * sizeof *offs);
    if (!g || !ends || !starts || !deltas || !offs) {
        if (g) HPDF_FreeMem(def->mmgr, g);
        if (ends) HPDF_FreeMem(def->mmgr, ends);
        if (starts) HPDF_FreeMem(def->mmgr, starts);
        if (deltas) HPDF_FreeMem(def->mmgr, deltas);
        if (offs) HPDF_FreeMem(def->mmgr, offs);
        return false;
    }
    memset(g, 0, 65535 * sizeof *g);
    unsigned from = 0;   /* lowest code point no earlier segment claims */
    for (unsigned i = 0; i < nseg && from < 65535; i++) {
        unsigned end = c->end_count[i] < 65535 ? c->end_count[i] : 65534;
        unsigned u = c->start_count[i] > from ? c->start_count[i] : from;
        for (; u <= end; u++) {
            HPDF_UINT16 gid = 0;
            if (c->id_range_offset[i] == 0) {
                gid = (HPDF_UINT16)(u + c->id_delta[i]);
            } else {
                unsigned idx = c->id_range_offset[i] / 2 + (u - c->start_count[i]) - (nseg - i);
                if (idx < c->glyph_id_array_count && c->glyph_id_array)
                    gid = (HPDF_UINT16)(c->glyph_id_array[idx] + c->id_delta[i]);
            }
            g[u] = gid;
        }
        if ((unsigned)c->end_count[i] + 1 > from) from = (unsigned)c->end_count[i] + 1;
    }
    HPDF_FreeMem(def->mmgr, c->end_count);
    HPDF_FreeMem(def->mmgr, c->start_count);
    HPDF_FreeMem(def->mmgr, c->id_delta);
    HPDF_FreeMem(def->mmgr, c->id_range_offset);
    if (c->glyph_id_array) HPDF_FreeMem(def->mmgr, c->glyph_id_array);
    ends[0] = 0xFFFE; ends[1] = 0xFFFF;
    starts[0] = 0; starts[1] = 0xFFFF;
    deltas[0] = 0; deltas[1] = 1;        /* FFFF -> glyph 0, as the terminator maps it */
    offs[0] = 4; offs[1] = 0;            /* idx = 4/2 + u - (2 - 0) = u */
    c->end_count = ends;
    c->start_count = starts;
    c->id_delta = deltas;
    c->id_range_offset = offs;
    c->glyph_id_array = g;
    c->glyph_id_array_count = 65535;
    c->seg_count_x2 = 4;
    return true;
}

/* Load a TrueType file from memory into the document; returns the font
 * name. Its flattened cmap then maps the code point pcps[i] to the glyph
 * gids[i] and nothing else: libharu takes the glyphs of the CIDs, and
 * their widths, from there (see "CIDs"). */
static const char *load_font_mem(HPDF_Doc pdf, const unsigned char *data, size_t len,
                                 const char tag[6], const uint32_t *pcps, const uint32_t *gids, size_t n)
{
    HPDF_Stream st = HPDF_MemStream_New(pdf->mmgr, 65536);
    if (!st) return NULL;
    if (HPDF_Stream_Write(st, data, (HPDF_UINT)len) != HPDF_OK) {
        HPDF_Stream_Free(st);
        return NULL;
    }
    HPDF_FontDef def = HPDF_TTFontDef_Load(pdf->mmgr, st, HPDF_TRUE);
    if (!def) return NULL;   /* the stream is freed with the failed fontdef */
    if (HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
        HPDF_FontDef_Free(def);
        return NULL;
    }
    if (!flatten_cmap(def)) return NULL;   /* freed with the document's font list */
    HPDF_TTF_CmapRange *c = &((HPDF_TTFontDefAttr)def->attr)->cmap;
    memset(c->glyph_id_array, 0, 65535 * sizeof *c->glyph_id_array);
    for (size_t i = 0; i < n; i++) c->glyph_id_array[pcps[i]] = (HPDF_UINT16)gids[i];
    HPDF_TTFontDef_SetTagName(def, (char *)tag);
    return def->base_font;
}

/* Give the font the descriptor libharu would make at save time, with the
 * subset's bytes as they are for FontFile2 (see the top of this file): the
 * same entries as CIDFontType2_BeforeWrite_Func of libharu 2.3.0, which then
 * keeps this one. The glyph ids are the subset's either way (libharu's
 * rebuild keeps them), so the CIDToGIDMap stays right. Everything made here
 * belongs to the document's xref, freed with the document. */
static bool embed_subset(HPDF_Doc pdf, HPDF_Font font, const unsigned char *data, size_t len)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
    HPDF_FontDef def = fa->fontdef;
    HPDF_Dict desc = HPDF_Dict_New(pdf->mmgr);
    if (!desc || HPDF_Xref_Add(pdf->xref, desc) != HPDF_OK) return false;
    HPDF_Dict file = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!file) return false;
    file->filter = font->filter;   /* compressed like the font's other streams */
    HPDF_STATUS rc = HPDF_Stream_Write(file->stream, data, (HPDF_UINT)len);
    rc += HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
    rc += HPDF_Dict_AddNumber(file, "Length2", 0);
    rc += HPDF_Dict_AddNumber(file, "Length3", 0);
    rc += HPDF_Dict_Add(desc, "FontFile2", file);
    rc += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    rc += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    rc += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    rc += HPDF_Dict_AddNumber(desc, "Flags", def->flags);
    rc += HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(pdf->mmgr, def->font_bbox));
    rc += HPDF_Dict_AddName(desc, "FontName", ((HPDF_TTFontDefAttr)def->attr)->base_font);
    rc += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    rc += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    rc += HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
    if (rc != HPDF_OK) return false;
    def->descriptor = desc;
    return true;
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

/* libdeflate's compressor and the buffers of one stream (see deflate_dict). */
typedef struct deflater {
    struct libdeflate_compressor *c;   /* NULL: not made yet, or no memory (then zlib does it) */
    bool tried;
    sbuf in;
    unsigned char *out;
    size_t cap;
} deflater;

static void deflater_free(deflater *z);
static bool deflate_dict(deflater *z, HPDF_Dict d);

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
    deflater z;
    HPDF_Dict res, res_fonts;          /* every page's /Resources and its /Font (shared_resources) */
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
    deflater_free(&dw->z);
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
    if (no_width) {
        HPDF_Stream st = ((HPDF_PageAttr)page->attr)->stream;
        HPDF_Stream_WriteStr(st, "<");
        HPDF_Stream_WriteStr(st, dw->hex.data);
        HPDF_Stream_WriteStr(st, "> Tj\012");
    }
    sbuf_clear(&dw->line);
    sbuf_clear(&dw->hex);
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
            if (key >= 0) {
                if (g->face != run) {
                    flush_run(dw, page, run, size, rx, y, x - rx);
                    run = g->face;
                    rx = x;
                }
                char u[4];
                sbuf_add(&dw->line, u, text_utf8_encode(glyph_pcp(dw->gs->v[key].cid), u));
                static const char hx[] = "0123456789ABCDEF";
                unsigned cid = dw->gs->v[key].cid;
                char h4[4] = {hx[cid >> 12 & 15], hx[cid >> 8 & 15], hx[cid >> 4 & 15], hx[cid & 15]};
                sbuf_add(&dw->hex, h4, 4);
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
    HPDF_Binary t = HPDF_Binary_New(dw->pdf->mmgr, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    sbuf_free(&b);
    if (t) HPDF_Dict_Add(o, "Title", t);
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
    /* the page's own resources (freed here) give way to the shared ones, and
     * its fonts are looked up, and named, there */
    if (HPDF_Dict_Add(page, "Resources", dw->res) != HPDF_OK) return false;
    ((HPDF_PageAttr)page->attr)->fonts = dw->res_fonts;
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
    return deflate_dict(&dw->z, ((HPDF_PageAttr)page->attr)->contents);
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

/* ---------------------------------------------------------------- CIDs
 *
 * With libharu's UTF-8 encoder a CID is the code point itself: the BMP
 * only (libharu 2.3.0 turns any other character into a space), one glyph
 * per code point, and HPDF_GetFont (CIDFontType2_New) pays for the whole
 * BMP for each font of each document: a glyph lookup for each of the 65,536
 * code points, a width for each, and a CIDToGIDMap of 2 bytes per CID for
 * all of them: 128 KB whatever the text. Instead, the glyphs the document
 * draws (every face's, see "glyphs") get the dense CIDs 1..n, and CID k is
 * written into libharu's UTF-8 text as the code point glyph_pcp(k) (k
 * itself below the surrogates, k + 0x800 above), which stands for nothing
 * else: characters beyond the BMP, composed marks and variants all draw:
 *  - each font's flattened cmap maps glyph_pcp(k) to the subset's glyph of
 *    CID k when the CID is that face's (load_font_mem), nothing else;
 *  - during HPDF_GetFont the encoder takes the form libharu's loop reads for
 *    a CMap encoder (to_unicode_fn == HPDF_CMapEncoder_ToUnicode, and a
 *    non-zero cid_map entry with its unicode_map entry per CID): the loop then
 *    looks up n glyphs, and the /W and CIDToGIDMap it makes cover CIDs 0..n;
 *  - afterwards the UTF-8 functions are back, the cid_map zero again (its
 *    first entries are the UTF-8 parser's state), and unicode_map holds the
 *    CID of each glyph_pcp (0 for the others), read by encode_cids, the
 *    encoder's text encoding: the same parse as libharu's UTF-8 encoding
 *    (same functions), the CID in place of the code point. Nothing else
 *    reads a UTF-8 encoder's unicode_map or cid_map; strings (outline
 *    titles, document info) still go by code point;
 *  - /W and ToUnicode (rebuilt here anyway) are keyed by these CIDs, and
 *    the ToUnicode maps each CID to the text its glyph stands for.
 * All of it lives in the document's own encoder: no shared state. */
enum { CID_SLOT0 = 8 };   /* cid_map entries before this hold the UTF-8 parser's state */

typedef struct cids {
    HPDF_UINT16 saved[CID_SLOT0];     /* the parser's state, kept while libharu's loop runs */
    HPDF_Encoder_ToUnicode_Func to_unicode;
} cids;

static HPDF_UINT16 *enc_cid_map(HPDF_Encoder enc)
{
    return &((HPDF_CMapEncoderAttr)enc->attr)->cid_map[0][0];
}

static HPDF_UNICODE *enc_unicode_map(HPDF_Encoder enc)
{
    return &((HPDF_CMapEncoderAttr)enc->attr)->unicode_map[0][0];
}

/* UTF-8 text → big-endian CIDs (libharu frees the result). */
static char *encode_cids(HPDF_Encoder enc, const char *text, HPDF_UINT len, HPDF_UINT *length)
{
    const HPDF_UNICODE *tab = enc_unicode_map(enc);
    unsigned char *out = xmalloc(len ? 2 * (size_t)len : 1), *o = out;
    HPDF_ParseText_Rec ps;
    HPDF_Encoder_SetParseText(enc, &ps, (const HPDF_BYTE *)text, len);
    for (HPDF_UINT i = 0; i < len; i++) {
        if (HPDF_Encoder_ByteType(enc, &ps) == HPDF_BYTE_TYPE_TRIAL) continue;
        HPDF_UINT16 cid = tab[HPDF_Encoder_ToUnicode(enc, 0)];
        *o++ = (unsigned char)(cid >> 8);
        *o++ = (unsigned char)cid;
    }
    *length = (HPDF_UINT)(o - out);
    return (char *)out;
}

/* The encoder ready for HPDF_GetFont: CIDs 1..n at slots CID_SLOT0.., and
 * one more (libharu's loop stops before the highest CID it finds). n is
 * at most GLYPHS_MAX, so the slots fit. */
static void cids_arm(HPDF_Encoder enc, cids *c, const glyphs *gs)
{
    HPDF_UINT16 *cm = enc_cid_map(enc);
    HPDF_UNICODE *um = enc_unicode_map(enc);
    memcpy(c->saved, cm, sizeof c->saved);
    memset(cm, 0, sizeof c->saved);
    for (size_t k = 0; k < gs->n; k++) {
        uint32_t cid = gs->v[k].cid;
        cm[CID_SLOT0 + cid - 1] = (HPDF_UINT16)cid;
        um[CID_SLOT0 + cid - 1] = (HPDF_UNICODE)glyph_pcp(cid);
    }
    cm[CID_SLOT0 + gs->ncid] = (HPDF_UINT16)(gs->ncid + 1);
    um[CID_SLOT0 + gs->ncid] = 0xFFFF;   /* glyph 0 in any font, and not in the map */
    c->to_unicode = enc->to_unicode_fn;
    enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
}

/* The encoder back to UTF-8, encoding text as the dense CIDs. */
static void cids_disarm(HPDF_Encoder enc, cids *c, const glyphs *gs)
{
    HPDF_UINT16 *cm = enc_cid_map(enc);
    HPDF_UNICODE *um = enc_unicode_map(enc);
    memset(cm + CID_SLOT0, 0, (gs->ncid + 1) * sizeof *cm);
    memcpy(cm, c->saved, sizeof c->saved);
    enc->to_unicode_fn = c->to_unicode;
    memset(um, 0, 65536 * sizeof *um);
    for (size_t k = 0; k < gs->n; k++) um[glyph_pcp(gs->v[k].cid)] = (HPDF_UNICODE)gs->v[k].cid;
    enc->encode_text_fn = encode_cids;
}

/* Face f subset to its glyphs keys[0..n) (CID order) and loaded into the
 * document (the CID maps, /W and ToUnicode are finished by embed_fonts). */
static HPDF_Font embed_face(drawer *dw, glyphs *gs, int f, const uint32_t *keys, size_t n,
                            const pdf_err *pe, sbuf *err)
{
    uint32_t *gids = xmalloc((n + 1) * sizeof *gids), *newg = xmalloc((n + 1) * sizeof *newg);
    uint32_t *pcps = xmalloc((n + 1) * sizeof *pcps);
    text_cpset cps = {0};
    for (size_t i = 0; i < n; i++) {
        const gkey *k = &gs->v[keys[i]];
        gids[i] = k->gid;
        pcps[i] = glyph_pcp(k->cid);
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
        const char *name = load_font_mem(dw->pdf, sub, sublen, tag, pcps, newg, n);
        if (name) font = HPDF_GetFont(dw->pdf, name, "UTF-8");
        if (font && !embed_subset(dw->pdf, font, sub, sublen)) font = NULL;
        if (!font) font_failed(dw, f, pe, err);
    }
    free(sub);
    free(cpl);
    free(gids);
    free(newg);
    free(pcps);
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
    cids c = {0};
    for (int f = 0; f < nf; f++)
        if (gs->used[f]) keys[f] = glyphs_of_face(gs, f, &nkeys[f]);
    cids_arm(dw->utf8, &c, gs);
    for (int f = 0; ok && f < nf; f++)
        if (gs->used[f]) ok = (dw->fonts[f] = embed_face(dw, gs, f, keys[f], nkeys[f], pe, err)) != NULL;
    cids_disarm(dw->utf8, &c, gs);
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

/* One /Resources object for every page, naming the document's fonts F1..Fn
 * in face order. libharu gives each page its own: a ProcSet of 5 names and
 * a Font dict naming fonts in the order the page first uses them, ~1.5 KB
 * of objects a page held until the save (3 MB in the registration of a unit
 * of 1,000 persons) and ~90 bytes a page in the file. */
static bool shared_resources(drawer *dw)
{
    static const char *const procs[] = {"PDF", "Text", "ImageB", "ImageC", "ImageI"};
    HPDF_MMgr mm = dw->pdf->mmgr;
    HPDF_Dict res = HPDF_Dict_New(mm);
    if (!res || HPDF_Xref_Add(dw->pdf->xref, res) != HPDF_OK) return false;   /* Xref_Add frees on failure */
    HPDF_Array procset = HPDF_Array_New(mm);
    HPDF_Dict fonts = HPDF_Dict_New(mm);
    if (!procset || HPDF_Dict_Add(res, "ProcSet", procset) != HPDF_OK) {
        if (fonts) HPDF_Dict_Free(fonts);
        return false;
    }
    if (!fonts || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK) return false;
    for (size_t i = 0; i < sizeof procs / sizeof *procs; i++)
        if (HPDF_Array_Add(procset, HPDF_Name_New(mm, procs[i])) != HPDF_OK) return false;
    char name[16];
    int k = 0;
    for (int f = 0; f < FONT_MAX_FACES; f++) {
        if (!dw->fonts[f]) continue;
        snprintf(name, sizeof name, "F%d", ++k);
        if (HPDF_Dict_Add(fonts, name, dw->fonts[f]) != HPDF_OK) return false;
    }
    dw->res = res;
    dw->res_fonts = fonts;
    return true;
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

/* libharu deflates each stream with zlib as it saves it. Deflate was 29%
 * of a build's instructions, a tenth of that zlib's fixed cost per stream
 * (a 256 KB state, 64 KB of it cleared at every deflateInit) on content
 * streams of a few KB. libdeflate compresses a whole buffer at once: at
 * its level 1, callgrind on 1,000 persons counts 2.34 G instructions of
 * zlib (level 1) down to 1.00 G, the whole build -15%, and the package 4%
 * smaller; its level 4 makes the package 3% smaller still for 9% more
 * instructions than level 1. Here each stream libharu would
 * deflate is deflated in place, then marked unfiltered so libharu copies it
 * as it is; its /Filter entry is written back by the dict's write_fn, which
 * libharu calls after the dict's own entries. Streams made during the save
 * itself (a font's CIDToGIDMap) still go through zlib. */
#define PDFW_DEFLATE_LEVEL 1

static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;   /* libharu's write_fn signature */
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* The bytes of a memory stream, gathered into in; false when they do not
 * add up to its size (then the stream is left to libharu). */
static bool mem_stream_bytes(HPDF_Stream st, sbuf *in)
{
    sbuf_clear(in);
    HPDF_UINT n = HPDF_MemStream_GetBufCount(st);
    for (HPDF_UINT i = 0; i < n; i++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(st, i, &len);
        if (!p) return false;
        sbuf_add(in, (const char *)p, len);
    }
    return in->len == st->size;
}

static void deflater_free(deflater *z)
{
    if (z->c) libdeflate_free_compressor(z->c);
    sbuf_free(&z->in);
    free(z->out);
    memset(z, 0, sizeof *z);
}

/* The stream of dict d deflated in place, when libharu would deflate it and
 * has not yet written it. false only when libharu failed to take the bytes. */
static bool deflate_dict(deflater *z, HPDF_Dict d)
{
    if (!d || !d->stream || d->filter != HPDF_STREAM_FILTER_FLATE_DECODE || d->write_fn ||
        d->stream->type != HPDF_STREAM_MEMORY)
        return true;
    if (!z->tried) {
        z->tried = true;
        z->c = libdeflate_alloc_compressor(PDFW_DEFLATE_LEVEL);
    }
    if (!z->c || !mem_stream_bytes(d->stream, &z->in)) return true;   /* zlib will do it */
    size_t bound = libdeflate_zlib_compress_bound(z->c, z->in.len);
    if (bound > z->cap) {
        z->out = xrealloc(z->out, bound);
        z->cap = bound;
    }
    size_t got = libdeflate_zlib_compress(z->c, z->in.data ? z->in.data : "", z->in.len, z->out, z->cap);
    if (!got) return true;
    /* one buffer of exactly the compressed size: libharu's 4 KB buffers would
     * hold a page's ~1.5 KB three times over, 5 MB in a unit of 1,000 persons
     * (a stream's buffers all have its buf_siz, which reading relies on) */
    HPDF_MemStream_FreeData(d->stream);
    HPDF_MemStreamAttr ms = d->stream->attr;
    ms->buf_siz = ms->w_pos = (HPDF_UINT)got;
    bool ok = HPDF_Stream_Write(d->stream, z->out, (HPDF_UINT)got) == HPDF_OK;
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = write_flate_filter;
    return ok;
}

/* Every stream of the document not deflated yet (ToUnicode, font files). */
static bool deflate_streams(HPDF_Doc pdf, deflater *z)
{
    HPDF_List entries = pdf->xref->entries;
    for (HPDF_UINT i = 0; i < entries->count; i++) {
        HPDF_XrefEntry e = entries->obj[i];
        HPDF_Obj_Header *h = e->obj;
        if (!h || (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT) continue;
        if (!deflate_dict(z, e->obj)) return false;
    }
    return true;
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
    if (ok && !shared_resources(&dw)) {
        libharu_failed(err, pe);
        ok = false;
    }
    ok = ok && ps->draw(ps->ctx, &dw, &ch, pe, err);
    ok = ok && (!opts->more || opts->more(opts->more_ctx, pdf, err));
    chars_free(&ch);
    if (ok && !opts->no_compress && !deflate_streams(pdf, &dw.z)) {
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

/* ---------------------------------------------------------------- output */

/* The saved document goes out as libharu writes it, through a callback
 * stream (libharu would otherwise save the whole document into memory
 * first, as big as the file). Its /ID is the MD5 of the bytes libharu
 * writes and goes into the trailer dict, behind the xref table, so no
 * offset moves: the writer holds back the last TAIL bytes or more, which
 * contain the trailer, until the MD5 is known. It passes the rest on CHUNK
 * bytes at a time (the system calls of stdio's 4 KB buffer cost a
 * 100,000-person build seconds of system time). */
enum { CHUNK = 65536, TAIL = 4096 };

typedef struct id_writer {
    FILE *fp;                /* the file */
    HPDF_MD5_CTX md5;
    unsigned char *tail;     /* CHUNK + TAIL: what is not passed on yet */
    size_t ntail;
    bool failed;             /* fp: a write failed (errno says why) */
} id_writer;

static void id_emit(id_writer *w, const void *p, size_t n)
{
    if (w->failed || n == 0) return;
    if (fwrite(p, 1, n, w->fp) != n) w->failed = true;
}

static HPDF_STATUS id_write(HPDF_Stream st, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
    id_writer *w = st->attr;
    HPDF_MD5Update(&w->md5, ptr, siz);
    while (siz > 0) {
        size_t n = CHUNK + TAIL - w->ntail;
        if (n > siz) n = siz;
        memcpy(w->tail + w->ntail, ptr, n);
        w->ntail += n;
        ptr += n;
        siz -= (HPDF_UINT)n;
        if (w->ntail == CHUNK + TAIL) {
            id_emit(w, w->tail, CHUNK);
            memmove(w->tail, w->tail + CHUNK, TAIL);
            w->ntail = TAIL;
        }
    }
    return w->failed ? HPDF_FILE_IO_ERROR : HPDF_OK;
}

/* Offset just after the "<<" that follows the last "trailer" in t[0..n). */
static bool trailer_dict(const unsigned char *t, size_t n, size_t *at)
{
    static const char key[] = "trailer";
    size_t kl = sizeof key - 1;
    for (size_t pos = n >= kl ? n - kl + 1 : 0; pos-- > 0;) {
        if (memcmp(t + pos, key, kl)) continue;
        const unsigned char *lt = memchr(t + pos, '<', n - pos);
        if (!lt || lt + 1 >= t + n || lt[1] != '<') return false;
        *at = (size_t)(lt - t) + 2;
        return true;
    }
    return false;
}

/* The held-back tail with the /ID in its trailer. */
static bool id_finish(id_writer *w)
{
    HPDF_BYTE dig[16];
    HPDF_MD5Final(dig, &w->md5);
    size_t at;
    if (!trailer_dict(w->tail, w->ntail, &at)) return false;
    char hex[33], text[80];
    for (int i = 0; i < 16; i++) snprintf(hex + 2 * i, 3, "%02X", dig[i]);
    int len = snprintf(text, sizeof text, "\n/ID [<%s> <%s>]", hex, hex);
    id_emit(w, w->tail, at);
    id_emit(w, text, (size_t)len);
    id_emit(w, w->tail + at, w->ntail - at);
    return true;
}

/* Save pdf through w. false: a write failed (w->failed) or libharu did. */
static bool save_through(HPDF_Doc pdf, id_writer *w)
{
    HPDF_MD5Init(&w->md5);
    HPDF_Stream st = HPDF_CallbackWriter_New(pdf->mmgr, id_write, w);
    if (!st) return false;
    w->tail = xmalloc(CHUNK + TAIL);
    pdf->stream = st;          /* HPDF_SaveToStream saves into pdf->stream */
    bool ok = HPDF_SaveToStream(pdf) == HPDF_OK && !w->failed && id_finish(w);
    pdf->stream = NULL;
    HPDF_Stream_Free(st);
    free(w->tail);
    return ok && !w->failed;
}

/* The document with its /ID to path (temp file, rename: outfile.h). */
static bool save_file(HPDF_Doc pdf, const char *path, const pdf_err *pe, sbuf *err)
{
    outfile o;
    if (!outfile_open(&o, path)) {
        sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, msg_syserr(LANG_ZH, errno));
        return false;
    }
    id_writer w = {.fp = o.fp};
    bool ok = save_through(pdf, &w);
    if (ok && !(ok = outfile_commit(&o))) w.failed = true;
    if (!ok) {
        int e = errno;
        outfile_abort(&o);     /* no-op after a failed commit */
        errno = e;
        if (w.failed) sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, msg_syserr(LANG_ZH, errno));
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

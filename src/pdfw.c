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
 *    (end of this file). */
#include "pdfw.h"
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

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
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

static void collect(text_cpset *sets, const font_set *fs, font_role r, const char *s)
{
    text_cpset_add_utf8(&sets[font_face_id(fs, r)], s, strlen(s));
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

/* The CID of code point cp: tab[cp] (the document's CID table, see "CIDs"
 * below), or cp itself when tab is NULL. */
static unsigned cid_of(const HPDF_UINT16 *tab, uint32_t cp)
{
    return tab ? tab[cp] : cp;
}

/* ToUnicode for the code points used: runs of consecutive CIDs with
 * consecutive code points, each within one high byte of both, as bfrange
 * requires. */
static bool fix_tounicode(HPDF_Font font, const uint32_t *cps, size_t n, const HPDF_UINT16 *tab)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    if (!attr || !attr->cmap_stream || !attr->cmap_stream->stream) return false;
    HPDF_Stream st = attr->cmap_stream->stream;
    HPDF_MemStream_FreeData(st);
    sbuf b = {0};
    sbuf_puts(&b, TOUNICODE_HEAD);
    /* ranges */
    size_t nr = 0;
    sbuf body = {0};
    sbuf_puts(&body, "");
    size_t i = 0;
    while (i < n) {
        uint32_t a = cps[i];
        if (a > 0xFFFF) break;
        unsigned ca = cid_of(tab, a);
        size_t j = i;
        while (j + 1 < n && cps[j + 1] == cps[j] + 1 && (cps[j + 1] >> 8) == (a >> 8) &&
               cid_of(tab, cps[j + 1]) == cid_of(tab, cps[j]) + 1 &&
               (cid_of(tab, cps[j + 1]) >> 8) == (ca >> 8))
            j++;
        sbuf_printf(&body, "<%04X> <%04X> <%04X>\n", ca, cid_of(tab, cps[j]), a);
        nr++;
        i = j + 1;
        if (nr % 100 == 0 && body.len) {
            sbuf_printf(&b, "%zu beginbfrange\n%sendbfrange\n", (size_t)100, body.data);
            sbuf_clear(&body);
            sbuf_puts(&body, "");
        }
    }
    if (nr % 100) sbuf_printf(&b, "%zu beginbfrange\n%sendbfrange\n", nr % 100, body.data);
    sbuf_puts(&b, TOUNICODE_TAIL);
    HPDF_STATUS rc = HPDF_Stream_Write(st, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    sbuf_free(&b);
    sbuf_free(&body);
    return rc == HPDF_OK;
}

/* libharu writes one /W entry per CID whose width differs from the notdef
 * width: rebuild /DW as the commonest width of the characters used and /W as
 * runs of the others over consecutive CIDs (a dense CJK page: ~9 KB less). */
static bool compact_widths(HPDF_Doc pdf, HPDF_Font font, const uint32_t *cps, size_t n,
                           const HPDF_UINT16 *tab)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    if (!attr || !attr->descendant_font || !attr->fontdef) return false;
    HPDF_FontDef def = attr->fontdef;
    size_t nb = 0;
    while (nb < n && cps[nb] <= 0xFFFF) nb++;
    int *w = xmalloc((nb ? nb : 1) * sizeof *w);
    for (size_t i = 0; i < nb; i++)
        w[i] = HPDF_TTFontDef_GetGidWidth(def, HPDF_TTFontDef_GetGlyphid(def, (HPDF_UNICODE)cps[i]));
    /* commonest width */
    int dw = nb ? w[0] : 1000, best = 0;
    for (size_t i = 0; i < nb; i++) {
        int cnt = 0;
        for (size_t k = 0; k < nb && cnt <= (int)nb / 2; k++) cnt += w[k] == w[i];
        if (cnt > best) { best = cnt; dw = w[i]; }
        if (best > (int)nb / 2) break;
    }
    HPDF_Array arr = HPDF_Array_New(pdf->mmgr);
    bool ok = arr != NULL;
    size_t i = 0;
    while (ok && i < nb) {
        if (w[i] == dw) { i++; continue; }
        HPDF_Array run = HPDF_Array_New(pdf->mmgr);
        ok = run && HPDF_Array_AddNumber(arr, (HPDF_INT32)cid_of(tab, cps[i])) == HPDF_OK &&
             HPDF_Array_Add(arr, run) == HPDF_OK;
        size_t j = i;
        while (ok && j < nb && w[j] != dw &&
               (j == i || cid_of(tab, cps[j]) == cid_of(tab, cps[j - 1]) + 1)) {
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
static void flatten_cmap(HPDF_FontDef def)
{
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)def->attr;
    HPDF_TTF_CmapRange *c = &a->cmap;
    unsigned nseg = c->seg_count_x2 / 2;
    if (c->format != 4 || nseg == 0) return;
    for (unsigned i = 1; i < nseg; i++)
        if (c->end_count[i] < c->end_count[i - 1]) return;   /* first-match order matters */
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
        return;
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
}

/* Load a TrueType file from memory into the document; returns the font name. */
static const char *load_font_mem(HPDF_Doc pdf, const unsigned char *data, size_t len,
                                 const char tag[6])
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
    flatten_cmap(def);
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
    HPDF_Font fonts[FONT_NROLES];
    HPDF_Encoder utf8;
    sbuf tmp, line;
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
static void use_font(drawer *dw, HPDF_Page page, font_role r, double size, int *face, double *cur)
{
    int f = font_face_id(dw->fs, r);
    if (f == *face && size == *cur) return;
    HPDF_Page_SetFontAndSize(page, dw->fonts[f], size);
    *face = f;
    *cur = size;
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
        sbuf_clear(&dw->line);
        sbuf_add(&dw->line, c->text + l->start, l->end - l->start);
        HPDF_Page_TextOut(page, lx, ly, dw->line.data);
    }
}

/* Header (h 0) or footer (h 1) parts, page numbers substituted. */
static void draw_hf(drawer *dw, HPDF_Page page, const lo_doc *d, int h, size_t pno, size_t pages,
                    int *face, double *cur)
{
    const lo_hf *hf = h == 0 ? &d->header : &d->footer;
    double H = d->page_h * MM2PT;
    for (int p = 0; p < 3; p++) {
        if (!hf->part[p] || !hf->part[p][0]) continue;
        hf_text(&dw->tmp, hf->part[p], pno, pages);
        use_font(dw, page, hf->font, hf->size, face, cur);
        text_metrics m = font_metrics(dw->fs, hf->font);
        double w = text_width(&m, dw->tmp.data, dw->tmp.len, hf->size);
        double left = d->margin[TPL_SIDE_LEFT] * MM2PT;
        double right = (d->page_w - d->margin[TPL_SIDE_RIGHT]) * MM2PT;
        double x = p == 0 ? left : p == 1 ? (left + right - w) / 2 : right - w;
        double asc = font_ascender(dw->fs, hf->font), desc = font_descender(dw->fs, hf->font);
        double y;
        if (h == 0) y = H - d->header_margin * MM2PT - hf->size * asc / (asc - desc);
        else y = d->footer_margin * MM2PT + hf->size * (-desc) / (asc - desc);
        HPDF_Page_TextOut(page, x, y, dw->tmp.data);
    }
}

static void draw_page(drawer *dw, HPDF_Page page, const lo_doc *d, const lo_page *pg, size_t pno,
                      size_t pages)
{
    double H = d->page_h * MM2PT;
    draw_rules(dw, page, pg, H);
    HPDF_Page_BeginText(page);
    int face = -1;
    double size = -1;
    for (size_t i = 0; i < pg->ncells; i++) {
        const lo_cell *c = &pg->cells[i];
        if (c->nlines == 0) continue;
        use_font(dw, page, c->font, c->size, &face, &size);
        draw_cell_text(dw, page, c, H);
    }
    draw_hf(dw, page, d, 0, pno, pages, &face, &size);
    draw_hf(dw, page, d, 1, pno, pages, &face, &size);
    HPDF_Page_EndText(page);
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

static void draw_mark(drawer *dw, HPDF_Page page, const lo_doc *d, size_t pno, size_t pages)
{
    sbuf_clear(&dw->tmp);
    mark_ident(dw, dw->doc, pno, pages, &dw->tmp);
    qr_page qp = {d->page_w, d->page_h, d->margin[TPL_SIDE_BOTTOM], d->margin[TPL_SIDE_RIGHT]};
    qr_font qf = {dw->fonts[font_face_id(dw->fs, FONT_SONG)], font_metrics(dw->fs, FONT_SONG)};
    qr_draw(page, &qp, dw->tmp.data, &qf);
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
    if (pg->chart) pdfchart_draw(page, d, pg, dw->fonts, dw->fs);
    if (dw->mark) draw_mark(dw, page, d, pno, pages);
    if (outline) {
        HPDF_Outline o = HPDF_CreateOutline(dw->pdf, NULL, outline, dw->utf8);
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

/* Pass 1: the characters of every face the document draws, its title and
 * its number of pages. */
typedef struct chars {
    text_cpset *sets;        /* FONT_NROLES */
    bool used[FONT_NROLES];
    char *title;             /* of the first document */
    size_t docs, pages;
} chars;

static void chars_free(chars *ch)
{
    for (int f = 0; ch->sets && f < FONT_NROLES; f++) text_cpset_free(&ch->sets[f]);
    free(ch->sets);
    free(ch->title);
}

static void collect_page(const lo_page *pg, const font_set *fs, chars *ch)
{
    for (size_t i = 0; i < pg->ncells; i++) {
        const lo_cell *c = &pg->cells[i];
        if (!c->nlines) continue;
        ch->used[font_face_id(fs, c->font)] = true;
        collect(ch->sets, fs, c->font, c->text);
    }
    ch->pages++;
}

/* What every page of d shares: its chart's labels, header and footer. */
static void collect_shared(const lo_doc *d, const font_set *fs, chars *ch, sbuf *tmp)
{
    text_cpset *sets = ch->sets;
    bool *used = ch->used;
    if (ch->docs++ == 0 && d->title) ch->title = xstrdup(d->title);
    pdfchart_collect(d->chart, fs, sets, used);
    const lo_hf *hfs[2] = {&d->header, &d->footer};
    for (int h = 0; h < 2; h++) {
        bool any = false;
        for (int p = 0; p < 3; p++) {
            if (!hfs[h]->part[p] || !hfs[h]->part[p][0]) continue;
            any = true;
            hf_text(tmp, hfs[h]->part[p], 0, 0);
            collect(sets, fs, hfs[h]->font, tmp->data);
        }
        if (any) {
            used[font_face_id(fs, hfs[h]->font)] = true;
            collect(sets, fs, hfs[h]->font, "0123456789");
        }
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
    ch->used[font_face_id(dw->fs, FONT_SONG)] = true;
    collect(ch->sets, dw->fs, FONT_SONG, dw->tmp.data);
}

/* Subset tag of face f cut to the characters cps[0..n): deterministic, and
 * distinct for distinct subsets, which are fixed by the face and the
 * characters. Hashing those few bytes, not the subset's ~50 KB, saved 2% of
 * a build's instructions. */
static void subset_tag(int f, const uint32_t *cps, size_t n, char tag[7])
{
    HPDF_MD5_CTX ctx;
    HPDF_BYTE dig[16], b[3] = { (HPDF_BYTE)f, 0, 0 };
    HPDF_MD5Init(&ctx);
    HPDF_MD5Update(&ctx, b, 1);
    for (size_t i = 0; i < n; i++) {      /* 3 bytes a code point, whatever the byte order */
        b[0] = (HPDF_BYTE)(cps[i] >> 16), b[1] = (HPDF_BYTE)(cps[i] >> 8), b[2] = (HPDF_BYTE)cps[i];
        HPDF_MD5Update(&ctx, b, 3);
    }
    HPDF_MD5Final(dig, &ctx);
    for (int k = 0; k < 6; k++) tag[k] = (char)('A' + dig[k] % 26);
    tag[6] = 0;
}

/* The first role drawn with face f. */
static font_role face_role(const font_set *fs, int f)
{
    for (int r = 0; r < FONT_NROLES; r++)
        if (font_face_id(fs, (font_role)r) == f) return (font_role)r;
    return FONT_SONG;
}

static void font_failed(const drawer *dw, int f, const pdf_err *pe, sbuf *err)
{
    sbuf_printf(err, "PDF 字体嵌入失败 (PDF_FONT_FAILED): %s (libharu 0x%04X)",
                font_path(dw->fs, face_role(dw->fs, f)), (unsigned)pe->code);
}

/* ---------------------------------------------------------------- CIDs
 *
 * With libharu's UTF-8 encoder a CID is the code point itself, and
 * HPDF_GetFont (CIDFontType2_New) pays for the whole BMP for each font of
 * each document: a glyph lookup for each of the 65,536 code points, a width
 * for each, and a CIDToGIDMap of 2 bytes per CID for all of them: 128 KB
 * (mostly zeros, deflated at save) whatever the text. Instead, the code
 * points the document draws (every face's, in one list) get the dense CIDs
 * 1..n in code point order, so that every map is small and in the same
 * order as the code points:
 *  - during HPDF_GetFont the encoder takes the form libharu's loop reads for
 *    a CMap encoder (to_unicode_fn == HPDF_CMapEncoder_ToUnicode, and a
 *    non-zero cid_map entry with its unicode_map entry per CID): the loop then
 *    looks up n glyphs, and the /W and CIDToGIDMap it makes cover CIDs 0..n;
 *  - afterwards the UTF-8 functions are back, the cid_map zero again (its
 *    first entries are the UTF-8 parser's state), and unicode_map holds the
 *    CID of each code point (0 for those not drawn), read by encode_cids, the
 *    encoder's text encoding: the same parse as libharu's UTF-8 encoding
 *    (same functions), the CID in place of the code point. Nothing else
 *    reads a UTF-8 encoder's unicode_map or cid_map; widths (TextWidth,
 *    MeasureText) and strings (outline titles, document info) still go by
 *    code point;
 *  - /W and ToUnicode (rebuilt here anyway) are keyed by these CIDs.
 * All of it lives in the document's own encoder: no shared state. With more
 * code points than the cid_map has room for (hostile input only), CIDs stay
 * code points (libharu's own way). */
enum { CID_SLOT0 = 8 };   /* cid_map entries before this hold the UTF-8 parser's state */

typedef struct cids {
    uint32_t *cps;                    /* BMP code points drawn, ascending: CID of cps[k] is k + 1 */
    size_t n;
    bool dense;                       /* the dense CIDs are in use */
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

/* The CID table after cids_disarm (NULL: CIDs are code points). */
static const HPDF_UINT16 *cid_table(HPDF_Encoder enc, const cids *c)
{
    return c->dense ? enc_unicode_map(enc) : NULL;
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

/* Number the code points of the faces used; the encoder ready for
 * HPDF_GetFont. */
static void cids_arm(HPDF_Encoder enc, cids *c, const text_cpset *sets, const bool *used)
{
    text_cpset all = {0};
    for (int f = 0; f < FONT_NROLES; f++)
        if (used[f])
            for (size_t k = 0; k < sizeof all.bmp / sizeof all.bmp[0]; k++)
                all.bmp[k] |= sets[f].bmp[k];
    for (size_t k = 0; k < sizeof all.bmp / sizeof all.bmp[0]; k++)
        all.count += (size_t)__builtin_popcountll(all.bmp[k]);
    size_t n;
    uint32_t *cps = text_cpset_list(&all, &n);   /* BMP only: nothing astral was added */
    text_cpset_free(&all);
    c->cps = cps;
    c->n = n;
    /* CIDs 1..n at slots CID_SLOT0.., and one more: libharu's loop stops
     * before the highest CID it finds */
    c->dense = CID_SLOT0 + n + 1 <= 65536;
    if (!c->dense) return;
    HPDF_UINT16 *cm = enc_cid_map(enc);
    HPDF_UNICODE *um = enc_unicode_map(enc);
    memcpy(c->saved, cm, sizeof c->saved);
    memset(cm, 0, sizeof c->saved);
    for (size_t k = 0; k < n; k++) {
        cm[CID_SLOT0 + k] = (HPDF_UINT16)(k + 1);
        um[CID_SLOT0 + k] = (HPDF_UNICODE)cps[k];
    }
    cm[CID_SLOT0 + n] = (HPDF_UINT16)(n + 1);
    um[CID_SLOT0 + n] = 0xFFFF;   /* glyph 0 in any font, and not in the map */
    c->to_unicode = enc->to_unicode_fn;
    enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
}

/* The encoder back to UTF-8, encoding text as the dense CIDs. */
static void cids_disarm(HPDF_Encoder enc, cids *c)
{
    if (!c->dense) return;
    HPDF_UINT16 *cm = enc_cid_map(enc);
    HPDF_UNICODE *um = enc_unicode_map(enc);
    memset(cm + CID_SLOT0, 0, (c->n + 1) * sizeof *cm);
    memcpy(cm, c->saved, sizeof c->saved);
    enc->to_unicode_fn = c->to_unicode;
    memset(um, 0, 65536 * sizeof *um);
    for (size_t k = 0; k < c->n; k++) um[c->cps[k]] = (HPDF_UNICODE)(k + 1);
    enc->encode_text_fn = encode_cids;
}

/* The face with id f, subset to the characters cps[0..n), into the
 * document (the CID maps, /W and ToUnicode are finished by finish_face). */
static HPDF_Font embed_face(drawer *dw, int f, const uint32_t *cps, size_t n, const pdf_err *pe,
                            sbuf *err)
{
    font_role role = face_role(dw->fs, f);
    unsigned char *sub;
    size_t sublen;
    if (!font_subset(dw->fs, role, cps, n, &sub, &sublen, err)) return NULL;
    char tag[7];
    subset_tag(f, cps, n, tag);
    HPDF_Font font = NULL;
    const char *name = load_font_mem(dw->pdf, sub, sublen, tag);
    if (name) font = HPDF_GetFont(dw->pdf, name, "UTF-8");
    if (font && !embed_subset(dw->pdf, font, sub, sublen)) font = NULL;
    if (!font) font_failed(dw, f, pe, err);
    free(sub);
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

/* The fonts subset to the characters of pass 1, and the document's info. */
static bool embed_fonts(drawer *dw, const chars *ch, const pdfw_opts *opts, const pdf_err *pe, sbuf *err)
{
    text_cpset *sets = ch->sets;
    const bool *used = ch->used;
    bool ok = true;
    uint32_t *cps[FONT_NROLES] = {0};
    size_t ncps[FONT_NROLES] = {0};
    cids c = {0};
    if (ok) {
        for (int f = 0; f < FONT_NROLES; f++) {
            if (!used[f]) continue;
            text_cpset_add(&sets[f], ' ');
            cps[f] = text_cpset_list(&sets[f], &ncps[f]);
        }
        cids_arm(dw->utf8, &c, sets, used);
        for (int f = 0; ok && f < FONT_NROLES; f++)
            if (used[f]) ok = (dw->fonts[f] = embed_face(dw, f, cps[f], ncps[f], pe, err)) != NULL;
        cids_disarm(dw->utf8, &c);
        const HPDF_UINT16 *tab = cid_table(dw->utf8, &c);
        for (int f = 0; ok && f < FONT_NROLES; f++) {
            if (!used[f]) continue;
            ok = fix_tounicode(dw->fonts[f], cps[f], ncps[f], tab) &&
                 compact_widths(dw->pdf, dw->fonts[f], cps[f], ncps[f], tab);
            if (!ok) font_failed(dw, f, pe, err);
        }
    }
    if (ok) set_info(dw->pdf, opts, ch->title);
    if (ok && opts->pdfa) ok = set_pdfa(dw->pdf, opts, ch->title, err);
    /* PDF arrays hold at most 8,191 entries: a document with more pages
     * (a 20,000-person unit's registration) needs a tree of page nodes */
    if (ok && ch->pages > 8000) HPDF_SetPagesConfiguration(dw->pdf, 1000);
    for (int f = 0; f < FONT_NROLES; f++) free(cps[f]);
    free(c.cps);
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
    for (int f = 0; f < FONT_NROLES; f++) {
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
    chars ch = {.sets = xcalloc(FONT_NROLES, sizeof *ch.sets)};
    bool ok = ps->collect(ps->ctx, &dw, &ch, err) && embed_fonts(&dw, &ch, opts, pe, err);
    if (ok && !shared_resources(&dw)) {
        libharu_failed(err, pe);
        ok = false;
    }
    ok = ok && ps->draw(ps->ctx, &dw, &ch, pe, err);
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
    FILE *fp;                /* the file, or */
    sbuf *mem;               /* memory */
    HPDF_MD5_CTX md5;
    unsigned char *tail;     /* CHUNK + TAIL: what is not passed on yet */
    size_t ntail;
    bool failed;             /* fp: a write failed (errno says why) */
} id_writer;

static void id_emit(id_writer *w, const void *p, size_t n)
{
    if (w->failed || n == 0) return;
    if (w->mem) sbuf_add(w->mem, p, n);
    else if (fwrite(p, 1, n, w->fp) != n) w->failed = true;
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
        sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, strerror(errno));
        return false;
    }
    id_writer w = {.fp = o.fp};
    bool ok = save_through(pdf, &w);
    if (ok && !(ok = outfile_commit(&o))) w.failed = true;
    if (!ok) {
        int e = errno;
        outfile_abort(&o);     /* no-op after a failed commit */
        errno = e;
        if (w.failed) sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, strerror(errno));
        else libharu_failed(err, pe);
    }
    return ok;
}

/* The document with its /ID into memory. */
static bool save_mem(HPDF_Doc pdf, unsigned char **data, size_t *len)
{
    sbuf out = {0};
    id_writer w = {.mem = &out};
    if (!save_through(pdf, &w)) {
        sbuf_free(&out);
        return false;
    }
    *data = (unsigned char *)out.data;
    *len = out.len;
    return true;
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

bool pdfw_render(const lo_doc *const *docs, size_t ndocs, const char *const *outline,
                 const font_set *fs, const pdfw_opts *opts,
                 unsigned char **data, size_t *len, sbuf *err)
{
    *data = NULL;
    *len = 0;
    held h = {docs, outline};
    pdfw_source src = {ndocs, held_get, held_put, held_outline, &h};
    passes ps = {source_collect, source_draw, &src};
    pdf_err pe = {0, 0};
    HPDF_Doc pdf = build_doc(&ps, fs, opts ? opts : &DEFAULT_OPTS, &pe, err);
    if (!pdf) return false;
    bool ok = save_mem(pdf, data, len);
    if (!ok) libharu_failed(err, &pe);
    HPDF_Free(pdf);
    return ok;
}

bool pdfw_atomic_write(const char *path, const void *data, size_t len, sbuf *err)
{
    outfile o;
    bool ok = outfile_open(&o, path);
    if (ok) {
        ok = fwrite(data, 1, len, o.fp) == len;
        if (ok) ok = outfile_commit(&o);
        else outfile_abort(&o);
    }
    if (!ok) sbuf_printf(err, "无法写入 (WRITE_FAILED): %s: %s", path, strerror(errno));
    return ok;
}

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

/* ------------------------------------------- process-wide replacements
 *
 * Defined here, these replace the shared libraries' own for the whole
 * process: libhpdf calls them through its PLT, and the linker exports the
 * program's definitions because libhpdf uses those names. They are pure
 * functions (no state), so threads may call them at once. */

/* zlib's deflateInit: libharu 2.3.0 compresses every stream with
 * deflateInit(Z_DEFAULT_COMPRESSION), i.e. level 6, and has no setting for
 * the level. Level 1 (Z_BEST_SPEED) deflates content streams, fonts and
 * CIDToGIDMaps in half the time (callgrind) for ~2% more bytes, and it is
 * as deterministic. Only libharu calls deflateInit_ in this program:
 * libxlsxwriter (through minizip), libpng and libxml2 call deflateInit2_,
 * which is untouched, so their output does not change. An explicit level is
 * kept. The other arguments are those zlib's own deflateInit_ passes. */
int deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
    if (level == Z_DEFAULT_COMPRESSION) level = Z_BEST_SPEED;
    return deflateInit2_(strm, level, Z_DEFLATED, MAX_WBITS, 8, Z_DEFAULT_STRATEGY, version,
                         stream_size);
}

/* libharu 2.3.0's HPDF_MemCpy, HPDF_MemSet and HPDF_StrLen are loops of one
 * byte a step, under all of its stream writing (a CIDToGIDMap alone is
 * 65,536 writes of 2 bytes per font and document). Same results with libc:
 * HPDF_MemCpy returns out + n and copies forwards (as libharu's loop does
 * when the ranges overlap), HPDF_MemSet returns s + n. */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    if (out + n <= in || in + n <= out) {
        memcpy(out, in, n);
        return out + n;
    }
    while (n-- > 0) *out++ = *in++;
    return out;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    memset(s, c, n);
    return (HPDF_BYTE *)s + n;
}

HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen)
{
    if (!s) return 0;
    return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}

/* pdfw — see pdfw.h.
 *
 * libharu 2.3.0 internals used here (headers shipped by libhpdf-dev):
 *  - fonts are loaded from memory (HPDF_MemStream + HPDF_TTFontDef_Load and
 *    the document's font list) instead of a temp file;
 *  - the font's ToUnicode stream (HPDF_FontAttr.cmap_stream) is rewritten,
 *    because 2.3.0 writes `begincidrange` into it, which poppler rejects.
 * With the UTF-8 encoder a CID equals the Unicode code point (BMP), so the
 * correct ToUnicode map is the identity over the BMP. */
#include "pdfw.h"
#include "outfile.h"
#include "pdfchart.h"

#include <errno.h>
#include <fcntl.h>
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
#include <hpdf_streams.h>

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

/* Identity ToUnicode for the code points used (grouped in ranges that stay
 * within one high byte, as bfrange requires). */
static bool fix_tounicode(HPDF_Font font, const uint32_t *cps, size_t n)
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
        size_t j = i;
        while (j + 1 < n && cps[j + 1] == cps[j] + 1 && (cps[j + 1] >> 8) == (a >> 8)) j++;
        sbuf_printf(&body, "<%04X> <%04X> <%04X>\n", a, cps[j], a);
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

/* libharu writes one /W entry per code point whose width differs from the
 * notdef width, for every code point up to the highest in the font: rebuild
 * /DW as the commonest width of the characters used and /W as runs of the
 * others (a dense CJK page: ~9 KB less). */
static bool compact_widths(HPDF_Doc pdf, HPDF_Font font, const uint32_t *cps, size_t n)
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
        ok = run && HPDF_Array_AddNumber(arr, (HPDF_INT32)cps[i]) == HPDF_OK &&
             HPDF_Array_Add(arr, run) == HPDF_OK;
        size_t j = i;
        while (ok && j < nb && w[j] != dw && (j == i || cps[j] == cps[j - 1] + 1)) {
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
 * segments, and HPDF_GetFont asks for every one of the 65,536 code points
 * (CIDToGIDMap, /W), then once per character drawn (TextOut widths): with a
 * subset of N sparse CJK characters that is 65,536 x N steps per font per
 * document. Replace the parsed cmap by an equivalent flat one: one segment
 * 0000-FFFE whose glyph array is indexed by the code point itself, plus the
 * FFFF terminator. Same glyph for every code point, found at the first step. */
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
    unsigned i = 0;
    for (unsigned u = 0; u < 65535; u++) {
        while (i < nseg && c->end_count[i] < u) i++;
        HPDF_UINT16 gid = 0;
        if (i < nseg && c->start_count[i] <= u) {
            if (c->id_range_offset[i] == 0) {
                gid = (HPDF_UINT16)(u + c->id_delta[i]);
            } else {
                unsigned idx = c->id_range_offset[i] / 2 + (u - c->start_count[i]) - (nseg - i);
                if (idx < c->glyph_id_array_count && c->glyph_id_array)
                    gid = (HPDF_UINT16)(c->glyph_id_array[idx] + c->id_delta[i]);
            }
        }
        g[u] = gid;
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

static void draw_page(HPDF_Page page, const lo_doc *d, const lo_page *pg, size_t pno,
                      size_t npages, HPDF_Font *fonts, const font_set *fs, sbuf *tmp)
{
    double H = d->page_h * MM2PT;
    /* rules, grouped by weight; each edge drawn once */
    for (int wgt = TPL_BORDER_THIN; wgt <= TPL_BORDER_THICK; wgt++) {
        bool any = false;
        for (size_t i = 0; i < pg->ncells; i++) {
            const lo_cell *c = &pg->cells[i];
            double x1 = c->x * MM2PT, x2 = (c->x + c->w) * MM2PT;
            double y1 = H - c->y * MM2PT, y2 = H - (c->y + c->h) * MM2PT;
            for (int s = 0; s < 4; s++) {
                if (c->border[s] != wgt) continue;
                if (!any) {
                    HPDF_Page_SetLineWidth(page, border_pt((unsigned char)wgt));
                    HPDF_Page_SetLineCap(page, HPDF_PROJECTING_SCUARE_END);
                    any = true;
                }
                switch (s) {
                case TPL_SIDE_TOP: HPDF_Page_MoveTo(page, x1, y1); HPDF_Page_LineTo(page, x2, y1); break;
                case TPL_SIDE_RIGHT: HPDF_Page_MoveTo(page, x2, y1); HPDF_Page_LineTo(page, x2, y2); break;
                case TPL_SIDE_BOTTOM: HPDF_Page_MoveTo(page, x1, y2); HPDF_Page_LineTo(page, x2, y2); break;
                case TPL_SIDE_LEFT: HPDF_Page_MoveTo(page, x1, y1); HPDF_Page_LineTo(page, x1, y2); break;
                }
            }
        }
        if (any) HPDF_Page_Stroke(page);
    }
    /* text */
    HPDF_Page_BeginText(page);
    int cur_face = -1;
    double cur_size = -1;
    sbuf line = {0};
    for (size_t i = 0; i < pg->ncells; i++) {
        const lo_cell *c = &pg->cells[i];
        if (c->nlines == 0) continue;
        int face = font_face_id(fs, c->font);
        if (face != cur_face || c->size != cur_size) {
            HPDF_Page_SetFontAndSize(page, fonts[face], c->size);
            cur_face = face;
            cur_size = c->size;
        }
        double asc = font_ascender(fs, c->font), desc = font_descender(fs, c->font);
        double base = asc / (asc - desc);   /* baseline within the em box */
        double pitch = c->size * c->leading;
        for (size_t k = 0; k < c->nlines; k++) {
            const text_line *l = &c->lines[k];
            if (l->end <= l->start) continue;
            double lx;
            double inner = (c->w - 2 * c->pad) * MM2PT;
            switch (c->halign) {
            case TPL_CENTER: lx = c->x * MM2PT + c->pad * MM2PT + (inner - l->width) / 2; break;
            case TPL_RIGHT: lx = (c->x + c->w - c->pad) * MM2PT - l->width; break;
            default: lx = (c->x + c->pad) * MM2PT; break;
            }
            double top = (c->y + c->text_top) * MM2PT + k * pitch;
            double ly = H - top - c->size * base;
            sbuf_clear(&line);
            sbuf_add(&line, c->text + l->start, l->end - l->start);
            HPDF_Page_TextOut(page, lx, ly, line.data);
        }
    }
    /* header and footer */
    const lo_hf *hfs[2] = {&d->header, &d->footer};
    for (int h = 0; h < 2; h++) {
        const lo_hf *hf = hfs[h];
        for (int p = 0; p < 3; p++) {
            if (!hf->part[p] || !hf->part[p][0]) continue;
            hf_text(tmp, hf->part[p], pno, npages);
            int face = font_face_id(fs, hf->font);
            if (face != cur_face || hf->size != cur_size) {
                HPDF_Page_SetFontAndSize(page, fonts[face], hf->size);
                cur_face = face;
                cur_size = hf->size;
            }
            text_metrics m = font_metrics(fs, hf->font);
            double w = text_width(&m, tmp->data, tmp->len, hf->size);
            double left = d->margin[TPL_SIDE_LEFT] * MM2PT;
            double right = (d->page_w - d->margin[TPL_SIDE_RIGHT]) * MM2PT;
            double x = p == 0 ? left : p == 1 ? (left + right - w) / 2 : right - w;
            double asc = font_ascender(fs, hf->font), desc = font_descender(fs, hf->font);
            double y;
            if (h == 0) y = H - d->header_margin * MM2PT - hf->size * asc / (asc - desc);
            else y = d->footer_margin * MM2PT + hf->size * (-desc) / (asc - desc);
            HPDF_Page_TextOut(page, x, y, tmp->data);
        }
    }
    HPDF_Page_EndText(page);
    sbuf_free(&line);
}

/* Insert /ID [<md5><md5>] into the trailer (after the xref table: no offsets move). */
static bool inject_id(unsigned char **data, size_t *len)
{
    HPDF_MD5_CTX ctx;
    HPDF_BYTE dig[16];
    HPDF_MD5Init(&ctx);
    HPDF_MD5Update(&ctx, *data, (HPDF_UINT32)*len);
    HPDF_MD5Final(dig, &ctx);
    /* last "trailer" */
    size_t pos = *len;
    const char *key = "trailer";
    size_t kl = strlen(key);
    while (pos > kl) {
        pos--;
        if (pos + kl <= *len && !memcmp(*data + pos, key, kl)) break;
    }
    if (pos <= kl) return false;
    unsigned char *lt = memchr(*data + pos, '<', *len - pos);
    if (!lt || lt + 1 >= *data + *len || lt[1] != '<') return false;
    size_t at = (size_t)(lt - *data) + 2;
    char ins[96];
    int n = snprintf(ins, sizeof ins, "\n/ID [<");
    for (int i = 0; i < 16; i++) n += snprintf(ins + n, sizeof ins - (size_t)n, "%02X", dig[i]);
    n += snprintf(ins + n, sizeof ins - (size_t)n, "> <");
    for (int i = 0; i < 16; i++) n += snprintf(ins + n, sizeof ins - (size_t)n, "%02X", dig[i]);
    n += snprintf(ins + n, sizeof ins - (size_t)n, ">]");
    unsigned char *out = xmalloc(*len + (size_t)n);
    memcpy(out, *data, at);
    memcpy(out + at, ins, (size_t)n);
    memcpy(out + at + n, *data + at, *len - at);
    free(*data);
    *data = out;
    *len += (size_t)n;
    return true;
}

bool pdfw_render(const lo_doc *const *docs, size_t ndocs, const char *const *outline,
                 const font_set *fs, const pdfw_opts *opts,
                 unsigned char **data, size_t *len, sbuf *err)
{
    pdfw_opts defopts = {NULL, NULL, -1, false};
    if (!opts) opts = &defopts;
    *data = NULL;
    *len = 0;
    pdf_err pe = {0, 0};
    HPDF_Doc pdf = HPDF_New(on_error, &pe);
    if (!pdf) {
        sbuf_puts(err, "PDF 文档创建失败 (PDF_FAILED)");
        return false;
    }
    bool ok = false;
    sbuf tmp = {0};
    text_cpset *sets = xcalloc(FONT_NROLES, sizeof *sets);
    HPDF_Font fonts[FONT_NROLES] = {0};
    bool used[FONT_NROLES] = {0};

    HPDF_SetCompressionMode(pdf, opts->no_compress ? HPDF_COMP_NONE : HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");

    /* characters per face: lay out first, draw second */
    for (size_t di = 0; di < ndocs; di++) {
        const lo_doc *d = docs[di];
        for (size_t p = 0; p < d->npages; p++) {
            const lo_page *pg = &d->pages[p];
            for (size_t i = 0; i < pg->ncells; i++) {
                const lo_cell *c = &pg->cells[i];
                if (!c->nlines) continue;
                used[font_face_id(fs, c->font)] = true;
                collect(sets, fs, c->font, c->text);
            }
        }
        pdfchart_collect(d->chart, fs, sets, used);
        const lo_hf *hfs[2] = {&d->header, &d->footer};
        for (int h = 0; h < 2; h++) {
            bool any = false;
            for (int p = 0; p < 3; p++) {
                if (!hfs[h]->part[p] || !hfs[h]->part[p][0]) continue;
                any = true;
                hf_text(&tmp, hfs[h]->part[p], 0, 0);
                collect(sets, fs, hfs[h]->font, tmp.data);
            }
            if (any) {
                used[font_face_id(fs, hfs[h]->font)] = true;
                collect(sets, fs, hfs[h]->font, "0123456789");
            }
        }
    }
    for (int f = 0; f < FONT_NROLES; f++) {
        if (!used[f]) continue;
        font_role role = FONT_SONG;
        for (int r = 0; r < FONT_NROLES; r++)
            if (font_face_id(fs, (font_role)r) == f) { role = (font_role)r; break; }
        text_cpset_add(&sets[f], ' ');
        size_t n;
        uint32_t *cps = text_cpset_list(&sets[f], &n);
        unsigned char *sub;
        size_t sublen;
        if (!font_subset(fs, role, cps, n, &sub, &sublen, err)) {
            free(cps);
            goto done;
        }
        /* subset tag from the subset's content: deterministic, distinct */
        HPDF_MD5_CTX ctx;
        HPDF_BYTE dig[16];
        HPDF_MD5Init(&ctx);
        HPDF_MD5Update(&ctx, sub, (HPDF_UINT32)sublen);
        HPDF_MD5Final(dig, &ctx);
        char tag[7];
        for (int k = 0; k < 6; k++) tag[k] = (char)('A' + dig[k] % 26);
        tag[6] = 0;
        const char *name = load_font_mem(pdf, sub, sublen, tag);
        free(sub);
        if (name) fonts[f] = HPDF_GetFont(pdf, name, "UTF-8");
        if (!name || !fonts[f] || !fix_tounicode(fonts[f], cps, n) || !compact_widths(pdf, fonts[f], cps, n)) {
            free(cps);
            sbuf_printf(err, "PDF 字体嵌入失败 (PDF_FONT_FAILED): %s (libharu 0x%04X)",
                        font_path(fs, role), (unsigned)pe.code);
            goto done;
        }
        free(cps);
    }

    if (opts->title || (ndocs && docs[0]->title && docs[0]->title[0]))
        HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, opts->title ? opts->title : docs[0]->title);
    if (opts->author) HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, opts->author);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "kaohe (libharu)");
    if (opts->epoch >= 0) {
        set_date(pdf, HPDF_INFO_CREATION_DATE, opts->epoch);
        set_date(pdf, HPDF_INFO_MOD_DATE, opts->epoch);
    }

    /* PDF arrays hold at most 8,191 entries: a document with more pages
     * (a 20,000-person unit's registration) needs a tree of page nodes */
    size_t total_pages = 0;
    for (size_t di = 0; di < ndocs; di++) total_pages += docs[di]->npages;
    if (total_pages > 8000) HPDF_SetPagesConfiguration(pdf, 1000);
    HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
    for (size_t di = 0; di < ndocs; di++) {
        const lo_doc *d = docs[di];
        for (size_t p = 0; p < d->npages; p++) {
            HPDF_Page page = HPDF_AddPage(pdf);
            if (!page) goto fail;
            HPDF_Page_SetWidth(page, d->page_w * MM2PT);
            HPDF_Page_SetHeight(page, d->page_h * MM2PT);
            draw_page(page, d, &d->pages[p], p + 1, d->npages, fonts, fs, &tmp);
            if (d->pages[p].chart) pdfchart_draw(page, d, &d->pages[p], fonts, fs);
            if (p == 0 && outline && outline[di]) {
                HPDF_Outline o = HPDF_CreateOutline(pdf, NULL, outline[di], utf8);
                HPDF_Destination dst = HPDF_Page_CreateDestination(page);
                if (o && dst) HPDF_Outline_SetDestination(o, dst);   /* /Fit */
            }
            if (pe.code) goto fail;
        }
    }
    if (HPDF_SaveToStream(pdf) != HPDF_OK) goto fail;
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    unsigned char *buf = xmalloc(size ? size : 1);
    HPDF_UINT32 got = size;
    HPDF_ResetStream(pdf);
    if (HPDF_ReadFromStream(pdf, buf, &got) != HPDF_OK && got != size) {
        free(buf);
        goto fail;
    }
    *data = buf;
    *len = got;
    if (!inject_id(data, len)) {
        free(*data);
        *data = NULL;
        *len = 0;
        goto fail;
    }
    ok = true;
    goto done;
fail:
    sbuf_printf(err, "PDF 生成失败 (PDF_FAILED): libharu 0x%04X/%u", (unsigned)pe.code,
                (unsigned)pe.detail);
done:
    for (int f = 0; f < FONT_NROLES; f++) text_cpset_free(&sets[f]);
    free(sets);
    sbuf_free(&tmp);
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

bool pdfw_write_docs(const lo_doc *const *docs, size_t ndocs, const char *const *outline,
                     const font_set *fs, const pdfw_opts *opts, const char *path, sbuf *err)
{
    unsigned char *data;
    size_t len;
    if (!pdfw_render(docs, ndocs, outline, fs, opts, &data, &len, err)) return false;
    bool ok = pdfw_atomic_write(path, data, len, err);
    free(data);
    return ok;
}

bool pdfw_write(const lo_doc *doc, const font_set *fs, const pdfw_opts *opts,
                const char *path, sbuf *err)
{
    const lo_doc *docs[1] = {doc};
    return pdfw_write_docs(docs, 1, NULL, fs, opts, path, err);
}

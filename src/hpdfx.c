/* hpdfx — see hpdfx.h.
 *
 * Everything here reads or writes libharu 2.3.0's private structures
 * (HPDF_FontAttr, HPDF_TTFontDefAttr, the encoder's maps, the page's
 * stream and font list, the document's xref and stream), through the
 * private headers hpdf_patch.h includes behind its version guard. pdfw
 * draws with the public API and calls these where the public API cannot do
 * what it needs, or does it too slowly; each function says why. */
#include "hpdfx.h"
#include "util.h"

#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- fonts */

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

/* From memory, not from a temp file as HPDF_LoadTTFontFromFile would. */
const char *hpdfx_load_font(HPDF_Doc pdf, const unsigned char *data, size_t len, const char tag[6],
                            const uint32_t *cids, const uint32_t *gids, size_t n)
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
    for (size_t i = 0; i < n; i++) c->glyph_id_array[hpdfx_cid_code(cids[i])] = (HPDF_UINT16)gids[i];
    HPDF_TTFontDef_SetTagName(def, (char *)tag);
    return def->base_font;
}

/* libharu makes a descriptor at save time only for a font that has none,
 * by rebuilding the font program (every table re-read 4 bytes at a time,
 * glyf cut again by its own usage flags): a tenth of the time of a
 * registration PDF, to remake what HarfBuzz has just made. Here the font
 * gets the descriptor libharu would make, with the subset's bytes as they
 * are for FontFile2: the same entries as CIDFontType2_BeforeWrite_Func of libharu 2.3.0, which then
 * keeps this one. The glyph ids are the subset's either way (libharu's
 * rebuild keeps them), so the CIDToGIDMap stays right. Everything made here
 * belongs to the document's xref, freed with the document. */
bool hpdfx_embed_subset(HPDF_Doc pdf, HPDF_Font font, const unsigned char *data, size_t len)
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


/* libharu writes one /W entry per CID whose width differs from the notdef
 * width: rebuild /DW as the commonest width and /W as runs of the others
 * over consecutive CIDs (a dense CJK page: ~9 KB less). */
bool hpdfx_set_widths(HPDF_Doc pdf, HPDF_Font font, const int *w, const uint32_t *cids, size_t n)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    if (!attr || !attr->descendant_font) return false;
    int dw = n ? w[0] : 1000, best = 0;   /* the commonest width */
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
        ok = run && HPDF_Array_AddNumber(arr, (HPDF_INT32)cids[i]) == HPDF_OK && HPDF_Array_Add(arr, run) == HPDF_OK;
        size_t j = i;
        while (ok && j < n && w[j] != dw && (j == i || cids[j] == cids[j - 1] + 1)) {
            ok = HPDF_Array_AddNumber(run, w[j]) == HPDF_OK;
            j++;
        }
        i = j;
    }
    if (!ok) return false;
    return HPDF_Dict_AddNumber(attr->descendant_font, "DW", dw) == HPDF_OK &&
           HPDF_Dict_Add(attr->descendant_font, "W", arr) == HPDF_OK;
}

int hpdfx_glyph_width(HPDF_Font font, uint32_t gid)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    if (!attr || !attr->fontdef) return 0;
    return HPDF_TTFontDef_GetGidWidth(attr->fontdef, (HPDF_UINT16)gid);
}

/* libharu 2.3.0 writes `begincidrange` into a font's ToUnicode, which
 * poppler rejects: the stream's bytes are replaced by the caller's. */
bool hpdfx_set_tounicode(HPDF_Font font, const char *cmap, size_t len)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    if (!attr || !attr->cmap_stream || !attr->cmap_stream->stream) return false;
    HPDF_Stream st = attr->cmap_stream->stream;
    HPDF_MemStream_FreeData(st);
    return HPDF_Stream_Write(st, (const HPDF_BYTE *)cmap, (HPDF_UINT)len) == HPDF_OK;
}

/* ---------------------------------------------------------------- CIDs (see hpdfx.h) */

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

/* The encoder ready for HPDF_GetFont: CIDs 1..n at slots HPDFX_CID_SLOT0.., and
 * one more (libharu's loop stops before the highest CID it finds). n is
 * at most HPDFX_MAX_CIDS, so the slots fit. */
void hpdfx_cids_arm(HPDF_Encoder enc, hpdfx_cids *c, uint32_t ncid)
{
    HPDF_UINT16 *cm = enc_cid_map(enc);
    HPDF_UNICODE *um = enc_unicode_map(enc);
    memcpy(c->saved, cm, sizeof c->saved);
    memset(cm, 0, sizeof c->saved);
    for (uint32_t cid = 1; cid <= ncid; cid++) {
        cm[HPDFX_CID_SLOT0 + cid - 1] = (HPDF_UINT16)cid;
        um[HPDFX_CID_SLOT0 + cid - 1] = (HPDF_UNICODE)hpdfx_cid_code(cid);
    }
    cm[HPDFX_CID_SLOT0 + ncid] = (HPDF_UINT16)(ncid + 1);
    um[HPDFX_CID_SLOT0 + ncid] = 0xFFFF;   /* glyph 0 in any font, and not in the map */
    c->to_unicode = enc->to_unicode_fn;
    enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
}

/* The encoder back to UTF-8, encoding text as the dense CIDs. */
void hpdfx_cids_disarm(HPDF_Encoder enc, hpdfx_cids *c, uint32_t ncid)
{
    HPDF_UINT16 *cm = enc_cid_map(enc);
    HPDF_UNICODE *um = enc_unicode_map(enc);
    memset(cm + HPDFX_CID_SLOT0, 0, (ncid + 1) * sizeof *cm);
    memcpy(cm, c->saved, sizeof c->saved);
    enc->to_unicode_fn = c->to_unicode;
    memset(um, 0, 65536 * sizeof *um);
    for (uint32_t cid = 1; cid <= ncid; cid++) um[hpdfx_cid_code(cid)] = (HPDF_UNICODE)cid;
    enc->encode_text_fn = encode_cids;
}

/* ---------------------------------------------------------------- resources */

/* One /Resources object for every page, naming the document's fonts F1..Fn
 * in face order. libharu gives each page its own: a ProcSet of 5 names and
 * a Font dict naming fonts in the order the page first uses them, ~1.5 KB
 * of objects a page held until the save (3 MB in the registration of a unit
 * of 1,000 persons) and ~90 bytes a page in the file. */
bool hpdfx_shared_resources(HPDF_Doc pdf, const HPDF_Font *fonts, int nfonts, hpdfx_resources *out)
{
    static const char *const procs[] = {"PDF", "Text", "ImageB", "ImageC", "ImageI"};
    HPDF_MMgr mm = pdf->mmgr;
    HPDF_Dict res = HPDF_Dict_New(mm);
    if (!res || HPDF_Xref_Add(pdf->xref, res) != HPDF_OK) return false;   /* Xref_Add frees on failure */
    HPDF_Array procset = HPDF_Array_New(mm);
    HPDF_Dict fdict = HPDF_Dict_New(mm);
    if (!procset || HPDF_Dict_Add(res, "ProcSet", procset) != HPDF_OK) {
        if (fdict) HPDF_Dict_Free(fdict);
        return false;
    }
    if (!fdict || HPDF_Dict_Add(res, "Font", fdict) != HPDF_OK) return false;
    for (size_t i = 0; i < sizeof procs / sizeof *procs; i++)
        if (HPDF_Array_Add(procset, HPDF_Name_New(mm, procs[i])) != HPDF_OK) return false;
    char name[16];
    int k = 0;
    for (int f = 0; f < nfonts; f++) {
        if (!fonts[f]) continue;
        snprintf(name, sizeof name, "F%d", ++k);
        if (HPDF_Dict_Add(fdict, name, fonts[f]) != HPDF_OK) return false;
    }
    out->res = res;
    out->fonts = fdict;
    return true;
}

/* The page's own resources (freed by the Dict_Add) give way to the shared
 * ones, and its fonts are looked up, and named, there. */
bool hpdfx_page_use(HPDF_Page page, const hpdfx_resources *r)
{
    if (HPDF_Dict_Add(page, "Resources", r->res) != HPDF_OK) return false;
    ((HPDF_PageAttr)page->attr)->fonts = r->fonts;
    return true;
}

/* libharu shows nothing of a text with no width (HPDF_Page_TextOut skips
 * it): such a run (marks alone in their face) is written here as hex. */
void hpdfx_page_show_hex(HPDF_Page page, const char *hex)
{
    HPDF_Stream st = ((HPDF_PageAttr)page->attr)->stream;
    HPDF_Stream_WriteStr(st, "<");
    HPDF_Stream_WriteStr(st, hex);
    HPDF_Stream_WriteStr(st, "> Tj\012");
}

/* libharu's UTF-8 strings drop the characters beyond U+FFFF: the title is
 * set as the caller's UTF-16BE bytes. */
bool hpdfx_outline_title(HPDF_Doc pdf, HPDF_Outline o, const void *utf16be, size_t len)
{
    HPDF_Binary t = HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)utf16be, (HPDF_UINT)len);
    return t && HPDF_Dict_Add(o, "Title", t) == HPDF_OK;
}

/* ---------------------------------------------------------------- streams */

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
#define HPDFX_DEFLATE_LEVEL 1

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

void hpdfx_deflater_free(hpdfx_deflater *z)
{
    if (z->c) libdeflate_free_compressor(z->c);
    sbuf_free(&z->in);
    free(z->out);
    memset(z, 0, sizeof *z);
}

/* The stream of dict d deflated in place, when libharu would deflate it and
 * has not yet written it. false only when libharu failed to take the bytes. */
static bool deflate_dict(hpdfx_deflater *z, HPDF_Dict d)
{
    if (!d || !d->stream || d->filter != HPDF_STREAM_FILTER_FLATE_DECODE || d->write_fn ||
        d->stream->type != HPDF_STREAM_MEMORY)
        return true;
    if (!z->tried) {
        z->tried = true;
        z->c = libdeflate_alloc_compressor(HPDFX_DEFLATE_LEVEL);
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
bool hpdfx_deflate_rest(HPDF_Doc pdf, hpdfx_deflater *z)
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

/* ---------------------------------------------------------------- output */

bool hpdfx_deflate_page(hpdfx_deflater *z, HPDF_Page page)
{
    return deflate_dict(z, ((HPDF_PageAttr)page->attr)->contents);
}

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

bool hpdfx_save(HPDF_Doc pdf, FILE *fp, bool *write_failed)
{
    id_writer w = {.fp = fp};
    bool ok = save_through(pdf, &w);
    *write_failed = w.failed;
    return ok;
}

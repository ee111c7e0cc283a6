/* hpdfx — what kaohe does inside libharu 2.3.0's documents that its public
 * API cannot do, or does too slowly: fonts from memory with our HarfBuzz
 * subset as the font program, the dense-CID text encoding with its ToUnicode
 * and /W, one /Resources shared by every page, streams deflated with
 * libdeflate, and the save through a callback stream that adds /ID. The only
 * module besides hpdf_patch (the replaced functions and the version guard)
 * and pdfa that reads libharu's private structures; pdfw draws with the
 * public API and calls these. */
#ifndef KAOHE_HPDFX_H
#define KAOHE_HPDFX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hpdf_patch.h"
#include "util.h"

/* ---------------------------------------------------------------- CIDs
 *
 * With libharu's UTF-8 encoder a CID is the code point itself: the BMP
 * only (libharu 2.3.0 turns any other character into a space), one glyph
 * per code point, and HPDF_GetFont (CIDFontType2_New) pays for the whole
 * BMP for each font of each document: a glyph lookup for each of the 65,536
 * code points, a width for each, and a CIDToGIDMap of 2 bytes per CID for
 * all of them: 128 KB whatever the text. Instead, the glyphs a document
 * draws (every face's) get the dense CIDs 1..n, and CID k is written into
 * libharu's UTF-8 text as the code point hpdfx_cid_code(k) (k itself below
 * the surrogates, k + 0x800 above), which stands for nothing else:
 * characters beyond the BMP, composed marks and variants all draw:
 *  - each font's flattened cmap maps hpdfx_cid_code(k) to the subset's glyph
 *    of CID k when the CID is that face's (hpdfx_load_font), nothing else;
 *  - during HPDF_GetFont the encoder takes the form libharu's loop reads for
 *    a CMap encoder (to_unicode_fn == HPDF_CMapEncoder_ToUnicode, and a
 *    non-zero cid_map entry with its unicode_map entry per CID): the loop
 *    then looks up n glyphs, and the /W and CIDToGIDMap it makes cover CIDs
 *    0..n (hpdfx_cids_arm);
 *  - afterwards the UTF-8 functions are back, the cid_map zero again (its
 *    first entries are the UTF-8 parser's state), and unicode_map holds the
 *    CID of each code (0 for the others), read by the encoder's new text
 *    encoding: the same parse as libharu's UTF-8 encoding (same functions),
 *    the CID in place of the code point (hpdfx_cids_disarm). Nothing else
 *    reads a UTF-8 encoder's unicode_map or cid_map; strings (outline
 *    titles, document info) still go by code point;
 *  - /W and ToUnicode are rebuilt keyed by these CIDs (hpdfx_set_widths,
 *    hpdfx_set_tounicode), the ToUnicode mapping each CID to its text.
 * All of it lives in the document's own encoder: no shared state. */

/* Most CIDs a document can have: the codes skip the surrogates and end
 * below U+FFFE. */
#define HPDFX_MAX_CIDS (0xFFFDu - 0x800u)

/* The code point that stands for CID cid in the UTF-8 text given to libharu. */
static inline uint32_t hpdfx_cid_code(uint32_t cid) { return cid < 0xD800 ? cid : cid + 0x800; }

enum { HPDFX_CID_SLOT0 = 8 };   /* cid_map entries before this hold the UTF-8 parser's state */

/* The encoder's state kept between arm and disarm. */
typedef struct hpdfx_cids {
    HPDF_UINT16 saved[HPDFX_CID_SLOT0];
    HPDF_Encoder_ToUnicode_Func to_unicode;
} hpdfx_cids;

/* The UTF-8 encoder enc ready for HPDF_GetFont of fonts drawing CIDs
 * 1..ncid (ncid <= HPDFX_MAX_CIDS). Call hpdfx_cids_disarm after the last
 * HPDF_GetFont, before any text is drawn. */
void hpdfx_cids_arm(HPDF_Encoder enc, hpdfx_cids *c, uint32_t ncid);

/* enc back to UTF-8 parsing, encoding text as the dense CIDs. */
void hpdfx_cids_disarm(HPDF_Encoder enc, hpdfx_cids *c, uint32_t ncid);

/* ---------------------------------------------------------------- fonts */

/* A TrueType font program (a subset) loaded from memory into pdf under the
 * subset tag (6 letters); its cmap made flat (one lookup a character, not a
 * scan of the segments) and mapping the code of cids[i] to the glyph
 * gids[i], nothing else. Returns the name for HPDF_GetFont, NULL on failure
 * (what was taken is freed with the document). */
const char *hpdfx_load_font(HPDF_Doc pdf, const unsigned char *data, size_t len, const char tag[6],
                            const uint32_t *cids, const uint32_t *gids, size_t n);

/* The font (from HPDF_GetFont of a hpdfx_load_font name) gets its
 * descriptor now, with data[0..len) as FontFile2, so libharu does not
 * rebuild the font program at save time. */
bool hpdfx_embed_subset(HPDF_Doc pdf, HPDF_Font font, const unsigned char *data, size_t len);

/* The advance of glyph gid of the font, in 1/1000 em. */
int hpdfx_glyph_width(HPDF_Font font, uint32_t gid);

/* /DW and /W of the font from the widths w[i] of CIDs cids[i] (ascending). */
bool hpdfx_set_widths(HPDF_Doc pdf, HPDF_Font font, const int *w, const uint32_t *cids, size_t n);

/* The font's ToUnicode stream replaced by cmap[0..len) (a whole CMap). */
bool hpdfx_set_tounicode(HPDF_Font font, const char *cmap, size_t len);

/* ---------------------------------------------------------------- pages */

/* One /Resources for every page, naming fonts[0..nfonts) that are not NULL
 * F1..Fn in that order. libharu gives each page its own: a ProcSet of 5
 * names and a Font dict naming fonts in the order the page first uses them,
 * ~1.5 KB of objects a page held until the save and ~90 bytes a page in
 * the file. */
typedef struct hpdfx_resources {
    HPDF_Dict res, fonts;
} hpdfx_resources;

bool hpdfx_shared_resources(HPDF_Doc pdf, const HPDF_Font *fonts, int nfonts, hpdfx_resources *out);

/* A new page takes the shared resources (before anything is drawn on it). */
bool hpdfx_page_use(HPDF_Page page, const hpdfx_resources *r);

/* Show the CIDs in hex (4 digits each) at the text position: a run that
 * HPDF_Page_TextOut would drop because it has no width. */
void hpdfx_page_show_hex(HPDF_Page page, const char *hex);

/* The outline entry's title as UTF-16BE bytes (with its BOM): libharu's
 * UTF-8 strings drop characters beyond U+FFFF. */
bool hpdfx_outline_title(HPDF_Doc pdf, HPDF_Outline o, const void *utf16be, size_t len);

/* ---------------------------------------------------------------- streams */

/* libdeflate's compressor and a scratch buffer, for one document. */
typedef struct hpdfx_deflater {
    struct libdeflate_compressor *c;   /* NULL: not made yet, or no memory (then zlib does it) */
    bool tried;
    sbuf in;
    unsigned char *out;
    size_t cap;
} hpdfx_deflater;

void hpdfx_deflater_free(hpdfx_deflater *z);

/* The page's contents deflated now, when drawn (the document then holds a
 * page's few compressed KB, not its drawing). false: libharu failed. */
bool hpdfx_deflate_page(hpdfx_deflater *z, HPDF_Page page);

/* Every stream of the document not deflated yet (ToUnicode, fonts). */
bool hpdfx_deflate_rest(HPDF_Doc pdf, hpdfx_deflater *z);

/* Save pdf into fp with /ID [<md5> <md5>] of its bytes in the trailer.
 * false: libharu failed, or a write did (*write_failed, errno says why). */
bool hpdfx_save(HPDF_Doc pdf, FILE *fp, bool *write_failed);

#endif

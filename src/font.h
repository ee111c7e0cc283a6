/* font — the four font roles of the official forms (song 宋, hei 黑, kai 楷,
 * fang 仿宋) mapped to configurable TrueType (glyf) files; glyph advances and
 * coverage through HarfBuzz; subsetting with hb-subset to the characters a
 * document uses. A font_set is immutable once opened and may be shared by any
 * number of threads (measuring only reads it; subsetting a fallback face
 * first makes that face's subsetting source, once, under a lock of its own). */
#ifndef KAOHE_FONT_H
#define KAOHE_FONT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "text.h"
#include "util.h"

typedef enum font_role {
    FONT_SONG = 0,
    FONT_HEI,
    FONT_KAI,
    FONT_FANG,
    FONT_NROLES
} font_role;

/* At most this many faces in a set: the roles' own and the fallbacks. */
#define FONT_MAX_FACES 12
/* Drawn (and measured) for a character no face has: WHITE SQUARE □, so the
 * officer sees where to write it by hand. */
#define FONT_PLACEHOLDER 0x25A1u

/* Where a role's font comes from. */
typedef struct font_spec {
    const char *path;        /* TrueType .ttf or .ttc with glyf outlines */
    unsigned index;          /* face index inside a .ttc */
    const char *sheet_name;  /* font name written into XLSX cells; NULL: the file's family name */
} font_spec;

/* The free defaults: AR PL UMing CN (uming.ttc face 0) for song and fang,
 * AR PL UKai CN (ukai.ttc face 0) for kai, WenQuanYi Micro Hei
 * (wqy-microhei.ttc face 0) for hei. */
void font_default_specs(font_spec out[FONT_NROLES]);

/* "song" "hei" "kai" "fang" (also 宋 黑 楷 仿宋) → role. */
bool font_role_parse(const char *name, font_role *out);
const char *font_role_name(font_role r);

typedef struct font_set font_set;

/* Open the fonts of every role (specs NULL: defaults), and the fallback
 * faces tried after a role's own face for the characters it lacks (rare
 * ideographs of CJK Extensions A-G, marks, other scripts: see
 * fonts/README.md; a fallback file that is not installed is skipped). Roles
 * naming the same file and index share one face. NULL on failure with a
 * message in err. */
font_set *font_set_open(const font_spec *specs, sbuf *err);
void font_set_free(font_set *fs);

/* Advance of cp in em as drawn for the role: from the first face of its
 * chain that has cp, the placeholder's when none has it, 0 for invisible
 * characters (ZWJ, variation selectors, ...) and non-spacing marks. */
double font_advance(const font_set *fs, font_role r, uint32_t cp);
/* Does some face of the role's chain have a glyph for cp? */
bool font_has(const font_set *fs, font_role r, uint32_t cp);
/* Does every role's chain have cp (it prints whatever the role)? */
bool font_prints(const font_set *fs, uint32_t cp);
/* Does the role's own face (no fallback) have cp? */
bool font_own_face_has(const font_set *fs, font_role r, uint32_t cp);

/* Faces of the set: ids 0..font_face_count-1 (font_face_id gives a role's
 * own face; the fallbacks follow). */
int font_face_count(const font_set *fs);
const char *font_face_path(const font_set *fs, int face);

/* What a cluster draws: a base character with the combining marks,
 * variation selectors and invisible controls after it; or a run of a script
 * that is shaped (Arabic, Hebrew, Thai, Indic, ...), at most FONT_RUN_CPS
 * code points. */
#define FONT_CLUSTER_GLYPHS 64
#define FONT_RUN_CPS 32
typedef struct font_glyph {
    int face;                /* face id */
    uint32_t gid;            /* glyph id in that face */
    uint32_t cp;             /* the code point whose glyph it is (composed, placeholder, mark) */
    double advance;          /* em; 0 for a mark drawn over the glyph before it */
    size_t from, to;         /* bytes of the source this glyph stands for (its text when extracted;
                              * from == to: none, another glyph of its cluster carries it) */
    double dx, dy;           /* em: where the glyph is drawn from the pen (placed clusters) */
} font_glyph;

typedef struct font_cluster {
    font_glyph g[FONT_CLUSTER_GLYPHS];
    size_t n;                /* 0: nothing drawn (an invisible character) */
    size_t end;              /* byte offset after the cluster */
    uint32_t missing;        /* a code point no face has (drawn as FONT_PLACEHOLDER), 0: none */
    bool simple;             /* one BMP character, g[0].cp, drawn as its own glyph of the role's face */
    bool placed;             /* shaped by HarfBuzz: each glyph drawn at pen + (dx, dy), in visual
                              * order (right-to-left scripts reversed), then the pen moves by advance */
} font_cluster;

/* The cluster of s[0..len) starting at byte pos, for the role: the base
 * composed with its marks where a face has the composed character (e +
 * U+0301 → é), the variant a variation selector picks where the face has it,
 * invisible characters not drawn (their text goes with the glyph before
 * them), each glyph from the first face of the role's chain that has it.
 * Marks left after composing are placed by HarfBuzz (hb_shape, the face's
 * mark positioning) when one face has the base and every mark. A character
 * of a script that is shaped starts a run: it, the characters of its script
 * after it and the spaces, marks and invisible controls among them, shaped
 * by HarfBuzz with the first face of the chain that has them all (joining
 * forms, ligatures, mark positions), right-to-left scripts in visual order
 * (placed). */
void font_cluster_next(const font_set *fs, font_role r, const char *s, size_t len, size_t pos,
                       font_cluster *out);
/* The first code point of s[0..len) that no face of the role's chain has
 * (it prints as the placeholder), or 0. */
uint32_t font_missing(const font_set *fs, font_role r, const char *s, size_t len);
/* Metrics callback for the text module. */
text_metrics font_metrics(const font_set *fs, font_role r);
/* Ascender and descender in em (descender negative), from hhea/OS2. */
double font_ascender(const font_set *fs, font_role r);
double font_descender(const font_set *fs, font_role r);
/* Identity of the face behind a role: roles with equal ids use one face. */
int font_face_id(const font_set *fs, font_role r);
/* Font name for spreadsheets (spec sheet_name, else the family name). */
const char *font_sheet_name(const font_set *fs, font_role r);
const char *font_path(const font_set *fs, font_role r);

/* Subset the role's face to the code points cps[0..n) (those the font lacks
 * are skipped) with glyphs renumbered. On success
 * *data (malloc'd, caller frees) holds a TrueType file. */
bool font_subset(const font_set *fs, font_role r, const uint32_t *cps, size_t n,
                 unsigned char **data, size_t *len, sbuf *err);

/* Subset face `face` to the glyphs gids[0..n) (ids of that face), glyphs
 * renumbered: newgids[i] is the subset's id of gids[i]. A role's own face
 * is subset to the characters cps[0..ncps) it has (with their variation
 * sequences; their font_glyph.cp), which reach the glyphs fast: hb-subset
 * takes 3-4 times as long when it is given glyph ids; the glyph ids are
 * added only when some glyph is not reached. A fallback face is subset by
 * the glyph ids alone from its tables with a cmap of the space only (its
 * own cmap would cost hb-subset ~5 M instructions a subset), so its subset
 * maps no character: the PDF says what each glyph is (CIDToGIDMap,
 * ToUnicode). On success *data (malloc'd) holds a TrueType file. */
bool font_subset_glyphs(const font_set *fs, int face, const uint32_t *gids, size_t n, const uint32_t *cps,
                        size_t ncps, unsigned char **data, size_t *len, uint32_t *newgids, sbuf *err);

#endif

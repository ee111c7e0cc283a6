/* font — the four font roles of the official forms (song 宋, hei 黑, kai 楷,
 * fang 仿宋) mapped to configurable TrueType (glyf) files; glyph advances and
 * coverage through HarfBuzz; subsetting with hb-subset to the characters a
 * document uses. A font_set is immutable once opened and may be shared by any
 * number of threads (measuring and subsetting only read it). */
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

/* Open the fonts of every role (specs NULL: defaults). Roles naming the same
 * file and index share one face. NULL on failure with a message in err. */
font_set *font_set_open(const font_spec *specs, sbuf *err);
void font_set_free(font_set *fs);

/* Advance of cp in em (glyph 0's advance when the font lacks cp). */
double font_advance(const font_set *fs, font_role r, uint32_t cp);
/* Does the role's font have a glyph for cp? */
bool font_has(const font_set *fs, font_role r, uint32_t cp);
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
 * and those outside the BMP are skipped) with glyphs renumbered. On success
 * *data (malloc'd, caller frees) holds a TrueType file. */
bool font_subset(const font_set *fs, font_role r, const uint32_t *cps, size_t n,
                 unsigned char **data, size_t *len, sbuf *err);

#endif

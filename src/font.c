/* font — see font.h. */
#include "font.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>

typedef struct face {
    char *path;
    unsigned index;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    unsigned upem;
    double asc, desc;            /* em */
    uint16_t *adv;               /* BMP advances, font units */
    uint16_t *gid;               /* BMP glyph ids (0: none) */
    uint64_t *has;               /* BMP coverage bitmap */
    uint16_t notdef_adv;
    char family[128];
    /* A fallback face is subset from `lean` (lean_source), made on first
     * use under `lean_lock`: runs that draw nothing from it never pay. */
    bool fallback;
    hb_blob_t *loca;             /* a fallback face's glyph offsets (glyph_drawn) */
    bool loca_long;
    pthread_mutex_t lean_lock;
    bool lean_tried;
    hb_face_t *lean;             /* NULL: not made (yet), or it could not be */
} face;

/* A role's measuring context (font_metrics): the set and the role. */
typedef struct role_ref {
    const struct font_set *fs;
    int role;
} role_ref;

struct font_set {
    uint64_t attach[65536 / 64];              /* BMP marks and invisible characters (they join the cluster before) */
    uint64_t prints[65536 / 64];              /* BMP characters every role's chain has */
    uint64_t shaped[65536 / 64];              /* BMP characters of the scripts shaped as runs */
    face faces[FONT_MAX_FACES];
    int nfaces;
    int role_face[FONT_NROLES];
    int chain[FONT_NROLES][FONT_MAX_FACES];   /* faces tried for a role's characters, in order */
    int nchain[FONT_NROLES];
    role_ref refs[FONT_NROLES];
    char *sheet[FONT_NROLES];
};

/* The fallback faces (see fonts/README.md for their coverage and sizes):
 * Hanazono Mincho B (Extensions B-F), Hanazono Mincho A (BMP ideographs,
 * Extension A), BabelStone Han (Extension G and what the others miss),
 * DejaVu Sans (Latin marks, Greek, Cyrillic, Arabic, Hebrew), the Unifont
 * sample (a few characters more: most of its glyphs are empty, and a face
 * has a character only when its glyph is drawn). A file that is not
 * installed is skipped. Hanazono B comes first: it has nothing of the BMP
 * but 5 ideographs, every ideograph of Extension B, and the rare characters
 * of names are mostly of Extension B. (Its compact cmap once made its
 * subsets ten times as quick to cut as A's or BabelStone's; every fallback
 * face is now cut from a cmap of the space alone: see "lean" below.) */
static const char *const fallback_paths[] = {
    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
    "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/unifont/unifont_sample.ttf",
};

/* Scripts whose letters change with their neighbours or whose marks need
 * placing (joining, reordering, stacking): their text is shaped as runs. */
static bool shaped_script(hb_script_t sc)
{
    static const hb_script_t list[] = {
        HB_SCRIPT_ARABIC,   HB_SCRIPT_HEBREW,   HB_SCRIPT_SYRIAC,   HB_SCRIPT_THAANA,    HB_SCRIPT_NKO,
        HB_SCRIPT_DEVANAGARI, HB_SCRIPT_BENGALI, HB_SCRIPT_GURMUKHI, HB_SCRIPT_GUJARATI, HB_SCRIPT_ORIYA,
        HB_SCRIPT_TAMIL,    HB_SCRIPT_TELUGU,   HB_SCRIPT_KANNADA,  HB_SCRIPT_MALAYALAM, HB_SCRIPT_SINHALA,
        HB_SCRIPT_THAI,     HB_SCRIPT_LAO,      HB_SCRIPT_TIBETAN,  HB_SCRIPT_MYANMAR,   HB_SCRIPT_KHMER,
        HB_SCRIPT_MONGOLIAN,
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (sc == list[i]) return true;
    return false;
}

static const char *const role_names[FONT_NROLES] = {"song", "hei", "kai", "fang"};

void font_default_specs(font_spec out[FONT_NROLES])
{
    const char *ming = "/usr/share/fonts/truetype/arphic/uming.ttc";
    out[FONT_SONG] = (font_spec){ming, 0, NULL};
    out[FONT_FANG] = (font_spec){ming, 0, NULL};
    out[FONT_KAI] = (font_spec){"/usr/share/fonts/truetype/arphic/ukai.ttc", 0, NULL};
    out[FONT_HEI] = (font_spec){"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, NULL};
}

bool font_role_parse(const char *name, font_role *out)
{
    static const char *const zh[FONT_NROLES] = {"宋", "黑", "楷", "仿宋"};
    static const char *const zh2[FONT_NROLES] = {"宋体", "黑体", "楷体", "仿"};
    for (int i = 0; i < FONT_NROLES; i++) {
        if (!strcmp(name, role_names[i]) || !strcmp(name, zh[i]) || !strcmp(name, zh2[i])) {
            *out = (font_role)i;
            return true;
        }
    }
    return false;
}

const char *font_role_name(font_role r)
{
    return (unsigned)r < FONT_NROLES ? role_names[r] : "?";
}

static void face_close(face *f)
{
    if (f->fallback) pthread_mutex_destroy(&f->lean_lock);
    if (f->lean) hb_face_destroy(f->lean);
    if (f->loca) hb_blob_destroy(f->loca);
    if (f->font) hb_font_destroy(f->font);
    if (f->face) hb_face_destroy(f->face);
    if (f->blob) hb_blob_destroy(f->blob);
    free(f->adv);
    free(f->gid);
    free(f->has);
    free(f->path);
    memset(f, 0, sizeof *f);
}

/* Has glyph gid of a fallback face an outline (loca gives it bytes)? Role
 * faces are not asked: true. */
static bool glyph_drawn(const face *f, hb_codepoint_t gid)
{
    if (!f->loca) return true;
    unsigned n = 0;
    const unsigned char *l = (const unsigned char *)hb_blob_get_data(f->loca, &n);
    if (f->loca_long) {
        if ((size_t)gid * 4 + 8 > n) return false;
        const unsigned char *p = l + (size_t)gid * 4;
        return memcmp(p, p + 4, 4) != 0;
    }
    if ((size_t)gid * 2 + 4 > n) return false;
    const unsigned char *p = l + (size_t)gid * 2;
    return memcmp(p, p + 2, 2) != 0;
}

/* Characters whose glyph is rightly empty: spaces and invisible controls. */
static bool blank_char(uint32_t cp)
{
    return text_is_ignorable(cp) ||
           hb_unicode_general_category(hb_unicode_funcs_get_default(), cp) == HB_UNICODE_GENERAL_CATEGORY_SPACE_SEPARATOR;
}

/* tables: build the BMP advance and glyph tables (a role's own face, read
 * for every character measured); a fallback face, read for few, answers
 * through HarfBuzz and costs the process no time to open. */
static bool face_open(face *f, const char *path, unsigned index, bool tables, sbuf *err)
{
    memset(f, 0, sizeof *f);
    f->blob = hb_blob_create_from_file_or_fail(path);
    if (!f->blob) {
        sbuf_printf(err, "字体文件无法读取 (FONT_UNREADABLE): %s", path);
        return false;
    }
    unsigned count = hb_face_count(f->blob);
    if (count == 0 || index >= count) {
        sbuf_printf(err, "字体文件无效或无第 %u 个字形 (FONT_INVALID): %s", index, path);
        hb_blob_destroy(f->blob);
        f->blob = NULL;
        return false;
    }
    f->face = hb_face_create(f->blob, index);
    hb_blob_t *glyf = hb_face_reference_table(f->face, HB_TAG('g', 'l', 'y', 'f'));
    unsigned glen = hb_blob_get_length(glyf);
    hb_blob_destroy(glyf);
    if (glen == 0) {
        sbuf_printf(err, "字体不是 TrueType (glyf) 轮廓，无法嵌入 (FONT_NOT_GLYF): %s", path);
        face_close(f);
        return false;
    }
    f->path = xstrdup(path);
    f->index = index;
    f->font = hb_font_create(f->face);
    f->upem = hb_face_get_upem(f->face);
    if (f->upem == 0) f->upem = 1000;
    hb_font_extents_t ext;
    if (hb_font_get_h_extents(f->font, &ext)) {
        f->asc = (double)ext.ascender / f->upem;
        f->desc = (double)ext.descender / f->upem;
    } else {
        f->asc = 0.88;
        f->desc = -0.12;
    }
    unsigned len = sizeof f->family;
    if (!hb_ot_name_get_utf8(f->face, HB_OT_NAME_ID_FONT_FAMILY, hb_language_from_string("en", -1),
                             &len, f->family))
        snprintf(f->family, sizeof f->family, "%s", "SimSun");
    if (tables) {
        f->adv = xcalloc(65536, sizeof *f->adv);
        f->gid = xcalloc(65536, sizeof *f->gid);
    }
    f->has = xcalloc(65536 / 64, sizeof *f->has);
    f->notdef_adv = (uint16_t)hb_font_get_glyph_h_advance(f->font, 0);
    if (!tables) {
        hb_blob_t *head = hb_face_reference_table(f->face, HB_TAG('h', 'e', 'a', 'd'));
        unsigned hl = 0;
        const unsigned char *h = (const unsigned char *)hb_blob_get_data(head, &hl);
        f->loca_long = hl >= 52 && (h[50] << 8 | h[51]) == 1;   /* indexToLocFormat */
        hb_blob_destroy(head);
        f->loca = hb_face_reference_table(f->face, HB_TAG('l', 'o', 'c', 'a'));
    }
    hb_set_t *u = hb_set_create();
    hb_face_collect_unicodes(f->face, u);
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(u, &cp) && cp < 65536) {
        hb_codepoint_t gid;
        if (!tables) {
            /* the cmap says so, and the glyph is drawn (the Unifont sample
             * maps every BMP character, most to an empty glyph) */
            if (hb_font_get_nominal_glyph(f->font, cp, &gid) && (glyph_drawn(f, gid) || blank_char(cp)))
                f->has[cp >> 6] |= (uint64_t)1 << (cp & 63);
        } else if (hb_font_get_nominal_glyph(f->font, cp, &gid)) {
            hb_position_t a = hb_font_get_glyph_h_advance(f->font, gid);
            f->adv[cp] = (uint16_t)(a < 0 ? 0 : a > 65535 ? 65535 : a);
            f->gid[cp] = (uint16_t)gid;
            f->has[cp >> 6] |= (uint64_t)1 << (cp & 63);
        }
    }
    hb_set_destroy(u);
    hb_font_make_immutable(f->font);
    if (!tables) {
        f->fallback = true;
        pthread_mutex_init(&f->lean_lock, NULL);
    }
    return true;
}

/* The face of path/index in fs, opened if new: its id, or -1 (err says why). */
static int face_get(font_set *fs, const char *path, unsigned index, bool tables, sbuf *err)
{
    for (int i = 0; i < fs->nfaces; i++)
        if (!strcmp(fs->faces[i].path, path) && fs->faces[i].index == index) return i;
    if (fs->nfaces == FONT_MAX_FACES) {
        sbuf_printf(err, "字体过多 (FONT_INVALID): %s", path);
        return -1;
    }
    if (!face_open(&fs->faces[fs->nfaces], path, index, tables, err)) return -1;
    return fs->nfaces++;
}

font_set *font_set_open(const font_spec *specs, sbuf *err)
{
    font_spec defs[FONT_NROLES];
    if (!specs) {
        font_default_specs(defs);
        specs = defs;
    }
    font_set *fs = xcalloc(1, sizeof *fs);
    for (int r = 0; r < FONT_NROLES; r++) {
        int found = face_get(fs, specs[r].path, specs[r].index, true, err);
        if (found < 0) {
            font_set_free(fs);
            return NULL;
        }
        fs->role_face[r] = found;
        fs->sheet[r] = xstrdup(specs[r].sheet_name ? specs[r].sheet_name : fs->faces[found].family);
    }
    int fb[sizeof fallback_paths / sizeof fallback_paths[0]];
    size_t nfb = 0;
    for (size_t i = 0; i < sizeof fallback_paths / sizeof fallback_paths[0]; i++) {
        if (access(fallback_paths[i], R_OK) != 0) continue;   /* not installed: fewer characters print */
        int f = face_get(fs, fallback_paths[i], 0, false, err);
        if (f < 0) {
            font_set_free(fs);
            return NULL;
        }
        fb[nfb++] = f;
    }
    for (uint32_t cp = 0x300; cp < 65536; cp++)
        if (text_is_ignorable(cp) || text_is_mark(cp)) fs->attach[cp >> 6] |= (uint64_t)1 << (cp & 63);
    fs->attach[0xAD >> 6] |= (uint64_t)1 << (0xAD & 63);   /* soft hyphen */
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    for (uint32_t cp = 0x590; cp < 65536; cp++) {
        if (cp == 0x2000) cp = 0xA800;   /* the shaped scripts of the BMP lie outside 2000-A7FF */
        if (shaped_script(hb_unicode_script(uf, cp))) fs->shaped[cp >> 6] |= (uint64_t)1 << (cp & 63);
    }
    for (int r = 0; r < FONT_NROLES; r++) {
        fs->refs[r] = (role_ref){fs, r};
        fs->chain[r][fs->nchain[r]++] = fs->role_face[r];
        for (size_t i = 0; i < nfb; i++)
            if (fb[i] != fs->role_face[r]) fs->chain[r][fs->nchain[r]++] = fb[i];
    }
    for (size_t w = 0; w < 65536 / 64; w++) {   /* the intersection of every role's chain's coverage */
        uint64_t all = ~(uint64_t)0;
        for (int r = 0; r < FONT_NROLES; r++) {
            uint64_t any = 0;
            for (int k = 0; k < fs->nchain[r]; k++) any |= fs->faces[fs->chain[r][k]].has[w];
            all &= any;
        }
        fs->prints[w] = all;
    }
    return fs;
}

void font_set_free(font_set *fs)
{
    if (!fs) return;
    for (int i = 0; i < fs->nfaces; i++) face_close(&fs->faces[i]);
    for (int r = 0; r < FONT_NROLES; r++) free(fs->sheet[r]);
    free(fs);
}

static const face *role_face(const font_set *fs, font_role r)
{
    return &fs->faces[fs->role_face[(unsigned)r < FONT_NROLES ? r : 0]];
}

static bool face_has(const face *f, uint32_t cp)
{
    if (cp < 65536) return (f->has[cp >> 6] >> (cp & 63)) & 1;
    hb_codepoint_t gid;
    return hb_font_get_nominal_glyph(f->font, cp, &gid) && (glyph_drawn(f, gid) || blank_char(cp));
}

static double face_advance(const face *f, uint32_t cp)
{
    if (cp < 65536 && f->adv) {
        if ((f->has[cp >> 6] >> (cp & 63)) & 1) return (double)f->adv[cp] / f->upem;
        return (double)f->notdef_adv / f->upem;
    }
    hb_codepoint_t gid;
    if (hb_font_get_nominal_glyph(f->font, cp, &gid))
        return (double)hb_font_get_glyph_h_advance(f->font, gid) / f->upem;
    return (double)f->notdef_adv / f->upem;
}

/* The first face of the role's chain that has cp, or -1. */
static int chain_face(const font_set *fs, int r, uint32_t cp)
{
    for (int k = 0; k < fs->nchain[r]; k++)
        if (face_has(&fs->faces[fs->chain[r][k]], cp)) return fs->chain[r][k];
    return -1;
}

/* Characters with no width of their own: the invisible ones and the marks
 * drawn over the character before them. */
static bool zero_width(uint32_t cp)
{
    return text_is_ignorable(cp) || (text_is_mark(cp) && !text_is_spacing_mark(cp));
}

double font_advance(const font_set *fs, font_role r, uint32_t cp)
{
    int ri = (unsigned)r < FONT_NROLES ? (int)r : 0;
    const face *p = &fs->faces[fs->role_face[ri]];
    if (cp < 65536 && ((p->has[cp >> 6] >> (cp & 63)) & 1) && !zero_width(cp))
        return (double)p->adv[cp] / p->upem;   /* the common case: the role's own face */
    if (zero_width(cp)) return 0;
    int f = chain_face(fs, ri, cp);
    if (f >= 0) return face_advance(&fs->faces[f], cp);
    f = chain_face(fs, ri, FONT_PLACEHOLDER);   /* drawn as the placeholder */
    return face_advance(f >= 0 ? &fs->faces[f] : p, FONT_PLACEHOLDER);
}

bool font_has(const font_set *fs, font_role r, uint32_t cp)
{
    return chain_face(fs, (unsigned)r < FONT_NROLES ? (int)r : 0, cp) >= 0;
}

bool font_prints(const font_set *fs, uint32_t cp)
{
    if (cp < 65536) return (fs->prints[cp >> 6] >> (cp & 63)) & 1;
    for (int r = 0; r < FONT_NROLES; r++)
        if (chain_face(fs, r, cp) < 0) return false;
    return true;
}

bool font_own_face_has(const font_set *fs, font_role r, uint32_t cp)
{
    return face_has(role_face(fs, r), cp);
}

static double metrics_cb(void *ctx, uint32_t cp)
{
    const role_ref *ref = ctx;
    return font_advance(ref->fs, (font_role)ref->role, cp);
}

text_metrics font_metrics(const font_set *fs, font_role r)
{
    text_metrics m = {metrics_cb, (void *)&fs->refs[(unsigned)r < FONT_NROLES ? r : 0]};
    return m;
}

int font_face_count(const font_set *fs) { return fs->nfaces; }
const char *font_face_path(const font_set *fs, int f) { return fs->faces[f].path; }

/* The glyph of cp (with variation selector vs, 0: none) in the first face
 * of the chain that has cp; the placeholder's when none has it (*missing). */
static void pick_glyph(const font_set *fs, int r, uint32_t cp, uint32_t vs, font_glyph *g, bool *missing)
{
    hb_codepoint_t vg;
    for (int k = 0; vs && k < fs->nchain[r]; k++) {   /* the first face that has the variant */
        const face *fc = &fs->faces[fs->chain[r][k]];
        if (hb_font_get_variation_glyph(fc->font, cp, vs, &vg)) {
            *missing = false;
            g->face = fs->chain[r][k];
            g->gid = vg;
            g->cp = cp;
            g->advance = (double)hb_font_get_glyph_h_advance(fc->font, vg) / fc->upem;
            return;
        }
    }
    int f = chain_face(fs, r, cp);
    *missing = f < 0;
    if (f < 0) {
        cp = FONT_PLACEHOLDER;
        vs = 0;
        f = chain_face(fs, r, cp);
    }
    if (f < 0) {   /* no face has even the placeholder: the role face's .notdef box */
        f = fs->role_face[r];
        g->face = f;
        g->gid = 0;
        g->cp = 0;
        g->advance = (double)fs->faces[f].notdef_adv / fs->faces[f].upem;
        return;
    }
    const face *fc = &fs->faces[f];
    hb_codepoint_t gid = 0;
    if (!vs || !hb_font_get_variation_glyph(fc->font, cp, vs, &gid)) hb_font_get_nominal_glyph(fc->font, cp, &gid);
    g->face = f;
    g->gid = gid;
    g->cp = cp;
    g->advance = (double)hb_font_get_glyph_h_advance(fc->font, gid) / fc->upem;
}

/* The face's glyph for the mark cp when it has one made to combine (no
 * advance of its own). */
static bool mark_glyph(const face *f, uint32_t cp, hb_codepoint_t *gid)
{
    return face_has(f, cp) && hb_font_get_nominal_glyph(f->font, cp, gid) &&
           hb_font_get_glyph_h_advance(f->font, *gid) == 0;
}

static bool attach_bit(const font_set *fs, uint32_t cp)
{
    if (cp < 65536) return (fs->attach[cp >> 6] >> (cp & 63)) & 1;
    return text_is_ignorable(cp) || text_is_mark(cp);
}

/* Does the character at p (if any) belong to the cluster before it? */
static bool attaches(const font_set *fs, const char *p, const char *e)
{
    if (p == e || (unsigned char)*p < 0xC2) return false;   /* ASCII: none does */
    return attach_bit(fs, text_utf8_next(&p, e));
}

static bool shaped_bit(const font_set *fs, uint32_t cp)
{
    return cp < 65536 && ((fs->shaped[cp >> 6] >> (cp & 63)) & 1);
}

/* Shape s[from..to) with face f (the text around it is the context that
 * joining looks at) into out as placed glyphs. Each glyph carries the text
 * of its cluster up to the next cluster drawn (removed invisible characters
 * go with the cluster before them); the other glyphs of a cluster carry
 * none. false when HarfBuzz gives no glyph or more than out holds. */
static bool shape(const font_set *fs, int f, const char *s, size_t len, size_t from, size_t to,
                  font_cluster *out)
{
    const face *fc = &fs->faces[f];
    hb_buffer_t *b = hb_buffer_create();
    hb_buffer_add_utf8(b, s, (int)len, (unsigned)from, (int)(to - from));
    hb_buffer_guess_segment_properties(b);
    /* marks keep clusters of their own: their text stays theirs */
    hb_buffer_set_cluster_level(b, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    hb_buffer_set_flags(b, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES | (from == 0 ? HB_BUFFER_FLAG_BOT : 0) |
                               (to == len ? HB_BUFFER_FLAG_EOT : 0));
    hb_shape(fc->font, b, NULL, 0);
    unsigned n = 0;
    const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(b, &n);
    const hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(b, NULL);
    bool ok = n > 0 && n <= FONT_CLUSTER_GLYPHS;
    for (unsigned i = 0; ok && i < n; i++) {
        size_t c = gi[i].cluster, next = to;
        bool first = true;
        for (unsigned j = 0; j < n; j++) {
            if (gi[j].cluster > c && gi[j].cluster < next) next = gi[j].cluster;
            if (j < i && gi[j].cluster == c) first = false;
        }
        const char *p = s + c;
        font_glyph *g = &out->g[i];
        *g = (font_glyph){f, gi[i].codepoint, text_utf8_next(&p, s + len), (double)gp[i].x_advance / fc->upem,
                          c, first ? next : c, (double)gp[i].x_offset / fc->upem,
                          (double)gp[i].y_offset / fc->upem};
    }
    if (ok) {
        out->n = n;
        out->placed = true;
        out->missing = 0;
        out->end = to;
    }
    hb_buffer_destroy(b);
    return ok;
}

/* Does face f have every visible character of s[from..to)? */
static bool face_has_all(const face *f, const char *s, size_t from, size_t to)
{
    const char *p = s + from, *e = s + to;
    while (p < e) {
        uint32_t c = text_utf8_next(&p, e);
        if (!text_is_ignorable(c) && !face_has(f, c)) return false;
    }
    return true;
}

/* A run of the shaped script of s[pos] (see font_cluster_next), shaped into
 * out with the first face of the chain that has all its characters (else
 * the one that has the longest start of it, the run cut there). false when
 * no face has its first character. */
static bool shape_run(const font_set *fs, int r, const char *s, size_t len, size_t pos, font_cluster *out)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    const char *p = s + pos, *e = s + len;
    hb_script_t sc = hb_unicode_script(uf, text_utf8_next(&p, e));
    size_t ends[FONT_RUN_CPS];   /* byte end of each code point of the run */
    size_t n = 1, keep = 1;      /* keep: code points up to the last of the script (and its marks) */
    ends[0] = (size_t)(p - s);
    while (p < e && n < FONT_RUN_CPS) {
        const char *q = p;
        uint32_t c = text_utf8_next(&q, e);
        hb_script_t cs = hb_unicode_script(uf, c);
        bool same = cs == sc, joins = cs == HB_SCRIPT_INHERITED || text_is_ignorable(c) || text_is_mark(c);
        if (!same && !joins && c != ' ' && c != 0xA0) break;
        ends[n++] = (size_t)(q - s);
        if (same || (joins && keep == n - 1)) keep = n;   /* spaces count only between letters */
        p = q;
    }
    n = keep;
    int best = -1;
    size_t bestn = 0;
    for (int k = 0; k < fs->nchain[r] && bestn < n; k++) {
        const face *f = &fs->faces[fs->chain[r][k]];
        size_t m = 0;
        const char *a = s + pos;
        while (m < n) {
            uint32_t c = text_utf8_next(&a, e);
            if (!text_is_ignorable(c) && !face_has(f, c)) break;
            m++;
        }
        if (m > bestn) {
            best = fs->chain[r][k];
            bestn = m;
        }
    }
    /* too many glyphs for out (an Indic run may give more than its code
     * points): shape half as much */
    for (; bestn > 0; bestn /= 2)
        if (shape(fs, best, s, len, pos, ends[bestn - 1], out)) return true;
    return false;
}

/* The marks left after composing a cluster, placed by HarfBuzz: with the
 * face of the base when it has every mark, else the first face of the chain
 * that has the base and every mark; out unchanged when none has. */
static void shape_marks(const font_set *fs, int r, const char *s, size_t len, size_t pos, font_cluster *out)
{
    int f = out->g[0].face;
    if (!face_has_all(&fs->faces[f], s, pos, out->end)) {
        f = -1;
        for (int k = 0; f < 0 && k < fs->nchain[r]; k++)
            if (face_has_all(&fs->faces[fs->chain[r][k]], s, pos, out->end)) f = fs->chain[r][k];
    }
    if (f < 0) return;
    font_cluster shaped;
    shaped.simple = false;
    if (shape(fs, f, s, len, pos, out->end, &shaped)) *out = shaped;
}

void font_cluster_next(const font_set *fs, font_role role, const char *s, size_t len, size_t pos,
                       font_cluster *out)
{
    int r = (unsigned)role < FONT_NROLES ? (int)role : 0;
    const char *p = s + pos, *e = s + len;
    uint32_t base = text_utf8_next(&p, e);
    out->n = 0;
    out->missing = 0;
    out->simple = false;
    out->placed = false;
    out->end = (size_t)(p - s);
    const face *own = &fs->faces[fs->role_face[r]];
    if (base < 65536 && ((own->has[base >> 6] >> (base & 63)) & 1) && !attach_bit(fs, base) &&
        !shaped_bit(fs, base) && !attaches(fs, p, e)) {
        /* the common case: the role's own face has it, and no mark or
         * invisible character follows: its glyph from the tables, without
         * HarfBuzz */
        out->g[0] = (font_glyph){fs->role_face[r], own->gid[base], base, (double)own->adv[base] / own->upem,
                                 pos, out->end};
        out->n = 1;
        out->simple = true;
        return;
    }
    if (text_is_ignorable(base)) return;   /* drawn as nothing */
    if (shaped_bit(fs, base) && shape_run(fs, r, s, len, pos, out)) return;
    /* the base, composed with the marks that follow where a face has the
     * composed character; the other marks as glyphs of their own */
    uint32_t cur = base, vs = 0;
    uint32_t marks[FONT_CLUSTER_GLYPHS];
    size_t mfrom[FONT_CLUSTER_GLYPHS], mto[FONT_CLUSTER_GLYPHS], nm = 0;
    size_t base_to = out->end;
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    while (p < e) {
        const char *q = p;
        uint32_t c = text_utf8_next(&q, e);
        bool ign = text_is_ignorable(c), mark = !ign && text_is_mark(c);
        if (!ign && !mark) break;
        size_t from = (size_t)(p - s), to = (size_t)(q - s);
        p = q;
        out->end = to;
        hb_codepoint_t ab;
        if (ign) {
            if (text_is_variation_selector(c) && !vs && nm == 0) vs = c;
            if (nm) mto[nm - 1] = to; else base_to = to;   /* its text goes with the glyph before it */
        } else if (nm == 0 && !vs && hb_unicode_compose(uf, cur, c, &ab) && chain_face(fs, r, ab) >= 0) {
            cur = ab;
            base_to = to;
        } else if (nm < FONT_CLUSTER_GLYPHS - 1) {
            marks[nm] = c;
            mfrom[nm] = from;
            mto[nm++] = to;
        } else {
            mto[nm - 1] = to;   /* hostile stacks of marks: the rest is not drawn, its text kept */
        }
    }
    bool miss;
    font_glyph *g = &out->g[out->n++];
    pick_glyph(fs, r, cur, vs, g, &miss);
    g->from = pos;
    g->to = base_to;
    if (miss) out->missing = base;
    for (size_t k = 0; k < nm; k++) {
        g = &out->g[out->n++];
        /* a mark from the base's face when that face draws it as a
         * combining glyph (no advance), else from the first face that does:
         * a face whose mark has an advance was not made to stack it */
        int mf = -1;
        hb_codepoint_t mg = 0;
        if (!miss && mark_glyph(&fs->faces[out->g[0].face], marks[k], &mg)) mf = out->g[0].face;
        for (int c = 0; mf < 0 && c < fs->nchain[r]; c++)
            if (mark_glyph(&fs->faces[fs->chain[r][c]], marks[k], &mg)) mf = fs->chain[r][c];
        if (mf >= 0) {
            g->face = mf;
            g->gid = mg;
            g->cp = marks[k];
        } else {
            bool m2;
            pick_glyph(fs, r, marks[k], 0, g, &m2);
            if (m2 && !out->missing) out->missing = marks[k];
        }
        g->advance = text_is_spacing_mark(marks[k]) ? font_advance(fs, (font_role)r, marks[k]) : 0;
        g->from = mfrom[k];
        g->to = mto[k];
    }
    if (nm && !out->missing) shape_marks(fs, r, s, len, pos, out);
}

uint32_t font_missing(const font_set *fs, font_role r, const char *s, size_t len)
{
    size_t pos = 0;
    font_cluster c;
    while (pos < len) {
        font_cluster_next(fs, r, s, len, pos, &c);
        if (c.missing) return c.missing;
        pos = c.end;
    }
    return 0;
}

double font_ascender(const font_set *fs, font_role r) { return role_face(fs, r)->asc; }
double font_descender(const font_set *fs, font_role r) { return role_face(fs, r)->desc; }
int font_face_id(const font_set *fs, font_role r) { return fs->role_face[(unsigned)r < FONT_NROLES ? r : 0]; }
const char *font_sheet_name(const font_set *fs, font_role r) { return fs->sheet[(unsigned)r < FONT_NROLES ? r : 0]; }
const char *font_path(const font_set *fs, font_role r) { return role_face(fs, r)->path; }

/* A copy of `sub` with a 3-byte no-op 'prep' program (PUSHB[0] 0, POP).
 * Why: libharu 2.3.0 rebuilds the font in a 4096-byte-chunk memory stream
 * and seeks to each required table for its checksum; 'prep' comes last, and
 * when it is empty (we drop hinting) that seek lands on the stream's end,
 * which fails (HPDF_INVALID_OBJECT) whenever the rebuilt font's size is a
 * multiple of 4096 — about one document in 4,000. A non-empty 'prep' never
 * starts at the end. pdfw now embeds the subset as it is, so libharu no
 * longer rebuilds it; the 3 bytes stay so that a font handed to libharu
 * without pdfw's descriptor still cannot fail that way. */
static hb_face_t *with_noop_prep(hb_face_t *subset)
{
    static const char prep[] = { (char)0xB0, 0x00, 0x21 };
    /* hb_subset returns a builder face, which cannot list its tables:
     * serialise it and read the tables back from the bytes. */
    hb_blob_t *bytes = hb_face_reference_blob(subset);
    hb_face_t *sub = hb_face_create(bytes, 0);
    hb_blob_destroy(bytes);
    hb_face_t *b = hb_face_builder_create();
    hb_tag_t tags[64];
    unsigned start = 0, count;
    do {
        count = sizeof tags / sizeof tags[0];
        hb_face_get_table_tags(sub, start, &count, tags);
        for (unsigned i = 0; i < count; i++) {
            if (tags[i] == HB_TAG('p', 'r', 'e', 'p')) continue;
            hb_blob_t *t = hb_face_reference_table(sub, tags[i]);
            hb_face_builder_add_table(b, tags[i], t);
            hb_blob_destroy(t);
        }
        start += count;
    } while (count == sizeof tags / sizeof tags[0]);
    hb_blob_t *p = hb_blob_create(prep, sizeof prep, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_builder_add_table(b, HB_TAG('p', 'r', 'e', 'p'), p);
    hb_blob_destroy(p);
    hb_face_destroy(sub);
    return b;
}

/* hb-subset input with the options every subset shares. */
static hb_subset_input_t *subset_input(void)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return NULL;
    hb_set_add(hb_subset_input_unicode_set(in), ' ');
    /* legacy (Mac) name records keep libharu's PostScript-name lookup happy */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NAME_LEGACY | HB_SUBSET_FLAGS_NO_HINTING);
    /* tables no PDF reader looks at in a horizontal CID font (layout,
     * vertical metrics, rasteriser hints): they would only add bytes to
     * every PDF, which embeds the subset as it is */
    static const hb_tag_t unread[] = {
        HB_TAG('G', 'D', 'E', 'F'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'S', 'U', 'B'),
        HB_TAG('V', 'O', 'R', 'G'), HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'),
        HB_TAG('g', 'a', 's', 'p'),
    };
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof unread / sizeof unread[0]; i++) hb_set_add(drop, unread[i]);
    return in;
}

/* The subset face's bytes (with the no-op prep) into *data. */
static bool subset_bytes(const face *f, hb_face_t *sub, unsigned char **data, size_t *len, sbuf *err)
{
    hb_face_t *full = with_noop_prep(sub);
    hb_blob_t *b = hb_face_reference_blob(full);
    unsigned blen = 0;
    const char *bd = hb_blob_get_data(b, &blen);
    bool ok = bd && blen > 0;
    if (ok) {
        *data = xmalloc(blen);
        memcpy(*data, bd, blen);
        *len = blen;
    } else {
        sbuf_printf(err, "字体子集化失败 (FONT_SUBSET_FAILED): %s", f->path);
    }
    hb_blob_destroy(b);
    hb_face_destroy(full);
    return ok;
}

bool font_subset(const font_set *fs, font_role r, const uint32_t *cps, size_t n,
                 unsigned char **data, size_t *len, sbuf *err)
{
    const face *f = role_face(fs, r);
    *data = NULL;
    *len = 0;
    hb_subset_input_t *in = subset_input();
    if (!in) {
        sbuf_puts(err, "字体子集化失败 (FONT_SUBSET_FAILED)");
        return false;
    }
    hb_set_t *u = hb_subset_input_unicode_set(in);
    for (size_t i = 0; i < n; i++)
        if (face_has(f, cps[i])) hb_set_add(u, cps[i]);
    hb_face_t *sub = hb_subset_or_fail(f->face, in);
    hb_subset_input_destroy(in);
    if (!sub) {
        sbuf_printf(err, "字体子集化失败 (FONT_SUBSET_FAILED): %s", f->path);
        return false;
    }
    bool ok = subset_bytes(f, sub, data, len, err);
    hb_face_destroy(sub);
    return ok;
}

/* A subset plan of src (the tables of f) for the unicodes cps[0..ncps)
 * that f has, and the glyphs gids[0..n) when gids is not NULL. */
static hb_subset_plan_t *subset_plan(const face *f, hb_face_t *src, const uint32_t *cps, size_t ncps,
                                     const uint32_t *gids, size_t n)
{
    hb_subset_input_t *in = subset_input();
    if (!in) return NULL;
    hb_set_t *u = hb_subset_input_unicode_set(in), *g = hb_subset_input_glyph_set(in);
    for (size_t i = 0; i < ncps; i++)
        if (face_has(f, cps[i])) hb_set_add(u, cps[i]);
    for (size_t i = 0; gids && i < n; i++) hb_set_add(g, gids[i]);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(src, in);
    hb_subset_input_destroy(in);
    return plan;
}

/* ---------------------------------------------------------------- lean
 *
 * hb-subset works through the source's whole cmap on every subset, however
 * few the glyphs: it collects every code point of each subtable it copies,
 * and walks every variation sequence of a format 14 subtable twice (glyph
 * closure, then copy). The fallback faces have big cmaps (Hanazono Mincho A:
 * 29,772 variation sequences; BabelStone Han: 15,265 ranges), so each PDF
 * that drew one rare character from them paid ~5 M instructions for its
 * subset (HarfBuzz 6.0), as much as a 50-person registration's own fonts.
 * A PDF does not need the subset's cmap (its CIDToGIDMap and ToUnicode say
 * what each glyph is, and hpdfx gives libharu a cmap of its own); so a
 * fallback face is subset by glyph ids from a source whose cmap maps U+0020
 * alone (the subset keeps a valid cmap for libharu to parse), every other
 * table being the face's own: ~0.2 M instructions a subset. */
typedef struct lean_src {
    hb_face_t *face;     /* the face's own tables */
    hb_blob_t *cmap;     /* its cmap cut to U+0020 */
} lean_src;

static hb_blob_t *lean_table(hb_face_t *unused, hb_tag_t tag, void *ud)
{
    (void)unused;
    const lean_src *l = ud;
    if (tag == HB_TAG('c', 'm', 'a', 'p')) return hb_blob_reference(l->cmap);
    return hb_face_reference_table(l->face, tag);
}

static void lean_free(void *ud)
{
    lean_src *l = ud;
    hb_blob_destroy(l->cmap);
    hb_face_destroy(l->face);
    free(l);
}

/* The cmap of f mapping U+0020 alone (glyph ids kept), from hb-subset itself;
 * NULL when f has no space or hb-subset fails. */
static hb_blob_t *space_cmap(const face *f)
{
    if (!face_has(f, ' ')) return NULL;
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return NULL;
    hb_set_add(hb_subset_input_unicode_set(in), ' ');
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS | HB_SUBSET_FLAGS_NO_HINTING);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_set_clear(drop);
    hb_tag_t tags[64];
    unsigned start = 0, count;
    do {   /* every table but the cmap dropped: only the cmap is wanted */
        count = sizeof tags / sizeof tags[0];
        hb_face_get_table_tags(f->face, start, &count, tags);
        for (unsigned i = 0; i < count; i++)
            if (tags[i] != HB_TAG('c', 'm', 'a', 'p')) hb_set_add(drop, tags[i]);
        start += count;
    } while (count == sizeof tags / sizeof tags[0]);
    hb_face_t *sub = hb_subset_or_fail(f->face, in);
    hb_subset_input_destroy(in);
    if (!sub) return NULL;
    hb_blob_t *cmap = hb_face_reference_table(sub, HB_TAG('c', 'm', 'a', 'p'));
    hb_face_destroy(sub);
    if (hb_blob_get_length(cmap) == 0) {
        hb_blob_destroy(cmap);
        return NULL;
    }
    return cmap;
}

/* The lean source of a fallback face, made on first use; NULL for a
 * role's own face (subset by code points, as it always was) and when it
 * cannot be made. The face stays shared by threads: only this lock's holder
 * writes lean, and hb_face_t is safe to use from any number of threads. */
static hb_face_t *lean_source(face *f)
{
    if (!f->fallback) return NULL;
    pthread_mutex_lock(&f->lean_lock);
    if (!f->lean_tried) {
        f->lean_tried = true;
        hb_blob_t *cmap = space_cmap(f);
        if (cmap) {
            lean_src *l = xmalloc(sizeof *l);
            *l = (lean_src){hb_face_reference(f->face), cmap};
            hb_face_t *lf = hb_face_create_for_tables(lean_table, l, lean_free);
            f->lean = lf == hb_face_get_empty() ? NULL : lf;
        }
    }
    hb_face_t *lean = f->lean;
    pthread_mutex_unlock(&f->lean_lock);
    return lean;
}

/* newgids[i] for gids[i] by the plan's mapping; false when one is not kept. */
static bool plan_map(hb_subset_plan_t *plan, const uint32_t *gids, size_t n, uint32_t *newgids)
{
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    bool all = true;
    for (size_t i = 0; i < n; i++) {
        hb_codepoint_t ng = gids[i] ? hb_map_get(map, gids[i]) : 0;
        if (ng == HB_MAP_VALUE_INVALID) all = false;
        newgids[i] = ng == HB_MAP_VALUE_INVALID ? 0 : ng;
    }
    return all;
}

bool font_subset_glyphs(const font_set *fs, int fid, const uint32_t *gids, size_t n, const uint32_t *cps,
                        size_t ncps, unsigned char **data, size_t *len, uint32_t *newgids, sbuf *err)
{
    face *f = (face *)&fs->faces[fid];   /* only its lean source is written, under its lock */
    *data = NULL;
    *len = 0;
    hb_face_t *lean = lean_source(f);
    hb_subset_plan_t *plan = NULL;
    if (lean) {   /* by glyph ids alone: the lean cmap has no code point of them */
        plan = subset_plan(f, lean, NULL, 0, gids, n);
        if (plan && !plan_map(plan, gids, n, newgids)) {
            hb_subset_plan_destroy(plan);
            plan = NULL;   /* (cannot happen: named glyphs are kept) the face itself then */
        }
    }
    if (!plan) {
        plan = subset_plan(f, f->face, cps, ncps, NULL, 0);
        if (plan && !plan_map(plan, gids, n, newgids)) {   /* a glyph no code point reaches: name them all */
            hb_subset_plan_destroy(plan);
            plan = subset_plan(f, f->face, cps, ncps, gids, n);
            if (plan) plan_map(plan, gids, n, newgids);
        }
    }
    hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    if (plan) hb_subset_plan_destroy(plan);
    if (!sub) {
        sbuf_printf(err, "字体子集化失败 (FONT_SUBSET_FAILED): %s", f->path);
        return false;
    }
    bool ok = subset_bytes(f, sub, data, len, err);
    hb_face_destroy(sub);
    return ok;
}

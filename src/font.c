/* font — see font.h. */
#include "font.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    uint64_t *has;               /* BMP coverage bitmap */
    uint16_t notdef_adv;
    char family[128];
} face;

struct font_set {
    face faces[FONT_NROLES];
    int nfaces;
    int role_face[FONT_NROLES];
    char *sheet[FONT_NROLES];
};

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
    if (f->font) hb_font_destroy(f->font);
    if (f->face) hb_face_destroy(f->face);
    if (f->blob) hb_blob_destroy(f->blob);
    free(f->adv);
    free(f->has);
    free(f->path);
    memset(f, 0, sizeof *f);
}

static bool face_open(face *f, const char *path, unsigned index, sbuf *err)
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
    f->adv = xcalloc(65536, sizeof *f->adv);
    f->has = xcalloc(65536 / 64, sizeof *f->has);
    f->notdef_adv = (uint16_t)hb_font_get_glyph_h_advance(f->font, 0);
    hb_set_t *u = hb_set_create();
    hb_face_collect_unicodes(f->face, u);
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(u, &cp) && cp < 65536) {
        hb_codepoint_t gid;
        if (hb_font_get_nominal_glyph(f->font, cp, &gid)) {
            hb_position_t a = hb_font_get_glyph_h_advance(f->font, gid);
            f->adv[cp] = (uint16_t)(a < 0 ? 0 : a > 65535 ? 65535 : a);
            f->has[cp >> 6] |= (uint64_t)1 << (cp & 63);
        }
    }
    hb_set_destroy(u);
    hb_font_make_immutable(f->font);
    return true;
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
        int found = -1;
        for (int i = 0; i < fs->nfaces; i++)
            if (!strcmp(fs->faces[i].path, specs[r].path) && fs->faces[i].index == specs[r].index)
                found = i;
        if (found < 0) {
            if (!face_open(&fs->faces[fs->nfaces], specs[r].path, specs[r].index, err)) {
                font_set_free(fs);
                return NULL;
            }
            found = fs->nfaces++;
        }
        fs->role_face[r] = found;
        fs->sheet[r] = xstrdup(specs[r].sheet_name ? specs[r].sheet_name : fs->faces[found].family);
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

static double face_advance(const face *f, uint32_t cp)
{
    if (cp < 65536) {
        if ((f->has[cp >> 6] >> (cp & 63)) & 1) return (double)f->adv[cp] / f->upem;
        return (double)f->notdef_adv / f->upem;
    }
    hb_codepoint_t gid;
    if (hb_font_get_nominal_glyph(f->font, cp, &gid))
        return (double)hb_font_get_glyph_h_advance(f->font, gid) / f->upem;
    return 1.0;  /* libharu draws non-BMP characters as one space; keep a full cell */
}

double font_advance(const font_set *fs, font_role r, uint32_t cp)
{
    return face_advance(role_face(fs, r), cp);
}

bool font_has(const font_set *fs, font_role r, uint32_t cp)
{
    const face *f = role_face(fs, r);
    if (cp < 65536) return (f->has[cp >> 6] >> (cp & 63)) & 1;
    hb_codepoint_t gid;
    return hb_font_get_nominal_glyph(f->font, cp, &gid);
}

static double metrics_cb(void *ctx, uint32_t cp)
{
    return face_advance((const face *)ctx, cp);
}

text_metrics font_metrics(const font_set *fs, font_role r)
{
    text_metrics m = {metrics_cb, (void *)role_face(fs, r)};
    return m;
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

bool font_subset(const font_set *fs, font_role r, const uint32_t *cps, size_t n,
                 unsigned char **data, size_t *len, sbuf *err)
{
    const face *f = role_face(fs, r);
    *data = NULL;
    *len = 0;
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) {
        sbuf_puts(err, "字体子集化失败 (FONT_SUBSET_FAILED)");
        return false;
    }
    hb_set_t *u = hb_subset_input_unicode_set(in);
    hb_set_add(u, ' ');
    for (size_t i = 0; i < n; i++)
        if (cps[i] < 65536 && ((f->has[cps[i] >> 6] >> (cps[i] & 63)) & 1)) hb_set_add(u, cps[i]);
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
    hb_face_t *sub = hb_subset_or_fail(f->face, in);
    hb_subset_input_destroy(in);
    if (!sub) {
        sbuf_printf(err, "字体子集化失败 (FONT_SUBSET_FAILED): %s", f->path);
        return false;
    }
    hb_face_t *full = with_noop_prep(sub);
    hb_face_destroy(sub);
    sub = full;
    hb_blob_t *b = hb_face_reference_blob(sub);
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
    hb_face_destroy(sub);
    return ok;
}

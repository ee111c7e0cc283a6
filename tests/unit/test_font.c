/* font: the fallback chain of faces and the clusters text is drawn as. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "font.h"
#include "text.h"

static font_set *FS;
static void setup(void)
{
    sbuf err = {0};
    FS = font_set_open(NULL, &err);
    cr_assert_not_null(FS, "%s", err.data);
    sbuf_free(&err);
}
static void teardown(void) { font_set_free(FS); }

TestSuite(font, .init = setup, .fini = teardown);

/* Samples of CJK Extensions A to G (and URO characters the hei face lacks)
 * print in every role, each from a face that has it. */
Test(font, every_role_prints_extensions_a_to_g)
{
    static const uint32_t cps[] = {0x4DAE, 0x3400, 0x9F91, 0x20BB7, 0x21236, 0x2A6A5, 0x20000, 0x2A700,
                                   0x2B734, 0x2B740, 0x2B81D, 0x2C317, 0x2B820, 0x2CEB0, 0x2EBE0,
                                   0x30EDE, 0x30000, 0x3134A};
    for (int r = 0; r < FONT_NROLES; r++) {
        for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
            char s[4];
            size_t n = text_utf8_encode(cps[i], s);
            font_cluster c;
            font_cluster_next(FS, (font_role)r, s, n, 0, &c);
            cr_assert(font_has(FS, (font_role)r, cps[i]), "role %d lacks U+%04X", r, cps[i]);
            cr_assert_eq(c.n, 1);
            cr_assert_eq(c.missing, 0, "U+%04X", cps[i]);
            cr_assert_neq(c.g[0].gid, 0, "U+%04X drawn as .notdef", cps[i]);
            cr_assert_gt(c.g[0].advance, 0.8, "U+%04X is a full-width ideograph", cps[i]);
            cr_assert_eq(c.end, n);
        }
    }
    /* the hei face lacks 䶮: it comes from a fallback face */
    cr_assert_not(font_own_face_has(FS, FONT_HEI, 0x4DAE));
    cr_assert(font_has(FS, FONT_HEI, 0x4DAE));
}

/* e + COMBINING ACUTE is one composed glyph (é) standing for both code
 * points; a mark with no precomposed form stacks with no advance. */
Test(font, marks_compose_or_stack)
{
    const char *s = "e\xcc\x81";
    font_cluster c;
    font_cluster_next(FS, FONT_SONG, s, strlen(s), 0, &c);
    cr_assert_eq(c.n, 1);
    cr_assert_eq(c.g[0].from, 0);
    cr_assert_eq(c.g[0].to, 3);
    font_cluster plain;
    font_cluster_next(FS, FONT_SONG, "\xc3\xa9", 2, 0, &plain);   /* é */
    cr_assert_eq(c.g[0].gid, plain.g[0].gid, "the precomposed glyph");
    cr_assert_eq(c.g[0].face, plain.g[0].face);
    const char *t = "e\xcc\x81\xcc\x88x";   /* é + COMBINING DIAERESIS, x */
    font_cluster_next(FS, FONT_SONG, t, strlen(t), 0, &c);
    cr_assert_eq(c.n, 2);
    cr_assert_eq(c.g[1].advance, 0.0, "a stacked mark takes no room");
    cr_assert_eq(c.g[1].from, 3);
    cr_assert_eq(c.g[1].to, 5);
    cr_assert_eq(c.end, 5);
    cr_assert_float_eq(font_advance(FS, FONT_SONG, 0x0308), 0.0, 1e-9);
}

/* ZWJ, ZWNJ, a BOM and variation selectors draw nothing and take no room;
 * their text goes with the glyph before them. */
Test(font, invisible_characters_are_never_drawn)
{
    static const uint32_t inv[] = {0x200D, 0x200C, 0xFEFF, 0xFE0F, 0xE0100, 0x202E, 0x00AD};
    for (size_t i = 0; i < sizeof inv / sizeof inv[0]; i++) {
        char s[4];
        size_t n = text_utf8_encode(inv[i], s);
        font_cluster c;
        font_cluster_next(FS, FONT_SONG, s, n, 0, &c);
        cr_assert_eq(c.n, 0, "U+%04X drawn", inv[i]);
        cr_assert_eq(c.end, n);
        cr_assert_float_eq(font_advance(FS, FONT_SONG, inv[i]), 0.0, 1e-9);
    }
    const char *s = "a\xe2\x80\x8d" "b";   /* a ZWJ b */
    font_cluster c;
    font_cluster_next(FS, FONT_SONG, s, strlen(s), 0, &c);
    cr_assert_eq(c.n, 1);
    cr_assert_eq(c.g[0].to, 4, "the ZWJ's text goes with a");
    cr_assert_eq(c.end, 4);
}

/* 葛 + VS17 (U+E0100) takes the variant glyph from a face that has the
 * sequence, not the plain glyph. */
Test(font, a_variation_selector_picks_the_variant)
{
    const char *v = "\xe8\x91\x9b\xf3\xa0\x84\x80";   /* 葛 U+E0100 */
    font_cluster c, plain;
    font_cluster_next(FS, FONT_SONG, v, strlen(v), 0, &c);
    font_cluster_next(FS, FONT_SONG, v, 3, 0, &plain);
    cr_assert_eq(c.n, 1);
    cr_assert_eq(c.end, strlen(v));
    cr_assert(c.g[0].face != plain.g[0].face || c.g[0].gid != plain.g[0].gid, "the variant, not the plain glyph");
}

/* A character no face has is drawn as the placeholder □ and reported. */
Test(font, a_character_no_face_has_is_the_placeholder)
{
    const char *s = "\xf4\x8f\xbf\xbd";   /* U+10FFFD */
    font_cluster c, box;
    font_cluster_next(FS, FONT_SONG, s, 4, 0, &c);
    font_cluster_next(FS, FONT_SONG, "\xe2\x96\xa1", 3, 0, &box);
    cr_assert_eq(c.missing, 0x10FFFD);
    cr_assert_eq(c.n, 1);
    cr_assert_eq(c.g[0].gid, box.g[0].gid);
    cr_assert_eq(c.g[0].face, box.g[0].face);
    cr_assert_eq(font_missing(FS, FONT_SONG, "王\xf4\x8f\xbf\xbd", 7), 0x10FFFD);
    cr_assert_eq(font_missing(FS, FONT_SONG, "王𠮷", strlen("王𠮷")), 0);
}

/* The glyph of the first cluster of s in role r, and its subset: one glyph
 * of a face (fallback or not), renumbered; the subset parsed back. */
typedef struct one_subset {
    font_glyph g;
    hb_blob_t *blob;
    hb_face_t *face;
    uint32_t newgid;
} one_subset;

static void subset_one(const font_set *fs, font_role r, const char *s, one_subset *o)
{
    font_cluster c;
    font_cluster_next(fs, r, s, strlen(s), 0, &c);
    cr_assert_eq(c.n, 1, "%s", s);
    cr_assert_eq(c.missing, 0, "%s", s);
    o->g = c.g[0];
    unsigned char *data = NULL;
    size_t len = 0;
    sbuf err = {0};
    cr_assert(font_subset_glyphs(fs, o->g.face, &o->g.gid, 1, &o->g.cp, 1, &data, &len, &o->newgid, &err), "%s",
              err.data);
    sbuf_free(&err);
    o->blob = hb_blob_create((const char *)data, (unsigned)len, HB_MEMORY_MODE_WRITABLE, data, free);
    o->face = hb_face_create(o->blob, 0);
}

static void subset_one_free(one_subset *o)
{
    hb_face_destroy(o->face);
    hb_blob_destroy(o->blob);
}

/* The outline and advance of gid in face f (the font's own file). */
static void glyph_shape(hb_face_t *f, uint32_t gid, hb_glyph_extents_t *ext, hb_position_t *adv)
{
    hb_font_t *font = hb_font_create(f);
    cr_assert(hb_font_get_glyph_extents(font, gid, ext), "glyph %u has an outline", gid);
    *adv = hb_font_get_glyph_h_advance(font, gid);
    hb_font_destroy(font);
}

static hb_face_t *face_of(const font_set *fs, int face)
{
    hb_blob_t *b = hb_blob_create_from_file(font_face_path(fs, face));
    hb_face_t *f = hb_face_create(b, 0);
    hb_blob_destroy(b);
    return f;
}

/* A rare character's glyph from a fallback face (Extension B from
 * Hanazono B, Extension G from BabelStone Han, Extension A for the hei role
 * and a variation sequence's variant from Hanazono A) is subset by its glyph
 * id from the face with its cmap cut to U+0020: the subset holds that glyph
 * with its own outline and advance, .notdef and the space, and a cmap of the
 * space alone, not the face's (hb-subset would otherwise work through all
 * of a big cmap, variation sequences included, for every PDF). */
Test(font, a_fallback_face_is_subset_by_glyph_without_its_cmap)
{
    static const struct { font_role r; const char *s; } cases[] = {
        {FONT_SONG, "𠮷"}, {FONT_SONG, "𰻞"}, {FONT_HEI, "\xe3\x90\x80"},   /* U+3400 */
        {FONT_SONG, "\xe8\x91\x9b\xf3\xa0\x84\x80"},                       /* 葛 U+E0100 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        one_subset o;
        subset_one(FS, cases[i].r, cases[i].s, &o);
        cr_assert_neq(o.g.face, font_face_id(FS, cases[i].r), "%s comes from a fallback face", cases[i].s);
        cr_assert_leq(hb_face_get_glyph_count(o.face), 3, "%s: .notdef, space, the glyph", cases[i].s);
        cr_assert_neq(o.newgid, 0);
        hb_blob_t *cmap = hb_face_reference_table(o.face, HB_TAG('c', 'm', 'a', 'p'));
        cr_assert_gt(hb_blob_get_length(cmap), 0, "libharu needs a cmap to parse");
        cr_assert_leq(hb_blob_get_length(cmap), 64, "%s: the space's cmap, %u bytes", cases[i].s,
                      hb_blob_get_length(cmap));
        hb_blob_destroy(cmap);
        hb_set_t *u = hb_set_create();
        hb_face_collect_unicodes(o.face, u);
        cr_assert_eq(hb_set_get_population(u), 1);
        cr_assert(hb_set_has(u, ' '));
        hb_set_destroy(u);
        hb_face_t *src = face_of(FS, o.g.face);
        hb_glyph_extents_t want, got;
        hb_position_t want_adv, got_adv;
        glyph_shape(src, o.g.gid, &want, &want_adv);
        glyph_shape(o.face, o.newgid, &got, &got_adv);
        cr_assert(!memcmp(&want, &got, sizeof want), "%s: the same outline", cases[i].s);
        cr_assert_eq(want_adv, got_adv);
        hb_face_destroy(src);
        subset_one_free(&o);
    }
}

/* A role's own face is still subset by code points (its subset keeps a
 * cmap of the characters drawn). */
Test(font, a_role_face_is_subset_by_code_point)
{
    one_subset o;
    subset_one(FS, FONT_SONG, "王", &o);
    cr_assert_eq(o.g.face, font_face_id(FS, FONT_SONG));
    hb_set_t *u = hb_set_create();
    hb_face_collect_unicodes(o.face, u);
    cr_assert(hb_set_has(u, 0x738B));
    hb_set_destroy(u);
    subset_one_free(&o);
}

/* Threads subsetting one fallback face at once (its lean source is made on
 * the first use of any of them) all get the same bytes. */
typedef struct subset_job {
    const font_set *fs;
    font_glyph g;
    unsigned char *data;
    size_t len;
    bool ok;
} subset_job;

static void *subset_thread(void *arg)
{
    subset_job *j = arg;
    sbuf err = {0};
    uint32_t newgid;
    j->ok = font_subset_glyphs(j->fs, j->g.face, &j->g.gid, 1, &j->g.cp, 1, &j->data, &j->len, &newgid, &err);
    sbuf_free(&err);
    return NULL;
}

Test(font, threads_subset_a_fallback_face_alike)
{
    sbuf err = {0};
    font_set *fs = font_set_open(NULL, &err);   /* fresh: no lean source made yet */
    cr_assert_not_null(fs, "%s", err.data);
    font_cluster c;
    font_cluster_next(fs, FONT_SONG, "𰻞", strlen("𰻞"), 0, &c);
    enum { N = 4 };
    subset_job jobs[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (subset_job){fs, c.g[0], NULL, 0, false};
        cr_assert_eq(pthread_create(&t[i], NULL, subset_thread, &jobs[i]), 0);
    }
    for (int i = 0; i < N; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < N; i++) {
        cr_assert(jobs[i].ok);
        cr_assert_eq(jobs[i].len, jobs[0].len);
        cr_assert(!memcmp(jobs[i].data, jobs[0].data, jobs[0].len));
    }
    for (int i = 0; i < N; i++) free(jobs[i].data);
    font_set_free(fs);
    sbuf_free(&err);
}

/* The first cluster of s in the song role. */
static font_cluster first_cluster(const char *s)
{
    font_cluster c;
    font_cluster_next(FS, FONT_SONG, s, strlen(s), 0, &c);
    return c;
}

/* An Arabic name is one run shaped by HarfBuzz: its letters joined (the
 * glyphs differ from the letters' isolated forms), right to left (the last
 * letter drawn first), every byte of its text carried by some glyph. */
Test(font, arabic_is_shaped_and_drawn_right_to_left)
{
    const char *s = "\xd9\x85\xd8\xb1\xd9\x8a\xd9\x85";   /* مريم */
    font_cluster c = first_cluster(s);
    cr_assert(c.placed);
    cr_assert_eq(c.end, strlen(s));
    cr_assert_eq(c.n, 4);
    cr_assert_eq(c.g[0].from, 6, "the last letter is drawn leftmost");
    cr_assert_eq(c.g[3].from, 0);
    font_cluster lone = first_cluster("\xd9\x8a");   /* ي alone: its isolated form */
    cr_assert_eq(lone.g[0].face, c.g[1].face);
    cr_assert_neq(lone.g[0].gid, c.g[1].gid, "ي between letters takes its medial form");
    size_t text = 0;
    for (size_t k = 0; k < c.n; k++) text += c.g[k].to - c.g[k].from;
    cr_assert_eq(text, strlen(s));
    /* two words: one run, the first word on the right */
    const char *two = "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xb9\xd9\x84\xd9\x8a";   /* محمد علي */
    c = first_cluster(two);
    cr_assert_eq(c.end, strlen(two));
    cr_assert_geq(c.g[0].from, 9, "علي is drawn left of محمد");
}

/* Hebrew is drawn right to left: the final mem of שלום first. */
Test(font, hebrew_is_drawn_right_to_left)
{
    font_cluster c = first_cluster("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d");
    cr_assert(c.placed);
    cr_assert_eq(c.n, 4);
    cr_assert_eq(c.g[0].cp, 0x05DD);
    cr_assert_eq(c.g[3].cp, 0x05E9);
}

/* A mark with no precomposed form is placed by the face's own positioning
 * (HarfBuzz), over or under its base: no advance, its own text. */
Test(font, marks_are_placed_by_harfbuzz)
{
    const char *s = "a\xcc\xb1" "b";   /* a + COMBINING MACRON BELOW, b */
    font_cluster c = first_cluster(s);
    cr_assert(c.placed);
    cr_assert_eq(c.n, 2);
    cr_assert_eq(c.end, 3);
    cr_assert_eq(c.g[0].face, c.g[1].face, "base and mark from one face");
    cr_assert_float_eq(c.g[1].advance, 0.0, 1e-9);
    cr_assert_eq(c.g[1].from, 1);
    cr_assert_eq(c.g[1].to, 3);
}

/* A face that maps a character to an empty glyph does not have it (the
 * Unifont sample maps Thai and Devanagari so): the character is the
 * placeholder and reported, never a blank. */
Test(font, an_empty_glyph_is_not_a_glyph)
{
    cr_assert_eq(font_missing(FS, FONT_SONG, "\xe0\xb8\xb1", 3), 0x0E31);   /* THAI MAI HAN-AKAT */
    cr_assert_eq(font_missing(FS, FONT_SONG, "\xe0\xa4\x85", 3), 0x0905);   /* DEVANAGARI A */
    cr_assert_eq(font_missing(FS, FONT_SONG, "\xe0\xb8\x81", 3), 0);        /* THAI KO KAI: Hanazono has it */
    cr_assert_eq(font_missing(FS, FONT_SONG, " \xe2\x80\x8d", 4), 0);      /* a space, a ZWJ */
}

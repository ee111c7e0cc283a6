/* font: the fallback chain of faces and the clusters text is drawn as. */
#include <criterion/criterion.h>
#include <string.h>

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

/* Unit tests for qr (the archive code of a printed page) and scan (finding
 * it again on a scanned page): the identifier's text round-trips and
 * foreign texts are refused; the check value follows the content; a code
 * drawn by qr_draw in a low, middle and high bottom margin decodes from a
 * 150 and a 300 dpi rendering of the page, and the decoder says how the
 * page was turned. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

#include "layout.h"
#include "qr.h"
#include "scan.h"

static qr_ident sample_id(void)
{
    qr_ident id = {2025, "U001", "P0001", "REG", 2, 3, "3FA9B21C"};
    return id;
}

Test(qr, identifier_round_trips)
{
    qr_ident id = sample_id(), back;
    sbuf b = {0};
    qr_format(&id, &b);
    cr_assert_str_eq(b.data, "KH1 2025 U001 P0001 REG 2/3 3FA9B21C");
    cr_assert(qr_parse(b.data, b.len, &back));
    cr_assert_eq(back.year, 2025);
    cr_assert_str_eq(back.unit, "U001");
    cr_assert_str_eq(back.person, "P0001");
    cr_assert_str_eq(back.form, "REG");
    cr_assert_eq(back.page, 2);
    cr_assert_eq(back.pages, 3);
    cr_assert_str_eq(back.check, "3FA9B21C");
    sbuf_free(&b);
}

Test(qr, foreign_and_broken_texts_are_refused)
{
    static const char *bad[] = {
        "https://example.com/x",                       /* a foreign code */
        "KH1 2025 U001 P0001 REG 4/3 3FA9B21C",        /* page beyond the count */
        "KH1 2025 U001 P0001 REG 0/3 3FA9B21C",
        "KH1 2025 U001 P0001 XYZ 1/3 3FA9B21C",        /* unknown form */
        "KH1 2025 U/01 P0001 REG 1/3 3FA9B21C",        /* not an id: a path */
        "KH1 2025 U001 P0001 REG 1/3 3fa9b21c",        /* check in lower case */
        "KH1 2025 U001 P0001 REG 1/3 3FA9B21C extra",
        "KH1 2025 U001 P0001 REG 1/3",
        "KH2 2025 U001 P0001 REG 1/3 3FA9B21C",
    };
    qr_ident id;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_expect_not(qr_parse(bad[i], strlen(bad[i]), &id), "accepted: %s", bad[i]);
}

Test(qr, form_codes_and_print_order)
{
    cr_assert_str_eq(qr_form_code("registration"), "REG");
    cr_assert_str_eq(qr_form_base("QUOTA"), "quota-application");
    cr_assert_null(qr_form_code("ballot"), "the blank ballot carries no code");
    cr_assert_lt(qr_form_order("QUOTA"), qr_form_order("REG"));
    cr_assert_lt(qr_form_order("REG"), qr_form_order("FILING"));
}

Test(qr, check_value_follows_the_content)
{
    lo_cell c1 = {.row = 0, .col = 0, .text = "张三"}, c2 = {.row = 0, .col = 0, .text = "张四"};
    lo_page p1 = {.cells = &c1, .ncells = 1}, p2 = {.cells = &c2, .ncells = 1};
    uint64_t a = QR_CHECK_INIT, b = QR_CHECK_INIT, a2 = QR_CHECK_INIT;
    qr_check_page(&a, &p1);
    qr_check_page(&b, &p2);
    qr_check_page(&a2, &p1);
    char ha[9], hb[9], ha2[9];
    qr_check_hex(a, ha);
    qr_check_hex(b, hb);
    qr_check_hex(a2, ha2);
    cr_assert_str_eq(ha, ha2);
    cr_assert_str_neq(ha, hb);
    cr_assert_eq(strlen(ha), 8);
}

static double courier_em(void *ctx, uint32_t cp)
{
    (void)ctx;
    (void)cp;
    return 0.6;   /* every Courier advance */
}

/* An A4 page (portrait or landscape) with only the code of text, drawn for
 * a bottom margin of mb mm, saved to a temp file; its path (malloc'd). */
static char *page_with_code(const char *text, double w, double h, double mb)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    cr_assert(pdf);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetWidth(page, (HPDF_REAL)(w * 72 / 25.4));
    HPDF_Page_SetHeight(page, (HPDF_REAL)(h * 72 / 25.4));
    qr_page qp = {w, h, mb, 15};
    text_metrics m = {courier_em, NULL};
    qr_text_at at;
    cr_assert(qr_draw(page, &qp, text, &m, &at));
    HPDF_Page_BeginText(page);   /* the writer draws the text where qr_draw says */
    HPDF_Page_SetFontAndSize(page, HPDF_GetFont(pdf, "Courier", NULL), (HPDF_REAL)at.size);
    HPDF_Page_TextOut(page, (HPDF_REAL)at.x, (HPDF_REAL)at.y, text);
    HPDF_Page_EndText(page);
    char *path = strdup("/tmp/qr-test-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(HPDF_SaveToFile(pdf, path), HPDF_OK);
    HPDF_Free(pdf);
    return path;
}

/* Render path at dpi with pdftoppm (grey), turned by `rotate` degrees with
 * ImageMagick, and decode it. */
static void decode_rendered(const char *path, int dpi, int rotate, scan_code *code)
{
    char cmd[1400], png[300];
    snprintf(png, sizeof png, "%s-%d-%d.png", path, dpi, rotate);
    snprintf(cmd, sizeof cmd, "pdftoppm -r %d -gray -singlefile %s %s.tmp && convert %s.tmp.pgm -rotate %d %s",
             dpi, path, png, png, rotate, png);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    scan_list l = {0};
    sbuf err = {0};
    cr_assert(scan_list_add(&l, png, &err), "%s", err.data);
    scan_reader *r = scan_reader_new();
    const scan_image *img;
    cr_assert(scan_read(r, &l.v[0], 0, &img, &err), "%s", err.data);
    scan_decode(img, code);
    scan_reader_free(r);
    scan_list_free(&l);
    sbuf_free(&err);
    snprintf(cmd, sizeof cmd, "rm -f %s %s.tmp.pgm", png, png);
    cr_assert_eq(system(cmd), 0);
}

Test(qr, drawn_codes_decode_from_renderings, .timeout = 120)
{
    /* rendering and decoding a dozen pages takes over 2 minutes under
     * valgrind; the archive's e2e tests decode codes there anyway */
    if (getenv("KAOHE_TEST_SLOW")) cr_skip_test("too slow under valgrind (KAOHE_TEST_SLOW)");
    const char *text = "KH1 2025 U00001 P0000001 REG 1/2 D09723DA";
    struct { double w, h, mb; int dpi; } cases[] = {
        {210, 297, 20, 150}, {297, 210, 15, 200}, {297, 210, 12, 300}, {210, 297, 35, 150},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *path = page_with_code(text, cases[i].w, cases[i].h, cases[i].mb);
        for (int rot = 0; rot < 360; rot += 90) {
            scan_code code;
            decode_rendered(path, cases[i].dpi, rot, &code);
            cr_expect_str_eq(code.text, text, "margin %g mm at %d dpi turned %d", cases[i].mb, cases[i].dpi, rot);
            cr_expect_eq(code.turn, (4 - rot / 90) % 4, "margin %g mm turned %d: turn %d", cases[i].mb, rot,
                         code.turn);
        }
        unlink(path);
        free(path);
    }
}

/* Coarse reading (scan_reader_coarse): a 200 dpi JPEG is decoded at 100 dpi
 * and says it is reduced; a code of 0.5 mm modules still decodes there, one
 * shrunk to 0.33 mm (a 12 mm margin) does not, and the full read that the
 * archive then makes finds it. */
Test(qr, coarse_read_and_full_read_again, .timeout = 120)
{
    const char *text = "KH1 2025 U00001 P0000001 REG 1/2 D09723DA";
    double margins[2] = {35, 12};
    for (int i = 0; i < 2; i++) {
        char *path = page_with_code(text, 210, 297, margins[i]);
        char cmd[1200], jpg[300];
        snprintf(jpg, sizeof jpg, "%s.jpg", path);
        snprintf(cmd, sizeof cmd, "pdftoppm -r 200 -gray -singlefile %s %s.t && convert %s.t.pgm -units "
                 "PixelsPerInch -density 200 -quality 75 %s && rm %s.t.pgm", path, path, path, jpg, path);
        cr_assert_eq(system(cmd), 0, "%s", cmd);
        scan_list l = {0};
        sbuf err = {0};
        cr_assert(scan_list_add(&l, jpg, &err), "%s", err.data);
        scan_reader *r = scan_reader_new();
        const scan_image *img;
        scan_code code;
        scan_reader_coarse(r, true);
        cr_assert(scan_read(r, &l.v[0], 0, &img, &err), "%s", err.data);
        cr_expect(img->reduced && img->w == 827 && fabs(img->dpi - 100) < 0.5, "%d px, %g dpi", img->w, img->dpi);
        bool coarse = scan_decode(img, &code);
        cr_expect_eq(coarse, i == 0, "margin %g mm: decoded at 100 dpi %d", margins[i], coarse);
        scan_reader_coarse(r, false);
        cr_assert(scan_read(r, &l.v[0], 0, &img, &err), "%s", err.data);
        cr_expect(!img->reduced && img->w == 1654);
        cr_expect(scan_decode(img, &code) && !strcmp(code.text, text), "margin %g mm at full size", margins[i]);
        scan_reader_free(r);
        scan_list_free(&l);
        sbuf_free(&err);
        unlink(jpg);
        unlink(path);
        free(path);
    }
}

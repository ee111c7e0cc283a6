/* Unit tests for sigcheck (UNSIGNED_SUSPECT): the signature places found in
 * a page's text layout and named by their section, the page-to-scan map
 * fitted to points, and the ink measured in a place of a synthetic scan,
 * turned, scaled and shifted beyond what the map says, with and without a
 * pen's stroke, and on a scan without the print (unsure). */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sigcheck.h"

/* ---------------------------------------------------------------- text layout */

typedef struct layout {
    sig_char v[512];
    size_t n;
} layout;

/* A line of text at (x, y), 11 pt characters (CJK: 1 em wide, ASCII half). */
static void put(layout *l, double x, double y, const char *s)
{
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        double w = c < 128 ? 5.5 : 11;
        l->v[l->n++] = (sig_char){c, x, y, x + w, y + 11.5};
        x += w;
    }
    l->v[l->n++] = (sig_char){'\n', x, y + 11.5, x, y + 11.5};
}

/* The signature line as the forms print it: 签名： at x, 年 6 em later. */
static void sign_line(layout *l, double x, double y, const char *label)
{
    put(l, x, y, label);
    double end = l->v[l->n - 2].x1;
    l->n--;   /* the line goes on: 年 月 日 */
    put(l, end + 66, y, "年");
    l->n--;
    put(l, end + 99, y, "月");
    l->n--;
    put(l, end + 132, y, "日");
}

Test(sigcheck, places_found_and_named_by_their_section)
{
    layout l = {.n = 0};
    put(&l, 42, 28, "2025年度");                 /* the running head */
    put(&l, 53, 135, "主管领导");                /* a first column's label, on lines */
    put(&l, 53, 149, "评语和考");
    put(&l, 58, 162, "核等次");
    put(&l, 64, 176, "建议");
    put(&l, 112, 243, "考核等次建议：称职");     /* left of the place, on its line */
    sign_line(&l, 340, 243, "签名：");
    put(&l, 47, 323, "机关负责人");
    put(&l, 47, 337, "或考核委员");
    put(&l, 58, 351, "会意见");
    put(&l, 112, 360, "这一段意见写满了一行，一直写到页面的右边去了。。。。。。");   /* content */
    put(&l, 112, 374, "短的末行");               /* its short last line: not a label */
    sign_line(&l, 296, 397, "签名（盖章）：");
    put(&l, 300, 500, "签名：张三");              /* filled in already: not a place */
    sig_field f[8];
    size_t n = sig_fields(l.v, l.n, f, 8);
    cr_assert_eq(n, 2, "places: %zu", n);
    cr_expect_str_eq(f[0].name, "主管领导评语和考核等次建议 签名");
    cr_expect_str_eq(f[1].name, "机关负责人或考核委员会意见 签名（盖章）");
    /* the blank: after the colon, short of the date's year digits, above the line more than below */
    double colon = 340 + 33, nian = colon + 66;
    cr_expect(f[0].box[0] > colon && f[0].box[0] < colon + 5, "%g", f[0].box[0]);
    cr_expect(f[0].box[2] < nian - 2 * 11 && f[0].box[2] > colon + 2 * 11, "%g", f[0].box[2]);
    cr_expect(f[0].box[1] < 243 - 5 && f[0].box[3] > 243 + 11 && f[0].box[3] < 243 + 14);
    cr_expect(f[0].around[0] < 340 && f[0].around[2] > nian + 66, "the label and the date around it");
    cr_expect_eq(sig_fields(l.v, l.n, f, 1), 1, "at most cap");
}

Test(sigcheck, a_place_without_section_label_is_named_by_its_own)
{
    layout l = {.n = 0};
    put(&l, 60, 100, "根据有关规定，经审核，你的考核等次确定为称职，特此通知本人并请签收。");
    sign_line(&l, 306, 672, "本人签名：");
    sig_field f[2];
    cr_assert_eq(sig_fields(l.v, l.n, f, 2), 1);
    cr_expect_str_eq(f[0].name, "本人签名");
}

/* A 续页: the continued text's lines start where the place's label would,
 * its last short lines are the text's, and the heading over the box is
 * not the place's section. */
Test(sigcheck, a_continued_text_is_no_label)
{
    layout l = {.n = 0};
    put(&l, 42, 60, "个人总结（续页）——某某（P0001）");
    put(&l, 42, 79, "表面。工作方法有时比较简单，在统筹协调方面还有待加强，业务知识更新不够及时。");
    put(&l, 42, 93.5, "量。");
    put(&l, 42, 108, "以上总结如有不当之处，敬请批评指正。");
    sign_line(&l, 300, 130, "签名：");
    sig_field f[2];
    cr_assert_eq(sig_fields(l.v, l.n, f, 2), 1);
    cr_expect_str_eq(f[0].name, "签名");
}

/* ---------------------------------------------------------------- the map */

Test(sigcheck, fit_recovers_a_turn_scale_and_shift)
{
    double t = 3 * M_PI / 180, k = 2.5, tx = 40, ty = -12;
    double from[12] = {500, 790, 540, 790, 540, 830, 500, 830, 300, 250, 100, 600}, to[12];
    for (int i = 0; i < 6; i++) {
        double x = from[2 * i], y = from[2 * i + 1];
        to[2 * i] = k * (cos(t) * x - sin(t) * y) + tx;
        to[2 * i + 1] = k * (sin(t) * x + cos(t) * y) + ty;
    }
    double a[6];
    cr_assert(sig_fit(from, to, 6, a));
    double want[6] = {k * cos(t), -k * sin(t), tx, k * sin(t), k * cos(t), ty};
    for (int i = 0; i < 6; i++) cr_expect(fabs(a[i] - want[i]) < 1e-9, "a[%d] %g, not %g", i, a[i], want[i]);
    double same[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    cr_expect_not(sig_fit(same, to, 4, a), "degenerate points");
}

/* ---------------------------------------------------------------- measuring */

/* What is printed (and written) on a page, in points: filled rectangles. */
typedef struct rect {
    double x0, y0, x1, y1;
} rect;

static const rect PRINT[] = {
    {300, 400, 302, 411}, {304, 400, 312, 402}, {306, 404, 310, 411}, /* a label's strokes */
    {314, 401, 322, 403}, {318, 401, 320, 411}, {324, 405, 326, 407}, /* and its colon */
    {400, 400, 410, 402}, {404, 400, 406, 411},                         /* the date's 年 */
    {290, 421, 430, 421.6},                                             /* the cell's rule */
};

static bool inked(const rect *r, size_t n, double x, double y)
{
    for (size_t i = 0; i < n; i++)
        if (x >= r[i].x0 && x < r[i].x1 && y >= r[i].y0 && y < r[i].y1) return true;
    return false;
}

/* The original region `at` at 100 dpi (4 × 4 samples a pixel). */
static sig_grey render(const double at[4])
{
    sig_grey g = {NULL, (int)ceil((at[2] - at[0]) * 100 / 72), (int)ceil((at[3] - at[1]) * 100 / 72), 100};
    g.px = malloc((size_t)g.w * g.h);
    for (int v = 0; v < g.h; v++)
        for (int u = 0; u < g.w; u++) {
            int hits = 0;
            for (int j = 0; j < 4; j++)
                for (int i = 0; i < 4; i++)
                    hits += inked(PRINT, sizeof PRINT / sizeof *PRINT, at[0] + (u + (i + 0.5) / 4) * 0.72,
                                  at[1] + (v + (j + 0.5) / 4) * 0.72);
            g.px[(size_t)v * g.w + u] = (unsigned char)(255 - hits * 255 / 16);
        }
    return g;
}

/* A scan: the page turned by `deg` at 200 dpi (a true map `a`), with the
 * print when `print`, and a pen's stroke in the blank when `pen`, on paper
 * of grey 235. */
static scan_image scan(double deg, bool print, bool pen, double a[6])
{
    double t = deg * M_PI / 180, k = 200.0 / 72;
    a[0] = k * cos(t), a[1] = -k * sin(t), a[2] = 60, a[3] = k * sin(t), a[4] = k * cos(t), a[5] = -30;
    scan_image img = {NULL, 1300, 1300, 200};
    img.px = malloc((size_t)img.w * img.h);
    static const rect PEN[] = {{332, 396, 370, 398}, {340, 392, 342, 410}, {350, 398, 366, 400}};
    double det = a[0] * a[4] - a[1] * a[3];
    for (int y = 0; y < img.h; y++)
        for (int x = 0; x < img.w; x++) {   /* the page point under the pixel */
            double dx = x + 0.5 - a[2], dy = y + 0.5 - a[5];
            double px = (a[4] * dx - a[1] * dy) / det, py = (-a[3] * dx + a[0] * dy) / det;
            bool ink = (print && inked(PRINT, sizeof PRINT / sizeof *PRINT, px, py)) ||
                       (pen && inked(PEN, sizeof PEN / sizeof *PEN, px, py));
            img.px[(size_t)y * img.w + x] = ink ? 30 : 235;
        }
    return img;
}

static const double AT[4] = {280, 380, 440, 430}, BOX[4] = {330, 390, 380, 412};

/* The map the code's corners would give: the true one 1.5 mm off. */
static void off_by(double a[6], double mm)
{
    a[2] += mm / 25.4 * 200;
    a[5] -= mm / 25.4 * 200;
}

Test(sigcheck, measure_tells_a_stroke_from_a_blank)
{
    sig_grey o = render(AT);
    double a[6], ink;
    scan_image blank = scan(2, true, false, a);
    off_by(a, 1.5);
    cr_expect_eq(sig_measure(&o, AT, BOX, &blank, a, 3, &ink), SIG_EMPTY, "ink %g", ink);
    cr_expect(ink < 0.005, "the print around the place is the original's: %g", ink);
    scan_image pen = scan(2, true, true, a);
    off_by(a, -1.5);
    cr_expect_eq(sig_measure(&o, AT, BOX, &pen, a, 3, &ink), SIG_SIGNED, "ink %g", ink);
    cr_expect(ink > 0.05, "%g", ink);
    scan_image none = scan(2, false, true, a);
    cr_expect_eq(sig_measure(&o, AT, BOX, &none, a, 3, &ink), SIG_UNSURE, "no print to place it by: %g", ink);
    free(blank.px);
    free(pen.px);
    free(none.px);
    free(o.px);
}

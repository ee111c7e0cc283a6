/* sigcheck — see sigcheck.h. */
#include "sigcheck.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "zxread.h"

#define CP_QIAN 0x7B7E        /* 签 */
#define CP_MING 0x540D        /* 名 */
#define CP_NIAN 0x5E74        /* 年 */
#define CP_COLON 0xFF1A       /* ： */

/* ---------------------------------------------------------------- places */

typedef struct line {
    size_t from, to;              /* characters [from, to) */
    double x0, y0, x1, y1;
} line;

static line *split_lines(const sig_char *ch, size_t n, size_t *nl)
{
    line *v = xmalloc((n + 1) * sizeof *v);
    *nl = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && ch[i].cp == '\n') i++;
        if (i == n) break;
        line l = {i, i, ch[i].x0, ch[i].y0, ch[i].x1, ch[i].y1};
        for (; i < n && ch[i].cp != '\n'; i++) {
            l.x0 = fmin(l.x0, ch[i].x0);
            l.y0 = fmin(l.y0, ch[i].y0);
            l.x1 = fmax(l.x1, ch[i].x1);
            l.y1 = fmax(l.y1, ch[i].y1);
        }
        l.to = i;
        v[(*nl)++] = l;
    }
    return v;
}

static void put_cp(sbuf *b, uint32_t cp)
{
    char u[8];
    int k = g_unichar_to_utf8(cp, u);
    sbuf_add(b, u, (size_t)k);
}

static void put_line(sbuf *b, const sig_char *ch, const line *l)
{
    for (size_t i = l->from; i < l->to; i++)
        if (ch[i].cp != ' ' && ch[i].cp != 0x3000) put_cp(b, ch[i].cp);
}

static bool overlap(double a0, double a1, double b0, double b1) { return a0 < b1 && b0 < a1; }

/* The label of the section a place at `sig` closes: the lines above it and
 * left of its line (a form's first column), nearest first, as long as they
 * follow closely; a line under or beside which a wider line runs, between
 * it and the place or up to two lines above it, is the section's content
 * (a paragraph's last line), not its label. */
static void section_label(const sig_char *ch, const line *ls, size_t nl, const sig_char *sig, sbuf *out)
{
    double top = sig->y0, bot = sig->y1, em = bot - top, left = sig->x0;
    for (size_t i = 0; i < nl; i++) {
        double cy = (ls[i].y0 + ls[i].y1) / 2;
        if (cy >= top && cy <= bot) left = fmin(left, ls[i].x0);
    }
    enum { MAXL = 6 };
    const line *take[MAXL];
    int nt = 0;
    const line *last = NULL;
    for (;;) {   /* the next qualifying line above `last` (or the place) */
        const line *best = NULL;
        double limit = last ? last->y0 : top - 0.2 * em;
        for (size_t i = 0; i < nl; i++) {
            const line *l = &ls[i];
            double cy = (l->y0 + l->y1) / 2;
            if (cy >= limit || l->x1 >= left - 0.3 * em) continue;
            if (best && l->y0 <= best->y0) continue;
            bool content = false;
            for (size_t k = 0; k < nl && !content; k++) {
                const line *w = &ls[k];
                content = w->x1 >= left - 0.3 * em && (w->y0 + w->y1) / 2 < top &&
                          overlap(w->x0, w->x1, l->x0, l->x1) &&
                          overlap(w->y0, w->y1, l->y0 - 2.5 * (l->y1 - l->y0), top);
            }
            if (!content) best = l;
        }
        if (!best || nt == MAXL) break;
        if (last && last->y0 - best->y1 > 2.5 * (best->y1 - best->y0)) break;
        take[nt++] = last = best;
    }
    for (int i = nt - 1; i >= 0; i--) put_line(out, ch, take[i]);
}

/* The place of the 签名 at ch[i] of line l into f; false when it is not one
 * (no colon soon after, no room before the next character). */
static bool place(const sig_char *ch, const line *ls, size_t nl, const line *l, size_t i, sig_field *f)
{
    size_t j = i + 2;
    while (j < l->to && j < i + 8 && ch[j].cp != CP_COLON && ch[j].cp != ':') j++;
    if (j >= l->to || j >= i + 8) return false;
    const sig_char *c = &ch[j];
    double em = c->y1 - c->y0;
    if (em <= 0) return false;
    size_t nx = j + 1;
    while (nx < l->to && (ch[nx].cp == ' ' || ch[nx].cp == 0x3000)) nx++;
    const sig_char *next = nx < l->to ? &ch[nx] : NULL;
    double end = next ? next->x0 : c->x1 + 6 * em;
    if (end - c->x1 < 2 * em) return false;   /* filled in already (签名：张三) */
    /* the date's year is written just before 年: leave it room */
    double x0 = c->x1 + 0.15 * em, x1 = end - (next && next->cp == CP_NIAN ? 2.2 * em : 0.3 * em);
    if (x1 - x0 < 1.5 * em) x1 = end - 0.3 * em;
    f->box[0] = x0;
    f->box[1] = c->y0 - 0.9 * em;   /* a hand writes bigger than print, above the line more than below */
    f->box[2] = x1;
    f->box[3] = c->y1 + 0.1 * em;
    size_t k = i;   /* the label's start: 本人签名 */
    while (k > l->from && ch[k - 1].cp != ' ' && ch[k - 1].cp != 0x3000 && ch[k].x0 - ch[k - 1].x1 < 0.5 * em) k--;
    double right = next ? l->x1 : end;
    f->around[0] = ch[k].x0 - em;
    f->around[1] = f->box[1] - 0.5 * em;
    f->around[2] = fmin(right, end + 6 * em) + em;
    f->around[3] = c->y1 + 1.2 * em;   /* the cell's rule below: it places the line vertically */
    sbuf name = {0};
    section_label(ch, ls, nl, &ch[k], &name);
    if (name.len) sbuf_putc(&name, ' ');
    for (size_t q = k; q < j; q++) put_cp(&name, ch[q].cp);
    snprintf(f->name, sizeof f->name, "%s", name.data ? name.data : "");
    sbuf_free(&name);
    return true;
}

size_t sig_fields(const sig_char *ch, size_t n, sig_field *out, size_t cap)
{
    size_t nl, nf = 0;
    line *ls = split_lines(ch, n, &nl);
    for (size_t li = 0; li < nl && nf < cap; li++)
        for (size_t i = ls[li].from; i + 1 < ls[li].to && nf < cap; i++)
            if (ch[i].cp == CP_QIAN && ch[i + 1].cp == CP_MING && place(ch, ls, nl, &ls[li], i, &out[nf])) nf++;
    free(ls);
    return nf;
}

/* ---------------------------------------------------------------- measuring */

bool sig_fit(const double *from, const double *to, int n, double a[6])
{
    /* q = z p + t in complex numbers: z = Σ conj(p') q' / Σ |p'|² over the
     * points less their centroids (a turn and one scale: the code's four
     * corners a pixel off would make a general affine map shear visibly at
     * the far end of the page) */
    double pcx = 0, pcy = 0, qcx = 0, qcy = 0;
    if (n < 2) return false;
    for (int k = 0; k < n; k++) {
        pcx += from[2 * k] / n, pcy += from[2 * k + 1] / n;
        qcx += to[2 * k] / n, qcy += to[2 * k + 1] / n;
    }
    double re = 0, im = 0, nn = 0;
    for (int k = 0; k < n; k++) {
        double px = from[2 * k] - pcx, py = from[2 * k + 1] - pcy;
        double qx = to[2 * k] - qcx, qy = to[2 * k + 1] - qcy;
        re += px * qx + py * qy;
        im += px * qy - py * qx;
        nn += px * px + py * py;
    }
    if (nn < 1e-6 || re * re + im * im < 1e-12) return false;
    double ca = re / nn, sb = im / nn;
    a[0] = ca, a[1] = -sb, a[2] = qcx - (ca * pcx - sb * pcy);
    a[3] = sb, a[4] = ca, a[5] = qcy - (sb * pcx + ca * pcy);
    return true;
}

#define ORIG_DARK 160     /* a rendered original's ink */
#define EXPLAIN_PX 2      /* scan ink this close to the original's is the original's */

/* Where an original region lies on the scan: the scan's grey sampled on
 * the region's grid widened by s cells a side, the shift of the original
 * on it that puts the original's ink on the darkest cells, and the greys
 * of paper and print there. */
typedef struct match {
    int s, w;                    /* margin and row length of grey */
    unsigned char *grey;
    int paper;                   /* the paper's grey: the region is mostly blank */
    int print;                   /* the median grey under the original's ink, at the shift */
    int thr;                     /* ink: darker than halfway between */
    double busy;                 /* the share of the region's cells that dark */
    int dx, dy;                  /* the shift, cells */
    size_t nd;                   /* the original's ink cells */
} match;

/* The scan's grey on o's grid widened by m->s cells a side: each cell the
 * mean of k × k samples (as the original is rendered: a cell's grey is the
 * share of it inked), white outside the scan. */
static void sample(const sig_grey *o, const double at[4], const scan_image *img, const double a[6], match *m)
{
    int w = m->w = o->w + 2 * m->s, h = o->h + 2 * m->s;
    m->grey = xmalloc((size_t)w * h);
    double step = 72.0 / o->dpi;
    /* 2 × 2 samples a cell at most: 0.18 mm apart at 100 dpi, less than a stroke */
    int k = hypot(a[0], a[3]) * step > 1.25 ? 2 : 1;
    double sub = step / k, x0 = at[0] - m->s * step + sub / 2;
    unsigned *acc = xmalloc((size_t)w * sizeof *acc);
    size_t hist[256] = {0};
    for (int v = 0; v < h; v++) {
        memset(acc, 0, (size_t)w * sizeof *acc);
        for (int j = 0; j < k; j++) {
            /* 16.16 fixed point along the row: no conversion a sample */
            double y = at[1] + (v - m->s) * step + (j + 0.5) * sub;
            int64_t X = llround((a[0] * x0 + a[1] * y + a[2]) * 65536), Y = llround((a[3] * x0 + a[4] * y + a[5]) * 65536);
            int64_t dX = llround(a[0] * sub * 65536), dY = llround(a[3] * sub * 65536);
            for (int u = 0; u < w; u++)
                for (int i = 0; i < k; i++, X += dX, Y += dY) {
                    uint32_t ix = (uint32_t)(X >> 16), iy = (uint32_t)(Y >> 16);   /* < 0: far beyond w */
                    acc[u] += ix < (uint32_t)img->w && iy < (uint32_t)img->h ? img->px[(size_t)iy * img->w + ix] : 255u;
                }
        }
        for (int u = 0; u < w; u++) {
            unsigned char p = (unsigned char)(acc[u] / (unsigned)(k * k));
            m->grey[(size_t)v * w + u] = p;
            hist[p]++;
        }
    }
    free(acc);
    size_t want = (size_t)w * h * 6 / 10, seen = 0;   /* the 60th percentile */
    int lvl = 0;
    while (lvl < 255 && (seen += hist[lvl]) < want) lvl++;
    m->paper = lvl;
}

/* The median of the greys under the original's ink cells ink[n] at offset off. */
static int median_under(const match *m, const size_t *ink, size_t n, long off)
{
    size_t hist[256] = {0}, seen = 0;
    for (size_t i = 0; i < n; i++) hist[m->grey[(long)ink[i] + off]]++;
    int lvl = 0;
    while (lvl < 255 && (seen += hist[lvl]) * 2 < n) lvl++;
    return lvl;
}

static void align(const sig_grey *o, match *m)
{
    size_t n = 0;
    size_t *ink = xmalloc(((size_t)o->w * o->h + 1) * sizeof *ink);
    for (int v = 0; v < o->h; v++)
        for (int u = 0; u < o->w; u++)
            if (o->px[(size_t)v * o->w + u] < ORIG_DARK) ink[n++] = (size_t)(v + m->s) * m->w + (size_t)(u + m->s);
    size_t best = 0;
    int bd = 1 << 30;
    m->dx = m->dy = 0;
    for (int dy = -m->s; dy <= m->s; dy++)
        for (int dx = -m->s; dx <= m->s; dx++) {
            long off = (long)dy * m->w + dx;
            size_t dark = 0;   /* the darkness under the original's ink */
            for (size_t i = 0; i < n; i++) dark += 255u - m->grey[(long)ink[i] + off];
            int d = dx * dx + dy * dy;   /* ties: the nearer shift */
            if (dark > best || (dark == best && d < bd)) {
                best = dark;
                bd = d;
                m->dx = dx;
                m->dy = dy;
            }
        }
    m->nd = n;
    m->print = n ? median_under(m, ink, n, (long)m->dy * m->w + m->dx) : 255;
    m->thr = (m->paper + m->print + 1) / 2;
    size_t all = (size_t)m->w * (o->h + 2 * m->s), busy = 0;
    for (size_t i = 0; i < all; i++) busy += m->grey[i] < m->thr;
    m->busy = (double)busy / (double)all;
    free(ink);
}

/* The original found on the scan: enough of its print, clearly darker than
 * the paper, in a region not dark all over. */
static bool found(const match *m) { return m->nd >= 20 && m->paper >= 96 && m->paper - m->print >= 40 && m->busy <= 0.25; }

static void locate(const sig_grey *o, const double at[4], const scan_image *img, const double a[6], double search_mm,
                   match *m)
{
    m->s = (int)(search_mm / 25.4 * o->dpi + 0.5);
    sample(o, at, img, a, m);
    align(o, m);
}

/* Pixels within EXPLAIN_PX of the original's ink. */
static unsigned char *explained(const sig_grey *o)
{
    unsigned char *e = xcalloc((size_t)o->w * o->h, 1);
    for (int v = 0; v < o->h; v++)
        for (int u = 0; u < o->w; u++) {
            if (o->px[(size_t)v * o->w + u] >= ORIG_DARK) continue;
            for (int dv = -EXPLAIN_PX; dv <= EXPLAIN_PX; dv++)
                for (int du = -EXPLAIN_PX; du <= EXPLAIN_PX; du++) {
                    int x = u + du, y = v + dv;
                    if (x >= 0 && y >= 0 && x < o->w && y < o->h) e[(size_t)y * o->w + x] = 1;
                }
        }
    return e;
}

/* The share of box's cells dark on the scan and not near the original's ink. */
static double ink_share(const sig_grey *o, const double at[4], const double box[4], const match *m)
{
    unsigned char *e = explained(o);
    double step = 72.0 / o->dpi;
    int u0 = (int)((box[0] - at[0]) / step), u1 = (int)((box[2] - at[0]) / step);
    int v0 = (int)((box[1] - at[1]) / step), v1 = (int)((box[3] - at[1]) / step);
    u0 = u0 < 0 ? 0 : u0, v0 = v0 < 0 ? 0 : v0;
    u1 = u1 > o->w ? o->w : u1, v1 = v1 > o->h ? o->h : v1;
    size_t inked = 0, area = 0;
    for (int y = v0; y < v1; y++)
        for (int x = u0; x < u1; x++, area++)
            inked += !e[(size_t)y * o->w + x] &&
                     m->grey[(size_t)(y + m->s + m->dy) * m->w + (size_t)(x + m->s + m->dx)] < m->thr;
    free(e);
    return area ? (double)inked / (double)area : 0;
}

sig_verdict sig_measure(const sig_grey *o, const double at[4], const double box[4], const scan_image *img,
                        const double a[6], double search_mm, double *ink)
{
    match m;
    locate(o, at, img, a, search_mm, &m);
    *ink = 0;
    sig_verdict v = SIG_UNSURE;
    if (found(&m)) {
        *ink = ink_share(o, at, box, &m);
        v = *ink >= SIG_INK_MIN ? SIG_SIGNED : SIG_EMPTY;
    }
    free(m.grey);
    return v;
}

/* ---------------------------------------------------------------- the printed page */

struct sig_checker {
    char *path;                   /* the PDF held open */
    PopplerDocument *doc;
};

sig_checker *sig_checker_new(void) { return xcalloc(1, sizeof(sig_checker)); }

void sig_checker_free(sig_checker *c)
{
    if (!c) return;
    if (c->doc) g_object_unref(c->doc);
    free(c->path);
    free(c);
}

static PopplerPage *open_page(sig_checker *c, const char *path, int page)
{
    if (!c->path || strcmp(c->path, path)) {
        if (c->doc) g_object_unref(c->doc);
        free(c->path);
        c->path = xstrdup(path);
        char *abs = realpath(path, NULL);
        char *uri = abs ? g_filename_to_uri(abs, NULL, NULL) : NULL;
        c->doc = uri ? poppler_document_new_from_file(uri, NULL, NULL) : NULL;
        g_free(uri);
        free(abs);
    }
    return c->doc ? poppler_document_get_page(c->doc, page) : NULL;
}

/* The page's text as characters with their boxes; *n of them. */
static sig_char *page_chars(PopplerPage *pg, const char *text, size_t *n)
{
    PopplerRectangle *r = NULL;
    guint nr = 0;
    *n = 0;
    if (!poppler_page_get_text_layout(pg, &r, &nr)) return NULL;
    sig_char *v = xmalloc((nr + 1) * sizeof *v);
    const char *p = text;
    for (guint i = 0; i < nr && *p; i++, p = g_utf8_next_char(p))
        v[(*n)++] = (sig_char){g_utf8_get_char(p), r[i].x1, r[i].y1, r[i].x2, r[i].y2};
    g_free(r);
    return v;
}

/* The box of the code's text among the page's characters. */
static bool code_box(const sig_char *ch, size_t n, const char *code, double box[4])
{
    size_t len = strlen(code);
    for (size_t i = 0; i + len <= n; i++) {
        size_t k = 0;
        while (k < len && ch[i + k].cp == (unsigned char)code[k]) k++;
        if (k < len) continue;
        box[0] = ch[i].x0, box[1] = ch[i].y0, box[2] = ch[i].x1, box[3] = ch[i].y1;
        for (k = 1; k < len; k++) {
            box[0] = fmin(box[0], ch[i + k].x0);
            box[1] = fmin(box[1], ch[i + k].y0);
            box[2] = fmax(box[2], ch[i + k].x1);
            box[3] = fmax(box[3], ch[i + k].y1);
        }
        return true;
    }
    return false;
}

static bool render(cairo_surface_t *pg, const double r[4], double dpi, sig_grey *out)
{
    double k = dpi / 72.0;
    out->w = (int)ceil((r[2] - r[0]) * k);
    out->h = (int)ceil((r[3] - r[1]) * k);
    if (out->w <= 0 || out->h <= 0 || (double)out->w * out->h > 16e6) return false;
    out->dpi = dpi;
    out->px = xmalloc((size_t)out->w * out->h);
    scan_render_region(NULL, pg, k, r[0], r[1], out->w, out->h, out->px);
    return true;
}

/* Where the code's corners are on the printed page (points): found as on a
 * scan, on the region around its text rendered at 200 dpi (the symbol is
 * above the text or beside it, in the bottom margin). */
static bool code_corners(cairo_surface_t *pg, double pw, double ph, const double text[4], const char *code,
                         double corners[8])
{
    /* the symbol (at most ~17 mm) is above the text's right end or right of it */
    double r[4] = {fmax(0, text[2] - 56), fmax(0, text[1] - 70), fmin(pw, text[2] + 60), fmin(ph, text[3] + 8)};
    sig_grey g;
    if (!render(pg, r, 200, &g)) return false;
    char got[256];
    int deg;
    bool ok = zxread_qr(g.px, g.w, g.h, g.w, code, got, sizeof got, &deg, corners) && !strcmp(got, code);
    free(g.px);
    for (int k = 0; ok && k < 8; k += 2) {
        corners[k] = r[0] + corners[k] * 72.0 / 200;
        corners[k + 1] = r[1] + corners[k + 1] * 72.0 / 200;
    }
    return ok;
}

/* o at half its resolution for the coarse search: each pixel the darkest
 * of four (a hairline stays ink; a mean would fade it to grey). */
static sig_grey halved(const sig_grey *o)
{
    sig_grey h = {NULL, o->w / 2, o->h / 2, o->dpi / 2};
    h.px = xmalloc((size_t)(h.w > 0 ? h.w : 1) * (size_t)(h.h > 0 ? h.h : 1));
    for (int y = 0; y < h.h; y++)
        for (int x = 0; x < h.w; x++) {
            const unsigned char *p = o->px + (size_t)(2 * y) * o->w + 2 * x;
            unsigned char a = p[0] < p[1] ? p[0] : p[1], b = p[o->w] < p[o->w + 1] ? p[o->w] : p[o->w + 1];
            h.px[(size_t)y * h.w + x] = a < b ? a : b;
        }
    return h;
}

/* A place's verdict into r (its k-th). */
static void verdict(sig_result *r, const sig_field *f, sig_verdict v, double ink)
{
    int k = r->n++;
    r->v[k] = v;
    r->ink[k] = (float)ink;
    if (v != SIG_EMPTY) return;
    sbuf b = {0};
    if (r->empty) sbuf_puts(&b, r->empty);
    sbuf_printf(&b, "%d\t%s\t%.4f\n", k + 1, f->name, ink);
    free(r->empty);
    r->empty = b.data;
}

/* The code's corners place the page only roughly far from the code (a pixel
 * off at a corner turns the page by half a degree: 2 mm at its top). Each
 * place is found near where they say, and the map is fitted again to the
 * corners and the places found: on that long base, the places' verdicts. */
/* Each place's region, cut from one rendering of their union (a rendering
 * walks the whole page: once, not once a place); at[i] is region i as cut,
 * on the rendering's grid. */
static bool render_places(cairo_surface_t *pg, const sig_field *f, size_t nf, sig_grey *o, double (*at)[4])
{
    double u[4] = {f[0].around[0], f[0].around[1], f[0].around[2], f[0].around[3]};
    for (size_t i = 1; i < nf; i++) {
        u[0] = fmin(u[0], f[i].around[0]), u[1] = fmin(u[1], f[i].around[1]);
        u[2] = fmax(u[2], f[i].around[2]), u[3] = fmax(u[3], f[i].around[3]);
    }
    sig_grey all;
    if (!render(pg, u, SIG_DPI, &all)) return false;
    double k = SIG_DPI / 72.0;
    for (size_t i = 0; i < nf; i++) {
        int x0 = (int)floor((f[i].around[0] - u[0]) * k), y0 = (int)floor((f[i].around[1] - u[1]) * k);
        int x1 = (int)ceil((f[i].around[2] - u[0]) * k), y1 = (int)ceil((f[i].around[3] - u[1]) * k);
        x1 = x1 > all.w ? all.w : x1, y1 = y1 > all.h ? all.h : y1;
        o[i] = (sig_grey){xmalloc((size_t)(x1 - x0) * (size_t)(y1 - y0)), x1 - x0, y1 - y0, SIG_DPI};
        for (int y = y0; y < y1; y++) memcpy(o[i].px + (size_t)(y - y0) * o[i].w, all.px + (size_t)y * all.w + x0, (size_t)o[i].w);
        at[i][0] = u[0] + x0 / k, at[i][1] = u[1] + y0 / k, at[i][2] = u[0] + x1 / k, at[i][3] = u[1] + y1 / k;
    }
    free(all.px);
    return true;
}

#define SEARCH_MM 5.0     /* how far the code's corners alone may misplace a place far from them */
#define REFINE_MM 1.5     /* how far the places found may still be off, each */

/* The code's corners place the page only roughly far from the code (a pixel
 * off at a corner turns the page by half a degree: 2 mm at its top). Each
 * place is found near where they say (on a coarse grid), and the map is
 * fitted again to the corners and the places found: on that long base, the
 * places' verdicts. */
static void judge_all(cairo_surface_t *pg, const sig_field *f, size_t nf, const scan_image *img, const double pc[8],
                      const double corners[8], sig_result *r)
{
    double a[6], from[2 * (4 + SIG_MAX_FIELDS)], to[2 * (4 + SIG_MAX_FIELDS)], at[SIG_MAX_FIELDS][4];
    sig_grey o[SIG_MAX_FIELDS] = {{0}};
    memcpy(from, pc, 8 * sizeof *from);
    memcpy(to, corners, 8 * sizeof *to);
    int np = 4;
    bool ok = sig_fit(from, to, 4, a) && render_places(pg, f, nf, o, at);
    bool anchor[SIG_MAX_FIELDS] = {false};
    for (size_t i = 0; ok && i < nf; i++) {
        match m;
        sig_grey half = halved(&o[i]);
        locate(&half, at[i], img, a, SEARCH_MM, &m);
        double step = 72.0 / half.dpi;
        free(half.px);
        free(m.grey);
        if (!(anchor[i] = found(&m))) continue;
        double cx = (at[i][0] + at[i][2]) / 2, cy = (at[i][1] + at[i][3]) / 2;
        double sx = cx + m.dx * step, sy = cy + m.dy * step;   /* where the scan has it, in the first map's points */
        from[2 * np] = cx, from[2 * np + 1] = cy;
        to[2 * np] = a[0] * sx + a[1] * sy + a[2], to[2 * np + 1] = a[3] * sx + a[4] * sy + a[5];
        np++;
    }
    double b[6];
    if (ok && np > 4 && sig_fit(from, to, np, b)) memcpy(a, b, sizeof a);
    for (size_t i = 0; i < nf; i++) {
        double ink = 0;
        /* a place not found on the coarse grid is searched for as widely on the fine one */
        double search = anchor[i] ? REFINE_MM : SEARCH_MM;
        sig_verdict v = ok ? sig_measure(&o[i], at[i], f[i].box, img, a, search, &ink) : SIG_UNSURE;
        verdict(r, &f[i], v, ink);
        free(o[i].px);
    }
}

bool sig_check(sig_checker *c, const char *path, int page, const char *code, const scan_image *img,
               const double corners[8], sig_result *r)
{
    memset(r, 0, sizeof *r);
    PopplerPage *pg = open_page(c, path, page);
    if (!pg) return false;
    char *text = poppler_page_get_text(pg);
    bool ok = text != NULL;
    if (ok && strstr(text, "签名")) {
        size_t n = 0;
        sig_char *ch = page_chars(pg, text, &n);
        sig_field f[SIG_MAX_FIELDS];
        size_t nf = ch ? sig_fields(ch, n, f, SIG_MAX_FIELDS) : 0;
        double tb[4], pc[8], pw, ph;
        poppler_page_get_size(pg, &pw, &ph);
        /* the page walked once, recorded; each region rendered from the record */
        cairo_rectangle_t ext = {0, 0, pw, ph};
        cairo_surface_t *rec = nf ? cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext) : NULL;
        if (rec) {
            cairo_t *cr = cairo_create(rec);
            poppler_page_render_for_printing(pg, cr);
            cairo_destroy(cr);
        }
        ok = nf == 0 || (code_box(ch, n, code, tb) && code_corners(rec, pw, ph, tb, code, pc));
        if (ok && nf) judge_all(rec, f, nf, img, pc, corners, r);
        if (rec) cairo_surface_destroy(rec);
        free(ch);
    }
    g_free(text);
    g_object_unref(pg);
    return ok;
}

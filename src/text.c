/* text — see text.h. */
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

uint32_t text_utf8_next(const char **pp, const char *end)
{
    const unsigned char *p = (const unsigned char *)*pp;
    const unsigned char *e = (const unsigned char *)end;
    if (p >= e) return 0;
    unsigned c = p[0];
    if (c < 0x80) { *pp += 1; return c; }
    /* Most text is CJK: 3-byte sequences led by E1..EC or EE..EF, which can
     * be neither overlong (E0) nor surrogates (ED). */
    if (c >= 0xE1 && c != 0xED && c <= 0xEF && e - p >= 3 && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
        *pp += 3;
        return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    int n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else { *pp += 1; return TEXT_REPLACEMENT; }
    if (e - p < n + 1) { *pp += 1; return TEXT_REPLACEMENT; }  /* truncated */
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) { *pp += 1; return TEXT_REPLACEMENT; }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *pp += 1;
        return TEXT_REPLACEMENT;
    }
    *pp += n + 1;
    return cp;
}

size_t text_utf8_encode(uint32_t cp, char out[4])
{
    unsigned char *o = (unsigned char *)out;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = TEXT_REPLACEMENT;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t text_utf8_count(const char *s, size_t len)
{
    const char *p = s, *e = s + len;
    size_t n = 0;
    while (p < e) { text_utf8_next(&p, e); n++; }
    return n;
}

size_t text_clean_append(sbuf *b, const char *s, size_t len)
{
    const char *p = s, *e = s + len;
    size_t bad = 0;
    sbuf_reserve(b, len);
    while (p < e) {
        const char *q = p;
        uint32_t cp = text_utf8_next(&p, e);
        if (cp == TEXT_REPLACEMENT && !(p - q == 3 && (unsigned char)q[0] == 0xEF)) bad++;
        if (cp == '\r') {
            if (p < e && *p == '\n') p++;
            sbuf_putc(b, '\n');
            continue;
        }
        if (cp == '\t') { sbuf_putc(b, ' '); continue; }
        if (cp == '\n') { sbuf_putc(b, '\n'); continue; }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF) {
            bad++;
            continue;
        }
        char buf[4];
        size_t n = text_utf8_encode(cp, buf);
        sbuf_add(b, buf, n);
    }
    sbuf_add(b, "", 0);   /* NUL-terminated even when nothing was added */
    return bad;
}

/* ---- classes ---- */

static bool in_list(uint32_t cp, const uint32_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == cp) return true;
    return false;
}

/* CJK ideographs (Extension A and the URO): most of the text, and in
 * neither list below, so answered before a scan of the lists. */
static bool is_ideograph(uint32_t cp) { return cp >= 0x3400 && cp <= 0x9FFF; }

bool text_formula_like(const char *s)
{
    const char *p = s, *end = s + strlen(s);
    uint32_t cp;
    do cp = p < end ? text_utf8_next(&p, end) : 0;
    while (cp == ' ' || cp == 0x3000);
    switch (cp) {
    case '=': case '+': case '-': case '@': case '\t': case '\r':
    case 0xFF1D: case 0xFF0B: case 0xFF0D: case 0xFF20: return true;
    default: return false;
    }
}

bool text_is_ignorable(uint32_t cp)
{
    /* Default_Ignorable_Code_Point of Unicode 15 (DerivedCoreProperties.txt) */
    static const uint32_t r[][2] = {
        {0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160},
        {0x17B4, 0x17B5}, {0x180B, 0x180F}, {0x200B, 0x200F}, {0x202A, 0x202E},
        {0x2060, 0x206F}, {0x3164, 0x3164}, {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF},
        {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFF8}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
        {0xE0000, 0xE0FFF},
    };
    if (cp < 0xAD || (cp >= 0x3400 && cp < 0xA000)) return false;   /* the common case, quickly */
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (cp >= r[i][0] && cp <= r[i][1]) return true;
    return false;
}

bool text_is_variation_selector(uint32_t cp)
{
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) || (cp >= 0x180B && cp <= 0x180D);
}

bool text_is_mark(uint32_t cp)
{
    if (cp < 0x300 || (cp >= 0x3400 && cp < 0xA000)) return false;
    hb_unicode_general_category_t gc = hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK;
}

bool text_is_spacing_mark(uint32_t cp)
{
    return text_is_mark(cp) && hb_unicode_general_category(hb_unicode_funcs_get_default(), cp) ==
                                   HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK;
}

bool text_no_line_start(uint32_t cp)
{
    if (is_ideograph(cp)) return false;
    /* a mark or an invisible control belongs to the character before it */
    if (text_is_mark(cp) || text_is_ignorable(cp)) return true;
    static const uint32_t list[] = {
        0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, /* ，。、；：？！） */
        0x300B, 0x300D, 0x300F, 0x201D, 0x2019, 0x3009, 0x3011, 0x3015, /* 》」』”’〉】〕 */
        0x3017, 0x3019, 0x301B, 0xFF3D, 0xFF5D, 0xFF60, 0x2026, 0x2014, /* 〗〙〛］｝｠…— */
        0x00B7, 0x30FB, 0xFF0E, 0x3003, 0x3005, 0x309D, 0x309E, 0x30FD, /* ·・．〃々ゝゞヽ */
        0x30FE, 0x30FC, 0xFF05, 0x2030, 0x2103, 0x00B0, 0x2032, 0x2033, /* ヾー％‰℃°′″ */
        ',', '.', ';', ':', '?', '!', ')', ']', '}', '%',
        0xFE50, 0xFE51, 0xFE52, 0xFE54, 0xFE55, 0xFE56, 0xFE57, 0xFE5A, /* small forms */
        0xFE30, 0xFE31,
    };
    if (cp >= 0x3041 && cp <= 0x30FA) {
        /* small kana */
        static const uint32_t small[] = {0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083,
                                         0x3085, 0x3087, 0x308E, 0x30A1, 0x30A3, 0x30A5, 0x30A7,
                                         0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6};
        return in_list(cp, small, sizeof small / sizeof small[0]);
    }
    return in_list(cp, list, sizeof list / sizeof list[0]);
}

bool text_no_line_end(uint32_t cp)
{
    if (is_ideograph(cp)) return false;
    static const uint32_t list[] = {
        0xFF08, 0x300A, 0x300C, 0x300E, 0x201C, 0x2018, 0x3008, 0x3010, /* （《「『“‘〈【 */
        0x3014, 0x3016, 0x3018, 0x301A, 0xFF3B, 0xFF5B, 0xFF5F, 0xFFE5, /* 〔〖〘〚［｛｟￥ */
        0xFFE1, 0xFF04, '(', '[', '{', 0xFE59, 0xFE5B, 0xFE5D,          /* ￡＄ */
    };
    return in_list(cp, list, sizeof list / sizeof list[0]);
}

bool text_is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) ||   /* radicals, punctuation, kana, ideographs */
           (cp >= 0xAC00 && cp <= 0xD7AF) ||   /* hangul */
           (cp >= 0xF900 && cp <= 0xFAFF) ||   /* compatibility ideographs */
           (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) ||   /* fullwidth forms */
           (cp >= 0x20000 && cp <= 0x3FFFF) ||
           cp == 0x2014 || cp == 0x2026 || cp == 0x201C || cp == 0x201D ||
           cp == 0x2018 || cp == 0x2019 || cp == 0x00B7;
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == 0x3000 || cp == 0xA0;
}

double text_width(const text_metrics *m, const char *s, size_t len, double size)
{
    const char *p = s, *e = s + len;
    double w = 0;
    while (p < e) {
        uint32_t cp = text_utf8_next(&p, e);
        if (cp == '\n') continue;
        w += m->advance(m->ctx, cp);
    }
    return w * size;
}

/* ---- line breaking ---- */

void text_lines_clear(text_lines *l) { l->n = 0; }

void text_lines_free(text_lines *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static void lines_push(text_lines *l, size_t start, size_t end, double width)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n].start = start;
    l->v[l->n].end = end;
    l->v[l->n].width = width;
    l->n++;
}

typedef struct chr {
    uint32_t cp;
    size_t off;   /* byte offset */
    double adv;   /* em */
} chr;

/* May a line break fall between c[i-1] and c[i]? */
static bool break_ok(const chr *c, size_t i)
{
    uint32_t a = c[i - 1].cp, b = c[i].cp;
    if (is_space(b)) return false;          /* break after the spaces, not before */
    if (is_space(a)) return true;
    if (text_no_line_start(b)) return false;
    if (text_no_line_end(a)) return false;
    bool ca = text_is_cjk(a), cb = text_is_cjk(b);
    if (!ca && !cb) return false;           /* inside a Latin word or number */
    return true;
}

/* Break one paragraph (no LF) c[0..n) into lines at size. */
static void break_para(const chr *c, size_t n, size_t para_start, size_t para_end,
                       double size, double width, text_lines *out)
{
    if (n == 0) {
        lines_push(out, para_start, para_start, 0);
        return;
    }
    const double eps = 1e-6;
    size_t s = 0;
    /* skip leading spaces of the paragraph? keep them: indentation is intentional */
    while (s < n) {
        double w = 0;
        size_t i = s;
        size_t last_ok = 0;          /* last index > s where a break is allowed */
        size_t brk = n;              /* where this line ends */
        while (i < n) {
            double adv = c[i].adv * size;
            if (i > s && break_ok(c, i)) last_ok = i;
            if (!is_space(c[i].cp) && w + adv > width + eps && i > s) {
                /* c[i] does not fit */
                if (last_ok > s) brk = last_ok;
                else brk = i;        /* unbreakable run wider than the line */
                break;
            }
            w += adv;
            i++;
        }
        if (i >= n) brk = n;
        /* line is c[s..brk) minus trailing spaces */
        size_t e = brk;
        while (e > s && is_space(c[e - 1].cp)) e--;
        double lw = 0;
        for (size_t k = s; k < e; k++) lw += c[k].adv * size;
        size_t bstart = c[s].off;
        size_t bend = e < n ? c[e].off : para_end;
        if (e == s) bend = bstart;
        lines_push(out, bstart, bend, lw);
        s = brk;
        while (s < n && is_space(c[s].cp)) s++;
    }
}

/* s[0..len) decoded once, with each character's advance in em: fitting
 * breaks the same text at several sizes. LFs are kept (they end
 * paragraphs); c must hold len + 1 entries. Returns the count. */
static size_t decode(const char *s, size_t len, const text_metrics *m, chr *c)
{
    const char *p = s, *e = s + len;
    size_t n = 0;
    while (p < e) {
        c[n].off = (size_t)(p - s);
        c[n].cp = text_utf8_next(&p, e);
        c[n].adv = c[n].cp == '\n' ? 0 : m->advance(m->ctx, c[n].cp);
        n++;
    }
    return n;
}

/* Break decoded text c[0..n) of s[0..len) at size, paragraph by paragraph. */
static void break_chars(const chr *c, size_t n, size_t len, double size, double width,
                        text_lines *out)
{
    text_lines_clear(out);
    if (len == 0) return;
    size_t first = 0;   /* first character of the paragraph */
    for (size_t i = 0; i <= n; i++) {
        if (i < n && c[i].cp != '\n') continue;
        size_t para_start = first < n ? c[first].off : len;
        size_t para_end = i < n ? c[i].off : len;
        if (first == i) para_start = para_end;
        break_para(c + first, i - first, para_start, para_end, size, width, out);
        first = i + 1;
    }
}

void text_break(const char *s, size_t len, const text_metrics *m,
                double size, double width, text_lines *out)
{
    chr *c = xmalloc((len + 1) * sizeof *c);
    size_t n = decode(s, len, m, c);
    break_chars(c, n, len, size, width, out);
    free(c);
}

double text_lines_height(size_t n, double size, double leading)
{
    if (n == 0) return 0;
    return (double)(n - 1) * size * leading + size;
}

bool text_fit(const char *s, size_t len, const text_metrics *m,
              const text_fit_req *req, text_fit_result *out)
{
    double step = req->step > 0 ? req->step : 0.5;
    double leading = req->leading > 0 ? req->leading : 1.25;
    double smin = req->size_min > 0 ? req->size_min : req->size_max;
    if (smin > req->size_max) smin = req->size_max;
    out->overflow = false;
    out->fit_end = len;
    const double eps = 1e-6;
    chr *c = xmalloc((len + 1) * sizeof *c);
    size_t n = decode(s, len, m, c);
    bool fits = false;
    for (double size = req->size_max;; size -= step) {
        if (size < smin + eps) size = smin;
        break_chars(c, n, len, size, req->width, &out->lines);
        if (text_lines_height(out->lines.n, size, leading) <= req->height + eps) {
            out->size = size;
            fits = true;
            break;
        }
        if (size <= smin) break;
    }
    free(c);
    if (fits) return true;
    /* does not fit at the minimum size: keep what fits */
    out->size = smin;
    size_t keep = 0;
    while (keep < out->lines.n &&
           text_lines_height(keep + 1, smin, leading) <= req->height + eps)
        keep++;
    if (keep < out->lines.n) {
        out->fit_end = out->lines.v[keep].start;
        out->lines.n = keep;
        out->overflow = true;
    }
    return !out->overflow;
}

/* ---- code point sets ---- */

void text_cpset_add(text_cpset *s, uint32_t cp)
{
    if (cp < 65536) {
        uint64_t bit = (uint64_t)1 << (cp & 63);
        if (!(s->bmp[cp >> 6] & bit)) {
            s->bmp[cp >> 6] |= bit;
            s->count++;
        }
        return;
    }
    size_t lo = 0, hi = s->nastral;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->astral[mid] < cp) lo = mid + 1;
        else hi = mid;
    }
    if (lo < s->nastral && s->astral[lo] == cp) return;
    if (s->nastral == s->capastral) {
        s->capastral = s->capastral ? s->capastral * 2 : 8;
        s->astral = xrealloc(s->astral, s->capastral * sizeof *s->astral);
    }
    memmove(s->astral + lo + 1, s->astral + lo, (s->nastral - lo) * sizeof *s->astral);
    s->astral[lo] = cp;
    s->nastral++;
    s->count++;
}

bool text_cpset_has(const text_cpset *s, uint32_t cp)
{
    if (cp < 65536) return (s->bmp[cp >> 6] >> (cp & 63)) & 1;
    for (size_t i = 0; i < s->nastral; i++)
        if (s->astral[i] == cp) return true;
    return false;
}

void text_cpset_add_utf8(text_cpset *s, const char *str, size_t len)
{
    const char *p = str, *e = str + len;
    while (p < e) text_cpset_add(s, text_utf8_next(&p, e));
}

uint32_t *text_cpset_list(const text_cpset *s, size_t *n)
{
    uint32_t *v = xmalloc((s->count + 1) * sizeof *v);
    size_t k = 0;
    for (uint32_t w = 0; w < 65536 / 64; w++) {
        uint64_t bits = s->bmp[w];
        while (bits) {
            int b = __builtin_ctzll(bits);
            v[k++] = w * 64 + (uint32_t)b;
            bits &= bits - 1;
        }
    }
    for (size_t i = 0; i < s->nastral; i++) v[k++] = s->astral[i];
    *n = k;
    return v;
}

void text_cpset_free(text_cpset *s)
{
    free(s->astral);
    s->astral = NULL;
    s->nastral = s->capastral = 0;
}

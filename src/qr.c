/* qr — see qr.h. */
#include "qr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#define MM2PT (72.0 / 25.4)

/* Form codes: upper case, so that with the usual upper-case ids the whole
 * identifier fits QR's alphanumeric mode (5.5 bits a character instead of
 * 8: version 2 or 3, ~11 mm at 0.42 mm a module). In print order. */
static const char *const FORMS[][2] = {
    {"quota-application", "QUOTA"}, {"registration", "REG"},   {"tally", "TALLY"},
    {"notice", "NOTICE"},           {"result-notice", "RESULT"}, {"filing", "FILING"},
    {"rewards", "REWARDS"},         {"incompetent", "INCOMP"}, {"assessment", "ASSESS"},
    {"summary", "SUMMARY"},         {"ranking", "RANKING"},
};
#define NFORMS (sizeof FORMS / sizeof *FORMS)

const char *qr_form_code(const char *base)
{
    for (size_t i = 0; base && i < NFORMS; i++)
        if (!strcmp(base, FORMS[i][0])) return FORMS[i][1];
    return NULL;
}

const char *qr_form_base(const char *code)
{
    for (size_t i = 0; code && i < NFORMS; i++)
        if (!strcmp(code, FORMS[i][1])) return FORMS[i][0];
    return NULL;
}

int qr_form_order(const char *code)
{
    for (size_t i = 0; code && i < NFORMS; i++)
        if (!strcmp(code, FORMS[i][1])) return (int)i;
    return (int)NFORMS;
}

void qr_format(const qr_ident *id, sbuf *out)
{
    sbuf_printf(out, "KH1 %d %s %s %s %d/%d %s", id->year, id->unit, id->person, id->form, id->page,
                id->pages, id->check);
}

static bool id_ok(const char *s, size_t n)
{
    if (n == 0 || n >= QR_ID_MAX) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* The next space-separated field of [*p, end) into out (cap bytes). */
static bool field(const char **p, const char *end, char *out, size_t cap)
{
    const char *s = *p, *e = s;
    while (e < end && *e != ' ') e++;
    if (e == s || (size_t)(e - s) >= cap) return false;
    memcpy(out, s, (size_t)(e - s));
    out[e - s] = 0;
    *p = e < end ? e + 1 : e;
    return true;
}

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

bool qr_parse(const char *s, size_t len, qr_ident *out)
{
    const char *p = s, *end = s + len;
    char magic[8], year[8], pg[24];
    qr_ident id = {0};
    if (!field(&p, end, magic, sizeof magic) || strcmp(magic, "KH1")) return false;
    if (!field(&p, end, year, sizeof year) || !all_digits(year)) return false;
    if (!field(&p, end, id.unit, sizeof id.unit) || !id_ok(id.unit, strlen(id.unit))) return false;
    if (!field(&p, end, id.person, sizeof id.person) || !id_ok(id.person, strlen(id.person))) return false;
    if (!field(&p, end, id.form, sizeof id.form) || !qr_form_base(id.form)) return false;
    if (!field(&p, end, pg, sizeof pg)) return false;
    if (!field(&p, end, id.check, sizeof id.check) || strlen(id.check) != 8 || p != end) return false;
    for (const char *c = id.check; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'F'))) return false;
    char *slash = strchr(pg, '/');
    if (!slash) return false;
    *slash = 0;
    if (!all_digits(pg) || !all_digits(slash + 1) || strlen(pg) > 6 || strlen(slash + 1) > 6) return false;
    id.page = atoi(pg);
    id.pages = atoi(slash + 1);
    id.year = atoi(year);
    if (strlen(year) > 4 || id.page < 1 || id.page > id.pages) return false;
    *out = id;
    return true;
}

unsigned char *qr_modules(const char *text, int *width)
{
    /* level M (15% of the symbol restorable): a smudge, a stamp's edge or
     * JPEG q50 blur still decode; H would make the symbol a version larger */
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return NULL;
    size_t n = (size_t)q->width * (size_t)q->width;
    unsigned char *m = xmalloc(n);
    for (size_t i = 0; i < n; i++) m[i] = q->data[i] & 1;
    *width = q->width;
    QRcode_free(q);
    return m;
}

/* Sizes, mm. A module of 0.42 mm is 2.5 pixels in a 150 dpi scan, what a
 * decoder needs; the quiet zone is the blank margin around. */
#define QR_MODULE 0.5
#define QR_MODULE_MIN 0.33
#define QR_EDGE 4.5          /* text baseline above the paper's edge (printers leave ~4 mm blank) */
#define QR_GAP 1.0           /* below the form's content, and between code and text beside it */
#define QR_QUIET 2.0         /* between code and text under it: 5 modules of quiet zone */
#define QR_TEXT_PT 7.0        /* no text on a form below 7 pt, the archive code included */

/* Filled rectangles, one per horizontal run of dark modules. */
static void draw_modules(HPDF_Page page, const unsigned char *m, int w, double x0, double top, double mod)
{
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!m[y * w + x]) {
                x++;
                continue;
            }
            int x1 = x;
            while (x1 < w && m[y * w + x1]) x1++;
            HPDF_Page_Rectangle(page, (HPDF_REAL)(x0 + x * mod), (HPDF_REAL)(top - (y + 1) * mod),
                                (HPDF_REAL)((x1 - x) * mod), (HPDF_REAL)mod);
            x = x1;
        }
    }
    HPDF_Page_Fill(page);
}

bool qr_draw(HPDF_Page page, const qr_page *pg, const char *text, const text_metrics *tm, qr_text_at *at)
{
    int w = 0;
    unsigned char *m = qr_modules(text, &w);
    if (!m) return false;
    double text_h = QR_TEXT_PT / MM2PT;                 /* the em box, mm */
    double right = pg->page_w - pg->margin_right;
    double room = pg->margin_bottom - QR_GAP;           /* top of the code at most */
    double side = w * QR_MODULE;
    bool stacked = QR_EDGE + text_h + QR_QUIET + side <= room;
    double bottom = stacked ? QR_EDGE + text_h * 0.75 + QR_QUIET : QR_EDGE - text_h * 0.2;
    if (!stacked && bottom + side > room) side = room - bottom;
    if (side < w * QR_MODULE_MIN) side = w * QR_MODULE_MIN;   /* readable at 300 dpi, into the form if need be */
    double mod = side / w;
    HPDF_Page_GSave(page);
    HPDF_Page_SetGrayFill(page, 0);
    draw_modules(page, m, w, (right - side) * MM2PT, (bottom + side) * MM2PT, mod * MM2PT);
    double tw = text_width(tm, text, strlen(text), QR_TEXT_PT);
    at->x = stacked ? right * MM2PT - tw : (right - side - QR_GAP) * MM2PT - tw;
    at->y = QR_EDGE * MM2PT;
    at->size = QR_TEXT_PT;
    HPDF_Page_GRestore(page);
    free(m);
    return true;
}

static void fnv(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        *h ^= b[i];
        *h *= 0x100000001b3ULL;
    }
}

void qr_check_page(uint64_t *h, const lo_page *pg)
{
    for (size_t i = 0; i < pg->ncells; i++) {
        const lo_cell *c = &pg->cells[i];
        int pos[2] = {c->row, c->col};
        fnv(h, pos, sizeof pos);
        fnv(h, c->text, strlen(c->text) + 1);
    }
    fnv(h, "\f", 1);
}

void qr_check_hex(uint64_t h, char out[9])
{
    snprintf(out, 9, "%08X", (unsigned)((h >> 32) ^ h));
}

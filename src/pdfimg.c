/* pdfimg — see pdfimg.h. */
#include "pdfimg.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <qpdf/qpdf-c.h>

#include "util.h"

struct pdfimg {
    qpdf_data q;
};

pdfimg *pdfimg_open(const char *path)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    /* a page's /Rotate, /MediaBox and /Resources may sit on its parents */
    if ((qpdf_read(q, path, NULL) & QPDF_ERRORS) || qpdf_push_inherited_attributes_to_page(q) & QPDF_ERRORS) {
        qpdf_cleanup(&q);
        return NULL;
    }
    pdfimg *p = xmalloc(sizeof *p);
    p->q = q;
    return p;
}

void pdfimg_close(pdfimg *p)
{
    if (!p) return;
    qpdf_cleanup(&p->q);
    free(p);
}

/* The numbers of an array of n numbers. */
static bool numbers(qpdf_data q, qpdf_oh a, double *v, int n)
{
    if (!qpdf_oh_is_array(q, a) || qpdf_oh_get_array_n_items(q, a) != n) return false;
    for (int i = 0; i < n; i++) {
        qpdf_oh x = qpdf_oh_get_array_item(q, a, i);
        if (!qpdf_oh_is_number(q, x)) return false;
        v[i] = qpdf_oh_get_numeric_value(q, x);
    }
    return true;
}

/* The image's /DecodeParms say nothing the JPEG would not say put in
 * alone: none, or /ColorTransform 1 (YCbCr, JPEG's own default for three
 * components, what tiff2pdf writes). */
static bool plain_parms(qpdf_data q, qpdf_oh p)
{
    if (qpdf_oh_is_null(q, p)) return true;
    if (!qpdf_oh_is_dictionary(q, p)) return false;
    int n = 0;
    qpdf_oh_begin_dict_key_iter(q, p);
    while (qpdf_oh_dict_more_keys(q)) {
        qpdf_oh_dict_next_key(q);
        n++;
    }
    qpdf_oh ct = qpdf_oh_get_key(q, p, "/ColorTransform");
    return n == 0 || (n == 1 && qpdf_oh_is_integer(q, ct) && qpdf_oh_get_int_value(q, ct) == 1);
}

/* The one XObject of the page's resources, its name into name (cap bytes),
 * when it is a JPEG image as the check says; else 0 (uninitialised). */
static qpdf_oh the_image(qpdf_data q, qpdf_oh page, char *name, size_t cap)
{
    qpdf_oh res = qpdf_oh_get_key(q, page, "/Resources");
    if (!qpdf_oh_is_dictionary(q, res) || qpdf_oh_has_key(q, res, "/Font")) return 0;
    qpdf_oh xo = qpdf_oh_get_key(q, res, "/XObject");
    if (!qpdf_oh_is_dictionary(q, xo)) return 0;
    int n = 0;
    qpdf_oh_begin_dict_key_iter(q, xo);
    while (qpdf_oh_dict_more_keys(q)) {
        const char *k = qpdf_oh_dict_next_key(q);
        if (n++ == 0 && strlen(k) < cap) strcpy(name, k);
    }
    if (n != 1 || !name[0]) return 0;
    qpdf_oh im = qpdf_oh_get_key(q, xo, name);
    if (!qpdf_oh_is_stream(q, im)) return 0;
    qpdf_oh d = qpdf_oh_get_dict(q, im);
    qpdf_oh filter = qpdf_oh_get_key(q, d, "/Filter");
    if (qpdf_oh_is_array(q, filter) && qpdf_oh_get_array_n_items(q, filter) == 1)
        filter = qpdf_oh_get_array_item(q, filter, 0);
    qpdf_oh cs = qpdf_oh_get_key(q, d, "/ColorSpace");
    qpdf_oh bpc = qpdf_oh_get_key(q, d, "/BitsPerComponent");
    bool ok = qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Subtype"), "/Image") &&
              qpdf_oh_is_name_and_equals(q, filter, "/DCTDecode") &&
              (qpdf_oh_is_name_and_equals(q, cs, "/DeviceGray") || qpdf_oh_is_name_and_equals(q, cs, "/DeviceRGB")) &&
              qpdf_oh_is_integer(q, bpc) && qpdf_oh_get_int_value(q, bpc) == 8 &&
              !qpdf_oh_has_key(q, d, "/SMask") && !qpdf_oh_has_key(q, d, "/Mask") &&
              !qpdf_oh_has_key(q, d, "/Decode") && plain_parms(q, qpdf_oh_get_key(q, d, "/DecodeParms"));
    return ok ? im : 0;
}

/* Whether content is "q a 0 0 d e f cm /name Do Q" (with any q/Q around):
 * the image drawn upright, a × d points at (e, f). The page's content is
 * checked token by token, not interpreted: anything else, and the page is
 * rendered instead. */
static bool draws_only(const unsigned char *s, size_t n, const char *name, double m[6])
{
    double num[6];
    int nn = 0, cms = 0, dos = 0;
    bool named = false;
    for (size_t i = 0; i < n;) {
        if (isspace(s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        if (s[i] == '/') j++;
        while (j < n && !isspace(s[j]) && !strchr("/[]<>(){}%", s[j])) j++;
        if (j == i) return false;   /* a delimiter: arrays, strings, comments have no place here */
        size_t len = j - i;
        char tok[64];
        if (len >= sizeof tok) return false;
        memcpy(tok, s + i, len);
        tok[len] = 0;
        i = j;
        char *end;
        double v = strtod(tok, &end);
        if (tok[0] != '/' && *end == 0 && len) {
            if (nn == 6) return false;
            num[nn++] = v;
        } else if (tok[0] == '/') {
            if (named || nn || strcmp(tok, name)) return false;
            named = true;
        } else if (!strcmp(tok, "cm") && nn == 6 && !named && cms++ == 0) {
            memcpy(m, num, sizeof num);
            nn = 0;
        } else if (!strcmp(tok, "Do") && named && !nn && dos++ == 0) {
            named = false;
        } else if ((strcmp(tok, "q") && strcmp(tok, "Q")) || nn || named) {
            return false;
        }
    }
    return cms == 1 && dos == 1 && !nn && !named;
}

bool pdfimg_page_jpeg(pdfimg *p, int page, unsigned char **data, size_t *len, double *w_pt, double *h_pt)
{
    qpdf_data q = p->q;
    *data = NULL;
    qpdf_oh pg = page >= 0 && page < qpdf_get_num_pages(q) ? qpdf_get_page_n(q, (size_t)page) : 0;
    char name[128] = "";
    double mb[4], cb[4], m[6] = {0};
    qpdf_oh rot = pg ? qpdf_oh_get_key(q, pg, "/Rotate") : 0;
    qpdf_oh crop = pg ? qpdf_oh_get_key(q, pg, "/CropBox") : 0;
    qpdf_oh im = pg ? the_image(q, pg, name, sizeof name) : 0;
    bool ok = im && numbers(q, qpdf_oh_get_key(q, pg, "/MediaBox"), mb, 4) &&
              (qpdf_oh_is_null(q, rot) || (qpdf_oh_is_integer(q, rot) && qpdf_oh_get_int_value(q, rot) % 360 == 0)) &&
              (qpdf_oh_is_null(q, crop) || (numbers(q, crop, cb, 4) && !memcmp(cb, mb, sizeof mb)));
    unsigned char *content = NULL;
    size_t clen = 0;
    ok = ok && !(qpdf_oh_get_page_content_data(q, pg, &content, &clen) & QPDF_ERRORS) &&
         draws_only(content, clen, name, m);
    free(content);
    /* upright (no turn, no mirror) and covering the page, to a point */
    ok = ok && m[1] == 0 && m[2] == 0 && m[0] > 0 && m[3] > 0 && fabs(m[4] - mb[0]) < 1 && fabs(m[5] - mb[1]) < 1 &&
         fabs(m[0] - (mb[2] - mb[0])) < 1 && fabs(m[3] - (mb[3] - mb[1])) < 1;
    QPDF_BOOL filtered = QPDF_FALSE;
    ok = ok && !(qpdf_oh_get_stream_data(q, im, qpdf_dl_none, &filtered, data, len) & QPDF_ERRORS) && *data &&
         *len > 3 && (*data)[0] == 0xFF && (*data)[1] == 0xD8;
    if (!ok) {
        free(*data);
        *data = NULL;
    } else {
        *w_pt = mb[2] - mb[0];
        *h_pt = mb[3] - mb[1];
    }
    qpdf_oh_release_all(q);   /* the handles of this page: memory stays that of one page */
    return ok;
}

/* scan — see scan.h. */
#include "scan.h"
#include "rfile.h"

#include <unistd.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cairo.h>
#include <jpeglib.h>
#include <png.h>
#include <poppler.h>
#include <setjmp.h>
#include <tiffio.h>

#include "pdfimg.h"
#include "zxread.h"

#define DEFAULT_DPI 200.0   /* PDF pages are rendered at this resolution (of an A4 page) */
#define MAX_PIXELS 80e6   /* A3 at 600 dpi is 70 M; a TIFF page is read as 4 bytes a pixel first */

struct scan_reader {
    const scan_file *open;       /* the document held below */
    PopplerDocument *pdf;
    TIFF *tif;
    sbuf bytes;                  /* a JPEG or PNG file's bytes */
    bool coarse;                 /* scan_reader_coarse */
    pdfimg *pimg;                /* the PDF again, for its pages' own JPEG data (opened when embedding) */
    bool pimg_tried;
    scan_image img;
    size_t cap;                  /* of img.px */
    char tiff_err[256];
};

/* ---------------------------------------------------------------- kinds */

static bool kind_of(const unsigned char *b, size_t n, scan_kind *k)
{
    if (n >= 5 && !memcmp(b, "%PDF-", 5)) *k = SCAN_PDF;
    else if (n >= 4 && (!memcmp(b, "II*\0", 4) || !memcmp(b, "MM\0*", 4))) *k = SCAN_TIFF;
    else if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) *k = SCAN_JPEG;
    else if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8)) *k = SCAN_PNG;
    else return false;
    return true;
}

static int tiff_err(TIFF *t, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)t;
    (void)module;
    char *buf = user;
    if (buf) vsnprintf(buf, 256, fmt, ap);
    return 1;   /* handled: nothing on stderr */
}

static TIFF *tiff_open(const char *path, char *errbuf)
{
    TIFFOpenOptions *o = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(o, tiff_err, errbuf);
    TIFFOpenOptionsSetWarningHandlerExtR(o, tiff_err, NULL);
    TIFF *t = TIFFOpenExt(path, "r", o);
    TIFFOpenOptionsFree(o);
    return t;
}

static PopplerDocument *pdf_open(const char *path, sbuf *err)
{
    GError *ge = NULL;
    char *abs = realpath(path, NULL);
    char *uri = abs ? g_filename_to_uri(abs, NULL, &ge) : NULL;
    PopplerDocument *d = uri ? poppler_document_new_from_file(uri, NULL, &ge) : NULL;
    if (!d) sbuf_printf(err, "%s: %s", path, ge ? ge->message : strerror(errno));
    if (ge) g_error_free(ge);
    g_free(uri);
    free(abs);
    return d;
}

static int count_pages(const char *path, scan_kind k, sbuf *err)
{
    if (k == SCAN_JPEG || k == SCAN_PNG) return 1;
    if (k == SCAN_PDF) {
        PopplerDocument *d = pdf_open(path, err);
        if (!d) return -1;
        int n = poppler_document_get_n_pages(d);
        g_object_unref(d);
        return n;
    }
    char eb[256] = "";
    TIFF *t = tiff_open(path, eb);
    if (!t) {
        sbuf_printf(err, "%s: %s", path, eb[0] ? eb : "not a readable TIFF");
        return -1;
    }
    int n = (int)TIFFNumberOfDirectories(t);
    TIFFClose(t);
    return n;
}

/* ---------------------------------------------------------------- the list */

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool add_dir(scan_list *l, const char *path, sbuf *err)
{
    DIR *d = opendir(path);
    if (!d) {
        sbuf_printf(err, "%s: %s", path, strerror(errno));
        return false;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) names = xrealloc(names, (cap = cap ? 2 * cap : 32) * sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    bool ok = true;
    sbuf p = {0};
    for (size_t i = 0; i < n; i++) {
        sbuf_clear(&p);
        sbuf_printf(&p, "%s/%s", path, names[i]);
        struct stat st;
        if (ok && stat(p.data, &st) == 0 && S_ISDIR(st.st_mode)) ok = add_dir(l, p.data, err);
        else if (ok) {
            unsigned char head[8] = {0};
            FILE *f = fopen(p.data, "rb");
            size_t got = f ? fread(head, 1, sizeof head, f) : 0;
            if (f) fclose(f);
            scan_kind k;
            if (kind_of(head, got, &k)) ok = scan_list_add(l, p.data, err);
        }
        free(names[i]);
    }
    free(names);
    sbuf_free(&p);
    return ok;
}

bool scan_list_add(scan_list *l, const char *path, sbuf *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        sbuf_printf(err, "%s: %s", path, strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) return add_dir(l, path, err);
    unsigned char head[8] = {0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        sbuf_printf(err, "%s: %s", path, strerror(errno));
        return false;
    }
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    scan_kind k;
    if (!kind_of(head, got, &k)) {
        sbuf_printf(err, "%s: 不是 PDF、TIFF、JPEG 或 PNG 文件", path);
        return false;
    }
    int pages = count_pages(path, k, err);
    if (pages < 0) return false;
    if (l->n == l->cap) l->v = xrealloc(l->v, (l->cap = l->cap ? 2 * l->cap : 16) * sizeof *l->v);
    l->v[l->n++] = (scan_file){xstrdup(path), k, pages};
    return true;
}

static int file_cmp(const void *a, const void *b)
{
    return strcmp(((const scan_file *)a)->path, ((const scan_file *)b)->path);
}

void scan_list_sort(scan_list *l)
{
    if (l->n) qsort(l->v, l->n, sizeof *l->v, file_cmp);
}

void scan_list_free(scan_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i].path);
    free(l->v);
    *l = (scan_list){0};
}

/* ---------------------------------------------------------------- reader */

scan_reader *scan_reader_new(void)
{
    return xcalloc(1, sizeof(scan_reader));
}

void scan_reader_coarse(scan_reader *r, bool on) { r->coarse = on; }

static void reader_close(scan_reader *r)
{
    if (r->pdf) g_object_unref(r->pdf);
    if (r->tif) TIFFClose(r->tif);
    pdfimg_close(r->pimg);
    r->pdf = NULL;
    r->tif = NULL;
    r->pimg = NULL;
    r->pimg_tried = false;
    sbuf_clear(&r->bytes);
    r->open = NULL;
}

void scan_reader_free(scan_reader *r)
{
    if (!r) return;
    reader_close(r);
    sbuf_free(&r->bytes);
    free(r->img.px);
    free(r);
}

static bool reader_open(scan_reader *r, const scan_file *f, sbuf *err)
{
    if (r->open == f) return true;
    reader_close(r);
    /* rfile's checks before a library opens the path itself: a regular
     * file (a FIFO would hang poppler or libtiff), at most 512 MB */
    int fd = rfile_open(f->path, 512LL << 20, RFILE_FOLLOW);
    if (fd < 0) {
        sbuf_printf(err, "%s: %s", f->path, rfile_strerror(errno));
        return false;
    }
    close(fd);
    if (f->kind == SCAN_PDF) r->pdf = pdf_open(f->path, err);
    else if (f->kind == SCAN_TIFF) {
        r->tiff_err[0] = 0;
        r->tif = tiff_open(f->path, r->tiff_err);
        if (!r->tif) sbuf_printf(err, "%s: %s", f->path, r->tiff_err[0] ? r->tiff_err : "not a readable TIFF");
    } else {
        int e = rfile_read(&r->bytes, f->path, 512u << 20);
        if (e) sbuf_printf(err, "%s: %s", f->path, rfile_strerror(e));
    }
    bool ok = f->kind == SCAN_PDF ? r->pdf != NULL : f->kind == SCAN_TIFF ? r->tif != NULL : r->bytes.len > 0;
    if (ok) r->open = f;
    return ok;
}

static bool img_size(scan_reader *r, int w, int h)
{
    if (w <= 0 || h <= 0 || (double)w * h > MAX_PIXELS) return false;
    size_t n = (size_t)w * (size_t)h;
    if (n > r->cap) {
        free(r->img.px);
        r->img.px = xmalloc(n);
        r->cap = n;
    }
    r->img.w = w;
    r->img.h = h;
    return true;
}

void scan_render_region(PopplerPage *pg, cairo_surface_t *rec, double scale, double x0, double y0, int w, int h,
                        unsigned char *px)
{
    cairo_surface_t *cs = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(cs);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_translate(cr, -x0, -y0);
    if (rec) {
        cairo_set_source_surface(cr, rec, 0, 0);
        cairo_paint(cr);
    } else
        poppler_page_render_for_printing(pg, cr);
    cairo_destroy(cr);
    cairo_surface_flush(cs);
    const unsigned char *d = cairo_image_surface_get_data(cs);
    int stride = cairo_image_surface_get_stride(cs);
    if (!d) memset(px, 255, (size_t)w * h);   /* cairo could not make the surface */
    for (int y = 0; d && y < h; y++) {
        const uint32_t *row = (const uint32_t *)(d + (size_t)y * stride);
        unsigned char *out = px + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x];
            out[x] = (unsigned char)((((p >> 16) & 255) * 77 + ((p >> 8) & 255) * 150 + (p & 255) * 29) >> 8);
        }
    }
    cairo_surface_destroy(cs);
}

static bool read_pdf(scan_reader *r, const scan_file *f, int page, sbuf *err)
{
    PopplerPage *pg = poppler_document_get_page(r->pdf, page);
    if (!pg) {
        sbuf_printf(err, "%s: page %d unreadable", f->path, page + 1);
        return false;
    }
    double pw, ph;
    poppler_page_get_size(pg, &pw, &ph);
    /* the long side as A4's at DEFAULT_DPI, whatever size the scanner
     * declared (a page of 300 dpi pixels declared at 200 dpi is too small) */
    double lng = pw > ph ? pw : ph;
    double s = lng > 0 ? 297.0 / 25.4 * DEFAULT_DPI / lng : DEFAULT_DPI / 72.0;
    int w = (int)ceil(pw * s), h = (int)ceil(ph * s);
    bool ok = img_size(r, w, h);
    r->img.reduced = false;
    if (ok) {
        scan_render_region(pg, NULL, s, 0, 0, w, h, r->img.px);
        r->img.dpi = 72.0 * s;
    } else
        sbuf_printf(err, "%s: page %d too large", f->path, page + 1);
    g_object_unref(pg);
    return ok;
}

static double tiff_dpi(TIFF *t)
{
    float xr = 0;
    uint16_t unit = RESUNIT_INCH;
    if (!TIFFGetField(t, TIFFTAG_XRESOLUTION, &xr) || xr <= 0) return 0;
    TIFFGetFieldDefaulted(t, TIFFTAG_RESOLUTIONUNIT, &unit);
    return unit == RESUNIT_CENTIMETER ? xr * 2.54 : unit == RESUNIT_NONE ? 0 : xr;
}

/* Page `page` of the TIFF as RGBA, top row first (malloc'd), *w × *h; NULL
 * with err. */
static uint32_t *tiff_rgba(scan_reader *r, const scan_file *f, int page, uint32_t *w, uint32_t *h, sbuf *err)
{
    *w = *h = 0;
    if (!TIFFSetDirectory(r->tif, (tdir_t)page) || !TIFFGetField(r->tif, TIFFTAG_IMAGEWIDTH, w) ||
        !TIFFGetField(r->tif, TIFFTAG_IMAGELENGTH, h) || *w == 0 || *h == 0 || (double)*w * *h > MAX_PIXELS) {
        sbuf_printf(err, "%s: page %d unreadable", f->path, page + 1);
        return NULL;
    }
    uint32_t *rgba = malloc((size_t)*w * *h * 4);
    r->tiff_err[0] = 0;
    if (!rgba || !TIFFReadRGBAImageOriented(r->tif, *w, *h, rgba, ORIENTATION_TOPLEFT, 0)) {
        sbuf_printf(err, "%s: page %d: %s", f->path, page + 1, r->tiff_err[0] ? r->tiff_err : "unreadable");
        free(rgba);
        return NULL;
    }
    return rgba;
}

static bool read_tiff(scan_reader *r, const scan_file *f, int page, sbuf *err)
{
    r->img.reduced = false;
    uint32_t w, h;
    uint32_t *rgba = tiff_rgba(r, f, page, &w, &h, err);
    if (!rgba) return false;
    if (!img_size(r, (int)w, (int)h)) {
        free(rgba);
        sbuf_printf(err, "%s: page %d unreadable", f->path, page + 1);
        return false;
    }
    for (size_t i = 0; i < (size_t)w * h; i++) {
        uint32_t p = rgba[i];
        r->img.px[i] = (unsigned char)((TIFFGetR(p) * 77 + TIFFGetG(p) * 150 + TIFFGetB(p) * 29) >> 8);
    }
    free(rgba);
    r->img.dpi = tiff_dpi(r->tif);
    return true;
}

/* A colour TIFF page (RGB, YCbCr, palette, CMYK...) as an RGB raw image,
 * its resolution into *dpi; NULL when the page is grey or black-and-white
 * (the grey image serves) or unreadable. */
static HPDF_Image tiff_colour(scan_reader *r, const scan_file *f, int page, HPDF_Doc pdf, double *dpi)
{
    uint16_t photo = PHOTOMETRIC_MINISBLACK;
    sbuf err = {0};
    bool open = reader_open(r, f, &err);
    if (!open || !TIFFSetDirectory(r->tif, (tdir_t)page) || !TIFFGetField(r->tif, TIFFTAG_PHOTOMETRIC, &photo) ||
        photo == PHOTOMETRIC_MINISBLACK || photo == PHOTOMETRIC_MINISWHITE) {
        sbuf_free(&err);
        return NULL;
    }
    uint32_t w, h;
    uint32_t *rgba = tiff_rgba(r, f, page, &w, &h, &err);
    sbuf_free(&err);
    if (!rgba) return NULL;
    unsigned char *rgb = (unsigned char *)rgba;   /* packed in place: 3 bytes a pixel from 4 */
    for (size_t i = 0; i < (size_t)w * h; i++) {
        uint32_t p = rgba[i];
        unsigned char c[3] = {(unsigned char)TIFFGetR(p), (unsigned char)TIFFGetG(p), (unsigned char)TIFFGetB(p)};
        memcpy(rgb + 3 * i, c, 3);
    }
    HPDF_Image im = HPDF_LoadRawImageFromMem(pdf, rgb, w, h, HPDF_CS_DEVICE_RGB, 8);
    free(rgba);
    *dpi = tiff_dpi(r->tif);
    return im;
}

typedef struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jb;
} jerr;

static void jpeg_fail(j_common_ptr c) { longjmp(((jerr *)c->err)->jb, 1); }
static void jpeg_quiet(j_common_ptr c, int level) { (void)c; (void)level; }

/* libjpeg reports through je: an error jumps to je->jb (set by the caller,
 * which must call setjmp itself), warnings are dropped. */
static void jerr_init(struct jpeg_decompress_struct *c, jerr *je)
{
    c->err = jpeg_std_error(&je->mgr);
    je->mgr.error_exit = jpeg_fail;
    je->mgr.emit_message = jpeg_quiet;
}

static bool read_jpeg(scan_reader *r, const scan_file *f, sbuf *err)
{
    struct jpeg_decompress_struct c;
    jerr je;
    jerr_init(&c, &je);
    if (setjmp(je.jb)) {
        jpeg_destroy_decompress(&c);
        sbuf_printf(err, "%s: not a readable JPEG", f->path);
        return false;
    }
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, (const unsigned char *)r->bytes.data, (unsigned long)r->bytes.len);
    jpeg_read_header(&c, TRUE);
    double dpi = c.density_unit == 1 ? c.X_density : c.density_unit == 2 ? c.X_density * 2.54 : 0;
    c.out_color_space = JCS_GRAYSCALE;
    /* a code's module is 4+ pixels above 300 dpi: decode those at half
     * size; coarse, down to ~100 dpi (2 pixels a module), the DCT scaled
     * by libjpeg: a third fewer instructions a page at 200 dpi */
    unsigned denom = 1;
    if (r->coarse && dpi > 0) while (dpi / (denom * 2) >= 95 && denom < 8) denom *= 2;
    else if (dpi > 300 || (dpi == 0 && c.image_width > 4000)) denom = 2;
    c.scale_num = 1;
    c.scale_denom = denom;
    r->img.reduced = r->coarse && denom > 1;
    jpeg_start_decompress(&c);
    if (!img_size(r, (int)c.output_width, (int)c.output_height)) longjmp(je.jb, 1);
    while (c.output_scanline < c.output_height) {
        JSAMPROW row = r->img.px + (size_t)c.output_scanline * c.output_width;
        jpeg_read_scanlines(&c, &row, 1);
    }
    r->img.dpi = dpi ? dpi * c.output_width / c.image_width : 0;
    jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    return true;
}

static bool read_png(scan_reader *r, const scan_file *f, sbuf *err)
{
    png_image pi = {.version = PNG_IMAGE_VERSION};
    if (!png_image_begin_read_from_memory(&pi, r->bytes.data, r->bytes.len)) {
        sbuf_printf(err, "%s: %s", f->path, pi.message);
        return false;
    }
    pi.format = PNG_FORMAT_GRAY;
    if (!img_size(r, (int)pi.width, (int)pi.height) ||
        !png_image_finish_read(&pi, NULL, r->img.px, 0, NULL)) {
        sbuf_printf(err, "%s: %s", f->path, pi.message[0] ? pi.message : "image too large");
        png_image_free(&pi);
        return false;
    }
    r->img.dpi = 0;   /* pHYs is not read by the simplified API; the page size is guessed */
    r->img.reduced = false;
    return true;
}

bool scan_read(scan_reader *r, const scan_file *f, int page, const scan_image **img, sbuf *err)
{
    if (!reader_open(r, f, err)) return false;
    bool ok;
    switch (f->kind) {
    case SCAN_PDF: ok = read_pdf(r, f, page, err); break;
    case SCAN_TIFF: ok = read_tiff(r, f, page, err); break;
    case SCAN_JPEG: ok = read_jpeg(r, f, err); break;
    default: ok = read_png(r, f, err); break;
    }
    *img = ok ? &r->img : NULL;
    return ok;
}

/* ---------------------------------------------------------------- decoding */

/* ZXing over a w × h window of img at (x0, y0), in place. */
static bool decode_window(const scan_image *img, int x0, int y0, int w, int h, scan_code *out)
{
    int deg = 0;
    if (!zxread_qr(img->px + (size_t)y0 * img->w + x0, w, h, img->w, "KH1 ", out->text, sizeof out->text, &deg,
                   out->corners))
        return false;
    for (int k = 0; k < 8; k += 2) {
        out->corners[k] += x0;
        out->corners[k + 1] += y0;
    }
    /* the symbol is turned deg clockwise: the page turns back by as much */
    out->turn = (4 - deg / 90) % 4;
    return true;
}

bool scan_decode(const scan_image *img, scan_code *out)
{
    out->text[0] = 0;
    out->turn = 0;
    /* the code lies within ~25 mm of two edges: a corner of 70 × 70 mm of an
     * A4 page (long side 297 mm) in whatever way the page was scanned */
    int lng = img->w > img->h ? img->w : img->h;
    int side = (int)(lng * 70.0 / 297.0);
    int cw = side < img->w ? side : img->w, ch = side < img->h ? side : img->h;
    int xs[2] = {img->w - cw, 0}, ys[2] = {img->h - ch, 0};
    for (int k = 0; k < 4; k++)
        if (decode_window(img, xs[k & 1], ys[k >> 1], cw, ch, out)) return true;
    return decode_window(img, 0, 0, img->w, img->h, out);
}

/* ---------------------------------------------------------------- embedding */

/* The page's size from its pixels: at its resolution, or else as A4. */
static void page_size(int w, int h, double dpi, double *w_pt, double *h_pt)
{
    double s = dpi > 0 ? 72.0 / dpi : 842.0 / (w > h ? w : h);
    *w_pt = w * s;
    *h_pt = h * s;
}

/* The resolution a JPEG file declares (JFIF density), 0 when none: its
 * header only, not its pixels. */
static double jpeg_dpi(const scan_reader *r)
{
    struct jpeg_decompress_struct c;
    jerr je;
    jerr_init(&c, &je);
    if (setjmp(je.jb)) {
        jpeg_destroy_decompress(&c);
        return 0;
    }
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, (const unsigned char *)r->bytes.data, (unsigned long)r->bytes.len);
    jpeg_read_header(&c, TRUE);
    double dpi = c.density_unit == 1 ? c.X_density : c.density_unit == 2 ? c.X_density * 2.54 : 0;
    jpeg_destroy_decompress(&c);
    return dpi;
}

/* A scanned PDF page's own JPEG data, when it is nothing else (pdfimg.h),
 * and the page's size; NULL when it is not. */
static HPDF_Image pdf_jpeg(scan_reader *r, const scan_file *f, int page, HPDF_Doc pdf, double *w_pt, double *h_pt)
{
    sbuf err = {0};
    bool open = reader_open(r, f, &err);
    sbuf_free(&err);
    if (!open) return NULL;
    if (!r->pimg_tried) {
        r->pimg_tried = true;
        r->pimg = pdfimg_open(f->path);
    }
    unsigned char *data;
    size_t len;
    if (!r->pimg || !pdfimg_page_jpeg(r->pimg, page, &data, &len, w_pt, h_pt)) return NULL;
    HPDF_Image im = len <= UINT32_MAX ? HPDF_LoadJpegImageFromMem(pdf, data, (HPDF_UINT)len) : NULL;
    free(data);
    return im;
}

/* A PNG file's pixels as a raw image: RGB when it has colour, else grey. */
static HPDF_Image embed_png(const scan_reader *r, HPDF_Doc pdf)
{
    png_image pi = {.version = PNG_IMAGE_VERSION};
    if (!png_image_begin_read_from_memory(&pi, r->bytes.data, r->bytes.len)) return NULL;
    bool colour = pi.format & PNG_FORMAT_FLAG_COLOR;
    pi.format = colour ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    double n = (double)pi.width * pi.height * (colour ? 3 : 1);
    unsigned char *px = n > 0 && n <= MAX_PIXELS * 3 ? malloc((size_t)n) : NULL;
    HPDF_Image im = NULL;
    if (px && png_image_finish_read(&pi, NULL, px, 0, NULL))
        im = HPDF_LoadRawImageFromMem(pdf, px, pi.width, pi.height, colour ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY, 8);
    else
        png_image_free(&pi);
    free(px);
    return im;
}

HPDF_Image scan_embed(scan_reader *r, const scan_file *f, int page, HPDF_Doc pdf, double *w_pt, double *h_pt,
                      sbuf *err)
{
    HPDF_Image im;
    double dpi;
    if (f->kind == SCAN_JPEG) {
        /* the file's own data: DCTDecode as the scanner wrote it, not
         * recompressed; its pixels are not decoded here */
        if (!reader_open(r, f, err)) return NULL;
        im = HPDF_LoadJpegImageFromMem(pdf, (const HPDF_BYTE *)r->bytes.data, (HPDF_UINT)r->bytes.len);
        dpi = jpeg_dpi(r);
    } else if (f->kind == SCAN_PNG) {
        /* decoded here, colour kept: libharu's own PNG reader gives other
         * bytes each run for a 1-bit PNG (a black-and-white scan) */
        if (!reader_open(r, f, err)) return NULL;
        im = embed_png(r, pdf);
        dpi = 0;
    } else if (f->kind == SCAN_PDF && (im = pdf_jpeg(r, f, page, pdf, w_pt, h_pt))) {
        return im;
    } else if (f->kind == SCAN_TIFF && (im = tiff_colour(r, f, page, pdf, &dpi))) {
        /* colour kept */
    } else {
        const scan_image *img;
        if (!scan_read(r, f, page, &img, err)) return NULL;
        im = HPDF_LoadRawImageFromMem(pdf, img->px, (HPDF_UINT)img->w, (HPDF_UINT)img->h, HPDF_CS_DEVICE_GRAY, 8);
        dpi = img->dpi;
    }
    if (!im) {
        sbuf_printf(err, "%s: page %d could not be put into the archive", f->path, page + 1);
        return NULL;
    }
    page_size((int)HPDF_Image_GetWidth(im), (int)HPDF_Image_GetHeight(im), dpi, w_pt, h_pt);
    return im;
}

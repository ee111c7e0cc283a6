// decode-bench — zbar vs ZXing-cpp on a corpus of greyscale page images
// (PGM, as `pdftoppm -gray` and ImageMagick write them): for each decoder,
// how many pages give a code starting "KH1 " and the decode time per page.
// Build: g++ -O2 -o decode-bench tools/decode-bench.cpp -lzbar -lZXing
// Use:   decode-bench FILE.pgm...   (run by tools/decode-bench.sh)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <zbar.h>   // before ZXing, whose Error.h defines a macro zbar's C++ header uses
using namespace zbar;
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

struct Pgm { int w = 0, h = 0; std::vector<unsigned char> px; };

static bool read_pgm(const char *path, Pgm &img)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    int maxv = 0;
    bool ok = fscanf(f, "P5 %d %d %d", &img.w, &img.h, &maxv) == 3 && maxv == 255;
    fgetc(f);
    if (ok) {
        img.px.resize((size_t)img.w * img.h);
        ok = fread(img.px.data(), 1, img.px.size(), f) == img.px.size();
    }
    fclose(f);
    return ok;
}

static std::string zbar_decode(const Pgm &img)
{
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_t *zi = zbar_image_create();
    zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(zi, img.w, img.h);
    zbar_image_set_data(zi, img.px.data(), img.px.size(), nullptr);
    std::string out;
    if (zbar_scan_image(sc, zi) > 0)
        for (const zbar_symbol_t *s = zbar_image_first_symbol(zi); s; s = zbar_symbol_next(s))
            if (!strncmp(zbar_symbol_get_data(s), "KH1 ", 4)) out = zbar_symbol_get_data(s);
    zbar_image_destroy(zi);
    zbar_image_scanner_destroy(sc);
    return out;
}

static std::string zxing_decode(const Pgm &img)
{
    ZXing::ImageView iv(img.px.data(), img.w, img.h, ZXing::ImageFormat::Lum);
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setTryRotate(true);
    hints.setTryHarder(true);
    for (const auto &r : ZXing::ReadBarcodes(iv, hints)) {
        std::string t = r.text();
        if (!t.compare(0, 4, "KH1 ")) return t;
    }
    return {};
}

int main(int argc, char **argv)
{
    const char *names[2] = {"zbar 0.23.92", "ZXing-cpp 1.4.0"};
    std::string (*fns[2])(const Pgm &) = {zbar_decode, zxing_decode};
    for (int d = 0; d < 2; d++) {
        int ok = 0, n = 0;
        double secs = 0;
        for (int i = 1; i < argc; i++) {
            Pgm img;
            if (!read_pgm(argv[i], img)) { fprintf(stderr, "%s: not a P5 PGM\n", argv[i]); continue; }
            auto t0 = std::chrono::steady_clock::now();
            std::string s = fns[d](img);
            secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            n++;
            if (!s.empty()) ok++;
            else if (getenv("VERBOSE")) fprintf(stderr, "%s missed %s\n", names[d], argv[i]);
        }
        printf("%-16s decoded %d/%d pages, %.1f ms/page\n", names[d], ok, n, n ? 1000 * secs / n : 0.0);
    }
    return 0;
}

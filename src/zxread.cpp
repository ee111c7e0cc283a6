// zxread — see zxread.h.
#define ZX_USE_UTF8 1
#include "zxread.h"

#include <cstring>
#include <string>

#include <ZXing/ReadBarcode.h>

extern "C" bool zxread_qr(const unsigned char *px, int w, int h, int stride, const char *prefix, char *out,
                          size_t cap, int *degrees, double corners[8])
{
    try {
        ZXing::ImageView iv(px, w, h, ZXing::ImageFormat::Lum, stride);
        ZXing::DecodeHints hints;
        hints.setFormats(ZXing::BarcodeFormat::QRCode);
        hints.setTryRotate(true);
        hints.setTryHarder(true);
        for (const auto &r : ZXing::ReadBarcodes(iv, hints)) {
            const std::string &t = r.text();
            if (!r.isValid() || t.compare(0, std::strlen(prefix), prefix)) continue;
            std::snprintf(out, cap, "%s", t.c_str());
            int o = ((r.orientation() % 360) + 360) % 360;
            *degrees = (o + 45) / 90 % 4 * 90;
            for (int k = 0; corners && k < 4; k++) {
                corners[2 * k] = r.position()[k].x;
                corners[2 * k + 1] = r.position()[k].y;
            }
            return true;
        }
    } catch (...) {   // no exception may cross into C
    }
    return false;
}

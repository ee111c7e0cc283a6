/* zxread — QR codes read from an 8-bit grey image with ZXing-cpp (a C++
 * library; this is the C program's one C++ file). Chosen over zbar on a
 * degraded scan corpus (README, "Archiving"): all pages decoded where zbar
 * missed every page skewed 5° at 150 dpi saved as JPEG q50, and 2-6 times
 * faster. Stateless: any thread may call it. */
#ifndef KAOHE_ZXREAD_H
#define KAOHE_ZXREAD_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The first QR code on the w × h image (row stride `stride` bytes) whose
 * text begins with `prefix`: its text into out (NUL-terminated, cut to cap)
 * and its orientation in degrees clockwise (0, 90, 180, 270: how far the
 * symbol is turned from upright). corners (NULL: not wanted) gets the
 * symbol's corners in pixels of the image, x y pairs in the symbol's own
 * order: top-left, top-right, bottom-right, bottom-left as the symbol
 * reads upright, whichever way the image turns it. False when there is none. */
bool zxread_qr(const unsigned char *px, int w, int h, int stride, const char *prefix, char *out, size_t cap,
               int *degrees, double corners[8]);

#ifdef __cplusplus
}
#endif

#endif

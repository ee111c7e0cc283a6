/* hpdf_patch — see hpdf_patch.h.
 *
 * Defined here, these replace the shared libraries' own for the whole
 * process: libhpdf calls them through its PLT, and the linker exports the
 * program's definitions because libhpdf uses those names. They are pure
 * functions (no state), so threads may call them at once. tests/unit/
 * test_patches.c proves each one is the definition the process uses. */
#include "hpdf_patch.h"

#include <string.h>
#include <zlib.h>

/* zlib 1.2.x's deflateInit_ is the macro deflateInit's target; the guard
 * above covers libharu, this one the zlib prototype replaced below. */
#if !defined(ZLIB_VERNUM) || ZLIB_VERNUM < 0x1200 || ZLIB_VERNUM >= 0x1400
#error "deflateInit_ replacement tested with zlib 1.2.x/1.3.x only: see src/hpdf_patch.c"
#endif

int hpdf_patch_level_for(int requested)
{
    return requested == Z_DEFAULT_COMPRESSION ? Z_BEST_SPEED : requested;
}

/* zlib's deflateInit: libharu 2.3.0 compresses every stream with
 * deflateInit(Z_DEFAULT_COMPRESSION), i.e. level 6, and has no setting for
 * the level. Level 1 (Z_BEST_SPEED) deflates content streams, fonts and
 * CIDToGIDMaps in half the time (callgrind) for ~2% more bytes, and it is
 * as deterministic. Only libharu calls deflateInit_ in this program:
 * libxlsxwriter (through minizip), libpng and libxml2 call deflateInit2_,
 * which is untouched, so their output does not change. An explicit level is
 * kept. The other arguments are those zlib's own deflateInit_ passes. */
int deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
    return deflateInit2_(strm, hpdf_patch_level_for(level), Z_DEFLATED, MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY, version, stream_size);
}

/* libharu 2.3.0's HPDF_MemCpy, HPDF_MemSet and HPDF_StrLen are loops of one
 * byte a step, under all of its stream writing (a CIDToGIDMap alone is
 * 65,536 writes of 2 bytes per font and document). Same results with libc:
 * HPDF_MemCpy returns out + n and copies forwards (as libharu's loop does
 * when the ranges overlap), HPDF_MemSet returns s + n. */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    if (out + n <= in || in + n <= out) {
        memcpy(out, in, n);
        return out + n;
    }
    while (n-- > 0) *out++ = *in++;
    return out;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    memset(s, c, n);
    return (HPDF_BYTE *)s + n;
}

HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen)
{
    if (!s) return 0;
    return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}

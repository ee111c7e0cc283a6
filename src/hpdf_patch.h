/* hpdf_patch — every place the program reaches inside libharu 2.3.0 (and the
 * one zlib function libharu calls): the functions it replaces for the whole
 * process, and the compile-time guard that stops the build on a libharu whose
 * internals were not tested here. hpdfx (what the program does inside
 * libharu's documents) and pdfa include this header instead of libharu's
 * private headers directly. */
#ifndef KAOHE_HPDF_PATCH_H
#define KAOHE_HPDF_PATCH_H

#include <hpdf.h>
#include <hpdf_version.h>

/* The private headers below, the structure layouts pdfw reads (HPDF_FontAttr,
 * the document's stream, the encoder's maps) and the replaced functions are
 * those of libharu 2.3.0. Another version may lay them out differently and
 * would corrupt memory without a compiler warning: test it, then widen this. */
#if !defined(HPDF_VERSION_ID) || HPDF_VERSION_ID != 20300
#error "kaohe is tested with libharu 2.3.0 only (HPDF_VERSION_ID 20300): see src/hpdf_patch.c"
#endif

#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>

/* The replacements defined in hpdf_patch.c, named so a test can prove that
 * the process calls them (a symbol lookup of the libharu name must resolve to
 * the program, not to libhpdf.so):
 *  - deflateInit_ (zlib): libharu's streams at level 1 instead of 6;
 *  - HPDF_MemCpy, HPDF_MemSet, HPDF_StrLen: libc speed for libharu's
 *    byte-at-a-time loops, same results.
 * hpdf_patch_level_for() is the level the deflateInit_ replacement passes on
 * for a requested level. */
int hpdf_patch_level_for(int requested);

#endif

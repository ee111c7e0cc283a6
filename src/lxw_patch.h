/* lxw_patch — the one function the program replaces under libxlsxwriter
 * 1.1.4 (minizip's zipOpenNewFileInZip4_64, to deflate workbook parts at
 * level 1) and the compile-time guard that stops the build on a
 * libxlsxwriter whose use of minizip was not tested here. */
#ifndef KAOHE_LXW_PATCH_H
#define KAOHE_LXW_PATCH_H

#include <xlsxwriter.h>

/* libxlsxwriter 1.1.4 deflates every part through minizip's
 * zipOpenNewFileInZip4_64 (Debian's build links libminizip.so.1). A version
 * that calls another entry point would silently lose the level setting, one
 * that bundles its own minizip would bypass it: test it, then widen this. */
#if !defined(LXW_VERSION_ID) || LXW_VERSION_ID != 114
#error "kaohe is tested with libxlsxwriter 1.1.4 only (LXW_VERSION_ID 114): see src/lxw_patch.c"
#endif

/* The level the zipOpenNewFileInZip4_64 replacement passes on to minizip
 * for a requested level (-1, Z_DEFAULT_COMPRESSION, becomes 1). */
int lxw_patch_level_for(int requested);

#endif

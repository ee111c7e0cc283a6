/* lxw_patch — the functions the program replaces under libxlsxwriter 1.1.4
 * (minizip's zipOpenNewFileInZip4_64, to deflate workbook parts at level 1;
 * the library's lxw_styles_assemble_xml_file, to give marked formats the
 * quotePrefix that 1.1.4 cannot write) and the compile-time guard that stops
 * the build on a libxlsxwriter whose internals were not tested here. */
#ifndef KAOHE_LXW_PATCH_H
#define KAOHE_LXW_PATCH_H

#include <stdbool.h>
#include <xlsxwriter.h>

/* libxlsxwriter 1.1.4 deflates every part through minizip's
 * zipOpenNewFileInZip4_64 (Debian's build links libminizip.so.1). A version
 * that calls another entry point would silently lose the level setting, one
 * that bundles its own minizip would bypass it. The quote prefix relies on
 * 1.1.4's lxw_format.fill_count being unused and on its styles writer (see
 * lxw_patch.c); 1.1.5 and later have format_set_quote_prefix of their own,
 * which should replace lxw_patch_quote_prefix there. Test, then widen this. */
#if !defined(LXW_VERSION_ID) || LXW_VERSION_ID != 114
#error "kaohe is tested with libxlsxwriter 1.1.4 only (LXW_VERSION_ID 114): see src/lxw_patch.c"
#endif

/* The level the zipOpenNewFileInZip4_64 replacement passes on to minizip
 * for a requested level (-1, Z_DEFAULT_COMPRESSION, becomes 1). */
int lxw_patch_level_for(int requested);

/* Mark a format (before a cell uses it) so the cells written with it carry
 * quotePrefix="1" in styles.xml: Excel then keeps their text as text when
 * the cell is edited and entered again (text like "=1+2" would otherwise
 * become a formula), and shows the ' in the formula bar. The mark makes the
 * format distinct from an unmarked one with the same properties (its own
 * xf). */
void lxw_patch_quote_prefix(lxw_format *f);

/* Whether f carries lxw_patch_quote_prefix's mark. */
bool lxw_patch_has_quote_prefix(const lxw_format *f);

#endif

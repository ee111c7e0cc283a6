/* lxw_patch — see lxw_patch.h. tests/unit/test_patches.c proves that the
 * process's zipOpenNewFileInZip4_64 and lxw_styles_assemble_xml_file are
 * these ones, and that what libxlsxwriter writes shows their effect. */
#define _GNU_SOURCE   /* RTLD_NEXT, open_memstream */
#include "lxw_patch.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter/styles.h>

int lxw_patch_level_for(int requested)
{
    return requested == -1 ? 1 : requested;   /* Z_DEFAULT_COMPRESSION -> Z_BEST_SPEED */
}

/* minizip's zipOpenNewFileInZip4_64, through which libxlsxwriter deflates
 * every part of a workbook at Z_DEFAULT_COMPRESSION (level 6), with no
 * setting for it. Defining it here puts this program's definition first for
 * libxlsxwriter; it passes level 1 on to minizip's own (RTLD_NEXT). Level 1
 * deflates the sheet XML in a third of the time for ~25% more bytes, and is
 * as deterministic. The prototype is minizip 1.x's (Debian ships no header):
 * zipFile and zip_fileinfo * are pointers, uInt/uLong unsigned int/long. */
typedef int (*zip_open4_fn)(void *, const char *, const void *, const void *, unsigned,
                            const void *, unsigned, const char *, int, int, int, int, int,
                            int, const char *, unsigned long, unsigned long, unsigned long, int);

int zipOpenNewFileInZip4_64(void *file, const char *name, const void *info, const void *extra_local,
                            unsigned size_local, const void *extra_global, unsigned size_global,
                            const char *comment, int method, int level, int raw, int window_bits,
                            int mem_level, int strategy, const char *password, unsigned long crc,
                            unsigned long version_made_by, unsigned long flag_base, int zip64);

int zipOpenNewFileInZip4_64(void *file, const char *name, const void *info, const void *extra_local,
                            unsigned size_local, const void *extra_global, unsigned size_global,
                            const char *comment, int method, int level, int raw, int window_bits,
                            int mem_level, int strategy, const char *password, unsigned long crc,
                            unsigned long version_made_by, unsigned long flag_base, int zip64)
{
    zip_open4_fn next = (zip_open4_fn)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    if (!next) return -104;                   /* ZIP_INTERNALERROR */
    return next(file, name, info, extra_local, size_local, extra_global, size_global, comment, method,
                lxw_patch_level_for(level), raw, window_bits, mem_level, strategy, password, crc,
                version_made_by, flag_base, zip64);
}

/* ------------------------------------------------------------ quote prefix */

/* libxlsxwriter 1.1.4 has no quote_prefix property (1.1.5 added it) and
 * writes each <xf> of styles.xml from the format's fields, so the mark has
 * to be a field of lxw_format that (a) 1.1.4 never reads or writes, so
 * setting it changes nothing else, (b) is part of the format's identity,
 * which is the whole struct compared bytewise (format.c, _get_format_key),
 * so a marked format gets an xf of its own instead of sharing one with its
 * unmarked twin, and (c) survives into the styles writer, which works on
 * memcpy'd copies of the workbook's formats (packager.c,
 * _write_styles_file). fill_count is that field: set to 0 by
 * lxw_format_new and used nowhere else in 1.1.4 (the fill counts the styles
 * writer prints are the workbook's and the styles' own fields). */
#define QUOTE_MARK 0x71756f74   /* "quot" */

void lxw_patch_quote_prefix(lxw_format *f) { f->fill_count = QUOTE_MARK; }

bool lxw_patch_has_quote_prefix(const lxw_format *f) { return f->fill_count == QUOTE_MARK; }

/* styles.xml as the library wrote it (xml, len), each marked format's
 * <xf> in <cellXfs> given quotePrefix="1" right after its xfId, where
 * 1.1.5 puts it. The <xf> elements there are the formats of xf_formats in
 * order, less the font_only one (styles.c, _write_cell_xfs). Anything
 * unexpected leaves the rest of the text as it is. */
static void write_quoted(FILE *out, const char *xml, size_t len, struct lxw_formats *formats)
{
    const char *p = xml, *end = xml + len;
    const char *at = memmem(p, len, "<cellXfs", 8);
    lxw_format *f;
    STAILQ_FOREACH(f, formats, list_pointers) {
        if (!at) break;
        if (f->font_only) continue;
        at = memmem(at, (size_t)(end - at), "<xf ", 4);
        if (!at) break;
        const char *gt = memchr(at, '>', (size_t)(end - at));
        const char *id = gt ? memmem(at, (size_t)(gt - at), "xfId=\"", 6) : NULL;
        const char *q = id ? memchr(id + 6, '"', (size_t)(gt - id - 6)) : NULL;
        if (q && lxw_patch_has_quote_prefix(f)) {
            fwrite(p, 1, (size_t)(q + 1 - p), out);
            fputs(" quotePrefix=\"1\"", out);
            p = q + 1;
        }
        at += 4;
    }
    fwrite(p, 1, (size_t)(end - p), out);
}

typedef void (*styles_fn)(lxw_styles *);

/* The library's styles writer, run into memory when a format is marked,
 * its text then written to the part's file with the quote prefixes. Without
 * a marked format (or the memory for the text) the library writes it as
 * always. */
void lxw_styles_assemble_xml_file(lxw_styles *self)
{
    styles_fn next = (styles_fn)dlsym(RTLD_NEXT, "lxw_styles_assemble_xml_file");
    if (!next) abort();   /* libxlsxwriter is linked, so it defines it: cannot happen */
    bool marked = false;
    lxw_format *f;
    STAILQ_FOREACH(f, self->xf_formats, list_pointers) marked = marked || lxw_patch_has_quote_prefix(f);
    char *xml = NULL;
    size_t len = 0;
    FILE *mem = marked ? open_memstream(&xml, &len) : NULL;
    if (!mem) {
        next(self);
        return;
    }
    FILE *out = self->file;
    self->file = mem;
    next(self);
    self->file = out;
    if (fclose(mem) == 0) write_quoted(out, xml, len, self->xf_formats);
    else next(self);   /* the text in memory is incomplete: the library's own, unquoted */
    free(xml);
}

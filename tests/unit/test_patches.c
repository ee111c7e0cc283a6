/* Tests that the library patches of src/hpdf_patch.c and src/lxw_patch.c are
 * the definitions the process uses: a symbol lookup in the global scope (the
 * one libhpdf's and libxlsxwriter's calls go through) must land in this
 * program, and what the libraries write must show the patched behaviour. A
 * patch dropped by the linker or bypassed by a library update fails here. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpdf_patch.h"
#include "lxw_patch.h"
#include "util.h"

/* The file that defines the symbol the process resolves by name. */
static const char *defining_file(const char *sym)
{
    void *p = dlsym(RTLD_DEFAULT, sym);
    cr_assert_not_null(p, "%s not found", sym);
    Dl_info info;
    cr_assert(dladdr(p, &info), "dladdr(%s)", sym);
    return info.dli_fname;
}

Test(patches, libharu_replacements_resolve_to_the_program)
{
    static const char *const syms[] = {"HPDF_MemCpy", "HPDF_MemSet", "HPDF_StrLen", "deflateInit_"};
    for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
        const char *f = defining_file(syms[i]);
        cr_assert(strstr(f, "libhpdf") == NULL && strstr(f, "libz.") == NULL,
                  "%s resolves to %s, not to the program", syms[i], f);
    }
    cr_assert_eq(hpdf_patch_level_for(-1), 1);
    cr_assert_eq(hpdf_patch_level_for(9), 9, "an explicit level is kept");
}

/* libharu deflates with deflateInit(Z_DEFAULT_COMPRESSION); through the
 * patch the zlib header of its streams says "fastest" (0x78 0x01). */
Test(patches, libharu_streams_are_deflated_at_level_1)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    cr_assert_not_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetLineWidth(page, 1);
    for (int i = 0; i < 200; i++) {
        HPDF_Page_MoveTo(page, 10 + i, 10);
        HPDF_Page_LineTo(page, 300, 10 + i);
    }
    HPDF_Page_Stroke(page);
    cr_assert_eq(HPDF_SaveToStream(pdf), HPDF_OK);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    unsigned char *buf = xmalloc(size);
    HPDF_UINT32 got = size;
    HPDF_ReadFromStream(pdf, buf, &got);
    HPDF_Free(pdf);
    int streams = 0, fast = 0;
    for (size_t i = 0; i + 9 < got; i++) {
        if (memcmp(buf + i, "stream\015\012", 8) && memcmp(buf + i, "stream\012", 7)) continue;
        size_t at = i + (buf[i + 6] == '\015' ? 8 : 7);
        if (buf[at] != 0x78) continue;
        streams++;
        if (buf[at + 1] == 0x01) fast++;
    }
    free(buf);
    cr_assert_gt(streams, 0, "no deflated stream found");
    cr_assert_eq(fast, streams, "%d of %d streams at level 1", fast, streams);
}

/* minizip records the level in each local header's flag bits 1-2
 * (11 = level 1, "super fast"): every part of a libxlsxwriter workbook. */
Test(patches, xlsx_parts_are_deflated_at_level_1)
{
    cr_assert(strstr(defining_file("zipOpenNewFileInZip4_64"), "libminizip") == NULL);
    char path[] = "/tmp/kaohe-patch-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    cr_assert_geq(fd, 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    for (int r = 0; r < 100; r++) worksheet_write_string(ws, (lxw_row_t)r, 0, "年度考核", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    unsigned char b[30];
    int parts = 0, fast = 0;
    while (fread(b, 1, 30, f) == 30 && !memcmp(b, "PK\003\004", 4)) {
        unsigned flags = b[6] | (unsigned)b[7] << 8, method = b[8] | (unsigned)b[9] << 8;
        unsigned long csize = b[18] | (unsigned long)b[19] << 8 | (unsigned long)b[20] << 16 |
                              (unsigned long)b[21] << 24;
        unsigned nlen = b[26] | (unsigned)b[27] << 8, xlen = b[28] | (unsigned)b[29] << 8;
        parts++;
        if (method == 8 && (flags & 6) == 6) fast++;
        if (fseek(f, (long)(nlen + xlen + csize), SEEK_CUR)) break;
        if (flags & 8) fseek(f, 16, SEEK_CUR);   /* data descriptor with signature */
    }
    fclose(f);
    unlink(path);
    cr_assert_gt(parts, 3, "read %d parts", parts);
    cr_assert_eq(fast, parts, "%d of %d parts at level 1", fast, parts);
    cr_assert_eq(lxw_patch_level_for(-1), 1);
}

/* Run a shell command: its stdout (malloc'd), exit status in *st. */
static char *run(const char *cmd, int *st)
{
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "%s", cmd);
    sbuf b = {0};
    sbuf_puts(&b, "");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) sbuf_add(&b, buf, n);
    *st = pclose(p);
    return b.data;
}

/* libxlsxwriter 1.1.4 cannot write quotePrefix; lxw_patch's styles writer
 * adds it to the xf of a marked format, and to no other: a marked format
 * and its unmarked twin (same font, alignment, border) are two xfs, and
 * openpyxl reads the prefix on the marked cells only. Fails when the
 * replacement is not the one libxlsxwriter calls. */
Test(patches, marked_formats_get_the_quote_prefix)
{
    cr_assert(strstr(defining_file("lxw_styles_assemble_xml_file"), "libxlsxwriter") == NULL,
              "libxlsxwriter's own styles writer is in use");
    char path[] = "/tmp/kaohe-patch-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    cr_assert_geq(fd, 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_format *plain = workbook_add_format(wb), *quoted = workbook_add_format(wb);
    lxw_format *const both[2] = {plain, quoted};
    for (int i = 0; i < 2; i++) {
        format_set_bold(both[i]);
        format_set_border(both[i], LXW_BORDER_THIN);
        format_set_text_wrap(both[i]);
    }
    lxw_patch_quote_prefix(quoted);
    cr_assert(lxw_patch_has_quote_prefix(quoted));
    cr_assert_not(lxw_patch_has_quote_prefix(plain));
    worksheet_write_string(ws, 0, 0, "=1+2", quoted);
    worksheet_write_string(ws, 1, 0, "=1+2", plain);
    worksheet_write_string(ws, 2, 0, "@SUM(1)", quoted);
    worksheet_write_string(ws, 3, 0, "text", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    sbuf cmd = {0};
    sbuf_printf(&cmd,
                "/usr/bin/python3 -c \"import sys, re, zipfile, openpyxl\n"
                "p = sys.argv[1]\n"
                "x = zipfile.ZipFile(p).read('xl/styles.xml').decode()\n"
                "print('PREFIXES', x.count('quotePrefix'), len(re.findall(r'<xf [^>]*xfId=.0. quotePrefix=.1.', x)))\n"
                "ws = openpyxl.load_workbook(p).active\n"
                "for r in range(1, 5): c = ws.cell(r, 1); print(c.coordinate, c.value, c.data_type, c.quotePrefix, c.font.b)\n"
                "\" '%s'",
                path);
    int st;
    char *out = run(cmd.data, &st);
    unlink(path);
    cr_assert_eq(st, 0, "%s", out);
    cr_assert_not_null(strstr(out, "PREFIXES 1 1\n"), "one xf, with the prefix after its xfId: %s", out);
    cr_assert_not_null(strstr(out, "A1 =1+2 s True True\n"), "%s", out);
    cr_assert_not_null(strstr(out, "A2 =1+2 s False True\n"), "the unmarked twin: %s", out);
    cr_assert_not_null(strstr(out, "A3 @SUM(1) s True True\n"), "%s", out);
    cr_assert_not_null(strstr(out, "A4 text s False False\n"), "%s", out);
    free(out);
    sbuf_free(&cmd);
}

/* lxw_patch — see lxw_patch.h. tests/unit/test_patches.c proves that the
 * process's zipOpenNewFileInZip4_64 is this one. */
#include "lxw_patch.h"

#include <dlfcn.h>

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

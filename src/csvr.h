/* csvr — reading one roster sheet saved as CSV with libcsv: UTF-8 (with or
 * without a BOM) or GB18030 (what Excel and WPS save in China), detected by
 * a validating pass and converted with iconv; quoted fields may hold line
 * breaks and commas. Rows are handed over like xlsxr's, as text cells. */
#ifndef KAOHE_CSVR_H
#define KAOHE_CSVR_H

#include "xlsxr.h"

/* Read `path`; `fn` gets each row with a non-empty field (1-based record
 * numbers, which is what a spreadsheet shows when it opens the file).
 * Returns 0, the callback's value, or -1 with `e` set (INPUT_UNREADABLE,
 * ROSTER_ENCODING, ROSTER_CSV_MALFORMED). `encoding` receives "UTF-8" or
 * "GB18030" when not NULL. */
int csvr_read(const char *path, xlsxr_row_fn fn, void *arg, const char **encoding, xlsxr_error *e);

#endif

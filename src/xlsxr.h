/* xlsxr — a streaming reader of XLSX workbooks (Office Open XML spreadsheets):
 * the zip through minizip, the parts through libxml2 (xmlTextReader, and
 * for the sheets, the bulk, its SAX2 parser pulling the part, which a
 * thread of xlsxr's own inflates alongside; never a DOM of a sheet).
 * Owns the workbook's sheet list, the shared strings (spilled to a temp
 * file, an offset each in memory), the date styles, the 1900/1904 date
 * system and the package's size limits (zip bombs). Hands a
 * sheet to its caller one row of typed cells at a time. */
#ifndef KAOHE_XLSXR_H
#define KAOHE_XLSXR_H

#include <stdbool.h>
#include "util.h"

typedef enum { XC_STRING, XC_NUMBER, XC_BOOL, XC_ERROR } xlsxr_type;

typedef struct xlsxr_cell {
    int col;                 /* 0-based column (A = 0) */
    xlsxr_type type;
    const char *text;        /* string value; for numbers the cached lexical ("12", "0.2") */
    double num;              /* XC_NUMBER, XC_BOOL (0/1) */
    bool date;               /* a number with a date or time format */
} xlsxr_cell;

/* Problems of the package itself; `code` is a stable message code:
 * ROSTER_XLS (a BIFF .xls), ROSTER_ENCRYPTED (password-protected: an OLE2
 * file holding an EncryptedPackage), ROSTER_ZIP_CORRUPT, ROSTER_ZIP_BOMB,
 * ROSTER_NOT_WORKBOOK (a zip without a workbook), INPUT_UNREADABLE. */
typedef struct xlsxr_error {
    const char *code;
    char detail[256];
} xlsxr_error;

typedef struct xlsxr xlsxr;

/* Open a workbook: reads workbook.xml, its relationships, styles and shared
 * strings. NULL with `e` set on failure. */
xlsxr *xlsxr_open(const char *path, xlsxr_error *e);
void xlsxr_close(xlsxr *x);

int xlsxr_sheet_count(const xlsxr *x);
/* Name of the i-th sheet (workbook order). */
const char *xlsxr_sheet_name(const xlsxr *x, int i);
/* True when the workbook uses the 1904 date system. */
bool xlsxr_date1904(const xlsxr *x);

/* Called for each row with at least one non-empty cell, in sheet order.
 * `row` is 1-based; cells are in column order; a cell merged into a range
 * carries the range's top-left value. Return non-zero to stop. */
typedef int (*xlsxr_row_fn)(void *arg, long row, const xlsxr_cell *cells, int n);

/* Read sheet i. Returns 0, the callback's value, or -1 with `e` set. */
int xlsxr_read_sheet(xlsxr *x, int i, xlsxr_row_fn fn, void *arg, xlsxr_error *e);

/* Date serial -> civil date (the workbook's system; Excel's 1900 leap-year
 * quirk: serial 60 is the non-existent 1900-02-29, which is refused). */
bool xlsxr_serial_date(double serial, bool date1904, int *y, int *m, int *d);

/* "F17" from 0-based column 5, row 17. */
void xlsxr_cell_ref(int col, long row, char *buf, size_t n);

#endif

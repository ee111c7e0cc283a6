/* roster — the roster workbook of SPEC 2.1 (花名册: sheets 考核, 单位, 人员,
 * 绩效考评) read from an .xlsx (xlsxr) or from CSV files (csvr, one per
 * sheet) and written out as appraisal XML (urn:kaohe:appraisal:1), which the
 * ordinary validated ingest then reads: a roster and its XML give the same
 * results by construction. Owns the sheet and column definitions (headers,
 * value lists, the XML attribute each column fills) and every roster
 * message: file, sheet and cell (人员!F17) with a stable code. Nothing of a
 * roster with an error is written. Memory: the units' fields and one index
 * entry per person; the persons' XML waits in a temp file until its unit is
 * written. */
#ifndef KAOHE_ROSTER_H
#define KAOHE_ROSTER_H

#include <stdbool.h>
#include <stdio.h>
#include "msg.h"

/* One sheet of the workbook as the template and the reader know it. */
typedef enum { ROSTER_SHEET_APPRAISAL, ROSTER_SHEET_UNITS, ROSTER_SHEET_PERSONS, ROSTER_SHEET_ASSESSMENT,
               ROSTER_SHEET_COUNT } roster_sheet;

/* A column of a sheet, for readers and for the template writer. */
typedef struct roster_column {
    const char *header;            /* the header text (Chinese) */
    const char *xml;               /* what it fills, e.g. "person@duty", "status@assignment" */
    bool required;
    const char *const *labels;     /* value list (drop-down), NULL-terminated, or NULL */
    const char *note;              /* how to fill it (说明 sheet), Chinese */
    double width;                  /* column width for the template */
    const char *example;           /* the example row's value */
} roster_column;

/* Sheet name ("人员") and its columns, in template order (for 考核 the
 * "columns" are its items, one row each under 项目/内容). */
const char *roster_sheet_name(roster_sheet s);
int roster_column_count(roster_sheet s);
const roster_column *roster_column_at(roster_sheet s, int i);

/* True when the path names a roster input (.xlsx, .xlsm, .csv, or an .xls
 * to refuse with a message), by its extension. */
bool roster_is_roster_path(const char *path);

typedef struct roster_opts {
    int year;                      /* --year: 0 = from the 考核 sheet */
    const char *policies_dir;      /* to check 考核政策; NULL: not checked */
    msg_lang lang;
    FILE *err;                     /* messages (warnings and errors) */
    int max_errors;                /* listed before "…and N more" (0: 50) */
} roster_opts;

typedef struct roster_stats {
    long person_rows;              /* data rows of 人员 */
    long persons_out;              /* <person> elements written */
    long units_out;
    int errors, warnings;
} roster_stats;

/* Convert one roster (one .xlsx, or the CSV files of one roster, one per
 * sheet) to appraisal XML on `out`. Every problem is printed on opts->err
 * naming file, sheet and cell. Returns 0 when the XML was written; -1 when
 * the roster has an error (nothing written to out), -2 when writing failed. */
int roster_convert(char *const *paths, int n_paths, FILE *out, const roster_opts *opts, roster_stats *st);

#endif

/* The inputs of a build/check/quota with every roster converted: each .xlsx
 * (or .xls, to refuse) alone, all .csv files together as one roster, each
 * to an XML file in a private temp directory named after the roster
 * ("花名册.xlsx.xml"), in the place of the roster in the list. A roster with
 * an error is left out (its problems printed) and `failed` counts it. */
typedef struct roster_staged {
    char **files;            /* the list to run */
    int n_files;
    char *dir;               /* the temp directory, or NULL */
    char **temps;
    int n_temps;
    int failed;              /* rosters with errors (exit 3) */
    bool write_failed;       /* a temp file could not be written */
} roster_staged;

/* `quiet`: no per-roster line (rows in, persons out). */
void roster_stage(char *const *files, int n_files, const roster_opts *o, bool quiet, roster_staged *s);
/* Remove the temp files and free the list. */
void roster_staged_free(roster_staged *s);

/* rosterw — writing roster workbooks (SPEC 2.1) with libxlsxwriter: the
 * empty template of `kaohe roster-template` (headers, a drop-down list on
 * every enumerated column, frozen header row, widths for the Chinese
 * headers, an example row per sheet, the 说明 sheet), and the same workbook
 * filled from an appraisal XML (import's inverse: `roster-template --from`,
 * `kaohe sample --format xlsx`), streamed unit by unit in constant_memory
 * mode. The columns come from roster.h, so reader and writer agree. */
#ifndef KAOHE_ROSTERW_H
#define KAOHE_ROSTERW_H

#include "ingest.h"
#include "msg.h"

/* Write the roster workbook to `path` (atomically: a temp file renamed).
 * `from`: an input XML to fill it with (validated against `schema` first),
 * or NULL for the template with example rows. `epoch` fixes the workbook's
 * creation time (byte-identical output). `max_rows`: the rows a sheet may
 * take, header included (0: a worksheet's limit, 1,048,576; tests set
 * fewer). Returns 0; 3 when `from` is not a valid input or a sheet would
 * need more than max_rows rows (ROSTER_TOO_MANY_ROWS: nothing written;
 * message in err); 4 when the file cannot be written. */
int rosterw_write(const char *path, const char *from, const ingest_schema *schema, long long epoch,
                  long max_rows, msg_lang lang, sbuf *err);

#endif

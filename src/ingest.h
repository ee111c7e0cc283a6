/* ingest — reading input files with libxml2's streaming reader: validation
 * against the XSD (file:line:column in every message, DOCTYPE refused, no
 * network, no entity expansion) and conversion of one <unit> at a time into
 * a model unit with the SPEC's defaults applied. Memory stays bounded by the
 * largest unit, never by the file. */
#ifndef KAOHE_INGEST_H
#define KAOHE_INGEST_H

#include "model.h"
#include "msg.h"

typedef struct ingest_schema ingest_schema;

/* Load the XSD once per run; the compiled schema is read-only and shared. */
ingest_schema *ingest_schema_load(const char *xsd_path, char *err, size_t errlen);
void ingest_schema_free(ingest_schema *s);

/* Validate a whole file (pass 1). Returns 0 when valid; otherwise non-zero
 * with the first problem in `err`, formatted for HR officers with its code
 * (XML_MALFORMED, SCHEMA_INVALID, DOCTYPE_REFUSED, INPUT_UNREADABLE). */
int ingest_validate(const char *path, const ingest_schema *schema, msg_lang lang, sbuf *err);

/* Called for every unit in file order. The unit is the callee's: it must
 * call model_unit_free() (and free the struct) when done with it. Return
 * non-zero to stop reading. */
typedef int (*ingest_unit_fn)(unit *u, void *arg);

/* Read a validated file (pass 2): fill `hdr` (strings owned by hdr, freed by
 * ingest_header_free), then hand each unit to `fn`. Returns 0, the callback's
 * non-zero value, or -1 on a read error (message in err). */
int ingest_read(const char *path, file_header *hdr, ingest_unit_fn fn, void *arg, msg_lang lang,
                sbuf *err);
void ingest_header_free(file_header *hdr);

/* Parse one <unit> element given as a complete XML string with the kaohe
 * namespace (for tests and fuzzing). Returns NULL on failure. */
unit *ingest_unit_from_string(const char *xml, const file_header *hdr);

#endif

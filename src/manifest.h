/* manifest — MANIFEST.sha256: one `sha256sum -c` compatible line per file of
 * a year's output, hashed with OpenSSL's libcrypto (a well-kept SHA-256,
 * rather than one of our own). */
#ifndef KAOHE_MANIFEST_H
#define KAOHE_MANIFEST_H

#include <stdbool.h>
#include "util.h"

/* SHA-256 of a file as 64 lowercase hex digits (+ NUL). False on I/O error. */
bool manifest_hash_file(const char *path, char hex[65]);

/* Hash `dir/rel` and append "HEX  rel\n" to b. False on I/O error. */
bool manifest_add(sbuf *b, const char *dir, const char *rel);

/* Count the files a committed MANIFEST.sha256 in dir lists, plus itself,
 * and add their sizes. False when there is no manifest. */
bool manifest_tally(const char *dir, long *files, long long *bytes);

#endif

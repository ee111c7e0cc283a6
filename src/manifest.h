/* manifest — MANIFEST.sha256: one `sha256sum -c` compatible line per file of
 * a year's output, hashed with OpenSSL's libcrypto (a well-kept SHA-256,
 * rather than one of our own). */
#ifndef KAOHE_MANIFEST_H
#define KAOHE_MANIFEST_H

#include <stdbool.h>
#include <stdio.h>
#include "util.h"

/* SHA-256 of a regular file (never through a symbolic link) as 64
 * lowercase hex digits (+ NUL). False with errno set (rfile's codes). */
bool manifest_hash_file(const char *path, char hex[65]);
/* SHA-256 of what is left to read of f, as manifest_hash_file. */
bool manifest_hash_stream(FILE *f, char hex[65]);

/* Hash `dir/rel` and append "HEX  rel\n" to b. False on I/O error. */
bool manifest_add(sbuf *b, const char *dir, const char *rel);

/* Count the files a committed MANIFEST.sha256 in dir lists, plus itself,
 * and add their sizes. False when there is no manifest. */
bool manifest_tally(const char *dir, long *files, long long *bytes);

#endif

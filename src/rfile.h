/* rfile — the one way kaohe opens a file it reads (inputs, policies,
 * schemes, form templates, calendars, the schema, a shard's files for merge):
 * regular files only, opened without blocking so a FIFO, a terminal or a
 * device is refused at once instead of hanging or reading forever, within a
 * size cap, and for files that must be the program's own, without following
 * a symbolic link. */
#ifndef KAOHE_RFILE_H
#define KAOHE_RFILE_H

#include <stdbool.h>
#include <stdio.h>
#include "util.h"

/* errno values of rfile beyond the system's (rfile_strerror names them) */
#define RFILE_ENOTREG 10001        /* a FIFO, device, socket or directory */
#define RFILE_ELINK   10002        /* a symbolic link where RFILE_NOFOLLOW was asked */

enum { RFILE_FOLLOW = 0, RFILE_NOFOLLOW = 1 };

/* Open `path` for reading when it is a regular file of at most `max` bytes
 * (EFBIG beyond). Returns the descriptor (blocking mode again, close on
 * exec), or -1 with errno set (RFILE_ENOTREG, RFILE_ELINK, EFBIG, or the
 * system's). `flags`: RFILE_FOLLOW or RFILE_NOFOLLOW. */
int rfile_open(const char *path, long long max, int flags);
/* rfile_open as a stdio stream ("rb"); NULL with errno set. */
FILE *rfile_fopen(const char *path, long long max, int flags);
/* Read the whole file into b (appended, NUL-terminated). Returns 0 or an
 * errno as rfile_open sets it; EFBIG also when the file grows past `max`
 * while read. b is left empty on failure. */
int rfile_read(sbuf *b, const char *path, size_t max);
/* The text of an errno rfile returned (English, like strerror). */
const char *rfile_strerror(int e);

#endif

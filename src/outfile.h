/* outfile — crash-safe output files: write to a temp name in the final
 * directory, flush and fsync, then rename into place. A crash, kill or full
 * disk never leaves a half-written file at a final path. */
#ifndef KAOHE_OUTFILE_H
#define KAOHE_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct outfile {
    FILE *fp;
    char *final_path;
    char *temp_path;
    int error;               /* errno of the first failure, 0 if none */
} outfile;

/* Open a temp file beside `final_path` (its directory must exist).
 * Returns false (errno set) when it cannot. */
bool outfile_open(outfile *o, const char *final_path);
/* fsync and rename into place; on any failure remove the temp file and
 * return false with errno set. Frees the outfile's strings either way. */
bool outfile_commit(outfile *o);
/* Drop the temp file (e.g. --strict with errors). */
void outfile_abort(outfile *o);
/* Put the content of file `src` at `final_path` the same safe way: a hard
 * link when both are on one filesystem, else a copy. False with errno set. */
bool outfile_place(const char *src, const char *final_path);
/* mkdir -p; true when the directory exists afterwards. */
bool outfile_mkdirs(const char *dir);

#endif

/* outfile — crash-safe output files: write to a temp name in the final
 * directory, then rename into place, so a crash, kill or full disk never
 * leaves a half-written file at a final path. Durability is per package:
 * one syncfs of the tree before the file that certifies it (the manifest),
 * not an fsync per file (22,000 of them blocked the workers at 100k persons). */
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

/* Six random characters of [A-Za-z0-9] (+ NUL) for a unique name beside
 * others (temp files, staging directories). */
void outfile_random_name(char out[7]);
/* Create the temp file ".NAME.tmp-XXXXXX" beside `final_path` (mode 0666
 * less the umask, like any file the user's programs create)
 * for a writer that needs a path of its own (libxlsxwriter); returns its open
 * descriptor and sets *temp_path (caller frees), or -1 with errno set. The
 * one place that makes the names outfile_is_temp_name knows. */
int outfile_mktemp(const char *final_path, char **temp_path);
/* Open a temp file beside `final_path` (its directory must exist).
 * Returns false (errno set) when it cannot. */
bool outfile_open(outfile *o, const char *final_path);
/* Flush, close and rename into place; on any failure remove the temp file
 * and return false with errno set. Frees the outfile's strings either way.
 * The data reach the disk with the next outfile_sync_tree(). */
bool outfile_commit(outfile *o);
/* outfile_commit, but the file and the rename are on disk when it returns
 * (fsync of the file before the rename, of the directory after): for the
 * file written last that vouches for the others. */
bool outfile_commit_durable(outfile *o);
/* Put everything written so far on the filesystem holding `dir` on disk
 * (syncfs): after it, every file committed before is durable. */
bool outfile_sync_tree(const char *dir);
/* Drop the temp file (e.g. --strict with errors). */
void outfile_abort(outfile *o);
/* Put the content of file `src` at `final_path` the same safe way: a hard
 * link when both are on one filesystem, else a copy. `src` must be a regular
 * file and is never reached through a symbolic link (rfile's errno codes
 * otherwise). False with errno set. */
bool outfile_place(const char *src, const char *final_path);
/* mkdir -p; true when the directory exists afterwards. */
bool outfile_mkdirs(const char *dir);

#endif

/* stage — one run owns an OUTPUT: an exclusive lock (flock on OUTPUT/.kaohe.lock)
 * for the run's whole life, each year built in a staging directory beside it
 * (OUTPUT/.YEAR.staging-XXXXXX) and put in place in one atomic step, so
 * OUTPUT/<year> is always one run's complete year. The lock file exists only
 * while a run holds it. Also removes what a killed
 * run left: only staging directories of our own name, only under the lock. */
#ifndef KAOHE_STAGE_H
#define KAOHE_STAGE_H

#include <stdbool.h>
#include "util.h"

typedef struct stage_lock {
    int fd;                     /* the lock file, held open; -1 when not held */
    char *path;
} stage_lock;

/* Create OUTPUT (mkdir -p) and take its lock. Returns 0, EWOULDBLOCK when
 * another run holds it and `wait` is false (with `wait`, blocks until it is
 * free), EINVAL for an empty OUTPUT, or the errno of the failure. */
int stage_lock_take(stage_lock *l, const char *output_dir, bool wait);
/* Remove the lock file and release the lock (a waiter that opened the
 * removed file notices and opens the new one: see stage_lock_take). */
void stage_lock_release(stage_lock *l);

/* Remove the staging directories (".YEAR.staging-XXXXXX") a killed run left
 * directly in OUTPUT; returns how many. Only under the lock. */
long stage_sweep(const char *output_dir);

/* Make OUTPUT/.YEAR.staging-XXXXXX (mode 0777 less the umask) and put its
 * path in *dir. False with errno set. */
bool stage_year_open(const char *output_dir, int year, sbuf *dir);
/* Put the staged year at OUTPUT/<year>: renameat2(RENAME_EXCHANGE) with the
 * standing year, then the old tree (now at the staging name) is removed; a
 * plain rename when no year stands. The rename is made durable (fsync of
 * OUTPUT). False with errno set when the staged year could not be put in
 * place (the standing year is then untouched). */
bool stage_year_commit(const char *output_dir, int year, const char *staged);
/* Remove a staged year that is not to be used (failed or --strict run). */
void stage_year_discard(const char *staged);

/* rm -rf `path` without following symbolic links. False with errno set. */
bool stage_remove_tree(const char *path);

/* Whether `name` is one of our staging names (".YEAR.staging-XXXXXX"). */
bool stage_is_staging_name(const char *name);

#endif

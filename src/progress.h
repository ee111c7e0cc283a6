/* progress — the progress line of a long run on a terminal: units done of
 * the expected total, persons, persons per second and the time left,
 * redrawn in place on stderr at most four times a second. The total is
 * estimated by a quick scan of the input files for unit start tags. Not
 * thread-safe: the batch calls it under its own lock. */
#ifndef KAOHE_PROGRESS_H
#define KAOHE_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#include "msg.h"

typedef struct progress {
    FILE *out;
    bool live;                 /* draw at all */
    bool drawn;                /* a line is on the screen */
    msg_lang lang;
    double t0, last;           /* monotonic seconds */
    long units_total, units, persons;
} progress;

/* Start timing; with `live`, scan the files for the expected unit count. */
void progress_start(progress *p, FILE *out, bool live, msg_lang lang, char *const *files, int n_files);
/* One more unit done with `persons` persons; redraws when due. */
void progress_unit(progress *p, long persons);
/* Erase the line (before other output, and at the end). */
void progress_clear(progress *p);
/* Seconds since progress_start. */
double progress_seconds(const progress *p);

#endif

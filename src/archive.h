/* archive — `kaohe archive` (SPEC 6): the documents a package printed (read
 * from the codes its PDFs carry), every scanned page decoded (threads, one
 * page image each), filed per person and per unit in print order, pages
 * without a current code kept in unrecognised.pdf (each volume opening
 * with its 卷内目录: volume.h), signature places that look empty warned
 * of (sigcheck.h), report.txt/.xlsx, warnings.txt and MANIFEST.sha256
 * under ARCHIVE/<year>/. */
#ifndef KAOHE_ARCHIVE_H
#define KAOHE_ARCHIVE_H

#include <stdio.h>

#include "msg.h"

typedef struct archive_opts {
    const char *output;          /* ARCHIVE */
    const char *package;         /* OUTPUT/<year> of kaohe build */
    const char *templates;       /* templates/ (forms/contents.xml: the volumes' 卷内目录) */
    int jobs;                    /* decoding threads (>= 1) */
    msg_lang lang;
    FILE *err;                   /* messages (stderr) */
    long long epoch;             /* report.xlsx's date (SOURCE_DATE_EPOCH), < 0: none */
} archive_opts;

/* File the scans (files or directories). Returns the exit status of SPEC 6:
 * 0 every expected document complete and nothing unrecognised, 1 otherwise,
 * 3 a scan file (or the package) unreadable, 4 the archive not written. */
int archive_run(const archive_opts *o, char *const *scans, int nscans);

#endif

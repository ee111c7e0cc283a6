/* batch — one run over the input files: validate each file, read its units
 * one at a time, check ids across the run, apply the policy's rules, and hand
 * each computed unit to the command's sink (results files, findings on the
 * terminal, quota tables). Owns the run's shared read-only resources (schema,
 * calendars, policies) and the exit status. */
#ifndef KAOHE_BATCH_H
#define KAOHE_BATCH_H

#include <stdbool.h>
#include <stdio.h>
#include "msg.h"

typedef enum { BATCH_BUILD, BATCH_CHECK, BATCH_QUOTA } batch_command;
enum { BATCH_PROGRESS_AUTO, BATCH_PROGRESS_ALWAYS, BATCH_PROGRESS_NEVER };

/* Exit statuses of SPEC 1. */
#include "exitcode.h"

typedef struct batch_opts {
    batch_command command;
    const char *output_dir;        /* default "output" */
    const char *templates_dir;     /* policies/, calendars/, appraisal.xsd */
    const char *policy;            /* --policy: overrides every file's; NULL: the file's */
    const char **units;            /* --unit filters (NULL-terminated), or NULL */
    int shard_k, shard_n;          /* --shard K/N, 0/0 when not sharded */
    bool strict;
    bool want_pdf, want_xlsx;      /* --formats; both by default */
    bool split;                    /* --split: also one registration PDF per person */
    bool simplex;                  /* --simplex: forms printed on one side (no mirrored margins, no padding pages) */
    bool approve;                  /* --approve: the authority's own run fills its approval box */
    bool pdfa;                     /* --pdfa: the PDFs as PDF/A-2b */
    bool csv;                      /* quota --csv */
    bool wait;                     /* --wait: wait for OUTPUT's lock instead of exit 4 */
    bool quiet;                    /* no progress, no final line */
    int progress;                  /* BATCH_PROGRESS_*: --progress auto|always|never */
    int jobs;
    msg_lang lang;
    long long run_epoch;           /* the run date: SOURCE_DATE_EPOCH or now */
    FILE *out;                     /* stdout for check/quota */
    FILE *err;                     /* stderr for messages */
    bool want_docx;                /* --formats docx: Word documents of the PDF forms */
} batch_opts;

/* Run the command over the files; returns the exit status. */
int batch_run(const batch_opts *o, char *const *files, int n_files);

/* 1-based shard of a unit id among n: a stable hash, the same on every
 * machine and in every version, so shard runs can be merged. */
int batch_shard_of(const char *unit_id, int n);

#endif

/* merge — `kaohe merge -o DIR SHARD_DIR...`: the outputs of N shard runs
 * (`build --shard K/N` over the same input) combined into what one run would
 * have written: results.xml and findings.txt merged in input order (every
 * unit carries its seq), each unit's files linked or copied, the summary and
 * the manifest made anew. Streams the shards: memory holds one unit per
 * shard, whatever the size of the run. */
#ifndef KAOHE_MERGE_H
#define KAOHE_MERGE_H

#include <stdbool.h>
#include <stdio.h>

#include "msg.h"

typedef struct merge_opts {
    const char *output_dir;
    const char *templates_dir;     /* forms/ for the summary */
    long long run_epoch;           /* SOURCE_DATE_EPOCH or now: dates the summary */
    msg_lang lang;
    bool wait;                     /* --wait: wait for OUTPUT's lock instead of exit 4 */
    FILE *err;
} merge_opts;

/* Merge the shard output directories; returns the exit status of SPEC 1
 * (3 when a shard is unreadable, incomplete or from another input). */
int merge_run(const merge_opts *o, char *const *shard_dirs, int n);

#endif

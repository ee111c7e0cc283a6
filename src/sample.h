/* sample — the deterministic synthetic-input generator behind `kaohe sample`:
 * realistic units, staff, 个人总结, votes, scores and every status case as
 * appraisal XML (urn:kaohe:appraisal:1), streamed unit by unit with its own PRNG.
 * Owns its name/text tables; reads no files and keeps no global state. */
#ifndef KAOHE_SAMPLE_H
#define KAOHE_SAMPLE_H

#include <stdint.h>
#include <stdio.h>

/* Largest sizes sample_write accepts (the CLI's limits); beyond them the exact
 * integer split of persons over units could overflow 64 bits. */
#define SAMPLE_MAX_UNITS   10000000L
#define SAMPLE_MAX_PERSONS 100000000L

typedef struct {
    long units;          /* number of <unit> elements, 1..SAMPLE_MAX_UNITS */
    long persons;        /* number of <person> elements over all units, 0..SAMPLE_MAX_PERSONS */
    uint64_t seed;       /* any value; same options give the same bytes */
    int year;            /* appraisal year, 1950..2200; 0 means 2025 */
    const char *policy;  /* preset name written to appraisal@policy, [A-Za-z0-9_.-]{1,64};
                            NULL means "national". Known presets (national, jiaozuo-2007,
                            zhangzhou, quannan-2011, lvzhi, baoshan-2022) get matching
                            <scores>/<assessment>/advanced data and quota-safe proposals */
} sample_opts;

/* Write one complete <appraisal> document for `o` to `out`. The output depends
 * only on the options (integer-only splitmix64 streams keyed by seed and
 * index: byte-identical on every machine), validates against
 * templates/appraisal.xsd, and is produced with memory that does not grow with
 * the number of units or persons (one pre-pass over the unit weights, then one
 * reused buffer per person). Persons are spread over units (a few large units,
 * many small ones; every unit gets at least one person when persons >= units);
 * ids are U00001… and P0000001…, so two samples in one run collide (DUPLICATE_ID).
 * Every category, role and status case (and history streaks of 2, 3 and 5
 * excellent years) is pinned to evenly spaced persons, so a 3-unit/60-person
 * sample holds each; in larger samples they stay rare. Explicit excellent
 * proposals never exceed the places the preset could give the bucket (nor
 * floor(participants × 10%) of the unit) and are never made for barred, 4, 5x,
 * 6A or 7 persons, so a sample is free of error findings (some warnings —
 * VOTES_AGAINST, NO_ROUTINE_RECORD, RANK_TIE — are expected). An unknown preset
 * name is written as given, with proposals capped at a 5% ratio.
 * For year 1950 a sanction "from an earlier year" has an empty sanctionYear,
 * since the schema has no year before 1950.
 * Returns 0, or -1 when writing failed (ferror on `out`; errno as left by
 * stdio) or when the options are out of range (errno = EINVAL, nothing written). */
int sample_write(FILE *out, const sample_opts *o);

#endif

/* idset — the run-wide set of ids behind the duplicate check (a province:
 * a million person ids), in memory that does not grow with the input. The
 * newest ids sit in a strset; every `spill_at` of them are sorted and
 * written as one run to an unlinked temp file, which keeps in memory only a
 * Bloom filter (12 bits an id) and the first id of each 4 KB block. */
#ifndef KAOHE_IDSET_H
#define KAOHE_IDSET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct idset idset;

/* Ids held in memory before a run goes to disk, unless told otherwise. */
#define IDSET_SPILL_DEFAULT 131072

/* A new, empty set. `tmpdir` holds the spill file (NULL: $TMPDIR, else
 * /tmp); `spill_at` 0 means IDSET_SPILL_DEFAULT. Nothing touches the disk
 * until the first spill. When the temp file cannot be made or written, the
 * set stays whole in memory: the answer is the same, only the memory grows. */
idset *idset_new(const char *tmpdir, size_t spill_at);

/* Add id; returns false when it was already in the set. */
bool idset_add(idset *s, const char *id);

/* Number of distinct ids added. */
size_t idset_count(const idset *s);

/* True when some ids live on disk (for tests). */
bool idset_spilled(const idset *s);

void idset_free(idset *s);

#endif

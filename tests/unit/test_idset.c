/* Unit tests for idset: the run-wide id set that spills sorted runs to a temp
 * file. Every answer must equal that of a plain in-memory set, whatever was
 * spilled, whatever the ids look like, and when the disk refuses. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "util.h"

/* Deterministic pseudo-random numbers (no rand(): tests run in parallel). */
static uint32_t next_rand(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*state >> 33);
}

/* Ids of varied shapes: numbered, ID-card-like, Chinese, and a few long. */
static void make_id(uint32_t n, char *buf, size_t size)
{
    switch (n % 4) {
    case 0: snprintf(buf, size, "P%07u", n); break;
    case 1: snprintf(buf, size, "4101%02u19%06u%04u", n % 90, n, n % 9973); break;
    case 2: snprintf(buf, size, "编号-%u-甲", n); break;
    default: snprintf(buf, size, "%u%0*u", n, (int)(n % 150), 0u); break;
    }
}

/* Add `adds` ids drawn from `range` values to an idset spilling every
 * `spill_at` and to a strset; every answer and the count must agree. */
static void check_against_strset(const char *tmpdir, size_t spill_at, int adds, uint32_t range, bool want_spill)
{
    idset *s = idset_new(tmpdir, spill_at);
    strset ref = { 0 };
    uint64_t seed = 42;
    char id[256];
    for (int i = 0; i < adds; i++) {
        make_id(next_rand(&seed) % range, id, sizeof id);
        bool want = strset_add(&ref, id);
        bool got = idset_add(s, id);
        cr_assert_eq(got, want, "add #%d of \"%s\": idset says %s", i, id, got ? "new" : "seen");
    }
    cr_assert_eq(idset_count(s), ref.count);
    cr_assert_eq(idset_spilled(s), want_spill);
    strset_free(&ref);
    idset_free(s);
}

Test(idset, agrees_with_a_plain_set_across_many_spills)
{
    /* 40,000 adds over 15,000 values: most repeats hit ids on disk. */
    check_against_strset(NULL, 97, 40000, 15000, true);
}

Test(idset, agrees_without_spilling)
{
    check_against_strset(NULL, 0, 20000, 12000, false);
}

Test(idset, unwritable_tmpdir_keeps_every_id_in_memory)
{
    check_against_strset("/nonexistent/kaohe-idset-test", 50, 5000, 3000, false);
}

/* Ids longer than a 4 KB block sit alone in theirs; ids that sort before a
 * run's first id or between blocks must not be found by mistake. */
Test(idset, long_ids_and_ids_between_blocks)
{
    idset *s = idset_new(NULL, 3);
    char *big[6];
    for (int i = 0; i < 6; i++) {
        size_t n = 3000 + 1000 * (size_t)i;
        big[i] = xmalloc(n + 1);
        memset(big[i], 'a' + i, n);
        big[i][n] = '\0';
        cr_assert(idset_add(s, big[i]));
    }
    cr_assert(idset_spilled(s));
    cr_assert(idset_add(s, "0"), "sorts before every run");
    cr_assert(idset_add(s, "b"), "sorts between two long ids");
    cr_assert(idset_add(s, "zzz"), "sorts after every run");
    for (int i = 0; i < 6; i++) cr_assert_not(idset_add(s, big[i]), "long id %d repeats", i);
    cr_assert_not(idset_add(s, "0"));
    cr_assert_not(idset_add(s, "b"));
    cr_assert_not(idset_add(s, "zzz"));
    cr_assert_eq(idset_count(s), 9);
    for (int i = 0; i < 6; i++) free(big[i]);
    idset_free(s);
}

Test(idset, empty_set_frees_cleanly)
{
    idset_free(idset_new(NULL, 0));
    idset_free(NULL);
}

/* suggest: the closest known word to a mistyped one (issue 20). */
#include <criterion/criterion.h>

#include "suggest.h"

Test(suggest, distance_counts_edits_and_swaps)
{
    cr_assert_eq(suggest_distance("--ouput", "--output"), 1);     /* a letter left out */
    cr_assert_eq(suggest_distance("biuld", "build"), 1);          /* two neighbours swapped */
    cr_assert_eq(suggest_distance("chek", "check"), 1);
    cr_assert_eq(suggest_distance("pfd", "pdf"), 1);
    cr_assert_eq(suggest_distance("quota", "quota"), 0);
    cr_assert_eq(suggest_distance("", "abc"), 3);
    cr_assert_eq(suggest_distance("kitten", "sitting"), 3);
}

Test(suggest, closest_within_reach_or_none)
{
    static const char *const opts[] = {"--output", "--jobs", "--policy", "--formats", "--unit", "--strict"};
    cr_assert_str_eq(suggest_closest("--ouput", opts, 6), "--output");
    cr_assert_str_eq(suggest_closest("--stirct", opts, 6), "--strict");
    cr_assert_str_eq(suggest_closest("--format", opts, 6), "--formats");
    cr_assert_null(suggest_closest("--zzzzzzzz", opts, 6));
    static const char *const fmts[] = {"pdf", "xlsx"};
    cr_assert_null(suggest_closest("docx", fmts, 2));   /* 2 edits from xlsx: too far for 4 letters */
    cr_assert_str_eq(suggest_closest("xls", fmts, 2), "xlsx");
    cr_assert_null(suggest_closest("anything", fmts, 0));
}

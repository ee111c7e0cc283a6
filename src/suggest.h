/* suggest — "did you mean": the closest of a set of known words (commands,
 * options, policy names) to a mistyped one, by edit distance, so the command
 * line can say what to type next. */
#ifndef KAOHE_SUGGEST_H
#define KAOHE_SUGGEST_H

#include <stddef.h>

/* The candidate nearest to `word` (Damerau-Levenshtein: insert, delete,
 * replace, swap two neighbours, each 1), or NULL when none is near enough
 * to be a typo: at most 1 edit for words up to 4 characters, 2 up to 8, 3
 * beyond. Ties go to the earlier candidate. */
const char *suggest_closest(const char *word, const char *const *candidates, size_t n);

/* The edit distance used above (bytes; words longer than 63 count as far). */
int suggest_distance(const char *a, const char *b);

#endif

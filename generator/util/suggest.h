/*
 * suggest.h - "did you mean …?" for misspelt names.
 *
 * A misspelt known field (`atendees`) must be reported with the right name,
 * because an unknown field is otherwise legal and would silently vanish
 * from the page. Distance is Damerau-Levenshtein (a swap of two adjacent
 * letters counts once) over bytes; names are ASCII.
 */
#ifndef NB_SUGGEST_H
#define NB_SUGGEST_H

#include <stddef.h>

/* Edit distance between a and b, capped at `cap` (returns cap when larger). */
size_t nb_suggest_distance(const char *a, const char *b, size_t cap);

/*
 * The candidate closest to `word` when it is close enough to be a likely
 * misspelling (distance 1 for names of up to 4 letters, else up to a third
 * of the length plus one, and never more than 3) and not equal to it;
 * NULL otherwise.
 */
const char *nb_suggest(const char *word, const char *const *cands, size_t n);

#endif

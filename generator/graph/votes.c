/*
 * votes.c - whole-per-cent vote shares by largest remainder; see votes.h.
 *
 * Exact integer arithmetic throughout: a share's remainder is compared as
 * the numerator over the common denominator (the votes cast), so no
 * floating-point rounding can make two builds, or two options with the
 * same count, disagree. Counts reach 128-bit products so that any count a
 * YAML integer can hold is fine.
 */
#include "graph/votes.h"

int nb_votes_shares(int *pct, const long long *counts, size_t n)
{
	if (n == 0 || n > NB_VOTES_MAX_OPTIONS)
		return -1;
	__int128 cast = 0, rem[NB_VOTES_MAX_OPTIONS];
	for (size_t i = 0; i < n; i++) {
		if (counts[i] < 0)
			return -1;
		cast += counts[i];
	}
	for (size_t i = 0; i < n; i++)
		pct[i] = 0;
	if (cast == 0)
		return NB_VOTES_NONE;
	int left = 100;
	for (size_t i = 0; i < n; i++) {
		__int128 num = (__int128)counts[i] * 100;
		pct[i] = (int)(num / cast);
		rem[i] = num % cast;
		left -= pct[i];
	}
	/* The remainders add up to `left` times the votes cast, each less than
	 * the votes cast, so more than `left` options have one: a count of 0
	 * (remainder 0) is never reached. */
	int given[NB_VOTES_MAX_OPTIONS] = { 0 };
	for (; left > 0; left--) {
		size_t best = n;
		for (size_t i = 0; i < n; i++) {
			if (given[i] || rem[i] == 0)
				continue;
			if (best == n || rem[i] > rem[best] ||
			    (rem[i] == rem[best] && counts[i] > counts[best]))
				best = i;
		}
		if (best == n)
			return -1; /* cannot happen; see above */
		given[best] = 1;
		pct[best]++;
	}
	return 0;
}

/*
 * suggest.c - edit distance and nearest-name suggestions; see suggest.h.
 */
#include "util/suggest.h"

#include <stdlib.h>
#include <string.h>

size_t nb_suggest_distance(const char *a, const char *b, size_t cap)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 64 || m > 64)
		return cap;
	if ((n > m ? n - m : m - n) >= cap)
		return cap;
	/* Three rows are enough for the adjacent-swap rule. */
	size_t rows[3][65];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[m] < cap ? prev[m] : cap;
}

const char *nb_suggest(const char *word, const char *const *cands, size_t n)
{
	size_t len = strlen(word);
	size_t limit = len <= 4 ? 1 : len / 3 + 1;
	if (limit > 3)
		limit = 3;
	const char *best = NULL;
	size_t best_d = limit + 1;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(word, cands[i]))
			return NULL;
		size_t d = nb_suggest_distance(word, cands[i], best_d);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}

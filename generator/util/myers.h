/*
 * myers.h - the shortest edit script between two sequences of symbols.
 *
 * One implementation behind both diffs: the charter comparison (symbols
 * are code points, chardiff.c) and the line diff (symbols are line ids,
 * equal ids for equal lines, textdiff.c). Callers map their units to
 * uint32_t symbols first, so the hot loop compares integers and never
 * calls back.
 *
 * The algorithm is Myers' O((N+M)·D) diff in linear space (the
 * divide-and-conquer "middle snake" of Myers 1986, section 4b, as xdiff
 * does), so memory is O(N+M) whatever the texts are and time is small
 * when the edit is small. The result is a minimal edit script unless the
 * work budget runs out (see nb_myers_diff).
 *
 * Tie rule: among equally short scripts the one returned is fixed by the
 * traversal order alone, and within each changed stretch (the ops between
 * two equal runs) every deletion comes before every insertion, as diff(1)
 * prints them. The output depends only on the two sequences.
 */
#ifndef NB_MYERS_H
#define NB_MYERS_H

#include <stddef.h>
#include <stdint.h>

/* Ops are bytes: 'E' keep a[i] (= b[j]), 'D' delete a[i], 'I' insert b[j]. */
typedef struct nb_myers {
	char *ops;          /* len ops, in order, NUL-terminated */
	size_t len;
	size_t cost;        /* work done: diagonals visited + symbols compared */
	size_t budget;      /* the cap the work was held to */
	size_t memory;      /* bytes allocated while diffing, ops included */
	int approximate;    /* budget ran out: correct but not minimal */
} nb_myers;

/*
 * The default work budget for sequences of n and m symbols:
 * NB_MYERS_BUDGET_BASE + NB_MYERS_BUDGET_PER_SYMBOL·(n+m). The base covers
 * the minimal diffs the old quadratic tables gave (measured: 2,000 ×
 * 2,000 code points wholly rewritten cost 2 to 5 million steps, 4,000 ×
 * 4,000 lines 16 to 28 million); the per-symbol share lets a long text
 * with a moderate number of changes still come out minimal. A rewrite of
 * a million symbols a side stops at about 66 million steps (about a
 * second at -O2).
 */
#define NB_MYERS_BUDGET_BASE ((size_t)1 << 25)
#define NB_MYERS_BUDGET_PER_SYMBOL 16
size_t nb_myers_budget(size_t n, size_t m);

/*
 * Diff a[0..n) against b[0..m) into `out` (free with nb_myers_free).
 * `budget` caps the work (0: nb_myers_budget(n, m)). Once it is spent the
 * boxes still open are closed cheaply: common ends kept, the rest one
 * deletion and one insertion, like xdiff's heuristics a correct but not
 * minimal script, and `approximate` is set. Returns 0 (allocation failure
 * aborts, as everywhere in the generator).
 */
int nb_myers_diff(nb_myers *out, const uint32_t *a, size_t n, const uint32_t *b, size_t m,
		  size_t budget);
void nb_myers_free(nb_myers *d);

#endif

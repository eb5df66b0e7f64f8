/*
 * myers.c - Myers' linear-space diff; see myers.h.
 *
 * The structure follows xdiff (xdl_recs_cmp and xdl_split), which has
 * served git for years: a box of a[off1..lim1) × b[off2..lim2) first loses
 * its common prefix and suffix; a box with one side empty is all
 * insertions or all deletions; any other box is split at a point of a
 * shortest path found by running the search from both corners at once
 * until the two frontiers meet (the "middle snake"), and both halves are
 * solved the same way. Only two vectors of furthest-reaching positions,
 * indexed by diagonal, are kept, so memory is O(N+M); the recursion is as
 * deep as log2(D) plus a little, as each split halves the edit distance.
 *
 * Hostile input (two unrelated megabytes) would make D, and the time,
 * large. Every diagonal visited and every symbol compared is counted
 * against a budget. When a split spends it, the split point becomes the
 * furthest either frontier has got (xdiff's heuristic: a point on some
 * path, not necessarily a shortest one), and every box still open is
 * closed with its common ends and one deletion and one insertion. Total
 * work is then the budget plus O(N+M), and the script still rebuilds both
 * sides exactly.
 *
 * Determinism: forward steps prefer the diagonal whose frontier is
 * further, on a tie the deletion (from k-1), the backward search its
 * mirror, and the recursion always does the lower half first; nothing
 * depends on anything but the two sequences. A last pass moves the
 * deletions of each changed stretch before its insertions.
 */
#include "util/myers.h"

#include <stdlib.h>
#include <string.h>

typedef struct box_ctx {
	const uint32_t *a, *b;
	ptrdiff_t *vf, *vb;    /* furthest x on diagonal k = x - y, at [k] */
	char *ops;
	size_t len;
	size_t cost, budget;
	int approximate;
} box_ctx;

static int spent(const box_ctx *c)
{
	return c->cost > c->budget;
}

static void emit(box_ctx *c, char op, size_t n)
{
	memset(c->ops + c->len, op, n);
	c->len += n;
}

/*
 * Find a split point (*s1, *s2) of the box, strictly inside in the sense
 * that both halves are smaller than the box. Both sides are non-empty and
 * their first and last symbols differ, so the edit distance is at least 2.
 * Returns 0, or -1 when the budget ran out and no interior point was found.
 */
static int split(box_ctx *c, ptrdiff_t off1, ptrdiff_t lim1, ptrdiff_t off2, ptrdiff_t lim2,
		 ptrdiff_t *s1, ptrdiff_t *s2)
{
	const uint32_t *a = c->a, *b = c->b;
	ptrdiff_t *vf = c->vf, *vb = c->vb;
	ptrdiff_t dmin = off1 - lim2, dmax = lim1 - off2;
	ptrdiff_t fmid = off1 - off2, bmid = lim1 - lim2;
	int odd = (int)((fmid - bmid) & 1);
	ptrdiff_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	vf[fmid] = off1;
	vb[bmid] = lim1;
	for (;;) {
		if (fmin > dmin)
			vf[--fmin - 1] = -1;
		else
			++fmin;
		if (fmax < dmax)
			vf[++fmax + 1] = -1;
		else
			--fmax;
		for (ptrdiff_t d = fmax; d >= fmin; d -= 2) {
			ptrdiff_t i1 = vf[d - 1] >= vf[d + 1] ? vf[d - 1] + 1 : vf[d + 1];
			ptrdiff_t start = i1, i2 = i1 - d;
			while (i1 < lim1 && i2 < lim2 && a[i1] == b[i2])
				i1++, i2++;
			c->cost += 1 + (size_t)(i1 - start);
			vf[d] = i1;
			if (odd && bmin <= d && d <= bmax && vb[d] <= i1) {
				*s1 = i1;
				*s2 = i2;
				return 0;
			}
		}
		if (bmin > dmin)
			vb[--bmin - 1] = PTRDIFF_MAX;
		else
			++bmin;
		if (bmax < dmax)
			vb[++bmax + 1] = PTRDIFF_MAX;
		else
			--bmax;
		for (ptrdiff_t d = bmax; d >= bmin; d -= 2) {
			ptrdiff_t i1 = vb[d - 1] < vb[d + 1] ? vb[d - 1] : vb[d + 1] - 1;
			ptrdiff_t start = i1, i2 = i1 - d;
			while (i1 > off1 && i2 > off2 && a[i1 - 1] == b[i2 - 1])
				i1--, i2--;
			c->cost += 1 + (size_t)(start - i1);
			vb[d] = i1;
			if (!odd && fmin <= d && d <= fmax && i1 <= vf[d]) {
				*s1 = i1;
				*s2 = i2;
				return 0;
			}
		}
		if (!spent(c))
			continue;
		/* Out of budget: the point either frontier has pushed furthest. */
		c->approximate = 1;
		ptrdiff_t fbest = -1, fbest1 = -1, bbest = PTRDIFF_MAX, bbest1 = PTRDIFF_MAX;
		for (ptrdiff_t d = fmax; d >= fmin; d -= 2) {
			ptrdiff_t i1 = vf[d] < lim1 ? vf[d] : lim1, i2 = i1 - d;
			if (lim2 < i2)
				i1 = lim2 + d, i2 = lim2;
			if (fbest < i1 + i2)
				fbest = i1 + i2, fbest1 = i1;
		}
		for (ptrdiff_t d = bmax; d >= bmin; d -= 2) {
			ptrdiff_t i1 = vb[d] > off1 ? vb[d] : off1, i2 = i1 - d;
			if (i2 < off2)
				i1 = off2 + d, i2 = off2;
			if (i1 + i2 < bbest)
				bbest = i1 + i2, bbest1 = i1;
		}
		if ((lim1 + lim2) - bbest < fbest - (off1 + off2))
			*s1 = fbest1, *s2 = fbest - fbest1;
		else
			*s1 = bbest1, *s2 = bbest - bbest1;
		if (*s1 + *s2 <= off1 + off2 || *s1 + *s2 >= lim1 + lim2)
			return -1;
		return 0;
	}
}

static void solve(box_ctx *c, ptrdiff_t off1, ptrdiff_t lim1, ptrdiff_t off2, ptrdiff_t lim2)
{
	const uint32_t *a = c->a, *b = c->b;
	size_t pre = 0, suf = 0;
	while (off1 < lim1 && off2 < lim2 && a[off1] == b[off2])
		off1++, off2++, pre++;
	while (off1 < lim1 && off2 < lim2 && a[lim1 - 1] == b[lim2 - 1])
		lim1--, lim2--, suf++;
	c->cost += pre + suf;
	emit(c, 'E', pre);
	ptrdiff_t s1, s2;
	if (off1 == lim1 || off2 == lim2 || spent(c) ||
	    split(c, off1, lim1, off2, lim2, &s1, &s2) != 0) {
		if (off1 < lim1 && off2 < lim2)
			c->approximate = 1;
		emit(c, 'D', (size_t)(lim1 - off1));
		emit(c, 'I', (size_t)(lim2 - off2));
	} else {
		solve(c, off1, s1, off2, s2);
		solve(c, s1, lim1, s2, lim2);
	}
	emit(c, 'E', suf);
}

size_t nb_myers_budget(size_t n, size_t m)
{
	return NB_MYERS_BUDGET_BASE + NB_MYERS_BUDGET_PER_SYMBOL * (n + m);
}

/* Within each run of changes, all deletions first: counts are kept, so
 * the script stays exactly as long and still rebuilds both sides. */
static void deletions_first(char *ops, size_t len)
{
	size_t k = 0;
	while (k < len) {
		if (ops[k] == 'E') {
			k++;
			continue;
		}
		size_t s = k, dels = 0;
		while (k < len && ops[k] != 'E')
			dels += ops[k++] == 'D';
		memset(ops + s, 'D', dels);
		memset(ops + s + dels, 'I', k - s - dels);
	}
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

int nb_myers_diff(nb_myers *out, const uint32_t *a, size_t n, const uint32_t *b, size_t m,
		  size_t budget)
{
	memset(out, 0, sizeof(*out));
	/* Diagonals run from -m-1 to n+1 (the search reads one past each end). */
	size_t ndiags = n + m + 3;
	ptrdiff_t *vf = xcalloc(ndiags, sizeof(ptrdiff_t));
	ptrdiff_t *vb = xcalloc(ndiags, sizeof(ptrdiff_t));
	box_ctx c = {
		.a = a, .b = b,
		.vf = vf + m + 1, .vb = vb + m + 1,
		.ops = xcalloc(n + m + 1, 1),
		.budget = budget ? budget : nb_myers_budget(n, m),
	};
	solve(&c, 0, (ptrdiff_t)n, 0, (ptrdiff_t)m);
	free(vf);
	free(vb);
	deletions_first(c.ops, c.len);
	c.ops[c.len] = '\0';
	out->ops = c.ops;
	out->len = c.len;
	out->cost = c.cost;
	out->budget = c.budget;
	out->memory = 2 * ndiags * sizeof(ptrdiff_t) + n + m + 1;
	out->approximate = c.approximate;
	return 0;
}

void nb_myers_free(nb_myers *d)
{
	free(d->ops);
	memset(d, 0, sizeof(*d));
}

/*
 * textdiff.c - line diff; see textdiff.h.
 *
 * Documents differ in a few lines, so the common prefix and suffix are
 * trimmed first and a longest-common-subsequence table is built only for
 * the middle. The table is O(n*m); past a size cap (a rewritten long
 * document) the middle is shown as one replacement, which is still a
 * correct diff, just not a minimal one. Ties prefer deletions before
 * insertions, as diff(1) prints them.
 */
#include "textdiff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CELL_CAP (16u * 1024 * 1024)

typedef struct line {
	const char *p;
	size_t len;   /* without the newline */
	int nl;       /* ends with a newline */
} line;

typedef struct lines {
	line *v;
	size_t n;
} lines;

static void split(lines *l, const char *s, size_t len)
{
	size_t cap = 16;
	l->v = malloc(cap * sizeof(line));
	l->n = 0;
	if (!l->v)
		abort();
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		if (l->n == cap) {
			cap *= 2;
			l->v = realloc(l->v, cap * sizeof(line));
			if (!l->v)
				abort();
		}
		l->v[l->n++] = (line){ s + i, e - i, nl != NULL };
		i = nl ? e + 1 : len;
	}
}

static int same(const line *x, const line *y)
{
	return x->len == y->len && x->nl == y->nl && !memcmp(x->p, y->p, x->len);
}

/* Edit script: '=' keep, '-' delete from a, '+' insert from b. */
typedef struct op {
	char kind;
	size_t ai, bi;
} op;

static void push(op **ops, size_t *n, size_t *cap, char k, size_t ai, size_t bi)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*ops = realloc(*ops, *cap * sizeof(op));
		if (!*ops)
			abort();
	}
	(*ops)[(*n)++] = (op){ k, ai, bi };
}

static void put_line(nb_buf *out, char mark, const line *l)
{
	nb_buf_putc(out, mark);
	nb_buf_put(out, l->p, l->len);
	nb_buf_putc(out, '\n');
	if (!l->nl)
		nb_buf_puts(out, "\\ No newline at end of file\n");
}

size_t nb_textdiff_unified(nb_buf *out, const char *a, size_t alen, const char *b,
			   size_t blen, const char *label_a, const char *label_b,
			   int context)
{
	lines A, B;
	split(&A, a, alen);
	split(&B, b, blen);
	size_t pre = 0;
	while (pre < A.n && pre < B.n && same(&A.v[pre], &B.v[pre]))
		pre++;
	size_t suf = 0;
	while (suf < A.n - pre && suf < B.n - pre &&
	       same(&A.v[A.n - 1 - suf], &B.v[B.n - 1 - suf]))
		suf++;
	size_t n = A.n - pre - suf, m = B.n - pre - suf;
	op *ops = NULL;
	size_t nops = 0, cap = 0;
	for (size_t i = 0; i < pre; i++)
		push(&ops, &nops, &cap, '=', i, i);
	if ((n + 1) * (m + 1) <= CELL_CAP && n && m) {
		/* L[i][j] = LCS of A[pre+i..] and B[pre+j..]. */
		uint32_t *L = calloc((n + 1) * (m + 1), sizeof(uint32_t));
		if (!L)
			abort();
#define AT(i, j) L[(i) * (m + 1) + (j)]
		for (size_t i = n; i-- > 0;)
			for (size_t j = m; j-- > 0;)
				AT(i, j) = same(&A.v[pre + i], &B.v[pre + j])
						   ? AT(i + 1, j + 1) + 1
						   : (AT(i + 1, j) >= AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1));
		size_t i = 0, j = 0;
		while (i < n || j < m) {
			if (i < n && j < m && same(&A.v[pre + i], &B.v[pre + j])) {
				push(&ops, &nops, &cap, '=', pre + i, pre + j);
				i++, j++;
			} else if (i < n && (j == m || AT(i + 1, j) >= AT(i, j + 1))) {
				push(&ops, &nops, &cap, '-', pre + i, pre + j);
				i++;
			} else {
				push(&ops, &nops, &cap, '+', pre + i, pre + j);
				j++;
			}
		}
#undef AT
		free(L);
	} else {
		for (size_t i = 0; i < n; i++)
			push(&ops, &nops, &cap, '-', pre + i, pre);
		for (size_t j = 0; j < m; j++)
			push(&ops, &nops, &cap, '+', pre + n, pre + j);
	}
	for (size_t i = 0; i < suf; i++)
		push(&ops, &nops, &cap, '=', A.n - suf + i, B.n - suf + i);

	/* Group changes into hunks with `context` lines around them. */
	size_t hunks = 0, k = 0;
	size_t ctx = context < 0 ? 0 : (size_t)context;
	while (k < nops) {
		while (k < nops && ops[k].kind == '=')
			k++;
		if (k == nops)
			break;
		size_t start = k > ctx ? k - ctx : 0;
		size_t end = k;   /* one past the last op of the hunk */
		size_t eq = 0;
		for (size_t t = k; t < nops; t++) {
			if (ops[t].kind == '=') {
				if (++eq > 2 * ctx)
					break;
			} else {
				eq = 0;
				end = t + 1;
			}
		}
		end = end + ctx < nops ? end + ctx : nops;
		if (!hunks)
			nb_buf_printf(out, "--- %s\n+++ %s\n", label_a, label_b);
		size_t as = ops[start].ai, bs = ops[start].bi, ac = 0, bc = 0;
		for (size_t t = start; t < end; t++) {
			ac += ops[t].kind != '+';
			bc += ops[t].kind != '-';
		}
		nb_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ac ? as + 1 : as, ac,
			      bc ? bs + 1 : bs, bc);
		for (size_t t = start; t < end; t++) {
			if (ops[t].kind == '+')
				put_line(out, '+', &B.v[ops[t].bi]);
			else
				put_line(out, ops[t].kind == '-' ? '-' : ' ', &A.v[ops[t].ai]);
		}
		hunks++;
		k = end;
	}
	free(ops);
	free(A.v);
	free(B.v);
	return hunks;
}

/*
 * test_myers.c - the shared edit-script core (myers.h) and the line diff
 * built on it.
 *
 * Three things a reader of a "what changed" page relies on, each held
 * against an independent referee rather than pinned output: the script
 * rebuilds both sides exactly; it is minimal (as many kept symbols as the
 * longest common subsequence, computed here by the plain quadratic table
 * the generator used before); and hostile input costs bounded work and
 * linear memory. Cost is checked by the operation count the module
 * reports, never by the clock, so the suite is as steady on a loaded
 * machine as on an idle one.
 */
#include "harness.h"

#include <stdint.h>

#include "util/buf.h"
#include "util/myers.h"
#include "util/textdiff.h"

/* The referee: LCS length by the full table, for small inputs only. */
static size_t lcs(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	size_t *row = calloc((m + 1) * 2, sizeof(size_t));
	size_t *prev = row, *cur = row + m + 1;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++)
			cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1
				: prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	size_t r = prev[m];
	free(row);
	return r;
}

/* Replays the script: 1 when it turns a into b exactly. */
static int replays(const nb_myers *d, const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	size_t i = 0, j = 0;
	for (size_t k = 0; k < d->len; k++) {
		switch (d->ops[k]) {
		case 'E':
			if (i >= n || j >= m || a[i] != b[j])
				return 0;
			i++, j++;
			break;
		case 'D':
			if (i++ >= n)
				return 0;
			break;
		case 'I':
			if (j++ >= m)
				return 0;
			break;
		default:
			return 0;
		}
	}
	return i == n && j == m;
}

static size_t kept(const nb_myers *d)
{
	size_t e = 0;
	for (size_t k = 0; k < d->len; k++)
		e += d->ops[k] == 'E';
	return e;
}

/* No insertion directly followed by a deletion: in every changed stretch
 * the deletions come first (the documented tie rule). */
static int deletions_first(const nb_myers *d)
{
	for (size_t k = 1; k < d->len; k++)
		if (d->ops[k - 1] == 'I' && d->ops[k] == 'D')
			return 0;
	return 1;
}

/* A fixed xorshift generator: the same "random" pairs on every run. */
static uint32_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 11);
}

/* Two unrelated sequences of n symbols from an alphabet of `alpha`. */
static void fill_pair(uint32_t *a, uint32_t *b, size_t n, uint32_t alpha, uint64_t seed)
{
	for (size_t i = 0; i < n; i++) {
		a[i] = next_rand(&seed) % alpha;
		b[i] = next_rand(&seed) % alpha;
	}
}

NB_TEST(random_pairs_are_minimal_and_replay)
{
	uint64_t seed = 0x9e3779b97f4a7c15u;
	uint32_t a[64], b[64];
	int bad_min = 0, bad_replay = 0, bad_order = 0;
	for (int round = 0; round < 3000; round++) {
		size_t n = next_rand(&seed) % 40, m = next_rand(&seed) % 40;
		uint32_t alpha = 2 + next_rand(&seed) % 6;
		for (size_t i = 0; i < n; i++)
			a[i] = next_rand(&seed) % alpha;
		/* Half the rounds: b is an edit of a, the shape real texts have. */
		if (round % 2) {
			m = 0;
			for (size_t i = 0; i < n && m < 60; i++) {
				uint32_t r = next_rand(&seed) % 8;
				if (r == 0)
					continue;
				if (r == 1)
					b[m++] = next_rand(&seed) % alpha;
				if (m < 64)
					b[m++] = a[i];
			}
		} else {
			for (size_t j = 0; j < m; j++)
				b[j] = next_rand(&seed) % alpha;
		}
		nb_myers d;
		NB_CHECK(nb_myers_diff(&d, a, n, b, m, 0) == 0);
		bad_min += kept(&d) != lcs(a, n, b, m) || d.approximate;
		bad_replay += !replays(&d, a, n, b, m);
		bad_order += !deletions_first(&d);
		nb_myers_free(&d);
	}
	NB_CHECK(bad_min == 0);
	NB_CHECK(bad_replay == 0);
	NB_CHECK(bad_order == 0);
}

NB_TEST(edges)
{
	static const uint32_t x[] = { 1, 2, 3 };
	nb_myers d;
	nb_myers_diff(&d, NULL, 0, NULL, 0, 0);
	NB_CHECK(d.len == 0 && d.ops && d.ops[0] == '\0');
	nb_myers_free(&d);
	nb_myers_diff(&d, x, 3, NULL, 0, 0);
	NB_CHECK_STR(d.ops, "DDD");
	nb_myers_free(&d);
	nb_myers_diff(&d, NULL, 0, x, 3, 0);
	NB_CHECK_STR(d.ops, "III");
	nb_myers_free(&d);
	nb_myers_diff(&d, x, 3, x, 3, 0);
	NB_CHECK_STR(d.ops, "EEE");
	nb_myers_free(&d);
	/* Swapped pair: minimal is one kept, and the deletion comes first. */
	static const uint32_t ab[] = { 1, 2 }, ba[] = { 2, 1 };
	nb_myers_diff(&d, ab, 2, ba, 2, 0);
	NB_CHECK(kept(&d) == 1 && replays(&d, ab, 2, ba, 2) && deletions_first(&d));
	nb_myers_free(&d);
}

NB_TEST(same_input_same_script)
{
	uint32_t a[500], b[500];
	fill_pair(a, b, 500, 4, 42);
	nb_myers d1, d2;
	nb_myers_diff(&d1, a, 500, b, 500, 0);
	nb_myers_diff(&d2, a, 500, b, 500, 0);
	NB_CHECK(d1.len == d2.len && !memcmp(d1.ops, d2.ops, d1.len));
	NB_CHECK(kept(&d1) == lcs(a, 500, b, 500));
	nb_myers_free(&d1);
	nb_myers_free(&d2);
}

/* A million symbols each side, from a 64-symbol alphabet, unrelated. */
NB_TEST(rewritten_megabyte_is_bounded)
{
	size_t n = 1u << 20;
	uint32_t *a = malloc(n * sizeof(uint32_t)), *b = malloc(n * sizeof(uint32_t));
	fill_pair(a, b, n, 64, 7);
	nb_myers d;
	nb_myers_diff(&d, a, n, b, n, 0);
	NB_CHECK(d.approximate);
	NB_CHECK(replays(&d, a, n, b, n));
	NB_CHECK(deletions_first(&d));
	/* Work: the budget, overshot by at most one round of the search, plus
	 * a linear pass to close the open boxes. */
	NB_CHECK(d.budget == nb_myers_budget(n, n));
	NB_CHECK(d.cost <= d.budget + 8 * (2 * n));
	/* Memory: two diagonal vectors and the script, linear in n + m. */
	NB_CHECK(d.memory <= 24 * (2 * n) + 64);
	nb_myers_free(&d);
	free(a);
	free(b);
}

NB_TEST(small_budget_still_correct)
{
	uint32_t a[2000], b[2000];
	fill_pair(a, b, 2000, 3, 99);
	nb_myers d;
	nb_myers_diff(&d, a, 2000, b, 2000, 1000);
	NB_CHECK(d.approximate);
	NB_CHECK(replays(&d, a, 2000, b, 2000));
	NB_CHECK(d.cost <= 1000 + 8 * 4000);
	nb_myers_free(&d);
}

/* A long text with a few scattered edits: minimal, and cheap (O(N·D)). */
NB_TEST(long_text_few_edits_is_minimal_and_cheap)
{
	size_t n = 200000;
	uint32_t *a = malloc(n * sizeof(uint32_t)), *b = malloc((n + 10) * sizeof(uint32_t));
	uint64_t seed = 3;
	for (size_t i = 0; i < n; i++)
		a[i] = next_rand(&seed) % 5000;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (i % 40000 == 17)
			b[m++] = 6000 + (uint32_t)i;   /* insert a new symbol */
		if (i % 50000 != 5)
			b[m++] = a[i];                  /* or drop one */
	}
	nb_myers d;
	nb_myers_diff(&d, a, n, b, m, 0);
	NB_CHECK(!d.approximate);
	NB_CHECK(replays(&d, a, n, b, m));
	NB_CHECK(kept(&d) == n - 4);          /* 4 dropped, 5 inserted */
	NB_CHECK(d.len == n + 5);
	NB_CHECK(d.cost <= 64 * (n + m));
	nb_myers_free(&d);
	free(a);
	free(b);
}

/* One side a single symbol, the other long: the skewed box stays correct. */
NB_TEST(skewed_sides)
{
	size_t m = 300000;
	uint32_t *b = malloc(m * sizeof(uint32_t));
	for (size_t j = 0; j < m; j++)
		b[j] = (uint32_t)(j % 1000) + 1;
	uint32_t a[1] = { 777 };
	nb_myers d;
	nb_myers_diff(&d, a, 1, b, m, 0);
	NB_CHECK(replays(&d, a, 1, b, m));
	NB_CHECK(d.cost <= d.budget + 8 * (m + 1));
	nb_myers_free(&d);
	free(b);
}

/* The line diff on a document longer than the old table allowed: two
 * separate edits give two small hunks, not one rewrite of the whole. */
NB_TEST(long_document_line_diff_has_small_hunks)
{
	nb_buf a = NB_BUF_INIT, b = NB_BUF_INIT;
	for (int i = 0; i < 20000; i++) {
		nb_buf_printf(&a, "第%d条 居民公约\n", i);
		if (i == 5000)
			nb_buf_puts(&b, "新增一条\n");
		if (i != 15000)
			nb_buf_printf(&b, "第%d条 居民公约\n", i);
	}
	nb_buf out = NB_BUF_INIT;
	size_t hunks = nb_textdiff_unified(&out, a.ptr, a.len, b.ptr, b.len, "a", "b", 3);
	NB_CHECK(hunks == 2);
	NB_CHECK_CONTAINS(nb_buf_cstr(&out), "@@ -4998,6 +4998,7 @@\n");
	NB_CHECK_CONTAINS(nb_buf_cstr(&out), "+新增一条\n");
	NB_CHECK_CONTAINS(nb_buf_cstr(&out), "-第15000条 居民公约\n");
	NB_CHECK(out.len < 1000);
	nb_buf_free(&out);
	nb_buf_free(&a);
	nb_buf_free(&b);
}

/* Lines that differ only in their final newline are different lines. */
NB_TEST(line_ids_respect_newline)
{
	nb_buf out = NB_BUF_INIT;
	nb_textdiff_unified(&out, "x\ny", 3, "x\ny\n", 4, "a", "b", 3);
	NB_CHECK_STR(nb_buf_cstr(&out), "--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n"
		     "\\ No newline at end of file\n+y\n");
	nb_buf_free(&out);
}

NB_TEST_MAIN("myers",
	     NB_CASE(random_pairs_are_minimal_and_replay),
	     NB_CASE(edges),
	     NB_CASE(same_input_same_script),
	     NB_CASE(rewritten_megabyte_is_bounded),
	     NB_CASE(small_budget_still_correct),
	     NB_CASE(long_text_few_edits_is_minimal_and_cheap),
	     NB_CASE(skewed_sides),
	     NB_CASE(long_document_line_diff_has_small_hunks),
	     NB_CASE(line_ids_respect_newline))

/*
 * test_textdiff.c - the line diff behind `noticeboard diff` and the
 * history pages (textdiff.h).
 *
 * A publication diff is read as the record of what changed, so every
 * diff here is held to an independent referee rather than pinned output:
 * applied to the old text by the small patcher below, it must give the
 * new text byte for byte (final newlines and carriage returns included);
 * its changed lines must be as few as the longest common subsequence
 * allows (a plain quadratic table); and the work-budget fallback, taken
 * on a long rewrite, must still apply exactly. A few small cases are
 * written out whole, worked out by hand from diff(1)'s format.
 */
#include "harness.h"

#include <stdint.h>

#include "util/buf.h"
#include "util/myers.h"
#include "util/textdiff.h"

/* The lines of a text, each with its newline when it has one. */
typedef struct tlines {
	const char **p;
	size_t *len;
	size_t n;
} tlines;

static void tsplit(tlines *l, const char *s, size_t n)
{
	l->p = malloc((n + 1) * sizeof(*l->p));
	l->len = malloc((n + 1) * sizeof(*l->len));
	l->n = 0;
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) + 1 : n;
		l->p[l->n] = s + i;
		l->len[l->n++] = e - i;
		i = e;
	}
}

static void tfree(tlines *l)
{
	free(l->p);
	free(l->len);
}

/*
 * Apply the unified diff `d` to `a`, into `out`. 0 when every hunk
 * applied exactly where its header says, with the counts it claims and
 * context and deleted lines equal to a's; -1 otherwise.
 */
static int apply(const char *a, size_t alen, const char *d, nb_buf *out)
{
	tlines A;
	tsplit(&A, a, alen);
	size_t ai = 0, bline = 0;
	int rc = -1;
	const char *p = d;
	for (int i = 0; *p && i < 2; i++) {
		if (strncmp(p, i ? "+++ " : "--- ", 4) || !strchr(p, '\n'))
			goto done;
		p = strchr(p, '\n') + 1;
	}
	while (*p) {
		unsigned long as, ac, bs, bc;
		int used = 0;
		if (sscanf(p, "@@ -%lu,%lu +%lu,%lu @@%n", &as, &ac, &bs, &bc, &used) != 4 ||
		    p[used] != '\n')
			goto done;
		p += used + 1;
		/* An empty side names the line before the hunk. */
		size_t start = ac ? as - 1 : as;
		if (start < ai || start > A.n)
			goto done;
		for (; ai < start; ai++, bline++)
			nb_buf_put(out, A.p[ai], A.len[ai]);
		if ((bc ? bs - 1 : bs) != bline)
			goto done;
		unsigned long na = 0, nbl = 0;
		while (*p == ' ' || *p == '-' || *p == '+') {
			char mark = *p++;
			const char *e = strchr(p, '\n');
			if (!e)
				goto done;
			size_t len = (size_t)(e - p) + 1;  /* with its newline */
			if (!strncmp(e + 1, "\\ No newline at end of file\n", 28)) {
				len--;
				e += 28;
			}
			if (mark != '+') {
				if (ai >= A.n || A.len[ai] != len || memcmp(A.p[ai], p, len))
					goto done;
				ai++, na++;
			}
			if (mark != '-') {
				nb_buf_put(out, p, len);
				nbl++, bline++;
			}
			p = e + 1;
		}
		if (na != ac || nbl != bc)
			goto done;
	}
	for (; ai < A.n; ai++)
		nb_buf_put(out, A.p[ai], A.len[ai]);
	rc = 0;
done:
	tfree(&A);
	return rc;
}

/* The changed lines a minimal diff has: n + m - 2·LCS, by the table. */
static size_t min_changes(const char *a, size_t alen, const char *b, size_t blen)
{
	tlines A, B;
	tsplit(&A, a, alen);
	tsplit(&B, b, blen);
	size_t *t = calloc((A.n + 1) * (B.n + 1), sizeof(size_t));
	for (size_t i = 1; i <= A.n; i++)
		for (size_t j = 1; j <= B.n; j++) {
			size_t *c = &t[i * (B.n + 1) + j];
			if (A.len[i - 1] == B.len[j - 1] && !memcmp(A.p[i - 1], B.p[j - 1], A.len[i - 1]))
				*c = t[(i - 1) * (B.n + 1) + j - 1] + 1;
			else
				*c = t[(i - 1) * (B.n + 1) + j] > t[i * (B.n + 1) + j - 1]
					     ? t[(i - 1) * (B.n + 1) + j]
					     : t[i * (B.n + 1) + j - 1];
		}
	size_t r = A.n + B.n - 2 * t[A.n * (B.n + 1) + B.n];
	free(t);
	tfree(&A);
	tfree(&B);
	return r;
}

/* The '+' and '-' lines of a diff (not its header). */
static size_t changes(const char *d)
{
	size_t n = 0;
	for (const char *p = d; *p; p = strchr(p, '\n') + 1) {
		if ((*p == '+' && strncmp(p, "+++ ", 4)) || (*p == '-' && strncmp(p, "--- ", 4)))
			n++;
		if (!strchr(p, '\n'))
			break;
	}
	return n;
}

/* Diff, then check it applies to a giving b. The diff text, malloc'd. */
static char *diff_checked(nb_test_state *nb__t, const char *a, size_t alen, const char *b,
			  size_t blen, int ctx, size_t *hunks)
{
	nb_buf d = NB_BUF_INIT, got = NB_BUF_INIT;
	size_t h = nb_textdiff_unified(&d, a, alen, b, blen, "a", "b", ctx);
	if (hunks)
		*hunks = h;
	const char *dt = nb_buf_cstr(&d);
	int ok = apply(a, alen, dt, &got) == 0 && got.len == blen && (!blen || !memcmp(got.ptr, b, blen));
	if (!ok)
		fprintf(stderr, "  diff does not give b:\n%s\n", dt);
	NB_CHECK(ok);
	NB_CHECK((h == 0) == (d.len == 0));
	NB_CHECK((h == 0) == (alen == blen && !memcmp(a, b, alen)));
	nb_buf_free(&got);
	return nb_buf_detach(&d);
}

static void check_diff(nb_test_state *nb__t, const char *a, const char *b, int ctx,
		       const char *want)
{
	char *d = diff_checked(nb__t, a, strlen(a), b, strlen(b), ctx, NULL);
	NB_CHECK_STR(d, want);
	free(d);
}

NB_TEST(small_cases_by_hand)
{
	check_diff(NB_T, "a\nb\nc\n", "a\nb\nc\n", 3, "");
	check_diff(NB_T, "", "", 3, "");
	check_diff(NB_T, "a\nb\nc\n", "a\nB\nc\n", 3,
		   "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
	/* Empty sides. */
	check_diff(NB_T, "", "x\ny\n", 3, "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n");
	check_diff(NB_T, "x\n", "", 3, "--- a\n+++ b\n@@ -1,1 +0,0 @@\n-x\n");
	/* Deletions before insertions. */
	check_diff(NB_T, "a\nb\n", "c\nd\n", 3, "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\n-b\n+c\n+d\n");
	/* No context: an insertion names the line it follows. */
	check_diff(NB_T, "a\nb\n", "a\nx\nb\n", 0, "--- a\n+++ b\n@@ -1,0 +2,1 @@\n+x\n");
	check_diff(NB_T, "a\nx\nb\n", "a\nb\n", 0, "--- a\n+++ b\n@@ -2,1 +1,0 @@\n-x\n");
}

NB_TEST(final_newline_and_crlf)
{
	check_diff(NB_T, "a\nb", "a\nc", 3,
		   "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
		   "+c\n\\ No newline at end of file\n");
	/* Only the newline added: the line differs. */
	check_diff(NB_T, "a\nb", "a\nb\n", 3,
		   "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
	check_diff(NB_T, "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n", 3,
		   "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\r\n c\r\n");
	/* A line ending changed from CRLF to LF is a change. */
	check_diff(NB_T, "a\r\nb\n", "a\nb\n", 3, "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\r\n+a\n b\n");
	/* A bare CR is not a line end. */
	check_diff(NB_T, "x\ry\n", "x\rY\n", 3, "--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\ry\n+x\rY\n");
}

NB_TEST(hunks_split_past_twice_the_context)
{
	const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
	/* Lines 2 and 9 changed, six equal lines between: with one line of
	 * context two hunks, with three one. */
	const char *b = "1\nB\n3\n4\n5\n6\n7\n8\nI\n10\n";
	check_diff(NB_T, a, b, 1,
		   "--- a\n+++ b\n@@ -1,3 +1,3 @@\n 1\n-2\n+B\n 3\n"
		   "@@ -8,3 +8,3 @@\n 8\n-9\n+I\n 10\n");
	size_t hunks;
	free(diff_checked(NB_T, a, strlen(a), b, strlen(b), 3, &hunks));
	NB_CHECK(hunks == 1);
	/* Lines 2 and 5: two equal lines between, twice one line of
	 * context, so one hunk. */
	check_diff(NB_T, a, "1\nB\n3\n4\nE\n6\n7\n8\n9\n10\n", 1,
		   "--- a\n+++ b\n@@ -1,6 +1,6 @@\n 1\n-2\n+B\n 3\n 4\n-5\n+E\n 6\n");
	/* Lines 2 and 6, three between: two hunks. */
	const char *c = "1\nB\n3\n4\n5\nF\n7\n8\n9\n10\n";
	free(diff_checked(NB_T, a, strlen(a), c, strlen(c), 1, &hunks));
	NB_CHECK(hunks == 2);
}

/* The same 64-bit line hash textdiff.c uses to find candidates. */
static uint64_t fnv(const char *s, size_t n, int nl)
{
	uint64_t h = 1469598103934665603u ^ (uint64_t)nl;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/* Lines that fall in the same slot of any table up to 65,536 slots must
 * still be told apart by their bytes. */
NB_TEST(hash_collisions_never_merge_lines)
{
	static char names[4096][16];
	static uint16_t low[4096];
	int x = -1, y = -1;
	for (int i = 0; i < 4096 && x < 0; i++) {
		snprintf(names[i], sizeof(names[i]), "L%d", i);
		low[i] = (uint16_t)fnv(names[i], strlen(names[i]), 1);
		for (int j = 0; j < i; j++)
			if (low[j] == low[i]) {
				x = j, y = i;
				break;
			}
	}
	NB_CHECK(x >= 0);
	if (x < 0)
		return;
	char a[128], b[128], want[256];
	snprintf(a, sizeof(a), "%s\n", names[x]);
	snprintf(b, sizeof(b), "%s\n", names[y]);
	snprintf(want, sizeof(want), "--- a\n+++ b\n@@ -1,1 +1,1 @@\n-%s\n+%s\n", names[x], names[y]);
	check_diff(NB_T, a, b, 3, want);
	/* A line and the same bytes without the final newline never share a
	 * first slot (each step of the hash is a bijection on its low bits),
	 * but probing can lead one to the other: Z sits in X-without-newline's
	 * slot, X-with-newline in the next one (four lines: 16 slots). */
	char line[32], z[32];
	int found = 0;
	unsigned s0 = 0;
	for (int i = 0; i < 1 << 16 && !found; i++) {
		snprintf(line, sizeof(line), "N%d", i);
		size_t n = strlen(line);
		s0 = (unsigned)fnv(line, n, 0) & 15;
		found = ((unsigned)fnv(line, n, 1) & 15) == ((s0 + 1) & 15);
	}
	for (int i = 0; i < 1 << 16 && found < 2; i++) {
		snprintf(z, sizeof(z), "Z%d", i);
		found += ((unsigned)fnv(z, strlen(z), 1) & 15) == s0;
	}
	NB_CHECK(found == 2);
	snprintf(a, sizeof(a), "%s\n%s\n", z, line);
	snprintf(b, sizeof(b), "%s\n%s", z, line);
	snprintf(want, sizeof(want),
		 "--- a\n+++ b\n@@ -1,2 +1,2 @@\n %s\n-%s\n+%s\n\\ No newline at end of file\n", z,
		 line, line);
	check_diff(NB_T, a, b, 3, want);
	/* Interleaved, both ways round. */
	snprintf(a, sizeof(a), "%s\n%s\n%s\n", names[x], names[y], names[x]);
	snprintf(b, sizeof(b), "%s\n%s\n%s\n", names[y], names[x], names[y]);
	char *d = diff_checked(NB_T, a, strlen(a), b, strlen(b), 3, NULL);
	NB_CHECK(changes(d) == min_changes(a, strlen(a), b, strlen(b)));
	free(d);
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* A random text of up to `n` lines from a few kinds: plain, empty, with
 * CR, without a final newline. */
static void random_text(nb_buf *t, size_t n)
{
	static const char *const words[] = { "a", "b", "c", "", "a\r", "long line", "b\r" };
	size_t lines = next() % (n + 1);
	for (size_t i = 0; i < lines; i++) {
		nb_buf_puts(t, words[next() % 7]);
		if (i + 1 < lines || next() % 3)
			nb_buf_putc(t, '\n');
	}
}

NB_TEST(random_pairs_apply_and_are_minimal)
{
	for (int round = 0; round < 600; round++) {
		nb_buf a = NB_BUF_INIT, b = NB_BUF_INIT;
		random_text(&a, 14);
		if (next() % 2) {
			random_text(&b, 14);
		} else {
			/* An edit of a: closer, so hunks and context show. */
			nb_buf_put(&b, a.ptr ? a.ptr : "", a.len);
			size_t at = a.len ? next() % a.len : 0;
			b.len = at;
			nb_buf_puts(&b, next() % 2 ? "z\n" : "\n");
			nb_buf_put(&b, a.ptr ? a.ptr + at : "", a.len - at);
		}
		const char *ap = a.ptr ? a.ptr : "", *bp = b.ptr ? b.ptr : "";
		char *d = diff_checked(NB_T, ap, a.len, bp, b.len, (int)(next() % 4), NULL);
		size_t want = min_changes(ap, a.len, bp, b.len);
		if (changes(d) != want) {
			fprintf(stderr, "  %zu changed lines, %zu needed:\n%s\n", changes(d), want, d);
			NB_CHECK(changes(d) == want);
		}
		free(d);
		nb_buf_free(&a);
		nb_buf_free(&b);
	}
}

/*
 * Past the work budget: thousands of lines from a small alphabet, half
 * of them changed, cost more than the default budget (checked on
 * the same ids through myers.h), so the rest is shown as replacement.
 * Not minimal, but it must still turn the old text into the new one.
 */
NB_TEST(budget_fallback_still_applies)
{
	enum { N = 12000, K = 40 };
	uint32_t *ia = malloc(N * sizeof(uint32_t)), *ib = malloc(N * sizeof(uint32_t));
	nb_buf a = NB_BUF_INIT, b = NB_BUF_INIT;
	for (size_t i = 0; i < N; i++) {
		ia[i] = next() % K;
		ib[i] = next() % 2 ? ia[i] : next() % K;
		nb_buf_printf(&a, "line %u\n", ia[i]);
		nb_buf_printf(&b, "line %u\n", ib[i]);
	}
	nb_myers md;
	nb_myers_diff(&md, ia, N, ib, N, 0);
	NB_CHECK(md.approximate);
	nb_myers_free(&md);
	size_t hunks = 0;
	char *d = diff_checked(NB_T, a.ptr, a.len, b.ptr, b.len, 3, &hunks);
	NB_CHECK(hunks > 0);
	free(d);
	free(ia);
	free(ib);
	nb_buf_free(&a);
	nb_buf_free(&b);
}

NB_TEST_MAIN("textdiff", NB_CASE(small_cases_by_hand), NB_CASE(final_newline_and_crlf),
	     NB_CASE(hunks_split_past_twice_the_context),
	     NB_CASE(hash_collisions_never_merge_lines),
	     NB_CASE(random_pairs_apply_and_are_minimal), NB_CASE(budget_fallback_still_applies))

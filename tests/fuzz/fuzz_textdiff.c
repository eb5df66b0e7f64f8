/*
 * fuzz_textdiff.c - libFuzzer target: the line diff (textdiff.h).
 *
 * The input is split at the first NUL into old and new text. With a context
 * wider than any input the unified diff is one hunk covering both texts, so
 * its ' ' and '-' lines must rebuild the old text exactly and its ' ' and
 * '+' lines the new one ("\ No newline at end of file" dropping the newline
 * of the line before). That is what a reader of `noticeboard diff` trusts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/textdiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* memcmp with a zero length may still not be given NULL (an empty nb_buf). */
static int same(const char *p, size_t n, const char *q, size_t m)
{
	return n == m && (n == 0 || !memcmp(p, q, n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t alen = nul ? (size_t)(nul - data) : size;
	const char *a = (const char *)data;
	const char *b = nul ? (const char *)nul + 1 : "";
	size_t blen = nul ? size - alen - 1 : 0;

	nb_buf out;
	nb_buf_init(&out);
	size_t hunks = nb_textdiff_unified(&out, a, alen, b, blen, "a", "b", 1 << 24);
	if (same(a, alen, b, blen)) {
		if (hunks != 0 || out.len != 0)
			abort(); /* equal texts: nothing to say */
		nb_buf_free(&out);
		return 0;
	}
	if (hunks != 1)
		abort(); /* full context: one hunk */
	nb_buf ra, rb;
	nb_buf_init(&ra);
	nb_buf_init(&rb);
	int last = 0; /* which texts the previous line went to: 1 a, 2 b, 3 both */
	int header = 2;
	const char *p = out.ptr, *end = out.ptr + out.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (header > 0) {
			header--;
		} else if (p[0] == '@') {
		} else if (p[0] == '\\') {
			if ((last & 1) && ra.len && ra.ptr[ra.len - 1] == '\n')
				ra.ptr[--ra.len] = '\0';
			if ((last & 2) && rb.len && rb.ptr[rb.len - 1] == '\n')
				rb.ptr[--rb.len] = '\0';
		} else {
			last = p[0] == ' ' ? 3 : p[0] == '-' ? 1 : p[0] == '+' ? 2 : 0;
			if (!last)
				abort(); /* a line that is none of the unified-diff kinds */
			if (last & 1)
				nb_buf_put(&ra, p + 1, n - 1);
			if (last & 2)
				nb_buf_put(&rb, p + 1, n - 1);
		}
		p += n;
	}
	if (!same(ra.ptr, ra.len, a, alen) || !same(rb.ptr, rb.len, b, blen))
		abort();
	nb_buf_free(&ra);
	nb_buf_free(&rb);
	nb_buf_free(&out);
	return 0;
}

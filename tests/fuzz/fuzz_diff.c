/*
 * fuzz_diff.c - libFuzzer target: the diff modules.
 *
 * The input is split at the first NUL into an old and a new text. The
 * property checked is the one a reader of a "what changed" page relies on:
 * EQUAL+DELETE spans rebuild the old text byte for byte and EQUAL+INSERT
 * the new one, and the counts agree. The HTML rendering must run too.
 * When the line diff of the audit trail (textdiff.h) exists it is built
 * with -DNB_HAVE_TEXTDIFF and fuzzed the same way by fuzz_textdiff.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "render/diffhtml.h"
#include "util/chardiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* memcmp with a zero length may still not be given NULL (an empty nb_buf). */
static int same(const char *p, size_t n, const char *q, size_t m)
{
	return n == m && (n == 0 || !memcmp(p, q, n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Big inputs are test_myers.c's business (cost by operation count);
	 * a cap keeps the fuzzer exploring shapes instead of timing them. */
	if (size > 4096)
		return 0;
	const uint8_t *nul = memchr(data, 0, size);
	size_t alen = nul ? (size_t)(nul - data) : size;
	const char *a = (const char *)data;
	const char *b = nul ? (const char *)nul + 1 : "";
	size_t blen = nul ? size - alen - 1 : 0;

	nb_diff df;
	nb_chardiff(a, alen, b, blen, &df);
	nb_buf ra, rb;
	nb_buf_init(&ra);
	nb_buf_init(&rb);
	for (size_t i = 0; i < df.len; i++) {
		const nb_diff_span *s = &df.spans[i];
		if (s->op != NB_DIFF_INSERT)
			nb_buf_put(&ra, s->text, s->len);
		if (s->op != NB_DIFF_DELETE)
			nb_buf_put(&rb, s->text, s->len);
	}
	if (!same(ra.ptr, ra.len, a, alen) || !same(rb.ptr, rb.len, b, blen))
		abort(); /* the spans must rebuild both texts exactly */
	nb_buf html;
	nb_buf_init(&html);
	nb_diff_html(&df, "del:", "ins:", &html);
	nb_buf_free(&html);
	nb_buf_free(&ra);
	nb_buf_free(&rb);
	nb_diff_free(&df);
	return 0;
}

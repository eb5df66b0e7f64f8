/*
 * test_buf.c - the growable byte buffer (util/buf.c): numbers written
 * without printf must be printf's digits, at the edges too.
 */
#include "harness.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

NB_TEST(put_uint_is_printfs_decimal)
{
	static const unsigned long long v[] = { 0, 1, 9, 10, 11, 99, 100, 101, 4096, 65535,
						 1000000007ULL, 4294967295ULL, 4294967296ULL,
						 ULLONG_MAX - 1, ULLONG_MAX };
	nb_buf got = NB_BUF_INIT, want = NB_BUF_INIT;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		nb_buf_clear(&got);
		nb_buf_clear(&want);
		nb_buf_puts(&got, "x");
		nb_buf_put_uint(&got, v[i]);
		nb_buf_puts(&got, "y");
		nb_buf_printf(&want, "x%lluy", v[i]);
		NB_CHECK_STR(nb_buf_cstr(&got), nb_buf_cstr(&want));
	}
	/* Every number up to 100,000 in one buffer, as a drawing writes. */
	nb_buf_clear(&got);
	nb_buf_clear(&want);
	for (unsigned long long n = 0; n <= 100000; n++) {
		nb_buf_put_uint(&got, n);
		nb_buf_putc(&got, ',');
		nb_buf_printf(&want, "%llu,", n);
	}
	NB_CHECK(got.len == want.len && !memcmp(got.ptr, want.ptr, got.len));
	nb_buf_free(&got);
	nb_buf_free(&want);
}

NB_TEST_MAIN("buf", NB_CASE(put_uint_is_printfs_decimal))

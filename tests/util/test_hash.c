/*
 * test_hash.c - the change-detection hash (util/hash.c): a stream framed
 * by lengths tells apart what a plain concatenation would not, and a
 * digest is spelled as printf spells its two words.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "util/hash.h"

static nb_digest two(const char *x, const char *y)
{
	nb_hash h;
	nb_hash_init(&h, 7);
	nb_hash_str(&h, x, strlen(x));
	nb_hash_str(&h, y, strlen(y));
	return nb_hash_final(&h);
}

NB_TEST(framed_strings_differ_where_bytes_agree)
{
	NB_CHECK(nb_digest_eq(two("ab", "c"), two("ab", "c")));
	NB_CHECK(!nb_digest_eq(two("ab", "c"), two("a", "bc")));
	NB_CHECK(!nb_digest_eq(two("", "x"), two("x", "")));
}

NB_TEST(digest_hex_is_printfs_two_words)
{
	static const nb_digest d[] = { { 0, 0 }, { 1, 0 }, { 0, 1 },
				       { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
				       { ~0ULL, ~0ULL }, { 0xa0ULL, 0x0aULL << 56 } };
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		char got[33], want[33];
		memset(got, 'z', sizeof(got));
		nb_digest_hex(got, d[i]);
		snprintf(want, sizeof(want), "%016llx%016llx", (unsigned long long)d[i].hi,
			 (unsigned long long)d[i].lo);
		NB_CHECK_STR(got, want);
	}
	nb_digest x = two("a", "b");
	char hex[33];
	nb_digest_hex(hex, x);
	NB_CHECK(strlen(hex) == 32);
}

NB_TEST_MAIN("hash", NB_CASE(framed_strings_differ_where_bytes_agree),
	     NB_CASE(digest_hex_is_printfs_two_words))

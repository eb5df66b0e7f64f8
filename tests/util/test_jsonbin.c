/*
 * test_jsonbin.c - the binary form of jansson values (util/jsonbin.c).
 *
 * The document memo keeps every document's front matter in this form and
 * hands it back on the next build as if the file had been parsed again, so
 * what these tests guard is what a rebuild publishes: a value must read
 * back exactly (a real's 64 bits, an integer's sign, a string's NUL, the
 * keys' order), and bytes that are not a whole value - a memo cut short
 * or damaged on disk - must read as "not there", never as another value
 * and never by reading past their end (the suite runs under ASan).
 */
#include "harness.h"

#include <float.h>
#include <math.h>
#include <stdint.h>

#include "util/jsonbin.h"

/* v's binary form, in a heap block of exactly its size so that ASan sees
 * any read past its end. */
static unsigned char *encode(const json_t *v, size_t *n)
{
	nb_buf b = NB_BUF_INIT;
	nb_jsonbin_put(&b, v);
	*n = b.len;
	unsigned char *out = malloc(b.len ? b.len : 1);
	memcpy(out, b.ptr, b.len);
	nb_buf_free(&b);
	return out;
}

static json_t *decode(const unsigned char *bytes, size_t n, const unsigned char **after)
{
	const unsigned char *p = bytes;
	json_t *v = nb_jsonbin_get(&p, bytes + n);
	if (after)
		*after = p;
	return v;
}

static uint64_t bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

/* Every kind of value, with the edges a front matter reaches. */
static json_t *sample(void)
{
	json_t *o = json_object();
	json_object_set_new(o, "title", json_string("四月居民议事会 & <会议>"));
	json_object_set_new(o, "zeta", json_integer(INT64_MIN));
	json_object_set_new(o, "alpha", json_integer(INT64_MAX));
	json_object_set_new(o, "rate", json_real(0.1225));
	json_object_set_new(o, "neg_zero", json_real(-0.0));
	json_object_set_new(o, "tiny", json_real(DBL_TRUE_MIN));
	json_object_set_new(o, "huge", json_real(-DBL_MAX));
	json_object_set_new(o, "nul", json_stringn("a\0b", 3));
	json_object_set_new(o, "empty", json_string(""));
	json_object_set_new(o, "yes", json_true());
	json_object_set_new(o, "no", json_false());
	json_object_set_new(o, "none", json_null());
	json_object_set_new(o, "list", json_pack("[s, i, [], {}, [[{s: [n]}]]]", "一", -1, "k"));
	json_object_setn_new(o, "k\0ey", 4, json_integer(7));
	return o;
}

NB_TEST(test_reads_back_exactly)
{
	json_t *v = sample();
	size_t n;
	unsigned char *b = encode(v, &n);
	const unsigned char *after;
	json_t *w = decode(b, n, &after);
	NB_CHECK(w != NULL);
	NB_CHECK(after == b + n);
	/* Written again, the same bytes: a memo is stable across builds. */
	size_t n2;
	unsigned char *b2 = encode(w, &n2);
	NB_CHECK(n2 == n && !memcmp(b, b2, n));
	free(b2);
	/* A key holding a NUL, as YAML allows ("k\0ey"), is that key; jansson's
	 * json_equal and json_deep_copy look keys up as C strings and never
	 * find it, so it is compared by hand and left out of json_equal. */
	NB_CHECK(json_integer_value(json_object_getn(w, "k\0ey", 4)) == 7);
	NB_CHECK(json_object_getn(w, "k", 1) == NULL);
	json_object_deln(v, "k\0ey", 4);
	json_object_deln(w, "k\0ey", 4);
	NB_CHECK(json_object_size(w) == 13);
	NB_CHECK(json_equal(v, w));
	/* json_equal compares reals by value: -0.0 == 0.0. The memo must
	 * give back the very bits, or a figure's sign could change. */
	NB_CHECK(bits(json_real_value(json_object_get(w, "neg_zero"))) == bits(-0.0));
	NB_CHECK(bits(json_real_value(json_object_get(w, "rate"))) == bits(0.1225));
	NB_CHECK(json_real_value(json_object_get(w, "tiny")) == DBL_TRUE_MIN);
	NB_CHECK(json_integer_value(json_object_get(w, "zeta")) == INT64_MIN);
	NB_CHECK(json_is_integer(json_object_get(w, "alpha")));
	NB_CHECK(json_is_real(json_object_get(w, "rate")));
	const json_t *nul = json_object_get(w, "nul");
	NB_CHECK(json_string_length(nul) == 3 && !memcmp(json_string_value(nul), "a\0b", 3));
	/* Keys in the order they were written: templates iterate them. */
	const char *want[] = { "title", "zeta", "alpha", "rate", "neg_zero", "tiny", "huge",
			       "nul", "empty", "yes", "no", "none", "list" };
	size_t i = 0;
	const char *k;
	json_t *x;
	json_object_foreach(w, k, x) {
		if (i < sizeof(want) / sizeof(want[0]))
			NB_CHECK_STR(k, want[i]);
		i++;
	}
	NB_CHECK(i == 13);
	json_decref(w);
	json_decref(v);
	free(b);
}

/* Several values one after another, as a memo record holds them: each
 * read moves exactly past its own bytes. */
NB_TEST(test_values_in_sequence)
{
	nb_buf b = NB_BUF_INIT;
	json_t *obj = json_pack("{s:i}", "a", 1), *str = json_string("x");
	nb_jsonbin_put(&b, obj);
	nb_jsonbin_put(&b, str);
	json_decref(obj);
	json_decref(str);
	nb_jsonbin_put_u(&b, 0xA1B2C3D4u, 4);
	const unsigned char *p = (const unsigned char *)b.ptr, *end = p + b.len;
	json_t *a = nb_jsonbin_get(&p, end);
	json_t *s = nb_jsonbin_get(&p, end);
	NB_CHECK(a && json_integer_value(json_object_get(a, "a")) == 1);
	NB_CHECK_STR(json_string_value(s), "x");
	NB_CHECK(end - p == 4);
	NB_CHECK(p[0] == 0xD4 && p[3] == 0xA1);  /* little-endian on any machine */
	json_decref(a);
	json_decref(s);
	nb_buf_free(&b);
}

/* A memo cut short at any byte is no value, and the read does not move. */
NB_TEST(test_every_truncation_refused)
{
	json_t *v = sample();
	size_t n;
	unsigned char *b = encode(v, &n);
	size_t refused = 0, skipped = 0;
	for (size_t cut = 0; cut < n; cut++) {
		unsigned char *c = malloc(cut ? cut : 1);
		memcpy(c, b, cut);
		const unsigned char *after;
		json_t *w = decode(c, cut, &after);
		refused += !w && after == c;
		json_decref(w);
		const unsigned char *p = c;
		skipped += nb_jsonbin_skip(&p, c + cut) == 0;
		free(c);
	}
	NB_CHECK(refused == n);
	NB_CHECK(skipped == 0);
	json_decref(v);
	free(b);
}

/* Any one byte changed, to each of a few telling values: never a read
 * outside the bytes (ASan stops the suite), and a read that succeeds
 * ends inside them. (Decoding and skipping may disagree on such bytes: a
 * real's bits can become a NaN, which no JSON value holds.) */
NB_TEST(test_damaged_bytes_stay_inside)
{
	json_t *v = sample();
	size_t n;
	unsigned char *b = encode(v, &n);
	static const unsigned char vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff, 'o', 'a', 's' };
	size_t outside = 0, tried = 0;
	for (size_t at = 0; at < n; at++) {
		for (size_t k = 0; k < sizeof(vals); k++) {
			unsigned char *c = malloc(n);
			memcpy(c, b, n);
			c[at] = vals[k];
			const unsigned char *after = c;
			json_t *w = decode(c, n, &after);
			outside += after < c || after > c + n;
			const unsigned char *p = c;
			if (nb_jsonbin_skip(&p, c + n) == 0)
				outside += p <= c || p > c + n;
			(void)nb_jsonbin_member(c, c + n, "list", 4);
			(void)nb_jsonbin_member(c, c + n, "missing", 7);
			json_decref(w);
			free(c);
			tried++;
		}
	}
	NB_CHECK(outside == 0);
	NB_CHECK(tried == n * sizeof(vals));
	json_decref(v);
	free(b);
}

/* A count larger than the bytes left is damage, not a long loop. */
NB_TEST(test_huge_count_refused)
{
	unsigned char arr[] = { 'a', 0xff, 0xff, 0xff, 0xff, 'n' };
	unsigned char obj[] = { 'o', 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0, 'k', 'n' };
	unsigned char str[] = { 's', 0xff, 0xff, 0xff, 0xff, 'x', 0 };
	unsigned char unknown[] = { 'q' };
	NB_CHECK(decode(arr, sizeof(arr), NULL) == NULL);
	NB_CHECK(decode(obj, sizeof(obj), NULL) == NULL);
	NB_CHECK(decode(str, sizeof(str), NULL) == NULL);
	NB_CHECK(decode(unknown, sizeof(unknown), NULL) == NULL);
	/* A string must end with its NUL byte, where the reader hands it out
	 * as a C string without copying. */
	unsigned char nonul[] = { 's', 1, 0, 0, 0, 'x', 'y' };
	NB_CHECK(decode(nonul, sizeof(nonul), NULL) == NULL);
	NB_CHECK(nb_jsonbin_string(nonul, nonul + sizeof(nonul), NULL) == NULL);
}

/* Nesting: 1,000 levels read (a YAML file can nest deeply), deeper is
 * refused rather than recursing without bound. */
NB_TEST(test_depth_limit)
{
	for (int depth = 999; depth <= 1001; depth++) {
		nb_buf b = NB_BUF_INIT;
		for (int i = 0; i < depth; i++) {
			nb_buf_putc(&b, 'a');
			nb_jsonbin_put_u(&b, 1, 4);
		}
		nb_buf_putc(&b, 'n');
		const unsigned char *p = (const unsigned char *)b.ptr;
		json_t *w = nb_jsonbin_get(&p, p + b.len);
		p = (const unsigned char *)b.ptr;
		int skip = nb_jsonbin_skip(&p, p + b.len);
		if (depth <= 1000) {
			NB_CHECK(w != NULL);
			NB_CHECK(skip == 0);
		} else {
			NB_CHECK(w == NULL);
			NB_CHECK(skip == -1);
		}
		json_decref(w);
		nb_buf_free(&b);
	}
}

/* Reading in place: a member found by its key, strings as C strings
 * pointing into the bytes, numbers by kind. */
NB_TEST(test_in_place_readers)
{
	json_t *v = sample();
	size_t n;
	unsigned char *b = encode(v, &n);
	const unsigned char *end = b + n;
	size_t len = 0;
	const char *t = nb_jsonbin_string(nb_jsonbin_member(b, end, "title", 5), end, &len);
	NB_CHECK_STR(t, "四月居民议事会 & <会议>");
	NB_CHECK(len == strlen("四月居民议事会 & <会议>"));
	NB_CHECK(t && (const unsigned char *)t > b && (const unsigned char *)t < end);
	t = nb_jsonbin_string(nb_jsonbin_member(b, end, "nul", 3), end, &len);
	NB_CHECK(t && len == 3 && !memcmp(t, "a\0b", 4));
	/* A key is matched by its bytes and length, not as a prefix. */
	NB_CHECK(nb_jsonbin_member(b, end, "titl", 4) == NULL);
	NB_CHECK(nb_jsonbin_member(b, end, "k", 1) == NULL);
	NB_CHECK(nb_jsonbin_member(b, end, "k\0ey", 4) != NULL);
	NB_CHECK(nb_jsonbin_member(b, end, "missing", 7) == NULL);
	double d = 1;
	json_int_t i = 1;
	NB_CHECK(nb_jsonbin_number(&d, nb_jsonbin_member(b, end, "neg_zero", 8), end) == 0);
	NB_CHECK(bits(d) == bits(-0.0));
	NB_CHECK(nb_jsonbin_number(&d, nb_jsonbin_member(b, end, "zeta", 4), end) == 0);
	NB_CHECK(d == (double)INT64_MIN);
	NB_CHECK(nb_jsonbin_integer(&i, nb_jsonbin_member(b, end, "zeta", 4), end) == 0);
	NB_CHECK(i == INT64_MIN);
	/* A real is not an integer; text is neither. */
	NB_CHECK(nb_jsonbin_integer(&i, nb_jsonbin_member(b, end, "rate", 4), end) == -1);
	NB_CHECK(nb_jsonbin_number(&d, nb_jsonbin_member(b, end, "title", 5), end) == -1);
	NB_CHECK(nb_jsonbin_string(nb_jsonbin_member(b, end, "alpha", 5), end, NULL) == NULL);
	/* Only an object has members. */
	const unsigned char *list = nb_jsonbin_member(b, end, "list", 4);
	NB_CHECK(list && *list == 'a');
	NB_CHECK(nb_jsonbin_member(list, end, "k", 1) == NULL);
	NB_CHECK(nb_jsonbin_member(NULL, end, "k", 1) == NULL);
	/* A member whose value is cut off is not there. */
	const unsigned char *none = nb_jsonbin_member(b, end, "none", 4);
	NB_CHECK(none && *none == 'n');
	NB_CHECK(nb_jsonbin_member(b, none, "none", 4) == NULL);
	json_decref(v);
	free(b);
}

NB_TEST_MAIN("jsonbin", NB_CASE(test_reads_back_exactly), NB_CASE(test_values_in_sequence),
	     NB_CASE(test_every_truncation_refused), NB_CASE(test_damaged_bytes_stay_inside),
	     NB_CASE(test_huge_count_refused), NB_CASE(test_depth_limit),
	     NB_CASE(test_in_place_readers))

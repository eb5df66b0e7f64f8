/*
 * test_meta.c - front matter read in place from its packed bytes
 * (load/meta.h, util/jsonbin.h).
 *
 * nb_doc_str walks the top-level keys and hops over the values before
 * the one asked for without decoding them, so the cases are the ones a
 * wrong hop gets wrong: nested objects and arrays (holding the key asked
 * for, deeper down) before the key, a key that is a prefix of another,
 * values that are not strings, a string holding a NUL, and bytes that
 * are cut short or damaged, which must read as missing without reading
 * outside the buffer (ASan watches). Every answer is checked against
 * what the jansson tree it was packed from says.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "load/meta.h"
#include "util/jsonbin.h"

/* The tree's answer for `str(meta, key)`, as every stage had it. */
static const char *tree_str(const json_t *meta, const char *key)
{
	json_t *v = json_object_get(meta, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *sample(void)
{
	json_t *m = json_loads(
		"{\"committee\":[{\"name\":\"王芳\",\"title\":\"deep\",\"x\":[[[\"y\"]]]},"
		"{\"name\":\"李宏\",\"chair\":true}],"
		"\"votes\":{\"for\":7,\"against\":1,\"abstain\":0,\"title\":\"nested\"},"
		"\"empty_list\":[],\"empty_obj\":{},\"n\":null,\"t\":true,\"f\":false,"
		"\"ratio\":0.25,\"version\":3,\"dates\":\"not date\",\"date\":\"2025-03-08\","
		"\"title\":\"第一次会议\",\"internal\":{\"informed\":0.74,\"count\":12},"
		"\"last\":\"\"}", 0, NULL);
	json_object_set_new(m, "nul", json_stringn("a\0b", 3));
	return m;
}

/* A document holding the sample, packed; the sample to compare with. */
static json_t *packed(nb_doc *d)
{
	json_t *m = sample();
	memset(d, 0, sizeof(*d));
	nb_doc_meta_set(d, m);
	return m;
}

NB_TEST(strings_after_nested_values)
{
	nb_doc d;
	json_t *m = packed(&d);
	NB_CHECK(m != NULL);
	NB_CHECK(d.meta != NULL);
	NB_CHECK_STR(nb_doc_str(&d, "title"), "第一次会议");
	NB_CHECK_STR(nb_doc_str(&d, "date"), "2025-03-08");
	NB_CHECK_STR(nb_doc_str(&d, "dates"), "not date");
	NB_CHECK_STR(nb_doc_str(&d, "last"), "");
	/* Every key of the sample, and some it lacks, as the tree says. */
	const char *keys[] = { "committee", "votes", "empty_list", "empty_obj", "n", "t", "f",
			       "ratio", "version", "dates", "date", "title", "internal", "last",
			       "nul", "missing", "", "dat", "titles", "name", "for", "x" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *want = tree_str(m, keys[i]), *got = nb_doc_str(&d, keys[i]);
		NB_CHECK((want == NULL) == (got == NULL));
		if (want && got)
			NB_CHECK_STR(got, want);
		NB_CHECK(nb_doc_has(&d, keys[i]) == (json_object_get(m, keys[i]) != NULL));
	}
	/* A string holding a NUL reads as json_string_value gives it: a C
	 * string "a", the whole value 3 bytes. */
	size_t n = 0;
	const char *s = nb_doc_strn(&d, "nul", &n);
	NB_CHECK(s && n == 3 && !memcmp(s, "a\0b", 3) && !strcmp(s, "a"));
	/* The pointer is into the document's bytes: stable, nothing to free. */
	NB_CHECK((const unsigned char *)nb_doc_str(&d, "title") > d.meta &&
		 (const unsigned char *)nb_doc_str(&d, "title") < d.meta + d.meta_len);
	nb_doc_meta_free(&d);
	json_decref(m);
}

NB_TEST(not_strings_are_null)
{
	nb_doc d;
	json_t *m = packed(&d);
	const char *keys[] = { "committee", "votes", "n", "t", "f", "ratio", "version",
			       "empty_list", "empty_obj", "internal", "missing" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		NB_CHECK(nb_doc_str(&d, keys[i]) == NULL);
	/* No front matter at all reads as {}. */
	nb_doc none;
	memset(&none, 0, sizeof(none));
	NB_CHECK(nb_doc_str(&none, "title") == NULL && !nb_doc_has(&none, "title"));
	json_t *e = nb_doc_meta(&none);
	NB_CHECK(json_is_object(e) && json_object_size(e) == 0);
	json_decref(e);
	nb_doc_meta_free(&d);
	json_decref(m);
}

NB_TEST(numbers_values_and_the_whole)
{
	nb_doc d;
	json_t *m = packed(&d);
	double v = 0;
	NB_CHECK(nb_doc_number(&v, &d, "internal", "informed") == 0 && v == 0.74);
	NB_CHECK(nb_doc_number(&v, &d, "internal", "count") == 0 && v == 12);
	NB_CHECK(nb_doc_number(&v, &d, "internal", "missing") == -1);
	NB_CHECK(nb_doc_number(&v, &d, "votes", "title") == -1);
	NB_CHECK(nb_doc_number(&v, &d, "title", "for") == -1);
	json_int_t iv = 0;
	NB_CHECK(nb_doc_integer(&iv, &d, "version") == 0 && iv == 3);
	NB_CHECK(nb_doc_integer(&iv, &d, "ratio") == -1 && nb_doc_integer(&iv, &d, "x") == -1);
	json_t *votes = nb_doc_get(&d, "votes");
	NB_CHECK(json_equal(votes, json_object_get(m, "votes")));
	json_decref(votes);
	NB_CHECK(nb_doc_get(&d, "missing") == NULL);
	json_t *all = nb_doc_meta(&d);
	NB_CHECK(json_equal(all, m));
	/* a copy of the caller's own, not the tree it was packed from */
	NB_CHECK(all != m);
	json_decref(all);
	nb_doc_meta_free(&d);
	json_decref(m);
}

NB_TEST(damaged_bytes_read_as_missing)
{
	nb_doc d;
	json_t *m = packed(&d);
	size_t len = d.meta_len;
	unsigned char *whole = malloc(len);
	memcpy(whole, d.meta, len);
	nb_doc cut;
	memset(&cut, 0, sizeof(cut));
	/* Every cut short, and every byte changed: adopting refuses what is
	 * not one whole object, and reading bytes kept anyway (as a test
	 * can, and a bug could) never reads past them. */
	for (size_t k = 0; k < len; k++) {
		unsigned char *p = malloc(k ? k : 1);
		memcpy(p, whole, k);
		NB_CHECK(nb_doc_meta_adopt(&cut, p, k) == -1);
		cut.meta = p;
		cut.meta_len = k;
		(void)nb_doc_str(&cut, "last");
		(void)nb_doc_str(&cut, "nul");
		(void)nb_doc_has(&cut, "zzz");
		double v;
		(void)nb_doc_number(&v, &cut, "internal", "count");
		json_decref(nb_doc_get(&cut, "last"));
		json_decref(nb_doc_meta(&cut));
		nb_doc_meta_free(&cut);
	}
	size_t refused = 0;
	for (size_t k = 0; k < len; k++) {
		unsigned char *p = malloc(len);
		memcpy(p, whole, len);
		p[k] ^= 0xA5;
		refused += nb_doc_meta_adopt(&cut, p, len) != 0;
		free(p);
		(void)nb_doc_str(&cut, "last");
		json_decref(nb_doc_meta(&cut));
		nb_doc_meta_free(&cut);
	}
	NB_CHECK(refused > 0);
	/* The whole is adopted and reads the same. */
	NB_CHECK(nb_doc_meta_adopt(&cut, whole, len) == 0);
	NB_CHECK_STR(nb_doc_str(&cut, "last"), "");
	NB_CHECK_STR(nb_doc_str(&cut, "title"), "第一次会议");
	/* A string without its NUL is not a string. */
	unsigned char bad[] = { 'o', 1, 0, 0, 0, 1, 0, 0, 0, 'k', 's', 1, 0, 0, 0, 'v', 'x' };
	NB_CHECK(nb_doc_meta_adopt(&d, bad, sizeof(bad)) == -1);
	nb_doc raw = { .meta = bad, .meta_len = sizeof(bad) };
	NB_CHECK(nb_doc_str(&raw, "k") == NULL);
	bad[sizeof(bad) - 1] = 0;
	NB_CHECK_STR(nb_doc_str(&raw, "k"), "v");
	free(whole);
	nb_doc_meta_free(&cut);
	nb_doc_meta_free(&d);
	json_decref(m);
}

NB_TEST_MAIN("meta", NB_CASE(strings_after_nested_values), NB_CASE(not_strings_are_null),
	     NB_CASE(numbers_values_and_the_whole),
	     NB_CASE(damaged_bytes_read_as_missing))

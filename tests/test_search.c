/*
 * test_search.c - the search tokenizer and shard keys (generator/search.c).
 *
 * search.js reimplements these rules; the browser tests check the two agree
 * end to end, these pin the rules themselves.
 */
#include "harness.h"
#include "search.h"

static int has(json_t *counts, const char *tok, long n)
{
	json_t *v = json_object_get(counts, tok);
	return v && json_integer_value(v) == n;
}

NB_TEST(cjk_bigrams_and_unigrams)
{
	json_t *c = json_object();
	nb_search_tokens("电动自行车，充电", c);
	NB_CHECK(has(c, "电动", 1));
	NB_CHECK(has(c, "自行", 1));
	NB_CHECK(has(c, "行车", 1));
	NB_CHECK(has(c, "充电", 1));
	NB_CHECK(has(c, "电", 2));
	NB_CHECK(has(c, "动", 1));
	NB_CHECK(has(c, "车", 1));
	NB_CHECK(!json_object_get(c, "车充"));   /* punctuation breaks runs */
	NB_CHECK(json_object_size(c) == 5 + 6);  /* bigrams + distinct characters */
	json_decref(c);
}

NB_TEST(latin_words_fold_case_and_width)
{
	json_t *c = json_object();
	nb_search_tokens("Fire SAFETY, fire! ＥＶ 2024年 Café", c);
	NB_CHECK(has(c, "fire", 2));
	NB_CHECK(has(c, "safety", 1));
	NB_CHECK(has(c, "ev", 1));
	NB_CHECK(has(c, "2024", 1));
	NB_CHECK(has(c, "年", 1));
	NB_CHECK(json_object_get(c, "café") != NULL);
	json_decref(c);
}

NB_TEST(empty_and_single)
{
	json_t *c = json_object();
	nb_search_tokens("", c);
	NB_CHECK(json_object_size(c) == 0);
	nb_search_tokens("…", c);
	NB_CHECK(json_object_size(c) == 0);
	nb_search_tokens("槐", c);
	NB_CHECK(has(c, "槐", 1));
	json_decref(c);
}

NB_TEST(keys_and_hash)
{
	char k[16];
	nb_search_key("电动", k, sizeof(k));
	NB_CHECK_STR(k, "电动");
	nb_search_key("safety", k, sizeof(k));
	NB_CHECK_STR(k, "saf");
	nb_search_key("ev", k, sizeof(k));
	NB_CHECK_STR(k, "ev");
	nb_search_key("x", k, sizeof(k));
	NB_CHECK_STR(k, "x");
	/* FNV-1a reference values; search.js must compute the same. */
	NB_CHECK(nb_search_hash("") == 2166136261u);
	NB_CHECK(nb_search_hash("a") == 0xe40c292cu);
}

NB_TEST_MAIN("search", NB_CASE(cjk_bigrams_and_unigrams), NB_CASE(latin_words_fold_case_and_width),
	     NB_CASE(empty_and_single), NB_CASE(keys_and_hash))

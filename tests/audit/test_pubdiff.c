/*
 * test_pubdiff.c - unit tests for one document's change between two
 * sources (pubdiff.h: fields as data, not text) and the subject of a
 * publication's commit message (history.h), which the site's history must
 * read back exactly as `publish` wrote it.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/history.h"
#include "harness.h"
#include "audit/pubdiff.h"

static json_t *fields_of(const char *a, const char *b)
{
	nb_pubdiff_doc x, y;
	nb_pubdiff_parse("a.md", a, strlen(a), &x);
	nb_pubdiff_parse("b.md", b, strlen(b), &y);
	json_t *f = nb_pubdiff_fields(&x, &y);
	nb_pubdiff_doc_free(&x);
	nb_pubdiff_doc_free(&y);
	return f;
}

NB_TEST(nested_fields)
{
	json_t *f = fields_of("---\nid: x\nvotes: {for: 7, against: 2}\n---\n\nText.\n",
			      "---\nid: x\nvotes:\n  for: 8\n  against: 2\n---\n\nText.\n");
	NB_CHECK(json_array_size(f) == 1);
	json_t *c = json_array_get(f, 0);
	NB_CHECK_STR(json_string_value(json_object_get(c, "field")), "votes.for");
	NB_CHECK(json_integer_value(json_object_get(c, "from")) == 7);
	NB_CHECK(json_integer_value(json_object_get(c, "to")) == 8);
	json_decref(f);
}

NB_TEST(added_and_removed_fields)
{
	json_t *f = fields_of("---\nid: x\ndue: 2025-01-01\n---\n", "---\nid: x\nprogress: [a, b]\n---\n");
	NB_CHECK(json_array_size(f) == 3);
	NB_CHECK_STR(json_string_value(json_object_get(json_array_get(f, 0), "field")), "progress.0");
	NB_CHECK(json_is_null(json_object_get(json_array_get(f, 0), "from")));
	json_t *last = json_array_get(f, 2);
	NB_CHECK_STR(json_string_value(json_object_get(last, "field")), "due");
	NB_CHECK(json_is_null(json_object_get(last, "to")));
	json_decref(f);
	/* Restyled YAML that means the same is no change. */
	f = fields_of("---\nid: x\ntags: [a, b]\n---\n", "---\nid: \"x\"\ntags:\n  - a\n  - b\n---\n");
	NB_CHECK(json_array_size(f) == 0);
	json_decref(f);
}

NB_TEST(body_and_id)
{
	const char *src = "---\nid: doc-1\n---\n\nHello\n";
	nb_pubdiff_doc d;
	nb_pubdiff_parse("d.md", src, strlen(src), &d);
	NB_CHECK_STR(d.id, "doc-1");
	NB_CHECK(d.body_len >= 6 && !memcmp(d.body + d.body_len - 6, "Hello\n", 6));
	nb_pubdiff_doc_free(&d);
	nb_pubdiff_parse("d.md", "no front matter\n", 16, &d);
	NB_CHECK(d.id == NULL);
	NB_CHECK(d.body_len == 16);
	nb_pubdiff_doc_free(&d);
	char *s = nb_pubdiff_show(NULL);
	NB_CHECK_STR(s, "(none)");
	free(s);
	json_t *v = json_pack("[i, s]", 1, "x");
	s = nb_pubdiff_show(v);
	NB_CHECK_STR(s, "[1,\"x\"]");
	free(s);
	json_decref(v);
}

NB_TEST(subject)
{
	char *s = nb_history_subject("Publication 2: amend: minutes\n\nDocuments: 1 added\n");
	NB_CHECK_STR(s, "amend: minutes");
	free(s);
	s = nb_history_subject("Publication 10: two\nlines\n\nAs-of: 2026-01-01\n");
	NB_CHECK_STR(s, "two\nlines");
	free(s);
	s = nb_history_subject("forged");
	NB_CHECK_STR(s, "forged");
	free(s);
}

NB_TEST(cache_key)
{
	char a[33] = "0123456789abcdef0123456789abcdef", b[33], c[33];
	memcpy(b, a, sizeof(a));
	memcpy(c, a, sizeof(a));
	json_t *h1 = json_pack("[{s:i}]", "number", 1), *h2 = json_pack("[{s:i}]", "number", 2);
	nb_history_key(a, h1);
	nb_history_key(b, h2);
	NB_CHECK(strcmp(a, b) != 0);
	NB_CHECK(strlen(a) == 32);
	nb_history_key(c, NULL);
	NB_CHECK_STR(c, "0123456789abcdef0123456789abcdef");
	char empty[33] = "";
	nb_history_key(empty, h1);
	NB_CHECK_STR(empty, "");  /* no key stays no key: a miss */
	json_decref(h1);
	json_decref(h2);
}

NB_TEST_MAIN("pubdiff", NB_CASE(nested_fields), NB_CASE(added_and_removed_fields),
	     NB_CASE(body_and_id), NB_CASE(subject), NB_CASE(cache_key))

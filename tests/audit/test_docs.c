/*
 * test_docs.c - a publication's document map (audit/docs.c): sorted by
 * path however it was filled, found by path, compared by merging into the
 * counts `log` shows and the publish's commit message states, read from a
 * manifest only when every entry is whole, and written back as the
 * manifest's object.
 */
#include <string.h>

#include "audit/audit.h"
#include "harness.h"

static nb_oid oid_of(unsigned char b)
{
	nb_oid o;
	memset(&o, b, sizeof(o));
	return o;
}

NB_TEST(sorted_and_found)
{
	nb_audit_docs m = { 0 };
	nb_oid h = oid_of(1);
	/* Enough to move the text buffer while offsets into it are held. */
	char path[64], id[32];
	for (int i = 299; i >= 0; i--) {
		snprintf(path, sizeof(path), "content/meetings/%03d.md", i);
		snprintf(id, sizeof(id), "m-%d", i);
		nb_audit_docs_add(&m, path, id, &h, (size_t)i + 1);
	}
	nb_audit_docs_add(&m, "content/a\xff.md", "x", &h, 1);  /* not UTF-8 */
	nb_audit_docs_add(&m, "content/b.md", "\xc3(", &h, 1);  /* nor the id */
	nb_audit_docs_sort(&m);
	NB_CHECK(m.len == 300);
	for (size_t i = 1; i < m.len; i++)
		NB_CHECK(strcmp(nb_audit_doc_path(&m, &m.items[i - 1]),
				nb_audit_doc_path(&m, &m.items[i])) < 0);
	const nb_audit_doc *d = nb_audit_docs_find(&m, "content/meetings/123.md");
	NB_CHECK(d && d->first == 124 && !strcmp(nb_audit_doc_id(&m, d), "m-123"));
	NB_CHECK(!nb_audit_docs_find(&m, "content/meetings/300.md"));
	NB_CHECK(!nb_audit_docs_find(&m, "content/b.md"));
	NB_CHECK(!nb_audit_docs_find(NULL, "content/b.md"));
	nb_audit_docs_free(&m);
	NB_CHECK(m.len == 0 && !m.items);
}

NB_TEST(changes_by_merging)
{
	nb_audit_docs old = { 0 }, now = { 0 };
	nb_oid a = oid_of(1), b = oid_of(2);
	nb_audit_docs_add(&old, "content/gone.md", "g", &a, 1);
	nb_audit_docs_add(&old, "content/same.md", "s", &a, 1);
	nb_audit_docs_add(&old, "content/edited.md", "e", &a, 1);
	nb_audit_docs_add(&old, "content/edited2.md", "e2", &b, 1);
	nb_audit_docs_add(&now, "content/edited.md", "e", &b, 0);
	nb_audit_docs_add(&now, "content/edited2.md", "e2", &a, 0);
	nb_audit_docs_add(&now, "content/same.md", "s", &a, 0);
	nb_audit_docs_add(&now, "content/new.md", "n", &b, 0);
	nb_audit_docs_add(&now, "content/zz-new.md", "z", &b, 0);
	nb_audit_docs_sort(&old);
	nb_audit_docs_sort(&now);
	size_t ad, ch, rm;
	nb_audit_docs_changes(&old, &now, &ad, &ch, &rm);
	NB_CHECK(ad == 2 && ch == 2 && rm == 1);
	nb_audit_docs_changes(NULL, &now, &ad, &ch, &rm);
	NB_CHECK(ad == 5 && ch == 0 && rm == 0);
	nb_audit_docs_changes(&old, NULL, &ad, &ch, &rm);
	NB_CHECK(ad == 0 && ch == 0 && rm == 4);
	nb_audit_docs_free(&old);
	nb_audit_docs_free(&now);
}

NB_TEST(from_a_manifest_only_whole)
{
	static const char *const bad[] = {
		"{\"a.md\": {\"hash\": \"1111111111111111111111111111111111111111\"}}",
		"{\"a.md\": {\"id\": \"a\", \"hash\": \"11\"}}",
		"{\"a.md\": {\"id\": \"a\", \"hash\": \"11111111111111111111111111111111111111112\"}}",
		"{\"a.md\": {\"id\": \"a\", \"hash\": \"zz11111111111111111111111111111111111111\"}}",
		"{\"a.md\": {\"id\": 7, \"hash\": \"1111111111111111111111111111111111111111\"}}",
		"{\"a.md\": {\"id\": \"a\", \"hash\": \"1111111111111111111111111111111111111111\","
		" \"first\": -1}}",
		"{\"a.md\": {\"id\": \"a\", \"hash\": \"1111111111111111111111111111111111111111\","
		" \"first\": \"2\"}}",
		"{\"a.md\": \"a\"}",
	};
	char err[256];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *j = json_loads(bad[i], 0, NULL);
		nb_audit_docs m = { 0 };
		err[0] = '\0';
		NB_CHECK(j && nb_audit_docs_from_json(&m, j, err, sizeof(err)) == -1);
		NB_CHECK(m.len == 0 && strstr(err, "a.md"));
		json_decref(j);
	}
	/* A whole one, written back as it was read; none at all is empty. */
	const char *good = "{\"content/b.md\": {\"first\": 2, \"hash\": "
			   "\"2222222222222222222222222222222222222222\", \"id\": \"b\"}, "
			   "\"content/a.md\": {\"first\": 1, \"hash\": "
			   "\"1111111111111111111111111111111111111111\", \"id\": \"a\"}}";
	json_t *j = json_loads(good, 0, NULL);
	nb_audit_docs m = { 0 };
	NB_CHECK(nb_audit_docs_from_json(&m, j, err, sizeof(err)) == 0 && m.len == 2);
	NB_CHECK(m.len == 2 && !strcmp(nb_audit_doc_path(&m, &m.items[0]), "content/a.md"));
	json_t *back = nb_audit_docs_json(&m);
	NB_CHECK(json_equal(back, j));
	json_decref(back);
	json_decref(j);
	nb_audit_docs_free(&m);
	NB_CHECK(nb_audit_docs_from_json(&m, NULL, err, sizeof(err)) == 0 && m.len == 0);
}

NB_TEST_MAIN("docs", NB_CASE(sorted_and_found), NB_CASE(changes_by_merging),
	     NB_CASE(from_a_manifest_only_whole))

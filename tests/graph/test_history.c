/*
 * test_history.c - the publication history as linking gives it to pages
 * (graph/history.c): each document's "first published in #N · amended in
 * #M" and its last correction are made in its page's view from the
 * publications that listed it, never held in the graph, whatever order
 * the publications list it in.
 */
#include "harness.h"

#include "fixture_site.h"
#include "audit/audit.h"
#include "graph/history.h"

#include <string.h>

static json_t *entry(int number, const char *recorded, const char *added, const char *changed,
		     const char *note)
{
	json_t *e = json_pack("{s:i, s:s, s:s, s:[], s:[], s:[]}", "number", number, "recorded",
			      recorded, "as_of", recorded, "added", "changed", "removed");
	if (added)
		json_array_append_new(json_object_get(e, "added"),
				      json_pack("{s:s, s:s}", "path", "x.md", "id", added));
	if (changed) {
		json_t *c = json_pack("{s:s, s:s, s:[{s:s, s:s, s:s}], s:[]}", "path", "x.md", "id",
				      changed, "fields", "field", "title", "from", "a", "to", "b",
				      "lines");
		if (note)
			json_object_set_new(c, "change_note", json_string(note));
		json_array_append_new(json_object_get(e, "changed"), c);
	}
	return e;
}

static long num(const json_t *o, const char *k)
{
	return (long)json_integer_value(json_object_get(o, k));
}

NB_TEST(test_history_is_a_view)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	json_t *h = json_array();
	json_array_append_new(h, entry(1, "2024-05-01", "m1", NULL, NULL));
	json_array_append_new(h, entry(2, "2024-05-10", "d-open", "m1", "corrected the attendance"));
	json_array_append_new(h, entry(3, "2024-06-01", NULL, "m1", NULL));
	json_array_append_new(h, entry(4, "2024-06-02", NULL, "unknown-id", "not a page here"));
	json_t *before = json_deep_copy(h);
	nb_history_link(&f.s, h);

	/* The graph holds no document's history. */
	for (size_t i = 0; i < f.s.len; i++) {
		const json_t *pg = f.s.pages[i].page;
		NB_CHECK(!json_object_get(pg, "history") && !json_object_get(pg, "last_change"));
	}
	const json_t *m1 = fixture_page(&f, "m1"), *hist = json_object_get(m1, "history");
	NB_CHECK(num(json_object_get(hist, "first"), "number") == 1);
	NB_CHECK_STR(json_string_value(json_object_get(json_object_get(hist, "first"), "url")),
		     "/history/1/#doc-m1");
	NB_CHECK(!json_object_get(json_object_get(hist, "first"), "sep"));
	const json_t *am = json_object_get(hist, "amended");
	NB_CHECK(json_array_size(am) == 2);
	NB_CHECK(num(json_array_get(am, 0), "number") == 2);
	NB_CHECK(num(json_array_get(am, 1), "number") == 3);
	NB_CHECK(json_is_false(json_object_get(json_array_get(am, 0), "sep")));
	NB_CHECK(json_is_true(json_object_get(json_array_get(am, 1), "sep")));
	NB_CHECK(json_is_true(json_object_get(hist, "has_amended")));
	/* Its last correction: the latest amendment that said why. */
	const json_t *lc = json_object_get(m1, "last_change");
	NB_CHECK_STR(json_string_value(json_object_get(lc, "note")), "corrected the attendance");
	NB_CHECK(num(lc, "number") == 2);
	NB_CHECK(json_object_get(lc, "date_display") != NULL);

	const json_t *d = fixture_page(&f, "d-open");
	hist = json_object_get(d, "history");
	NB_CHECK(num(json_object_get(hist, "first"), "number") == 2);
	NB_CHECK(json_array_size(json_object_get(hist, "amended")) == 0);
	NB_CHECK(json_is_false(json_object_get(hist, "has_amended")));
	NB_CHECK(!json_object_get(d, "last_change"));
	/* A document no publication listed has no history line. */
	NB_CHECK(!json_object_get(fixture_page(&f, "m2"), "history"));

	/* The history pages' documents are views too: the graph's entries
	 * are as read, each page's view shows its own. */
	size_t i;
	json_t *pub, *hp;
	json_array_foreach(f.s.pubs, i, pub)
		for (size_t l = 0; l < 3; l++) {
			static const char *const lists[] = { "added", "changed", "removed" };
			size_t j;
			json_t *e;
			json_array_foreach(json_object_get(pub, lists[l]), j, e)
				NB_CHECK(!json_object_get(e, "anchor") && !json_object_get(e, "change_url"));
		}
	int seen_pub = 0, seen_index = 0;
	json_array_foreach(f.s.history, i, hp) {
		json_t *pg = nb_history_page_view(&f.s, hp);
		const json_t *shown = json_object_get(pg, "publication");
		if (shown && num(shown, "number") == 2) {
			seen_pub = 1;
			const json_t *a = json_array_get(json_object_get(shown, "added"), 0);
			NB_CHECK_STR(json_string_value(json_object_get(a, "anchor")), "doc-d-open");
			NB_CHECK(json_object_get(a, "doc_url") != NULL);
			NB_CHECK(json_object_get(a, "title") != NULL);
			const json_t *c = json_array_get(json_object_get(shown, "changed"), 0);
			NB_CHECK_STR(json_string_value(json_object_get(c, "change_url")),
				     "/history/2/#doc-m1");
			NB_CHECK(json_is_true(json_object_get(shown, "has_changed")));
			NB_CHECK(json_is_false(json_object_get(shown, "has_removed")));
		}
		const json_t *listed = json_object_get(pg, "publications");
		if (listed) {
			seen_index = 1;
			/* Newest first; publication 4's document is not a page here. */
			const json_t *p4 = json_array_get(listed, 0);
			NB_CHECK(num(p4, "number") == 4);
			const json_t *c = json_array_get(json_object_get(p4, "changed"), 0);
			NB_CHECK_STR(json_string_value(json_object_get(c, "title")), "unknown-id");
			NB_CHECK(!json_object_get(c, "doc_url"));
		}
		json_decref(pg);
	}
	NB_CHECK(seen_pub && seen_index);
	/* The history given is never changed: publish remembers the very
	 * entries it gave the build (audit/publish.c). */
	NB_CHECK(json_equal(h, before));
	json_decref(before);
	json_decref(h);
	fixture_free(&f);
}

/* Every object under `v` has its keys in strcmp order. */
static int in_order(const json_t *v)
{
	size_t i;
	const json_t *e;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (!in_order(e))
				return 0;
		return 1;
	}
	if (!json_is_object(v))
		return 1;
	const char *k, *prev = NULL;
	json_object_foreach((json_t *)v, k, e) {
		if ((prev && strcmp(prev, k) >= 0) || !in_order(e))
			return 0;
		prev = k;
	}
	return 1;
}

/* An entry as read from the commits lists its documents with their keys
 * in order, as the remembered entries have them, so linking shares the
 * first publication's list of every document rather than copying it. */
NB_TEST(test_history_entry_documents_in_key_order)
{
	nb_oid h1, h2;
	memset(&h1, 1, sizeof(h1));
	memset(&h2, 2, sizeof(h2));
	nb_audit_docs before = { 0 }, now = { 0 };
	nb_audit_docs_add(&before, "content/meetings/gone.md", "gone", &h1, 1);
	nb_audit_docs_add(&before, "content/meetings/kept.md", "kept", &h1, 1);
	nb_audit_docs_add(&now, "content/meetings/kept.md", "kept", &h1, 1);
	nb_audit_docs_add(&now, "content/meetings/new.md", "new", &h2, 2);
	nb_audit_docs_sort(&before);
	nb_audit_docs_sort(&now);
	nb_history_pending p = { .number = 2, .as_of = "2024-05-01", .publisher = "Li Mei",
				 .message = "Publication 2: minutes", .docs = &now,
				 .email = "li@example.org" };
	json_t *e = NULL;
	/* No changed document, so no blob is read: no repository needed. */
	NB_CHECK(nb_history_entry(NULL, &p, &before, &e) == 0);
	const json_t *added = json_object_get(e, "added"), *removed = json_object_get(e, "removed");
	NB_CHECK(json_array_size(added) == 1 && json_array_size(removed) == 1);
	NB_CHECK_STR(json_string_value(json_object_get(json_array_get(added, 0), "id")), "new");
	NB_CHECK_STR(json_string_value(json_object_get(json_array_get(removed, 0), "path")),
		     "content/meetings/gone.md");
	NB_CHECK(in_order(added) && in_order(removed));
	json_decref(e);
	nb_audit_docs_free(&before);
	nb_audit_docs_free(&now);
}

NB_TEST_MAIN("history", NB_CASE(test_history_is_a_view),
	     NB_CASE(test_history_entry_documents_in_key_order))

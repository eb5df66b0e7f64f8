/*
 * test_index.c - typed records and the link stage's indexes (index.h).
 *
 * A small site is made in memory (documents with front matter, pages in
 * content order) and every lookup is checked against what the scans the
 * index replaced returned: versions found within their own community only,
 * the first in content order among duplicates, the version in force the
 * highest that has taken effect, pages by kind in content order. A large
 * community checks that answers do not depend on its size.
 */
#include "harness.h"

#include "graph/index.h"
#include "load/meta.h"

typedef struct fake_site {
	nb_doc docs[64];
	const nb_doc *ptrs[64];
	size_t n;
	json_t *by_id;
} fake_site;

static size_t add(fake_site *f, const char *kind, const char *id, json_t *meta)
{
	size_t i = f->n++;
	f->docs[i].kind = (char *)kind;
	f->docs[i].id = (char *)id;
	nb_doc_meta_set(&f->docs[i], meta);
	json_decref(meta);
	f->ptrs[i] = &f->docs[i];
	json_object_set_new(f->by_id, id, json_integer((json_int_t)i));
	return i;
}

static size_t charter(fake_site *f, const char *id, const char *community, int version,
		      const char *effective)
{
	json_t *m = json_pack("{s:s, s:i}", "community", community, "version", version);
	if (effective)
		json_object_set_new(m, "effective", json_string(effective));
	return add(f, "charters", id, m);
}

static void fake_free(fake_site *f)
{
	for (size_t i = 0; i < f->n; i++)
		nb_doc_meta_free(&f->docs[i]);
	json_decref(f->by_id);
}

NB_TEST(kinds_in_content_order)
{
	fake_site f = { .by_id = json_object() };
	add(&f, "communities", "a", json_object());
	add(&f, "meetings", "m1", json_pack("{s:s, s:s}", "community", "a", "date", "2024-01-02"));
	add(&f, "notes", "x", json_object());
	add(&f, "meetings", "m2", json_pack("{s:s}", "community", "a"));
	nb_site_index ix;
	NB_CHECK(nb_site_index_build(&ix, f.ptrs, f.n, f.by_id, "2025-01-01") == 0);
	const size_t *v;
	NB_CHECK(nb_site_index_kind(&ix, NB_KIND_MEETING, &v) == 2 && v[0] == 1 && v[1] == 3);
	NB_CHECK(nb_site_index_kind(&ix, NB_KIND_COMMUNITY, &v) == 1 && v[0] == 0);
	NB_CHECK(nb_site_index_kind(&ix, NB_KIND_OTHER, &v) == 1 && v[0] == 2);
	NB_CHECK(nb_site_index_kind(&ix, NB_KIND_CHARTER, &v) == 0);
	NB_CHECK(ix.rec[1].community == 0 && ix.rec[3].community == 0);
	NB_CHECK(!strcmp(ix.rec[1].as.meeting.date, "2024-01-02"));
	NB_CHECK(ix.rec[0].group == -1 && ix.rec[1].group == ix.rec[3].group);
	nb_site_index_free(&ix);
	fake_free(&f);
}

NB_TEST(charter_versions_stay_in_their_community)
{
	fake_site f = { .by_id = json_object() };
	add(&f, "communities", "a", json_object());
	size_t a2 = charter(&f, "a2", "a", 2, "2020-01-01");
	size_t b1 = charter(&f, "b1", "b", 1, NULL); /* "b" is not published */
	size_t a1 = charter(&f, "a1", "a", 1, "2019-01-01");
	size_t b2 = charter(&f, "b2", "b", 2, NULL);
	nb_site_index ix;
	nb_site_index_build(&ix, f.ptrs, f.n, f.by_id, "2025-01-01");
	const size_t *c;
	NB_CHECK(nb_site_index_charters(&ix, a2, &c) == 2 && c[0] == a1 && c[1] == a2);
	NB_CHECK(nb_site_index_charter_of_version(&ix, a2, 1) == (long)a1);
	NB_CHECK(nb_site_index_charter_of_version(&ix, b2, 1) == (long)b1);
	NB_CHECK(nb_site_index_charter_of_version(&ix, a1, 0) == -1);
	NB_CHECK(nb_site_index_charter_of_version(&ix, a1, 3) == -1);
	NB_CHECK(nb_site_index_charter_in_force(&ix, a1) == (long)a2);
	NB_CHECK(nb_site_index_charter_in_force(&ix, b1) == (long)b2);
	NB_CHECK(ix.rec[b1].community == -1 && ix.rec[a1].community == 0);
	/* A community's own page finds its charters too. */
	NB_CHECK(nb_site_index_charters(&ix, 0, &c) == 0); /* no `community` field */
	nb_site_index_free(&ix);
	fake_free(&f);
}

NB_TEST(in_force_is_the_highest_effective_first_among_equals)
{
	fake_site f = { .by_id = json_object() };
	size_t v1 = charter(&f, "v1", "a", 1, "2019-01-01");
	size_t v2 = charter(&f, "v2", "a", 2, NULL);
	size_t v2b = charter(&f, "v2b", "a", 2, "2020-01-01");
	size_t v3 = charter(&f, "v3", "a", 3, "2030-01-01"); /* adopted, not yet in effect */
	nb_site_index ix;
	nb_site_index_build(&ix, f.ptrs, f.n, f.by_id, "2025-06-30");
	NB_CHECK(nb_site_index_charter_in_force(&ix, v1) == (long)v2);
	NB_CHECK(nb_site_index_charter_of_version(&ix, v3, 2) == (long)v2);
	NB_CHECK(nb_site_index_charter_of_version(&ix, v1, 3) == (long)v3);
	const size_t *c;
	NB_CHECK(nb_site_index_charters(&ix, v1, &c) == 4 && c[1] == v2 && c[2] == v2b);
	nb_site_index_free(&ix);
	/* The day it takes effect, v3 is in force. */
	nb_site_index_build(&ix, f.ptrs, f.n, f.by_id, "2030-01-01");
	NB_CHECK(nb_site_index_charter_in_force(&ix, v2b) == (long)v3);
	nb_site_index_free(&ix);
	/* Before anything took effect only the undated v2 is. */
	nb_site_index_build(&ix, f.ptrs, f.n, f.by_id, "2000-01-01");
	NB_CHECK(nb_site_index_charter_in_force(&ix, v3) == (long)v2);
	nb_site_index_free(&ix);
	fake_free(&f);
}

NB_TEST(many_versions_found_by_search)
{
	static char ids[60][16];
	fake_site f = { .by_id = json_object() };
	/* Versions 59..0 in reverse content order: sorting, not order of appearance. */
	for (int v = 59; v >= 0; v--) {
		snprintf(ids[v], sizeof(ids[v]), "c%d", v);
		charter(&f, ids[v], "a", v, NULL);
	}
	nb_site_index ix;
	nb_site_index_build(&ix, f.ptrs, f.n, f.by_id, "2025-01-01");
	int ok = 1;
	for (int v = 0; v < 60; v++)
		ok &= nb_site_index_charter_of_version(&ix, 0, v) == (long)(59 - v);
	NB_CHECK(ok);
	NB_CHECK(nb_site_index_charter_in_force(&ix, 5) == 0); /* version 59 */
	nb_site_index_free(&ix);
	fake_free(&f);
}

NB_TEST(decision_references_resolved)
{
	fake_site f = { .by_id = json_object() };
	add(&f, "meetings", "m", json_object());
	add(&f, "decisions", "d1", json_pack("{s:s}", "meeting", "m"));
	add(&f, "decisions", "d2", json_pack("{s:s, s:s, s:s}", "meeting", "gone", "supersedes", "d1",
					     "period", "2024"));
	add(&f, "evaluations", "e", json_pack("{s:s}", "period", "2024-Q1"));
	nb_site_index ix;
	nb_site_index_build(&ix, f.ptrs, f.n, f.by_id, "2025-01-01");
	NB_CHECK(ix.rec[1].as.decision.meeting == 0 && ix.rec[1].as.decision.supersedes == -1);
	NB_CHECK(ix.rec[2].as.decision.meeting == -1 && ix.rec[2].as.decision.supersedes == 1);
	NB_CHECK(!strcmp(ix.rec[3].as.evaluation.period, "2024-Q1"));
	NB_CHECK(nb_kind_of("evaluations") == NB_KIND_EVALUATION && nb_kind_of(NULL) == NB_KIND_OTHER);
	nb_site_index_free(&ix);
	fake_free(&f);
}

/* A meeting's decisions, for its page's view: those naming it, in content
 * order, whatever comes between; not those naming another meeting, a page
 * that is not a meeting, or nothing published. */
NB_TEST(decisions_by_meeting)
{
	fake_site f = { .by_id = json_object() };
	add(&f, "decisions", "d0", json_pack("{s:s}", "meeting", "m2"));
	size_t m1 = add(&f, "meetings", "m1", json_object());
	add(&f, "decisions", "d1", json_pack("{s:s}", "meeting", "m1"));
	size_t m2 = add(&f, "meetings", "m2", json_object());
	add(&f, "decisions", "d2", json_pack("{s:s}", "meeting", "c"));
	size_t c = add(&f, "communities", "c", json_object());
	add(&f, "decisions", "d3", json_pack("{s:s}", "meeting", "m2"));
	add(&f, "decisions", "d4", json_pack("{s:s}", "meeting", "gone"));
	add(&f, "decisions", "d5", json_pack("{s:s}", "meeting", "m1"));
	nb_site_index ix;
	nb_site_index_build(&ix, f.ptrs, f.n, f.by_id, "2025-01-01");
	const size_t *d;
	NB_CHECK(nb_site_index_decisions(&ix, m1, &d) == 2 && d[0] == 2 && d[1] == 8);
	NB_CHECK(nb_site_index_decisions(&ix, m2, &d) == 2 && d[0] == 0 && d[1] == 6);
	NB_CHECK(nb_site_index_decisions(&ix, c, &d) == 0);
	NB_CHECK(nb_site_index_decisions(&ix, 2, &d) == 0);
	nb_site_index_free(&ix);
	fake_free(&f);
}

/* The version each follows is the closest lower one of its own community,
 * across gaps in the numbers, in any content order. */
NB_TEST(charter_before_skips_gaps)
{
	fake_site f = { .by_id = json_object() };
	size_t a7 = charter(&f, "a7", "a", 7, NULL);
	size_t b2 = charter(&f, "b2", "b", 2, NULL);
	size_t a1 = charter(&f, "a1", "a", 1, NULL);
	size_t a3 = charter(&f, "a3", "a", 3, NULL);
	size_t a1000 = charter(&f, "a1000", "a", 1000, NULL);
	nb_site_index ix;
	nb_site_index_build(&ix, f.ptrs, f.n, f.by_id, "2025-01-01");
	NB_CHECK(nb_site_index_charter_before(&ix, a1) == -1);
	NB_CHECK(nb_site_index_charter_before(&ix, a3) == (long)a1);
	NB_CHECK(nb_site_index_charter_before(&ix, a7) == (long)a3);
	NB_CHECK(nb_site_index_charter_before(&ix, a1000) == (long)a7);
	NB_CHECK(nb_site_index_charter_before(&ix, b2) == -1);
	nb_site_index_free(&ix);
	fake_free(&f);
}

NB_TEST_MAIN("index", NB_CASE(kinds_in_content_order),
	     NB_CASE(charter_versions_stay_in_their_community),
	     NB_CASE(in_force_is_the_highest_effective_first_among_equals),
	     NB_CASE(many_versions_found_by_search), NB_CASE(decision_references_resolved),
	     NB_CASE(decisions_by_meeting), NB_CASE(charter_before_skips_gaps))

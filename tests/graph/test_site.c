/*
 * test_site.c - the link stage (graph/site.c and the passes it runs):
 * what it derives from a small site (tests/fixture_site.h) written to a
 * temporary folder and loaded through the real stages. The e2e suites see
 * the same data as HTML; these look at the graph itself, so a wrong
 * derivation is named here rather than found in a page.
 */
#include "harness.h"

#include "fixture_site.h"
#include "graph/trends.h"
#include "load/meta.h"
#include "schema/validate.h"

static const char *s_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The ids (from "url") of the items in array `key` of `page`, joined by
 * spaces, into buf. */
static const char *urls(const json_t *page, const char *key, char *buf, size_t n)
{
	buf[0] = 0;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(page, key), i, it) {
		const char *u = s_of(it, "url");
		strncat(buf, u ? u : "?", n - strlen(buf) - 2);
		strcat(buf, " ");
	}
	return buf;
}

NB_TEST(test_links_cleanly)
{
	fixture f;
	int rc = fixture_open(&f, "2024-07-01");
	if (rc)
		nb_diag_print(&f.d, stderr, 0);
	NB_CHECK(rc == 0);
	NB_CHECK(f.s.len == 11);
	NB_CHECK_STR(s_of(fixture_page(&f, "m1"), "url"), "/meetings/m1/");
	NB_CHECK_STR(f.s.pages[nb_site_find(&f.s, "m1")].out_path, "meetings/m1/index.html");
	NB_CHECK(nb_site_find(&f.s, "nothing") == -1);
	fixture_free(&f);
}

/* What these tests derive from must be a record `noticeboard check`
 * accepts: linking runs no checks, so a fixture the checks refuse (a
 * committee too small, more votes than attendees) would have the tests
 * assert what no real build ever links. */
NB_TEST(test_fixture_is_a_valid_record)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	nb_diag d;
	nb_diag_init(&d);
	nb_diag_set_language(&d, f.cfg.language);
	NB_CHECK(nb_validate(&f.c, &f.cfg, &d) == 0);
	if (d.errors || d.warnings)
		nb_diag_print(&d, stderr, 0);
	NB_CHECK(d.errors == 0);
	NB_CHECK(d.warnings == 0);
	nb_diag_free(&d);
	fixture_free(&f);
}

NB_TEST(test_meeting_lists_its_decisions)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	char b[512];
	/* Both decisions of m1, newest first (same date: by URL); not m2's. */
	NB_CHECK_STR(urls(fixture_page(&f, "m1"), "decisions", b, sizeof(b)),
		     "/decisions/d-late/ /decisions/d-open/ ");
	NB_CHECK_STR(urls(fixture_page(&f, "m2"), "decisions", b, sizeof(b)),
		     "/decisions/d-no/ ");
	/* Attendance: three present of four expected. */
	NB_CHECK(json_integer_value(json_object_get(fixture_page(&f, "m1"), "attendee_count")) == 3);
	NB_CHECK(json_integer_value(json_object_get(fixture_page(&f, "m1"), "member_count")) == 4);
	/* The decision names its meeting. */
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "d-open"), "meeting"), "url"),
		     "/meetings/m1/");
	fixture_free(&f);
}

/* What only a meeting's own page shows is made with its context
 * (site.h nb_site_page_view), not held in the graph; its item has what
 * lists, feeds and exports read. */
NB_TEST(test_meeting_page_is_a_view)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-06-01") == 0);
	const nb_page *m1 = &f.s.pages[nb_site_find(&f.s, "m1")];
	const nb_page *m2 = &f.s.pages[nb_site_find(&f.s, "m2")];
	NB_CHECK(json_object_get(m1->page, "attendees") == NULL);
	NB_CHECK(json_object_get(m1->page, "approved_at") == NULL);
	json_t *v1 = nb_site_page_view(&f.s, m1), *v2 = nb_site_page_view(&f.s, m2);
	NB_CHECK_STR(s_of(v1, "time"), "19:00–21:00");
	NB_CHECK_STR(json_string_value(json_array_get(json_object_get(v1, "agenda"), 1)), "Bins");
	NB_CHECK(json_array_size(json_object_get(v1, "absent")) == 1);
	NB_CHECK_STR(s_of(v1, "status"), "approved");
	NB_CHECK(json_object_get(v1, "upcoming") == NULL);
	/* The graph's own fields are all there too. */
	NB_CHECK_STR(s_of(v1, "url"), "/meetings/m1/");
	NB_CHECK(json_array_size(json_object_get(v1, "decisions")) == 2);
	/* m2 is after the build's date: announced, in its page and its item. */
	NB_CHECK_STR(s_of(v2, "status"), "upcoming");
	NB_CHECK(json_is_true(json_object_get(v2, "upcoming")));
	NB_CHECK(json_is_true(json_object_get(m2->item, "upcoming")));
	NB_CHECK_STR(s_of(m2->item, "status"), "upcoming");
	/* The approving meeting is its final item, though m2 comes after
	 * m1 in content order: its status and its kind's own label. */
	json_t *ap = json_object_get(v1, "approved_at");
	NB_CHECK_STR(s_of(ap, "url"), "/meetings/m2/");
	NB_CHECK_STR(s_of(ap, "status"), "upcoming");
	NB_CHECK_STR(s_of(ap, "kind_label"), nb_site_label(&f.s, "meeting_kinds", "plenary"));
	NB_CHECK_STR(s_of(m2->item, "kind_label"), nb_site_label(&f.s, "meeting_kinds", "plenary"));
	json_decref(v1);
	json_decref(v2);
	fixture_free(&f);
}

/* The fields every page has are not held twice: the graph keeps its
 * item (lists, feeds, exports and other pages read it) and, in
 * nb_page.page, only what linking derived for it, or nothing; the page's
 * view makes them from the item, the typed fields and the document. */
static const char *const common[] = { "title", "id", "kind", "kind_label", "layout", "url",
				      "permalink", "description", "summary", "meta", "draft",
				      "date", "date_display", "community" };

NB_TEST(test_common_fields_are_a_view)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	/* No page keeps them in the graph, and every page's view has them
	 * (a draft flag, a community and a date where the page has one). */
	for (size_t i = 0; i < f.s.len; i++) {
		const nb_page *p = &f.s.pages[i];
		const json_t *v = fixture_page(&f, p->doc->id);
		for (size_t k = 0; k < sizeof(common) / sizeof(common[0]); k++) {
			NB_CHECK(json_object_get(p->page, common[k]) == NULL);
			if (strcmp(common[k], "draft") && strcmp(common[k], "community") &&
			    strcmp(common[k], "date") && strcmp(common[k], "date_display"))
				NB_CHECK(json_object_get(v, common[k]) != NULL);
		}
	}
	/* A decision nothing supersedes and a plain page: nothing derived
	 * (nor for a meeting or an evaluation, below). */
	const nb_page *about = &f.s.pages[nb_site_find(&f.s, "about")];
	NB_CHECK(f.s.pages[nb_site_find(&f.s, "d-open")].page == NULL);
	NB_CHECK(about->page == NULL);
	const json_t *a = fixture_page(&f, "about");
	NB_CHECK_STR(s_of(a, "title"), "About <us> & them");
	NB_CHECK_STR(s_of(a, "id"), "about");
	NB_CHECK_STR(s_of(a, "kind"), "pages");
	NB_CHECK_STR(s_of(a, "kind_label"), nb_site_label(&f.s, "kinds", "pages"));
	NB_CHECK_STR(s_of(a, "layout"), "page");
	NB_CHECK_STR(s_of(a, "url"), "/pages/about/");
	NB_CHECK_STR(s_of(a, "permalink"), "/pages/about/");
	/* No `summary:`: the first words of its text, for both. */
	NB_CHECK_STR(s_of(a, "description"), "We are here.");
	NB_CHECK_STR(s_of(a, "summary"), "We are here.");
	json_t *am = nb_doc_meta(about->doc);
	NB_CHECK(json_equal(json_object_get(a, "meta"), am));
	NB_CHECK_STR(s_of(json_object_get(a, "meta"), "title"), "About <us> & them");
	json_decref(am);
	NB_CHECK(json_object_get(a, "draft") == NULL);
	NB_CHECK_STR(s_of(a, "date"), "2024-01-05");
	NB_CHECK(s_of(a, "date_display") && strstr(s_of(a, "date_display"), "2024"));
	NB_CHECK(json_object_get(a, "community") == NULL);
	/* A meeting: its kind's own label, its layout, its community, and
	 * what linking derived (its decisions) beside the view's fields. */
	const json_t *m1 = fixture_page(&f, "m1");
	NB_CHECK_STR(s_of(m1, "kind_label"), nb_site_label(&f.s, "meeting_kinds", "plenary"));
	NB_CHECK_STR(s_of(m1, "layout"), "meeting");
	NB_CHECK_STR(s_of(json_object_get(m1, "community"), "url"), "/communities/hl/");
	NB_CHECK_STR(s_of(m1, "date"), "2024-03-08");
	NB_CHECK(json_array_size(json_object_get(m1, "decisions")) == 2);
	NB_CHECK_STR(s_of(m1, "time"), "19:00–21:00");
	/* Its values are the item's, shared, not copies. */
	const nb_page *pm1 = &f.s.pages[nb_site_find(&f.s, "m1")];
	NB_CHECK(json_object_get(m1, "title") == json_object_get(pm1->item, "title"));
	NB_CHECK(json_object_get(m1, "description") == json_object_get(pm1->item, "summary"));
	/* A charter: dated by `effective`, with its version facts. */
	const json_t *v2 = fixture_page(&f, "hl/v2");
	NB_CHECK_STR(s_of(v2, "date"), "2024-12-01");
	NB_CHECK_STR(s_of(v2, "changes_url"), "/charters/hl/v2/changes/");
	/* A meeting's decisions are its view's too, from the index: the graph
	 * holds nothing of m1's or m2's page. */
	NB_CHECK(pm1->page == NULL);
	NB_CHECK(f.s.pages[nb_site_find(&f.s, "m2")].page == NULL);
	/* An absolute base_url: the permalink is there, the URL a path. */
	char *base = f.cfg.base_url;
	f.cfg.base_url = (char *)"https://example.org/hl/";
	json_t *v = nb_site_page_view(&f.s, pm1);
	f.cfg.base_url = base;
	NB_CHECK_STR(s_of(v, "permalink"), "https://example.org/hl/meetings/m1/");
	NB_CHECK_STR(s_of(v, "url"), "/meetings/m1/");
	json_decref(v);
	fixture_free(&f);
}

NB_TEST(test_decision_status_as_of)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	NB_CHECK_STR(s_of(fixture_page(&f, "d-open"), "status"), "open");
	NB_CHECK_STR(s_of(fixture_page(&f, "d-late"), "status"), "overdue");
	/* Overdue from the day after it was due. */
	NB_CHECK(json_object_get(fixture_page(&f, "d-late"), "overdue_since") != NULL);
	/* No result typed: the votes (1 for, 2 against) reject it, and what
	 * was rejected is not carried out, so it has no status at all. */
	NB_CHECK_STR(s_of(fixture_page(&f, "d-no"), "result"), "rejected");
	NB_CHECK(json_object_get(fixture_page(&f, "d-no"), "status") == NULL);
	NB_CHECK_STR(s_of(fixture_page(&f, "d-late"), "result"), "adopted");
	/* Those are its page's view (site.h); its item has what lists show,
	 * the same date it is overdue from. */
	const nb_page *late = &f.s.pages[nb_site_find(&f.s, "d-late")];
	NB_CHECK(json_object_get(late->page, "status") == NULL);
	NB_CHECK(json_object_get(late->page, "progress") == NULL);
	NB_CHECK_STR(s_of(late->item, "status"), "overdue");
	NB_CHECK(json_object_get(fixture_page(&f, "d-late"), "overdue_since") ==
		 json_object_get(late->item, "overdue_since"));
	/* Its meeting's final item, though decisions come before meetings
	 * in content order: with the meeting's status. */
	const json_t *mt = json_object_get(fixture_page(&f, "d-late"), "meeting");
	NB_CHECK_STR(s_of(mt, "title"), "March plenary");
	NB_CHECK_STR(s_of(mt, "status"), "approved");
	NB_CHECK_STR(s_of(f.s.pages[nb_site_find(&f.s, "m1")].item, "status"), "approved");
	fixture_free(&f);
	/* Before its due date the same decision is open. */
	NB_CHECK(fixture_open(&f, "2024-04-15") == 0);
	NB_CHECK_STR(s_of(fixture_page(&f, "d-late"), "status"), "open");
	NB_CHECK(json_object_get(fixture_page(&f, "d-late"), "overdue_since") == NULL);
	fixture_free(&f);
}

NB_TEST(test_charter_in_force)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	long v1 = nb_site_find(&f.s, "hl/v1"), v2 = nb_site_find(&f.s, "hl/v2");
	NB_CHECK(v1 >= 0 && v2 >= 0);
	if (v1 < 0 || v2 < 0) {
		fixture_free(&f);
		return;
	}
	const json_t *p1 = f.s.pages[v1].page, *p2 = f.s.pages[v2].page;
	/* v2 is adopted but effective only from December: v1 is in force,
	 * v2 is the latest. */
	NB_CHECK(json_is_true(json_object_get(p1, "in_force")));
	NB_CHECK(json_object_get(p2, "in_force") == NULL);
	NB_CHECK(json_is_true(json_object_get(p2, "is_latest")));
	NB_CHECK(json_object_get(p1, "is_latest") == NULL);
	NB_CHECK_STR(s_of(json_object_get(p2, "in_force_version"), "url"), "/charters/hl/v1/");
	/* The community page shows the charter in force. */
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "hl"), "charter"), "url"),
		     "/charters/hl/v1/");
	/* v2 is compared with v1 on a page of its own. */
	NB_CHECK_STR(s_of(p2, "changes_url"), "/charters/hl/v2/changes/");
	/* The versions list is a view made when rendering (site.h), not held
	 * in the graph: v2's marks v2 viewed and v1 in force. */
	NB_CHECK(json_object_get(p2, "versions") == NULL);
	/* So are its articles, split from its source (its contents list). */
	NB_CHECK(json_object_get(p2, "articles") == NULL);
	const json_t *arts = json_object_get(fixture_page(&f, "hl/v2"), "articles");
	NB_CHECK(json_array_size(arts) == 2);
	NB_CHECK_STR(s_of(json_array_get(arts, 0), "title"), "Article 1 General");
	NB_CHECK_STR(s_of(json_array_get(arts, 1), "title"), "Article 2 Bins");
	NB_CHECK(s_of(json_array_get(arts, 1), "id") != NULL);
	json_t *vs = nb_charters_versions(&f.s, &f.s.pages[v2], 1);
	NB_CHECK(json_array_size(vs) == 2);
	NB_CHECK(json_is_true(json_object_get(json_array_get(vs, 0), "in_force")));
	NB_CHECK(json_object_get(json_array_get(vs, 0), "viewing") == NULL);
	NB_CHECK(json_is_true(json_object_get(json_array_get(vs, 1), "viewing")));
	NB_CHECK_STR(s_of(json_array_get(vs, 1), "changes_url"), "/charters/hl/v2/changes/");
	json_decref(vs);
	/* So is the comparison: the page the graph holds has none. */
	json_t *compare = NULL;
	for (size_t i = 0; i < f.s.n_extra; i++)
		if (!strcmp(f.s.extra[i].out_path, "charters/hl/v2/changes/index.html")) {
			NB_CHECK(json_object_get(f.s.extra[i].page, "compare") == NULL);
			compare = nb_charters_compare_view(&f.s, &f.s.extra[i]);
		}
	NB_CHECK(compare != NULL);
	/* The changed article's diff is data, spans in order; the markup is
	 * render/'s (diffhtml.h). */
	const json_t *art = json_array_get(json_object_get(json_object_get(compare, "compare"),
							   "changed"), 0);
	const json_t *diff = json_object_get(art, "diff");
	NB_CHECK(json_array_size(diff) == 3);
	NB_CHECK_STR(s_of(json_array_get(diff, 0), "kind"), "delete");
	NB_CHECK_STR(s_of(json_array_get(diff, 0), "text"), "Old");
	NB_CHECK_STR(s_of(json_array_get(diff, 1), "kind"), "insert");
	NB_CHECK_STR(s_of(json_array_get(diff, 1), "text"), "New");
	NB_CHECK_STR(s_of(json_array_get(diff, 2), "kind"), "equal");
	NB_CHECK(json_object_get(art, "diff_html") == NULL);
	NB_CHECK(json_object_get(art, "text_html") == NULL);
	NB_CHECK_STR(s_of(art, "text"), "New text.");
	NB_CHECK(json_object_get(art, "title_diff") == NULL);
	json_decref(compare);
	fixture_free(&f);
	/* From its effective date on, v2 is in force. */
	NB_CHECK(fixture_open(&f, "2024-12-01") == 0);
	NB_CHECK(json_is_true(json_object_get(fixture_page(&f, "hl/v2"), "in_force")));
	NB_CHECK(json_object_get(fixture_page(&f, "hl/v1"), "in_force") == NULL);
	fixture_free(&f);
}

NB_TEST(test_evaluation_change)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	const json_t *q2 = fixture_page(&f, "q2"), *q1 = fixture_page(&f, "q1");
	NB_CHECK_STR(s_of(json_object_get(q2, "previous"), "url"), "/evaluations/q1/");
	NB_CHECK(json_object_get(q1, "previous") == NULL);
	/* A rate up by 4 points is better; complaints up is worse; a cost
	 * down is better. */
	const json_t *inf = fixture_indicator(q2, "informed");
	NB_CHECK_STR(s_of(inf, "trend"), "up");
	NB_CHECK(json_is_true(json_object_get(inf, "better")));
	NB_CHECK_CONTAINS(s_of(inf, "change_display"), "+4.0");
	const json_t *cmp = fixture_indicator(q2, "complaints");
	NB_CHECK_STR(s_of(cmp, "trend"), "up");
	NB_CHECK(json_is_true(json_object_get(cmp, "worse")));
	const json_t *cost = fixture_indicator(q2, "admin_cost");
	NB_CHECK_STR(s_of(cost, "trend"), "down");
	NB_CHECK(json_is_true(json_object_get(cost, "better")));
	NB_CHECK_STR(s_of(fixture_indicator(q2, "cases"), "trend"), "same");
	/* The first period has nothing to compare with. */
	NB_CHECK(json_object_get(fixture_indicator(q1, "informed"), "change_display") == NULL);
	/* The rows are q2's view (site.h): the graph keeps the previous
	 * period's page, and what other pages read, the period's name, in
	 * its item; its page holds nothing (the link to the street
	 * comparison is the same for all and made with the view). */
	const nb_page *p2 = &f.s.pages[nb_site_find(&f.s, "q2")];
	NB_CHECK(json_object_get(p2->page, "indicators") == NULL);
	NB_CHECK(p2->previous && !strcmp(f.s.pages[p2->previous - 1].doc->id, "q1"));
	NB_CHECK(p2->page == NULL);
	NB_CHECK_STR(s_of(q2, "period_display"), s_of(p2->item, "status_label"));
	NB_CHECK_STR(s_of(q2, "period_display"), "2024 Q2");
	NB_CHECK_STR(s_of(q2, "compare_url"), "/evaluations/compare/");
	NB_CHECK_STR(s_of(q1, "compare_url"), "/evaluations/compare/");
	/* The previous period's final item. */
	NB_CHECK_STR(s_of(json_object_get(q2, "previous"), "sort_date"), "2024-03-31");
	fixture_free(&f);
}

NB_TEST(test_reverse_links)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	const json_t *hl = fixture_page(&f, "hl");
	char b[512];
	NB_CHECK_STR(urls(hl, "meetings", b, sizeof(b)), "/meetings/m2/ /meetings/m1/ ");
	NB_CHECK_STR(urls(hl, "decisions", b, sizeof(b)),
		     "/decisions/d-no/ /decisions/d-late/ /decisions/d-open/ ");
	NB_CHECK_STR(urls(hl, "evaluations", b, sizeof(b)), "/evaluations/q2/ /evaluations/q1/ ");
	/* Every page of the community knows it. */
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "d-no"), "community"), "url"),
		     "/communities/hl/");
	/* Its decisions by status: overdue first. */
	const json_t *g0 = json_array_get(json_object_get(hl, "decisions_by_status"), 0);
	NB_CHECK_STR(s_of(g0, "status"), "overdue");
	/* q2's page has its community's trends: two periods, q2 the later,
	 * with a point in each series. */
	long q2 = nb_site_find(&f.s, "q2");
	NB_CHECK(q2 >= 0 && f.s.pages[q2].trends > 0);
	if (q2 >= 0 && f.s.pages[q2].trends) {
		const nb_trends *t = &f.s.trends[f.s.pages[q2].trends - 1];
		NB_CHECK(t->n == 2 && t->ev[1] == &f.s.pages[q2]);
		NB_CHECK(t->npts[0] == 2 && t->val[0][1] > 0.73 && t->val[0][1] < 0.75);
	}
	fixture_free(&f);
}

NB_TEST_MAIN("site",
	NB_CASE(test_links_cleanly),
	NB_CASE(test_fixture_is_a_valid_record),
	NB_CASE(test_meeting_lists_its_decisions),
	NB_CASE(test_meeting_page_is_a_view),
	NB_CASE(test_common_fields_are_a_view),
	NB_CASE(test_decision_status_as_of),
	NB_CASE(test_charter_in_force),
	NB_CASE(test_evaluation_change),
	NB_CASE(test_reverse_links))

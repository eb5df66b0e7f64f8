/*
 * test_lists.c - the derived list pages (graph/lists.c): each kind's list,
 * the filter pages (a year's decisions, the overdue ones, a category's, a
 * community's), the counts their navigation shows, the pages a long list
 * is cut into and the cut of a community's own lists. A wrong count or a
 * missing item on these pages is what a resident would read as the
 * committee's record, so each test states, from the documents it writes,
 * which items a page must list and in what order.
 */
#include "harness.h"

#include "fixture_site.h"
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

/* A test's own documents (fixture_open_with), each path and text owned. */
typedef struct docs {
	const char *v[40][2];
	size_t n;
} docs;

static void add(docs *x, nb_buf *path, nb_buf *text)
{
	if (x->n == sizeof(x->v) / sizeof(x->v[0]))
		abort();
	x->v[x->n][0] = nb_buf_detach(path);
	x->v[x->n][1] = nb_buf_detach(text);
	x->n++;
}

static void add_text(docs *x, const char *path, const char *text)
{
	nb_buf p = NB_BUF_INIT, t = NB_BUF_INIT;
	nb_buf_puts(&p, path);
	nb_buf_puts(&t, text);
	add(x, &p, &t);
}

/* A decision taken at `meeting` on `date` (the meeting's day), with
 * `more` front matter lines. */
static void add_decision(docs *x, const char *id, const char *community, const char *meeting,
			 const char *date, const char *category, const char *more)
{
	nb_buf p = NB_BUF_INIT, t = NB_BUF_INIT;
	nb_buf_printf(&p, "content/decisions/%s.md", id);
	nb_buf_printf(&t,
		      "---\ntitle: \"Decision %s\"\nid: \"%s\"\ncommunity: \"%s\"\n"
		      "meeting: \"%s\"\ndate: \"%s\"\ncategory: \"%s\"\n%s---\nText.\n",
		      id, id, community, meeting, date, category, more);
	add(x, &p, &t);
}

static void docs_free(docs *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free((char *)x->v[i][0]);
		free((char *)x->v[i][1]);
	}
}

/*
 * The fixture's decisions (d-open: open, d-late: due 2024-04-30, d-no:
 * rejected; all of hl, fire-safety, 2024) and five of ours: three from a
 * 2023 meeting (one done, two due early in 2024), one of a second
 * community, one draft. Of the seven published, as of 2024-07-01:
 *   2024: d-no (06-14) d-sq (05-20) d-late d-open (03-08, ties by URL)
 *   2023: d-old d-old2 d-old3 (all 11-10)
 *   open: d-sq d-open; overdue: d-late d-old2 d-old3; done: d-old;
 *   other: d-no
 *   fire-safety: d-no d-late d-open; sanitation: the three of 2023;
 *   services: d-sq
 *   hl: all but d-sq; sq: d-sq
 * Every meeting writes its status out (m2 is our version of the
 * fixture's), so that each one has a status to be listed under.
 */
static void the_decisions(docs *x)
{
	add_text(x, "content/communities/sq.md",
		 "---\ntitle: \"Square\"\nname: \"Square\"\ntype: \"老旧住宅区\"\n"
		 "platform: \"residents-committee\"\ncommittee:\n"
		 "  - {name: \"S1\", role: \"主任\"}\n  - {name: \"S2\", role: \"委员\"}\n"
		 "---\nAbout.\n");
	add_text(x, "content/meetings/2023/m0.md",
		 "---\ntitle: \"November plenary\"\nid: \"m0\"\ncommunity: \"hl\"\n"
		 "kind: \"plenary\"\ndate: \"2023-11-10\"\nattendees: [A1, A2]\n"
		 "status: \"draft-minutes\"\n---\nMinutes.\n");
	add_text(x, "content/meetings/2024/m2.md",
		 "---\ntitle: \"June plenary\"\nid: \"m2\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
		 "date: \"2024-06-14\"\nattendees: [A1, A2]\nstatus: \"draft-minutes\"\n"
		 "---\n## Minutes\n");
	add_text(x, "content/meetings/2024/s1.md",
		 "---\ntitle: \"Square plenary\"\nid: \"s1\"\ncommunity: \"sq\"\n"
		 "kind: \"plenary\"\ndate: \"2024-05-20\"\nattendees: [S1, S2]\n"
		 "status: \"approved\"\n---\nMinutes.\n");
	add_decision(x, "d-old", "hl", "m0", "2023-11-10", "sanitation",
		     "due: \"2023-12-31\"\nprogress:\n  - {date: \"2023-12-01\", done: true}\n");
	add_decision(x, "d-old2", "hl", "m0", "2023-11-10", "sanitation", "due: \"2024-01-31\"\n");
	add_decision(x, "d-old3", "hl", "m0", "2023-11-10", "sanitation", "due: \"2024-02-01\"\n");
	add_decision(x, "d-sq", "sq", "s1", "2024-05-20", "services", "");
	add_decision(x, "d-draft", "hl", "m2", "2024-06-14", "security", "draft: true\n");
}

/* The site with the documents of `x`, as of `as_of`, its lists cut into
 * pages of `page_size` (0: the default, 20). */
static int open_site(fixture *f, docs *x, const char *as_of, int page_size)
{
	if (page_size) {
		nb_buf p = NB_BUF_INIT, t = NB_BUF_INIT;
		nb_buf_puts(&p, "site.yaml");
		nb_buf_printf(&t, "title: \"Hongling\"\nlanguage: en\nbase_url: \"/\"\n"
				  "pagination: {page_size: %d}\n", page_size);
		add(x, &p, &t);
	}
	return fixture_open_with(f, as_of, x->v, x->n);
}

/* open_site, which must succeed. */
static int open_ok(fixture *f, docs *x, const char *as_of, int page_size)
{
	int rc = open_site(f, x, as_of, page_size);
	if (rc)
		nb_diag_print(&f->d, stderr, 0);
	return rc == 0;
}

static const char *s_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long n_of(const json_t *o, const char *key)
{
	return (long)json_integer_value(json_object_get(o, key));
}

/* Appends the id an item's URL ends with ("/decisions/d-no/": d-no). */
static void put_id(char *buf, size_t n, const json_t *item)
{
	const char *u = s_of(item, "url");
	char id[128] = "?";
	if (u) {
		size_t len = strlen(u);
		const char *end = u + len - 1, *start = end;
		while (start > u && start[-1] != '/')
			start--;
		snprintf(id, sizeof(id), "%.*s", (int)(end - start), start);
	}
	if (buf[0])
		strncat(buf, " ", n - strlen(buf) - 1);
	strncat(buf, id, n - strlen(buf) - 1);
}

static const char *ids(const json_t *items, char *buf, size_t n)
{
	buf[0] = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		put_id(buf, n, it);
	return buf;
}

/* The derived page written at `out_path`, or NULL. */
static const nb_extra_page *extra_at(const fixture *f, const char *out_path)
{
	for (size_t i = 0; i < f->s.n_extra; i++)
		if (!strcmp(f->s.extra[i].out_path, out_path))
			return &f->s.extra[i];
	return NULL;
}

static int has_page(const fixture *f, const char *out_path)
{
	return extra_at(f, out_path) != NULL;
}

/*
 * The ids on the filter list whose first page is `rel` ("decisions/2024/"),
 * page after page as the render stage cuts them (nb_extra_list_view), and
 * the number of its pages in *pages. Each page must be full but the last,
 * say which page of how many it is, and mark in its navigation exactly
 * the option of its own filter.
 */
static const char *filter_ids(nb_test_state *nb__t, fixture *f, const char *rel, size_t *pages,
			      char *buf, size_t n)
{
	size_t ps = f->s.cfg->page_size, total = 0, seen = 0;
	buf[0] = 0;
	*pages = 0;
	for (size_t no = 1;; no++) {
		char path[256];
		if (no == 1)
			snprintf(path, sizeof(path), "%sindex.html", rel);
		else
			snprintf(path, sizeof(path), "%spage/%zu/index.html", rel, no);
		const nb_extra_page *e = extra_at(f, path);
		if (!e)
			break;
		json_t *v = nb_extra_list_view(&f->s, e);
		NB_CHECK(v != NULL);
		if (!v)
			break;
		const json_t *items = json_object_get(v, "items");
		size_t k = json_array_size(items);
		total = (size_t)n_of(v, "count");
		NB_CHECK(k >= 1 && k <= ps);
		NB_CHECK(seen + k == total || k == ps);
		seen += k;
		const json_t *pg = json_object_get(v, "pagination");
		NB_CHECK(pg ? n_of(pg, "number") == (long)no : no == 1);
		NB_CHECK(pg ? (size_t)n_of(pg, "total") == (total + ps - 1) / ps : total <= ps);
		/* Page 1's URL: the option its navigation marks. */
		char url[256];
		snprintf(url, sizeof(url), "/%s", rel);
		NB_CHECK_STR(s_of(v, "url"), url);
		size_t marked = 0, g, o;
		const json_t *nav = json_object_get(v, "filter_nav");
		json_t *grp, *opt, *groups = json_object_get(nav, "groups");
		json_array_foreach(groups, g, grp) {
			json_array_foreach(json_object_get(grp, "options"), o, opt)
				if (json_is_true(json_object_get(opt, "current"))) {
					marked++;
					NB_CHECK_STR(s_of(opt, "url"), url);
				}
			/* A group of many values shows only the chosen one. */
			const json_t *ch = json_object_get(grp, "chosen");
			if (ch) {
				marked++;
				NB_CHECK(json_is_true(json_object_get(ch, "current")));
				NB_CHECK(json_is_true(json_object_get(grp, "active")));
				NB_CHECK_STR(s_of(ch, "url"), url);
			}
		}
		NB_CHECK(marked == 1);
		ids(items, buf + strlen(buf), n - strlen(buf));
		if (json_array_size(items) && seen < total)
			strncat(buf, " ", n - strlen(buf) - 1);
		json_decref(v);
		(*pages)++;
	}
	NB_CHECK(seen == total);
	return buf;
}

/*
 * The options of a navigation group (a new reference): its own, or for a
 * group of too many values to list on every page, those of the page its
 * `more` links to (each street's, in the order of the streets), whose
 * number `more` states.
 */
static json_t *group_options(nb_test_state *nb__t, const fixture *f, const json_t *grp)
{
	const json_t *more = json_object_get(grp, "more");
	if (!more)
		return json_incref(json_object_get(grp, "options"));
	NB_CHECK(!json_object_get(grp, "options"));
	char path[256];
	snprintf(path, sizeof(path), "%sindex.html", s_of(more, "url") + 1);
	const nb_extra_page *e = extra_at(f, path);
	NB_CHECK(e != NULL);
	json_t *all = json_array();
	size_t i;
	json_t *sec;
	json_array_foreach(json_object_get(e ? e->list : NULL, "option_groups"), i, sec)
		json_array_extend(all, json_object_get(sec, "items"));
	NB_CHECK(n_of(more, "count") == (long)json_array_size(all));
	NB_CHECK(e && n_of(e->list, "count") == (long)json_array_size(all));
	return all;
}

/* A kind's filter options of `dim`, as "value:count" in display order. */
static const char *options_of(nb_test_state *nb__t, const fixture *f, const char *kind,
			      const char *dim, char *buf, size_t n)
{
	buf[0] = 0;
	size_t g, o;
	json_t *grp, *opt;
	json_array_foreach(json_object_get(json_object_get(f->s.filters, kind), "groups"), g, grp) {
		if (strcmp(s_of(grp, "dim"), dim))
			continue;
		json_t *all = group_options(nb__t, f, grp);
		json_array_foreach(all, o, opt) {
			char one[128];
			snprintf(one, sizeof(one), "%s%s:%ld", buf[0] ? " " : "",
				 s_of(opt, "value"), n_of(opt, "count"));
			strncat(buf, one, n - strlen(buf) - 1);
		}
		json_decref(all);
	}
	return buf;
}

/*
 * Every option of a kind's navigation against the page it links to: its
 * count is the number of items that page's list holds over all its pages,
 * and the options of a dimension add up to the kind's whole list (every
 * document has one year, one community, one status, one category).
 */
static void check_nav_counts(nb_test_state *nb__t, fixture *f, const char *kind)
{
	const json_t *nav = json_object_get(f->s.filters, kind);
	long all = n_of(json_object_get(nav, "all"), "count");
	NB_CHECK(all == (long)json_array_size(json_object_get(f->s.lists, kind)));
	NB_CHECK(json_is_true(json_object_get(json_object_get(nav, "all"), "current")));
	size_t g, o;
	json_t *grp, *opt;
	json_array_foreach(json_object_get(nav, "groups"), g, grp) {
		long sum = 0;
		json_t *options = group_options(nb__t, f, grp);
		NB_CHECK(!json_object_get(grp, "chosen"));
		json_array_foreach(options, o, opt) {
			const char *url = s_of(opt, "url");
			size_t pages;
			char buf[1024];
			filter_ids(nb__t, f, url + 1, &pages, buf, sizeof(buf));
			size_t words = buf[0] ? 1 : 0;
			for (const char *c = buf; *c; c++)
				words += *c == ' ';
			NB_CHECK(pages >= 1);
			NB_CHECK((long)words == n_of(opt, "count"));
			NB_CHECK(!json_object_get(opt, "current"));
			sum += n_of(opt, "count");
		}
		json_decref(options);
		NB_CHECK(sum == all);
	}
}

/* A community `id` in `street` ("" for none) holding one meeting, `mid`,
 * dated `date`. */
static void add_community(docs *x, const char *id, const char *street, const char *mid,
			  const char *date)
{
	nb_buf p = NB_BUF_INIT, t = NB_BUF_INIT;
	nb_buf_printf(&p, "content/communities/%s.md", id);
	nb_buf_printf(&t,
		      "---\ntitle: \"Community %s\"\nname: \"Community %s\"\n%s%s%s"
		      "type: \"老旧住宅区\"\nplatform: \"residents-committee\"\n---\nAbout.\n",
		      id, id, street[0] ? "street: \"" : "", street, street[0] ? "\"\n" : "");
	add(x, &p, &t);
	nb_buf_printf(&p, "content/meetings/%s.md", mid);
	nb_buf_printf(&t,
		      "---\ntitle: \"Meeting %s\"\nid: \"%s\"\ncommunity: \"%s\"\n"
		      "kind: \"plenary\"\ndate: \"%s\"\nstatus: \"approved\"\n---\nMinutes.\n",
		      mid, mid, id, date);
	add(x, &p, &t);
}

/*
 * Past a dozen communities (NB_SITE_LINKS_MAX) a list's community filter
 * no longer names each on every list page, where it comes before the
 * items: it links to meetings/community/, which lists them all with their
 * counts under their streets (in the order of each street's first
 * community; those without a street last, under no heading), and each
 * community's filter page shows its own beside that link. Twelve are
 * still listed, and so is every year. The fixture's hl (no street, two
 * meetings) is the 13th.
 */
NB_TEST(test_many_communities)
{
	static const char *const streets[] = { "North", "North", "South", "", "North", "South",
					       "South", "North", "North", "South", "South", "North" };
	for (int n = 11; n <= 12; n++) {
		fixture f;
		docs x = { 0 };
		for (int i = 0; i < n; i++) {
			char id[16], mid[16], date[32];
			snprintf(id, sizeof(id), "c%02d", i + 1);
			snprintf(mid, sizeof(mid), "m%02d", i + 1);
			snprintf(date, sizeof(date), "%d-01-15", 2010 + i);
			add_community(&x, id, streets[i], mid, date);
		}
		NB_CHECK(open_ok(&f, &x, "2024-07-01", 0));
		char b[1024];
		const json_t *grp = NULL, *g;
		size_t k;
		json_array_foreach(json_object_get(json_object_get(f.s.filters, "meetings"), "groups"),
				   k, g)
			if (!strcmp(s_of(g, "dim"), "community"))
				grp = g;
		NB_CHECK(grp != NULL);
		if (n == 11) {
			/* 12 communities: each its own link, no page of them all. */
			NB_CHECK(json_array_size(json_object_get(grp, "options")) == 12);
			NB_CHECK(!json_object_get(grp, "more"));
			NB_CHECK(!has_page(&f, "meetings/community/index.html"));
			NB_CHECK(!has_page(&f, "decisions/community/index.html"));
		} else {
			NB_CHECK(!json_object_get(grp, "options"));
			NB_CHECK_STR(s_of(json_object_get(grp, "more"), "url"), "/meetings/community/");
			NB_CHECK(n_of(json_object_get(grp, "more"), "count") == 13);
			NB_CHECK_STR(options_of(NB_T, &f, "meetings", "community", b, sizeof(b)),
				     "c01:1 c02:1 c05:1 c08:1 c09:1 c12:1 c03:1 c06:1 c07:1 c10:1 "
				     "c11:1 c04:1 hl:2");
			const nb_extra_page *e = extra_at(&f, "meetings/community/index.html");
			const json_t *secs = json_object_get(e ? e->list : NULL, "option_groups");
			NB_CHECK(json_array_size(secs) == 3);
			NB_CHECK_STR(s_of(json_array_get(secs, 0), "heading"), "North");
			NB_CHECK_STR(s_of(json_array_get(secs, 1), "heading"), "South");
			NB_CHECK(!json_object_get(json_array_get(secs, 2), "heading"));
			NB_CHECK_STR(s_of(e ? e->page : NULL, "title"), "Meeting minutes: By community");
			NB_CHECK_STR(s_of(e ? e->list : NULL, "filter_dim"), "community");
			/* One community's page: its own option, chosen; the
			 * others are on the page of them all. */
			size_t pages;
			NB_CHECK_STR(filter_ids(NB_T, &f, "meetings/community/c06/", &pages, b,
						sizeof(b)), "m06");
			/* Its option is found where linking put it (site.h
			 * cut.many_at), not by a scan of every community on
			 * each filter's page; a year's page is in none. */
			const nb_extra_page *c06 = extra_at(&f, "meetings/community/c06/index.html");
			const nb_extra_page *y24 = extra_at(&f, "meetings/2024/index.html");
			NB_CHECK(c06 && c06->cut.many_dim && !strcmp(c06->cut.many_dim, "community"));
			NB_CHECK(c06 && c06->cut.many_at >= 2);
			const json_t *own = c06 && c06->cut.many_at >= 2
						    ? json_array_get(json_object_get(c06->cut.aside,
										     "community"),
								     c06->cut.many_at - 2)
						    : NULL;
			NB_CHECK_STR(s_of(own, "url"), "/meetings/community/c06/");
			NB_CHECK(y24 && y24->cut.many_at == 1);
			/* Thirteen years (2010-2021, 2024) are still each a link:
			 * only communities grow with the site's breadth. */
			json_array_foreach(json_object_get(json_object_get(f.s.filters, "meetings"),
							   "groups"), k, g)
				if (!strcmp(s_of(g, "dim"), "year")) {
					NB_CHECK(json_array_size(json_object_get(g, "options")) == 13);
					NB_CHECK(!json_object_get(g, "more"));
				}
			NB_CHECK(!has_page(&f, "meetings/year/index.html"));
			/* hl's decisions: one community, listed as before. */
			NB_CHECK_STR(options_of(NB_T, &f, "decisions", "community", b, sizeof(b)),
				     "hl:3");
		}
		check_nav_counts(NB_T, &f, "meetings");
		check_nav_counts(NB_T, &f, "decisions");
		fixture_free(&f);
		docs_free(&x);
	}
}

NB_TEST(test_kind_lists_newest_first)
{
	fixture f;
	docs x = { 0 };
	the_decisions(&x);
	NB_CHECK(open_ok(&f, &x, "2024-07-01", 0));
	char b[1024];
	/* Same day: by URL. No draft. */
	NB_CHECK_STR(ids(json_object_get(f.s.lists, "decisions"), b, sizeof(b)),
		     "d-no d-sq d-late d-open d-old d-old2 d-old3");
	NB_CHECK_STR(ids(json_object_get(f.s.lists, "meetings"), b, sizeof(b)), "m2 s1 m1 m0");
	/* Evaluations by the end of their period. */
	NB_CHECK_STR(ids(json_object_get(f.s.lists, "evaluations"), b, sizeof(b)), "q2 q1");
	NB_CHECK_STR(ids(json_object_get(f.s.lists, "communities"), b, sizeof(b)), "hl sq");
	NB_CHECK(json_array_size(json_object_get(f.s.lists, "pages")) == 1);
	/* A list shares the page's item, it does not copy it. */
	NB_CHECK(json_array_get(json_object_get(f.s.lists, "decisions"), 0) ==
		 f.s.pages[nb_site_find(&f.s, "d-no")].item);
	fixture_free(&f);
	docs_free(&x);
}

NB_TEST(test_decision_filters)
{
	fixture f;
	docs x = { 0 };
	the_decisions(&x);
	NB_CHECK(open_ok(&f, &x, "2024-07-01", 0));
	char b[1024];
	size_t pages;
	NB_CHECK_STR(options_of(NB_T, &f, "decisions", "year", b, sizeof(b)), "2024:4 2023:3");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/2024/", &pages, b, sizeof(b)),
		     "d-no d-sq d-late d-open");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/2023/", &pages, b, sizeof(b)),
		     "d-old d-old2 d-old3");
	NB_CHECK_STR(options_of(NB_T, &f, "decisions", "status", b, sizeof(b)),
		     "open:2 overdue:3 done:1 other:1");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/status/open/", &pages, b, sizeof(b)),
		     "d-sq d-open");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/status/overdue/", &pages, b, sizeof(b)),
		     "d-late d-old2 d-old3");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/status/done/", &pages, b, sizeof(b)),
		     "d-old");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/status/other/", &pages, b, sizeof(b)),
		     "d-no");
	/* The draft's category has no page: it has no published decision. */
	NB_CHECK_STR(options_of(NB_T, &f, "decisions", "category", b, sizeof(b)),
		     "fire-safety:3 sanitation:3 services:1");
	NB_CHECK(!has_page(&f, "decisions/category/security/index.html"));
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/category/fire-safety/", &pages, b, sizeof(b)),
		     "d-no d-late d-open");
	NB_CHECK_STR(options_of(NB_T, &f, "decisions", "community", b, sizeof(b)), "hl:6 sq:1");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/community/sq/", &pages, b, sizeof(b)),
		     "d-sq");
	NB_CHECK(pages == 1);
	NB_CHECK(!has_page(&f, "decisions/community/sq/page/2/index.html"));
	/* What a filter page says of itself. */
	const nb_extra_page *e = extra_at(&f, "decisions/status/overdue/index.html");
	json_t *v = e ? nb_extra_list_view(&f.s, e) : NULL;
	NB_CHECK_STR(s_of(e ? e->page : NULL, "title"), "Decisions: Overdue");
	NB_CHECK_STR(s_of(e ? e->page : NULL, "url"), "/decisions/status/overdue/");
	NB_CHECK_STR(s_of(v, "as_of"), "2024-07-01");
	NB_CHECK_STR(s_of(v, "all_url"), "/decisions/");
	NB_CHECK(n_of(v, "count") == 3);
	json_decref(v);
	NB_CHECK(n_of(json_object_get(json_object_get(f.s.filters, "decisions"), "all"), "count")
		 == 7);
	check_nav_counts(NB_T, &f, "decisions");
	check_nav_counts(NB_T, &f, "meetings");
	check_nav_counts(NB_T, &f, "evaluations");
	/* A community's page links to its filtered lists. */
	const json_t *lu = json_object_get(f.s.pages[nb_site_find(&f.s, "sq")].page, "list_urls");
	NB_CHECK_STR(s_of(lu, "decisions"), "/decisions/community/sq/");
	NB_CHECK_STR(s_of(lu, "meetings"), "/meetings/community/sq/");
	NB_CHECK(!json_object_get(lu, "evaluations"));
	fixture_free(&f);
	docs_free(&x);
}

/* A decision's status, and a meeting's, is judged as of the build's date:
 * the same documents fall on other filter pages on another day, and a
 * status no document has gets no page and no link. */
NB_TEST(test_status_as_of)
{
	fixture f;
	docs x = { 0 };
	the_decisions(&x);
	char b[1024];
	size_t pages;
	NB_CHECK(open_ok(&f, &x, "2024-04-01", 0));
	NB_CHECK_STR(options_of(NB_T, &f, "decisions", "status", b, sizeof(b)),
		     "open:3 overdue:2 done:1 other:1");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/status/open/", &pages, b, sizeof(b)),
		     "d-sq d-late d-open");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/status/overdue/", &pages, b, sizeof(b)),
		     "d-old2 d-old3");
	/* m2 (June) and s1 (May) have not been held yet. */
	NB_CHECK_STR(options_of(NB_T, &f, "meetings", "status", b, sizeof(b)),
		     "upcoming:2 draft-minutes:1 approved:1");
	NB_CHECK_STR(filter_ids(NB_T, &f, "meetings/status/upcoming/", &pages, b, sizeof(b)),
		     "m2 s1");
	check_nav_counts(NB_T, &f, "decisions");
	check_nav_counts(NB_T, &f, "meetings");
	fixture_free(&f);

	/* Before any due date has passed: nothing overdue, so no such page. */
	NB_CHECK(open_ok(&f, &x, "2023-12-15", 0));
	NB_CHECK_STR(options_of(NB_T, &f, "decisions", "status", b, sizeof(b)),
		     "open:5 done:1 other:1");
	NB_CHECK(!has_page(&f, "decisions/status/overdue/index.html"));
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/status/done/", &pages, b, sizeof(b)),
		     "d-old");
	NB_CHECK_STR(options_of(NB_T, &f, "meetings", "status", b, sizeof(b)), "upcoming:3 draft-minutes:1");
	NB_CHECK(!has_page(&f, "meetings/status/approved/index.html"));
	check_nav_counts(NB_T, &f, "decisions");
	check_nav_counts(NB_T, &f, "meetings");
	fixture_free(&f);
	docs_free(&x);
}

/* Filter lists longer than a page: page N at .../page/N/, every item on
 * exactly one page, in the list's order, each page grouped by year. */
NB_TEST(test_filter_pages_are_cut)
{
	fixture f;
	docs x = { 0 };
	the_decisions(&x);
	NB_CHECK(open_ok(&f, &x, "2024-07-01", 2));
	NB_CHECK(f.s.cfg->page_size == 2);
	char b[1024];
	size_t pages;
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/community/hl/", &pages, b, sizeof(b)),
		     "d-no d-late d-open d-old d-old2 d-old3");
	NB_CHECK(pages == 3);
	NB_CHECK(!has_page(&f, "decisions/community/hl/page/4/index.html"));
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/2024/", &pages, b, sizeof(b)),
		     "d-no d-sq d-late d-open");
	NB_CHECK(pages == 2);
	NB_CHECK(!has_page(&f, "decisions/2024/page/3/index.html"));
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/status/open/", &pages, b, sizeof(b)),
		     "d-sq d-open");
	NB_CHECK(pages == 1);
	NB_CHECK(!has_page(&f, "decisions/status/open/page/2/index.html"));
	/* The navigation counts the whole list, not the page. */
	NB_CHECK_STR(options_of(NB_T, &f, "decisions", "community", b, sizeof(b)), "hl:6 sq:1");
	check_nav_counts(NB_T, &f, "decisions");
	check_nav_counts(NB_T, &f, "meetings");

	/* Page 2 of hl's: one decision of each year, a group each. */
	const nb_extra_page *e = extra_at(&f, "decisions/community/hl/page/2/index.html");
	json_t *v = e ? nb_extra_list_view(&f.s, e) : NULL;
	const json_t *groups = json_object_get(v, "groups");
	NB_CHECK(json_array_size(groups) == 2);
	NB_CHECK_STR(s_of(json_array_get(groups, 0), "title"), "2024");
	NB_CHECK_STR(ids(json_object_get(json_array_get(groups, 0), "items"), b, sizeof(b)),
		     "d-open");
	NB_CHECK_STR(s_of(json_array_get(groups, 1), "title"), "2023");
	NB_CHECK_STR(ids(json_object_get(json_array_get(groups, 1), "items"), b, sizeof(b)),
		     "d-old");
	const json_t *pg = json_object_get(v, "pagination");
	NB_CHECK_STR(s_of(pg, "prev_url"), "/decisions/community/hl/");
	NB_CHECK_STR(s_of(pg, "next_url"), "/decisions/community/hl/page/3/");
	NB_CHECK_STR(s_of(e ? e->page : NULL, "url"), "/decisions/community/hl/page/2/");
	NB_CHECK_STR(s_of(e ? e->page : NULL, "title"), "Decisions: Hongling");
	json_decref(v);
	fixture_free(&f);
	docs_free(&x);
}

/* A community page shows a page's worth of each of its lists, the newest,
 * and says when there is more; a status group keeps its full count. */
NB_TEST(test_community_lists_cut)
{
	fixture f;
	docs x = { 0 };
	the_decisions(&x);
	NB_CHECK(open_ok(&f, &x, "2024-07-01", 2));
	const json_t *hl = f.s.pages[nb_site_find(&f.s, "hl")].page;
	const json_t *cut = json_object_get(hl, "truncated");
	char b[1024];
	NB_CHECK_STR(ids(json_object_get(hl, "decisions"), b, sizeof(b)), "d-no d-late");
	NB_CHECK_STR(ids(json_object_get(hl, "meetings"), b, sizeof(b)), "m2 m1");
	NB_CHECK_STR(ids(json_object_get(hl, "evaluations"), b, sizeof(b)), "q2 q1");
	NB_CHECK(json_is_true(json_object_get(cut, "decisions")));
	NB_CHECK(json_is_true(json_object_get(cut, "meetings")));
	NB_CHECK(!json_object_get(cut, "evaluations"));
	NB_CHECK(n_of(hl, "page_size") == 2);
	/* Overdue: three, two shown. */
	const json_t *by = json_object_get(hl, "decisions_by_status");
	const json_t *late = json_array_get(by, 0);
	NB_CHECK_STR(s_of(late, "status"), "overdue");
	NB_CHECK(n_of(late, "count") == 3);
	NB_CHECK_STR(ids(json_object_get(late, "items"), b, sizeof(b)), "d-late d-old2");
	NB_CHECK(json_is_true(json_object_get(late, "truncated")));
	const json_t *open = json_array_get(by, 1);
	NB_CHECK_STR(s_of(open, "status"), "open");
	NB_CHECK(!json_object_get(open, "truncated"));
	/* The rest is on its filtered list, whole. */
	NB_CHECK_STR(s_of(json_object_get(hl, "list_urls"), "decisions"),
		     "/decisions/community/hl/");
	size_t pages;
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/community/hl/", &pages, b, sizeof(b)),
		     "d-no d-late d-open d-old d-old2 d-old3");
	/* A community within a page is not cut. */
	const json_t *sq = f.s.pages[nb_site_find(&f.s, "sq")].page;
	NB_CHECK_STR(ids(json_object_get(sq, "decisions"), b, sizeof(b)), "d-sq");
	NB_CHECK(json_object_size(json_object_get(sq, "truncated")) == 0);
	fixture_free(&f);
	docs_free(&x);
}

/* A document whose address is a derived page's keeps it: the filter page
 * is left out, and so is its link, while the document is still counted
 * in the kind's list and on its other filters. */
NB_TEST(test_taken_path_left_out)
{
	fixture f;
	docs x = { 0 };
	the_decisions(&x);
	add_decision(&x, "2023", "hl", "m0", "2023-11-10", "sanitation", "");
	NB_CHECK(open_ok(&f, &x, "2024-07-01", 0));
	char b[1024];
	size_t pages;
	NB_CHECK_STR(f.s.pages[nb_site_find(&f.s, "2023")].out_path, "decisions/2023/index.html");
	NB_CHECK(!has_page(&f, "decisions/2023/index.html"));
	NB_CHECK_STR(options_of(NB_T, &f, "decisions", "year", b, sizeof(b)), "2024:4");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/category/sanitation/", &pages, b, sizeof(b)),
		     "2023 d-old d-old2 d-old3");
	NB_CHECK(n_of(json_object_get(json_object_get(f.s.filters, "decisions"), "all"), "count")
		 == 8);
	/* The other years' pages and every other dimension are whole. */
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/2024/", &pages, b, sizeof(b)),
		     "d-no d-sq d-late d-open");
	NB_CHECK_STR(options_of(NB_T, &f, "decisions", "status", b, sizeof(b)),
		     "open:3 overdue:3 done:1 other:1");
	fixture_free(&f);
	docs_free(&x);
}

/* A document at a list's page N is an error at that document (its items
 * would vanish from the list), but only when the list has a page N. */
NB_TEST(test_list_page_taken_is_an_error)
{
	fixture f;
	docs x = { 0 };
	the_decisions(&x);
	add_decision(&x, "page/4", "hl", "m0", "2023-11-10", "sanitation", "");
	/* Eight decisions in pages of 2: page 4 is the list's last. */
	NB_CHECK(open_site(&f, &x, "2024-07-01", 2) != 0);
	int found = 0;
	for (size_t i = 0; i < f.d.len; i++)
		if (f.d.items[i].code && !strcmp(f.d.items[i].code, "list-page-taken")) {
			found++;
			NB_CHECK_CONTAINS(f.d.items[i].file, "content/decisions/page/4.md");
		}
	NB_CHECK(found == 1);
	fixture_free(&f);
	docs_free(&x);

	docs y = { 0 };
	the_decisions(&y);
	add_decision(&y, "page/4", "hl", "m0", "2023-11-10", "sanitation", "");
	NB_CHECK(open_ok(&f, &y, "2024-07-01", 3));
	NB_CHECK_STR(f.s.pages[nb_site_find(&f.s, "page/4")].out_path,
		     "decisions/page/4/index.html");
	fixture_free(&f);
	docs_free(&y);
}

/* Evaluations fall in the year of their period and sort by its end: a
 * year's report after its last quarter's. */
NB_TEST(test_evaluation_years)
{
	fixture f;
	docs x = { 0 };
	add_text(&x, "content/evaluations/2023/q4.md",
		 "---\ntitle: \"Q4\"\nid: \"q4-23\"\ncommunity: \"hl\"\nperiod: \"2023-Q4\"\n"
		 "internal: {informed: 0.60, participation: 0.30, satisfaction: 0.70}\n---\nOk.\n");
	add_text(&x, "content/evaluations/2023/q3.md",
		 "---\ntitle: \"Q3\"\nid: \"q3-23\"\ncommunity: \"hl\"\nperiod: \"2023-Q3\"\n"
		 "internal: {informed: 0.60, participation: 0.30, satisfaction: 0.70}\n---\nOk.\n");
	NB_CHECK(open_ok(&f, &x, "2024-07-01", 0));
	char b[1024];
	size_t pages;
	NB_CHECK_STR(ids(json_object_get(f.s.lists, "evaluations"), b, sizeof(b)),
		     "q2 q1 q4-23 q3-23");
	NB_CHECK_STR(options_of(NB_T, &f, "evaluations", "year", b, sizeof(b)), "2024:2 2023:2");
	NB_CHECK_STR(filter_ids(NB_T, &f, "evaluations/2023/", &pages, b, sizeof(b)),
		     "q4-23 q3-23");
	NB_CHECK_STR(options_of(NB_T, &f, "evaluations", "community", b, sizeof(b)), "hl:4");
	check_nav_counts(NB_T, &f, "evaluations");
	fixture_free(&f);
	docs_free(&x);
}

/* A meeting held without a `status` has minutes awaiting approval (the
 * schema's default): it is listed under that status, its item and page
 * say so, and the status pages add up to all meetings. The fixture's m2
 * has none. */
NB_TEST(test_meeting_status_default)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	char b[1024];
	size_t pages;
	NB_CHECK_STR(options_of(NB_T, &f, "meetings", "status", b, sizeof(b)),
		     "draft-minutes:1 approved:1");
	NB_CHECK_STR(filter_ids(NB_T, &f, "meetings/status/draft-minutes/", &pages, b, sizeof(b)),
		     "m2");
	long m2 = nb_site_find(&f.s, "m2");
	NB_CHECK(m2 >= 0);
	if (m2 >= 0)
		NB_CHECK_STR(s_of(f.s.pages[m2].item, "status"), "draft-minutes");
	NB_CHECK_STR(s_of(fixture_page(&f, "m2"), "status_label"), "Minutes awaiting approval");
	check_nav_counts(NB_T, &f, "meetings");
	fixture_free(&f);
}

/* Two decisions of one day whose files sort the other way from their
 * URLs: the kind's list and their category's page give them in the same
 * order (by URL), so a page break between them falls alike on both. */
NB_TEST(test_same_day_ties_agree)
{
	fixture f;
	docs x = { 0 };
	add_text(&x, "content/decisions/a.md",
		 "---\ntitle: \"Z\"\nid: \"zz\"\ncommunity: \"hl\"\nmeeting: \"m2\"\n"
		 "date: \"2024-06-20\"\ncategory: \"services\"\n---\nText.\n");
	add_text(&x, "content/decisions/b.md",
		 "---\ntitle: \"A\"\nid: \"aa\"\ncommunity: \"hl\"\nmeeting: \"m2\"\n"
		 "date: \"2024-06-20\"\ncategory: \"services\"\n---\nText.\n");
	NB_CHECK(open_ok(&f, &x, "2024-07-01", 0));
	char b[1024];
	size_t pages;
	NB_CHECK_STR(ids(json_object_get(f.s.lists, "decisions"), b, sizeof(b)),
		     "aa zz d-no d-late d-open");
	NB_CHECK_STR(filter_ids(NB_T, &f, "decisions/category/services/", &pages, b, sizeof(b)),
		     "aa zz");
	fixture_free(&f);
	docs_free(&x);
}

NB_TEST_MAIN("lists", NB_CASE(test_many_communities), NB_CASE(test_kind_lists_newest_first),
	     NB_CASE(test_decision_filters),
	     NB_CASE(test_status_as_of), NB_CASE(test_filter_pages_are_cut),
	     NB_CASE(test_community_lists_cut), NB_CASE(test_taken_path_left_out),
	     NB_CASE(test_list_page_taken_is_an_error), NB_CASE(test_evaluation_years),
	     NB_CASE(test_meeting_status_default), NB_CASE(test_same_day_ties_agree))

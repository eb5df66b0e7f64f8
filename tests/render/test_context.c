/*
 * test_context.c - a page's template context (render/context.h), made
 * from the small site of tests/fixture_site.h linked through the real
 * stages: what a layout can read for a document, a list, the home page
 * and the 404 page, and the `site` each kind's pages share. The rendered
 * HTML is test_render.c's; this names the value when a context is wrong.
 */
#include "harness.h"

#include "fixture_site.h"
#include "render/context.h"

typedef struct ctx_fixture {
	fixture f;
	json_t *navs;
	nb_trend_charts charts;
	int rc;
} ctx_fixture;

static void ctx_open(ctx_fixture *c)
{
	memset(c, 0, sizeof(*c));
	c->rc = fixture_open(&c->f, "2024-07-01");
	c->navs = json_object();
	if (c->rc == 0)
		nb_trend_charts_init(&c->charts, &c->f.s, NB_TREND_CHARTS_BYTES);
	else
		nb_diag_print(&c->f.d, stderr, 0);
}

static void ctx_close(ctx_fixture *c)
{
	if (c->rc == 0)
		nb_trend_charts_free(&c->charts);
	json_decref(c->navs);
	fixture_free(&c->f);
}

static const json_t *sget_v(const json_t *o, const char *path)
{
	/* "a.b.c": members; "a.1.b": an array's element. */
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	const json_t *v = o;
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && v;
	     k = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(k)) : json_object_get(v, k);
	return v;
}

static const char *sget(const json_t *o, const char *path)
{
	return json_string_value(sget_v(o, path));
}

/* The navigation entries of `site` marked current, by kind, space-separated. */
static char *current_nav(const json_t *site)
{
	nb_buf b = NB_BUF_INIT;
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(site, "nav"), i, e) {
		if (json_is_true(json_object_get(e, "current"))) {
			if (b.len)
				nb_buf_putc(&b, ' ');
			nb_buf_puts(&b, json_string_value(json_object_get(e, "kind")));
		}
	}
	return nb_buf_detach(&b);
}

NB_TEST(test_document_context)
{
	ctx_fixture c;
	ctx_open(&c);
	NB_CHECK(c.rc == 0);
	long m1 = nb_site_find(&c.f.s, "m1");
	NB_CHECK(m1 >= 0);
	json_t *ctx = nb_context_page(c.navs, &c.f.s, &c.charts, NB_PAGE_DOC, (size_t)m1, NULL);
	NB_CHECK_STR(sget(ctx, "lang"), "en");
	NB_CHECK_STR(sget(ctx, "t.home"), "Home");
	NB_CHECK_STR(sget(ctx, "page.title"), "March plenary");
	/* Home, the kind's list, the page itself (no link). */
	const json_t *crumbs = json_object_get(json_object_get(ctx, "page"), "breadcrumbs");
	NB_CHECK(json_array_size(crumbs) == 3);
	NB_CHECK_STR(sget(ctx, "page.breadcrumbs.0.url"), "/");
	NB_CHECK_STR(sget(ctx, "page.breadcrumbs.1.title"), "Meeting minutes");
	NB_CHECK_STR(sget(ctx, "page.breadcrumbs.1.url"), "/meetings/");
	NB_CHECK_STR(sget(ctx, "page.breadcrumbs.2.title"), "March plenary");
	NB_CHECK(json_object_get(json_array_get(crumbs, 2), "url") == NULL);
	/* The body is the worker's to add, after the page memo had its say. */
	NB_CHECK(json_object_get(json_object_get(ctx, "page"), "content") == NULL);
	char *cur = current_nav(json_object_get(ctx, "site"));
	NB_CHECK_STR(cur, "meetings");
	free(cur);
	NB_CHECK_STR(nb_context_nav_kind(&c.f.s, NB_PAGE_DOC, (size_t)m1, NULL), "meetings");
	json_decref(ctx);
	ctx_close(&c);
}

NB_TEST(test_list_context)
{
	ctx_fixture c;
	ctx_open(&c);
	NB_CHECK(c.rc == 0);
	json_t *ctx = nb_context_page(c.navs, &c.f.s, &c.charts, NB_PAGE_LIST, 1, "decisions");
	NB_CHECK_STR(sget(ctx, "page.title"), "Decisions");
	NB_CHECK_STR(sget(ctx, "page.url"), "/decisions/");
	NB_CHECK_STR(sget(ctx, "page.kind"), "decisions");
	NB_CHECK(json_array_size(json_object_get(json_object_get(ctx, "page"), "breadcrumbs")) == 2);
	/* All three decisions, on the one page the fixture's size makes. */
	const json_t *list = json_object_get(ctx, "list");
	NB_CHECK(json_integer_value(json_object_get(list, "count")) == 3);
	NB_CHECK(json_array_size(json_object_get(list, "items")) == 3);
	char *cur = current_nav(json_object_get(ctx, "site"));
	NB_CHECK_STR(cur, "decisions");
	free(cur);
	json_decref(ctx);
	ctx_close(&c);
}

NB_TEST(test_home_and_not_found)
{
	ctx_fixture c;
	ctx_open(&c);
	NB_CHECK(c.rc == 0);
	json_t *home = nb_context_page(c.navs, &c.f.s, &c.charts, NB_PAGE_HOME, 0, NULL);
	NB_CHECK(json_is_true(json_object_get(json_object_get(home, "page"), "is_home")));
	NB_CHECK_STR(sget(home, "page.title"), "Hongling");
	/* A section per kind that has pages, meetings first. */
	NB_CHECK_STR(sget(home, "home.sections.0.kind"), "meetings");
	NB_CHECK_STR(sget(home, "home.sections.0.url"), "/meetings/");
	char *cur = current_nav(json_object_get(home, "site"));
	NB_CHECK_STR(cur, "");
	free(cur);
	json_t *nf = nb_context_page(c.navs, &c.f.s, &c.charts, NB_PAGE_404, 0, NULL);
	NB_CHECK_STR(sget(nf, "page.title"), "Page not found");
	NB_CHECK(nb_context_nav_kind(&c.f.s, NB_PAGE_404, 0, NULL) == NULL);
	json_decref(home);
	json_decref(nf);
	ctx_close(&c);
}

/*
 * The home page names each community on a card up to a dozen
 * (NB_SITE_LINKS_MAX); past that, by name only, under their streets (in
 * the order of each street's first community, those without one last
 * with no heading), as a district of a thousand made a home page of half
 * a megabyte. The fixture's Hongling names no street.
 */
NB_TEST(test_home_many_communities)
{
	for (int n = 11; n <= 12; n++) {
		char files[12][2][256];
		const char *extra[12][2];
		for (int i = 0; i < n; i++) {
			snprintf(files[i][0], sizeof(files[i][0]), "content/communities/c%02d.md", i);
			snprintf(files[i][1], sizeof(files[i][1]),
				 "---\ntitle: \"C%02d\"\nname: \"C%02d\"\nstreet: \"%s\"\n"
				 "type: \"老旧住宅区\"\nplatform: \"residents-committee\"\n---\nAbout.\n",
				 i, i, i % 3 ? "South" : "North");
			extra[i][0] = files[i][0];
			extra[i][1] = files[i][1];
		}
		ctx_fixture c;
		memset(&c, 0, sizeof(c));
		c.rc = fixture_open_with(&c.f, "2024-07-01", extra, (size_t)n);
		c.navs = json_object();
		NB_CHECK(c.rc == 0);
		if (c.rc == 0)
			nb_trend_charts_init(&c.charts, &c.f.s, NB_TREND_CHARTS_BYTES);
		json_t *home = nb_context_page(c.navs, &c.f.s, &c.charts, NB_PAGE_HOME, 0, NULL);
		const json_t *h = json_object_get(home, "home");
		if (n == 11) {
			NB_CHECK(json_array_size(json_object_get(h, "communities")) == 12);
			NB_CHECK(!json_object_get(h, "streets"));
		} else {
			NB_CHECK(!json_object_get(h, "communities"));
			const json_t *st = json_object_get(h, "streets");
			NB_CHECK(json_array_size(st) == 3);
			NB_CHECK_STR(sget(h, "streets.0.heading"), "North");
			NB_CHECK_STR(sget(h, "streets.0.items.0.title"), "C00");
			NB_CHECK_STR(sget(h, "streets.0.items.3.title"), "C09");
			NB_CHECK(json_array_size(sget_v(h, "streets.0.items")) == 4);
			NB_CHECK_STR(sget(h, "streets.1.heading"), "South");
			NB_CHECK_STR(sget(h, "streets.1.items.0.title"), "C01");
			NB_CHECK(json_array_size(sget_v(h, "streets.1.items")) == 8);
			NB_CHECK(!sget(h, "streets.2.heading"));
			NB_CHECK_STR(sget(h, "streets.2.items.0.title"), "Hongling");
			NB_CHECK_STR(sget(h, "streets.2.items.0.url"), "/communities/hl/");
			NB_CHECK(json_array_size(sget_v(h, "streets.2.items")) == 1);
		}
		json_decref(home);
		ctx_close(&c);
	}
}

NB_TEST(test_site_made_once_per_kind)
{
	ctx_fixture c;
	ctx_open(&c);
	NB_CHECK(c.rc == 0);
	/* Shared by every page of a kind (the page memo hashes it once). */
	json_t *a = nb_context_site_for(c.navs, &c.f.s, "meetings");
	json_t *b = nb_context_site_for(c.navs, &c.f.s, "meetings");
	json_t *none = nb_context_site_for(c.navs, &c.f.s, NULL);
	NB_CHECK(a == b);
	NB_CHECK(a != none);
	NB_CHECK(json_object_size(c.navs) == 2);
	long m2 = nb_site_find(&c.f.s, "m2");
	json_t *ctx = nb_context_page(c.navs, &c.f.s, &c.charts, NB_PAGE_DOC, (size_t)m2, NULL);
	NB_CHECK(json_object_get(ctx, "site") == a);
	/* The graph's own `site` keeps no entry marked current. */
	char *cur = current_nav(c.f.s.site);
	NB_CHECK_STR(cur, "");
	free(cur);
	json_decref(ctx);
	ctx_close(&c);
}

NB_TEST_MAIN("context", NB_CASE(test_document_context), NB_CASE(test_list_context),
	     NB_CASE(test_home_and_not_found), NB_CASE(test_home_many_communities),
	     NB_CASE(test_site_made_once_per_kind))

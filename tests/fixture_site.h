/*
 * fixture_site.h - a small complete site, written to a temporary folder,
 * loaded and linked through the real stages, for the unit tests of
 * linking (tests/graph/test_site.c) and rendering (tests/render/).
 *
 * One community, two meetings, three decisions (one open, one past its
 * due date, one the votes rejected), two charter versions (the second not
 * yet in force) and two quarterly evaluations, so that every derivation
 * the tests look at has something to derive from. English, so the labels
 * the tests read are the theme's en strings.
 */
#ifndef NB_FIXTURE_SITE_H
#define NB_FIXTURE_SITE_H

#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "graph/site.h"
#include "load/content.h"
#include "template/theme.h"
#include "util/diag.h"
#include "util/fs.h"

static const char *const fixture_files[][2] = {
	{ "site.yaml", "title: \"Hongling\"\nlanguage: en\nbase_url: \"/\"\n" },
	{ "content/communities/hl.md",
	  "---\ntitle: \"Hongling\"\nname: \"Hongling\"\ntype: \"老旧住宅区\"\n"
	  "platform: \"residents-committee\"\ncommittee:\n"
	  "  - {name: \"A1\", role: \"主任\"}\n  - {name: \"A2\", role: \"委员\"}\n"
	  "  - {name: \"A3\", role: \"委员\"}\n  - {name: \"A4\", role: \"委员\"}\n"
	  "  - {name: \"A5\", role: \"委员\"}\n  - {name: \"A6\", role: \"委员\"}\n"
	  "  - {name: \"A7\", role: \"委员\"}\n---\nAbout.\n" },
	{ "content/meetings/2024/m1.md",
	  "---\ntitle: \"March plenary\"\nid: \"m1\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
	  "date: \"2024-03-08\"\nattendees: [A1, A2, B1]\nabsent: [C1]\nstatus: \"approved\"\n"
	  "approved_at: \"m2\"\nstart: \"19:00\"\nend: \"21:00\"\nagenda: [Bikes, Bins]\n"
	  "---\n## Minutes\n" },
	{ "content/meetings/2024/m2.md",
	  "---\ntitle: \"June plenary\"\nid: \"m2\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
	  "date: \"2024-06-14\"\nattendees: [A1, A2, A3]\n---\n## Minutes\n" },
	{ "content/decisions/2024/d-open.md",
	  "---\ntitle: \"Bike shed\"\nid: \"d-open\"\ncommunity: \"hl\"\nmeeting: \"m1\"\n"
	  "date: \"2024-03-08\"\ncategory: \"fire-safety\"\nvotes: {for: 3, against: 0, abstain: 0}\n"
	  "result: \"adopted\"\ndue: \"2099-12-31\"\n---\nText.\n" },
	{ "content/decisions/2024/d-late.md",
	  "---\ntitle: \"Fire lane\"\nid: \"d-late\"\ncommunity: \"hl\"\nmeeting: \"m1\"\n"
	  "date: \"2024-03-08\"\ncategory: \"fire-safety\"\nvotes: {for: 2, against: 1, abstain: 0}\n"
	  "due: \"2024-04-30\"\n---\nText.\n" },
	{ "content/decisions/2024/d-no.md",
	  "---\ntitle: \"Paint it red\"\nid: \"d-no\"\ncommunity: \"hl\"\nmeeting: \"m2\"\n"
	  "date: \"2024-06-14\"\ncategory: \"fire-safety\"\nvotes: {for: 1, against: 2, abstain: 0}\n"
	  "---\nText.\n" },
	{ "content/charters/hl/v1.md",
	  "---\ntitle: \"Hongling charter\"\ncommunity: \"hl\"\nversion: 1\n"
	  "effective: \"2024-01-01\"\n---\n## Article 1 General\n\nOld text.\n" },
	{ "content/charters/hl/v2.md",
	  "---\ntitle: \"Hongling charter\"\ncommunity: \"hl\"\nversion: 2\n"
	  "effective: \"2024-12-01\"\n---\n## Article 1 General\n\nNew text.\n"
	  "\n## Article 2 Bins\n\nA & B <c>.\n" },
	{ "content/evaluations/2024/q1.md",
	  "---\ntitle: \"Q1\"\nid: \"q1\"\ncommunity: \"hl\"\nperiod: \"2024-Q1\"\n"
	  "internal: {informed: 0.70, participation: 0.30, satisfaction: 0.80}\n"
	  "external: {complaints: 20, cases: 9, admin_cost: 196000}\n---\nOk.\n" },
	{ "content/evaluations/2024/q2.md",
	  "---\ntitle: \"Q2\"\nid: \"q2\"\ncommunity: \"hl\"\nperiod: \"2024-Q2\"\n"
	  "internal: {informed: 0.74, participation: 0.30, satisfaction: 0.78}\n"
	  "external: {complaints: 25, cases: 9, admin_cost: 190000}\n---\nOk.\n" },
	{ "content/pages/about.md",
	  "---\ntitle: \"About <us> & them\"\ndate: \"2024-01-05\"\n---\nWe are *here*.\n" },
};

typedef struct fixture {
	char dir[64];
	nb_config cfg;
	nb_theme theme;
	nb_content c;
	nb_site s;
	nb_diag d;
	json_t *views;  /* id -> its page's view (fixture_page) */
} fixture;

static inline void fixture_write(const fixture *f, const char *const (*files)[2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *p = nb_path_join(f->dir, files[i][0]);
		if (nb_fs_write(p, files[i][1], strlen(files[i][1])) != 0)
			abort();
		free(p);
	}
}

/* Write, load and link the site as of `as_of`, with `extra` (n_extra
 * pairs of path and text, NULL for none) written after the fixture's own
 * files: a test's own documents, or its version of one of ours. 0, or -1
 * (the errors in f->d) when a stage failed. Free with fixture_free either
 * way. */
static inline int fixture_open_with(fixture *f, const char *as_of,
				    const char *const (*extra)[2], size_t n_extra)
{
	memset(f, 0, sizeof(*f));
	nb_diag_init(&f->d);
	strcpy(f->dir, "/tmp/nb-fixture-XXXXXX");
	if (!mkdtemp(f->dir))
		abort();
	fixture_write(f, fixture_files, sizeof(fixture_files) / sizeof(fixture_files[0]));
	if (extra)
		fixture_write(f, extra, n_extra);
	if (nb_config_load(&f->cfg, f->dir, &f->d) != 0)
		return -1;
	nb_theme_load(&f->theme, &f->cfg, &f->d);
	nb_markdown_opts mo = { 0 };
	nb_content_opts co = { &mo, 0, nb_site_reads_body, NULL, NULL };
	nb_content_load(&f->c, &f->cfg, &co, &f->d);
	nb_site_opts so = { as_of, 0, 0, NULL };
	nb_site_link(&f->s, &f->cfg, &f->c, &f->theme, &so, &f->d);
	return f->d.errors ? -1 : 0;
}

/* The fixture alone (fixture_open_with). */
static inline int fixture_open(fixture *f, const char *as_of)
{
	return fixture_open_with(f, as_of, NULL, 0);
}

static inline void fixture_free(fixture *f)
{
	json_decref(f->views);
	nb_site_free(&f->s);
	nb_content_free(&f->c);
	nb_theme_free(&f->theme);
	nb_config_free(&f->cfg);
	nb_diag_free(&f->d);
	nb_fs_rmtree(f->dir);
}

/* The `page` object templates see for the document with that id (the
 * graph's with its view, site.h nb_site_page_view; kept until
 * fixture_free), or NULL. */
static inline const json_t *fixture_page(fixture *f, const char *id)
{
	long i = nb_site_find(&f->s, id);
	if (i < 0)
		return NULL;
	if (!f->views)
		f->views = json_object();
	json_t *v = json_object_get(f->views, id);
	if (!v) {
		v = nb_site_page_view(&f->s, &f->s.pages[i]);
		json_object_set_new(f->views, id, v);
	}
	return v;
}

/* The indicator row `key` ({key, value_display, change_display, ...}) of
 * an evaluation's page view, or NULL. */
static inline const json_t *fixture_indicator(const json_t *page, const char *key)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(page, "indicators"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "key")), key))
			return r;
	return NULL;
}

#endif

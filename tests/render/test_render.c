/*
 * test_render.c - the render stage with the default theme: the small site
 * of tests/fixture_site.h, linked through the real stages and rendered
 * into a temporary folder; the key HTML of a few pages is checked. The
 * e2e suites read whole built sites; this names the page and the element
 * when a template or the context it gets goes wrong.
 */
#include "harness.h"

#include "fixture_site.h"
#include "render/render.h"

typedef struct rendered {
	fixture f;
	char out[96];
	nb_render_stats st;
	int rc;
} rendered;

static void render_open(rendered *r)
{
	memset(r, 0, sizeof(*r));
	r->rc = fixture_open(&r->f, "2024-07-01");
	snprintf(r->out, sizeof(r->out), "%s/out", r->f.dir);
	if (r->rc == 0 && nb_fs_mkdirs(r->out) == 0)
		r->rc = nb_render_site(&r->f.s, &r->f.c, r->out, &r->st, &r->f.d);
	if (r->rc)
		nb_diag_print(&r->f.d, stderr, 0);
}

/* The text of output file `rel` (malloc'd), or NULL. */
static char *page(const rendered *r, const char *rel)
{
	char *p = nb_path_join(r->out, rel), *data = NULL;
	size_t len = 0;
	if (nb_fs_read(p, 0, &data, &len) != 0)
		data = NULL;
	free(p);
	return data;
}

NB_TEST(test_renders_every_page)
{
	rendered r;
	render_open(&r);
	NB_CHECK(r.rc == 0);
	NB_CHECK(r.f.d.errors == 0);
	/* One page per document at least, plus lists, home and the rest. */
	NB_CHECK(r.st.pages > r.f.s.len);
	char *home = page(&r, "index.html");
	NB_CHECK_CONTAINS(home, "<html lang=\"en\"");
	NB_CHECK_CONTAINS(home, "Hongling");
	free(home);
	fixture_free(&r.f);
}

NB_TEST(test_meeting_page)
{
	rendered r;
	render_open(&r);
	char *m1 = page(&r, "meetings/m1/index.html");
	NB_CHECK_CONTAINS(m1, "<title>March plenary");
	NB_CHECK_CONTAINS(m1, "<h1");
	/* Its decisions, linked from its page (derived, not typed). */
	NB_CHECK_CONTAINS(m1, "href=\"/decisions/d-open/\"");
	NB_CHECK_CONTAINS(m1, "href=\"/decisions/d-late/\"");
	NB_CHECK(m1 && !strstr(m1, "href=\"/decisions/d-no/\""));
	NB_CHECK_CONTAINS(m1, "href=\"/communities/hl/\"");
	free(m1);
	fixture_free(&r.f);
}

NB_TEST(test_decision_and_evaluation_pages)
{
	rendered r;
	render_open(&r);
	char *late = page(&r, "decisions/d-late/index.html");
	/* The status as of the build date, in the theme's words. */
	NB_CHECK_CONTAINS(late, "verdue");
	NB_CHECK_CONTAINS(late, "href=\"/meetings/m1/\"");
	free(late);
	char *q2 = page(&r, "evaluations/q2/index.html");
	NB_CHECK_CONTAINS(q2, "<svg");
	NB_CHECK_CONTAINS(q2, "+4.0");
	free(q2);
	char *cmp = page(&r, "charters/hl/v2/changes/index.html");
	NB_CHECK_CONTAINS(cmp, "<del");
	NB_CHECK_CONTAINS(cmp, "<ins");
	/* The article's own diff, which graph/ keeps as spans and render/
	 * marks up (diffhtml.h); the legend alone has <del> and <ins> too. */
	NB_CHECK_CONTAINS(cmp, "</span>Old</del>");
	NB_CHECK_CONTAINS(cmp, "</span>New</ins> text.");
	/* An added article's text is escaped once, not twice. */
	NB_CHECK_CONTAINS(cmp, "A &amp; B &lt;c&gt;.");
	NB_CHECK(cmp && !strstr(cmp, "&amp;amp;"));
	free(cmp);
	fixture_free(&r.f);
}

NB_TEST(test_text_is_escaped)
{
	rendered r;
	render_open(&r);
	char *about = page(&r, "pages/about/index.html");
	NB_CHECK_CONTAINS(about, "About &lt;us&gt; &amp; them");
	NB_CHECK(about && !strstr(about, "About <us>"));
	/* The body's Markdown became HTML. */
	NB_CHECK_CONTAINS(about, "<em>here</em>");
	free(about);
	fixture_free(&r.f);
}

NB_TEST_MAIN("render",
	NB_CASE(test_renders_every_page),
	NB_CASE(test_meeting_page),
	NB_CASE(test_decision_and_evaluation_pages),
	NB_CASE(test_text_is_escaped))

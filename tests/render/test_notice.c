/*
 * test_notice.c - the printed notice says the right disclosure period and
 * points at the right page.
 *
 * A notice pinned on the board tells residents until when they may object
 * (公示期): a period one day short or long, or one that ends before it
 * starts, is a wrong public fact on paper that cannot be corrected by a
 * rebuild. The fixture site plus meetings of our own is linked through the
 * real stages and each page's notice (nb_notice_page) held to periods
 * worked out by hand: a 7-day notice posted on the 1st runs through the
 * 7th, across month ends, year ends and leap days (2024 and 2000 are leap
 * years, 2023 and 2100 are not). Dates are compared through the site's own
 * date display, so the test holds the day, not the format. The QR code
 * must exist only for an absolute address, be the same every build, and
 * change with the address.
 */
#include "harness.h"

#include "fixture_site.h"
#include "render/notice.h"
#include "schema/validate.h"

/* A meeting of the fixture's community with `fm` as extra front matter. */
#define MEETING(id, date, fm)                                                 \
	"---\ntitle: \"" id "\"\nid: \"" id "\"\ncommunity: \"hl\"\n"           \
	"kind: \"plenary\"\ndate: \"" date "\"\nattendees: [A1, A2]\n" fm        \
	"---\n## Minutes\n"

#define SITE_7 "title: \"Hongling\"\nlanguage: en\nbase_url: \"https://example.org/nb/\"\n" \
	       "notice:\n  period_days: 7\n"

static const char *const periods[][2] = {
	{ "site.yaml", SITE_7 },
	{ "content/meetings/p1.md", MEETING("p1", "2024-03-01", "") },
	{ "content/meetings/p2.md", MEETING("p2", "2024-01-28", "") },
	{ "content/meetings/p3.md", MEETING("p3", "2024-02-25", "") },
	{ "content/meetings/p4.md", MEETING("p4", "2023-02-25", "") },
	{ "content/meetings/p5.md", MEETING("p5", "2024-12-28", "") },
	/* notice_from moves the start; the document's date does not count. */
	{ "content/meetings/p6.md", MEETING("p6", "2024-03-01", "notice_from: \"2100-02-25\"\n") },
	{ "content/meetings/p7.md", MEETING("p7", "2024-03-01", "notice_from: \"2000-02-25\"\n") },
	/* notice_until wins over period_days, and may be the first day. */
	{ "content/meetings/p8.md", MEETING("p8", "2024-03-01", "notice_until: \"2024-03-20\"\n") },
	{ "content/meetings/p9.md",
	  MEETING("p9", "2024-03-01",
		  "notice_from: \"2024-03-05\"\nnotice_until: \"2024-03-05\"\n") },
};

/* The notice of page `id` (a new value) as a rendered page has it, its
 * QR code drawn (notice.h), or NULL. */
static json_t *notice_of(fixture *f, const char *id)
{
	long i = nb_site_find(&f->s, id);
	json_t *n = i < 0 ? NULL : nb_notice_page(&f->s, &f->s.pages[i]);
	if (n)
		nb_notice_draw_later(n);
	return n;
}

static const char *nstr(const json_t *n, const char *key)
{
	json_t *v = json_object_get(n, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Page `id`'s notice runs from `from` through `until` (ISO dates). */
static int period_is(nb_test_state *nb__t, fixture *f, const char *id, const char *from,
		     const char *until)
{
	int before = nb__t->failed_checks;
	json_t *n = notice_of(f, id);
	json_t *wf = nb_site_date_value(&f->s, from), *wu = nb_site_date_value(&f->s, until);
	NB_CHECK(n != NULL);
	NB_CHECK(json_is_true(json_object_get(n, "has_period")));
	NB_CHECK_STR(nstr(n, "from_display"), json_string_value(wf));
	NB_CHECK_STR(nstr(n, "until_display"), json_string_value(wu));
	json_decref(wf);
	json_decref(wu);
	json_decref(n);
	if (nb__t->failed_checks != before)
		fprintf(stderr, "    (page %s)\n", id);
	return nb__t->failed_checks == before;
}

NB_TEST(period_days_counts_the_first_day)
{
	fixture f;
	NB_CHECK(fixture_open_with(&f, "2025-01-31", periods, 10) == 0);
	/* The display is the date as residents read it, not a placeholder. */
	json_t *w = nb_site_date_value(&f.s, "2024-03-07");
	NB_CHECK(strstr(json_string_value(w), "7") != NULL);
	NB_CHECK(strstr(json_string_value(w), "2024") != NULL);
	json_decref(w);
	period_is(nb__t, &f, "p1", "2024-03-01", "2024-03-07");
	period_is(nb__t, &f, "p2", "2024-01-28", "2024-02-03");
	period_is(nb__t, &f, "p3", "2024-02-25", "2024-03-02");  /* through 29 Feb */
	period_is(nb__t, &f, "p4", "2023-02-25", "2023-03-03");
	period_is(nb__t, &f, "p5", "2024-12-28", "2025-01-03");
	period_is(nb__t, &f, "p6", "2100-02-25", "2100-03-03");  /* 2100 is not leap */
	period_is(nb__t, &f, "p7", "2000-02-25", "2000-03-02");  /* 2000 is */
	period_is(nb__t, &f, "p8", "2024-03-01", "2024-03-20");
	period_is(nb__t, &f, "p9", "2024-03-05", "2024-03-05");
	fixture_free(&f);
}

/* The bounds site.yaml allows: 1 day is the posting day alone, 366 a
 * whole leap year; 0 and 367 are errors, not a silent "no period". */
static int open_with_days(fixture *f, const char *days)
{
	char site[256];
	snprintf(site, sizeof(site), "title: \"Hongling\"\nlanguage: en\nbase_url: \"/\"\n"
				     "notice:\n  period_days: %s\n", days);
	const char *const files[][2] = {
		{ "site.yaml", site },
		{ "content/meetings/p1.md", MEETING("p1", "2024-03-01", "") },
	};
	return fixture_open_with(f, "2025-01-31", files, 2);
}

NB_TEST(period_days_bounds)
{
	fixture f;
	NB_CHECK(open_with_days(&f, "1") == 0);
	period_is(nb__t, &f, "p1", "2024-03-01", "2024-03-01");
	fixture_free(&f);
	NB_CHECK(open_with_days(&f, "366") == 0);
	period_is(nb__t, &f, "p1", "2024-03-01", "2025-03-01");
	fixture_free(&f);
	NB_CHECK(open_with_days(&f, "365") == 0);
	period_is(nb__t, &f, "p1", "2024-03-01", "2025-02-28");
	fixture_free(&f);
	NB_CHECK(open_with_days(&f, "0") != 0);
	fixture_free(&f);
	NB_CHECK(open_with_days(&f, "367") != 0);
	fixture_free(&f);
	NB_CHECK(open_with_days(&f, "-3") != 0);
	fixture_free(&f);
}

/* Without period_days or notice_until there is no period to print; the
 * notice is still made (its committee and date) for a meeting or a
 * decision, and none for another kind. */
NB_TEST(no_period_without_an_end)
{
	fixture f;
	const char *const files[][2] = {
		{ "content/meetings/p1.md", MEETING("p1", "2024-03-01", "") },
	};
	NB_CHECK(fixture_open_with(&f, "2025-01-31", files, 1) == 0);
	json_t *n = notice_of(&f, "p1");
	NB_CHECK(n != NULL);
	NB_CHECK(json_object_get(n, "has_period") == NULL);
	NB_CHECK(json_object_get(n, "until_display") == NULL);
	json_t *w = nb_site_date_value(&f.s, "2024-03-01");
	NB_CHECK_STR(nstr(n, "date_display"), json_string_value(w));
	json_decref(w);
	json_decref(n);
	n = notice_of(&f, "d-open");
	NB_CHECK(n != NULL);
	json_decref(n);
	NB_CHECK(notice_of(&f, "q1") == NULL);
	NB_CHECK(notice_of(&f, "hl") == NULL);
	fixture_free(&f);
}

/* A meeting without a date is an error of the check stage (its date is
 * required), so a notice without a first day is never printed; the view
 * alone still prints no period then, even with notice_until or
 * period_days, and no date under the signature. notice_from alone is a
 * first day. */
NB_TEST(no_date_no_period)
{
	fixture f;
	const char *const files[][2] = {
		{ "site.yaml", SITE_7 },
		{ "content/meetings/u1.md",
		  "---\ntitle: \"u1\"\nid: \"u1\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
		  "attendees: [A1, A2]\nnotice_until: \"2024-03-07\"\n---\n## Minutes\n" },
		{ "content/meetings/u2.md",
		  "---\ntitle: \"u2\"\nid: \"u2\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
		  "attendees: [A1, A2]\n---\n## Minutes\n" },
		{ "content/meetings/u3.md",
		  "---\ntitle: \"u3\"\nid: \"u3\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
		  "attendees: [A1, A2]\nnotice_from: \"2024-02-28\"\n---\n## Minutes\n" },
	};
	NB_CHECK(fixture_open_with(&f, "2025-01-31", files, 4) == 0);
	NB_CHECK(nb_notice_link(&f.s, &f.d) == 0);
	for (int i = 0; i < 2; i++) {
		json_t *n = notice_of(&f, i ? "u2" : "u1");
		NB_CHECK(n != NULL);
		NB_CHECK(json_object_get(n, "has_period") == NULL);
		NB_CHECK(json_object_get(n, "from_display") == NULL);
		NB_CHECK(json_object_get(n, "date_display") == NULL);
		json_decref(n);
	}
	period_is(nb__t, &f, "u3", "2024-02-28", "2024-03-05");
	NB_CHECK(nb_validate(&f.c, &f.cfg, &f.d) != 0);
	int missing = 0;
	for (size_t k = 0; k < f.d.len; k++)
		if (strstr(f.d.items[k].file, "/u") && strstr(f.d.items[k].msg, "`date`"))
			missing++;
	NB_CHECK(missing == 3);
	fixture_free(&f);
}

/* A day that is not in the calendar is refused before it is counted. */
NB_TEST(impossible_dates_refused)
{
	const char *const bad[] = { "2023-02-29", "2024-02-30", "2024-04-31", "2024-13-01" };
	for (size_t i = 0; i < 4; i++) {
		char fm[64], doc[512];
		snprintf(fm, sizeof(fm), "notice_until: \"%s\"\n", bad[i]);
		snprintf(doc, sizeof(doc), MEETING("p1", "2024-02-01", "%s"), fm);
		const char *const files[][2] = { { "content/meetings/p1.md", doc } };
		fixture f;
		int rc = fixture_open_with(&f, "2025-01-31", files, 1);
		if (rc == 0)
			rc = nb_validate(&f.c, &f.cfg, &f.d);
		if (rc == 0)
			rc = nb_notice_link(&f.s, &f.d);
		if (rc == 0)
			fprintf(stderr, "  accepted %s\n", bad[i]);
		NB_CHECK(rc != 0);
		fixture_free(&f);
	}
}

/* A period that ends before it starts is an error at notice_until (the
 * link stage's check, which a build runs before anything is written:
 * such a notice is never printed), against notice_from or, without it,
 * the document's date. Ending on the first day is a one-day period. */
NB_TEST(inverted_period_is_an_error)
{
	const char *const cases[][2] = {
		{ "content/meetings/p1.md",
		  MEETING("p1", "2024-03-01", "notice_until: \"2024-02-29\"\n") },
		{ "content/meetings/p1.md",
		  MEETING("p1", "2024-03-01", "notice_from: \"2025-01-01\"\n"
					      "notice_until: \"2024-12-31\"\n") },
		{ "content/meetings/p1.md",
		  MEETING("p1", "2024-03-01", "notice_until: \"2024-03-01\"\n") },
	};
	const int line[] = { 8, 9, 0 };
	for (size_t i = 0; i < 3; i++) {
		fixture f;
		const char *const files[][2] = { { "site.yaml", SITE_7 },
						 { cases[i][0], cases[i][1] } };
		NB_CHECK(fixture_open_with(&f, "2025-01-31", files, 2) == 0);
		NB_CHECK(nb_notice_link(&f.s, &f.d) == (line[i] ? -1 : 0));
		int found = 0;
		for (size_t k = 0; k < f.d.len; k++) {
			const nb_diag_entry *e = &f.d.items[k];
			if (e->code && !strcmp(e->code, "notice-period-order")) {
				found++;
				NB_CHECK(e->line == line[i]);
				NB_CHECK_CONTAINS(e->file, "p1.md");
			}
		}
		NB_CHECK(found == (line[i] ? 1 : 0));
		fixture_free(&f);
	}
	/* The fixture's own meetings and decisions have no period: no error. */
	fixture f;
	NB_CHECK(fixture_open_with(&f, "2025-01-31", periods, 10) == 0);
	NB_CHECK(nb_notice_link(&f.s, &f.d) == 0);
	NB_CHECK(f.d.errors == 0);
	fixture_free(&f);
}

/* The QR code is of the page's absolute address: none with base_url "/",
 * the same for the same page in every build, different for another page,
 * and the same as encoding the address itself. */
NB_TEST(qr_code_of_the_absolute_address)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2025-01-31") == 0);
	json_t *n = notice_of(&f, "m1");
	NB_CHECK(json_object_get(n, "qr_svg") == NULL);
	NB_CHECK(json_object_get(n, "absolute") == NULL);
	NB_CHECK(nstr(n, "url") && nstr(n, "url")[0] == '/');
	json_decref(n);
	fixture_free(&f);

	NB_CHECK(fixture_open_with(&f, "2025-01-31", periods, 10) == 0);
	json_t *a = notice_of(&f, "p1"), *a2 = notice_of(&f, "p1"), *b = notice_of(&f, "p2");
	const char *url = nstr(a, "url"), *svg = nstr(a, "qr_svg");
	NB_CHECK(url && !strncmp(url, "https://example.org/nb/", 23));
	NB_CHECK(url && strstr(url, "p1") != NULL);
	NB_CHECK(json_is_true(json_object_get(a, "absolute")));
	NB_CHECK(svg && !strncmp(svg, "<svg class=\"qr\"", 15));
	NB_CHECK_CONTAINS(svg, "width=\"30mm\"");
	NB_CHECK_CONTAINS(svg, url);  /* its text alternative names the address */
	NB_CHECK_STR(nstr(a2, "qr_svg"), svg ? svg : "");
	/* Another page, another drawing (not only another label). */
	const char *pb = nstr(b, "qr_svg") ? strstr(nstr(b, "qr_svg"), "<path") : NULL;
	NB_CHECK(svg && pb && strcmp(strstr(svg, "<path"), pb) != 0);
	/* The drawing is the address's code, whatever the label says. */
	nb_buf direct = NB_BUF_INIT;
	NB_CHECK(url && nb_notice_qr_svg(&direct, url, "x", 30) == 0);
	const char *path = svg ? strstr(svg, "<path") : NULL;
	NB_CHECK(path && strstr(nb_buf_cstr(&direct), path) != NULL);
	nb_buf_free(&direct);
	json_decref(a);
	json_decref(a2);
	json_decref(b);
	fixture_free(&f);
}

/* The context has what the code is drawn from, not the drawing: a
 * rebuild makes the contexts of pages it does not render, and their
 * codes were a fifth of that on a site with an absolute base_url. The
 * page key covers the address and the label; the drawing comes when the
 * page is rendered, the same as drawn at once, and `qr_later` goes. */
NB_TEST(qr_code_drawn_when_rendered)
{
	fixture f;
	NB_CHECK(fixture_open_with(&f, "2025-01-31", periods, 10) == 0);
	long i = nb_site_find(&f.s, "p1");
	NB_CHECK(i >= 0);
	if (i < 0) {
		fixture_free(&f);
		return;
	}
	json_t *n = nb_notice_page(&f.s, &f.s.pages[i]);
	json_t *later = json_object_get(n, "qr_later");
	NB_CHECK(json_object_get(n, "qr_svg") == NULL);
	NB_CHECK_STR(nstr(later, "text"), nstr(n, "url") ? nstr(n, "url") : "?");
	NB_CHECK_CONTAINS(nstr(later, "label"), nstr(n, "url") ? nstr(n, "url") : "?");
	nb_buf want = NB_BUF_INIT;
	NB_CHECK(nb_notice_qr_svg(&want, nstr(later, "text"), nstr(later, "label"),
				  NB_NOTICE_QR_MM) == 0);
	NB_CHECK(nb_notice_draw_later(n) == 1);
	NB_CHECK_STR(nstr(n, "qr_svg"), nb_buf_cstr(&want));
	NB_CHECK(json_object_get(n, "qr_later") == NULL);
	NB_CHECK(nb_notice_draw_later(n) == 0);
	NB_CHECK_STR(nstr(n, "qr_svg"), nb_buf_cstr(&want));
	nb_buf_free(&want);
	json_decref(n);
	fixture_free(&f);
}

/* An id in Chinese: the code holds the address percent-encoded (RFC
 * 3986), all ASCII. Raw UTF-8 in a QR code's byte mode has no declared
 * character set (ISO 8859-1 by the standard's default), so a phone may
 * read another address; the printed address stays readable. */
NB_TEST(qr_code_of_a_chinese_address)
{
	fixture f;
	const char *const files[][2] = {
		{ "site.yaml", SITE_7 },
		{ "content/meetings/cn.md", MEETING("三月会议", "2024-03-01", "") },
	};
	NB_CHECK(fixture_open_with(&f, "2025-01-31", files, 2) == 0);
	json_t *n = notice_of(&f, "三月会议");
	NB_CHECK_STR(nstr(n, "url"), "https://example.org/nb/meetings/三月会议/");
	nb_buf want = NB_BUF_INIT;
	NB_CHECK(nb_notice_qr_svg(&want, "https://example.org/nb/meetings/"
				  "%E4%B8%89%E6%9C%88%E4%BC%9A%E8%AE%AE/", "x", 30) == 0);
	const char *svg = nstr(n, "qr_svg");
	NB_CHECK(svg && strstr(svg, "<path") &&
		 !strcmp(strstr(svg, "<path"), strstr(nb_buf_cstr(&want), "<path")));
	NB_CHECK_CONTAINS(svg, "aria-label=");
	NB_CHECK_CONTAINS(svg, "meetings/三月会议/");
	nb_buf_free(&want);
	json_decref(n);
	fixture_free(&f);
}

/* Direct: deterministic, one character changes the drawing, the label is
 * escaped, and an address too long for any QR code is refused. */
NB_TEST(qr_svg_direct)
{
	nb_buf x = NB_BUF_INIT, y = NB_BUF_INIT, z = NB_BUF_INIT;
	NB_CHECK(nb_notice_qr_svg(&x, "https://example.org/a/", "<a&b>", 30) == 0);
	NB_CHECK(nb_notice_qr_svg(&y, "https://example.org/a/", "<a&b>", 30) == 0);
	NB_CHECK(nb_notice_qr_svg(&z, "https://example.org/b/", "<a&b>", 30) == 0);
	NB_CHECK_STR(nb_buf_cstr(&x), nb_buf_cstr(&y));
	NB_CHECK(strcmp(nb_buf_cstr(&x), nb_buf_cstr(&z)) != 0);
	NB_CHECK_CONTAINS(nb_buf_cstr(&x), "aria-label=\"&lt;a&amp;b&gt;\"");
	/* 25 modules (22 bytes need version 2) plus a quiet zone of four
	 * each side. */
	NB_CHECK_CONTAINS(nb_buf_cstr(&x), "viewBox=\"0 0 33 33\"");
	/* Medium error correction: 15 bytes fit version 1 (21 modules) at
	 * level L, not at M (14 at most), so a creased print still scans. */
	nb_buf m = NB_BUF_INIT;
	NB_CHECK(nb_notice_qr_svg(&m, "https://ex.org/", "x", 30) == 0);
	NB_CHECK_CONTAINS(nb_buf_cstr(&m), "viewBox=\"0 0 33 33\"");
	nb_buf_free(&m);
	NB_CHECK(strstr(nb_buf_cstr(&x), "<script") == NULL);
	char *big = malloc(4001);
	memset(big, 'a', 4000);
	big[4000] = '\0';
	nb_buf w = NB_BUF_INIT;
	NB_CHECK(nb_notice_qr_svg(&w, big, "x", 30) == -1);
	free(big);
	nb_buf_free(&w);
	nb_buf_free(&x);
	nb_buf_free(&y);
	nb_buf_free(&z);
}

NB_TEST_MAIN("notice", NB_CASE(period_days_counts_the_first_day), NB_CASE(period_days_bounds),
	     NB_CASE(no_period_without_an_end), NB_CASE(no_date_no_period),
	     NB_CASE(impossible_dates_refused), NB_CASE(inverted_period_is_an_error),
	     NB_CASE(qr_code_of_the_absolute_address),
	     NB_CASE(qr_code_of_a_chinese_address), NB_CASE(qr_svg_direct),
	     NB_CASE(qr_code_drawn_when_rendered))

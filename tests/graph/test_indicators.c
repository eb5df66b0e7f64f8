/*
 * test_indicators.c - the evaluation indicators (graph/indicators.c): the
 * figures residents read from an evaluation (rates as percentages, money
 * and counts grouped, changes with their sign), each community's trend
 * series and the comparison of communities' latest evaluations. A wrong
 * figure on a public page is the worst defect the site can have, so each
 * expectation here is worked out by hand from the documents the test
 * writes over the site fixture (tests/fixture_site.h), never copied from
 * what the code printed.
 */
#include "harness.h"

#include <stdint.h>

#include "fixture_site.h"
#include "graph/graph_internal.h"
#include "graph/trends.h"

enum { INFORMED, PARTICIPATION, SATISFACTION, COMPLAINTS, CASES, ADMIN_COST };

static const char *s_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Indicator `k` of value `v` (or a change, `change`) as a page shows it,
 * whole: "(cut)" when it does not fit `buf`, which no expectation is. */
static const char *fmt(const fixture *f, int k, double v, int change, char *buf, size_t n)
{
	nb_buf b = NB_BUF_INIT;
	nb_indicator_format(&b, &f->s, &nb_indicators[k], v, change);
	snprintf(buf, n, "%s", b.len < n ? nb_buf_cstr(&b) : "(cut)");
	nb_buf_free(&b);
	return buf;
}

static const nb_page *page_of(const fixture *f, const char *id)
{
	long i = nb_site_find(&f->s, id);
	return i < 0 ? NULL : &f->s.pages[i];
}

/* The trends of that page's community, or NULL. */
static const nb_trends *trends_of(const fixture *f, const char *id)
{
	const nb_page *p = page_of(f, id);
	return p && p->trends ? &f->s.trends[p->trends - 1] : NULL;
}

/* The display of cell `k` of trend row `i`, or NULL when the cell is empty. */
static const char *trend_cell(const nb_trends *t, size_t i, size_t k)
{
	return s_of(json_array_get(json_object_get(t->rows[i], "cells"), k), "display");
}

static const nb_extra_page *extra_at(const fixture *f, const char *out_path)
{
	for (size_t i = 0; i < f->s.n_extra; i++)
		if (!strcmp(f->s.extra[i].out_path, out_path))
			return &f->s.extra[i];
	return NULL;
}

/* The `list` derived page `out_path` renders with (site.h
 * nb_extra_list_view: a comparison's table and bars are made then), kept
 * with the fixture's views; NULL when there is no such page or list. */
static const json_t *extra_list(fixture *f, const char *out_path)
{
	const nb_extra_page *e = extra_at(f, out_path);
	if (!e)
		return NULL;
	if (!f->views)
		f->views = json_object();
	char key[512];
	snprintf(key, sizeof(key), "list:%s", out_path);
	json_t *v = json_object_get(f->views, key);
	if (!v) {
		v = nb_extra_list_view(&f->s, e);
		if (!v)
			return NULL;
		json_object_set_new(f->views, key, v);
	}
	return v;
}

/* Opens the fixture with `extra` and says why when it did not link. */
static int open_with(fixture *f, const char *const (*extra)[2], size_t n)
{
	int rc = fixture_open_with(f, "2025-06-01", extra, n);
	if (rc)
		nb_diag_print(&f->d, stderr, 0);
	return rc;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A second community, Westside, whose evaluations lie between Hongling's
 * in file order and in period: ws-q3 (2024-Q3) sits between Hongling's Q2
 * and its Q4, whose Q3 is missing. Westside's Q4 comes first in file
 * order, before its Q3; it lies in another street than Hongling (which
 * names none). A third community has no evaluation at all. Some
 * indicators are left out on purpose: Hongling's Q4 has no satisfaction,
 * Westside's Q3 no cases, Westside's Q4 neither participation nor
 * satisfaction.
 */
#define COMMUNITY(id, name, street) \
	"---\ntitle: \"" name "\"\nname: \"" name "\"\nstreet: \"" street "\"\n" \
	"type: \"老旧住宅区\"\nplatform: \"residents-committee\"\ncommittee:\n" \
	"  - {name: \"" id "1\", role: \"主任\"}\n  - {name: \"" id "2\", role: \"委员\"}\n" \
	"---\nAbout.\n"

static const char *const two[][2] = {
	{ "content/communities/ws.md", COMMUNITY("W", "Westside", "Xiangxi") },
	{ "content/communities/nv.md", COMMUNITY("N", "Newvale", "Donghu") },
	{ "content/evaluations/2024/a-ws.md",
	  "---\ntitle: \"WS Q4\"\nid: \"ws-q4\"\ncommunity: \"ws\"\nperiod: \"2024-Q4\"\n"
	  "internal: {informed: 0.85}\n"
	  "external: {complaints: 3, cases: 2, admin_cost: 79000}\n---\nOk.\n" },
	{ "content/evaluations/2024/q3.md",
	  "---\ntitle: \"WS Q3\"\nid: \"ws-q3\"\ncommunity: \"ws\"\nperiod: \"2024-Q3\"\n"
	  "internal: {informed: 0.90, participation: 0.50, satisfaction: 0.60}\n"
	  "external: {complaints: 3, admin_cost: 80000}\n---\nOk.\n" },
	{ "content/evaluations/2024/q4.md",
	  "---\ntitle: \"HL Q4\"\nid: \"hl-q4\"\ncommunity: \"hl\"\nperiod: \"2024-Q4\"\n"
	  "internal: {informed: 0.80, participation: 0.26}\n"
	  "external: {complaints: 18, cases: 9, admin_cost: 201500, "
	  "admin_cost_average: 210000}\n---\nOk.\n" },
};

/* Reading: whole numbers are numbers too, and what is not written is not
 * there (not 0), whether the key or its whole group is missing. */
NB_TEST(test_value_read)
{
	static const char *const docs[][2] = {
		{ "content/evaluations/2024/q3.md",
		  "---\ntitle: \"Q3\"\nid: \"q3\"\ncommunity: \"hl\"\nperiod: \"2024-Q3\"\n"
		  "internal: {informed: 1, participation: 0}\n---\nOk.\n" },
	};
	fixture f;
	NB_CHECK(open_with(&f, docs, N_OF(docs)) == 0);
	const nb_page *q1 = page_of(&f, "q1"), *q3 = page_of(&f, "q3");
	NB_CHECK(q1 && q3);
	if (!q1 || !q3) {
		fixture_free(&f);
		return;
	}
	double v = -1;
	NB_CHECK(nb_indicator_value(&v, q1, &nb_indicators[INFORMED]) == 0 && v == 0.70);
	NB_CHECK(nb_indicator_value(&v, q1, &nb_indicators[COMPLAINTS]) == 0 && v == 20);
	NB_CHECK(nb_indicator_value(&v, q1, &nb_indicators[ADMIN_COST]) == 0 && v == 196000);
	/* Typed as the integers 1 and 0: a full rate and an empty one. */
	NB_CHECK(nb_indicator_value(&v, q3, &nb_indicators[INFORMED]) == 0 && v == 1);
	v = -1;
	NB_CHECK(nb_indicator_value(&v, q3, &nb_indicators[PARTICIPATION]) == 0 && v == 0);
	NB_CHECK(nb_indicator_value(&v, q3, &nb_indicators[SATISFACTION]) == -1);
	for (int k = COMPLAINTS; k <= ADMIN_COST; k++)
		NB_CHECK(nb_indicator_value(&v, q3, &nb_indicators[k]) == -1);
	/* A page of another kind has none. */
	NB_CHECK(nb_indicator_value(&v, page_of(&f, "m1"), &nb_indicators[INFORMED]) == -1);
	/* Only the cost is money: complaints and cases are counts. */
	for (int k = INFORMED; k <= ADMIN_COST; k++)
		NB_CHECK(nb_indicator_money(&nb_indicators[k]) == (k == ADMIN_COST));
	/* On q3's page: the rates as 100% and 0%, no row at all for what it
	 * does not have, rather than a 0 that was never reported. */
	const json_t *p3 = fixture_page(&f, "q3");
	NB_CHECK(json_array_size(json_object_get(p3, "indicators")) == 2);
	NB_CHECK_STR(s_of(fixture_indicator(p3, "informed"), "value_display"), "100.0%");
	NB_CHECK_STR(s_of(fixture_indicator(p3, "participation"), "value_display"), "0.0%");
	NB_CHECK(fixture_indicator(p3, "satisfaction") == NULL &&
		 fixture_indicator(p3, "complaints") == NULL);
	/* Against Q2 (0.74 and 0.30): +26 and -30 points. */
	NB_CHECK_STR(s_of(fixture_indicator(p3, "informed"), "change_display"),
		     "+26.0 percentage points");
	NB_CHECK_STR(s_of(fixture_indicator(p3, "participation"), "change_display"),
		     "-30.0 percentage points");
	fixture_free(&f);
}

/* Rates as percentages to a tenth, rounded to the nearest (74.49 is 74.5,
 * 74.449 is 74.4); changes of rates in points with their sign, and a
 * change too small to show is 0.0 with no sign at all. */
NB_TEST(test_format_rates)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	char b[96];
	NB_CHECK_STR(fmt(&f, INFORMED, 0.745, 0, b, sizeof(b)), "74.5%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.7449, 0, b, sizeof(b)), "74.5%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.74449, 0, b, sizeof(b)), "74.4%");
	NB_CHECK_STR(fmt(&f, PARTICIPATION, 0.33, 0, b, sizeof(b)), "33.0%");
	NB_CHECK_STR(fmt(&f, SATISFACTION, 1.0, 0, b, sizeof(b)), "100.0%");
	NB_CHECK_STR(fmt(&f, SATISFACTION, 0.0, 0, b, sizeof(b)), "0.0%");
	NB_CHECK_STR(fmt(&f, SATISFACTION, 0.0004, 0, b, sizeof(b)), "0.0%");
	NB_CHECK_STR(fmt(&f, SATISFACTION, 0.0006, 0, b, sizeof(b)), "0.1%");
	/* 33% to 38% is 5 points, not 5%; a fall reads as one. */
	NB_CHECK_STR(fmt(&f, PARTICIPATION, 0.38 - 0.33, 1, b, sizeof(b)),
		     "+5.0 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.66 - 0.70, 1, b, sizeof(b)), "-4.0 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, -0.0451, 1, b, sizeof(b)), "-4.5 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.0449, 1, b, sizeof(b)), "+4.5 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.04449, 1, b, sizeof(b)), "+4.4 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, 1.0, 1, b, sizeof(b)), "+100.0 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.0, 1, b, sizeof(b)), "0.0 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.00004, 1, b, sizeof(b)), "0.0 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, -0.00004, 1, b, sizeof(b)), "0.0 percentage points");
	/* A value is never worded as a change, nor a change as a value. */
	NB_CHECK(!strchr(fmt(&f, INFORMED, 0.5, 0, b, sizeof(b)), '+'));
	NB_CHECK(!strchr(fmt(&f, INFORMED, 0.05, 1, b, sizeof(b)), '%'));
	fixture_free(&f);
}

/* Money and counts: whole, grouped by thousands, money with its currency;
 * changes signed, a fall with one minus and nothing else, no change and
 * a change that rounds to nothing with no sign ("-0" is no figure). */
NB_TEST(test_format_money_and_counts)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	char b[96];
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 196000, 0, b, sizeof(b)), "CNY 196,000");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 1234567, 0, b, sizeof(b)), "CNY 1,234,567");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 999.4, 0, b, sizeof(b)), "CNY 999");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 999.5, 0, b, sizeof(b)), "CNY 1,000");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 0, 0, b, sizeof(b)), "CNY 0");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 190000 - 196000, 1, b, sizeof(b)), "CNY -6,000");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 201500 - 190000, 1, b, sizeof(b)), "CNY +11,500");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 0, 1, b, sizeof(b)), "CNY 0");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, -0.4, 1, b, sizeof(b)), "CNY 0");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 0.4, 1, b, sizeof(b)), "CNY 0");
	NB_CHECK_STR(fmt(&f, COMPLAINTS, 25, 0, b, sizeof(b)), "25");
	NB_CHECK_STR(fmt(&f, COMPLAINTS, 100, 0, b, sizeof(b)), "100");
	NB_CHECK_STR(fmt(&f, COMPLAINTS, 1000, 0, b, sizeof(b)), "1,000");
	NB_CHECK_STR(fmt(&f, CASES, 999999, 0, b, sizeof(b)), "999,999");
	NB_CHECK_STR(fmt(&f, CASES, 0, 0, b, sizeof(b)), "0");
	NB_CHECK_STR(fmt(&f, COMPLAINTS, 25 - 20, 1, b, sizeof(b)), "+5");
	NB_CHECK_STR(fmt(&f, COMPLAINTS, 18 - 25, 1, b, sizeof(b)), "-7");
	NB_CHECK_STR(fmt(&f, CASES, -1234, 1, b, sizeof(b)), "-1,234");
	NB_CHECK_STR(fmt(&f, CASES, 9 - 9, 1, b, sizeof(b)), "0");
	/* A value has no sign even when the change would. */
	NB_CHECK_STR(fmt(&f, COMPLAINTS, 5, 0, b, sizeof(b)), "5");
	fixture_free(&f);
}

/* In Chinese the same figures take the theme's zh-CN wording: 元 after
 * the sum, 个百分点 for points; the percentage itself is the same. */
NB_TEST(test_format_chinese)
{
	static const char *const zh[][2] = {
		{ "site.yaml", "title: \"红岭\"\nlanguage: zh-CN\nbase_url: \"/\"\n" },
	};
	fixture f;
	NB_CHECK(open_with(&f, zh, N_OF(zh)) == 0);
	char b[96];
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 196000, 0, b, sizeof(b)), "196,000 元");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, -6000, 1, b, sizeof(b)), "-6,000 元");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.07, 1, b, sizeof(b)), "+7.0 个百分点");
	NB_CHECK_STR(fmt(&f, INFORMED, -0.02, 1, b, sizeof(b)), "-2.0 个百分点");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.745, 0, b, sizeof(b)), "74.5%");
	NB_CHECK_STR(fmt(&f, COMPLAINTS, 1234, 0, b, sizeof(b)), "1,234");
	/* q2 against q1 on its page: satisfaction 0.80 -> 0.78, cost
	 * 196,000 -> 190,000. */
	const json_t *q2 = fixture_page(&f, "q2");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "satisfaction"), "value_display"), "78.0%");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "satisfaction"), "change_display"),
		     "-2.0 个百分点");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "admin_cost"), "value_display"), "190,000 元");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "admin_cost"), "change_display"), "-6,000 元");
	fixture_free(&f);
}

/* A change is against the previous period of the same community: another
 * community's evaluation between the two, in period and in file order,
 * changes nothing, and a missing quarter makes the closest earlier
 * quarter of the community the previous one (graph_internal.h
 * nb_eval_previous). A value the previous period does not have gives no
 * change, rather than a change against 0. */
NB_TEST(test_change_same_community)
{
	fixture f;
	NB_CHECK(open_with(&f, two, N_OF(two)) == 0);
	/* Hongling Q4 against its Q2 (0.74, 0.30, 25, 9, 190,000), not
	 * Westside's Q3 (0.90, 0.50, 3, -, 80,000). */
	const json_t *h4 = fixture_page(&f, "hl-q4");
	NB_CHECK_STR(s_of(json_object_get(h4, "previous"), "url"), "/evaluations/q2/");
	NB_CHECK_STR(s_of(fixture_indicator(h4, "informed"), "value_display"), "80.0%");
	NB_CHECK_STR(s_of(fixture_indicator(h4, "informed"), "change_display"),
		     "+6.0 percentage points");
	NB_CHECK_STR(s_of(fixture_indicator(h4, "informed"), "trend"), "up");
	NB_CHECK_STR(s_of(fixture_indicator(h4, "participation"), "value_display"), "26.0%");
	NB_CHECK_STR(s_of(fixture_indicator(h4, "participation"), "change_display"),
		     "-4.0 percentage points");
	NB_CHECK_STR(s_of(fixture_indicator(h4, "participation"), "trend"), "down");
	NB_CHECK(json_is_true(json_object_get(fixture_indicator(h4, "participation"), "worse")));
	NB_CHECK(fixture_indicator(h4, "satisfaction") == NULL);
	NB_CHECK_STR(s_of(fixture_indicator(h4, "complaints"), "change_display"), "-7");
	NB_CHECK(json_is_true(json_object_get(fixture_indicator(h4, "complaints"), "better")));
	NB_CHECK_STR(s_of(fixture_indicator(h4, "cases"), "change_display"), "0");
	NB_CHECK_STR(s_of(fixture_indicator(h4, "cases"), "trend"), "same");
	NB_CHECK_STR(s_of(fixture_indicator(h4, "admin_cost"), "value_display"), "CNY 201,500");
	NB_CHECK_STR(s_of(fixture_indicator(h4, "admin_cost"), "change_display"), "CNY +11,500");
	NB_CHECK_STR(s_of(fixture_indicator(h4, "admin_cost"), "average_display"), "CNY 210,000");
	/* Westside's first period has nothing to compare with, though
	 * Hongling's Q2 is the closest earlier evaluation of all. */
	const json_t *w3 = fixture_page(&f, "ws-q3");
	NB_CHECK(json_object_get(w3, "previous") == NULL);
	NB_CHECK(json_object_get(fixture_indicator(w3, "informed"), "change_display") == NULL);
	NB_CHECK(json_object_get(fixture_indicator(w3, "admin_cost"), "change_display") == NULL);
	/* Westside Q4, first in file order, against its Q3. */
	const json_t *w4 = fixture_page(&f, "ws-q4");
	NB_CHECK_STR(s_of(json_object_get(w4, "previous"), "url"), "/evaluations/ws-q3/");
	NB_CHECK_STR(s_of(fixture_indicator(w4, "informed"), "change_display"),
		     "-5.0 percentage points");
	NB_CHECK_STR(s_of(fixture_indicator(w4, "complaints"), "change_display"), "0");
	NB_CHECK_STR(s_of(fixture_indicator(w4, "admin_cost"), "change_display"), "CNY -1,000");
	/* Q3 has no cases: Q4's 2 is shown, with no change of +2. */
	NB_CHECK_STR(s_of(fixture_indicator(w4, "cases"), "value_display"), "2");
	NB_CHECK(json_object_get(fixture_indicator(w4, "cases"), "change_display") == NULL);
	NB_CHECK(json_object_get(fixture_indicator(w4, "cases"), "trend") == NULL);
	NB_CHECK(fixture_indicator(w4, "participation") == NULL);
	/* Hongling's own: Q2 against Q1 still, Q1 with nothing before. */
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "q2"), "previous"), "url"),
		     "/evaluations/q1/");
	NB_CHECK(json_object_get(fixture_page(&f, "q1"), "previous") == NULL);
	fixture_free(&f);
}

/* A quarter compares with a quarter and a year with a year: Hongling's
 * yearly assessments do not become the previous period of its quarters,
 * nor its quarters of a year. */
NB_TEST(test_change_same_granularity)
{
	static const char *const years[][2] = {
		{ "content/evaluations/y/2023.md",
		  "---\ntitle: \"HL 2023\"\nid: \"hl-2023\"\ncommunity: \"hl\"\nperiod: \"2023\"\n"
		  "internal: {informed: 0.60}\n---\nOk.\n" },
		{ "content/evaluations/y/2024.md",
		  "---\ntitle: \"HL 2024\"\nid: \"hl-2024\"\ncommunity: \"hl\"\nperiod: \"2024\"\n"
		  "internal: {informed: 0.79}\n---\nOk.\n" },
	};
	fixture f;
	NB_CHECK(open_with(&f, years, N_OF(years)) == 0);
	const json_t *y24 = fixture_page(&f, "hl-2024");
	NB_CHECK_STR(s_of(json_object_get(y24, "previous"), "url"), "/evaluations/hl-2023/");
	NB_CHECK_STR(s_of(fixture_indicator(y24, "informed"), "change_display"),
		     "+19.0 percentage points");
	NB_CHECK(json_object_get(fixture_page(&f, "q1"), "previous") == NULL);
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "q2"), "previous"), "url"),
		     "/evaluations/q1/");
	NB_CHECK_STR(s_of(fixture_indicator(fixture_page(&f, "q2"), "informed"), "change_display"),
		     "+4.0 percentage points");
	NB_CHECK(json_object_get(fixture_page(&f, "hl-2023"), "previous") == NULL);
	fixture_free(&f);
}

/* Hongling's evaluations over four periods, written in an order that is
 * not theirs: 2023-Q4 is the last file, 2025-Q1 the third. */
static const char *const history[][2] = {
	{ "content/evaluations/a/late.md",
	  "---\ntitle: \"HL 2025 Q1\"\nid: \"hl-25q1\"\ncommunity: \"hl\"\nperiod: \"2025-Q1\"\n"
	  "internal: {informed: 0.81, participation: 0.35}\n"
	  "external: {complaints: 12, cases: 4, admin_cost: 185000}\n---\nOk.\n" },
	{ "content/evaluations/zz/early.md",
	  "---\ntitle: \"HL 2023 Q4\"\nid: \"hl-23q4\"\ncommunity: \"hl\"\nperiod: \"2023-Q4\"\n"
	  "internal: {informed: 0.66, participation: 0.28, satisfaction: 0.75}\n"
	  "external: {complaints: 30, cases: 11, admin_cost: 201000}\n---\nOk.\n" },
	{ "content/communities/ws.md", COMMUNITY("W", "Westside", "Xiangxi") },
	{ "content/evaluations/2024/q3.md",
	  "---\ntitle: \"WS Q3\"\nid: \"ws-q3\"\ncommunity: \"ws\"\nperiod: \"2024-Q3\"\n"
	  "internal: {informed: 0.90, satisfaction: 0.60}\n"
	  "external: {complaints: 3, admin_cost: 80000}\n---\nOk.\n" },
};

/* The series are in period order whatever the file order; a quarter
 * with no evaluation is not made up (the row after 2024 Q2 is 2025 Q1);
 * an indicator one period lacks leaves that period without a point and
 * its cell empty, not 0. */
NB_TEST(test_trends_in_period_order)
{
	fixture f;
	NB_CHECK(open_with(&f, history, N_OF(history)) == 0);
	const nb_trends *t = trends_of(&f, "hl");
	NB_CHECK(t && t->n == 4);
	if (!t || t->n != 4) {
		fixture_free(&f);
		return;
	}
	static const char *const ids[] = { "hl-23q4", "q1", "q2", "hl-25q1" };
	static const char *const axis[] = { "2023 Q4", "2024 Q1", "2024 Q2", "2025 Q1" };
	for (size_t i = 0; i < 4; i++) {
		NB_CHECK(t->ev[i] == page_of(&f, ids[i]));
		NB_CHECK_STR(t->axis[i], axis[i]);
		NB_CHECK_STR(s_of(t->rows[i], "period"), axis[i]);
		NB_CHECK_STR(s_of(t->rows[i], "url"), page_of(&f, ids[i])->url);
	}
	/* Informed in every period, in period order. */
	static const double inf[] = { 0.66, 0.70, 0.74, 0.81 };
	static const char *const infd[] = { "66.0%", "70.0%", "74.0%", "81.0%" };
	NB_CHECK(t->npts[INFORMED] == 4);
	for (size_t i = 0; i < 4; i++) {
		NB_CHECK(t->pt[INFORMED][i] == i);
		NB_CHECK(t->val[INFORMED][i] == inf[i]);
		NB_CHECK_STR(trend_cell(t, i, INFORMED), infd[i]);
	}
	/* Satisfaction: none in 2025 Q1, so three points and an empty cell. */
	NB_CHECK(t->npts[SATISFACTION] == 3);
	NB_CHECK(t->pt[SATISFACTION][3] == SIZE_MAX);
	NB_CHECK(trend_cell(t, 3, SATISFACTION) == NULL);
	NB_CHECK(t->val[SATISFACTION][0] == 0.75 && t->val[SATISFACTION][1] == 0.80 &&
		 t->val[SATISFACTION][2] == 0.78);
	NB_CHECK_STR(trend_cell(t, 2, SATISFACTION), "78.0%");
	/* Counts and money as a resident reads them, oldest first. */
	NB_CHECK_STR(trend_cell(t, 0, COMPLAINTS), "30");
	NB_CHECK_STR(trend_cell(t, 3, COMPLAINTS), "12");
	NB_CHECK(t->val[COMPLAINTS][0] == 30 && t->val[COMPLAINTS][3] == 12);
	NB_CHECK_STR(trend_cell(t, 0, ADMIN_COST), "CNY 201,000");
	NB_CHECK_STR(trend_cell(t, 3, ADMIN_COST), "CNY 185,000");
	/* What each chart is: rates end at 1; lower is better for counts. */
	NB_CHECK(t->rate[INFORMED] && !t->rate[COMPLAINTS] && !t->rate[ADMIN_COST]);
	NB_CHECK(t->higher_better[SATISFACTION] && !t->higher_better[CASES]);
	NB_CHECK_STR(t->title[INFORMED], "Residents informed: Hongling");
	NB_CHECK_STR(json_string_value(t->keys[ADMIN_COST]), "admin_cost");
	NB_CHECK(json_array_size(t->columns) == NB_N_INDICATORS);
	/* 2025 Q1 compares with 2024 Q2, the closest quarter it has. */
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "hl-25q1"), "previous"), "url"),
		     "/evaluations/q2/");
	NB_CHECK_STR(s_of(fixture_indicator(fixture_page(&f, "hl-25q1"), "informed"),
			  "change_display"),
		     "+7.0 percentage points");
	fixture_free(&f);
}

/* Each community has its own series, shared by its pages: Westside's
 * evaluation, lying between Hongling's, is in none of Hongling's. */
NB_TEST(test_trends_per_community)
{
	fixture f;
	NB_CHECK(open_with(&f, history, N_OF(history)) == 0);
	const nb_trends *hl = trends_of(&f, "hl"), *ws = trends_of(&f, "ws");
	NB_CHECK(hl && ws && hl != ws);
	if (!hl || !ws || hl == ws) {
		fixture_free(&f);
		return;
	}
	static const char *const same[] = { "q1", "q2", "hl-23q4", "hl-25q1" };
	for (size_t i = 0; i < N_OF(same); i++)
		NB_CHECK(trends_of(&f, same[i]) == hl);
	NB_CHECK(trends_of(&f, "ws-q3") == ws);
	for (size_t i = 0; i < hl->n; i++)
		NB_CHECK(strcmp(hl->ev[i]->doc->id, "ws-q3") != 0);
	NB_CHECK(ws->n == 1 && ws->ev[0] == page_of(&f, "ws-q3"));
	NB_CHECK(ws->npts[INFORMED] == 1 && ws->val[INFORMED][0] == 0.90);
	NB_CHECK(ws->npts[PARTICIPATION] == 0 && ws->npts[CASES] == 0);
	NB_CHECK(trend_cell(ws, 0, PARTICIPATION) == NULL);
	NB_CHECK_STR(trend_cell(ws, 0, ADMIN_COST), "CNY 80,000");
	NB_CHECK_STR(ws->title[SATISFACTION], "Residents satisfied: Westside");
	/* Pages of other kinds have no trends. */
	NB_CHECK(page_of(&f, "m1")->trends == 0 && page_of(&f, "d-open")->trends == 0);
	fixture_free(&f);
}

/* The cells of row `i` of a comparison, joined by "|" ("-" for none). */
static const char *cells(const json_t *rows, size_t i, char *buf, size_t n)
{
	buf[0] = 0;
	size_t k;
	json_t *c;
	json_array_foreach(json_object_get(json_array_get(rows, i), "cells"), k, c) {
		const char *d = s_of(c, "display");
		snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", k ? "|" : "", d ? d : "-");
	}
	return buf;
}

/* The comparison: one page, each community with evaluations once, with
 * its latest period (by period, not by file), in community order; a
 * community with none is not a row; an indicator a latest evaluation
 * lacks is an empty cell and no bar, and one no community has no chart. */
NB_TEST(test_compare_latest)
{
	fixture f;
	NB_CHECK(open_with(&f, two, N_OF(two)) == 0);
	const nb_extra_page *e = extra_at(&f, "evaluations/compare/index.html");
	NB_CHECK(e != NULL);
	if (!e) {
		fixture_free(&f);
		return;
	}
	NB_CHECK_STR(e->layout, "list");
	NB_CHECK_STR(e->nav_kind, "evaluations");
	NB_CHECK_STR(s_of(e->page, "url"), "/evaluations/compare/");
	const json_t *list = extra_list(&f, "evaluations/compare/index.html");
	NB_CHECK_STR(s_of(list, "title"), "Communities compared: latest evaluations");
	NB_CHECK(json_integer_value(json_object_get(list, "count")) == 2);
	const json_t *cmp = json_object_get(list, "compare");
	const json_t *rows = json_object_get(cmp, "rows");
	NB_CHECK(json_array_size(rows) == 2);
	NB_CHECK_STR(s_of(json_object_get(json_array_get(rows, 0), "community"), "title"),
		     "Hongling");
	NB_CHECK_STR(s_of(json_object_get(json_array_get(rows, 1), "community"), "title"),
		     "Westside");
	NB_CHECK_STR(s_of(json_array_get(rows, 0), "url"), "/evaluations/hl-q4/");
	NB_CHECK_STR(s_of(json_array_get(rows, 1), "url"), "/evaluations/ws-q4/");
	NB_CHECK_STR(s_of(json_array_get(rows, 0), "period"), "2024 Q4");
	NB_CHECK_STR(s_of(json_array_get(rows, 1), "period"), "2024 Q4");
	char b[256];
	NB_CHECK_STR(cells(rows, 0, b, sizeof(b)), "80.0%|26.0%|-|18|9|CNY 201,500");
	NB_CHECK_STR(cells(rows, 1, b, sizeof(b)), "85.0%|-|-|3|2|CNY 79,000");
	const json_t *cols = json_object_get(cmp, "columns");
	NB_CHECK(json_array_size(cols) == NB_N_INDICATORS);
	NB_CHECK_STR(s_of(json_array_get(cols, ADMIN_COST), "label"), "Administrative cost");
	/* Charts: none for satisfaction, which neither latest has. */
	const json_t *charts = json_object_get(cmp, "charts");
	static const char *const keys[] = { "informed", "participation", "complaints", "cases",
					    "admin_cost" };
	NB_CHECK(json_array_size(charts) == N_OF(keys));
	for (size_t i = 0; i < N_OF(keys) && i < json_array_size(charts); i++)
		NB_CHECK_STR(s_of(json_array_get(charts, i), "key"), keys[i]);
	const json_t *inf = json_object_get(json_array_get(charts, 0), "bars");
	NB_CHECK_STR(s_of(inf, "title"),
		     "Residents informed: Communities compared: latest evaluations");
	NB_CHECK(json_is_true(json_object_get(inf, "rate")));
	const json_t *pts = json_object_get(inf, "points");
	NB_CHECK(json_array_size(pts) == 2);
	NB_CHECK_STR(s_of(json_array_get(pts, 0), "label"), "Hongling");
	NB_CHECK(json_real_value(json_object_get(json_array_get(pts, 0), "value")) == 0.80);
	NB_CHECK_STR(s_of(json_array_get(pts, 0), "display"), "80.0%");
	NB_CHECK_STR(s_of(json_array_get(pts, 1), "label"), "Westside");
	NB_CHECK(json_real_value(json_object_get(json_array_get(pts, 1), "value")) == 0.85);
	/* Westside has no participation: one bar, Hongling's. */
	const json_t *par = json_object_get(json_object_get(json_array_get(charts, 1), "bars"),
					    "points");
	NB_CHECK(json_array_size(par) == 1);
	NB_CHECK_STR(s_of(json_array_get(par, 0), "label"), "Hongling");
	const json_t *cost = json_object_get(json_array_get(charts, 4), "bars");
	NB_CHECK(json_is_false(json_object_get(cost, "rate")));
	NB_CHECK_STR(s_of(json_array_get(json_object_get(cost, "points"), 1), "display"),
		     "CNY 79,000");
	/* One comparison for the whole site, whatever the streets. */
	size_t n_cmp = 0;
	for (size_t i = 0; i < f.s.n_extra; i++)
		n_cmp += !strncmp(f.s.extra[i].out_path, "evaluations/compare", 19);
	NB_CHECK(n_cmp == 1);
	/* Every evaluation's page links to it. */
	NB_CHECK_STR(s_of(json_object_get(f.s.list_extra, "evaluations"), "compare_url"),
		     "/evaluations/compare/");
	NB_CHECK_STR(s_of(fixture_page(&f, "ws-q3"), "compare_url"), "/evaluations/compare/");
	fixture_free(&f);
}

/* The comparison is paged as every list is (pagination.page_size rows a
 * page, page N at compare/page/N/): five communities at two a page are
 * three pages, the rows in community order (c1 c2 | c3 c4 | hl), each
 * page's charts holding only its own rows, each saying which page of how
 * many and counting all five; the evaluations link to page 1. */
#define EVAL_OF(c, inf) \
	"---\ntitle: \"" c " Q1\"\nid: \"" c "-q1\"\ncommunity: \"" c "\"\nperiod: \"2024-Q1\"\n" \
	"internal: {informed: " inf "}\n---\nOk.\n"

NB_TEST(test_compare_paged)
{
	static const char *const five[][2] = {
		{ "site.yaml", "title: \"Hongling\"\nlanguage: en\nbase_url: \"/\"\n"
			       "pagination: {page_size: 2}\n" },
		{ "content/communities/c1.md", COMMUNITY("A", "One", "North") },
		{ "content/communities/c2.md", COMMUNITY("B", "Two", "North") },
		{ "content/communities/c3.md", COMMUNITY("C", "Three", "South") },
		{ "content/communities/c4.md", COMMUNITY("D", "Four", "South") },
		{ "content/evaluations/c1.md", EVAL_OF("c1", "0.10") },
		{ "content/evaluations/c2.md", EVAL_OF("c2", "0.20") },
		{ "content/evaluations/c3.md", EVAL_OF("c3", "0.30") },
		{ "content/evaluations/c4.md", EVAL_OF("c4", "0.40") },
	};
	fixture f;
	NB_CHECK(open_with(&f, five, N_OF(five)) == 0);
	static const char *const at[] = { "evaluations/compare/index.html",
					  "evaluations/compare/page/2/index.html",
					  "evaluations/compare/page/3/index.html" };
	static const char *const urls[] = { "/evaluations/compare/", "/evaluations/compare/page/2/",
					    "/evaluations/compare/page/3/" };
	static const char *const rows_of[][2] = { { "/evaluations/c1-q1/", "/evaluations/c2-q1/" },
						  { "/evaluations/c3-q1/", "/evaluations/c4-q1/" },
						  { "/evaluations/q2/", NULL } };
	static const char *const bars_of[][2] = { { "One", "Two" }, { "Three", "Four" },
						  { "Hongling", NULL } };
	for (size_t p = 0; p < 3; p++) {
		const nb_extra_page *e = extra_at(&f, at[p]);
		NB_CHECK(e != NULL);
		if (!e)
			continue;
		NB_CHECK_STR(s_of(e->page, "url"), urls[p]);
		const json_t *list = extra_list(&f, at[p]);
		NB_CHECK(json_integer_value(json_object_get(list, "count")) == 5);
		const json_t *pg = json_object_get(list, "pagination");
		NB_CHECK(json_integer_value(json_object_get(pg, "number")) == (json_int_t)p + 1);
		NB_CHECK(json_integer_value(json_object_get(pg, "total")) == 3);
		if (p)
			NB_CHECK_STR(s_of(pg, "prev_url"), urls[p - 1]);
		else
			NB_CHECK(!json_object_get(pg, "prev_url"));
		if (p < 2)
			NB_CHECK_STR(s_of(pg, "next_url"), urls[p + 1]);
		else
			NB_CHECK(!json_object_get(pg, "next_url"));
		const json_t *cmp = json_object_get(list, "compare");
		const json_t *rows = json_object_get(cmp, "rows");
		const size_t want = rows_of[p][1] ? 2 : 1;
		NB_CHECK(json_array_size(rows) == want);
		const json_t *bars = json_object_get(
			json_object_get(json_array_get(json_object_get(cmp, "charts"), 0), "bars"),
			"points");
		NB_CHECK(json_array_size(bars) == want);
		for (size_t r = 0; r < want; r++) {
			NB_CHECK_STR(s_of(json_array_get(rows, r), "url"), rows_of[p][r]);
			NB_CHECK_STR(s_of(json_array_get(bars, r), "label"), bars_of[p][r]);
		}
	}
	NB_CHECK(extra_at(&f, "evaluations/compare/page/4/index.html") == NULL);
	NB_CHECK_STR(s_of(fixture_page(&f, "c3-q1"), "compare_url"), "/evaluations/compare/");
	fixture_free(&f);
}

/* With no published evaluation there is nothing to compare: no page, no
 * link to one, no trends (drafts are not published). */
NB_TEST(test_compare_none)
{
	static const char *const drafts[][2] = {
		{ "content/evaluations/2024/q1.md",
		  "---\ntitle: \"Q1\"\nid: \"q1\"\ncommunity: \"hl\"\nperiod: \"2024-Q1\"\n"
		  "draft: true\ninternal: {informed: 0.70}\n---\nOk.\n" },
		{ "content/evaluations/2024/q2.md",
		  "---\ntitle: \"Q2\"\nid: \"q2\"\ncommunity: \"hl\"\nperiod: \"2024-Q2\"\n"
		  "draft: true\ninternal: {informed: 0.74}\n---\nOk.\n" },
	};
	fixture f;
	NB_CHECK(open_with(&f, drafts, N_OF(drafts)) == 0);
	NB_CHECK(nb_site_find(&f.s, "q1") == -1);
	NB_CHECK(extra_at(&f, "evaluations/compare/index.html") == NULL);
	NB_CHECK(json_object_get(f.s.list_extra, "evaluations") == NULL);
	NB_CHECK(page_of(&f, "hl")->trends == 0);
	NB_CHECK(f.s.n_trends == 0);
	fixture_free(&f);
}

/* The two evaluations of Hongling, written over the fixture's: the
 * residents' reproducers of the rounding defects. */
#define HL_Q(n, inf, par, sat, cost) \
	"---\ntitle: \"Q" #n "\"\nid: \"q" #n "\"\ncommunity: \"hl\"\nperiod: \"2024-Q" #n "\"\n" \
	"internal: {informed: " inf ", participation: " par ", satisfaction: " sat "}\n" \
	"external: {complaints: 20, cases: 9, admin_cost: " cost "}\n---\nOk.\n"

/* The trend cell of indicator `k` for evaluation `id`, or NULL. */
static const char *trend_cell_of(const fixture *f, const char *id, size_t k)
{
	const nb_trends *t = trends_of(f, id);
	for (size_t i = 0; t && i < t->n; i++)
		if (t->ev[i] == page_of(f, id))
			return trend_cell(t, i, k);
	return NULL;
}

/* The comparison's cell of indicator `k` for the row of evaluation url
 * `url`, or NULL. */
static const char *compare_cell(fixture *f, const char *url, size_t k)
{
	const json_t *cmp = json_object_get(extra_list(f, "evaluations/compare/index.html"),
					    "compare");
	const json_t *rows = json_object_get(cmp, "rows");
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		if (!strcmp(s_of(r, "url"), url))
			return s_of(json_array_get(json_object_get(r, "cells"), k), "display");
	return NULL;
}

/* The bar label of indicator `key` for community `title`, or NULL. */
static const char *compare_bar(fixture *f, const char *key, const char *title)
{
	const json_t *charts = json_object_get(
		json_object_get(extra_list(f, "evaluations/compare/index.html"), "compare"),
		"charts");
	size_t i, j;
	json_t *c, *pt;
	json_array_foreach(charts, i, c) {
		if (strcmp(s_of(c, "key"), key))
			continue;
		json_array_foreach(json_object_get(json_object_get(c, "bars"), "points"), j, pt)
			if (!strcmp(s_of(pt, "label"), title))
				return s_of(pt, "display");
	}
	return NULL;
}

/* Every figure is rounded half away from zero (四舍五入) as the decimal
 * the secretary typed means it, not as its binary double happens to lie:
 * 0.6665 is stored a hair below, and "%.1f" of 66.65 printed 66.6. The
 * edge cases: exact halves, a hair (in the 14th digit) below and above
 * one, carries, 0, 1, negatives (changes), and large sums. */
NB_TEST(test_round_half_up)
{
	fixture f;
	NB_CHECK(fixture_open(&f, "2024-07-01") == 0);
	char b[128];
	NB_CHECK_STR(fmt(&f, INFORMED, 0.6665, 0, b, sizeof(b)), "66.7%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.1225, 0, b, sizeof(b)), "12.3%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.2345, 0, b, sizeof(b)), "23.5%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.745, 0, b, sizeof(b)), "74.5%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.0005, 0, b, sizeof(b)), "0.1%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.0015, 0, b, sizeof(b)), "0.2%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.9995, 0, b, sizeof(b)), "100.0%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.66649999999999, 0, b, sizeof(b)), "66.6%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.66650000000001, 0, b, sizeof(b)), "66.7%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.0, 0, b, sizeof(b)), "0.0%");
	NB_CHECK_STR(fmt(&f, INFORMED, 1.0, 0, b, sizeof(b)), "100.0%");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.05, 0, b, sizeof(b)), "5.0%");
	/* A change given as such: half away from zero on both sides. */
	NB_CHECK_STR(fmt(&f, INFORMED, 0.1225, 1, b, sizeof(b)), "+12.3 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, -0.0335, 1, b, sizeof(b)), "-3.4 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, -0.00049999999999, 1, b, sizeof(b)),
		     "0.0 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, -0.0005, 1, b, sizeof(b)), "-0.1 percentage points");
	/* Whole yuan and counts. */
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 999.5, 0, b, sizeof(b)), "CNY 1,000");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 999.49999999999, 0, b, sizeof(b)), "CNY 999");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 2.5, 0, b, sizeof(b)), "CNY 3");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 123456789012.5, 0, b, sizeof(b)),
		     "CNY 123,456,789,013");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, -2.5, 1, b, sizeof(b)), "CNY -3");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, 1e40, 0, b, sizeof(b)),
		     "CNY 10,000,000,000,000,000,000,000,000,000,000,000,000,000");
	NB_CHECK_STR(fmt(&f, COMPLAINTS, 7.5, 0, b, sizeof(b)), "8");
	fixture_free(&f);
}

/* The residents' reproducers: what an evaluation's page, its trend table
 * (the chart's labels are its cells) and the comparison show is one
 * figure, rounded as typed, and a change is the difference of the two
 * figures shown beside it: 70.0% -> 66.7% is -3.3 points, not the -3.4
 * that rounding -0.0335 gave; 0.0% -> 12.3% is +12.3. */
NB_TEST(test_change_of_figures_shown)
{
	static const char *const docs[][2] = {
		{ "content/evaluations/2024/q1.md", HL_Q(1, "0.0", "0.70", "0.7001", "999.4") },
		{ "content/evaluations/2024/q2.md", HL_Q(2, "0.1225", "0.6665", "0.7004",
							 "999.5") },
	};
	fixture f;
	NB_CHECK(open_with(&f, docs, N_OF(docs)) == 0);
	const json_t *q2 = fixture_page(&f, "q2");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "informed"), "value_display"), "12.3%");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "informed"), "change_display"),
		     "+12.3 percentage points");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "participation"), "value_display"), "66.7%");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "participation"), "change_display"),
		     "-3.3 percentage points");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "participation"), "trend"), "down");
	/* 70.0% beside 70.0%: no change, and no arrow either way. */
	NB_CHECK_STR(s_of(fixture_indicator(q2, "satisfaction"), "value_display"), "70.0%");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "satisfaction"), "change_display"),
		     "0.0 percentage points");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "satisfaction"), "trend"), "same");
	NB_CHECK(!json_object_get(fixture_indicator(q2, "satisfaction"), "better"));
	/* CNY 999 -> CNY 1,000 is CNY +1, though 999.5 - 999.4 rounds to 0. */
	NB_CHECK_STR(s_of(fixture_indicator(q2, "admin_cost"), "value_display"), "CNY 1,000");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "admin_cost"), "change_display"), "CNY +1");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "admin_cost"), "trend"), "up");
	/* The same figures in the trend table and chart, and the comparison. */
	NB_CHECK_STR(trend_cell_of(&f, "q2", INFORMED), "12.3%");
	NB_CHECK_STR(trend_cell_of(&f, "q2", PARTICIPATION), "66.7%");
	NB_CHECK_STR(trend_cell_of(&f, "q1", PARTICIPATION), "70.0%");
	NB_CHECK_STR(trend_cell_of(&f, "q2", ADMIN_COST), "CNY 1,000");
	NB_CHECK_STR(compare_cell(&f, "/evaluations/q2/", INFORMED), "12.3%");
	NB_CHECK_STR(compare_cell(&f, "/evaluations/q2/", PARTICIPATION), "66.7%");
	NB_CHECK_STR(compare_bar(&f, "participation", "Hongling"), "66.7%");
	NB_CHECK_STR(compare_bar(&f, "admin_cost", "Hongling"), "CNY 1,000");
	fixture_free(&f);
}

/* No rounded zero carries a sign: a rate typed -0.0 (which the schema's
 * `min: 0` lets through) showed "-0.0%" on its page, in its trend table
 * and in the comparison; nor does a change, whichever way it rounds. */
NB_TEST(test_zero_has_no_sign)
{
	static const char *const docs[][2] = {
		{ "content/evaluations/2024/q1.md", HL_Q(1, "0.0", "0.30", "0.80", "196000") },
		{ "content/evaluations/2024/q2.md", HL_Q(2, "-0.0", "0.30", "0.80", "-0.0") },
	};
	fixture f;
	NB_CHECK(open_with(&f, docs, N_OF(docs)) == 0);
	char b[128];
	NB_CHECK_STR(fmt(&f, INFORMED, -0.0, 0, b, sizeof(b)), "0.0%");
	NB_CHECK_STR(fmt(&f, INFORMED, -0.0004, 0, b, sizeof(b)), "0.0%");
	NB_CHECK_STR(fmt(&f, INFORMED, -0.0, 1, b, sizeof(b)), "0.0 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, -0.00001, 1, b, sizeof(b)), "0.0 percentage points");
	NB_CHECK_STR(fmt(&f, INFORMED, 0.00001, 1, b, sizeof(b)), "0.0 percentage points");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, -0.0, 0, b, sizeof(b)), "CNY 0");
	NB_CHECK_STR(fmt(&f, ADMIN_COST, -0.0, 1, b, sizeof(b)), "CNY 0");
	NB_CHECK_STR(fmt(&f, COMPLAINTS, -0.4, 1, b, sizeof(b)), "0");
	NB_CHECK_STR(fmt(&f, CASES, -0.0, 0, b, sizeof(b)), "0");
	const json_t *q2 = fixture_page(&f, "q2");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "informed"), "value_display"), "0.0%");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "informed"), "change_display"),
		     "0.0 percentage points");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "informed"), "trend"), "same");
	NB_CHECK_STR(trend_cell_of(&f, "q2", INFORMED), "0.0%");
	NB_CHECK_STR(compare_cell(&f, "/evaluations/q2/", INFORMED), "0.0%");
	NB_CHECK_STR(compare_bar(&f, "informed", "Hongling"), "0.0%");
	NB_CHECK_STR(s_of(fixture_indicator(q2, "admin_cost"), "value_display"), "CNY 0");
	fixture_free(&f);
}

/* The digits of a figure ("CNY 1,234" -> 4), or 0 when something other
 * than digits and separators follows the currency. */
static size_t digits_of(const char *d)
{
	if (!d || strncmp(d, "CNY ", 4))
		return 0;
	size_t n = 0;
	for (d += 4; *d; d++) {
		if (*d >= '0' && *d <= '9')
			n++;
		else if (*d != ',')
			return 0;
	}
	return n;
}

/* No figure is cut: a sum of 1e40 yuan was whole on its evaluation's
 * page but cut in the comparison and trend table (48-byte cells), and
 * past 96 bytes on the page too. Each shows every digit, the same way. */
NB_TEST(test_long_figures_whole)
{
	static const char *const docs[][2] = {
		{ "content/evaluations/2024/q1.md", HL_Q(1, "0.70", "0.30", "0.80", "1e300") },
		{ "content/evaluations/2024/q2.md", HL_Q(2, "0.74", "0.30", "0.78", "1e40") },
	};
	fixture f;
	NB_CHECK(open_with(&f, docs, N_OF(docs)) == 0);
	const json_t *q1 = fixture_page(&f, "q1"), *q2 = fixture_page(&f, "q2");
	const char *page = s_of(fixture_indicator(q2, "admin_cost"), "value_display");
	NB_CHECK(digits_of(page) == 41);
	NB_CHECK_STR(trend_cell_of(&f, "q2", ADMIN_COST), page);
	NB_CHECK_STR(compare_cell(&f, "/evaluations/q2/", ADMIN_COST), page);
	NB_CHECK_STR(compare_bar(&f, "admin_cost", "Hongling"), page);
	const char *p1 = s_of(fixture_indicator(q1, "admin_cost"), "value_display");
	NB_CHECK(digits_of(p1) == 301);
	NB_CHECK_STR(trend_cell_of(&f, "q1", ADMIN_COST), p1);
	char b[512];
	NB_CHECK(digits_of(fmt(&f, ADMIN_COST, 1.7e308, 0, b, sizeof(b))) == 309);
	fixture_free(&f);
}

/* The ids of `items` (the last part of each url), joined by " ". */
static const char *item_ids(const json_t *items, char *buf, size_t n)
{
	buf[0] = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *u = s_of(it, "url"), *e = u ? strrchr(u, '/') : NULL, *b = e;
		while (b && b > u && b[-1] != '/')
			b--;
		snprintf(buf + strlen(buf), n - strlen(buf), "%s%.*s", i ? " " : "",
			 b ? (int)(e - b) : 1, b ? b : "?");
	}
	return buf;
}

/* Periods in time: a year ends with its Q4, and comes after it (its Q4 is
 * part of it), before the next year's Q1. Ordered as text, "2024" came
 * before "2024-Q1": first in Hongling's trend table and chart, while the
 * evaluations list (by the end of the period) showed it as the newest and
 * the comparison took 2024-Q3 as Hongling's latest. The year's id and
 * file sort after its Q4's, so neither ties the order by chance. */
NB_TEST(test_periods_in_time_order)
{
	static const char *const docs[][2] = {
		{ "content/evaluations/y/2024.md",
		  "---\ntitle: \"HL 2024\"\nid: \"y2024\"\ncommunity: \"hl\"\nperiod: \"2024\"\n"
		  "internal: {informed: 0.79}\n---\nOk.\n" },
		{ "content/evaluations/2024/q3.md",
		  "---\ntitle: \"HL Q3\"\nid: \"q3\"\ncommunity: \"hl\"\nperiod: \"2024-Q3\"\n"
		  "internal: {informed: 0.77}\n---\nOk.\n" },
	};
	static const char *const q4[][2] = {
		{ "content/evaluations/2024/q4.md",
		  "---\ntitle: \"HL Q4\"\nid: \"q4\"\ncommunity: \"hl\"\nperiod: \"2024-Q4\"\n"
		  "internal: {informed: 0.78}\n---\nOk.\n" },
		{ "content/evaluations/2025/q1.md",
		  "---\ntitle: \"HL 25 Q1\"\nid: \"a25\"\ncommunity: \"hl\"\nperiod: \"2025-Q1\"\n"
		  "internal: {informed: 0.80}\n---\nOk.\n" },
		{ "content/evaluations/y/2024.md", docs[0][1] },
		{ "content/evaluations/2024/q3.md", docs[1][1] },
	};
	char b[256];
	for (int with_q4 = 0; with_q4 <= 1; with_q4++) {
		fixture f;
		NB_CHECK(with_q4 ? open_with(&f, q4, N_OF(q4)) == 0
				 : open_with(&f, docs, N_OF(docs)) == 0);
		const char *oldest = with_q4 ? "q1 q2 q3 q4 y2024 a25" : "q1 q2 q3 y2024";
		const char *newest = with_q4 ? "a25 y2024 q4 q3 q2 q1" : "y2024 q3 q2 q1";
		const char *latest = with_q4 ? "/evaluations/a25/" : "/evaluations/y2024/";
		/* The trend table and chart, oldest first. */
		const nb_trends *t = trends_of(&f, "hl");
		b[0] = 0;
		for (size_t i = 0; t && i < t->n; i++)
			snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s%s", i ? " " : "",
				 t->ev[i]->doc->id);
		NB_CHECK_STR(b, oldest);
		NB_CHECK(t && t->npts[INFORMED] == t->n && t->n >= 4 &&
			 t->val[INFORMED][3] == (with_q4 ? 0.78 : 0.79));
		/* The evaluations list and Hongling's page, newest first. */
		NB_CHECK_STR(item_ids(json_object_get(f.s.lists, "evaluations"), b, sizeof(b)),
			     newest);
		NB_CHECK_STR(item_ids(json_object_get(fixture_page(&f, "hl"), "evaluations"), b,
				      sizeof(b)), newest);
		/* The comparison: Hongling's latest is the list's newest. */
		const json_t *rows = json_object_get(
			json_object_get(extra_list(&f, "evaluations/compare/index.html"), "compare"),
			"rows");
		NB_CHECK_STR(s_of(json_array_get(rows, 0), "url"), latest);
		/* A quarter still compares with the quarter before, a year with
		 * the year before (none here). */
		NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "q3"), "previous"), "url"),
			     "/evaluations/q2/");
		NB_CHECK(json_object_get(fixture_page(&f, "y2024"), "previous") == NULL);
		if (with_q4)
			NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "a25"), "previous"),
					  "url"), "/evaluations/q4/");
		fixture_free(&f);
	}
}

NB_TEST_MAIN("indicators",
	NB_CASE(test_value_read),
	NB_CASE(test_format_rates),
	NB_CASE(test_format_money_and_counts),
	NB_CASE(test_format_chinese),
	NB_CASE(test_change_same_community),
	NB_CASE(test_change_same_granularity),
	NB_CASE(test_trends_in_period_order),
	NB_CASE(test_trends_per_community),
	NB_CASE(test_compare_latest),
	NB_CASE(test_compare_paged),
	NB_CASE(test_compare_none),
	NB_CASE(test_round_half_up),
	NB_CASE(test_change_of_figures_shown),
	NB_CASE(test_zero_has_no_sign),
	NB_CASE(test_long_figures_whole),
	NB_CASE(test_periods_in_time_order))

/*
 * test_trends.c - a community's trend charts, drawn once and spliced per
 * page (render/trends.h).
 *
 * A chart is read beside the table under it: its points must be the
 * page's own figures, in the table's order (oldest period first, however
 * the files are named), only its community's, with the page's own
 * period emphasised and no other. Held two ways: by hand (the figures
 * the documents give, in period order, in each chart's text
 * alternative), and against a chart redrawn whole by nb_chart_line from
 * the page's own table, which a spliced copy must equal byte for byte,
 * past the 64 periods a chart draws too.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_site.h"
#include "graph/trends.h"
#include "render/chart.h"
#include "render/trends.h"

/* Named so that file order is not period order: 2024-Q4 in a file that
 * sorts before 2024-Q3's, and 2024-Q3 reports one rate only, so the
 * series after it have fewer points than periods. A second community
 * with one evaluation of its own. */
static const char *const extra[][2] = {
	{ "content/evaluations/2024/a-late.md",
	  "---\ntitle: \"Q4\"\nid: \"q4\"\ncommunity: \"hl\"\nperiod: \"2024-Q4\"\n"
	  "internal: {informed: 0.5, participation: 0.4, satisfaction: 0.9}\n"
	  "external: {complaints: 3, cases: 1, admin_cost: 150000}\n---\nOk.\n" },
	{ "content/evaluations/2024/z-early.md",
	  "---\ntitle: \"Q3\"\nid: \"q3\"\ncommunity: \"hl\"\nperiod: \"2024-Q3\"\n"
	  "internal: {informed: 0.6}\n---\nOk.\n" },
	{ "content/communities/ot.md",
	  "---\ntitle: \"Other\"\nname: \"Other\"\ntype: \"老旧住宅区\"\n"
	  "platform: \"residents-committee\"\ncommittee:\n  - {name: \"O1\", role: \"主任\"}\n"
	  "---\nAbout.\n" },
	{ "content/evaluations/2024/o1.md",
	  "---\ntitle: \"O Q1\"\nid: \"o1\"\ncommunity: \"ot\"\nperiod: \"2024-Q1\"\n"
	  "internal: {informed: 0.99}\nexternal: {complaints: 77}\n---\nOk.\n" },
};

/* The six indicators in the order evaluation pages list them, and
 * whether each is a rate (its axis then ends at 100%). */
static const struct {
	const char *key;
	int rate;
} indicators[NB_TREND_SERIES] = {
	{ "informed", 1 }, { "participation", 1 }, { "satisfaction", 1 },
	{ "complaints", 0 }, { "cases", 0 }, { "admin_cost", 0 },
};

static const nb_page *page(const fixture *f, const char *id)
{
	long i = nb_site_find(&f->s, id);
	return i < 0 ? NULL : &f->s.pages[i];
}

static const json_t *chart(const json_t *tr, const char *key)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(tr, "charts"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "key")), key))
			return c;
	return NULL;
}

static const char *svg(const json_t *tr, const char *key)
{
	return json_string_value(json_object_get(chart(tr, key), "svg"));
}

/* A page's trends as a rendered page shows them: the charts left to draw
 * (trends.h `later`) drawn. */
static json_t *page_trends(nb_trend_charts *tc, const nb_site *s, const nb_page *p)
{
	json_t *tr = nb_trend_charts_page(tc, s, p);
	if (tr)
		nb_trend_charts_draw_later(tc, tr, s, p);
	return tr;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* The figures of the chart's text alternative, "a; b; c" without labels. */
static void desc_values(const char *s, char *out, size_t n)
{
	out[0] = '\0';
	const char *d = s ? strstr(s, "<desc>") : NULL;
	const char *e = d ? strstr(d, "</desc>") : NULL;
	if (!d || !e)
		return;
	d += 6;
	size_t at = 0;
	while (d < e) {
		const char *sep = strstr(d, "; ");
		if (!sep || sep > e)
			sep = e;
		const char *colon = d;
		for (const char *c = d; c < sep; c++)
			if (*c == ':')
				colon = c;
		const char *v = colon + (*colon == ':' ? 2 : 0);
		at += (size_t)snprintf(out + at, n - at, "%s%.*s", at ? "|" : "", (int)(sep - v), v);
		d = sep + (sep < e ? 2 : 0);
	}
}

/*
 * The referee: the chart redrawn whole from the page's own table (its
 * rows' periods and cells), with the page's row, if it has this figure,
 * current. `values` are the figures the documents give, in row order
 * (NAN: the period has none).
 */
static void redraw(const nb_site *s, const nb_page *p, const json_t *tr, size_t k,
		   const double *values, nb_buf *out)
{
	const nb_trends *t = &s->trends[p->trends - 1];
	const json_t *rows = json_object_get(tr, "rows");
	size_t n = json_array_size(rows), m = 0;
	nb_chart_point *pts = calloc(n + 1, sizeof(*pts));
	for (size_t i = 0; i < n; i++) {
		const json_t *r = json_array_get(rows, i);
		const json_t *cell = json_array_get(json_object_get(r, "cells"), k);
		const char *disp = json_string_value(json_object_get(cell, "display"));
		if (!disp)
			continue;
		pts[m++] = (nb_chart_point){ json_string_value(json_object_get(r, "period")),
					     values[i], disp,
					     json_is_true(json_object_get(r, "current")), t->axis[i] };
	}
	nb_chart_opts o = { t->title[k], NULL, indicators[k].rate ? 1.0 : 0 };
	nb_chart_line(pts, m, &o, out);
	free(pts);
}

static void check_redraw(nb_test_state *nb__t, const fixture *f, const char *id, size_t k,
			 const double *values)
{
	const nb_page *p = page(f, id);
	NB_CHECK(p && p->trends);
	if (!p || !p->trends)
		return;
	nb_trend_charts tc;
	nb_trend_charts_init(&tc, &f->s, NB_TREND_CHARTS_BYTES);
	json_t *tr = page_trends(&tc, &f->s, p);
	nb_buf want = NB_BUF_INIT;
	redraw(&f->s, p, tr, k, values, &want);
	const char *got = svg(tr, indicators[k].key);
	NB_CHECK(got && !strcmp(got, nb_buf_cstr(&want)));
	if (got && strcmp(got, nb_buf_cstr(&want)))
		fprintf(stderr, "  %s, %s:\n  got  %s\n  want %s\n", id, indicators[k].key, got,
			nb_buf_cstr(&want));
	nb_buf_free(&want);
	json_decref(tr);
	nb_trend_charts_free(&tc);
}

NB_TEST(figures_in_period_order_with_the_page_current)
{
	fixture f;
	NB_CHECK(fixture_open_with(&f, "2025-01-01", extra, sizeof(extra) / sizeof(extra[0])) == 0);
	nb_trend_charts tc;
	nb_trend_charts_init(&tc, &f.s, NB_TREND_CHARTS_BYTES);
	NB_CHECK(tc.n == 2);
	json_t *tr = page_trends(&tc, &f.s, page(&f, "q3"));
	NB_CHECK(json_integer_value(json_object_get(tr, "count")) == 4);
	/* The table: periods oldest first, the page's row current. */
	const json_t *rows = json_object_get(tr, "rows");
	NB_CHECK(json_array_size(rows) == 4);
	for (size_t i = 0; i < 4; i++)
		NB_CHECK(json_is_true(json_object_get(json_array_get(rows, i), "current")) == (i == 2));
	char v[256];
	desc_values(svg(tr, "informed"), v, sizeof(v));
	NB_CHECK_STR(v, "70.0%|74.0%|60.0%|50.0%");
	desc_values(svg(tr, "satisfaction"), v, sizeof(v));
	NB_CHECK_STR(v, "80.0%|78.0%|90.0%");
	desc_values(svg(tr, "complaints"), v, sizeof(v));
	NB_CHECK_STR(v, "20|25|3");
	/* One point emphasised in each chart q3 has a figure in, none in
	 * the others. */
	NB_CHECK(count(svg(tr, "informed"), "chart-dot is-current") == 1);
	NB_CHECK(count(svg(tr, "complaints"), "chart-dot is-current") == 0);
	NB_CHECK(json_is_true(json_object_get(tr, "current_marked")));
	/* Charts in the indicators' order, with their labels. */
	const json_t *charts = json_object_get(tr, "charts");
	NB_CHECK(json_array_size(charts) == NB_TREND_SERIES);
	for (size_t k = 0; k < json_array_size(charts) && k < NB_TREND_SERIES; k++)
		NB_CHECK_STR(json_string_value(json_object_get(json_array_get(charts, k), "key")),
			     indicators[k].key);
	json_decref(tr);
	/* Q4's complaints are the third point of four periods. The
	 * community's own page has no period: none emphasised anywhere. */
	tr = page_trends(&tc, &f.s, page(&f, "q4"));
	NB_CHECK(count(svg(tr, "complaints"), "chart-dot is-current") == 1);
	NB_CHECK(count(svg(tr, "informed"), "chart-dot is-current") == 1);
	json_decref(tr);
	tr = page_trends(&tc, &f.s, page(&f, "hl"));
	NB_CHECK(tr != NULL);
	NB_CHECK(count(svg(tr, "informed"), "chart-dot is-current") == 0);
	NB_CHECK(json_object_get(tr, "current_marked") == NULL); /* its caption says none is */
	const json_t *r;
	size_t i;
	json_array_foreach(json_object_get(tr, "rows"), i, r)
		NB_CHECK(json_object_get(r, "current") == NULL);
	json_decref(tr);
	/* The other community sees its own figure only. */
	tr = page_trends(&tc, &f.s, page(&f, "o1"));
	desc_values(svg(tr, "informed"), v, sizeof(v));
	NB_CHECK_STR(v, "99.0%");
	desc_values(svg(tr, "complaints"), v, sizeof(v));
	NB_CHECK_STR(v, "77");
	NB_CHECK(chart(tr, "cases") == NULL);
	NB_CHECK(json_integer_value(json_object_get(tr, "count")) == 1);
	json_decref(tr);
	/* A page of no community's trends. */
	NB_CHECK(nb_trend_charts_page(&tc, &f.s, page(&f, "m1")) == NULL);
	nb_trend_charts_free(&tc);
	fixture_free(&f);
}

/* Each page's spliced chart equals the chart drawn whole from its table. */
NB_TEST(spliced_equals_redrawn)
{
	fixture f;
	NB_CHECK(fixture_open_with(&f, "2025-01-01", extra, sizeof(extra) / sizeof(extra[0])) == 0);
	static const double informed[] = { 0.70, 0.74, 0.6, 0.5 };
	static const double complaints[] = { 20, 25, 0, 3 };  /* none in Q3 */
	static const char *const ids[] = { "q1", "q2", "q3", "q4", "hl" };
	for (size_t i = 0; i < 5; i++) {
		check_redraw(NB_T, &f, ids[i], 0, informed);
		check_redraw(NB_T, &f, ids[i], 3, complaints);
	}
	static const double other[] = { 0.99 };
	check_redraw(NB_T, &f, "o1", 0, other);
	fixture_free(&f);
}

/* 70 quarters: a chart draws the newest 64; a page of an older period
 * still gets exactly what a whole redraw gives, its own period emphasised
 * (its chart drew the newest 64 without it, under a caption saying the
 * page's period is marked). */
/* A community "big" of LONG_N quarters from 2000 Q1, `values` its
 * informed rates in period order. */
enum { LONG_N = 70 };

static int open_long(fixture *f, const double *values)
{
	static char files[LONG_N + 1][2][512];
	const char *ex[LONG_N + 1][2];
	snprintf(files[0][0], 512, "content/communities/big.md");
	snprintf(files[0][1], 512,
		 "---\ntitle: \"Big\"\nname: \"Big\"\ntype: \"老旧住宅区\"\n"
		 "platform: \"residents-committee\"\ncommittee:\n  - {name: \"B1\", role: \"主任\"}\n"
		 "---\nAbout.\n");
	for (int i = 0; i < LONG_N; i++) {
		snprintf(files[i + 1][0], 512, "content/evaluations/big/e%02d.md", LONG_N - i);
		snprintf(files[i + 1][1], 512,
			 "---\ntitle: \"E\"\nid: \"big-%d\"\ncommunity: \"big\"\n"
			 "period: \"%d-Q%d\"\ninternal: {informed: %.4f}\n---\nOk.\n",
			 i, 2000 + i / 4, i % 4 + 1, values[i]);
	}
	for (int i = 0; i <= LONG_N; i++) {
		ex[i][0] = files[i][0];
		ex[i][1] = files[i][1];
	}
	return fixture_open_with(f, "2025-01-01", ex, LONG_N + 1);
}

NB_TEST(long_series_past_the_drawn_window)
{
	enum { N = LONG_N };
	double values[N];
	for (int i = 0; i < N; i++)
		values[i] = (i + 10) / 100.0;
	fixture f;
	NB_CHECK(open_long(&f, values) == 0);
	check_redraw(NB_T, &f, "big-0", 0, values);
	check_redraw(NB_T, &f, "big-5", 0, values);
	check_redraw(NB_T, &f, "big-6", 0, values);
	check_redraw(NB_T, &f, "big-69", 0, values);
	check_redraw(NB_T, &f, "big", 0, values);
	nb_trend_charts tc;
	nb_trend_charts_init(&tc, &f.s, NB_TREND_CHARTS_BYTES);
	static const char *const older[] = { "big-0", "big-5", "big-6", "big-69" };
	for (size_t i = 0; i < 4; i++) {
		json_t *o = page_trends(&tc, &f.s, page(&f, older[i]));
		NB_CHECK(count(svg(o, "informed"), "chart-dot is-current") == 1);
		json_decref(o);
	}
	json_t *tr = page_trends(&tc, &f.s, page(&f, "big-0"));
	char v[2048];
	desc_values(svg(tr, "informed"), v, sizeof(v));
	NB_CHECK(count(v, "|") == N - 1);      /* all 70 still described */
	/* The first 64 drawn, 2000 Q1 (the page's, labelled and emphasised)
	 * to 2015 Q4 (labelled as the newest drawn); 2017 Q2 not drawn. */
	NB_CHECK_CONTAINS(svg(tr, "informed"), "chart-label is-current\"");
	NB_CHECK_CONTAINS(svg(tr, "informed"), ">2000 Q1</text>");
	NB_CHECK_CONTAINS(svg(tr, "informed"), ">2015 Q4</text>");
	NB_CHECK(!strstr(svg(tr, "informed"), ">2017 Q2</text>"));
	json_decref(tr);
	tr = page_trends(&tc, &f.s, page(&f, "big-69"));
	desc_values(svg(tr, "informed"), v, sizeof(v));
	/* All 70 in the text alternative, oldest first. */
	NB_CHECK(!strncmp(v, "10.0%|11.0%|12.0%|", 18));
	NB_CHECK(strlen(v) > 6 && !strcmp(v + strlen(v) - 6, "|79.0%"));
	NB_CHECK(count(v, "|") == N - 1);
	json_decref(tr);
	nb_trend_charts_free(&tc);
	fixture_free(&f);
}

static const char *later(const json_t *tr, const char *key)
{
	return json_string_value(json_object_get(chart(tr, key), "later"));
}

/* Every page's chart is left to draw: `later` instead of `svg`, a digest
 * of what it is drawn from, so a rebuild that renders none of those pages
 * draws none of them and still keys each by its chart (trends.h); an
 * older period's drawn whole, a newer one's spliced from its community's. The digest sees the
 * figures themselves, not only as the table prints them: 13.00% and
 * 13.01% print alike and are drawn apart. */
NB_TEST(older_periods_charts_drawn_when_rendered)
{
	double values[LONG_N], nudged[LONG_N];
	for (int i = 0; i < LONG_N; i++)
		values[i] = nudged[i] = (i + 10) / 100.0;
	nudged[3] += 0.0001;
	fixture f, g;
	NB_CHECK(open_long(&f, values) == 0);
	NB_CHECK(open_long(&g, nudged) == 0);
	nb_trend_charts tc, tg;
	nb_trend_charts_init(&tc, &f.s, NB_TREND_CHARTS_BYTES);
	nb_trend_charts_init(&tg, &g.s, NB_TREND_CHARTS_BYTES);
	json_t *b0 = nb_trend_charts_page(&tc, &f.s, page(&f, "big-0"));
	json_t *b5 = nb_trend_charts_page(&tc, &f.s, page(&f, "big-5"));
	json_t *b69 = nb_trend_charts_page(&tc, &f.s, page(&f, "big-69"));
	json_t *n0 = nb_trend_charts_page(&tg, &g.s, page(&g, "big-0"));
	NB_CHECK(svg(b0, "informed") == NULL);
	NB_CHECK(later(b0, "informed") && strlen(later(b0, "informed")) == 32);
	/* A page of the newest periods too: its chart is spliced from the
	 * community's, which making contexts never draws. */
	NB_CHECK(svg(b69, "informed") == NULL && later(b69, "informed") != NULL);
	NB_CHECK(strcmp(later(b0, "informed"), later(b69, "informed")));
	NB_CHECK(tc.draws == 0 && tg.draws == 0);
	/* Another period current is another chart; another figure too,
	 * though the table shows the same. */
	NB_CHECK(later(b5, "informed") && strcmp(later(b0, "informed"), later(b5, "informed")));
	NB_CHECK(later(n0, "informed") && strcmp(later(b0, "informed"), later(n0, "informed")));
	NB_CHECK(json_equal(json_object_get(b0, "rows"), json_object_get(n0, "rows")));
	/* The same sources, the same digest. */
	json_t *again = nb_trend_charts_page(&tc, &f.s, page(&f, "big-0"));
	NB_CHECK(!strcmp(later(b0, "informed"), later(again, "informed")));
	/* Drawn: what a chart drawn at once is, and nothing left over. */
	NB_CHECK(nb_trend_charts_draw_later(&tc, b0, &f.s, page(&f, "big-0")) == 1);
	NB_CHECK(later(b0, "informed") == NULL);
	NB_CHECK(svg(b0, "informed") && count(svg(b0, "informed"), "chart-dot is-current") == 1);
	NB_CHECK(nb_trend_charts_draw_later(&tc, b0, &f.s, page(&f, "big-0")) == 0);
	NB_CHECK(tc.draws == 0);  /* drawn whole, not from the community's */
	NB_CHECK(nb_trend_charts_draw_later(&tc, b69, &f.s, page(&f, "big-69")) == 1);
	NB_CHECK(later(b69, "informed") == NULL && svg(b69, "informed") &&
		 count(svg(b69, "informed"), "chart-dot is-current") == 1);
	NB_CHECK(tc.draws == 1);
	check_redraw(NB_T, &f, "big-0", 0, values);
	check_redraw(NB_T, &g, "big-0", 0, nudged);
	nb_trend_charts_undraw(b0);
	NB_CHECK(svg(b0, "informed") == NULL && later(b0, "informed") == NULL);
	json_decref(b0);
	json_decref(b5);
	json_decref(b69);
	json_decref(n0);
	json_decref(again);
	nb_trend_charts_free(&tc);
	nb_trend_charts_free(&tg);
	fixture_free(&f);
	fixture_free(&g);
}

/* The comparison of communities: the context's copy keeps each chart's
 * bars (the page's key reads them), the worker draws them into that copy
 * only, and the graph's list is left as it was throughout. */
NB_TEST(comparison_bars_drawn_from_a_copy)
{
	json_t *list = json_pack(
		"{s:{s:[{s:s, s:b, s:{s:s, s:b, s:[{s:s, s:f, s:s}, {s:s, s:f, s:s}]}}]}}",
		"compare", "charts", "key", "informed", "x", 1, "bars", "title", "Informed",
		"rate", 1, "points", "label", "Hongling", "value", 0.74, "display", "74.0%",
		"label", "Other", "value", 0.5, "display", "50.0%");
	char *before = json_dumps(list, JSON_SORT_KEYS);
	json_t *l = nb_trend_charts_compare(list);
	const json_t *c = json_array_get(json_object_get(json_object_get(l, "compare"), "charts"), 0);
	NB_CHECK(l != list && c != json_array_get(json_object_get(json_object_get(list, "compare"),
								 "charts"), 0));
	NB_CHECK(json_object_get(c, "bars") != NULL && json_object_get(c, "svg") == NULL);
	json_t *drawn = nb_trend_charts_compare_draw(l);
	NB_CHECK(drawn == json_object_get(l, "compare"));
	char *after = json_dumps(list, JSON_SORT_KEYS);
	NB_CHECK_STR(after, before);
	NB_CHECK_STR(json_string_value(json_object_get(c, "key")), "informed");
	const char *s = json_string_value(json_object_get(c, "svg"));
	NB_CHECK_CONTAINS(s, "<desc>Hongling: 74.0%; Other: 50.0%</desc>");
	nb_trend_charts_undraw(drawn);
	NB_CHECK(json_object_get(c, "svg") == NULL);
	json_decref(l);
	/* Nothing to draw: the list itself. */
	json_t *empty = json_pack("{s:{s:[]}}", "compare", "charts");
	l = nb_trend_charts_compare(empty);
	NB_CHECK(l == empty && nb_trend_charts_compare_draw(l) == NULL);
	json_decref(l);
	json_decref(empty);
	free(before);
	free(after);
	json_decref(list);
}

/*
 * The cache of drawn charts (trends.h): a site of more communities than
 * it holds gives every page the same trends as a cache that holds them
 * all, with pages asked for period by period across the communities (the
 * order that makes it drop and draw again). A cache that holds them all
 * draws each community once; a smaller one stays within its bytes, or
 * holds just the community last asked for when one is larger.
 */
enum { CACHE_C = 6, CACHE_Q = 4 };

static void cache_walk(nb_test_state *nb__t, const fixture *f, nb_trend_charts *tc,
		       char *out[CACHE_Q + 1][CACHE_C])
{
	char id[32];
	for (size_t q = 0; q <= CACHE_Q; q++) {
		for (size_t c = 0; c < CACHE_C; c++) {
			if (q < CACHE_Q)
				snprintf(id, sizeof(id), "c%zu-q%zu", c, q + 1);
			else
				snprintf(id, sizeof(id), "c%zu", c); /* the community's page */
			const nb_page *p = page(f, id);
			NB_CHECK(p && p->trends);
			json_t *tr = p ? page_trends(tc, &f->s, p) : NULL;
			NB_CHECK(tr != NULL);
			out[q][c] = tr ? json_dumps(tr, JSON_COMPACT) : NULL;
			json_decref(tr);
			size_t held = 0, bytes = 0;
			for (size_t j = 0; j < tc->n; j++) {
				held += tc->sp[j] && !tc->pinned[j];
				bytes += tc->sp[j] && !tc->pinned[j] ? tc->bytes[j] : 0;
			}
			NB_CHECK(tc->held == bytes);
			NB_CHECK(tc->held <= tc->max_bytes || held == 1);
		}
	}
}

NB_TEST(charts_dropped_and_drawn_again_are_the_same)
{
	static char files[CACHE_C * (CACHE_Q + 1)][2][512];
	const char *ex[CACHE_C * (CACHE_Q + 1)][2];
	size_t n = 0;
	for (size_t c = 0; c < CACHE_C; c++) {
		snprintf(files[n][0], 512, "content/communities/c%zu.md", c);
		snprintf(files[n][1], 512,
			 "---\ntitle: \"C%zu\"\nname: \"C%zu\"\ntype: \"老旧住宅区\"\n"
			 "platform: \"residents-committee\"\n"
			 "committee:\n  - {name: \"P%zu\", role: \"主任\"}\n---\nAbout.\n",
			 c, c, c);
		n++;
		for (size_t q = 1; q <= CACHE_Q; q++, n++) {
			snprintf(files[n][0], 512, "content/evaluations/2024/c%zu-q%zu.md", c, q);
			snprintf(files[n][1], 512,
				 "---\ntitle: \"E\"\nid: \"c%zu-q%zu\"\ncommunity: \"c%zu\"\n"
				 "period: \"2024-Q%zu\"\ninternal: {informed: 0.%zu%zu}\n"
				 "external: {complaints: %zu}\n---\nOk.\n",
				 c, q, c, q, c + 1, q, c * 10 + q);
		}
	}
	for (size_t i = 0; i < n; i++) {
		ex[i][0] = files[i][0];
		ex[i][1] = files[i][1];
	}
	fixture f;
	NB_CHECK(fixture_open_with(&f, "2025-01-01", ex, n) == 0);
	static char *all[CACHE_Q + 1][CACHE_C], *few[CACHE_Q + 1][CACHE_C];
	nb_trend_charts tc;
	nb_trend_charts_init(&tc, &f.s, NB_TREND_CHARTS_BYTES);
	cache_walk(NB_T, &f, &tc, all);
	/* The fixture's own community has evaluations too, never asked for. */
	NB_CHECK(tc.n == CACHE_C + 1);
	NB_CHECK(tc.draws == CACHE_C);
	size_t one = tc.bytes[f.s.pages[nb_site_find(&f.s, "c0")].trends - 1];
	nb_trend_charts_free(&tc);
	/* About two communities' charts; then none but the last asked for. */
	const size_t budgets[] = { one * 5 / 2, 1 };
	for (size_t b = 0; b < 2; b++) {
		nb_trend_charts_init(&tc, &f.s, budgets[b]);
		cache_walk(NB_T, &f, &tc, few);
		NB_CHECK(tc.draws == (CACHE_Q + 1) * CACHE_C);
		for (size_t q = 0; q <= CACHE_Q; q++) {
			for (size_t c = 0; c < CACHE_C; c++) {
				NB_CHECK(all[q][c] && few[q][c] && !strcmp(all[q][c], few[q][c]));
				free(few[q][c]);
			}
		}
		nb_trend_charts_free(&tc);
	}
	for (size_t q = 0; q <= CACHE_Q; q++)
		for (size_t c = 0; c < CACHE_C; c++)
			free(all[q][c]);
	fixture_free(&f);
}

/* A community of NB_TREND_CHARTS_PIN periods or more is drawn once
 * whatever the cache holds, its pages coming between others', as a
 * district's evaluations come year by year; the small ones beside it are
 * dropped and drawn again, the same charts each time. */
NB_TEST(charts_of_long_histories_are_drawn_once)
{
	enum { Q = NB_TREND_CHARTS_PIN, S = 2 };
	static char files[3 + Q + 2 * S][2][512];
	const char *ex[3 + Q + 2 * S][2];
	size_t n = 0;
	for (size_t c = 0; c < 3; c++, n++) {
		snprintf(files[n][0], 512, "content/communities/p%zu.md", c);
		snprintf(files[n][1], 512,
			 "---\ntitle: \"P%zu\"\nname: \"P%zu\"\ntype: \"老旧住宅区\"\n"
			 "platform: \"residents-committee\"\n"
			 "committee:\n  - {name: \"Q%zu\", role: \"主任\"}\n---\nAbout.\n", c, c, c);
	}
	/* p0: Q quarters over two years; p1 and p2: S each. */
	for (size_t c = 0; c < 3; c++) {
		for (size_t k = 0; k < (c ? S : Q); k++, n++) {
			snprintf(files[n][0], 512, "content/evaluations/p%zu-%zu.md", c, k);
			snprintf(files[n][1], 512, "---\ntitle: \"E\"\ncommunity: \"p%zu\"\n"
				 "period: \"%zu-Q%zu\"\ninternal: {informed: 0.%zu}\n---\nOk.\n",
				 c, 2020 + k / 4, k % 4 + 1, k + 1);
		}
	}
	for (size_t i = 0; i < n; i++) {
		ex[i][0] = files[i][0];
		ex[i][1] = files[i][1];
	}
	fixture f;
	NB_CHECK(fixture_open_with(&f, "2025-01-01", ex, n) == 0);
	nb_trend_charts tc;
	char *seen[3][Q] = { { NULL } };
	for (int b = 0; b < 2; b++) {
		/* First room for all, then for none but the last asked for. */
		nb_trend_charts_init(&tc, &f.s, b == 0 ? NB_TREND_CHARTS_BYTES : 1);
		char id[32];
		for (size_t k = 0; k < Q; k++) {
			for (size_t c = 0; c < 3 && (c == 0 || k < S); c++) {
				snprintf(id, sizeof(id), "p%zu-%zu", c, k);
				const nb_page *p = page(&f, id);
				json_t *tr = p ? page_trends(&tc, &f.s, p) : NULL;
				char *text = tr ? json_dumps(tr, JSON_COMPACT) : NULL;
				json_decref(tr);
				NB_CHECK(text != NULL);
				if (b == 0) {
					seen[c][k] = text;
				} else {
					NB_CHECK(text && seen[c][k] && !strcmp(text, seen[c][k]));
					free(text);
				}
			}
		}
		/* Each once when all fit; in the smallest cache p1 and p2
		 * push each other out (drawn S times each), p0 still once. */
		NB_CHECK(tc.draws == (b == 0 ? 3 : 1 + 2 * S));
		nb_trend_charts_free(&tc);
	}
	for (size_t c = 0; c < 3; c++)
		for (size_t k = 0; k < Q; k++)
			free(seen[c][k]);
	fixture_free(&f);
}

NB_TEST_MAIN("trends", NB_CASE(figures_in_period_order_with_the_page_current),
	     NB_CASE(spliced_equals_redrawn), NB_CASE(long_series_past_the_drawn_window),
	     NB_CASE(older_periods_charts_drawn_when_rendered),
	     NB_CASE(comparison_bars_drawn_from_a_copy),
	     NB_CASE(charts_dropped_and_drawn_again_are_the_same),
	     NB_CASE(charts_of_long_histories_are_drawn_once))

/*
 * test_chart.c - the build-time SVG charts.
 *
 * Pins what the theme and a strict CSP rely on: a text alternative on every
 * chart, escaped labels, no inline style, fixed-precision coordinates (so
 * builds are byte-identical) and a value axis that starts at zero; and
 * what residents need of a long series: labels that never overlap, the
 * newest periods drawn, and a spliced chart equal to a redrawn one.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart.h"

static const nb_chart_point pts[] = {
	{ "2024-Q3", 0.74, "74.0%", 0, NULL },
	{ "2024-Q4", 0.79, "79.0%", 0, NULL },
	{ "2025-Q1", 0.86, "86.0%", 1, NULL },
};

NB_TEST(line_has_text_alternative)
{
	nb_buf b = NB_BUF_INIT;
	nb_chart_opts o = { "居民知情率：槐荫社区", NULL, 1.0 };
	nb_chart_line(pts, 3, &o, &b);
	const char *s = nb_buf_cstr(&b);
	NB_CHECK_CONTAINS(s, "role=\"img\" aria-label=\"居民知情率：槐荫社区\"");
	NB_CHECK_CONTAINS(s, "<title>居民知情率：槐荫社区</title>");
	NB_CHECK_CONTAINS(s, "<desc>2024-Q3: 74.0%; 2024-Q4: 79.0%; 2025-Q1: 86.0%</desc>");
	NB_CHECK_CONTAINS(s, "class=\"chart-dot is-current\"");
	NB_CHECK(!strstr(s, "style="));
	NB_CHECK(!strstr(s, "<script"));
	nb_buf_free(&b);
}

NB_TEST(line_coordinates_fixed_and_zero_based)
{
	nb_buf b = NB_BUF_INIT;
	nb_chart_opts o = { "t", NULL, 1.0 };
	nb_chart_line(pts, 3, &o, &b);
	/* Plot 24..116 high, max 1.0: 0.74 -> 116 - 92*0.74 = 47.9. */
	NB_CHECK_CONTAINS(nb_buf_cstr(&b), "points=\"40.0,47.9 160.0,43.3 280.0,36.9\"");
	nb_buf c = NB_BUF_INIT;
	nb_chart_line(pts, 3, &o, &c);
	NB_CHECK_STR(nb_buf_cstr(&c), nb_buf_cstr(&b));
	nb_buf_free(&b);
	nb_buf_free(&c);
}

NB_TEST(bars_escape_labels_and_scale)
{
	const nb_chart_point bars[] = {
		{ "A&B <社区>", 10, "10", 0, NULL },
		{ "乙", 20, "20", 0, NULL },
	};
	nb_buf b = NB_BUF_INIT;
	nb_chart_opts o = { "信访量", NULL, 0 };
	nb_chart_bars(bars, 2, &o, &b);
	const char *s = nb_buf_cstr(&b);
	NB_CHECK_CONTAINS(s, "A&amp;B &lt;社区&gt;");
	NB_CHECK(!strstr(s, "A&B"));
	/* Max 20 * 1.15 = 23 over 112 units: 10 -> 48.7, 20 -> 97.4. */
	NB_CHECK_CONTAINS(s, "width=\"48.7\"");
	NB_CHECK_CONTAINS(s, "width=\"97.4\"");
	NB_CHECK(!strstr(s, "style="));
	nb_buf_free(&b);
}

NB_TEST(single_point_and_empty)
{
	nb_buf b = NB_BUF_INIT;
	nb_chart_opts o = { "t", "自定义说明", 0 };
	nb_chart_line(pts, 1, &o, &b);
	NB_CHECK(!strstr(nb_buf_cstr(&b), "<polyline"));
	NB_CHECK_CONTAINS(nb_buf_cstr(&b), "<desc>自定义说明</desc>");
	nb_buf_clear(&b);
	nb_chart_bars(NULL, 0, &o, &b);
	NB_CHECK_CONTAINS(nb_buf_cstr(&b), "</svg>");
	nb_buf_free(&b);
}

/* n quarterly points "P<i>", values cycling, `current` emphasised (or none
 * when current >= n); labels kept in `names` (caller frees). */
static nb_chart_point *many(size_t n, size_t current, char (**names)[16])
{
	nb_chart_point *p = calloc(n, sizeof(*p));
	*names = calloc(n, sizeof(**names));
	if (!p || !*names)
		abort();
	for (size_t i = 0; i < n; i++) {
		snprintf((*names)[i], 16, "P%u", (unsigned)(i % 1000));
		p[i] = (nb_chart_point){ (*names)[i], (double)(i * 37 % 100) / 100, "12.0%",
					 i == current, NULL };
	}
	return p;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* The chart of many(n, current): its SVG (caller frees). */
static char *draw_many(size_t n, size_t current)
{
	char (*names)[16];
	nb_chart_point *p = many(n, current, &names);
	nb_buf b = NB_BUF_INIT;
	nb_chart_opts o = { "t", NULL, 1.0 };
	nb_chart_line(p, n, &o, &b);
	free(p);
	free(names);
	return nb_buf_detach(&b);
}

/* x of every period label on the axis, in order. */
static size_t label_xs(const char *s, double *xs, size_t cap)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, "class=\"chart-label")) != NULL && n < cap; p++) {
		const char *x = strstr(p, " x=\"");
		xs[n++] = x ? strtod(x + 4, NULL) : -1;
	}
	return n;
}

NB_TEST(crowded_line_labels_stay_apart)
{
	/* 40 periods across 240 px are 6 px apart: labelling each one was an
	 * illegible smear. Now: the line, periods every k-th point at least
	 * 44 px apart (the newest always), one dot and value, the current. */
	char *s = draw_many(40, 37);
	NB_CHECK(count(s, "<circle") == 1);
	NB_CHECK(count(s, "class=\"chart-dot is-current\"") == 1);
	NB_CHECK(count(s, "class=\"chart-value") == 1);
	double xs[64];
	size_t n = label_xs(s, xs, 64);
	NB_CHECK(n >= 4 && n <= 7);
	for (size_t i = 1; i < n; i++)
		NB_CHECK(xs[i] - xs[i - 1] >= 44.0);
	NB_CHECK_CONTAINS(s, ">P39</text>");       /* the newest period */
	NB_CHECK_CONTAINS(s, "P0: 12.0%; P1: 12.0%"); /* every value in the text alternative */
	free(s);
	/* A few points still get every label, as before. */
	nb_buf b = NB_BUF_INIT;
	nb_chart_opts o = { "t", NULL, 1.0 };
	nb_chart_line(pts, 3, &o, &b);
	NB_CHECK(count(nb_buf_cstr(&b), "class=\"chart-value") == 3);
	NB_CHECK(count(nb_buf_cstr(&b), "class=\"chart-label") == 3);
	nb_buf_free(&b);
}

/* A deep history's periods along the axis, as the site writes them
 * ("2010年Q1": four digits, 年, Q and a digit, some 71 units at 16): no
 * two labels may touch. At a fixed 64 units they ran together. */
NB_TEST(period_labels_do_not_touch)
{
	static char names[100][32], axis[100][32];
	nb_chart_point p[100];
	for (size_t i = 0; i < 100; i++) {
		snprintf(names[i], sizeof(names[i]), "%zu年第%zu季度", 2001 + i / 4, i % 4 + 1);
		snprintf(axis[i], sizeof(axis[i]), "%zu年Q%zu", 2001 + i / 4, i % 4 + 1);
		p[i] = (nb_chart_point){ names[i], 0.5, "50.0%", i == 99, axis[i] };
	}
	nb_chart_opts o = { "t", NULL, 1.0 };
	for (size_t n = 2; n <= 100; n++) {
		nb_buf b = NB_BUF_INIT;
		nb_chart_line(p + 100 - n, n, &o, &b);
		double xs[64];
		size_t k = label_xs(nb_buf_cstr(&b), xs, 64);
		NB_CHECK(k >= 2);
		for (size_t i = 1; i < k; i++)
			if (xs[i] - xs[i - 1] < 72.0) {
				fprintf(stderr, "  %zu periods: labels %.1f apart\n", n, xs[i] - xs[i - 1]);
				NB_CHECK(0);
				break;
			}
		NB_CHECK_CONTAINS(nb_buf_cstr(&b), ">2025年Q4</text>");
		nb_buf_free(&b);
	}
}

NB_TEST(newest_points_are_drawn)
{
	/* Of 80 periods the newest 64 are drawn: the page's own period is
	 * most often the latest, and used to be left off the chart. */
	char *s = draw_many(80, 79);
	NB_CHECK(count(s, "class=\"chart-dot is-current\"") == 1);
	NB_CHECK_CONTAINS(s, ">P79</text>");
	NB_CHECK_CONTAINS(s, ">P16</text>");       /* the oldest drawn */
	NB_CHECK(!strstr(s, ">P15</text>"));
	NB_CHECK_CONTAINS(s, "P0: 12.0%");          /* still described */
	free(s);
}

NB_TEST(an_older_current_period_is_drawn)
{
	/* Of 80 periods, an old evaluation's page (P5) drew P16-P79 without
	 * its own period while its caption said the period was marked: now
	 * the first 64 (P0-P63), P5 emphasised. P30: the 64 ending at it
	 * would begin before P0, so again P0-P63. */
	char *s = draw_many(80, 5);
	NB_CHECK(count(s, "class=\"chart-dot is-current\"") == 1);
	NB_CHECK_CONTAINS(s, ">P0</text>");
	NB_CHECK_CONTAINS(s, ">P63</text>");        /* the newest drawn, labelled */
	NB_CHECK(!strstr(s, ">P64</text>") && !strstr(s, ">P79</text>"));
	NB_CHECK_CONTAINS(s, "P79: 12.0%");         /* still described */
	free(s);
	s = draw_many(80, 15);
	NB_CHECK(count(s, "class=\"chart-dot is-current\"") == 1);
	NB_CHECK_CONTAINS(s, ">P63</text>");
	free(s);
	/* 200 periods, P100 current: the 64 ending at it, P37-P100. */
	s = draw_many(200, 100);
	NB_CHECK(count(s, "class=\"chart-dot is-current\"") == 1);
	NB_CHECK_CONTAINS(s, ">P100</text>");
	NB_CHECK(!strstr(s, ">P101</text>") && !strstr(s, ">P199</text>"));
	free(s);
}

NB_TEST(splice_equals_a_redraw)
{
	/* nb_chart_splice_emit(sp, i) must be byte for byte the chart drawn
	 * with point i current, crowded or not, for every point it draws; an
	 * older point is not drawn there (its chart moves: the next test). */
	static const size_t sizes[] = { 3, 12, 40, 64, 80 };
	nb_chart_opts o = { "t", NULL, 1.0 };
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		size_t n = sizes[z];
		char (*names)[16];
		nb_chart_point *p = many(n, n, &names);
		nb_chart_splice sp;
		nb_chart_line_splice(p, n, &o, &sp);
		for (size_t cur = 0; cur <= n; cur++) {
			for (size_t i = 0; i < n; i++)
				p[i].current = i == cur;
			NB_CHECK(nb_chart_splice_drawn(&sp, cur) == (n <= 64 || cur >= n - 64));
			if (!nb_chart_splice_drawn(&sp, cur))
				continue;
			nb_buf want = NB_BUF_INIT, got = NB_BUF_INIT;
			nb_chart_line(p, n, &o, &want);
			nb_chart_splice_emit(&sp, cur, &got);
			NB_CHECK(want.len == got.len && !memcmp(nb_buf_cstr(&want), nb_buf_cstr(&got), want.len));
			nb_buf_free(&want);
			nb_buf_free(&got);
		}
		nb_chart_splice_free(&sp);
		free(p);
		free(names);
	}
}

/* Every text in a chart is at least 16 view-box units: a chart 320 units
 * wide shown about 300 px wide on a phone prints them at 15 px, the 14 px
 * an older reader needs (11 units came out at 10 px). */
static int min_font(const char *svg)
{
	int lo = 1000;
	for (const char *p = strstr(svg, "font-size=\""); p; p = strstr(p + 1, "font-size=\""))
		if (atoi(p + 11) < lo)
			lo = atoi(p + 11);
	return lo;
}

NB_TEST(labels_readable_on_a_phone)
{
	nb_buf b = NB_BUF_INIT;
	nb_chart_opts o = { "t", NULL, 1.0 };
	nb_chart_line(pts, 3, &o, &b);
	NB_CHECK(strstr(b.ptr, "font-size=") != NULL);
	NB_CHECK(min_font(b.ptr) >= 16);
	nb_buf_clear(&b);
	nb_chart_bars(pts, 3, &o, &b);
	NB_CHECK(min_font(b.ptr) >= 16);
	nb_buf_free(&b);
}

/* A period reads in words in the text alternative and short on the axis. */
NB_TEST(axis_label_short_desc_in_words)
{
	const nb_chart_point p2[] = {
		{ "2024年第四季度", 0.79, "79.0%", 0, "2024年Q4" },
		{ "2025年第一季度", 0.86, "86.0%", 1, "2025年Q1" },
	};
	nb_buf b = NB_BUF_INIT;
	nb_chart_opts o = { "t", NULL, 1.0 };
	nb_chart_line(p2, 2, &o, &b);
	NB_CHECK(strstr(b.ptr, "<desc>2024年第四季度: 79.0%; 2025年第一季度: 86.0%</desc>") != NULL);
	NB_CHECK(strstr(b.ptr, ">2025年Q1</text>") != NULL);
	NB_CHECK(strstr(b.ptr, ">2025年第一季度</text>") == NULL);
	nb_buf_free(&b);
}

NB_TEST_MAIN("chart",
	     NB_CASE(labels_readable_on_a_phone),
	     NB_CASE(axis_label_short_desc_in_words),
	     NB_CASE(crowded_line_labels_stay_apart), NB_CASE(period_labels_do_not_touch),
	     NB_CASE(newest_points_are_drawn), NB_CASE(an_older_current_period_is_drawn),
	     NB_CASE(splice_equals_a_redraw),
	     NB_CASE(line_has_text_alternative),
	     NB_CASE(line_coordinates_fixed_and_zero_based),
	     NB_CASE(bars_escape_labels_and_scale),
	     NB_CASE(single_point_and_empty))

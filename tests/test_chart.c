/*
 * test_chart.c - the build-time SVG charts.
 *
 * Pins what the theme and a strict CSP rely on: a text alternative on every
 * chart, escaped labels, no inline style, fixed-precision coordinates (so
 * builds are byte-identical) and a value axis that starts at zero.
 */
#include "harness.h"

#include "chart.h"

static const nb_chart_point pts[] = {
	{ "2024-Q3", 0.74, "74.0%", 0 },
	{ "2024-Q4", 0.79, "79.0%", 0 },
	{ "2025-Q1", 0.86, "86.0%", 1 },
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
	/* Plot 24..120 high, max 1.0: 0.74 -> 120 - 96*0.74 = 49.0. */
	NB_CHECK_CONTAINS(nb_buf_cstr(&b), "points=\"40.0,49.0 160.0,44.2 280.0,37.4\"");
	nb_buf c = NB_BUF_INIT;
	nb_chart_line(pts, 3, &o, &c);
	NB_CHECK_STR(nb_buf_cstr(&c), nb_buf_cstr(&b));
	nb_buf_free(&b);
	nb_buf_free(&c);
}

NB_TEST(bars_escape_labels_and_scale)
{
	const nb_chart_point bars[] = {
		{ "A&B <社区>", 10, "10", 0 },
		{ "乙", 20, "20", 0 },
	};
	nb_buf b = NB_BUF_INIT;
	nb_chart_opts o = { "信访量", NULL, 0 };
	nb_chart_bars(bars, 2, &o, &b);
	const char *s = nb_buf_cstr(&b);
	NB_CHECK_CONTAINS(s, "A&amp;B &lt;社区&gt;");
	NB_CHECK(!strstr(s, "A&B"));
	/* Max 20 * 1.15 = 23 over 144 units: 10 -> 62.6, 20 -> 125.2. */
	NB_CHECK_CONTAINS(s, "width=\"62.6\"");
	NB_CHECK_CONTAINS(s, "width=\"125.2\"");
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

NB_TEST_MAIN("chart",
	     NB_CASE(line_has_text_alternative),
	     NB_CASE(line_coordinates_fixed_and_zero_based),
	     NB_CASE(bars_escape_labels_and_scale),
	     NB_CASE(single_point_and_empty))

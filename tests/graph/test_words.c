/*
 * test_words.c - figures in words (words.c): periods, money, percentage
 * points and counts, in both languages' wording, with the theme's strings
 * given here as the default theme writes them.
 */
#include "harness.h"

#include <jansson.h>
#include <math.h>

#include "graph/words.h"

static json_t *zh(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:[s,s,s,s], s:s, s:s}",
			 "period_quarter", "{y}年第{q}季度", "period_year", "{y}年度",
			 "period_quarter_short", "{y}年Q{n}", "period_year_short", "{y}年",
			 "quarter_names", "一", "二", "三", "四",
			 "money_format", "{n} 元", "points_format", "{n} 个百分点");
}

static json_t *en(void)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "period_quarter", "{y} Q{n}",
			 "period_year", "{y}", "money_format", "CNY {n}",
			 "points_format", "{n} percentage points");
}

#define EXPECT(call, want)                          \
	do {                                        \
		nb_buf b_ = NB_BUF_INIT;            \
		call;                               \
		NB_CHECK_STR(nb_buf_cstr(&b_), want); \
		nb_buf_free(&b_);                   \
	} while (0)

NB_TEST(periods_in_words)
{
	json_t *z = zh(), *e = en();
	EXPECT(nb_period_format(&b_, z, "2025-Q1"), "2025年第一季度");
	EXPECT(nb_period_format(&b_, z, "2024-Q4"), "2024年第四季度");
	EXPECT(nb_period_format(&b_, z, "2025"), "2025年度");
	EXPECT(nb_period_format(&b_, e, "2025-Q1"), "2025 Q1");
	EXPECT(nb_period_format(&b_, e, "2025"), "2025");
	EXPECT(nb_period_format_short(&b_, z, "2025-Q3"), "2025年Q3");
	/* Anything else is shown as typed, never dropped. */
	EXPECT(nb_period_format(&b_, z, "2025-Q5"), "2025-Q5");
	EXPECT(nb_period_format(&b_, z, "上半年"), "上半年");
	nb_buf b = NB_BUF_INIT;
	NB_CHECK(nb_period_format(&b, z, "2025-H1") == -1);
	nb_buf_free(&b);
	json_decref(z);
	json_decref(e);
}

NB_TEST(period_end)
{
	char d[11];
	NB_CHECK(nb_period_end(d, "2024-Q1") == 0 && !strcmp(d, "2024-03-31"));
	NB_CHECK(nb_period_end(d, "2024-Q3") == 0 && !strcmp(d, "2024-09-30"));
	NB_CHECK(nb_period_end(d, "2024") == 0 && !strcmp(d, "2024-12-31"));
	NB_CHECK(nb_period_end(d, "24-Q1") == -1 && d[0] == 0);
	NB_CHECK(nb_period_end(d, NULL) == -1);
}

NB_TEST(money_with_separators_and_unit)
{
	json_t *z = zh(), *e = en();
	EXPECT(nb_money_format(&b_, z, 196000, 0), "196,000 元");
	EXPECT(nb_money_format(&b_, z, 1234567.4, 0), "1,234,567 元");
	EXPECT(nb_money_format(&b_, z, 999, 0), "999 元");
	EXPECT(nb_money_format(&b_, z, -8000, 1), "-8,000 元");
	EXPECT(nb_money_format(&b_, z, 12000, 1), "+12,000 元");
	EXPECT(nb_money_format(&b_, z, 0, 1), "0 元");
	EXPECT(nb_money_format(&b_, e, 188000, 0), "CNY 188,000");
	json_decref(z);
	json_decref(e);
}

NB_TEST(rate_changes_in_points)
{
	json_t *z = zh(), *e = en();
	EXPECT(nb_points_format(&b_, z, 0.05), "+5.0 个百分点");
	EXPECT(nb_points_format(&b_, z, 0.79 - 0.86), "-7.0 个百分点");
	/* What is shown decides the sign: no "-0.0". */
	EXPECT(nb_points_format(&b_, z, -0.0004), "0.0 个百分点");
	EXPECT(nb_points_format(&b_, e, 0.123), "+12.3 percentage points");
	json_decref(z);
	json_decref(e);
}

NB_TEST(counts)
{
	EXPECT(nb_count_format(&b_, 12345, 0), "12,345");
	EXPECT(nb_count_format(&b_, -5, 1), "-5");
	EXPECT(nb_count_format(&b_, 3, 1), "+3");
	EXPECT(nb_count_format(&b_, 0, 1), "0");
}

/* nb_figure_round: the one rounding of every figure, half away from zero
 * on the decimal as typed (not on the binary double), with its digits; a
 * rounded zero is +0 (signbit checks it), never -0. */
#define ROUNDS(x, shift, want_v, want_d)                                  \
	do {                                                              \
		nb_buf b_ = NB_BUF_INIT;                                  \
		double v_ = nb_figure_round(x, shift, &b_);               \
		NB_CHECK(v_ == (want_v) && !signbit(v_) == !((want_v) < 0)); \
		NB_CHECK_STR(nb_buf_cstr(&b_), want_d);                   \
		nb_buf_free(&b_);                                         \
	} while (0)

NB_TEST(figure_rounding)
{
	ROUNDS(0.6665, 3, 667, "667");
	ROUNDS(0.1225, 3, 123, "123");
	ROUNDS(0.2345, 3, 235, "235");
	ROUNDS(0.66649999999999, 3, 666, "666");
	ROUNDS(0.66650000000001, 3, 667, "667");
	ROUNDS(0.9995, 3, 1000, "1000");
	ROUNDS(0.0005, 3, 1, "1");
	ROUNDS(0.00049999999999, 3, 0, "0");
	ROUNDS(0.0, 3, 0, "0");
	ROUNDS(-0.0, 3, 0, "0");
	ROUNDS(-0.0004, 3, 0, "0");
	ROUNDS(1.0, 3, 1000, "1000");
	ROUNDS(-0.0335, 3, -34, "-34");
	ROUNDS(-2.5, 0, -3, "-3");
	ROUNDS(999.5, 0, 1000, "1000");
	ROUNDS(9.5, 0, 10, "10");
	ROUNDS(1234567.4, 0, 1234567, "1234567");
	ROUNDS(1e-300, 3, 0, "0");
	ROUNDS(1e40, 0, 1e40, "10000000000000000000000000000000000000000");
	/* The rounded number is exact: a difference of two is too. */
	NB_CHECK(nb_figure_round(0.70, 3, NULL) - nb_figure_round(0.6665, 3, NULL) == 33);
}

/* Periods in time: by the end, a year after its own Q4 (same end day),
 * before the next year's Q1; what is neither form first, by its text. */
NB_TEST(periods_in_time_order)
{
	static const char *const order[] = { "bad", "zzz", "2023", "2024-Q1", "2024-Q3",
					     "2024-Q4", "2024", "2025-Q1", "2025" };
	size_t n = sizeof(order) / sizeof(order[0]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int c = nb_period_cmp(order[i], order[j]);
			NB_CHECK(i < j ? c < 0 : i > j ? c > 0 : c == 0);
		}
}

NB_TEST_MAIN("words",
	     NB_CASE(periods_in_words),
	     NB_CASE(period_end),
	     NB_CASE(money_with_separators_and_unit),
	     NB_CASE(rate_changes_in_points),
	     NB_CASE(counts),
	     NB_CASE(figure_rounding),
	     NB_CASE(periods_in_time_order))

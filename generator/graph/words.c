/*
 * words.c - figures as residents read them; see words.h.
 *
 * Formats are the theme's strings with {placeholders}, filled here, rather
 * than printf formats: a format string from a theme must never reach
 * printf, and Chinese and English put the number on different sides of
 * its unit. Every figure is rounded by one function (nb_figure_round),
 * half away from zero as its decimal is written, and its text is built
 * from the rounded digits, so no figure is cut short; a rounded zero has
 * no sign ("0.0", never "-0.0" or "+0.0"): a sign that the figure beside
 * it does not bear out would mislead.
 */
#include "graph/words.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sget(const json_t *strings, const char *key, const char *fallback)
{
	const char *v = json_string_value(json_object_get(strings, key));
	return v ? v : fallback;
}

/* Append `fmt` with {name} replaced by the value of the same name;
 * unknown placeholders are copied as they are. */
static void fill(nb_buf *out, const char *fmt, const char *const *names,
		 const char *const *values, size_t n)
{
	for (const char *p = fmt; *p;) {
		size_t k = n;
		if (*p == '{')
			for (k = 0; k < n; k++) {
				size_t l = strlen(names[k]);
				if (!strncmp(p + 1, names[k], l) && p[1 + l] == '}')
					break;
			}
		if (k < n) {
			nb_buf_puts(out, values[k]);
			p += strlen(names[k]) + 2;
		} else {
			nb_buf_putc(out, *p++);
		}
	}
}

static int is_year(const char *p)
{
	for (int i = 0; i < 4; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* 1-4 for "YYYY-Qn", 0 for "YYYY", -1 for anything else. */
static int period_quarter(const char *period)
{
	if (!period)
		return -1;
	size_t n = strlen(period);
	if (n == 4 && is_year(period))
		return 0;
	if (n == 7 && is_year(period) && period[4] == '-' && period[5] == 'Q' &&
	    period[6] >= '1' && period[6] <= '4')
		return period[6] - '0';
	return -1;
}

int nb_period_cmp(const char *a, const char *b)
{
	int qa = period_quarter(a), qb = period_quarter(b);
	if (qa < 0 || qb < 0)
		return qa < 0 && qb < 0 ? strcmp(a ? a : "", b ? b : "") : qa < 0 ? -1 : 1;
	int c = strncmp(a, b, 4);
	if (c)
		return c;
	/* A year ends with its Q4, and is after it: its Q4 is part of it. */
	int ea = qa ? qa : 4, eb = qb ? qb : 4;
	if (ea != eb)
		return ea < eb ? -1 : 1;
	return (qa == 0) - (qb == 0);
}

int nb_period_end(char out[11], const char *period)
{
	static const char *const qend[] = { "12-31", "03-31", "06-30", "09-30", "12-31" };
	int q = period_quarter(period);
	out[0] = 0;
	if (q < 0)
		return -1;
	snprintf(out, 11, "%.4s-%s", period, qend[q]);
	return 0;
}

static int period_format(nb_buf *out, const json_t *strings, const char *period,
			 const char *year_key, const char *year_def,
			 const char *quarter_key, const char *quarter_def)
{
	int q = period_quarter(period);
	if (q < 0) {
		nb_buf_puts(out, period ? period : "");
		return -1;
	}
	char y[5], num[2] = { (char)('0' + q), 0 };
	memcpy(y, period, 4);
	y[4] = 0;
	static const char *const names[] = { "y", "n", "q" };
	if (!q) {
		const char *const values[] = { y, "", "" };
		fill(out, sget(strings, year_key, year_def), names, values, 3);
		return 0;
	}
	const char *qname = json_string_value(
		json_array_get(json_object_get(strings, "quarter_names"), (size_t)q - 1));
	const char *const values[] = { y, num, qname ? qname : num };
	fill(out, sget(strings, quarter_key, quarter_def), names, values, 3);
	return 0;
}

int nb_period_format(nb_buf *out, const json_t *strings, const char *period)
{
	return period_format(out, strings, period, "period_year", "{y}",
			     "period_quarter", "{y} Q{n}");
}

int nb_period_format_short(nb_buf *out, const json_t *strings, const char *period)
{
	return period_format(out, strings, period, "period_year_short", "{y}",
			     "period_quarter_short", "{y} Q{n}");
}

/*
 * Rounding, the one way for every figure shown (values and changes, on
 * an evaluation's page, in the trend tables and charts, in the
 * comparison): half away from zero (四舍五入) as the decimal the secretary
 * typed means it. round(x * 1000) on the binary double does not: 0.6665
 * is stored as 0.66649999..., so it showed 66.6%, and 0.1225 * 1000 came
 * out 122.49999... The double's first DBL_DIG (15) significant digits
 * are exactly the decimal typed whenever that had at most 15 (C17
 * 5.2.4.2.2: decimal -> double -> decimal round-trips at DBL_DIG), which
 * every rate, count and sum a committee records has; so the rounding is
 * done on those digits, as text, with no tolerance to tune, and a sum of
 * 1e40 yuan is shown as the 1 and forty zeros typed, not the binary
 * double's 10000000000000000303786... The result is built as digits, so
 * no figure is ever too long for a buffer. O(digits).
 */
double nb_figure_round(double x, int shift, nb_buf *digits)
{
	if (!isfinite(x)) {
		if (digits)
			nb_buf_printf(digits, "%g", x);
		return x;
	}
	char e[40], d[DBL_DIG];
	snprintf(e, sizeof(e), "%.*e", DBL_DIG - 1, x); /* "-d.ddddddddddddddde-01" */
	const char *p = e + (e[0] == '-');
	size_t nd = 0;
	for (; *p && *p != 'e' && nd < DBL_DIG; p++)
		if (*p >= '0' && *p <= '9')
			d[nd++] = *p;
	/* The last digit's place, a power of ten, once scaled by 10^shift. */
	long place = (*p == 'e' ? strtol(p + 1, NULL, 10) : 0) - (long)(nd - 1) + shift;
	long keep = place >= 0 ? (long)nd : (long)nd + place;
	nb_buf r = NB_BUF_INIT;
	if (keep > 0)
		nb_buf_put(&r, d, (size_t)keep);
	for (long i = 0; i < place; i++)
		nb_buf_putc(&r, '0');
	if (keep >= 0 && keep < (long)nd && d[keep] >= '5') {
		/* Half or more of the last place kept: up, away from zero
		 * (the sign is apart), carrying through nines. */
		size_t i = r.len;
		while (i > 0 && r.ptr[i - 1] == '9')
			r.ptr[--i] = '0';
		if (i > 0) {
			r.ptr[i - 1]++;
		} else {
			nb_buf_putc(&r, '0');
			memmove(r.ptr + 1, r.ptr, r.len - 1);
			r.ptr[0] = '1';
		}
	}
	size_t z = 0;
	while (z + 1 < r.len && r.ptr[z] == '0')
		z++;
	const char *num = r.len ? r.ptr + z : "0";
	/* A rounded zero has no sign, whatever the sign of x (-0.0 too). */
	int neg = e[0] == '-' && strcmp(num, "0");
	double v = strtod(num, NULL);
	if (digits) {
		if (neg)
			nb_buf_putc(digits, '-');
		nb_buf_puts(digits, num);
	}
	nb_buf_free(&r);
	return neg ? -v : v;
}

/* x rounded (nb_figure_round at `shift`) into `dg`, its sign put on
 * `out` ('-', or '+' on a positive change when `sign`); returns the
 * digits after the sign and sets *r to the rounded number. */
static const char *signed_figure(nb_buf *out, nb_buf *dg, double x, int shift, int sign,
				 double *r)
{
	*r = nb_figure_round(x, shift, dg);
	const char *p = nb_buf_cstr(dg);
	if (*p == '-')
		nb_buf_putc(out, *p++);
	else if (sign && *r > 0)
		nb_buf_putc(out, '+');
	return p;
}

/* A figure rounded to whole units, grouped by three, with its sign. */
static void grouped(nb_buf *out, double v, int sign)
{
	nb_buf dg = NB_BUF_INIT;
	double r;
	const char *p = signed_figure(out, &dg, v, 0, sign, &r);
	size_t nd = strlen(p);
	for (size_t i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			nb_buf_putc(out, ',');
		nb_buf_putc(out, p[i]);
	}
	nb_buf_free(&dg);
}

/* A figure rounded to tenths of a percent, as "66.7", with its sign. */
static void tenths(nb_buf *out, double rate, int sign)
{
	nb_buf dg = NB_BUF_INIT;
	double r;
	const char *p = signed_figure(out, &dg, rate, 3, sign, &r);
	size_t nd = strlen(p);
	if (nd < 2 || !isfinite(r)) {
		nb_buf_puts(out, isfinite(r) ? "0." : "");
		nb_buf_puts(out, p);
	} else {
		nb_buf_put(out, p, nd - 1);
		nb_buf_putc(out, '.');
		nb_buf_putc(out, p[nd - 1]);
	}
	nb_buf_free(&dg);
}

void nb_rate_format(nb_buf *out, double rate)
{
	tenths(out, rate, 0);
	nb_buf_putc(out, '%');
}

void nb_count_format(nb_buf *out, double n, int sign)
{
	grouped(out, n, sign);
}

void nb_money_format(nb_buf *out, const json_t *strings, double yuan, int sign)
{
	nb_buf b = NB_BUF_INIT;
	grouped(&b, yuan, sign);
	static const char *const names[] = { "n" };
	const char *const values[] = { nb_buf_cstr(&b) };
	fill(out, sget(strings, "money_format", "CNY {n}"), names, values, 1);
	nb_buf_free(&b);
}

void nb_points_format(nb_buf *out, const json_t *strings, double delta)
{
	/* Tenths of a point, rounded once: what is shown decides the sign. */
	nb_buf b = NB_BUF_INIT;
	tenths(&b, delta, 1);
	static const char *const names[] = { "n" };
	const char *const values[] = { nb_buf_cstr(&b) };
	fill(out, sget(strings, "points_format", "{n} percentage points"), names, values, 1);
	nb_buf_free(&b);
}

void nb_result_line_format(nb_buf *out, const json_t *strings, const char *label,
			   const json_t *votes)
{
	nb_buf_printf(out, "%s%s%s", sget(strings, "result", "Result"), sget(strings, "colon", ": "),
		      label);
	if (!json_is_object(votes))
		return;
	const char *comma = sget(strings, "comma", ", ");
	nb_buf_printf(out, "%s%s %lld%s%s %lld%s%s %lld%s", sget(strings, "lparen", " ("),
		      sget(strings, "votes_for", "for"),
		      (long long)json_integer_value(json_object_get(votes, "for")), comma,
		      sget(strings, "votes_against", "against"),
		      (long long)json_integer_value(json_object_get(votes, "against")), comma,
		      sget(strings, "votes_abstain", "abstained"),
		      (long long)json_integer_value(json_object_get(votes, "abstain")),
		      sget(strings, "rparen", ")"));
}

void nb_trend_partial_format(nb_buf *out, const json_t *strings, size_t shown, size_t total,
			     int older)
{
	char a[24], b[24];
	snprintf(a, sizeof(a), "%zu", shown);
	snprintf(b, sizeof(b), "%zu", total);
	const char *names[] = { "shown", "total" }, *values[] = { a, b };
	fill(out, older ? sget(strings, "trends_partial_older", "The chart draws {shown} of "
			       "{total} periods, this one among them; the table below lists "
			       "them all.")
		 : sget(strings, "trends_partial", "The chart draws the newest {shown} of {total} "
			"periods; the table below lists them all."), names, values, 2);
}

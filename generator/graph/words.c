/*
 * words.c - figures as residents read them; see words.h.
 *
 * Formats are the theme's strings with {placeholders}, filled here, rather
 * than printf formats: a format string from a theme must never reach
 * printf, and Chinese and English put the number on different sides of
 * its unit. Rounding is done once, on the value shown, so a change of
 * 0.0049 is "0.0" and never "-0.0": a sign that the figure beside it does
 * not bear out would mislead.
 */
#include "graph/words.h"

#include <math.h>
#include <stdio.h>
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

/* Digits of a rounded whole number, grouped by three, with its sign,
 * appended whole: a fixed buffer cut a long sum short. */
static void grouped(nb_buf *out, double v, int sign)
{
	double r = round(v);
	if (r == 0)
		r = 0; /* no "-0" */
	nb_buf dg = NB_BUF_INIT;
	nb_buf_printf(&dg, "%.0f", fabs(r));
	const char *digits = nb_buf_cstr(&dg);
	size_t nd = strlen(digits);
	if (r < 0)
		nb_buf_putc(out, '-');
	else if (sign && r > 0)
		nb_buf_putc(out, '+');
	for (size_t i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			nb_buf_putc(out, ',');
		nb_buf_putc(out, digits[i]);
	}
	nb_buf_free(&dg);
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
	double t = round(delta * 1000);
	char b[64];
	if (t == 0)
		snprintf(b, sizeof(b), "0.0");
	else
		snprintf(b, sizeof(b), "%+.1f", t / 10);
	static const char *const names[] = { "n" };
	const char *const values[] = { b };
	fill(out, sget(strings, "points_format", "{n} percentage points"), names, values, 1);
}

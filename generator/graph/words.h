/*
 * words.h - figures as residents read them: periods, money, changes.
 *
 * An evaluation's front matter holds machine forms ("2025-Q1", 196000,
 * 0.74 -> 0.81); a resident reads "2025年第一季度", "196,000 元" and
 * "+7.0 个百分点". The wording comes from the theme's strings for the
 * site's language (i18n/<lang>.yaml: period_quarter, period_year,
 * quarter_names, money_format, points_format), so a theme can change it
 * and both languages share one formatter. Every function writes the input
 * unchanged when it is not in the form it expects, so an odd value is
 * shown as typed rather than dropped. Words, not markup: the link stage
 * words derived data with it, and render/ (feeds) reads it from here.
 */
#ifndef NB_WORDS_H
#define NB_WORDS_H

#include <jansson.h>

#include "util/buf.h"

/* The last day of a period ("2024-Q3" -> "2024-09-30", "2024" ->
 * "2024-12-31") into `out`. Returns 0, or -1 (out empty) when `period` is
 * neither form. */
int nb_period_end(char out[11], const char *period);

/* Periods in time order, the one order of evaluations everywhere (lists,
 * trend tables and charts, the comparison's latest): by the end of the
 * period, and a year after its own Q4, which ends the same day ("2024-Q3"
 * < "2024-Q4" < "2024" < "2025-Q1"). What is neither form comes first, by
 * its text. Returns <0, 0 or >0 as strcmp. */
int nb_period_cmp(const char *a, const char *b);

/* A period in words: "2025-Q1" -> 2025年第一季度 / 2025 Q1, "2025" ->
 * 2025年度 / 2025. Appends to `out`; returns -1 (having appended the
 * period as it is) when it is neither form. */
int nb_period_format(nb_buf *out, const json_t *strings, const char *period);

/* The same, short enough to label a chart's axis: "2025 Q1", "2025"
 * (period_quarter_short, period_year_short). */
int nb_period_format_short(nb_buf *out, const json_t *strings, const char *period);

/*
 * x * 10^shift rounded to a whole number, half away from zero (四舍五入), as
 * the decimal x was written means it (0.6665 at shift 3 -> 667, not the
 * binary double's 666), exact for any decimal of at most 15 significant
 * digits (DBL_DIG); a rounded zero is 0, never -0. Returns the rounded
 * number; when `digits` is not NULL, appends it as decimal digits with a
 * leading '-' when negative. The one rounding of every figure shown.
 */
double nb_figure_round(double x, int shift, nb_buf *digits);

/* A rate (0-1) as a percentage to a tenth: 0.6665 -> "66.7%". */
void nb_rate_format(nb_buf *out, double rate);

/* A sum of money in yuan, whole, with thousands separators and the
 * currency: 196000 -> "196,000 元" / "CNY 196,000". `sign` puts + on a
 * positive amount (a change). */
void nb_money_format(nb_buf *out, const json_t *strings, double yuan, int sign);

/* A change of a rate (0-1) in percentage points with its sign:
 * 0.07 -> "+7.0 个百分点" / "+7.0 percentage points". */
void nb_points_format(nb_buf *out, const json_t *strings, double delta);

/* A decision's result as lists and feeds state it: "表决结果：未通过（赞成
 * 4，反对 6，弃权 1）" from its `label` and `votes` ({for, against,
 * abstain}, or NULL for none), in the strings' words. One sentence for
 * every place that states it, so a list and a feed cannot disagree. */
void nb_result_line_format(nb_buf *out, const json_t *strings, const char *label,
			   const json_t *votes);

/* A whole number with thousands separators and optional sign. */
void nb_count_format(nb_buf *out, double n, int sign);

/* What a trend chart that draws only some of its periods says under its
 * title: the newest `shown` of `total`, and where all of them are
 * (trends_partial); or, on the page of an older period (`older`: its
 * chart draws the `shown` up to it, render/chart.h), `shown` of `total`
 * with that one among them (trends_partial_older). */
void nb_trend_partial_format(nb_buf *out, const json_t *strings, size_t shown, size_t total,
			     int older);

#endif

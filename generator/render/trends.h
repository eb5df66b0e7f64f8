/*
 * trends.h - the trend charts of evaluation and community pages.
 *
 * A community's evaluations give one line chart per indicator
 * (graph/trends.h holds the points). Its pages differ only in which period
 * is emphasised, so each chart is drawn once per community before the
 * pages render (chart.h nb_chart_line_splice) and each page's copy is
 * spliced from it: redrawing every period's charts on every evaluation
 * page was a third of the build.
 *
 * The comparison of communities (one bar chart per indicator) is drawn
 * here too, when its page's context is made.
 */
#ifndef NB_RENDER_TRENDS_H
#define NB_RENDER_TRENDS_H

#include <jansson.h>

#include "graph/site.h"
#include "render/chart.h"

typedef struct nb_trend_charts {
	nb_chart_splice *sp;   /* community i, series k: sp[i * NB_TREND_SERIES + k] */
	size_t n;              /* communities (nb_site.n_trends) */
} nb_trend_charts;

/* Draw every community's charts. Free with nb_trend_charts_free. */
void nb_trend_charts_draw(nb_trend_charts *tc, const nb_site *s);
void nb_trend_charts_free(nb_trend_charts *tc);

/* The `trends` object of a community or evaluation page (charts with its
 * period emphasised, the table of all periods), or NULL when its
 * community has no evaluation. Read-only: any thread. New reference. */
json_t *nb_trend_charts_page(const nb_trend_charts *tc, const nb_site *s, const nb_page *p);

/* The `list` of a comparison page (graph/indicators.c, the street's
 * communities side by side) with each chart's `bars` (title, rate,
 * points) drawn as its `svg`; `list` itself when it has none. New
 * reference; `list` is not changed. */
json_t *nb_trend_charts_compare(const json_t *list);

#endif

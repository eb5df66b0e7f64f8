/*
 * trends.h - the trend charts of evaluation and community pages.
 *
 * A community's evaluations give one line chart per indicator
 * (graph/trends.h holds the points). Its pages differ only in which period
 * is emphasised, so each chart is drawn once per community (chart.h
 * nb_chart_line_splice) and each page's copy is spliced from it:
 * redrawing every period's charts on every evaluation page was a third of
 * the build.
 *
 * No chart is drawn while contexts are made: a page's context holds each
 * chart as `later`, the digest of what it is drawn from (the series, made
 * once per community: chart.h nb_chart_line_digest, and the page's
 * period), and the worker that renders the page draws it
 * (nb_trend_charts_draw_later). The page key hashes the context, so it
 * covers the chart through `later`, and most pages of a rebuild are not
 * rendered at all (output/memo.h): drawing every community's charts on
 * the one thread that makes contexts was a sixth of that thread's time in
 * a rebuild of 10,000 documents in 1,000 communities, for pages that were
 * then not rendered.
 *
 * A worker draws a community's charts when the first page it renders
 * shows them, and they are kept in a cache of at most `max_bytes`, the
 * least recently used dropped first (drawn again if a later page needs
 * them): all communities' charts drawn before the pages render were 17 MB
 * at 10,000 documents in 1,000 communities, held through the render
 * stage. A community of 100 evaluations is some 120 KB of charts (a chart
 * draws its newest 64 periods), so the default holds 30 such. The cache
 * is shared by the workers under one lock, held while a page's copy is
 * spliced from it (a copy of some KB), so nothing is dropped while read.
 * A chart whose window moves to the page's period (one older than the
 * newest 64) is not spliced but drawn whole, outside the lock.
 *
 * A community of NB_TREND_CHARTS_PIN periods or more is never dropped:
 * drawing its charts again for each of its pages costs its periods
 * squared (the cost the splicing removed), and with more such communities
 * than the cache holds, pages in file order (a year of every community,
 * then the next year) would miss every time: 50 communities of 100
 * evaluations took 35 s to build instead of 23. Held, they cost what they
 * did before the cache, while the many small communities stay bounded.
 *
 * The comparison of communities (one bar chart per indicator) is drawn
 * here too, when its page's context is made.
 */
#ifndef NB_RENDER_TRENDS_H
#define NB_RENDER_TRENDS_H

#include <jansson.h>
#include <pthread.h>

#include "graph/site.h"
#include "render/chart.h"

#define NB_TREND_CHARTS_BYTES ((size_t)4 << 20)
#define NB_TREND_CHARTS_PIN 8  /* periods: two years of quarters */

typedef struct nb_trend_charts {
	nb_chart_splice **sp;  /* community i's NB_TREND_SERIES charts, or NULL: not held */
	size_t *bytes;         /* ... the heap bytes they hold */
	size_t *used;          /* ... when a page last asked for them (`tick`) */
	unsigned char *pinned; /* ... held to the end, outside `held` (PIN) */
	size_t n;              /* communities (nb_site.n_trends) */
	size_t held, max_bytes, tick;
	size_t draws;          /* communities drawn so far, again ones included */
	/* The above are the workers', under `lock` (draw_later). */
	pthread_mutex_t lock;
	nb_digest *series;     /* community i's NB_TREND_SERIES charts' digests with no
				* period current (chart.h nb_chart_line_digest), made
				* once for its pages' `later` on the thread that makes
				* contexts; `have` says which are */
	unsigned char *have;
} nb_trend_charts;

/* Ready to draw the charts of `s`'s communities, holding at most
 * `max_bytes` of them at once (the last drawn is held whatever its size).
 * Free with nb_trend_charts_free. */
void nb_trend_charts_init(nb_trend_charts *tc, const nb_site *s, size_t max_bytes);
void nb_trend_charts_free(nb_trend_charts *tc);

/* The `trends` object of a community or evaluation page (charts with its
 * period emphasised and `current_marked` set, the table of all periods;
 * a community page has no period: none emphasised), or NULL when its
 * community has no evaluation. Every chart is left to draw, as `later`
 * (see above): nothing here is drawn. The thread that makes contexts only
 * (it fills the series digests). New reference. */
json_t *nb_trend_charts_page(nb_trend_charts *tc, const nb_site *s, const nb_page *p);

/* Draws the charts of `trends` (page `p`'s, from nb_trend_charts_page)
 * left with `later`: each gets its `svg` and loses `later`, so templates
 * see what a chart drawn at once gives. Reads the graph, changes only
 * `trends`' own chart objects and, under its lock, `tc`'s cache, so the
 * worker that renders the page calls it. Returns how many it drew. */
size_t nb_trend_charts_draw_later(nb_trend_charts *tc, json_t *trends, const nb_site *s,
				  const nb_page *p);

/* Frees the `svg` of every chart of `trends`, a page's own, once the page
 * is rendered: charts drawn on a worker are not counted in the bytes a
 * batch of contexts may hold (render.c), so they are not held with it. */
void nb_trend_charts_undraw(json_t *trends);

/* The `list` of a comparison page (graph/indicators.c, the street's
 * communities side by side) for its context, made on the main thread:
 * copied down to its charts, each still holding its `bars` (title, rate,
 * points), which the page's key reads; `list` itself when it has none.
 * New reference; `list` is not changed. Drawing them for every such page
 * of a rebuild, rendered or not, was main-thread time spent for nothing. */
json_t *nb_trend_charts_compare(const json_t *list);

/* Draws each chart's `bars` of such a context's `list` as its `svg`, on
 * the worker that renders the page: it changes only the context's own
 * chart objects and reads the graph. Returns the comparison, for
 * nb_trend_charts_undraw once the page is rendered, or NULL when it drew
 * nothing. */
json_t *nb_trend_charts_compare_draw(json_t *list);

#endif

/*
 * trends.c - trend charts left to draw when contexts are made, drawn once
 * per community by the workers that render its pages (in a cache of
 * bounded size, under one lock), spliced per page; see trends.h.
 */
#include "render/trends.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/trends.h"
#include "graph/words.h"

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Series k's points (t->npts[k] of them, `pts` holds t->n), none current. */
static void series_points(const nb_trends *t, size_t k, nb_chart_point *pts)
{
	for (size_t i = 0; i < t->n; i++) {
		size_t m = t->pt[k][i];
		if (m == SIZE_MAX)
			continue;
		const json_t *cell = json_array_get(json_object_get(t->rows[i], "cells"), k);
		pts[m] = (nb_chart_point){ str(t->rows[i], "period"), t->val[k][m],
					   str(cell, "display"), 0, t->axis[i] };
	}
}

static void draw_one(nb_chart_splice *sp, const nb_trends *t)
{
	nb_chart_point *pts = calloc(t->n ? t->n : 1, sizeof(*pts));
	if (!pts)
		abort();
	for (size_t k = 0; k < NB_TREND_SERIES; k++) {
		if (!t->npts[k])
			continue;
		series_points(t, k, pts);
		nb_chart_opts o = { t->title[k], NULL, t->rate[k] ? 1.0 : 0 };
		nb_chart_line_splice(pts, t->npts[k], &o, &sp[k]);
	}
	free(pts);
}

/* Series k with point `cur` current (SIZE_MAX: none), the chart's window
 * moved to it: a period older than those a spliced chart draws (chart.h).
 * Drawn into `out`, or only its digest (nb_chart_line_digest) when `out`
 * is NULL: both from the same points, so the digest keys what is drawn. */
static nb_digest draw_older(const nb_trends *t, size_t k, size_t cur, nb_buf *out)
{
	nb_chart_point *pts = calloc(t->n ? t->n : 1, sizeof(*pts));
	if (!pts)
		abort();
	series_points(t, k, pts);
	if (cur != SIZE_MAX)
		pts[cur].current = 1;
	nb_chart_opts o = { t->title[k], NULL, t->rate[k] ? 1.0 : 0 };
	nb_digest dg = { 0, 0 };
	if (out)
		nb_chart_line(pts, t->npts[k], &o, out);
	else
		dg = nb_chart_line_digest(pts, t->npts[k], &o);
	free(pts);
	return dg;
}

/* The `later` of community i's chart k with point pc current (SIZE_MAX:
 * none, a community page's, or a period without that figure): the
 * digest of the series with none current (made once per community, so
 * a page costs a hash, not its periods) and pc, which together are what
 * the chart is drawn from. In hex. */
static json_t *later_of(nb_trend_charts *tc, const nb_trends *t, size_t i, size_t k, size_t pc)
{
	if (!tc->have[i]) {
		for (size_t j = 0; j < NB_TREND_SERIES; j++)
			if (t->npts[j])
				tc->series[i * NB_TREND_SERIES + j] = draw_older(t, j, SIZE_MAX, NULL);
		tc->have[i] = 1;
	}
	nb_hash h;
	nb_hash_init(&h, 0x6c61746572ULL);
	nb_hash_digest(&h, tc->series[i * NB_TREND_SERIES + k]);
	nb_hash_u64(&h, (uint64_t)pc);
	nb_digest dg = nb_hash_final(&h);
	char hex[33];
	nb_digest_hex(hex, dg);
	return json_stringn_nocheck(hex, 32);
}

void nb_trend_charts_init(nb_trend_charts *tc, const nb_site *s, size_t max_bytes)
{
	memset(tc, 0, sizeof(*tc));
	tc->n = s->n_trends;
	tc->max_bytes = max_bytes;
	size_t n = tc->n ? tc->n : 1;
	tc->sp = calloc(n, sizeof(*tc->sp));
	tc->bytes = calloc(n, sizeof(*tc->bytes));
	tc->used = calloc(n, sizeof(*tc->used));
	tc->pinned = calloc(n, 1);
	tc->series = calloc(n * NB_TREND_SERIES, sizeof(*tc->series));
	tc->have = calloc(n, 1);
	if (!tc->sp || !tc->bytes || !tc->used || !tc->pinned || !tc->series || !tc->have ||
	    pthread_mutex_init(&tc->lock, NULL) != 0)
		abort();
}

static void drop(nb_trend_charts *tc, size_t i)
{
	for (size_t k = 0; k < NB_TREND_SERIES; k++)
		nb_chart_splice_free(&tc->sp[i][k]);
	free(tc->sp[i]);
	tc->sp[i] = NULL;
	if (!tc->pinned[i])
		tc->held -= tc->bytes[i];
	tc->bytes[i] = 0;
}

/* Community i's charts, drawn when not held; the least recently used
 * others (but the pinned: trends.h) dropped while the cache holds more
 * than its bytes. Under tc->lock, as is every read of what it returns. A linear
 * scan per drop: a thousand communities, each dropped at most once per
 * drawing. */
static const nb_chart_splice *charts_of(nb_trend_charts *tc, const nb_site *s, size_t i)
{
	tc->used[i] = ++tc->tick;
	if (tc->sp[i])
		return tc->sp[i];
	tc->sp[i] = calloc(NB_TREND_SERIES, sizeof(**tc->sp));
	if (!tc->sp[i])
		abort();
	draw_one(tc->sp[i], &s->trends[i]);
	tc->draws++;
	size_t b = NB_TREND_SERIES * sizeof(**tc->sp);
	for (size_t k = 0; k < NB_TREND_SERIES; k++)
		b += tc->sp[i][k].svg.cap + tc->sp[i][k].cur.cap;
	tc->bytes[i] = b;
	if (s->trends[i].n >= NB_TREND_CHARTS_PIN) {
		tc->pinned[i] = 1;
		return tc->sp[i];
	}
	tc->held += b;
	while (tc->held > tc->max_bytes) {
		size_t lru = SIZE_MAX;
		for (size_t j = 0; j < tc->n; j++)
			if (j != i && tc->sp[j] && !tc->pinned[j] &&
			    (lru == SIZE_MAX || tc->used[j] < tc->used[lru]))
				lru = j;
		if (lru == SIZE_MAX)
			break;
		drop(tc, lru);
	}
	return tc->sp[i];
}

void nb_trend_charts_free(nb_trend_charts *tc)
{
	for (size_t i = 0; i < tc->n; i++)
		if (tc->sp[i])
			drop(tc, i);
	free(tc->sp);
	free(tc->bytes);
	free(tc->used);
	free(tc->pinned);
	free(tc->series);
	free(tc->have);
	pthread_mutex_destroy(&tc->lock);
	memset(tc, 0, sizeof(*tc));
}

/* The period of `t` that is page `p`'s own, or SIZE_MAX (a community's
 * page): O(periods). */
static size_t period_of(const nb_trends *t, const nb_page *p)
{
	if (!strcmp(p->doc->kind, "communities"))
		return SIZE_MAX;
	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i] == p)
			return i;
	return SIZE_MAX;
}

json_t *nb_trend_charts_page(nb_trend_charts *tc, const nb_site *s, const nb_page *p)
{
	if (!p->trends)
		return NULL;
	const nb_trends *t = &s->trends[p->trends - 1];
	/* A community page has no period of its own. */
	const size_t cur = period_of(t, p);
	json_t *tr = json_object(), *charts = json_array(), *rows = json_array();
	for (size_t i = 0; i < t->n; i++) {
		if (i == cur) {
			json_t *r = json_copy(t->rows[i]);
			json_object_set_new(r, "current", json_true());
			json_array_append_new(rows, r);
		} else {
			json_array_append(rows, t->rows[i]);
		}
	}
	for (size_t k = 0; k < NB_TREND_SERIES; k++) {
		if (!t->npts[k])
			continue;
		size_t pc = cur == SIZE_MAX ? SIZE_MAX : t->pt[k][cur], m, off;
		nb_chart_line_window(t->npts[k], &m, &off);
		int older = pc != SIZE_MAX && pc < off;
		json_t *c = json_object();
		json_object_set_new(c, "later", later_of(tc, t, p->trends - 1, k, pc));
		/* A chart of some of the periods says so, and where the others
		 * are: a reader took the oldest drawn for the first. */
		if (off) {
			nb_buf note = NB_BUF_INIT;
			nb_trend_partial_format(&note, s->theme ? s->theme->strings : NULL, m,
						t->npts[k], older);
			json_object_set_new(c, "partial", json_string(nb_buf_cstr(&note)));
			nb_buf_free(&note);
		}
		json_object_set(c, "key", t->keys[k]);
		json_object_set(c, "label", t->labels[k]);
		if (t->higher_better[k])
			json_object_set_new(c, "higher_better", json_true());
		json_array_append_new(charts, c);
	}
	json_object_set_new(tr, "charts", charts);
	json_object_set(tr, "columns", t->columns);
	json_object_set_new(tr, "rows", rows);
	json_object_set_new(tr, "count", json_integer((json_int_t)t->n));
	/* A community page has no period of its own to mark: its caption
	 * said one was marked. */
	if (cur != SIZE_MAX)
		json_object_set_new(tr, "current_marked", json_true());
	return tr;
}

size_t nb_trend_charts_draw_later(nb_trend_charts *tc, json_t *trends, const nb_site *s,
				  const nb_page *p)
{
	json_t *charts = json_object_get(trends, "charts");
	if (!p->trends || !json_array_size(charts))
		return 0;
	const size_t ci = p->trends - 1;
	const nb_trends *t = &s->trends[ci];
	const size_t cur = period_of(t, p);
	size_t drawn = 0, j = 0;
	nb_buf b = NB_BUF_INIT;
	for (size_t k = 0; k < NB_TREND_SERIES; k++) {
		if (!t->npts[k])
			continue;
		json_t *c = json_array_get(charts, j++);
		if (!json_object_get(c, "later"))
			continue;
		size_t pc = cur == SIZE_MAX ? SIZE_MAX : t->pt[k][cur], m, off;
		nb_chart_line_window(t->npts[k], &m, &off);
		nb_buf_clear(&b);
		if (pc != SIZE_MAX && pc < off) {
			draw_older(t, k, pc, &b);
		} else {
			pthread_mutex_lock(&tc->lock);
			nb_chart_splice_emit(&charts_of(tc, s, ci)[k], pc, &b);
			pthread_mutex_unlock(&tc->lock);
		}
		json_object_del(c, "later");
		/* ours, valid UTF-8 */
		json_object_set_new(c, "svg", json_stringn_nocheck(b.ptr, b.len));
		drawn++;
	}
	nb_buf_free(&b);
	return drawn;
}

void nb_trend_charts_undraw(json_t *trends)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(trends, "charts"), i, c)
		json_object_del(c, "svg");
}

static void draw_bars(json_t *chart, const json_t *bars)
{
	const json_t *points = json_object_get(bars, "points");
	size_t n = json_array_size(points);
	nb_chart_point *pts = calloc(n ? n : 1, sizeof(*pts));
	if (!pts)
		abort();
	for (size_t i = 0; i < n; i++) {
		const json_t *pt = json_array_get(points, i);
		pts[i] = (nb_chart_point){ str(pt, "label"),
					   json_number_value(json_object_get(pt, "value")),
					   str(pt, "display"), 0, NULL };
	}
	nb_chart_opts o = { str(bars, "title"), NULL,
			    json_is_true(json_object_get(bars, "rate")) ? 1.0 : 0 };
	nb_buf b = NB_BUF_INIT;
	nb_chart_bars(pts, n, &o, &b);
	json_object_set_new(chart, "svg", json_string(nb_buf_cstr(&b)));
	nb_buf_free(&b);
	free(pts);
}

json_t *nb_trend_charts_compare(const json_t *list)
{
	const json_t *cmp = json_object_get(list, "compare");
	const json_t *charts = json_object_get(cmp, "charts");
	if (!json_array_size(charts))
		return json_incref((json_t *)list);
	/* Copies down to the charts: the graph's list is shared by threads,
	 * and the worker adds each chart's drawing to its own copy. */
	json_t *l = json_copy((json_t *)list), *c = json_copy((json_t *)cmp);
	json_t *own = json_array();
	size_t i;
	json_t *ch;
	json_array_foreach(charts, i, ch)
		json_array_append_new(own, json_copy(ch));
	json_object_set_new(c, "charts", own);
	json_object_set_new(l, "compare", c);
	return l;
}

json_t *nb_trend_charts_compare_draw(json_t *list)
{
	json_t *cmp = json_object_get(list, "compare");
	size_t i, drawn = 0;
	json_t *ch;
	json_array_foreach(json_object_get(cmp, "charts"), i, ch) {
		const json_t *bars = json_object_get(ch, "bars");
		if (bars && !json_object_get(ch, "svg")) {
			draw_bars(ch, bars);
			drawn++;
		}
	}
	return drawn ? cmp : NULL;
}

/*
 * indicators.c - an evaluation's indicators across periods and communities.
 *
 * The six indicators (the table below) are read, worded and compared the
 * same way on an evaluation's page, in its community's trend charts and
 * table, and in the street-level comparison, so they live in one place.
 */
#include "graph/graph_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "graph/paging.h"
#include "graph/trends.h"
#include "graph/words.h"

const nb_indicator nb_indicators[NB_N_INDICATORS] = {
	{ "internal", "informed", 1, 1 },
	{ "internal", "participation", 1, 1 },
	{ "internal", "satisfaction", 1, 1 },
	{ "external", "complaints", 0, 0 },
	{ "external", "cases", 0, 0 },
	{ "external", "admin_cost", 0, 0 },
};

/* Whether the indicator is a sum of money (in yuan). */
int nb_indicator_money(const nb_indicator *ind)
{
	return !strcmp(ind->key, "admin_cost");
}

/* An indicator's value as residents read it ("74.0%", "1,234",
 * "196,000 元"), or a change with its sign (rates in percentage points: a
 * rate going from 33% to 38% rose by 5 points, not by 5%). Every figure
 * is rounded by words.c nb_figure_round and appended whole to a growing
 * buffer: a fixed one cut a long sum short in the comparison and trend
 * table while the evaluation's page showed it whole. */
void nb_indicator_format(nb_buf *out, const nb_site *s, const nb_indicator *ind, double val,
			 int change)
{
	if (ind->rate && change)
		nb_points_format(out, s->theme->strings, val);
	else if (ind->rate)
		nb_rate_format(out, val);
	else if (nb_indicator_money(ind))
		nb_money_format(out, s->theme->strings, val, change);
	else
		nb_count_format(out, val, change);
}

/* The change from `prev` to `val` is the difference of the two figures
 * shown, each rounded (in tenths of a percent for a rate, whole units
 * otherwise), not the rounded difference of the values: 70.0% -> 66.7%
 * (0.70 -> 0.6665) reads -3.3 points, as a resident subtracting the two
 * would, where rounding -0.0335 read -3.4. The difference of two whole
 * numbers of units is exact (below 2^53) and formats as itself. */
int nb_indicator_change(nb_buf *out, const nb_site *s, const nb_indicator *ind, double val,
			double prev)
{
	int shift = ind->rate ? 3 : 0;
	double d = nb_figure_round(val, shift, NULL) - nb_figure_round(prev, shift, NULL);
	nb_indicator_format(out, s, ind, ind->rate ? d / 1000 : d, 1);
	return d > 0 ? 1 : d < 0 ? -1 : 0;
}

int nb_indicator_value(double *out, const nb_page *p, const nb_indicator *ind)
{
	return nb_doc_number(out, p->doc, ind->group, ind->key);
}

/*
 * A community's trends, computed once for all its pages: a line chart per
 * indicator over all periods and the same numbers as a table (trends.h).
 * Pages differ only in which period is current, so rows and columns are
 * shared json values; the charts are drawn by the render stage
 * (render/trends.c), once per community, from the points kept here.
 */
typedef nb_trends trends_cache;

/* What every community's trends have alike, made once: the columns and
 * each indicator's label and key, and a cell per figure as displayed
 * (an empty one where a period has none). Read-only once made, so shared:
 * a set per community were 4 MB at 10,000 documents in 1,000 of them. */
typedef struct trends_common {
	json_t *columns, *labels[NB_TREND_SERIES], *keys[NB_TREND_SERIES];
	json_t *cells;   /* display -> {display} */
	json_t *empty;   /* {} */
} trends_common;

static void trends_common_init(nb_site *s, trends_common *tm)
{
	tm->columns = json_array();
	for (size_t k = 0; k < NB_N_INDICATORS; k++) {
		const nb_indicator *ind = &nb_indicators[k];
		tm->labels[k] = json_string(nb_site_label(s, "indicators", ind->key));
		tm->keys[k] = json_string(ind->key);
		json_t *col = json_object();
		json_object_set(col, "label", tm->labels[k]);
		json_array_append_new(tm->columns, col);
	}
	tm->cells = json_object();
	tm->empty = json_object();
}

static void trends_common_free(trends_common *tm)
{
	json_decref(tm->columns);
	for (size_t k = 0; k < NB_N_INDICATORS; k++) {
		json_decref(tm->labels[k]);
		json_decref(tm->keys[k]);
	}
	json_decref(tm->cells);
	json_decref(tm->empty);
}

/* The cell showing `display`, shared by every row that shows it. */
static json_t *trends_cell(nb_site *s, trends_common *tm, const char *display)
{
	json_t *cell = json_object_get(tm->cells, display);
	if (!cell) {
		cell = json_object();
		nb_site_set_shared(s, cell, "display", display);
		json_object_set_new(tm->cells, display, cell);
	}
	return json_incref(cell);
}

static int trends_cache_init(nb_site *s, const nb_eval_index *ix, trends_common *tm,
			     const char *cid, const char *ctitle, trends_cache *tc)
{
	memset(tc, 0, sizeof(*tc));
	const nb_page *const *ev;
	size_t n = nb_eval_range(ix, cid, &ev);
	if (!n)
		return 0;
	tc->n = n;
	tc->ev = malloc(n * sizeof(*tc->ev));
	if (!tc->ev)
		abort();
	memcpy(tc->ev, ev, n * sizeof(*tc->ev));
	tc->columns = json_incref(tm->columns);
	tc->rows = calloc(n, sizeof(json_t *));
	tc->axis = calloc(n, sizeof(*tc->axis));
	if (!tc->rows || !tc->axis)
		abort();
	nb_buf ab = NB_BUF_INIT, disp = NB_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		nb_buf_clear(&ab);
		nb_period_format_short(&ab, s->theme->strings, nb_doc_str(tc->ev[i]->doc, "period"));
		snprintf(tc->axis[i], sizeof(tc->axis[i]), "%s", nb_buf_cstr(&ab));
		json_t *r = json_object();
		json_object_set(r, "period", nb_eval_period(tc->ev[i]));
		json_object_set(r, "url", json_object_get(tc->ev[i]->item, "url"));
		json_object_set_new(r, "cells", json_array());
		tc->rows[i] = r;
	}
	nb_buf t = NB_BUF_INIT;
	for (size_t k = 0; k < NB_N_INDICATORS; k++) {
		const nb_indicator *ind = &nb_indicators[k];
		size_t m = 0;
		tc->pt[k] = malloc(n * sizeof(size_t));
		tc->val[k] = malloc(n * sizeof(double));
		if (!tc->pt[k] || !tc->val[k])
			abort();
		for (size_t i = 0; i < n; i++) {
			double v;
			json_t *cell = tm->empty;
			tc->pt[k][i] = SIZE_MAX;
			if (nb_indicator_value(&v, tc->ev[i], ind) == 0) {
				nb_buf_clear(&disp);
				nb_indicator_format(&disp, s, ind, v, 0);
				cell = trends_cell(s, tm, nb_buf_cstr(&disp));
				tc->val[k][m] = v;
				tc->pt[k][i] = m++;
			} else {
				json_incref(cell);
			}
			json_array_append_new(json_object_get(tc->rows[i], "cells"), cell);
		}
		const char *label = nb_site_label(s, "indicators", ind->key);
		tc->labels[k] = json_incref(tm->labels[k]);
		tc->keys[k] = json_incref(tm->keys[k]);
		tc->npts[k] = m;
		tc->rate[k] = ind->rate;
		tc->higher_better[k] = ind->higher_better;
		nb_buf_clear(&t);
		nb_buf_printf(&t, "%s%s%s", label, tstr(s, "colon", ": "), ctitle);
		tc->title[k] = nb_buf_detach(&t);
	}
	nb_buf_free(&t);
	nb_buf_free(&ab);
	nb_buf_free(&disp);
	return 1;
}

static void trends_cache_free(trends_cache *tc)
{
	if (!tc->n)
		return;
	for (size_t i = 0; i < tc->n; i++)
		json_decref(tc->rows[i]);
	free(tc->rows);
	free(tc->ev);
	free(tc->axis);
	json_decref(tc->columns);
	for (size_t k = 0; k < NB_N_INDICATORS; k++) {
		json_decref(tc->labels[k]);
		json_decref(tc->keys[k]);
		free(tc->pt[k]);
		free(tc->val[k]);
		free(tc->title[k]);
	}
	memset(tc, 0, sizeof(*tc));
}

/* The comparison of `n` communities' latest evaluations `latest`, titled
 * `title`: {columns, rows, charts}, the charts' bars to be drawn by the
 * render stage (render/trends.h nb_trend_charts_compare replaces `bars`
 * by `svg`). */
static json_t *compare_view(const nb_site *s, const nb_page *const *latest, size_t n,
			    const char *title)
{
	json_t *cmp = json_object(), *columns = json_array(), *rows = json_array();
	json_t *charts = json_array();
	nb_buf disp = NB_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_object();
		json_object_set(r, "community", json_object_get(latest[i]->item, "community"));
		json_object_set(r, "period", nb_eval_period(latest[i]));
		json_object_set(r, "url", json_object_get(latest[i]->item, "url"));
		json_object_set_new(r, "cells", json_array());
		json_array_append_new(rows, r);
	}
	nb_buf t = NB_BUF_INIT;
	for (size_t k = 0; k < NB_N_INDICATORS; k++) {
		const nb_indicator *ind = &nb_indicators[k];
		json_t *pts = json_array();
		for (size_t i = 0; i < n; i++) {
			double v;
			json_t *cell = json_object();
			if (nb_indicator_value(&v, latest[i], ind) == 0) {
				nb_buf_clear(&disp);
				nb_indicator_format(&disp, s, ind, v, 0);
				set_str(cell, "display", nb_buf_cstr(&disp));
				const char *cname = str(json_object_get(latest[i]->item, "community"), "title");
				json_array_append_new(pts, json_pack("{s:s, s:f, s:s}", "label",
								     cname ? cname : latest[i]->doc->id,
								     "value", v,
								     "display", nb_buf_cstr(&disp)));
			}
			json_array_append_new(json_object_get(json_array_get(rows, i), "cells"), cell);
		}
		const char *label = nb_site_label(s, "indicators", ind->key);
		json_t *col = json_object();
		set_str(col, "label", label);
		json_array_append_new(columns, col);
		if (!json_array_size(pts)) {
			json_decref(pts);
			continue;
		}
		nb_buf_clear(&t);
		nb_buf_printf(&t, "%s%s%s", label, tstr(s, "colon", ": "), title);
		json_t *c = json_object();
		set_str(c, "key", ind->key);
		set_str(c, "label", label);
		json_object_set_new(c, "bars", json_pack("{s:s, s:b, s:o}", "title", nb_buf_cstr(&t),
							 "rate", ind->rate, "points", pts));
		json_array_append_new(charts, c);
	}
	nb_buf_free(&t);
	nb_buf_free(&disp);
	json_object_set_new(cmp, "columns", columns);
	json_object_set_new(cmp, "rows", rows);
	json_object_set_new(cmp, "charts", charts);
	return cmp;
}

json_t *nb_evaluations_compare_view(const nb_site *s, const nb_extra_page *e)
{
	return compare_view(s, e->compare, e->n_compare,
			    tstr(s, "compare_title", "Communities compared"));
}

/*
 * The street-level view: each community's latest evaluation side by side,
 * in content order, `pagination.page_size` communities a page as every
 * list is paged (page N at compare/page/N/): one table and one chart per
 * indicator over a district's thousand communities was a page of
 * megabytes, and a bar chart of a thousand bars reads as none.
 */
void nb_evaluations_compare(nb_extra_ctx *x, const nb_eval_index *ix)
{
	nb_site *s = x->s;
	const nb_page **latest = calloc(s->len ? s->len : 1, sizeof(nb_page *));
	if (!latest)
		abort();
	size_t n = 0;
	for (size_t i = 0; i < s->len; i++) {
		if (strcmp(s->pages[i].doc->kind, "communities"))
			continue;
		const nb_page *const *ev;
		size_t k = nb_eval_range(ix, s->pages[i].doc->id, &ev);
		if (k)
			latest[n++] = ev[k - 1];
	}
	const char *title = tstr(s, "compare_title", "Communities compared");
	const size_t ps = s->cfg->page_size, total = nb_paging_count(n, ps);
	json_t *first_url = NULL;
	nb_buf rel = NB_BUF_INIT;
	for (size_t no = 1; n && no <= total; no++) {
		nb_buf_clear(&rel);
		nb_buf_puts(&rel, "evaluations/compare/");
		nb_paging_rel(&rel, no);
		nb_extra_page *e = nb_extra_add(x, "list", "evaluations", nb_buf_cstr(&rel), title,
					     nb_extra_kind_crumbs(x, "evaluations"));
		if (!e) {
			if (no == 1)
				break; /* the path is a document's: no comparison */
			continue;
		}
		if (no == 1)
			first_url = json_incref(json_object_get(e->page, "url"));
		size_t from = (no - 1) * ps, len = n - from < ps ? n - from : ps;
		json_t *list = json_object();
		set_str(list, "title", title);
		set_str(list, "kind", "evaluations");
		json_object_set_new(list, "count", json_integer((json_int_t)n));
		/* Its place kept in the list's order; made when the page is
		 * rendered: 50 pages of tables and bars held from linking on
		 * were 6 MB at 10,000 documents in 1,000 communities. */
		json_object_set_new(list, "compare", json_null());
		e->compare = latest + from;
		e->n_compare = len;
		json_object_set_new(list, "items", json_array());
		json_object_set_new(list, "groups", json_array());
		if (total > 1)
			json_object_set_new(list, "pagination",
					    nb_paging_nav(json_string_value(first_url),
							  s->theme->strings, no, total));
		e->list = list;
	}
	nb_buf_free(&rel);
	if (first_url)
		s->compare_latest = latest;
	else
		free(latest);
	if (!first_url)
		return;
	json_t *le = json_object();
	json_object_set_new(le, "compare_url", first_url);
	/* The evaluations' pages link to it too (derive.c
	 * nb_derive_evaluation_view reads it here). */
	json_object_set_new(s->list_extra, "evaluations", le);
}


/* The drawing slot of community `cid` titled `ctitle`, made on first use;
 * 0 when the community has no evaluation with a period. `slot` maps
 * "cid\x1ftitle" to 1 + index: a page whose community is titled otherwise
 * (a missing community document) gets a drawing of its own. */
static size_t trends_slot(nb_site *s, const nb_eval_index *ix, trends_common *tm, json_t *slot,
			  const char *cid, const char *ctitle, size_t *cap)
{
	nb_buf key = NB_BUF_INIT;
	nb_buf_printf(&key, "%s\x1f%s", cid, ctitle);
	json_t *at = json_object_get(slot, nb_buf_cstr(&key));
	size_t k = 0;
	if (at) {
		k = (size_t)json_integer_value(at);
	} else {
		if (s->n_trends == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			s->trends = realloc(s->trends, *cap * sizeof(*s->trends));
			if (!s->trends)
				abort();
		}
		if (trends_cache_init(s, ix, tm, cid, ctitle, &s->trends[s->n_trends]))
			k = ++s->n_trends;
		json_object_set_new(slot, nb_buf_cstr(&key), json_integer((json_int_t)k));
	}
	nb_buf_free(&key);
	return k;
}

/*
 * Trend charts are not stored on the pages: an evaluation page's charts
 * differ from its neighbours' only in the emphasised period, and storing
 * each page's SVG text was most of the graph's memory (200 MB at 10,000
 * documents). Pages keep the slot of their community's trends and the
 * render stage splices the charts into the page's context
 * (render/trends.h nb_trend_charts_page) while the page is in flight.
 */
void nb_trends_derive(nb_site *s, const nb_eval_index *ix)
{
	size_t cap = 0;
	json_t *slot = json_object();
	trends_common tm;
	trends_common_init(s, &tm);
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		if (!strcmp(p->doc->kind, "communities")) {
			p->trends = trends_slot(s, ix, &tm, slot, p->doc->id, str(p->item, "title"),
						&cap);
		} else if (!strcmp(p->doc->kind, "evaluations")) {
			const char *cid = nb_doc_str(p->doc, "community");
			if (!cid)
				continue;
			const char *ct = str(json_object_get(p->item, "community"), "title");
			p->trends = trends_slot(s, ix, &tm, slot, cid, ct ? ct : cid, &cap);
		}
	}
	trends_common_free(&tm);
	json_decref(slot);
}

void nb_trends_free(nb_site *s)
{
	for (size_t i = 0; i < s->n_trends; i++)
		trends_cache_free(&s->trends[i]);
	free(s->trends);
}

void nb_site_each_shared(const nb_site *s, void (*fn)(void *ud, const json_t *v), void *ud)
{
	for (size_t i = 0; i < s->len; i++) {
		fn(ud, s->pages[i].item);
		if (s->pages[i].version)
			fn(ud, s->pages[i].version);
	}
	for (size_t i = 0; i < s->n_trends; i++) {
		const trends_cache *tc = &s->trends[i];
		fn(ud, tc->columns);
		for (size_t r = 0; r < tc->n; r++)
			fn(ud, tc->rows[r]);
	}
}

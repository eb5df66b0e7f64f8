/*
 * chart.h - small SVG charts drawn at build time.
 *
 * Evaluations are read on phones and printed for the notice board, often
 * where no script runs, so charts are plain inline SVG computed here, not
 * drawn in the browser. The SVG carries no colours of its own beyond
 * `currentColor` fallbacks and no inline style: classes (chart-line,
 * chart-dot, chart-bar, chart-axis, chart-label, chart-value, is-current)
 * let the theme colour it for light, dark and print, and a strict
 * Content-Security-Policy has nothing to object to. Every chart has a text
 * alternative: role="img", aria-label and <title> from `title`, and a
 * <desc> listing every value; templates add a data table as well.
 *
 * Coordinates are printed with one decimal, so the same data always gives
 * the same bytes.
 */
#ifndef NB_CHART_H
#define NB_CHART_H

#include <stddef.h>

#include "util/buf.h"
#include "util/hash.h"

typedef struct nb_chart_point {
	const char *label;          /* the point's name: a period, a community name */
	double value;
	const char *value_display;  /* the value as printed: "74.0%", "21" */
	int current;                /* drawn emphasised (the page's own period) */
	const char *axis_label;     /* shorter name along a line chart's axis, or NULL
				     * for `label` ("2025 Q1" for 2025年第一季度) */
} nb_chart_point;

typedef struct nb_chart_opts {
	const char *title;          /* short name: "居民知情率：槐荫社区" */
	const char *desc;           /* longer text alternative; NULL = the values */
	double max;                 /* top of the value axis; <= 0 = from the data */
} nb_chart_opts;

/* A line over the points in order (periods oldest first; the newest 64
 * are drawn, or the 64 up to a current point older than those; all are in
 * the text alternative); axis from 0. Points too
 * close to label each (chart.c, "Crowded charts") are drawn as the line,
 * with periods along the axis at a readable step and only the current
 * point's dot and value. */
void nb_chart_line(const nb_chart_point *pts, size_t n, const nb_chart_opts *o,
		   nb_buf *out);

/* A digest of everything nb_chart_line draws from (every point's fields,
 * the title, the text alternative, the axis's top): the same digest, in
 * the same program, gives the same bytes. A page whose chart is drawn only
 * when the page is rendered keys the page by it (trends.h). */
nb_digest nb_chart_line_digest(const nb_chart_point *pts, size_t n, const nb_chart_opts *o);

/*
 * The same line chart for many pages that differ only in which point is
 * current (a community's evaluations, each page emphasising its own
 * period): drawn once with no current point, plus each drawn point's bytes
 * as current, so one page's chart is three copies instead of a redraw.
 * nb_chart_splice_emit(sp, i, out) appends exactly what nb_chart_line
 * gives with point i current (i >= n: none current) when
 * nb_chart_splice_drawn(sp, i); a point older than those drawn moves the
 * chart's window (nb_chart_line), so its page's chart is drawn whole.
 */
typedef struct nb_chart_splice {
	nb_buf svg;             /* the chart with no point current */
	nb_buf cur;             /* each drawn point's bytes, drawn as current */
	size_t start[65];       /* point i is svg[start[i], start[i+1]) */
	size_t cur_start[65];   /* ... and cur[cur_start[i], cur_start[i+1]) */
	size_t m;               /* points drawn (at most 64) */
	size_t off;             /* the first drawn is point off (the newest are drawn) */
} nb_chart_splice;

void nb_chart_line_splice(const nb_chart_point *pts, size_t n, const nb_chart_opts *o,
			  nb_chart_splice *sp);
/* The window of a chart of `n` points with none current (as spliced): it
 * draws *m points from point *off (the newest), without drawing them. */
void nb_chart_line_window(size_t n, size_t *m, size_t *off);
void nb_chart_splice_emit(const nb_chart_splice *sp, size_t current, nb_buf *out);
int nb_chart_splice_drawn(const nb_chart_splice *sp, size_t i);
void nb_chart_splice_free(nb_chart_splice *sp);

/* Horizontal bars, one per point, labelled; axis from 0. */
void nb_chart_bars(const nb_chart_point *pts, size_t n, const nb_chart_opts *o,
		   nb_buf *out);

#endif

/*
 * chart.c - small SVG charts; see chart.h.
 *
 * Both charts start their value axis at zero: a participation rate that
 * moved from 33% to 38% should look like a modest rise, not a cliff, and
 * residents compare bars by length. The view box is fixed and the SVG
 * scales to the column width with its aspect ratio kept.
 */
#include "render/chart.h"

#include <stdlib.h>
#include <string.h>

#define LINE_W 320.0
#define LINE_H 150.0
#define PAD_L 12.0
#define PAD_R 12.0
#define PAD_T 24.0
#define PAD_B 34.0
/* Text size in view-box units. A chart is drawn 320 units wide and shown
 * at the column's width, about 300 px on a 360 px phone, so 16 units
 * print at 15 px: the 14 px an older reader can manage. Below it, 11
 * units came out at 10 px. */
#define CHART_FONT "16"

static void put_text(nb_buf *out, const char *s)
{
	if (s)
		nb_buf_put_html(out, s, strlen(s));
}

static double top_of(const nb_chart_point *pts, size_t n, const nb_chart_opts *o)
{
	double hi = 0;
	for (size_t i = 0; i < n; i++)
		if (pts[i].value > hi)
			hi = pts[i].value;
	if (o && o->max > 0 && o->max >= hi)
		return o->max;
	return hi > 0 ? hi * 1.15 : 1.0;
}

/* The text alternative: title, then every value in order. */
static void open_svg(nb_buf *out, const char *cls, double w, double h,
		     const nb_chart_point *pts, size_t n, const nb_chart_opts *o)
{
	const char *title = o && o->title ? o->title : "";
	nb_buf_printf(out, "<svg class=\"chart %s\" viewBox=\"0 0 %.0f %.0f\" "
		      "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"", cls, w, h, w, h);
	put_text(out, title);
	nb_buf_puts(out, "\" xmlns=\"http://www.w3.org/2000/svg\"><title>");
	put_text(out, title);
	nb_buf_puts(out, "</title><desc>");
	if (o && o->desc) {
		put_text(out, o->desc);
	} else {
		for (size_t i = 0; i < n; i++) {
			if (i)
				nb_buf_puts(out, "; ");
			put_text(out, pts[i].label);
			nb_buf_puts(out, ": ");
			put_text(out, pts[i].value_display);
		}
	}
	nb_buf_puts(out, "</desc>");
}

/*
 * Crowded charts. Every point gets a dot, its value and its period while
 * they are far enough apart for their texts (label_gap); a community with years of quarterly
 * evaluations has dozens of points a few pixels apart, and labelling each
 * one printed an illegible smear (and 20 KB per chart). Then the line
 * carries the shape alone: periods are labelled every k-th point along
 * the axis (k the smallest step that spaces them so their periods do not
 * touch; the
 * newest always, the one before it dropped when too close), and only the
 * page's own period has a dot and its value. Every value stays in the
 * text alternative and in the table beside the chart. Whether a point is
 * labelled depends only on its index, never on which point is current,
 * so a spliced chart (chart.h) still differs in that one point's bytes.
 */
#define LABEL_GAP 64.0

/* How wide `s` prints, in view-box units, erring wide: a CJK character
 * (any code point past ASCII) is a full em, a Latin letter or digit about
 * 0.62 of one in the sans-serif the theme sets. "2010年Q1" is 71 units:
 * spaced LABEL_GAP apart, a deep history's periods ran into each other
 * ("2010年Q12014年Q2"). */
static double text_width(const char *s)
{
	double w = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		if (*p < 0x80)
			w += 0.62 * 16;
		else if ((*p & 0xC0) != 0x80)
			w += 16;
	return w;
}

/* The least distance between two labelled points: LABEL_GAP, or the
 * widest text one of them carries (its period along the axis; when every
 * point is labelled, its value too) and a space between. */
static double label_gap(const nb_chart_point *pts, size_t m, int values)
{
	double gap = LABEL_GAP;
	for (size_t i = 0; i < m; i++) {
		const char *axis = pts[i].axis_label ? pts[i].axis_label : pts[i].label;
		double w = text_width(axis) + 8;
		if (values && text_width(pts[i].value_display) + 8 > w)
			w = text_width(pts[i].value_display) + 8;
		if (w > gap)
			gap = w;
	}
	return gap;
}

typedef struct layout {
	int crowded;
	size_t k, m;    /* label step; points drawn */
} layout;

static int tick_at(const layout *l, size_t i)
{
	if (i == l->m - 1)
		return 1;
	return i % l->k == 0 && l->m - 1 - i >= l->k;
}

/* One point's dot, value and label: the only bytes `current` changes. */
static void line_point(nb_buf *out, const layout *l, size_t i, const nb_chart_point *pt,
		       int current, double x, double y, double base)
{
	const char *cur = current ? " is-current" : "";
	if (!l->crowded || current) {
		nb_buf_printf(out, "<circle class=\"chart-dot%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" "
			      "fill=\"currentColor\"/>", cur, x, y, current ? "5" : "3.5");
		nb_buf_printf(out, "<text class=\"chart-value%s\" x=\"%.1f\" y=\"%.1f\" "
			      "text-anchor=\"middle\" font-size=\"" CHART_FONT "\" fill=\"currentColor\">",
			      cur, x, y - 8);
		put_text(out, pt->value_display);
		nb_buf_puts(out, "</text>");
	}
	if (!l->crowded || tick_at(l, i)) {
		nb_buf_printf(out, "<text class=\"chart-label%s\" x=\"%.1f\" y=\"%.1f\" "
			      "text-anchor=\"middle\" font-size=\"" CHART_FONT "\" fill=\"currentColor\">",
			      cur, x, base + 22);
		put_text(out, pt->axis_label ? pt->axis_label : pt->label);
		nb_buf_puts(out, "</text>");
	}
}

/*
 * The line chart, with `sp` (may be NULL) recording where each drawn
 * point's bytes start and end and the same bytes drawn as current. Of
 * more than MAX_POINTS periods the newest are drawn: the page's own
 * period is most often the latest. When the current point is older than
 * those, the MAX_POINTS ending at it are drawn instead (the first ones
 * when fewer precede it): an old evaluation's page drew the newest years
 * without its own period while its caption said the period was marked.
 */
#define MAX_POINTS 64

void nb_chart_line_window(size_t n, size_t *m, size_t *off)
{
	*m = n < MAX_POINTS ? n : MAX_POINTS;
	*off = n - *m;
}

static size_t first_drawn(const nb_chart_point *pts, size_t n, size_t m)
{
	for (size_t i = 0; i < n - m; i++)
		if (pts[i].current)
			return i + 1 > m ? i + 1 - m : 0;
	return n - m;
}

static void line_chart(const nb_chart_point *pts, size_t n, const nb_chart_opts *o,
		       nb_buf *out, nb_chart_splice *sp)
{
	double hi = top_of(pts, n, o);
	double pw = LINE_W - PAD_L - PAD_R, ph = LINE_H - PAD_T - PAD_B;
	double base = PAD_T + ph;
	open_svg(out, "chart-line-chart", LINE_W, LINE_H, pts, n, o);
	nb_buf_printf(out, "<line class=\"chart-axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		      "y2=\"%.1f\" stroke=\"currentColor\"/>", PAD_L, base, LINE_W - PAD_R, base);
	/* One point sits in the middle; several spread edge to edge, inset so labels fit. */
	double inset = 28.0;
	double x0 = PAD_L + inset, span = pw - 2 * inset;
	double xs[MAX_POINTS], ys[MAX_POINTS];
	size_t m = n < MAX_POINTS ? n : MAX_POINTS, off = first_drawn(pts, n, m);
	pts += off;
	for (size_t i = 0; i < m; i++) {
		xs[i] = m == 1 ? PAD_L + pw / 2 : x0 + span * (double)i / (double)(m - 1);
		double v = pts[i].value < 0 ? 0 : pts[i].value;
		ys[i] = base - ph * (v / hi);
	}
	layout l = { 0, 1, m };
	if (m > 1 && span / (double)(m - 1) < label_gap(pts, m, 1)) {
		double gap = label_gap(pts, m, 0);
		l.crowded = 1;
		while (span * (double)l.k / (double)(m - 1) < gap)
			l.k++;
	}
	if (m > 1) {
		nb_buf_puts(out, "<polyline class=\"chart-line\" fill=\"none\" "
			    "stroke=\"currentColor\" stroke-width=\"2\" points=\"");
		for (size_t i = 0; i < m; i++)
			nb_buf_printf(out, "%s%.1f,%.1f", i ? " " : "", xs[i], ys[i]);
		nb_buf_puts(out, "\"/>");
	}
	if (sp) {
		sp->m = m;
		sp->off = off;
	}
	for (size_t i = 0; i < m; i++) {
		if (sp) {
			sp->start[i] = out->len;
			sp->cur_start[i] = sp->cur.len;
			line_point(&sp->cur, &l, i, &pts[i], 1, xs[i], ys[i], base);
		}
		line_point(out, &l, i, &pts[i], pts[i].current, xs[i], ys[i], base);
	}
	if (sp) {
		sp->start[m] = out->len;
		sp->cur_start[m] = sp->cur.len;
	}
	nb_buf_puts(out, "</svg>");
}

void nb_chart_line(const nb_chart_point *pts, size_t n, const nb_chart_opts *o,
		   nb_buf *out)
{
	line_chart(pts, n, o, out, NULL);
}

static void hash_text(nb_hash *h, const char *s)
{
	nb_hash_u64(h, s != NULL);
	if (s)
		nb_hash_str(h, s, strlen(s));
}

nb_digest nb_chart_line_digest(const nb_chart_point *pts, size_t n, const nb_chart_opts *o)
{
	nb_hash h;
	nb_hash_init(&h, 0x6c696e65ULL);
	nb_hash_u64(&h, (uint64_t)n);
	for (size_t i = 0; i < n; i++) {
		uint64_t bits;
		memcpy(&bits, &pts[i].value, sizeof(bits));
		nb_hash_u64(&h, bits);
		nb_hash_u64(&h, (uint64_t)pts[i].current);
		hash_text(&h, pts[i].label);
		hash_text(&h, pts[i].value_display);
		hash_text(&h, pts[i].axis_label);
	}
	nb_hash_u64(&h, o != NULL);
	if (o) {
		uint64_t bits;
		memcpy(&bits, &o->max, sizeof(bits));
		nb_hash_u64(&h, bits);
		hash_text(&h, o->title);
		hash_text(&h, o->desc);
	}
	return nb_hash_final(&h);
}

void nb_chart_line_splice(const nb_chart_point *pts, size_t n, const nb_chart_opts *o,
			  nb_chart_splice *sp)
{
	*sp = (nb_chart_splice){ NB_BUF_INIT, NB_BUF_INIT, { 0 }, { 0 }, 0, 0 };
	nb_chart_point *plain = malloc((n ? n : 1) * sizeof(*plain));
	if (!plain)
		abort();
	for (size_t i = 0; i < n; i++) {
		plain[i] = pts[i];
		plain[i].current = 0;
	}
	line_chart(plain, n, o, &sp->svg, sp);
	free(plain);
	/* Kept for the whole render stage, one per community and indicator. */
	nb_buf_shrink(&sp->svg);
	nb_buf_shrink(&sp->cur);
}

void nb_chart_splice_emit(const nb_chart_splice *sp, size_t current, nb_buf *out)
{
	if (current < sp->off || current - sp->off >= sp->m) {
		/* none current (an older one is nb_chart_splice_drawn's caller's) */
		nb_buf_put(out, sp->svg.ptr, sp->svg.len);
		return;
	}
	current -= sp->off;
	nb_buf_put(out, sp->svg.ptr, sp->start[current]);
	nb_buf_put(out, sp->cur.ptr + sp->cur_start[current],
		   sp->cur_start[current + 1] - sp->cur_start[current]);
	nb_buf_put(out, sp->svg.ptr + sp->start[current + 1],
		   sp->svg.len - sp->start[current + 1]);
}

int nb_chart_splice_drawn(const nb_chart_splice *sp, size_t i)
{
	return i >= sp->off;
}

void nb_chart_splice_free(nb_chart_splice *sp)
{
	nb_buf_free(&sp->svg);
	nb_buf_free(&sp->cur);
}

#define BAR_W 320.0
#define BAR_ROW 30.0
#define BAR_LABEL 112.0
#define BAR_VALUE 96.0

void nb_chart_bars(const nb_chart_point *pts, size_t n, const nb_chart_opts *o,
		   nb_buf *out)
{
	double hi = top_of(pts, n, o);
	double h = BAR_ROW * (double)n + 8;
	double bw = BAR_W - BAR_LABEL - BAR_VALUE;
	open_svg(out, "chart-bar-chart", BAR_W, h, pts, n, o);
	for (size_t i = 0; i < n; i++) {
		double y = 4 + BAR_ROW * (double)i;
		double v = pts[i].value < 0 ? 0 : pts[i].value;
		double w = bw * (v / hi);
		const char *cur = pts[i].current ? " is-current" : "";
		nb_buf_printf(out, "<text class=\"chart-label%s\" x=\"%.1f\" y=\"%.1f\" "
			      "text-anchor=\"end\" font-size=\"" CHART_FONT "\" fill=\"currentColor\">",
			      cur, BAR_LABEL - 6, y + 17);
		put_text(out, pts[i].label);
		nb_buf_printf(out, "</text><rect class=\"chart-track\" x=\"%.1f\" y=\"%.1f\" "
			      "width=\"%.1f\" height=\"18\" fill=\"none\"/>", BAR_LABEL, y + 4, bw);
		nb_buf_printf(out, "<rect class=\"chart-bar%s\" x=\"%.1f\" y=\"%.1f\" "
			      "width=\"%.1f\" height=\"18\" fill=\"currentColor\"/>",
			      cur, BAR_LABEL, y + 4, w);
		nb_buf_printf(out, "<text class=\"chart-value\" x=\"%.1f\" y=\"%.1f\" "
			      "font-size=\"" CHART_FONT "\" fill=\"currentColor\">", BAR_LABEL + w + 4, y + 17);
		put_text(out, pts[i].value_display);
		nb_buf_puts(out, "</text>");
	}
	nb_buf_puts(out, "</svg>");
}

/*
 * notice.c - the printed notice; see notice.h.
 *
 * The disclosure period is dates only, counted in whole days from the
 * civil calendar (no time zone, no clock): `notice_from` (default: the
 * document's date) to `notice_until`, or, without that, to the day
 * before `notice.period_days` days have passed (a 7-day notice posted on
 * the 1st is posted through the 7th, as 公示期 are counted). The QR code
 * is a function of the address only, with a four-module quiet zone and
 * medium error correction (a creased or stained print still scans), and
 * each row's dark modules are drawn as runs, so the SVG is small. The
 * address in the code is all ASCII (an id in Chinese percent-encoded):
 * byte mode declares no character set, and a reader that takes the
 * standard's default (ISO 8859-1) would open another address.
 */
#include "render/notice.h"

#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "load/meta.h"
#include "load/yamltree.h"

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, char out[32])
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long y = yoe + era * 400;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	long long d = doy - (153 * mp + 2) / 5 + 1;
	long long m = mp + (mp < 10 ? 3 : -9);
	snprintf(out, 32, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

static int parse_date(const char *iso, long long *days)
{
	int y, m, d;
	char tail;
	if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

int nb_notice_qr_svg(nb_buf *out, const char *text, const char *label, int mm)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return -1;
	const int quiet = 4, w = q->width, size = w + 2 * quiet;
	nb_buf_printf(out, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" "
			   "viewBox=\"0 0 %d %d\" width=\"%dmm\" height=\"%dmm\" role=\"img\" "
			   "aria-label=\"", size, size, mm, mm);
	nb_buf_put_html(out, label, strlen(label));
	nb_buf_printf(out, "\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
			   "fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size);
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 0;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			/* "M%d %dh%dv1h-%dz", without printf: a code has some
			 * 600 runs, drawn for every meeting and decision. */
			nb_buf_putc(out, 'M');
			nb_buf_put_uint(out, (unsigned)(x + quiet));
			nb_buf_putc(out, ' ');
			nb_buf_put_uint(out, (unsigned)(y + quiet));
			nb_buf_putc(out, 'h');
			nb_buf_put_uint(out, (unsigned)run);
			nb_buf_puts(out, "v1h-");
			nb_buf_put_uint(out, (unsigned)run);
			nb_buf_putc(out, 'z');
			x += run;
		}
	}
	nb_buf_puts(out, "\"/></svg>");
	QRcode_free(q);
	return 0;
}

/*
 * The disclosure period of `doc`: from `notice_from` (else its date)
 * until `notice_until`, else for site.yaml's period in days, else open.
 * Sets *from and *until (NULL when there is no period; `until` may point
 * into `end`). With `d`, reports a period that ends before it starts
 * (the link stage's check); without, the view just shows it.
 */
static void notice_period(const nb_site *s, const nb_doc *doc, const char **from,
			  const char **until, char end[32], nb_diag *d)
{
	const char *date = nb_doc_str(doc, "date");
	*from = nb_doc_str(doc, "notice_from");
	*until = nb_doc_str(doc, "notice_until");
	if (!*from)
		*from = date;
	long long f, u;
	if (!*from || parse_date(*from, &f) != 0) {
		*until = NULL;
		return;
	}
	if (*until && parse_date(*until, &u) == 0) {
		if (u < f && d) {
			int line, col;
			nb_yaml_pos(doc->pos, "/notice_until", 0, &line, &col);
			nb_error(d, doc->path, line, col, "notice-period-order",
				 "the period ends on or after the day it starts; check both "
				 "dates (notice_from, else the document's date)",
				 "the disclosure period ends (%s) before it starts (%s)", *until,
				 *from);
		}
	} else if (s->cfg->notice_period_days > 0) {
		civil_from_days(f + s->cfg->notice_period_days - 1, end);
		*until = end;
	} else {
		*until = NULL;
	}
}

/* `url` as the QR code holds it: each byte of a non-ASCII character as
 * %XX (RFC 3986), the rest as it is. */
static void qr_address(const char *url, nb_buf *out)
{
	for (const unsigned char *c = (const unsigned char *)url; *c; c++) {
		if (*c >= 0x80)
			nb_buf_printf(out, "%%%02X", *c);
		else
			nb_buf_putc(out, (char)*c);
	}
}

json_t *nb_notice_page(const nb_site *s, const nb_page *p)
{
	if (strcmp(p->doc->kind, "meetings") && strcmp(p->doc->kind, "decisions"))
		return NULL;
	const nb_config *cfg = s->cfg;
	const nb_doc *doc = p->doc;
	json_t *n = json_object();
	nb_buf b = NB_BUF_INIT;
	const char *community = str(json_object_get(p->item, "community"), "title");
	if (cfg->notice_committee)
		nb_buf_puts(&b, cfg->notice_committee);
	else if (community)
		nb_buf_printf(&b, "%s%s", community,
			      str(s->theme->strings, "notice_committee_suffix")
				      ? str(s->theme->strings, "notice_committee_suffix") : "");
	else
		nb_buf_puts(&b, cfg->title ? cfg->title : "");
	json_object_set_new(n, "committee", json_string(nb_buf_cstr(&b)));
	const char *date = nb_doc_str(doc, "date");
	if (date)
		json_object_set_new(n, "date_display", nb_site_date_value(s, date));

	const char *from, *until;
	char end[32];
	notice_period(s, doc, &from, &until, end, NULL);
	if (until) {
		json_object_set_new(n, "has_period", json_true());
		json_object_set_new(n, "from_display", nb_site_date_value(s, from));
		json_object_set_new(n, "until_display", nb_site_date_value(s, until));
	}
	if (cfg->notice_objections)
		json_object_set_new(n, "objections", json_string(cfg->notice_objections));

	nb_buf pl = NB_BUF_INIT;
	const char *url = nb_site_permalink(s, p, &pl);
	json_object_set_new(n, "url", json_string(url));
	if (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7)) {
		json_object_set_new(n, "absolute", json_true());
		nb_buf_clear(&b);
		const char *label = str(s->theme->strings, "notice_qr_label");
		nb_buf_printf(&b, "%s%s", label ? label : "", url);
		/* What the code is drawn from, not the drawing: the worker
		 * that renders the page draws it (nb_notice_draw_later). */
		nb_buf qa = NB_BUF_INIT;
		qr_address(url, &qa);
		json_t *later = json_object();
		json_object_set_new(later, "text", json_string(nb_buf_cstr(&qa)));
		json_object_set_new(later, "label", json_string(nb_buf_cstr(&b)));
		json_object_set_new(n, "qr_later", later);
		nb_buf_free(&qa);
	}
	nb_buf_free(&pl);
	nb_buf_free(&b);
	return n;
}

int nb_notice_draw_later(json_t *notice)
{
	json_t *later = json_object_get(notice, "qr_later");
	if (!later)
		return 0;
	nb_buf svg = NB_BUF_INIT;
	int drawn = nb_notice_qr_svg(&svg, str(later, "text"), str(later, "label"),
				     NB_NOTICE_QR_MM) == 0;
	/* Our own drawing of ASCII and the (valid) label: no second check. */
	if (drawn)
		json_object_set_new(notice, "qr_svg", json_stringn_nocheck(svg.ptr, svg.len));
	json_object_del(notice, "qr_later");
	nb_buf_free(&svg);
	return drawn;
}

int nb_notice_link(nb_site *s, nb_diag *d)
{
	size_t before = d->errors;
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		const char *from, *until;
		char end[32];
		if (!strcmp(p->doc->kind, "meetings") || !strcmp(p->doc->kind, "decisions"))
			notice_period(s, p->doc, &from, &until, end, d);
	}
	return d->errors > before ? -1 : 0;
}

const char *nb_notice_library_version(void)
{
	return QRcode_APIVersionString();
}

/*
 * feeds.c - Atom feeds, iCalendar files, sitemap and robots.txt; see feeds.h.
 *
 * Everything here is text assembled into an nb_buf from the site graph;
 * there is no XML or iCalendar library because the formats we emit are
 * small and fixed, and the tests check them with real parsers instead.
 * Calendars are handed to their file as they are made (writer.h
 * nb_out_open), an event at a time: the site's holds every meeting
 * (2.4 MB at 10,000 documents, whose doubling buffer was twice that).
 *
 * Determinism is the design constraint. Atom wants an `updated` time and
 * iCalendar a DTSTAMP, and the natural answer (the build time) would make
 * every build differ. So times come from the documents: an entry's
 * `updated:` front-matter field when it was amended, else its `date` or
 * `effective`, at T00:00:00Z; a feed's own time is its newest entry's.
 * Documents with no date at all have no honest time to give, so they stay
 * out of the feeds (they are still in the sitemap); `noticeboard new page`
 * writes a `date:` for that reason.
 *
 * Links in feeds and calendars are built from base_url as given. Feed
 * readers need absolute URLs, so a site that publishes feeds should set an
 * absolute base_url (README says so); with the default "/" the links are
 * root-relative, which some readers resolve against the feed's address.
 */
#include "render/feeds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/date.h"
#include "output/cache.h"
#include "render/export.h"
#include "util/fs.h"
#include "output/memo.h"
#include "graph/words.h"
#include "load/meta.h"

#define FEED_LIMIT 50

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

char *nb_feeds_host(const char *base_url)
{
	const char *p = strstr(base_url, "://");
	if (!p)
		return strdup("noticeboard");
	p += 3;
	const char *at = p + strcspn(p, "/?#");
	const char *user = memchr(p, '@', (size_t)(at - p));
	if (user)
		p = user + 1;
	size_t n = strcspn(p, ":/?#");
	if (!n)
		return strdup("noticeboard");
	char *h = malloc(n + 1);
	if (!h)
		abort();
	for (size_t i = 0; i < n; i++)
		h[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] + 32) : p[i];
	h[n] = '\0';
	return h;
}

static int is_iso_date(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/* The date a document was last changed, as far as its sources say, into
 * `out`; 0 when they say nothing. An evaluation without a date is dated by
 * the end of its period ("2024-Q3" -> 2024-09-30, "2024" -> 2024-12-31). */
static int doc_updated(const nb_page *p, char out[11])
{
	const char *u = nb_doc_str(p->doc, "updated");
	if (!is_iso_date(u))
		u = str(p->item, "date");
	if (is_iso_date(u)) {
		memcpy(out, u, 11);
		return 1;
	}
	return !nb_period_end(out, nb_doc_str(p->doc, "period"));
}

/* XML text: escaped, and with the control characters XML 1.0 forbids
 * dropped, so no document can make a feed unparsable. */
static void put_xml(nb_buf *b, const char *s)
{
	if (!s)
		return;
	for (const char *p = s; *p;) {
		size_t n = 0;
		while (p[n] && ((unsigned char)p[n] >= 0x20 || p[n] == '\t' || p[n] == '\n' ||
				p[n] == '\r'))
			n++;
		nb_buf_put_xml(b, p, n);
		p += n;
		if (*p)
			p++;
	}
}

/* ---- Atom ---------------------------------------------------------------- */

typedef struct entry {
	const nb_page *p;
	char date[11];
	int kind_rank;
	const char *community; /* the document's, or NULL */
	size_t order;          /* position in the site-wide, newest-first list */
} entry;

static int kind_rank(const char *kind)
{
	static const char *const order[] = { "meetings", "decisions", "charters",
					     "evaluations", "pages" };
	for (int i = 0; i < 5; i++)
		if (!strcmp(kind, order[i]))
			return i;
	return -1;
}

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = strcmp(y->date, x->date);
	if (c)
		return c;
	if (x->kind_rank != y->kind_rank)
		return x->kind_rank - y->kind_rank;
	return strcmp(x->p->doc->id, y->p->doc->id);
}

/* Published, dated documents of the feed kinds, newest first. */
static entry *collect_entries(const nb_site *s, size_t *n)
{
	entry *v = calloc(s->len ? s->len : 1, sizeof(entry));
	if (!v)
		abort();
	*n = 0;
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		int r = kind_rank(p->doc->kind);
		char date[11];
		if (r < 0 || p->doc->draft || !doc_updated(p, date))
			continue;
		v[*n].p = p;
		memcpy(v[*n].date, date, sizeof(date));
		v[*n].community = nb_doc_str(p->doc, "community");
		v[(*n)++].kind_rank = r;
	}
	qsort(v, *n, sizeof(entry), cmp_entry);
	for (size_t i = 0; i < *n; i++)
		v[i].order = i;
	return v;
}

/*
 * Each community's feed and calendar list its own documents in the
 * site-wide order. Scanning every page once per community made the feeds
 * quadratic (a third of a 50,000-document build), so the site-wide list
 * is sorted once and regrouped by community: (community, site-wide
 * position), and each community takes its range by binary search.
 */
static int cmp_by_community(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = strcmp(x->community, y->community);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static entry *group_by_community(const entry *v, size_t n, size_t *m)
{
	entry *g = calloc(n ? n : 1, sizeof(entry));
	if (!g)
		abort();
	*m = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].community)
			g[(*m)++] = v[i];
	qsort(g, *m, sizeof(entry), cmp_by_community);
	return g;
}

/* The entries of community `cid` in g[0..m), in site-wide order. */
static const entry *community_range(const entry *g, size_t m, const char *cid, size_t *n)
{
	size_t lo = 0, hi = m;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(g[mid].community, cid) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < m && !strcmp(g[end].community, cid))
		end++;
	*n = end - lo;
	return g + lo;
}

static void atom_entry(const nb_site *s, nb_buf *b, const char *host, const entry *e)
{
	const nb_page *p = e->p;
	nb_buf pl = NB_BUF_INIT;
	const char *title = str(p->item, "title");
	const char *link = nb_site_permalink(s, p, &pl);
	const char *summary = str(p->item, "summary");
	const char *kind_label = nb_site_label(s, "kinds", p->doc->kind);
	nb_buf_puts(b, "  <entry>\n    <title>");
	put_xml(b, title);
	nb_buf_printf(b, "</title>\n    <id>tag:%s,2024:", host);
	put_xml(b, p->doc->kind);
	nb_buf_putc(b, '/');
	put_xml(b, p->doc->id);
	nb_buf_printf(b, "</id>\n    <updated>%sT00:00:00Z</updated>\n", e->date);
	const char *pub = str(p->item, "date");
	if (is_iso_date(pub))
		nb_buf_printf(b, "    <published>%sT00:00:00Z</published>\n", pub);
	nb_buf_puts(b, "    <link rel=\"alternate\" type=\"text/html\" href=\"");
	put_xml(b, link);
	nb_buf_puts(b, "\"/>\n    <category term=\"");
	put_xml(b, p->doc->kind);
	nb_buf_puts(b, "\" label=\"");
	put_xml(b, kind_label);
	nb_buf_puts(b, "\"/>\n");
	/* A decision's result first, as its list item states it: an entry
	 * of a rejected decision read as the text of one adopted. */
	const char *result = str(p->item, "result_line");
	if (summary || result) {
		nb_buf_puts(b, "    <summary>");
		put_xml(b, result ? result : "");
		put_xml(b, result && summary ? "\n" : "");
		put_xml(b, summary ? summary : "");
		nb_buf_puts(b, "</summary>\n");
	}
	/* The HTML is built escaped once, then escaped again as XML text. */
	nb_buf html = NB_BUF_INIT;
	if (result) {
		nb_buf_puts(&html, "<p>");
		nb_buf_put_html(&html, result, strlen(result));
		nb_buf_puts(&html, "</p>");
	}
	if (summary) {
		nb_buf_puts(&html, "<p>");
		nb_buf_put_html(&html, summary, strlen(summary));
		nb_buf_puts(&html, "</p>");
	}
	nb_buf_puts(&html, "<p><a href=\"");
	nb_buf_put_html(&html, link, strlen(link));
	nb_buf_puts(&html, "\">");
	nb_buf_put_html(&html, title, strlen(title));
	nb_buf_puts(&html, "</a></p>");
	nb_buf_puts(b, "    <content type=\"html\">");
	put_xml(b, nb_buf_cstr(&html));
	nb_buf_puts(b, "</content>\n  </entry>\n");
	nb_buf_free(&html);
	nb_buf_free(&pl);
}

/* The feed of `community` (NULL: the site's) from its entries, newest
 * first. */
static void write_atom(const nb_site *s, nb_out *o, const char *host,
		       const nb_page *community, const entry *v, size_t n)
{
	const nb_config *cfg = s->cfg;
	nb_buf rel = NB_BUF_INIT, b = NB_BUF_INIT;
	if (community)
		nb_buf_printf(&rel, "communities/%s/feed.xml", community->doc->id);
	else
		nb_buf_puts(&rel, "feed.xml");
	const char *lang = cfg->language;
	nb_buf_printf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n  <title>",
		      lang);
	if (community) {
		put_xml(&b, str(community->item, "title"));
		nb_buf_puts(&b, " · ");
	}
	put_xml(&b, cfg->title);
	nb_buf_puts(&b, "</title>\n");
	if (cfg->description && cfg->description[0]) {
		nb_buf_puts(&b, "  <subtitle>");
		put_xml(&b, cfg->description);
		nb_buf_puts(&b, "</subtitle>\n");
	}
	nb_buf_printf(&b, "  <id>tag:%s,2024:feed", host);
	if (community) {
		nb_buf_puts(&b, "/communities/");
		put_xml(&b, community->doc->id);
	}
	nb_buf_printf(&b, "</id>\n  <updated>%sT00:00:00Z</updated>\n",
		      n ? v[0].date : "1970-01-01");
	nb_buf_puts(&b, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
	put_xml(&b, cfg->base_url);
	put_xml(&b, nb_buf_cstr(&rel));
	nb_buf_puts(&b, "\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"");
	if (community) {
		nb_buf pl = NB_BUF_INIT;
		put_xml(&b, nb_site_permalink(s, community, &pl));
		nb_buf_free(&pl);
	} else {
		put_xml(&b, cfg->base_url);
	}
	nb_buf_puts(&b, "\"/>\n  <author><name>");
	put_xml(&b, community ? str(community->item, "title") : cfg->title);
	nb_buf_puts(&b, "</name></author>\n  <generator>noticeboard</generator>\n");
	for (size_t i = 0; i < n && i < FEED_LIMIT; i++)
		atom_entry(s, &b, host, &v[i]);
	nb_buf_puts(&b, "</feed>\n");
	nb_out_write(o, nb_buf_cstr(&rel), b.ptr, b.len);
	nb_buf_free(&b);
	nb_buf_free(&rel);
}

/* ---- iCalendar (RFC 5545) ------------------------------------------------ */

/* Append one content line, folded at 75 octets (continuations begin with a
 * space, which counts) without cutting a UTF-8 sequence, ended by CRLF. */
static void ics_line(nb_buf *b, const char *line)
{
	size_t len = strlen(line), pos = 0, room = 75;
	while (len - pos > room) {
		size_t cut = pos + room;
		while (cut > pos && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--;
		nb_buf_put(b, line + pos, cut - pos);
		nb_buf_puts(b, "\r\n ");
		pos = cut;
		room = 74;
	}
	nb_buf_put(b, line + pos, len - pos);
	nb_buf_puts(b, "\r\n");
}

/* TEXT value escaping: backslash, semicolon, comma, newline. */
static void ics_text(nb_buf *b, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		switch (*p) {
		case '\\': nb_buf_puts(b, "\\\\"); break;
		case ';': nb_buf_puts(b, "\\;"); break;
		case ',': nb_buf_puts(b, "\\,"); break;
		case '\n': nb_buf_puts(b, "\\n"); break;
		case '\r': break;
		default:
			if ((unsigned char)*p >= 0x20 || *p == '\t')
				nb_buf_putc(b, *p);
		}
	}
}

static void ics_prop(nb_buf *b, const char *name, const char *text)
{
	nb_buf l = NB_BUF_INIT;
	nb_buf_printf(&l, "%s:", name);
	ics_text(&l, text);
	ics_line(b, nb_buf_cstr(&l));
	nb_buf_free(&l);
}

static void compact_date(const char *iso, char out[9])
{
	snprintf(out, 9, "%.4s%.2s%.2s", iso, iso + 5, iso + 8);
}

static void ics_event(const nb_site *s, nb_buf *b, const char *host, const nb_page *p)
{
	const nb_doc *doc = p->doc;
	const char *date = nb_doc_str(doc, "date");
	char day[9];
	compact_date(date, day);
	nb_buf l = NB_BUF_INIT;
	ics_line(b, "BEGIN:VEVENT");
	nb_buf_printf(&l, "UID:%s@%s", p->doc->id, host);
	ics_line(b, nb_buf_cstr(&l));
	nb_buf_clear(&l);
	nb_buf_printf(&l, "DTSTAMP:%sT000000Z", day);
	ics_line(b, nb_buf_cstr(&l));
	nb_buf_clear(&l);
	/* In minutes (meta.h nb_meta_time): "9:00" is 09:00, and ends
	 * after it at "11:00", which text order would put first. */
	int st = nb_doc_time(doc, "start"), en = nb_doc_time(doc, "end");
	if (st >= 0) {
		nb_buf_printf(&l, "DTSTART;TZID=Asia/Shanghai:%sT%02d%02d00", day, st / 60, st % 60);
		ics_line(b, nb_buf_cstr(&l));
		nb_buf_clear(&l);
		/* No end given: the event is the instant it starts (RFC 5545
		 * 3.6.1), said outright, since Exchange and Outlook drop an
		 * event with neither DTEND nor DURATION; an hour made up
		 * here would be an end time the committee never published. */
		if (en > st)
			nb_buf_printf(&l, "DTEND;TZID=Asia/Shanghai:%sT%02d%02d00", day, en / 60,
				      en % 60);
		else
			nb_buf_puts(&l, "DURATION:PT0S");
		ics_line(b, nb_buf_cstr(&l));
		nb_buf_clear(&l);
	} else {
		/* An all-day event ends (exclusively) the next day. */
		char after[11], next[9];
		nb_buf_printf(&l, "DTSTART;VALUE=DATE:%s", day);
		ics_line(b, nb_buf_cstr(&l));
		nb_buf_clear(&l);
		if (nb_date_next(after, date) == 0) {
			compact_date(after, next);
			nb_buf_printf(&l, "DTEND;VALUE=DATE:%s", next);
			ics_line(b, nb_buf_cstr(&l));
			nb_buf_clear(&l);
		}
	}
	ics_prop(b, "SUMMARY", str(p->item, "title"));
	if (nb_doc_str(doc, "location"))
		ics_prop(b, "LOCATION", nb_doc_str(doc, "location"));
	/* The agenda is what a resident wants to see before going. */
	nb_buf desc = NB_BUF_INIT;
	json_t *agenda = nb_doc_get(doc, "agenda");
	if (json_is_array(agenda)) {
		/* Its items as the page lists them (site.c
		 * nb_site_copy_strings): strings, or the name of an object. */
		size_t i, n = 0;
		json_t *a;
		json_array_foreach(agenda, i, a) {
			const char *v = json_is_string(a) ? json_string_value(a) : str(a, "name");
			if (!v)
				continue;
			if (!n++) {
				const char *label = str(s->theme->strings, "agenda");
				nb_buf_printf(&desc, "%s:", label ? label : "Agenda");
			}
			nb_buf_printf(&desc, "\n%zu. %s", n, v);
		}
	}
	json_decref(agenda);
	const char *summary = nb_doc_str(doc, "summary");
	if (summary)
		nb_buf_printf(&desc, "%s%s", desc.len ? "\n\n" : "", summary);
	if (desc.len)
		ics_prop(b, "DESCRIPTION", nb_buf_cstr(&desc));
	nb_buf_free(&desc);
	ics_prop(b, "CATEGORIES", str(p->item, "kind_label"));
	ics_line(b, "STATUS:CONFIRMED");
	/* URL is a URI value, not TEXT: no escaping, only folding. */
	nb_buf pl = NB_BUF_INIT;
	nb_buf_printf(&l, "URL:%s", nb_site_permalink(s, p, &pl));
	nb_buf_free(&pl);
	ics_line(b, nb_buf_cstr(&l));
	nb_buf_free(&l);
	ics_line(b, "END:VEVENT");
}

/* Reads the strings in place (load/meta.h nb_doc_str: a walk over the
 * top-level keys, no decoding), up to four per comparison. */
static int cmp_meeting(const void *a, const void *b)
{
	const nb_page *x = ((const entry *)a)->p, *y = ((const entry *)b)->p;
	int c = strcmp(nb_doc_str(x->doc, "date"), nb_doc_str(y->doc, "date"));
	if (c)
		return c;
	/* By the clock, none first: "9:00" before "10:00". */
	int sx = nb_doc_time(x->doc, "start"), sy = nb_doc_time(y->doc, "start");
	c = (sx > sy) - (sx < sy);
	return c ? c : strcmp(x->doc->id, y->doc->id);
}

/* Published meetings with a date, in calendar order. */
static entry *collect_meetings(const nb_site *s, size_t *n)
{
	entry *v = calloc(s->len ? s->len : 1, sizeof(entry));
	if (!v)
		abort();
	*n = 0;
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		if (strcmp(p->doc->kind, "meetings") || p->doc->draft ||
		    !is_iso_date(nb_doc_str(p->doc, "date")))
			continue;
		v[*n].p = p;
		v[(*n)++].community = nb_doc_str(p->doc, "community");
	}
	qsort(v, *n, sizeof(entry), cmp_meeting);
	for (size_t i = 0; i < *n; i++)
		v[i].order = i;
	return v;
}

/* The calendar of `community` (NULL: the site's) from its meetings. */
static void write_ics(const nb_site *s, nb_out *o, const char *host, const nb_page *community,
		      const entry *v, size_t n)
{
	const nb_config *cfg = s->cfg;
	nb_buf b = NB_BUF_INIT, l = NB_BUF_INIT, rel = NB_BUF_INIT;
	if (community)
		nb_buf_printf(&rel, "communities/%s/meetings.ics", community->doc->id);
	else
		nb_buf_puts(&rel, "meetings.ics");
	/* Written as it is made: the site's calendar holds every meeting. */
	nb_out_file f;
	nb_out_open(&f, o, nb_buf_cstr(&rel));
	ics_line(&b, "BEGIN:VCALENDAR");
	ics_line(&b, "VERSION:2.0");
	ics_line(&b, "PRODID:-//noticeboard//noticeboard " NB_VERSION "//EN");
	ics_line(&b, "CALSCALE:GREGORIAN");
	ics_line(&b, "METHOD:PUBLISH");
	nb_buf_puts(&l, community ? str(community->item, "title") : cfg->title);
	if (community)
		nb_buf_printf(&l, " · %s", cfg->title);
	ics_prop(&b, "X-WR-CALNAME", nb_buf_cstr(&l));
	nb_buf_free(&l);
	ics_line(&b, "X-WR-TIMEZONE:Asia/Shanghai");
	/* China has had no daylight saving since 1991: one fixed offset. */
	ics_line(&b, "BEGIN:VTIMEZONE");
	ics_line(&b, "TZID:Asia/Shanghai");
	ics_line(&b, "BEGIN:STANDARD");
	ics_line(&b, "DTSTART:19700101T000000");
	ics_line(&b, "TZOFFSETFROM:+0800");
	ics_line(&b, "TZOFFSETTO:+0800");
	ics_line(&b, "TZNAME:CST");
	ics_line(&b, "END:STANDARD");
	ics_line(&b, "END:VTIMEZONE");
	for (size_t i = 0; i < n; i++) {
		ics_event(s, &b, host, v[i].p);
		nb_buf_spill(&b, NB_OUT_PIECE, nb_out_sink, &f);
	}
	ics_line(&b, "END:VCALENDAR");
	nb_buf_spill(&b, 0, nb_out_sink, &f);
	nb_out_close(&f);
	nb_buf_free(&rel);
	nb_buf_free(&b);
}

/* ---- sitemap.xml and robots.txt ------------------------------------------ */

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void max_date(char best[11], const nb_page *p)
{
	char d[11];
	if (!p->doc->draft && doc_updated(p, d) && strcmp(d, best) > 0)
		memcpy(best, d, 11);
}

/* The newest date of every page and of each kind's pages, gathered once
 * (O(pages)) before the sitemap is written: a kind's list pages used to
 * scan every page each, which at 50,000 documents (a thousand paged
 * list pages) was half of the whole build. */
typedef struct lastmods {
	char all[11];
	json_t *by_kind; /* kind -> newest date string */
} lastmods;

static void lastmods_build(lastmods *lm, const nb_site *s)
{
	lm->all[0] = '\0';
	lm->by_kind = json_object();
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		char best[11] = "";
		json_t *k = json_object_get(lm->by_kind, p->doc->kind);
		if (k)
			snprintf(best, sizeof(best), "%s", json_string_value(k));
		else
			json_object_set_new(lm->by_kind, p->doc->kind, json_string(""));
		max_date(best, p);
		if (!k || strcmp(best, json_string_value(k)))
			json_object_set_new(lm->by_kind, p->doc->kind, json_string(best));
		if (strcmp(best, lm->all) > 0)
			memcpy(lm->all, best, 11);
	}
}

/* The site's pages by output path: their indices sorted by path, then
 * index, so that the first page with a path is the first of its run. A
 * JSON map of every page was 11 MB of the peak at 50,000 documents; this
 * is 8 bytes a page. */
typedef struct by_path {
	size_t *at;
	size_t n;
} by_path;

static int cmp_by_path(const void *a, const void *b, void *ud)
{
	const nb_page *pages = ud;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(pages[x].out_path, pages[y].out_path);
	return c ? c : (x > y) - (x < y);
}

static void by_path_build(by_path *bp, const nb_site *s)
{
	bp->at = calloc(s->len + 1, sizeof(*bp->at));
	if (!bp->at)
		abort();
	bp->n = 0;
	for (size_t i = 0; i < s->len; i++)
		if (s->pages[i].out_path)
			bp->at[bp->n++] = i;
	qsort_r(bp->at, bp->n, sizeof(*bp->at), cmp_by_path, s->pages);
}

/* The first page written at `rel`, or -1; O(log pages). */
static long by_path_find(const by_path *bp, const nb_site *s, const char *rel)
{
	size_t lo = 0, hi = bp->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->pages[bp->at[mid]].out_path, rel) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < bp->n && !strcmp(s->pages[bp->at[lo]].out_path, rel) ? (long)bp->at[lo] : -1;
}

/* The date to announce for an output page, into `best` ("" when the
 * sources know none); O(log pages) per entry. */
static void lastmod_for(const nb_site *s, const lastmods *lm, const by_path *bp,
			const char *rel, char best[11])
{
	best[0] = '\0';
	if (!strcmp(rel, "index.html")) {
		memcpy(best, lm->all, 11);
		return;
	}
	long at = by_path_find(bp, s, rel);
	if (at >= 0) {
		max_date(best, &s->pages[at]);
		return;
	}
	/* A kind's list page (any of its pages: items move along them)
	 * changes when any of its documents does. */
	const char *slash = strchr(rel, '/');
	size_t kl = slash ? (size_t)(slash - rel) : 0;
	const char *tail = slash ? slash + 1 : "";
	if (!strncmp(tail, "page/", 5)) {
		tail += 5;
		while (*tail >= '0' && *tail <= '9')
			tail++;
		tail += *tail == '/';
	}
	if (kl && !strcmp(tail, "index.html")) {
		const char *d = json_string_value(json_object_getn(lm->by_kind, rel, kl));
		if (d)
			snprintf(best, 11, "%s", d);
	}
}

/*
 * The sitemaps.org protocol caps a sitemap at 50,000 URLs and 50 MB. Past
 * either, sitemap.xml becomes a sitemap index naming sitemap-1.xml,
 * sitemap-2.xml, … (robots.txt and search engines keep asking for
 * sitemap.xml). Which file a URL lands in depends only on the sorted list
 * of pages, so the split is as deterministic as the rest. The environment
 * variable NB_TEST_SITEMAP_URLS lowers the URL cap, for the tests only: a
 * site of 50,000 pages is too slow to build under the sanitizers.
 */
#define SITEMAP_URLS 50000
#define SITEMAP_BYTES 50000000

static size_t sitemap_urls_max(void)
{
	const char *e = getenv("NB_TEST_SITEMAP_URLS");
	long v = e ? strtol(e, NULL, 10) : 0;
	return v > 0 && v < SITEMAP_URLS ? (size_t)v : SITEMAP_URLS;
}

static const char sitemap_head[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
				   "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
static const char sitemap_tail[] = "</urlset>\n";

/* Close sitemap file number `no` (buffer `b`) into `index`, remembering
 * its newest lastmod. */
static void sitemap_flush(const nb_site *s, nb_out *o, nb_buf *b, size_t no,
			  const char *newest, nb_buf *index)
{
	nb_buf name = NB_BUF_INIT;
	nb_buf_puts(b, sitemap_tail);
	nb_buf_printf(&name, "sitemap-%zu.xml", no);
	nb_out_write(o, nb_buf_cstr(&name), b->ptr, b->len);
	nb_buf_puts(index, "  <sitemap><loc>");
	put_xml(index, s->cfg->base_url);
	put_xml(index, nb_buf_cstr(&name));
	nb_buf_puts(index, "</loc>");
	if (newest[0])
		nb_buf_printf(index, "<lastmod>%s</lastmod>", newest);
	nb_buf_puts(index, "</sitemap>\n");
	nb_buf_free(&name);
	nb_buf_clear(b);
	nb_buf_puts(b, sitemap_head);
}

static void write_sitemap(const nb_site *s, nb_out *o)
{
	const nb_config *cfg = s->cfg;
	size_t n = 0, cap = json_object_size(o->written) + 1;
	const char **v = calloc(cap, sizeof(*v));
	if (!v)
		abort();
	const char *rel;
	json_t *val;
	json_object_foreach(o->written, rel, val) {
		size_t len = strlen(rel);
		if (len < 5 || strcmp(rel + len - 5, ".html") || !strcmp(rel, "404.html"))
			continue;
		v[n++] = rel;
	}
	qsort(v, n, sizeof(*v), cmp_cstr);
	/* Output path -> page, once: a scan of every page per sitemap entry
	 * made the sitemap quadratic. The first page with a path wins. */
	by_path pages;
	by_path_build(&pages, s);
	lastmods dates;
	lastmods_build(&dates, s);
	nb_buf b = NB_BUF_INIT, one = NB_BUF_INIT, index = NB_BUF_INIT;
	nb_buf_puts(&b, sitemap_head);
	size_t max = sitemap_urls_max(), in_file = 0, files = 0;
	char newest[11] = "";
	/* One file while everything fits in one; else an index of several. */
	int split = n > max;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]);
		size_t keep = len;
		if (len >= 10 && !strcmp(v[i] + len - 10, "index.html") &&
		    (len == 10 || v[i][len - 11] == '/'))
			keep = len - 10;
		nb_buf url = NB_BUF_INIT;
		nb_buf_puts(&url, cfg->base_url);
		nb_buf_put(&url, v[i], keep);
		nb_buf_clear(&one);
		nb_buf_puts(&one, "  <url><loc>");
		put_xml(&one, nb_buf_cstr(&url));
		nb_buf_puts(&one, "</loc>");
		char lm[11];
		lastmod_for(s, &dates, &pages, v[i], lm);
		if (lm[0])
			nb_buf_printf(&one, "<lastmod>%s</lastmod>", lm);
		nb_buf_puts(&one, "</url>\n");
		nb_buf_free(&url);
		if (in_file && (in_file == max ||
				b.len + one.len + sizeof(sitemap_tail) > SITEMAP_BYTES)) {
			split = 1;
			sitemap_flush(s, o, &b, ++files, newest, &index);
			in_file = 0;
			newest[0] = 0;
		}
		nb_buf_put(&b, one.ptr, one.len);
		in_file++;
		if (strcmp(lm, newest) > 0)
			memcpy(newest, lm, 11);
	}
	if (split) {
		sitemap_flush(s, o, &b, ++files, newest, &index);
		nb_buf_clear(&b);
		nb_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		nb_buf_put(&b, index.ptr, index.len);
		nb_buf_puts(&b, "</sitemapindex>\n");
	} else {
		nb_buf_puts(&b, sitemap_tail);
	}
	nb_out_write(o, "sitemap.xml", b.ptr, b.len);
	nb_buf_free(&b);
	nb_buf_free(&one);
	nb_buf_free(&index);
	free(pages.at);
	json_decref(dates.by_kind);
	free(v);
}

static void write_robots(const nb_site *s, nb_out *o)
{
	const char *base = s->cfg->base_url;
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, "User-agent: *\nAllow: /\n");
	/* The Sitemap line must be absolute; a relative site cannot give one. */
	if (!strncmp(base, "https://", 8) || !strncmp(base, "http://", 7))
		nb_buf_printf(&b, "\nSitemap: %ssitemap.xml\n", base);
	nb_out_write(o, "robots.txt", b.ptr, b.len);
	nb_buf_free(&b);
}

void nb_feeds_write_documents(const nb_site *s, nb_out *o)
{
	char *host = nb_feeds_host(s->cfg->base_url);
	size_t ne, nm, ge, gm;
	entry *ents = collect_entries(s, &ne), *meets = collect_meetings(s, &nm);
	entry *gents = group_by_community(ents, ne, &ge);
	entry *gmeets = group_by_community(meets, nm, &gm);
	write_atom(s, o, host, NULL, ents, ne);
	write_ics(s, o, host, NULL, meets, nm);
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		if (!strcmp(p->doc->kind, "communities") && !p->doc->draft) {
			size_t k;
			const entry *r = community_range(gents, ge, p->doc->id, &k);
			write_atom(s, o, host, p, r, k);
			r = community_range(gmeets, gm, p->doc->id, &k);
			write_ics(s, o, host, p, r, k);
		}
	}
	free(ents);
	free(meets);
	free(gents);
	free(gmeets);
	nb_export_write(s, o);
	free(host);
}

nb_digest nb_feeds_inputs(const nb_site *s, const nb_memo *m)
{
	const nb_config *cfg = s->cfg;
	nb_hash h;
	nb_hash_init(&h, 0x66656564ULL);
	const char *set[] = { cfg->base_url, cfg->title, cfg->description, cfg->language };
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		nb_hash_str(&h, set[i] ? set[i] : "", set[i] ? strlen(set[i]) : 0);
	nb_hash_digest(&h, nb_memo_value(m, s->theme->strings));
	nb_hash_u64(&h, s->len);
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		nb_hash_str(&h, p->doc->id, strlen(p->doc->id));
		nb_hash_str(&h, p->doc->kind, strlen(p->doc->kind));
		nb_hash_u64(&h, (uint64_t)p->doc->draft);
		/* Its page is a view (site.h nb_site_page_view) of its item,
		 * its front matter, which the feeds and exports read too, and
		 * what linking derived for it (p->page, NULL when nothing);
		 * the build's date is in its item (a meeting's status, which
		 * the exports read there). */
		nb_hash_u64(&h, p->page != NULL);
		if (p->page)
			nb_hash_digest(&h, nb_memo_value(m, p->page));
		nb_doc_meta_hash(p->doc, &h);
		nb_hash_digest(&h, nb_memo_value(m, p->item));
	}
	return nb_hash_final(&h);
}

void nb_feeds_write_index(const nb_site *s, nb_out *o)
{
	write_sitemap(s, o);
	write_robots(s, o);
}

int nb_feeds_write(const nb_site *s, const char *dir, nb_render_stats *st,
		   json_t *written, nb_diag *d)
{
	size_t before = d->errors;
	json_t *own = written ? NULL : json_object();
	nb_out o = { dir, st, written ? written : own, d, NULL, 0, NULL };
	nb_feeds_write_documents(s, &o);
	/* Last, so the sitemap sees every HTML file and not our own files. */
	nb_feeds_write_index(s, &o);
	json_decref(own);
	return d->errors > before ? -1 : 0;
}

/*
 * site.c - the link stage; see site.h.
 *
 * Work is done in passes over the published pages, each pass reading only
 * what earlier passes produced:
 *   1. URL, layout, summary and the list-item form of every page (its
 *      Markdown body was rendered while loading: HTML, table of
 *      contents, plain text);
 *   2. per-kind derived data that needs other pages (references resolved to
 *      items, reverse links such as a meeting's decisions);
 *   3. the site-wide `site` object (navigation, communities).
 * Validation has already run, so lookups that fail here just leave a field
 * out rather than report: the checker owns error messages.
 */
#include "graph/site.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/chardiff.h"
#include "graph/attach.h"
#include "render/chart.h"
#include "graph/history.h"
#include "markdown/markdown.h"
#include "render/notice.h"
#include "graph/paging.h"
#include "util/utf8.h"
#include "schema/validate.h"
#include "graph/votes.h"
#include "render/words.h"

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		abort();
	return p;
}

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *const kind_order[] = {
	"communities", "meetings", "decisions", "charters", "evaluations", "pages",
};
#define N_KINDS (sizeof(kind_order) / sizeof(kind_order[0]))

/* Communities the footer lists by name; more and it links to the list. */
#define FOOTER_COMMUNITIES_MAX 12

long nb_site_find(const nb_site *s, const char *id)
{
	json_t *v = id ? json_object_get(s->by_id, id) : NULL;
	return v ? (long)json_integer_value(v) : -1;
}

const char *nb_site_label(const nb_site *s, const char *group, const char *key)
{
	json_t *g = json_object_get(s->theme->strings, group);
	const char *v = key ? str(g, key) : NULL;
	return v ? v : (key ? key : "");
}

void nb_site_date(const nb_site *s, const char *iso, nb_buf *out)
{
	int y, m, d;
	char tail;
	if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
	    m > 12) {
		nb_buf_puts(out, iso ? iso : "");
		return;
	}
	const char *fmt = str(s->theme->strings, "date_format");
	if (!fmt)
		fmt = "{y}-{m}-{d}";
	json_t *months = json_object_get(s->theme->strings, "months");
	const char *month = json_string_value(json_array_get(months, (size_t)m - 1));
	for (const char *p = fmt; *p;) {
		if (!strncmp(p, "{y}", 3)) {
			nb_buf_printf(out, "%d", y);
			p += 3;
		} else if (!strncmp(p, "{m}", 3)) {
			nb_buf_printf(out, "%d", m);
			p += 3;
		} else if (!strncmp(p, "{d}", 3)) {
			nb_buf_printf(out, "%d", d);
			p += 3;
		} else if (!strncmp(p, "{month}", 7)) {
			if (month)
				nb_buf_puts(out, month);
			else
				nb_buf_printf(out, "%d", m);
			p += 7;
		} else {
			nb_buf_putc(out, *p++);
		}
	}
}

json_t *nb_site_date_value(const nb_site *s, const char *iso)
{
	nb_buf b = NB_BUF_INIT;
	nb_site_date(s, iso, &b);
	json_t *v = json_string(nb_buf_cstr(&b));
	nb_buf_free(&b);
	return v;
}

static json_t *date_display(const nb_site *s, const char *iso)
{
	return nb_site_date_value(s, iso);
}

static void set_str(json_t *obj, const char *key, const char *v)
{
	if (v)
		json_object_set_new(obj, key, json_string(v));
}

/*
 * Strings are most of the graph's values, and a jansson string costs some
 * 80 bytes whatever it holds, so page data shares rather than copies
 * where it can (jansson strings are never changed in place):
 *   - share_str: a front matter value as it is (a title, a date, a place);
 *   - set_shared: a value many pages repeat (a label, a status, the build
 *     date), made once in s->shared while linking.
 */
static void share_str(json_t *dst, const char *key, const json_t *src, const char *skey)
{
	json_t *v = json_object_get(src, skey);
	if (json_is_string(v))
		json_object_set(dst, key, v);
}

static void set_shared(nb_site *s, json_t *obj, const char *key, const char *v)
{
	if (!v)
		return;
	json_t *j = json_object_get(s->shared, v);
	if (!j) {
		j = json_string(v);
		if (!j)
			return;
		json_object_set_new(s->shared, v, j);
	}
	json_object_set(obj, key, j);
}

/* A date's display form, shared like set_shared (the build date's is on
 * every decision). */
static void set_date_shared(nb_site *s, json_t *obj, const char *key, const char *iso)
{
	nb_buf b = NB_BUF_INIT;
	nb_site_date(s, iso, &b);
	set_shared(s, obj, key, nb_buf_cstr(&b));
	nb_buf_free(&b);
}

/* The first sentence-ish of the text, for descriptions and list items. */
static char *excerpt(const char *text, size_t max_chars)
{
	nb_buf b = NB_BUF_INIT;
	size_t n = 0, len = strlen(text);
	const char *p = text;
	while (*p && n < max_chars) {
		uint32_t cp;
		int k = nb_utf8_decode(p, len - (size_t)(p - text), &cp);
		if (cp == '\n') {
			if (b.len && b.ptr[b.len - 1] != ' ')
				nb_buf_putc(&b, ' ');
		} else {
			nb_buf_put(&b, p, (size_t)k);
		}
		p += k;
		n++;
	}
	if (*p)
		nb_buf_puts(&b, "…");
	return nb_buf_detach(&b);
}

static const char *layout_for_kind(const char *kind)
{
	if (!strcmp(kind, "communities"))
		return "community";
	if (!strcmp(kind, "meetings"))
		return "meeting";
	if (!strcmp(kind, "decisions"))
		return "decision";
	if (!strcmp(kind, "charters"))
		return "charter";
	if (!strcmp(kind, "evaluations"))
		return "evaluation";
	return "page";
}

/* Pass 1: what a page is by itself; its Markdown body was rendered
 * while loading (content.h), the one costly step, on the pool there. */
static void page_init(nb_site *s, nb_page *p, nb_diag *d)
{
	const nb_config *cfg = s->cfg;
	const nb_doc *doc = p->doc;
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s%s/%s/", cfg->base_path, doc->kind, doc->id);
	p->url = nb_buf_detach_fit(&b);
	nb_buf_printf(&b, "%s/%s/index.html", doc->kind, doc->id);
	p->out_path = nb_buf_detach_fit(&b);

	const char *layout = str(doc->meta, "layout");
	if (layout && !nb_theme_has_layout(s->theme, layout)) {
		int line, col;
		nb_yaml_pos(doc->pos, "/layout", 0, &line, &col);
		nb_error(d, doc->path, line, col, "layout-unknown",
			 "use one of the theme's layouts (see themes/default/README.md) "
			 "or remove `layout:`",
			 "unknown layout `%s` in theme %s", layout, s->theme->label);
		layout = NULL;
	}
	if (!layout)
		layout = layout_for_kind(doc->kind);
	if (!nb_theme_has_layout(s->theme, layout))
		layout = "page";
	p->layout = xstrdup(layout);

	json_t *pg = json_object();
	if (str(doc->meta, "title"))
		share_str(pg, "title", doc->meta, "title");
	else
		set_str(pg, "title", doc->id);
	set_str(pg, "id", doc->id);
	set_shared(s, pg, "kind", doc->kind);
	set_shared(s, pg, "kind_label", nb_site_label(s, "kinds", doc->kind));
	set_shared(s, pg, "layout", p->layout);
	set_str(pg, "url", p->url);
	if (cfg->base_url[0] == '/') {
		json_object_set(pg, "permalink", json_object_get(pg, "url"));
	} else {
		nb_buf_printf(&b, "%s%s/%s/", cfg->base_url, doc->kind, doc->id);
		json_object_set_new(pg, "permalink", json_string(nb_buf_cstr(&b)));
	}
	nb_buf_free(&b);
	if (str(doc->meta, "summary")) {
		share_str(pg, "description", doc->meta, "summary");
	} else {
		/* 80 characters are at most 320 bytes; one more tells whether
		 * the text goes on. */
		nb_buf t = NB_BUF_INIT;
		const char *text = nb_doc_text(doc, 321, &t);
		if (!text) {
			nb_doc_unreadable(d, doc);
			text = "";
		}
		char *desc = excerpt(text, 80);
		nb_buf_free(&t);
		set_str(pg, "description", desc);
		free(desc);
	}
	json_object_set(pg, "summary", json_object_get(pg, "description"));
	/* The headings (`toc`) are added by the page's own context, the only
	 * reader, like the body (render.c run_task): in the page's data they
	 * would differ with where the document's body is kept, not with what
	 * it says, and every key over the data would change with them. */
	json_object_set(pg, "meta", doc->meta);
	if (doc->draft)
		json_object_set_new(pg, "draft", json_true());
	const char *dkey = str(doc->meta, "date") ? "date" : "effective";
	const char *date = str(doc->meta, dkey);
	if (date) {
		share_str(pg, "date", doc->meta, dkey);
		json_object_set_new(pg, "date_display", date_display(s, date));
	}
	p->page = pg;

	json_t *it = json_object();
	json_object_set(it, "title", json_object_get(pg, "title"));
	json_object_set(it, "url", json_object_get(pg, "url"));
	json_object_set(it, "kind", json_object_get(pg, "kind"));
	json_object_set(it, "kind_label", json_object_get(pg, "kind_label"));
	json_object_set(it, "summary", json_object_get(pg, "summary"));
	if (date) {
		json_object_set(it, "date", json_object_get(pg, "date"));
		json_object_set(it, "date_display", json_object_get(pg, "date_display"));
	}
	p->item = it;
}

/*
 * An item as it is now, for embedding in another page's data. Items gain
 * fields until pass 2 is over (a meeting's status), so a page linked
 * before its reference saw fewer fields, and that is kept: the copy is a
 * snapshot. It is shallow, because only an item's own keys change; what
 * they hold (strings, the community reference) never does, and deep
 * copies of those were a tenth of the graph.
 */
static json_t *snapshot(const json_t *item)
{
	return json_copy((json_t *)item);
}

static json_t *item_of(const nb_site *s, const char *id)
{
	long i = nb_site_find(s, id);
	return i < 0 ? NULL : snapshot(s->pages[i].item);
}

const char *nb_site_item_when(const json_t *item)
{
	const char *d = str(item, "date");
	return d ? d : str(item, "sort_date");
}

static int cmp_item_date_desc(const void *a, const void *b)
{
	const char *da = nb_site_item_when(*(json_t *const *)a);
	const char *db = nb_site_item_when(*(json_t *const *)b);
	int c = strcmp(db ? db : "", da ? da : "");
	if (c)
		return c;
	return strcmp(str(*(json_t *const *)a, "url"), str(*(json_t *const *)b, "url"));
}

/* Sort an array of items newest first, ties by URL, so order is stable. */
static void sort_items(json_t *arr)
{
	size_t n = json_array_size(arr);
	if (n < 2)
		return;
	json_t **v = malloc(n * sizeof(json_t *));
	if (!v)
		abort();
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof(json_t *), cmp_item_date_desc);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

static long long int_of(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* A page's community as {id, title, url}: one object per community
 * (refs[ci], made on first use), shared by the pages and items of all its
 * documents, since nothing changes it afterwards. */
static void derive_community_ref(nb_site *s, nb_page *p, json_t **refs)
{
	const char *cid = str(p->doc->meta, "community");
	long ci = nb_site_find(s, cid);
	if (ci < 0 || strcmp(s->pages[ci].doc->kind, "communities"))
		return;
	json_t *c = refs[ci];
	if (!c) {
		c = refs[ci] = json_object();
		set_str(c, "id", cid);
		json_object_set(c, "title", json_object_get(s->pages[ci].page, "title"));
		json_object_set(c, "url", json_object_get(s->pages[ci].page, "url"));
	}
	json_object_set(p->page, "community", c);
	json_object_set(p->item, "community", c);
}

static void copy_strings(json_t *dst, const json_t *src, const char *key)
{
	json_t *v = json_object_get(src, key);
	if (!json_is_array(v))
		return;
	json_t *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		if (json_is_string(e))
			json_array_append(out, e);
		else if (json_is_object(e) && str(e, "name"))
			json_array_append(out, json_object_get(e, "name"));
	}
	json_object_set_new(dst, key, out);
}

static void derive_meeting(nb_site *s, nb_page *p)
{
	json_t *m = p->doc->meta, *pg = p->page;
	set_shared(s, pg, "kind_label", nb_site_label(s, "meeting_kinds", str(m, "kind")));
	const char *st = str(m, "start"), *en = str(m, "end");
	if (st) {
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%s%s%s", st, en ? "–" : "", en ? en : "");
		set_shared(s, pg, "time", nb_buf_cstr(&b));
		nb_buf_free(&b);
	}
	share_str(pg, "location", m, "location");
	share_str(pg, "chair", m, "chair");
	share_str(pg, "recorder", m, "recorder");
	copy_strings(pg, m, "attendees");
	copy_strings(pg, m, "guests");
	copy_strings(pg, m, "agenda");
	json_object_set_new(pg, "attendee_count",
			    json_integer((json_int_t)json_array_size(json_object_get(pg, "attendees"))));
	json_t *absent = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(m, "absent"), i, e) {
		json_t *a = json_object();
		if (json_is_string(e))
			json_object_set(a, "name", e);
		else if (json_is_object(e)) {
			share_str(a, "name", e, "name");
			share_str(a, "reason", e, "reason");
		}
		json_array_append_new(absent, a);
	}
	/* Attendance as minutes state it, present of those expected (应到,
	 * 实到): the attendees and the absent, whoever they are for this kind
	 * of meeting. */
	json_object_set_new(pg, "member_count",
			    json_integer((json_int_t)(json_array_size(json_object_get(pg, "attendees")) +
						      json_array_size(absent))));
	json_object_set_new(pg, "absent", absent);
	/* A meeting after the build's date has not been held: it is
	 * announced, with when and where, and has no minutes to approve. */
	const char *date = str(m, "date");
	const char *status = date && strcmp(date, s->as_of) > 0 ? "upcoming" : str(m, "status");
	if (status) {
		set_shared(s, pg, "status", status);
		set_shared(s, pg, "status_label", nb_site_label(s, "meeting_status", status));
		set_shared(s, p->item, "status", status);
		set_shared(s, p->item, "status_label", nb_site_label(s, "meeting_status", status));
	}
	if (status && !strcmp(status, "upcoming")) {
		json_object_set_new(pg, "upcoming", json_true());
		json_object_set_new(p->item, "upcoming", json_true());
		if (json_object_get(pg, "time"))
			json_object_set(p->item, "time", json_object_get(pg, "time"));
		share_str(p->item, "location", m, "location");
	}
	json_t *ap = item_of(s, str(m, "approved_at"));
	if (ap)
		json_object_set_new(pg, "approved_at", ap);
	json_object_set_new(pg, "decisions", json_array());
	set_shared(s, p->item, "kind_label", nb_site_label(s, "meeting_kinds", str(m, "kind")));
}

/*
 * What the vote decided: `result:` when typed (the checker made sure it
 * agrees with the votes), else what the votes and rule give, else NULL
 * (no votes recorded). One answer for the page, the lists, the status and
 * the exports, so a decision the votes reject is never shown as in force.
 */
static const char *decision_result(const json_t *m)
{
	const char *result = str(m, "result");
	json_t *votes = json_object_get(m, "votes");
	if (result || !json_is_object(votes))
		return result;
	return nb_validate_vote_result(int_of(votes, "for"), int_of(votes, "against"),
				       int_of(votes, "abstain"), str(m, "rule"));
}

/* The ISO date of the day after `iso` into out (32 bytes, room for what
 * the compiler cannot tell is a two-digit month and day): a
 * decision due on the 30th is overdue from the 1st. 0, or -1 when `iso`
 * is not a date. */
static int day_after(char out[32], const char *iso)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	char tail;
	if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
	    y < 1 || y > 9999)
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int last = mdays[m - 1] + (m == 2 && leap);
	if (++d > last) {
		d = 1;
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	snprintf(out, 32, "%04d-%02d-%02d", y % 10000, m, d);
	return 0;
}

/* Only an adopted decision (or one with no vote recorded) is carried out,
 * so only it can be open, overdue or done; NULL for the others. */
static const char *decision_status(const nb_site *s, const json_t *m, const char *result)
{
	if (result && strcmp(result, "adopted"))
		return NULL; /* nothing to carry out */
	json_t *progress = json_object_get(m, "progress");
	size_t n = json_array_size(progress);
	if (n) {
		json_t *last = json_array_get(progress, n - 1);
		if (json_is_true(json_object_get(last, "done")))
			return "done";
	}
	const char *due = str(m, "due");
	if (due && strcmp(due, s->as_of) < 0)
		return "overdue";
	return "open";
}

static void derive_decision(nb_site *s, nb_page *p)
{
	json_t *m = p->doc->meta, *pg = p->page;
	json_t *mt = item_of(s, str(m, "meeting"));
	if (mt)
		json_object_set_new(pg, "meeting", mt);
	set_shared(s, pg, "category_label", nb_site_label(s, "categories", str(m, "category")));
	json_t *votes = json_object_get(m, "votes");
	if (json_is_object(votes)) {
		long long n[3] = { int_of(votes, "for"), int_of(votes, "against"),
				   int_of(votes, "abstain") };
		int pct[3];
		json_t *v = json_object();
		json_object_set_new(v, "for", json_integer(n[0]));
		json_object_set_new(v, "against", json_integer(n[1]));
		json_object_set_new(v, "abstain", json_integer(n[2]));
		json_object_set_new(v, "cast", json_integer(n[0] + n[1] + n[2]));
		/* The same whole per cents in the table, the bar and its text
		 * (votes.h); with no vote cast, no shares at all. */
		if (nb_votes_shares(pct, n, 3) == 0) {
			json_object_set_new(v, "shares", json_true());
			json_object_set_new(v, "for_pct", json_integer(pct[0]));
			json_object_set_new(v, "against_pct", json_integer(pct[1]));
			json_object_set_new(v, "abstain_pct", json_integer(pct[2]));
			json_object_set_new(v, "against_x", json_integer(pct[0]));
			json_object_set_new(v, "abstain_x", json_integer(pct[0] + pct[1]));
		}
		json_object_set_new(pg, "votes", v);
		json_object_set(p->item, "votes", v);
	}
	const char *rule = str(m, "rule");
	set_shared(s, pg, "rule", rule ? rule : "majority");
	set_shared(s, pg, "rule_label", nb_site_label(s, "rules", rule ? rule : "majority"));
	const char *result = decision_result(m);
	if (result) {
		set_shared(s, pg, "result", result);
		set_shared(s, pg, "result_label", nb_site_label(s, "results", result));
		set_shared(s, p->item, "result", result);
		set_shared(s, p->item, "result_label", nb_site_label(s, "results", result));
		char key[64];
		snprintf(key, sizeof(key), "result_%s", result);
		json_object_set_new(pg, key, json_true());
		/* Not carried out: every list tags it so. */
		if (strcmp(result, "adopted"))
			json_object_set_new(p->item, "not_adopted", json_true());
	}
	/* The document number residents and the notice cite (D-2025-001). */
	set_str(pg, "number", p->doc->id);
	set_str(p->item, "number", p->doc->id);
	share_str(pg, "responsible", m, "responsible");
	const char *due = str(m, "due");
	if (due) {
		share_str(pg, "due", m, "due");
		json_object_set_new(pg, "due_display", date_display(s, due));
	}
	if (result && strcmp(result, "adopted")) {
		/* Nobody carries out what was not adopted. */
	} else {
		share_str(p->item, "responsible", m, "responsible");
		if (due) {
			json_object_set(p->item, "due", json_object_get(pg, "due"));
			json_object_set(p->item, "due_display", json_object_get(pg, "due_display"));
		}
	}
	json_t *progress = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(m, "progress"), i, e) {
		json_t *u = json_object();
		const char *dt = str(e, "date");
		share_str(u, "date", e, "date");
		if (dt)
			json_object_set_new(u, "date_display", date_display(s, dt));
		share_str(u, "note", e, "note");
		if (json_is_true(json_object_get(e, "done")))
			json_object_set_new(u, "done", json_true());
		json_array_append_new(progress, u);
	}
	json_object_set_new(pg, "progress", progress);
	const char *status = decision_status(s, m, result);
	if (status) {
		set_shared(s, pg, "status", status);
		set_shared(s, pg, "status_label", nb_site_label(s, "decision_status", status));
		set_shared(s, p->item, "status", status);
		set_shared(s, p->item, "status_label", nb_site_label(s, "decision_status", status));
		char since[32];
		if (!strcmp(status, "overdue") && !day_after(since, due)) {
			json_t *v = date_display(s, since);
			json_object_set(pg, "overdue_since", v);
			json_object_set_new(p->item, "overdue_since", v);
		}
	}
	set_shared(s, pg, "as_of", s->as_of);
	set_date_shared(s, pg, "as_of_display", s->as_of);
	json_t *sup = item_of(s, str(m, "supersedes"));
	if (sup)
		json_object_set_new(pg, "supersedes", sup);
}

/* Internal rates should rise; external counts and cost should fall. */
typedef struct indicator {
	const char *group, *key;
	int higher_better, rate;
} indicator;

static const indicator indicators[] = {
	{ "internal", "informed", 1, 1 },
	{ "internal", "participation", 1, 1 },
	{ "internal", "satisfaction", 1, 1 },
	{ "external", "complaints", 0, 0 },
	{ "external", "cases", 0, 0 },
	{ "external", "admin_cost", 0, 0 },
};
#define N_INDICATORS (sizeof(indicators) / sizeof(indicators[0]))

/* Whether the indicator is a sum of money (in yuan). */
static int indicator_money(const indicator *ind)
{
	return !strcmp(ind->key, "admin_cost");
}

/* An indicator's value as residents read it ("74.0%", "1,234",
 * "196,000 元"), or its change against the previous period with its sign
 * (rates in percentage points: a rate going from 33% to 38% rose by 5
 * points, not by 5%). */
static void format_indicator(const nb_site *s, const indicator *ind, double val, int change,
			     char *buf, size_t n)
{
	nb_buf b = NB_BUF_INIT;
	if (ind->rate && change)
		nb_points_format(&b, s->theme->strings, val);
	else if (ind->rate)
		nb_buf_printf(&b, "%.1f%%", val * 100);
	else if (indicator_money(ind))
		nb_money_format(&b, s->theme->strings, val, change);
	else
		nb_count_format(&b, val, change);
	snprintf(buf, n, "%s", nb_buf_cstr(&b));
	nb_buf_free(&b);
}

/* A period in the site's language: 2025年第一季度 / 2025 Q1. */
static json_t *period_display(const nb_site *s, const char *period)
{
	nb_buf b = NB_BUF_INIT;
	nb_period_format(&b, s->theme->strings, period);
	json_t *v = json_string(nb_buf_cstr(&b));
	nb_buf_free(&b);
	return v;
}

/* The indicator's value in an evaluation's front matter, or NULL. */
static const json_t *indicator_value(const nb_page *p, const indicator *ind)
{
	json_t *v = json_object_get(json_object_get(p->doc->meta, ind->group), ind->key);
	return json_is_number(v) ? v : NULL;
}

static void derive_evaluation(nb_site *s, nb_page *p, const nb_page *prev)
{
	json_t *m = p->doc->meta, *pg = p->page;
	share_str(pg, "period", m, "period");
	json_t *pd = period_display(s, str(m, "period"));
	json_object_set(pg, "period_display", pd);
	share_str(pg, "assessor", m, "assessor");
	json_object_set_new(pg, "respondents",
			    json_integer(int_of(json_object_get(m, "survey"), "respondents")));
	const indicator *ind = indicators;
	json_t *rows = json_array();
	for (size_t i = 0; i < N_INDICATORS; i++) {
		json_t *g = json_object_get(m, ind[i].group);
		json_t *v = json_object_get(g, ind[i].key);
		if (!json_is_number(v))
			continue;
		double val = json_number_value(v);
		json_t *r = json_object();
		set_shared(s, r, "key", ind[i].key);
		set_shared(s, r, "label", nb_site_label(s, "indicators", ind[i].key));
		json_object_set_new(r, "value", json_real(val));
		char buf[96];
		format_indicator(s, &ind[i], val, 0, buf, sizeof(buf));
		set_shared(s, r, "value_display", buf);
		/* The cost means little alone: the district's average beside it. */
		json_t *avg = json_object_get(g, "admin_cost_average");
		if (indicator_money(&ind[i]) && json_is_number(avg)) {
			format_indicator(s, &ind[i], json_number_value(avg), 0, buf, sizeof(buf));
			set_shared(s, r, "average_display", buf);
		}
		json_t *pv = prev ? json_object_get(json_object_get(prev->doc->meta, ind[i].group),
						    ind[i].key) : NULL;
		if (json_is_number(pv)) {
			double delta = val - json_number_value(pv);
			format_indicator(s, &ind[i], delta, 1, buf, sizeof(buf));
			set_shared(s, r, "change_display", buf);
			const char *trend = delta > 1e-9 ? "up" : delta < -1e-9 ? "down" : "same";
			set_shared(s, r, "trend", trend);
			int better = (delta > 1e-9 && ind[i].higher_better) ||
				     (delta < -1e-9 && !ind[i].higher_better);
			if (better)
				json_object_set_new(r, "better", json_true());
			if (!better && strcmp(trend, "same"))
				json_object_set_new(r, "worse", json_true());
		}
		json_array_append_new(rows, r);
	}
	json_object_set_new(pg, "indicators", rows);
	if (prev)
		json_object_set_new(pg, "previous", snapshot(prev->item));
	json_object_set_new(p->item, "status_label", pd);
	/* Lists put evaluations newest first by the end of their period. */
	char end[11];
	if (!nb_period_end(end, str(m, "period")))
		set_shared(s, p->item, "sort_date", end);
}

static void derive_community(nb_site *s, nb_page *p)
{
	json_t *m = p->doc->meta, *pg = p->page;
	share_str(pg, "name", m, "name");
	share_str(pg, "street", m, "street");
	share_str(pg, "type", m, "type");
	set_shared(s, pg, "platform_label", nb_site_label(s, "platforms", str(m, "platform")));
	json_t *committee = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(m, "committee"), i, e) {
		json_t *c = json_object();
		share_str(c, "name", e, "name");
		share_str(c, "role", e, "role");
		share_str(c, "affiliation", e, "affiliation");
		const char *role = str(e, "role");
		int chair = json_is_true(json_object_get(e, "chair")) ||
			    (role && (!strcmp(role, "主任") || !strcmp(role, "主席") ||
				      !strcmp(role, "chair") || !strcmp(role, "召集人")));
		if (chair) {
			json_object_set_new(c, "chair", json_true());
			share_str(pg, "chair", e, "name");
		}
		json_array_append_new(committee, c);
	}
	json_object_set_new(pg, "committee", committee);
	copy_strings(pg, m, "leaders");
	json_object_set_new(pg, "meetings", json_array());
	json_object_set_new(pg, "decisions", json_array());
	json_object_set_new(pg, "evaluations", json_array());
	json_object_set_new(pg, "charters", json_array());
	share_str(p->item, "status_label", m, "type");
}

static int charter_version(const nb_page *p)
{
	return (int)int_of(p->doc->meta, "version");
}

static int same_community(const nb_page *a, const nb_page *b)
{
	const char *x = str(a->doc->meta, "community"), *y = str(b->doc->meta, "community");
	return x && y && !strcmp(x, y);
}

/*
 * The version in force as of the build date: the highest version whose
 * `effective` date has come (or that has none). A version adopted but not
 * yet effective is the latest without being in force, and the page a
 * reader is viewing is a third thing again; the theme gets all three
 * (`is_latest`, `in_force`, `viewing`) rather than one ambiguous flag.
 */
/* The charter pages, in content order: what the charter passes scan,
 * instead of every page once per charter (quadratic in the site). */
typedef struct charter_set {
	const nb_page **v;
	size_t n;
} charter_set;

static void charters_collect(const nb_site *s, charter_set *cs)
{
	cs->n = 0;
	cs->v = calloc(s->len ? s->len : 1, sizeof(*cs->v));
	if (!cs->v)
		abort();
	for (size_t j = 0; j < s->len; j++)
		if (!strcmp(s->pages[j].doc->kind, "charters"))
			cs->v[cs->n++] = &s->pages[j];
}

static const nb_page *charter_in_force(const nb_site *s, const charter_set *cs,
				       const nb_page *p)
{
	const nb_page *best = NULL;
	for (size_t j = 0; j < cs->n; j++) {
		const nb_page *q = cs->v[j];
		if (!same_community(p, q))
			continue;
		const char *eff = str(q->doc->meta, "effective");
		if (eff && strcmp(eff, s->as_of) > 0)
			continue;
		if (!best || charter_version(q) > charter_version(best))
			best = q;
	}
	return best;
}

static const nb_page *charter_of_version(const charter_set *cs, const nb_page *p, int v)
{
	for (size_t j = 0; j < cs->n; j++) {
		const nb_page *q = cs->v[j];
		if (same_community(p, q) && charter_version(q) == v)
			return q;
	}
	return NULL;
}

/* "/charters/huaiyin/v2/changes/" for a charter page's URL. */
static char *changes_url(const nb_page *p)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%schanges/", p->url);
	return nb_buf_detach(&b);
}

static void derive_charters(nb_site *s)
{
	charter_set cs;
	charters_collect(s, &cs);
	/* Versions of one community's charter, oldest first. */
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		if (strcmp(p->doc->kind, "charters"))
			continue;
		const char *cid = str(p->doc->meta, "community");
		const nb_page *force = cid ? charter_in_force(s, &cs, p) : p;
		json_t *versions = json_array();
		int latest = 1, mine = charter_version(p);
		/* One pass for this community's versions, then a stable sort by
		 * version: scanning every page once per possible version number
		 * was the whole build's hot spot at 10,000 documents. */
		size_t nsame = 0;
		const nb_page **same = calloc(cs.n ? cs.n : 1, sizeof(*same));
		if (!same)
			abort();
		for (size_t j = 0; cid && j < cs.n; j++) {
			const nb_page *q = cs.v[j];
			const char *qc = str(q->doc->meta, "community");
			int qv = charter_version(q);
			if (qc && !strcmp(cid, qc) && qv >= 0 && qv < 1000)
				same[nsame++] = q;
		}
		for (size_t a = 1; a < nsame; a++) /* few versions: insertion sort */
			for (size_t b = a; b > 0 && charter_version(same[b - 1]) >
						     charter_version(same[b]); b--) {
				const nb_page *t = same[b];
				same[b] = same[b - 1];
				same[b - 1] = t;
			}
		for (size_t j = 0; j < nsame; j++) {
			{
				const nb_page *q = same[j];
				int v = charter_version(q);
				json_t *e = json_object();
				json_object_set_new(e, "version", json_integer(v));
				json_object_set(e, "url", json_object_get(q->page, "url"));
				json_object_set(e, "title", json_object_get(q->page, "title"));
				const char *eff = str(q->doc->meta, "effective");
				if (eff)
					json_object_set_new(e, "effective_display", date_display(s, eff));
				if (q == p)
					json_object_set_new(e, "viewing", json_true());
				if (q == force) {
					/* `current` kept as the theme's older name for in force. */
					json_object_set_new(e, "in_force", json_true());
					json_object_set_new(e, "current", json_true());
				}
				if (charter_of_version(&cs, q, v - 1)) {
					char *cu = changes_url(q);
					set_str(e, "changes_url", cu);
					free(cu);
				}
				if (v > mine)
					latest = 0;
				json_array_append_new(versions, e);
			}
		}
		free(same);
		json_object_set_new(p->page, "versions", versions);
		json_object_set_new(p->page, "version", json_integer(mine));
		if (latest)
			json_object_set_new(p->page, "is_latest", json_true());
		if (p == force)
			json_object_set_new(p->page, "in_force", json_true());
		else if (force)
			json_object_set_new(p->page, "in_force_version", snapshot(force->item));
		const nb_page *prev = charter_of_version(&cs, p, mine - 1);
		if (prev) {
			char *cu = changes_url(p);
			set_str(p->page, "changes_url", cu);
			free(cu);
			json_object_set_new(p->page, "previous_version", json_integer(mine - 1));
		}
		const char *eff = str(p->doc->meta, "effective");
		if (eff)
			json_object_set_new(p->page, "effective_display", date_display(s, eff));
		json_t *ad = item_of(s, str(p->doc->meta, "adopted_at"));
		if (ad)
			json_object_set_new(p->page, "adopted_at", ad);
		copy_strings(p->page, p->doc->meta, "signatories");
		json_t *arts = nb_markdown_articles(p->doc->body, p->doc->body_len,
						    p->doc->body_line);
		json_t *toc = json_array();
		size_t k;
		json_t *a;
		json_array_foreach(arts, k, a) {
			json_t *e = json_object();
			json_object_set(e, "id", json_object_get(a, "id"));
			json_object_set(e, "title", json_object_get(a, "title"));
			json_array_append_new(toc, e);
		}
		json_object_set_new(p->page, "articles", toc);
		json_decref(arts);
		char label[32];
		snprintf(label, sizeof(label), "v%d", mine);
		set_str(p->item, "status_label", label);
		if (p == force)
			json_object_set_new(p->item, "in_force", json_true());
	}
	free(cs.v);
}

/* Append `item` to array `key` of page `owner`: shared, not copied, since
 * items are final once every page's pass 2 has run (copies were a large
 * part of the graph's memory); derive_reverse's other references to
 * items are shared for the same reason. */
static void push_item(nb_site *s, long owner, const char *key, const json_t *item)
{
	if (owner < 0)
		return;
	json_t *arr = json_object_get(s->pages[owner].page, key);
	if (json_is_array(arr))
		json_array_append(arr, (json_t *)item);
}

static void derive_reverse(nb_site *s)
{
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		const char *kind = p->doc->kind;
		long ci = nb_site_find(s, str(p->doc->meta, "community"));
		if (ci >= 0 && strcmp(s->pages[ci].doc->kind, "communities"))
			ci = -1;
		if (!strcmp(kind, "decisions")) {
			long mi = nb_site_find(s, str(p->doc->meta, "meeting"));
			if (mi >= 0 && !strcmp(s->pages[mi].doc->kind, "meetings"))
				push_item(s, mi, "decisions", p->item);
			long si = nb_site_find(s, str(p->doc->meta, "supersedes"));
			if (si >= 0) {
				json_object_set(s->pages[si].page, "superseded_by", p->item);
			}
			push_item(s, ci, "decisions", p->item);
		} else if (!strcmp(kind, "meetings")) {
			push_item(s, ci, "meetings", p->item);
		} else if (!strcmp(kind, "evaluations")) {
			push_item(s, ci, "evaluations", p->item);
		} else if (!strcmp(kind, "charters")) {
			push_item(s, ci, "charters", p->item);
			if (ci >= 0 && json_object_get(p->page, "in_force"))
				json_object_set(s->pages[ci].page, "charter", p->item);
		}
	}
	for (size_t i = 0; i < s->len; i++) {
		static const char *const lists[] = { "decisions", "meetings", "evaluations", "charters" };
		for (size_t k = 0; k < 4; k++) {
			json_t *arr = json_object_get(s->pages[i].page, lists[k]);
			if (json_is_array(arr))
				sort_items(arr);
		}
	}
}

/*
 * Evaluations with a community and a period, sorted by community, then
 * period, then id; built once at link so that each evaluation's previous
 * period and each community's trend charts look at the community's own
 * evaluations instead of every page (that scan, once per evaluation, made
 * the build quadratic).
 */
typedef struct eval_index {
	const nb_page **v;
	size_t n;
} eval_index;

static int cmp_eval_community(const void *a, const void *b)
{
	const nb_page *x = *(const nb_page *const *)a, *y = *(const nb_page *const *)b;
	int c = strcmp(str(x->doc->meta, "community"), str(y->doc->meta, "community"));
	if (c)
		return c;
	c = strcmp(str(x->doc->meta, "period"), str(y->doc->meta, "period"));
	return c ? c : strcmp(x->doc->id, y->doc->id);
}

static void eval_index_build(const nb_site *s, eval_index *ix)
{
	ix->v = calloc(s->len ? s->len : 1, sizeof(nb_page *));
	if (!ix->v)
		abort();
	ix->n = 0;
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		if (!strcmp(p->doc->kind, "evaluations") && str(p->doc->meta, "community") &&
		    str(p->doc->meta, "period"))
			ix->v[ix->n++] = p;
	}
	qsort(ix->v, ix->n, sizeof(*ix->v), cmp_eval_community);
}

/* The evaluations of community `cid`, oldest period first (ties by id). */
static size_t eval_range(const eval_index *ix, const char *cid, const nb_page *const **out)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(str(ix->v[mid]->doc->meta, "community"), cid) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < ix->n && !strcmp(str(ix->v[end]->doc->meta, "community"), cid))
		end++;
	*out = ix->v + lo;
	return end - lo;
}

/* Evaluations: the same community's closest earlier period (ties: the
 * first in content order). */
static const nb_page *previous_evaluation(const eval_index *ix, const nb_page *p)
{
	const char *cid = str(p->doc->meta, "community");
	const char *period = str(p->doc->meta, "period");
	const nb_page *best = NULL;
	const char *best_period = NULL;
	if (!cid || !period)
		return NULL;
	const nb_page *const *ev;
	size_t n = eval_range(ix, cid, &ev);
	for (size_t i = 0; i < n; i++) {
		const nb_page *q = ev[i];
		const char *qp = str(q->doc->meta, "period");
		/* Same granularity only: a quarter compares with a quarter. */
		if (strlen(qp) != strlen(period) || strcmp(qp, period) >= 0)
			continue;
		int c = best_period ? strcmp(qp, best_period) : 1;
		if (c > 0 || (c == 0 && q < best)) {
			best = q;
			best_period = qp;
		}
	}
	return best;
}

static void build_site_object(nb_site *s)
{
	const nb_config *cfg = s->cfg;
	json_t *site = json_object();
	set_str(site, "title", cfg->title);
	set_str(site, "description", cfg->description);
	set_str(site, "language", cfg->language);
	set_str(site, "base_url", cfg->base_url);
	set_str(site, "base_path", cfg->base_path);
	json_object_set(site, "params", cfg->params);
	set_str(site, "generator", "noticeboard " NB_VERSION);
	json_object_set(site, "alternates", cfg->alternates);
	set_str(site, "as_of", s->as_of);
	json_t *nav = json_array();
	for (size_t k = 0; k < N_KINDS; k++) {
		int any = 0;
		for (size_t i = 0; i < s->len && !any; i++)
			any = !strcmp(s->pages[i].doc->kind, kind_order[k]);
		if (!any || !strcmp(kind_order[k], "pages"))
			continue;
		json_t *e = json_object();
		set_str(e, "kind", kind_order[k]);
		set_str(e, "title", nb_site_label(s, "kinds", kind_order[k]));
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%s%s/", cfg->base_path, kind_order[k]);
		set_str(e, "url", nb_buf_cstr(&b));
		nb_buf_free(&b);
		json_array_append_new(nav, e);
	}
	json_object_set_new(site, "nav", nav);
	json_t *communities = json_array();
	json_t *pages = json_array();
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		if (!strcmp(p->doc->kind, "communities")) {
			json_t *e = json_object();
			set_str(e, "id", p->doc->id);
			json_object_set(e, "title", json_object_get(p->page, "title"));
			json_object_set(e, "url", json_object_get(p->page, "url"));
			set_str(e, "type", str(p->doc->meta, "type"));
			json_object_set(e, "platform_label", json_object_get(p->page, "platform_label"));
			json_object_set(e, "summary", json_object_get(p->page, "summary"));
			json_array_append_new(communities, e);
		} else if (!strcmp(p->doc->kind, "pages")) {
			json_array_append(pages, p->item);
		}
	}
	/* Every page's footer lists the communities, which serves a street of
	 * a few; a district of a hundred would put a hundred links on every
	 * page (a phone screen of them, and every page's size growing with the
	 * district's). Past a dozen the footer links to the list instead. */
	size_t nc = json_array_size(communities);
	json_object_set_new(site, "communities_in_footer",
			    json_boolean(nc <= FOOTER_COMMUNITIES_MAX));
	json_object_set_new(site, "communities_total", json_integer((json_int_t)nc));
	nb_buf cu = NB_BUF_INIT;
	nb_buf_printf(&cu, "%scommunities/", cfg->base_path);
	set_str(site, "communities_url", nb_buf_cstr(&cu));
	nb_buf_free(&cu);
	json_object_set_new(site, "communities", communities);
	json_object_set_new(site, "pages", pages);
	if (json_object_size(cfg->contact)) {
		json_t *contact = json_copy(cfg->contact);
		/* A phone link dials digits only: "0755-2345 6789" -> 075523456789. */
		const char *ph = str(contact, "phone");
		char tel[64];
		size_t n = 0;
		for (const char *c = ph; c && *c && n + 1 < sizeof(tel); c++)
			if ((*c >= '0' && *c <= '9') || (*c == '+' && n == 0))
				tel[n++] = *c;
		tel[n] = 0;
		if (n)
			set_str(contact, "tel", tel);
		json_object_set_new(site, "contact", contact);
	}
	s->site = site;
}

/* ---------- Derived pages: filtered lists and comparisons ----------
 *
 * These pages have no document behind them; they are views of the graph
 * (decisions of 2024, overdue decisions, the street's latest evaluations,
 * what changed between two charter versions). They are plain pages so that
 * filtering needs no script and every view has a URL one can print or
 * send. A derived page never replaces a document's page: when its path is
 * taken (a decision whose id is "2024"), the derived page is left out and
 * so is every link to it, which keeps the build's link check green.
 */

static const char *tstr(const nb_site *s, const char *key, const char *fallback)
{
	const char *v = str(s->theme->strings, key);
	return v ? v : fallback;
}

static json_t *crumb_of(const char *title, const char *url)
{
	json_t *c = json_object();
	set_str(c, "title", title);
	set_str(c, "url", url);
	return c;
}

typedef struct extra_ctx {
	nb_site *s;
	size_t cap;
	json_t *taken;   /* output paths in use: 1 + the document's index, or true */
	nb_diag *d;
} extra_ctx;

static char *site_url(const nb_site *s, const char *rel)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s%s", s->cfg->base_path, rel);
	return nb_buf_detach(&b);
}

/*
 * Register a derived page at `rel` ("decisions/2024/") with breadcrumbs
 * `crumbs` (stolen) followed by the page itself. Returns its page object,
 * or NULL when the path is taken.
 */
static nb_extra_page *add_extra(extra_ctx *x, const char *layout, const char *nav_kind,
				const char *rel, const char *title, json_t *crumbs)
{
	nb_site *s = x->s;
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%sindex.html", rel);
	if (json_object_get(x->taken, nb_buf_cstr(&b))) {
		nb_buf_free(&b);
		json_decref(crumbs);
		return NULL;
	}
	json_object_set_new(x->taken, nb_buf_cstr(&b), json_true());
	if (s->n_extra == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 16;
		s->extra = realloc(s->extra, x->cap * sizeof(nb_extra_page));
		if (!s->extra)
			abort();
	}
	nb_extra_page *e = &s->extra[s->n_extra++];
	e->out_path = nb_buf_detach(&b);
	e->layout = xstrdup(layout);
	e->nav_kind = xstrdup(nav_kind);
	e->list = NULL;
	json_t *pg = json_object();
	set_str(pg, "title", title);
	char *url = site_url(s, rel);
	set_str(pg, "url", url);
	nb_buf_printf(&b, "%s%s", s->cfg->base_url, rel);
	set_str(pg, "permalink", s->cfg->base_url[0] == '/' ? url : nb_buf_cstr(&b));
	nb_buf_free(&b);
	free(url);
	set_str(pg, "kind", nav_kind);
	set_str(pg, "layout", layout);
	json_array_append_new(crumbs, crumb_of(title, NULL));
	json_object_set_new(pg, "breadcrumbs", crumbs);
	e->page = pg;
	return e;
}

/* Breadcrumbs home > the kind's list. */
static json_t *kind_crumbs(const nb_site *s, const char *kind)
{
	json_t *c = json_array();
	json_array_append_new(c, crumb_of(tstr(s, "home", "Home"), s->cfg->base_path));
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s%s/", s->cfg->base_path, kind);
	json_array_append_new(c, crumb_of(nb_site_label(s, "kinds", kind), nb_buf_cstr(&b)));
	nb_buf_free(&b);
	return c;
}

/*
 * Claim the path of page `no` of a list (`rel` its page 1) before a
 * derived page is added there. A document whose id puts it at that path
 * ("page/2" among decisions) would otherwise silently take the page and
 * its items would vanish from the list: that is an error at the document.
 */
static int claim_list_page(extra_ctx *x, const char *rel, size_t no)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, rel);
	nb_paging_rel(&b, no);
	nb_buf_puts(&b, "index.html");
	json_t *by = json_object_get(x->taken, nb_buf_cstr(&b));
	if (json_is_integer(by)) {
		const nb_doc *doc = x->s->pages[json_integer_value(by) - 1].doc;
		int line = 1, col = 1;
		if (json_object_get(doc->meta, "id"))
			nb_yaml_pos(doc->pos, "/id", 0, &line, &col);
		nb_error(x->d, doc->path, line, col, "list-page-taken",
			 "give the document another `id:` (or move the file), so that the list "
			 "keeps its pages",
			 "this document's address %s%s is where page %zu of the list %s%s goes",
			 x->s->cfg->base_path, nb_buf_cstr(&b), no, x->s->cfg->base_path, rel);
		nb_buf_free(&b);
		return -1;
	}
	nb_buf_free(&b);
	return 0;
}

/*
 * Cut the list of derived page `first` (all of its items) into pages:
 * page 1 stays where it is, page N becomes a derived page of its own at
 * `rel`page/N/ with the same title and breadcrumbs.
 */
static void paginate_extra(extra_ctx *x, size_t first, const char *rel, const char *kind)
{
	nb_site *s = x->s;
	json_t *full = s->extra[first].list;
	json_t *title = json_incref(json_object_get(s->extra[first].page, "title"));
	json_t *url = json_incref(json_object_get(s->extra[first].page, "url"));
	size_t ps = s->cfg->page_size;
	size_t total = nb_paging_count(json_array_size(json_object_get(full, "items")), ps);
	nb_paging_page(&s->extra[first].list, full, json_string_value(url), s->theme->strings,
		       ps, 1);
	nb_buf r = NB_BUF_INIT;
	for (size_t no = 2; no <= total; no++) {
		if (claim_list_page(x, rel, no))
			continue;
		nb_buf_clear(&r);
		nb_buf_puts(&r, rel);
		nb_paging_rel(&r, no);
		nb_extra_page *e = add_extra(x, "list", kind, nb_buf_cstr(&r),
					     json_string_value(title), kind_crumbs(s, kind));
		if (e)
			nb_paging_page(&e->list, full, json_string_value(url), s->theme->strings,
				       ps, no);
	}
	nb_buf_free(&r);
	json_decref(title);
	json_decref(url);
	json_decref(full);
}

/* The year a page belongs to in lists: its date, else its period. */
static void page_year(const nb_page *p, char y[5])
{
	const char *d = str(p->doc->meta, "date");
	if (!d)
		d = str(p->doc->meta, "effective");
	if (!d)
		d = str(p->doc->meta, "period");
	y[0] = 0;
	if (d && strlen(d) >= 4 && d[0] >= '0' && d[0] <= '9')
		memcpy(y, d, 4), y[4] = 0;
}

json_t *nb_site_groups_by_year(const json_t *items)
{
	json_t *groups = json_array(), *cur = NULL;
	char year[5] = "";
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *d = nb_site_item_when(it);
		char y[5] = "";
		if (d && strlen(d) >= 4)
			memcpy(y, d, 4);
		if (!cur || strcmp(y, year)) {
			memcpy(year, y, 5);
			cur = json_object();
			set_str(cur, "title", y);
			json_object_set_new(cur, "items", json_array());
			json_array_append_new(groups, cur);
		}
		json_array_append(json_object_get(cur, "items"), it);
	}
	return groups;
}

static int cmp_str_desc(const void *a, const void *b)
{
	return strcmp(*(const char *const *)b, *(const char *const *)a);
}

static int cmp_str_asc(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of a set object, sorted, as a new array of strings. */
static json_t *sorted_keys(json_t *set, int desc)
{
	size_t n = json_object_size(set), k = 0;
	const char **v = calloc(n ? n : 1, sizeof(char *));
	if (!v)
		abort();
	const char *key;
	json_t *val;
	json_object_foreach(set, key, val)
		v[k++] = key;
	qsort(v, n, sizeof(char *), desc ? cmp_str_desc : cmp_str_asc);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, json_string(v[i]));
	free(v);
	return out;
}

/* The value of a filter dimension for a page, or NULL. */
static const char *dim_value(const nb_site *s, const nb_page *p, const char *dim, char y[5])
{
	if (!strcmp(dim, "year")) {
		page_year(p, y);
		return y[0] ? y : NULL;
	}
	if (!strcmp(dim, "community")) {
		const char *c = str(p->doc->meta, "community");
		long ci = nb_site_find(s, c);
		return ci >= 0 && !strcmp(s->pages[ci].doc->kind, "communities") ? c : NULL;
	}
	if (!strcmp(dim, "category"))
		return str(p->doc->meta, "category");
	if (!strcmp(dim, "status")) {
		const char *st = str(p->item, "status");
		if (!st && !strcmp(p->doc->kind, "decisions"))
			return "other";
		return st;
	}
	return NULL;
}

static const char *dim_label(const nb_site *s, const char *kind, const char *dim,
			     const char *value, nb_buf *tmp)
{
	nb_buf_clear(tmp);
	if (!strcmp(dim, "year")) {
		nb_buf_printf(tmp, "%s%s", value, tstr(s, "year_suffix", ""));
		return nb_buf_cstr(tmp);
	}
	if (!strcmp(dim, "community")) {
		long ci = nb_site_find(s, value);
		return ci >= 0 ? str(s->pages[ci].page, "title") : value;
	}
	if (!strcmp(dim, "category"))
		return nb_site_label(s, "categories", value);
	if (!strcmp(kind, "decisions"))
		return !strcmp(value, "other") ? tstr(s, "status_other", "other")
			: nb_site_label(s, "decision_status", value);
	return nb_site_label(s, "meeting_status", value);
}

/* The values of a dimension in display order; `by` is items_by_value's
 * grouping of the same kind and dimension. */
static json_t *dim_values(const nb_site *s, const char *kind, const char *dim, json_t *by)
{
	json_t *out;
	if (!strcmp(dim, "community")) {
		out = json_array();
		for (size_t i = 0; i < s->len; i++)
			if (!strcmp(s->pages[i].doc->kind, "communities"))
				json_array_append_new(out, json_string(s->pages[i].doc->id));
		return out;
	}
	if (!strcmp(dim, "status")) {
		static const char *const dec[] = { "open", "overdue", "done", "other" };
		static const char *const mt[] = { "upcoming", "draft-minutes", "approved" };
		int d = !strcmp(kind, "decisions");
		out = json_array();
		for (size_t i = 0; i < (d ? 4u : 3u); i++)
			json_array_append_new(out, json_string(d ? dec[i] : mt[i]));
		return out;
	}
	/* Any other dimension: the values that occur, which are the keys of
	 * the grouping already made (items_by_value). */
	return sorted_keys(by, !strcmp(dim, "year"));
}

/*
 * Items of `kind` grouped by their value of `dim` (value -> array, newest
 * first), in one pass over the pages: asking once per value scanned every
 * page per community at large sizes. Items are shared, not copied: they
 * are final by the time filters are built.
 */
static json_t *items_by_value(const nb_site *s, const char *kind, const char *dim)
{
	json_t *by = json_object();
	char y[5];
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		if (strcmp(p->doc->kind, kind))
			continue;
		const char *v = dim_value(s, p, dim, y);
		if (!v)
			continue;
		json_t *arr = json_object_get(by, v);
		if (!arr) {
			arr = json_array();
			json_object_set_new(by, v, arr);
		}
		json_array_append(arr, p->item);
	}
	const char *key;
	json_t *arr;
	json_object_foreach(by, key, arr)
		sort_items(arr);
	return by;
}

static size_t kind_count(const nb_site *s, const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < s->len; i++)
		n += !strcmp(s->pages[i].doc->kind, kind);
	return n;
}

/*
 * Mark the option whose url is `url` current, in a copy of the navigation.
 * Every filter page has its own, so only what a mark changes is copied
 * (the marked option, its group, their containers; shallowly) and the
 * rest is shared with `nav`, which stays unmarked: deep copies were
 * 3 MB at 10,000 documents.
 */
static json_t *nav_marked(const json_t *nav, const char *url)
{
	json_t *copy = json_copy((json_t *)nav);
	json_t *all = json_object_get(nav, "all");
	if (url && !strcmp(str(all, "url"), url)) {
		all = json_copy(all);
		json_object_set_new(all, "current", json_true());
		json_object_set_new(copy, "all", all);
	}
	json_t *groups = json_array();
	size_t i, j;
	json_t *g, *o;
	json_array_foreach(json_object_get(nav, "groups"), i, g) {
		json_t *options = NULL;
		json_array_foreach(json_object_get(g, "options"), j, o) {
			if (!url || strcmp(str(o, "url"), url))
				continue;
			if (!options)
				options = json_copy(json_object_get(g, "options"));
			json_t *mark = json_copy(o);
			json_object_set_new(mark, "current", json_true());
			json_array_set_new(options, j, mark);
		}
		if (!options) {
			json_array_append(groups, g);
			continue;
		}
		json_t *mg = json_copy(g);
		json_object_set_new(mg, "options", options);
		json_object_set_new(mg, "active", json_true());
		json_array_append_new(groups, mg);
	}
	json_object_set_new(copy, "groups", groups);
	return copy;
}

/*
 * Filter pages of one kind over the given dimensions, and the navigation
 * shared by the kind's list and its filter pages: one group per dimension,
 * one link per value with its count, the active one marked.
 */
static void kind_filters(extra_ctx *x, const char *kind, const char *const *dims, size_t ndims)
{
	nb_site *s = x->s;
	size_t n_all = kind_count(s, kind);
	if (!n_all)
		return;
	nb_buf rel = NB_BUF_INIT, tmp = NB_BUF_INIT, title = NB_BUF_INIT;
	json_t *nav = json_object();
	json_t *all = json_object();
	char *all_url = site_url(s, "");
	nb_buf_printf(&rel, "%s/", kind);
	free(all_url);
	all_url = site_url(s, nb_buf_cstr(&rel));
	set_str(all, "url", all_url);
	set_str(all, "label", tstr(s, "filter_all", "All"));
	json_object_set_new(all, "count", json_integer((json_int_t)n_all));
	json_object_set_new(nav, "all", all);
	json_t *groups = json_array();
	json_object_set_new(nav, "groups", groups);
	size_t first_extra = s->n_extra;
	for (size_t d = 0; d < ndims; d++) {
		json_t *by = items_by_value(s, kind, dims[d]);
		json_t *values = dim_values(s, kind, dims[d], by);
		json_t *options = json_array();
		size_t i;
		json_t *v;
		json_array_foreach(values, i, v) {
			const char *val = json_string_value(v);
			json_t *items = json_object_get(by, val);
			if (!json_array_size(items))
				continue;
			json_incref(items);
			nb_buf_clear(&rel);
			if (!strcmp(dims[d], "year"))
				nb_buf_printf(&rel, "%s/%s/", kind, val);
			else
				nb_buf_printf(&rel, "%s/%s/%s/", kind, dims[d], val);
			const char *label = dim_label(s, kind, dims[d], val, &tmp);
			nb_buf_clear(&title);
			nb_buf_printf(&title, "%s%s%s", nb_site_label(s, "kinds", kind),
				      tstr(s, "colon", ": "), label);
			nb_extra_page *e = add_extra(x, "list", kind, nb_buf_cstr(&rel),
						     nb_buf_cstr(&title), kind_crumbs(s, kind));
			if (!e) {
				json_decref(items);
				continue;
			}
			json_t *o = json_object();
			set_str(o, "label", label);
			set_str(o, "value", val);
			json_object_set(o, "url", json_object_get(e->page, "url"));
			json_object_set_new(o, "count", json_integer((json_int_t)json_array_size(items)));
			json_array_append_new(options, o);
			json_t *list = json_object();
			set_str(list, "title", nb_buf_cstr(&title));
			set_str(list, "kind", kind);
			set_str(list, "filter_dim", dims[d]);
			set_str(list, "filter_label", label);
			json_object_set_new(list, "count", json_integer((json_int_t)json_array_size(items)));
			json_object_set_new(list, "items", items);
			set_str(list, "all_url", all_url);
			if (!strcmp(kind, "decisions")) {
				set_str(list, "as_of", s->as_of);
				json_object_set_new(list, "as_of_display", date_display(s, s->as_of));
			}
			e->list = list;
			size_t ei = (size_t)(e - s->extra);
			/* Community page links to its own filtered lists. */
			if (!strcmp(dims[d], "community")) {
				long ci = nb_site_find(s, val);
				json_t *lu = json_object_get(s->pages[ci].page, "list_urls");
				if (!lu) {
					lu = json_object();
					json_object_set_new(s->pages[ci].page, "list_urls", lu);
				}
				json_object_set(lu, kind, json_object_get(e->page, "url"));
			}
			paginate_extra(x, ei, nb_buf_cstr(&rel), kind);
		}
		json_decref(values);
		json_decref(by);
		if (json_array_size(options)) {
			json_t *g = json_object();
			set_str(g, "dim", dims[d]);
			nb_buf_clear(&tmp);
			nb_buf_printf(&tmp, "filter_%s", dims[d]);
			set_str(g, "title", tstr(s, nb_buf_cstr(&tmp), dims[d]));
			json_object_set_new(g, "options", options);
			json_array_append_new(groups, g);
		} else {
			json_decref(options);
		}
	}
	for (size_t k = first_extra; k < s->n_extra; k++)
		json_object_set_new(s->extra[k].list, "filter_nav",
				    nav_marked(nav, str(s->extra[k].list, "url")));
	json_object_set_new(s->filters, kind, nav_marked(nav, all_url));
	json_decref(nav);
	free(all_url);
	nb_buf_free(&rel);
	nb_buf_free(&tmp);
	nb_buf_free(&title);
}

/*
 * A community's trends, computed once for all its pages: a line chart per
 * indicator over all periods and the same numbers as a table. Pages differ
 * only in which period is current (emphasised in the charts, marked in the
 * table), so rows and columns are shared json values and each chart is
 * spliced from one drawing (chart.h nb_chart_splice) instead of redrawn:
 * redrawing every period's charts on every evaluation page was a third of
 * the build.
 */
typedef struct nb_trends {
	const nb_page **ev;       /* owned copy: the index is gone by render time */
	size_t n;
	json_t *columns;          /* shared by every page */
	json_t **rows;            /* per period, without `current` */
	json_t *labels[N_INDICATORS], *keys[N_INDICATORS];
	int drawn[N_INDICATORS];  /* the indicator has a chart */
	size_t *pt[N_INDICATORS]; /* period index -> point index, or SIZE_MAX */
	nb_chart_splice sp[N_INDICATORS];
} trends_cache;

static int trends_cache_init(nb_site *s, const eval_index *ix, const char *cid,
			     const char *ctitle, trends_cache *tc)
{
	memset(tc, 0, sizeof(*tc));
	const nb_page *const *ev;
	size_t n = eval_range(ix, cid, &ev);
	if (!n)
		return 0;
	tc->n = n;
	tc->ev = malloc(n * sizeof(*tc->ev));
	if (!tc->ev)
		abort();
	memcpy(tc->ev, ev, n * sizeof(*tc->ev));
	tc->columns = json_array();
	tc->rows = calloc(n, sizeof(json_t *));
	nb_chart_point *pts = calloc(n, sizeof(nb_chart_point));
	char (*disp)[48] = calloc(n, sizeof(*disp));
	char (*axis)[48] = calloc(n, sizeof(*axis));
	if (!tc->rows || !pts || !disp || !axis)
		abort();
	nb_buf ab = NB_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		nb_buf_clear(&ab);
		nb_period_format_short(&ab, s->theme->strings, str(tc->ev[i]->doc->meta, "period"));
		snprintf(axis[i], sizeof(axis[i]), "%s", nb_buf_cstr(&ab));
		json_t *r = json_object();
		json_object_set(r, "period", json_object_get(tc->ev[i]->page, "period_display"));
		json_object_set(r, "url", json_object_get(tc->ev[i]->page, "url"));
		json_object_set_new(r, "cells", json_array());
		tc->rows[i] = r;
	}
	nb_buf t = NB_BUF_INIT;
	for (size_t k = 0; k < N_INDICATORS; k++) {
		const indicator *ind = &indicators[k];
		size_t m = 0;
		tc->pt[k] = malloc(n * sizeof(size_t));
		if (!tc->pt[k])
			abort();
		for (size_t i = 0; i < n; i++) {
			const json_t *v = indicator_value(tc->ev[i], ind);
			json_t *cell = json_object();
			tc->pt[k][i] = SIZE_MAX;
			if (v) {
				format_indicator(s, ind, json_number_value(v), 0, disp[m], sizeof(disp[m]));
				set_shared(s, cell, "display", disp[m]);
				pts[m] = (nb_chart_point){ str(tc->rows[i], "period"),
							   json_number_value(v), disp[m], 0,
							   axis[i] };
				tc->pt[k][i] = m++;
			}
			json_array_append_new(json_object_get(tc->rows[i], "cells"), cell);
		}
		const char *label = nb_site_label(s, "indicators", ind->key);
		tc->labels[k] = json_string(label);
		tc->keys[k] = json_string(ind->key);
		json_t *col = json_object();
		json_object_set(col, "label", tc->labels[k]);
		json_array_append_new(tc->columns, col);
		if (!m)
			continue;
		nb_buf_clear(&t);
		nb_buf_printf(&t, "%s%s%s", label, tstr(s, "colon", ": "), ctitle);
		nb_chart_opts o = { nb_buf_cstr(&t), NULL, ind->rate ? 1.0 : 0 };
		nb_chart_line_splice(pts, m, &o, &tc->sp[k]);
		tc->drawn[k] = 1;
	}
	nb_buf_free(&t);
	nb_buf_free(&ab);
	free(pts);
	free(disp);
	free(axis);
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
	json_decref(tc->columns);
	for (size_t k = 0; k < N_INDICATORS; k++) {
		json_decref(tc->labels[k]);
		json_decref(tc->keys[k]);
		free(tc->pt[k]);
		if (tc->drawn[k])
			nb_chart_splice_free(&tc->sp[k]);
	}
	memset(tc, 0, sizeof(*tc));
}

/* The `trends` object of a page with `current` (may be NULL) emphasised. */
static json_t *trends_for(const trends_cache *tc, const nb_page *current)
{
	size_t cur = SIZE_MAX;
	for (size_t i = 0; i < tc->n && current; i++)
		if (tc->ev[i] == current)
			cur = i;
	json_t *tr = json_object(), *charts = json_array(), *rows = json_array();
	for (size_t i = 0; i < tc->n; i++) {
		if (i == cur) {
			json_t *r = json_copy(tc->rows[i]);
			json_object_set_new(r, "current", json_true());
			json_array_append_new(rows, r);
		} else {
			json_array_append(rows, tc->rows[i]);
		}
	}
	nb_buf b = NB_BUF_INIT;
	for (size_t k = 0; k < N_INDICATORS; k++) {
		if (!tc->drawn[k])
			continue;
		nb_buf_clear(&b);
		nb_chart_splice_emit(&tc->sp[k], cur == SIZE_MAX ? SIZE_MAX : tc->pt[k][cur], &b);
		json_t *c = json_object();
		json_object_set(c, "key", tc->keys[k]);
		json_object_set(c, "label", tc->labels[k]);
		json_object_set_new(c, "svg", json_stringn_nocheck(b.ptr, b.len)); /* ours, valid UTF-8 */
		if (indicators[k].higher_better)
			json_object_set_new(c, "higher_better", json_true());
		json_array_append_new(charts, c);
	}
	nb_buf_free(&b);
	json_object_set_new(tr, "charts", charts);
	json_object_set(tr, "columns", tc->columns);
	json_object_set_new(tr, "rows", rows);
	json_object_set_new(tr, "count", json_integer((json_int_t)tc->n));
	return tr;
}

/* The street-level view: each community's latest evaluation side by side. */
static void evaluations_compare(extra_ctx *x, const eval_index *ix)
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
		size_t k = eval_range(ix, s->pages[i].doc->id, &ev);
		if (k)
			latest[n++] = ev[k - 1];
	}
	if (!n) {
		free(latest);
		return;
	}
	const char *title = tstr(s, "compare_title", "Communities compared");
	nb_extra_page *e = add_extra(x, "list", "evaluations", "evaluations/compare/", title,
				     kind_crumbs(s, "evaluations"));
	if (!e) {
		free(latest);
		return;
	}
	json_t *cmp = json_object(), *columns = json_array(), *rows = json_array();
	json_t *charts = json_array();
	nb_chart_point *pts = calloc(n, sizeof(nb_chart_point));
	char (*disp)[48] = calloc(n, sizeof(*disp));
	if (!pts || !disp)
		abort();
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_object();
		json_object_set(r, "community", json_object_get(latest[i]->page, "community"));
		json_object_set(r, "period", json_object_get(latest[i]->page, "period_display"));
		json_object_set(r, "url", json_object_get(latest[i]->page, "url"));
		json_object_set_new(r, "cells", json_array());
		json_array_append_new(rows, r);
	}
	nb_buf b = NB_BUF_INIT, t = NB_BUF_INIT;
	for (size_t k = 0; k < N_INDICATORS; k++) {
		const indicator *ind = &indicators[k];
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			const json_t *v = indicator_value(latest[i], ind);
			json_t *cell = json_object();
			if (v) {
				format_indicator(s, ind, json_number_value(v), 0, disp[m], sizeof(disp[m]));
				set_str(cell, "display", disp[m]);
				const char *cname = str(json_object_get(latest[i]->page, "community"), "title");
				pts[m] = (nb_chart_point){ cname ? cname : latest[i]->doc->id,
							   json_number_value(v), disp[m], 0, NULL };
				m++;
			}
			json_array_append_new(json_object_get(json_array_get(rows, i), "cells"), cell);
		}
		const char *label = nb_site_label(s, "indicators", ind->key);
		json_t *col = json_object();
		set_str(col, "label", label);
		json_array_append_new(columns, col);
		if (!m)
			continue;
		nb_buf_clear(&t);
		nb_buf_printf(&t, "%s%s%s", label, tstr(s, "colon", ": "), title);
		nb_chart_opts o = { nb_buf_cstr(&t), NULL, ind->rate ? 1.0 : 0 };
		nb_buf_clear(&b);
		nb_chart_bars(pts, m, &o, &b);
		json_t *c = json_object();
		set_str(c, "key", ind->key);
		set_str(c, "label", label);
		set_str(c, "svg", nb_buf_cstr(&b));
		json_array_append_new(charts, c);
	}
	nb_buf_free(&b);
	nb_buf_free(&t);
	free(pts);
	free(disp);
	free(latest);
	json_object_set_new(cmp, "columns", columns);
	json_object_set_new(cmp, "rows", rows);
	json_object_set_new(cmp, "charts", charts);
	json_t *list = json_object();
	set_str(list, "title", title);
	set_str(list, "kind", "evaluations");
	json_object_set_new(list, "count", json_integer((json_int_t)n));
	json_object_set_new(list, "compare", cmp);
	json_object_set_new(list, "items", json_array());
	json_object_set_new(list, "groups", json_array());
	e->list = list;
	json_t *le = json_object();
	json_object_set(le, "compare_url", json_object_get(e->page, "url"));
	json_object_set_new(s->list_extra, "evaluations", le);
	for (size_t i = 0; i < s->len; i++)
		if (!strcmp(s->pages[i].doc->kind, "evaluations"))
			json_object_set(s->pages[i].page, "compare_url", json_object_get(e->page, "url"));
}

/* Decisions of a community grouped by status, in the order residents act on. */
static json_t *decisions_by_status(const nb_site *s, const json_t *decisions)
{
	static const char *const order[] = { "overdue", "open", "done", "other" };
	json_t *groups = json_array();
	for (size_t k = 0; k < 4; k++) {
		json_t *items = json_array();
		size_t i;
		json_t *it;
		json_array_foreach(decisions, i, it) {
			const char *st = str(it, "status");
			if ((st && !strcmp(st, order[k])) || (!st && k == 3))
				json_array_append(items, it);
		}
		if (!json_array_size(items)) {
			json_decref(items);
			continue;
		}
		json_t *g = json_object();
		set_str(g, "status", order[k]);
		set_str(g, "title", k == 3 ? tstr(s, "status_other", "other")
					   : nb_site_label(s, "decision_status", order[k]));
		json_object_set_new(g, "count", json_integer((json_int_t)json_array_size(items)));
		json_object_set_new(g, "items", items);
		json_array_append_new(groups, g);
	}
	return groups;
}

/* The drawing slot of community `cid` titled `ctitle`, made on first use;
 * 0 when the community has no evaluation with a period. `slot` maps
 * "cid\x1ftitle" to 1 + index: a page whose community is titled otherwise
 * (a missing community document) gets a drawing of its own. */
static size_t trends_slot(nb_site *s, const eval_index *ix, json_t *slot, const char *cid,
			  const char *ctitle, size_t *cap)
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
		if (trends_cache_init(s, ix, cid, ctitle, &s->trends[s->n_trends]))
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
 * documents). Pages keep the slot of their community's drawing and the
 * render stage splices the charts into the page's context
 * (nb_site_page_trends) while the page is in flight.
 */
static void derive_trends(nb_site *s, const eval_index *ix)
{
	size_t cap = 0;
	json_t *slot = json_object();
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		if (!strcmp(p->doc->kind, "communities")) {
			p->trends = trends_slot(s, ix, slot, p->doc->id, str(p->page, "title"), &cap);
			json_object_set_new(p->page, "decisions_by_status",
					    decisions_by_status(s, json_object_get(p->page, "decisions")));
			set_shared(s, p->page, "as_of", s->as_of);
			set_date_shared(s, p->page, "as_of_display", s->as_of);
		} else if (!strcmp(p->doc->kind, "evaluations")) {
			const char *cid = str(p->doc->meta, "community");
			if (!cid)
				continue;
			const char *ct = str(json_object_get(p->page, "community"), "title");
			p->trends = trends_slot(s, ix, slot, cid, ct ? ct : cid, &cap);
		}
	}
	json_decref(slot);
}

json_t *nb_site_page_trends(const nb_site *s, const nb_page *p)
{
	if (!p->trends)
		return NULL;
	const trends_cache *tc = &s->trends[p->trends - 1];
	return trends_for(tc, strcmp(p->doc->kind, "communities") ? p : NULL);
}

void nb_site_each_shared(const nb_site *s, void (*fn)(void *ud, const json_t *v), void *ud)
{
	for (size_t i = 0; i < s->len; i++)
		fn(ud, s->pages[i].item);
	for (size_t i = 0; i < s->n_trends; i++) {
		const trends_cache *tc = &s->trends[i];
		fn(ud, tc->columns);
		for (size_t r = 0; r < tc->n; r++)
			fn(ud, tc->rows[r]);
	}
}

/* ---- charter comparison ---- */

/* An article's title without its number: "第五条 公共秩序" -> "公共秩序". */
static const char *title_rest(const json_t *a)
{
	const char *t = str(a, "title"), *num = str(a, "number");
	if (!t)
		return "";
	size_t nl = num ? strlen(num) : 0;
	if (nl && !strncmp(t, num, nl))
		t += nl;
	for (;;) {
		if (*t == ' ' || *t == '\t')
			t++;
		else if (!strncmp(t, "\xe3\x80\x80", 3)) /* U+3000 ideographic space */
			t += 3;
		else
			break;
	}
	return t;
}

/* Article text without surrounding blank lines. */
static void article_text(const json_t *a, const char **p, size_t *len)
{
	const char *t = str(a, "text");
	if (!t)
		t = "";
	size_t n = strlen(t);
	while (n && (*t == '\n' || *t == ' ' || *t == '\r'))
		t++, n--;
	while (n && (t[n - 1] == '\n' || t[n - 1] == ' ' || t[n - 1] == '\r'))
		n--;
	*p = t;
	*len = n;
}

static json_t *article_ref(const nb_page *p, const json_t *a)
{
	json_t *r = json_object();
	set_str(r, "id", str(a, "id"));
	set_str(r, "title", str(a, "title"));
	set_str(r, "number", str(a, "number"));
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s#%s", p->url, str(a, "id") ? str(a, "id") : "");
	set_str(r, "url", nb_buf_cstr(&b));
	nb_buf_clear(&b);
	const char *t;
	size_t n;
	article_text(a, &t, &n);
	nb_buf_put_html(&b, t, n);
	set_str(r, "text_html", nb_buf_cstr(&b));
	nb_buf_free(&b);
	return r;
}

static void push_to(json_t *cmp, const char *key, json_t *v)
{
	json_array_append_new(json_object_get(cmp, key), v);
}

/*
 * Match the articles of two versions: first by title text after the
 * number (a renumbered article keeps its title: v1 第七条 文明养犬 is v2
 * 第九条 文明养犬), then, among those left, by number (an article whose
 * title was reworded keeps its place). What is left is added or removed.
 */
static json_t *compare_articles(const nb_site *s, const nb_page *oldp, const nb_page *newp)
{
	json_t *ao = nb_markdown_articles(oldp->doc->body, oldp->doc->body_len,
					  oldp->doc->body_line);
	json_t *an = nb_markdown_articles(newp->doc->body, newp->doc->body_len,
					  newp->doc->body_line);
	size_t no = json_array_size(ao), nn = json_array_size(an);
	long *match_new = malloc((nn ? nn : 1) * sizeof(long));
	char *used_old = calloc(no ? no : 1, 1);
	if (!match_new || !used_old)
		abort();
	for (size_t j = 0; j < nn; j++) {
		match_new[j] = -1;
		const char *rj = title_rest(json_array_get(an, j));
		for (size_t i = 0; i < no && *rj; i++) {
			if (!used_old[i] && !strcmp(rj, title_rest(json_array_get(ao, i)))) {
				match_new[j] = (long)i;
				used_old[i] = 1;
				break;
			}
		}
	}
	for (size_t j = 0; j < nn; j++) {
		const char *nj = str(json_array_get(an, j), "number");
		for (size_t i = 0; i < no && match_new[j] < 0 && nj && *nj; i++) {
			const char *ni = str(json_array_get(ao, i), "number");
			if (!used_old[i] && ni && !strcmp(nj, ni)) {
				match_new[j] = (long)i;
				used_old[i] = 1;
			}
		}
	}
	json_t *cmp = json_object();
	json_object_set_new(cmp, "added", json_array());
	json_object_set_new(cmp, "removed", json_array());
	json_object_set_new(cmp, "changed", json_array());
	json_object_set_new(cmp, "unchanged", json_array());
	const char *dl = tstr(s, "diff_deleted", "deleted: ");
	const char *il = tstr(s, "diff_inserted", "inserted: ");
	for (size_t j = 0; j < nn; j++) {
		json_t *a = json_array_get(an, j);
		if (match_new[j] < 0) {
			push_to(cmp, "added", article_ref(newp, a));
			continue;
		}
		json_t *o = json_array_get(ao, (size_t)match_new[j]);
		json_t *r = article_ref(newp, a);
		json_t *old = article_ref(oldp, o);
		json_object_set_new(r, "old", old);
		const char *num_o = str(o, "number"), *num_n = str(a, "number");
		if (num_o && num_n && strcmp(num_o, num_n))
			json_object_set_new(r, "renumbered", json_true());
		const char *to, *tn;
		size_t lo, ln;
		article_text(o, &to, &lo);
		article_text(a, &tn, &ln);
		int same_title = !strcmp(title_rest(o), title_rest(a));
		if (same_title && lo == ln && !memcmp(to, tn, lo)) {
			push_to(cmp, "unchanged", r);
			continue;
		}
		nb_diff d;
		nb_buf h = NB_BUF_INIT;
		if (!same_title) {
			const char *ot = str(o, "title"), *nt = str(a, "title");
			nb_chardiff(ot, strlen(ot), nt, strlen(nt), &d);
			nb_diff_html(&d, dl, il, &h);
			set_str(r, "title_diff_html", nb_buf_cstr(&h));
			nb_diff_free(&d);
			nb_buf_clear(&h);
		}
		nb_chardiff(to, lo, tn, ln, &d);
		nb_diff_html(&d, dl, il, &h);
		set_str(r, "diff_html", nb_buf_cstr(&h));
		json_object_set_new(r, "deleted_chars", json_integer((json_int_t)d.deleted));
		json_object_set_new(r, "inserted_chars", json_integer((json_int_t)d.inserted));
		if (!d.deleted && !d.inserted)
			json_object_set_new(r, "title_only", json_true());
		nb_diff_free(&d);
		nb_buf_free(&h);
		push_to(cmp, "changed", r);
	}
	for (size_t i = 0; i < no; i++)
		if (!used_old[i])
			push_to(cmp, "removed", article_ref(oldp, json_array_get(ao, i)));
	static const char *const keys[] = { "added", "removed", "changed", "unchanged" };
	json_t *counts = json_object();
	for (size_t k = 0; k < 4; k++)
		json_object_set_new(counts, keys[k],
				    json_integer((json_int_t)json_array_size(json_object_get(cmp, keys[k]))));
	json_object_set_new(cmp, "counts", counts);
	free(match_new);
	free(used_old);
	json_decref(ao);
	json_decref(an);
	return cmp;
}

static void charter_comparisons(extra_ctx *x)
{
	nb_site *s = x->s;
	charter_set cs;
	charters_collect(s, &cs);
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		const char *cu = str(p->page, "changes_url");
		if (strcmp(p->doc->kind, "charters") || !cu)
			continue;
		int v = charter_version(p);
		const nb_page *prev = charter_of_version(&cs, p, v - 1);
		nb_buf t = NB_BUF_INIT;
		nb_buf_printf(&t, "%s%s%s%d%s%s", str(p->page, "title"), tstr(s, "title_sep", " · "),
			      tstr(s, "version_prefix", "v"), v, tstr(s, "version_suffix", ""),
			      tstr(s, "changes_title", " changes"));
		json_t *crumbs = kind_crumbs(s, "charters");
		json_array_append_new(crumbs, crumb_of(str(p->page, "title"), p->url));
		/* changes_url carries the base path; the derived page wants it relative. */
		const char *rel = cu + strlen(s->cfg->base_path);
		nb_extra_page *e = add_extra(x, "charter-compare", "charters", rel, nb_buf_cstr(&t),
					     crumbs);
		nb_buf_free(&t);
		if (!e) {
			json_object_del(p->page, "changes_url");
			continue;
		}
		json_t *pg = e->page;
		json_object_set(pg, "community", json_object_get(p->page, "community"));
		json_object_set(pg, "charter_title", json_object_get(p->page, "title"));
		json_t *nv = json_object(), *ov = json_object();
		json_object_set_new(nv, "version", json_integer(v));
		json_object_set(nv, "url", json_object_get(p->page, "url"));
		json_object_set(nv, "effective_display", json_object_get(p->page, "effective_display"));
		json_object_set_new(ov, "version", json_integer(v - 1));
		json_object_set(ov, "url", json_object_get(prev->page, "url"));
		const char *eff = str(prev->doc->meta, "effective");
		if (eff)
			json_object_set_new(ov, "effective_display", date_display(s, eff));
		json_object_set_new(pg, "new", nv);
		json_object_set_new(pg, "old", ov);
		json_t *vs = json_deep_copy(json_object_get(p->page, "versions"));
		size_t k;
		json_t *ve;
		json_array_foreach(vs, k, ve)
			json_object_del(ve, "viewing");
		json_object_set_new(pg, "versions", vs);
		json_object_set(pg, "description", json_object_get(p->page, "summary"));
		json_object_set_new(pg, "compare", compare_articles(s, prev, p));
	}
	free(cs.v);
}

typedef struct kind_key {
	json_t *item;
	const char *date;
	size_t pos;
} kind_key;

/* Date descending, ties in content order. */
static int cmp_kind_key(const void *a, const void *b)
{
	const kind_key *p = a, *q = b;
	int c = strcmp(q->date ? q->date : "", p->date ? p->date : "");
	if (c)
		return c;
	return p->pos < q->pos ? -1 : p->pos > q->pos;
}

/* Items of one kind, newest first (evaluations by the end of their
 * period); undated ones keep content (path) order. A stable O(n log n)
 * sort: insertion sort was quadratic in the size of a kind (25,000
 * meetings at 50,000 documents). */
static json_t *kind_items(const nb_site *s, const char *kind)
{
	size_t n = kind_count(s, kind), k = 0;
	kind_key *keys = calloc(n ? n : 1, sizeof(*keys));
	if (!keys)
		abort();
	for (size_t i = 0; i < s->len; i++) {
		if (strcmp(s->pages[i].doc->kind, kind))
			continue;
		keys[k].item = s->pages[i].item;
		keys[k].date = nb_site_item_when(keys[k].item);
		keys[k].pos = k;
		k++;
	}
	qsort(keys, n, sizeof(*keys), cmp_kind_key);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(items, keys[i].item);
	free(keys);
	return items;
}

/* Cut an array of items to its first `max` (the newest). */
static void truncate_items(json_t *arr, size_t max)
{
	while (json_array_size(arr) > max)
		json_array_remove(arr, json_array_size(arr) - 1);
}

/*
 * A community page lists its documents newest first, at most a list
 * page's worth of each, and links to its filtered list for the rest
 * (paged there): a community with years of minutes made a page of
 * megabytes. `truncated.<kind>` tells the template that the list goes on.
 */
static void community_lists_cut(nb_site *s)
{
	static const char *const keys[] = { "meetings", "decisions", "evaluations" };
	size_t ps = s->cfg->page_size;
	for (size_t i = 0; i < s->len; i++) {
		json_t *pg = s->pages[i].page;
		if (strcmp(s->pages[i].doc->kind, "communities"))
			continue;
		json_t *cut = json_object();
		for (size_t k = 0; k < 3; k++) {
			json_t *arr = json_object_get(pg, keys[k]);
			if (json_array_size(arr) <= ps)
				continue;
			json_object_set_new(cut, keys[k], json_true());
			truncate_items(arr, ps);
		}
		size_t g;
		json_t *grp;
		json_array_foreach(json_object_get(pg, "decisions_by_status"), g, grp) {
			json_t *items = json_object_get(grp, "items");
			if (json_array_size(items) > ps) {
				json_object_set_new(grp, "truncated", json_true());
				truncate_items(items, ps);
			}
		}
		json_object_set_new(pg, "page_size", json_integer((json_int_t)ps));
		json_object_set_new(pg, "truncated", cut);
	}
}

static void derive_extras(nb_site *s, const eval_index *ix, nb_diag *d)
{
	extra_ctx x = { s, 0, json_object(), d };
	for (size_t i = 0; i < s->len; i++)
		json_object_set_new(x.taken, s->pages[i].out_path, json_integer((json_int_t)i + 1));
	/* The kinds' own lists, rendered (and paged) by the render stage. */
	s->lists = json_object();
	for (size_t k = 0; k < N_KINDS; k++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "%s/index.html", kind_order[k]);
		json_object_set_new(x.taken, rel, json_true());
		size_t n = kind_count(s, kind_order[k]);
		if (!n)
			continue;
		json_object_set_new(s->lists, kind_order[k], kind_items(s, kind_order[k]));
		snprintf(rel, sizeof(rel), "%s/", kind_order[k]);
		size_t total = nb_paging_count(n, s->cfg->page_size);
		for (size_t no = 2; no <= total; no++) {
			if (claim_list_page(&x, rel, no))
				continue;
			nb_buf b = NB_BUF_INIT;
			nb_buf_puts(&b, rel);
			nb_paging_rel(&b, no);
			nb_buf_puts(&b, "index.html");
			json_object_set_new(x.taken, nb_buf_cstr(&b), json_true());
			nb_buf_free(&b);
		}
	}
	s->filters = json_object();
	s->list_extra = json_object();
	charter_comparisons(&x);
	static const char *const mdims[] = { "year", "community", "status" };
	static const char *const ddims[] = { "year", "community", "category", "status" };
	static const char *const edims[] = { "year", "community" };
	kind_filters(&x, "meetings", mdims, 3);
	kind_filters(&x, "decisions", ddims, 4);
	evaluations_compare(&x, ix);
	kind_filters(&x, "evaluations", edims, 2);
	json_decref(x.taken);
}

int nb_site_reads_body(const char *kind)
{
	return !strcmp(kind, "charters");
}

int nb_site_link(nb_site *s, const nb_config *cfg, const nb_content *c,
		 const nb_theme *theme, const nb_site_opts *o, nb_diag *d)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->theme = theme;
	s->drafts = o && o->drafts;
	if (o && o->as_of) {
		snprintf(s->as_of, sizeof(s->as_of), "%s", o->as_of);
	} else {
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(s->as_of, sizeof(s->as_of), "%Y-%m-%d", &tm);
	}
	size_t before = d->errors;
	s->pages = calloc(c->len ? c->len : 1, sizeof(nb_page));
	if (!s->pages)
		abort();
	s->by_id = json_object();
	s->shared = json_object();
	for (size_t i = 0; i < c->len; i++) {
		const nb_doc *doc = &c->docs[i];
		if (!doc->ok || (doc->draft && !s->drafts))
			continue;
		json_object_set_new(s->by_id, doc->id, json_integer((json_int_t)s->len));
		s->pages[s->len++].doc = doc;
	}
	for (size_t i = 0; i < s->len; i++)
		page_init(s, &s->pages[i], d);
	json_t **refs = calloc(s->len ? s->len : 1, sizeof(json_t *));
	if (!refs)
		abort();
	for (size_t i = 0; i < s->len; i++)
		derive_community_ref(s, &s->pages[i], refs);
	for (size_t i = 0; i < s->len; i++)
		json_decref(refs[i]);
	free(refs);
	eval_index ix;
	eval_index_build(s, &ix);
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		if (!strcmp(p->doc->kind, "meetings"))
			derive_meeting(s, p);
		else if (!strcmp(p->doc->kind, "decisions"))
			derive_decision(s, p);
		else if (!strcmp(p->doc->kind, "evaluations"))
			derive_evaluation(s, p, previous_evaluation(&ix, p));
		else if (!strcmp(p->doc->kind, "communities"))
			derive_community(s, p);
	}
	derive_charters(s);
	derive_reverse(s);
	derive_trends(s, &ix);
	derive_extras(s, &ix, d);
	community_lists_cut(s);
	free(ix.v);
	build_site_object(s);
	nb_attach_link(s, c, d);
	nb_notice_link(s, d);
	nb_history_link(s, o ? o->history : NULL);
	json_decref(s->shared); /* the values live on where they are used */
	s->shared = NULL;
	return d->errors > before ? -1 : 0;
}

void nb_site_free(nb_site *s)
{
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		free(p->url);
		free(p->out_path);
		free(p->layout);
		json_decref(p->page);
		json_decref(p->item);
	}
	free(s->pages);
	for (size_t i = 0; i < s->n_extra; i++) {
		nb_extra_page *e = &s->extra[i];
		free(e->layout);
		free(e->out_path);
		free(e->nav_kind);
		json_decref(e->page);
		json_decref(e->list);
	}
	free(s->extra);
	for (size_t i = 0; i < s->n_trends; i++)
		trends_cache_free(&s->trends[i]);
	free(s->trends);
	json_decref(s->filters);
	json_decref(s->list_extra);
	json_decref(s->lists);
	json_decref(s->history);
	json_decref(s->attachments);
	json_decref(s->attached);
	json_decref(s->by_id);
	json_decref(s->site);
	memset(s, 0, sizeof(*s));
}

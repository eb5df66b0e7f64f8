/*
 * site.c - the link stage; see site.h.
 *
 * Work is done in passes over the published pages, each pass reading only
 * what earlier passes produced:
 *   1. URL, layout, Markdown body (HTML, table of contents, plain text) and
 *      the list-item form of every page;
 *   2. per-kind derived data that needs other pages (references resolved to
 *      items, reverse links such as a meeting's decisions);
 *   3. the site-wide `site` object (navigation, communities).
 * Validation has already run, so lookups that fail here just leave a field
 * out rather than report: the checker owns error messages.
 */
#include "site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "markdown.h"
#include "utf8.h"

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

static json_t *date_display(const nb_site *s, const char *iso)
{
	nb_buf b = NB_BUF_INIT;
	nb_site_date(s, iso, &b);
	json_t *v = json_string(nb_buf_cstr(&b));
	nb_buf_free(&b);
	return v;
}

static void set_str(json_t *obj, const char *key, const char *v)
{
	if (v)
		json_object_set_new(obj, key, json_string(v));
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

/* Pass 1: what a page is by itself. */
static void page_init(nb_site *s, nb_page *p, const nb_doc *doc, nb_diag *d)
{
	const nb_config *cfg = s->cfg;
	p->doc = doc;
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s%s/%s/", cfg->base_path, doc->kind, doc->id);
	p->url = nb_buf_detach(&b);
	nb_buf_printf(&b, "%s/%s/index.html", doc->kind, doc->id);
	p->out_path = nb_buf_detach(&b);

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

	nb_markdown_opts mo = { cfg->unsafe_html };
	nb_buf html = NB_BUF_INIT, text = NB_BUF_INIT;
	nb_markdown_render(doc->body, doc->body_len, &mo, &html, &p->toc, &text);
	p->html = nb_buf_detach(&html);
	p->text = nb_buf_detach(&text);
	if (!p->toc)
		p->toc = json_array();

	json_t *pg = json_object();
	const char *title = str(doc->meta, "title");
	set_str(pg, "title", title ? title : doc->id);
	set_str(pg, "id", doc->id);
	set_str(pg, "kind", doc->kind);
	set_str(pg, "kind_label", nb_site_label(s, "kinds", doc->kind));
	set_str(pg, "layout", p->layout);
	set_str(pg, "url", p->url);
	nb_buf_printf(&b, "%s%s/%s/", cfg->base_url, doc->kind, doc->id);
	if (cfg->base_url[0] == '/')
		nb_buf_clear(&b), nb_buf_printf(&b, "%s", p->url);
	json_object_set_new(pg, "permalink", json_string(nb_buf_cstr(&b)));
	nb_buf_free(&b);
	const char *summary = str(doc->meta, "summary");
	char *desc = summary ? xstrdup(summary) : excerpt(p->text, 80);
	set_str(pg, "description", desc);
	set_str(pg, "summary", desc);
	free(desc);
	json_object_set(pg, "toc", p->toc);
	json_object_set(pg, "meta", doc->meta);
	if (doc->draft)
		json_object_set_new(pg, "draft", json_true());
	const char *date = str(doc->meta, "date");
	if (!date)
		date = str(doc->meta, "effective");
	if (date) {
		set_str(pg, "date", date);
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

/* A small copy of an item for embedding in another page's data. */
static json_t *item_of(const nb_site *s, const char *id)
{
	long i = nb_site_find(s, id);
	return i < 0 ? NULL : json_deep_copy(s->pages[i].item);
}

static int cmp_item_date_desc(const void *a, const void *b)
{
	const char *da = str(*(json_t *const *)a, "date");
	const char *db = str(*(json_t *const *)b, "date");
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

static void derive_community_ref(nb_site *s, nb_page *p)
{
	const char *cid = str(p->doc->meta, "community");
	long ci = nb_site_find(s, cid);
	if (ci < 0 || strcmp(s->pages[ci].doc->kind, "communities"))
		return;
	json_t *c = json_object();
	set_str(c, "id", cid);
	json_object_set(c, "title", json_object_get(s->pages[ci].page, "title"));
	json_object_set(c, "url", json_object_get(s->pages[ci].page, "url"));
	json_object_set(p->page, "community", c);
	json_object_set_new(p->item, "community", json_deep_copy(c));
	json_decref(c);
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
	set_str(pg, "kind_label", nb_site_label(s, "meeting_kinds", str(m, "kind")));
	const char *st = str(m, "start"), *en = str(m, "end");
	if (st) {
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%s%s%s", st, en ? "–" : "", en ? en : "");
		set_str(pg, "time", nb_buf_cstr(&b));
		nb_buf_free(&b);
	}
	set_str(pg, "location", str(m, "location"));
	set_str(pg, "chair", str(m, "chair"));
	set_str(pg, "recorder", str(m, "recorder"));
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
			set_str(a, "name", str(e, "name"));
			set_str(a, "reason", str(e, "reason"));
		}
		json_array_append_new(absent, a);
	}
	json_object_set_new(pg, "absent", absent);
	const char *status = str(m, "status");
	if (status) {
		set_str(pg, "status", status);
		set_str(pg, "status_label", nb_site_label(s, "meeting_status", status));
		set_str(p->item, "status", status);
		set_str(p->item, "status_label", nb_site_label(s, "meeting_status", status));
	}
	json_t *ap = item_of(s, str(m, "approved_at"));
	if (ap)
		json_object_set_new(pg, "approved_at", ap);
	json_object_set_new(pg, "decisions", json_array());
	set_str(p->item, "kind_label", nb_site_label(s, "meeting_kinds", str(m, "kind")));
}

static const char *decision_status(const nb_site *s, const json_t *m)
{
	json_t *progress = json_object_get(m, "progress");
	size_t n = json_array_size(progress);
	if (n) {
		json_t *last = json_array_get(progress, n - 1);
		if (json_is_true(json_object_get(last, "done")))
			return "done";
	}
	const char *result = str(m, "result");
	if (result && strcmp(result, "adopted"))
		return NULL; /* nothing to carry out */
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
	set_str(pg, "category_label", nb_site_label(s, "categories", str(m, "category")));
	json_t *votes = json_object_get(m, "votes");
	long long vf = int_of(votes, "for"), va = int_of(votes, "against"),
		  vb = int_of(votes, "abstain"), cast = vf + va + vb;
	if (votes) {
		json_t *v = json_object();
		json_object_set_new(v, "for", json_integer(vf));
		json_object_set_new(v, "against", json_integer(va));
		json_object_set_new(v, "abstain", json_integer(vb));
		json_object_set_new(v, "cast", json_integer(cast));
		/* Integer percentages that add up to 100, for the vote bar. */
		long long pf = cast ? vf * 100 / cast : 0, pa = cast ? va * 100 / cast : 0;
		long long pb = cast ? 100 - pf - pa : 0;
		json_object_set_new(v, "for_pct", json_integer(pf));
		json_object_set_new(v, "against_pct", json_integer(pa));
		json_object_set_new(v, "abstain_pct", json_integer(pb));
		json_object_set_new(v, "against_x", json_integer(pf));
		json_object_set_new(v, "abstain_x", json_integer(pf + pa));
		json_object_set_new(pg, "votes", v);
	}
	const char *rule = str(m, "rule");
	set_str(pg, "rule", rule ? rule : "majority");
	set_str(pg, "rule_label", nb_site_label(s, "rules", rule ? rule : "majority"));
	const char *result = str(m, "result");
	if (!result && votes)
		result = !cast ? "deferred"
			: (rule && !strcmp(rule, "two-thirds"))
				? (vf * 3 >= cast * 2 ? "adopted" : "rejected")
				: (vf * 2 > cast ? "adopted" : "rejected");
	if (result) {
		set_str(pg, "result", result);
		set_str(pg, "result_label", nb_site_label(s, "results", result));
		char key[64];
		snprintf(key, sizeof(key), "result_%s", result);
		json_object_set_new(pg, key, json_true());
	}
	set_str(pg, "responsible", str(m, "responsible"));
	const char *due = str(m, "due");
	if (due) {
		set_str(pg, "due", due);
		json_object_set_new(pg, "due_display", date_display(s, due));
	}
	json_t *progress = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(m, "progress"), i, e) {
		json_t *u = json_object();
		const char *dt = str(e, "date");
		set_str(u, "date", dt);
		if (dt)
			json_object_set_new(u, "date_display", date_display(s, dt));
		set_str(u, "note", str(e, "note"));
		if (json_is_true(json_object_get(e, "done")))
			json_object_set_new(u, "done", json_true());
		json_array_append_new(progress, u);
	}
	json_object_set_new(pg, "progress", progress);
	const char *status = decision_status(s, m);
	if (status) {
		set_str(pg, "status", status);
		set_str(pg, "status_label", nb_site_label(s, "decision_status", status));
		set_str(p->item, "status", status);
		set_str(p->item, "status_label", nb_site_label(s, "decision_status", status));
	}
	set_str(pg, "as_of", s->as_of);
	json_object_set_new(pg, "as_of_display", date_display(s, s->as_of));
	json_t *sup = item_of(s, str(m, "supersedes"));
	if (sup)
		json_object_set_new(pg, "supersedes", sup);
}

static void derive_evaluation(nb_site *s, nb_page *p, const nb_page *prev)
{
	json_t *m = p->doc->meta, *pg = p->page;
	set_str(pg, "period", str(m, "period"));
	set_str(pg, "assessor", str(m, "assessor"));
	json_object_set_new(pg, "respondents",
			    json_integer(int_of(json_object_get(m, "survey"), "respondents")));
	/* Internal rates should rise; external counts and cost should fall. */
	static const struct { const char *group, *key; int higher_better, rate; } ind[] = {
		{ "internal", "informed", 1, 1 },
		{ "internal", "participation", 1, 1 },
		{ "internal", "satisfaction", 1, 1 },
		{ "external", "complaints", 0, 0 },
		{ "external", "cases", 0, 0 },
		{ "external", "admin_cost", 0, 0 },
	};
	json_t *rows = json_array();
	for (size_t i = 0; i < sizeof(ind) / sizeof(ind[0]); i++) {
		json_t *g = json_object_get(m, ind[i].group);
		json_t *v = json_object_get(g, ind[i].key);
		if (!json_is_number(v))
			continue;
		double val = json_number_value(v);
		json_t *r = json_object();
		set_str(r, "key", ind[i].key);
		set_str(r, "label", nb_site_label(s, "indicators", ind[i].key));
		json_object_set_new(r, "value", json_real(val));
		char buf[64];
		if (ind[i].rate)
			snprintf(buf, sizeof(buf), "%.1f%%", val * 100);
		else
			snprintf(buf, sizeof(buf), "%.0f", val);
		set_str(r, "value_display", buf);
		json_t *pv = prev ? json_object_get(json_object_get(prev->doc->meta, ind[i].group),
						    ind[i].key) : NULL;
		if (json_is_number(pv)) {
			double delta = val - json_number_value(pv);
			if (ind[i].rate)
				snprintf(buf, sizeof(buf), "%+.1f", delta * 100);
			else
				snprintf(buf, sizeof(buf), "%+.0f", delta);
			set_str(r, "change_display", buf);
			const char *trend = delta > 1e-9 ? "up" : delta < -1e-9 ? "down" : "same";
			set_str(r, "trend", trend);
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
		json_object_set_new(pg, "previous", json_deep_copy(prev->item));
	set_str(p->item, "status_label", str(m, "period"));
}

static void derive_community(nb_site *s, nb_page *p)
{
	json_t *m = p->doc->meta, *pg = p->page;
	set_str(pg, "name", str(m, "name"));
	set_str(pg, "street", str(m, "street"));
	set_str(pg, "type", str(m, "type"));
	set_str(pg, "platform_label", nb_site_label(s, "platforms", str(m, "platform")));
	json_t *committee = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(m, "committee"), i, e) {
		json_t *c = json_object();
		set_str(c, "name", str(e, "name"));
		set_str(c, "role", str(e, "role"));
		set_str(c, "affiliation", str(e, "affiliation"));
		const char *role = str(e, "role");
		int chair = json_is_true(json_object_get(e, "chair")) ||
			    (role && (!strcmp(role, "主任") || !strcmp(role, "主席") ||
				      !strcmp(role, "chair") || !strcmp(role, "召集人")));
		if (chair) {
			json_object_set_new(c, "chair", json_true());
			set_str(pg, "chair", str(e, "name"));
		}
		json_array_append_new(committee, c);
	}
	json_object_set_new(pg, "committee", committee);
	copy_strings(pg, m, "leaders");
	json_object_set_new(pg, "meetings", json_array());
	json_object_set_new(pg, "decisions", json_array());
	json_object_set_new(pg, "evaluations", json_array());
	json_object_set_new(pg, "charters", json_array());
	set_str(p->item, "status_label", str(m, "type"));
}

static int charter_version(const nb_page *p)
{
	return (int)int_of(p->doc->meta, "version");
}

static void derive_charters(nb_site *s)
{
	/* Versions of one community's charter, oldest first. */
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		if (strcmp(p->doc->kind, "charters"))
			continue;
		const char *cid = str(p->doc->meta, "community");
		json_t *versions = json_array();
		int latest = 1, mine = charter_version(p);
		for (int v = 0; v < 1000; v++) {
			for (size_t j = 0; j < s->len; j++) {
				nb_page *q = &s->pages[j];
				if (strcmp(q->doc->kind, "charters") || charter_version(q) != v)
					continue;
				const char *qc = str(q->doc->meta, "community");
				if (!cid || !qc || strcmp(cid, qc))
					continue;
				json_t *e = json_object();
				json_object_set_new(e, "version", json_integer(v));
				json_object_set(e, "url", json_object_get(q->page, "url"));
				json_object_set(e, "title", json_object_get(q->page, "title"));
				const char *eff = str(q->doc->meta, "effective");
				if (eff)
					json_object_set_new(e, "effective_display", date_display(s, eff));
				if (q == p)
					json_object_set_new(e, "current", json_true());
				if (v > mine)
					latest = 0;
				json_array_append_new(versions, e);
			}
		}
		json_object_set_new(p->page, "versions", versions);
		json_object_set_new(p->page, "version", json_integer(mine));
		if (latest)
			json_object_set_new(p->page, "is_latest", json_true());
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
	}
}

/* Append a copy of `item` to array `key` of page `owner`. */
static void push_item(nb_site *s, long owner, const char *key, const json_t *item)
{
	if (owner < 0)
		return;
	json_t *arr = json_object_get(s->pages[owner].page, key);
	if (json_is_array(arr))
		json_array_append_new(arr, json_deep_copy(item));
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
				json_object_set_new(s->pages[si].page, "superseded_by",
						    json_deep_copy(p->item));
			}
			push_item(s, ci, "decisions", p->item);
		} else if (!strcmp(kind, "meetings")) {
			push_item(s, ci, "meetings", p->item);
		} else if (!strcmp(kind, "evaluations")) {
			push_item(s, ci, "evaluations", p->item);
		} else if (!strcmp(kind, "charters")) {
			push_item(s, ci, "charters", p->item);
			if (ci >= 0 && json_object_get(p->page, "is_latest"))
				json_object_set_new(s->pages[ci].page, "charter",
						    json_deep_copy(p->item));
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

/* Evaluations: the same community's closest earlier period. */
static const nb_page *previous_evaluation(const nb_site *s, const nb_page *p)
{
	const char *cid = str(p->doc->meta, "community");
	const char *period = str(p->doc->meta, "period");
	const nb_page *best = NULL;
	const char *best_period = NULL;
	if (!cid || !period)
		return NULL;
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *q = &s->pages[i];
		if (strcmp(q->doc->kind, "evaluations"))
			continue;
		const char *qc = str(q->doc->meta, "community");
		const char *qp = str(q->doc->meta, "period");
		/* Same granularity only: a quarter compares with a quarter. */
		if (!qc || !qp || strcmp(qc, cid) || strlen(qp) != strlen(period) ||
		    strcmp(qp, period) >= 0)
			continue;
		if (!best_period || strcmp(qp, best_period) > 0) {
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
	json_object_set_new(site, "communities", communities);
	json_object_set_new(site, "pages", pages);
	s->site = site;
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
	for (size_t i = 0; i < c->len; i++) {
		const nb_doc *doc = &c->docs[i];
		if (!doc->ok || (doc->draft && !s->drafts))
			continue;
		json_object_set_new(s->by_id, doc->id, json_integer((json_int_t)s->len));
		page_init(s, &s->pages[s->len++], doc, d);
	}
	for (size_t i = 0; i < s->len; i++)
		derive_community_ref(s, &s->pages[i]);
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		if (!strcmp(p->doc->kind, "meetings"))
			derive_meeting(s, p);
		else if (!strcmp(p->doc->kind, "decisions"))
			derive_decision(s, p);
		else if (!strcmp(p->doc->kind, "evaluations"))
			derive_evaluation(s, p, previous_evaluation(s, p));
		else if (!strcmp(p->doc->kind, "communities"))
			derive_community(s, p);
	}
	derive_charters(s);
	derive_reverse(s);
	build_site_object(s);
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
		free(p->html);
		json_decref(p->toc);
		free(p->text);
	}
	free(s->pages);
	json_decref(s->by_id);
	json_decref(s->site);
	memset(s, 0, sizeof(*s));
}

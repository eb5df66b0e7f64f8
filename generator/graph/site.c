/*
 * site.c - the link stage's driver; see site.h.
 *
 * Work is done in passes over the published pages, each pass reading only
 * what earlier passes produced:
 *   1. URL, layout and the list-item form of every page (title,
 *      summary, date: what every page has, which its page's view takes
 *      from the item, nb_site_page_view); its Markdown body was rendered
 *      while loading (HTML, table of contents, plain text);
 *   2. per-kind derived data that needs other pages (references resolved to
 *      items, reverse links such as a community's documents): derive.c,
 *      charters.c, indicators.c;
 *   3. derived pages (lists.c) and the site-wide `site` object
 *      (navigation, communities).
 * This file holds pass 1, pass 3's `site` object, the values every pass
 * shares and the order the passes run in (nb_site_link);
 * graph_internal.h says which file has the rest.
 * Validation has already run, so lookups that fail here just leave a field
 * out rather than report: the checker owns error messages.
 */
#include "graph/graph_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph/index.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/utf8.h"

const char *const nb_site_kinds[NB_SITE_N_KINDS] = {
	"communities", "meetings", "decisions", "charters", "evaluations", "pages",
};

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

void nb_site_set_shared(nb_site *s, json_t *obj, const char *key, const char *v)
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
void nb_site_set_date_shared(nb_site *s, json_t *obj, const char *key, const char *iso)
{
	nb_buf b = NB_BUF_INIT;
	nb_site_date(s, iso, &b);
	nb_site_set_shared(s, obj, key, nb_buf_cstr(&b));
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

	const char *layout = nb_doc_str(doc, "layout");
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

	/* The list-item form is all the graph holds of what every page has:
	 * its page's own fields are a view (nb_site_page_view). */
	json_t *it = json_object();
	if (nb_doc_str(doc, "title"))
		copy_doc_str(it, "title", doc, "title");
	else
		set_str(it, "title", doc->id);
	set_str(it, "url", p->url);
	nb_site_set_shared(s, it, "kind", doc->kind);
	nb_site_set_shared(s, it, "kind_label", nb_site_label(s, "kinds", doc->kind));
	if (nb_doc_str(doc, "summary")) {
		copy_doc_str(it, "summary", doc, "summary");
	} else {
		/* 80 characters are at most 320 bytes; one more tells whether
		 * the text goes on. Kept as the item's summary, which the
		 * page's description is, so a view need not read the text. */
		nb_buf t = NB_BUF_INIT;
		const char *text = nb_doc_text(doc, 321, &t);
		if (!text) {
			nb_doc_unreadable(d, doc);
			text = "";
		}
		char *desc = excerpt(text, 80);
		nb_buf_free(&t);
		set_str(it, "summary", desc);
		free(desc);
	}
	const char *dkey = nb_doc_str(doc, "date") ? "date" : "effective";
	const char *date = nb_doc_str(doc, dkey);
	if (date) {
		share_doc_str(s, it, "date", doc, dkey);
		nb_site_set_date_shared(s, it, "date_display", date);
	}
	p->item = it;
}

json_t *nb_site_item_view(const nb_site *s, const char *id)
{
	long j = nb_site_find(s, id);
	return j < 0 ? NULL : json_copy(s->pages[j].item);
}

json_t *nb_page_derived(nb_page *p)
{
	if (!p->page)
		p->page = json_object();
	return p->page;
}

const char *nb_site_permalink(const nb_site *s, const nb_page *p, nb_buf *tmp)
{
	if (s->cfg->base_url[0] == '/')
		return p->url;
	nb_buf_clear(tmp);
	nb_buf_printf(tmp, "%s%s/%s/", s->cfg->base_url, p->doc->kind, p->doc->id);
	return nb_buf_cstr(tmp);
}

/* Publication r as a page's history line links it: its number and day,
 * the document's entry on its page, and the amendment's note. */
static json_t *pub_ref(const struct nb_page_pub *r)
{
	json_t *ref = json_object();
	json_object_set(ref, "number", json_object_get(r->pub, "number"));
	json_object_set(ref, "date_display", json_object_get(r->pub, "date_display"));
	json_object_set_new(ref, "url", json_string(r->url));
	if (r->changed && json_object_get(r->entry, "change_note"))
		json_object_set(ref, "note", json_object_get(r->entry, "change_note"));
	return ref;
}

/* A document page's `history` ("first published in #N · amended in #M")
 * and `last_change`: the note its front matter gives (`change_note`,
 * dated by `updated`), replaced by the latest recorded amendment that
 * said why (the amended line lists every one). */
static void history_view(const nb_site *s, const nb_page *p, json_t *pg)
{
	const char *note = nb_doc_str(p->doc, "change_note");
	if (note && note[0]) {
		const char *updated = nb_doc_str(p->doc, "updated");
		json_t *lc = json_pack("{s:s}", "note", note);
		if (updated)
			json_object_set_new(lc, "date_display", nb_site_date_value(s, updated));
		json_object_set_new(pg, "last_change", lc);
	}
	if (!p->n_pubs)
		return;
	json_t *h = json_object(), *am = json_array(), *noted = NULL;
	json_object_set_new(h, "first", pub_ref(&p->pubs[0]));
	for (size_t i = 1; i < p->n_pubs; i++) {
		json_t *ref = pub_ref(&p->pubs[i]);
		json_object_set_new(ref, "sep", json_boolean(i > 1));
		if (json_object_get(ref, "note"))
			noted = ref;
		json_array_append_new(am, ref);
	}
	json_object_set_new(h, "amended", am);
	json_object_set_new(h, "has_amended", json_boolean(p->n_pubs > 1));
	json_object_set_new(pg, "history", h);
	if (noted)
		json_object_set(pg, "last_change", noted);
}

/* The fields every page has, from its item (which shares its values with
 * the lists), its typed fields and its document; then what linking
 * derived for it (p->page), then what only its own page shows. */
json_t *nb_site_page_view(const nb_site *s, const nb_page *p)
{
	const nb_doc *doc = p->doc;
	const json_t *it = p->item;
	json_t *pg = json_object();
	json_object_set(pg, "title", json_object_get(it, "title"));
	set_str(pg, "id", doc->id);
	json_object_set(pg, "kind", json_object_get(it, "kind"));
	json_object_set(pg, "kind_label", json_object_get(it, "kind_label"));
	set_str(pg, "layout", p->layout);
	json_object_set(pg, "url", json_object_get(it, "url"));
	if (s->cfg->base_url[0] == '/') {
		json_object_set(pg, "permalink", json_object_get(it, "url"));
	} else {
		nb_buf b = NB_BUF_INIT;
		set_str(pg, "permalink", nb_site_permalink(s, p, &b));
		nb_buf_free(&b);
	}
	json_object_set(pg, "description", json_object_get(it, "summary"));
	json_object_set(pg, "summary", json_object_get(it, "summary"));
	/* The headings (`toc`) are added by the page's own context, the only
	 * reader, like the body (render.c run_task): in the page's data they
	 * would differ with where the document's body is kept, not with what
	 * it says, and every key over the data would change with them.
	 * The front matter as written, unknown fields too (page.meta), is
	 * decoded once for the view, which reads it too: a copy of its own
	 * (load/meta.h), freed with the view. */
	json_t *m = nb_doc_meta(doc);
	json_object_set(pg, "meta", m);
	if (doc->draft)
		json_object_set_new(pg, "draft", json_true());
	json_t *date = json_object_get(it, "date");
	if (date) {
		json_object_set(pg, "date", date);
		json_object_set(pg, "date_display", json_object_get(it, "date_display"));
	}
	json_t *c = json_object_get(it, "community");
	if (c)
		json_object_set(pg, "community", c);
	if (p->page)
		json_object_update(pg, p->page);
	history_view(s, p, pg);
	if (!strcmp(doc->kind, "meetings"))
		nb_derive_meeting_view(s, p, m, pg);
	else if (!strcmp(doc->kind, "decisions"))
		nb_derive_decision_view(s, p, m, pg);
	else if (!strcmp(doc->kind, "evaluations"))
		nb_derive_evaluation_view(s, p, m, pg);
	else if (!strcmp(doc->kind, "charters"))
		nb_charters_page_view(s, p, pg);
	json_decref(m);
	return pg;
}

const char *nb_site_item_when(const json_t *item)
{
	const char *d = str(item, "date");
	return d ? d : str(item, "sort_date");
}

int nb_site_item_later(const json_t *item)
{
	const char *p = str(item, "period");
	return p && strlen(p) == 4;
}

/* An item with its sort keys looked up once: the comparison ran two
 * to four member lookups per call, n log n times per list. */
typedef struct sort_item {
	json_t *v;
	const char *when, *url;
	int later;
} sort_item;

static int cmp_item_date_desc(const void *a, const void *b)
{
	const sort_item *x = a, *y = b;
	int c = strcmp(y->when ? y->when : "", x->when ? x->when : "");
	if (c)
		return c;
	if (x->later != y->later)
		return y->later - x->later;
	return strcmp(x->url, y->url);
}

/* Sort an array of items newest first, a year before its own Q4
 * (nb_site_item_later), ties by URL, so order is stable. */
void nb_site_sort_items(json_t *arr)
{
	size_t n = json_array_size(arr);
	if (n < 2)
		return;
	sort_item *v = malloc(n * sizeof(*v));
	if (!v)
		abort();
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_incref(json_array_get(arr, i));
		v[i] = (sort_item){ it, nb_site_item_when(it), str(it, "url"),
				    nb_site_item_later(it) };
	}
	qsort(v, n, sizeof(*v), cmp_item_date_desc);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i].v);
	free(v);
}

/* A page's community as {id, title, url}: one object per community
 * (refs[ci], made on first use), shared by the pages and items of all its
 * documents, since nothing changes it afterwards. */
static void derive_community_ref(nb_site *s, nb_page *p, json_t **refs)
{
	const char *cid = nb_doc_str(p->doc, "community");
	long ci = nb_site_find(s, cid);
	if (ci < 0 || strcmp(s->pages[ci].doc->kind, "communities"))
		return;
	json_t *c = refs[ci];
	if (!c) {
		c = refs[ci] = json_object();
		set_str(c, "id", cid);
		json_object_set(c, "title", json_object_get(s->pages[ci].item, "title"));
		json_object_set(c, "url", json_object_get(s->pages[ci].item, "url"));
	}
	json_object_set(p->item, "community", c);
}

void nb_site_copy_strings(json_t *dst, const json_t *src, const char *key)
{
	nb_site_copy_strings_of(dst, key, json_object_get(src, key));
}

void nb_site_copy_strings_of(json_t *dst, const char *key, const json_t *v)
{
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
	/* What the pages tell auditors: the publication they are, and where
	 * to clone the record from (served.h), or nothing when it is
	 * not published. */
	if (s->publication)
		json_object_set_new(site, "publication", json_integer((json_int_t)s->publication));
	/* The commands on /history/ need the site's address: base_url when
	 * it is one, else a placeholder the page explains. */
	nb_buf u = NB_BUF_INIT;
	int absolute = !strncmp(cfg->base_url, "https://", 8) || !strncmp(cfg->base_url, "http://", 7);
	if (absolute)
		nb_buf_puts(&u, cfg->base_url);
	else
		nb_buf_printf(&u, "https://SITE%s", cfg->base_path);
	set_str(site, "audit_site", nb_buf_cstr(&u));
	json_object_set_new(site, "audit_site_placeholder", json_boolean(!absolute));
	nb_buf_puts(&u, "audit.git");
	if (cfg->audit_mirror || cfg->audit_serve)
		set_str(site, "audit_clone", cfg->audit_mirror ? cfg->audit_mirror : nb_buf_cstr(&u));
	nb_buf_free(&u);
	json_t *nav = json_array();
	for (size_t k = 0; k < NB_SITE_N_KINDS; k++) {
		int any = 0;
		for (size_t i = 0; i < s->len && !any; i++)
			any = !strcmp(s->pages[i].doc->kind, nb_site_kinds[k]);
		if (!any || !strcmp(nb_site_kinds[k], "pages"))
			continue;
		json_t *e = json_object();
		set_str(e, "kind", nb_site_kinds[k]);
		set_str(e, "title", nb_site_label(s, "kinds", nb_site_kinds[k]));
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%s%s/", cfg->base_path, nb_site_kinds[k]);
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
			json_object_set(e, "title", json_object_get(p->item, "title"));
			json_object_set(e, "url", json_object_get(p->item, "url"));
			set_str(e, "type", nb_doc_str(p->doc, "type"));
			set_str(e, "street", nb_doc_str(p->doc, "street"));
			json_object_set(e, "platform_label", json_object_get(p->page, "platform_label"));
			json_object_set(e, "summary", json_object_get(p->item, "summary"));
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
			    json_boolean(nc <= NB_SITE_LINKS_MAX));
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
	s->publication = o ? o->publication : 0;
	s->diffs = o ? o->diffs : NULL;
	if (o && o->as_of) {
		snprintf(s->as_of, sizeof(s->as_of), "%s", o->as_of);
	} else {
		nb_date_today(s->as_of);
	}
	size_t before = d->errors;
	s->pages = calloc(c->len ? c->len : 1, sizeof(nb_page));
	if (!s->pages)
		abort();
	s->by_id = json_object();
	s->shared = json_object();
	s->shared_votes = json_object();
	for (size_t i = 0; i < c->len; i++) {
		const nb_doc *doc = &c->docs[i];
		if (!doc->ok || (doc->draft && !s->drafts))
			continue;
		json_object_set_new(s->by_id, doc->id, json_integer((json_int_t)s->len));
		s->pages[s->len++].doc = doc;
	}
	s->ix = calloc(1, sizeof(*s->ix));
	const nb_doc **docs = calloc(s->len ? s->len : 1, sizeof(*docs));
	if (!docs || !s->ix)
		abort();
	for (size_t i = 0; i < s->len; i++)
		docs[i] = s->pages[i].doc;
	nb_site_index_build(s->ix, docs, s->len, s->by_id, s->as_of);
	free(docs);
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
	nb_eval_index ix;
	nb_eval_index_build(s, &ix);
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		if (!strcmp(p->doc->kind, "meetings"))
			nb_derive_meeting(s, p);
		else if (!strcmp(p->doc->kind, "decisions"))
			nb_derive_decision(s, p);
		else if (!strcmp(p->doc->kind, "evaluations"))
			nb_derive_evaluation(s, p, nb_eval_previous(&ix, p));
		else if (!strcmp(p->doc->kind, "communities"))
			nb_derive_community(s, p);
	}
	nb_charters_derive(s);
	nb_derive_reverse(s);
	nb_derive_community_status(s);
	nb_trends_derive(s, &ix);
	nb_lists_derive(s, &ix, d);
	nb_lists_cut_community(s);
	free(ix.v);
	build_site_object(s);
	json_decref(s->shared); /* the values live on where they are used */
	s->shared = NULL;
	json_decref(s->shared_votes);
	s->shared_votes = NULL;
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
		for (size_t k = 0; k < p->n_pubs; k++)
			free(p->pubs[k].url);
		free(p->pubs);
		json_decref(p->item);
		json_decref(p->version);
	}
	free(s->pages);
	for (size_t i = 0; i < s->n_extra; i++) {
		nb_extra_page *e = &s->extra[i];
		free(e->layout);
		free(e->out_path);
		free(e->nav_kind);
		json_decref(e->page);
		json_decref(e->list);
		json_decref(e->cut.all);
		json_decref(e->cut.url);
		json_decref(e->cut.nav);
		json_decref(e->cut.aside);
	}
	free(s->extra);
	free(s->compare_latest);
	nb_trends_free(s);
	json_decref(s->filters);
	json_decref(s->list_extra);
	json_decref(s->lists);
	json_decref(s->history);
	json_decref(s->pubs);
	json_decref(s->attachments);
	json_decref(s->attached);
	json_decref(s->by_id);
	json_decref(s->site);
	if (s->ix)
		nb_site_index_free(s->ix);
	free(s->ix);
	memset(s, 0, sizeof(*s));
}

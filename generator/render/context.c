/*
 * context.c - a page's template context, made from the site graph; see
 * context.h.
 *
 * Each context is the page's view of the graph: it takes references to
 * what the graph holds (`site`, the theme's strings, list items, a
 * document's item) and adds what is this page's alone (its breadcrumbs,
 * its charts, a charter's versions, a comparison's articles). So it is
 * made and freed on the main thread only (render.c says why), a batch of
 * pages ahead of the workers, and never outlives the batch.
 */
#include "render/context.h"

#include <stdlib.h>
#include <string.h>

#include "graph/paging.h"
#include "render/diffhtml.h"
#include "render/notice.h"
#include "util/buf.h"

static const char *str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static json_t *base_context(const nb_site *s)
{
	json_t *ctx = json_object();
	json_object_set(ctx, "site", s->site);
	json_object_set(ctx, "t", s->theme->strings);
	json_object_set_new(ctx, "lang", json_string(s->cfg->language));
	return ctx;
}

static json_t *crumb(const char *title, const char *url)
{
	json_t *c = json_object();
	json_object_set_new(c, "title", json_string(title));
	if (url)
		json_object_set_new(c, "url", json_string(url));
	return c;
}

json_t *nb_context_site_for(json_t *navs, const nb_site *s, const char *kind)
{
	json_t *site = json_object_get(navs, kind ? kind : "");
	if (!site) {
		site = json_copy(s->site);
		json_t *nav = json_deep_copy(json_object_get(site, "nav"));
		size_t i;
		json_t *e;
		json_array_foreach(nav, i, e) {
			if (kind && !strcmp(str(e, "kind"), kind))
				json_object_set_new(e, "current", json_true());
		}
		json_object_set_new(site, "nav", nav);
		json_object_set_new(navs, kind ? kind : "", site);
	}
	return site;
}

static void mark_nav(json_t *ctx, json_t *navs, const nb_site *s, const char *kind)
{
	json_object_set(ctx, "site", nb_context_site_for(navs, s, kind));
}

static const char *home_title(const nb_site *s)
{
	const char *h = str(s->theme->strings, "home");
	return h ? h : "Home";
}

/* Without the body: the worker reads it back from the build cache and
 * adds it (run_task), after the page memo had its say. */
static json_t *doc_context(json_t *navs, const nb_site *s, nb_trend_charts *charts,
			   const nb_page *p)
{
	json_t *ctx = base_context(s);
	mark_nav(ctx, navs, s, p->doc->kind);
	json_t *page = nb_site_page_view(s, p);
	json_t *notice = nb_notice_page(s, p);
	if (notice)
		json_object_set_new(page, "notice", notice);
	if (!strcmp(p->doc->kind, "charters"))
		json_object_set_new(page, "versions", nb_charters_versions(s, p, 1));
	json_t *trends = nb_trend_charts_page(charts, s, p);
	if (trends)
		json_object_set_new(page, "trends", trends);
	json_t *crumbs = json_array();
	json_array_append_new(crumbs, crumb(home_title(s), s->cfg->base_path));
	/* A kind's crumb is its list. A folder of the site's own
	 * (content/notices/) has none (lists.c), so its pages go under the
	 * home page as free pages do: a crumb without a link would read as
	 * the current page. */
	if (strcmp(p->doc->kind, "pages") && json_object_get(s->lists, p->doc->kind)) {
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%s%s/", s->cfg->base_path, p->doc->kind);
		json_array_append_new(crumbs, crumb(nb_site_label(s, "kinds", p->doc->kind),
						    nb_buf_cstr(&b)));
		nb_buf_free(&b);
	}
	json_array_append_new(crumbs, crumb(str(p->item, "title"), NULL));
	json_object_set_new(page, "breadcrumbs", crumbs);
	json_object_set_new(ctx, "page", page);
	return ctx;
}

/* Page `no` of the main list of one kind (the main thread checked it is
 * not empty); graph/lists.c sorted its items, paging.c cuts the page. */
static json_t *list_context(json_t *navs, const nb_site *s, const char *kind, size_t no)
{
	json_t *items = json_object_get(s->lists, kind);
	json_t *ctx = base_context(s);
	mark_nav(ctx, navs, s, kind);
	json_t *list = json_object();
	const char *title = nb_site_label(s, "kinds", kind);
	json_object_set_new(list, "title", json_string(title));
	json_object_set_new(list, "kind", json_string(kind));
	json_object_set_new(list, "count", json_integer((json_int_t)json_array_size(items)));
	json_object_set(list, "items", items);
	/* Filter navigation and extras (graph/lists.c derives them). */
	json_t *fnav = json_object_get(s->filters, kind);
	if (fnav)
		json_object_set(list, "filter_nav", fnav);
	json_object_update(list, json_object_get(s->list_extra, kind));
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s%s/", s->cfg->base_path, kind);
	json_t *paged = NULL;
	nb_paging_page(&paged, list, nb_buf_cstr(&b), s->theme->strings, s->cfg->page_size, no);
	json_decref(list);
	json_object_set_new(ctx, "list", paged);
	json_t *page = json_object();
	json_object_set_new(page, "title", json_string(title));
	nb_paging_rel(&b, no);
	json_object_set_new(page, "url", json_string(nb_buf_cstr(&b)));
	nb_buf_clear(&b);
	nb_buf_printf(&b, "%s%s/", s->cfg->base_url, kind);
	nb_paging_rel(&b, no);
	json_object_set_new(page, "permalink", json_string(nb_buf_cstr(&b)));
	nb_buf_free(&b);
	json_object_set_new(page, "kind", json_string(kind));
	json_t *crumbs = json_array();
	json_array_append_new(crumbs, crumb(home_title(s), s->cfg->base_path));
	json_array_append_new(crumbs, crumb(title, NULL));
	json_object_set_new(page, "breadcrumbs", crumbs);
	json_object_set_new(ctx, "page", page);
	return ctx;
}

/* Derived pages (filtered lists, comparisons); data from graph/lists.c. */
static json_t *extra_context(json_t *navs, const nb_site *s, const nb_extra_page *e)
{
	json_t *ctx = base_context(s);
	mark_nav(ctx, navs, s, e->nav_kind);
	/* A charter comparison is a view made here (site.h), and its diffs
	 * are data until here (diffhtml.h). */
	json_t *view = nb_charters_compare_view(s, e);
	json_t *page = nb_diff_compare_page(view ? view : e->page, s->theme->strings);
	if (page)
		json_object_set_new(ctx, "page", page);
	else
		json_object_set(ctx, "page", view ? view : e->page);
	json_decref(view);
	json_t *list = nb_extra_list_view(s, e);
	if (list)
		json_object_set_new(ctx, "list", nb_trend_charts_compare(list));
	json_decref(list);
	return ctx;
}

/* The publication history (/history/, /history/N/); data from history.c. */
static json_t *history_context(json_t *navs, const nb_site *s, const json_t *h)
{
	json_t *ctx = base_context(s);
	mark_nav(ctx, navs, s, "history");
	json_object_set_new(ctx, "page", nb_history_page_view(s, h));
	/* Its pagination, where the history pages are cut (history.c). */
	json_t *list = nb_history_list_view(s, h);
	if (list)
		json_object_set_new(ctx, "list", list);
	return ctx;
}

/* Soonest first, ties by URL. */
static int cmp_upcoming(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *dx = str(x, "date"), *dy = str(y, "date");
	int c = strcmp(dx ? dx : "", dy ? dy : "");
	return c ? c : strcmp(str(x, "url"), str(y, "url"));
}

/* Meetings not yet held as of the build's date, the soonest first: what a
 * resident can still attend. At most HOME_UPCOMING_MAX. */
#define HOME_UPCOMING_MAX 3
static json_t *upcoming_meetings(const nb_site *s)
{
	size_t n = 0;
	const json_t **v = malloc((s->len ? s->len : 1) * sizeof(*v));
	if (!v)
		abort();
	for (size_t i = 0; i < s->len; i++)
		if (!strcmp(s->pages[i].doc->kind, "meetings") &&
		    json_is_true(json_object_get(s->pages[i].item, "upcoming")))
			v[n++] = s->pages[i].item;
	qsort(v, n, sizeof(*v), cmp_upcoming);
	json_t *out = json_array();
	for (size_t i = 0; i < n && i < HOME_UPCOMING_MAX; i++)
		json_array_append(out, (json_t *)v[i]);
	free(v);
	return out;
}

static json_t *home_context(json_t *navs, const nb_site *s)
{
	json_t *ctx = base_context(s);
	mark_nav(ctx, navs, s, NULL);
	json_t *home = json_object();
	json_t *sections = json_array();
	static const char *const kinds[] = { "meetings", "decisions", "evaluations", "charters" };
	for (size_t k = 0; k < 4; k++) {
		json_t *all = json_object_get(s->lists, kinds[k]);
		if (!json_array_size(all))
			continue;
		json_t *items = json_array();
		for (size_t i = 0; i < json_array_size(all) && i < 5; i++)
			json_array_append(items, json_array_get(all, i));
		json_t *sec = json_object();
		json_object_set_new(sec, "kind", json_string(kinds[k]));
		json_object_set_new(sec, "title", json_string(nb_site_label(s, "kinds", kinds[k])));
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%s%s/", s->cfg->base_path, kinds[k]);
		json_object_set_new(sec, "url", json_string(nb_buf_cstr(&b)));
		nb_buf_free(&b);
		json_object_set_new(sec, "items", items);
		json_array_append_new(sections, sec);
	}
	json_object_set_new(home, "sections", sections);
	json_t *up = upcoming_meetings(s);
	if (json_array_size(up))
		json_object_set_new(home, "upcoming", json_pack("{s:o}", "items", up));
	else
		json_decref(up);
	/* Past a phone screen of communities, names under their streets
	 * rather than a card each (a district of a thousand made a home
	 * page of half a megabyte). */
	json_t *cs = json_object_get(s->site, "communities");
	if (json_array_size(cs) <= NB_SITE_LINKS_MAX)
		json_object_set(home, "communities", cs);
	else
		json_object_set_new(home, "streets", nb_site_groups_by_street(cs));
	json_t *pages = json_object_get(s->site, "pages");
	json_object_set(home, "pages", pages);
	/* Only a site with free pages has their list to link to: without
	 * them the home page says nothing of pages rather than link nowhere. */
	if (json_array_size(pages)) {
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%spages/", s->cfg->base_path);
		json_object_set_new(home, "pages_url", json_string(nb_buf_cstr(&b)));
		nb_buf_free(&b);
	}
	json_object_set_new(ctx, "home", home);
	json_t *page = json_object();
	json_object_set_new(page, "title", json_string(s->cfg->title));
	json_object_set_new(page, "url", json_string(s->cfg->base_path));
	json_object_set_new(page, "permalink", json_string(s->cfg->base_url));
	json_object_set_new(page, "description", json_string(s->cfg->description));
	json_object_set_new(page, "is_home", json_true());
	json_object_set_new(ctx, "page", page);
	return ctx;
}

/* The context of a page that is no document and no list (the 404 page,
 * the search page): the site's, no navigation entry marked, and a `page`
 * titled by the theme's string `key` (`fallback` without one), into
 * *page, which the caller fills further. */
static json_t *plain_context(json_t **page, const char **title, json_t *navs, const nb_site *s,
			     const char *key, const char *fallback)
{
	json_t *ctx = base_context(s);
	mark_nav(ctx, navs, s, NULL);
	*page = json_object();
	const char *t = str(s->theme->strings, key);
	*title = t ? t : fallback;
	json_object_set_new(*page, "title", json_string(*title));
	json_object_set_new(ctx, "page", *page);
	return ctx;
}

static json_t *not_found_context(json_t *navs, const nb_site *s)
{
	json_t *page;
	const char *title;
	json_t *ctx = plain_context(&page, &title, navs, s, "not_found_title", "Page not found");
	json_object_set_new(page, "url", json_string(s->cfg->base_path));
	return ctx;
}

static json_t *search_context(json_t *navs, const nb_site *s)
{
	json_t *page;
	const char *title;
	json_t *ctx = plain_context(&page, &title, navs, s, "search", "Search");
	json_object_set_new(page, "kind", json_string("search"));
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%ssearch/", s->cfg->base_path);
	json_object_set_new(page, "url", json_string(nb_buf_cstr(&b)));
	nb_buf_clear(&b);
	nb_buf_printf(&b, "%ssearch/", s->cfg->base_url);
	json_object_set_new(page, "permalink", json_string(nb_buf_cstr(&b)));
	nb_buf_free(&b);
	json_t *crumbs = json_array();
	json_array_append_new(crumbs, crumb(home_title(s), s->cfg->base_path));
	json_array_append_new(crumbs, crumb(title, NULL));
	json_object_set_new(page, "breadcrumbs", crumbs);
	return ctx;
}

const char *nb_context_nav_kind(const nb_site *s, nb_page_kind kind, size_t idx,
				const char *name)
{
	switch (kind) {
	case NB_PAGE_DOC: return s->pages[idx].doc->kind;
	case NB_PAGE_LIST: return name;
	case NB_PAGE_EXTRA: return s->extra[idx].nav_kind;
	case NB_PAGE_HISTORY: return "history";
	case NB_PAGE_HOME:
	case NB_PAGE_404:
	case NB_PAGE_SEARCH: return NULL;
	}
	return NULL;
}

json_t *nb_context_page(json_t *navs, const nb_site *s, nb_trend_charts *charts,
			nb_page_kind kind, size_t idx, const char *name)
{
	switch (kind) {
	case NB_PAGE_DOC: return doc_context(navs, s, charts, &s->pages[idx]);
	case NB_PAGE_LIST: return list_context(navs, s, name, idx);
	case NB_PAGE_EXTRA: return extra_context(navs, s, &s->extra[idx]);
	case NB_PAGE_HISTORY: return history_context(navs, s, json_array_get(s->history, idx));
	case NB_PAGE_HOME: return home_context(navs, s);
	case NB_PAGE_404: return not_found_context(navs, s);
	case NB_PAGE_SEARCH: return search_context(navs, s);
	}
	return NULL;
}

json_t *nb_context_draw_list_later(json_t *ctx)
{
	return nb_trend_charts_compare_draw(json_object_get(ctx, "list"));
}

json_t *nb_context_draw_later(json_t *page, nb_trend_charts *charts, const nb_site *s,
			      const nb_page *p)
{
	json_t *notice = json_object_get(page, "notice");
	if (notice)
		nb_notice_draw_later(notice);
	json_t *trends = json_object_get(page, "trends");
	return trends && nb_trend_charts_draw_later(charts, trends, s, p) ? trends : NULL;
}

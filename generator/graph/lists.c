/*
 * lists.c - derived pages: the kinds' lists and their filter pages.
 *
 * These pages have no document behind them; they are views of the graph
 * (decisions of 2024, overdue decisions, the street's latest evaluations,
 * what changed between two charter versions). They are plain pages so that
 * filtering needs no script and every view has a URL one can print or
 * send. A derived page never replaces a document's page: when its path is
 * taken (a decision whose id is "2024"), the derived page is left out and
 * so is every link to it, which keeps the build's link check green.
 */
#include "graph/graph_internal.h"

#include <stdio.h>
#include <string.h>

#include "graph/index.h"
#include "graph/paging.h"

json_t *nb_extra_crumb(const char *title, const char *url)
{
	json_t *c = json_object();
	set_str(c, "title", title);
	set_str(c, "url", url);
	return c;
}

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
nb_extra_page *nb_extra_add(nb_extra_ctx *x, const char *layout, const char *nav_kind,
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
	memset(&e->cut, 0, sizeof(e->cut));
	e->charter = NULL;
	e->compare = NULL;
	e->n_compare = 0;
	/* Thousands of these at 10,000 documents: the strings they have in
	 * common are one value each. */
	json_t *pg = json_object();
	set_str(pg, "title", title);
	char *url = site_url(s, rel);
	set_str(pg, "url", url);
	if (s->cfg->base_url[0] == '/') {
		json_object_set(pg, "permalink", json_object_get(pg, "url"));
	} else {
		nb_buf_printf(&b, "%s%s", s->cfg->base_url, rel);
		set_str(pg, "permalink", nb_buf_cstr(&b));
	}
	nb_buf_free(&b);
	free(url);
	nb_site_set_shared(s, pg, "kind", nav_kind);
	nb_site_set_shared(s, pg, "layout", layout);
	json_t *own = json_object();
	json_object_set(own, "title", json_object_get(pg, "title"));
	json_array_append_new(crumbs, own);
	json_object_set_new(pg, "breadcrumbs", crumbs);
	e->page = pg;
	return e;
}

/* Breadcrumbs home > the kind's list. */
json_t *nb_extra_kind_crumbs(nb_extra_ctx *x, const char *kind)
{
	const nb_site *s = x->s;
	json_t *c = json_object_get(x->crumbs, kind);
	if (!c) {
		c = json_array();
		json_array_append_new(c, nb_extra_crumb(tstr(s, "home", "Home"),
							s->cfg->base_path));
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%s%s/", s->cfg->base_path, kind);
		json_array_append_new(c, nb_extra_crumb(nb_site_label(s, "kinds", kind),
							nb_buf_cstr(&b)));
		nb_buf_free(&b);
		json_object_set_new(x->crumbs, kind, c);
	}
	return json_copy(c); /* shallow: the crumbs themselves are shared */
}

/*
 * Claim the path of page `no` of a list (`rel` its page 1) before a
 * derived page is added there. A document whose id puts it at that path
 * ("page/2" among decisions) would otherwise silently take the page and
 * its items would vanish from the list: that is an error at the document.
 */
static int claim_list_page(nb_extra_ctx *x, const char *rel, size_t no)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, rel);
	nb_paging_rel(&b, no);
	nb_buf_puts(&b, "index.html");
	json_t *by = json_object_get(x->taken, nb_buf_cstr(&b));
	if (json_is_integer(by)) {
		const nb_doc *doc = x->s->pages[json_integer_value(by) - 1].doc;
		int line = 1, col = 1;
		if (nb_doc_has(doc, "id"))
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

static json_t *nav_marked(const json_t *nav, const json_t *aside, const char *url,
			  const char *many_dim, size_t many_at);

/* Page `no` of the whole list `full` whose first page is at `url`, to be
 * cut when rendered (nb_extra_list_view). */
static void cut_later(nb_extra_page *e, json_t *full, json_t *url, size_t no)
{
	e->cut.all = json_incref(full);
	e->cut.url = json_incref(url);
	e->cut.no = no;
}

json_t *nb_extra_list_view(const nb_site *s, const nb_extra_page *e)
{
	if (e->compare && e->list) {
		json_t *l = json_copy(e->list); /* shallow; `compare` keeps its place */
		json_object_set_new(l, "compare", nb_evaluations_compare_view(s, e));
		return l;
	}
	if (!e->cut.all)
		return e->list ? json_incref(e->list) : NULL;
	json_t *page = NULL;
	nb_paging_page(&page, e->cut.all, json_string_value(e->cut.url), s->theme->strings,
		       s->cfg->page_size, e->cut.no);
	if (page && e->cut.nav)
		json_object_set_new(page, "filter_nav",
				    nav_marked(e->cut.nav, e->cut.aside, json_string_value(e->cut.url),
					       e->cut.many_dim, e->cut.many_at));
	return page;
}

/*
 * Cut the list of derived page `first` (all of its items) into pages:
 * page 1 stays where it is, page N becomes a derived page of its own at
 * `rel`page/N/ with the same title and breadcrumbs. The pages are cut
 * when rendered: each one's items, groups and pagination held from
 * linking to the end were 7 MB at 10,000 documents.
 */
static void paginate_extra(nb_extra_ctx *x, size_t first, const char *rel, const char *kind)
{
	nb_site *s = x->s;
	json_t *full = s->extra[first].list;
	json_t *title = json_incref(json_object_get(s->extra[first].page, "title"));
	json_t *url = json_incref(json_object_get(s->extra[first].page, "url"));
	size_t ps = s->cfg->page_size;
	size_t total = nb_paging_count(json_array_size(json_object_get(full, "items")), ps);
	s->extra[first].list = NULL;
	cut_later(&s->extra[first], full, url, 1);
	nb_buf r = NB_BUF_INIT;
	for (size_t no = 2; no <= total; no++) {
		if (claim_list_page(x, rel, no))
			continue;
		nb_buf_clear(&r);
		nb_buf_puts(&r, rel);
		nb_paging_rel(&r, no);
		nb_extra_page *e = nb_extra_add(x, "list", kind, nb_buf_cstr(&r),
					     json_string_value(title), nb_extra_kind_crumbs(x, kind));
		if (e)
			cut_later(e, full, url, no);
	}
	nb_buf_free(&r);
	json_decref(title);
	json_decref(url);
	json_decref(full);
}

/* The year a page belongs to in lists: its date, else its period. */
static void page_year(const nb_page *p, char y[5])
{
	const char *d = nb_doc_str(p->doc, "date");
	if (!d)
		d = nb_doc_str(p->doc, "effective");
	if (!d)
		d = nb_doc_str(p->doc, "period");
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

/* Items under their `street` (those without one last, under no heading),
 * streets in the order of their first item: [{heading, items}]. O(items
 * x streets); a district has a dozen streets. */
json_t *nb_site_groups_by_street(const json_t *items)
{
	json_t *groups = json_array(), *none = NULL;
	size_t i, k;
	json_t *it, *g;
	json_array_foreach(items, i, it) {
		const char *street = str(it, "street");
		json_t *into = NULL;
		json_array_foreach(groups, k, g)
			if (street && !strcmp(str(g, "heading"), street)) {
				into = g;
				break;
			}
		if (!into && !street)
			into = none ? none : (none = json_pack("{s:[]}", "items"));
		if (!into) {
			into = json_pack("{s:s,s:[]}", "heading", street, "items");
			json_array_append_new(groups, into);
		}
		json_array_append(json_object_get(into, "items"), it);
	}
	if (none)
		json_array_append_new(groups, none);
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
		const char *c = nb_doc_str(p->doc, "community");
		long ci = nb_site_find(s, c);
		return ci >= 0 && !strcmp(s->pages[ci].doc->kind, "communities") ? c : NULL;
	}
	if (!strcmp(dim, "category"))
		return nb_doc_str(p->doc, "category");
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
		return ci >= 0 ? str(s->pages[ci].item, "title") : value;
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
 * first), in one pass over the kind's pages (the by-kind index, in
 * content order): asking once per value scanned every page per community
 * at large sizes. Items are shared, not copied: they are final by the
 * time filters are built.
 */
static json_t *items_by_value(const nb_site *s, const char *kind, const char *dim)
{
	json_t *by = json_object();
	char y[5];
	const size_t *of;
	size_t n = nb_site_index_kind(s->ix, nb_kind_of(kind), &of);
	for (size_t i = 0; i < n; i++) {
		const nb_page *p = &s->pages[of[i]];
		if (strcmp(p->doc->kind, kind))
			continue; /* NB_KIND_OTHER holds more than one folder */
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
		nb_site_sort_items(arr);
	return by;
}

/* O(1): the by-kind index (index.h). */
static size_t kind_count(const nb_site *s, const char *kind)
{
	const size_t *v;
	return nb_site_index_kind(s->ix, nb_kind_of(kind), &v);
}

/*
 * Mark the option whose url is `url` current, in a copy of the navigation.
 * Every filter page has its own, made with its context
 * (nb_extra_list_view): held from linking on, one per filter, they were
 * 4 MB at 10,000 documents in 1,000 communities. Only what a mark
 * changes is copied (the marked option, its group, their containers;
 * shallowly) and the rest is shared with `nav`, which stays unmarked:
 * deep copies were 3 MB more. A group of many values (dim_index) lists
 * none of them: `aside` holds its options by dimension, and the marked
 * one becomes the group's `chosen`, shown beside the link to them all.
 * In the group `many_dim` the option is the one `many_at` says (site.h;
 * checked against `url`), not found by a scan: O(groups' small options).
 */
static json_t *nav_marked(const json_t *nav, const json_t *aside, const char *url,
			  const char *many_dim, size_t many_at)
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
		json_t *options = NULL, *chosen = NULL;
		const int many = json_object_get(g, "more") != NULL;
		json_t *from = many ? json_object_get(aside, str(g, "dim"))
				    : json_object_get(g, "options");
		/* Told there is none, or told where (checked): no scan. */
		if (many && many_at && many_dim && url && !strcmp(str(g, "dim"), many_dim)) {
			const json_t *at = many_at > 1 ? json_array_get(from, many_at - 2) : NULL;
			if (at && !strcmp(str(at, "url"), url)) {
				chosen = json_copy((json_t *)at);
				json_object_set_new(chosen, "current", json_true());
			}
			if (chosen || many_at == 1)
				from = NULL;
		}
		json_array_foreach(from, j, o) {
			if (!url || strcmp(str(o, "url"), url))
				continue;
			json_t *mark = json_copy(o);
			json_object_set_new(mark, "current", json_true());
			if (many) {
				chosen = mark;
				break;
			}
			if (!options)
				options = json_copy(from);
			json_array_set_new(options, j, mark);
		}
		if (!options && !chosen) {
			json_array_append(groups, g);
			continue;
		}
		json_t *mg = json_copy(g);
		json_object_set_new(mg, many ? "chosen" : "options", many ? chosen : options);
		json_object_set_new(mg, "active", json_true());
		json_array_append_new(groups, mg);
	}
	json_object_set_new(copy, "groups", groups);
	return copy;
}

/*
 * The page of every value of a dimension with too many to list on each
 * list page (NB_SITE_LINKS_MAX; communities): `<kind>/<dim>/`, every
 * option with its count, communities under their street. Returns the
 * group's `more` ({url, count}), or NULL when the path is taken (the group
 * then lists its values, as a long list beats a missing one).
 */
static json_t *dim_index(nb_extra_ctx *x, const char *kind, const char *dim, const char *title,
			 json_t *options)
{
	nb_site *s = x->s;
	nb_buf rel = NB_BUF_INIT, t = NB_BUF_INIT;
	nb_buf_printf(&rel, "%s/%s/", kind, dim);
	nb_buf_printf(&t, "%s%s%s", nb_site_label(s, "kinds", kind), tstr(s, "colon", ": "),
		      title);
	nb_extra_page *e = nb_extra_add(x, "list", kind, nb_buf_cstr(&rel), nb_buf_cstr(&t),
				     nb_extra_kind_crumbs(x, kind));
	nb_buf_free(&rel);
	if (!e) {
		nb_buf_free(&t);
		return NULL;
	}
	json_t *sections = nb_site_groups_by_street(options);
	json_t *list = json_object();
	set_str(list, "title", nb_buf_cstr(&t));
	set_str(list, "kind", kind);
	set_str(list, "filter_dim", dim);
	json_object_set_new(list, "count", json_integer((json_int_t)json_array_size(options)));
	json_object_set_new(list, "option_groups", sections);
	e->list = list;
	nb_buf_free(&t);
	json_t *more = json_object();
	json_object_set(more, "url", json_object_get(e->page, "url"));
	json_object_set_new(more, "count", json_integer((json_int_t)json_array_size(options)));
	return more;
}

/*
 * Where each filter page's own option is in a group of many (site.h
 * cut.many_at), found once by url here: nav_marked scanned the whole
 * group for it on each filter's page, and with a filter per community and
 * kind that was quadratic in communities (7.8% of a 50,000-document
 * build of 5,000 communities, on the thread that makes contexts). The
 * first option with a url, as the scan found; one group of many (the
 * first) per page. O(options + filter pages).
 */
static void many_options_at(nb_site *s, size_t first_extra, json_t *aside)
{
	const char *dim;
	json_t *opts;
	json_object_foreach(aside, dim, opts) {
		json_t *by_url = json_object();
		size_t i;
		json_t *o;
		json_array_foreach(opts, i, o) {
			const char *u = str(o, "url");
			if (u && !json_object_get(by_url, u))
				json_object_set_new(by_url, u, json_integer((json_int_t)i));
		}
		for (size_t k = first_extra; k < s->n_extra; k++) {
			nb_extra_page *e = &s->extra[k];
			if (!e->cut.all || e->cut.many_dim)
				continue;
			json_t *at = json_object_get(by_url, json_string_value(e->cut.url));
			e->cut.many_dim = dim;
			e->cut.many_at = at ? 2 + (size_t)json_integer_value(at) : 1;
		}
		json_decref(by_url);
	}
}

/*
 * Filter pages of one kind over the given dimensions, and the navigation
 * shared by the kind's list and its filter pages: one group per dimension,
 * one link per value with its count, the active one marked.
 */
static void kind_filters(nb_extra_ctx *x, const char *kind, const char *const *dims, size_t ndims)
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
	json_t *aside = json_object(); /* dimension -> options of a group of many */
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
			nb_extra_page *e = nb_extra_add(x, "list", kind, nb_buf_cstr(&rel),
						     nb_buf_cstr(&title), nb_extra_kind_crumbs(x, kind));
			if (!e) {
				json_decref(items);
				continue;
			}
			json_t *o = json_object();
			set_str(o, "label", label);
			set_str(o, "value", val);
			json_t *label_v = json_object_get(o, "label");
			if (!strcmp(dims[d], "community"))
				set_str(o, "street", nb_doc_str(s->pages[nb_site_find(s, val)].doc,
								"street"));
			json_object_set(o, "url", json_object_get(e->page, "url"));
			json_object_set_new(o, "count", json_integer((json_int_t)json_array_size(items)));
			json_array_append_new(options, o);
			json_t *list = json_object();
			json_object_set(list, "title", json_object_get(e->page, "title"));
			nb_site_set_shared(s, list, "kind", kind);
			nb_site_set_shared(s, list, "filter_dim", dims[d]);
			json_object_set(list, "filter_label", label_v);
			json_object_set_new(list, "count", json_integer((json_int_t)json_array_size(items)));
			json_object_set_new(list, "items", items);
			nb_site_set_shared(s, list, "all_url", all_url);
			if (!strcmp(kind, "decisions")) {
				nb_site_set_shared(s, list, "as_of", s->as_of);
				json_object_set_new(list, "as_of_display", date_display(s, s->as_of));
			}
			e->list = list;
			size_t ei = (size_t)(e - s->extra);
			/* Community page links to its own filtered lists. */
			if (!strcmp(dims[d], "community")) {
				long ci = nb_site_find(s, val);
				json_t *cpg = nb_page_derived(&s->pages[ci]);
				json_t *lu = json_object_get(cpg, "list_urls");
				if (!lu) {
					lu = json_object();
					json_object_set_new(cpg, "list_urls", lu);
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
			/* Only communities grow with the site's breadth: years
			 * come one a year and the newest are what a resident
			 * wants in reach; categories and statuses are fixed. */
			json_t *more = !strcmp(dims[d], "community") &&
						       json_array_size(options) > NB_SITE_LINKS_MAX
					       ? dim_index(x, kind, dims[d], str(g, "title"), options)
					       : NULL;
			if (more) {
				json_object_set_new(g, "more", more);
				json_object_set_new(aside, dims[d], options);
			} else {
				json_object_set_new(g, "options", options);
			}
			json_array_append_new(groups, g);
		} else {
			json_decref(options);
		}
	}
	/* The navigation, marked for each filter when its page is rendered. */
	for (size_t k = first_extra; k < s->n_extra; k++) {
		nb_extra_page *e = &s->extra[k];
		if (!e->cut.all)
			continue; /* a dimension's page of values (dim_index) */
		e->cut.nav = json_incref(nav);
		e->cut.aside = json_incref(aside);
	}
	many_options_at(s, first_extra, aside);
	json_object_set_new(s->filters, kind, nav_marked(nav, aside, all_url, NULL, 0));
	json_decref(nav);
	json_decref(aside);
	free(all_url);
	nb_buf_free(&rel);
	nb_buf_free(&tmp);
	nb_buf_free(&title);
}


typedef struct kind_key {
	json_t *item;
	const char *date, *url;
	size_t pos;
	int later;
} kind_key;

/* Date descending, a year before its own Q4 (site.h
 * nb_site_item_later), ties by URL as every filter page breaks them
 * (site.h nb_site_sort_items): ties in content order put two decisions
 * of one day in one order on /decisions/ and the other on their
 * category's page, and a page break between them on different pages.
 * Content order is left only for items with the same URL, which
 * validation reports. */
static int cmp_kind_key(const void *a, const void *b)
{
	const kind_key *p = a, *q = b;
	int c = strcmp(q->date ? q->date : "", p->date ? p->date : "");
	if (!c && p->later != q->later)
		return q->later - p->later;
	if (!c)
		c = strcmp(p->url ? p->url : "", q->url ? q->url : "");
	if (c)
		return c;
	return p->pos < q->pos ? -1 : p->pos > q->pos;
}

/* Items of one kind, newest first (evaluations by the end of their
 * period, a year before its own Q4), ties by URL. O(n log n): insertion
 * sort was quadratic in the size of a kind (25,000 meetings at 50,000
 * documents). */
static json_t *kind_items(const nb_site *s, const char *kind)
{
	const size_t *of;
	size_t n = nb_site_index_kind(s->ix, nb_kind_of(kind), &of), k = 0;
	kind_key *keys = calloc(n ? n : 1, sizeof(*keys));
	if (!keys)
		abort();
	for (size_t j = 0; j < n; j++) {
		size_t i = of[j];
		keys[k].item = s->pages[i].item;
		keys[k].date = nb_site_item_when(keys[k].item);
		keys[k].url = str(keys[k].item, "url");
		keys[k].later = nb_site_item_later(keys[k].item);
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
void nb_lists_cut_community(nb_site *s)
{
	static const char *const keys[] = { "meetings", "decisions", "evaluations" };
	size_t ps = s->cfg->page_size;
	for (size_t i = 0; i < s->len; i++) {
		if (strcmp(s->pages[i].doc->kind, "communities"))
			continue;
		json_t *pg = nb_page_derived(&s->pages[i]);
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

void nb_lists_derive(nb_site *s, const nb_eval_index *ix, nb_diag *d)
{
	nb_extra_ctx x = { s, 0, json_object(), d, json_object() };
	for (size_t i = 0; i < s->len; i++)
		json_object_set_new(x.taken, s->pages[i].out_path, json_integer((json_int_t)i + 1));
	/* The kinds' own lists, rendered (and paged) by the render stage. */
	s->lists = json_object();
	for (size_t k = 0; k < NB_SITE_N_KINDS; k++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "%s/index.html", nb_site_kinds[k]);
		json_object_set_new(x.taken, rel, json_true());
		size_t n = kind_count(s, nb_site_kinds[k]);
		if (!n)
			continue;
		json_object_set_new(s->lists, nb_site_kinds[k], kind_items(s, nb_site_kinds[k]));
		snprintf(rel, sizeof(rel), "%s/", nb_site_kinds[k]);
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
	nb_charters_compare(&x);
	static const char *const mdims[] = { "year", "community", "status" };
	static const char *const ddims[] = { "year", "community", "category", "status" };
	static const char *const edims[] = { "year", "community" };
	kind_filters(&x, "meetings", mdims, 3);
	kind_filters(&x, "decisions", ddims, 4);
	nb_evaluations_compare(&x, ix);
	kind_filters(&x, "evaluations", edims, 2);
	json_decref(x.taken);
	json_decref(x.crumbs);
}

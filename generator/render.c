/*
 * render.c - the render and write stages; see render.h.
 */
#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "feeds.h"
#include "fs.h"
#include "mustache.h"
#include "search.h"

typedef struct out_ctx {
	const nb_site *s;
	const char *dir;
	nb_render_stats *st;
	nb_diag *d;
	json_t *written;   /* output-relative paths written (set) */
	json_t *links;     /* output path -> array of hrefs, for the link check */
	const char *reuse; /* previous output folder, or NULL (cache.h) */
} out_ctx;

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int write_out(out_ctx *o, const char *rel, const void *data, size_t len)
{
	char *path = nb_path_join(o->dir, rel);
	int rc;
	if (o->reuse && !json_object_get(o->written, rel) &&
	    nb_cache_link_same(o->reuse, rel, path, data, len) == 0) {
		rc = 0;
		o->st->unchanged++;
	} else {
		/* A second write to a path must not go through a link into the
		 * live folder. */
		if (o->reuse && json_object_get(o->written, rel))
			unlink(path);
		rc = nb_fs_write(path, data, len);
	}
	if (rc != 0)
		nb_error(o->d, rel, 0, 0, "io", "check free disk space and permissions",
			 "cannot write output file: %s", strerror(errno));
	free(path);
	json_object_set_new(o->written, rel, json_true());
	o->st->files++;
	o->st->bytes += len;
	return rc;
}

/* Collect href/src values pointing inside the site, for the link check. */
static void collect_links(out_ctx *o, const char *rel, const char *html)
{
	const char *base = o->s->cfg->base_path;
	size_t bl = strlen(base);
	json_t *arr = json_array();
	for (const char *p = html; (p = strstr(p, "=\"")) != NULL; p += 2) {
		if (p < html + 4)
			continue;
		int is_href = !strncmp(p - 4, "href", 4);
		int is_src = !strncmp(p - 3, "src", 3);
		if (!is_href && !is_src)
			continue;
		const char *v = p + 2, *end = strchr(v, '"');
		if (!end)
			break;
		if (strncmp(v, base, bl) == 0 && v[bl] != '/')
			json_array_append_new(arr, json_stringn(v, (size_t)(end - v)));
	}
	json_object_set_new(o->links, rel, arr);
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

static void mark_nav(json_t *ctx, const nb_site *s, const char *kind)
{
	/* `site` is shared by all pages; the current-page flag goes on a copy. */
	json_t *site = json_copy(s->site);
	json_t *nav = json_deep_copy(json_object_get(site, "nav"));
	size_t i;
	json_t *e;
	json_array_foreach(nav, i, e) {
		if (kind && !strcmp(str(e, "kind"), kind))
			json_object_set_new(e, "current", json_true());
	}
	json_object_set_new(site, "nav", nav);
	json_object_set_new(ctx, "site", site);
}

static int render_to(out_ctx *o, const char *layout, json_t *ctx, const char *rel)
{
	nb_buf out = NB_BUF_INIT;
	int rc = nb_mustache_render(o->s->theme->templates, layout, ctx, &out, o->d);
	if (rc == 0) {
		rc = write_out(o, rel, out.ptr ? out.ptr : "", out.len);
		collect_links(o, rel, nb_buf_cstr(&out));
		o->st->pages++;
	}
	nb_buf_free(&out);
	return rc;
}

static const char *home_title(const nb_site *s)
{
	const char *h = str(s->theme->strings, "home");
	return h ? h : "Home";
}

static void render_doc(out_ctx *o, const nb_page *p)
{
	const nb_site *s = o->s;
	json_t *ctx = base_context(s);
	mark_nav(ctx, s, p->doc->kind);
	json_t *page = json_copy(p->page);
	json_object_set_new(page, "content", json_string(p->html));
	json_t *crumbs = json_array();
	json_array_append_new(crumbs, crumb(home_title(s), s->cfg->base_path));
	if (strcmp(p->doc->kind, "pages")) {
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%s%s/", s->cfg->base_path, p->doc->kind);
		json_array_append_new(crumbs, crumb(nb_site_label(s, "kinds", p->doc->kind),
						    nb_buf_cstr(&b)));
		nb_buf_free(&b);
	}
	json_array_append_new(crumbs, crumb(str(p->page, "title"), NULL));
	json_object_set_new(page, "breadcrumbs", crumbs);
	json_object_set_new(ctx, "page", page);
	render_to(o, p->layout, ctx, p->out_path);
	json_decref(ctx);
}

typedef struct kind_key {
	json_t *item;
	const char *date;
	size_t pos;
} kind_key;

/* Date descending, ties in content order (what the old stable sort did). */
static int cmp_kind_key(const void *a, const void *b)
{
	const kind_key *x = a, *y = b;
	int c = strcmp(y->date ? y->date : "", x->date ? x->date : "");
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Items of one kind, newest first, grouped by year. */
static json_t *kind_items(const nb_site *s, const char *kind)
{
	json_t *items = json_array();
	for (size_t i = 0; i < s->len; i++)
		if (!strcmp(s->pages[i].doc->kind, kind))
			json_array_append(items, s->pages[i].item);
	/* Dated kinds newest first; undated keep content (path) order. A
	 * stable O(n log n) sort: insertion sort here was quadratic in the
	 * size of a kind (25,000 meetings at 50,000 documents). */
	size_t n = json_array_size(items);
	kind_key *keys = calloc(n ? n : 1, sizeof(*keys));
	if (!keys)
		abort();
	for (size_t i = 0; i < n; i++) {
		keys[i].item = json_incref(json_array_get(items, i));
		keys[i].date = str(keys[i].item, "date");
		keys[i].pos = i;
	}
	qsort(keys, n, sizeof(*keys), cmp_kind_key);
	for (size_t i = 0; i < n; i++)
		json_array_set_new(items, i, keys[i].item);
	free(keys);
	return items;
}

static json_t *group_by_year(json_t *items)
{
	json_t *groups = json_array();
	json_t *cur = NULL;
	char year[5] = "";
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *d = str(it, "date");
		char y[5] = "";
		if (d && strlen(d) >= 4)
			memcpy(y, d, 4);
		if (!cur || strcmp(y, year)) {
			memcpy(year, y, 5);
			cur = json_object();
			json_object_set_new(cur, "title", json_string(y));
			json_object_set_new(cur, "items", json_array());
			json_array_append_new(groups, cur);
		}
		json_array_append(json_object_get(cur, "items"), it);
	}
	return groups;
}

static void render_lists(out_ctx *o)
{
	const nb_site *s = o->s;
	json_t *nav = json_object_get(s->site, "nav");
	json_t *kinds = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(nav, i, e)
		json_array_append(kinds, json_object_get(e, "kind"));
	/* Free pages have a list too, though they are not in the navigation. */
	json_array_append_new(kinds, json_string("pages"));
	json_array_foreach(kinds, i, e) {
		const char *kind = json_string_value(e);
		json_t *items = kind_items(s, kind);
		if (!json_array_size(items)) {
			json_decref(items);
			continue;
		}
		json_t *ctx = base_context(s);
		mark_nav(ctx, s, kind);
		json_t *list = json_object();
		const char *title = nb_site_label(s, "kinds", kind);
		json_object_set_new(list, "title", json_string(title));
		json_object_set_new(list, "kind", json_string(kind));
		json_object_set_new(list, "count", json_integer((json_int_t)json_array_size(items)));
		json_object_set_new(list, "groups", group_by_year(items));
		json_object_set_new(list, "items", items);
		/* Filter navigation and extras (site.c derives them). */
		json_t *fnav = json_object_get(s->filters, kind);
		if (fnav)
			json_object_set(list, "filter_nav", fnav);
		json_object_update(list, json_object_get(s->list_extra, kind));
		json_object_set_new(ctx, "list", list);
		json_t *page = json_object();
		json_object_set_new(page, "title", json_string(title));
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%s%s/", s->cfg->base_path, kind);
		json_object_set_new(page, "url", json_string(nb_buf_cstr(&b)));
		nb_buf_clear(&b);
		nb_buf_printf(&b, "%s%s/", s->cfg->base_url, kind);
		json_object_set_new(page, "permalink", json_string(nb_buf_cstr(&b)));
		nb_buf_free(&b);
		json_object_set_new(page, "kind", json_string(kind));
		json_t *crumbs = json_array();
		json_array_append_new(crumbs, crumb(home_title(s), s->cfg->base_path));
		json_array_append_new(crumbs, crumb(title, NULL));
		json_object_set_new(page, "breadcrumbs", crumbs);
		json_object_set_new(ctx, "page", page);
		char rel[256];
		snprintf(rel, sizeof(rel), "%s/index.html", kind);
		render_to(o, "list", ctx, rel);
		json_decref(ctx);
	}
	json_decref(kinds);
}

/* Derived pages (filtered lists, comparisons); data from site.c. */
static void render_extra(out_ctx *o)
{
	const nb_site *s = o->s;
	for (size_t i = 0; i < s->n_extra; i++) {
		const nb_extra_page *e = &s->extra[i];
		json_t *ctx = base_context(s);
		mark_nav(ctx, s, e->nav_kind);
		json_object_set(ctx, "page", e->page);
		if (e->list)
			json_object_set(ctx, "list", e->list);
		render_to(o, e->layout, ctx, e->out_path);
		json_decref(ctx);
	}
}

/* The publication history (/history/, /history/N/); data from history.c. */
static void render_history(out_ctx *o)
{
	const nb_site *s = o->s;
	size_t i;
	json_t *h;
	json_array_foreach(s->history, i, h) {
		json_t *ctx = base_context(s);
		mark_nav(ctx, s, "history");
		json_object_set(ctx, "page", json_object_get(h, "page"));
		render_to(o, str(h, "layout"), ctx, str(h, "out_path"));
		json_decref(ctx);
	}
}

static void render_home(out_ctx *o)
{
	const nb_site *s = o->s;
	json_t *ctx = base_context(s);
	mark_nav(ctx, s, NULL);
	json_t *home = json_object();
	json_t *sections = json_array();
	static const char *const kinds[] = { "meetings", "decisions", "evaluations", "charters" };
	for (size_t k = 0; k < 4; k++) {
		json_t *items = kind_items(s, kinds[k]);
		if (!json_array_size(items)) {
			json_decref(items);
			continue;
		}
		while (json_array_size(items) > 5)
			json_array_remove(items, json_array_size(items) - 1);
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
	json_object_set(home, "communities", json_object_get(s->site, "communities"));
	json_object_set(home, "pages", json_object_get(s->site, "pages"));
	json_object_set_new(ctx, "home", home);
	json_t *page = json_object();
	json_object_set_new(page, "title", json_string(s->cfg->title));
	json_object_set_new(page, "url", json_string(s->cfg->base_path));
	json_object_set_new(page, "permalink", json_string(s->cfg->base_url));
	json_object_set_new(page, "description", json_string(s->cfg->description));
	json_object_set_new(page, "is_home", json_true());
	json_object_set_new(ctx, "page", page);
	render_to(o, "home", ctx, "index.html");
	json_decref(ctx);

	ctx = base_context(s);
	mark_nav(ctx, s, NULL);
	page = json_object();
	const char *nf = str(s->theme->strings, "not_found_title");
	json_object_set_new(page, "title", json_string(nf ? nf : "Page not found"));
	json_object_set_new(page, "url", json_string(s->cfg->base_path));
	json_object_set_new(ctx, "page", page);
	render_to(o, "404", ctx, "404.html");
	json_decref(ctx);
}

/* The search page and its build-time index (search.c). */
static void emit_search_file(void *ud, const char *rel, const char *data, size_t len)
{
	write_out(ud, rel, data, len);
}

static void render_search(out_ctx *o)
{
	const nb_site *s = o->s;
	if (!nb_theme_has_layout(s->theme, "search"))
		return;
	nb_search_build(s, emit_search_file, o);
	json_t *ctx = base_context(s);
	mark_nav(ctx, s, NULL);
	json_t *page = json_object();
	const char *title = str(s->theme->strings, "search");
	json_object_set_new(page, "title", json_string(title ? title : "Search"));
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
	json_array_append_new(crumbs, crumb(title ? title : "Search", NULL));
	json_object_set_new(page, "breadcrumbs", crumbs);
	json_object_set_new(ctx, "page", page);
	render_to(o, "search", ctx, "search/index.html");
	json_decref(ctx);
}

static void copy_statics(out_ctx *o, const nb_content *c)
{
	const nb_site *s = o->s;
	for (size_t i = 0; i < s->theme->n_statics; i++) {
		const nb_theme_file *f = &s->theme->statics[i];
		if (f->disk_path) {
			char *data;
			size_t len;
			if (nb_fs_read(f->disk_path, 0, &data, &len) != 0) {
				nb_error(o->d, f->disk_path, 0, 0, "io", NULL,
					 "cannot read theme file: %s", strerror(errno));
				continue;
			}
			write_out(o, f->dest, data, len);
			free(data);
		} else {
			write_out(o, f->dest, f->data, f->len);
		}
	}
	/* The site's own static/ folder wins over the theme's files. */
	char *sdir = nb_path_join(s->cfg->site_dir, "static");
	if (nb_fs_is_dir(sdir)) {
		nb_strlist files = { 0 };
		nb_fs_walk(sdir, &files, NULL);
		for (size_t i = 0; i < files.len; i++) {
			char *from = nb_path_join(sdir, files.items[i]);
			char *data;
			size_t len;
			if (nb_fs_read(from, 0, &data, &len) == 0) {
				write_out(o, files.items[i], data, len);
				free(data);
			}
			free(from);
		}
		nb_strlist_free(&files);
	}
	free(sdir);
	for (size_t i = 0; i < c->n_assets; i++) {
		char *from = nb_path_join(s->cfg->site_dir, c->assets[i].src);
		char *data;
		size_t len;
		if (nb_fs_read(from, s->cfg->max_file_size, &data, &len) == 0) {
			write_out(o, c->assets[i].dest, data, len);
			free(data);
		} else {
			nb_error(o->d, c->assets[i].src, 0, 0, "io", NULL,
				 "cannot read: %s", strerror(errno));
		}
		free(from);
	}
}

/* Map a root-relative URL to the output file that serves it. */
static int link_target_exists(out_ctx *o, const char *href)
{
	const char *base = o->s->cfg->base_path;
	nb_buf b = NB_BUF_INIT;
	const char *p = href + strlen(base);
	size_t n = strcspn(p, "?#");
	nb_buf_put(&b, p, n);
	if (b.len == 0 || b.ptr[b.len - 1] == '/')
		nb_buf_puts(&b, "index.html");
	int ok = json_object_get(o->written, nb_buf_cstr(&b)) != NULL;
	if (!ok) {
		nb_buf_puts(&b, "/index.html");
		ok = json_object_get(o->written, nb_buf_cstr(&b)) != NULL;
	}
	nb_buf_free(&b);
	return ok;
}

/* Another language's build (site.yaml `alternates`) is not in this output. */
static int is_alternate(const out_ctx *o, const char *href)
{
	size_t i;
	json_t *a;
	json_array_foreach(o->s->cfg->alternates, i, a) {
		const char *u = str(a, "url");
		if (u && u[0] && !strncmp(href, u, strlen(u)))
			return 1;
	}
	return 0;
}

static void check_links(out_ctx *o)
{
	const char *rel;
	json_t *arr;
	json_object_foreach(o->links, rel, arr) {
		size_t i;
		json_t *h;
		json_array_foreach(arr, i, h) {
			const char *href = json_string_value(h);
			if (!link_target_exists(o, href) && !is_alternate(o, href))
				nb_error(o->d, rel, 0, 0, "link-broken",
					 "fix the link in the document or template that produced it",
					 "internal link to %s does not resolve to any page", href);
		}
	}
}

int nb_render_site(const nb_site *s, const nb_content *c, const char *dir,
		   nb_render_stats *st, nb_diag *d)
{
	return nb_render_site_reusing(s, c, dir, NULL, st, d);
}

int nb_render_site_reusing(const nb_site *s, const nb_content *c, const char *dir,
			   const char *reuse, nb_render_stats *st, nb_diag *d)
{
	memset(st, 0, sizeof(*st));
	size_t before = d->errors;
	out_ctx o = { s, dir, st, d, json_object(), json_object(), reuse };
	for (size_t i = 0; i < s->len; i++)
		render_doc(&o, &s->pages[i]);
	render_lists(&o);
	render_extra(&o);
	render_history(&o);
	render_home(&o);
	render_search(&o);
	copy_statics(&o, c);
	/* Feeds, calendars, sitemap, open data: after the HTML, which the
	 * sitemap lists, and before the link check, which may link to them. */
	nb_feeds_write(s, dir, st, o.written, d);
	if (d->errors == before)
		check_links(&o);
	json_decref(o.written);
	json_decref(o.links);
	return d->errors > before ? -1 : 0;
}

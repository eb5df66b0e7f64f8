/*
 * context.h - a page's template context: what its layout reads, made from
 * the site graph (site.h) for one page of the site.
 *
 * Every context holds `site` (with the navigation entry of the page's
 * kind marked current), `t` (the theme's strings), `lang` and `page`;
 * a list page also `list` and the home page `home`. A document's body is
 * not in it: the worker that renders the page adds it (render.c), after
 * the page memo (memo.h) had its say, so a page that is not rendered
 * never turns its body into values.
 *
 * Main thread only: contexts take references to the graph's values, and
 * reference counts are changed on the main thread alone (render.c). The
 * exception is nb_context_draw_later, which adds only values of its own.
 */
#ifndef NB_RENDER_CONTEXT_H
#define NB_RENDER_CONTEXT_H

#include <jansson.h>
#include <stddef.h>

#include "graph/site.h"
#include "render/trends.h"

/* The kinds of HTML page a site has. */
typedef enum nb_page_kind {
	NB_PAGE_DOC,     /* a document: `idx` into s->pages */
	NB_PAGE_LIST,    /* page `idx` (from 1) of the list of kind `name` */
	NB_PAGE_EXTRA,   /* a derived page: `idx` into s->extra */
	NB_PAGE_HISTORY, /* a publication's page: `idx` into s->history */
	NB_PAGE_HOME,
	NB_PAGE_404,
	NB_PAGE_SEARCH
} nb_page_kind;

/* The context of one page (a new reference). `navs` holds each kind's
 * `site` (nb_context_site_for); `charts` the communities' trend charts'
 * digests, made as pages need them (trends.h), so main thread only. */
json_t *nb_context_page(json_t *navs, const nb_site *s, nb_trend_charts *charts,
			nb_page_kind kind, size_t idx, const char *name);

/* The navigation kind a page marks current, or NULL for none. */
const char *nb_context_nav_kind(const nb_site *s, nb_page_kind kind, size_t idx,
				const char *name);

/* `site` with the navigation entry of `kind` (NULL: none) marked current
 * (borrowed). Every page of a kind has the same one, so it is made once
 * per kind into `navs` (kind -> site; "" for none) and shared by their
 * contexts: a copy of `site` and its navigation per page was a tenth of a
 * rebuild. */
json_t *nb_context_site_for(json_t *navs, const nb_site *s, const char *kind);

/* Draws what document page `p`'s context left for the page that is
 * rendered (its trend charts, from `charts`' cache under its lock,
 * trends.h; its notice's QR code, notice.h) into `page`, the context's
 * own view. Changes only that view and the cache, so the worker rendering
 * the page calls it. Returns the trends to free once the page is rendered
 * (nb_trend_charts_undraw), or NULL. */
json_t *nb_context_draw_later(json_t *page, nb_trend_charts *charts, const nb_site *s,
			      const nb_page *p);

/* The same for a derived page's context `ctx`: a comparison's bar
 * charts (trends.h nb_trend_charts_compare_draw). Returns what to free
 * once the page is rendered (nb_trend_charts_undraw), or NULL. */
json_t *nb_context_draw_list_later(json_t *ctx);

#endif

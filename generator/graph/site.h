/*
 * site.h - the link stage: documents into a site graph.
 *
 * After loading and validation, this stage resolves references between
 * documents (a decision's meeting, a meeting's community, a charter's
 * versions), derives what no secretary should type twice (a meeting's
 * decisions, a decision's status as of a date, an evaluation's change
 * against the previous period) and assigns every page its URL. The result
 * is plain data (jansson) that the render stage turns into HTML; nothing
 * here produces markup. What would grow with the square of the documents
 * is not held in the graph but made as a view when the render stage
 * builds that page's context (below: a charter's versions on each
 * version's page, the articles of two versions compared, read from the
 * charters' sources); the rest of the render stage reads only the graph.
 *
 * Document pages' `page` objects are views too (nb_site_page_view):
 * made with the page's context and freed with it, rather than held from
 * linking to the end of the build. The fields every page has (title, id,
 * kind, kind_label, layout, url, permalink, description, summary, meta,
 * draft, date, date_display, community) come from its item, which the
 * lists share, its typed fields (url, layout) and its document; the graph
 * held them a second time in a page object per document, the largest
 * single part of it at 10,000 documents. What only a page's own template
 * shows is made from its front matter, the build's date, the graph's
 * items, the index and small facts kept for it (nb_page.previous):
 * meetings (attendance, agenda, status, the approving meeting, its
 * decisions), charters (articles), decisions
 * (category, rule, result, progress, due date, status, their meeting and
 * the one superseded) and evaluations (indicator rows, previous period):
 * derive.c nb_derive_*_view, charters.c; and every document's history
 * line and last correction, from the publications that listed it
 * (nb_page.pubs, history.h). The graph keeps in
 * nb_page.page only what linking derives and nothing can make later (a
 * community's documents, a charter's version facts, the decision that
 * supersedes one, attachments), NULL for a page with none, and in
 * nb_page.item what lists, feeds, exports, the search and other pages
 * read (its title, url, summary, date, community; a decision's result
 * and status; a view takes shared objects, the votes, from the item).
 * Where a view shows another page (a decision's meeting, the approving
 * meeting, the previous period) it takes that page's final item,
 * whatever the content order. Next: communities (committee) and charters
 * (version facts as small structs beside index.h's records; the
 * comparisons read changes_url and effective_display).
 */
#ifndef NB_SITE_H
#define NB_SITE_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"
#include "config/config.h"
#include "load/content.h"
#include "util/diag.h"
#include "template/theme.h"

/* How many links to communities (or to a list's filter values) a page
 * shows by name before it shows one link to a page of them all instead:
 * a phone screen of them. A street has a few communities; a district of
 * a thousand would put a thousand links on every list page (the filters
 * come before the items), on the home page and in every footer. */
#define NB_SITE_LINKS_MAX 12

typedef struct nb_page {
	const nb_doc *doc;
	char *url;          /* root-relative with base path, ends with '/' */
	char *out_path;     /* output-relative file, e.g. "meetings/x/index.html" */
	char *layout;
	json_t *page;       /* what linking derived for its `page` that nothing
			     * can make later (reverse links, a charter's
			     * version facts...), or NULL when nothing: the
			     * `page` templates see is a view (nb_site_page_view) */
	json_t *item;       /* the list-item form of this page: title, url, kind,
			     * kind_label, summary, date, date_display,
			     * community, and per kind what lists show */
	/* Its body's HTML, text and toc are the document's (doc->html, …),
	 * rendered while loading. */
	size_t trends;      /* 1 + slot of its community's trends in nb_site.trends, or 0 */
	size_t previous;    /* evaluations: 1 + index in nb_site.pages of the same
			     * community's previous period's, or 0 (its view
			     * compares with it) */
	json_t *version;    /* a charter version's entry in its lists of versions, or NULL */
	/* The publications that listed it, oldest first: the first as added,
	 * the rest as amended (or added again), each as its publication's
	 * object and its entry there (`changed`: in its changed list), both
	 * held by nb_site.pubs (history.c). Its view makes `history` and
	 * `last_change` from them: per document they were 1.3 KB of JSON
	 * held from linking to the end of the build. */
	struct nb_page_pub {
		const json_t *pub, *entry;
		char *url;      /* its entry on the publication's page */
		int changed;
	} *pubs;
	size_t n_pubs;
} nb_page;

/*
 * A derived page with no document of its own: a filtered list
 * (/decisions/2024/), the street-level comparison of evaluations, the
 * comparison of two charter versions. The render stage gives it the common
 * context plus `page` and, for lists, `list`.
 */
typedef struct nb_extra_page {
	char *layout;
	char *out_path;     /* output-relative, ".../index.html" */
	char *nav_kind;     /* navigation entry marked current */
	json_t *page;       /* title, url, permalink, kind, breadcrumbs, … */
	json_t *list;       /* the `list` object, or NULL (see `cut`) */
	/* A filtered list's page, cut when rendered (nb_extra_list_view):
	 * page `no` of `all` (the whole list, shared by its pages), whose
	 * first page is at `url`, with the filter navigation `nav` and the
	 * options of its groups of many `aside` (the kind's, shared by all
	 * its filters; marked for this one when rendered). `all` is NULL for
	 * any other page. `many_at` is where its own option is in the group of
	 * many `many_dim` (aside): 0 not known, 1 none, 2 + its index. */
	struct {
		json_t *all, *url, *nav, *aside;
		size_t no;
		const char *many_dim;
		size_t many_at;
	} cut;
	const nb_page *charter; /* a comparison of charter versions: the newer
				 * one, whose page view adds the versions and
				 * the articles compared (nb_charters_compare_view);
				 * else NULL */
	/* A page of the comparison of communities: the latest evaluations
	 * of its communities (a slice of nb_site.compare_latest), whose
	 * table and bars become its list's `compare` when it is rendered
	 * (nb_extra_list_view); else NULL. */
	const nb_page *const *compare;
	size_t n_compare;
} nb_extra_page;

struct nb_trends;   /* a community's trends (trends.h) */

typedef struct nb_site {
	const nb_config *cfg;
	const nb_theme *theme;
	nb_page *pages;     /* published documents, in content order */
	size_t len;
	json_t *by_id;      /* id -> index into pages */
	json_t *site;       /* the `site` object templates see */
	char as_of[11];     /* YYYY-MM-DD */
	size_t publication; /* nb_site_opts.publication */
	int drafts;         /* drafts included (preview) */
	nb_extra_page *extra;   /* derived pages, in a fixed order */
	size_t n_extra;
	json_t *filters;    /* kind -> filter navigation of its main list */
	json_t *list_extra; /* kind -> fields added to its main list (compare_url) */
	const nb_page **compare_latest; /* each community's latest evaluation, in
					 * content order (nb_extra_page.compare) */
	json_t *lists;      /* kind -> its items, newest first (paged by render.c) */
	struct nb_trends *trends;  /* referenced by nb_page.trends */
	size_t n_trends;
	json_t *history;    /* the history pages ({layout, out_path, page}), or NULL
			     * when there is no publication history (history.h) */
	json_t *pubs;       /* the publications as the history pages show them,
			     * which nb_page.pubs point into, or NULL */
	json_t *attachments;  /* [{src, dest}] files published beside their
			       * documents' pages (attach.h) */
	json_t *attached;   /* content file -> true: linked by a document, so
			     * not published where it lies */
	json_t *shared;     /* while linking: one string per repeated value (site.c) */
	json_t *shared_votes;  /* while linking: one votes object per count (derive.c) */
	struct nb_site_index *ix;  /* records and indexes (index.h): linking derives
				    * through them, and views made when rendering
				    * (charter versions) ask them too */
	struct nb_diffmemo *diffs;  /* nb_site_opts.diffs, for the comparison views */
} nb_site;

typedef struct nb_site_opts {
	const char *as_of;  /* YYYY-MM-DD; NULL = today (UTC) */
	int drafts;         /* include drafts (serve) */
	/* The publication this output is (publish's pending one, or build
	 * --publication N): its pages' meta tag names it, or the earlier one
	 * that served the page as it is (output/pubtag.h); 0 for a build
	 * that is no publication, which names none. */
	size_t publication;
	/* Charter comparisons' article diffs kept between builds
	 * (util/diffmemo.h; the caller opens, saves and frees it), or NULL. */
	struct nb_diffmemo *diffs;
} nb_site_opts;

/* Whether linking or a view reads the Markdown source of documents of
 * `kind` (charters: split into articles and compared): the load stage
 * keeps those for the site's life (content.h nb_content_opts.keep_body,
 * nb_content_release_sources). */
int nb_site_reads_body(const char *kind);

/* Build the graph. Documents that failed to load are left out; the
 * published ones must have been loaded with Markdown rendered
 * (nb_content_opts.markdown). Later steps add to it, each knowing the
 * typed site while it knows nothing of them (build.c link_graph):
 * attachments (attach.h), the printed notice (notice.h) and the history
 * pages from the publication record (history.h). */
int nb_site_link(nb_site *s, const nb_config *cfg, const nb_content *c,
		 const nb_theme *theme, const nb_site_opts *o, nb_diag *d);
void nb_site_free(nb_site *s);

/* The containers that many pages' contexts hold by reference besides
 * `site` and the theme's strings: every page's list item (in the lists,
 * filters and related documents) and each community's trend table (its
 * columns and period rows, in every one of its evaluation pages) and each
 * charter version's entry (in every list of its charter's versions), for
 * the page memo to hash once per build (memo.h nb_memo_share). */
void nb_site_each_shared(const nb_site *s, void (*fn)(void *ud, const json_t *v), void *ud);

/*
 * Views: parts of a page's template data made when the page is rendered
 * and freed with its context, because held from linking to the end they
 * would grow with the square of what they relate (a community's charter
 * versions). New values each call; they take references to the graph's,
 * so the render stage calls them where it builds contexts.
 */
/* The `page` of document page `p`: the fields every page has (from its
 * item, typed fields and document), what linking derived for it
 * (p->page) and the fields that only its own page shows (see the top
 * comment; derive.c). */
json_t *nb_site_page_view(const nb_site *s, const nb_page *p);
/* The versions of charter page `p`'s charter, oldest first, the one in
 * force marked, and `p` marked `viewing` when `viewing` is set. */
json_t *nb_charters_versions(const nb_site *s, const nb_page *p, int viewing);
/* The `page` of a comparison of charter versions (e->charter): e->page
 * with the versions and the articles compared; NULL for any other page. */
json_t *nb_charters_compare_view(const nb_site *s, const nb_extra_page *e);

/* The `page` of history page `h` (an entry of nb_site.history): its own
 * with, on a publication's page, the documents it shows (`publication`)
 * and, on /history/, its publications, each document as pages show it
 * ({id, path, title, doc_url, anchor, change_url}, made here: held from
 * linking to the end, they were a kilobyte a document of every
 * publication). history.c. */
json_t *nb_history_page_view(const nb_site *s, const json_t *h);
/* The `list` of history page `h`: {pagination} when its list is cut into
 * pages, else NULL. A new reference. history.c. */
json_t *nb_history_list_view(const nb_site *s, const json_t *h);
/* The `list` of a derived page: its own, or its page of a filtered list
 * (e->cut) with items, groups and pagination of that page; NULL when it
 * has none. A new reference. */
json_t *nb_extra_list_view(const nb_site *s, const nb_extra_page *e);

/* p->page, made empty on first use: where linking and the steps after
 * it (attachments, history) put what they derive for a page. */
json_t *nb_page_derived(nb_page *p);

/* Page `p`'s absolute address (its `permalink`): its URL under base_url,
 * or its URL when base_url is a path. Points into `tmp` or p->url. */
const char *nb_site_permalink(const nb_site *s, const nb_page *p, nb_buf *tmp);

/* Index of the page with that id, or -1. */
long nb_site_find(const nb_site *s, const char *id);

/* Label of an enum value from the theme's strings (`group.key`), or key. */
const char *nb_site_label(const nb_site *s, const char *group, const char *key);

/* Items (newest first) grouped by the year of their `date`, as
 * [{title: "2024", items: [...]}]; items are shared, not copied. */
json_t *nb_site_groups_by_year(const json_t *items);
/* Items (each with an optional `street`) grouped by street, for a list of
 * communities too long to show on every page: [{heading, items}], the
 * streets in the order of their first item and those without one last,
 * without a heading. A new reference. lists.c. */
json_t *nb_site_groups_by_street(const json_t *items);

/* The date a list orders an item by: its `date`, else the end of its
 * period (`sort_date`, evaluations), else NULL. */
const char *nb_site_item_when(const json_t *item);
/* 1 for a yearly evaluation's item, else 0: of two items of the same
 * date, it is the later, after its own Q4 that ends the same day
 * (graph/words.h nb_period_cmp), in every list as in the trends. */
int nb_site_item_later(const json_t *item);

/* "2024-07-12" in the site language's long form; copies unknown forms. */
void nb_site_date(const nb_site *s, const char *iso, nb_buf *out);
/* The same as a new JSON string, for a page's `*_display` fields. */
json_t *nb_site_date_value(const nb_site *s, const char *iso);

#endif

/*
 * graph_internal.h - what the link stage's files share; not for other
 * stages (they see site.h).
 *
 * Linking is one sequence of passes (site.c nb_site_link) kept in files by
 * what each pass knows about:
 *   site.c        the driver: pages, URLs, shared values, the `site` object;
 *   derive.c      per-kind data: meetings, decisions, evaluations,
 *                 communities, reverse links, the evaluation index;
 *   charters.c    charter versions, the version in force, comparisons;
 *   lists.c       derived pages: kind lists, filter pages, paging;
 *   indicators.c  evaluation indicators: their wording, trend tables and
 *                 charts, the street-level comparison;
 *   index.c       each page's typed record and the indexes (by kind, each
 *                 community's charters by version) that passes ask
 *                 instead of scanning the pages (index.h; s->ix, kept
 *                 for the views the render stage asks for).
 * The small accessors below are inline so that splitting the passes into
 * files cost no calls in the hot loops.
 */
#ifndef NB_GRAPH_INTERNAL_H
#define NB_GRAPH_INTERNAL_H

#include <stdlib.h>
#include <string.h>

#include "graph/site.h"
#include "load/meta.h"

static inline char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		abort();
	return p;
}

static inline const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static inline long long int_of(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static inline json_t *date_display(const nb_site *s, const char *iso)
{
	return nb_site_date_value(s, iso);
}

static inline void set_str(json_t *obj, const char *key, const char *v)
{
	if (v)
		json_object_set_new(obj, key, json_string(v));
}

/* A string of the theme's, or `fallback`. */
static inline const char *tstr(const nb_site *s, const char *key, const char *fallback)
{
	const char *v = str(s->theme->strings, key);
	return v ? v : fallback;
}

/*
 * Strings are most of the graph's values, and a jansson string costs some
 * 80 bytes whatever it holds, so page data shares rather than copies
 * where it can (jansson strings are never changed in place):
 *   - share_str: a value of a decoded object as it is (a view's place or
 *     chair from the front matter its page decoded, a member's name);
 *     the graph itself keeps front matter strings as copies
 *     (copy_doc_str), since the front matter is not kept as values;
 *   - nb_site_set_shared: a value many pages repeat (a label, a status, the
 *     build date), made once in s->shared while linking.
 */
static inline void share_str(json_t *dst, const char *key, const json_t *src, const char *skey)
{
	json_t *v = json_object_get(src, skey);
	if (json_is_string(v))
		json_object_set(dst, key, v);
}
/* A front matter string as dst[key]: a new string, since the front
 * matter is not kept as values to share (load/meta.h). */
static inline void copy_doc_str(json_t *dst, const char *key, const nb_doc *doc,
				const char *skey)
{
	size_t n;
	const char *v = nb_doc_strn(doc, skey, &n);
	if (v)
		json_object_set_new(dst, key, json_stringn_nocheck(v, n));
}
void nb_site_set_shared(nb_site *s, json_t *obj, const char *key, const char *v);
/* A date's display form, shared (the build date's is on every decision). */
void nb_site_set_date_shared(nb_site *s, json_t *obj, const char *key, const char *iso);

/* A front matter string many documents repeat (a date, a name) as
 * dst[key], shared like nb_site_set_shared; one holding a NUL, which the
 * shared strings' keys cannot, is copied. */
static inline void share_doc_str(nb_site *s, json_t *dst, const char *key, const nb_doc *doc,
				 const char *skey)
{
	size_t n;
	const char *v = nb_doc_strn(doc, skey, &n);
	if (v && strlen(v) == n)
		nb_site_set_shared(s, dst, key, v);
	else if (v)
		json_object_set_new(dst, key, json_stringn_nocheck(v, n));
}

/*
 * An item as it is now, for embedding in another page's data. Items gain
 * fields until pass 2 is over (a meeting's status), so a page linked
 * before its reference saw fewer fields, and that is kept: the copy is a
 * snapshot. It is shallow, because only an item's own keys change; what
 * they hold (strings, the community reference) never does, and deep
 * copies of those were a tenth of the graph.
 */
static inline json_t *snapshot(const json_t *item)
{
	return json_copy((json_t *)item);
}

static inline json_t *item_of(const nb_site *s, const char *id)
{
	long i = nb_site_find(s, id);
	return i < 0 ? NULL : snapshot(s->pages[i].item);
}

/*
 * The item of the page with that id, for a view (site.h
 * nb_site_page_view): its final item, whatever the content order (linking
 * used to embed another page's item as far as it had derived it, so a
 * decision listed before its meeting showed that meeting without its
 * status). A new object, or NULL.
 */
json_t *nb_site_item_view(const nb_site *s, const char *id);

/* The kinds in navigation order. */
#define NB_SITE_N_KINDS 6
extern const char *const nb_site_kinds[NB_SITE_N_KINDS];

/* Sort an array of items newest first, ties by URL, so order is stable. */
void nb_site_sort_items(json_t *arr);
/* dst[key] = the strings (or objects' names) of src[key]. */
void nb_site_copy_strings(json_t *dst, const json_t *src, const char *key);
/* dst[key] = the strings (or objects' names) of the array `v`. */
void nb_site_copy_strings_of(json_t *dst, const char *key, const json_t *v);

/* ---- derive.c: pass 2, per kind ---- */

void nb_derive_meeting(nb_site *s, nb_page *p);
/* The fields of a meeting's page that only its own page shows (site.h
 * nb_site_page_view), added to `pg`; `m` is the page's front matter,
 * decoded once for the view (load/meta.h nb_doc_meta). */
void nb_derive_meeting_view(const nb_site *s, const nb_page *p, const json_t *m, json_t *pg);
void nb_derive_decision(nb_site *s, nb_page *p);
void nb_derive_decision_view(const nb_site *s, const nb_page *p, const json_t *m, json_t *pg);
void nb_derive_evaluation(nb_site *s, nb_page *p, const nb_page *prev);
/* An evaluation's period in the site's language ("2025年第一季度"): its
 * item's label, which lists show, and its page's `period_display`. */
static inline json_t *nb_eval_period(const nb_page *p)
{
	return json_object_get(p->item, "status_label");
}
void nb_derive_evaluation_view(const nb_site *s, const nb_page *p, const json_t *m, json_t *pg);
void nb_derive_community(nb_site *s, nb_page *p);
/* Reverse links: a community's documents and its charter in force, the
 * decision that supersedes another (a meeting's decisions are its view's,
 * from the index). */
void nb_derive_reverse(nb_site *s);
/* A community's decisions by status (after nb_derive_reverse). */
void nb_derive_community_status(nb_site *s);

/*
 * Evaluations with a community and a period, sorted by community, then
 * time (words.h nb_period_cmp: by the end of the period, a year after its
 * own Q4, as every list orders them), then id; built once at link so
 * that each evaluation's previous period and each community's trend
 * charts look at the community's own evaluations instead of every page
 * (that scan, once per evaluation, made the build quadratic).
 */
typedef struct nb_eval_index {
	const nb_page **v;
	size_t n;
} nb_eval_index;

void nb_eval_index_build(const nb_site *s, nb_eval_index *ix);
/* The evaluations of community `cid`, oldest period first (nb_period_cmp;
 * ties by id): the last is the latest. */
size_t nb_eval_range(const nb_eval_index *ix, const char *cid, const nb_page *const **out);
/* The same community's closest earlier period of the same granularity. */
const nb_page *nb_eval_previous(const nb_eval_index *ix, const nb_page *p);

/* ---- indicators.c ---- */

/* Internal rates should rise; external counts and cost should fall. */
typedef struct nb_indicator {
	const char *group, *key;
	int higher_better, rate;
} nb_indicator;

#define NB_N_INDICATORS 6   /* = trends.h NB_TREND_SERIES */
extern const nb_indicator nb_indicators[NB_N_INDICATORS];

/* Whether the indicator is a sum of money (in yuan). */
int nb_indicator_money(const nb_indicator *ind);
/* Its value (or, with `change`, a change) as residents read it, appended
 * to `out`. */
void nb_indicator_format(nb_buf *out, const nb_site *s, const nb_indicator *ind, double val,
			 int change);
/* Its change from `prev` to `val` as residents read it, appended to
 * `out`: the difference of the two figures as shown (rounded), so it
 * agrees with them. Returns that difference's sign, -1, 0 or 1. */
int nb_indicator_change(nb_buf *out, const nb_site *s, const nb_indicator *ind, double val,
			double prev);
/* The indicator's value in an evaluation's front matter into *out: 0, or
 * -1 when it has none (missing, or not a number). */
int nb_indicator_value(double *out, const nb_page *p, const nb_indicator *ind);
/* Each community's trends (trends.h), and the pages' slots in them. */
void nb_trends_derive(nb_site *s, const nb_eval_index *ix);
/* Frees s->trends. */
void nb_trends_free(nb_site *s);

/* ---- lists.c: derived pages ---- */

typedef struct nb_extra_ctx {
	nb_site *s;
	size_t cap;
	json_t *taken;   /* output paths in use: 1 + the document's index, or true */
	nb_diag *d;
	json_t *crumbs;  /* kind -> its two breadcrumbs (nb_extra_kind_crumbs) */
} nb_extra_ctx;

json_t *nb_extra_crumb(const char *title, const char *url);
/* Breadcrumbs home > the kind's list: a new array of crumbs made once per
 * kind and shared by all its derived pages (thousands at 10,000
 * documents in 1,000 communities), which append their own. */
json_t *nb_extra_kind_crumbs(nb_extra_ctx *x, const char *kind);
/*
 * Register a derived page at `rel` ("decisions/2024/") with breadcrumbs
 * `crumbs` (stolen) followed by the page itself. Returns its page object,
 * or NULL when the path is taken.
 */
nb_extra_page *nb_extra_add(nb_extra_ctx *x, const char *layout, const char *nav_kind,
			    const char *rel, const char *title, json_t *crumbs);
/* Every derived page, in a fixed order. */
void nb_lists_derive(nb_site *s, const nb_eval_index *ix, nb_diag *d);
/* Community pages' lists cut to a page's worth. */
void nb_lists_cut_community(nb_site *s);

/* The street-level comparison of evaluations (indicators.c). */
void nb_evaluations_compare(nb_extra_ctx *x, const nb_eval_index *ix);
/* The `compare` of comparison page `e` (nb_extra_page.compare). A new
 * reference. */
json_t *nb_evaluations_compare_view(const nb_site *s, const nb_extra_page *e);

/* ---- charters.c ---- */

/* Versions, the version in force. */
void nb_charters_derive(nb_site *s);
/* The fields of a charter's page that only its own page shows (its
 * articles), added to `pg`. */
void nb_charters_page_view(const nb_site *s, const nb_page *p, json_t *pg);
/* The comparison page of each version with its predecessor. */
void nb_charters_compare(nb_extra_ctx *x);

#endif

/*
 * index.h - typed records of the published documents and the indexes the
 * link stage derives relations through.
 *
 * The link stage used to find related documents by scanning: every charter
 * compared with every other charter through string lookups in their front
 * matter, once per version of each (at 50,000 documents of 50 communities
 * with 50 charter versions each, a fifth of the whole build). Here each
 * page's front matter is read once into a record (its kind as an enum, its
 * community as a small integer, the fields of its kind as a union, as
 * cmark's node does), and the relations linking asks about are answered
 * from indexes built in one pass:
 *
 *   - by kind: the pages of a kind in content order;
 *   - by community and kind: a community's charters sorted by version
 *     (ties in content order), so "version v of this charter" and "the
 *     version before this one" are binary searches and "the version in
 *     force" is computed once per community;
 *   - by meeting: the decisions naming it, in content order, so a
 *     meeting's page view lists them without the graph holding a list
 *     per meeting (graph/site.h).
 *
 * Strings in records point into the documents' front matter, which the
 * content owns and outlives the site graph; the index owns only its
 * arrays. Communities are keyed by the `community` string as written (a
 * charter naming a community that is not published still shares a group
 * with the other charters naming it), as the scans it replaces compared
 * those strings.
 */
#ifndef NB_GRAPH_INDEX_H
#define NB_GRAPH_INDEX_H

#include <jansson.h>
#include <stddef.h>

#include "load/doc.h"

typedef enum nb_kind {
	NB_KIND_COMMUNITY,
	NB_KIND_MEETING,
	NB_KIND_DECISION,
	NB_KIND_CHARTER,
	NB_KIND_EVALUATION,
	NB_KIND_PAGE,
	NB_KIND_OTHER, /* a folder no schema names: kept, never related */
	NB_KIND_COUNT
} nb_kind;

typedef struct nb_record {
	nb_kind kind;
	int group;        /* interned `community` string, or -1 without one */
	long community;   /* page index of that community's page, or -1 */
	union {
		struct {
			int version;            /* `version`, 0 when absent */
			const char *effective;  /* or NULL */
		} charter;
		struct {
			const char *period;     /* or NULL */
		} evaluation;
		struct {
			long meeting;           /* page index, or -1 */
			long supersedes;        /* page index, or -1 */
		} decision;
		struct {
			const char *date;       /* or NULL */
		} meeting;
	} as;
} nb_record;

typedef struct nb_site_index {
	nb_record *rec;            /* one per page, same order */
	size_t n;
	size_t *kind_pages;        /* pages grouped by kind, content order within */
	size_t kind_start[NB_KIND_COUNT + 1]; /* kind k: kind_pages[start[k] .. start[k+1]) */
	size_t n_groups;
	size_t *charters;          /* per group, sorted by version, ties by content order */
	size_t *charter_start;     /* group g: charters[start[g] .. start[g+1]) */
	long *in_force;            /* per group: the charter in force as of, or -1 */
	size_t *decisions;         /* decisions grouped by their meeting, content order within */
	size_t *decision_start;    /* page p (a meeting): decisions[start[p] .. start[p+1]) */
} nb_site_index;

/* The kind of a content folder name ("meetings" -> NB_KIND_MEETING). */
nb_kind nb_kind_of(const char *folder);

/* Records and indexes of `n` pages, given by their documents (page i's
 * document is docs[i]: the index knows documents, not the site graph that
 * holds it, so it sits below site.c). `by_id` maps an id to its page index
 * (nb_site.by_id); `as_of` is YYYY-MM-DD, the date a charter must have
 * taken effect by to be in force. O(n log n): one pass over the pages,
 * counting sorts by kind and by meeting, a stable sort of each
 * community's charters. */
int nb_site_index_build(nb_site_index *ix, const nb_doc *const *docs, size_t n,
			const json_t *by_id, const char *as_of);
void nb_site_index_free(nb_site_index *ix);

/* The pages of `kind`, in content order, into *out; their number. O(1). */
size_t nb_site_index_kind(const nb_site_index *ix, nb_kind kind, const size_t **out);

/* The charters of page `page`'s community (any kind of page), oldest
 * version first, into *out; their number (0 without a community). O(1). */
size_t nb_site_index_charters(const nb_site_index *ix, size_t page, const size_t **out);

/* The decisions whose `meeting` is page `page` (when it is a meeting), in
 * content order, into *out; their number. O(1). */
size_t nb_site_index_decisions(const nb_site_index *ix, size_t page, const size_t **out);

/* The first charter in content order of `page`'s community with version
 * `v`, or -1. O(log k) for k charters in the community. */
long nb_site_index_charter_of_version(const nb_site_index *ix, size_t page, int v);

/* The charter that charter page `page`'s version follows: the highest
 * version of its community's below its own (the last in content order
 * among equals), whatever numbers are missing between them; -1 when none
 * or without a community. The index holds only the pages being built, so
 * a draft version is skipped (but in a preview that shows drafts). O(log
 * k) for k charters in the community. */
long nb_site_index_charter_before(const nb_site_index *ix, size_t page);

/* The charter in force for `page`'s community: the highest version whose
 * `effective` date has come (or that has none), the first in content
 * order among equals; -1 when none or without a community. O(1). */
long nb_site_index_charter_in_force(const nb_site_index *ix, size_t page);

#endif

/*
 * index.c - typed records and the link stage's indexes; see index.h.
 *
 * Everything is built in one pass over the pages plus sorts, and stored
 * as flat arrays of page indices ("compressed rows": one array of all
 * members and an array of where each group starts), so a lookup is an
 * index computation or a binary search, never a scan of the site.
 */
#include "graph/index.h"
#include "load/meta.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_folders[NB_KIND_OTHER] = {
	"communities", "meetings", "decisions", "charters", "evaluations", "pages",
};

nb_kind nb_kind_of(const char *folder)
{
	for (int k = 0; k < NB_KIND_OTHER; k++)
		if (folder && !strcmp(folder, kind_folders[k]))
			return (nb_kind)k;
	return NB_KIND_OTHER;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

static long find(const json_t *by_id, const char *id)
{
	json_t *v = id ? json_object_get(by_id, id) : NULL;
	return v ? (long)json_integer_value(v) : -1;
}

/* A page's record from its front matter: the only place linking reads
 * these fields by name. O(1) per page. */
static void record_of(nb_record *r, const nb_doc *doc, const nb_doc *const *docs,
		      const json_t *by_id, json_t *groups)
{
	memset(r, 0, sizeof(*r));
	r->kind = nb_kind_of(doc->kind);
	r->group = -1;
	r->community = -1;
	const char *cid = nb_doc_str(doc, "community");
	if (cid) {
		json_t *g = json_object_get(groups, cid);
		if (!g) {
			g = json_integer((json_int_t)json_object_size(groups));
			json_object_set_new(groups, cid, g);
		}
		r->group = (int)json_integer_value(g);
		long ci = find(by_id, cid);
		if (ci >= 0 && nb_kind_of(docs[ci]->kind) == NB_KIND_COMMUNITY)
			r->community = ci;
	}
	switch (r->kind) {
	case NB_KIND_CHARTER: {
		json_int_t v;
		r->as.charter.version = nb_doc_integer(&v, doc, "version") == 0 ? (int)v : 0;
		r->as.charter.effective = nb_doc_str(doc, "effective");
		break;
	}
	case NB_KIND_EVALUATION:
		r->as.evaluation.period = nb_doc_str(doc, "period");
		break;
	case NB_KIND_DECISION:
		r->as.decision.meeting = find(by_id, nb_doc_str(doc, "meeting"));
		r->as.decision.supersedes = find(by_id, nb_doc_str(doc, "supersedes"));
		break;
	case NB_KIND_MEETING:
		r->as.meeting.date = nb_doc_str(doc, "date");
		break;
	default:
		break;
	}
}

/* Version ascending, ties in content order (page index): the order the
 * scans it replaces saw equal versions in. */
typedef struct charter_key {
	const nb_site_index *ix;
	size_t page;
} charter_key;

static int cmp_charter(const void *a, const void *b)
{
	const charter_key *x = a, *y = b;
	const nb_record *rx = &x->ix->rec[x->page], *ry = &y->ix->rec[y->page];
	if (rx->group != ry->group)
		return rx->group < ry->group ? -1 : 1;
	if (rx->as.charter.version != ry->as.charter.version)
		return rx->as.charter.version < ry->as.charter.version ? -1 : 1;
	return x->page < y->page ? -1 : x->page > y->page;
}

/* Each community's charters by version, and the one in force: O(c log c)
 * for c charters in all, then O(c). */
static void index_charters(nb_site_index *ix, const char *as_of)
{
	const size_t *ch;
	size_t nc = nb_site_index_kind(ix, NB_KIND_CHARTER, &ch), k = 0;
	charter_key *keys = xcalloc(nc, sizeof(*keys));
	for (size_t i = 0; i < nc; i++)
		if (ix->rec[ch[i]].group >= 0)
			keys[k++] = (charter_key){ ix, ch[i] };
	qsort(keys, k, sizeof(*keys), cmp_charter);
	ix->charters = xcalloc(k, sizeof(size_t));
	ix->charter_start = xcalloc(ix->n_groups + 1, sizeof(size_t));
	ix->in_force = xcalloc(ix->n_groups, sizeof(long));
	for (size_t g = 0; g < ix->n_groups; g++)
		ix->in_force[g] = -1;
	for (size_t i = 0; i < k; i++) {
		ix->charters[i] = keys[i].page;
		ix->charter_start[ix->rec[keys[i].page].group + 1]++;
	}
	for (size_t g = 0; g < ix->n_groups; g++)
		ix->charter_start[g + 1] += ix->charter_start[g];
	/* Ascending versions, so the last eligible one that is strictly
	 * higher than the best so far is the highest, first among equals. */
	for (size_t i = 0; i < k; i++) {
		const nb_record *r = &ix->rec[ix->charters[i]];
		const char *eff = r->as.charter.effective;
		if (eff && strcmp(eff, as_of) > 0)
			continue;
		long *best = &ix->in_force[r->group];
		if (*best < 0 || r->as.charter.version > ix->rec[*best].as.charter.version)
			*best = (long)ix->charters[i];
	}
	free(keys);
}

/* Each meeting's decisions, in content order: a counting sort by meeting
 * of the decisions that name a published meeting. O(n). */
static void index_decisions(nb_site_index *ix)
{
	const size_t *d;
	size_t nd = nb_site_index_kind(ix, NB_KIND_DECISION, &d), k = 0;
	size_t *start = xcalloc(ix->n + 1, sizeof(size_t));
	for (size_t i = 0; i < nd; i++) {
		long m = ix->rec[d[i]].as.decision.meeting;
		if (m >= 0 && ix->rec[m].kind == NB_KIND_MEETING) {
			start[m + 1]++;
			k++;
		}
	}
	for (size_t i = 0; i < ix->n; i++)
		start[i + 1] += start[i];
	size_t *fill = xcalloc(ix->n + 1, sizeof(size_t));
	memcpy(fill, start, (ix->n + 1) * sizeof(size_t));
	ix->decisions = xcalloc(k, sizeof(size_t));
	for (size_t i = 0; i < nd; i++) {
		long m = ix->rec[d[i]].as.decision.meeting;
		if (m >= 0 && ix->rec[m].kind == NB_KIND_MEETING)
			ix->decisions[fill[m]++] = d[i];
	}
	free(fill);
	ix->decision_start = start;
}

int nb_site_index_build(nb_site_index *ix, const nb_doc *const *docs, size_t n,
			const json_t *by_id, const char *as_of)
{
	memset(ix, 0, sizeof(*ix));
	ix->n = n;
	ix->rec = xcalloc(n, sizeof(*ix->rec));
	json_t *groups = json_object();
	for (size_t i = 0; i < n; i++)
		record_of(&ix->rec[i], docs[i], docs, by_id, groups);
	ix->n_groups = json_object_size(groups);
	json_decref(groups);
	/* Counting sort by kind keeps content order within a kind. */
	ix->kind_pages = xcalloc(n, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		ix->kind_start[ix->rec[i].kind + 1]++;
	for (int k = 0; k < NB_KIND_COUNT; k++)
		ix->kind_start[k + 1] += ix->kind_start[k];
	size_t fill[NB_KIND_COUNT];
	memcpy(fill, ix->kind_start, sizeof(fill));
	for (size_t i = 0; i < n; i++)
		ix->kind_pages[fill[ix->rec[i].kind]++] = i;
	index_charters(ix, as_of);
	index_decisions(ix);
	return 0;
}

void nb_site_index_free(nb_site_index *ix)
{
	free(ix->rec);
	free(ix->kind_pages);
	free(ix->charters);
	free(ix->charter_start);
	free(ix->in_force);
	free(ix->decisions);
	free(ix->decision_start);
	memset(ix, 0, sizeof(*ix));
}

size_t nb_site_index_kind(const nb_site_index *ix, nb_kind kind, const size_t **out)
{
	*out = ix->kind_pages + ix->kind_start[kind];
	return ix->kind_start[kind + 1] - ix->kind_start[kind];
}

size_t nb_site_index_charters(const nb_site_index *ix, size_t page, const size_t **out)
{
	int g = ix->rec[page].group;
	if (g < 0) {
		*out = ix->charters;
		return 0;
	}
	*out = ix->charters + ix->charter_start[g];
	return ix->charter_start[g + 1] - ix->charter_start[g];
}

size_t nb_site_index_decisions(const nb_site_index *ix, size_t page, const size_t **out)
{
	*out = ix->decisions + ix->decision_start[page];
	return ix->decision_start[page + 1] - ix->decision_start[page];
}

/* Where in `c` (n charters sorted by version) the first with version >=
 * v is, or n. O(log n). */
static size_t first_from_version(const nb_site_index *ix, const size_t *c, size_t n, int v)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->rec[c[mid]].as.charter.version < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long nb_site_index_charter_of_version(const nb_site_index *ix, size_t page, int v)
{
	const size_t *c;
	size_t n = nb_site_index_charters(ix, page, &c);
	size_t i = first_from_version(ix, c, n, v);
	return i < n && ix->rec[c[i]].as.charter.version == v ? (long)c[i] : -1;
}

long nb_site_index_charter_before(const nb_site_index *ix, size_t page)
{
	const size_t *c;
	size_t n = nb_site_index_charters(ix, page, &c);
	size_t i = first_from_version(ix, c, n, ix->rec[page].as.charter.version);
	return i > 0 ? (long)c[i - 1] : -1;
}

long nb_site_index_charter_in_force(const nb_site_index *ix, size_t page)
{
	int g = ix->rec[page].group;
	return g < 0 ? -1 : ix->in_force[g];
}

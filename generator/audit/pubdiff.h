/*
 * pubdiff.h - what changed in one document between two versions of its
 * source: front-matter fields compared as data, the body as text.
 *
 * Shared by `noticeboard diff` (printed for the terminal) and the site's
 * history pages (/history/N/), so both say exactly the same thing about
 * a change: a reformatted YAML line that means the same is not a change,
 * and `votes.for: 7 → 8` reads the same everywhere.
 */
#ifndef NB_PUBDIFF_H
#define NB_PUBDIFF_H

#include <jansson.h>
#include <stddef.h>

/* One version of a document, parsed. `body` points into the source given
 * to nb_pubdiff_parse, which must outlive this. */
typedef struct nb_pubdiff_doc {
	json_t *flat;       /* front matter as dotted path ("votes.for") -> leaf */
	const char *body;
	size_t body_len;
	char *id;           /* front matter `id`, or NULL */
} nb_pubdiff_doc;

/* Parse `src` (front matter + body). Never fails: a source whose front
 * matter does not parse is all body. */
void nb_pubdiff_parse(const char *path, const char *src, size_t len, nb_pubdiff_doc *out);
void nb_pubdiff_doc_free(nb_pubdiff_doc *d);

/*
 * The fields that differ from `a` to `b`: an array of
 * {"field": "votes.for", "from": 7, "to": 8}, "from"/"to" null when the
 * field is absent on that side. Fields of `b` in its order first,
 * then those only `a` has.
 */
json_t *nb_pubdiff_fields(const nb_pubdiff_doc *a, const nb_pubdiff_doc *b);

/* A field value for people: strings as they are, other values as compact
 * JSON, a missing value as "(none)". Caller frees. */
char *nb_pubdiff_show(const json_t *v);

#endif

/*
 * meta.h - reading a document's front matter.
 *
 * Every stage after the load reads front matter through these functions,
 * never through nb_doc.meta itself, so that the load is free to keep it
 * in whatever form costs least while the site is built (see meta.c).
 * Two kinds of read:
 *   - a top-level string (nb_doc_str): the common case, the `str(meta,
 *     "date")` of every stage; NULL when the key is missing or its value
 *     is not a string. The pointer lives as long as the document.
 *   - a value, or the whole object, as a NEW jansson value that the
 *     caller owns and decrefs (nb_doc_get, nb_doc_meta): for nested reads
 *     (votes, committee, attendance) and the page's `meta` in template
 *     contexts. Nobody else holds a reference to it, so any thread may
 *     make one, read it and free it without touching shared reference
 *     counts (render.c's rule).
 */
#ifndef NB_META_H
#define NB_META_H

#include <jansson.h>
#include <stddef.h>

#include "load/doc.h"
#include "util/hash.h"

/* The top-level string `key`, or NULL (missing, or not a string). The
 * bytes run to a NUL; *len (when not NULL) is the string's whole length,
 * which is more than strlen when it holds a NUL ("\0" in YAML). */
const char *nb_doc_str(const nb_doc *doc, const char *key);
const char *nb_doc_strn(const nb_doc *doc, const char *key, size_t *len);
/* The number at `group`.`key` (an object's member) into *out: 0, or -1
 * when there is none there (missing, or not a number). */
int nb_doc_number(double *out, const nb_doc *doc, const char *group, const char *key);
/* The top-level integer `key` into *out: 0, or -1 when there is none
 * (missing, or not an integer). */
int nb_doc_integer(json_int_t *out, const nb_doc *doc, const char *key);
/* Whether the front matter has the top-level key `key`. */
int nb_doc_has(const nb_doc *doc, const char *key);
/* The top-level value `key` as a new value the caller owns, or NULL when
 * it is missing. */
json_t *nb_doc_get(const nb_doc *doc, const char *key);
/* The whole front matter as a new object the caller owns (an empty
 * object for a document whose front matter did not load). */
json_t *nb_doc_meta(const nb_doc *doc);
/* Feed the front matter into a hash, for keys of outputs that read it. */
void nb_doc_meta_hash(const nb_doc *doc, nb_hash *h);

#endif

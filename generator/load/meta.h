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
 * Scalars are read in place, without decoding (meta.c says how and what
 * it costs); prefer them to decoding in a loop or a sort comparator.
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
/* A time of day as front matter writes it, on the 24-hour clock ("19:30",
 * or "9:30": the checks accept both), as minutes after midnight; -1 when
 * `s` is NULL or not one. The one reading of a time, for the checks, the
 * calendar and the open data alike: a "9:00" the checks accepted was an
 * all-day event in the calendar, which read only "HH:MM". */
int nb_meta_time(const char *s);
/* nb_meta_time of the top-level string `key`. */
int nb_doc_time(const nb_doc *doc, const char *key);
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

/* The packed bytes (util/jsonbin.h), the same for a document loaded and
 * one restored from the memo: what the memo records. */
const unsigned char *nb_doc_meta_bytes(const nb_doc *doc, size_t *len);

/* For the loader (and tests): keep `meta` (an object) packed in the
 * document, replacing what it held; the tree stays the caller's. */
void nb_doc_meta_set(nb_doc *doc, const json_t *meta);
/* Keep a copy of packed bytes read back from the memo: 0, or -1 (and the
 * document unchanged) when they are not exactly one object. */
int nb_doc_meta_adopt(nb_doc *doc, const unsigned char *p, size_t len);
void nb_doc_meta_free(nb_doc *doc);

#endif

/*
 * search.h - the build-time search index under /search/.
 *
 * Residents search a static site, so the whole index is computed here and
 * written as JSON files that the theme's search.js fetches. Chinese has no
 * spaces between words, so CJK text is indexed as character bigrams plus
 * single characters; other text as lowercased words. Postings are split
 * into shards by a hash of the token's key - the token itself for CJK, the
 * first three letters of a word (so the word being typed is a prefix query
 * within one shard) - so one query loads only the shards its tokens need.
 * Document metadata (title, kind, community, date, URL and the start of
 * the text for the snippet) is split into chunks the same way.
 *
 * Files:
 *   search/index.json        {"version","shards","chunk","docs"}
 *   search/t/<shard>.json    {"token": [doc, score, doc, score, ...], ...}
 *   search/d/<chunk>.json    [[title, kind, community, date, url, text], ...]
 *
 * The shard of a key is FNV-1a (32 bit) of its UTF-8 bytes modulo the shard
 * count (a power of two); search.js computes the same. The output is
 * deterministic: documents in content order, keys sorted.
 */
#ifndef NB_SEARCH_H
#define NB_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/hash.h"
#include "graph/site.h"

/* Receives each output file (path relative to the output root). */
typedef void (*nb_search_emit)(void *ud, const char *rel, const char *data, size_t len);

/* Build the index of every page of `s` and emit its files; a text that
 * cannot be read back (content.h nb_doc_text) is an error in `d`. */
void nb_search_build(const nb_site *s, nb_search_emit emit, void *ud, nb_diag *d);

/* Everything nb_search_build reads, as one digest (for the page memo,
 * memo.h: the index's files are linked, not made, when it is unchanged):
 * each page's text, title, kind label, community title, date and URL, in
 * page order. A new input of the index must be added here too. 0, or -1
 * with an error in `d` when a text cannot be read back. */
int nb_search_inputs(const nb_site *s, nb_digest *out, nb_diag *d);

/*
 * Tokens of `text` as search.js sees them: adds each token to `counts`
 * (token -> integer occurrences). Exposed for tests.
 */
void nb_search_tokens(const char *text, json_t *counts);

/* The shard key of a token: a CJK token itself, or a word's first three characters. */
void nb_search_key(const char *token, char *key, size_t size);

/* FNV-1a 32-bit hash of s. */
uint32_t nb_search_hash(const char *s);

#endif

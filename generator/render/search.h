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
 *
 * Merged per document. A rebuild after one edit should cost what the edit
 * changed, so each page's part of the index - its postings (token ->
 * score) and its metadata row - is kept between builds in the site's
 * cache folder (searchmemo.h), keyed by a digest of exactly what the
 * index reads from that page (text, title, kind label, community title,
 * date, URL, a decision's number). Only pages with a key the record lacks
 * are tokenized; the files are then assembled from every page's part in
 * page order, so they are byte for byte a fresh build's. Assembling is
 * not free either (formatting all shards was as costly as tokenizing), so
 * when the pages and the shard count are as recorded, only the shards of
 * tokens whose postings changed are made: a shard's file depends only on
 * the postings of the tokens that hash to it. Every other shard, and every
 * chunk (a copy of its rows), is offered to the caller under the digest
 * of its bytes, which render.c answers from the page memo (memo.h) by
 * linking the served file when it is untouched.
 */
#ifndef NB_SEARCH_H
#define NB_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/hash.h"
#include "graph/site.h"
#include "render/searchmemo.h"

/* Receives each output file (path relative to the output root). */
typedef void (*nb_search_emit)(void *ud, const char *rel, const char *data, size_t len);

/* Asked, instead of making an output file, to put the file that the last
 * build made at `rel` with content digest `key` (nb_search_file_key): 1
 * (and its size) when done, 0 when the file must be made. */
typedef int (*nb_search_reuse)(void *ud, const char *rel, nb_digest key, size_t *size);

/* What a build of the index did. */
typedef struct nb_search_stats {
	size_t docs, tokenized;       /* pages, and those not in the memo */
	size_t shards, shards_made;   /* the others were put by `reuse` */
	size_t chunks, chunks_made;
} nb_search_stats;

/* Build the index of every page of `s` and emit its files; a text that
 * cannot be read back (content.h nb_doc_text) is an error in `d`. */
void nb_search_build(const nb_site *s, nb_search_emit emit, void *ud, nb_diag *d);

/* The same, merged per document (see the top comment): pages whose key
 * `m` recorded are not tokenized again, and a shard or chunk file whose
 * bytes would be the last build's is offered to `reuse` (may be NULL)
 * before it is made. Leaves the next record in `m` (save it with
 * searchmemo.h nb_search_memo_save when the build went well). `m` may be
 * NULL: no memo; `st` may be NULL. */
void nb_search_build_memo(const nb_site *s, nb_search_memo *m, nb_search_emit emit,
			  nb_search_reuse reuse, void *ud, nb_search_stats *st, nb_diag *d);

/* The content digest of an index file's bytes, the key its file is
 * offered to `reuse` under and recorded with. */
nb_digest nb_search_file_key(const char *data, size_t len);

/* Everything the index reads, as one digest: each page's key (its text,
 * title, kind label, community title, date, URL and, for a decision, its
 * id: what its postings and row are made from), in page order. 0, or -1
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

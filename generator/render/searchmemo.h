/*
 * searchmemo.h - the search index's per-document memo: its file format.
 *
 * search.c keeps, between builds, each document's tokenization (its
 * postings: token -> score) and its metadata row, keyed by a digest of
 * exactly what the index reads from that page (search.c doc_key), plus the
 * content digest of every shard file it last made. A rebuild tokenizes
 * only the documents whose key is new, and makes only the shards whose
 * postings changed (search.h). This file only reads and writes the record;
 * what the record means is search.c's.
 *
 * The record, native byte order, in the site's cache folder (cache.h
 * NB_CACHE_DIR, file `search`; one per site, since the index depends on
 * the pages and not on the output folder):
 *
 *   "nbsrch1\n", identity (16: the program, cache.h nb_cache_program)
 *   token count, document count, shard count (u32 each)
 *   per token, in id order: length (u32), the bytes, a NUL
 *   per shard: the content digest of its file (16)
 *   per document, in page order: key (16), row length (u32), the row
 *     (its JSON array text, as a metadata chunk holds it), postings length
 *     (u32), the postings: (token id, score) as a varint and a byte, in
 *     the order the page first has the tokens (sorting them, for smaller
 *     deltas, cost more than the bytes it saved)
 *   a hash of all the bytes before (16)
 *
 * Mapped and checked whole: a record that is missing, short, garbled
 * (a token id out of range or twice in a page, a score out of range), or
 * from another program is no record, and no record is a full build of the
 * index. Written aside and renamed, so a killed build leaves the old
 * record or the new one.
 */
#ifndef NB_SEARCHMEMO_H
#define NB_SEARCHMEMO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/hash.h"

/* One document as recorded (pointers into the record's bytes). */
typedef struct nb_smemo_doc {
	nb_digest key;
	const char *row;
	const uint8_t *post;
	uint32_t row_len, post_len;
} nb_smemo_doc;

typedef struct nb_search_memo {
	char *path;
	char *program;       /* "" when unknown: nothing read or saved */
	char *data;          /* the record, mapped read-only (mapped), or NULL */
	size_t len;
	int mapped;
	int have;            /* the record is usable */
	uint32_t ntok, ndoc, nshards;
	const char **tok;    /* into data, NUL-terminated */
	uint32_t *tok_len;
	nb_smemo_doc *doc;
	nb_digest *shard;    /* each shard file's content digest */
	uint32_t *by_key;    /* document index + 1 by key (open addressing) */
	size_t nby_key;
	/* The next record, streamed to `tmp` by the build (searchmemo.c). */
	char *tmp;
	FILE *out;
	nb_buf pend;         /* bytes not yet hashed and written */
	nb_hash hash;
	nb_digest next_hash;
	size_t written;
	int bad, ready;
} nb_search_memo;

/* The memo recorded at `path` for the running `program`; never NULL (an
 * unusable record is `have` 0). */
nb_search_memo *nb_search_memo_open(const char *path, const char *program);
void nb_search_memo_free(nb_search_memo *m);

/* Give the record's pages back to the page cache: a caller walking the
 * recorded documents calls this every so often, so that the 17 MB of a
 * 10,000-document record are never resident at once. The bytes stay
 * readable (they are read from the file again). */
void nb_search_memo_release(nb_search_memo *m);

/* The recorded document with this key (its index), or -1. */
long nb_search_memo_find(const nb_search_memo *m, nb_digest key);

/* Decode one posting of a document's list at *p (below end): its token
 * id and score. 0, or -1 when the bytes are not a posting. */
int nb_search_memo_posting(const uint8_t **p, const uint8_t *end, uint32_t *id, uint32_t *score);
/* Append one posting. */
void nb_search_memo_put_posting(nb_buf *b, uint32_t id, uint32_t score);

/* The next record, piece by piece, into a file beside the record: the
 * header, then each token, each shard digest, each document, in that
 * order; end adds the hash. */
void nb_search_memo_begin(nb_search_memo *m, uint32_t ntok, uint32_t ndoc, uint32_t nshards);
void nb_search_memo_token(nb_search_memo *m, const char *tok, uint32_t len);
void nb_search_memo_shard(nb_search_memo *m, nb_digest d);
void nb_search_memo_doc(nb_search_memo *m, nb_digest key, const char *row, uint32_t row_len,
			const uint8_t *post, uint32_t post_len);
void nb_search_memo_end(nb_search_memo *m);

/* Put the next record (when made whole, and unless it is the record
 * read) in the record's place by a rename, so a killed build leaves the
 * old record or the new one; best effort: a memo that cannot be written
 * costs the next build its tokenizing, never a wrong byte. Not called, the
 * next record is deleted by nb_search_memo_free. */
void nb_search_memo_save(nb_search_memo *m);

#endif

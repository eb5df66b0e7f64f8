/*
 * search.c - the build-time search index; see search.h for the format.
 *
 * Why bigrams: a Chinese query like 电动自行车 has no word boundaries, and a
 * dictionary segmenter would be large and still miss local names (槐荫,
 * 金汇广场). Overlapping character bigrams find any phrase of two or more
 * characters by intersecting the postings of its bigrams; the client then
 * prefers documents where the phrase itself occurs. Every CJK character is
 * also indexed alone, so the first character a resident types already
 * finds something.
 *
 * Why shard by the whole token's hash: keying CJK shards by first
 * character would put every bigram starting with 的 or 社 into one shard,
 * megabytes on a large site. Hashing the token spreads them evenly; only a
 * very common token's own postings are large, and a query for it really
 * does match that many documents. Latin words are keyed by their first
 * three letters instead, so the word still being typed (a prefix of at
 * least three letters) is answered from one shard.
 *
 * Scores are small integers: occurrences in the body (capped, so a long
 * document does not drown a short one) plus a large bonus for the title.
 * The shard count grows with the index (about 64 KB per shard). The
 * metadata chunks hold a short start of each text for the snippet (the
 * match is highlighted when it falls there), which keeps a result page to a
 * few small files instead of the documents' full text.
 *
 * Memory and time. The index is built on a thread of its own beside the
 * page renderers, so whatever it holds adds to the build's peak, and a
 * large site has tens of millions of postings. So nothing here is a
 * jansson value:
 *
 *   - Tokens live once, NUL-terminated, in one arena, named by offset; an
 *     open-addressing table of 32-bit slots finds them. A token costs one
 *     32-byte entry.
 *   - A token's postings are a byte string of varints, one per document it
 *     occurs in: (document delta << SCORE_BITS) | score. Documents come in
 *     order, so deltas are small and a common token costs one or two bytes
 *     per document rather than two integers. A rare token's few postings
 *     fit inside its entry, with no allocation of their own.
 *   - Each entry remembers the last document it was counted in, so counting
 *     a document's tokens needs no per-document table.
 *   - The files are JSON text streamed into a buffer (output/json.h),
 *     byte for byte what json_dumps(JSON_COMPACT | JSON_SORT_KEYS) produced
 *     before (published outputs are compared across builds): keys written
 *     in strcmp order, no spaces, decimal integers, strings escaped as
 *     jansson does.
 *   - The index is built while the whole site graph is alive, at the
 *     build's peak, so what it holds at once is bounded rather than the
 *     size of the index. Each tokenized page's postings (token id ->
 *     score) and metadata row go to a scratch file as they are made
 *     (spill), not into memory, and are read back in page order when
 *     needed; recorded pages' parts are the memo's bytes, read anyway.
 *     The token postings of the shards are then made a range of shards at
 *     a time (make_shards): one pass over every page's list fills only
 *     the range's tokens, whose shards are written and freed before the
 *     next range is filled. A range holds about 2 MB of postings (by an
 *     estimate: about 1.4 MB of varints), or half of them on a larger
 *     site: two passes whatever the size. With a bound that stayed fixed
 *     (or a fixed fraction past eight passes, as it was), the passes grew
 *     with the site, and each reads every page's postings: at 50,000
 *     documents eight passes were nearly a tenth of the build's CPU.
 *     Half the postings is an estimated 3.9 MB at 10,000 deep documents
 *     and 19 MB at 50,000.
 *     Chunks are assembled one at a time from the rows, and the next
 *     record is streamed to its file. The memo's record is mapped rather
 *     than read, and given back as it is walked (searchmemo.c), so a
 *     rebuild does not hold it whole either.
 *
 * What stays in memory is per token (an entry, its shard, its count: the
 * vocabulary grows far slower than the documents; 8,000 tokens at 10,000
 * deep documents) and per page (a key and two lengths). The bytes moved
 * out of the process are in the page cache: reclaimable, not gone.
 */
#include "render/search.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/cache.h"
#include "output/json.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/utf8.h"

#define BODY_CAP 20
#define TITLE_BONUS 20
#define SNIPPET_CHARS 200
#define CHUNK_DOCS 50
#define SHARD_BYTES 65536
#define MIN_SHARDS 8
#define MAX_SHARDS 4096
#define MAX_WORD 64
#define SCORE_BITS 6
#define INLINE_POST 8       /* posting bytes kept inside the entry */
#define RANGE_BYTES ((size_t)2 << 20)   /* postings held at once (make_shards) */
#define MAX_PASSES 2

_Static_assert(BODY_CAP + TITLE_BONUS < (1 << SCORE_BITS), "a score must fit SCORE_BITS");

uint32_t nb_search_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h;
}

static int is_cjk(uint32_t c)
{
	return (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3040 && c <= 0x30FF) ||
	       (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0x20000 && c <= 0x2FFFF);
}

/* Fullwidth ASCII to ASCII, ASCII letters to lower case. */
static uint32_t fold(uint32_t c)
{
	if (c >= 0xFF01 && c <= 0xFF5E)
		c -= 0xFEE0;
	if (c >= 'A' && c <= 'Z')
		c += 32;
	return c;
}

static int is_word(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return 0;
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xFE00 && c <= 0xFFFF) || is_cjk(c))
		return 0;
	return 1;
}

/* UTF-8 of c into s (room for 4); returns its length. */
static size_t put_cp(char *s, uint32_t c)
{
	if (c < 0x80) {
		s[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		s[0] = (char)(0xC0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		s[0] = (char)(0xE0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	s[0] = (char)(0xF0 | (c >> 18));
	s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	s[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	s[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* Receives each word token, NUL-terminated, and its length in bytes. */
typedef void (*token_fn)(void *ud, const char *tok, size_t len);
/* Receives each CJK character `c` (the unigram token) and, when the
 * character before it in the same run was CJK too, that one as `prev`
 * (the bigram prev+c); prev is 0 at the start of a run. Characters, not
 * strings: the index keys them by number (add_cjk). */
typedef void (*cjk_fn)(void *ud, uint32_t c, uint32_t prev);

/* Words are assembled on the stack: one keeps at most MAX_WORD
 * characters, so none needs the heap. */
static void tokenize(const char *text, token_fn fn, cjk_fn cjk_out, void *ud)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t len = strlen(text);
	char word[MAX_WORD * 4 + 1];
	size_t word_len = 0, word_chars = 0;
	uint32_t prev = 0;   /* previous CJK character of the current run */
	for (size_t i = 0; i <= len;) {
		uint32_t c = 0;
		unsigned char u = t[i];
		if (i == len) {
			i++;
		} else if (u < 0x80) {   /* most bytes: no decoding call */
			c = u >= 'A' && u <= 'Z' ? u + 32u : u;
			i++;
		} else if ((u & 0xF0) == 0xE0 && i + 2 < len && (t[i + 1] & 0xC0) == 0x80 &&
			   (t[i + 2] & 0xC0) == 0x80) {
			/* Three bytes, as CJK text is: nb_utf8_decode's rules
			 * (no overlong forms, no surrogates) without the call. */
			c = (uint32_t)(u & 0x0F) << 12 | (uint32_t)(t[i + 1] & 0x3F) << 6 |
			    (t[i + 2] & 0x3F);
			if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) {
				c = 0xFFFD;
				i++;
			} else {
				i += 3;
			}
			c = fold(c);
		} else {
			i += (size_t)nb_utf8_decode(text + i, len - i, &c);
			c = fold(c);
		}
		int cjk = c >= 0x2E80 && is_cjk(c), w = c && is_word(c);
		if (cjk)
			cjk_out(ud, c, prev);
		prev = cjk ? c : 0;
		if (w) {
			if (word_chars < MAX_WORD)
				word_len += put_cp(word + word_len, c);
			word_chars++;
		} else if (word_chars) {
			word[word_len] = '\0';
			fn(ud, word, word_len);
			word_len = word_chars = 0;
		}
	}
}

static void count_json(void *ud, const char *tok, size_t len)
{
	(void)len;
	json_t *counts = ud;
	json_t *v = json_object_get(counts, tok);
	json_object_set_new(counts, tok, json_integer(v ? json_integer_value(v) + 1 : 1));
}

/* The CJK tokens as strings: the character, then the bigram. */
static void count_cjk_json(void *ud, uint32_t c, uint32_t prev)
{
	char tok[9];
	size_t n = put_cp(tok, c);
	tok[n] = '\0';
	count_json(ud, tok, n);
	if (prev) {
		n = put_cp(tok, prev);
		n += put_cp(tok + n, c);
		tok[n] = '\0';
		count_json(ud, tok, n);
	}
}

void nb_search_tokens(const char *text, json_t *counts)
{
	tokenize(text, count_json, count_cjk_json, counts);
}

void nb_search_key(const char *token, char *key, size_t size)
{
	size_t len = strlen(token), n = 0;
	uint32_t c;
	nb_utf8_decode(token, len, &c);
	if (is_cjk(c)) {
		n = len;
	} else {
		for (int k = 0; k < 3 && n < len; k++)
			n += (size_t)nb_utf8_decode(token + n, len - n, &c);
	}
	if (n >= size)
		n = size - 1;
	memcpy(key, token, n);
	key[n] = '\0';
}

/* A string element of a metadata chunk. NULL or invalid UTF-8 leaves it
 * out (the writer refuses the latter), as json_array_append_new did with
 * the NULL that json_string returned for it. */
static void put_elem(nb_json *w, const char *s)
{
	if (s)
		nb_json_string(w, s);
}

/* ---- the inverted index ---- */

typedef struct entry {
	uint32_t tok;       /* offset of the token in the arena */
	uint32_t hash;
	uint32_t last_doc;  /* doc + 1 of the last document counted; 0 = none */
	uint32_t len, cap;  /* posting bytes used and allocated */
	uint16_t tok_len;
	uint8_t body;       /* occurrences in the body, up to BODY_CAP */
	uint8_t title;      /* occurs in the title */
	union {
		uint8_t *heap;              /* when cap > INLINE_POST */
		uint8_t in[INLINE_POST];
	} post;
} entry;

typedef struct cslot {
	uint64_t key;
	uint32_t e;         /* entry index + 1; 0 = empty */
} cslot;

/* An entry seen in the current document, and its document delta. */
typedef struct touch {
	uint32_t e, delta;
} touch;

typedef struct index {
	nb_buf arena;       /* the tokens, NUL-terminated */
	entry *e;
	size_t n, cap;
	uint32_t *slots;    /* entry index + 1; 0 = empty (word tokens) */
	size_t nslots, nword;
	/* CJK tokens by number: a character, or two as (prev << 32 | c).
	 * Most tokens are these, and a number hashes and compares in one
	 * step where a string of three or six bytes took a loop. */
	cslot *cslots;
	size_t ncslots, ncjk;
	touch *touched;     /* entries seen in the current document */
	size_t ntouched, cap_touched;
	uint32_t doc;
	int in_title;
	size_t bytes;       /* estimate of the JSON size, for the shard count */
} index_t;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		abort();
	return p;
}

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static uint8_t *post_bytes(entry *e)
{
	return e->cap > INLINE_POST ? e->post.heap : e->post.in;
}

static void grow_slots(index_t *ix)
{
	size_t n = ix->nslots ? ix->nslots * 2 : 1024;
	uint32_t *slots = calloc(n, sizeof(*slots));
	if (!slots)
		abort();
	/* From the old table, which holds the word entries only. */
	for (size_t i = 0; i < ix->nslots; i++) {
		uint32_t s = ix->slots[i];
		if (!s)
			continue;
		size_t k = ix->e[s - 1].hash & (n - 1);
		while (slots[k])
			k = (k + 1) & (n - 1);
		slots[k] = s;
	}
	free(ix->slots);
	ix->slots = slots;
	ix->nslots = n;
}

/* A new entry for `tok`; the caller puts its index + 1 (ix->n after the
 * call) in a table. */
static entry *new_entry(index_t *ix, const char *tok, size_t len, uint32_t h)
{
	if (ix->n == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 1024;
		ix->e = xrealloc(ix->e, ix->cap * sizeof(entry));
	}
	if (ix->arena.len + len + 1 > UINT32_MAX || ix->n + 1 >= UINT32_MAX)
		abort();
	entry *e = &ix->e[ix->n];
	memset(e, 0, sizeof(*e));
	e->tok = (uint32_t)ix->arena.len;
	e->tok_len = (uint16_t)len;
	e->hash = h;
	e->cap = INLINE_POST;
	nb_buf_put(&ix->arena, tok, len + 1);
	ix->n++;
	ix->bytes += len + 6;
	return e;
}

/* Tokens are a few bytes: a loop beats calling memcmp. */
static int same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static void count(index_t *ix, entry *e);

/* The entry of a word token, made when new. */
static entry *word_entry(index_t *ix, const char *tok, size_t len)
{
	if ((ix->nword + 1) * 2 > ix->nslots)
		grow_slots(ix);
	uint32_t h = hash_bytes(tok, len);
	size_t mask = ix->nslots - 1, k = h & mask;
	for (uint32_t s; (s = ix->slots[k]) != 0; k = (k + 1) & mask) {
		entry *c = &ix->e[s - 1];
		if (c->hash == h && c->tok_len == len && same(ix->arena.ptr + c->tok, tok, len))
			return c;
	}
	entry *e = new_entry(ix, tok, len, h);
	ix->slots[k] = (uint32_t)ix->n;
	ix->nword++;
	return e;
}

static void add_token(void *ud, const char *tok, size_t len)
{
	index_t *ix = ud;
	count(ix, word_entry(ix, tok, len));
}

static size_t cslot_of(uint64_t key, size_t mask)
{
	return (size_t)((key * 0x9E3779B97F4A7C15u) >> 32) & mask;
}

static void grow_cslots(index_t *ix)
{
	size_t n = ix->ncslots ? ix->ncslots * 2 : 4096;
	cslot *slots = calloc(n, sizeof(*slots));
	if (!slots)
		abort();
	for (size_t i = 0; i < ix->ncslots; i++) {
		if (!ix->cslots[i].e)
			continue;
		size_t k = cslot_of(ix->cslots[i].key, n - 1);
		while (slots[k].e)
			k = (k + 1) & (n - 1);
		slots[k] = ix->cslots[i];
	}
	free(ix->cslots);
	ix->cslots = slots;
	ix->ncslots = n;
}

/* The entry of a CJK token by number (prev << 32 | c, or c), made when new. */
static entry *cjk_entry(index_t *ix, uint64_t key, uint32_t c, uint32_t prev)
{
	if ((ix->ncjk + 1) * 2 > ix->ncslots)
		grow_cslots(ix);
	size_t mask = ix->ncslots - 1, k = cslot_of(key, mask);
	for (; ix->cslots[k].e; k = (k + 1) & mask)
		if (ix->cslots[k].key == key)
			return &ix->e[ix->cslots[k].e - 1];
	char tok[9];
	size_t n = prev ? put_cp(tok, prev) : 0;
	n += put_cp(tok + n, c);
	tok[n] = '\0';
	entry *e = new_entry(ix, tok, n, hash_bytes(tok, n));
	ix->cslots[k] = (cslot){ key, (uint32_t)ix->n };
	ix->ncjk++;
	return e;
}

static void add_cjk_key(index_t *ix, uint64_t key, uint32_t c, uint32_t prev)
{
	count(ix, cjk_entry(ix, key, c, prev));
}

/* A CJK character, then the bigram it ends: the order in which the
 * string tokens came before, though the index does not depend on it. */
static void add_cjk(void *ud, uint32_t c, uint32_t prev)
{
	index_t *ix = ud;
	add_cjk_key(ix, c, c, 0);
	if (prev)
		add_cjk_key(ix, (uint64_t)prev << 32 | c, c, prev);
}

/* Count one occurrence of `e` in the current document. */
static void count(index_t *ix, entry *e)
{
	if (e->last_doc != ix->doc + 1) {
		if (ix->ntouched == ix->cap_touched) {
			ix->cap_touched = ix->cap_touched ? ix->cap_touched * 2 : 1024;
			ix->touched = xrealloc(ix->touched, ix->cap_touched * sizeof(touch));
		}
		ix->touched[ix->ntouched++] =
			(touch){ (uint32_t)(e - ix->e), ix->doc + 1 - e->last_doc };
		e->last_doc = ix->doc + 1;
		e->body = e->title = 0;
	}
	if (ix->in_title)
		e->title = 1;
	else if (e->body < BODY_CAP)
		e->body++;
}

static void put_varint(entry *e, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;
	while (v >= 0x80) {
		tmp[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (uint8_t)v;
	if (e->len + n > e->cap) {
		/* Doubling while small, then by half: the slack at the end of
		 * common tokens' lists is most of what this index wastes. */
		size_t cap = e->cap < 64 ? (size_t)e->cap * 2 : (size_t)e->cap + e->cap / 2;
		if (cap > UINT32_MAX)
			abort();
		if (e->cap > INLINE_POST) {
			e->post.heap = xrealloc(e->post.heap, cap);
		} else {
			uint8_t *p = xrealloc(NULL, cap);
			memcpy(p, e->post.in, e->len);
			e->post.heap = p;
		}
		e->cap = (uint32_t)cap;
	}
	memcpy(post_bytes(e) + e->len, tmp, n);
	e->len += (uint32_t)n;
}

/* A token's postings as JSON numbers: doc, score, doc, score, ... Each
 * takes at least one byte of varint and at most "4294967295,63," of text,
 * so room is made once (the writer's numbers cost no printf). */
static void put_postings(nb_json *w, const entry *e)
{
	const uint8_t *p = e->cap > INLINE_POST ? e->post.heap : e->post.in, *end = p + e->len;
	nb_buf_grow(w->out, (size_t)e->len * 14);
	uint64_t doc = 0;   /* doc + 1 */
	while (p < end) {
		uint64_t v = 0;
		for (int shift = 0;; shift += 7) {
			uint8_t byte = *p++;
			v |= (uint64_t)(byte & 0x7F) << shift;
			if (!(byte & 0x80))
				break;
		}
		doc += v >> SCORE_BITS;
		nb_json_integer(w, (long long)(doc - 1));
		nb_json_integer(w, (long long)(v & ((1u << SCORE_BITS) - 1)));
	}
}

typedef struct sorted {
	const char *tok;
	entry *e;
} sorted;

static int cmp_tok(const void *a, const void *b)
{
	return strcmp(((const sorted *)a)->tok, ((const sorted *)b)->tok);
}

/* The tokens of the dirty shards that have postings (cnt), bucketed by
 * shard: those of shard sh are order[start[sh]] to order[start[sh + 1]]
 * (counting sort; each bucket is sorted when its shard is written). */
static void bucket_tokens(const index_t *ix, size_t nshards, const uint32_t *shard_of,
			  const uint8_t *dirty, const uint32_t *cnt, sorted **order_out,
			  size_t **start_out)
{
	size_t n = ix->n ? ix->n : 1;
	sorted *order = malloc(n * sizeof(*order));
	size_t *start = calloc(nshards + 1, sizeof(size_t));
	size_t *fill = malloc(nshards * sizeof(size_t));
	if (!order || !start || !fill)
		abort();
	for (size_t i = 0; i < ix->n; i++)
		if (cnt[i] && dirty[shard_of[i]])
			start[shard_of[i] + 1]++;
	for (size_t sh = 0; sh < nshards; sh++)
		start[sh + 1] += start[sh];
	memcpy(fill, start, nshards * sizeof(size_t));
	for (size_t i = 0; i < ix->n; i++)
		if (cnt[i] && dirty[shard_of[i]])
			order[fill[shard_of[i]]++] =
				(sorted){ ix->arena.ptr + ix->e[i].tok, &ix->e[i] };
	free(fill);
	*order_out = order;
	*start_out = start;
}

/* The dirty shards from lo to hi, from the postings of their tokens
 * (fill_postings), which are freed as they are written; their content
 * digests into `keys`. `b` is scratch. */
static void write_shards(sorted *order, const size_t *start, size_t lo, size_t hi,
			 const uint8_t *dirty, nb_digest *keys, nb_buf *b, nb_search_emit emit,
			 void *ud)
{
	char rel[64];
	for (size_t sh = lo; sh < hi; sh++) {
		if (!dirty[sh])
			continue;
		size_t first = start[sh], last = start[sh + 1];
		qsort(order + first, last - first, sizeof(*order), cmp_tok);
		nb_buf_clear(b);
		nb_json w;
		nb_json_init(&w, b, NB_JSON_COMPACT | NB_JSON_SORT_KEYS);
		nb_json_object(&w);
		for (size_t k = first; k < last; k++) {
			entry *e = order[k].e;
			/* Valid UTF-8 by construction (put_cp), so never refused. */
			nb_json_keyn(&w, order[k].tok, e->tok_len);
			nb_json_array(&w);
			put_postings(&w, e);
			nb_json_close(&w);
			if (e->cap > INLINE_POST)
				free(e->post.heap);
			e->len = 0;
			e->cap = INLINE_POST;
		}
		nb_json_close(&w);
		snprintf(rel, sizeof(rel), "search/t/%zu.json", sh);
		keys[sh] = nb_search_file_key(b->ptr, b->len);
		emit(ud, rel, b->ptr, b->len);
	}
}

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* The start of the text, white space collapsed, for the result snippet. */
static void snippet(const char *text, nb_buf *b)
{
	size_t len = strlen(text), n = 0;
	int space = 0;
	nb_buf_clear(b);
	for (size_t i = 0; i < len && n < SNIPPET_CHARS;) {
		uint32_t c;
		int k = nb_utf8_decode(text + i, len - i, &c);
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			space = b->len > 0;
		} else {
			if (space)
				nb_buf_putc(b, ' ');
			space = 0;
			nb_buf_put(b, text + i, (size_t)k);
			n++;
		}
		i += (size_t)k;
	}
}


/* ---- what a page gives the index, and the per-document memo ---- */

/* What the index reads from a page, as one digest: its text, title, kind
 * label, community title, date and URL (its row), and a decision's id,
 * which is tokenized like the title (tokenize_doc). A new input of the
 * index must be added here too. */
static nb_digest doc_key(const nb_site *s, const nb_page *p, const char *text)
{
	nb_hash h;
	nb_hash_init(&h, 0x73646f63ULL);
	const int decision = p->doc->id && !strcmp(p->doc->kind, "decisions");
	const char *f[] = { text, str(p->item, "title"), nb_site_label(s, "kinds", p->doc->kind),
			    str(json_object_get(p->item, "community"), "title"),
			    str(p->item, "date_display"), str(p->item, "url"),
			    decision ? p->doc->id : NULL };
	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		/* A label may be missing: NULL, not "", as put_elem sees it. */
		nb_hash_u64(&h, f[k] != NULL);
		nb_hash_str(&h, f[k] ? f[k] : "", f[k] ? strlen(f[k]) : 0);
	}
	return nb_hash_final(&h);
}

int nb_search_inputs(const nb_site *s, nb_digest *out, nb_diag *d)
{
	nb_hash h;
	nb_hash_init(&h, 0x73726368ULL);
	nb_hash_u64(&h, s->len);
	nb_buf tb = NB_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < s->len; i++) {
		const char *text = nb_doc_text(s->pages[i].doc, SIZE_MAX, &tb);
		if (!text) {
			nb_doc_unreadable(d, s->pages[i].doc);
			rc = -1;
			break;
		}
		nb_hash_digest(&h, doc_key(s, &s->pages[i], text));
	}
	nb_buf_free(&tb);
	*out = nb_hash_final(&h);
	return rc;
}

nb_digest nb_search_file_key(const char *data, size_t len)
{
	nb_hash h;
	nb_hash_init(&h, 0x7366696cULL);
	nb_hash_bytes(&h, data, len);
	return nb_hash_final(&h);
}

/* A page's metadata row, [title, kind, community, date, url, snippet],
 * as the chunks hold it. */
static void make_row(const nb_site *s, const nb_page *p, const char *text, nb_buf *snip,
		     nb_buf *out)
{
	nb_json w;
	nb_json_init(&w, out, NB_JSON_COMPACT | NB_JSON_SORT_KEYS);
	nb_json_array(&w);
	put_elem(&w, str(p->item, "title"));
	put_elem(&w, nb_site_label(s, "kinds", p->doc->kind));
	put_elem(&w, str(json_object_get(p->item, "community"), "title"));
	put_elem(&w, str(p->item, "date_display"));
	put_elem(&w, str(p->item, "url"));
	snippet(text, snip);
	put_elem(&w, nb_buf_cstr(snip));
	nb_json_close(&w);
}

/* The tokens the memo recorded, entered into `ix` in id order so that an
 * entry's index is its id. -1 when the record names a token twice (or
 * one tokenize could not make): the record is not used. */
static int seed(index_t *ix, const nb_search_memo *m)
{
	for (uint32_t i = 0; i < m->ntok; i++) {
		const char *t = m->tok[i];
		size_t len = m->tok_len[i];
		uint32_t c, c2;
		int k = nb_utf8_decode(t, len, &c);
		entry *e;
		if (!is_cjk(c)) {
			e = word_entry(ix, t, len);
		} else if ((size_t)k == len) {
			e = cjk_entry(ix, c, c, 0);
		} else {
			int k2 = nb_utf8_decode(t + k, len - (size_t)k, &c2);
			if ((size_t)(k + k2) != len || !is_cjk(c2))
				return -1;
			e = cjk_entry(ix, (uint64_t)c << 32 | c2, c2, c);
		}
		if (e != &ix->e[i] || e->tok_len != len || memcmp(ix->arena.ptr + e->tok, t, len))
			return -1;
	}
	return 0;
}

static void index_free(index_t *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		if (ix->e[i].cap > INLINE_POST)
			free(ix->e[i].post.heap);
	free(ix->e);
	free(ix->slots);
	free(ix->cslots);
	free(ix->touched);
	nb_buf_free(&ix->arena);
	memset(ix, 0, sizeof(*ix));
}

/* Tokenize page i into `ix` and append its postings to `post`, in the
 * order the page first has the tokens. */
static void tokenize_doc(index_t *ix, const nb_page *p, const char *text, uint32_t i,
			 nb_buf *post)
{
	ix->doc = i;
	ix->in_title = 0;
	tokenize(text, add_token, add_cjk, ix);
	ix->in_title = 1;
	tokenize(str(p->item, "title"), add_token, add_cjk, ix);
	/* A decision's id is its document number (D-2025-001), which
	 * residents copy from the notice board: it ranks like the title. */
	if (p->doc->id && !strcmp(p->doc->kind, "decisions"))
		tokenize(p->doc->id, add_token, add_cjk, ix);
	for (size_t k = 0; k < ix->ntouched; k++) {
		const entry *e = &ix->e[ix->touched[k].e];
		uint32_t sc = e->body + (e->title ? TITLE_BONUS : 0u);
		nb_search_memo_put_posting(post, ix->touched[k].e, sc);
	}
	ix->ntouched = 0;
}

/* ---- the made pages' parts, out of memory until read back ----
 *
 * A tokenized page's postings and row are needed three more times (for
 * the shards, the chunks and the next record), each time in page order,
 * so they go to a scratch file as they are made and are read back in
 * order: at 10,000 documents they are 18 MB that would otherwise wait
 * beside the whole site graph at the peak of the build. The file is
 * unlinked as soon as it is made, so a killed build leaves nothing
 * behind. Without one (a folder that cannot be written, a full disk), the
 * bytes are kept in memory instead, as they were before: slower to free,
 * never a different index. */
typedef struct spill {
	FILE *f;        /* NULL: the bytes are in `mem` */
	nb_buf mem;
	size_t at;      /* reading: the next byte of `mem` */
	int bad;        /* a write, or reading back, failed */
} spill;

/* A scratch file in `dir` (made if missing), or in the system's
 * temporary folder when `dir` is NULL; in memory when neither works. */
static void spill_open(spill *sp, const char *dir)
{
	memset(sp, 0, sizeof(*sp));
	if (!dir) {
		sp->f = tmpfile();
	} else {
		int fd = nb_fs_scratch(dir);
		if (fd >= 0 && !(sp->f = fdopen(fd, "w+b")))
			close(fd);
	}
	if (sp->f)
		setvbuf(sp->f, NULL, _IOFBF, (size_t)1 << 16);
}

static void spill_close(spill *sp)
{
	if (sp->f)
		fclose(sp->f);
	nb_buf_free(&sp->mem);
	memset(sp, 0, sizeof(*sp));
}

static void spill_put(spill *sp, const void *data, size_t n)
{
	if (!sp->f)
		nb_buf_put(&sp->mem, data, n);
	else if (n && fwrite(data, 1, n, sp->f) != n)
		sp->bad = 1;
}

/* Back to the first byte, to read it all again in order. */
static void spill_rewind(spill *sp)
{
	sp->at = 0;
	if (sp->f && (fflush(sp->f) != 0 || fseek(sp->f, 0, SEEK_SET) != 0))
		sp->bad = 1;
}

/* The next n bytes (in `tmp` when read from the file); "" with `bad`
 * set when they cannot be read back. */
static const void *spill_take(spill *sp, size_t n, nb_buf *tmp)
{
	if (!sp->f) {
		if (sp->mem.len - sp->at < n) {
			sp->bad = 1;
			return "";
		}
		sp->at += n;
		return sp->mem.ptr + sp->at - n;
	}
	if (!n || sp->bad)
		return "";
	nb_buf_clear(tmp);
	nb_buf_grow(tmp, n);
	if (fread(tmp->ptr, 1, n, sp->f) != n) {
		sp->bad = 1;
		return "";
	}
	tmp->len = n;
	return tmp->ptr;
}

/* One page's part of the index: recorded (pointers into the memo), or
 * made by this build (in the scratch files, `made`). */
typedef struct sdoc {
	nb_digest key;
	const char *row;
	const uint8_t *post;
	uint32_t row_len, post_len;
	int made;
} sdoc;

typedef struct sbuild {
	const nb_site *s;
	nb_search_memo *m;   /* or NULL */
	int use;             /* the record is usable (and seeded) */
	index_t ix;
	sdoc *docs;
	spill rows, posts;   /* the made pages' rows and postings, in page order */
	nb_buf row_tmp, post_tmp;   /* one page's, read back */
	int in_order;        /* every recorded page at its recorded index */
	uint32_t *cnt;       /* postings per token id */
	size_t ncnt;
	size_t bytes;        /* the index's size estimate */
	uint32_t *shard_of;  /* shard per token id */
	size_t nshards;
	int failed;          /* a scratch file could not be read back: reported */
	nb_search_stats st;
} sbuild;

/* Count a page's postings per token (for the shard count and the record). */
static void count_doc(sbuild *b, const uint8_t *p, size_t len)
{
	if (b->ncnt < b->ix.n) {
		size_t n = b->ix.cap;
		b->cnt = xrealloc(b->cnt, n * sizeof(*b->cnt));
		memset(b->cnt + b->ncnt, 0, (n - b->ncnt) * sizeof(*b->cnt));
		b->ncnt = n;
	}
	const uint8_t *end = p + len;
	uint32_t id, score;
	while (p < end && nb_search_memo_posting(&p, end, &id, &score) == 0) {
		b->cnt[id]++;
		b->bytes += 12;
	}
}

/* Page i's row, or its postings: recorded, or the next ones of their
 * scratch file, which is read from its start in page order. */
static const void *doc_part(sbuild *b, size_t i, int row, uint32_t *len)
{
	const sdoc *sd = &b->docs[i];
	*len = row ? sd->row_len : sd->post_len;
	if (!sd->made)
		return row ? (const void *)sd->row : (const void *)sd->post;
	spill *sp = row ? &b->rows : &b->posts;
	const void *p = spill_take(sp, *len, row ? &b->row_tmp : &b->post_tmp);
	if (sp->bad)
		*len = 0;
	return p;
}

/* Every 256 pages of a walk that reads recorded ones, and at its end
 * (i == SIZE_MAX): what was read of the record is given back
 * (searchmemo.h nb_search_memo_release), so a rebuild never holds all
 * of it. */
static void let_go(const sbuild *b, size_t i)
{
	if (b->use && (i == SIZE_MAX || (i & 255) == 255))
		nb_search_memo_release(b->m);
}

/* After reading the scratch files back: whether they failed to give
 * what was written (reported once: the index made from them is wrong,
 * and the build must not pass for a good one). */
static int spill_failed(sbuild *b, nb_diag *d)
{
	if (!b->rows.bad && !b->posts.bad)
		return 0;
	if (!b->failed)
		nb_error(d, NB_CACHE_DIR, 0, 0, "io", "check free disk space and permissions",
			 "cannot read file: %s", strerror(errno ? errno : EIO));
	b->failed = 1;
	return 1;
}

/* Every page's key; its recorded part when the memo has one, else
 * tokenized and its row made (into the scratch files); every page's
 * postings counted. */
static void gather(sbuild *b, nb_diag *d)
{
	const nb_site *s = b->s;
	nb_buf tb = NB_BUF_INIT, snip = NB_BUF_INIT, post = NB_BUF_INIT, row = NB_BUF_INIT;
	b->in_order = 1;
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		sdoc *sd = &b->docs[i];
		const char *text = nb_doc_text(p->doc, SIZE_MAX, &tb);
		if (!text) {
			nb_doc_unreadable(d, p->doc);
			text = "";
		}
		sd->key = doc_key(s, p, text);
		long j = b->use ? nb_search_memo_find(b->m, sd->key) : -1;
		if (j >= 0) {
			const nb_smemo_doc *r = &b->m->doc[j];
			sd->row = r->row;
			sd->row_len = r->row_len;
			sd->post = r->post;
			sd->post_len = r->post_len;
			b->in_order &= (size_t)j == i;
			count_doc(b, sd->post, sd->post_len);
			let_go(b, i);
			continue;
		}
		sd->made = 1;
		nb_buf_clear(&post);
		tokenize_doc(&b->ix, p, text, (uint32_t)i, &post);
		nb_buf_clear(&row);
		make_row(s, p, text, &snip, &row);
		sd->post_len = (uint32_t)post.len;
		sd->row_len = (uint32_t)row.len;
		count_doc(b, (const uint8_t *)post.ptr, post.len);
		spill_put(&b->posts, post.ptr, post.len);
		spill_put(&b->rows, row.ptr, row.len);
		b->st.tokenized++;
	}
	let_go(b, SIZE_MAX);
	nb_buf_free(&tb);
	nb_buf_free(&snip);
	nb_buf_free(&post);
	nb_buf_free(&row);
}

/* The index's size estimate, hence the shard count, and each token's
 * shard. */
static void count_postings(sbuild *b)
{
	index_t *ix = &b->ix;
	size_t n = ix->n ? ix->n : 1;
	if (b->ncnt < n) {
		b->cnt = xrealloc(b->cnt, n * sizeof(*b->cnt));
		memset(b->cnt + b->ncnt, 0, (n - b->ncnt) * sizeof(*b->cnt));
		b->ncnt = n;
	}
	b->shard_of = malloc(n * sizeof(*b->shard_of));
	if (!b->shard_of)
		abort();
	size_t bytes = b->bytes;
	for (size_t i = 0; i < ix->n; i++)
		if (b->cnt[i])
			bytes += ix->e[i].tok_len + 6u;
	b->nshards = MIN_SHARDS;
	while (b->nshards < MAX_SHARDS && b->nshards * SHARD_BYTES < bytes)
		b->nshards *= 2;
	for (size_t i = 0; i < ix->n; i++) {
		char key[64];
		nb_search_key(ix->arena.ptr + ix->e[i].tok, key, sizeof(key));
		b->shard_of[i] = nb_search_hash(key) & (uint32_t)(b->nshards - 1);
	}
}

/* Mark the shards of the tokens whose postings differ between a page's
 * recorded list and its new one. `score` (per token id, all 0) is
 * scratch, left all 0. */
static void mark_changed(const sbuild *b, const nb_smemo_doc *was, const uint8_t *now,
			 uint32_t now_len, uint8_t *score, uint8_t *dirty)
{
	const uint8_t *p, *end;
	uint32_t id, sc;
	for (p = was->post, end = p + was->post_len;
	     p < end && nb_search_memo_posting(&p, end, &id, &sc) == 0;)
		score[id] = (uint8_t)sc;
	for (p = now, end = p + now_len;
	     p < end && nb_search_memo_posting(&p, end, &id, &sc) == 0;) {
		if (score[id] != sc)
			dirty[b->shard_of[id]] = 1;
		score[id] = 0;
	}
	/* What is left the page no longer has. */
	for (p = was->post, end = p + was->post_len;
	     p < end && nb_search_memo_posting(&p, end, &id, &sc) == 0;) {
		if (score[id])
			dirty[b->shard_of[id]] = 1;
		score[id] = 0;
	}
}

/* The shards to make: all of them, unless the record had the same pages
 * in the same order and shard count; then those whose tokens' postings
 * changed, and those whose file the caller could not put from the last
 * build (`reuse`). The others' digests are the recorded ones. */
static uint8_t *plan_shards(sbuild *b, nb_digest *keys, nb_search_reuse reuse, void *ud)
{
	uint8_t *dirty = calloc(b->nshards, 1);
	if (!dirty)
		abort();
	const nb_search_memo *m = b->m;
	int all = !b->use || !b->in_order || m->nshards != b->nshards || m->ndoc != b->s->len;
	uint8_t *score = all ? NULL : calloc(b->ix.n ? b->ix.n : 1, 1);
	if (!all && !score)
		abort();
	if (!all)
		spill_rewind(&b->posts);
	for (size_t i = 0; !all && i < b->s->len; i++) {
		if (!b->docs[i].made)
			continue;
		uint32_t len;
		const uint8_t *post = (const uint8_t *)doc_part(b, i, 0, &len);
		mark_changed(b, &m->doc[i], post, len, score, dirty);
	}
	free(score);
	char rel[64];
	for (size_t sh = 0; sh < b->nshards; sh++) {
		size_t size;
		snprintf(rel, sizeof(rel), "search/t/%zu.json", sh);
		if (all || dirty[sh] || !reuse || !reuse(ud, rel, m->shard[sh], &size)) {
			dirty[sh] = 1;
			b->st.shards_made++;
		} else {
			keys[sh] = m->shard[sh];
		}
	}
	return dirty;
}

/* The postings of the tokens of dirty shards from lo to hi, in page
 * order: one pass over every page's list. */
static void fill_postings(sbuild *b, const uint8_t *dirty, size_t lo, size_t hi)
{
	index_t *ix = &b->ix;
	for (size_t i = 0; i < ix->n; i++)
		ix->e[i].last_doc = 0;
	spill_rewind(&b->posts);
	for (size_t i = 0; i < b->s->len; i++) {
		uint32_t len;
		const uint8_t *p = (const uint8_t *)doc_part(b, i, 0, &len), *end = p + len;
		uint32_t id, score;
		while (p < end && nb_search_memo_posting(&p, end, &id, &score) == 0) {
			uint32_t sh = b->shard_of[id];
			if (sh < lo || sh >= hi || !dirty[sh])
				continue;
			entry *e = &ix->e[id];
			put_varint(e, (uint64_t)(i + 1 - e->last_doc) << SCORE_BITS | score);
			e->last_doc = (uint32_t)(i + 1);
		}
		let_go(b, i);
	}
	let_go(b, SIZE_MAX);
}

/* How many bytes of postings a range of shards may hold at once: a
 * range is one more pass over every page's postings, so the bound grows
 * with the index past MAX_PASSES ranges (a linear build needs a constant
 * number of passes). Ranges are whole shards, filled in order while the
 * next one fits: with a bound of total / MAX_PASSES alone, each range
 * fell short of it by part of a shard and a last, nearly empty range
 * cost a whole pass more (three, not two). With the largest shard added,
 * every range but the last holds more than total / MAX_PASSES, so there
 * are at most MAX_PASSES. NB_SEARCH_RANGE_BYTES sets it, for tests that
 * need many ranges from a small site. */
static size_t range_budget(size_t total, size_t largest)
{
	const char *env = getenv("NB_SEARCH_RANGE_BYTES");
	if (env && atol(env) > 0)
		return (size_t)atol(env);
	size_t budget = total / MAX_PASSES + largest;
	return budget > RANGE_BYTES ? budget : RANGE_BYTES;
}

/* The dirty shards, made a range at a time: the postings of one range's
 * tokens are filled, written and freed before the next range's are
 * filled, so only about range_budget bytes of them are held at once. */
static void make_shards(sbuild *b, const uint8_t *dirty, nb_digest *keys, nb_search_emit emit,
			void *ud, nb_diag *d)
{
	if (!b->st.shards_made)
		return;
	size_t *est = calloc(b->nshards, sizeof(*est)), total = 0, largest = 0;
	if (!est)
		abort();
	/* A posting is one to three bytes of varint; two is near enough. */
	for (size_t i = 0; i < b->ix.n; i++)
		if (b->cnt[i] && dirty[b->shard_of[i]]) {
			est[b->shard_of[i]] += (size_t)b->cnt[i] * 2;
			total += (size_t)b->cnt[i] * 2;
		}
	for (size_t sh = 0; sh < b->nshards; sh++)
		largest = est[sh] > largest ? est[sh] : largest;
	size_t budget = range_budget(total, largest);
	sorted *order;
	size_t *start;
	bucket_tokens(&b->ix, b->nshards, b->shard_of, dirty, b->cnt, &order, &start);
	nb_buf out = NB_BUF_INIT;
	for (size_t lo = 0, hi; lo < b->nshards && !b->failed; lo = hi) {
		size_t held = 0;
		for (hi = lo; hi < b->nshards && (hi == lo || held + est[hi] <= budget); hi++)
			held += est[hi];
		if (held) {   /* else no token of the range has postings */
			fill_postings(b, dirty, lo, hi);
			if (spill_failed(b, d))
				break;
		}
		write_shards(order, start, lo, hi, dirty, keys, &out, emit, ud);
	}
	nb_buf_free(&out);
	free(order);
	free(start);
	free(est);
}

/* The metadata chunks, [[title, kind, community, date, url, text], ...],
 * CHUNK_DOCS documents each; with no documents, one empty chunk, as the
 * client expects. Assembled from the rows, so a chunk costs a copy; put
 * from the last build when the caller can. */
static void write_chunks(sbuild *b, nb_search_emit emit, nb_search_reuse reuse, void *ud,
			 nb_diag *d)
{
	const size_t len = b->s->len;
	size_t nchunks = len ? (len + CHUNK_DOCS - 1) / CHUNK_DOCS : 1;
	nb_buf out = NB_BUF_INIT;
	char rel[64];
	spill_rewind(&b->rows);
	for (size_t c = 0; c < nchunks; c++) {
		size_t lo = c * CHUNK_DOCS, hi = lo + CHUNK_DOCS < len ? lo + CHUNK_DOCS : len;
		nb_buf_clear(&out);
		nb_buf_putc(&out, '[');
		for (size_t i = lo; i < hi; i++) {
			if (i > lo)
				nb_buf_putc(&out, ',');
			uint32_t row_len;
			const char *row = doc_part(b, i, 1, &row_len);
			nb_buf_put(&out, row, row_len);
			let_go(b, i);
		}
		nb_buf_putc(&out, ']');
		if (spill_failed(b, d))
			break;
		snprintf(rel, sizeof(rel), "search/d/%zu.json", c);
		size_t size;
		if (!reuse || !reuse(ud, rel, nb_search_file_key(out.ptr, out.len), &size)) {
			emit(ud, rel, out.ptr, out.len);
			b->st.chunks_made++;
		}
	}
	let_go(b, SIZE_MAX);
	b->st.chunks = nchunks;
	nb_buf_free(&out);
}

/* The next record: the tokens some page still has (renumbered), the
 * shards' digests, every page in order. */
static void record(sbuild *b, const nb_digest *keys)
{
	const index_t *ix = &b->ix;
	uint32_t *renum = malloc((ix->n ? ix->n : 1) * sizeof(*renum));
	if (!renum)
		abort();
	uint32_t used = 0;
	for (size_t i = 0; i < ix->n; i++)
		renum[i] = b->cnt[i] ? used++ : UINT32_MAX;
	nb_search_memo_begin(b->m, used, (uint32_t)b->s->len, (uint32_t)b->nshards);
	for (size_t i = 0; i < ix->n; i++)
		if (b->cnt[i])
			nb_search_memo_token(b->m, ix->arena.ptr + ix->e[i].tok, ix->e[i].tok_len);
	for (size_t sh = 0; sh < b->nshards; sh++)
		nb_search_memo_shard(b->m, keys[sh]);
	nb_buf post = NB_BUF_INIT;
	spill_rewind(&b->rows);
	spill_rewind(&b->posts);
	for (size_t i = 0; i < b->s->len; i++) {
		uint32_t row_len, post_len;
		const char *row = doc_part(b, i, 1, &row_len);
		const uint8_t *p = doc_part(b, i, 0, &post_len), *end = p + post_len;
		if (used != ix->n) {
			nb_buf_clear(&post);
			uint32_t id, score;
			while (p < end && nb_search_memo_posting(&p, end, &id, &score) == 0)
				nb_search_memo_put_posting(&post, renum[id], score);
			p = (const uint8_t *)nb_buf_cstr(&post);
			end = p + post.len;
		}
		nb_search_memo_doc(b->m, b->docs[i].key, row, row_len, p, (uint32_t)(end - p));
		let_go(b, i);
	}
	let_go(b, SIZE_MAX);
	nb_search_memo_end(b->m);
	nb_buf_free(&post);
	free(renum);
}

static void sbuild_free(sbuild *b)
{
	free(b->cnt);
	free(b->shard_of);
	free(b->docs);
	spill_close(&b->rows);
	spill_close(&b->posts);
	nb_buf_free(&b->row_tmp);
	nb_buf_free(&b->post_tmp);
	index_free(&b->ix);
	memset(b, 0, sizeof(*b));
}

/* The record's tokens seeded, every page gathered; the scratch files in
 * `dir` (NULL: the system's), or in memory when `in_memory`. */
static void sbuild_init(sbuild *b, const nb_site *s, nb_search_memo *m, const char *dir,
			int in_memory, nb_diag *d)
{
	memset(b, 0, sizeof(*b));
	b->s = s;
	b->m = m;
	b->use = m && m->have;
	if (b->use && seed(&b->ix, m) != 0) {
		index_free(&b->ix);
		b->use = 0;
	}
	let_go(b, SIZE_MAX);
	b->docs = calloc(s->len ? s->len : 1, sizeof(*b->docs));
	if (!b->docs)
		abort();
	if (!in_memory) {
		spill_open(&b->rows, dir);
		spill_open(&b->posts, dir);
	}
	gather(b, d);
}

/* The folder of the memo's record, for the scratch files; NULL without
 * a memo (the system's temporary folder is used). */
static char *scratch_dir(const nb_search_memo *m)
{
	if (!m || !m->program[0])
		return NULL;
	char *dir = strdup(m->path), *slash = strrchr(dir ? dir : "", '/');
	if (!dir)
		abort();
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	return dir;
}

void nb_search_build_memo(const nb_site *s, nb_search_memo *m, nb_search_emit emit,
			  nb_search_reuse reuse, void *ud, nb_search_stats *st, nb_diag *d)
{
	if (s->len >= UINT32_MAX)
		abort();
	sbuild b;
	char *dir = scratch_dir(m);
	sbuild_init(&b, s, m, dir, 0, d);
	free(dir);
	/* A scratch file that could not take every byte (a full disk): the
	 * pages are gathered again in memory, their diagnostics given once. */
	spill_rewind(&b.rows);
	spill_rewind(&b.posts);
	if (b.rows.bad || b.posts.bad) {
		nb_diag again;
		nb_diag_init(&again);
		sbuild_free(&b);
		sbuild_init(&b, s, m, NULL, 1, &again);
		nb_diag_free(&again);
	}
	count_postings(&b);
	nb_digest *keys = calloc(b.nshards, sizeof(*keys));
	if (!keys)
		abort();
	uint8_t *dirty = plan_shards(&b, keys, reuse, ud);
	make_shards(&b, dirty, keys, emit, ud, d);
	free(dirty);
	if (!b.failed)
		write_chunks(&b, emit, reuse, ud, d);

	/* Keys in strcmp order, as JSON_SORT_KEYS wrote them. */
	nb_buf out = NB_BUF_INIT;
	nb_json w;
	nb_json_init(&w, &out, NB_JSON_COMPACT | NB_JSON_SORT_KEYS);
	nb_json_object(&w);
	nb_json_key(&w, "chunk");
	nb_json_integer(&w, CHUNK_DOCS);
	nb_json_key(&w, "docs");
	nb_json_integer(&w, (long long)s->len);
	nb_json_key(&w, "shards");
	nb_json_integer(&w, (long long)b.nshards);
	nb_json_key(&w, "version");
	nb_json_integer(&w, 1);
	nb_json_close(&w);
	if (!b.failed)
		emit(ud, "search/index.json", out.ptr, out.len);
	nb_buf_free(&out);

	if (m && !b.failed && !spill_failed(&b, d))
		record(&b, keys);
	b.st.docs = s->len;
	b.st.shards = b.nshards;
	if (st)
		*st = b.st;
	free(keys);
	sbuild_free(&b);
}

void nb_search_build(const nb_site *s, nb_search_emit emit, void *ud, nb_diag *d)
{
	nb_search_build_memo(s, NULL, emit, NULL, ud, NULL, d);
}

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
 */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

#define BODY_CAP 20
#define TITLE_BONUS 20
#define SNIPPET_CHARS 200
#define CHUNK_DOCS 50
#define SHARD_BYTES 65536
#define MIN_SHARDS 8
#define MAX_SHARDS 4096
#define MAX_WORD 64

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

static void put_cp(nb_buf *b, uint32_t c)
{
	char s[4];
	size_t n;
	if (c < 0x80) {
		s[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		s[0] = (char)(0xC0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		s[0] = (char)(0xE0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	nb_buf_put(b, s, n);
}

typedef void (*token_fn)(void *ud, const char *tok);

static void tokenize(const char *text, token_fn fn, void *ud)
{
	size_t len = strlen(text);
	nb_buf word = NB_BUF_INIT, tok = NB_BUF_INIT;
	size_t word_chars = 0;
	uint32_t prev = 0;   /* previous CJK character of the current run */
	for (size_t i = 0; i <= len;) {
		uint32_t c = 0;
		if (i < len) {
			int k = nb_utf8_decode(text + i, len - i, &c);
			i += (size_t)k;
			c = fold(c);
		} else {
			i++;
		}
		int cjk = c && is_cjk(c), w = c && is_word(c);
		if (cjk) {
			nb_buf_clear(&tok);
			put_cp(&tok, c);
			fn(ud, nb_buf_cstr(&tok));
			if (prev) {
				nb_buf_clear(&tok);
				put_cp(&tok, prev);
				put_cp(&tok, c);
				fn(ud, nb_buf_cstr(&tok));
			}
		}
		prev = cjk ? c : 0;
		if (w) {
			if (word_chars < MAX_WORD)
				put_cp(&word, c);
			word_chars++;
		} else if (word_chars) {
			fn(ud, nb_buf_cstr(&word));
			nb_buf_clear(&word);
			word_chars = 0;
		}
	}
	nb_buf_free(&word);
	nb_buf_free(&tok);
}

static void count_json(void *ud, const char *tok)
{
	json_t *counts = ud;
	json_t *v = json_object_get(counts, tok);
	json_object_set_new(counts, tok, json_integer(v ? json_integer_value(v) + 1 : 1));
}

void nb_search_tokens(const char *text, json_t *counts)
{
	tokenize(text, count_json, counts);
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

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* The start of the text, white space collapsed, for the result snippet. */
static json_t *snippet(const char *text)
{
	nb_buf b = NB_BUF_INIT;
	size_t len = strlen(text), n = 0;
	int space = 0;
	for (size_t i = 0; i < len && n < SNIPPET_CHARS;) {
		uint32_t c;
		int k = nb_utf8_decode(text + i, len - i, &c);
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			space = b.len > 0;
		} else {
			if (space)
				nb_buf_putc(&b, ' ');
			space = 0;
			nb_buf_put(&b, text + i, (size_t)k);
			n++;
		}
		i += (size_t)k;
	}
	json_t *v = json_string(nb_buf_cstr(&b));
	nb_buf_free(&b);
	return v;
}

static void emit_json(nb_search_emit emit, void *ud, const char *rel, json_t *v)
{
	char *out = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	if (!out)
		abort();
	emit(ud, rel, out, strlen(out));
	free(out);
}

/*
 * The inverted index. Plain C rather than jansson: a large site has tens of
 * millions of postings, and one allocation per integer cost more time and
 * memory than the rest of the build. Tokens live in an open-addressing
 * hash table; each entry remembers the document it was last seen in, so
 * counting a document's tokens needs no per-document table.
 */
typedef struct entry {
	char *tok;
	uint64_t hash;
	uint32_t *post;     /* doc, score, doc, score, ... */
	size_t len, cap;
	size_t last_doc;    /* doc + 1 of the last count; 0 = none yet */
	uint32_t body, title;
} entry;

typedef struct index {
	entry *e;
	size_t n;
	size_t *slots;      /* entry index + 1; 0 = empty */
	size_t nslots;
	size_t *touched;    /* entries seen in the current document */
	size_t ntouched, cap_touched;
	size_t doc;
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

static uint64_t hash64(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

static void grow_slots(index_t *ix)
{
	size_t n = ix->nslots ? ix->nslots * 2 : 1024;
	size_t *slots = calloc(n, sizeof(size_t));
	if (!slots)
		abort();
	for (size_t i = 0; i < ix->n; i++) {
		size_t k = ix->e[i].hash & (n - 1);
		while (slots[k])
			k = (k + 1) & (n - 1);
		slots[k] = i + 1;
	}
	free(ix->slots);
	ix->slots = slots;
	ix->nslots = n;
}

static void add_token(void *ud, const char *tok)
{
	index_t *ix = ud;
	if ((ix->n + 1) * 2 > ix->nslots)
		grow_slots(ix);
	uint64_t h = hash64(tok);
	size_t k = h & (ix->nslots - 1);
	entry *e = NULL;
	while (ix->slots[k]) {
		entry *c = &ix->e[ix->slots[k] - 1];
		if (c->hash == h && !strcmp(c->tok, tok)) {
			e = c;
			break;
		}
		k = (k + 1) & (ix->nslots - 1);
	}
	if (!e) {
		if ((ix->n & (ix->n - 1)) == 0)
			ix->e = xrealloc(ix->e, (ix->n ? ix->n * 2 : 1) * sizeof(entry));
		e = &ix->e[ix->n];
		memset(e, 0, sizeof(*e));
		e->tok = strdup(tok);
		if (!e->tok)
			abort();
		e->hash = h;
		ix->slots[k] = ++ix->n;
		ix->bytes += strlen(tok) + 6;
	}
	if (e->last_doc != ix->doc + 1) {
		e->last_doc = ix->doc + 1;
		e->body = e->title = 0;
		if (ix->ntouched == ix->cap_touched) {
			ix->cap_touched = ix->cap_touched ? ix->cap_touched * 2 : 1024;
			ix->touched = xrealloc(ix->touched, ix->cap_touched * sizeof(size_t));
		}
		ix->touched[ix->ntouched++] = (size_t)(e - ix->e);
	}
	if (ix->in_title)
		e->title++;
	else
		e->body++;
}

/* Append this document's postings, in first-seen order (doc ids ascend). */
static void end_doc(index_t *ix)
{
	for (size_t i = 0; i < ix->ntouched; i++) {
		entry *e = &ix->e[ix->touched[i]];
		uint32_t sc = e->body > BODY_CAP ? BODY_CAP : e->body;
		if (e->title)
			sc += TITLE_BONUS;
		if (e->len + 2 > e->cap) {
			e->cap = e->cap ? e->cap * 2 : 4;
			e->post = xrealloc(e->post, e->cap * sizeof(uint32_t));
		}
		e->post[e->len++] = (uint32_t)ix->doc;
		e->post[e->len++] = sc;
		ix->bytes += 12;
	}
	ix->ntouched = 0;
}

static int cmp_tok(const void *a, const void *b)
{
	return strcmp((*(const entry *const *)a)->tok, (*(const entry *const *)b)->tok);
}

static void write_shards(const index_t *ix, size_t nshards, nb_search_emit emit, void *ud)
{
	const entry **order = malloc((ix->n ? ix->n : 1) * sizeof(entry *));
	size_t *start = calloc(nshards + 1, sizeof(size_t));
	size_t *shard_of = malloc((ix->n ? ix->n : 1) * sizeof(size_t));
	if (!order || !start || !shard_of)
		abort();
	/* Bucket the entries by shard (counting sort), then sort each bucket. */
	for (size_t i = 0; i < ix->n; i++) {
		char key[64];
		nb_search_key(ix->e[i].tok, key, sizeof(key));
		shard_of[i] = nb_search_hash(key) & (nshards - 1);
		start[shard_of[i] + 1]++;
	}
	for (size_t sh = 0; sh < nshards; sh++)
		start[sh + 1] += start[sh];
	size_t *fill = malloc(nshards * sizeof(size_t));
	if (!fill)
		abort();
	memcpy(fill, start, nshards * sizeof(size_t));
	for (size_t i = 0; i < ix->n; i++)
		order[fill[shard_of[i]]++] = &ix->e[i];
	free(fill);
	free(shard_of);
	nb_buf b = NB_BUF_INIT;
	char rel[64];
	for (size_t sh = 0; sh < nshards; sh++) {
		size_t lo = start[sh], hi = start[sh + 1];
		qsort(order + lo, hi - lo, sizeof(entry *), cmp_tok);
		nb_buf_clear(&b);
		nb_buf_putc(&b, '{');
		for (size_t k = lo; k < hi; k++) {
			const entry *e = order[k];
			if (k > lo)
				nb_buf_putc(&b, ',');
			nb_buf_putc(&b, '"');
			nb_buf_puts(&b, e->tok);
			nb_buf_puts(&b, "\":[");
			for (size_t j = 0; j < e->len; j++) {
				/* By hand: printf per posting was most of this loop. */
				char num[12];
				size_t nd = sizeof(num);
				uint32_t x = e->post[j];
				do
					num[--nd] = (char)('0' + x % 10);
				while (x /= 10);
				if (j)
					nb_buf_putc(&b, ',');
				nb_buf_put(&b, num + nd, sizeof(num) - nd);
			}
			nb_buf_putc(&b, ']');
		}
		nb_buf_putc(&b, '}');
		snprintf(rel, sizeof(rel), "search/t/%zu.json", sh);
		emit(ud, rel, b.ptr, b.len);
	}
	nb_buf_free(&b);
	free(start);
	free(order);
}

void nb_search_build(const nb_site *s, nb_search_emit emit, void *ud)
{
	index_t ix;
	memset(&ix, 0, sizeof(ix));
	/* Metadata chunks are dumped as soon as they fill, so only their
	 * compact text waits for the shards, not one json value per field. */
	size_t nchunks = 0, ndocs = s->len;
	char **chunks = calloc(ndocs / CHUNK_DOCS + 1, sizeof(char *));
	if (!chunks)
		abort();
	json_t *chunk = json_array();
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		ix.doc = i;
		ix.in_title = 0;
		tokenize(p->text ? p->text : "", add_token, &ix);
		ix.in_title = 1;
		tokenize(str(p->page, "title"), add_token, &ix);
		end_doc(&ix);

		json_t *d = json_array();
		json_array_append_new(d, json_string(str(p->page, "title")));
		json_array_append_new(d, json_string(nb_site_label(s, "kinds", p->doc->kind)));
		json_array_append_new(d, json_string(str(json_object_get(p->page, "community"), "title")));
		json_array_append_new(d, json_string(str(p->page, "date_display")));
		json_array_append_new(d, json_string(str(p->page, "url")));
		json_array_append_new(d, snippet(p->text ? p->text : ""));
		json_array_append_new(chunk, d);
		if (json_array_size(chunk) == CHUNK_DOCS || i + 1 == s->len) {
			chunks[nchunks] = json_dumps(chunk, JSON_COMPACT | JSON_SORT_KEYS);
			if (!chunks[nchunks++])
				abort();
			json_array_clear(chunk);
		}
	}
	if (!nchunks) { /* no documents: one empty chunk, as the client expects */
		chunks[nchunks] = json_dumps(chunk, JSON_COMPACT | JSON_SORT_KEYS);
		if (!chunks[nchunks++])
			abort();
	}
	json_decref(chunk);

	size_t nshards = MIN_SHARDS;
	while (nshards < MAX_SHARDS && nshards * SHARD_BYTES < ix.bytes)
		nshards *= 2;
	write_shards(&ix, nshards, emit, ud);

	char rel[64];
	for (size_t c = 0; c < nchunks; c++) {
		snprintf(rel, sizeof(rel), "search/d/%zu.json", c);
		emit(ud, rel, chunks[c], strlen(chunks[c]));
		free(chunks[c]);
	}
	free(chunks);

	json_t *manifest = json_object();
	json_object_set_new(manifest, "version", json_integer(1));
	json_object_set_new(manifest, "shards", json_integer((json_int_t)nshards));
	json_object_set_new(manifest, "chunk", json_integer(CHUNK_DOCS));
	json_object_set_new(manifest, "docs", json_integer((json_int_t)ndocs));
	emit_json(emit, ud, "search/index.json", manifest);
	json_decref(manifest);
	for (size_t i = 0; i < ix.n; i++) {
		free(ix.e[i].tok);
		free(ix.e[i].post);
	}
	free(ix.e);
	free(ix.slots);
	free(ix.touched);
}

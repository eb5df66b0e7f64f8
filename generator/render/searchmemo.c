/*
 * searchmemo.c - the search index's per-document memo; see searchmemo.h
 * for the format and why.
 *
 * Everything is checked when the record is opened (the hash of its bytes,
 * every length, every posting), so search.c may walk a recorded document's
 * postings without checking again. Lookups by key are an open-addressing
 * table over the documents, made at open. The record is mapped, not read
 * into memory, and the pages walked are given back as the walk goes
 * (release_upto), so it never adds its whole size to the build's peak.
 */
#include "render/searchmemo.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fs.h"

#define MAGIC "nbsrch1\n"
#define MAX_RECORD ((size_t)1 << 31)
#define WINDOW ((size_t)1 << 20)   /* bytes checked before they are let go */
#define MAX_SCORE 63

typedef struct reader {
	const char *p, *end;
	int bad;
} reader;

static const char *take(reader *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	const char *at = r->p;
	r->p += n;
	return at;
}

static uint32_t take_u32(reader *r)
{
	uint32_t v = 0;
	const char *at = take(r, sizeof(v));
	if (at)
		memcpy(&v, at, sizeof(v));
	return v;
}

static nb_digest take_digest(reader *r)
{
	nb_digest d = { 0, 0 };
	const char *at = take(r, 16);
	if (at) {
		memcpy(&d.lo, at, 8);
		memcpy(&d.hi, at + 8, 8);
	}
	return d;
}

static nb_digest identity(const char *program)
{
	nb_hash h;
	nb_hash_init(&h, 0x73726368ULL);
	nb_hash_str(&h, program, strlen(program));
	return nb_hash_final(&h);
}

int nb_search_memo_posting(const uint8_t **p, const uint8_t *end, uint32_t *id, uint32_t *score)
{
	uint64_t v = 0;
	const uint8_t *q = *p;
	for (int shift = 0;; shift += 7) {
		if (q >= end || shift > 28)
			return -1;
		uint8_t byte = *q++;
		v |= (uint64_t)(byte & 0x7F) << shift;
		if (!(byte & 0x80))
			break;
	}
	if (q >= end || v > UINT32_MAX)
		return -1;
	*score = *q++;
	if (*score == 0 || *score > MAX_SCORE)
		return -1;
	*id = (uint32_t)v;
	*p = q;
	return 0;
}

void nb_search_memo_put_posting(nb_buf *b, uint32_t id, uint32_t score)
{
	uint32_t v = id;
	uint8_t tmp[6];
	size_t n = 0;
	while (v >= 0x80) {
		tmp[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (uint8_t)v;
	tmp[n++] = (uint8_t)score;
	nb_buf_put(b, tmp, n);
}

static size_t key_slot(nb_digest k, size_t mask)
{
	return (size_t)(k.lo ^ (k.hi >> 7)) & mask;
}

static int index_keys(nb_search_memo *m)
{
	size_t n = 16;
	while (n < (size_t)m->ndoc * 2)
		n *= 2;
	m->by_key = calloc(n, sizeof(*m->by_key));
	if (!m->by_key)
		abort();
	m->nby_key = n;
	for (uint32_t i = 0; i < m->ndoc; i++) {
		size_t k = key_slot(m->doc[i].key, n - 1);
		while (m->by_key[k])
			k = (k + 1) & (n - 1);
		m->by_key[k] = i + 1;
	}
	return 0;
}

long nb_search_memo_find(const nb_search_memo *m, nb_digest key)
{
	if (!m->have || !m->nby_key)
		return -1;
	size_t mask = m->nby_key - 1;
	for (size_t k = key_slot(key, mask); m->by_key[k]; k = (k + 1) & mask)
		if (nb_digest_eq(m->doc[m->by_key[k] - 1].key, key))
			return (long)m->by_key[k] - 1;
	return -1;
}

/* Every posting of document `i`: an id below ntok, once (`seen` holds
 * the last document + 1 each id was in). */
static int check_postings(const nb_smemo_doc *d, uint32_t i, uint32_t ntok, uint32_t *seen)
{
	const uint8_t *p = d->post, *end = p + d->post_len;
	uint32_t id, score;
	while (p < end) {
		if (nb_search_memo_posting(&p, end, &id, &score) != 0 || id >= ntok ||
		    seen[id] == i + 1)
			return -1;
		seen[id] = i + 1;
	}
	return 0;
}

/* The record is mapped, not read into memory: at 10,000 documents it
 * is 17 MB, and a rebuild holds it while the site graph is alive. What
 * has been walked is given back to the page cache (MADV_DONTNEED, which
 * for a private mapping never written to means: read the file again when
 * touched), so only the part being walked counts against the build. The
 * file is never changed in place (a new record is renamed over it), so
 * what is read again is what was checked. */
static void release_upto(nb_search_memo *m, const char *p)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t n = (size_t)(p - m->data);
	if (!m->mapped || page <= 0)
		return;
	n -= n % (size_t)page;
	if (n)
		madvise(m->data, n, MADV_DONTNEED);
}

void nb_search_memo_release(nb_search_memo *m)
{
	if (m->data)
		release_upto(m, m->data + m->len);
}

/* Map the record at `path`: 0, or -1 when there is none to use. */
static int map_record(nb_search_memo *m, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	void *p = MAP_FAILED;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (size_t)st.st_size <= MAX_RECORD)
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	m->data = p;
	m->len = (size_t)st.st_size;
	m->mapped = 1;
	return 0;
}

static int parse(nb_search_memo *m)
{
	if (m->len < sizeof(MAGIC) - 1 + 16 + 12 + 16)
		return -1;
	nb_hash h;
	nb_hash_init(&h, 0);
	/* In windows of whole 16-byte steps, which hash as the whole would. */
	for (size_t at = 0, n; at < m->len - 16; at += n) {
		n = m->len - 16 - at < WINDOW ? m->len - 16 - at : WINDOW;
		nb_hash_bytes(&h, m->data + at, n);
		release_upto(m, m->data + at + n);
	}
	reader tail = { m->data + m->len - 16, m->data + m->len, 0 };
	if (!nb_digest_eq(nb_hash_final(&h), take_digest(&tail)))
		return -1;
	reader r = { m->data, m->data + m->len - 16, 0 };
	const char *magic = take(&r, sizeof(MAGIC) - 1);
	if (!magic || memcmp(magic, MAGIC, sizeof(MAGIC) - 1) ||
	    !nb_digest_eq(take_digest(&r), identity(m->program)))
		return -1;
	m->ntok = take_u32(&r);
	m->ndoc = take_u32(&r);
	m->nshards = take_u32(&r);
	size_t left = (size_t)(r.end - r.p);
	if (r.bad || m->ntok > left / 5 || m->ndoc > left / 24 || m->nshards > left / 16)
		return -1;
	m->tok = calloc(m->ntok ? m->ntok : 1, sizeof(*m->tok));
	m->tok_len = calloc(m->ntok ? m->ntok : 1, sizeof(*m->tok_len));
	m->doc = calloc(m->ndoc ? m->ndoc : 1, sizeof(*m->doc));
	m->shard = calloc(m->nshards ? m->nshards : 1, sizeof(*m->shard));
	if (!m->tok || !m->tok_len || !m->doc || !m->shard)
		abort();
	for (uint32_t i = 0; i < m->ntok && !r.bad; i++) {
		uint32_t n = take_u32(&r);
		const char *t = n < UINT32_MAX ? take(&r, (size_t)n + 1) : NULL;
		if (!t || n == 0 || n > 0xFFFF || t[n] != '\0' || memchr(t, '\0', n))
			return -1;
		m->tok[i] = t;
		m->tok_len[i] = n;
	}
	for (uint32_t i = 0; i < m->nshards && !r.bad; i++)
		m->shard[i] = take_digest(&r);
	uint32_t *seen = calloc(m->ntok ? m->ntok : 1, sizeof(*seen));
	if (!seen)
		abort();
	for (uint32_t i = 0; i < m->ndoc && !r.bad; i++) {
		nb_smemo_doc *d = &m->doc[i];
		d->key = take_digest(&r);
		d->row_len = take_u32(&r);
		d->row = take(&r, d->row_len);
		d->post_len = take_u32(&r);
		d->post = (const uint8_t *)take(&r, d->post_len);
		if (r.bad || check_postings(d, i, m->ntok, seen) != 0) {
			free(seen);
			return -1;
		}
		if ((i & 255) == 255)
			release_upto(m, r.p);
	}
	free(seen);
	if (r.bad || r.p != r.end)
		return -1;
	return index_keys(m);
}

nb_search_memo *nb_search_memo_open(const char *path, const char *program)
{
	nb_search_memo *m = calloc(1, sizeof(*m));
	if (!m)
		abort();
	m->path = strdup(path);
	m->program = strdup(program ? program : "");
	if (!m->path || !m->program)
		abort();
	if (m->program[0] && map_record(m, path) == 0 && parse(m) == 0) {
		m->have = 1;
	} else {
		m->ntok = m->ndoc = m->nshards = 0;
	}
	return m;
}

void nb_search_memo_free(nb_search_memo *m)
{
	if (!m)
		return;
	free(m->path);
	free(m->program);
	if (m->mapped)
		munmap(m->data, m->len);
	free(m->tok);
	free(m->tok_len);
	free(m->doc);
	free(m->shard);
	free(m->by_key);
	if (m->out)
		fclose(m->out);
	if (m->tmp)
		remove(m->tmp);  /* made but not saved */
	free(m->tmp);
	nb_buf_free(&m->pend);
	free(m);
}

/* ---- the next record ----
 *
 * Streamed to a file beside the record rather than made in memory: at
 * 10,000 documents it is 14 MB, which would add to the build's peak while
 * the record read is still held. The hash is taken as the bytes go out,
 * in runs of whole 16-byte steps, which nb_hash_bytes hashes as it would
 * the whole at once. */

#define FLUSH_AT ((size_t)1 << 16)

static void flush(nb_search_memo *m, int last)
{
	size_t n = last ? m->pend.len : m->pend.len & ~(size_t)15;
	nb_hash_bytes(&m->hash, m->pend.ptr, n);
	if (m->out && fwrite(m->pend.ptr, 1, n, m->out) != n)
		m->bad = 1;
	memmove(m->pend.ptr, m->pend.ptr + n, m->pend.len - n);
	m->pend.len -= n;
	m->written += n;
}

static void put(nb_search_memo *m, const void *data, size_t n)
{
	if (!m->out)
		return;
	nb_buf_put(&m->pend, data, n);
	if (m->pend.len >= FLUSH_AT)
		flush(m, 0);
}

static void put_u32(nb_search_memo *m, uint32_t v)
{
	put(m, &v, sizeof(v));
}

static void put_digest(nb_search_memo *m, nb_digest d)
{
	put(m, &d.lo, 8);
	put(m, &d.hi, 8);
}

void nb_search_memo_begin(nb_search_memo *m, uint32_t ntok, uint32_t ndoc, uint32_t nshards)
{
	if (!m->program[0] || m->tmp)
		return;
	nb_buf t = NB_BUF_INIT;
	nb_buf_printf(&t, "%s.tmp-%ld", m->path, (long)getpid());
	m->tmp = strdup(nb_buf_cstr(&t));
	nb_buf_free(&t);
	if (!m->tmp)
		abort();
	char *slash = strrchr(m->path, '/');
	if (slash) {
		*slash = '\0';
		int rc = nb_fs_mkdirs(m->path);
		*slash = '/';
		if (rc != 0)
			return;
	}
	m->out = fopen(m->tmp, "wb");
	nb_hash_init(&m->hash, 0);
	put(m, MAGIC, sizeof(MAGIC) - 1);
	put_digest(m, identity(m->program));
	put_u32(m, ntok);
	put_u32(m, ndoc);
	put_u32(m, nshards);
}

void nb_search_memo_token(nb_search_memo *m, const char *tok, uint32_t len)
{
	put_u32(m, len);
	put(m, tok, len);
	put(m, "", 1);
}

void nb_search_memo_shard(nb_search_memo *m, nb_digest d)
{
	put_digest(m, d);
}

void nb_search_memo_doc(nb_search_memo *m, nb_digest key, const char *row, uint32_t row_len,
			const uint8_t *post, uint32_t post_len)
{
	put_digest(m, key);
	put_u32(m, row_len);
	put(m, row, row_len);
	put_u32(m, post_len);
	put(m, post, post_len);
}

void nb_search_memo_end(nb_search_memo *m)
{
	if (!m->out)
		return;
	flush(m, 1);
	m->next_hash = nb_hash_final(&m->hash);
	nb_buf_put(&m->pend, &m->next_hash.lo, 8);
	nb_buf_put(&m->pend, &m->next_hash.hi, 8);
	if (fwrite(m->pend.ptr, 1, 16, m->out) != 16)
		m->bad = 1;
	m->written += 16;
	nb_buf_clear(&m->pend);
	if (fclose(m->out) != 0)
		m->bad = 1;
	m->out = NULL;
	m->ready = !m->bad;
}

void nb_search_memo_save(nb_search_memo *m)
{
	if (!m->ready)
		return;
	/* The same record again (nothing changed): leave the file be. */
	int same = m->have && m->len == m->written &&
		   !memcmp(m->data + m->len - 16, &m->next_hash.lo, 8) &&
		   !memcmp(m->data + m->len - 8, &m->next_hash.hi, 8);
	if (same || rename(m->tmp, m->path) != 0)
		remove(m->tmp);
	free(m->tmp);
	m->tmp = NULL;
	m->ready = 0;
}

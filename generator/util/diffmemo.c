/*
 * diffmemo.c - character diffs kept between builds; see diffmemo.h.
 *
 * The file: a magic line, the salt (length, bytes), then one record per
 * diff - the key (two 64-bit words, little-endian), the body's length and
 * the body: whether the diff is approximate, the number of spans, and per
 * span its byte length and operation in one number (len << 2 | op) - and
 * last a digest of everything before it. Numbers are LEB128 varints: a
 * span is mostly two or three bytes, so a corpus whose charters are all
 * rewritten keeps its diffs in a few megabytes.
 *
 * The file is read whole and indexed by key (open addressing); bodies are
 * decoded only when asked for. Records this build makes go to a buffer
 * beside the file's bytes, and `order` keeps which records were asked for
 * first to last, which is what is saved.
 */
#include "util/diffmemo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/utf8.h"

#define MAGIC "noticeboard diff memo 1\n"
#define MAGIC_LEN (sizeof(MAGIC) - 1)
#define KEY_SEED 0x6e622d6469666673ull  /* "nb-diffs" */
#define FILE_SEED 0x6e622d6d656d6f31ull /* "nb-memo1" */
/* Far above any real memo; a larger file is not ours to read whole. */
#define MAX_FILE ((size_t)1 << 30)

typedef struct entry {
	nb_digest key;
	size_t at, len;       /* its body: in `file` or, when fresh, in `added` */
	unsigned char fresh;
	unsigned char used;
} entry;

struct nb_diffmemo {
	char *path, *salt;
	char *file;           /* the file as read, or NULL */
	size_t file_len;
	size_t file_records;  /* records it holds (0 when unusable) */
	entry *e;
	size_t n, cap;
	size_t *slot;         /* 1 + index into e; 0 is empty */
	size_t nslot;         /* a power of two, more than twice n */
	nb_buf added;         /* bodies of the records made by this build */
	size_t *order;        /* records asked for, first use first */
	size_t norder;
	size_t reused, made;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void put_varint(nb_buf *b, uint64_t v)
{
	unsigned char c[10];
	size_t n = 0;
	do {
		c[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			c[n] |= 0x80;
		n++;
	} while (v);
	nb_buf_put(b, c, n);
}

/* The varint at p (before end) into *v; the byte after it, or NULL. */
static const unsigned char *get_varint(const unsigned char *p, const unsigned char *end,
				       uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned shift = 0; p && p < end && shift < 64; shift += 7) {
		unsigned char c = *p++;
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return p;
		}
	}
	return NULL;
}

static void put_u64(nb_buf *b, uint64_t v)
{
	unsigned char c[8];
	for (int i = 0; i < 8; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	nb_buf_put(b, c, 8);
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static nb_digest file_digest(const void *data, size_t len)
{
	nb_hash h;
	nb_hash_init(&h, FILE_SEED);
	nb_hash_str(&h, data, len);
	return nb_hash_final(&h);
}

static nb_digest key_of(const char *a, size_t alen, const char *b, size_t blen)
{
	nb_hash h;
	nb_hash_init(&h, KEY_SEED);
	nb_hash_str(&h, a, alen);
	nb_hash_str(&h, b, blen);
	return nb_hash_final(&h);
}

static size_t *find_slot(const nb_diffmemo *m, nb_digest k)
{
	size_t mask = m->nslot - 1;
	for (size_t i = (size_t)nb_hash_mix(k.lo) & mask;; i = (i + 1) & mask) {
		size_t *s = &m->slot[i];
		if (!*s || nb_digest_eq(m->e[*s - 1].key, k))
			return s;
	}
}

static void rehash(nb_diffmemo *m, size_t nslot)
{
	free(m->slot);
	m->nslot = nslot;
	m->slot = calloc(nslot, sizeof(size_t));
	if (!m->slot)
		abort();
	for (size_t i = 0; i < m->n; i++)
		*find_slot(m, m->e[i].key) = i + 1;
}

/* A new record (its key not yet held); returns its index. */
static size_t add_entry(nb_diffmemo *m, nb_digest k, size_t at, size_t len, int fresh)
{
	if (2 * (m->n + 1) >= m->nslot)
		rehash(m, m->nslot ? 2 * m->nslot : 64);
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->e = xrealloc(m->e, m->cap * sizeof(entry));
	}
	m->e[m->n] = (entry){ k, at, len, (unsigned char)fresh, 0 };
	*find_slot(m, k) = m->n + 1;
	return m->n++;
}

static void drop_records(nb_diffmemo *m)
{
	m->n = 0;
	m->file_records = 0;
	if (m->slot)
		memset(m->slot, 0, m->nslot * sizeof(size_t));
}

/* Index the records of the file, or none when anything in it is odd. */
static void index_file(nb_diffmemo *m)
{
	const unsigned char *p = (const unsigned char *)m->file;
	size_t len = m->file_len;
	if (len < MAGIC_LEN + 16 || memcmp(p, MAGIC, MAGIC_LEN))
		return;
	const unsigned char *end = p + len - 16;
	nb_digest want = file_digest(p, len - 16);
	if (get_u64(end) != want.lo || get_u64(end + 8) != want.hi)
		return;
	uint64_t slen;
	const unsigned char *q = get_varint(p + MAGIC_LEN, end, &slen);
	if (!q || slen != strlen(m->salt) || (size_t)(end - q) < slen ||
	    memcmp(q, m->salt, slen))
		return;
	q += slen;
	while (q < end) {
		uint64_t blen;
		if ((size_t)(end - q) < 16)
			goto odd;
		nb_digest k = { get_u64(q), get_u64(q + 8) };
		const unsigned char *body = get_varint(q + 16, end, &blen);
		if (!body || (size_t)(end - body) < blen)
			goto odd;
		if (m->nslot && *find_slot(m, k))
			goto odd;
		add_entry(m, k, (size_t)(body - p), blen, 0);
		q = body + blen;
	}
	m->file_records = m->n;
	return;
odd:
	drop_records(m);
}

int nb_diffmemo_open(nb_diffmemo **out, const char *path, const char *salt)
{
	nb_diffmemo *m = calloc(1, sizeof(*m));
	*out = m;
	if (!m)
		return -1;
	m->path = strdup(path);
	m->salt = strdup(salt);
	if (!m->path || !m->salt)
		abort();
	nb_buf_init(&m->added);
	if (nb_fs_read(path, MAX_FILE, &m->file, &m->file_len) != 0) {
		m->file = NULL;
		m->file_len = 0;
	} else {
		index_file(m);
	}
	return 0;
}

/* The characters of s[from, from + len) counted as chardiff.c counts them
 * (a code point, or one byte that is none, decoded with the whole text
 * after it in view); 0 when the stretch is empty or ends inside one. */
static size_t units(const char *s, size_t total, size_t from, size_t len)
{
	size_t n = 0, x = from, to = from + len;
	uint32_t cp;
	while (x < to) {
		int k = nb_utf8_decode(s + x, total - x, &cp);
		x += (size_t)(k < 1 ? 1 : k);
		n++;
	}
	return x == to ? n : 0;
}

/* Lay the record body [p, end) over a and b as a diff; 0, or -1 when it
 * does not fit them exactly (out is then freed). */
static int lay(nb_diff *out, const unsigned char *p, const unsigned char *end, const char *a,
	       size_t alen, const char *b, size_t blen)
{
	uint64_t approx, ns;
	memset(out, 0, sizeof(*out));
	p = get_varint(p, end, &approx);
	p = get_varint(p, end, &ns);
	if (!p || approx > 1 || ns > (uint64_t)(end - p))
		return -1;
	out->approximate = (int)approx;
	out->spans = xrealloc(NULL, (size_t)ns * sizeof(nb_diff_span));
	size_t i = 0, j = 0;
	for (uint64_t k = 0; k < ns; k++) {
		uint64_t v;
		if (!(p = get_varint(p, end, &v)))
			goto unfit;
		unsigned op = (unsigned)(v & 3);
		size_t len = (size_t)(v >> 2), ca = 0, cb = 0;
		if (op != NB_DIFF_INSERT && (len > alen - i || !(ca = units(a, alen, i, len))))
			goto unfit;
		if (op != NB_DIFF_DELETE && (len > blen - j || !(cb = units(b, blen, j, len))))
			goto unfit;
		nb_diff_span *s = &out->spans[out->len++];
		if (op == NB_DIFF_EQUAL) {
			if (ca != cb || memcmp(a + i, b + j, len))
				goto unfit;
			*s = (nb_diff_span){ NB_DIFF_EQUAL, a + i, len, ca };
			i += len, j += len;
		} else if (op == NB_DIFF_DELETE) {
			*s = (nb_diff_span){ NB_DIFF_DELETE, a + i, len, ca };
			out->deleted += ca;
			i += len;
		} else if (op == NB_DIFF_INSERT) {
			*s = (nb_diff_span){ NB_DIFF_INSERT, b + j, len, cb };
			out->inserted += cb;
			j += len;
		} else {
			goto unfit;
		}
	}
	if (p == end && i == alen && j == blen)
		return 0;
unfit:
	nb_diff_free(out);
	return -1;
}

static void encode(nb_buf *b, const nb_diff *d)
{
	put_varint(b, d->approximate ? 1 : 0);
	put_varint(b, d->len);
	for (size_t k = 0; k < d->len; k++)
		put_varint(b, (uint64_t)d->spans[k].len << 2 | (uint64_t)d->spans[k].op);
}

static void mark_used(nb_diffmemo *m, size_t i)
{
	if (m->e[i].used)
		return;
	m->e[i].used = 1;
	m->order = xrealloc(m->order, (m->norder + 1) * sizeof(size_t));
	m->order[m->norder++] = i;
}

void nb_diffmemo_chardiff(nb_diff *out, nb_diffmemo *m, const char *a, size_t alen,
			  const char *b, size_t blen)
{
	if (!m) {
		nb_chardiff(a, alen, b, blen, out);
		return;
	}
	nb_digest k = key_of(a, alen, b, blen);
	size_t *s = m->nslot ? find_slot(m, k) : NULL;
	if (s && *s) {
		entry *e = &m->e[*s - 1];
		const unsigned char *body = (const unsigned char *)(e->fresh ? m->added.ptr : m->file) +
					    e->at;
		if (lay(out, body, body + e->len, a, alen, b, blen) == 0) {
			m->reused++;
			mark_used(m, *s - 1);
			return;
		}
	}
	nb_chardiff(a, alen, b, blen, out);
	m->made++;
	size_t at = m->added.len;
	encode(&m->added, out);
	if (s && *s) {
		/* A record that did not fit: replaced, and the file with it. */
		entry *e = &m->e[*s - 1];
		e->at = at;
		e->len = m->added.len - at;
		e->fresh = 1;
		mark_used(m, *s - 1);
	} else {
		mark_used(m, add_entry(m, k, at, m->added.len - at, 1));
	}
}

void nb_diffmemo_counts(const nb_diffmemo *m, size_t *reused, size_t *made)
{
	*reused = m ? m->reused : 0;
	*made = m ? m->made : 0;
}

int nb_diffmemo_save(nb_diffmemo *m)
{
	/* Nothing made and every record of the file asked for: the file
	 * already holds exactly these. */
	if (!m || (!m->made && m->norder == m->file_records))
		return 0;
	nb_buf b = NB_BUF_INIT;
	nb_buf_put(&b, MAGIC, MAGIC_LEN);
	put_varint(&b, strlen(m->salt));
	nb_buf_puts(&b, m->salt);
	for (size_t i = 0; i < m->norder; i++) {
		const entry *e = &m->e[m->order[i]];
		put_u64(&b, e->key.lo);
		put_u64(&b, e->key.hi);
		put_varint(&b, e->len);
		nb_buf_put(&b, (e->fresh ? m->added.ptr : m->file) + e->at, e->len);
	}
	nb_digest d = file_digest(b.ptr, b.len);
	put_u64(&b, d.lo);
	put_u64(&b, d.hi);
	int rc = nb_fs_replace(m->path, b.ptr, b.len);
	nb_buf_free(&b);
	return rc;
}

void nb_diffmemo_free(nb_diffmemo *m)
{
	if (!m)
		return;
	free(m->path);
	free(m->salt);
	free(m->file);
	free(m->e);
	free(m->slot);
	free(m->order);
	nb_buf_free(&m->added);
	free(m);
}

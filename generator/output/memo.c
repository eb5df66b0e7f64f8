/*
 * memo.c - the page memo; see memo.h for what and why.
 *
 * The record, native byte order (a record from another machine fails its
 * identity check anyway):
 *
 *   "nbmemo3\n", identity (16 bytes), link environment (16), publication
 *   its pages are (8), the id of those pages as publish recorded them
 *   (length u32, then the bytes; empty when no publish served them),
 *   count (8)
 *   per written path, sorted by strcmp:
 *     length (u32), flags (u32: 1 a page, 2 its file carries a tag
 *     nb_pubtag_find finds), the path and a NUL,
 *     for a page: key (16), device, inode, size, mtime s, ns, ctime s, ns (u64 each)
 *   a hash of all the bytes before (16)
 *
 * Every path the build wrote is listed (a few hundred KB at 10,000
 * documents), pages or not, so the next build can tell whether any of
 * them is gone (nb_memo_links_hold). Read whole, checked whole, and the
 * entries point into the buffer; lookups are binary searches.
 */
#include "output/memo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "output/cache.h"
#include "output/pubtag.h"
#include "util/fs.h"

#ifndef NB_VERSION
#define NB_VERSION "dev"
#endif

#define MAGIC "nbmemo4\n"
#define MAX_PUB_ID 64
#define MAX_RECORD ((size_t)1 << 30)

/* Type tags of the context walk. */
enum {
	TAG_NULL = 1, TAG_TRUE, TAG_FALSE, TAG_INT, TAG_REAL, TAG_STR, TAG_OBJ, TAG_ARR, TAG_SUB,
	TAG_OMITTED /* a member of `site` left out of the keys (its publication, its as_of) */
};

struct nb_memo_entry {
	const char *rel;  /* into the record's bytes */
	int page;
	int tagged;       /* its file carries a tag (pubtag.h) */
	nb_digest key;
	nb_fs_stamp st;   /* the file as recorded (fs.h) */
};

typedef struct shared {
	const json_t *v;
	nb_digest d;
} shared;

typedef struct note {
	const char *rel;  /* one of `paths` */
	nb_digest key;
	int tagged;
} note;

struct nb_memo {
	char *site_dir, *out;
	/* The last build's record. */
	char *data;
	nb_memo_entry *rec;
	size_t n_rec;
	nb_digest rec_env;
	uint64_t rec_pub;  /* the publication its pages are */
	char rec_id[MAX_PUB_ID + 1];  /* their id as publish recorded them, or "" */
	int have;
	size_t pub;        /* this build's (nb_memo_publication) */
	int omit_pub;
	int omit_as_of;    /* nb_memo_as_of */
	char prev_id[MAX_PUB_ID + 1]; /* publication pub - 1's pages (nb_memo_previous) */
	char pub_id[MAX_PUB_ID + 1];  /* this build's pages, once recorded (nb_memo_published) */
	shared *sh;
	size_t n_sh, cap_sh;
	/* This build's, for the next one. */
	note *notes;
	size_t n_notes, cap_notes;
	char **paths;
	size_t n_paths;
	nb_digest env;
	int have_paths;
};

/* The program and the output folder: a new binary, another version of a
 * library that shapes the output (cache.h nb_cache_program) or another
 * folder is another memo. The libraries count because a page key holds
 * what some parts are drawn from, not the drawing (a notice's QR code,
 * which another libqrencode may draw with another mask: notice.h), so
 * the key alone would not see an upgraded library. 0, or -1 when the
 * output has no real path yet or the program has no identity. */
static int identity(const char *out, char *real, nb_digest *id)
{
	char program[256];
	nb_cache_program(program, sizeof(program));
	if (!program[0] || !realpath(out, real))
		return -1;
	nb_hash h;
	nb_hash_init(&h, 0x6d656d6fULL);
	nb_hash_str(&h, program, strlen(program));
	nb_hash_str(&h, real, strlen(real));
	*id = nb_hash_final(&h);
	return 0;
}

/* A cursor over the record's bytes; any read past the end fails it. */
typedef struct reader {
	const char *p, *end;
	int bad;
} reader;

static void take(reader *r, void *to, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		memset(to, 0, n);
		return;
	}
	memcpy(to, r->p, n);
	r->p += n;
}

static uint64_t take_u64(reader *r)
{
	uint64_t v;
	take(r, &v, sizeof(v));
	return v;
}

static nb_digest take_digest(reader *r)
{
	nb_digest d;
	d.lo = take_u64(r);
	d.hi = take_u64(r);
	return d;
}

static int parse(nb_memo *m, size_t len, nb_digest id)
{
	if (len < sizeof(MAGIC) - 1 + 16 + 16 + 8 + 8 + 16)
		return -1;
	nb_hash h;
	nb_hash_init(&h, 0);
	nb_hash_bytes(&h, m->data, len - 16);
	reader tail = { m->data + len - 16, m->data + len, 0 };
	if (!nb_digest_eq(nb_hash_final(&h), take_digest(&tail)))
		return -1;
	reader r = { m->data, m->data + len - 16, 0 };
	char magic[sizeof(MAGIC) - 1];
	take(&r, magic, sizeof(magic));
	if (memcmp(magic, MAGIC, sizeof(magic)) || !nb_digest_eq(take_digest(&r), id))
		return -1;
	m->rec_env = take_digest(&r);
	m->rec_pub = take_u64(&r);
	uint32_t il = 0;
	take(&r, &il, sizeof(il));
	if (r.bad || il > MAX_PUB_ID || (size_t)(r.end - r.p) < il)
		return -1;
	memcpy(m->rec_id, r.p, il);
	m->rec_id[il] = '\0';
	r.p += il;
	uint64_t n = take_u64(&r);
	if (r.bad || n > (uint64_t)(r.end - r.p) / 9)
		return -1;
	m->rec = calloc(n ? n : 1, sizeof(*m->rec));
	if (!m->rec)
		abort();
	for (uint64_t i = 0; i < n && !r.bad; i++) {
		nb_memo_entry *e = &m->rec[i];
		uint32_t rl, page;
		take(&r, &rl, sizeof(rl));
		take(&r, &page, sizeof(page));
		if (r.bad || page > 3 || page == 2 || (size_t)(r.end - r.p) <= rl || r.p[rl] != '\0' ||
		    memchr(r.p, '\0', rl))
			return -1;
		e->rel = r.p;
		r.p += rl + 1;
		if (i && strcmp(m->rec[i - 1].rel, e->rel) >= 0)
			return -1;
		e->page = (int)(page & 1);
		e->tagged = (int)(page >> 1);
		if (page) {
			e->key = take_digest(&r);
			e->st.dev = take_u64(&r);
			e->st.ino = take_u64(&r);
			e->st.size = take_u64(&r);
			e->st.mtime_s = (int64_t)take_u64(&r);
			e->st.mtime_ns = (int64_t)take_u64(&r);
			e->st.ctime_s = (int64_t)take_u64(&r);
			e->st.ctime_ns = (int64_t)take_u64(&r);
		}
		m->n_rec = i + 1;
	}
	return r.bad || r.p != r.end ? -1 : 0;
}

nb_memo *nb_memo_open(const char *site_dir, const char *out)
{
	nb_memo *m = calloc(1, sizeof(*m));
	if (!m)
		abort();
	m->site_dir = strdup(site_dir);
	m->out = strdup(out);
	if (!m->site_dir || !m->out)
		abort();
	char real[PATH_MAX];
	nb_digest id;
	if (identity(out, real, &id) != 0)
		return m;
	char *path = nb_cache_file(site_dir, "memo", real);
	size_t len;
	if (nb_fs_read(path, MAX_RECORD, &m->data, &len) == 0 && parse(m, len, id) == 0) {
		m->have = 1;
	} else {
		free(m->rec);
		m->rec = NULL;
		m->n_rec = 0;
	}
	free(path);
	return m;
}

void nb_memo_free(nb_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_paths; i++)
		free(m->paths[i]);
	free(m->notes);
	free(m->paths);
	free(m->sh);
	free(m->rec);
	free(m->data);
	free(m->site_dir);
	free(m->out);
	free(m);
}

/* ---- keys ---------------------------------------------------------------- */

static void feed_value(nb_hash *h, const nb_memo *m, const json_t *v);

static size_t ptr_slot(const void *p, size_t mask)
{
	return (size_t)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15u) >> 32) & mask;
}

/* Registered containers are found by address in an open-addressing
 * table (cap_sh a power of two, at most half full), at any depth: each
 * community's trend table is in every one of its evaluation pages, and
 * walking it there was most of the hashing. */
static int shared_digest(const nb_memo *m, const json_t *v, nb_digest *d)
{
	if (!m->n_sh)
		return 0;
	size_t mask = m->cap_sh - 1;
	for (size_t k = ptr_slot(v, mask); m->sh[k].v; k = (k + 1) & mask)
		if (m->sh[k].v == v) {
			*d = m->sh[k].d;
			return 1;
		}
	return 0;
}

/* A container's members, tagged and counted, into the same stream as
 * its parent (one hash state for the whole context: a digest per node
 * was a third of the cost). Read-only: the iterator calls only read. */
static void feed_members_but(nb_hash *h, const nb_memo *m, const json_t *v,
			     const char *const *but)
{
	json_t *c = (json_t *)v;
	if (json_is_object(v)) {
		nb_hash_u64(h, TAG_OBJ);
		nb_hash_u64(h, json_object_size(v));
		for (void *it = json_object_iter(c); it; it = json_object_iter_next(c, it)) {
			const char *key = json_object_iter_key(it);
			nb_hash_str(h, key, json_object_iter_key_len(it));
			size_t b = 0;
			while (but && but[b] && strcmp(key, but[b]))
				b++;
			if (but && but[b])
				nb_hash_u64(h, TAG_OMITTED);
			else
				feed_value(h, m, json_object_iter_value(it));
		}
	} else {
		size_t n = json_array_size(v);
		nb_hash_u64(h, TAG_ARR);
		nb_hash_u64(h, n);
		for (size_t i = 0; i < n; i++)
			feed_value(h, m, json_array_get(v, i));
	}
}

static void feed_members(nb_hash *h, const nb_memo *m, const json_t *v)
{
	feed_members_but(h, m, v, NULL);
}

static void feed_value(nb_hash *h, const nb_memo *m, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_ARRAY: {
		nb_digest d;
		if (shared_digest(m, v, &d)) {
			nb_hash_u64(h, TAG_SUB);
			nb_hash_digest(h, d);
		} else {
			feed_members(h, m, v);
		}
		break;
	}
	case JSON_STRING:
		nb_hash_u64(h, TAG_STR);
		nb_hash_str(h, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		nb_hash_u64(h, TAG_INT);
		nb_hash_u64(h, (uint64_t)json_integer_value(v));
		break;
	case JSON_REAL: {
		double x = json_real_value(v);
		uint64_t bits;
		memcpy(&bits, &x, sizeof(bits));
		nb_hash_u64(h, TAG_REAL);
		nb_hash_u64(h, bits);
		break;
	}
	case JSON_TRUE: nb_hash_u64(h, TAG_TRUE); break;
	case JSON_FALSE: nb_hash_u64(h, TAG_FALSE); break;
	case JSON_NULL: nb_hash_u64(h, TAG_NULL); break;
	}
}

static void share_but(nb_memo *m, const json_t *v, const char *const *but)
{
	nb_digest d;
	if ((!json_is_object(v) && !json_is_array(v)) || shared_digest(m, v, &d))
		return;
	nb_hash h;
	nb_hash_init(&h, 0);
	feed_members_but(&h, m, v, but);
	d = nb_hash_final(&h);
	if ((m->n_sh + 1) * 2 > m->cap_sh) {
		size_t cap = m->cap_sh ? m->cap_sh * 2 : 64;
		shared *t = calloc(cap, sizeof(*t));
		if (!t)
			abort();
		for (size_t i = 0; i < m->cap_sh; i++) {
			if (!m->sh[i].v)
				continue;
			size_t k = ptr_slot(m->sh[i].v, cap - 1);
			while (t[k].v)
				k = (k + 1) & (cap - 1);
			t[k] = m->sh[i];
		}
		free(m->sh);
		m->sh = t;
		m->cap_sh = cap;
	}
	size_t k = ptr_slot(v, m->cap_sh - 1);
	while (m->sh[k].v)
		k = (k + 1) & (m->cap_sh - 1);
	m->sh[k] = (shared){ v, d };
	m->n_sh++;
}

void nb_memo_share(nb_memo *m, const json_t *v)
{
	share_but(m, v, NULL);
}

static void set_id(char out[MAX_PUB_ID + 1], const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n > MAX_PUB_ID)
		n = 0;  /* no id at all rather than a cut one */
	memcpy(out, id ? id : "", n);
	out[n] = '\0';
}

void nb_memo_previous(nb_memo *m, const char *id)
{
	set_id(m->prev_id, id);
}

void nb_memo_published(nb_memo *m, const char *id)
{
	if (m)
		set_id(m->pub_id, id);
}

void nb_memo_publication(nb_memo *m, size_t publication, int outside_key)
{
	m->pub = publication;
	m->omit_pub = publication && outside_key;
}

void nb_memo_as_of(nb_memo *m, int outside_key)
{
	m->omit_as_of = outside_key != 0;
}

void nb_memo_share_site(nb_memo *m, const json_t *site)
{
	const char *but[3] = { NULL, NULL, NULL };
	size_t n = 0;
	if (m->omit_pub)
		but[n++] = "publication";
	if (m->omit_as_of)
		but[n++] = "as_of";
	share_but(m, site, but);
}

nb_digest nb_memo_key(const nb_memo *m, nb_digest templates, const char *layout,
		      const json_t *ctx, const nb_digest *body)
{
	nb_hash h;
	nb_hash_init(&h, 0x70616765ULL);
	nb_hash_u64(&h, (uint64_t)m->omit_pub);
	nb_hash_u64(&h, (uint64_t)m->omit_as_of);
	nb_hash_digest(&h, templates);
	nb_hash_str(&h, layout ? layout : "", layout ? strlen(layout) : 0);
	feed_value(&h, m, ctx);
	nb_hash_u64(&h, body != NULL);
	if (body)
		nb_hash_digest(&h, *body);
	return nb_hash_final(&h);
}

/* ---- reuse ----------------------------------------------------------------- */

static int cmp_entry_rel(const void *key, const void *e)
{
	return strcmp(key, ((const nb_memo_entry *)e)->rel);
}

const nb_memo_entry *nb_memo_find(const nb_memo *m, const char *rel)
{
	if (!m->have || !m->n_rec)
		return NULL;
	const nb_memo_entry *e = bsearch(rel, m->rec, m->n_rec, sizeof(*m->rec), cmp_entry_rel);
	return e && e->page ? e : NULL;
}

/* Whether the open file `fd` is still the one `want` stamps. */
static int fd_is(int fd, const nb_fs_stamp *want)
{
	struct stat st;
	nb_fs_stamp now;
	if (fstat(fd, &st) != 0)
		return 0;
	nb_fs_stamp_of(&now, &st);
	return nb_fs_stamp_same(&now, want);
}

/* The live file `e` as recorded (its stamp before and after the read, so
 * no change slipped in between), or -1. */
static int read_recorded(const nb_memo *m, const nb_memo_entry *e, char **data)
{
	char *path = nb_path_join(m->out, e->rel);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return -1;
	size_t len = (size_t)e->st.size, got = 0;
	char *buf = malloc(len + 1);
	if (!buf)
		abort();
	int ok = fd_is(fd, &e->st);
	while (ok && got < len) {
		ssize_t r = read(fd, buf + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		ok = r > 0;
		got += ok ? (size_t)r : 0;
	}
	ok = ok && fd_is(fd, &e->st);
	close(fd);
	if (!ok) {
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*data = buf;
	return 0;
}

/* The recorded page with its publication tag naming this build's number
 * (memo.h), when its tag (pubtag.h) names exactly the recorded
 * publication. 0 and the page put at `dir`, or -1: render it. */
static int put_renumbered(const nb_memo *m, const nb_memo_entry *e, const char *dir,
			  int in_place, size_t *size)
{
	char *data;
	if (read_recorded(m, e, &data) != 0)
		return -1;
	size_t len = (size_t)e->st.size, at, digits;
	uint64_t was;
	int rc = -1;
	if (nb_pubtag_find(data, len, &at, &digits, &was) == 0 && was == m->rec_pub) {
		char now[32];
		int nl = snprintf(now, sizeof(now), "%zu", m->pub);
		nb_buf b = NB_BUF_INIT;
		nb_buf_put(&b, data, at);
		nb_buf_put(&b, now, (size_t)nl);
		nb_buf_put(&b, data + at + digits, len - at - digits);
		int same;
		if (nb_cache_put(NULL, dir, in_place, e->rel, b.ptr, b.len, &same) == 0) {
			*size = b.len;
			rc = 0;
		}
		nb_buf_free(&b);
	}
	free(data);
	return rc;
}

/* Whether the recorded pages are the previous publication's as recorded
 * (nb_memo_previous): then a page whose key matches is, by the rule of
 * pubtag.h, its recorded file exactly, tag and all. */
static int record_is_previous(const nb_memo *m)
{
	return m->omit_pub && m->prev_id[0] && m->rec_pub + 1 == m->pub &&
	       !strcmp(m->rec_id, m->prev_id);
}

/* The recorded file `e`, still untouched, put at `dir` as it is: 1 and
 * its size, or 0. */
static int put_recorded(const nb_memo *m, const nb_memo_entry *e, const char *dir,
			int in_place, size_t *size)
{
	if (nb_cache_put_live(m->out, dir, in_place, e->rel, &e->st) != 0)
		return 0;
	*size = (size_t)e->st.size;
	return 1;
}

int nb_memo_reuse(const nb_memo *m, const nb_memo_entry *e, nb_digest key, const char *dir,
		  int in_place, size_t *size)
{
	if (!e || !nb_digest_eq(e->key, key))
		return 0;
	if (m->rec_pub != m->pub && record_is_previous(m)) {
		/* Kept only when the rule can see its tag (pubtag.h): a page
		 * without one is rendered and named this publication, as a
		 * build from the record makes it. Whether it can was noted
		 * when the file was put, and the file is put only when it is
		 * still that file (its stamp, nb_cache_put_live). */
		if (!e->tagged)
			return 0;
	} else if (m->rec_pub != m->pub) {
		/* Another publication's pages: with the previous one known,
		 * the render is compared with it (render.c), so render. */
		if (m->prev_id[0])
			return 0;
		return m->omit_pub && m->rec_pub && put_renumbered(m, e, dir, in_place, size) == 0 ? 2 : 0;
	}
	return put_recorded(m, e, dir, in_place, size);
}

int nb_memo_reuse_file(const nb_memo *m, const nb_memo_entry *e, nb_digest key,
		       const char *dir, int in_place, size_t *size)
{
	return e && nb_digest_eq(e->key, key) ? put_recorded(m, e, dir, in_place, size) : 0;
}

nb_digest nb_memo_value(const nb_memo *m, const json_t *v)
{
	nb_hash h;
	nb_hash_init(&h, 0x76616c75ULL);
	feed_value(&h, m, v);
	return nb_hash_final(&h);
}

long nb_memo_reuse_group(const nb_memo *m, nb_digest key, const char *dir, int in_place,
			 void (*fn)(void *ud, const char *rel, size_t size), void *ud)
{
	if (!m->have)
		return -1;
	/* All or nothing: check every file first, so that a group is never
	 * half linked and half written. */
	long n = 0;
	for (size_t i = 0; i < m->n_rec; i++) {
		const nb_memo_entry *e = &m->rec[i];
		if (!e->page || !nb_digest_eq(e->key, key))
			continue;
		if (!nb_cache_live_is(m->out, e->rel, &e->st))
			return -1;
		n++;
	}
	if (!n)
		return -1;
	for (size_t i = 0; i < m->n_rec; i++) {
		const nb_memo_entry *e = &m->rec[i];
		if (!e->page || !nb_digest_eq(e->key, key))
			continue;
		if (nb_cache_put_live(m->out, dir, in_place, e->rel, &e->st) != 0) {
			/* Touched in between: take back what was put. */
			for (size_t j = 0; j < i; j++) {
				const nb_memo_entry *b = &m->rec[j];
				if (b->page && nb_digest_eq(b->key, key)) {
					char *path = nb_path_join(dir, b->rel);
					unlink(path);
					free(path);
				}
			}
			return -1;
		}
	}
	for (size_t i = 0; i < m->n_rec; i++) {
		const nb_memo_entry *e = &m->rec[i];
		if (e->page && nb_digest_eq(e->key, key))
			fn(ud, e->rel, (size_t)e->st.size);
	}
	return n;
}

/* ---- the next record ------------------------------------------------------- */

int nb_memo_entry_tagged(const nb_memo_entry *e)
{
	return e && e->tagged;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void nb_memo_note(nb_memo *m, const char *rel, nb_digest key, int tagged)
{
	if (m->n_notes == m->cap_notes) {
		m->cap_notes = m->cap_notes ? m->cap_notes * 2 : 256;
		m->notes = realloc(m->notes, m->cap_notes * sizeof(*m->notes));
		if (!m->notes)
			abort();
	}
	char **at = m->have_paths && m->n_paths
			    ? bsearch(&rel, m->paths, m->n_paths, sizeof(*m->paths), cmp_str)
			    : NULL;
	if (at)
		m->notes[m->n_notes++] = (note){ *at, key, tagged != 0 };
}

int nb_memo_links_hold(nb_memo *m, const json_t *written, nb_digest env)
{
	int hold = m->have && nb_digest_eq(env, m->rec_env);
	for (size_t i = 0; hold && i < m->n_rec; i++)
		hold = json_object_get(written, m->rec[i].rel) != NULL;
	/* Notes name paths of the set they were made after. */
	m->n_notes = 0;
	for (size_t i = 0; i < m->n_paths; i++)
		free(m->paths[i]);
	free(m->paths);
	m->n_paths = json_object_size(written);
	m->paths = calloc(m->n_paths ? m->n_paths : 1, sizeof(*m->paths));
	if (!m->paths)
		abort();
	size_t n = 0;
	const char *rel;
	json_t *v;
	json_object_foreach((json_t *)written, rel, v) {
		m->paths[n] = strdup(rel);
		if (!m->paths[n++])
			abort();
	}
	if (n)
		qsort(m->paths, n, sizeof(*m->paths), cmp_str);
	m->env = env;
	m->have_paths = 1;
	return hold;
}

static int cmp_note(const void *a, const void *b)
{
	return strcmp(((const note *)a)->rel, ((const note *)b)->rel);
}

static long long nanos(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long ctime_nanos(const nb_fs_stamp *st)
{
	return (long long)st->ctime_s * 1000000000LL + st->ctime_ns;
}

/* Whether a file's stamp, taken after `t0`, tells every later change: its
 * change time lies a clock tick or more before t0, so a change after t0
 * gets another (the tick is at most 10 ms; a file system that keeps whole
 * seconds, or two, shows no nanoseconds). */
static int settled(const nb_fs_stamp *st, const struct timespec *t0)
{
	if (st->ctime_ns == 0)
		return st->ctime_s + 3 <= t0->tv_sec;
	return ctime_nanos(st) + 20000000LL <= nanos(t0);
}

/* The stamp of the output's file `rel`: 1, or 0 when it is not a regular
 * file. */
static int stamp_one(const nb_memo *m, const char *rel, nb_fs_stamp *st)
{
	char *p = nb_path_join(m->out, rel);
	struct stat sb;
	int ok = lstat(p, &sb) == 0 && S_ISREG(sb.st_mode);
	free(p);
	if (ok)
		nb_fs_stamp_of(st, &sb);
	return ok;
}

/* The stamps of the noted pages (the index of each path's note, or -1),
 * and in `kept` which of them the record keeps. A page whose change time
 * is too recent to be trusted is stamped again after a short wait; one
 * still unsettled is left out. */
static void stamp(const nb_memo *m, const long *note_of, nb_fs_stamp *st, unsigned char *kept)
{
	struct timespec t0;
	clock_gettime(CLOCK_REALTIME, &t0);
	long long latest = -1;
	for (size_t i = 0; i < m->n_paths; i++) {
		kept[i] = note_of[i] >= 0 && stamp_one(m, m->paths[i], &st[i]);
		if (kept[i] && !settled(&st[i], &t0) && st[i].ctime_ns != 0 &&
		    ctime_nanos(&st[i]) > latest)
			latest = ctime_nanos(&st[i]);
	}
	long long wait = latest < 0 ? 0 : latest + 20000000LL - nanos(&t0);
	if (latest >= 0 && wait > 0 && wait <= 50000000LL) {
		struct timespec w = { 0, (long)wait + 1000000L };
		while (nanosleep(&w, &w) != 0 && errno == EINTR)
			;
		clock_gettime(CLOCK_REALTIME, &t0);
		for (size_t i = 0; i < m->n_paths; i++)
			if (kept[i] && !settled(&st[i], &t0))
				kept[i] = stamp_one(m, m->paths[i], &st[i]);
	}
	for (size_t i = 0; i < m->n_paths; i++)
		if (kept[i] && !settled(&st[i], &t0))
			kept[i] = 0;
}

static void put_u64(nb_buf *b, uint64_t v)
{
	nb_buf_put(b, &v, sizeof(v));
}

static void put_digest(nb_buf *b, nb_digest d)
{
	put_u64(b, d.lo);
	put_u64(b, d.hi);
}

void nb_memo_save(nb_memo *m)
{
	char real[PATH_MAX];
	nb_digest id;
	if (!m || !m->have_paths || identity(m->out, real, &id) != 0)
		return;
	if (m->n_notes)
		qsort(m->notes, m->n_notes, sizeof(*m->notes), cmp_note);
	long *note_of = malloc((m->n_paths ? m->n_paths : 1) * sizeof(*note_of));
	nb_fs_stamp *st = malloc((m->n_paths ? m->n_paths : 1) * sizeof(*st));
	unsigned char *kept = calloc(m->n_paths ? m->n_paths : 1, 1);
	if (!note_of || !st || !kept)
		abort();
	for (size_t i = 0, k = 0; i < m->n_paths; i++) {
		while (k < m->n_notes && strcmp(m->notes[k].rel, m->paths[i]) < 0)
			k++;
		note_of[i] = k < m->n_notes && !strcmp(m->notes[k].rel, m->paths[i]) ? (long)k : -1;
	}
	stamp(m, note_of, st, kept);
	/* Files noted under one key are all recorded or none: the feeds and
	 * the search index are reused as a group (nb_memo_reuse_group), which
	 * must never find part of one. Pages sharing a key only lose a skip. */
	nb_digest *drop = NULL;
	size_t n_drop = 0;
	for (size_t i = 0; i < m->n_paths; i++) {
		if (note_of[i] < 0 || kept[i])
			continue;
		drop = realloc(drop, (n_drop + 1) * sizeof(*drop));
		if (!drop)
			abort();
		drop[n_drop++] = m->notes[note_of[i]].key;
	}
	for (size_t i = 0; n_drop && i < m->n_paths; i++) {
		if (note_of[i] < 0 || !kept[i])
			continue;
		for (size_t k = 0; k < n_drop; k++)
			if (nb_digest_eq(drop[k], m->notes[note_of[i]].key)) {
				kept[i] = 0;
				break;
			}
	}
	free(drop);
	nb_buf b = NB_BUF_INIT;
	nb_buf_put(&b, MAGIC, sizeof(MAGIC) - 1);
	put_digest(&b, id);
	put_digest(&b, m->env);
	put_u64(&b, (uint64_t)m->pub);
	uint32_t il = (uint32_t)strlen(m->pub_id);
	nb_buf_put(&b, &il, sizeof(il));
	nb_buf_put(&b, m->pub_id, il);
	put_u64(&b, m->n_paths);
	for (size_t i = 0; i < m->n_paths; i++) {
		uint32_t rl = (uint32_t)strlen(m->paths[i]), page = kept[i];
		if (page && m->notes[note_of[i]].tagged)
			page |= 2;
		nb_buf_put(&b, &rl, sizeof(rl));
		nb_buf_put(&b, &page, sizeof(page));
		nb_buf_put(&b, m->paths[i], rl + 1);
		if (!page)
			continue;
		put_digest(&b, m->notes[note_of[i]].key);
		put_u64(&b, st[i].dev);
		put_u64(&b, st[i].ino);
		put_u64(&b, st[i].size);
		put_u64(&b, (uint64_t)st[i].mtime_s);
		put_u64(&b, (uint64_t)st[i].mtime_ns);
		put_u64(&b, (uint64_t)st[i].ctime_s);
		put_u64(&b, (uint64_t)st[i].ctime_ns);
	}
	nb_hash h;
	nb_hash_init(&h, 0);
	nb_hash_bytes(&h, b.ptr, b.len);
	put_digest(&b, nb_hash_final(&h));
	char *path = nb_cache_file(m->site_dir, "memo", real);
	nb_cache_store(m->site_dir, path, b.ptr, b.len);
	free(path);
	nb_buf_free(&b);
	free(st);
	free(kept);
	free(note_of);
}

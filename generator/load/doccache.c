/*
 * doccache.c - the load stage's memo; see doccache.h for what and why.
 *
 * Two files. `docs` holds the records and is only ever appended to: a
 * header ("noticeboard-docs 5\n", the salt as a length-prefixed field, a
 * 16-byte generation drawn at random when the file is made), then one
 * record per recorded document, each a head followed by the document's
 * HTML and text. The head holds the path, id, kind, a flags byte (draft,
 * rendered, position table, links, body kept), the body's digest (doc.h
 * body_key: what a page's key takes of its body, so a rebuild reads no
 * body it does not render), the front matter in the
 * binary form of util/jsonbin.h, the position table, the headings as
 * JSON text (the bytes nb_doc_toc_text gives), the links (markdown.h
 * nb_markdown_render_links, judged again by every build) and, for the
 * kinds whose body a later stage reads (content.h keep_body: charters,
 * whose articles linking splits), the body and its first line. `docs.idx`
 * is small and rewritten whole (temporary file, rename) by each build that
 * changes anything: the same magic, salt and generation, the length of
 * `docs` it vouches for, and per live record its path, the file's stat,
 * where the record starts, the sizes of its head, HTML and text and a
 * 64-bit hash of its head; then a hash of the index itself.
 *
 * So opening reads only the index (1.3 MB at 10,000 documents, where the
 * single file it replaces, 54 MB, was read whole), and restoring a document
 * reads only its head, with one pread, and keeps its front matter's
 * bytes as they are (the form the build holds it in, load/meta.h),
 * checked but not decoded. A build that changed one document appends one
 * record and rewrites the index; the old record stays in `docs` as dead
 * bytes until they are more than half of the file, when the build writes
 * a new `docs` with the live records only (compaction: a temporary file,
 * renamed) and a new generation.
 *
 * Why a crash leaves no wrong document. Records are reachable only
 * through the index, and the index is replaced by rename, so a reader
 * sees the old index or the new one whole; a torn index (power lost
 * before its bytes reached the disk) fails its hash: the whole memo is a
 * miss. An append is written past the length the current index vouches
 * for and made durable (fdatasync) before the new index is even written:
 * a build killed mid-append leaves a tail no index names, which the next
 * append cuts off (it writes at the vouched length). A record's head is
 * checked against the hash in the index, so a head that is not what was
 * written is a miss for that document. A compaction renames the new
 * `docs` first and the index after it: in between, the old index names
 * another generation than the file's header, and a mismatch is a miss for
 * the whole memo; a `docs` shorter than the index says is one too. The
 * HTML and text are not checked when restored (they are most of the
 * bytes, and read lazily); they were durable before any index named them.
 * A page made from a body checks it then against the digest the head
 * holds (content.h nb_doc_page_body): a damaged body fails the build,
 * never reaching a page under a key that says otherwise.
 *
 * A fresh record, its head, HTML and text, waits for saving in the load's
 * scratch file (nb_doccache_spill), not in memory: a first build of
 * 10,000 documents would otherwise hold 61 MB of them through the load. That
 * changes where saving copies them from, not the order above: the
 * scratch file is anonymous (O_TMPFILE, or unlinked as soon as made), no
 * index names it, and its bytes reach `docs` by the same append or
 * compaction, synced before the index. A build killed while loading
 * leaves no scratch file, and one whose scratch read fails writes no
 * index, so the memo stays as it was.
 *
 * Writers take the lock of `docs.tmp` (the compaction's temporary file,
 * which every writer opens, so one left by a killed writer is reused,
 * never piled up) and, holding it, check that the index on disk is still
 * the one this build opened; if another build wrote meanwhile, this one
 * leaves the memo to it. Readers take no lock: a running build reads its
 * blobs by offset below the length its index vouched for, which no later
 * append touches, and a compaction makes a new file rather than changing
 * the one an earlier build holds open.
 */
#include "load/doccache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "util/fs.h"
#include "util/hash.h"
#include "util/jsonbin.h"
#include "load/meta.h"

#define MAGIC "noticeboard-docs 5\n"
#define IDX_MAGIC "noticeboard-docs-index 5\n"
#define GEN_LEN 16
#define STAT_LEN 64
#define REC_PREFIX (STAT_LEN + 8)  /* a fresh record: stat, then its headings' place */
#define RACY_SECONDS 2

enum { F_DRAFT = 1, F_RENDERED = 2, F_POS = 4, F_LINKS = 8, F_BODY = 16 };

/* One live record, as the index names it. */
typedef struct entry {
	const char *path;   /* into the index's bytes, not NUL-terminated */
	size_t path_len;
	const unsigned char *st;  /* its STAT_LEN bytes of stat numbers */
	uint64_t off;       /* where the record starts in `docs` */
	uint64_t head, html, text;  /* the sizes of its parts */
	uint64_t sum;       /* hash of the head */
} entry;

struct nb_doccache {
	char *path;         /* `docs` */
	char *idx_path;     /* `docs.idx` */
	char *salt;
	int have;           /* the memo opened usable */
	char *idx;          /* the index's bytes */
	size_t idx_len;
	unsigned char gen[GEN_LEN];
	uint64_t length;    /* of `docs`, as the index vouches */
	entry *ents;
	size_t count;
	size_t *table;      /* open addressing: entry index + 1, 0 empty */
	size_t mask;
	int fd;             /* `docs` as opened, or -1 */
	int out_fd;         /* a new `docs` this build wrote, or -1 */
	int taken;          /* the content owns the files now */
};

/* ---- bytes ---------------------------------------------------------------- */

typedef struct reader {
	const unsigned char *p, *end;
	int bad;
} reader;

static uint64_t get_u(reader *r, size_t n)
{
	uint64_t v = 0;
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)r->p[i] << (8 * i);
	r->p += n;
	return v;
}

static const char *get_field(reader *r, size_t *len)
{
	*len = (size_t)get_u(r, 4);
	if (r->bad || (size_t)(r->end - r->p) < *len) {
		r->bad = 1;
		*len = 0;
		return "";
	}
	const char *s = (const char *)r->p;
	r->p += *len;
	return s;
}

#define put_u nb_jsonbin_put_u
#define put_field nb_jsonbin_put_bytes

static void put_str(nb_buf *b, const char *s)
{
	put_field(b, s ? s : "", s ? strlen(s) : 0);
}

static uint64_t sum_of(const void *p, size_t n)
{
	nb_hash h;
	nb_hash_init(&h, 0x6e62646f63733333ULL);
	nb_hash_str(&h, p, n);
	return nb_hash_final(&h).lo;
}

static uint64_t path_hash(const char *p, size_t n)
{
	nb_hash h;
	nb_hash_init(&h, 0);
	nb_hash_str(&h, p, n);
	return nb_hash_final(&h).lo;
}

/* ---- opening --------------------------------------------------------------- */

static char *memo_path(const char *site_dir, const char *name)
{
	char *dir = nb_path_join(site_dir, ".noticeboard-cache");
	char *p = nb_path_join(dir, name);
	free(dir);
	return p;
}

static const entry *find(const nb_doccache *c, const char *path)
{
	if (!c->have || !c->count)
		return NULL;
	size_t n = strlen(path);
	for (size_t i = (size_t)path_hash(path, n) & c->mask;; i = (i + 1) & c->mask) {
		size_t k = c->table[i];
		if (!k)
			return NULL;
		const entry *e = &c->ents[k - 1];
		if (e->path_len == n && !memcmp(e->path, path, n))
			return e;
	}
}

/* The header `docs` starts with, for this salt and generation. */
static void data_header(nb_buf *b, const char *salt, const unsigned char *gen)
{
	nb_buf_puts(b, MAGIC);
	put_str(b, salt);
	nb_buf_put(b, gen, GEN_LEN);
}

/* Parse the index in c->idx; 0 when it is whole and for this salt. */
static int parse_index(nb_doccache *c)
{
	size_t ml = strlen(IDX_MAGIC), sl;
	if (c->idx_len < ml + 8 || memcmp(c->idx, IDX_MAGIC, ml) != 0)
		return -1;
	reader sum = { (const unsigned char *)c->idx + c->idx_len - 8,
		       (const unsigned char *)c->idx + c->idx_len, 0 };
	if (get_u(&sum, 8) != sum_of(c->idx, c->idx_len - 8))
		return -1;
	reader r = { (const unsigned char *)c->idx + ml,
		     (const unsigned char *)c->idx + c->idx_len - 8, 0 };
	const char *s = get_field(&r, &sl);
	if (r.bad || sl != strlen(c->salt) || memcmp(s, c->salt, sl) != 0 ||
	    (size_t)(r.end - r.p) < GEN_LEN)
		return -1;
	memcpy(c->gen, r.p, GEN_LEN);
	r.p += GEN_LEN;
	c->length = get_u(&r, 8);
	uint64_t n = get_u(&r, 4);
	if (r.bad || n > (uint64_t)(r.end - r.p))
		return -1;
	c->ents = calloc(n + 1, sizeof(entry));
	size_t size = 2;
	while (size < 2 * n)
		size *= 2;
	c->table = calloc(size, sizeof(size_t));
	if (!c->ents || !c->table)
		abort();
	c->mask = size - 1;
	for (c->count = 0; c->count < n; c->count++) {
		entry *e = &c->ents[c->count];
		e->path = get_field(&r, &e->path_len);
		e->st = r.p;
		r.p += (size_t)(r.end - r.p) < STAT_LEN ? (r.bad = 1, 0) : STAT_LEN;
		e->off = get_u(&r, 8);
		e->head = get_u(&r, 4);
		e->html = get_u(&r, 4);
		e->text = get_u(&r, 4);
		e->sum = get_u(&r, 8);
		if (r.bad || e->off > c->length || e->head + e->html + e->text > c->length - e->off)
			return -1;
		size_t i = (size_t)path_hash(e->path, e->path_len) & c->mask;
		while (c->table[i])
			i = (i + 1) & c->mask;
		c->table[i] = c->count + 1;
	}
	return r.p == r.end ? 0 : -1;
}

static void forget(nb_doccache *c)
{
	free(c->ents);
	free(c->table);
	c->ents = NULL;
	c->table = NULL;
	c->count = 0;
	c->have = 0;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

nb_doccache *nb_doccache_open(const char *site_dir, const char *name, const char *salt)
{
	nb_doccache *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->path = memo_path(site_dir, name);
	nb_buf ip = NB_BUF_INIT;
	nb_buf_printf(&ip, "%s.idx", c->path);
	c->idx_path = nb_buf_detach(&ip);
	c->salt = strdup(salt);
	if (!c->salt)
		abort();
	c->fd = -1;
	c->out_fd = -1;
	if (nb_fs_read(c->idx_path, 0, &c->idx, &c->idx_len) != 0) {
		c->idx = NULL;
		c->idx_len = 0;
		return c;
	}
	if (parse_index(c) != 0) {
		forget(c);
		return c;
	}
	/* Kept open: the HTML, text and headings are read back from it
	 * later by offset (content.h nb_blob). */
	c->fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	nb_buf want = NB_BUF_INIT;
	data_header(&want, c->salt, c->gen);
	char *head = malloc(want.len);
	struct stat st;
	if (!head)
		abort();
	c->have = c->fd >= 0 && fstat(c->fd, &st) == 0 && (uint64_t)st.st_size >= c->length &&
		  c->length >= want.len && nb_fs_pread_all(c->fd, head, want.len, 0) == 0 &&
		  !memcmp(head, want.ptr, want.len);
	free(head);
	nb_buf_free(&want);
	if (!c->have)
		forget(c);
	return c;
}

/* ---- restoring -------------------------------------------------------------- */

static void stat_numbers(const struct stat *st, unsigned char out[STAT_LEN])
{
	uint64_t v[8] = {
		(uint64_t)st->st_size, (uint64_t)st->st_ino, (uint64_t)st->st_dev,
		(uint64_t)st->st_mode, (uint64_t)st->st_mtim.tv_sec,
		(uint64_t)st->st_mtim.tv_nsec, (uint64_t)st->st_ctim.tv_sec,
		(uint64_t)st->st_ctim.tv_nsec,
	};
	for (int i = 0; i < 8; i++)
		for (int k = 0; k < 8; k++)
			out[8 * i + k] = (unsigned char)(v[i] >> (8 * k));
}

static char *dup_field(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* A head decoded; the pointers point into the head's bytes. */
typedef struct head {
	const char *path, *id, *kind, *pos, *toc, *body;
	size_t path_len, id_len, kind_len, pos_len, toc_len, body_len;
	unsigned flags;
	int body_line;
	nb_digest body_key;
	const unsigned char *meta;  /* the front matter's packed bytes, kept as
				     * they are (load/meta.h), checked here */
	size_t meta_len;
	json_t *links;
	size_t toc_at;      /* where the headings' text starts in the head */
} head;

static int head_decode(head *h, const unsigned char *p, size_t n)
{
	memset(h, 0, sizeof(*h));
	reader r = { p, p + n, 0 };
	h->path = get_field(&r, &h->path_len);
	h->id = get_field(&r, &h->id_len);
	h->kind = get_field(&r, &h->kind_len);
	h->flags = (unsigned)get_u(&r, 1);
	h->body_key.lo = get_u(&r, 8);
	h->body_key.hi = get_u(&r, 8);
	h->meta = r.p;
	if (!r.bad && (r.p >= r.end || *r.p != 'o' || nb_jsonbin_skip(&r.p, r.end) != 0))
		r.bad = 1;
	h->meta_len = (size_t)(r.p - h->meta);
	h->pos = get_field(&r, &h->pos_len);
	h->toc = get_field(&r, &h->toc_len);
	h->toc_at = (size_t)((const unsigned char *)h->toc - p);
	if (h->flags & F_LINKS)
		h->links = r.bad ? NULL : nb_jsonbin_get(&r.p, r.end);
	if (h->flags & F_BODY) {
		h->body = get_field(&r, &h->body_len);
		h->body_line = (int)get_u(&r, 4);
	}
	if (r.bad || r.p != r.end || ((h->flags & F_LINKS) && !json_is_array(h->links))) {
		json_decref(h->links);
		return -1;
	}
	return 0;
}

int nb_doccache_restore(const nb_doccache *c, const struct stat *st, nb_doc *doc, int need_body)
{
	const entry *e = find(c, doc->path);
	unsigned char want[STAT_LEN];
	stat_numbers(st, want);
	if (!e || memcmp(e->st, want, STAT_LEN) != 0)
		return 0;
	unsigned char stack[4096];
	unsigned char *p = e->head <= sizeof(stack) ? stack : malloc(e->head);
	head h;
	int ok = p && nb_fs_pread_all(c->fd, p, e->head, (off_t)e->off) == 0 &&
		 sum_of(p, e->head) == e->sum && head_decode(&h, p, e->head) == 0;
	if (ok && (h.path_len != strlen(doc->path) || memcmp(h.path, doc->path, h.path_len) ||
		   (need_body && !(h.flags & F_BODY)))) {
		json_decref(h.links);
		ok = 0;
	}
	if (!ok) {
		if (p != stack)
			free(p);
		return 0;
	}
	free(doc->id);
	free(doc->kind);
	doc->id = dup_field(h.id, h.id_len);
	doc->kind = dup_field(h.kind, h.kind_len);
	/* Checked whole by head_decode: adopting cannot fail. */
	nb_doc_meta_adopt(doc, h.meta, h.meta_len);
	json_decref(doc->links);
	doc->links = h.links;
	json_decref(doc->pos);
	doc->pos = h.flags & F_POS ? json_stringn_nocheck(h.pos, h.pos_len) : json_object();
	if (h.flags & F_BODY) {
		free(doc->src);
		doc->src = dup_field(h.body, h.body_len);
		doc->src_len = h.body_len;
		doc->body = doc->src;
		doc->body_len = h.body_len;
		doc->body_line = h.body_line;
	}
	if (h.flags & F_RENDERED) {
		/* Not copied: read back from the file when a page needs them. */
		off_t at = (off_t)(e->off + e->head);
		doc->html_at = (nb_blob){ 1, c->fd, (size_t)e->html, at };
		doc->text_at = (nb_blob){ 1, c->fd, (size_t)e->text, at + (off_t)e->html };
		doc->toc_at = (nb_blob){ 1, c->fd, h.toc_len, (off_t)(e->off + h.toc_at) };
		doc->rendered = 1;
	}
	doc->draft = (h.flags & F_DRAFT) != 0;
	doc->body_key = h.body_key;
	doc->ok = 1;
	if (p != stack)
		free(p);
	return 1;
}

/* ---- encoding ---------------------------------------------------------------- */

/* A record as encode keeps it: the stat numbers, where the headings are
 * in the head (u32 offset and length, so that saving need not decode
 * it), then the head. */
int nb_doccache_encode(const nb_doc *doc, const struct stat *st, long long now, nb_buf *rec)
{
	long long window = (long long)RACY_SECONDS * 1000000000LL;
	long long mtime = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	long long ctime = (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
	if (!doc->ok || mtime > now - window || ctime > now - window)
		return -1;
	const char *toc = doc->toc;
	unsigned char sn[STAT_LEN];
	stat_numbers(st, sn);
	nb_buf_put(rec, sn, STAT_LEN);
	size_t place = rec->len;
	put_u(rec, 0, 8);
	size_t start = rec->len;
	int pos = json_is_string(doc->pos);
	put_str(rec, doc->path);
	put_str(rec, doc->id);
	put_str(rec, doc->kind);
	put_u(rec, (doc->draft ? F_DRAFT : 0) | (doc->rendered ? F_RENDERED : 0) |
		   (pos ? F_POS : 0) | (doc->links ? F_LINKS : 0) | (doc->src ? F_BODY : 0), 1);
	put_u(rec, doc->body_key.lo, 8);
	put_u(rec, doc->body_key.hi, 8);
	size_t meta_len;
	const unsigned char *meta = nb_doc_meta_bytes(doc, &meta_len);
	nb_buf_put(rec, meta, meta_len);
	put_field(rec, pos ? json_string_value(doc->pos) : "", pos ? json_string_length(doc->pos) : 0);
	size_t toc_at = rec->len + 4 - start, toc_len = toc ? strlen(toc) : 0;
	for (size_t i = 0; i < 4; i++) {
		rec->ptr[place + i] = (char)(unsigned char)(toc_at >> (8 * i));
		rec->ptr[place + 4 + i] = (char)(unsigned char)(toc_len >> (8 * i));
	}
	put_str(rec, toc);
	if (doc->links)
		nb_jsonbin_put(rec, doc->links);
	if (doc->src) {
		put_field(rec, doc->body ? doc->body : "", doc->body ? doc->body_len : 0);
		put_u(rec, (uint64_t)doc->body_line, 4);
	}
	return 0;
}

/* ---- the scratch file -------------------------------------------------------- */

void nb_doccache_scratch_open(nb_doccache_scratch *s, const nb_doccache *c)
{
	s->fd = -1;
	atomic_init(&s->end, 0);
	char *dir = strdup(c->path);
	if (!dir)
		abort();
	*strrchr(dir, '/') = '\0';
	s->fd = nb_fs_scratch(dir);
	free(dir);
}

void nb_doccache_spill(nb_doccache_scratch *s, nb_doc *doc, nb_buf *rec)
{
	if (s->fd < 0 || !doc->rendered || !doc->html || !doc->text)
		return;
	/* The record as `docs` will hold it: head, HTML, text, so that
	 * saving copies it with one read. */
	size_t hd = rec->len > REC_PREFIX ? rec->len - REC_PREFIX : 0;
	size_t hl = strlen(doc->html), tl = strlen(doc->text);
	/* The headings too, after the text: a document not recorded (a
	 * racy file: every one of a fresh copy) held them to the end of the
	 * build, 12 MB as JSON at 10,000 documents. A recorded one's are in its head as well; saving
	 * points toc_at there and these bytes are left behind. */
	const char *toc = doc->toc;
	size_t cl = toc ? strlen(toc) : 0;
	off_t at = (off_t)atomic_fetch_add(&s->end, (unsigned long long)(hd + hl + tl + cl));
	/* A failed write wastes its reserved bytes, nothing else. */
	if ((hd && nb_fs_pwrite_all(s->fd, rec->ptr + REC_PREFIX, hd, at) != 0) ||
	    nb_fs_pwrite_all(s->fd, doc->html, hl, at + (off_t)hd) != 0 ||
	    nb_fs_pwrite_all(s->fd, doc->text, tl, at + (off_t)(hd + hl)) != 0 ||
	    (toc && nb_fs_pwrite_all(s->fd, toc, cl, at + (off_t)(hd + hl + tl)) != 0))
		return;
	doc->html_at = (nb_blob){ 1, s->fd, hl, at + (off_t)hd };
	doc->text_at = (nb_blob){ 1, s->fd, tl, at + (off_t)(hd + hl) };
	free(doc->html);
	free(doc->text);
	doc->html = NULL;
	doc->text = NULL;
	if (toc) {
		doc->toc_at = (nb_blob){ 1, s->fd, cl, at + (off_t)(hd + hl + tl) };
		free(doc->toc);
		doc->toc = NULL;
	}
	if (!hd)
		return;
	/* What stays of the record: its prefix, the head's size and hash
	 * (fresh_parts reads them; html_at says the head is spilled). */
	nb_buf small = NB_BUF_INIT;
	nb_buf_put(&small, rec->ptr, REC_PREFIX);
	put_u(&small, hd, 8);
	put_u(&small, sum_of(rec->ptr + REC_PREFIX, hd), 8);
	nb_buf_free(rec);
	*rec = small;
}

/* ---- saving ------------------------------------------------------------------- */

/* Where a record of this build goes, and what the index says of it. */
typedef struct placed {
	uint64_t off, head, html, text, sum;
	const unsigned char *st;
	size_t toc_at, toc_len;   /* of a fresh record: its headings in the head */
} placed;

/* A fresh record's parts: its head (after the stat numbers) and where
 * the headings are in it. */
static void fresh_parts(const nb_doc *doc, const nb_buf *rec, placed *pl)
{
	pl->st = (const unsigned char *)rec->ptr;
	if (doc->html_at.set) {
		/* Spilled with its text (nb_doccache_spill). */
		reader h = { (const unsigned char *)rec->ptr + REC_PREFIX,
			     (const unsigned char *)rec->ptr + rec->len, 0 };
		pl->head = get_u(&h, 8);
		pl->sum = get_u(&h, 8);
	} else {
		pl->head = rec->len - REC_PREFIX;
		pl->sum = sum_of(rec->ptr + REC_PREFIX, (size_t)pl->head);
	}
	pl->html = doc->html_at.set ? doc->html_at.len : doc->html ? strlen(doc->html) : 0;
	pl->text = doc->text_at.set ? doc->text_at.len : doc->text ? strlen(doc->text) : 0;
	reader r = { (const unsigned char *)rec->ptr + STAT_LEN,
		     (const unsigned char *)rec->ptr + REC_PREFIX, 0 };
	pl->toc_at = (size_t)get_u(&r, 4);
	pl->toc_len = (size_t)get_u(&r, 4);
}

/* Records go out through a buffer: a first build writes 10,000 of
 * them, three pieces each. */
typedef struct wbuf {
	int fd;
	off_t at;           /* where the buffer's first byte goes */
	nb_buf b;
	int failed;
} wbuf;

static void wb_flush(wbuf *w)
{
	if (!w->failed && w->b.len && nb_fs_pwrite_all(w->fd, w->b.ptr, w->b.len, w->at) != 0)
		w->failed = 1;
	w->at += (off_t)w->b.len;
	nb_buf_clear(&w->b);
}

static void wb_put(wbuf *w, const void *p, size_t n)
{
	nb_buf_put(&w->b, p, n);
	if (w->b.len >= (1u << 20))
		wb_flush(w);
}

/* `n` bytes of `fd` at `off` into the buffer. */
static void wb_copy(wbuf *w, int fd, off_t off, size_t n)
{
	nb_buf_grow(&w->b, n + 1);
	if (nb_fs_pread_all(fd, w->b.ptr + w->b.len, n, off) != 0)
		w->failed = 1;
	w->b.len += n;
	w->b.ptr[w->b.len] = '\0';
	if (w->b.len >= (1u << 20))
		wb_flush(w);
}

/* A fresh record is in memory or, spilled while it loaded, whole in the
 * scratch file just before its HTML (a fresh document has no other blob). */
static void write_fresh(wbuf *w, const nb_doc *doc, const nb_buf *rec, const placed *pl)
{
	if (doc->html_at.set) {
		wb_copy(w, doc->html_at.fd, doc->html_at.off - (off_t)pl->head,
			(size_t)(pl->head + pl->html + pl->text));
		return;
	}
	wb_put(w, rec->ptr + REC_PREFIX, (size_t)pl->head);
	wb_put(w, doc->html ? doc->html : "", (size_t)pl->html);
	wb_put(w, doc->text ? doc->text : "", (size_t)pl->text);
}

/* Copy an old record whole into the new file. */
static void copy_record(const nb_doccache *c, const entry *e, wbuf *w)
{
	wb_copy(w, c->fd, (off_t)e->off, (size_t)(e->head + e->html + e->text));
}

static int write_index(const nb_doccache *c, const unsigned char *gen, uint64_t length,
		       const nb_doc *docs, size_t n, const placed *pl, const unsigned char *live)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, IDX_MAGIC);
	put_str(&b, c->salt);
	nb_buf_put(&b, gen, GEN_LEN);
	put_u(&b, length, 8);
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += live[i];
	put_u(&b, count, 4);
	for (size_t i = 0; i < n; i++) {
		if (!live[i])
			continue;
		put_str(&b, docs[i].path);
		nb_buf_put(&b, pl[i].st, STAT_LEN);
		put_u(&b, pl[i].off, 8);
		put_u(&b, pl[i].head, 4);
		put_u(&b, pl[i].html, 4);
		put_u(&b, pl[i].text, 4);
		put_u(&b, pl[i].sum, 8);
	}
	put_u(&b, sum_of(b.ptr, b.len), 8);
	nb_buf tmp = NB_BUF_INIT;
	nb_buf_printf(&tmp, "%s.tmp", c->idx_path);
	int rc = nb_fs_write(nb_buf_cstr(&tmp), b.ptr, b.len) != 0 ||
		 rename(nb_buf_cstr(&tmp), c->idx_path) != 0 ? -1 : 0;
	if (rc)
		unlink(nb_buf_cstr(&tmp));
	nb_buf_free(&tmp);
	nb_buf_free(&b);
	return rc;
}

/* The writers' lock: `docs.tmp`, opened, locked and checked to still be
 * the file of that name (a writer that renamed it into place held the
 * lock until done, so a later one finds another file there). -1 when
 * another writer has it. */
static int lock_writers(const nb_doccache *c, const char *tmp)
{
	char *dir = strdup(c->path);
	if (!dir)
		abort();
	*strrchr(dir, '/') = '\0';
	int fd = nb_fs_mkdirs(dir) == 0
		? open(tmp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644) : -1;
	free(dir);
	struct stat a, b;
	if (fd >= 0 && (flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &a) != 0 ||
			stat(tmp, &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The index on disk is still the one this build opened. */
static int index_unchanged(const nb_doccache *c)
{
	char *now = NULL;
	size_t len = 0;
	int same = nb_fs_read(c->idx_path, 0, &now, &len) == 0
		? len == c->idx_len && !memcmp(now, c->idx, len) : !c->idx;
	free(now);
	return same;
}

static void new_generation(unsigned char gen[GEN_LEN])
{
	if (getrandom(gen, GEN_LEN, 0) == GEN_LEN)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t v[2] = { (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec,
			  (uint64_t)getpid() };
	memcpy(gen, v, GEN_LEN);
}

/* Append the fresh records to `docs` at the vouched length: 0, or -1. */
static int append(nb_doccache *c, nb_doc *docs, size_t n, const nb_buf *recs,
		  const unsigned char *restored, placed *pl, uint64_t *length)
{
	int fd = open(c->path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat a, b;
	int rc = fd < 0 || fstat(fd, &a) != 0 || fstat(c->fd, &b) != 0 || a.st_ino != b.st_ino ||
		 a.st_dev != b.st_dev || ftruncate(fd, (off_t)c->length) != 0 ? -1 : 0;
	uint64_t at = c->length;
	wbuf w = { fd, (off_t)at, NB_BUF_INIT, rc };
	for (size_t i = 0; i < n && !w.failed; i++) {
		if (restored[i] || !recs[i].len)
			continue;
		pl[i].off = at;
		write_fresh(&w, &docs[i], &recs[i], &pl[i]);
		at += pl[i].head + pl[i].html + pl[i].text;
	}
	wb_flush(&w);
	nb_buf_free(&w.b);
	rc = w.failed;
	if (!rc && fdatasync(fd) != 0)
		rc = -1;
	if (fd >= 0)
		close(fd);
	*length = at;
	return rc;
}

/* Write every live record into `fd` (docs.tmp) as a new `docs`. */
static int compact(nb_doccache *c, int fd, nb_doc *docs, size_t n, const nb_buf *recs,
		   const unsigned char *restored, placed *pl, unsigned char *gen, uint64_t *length)
{
	new_generation(gen);
	nb_buf h = NB_BUF_INIT;
	data_header(&h, c->salt, gen);
	wbuf w = { fd, 0, NB_BUF_INIT, ftruncate(fd, 0) != 0 };
	wb_put(&w, h.ptr, h.len);
	uint64_t at = h.len;
	nb_buf_free(&h);
	for (size_t i = 0; i < n && !w.failed; i++) {
		if (!restored[i] && !recs[i].len)
			continue;
		pl[i].off = at;
		if (restored[i])
			copy_record(c, find(c, docs[i].path), &w);
		else
			write_fresh(&w, &docs[i], &recs[i], &pl[i]);
		at += pl[i].head + pl[i].html + pl[i].text;
	}
	wb_flush(&w);
	nb_buf_free(&w.b);
	int rc = w.failed ? -1 : 0;
	if (!rc && fdatasync(fd) != 0)
		rc = -1;
	*length = at;
	return rc;
}

/* Point the recorded documents' blobs at where their records now are. */
static void repoint(nb_doc *docs, size_t n, const nb_buf *recs, const unsigned char *restored,
		    const placed *pl, int fd, const uint64_t *old_off)
{
	for (size_t i = 0; i < n; i++) {
		nb_doc *doc = &docs[i];
		if (!doc->rendered || (restored[i] ? !doc->html_at.set : !recs[i].len))
			continue;
		off_t body = (off_t)(pl[i].off + pl[i].head);
		off_t toc = restored[i] ? doc->toc_at.off - (off_t)old_off[i] + (off_t)pl[i].off
					: (off_t)(pl[i].off + pl[i].toc_at);
		size_t toc_len = restored[i] ? doc->toc_at.len : pl[i].toc_len;
		doc->html_at = (nb_blob){ 1, fd, (size_t)pl[i].html, body };
		doc->text_at = (nb_blob){ 1, fd, (size_t)pl[i].text, body + (off_t)pl[i].html };
		doc->toc_at = (nb_blob){ 1, fd, toc_len, toc };
	}
}

void nb_doccache_save(nb_doccache *c, nb_doc *docs, size_t n, const nb_buf *recs,
		      const unsigned char *restored)
{
	size_t kept = 0, fresh = 0;
	for (size_t i = 0; i < n; i++) {
		kept += restored[i];
		fresh += !restored[i] && recs[i].len > 0;
	}
	/* Nothing new and nothing gone: the memo on disk is already this. */
	if (c->have && fresh == 0 && kept == c->count)
		return;
	placed *pl = calloc(n + 1, sizeof(placed));
	unsigned char *live = calloc(n + 1, 1);
	uint64_t *old_off = calloc(n + 1, sizeof(uint64_t));
	if (!pl || !live || !old_off)
		abort();
	uint64_t live_bytes = 0, fresh_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		const entry *e = restored[i] ? find(c, docs[i].path) : NULL;
		if (e) {
			pl[i] = (placed){ e->off, e->head, e->html, e->text, e->sum, e->st, 0, 0 };
			old_off[i] = e->off;
			live_bytes += e->head + e->html + e->text;
		} else if (!restored[i] && recs[i].len) {
			fresh_parts(&docs[i], &recs[i], &pl[i]);
			fresh_bytes += pl[i].head + pl[i].html + pl[i].text;
		} else {
			continue;
		}
		live[i] = 1;
	}
	/* Dead bytes: the records no document of this build restored. When
	 * they would be more than half of the file, write it anew. */
	uint64_t file = c->length + fresh_bytes;
	int appending = c->have && (file - live_bytes - fresh_bytes) * 2 <= file;
	nb_buf tmp = NB_BUF_INIT;
	nb_buf_printf(&tmp, "%s.tmp", c->path);
	int lock = lock_writers(c, nb_buf_cstr(&tmp));
	unsigned char gen[GEN_LEN];
	memcpy(gen, c->gen, GEN_LEN);
	uint64_t length = 0;
	if (lock >= 0 && index_unchanged(c)) {
		if (appending) {
			/* The new records are in the file already open. */
			if (append(c, docs, n, recs, restored, pl, &length) == 0 &&
			    write_index(c, gen, length, docs, n, pl, live) == 0) {
				repoint(docs, n, recs, restored, pl, c->fd, old_off);
				unlink(nb_buf_cstr(&tmp));
			}
		} else if (compact(c, lock, docs, n, recs, restored, pl, gen, &length) == 0) {
			/* `docs` first, then the index naming its generation. */
			int rfd = dup(lock);
			if (rfd >= 0 && rename(nb_buf_cstr(&tmp), c->path) == 0 &&
			    write_index(c, gen, length, docs, n, pl, live) == 0) {
				repoint(docs, n, recs, restored, pl, rfd, old_off);
				c->out_fd = rfd;
			} else if (rfd >= 0) {
				close(rfd);
			}
		}
	}
	if (lock >= 0)
		close(lock);
	nb_buf_free(&tmp);
	free(pl);
	free(live);
	free(old_off);
}

int nb_doccache_take_files(nb_doccache *c, int files[2])
{
	int n = 0;
	/* With a new `docs` written, every blob is in it. */
	if (c->out_fd >= 0)
		files[n++] = c->out_fd;
	else if (c->fd >= 0)
		files[n++] = c->fd;
	c->taken = 1;
	return n;
}

void nb_doccache_close(nb_doccache *c)
{
	if (!c)
		return;
	free(c->ents);
	free(c->table);
	free(c->idx);
	/* Whatever the content did not take; after a new `docs` was written
	 * the old file holds no blob any more. */
	if (!c->taken && c->out_fd >= 0)
		close(c->out_fd);
	if ((!c->taken || c->out_fd >= 0) && c->fd >= 0)
		close(c->fd);
	free(c->path);
	free(c->idx_path);
	free(c->salt);
	free(c);
}

/*
 * doccache.c - the load stage's memo; see doccache.h for what and why.
 *
 * The file: a header line "noticeboard-docs 1\n", the salt as a
 * length-prefixed field, then one record per document in path order. A
 * record is a u32 length followed by its fields: the path, eight stat
 * numbers, then id, kind, a flags byte (draft, rendered, position table
 * present) and the front matter JSON, the position table, the HTML, the
 * text and the headings JSON. Numbers are little-endian u32/u64, fields
 * length-prefixed. It is read whole into memory and indexed by path; a
 * record is copied as it is into the next memo when its document is
 * restored, so an unchanged site costs no encoding at all.
 */
#include "doccache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fs.h"

#define MAGIC "noticeboard-docs 1\n"
#define RACY_SECONDS 2

enum { F_DRAFT = 1, F_RENDERED = 2, F_POS = 4 };

struct nb_doccache {
	char *path;         /* the memo file */
	char *salt;
	char *data;         /* its contents (NULL: empty memo) */
	size_t len;
	json_t *index;      /* path -> offset of the record (after its length) */
	size_t records;
};

/* ---- reading ------------------------------------------------------------ */

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

static char *memo_path(const char *site_dir, const char *name)
{
	char *dir = nb_path_join(site_dir, ".noticeboard-cache");
	char *p = nb_path_join(dir, name);
	free(dir);
	return p;
}

nb_doccache *nb_doccache_open(const char *site_dir, const char *name, const char *salt)
{
	nb_doccache *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->path = memo_path(site_dir, name);
	c->salt = strdup(salt);
	if (!c->salt)
		abort();
	c->index = json_object();
	if (nb_fs_read(c->path, 0, &c->data, &c->len) != 0) {
		c->data = NULL;
		c->len = 0;
		return c;
	}
	reader r = { (const unsigned char *)c->data, (const unsigned char *)c->data + c->len, 0 };
	size_t ml = strlen(MAGIC), sl;
	if (c->len < ml || memcmp(c->data, MAGIC, ml) != 0)
		goto unusable;
	r.p += ml;
	const char *s = get_field(&r, &sl);
	if (r.bad || sl != strlen(salt) || memcmp(s, salt, sl) != 0)
		goto unusable;
	while (r.p < r.end) {
		size_t rl = (size_t)get_u(&r, 4);
		if (r.bad || (size_t)(r.end - r.p) < rl)
			goto unusable;
		reader rec = { r.p, r.p + rl, 0 };
		size_t pl;
		const char *p = get_field(&rec, &pl);
		if (rec.bad)
			goto unusable;
		json_object_setn_new_nocheck(c->index, p, pl,
					     json_integer((json_int_t)(r.p - (const unsigned char *)c->data)));
		r.p += rl;
		c->records++;
	}
	return c;
unusable:
	json_object_clear(c->index);
	c->records = 0;
	free(c->data);
	c->data = NULL;
	c->len = 0;
	return c;
}

/* The record at `off` (just after its length) as a reader over it. */
static reader record_at(const nb_doccache *c, size_t off)
{
	const unsigned char *base = (const unsigned char *)c->data;
	reader len = { base + off - 4, base + c->len, 0 };
	size_t rl = (size_t)get_u(&len, 4);
	return (reader){ base + off, base + off + rl, 0 };
}

static void stat_numbers(const struct stat *st, uint64_t v[8])
{
	v[0] = (uint64_t)st->st_size;
	v[1] = (uint64_t)st->st_ino;
	v[2] = (uint64_t)st->st_dev;
	v[3] = (uint64_t)st->st_mode;
	v[4] = (uint64_t)st->st_mtim.tv_sec;
	v[5] = (uint64_t)st->st_mtim.tv_nsec;
	v[6] = (uint64_t)st->st_ctim.tv_sec;
	v[7] = (uint64_t)st->st_ctim.tv_nsec;
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

int nb_doccache_restore(const nb_doccache *c, const struct stat *st, nb_doc *doc)
{
	json_t *at = c->data ? json_object_get(c->index, doc->path) : NULL;
	if (!at)
		return 0;
	reader r = record_at(c, (size_t)json_integer_value(at));
	size_t n;
	get_field(&r, &n); /* the path */
	uint64_t want[8];
	stat_numbers(st, want);
	for (int i = 0; i < 8; i++)
		if (get_u(&r, 8) != want[i])
			return 0;
	size_t il, kl, ml, pl, hl, tl, ol;
	const char *id = get_field(&r, &il), *kind = get_field(&r, &kl);
	unsigned flags = (unsigned)get_u(&r, 1);
	const char *meta = get_field(&r, &ml), *pos = get_field(&r, &pl);
	const char *html = get_field(&r, &hl), *text = get_field(&r, &tl);
	const char *toc = get_field(&r, &ol);
	if (r.bad || r.p != r.end)
		return 0;
	json_t *m = json_loadb(meta, ml, JSON_DECODE_ANY, NULL);
	json_t *t = flags & F_RENDERED ? json_loadb(toc, ol, 0, NULL) : NULL;
	if (!json_is_object(m) || (flags & F_RENDERED && !json_is_array(t))) {
		json_decref(m);
		json_decref(t);
		return 0;
	}
	free(doc->id);
	free(doc->kind);
	doc->id = dup_field(id, il);
	doc->kind = dup_field(kind, kl);
	json_decref(doc->meta);
	doc->meta = m;
	json_decref(doc->pos);
	doc->pos = flags & F_POS ? json_stringn_nocheck(pos, pl) : json_object();
	if (flags & F_RENDERED) {
		doc->html = dup_field(html, hl);
		doc->text = dup_field(text, tl);
		doc->toc = t;
	}
	doc->draft = (flags & F_DRAFT) != 0;
	doc->ok = 1;
	return 1;
}

/* ---- writing ------------------------------------------------------------ */

static void put_u(nb_buf *b, uint64_t v, size_t n)
{
	unsigned char tmp[8];
	for (size_t i = 0; i < n; i++)
		tmp[i] = (unsigned char)(v >> (8 * i));
	nb_buf_put(b, tmp, n);
}

static void put_field(nb_buf *b, const char *s, size_t n)
{
	put_u(b, n, 4);
	nb_buf_put(b, s, n);
}

static void put_str(nb_buf *b, const char *s)
{
	put_field(b, s ? s : "", s ? strlen(s) : 0);
}

int nb_doccache_encode(const nb_doc *doc, const struct stat *st, long long now, nb_buf *rec)
{
	long long window = (long long)RACY_SECONDS * 1000000000LL;
	long long mtime = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	long long ctime = (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
	if (!doc->ok || mtime > now - window || ctime > now - window)
		return -1;
	/* Reals as %.17g read back as the same double; NaN and infinity have
	 * no JSON form and make the dump fail, which leaves the file out. */
	char *meta = json_dumps(doc->meta, JSON_COMPACT | JSON_REAL_PRECISION(17));
	char *toc = doc->toc ? json_dumps(doc->toc, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
	if (!meta || (doc->toc && !toc)) {
		free(meta);
		free(toc);
		return -1;
	}
	uint64_t v[8];
	stat_numbers(st, v);
	for (int i = 0; i < 8; i++)
		put_u(rec, v[i], 8);
	put_str(rec, meta);
	put_str(rec, toc);
	free(meta);
	free(toc);
	return 0;
}

/* The whole record of `doc` from what encode kept (stat, JSON texts) and
 * the document's own fields: the HTML and text, most of a record, are
 * not copied twice in memory. */
static void write_record(FILE *f, const nb_doc *doc, const nb_buf *kept)
{
	reader k = { (const unsigned char *)kept->ptr,
		     (const unsigned char *)kept->ptr + kept->len, 0 };
	nb_buf rec = NB_BUF_INIT;
	put_str(&rec, doc->path);
	nb_buf_put(&rec, k.p, 64); /* the stat numbers */
	k.p += 64;
	size_t ml, tl;
	const char *meta = get_field(&k, &ml), *toc = get_field(&k, &tl);
	put_str(&rec, doc->id);
	put_str(&rec, doc->kind);
	int pos = json_is_string(doc->pos);
	put_u(&rec, (doc->draft ? F_DRAFT : 0) | (doc->html ? F_RENDERED : 0) | (pos ? F_POS : 0), 1);
	put_field(&rec, meta, ml);
	put_field(&rec, pos ? json_string_value(doc->pos) : "", pos ? json_string_length(doc->pos) : 0);
	size_t hl = doc->html ? strlen(doc->html) : 0, xl = doc->text ? strlen(doc->text) : 0;
	unsigned char len[4];
	size_t total = rec.len + 8 + hl + xl + 4 + tl;
	for (size_t i = 0; i < 4; i++)
		len[i] = (unsigned char)(total >> (8 * i));
	fwrite(len, 1, 4, f);
	fwrite(rec.ptr, 1, rec.len, f);
	nb_buf_clear(&rec);
	put_u(&rec, hl, 4);
	fwrite(rec.ptr, 1, 4, f);
	fwrite(doc->html ? doc->html : "", 1, hl, f);
	nb_buf_clear(&rec);
	put_u(&rec, xl, 4);
	fwrite(rec.ptr, 1, 4, f);
	fwrite(doc->text ? doc->text : "", 1, xl, f);
	nb_buf_clear(&rec);
	put_field(&rec, toc, tl);
	fwrite(rec.ptr, 1, rec.len, f);
	nb_buf_free(&rec);
}

void nb_doccache_save(nb_doccache *c, const nb_doc *docs, size_t n, const nb_buf *recs,
		      const unsigned char *restored)
{
	size_t kept = 0, fresh = 0;
	for (size_t i = 0; i < n; i++) {
		kept += restored[i];
		fresh += !restored[i] && recs[i].len > 0;
	}
	/* Nothing new and nothing gone: the memo on disk is already this. */
	if (fresh == 0 && kept == c->records)
		return;
	char *dir = strdup(c->path);
	if (!dir)
		abort();
	*strrchr(dir, '/') = '\0';
	/* One temporary name, written under its lock: a build killed while
	 * writing leaves it for the next one to truncate rather than a new
	 * file of the size of content/ each time; a build that finds it
	 * locked (another writing) leaves the memo to that one. */
	nb_buf tmp = NB_BUF_INIT;
	nb_buf_printf(&tmp, "%s.tmp", c->path);
	int fd = nb_fs_mkdirs(dir) == 0
		? open(nb_buf_cstr(&tmp), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644) : -1;
	FILE *f = NULL;
	if (fd >= 0 && (flock(fd, LOCK_EX | LOCK_NB) != 0 || ftruncate(fd, 0) != 0 ||
			!(f = fdopen(fd, "wb"))))
		close(fd);
	if (f) {
		nb_buf head = NB_BUF_INIT;
		nb_buf_puts(&head, MAGIC);
		put_str(&head, c->salt);
		fwrite(head.ptr, 1, head.len, f);
		nb_buf_free(&head);
		for (size_t i = 0; i < n; i++) {
			if (restored[i]) {
				json_t *at = json_object_get(c->index, docs[i].path);
				reader r = record_at(c, (size_t)json_integer_value(at));
				fwrite(r.p - 4, 1, (size_t)(r.end - r.p) + 4, f);
			} else if (recs[i].len) {
				write_record(f, &docs[i], &recs[i]);
			}
		}
		/* Renamed while still locked: a second writer that opened the
		 * same file meanwhile found it locked and gave up. */
		if (fflush(f) != 0 || ferror(f) || rename(nb_buf_cstr(&tmp), c->path) != 0)
			unlink(nb_buf_cstr(&tmp));
		fclose(f);
	}
	nb_buf_free(&tmp);
	free(dir);
}

void nb_doccache_close(nb_doccache *c)
{
	if (!c)
		return;
	json_decref(c->index);
	free(c->data);
	free(c->path);
	free(c->salt);
	free(c);
}

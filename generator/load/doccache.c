/*
 * doccache.c - the load stage's memo; see doccache.h for what and why.
 *
 * The file: a header line "noticeboard-docs 1\n", the salt as a
 * length-prefixed field, then one record per document in path order. A
 * record is a u32 length followed by its fields: the path, eight stat
 * numbers, then id, kind, a flags byte (draft, rendered, position table
 * present) and the front matter JSON, the position table, the HTML, the
 * text, the headings JSON and the links JSON (markdown.h
 * nb_markdown_render_links: what the link checks and attachments need,
 * which depend on other files and so are judged by every build). Numbers are little-endian u32/u64, fields
 * length-prefixed. It is read whole into memory and indexed by path; a
 * record is copied as it is into the next memo when its document is
 * restored, so an unchanged site costs no encoding at all. The file is
 * kept open: restored documents point into it (their HTML and text are
 * never copied), and after a save every recorded document points into
 * the new file instead, so the content needs only that one open.
 */
#include "load/doccache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/fs.h"

#define MAGIC "noticeboard-docs 2\n"
#define RACY_SECONDS 2

enum { F_DRAFT = 1, F_RENDERED = 2, F_POS = 4 };

struct nb_doccache {
	char *path;         /* the memo file */
	char *salt;
	char *data;         /* its contents (NULL: empty memo) */
	size_t len;
	json_t *index;      /* path -> offset of the record (after its length) */
	size_t records;
	int fd;             /* the memo file as opened, or -1 */
	int out_fd;         /* the memo this build wrote, or -1 */
	int taken;          /* the content owns them now */
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
	c->out_fd = -1;
	c->fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	/* Kept open: its HTML, text and headings are read back from it later
	 * by offset (content.h nb_blob), so the offsets are the file's own. */
	if (c->fd < 0 || nb_fs_read_fd(c->fd, 0, &c->data, &c->len) != 0)
		goto unusable;
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
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
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
	size_t il, kl, ml, pl, hl, tl, ol, ll;
	const char *id = get_field(&r, &il), *kind = get_field(&r, &kl);
	unsigned flags = (unsigned)get_u(&r, 1);
	const char *meta = get_field(&r, &ml), *pos = get_field(&r, &pl);
	const char *html = get_field(&r, &hl), *text = get_field(&r, &tl);
	const char *toc = get_field(&r, &ol);
	const char *links = get_field(&r, &ll);
	if (r.bad || r.p != r.end)
		return 0;
	json_t *lk = ll ? json_loadb(links, ll, 0, NULL) : NULL;
	if (ll && !json_is_array(lk)) {
		json_decref(lk);
		return 0;
	}
	json_t *m = json_loadb(meta, ml, JSON_DECODE_ANY, NULL);
	/* Read to check it (a damaged record is a miss, not a failed page),
	 * then left in the file like the HTML. */
	json_t *t = flags & F_RENDERED ? json_loadb(toc, ol, 0, NULL) : NULL;
	int toc_ok = json_is_array(t);
	json_decref(t);
	if (!json_is_object(m) || (flags & F_RENDERED && !toc_ok)) {
		json_decref(m);
		json_decref(lk);
		return 0;
	}
	json_decref(doc->links);
	doc->links = lk;
	free(doc->id);
	free(doc->kind);
	doc->id = dup_field(id, il);
	doc->kind = dup_field(kind, kl);
	json_decref(doc->meta);
	doc->meta = m;
	json_decref(doc->pos);
	doc->pos = flags & F_POS ? json_stringn_nocheck(pos, pl) : json_object();
	if (flags & F_RENDERED) {
		/* Not copied: read back from the file when a page needs them. */
		doc->html_at = (nb_blob){ 1, c->fd, hl, (off_t)(html - c->data) };
		doc->text_at = (nb_blob){ 1, c->fd, tl, (off_t)(text - c->data) };
		doc->toc_at = (nb_blob){ 1, c->fd, ol, (off_t)(toc - c->data) };
		doc->rendered = 1;
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
	char *links = doc->links ? json_dumps(doc->links, JSON_COMPACT) : NULL;
	if (!meta || (doc->toc && !toc) || (doc->links && !links)) {
		free(meta);
		free(toc);
		free(links);
		return -1;
	}
	uint64_t v[8];
	stat_numbers(st, v);
	for (int i = 0; i < 8; i++)
		put_u(rec, v[i], 8);
	put_str(rec, meta);
	put_str(rec, toc);
	put_str(rec, links);
	free(meta);
	free(toc);
	free(links);
	return 0;
}

/* The whole record of `doc` from what encode kept (stat, JSON texts) and
 * the document's own fields: the HTML and text, most of a record, are
 * not copied twice in memory. Returns the record's size; `at` gets where
 * in it the HTML, the text and the headings start. */
static size_t write_record(FILE *f, const nb_doc *doc, const nb_buf *kept, size_t at[3])
{
	reader k = { (const unsigned char *)kept->ptr,
		     (const unsigned char *)kept->ptr + kept->len, 0 };
	nb_buf rec = NB_BUF_INIT;
	put_str(&rec, doc->path);
	nb_buf_put(&rec, k.p, 64); /* the stat numbers */
	k.p += 64;
	size_t ml, tl, ll;
	const char *meta = get_field(&k, &ml), *toc = get_field(&k, &tl);
	const char *links = get_field(&k, &ll);
	put_str(&rec, doc->id);
	put_str(&rec, doc->kind);
	int pos = json_is_string(doc->pos);
	put_u(&rec, (doc->draft ? F_DRAFT : 0) | (doc->rendered ? F_RENDERED : 0) | (pos ? F_POS : 0),
	      1);
	put_field(&rec, meta, ml);
	put_field(&rec, pos ? json_string_value(doc->pos) : "", pos ? json_string_length(doc->pos) : 0);
	size_t hl = doc->html ? strlen(doc->html) : 0, xl = doc->text ? strlen(doc->text) : 0;
	unsigned char len[4];
	size_t total = rec.len + 8 + hl + xl + 4 + tl + 4 + ll;
	for (size_t i = 0; i < 4; i++)
		len[i] = (unsigned char)(total >> (8 * i));
	fwrite(len, 1, 4, f);
	fwrite(rec.ptr, 1, rec.len, f);
	at[0] = 4 + rec.len + 4;
	at[1] = at[0] + hl + 4;
	at[2] = at[1] + xl + 4;
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
	put_field(&rec, links, ll);
	fwrite(rec.ptr, 1, rec.len, f);
	nb_buf_free(&rec);
	return 4 + total;
}

void nb_doccache_save(nb_doccache *c, nb_doc *docs, size_t n, const nb_buf *recs,
		      const unsigned char *restored)
{
	size_t kept = 0, fresh = 0;
	for (size_t i = 0; i < n; i++) {
		kept += restored[i];
		fresh += !restored[i] && recs[i].len > 0;
	}
	/* Nothing new and nothing gone: the memo on disk is already this,
	 * and the restored documents' blobs are in it. */
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
		? open(nb_buf_cstr(&tmp), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644) : -1;
	FILE *f = NULL;
	if (fd >= 0 && (flock(fd, LOCK_EX | LOCK_NB) != 0 || ftruncate(fd, 0) != 0 ||
			!(f = fdopen(fd, "wb"))))
		close(fd);
	if (f) {
		/* Where each document's HTML and text land in the new file. */
		off_t *at = calloc(3 * n + 1, sizeof(off_t));
		size_t *toc_len = calloc(n + 1, sizeof(size_t));
		if (!toc_len)
			abort();
		if (!at)
			abort();
		nb_buf head = NB_BUF_INIT;
		nb_buf_puts(&head, MAGIC);
		put_str(&head, c->salt);
		fwrite(head.ptr, 1, head.len, f);
		off_t pos = (off_t)head.len;
		nb_buf_free(&head);
		for (size_t i = 0; i < n; i++) {
			if (restored[i]) {
				json_t *here = json_object_get(c->index, docs[i].path);
				reader r = record_at(c, (size_t)json_integer_value(here));
				off_t start = (off_t)((const char *)r.p - 4 - c->data);
				fwrite(r.p - 4, 1, (size_t)(r.end - r.p) + 4, f);
				at[3 * i] = pos + (docs[i].html_at.off - start);
				at[3 * i + 1] = pos + (docs[i].text_at.off - start);
				at[3 * i + 2] = pos + (docs[i].toc_at.off - start);
				toc_len[i] = docs[i].toc_at.len;
				pos += (off_t)(r.end - r.p) + 4;
			} else if (recs[i].len) {
				size_t in[3];
				size_t len = write_record(f, &docs[i], &recs[i], in);
				at[3 * i] = pos + (off_t)in[0];
				at[3 * i + 1] = pos + (off_t)in[1];
				at[3 * i + 2] = pos + (off_t)in[2];
				/* The headings' JSON, as encode kept it after the stat
				 * numbers and the front matter. */
				reader k = { (const unsigned char *)recs[i].ptr + 64,
					     (const unsigned char *)recs[i].ptr + recs[i].len, 0 };
				size_t ml;
				get_field(&k, &ml);
				toc_len[i] = (size_t)get_u(&k, 4);
				pos += (off_t)len;
			}
		}
		/* Renamed while still locked: a second writer that opened the
		 * same file meanwhile found it locked and gave up. The file is
		 * kept open (and so locked) for the blobs. */
		int rfd = -1;
		if (fflush(f) != 0 || ferror(f) || (rfd = dup(fd)) < 0 ||
		    rename(nb_buf_cstr(&tmp), c->path) != 0) {
			if (rfd >= 0)
				close(rfd);
			rfd = -1;
			unlink(nb_buf_cstr(&tmp));
		}
		fclose(f);
		if (rfd >= 0) {
			c->out_fd = rfd;
			for (size_t i = 0; i < n; i++) {
				nb_doc *doc = &docs[i];
				/* Restored documents have their blobs in the old
				 * file; fresh ones were written from memory. */
				if (!doc->rendered || (restored[i] ? !doc->html_at.set : !recs[i].len))
					continue;
				doc->html_at = (nb_blob){ 1, rfd, doc->html ? strlen(doc->html)
									 : doc->html_at.len, at[3 * i] };
				doc->text_at = (nb_blob){ 1, rfd, doc->text ? strlen(doc->text)
									 : doc->text_at.len, at[3 * i + 1] };
				doc->toc_at = (nb_blob){ 1, rfd, toc_len[i], at[3 * i + 2] };
			}
		}
		free(at);
		free(toc_len);
	}
	nb_buf_free(&tmp);
	free(dir);
}

int nb_doccache_take_files(nb_doccache *c, int files[2])
{
	int n = 0;
	/* With a new memo written, every blob is in it. */
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
	json_decref(c->index);
	free(c->data);
	/* Whatever the content did not take; after a new memo was written
	 * the old file holds no blob any more. */
	if (!c->taken && c->out_fd >= 0)
		close(c->out_fd);
	if ((!c->taken || c->out_fd >= 0) && c->fd >= 0)
		close(c->fd);
	free(c->path);
	free(c->salt);
	free(c);
}

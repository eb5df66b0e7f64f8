/*
 * files.c - what a publication records of the disk: lists of files with
 * their blob ids, and hashing folders and a site's sources into them; see
 * nb_audit_hash_dir and nb_audit_hash_sources in audit.h.
 *
 * Why it is built this way: cost grows with what changed, not with the
 * site. A re-publish of 10,000 documents looks at 20,000 files, nearly all
 * as the last publication recorded them. So a file whose inode, size and
 * modification time match a record from the last publish keeps its blob
 * id unread (git's own index works the same way), and a document's front
 * matter is remembered with it. What is recorded never depends on these
 * shortcuts: ids are still git's ids of the bytes, and a record that
 * cannot be trusted (a changed file, another program) only means reading
 * the file again. Files are read, hashed and compressed on all cores; the
 * result is committed in walk order, so it does not depend on the threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit_internal.h"
#include "load/frontmatter.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/pool.h"

/* ---- file lists ---------------------------------------------------------- */

void files_push(nb_audit_files *f, const char *path, const git_oid *id)
{
	if (f->len == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->items = realloc(f->items, f->cap * sizeof(*f->items));
		if (!f->items)
			abort();
	}
	f->items[f->len].path = xstrdup(path);
	memcpy(f->items[f->len].id.id, id->id, NB_OID_RAWSZ);
	f->len++;
}

void nb_audit_files_push(nb_audit_files *f, const char *path, const nb_oid *id)
{
	files_push(f, path, to_git(id));
}

void nb_audit_files_drop(nb_audit_files *f, const char *path)
{
	for (size_t i = 0; i < f->len; i++) {
		if (!strcmp(f->items[i].path, path)) {
			free(f->items[i].path);
			memmove(&f->items[i], &f->items[i + 1], (f->len - i - 1) * sizeof(*f->items));
			f->len--;
			return;
		}
	}
}

void nb_audit_files_free(nb_audit_files *f)
{
	for (size_t i = 0; i < f->len; i++)
		free(f->items[i].path);
	free(f->items);
	memset(f, 0, sizeof(*f));
}

static int cmp_file(const void *x, const void *y)
{
	return strcmp(((const nb_audit_file *)x)->path, ((const nb_audit_file *)y)->path);
}

void nb_audit_files_sort(nb_audit_files *f)
{
	if (f->len > 1)
		qsort(f->items, f->len, sizeof(*f->items), cmp_file);
}

long nb_audit_files_find(const nb_audit_files *f, const char *path)
{
	size_t lo = 0, hi = f->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(f->items[mid].path, path);
		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
int hash_file(nb_audit *a, const char *full, int write, git_oid *out)
{
	char *data;
	size_t len;
	if (nb_fs_read(full, 0, &data, &len) != 0) {
		set_err(a, "cannot read %s: %s", full, strerror(errno));
		return -1;
	}
	int rc;
	if (write)
		rc = nb_audit_write_blob(a, data, len, to_nb_w(out));
	else
		rc = git_odb_hash(out, data, len, GIT_OBJECT_BLOB) < 0 ? git_fail(a, "cannot hash") : 0;
	free(data);
	return rc;
}

/*
 * The walk (fs.h nb_fs_walk_stat): every file with its stat, which the
 * inode records below need. Two flavours, as the callers always had them:
 * plain (every regular file, symlinks followed: the output, themes/,
 * static/) and confined (nb_fs_walk's rules for content/: a symlink
 * leading out of the root left out, 64 levels at most), so the sources
 * recorded are exactly the files the build reads. A publication's output
 * is walked by its build, which lists it in manifest.sha256 from the same
 * walk (nb_audit_hash_walked_cached).
 */
static int walk_files(nb_audit *a, const char *root, int dotfiles, int confine,
		      nb_fs_files *out)
{
	nb_buf where = NB_BUF_INIT;
	int rc = nb_fs_walk_stat(out, root, dotfiles, confine, &where);
	if (rc != 0)
		set_err(a, "cannot read the folder %s%s%s: %s", root, where.len ? "/" : "",
			nb_buf_cstr(&where), strerror(errno));
	nb_buf_free(&where);
	return rc;
}

/* A site's sources as the build reads them: without editors' backups
 * (fs.h nb_fs_backup_name), which the build leaves out, so that the
 * record never holds the copy of a draft the site does not publish. */
static void files_drop_backups(nb_fs_files *l)
{
	size_t kept = 0;
	for (size_t i = 0; i < l->len; i++) {
		if (nb_fs_backup_name(l->items[i].rel))
			free(l->items[i].rel);
		else
			l->items[kept++] = l->items[i];
	}
	l->len = kept;
}

static int cmp_file_rel(const void *x, const void *y)
{
	return strcmp(((const nb_fs_file *)x)->rel, ((const nb_fs_file *)y)->rel);
}

/*
 * Remembered blob ids, found again by device and inode: the record that
 * lets a re-publish skip reading the files it hashed last time. A file
 * is the same when its size and modification time (ns) are too; one
 * modified too recently to be told apart that way is not recorded (see
 * fs.h nb_fs_fence). For sources the inode change time must match too:
 * an edit that puts the modification time back (cp -p, touch -r, some
 * editors) would otherwise keep the old id, and the record would hold
 * sources the site was not built from; the kernel sets the change time
 * on every write and no one can set it back. Not for the output, whose
 * unchanged files are hard-linked from the served folder on every
 * publish, which changes it (the build writes every other one anew). For
 * sources a record also keeps what the front matter said, so unchanged
 * documents are not parsed again either. A record file starts with a tag
 * (for sources: the program and site.yaml, which the parse depends on);
 * one with another tag is ignored whole.
 */
enum { REC_DRAFT = 1, REC_HAS_ID = 2 };

typedef struct oid_rec {
	unsigned long long dev, ino, size;
	long long sec, nsec;
	long long csec, cnsec;  /* inode change time */
	git_oid id;
	unsigned flags;
	size_t docid;          /* offset of the front matter's id in recs.ids */
} oid_rec;

typedef struct oid_recs {
	oid_rec *items;
	size_t len, cap;
	int ctime;             /* change times must match too (sources) */
	nb_buf ids;            /* NUL-terminated ids, back to back */
} oid_recs;

static void recs_push(oid_recs *r, const oid_rec *e)
{
	if (r->len == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->items = realloc(r->items, r->cap * sizeof(*r->items));
		if (!r->items)
			abort();
	}
	r->items[r->len++] = *e;
}

static void recs_free(oid_recs *r)
{
	free(r->items);
	nb_buf_free(&r->ids);
	memset(r, 0, sizeof(*r));
}

static int cmp_rec(const void *x, const void *y)
{
	const oid_rec *a = x, *b = y;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return 0;
}

static void rec_key(oid_rec *k, const struct stat *st)
{
	memset(k, 0, sizeof(*k));
	k->dev = (unsigned long long)st->st_dev;
	k->ino = (unsigned long long)st->st_ino;
	k->size = (unsigned long long)st->st_size;
	k->sec = (long long)st->st_mtim.tv_sec;
	k->nsec = (long long)st->st_mtim.tv_nsec;
	k->csec = (long long)st->st_ctim.tv_sec;
	k->cnsec = (long long)st->st_ctim.tv_nsec;
}

static const oid_rec *recs_find(const oid_recs *r, const oid_rec *k)
{
	const oid_rec *hit = r->len ? bsearch(k, r->items, r->len, sizeof(*r->items), cmp_rec)
				    : NULL;
	if (hit && hit->size == k->size && hit->sec == k->sec && hit->nsec == k->nsec &&
	    (!r->ctime || (hit->csec == k->csec && hit->cnsec == k->cnsec)))
		return hit;
	return NULL;
}

static const char RECS_MAGIC[] = "noticeboard-oids 3 ";

/* A decimal number ending at `stop`; *p moves past the stop byte. No
 * leading blanks or signs are skipped: one record per line, exactly. */
static int scan_num(const char **p, const char *end, char stop, int neg_ok,
		    unsigned long long *out, int *neg)
{
	const char *q = *p;
	*neg = 0;
	if (neg_ok && q < end && *q == '-') {
		*neg = 1;
		q++;
	}
	unsigned long long v = 0;
	const char *digits = q;
	while (q < end && *q >= '0' && *q <= '9') {
		if (v > (~0ULL - 9) / 10)
			return -1;
		v = v * 10 + (unsigned long long)(*q++ - '0');
	}
	if (q == digits || q >= end || *q != stop)
		return -1;
	*p = q + 1;
	*out = v;
	return 0;
}

/* "dev ino size sec nsec csec cnsec hex flags idlen:id\n" after a "magic tag" line;
 * anything malformed ends the read (what was read stays usable). */
static void recs_load(const char *path, const char *tag, oid_recs *r)
{
	char *text;
	size_t len;
	if (nb_fs_read(path, 0, &text, &len) != 0)
		return;
	size_t ml = strlen(RECS_MAGIC), tl = strlen(tag);
	const char *p = text, *end = text + len;
	if (len < ml + tl + 1 || memcmp(p, RECS_MAGIC, ml) || memcmp(p + ml, tag, tl) ||
	    p[ml + tl] != '\n') {
		free(text);
		return;
	}
	p += ml + tl + 1;
	while (p < end) {
		oid_rec e;
		unsigned long long sec, nsec, csec, cnsec, flags, n;
		int neg_s, neg_n, neg_cs, neg_cn, neg;
		if (scan_num(&p, end, ' ', 0, &e.dev, &neg) || scan_num(&p, end, ' ', 0, &e.ino, &neg) ||
		    scan_num(&p, end, ' ', 0, &e.size, &neg) ||
		    scan_num(&p, end, ' ', 1, &sec, &neg_s) || scan_num(&p, end, ' ', 1, &nsec, &neg_n) ||
		    scan_num(&p, end, ' ', 1, &csec, &neg_cs) ||
		    scan_num(&p, end, ' ', 1, &cnsec, &neg_cn) ||
		    sec > (unsigned long long)LLONG_MAX || nsec > (unsigned long long)LLONG_MAX ||
		    csec > (unsigned long long)LLONG_MAX || cnsec > (unsigned long long)LLONG_MAX ||
		    end - p < GIT_OID_HEXSZ + 1 || p[GIT_OID_HEXSZ] != ' ' ||
		    git_oid_fromstrn(&e.id, p, GIT_OID_HEXSZ) < 0)
			break;
		p += GIT_OID_HEXSZ + 1;
		if (scan_num(&p, end, ' ', 0, &flags, &neg) || scan_num(&p, end, ':', 0, &n, &neg) ||
		    n >= (unsigned long long)(end - p) || p[n] != '\n')
			break;
		e.sec = neg_s ? -(long long)sec : (long long)sec;
		e.nsec = neg_n ? -(long long)nsec : (long long)nsec;
		e.csec = neg_cs ? -(long long)csec : (long long)csec;
		e.cnsec = neg_cn ? -(long long)cnsec : (long long)cnsec;
		e.flags = (unsigned)flags;
		e.docid = r->ids.len;
		nb_buf_put(&r->ids, p, (size_t)n);
		nb_buf_putc(&r->ids, '\0');
		recs_push(r, &e);
		p += n + 1;
	}
	free(text);
	if (r->len > 1)
		qsort(r->items, r->len, sizeof(*r->items), cmp_rec);
}

static void put_ull(nb_buf *b, unsigned long long v)
{
	char tmp[24];
	size_t n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	nb_buf_grow(b, n);
	while (n)
		b->ptr[b->len++] = tmp[--n];
	b->ptr[b->len] = '\0';
}

static void put_ll(nb_buf *b, long long v)
{
	if (v < 0) {
		nb_buf_putc(b, '-');
		put_ull(b, 0ULL - (unsigned long long)v);
	} else {
		put_ull(b, (unsigned long long)v);
	}
}

/* Best effort, atomically replaced: a lost record only costs time. */
static void recs_save(const char *path, const char *tag, const oid_recs *r)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_grow(&b, r->len * 100 + r->ids.len + 64);
	nb_buf_puts(&b, RECS_MAGIC);
	nb_buf_puts(&b, tag);
	nb_buf_putc(&b, '\n');
	char hex[GIT_OID_HEXSZ + 1];
	for (size_t i = 0; i < r->len; i++) {
		const oid_rec *e = &r->items[i];
		put_ull(&b, e->dev);
		nb_buf_putc(&b, ' ');
		put_ull(&b, e->ino);
		nb_buf_putc(&b, ' ');
		put_ull(&b, e->size);
		nb_buf_putc(&b, ' ');
		put_ll(&b, e->sec);
		nb_buf_putc(&b, ' ');
		put_ll(&b, e->nsec);
		nb_buf_putc(&b, ' ');
		put_ll(&b, e->csec);
		nb_buf_putc(&b, ' ');
		put_ll(&b, e->cnsec);
		nb_buf_putc(&b, ' ');
		git_oid_tostr(hex, sizeof(hex), &e->id);
		nb_buf_put(&b, hex, GIT_OID_HEXSZ);
		nb_buf_putc(&b, ' ');
		put_ull(&b, e->flags);
		nb_buf_putc(&b, ' ');
		const char *id = (e->flags & REC_HAS_ID) ? r->ids.ptr + e->docid : "";
		size_t n = strlen(id);
		put_ull(&b, n);
		nb_buf_putc(&b, ':');
		nb_buf_put(&b, id, n);
		nb_buf_putc(&b, '\n');
	}
	nb_buf tmp = NB_BUF_INIT;
	nb_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	const char *slash = strrchr(path, '/');
	if (slash) {
		char *dir = strndup(path, (size_t)(slash - path));
		if (!dir)
			abort();
		nb_fs_mkdirs(dir);
		free(dir);
	}
	if (nb_fs_write(nb_buf_cstr(&tmp), b.ptr ? b.ptr : "", b.len) != 0 ||
	    rename(nb_buf_cstr(&tmp), path) != 0)
		remove(nb_buf_cstr(&tmp));
	nb_buf_free(&tmp);
	nb_buf_free(&b);
}

/* What the front matter of a document says that matters here. */
typedef struct doc_facts {
	int draft;
	char *id;              /* the `id` field when a string, else NULL */
} doc_facts;

static void parse_doc(const nb_config *cfg, const char *rel, const char *data, size_t len,
		      doc_facts *f)
{
	f->draft = 0;
	f->id = NULL;
	nb_diag d;
	nb_diag_init(&d);
	nb_frontmatter fm;
	json_t *meta = NULL;
	nb_frontmatter_parse(&fm, &meta, NULL, data, len, rel, &cfg->yaml_limits, &d);
	nb_diag_free(&d);
	json_t *dr = meta ? json_object_get(meta, "draft") : NULL;
	f->draft = dr && json_is_true(dr);
	json_t *id = meta ? json_object_get(meta, "id") : NULL;
	if (id && json_is_string(id))
		f->id = xstrdup(json_string_value(id));
	json_decref(meta);
}

/* "content/meetings/2024/x.md" -> "meetings/2024/x" unless front matter
 * says `id`; the same rule as content.c (kind folder dropped). */
static char *doc_id(const char *path, const char *id)
{
	if (id)
		return xstrdup(id);
	const char *p = path + strlen("content/");
	const char *slash = strchr(p, '/');
	if (slash)
		p = slash + 1;
	char *s = xstrdup(p);
	size_t n = strlen(s);
	if (n > 3 && !strcmp(s + n - 3, ".md"))
		s[n - 3] = '\0';
	return s;
}

/*
 * Hashing the walked files. A first publish reads, hashes and compresses
 * every file: 450 MB at 10,000 documents, all CPU once the files are in
 * the page cache, and the build that wrote them has finished with the
 * other cores. So files are taken in batches: each file of a batch is
 * read, parsed (documents), hashed and, when it is missing from the
 * database, made into its pack entry on the pool's threads (pool.h), each
 * into its own slot; then the batch is committed on this thread in walk
 * order - entries appended to the pack, records, the list - so the result
 * does not depend on the threads. Batches bound the memory: a slot holds
 * its entry (or, with no pack open, the bytes to write loose) only until
 * its batch is committed.
 */
enum { HASH_BATCH_FILES = 1024, HASH_BATCH_BYTES = 32 << 20 };

typedef struct hslot {
	git_oid id;
	doc_facts facts;
	int hit;               /* known from the record: nothing read */
	int err;               /* errno of a failed read; -1: hashing failed */
	int missing;           /* not in the database: write it */
	char *data;            /* the bytes to write, when no pack is open */
	size_t len;
	nb_buf entry;          /* else its pack entry */
	uint8_t hdr;
	uint32_t crc;
} hslot;

typedef struct hbatch {
	nb_audit *a;
	const char *dir;
	const nb_fs_file *files;    /* the batch's first */
	int write, pack, docs;
	const nb_config *cfg;
	const oid_recs *old;
	hslot *slots;
} hbatch;

static void hash_task(void *ud, size_t k)
{
	hbatch *b = ud;
	hslot *s = &b->slots[k];
	const nb_fs_file *f = &b->files[k];
	oid_rec key;
	rec_key(&key, &f->st);
	const oid_rec *hit = recs_find(b->old, &key);
	if (hit) {
		s->hit = 1;
		s->id = hit->id;
		s->facts.draft = (hit->flags & REC_DRAFT) != 0;
		if (hit->flags & REC_HAS_ID)
			s->facts.id = xstrdup(b->old->ids.ptr + hit->docid);
		return;
	}
	char *full = nb_path_join(b->dir, f->rel);
	char *data;
	size_t len;
	int rc = nb_fs_read(full, 0, &data, &len);
	s->err = rc != 0 ? (errno ? errno : EIO) : 0;
	free(full);
	if (rc != 0)
		return;
	size_t fl = strlen(f->rel);
	if (b->docs && fl > 3 && !strcmp(f->rel + fl - 3, ".md")) {
		char *rel = nb_path_join("content", f->rel);
		parse_doc(b->cfg, rel, data, len, &s->facts);
		free(rel);
	}
	/* A draft is never published: not hashed, not written. */
	if (s->facts.draft) {
		free(data);
		return;
	}
	if (git_odb_hash(&s->id, data, len, GIT_OBJECT_BLOB) < 0) {
		s->err = -1;
	} else if (b->write && !have_object(b->a, &s->id)) {
		s->missing = 1;
		if (!b->pack) {
			s->data = data;
			s->len = len;
			return;
		}
		if (entry_make(GIT_OBJECT_BLOB, data, len, &s->entry, &s->hdr, &s->crc) != 0)
			s->err = -1;
		s->len = len;
	}
	free(data);
}

/* Whether the inode's change time is also before the fence: a change in
 * the clock tick of the hashing could leave it as recorded. */
static int changed_before(const nb_fs_fence *fc, const struct stat *st)
{
	struct stat c = *st;
	c.st_mtim = st->st_ctim;
	return nb_fs_fence_before(fc, &c);
}

/*
 * Hash the walked files of one root through the records `old` (may be
 * empty), noting in `now` what may be remembered (`fc` NULL: nothing).
 * With `docs`, the root is content/: its .md files are documents, drafts
 * left out.
 */
static int hash_walked(nb_audit *a, const char *dir, const char *prefix, const nb_fs_files *files,
		       int write, const nb_config *cfg, nb_audit_docs *docs, const oid_recs *old,
		       oid_recs *now, const nb_fs_fence *fc, nb_audit_files *out)
{
	nb_buf path = NB_BUF_INIT;
	int rc = 0;
	size_t jobs = nb_pool_jobs();
	hbatch b = { a, dir, NULL, write, 0, docs != NULL, cfg, old, NULL };
	for (size_t lo = 0, hi; lo < files->len && rc == 0; lo = hi) {
		size_t bytes = 0;
		for (hi = lo; hi < files->len && hi - lo < HASH_BATCH_FILES && bytes < HASH_BATCH_BYTES;
		     hi++)
			bytes += (size_t)files->items[hi].st.st_size;
		size_t n = hi - lo;
		b.files = &files->items[lo];
		/* Entries made ahead only for a pack begun: small ones are held. */
		b.pack = nb_audit_pack_spilled(a);
		b.slots = calloc(n, sizeof(*b.slots));
		if (!b.slots)
			abort();
		nb_pool_wait(nb_pool_start(jobs < n ? jobs : n, n, hash_task, &b));
		for (size_t k = 0; k < n; k++) {
			hslot *s = &b.slots[k];
			const nb_fs_file *f = &files->items[lo + k];
			if (rc != 0)
				break;
			if (s->err > 0) {
				char *full = nb_path_join(dir, f->rel);
				set_err(a, "cannot read %s: %s", full, strerror(s->err));
				free(full);
				rc = -1;
				break;
			}
			if (s->err < 0) {
				/* libgit2's and zlib's errors stay on the thread
				 * that had them; both only fail out of memory. */
				char *full = nb_path_join(dir, f->rel);
				set_err(a, "cannot hash or compress %s", full);
				free(full);
				rc = -1;
				break;
			}
			if (s->missing && b.pack) {
				if (pack_add_entry(a->pack, &s->id, GIT_OBJECT_BLOB, s->len, &s->entry,
						   s->hdr, s->crc) != 0)
					rc = git_fail(a, "cannot write an object");
			} else if (s->missing) {
				rc = put_object(a, &s->id, GIT_OBJECT_BLOB, s->data, s->len);
			}
			if (rc != 0)
				break;
			oid_rec key;
			rec_key(&key, &f->st);
			key.id = s->id;  /* a draft's stays zero */
			key.flags = (s->facts.draft ? REC_DRAFT : 0) | (s->facts.id ? REC_HAS_ID : 0);
			if (fc && nb_fs_fence_before(fc, &f->st) &&
			    (!old->ctime || changed_before(fc, &f->st))) {
				if (s->facts.id) {
					key.docid = now->ids.len;
					nb_buf_puts(&now->ids, s->facts.id);
					nb_buf_putc(&now->ids, '\0');
				}
				recs_push(now, &key);
			}
			if (s->facts.draft)
				continue;
			nb_buf_clear(&path);
			if (prefix && prefix[0]) {
				nb_buf_puts(&path, prefix);
				nb_buf_putc(&path, '/');
			}
			nb_buf_puts(&path, f->rel);
			files_push(out, nb_buf_cstr(&path), &s->id);
			size_t fl = strlen(f->rel);
			if (docs && fl > 3 && !strcmp(f->rel + fl - 3, ".md")) {
				/* path is "site/content/..." */
				const char *rel = nb_buf_cstr(&path) + strlen("site/");
				char *did = doc_id(rel, s->facts.id);
				nb_audit_docs_add(docs, rel, did, to_nb(&s->id), 0);
				free(did);
			}
		}
		for (size_t k = 0; k < n; k++) {
			free(b.slots[k].facts.id);
			free(b.slots[k].data);
			nb_buf_free(&b.slots[k].entry);
		}
		free(b.slots);
	}
	nb_buf_free(&path);
	return rc;
}

int nb_audit_hash_dir(nb_audit *a, const char *dir, const char *prefix,
		      int dotfiles, int write, nb_audit_files *out)
{
	return nb_audit_hash_dir_cached(a, dir, prefix, dotfiles, write, out, NULL, NULL);
}

int nb_audit_hash_dir_cached(nb_audit *a, const char *dir, const char *prefix,
			     int dotfiles, int write, nb_audit_files *out, const char *cache,
			     const char *leave_out)
{
	nb_fs_files files = { 0 };
	int rc = walk_files(a, dir, dotfiles, 0, &files);
	if (rc == 0)
		rc = nb_audit_hash_walked_cached(a, dir, prefix, &files, write, out, cache,
						 leave_out);
	nb_fs_files_free(&files);
	return rc;
}

int nb_audit_hash_walked_cached(nb_audit *a, const char *dir, const char *prefix,
				const nb_fs_files *walked, int write, nb_audit_files *out,
				const char *cache, const char *leave_out)
{
	nb_fs_files files = { 0 };
	files.items = malloc((walked->len ? walked->len : 1) * sizeof(*files.items));
	if (!files.items)
		abort();
	/* The walk's entries, borrowed: not freed here. */
	for (size_t i = 0; i < walked->len; i++)
		if (!leave_out || strcmp(walked->items[i].rel, leave_out))
			files.items[files.len++] = walked->items[i];
	oid_recs old = { 0 }, now = { 0 };
	nb_fs_fence fc;
	if (cache) {
		recs_load(cache, "-", &old);
		nb_fs_fence_set(&fc, cache);
	}
	int rc = hash_walked(a, dir, prefix, &files, write, NULL, NULL, &old, &now,
			     cache ? &fc : NULL, out);
	if (rc == 0 && cache)
		recs_save(cache, "-", &now);
	recs_free(&old);
	recs_free(&now);
	free(files.items);
	return rc;
}

void nb_audit_program_id(char *out, size_t n)
{
	struct stat st;
	if (stat("/proc/self/exe", &st) != 0)
		memset(&st, 0, sizeof(st));
	snprintf(out, n, "%s/%llu/%llu/%llu/%lld.%09ld", NB_VERSION, (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino, (unsigned long long)st.st_size,
		 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

/* The program and the site.yaml a sources record is valid for. */
static void sources_tag(char *tag, size_t n, const git_oid *yaml)
{
	char prog[160], hex[GIT_OID_HEXSZ + 1];
	nb_audit_program_id(prog, sizeof(prog));
	git_oid_tostr(hex, sizeof(hex), yaml);
	snprintf(tag, n, "%s/%s", prog, hex);
}

int nb_audit_hash_sources(nb_audit *a, const nb_config *cfg, int write,
			  nb_audit_files *out, nb_audit_docs *docs)
{
	return nb_audit_hash_sources_cached(a, cfg, write, out, docs, NULL);
}

int nb_audit_hash_sources_cached(nb_audit *a, const nb_config *cfg, int write,
				 nb_audit_files *out, nb_audit_docs *docs, const char *cache)
{
	const char *site = cfg->site_dir;
	char *yaml = nb_path_join(site, "site.yaml");
	git_oid id;
	int rc = hash_file(a, yaml, write, &id);
	free(yaml);
	if (rc)
		return rc;
	files_push(out, "site/site.yaml", &id);
	char tag[256];
	sources_tag(tag, sizeof(tag), &id);
	oid_recs old = { 0 }, now = { 0 };
	old.ctime = 1;
	nb_fs_fence fc;
	if (cache) {
		recs_load(cache, tag, &old);
		nb_fs_fence_set(&fc, cache);
	}
	nb_audit_docs scratch = { 0 };

	/* content/: the same files the build reads (nb_fs_walk), drafts never. */
	char *content = nb_path_join(site, "content");
	if (nb_fs_is_dir(content)) {
		nb_fs_files files = { 0 };
		rc = walk_files(a, content, 0, 1, &files);
		files_drop_backups(&files);
		if (rc == 0) {
			/* In path order, as nb_fs_walk lists them. */
			if (files.len > 1)
				qsort(files.items, files.len, sizeof(*files.items), cmp_file_rel);
			rc = hash_walked(a, content, "site/content", &files, write, cfg,
					 docs ? docs : &scratch, &old, &now, cache ? &fc : NULL, out);
		}
		nb_fs_files_free(&files);
	}
	free(content);
	nb_audit_docs_free(&scratch);
	if (docs)
		nb_audit_docs_sort(docs);
	static const char *const extra[] = { "themes", "static" };
	for (size_t i = 0; i < 2 && rc == 0; i++) {
		char *dir = nb_path_join(site, extra[i]);
		if (nb_fs_is_dir(dir)) {
			char *pre = nb_path_join("site", extra[i]);
			nb_fs_files files = { 0 };
			rc = walk_files(a, dir, 0, 0, &files);
			files_drop_backups(&files);
			if (rc == 0)
				rc = hash_walked(a, dir, pre, &files, write, NULL, NULL, &old, &now,
						 cache ? &fc : NULL, out);
			nb_fs_files_free(&files);
			free(pre);
		}
		free(dir);
	}
	if (rc == 0 && cache)
		recs_save(cache, tag, &now);
	recs_free(&old);
	recs_free(&now);
	return rc;
}

/*
 * sums.c - /manifest.sha256 (sums.h).
 *
 * Each listed file's digest is of the bytes on disk. Reading the whole
 * site back on every publish was most of a re-publish's cost that does
 * not depend on what changed (270 MB and half a second at 10,000
 * documents, two to four seconds at 50,000), so a file is read only when
 * the digest memo does not know it: the memo keeps, per file, its device,
 * inode, size and modification time (ns) with its SHA-256, and a file
 * that still has all four keeps its digest unread. That is the rule the
 * publication's own blob ids follow (audit/files.c) and git's index
 * follows, with the same guard (fs.h nb_fs_fence): a file is remembered
 * only when its modification time is older than the file system's "now"
 * at the start, so any later write gives it another time. The stamp is
 * taken from the open file before its bytes are read, so the digest is of
 * that inode. Unchanged pages are hard links of the same inode from one
 * generation to the next (cache.h, memo.h), which is why the memo finds
 * them; a page written again is a new file and is read. A memo that
 * cannot be read, or fails its check, is no memo. `verify` never uses
 * one: it reads every byte it checks.
 *
 * The files are hashed on the pool's threads, each into its own slot, and
 * the lines written in path order after, so the list does not depend on
 * the number of threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/sums.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/pool.h"

static void sha256(unsigned char md[32], const void *data, size_t len)
{
	unsigned char buf[EVP_MAX_MD_SIZE];
	unsigned int ml = 0;
	if (EVP_Digest(data, len, buf, &ml, EVP_sha256(), NULL) != 1 || ml != 32)
		abort();
	memcpy(md, buf, 32);
}

static void to_hex(char out[65], const unsigned char md[32])
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
}

void nb_sums_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[32];
	sha256(md, data, len);
	to_hex(out, md);
}

/* ---- the digest memo ------------------------------------------------------
 * "nbsums1\n", the count (u64), the records sorted by device and inode,
 * then a 128-bit hash of all that (util/hash.h). Native byte order: the
 * memo is this machine's. */

#define SUMS_MAGIC "nbsums1\n"

typedef struct sum_rec {
	uint64_t dev, ino, size;
	int64_t sec, nsec;
	unsigned char md[32];
} sum_rec;

typedef struct sum_memo {
	sum_rec *recs;
	size_t len;
} sum_memo;

static int cmp_rec(const void *x, const void *y)
{
	const sum_rec *a = x, *b = y;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

static void rec_of(sum_rec *r, const struct stat *st)
{
	memset(r, 0, sizeof(*r));
	r->dev = (uint64_t)st->st_dev;
	r->ino = (uint64_t)st->st_ino;
	r->size = (uint64_t)st->st_size;
	r->sec = (int64_t)st->st_mtim.tv_sec;
	r->nsec = (int64_t)st->st_mtim.tv_nsec;
}

static nb_digest memo_sum(const void *p, size_t n)
{
	nb_hash h;
	nb_hash_init(&h, 0x73756d73ULL);
	nb_hash_bytes(&h, p, n);
	return nb_hash_final(&h);
}

/* The memo at `path`, or an empty one. */
static void memo_load(sum_memo *m, const char *path)
{
	memset(m, 0, sizeof(*m));
	char *data;
	size_t len;
	if (!path || nb_fs_read(path, 0, &data, &len) != 0)
		return;
	const size_t head = sizeof(SUMS_MAGIC) - 1 + sizeof(uint64_t);
	uint64_t n;
	nb_digest want;
	if (len >= head + sizeof(want) && !memcmp(data, SUMS_MAGIC, sizeof(SUMS_MAGIC) - 1)) {
		memcpy(&n, data + sizeof(SUMS_MAGIC) - 1, sizeof(n));
		memcpy(&want, data + len - sizeof(want), sizeof(want));
		nb_digest got = memo_sum(data, len - sizeof(want));
		if (n <= (len - head - sizeof(want)) / sizeof(sum_rec) &&
		    head + n * sizeof(sum_rec) + sizeof(want) == len && nb_digest_eq(got, want) &&
		    (m->recs = malloc((n ? n : 1) * sizeof(sum_rec))) != NULL) {
			memcpy(m->recs, data + head, n * sizeof(sum_rec));
			m->len = (size_t)n;
		}
	}
	free(data);
}

static const sum_rec *memo_find(const sum_memo *m, const sum_rec *k)
{
	const sum_rec *hit = m->len ? bsearch(k, m->recs, m->len, sizeof(*k), cmp_rec) : NULL;
	return hit && hit->size == k->size && hit->sec == k->sec && hit->nsec == k->nsec ? hit
											 : NULL;
}

/* Replace the memo at `path` with `recs` (sorted here), best effort: a
 * memo not written only costs the next publish its reading. */
static void memo_save(const char *path, sum_rec *recs, size_t n)
{
	if (n)
		qsort(recs, n, sizeof(*recs), cmp_rec);
	nb_buf b = NB_BUF_INIT;
	uint64_t count = n;
	nb_buf_put(&b, SUMS_MAGIC, sizeof(SUMS_MAGIC) - 1);
	nb_buf_put(&b, &count, sizeof(count));
	nb_buf_put(&b, recs, n * sizeof(*recs));
	nb_digest d = memo_sum(b.ptr, b.len);
	nb_buf_put(&b, &d, sizeof(d));
	nb_fs_replace(path, b.ptr, b.len);
	nb_buf_free(&b);
}

/* Whether the walked file `path` is listed: not itself, no name of its
 * path starting with '.', not below audit.git/. */
static int listed(const char *path)
{
	size_t n = strlen(NB_SERVED_AUDIT);
	if (!strncmp(path, NB_SERVED_AUDIT, n) && path[n] == '/')
		return 0;
	for (const char *name = path; name; name = strchr(name, '/')) {
		if (name[0] == '/')
			name++;
		if (name[0] == '.')
			return 0;
	}
	return strcmp(path, NB_SUMS_FILE) != 0;
}

static int cmp_rel(const void *x, const void *y)
{
	return strcmp((*(const nb_fs_file *const *)x)->rel, (*(const nb_fs_file *const *)y)->rel);
}

/* A path as sha256sum writes it: `\` and newline escaped, and then the
 * line starts with a backslash. */
static void put_line(nb_buf *out, const char *hex, const char *path)
{
	int esc = strpbrk(path, "\\\n") != NULL;
	if (esc)
		nb_buf_putc(out, '\\');
	nb_buf_printf(out, "%s  ", hex);
	for (const char *p = path; *p; p++) {
		if (esc && *p == '\\')
			nb_buf_puts(out, "\\\\");
		else if (*p == '\n')
			nb_buf_puts(out, "\\n");
		else
			nb_buf_putc(out, *p);
	}
	nb_buf_putc(out, '\n');
}

/* One file's digest, on a pool thread: each task writes only its slot. */
typedef struct sum_job {
	const char *dir;
	const nb_fs_file *const *file;  /* the walk's, in path order */
	char (*hex)[65];
	int *err;          /* 0, or the errno of reading that file */
	const sum_memo *memo;   /* or NULL */
	const nb_fs_fence *fence;
	sum_rec *rec;      /* with the memo: what it keeps of the file... */
	unsigned char *keep;    /* ...when 1 */
} sum_job;

/* A file the memo knows, by the walk's stat alone (no open: a publish's
 * files are nearly all known, and the system calls were most of the
 * time). */
static int sum_known(const sum_job *j, size_t i)
{
	sum_rec *r = &j->rec[i];
	rec_of(r, &j->file[i]->st);
	const sum_rec *hit = memo_find(j->memo, r);
	if (!hit)
		return 0;
	memcpy(r->md, hit->md, sizeof(r->md));
	to_hex(j->hex[i], r->md);
	j->keep[i] = 1;
	return 1;
}

static void sum_one(void *ud, size_t i)
{
	const sum_job *j = ud;
	if (j->memo && sum_known(j, i))
		return;
	char *p = nb_path_join(j->dir, j->file[i]->rel), *data = NULL;
	/* Read, and remembered by the stat of the open file: the digest is
	 * that inode's. */
	size_t len;
	struct stat st;
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	free(p);
	if (fd < 0 || fstat(fd, &st) != 0 || nb_fs_read_fd(fd, 0, &data, &len) != 0) {
		j->err[i] = errno ? errno : EIO;
	} else if (j->memo) {
		sum_rec *r = &j->rec[i];
		rec_of(r, &st);
		sha256(r->md, data, len);
		to_hex(j->hex[i], r->md);
		j->keep[i] = nb_fs_fence_before(j->fence, &st);
	} else {
		nb_sums_sha256_hex(j->hex[i], data, len);
	}
	free(data);
	if (fd >= 0)
		close(fd);
}

int nb_sums_text(nb_buf *out, const char *dir, const char *memo, const nb_fs_files *walked)
{
	nb_fs_files own = { 0 };
	if (!walked) {
		nb_buf where = NB_BUF_INIT;
		int rc = nb_fs_walk_stat(&own, dir, 1, 0, &where);
		nb_buf_free(&where);
		if (rc != 0) {
			int e = errno;
			nb_fs_files_free(&own);
			errno = e;
			return -1;
		}
		walked = &own;
	}
	const nb_fs_file **file = malloc((walked->len ? walked->len : 1) * sizeof(*file));
	if (!file)
		abort();
	size_t n = 0;
	for (size_t i = 0; i < walked->len; i++)
		if (listed(walked->items[i].rel))
			file[n++] = &walked->items[i];
	if (n > 1)
		qsort(file, n, sizeof(*file), cmp_rel);
	sum_memo old;
	nb_fs_fence fence;
	sum_job j = { dir, file, calloc(n ? n : 1, sizeof(*j.hex)),
		      calloc(n ? n : 1, sizeof(int)), NULL, &fence, NULL, NULL };
	if (!j.hex || !j.err)
		abort();
	if (memo) {
		nb_fs_fence_set(&fence, memo);
		memo_load(&old, memo);
		j.memo = &old;
		j.rec = malloc((n ? n : 1) * sizeof(*j.rec));
		j.keep = calloc(n ? n : 1, 1);
		if (!j.rec || !j.keep)
			abort();
	}
	nb_pool_wait(nb_pool_start(nb_pool_jobs(), n, sum_one, &j));
	/* Lines and the first failure in path order, whatever the threads. */
	int rc = 0, e = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (j.err[i])
			rc = -1, e = j.err[i];
		else
			put_line(out, j.hex[i], file[i]->rel);
	}
	if (memo && rc == 0) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (j.keep[i])
				j.rec[k++] = j.rec[i];
		memo_save(memo, j.rec, k);
	}
	if (memo) {
		free(old.recs);
		free(j.rec);
		free(j.keep);
	}
	free(j.hex);
	free(j.err);
	free(file);
	nb_fs_files_free(&own);
	errno = e;
	return rc;
}

int nb_sums_write(const char *dir, const char *memo, nb_fs_files *walked)
{
	nb_fs_files own = { 0 };
	nb_fs_files *w = walked ? walked : &own;
	nb_buf b = NB_BUF_INIT, where = NB_BUF_INIT;
	int rc = nb_fs_walk_stat(w, dir, 1, 0, &where);
	if (rc == 0)
		rc = nb_sums_text(&b, dir, memo, w);
	char *p = nb_path_join(dir, NB_SUMS_FILE);
	if (rc == 0) {
		/* The side folder's files may be links to the served ones. */
		if (unlink(p) != 0 && errno != ENOENT)
			rc = -1;
		else
			rc = nb_fs_write(p, b.ptr, b.len);
	}
	/* The walk as the folder now is: the list's own entry is new. */
	struct stat st;
	if (rc == 0 && walked) {
		size_t k = 0;
		for (size_t i = 0; i < w->len; i++) {
			if (strcmp(w->items[i].rel, NB_SUMS_FILE))
				w->items[k++] = w->items[i];
			else
				free(w->items[i].rel);
		}
		w->len = k;
		if (stat(p, &st) != 0)
			rc = -1;
		else
			nb_fs_files_push(w, NB_SUMS_FILE, &st);
	}
	int e = errno;
	free(p);
	nb_buf_free(&b);
	nb_buf_free(&where);
	nb_fs_files_free(&own);
	errno = e;
	return rc;
}

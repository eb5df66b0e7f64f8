/*
 * refstamp.c - the chain of publications remembered by the files that name
 * it (<site>/.noticeboard-cache/publish-chain); see audit.h
 * nb_audit_refstamp_take.
 *
 * Why. A build of a published site keys its output by the chain (history.h
 * nb_history_src_key), and finding the chain meant starting libgit2, which
 * parses the system's whole certificate bundle on start (libgit2 1.5 with
 * mbedTLS does so unconditionally, though no build ever opens a network
 * connection), then reading every publication's commit. That was 10 to 20
 * ms of a 50 ms no-op build at 10,000 documents: the published site's
 * no-op was the one that missed its target.
 *
 * What names the chain: the branch and the pub-N tags, which are files
 * under refs/ or lines of packed-refs; the objects they name cannot change
 * (their names are their hashes). So the chain found last time holds while
 * every one of those files is the same file with the same bytes, which is
 * what git's index assumes of a file whose stat is unchanged, with the same
 * guard against a change within the clock's tick (fs.h nb_fs_fence): a
 * chain is remembered only when every file it was read from was last
 * modified before the fence set after reading. The stamp covers all of
 * refs/ (each folder too: adding or removing a ref changes its folder) and
 * packed-refs, by device, inode, size and both times to the nanosecond;
 * git writes a ref by renaming a new file over it, so rewriting a tag, even
 * to the same size and with its old time put back, is a new inode and a
 * new change time. Anything unusual (a ref that is neither a file nor a
 * folder, a tree too deep or too large) is no stamp, and no stamp is a miss:
 * a miss reads the repository as before, and costs only time.
 *
 * What a hit skips: the check, in a build, that the commits between the
 * tags still chain (nb_audit_head). A build is no audit; `verify` reads
 * every object, and a chain whose refs are unchanged is the chain the
 * output was built from.
 *
 * Layout: magic, the program's id, the repository path and the branch
 * (each a NUL-terminated line of its own), the stamp's length (u64) and
 * bytes, the last publication (u64), the chain id (raw), then a 128-bit
 * hash of all of it (util/hash.h). Native byte order: this machine's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/hash.h"

#define REFSTAMP_MAGIC "noticeboard-publish-chain 1\n"
#define MAX_DEPTH 16
#define MAX_ENTRIES 100000

struct nb_audit_refstamp {
	nb_buf bytes;        /* per file: path, NUL, its nb_fs_stamp */
	struct timespec *mtimes;
	dev_t *devs;
	size_t n, cap;
	int failed;
};

static void put(nb_audit_refstamp *r, const char *rel, const struct stat *st)
{
	if (r->n == MAX_ENTRIES) {
		r->failed = 1;
		return;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->mtimes = realloc(r->mtimes, r->cap * sizeof(*r->mtimes));
		r->devs = realloc(r->devs, r->cap * sizeof(*r->devs));
		if (!r->mtimes || !r->devs)
			abort();
	}
	r->mtimes[r->n] = st->st_mtim;
	r->devs[r->n] = st->st_dev;
	r->n++;
	nb_fs_stamp s;
	memset(&s, 0, sizeof(s));
	nb_fs_stamp_of(&s, st);
	nb_buf_put(&r->bytes, rel, strlen(rel) + 1);
	nb_buf_put(&r->bytes, &s, sizeof(s));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Folder `rel` of the repository at `repo`, its entries in name order (the
 * stamp must not depend on readdir's). */
static void walk(nb_audit_refstamp *r, const char *repo, const char *rel, int depth)
{
	char *dir = nb_path_join(repo, rel);
	DIR *d = depth > MAX_DEPTH ? NULL : opendir(dir);
	free(dir);
	if (!d) {
		r->failed = 1;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < MAX_ENTRIES) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[n] = strdup(e->d_name);
		if (!names[n++])
			abort();
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		char *sub = nb_path_join(rel, names[i]), *path = nb_path_join(repo, sub);
		struct stat st;
		if (r->failed || stat(path, &st) != 0 ||
		    !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
			r->failed = 1;
		} else {
			put(r, sub, &st);
			if (S_ISDIR(st.st_mode))
				walk(r, repo, sub, depth + 1);
		}
		free(path);
		free(sub);
		free(names[i]);
	}
	free(names);
}

int nb_audit_refstamp_take(nb_audit_refstamp **out, const char *repo)
{
	nb_audit_refstamp *r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	nb_buf_init(&r->bytes);
	*out = NULL;
	struct stat st;
	char *refs = nb_path_join(repo, "refs"), *packed = nb_path_join(repo, "packed-refs");
	if (stat(repo, &st) == 0 && S_ISDIR(st.st_mode))
		put(r, ".", &st);
	else
		r->failed = 1;
	if (!r->failed && stat(refs, &st) == 0 && S_ISDIR(st.st_mode)) {
		put(r, "refs", &st);
		walk(r, repo, "refs", 0);
	} else {
		r->failed = 1;
	}
	/* Absent is a state too: packing the refs creates it. */
	if (stat(packed, &st) == 0 && S_ISREG(st.st_mode))
		put(r, "packed-refs", &st);
	else if (errno != ENOENT)
		r->failed = 1;
	free(refs);
	free(packed);
	if (r->failed) {
		nb_audit_refstamp_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

void nb_audit_refstamp_free(nb_audit_refstamp *r)
{
	if (!r)
		return;
	nb_buf_free(&r->bytes);
	free(r->mtimes);
	free(r->devs);
	free(r);
}

char *nb_audit_refstamp_path(const char *site_dir)
{
	return nb_path_join(site_dir, ".noticeboard-cache/publish-chain");
}

/* Everything the record holds before its last publication and chain. */
static void head(nb_buf *b, const nb_audit_refstamp *r, const char *repo, const char *branch)
{
	char prog[160];
	nb_audit_program_id(prog, sizeof(prog));
	nb_buf_puts(b, REFSTAMP_MAGIC);
	nb_buf_put(b, prog, strlen(prog) + 1);
	nb_buf_put(b, repo, strlen(repo) + 1);
	nb_buf_put(b, branch, strlen(branch) + 1);
	uint64_t len = r->bytes.len;
	nb_buf_put(b, &len, sizeof(len));
	nb_buf_put(b, r->bytes.ptr, r->bytes.len);
}

static nb_digest sum_of(const void *p, size_t n)
{
	nb_hash h;
	nb_hash_init(&h, 0x63686169ULL);
	nb_hash_bytes(&h, p, n);
	return nb_hash_final(&h);
}

int nb_audit_refstamp_recall(const nb_audit_refstamp *r, const char *path, const char *repo,
			     const char *branch, size_t *last, nb_oid *chain)
{
	char *data;
	size_t len;
	if (!r || nb_fs_read(path, 0, &data, &len) != 0)
		return 0;
	nb_buf want = NB_BUF_INIT;
	head(&want, r, repo, branch);
	const size_t tail = sizeof(uint64_t) + sizeof(nb_oid) + sizeof(nb_digest);
	int hit = 0;
	if (len == want.len + tail && !memcmp(data, want.ptr, want.len)) {
		nb_digest d;
		memcpy(&d, data + len - sizeof(d), sizeof(d));
		if (nb_digest_eq(sum_of(data, len - sizeof(d)), d)) {
			uint64_t n;
			memcpy(&n, data + want.len, sizeof(n));
			memcpy(chain, data + want.len + sizeof(n), sizeof(*chain));
			*last = (size_t)n;
			hit = n > 0;
		}
	}
	nb_buf_free(&want);
	free(data);
	return hit;
}

void nb_audit_refstamp_remember(const nb_audit_refstamp *r, const char *path, const char *repo,
				const char *branch, size_t last, const nb_oid *chain)
{
	if (!r || !last)
		return;
	/* Set after the chain was read: a ref modified within the fence's
	 * tick could change again unseen, so it is not remembered. */
	nb_fs_fence f;
	nb_fs_fence_set(&f, path);
	for (size_t i = 0; i < r->n; i++) {
		struct stat st;
		memset(&st, 0, sizeof(st));
		st.st_dev = r->devs[i];
		st.st_mtim = r->mtimes[i];
		if (!nb_fs_fence_before(&f, &st)) {
			unlink(path);  /* nor is what was remembered before */
			return;
		}
	}
	nb_buf b = NB_BUF_INIT;
	head(&b, r, repo, branch);
	uint64_t n = last;
	nb_buf_put(&b, &n, sizeof(n));
	nb_buf_put(&b, chain, sizeof(*chain));
	nb_digest d = sum_of(b.ptr, b.len);
	nb_buf_put(&b, &d, sizeof(d));
	nb_fs_replace(path, b.ptr, b.len);
	nb_buf_free(&b);
}

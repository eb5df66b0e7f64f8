/*
 * cache.c - the no-op rebuild shortcut; see cache.h for what and why.
 *
 * Walking: the site folder, depth first, each folder's entries sorted by
 * name so the hash does not depend on readdir order. A no-op build is
 * little else than this walk's stats (one per file), so folders at depth
 * three (content/<kind>/<year>) are hashed by pool tasks, each into a
 * digest of its own, and their digests fed in the walk's order: the key
 * does not depend on the number of threads or their timing.
 *
 * Skipped: the output folder itself and its previous generation (found by
 * device and inode, wherever they are), staging folders (`*.staging-*`),
 * `.noticeboard-cache`, `.git` and bare repositories (`*.git`, e.g. the
 * audit record): none of them is read by a build, and publishing writes
 * to them. Folders only, and never below content/, static/, themes/ or
 * schemas/: the loader reads a file named `plan.staging-2025.md` or a
 * folder `2024.staging-old` like any other, and skipping them left their
 * edits unpublished. A folder the output is in (`dist` of `output:
 * dist/www`) is walked, but of its own stat only what a build's swap
 * keeps counts: the swap gives it new times every build, and with them
 * the shortcut never fired. Everything else counts, even files no build
 * reads: a needless miss is a full build, never a wrong output.
 *
 * Hash: two FNV-1a 64 streams with different bases, finished with a
 * murmur-style mix, printed as 32 hex digits. Not cryptographic: it only
 * has to notice a secretary's edit, not resist an adversary who could as
 * well edit the output.
 */
#include "output/cache.h"

#include <dirent.h>
#include <dlfcn.h>
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

#include <jansson.h>
#include <openssl/crypto.h>

#include "load/yamltree.h"
#include "markdown/markdown.h"
#include "util/date.h"
#include "util/dynlib.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/pool.h"
#include "util/utf8.h"

#ifndef NB_VERSION
#define NB_VERSION "dev"
#endif

#define CACHE_DIR NB_CACHE_DIR
#define MARKER ".noticeboard-output"

/* Folders this deep (content/<kind>/<year>) are the parallel units. */
#define UNIT_DEPTH 2

/* A folder deep enough to be hashed on its own, by a pool task (see the
 * top comment): its path, its open descriptor and its digest. */
typedef struct unit {
	char *rel;
	int fd;
	uint64_t a, b;
	int failed;
	json_t *seen;
} unit;

typedef struct units {
	unit *items;
	size_t len, cap;
	const struct hasher *parent;  /* what to skip, as the planning walk does */
} units;

typedef struct hasher {
	uint64_t a, b;
	dev_t out_dev, prev_dev;
	ino_t out_ino, prev_ino;
	int have_out, have_prev;
	struct { dev_t dev; ino_t ino; } up[16];  /* the folders the output is in */
	int n_up;
	int failed;
	json_t *seen;   /* folders read, "dev:ino": a second way into one
			 * (a link cycle) ends the walk as a miss, or a
			 * few links would make it exponential */
	units *split;   /* the planning walk: folders at UNIT_DEPTH go here */
	struct stat anc[UNIT_DEPTH + 1];  /* the planning walk: the folders it is in */
} hasher;


static void feed(hasher *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h->a = (h->a ^ p[i]) * 0x100000001b3ULL;
		h->b = (h->b ^ p[i]) * 0x100000001b3ULL;
		h->b ^= h->b >> 29;
	}
}

static void feed_str(hasher *h, const char *s)
{
	feed(h, s, strlen(s) + 1);
}

static void feed_stat(hasher *h, const struct stat *st)
{
	long long v[8] = {
		(long long)st->st_size, (long long)st->st_ino, (long long)st->st_mode,
		(long long)st->st_mtim.tv_sec, (long long)st->st_mtim.tv_nsec,
		(long long)st->st_ctim.tv_sec, (long long)st->st_ctim.tv_nsec,
		(long long)st->st_dev,
	};
	feed(h, v, sizeof(v));
}

/* A folder the output folder is in (`dist` of `output: dist/www`): every
 * build's swap of the output and its previous generation gives it new
 * times and may change its size, so only what a swap keeps is fed; the
 * entries beside the output still count, each by its own stat. */
static int holds_output(const hasher *h, const struct stat *st)
{
	for (int i = 0; i < h->n_up; i++)
		if (h->up[i].dev == st->st_dev && h->up[i].ino == st->st_ino)
			return 1;
	return 0;
}

static void feed_entry_stat(hasher *h, const struct stat *st)
{
	if (!S_ISDIR(st->st_mode) || !holds_output(h, st)) {
		feed_stat(h, st);
		return;
	}
	long long v[3] = { (long long)st->st_ino, (long long)st->st_mode, (long long)st->st_dev };
	feed(h, v, sizeof(v));
}

/* A folder no build reads (see the top comment). */
/* A folder skipped by its name (`name`, reached as `rel`): never below
 * the folders the build reads, where a folder named `2024.staging-old`
 * or `project.git` is content like any other and skipping it left its
 * edits unpublished. */
static int skipped(const char *name, const char *rel)
{
	static const char *const read[] = { "content/", "static/", "themes/", "schemas/" };
	for (size_t i = 0; i < sizeof(read) / sizeof(read[0]); i++)
		if (!strncmp(rel, read[i], strlen(read[i])))
			return 0;
	size_t n = strlen(name);
	return !strcmp(name, CACHE_DIR) || !strcmp(name, ".git") ||
	       (n > 4 && !strcmp(name + n - 4, ".git")) || strstr(name, ".staging-") != NULL;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A folder for a task of its own; the walk that will hash it starts
 * knowing the folders above it and itself, so a link back up (a cycle)
 * is still a miss, and within the task a second way into any folder is
 * too, so its walk stays linear. Only those: a copy of everything the
 * planning walk saw, per unit, was quadratic (7.8 GB at 10,000 pages in
 * a published site). Takes `rel` and `fd`. */
static void add_unit(hasher *h, char *rel, int fd, const struct stat *st)
{
	json_t *seen = json_object();
	for (int i = 0; i <= UNIT_DEPTH; i++)
		nb_fs_seen(seen, &h->anc[i], "");
	nb_fs_seen(seen, st, rel);
	units *u = h->split;
	if (u->len == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 64;
		unit *n = realloc(u->items, u->cap * sizeof(*n));
		if (!n)
			abort();
		u->items = n;
	}
	u->items[u->len++] = (unit){ .rel = rel, .fd = fd, .seen = seen };
}

static void walk(hasher *h, int dfd, const char *rel, int depth);

static void unit_task(void *ud, size_t i)
{
	unit *u = &((units *)ud)->items[i];
	const hasher *p = ((units *)ud)->parent;
	hasher h = { .a = 0xcbf29ce484222325ULL, .b = 0x84222325cbf29ce4ULL,
		     .out_dev = p->out_dev, .prev_dev = p->prev_dev, .out_ino = p->out_ino,
		     .prev_ino = p->prev_ino, .have_out = p->have_out, .have_prev = p->have_prev,
		     .n_up = p->n_up, .seen = u->seen };
	memcpy(h.up, p->up, sizeof(h.up));
	walk(&h, u->fd, u->rel, UNIT_DEPTH + 1);
	u->a = h.a;
	u->b = h.b;
	u->failed = h.failed;
}

/* Walk the folder open at `dfd` (taken: closed here), `rel` its path in
 * the site. Entries are stat'ed relative to the folder's descriptor: a
 * no-op build is little else than these stats (10,000 of them at 10,000
 * documents), and resolving each file's whole path again from the site
 * root was most of their cost. stat semantics (links followed) as before. */
static void walk(hasher *h, int dfd, const char *rel, int depth)
{
	nb_buf list = NB_BUF_INIT;
	if (depth > 64 || nb_fs_listing(&list, dfd) != 0) {
		nb_buf_free(&list);
		close(dfd);
		h->failed = 1;
		return;
	}
	/* Names point into the listing, sorted so the hash does not depend
	 * on the order the file system lists them in. */
	const char **names = NULL;
	size_t n = 0, cap = 0, off = 0;
	const nb_fs_dirent *e;
	while ((e = nb_fs_listing_next(&list, &off))) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			const char **nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				abort();
			names = nn;
		}
		names[n++] = e->name;
	}
	if (n) /* an empty folder leaves names NULL, which qsort may not get */
		qsort(names, n, sizeof(*names), cmp_names);
	const int fd = dfd;
	for (size_t i = 0; i < n; i++) {
		char *r = rel[0] ? nb_path_join(rel, names[i]) : strdup(names[i]);
		struct stat st;
		if (fstatat(fd, names[i], &st, 0) != 0) {
			h->failed = 1;
		} else if (!(S_ISDIR(st.st_mode) &&
			     (skipped(names[i], r) ||
			      (h->have_out && st.st_dev == h->out_dev && st.st_ino == h->out_ino) ||
			      (h->have_prev && st.st_dev == h->prev_dev &&
			       st.st_ino == h->prev_ino)))) {
			feed_str(h, r);
			feed_entry_stat(h, &st);
			if (S_ISDIR(st.st_mode) && nb_fs_seen(h->seen, &st, r)) {
				h->failed = 1;
			} else if (S_ISDIR(st.st_mode)) {
				int sub = openat(fd, names[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				if (sub < 0) {
					h->failed = 1;
				} else if (h->split && depth == UNIT_DEPTH) {
					add_unit(h, r, sub, &st);
					r = NULL;
				} else {
					if (h->split)
						h->anc[depth + 1] = st;
					walk(h, sub, r, depth + 1);
				}
			}
		}
		free(r);
	}
	free(names);
	nb_buf_free(&list);
	close(dfd);
}

/* The output folder's real path, resolving its parent when it does not
 * exist yet (the first build). */
static void out_realpath(const char *out, char *buf, size_t n)
{
	char tmp[PATH_MAX];
	if (realpath(out, tmp)) {
		snprintf(buf, n, "%s", tmp);
		return;
	}
	char *parent = strdup(out);
	if (!parent)
		abort();
	char *slash = strrchr(parent, '/');
	const char *leaf = slash ? slash + 1 : out;
	if (slash)
		*slash = '\0';
	if (realpath(slash ? (parent[0] ? parent : "/") : ".", tmp))
		(void)!snprintf(buf, n, "%.*s/%s", (int)(n / 2), tmp, leaf);
	else
		snprintf(buf, n, "%s", out);
	free(parent);
}

/* libqrencode's version: render/notice.h answers for it, but this module
 * may not include it (config includes this one: a cycle). So the library
 * is asked as the process holds it, linked or loaded by its soname
 * (util/dynlib.h); absent, a word no version is, so a program that draws
 * QR codes and one that cannot are two programs. */
static const char *qrencode_version(void)
{
	const char *(*v)(void) = NULL;
	*(void **)&v = dlsym(RTLD_DEFAULT, "QRcode_APIVersionString");
#ifdef NB_QRENCODE_SONAME
	const nb_dynlib_sym sym = { "QRcode_APIVersionString", &v };
	char err[256];
	if (!v && nb_dynlib_load(NB_QRENCODE_SONAME, &sym, 1, err, sizeof(err)) != 0)
		v = NULL;
#endif
	const char *s = v ? v() : NULL;
	return s && s[0] ? s : "no-libqrencode";
}

/* The shared libraries too (identity.h names those that shape the
 * output): an upgraded libcmark-gfm, utf8proc or libqrencode (the
 * notices' QR codes: another version may choose another mask) renders
 * differently with the executable untouched. libgit2 only reads the
 * history, which is keyed by itself (history.h). */
void nb_cache_program(char *buf, size_t n)
{
	struct stat st;
	if (stat("/proc/self/exe", &st) != 0) {
		snprintf(buf, n, "%s", "");
		return;
	}
	int len = snprintf(buf, n, "%s %llu %llu %llu %lld.%09ld %lld.%09ld %s %s %s %s %s %s",
			   NB_VERSION, (unsigned long long)st.st_dev,
			   (unsigned long long)st.st_ino, (unsigned long long)st.st_size,
			   (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
			   (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
			   nb_markdown_library_version(), jansson_version_str(),
			   OpenSSL_version(OPENSSL_VERSION_STRING), nb_load_library_version(),
			   nb_utf8_library_version(), qrencode_version());
	/* Cut short, the last library would go unseen: no identity. */
	if (len < 0 || (size_t)len >= n)
		snprintf(buf, n, "%s", "");
}

void nb_cache_key_make(nb_cache_key *k, const char *site_dir, const char *out,
		       const char *as_of, int drafts)
{
	memset(k, 0, sizeof(*k));
	out_realpath(out, k->out_real, sizeof(k->out_real));
	hasher h = { .a = 0xcbf29ce484222325ULL, .b = 0x84222325cbf29ce4ULL };
	struct stat st;
	if (stat(out, &st) == 0) {
		h.out_dev = st.st_dev;
		h.out_ino = st.st_ino;
		h.have_out = 1;
	}
	char prev[PATH_MAX + 16];
	snprintf(prev, sizeof(prev), "%s" NB_CACHE_PREVIOUS, out);
	if (lstat(prev, &st) == 0 && S_ISDIR(st.st_mode)) {
		h.prev_dev = st.st_dev;
		h.prev_ino = st.st_ino;
		h.have_prev = 1;
	}
	/* The folders above the output, from its parent up (holds_output). */
	char up[sizeof(k->out_real)];
	snprintf(up, sizeof(up), "%s", k->out_real);
	const int up_max = (int)(sizeof(h.up) / sizeof(h.up[0]));
	char *slash;
	while (h.n_up < up_max && (slash = strrchr(up, '/'))) {
		int root = slash == up;
		slash[root] = '\0';   /* "/a" is in "/", not in "" */
		if (stat(up, &st) == 0) {
			h.up[h.n_up].dev = st.st_dev;
			h.up[h.n_up++].ino = st.st_ino;
		}
		if (root)
			break;
	}
	char today[11];
	if (!as_of) {
		nb_date_today(today);
		as_of = today;
	}
	feed_str(&h, "noticeboard-cache-v2");
	feed_str(&h, NB_VERSION);
	feed_str(&h, as_of);
	feed_str(&h, drafts ? "drafts" : "published");
	feed_str(&h, k->out_real);
	/* The program itself: the built-in theme and schemas live in it. */
	char program[256];
	nb_cache_program(program, sizeof(program));
	if (program[0])
		feed_str(&h, program);
	else
		h.failed = 1;
	h.seen = json_object();
	struct stat root;
	if (stat(site_dir, &root) == 0) {
		nb_fs_seen(h.seen, &root, "");
		h.anc[0] = root;
	}
	units split = { .parent = &h };
	h.split = &split;
	int top = open(site_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		h.failed = 1;
	else
		walk(&h, top, "", 0);
	/* The units' digests, in the walk's order, whichever thread made them. */
	nb_pool_wait(nb_pool_start(nb_pool_jobs(), split.len, unit_task, &split));
	for (size_t i = 0; i < split.len; i++) {
		unit *u = &split.items[i];
		feed_str(&h, u->rel);
		uint64_t d[2] = { u->a, u->b };
		feed(&h, d, sizeof(d));
		h.failed |= u->failed;
		json_decref(u->seen);
		free(u->rel);
	}
	free(split.items);
	json_decref(h.seen);
	if (h.failed)
		return;
	nb_digest_hex(k->hex, (nb_digest){ .hi = nb_hash_mix(h.a), .lo = nb_hash_mix(h.b ^ h.a) });
}

/* What identifies the output folder a build left: the folder's own inode
 * and change time (a swap makes a new one) and its marker's. */
static int out_identity(const char *out, char *buf, size_t n)
{
	struct stat a, b;
	char *marker = nb_path_join(out, MARKER);
	int rc = stat(out, &a) == 0 && S_ISDIR(a.st_mode) && stat(marker, &b) == 0 ? 0 : -1;
	free(marker);
	if (rc)
		return -1;
	snprintf(buf, n, "%llu %lld.%09ld %llu %lld.%09ld", (unsigned long long)a.st_ino,
		 (long long)a.st_ctim.tv_sec, a.st_ctim.tv_nsec, (unsigned long long)b.st_ino,
		 (long long)b.st_ctim.tv_sec, b.st_ctim.tv_nsec);
	return 0;
}

/* One record per output folder, so `build` and `build -o elsewhere`
 * (as the tests and `serve` do) do not evict each other. */
char *nb_cache_file(const char *site_dir, const char *kind, const char *out_real)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const char *c = out_real; *c; c++)
		h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
	char name[64];
	snprintf(name, sizeof(name), "%.16s-%016llx", kind, (unsigned long long)nb_hash_mix(h));
	char *dir = nb_path_join(site_dir, CACHE_DIR);
	char *p = nb_path_join(dir, name);
	free(dir);
	return p;
}

void nb_cache_forget(const char *site_dir, const char *out)
{
	char real[PATH_MAX];
	if (!realpath(out, real))
		return;
	static const char *const kinds[] = { "build", "memo" };
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char *path = nb_cache_file(site_dir, kinds[i], real);
		unlink(path);
		free(path);
	}
}

void nb_cache_store(const char *site_dir, const char *path, const void *data, size_t len)
{
	/* Replaced atomically (fs.h), so a killed build leaves the old record
	 * or the new one; best effort, so the result is not needed. */
	(void)site_dir;
	(void)nb_fs_replace(path, data, len);
}

int nb_cache_fresh(const nb_cache_key *k, const char *site_dir, const char *out,
		   nb_cache_counts *c)
{
	if (!k->hex[0])
		return 0;
	char id[256];
	if (out_identity(out, id, sizeof(id)) != 0)
		return 0;
	char *path = nb_cache_file(site_dir, "build", k->out_real);
	char *data = NULL;
	size_t len = 0;
	int rc = nb_fs_read(path, 1 << 16, &data, &len);
	free(path);
	if (rc != 0)
		return 0;
	/* version, key, output path, output identity, counts: one per line */
	char *want = NULL;
	size_t wn = 0;
	FILE *f = open_memstream(&want, &wn);
	if (!f)
		abort();
	fprintf(f, "noticeboard-cache 1\n%s\n%s\n%s\n", k->hex, k->out_real, id);
	fclose(f);
	int fresh = len > wn && !memcmp(data, want, wn);
	if (fresh) {
		unsigned long long v[4];
		fresh = sscanf(data + wn, "%llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]) == 4;
		if (fresh) {
			c->documents = (size_t)v[0];
			c->pages = (size_t)v[1];
			c->files = (size_t)v[2];
			c->bytes = (size_t)v[3];
		}
	}
	free(want);
	free(data);
	return fresh;
}

void nb_cache_record(const nb_cache_key *k, const char *site_dir, const char *out,
		     const nb_cache_counts *c)
{
	char id[256];
	if (!k->hex[0] || out_identity(out, id, sizeof(id)) != 0)
		return;
	char *path = nb_cache_file(site_dir, "build", k->out_real);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		abort();
	fprintf(f, "noticeboard-cache 1\n%s\n%s\n%s\n%zu %zu %zu %zu\n", k->hex, k->out_real, id,
		c->documents, c->pages, c->files, c->bytes);
	fclose(f);
	/* The old record names an output folder that was since replaced,
	 * which is a miss. */
	nb_cache_store(site_dir, path, text, len);
	free(text);
	free(path);
}

/* What a file is to hold: `len` bytes at `data`, or, when `data` is
 * NULL, the bytes of the open file `fd` (a stream's temporary, writer.h). */
typedef struct content {
	const unsigned char *data;
	int fd;
	size_t len;
} content;

/* Whether the open file `fd` holds exactly `c` (its size is known to
 * match). Compared in chunks: no copy of a large file in memory. */
static int same_bytes(int fd, const content *c)
{
	unsigned char buf[1 << 15], theirs[1 << 15];
	size_t at = 0;
	while (at < c->len) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (size_t)n > c->len - at)
			return 0;
		const unsigned char *want = theirs;
		if (c->data)
			want = c->data + at;
		else if (nb_fs_pread_all(c->fd, theirs, (size_t)n, (off_t)at) != 0)
			return 0;
		if (memcmp(buf, want, (size_t)n))
			return 0;
		at += (size_t)n;
	}
	return 1;
}

/* Whether `path` is a regular file (not followed if a link) holding
 * exactly `c`. */
static int holds(const char *path, const content *c)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	int same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == c->len &&
		   same_bytes(fd, c);
	close(fd);
	return same;
}

static int link_same(const char *prev_dir, const char *rel, const char *new_path,
		     const content *c)
{
	char *prev = nb_path_join(prev_dir, rel);
	int rc = holds(prev, c) ? nb_fs_link_into(prev, new_path) : -1;
	free(prev);
	return rc == 0 ? 0 : -1;
}

int nb_cache_link_same(const char *prev_dir, const char *rel, const char *new_path,
		       const void *data, size_t len)
{
	content c = { data ? data : "", -1, len };
	return link_same(prev_dir, rel, new_path, &c);
}

/* Make the file at `path`: write `c`'s bytes, or move its temporary
 * there (a rename, so an earlier file at `path` is replaced, never
 * written through), creating the folders when missing. */
static int make_file(const char *path, const content *c, const char *tmp)
{
	if (c->data)
		return nb_fs_write(path, c->data, c->len);
	return nb_fs_rename_into(tmp, path);
}

/* nb_cache_put and nb_cache_put_file: `tmp` is the temporary holding
 * `c`'s bytes when `c->data` is NULL. */
static int put(const char *reuse, const char *dir, int in_place, const char *rel,
	       const content *c, const char *tmp, int *unchanged)
{
	char *path = nb_path_join(dir, rel);
	int rc = 0;
	*unchanged = 0;
	if (in_place) {
		if (holds(path, c)) {
			*unchanged = 1;
			goto done;
		}
		if (unlink(path) != 0 && errno != ENOENT)
			nb_fs_clear_way(dir, path);
	}
	if (reuse && link_same(reuse, rel, path, c) == 0) {
		*unchanged = 1;
		goto done;
	}
	rc = make_file(path, c, tmp);
	if (rc != 0 && in_place && (errno == ENOTDIR || errno == EISDIR || errno == EEXIST)) {
		/* The earlier tree had a file where this path needs a folder. */
		nb_fs_clear_way(dir, path);
		rc = make_file(path, c, tmp);
	}
done:
	free(path);
	return rc;
}

int nb_cache_put(const char *reuse, const char *dir, int in_place, const char *rel,
		 const void *data, size_t len, int *unchanged)
{
	content c = { data ? data : "", -1, len };
	return put(reuse, dir, in_place, rel, &c, NULL, unchanged);
}

int nb_cache_put_file(const char *reuse, const char *dir, int in_place, const char *rel,
		      int fd, const char *tmp, size_t len, int *unchanged)
{
	content c = { NULL, fd, len };
	int rc = put(reuse, dir, in_place, rel, &c, tmp, unchanged);
	/* Not moved into place: not needed, or the move failed. Only then,
	 * since once moved its name may be another temporary's. */
	if (rc != 0 || *unchanged) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	return rc;
}

/* The same file as recorded: nothing that changes a file's bytes keeps
 * its inode's change time (memo.h explains why the time is trusted). */
int nb_cache_live_is(const char *live, const char *rel, const nb_fs_stamp *want)
{
	char *from = nb_path_join(live, rel);
	struct stat st;
	nb_fs_stamp now;
	int is = lstat(from, &st) == 0 && S_ISREG(st.st_mode) &&
		 (nb_fs_stamp_of(&now, &st), nb_fs_stamp_same(&now, want));
	free(from);
	return is;
}

int nb_cache_put_live(const char *live, const char *dir, int in_place, const char *rel,
		      const nb_fs_stamp *want)
{
	if (!nb_cache_live_is(live, rel, want))
		return -1;
	char *from = nb_path_join(live, rel);
	char *path = nb_path_join(dir, rel);
	struct stat at;
	int rc = -1;
	if (in_place) {
		/* The live file is `want`'s inode (nb_cache_live_is). */
		if (lstat(path, &at) == 0 && (uint64_t)at.st_dev == want->dev && (uint64_t)at.st_ino == want->ino) {
			rc = 0;
			goto done;
		}
		if (unlink(path) != 0 && errno != ENOENT)
			nb_fs_clear_way(dir, path);
	}
	rc = nb_fs_link_into(from, path);
	if (rc != 0 && in_place && (errno == ENOTDIR || errno == EEXIST)) {
		nb_fs_clear_way(dir, path);
		rc = nb_fs_link_into(from, path);
	}
done:
	free(path);
	free(from);
	return rc;
}

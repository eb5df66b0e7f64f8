/*
 * audit.c - the publication record in a bare git repository; see audit.h.
 *
 * Why it is built this way:
 *
 * - Crash safety comes from ordering. Objects (blobs, trees, the commit)
 *   are written first; a process killed among them leaves only unreferenced
 *   objects, which `git fsck` reports as dangling, not as errors. The branch
 *   then moves in one atomic ref update that also checks the old value
 *   (git_reference_create_matching), and only after that is `pub-N` tagged.
 *   A kill between those two leaves the branch one commit ahead of the last
 *   tag; the next publish, holding the lock, recognises that state (the
 *   tip's parent is the last tagged publication and its message says it is
 *   publication N+1) and adds the missing tag instead of refusing.
 *
 * - Cost grows with what changed: every file is hashed (git_odb_hash, the
 *   same id git computes) and written only when the object database lacks
 *   it; trees of unchanged folders hash to the ids they already have, and
 *   writing an existing object only freshens it. No timestamps or sizes are
 *   trusted, so the result is deterministic.
 *
 * - The lock is a flock on <repo>/noticeboard.lock rather than an O_EXCL
 *   file: the kernel releases it when the holder dies, so a `kill -9` can
 *   never leave the repository locked, and the file still names the pid of
 *   the holder for the error message.
 *
 * - History is never rewritten: refs are only created or fast-forwarded
 *   with an expected old value, tags are created without force.
 */
#include "audit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "frontmatter.h"
#include "fs.h"
#include "yamltree.h"

static void set_err(nb_audit *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_err(nb_audit *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
}

/* Append libgit2's last error to a message. */
static int git_fail(nb_audit *a, const char *what)
{
	const git_error *e = git_error_last();
	set_err(a, "%s: %s", what, e && e->message ? e->message : "unknown error");
	return -1;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

/* ---- file lists ---------------------------------------------------------- */

static void files_push(nb_audit_files *f, const char *path, const git_oid *id)
{
	if (f->len == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->items = realloc(f->items, f->cap * sizeof(*f->items));
		if (!f->items)
			abort();
	}
	f->items[f->len].path = xstrdup(path);
	f->items[f->len].id = *id;
	f->len++;
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

/* ---- open, close --------------------------------------------------------- */

static int is_inside(const char *child, const char *parent)
{
	size_t n = strlen(parent);
	return strncmp(child, parent, n) == 0 && (child[n] == '/' || child[n] == '\0');
}

/* realpath of a path that may not exist yet: resolve the longest existing
 * prefix and append the rest (malloc'd). */
static char *resolve(const char *p)
{
	char *tmp = xstrdup(p);
	nb_buf rest = NB_BUF_INIT;
	char *r;
	for (;;) {
		r = realpath(tmp[0] ? tmp : ".", NULL);
		if (r)
			break;
		char *slash = strrchr(tmp, '/');
		nb_buf nr = NB_BUF_INIT;
		nb_buf_printf(&nr, "/%s%s", slash ? slash + 1 : tmp, nb_buf_cstr(&rest));
		nb_buf_free(&rest);
		rest = nr;
		if (!slash) {
			tmp[0] = '\0';
		} else if (slash == tmp) {
			r = xstrdup("");
			break;
		} else {
			*slash = '\0';
		}
	}
	nb_buf out = NB_BUF_INIT;
	nb_buf_printf(&out, "%s%s", r, nb_buf_cstr(&rest));
	free(r);
	free(tmp);
	nb_buf_free(&rest);
	return nb_buf_detach(&out);
}

int nb_audit_open(nb_audit *a, const nb_config *cfg, int create)
{
	memset(a, 0, sizeof(*a));
	a->lock_fd = -1;
	a->cfg = cfg;
	git_libgit2_init();
	a->path = xstrdup(cfg->audit_repo);
	size_t n = strlen(cfg->audit_branch) + 16;
	a->refname = malloc(n);
	if (!a->refname)
		abort();
	snprintf(a->refname, n, "refs/heads/%s", cfg->audit_branch);
	if (!git_reference_is_valid_name(a->refname)) {
		set_err(a, "audit.branch `%s` is not a valid git branch name", cfg->audit_branch);
		return -1;
	}
	/* A repository in the served folder would publish the whole history
	 * (and a .git there is exactly what the issue forbids). */
	char *repo_real = resolve(a->path), *out_real = resolve(cfg->output_path);
	int inside = is_inside(repo_real, out_real) || is_inside(out_real, repo_real);
	free(repo_real);
	free(out_real);
	if (inside) {
		set_err(a, "the audit repository %s is inside the served folder %s; "
			"set audit.repository in site.yaml to a folder outside it",
			a->path, cfg->output_path);
		return -1;
	}
	int rc = git_repository_open_ext(&a->repo, a->path,
					 GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE,
					 NULL);
	if (rc == GIT_ENOTFOUND && create) {
		git_repository_init_options io;
		git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		io.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
		io.initial_head = cfg->audit_branch;
		io.description = "noticeboard publications: one commit per publication, tagged pub-N";
		rc = git_repository_init_ext(&a->repo, a->path, &io);
		if (rc < 0)
			return git_fail(a, "cannot create the audit repository");
	} else if (rc == GIT_ENOTFOUND) {
		set_err(a, "no audit repository at %s; run `noticeboard publish` first", a->path);
		return GIT_ENOTFOUND;
	} else if (rc < 0) {
		return git_fail(a, "cannot open the audit repository");
	}
	if (git_repository_odb(&a->odb, a->repo) < 0)
		return git_fail(a, "cannot open the object database");
	return 0;
}

void nb_audit_close(nb_audit *a)
{
	nb_audit_unlock(a);
	git_odb_free(a->odb);
	git_repository_free(a->repo);
	free(a->path);
	free(a->refname);
	a->odb = NULL;
	a->repo = NULL;
	a->path = a->refname = NULL;
	git_libgit2_shutdown();
}

int nb_audit_open_site(nb_audit *a, nb_config *cfg, const char *site_dir,
		       const char *cmd)
{
	nb_diag d;
	nb_diag_init(&d);
	if (nb_config_load(cfg, site_dir, &d) != 0) {
		nb_diag_sort(&d);
		nb_diag_print(&d, stderr, 0);
		nb_diag_free(&d);
		nb_config_free(cfg);
		return 1;  /* NB_EXIT_CONTENT */
	}
	nb_diag_free(&d);
	int rc = nb_audit_open(a, cfg, 0);
	if (rc != 0) {
		fprintf(stderr, "noticeboard %s: %s\n", cmd, a->err);
		nb_audit_close(a);
		nb_config_free(cfg);
		return 3;  /* NB_EXIT_IO */
	}
	return 0;
}

/* ---- lock ---------------------------------------------------------------- */

int nb_audit_lock(nb_audit *a, int wait_secs)
{
	char *lp = nb_path_join(a->path, "noticeboard.lock");
	int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		set_err(a, "cannot open the lock %s: %s", lp, strerror(errno));
		free(lp);
		return -1;
	}
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (errno != EWOULDBLOCK || now.tv_sec - t0.tv_sec >= wait_secs) {
			char pid[32] = "";
			ssize_t r = pread(fd, pid, sizeof(pid) - 1, 0);
			pid[r > 0 ? r : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			set_err(a, "another publish (pid %s) holds the lock %s; "
				"wait for it to finish, or use --wait SECONDS",
				pid[0] ? pid : "unknown", lp);
			close(fd);
			free(lp);
			return -1;
		}
		usleep(100 * 1000);
	}
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* The lock holds anyway; the pid is only for messages. */
	}
	a->lock_fd = fd;
	/*
	 * Under our lock no other noticeboard writes the repository, so git
	 * lock files for our refs can only be left by a killed publish; they
	 * would block every later ref update.
	 */
	size_t sn = strlen(a->refname) + 8;
	char *stale = malloc(sn);
	if (!stale)
		abort();
	snprintf(stale, sn, "%s.lock", a->refname);
	char *sp = nb_path_join(a->path, stale);
	unlink(sp);
	free(sp);
	free(stale);
	char *pr = nb_path_join(a->path, "packed-refs.lock");
	unlink(pr);
	free(pr);
	free(lp);
	return 0;
}

void nb_audit_unlock(nb_audit *a)
{
	if (a->lock_fd >= 0) {
		/* Leave the file (removing it would race with a waiter that has
		 * it open); clear the pid so nobody is named as holder. */
		if (ftruncate(a->lock_fd, 0) != 0) {
			/* harmless */
		}
		flock(a->lock_fd, LOCK_UN);
		close(a->lock_fd);
		a->lock_fd = -1;
	}
}

/* ---- the chain of publications ------------------------------------------ */

size_t nb_audit_parse_pub(const char *s)
{
	if (!strncmp(s, "pub-", 4))
		s += 4;
	if (!*s)
		return 0;
	size_t n = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > 100000000)
			return 0;
		n = n * 10 + (size_t)(*s - '0');
	}
	return n;
}

static int tag_target(nb_audit *a, size_t n, git_oid *out)
{
	char name[64];
	snprintf(name, sizeof(name), "refs/tags/pub-%zu", n);
	git_reference *ref = NULL;
	int rc = git_reference_lookup(&ref, a->repo, name);
	if (rc < 0)
		return rc;
	git_object *obj = NULL;
	rc = git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT);
	git_reference_free(ref);
	if (rc < 0)
		return rc;
	git_oid_cpy(out, git_object_id(obj));
	git_object_free(obj);
	return 0;
}

int nb_audit_pub_commit(nb_audit *a, size_t n, git_commit **out)
{
	git_oid id;
	if (n == 0 || tag_target(a, n, &id) < 0) {
		set_err(a, "no publication %zu (no tag pub-%zu in %s)", n, n, a->path);
		return -1;
	}
	if (git_commit_lookup(out, a->repo, &id) < 0)
		return git_fail(a, "cannot read a publication");
	return 0;
}

int nb_audit_pub_load(nb_audit *a, size_t n, git_commit **c, json_t **manifest)
{
	*c = NULL;
	*manifest = NULL;
	if (nb_audit_pub_commit(a, n, c) == 0 && nb_audit_manifest(a, *c, manifest) == 0)
		return 0;
	git_commit_free(*c);
	*c = NULL;
	return -1;
}

/* The number a commit message says it is: "Publication N: ...". */
static size_t message_number(const git_commit *c)
{
	const char *m = git_commit_message(c);
	if (strncmp(m, "Publication ", 12))
		return 0;
	return (size_t)strtoul(m + 12, NULL, 10);
}

static int create_tag(nb_audit *a, size_t n, const git_oid *commit)
{
	char name[64], msg[128];
	snprintf(name, sizeof(name), "pub-%zu", n);
	snprintf(msg, sizeof(msg), "Publication %zu\n", n);
	git_object *obj = NULL;
	if (git_object_lookup(&obj, a->repo, commit, GIT_OBJECT_COMMIT) < 0)
		return git_fail(a, "cannot read the new publication");
	git_commit *c = (git_commit *)obj;
	/* The tagger is the publisher: the tag adds no new claim. */
	const git_signature *who = git_commit_committer(c);
	char lockp[128];
	snprintf(lockp, sizeof(lockp), "refs/tags/%s.lock", name);
	char *lp = nb_path_join(a->path, lockp);
	unlink(lp);  /* only a killed publish leaves one; we hold our lock */
	free(lp);
	git_oid tag;
	int rc = git_tag_create(&tag, a->repo, name, obj, who, msg, 0);
	git_object_free(obj);
	if (rc < 0)
		return git_fail(a, "cannot tag the publication");
	return 0;
}

int nb_audit_head(nb_audit *a, int repair, size_t *last, git_oid *tip)
{
	*last = 0;
	memset(tip, 0, sizeof(*tip));
	/* Highest N with a tag pub-N. */
	git_strarray tags = { 0 };
	if (git_tag_list_match(&tags, "pub-*", a->repo) < 0)
		return git_fail(a, "cannot list tags");
	size_t max = 0;
	for (size_t i = 0; i < tags.count; i++) {
		size_t n = nb_audit_parse_pub(tags.strings[i]);
		if (n > max)
			max = n;
	}
	git_strarray_dispose(&tags);
	*last = max;  /* even when the checks below fail: verify reports and goes on */

	git_oid branch;
	int have_branch = git_reference_name_to_id(&branch, a->repo, a->refname) == 0;
	if (!have_branch) {
		if (max) {
			set_err(a, "the branch %s is missing but publications up to pub-%zu "
				"exist: the history was removed by someone else; refusing to publish",
				a->refname + 11, max);
			return -1;
		}
		return 0;
	}
	if (!max) {
		/* A branch but no tag: the first publish was killed before its tag. */
		git_commit *c = NULL;
		if (git_commit_lookup(&c, a->repo, &branch) < 0)
			return git_fail(a, "cannot read the branch");
		int first = git_commit_parentcount(c) == 0 && message_number(c) == 1;
		git_commit_free(c);
		if (!first || !repair) {
			set_err(a, "the branch %s has commits but no pub-N tags; it was not "
				"written by noticeboard", a->refname + 11);
			return -1;
		}
		if (create_tag(a, 1, &branch) < 0)
			return -1;
		max = 1;
		*last = 1;
	}
	git_oid last_id;
	if (tag_target(a, max, &last_id) < 0)
		return git_fail(a, "cannot read the last publication's tag");
	if (!git_oid_equal(&last_id, &branch)) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, a->repo, &branch) < 0)
			return git_fail(a, "cannot read the branch");
		int interrupted = git_commit_parentcount(c) == 1 &&
			git_oid_equal(git_commit_parent_id(c, 0), &last_id) &&
			message_number(c) == max + 1;
		git_commit_free(c);
		if (interrupted && repair) {
			if (create_tag(a, max + 1, &branch) < 0)
				return -1;
			max++;
			*last = max;
			last_id = branch;
		} else if (!interrupted) {
			set_err(a, "the branch %s is not at pub-%zu: its history was rewritten "
				"or extended by someone else; noticeboard never rewrites history and "
				"refuses to publish onto it (restore the branch to pub-%zu)",
				a->refname + 11, max, max);
			return -1;
		}
	}
	/* Every pub-N must be an ancestor of pub-N+1: the chain is unbroken. */
	git_oid next = last_id;
	for (size_t n = max; n > 1; n--) {
		git_oid prev;
		if (tag_target(a, n - 1, &prev) < 0) {
			set_err(a, "publication pub-%zu is missing: the chain is broken", n - 1);
			return -1;
		}
		if (git_graph_descendant_of(a->repo, &next, &prev) != 1) {
			set_err(a, "pub-%zu is not an ancestor of pub-%zu: the history was rewritten",
				n - 1, n);
			return -1;
		}
		next = prev;
	}
	*last = max;
	*tip = last_id;
	return 0;
}

/* ---- hashing and trees --------------------------------------------------- */

int nb_audit_write_blob(nb_audit *a, const void *data, size_t len, git_oid *out)
{
	if (git_odb_hash(out, data, len, GIT_OBJECT_BLOB) < 0)
		return git_fail(a, "cannot hash");
	if (git_odb_exists(a->odb, out))
		return 0;
	if (git_odb_write(out, a->odb, data, len, GIT_OBJECT_BLOB) < 0)
		return git_fail(a, "cannot write an object");
	return 0;
}

static int hash_file(nb_audit *a, const char *full, int write, git_oid *out)
{
	char *data;
	size_t len;
	if (nb_fs_read(full, 0, &data, &len) != 0) {
		set_err(a, "cannot read %s: %s", full, strerror(errno));
		return -1;
	}
	int rc;
	if (write)
		rc = nb_audit_write_blob(a, data, len, out);
	else
		rc = git_odb_hash(out, data, len, GIT_OBJECT_BLOB) < 0 ? git_fail(a, "cannot hash") : 0;
	free(data);
	return rc;
}

static int walk_dir(nb_audit *a, const char *root, const char *rel, int dotfiles,
		    nb_strlist *out)
{
	char *dir = rel[0] ? nb_path_join(root, rel) : xstrdup(root);
	DIR *d = opendir(dir);
	if (!d) {
		set_err(a, "cannot read the folder %s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_name[0] == '.' && !dotfiles)
			continue;
		char *r = rel[0] ? nb_path_join(rel, e->d_name) : xstrdup(e->d_name);
		char *full = nb_path_join(root, r);
		struct stat st;
		if (stat(full, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = walk_dir(a, root, r, dotfiles, out);
			else if (S_ISREG(st.st_mode))
				nb_strlist_push(out, r);
		}
		free(full);
		free(r);
	}
	closedir(d);
	free(dir);
	return rc;
}

/* One remembered blob id (nb_audit_hash_dir_cached), sorted by dev, ino. */
typedef struct oid_rec {
	unsigned long long dev, ino, size;
	long long sec, nsec;
	git_oid id;
} oid_rec;

typedef struct oid_recs {
	oid_rec *items;
	size_t len, cap;
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

static int cmp_rec(const void *x, const void *y)
{
	const oid_rec *a = x, *b = y;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return 0;
}

/* Lines "dev ino size sec nsec hex"; anything malformed ends the read. */
static void recs_load(const char *path, oid_recs *r)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char hex[GIT_OID_HEXSZ + 2];
	oid_rec e;
	while (fscanf(f, "%llu %llu %llu %lld %lld %41s", &e.dev, &e.ino, &e.size, &e.sec,
		      &e.nsec, hex) == 6) {
		if (strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstr(&e.id, hex) < 0)
			break;
		recs_push(r, &e);
	}
	fclose(f);
	if (r->len > 1)
		qsort(r->items, r->len, sizeof(*r->items), cmp_rec);
}

static void recs_save(const char *path, const oid_recs *r)
{
	nb_buf b = NB_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	for (size_t i = 0; i < r->len; i++) {
		const oid_rec *e = &r->items[i];
		git_oid_tostr(hex, sizeof(hex), &e->id);
		nb_buf_printf(&b, "%llu %llu %llu %lld %lld %s\n", e->dev, e->ino, e->size, e->sec,
			      e->nsec, hex);
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

int nb_audit_hash_dir(nb_audit *a, const char *dir, const char *prefix,
		      int dotfiles, int write, nb_audit_files *out)
{
	return nb_audit_hash_dir_cached(a, dir, prefix, dotfiles, write, out, NULL);
}

int nb_audit_hash_dir_cached(nb_audit *a, const char *dir, const char *prefix,
			     int dotfiles, int write, nb_audit_files *out, const char *cache)
{
	nb_strlist files = { 0 };
	if (walk_dir(a, dir, "", dotfiles, &files) != 0) {
		nb_strlist_free(&files);
		return -1;
	}
	oid_recs old = { 0 }, now = { 0 };
	if (cache)
		recs_load(cache, &old);
	const long long fresh = (long long)time(NULL) - 2;
	int rc = 0;
	for (size_t i = 0; i < files.len && rc == 0; i++) {
		char *full = nb_path_join(dir, files.items[i]);
		git_oid id;
		struct stat st;
		int known = 0, have_st = cache && stat(full, &st) == 0;
		oid_rec key = { 0 };
		if (have_st) {
			key.dev = (unsigned long long)st.st_dev;
			key.ino = (unsigned long long)st.st_ino;
			key.size = (unsigned long long)st.st_size;
			key.sec = (long long)st.st_mtim.tv_sec;
			key.nsec = (long long)st.st_mtim.tv_nsec;
			const oid_rec *hit = old.len ? bsearch(&key, old.items, old.len,
							       sizeof(*old.items), cmp_rec) : NULL;
			if (hit && hit->size == key.size && hit->sec == key.sec &&
			    hit->nsec == key.nsec && (!write || git_odb_exists(a->odb, &hit->id))) {
				git_oid_cpy(&id, &hit->id);
				known = 1;
			}
		}
		if (!known)
			rc = hash_file(a, full, write, &id);
		if (rc == 0) {
			if (have_st && key.sec < fresh) {
				git_oid_cpy(&key.id, &id);
				recs_push(&now, &key);
			}
			char *p = prefix && prefix[0] ? nb_path_join(prefix, files.items[i])
						      : xstrdup(files.items[i]);
			files_push(out, p, &id);
			free(p);
		}
		free(full);
	}
	if (cache && rc == 0)
		recs_save(cache, &now);
	free(old.items);
	free(now.items);
	nb_strlist_free(&files);
	return rc;
}

/* "content/meetings/2024/x.md" -> "meetings/2024/x" unless front matter
 * says `id`; the same rule as content.c (kind folder dropped). */
static char *doc_id(const char *path, json_t *meta)
{
	json_t *id = meta ? json_object_get(meta, "id") : NULL;
	if (id && json_is_string(id))
		return xstrdup(json_string_value(id));
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

int nb_audit_hash_sources(nb_audit *a, const nb_config *cfg, int write,
			  nb_audit_files *out, json_t *docs)
{
	const char *site = cfg->site_dir;
	char *yaml = nb_path_join(site, "site.yaml");
	git_oid id;
	int rc = hash_file(a, yaml, write, &id);
	free(yaml);
	if (rc)
		return rc;
	files_push(out, "site/site.yaml", &id);

	/* content/: the same files the build reads (nb_fs_walk), drafts never. */
	char *content = nb_path_join(site, "content");
	nb_strlist files = { 0 };
	if (nb_fs_is_dir(content) && nb_fs_walk(content, &files, NULL) != 0) {
		set_err(a, "cannot read %s: %s", content, strerror(errno));
		rc = -1;
	}
	for (size_t i = 0; i < files.len && rc == 0; i++) {
		const char *f = files.items[i];
		char *full = nb_path_join(content, f);
		char *data;
		size_t len;
		if (nb_fs_read(full, 0, &data, &len) != 0) {
			set_err(a, "cannot read %s: %s", full, strerror(errno));
			free(full);
			rc = -1;
			break;
		}
		free(full);
		char *rel = nb_path_join("content", f);
		size_t fl = strlen(f);
		int is_md = fl > 3 && !strcmp(f + fl - 3, ".md");
		json_t *meta = NULL;
		if (is_md) {
			nb_diag d;
			nb_diag_init(&d);
			nb_frontmatter fm;
			if (nb_frontmatter_split(&fm, data, len, rel, &d) == 0 && fm.has_yaml)
				nb_yaml_load(&meta, NULL, fm.yaml, fm.yaml_len, rel, fm.yaml_line,
					     1, &cfg->yaml_limits, &d);
			nb_diag_free(&d);
		}
		json_t *dr = meta ? json_object_get(meta, "draft") : NULL;
		if (!(dr && json_is_true(dr))) {
			if (write)
				rc = nb_audit_write_blob(a, data, len, &id);
			else if (git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) < 0)
				rc = git_fail(a, "cannot hash");
			if (rc == 0) {
				char *sp = nb_path_join("site", rel);
				files_push(out, sp, &id);
				free(sp);
				if (is_md && docs) {
					char hex[GIT_OID_HEXSZ + 1];
					git_oid_tostr(hex, sizeof(hex), &id);
					char *did = doc_id(rel, meta);
					json_object_set_new(docs, rel,
						json_pack("{s:s, s:s}", "id", did, "hash", hex));
					free(did);
				}
			}
		}
		json_decref(meta);
		free(rel);
		free(data);
	}
	nb_strlist_free(&files);
	free(content);
	static const char *const extra[] = { "themes", "static" };
	for (size_t i = 0; i < 2 && rc == 0; i++) {
		char *dir = nb_path_join(site, extra[i]);
		if (nb_fs_is_dir(dir)) {
			char *pre = nb_path_join("site", extra[i]);
			rc = nb_audit_hash_dir(a, dir, pre, 0, write, out);
			free(pre);
		}
		free(dir);
	}
	return rc;
}

/* Build the tree for items[lo..hi) whose paths share `skip` leading bytes
 * (the folder prefix). Folders come out as contiguous runs because a
 * bytewise sort keeps "a/..." together. */
static int write_tree_range(nb_audit *a, const nb_audit_files *f, size_t lo,
			    size_t hi, size_t skip, git_oid *out)
{
	git_treebuilder *tb = NULL;
	if (git_treebuilder_new(&tb, a->repo, NULL) < 0)
		return git_fail(a, "cannot build a tree");
	int rc = 0;
	size_t i = lo;
	while (i < hi && rc == 0) {
		const char *p = f->items[i].path + skip;
		const char *slash = strchr(p, '/');
		if (!slash) {
			if (git_treebuilder_insert(NULL, tb, p, &f->items[i].id,
						   GIT_FILEMODE_BLOB) < 0)
				rc = git_fail(a, "cannot add a file to a tree");
			i++;
			continue;
		}
		size_t nlen = (size_t)(slash - p);
		size_t j = i + 1;
		while (j < hi && !strncmp(f->items[j].path + skip, p, nlen + 1))
			j++;
		git_oid sub;
		rc = write_tree_range(a, f, i, j, skip + nlen + 1, &sub);
		if (rc == 0) {
			char name[NAME_MAX + 1];
			snprintf(name, sizeof(name), "%.*s", (int)nlen, p);
			if (git_treebuilder_insert(NULL, tb, name, &sub, GIT_FILEMODE_TREE) < 0)
				rc = git_fail(a, "cannot add a folder to a tree");
		}
		i = j;
	}
	if (rc == 0 && git_treebuilder_write(out, tb) < 0)
		rc = git_fail(a, "cannot write a tree");
	git_treebuilder_free(tb);
	return rc;
}

int nb_audit_write_tree(nb_audit *a, const nb_audit_files *files, git_oid *out)
{
	return write_tree_range(a, files, 0, files->len, 0, out);
}

typedef struct walk_ctx {
	nb_audit_files *out;
} walk_ctx;

static int tree_walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	walk_ctx *w = payload;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	char *p = nb_path_join(root, git_tree_entry_name(e));
	files_push(w->out, p, git_tree_entry_id(e));
	free(p);
	return 0;
}

int nb_audit_tree_files(nb_audit *a, const git_tree *tree, const char *subdir,
			nb_audit_files *out)
{
	git_tree *sub = NULL;
	const git_tree *t = tree;
	if (subdir && subdir[0]) {
		git_tree_entry *e = NULL;
		if (git_tree_entry_bypath(&e, tree, subdir) < 0) {
			set_err(a, "the publication has no %s/", subdir);
			return -1;
		}
		int rc = git_tree_lookup(&sub, a->repo, git_tree_entry_id(e));
		git_tree_entry_free(e);
		if (rc < 0)
			return git_fail(a, "cannot read a tree");
		t = sub;
	}
	walk_ctx w = { out };
	int rc = git_tree_walk(t, GIT_TREEWALK_PRE, tree_walk_cb, &w);
	git_tree_free(sub);
	if (rc < 0)
		return git_fail(a, "cannot walk a tree");
	nb_audit_files_sort(out);
	return 0;
}

int nb_audit_read_blob(nb_audit *a, const git_oid *id, char **data, size_t *len)
{
	git_blob *b = NULL;
	if (git_blob_lookup(&b, a->repo, id) < 0)
		return git_fail(a, "cannot read an object");
	size_t n = (size_t)git_blob_rawsize(b);
	*data = malloc(n + 1);
	if (!*data)
		abort();
	memcpy(*data, git_blob_rawcontent(b), n);
	(*data)[n] = '\0';
	*len = n;
	git_blob_free(b);
	return 0;
}

int nb_audit_read_path(nb_audit *a, const git_commit *c, const char *path,
		       char **data, size_t *len)
{
	git_tree *t = NULL;
	if (git_commit_tree(&t, c) < 0)
		return git_fail(a, "cannot read a publication's tree");
	git_tree_entry *e = NULL;
	int rc = git_tree_entry_bypath(&e, t, path);
	git_tree_free(t);
	if (rc < 0) {
		set_err(a, "the publication has no %s", path);
		return GIT_ENOTFOUND;
	}
	rc = nb_audit_read_blob(a, git_tree_entry_id(e), data, len);
	git_tree_entry_free(e);
	return rc;
}

int nb_audit_manifest(nb_audit *a, const git_commit *c, json_t **out)
{
	char *data;
	size_t len;
	int rc = nb_audit_read_path(a, c, "manifest.json", &data, &len);
	if (rc)
		return rc;
	json_error_t je;
	*out = json_loadb(data, len, 0, &je);
	free(data);
	if (!*out) {
		set_err(a, "manifest.json is not valid JSON: %s", je.text);
		return -1;
	}
	return 0;
}

/* ---- running ssh-keygen -------------------------------------------------- */

/* Run argv with stdin from `in` (or /dev/null), capturing stdout into
 * `out` and stderr into `err` (both optional). Returns the exit status or
 * -1. */
static int run(char *const argv[], const char *in, nb_buf *out, nb_buf *err)
{
	int po[2], pe[2];
	if (pipe(po) != 0)
		return -1;
	if (pipe(pe) != 0) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(in ? in : "/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	/* Small outputs: read stdout then stderr (ssh-keygen writes little). */
	char buf[4096];
	ssize_t n;
	while ((n = read(po[0], buf, sizeof(buf))) > 0)
		if (out)
			nb_buf_put(out, buf, (size_t)n);
	while ((n = read(pe[0], buf, sizeof(buf))) > 0)
		if (err)
			nb_buf_put(err, buf, (size_t)n);
	close(po[0]);
	close(pe[0]);
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *temp_dir(void)
{
	const char *t = getenv("TMPDIR");
	char *p = nb_path_join(t && t[0] ? t : "/tmp", "noticeboard-sig.XXXXXX");
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

static int ssh_sign(nb_audit *a, const char *key, const char *payload, nb_buf *sig)
{
	char *dir = temp_dir();
	if (!dir) {
		set_err(a, "cannot create a temporary folder: %s", strerror(errno));
		return -1;
	}
	char *file = nb_path_join(dir, "commit");
	char *sigf = nb_path_join(dir, "commit.sig");
	int rc = -1;
	if (nb_fs_write(file, payload, strlen(payload)) != 0) {
		set_err(a, "cannot write %s: %s", file, strerror(errno));
	} else {
		char *argv[] = { "ssh-keygen", "-Y", "sign", "-n", "git", "-f",
				 (char *)key, file, NULL };
		nb_buf err = NB_BUF_INIT;
		int st = run(argv, NULL, NULL, &err);
		char *data;
		size_t len;
		if (st != 0) {
			set_err(a, "ssh-keygen could not sign with %s: %s", key,
				err.len ? nb_buf_cstr(&err) : "failed to run");
		} else if (nb_fs_read(sigf, 0, &data, &len) != 0) {
			set_err(a, "ssh-keygen wrote no signature");
		} else {
			nb_buf_put(sig, data, len);
			free(data);
			rc = 0;
		}
		nb_buf_free(&err);
	}
	unlink(file);
	unlink(sigf);
	rmdir(dir);
	free(file);
	free(sigf);
	free(dir);
	return rc;
}

int nb_audit_verify_signature(nb_audit *a, const git_oid *commit,
			      const char *allowed_signers, char *who, size_t who_size)
{
	git_buf sig = GIT_BUF_INIT, data = GIT_BUF_INIT;
	int rc = git_commit_extract_signature(&sig, &data, a->repo, (git_oid *)commit, NULL);
	if (rc == GIT_ENOTFOUND) {
		set_err(a, "not signed");
		return GIT_ENOTFOUND;
	}
	if (rc < 0)
		return git_fail(a, "cannot read the signature");
	rc = -1;
	char *dir = temp_dir();
	if (!dir) {
		set_err(a, "cannot create a temporary folder");
		git_buf_dispose(&sig);
		git_buf_dispose(&data);
		return -1;
	}
	char *pf = nb_path_join(dir, "payload");
	char *sf = nb_path_join(dir, "payload.sig");
	if (nb_fs_write(pf, data.ptr, data.size) == 0 && nb_fs_write(sf, sig.ptr, sig.size) == 0) {
		nb_buf out = NB_BUF_INIT, err = NB_BUF_INIT;
		char *fp[] = { "ssh-keygen", "-Y", "find-principals", "-f",
			       (char *)allowed_signers, "-s", sf, NULL };
		if (run(fp, NULL, &out, &err) != 0 || !out.len) {
			set_err(a, "signed by a key not in %s", allowed_signers);
		} else {
			char *principal = xstrdup(nb_buf_cstr(&out));
			principal[strcspn(principal, "\n")] = '\0';
			char *vf[] = { "ssh-keygen", "-Y", "verify", "-f",
				       (char *)allowed_signers, "-I", principal, "-n", "git",
				       "-s", sf, NULL };
			nb_buf_clear(&err);
			if (run(vf, pf, NULL, &err) == 0) {
				snprintf(who, who_size, "%s", principal);
				rc = 0;
			} else {
				set_err(a, "bad signature: %s", nb_buf_cstr(&err));
			}
			free(principal);
		}
		nb_buf_free(&out);
		nb_buf_free(&err);
	} else {
		set_err(a, "cannot write temporary files in %s", dir);
	}
	unlink(pf);
	unlink(sf);
	rmdir(dir);
	free(pf);
	free(sf);
	free(dir);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	return rc;
}

/* ---- committing ---------------------------------------------------------- */

int nb_audit_commit(nb_audit *a, const git_oid *tree_id, const git_oid *parent_id,
		    size_t n, const char *message, const git_signature *author,
		    const char *signing_key, git_oid *out)
{
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_buf buf = GIT_BUF_INIT;
	nb_buf sig = NB_BUF_INIT;
	int rc = -1;
	if (git_tree_lookup(&tree, a->repo, tree_id) < 0) {
		git_fail(a, "cannot read the new tree");
		goto done;
	}
	if (parent_id && git_commit_lookup(&parent, a->repo, parent_id) < 0) {
		git_fail(a, "cannot read the previous publication");
		goto done;
	}
	const git_commit *parents[1] = { parent };
	if (git_commit_create_buffer(&buf, a->repo, author, author, NULL, message, tree,
				     parent ? 1 : 0, parents) < 0) {
		git_fail(a, "cannot create the commit");
		goto done;
	}
	if (signing_key && ssh_sign(a, signing_key, buf.ptr, &sig) != 0)
		goto done;
	if (git_commit_create_with_signature(out, a->repo, buf.ptr,
					     signing_key ? nb_buf_cstr(&sig) : NULL,
					     signing_key ? "gpgsig" : NULL) < 0) {
		git_fail(a, "cannot write the commit");
		goto done;
	}
	/* The one step that makes the publication real: move the branch,
	 * failing if it is not where we found it. */
	char log[64];
	snprintf(log, sizeof(log), "noticeboard: publication %zu", n);
	git_reference *ref = NULL;
	if (git_reference_create_matching(&ref, a->repo, a->refname, out,
					  parent_id ? 1 : 0, parent_id, log) < 0) {
		git_fail(a, "cannot move the branch (did someone else publish?)");
		goto done;
	}
	git_reference_free(ref);
	if (create_tag(a, n, out) < 0)
		goto done;
	rc = 0;
done:
	nb_buf_free(&sig);
	git_buf_dispose(&buf);
	git_commit_free(parent);
	git_tree_free(tree);
	return rc;
}

int nb_audit_signature_parse(git_signature **out, const char *s)
{
	const char *lt = strchr(s, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	if (!lt || !gt || gt[1])
		return -1;
	const char *ne = lt;
	while (ne > s && ne[-1] == ' ')
		ne--;
	if (ne == s)
		return -1;
	char *name = strndup(s, (size_t)(ne - s));
	char *email = strndup(lt + 1, (size_t)(gt - lt - 1));
	int rc = git_signature_now(out, name, email) < 0 ? -1 : 0;
	free(name);
	free(email);
	return rc;
}

int nb_audit_publisher(nb_audit *a, const char *as, git_signature **out)
{
	if (as) {
		if (nb_audit_signature_parse(out, as) != 0) {
			set_err(a, "--as wants \"NAME <EMAIL>\", got `%s`", as);
			return -1;
		}
		return 0;
	}
	const char *env = getenv("NB_PUBLISHER");
	if (env && env[0]) {
		if (nb_audit_signature_parse(out, env) != 0) {
			set_err(a, "NB_PUBLISHER wants \"NAME <EMAIL>\", got `%s`", env);
			return -1;
		}
		return 0;
	}
	if (git_signature_default(out, a->repo) == 0)
		return 0;
	git_error_clear();
	return git_signature_now(out, "noticeboard", "noticeboard@localhost") < 0
		       ? git_fail(a, "cannot make a signature") : 0;
}

void nb_audit_doc_changes(const json_t *old_docs, const json_t *new_docs,
			  size_t *added, size_t *changed, size_t *removed)
{
	*added = *changed = *removed = 0;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)new_docs, k, v) {
		json_t *o = old_docs ? json_object_get(old_docs, k) : NULL;
		if (!o)
			(*added)++;
		else if (!json_equal(json_object_get(o, "hash"), json_object_get(v, "hash")))
			(*changed)++;
	}
	json_object_foreach((json_t *)old_docs, k, v) {
		if (!new_docs || !json_object_get(new_docs, k))
			(*removed)++;
	}
}

/*
 * audit.c - the publication record in a bare git repository; see audit.h.
 *
 * Why it is built this way:
 *
 * - Crash safety comes from ordering. Objects (blobs, trees, the commit,
 *   the tag) are written first, and made durable (a finished pack, or
 *   loose objects) before any ref names them; a process killed among them
 *   leaves only unreferenced objects, which `git fsck` reports as
 *   dangling, not as errors, or temporary files the next publish removes.
 *   The branch then moves in one atomic ref update that also checks the
 *   old value (git_reference_create_matching), and only after that is
 *   `pub-N` tagged.
 *   A kill between those two leaves the branch one commit ahead of the last
 *   tag; the next publish, holding the lock, recognises that state (the
 *   tip's parent is the last tagged publication and its message says it is
 *   publication N+1) and adds the missing tag instead of refusing.
 *
 * - Cost grows with what changed, not with the site. A re-publish of 10,000
 *   documents looks at 20,000 files and 10,000 folders, nearly all as the
 *   last publication recorded them. So: a file whose inode, size and
 *   modification time match a record from the last publish keeps its blob
 *   id unread (git's own index works the same way); trees are hashed in
 *   memory (the bytes git would hash, same ids) and only folders whose id
 *   differs from the last publication's are looked into, checked against
 *   the object database and written; objects are written only when
 *   missing. What is recorded never depends on these shortcuts: ids are
 *   still git's ids of the bytes, and a record that cannot be trusted (a
 *   changed file, another program, a missing object) only means reading
 *   the file again.
 *
 * - A publication's new objects go into one pack file, not a file each
 *   (see "one pack per publication" below): at 10,000 documents a first
 *   publish makes 30,000 objects, and creating 30,000 files cost more than
 *   building the site. Few objects (a re-publish after an edit) still go
 *   loose, as git itself unpacks small fetches, so packs do not pile up.
 *   Files are hashed and compressed on all cores; what is recorded never
 *   depends on where the objects are stored.
 *
 * - The lock is a flock on <repo>/noticeboard.lock rather than an O_EXCL
 *   file: the kernel releases it when the holder dies, so a `kill -9` can
 *   never leave the repository locked, and the file still names the pid of
 *   the holder for the error message.
 *
 * - History is never rewritten: refs are only created or fast-forwarded
 *   with an expected old value, tags are created without force.
 */
#include "audit/audit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2/sys/odb_backend.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "util/buf.h"
#include "load/frontmatter.h"
#include "util/fs.h"
#include "util/pool.h"
#include "util/utf8.h"
#include "load/yamltree.h"

#define set_err nb_audit_set_err

void nb_audit_set_err(nb_audit *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
	a->io = 0;
}

/* Append libgit2's last error to a message. */
static int git_fail(nb_audit *a, const char *what)
{
	const git_error *e = git_error_last();
	int io = e && e->klass == GIT_ERROR_OS;
	set_err(a, "%s%s: %s", io ? "I/O error: " : "", what,
		e && e->message ? e->message : "unknown error");
	a->io = io;
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

void nb_audit_files_push(nb_audit_files *f, const char *path, const git_oid *id)
{
	files_push(f, path, id);
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

/* ---- open, close --------------------------------------------------------- */

static int is_inside(const char *child, const char *parent)
{
	size_t n = strlen(parent);
	return strncmp(child, parent, n) == 0 && (child[n] == '/' || child[n] == '\0');
}

/*
 * A new repository appears whole or not at all: it is made under a name
 * of its own beside the final one and renamed into place, because a
 * publish killed inside git_repository_init_ext left a folder at the
 * repository's path that was not yet a repository, which every later
 * publish refused to open. Leftovers of killed inits (their process gone)
 * are removed first; the name holds ".staging-", which the build's cache
 * key skips. Losing the rename to another publish is fine: it made the
 * same empty repository.
 */
static int init_whole(nb_audit *a, const nb_config *cfg)
{
	char *slash = strrchr(a->path, '/');
	char *parent = slash == a->path ? xstrdup("/")
		       : slash ? strndup(a->path, (size_t)(slash - a->path)) : xstrdup(".");
	const char *leaf = slash ? slash + 1 : a->path;
	if (!parent)
		abort();
	nb_buf prefix = NB_BUF_INIT, tmp = NB_BUF_INIT;
	nb_buf_printf(&prefix, "%s.staging-init-", leaf);
	DIR *d = opendir(parent);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, prefix.ptr, prefix.len))
			continue;
		long pid = strtol(e->d_name + prefix.len, NULL, 10);
		if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
			char *stale = nb_path_join(parent, e->d_name);
			nb_fs_rmtree(stale);
			free(stale);
		}
	}
	if (d)
		closedir(d);
	nb_buf_printf(&tmp, "%s.staging-init-%ld", a->path, (long)getpid());
	nb_fs_rmtree(nb_buf_cstr(&tmp));
	git_repository_init_options io;
	git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	io.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
	io.initial_head = cfg->audit_branch;
	io.description = "noticeboard publications: one commit per publication, tagged pub-N";
	git_repository *fresh = NULL;
	int rc = git_repository_init_ext(&fresh, nb_buf_cstr(&tmp), &io);
	git_repository_free(fresh);
	if (rc < 0) {
		git_fail(a, "cannot create the audit repository");
		rc = -1;
	} else {
		/* An existing empty folder is replaced; anything else there
		 * stays (ENOTEMPTY), and is opened below or refused. */
		if (rename(nb_buf_cstr(&tmp), a->path) != 0)
			nb_fs_rmtree(nb_buf_cstr(&tmp));
		rc = git_repository_open_ext(&a->repo, a->path,
					     GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE,
					     NULL);
		if (rc < 0) {
			git_fail(a, "cannot create the audit repository");
			rc = -1;
		}
	}
	nb_buf_free(&prefix);
	nb_buf_free(&tmp);
	free(parent);
	return rc;
}

int nb_audit_open(nb_audit *a, const nb_config *cfg, int create)
{
	memset(a, 0, sizeof(*a));
	a->lock_fd = -1;
	a->cfg = cfg;
	git_libgit2_init();
	/* Refs and objects libgit2 writes are fsynced, their folders too:
	 * what a publish reports as recorded survives a power cut. */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
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
	char *repo_real = nb_fs_resolve(a->path), *out_real = nb_fs_resolve(cfg->output_path);
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
		if (init_whole(a, cfg) != 0)
			return -1;
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
	/* The database owns the pack; freeing it drops an unended one. */
	a->pack = NULL;
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
	int rc = n ? tag_target(a, n, &id) : GIT_ENOTFOUND;
	if (rc == GIT_ENOTFOUND) {
		set_err(a, "no publication %zu (no tag pub-%zu in %s)", n, n, a->path);
		return -1;
	}
	if (rc < 0)
		return git_fail(a, "cannot read a publication's tag");
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

/* The annotated tag's object for publication n (no ref yet). The tagger
 * is the publisher: the tag adds no new claim. */
static int tag_object(nb_audit *a, size_t n, const git_oid *commit, git_oid *out)
{
	char name[64], msg[128];
	snprintf(name, sizeof(name), "pub-%zu", n);
	snprintf(msg, sizeof(msg), "Publication %zu\n", n);
	git_commit *c = NULL;
	if (git_commit_lookup(&c, a->repo, commit) < 0)
		return git_fail(a, "cannot read the new publication");
	/* Signed like the commit: the tag is the name auditors use. */
	int rc = nb_audit_tag_write(a, name, commit, git_commit_committer(c), msg,
				    a->cfg ? a->cfg->audit_signing_key : NULL, out);
	git_commit_free(c);
	return rc;
}

/* refs/tags/pub-n -> the tag object, never replacing one (as
 * git_tag_create without force, which is these two steps). */
static int tag_ref(nb_audit *a, size_t n, const git_oid *tag)
{
	char name[64], lockp[80];
	snprintf(name, sizeof(name), "refs/tags/pub-%zu", n);
	snprintf(lockp, sizeof(lockp), "%s.lock", name);
	char *lp = nb_path_join(a->path, lockp);
	unlink(lp);  /* only a killed publish leaves one; we hold our lock */
	free(lp);
	git_reference *ref = NULL;
	if (git_reference_create(&ref, a->repo, name, tag, 0, NULL) < 0)
		return git_fail(a, "cannot tag the publication");
	git_reference_free(ref);
	return 0;
}

/* Objects first, durable (nb_audit_pack_end), then the ref. */
static int create_tag(nb_audit *a, size_t n, const git_oid *commit)
{
	git_oid tag;
	if (tag_object(a, n, commit, &tag) < 0 || nb_audit_pack_end(a) < 0)
		return -1;
	return tag_ref(a, n, &tag);
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
	/* libgit2's listing skips a loose tag it cannot read: an unreadable
	 * file must be an I/O error below, not a publication that vanished. */
	char *tdir = nb_path_join(a->path, "refs/tags");
	DIR *d = opendir(tdir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t n = nb_audit_parse_pub(e->d_name);
		if (n > max && !strncmp(e->d_name, "pub-", 4))
			max = n;
	}
	if (d)
		closedir(d);
	free(tdir);
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
		int tr = tag_target(a, n - 1, &prev);
		if (tr < 0 && tr != GIT_ENOTFOUND)
			return git_fail(a, "cannot read a publication's tag");
		if (tr < 0) {
			set_err(a, "publication pub-%zu is missing: the chain is broken", n - 1);
			return -1;
		}
		int desc = git_graph_descendant_of(a->repo, &next, &prev);
		if (desc < 0)
			return git_fail(a, "cannot read the chain of publications");
		if (desc != 1) {
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

/* ---- one pack per publication ---------------------------------------------- */

/*
 * A first publication of 10,000 documents is some 30,000 new objects. As
 * loose objects that is 30,000 files created, and creating them cost more
 * than building the site. So a publication's objects go into one pack
 * file, as a fetch or `git gc` would leave them. The format is simple when
 * every entry is whole (no deltas: searching for them over 30,000 objects
 * costs more than the files did; `git gc` can add them later), so it is
 * written here: each object deflated once, at the level libgit2 uses for
 * loose objects, and the index made from what was written, the file read
 * back only for its checksum.
 *
 * The pack is a backend of the repository's own object database,
 * consulted first, so what libgit2 writes lands in it too (trees with
 * names it judges, the commit, the tag) and what it reads (the new tree,
 * the changed documents the history compares) is found there, exactly as
 * with loose objects. Kill safety is order: pack and index are written
 * under temporary names, then given their final ones (pack_finish), and
 * only then may a ref name their objects. Killed before, temporary files
 * are left (or an index alone, which readers ignore), which the next
 * publish removes; after, unreferenced objects in a sound pack, which
 * fsck calls dangling.
 */
enum {
	PACK_PRIORITY = 100,       /* before the repository's own backends (1 and 2) */
	UNPACK_LIMIT = 100,        /* git's fetch/receive.unpackLimit: fewer go loose */
	HOLD_BYTES = 64 << 20,     /* ... unless they are this big */
	PACK_FLUSH = 1 << 20,
};

static const char PACK_TMP[] = "tmp_pack_nb_";
static const char IDX_TMP[] = "tmp_idx_nb_";

typedef struct pack_obj {
	git_oid id;
	char *raw;                 /* its bytes, while held (not yet in the file) */
	uint64_t off;              /* its entry's offset in the pack */
	uint64_t len;              /* the entry's bytes: header and zlib stream */
	uint64_t size;             /* the object's */
	uint32_t crc;              /* of the entry's bytes, for the index */
	uint8_t hdr;               /* the header's bytes */
	uint8_t type;
} pack_obj;

struct nb_audit_pack {
	git_odb_backend parent;    /* first: libgit2 hands this pointer back */
	char *objects;             /* <repo>/objects */
	char *dir;                 /* <repo>/objects/pack */
	char *tmp;                 /* the file being written; NULL when none (or renamed) */
	int fd, fsync, sealed;
	int spilled;               /* objects go to the file (else they are held) */
	uint64_t held;             /* bytes held */
	uint64_t flushed;          /* bytes in the file */
	nb_buf buf;                /* bytes after those, not yet written */
	pack_obj *objs;
	size_t len, cap;
	size_t *slots;             /* open addressing: object index + 1, 0 free */
	size_t nslots;
};

static int pack_err(const char *what, const char *path)
{
	git_error_set(GIT_ERROR_ODB, "%s %s: %s", what, path, strerror(errno));
	return -1;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int pread_all(int fd, void *data, size_t len, uint64_t off)
{
	char *p = data;
	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static size_t slot_of(const git_oid *id, size_t mask)
{
	uint64_t h;
	memcpy(&h, id->id, sizeof(h));  /* ids are uniform already */
	return (size_t)h & mask;
}

static pack_obj *pack_find(const nb_audit_pack *p, const git_oid *id)
{
	if (!p->nslots)
		return NULL;
	size_t mask = p->nslots - 1;
	for (size_t s = slot_of(id, mask);; s = (s + 1) & mask) {
		size_t i = p->slots[s];
		if (!i)
			return NULL;
		if (git_oid_equal(&p->objs[i - 1].id, id))
			return &p->objs[i - 1];
	}
}

/* Index the last object pushed, growing the table at half full. */
static void pack_index_last(nb_audit_pack *p)
{
	if (p->len * 2 > p->nslots) {
		free(p->slots);
		p->nslots = p->nslots ? p->nslots * 2 : 1024;
		p->slots = calloc(p->nslots, sizeof(*p->slots));
		if (!p->slots)
			abort();
		for (size_t i = 0; i + 1 < p->len; i++) {
			size_t s = slot_of(&p->objs[i].id, p->nslots - 1);
			while (p->slots[s])
				s = (s + 1) & (p->nslots - 1);
			p->slots[s] = i + 1;
		}
	}
	size_t s = slot_of(&p->objs[p->len - 1].id, p->nslots - 1);
	while (p->slots[s])
		s = (s + 1) & (p->nslots - 1);
	p->slots[s] = p->len;
}

static int pack_flush(nb_audit_pack *p)
{
	if (!p->buf.len)
		return 0;
	if (write_all(p->fd, p->buf.ptr, p->buf.len) != 0)
		return pack_err("cannot write", p->tmp);
	p->flushed += p->buf.len;
	nb_buf_clear(&p->buf);
	return 0;
}

/* The temporary file, made only when the objects spill (pack_spill): a
 * small publication leaves none. The header's count is filled in last. */
static int pack_open(nb_audit_pack *p)
{
	nb_fs_mkdirs(p->dir);
	nb_buf t = NB_BUF_INIT;
	nb_buf_printf(&t, "%s/%sXXXXXX", p->dir, PACK_TMP);
	p->tmp = nb_buf_detach(&t);
	p->fd = mkostemp(p->tmp, O_CLOEXEC);
	if (p->fd < 0) {
		pack_err("cannot create", p->tmp);
		free(p->tmp);
		p->tmp = NULL;
		return -1;
	}
	static const unsigned char head[12] = { 'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0 };
	nb_buf_put(&p->buf, head, sizeof(head));
	return 0;
}

/*
 * An entry, appended to `out`: type and size in a little-endian varint,
 * then the zlib stream. Also the header's length and the CRC the index
 * wants. Pure, so many can be made at once (hash_walked).
 */
static int entry_make(git_object_t type, const void *data, size_t len, nb_buf *out,
		      uint8_t *hdr, uint32_t *crc)
{
	unsigned char h[16];
	uint64_t v = len;
	size_t hn = 0;
	unsigned char c = (unsigned char)(((unsigned)type << 4) | (v & 15));
	for (v >>= 4; v; v >>= 7) {
		h[hn++] = c | 0x80;
		c = v & 0x7f;
	}
	h[hn++] = c;
	size_t start = out->len;
	nb_buf_put(out, h, hn);
	uLongf zl = compressBound((uLong)len);
	nb_buf_grow(out, (size_t)zl);
	if (compress2((Bytef *)out->ptr + out->len, &zl, data, (uLong)len, Z_BEST_SPEED) != Z_OK) {
		out->len = start;
		out->ptr[start] = '\0';
		return -1;
	}
	out->len += (size_t)zl;
	out->ptr[out->len] = '\0';
	*hdr = (uint8_t)hn;
	*crc = (uint32_t)crc32_z(0, (const Bytef *)out->ptr + start, (z_size_t)(out->len - start));
	return 0;
}

/* A new object's record, its entry still to come (or never: held). */
static pack_obj *pack_push(nb_audit_pack *p, const git_oid *id, git_object_t type, uint64_t size)
{
	if (p->len == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 1024;
		p->objs = realloc(p->objs, p->cap * sizeof(*p->objs));
		if (!p->objs)
			abort();
	}
	pack_obj *o = &p->objs[p->len++];
	*o = (pack_obj){ *id, NULL, 0, 0, size, 0, 0, (uint8_t)type };
	pack_index_last(p);
	return o;
}

/* Compress an object's bytes to the end of the file. */
static int pack_entry(nb_audit_pack *p, pack_obj *o, const void *data)
{
	o->off = p->flushed + p->buf.len;
	if (entry_make((git_object_t)o->type, data, (size_t)o->size, &p->buf, &o->hdr, &o->crc) != 0) {
		git_error_set_str(GIT_ERROR_ZLIB, "cannot compress an object");
		return -1;
	}
	o->len = p->flushed + p->buf.len - o->off;
	return p->buf.len >= PACK_FLUSH ? pack_flush(p) : 0;
}

/*
 * Whether a publication becomes a pack is only known as it goes: a
 * re-publish after one edit writes some fifty objects, which are better
 * loose (no pack per publication piling up) and are best written once.
 * So the first objects are held as they are, and the file is started -
 * with them - only when they reach git's unpack limit or HOLD_BYTES.
 */
static int pack_spill(nb_audit_pack *p)
{
	if (p->spilled)
		return 0;
	if (pack_open(p) != 0)
		return -1;
	p->spilled = 1;
	for (size_t i = 0; i < p->len; i++) {
		pack_obj *o = &p->objs[i];
		if (pack_entry(p, o, o->raw) != 0)
			return -1;
		free(o->raw);
		o->raw = NULL;
	}
	p->held = 0;
	return 0;
}

static int pack_add(nb_audit_pack *p, const git_oid *id, git_object_t type, const void *data,
		    size_t len)
{
	if (pack_find(p, id))
		return 0;
	if (!p->spilled && p->len + 1 < UNPACK_LIMIT && p->held + len <= HOLD_BYTES) {
		pack_obj *o = pack_push(p, id, type, len);
		o->raw = malloc(len ? len : 1);
		if (!o->raw)
			abort();
		memcpy(o->raw, data, len);
		p->held += len;
		return 0;
	}
	if (pack_spill(p) != 0)
		return -1;
	return pack_entry(p, pack_push(p, id, type, len), data);
}

/* An entry made by entry_make() elsewhere (the file is started). */
static int pack_add_entry(nb_audit_pack *p, const git_oid *id, git_object_t type, uint64_t size,
			  const nb_buf *e, uint8_t hdr, uint32_t crc)
{
	if (pack_find(p, id))
		return 0;
	if (pack_spill(p) != 0)
		return -1;
	pack_obj *o = pack_push(p, id, type, size);
	o->off = p->flushed + p->buf.len;
	o->len = e->len;
	o->hdr = hdr;
	o->crc = crc;
	nb_buf_put(&p->buf, e->ptr, e->len);
	return p->buf.len >= PACK_FLUSH ? pack_flush(p) : 0;
}

/* An object's bytes back from the file, into `out` (o->size bytes). */
static int pack_inflate(nb_audit_pack *p, const pack_obj *o, unsigned char *out)
{
	if (pack_flush(p) != 0)
		return -1;
	size_t clen = (size_t)(o->len - o->hdr);
	unsigned char *z = malloc(clen ? clen : 1);
	if (!z)
		abort();
	if (pread_all(p->fd, z, clen, o->off + o->hdr) != 0) {
		free(z);
		return pack_err("cannot read", p->tmp ? p->tmp : "the new pack");
	}
	uLongf got = (uLongf)o->size;
	uLong used = (uLong)clen;
	int ok = uncompress2(out, &got, z, &used) == Z_OK && got == o->size && used == clen;
	free(z);
	if (!ok) {
		git_error_set_str(GIT_ERROR_ZLIB, "an object of the new pack does not read back");
		return -1;
	}
	return 0;
}

static int pb_read(void **out, size_t *len, git_object_t *type, git_odb_backend *b,
		   const git_oid *id)
{
	nb_audit_pack *p = (nb_audit_pack *)b;
	const pack_obj *o = pack_find(p, id);
	if (!o)
		return GIT_ENOTFOUND;
	unsigned char *data = git_odb_backend_data_alloc(b, (size_t)o->size + 1);
	if (!data)
		return -1;
	if (o->raw)
		memcpy(data, o->raw, (size_t)o->size);
	else if (pack_inflate(p, o, data) != 0) {
		git_odb_backend_data_free(b, data);
		return -1;
	}
	data[o->size] = '\0';
	*out = data;
	*len = (size_t)o->size;
	*type = (git_object_t)o->type;
	return 0;
}

static int pb_read_header(size_t *len, git_object_t *type, git_odb_backend *b,
			  const git_oid *id)
{
	const pack_obj *o = pack_find((nb_audit_pack *)b, id);
	if (!o)
		return GIT_ENOTFOUND;
	*len = (size_t)o->size;
	*type = (git_object_t)o->type;
	return 0;
}

static int pb_exists(git_odb_backend *b, const git_oid *id)
{
	return pack_find((nb_audit_pack *)b, id) != NULL;
}

static int pb_write(git_odb_backend *b, const git_oid *id, const void *data, size_t len,
		    git_object_t type)
{
	nb_audit_pack *p = (nb_audit_pack *)b;
	/* Ended: what comes after goes loose, to the next backend. */
	if (p->sealed)
		return GIT_PASSTHROUGH;
	return pack_add(p, id, type, data, len);
}

static void pb_free(git_odb_backend *b)
{
	nb_audit_pack *p = (nb_audit_pack *)b;
	if (p->tmp)
		unlink(p->tmp);  /* never ended: nothing may name these objects */
	if (p->fd >= 0)
		close(p->fd);
	nb_buf_free(&p->buf);
	free(p->tmp);
	for (size_t i = 0; i < p->len; i++)
		free(p->objs[i].raw);
	free(p->objs);
	free(p->slots);
	free(p->objects);
	free(p->dir);
	free(p);
}

/* What killed publishes leave (we hold the lock: none is live): their
 * temporary files, and an index whose pack never got its name. */
static void pack_clean(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		int orphan = 0;
		if (!strncmp(e->d_name, "pack-", 5) && n > 4 && !strcmp(e->d_name + n - 4, ".idx")) {
			nb_buf pk = NB_BUF_INIT;
			nb_buf_printf(&pk, "%s/%.*s.pack", dir, (int)(n - 4), e->d_name);
			struct stat st;
			/* Only a pack surely absent; any doubt keeps the index. */
			orphan = stat(nb_buf_cstr(&pk), &st) != 0 && errno == ENOENT;
			nb_buf_free(&pk);
		}
		if (!orphan && strncmp(e->d_name, PACK_TMP, sizeof(PACK_TMP) - 1) &&
		    strncmp(e->d_name, IDX_TMP, sizeof(IDX_TMP) - 1))
			continue;
		char *p = nb_path_join(dir, e->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
}

int nb_audit_pack_begin(nb_audit *a)
{
	if (a->pack)
		return 0;
	nb_audit_pack *p = calloc(1, sizeof(*p));
	if (!p)
		abort();
	git_odb_init_backend(&p->parent, GIT_ODB_BACKEND_VERSION);
	p->parent.read = pb_read;
	p->parent.read_header = pb_read_header;
	p->parent.write = pb_write;
	p->parent.exists = pb_exists;
	p->parent.free = pb_free;
	p->fd = -1;
	p->objects = nb_path_join(git_repository_path(a->repo), "objects");
	p->dir = nb_path_join(p->objects, "pack");
	/* Always durable: a publication reported as done must survive a
	 * power cut (git's core.fsyncObjectFiles is not needed for that). */
	p->fsync = 1;
	pack_clean(p->dir);
	if (git_odb_add_backend(a->odb, &p->parent, PACK_PRIORITY) < 0) {
		pb_free(&p->parent);
		return git_fail(a, "cannot prepare the object database");
	}
	a->pack = p;
	return 0;
}

/*
 * A small publication: its held objects loose, through libgit2's own
 * loose writer, given the ids it already has (no hashing them again).
 * Compressing them is the cost (the site-wide pages and manifest.json
 * change with every publication), and each is its own file: on the
 * pool's threads (libgit2's loose writer is made for that).
 */
typedef struct loose_job {
	git_odb_backend *lb;
	const pack_obj *objs;
	int *failed;           /* per object */
} loose_job;

static void loose_task(void *ud, size_t i)
{
	loose_job *j = ud;
	const pack_obj *o = &j->objs[i];
	j->failed[i] = j->lb->write(j->lb, &o->id, o->raw, (size_t)o->size,
				    (git_object_t)o->type) < 0;
}

static int pack_loose(nb_audit *a, nb_audit_pack *p)
{
	loose_job j = { NULL, p->objs, calloc(p->len, sizeof(int)) };
	if (!j.failed)
		abort();
	int rc = 0;
	if (git_odb_backend_loose(&j.lb, p->objects, -1, p->fsync, 0, 0) < 0) {
		rc = git_fail(a, "cannot write the publication's objects");
	} else {
		size_t jobs = nb_pool_jobs();
		nb_pool_wait(nb_pool_start(jobs < p->len ? jobs : p->len, p->len, loose_task, &j));
		for (size_t i = 0; i < p->len && rc == 0; i++) {
			if (j.failed[i]) {
				char hex[GIT_OID_HEXSZ + 1];
				git_oid_tostr(hex, sizeof(hex), &p->objs[i].id);
				set_err(a, "cannot write the object %s in %s", hex, p->objects);
				rc = -1;
			}
		}
		j.lb->free(j.lb);
	}
	free(j.failed);
	return rc;
}

static int cmp_obj_id(const void *x, const void *y)
{
	return git_oid_cmp(&(*(const pack_obj *const *)x)->id, &(*(const pack_obj *const *)y)->id);
}

/* The checksum of the file as it is, then appended to it. */
static int pack_trailer(nb_audit_pack *p, unsigned char sum[20])
{
	unsigned char head[4];
	put_be32(head, (uint32_t)p->len);
	if (pack_flush(p) != 0)
		return -1;
	if (pwrite(p->fd, head, 4, 8) != 4)
		return pack_err("cannot write", p->tmp);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		abort();
	int ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1, rc = 0;
	size_t chunk = 1 << 20;
	unsigned char *b = malloc(chunk);
	if (!b)
		abort();
	for (uint64_t off = 0; ok && rc == 0 && off < p->flushed;) {
		size_t n = p->flushed - off < chunk ? (size_t)(p->flushed - off) : chunk;
		if (pread_all(p->fd, b, n, off) != 0)
			rc = pack_err("cannot read", p->tmp);
		else
			ok = EVP_DigestUpdate(ctx, b, n) == 1;
		off += n;
	}
	unsigned int sl = 0;
	ok = ok && rc == 0 && EVP_DigestFinal_ex(ctx, sum, &sl) == 1 && sl == 20;
	EVP_MD_CTX_free(ctx);
	free(b);
	if (rc != 0)
		return -1;
	if (!ok) {
		git_error_set_str(GIT_ERROR_SHA, "cannot checksum the new pack");
		return -1;
	}
	if (write_all(p->fd, sum, 20) != 0)
		return pack_err("cannot write", p->tmp);
	p->flushed += 20;
	return 0;
}

/* The index, version 2: fan-out, sorted ids, CRCs, 31-bit offsets with
 * the larger ones in a 64-bit table, the pack's checksum, its own. */
static int pack_index(nb_audit_pack *p, const unsigned char sum[20], nb_buf *ix)
{
	const pack_obj **order = malloc(p->len * sizeof(*order));
	if (!order)
		abort();
	for (size_t i = 0; i < p->len; i++)
		order[i] = &p->objs[i];
	qsort(order, p->len, sizeof(*order), cmp_obj_id);
	unsigned char w[8];
	nb_buf_grow(ix, 8 + 1024 + p->len * 28 + 40);
	nb_buf_put(ix, "\377tOc\0\0\0\2", 8);
	size_t k = 0;
	for (unsigned fan = 0; fan < 256; fan++) {
		while (k < p->len && order[k]->id.id[0] <= fan)
			k++;
		put_be32(w, (uint32_t)k);
		nb_buf_put(ix, w, 4);
	}
	for (size_t i = 0; i < p->len; i++)
		nb_buf_put(ix, order[i]->id.id, GIT_OID_RAWSZ);
	for (size_t i = 0; i < p->len; i++) {
		put_be32(w, order[i]->crc);
		nb_buf_put(ix, w, 4);
	}
	uint32_t large = 0;
	for (size_t i = 0; i < p->len; i++) {
		uint64_t off = order[i]->off;
		put_be32(w, off < 0x80000000u ? (uint32_t)off : 0x80000000u | large++);
		nb_buf_put(ix, w, 4);
	}
	for (size_t i = 0; i < p->len; i++) {
		uint64_t off = order[i]->off;
		if (off < 0x80000000u)
			continue;
		put_be32(w, (uint32_t)(off >> 32));
		put_be32(w + 4, (uint32_t)off);
		nb_buf_put(ix, w, 8);
	}
	free(order);
	nb_buf_put(ix, sum, 20);
	unsigned char own[20];
	unsigned int sl = 0;
	if (EVP_Digest(ix->ptr, ix->len, own, &sl, EVP_sha1(), NULL) != 1 || sl != 20) {
		git_error_set_str(GIT_ERROR_SHA, "cannot checksum the new index");
		return -1;
	}
	nb_buf_put(ix, own, 20);
	return 0;
}

/*
 * Trailer, index, then the final names: the index first, the pack last.
 * A pack is usable when both are there; git and libgit2 ignore either
 * alone. git itself renames the pack first, so a pack without its index
 * may be git at work; an index without its pack never is (git only makes
 * one when deleting a pack, index last), so a killed publish's leftover
 * is always safe for the next one to remove (pack_clean).
 */
static int pack_finish(nb_audit *a, nb_audit_pack *p)
{
	unsigned char sum[20];
	nb_buf ix = NB_BUF_INIT, name = NB_BUF_INIT;
	char *itmp = NULL;
	int fd = -1, rc = -1;
	if (pack_trailer(p, sum) != 0 || pack_index(p, sum, &ix) != 0)
		goto done;
	nb_buf_printf(&name, "%s/%sXXXXXX", p->dir, IDX_TMP);
	itmp = nb_buf_detach(&name);
	fd = mkostemp(itmp, O_CLOEXEC);
	if (fd < 0) {
		pack_err("cannot create", itmp);
		free(itmp);
		itmp = NULL;
		goto done;
	}
	if (write_all(fd, ix.ptr, ix.len) != 0) {
		pack_err("cannot write", itmp);
		goto done;
	}
	/* Read-only, as git leaves packs; durable first when asked. */
	if (fchmod(fd, 0444) != 0 || fchmod(p->fd, 0444) != 0 ||
	    (p->fsync && (fsync(fd) != 0 || fsync(p->fd) != 0))) {
		pack_err("cannot finish", p->tmp);
		goto done;
	}
	char hex[GIT_OID_HEXSZ + 1];
	git_oid sid;
	git_oid_fromraw(&sid, sum);
	git_oid_tostr(hex, sizeof(hex), &sid);
	nb_buf_printf(&name, "%s/pack-%s.idx", p->dir, hex);
	if (rename(itmp, nb_buf_cstr(&name)) != 0) {
		pack_err("cannot rename", itmp);
		goto done;
	}
	free(itmp);
	itmp = NULL;
	nb_buf_clear(&name);
	nb_buf_printf(&name, "%s/pack-%s.pack", p->dir, hex);
	if (rename(p->tmp, nb_buf_cstr(&name)) != 0) {
		pack_err("cannot rename", p->tmp);
		goto done;
	}
	free(p->tmp);
	p->tmp = NULL;
	/* The names too: a ref may name these objects next. */
	if (p->fsync && nb_fs_fsync_dir(p->dir) != 0) {
		pack_err("cannot make durable", p->dir);
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	if (itmp)
		unlink(itmp);
	free(itmp);
	nb_buf_free(&ix);
	nb_buf_free(&name);
	return rc == 0 ? 0 : git_fail(a, "cannot write the publication's pack");
}

int nb_audit_pack_end(nb_audit *a)
{
	nb_audit_pack *p = a->pack;
	if (!p || p->sealed)
		return 0;
	int rc = 0;
	if (p->spilled)
		rc = pack_finish(a, p);
	else if (p->len)
		rc = pack_loose(a, p);
	if (rc == 0)
		p->sealed = 1;
	return rc;
}

/* Into the pack while one is open, else where libgit2 puts it. */
static int put_object(nb_audit *a, const git_oid *id, git_object_t type, const void *data,
		      size_t len)
{
	if (a->pack && !a->pack->sealed) {
		if (pack_add(a->pack, id, type, data, len) != 0)
			return git_fail(a, "cannot write an object");
		return 0;
	}
	git_oid got;
	if (git_odb_write(&got, a->odb, data, len, type) < 0)
		return git_fail(a, "cannot write an object");
	return 0;
}

/* ---- hashing ------------------------------------------------------------- */

/* Whether the database has an object. No pack re-scan on a miss: a miss
 * only means the object is written (again), which is harmless, while a
 * re-scan per new object is not cheap. */
static int have_object(nb_audit *a, const git_oid *id)
{
	return git_odb_exists_ext(a->odb, id, GIT_ODB_LOOKUP_NO_REFRESH);
}

int nb_audit_write_blob(nb_audit *a, const void *data, size_t len, git_oid *out)
{
	if (git_odb_hash(out, data, len, GIT_OBJECT_BLOB) < 0)
		return git_fail(a, "cannot hash");
	if (have_object(a, out))
		return 0;
	return put_object(a, out, GIT_OBJECT_BLOB, data, len);
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

/*
 * The walk. A published site is mostly folders holding one index.html, so
 * per-folder system calls are what a walk costs: each folder is read in
 * one go with getdents64 (no DIR stream, whose fdopendir stats it again)
 * and closed before its subfolders are opened (so depth never costs file
 * descriptors); the entry's type from the listing spares a stat per
 * subfolder, and a file's one fstatat, relative to its folder, is kept:
 * the inode records below need it. Two flavours, as the callers always
 * had them: plain (every regular file, symlinks followed: the output,
 * themes/, static/) and `confine` (nb_fs_walk's rules for content/: a
 * symlink leading out of the root left out, 64 levels at most), so the
 * sources recorded are exactly the files the build reads.
 */
typedef struct wfile {
	char *rel;
	struct stat st;
} wfile;

typedef struct wlist {
	wfile *items;
	size_t len, cap;
} wlist;

typedef struct walker {
	nb_audit *a;
	const char *root;
	char *root_real;   /* confine only */
	int dotfiles, confine;
	nb_buf rel;
	wlist *out;
	json_t *seen;      /* folders read (nb_fs_seen) */
} walker;

static void wlist_free(wlist *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i].rel);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static int cmp_wfile(const void *x, const void *y)
{
	return strcmp(((const wfile *)x)->rel, ((const wfile *)y)->rel);
}

/* A symlink below a confined root: does it resolve inside? */
static int link_within(walker *w)
{
	char *full = nb_path_join(w->root, nb_buf_cstr(&w->rel));
	char *real = realpath(full, NULL);
	int ok = real && is_inside(real, w->root_real);
	free(real);
	free(full);
	return ok;
}

struct nb_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* The whole listing of the folder open as `fd`. */
static int read_listing(walker *w, int fd, nb_buf *list)
{
	for (;;) {
		nb_buf_grow(list, 32768);
		ssize_t n = getdents64(fd, list->ptr + list->len, list->cap - list->len - 1);
		if (n < 0) {
			set_err(w->a, "cannot read the folder %s/%s: %s", w->root,
				nb_buf_cstr(&w->rel), strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		list->len += (size_t)n;
	}
}

static int walk_fd(walker *w, int fd, int depth)
{
	nb_buf list = NB_BUF_INIT;
	int rc = read_listing(w, fd, &list);
	size_t base = w->rel.len;
	for (size_t off = 0; rc == 0 && off < list.len;) {
		const struct nb_dirent64 *e = (const struct nb_dirent64 *)(list.ptr + off);
		off += e->d_reclen;
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (name[0] == '.' && !w->dotfiles)
			continue;
		unsigned char type = e->d_type;
		if (type != DT_DIR && type != DT_REG && type != DT_LNK && type != DT_UNKNOWN)
			continue;  /* devices, pipes, sockets: never published */
		w->rel.len = base;
		if (base)
			nb_buf_putc(&w->rel, '/');
		nb_buf_puts(&w->rel, name);
		struct stat st;
		if (type != DT_DIR) {
			/* Confined, a link is judged by where it leads first. */
			int nofollow = w->confine && type != DT_REG;
			if (fstatat(fd, name, &st, nofollow ? AT_SYMLINK_NOFOLLOW : 0) != 0)
				continue;
			if (nofollow && S_ISLNK(st.st_mode) &&
			    (!link_within(w) || fstatat(fd, name, &st, 0) != 0))
				continue;
			if (S_ISREG(st.st_mode)) {
				wlist *l = w->out;
				if (l->len == l->cap) {
					l->cap = l->cap ? l->cap * 2 : 256;
					l->items = realloc(l->items, l->cap * sizeof(*l->items));
					if (!l->items)
						abort();
				}
				l->items[l->len].rel = xstrdup(nb_buf_cstr(&w->rel));
				l->items[l->len].st = st;
				l->len++;
				continue;
			}
			if (!S_ISDIR(st.st_mode))
				continue;
		}
		if (w->confine && depth + 1 > 64)
			continue;  /* a link cycle that stays inside the root */
		/* Unconfined, a cycle ends where the path would no longer fit,
		 * as it did when each level was opened by name. */
		if (strlen(w->root) + 1 + w->rel.len >= PATH_MAX) {
			set_err(w->a, "cannot read the folder %s/%s: %s", w->root,
				nb_buf_cstr(&w->rel), strerror(ENAMETOOLONG));
			rc = -1;
			break;
		}
		int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub < 0) {
			set_err(w->a, "cannot read the folder %s/%s: %s", w->root,
				nb_buf_cstr(&w->rel), strerror(errno));
			rc = -1;
			break;
		}
		/* A folder is read once (nb_fs_seen): a link cycle or fan-out
		 * would make this walk exponential; the build reports it. */
		struct stat dst;
		if (fstat(sub, &dst) == 0 && nb_fs_seen(w->seen, &dst, nb_buf_cstr(&w->rel))) {
			close(sub);
			continue;
		}
		rc = walk_fd(w, sub, depth + 1);
	}
	close(fd);
	nb_buf_free(&list);
	w->rel.len = base;
	if (w->rel.ptr)
		w->rel.ptr[base] = '\0';
	return rc;
}

static int walk_files(nb_audit *a, const char *root, int dotfiles, int confine, wlist *out)
{
	walker w = { a, root, NULL, dotfiles, confine, NB_BUF_INIT, out, json_object() };
	if (confine && !(w.root_real = realpath(root, NULL))) {
		set_err(a, "cannot read %s: %s", root, strerror(errno));
		json_decref(w.seen);
		return -1;
	}
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;
	struct stat st;
	if (fd < 0) {
		set_err(a, "cannot read the folder %s: %s", root, strerror(errno));
		rc = -1;
	} else {
		if (fstat(fd, &st) == 0)
			nb_fs_seen(w.seen, &st, "");
		rc = walk_fd(&w, fd, 0);
	}
	json_decref(w.seen);
	free(w.root_real);
	nb_buf_free(&w.rel);
	return rc;
}

/*
 * Remembered blob ids, found again by device and inode: the record that
 * lets a re-publish skip reading the files it hashed last time. A file
 * is the same when its size and modification time (ns) are too; one
 * modified too recently to be told apart that way is not recorded (see
 * fence below). For
 * sources a record also keeps what the front matter said, so unchanged
 * documents are not parsed again either. A record file starts with a tag
 * (for sources: the program and site.yaml, which the parse depends on);
 * one with another tag is ignored whole.
 */
enum { REC_DRAFT = 1, REC_HAS_ID = 2 };

typedef struct oid_rec {
	unsigned long long dev, ino, size;
	long long sec, nsec;
	git_oid id;
	unsigned flags;
	size_t docid;          /* offset of the front matter's id in recs.ids */
} oid_rec;

typedef struct oid_recs {
	oid_rec *items;
	size_t len, cap;
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
}

static const oid_rec *recs_find(const oid_recs *r, const oid_rec *k)
{
	const oid_rec *hit = r->len ? bsearch(k, r->items, r->len, sizeof(*r->items), cmp_rec)
				    : NULL;
	if (hit && hit->size == k->size && hit->sec == k->sec && hit->nsec == k->nsec)
		return hit;
	return NULL;
}

static const char RECS_MAGIC[] = "noticeboard-oids 2 ";

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

/* "dev ino size sec nsec hex flags idlen:id\n" after a "magic tag" line;
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
		unsigned long long sec, nsec, flags, n;
		int neg_s, neg_n, neg;
		if (scan_num(&p, end, ' ', 0, &e.dev, &neg) || scan_num(&p, end, ' ', 0, &e.ino, &neg) ||
		    scan_num(&p, end, ' ', 0, &e.size, &neg) ||
		    scan_num(&p, end, ' ', 1, &sec, &neg_s) || scan_num(&p, end, ' ', 1, &nsec, &neg_n) ||
		    sec > (unsigned long long)LLONG_MAX || nsec > (unsigned long long)LLONG_MAX ||
		    end - p < GIT_OID_HEXSZ + 1 || p[GIT_OID_HEXSZ] != ' ' ||
		    git_oid_fromstrn(&e.id, p, GIT_OID_HEXSZ) < 0)
			break;
		p += GIT_OID_HEXSZ + 1;
		if (scan_num(&p, end, ' ', 0, &flags, &neg) || scan_num(&p, end, ':', 0, &n, &neg) ||
		    n >= (unsigned long long)(end - p) || p[n] != '\n')
			break;
		e.sec = neg_s ? -(long long)sec : (long long)sec;
		e.nsec = neg_n ? -(long long)nsec : (long long)nsec;
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
	if (nb_frontmatter_split(&fm, data, len, rel, &d) == 0 && fm.has_yaml)
		nb_yaml_load(&meta, NULL, fm.yaml, fm.yaml_len, rel, fm.yaml_line, 1,
			     &cfg->yaml_limits, &d);
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
 * When a file may be remembered. Its record is trusted while its inode,
 * size and modification time are unchanged, so it must be impossible to
 * change the file later and keep the time: the time must be older than
 * the file system's own "now" at the moment the file is read (git's
 * racy-clean rule). The fence is that "now": a file we touch before
 * reading any, whose time the same file system sets with the same clock
 * and granularity (1 ns, 1 s, 2 s: whatever it has). Files on another
 * file system, or when the fence cannot be written, fall back to a
 * margin: modified at least two seconds before the hashing started.
 */
typedef struct fence {
	int ok;
	dev_t dev;
	struct timespec t;
	long long margin;      /* seconds: older than this is old enough */
} fence;

static void fence_set(fence *f, const char *cache)
{
	memset(f, 0, sizeof(*f));
	f->margin = (long long)time(NULL) - 2;
	nb_buf p = NB_BUF_INIT;
	nb_buf_printf(&p, "%s.fence", cache);
	const char *slash = strrchr(nb_buf_cstr(&p), '/');
	if (slash) {
		char *dir = strndup(p.ptr, (size_t)(slash - p.ptr));
		if (!dir)
			abort();
		nb_fs_mkdirs(dir);
		free(dir);
	}
	int fd = open(nb_buf_cstr(&p), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct stat st;
	if (fd >= 0 && futimens(fd, NULL) == 0 && fstat(fd, &st) == 0) {
		f->ok = 1;
		f->dev = st.st_dev;
		f->t = st.st_mtim;
	}
	if (fd >= 0)
		close(fd);
	unlink(nb_buf_cstr(&p));
	nb_buf_free(&p);
}

static int fence_before(const fence *f, const struct stat *st)
{
	if (f->ok && st->st_dev == f->dev)
		return st->st_mtim.tv_sec < f->t.tv_sec ||
		       (st->st_mtim.tv_sec == f->t.tv_sec && st->st_mtim.tv_nsec < f->t.tv_nsec);
	return (long long)st->st_mtim.tv_sec < f->margin;
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
	const wfile *files;    /* the batch's first */
	int write, pack, docs;
	const nb_config *cfg;
	const oid_recs *old;
	hslot *slots;
} hbatch;

static void hash_task(void *ud, size_t k)
{
	hbatch *b = ud;
	hslot *s = &b->slots[k];
	const wfile *f = &b->files[k];
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

/*
 * Hash the walked files of one root through the records `old` (may be
 * empty), noting in `now` what may be remembered (`fc` NULL: nothing).
 * With `docs`, the root is content/: its .md files are documents, drafts
 * left out.
 */
static int hash_walked(nb_audit *a, const char *dir, const char *prefix, const wlist *files,
		       int write, const nb_config *cfg, json_t *docs, const oid_recs *old,
		       oid_recs *now, const fence *fc, nb_audit_files *out)
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
		b.pack = a->pack && a->pack->spilled && !a->pack->sealed;
		b.slots = calloc(n, sizeof(*b.slots));
		if (!b.slots)
			abort();
		nb_pool_wait(nb_pool_start(jobs < n ? jobs : n, n, hash_task, &b));
		for (size_t k = 0; k < n; k++) {
			hslot *s = &b.slots[k];
			const wfile *f = &files->items[lo + k];
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
			if (fc && fence_before(fc, &f->st)) {
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
				char hex[GIT_OID_HEXSZ + 1];
				git_oid_tostr(hex, sizeof(hex), &s->id);
				/* path is "site/content/..." */
				const char *rel = nb_buf_cstr(&path) + strlen("site/");
				char *did = doc_id(rel, s->facts.id);
				json_object_set_new(docs, rel,
					json_pack("{s:s, s:s}", "id", did, "hash", hex));
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
	return nb_audit_hash_dir_cached(a, dir, prefix, dotfiles, write, out, NULL);
}

int nb_audit_hash_dir_cached(nb_audit *a, const char *dir, const char *prefix,
			     int dotfiles, int write, nb_audit_files *out, const char *cache)
{
	wlist files = { 0 };
	oid_recs old = { 0 }, now = { 0 };
	int rc = walk_files(a, dir, dotfiles, 0, &files);
	fence fc;
	if (rc == 0 && cache) {
		recs_load(cache, "-", &old);
		fence_set(&fc, cache);
	}
	if (rc == 0)
		rc = hash_walked(a, dir, prefix, &files, write, NULL, NULL, &old, &now,
				 cache ? &fc : NULL, out);
	if (rc == 0 && cache)
		recs_save(cache, "-", &now);
	recs_free(&old);
	recs_free(&now);
	wlist_free(&files);
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
			  nb_audit_files *out, json_t *docs)
{
	return nb_audit_hash_sources_cached(a, cfg, write, out, docs, NULL);
}

int nb_audit_hash_sources_cached(nb_audit *a, const nb_config *cfg, int write,
				 nb_audit_files *out, json_t *docs, const char *cache)
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
	fence fc;
	if (cache) {
		recs_load(cache, tag, &old);
		fence_set(&fc, cache);
	}
	json_t *scratch = docs ? NULL : json_object();

	/* content/: the same files the build reads (nb_fs_walk), drafts never. */
	char *content = nb_path_join(site, "content");
	if (nb_fs_is_dir(content)) {
		wlist files = { 0 };
		rc = walk_files(a, content, 0, 1, &files);
		if (rc == 0) {
			/* In path order, as nb_fs_walk lists them. */
			if (files.len > 1)
				qsort(files.items, files.len, sizeof(*files.items), cmp_wfile);
			rc = hash_walked(a, content, "site/content", &files, write, cfg,
					 docs ? docs : scratch, &old, &now, cache ? &fc : NULL, out);
		}
		wlist_free(&files);
	}
	free(content);
	json_decref(scratch);
	static const char *const extra[] = { "themes", "static" };
	for (size_t i = 0; i < 2 && rc == 0; i++) {
		char *dir = nb_path_join(site, extra[i]);
		if (nb_fs_is_dir(dir)) {
			char *pre = nb_path_join("site", extra[i]);
			wlist files = { 0 };
			rc = walk_files(a, dir, 0, 0, &files);
			if (rc == 0)
				rc = hash_walked(a, dir, pre, &files, write, NULL, NULL, &old, &now,
						 cache ? &fc : NULL, out);
			wlist_free(&files);
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

/* ---- trees --------------------------------------------------------------- */

/*
 * A folder of the list, in pre-order: its subfolders follow it, `count`
 * nodes in all with itself, so a subtree is skipped in one step. Its tree
 * object's bytes ("<mode> <name>\0<20-byte id>" per entry, in git's
 * order) stay in `data` for the writing pass.
 */
typedef struct tnode {
	size_t lo, skip;       /* first file in the list; length of its path prefix */
	size_t count;
	size_t off, len;       /* its tree object's bytes in data */
	git_oid id;
} tnode;

struct nb_audit_tree {
	const nb_audit_files *files;
	tnode *nodes;
	size_t len, cap;
	nb_buf data;
};

typedef struct tent {
	const char *name;
	size_t nlen;
	int tree;
	git_oid id;
} tent;

/*
 * A bytewise sort of full paths is git's tree order: git compares a
 * folder's name as if it ended in '/', which is exactly the byte that
 * follows it in a full path, and a folder's files form one contiguous run.
 */
static size_t hash_range(nb_audit_tree *t, size_t lo, size_t hi, size_t skip)
{
	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->nodes = realloc(t->nodes, t->cap * sizeof(*t->nodes));
		if (!t->nodes)
			abort();
	}
	size_t idx = t->len++;
	const nb_audit_file *f = t->files->items;
	tent *ents = NULL;
	size_t ne = 0, ce = 0;
	size_t i = lo;
	while (i < hi) {
		const char *p = f[i].path + skip;
		const char *slash = strchr(p, '/');
		if (ne == ce) {
			ce = ce ? ce * 2 : 16;
			ents = realloc(ents, ce * sizeof(*ents));
			if (!ents)
				abort();
		}
		if (!slash) {
			ents[ne++] = (tent){ p, strlen(p), 0, f[i].id };
			i++;
			continue;
		}
		size_t nlen = (size_t)(slash - p);
		size_t j = i + 1;
		while (j < hi && !strncmp(f[j].path + skip, p, nlen + 1))
			j++;
		size_t child = hash_range(t, i, j, skip + nlen + 1);
		ents[ne++] = (tent){ p, nlen, 1, t->nodes[child].id };
		i = j;
	}
	size_t off = t->data.len;
	for (size_t k = 0; k < ne; k++) {
		nb_buf_puts(&t->data, ents[k].tree ? "40000 " : "100644 ");
		nb_buf_put(&t->data, ents[k].name, ents[k].nlen);
		nb_buf_putc(&t->data, '\0');
		nb_buf_put(&t->data, ents[k].id.id, GIT_OID_RAWSZ);
	}
	free(ents);
	tnode *n = &t->nodes[idx];
	n->lo = lo;
	n->skip = skip;
	n->count = t->len - idx;
	n->off = off;
	n->len = t->data.len - off;
	git_odb_hash(&n->id, t->data.ptr + off, n->len, GIT_OBJECT_TREE);
	return idx;
}

int nb_audit_tree_hash(nb_audit *a, const nb_audit_files *files, nb_audit_tree **out)
{
	(void)a;
	nb_audit_tree *t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	t->files = files;
	/* Room for every folder's bytes at once: no copying as it grows. */
	nb_buf_grow(&t->data, files->len * 64);
	hash_range(t, 0, files->len, 0);
	*out = t;
	return 0;
}

void nb_audit_tree_free(nb_audit_tree *t)
{
	if (!t)
		return;
	free(t->nodes);
	nb_buf_free(&t->data);
	free(t);
}

/* The node of the root (`name` NULL) or of a top-level folder; -1. */
static long find_node(const nb_audit_tree *t, const char *name)
{
	if (!name)
		return 0;
	size_t nl = strlen(name);
	for (size_t i = 1; i < t->len; i += t->nodes[i].count) {
		const char *p = t->files->items[t->nodes[i].lo].path;
		if (t->nodes[i].skip == nl + 1 && !strncmp(p, name, nl))
			return (long)i;
	}
	return -1;
}

int nb_audit_tree_id(const nb_audit_tree *t, const char *name, git_oid *out)
{
	long i = find_node(t, name);
	if (i < 0)
		return GIT_ENOTFOUND;
	git_oid_cpy(out, &t->nodes[i].id);
	return 0;
}

/* One entry of a node's bytes; returns where the next one starts. */
static const char *next_entry(const char *p, int *tree, const char **name, git_oid *id)
{
	*tree = p[0] == '4';
	*name = strchr(p, ' ') + 1;
	size_t n = strlen(*name);
	git_oid_fromraw(id, (const unsigned char *)*name + n + 1);
	return *name + n + 1 + GIT_OID_RAWSZ;
}

/* Names libgit2 might refuse in a tree: ".git" and what some file system
 * could take for it (leading dot, "git~1", non-ASCII look-alikes). */
static int needs_name_check(const char *name)
{
	if (name[0] == '.' || name[0] == 'g' || name[0] == 'G')
		return 1;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p >= 0x80)
			return 1;
	return 0;
}

/* A blob the record named but the database lacks: write it from its file,
 * which must still hold exactly those bytes. */
static int write_missing_blob(nb_audit *a, const nb_audit_root *roots, const char *path,
			      const git_oid *want)
{
	for (const nb_audit_root *r = roots; r && r->prefix; r++) {
		size_t pl = strlen(r->prefix);
		if (strncmp(path, r->prefix, pl))
			continue;
		char *full = nb_path_join(r->dir, path + pl);
		git_oid got;
		int rc = hash_file(a, full, 1, &got);
		if (rc == 0 && !git_oid_equal(&got, want)) {
			set_err(a, "%s changed while it was being published; publish again", full);
			rc = -1;
		}
		free(full);
		return rc;
	}
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), want);
	set_err(a, "the object %s for %s is missing from %s", hex, path, a->path);
	return -1;
}

/* The old way, entry by entry through libgit2, for a tree with names that
 * need libgit2's judgement: the same refusals as ever, the same bytes. */
static int write_node_checked(nb_audit *a, const nb_audit_tree *t, const tnode *n)
{
	git_treebuilder *tb = NULL;
	if (git_treebuilder_new(&tb, a->repo, NULL) < 0)
		return git_fail(a, "cannot build a tree");
	int rc = 0;
	const char *p = t->data.ptr + n->off, *end = p + n->len;
	while (p < end && rc == 0) {
		int tree;
		const char *name;
		git_oid id;
		p = next_entry(p, &tree, &name, &id);
		if (git_treebuilder_insert(NULL, tb, name, &id,
					   tree ? GIT_FILEMODE_TREE : GIT_FILEMODE_BLOB) < 0)
			rc = git_fail(a, tree ? "cannot add a folder to a tree"
					      : "cannot add a file to a tree");
	}
	git_oid got;
	if (rc == 0 && git_treebuilder_write(&got, tb) < 0)
		rc = git_fail(a, "cannot write a tree");
	if (rc == 0 && !git_oid_equal(&got, &n->id)) {
		set_err(a, "internal error: libgit2 wrote a tree differently");
		rc = -1;
	}
	git_treebuilder_free(tb);
	return rc;
}

static int write_node(nb_audit *a, const nb_audit_tree *t, size_t idx, const git_tree *old,
		      const nb_audit_root *roots, nb_buf *path)
{
	const tnode *n = &t->nodes[idx];
	if (old && git_oid_equal(git_tree_id(old), &n->id))
		return 0;
	size_t base = path->len;
	const char *p = t->data.ptr + n->off, *end = p + n->len;
	size_t next = idx + 1;
	int rc = 0, check = 0;
	while (p < end && rc == 0) {
		int tree;
		const char *name;
		git_oid id;
		p = next_entry(p, &tree, &name, &id);
		check |= needs_name_check(name);
		const git_tree_entry *oe = old ? git_tree_entry_byname(old, name) : NULL;
		git_object_t otype = oe ? git_tree_entry_type(oe) : GIT_OBJECT_INVALID;
		int same = oe && git_oid_equal(git_tree_entry_id(oe), &id);
		path->len = base;
		nb_buf_puts(path, name);
		if (tree) {
			size_t child = next;
			next += t->nodes[child].count;
			/* In the last publication: complete already. */
			if (same && otype == GIT_OBJECT_TREE)
				continue;
			git_tree *osub = NULL;
			if (otype == GIT_OBJECT_TREE &&
			    git_tree_lookup(&osub, a->repo, git_tree_entry_id(oe)) < 0) {
				git_error_clear();
				osub = NULL;  /* unreadable: check this folder in full */
			}
			nb_buf_putc(path, '/');
			rc = write_node(a, t, child, osub, roots, path);
			git_tree_free(osub);
		} else if (!(same && otype == GIT_OBJECT_BLOB) && !have_object(a, &id)) {
			rc = write_missing_blob(a, roots, nb_buf_cstr(path), &id);
		}
	}
	path->len = base;
	path->ptr[base] = '\0';
	/* Children first: a tree is never written before what it names. */
	if (rc != 0 || have_object(a, &n->id))
		return rc;
	if (check)
		return write_node_checked(a, t, n);
	return put_object(a, &n->id, GIT_OBJECT_TREE, t->data.ptr + n->off, n->len);
}

int nb_audit_tree_write(nb_audit *a, const nb_audit_tree *t, const char *name,
			const git_tree *old, const nb_audit_root *roots)
{
	long idx = find_node(t, name);
	if (idx < 0) {
		set_err(a, "internal error: no folder %s in the tree", name);
		return -1;
	}
	nb_buf path = NB_BUF_INIT;
	nb_buf_grow(&path, 256);
	git_tree *sub = NULL;
	const git_tree_entry *e = name && old ? git_tree_entry_byname(old, name) : NULL;
	if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    git_tree_lookup(&sub, a->repo, git_tree_entry_id(e)) < 0) {
		git_error_clear();
		sub = NULL;
	}
	if (name) {
		nb_buf_puts(&path, name);
		nb_buf_putc(&path, '/');
	}
	int rc = write_node(a, t, (size_t)idx, name ? sub : old, roots, &path);
	git_tree_free(sub);
	nb_buf_free(&path);
	return rc;
}

int nb_audit_write_tree(nb_audit *a, const nb_audit_files *files, git_oid *out)
{
	nb_audit_tree *t = NULL;
	int rc = nb_audit_tree_hash(a, files, &t);
	if (rc == 0)
		rc = nb_audit_tree_write(a, t, NULL, NULL, NULL);
	if (rc == 0)
		nb_audit_tree_id(t, NULL, out);
	nb_audit_tree_free(t);
	return rc;
}

/* ---- manifest.json ---------------------------------------------------------- */

/*
 * jansson's dump format, reproduced: jansson builds the text through a
 * callback per token and sorts every object's keys again, which for a
 * 20,000-entry manifest cost more than the rest of recording a
 * publication. Its rules (dump.c, utf.c): strings are checked as UTF-8
 * (RFC 3629: no overlongs, surrogates or values past U+10FFFF); `"`, `\`
 * and control characters are escaped; everything past U+007F is written
 * as \uXXXX (upper-case hex; a surrogate pair past U+FFFF); keys are
 * sorted bytewise; JSON_INDENT(1) puts each member on its own line.
 * Strings go through nb_buf_put_json (buf.h) with JSON_ENSURE_ASCII's
 * rule. tests/test_audit.c holds this against json_dumps itself.
 */
static void put_indent(nb_buf *b, int depth)
{
	nb_buf_grow(b, (size_t)depth + 1);
	b->ptr[b->len++] = '\n';
	for (int i = 0; i < depth; i++)
		b->ptr[b->len++] = ' ';
	b->ptr[b->len] = '\0';
}

static int cmp_cstr(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int put_json(nb_buf *b, const json_t *v, int depth)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v);
		if (!n) {
			nb_buf_put(b, "{}", 2);
			return 0;
		}
		const char **keys = malloc(n * sizeof(*keys));
		if (!keys)
			abort();
		size_t k = 0;
		const char *key;
		json_t *x;
		json_object_foreach((json_t *)v, key, x)
			keys[k++] = key;
		qsort(keys, n, sizeof(*keys), cmp_cstr);
		nb_buf_putc(b, '{');
		int rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (i)
				nb_buf_putc(b, ',');
			put_indent(b, depth + 1);
			rc = nb_buf_put_json(b, keys[i], strlen(keys[i]), 1);
			nb_buf_put(b, ": ", 2);
			if (rc == 0)
				rc = put_json(b, json_object_get(v, keys[i]), depth + 1);
		}
		free(keys);
		put_indent(b, depth);
		nb_buf_putc(b, '}');
		return rc;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);
		if (!n) {
			nb_buf_put(b, "[]", 2);
			return 0;
		}
		nb_buf_putc(b, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				nb_buf_putc(b, ',');
			put_indent(b, depth + 1);
			if (put_json(b, json_array_get(v, i), depth + 1) != 0)
				return -1;
		}
		put_indent(b, depth);
		nb_buf_putc(b, ']');
		return 0;
	}
	case JSON_STRING:
		return nb_buf_put_json(b, json_string_value(v), json_string_length(v), 1);
	case JSON_INTEGER:
		put_ll(b, (long long)json_integer_value(v));
		return 0;
	case JSON_TRUE:
		nb_buf_put(b, "true", 4);
		return 0;
	case JSON_FALSE:
		nb_buf_put(b, "false", 5);
		return 0;
	case JSON_NULL:
		nb_buf_put(b, "null", 4);
		return 0;
	default:
		return -1;  /* reals: left to jansson */
	}
}

int nb_audit_json_text(nb_buf *out, const json_t *v)
{
	nb_buf b = NB_BUF_INIT;
	int rc = v ? put_json(&b, v, 0) : -1;
	if (rc == 0)
		nb_buf_put(out, b.ptr, b.len);
	nb_buf_free(&b);
	return rc;
}

int nb_audit_manifest_text(nb_buf *out, const char *as_of, size_t publication,
			   const json_t *docs, const nb_audit_files *files, size_t skip)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_grow(&b, files->len * 80 + json_object_size(docs) * 120 + 256);
	nb_buf_puts(&b, "{\n \"as_of\": ");
	int rc = nb_buf_put_json(&b, as_of, strlen(as_of), 1);
	nb_buf_puts(&b, ",\n \"documents\": ");
	if (rc == 0)
		rc = docs ? put_json(&b, docs, 1) : -1;
	nb_buf_puts(&b, ",\n \"files\": ");
	size_t shown = 0;
	char hex[GIT_OID_HEXSZ + 1];
	for (size_t i = 0; i < files->len && rc == 0; i++) {
		const char *k = files->items[i].path + skip;
		/* What json_object_set_new() would refuse. */
		if (nb_utf8_validate(k, strlen(k), NULL, NULL) != 0)
			continue;
		nb_buf_put(&b, shown ? ",\n  " : "{\n  ", 4);
		rc = nb_buf_put_json(&b, k, strlen(k), 1);
		nb_buf_put(&b, ": \"", 3);
		git_oid_tostr(hex, sizeof(hex), &files->items[i].id);
		nb_buf_put(&b, hex, GIT_OID_HEXSZ);
		nb_buf_putc(&b, '"');
		shown++;
	}
	nb_buf_puts(&b, shown ? "\n }" : "{}");
	nb_buf_puts(&b, ",\n \"noticeboard\": ");
	if (rc == 0)
		rc = nb_buf_put_json(&b, NB_VERSION, strlen(NB_VERSION), 1);
	nb_buf_puts(&b, ",\n \"publication\": ");
	put_ull(&b, publication);
	nb_buf_puts(&b, "\n}\n");
	if (rc == 0)
		nb_buf_put(out, b.ptr, b.len);
	nb_buf_free(&b);
	return rc;
}

/* ---- the chain's identity ----------------------------------------------- */

int nb_audit_chain_id(nb_audit *a, size_t last, git_oid *out)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, a->refname);
	nb_buf_putc(&b, '\0');
	for (size_t n = 1; n <= last; n++) {
		git_oid id;
		if (tag_target(a, n, &id) < 0) {
			nb_buf_free(&b);
			return git_fail(a, "cannot read a publication's tag");
		}
		nb_buf_put(&b, id.id, GIT_OID_RAWSZ);
	}
	int rc = git_odb_hash(out, b.ptr, b.len, GIT_OBJECT_BLOB) < 0 ? git_fail(a, "cannot hash") : 0;
	nb_buf_free(&b);
	return rc;
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
	if (signing_key && nb_audit_ssh_sign(a, signing_key, buf.ptr, &sig) != 0)
		goto done;
	if (git_commit_create_with_signature(out, a->repo, buf.ptr,
					     signing_key ? nb_buf_cstr(&sig) : NULL,
					     signing_key ? "gpgsig" : NULL) < 0) {
		git_fail(a, "cannot write the commit");
		goto done;
	}
	/* Every object the refs will name, then all of them durable. */
	git_oid tag;
	if (tag_object(a, n, out, &tag) < 0 || nb_audit_pack_end(a) < 0)
		goto done;
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
	if (tag_ref(a, n, &tag) < 0)
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
	/* As git does: each half from GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL,
	 * else from user.name / user.email in the repository's, the user's or
	 * the system's config. Scripts that set the variables for git are
	 * honoured the same way here. No made-up fallback: a publication's
	 * publisher is part of the record, so an unknown one is an error. */
	const char *en = getenv("GIT_AUTHOR_NAME"), *ee = getenv("GIT_AUTHOR_EMAIL");
	git_config *cfg = NULL;
	git_buf cn = { 0 }, ce = { 0 };
	if (git_repository_config_snapshot(&cfg, a->repo) == 0) {
		if (!(en && en[0]) && git_config_get_string_buf(&cn, cfg, "user.name") == 0)
			en = cn.ptr;
		if (!(ee && ee[0]) && git_config_get_string_buf(&ce, cfg, "user.email") == 0)
			ee = ce.ptr;
	}
	git_error_clear();
	int rc = 0;
	if (!(en && en[0]) || !(ee && ee[0])) {
		set_err(a, "who is publishing? no publisher name or email is set "
			   "(give --as \"NAME <EMAIL>\", or set GIT_AUTHOR_NAME and "
			   "GIT_AUTHOR_EMAIL, or git config --global user.name / user.email)");
		rc = -1;
	} else if (git_signature_now(out, en, ee) < 0) {
		rc = git_fail(a, "cannot make a signature");
	}
	git_buf_dispose(&cn);
	git_buf_dispose(&ce);
	git_config_free(cfg);
	return rc;
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

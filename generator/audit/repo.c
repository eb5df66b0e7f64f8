/*
 * repo.c - opening the publication record: the bare repository and its
 * object database, and the error helpers every audit/ file shares
 * (audit_internal.h); see audit.h.
 *
 * The audit code is a file per noun: repo (here), lock, pack (where new
 * objects go), files (hashing what is published), tree, manifest,
 * commit (the chain of publications and how it grows), record (reading
 * publications back), check (is the record whole), sign (SSH signatures),
 * rebuild (a publication made again from its record), and for `audit`
 * fetch, auditor and monitor. Only these files include git2.h: audit.h
 * gives the rest of the program its own id type and opaque handles.
 *
 * Why it is built this way:
 *
 * - A new repository appears whole or not at all (init_whole): a publish
 *   killed while libgit2 made it used to leave a folder that every later
 *   publish refused to open.
 *
 * - The repository is refused inside the served folder (and the served
 *   folder inside it): the web server would publish the whole history.
 *
 * - Refs and objects libgit2 writes are fsynced, and so are their folders:
 *   what a publish reports as recorded survives a power cut.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit_internal.h"
#include "audit/loose.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/utf8.h"

/* The two kinds of message but I/O errors: a refusal is a verdict on
 * the record or the settings (publish exits 1), any other not. */
static void set_message(nb_audit *a, int refused, const char *fmt, va_list ap)
{
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	a->io = 0;
	a->refused = refused;
}

void nb_audit_set_err(nb_audit *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(a, 0, fmt, ap);
	va_end(ap);
}

void nb_audit_refuse(nb_audit *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(a, 1, fmt, ap);
	va_end(ap);
}

void nb_audit_say(const nb_config *cfg, const char *prefix, const char *text)
{
	/* The messages are the catalog's "@" pieces, which `audit` also
	 * quotes inside its own sentences (diag_i18n.c). */
	nb_diag d;
	nb_diag_init(&d);
	nb_diag_set_language(&d, cfg ? cfg->language : NULL);
	char *s = nb_diag_translate(nb_diag_language(&d), "@", text);
	nb_diag_free(&d);
	nb_utf8_fputs_line(stderr, prefix, s);
	free(s);
}

/* Append libgit2's last error to a message. */
int git_fail(nb_audit *a, const char *what)
{
	const git_error *e = git_error_last();
	int io = e && e->klass == GIT_ERROR_OS;
	set_err(a, "%s%s: %s", io ? "I/O error: " : "", what,
		e && e->message ? e->message : "unknown error");
	a->io = io;
	return -1;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}
/* ---- open, close --------------------------------------------------------- */

int is_inside(const char *child, const char *parent)
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
		else
			a->created = 1;
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

/* Whether a file or a folder that is not empty is at `path` (one that
 * cannot be read is left to libgit2's own message). */
static int occupied(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOTDIR;
	struct dirent *e;
	int n = 0;
	while (!n && (e = readdir(d)))
		n = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
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
	/* Packs are read through mapped windows, 1 GB each and 8 GB in all
	 * by default on 64-bit: a publish that reads every page of the last
	 * publication back (output/pubtag.h) kept the whole pack resident,
	 * 55 MB of its 190 MB peak at 10,000 documents. Small windows under a
	 * small cap are unmapped as reading moves on, at no measurable cost
	 * in time. */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)2 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)16 << 20);
	a->path = xstrdup(cfg->audit_repo);
	/* `audit.repository: audit.git/` is the same folder; with the slash
	 * kept, init_whole made its staging folder inside the one it was to
	 * become, and every first publish failed. */
	size_t pl = strlen(a->path);
	while (pl > 1 && a->path[pl - 1] == '/')
		a->path[--pl] = '\0';
	size_t n = strlen(cfg->audit_branch) + 16;
	a->refname = malloc(n);
	if (!a->refname)
		abort();
	snprintf(a->refname, n, "refs/heads/%s", cfg->audit_branch);
	if (!git_reference_is_valid_name(a->refname)) {
		refuse(a, "audit.branch `%s` is not a valid git branch name", cfg->audit_branch);
		return -1;
	}
	/* A repository in the served folder would publish the whole history
	 * (and a .git there is exactly what the issue forbids). */
	char *repo_real = nb_fs_resolve(a->path), *out_real = nb_fs_resolve(cfg->output_path);
	int inside = is_inside(repo_real, out_real) || is_inside(out_real, repo_real);
	free(repo_real);
	free(out_real);
	if (inside) {
		refuse(a, "the audit repository %s is inside the served folder %s; "
			"set audit.repository in site.yaml to a folder outside it",
			a->path, cfg->output_path);
		return -1;
	}
	int rc = git_repository_open_ext(&a->repo, a->path,
					 GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE,
					 NULL);
	if (rc == GIT_ENOTFOUND && occupied(a->path)) {
		/* "Run publish first" was no help: publish cannot make the
		 * record where something else is. */
		refuse(a, "%s%s is not a git repository; move it away, or set audit.repository "
			"in site.yaml to the folder publish records to",
			create ? "cannot create the audit repository: " : "", a->path);
		return create ? -1 : GIT_ENOTFOUND;
	}
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
	return nb_audit_loose_guard(a);
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

/* Whether any ref is in the repository (-1: cannot tell). */
static int has_refs(nb_audit *a)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	if (git_reference_iterator_new(&it, a->repo) < 0)
		return -1;
	int rc = git_reference_next(&ref, it);
	git_reference_free(ref);
	git_reference_iterator_free(it);
	return rc == 0 ? 1 : rc == GIT_ITEROVER ? 0 : -1;
}

int nb_audit_discard_new(nb_audit *a)
{
	/* Without the lock, another publish may be using it by now. */
	if (!a->created || a->lock_fd < 0 || !a->repo || has_refs(a) != 0)
		return 0;
	/* Under a name init_whole removes once this process is gone, should
	 * the removal be cut short. */
	nb_buf aside = NB_BUF_INIT;
	nb_buf_printf(&aside, "%s.staging-init-%ld", a->path, (long)getpid());
	nb_fs_rmtree(nb_buf_cstr(&aside));
	int gone = rename(a->path, nb_buf_cstr(&aside)) == 0;
	if (gone) {
		nb_fs_rmtree(nb_buf_cstr(&aside));
		a->created = 0;
	}
	nb_buf_free(&aside);
	return gone;
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
		nb_buf prefix = NB_BUF_INIT;
		nb_buf_printf(&prefix, "noticeboard %s: ", cmd);
		nb_audit_say(cfg, nb_buf_cstr(&prefix), a->err);
		nb_buf_free(&prefix);
		nb_audit_close(a);
		nb_config_free(cfg);
		return 3;  /* NB_EXIT_IO */
	}
	return 0;
}

int nb_audit_init_mirror(nb_audit *a, const char *path)
{
	git_repository *m = NULL;
	if (git_repository_init(&m, path, 1) < 0) {
		const git_error *e = git_error_last();
		set_err(a, "%s", e && e->message ? e->message : "");
		return -1;
	}
	git_repository_free(m);
	return 0;
}

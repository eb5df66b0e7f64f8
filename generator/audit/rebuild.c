/*
 * rebuild.c - reproduce a publication from its own record; see rebuild.h.
 *
 * Why it is done this way:
 *
 * - In-process, through the one pipeline (nb_build_run) with the options
 *   `build --audit-repo R --publication N --as-of DATE` passes, rather
 *   than by running another noticeboard: the program that judges is the
 *   very one whose identity is compared with the record's generator.
 *
 * - Only the record is used. The sources are written out from the
 *   publication's site/ tree into a temporary folder (names checked: a
 *   tree from someone else's server may hold `..` or a symlink, which is
 *   refused rather than followed), the date is the manifest's, and the
 *   history is read from the same repository up to N. Nothing of the
 *   auditor's machine (a site folder, today's date) can enter.
 *
 * - Output is compared by git blob id, the way `verify` compares a served
 *   folder, so the result names every differing file.
 *
 * - Another generator is not tampering. The manifest says which program
 *   made a publication ("generator", or before that field "noticeboard":
 *   its version); when the rebuild differs and that is not this program
 *   exactly (version, any library, the built-in theme's digest), the
 *   verdict says so, naming both and what differs, so an auditor with
 *   another build is not told the site lied.
 */
#include "audit/rebuild.h"
#include "audit/audit_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/publish.h"
#include "output/build.h"
#include "output/identity.h"
#include "util/fs.h"

size_t nb_audit_files_compare(const nb_audit_files *pub, const nb_audit_files *here,
			      nb_audit_diff_fn fn, void *ud)
{
	size_t i = 0, j = 0, n = 0;
	while (i < pub->len || j < here->len) {
		if (i < pub->len && !strcmp(pub->items[i].path, NB_BUILD_MARKER)) {
			i++;
			continue;
		}
		if (j < here->len && !strcmp(here->items[j].path, NB_BUILD_MARKER)) {
			j++;
			continue;
		}
		int cmp = i >= pub->len ? 1 : j >= here->len ? -1
				: strcmp(pub->items[i].path, here->items[j].path);
		const char *what = cmp < 0 ? "missing" : cmp > 0 ? "extra"
				   : nb_oid_equal(&pub->items[i].id, &here->items[j].id) ? NULL
				   : "modified";
		if (what && fn)
			fn(ud, what, cmp < 0 ? pub->items[i].path : here->items[j].path);
		n += what != NULL;
		i += cmp <= 0;
		j += cmp >= 0;
	}
	return n;
}

/* ---- the sources, written out ------------------------------------------- */

typedef struct extract {
	nb_audit *a;
	const char *root;
	int failed;
} extract;

static int safe_name(const char *s)
{
	return *s && strcmp(s, ".") && strcmp(s, "..") && !strchr(s, '/') && strcmp(s, ".git");
}

/* A recorded source that cannot be read: the record is damaged, which
 * verify and audit report as such (exit 1), unless the system failed
 * reading it (a->io, exit 3). */
static void unreadable(nb_audit *a, const char *dir, const char *name, const git_oid *id)
{
	const git_error *e = git_error_last();
	int io = e && e->klass == GIT_ERROR_OS;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	nb_audit_set_err(a, "%s site/%s%s (%s) cannot be read: %s",
			 io ? "I/O error: the recorded source" : "the audit repository is damaged: "
			 "the recorded source", dir, name, hex,
			 e && e->message ? e->message : "unknown error");
	a->io = io;
}

static int extract_entry(const char *dir, const git_tree_entry *e, void *ud)
{
	extract *x = ud;
	const char *name = git_tree_entry_name(e);
	git_filemode_t mode = git_tree_entry_filemode(e);
	if (!safe_name(name) || (mode != GIT_FILEMODE_TREE && mode != GIT_FILEMODE_BLOB &&
				 mode != GIT_FILEMODE_BLOB_EXECUTABLE)) {
		nb_audit_set_err(x->a, "the recorded sources hold `%s%s`, which is not a plain "
				 "file or folder name; refusing to write it", dir, name);
		x->failed = 1;
		return -1;
	}
	nb_buf path = NB_BUF_INIT;
	nb_buf_printf(&path, "%s/%s%s", x->root, dir, name);
	int rc = 0;
	char *data = NULL;
	size_t len = 0;
	git_tree *sub = NULL;
	/* A folder is read here, where its path is known: git_tree_walk
	 * would only stop at it, and the sources written so far looked
	 * like sources that do not build, or build otherwise. */
	if (mode == GIT_FILEMODE_TREE ? git_tree_lookup(&sub, x->a->repo, git_tree_entry_id(e)) < 0
	    : nb_audit_read_blob(x->a, to_nb(git_tree_entry_id(e)), &data, &len) != 0) {
		unreadable(x->a, dir, name, git_tree_entry_id(e));
		rc = -1;
	} else if (mode == GIT_FILEMODE_TREE ? nb_fs_mkdirs(nb_buf_cstr(&path))
		   : nb_fs_write(nb_buf_cstr(&path), data, len)) {
		nb_audit_set_err(x->a, "cannot write %s: %s", nb_buf_cstr(&path), strerror(errno));
		x->a->io = 1;
		rc = -1;
	}
	x->failed |= rc != 0;
	git_tree_free(sub);
	free(data);
	nb_buf_free(&path);
	return rc;
}

static int write_sources(nb_audit *a, const git_commit *c, const char *root)
{
	git_tree *t = NULL, *site = NULL;
	git_tree_entry *e = NULL;
	int rc = -1;
	if (git_commit_tree(&t, c) < 0 || git_tree_entry_bypath(&e, t, "site") < 0 ||
	    git_tree_lookup(&site, a->repo, git_tree_entry_id(e)) < 0) {
		nb_audit_set_err(a, "the publication records no sources (site/)");
	} else if (nb_fs_mkdirs(root) != 0) {
		nb_audit_set_err(a, "cannot create %s", root);
		a->io = 1;
	} else {
		extract x = { a, root, 0 };
		a->err[0] = '\0';
		int walked = git_tree_walk(site, GIT_TREEWALK_PRE, extract_entry, &x);
		/* The walk's own failure is never sources written out whole. */
		if (walked < 0 && !x.failed)
			git_fail(a, "cannot read the recorded sources");
		rc = walked < 0 || x.failed ? -1 : 0;
	}
	git_tree_entry_free(e);
	git_tree_free(site);
	git_tree_free(t);
	return rc;
}

/* ---- generators ---------------------------------------------------------- */

/* Who made the publication, as its manifest says; "" when it does not. */
static void recorded_generator(const json_t *m, char *out, size_t n)
{
	const json_t *g = json_object_get(m, "generator");
	const char *name = json_string_value(json_object_get(g, "name"));
	const char *version = json_string_value(json_object_get(g, "version"));
	const char *old = json_string_value(json_object_get(m, "noticeboard"));
	if (name && version)
		snprintf(out, n, "%s %s", name, version);
	else if (old)
		snprintf(out, n, "noticeboard %s", old);
	else
		out[0] = '\0';
}

/* `g` as "name version", plus each of its libraries and its theme digest
 * that differ from `other`'s: what an auditor needs to know to find the
 * program that can reproduce the publication. */
static void describe_generator(const json_t *g, const json_t *other, char *out, size_t n)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s %s", json_string_value(json_object_get(g, "name")),
		      json_string_value(json_object_get(g, "version")));
	const json_t *libs = json_object_get(g, "libraries");
	const json_t *olibs = json_object_get(other, "libraries");
	const char *lib;
	const json_t *v;
	json_object_foreach((json_t *)libs, lib, v) {
		if (!json_equal(v, json_object_get(olibs, lib)))
			nb_buf_printf(&b, ", %s %s", lib,
				      json_is_string(v) ? json_string_value(v) : "?");
	}
	const json_t *theme = json_object_get(g, "theme");
	if (!json_equal(theme, json_object_get(other, "theme")))
		nb_buf_printf(&b, ", built-in theme %.19s",
			      json_is_string(theme) ? json_string_value(theme) : "?");
	snprintf(out, n, "%s", b.ptr ? b.ptr : "");
	nb_buf_free(&b);
}

/* Whether the recorded generator is this program exactly: name, version,
 * every library and the built-in theme (a different cmark-gfm or theme can
 * change output as surely as another version). With both identities in
 * hand the descriptions name what differs. */
static int same_generator(const json_t *m, nb_rebuild *r)
{
	const json_t *rec = json_object_get(m, "generator");
	if (!json_is_object(rec) || !json_is_string(json_object_get(rec, "name")) ||
	    !json_is_string(json_object_get(rec, "version")))
		return !strcmp(r->recorded, r->running);
	char git[64];
	nb_audit_library_version(git, sizeof(git));
	json_t *run = nb_generator_identity(git);
	int same = json_equal(rec, run);
	if (!same) {
		describe_generator(rec, run, r->recorded, sizeof(r->recorded));
		describe_generator(run, rec, r->running, sizeof(r->running));
	}
	json_decref(run);
	return same;
}

/* ---- the rebuild ----------------------------------------------------------- */

static void add_diff(void *ud, const char *what, const char *path)
{
	json_array_append_new(ud, json_pack("{s:s, s:s}", "path", path, "what", what));
}

/* Build the written-out sources; 0 when they built (else r->err). */
static int build_sources(nb_audit *a, size_t n, const char *site, const char *out,
			 const char *as_of, nb_rebuild *r)
{
	nb_build_opts o = { site, as_of, out, 0, 0, a->path, n, NULL, NULL, 0, NULL };
	nb_build_result res;
	memset(&res, 0, sizeof(res));
	nb_diag d;
	nb_diag_init(&d);
	int rc = nb_build_run(&o, &res, &d);
	if (rc != 0) {
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		if (mem) {
			nb_diag_sort(&d);
			nb_diag_print(&d, mem, 0);
			fclose(mem);
		}
		snprintf(r->err, sizeof(r->err), "its recorded sources do not build: %s",
			 text && *text ? text : "(no message)");
		free(text);
	}
	nb_diag_free(&d);
	return rc;
}

int nb_audit_rebuild(nb_audit *a, size_t n, nb_rebuild *r)
{
	memset(r, 0, sizeof(*r));
	r->publication = n;
	r->differ = json_array();
	snprintf(r->running, sizeof(r->running), "noticeboard %s", NB_VERSION);
	git_commit *c = NULL;
	git_tree *t = NULL;
	json_t *m = NULL;
	nb_audit_files pub = { 0 }, here = { 0 };
	const char *tmpdir = getenv("TMPDIR");
	nb_buf root = NB_BUF_INIT, site = NB_BUF_INIT, out = NB_BUF_INIT;
	nb_buf_printf(&root, "%s/nb-rebuild-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int rc = -1, made = 0;
	if (nb_audit_pub_load(a, n, &c, &m) != 0 || git_commit_tree(&t, c) < 0 ||
	    nb_audit_tree_files(a, t, "public", &pub) != 0)
		goto done;
	r->files = pub.len;
	recorded_generator(m, r->recorded, sizeof(r->recorded));
	const char *as_of = json_string_value(json_object_get(m, "as_of"));
	if (!as_of) {
		snprintf(r->err, sizeof(r->err), "its manifest.json records no as_of date");
		rc = 0;
		goto done;
	}
	if (!mkdtemp(root.ptr)) {
		nb_audit_set_err(a, "cannot create a temporary folder in %s",
				 tmpdir && *tmpdir ? tmpdir : "/tmp");
		a->io = 1;
		goto done;
	}
	made = 1;
	nb_buf_printf(&site, "%s/site", root.ptr);
	nb_buf_printf(&out, "%s/out", root.ptr);
	if (write_sources(a, c, site.ptr) != 0) {
		if (a->io)
			goto done;
		snprintf(r->err, sizeof(r->err), "%s", a->err);
		rc = 0;
		goto done;
	}
	if (build_sources(a, n, site.ptr, out.ptr, as_of, r) != 0) {
		rc = 0;
		goto done;
	}
	r->built = 1;
	if (nb_audit_hash_dir(a, out.ptr, "", 1, 0, &here) != 0)
		goto done;
	nb_audit_files_sort(&here);
	nb_audit_files_compare(&pub, &here, add_diff, r->differ);
	/* Only a differing result asks who made it: the same output from
	 * another version is still the same output. A manifest naming no
	 * generator names no other one: its differences are this program's
	 * verdict, not "not evidence either way" (exit 4). */
	r->other_generator = json_array_size(r->differ) && r->recorded[0] &&
			     !same_generator(m, r);
	rc = 0;
done:
	if (!r->recorded[0])
		snprintf(r->recorded, sizeof(r->recorded), "unknown");
	if (made)
		nb_fs_rmtree(root.ptr);
	nb_buf_free(&root);
	nb_buf_free(&site);
	nb_buf_free(&out);
	nb_audit_files_free(&pub);
	nb_audit_files_free(&here);
	json_decref(m);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

void nb_rebuild_free(nb_rebuild *r)
{
	json_decref(r->differ);
	r->differ = NULL;
}

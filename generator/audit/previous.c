/*
 * previous.c - the previous publication's pages, read from the record for
 * the next publication's pages to keep (output/pubtag.h); see audit.h
 * nb_audit_previous_open.
 *
 * Read from the repository, never from the served folder: the rule keeps
 * a page's bytes and its number only when they are exactly what the
 * previous publication recorded, and a served file can have been changed
 * since. The page memo (output/memo.h) is what spares a re-publish from
 * reading the pages it did not render, by the id given here.
 *
 * Pages are looked up by path as they are asked for (a re-publish asks
 * for the few it rendered), with their folders' trees kept in libgit2's
 * cache: without that, a re-publish that rendered every page (after a
 * plain build into the served folder) read meetings/'s tree again for
 * each of its 5,000 pages, 27 s at 10,000 documents instead of 8.
 */
#include "audit/audit_internal.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

/* libgit2 caches no tree above 4 KB by default (git_cache); at 10,000
 * documents meetings/ alone is 5,000 entries, read again for every page
 * looked up below it. While a previous publication is open, trees of any
 * size stay cached (within libgit2's total cache size). */
#define TREE_CACHE_LIMIT ((size_t)64 << 20)
#define TREE_CACHE_DEFAULT ((size_t)4096)

int nb_audit_previous_open(nb_audit_previous *p, nb_audit *a, size_t n)
{
	memset(p, 0, sizeof(*p));
	p->a = a;
	nb_commit *c = NULL;
	nb_tree *root = NULL;
	int rc = -1;
	if (nb_audit_pub_commit(a, n, &c) != 0)
		return -1;
	const nb_oid *pub;
	if (nb_commit_tree(&root, c) < 0 || !(pub = nb_tree_entry_id(root, "public")) ||
	    git_tree_lookup(&p->public, a->repo, to_git(pub)) < 0) {
		set_err(a, "cannot read publication %zu's public/ tree", n);
	} else {
		nb_oid_tostr(p->id, sizeof(p->id), pub);
		git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, TREE_CACHE_LIMIT);
		rc = 0;
	}
	nb_tree_free(root);
	nb_commit_free(c);
	return rc;
}

/* a->err for the previous publication's `what` ("folder", "page") at
 * public/`path` (`len` bytes of it), object `id`, that libgit2 could not
 * read: damage, or an I/O error (a->io) when the operating system failed. */
static void unreadable(nb_audit_previous *p, const char *what, const char *path, int len,
		       const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	const git_error *ge = git_error_last();
	int io = ge && ge->klass == GIT_ERROR_OS;
	set_err(p->a, "%s: the previous publication's %s public/%.*s (%s) cannot be read: %s",
		io ? "I/O error" : "the audit repository is damaged", what, len, path, hex,
		ge && ge->message ? ge->message : "unknown error");
	p->a->io = io;
}

/*
 * After git_tree_entry_bypath failed (`rc`): 0 when the publication served
 * nothing at `rel`, -1 (a->err) when a folder on the way is missing from
 * the record or cannot be read. Decided here, folder by folder, rather
 * than from libgit2's code: its "not found" is the code both of a path no
 * entry has and of a folder whose object is gone, and taking a damaged
 * record for absent pages would number every page below the folder anew
 * and call it new in the published changes. (libgit2 1.5 happens to
 * return -1 for the second; nothing documents that it must.)
 */
static int absent_or_damaged(nb_audit_previous *p, const char *rel, int rc)
{
	char why[256];
	const git_error *ge = git_error_last();
	snprintf(why, sizeof(why), "%s", ge && ge->message ? ge->message : "unknown error");
	int os = ge && ge->klass == GIT_ERROR_OS;
	git_tree *t = p->public, *sub = NULL;
	int damaged = 0;
	for (const char *s = rel; !damaged;) {
		size_t n = strcspn(s, "/");
		char *name = strndup(s, n);
		if (!name)
			abort();
		const git_tree_entry *e = git_tree_entry_byname(t, name);
		free(name);
		if (!e || !s[n] || git_tree_entry_type(e) != GIT_OBJECT_TREE)
			break;
		git_tree *next = NULL;
		if (git_tree_lookup(&next, p->a->repo, git_tree_entry_id(e)) < 0) {
			unreadable(p, "folder", rel, (int)(s + n - rel), git_tree_entry_id(e));
			damaged = 1;
		}
		git_tree_free(sub);
		t = sub = next;
		s += n + 1;
	}
	git_tree_free(sub);
	git_error_clear();
	if (damaged)
		return -1;
	if (rc == GIT_ENOTFOUND)
		return 0;
	set_err(p->a, "cannot read the previous publication's page %s: %s", rel, why);
	p->a->io = os;
	return -1;
}

int nb_audit_previous_page(void *ud, const char *rel, nb_buf *out)
{
	nb_audit_previous *p = ud;
	nb_buf_clear(out);
	git_tree_entry *e = NULL;
	int rc = git_tree_entry_bypath(&e, p->public, rel);
	if (rc < 0) {
		rc = absent_or_damaged(p, rel, rc);
	} else {
		char *data = NULL;
		size_t len = 0;
		rc = git_tree_entry_type(e) != GIT_OBJECT_BLOB ? 0
		     : nb_audit_read_blob(p->a, to_nb(git_tree_entry_id(e)), &data, &len) != 0 ? -1
		     : 1;
		if (rc < 0)
			unreadable(p, "page", rel, (int)strlen(rel), git_tree_entry_id(e));
		git_tree_entry_free(e);
		if (rc == 1)
			nb_buf_put(out, data, len);
		free(data);
	}
	/* Why, for the page's own error (pubtag.h): the build knows no record.
	 * Each way to fail above decides a->io for this page. */
	if (rc < 0) {
		nb_buf_puts(out, p->a->err);
		return p->a->io ? -2 : -1;
	}
	return rc;
}

void nb_audit_previous_free(nb_audit_previous *p)
{
	if (p->public)
		git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, TREE_CACHE_DEFAULT);
	git_tree_free(p->public);
	p->public = NULL;
}

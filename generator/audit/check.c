/*
 * check.c - is the record itself whole? Every object a publication
 * reaches, read back and hashed again; see nb_audit_check_objects in
 * audit.h.
 *
 * Why it is done this way:
 *
 * - Comparing ids is not enough. `verify` compares the served files with
 *   the blob ids a publication's trees name, and the chain with the ids
 *   its tags name; neither reads a blob. A blob deleted from the
 *   repository, or a pack whose bytes rotted, went unnoticed: the record
 *   said "identical, chain unbroken" while `git show` of it failed. So,
 *   as `git fsck` does for what the publications reach, each object is
 *   read (inflated) and its bytes hashed again against its id: a flipped
 *   byte in a pack entry either breaks the zlib stream or changes the
 *   hash, and both are caught here rather than trusted from the index.
 *
 * - Damage is named where an auditor looks for it: the publication, the
 *   object and the path inside that publication ("publication 2 is
 *   damaged: object 1a2b... (public/index.html) is missing"). An object
 *   shared by many publications is read once (its verdict is
 *   remembered), but reported for every publication that reaches it.
 *   A folder found whole is not walked again by later publications,
 *   which share most folders: a check costs about one read of the
 *   repository's distinct objects, not one per publication.
 *
 * - An error of the disk is not damage. A read that fails in the
 *   operating system (EIO) stops the check as an I/O error (exit 3), so
 *   an auditor is never told a publication was tampered with when the
 *   disk failed. (A folder where an object file should be is no such
 *   error: libgit2 finds no object there, and it is said missing.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "util/buf.h"
#include "util/utf8.h"

enum { ST_OK = 1, ST_MISSING, ST_CORRUPT };

/* Remembered verdicts by id: open addressing, the table at most half full. */
typedef struct verdict {
	git_oid id;
	int state;       /* 0 free; ST_* */
	git_object_t type;  /* what it is, when ST_OK */
	size_t damaged;  /* for a tree: damaged objects below it */
} verdict;

typedef struct check {
	nb_audit *a;
	verdict *tab;
	size_t cap, used;
	size_t pub;      /* the publication being walked */
	size_t damaged;  /* its damaged objects */
	nb_buf *report;
	int io;          /* an I/O error stopped the walk (a->err says which) */
} check;

static verdict *slot(check *c, const git_oid *id)
{
	size_t mask = c->cap - 1, i;
	memcpy(&i, id->id, sizeof(i));
	for (i &= mask;; i = (i + 1) & mask) {
		if (!c->tab[i].state || git_oid_equal(&c->tab[i].id, id))
			return &c->tab[i];
	}
}

static verdict *remember(check *c, const git_oid *id, int state, git_object_t type)
{
	if (2 * (c->used + 1) > c->cap) {
		verdict *old = c->tab;
		size_t n = c->cap;
		c->cap = n ? n * 2 : 1024;
		c->tab = calloc(c->cap, sizeof(*c->tab));
		if (!c->tab)
			abort();
		for (size_t i = 0; i < n; i++)
			if (old[i].state)
				*slot(c, &old[i].id) = old[i];
		free(old);
	}
	verdict *v = slot(c, id);
	if (!v->state) {
		v->id = *id;
		c->used++;
	}
	v->state = state;
	v->type = type;
	return v;
}

static const verdict *known(check *c, const git_oid *id)
{
	if (!c->cap)
		return NULL;
	const verdict *v = slot(c, id);
	return v->state ? v : NULL;
}

/* One line of the report per damaged object. The path is made one line
 * (\x0a for a line break, as verify's paths): a repository someone else
 * made may name a file "x<newline>verified: all good", and the report's
 * readers split it into lines. */
static void damage(check *c, const git_oid *id, const char *what, const char *path, int state)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	nb_buf p = NB_BUF_INIT;
	nb_utf8_put_visible(&p, path, strlen(path), 0);
	nb_buf_printf(c->report, "publication %zu is damaged: %s %s (%s) is %s\n", c->pub,
		      what, hex, p.len ? nb_buf_cstr(&p) : "its root folder",
		      state == ST_MISSING ? "missing" : "corrupt");
	nb_buf_free(&p);
	c->damaged++;
}

/*
 * Read one object and hash it again. ST_OK with *obj set (caller frees),
 * ST_MISSING, ST_CORRUPT, or 0 for an I/O error (a->err set). Whether it
 * is of the type a reference wants is the reference's business: the
 * object itself is whole, and another reference may want it as it is.
 */
static int read_object(check *c, const git_oid *id, const char *path, git_odb_object **obj)
{
	*obj = NULL;
	git_error_clear();
	int rc = git_odb_read(obj, c->a->odb, id);
	if (rc == GIT_ENOTFOUND)
		return ST_MISSING;
	if (rc < 0) {
		const git_error *e = git_error_last();
		if (e && e->klass == GIT_ERROR_OS && rc != GIT_EMISMATCH) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof(hex), id);
			snprintf(c->a->err, sizeof(c->a->err),
				 "I/O error reading object %s (%s) of publication %zu: %s", hex, path,
				 c->pub, e->message ? e->message : "unknown error");
			c->a->io = 1;
			return 0;
		}
		return ST_CORRUPT;
	}
	git_oid again;
	const void *data = git_odb_object_data(*obj);
	size_t len = git_odb_object_size(*obj);
	git_object_t type = git_odb_object_type(*obj);
	if (git_odb_hash(&again, data, len, type) < 0 || !git_oid_equal(&again, id)) {
		git_odb_object_free(*obj);
		*obj = NULL;
		return ST_CORRUPT;
	}
	return ST_OK;
}

/* An object not walked further (a blob, a tag, a commit): read once, its
 * verdict remembered. ST_* or 0 for an I/O error. A whole object of
 * another type than `type` is corrupt here: the verdict is remembered by
 * id alone, and a folder already found whole must not pass for a file. */
static int verdict_of(check *c, const git_oid *id, git_object_t type, const char *path)
{
	const verdict *v = known(c, id);
	if (!v) {
		git_odb_object *o = NULL;
		int state = read_object(c, id, path, &o);
		git_object_t got = o ? git_odb_object_type(o) : GIT_OBJECT_INVALID;
		git_odb_object_free(o);
		if (!state) {
			c->io = 1;
			return 0;
		}
		v = remember(c, id, state, got);
	}
	return v->state == ST_OK && v->type != type ? ST_CORRUPT : v->state;
}

/* A blob. 0 or -1 (I/O). */
static int check_blob(check *c, const git_oid *id, const char *path)
{
	int state = verdict_of(c, id, GIT_OBJECT_BLOB, path);
	if (!state)
		return -1;
	if (state != ST_OK)
		damage(c, id, "object", path, state);
	return 0;
}

/* A tree and all below it. A tree known whole is skipped; one known
 * damaged is walked again so this publication names its damage too. */
static int check_tree(check *c, const git_oid *id, const char *path)
{
	const verdict *v = known(c, id);
	if (v && v->state == ST_OK && v->type == GIT_OBJECT_TREE && !v->damaged)
		return 0;
	if (v && (v->state != ST_OK || v->type != GIT_OBJECT_TREE)) {
		damage(c, id, "folder", path, v->state == ST_OK ? ST_CORRUPT : v->state);
		return 0;
	}
	git_odb_object *o = NULL;
	int state = read_object(c, id, path, &o);
	if (!state) {
		c->io = 1;
		return -1;
	}
	git_object_t type = o ? git_odb_object_type(o) : GIT_OBJECT_INVALID;
	git_tree *t = NULL;
	if (state == ST_OK && type == GIT_OBJECT_TREE && git_tree_lookup(&t, c->a->repo, id) < 0)
		state = ST_CORRUPT;
	git_odb_object_free(o);
	if (state != ST_OK || type != GIT_OBJECT_TREE) {
		remember(c, id, state, type);
		damage(c, id, "folder", path, state == ST_OK ? ST_CORRUPT : state);
		return 0;
	}
	size_t before = c->damaged;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		nb_buf sub = NB_BUF_INIT;
		nb_buf_printf(&sub, "%s%s%s", path, path[0] ? "/" : "", git_tree_entry_name(e));
		switch (git_tree_entry_type(e)) {
		case GIT_OBJECT_TREE:
			rc = check_tree(c, git_tree_entry_id(e), nb_buf_cstr(&sub));
			break;
		case GIT_OBJECT_BLOB:
			rc = check_blob(c, git_tree_entry_id(e), nb_buf_cstr(&sub));
			break;
		default:
			break;  /* a submodule link names no object of ours */
		}
		nb_buf_free(&sub);
	}
	git_tree_free(t);
	if (rc == 0)
		remember(c, id, ST_OK, GIT_OBJECT_TREE)->damaged = c->damaged - before;
	return rc;
}

/* A tag or a commit: 0 whole, 1 damaged, -1 I/O. */
static int check_one(check *c, const git_oid *id, git_object_t type, const char *what)
{
	char path[64];
	snprintf(path, sizeof(path), "the %s of pub-%zu", what, c->pub);
	int state = verdict_of(c, id, type, path);
	if (!state)
		return -1;
	if (state != ST_OK)
		damage(c, id, what, path, state);
	return state == ST_OK ? 0 : 1;
}

/*
 * Whether `id` is a commit of the branch's first-parent line (its tip, or
 * the parent a commit there names). pub-N's object, when it cannot be
 * read, is then its commit (named directly, as older records did), and
 * otherwise the tag object the ref names: "the commit of pub-N is
 * missing" when it is the tag sends an auditor after the wrong object.
 */
static int on_branch(check *c, const git_oid *id)
{
	git_oid at;
	int found = 0, more = git_reference_name_to_id(&at, c->a->repo, c->a->refname) == 0;
	while (more && !(found = git_oid_equal(&at, id))) {
		git_commit *cm = NULL;
		more = git_commit_lookup(&cm, c->a->repo, &at) == 0 && git_commit_parentcount(cm);
		if (more)
			at = *git_commit_parent_id(cm, 0);
		git_commit_free(cm);
	}
	git_error_clear();
	return found;
}

int nb_audit_check_objects(nb_audit *a, size_t last, nb_buf *report, size_t *damaged)
{
	check c = { .a = a, .report = report };
	*damaged = 0;
	int rc = 0;
	for (size_t n = 1; rc == 0 && n <= last; n++) {
		c.pub = n;
		c.damaged = 0;
		char name[64];
		snprintf(name, sizeof(name), "refs/tags/pub-%zu", n);
		git_oid ref;
		if (git_reference_name_to_id(&ref, a->repo, name) < 0) {
			/* A missing tag is the chain's business (nb_audit_head). */
			git_error_clear();
			continue;
		}
		/* pub-N names a tag object (older records: the commit itself). */
		git_oid commit = ref;
		git_object_t rt;
		size_t rlen;
		int hr = git_odb_read_header(&rlen, &rt, a->odb, &ref);
		if (hr == 0 ? rt == GIT_OBJECT_TAG : !on_branch(&c, &ref)) {
			rc = check_one(&c, &ref, GIT_OBJECT_TAG, "tag");
			if (rc > 0) {
				*damaged += c.damaged;
				rc = 0;
				continue;
			}
			git_tag *tag = NULL;
			if (rc == 0 && git_tag_lookup(&tag, a->repo, &ref) == 0) {
				commit = *git_tag_target_id(tag);
				git_tag_free(tag);
			}
		}
		if (rc < 0)
			break;
		rc = check_one(&c, &commit, GIT_OBJECT_COMMIT, "commit");
		if (rc == 0) {
			git_commit *cm = NULL;
			if (git_commit_lookup(&cm, a->repo, &commit) < 0) {
				damage(&c, &commit, "commit", "its commit", ST_CORRUPT);
			} else {
				rc = check_tree(&c, git_commit_tree_id(cm), "");
				git_commit_free(cm);
			}
		} else if (rc > 0) {
			rc = 0;
		}
		*damaged += c.damaged;
	}
	free(c.tab);
	return c.io ? -1 : 0;
}

/*
 * tree.c - a publication's trees: hashed in memory from a sorted file
 * list, written only where they differ from the last publication's, and
 * listed back; see nb_audit_tree_hash in audit.h.
 *
 * Why: a re-publish of 10,000 documents has 10,000 folders, nearly all as
 * the last publication recorded them. Their ids are computed here from
 * the bytes git would hash (the same ids), and only folders whose id
 * differs from the last publication's are looked into, checked against
 * the object database and written. Names libgit2 might refuse go through
 * its tree builder, so the refusals stay libgit2's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "util/buf.h"
#include "util/fs.h"

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
			ents[ne] = (tent){ p, strlen(p), 0, { { 0 } } };
			memcpy(ents[ne++].id.id, f[i].id.id, GIT_OID_RAWSZ);
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

int nb_audit_tree_id(const nb_audit_tree *t, const char *name, nb_oid *out_id)
{
	git_oid *out = to_git_w(out_id);
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

/*
 * An entry the last publication recorded and this one keeps (`same`) is
 * not written again, so it must still be there: a publication built on a
 * folder or file the record lost would be recorded, and reported
 * published, naming an object nobody has. Only the entries of folders
 * this publication looks into are asked (what lies deeper in a kept
 * folder is `verify`'s to find, which hashes every object), and a miss is
 * asked again with the packs re-read before it is called damage, as
 * another process (git gc, the served copy) may have packed it.
 */
static int kept_entry_present(nb_audit *a, const git_oid *id, const char *path, int tree)
{
	if (have_object(a, id) || git_odb_exists(a->odb, id))
		return 0;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	set_err(a, "the audit repository is damaged: the last publication's %s %s (%s) is "
		"missing, so nothing was recorded; run `noticeboard verify` to see what else is",
		tree ? "folder" : "file", path, hex);
	return -1;
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
			if (same && otype == GIT_OBJECT_TREE) {
				rc = kept_entry_present(a, &id, nb_buf_cstr(path), 1);
				continue;
			}
			git_tree *osub = NULL;
			if (otype == GIT_OBJECT_TREE &&
			    git_tree_lookup(&osub, a->repo, git_tree_entry_id(oe)) < 0) {
				git_error_clear();
				osub = NULL;  /* unreadable: check this folder in full */
			}
			nb_buf_putc(path, '/');
			rc = write_node(a, t, child, osub, roots, path);
			git_tree_free(osub);
		} else if (same && otype == GIT_OBJECT_BLOB) {
			rc = kept_entry_present(a, &id, nb_buf_cstr(path), 0);
		} else if (!have_object(a, &id)) {
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

int nb_audit_write_tree(nb_audit *a, const nb_audit_files *files, nb_oid *out)
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

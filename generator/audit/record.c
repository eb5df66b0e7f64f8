/*
 * record.c - reading publications back: a publication by number, its
 * commit, a path of its tree; see nb_audit_pub_load in audit.h.
 *
 * What the reading commands (log, diff, verify, history) need from the
 * repository, each answer in the libgit2 style with a message for the
 * user in a->err; the chain's own checks are in commit.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"

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

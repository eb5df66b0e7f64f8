/*
 * record.c - reading publications back: a publication by number, its
 * commit, a path of its tree; see nb_audit_pub_load in audit.h.
 *
 * What the reading commands (log, diff, verify, history) need from the
 * repository, each answer in the libgit2 style with a message for the
 * user in a->err; the chain's own checks are in commit.c.
 *
 * The walk over publications 1..N (nb_audit_pub_iter) is here once, as
 * libgit2 has one revwalk: log, history and the history pages each had
 * their own loop that loaded a publication, compared it with the one
 * before and freed the older manifest; the iterator owns that hand-over,
 * so a caller sees one publication and its predecessor's documents.
 *
 * Also the few reads of ids, commits and trees the rest of the program
 * makes, so that it never includes git2.h (audit.h says why): thin
 * wrappers over libgit2, the handles being libgit2's own objects.
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
int nb_audit_unfinished_commit(nb_audit *a, git_commit **out)
{
	if (!a->unfinished) {
		set_err(a, "no publication is waiting for its tag");
		return -1;
	}
	if (git_commit_lookup(out, a->repo, to_git(&a->unfinished_id)) < 0)
		return git_fail(a, "cannot read a publication");
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

/* ---- walking the publications -------------------------------------------- */

struct nb_audit_pub_iter {
	nb_audit *a;
	size_t last;
	nb_audit_pub cur;
	/* The current and the previous publication's documents (cur.docs,
	 * cur.prev_docs), each converted once from its manifest. */
	nb_audit_docs docs[2];
	int at;  /* docs[at] is the current one's */
};

int nb_audit_pub_iter_new(nb_audit_pub_iter **out, nb_audit *a, size_t last)
{
	nb_audit_pub_iter *it = calloc(1, sizeof(*it));
	if (!it)
		abort();
	it->a = a;
	it->last = last;
	*out = it;
	return 0;
}

int nb_audit_pub_iter_head(nb_audit_pub_iter **out, nb_audit *a)
{
	size_t last;
	nb_oid tip;
	*out = NULL;
	if (nb_audit_head(a, 0, &last, &tip) != 0)
		return -1;
	return nb_audit_pub_iter_new(out, a, last);
}

int nb_audit_pub_iter_next(const nb_audit_pub **out, nb_audit_pub_iter *it)
{
	*out = NULL;
	size_t n = it->cur.n + 1;
	if (n > it->last)
		return NB_AUDIT_ITEROVER;
	nb_commit *c = NULL;
	json_t *m = NULL;
	if (nb_audit_pub_load(it->a, n, &c, &m) != 0)
		return -1;
	/* The one before the current is no longer anyone's previous. */
	int at = !it->at;
	nb_audit_docs_free(&it->docs[at]);
	char err[512];
	if (nb_audit_docs_from_json(&it->docs[at], json_object_get(m, "documents"), err,
				    sizeof(err)) != 0) {
		set_err(it->a, "publication %zu: %s", n, err);
		json_decref(m);
		git_commit_free(c);
		return -1;
	}
	json_decref(it->cur.manifest);
	git_commit_free(it->cur.commit);
	it->cur = (nb_audit_pub){ n, c, m, &it->docs[at], n > 1 ? &it->docs[it->at] : NULL };
	it->at = at;
	*out = &it->cur;
	return 0;
}

void nb_audit_pub_iter_free(nb_audit_pub_iter *it)
{
	if (!it)
		return;
	nb_audit_docs_free(&it->docs[0]);
	nb_audit_docs_free(&it->docs[1]);
	json_decref(it->cur.manifest);
	git_commit_free(it->cur.commit);
	free(it);
}

int nb_audit_tag_id(nb_audit *a, size_t n, nb_oid *out)
{
	char ref[64];
	snprintf(ref, sizeof(ref), "refs/tags/pub-%zu", n);
	int rc = git_reference_name_to_id(to_git_w(out), a->repo, ref);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		set_err(a, "no tag pub-%zu in %s", n, a->path);
		return NB_AUDIT_ENOTFOUND;
	}
	return rc < 0 ? git_fail(a, "cannot read a publication's tag") : 0;
}

int nb_audit_read_blob(nb_audit *a, const nb_oid *id_nb, char **data, size_t *len)
{
	const git_oid *id = to_git(id_nb);
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
		refuse(a, "the publication has no %s", path);
		return GIT_ENOTFOUND;
	}
	rc = nb_audit_read_blob(a, to_nb(git_tree_entry_id(e)), data, len);
	git_tree_entry_free(e);
	return rc;
}

/* ---- ids, commits and trees for the rest of the program ------------------ */

char *nb_oid_tostr(char *out, size_t n, const nb_oid *id)
{
	return git_oid_tostr(out, n, to_git(id));
}

int nb_oid_fromstr(nb_oid *out, const char *hex)
{
	return strlen(hex) != NB_OID_HEXSZ || git_oid_fromstr(to_git_w(out), hex) < 0 ? -1 : 0;
}

int nb_oid_equal(const nb_oid *a, const nb_oid *b)
{
	return !memcmp(a->id, b->id, NB_OID_RAWSZ);
}

void nb_commit_free(nb_commit *c)
{
	git_commit_free(c);
}

const nb_oid *nb_commit_id(const nb_commit *c)
{
	return to_nb(git_commit_id(c));
}

const char *nb_commit_message(const nb_commit *c)
{
	return git_commit_message(c);
}

const char *nb_commit_summary(nb_commit *c)
{
	return git_commit_summary(c);
}

nb_person nb_signature_person(const nb_signature *s)
{
	return (nb_person){ s->name, s->email, { (long long)s->when.time, s->when.offset } };
}

nb_person nb_commit_author(const nb_commit *c)
{
	return nb_signature_person(git_commit_author(c));
}

int nb_commit_tree(nb_tree **out, const nb_commit *c)
{
	return git_commit_tree(out, c);
}

void nb_tree_free(nb_tree *t)
{
	git_tree_free(t);
}

const nb_oid *nb_tree_entry_id(const nb_tree *t, const char *name)
{
	const git_tree_entry *e = t ? git_tree_entry_byname(t, name) : NULL;
	return e ? to_nb(git_tree_entry_id(e)) : NULL;
}

void nb_signature_free(nb_signature *s)
{
	git_signature_free(s);
}

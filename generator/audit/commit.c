/*
 * commit.c - the chain of publications: recording one (commit, tag,
 * moving the branch), checking the chain is intact, and its identity; see
 * nb_audit_commit and nb_audit_head in audit.h.
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
 * - History is never rewritten: refs are only created or fast-forwarded
 *   with an expected old value, tags are created without force.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit_internal.h"
#include "util/buf.h"
#include "util/fs.h"

/* ---- the chain of publications ------------------------------------------ */
int tag_target(nb_audit *a, size_t n, git_oid *out)
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
/* The number a commit message says it is: "Publication N: ...". */
static size_t message_number(const git_commit *c)
{
	const char *m = git_commit_message(c);
	if (strncmp(m, "Publication ", 12))
		return 0;
	return (size_t)strtoul(m + 12, NULL, 10);
}

/* A branch tip that looks like publication n cut short before its tag is
 * finished (tagged, and signed when the site signs) only when it is one:
 * with a signing key, its commit must be signed with that very key, as
 * publish signs every commit it makes, or a commit anyone with write
 * access put there would get the publisher's signature. (Without a key
 * the tag's tagger is the commit's committer and claims nothing more
 * than the commit does.) 1 to finish it; 0 with a->err set. */
static int ours_to_finish(nb_audit *a, const git_oid *tip, size_t n)
{
	const char *key = a->cfg ? a->cfg->audit_signing_key : NULL;
	if (!key || nb_audit_signed_with_key(a, to_nb(tip), key) == 0)
		return 1;
	char why[256], hex[GIT_OID_HEXSZ + 1];
	snprintf(why, sizeof(why), "%.200s", a->err);
	git_oid_tostr(hex, sizeof(hex), tip);
	char fix[64];
	if (n > 1)
		snprintf(fix, sizeof(fix), "restore the branch to pub-%zu", n - 1);
	else
		snprintf(fix, sizeof(fix), "delete the branch");
	/* A key that could not be read is said as what it is. */
	int io = a->io;
	refuse(a, "the branch %s ends in commit %.12s, which says it is publication %zu but "
	       "is not signed with this site's key (%s): noticeboard did not make it and will "
	       "not sign it; %s", a->refname + 11, hex, n, why, fix);
	a->io = io;
	a->refused = !io;
	return 0;
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
	int rc = nb_audit_tag_write(a, name, to_nb(commit), git_commit_committer(c), msg,
				    a->cfg ? a->cfg->audit_signing_key : NULL, to_nb_w(out));
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

/* Another local branch at pub-n, its name in `out`: audit.branch was
 * changed after publishing, and "the history was removed" would send
 * the publisher looking for an intruder. */
static int branch_at(nb_audit *a, size_t n, char *out, size_t len)
{
	git_oid pub, at;
	git_branch_iterator *it = NULL;
	git_reference *ref = NULL;
	git_branch_t type;
	int found = 0;
	if (tag_target(a, n, &pub) < 0 || git_branch_iterator_new(&it, a->repo,
								   GIT_BRANCH_LOCAL) < 0)
		return 0;
	while (!found && git_branch_next(&ref, &type, it) == 0) {
		found = git_reference_name_to_id(&at, a->repo, git_reference_name(ref)) == 0 &&
			git_oid_equal(&at, &pub);
		if (found)
			snprintf(out, len, "%s", git_reference_shorthand(ref));
		git_reference_free(ref);
	}
	git_branch_iterator_free(it);
	return found;
}

int nb_audit_head(nb_audit *a, int repair, size_t *last, nb_oid *tip_id)
{
	git_oid *tip = to_git_w(tip_id);
	*last = 0;
	memset(tip, 0, sizeof(*tip));
	a->unfinished = 0;
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
			char other[256];
			if (branch_at(a, max, other, sizeof(other)))
				refuse(a, "the branch %s is missing but publications up to pub-%zu "
					"exist on the branch %s; set audit.branch in site.yaml to "
					"`%s`", a->refname + 11, max, other, other);
			else
				refuse(a, "the branch %s is missing but publications up to pub-%zu "
					"exist: the history was removed by someone else; refusing to "
					"publish", a->refname + 11, max);
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
			refuse(a, "the branch %s has commits but no pub-N tags; it was not "
				"written by noticeboard", a->refname + 11);
			return -1;
		}
		if (!ours_to_finish(a, &branch, 1))
			return -1;
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
			if (!ours_to_finish(a, &branch, max + 1))
				return -1;
			if (create_tag(a, max + 1, &branch) < 0)
				return -1;
			max++;
			*last = max;
			last_id = branch;
		} else if (interrupted) {
			/* Left to the next publish, not passed in silence. */
			a->unfinished = max + 1;
			*to_git_w(&a->unfinished_id) = branch;
		} else {
			refuse(a, "the branch %s is not at pub-%zu: its history was rewritten "
				"or extended by someone else; noticeboard never rewrites history and "
				"refuses to publish onto it (restore the branch to pub-%zu)",
				a->refname + 11, max, max);
			return -1;
		}
	}
	/* pub-N+1's one parent is pub-N, and pub-1 has none: publish makes
	 * no other commit (its repair only tags a commit whose parent is the
	 * last publication), so anything between two publications - or a
	 * second parent bringing in another history - was put there by hand,
	 * and "pub-N is an ancestor" alone let it pass. */
	git_oid next = last_id;
	for (size_t n = max; n >= 1; n--) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, a->repo, &next) < 0)
			return git_fail(a, "cannot read the chain of publications");
		unsigned parents = git_commit_parentcount(c);
		git_oid parent = parents ? *git_commit_parent_id(c, 0) : next;
		git_commit_free(c);
		if (n == 1) {
			if (parents) {
				refuse(a, "pub-1 has a parent commit: the history before the first "
					"publication was not written by noticeboard");
				return -1;
			}
			break;
		}
		git_oid prev;
		int tr = tag_target(a, n - 1, &prev);
		if (tr < 0 && tr != GIT_ENOTFOUND)
			return git_fail(a, "cannot read a publication's tag");
		if (tr < 0) {
			refuse(a, "publication pub-%zu is missing: the chain is broken", n - 1);
			return -1;
		}
		if (parents == 1 && git_oid_equal(&parent, &prev)) {
			next = prev;
			continue;
		}
		int desc = git_graph_descendant_of(a->repo, &next, &prev);
		if (desc < 0)
			return git_fail(a, "cannot read the chain of publications");
		if (desc != 1)
			refuse(a, "pub-%zu is not an ancestor of pub-%zu: the history was rewritten",
				n - 1, n);
		else if (parents == 1)
			refuse(a, "pub-%zu does not follow pub-%zu directly (its parent is %.12s): "
				"commits that are no publication were put between them", n, n - 1,
				git_oid_tostr_s(&parent));
		else
			refuse(a, "pub-%zu does not follow pub-%zu directly (it has %u parents): "
				"another history was merged into the chain", n, n - 1, parents);
		return -1;
	}
	*last = max;
	*tip = last_id;
	return 0;
}
/* ---- the chain's identity ----------------------------------------------- */

int nb_audit_chain_id(nb_audit *a, size_t last, nb_oid *out_id)
{
	git_oid *out = to_git_w(out_id);
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
/* ---- committing ---------------------------------------------------------- */

int nb_audit_commit(nb_audit *a, const nb_oid *tree_nb, const nb_oid *parent_nb,
		    size_t n, const char *message, const nb_signature *author,
		    const char *signing_key, nb_oid *out_nb)
{
	const git_oid *tree_id = to_git(tree_nb);
	const git_oid *parent_id = parent_nb ? to_git(parent_nb) : NULL;
	git_oid *out = to_git_w(out_nb);
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
	int moved = git_reference_create_matching(&ref, a->repo, a->refname, out,
						  parent_id ? 1 : 0, parent_id, log);
	if (moved < 0) {
		git_fail(a, "cannot move the branch (did someone else publish?)");
		/* Someone moved it meanwhile: the record's state, not a
		 * failure to write. */
		a->refused = moved == GIT_EMODIFIED || moved == GIT_EEXISTS;
		goto done;
	}
	git_reference_free(ref);
	if (tag_ref(a, n, &tag) < 0) {
		/* Recorded all the same (nb_audit_head completes it): saying
		 * only that the tag failed left the publisher to guess. */
		size_t el = strlen(a->err);
		snprintf(a->err + el, sizeof(a->err) - el, "; publication %zu is recorded on the "
			 "branch %s but not tagged pub-%zu: once that is fixed, the next `noticeboard "
			 "publish` tags and serves it", n, a->refname + 11, n);
		goto done;
	}
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

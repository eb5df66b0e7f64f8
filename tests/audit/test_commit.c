/*
 * test_commit.c - the chain's own checks (commit.c, nb_audit_head): the
 * branch is at the last pub-N and pub-N+1's only parent is pub-N.
 * The honest chain passes; every way a hand with git can break it - the
 * branch moved on or removed, a tag deleted, moved, duplicated or added
 * past the last - is refused with a message saying what, and a publish
 * killed between moving the branch and tagging is completed only when
 * asked to repair. The chain's id changes when any tag moves.
 */
#include "chain_fixture.h"
#include "harness.h"
#include "util/diag.h"

static void three(nb_test_state *nb__t, chain *ch)
{
	chain_open(ch);
	NB_CHECK(ch->ok);
	NB_CHECK(chain_pub(ch, "<p>one</p>\n") == 0);
	NB_CHECK(chain_pub(ch, "<p>two</p>\n") == 0);
	NB_CHECK(chain_pub(ch, "<p>three</p>\n") == 0);
}

/* nb_audit_head on a reopened handle: its result, the last and the tip. */
static int head(chain *ch, int repair, size_t *last, nb_oid *tip)
{
	*last = 99;
	if (chain_reopen(ch) != 0)
		return -9;
	return nb_audit_head(&ch->a, repair, last, tip);
}

NB_TEST(honest_chain)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	size_t last;
	nb_oid tip, zero;
	memset(&zero, 0, sizeof(zero));
	/* Nothing published yet: no publication, no error. */
	NB_CHECK(head(&ch, 0, &last, &tip) == 0 && last == 0 && nb_oid_equal(&tip, &zero));
	NB_CHECK(chain_pub(&ch, "<p>one</p>\n") == 0);
	NB_CHECK(chain_pub(&ch, "<p>two</p>\n") == 0);
	NB_CHECK(chain_pub(&ch, "<p>three</p>\n") == 0);
	NB_CHECK(head(&ch, 0, &last, &tip) == 0 && last == 3 && nb_oid_equal(&tip, &ch.c[3]));
	/* Packed refs read the same. */
	NB_CHECK(chain_git(&ch, "pack-refs --all") == 0);
	NB_CHECK(head(&ch, 0, &last, &tip) == 0 && last == 3 && nb_oid_equal(&tip, &ch.c[3]));
	chain_close(&ch);
}

NB_TEST(branch_moved_or_removed)
{
	chain ch;
	three(nb__t, &ch);
	size_t last;
	nb_oid tip;
	char extra[GIT_OID_HEXSZ + 1];
	/* A commit on top that is not a publication. */
	NB_CHECK(chain_git_out(&ch, extra, sizeof(extra), "commit-tree -p pub-3^{commit} -m "
			       "'an edit' pub-1^{tree}") == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", extra) == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1 && last == 3);
	NB_CHECK_CONTAINS(ch.a.err, "the branch publications is not at pub-3");
	/* Back to pub-2: the last tag is no longer the tip either. */
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications pub-2^{commit}") == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1 && last == 3);
	NB_CHECK_CONTAINS(ch.a.err, "is not at pub-3");
	/* Gone. */
	NB_CHECK(chain_git(&ch, "update-ref -d refs/heads/publications") == 0);
	NB_CHECK(head(&ch, 0, &last, &tip) == -1 && last == 3);
	NB_CHECK_CONTAINS(ch.a.err, "the branch publications is missing but publications up "
			  "to pub-3 exist");
	chain_close(&ch);
}

NB_TEST(tags_deleted_moved_added)
{
	chain ch;
	three(nb__t, &ch);
	size_t last;
	nb_oid tip;
	char t2[GIT_OID_HEXSZ + 1], other[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_rev(&ch, "refs/tags/pub-2", t2) == 0);

	NB_CHECK(chain_git(&ch, "tag -d pub-2") == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "publication pub-2 is missing: the chain is broken");

	/* pub-2 on a commit off the chain (pub-1's tree, no parent). */
	NB_CHECK(chain_git_out(&ch, other, sizeof(other), "commit-tree -m 'Publication 2: x' "
			       "pub-1^{tree}") == 0);
	NB_CHECK(chain_git(&ch, "tag -a -m 'Publication 2' pub-2 %s", other) == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "pub-2 is not an ancestor of pub-3");

	/* pub-2 naming pub-1's commit: one commit for two publications, and
	 * pub-2's own commit left between pub-2 and pub-3 as no publication. */
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 2' pub-2 pub-1^{commit}") == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "pub-3 does not follow pub-2 directly");
	NB_CHECK(chain_git(&ch, "update-ref refs/tags/pub-2 %s", t2) == 0);
	NB_CHECK(head(&ch, 0, &last, &tip) == 0 && last == 3);

	/* An extra publication naming the tip again, and one past a gap. */
	NB_CHECK(chain_git(&ch, "tag -a -m 'Publication 4' pub-4 pub-3^{commit}") == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1 && last == 4);
	NB_CHECK_CONTAINS(ch.a.err, "pub-3 is not an ancestor of pub-4");
	NB_CHECK(chain_git(&ch, "tag -d pub-4") == 0);
	NB_CHECK(chain_git(&ch, "tag -a -m 'Publication 5' pub-5 pub-3^{commit}") == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1 && last == 5);
	NB_CHECK_CONTAINS(ch.a.err, "publication pub-4 is missing");
	chain_close(&ch);
}

NB_TEST(interrupted_publish_repaired_only_when_asked)
{
	chain ch;
	three(nb__t, &ch);
	size_t last;
	nb_oid tip;
	char c4[GIT_OID_HEXSZ + 1], t4[GIT_OID_HEXSZ + 1], want[GIT_OID_HEXSZ + 1];
	/* The branch moved to publication 4, killed before its tag. */
	NB_CHECK(chain_git_out(&ch, c4, sizeof(c4), "commit-tree -p pub-3^{commit} -m "
			       "'Publication 4: test' pub-3^{tree}") == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", c4) == 0);
	/* Reading commands see the three publications there are, and are
	 * told of the fourth waiting for its tag (verify says so). */
	NB_CHECK(head(&ch, 0, &last, &tip) == 0 && last == 3 && nb_oid_equal(&tip, &ch.c[3]));
	NB_CHECK(ch.a.unfinished == 4);
	NB_CHECK_STR(nb_oid_tostr(want, sizeof(want), &ch.a.unfinished_id), c4);
	NB_CHECK(chain_rev(&ch, "refs/tags/pub-4", t4) == -1);
	/* A publish (repair, under the lock) tags it. */
	NB_CHECK(head(&ch, 1, &last, &tip) == 0 && last == 4);
	NB_CHECK_STR(nb_oid_tostr(want, sizeof(want), &tip), c4);
	NB_CHECK(chain_rev(&ch, "pub-4^{commit}", t4) == 0);
	NB_CHECK_STR(t4, c4);
	NB_CHECK(head(&ch, 0, &last, &tip) == 0 && last == 4);
	NB_CHECK(ch.a.unfinished == 0);

	/* A commit on top whose message does not say it is publication 5 is
	 * not one: refused, nothing tagged. */
	char c5[GIT_OID_HEXSZ + 1], t5[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_git_out(&ch, c5, sizeof(c5), "commit-tree -p pub-4^{commit} -m "
			       "'Publication 6: test' pub-3^{tree}") == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", c5) == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "is not at pub-4");
	NB_CHECK(head(&ch, 0, &last, &tip) == -1 && ch.a.unfinished == 0);
	NB_CHECK(chain_rev(&ch, "refs/tags/pub-5", t5) == -1);
	chain_close(&ch);
}

/* Publish makes no commit but publications, each on the last: a commit
 * that is none, between two publications or before the first, or a
 * second parent, was put there by hand and the chain is refused. */
NB_TEST(only_publications_in_the_chain)
{
	chain ch;
	three(nb__t, &ch);
	size_t last;
	nb_oid tip;
	char x[GIT_OID_HEXSZ + 1], c3[GIT_OID_HEXSZ + 1], want[256], t3[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_rev(&ch, "refs/tags/pub-3", t3) == 0);
	/* pub-2, an edit that is no publication, then pub-3 on the edit. */
	NB_CHECK(chain_git_out(&ch, x, sizeof(x), "commit-tree -p pub-2^{commit} -m 'an edit' "
			       "pub-1^{tree}") == 0);
	NB_CHECK(chain_git_out(&ch, c3, sizeof(c3), "commit-tree -p %s -m 'Publication 3: test' "
			       "pub-3^{tree}", x) == 0);
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 3' pub-3 %s", c3) == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", c3) == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1 && last == 3);
	snprintf(want, sizeof(want), "pub-3 does not follow pub-2 directly (its parent is %.12s): "
		 "commits that are no publication were put between them", x);
	NB_CHECK_STR(ch.a.err, want);
	/* Reading commands refuse it too, in the site's language as well. */
	NB_CHECK(head(&ch, 0, &last, &tip) == -1);
	NB_CHECK_STR(ch.a.err, want);
	char *zh = nb_diag_translate("zh-CN", "@", ch.a.err);
	snprintf(want, sizeof(want), "pub-3 没有直接接在 pub-2 之后（它的上一个提交是 %.12s）：两次"
		 "公示之间被放进了不是公示的提交", x);
	NB_CHECK_STR(zh, want);
	free(zh);

	/* pub-3 a merge of pub-2 and another history. */
	NB_CHECK(chain_git_out(&ch, c3, sizeof(c3), "commit-tree -p pub-2^{commit} -p %s -m "
			       "'Publication 3: test' pub-3^{tree}", x) == 0);
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 3' pub-3 %s", c3) == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", c3) == 0);
	NB_CHECK(head(&ch, 0, &last, &tip) == -1);
	NB_CHECK_STR(ch.a.err, "pub-3 does not follow pub-2 directly (it has 2 parents): another "
		     "history was merged into the chain");
	zh = nb_diag_translate("zh-CN", "@", ch.a.err);
	NB_CHECK_STR(zh, "pub-3 没有直接接在 pub-2 之后（它有 2 个上一个提交）：别的历史被合并进了公示链");
	free(zh);

	/* Back as published: the chain holds again. */
	NB_CHECK(chain_git(&ch, "update-ref refs/tags/pub-3 %s", t3) == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications pub-3^{commit}") == 0);
	NB_CHECK(head(&ch, 0, &last, &tip) == 0 && last == 3);

	/* The whole chain redone on top of a commit before pub-1. */
	char o[GIT_OID_HEXSZ + 1], p1[GIT_OID_HEXSZ + 1], p2[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_git_out(&ch, o, sizeof(o), "commit-tree -m 'before' pub-1^{tree}") == 0);
	NB_CHECK(chain_git_out(&ch, p1, sizeof(p1), "commit-tree -p %s -m 'Publication 1: test' "
			       "pub-1^{tree}", o) == 0);
	NB_CHECK(chain_git_out(&ch, p2, sizeof(p2), "commit-tree -p %s -m 'Publication 2: test' "
			       "pub-2^{tree}", p1) == 0);
	NB_CHECK(chain_git_out(&ch, c3, sizeof(c3), "commit-tree -p %s -m 'Publication 3: test' "
			       "pub-3^{tree}", p2) == 0);
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 1' pub-1 %s", p1) == 0);
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 2' pub-2 %s", p2) == 0);
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 3' pub-3 %s", c3) == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", c3) == 0);
	NB_CHECK(head(&ch, 0, &last, &tip) == -1);
	NB_CHECK_STR(ch.a.err, "pub-1 has a parent commit: the history before the first "
		     "publication was not written by noticeboard");
	zh = nb_diag_translate("zh-CN", "@", ch.a.err);
	NB_CHECK_STR(zh, "pub-1 之前还有提交：第一次公示之前的历史不是 noticeboard 写的");
	free(zh);
	chain_close(&ch);
}

NB_TEST(chain_id_follows_the_tags)
{
	chain ch;
	three(nb__t, &ch);
	nb_oid before, moved, back;
	char t2[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_rev(&ch, "refs/tags/pub-2", t2) == 0);
	NB_CHECK(chain_reopen(&ch) == 0 && nb_audit_chain_id(&ch.a, 3, &before) == 0);
	NB_CHECK(chain_git(&ch, "tag -f -a -m x pub-2 pub-1^{commit}") == 0);
	NB_CHECK(chain_reopen(&ch) == 0 && nb_audit_chain_id(&ch.a, 3, &moved) == 0);
	NB_CHECK(!nb_oid_equal(&before, &moved));
	/* Back on its commit through another tag object: the same chain. */
	char c2[GIT_OID_HEXSZ + 1], t2b[GIT_OID_HEXSZ + 1];
	nb_oid_tostr(c2, sizeof(c2), &ch.c[2]);
	NB_CHECK(chain_git(&ch, "tag -f -a -m y pub-2 %s", c2) == 0);
	NB_CHECK(chain_rev(&ch, "refs/tags/pub-2", t2b) == 0 && strcmp(t2, t2b) != 0);
	NB_CHECK(chain_reopen(&ch) == 0 && nb_audit_chain_id(&ch.a, 3, &back) == 0);
	NB_CHECK(nb_oid_equal(&before, &back));
	/* The first publication counts as much as the others. */
	NB_CHECK(chain_git(&ch, "tag -f -a -m z pub-1 pub-2^{commit}") == 0);
	NB_CHECK(chain_reopen(&ch) == 0 && nb_audit_chain_id(&ch.a, 3, &moved) == 0);
	NB_CHECK(!nb_oid_equal(&before, &moved));
	/* A publication missing: no id. */
	NB_CHECK(chain_git(&ch, "tag -d pub-3") == 0);
	NB_CHECK(chain_reopen(&ch) == 0 && nb_audit_chain_id(&ch.a, 3, &back) == -1);
	chain_close(&ch);
}

/* Recording publication 4 on pub-3 when the branch is no longer there
 * (moved by someone else since the chain was checked): a refusal of the
 * record's state (a->refused, publish exits 1); the branch where that
 * someone left it. A branch that cannot be written (a folder where git's
 * lock file goes) is a failure, not a refusal. */
NB_TEST(branch_moved_meanwhile_is_a_refusal)
{
	chain ch;
	three(nb__t, &ch);
	char hex[GIT_OID_HEXSZ + 1], tip[GIT_OID_HEXSZ + 1], two[GIT_OID_HEXSZ + 1];
	nb_oid tree, out;
	nb_signature *sig = NULL;
	NB_CHECK(chain_rev(&ch, "pub-3^{tree}", hex) == 0 && nb_oid_fromstr(&tree, hex) == 0);
	NB_CHECK(nb_audit_signature_parse(&sig, "Test <t@example.org>") == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications pub-2^{commit}") == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_commit(&ch.a, &tree, &ch.c[3], 4, "Publication 4: test", sig, NULL,
				 &out) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "cannot move the branch (did someone else publish?)");
	NB_CHECK(ch.a.refused && !ch.a.io);
	NB_CHECK(chain_rev(&ch, "refs/heads/publications", tip) == 0);
	NB_CHECK(chain_rev(&ch, "pub-2^{commit}", two) == 0);
	NB_CHECK_STR(tip, two);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications pub-3^{commit}") == 0);
	char lock[512];
	snprintf(lock, sizeof(lock), "%s/refs/heads/publications.lock/x", ch.repo);
	NB_CHECK(nb_fs_mkdirs(lock) == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_commit(&ch.a, &tree, &ch.c[3], 4, "Publication 4: test", sig, NULL,
				 &out) == -1);
	NB_CHECK(!ch.a.refused);
	nb_signature_free(sig);
	chain_close(&ch);
}

NB_TEST_MAIN("commit", NB_CASE(honest_chain), NB_CASE(branch_moved_or_removed),
	     NB_CASE(tags_deleted_moved_added), NB_CASE(interrupted_publish_repaired_only_when_asked),
	     NB_CASE(chain_id_follows_the_tags), NB_CASE(only_publications_in_the_chain),
	     NB_CASE(branch_moved_meanwhile_is_a_refusal))

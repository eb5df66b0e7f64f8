/*
 * test_commit.c - the chain's own checks (commit.c, nb_audit_head): the
 * branch is at the last pub-N and every pub-N is an ancestor of pub-N+1.
 * The honest chain passes; every way a hand with git can break it - the
 * branch moved on or removed, a tag deleted, moved, duplicated or added
 * past the last - is refused with a message saying what, and a publish
 * killed between moving the branch and tagging is completed only when
 * asked to repair. The chain's id changes when any tag moves.
 */
#include "chain_fixture.h"
#include "harness.h"

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

	/* pub-2 naming pub-1's commit: one commit for two publications. */
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 2' pub-2 pub-1^{commit}") == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "pub-1 is not an ancestor of pub-2");
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
	/* Reading commands see the three publications there are. */
	NB_CHECK(head(&ch, 0, &last, &tip) == 0 && last == 3 && nb_oid_equal(&tip, &ch.c[3]));
	NB_CHECK(chain_rev(&ch, "refs/tags/pub-4", t4) == -1);
	/* A publish (repair, under the lock) tags it. */
	NB_CHECK(head(&ch, 1, &last, &tip) == 0 && last == 4);
	NB_CHECK_STR(nb_oid_tostr(want, sizeof(want), &tip), c4);
	NB_CHECK(chain_rev(&ch, "pub-4^{commit}", t4) == 0);
	NB_CHECK_STR(t4, c4);
	NB_CHECK(head(&ch, 0, &last, &tip) == 0 && last == 4);

	/* A commit on top whose message does not say it is publication 5 is
	 * not one: refused, nothing tagged. */
	char c5[GIT_OID_HEXSZ + 1], t5[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_git_out(&ch, c5, sizeof(c5), "commit-tree -p pub-4^{commit} -m "
			       "'Publication 6: test' pub-3^{tree}") == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", c5) == 0);
	NB_CHECK(head(&ch, 1, &last, &tip) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "is not at pub-4");
	NB_CHECK(chain_rev(&ch, "refs/tags/pub-5", t5) == -1);
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

NB_TEST_MAIN("commit", NB_CASE(honest_chain), NB_CASE(branch_moved_or_removed),
	     NB_CASE(tags_deleted_moved_added), NB_CASE(interrupted_publish_repaired_only_when_asked),
	     NB_CASE(chain_id_follows_the_tags))

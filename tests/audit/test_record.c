/*
 * test_record.c - reading publications back (record.c): a publication by
 * number or name, its tag, a path of its tree, its manifest, and the walk
 * from the head. What a reading command shows must be what was recorded,
 * and a publication that is not there, or a name that is not a
 * publication's, must be an error with a message, never something else
 * read in its place.
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

NB_TEST(pub_names)
{
	NB_CHECK(nb_audit_parse_pub("pub-12") == 12);
	NB_CHECK(nb_audit_parse_pub("12") == 12);
	NB_CHECK(nb_audit_parse_pub("pub-") == 0);
	NB_CHECK(nb_audit_parse_pub("") == 0);
	NB_CHECK(nb_audit_parse_pub("pub-1x") == 0);
	NB_CHECK(nb_audit_parse_pub("pub-pub-3") == 0);
	NB_CHECK(nb_audit_parse_pub("-3") == 0);
	NB_CHECK(nb_audit_parse_pub("+3") == 0);
	NB_CHECK(nb_audit_parse_pub(" 3") == 0);
	NB_CHECK(nb_audit_parse_pub("PUB-3") == 0);
	/* Past any real number of publications: no wrapping around. */
	NB_CHECK(nb_audit_parse_pub("pub-18446744073709551617") == 0);
	NB_CHECK(nb_audit_parse_pub("999999999") == 999999999);
	NB_CHECK(nb_audit_parse_pub("9999999999") == 0);
}

NB_TEST(publication_by_number)
{
	chain ch;
	three(nb__t, &ch);
	NB_CHECK(chain_reopen(&ch) == 0);
	nb_commit *c = NULL;
	for (size_t n = 1; n <= 3; n++) {
		NB_CHECK(nb_audit_pub_commit(&ch.a, n, &c) == 0);
		NB_CHECK(c && nb_oid_equal(nb_commit_id(c), &ch.c[n]));
		nb_commit_free(c);
		c = NULL;
	}
	/* pub-N names its tag object, not the commit. */
	nb_oid tag;
	char want[GIT_OID_HEXSZ + 1], got[GIT_OID_HEXSZ + 1];
	NB_CHECK(nb_audit_tag_id(&ch.a, 2, &tag) == 0);
	NB_CHECK(chain_rev(&ch, "refs/tags/pub-2", want) == 0);
	NB_CHECK_STR(nb_oid_tostr(got, sizeof(got), &tag), want);
	NB_CHECK(!nb_oid_equal(&tag, &ch.c[2]));

	NB_CHECK(nb_audit_pub_commit(&ch.a, 0, &c) == -1 && c == NULL);
	NB_CHECK_CONTAINS(ch.a.err, "no publication 0");
	NB_CHECK(nb_audit_pub_commit(&ch.a, 4, &c) == -1 && c == NULL);
	NB_CHECK_CONTAINS(ch.a.err, "no publication 4 (no tag pub-4 in ");
	NB_CHECK_CONTAINS(ch.a.err, ch.repo);
	NB_CHECK(nb_audit_tag_id(&ch.a, 4, &tag) == NB_AUDIT_ENOTFOUND);
	NB_CHECK_CONTAINS(ch.a.err, "no tag pub-4 in ");

	/* pub-2 forced onto a folder: no commit to read there. */
	char pub[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_rev(&ch, "pub-1:public", pub) == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/tags/pub-2 %s", pub) == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_pub_commit(&ch.a, 2, &c) == -1 && c == NULL);
	NB_CHECK_CONTAINS(ch.a.err, "cannot read a publication's tag");
	chain_close(&ch);
}

NB_TEST(paths_and_manifest)
{
	chain ch;
	three(nb__t, &ch);
	NB_CHECK(chain_reopen(&ch) == 0);
	nb_commit *c = NULL;
	char *data = NULL;
	size_t len = 0;
	NB_CHECK(nb_audit_pub_commit(&ch.a, 2, &c) == 0);
	NB_CHECK(nb_audit_read_path(&ch.a, c, "public/index.html", &data, &len) == 0);
	NB_CHECK(data && len == 11 && !strcmp(data, "<p>two</p>\n"));
	free(data);
	data = NULL;
	NB_CHECK(nb_audit_read_path(&ch.a, c, "public/none.html", &data, &len) ==
		 NB_AUDIT_ENOTFOUND);
	NB_CHECK_CONTAINS(ch.a.err, "the publication has no public/none.html");
	/* A folder is not a file to show. */
	NB_CHECK(nb_audit_read_path(&ch.a, c, "public", &data, &len) == -1 && data == NULL);
	json_t *m = NULL;
	NB_CHECK(nb_audit_manifest(&ch.a, c, &m) == 0);
	NB_CHECK(json_integer_value(json_object_get(m, "publication")) == 2);
	json_decref(m);
	nb_commit_free(c);

	/* The page's blob gone: the read fails, it shows nothing else. */
	char page[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_rev(&ch, "pub-3:public/index.html", page) == 0);
	NB_CHECK(chain_drop(&ch, page) == 0 && chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_pub_commit(&ch.a, 3, &c) == 0);
	data = NULL;
	NB_CHECK(nb_audit_read_path(&ch.a, c, "public/index.html", &data, &len) == -1);
	NB_CHECK(data == NULL);
	nb_commit_free(c);

	/* pub-1's manifest gone: pub_load hands back nothing at all. */
	nb_commit *lc = (nb_commit *)1;
	m = (json_t *)1;
	char man[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_rev(&ch, "pub-1:manifest.json", man) == 0);
	NB_CHECK(chain_drop(&ch, man) == 0 && chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_pub_load(&ch.a, 1, &lc, &m) == -1 && lc == NULL && m == NULL);
	NB_CHECK(ch.a.err[0] != '\0');
	chain_close(&ch);
}

/* Walk from the head; how far it got and how it ended. */
static int walk_head(chain *ch, size_t *seen)
{
	nb_audit_pub_iter *it = (nb_audit_pub_iter *)1;
	const nb_audit_pub *p;
	*seen = 0;
	int rc = nb_audit_pub_iter_head(&it, &ch->a);
	if (rc != 0)
		return it == NULL ? rc : -99;
	while ((rc = nb_audit_pub_iter_next(&p, it)) == 0)
		if (p->n == ++*seen && nb_oid_equal(nb_commit_id(p->commit), &ch->c[p->n]))
			continue;
		else
			rc = -98;
	nb_audit_pub_iter_free(it);
	return rc;
}

NB_TEST(walk_from_the_head_needs_the_chain)
{
	chain ch;
	three(nb__t, &ch);
	size_t seen;
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(walk_head(&ch, &seen) == NB_AUDIT_ITEROVER && seen == 3);
	/* The branch moved past pub-3 by someone else: no walk, a reason. */
	char extra[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_git_out(&ch, extra, sizeof(extra), "commit-tree -p pub-3^{commit} -m "
			       "'not a publication' pub-3^{tree}") == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", extra) == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(walk_head(&ch, &seen) == -1 && seen == 0);
	NB_CHECK_CONTAINS(ch.a.err, "is not at pub-3");
	chain_close(&ch);
}

NB_TEST_MAIN("record", NB_CASE(pub_names), NB_CASE(publication_by_number),
	     NB_CASE(paths_and_manifest), NB_CASE(walk_from_the_head_needs_the_chain))

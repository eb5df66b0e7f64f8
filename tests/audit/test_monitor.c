/*
 * test_monitor.c - remembering the history a site served (monitor.c):
 * a later history must extend the one remembered. Each forgery here is a
 * chain that passes every check of one look (nb_audit_head finds it
 * intact) - a pub-2 rewritten with its successors, pub-1 moved to another
 * commit, the last publication withdrawn - and only the memory of the
 * earlier look can tell; each must come back as a problem naming the
 * publication, while the same or an extended history has none. A state
 * file that no longer holds what was remembered is a problem too.
 */
#include "chain_fixture.h"
#include "harness.h"
#include "audit/auditor.h"

static const char SITE[] = "https://board.example.org/";

/* The problems of a look at the repository as it is now (reopened), as one
 * text, one line each; the monitor's return in *rc, first contact in *first. */
static char *look(chain *ch, int *rc, int *first)
{
	size_t last = 0;
	nb_oid tip;
	memset(&tip, 0, sizeof(tip));
	json_t *problems = json_array();
	char file[4096];
	*rc = -9;
	if (chain_reopen(ch) == 0) {
		/* The branch as served, even when the chain's own check fails. */
		if (nb_audit_head(&ch->a, 0, &last, &tip) != 0)
			git_reference_name_to_id(to_git_w(&tip), ch->a.repo, ch->a.refname);
		*rc = nb_auditor_monitor(&ch->a, SITE, &tip, first, problems, file, sizeof(file));
	}
	nb_buf b = NB_BUF_INIT;
	size_t i;
	json_t *p;
	json_array_foreach(problems, i, p)
		nb_buf_printf(&b, "%s\n", json_string_value(p));
	json_decref(problems);
	return nb_buf_detach(&b);
}

/* Remember the history as it is now. */
static int remember(chain *ch)
{
	size_t last = 0;
	nb_oid tip;
	if (chain_reopen(ch) != 0 || nb_audit_head(&ch->a, 0, &last, &tip) != 0)
		return -1;
	return nb_auditor_remember(&ch->a, SITE, &tip, last);
}

/* The state file's path (caller frees). */
static char *state_file(chain *ch)
{
	char *key = nb_fetch_key_file(SITE);
	nb_buf p = NB_BUF_INIT;
	nb_buf_printf(&p, "%s/state/noticeboard/%s.state", ch->dir, key);
	free(key);
	return nb_buf_detach(&p);
}

/* Whether the chain still passes every check of one look. */
static int intact(chain *ch)
{
	size_t last = 0;
	nb_oid tip;
	return chain_reopen(ch) == 0 && nb_audit_head(&ch->a, 0, &last, &tip) == 0 ? (int)last : -1;
}

NB_TEST(first_contact_then_extension)
{
	chain ch;
	NB_CHECK(chain_open_three(&ch) == 0);
	int rc, first;
	char *p = look(&ch, &rc, &first);
	NB_CHECK(rc == 0 && first == 1 && !strcmp(p, ""));
	free(p);
	NB_CHECK(remember(&ch) == 0);
	/* What was written: the branch tip and each pub-N's commit. */
	char *file = state_file(&ch), *data = NULL, hex[GIT_OID_HEXSZ + 1], line[128];
	size_t len;
	NB_CHECK(nb_fs_read(file, 1 << 20, &data, &len) == 0);
	NB_CHECK(data && !strncmp(data, "noticeboard-audit-state 1\n", 26));
	snprintf(line, sizeof(line), "head %s\n", nb_oid_tostr(hex, sizeof(hex), &ch.c[3]));
	NB_CHECK_CONTAINS(data, line);
	snprintf(line, sizeof(line), "pub 2 %s\n", nb_oid_tostr(hex, sizeof(hex), &ch.c[2]));
	NB_CHECK_CONTAINS(data, line);
	free(data);
	/* The same history again, then one publication more: nothing wrong. */
	p = look(&ch, &rc, &first);
	NB_CHECK(rc == 0 && first == 0 && !strcmp(p, ""));
	free(p);
	NB_CHECK(chain_reopen(&ch) == 0 && chain_pub(&ch, "<p>four</p>\n") == 0);
	p = look(&ch, &rc, &first);
	NB_CHECK(rc == 0 && first == 0 && !strcmp(p, ""));
	free(p);
	free(file);
	chain_close(&ch);
}

NB_TEST(rewritten_publication_detected)
{
	chain ch;
	NB_CHECK(chain_open_three(&ch) == 0);
	NB_CHECK(remember(&ch) == 0);
	char old2[GIT_OID_HEXSZ + 1], old3[GIT_OID_HEXSZ + 1], f2[GIT_OID_HEXSZ + 1];
	char f3[GIT_OID_HEXSZ + 1], want[256];
	nb_oid_tostr(old2, sizeof(old2), &ch.c[2]);
	nb_oid_tostr(old3, sizeof(old3), &ch.c[3]);
	/* pub-2 forged: pub-1's tree again, its parent pub-1, pub-3 redone on
	 * top, tags and branch moved. A consistent chain. */
	NB_CHECK(chain_git_out(&ch, f2, sizeof(f2), "commit-tree -p pub-1^{commit} -m 'Publication 2: test' "
			       "pub-1^{tree}") == 0);
	NB_CHECK(chain_git_out(&ch, f3, sizeof(f3), "commit-tree -p %s -m 'Publication 3: test' "
			       "pub-3^{tree}", f2) == 0);
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 2' pub-2 %s", f2) == 0);
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 3' pub-3 %s", f3) == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", f3) == 0);
	NB_CHECK(intact(&ch) == 3);
	int rc, first;
	char *p = look(&ch, &rc, &first);
	NB_CHECK(rc == 0 && first == 0);
	snprintf(want, sizeof(want), "history rewritten: pub-2 named commit %s when last audited "
		 "and names another now\n", old2);
	NB_CHECK_CONTAINS(p, want);
	snprintf(want, sizeof(want), "history rewritten: pub-3 named commit %s", old3);
	NB_CHECK_CONTAINS(p, want);
	snprintf(want, sizeof(want), "history rewritten or rolled back: the branch was at %s", old3);
	NB_CHECK_CONTAINS(p, want);
	NB_CHECK(!strstr(p, "pub-1 "));
	free(p);
	chain_close(&ch);
}

NB_TEST(moved_tag_and_rollback_detected)
{
	chain ch;
	NB_CHECK(chain_open_three(&ch) == 0);
	NB_CHECK(remember(&ch) == 0);
	int rc, first;
	char want[256], c1[GIT_OID_HEXSZ + 1], other[GIT_OID_HEXSZ + 1];
	nb_oid_tostr(c1, sizeof(c1), &ch.c[1]);
	/* pub-1 moved to another first commit with the same tree, that the
	 * chain does not contain (the chain's own check fails too, and the
	 * monitor names the publication). */
	NB_CHECK(chain_git_out(&ch, other, sizeof(other), "commit-tree -m 'Publication 1: test' "
			       "pub-1^{tree}") == 0);
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 1' pub-1 %s", other) == 0);
	char *p = look(&ch, &rc, &first);
	snprintf(want, sizeof(want), "history rewritten: pub-1 named commit %s when last audited "
		 "and names another now\n", c1);
	NB_CHECK(rc == 0);
	NB_CHECK_CONTAINS(p, want);
	free(p);
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 1' pub-1 %s", c1) == 0);

	/* pub-3 withdrawn and the branch put back to pub-2: intact again. */
	NB_CHECK(chain_git(&ch, "tag -d pub-3") == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications pub-2^{commit}") == 0);
	NB_CHECK(intact(&ch) == 2);
	p = look(&ch, &rc, &first);
	NB_CHECK(rc == 0 && first == 0);
	NB_CHECK_CONTAINS(p, "history rolled back: pub-3 was served when last audited and is "
			  "gone now\n");
	NB_CHECK_CONTAINS(p, "history rewritten or rolled back");
	free(p);
	chain_close(&ch);
}

NB_TEST(file_added_to_the_last_publication)
{
	chain ch;
	NB_CHECK(chain_open_three(&ch) == 0);
	NB_CHECK(remember(&ch) == 0);
	char old3[GIT_OID_HEXSZ + 1], f3[GIT_OID_HEXSZ + 1], want[256];
	nb_oid_tostr(old3, sizeof(old3), &ch.c[3]);
	/* pub-3 again with public/extra.html added: its page, its tree, a
	 * commit on pub-2, the tag and the branch moved. Every object is
	 * whole and the chain is intact: only the memory can tell. */
	char pub[GIT_OID_HEXSZ + 1], root[GIT_OID_HEXSZ + 1];
	nb_buf cmd = NB_BUF_INIT;
	nb_buf_printf(&cmd, "{ git -C '%s' ls-tree pub-3:public; "
		      "printf '100644 blob %%s\\textra.html\\n' "
		      "$(echo forged | git -C '%s' hash-object -w --stdin); } | "
		      "git -C '%s' mktree", ch.repo, ch.repo, ch.repo);
	FILE *p = popen(nb_buf_cstr(&cmd), "r");
	NB_CHECK(p && fgets(pub, sizeof(pub), p));
	if (p)
		pclose(p);
	nb_buf_clear(&cmd);
	nb_buf_printf(&cmd, "{ git -C '%s' ls-tree pub-3^{tree} | grep -v '\tpublic$'; "
		      "printf '040000 tree %%s\\tpublic\\n' %s; } | git -C '%s' mktree",
		      ch.repo, pub, ch.repo);
	p = popen(nb_buf_cstr(&cmd), "r");
	NB_CHECK(p && fgets(root, sizeof(root), p));
	if (p)
		pclose(p);
	nb_buf_free(&cmd);
	NB_CHECK(chain_git_out(&ch, f3, sizeof(f3), "commit-tree -p pub-2^{commit} -m "
			       "'Publication 3: test' %s", root) == 0);
	NB_CHECK(chain_git(&ch, "tag -f -a -m 'Publication 3' pub-3 %s", f3) == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", f3) == 0);
	NB_CHECK(chain_git(&ch, "cat-file -e pub-3:public/extra.html") == 0);
	NB_CHECK(intact(&ch) == 3);
	nb_buf report = NB_BUF_INIT;
	size_t damaged = 9;
	NB_CHECK(nb_audit_check_objects(&ch.a, 3, &report, &damaged) == 0 && damaged == 0);
	nb_buf_free(&report);
	int rc, first;
	char *text = look(&ch, &rc, &first);
	NB_CHECK(rc == 0 && first == 0);
	snprintf(want, sizeof(want), "history rewritten: pub-3 named commit %s when last audited "
		 "and names another now\n", old3);
	NB_CHECK_CONTAINS(text, want);
	snprintf(want, sizeof(want), "history rewritten or rolled back: the branch was at %s", old3);
	NB_CHECK_CONTAINS(text, want);
	NB_CHECK(!strstr(text, "pub-1 ") && !strstr(text, "pub-2 "));
	free(text);
	chain_close(&ch);
}

NB_TEST(state_file_not_ours)
{
	chain ch;
	NB_CHECK(chain_open_three(&ch) == 0);
	NB_CHECK(remember(&ch) == 0);
	char *file = state_file(&ch);
	int rc, first;
	NB_CHECK(nb_fs_write(file, "something else\n", 15) == 0);
	char *p = look(&ch, &rc, &first);
	NB_CHECK(rc == 0 && first == 0);
	NB_CHECK_CONTAINS(p, "is not a state file this program wrote");
	free(p);
	/* Cut short after its first line, or its head line changed: nothing
	 * to compare the history with, which is not "extends it". */
	NB_CHECK(nb_fs_write(file, "noticeboard-audit-state 1\n", 26) == 0);
	p = look(&ch, &rc, &first);
	NB_CHECK(rc == 0 && first == 0);
	NB_CHECK_CONTAINS(p, "was cut short or changed");
	NB_CHECK_CONTAINS(p, file);
	free(p);
	NB_CHECK(remember(&ch) == 0);
	char *data = NULL;
	size_t len = 0;
	NB_CHECK(nb_fs_read(file, 1 << 20, &data, &len) == 0 && data);
	char *head = data ? strstr(data, "\nhead ") : NULL;
	NB_CHECK(head != NULL);
	if (head) {
		head[6] = 'x';
		NB_CHECK(nb_fs_write(file, data, len) == 0);
	}
	p = look(&ch, &rc, &first);
	NB_CHECK(rc == 0 && first == 0);
	NB_CHECK_CONTAINS(p, "was cut short or changed");
	free(p);
	free(data);
	/* A folder where the file should be: the state cannot be read. */
	NB_CHECK(unlink(file) == 0 && mkdir(file, 0755) == 0);
	p = look(&ch, &rc, &first);
	NB_CHECK(rc == -1 && ch.a.io == 1);
	NB_CHECK_CONTAINS(ch.a.err, "cannot read");
	free(p);
	rmdir(file);
	free(file);
	chain_close(&ch);
}

NB_TEST_MAIN("monitor", NB_CASE(first_contact_then_extension),
	     NB_CASE(rewritten_publication_detected), NB_CASE(moved_tag_and_rollback_detected),
	     NB_CASE(file_added_to_the_last_publication),
	     NB_CASE(state_file_not_ours))

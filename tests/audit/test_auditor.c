/*
 * test_auditor.c - `noticeboard audit` on a folder holding a served site
 * (auditor.c): the chain fixture's folder is such a site (its audit.git/
 * beside what would be its pages). Every check is reported, each with a
 * verdict an auditor can act on; a chain that fails its own check still
 * has its history compared with the one remembered, from the branch as it
 * is served, and the report's text speaks the language asked for.
 */
#include "chain_fixture.h"
#include "harness.h"
#include "audit/auditor.h"
#include "output/build.h"

/* The check `name` of a report, or NULL. */
static json_t *check_of(json_t *report, const char *name)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(report, "checks"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "name")), name))
			return c;
	return NULL;
}

static const char *detail(json_t *report, const char *name)
{
	return json_string_value(json_object_get(check_of(report, name), "detail"));
}

static int ok(json_t *report, const char *name)
{
	return json_is_true(json_object_get(check_of(report, name), "ok"));
}

/* The problems of check `name`, one a line. */
static char *problems(json_t *report, const char *name)
{
	nb_buf b = NB_BUF_INIT;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(check_of(report, name), "problems"), i, p)
		nb_buf_printf(&b, "%s\n", json_string_value(p));
	return nb_buf_detach(&b);
}

/* Audit the fixture's folder as a served site, its repository read as it
 * is; `allowed` an allowed-signers file or NULL. */
static int audit(chain *ch, const char *allowed, json_t **report)
{
	nb_auditor_opts o;
	memset(&o, 0, sizeof(o));
	o.site = ch->dir;
	o.repo = ch->repo;
	o.allowed_signers = allowed;
	return nb_auditor_run(&o, report);
}

/* Serve pub-3's public/ in the fixture's folder, as publish would. */
static int serve(chain *ch)
{
	char *index = nb_path_join(ch->dir, "index.html"), *css = nb_path_join(ch->dir, "style.css");
	int rc = nb_fs_write(index, "<p>three</p>\n", 13) == 0 &&
		 nb_fs_write(css, "body { margin: 0 }\n", 19) == 0 ? 0 : -1;
	free(index);
	free(css);
	return rc;
}

NB_TEST(honest_site)
{
	chain ch;
	NB_CHECK(chain_open_three(&ch) == 0);
	NB_CHECK(serve(&ch) == 0);
	json_t *r = NULL;
	int rc = audit(&ch, NULL, &r);
	char want[256], hex[GIT_OID_HEXSZ + 1];
	nb_oid_tostr(hex, 8, &ch.c[3]);
	snprintf(want, sizeof(want), "3 publications; refs/heads/publications is at pub-3 (%s); "
		 "each pub-N+1 follows pub-N directly", hex);
	NB_CHECK(ok(r, "fetch") && ok(r, "chain") && ok(r, "objects") && ok(r, "history"));
	NB_CHECK_STR(detail(r, "chain"), want);
	NB_CHECK_STR(detail(r, "objects"), "every object of pub-1..pub-3 read and hashed again");
	NB_CHECK_STR(detail(r, "signatures"), "not checked: give --allowed-signers FILE");
	NB_CHECK(json_is_true(json_object_get(check_of(r, "signatures"), "skipped")));
	NB_CHECK_CONTAINS(detail(r, "history"), "first contact: nothing to compare with, this "
			  "history is trusted on first use; remembered in ");
	/* Both files of pub-3's public/ served as published. */
	NB_CHECK(ok(r, "served"));
	NB_CHECK_CONTAINS(detail(r, "served"), "all 2 files of pub-3 served byte for byte by ");
	NB_CHECK(json_integer_value(json_object_get(r, "publication")) == 3);
	/* The fixture's sources are no site: its rebuild fails, and so the
	 * whole audit, with every check still reported. */
	NB_CHECK(!ok(r, "rebuild") && rc == NB_EXIT_CONTENT);
	NB_CHECK(json_array_size(json_object_get(r, "checks")) == 7);
	json_decref(r);

	/* The same again: the history extends the one remembered. A page
	 * changed after publishing is named, and an empty allowed-signers file
	 * signs nothing: no signature is not a pass. */
	char *index = nb_path_join(ch.dir, "index.html"), *allowed = nb_path_join(ch.dir, "allowed");
	NB_CHECK(nb_fs_write(index, "<p>3</p>\n", 9) == 0 && nb_fs_write(allowed, "", 0) == 0);
	rc = audit(&ch, allowed, &r);
	NB_CHECK(ok(r, "history") && ok(r, "chain") && rc == NB_EXIT_CONTENT);
	NB_CHECK_STR(detail(r, "history"), "extends the history seen before; not remembered (the "
		     "record failed its checks)");
	NB_CHECK(!ok(r, "served"));
	NB_CHECK_CONTAINS(detail(r, "served"), "1 of the 2 files of pub-3 are not served as "
			  "published by ");
	json_t *f = json_array_get(json_object_get(check_of(r, "served"), "files"), 0);
	NB_CHECK_STR(json_string_value(json_object_get(f, "path")), "index.html");
	NB_CHECK_STR(json_string_value(json_object_get(f, "what")), "modified");
	NB_CHECK(!ok(r, "signatures"));
	snprintf(want, sizeof(want), "0 signatures good against %s; no publication is signed",
		 allowed);
	NB_CHECK_STR(detail(r, "signatures"), want);
	json_decref(r);
	free(index);
	free(allowed);
	chain_close(&ch);
}

/* A publish stopped between moving the branch and tagging leaves the
 * branch one commit past pub-3: the chain line says where the branch is
 * and that publication 4 waits for its tag, not that it is at pub-3, and
 * what is served is still checked against pub-3. */
NB_TEST(untagged_publication_said)
{
	chain ch;
	NB_CHECK(chain_open_three(&ch) == 0);
	NB_CHECK(serve(&ch) == 0);
	char c4[GIT_OID_HEXSZ + 1], t3[GIT_OID_HEXSZ + 1], want[512];
	NB_CHECK(chain_git_out(&ch, c4, sizeof(c4), "commit-tree -p pub-3^{commit} -m "
			       "'Publication 4: test' pub-3^{tree}") == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", c4) == 0);
	json_t *r = NULL;
	audit(&ch, NULL, &r);
	nb_oid_tostr(t3, 8, &ch.c[3]);
	snprintf(want, sizeof(want), "3 publications; refs/heads/publications is at %.7s, "
		 "publication 4 recorded but not yet tagged (the next publish tags it), on pub-3 "
		 "(%s); each pub-N+1 follows pub-N directly", c4, t3);
	NB_CHECK(ok(r, "chain"));
	NB_CHECK_STR(detail(r, "chain"), want);
	NB_CHECK(ok(r, "served") && json_integer_value(json_object_get(r, "publication")) == 3);
	json_decref(r);
	chain_close(&ch);
}

/* When the chain fails its own check, the history is still compared with
 * the one remembered, from the branch as it is served: a branch moved on
 * past the last publication extends what was seen, a branch put back
 * rolls it back, and a branch gone contains nothing. */
NB_TEST(history_of_a_failing_chain)
{
	chain ch;
	NB_CHECK(chain_open_three(&ch) == 0);
	json_t *r = NULL;
	NB_CHECK(audit(&ch, NULL, &r) == NB_EXIT_CONTENT && ok(r, "history"));
	json_decref(r);
	char extra[GIT_OID_HEXSZ + 1], c3[GIT_OID_HEXSZ + 1], want[256];
	nb_oid_tostr(c3, sizeof(c3), &ch.c[3]);
	snprintf(want, sizeof(want), "history rewritten or rolled back: the branch was at %s when "
		 "last audited, and the served branch does not contain it\n", c3);
	NB_CHECK(chain_git_out(&ch, extra, sizeof(extra), "commit-tree -p pub-3^{commit} -m "
			       "'an edit' pub-1^{tree}") == 0);
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications %s", extra) == 0);
	NB_CHECK(audit(&ch, NULL, &r) == NB_EXIT_CONTENT);
	NB_CHECK(!ok(r, "chain"));
	NB_CHECK_CONTAINS(detail(r, "chain"), "the branch publications is not at pub-3");
	char *p = problems(r, "history");
	NB_CHECK_STR(p, "");
	free(p);
	NB_CHECK(ok(r, "history"));
	NB_CHECK_STR(detail(r, "history"), "extends the history seen before; not remembered (the "
		     "record failed its checks)");
	json_decref(r);

	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications pub-2^{commit}") == 0);
	NB_CHECK(audit(&ch, NULL, &r) == NB_EXIT_CONTENT && !ok(r, "chain") && !ok(r, "history"));
	p = problems(r, "history");
	NB_CHECK_STR(p, want);
	free(p);
	json_decref(r);

	NB_CHECK(chain_git(&ch, "update-ref -d refs/heads/publications") == 0);
	NB_CHECK(audit(&ch, NULL, &r) == NB_EXIT_CONTENT && !ok(r, "chain") && !ok(r, "history"));
	p = problems(r, "history");
	NB_CHECK_STR(p, want);
	free(p);
	json_decref(r);
	chain_close(&ch);
}

/* An allowed-signers file that cannot be read (missing, a folder) is a
 * read error, exit 3 as `verify` says it, never a verdict of tampering
 * (exit 1) against a signed record. The tags are signed with a key made
 * here; skipped where ssh-keygen is missing. */
NB_TEST(allowed_signers_unreadable)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	char *state = nb_path_join(ch.dir, "state"), *key = nb_path_join(ch.dir, "key");
	setenv("XDG_STATE_HOME", state, 1);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "ssh-keygen -q -t ed25519 -N '' -f '%s' </dev/null "
		 ">/dev/null 2>&1", key);
	if (system(cmd) != 0) {
		free(state);
		free(key);
		chain_close(&ch);
		nb_test_skip("ssh-keygen cannot make keys here");
	}
	ch.cfg.audit_signing_key = key;
	NB_CHECK(chain_pub(&ch, "<p>one</p>\n") == 0);
	ch.cfg.audit_signing_key = NULL;
	char *missing = nb_path_join(ch.dir, "no_such_allowed_signers");
	const char *bad[] = { missing, ch.dir, NULL };
	for (size_t i = 0; bad[i]; i++) {
		json_t *r = NULL;
		NB_CHECK(audit(&ch, bad[i], &r) == NB_EXIT_IO);
		NB_CHECK(json_integer_value(json_object_get(r, "exit")) == NB_EXIT_IO);
		NB_CHECK(!ok(r, "signatures"));
		NB_CHECK_CONTAINS(detail(r, "signatures"), "cannot read ");
		NB_CHECK_CONTAINS(detail(r, "signatures"), bad[i]);
		char *p = problems(r, "signatures");
		NB_CHECK_STR(p, "");
		free(p);
		json_decref(r);
	}
	free(missing);
	free(state);
	free(key);
	chain_close(&ch);
}

/* The report printed for a person, in `lang` (caller frees). */
static char *printed(json_t *report, const char *lang)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (out) {
		nb_auditor_print(report, out, lang);
		fclose(out);
	}
	return text;
}

NB_TEST(text_report_in_the_site_language)
{
	json_t *r = json_pack("{s:s, s:[{s:s, s:b, s:s, s:[], s:[]}, "
			      "{s:s, s:b, s:s, s:[], s:[{s:s, s:s}]},"
			      "{s:s, s:b, s:s, s:b, s:[], s:[]}], s:i}",
			      "site", "https://board.example.org/", "checks",
			      "name", "chain", "ok", 0, "detail", "publication pub-2 is missing: the "
			      "chain is broken", "problems", "files",
			      "name", "served", "ok", 0, "detail", "2 objects damaged", "problems",
			      "files", "path", "index.html", "what", "modified",
			      "name", "signatures", "ok", 1, "detail", "x", "skipped", 1,
			      "problems", "files", "exit", 1);
	NB_CHECK(r != NULL);
	/* Columns: two spaces, the verdict in 4, two, the check in 10, two. */
	char *en = printed(r, "en");
	NB_CHECK_STR(en, "noticeboard audit of https://board.example.org/\n"
		     "  FAIL  chain       publication pub-2 is missing: the chain is broken\n"
		     "  FAIL  served      2 objects damaged\n"
		     "          modified: index.html\n"
		     "  --    signatures  x\n"
		     "result: FAILED: the site is not what it published\n");
	free(en);
	/* In Chinese a character is two columns wide; the checks' sentences
	 * are translated, an error quoted from below them (the chain's) too,
	 * and a file's state. */
	char *zh = printed(r, "zh-CN");
	NB_CHECK_STR(zh, "noticeboard 审计：https://board.example.org/\n"
		     "  失败  公示链      公示 pub-2 不见了：公示链断了\n"
		     "  失败  网站文件    2 个对象已损坏\n"
		     "          被改动：index.html\n"
		     "  未查  签名        x\n"
		     "结论：未通过：网站与其发布记录不符\n");
	free(zh);
	json_object_set_new(r, "exit", json_integer(NB_EXIT_OK));
	en = printed(r, "en");
	NB_CHECK_CONTAINS(en, "\nresult: everything holds\n");
	free(en);
	json_decref(r);
}

/* The remembered history that cannot be read (a folder where its file
 * should be: a read error, as root too), or written, is an I/O error,
 * exit 3: no verdict on a record whose every check passed. */
NB_TEST(remembered_history_unreadable)
{
	chain ch;
	NB_CHECK(chain_open_three(&ch) == 0);
	json_t *r = NULL;
	NB_CHECK(audit(&ch, NULL, &r) == NB_EXIT_CONTENT && ok(r, "history"));
	const char *d = detail(r, "history"), *in = d ? strstr(d, "; remembered in ") : NULL;
	NB_CHECK(in != NULL);
	char *file = strdup(in ? in + strlen("; remembered in ") : "");
	json_decref(r);
	NB_CHECK(unlink(file) == 0 && mkdir(file, 0755) == 0);
	NB_CHECK(audit(&ch, NULL, &r) == NB_EXIT_IO);
	NB_CHECK(json_integer_value(json_object_get(r, "exit")) == NB_EXIT_IO);
	NB_CHECK(ok(r, "chain") && ok(r, "objects") && !ok(r, "history"));
	NB_CHECK_CONTAINS(detail(r, "history"), "cannot read ");
	NB_CHECK_CONTAINS(detail(r, "history"), file);
	json_decref(r);
	rmdir(file);

	/* Nothing remembered and the history cannot be: a folder where the
	 * file is written first (its name ends in this process's id). A pass
	 * would leave the next audit unable to see a rollback. */
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", file, (long)getpid());
	NB_CHECK(mkdir(tmp, 0755) == 0);
	NB_CHECK(audit(&ch, NULL, &r) == NB_EXIT_IO);
	NB_CHECK(ok(r, "chain") && ok(r, "objects") && !ok(r, "history"));
	NB_CHECK_CONTAINS(detail(r, "history"), "cannot write ");
	NB_CHECK_CONTAINS(detail(r, "history"), file);
	char *zh = printed(r, "zh-CN"), want[4200];
	snprintf(want, sizeof(want), "  失败  历史        无法写入 %s：", file);
	NB_CHECK_CONTAINS(zh, want);
	free(zh);
	NB_CHECK(access(file, F_OK) != 0);
	json_decref(r);
	rmdir(tmp);

	/* No folder to remember sites in (neither XDG_STATE_HOME nor HOME,
	 * as under some service managers): the history cannot be checked,
	 * which says nothing about the site (exit 3, not a failed audit). */
	char *xdg = getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	NB_CHECK(audit(&ch, NULL, &r) == NB_EXIT_IO);
	NB_CHECK(ok(r, "chain") && ok(r, "objects") && !ok(r, "history"));
	NB_CHECK_CONTAINS(detail(r, "history"), "set XDG_STATE_HOME or HOME");
	json_decref(r);
	if (xdg)
		setenv("XDG_STATE_HOME", xdg, 1);
	if (home)
		setenv("HOME", home, 1);
	free(xdg);
	free(home);
	free(file);
	chain_close(&ch);
}

NB_TEST_MAIN("auditor", NB_CASE(honest_site), NB_CASE(untagged_publication_said), NB_CASE(history_of_a_failing_chain),
	     NB_CASE(allowed_signers_unreadable), NB_CASE(remembered_history_unreadable),
	     NB_CASE(text_report_in_the_site_language))

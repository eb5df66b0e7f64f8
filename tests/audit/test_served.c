/*
 * test_served.c - the copy of the audit repository served at /audit.git/
 * (served.c). What a clone of the copy gets must be the record: every
 * pub-N naming the same tag and commit, every object whole (git fsck),
 * nothing loose for a dumb fetcher to ask for; and making the copy must
 * not cost the record an object (its loose objects are replaced by the
 * copy's new pack, which the object check must still read whole).
 */
#include "chain_fixture.h"
#include "harness.h"
#include "audit/served.h"
#include "output/sums.h"

/* Count the files below `dir` whose name matches the shell pattern. */
static int count(const char *dir, const char *pattern)
{
	char cmd[1024], line[32] = "";
	snprintf(cmd, sizeof(cmd), "find '%s' -type f -name '%s' 2>/dev/null | wc -l", dir, pattern);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	pclose(p);
	return atoi(line);
}

/* The objects git keeps loose in `objects` (two-hex folders only). */
static int loose(const char *objects)
{
	char cmd[1024], line[32] = "";
	snprintf(cmd, sizeof(cmd), "find '%s' -path '*/objects/[0-9a-f][0-9a-f]/*' -type f "
		 "2>/dev/null | wc -l", objects);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	pclose(p);
	return atoi(line);
}

NB_TEST(copy_is_the_record)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	ch.cfg.audit_serve = 1;
	NB_CHECK(chain_pub(&ch, "<p>one</p>\n") == 0);
	NB_CHECK(chain_pub(&ch, "<p>two</p>\n") == 0);
	NB_CHECK(loose(ch.repo) > 0);
	char *out = nb_path_join(ch.dir, "out"), *live = nb_path_join(ch.dir, "live");
	char *copy = nb_path_join(out, "audit.git");
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_served_write(&ch.a, out, live) == 0);

	/* Whole, packed, and naming what the record names. */
	NB_CHECK(chain_sh("git -C '%s' fsck --full --strict", copy) == 0);
	NB_CHECK(loose(copy) == 0 && count(copy, "pack-*.pack") == 1);
	for (size_t n = 1; n <= 2; n++) {
		char want[GIT_OID_HEXSZ + 1];
		nb_oid_tostr(want, sizeof(want), &ch.c[n]);
		NB_CHECK(chain_sh("test \"$(git -C '%s' rev-parse 'pub-%zu^{commit}')\" = %s", copy, n,
			    want) == 0);
		NB_CHECK(chain_sh("grep -q '^%s\trefs/tags/pub-%zu^{}$' '%s/info/refs'", want, n,
			    copy) == 0);
	}
	NB_CHECK(chain_sh("grep -q '^P pack-.*\\.pack$' '%s/objects/info/packs'", copy) == 0);
	NB_CHECK(chain_sh("grep -qx 'ref: refs/heads/publications' '%s/HEAD'", copy) == 0);
	/* A clone of it, as an auditor makes one. */
	NB_CHECK(chain_sh("git clone -q --bare '%s' '%s/clone.git' && git -C '%s/clone.git' fsck --full",
		    copy, ch.dir, ch.dir) == 0);

	/* The record lost no object: its loose ones went into that pack. */
	NB_CHECK(loose(ch.repo) == 0 && count(ch.repo, "pack-*.idx") == 1);
	NB_CHECK(chain_sh("git -C '%s' fsck --full --strict", ch.repo) == 0);
	nb_buf report = NB_BUF_INIT;
	size_t damaged = 9;
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_check_objects(&ch.a, 2, &report, &damaged) == 0 && damaged == 0);
	nb_buf_free(&report);

	/* The next publication, the copy served until now as the live one:
	 * the old pack kept, one new pack for the new objects. */
	NB_CHECK(rename(out, live) == 0);
	NB_CHECK(chain_pub(&ch, "<p>three</p>\n") == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_served_write(&ch.a, out, live) == 0);
	NB_CHECK(chain_sh("git -C '%s' fsck --full --strict", copy) == 0);
	NB_CHECK(loose(copy) == 0 && count(copy, "pack-*.pack") == 2);
	NB_CHECK(chain_sh("test \"$(git -C '%s' rev-parse publications)\" = "
		    "\"$(git -C '%s' rev-parse publications)\"", copy, ch.repo) == 0);
	/* Nothing new to record: no pack added. */
	NB_CHECK(nb_fs_rmtree(live) == 0 && rename(out, live) == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_served_write(&ch.a, out, live) == 0);
	NB_CHECK(count(copy, "pack-*.pack") == 2);
	/* A plain build in between served no copy: the record's own packs
	 * make it whole. */
	NB_CHECK(nb_fs_rmtree(live) == 0 && nb_fs_rmtree(out) == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_served_write(&ch.a, out, live) == 0);
	NB_CHECK(chain_sh("git -C '%s' fsck --full --strict", copy) == 0);
	NB_CHECK(loose(copy) == 0 && count(copy, "pack-*.pack") == 2);
	free(out);
	free(live);
	free(copy);
	chain_close(&ch);
}

NB_TEST(no_copy_when_turned_off)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	NB_CHECK(chain_pub(&ch, "<p>one</p>\n") == 0);
	char *out = nb_path_join(ch.dir, "out"), *copy = nb_path_join(out, "audit.git");
	ch.cfg.audit_serve = 0;
	NB_CHECK(nb_audit_served_write(&ch.a, out, out) == 0 && !nb_fs_is_dir(copy));
	ch.cfg.audit_serve = 1;
	ch.cfg.audit_mirror = "https://mirror.example.org/audit.git";
	NB_CHECK(nb_audit_served_write(&ch.a, out, out) == 0 && !nb_fs_is_dir(copy));
	ch.cfg.audit_mirror = NULL;
	/* The copy left out of what a served folder holds. */
	nb_audit_files f = { 0 };
	nb_oid id;
	memset(&id, 0, sizeof(id));
	nb_audit_files_push(&f, "audit.git/HEAD", &id);
	nb_audit_files_push(&f, "audit.gitx/a", &id);
	nb_audit_files_push(&f, "index.html", &id);
	nb_audit_files_push(&f, "audit.git", &id);
	nb_audit_served_leave_out(&f);
	NB_CHECK(f.len == 3 && !strcmp(f.items[0].path, "audit.gitx/a") &&
		 !strcmp(f.items[1].path, "index.html") && !strcmp(f.items[2].path, "audit.git"));
	nb_audit_files_free(&f);
	free(out);
	free(copy);
	chain_close(&ch);
}

/* Dropping the copy from a folder drops it from a walk of the folder
 * made before (what a publish's record hashes), and nothing else: a
 * name that only starts like it stays. */
NB_TEST(drop_keeps_the_walk_true)
{
	char dir[] = "/tmp/nb-served-drop.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	const char *names[] = { "index.html", NB_SERVED_AUDIT "/HEAD",
				NB_SERVED_AUDIT "/objects/pack/x.pack", NB_SERVED_AUDIT "x" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *p = nb_path_join(dir, names[i]);
		NB_CHECK(nb_fs_write(p, "x", 1) == 0);
		free(p);
	}
	nb_fs_files w = { 0 };
	nb_buf where = NB_BUF_INIT;
	NB_CHECK(nb_fs_walk_stat(&w, dir, 1, 0, &where) == 0 && w.len == 4);
	NB_CHECK(nb_audit_served_drop(dir, &w) == 0);
	char *copy = nb_path_join(dir, NB_SERVED_AUDIT);
	NB_CHECK(!nb_fs_is_dir(copy));
	size_t kept = 0;
	for (size_t i = 0; i < w.len; i++)
		kept += !strcmp(w.items[i].rel, "index.html") ||
			!strcmp(w.items[i].rel, NB_SERVED_AUDIT "x");
	NB_CHECK(w.len == 2 && kept == 2);
	free(copy);
	nb_fs_files_free(&w);
	nb_buf_free(&where);
	nb_fs_rmtree(dir);
}

NB_TEST_MAIN("served", NB_CASE(copy_is_the_record), NB_CASE(no_copy_when_turned_off),
	     NB_CASE(drop_keeps_the_walk_true))

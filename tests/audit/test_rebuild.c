/*
 * test_rebuild.c - a publication made again from its own record
 * (rebuild.c). An honest publication rebuilds byte for byte; a record
 * whose output was changed afterwards is named file by file (modified,
 * missing from the rebuild, extra in it); output from sources that say
 * otherwise differs where they show. What cannot be rebuilt says why: no
 * as_of date, no sources, a source that is not a plain file, sources that
 * do not build, a damaged record. Another generator, as its manifest names
 * it, is reported as such only when the output differs. Nothing is left
 * in the temporary folder, which is TMPDIR's.
 */
#include "audit/rebuild.h"
#include "harness.h"
#include "publish_fixture.h"

/* The site published once as of 2024-07-01, TMPDIR below it. */
static void published(nb_test_state *nb__t, pubsite *p)
{
	NB_CHECK(pubsite_open(p) == 0);
	NB_CHECK(pubsite_publish(p, "2024-07-01") == NB_EXIT_OK);
	char *tmp = nb_path_join(p->dir, "tmp");
	NB_CHECK(nb_fs_mkdirs(tmp) == 0);
	setenv("TMPDIR", tmp, 1);
	free(tmp);
}

/* Rebuild publication n through a handle of its own; nb_audit_rebuild's
 * return, a->err and a->io in `err` and `io`. */
static int rebuild(pubsite *p, size_t n, nb_rebuild *r, char *err, size_t len, int *io)
{
	nb_audit a;
	int rc = pubsite_audit(p, &a);
	if (rc == 0)
		rc = nb_audit_rebuild(&a, n, r);
	else
		memset(r, 0, sizeof(*r));
	snprintf(err, len, "%s", a.err);
	*io = a.io;
	nb_audit_close(&a);
	return rc;
}

/* What differs, "what path" a line. */
static char *differ(const nb_rebuild *r)
{
	nb_buf b = NB_BUF_INIT;
	size_t i;
	json_t *d;
	json_array_foreach(r->differ, i, d)
		nb_buf_printf(&b, "%s %s\n", json_string_value(json_object_get(d, "what")),
			      json_string_value(json_object_get(d, "path")));
	return nb_buf_detach(&b);
}

/* Entries left in TMPDIR. */
static int tmp_left(const pubsite *p)
{
	char *tmp = nb_path_join(p->dir, "tmp");
	DIR *d = opendir(tmp);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	free(tmp);
	return d ? n : -1;
}

/* A blob of `text` written into the record: the shell for its id. */
#define BLOB(text) "$(printf -- '" text "' | git hash-object -w --stdin)"

NB_TEST(honest_publications_rebuild)
{
	pubsite p;
	published(nb__t, &p);
	/* A second one with a changed page: each rebuilds with the history up
	 * to it (pub-1's pages do not list pub-2). */
	NB_CHECK(pubsite_put(&p, "content/pages/about.md",
			     "---\ntitle: \"About\"\ndate: \"2024-01-05\"\n---\nMoved.\n") == 0);
	NB_CHECK(pubsite_publish(&p, "2024-08-01") == NB_EXIT_OK);
	nb_buf count = NB_BUF_INIT;
	for (size_t n = 1; n <= 2; n++) {
		nb_rebuild r;
		char err[1024], want[64];
		int io;
		NB_CHECK(rebuild(&p, n, &r, err, sizeof(err), &io) == 0);
		NB_CHECK(r.publication == n && r.built && !r.err[0]);
		NB_CHECK(json_array_size(r.differ) == 0 && !nb_rebuild_failed(&r));
		NB_CHECK(!r.other_generator);
		NB_CHECK_STR(r.recorded, "noticeboard " NB_VERSION);
		NB_CHECK_STR(r.running, "noticeboard " NB_VERSION);
		/* Every file of its public/ was compared. */
		NB_CHECK(obj_sh_out(&count, "git --git-dir='%s' ls-tree -r --name-only pub-%zu public "
				    "| wc -l", p.repo, n) == 0);
		snprintf(want, sizeof(want), "%zu\n", r.files);
		NB_CHECK(r.files > 50);
		NB_CHECK_STR(nb_buf_cstr(&count), want);
		nb_rebuild_free(&r);
		NB_CHECK(r.differ == NULL);
	}
	NB_CHECK(tmp_left(&p) == 0);
	nb_buf_free(&count);
	pubsite_close(&p);
}

/* Output changed after the publish: each file named, and only those. */
NB_TEST(changed_output_named_file_by_file)
{
	pubsite p;
	published(nb__t, &p);
	NB_CHECK(pubsite_rewrite(&p, 1, 1,
				 "git update-index --cacheinfo 100644," BLOB("forged") ",public/index.html"
				 " && git update-index --add --cacheinfo 100644," BLOB("x") ",public/extra.txt"
				 " && git rm -q --cached public/robots.txt"
				 " && git update-index --add --cacheinfo 100644," BLOB("m")
				 ",public/.noticeboard-output") == 0);
	nb_rebuild r;
	char err[1024];
	int io;
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(r.built && nb_rebuild_failed(&r));
	/* In the record but not rebuilt: missing; rebuilt but not recorded:
	 * extra. The output marker is no content. */
	char *got = differ(&r);
	NB_CHECK_STR(got, "missing extra.txt\nmodified index.html\nextra robots.txt\n");
	free(got);
	/* This very program made it: tampering, not another generator. */
	NB_CHECK(!r.other_generator);
	NB_CHECK_STR(r.recorded, "noticeboard " NB_VERSION);
	nb_rebuild_free(&r);
	NB_CHECK(tmp_left(&p) == 0);
	pubsite_close(&p);
}

/* Sources changed after the publish: the pages they make differ. */
NB_TEST(changed_sources_differ_where_they_show)
{
	pubsite p;
	published(nb__t, &p);
	NB_CHECK(pubsite_rewrite(&p, 1, 1,
				 "git update-index --cacheinfo 100644,"
				 BLOB("---\\ntitle: \"About us\"\\ndate: \"2024-01-05\"\\n---\\n"
				      "We are *elsewhere*.\\n")
				 ",site/content/pages/about.md") == 0);
	nb_rebuild r;
	char err[1024];
	int io;
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(r.built && nb_rebuild_failed(&r) && !r.other_generator);
	char *got = differ(&r);
	NB_CHECK_CONTAINS(got, "modified pages/about/index.html\n");
	/* A page that does not show it is the same. */
	NB_CHECK(!strstr(got, "meetings/m1/index.html"));
	NB_CHECK(!strstr(got, "missing ") && !strstr(got, "extra "));
	free(got);
	nb_rebuild_free(&r);
	pubsite_close(&p);
}

/* manifest.json's "generator" with version 0.0.9 and libgit2 0.0.1. */
#define OLD_GENERATOR                                                                        \
	"git update-index --cacheinfo 100644,$(git show pub-1:manifest.json | "              \
	"sed -e 's/\"version\": \"" NB_VERSION "\"/\"version\": \"0.0.9\"/' "                 \
	"-e 's/\"libgit2\": \"[^\"]*\"/\"libgit2\": \"0.0.1\"/' | "                           \
	"git hash-object -w --stdin),manifest.json"

/* Another generator is named, with what differs, only when the output
 * differs: the same output from another version is the same output. */
NB_TEST(other_generator_named_only_when_output_differs)
{
	pubsite p;
	published(nb__t, &p);
	char err[1024], lib[32], want[256];
	int io;
	nb_rebuild r;
	nb_audit_library_version(lib, sizeof(lib));
	NB_CHECK(pubsite_rewrite(&p, 1, 1, OLD_GENERATOR) == 0);
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(r.built && !nb_rebuild_failed(&r) && !r.other_generator);
	NB_CHECK_STR(r.recorded, "noticeboard 0.0.9");
	nb_rebuild_free(&r);
	NB_CHECK(pubsite_rewrite(&p, 1, 1, OLD_GENERATOR " && git update-index --cacheinfo 100644,"
				 BLOB("forged") ",public/index.html") == 0);
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(r.built && nb_rebuild_failed(&r) && r.other_generator);
	char *got = differ(&r);
	NB_CHECK_STR(got, "modified index.html\n");
	free(got);
	NB_CHECK_STR(r.recorded, "noticeboard 0.0.9, libgit2 0.0.1");
	snprintf(want, sizeof(want), "noticeboard " NB_VERSION ", libgit2 %s", lib);
	NB_CHECK_STR(r.running, want);
	nb_rebuild_free(&r);
	pubsite_close(&p);
}

/* Before "generator" the manifest named only the version. */
NB_TEST(old_manifest_names_the_version)
{
	pubsite p;
	published(nb__t, &p);
	char err[1024];
	int io;
	nb_rebuild r;
	const char *forged = " && git update-index --cacheinfo 100644," BLOB("forged")
			     ",public/index.html";
	char edits[1024];
	/* This version: tampering. */
	snprintf(edits, sizeof(edits), "git update-index --cacheinfo 100644,$(git show "
		 "pub-1:manifest.json | sed '/^ \"generator\": {/,/^ },/d' | git hash-object -w --stdin),"
		 "manifest.json%s", forged);
	NB_CHECK(pubsite_rewrite(&p, 1, 1, edits) == 0);
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(r.built && nb_rebuild_failed(&r) && !r.other_generator);
	NB_CHECK_STR(r.recorded, "noticeboard " NB_VERSION);
	nb_rebuild_free(&r);
	/* Another: named. */
	snprintf(edits, sizeof(edits), "git update-index --cacheinfo 100644,$(git show "
		 "pub-1:manifest.json | sed -e '/^ \"generator\": {/,/^ },/d' -e "
		 "'s/^ \"noticeboard\": .*/ \"noticeboard\": \"0.0.9\",/' | git hash-object -w --stdin),manifest.json%s", forged);
	NB_CHECK(pubsite_rewrite(&p, 1, 1, edits) == 0);
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(r.built && r.other_generator);
	NB_CHECK_STR(r.recorded, "noticeboard 0.0.9");
	NB_CHECK_STR(r.running, "noticeboard " NB_VERSION);
	nb_rebuild_free(&r);
	pubsite_close(&p);
}

/* What is not there to rebuild from: said, not built, nothing left. */
NB_TEST(record_without_what_a_rebuild_needs)
{
	pubsite p;
	published(nb__t, &p);
	char err[1024];
	int io;
	nb_rebuild r;
	/* No sources. */
	NB_CHECK(pubsite_rewrite(&p, 1, 1, "git rm -r -q --cached site") == 0);
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(!r.built && nb_rebuild_failed(&r));
	NB_CHECK_STR(r.err, "the publication records no sources (site/)");
	nb_rebuild_free(&r);
	/* No as_of date (and no sources either: the date is asked first). */
	NB_CHECK(pubsite_rewrite(&p, 1, 1, "git update-index --cacheinfo 100644,$(git show "
				 "pub-1:manifest.json | sed '/^ \"as_of\":/d' | git hash-object -w "
				 "--stdin),manifest.json") == 0);
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(!r.built && nb_rebuild_failed(&r));
	NB_CHECK_STR(r.err, "its manifest.json records no as_of date");
	nb_rebuild_free(&r);
	NB_CHECK(tmp_left(&p) == 0);
	/* No such publication: an error, not an I/O one. */
	NB_CHECK(rebuild(&p, 2, &r, err, sizeof(err), &io) == -1);
	NB_CHECK(err[0] && !io);
	nb_rebuild_free(&r);
	pubsite_close(&p);
}

/* Recorded sources are written out only as plain files and folders. */
NB_TEST(sources_that_are_not_plain_files_refused)
{
	pubsite p;
	published(nb__t, &p);
	char err[1024];
	int io;
	nb_rebuild r;
	NB_CHECK(pubsite_rewrite(&p, 1, 1, "git update-index --add --cacheinfo 120000,"
				 BLOB("/etc/passwd") ",site/content/pages/link.md") == 0);
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(!r.built);
	NB_CHECK_STR(r.err, "the recorded sources hold `content/pages/link.md`, which is not a "
		     "plain file or folder name; refusing to write it");
	nb_rebuild_free(&r);
	NB_CHECK(tmp_left(&p) == 0);
	pubsite_close(&p);
}

NB_TEST(sources_that_do_not_build)
{
	pubsite p;
	published(nb__t, &p);
	char err[1024];
	int io;
	nb_rebuild r;
	NB_CHECK(pubsite_rewrite(&p, 1, 1, "git update-index --cacheinfo 100644,"
				 BLOB("title: [\\n") ",site/site.yaml") == 0);
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(!r.built && nb_rebuild_failed(&r));
	NB_CHECK(!strncmp(r.err, "its recorded sources do not build: ", 35));
	NB_CHECK_CONTAINS(r.err, "site.yaml");
	nb_rebuild_free(&r);
	NB_CHECK(tmp_left(&p) == 0);
	pubsite_close(&p);
}

/* A temporary folder that cannot be made: the disk's error, named. */
NB_TEST(no_temporary_folder_is_an_io_error)
{
	pubsite p;
	published(nb__t, &p);
	char *file = nb_path_join(p.dir, "tmp/file"), err[1024], want[512];
	int io;
	nb_rebuild r;
	NB_CHECK(nb_fs_write(file, "x", 1) == 0);
	setenv("TMPDIR", file, 1);
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == -1);
	snprintf(want, sizeof(want), "cannot create a temporary folder in %s", file);
	NB_CHECK_STR(err, want);
	NB_CHECK(io);
	nb_rebuild_free(&r);
	free(file);
	pubsite_close(&p);
}

/* A record missing an object of its sources is damaged: said so, never
 * taken for the disk failing (verify's exit 3) nor rebuilt from what is
 * left of it. */
NB_TEST(damaged_sources_are_damage_not_io)
{
	pubsite p;
	published(nb__t, &p);
	NB_CHECK(pubsite_loose(&p) == 0);
	char blob[GIT_OID_HEXSZ + 1], tree[GIT_OID_HEXSZ + 1], err[1024];
	int io;
	nb_rebuild r;
	NB_CHECK(chain_rev(&p.git, "pub-1:site/content/pages/about.md", blob) == 0);
	NB_CHECK(chain_rev(&p.git, "pub-1:site/content/meetings", tree) == 0);
	NB_CHECK(chain_drop(&p.git, blob) == 0);
	int rc = rebuild(&p, 1, &r, err, sizeof(err), &io);
	NB_CHECK(rc == -1 || !r.built);
	NB_CHECK(!io);
	char want[512];
	snprintf(want, sizeof(want), "the audit repository is damaged: the recorded source "
		 "site/content/pages/about.md (%s) cannot be read: ", blob);
	NB_CHECK_CONTAINS(rc ? err : r.err, want);
	nb_rebuild_free(&r);
	NB_CHECK(tmp_left(&p) == 0);
	/* A folder: the walk stops there; what was written is no rebuild. */
	NB_CHECK(pubsite_rewrite(&p, 1, 1, "git update-index --add --cacheinfo 100644,"
				 BLOB("back") ",site/content/pages/about.md") == 0);
	NB_CHECK(chain_drop(&p.git, tree) == 0);
	rc = rebuild(&p, 1, &r, err, sizeof(err), &io);
	NB_CHECK(rc == -1 || !r.built);
	NB_CHECK(json_array_size(r.differ) == 0);
	NB_CHECK(!io);
	snprintf(want, sizeof(want), "the audit repository is damaged: the recorded source "
		 "site/content/meetings (%s) cannot be read: ", tree);
	NB_CHECK_CONTAINS(rc ? err : r.err, want);
	nb_rebuild_free(&r);
	NB_CHECK(tmp_left(&p) == 0);
	pubsite_close(&p);
}

/* "Another generator" is a manifest naming one; one that names none
 * cannot turn a differing rebuild into "not evidence either way". */
NB_TEST(unnamed_generator_is_not_another)
{
	pubsite p;
	published(nb__t, &p);
	char err[1024];
	int io;
	nb_rebuild r;
	NB_CHECK(pubsite_rewrite(&p, 1, 1, "git update-index --cacheinfo 100644,$(git show "
				 "pub-1:manifest.json | sed -e '/^ \"generator\": {/,/^ },/d' -e "
				 "'/^ \"noticeboard\":/d' | git hash-object -w --stdin),manifest.json"
				 " && git update-index --cacheinfo 100644," BLOB("forged")
				 ",public/index.html") == 0);
	NB_CHECK(rebuild(&p, 1, &r, err, sizeof(err), &io) == 0);
	NB_CHECK(r.built && nb_rebuild_failed(&r));
	NB_CHECK_STR(r.recorded, "unknown");
	NB_CHECK(!r.other_generator);
	nb_rebuild_free(&r);
	pubsite_close(&p);
}

NB_TEST_MAIN("rebuild", NB_CASE(honest_publications_rebuild),
	     NB_CASE(changed_output_named_file_by_file),
	     NB_CASE(changed_sources_differ_where_they_show),
	     NB_CASE(other_generator_named_only_when_output_differs),
	     NB_CASE(old_manifest_names_the_version), NB_CASE(record_without_what_a_rebuild_needs),
	     NB_CASE(sources_that_are_not_plain_files_refused), NB_CASE(sources_that_do_not_build),
	     NB_CASE(no_temporary_folder_is_an_io_error), NB_CASE(damaged_sources_are_damage_not_io),
	     NB_CASE(unnamed_generator_is_not_another))

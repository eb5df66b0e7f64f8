/*
 * test_build.c - the build command's stages around the pipeline
 * (build.c): the no-op key, the staging folder, the atomic swap, the
 * previous generation and the output folders it refuses.
 *
 * What this module promises (build.h, build.c's top comment, the README's
 * "A build writes into a staging folder..."): a failed build leaves the
 * served folder exactly as it was, the same bytes in the same inodes; a
 * successful one replaces it whole; the folder it replaces is kept as
 * `<output>.previous` and brought up to date in place by the next build;
 * and an output folder that would overwrite the site's own files, or
 * files noticeboard did not write, is refused before anything is touched.
 * Every test works in its own temporary folder (check_site.h's site) and
 * points no build outside it.
 */
#include "harness.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_site.h"
#include "output/build.h"
#include "output/cache.h"
#include "util/buf.h"

static const char *const files[][2] = {
	{ "site.yaml", "title: \"Hongling\"\nlanguage: en\n" },
	{ "content/pages/about.md", "---\ntitle: \"About\"\ndate: \"2024-01-05\"\n---\nFirst text.\n" },
	{ "content/pages/join.md", "---\ntitle: \"Join us\"\n---\nCome along.\n" },
};
#define N_FILES (sizeof(files) / sizeof(files[0]))

/* Build the site into `out` (NULL: site.yaml's, public/) as of a fixed
 * day; the exit code, the diagnostics in s->d (cleared first). */
static int build(site *s, const char *out, nb_build_result *r)
{
	nb_diag_free(&s->d);
	nb_diag_init(&s->d);
	nb_build_opts o = { .site_dir = s->dir, .as_of = "2025-01-01", .output = out };
	nb_build_result scratch;
	return nb_build_run(&o, r ? r : &scratch, &s->d);
}

/* s->dir joined with `rel`, in a buffer of the caller's. */
static const char *at(const site *s, const char *rel, char buf[512])
{
	snprintf(buf, 512, "%s/%s", s->dir, rel);
	return buf;
}

static ino_t inode(const site *s, const char *rel)
{
	char p[512];
	struct stat st;
	return lstat(at(s, rel, p), &st) == 0 ? st.st_ino : 0;
}

static int exists(const site *s, const char *rel)
{
	char p[512];
	struct stat st;
	return lstat(at(s, rel, p), &st) == 0;
}

/* The file's text, or "" when it cannot be read; the caller frees. */
static char *text(const site *s, const char *rel)
{
	char p[512], *data = NULL;
	size_t len = 0;
	if (nb_fs_read(at(s, rel, p), 0, &data, &len) != 0)
		return strdup("");
	return data;
}

/* FNV-1a of the bytes: a snapshot that differs prints short. */
static unsigned long long digest(const char *p, size_t n)
{
	unsigned long long h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

/* Everything a folder holds (but the build cache, which may be deleted
 * at any time), as "path inode size digest" lines, so two snapshots are
 * equal only when no file was added, removed, rewritten or replaced by
 * another inode. The caller frees. */
static char *snapshot(const site *s, const char *rel)
{
	char root[512];
	at(s, rel, root);
	nb_strlist l = { 0 };
	nb_buf b = NB_BUF_INIT;
	struct stat st;
	int there = lstat(root, &st) == 0;
	if (there)
		nb_buf_printf(&b, "[%s %lu]\n", rel, (unsigned long)st.st_ino);
	if (there && S_ISDIR(st.st_mode))
		nb_fs_walk(root, &l, NULL);
	for (size_t i = 0; i < l.len; i++) {
		if (!strncmp(l.items[i], NB_CACHE_DIR "/", sizeof(NB_CACHE_DIR)))
			continue;
		char *p = nb_path_join(root, l.items[i]), *data = NULL;
		size_t len = 0;
		if (lstat(p, &st) != 0 || nb_fs_read(p, 0, &data, &len) != 0)
			abort();
		nb_buf_printf(&b, "%s %lu %zu %016llx\n", l.items[i], (unsigned long)st.st_ino, len,
			      digest(data, len));
		free(data);
		free(p);
	}
	nb_strlist_free(&l);
	char *out = strdup(nb_buf_cstr(&b));
	nb_buf_free(&b);
	return out;
}

/* Whether any entry of the site folder starts with `prefix`. */
static int any_entry(const site *s, const char *prefix)
{
	int found = 0;
	DIR *d = opendir(s->dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		found |= !strncmp(e->d_name, prefix, strlen(prefix));
	if (d)
		closedir(d);
	return found;
}

NB_TEST(first_build_writes_a_marked_folder)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	nb_build_result r;
	NB_CHECK(build(&s, NULL, &r) == NB_EXIT_OK);
	NB_CHECK(s.d.len == 0);
	NB_CHECK(r.documents == 2);
	NB_CHECK(exists(&s, "public/" NB_BUILD_MARKER));
	char *page = text(&s, "public/pages/about/index.html");
	NB_CHECK_CONTAINS(page, "First text.");
	free(page);
	/* Nothing was replaced, so there is no previous generation, and the
	 * staging folder became the output. */
	NB_CHECK(!exists(&s, "public" NB_CACHE_PREVIOUS));
	NB_CHECK(!any_entry(&s, "public.staging"));
	site_free(&s);
}

/* An edit swaps a whole new folder in; the one it replaced is kept beside
 * it, and the next build updates that one in place and swaps it back. */
NB_TEST(rebuild_swaps_whole_and_keeps_the_previous_generation)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_OK);
	ino_t first = inode(&s, "public");
	put(&s, "content/pages/about.md", "---\ntitle: \"About\"\n---\nSecond text.\n");
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_OK);
	ino_t second = inode(&s, "public");
	NB_CHECK(second != first);
	NB_CHECK(inode(&s, "public" NB_CACHE_PREVIOUS) == first);
	char *now = text(&s, "public/pages/about/index.html");
	char *before = text(&s, "public" NB_CACHE_PREVIOUS "/pages/about/index.html");
	NB_CHECK_CONTAINS(now, "Second text.");
	NB_CHECK_CONTAINS(before, "First text.");
	free(now);
	free(before);

	put(&s, "content/pages/about.md", "---\ntitle: \"About\"\n---\nThird text.\n");
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_OK);
	/* The first folder, updated in place, is served again. */
	NB_CHECK(inode(&s, "public") == first);
	NB_CHECK(inode(&s, "public" NB_CACHE_PREVIOUS) == second);
	now = text(&s, "public/pages/about/index.html");
	NB_CHECK_CONTAINS(now, "Third text.");
	NB_CHECK(!strstr(now, "First text."));
	free(now);
	NB_CHECK(exists(&s, "public/" NB_BUILD_MARKER));
	NB_CHECK(!any_entry(&s, "public.staging"));
	site_free(&s);
}

NB_TEST(nothing_changed_touches_nothing)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	nb_build_result r1, r2;
	NB_CHECK(build(&s, NULL, &r1) == NB_EXIT_OK);
	char *before = snapshot(&s, "public");
	NB_CHECK(build(&s, NULL, &r2) == NB_EXIT_OK);
	char *after = snapshot(&s, "public");
	NB_CHECK_STR(after, before);
	NB_CHECK(!exists(&s, "public" NB_CACHE_PREVIOUS));
	/* The counts of the recorded build, not zeros. */
	NB_CHECK(r2.documents == r1.documents && r2.pages == r1.pages && r2.files == r1.files);
	NB_CHECK(r2.pages > 0);
	free(before);
	free(after);
	site_free(&s);
}

/* The shortcut is taken only after a build without any diagnostic: a
 * warning must be said again by every build until it is dealt with. */
NB_TEST(a_warning_is_never_swallowed_by_the_shortcut)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	put(&s, "content/pages/about.md~", "backup\n");
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_OK);
	NB_CHECK(diag_find(&s.d, "file-backup", NULL) != NULL);
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_OK);
	NB_CHECK(diag_find(&s.d, "file-backup", NULL) != NULL);
	site_free(&s);
}

NB_TEST(a_failed_build_leaves_public_exactly_as_it_was)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_OK);
	put(&s, "content/pages/about.md", "---\ntitle: \"About\"\n---\nSecond text.\n");
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_OK);
	char *before = snapshot(&s, "public");
	/* February 2024 has 29 days: a content error. */
	put(&s, "content/pages/join.md", "---\ntitle: \"Join\"\ndate: \"2024-02-30\"\n---\nNew.\n");
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_CONTENT);
	const nb_diag_entry *e = diag_find(&s.d, "field-date", NULL);
	NB_CHECK(e != NULL);
	if (!e)
		nb_diag_print(&s.d, stderr, 0);
	char *after = snapshot(&s, "public");
	NB_CHECK_STR(after, before);
	NB_CHECK(!any_entry(&s, "public.staging"));
	/* Fixed, the next build publishes it. */
	put(&s, "content/pages/join.md", "---\ntitle: \"Join\"\ndate: \"2024-02-29\"\n---\nNew.\n");
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_OK);
	char *page = text(&s, "public/pages/join/index.html");
	NB_CHECK_CONTAINS(page, "New.");
	free(page);
	free(before);
	free(after);
	site_free(&s);
}

/* A folder named like the previous generation that is not ours (no
 * marker) is neither updated nor deleted. */
NB_TEST(a_previous_folder_not_ours_is_left_alone)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	put(&s, "public" NB_CACHE_PREVIOUS "/keep.txt", "mine\n");
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_OK);
	put(&s, "content/pages/about.md", "---\ntitle: \"About\"\n---\nSecond text.\n");
	char *before = snapshot(&s, "public" NB_CACHE_PREVIOUS);
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_OK);
	char *after = snapshot(&s, "public" NB_CACHE_PREVIOUS);
	NB_CHECK_STR(after, before);
	char *page = text(&s, "public/pages/about/index.html");
	NB_CHECK_CONTAINS(page, "Second text.");
	free(page);
	NB_CHECK(!any_entry(&s, "public.staging"));
	free(before);
	free(after);
	site_free(&s);
}

NB_TEST(check_only_writes_nothing)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	nb_build_opts o = { .site_dir = s.dir, .as_of = "2025-01-01", .check_only = 1 };
	nb_build_result r;
	NB_CHECK(nb_build_run(&o, &r, &s.d) == NB_EXIT_OK);
	NB_CHECK(!exists(&s, "public"));
	NB_CHECK(!any_entry(&s, "public"));
	site_free(&s);
}

/*
 * `-o DIR` that must fail with exit `want` and a diagnostic `code` (NULL:
 * the first, whatever its code) whose message holds each of `words` (NULL-terminated; NULL: the folder
 * itself), and whatever DIR names is left exactly as it was (and so is
 * the site). A refusal (exit 1) also says how to fix it. `rel` is the
 * output relative to the site folder ("" for the site folder itself),
 * made absolute so that no build here can reach beyond the test's folder.
 */
static void expect_failed(nb_test_state *nb__t, site *s, const char *rel, int want,
			  const char *code, const char *const *words)
{
	char out[512];
	snprintf(out, sizeof(out), "%s%s%s", s->dir, rel[0] ? "/" : "", rel);
	const char *const self[] = { out, NULL };
	char *before = snapshot(s, "");
	int rc = build(s, out, NULL);
	NB_CHECK(rc == want);
	const nb_diag_entry *e = code ? diag_find(&s->d, code, NULL)
				       : s->d.len ? &s->d.items[0] : NULL;
	NB_CHECK(e != NULL);
	if (e) {
		for (const char *const *w = words ? words : self; *w; w++)
			NB_CHECK_CONTAINS(e->msg, *w);
		NB_CHECK(want != NB_EXIT_CONTENT || e->hint != NULL);
	}
	if (!e || rc != want) {
		fprintf(stderr, "  for -o %s (exit %d):\n", out, rc);
		nb_diag_print(&s->d, stderr, 0);
	}
	char *after = snapshot(s, "");
	NB_CHECK_STR(after, before);
	free(before);
	free(after);
}

static void expect_refused(nb_test_state *nb__t, site *s, const char *rel, const char *code)
{
	expect_failed(nb__t, s, rel, NB_EXIT_CONTENT, code, NULL);
}

NB_TEST(an_output_over_the_site_is_refused)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	expect_refused(NB_T, &s, "", "output-invalid");
	expect_refused(NB_T, &s, "content", "output-invalid");
	expect_refused(NB_T, &s, "content/pages", "output-invalid");
	expect_refused(NB_T, &s, "content/pages/.", "output-invalid");
	/* Folders the output would need are not made when it is refused. */
	expect_refused(NB_T, &s, "content/new/deeper/public", "output-invalid");
	NB_CHECK(!exists(&s, "content/new"));
	site_free(&s);
}

/* A missing folder followed by `..` names the folder above it once made:
 * the path is judged as it will read then, and a refused one makes
 * nothing, not even the folder the `..` climbs out of. */
NB_TEST(an_output_through_a_missing_folder_and_dotdot_is_judged_first)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	char p[512], q[512];
	NB_CHECK(mkdir(at(&s, "www", p), 0755) == 0);
	NB_CHECK(symlink(at(&s, "content", p), at(&s, "docs", q)) == 0);
	expect_refused(NB_T, &s, "new/../content", "output-invalid");
	expect_refused(NB_T, &s, "new/../content/more/public", "output-invalid");
	expect_refused(NB_T, &s, "www/new/../../content/pages/x", "output-invalid");
	expect_refused(NB_T, &s, "new/./deeper/../../content/x", "output-invalid");
	expect_refused(NB_T, &s, "new/../..", "output-invalid");
	/* Past a `..`, a link is what it points to: docs -> content. */
	expect_refused(NB_T, &s, "new/../docs/public", "output-invalid");
	NB_CHECK(!exists(&s, "new"));
	NB_CHECK(!exists(&s, "www/new"));
	NB_CHECK(!exists(&s, "content/more"));
	/* Allowed: built where the path leads, here the site's public2. */
	NB_CHECK(build(&s, at(&s, "content/../new/../public2", p), NULL) == NB_EXIT_OK);
	NB_CHECK(exists(&s, "public2/" NB_BUILD_MARKER));
	site_free(&s);
}

/* A parent that passes through a file cannot be made: the file system's
 * refusal (exit 3), as a staging folder beside a file is (`-o
 * notes.txt/public`, which publish's tests hold to the same), with
 * nothing made, not even the folder a `..` climbs out of. */
NB_TEST(an_output_through_a_file_is_an_io_error)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	put(&s, "notes.txt", "my notes\n");
	static const char *const rels[] = { "notes.txt/public", "notes.txt/a/public",
					   "new/../notes.txt/public" };
	static const char *const words[] = { "notes.txt", "Not a directory", NULL };
	for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++)
		expect_failed(NB_T, &s, rels[i], NB_EXIT_IO, NULL, words);
	NB_CHECK(!exists(&s, "new"));
	site_free(&s);
}

/* A parent the file system will not make is an I/O failure (exit 3), like
 * a staging folder it will not make: the content is not at fault. The
 * refusal here is a name longer than any file system takes (255 bytes),
 * the one such refusal a test can cause even as root; a full disk or a
 * folder without write permission takes the same path. */
NB_TEST(a_parent_the_disk_will_not_make_is_an_io_error)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	char rel[400];
	memset(rel, 'n', 300);
	snprintf(rel + 300, sizeof(rel) - 300, "/www");
	static const char *const words[] = { "cannot create the output folder's parent", NULL };
	expect_failed(NB_T, &s, rel, NB_EXIT_IO, "output-invalid", words);
	site_free(&s);
}

/* An output allowed whose folders do not exist yet: they are made. */
NB_TEST(an_output_whose_folders_are_missing_is_made)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	char out[512];
	NB_CHECK(build(&s, at(&s, "deploy/site/www", out), NULL) == NB_EXIT_OK);
	NB_CHECK(exists(&s, "deploy/site/www/" NB_BUILD_MARKER));
	/* A relative one, from where the command runs. */
	char cwd[512];
	NB_CHECK(getcwd(cwd, sizeof(cwd)) != NULL && chdir(s.dir) == 0);
	NB_CHECK(build(&s, "rel/www", NULL) == NB_EXIT_OK);
	NB_CHECK(chdir(cwd) == 0);
	NB_CHECK(exists(&s, "rel/www/" NB_BUILD_MARKER));
	site_free(&s);
}

NB_TEST(an_output_above_the_site_is_refused)
{
	/* The site one level down in the test's folder, so that the parent
	 * the build would replace is still the test's own. */
	site top;
	static const char *const none[][2] = { { "keep.txt", "mine\n" } };
	site_open(&top, "build-top", none, 1);
	site s = { 0 };
	snprintf(s.dir, sizeof(s.dir), "%.40s/site", top.dir);
	for (size_t i = 0; i < N_FILES; i++)
		put(&s, files[i][0], files[i][1]);
	nb_diag_init(&s.d);
	char *before = snapshot(&top, "");
	NB_CHECK(build(&s, top.dir, NULL) == NB_EXIT_CONTENT);
	NB_CHECK(diag_find(&s.d, "output-invalid", NULL) != NULL);
	char *after = snapshot(&top, "");
	NB_CHECK_STR(after, before);
	free(before);
	free(after);
	nb_diag_free(&s.d);
	site_free(&top);
}

NB_TEST(a_folder_noticeboard_did_not_write_is_refused)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	put(&s, "www/sub/index.html", "someone's page\n");
	expect_refused(NB_T, &s, "www", "output-foreign");
	/* Built into once, an empty folder becomes ours. */
	char p[512];
	NB_CHECK(mkdir(at(&s, "empty", p), 0755) == 0);
	NB_CHECK(build(&s, p, NULL) == NB_EXIT_OK);
	NB_CHECK(exists(&s, "empty/" NB_BUILD_MARKER));
	site_free(&s);
}

/* A file where the output folder should be is not a folder to replace:
 * swapping it would move the secretary's file aside (or site.yaml, with
 * `-o site.yaml`) and serve a folder in its place. */
NB_TEST(an_output_that_is_a_file_is_refused)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	put(&s, "notes.txt", "my notes\n");
	expect_refused(NB_T, &s, "notes.txt", "output-invalid");
	expect_refused(NB_T, &s, "site.yaml", "output-invalid");
	NB_CHECK(!exists(&s, "notes.txt" NB_CACHE_PREVIOUS));
	site_free(&s);
}

/* A link where the output folder should be (public -> the folder a web
 * server serves) is refused: the swap would replace the link with a
 * folder, and the served folder would never change again. */
NB_TEST(an_output_that_is_a_link_is_refused)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	char www[512], link[512];
	NB_CHECK(mkdir(at(&s, "www", www), 0755) == 0);
	NB_CHECK(symlink(www, at(&s, "public", link)) == 0);
	expect_refused(NB_T, &s, "public", "output-invalid");
	struct stat st;
	NB_CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	NB_CHECK(!exists(&s, "public" NB_CACHE_PREVIOUS));
	site_free(&s);
}

/* `-o DIR/` is DIR: a trailing slash is how a shell completes a folder's
 * name. */
NB_TEST(an_output_with_a_trailing_slash_is_that_folder)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	char out[512];
	snprintf(out, sizeof(out), "%s/www/", s.dir);
	NB_CHECK(build(&s, out, NULL) == NB_EXIT_OK);
	if (s.d.len)
		nb_diag_print(&s.d, stderr, 0);
	NB_CHECK(exists(&s, "www/" NB_BUILD_MARKER));
	NB_CHECK(!exists(&s, "www/.staging"));
	NB_CHECK(!any_entry(&s, "www.staging"));
	/* Twice, so the second swaps and keeps www.previous beside it. */
	put(&s, "content/pages/about.md", "---\ntitle: \"About\"\n---\nSecond text.\n");
	NB_CHECK(build(&s, out, NULL) == NB_EXIT_OK);
	NB_CHECK(exists(&s, "www" NB_CACHE_PREVIOUS "/" NB_BUILD_MARKER));
	site_free(&s);
}

NB_TEST(a_broken_site_yaml_is_a_content_error)
{
	site s;
	site_open(&s, "build", files, N_FILES);
	put(&s, "site.yaml", "title: [unclosed\n");
	NB_CHECK(build(&s, NULL, NULL) == NB_EXIT_CONTENT);
	NB_CHECK(s.d.errors > 0);
	NB_CHECK(!exists(&s, "public"));
	site_free(&s);
}

NB_TEST_MAIN("build",
	     NB_CASE(first_build_writes_a_marked_folder),
	     NB_CASE(rebuild_swaps_whole_and_keeps_the_previous_generation),
	     NB_CASE(nothing_changed_touches_nothing),
	     NB_CASE(a_warning_is_never_swallowed_by_the_shortcut),
	     NB_CASE(a_failed_build_leaves_public_exactly_as_it_was),
	     NB_CASE(a_previous_folder_not_ours_is_left_alone),
	     NB_CASE(check_only_writes_nothing),
	     NB_CASE(an_output_over_the_site_is_refused),
	     NB_CASE(an_output_above_the_site_is_refused),
	     NB_CASE(an_output_whose_folders_are_missing_is_made),
	     NB_CASE(an_output_through_a_missing_folder_and_dotdot_is_judged_first),
	     NB_CASE(an_output_through_a_file_is_an_io_error),
	     NB_CASE(a_parent_the_disk_will_not_make_is_an_io_error),
	     NB_CASE(a_folder_noticeboard_did_not_write_is_refused),
	     NB_CASE(an_output_that_is_a_file_is_refused),
	     NB_CASE(an_output_that_is_a_link_is_refused),
	     NB_CASE(an_output_with_a_trailing_slash_is_that_folder),
	     NB_CASE(a_broken_site_yaml_is_a_content_error))

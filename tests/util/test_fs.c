/*
 * test_fs.c - file helpers (util/fs.h) that the caches' safety rests on.
 *
 * nb_fs_scratch is what lets the load stage and the search index keep a
 * build's bytes out of memory: the file must read back what was written,
 * leave no name behind (a killed build must not litter the cache folder,
 * and no other build may open it), and make the folder it is asked for.
 *
 * nb_fs_walk lists what a site publishes and what manifest.sha256 lists:
 * the files below a root, in one byte order, dot files left out, and what
 * it leaves out and why (links leading out or back in, special files,
 * folders too deep). It first tries a plain walk that reads each entry's
 * type from the folder listing, and walks again the careful way at
 * anything unusual; each case here has one answer, whichever walk gave it.
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

/* Entries in `dir` besides . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

NB_TEST(test_scratch_reads_back_and_has_no_name)
{
	char tmpl[] = "/tmp/nb-fs-XXXXXX";
	NB_CHECK(mkdtemp(tmpl) != NULL);
	char *dir = nb_path_join(tmpl, "cache/deeper");
	int fd = nb_fs_scratch(dir);
	NB_CHECK(fd >= 0);
	NB_CHECK(nb_fs_is_dir(dir));
	NB_CHECK(entries(dir) == 0);
	static const char text[] = "会议纪要 minutes";
	NB_CHECK(pwrite(fd, text, sizeof(text), 4096) == (ssize_t)sizeof(text));
	char back[sizeof(text)] = { 0 };
	NB_CHECK(pread(fd, back, sizeof(back), 4096) == (ssize_t)sizeof(back));
	NB_CHECK(memcmp(back, text, sizeof(text)) == 0);
	/* By offset, whole or not at all: a read past the end is an error. */
	NB_CHECK(nb_fs_pwrite_all(fd, text, 4, 10) == 0);
	NB_CHECK(nb_fs_pread_all(fd, back, 4, 10) == 0 && memcmp(back, text, 4) == 0);
	NB_CHECK(nb_fs_pread_all(fd, back, sizeof(back), 4097) == -1);
	/* A second one is another file. */
	int fd2 = nb_fs_scratch(dir);
	NB_CHECK(fd2 >= 0 && fd2 != fd);
	NB_CHECK(pread(fd2, back, 1, 4096) == 0);
	close(fd2);
	close(fd);
	NB_CHECK(entries(dir) == 0);
	/* A folder that cannot be made: -1, nothing made. */
	char *bad = nb_path_join("/proc/version", "x");
	NB_CHECK(nb_fs_scratch(bad) == -1);
	free(bad);
	nb_fs_rmtree(tmpl);
	free(dir);
}

static void put(const char *dir, const char *rel)
{
	char *p = nb_path_join(dir, rel);
	if (nb_fs_write(p, rel, strlen(rel)) != 0)
		abort();
	free(p);
}

/* The walk's files joined by spaces, and the list freed. */
static char *joined(nb_strlist *l)
{
	nb_buf b = NB_BUF_INIT;
	for (size_t i = 0; i < l->len; i++) {
		if (i)
			nb_buf_putc(&b, ' ');
		nb_buf_puts(&b, l->items[i]);
	}
	nb_strlist_free(l);
	memset(l, 0, sizeof(*l));
	return nb_buf_detach(&b);
}

static void walk_issues_free(nb_walk_issues *w)
{
	nb_strlist_free(&w->escaped);
	nb_strlist_free(&w->loops);
	nb_strlist_free(&w->loop_firsts);
	nb_strlist_free(&w->too_deep);
	nb_strlist_free(&w->special);
}

NB_TEST(plain_tree_in_byte_order)
{
	char dir[] = "/tmp/nb-walk.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	put(dir, "a-b");
	put(dir, "a/b");
	put(dir, "a/c/d.html");
	put(dir, "z");
	put(dir, ".hidden");
	put(dir, "a/.marker");
	put(dir, ".git/config");
	char *empty = nb_path_join(dir, "e/f");
	NB_CHECK(nb_fs_mkdirs(empty) == 0);
	nb_strlist files = { 0 };
	nb_walk_issues w = { 0 };
	NB_CHECK(nb_fs_walk(dir, &files, &w) == 0);
	char *got = joined(&files);
	/* One byte order over whole paths: "a-b" before "a/b". */
	NB_CHECK_STR(got, "a-b a/b a/c/d.html z");
	NB_CHECK(w.escaped.len + w.loops.len + w.too_deep.len + w.special.len == 0);
	free(got);
	free(empty);
	walk_issues_free(&w);
	nb_fs_rmtree(dir);
}

NB_TEST(links)
{
	char dir[] = "/tmp/nb-walk.XXXXXX", out[] = "/tmp/nb-walk-out.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL && mkdtemp(out) != NULL);
	put(dir, "b/page.html");
	put(dir, "b/c/deep.html");
	put(out, "secret");
	char *p;
	/* A link to a file inside: listed under its own name too. */
	p = nb_path_join(dir, "b/alias.html");
	NB_CHECK(symlink("page.html", p) == 0);
	free(p);
	/* A link to a folder inside: a second way in, not followed, whether
	 * it sorts before the real folder or after it. */
	p = nb_path_join(dir, "a-link");
	NB_CHECK(symlink("b/c", p) == 0);
	free(p);
	/* Out of the root, and nowhere. */
	char *secret = nb_path_join(out, "secret");
	p = nb_path_join(dir, "b/leak");
	NB_CHECK(symlink(secret, p) == 0);
	free(p);
	p = nb_path_join(dir, "dangling");
	NB_CHECK(symlink("missing", p) == 0);
	free(p);
	nb_strlist files = { 0 };
	nb_walk_issues w = { 0 };
	NB_CHECK(nb_fs_walk(dir, &files, &w) == 0);
	char *got = joined(&files);
	NB_CHECK_STR(got, "b/alias.html b/c/deep.html b/page.html");
	NB_CHECK(w.loops.len == 1 && !strcmp(w.loops.items[0], "a-link"));
	NB_CHECK(w.loops.len == 1 && !strcmp(w.loop_firsts.items[0], "b/c"));
	NB_CHECK(w.escaped.len == 2);
	NB_CHECK(w.special.len == 0);
	free(got);
	free(secret);
	walk_issues_free(&w);
	nb_fs_rmtree(dir);
	nb_fs_rmtree(out);
}

NB_TEST(special_files)
{
	char dir[] = "/tmp/nb-walk.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	put(dir, "a/page.html");
	char *p = nb_path_join(dir, "a/pipe");
	NB_CHECK(mkfifo(p, 0600) == 0);
	free(p);
	nb_strlist files = { 0 };
	nb_walk_issues w = { 0 };
	NB_CHECK(nb_fs_walk(dir, &files, &w) == 0);
	char *got = joined(&files);
	NB_CHECK_STR(got, "a/page.html");
	NB_CHECK(w.special.len == 1 && !strcmp(w.special.items[0], "a/pipe"));
	free(got);
	walk_issues_free(&w);
	nb_fs_rmtree(dir);
}

NB_TEST(too_deep)
{
	char dir[] = "/tmp/nb-walk.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	nb_buf rel = NB_BUF_INIT;
	for (int i = 0; i < NB_FS_WALK_DEPTH + 1; i++)
		nb_buf_puts(&rel, "d/");
	nb_buf_puts(&rel, "x.md");
	put(dir, nb_buf_cstr(&rel));
	put(dir, "top.md");
	nb_strlist files = { 0 };
	nb_walk_issues w = { 0 };
	NB_CHECK(nb_fs_walk(dir, &files, &w) == 0);
	char *got = joined(&files);
	/* Only what is above the limit; the folder past it is named. */
	NB_CHECK_STR(got, "top.md");
	NB_CHECK(w.too_deep.len == 1 && strlen(w.too_deep.items[0]) == 2 * NB_FS_WALK_DEPTH + 1);
	free(got);
	walk_issues_free(&w);
	nb_buf_free(&rel);
	nb_fs_rmtree(dir);
}

NB_TEST(files_already_listed_are_kept)
{
	char dir[] = "/tmp/nb-walk.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	put(dir, "x");
	char *p = nb_path_join(dir, "y");
	NB_CHECK(symlink("x", p) == 0);
	free(p);
	/* A walk adds to the list it is given, even when it walks twice. */
	nb_strlist files = { 0 };
	nb_strlist_push(&files, "given");
	NB_CHECK(nb_fs_walk(dir, &files, NULL) == 0);
	char *got = joined(&files);
	NB_CHECK_STR(got, "given x y");
	free(got);
	nb_fs_rmtree(dir);
}

/* Editors' backups are left out of a site's sources, each with a warning
 * naming it; the plain walk (used on output folders, where a file nobody
 * made must be seen) keeps them. */
NB_TEST(backups_left_out_of_sources)
{
	NB_CHECK(nb_fs_backup_name("a/b.md~"));
	NB_CHECK(nb_fs_backup_name("#b.md#"));
	NB_CHECK(nb_fs_backup_name("a/b.md.BAK"));
	NB_CHECK(nb_fs_backup_name("b.md.orig"));
	NB_CHECK(nb_fs_backup_name("b.md.swp"));
	NB_CHECK(nb_fs_backup_name("b.swo"));
	NB_CHECK(!nb_fs_backup_name("b.md"));
	NB_CHECK(!nb_fs_backup_name("#b.md"));
	NB_CHECK(!nb_fs_backup_name("#"));
	NB_CHECK(!nb_fs_backup_name("a~/b.md"));
	NB_CHECK(!nb_fs_backup_name("bak"));
	NB_CHECK(!nb_fs_backup_name(".bak"));
	NB_CHECK(!nb_fs_backup_name("a/b.backup.pdf"));
	char dir[] = "/tmp/nb-walk.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	put(dir, "content/a/d.md");
	put(dir, "content/a/d.md~");
	put(dir, "content/a/#d.md#");
	put(dir, "content/a/d.md.bak");
	put(dir, "content/a/x.pdf");
	nb_strlist files = { 0 };
	nb_diag d;
	nb_diag_init(&d);
	NB_CHECK(nb_fs_walk_site(dir, "content", &files, &d) == 0);
	char *got = joined(&files);
	NB_CHECK_STR(got, "a/d.md a/x.pdf");
	NB_CHECK(d.errors == 0 && d.warnings == 3);
	for (size_t i = 0; i < d.len; i++)
		NB_CHECK_STR(d.items[i].code, "file-backup");
	NB_CHECK(d.len == 3 && !strcmp(d.items[0].file, "content/a/#d.md#"));
	free(got);
	nb_diag_free(&d);
	char *root = nb_path_join(dir, "content");
	NB_CHECK(nb_fs_walk(root, &files, NULL) == 0);
	got = joined(&files);
	NB_CHECK_STR(got, "a/#d.md# a/d.md a/d.md.bak a/d.md~ a/x.pdf");
	free(got);
	free(root);
	nb_fs_rmtree(dir);
}

/* A folder's listing (nb_fs_listing): every entry once, "." and ".."
 * not, its type from the listing; and whole when it takes more than one
 * read (3,000 long names are well over one 32 KB buffer). */
NB_TEST(listing_is_whole_and_typed)
{
	char dir[] = "/tmp/nb-list.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	enum { N = 3000 };
	char name[128];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "page-%04d-%s", i,
			 "a-long-name-that-makes-each-entry-take-some-room-in-the-listing");
		put(dir, name);
	}
	char *sub = nb_path_join(dir, "sub");
	NB_CHECK(nb_fs_mkdirs(sub) == 0);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	NB_CHECK(fd >= 0);
	nb_buf list = NB_BUF_INIT;
	NB_CHECK(nb_fs_listing(&list, fd) == 0);
	NB_CHECK(list.len > 32768);
	static unsigned char seen[N];
	memset(seen, 0, sizeof(seen));
	size_t off = 0, files = 0, dirs = 0, other = 0;
	for (const nb_fs_dirent *e; (e = nb_fs_listing_next(&list, &off));) {
		int i;
		if (e->type == DT_DIR && !strcmp(e->name, "sub"))
			dirs++;
		else if (e->type == DT_REG && sscanf(e->name, "page-%4d-", &i) == 1 && i >= 0 &&
			 i < N && !seen[i]++)
			files++;
		else
			other++;
	}
	NB_CHECK(files == N && dirs == 1 && other == 0);
	nb_buf_free(&list);
	close(fd);
	/* A descriptor that is no folder: an error, not an empty listing. */
	snprintf(name, sizeof(name), "page-0000-%s",
		 "a-long-name-that-makes-each-entry-take-some-room-in-the-listing");
	char *f = nb_path_join(dir, name);
	fd = open(f, O_RDONLY);
	NB_CHECK(fd >= 0 && nb_fs_listing(&list, fd) != 0);
	if (fd >= 0)
		close(fd);
	nb_buf_free(&list);
	free(f);
	free(sub);
	nb_fs_rmtree(dir);
}

/* The walk with stats (nb_fs_walk_stat): every regular file with the
 * stat of what it is, dot files only when asked, a link leading out of
 * the root followed plain and left out confined, and a folder it cannot
 * read named. */
static int cmp_file_rel(const void *x, const void *y)
{
	return strcmp(((const nb_fs_file *)x)->rel, ((const nb_fs_file *)y)->rel);
}

/* The walk's names sorted and joined by spaces, or NULL when it failed
 * or a stat is not of the file now at that path. */
static char *walked_names(const char *dir, int dotfiles, int confine)
{
	nb_fs_files l = { 0 };
	nb_buf where = NB_BUF_INIT, names = NB_BUF_INIT;
	int ok = nb_fs_walk_stat(&l, dir, dotfiles, confine, &where) == 0;
	if (ok && l.len)
		qsort(l.items, l.len, sizeof(*l.items), cmp_file_rel);
	for (size_t i = 0; ok && i < l.len; i++) {
		char *full = nb_path_join(dir, l.items[i].rel);
		struct stat st;
		ok = stat(full, &st) == 0 && st.st_ino == l.items[i].st.st_ino &&
		     st.st_size == l.items[i].st.st_size && S_ISREG(l.items[i].st.st_mode);
		free(full);
		nb_buf_printf(&names, "%s%s", i ? " " : "", l.items[i].rel);
	}
	nb_fs_files_free(&l);
	nb_buf_free(&where);
	char *got = ok ? nb_buf_detach(&names) : NULL;
	nb_buf_free(&names);
	return got;
}

NB_TEST(walk_with_stats)
{
	char dir[] = "/tmp/nb-walk.XXXXXX", out[] = "/tmp/nb-walk-out.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL && mkdtemp(out) != NULL);
	put(dir, "a/b.html");
	put(dir, "a/c/d.html");
	put(dir, ".marker");
	put(dir, ".well-known/x.txt");
	put(out, "outside");
	char *p = nb_path_join(dir, "away"), *q = nb_path_join(out, "outside");
	NB_CHECK(symlink(q, p) == 0);
	free(p);
	free(q);
	p = nb_path_join(dir, "fifo");
	NB_CHECK(mkfifo(p, 0600) == 0);
	free(p);
	char *got = walked_names(dir, 1, 0);
	NB_CHECK(got != NULL);
	NB_CHECK_STR(got ? got : "", ".marker .well-known/x.txt a/b.html a/c/d.html away");
	free(got);
	got = walked_names(dir, 0, 1);
	NB_CHECK(got != NULL);
	NB_CHECK_STR(got ? got : "", "a/b.html a/c/d.html");
	free(got);
	/* A folder that cannot be read is an error naming it. */
	nb_fs_files l = { 0 };
	nb_buf where = NB_BUF_INIT;
	p = nb_path_join(dir, "a/c");
	NB_CHECK(chmod(p, 0) == 0);
	if (geteuid() != 0) {
		NB_CHECK(nb_fs_walk_stat(&l, dir, 1, 0, &where) != 0);
		NB_CHECK_STR(nb_buf_cstr(&where), "a/c");
	}
	NB_CHECK(chmod(p, 0700) == 0);
	free(p);
	nb_fs_files_free(&l);
	p = nb_path_join(dir, "none");
	NB_CHECK(nb_fs_walk_stat(&l, p, 1, 0, &where) != 0 && errno == ENOENT);
	NB_CHECK_STR(nb_buf_cstr(&where), "");
	free(p);
	nb_fs_files_free(&l);
	nb_buf_free(&where);
	nb_fs_rmtree(dir);
	nb_fs_rmtree(out);
}

NB_TEST_MAIN("fs",
	NB_CASE(test_scratch_reads_back_and_has_no_name), NB_CASE(plain_tree_in_byte_order),
	NB_CASE(links), NB_CASE(special_files), NB_CASE(too_deep), NB_CASE(files_already_listed_are_kept),
	NB_CASE(backups_left_out_of_sources), NB_CASE(listing_is_whole_and_typed),
	NB_CASE(walk_with_stats))

/*
 * test_sums.c - /manifest.sha256 (sums.h): the site's files with their
 * SHA-256 in sha256sum's own format - sorted by path, names escaped as
 * sha256sum escapes them - leaving out itself, dot files and audit.git/ -
 * and the digest memo, which spares reading files it knows by their stat.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output/sums.h"
#include "util/fs.h"
#include "harness.h"

static void put(const char *dir, const char *rel, const char *text)
{
	char *p = nb_path_join(dir, rel);
	if (nb_fs_write(p, text, strlen(text)) != 0)
		abort();
	free(p);
}

NB_TEST(lists_the_site)
{
	char dir[] = "/tmp/nb-sums.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	put(dir, "index.html", "abc");
	put(dir, "b/x.css", "");
	put(dir, "a\\b.txt", "abc");
	put(dir, "line\nbreak", "");
	put(dir, ".noticeboard-output", "marker");
	put(dir, "audit.git/HEAD", "ref: refs/heads/publications\n");
	put(dir, "audit.gitx", "abc");
	put(dir, NB_SUMS_FILE, "stale");
	nb_buf b = NB_BUF_INIT;
	NB_CHECK(nb_sums_text(&b, dir, NULL, NULL) == 0);
	/* sha256("abc") and sha256(""); paths in byte order, as sha256sum
	 * writes a name holding a backslash or a newline. */
	const char *abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	const char *empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	char want[1024];
	snprintf(want, sizeof(want), "\\%s  a\\\\b.txt\n%s  audit.gitx\n%s  b/x.css\n%s  index.html\n\\%s  line\\nbreak\n",
		 abc, abc, empty, abc, empty);
	NB_CHECK_STR(nb_buf_cstr(&b), want);
	/* Written as a new file: never through a link to an older one. */
	char *sums = nb_path_join(dir, NB_SUMS_FILE), *old = nb_path_join(dir, "old");
	NB_CHECK(link(sums, old) == 0);
	NB_CHECK(nb_sums_write(dir, NULL, NULL) == 0);
	char *got = NULL, *kept = NULL;
	size_t len;
	NB_CHECK(nb_fs_read(sums, 0, &got, &len) == 0 && nb_fs_read(old, 0, &kept, &len) == 0);
	NB_CHECK_STR(kept, "stale");
	NB_CHECK_CONTAINS(got, "  index.html\n");
	free(got);
	free(kept);
	free(sums);
	free(old);
	nb_buf_free(&b);
	nb_fs_rmtree(dir);
}

/* The files are hashed on several threads: the list is the same, line
 * for line in path order, with one thread or many. */
NB_TEST(same_with_any_number_of_threads)
{
	char dir[] = "/tmp/nb-sums.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	nb_buf want = NB_BUF_INIT;
	for (int i = 0; i < 300; i++) {
		char rel[64], text[64];
		/* Names whose walk order differs from their creation order. */
		snprintf(rel, sizeof(rel), "p%d/%03d.html", i % 7, 299 - i);
		snprintf(text, sizeof(text), "page %d", i);
		put(dir, rel, text);
	}
	const char *jobs[] = { "1", "2", "5" };
	for (size_t k = 0; k < sizeof(jobs) / sizeof(*jobs); k++) {
		setenv("NB_JOBS", jobs[k], 1);
		nb_buf b = NB_BUF_INIT;
		NB_CHECK(nb_sums_text(&b, dir, NULL, NULL) == 0);
		if (k == 0) {
			/* The serial list, checked against digests made here. */
			size_t lines = 0;
			const char *prev = "";
			for (const char *l = nb_buf_cstr(&b); *l; l = strchr(l, '\n') + 1, lines++) {
				NB_CHECK(strcmp(l + 66, prev) > 0);
				prev = l + 66;
				char path[64], *got = NULL, hex[65];
				size_t len;
				NB_CHECK(sscanf(l + 66, "%63[^\n]", path) == 1);
				char *full = nb_path_join(dir, path);
				NB_CHECK(nb_fs_read(full, 0, &got, &len) == 0);
				nb_sums_sha256_hex(hex, got, len);
				NB_CHECK(!strncmp(l, hex, 64));
				free(got);
				free(full);
			}
			NB_CHECK(lines == 300);
			nb_buf_puts(&want, nb_buf_cstr(&b));
		}
		NB_CHECK_STR(nb_buf_cstr(&b), nb_buf_cstr(&want));
		nb_buf_free(&b);
	}
	unsetenv("NB_JOBS");
	nb_buf_free(&want);
	nb_fs_rmtree(dir);
}

/* Overwrite `rel` in place (same inode, same size) and give it the
 * modification time `t`. */
static void rewrite_keeping(const char *dir, const char *rel, const char *text,
			    const struct timespec *t)
{
	char *p = nb_path_join(dir, rel);
	int fd = open(p, O_WRONLY);
	if (fd < 0 || pwrite(fd, text, strlen(text), 0) != (ssize_t)strlen(text))
		abort();
	struct timespec ts[2] = { *t, *t };
	if (futimens(fd, ts) != 0)
		abort();
	close(fd);
	free(p);
}

static struct timespec mtime_of(const char *dir, const char *rel)
{
	char *p = nb_path_join(dir, rel);
	struct stat st;
	if (stat(p, &st) != 0)
		abort();
	free(p);
	return st.st_mtim;
}

static char *sums_of(const char *dir, const char *memo)
{
	nb_buf b = NB_BUF_INIT;
	if (nb_sums_text(&b, dir, memo, NULL) != 0)
		abort();
	return nb_buf_detach(&b);
}

/* With the memo the list is the one reading every file gives, as files
 * change, come and go; a memo that fails its check is no memo. And it is
 * used: a file it knows keeps its digest unread. */
NB_TEST(memo_gives_the_same_list)
{
	char dir[] = "/tmp/nb-sums.XXXXXX", cache[] = "/tmp/nb-sums-cache.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL && mkdtemp(cache) != NULL);
	char *memo = nb_path_join(cache, "sums");
	put(dir, "a.html", "alpha");
	put(dir, "b/b.html", "bravo");
	put(dir, "c.css", "charlie");
	/* An old time, so the files are remembered whatever the clock's
	 * granularity (the fence, fs.h). */
	struct timespec old = { time(NULL) - 100, 0 };
	rewrite_keeping(dir, "a.html", "alpha", &old);
	rewrite_keeping(dir, "b/b.html", "bravo", &old);
	rewrite_keeping(dir, "c.css", "charlie", &old);
	char *plain = sums_of(dir, NULL), *first = sums_of(dir, memo), *again = sums_of(dir, memo);
	NB_CHECK_STR(first, plain);
	NB_CHECK_STR(again, plain);
	NB_CHECK(nb_fs_is_file(memo));
	free(plain), free(first), free(again);

	/* Changed (a new file, as the build writes them), added, removed. */
	char *a = nb_path_join(dir, "a.html");
	unlink(a);
	free(a);
	put(dir, "a.html", "alpha, amended");
	put(dir, "d.js", "delta");
	char *gone = nb_path_join(dir, "c.css");
	unlink(gone);
	free(gone);
	plain = sums_of(dir, NULL);
	first = sums_of(dir, memo);
	NB_CHECK_STR(first, plain);
	NB_CHECK_CONTAINS(first, "  d.js\n");
	free(plain), free(first);

	/* Used: a file changed in place that gets its old time back keeps
	 * the remembered digest (the rule's known limit, git's too: only a
	 * program that sets the time back can do this). */
	plain = sums_of(dir, NULL);
	rewrite_keeping(dir, "b/b.html", "BRAVO", &old);
	first = sums_of(dir, memo);
	NB_CHECK_STR(first, plain);
	char *fresh = sums_of(dir, NULL);
	NB_CHECK(strcmp(fresh, plain) != 0);
	free(plain), free(first);

	/* A memo that fails its check is no memo: every file is read. */
	char *data;
	size_t len;
	NB_CHECK(nb_fs_read(memo, 0, &data, &len) == 0 && len > 20);
	data[len / 2] ^= 1;
	NB_CHECK(nb_fs_write(memo, data, len) == 0);
	free(data);
	first = sums_of(dir, memo);
	NB_CHECK_STR(first, fresh);
	free(first), free(fresh);
	free(memo);
	nb_fs_rmtree(dir);
	nb_fs_rmtree(cache);
}

/* A file whose time is not older than the start (the fence, fs.h) is not
 * remembered: it could still change and keep that time. Here, a time in
 * the future: changed in place and given that time again, it is read. */
NB_TEST(memo_skips_files_too_new)
{
	char dir[] = "/tmp/nb-sums.XXXXXX", cache[] = "/tmp/nb-sums-cache.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL && mkdtemp(cache) != NULL);
	char *memo = nb_path_join(cache, "sums");
	put(dir, "new.html", "one");
	struct timespec later = { time(NULL) + 3600, 0 };
	rewrite_keeping(dir, "new.html", "one", &later);
	char *first = sums_of(dir, memo);
	rewrite_keeping(dir, "new.html", "two", &later);
	NB_CHECK(mtime_of(dir, "new.html").tv_sec == later.tv_sec);
	char *plain = sums_of(dir, NULL), *again = sums_of(dir, memo);
	NB_CHECK(strcmp(first, plain) != 0);
	NB_CHECK_STR(again, plain);
	free(first), free(plain), free(again);
	free(memo);
	nb_fs_rmtree(dir);
	nb_fs_rmtree(cache);
}

/* A publish's record hashes the walk manifest.sha256 was made from
 * (audit.h nb_audit_hash_walked_cached): handed back, it holds every file
 * as it now is, the new manifest.sha256 included (a stale one's stat
 * would find the last publication's id for it in the record's memo), dot
 * files and audit.git/ too (the record decides what it leaves out). */
NB_TEST(write_hands_back_its_walk)
{
	char dir[] = "/tmp/nb-sums.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	put(dir, "index.html", "abc");
	put(dir, ".noticeboard-output", "marker");
	put(dir, ".well-known/x.txt", "dot");
	put(dir, "audit.git/HEAD", "ref\n");
	put(dir, NB_SUMS_FILE, "stale, from the last generation");
	nb_fs_files w = { 0 };
	NB_CHECK(nb_sums_write(dir, NULL, &w) == 0);
	char *sums = nb_path_join(dir, NB_SUMS_FILE);
	struct stat now;
	NB_CHECK(stat(sums, &now) == 0);
	size_t listed = 0, self = 0;
	for (size_t i = 0; i < w.len; i++) {
		const char *rel = w.items[i].rel;
		listed += !strcmp(rel, "index.html") || !strcmp(rel, ".noticeboard-output") ||
			  !strcmp(rel, ".well-known/x.txt") || !strcmp(rel, "audit.git/HEAD");
		if (!strcmp(rel, NB_SUMS_FILE)) {
			self++;
			NB_CHECK(w.items[i].st.st_ino == now.st_ino &&
				 w.items[i].st.st_size == now.st_size);
		}
	}
	NB_CHECK(listed == 4 && self == 1 && w.len == 5);
	/* The list it wrote: neither dot files nor audit.git/. */
	char *got = NULL;
	size_t len;
	NB_CHECK(nb_fs_read(sums, 0, &got, &len) == 0);
	NB_CHECK_STR(got, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  index.html\n");
	free(got);
	free(sums);
	nb_fs_files_free(&w);
	nb_fs_rmtree(dir);
}

NB_TEST_MAIN("sums", NB_CASE(lists_the_site), NB_CASE(same_with_any_number_of_threads),
	     NB_CASE(memo_gives_the_same_list), NB_CASE(memo_skips_files_too_new),
	     NB_CASE(write_hands_back_its_walk))

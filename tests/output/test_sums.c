/*
 * test_sums.c - /manifest.sha256 (sums.h): the site's files with their
 * SHA-256 in sha256sum's own format - sorted by path, names escaped as
 * sha256sum escapes them - leaving out itself, dot files and audit.git/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	NB_CHECK(nb_sums_text(&b, dir) == 0);
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
	NB_CHECK(nb_sums_write(dir) == 0);
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
		NB_CHECK(nb_sums_text(&b, dir) == 0);
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

NB_TEST_MAIN("sums", NB_CASE(lists_the_site), NB_CASE(same_with_any_number_of_threads))

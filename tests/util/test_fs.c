/*
 * test_fs.c - file helpers (util/fs.h) that the caches' safety rests on.
 *
 * nb_fs_scratch is what lets the load stage and the search index keep a
 * build's bytes out of memory: the file must read back what was written,
 * leave no name behind (a killed build must not litter the cache folder,
 * and no other build may open it), and make the folder it is asked for.
 */
#include "harness.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

NB_TEST_MAIN("fs",
	NB_CASE(test_scratch_reads_back_and_has_no_name))

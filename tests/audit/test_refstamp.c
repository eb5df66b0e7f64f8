/*
 * test_refstamp.c - the chain remembered by its refs (audit/refstamp.c): it
 * is recalled only with the very stamp, repository and branch it was
 * remembered with; a ref added, removed or rewritten, packed-refs made, a
 * record damaged at any byte, or a ref written within the clock's tick of
 * remembering (which could change again unseen) is a miss, never a stale
 * chain. The refs here are plain files: what they hold is libgit2's
 * business, whether they changed is this module's.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "util/fs.h"
#include "harness.h"

/* A repository-like folder: refs/heads/main and refs/tags/pub-1..2, all
 * dated `age` seconds ago (folders too; a negative age is in the future). */
static char *repo_at(const char *root, int age)
{
	char *repo = nb_path_join(root, "r.git");
	const char *files[] = { "refs/heads/main", "refs/tags/pub-1", "refs/tags/pub-2" };
	for (size_t i = 0; i < 3; i++) {
		char *p = nb_path_join(repo, files[i]);
		if (nb_fs_write(p, "0123456789012345678901234567890123456789\n", 41) != 0)
			abort();
		free(p);
	}
	const char *all[] = { "refs/heads/main", "refs/tags/pub-1", "refs/tags/pub-2",
			      "refs/heads", "refs/tags", "refs", "." };
	struct timespec t[2] = { { time(NULL) - age, 0 }, { time(NULL) - age, 0 } };
	for (size_t i = 0; i < 7; i++) {
		char *p = nb_path_join(repo, all[i]);
		utimensat(AT_FDCWD, p, t, 0);
		free(p);
	}
	return repo;
}

static nb_oid oid_of(unsigned char b)
{
	nb_oid o;
	memset(&o, b, sizeof(o));
	return o;
}

/* Recalled now, for `repo` and branch `branch`: 1 and the values, or 0. */
static int recall(const char *repo, const char *memo, const char *branch, size_t *last,
		  nb_oid *chain)
{
	nb_audit_refstamp *r = NULL;
	if (nb_audit_refstamp_take(&r, repo) != 0)
		return -1;
	int hit = nb_audit_refstamp_recall(r, memo, repo, branch, last, chain);
	nb_audit_refstamp_free(r);
	return hit;
}

static void remember(const char *repo, const char *memo, size_t last, unsigned char b)
{
	nb_audit_refstamp *r = NULL;
	if (nb_audit_refstamp_take(&r, repo) != 0)
		abort();
	nb_oid o = oid_of(b);
	nb_audit_refstamp_remember(r, memo, repo, "main", last, &o);
	nb_audit_refstamp_free(r);
}

/* A fresh folder with a repository dated 10 s ago and its chain (2,
 * 0xab...) remembered. */
typedef struct fixture {
	char root[32];
	char *repo, *memo;
} fixture;

static void fixture_open(fixture *f)
{
	snprintf(f->root, sizeof(f->root), "%s", "/tmp/nb-test-refstamp.XXXXXX");
	if (!mkdtemp(f->root))
		abort();
	f->repo = repo_at(f->root, 10);
	f->memo = nb_path_join(f->root, "cache/publish-chain");
	remember(f->repo, f->memo, 2, 0xab);
}

static void fixture_close(fixture *f)
{
	free(f->memo);
	free(f->repo);
	nb_fs_rmtree(f->root);
}

NB_TEST(recalled_only_while_the_refs_are_the_same_files)
{
	char root[] = "/tmp/nb-test-refstamp.XXXXXX";
	NB_CHECK(mkdtemp(root) != NULL);
	char *repo = repo_at(root, 10), *memo = nb_path_join(root, "cache/publish-chain");
	size_t last = 0;
	nb_oid chain;
	NB_CHECK(recall(repo, memo, "main", &last, &chain) == 0);
	remember(repo, memo, 2, 0xab);
	NB_CHECK(recall(repo, memo, "main", &last, &chain) == 1);
	nb_oid want = oid_of(0xab);
	NB_CHECK(last == 2 && !memcmp(&chain, &want, sizeof(want)));
	/* Another branch or another repository path is another question. */
	NB_CHECK(recall(repo, memo, "other", &last, &chain) == 0);
	/* A tag rewritten as git does (a new file renamed over it), same
	 * size, its and its folder's modification times put back. */
	char *tag = nb_path_join(repo, "refs/tags/pub-1"), *tmp = nb_path_join(root, "x");
	struct stat st, dst;
	char *tags = nb_path_join(repo, "refs/tags");
	NB_CHECK(stat(tag, &st) == 0 && stat(tags, &dst) == 0);
	NB_CHECK(nb_fs_write(tmp, "9876543210987654321098765432109876543210\n", 41) == 0);
	NB_CHECK(rename(tmp, tag) == 0);
	struct timespec ft[2] = { st.st_mtim, st.st_mtim }, dt[2] = { dst.st_mtim, dst.st_mtim };
	NB_CHECK(utimensat(AT_FDCWD, tag, ft, 0) == 0 && utimensat(AT_FDCWD, tags, dt, 0) == 0);
	NB_CHECK(recall(repo, memo, "main", &last, &chain) == 0);
	/* Remembered again after that, then a publication added. */
	free(repo);
	repo = repo_at(root, 10);
	remember(repo, memo, 2, 0xab);
	NB_CHECK(recall(repo, memo, "main", &last, &chain) == 1);
	char *pub3 = nb_path_join(repo, "refs/tags/pub-3");
	NB_CHECK(nb_fs_write(pub3, "0123456789012345678901234567890123456789\n", 41) == 0);
	NB_CHECK(recall(repo, memo, "main", &last, &chain) == 0);
	NB_CHECK(unlink(pub3) == 0);
	/* packed-refs made (git pack-refs), even with the loose refs left;
	 * and, once remembered, rewritten in place to the same size with its
	 * time put back (which leaves its folder as it was). */
	free(repo);
	repo = repo_at(root, 10);
	remember(repo, memo, 2, 0xab);
	char *packed = nb_path_join(repo, "packed-refs");
	NB_CHECK(nb_fs_write(packed, "# pack-refs with: peeled\n", 25) == 0);
	NB_CHECK(recall(repo, memo, "main", &last, &chain) == 0);
	struct timespec old[2] = { { time(NULL) - 10, 0 }, { time(NULL) - 10, 0 } };
	NB_CHECK(utimensat(AT_FDCWD, packed, old, 0) == 0 && utimensat(AT_FDCWD, repo, old, 0) == 0);
	remember(repo, memo, 2, 0xab);
	NB_CHECK(recall(repo, memo, "main", &last, &chain) == 1);
	NB_CHECK(nb_fs_write(packed, "# pack-refs with: sorted\n", 25) == 0);
	NB_CHECK(utimensat(AT_FDCWD, packed, old, 0) == 0);
	NB_CHECK(recall(repo, memo, "main", &last, &chain) == 0);
	NB_CHECK(unlink(packed) == 0);
	free(packed);
	free(pub3);
	free(tags);
	free(tmp);
	free(tag);
	free(memo);
	free(repo);
	nb_fs_rmtree(root);
}

NB_TEST(a_ref_written_just_now_is_not_remembered)
{
	fixture f;
	fixture_open(&f);
	size_t last = 0;
	nb_oid chain;
	NB_CHECK(recall(f.repo, f.memo, "main", &last, &chain) == 1);
	/* Not before the fence set when remembering (here after it: a
	 * write within its tick is the same to the fence): it could change
	 * again with the same stamp, so neither it nor what was remembered
	 * before holds. */
	free(f.repo);
	f.repo = repo_at(f.root, -5);
	remember(f.repo, f.memo, 3, 0xcd);
	NB_CHECK(recall(f.repo, f.memo, "main", &last, &chain) == 0);
	NB_CHECK(!nb_fs_is_file(f.memo));
	fixture_close(&f);
}

NB_TEST(damaged_records_are_misses)
{
	fixture f;
	fixture_open(&f);
	const char *repo = f.repo, *memo = f.memo;
	char *whole;
	size_t len;
	NB_CHECK(nb_fs_read(memo, 0, &whole, &len) == 0);
	size_t last = 0;
	nb_oid chain;
	for (size_t cut = 0; cut < len; cut++) {
		NB_CHECK(nb_fs_write(memo, whole, cut) == 0);
		NB_CHECK(recall(repo, memo, "main", &last, &chain) == 0);
	}
	for (size_t at = 0; at < len; at += 7) {
		whole[at] ^= 0x20;
		NB_CHECK(nb_fs_write(memo, whole, len) == 0);
		NB_CHECK(recall(repo, memo, "main", &last, &chain) == 0);
		whole[at] ^= 0x20;
	}
	NB_CHECK(nb_fs_write(memo, whole, len) == 0);
	NB_CHECK(recall(repo, memo, "main", &last, &chain) == 1);
	free(whole);
	fixture_close(&f);
}

NB_TEST_MAIN("refstamp", NB_CASE(recalled_only_while_the_refs_are_the_same_files),
	     NB_CASE(a_ref_written_just_now_is_not_remembered), NB_CASE(damaged_records_are_misses))

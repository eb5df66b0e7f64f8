/*
 * test_diffmemo.c - character diffs kept between builds (util/diffmemo.h).
 *
 * A memo may cost time, never a wrong byte: each check compares what the
 * memo gives with nb_chardiff's own result span by span (operation,
 * length, characters, and the text each points into), and reads the
 * reused/made counts to tell a hit from a miss. The file is damaged the
 * ways a disk or a killed build damages it (a flipped byte, cut short,
 * another program's salt) and once the way only a bug or a digest
 * collision would (a record that passes the file's hash but does not fit
 * the texts): each is a miss that still gives the right diff.
 */
#include "harness.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diffmemo.h"
#include "util/fs.h"
#include "util/hash.h"

static const char A[] = "第一条 业主大会由全体业主组成，每年召开一次。\n会议由业主委员会召集。";
static const char B[] = "第一条 业主大会由全体业主组成，每年至少召开两次。\n会议由物业服务中心召集。";
/* B with two characters of its insertion replaced: A-B's record still
 * fits A-B2 (an insertion's text is not in the record), so only the key
 * tells them apart. */
static const char B2[] = "第一条 业主大会由全体业主组成，每年最多召开两次。\n会议由物业服务中心召集。";
static const char C[] = "第一条 业主大会每年召开一次，\xff由业主委员会召集。";

/* A fresh memo path in a new temporary folder (the folder is left for
 * the caller to remove with the path's last component cut). */
static char *memo_path(void)
{
	char tmpl[] = "/tmp/nb-diffmemo-XXXXXX";
	if (!mkdtemp(tmpl))
		abort();
	return nb_path_join(tmpl, "cache/charter-diffs");
}

static void cleanup(char *path)
{
	char *slash = strrchr(path, '/');
	*slash = 0;
	slash = strrchr(path, '/');
	*slash = 0;
	nb_fs_rmtree(path);
	free(path);
}

/* Whether `got` is exactly nb_chardiff's diff of the same texts. */
static int same_as_computed(const nb_diff *got, const char *a, const char *b)
{
	nb_diff want;
	nb_chardiff(a, strlen(a), b, strlen(b), &want);
	int ok = got->len == want.len && got->deleted == want.deleted &&
		 got->inserted == want.inserted && got->approximate == want.approximate;
	for (size_t k = 0; ok && k < want.len; k++)
		ok = got->spans[k].op == want.spans[k].op && got->spans[k].text == want.spans[k].text &&
		     got->spans[k].len == want.spans[k].len &&
		     got->spans[k].chars == want.spans[k].chars;
	nb_diff_free(&want);
	return ok;
}

/* Diff a and b through a memo opened at `path` under `salt`, check the
 * result, save; returns 1 when it came from the memo, 0 when made, -1
 * when wrong. */
static int diff_once(const char *path, const char *salt, const char *a, const char *b)
{
	nb_diffmemo *m;
	if (nb_diffmemo_open(&m, path, salt) != 0)
		return -1;
	nb_diff d;
	nb_diffmemo_chardiff(&d, m, a, strlen(a), b, strlen(b));
	int ok = same_as_computed(&d, a, b);
	nb_diff_free(&d);
	size_t reused, made;
	nb_diffmemo_counts(m, &reused, &made);
	if (nb_diffmemo_save(m) != 0)
		ok = 0;
	nb_diffmemo_free(m);
	if (!ok || reused + made != 1)
		return -1;
	return reused == 1;
}

NB_TEST(hit_after_save_and_miss_on_changed_input)
{
	char *path = memo_path();
	NB_CHECK(diff_once(path, "p1", A, B) == 0);
	NB_CHECK(nb_fs_is_file(path));
	NB_CHECK(diff_once(path, "p1", A, B) == 1);
	/* Either text changed, or the two swapped: another key. */
	NB_CHECK(diff_once(path, "p1", A, C) == 0);
	NB_CHECK(diff_once(path, "p1", C, B) == 0);
	NB_CHECK(diff_once(path, "p1", B, A) == 0);
	/* A-B kept, then A-B2 asked for, which A-B's record fits. */
	NB_CHECK(diff_once(path, "p1", A, B) == 0);
	NB_CHECK(diff_once(path, "p1", A, B2) == 0);
	/* The memo keeps only what the last build asked for (A-B2); the texts
	 * are laid over afresh: copies elsewhere in memory hit. */
	char *a2 = strdup(A), *b2 = strdup(B2);
	NB_CHECK(diff_once(path, "p1", a2, b2) == 1);
	free(a2);
	free(b2);
	cleanup(path);
}

NB_TEST(other_salt_is_a_miss)
{
	char *path = memo_path();
	NB_CHECK(diff_once(path, "program 1", A, B) == 0);
	NB_CHECK(diff_once(path, "program 2", A, B) == 0);
	NB_CHECK(diff_once(path, "program 2", A, B) == 1);
	cleanup(path);
}

/* The memo file's bytes. */
static char *slurp(const char *path, size_t *len)
{
	char *data = NULL;
	if (nb_fs_read(path, 1 << 20, &data, len) != 0)
		return NULL;
	return data;
}

NB_TEST(garbled_or_short_file_is_a_miss)
{
	char *path = memo_path();
	NB_CHECK(diff_once(path, "p", A, B) == 0);
	size_t len;
	char *good = slurp(path, &len);
	NB_CHECK(good && len > 40);
	if (!good) {
		cleanup(path);
		return;
	}
	/* Each byte flipped in turn: every one is a miss with the right diff. */
	int all_missed = 1;
	for (size_t i = 0; i < len; i++) {
		good[i] ^= 0x20;
		nb_fs_write(path, good, len);
		good[i] ^= 0x20;
		if (diff_once(path, "p", A, B) != 0)
			all_missed = 0;
	}
	NB_CHECK(all_missed);
	for (size_t cut = 0; cut < len; cut += 7) {
		nb_fs_write(path, good, cut);
		NB_CHECK(diff_once(path, "p", A, B) == 0);
	}
	/* And the memo then written again is whole. */
	NB_CHECK(diff_once(path, "p", A, B) == 1);
	free(good);
	cleanup(path);
}

/* Re-seal a memo file edited in place: its closing digest as diffmemo.c
 * computes it (nb_hash_str of the bytes before it, seed "nb-memo1"). */
static void reseal(char *data, size_t len)
{
	nb_hash h;
	nb_hash_init(&h, 0x6e622d6d656d6f31ull);
	nb_hash_str(&h, data, len - 16);
	nb_digest d = nb_hash_final(&h);
	for (int i = 0; i < 8; i++) {
		data[len - 16 + i] = (char)(d.lo >> (8 * i));
		data[len - 8 + i] = (char)(d.hi >> (8 * i));
	}
}

NB_TEST(record_that_does_not_fit_is_a_miss)
{
	char *path = memo_path();
	NB_CHECK(diff_once(path, "p", A, B) == 0);
	size_t len;
	char *good = slurp(path, &len);
	NB_CHECK(good != NULL);
	if (!good) {
		cleanup(path);
		return;
	}
	/* The sealed file is read; the unsealed edits below must be caught
	 * by the record's own checks, so first make sure sealing works. */
	reseal(good, len);
	nb_fs_write(path, good, len);
	NB_CHECK(diff_once(path, "p", A, B) == 1);
	/* The last span's byte (before the digest): its length or operation
	 * changed, the spans no longer cover the texts as they are. */
	int caught = 1;
	for (int delta = 1; delta < 4; delta++) {
		char *bad = malloc(len);
		memcpy(bad, good, len);
		bad[len - 17] = (char)(bad[len - 17] + delta);
		reseal(bad, len);
		nb_fs_write(path, bad, len);
		if (diff_once(path, "p", A, B) != 0)
			caught = 0;
		free(bad);
	}
	NB_CHECK(caught);
	free(good);
	cleanup(path);
}

NB_TEST(unused_records_are_dropped_at_save)
{
	char *path = memo_path();
	nb_diffmemo *m;
	nb_diff d;
	NB_CHECK(nb_diffmemo_open(&m, path, "p") == 0);
	nb_diffmemo_chardiff(&d, m, A, strlen(A), B, strlen(B));
	nb_diff_free(&d);
	nb_diffmemo_chardiff(&d, m, A, strlen(A), C, strlen(C));
	nb_diff_free(&d);
	NB_CHECK(nb_diffmemo_save(m) == 0);
	nb_diffmemo_free(m);
	struct stat st1, st2, st3;
	NB_CHECK(stat(path, &st1) == 0);
	/* Only A-C asked for: saved without A-B. */
	NB_CHECK(diff_once(path, "p", A, C) == 1);
	NB_CHECK(stat(path, &st2) == 0);
	NB_CHECK(st2.st_size < st1.st_size);
	NB_CHECK(diff_once(path, "p", A, B) == 0);
	/* Nothing new and nothing dropped: the file is left as it is. */
	NB_CHECK(stat(path, &st2) == 0);
	NB_CHECK(diff_once(path, "p", A, B) == 1);
	NB_CHECK(stat(path, &st3) == 0);
	NB_CHECK(st2.st_ino == st3.st_ino);
	cleanup(path);
}

NB_TEST(no_memo_computes)
{
	nb_diff d;
	nb_diffmemo_chardiff(&d, NULL, A, strlen(A), C, strlen(C));
	NB_CHECK(same_as_computed(&d, A, C));
	nb_diff_free(&d);
	size_t r = 9, mk = 9;
	nb_diffmemo_counts(NULL, &r, &mk);
	NB_CHECK(r == 0 && mk == 0);
}

NB_TEST_MAIN("diffmemo", NB_CASE(hit_after_save_and_miss_on_changed_input),
	     NB_CASE(other_salt_is_a_miss), NB_CASE(garbled_or_short_file_is_a_miss),
	     NB_CASE(record_that_does_not_fit_is_a_miss), NB_CASE(unused_records_are_dropped_at_save),
	     NB_CASE(no_memo_computes))

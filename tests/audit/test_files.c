/*
 * test_files.c - hashing a folder into blobs (files.c), checked against
 * git: each file's id is `git hash-object` of the file, each blob written
 * reads back through `git cat-file` as the file's bytes, and the record
 * passes `git fsck --strict` - for empty files, names with spaces and
 * Chinese, deep folders, dot files (kept or left out), forty files with
 * the same bytes (one blob), large random and large compressible files,
 * and enough files that the publication's pack is started, before the
 * walk (entries made on the pool's threads) or during it. Hashing
 * without writing leaves the record as it was; the inode record never
 * gives a changed file its old id.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "objects_fixture.h"

enum { BIG = 5 << 20, MANY = 150, SAME = 40 };

static const char *const NAMED[] = {
	"empty", "a b.txt", "\xe4\xb8\xad\xe6\x96\x87/\xe4\xbc\x9a\xe8\xae\xae.md",
	"deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/19/20/leaf.txt", ".dot",
	".hidden/inside.txt",
};
enum { NNAMED = sizeof(NAMED) / sizeof(NAMED[0]) };

/* The site's output: NAMED (the empty one empty, the others their own
 * path), SAME copies of one text, MANY distinct small files, and two large
 * ones. Returns how many files. */
static int make_site(const char *dir)
{
	int n = 0;
	char rel[64], text[64];
	for (size_t i = 0; i < NNAMED; i++, n++)
		if (obj_put(dir, NAMED[i], NAMED[i], i ? strlen(NAMED[i]) : 0) != 0)
			return -1;
	for (int i = 0; i < SAME; i++, n++) {
		snprintf(rel, sizeof(rel), "same/%02d.txt", i);
		if (obj_put(dir, rel, "the same bytes\n", 15) != 0)
			return -1;
	}
	for (int i = 0; i < MANY; i++, n++) {
		snprintf(rel, sizeof(rel), "many/%03d.html", i);
		snprintf(text, sizeof(text), "<p>page %d</p>\n", i);
		if (obj_put(dir, rel, text, strlen(text)) != 0)
			return -1;
	}
	unsigned char *big = malloc(BIG);
	if (!big)
		return -1;
	obj_noise(big, BIG, 7);
	int rc = obj_put(dir, "big/noise.bin", big, BIG);
	memset(big, 'z', BIG);
	rc = rc ? rc : obj_put(dir, "big/flat.bin", big, BIG);
	free(big);
	return rc ? -1 : n + 2;
}

/* Every listed file: "public/<rel>", with git's id of the file. */
static int ids_match_git(const char *dir, const nb_audit_files *f)
{
	for (size_t i = 0; i < f->len; i++) {
		const char *p = f->items[i].path;
		char want[GIT_OID_HEXSZ + 1], got[GIT_OID_HEXSZ + 1];
		if (strncmp(p, "public/", 7) || obj_git_hash(dir, p + 7, want) != 0 ||
		    strcmp(nb_oid_tostr(got, sizeof(got), &f->items[i].id), want))
			return 0;
	}
	return 1;
}

/* Every listed file's blob reads back through git as the file's bytes. */
static int blobs_match_files(chain *ch, const char *dir, const nb_audit_files *f)
{
	for (size_t i = 0; i < f->len; i++) {
		char hex[GIT_OID_HEXSZ + 1];
		nb_oid_tostr(hex, sizeof(hex), &f->items[i].id);
		if (chain_sh("git -C '%s' cat-file blob %s | cmp -s - '%s/%s'", ch->repo, hex, dir,
			   f->items[i].path + 7) != 0)
			return 0;
	}
	return 1;
}

/* The same through libgit2 on the handle (the pack backend while open). */
static int handle_reads_files(chain *ch, const char *dir, const nb_audit_files *f)
{
	int ok = 1;
	for (size_t i = 0; i < f->len && ok; i++) {
		char *full = nb_path_join(dir, f->items[i].path + 7), *want = NULL, *got = NULL;
		size_t wl = 0, gl = 0;
		ok = nb_fs_read(full, 0, &want, &wl) == 0 &&
		     nb_audit_read_blob(&ch->a, &f->items[i].id, &got, &gl) == 0 && gl == wl &&
		     (!wl || !memcmp(got, want, wl));
		free(full);
		free(want);
		free(got);
	}
	return ok;
}

static long objects_in_record(chain *ch)
{
	nb_buf out = NB_BUF_INIT;
	long n = -1;
	if (obj_sh_out(&out, "git -C '%s' cat-file --batch-all-objects --batch-check | wc -l",
		       ch->repo) == 0)
		n = strtol(nb_buf_cstr(&out), NULL, 10);
	nb_buf_free(&out);
	return n;
}

/* Hash the site into a pack, begun with `first` objects already in it. */
static void hash_site(nb_test_state *nb__t, int first)
{
	chain ch;
	chain_open(&ch);
	char *dir = nb_path_join(ch.dir, "out");
	int n = make_site(dir);
	NB_CHECK(ch.ok && n > 0 && nb_audit_pack_begin(&ch.a) == 0);
	char text[32];
	for (int i = 0; i < first; i++) {
		nb_oid id;
		snprintf(text, sizeof(text), "earlier %d\n", i);
		NB_CHECK(nb_audit_write_blob(&ch.a, text, strlen(text), &id) == 0);
	}
	NB_CHECK(nb_audit_pack_spilled(&ch.a) == (first >= 100));
	nb_audit_files f = { 0 };
	NB_CHECK(nb_audit_hash_dir(&ch.a, dir, "public", 1, 1, &f) == 0);
	/* Read back on the handle that wrote them, before and after the end. */
	NB_CHECK(handle_reads_files(&ch, dir, &f));
	NB_CHECK(nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK(handle_reads_files(&ch, dir, &f));
	NB_CHECK((int)f.len == n);
	nb_audit_files_sort(&f);
	NB_CHECK(nb_audit_files_find(&f, "public/\xe4\xb8\xad\xe6\x96\x87/\xe4\xbc\x9a\xe8\xae\xae.md")
		 >= 0);
	NB_CHECK(nb_audit_files_find(&f, "public/.hidden/inside.txt") >= 0);
	NB_CHECK(nb_audit_files_find(&f, "public/a b.txt") >= 0);
	NB_CHECK(ids_match_git(dir, &f));
	/* The forty copies are one blob. */
	long same = nb_audit_files_find(&f, "public/same/00.txt");
	for (int i = 1; i < SAME && same >= 0; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "public/same/%02d.txt", i);
		long k = nb_audit_files_find(&f, rel);
		NB_CHECK(k >= 0 && nb_oid_equal(&f.items[k].id, &f.items[same].id));
	}
	NB_CHECK(objects_in_record(&ch) == first + n - (SAME - 1));
	NB_CHECK(obj_pack_count(&ch, "pack-", ".pack") == 1 && obj_loose_count(&ch) == 0);
	NB_CHECK(chain_sh("git verify-pack '%s'/objects/pack/*.idx", ch.repo) == 0);
	NB_CHECK(obj_fsck(&ch) == 0);
	NB_CHECK(blobs_match_files(&ch, dir, &f));
	nb_audit_files_free(&f);
	free(dir);
	chain_close(&ch);
}

NB_TEST(pack_started_during_the_walk)
{
	hash_site(nb__t, 0);
}

NB_TEST(pack_started_before_the_walk)
{
	hash_site(nb__t, 120);
}

NB_TEST(hashing_alone_writes_nothing)
{
	chain ch;
	chain_open(&ch);
	char *dir = nb_path_join(ch.dir, "out");
	int n = make_site(dir);
	NB_CHECK(ch.ok && n > 0);
	nb_audit_files f = { 0 };
	/* Dot files left out; nothing written, even with a pack begun. */
	NB_CHECK(nb_audit_pack_begin(&ch.a) == 0);
	NB_CHECK(nb_audit_hash_dir(&ch.a, dir, "public", 0, 0, &f) == 0);
	NB_CHECK(nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK((int)f.len == n - 2);
	nb_audit_files_sort(&f);
	NB_CHECK(nb_audit_files_find(&f, "public/.dot") < 0);
	NB_CHECK(nb_audit_files_find(&f, "public/.hidden/inside.txt") < 0);
	NB_CHECK(ids_match_git(dir, &f));
	NB_CHECK(objects_in_record(&ch) == 0 && obj_pack_count(&ch, "", "") == 0);
	nb_audit_files_free(&f);
	free(dir);
	chain_close(&ch);
}

/* Set a file's modification time to `sec` (whole seconds, long past). */
static int set_time(const char *path, long sec)
{
	struct timespec ts[2] = { { sec, 0 }, { sec, 0 } };
	return utimensat(AT_FDCWD, path, ts, 0);
}

NB_TEST(inode_record_never_gives_old_ids)
{
	chain ch;
	chain_open(&ch);
	char *dir = nb_path_join(ch.dir, "out"), *cache = nb_path_join(ch.dir, "oids");
	char *page = nb_path_join(dir, "page.html");
	NB_CHECK(ch.ok && obj_put(dir, "page.html", "<p>one</p>\n", 11) == 0);
	NB_CHECK(set_time(page, 1600000000) == 0);
	char want[GIT_OID_HEXSZ + 1], got[GIT_OID_HEXSZ + 1];
	for (int round = 0; round < 3; round++) {
		if (round == 2) {
			/* Same size, other bytes, another time: another blob. */
			NB_CHECK(nb_fs_write(page, "<p>two</p>\n", 11) == 0);
			NB_CHECK(set_time(page, 1600000100) == 0);
		}
		nb_audit_files f = { 0 };
		NB_CHECK(nb_audit_hash_dir_cached(&ch.a, dir, "", 1, 1, &f, cache, NULL) == 0);
		NB_CHECK(f.len == 1 && obj_git_hash(dir, "page.html", want) == 0);
		if (f.len == 1)
			NB_CHECK_STR(nb_oid_tostr(got, sizeof(got), &f.items[0].id), want);
		nb_buf out = NB_BUF_INIT;
		NB_CHECK(obj_cat(&ch, &out, "-p", want) == 0);
		NB_CHECK_STR(nb_buf_cstr(&out), round == 2 ? "<p>two</p>\n" : "<p>one</p>\n");
		nb_buf_free(&out);
		nb_audit_files_free(&f);
	}
	NB_CHECK(nb_fs_is_file(cache));
	free(page);
	free(cache);
	free(dir);
	chain_close(&ch);
}

/* A source edited in place with its time put back (cp -p, touch -r, an
 * editor keeping times): size and modification time as recorded, other
 * bytes. The record of sources must not give it its old id: the record
 * would hold sources the site was not built from. */
NB_TEST(source_edit_with_time_kept)
{
	chain ch;
	chain_open(&ch);
	char *md = nb_path_join(ch.dir, "content/meetings/m.md"), *cache = nb_path_join(ch.dir, "src");
	static const char one[] = "---\ntitle: A\n---\nbody one\n", two[] = "---\ntitle: A\n---\nbody two\n";
	NB_CHECK(ch.ok && obj_put(ch.dir, "site.yaml", "title: T\n", 9) == 0);
	NB_CHECK(obj_put(ch.dir, "content/meetings/m.md", one, sizeof(one) - 1) == 0);
	NB_CHECK(set_time(md, 1600000000) == 0);
	usleep(50000);  /* the change time a tick before the record's fence */
	for (int round = 0; round < 3; round++) {
		if (round == 2) {
			NB_CHECK(nb_fs_write(md, two, sizeof(two) - 1) == 0);
			NB_CHECK(set_time(md, 1600000000) == 0);
		}
		nb_audit_files f = { 0 };
		NB_CHECK(nb_audit_hash_sources_cached(&ch.a, &ch.cfg, 1, &f, NULL, cache) == 0);
		nb_audit_files_sort(&f);
		long k = nb_audit_files_find(&f, "site/content/meetings/m.md");
		char want[GIT_OID_HEXSZ + 1], got[GIT_OID_HEXSZ + 1];
		NB_CHECK(k >= 0 && obj_git_hash(ch.dir, "content/meetings/m.md", want) == 0);
		if (k >= 0)
			NB_CHECK_STR(nb_oid_tostr(got, sizeof(got), &f.items[k].id), want);
		/* Remembered: the next round could take the id from the record. */
		char *rec = NULL;
		size_t rl = 0;
		NB_CHECK(round == 2 || (nb_fs_read(cache, 0, &rec, &rl) == 0 && strstr(rec, want)));
		free(rec);
		nb_audit_files_free(&f);
	}
	free(md);
	free(cache);
	chain_close(&ch);
}

NB_TEST_MAIN("files", NB_CASE(pack_started_during_the_walk), NB_CASE(pack_started_before_the_walk),
	     NB_CASE(hashing_alone_writes_nothing), NB_CASE(inode_record_never_gives_old_ids),
	     NB_CASE(source_edit_with_time_kept))

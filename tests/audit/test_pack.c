/*
 * test_pack.c - where a publication's objects go (pack.c), checked
 * against git itself: fewer than 100 objects (git's unpack limit) under
 * 64 MB go loose, more make one pack with its index; either way git reads
 * every object back as the bytes written (`git cat-file`, `git fsck
 * --strict`, `git verify-pack`), and so does libgit2 on a new handle, also
 * after `git gc` and `git repack -a -d`. Also the extremes: the empty
 * object, 30,000 objects, large random and large compressible objects,
 * one object written many times, objects the record holds already, a
 * publish killed mid-pack and the leftovers git or a kill may leave.
 */
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "objects_fixture.h"

enum { LIMIT = 100, HOLD = 64 << 20 };

static const char EMPTY_BLOB[] = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";

/* The bytes of test object i: "object i\n", object 0 empty. */
static size_t text_of(char *buf, size_t n, int i)
{
	return i ? (size_t)snprintf(buf, n, "object %d\n", i) : 0;
}

/* Write objects 0..n-1 through the audit handle; 0 or -1. */
static int write_n(chain *ch, int from, int n, nb_oid *ids)
{
	char buf[64];
	for (int i = from; i < from + n; i++) {
		size_t len = text_of(buf, sizeof(buf), i);
		if (nb_audit_write_blob(&ch->a, buf, len, &ids[i - from]) != 0)
			return -1;
	}
	return 0;
}

/* `git count-objects -v` figure `what` ("count", "in-pack"); -1. */
static long git_count(chain *ch, const char *what)
{
	nb_buf out = NB_BUF_INIT;
	long v = -1;
	if (obj_sh_out(&out, "git -C '%s' count-objects -v", ch->repo) == 0) {
		char key[64];
		snprintf(key, sizeof(key), "%s: ", what);
		const char *p = strstr(nb_buf_cstr(&out), key);
		if (p)
			v = strtol(p + strlen(key), NULL, 10);
	}
	nb_buf_free(&out);
	return v;
}

/* Every object i in [0, n) reads back through git as its bytes, a blob. */
static int git_reads_all(chain *ch, const nb_oid *ids, int n)
{
	nb_buf want = NB_BUF_INIT, got = NB_BUF_INIT;
	char buf[64], hex[GIT_OID_HEXSZ + 1];
	for (int i = 0; i < n; i++) {
		nb_oid_tostr(hex, sizeof(hex), &ids[i]);
		nb_buf_printf(&want, "%s\n", hex);
	}
	/* One git for all: --batch prints "<id> blob <size>\n<bytes>\n". */
	char *list = nb_path_join(ch->dir, "ids.txt");
	int ok = nb_fs_write(list, want.ptr, want.len) == 0 &&
		 obj_sh_out(&got, "git -C '%s' cat-file --batch < '%s'", ch->repo, list) == 0;
	nb_buf_clear(&want);
	for (int i = 0; i < n; i++) {
		size_t len = text_of(buf, sizeof(buf), i);
		nb_oid_tostr(hex, sizeof(hex), &ids[i]);
		nb_buf_printf(&want, "%s blob %zu\n", hex, len);
		nb_buf_put(&want, buf, len);
		nb_buf_putc(&want, '\n');
	}
	ok = ok && got.len == want.len && !memcmp(got.ptr, want.ptr, got.len);
	free(list);
	nb_buf_free(&want);
	nb_buf_free(&got);
	return ok;
}

/* Every object i in [0, n) reads back through libgit2 on this handle. */
static int lib_reads_all(chain *ch, const nb_oid *ids, int n)
{
	char buf[64];
	for (int i = 0; i < n; i++) {
		char *data = NULL;
		size_t len = 0, want = text_of(buf, sizeof(buf), i);
		int ok = nb_audit_read_blob(&ch->a, &ids[i], &data, &len) == 0 && len == want &&
			 !memcmp(data, buf, len);
		free(data);
		if (!ok)
			return 0;
	}
	return 1;
}

NB_TEST(below_the_limit_goes_loose)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok && nb_audit_pack_begin(&ch.a) == 0);
	nb_oid ids[LIMIT];
	/* 99 objects: git would unpack them (fewer than 100). */
	NB_CHECK(write_n(&ch, 0, LIMIT - 1, ids) == 0);
	char hex[GIT_OID_HEXSZ + 1];
	NB_CHECK_STR(nb_oid_tostr(hex, sizeof(hex), &ids[0]), EMPTY_BLOB);
	/* Held in memory, readable, no file yet. */
	NB_CHECK(obj_pack_count(&ch, "tmp_", "") == 0 && obj_loose_count(&ch) == 0);
	NB_CHECK(lib_reads_all(&ch, ids, LIMIT - 1));
	NB_CHECK(nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK(obj_loose_count(&ch) == LIMIT - 1);
	NB_CHECK(obj_pack_count(&ch, "", "") == 0);
	NB_CHECK(git_reads_all(&ch, ids, LIMIT - 1));
	NB_CHECK(obj_fsck(&ch) == 0);
	NB_CHECK(chain_reopen(&ch) == 0 && lib_reads_all(&ch, ids, LIMIT - 1));
	chain_close(&ch);
}

NB_TEST(at_the_limit_makes_one_pack)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok && nb_audit_pack_begin(&ch.a) == 0);
	nb_oid ids[LIMIT];
	NB_CHECK(write_n(&ch, 0, LIMIT, ids) == 0);
	/* The 100th started the file, the 99 held ones first. */
	NB_CHECK(obj_pack_count(&ch, "tmp_pack_", "") == 1);
	NB_CHECK(lib_reads_all(&ch, ids, LIMIT));  /* read back from the file */
	NB_CHECK(nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK(obj_pack_count(&ch, "tmp_", "") == 0);
	NB_CHECK(obj_pack_count(&ch, "pack-", ".pack") == 1);
	NB_CHECK(obj_pack_count(&ch, "pack-", ".idx") == 1);
	NB_CHECK(obj_loose_count(&ch) == 0);
	NB_CHECK(git_count(&ch, "in-pack") == LIMIT && git_count(&ch, "count") == 0);
	NB_CHECK(chain_sh("git verify-pack '%s'/objects/pack/*.idx", ch.repo) == 0);
	NB_CHECK(git_reads_all(&ch, ids, LIMIT));
	NB_CHECK(obj_fsck(&ch) == 0);
	/* Sealed: the handle still reads them; what comes after goes loose. */
	NB_CHECK(lib_reads_all(&ch, ids, LIMIT));
	nb_oid more;
	NB_CHECK(write_n(&ch, LIMIT, 1, &more) == 0 && obj_loose_count(&ch) == 1);
	NB_CHECK(chain_reopen(&ch) == 0 && lib_reads_all(&ch, ids, LIMIT));
	chain_close(&ch);
}

/* One object of `size` bytes of 'x': loose at 64 MB, packed above. */
static void one_big(nb_test_state *nb__t, size_t size, int packed)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok && nb_audit_pack_begin(&ch.a) == 0);
	char *big = malloc(size);
	NB_CHECK(big != NULL);
	memset(big, 'x', size);
	nb_oid id;
	NB_CHECK(nb_audit_write_blob(&ch.a, big, size, &id) == 0);
	NB_CHECK(nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK(obj_loose_count(&ch) == !packed);
	NB_CHECK(obj_pack_count(&ch, "pack-", ".idx") == packed);
	char hex[GIT_OID_HEXSZ + 1], want[32];
	nb_oid_tostr(hex, sizeof(hex), &id);
	NB_CHECK(obj_fsck(&ch) == 0);
	nb_buf out = NB_BUF_INIT;
	snprintf(want, sizeof(want), "%zu\n", size);
	NB_CHECK(obj_cat(&ch, &out, "-s", hex) == 0);
	NB_CHECK_STR(nb_buf_cstr(&out), want);
	/* git's id for the same bytes, from a file. */
	char ghex[GIT_OID_HEXSZ + 1];
	NB_CHECK(obj_put(ch.dir, "big", big, size) == 0 && obj_git_hash(ch.dir, "big", ghex) == 0);
	NB_CHECK_STR(hex, ghex);
	NB_CHECK(chain_sh("git -C '%s' cat-file blob %s | cmp -s - '%s/big'", ch.repo, hex, ch.dir)
		 == 0);
	nb_buf_free(&out);
	free(big);
	chain_close(&ch);
}

NB_TEST(sixty_four_megabytes_held_loose)
{
	one_big(nb__t, HOLD, 0);
}

NB_TEST(one_byte_more_makes_a_pack)
{
	one_big(nb__t, (size_t)HOLD + 1, 1);
}

NB_TEST(thirty_thousand_objects)
{
	enum { DIRS = 100, PER = 300, N = DIRS * PER };
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok && nb_audit_pack_begin(&ch.a) == 0);
	nb_oid *ids = calloc(N, sizeof(*ids));
	NB_CHECK(ids && write_n(&ch, 0, N, ids) == 0);
	nb_audit_files f = { 0 };
	char path[64];
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "d%02d/f%05d", i % DIRS, i);
		nb_audit_files_push(&f, path, &ids[i]);
	}
	nb_audit_files_sort(&f);
	nb_oid tree, commit;
	nb_signature *sig = NULL;
	NB_CHECK(nb_audit_write_tree(&ch.a, &f, &tree) == 0);
	NB_CHECK(nb_audit_signature_parse(&sig, "Test <t@example.org>") == 0);
	NB_CHECK(nb_audit_commit(&ch.a, &tree, NULL, 1, "Publication 1: many", sig, NULL,
				 &commit) == 0);
	/* Blobs, 100 folders and the root, the commit, the tag: one pack. */
	NB_CHECK(git_count(&ch, "in-pack") == N + DIRS + 1 + 2);
	NB_CHECK(git_count(&ch, "count") == 0);
	NB_CHECK(obj_pack_count(&ch, "pack-", ".pack") == 1);
	NB_CHECK(chain_sh("git verify-pack '%s'/objects/pack/*.idx", ch.repo) == 0);
	NB_CHECK(obj_fsck(&ch) == 0);
	NB_CHECK(git_reads_all(&ch, ids, N));
	nb_buf out = NB_BUF_INIT;
	NB_CHECK(obj_sh_out(&out, "git -C '%s' ls-tree -r pub-1 | wc -l", ch.repo) == 0);
	NB_CHECK_STR(nb_buf_cstr(&out), "30000\n");
	NB_CHECK(chain_reopen(&ch) == 0 && lib_reads_all(&ch, ids, N));
	nb_buf_free(&out);
	nb_signature_free(sig);
	nb_audit_files_free(&f);
	free(ids);
	chain_close(&ch);
}

NB_TEST(large_random_and_compressible)
{
	enum { BIG = 6 << 20 };
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok && nb_audit_pack_begin(&ch.a) == 0);
	unsigned char *noise = malloc(BIG), *flat = malloc(BIG);
	NB_CHECK(noise && flat);
	obj_noise(noise, BIG, 42);
	for (size_t i = 0; i < BIG; i++)
		flat[i] = (unsigned char)"abcdefgh"[i % 8];
	nb_oid big[2], small[LIMIT];
	NB_CHECK(nb_audit_write_blob(&ch.a, noise, BIG, &big[0]) == 0);
	NB_CHECK(nb_audit_write_blob(&ch.a, flat, BIG, &big[1]) == 0);
	NB_CHECK(write_n(&ch, 1, LIMIT, small) == 0);
	NB_CHECK(nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK(obj_pack_count(&ch, "pack-", ".pack") == 1 && obj_loose_count(&ch) == 0);
	NB_CHECK(chain_sh("git verify-pack '%s'/objects/pack/*.idx", ch.repo) == 0);
	NB_CHECK(obj_fsck(&ch) == 0);
	NB_CHECK(obj_put(ch.dir, "noise", noise, BIG) == 0 && obj_put(ch.dir, "flat", flat, BIG) == 0);
	const char *name[2] = { "noise", "flat" };
	for (int k = 0; k < 2; k++) {
		char hex[GIT_OID_HEXSZ + 1], ghex[GIT_OID_HEXSZ + 1];
		nb_oid_tostr(hex, sizeof(hex), &big[k]);
		NB_CHECK(obj_git_hash(ch.dir, name[k], ghex) == 0);
		NB_CHECK_STR(hex, ghex);
		NB_CHECK(chain_sh("git -C '%s' cat-file blob %s | cmp -s - '%s/%s'", ch.repo, hex,
				ch.dir, name[k]) == 0);
	}
	/* The compressible one is stored compressed: the pack is far
	 * smaller than the two objects' bytes. */
	NB_CHECK(git_count(&ch, "size-pack") < (BIG + BIG / 8) / 1024);
	NB_CHECK(chain_reopen(&ch) == 0);
	for (int k = 0; k < 2; k++) {
		char *data = NULL;
		size_t len = 0;
		NB_CHECK(nb_audit_read_blob(&ch.a, &big[k], &data, &len) == 0 && len == BIG &&
			 !memcmp(data, k ? flat : noise, BIG));
		free(data);
	}
	free(noise);
	free(flat);
	chain_close(&ch);
}

/* An entry's header: type and size as git's little-endian varint,
 * worked out by hand from the pack format (type 3 is a blob). */
NB_TEST(entry_header_and_crc)
{
	static const struct {
		size_t size;
		unsigned char hdr[3];
		uint8_t n;
	} cases[] = {
		{ 0, { 0x30 }, 1 },
		{ 15, { 0x3f }, 1 },
		{ 16, { 0xb0, 0x01 }, 2 },
		{ 2047, { 0xbf, 0x7f }, 2 },
		{ 2048, { 0xb0, 0x80, 0x01 }, 3 },
	};
	char *data = malloc(4096);
	NB_CHECK(data != NULL);
	memset(data, 'q', 4096);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		nb_buf e = NB_BUF_INIT;
		uint8_t hdr = 0;
		uint32_t crc = 0;
		NB_CHECK(entry_make(GIT_OBJECT_BLOB, data, cases[c].size, &e, &hdr, &crc) == 0);
		NB_CHECK(hdr == cases[c].n && e.len > hdr);
		NB_CHECK(!memcmp(e.ptr, cases[c].hdr, cases[c].n));
		NB_CHECK(crc == (uint32_t)crc32(0, (const Bytef *)e.ptr, (uInt)e.len));
		/* The rest is one zlib stream of exactly the object's bytes. */
		unsigned char back[4096];
		uLongf got = sizeof(back);
		uLong used = (uLong)(e.len - hdr);
		NB_CHECK(uncompress2(back, &got, (const Bytef *)e.ptr + hdr, &used) == Z_OK);
		NB_CHECK(got == cases[c].size && used == e.len - hdr && !memcmp(back, data, got));
		nb_buf_free(&e);
	}
	free(data);
}

NB_TEST(one_object_written_many_times)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok && nb_audit_pack_begin(&ch.a) == 0);
	nb_oid id, again;
	NB_CHECK(nb_audit_write_blob(&ch.a, "same\n", 5, &id) == 0);
	for (int i = 0; i < 3 * LIMIT; i++)
		NB_CHECK(nb_audit_write_blob(&ch.a, "same\n", 5, &again) == 0 &&
			 nb_oid_equal(&id, &again));
	NB_CHECK(nb_audit_pack_end(&ch.a) == 0);
	/* One object, so below the limit: loose, no pack. */
	NB_CHECK(obj_loose_count(&ch) == 1 && obj_pack_count(&ch, "", "") == 0);
	NB_CHECK(obj_fsck(&ch) == 0);
	chain_close(&ch);
}

NB_TEST(objects_the_record_holds_already)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	/* One object loose, 150 in a pack git made. */
	nb_buf out = NB_BUF_INIT;
	NB_CHECK(obj_sh_out(&out, "printf 'loose one\\n' | git -C '%s' hash-object -w --stdin",
			    ch.repo) == 0);
	NB_CHECK(chain_sh("(cd '%s' && for i in $(seq 1 150); do printf 'object %%d\\n' $i | "
			"git hash-object -w --stdin; done | git pack-objects -q objects/pack/pack "
			"&& git prune-packed)", ch.repo) == 0);
	NB_CHECK(obj_loose_count(&ch) == 1 && obj_pack_count(&ch, "pack-", ".pack") == 1);
	NB_CHECK(chain_reopen(&ch) == 0 && nb_audit_pack_begin(&ch.a) == 0);
	nb_oid ids[150], loose;
	NB_CHECK(write_n(&ch, 1, 150, ids) == 0);
	NB_CHECK(nb_audit_write_blob(&ch.a, "loose one\n", 10, &loose) == 0);
	char hex[GIT_OID_HEXSZ + 1];
	NB_CHECK(out.len == GIT_OID_HEXSZ + 1 &&
		 !strncmp(nb_oid_tostr(hex, sizeof(hex), &loose), out.ptr, GIT_OID_HEXSZ));
	NB_CHECK(nb_audit_pack_end(&ch.a) == 0);
	/* Nothing written again: the same one loose file and one pack. */
	NB_CHECK(obj_loose_count(&ch) == 1 && obj_pack_count(&ch, "pack-", ".pack") == 1);
	NB_CHECK(obj_pack_count(&ch, "tmp_", "") == 0);
	nb_buf_free(&out);
	chain_close(&ch);
}

/* A publish killed with its pack half written, a kill between the two
 * renames (an index without its pack), and a pack git is still naming
 * (no index yet): the next begin removes what the kills left, keeps
 * git's, and writes a sound pack of its own. */
NB_TEST(killed_publish_leftovers)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		nb_oid ids[2 * LIMIT];
		int rc = nb_audit_pack_begin(&ch.a) == 0 && write_n(&ch, 0, 2 * LIMIT, ids) == 0;
		_exit(rc ? 0 : 1);  /* killed: no end, no close */
	}
	int st = -1;
	NB_CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	NB_CHECK(obj_pack_count(&ch, "tmp_pack_nb_", "") == 1);
	char pdir[512], p[640];
	snprintf(pdir, sizeof(pdir), "%s/objects/pack", ch.repo);
	snprintf(p, sizeof(p), "%s/tmp_idx_nb_XyZ123", pdir);
	NB_CHECK(nb_fs_write(p, "half", 4) == 0);
	snprintf(p, sizeof(p), "%s/pack-%040d.idx", pdir, 1);
	NB_CHECK(nb_fs_write(p, "orphan", 6) == 0);
	snprintf(p, sizeof(p), "%s/pack-%040d.pack", pdir, 2);
	NB_CHECK(nb_fs_write(p, "PACK", 4) == 0);

	NB_CHECK(chain_reopen(&ch) == 0 && nb_audit_pack_begin(&ch.a) == 0);
	NB_CHECK(obj_pack_count(&ch, "tmp_", "") == 0);
	NB_CHECK(obj_pack_count(&ch, "pack-", ".idx") == 0);
	NB_CHECK(nb_fs_is_file(p));  /* git's, kept */
	nb_oid ids[2 * LIMIT];
	NB_CHECK(write_n(&ch, 0, 2 * LIMIT, ids) == 0 && nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK(obj_pack_count(&ch, "pack-", ".idx") == 1);
	NB_CHECK(obj_pack_count(&ch, "tmp_", "") == 0);
	unlink(p);
	NB_CHECK(chain_sh("git verify-pack '%s'/objects/pack/*.idx", ch.repo) == 0);
	NB_CHECK(obj_fsck(&ch) == 0 && git_reads_all(&ch, ids, 2 * LIMIT));
	chain_close(&ch);
}

/* A full disk (a file size limit here) while the pack is written, or
 * while small objects are written loose: the write or the end fails
 * with a message, and no pack or index is left under a final name. */
static int full_disk_child(chain *ch, int packed)
{
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit rl = { 1 << 20, 1 << 20 };
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0 || nb_audit_pack_begin(&ch->a) != 0)
		return 3;
	unsigned char *big = malloc(3 << 20);
	if (!big)
		return 3;
	obj_noise(big, 3 << 20, 9);
	nb_oid id, ids[2 * LIMIT];
	int rc = nb_audit_write_blob(&ch->a, big, 3 << 20, &id);
	free(big);
	if (rc == 0 && packed)
		rc = write_n(ch, 0, 2 * LIMIT, ids);
	if (rc == 0)
		rc = nb_audit_pack_end(&ch->a);
	if (rc == 0 || !ch->a.err[0])
		return 1;  /* the failure went unseen */
	/* The system's reason reaches the message, from whichever thread
	 * met it (libgit2 keeps its last error per thread). */
	if (!strstr(ch->a.err, strerror(EFBIG))) {
		fprintf(stderr, "no reason in: %s\n", ch->a.err);
		return 4;
	}
	return obj_pack_count(ch, "pack-", "") == 0 ? 0 : 2;
}

NB_TEST(full_disk_fails_loudly)
{
	for (int packed = 0; packed < 2; packed++) {
		chain ch;
		chain_open(&ch);
		NB_CHECK(ch.ok);
		fflush(NULL);
		pid_t pid = fork();
		if (pid == 0)
			_exit(full_disk_child(&ch, packed));
		int st = -1;
		NB_CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st));
		NB_CHECK(WEXITSTATUS(st) == 0);
		/* The next publish starts clean and is sound. */
		NB_CHECK(chain_reopen(&ch) == 0 && nb_audit_pack_begin(&ch.a) == 0);
		NB_CHECK(obj_pack_count(&ch, "tmp_", "") == 0);
		nb_oid ids[2 * LIMIT];
		NB_CHECK(write_n(&ch, 0, 2 * LIMIT, ids) == 0 && nb_audit_pack_end(&ch.a) == 0);
		NB_CHECK(obj_fsck(&ch) == 0 && git_reads_all(&ch, ids, 2 * LIMIT));
		chain_close(&ch);
	}
}

/* A handle closed without the end leaves nothing; a pack ended but never
 * named by a ref (killed before the branch moved) is complete, so the
 * next publish finds its objects and writes none of them again. */
NB_TEST(unended_and_unreferenced_packs)
{
	chain ch;
	chain_open(&ch);
	nb_oid ids[2 * LIMIT];
	NB_CHECK(ch.ok && nb_audit_pack_begin(&ch.a) == 0);
	NB_CHECK(write_n(&ch, 0, 2 * LIMIT, ids) == 0);
	NB_CHECK(obj_pack_count(&ch, "tmp_pack_nb_", "") == 1);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(obj_pack_count(&ch, "", "") == 0 && obj_loose_count(&ch) == 0);

	NB_CHECK(nb_audit_pack_begin(&ch.a) == 0 && write_n(&ch, 0, 2 * LIMIT, ids) == 0);
	NB_CHECK(nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK(chain_reopen(&ch) == 0 && nb_audit_pack_begin(&ch.a) == 0);
	NB_CHECK(write_n(&ch, 0, 2 * LIMIT, ids) == 0 && nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK(obj_pack_count(&ch, "pack-", ".pack") == 1 && obj_loose_count(&ch) == 0);
	NB_CHECK(obj_fsck(&ch) == 0);
	chain_close(&ch);
}

/* A publication in a pack of ours stays readable, by libgit2 and by git,
 * after git has rewritten the storage: gc, then repack -a -d. */
NB_TEST(readable_after_gc_and_repack)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok && nb_audit_pack_begin(&ch.a) == 0);
	nb_oid ids[2 * LIMIT];
	NB_CHECK(write_n(&ch, 0, 2 * LIMIT, ids) == 0);
	nb_audit_files f = { 0 };
	char path[64];
	for (int i = 0; i < 2 * LIMIT; i++) {
		snprintf(path, sizeof(path), "public/%03d.txt", i);
		nb_audit_files_push(&f, path, &ids[i]);
	}
	nb_oid tree, commit;
	nb_signature *sig = NULL;
	NB_CHECK(nb_audit_write_tree(&ch.a, &f, &tree) == 0);
	NB_CHECK(nb_audit_signature_parse(&sig, "Test <t@example.org>") == 0);
	NB_CHECK(nb_audit_commit(&ch.a, &tree, NULL, 1, "Publication 1: test", sig, NULL,
				 &commit) == 0);
	NB_CHECK(obj_pack_count(&ch, "pack-", ".pack") == 1 && obj_loose_count(&ch) == 0);
	static const char *const how[] = { "gc -q", "repack -a -d -q" };
	for (int k = 0; k < 2; k++) {
		NB_CHECK(chain_git(&ch, "%s", how[k]) == 0);
		NB_CHECK(obj_pack_count(&ch, "pack-", ".pack") == 1);
		NB_CHECK(obj_fsck(&ch) == 0 && git_reads_all(&ch, ids, 2 * LIMIT));
		NB_CHECK(chain_reopen(&ch) == 0 && lib_reads_all(&ch, ids, 2 * LIMIT));
		nb_buf report = NB_BUF_INIT;
		size_t damaged = 99;
		NB_CHECK(nb_audit_check_objects(&ch.a, 1, &report, &damaged) == 0 && damaged == 0);
		nb_buf_free(&report);
	}
	nb_signature_free(sig);
	nb_audit_files_free(&f);
	chain_close(&ch);
}

NB_TEST_MAIN("pack", NB_CASE(below_the_limit_goes_loose), NB_CASE(at_the_limit_makes_one_pack),
	     NB_CASE(sixty_four_megabytes_held_loose), NB_CASE(one_byte_more_makes_a_pack),
	     NB_CASE(thirty_thousand_objects), NB_CASE(large_random_and_compressible),
	     NB_CASE(entry_header_and_crc), NB_CASE(one_object_written_many_times),
	     NB_CASE(objects_the_record_holds_already), NB_CASE(killed_publish_leftovers),
	     NB_CASE(full_disk_fails_loudly),
	     NB_CASE(unended_and_unreferenced_packs), NB_CASE(readable_after_gc_and_repack))

/*
 * test_loose.c - reading loose objects (loose.c) as git writes them: the
 * files `git hash-object -w`, `git mktree`, `git commit-tree` and `git
 * mktag` leave give back exactly what `git cat-file` prints, with their
 * type; a file cut short at any byte, followed by another byte, holding
 * no header, a wrong size, a leading zero or an unknown type is refused,
 * and so is an object over the caller's limit by a single byte. Through
 * the record's object database a cut-short file is reported corrupt at
 * once (libgit2 1.5 alone loops forever on it), while sound loose and
 * packed objects read as before.
 */
#include <signal.h>
#include <unistd.h>
#include <zlib.h>

#include "audit/loose.h"
#include "harness.h"
#include "objects_fixture.h"

/* Object `hex`'s loose file, whole, into `raw`. 0 or -1. */
static int loose_bytes(chain *ch, const char *hex, nb_buf *raw)
{
	char *p = chain_loose(ch, hex), *data = NULL;
	size_t len = 0;
	int rc = nb_fs_read(p, 0, &data, &len);
	free(p);
	nb_buf_clear(raw);
	if (rc == 0)
		nb_buf_put(raw, data, len);
	free(data);
	return rc;
}

/* The id git prints for a shell command run in the record (first line). */
static int git_id(chain *ch, const char *script, char hex[GIT_OID_HEXSZ + 1])
{
	nb_buf out = NB_BUF_INIT;
	int rc = obj_sh_out(&out, "cd '%s' && export GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@x "
			    "GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@x && %s", ch->repo, script);
	rc = rc == 0 && out.len > GIT_OID_HEXSZ && out.ptr[GIT_OID_HEXSZ] == '\n' ? 0 : -1;
	if (rc == 0)
		memcpy(hex, out.ptr, GIT_OID_HEXSZ);
	hex[rc == 0 ? GIT_OID_HEXSZ : 0] = '\0';
	nb_buf_free(&out);
	return rc;
}

/* `raw` read as a loose object is `type` holding what git cat-file says. */
static int reads_as(chain *ch, const nb_buf *raw, const char *hex, git_object_t type,
		    const char *tname)
{
	nb_buf obj = NB_BUF_INIT, want = NB_BUF_INIT;
	git_object_t t = GIT_OBJECT_INVALID;
	size_t at = 0, len = 0;
	int ok = nb_audit_loose_object(&obj, &t, &at, &len, raw, SIZE_MAX) == 0 &&
		 obj_cat(ch, &want, tname, hex) == 0 && t == type && len == want.len &&
		 at + len == obj.len && (!len || !memcmp(obj.ptr + at, want.ptr, len));
	char head[48];
	int hl = snprintf(head, sizeof(head), "%s %zu", tname, want.len);
	ok = ok && at == (size_t)hl + 1 && !memcmp(obj.ptr, head, at);
	nb_buf_free(&obj);
	nb_buf_free(&want);
	return ok;
}

NB_TEST(what_git_writes_reads_back)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	char blob[41], empty[41], big[41], tree[41], commit[41], tag[41];
	NB_CHECK(git_id(&ch, "printf 'hello\\n' | git hash-object -w --stdin", blob) == 0);
	NB_CHECK(git_id(&ch, "git hash-object -w --stdin </dev/null", empty) == 0);
	NB_CHECK(git_id(&ch, "head -c 1048576 /dev/urandom | git hash-object -w --stdin",
			big) == 0);
	char script[512];
	snprintf(script, sizeof(script),
		 "printf '100644 blob %s\\tb c.txt\\n100644 blob %s\\t\xe4\xb8\xad\\n' | git mktree",
		 blob, empty);
	NB_CHECK(git_id(&ch, script, tree) == 0);
	snprintf(script, sizeof(script), "git commit-tree -m 'first' %s", tree);
	NB_CHECK(git_id(&ch, script, commit) == 0);
	snprintf(script, sizeof(script),
		 "printf 'object %s\\ntype commit\\ntag t\\ntagger T <t@x> 0 +0000\\n\\nm\\n' | "
		 "git mktag", commit);
	NB_CHECK(git_id(&ch, script, tag) == 0);
	nb_buf raw = NB_BUF_INIT;
	NB_CHECK(loose_bytes(&ch, blob, &raw) == 0 && reads_as(&ch, &raw, blob, GIT_OBJECT_BLOB,
								"blob"));
	NB_CHECK(loose_bytes(&ch, empty, &raw) == 0 && reads_as(&ch, &raw, empty, GIT_OBJECT_BLOB,
								 "blob"));
	NB_CHECK(loose_bytes(&ch, big, &raw) == 0 && reads_as(&ch, &raw, big, GIT_OBJECT_BLOB,
							       "blob"));
	NB_CHECK(loose_bytes(&ch, tree, &raw) == 0 && reads_as(&ch, &raw, tree, GIT_OBJECT_TREE,
								"tree"));
	NB_CHECK(loose_bytes(&ch, commit, &raw) == 0 &&
		 reads_as(&ch, &raw, commit, GIT_OBJECT_COMMIT, "commit"));
	NB_CHECK(loose_bytes(&ch, tag, &raw) == 0 && reads_as(&ch, &raw, tag, GIT_OBJECT_TAG,
							       "tag"));
	/* Cut short anywhere, or with a byte after the stream: refused. */
	NB_CHECK(loose_bytes(&ch, blob, &raw) == 0);
	nb_buf obj = NB_BUF_INIT, part = NB_BUF_INIT;
	git_object_t t;
	size_t at, len;
	for (size_t cut = 0; cut < raw.len; cut++) {
		nb_buf_clear(&part);
		nb_buf_put(&part, raw.ptr, cut);
		nb_buf_clear(&obj);
		NB_CHECK(nb_audit_loose_object(&obj, &t, &at, &len, &part, SIZE_MAX) == -1);
	}
	nb_buf_clear(&part);
	nb_buf_put(&part, raw.ptr, raw.len);
	nb_buf_putc(&part, '\0');
	nb_buf_clear(&obj);
	NB_CHECK(nb_audit_loose_object(&obj, &t, &at, &len, &part, SIZE_MAX) == -1);
	/* The large one cut at its middle and one byte short. */
	NB_CHECK(loose_bytes(&ch, big, &raw) == 0);
	for (int k = 0; k < 2; k++) {
		nb_buf_clear(&part);
		nb_buf_put(&part, raw.ptr, k ? raw.len - 1 : raw.len / 2);
		nb_buf_clear(&obj);
		NB_CHECK(nb_audit_loose_object(&obj, &t, &at, &len, &part, SIZE_MAX) == -1);
	}
	nb_buf_free(&obj);
	nb_buf_free(&part);
	nb_buf_free(&raw);
	chain_close(&ch);
}

/* `text` (n bytes) deflated as a loose file, then read with limit `max`. */
static int read_made(const char *text, size_t n, size_t max, size_t *len)
{
	uLongf zl = compressBound((uLong)n);
	unsigned char *z = malloc(zl);
	if (!z || compress2(z, &zl, (const Bytef *)text, (uLong)n, Z_DEFAULT_COMPRESSION) != Z_OK) {
		free(z);
		return 99;
	}
	nb_buf raw = NB_BUF_INIT, obj = NB_BUF_INIT;
	nb_buf_put(&raw, z, zl);
	git_object_t t;
	size_t at = 0;
	*len = 0;
	int rc = nb_audit_loose_object(&obj, &t, &at, len, &raw, max);
	free(z);
	nb_buf_free(&raw);
	nb_buf_free(&obj);
	return rc;
}

#define MADE(s, max, len) read_made((s), sizeof(s) - 1, (max), (len))

NB_TEST(headers_refused)
{
	size_t len;
	NB_CHECK(MADE("blob 5\0hello", SIZE_MAX, &len) == 0 && len == 5);
	NB_CHECK(MADE("blob 0\0", SIZE_MAX, &len) == 0 && len == 0);
	NB_CHECK(MADE("commit 2\0ab", SIZE_MAX, &len) == 0 && len == 2);
	NB_CHECK(MADE("blob 6\0hello", SIZE_MAX, &len) == -2);   /* size says more */
	NB_CHECK(MADE("blob 4\0hello", SIZE_MAX, &len) == -2);   /* size says less */
	NB_CHECK(MADE("blob 05\0hello", SIZE_MAX, &len) == -2);  /* leading zero */
	NB_CHECK(MADE("blob \0hello", SIZE_MAX, &len) == -2);    /* no digits */
	NB_CHECK(MADE("blob +5\0hello", SIZE_MAX, &len) == -2);
	NB_CHECK(MADE("blob 5hello", SIZE_MAX, &len) == -2);     /* no NUL */
	NB_CHECK(MADE("blobs 5\0hello", SIZE_MAX, &len) == -2);  /* no such type */
	NB_CHECK(MADE("ofs-delta 5\0hello", SIZE_MAX, &len) == -2);
	NB_CHECK(MADE("", SIZE_MAX, &len) == -2);
	NB_CHECK(MADE("blob 99999999999999999999999\0", SIZE_MAX, &len) == -2);
}

/* The limit is on the inflated bytes, header included: exactly at it
 * reads, one byte over is refused, however the chunks fall. */
NB_TEST(limit_to_the_byte)
{
	size_t len;
	NB_CHECK(MADE("blob 5\0hello", 12, &len) == 0 && len == 5);
	NB_CHECK(MADE("blob 5\0hello", 11, &len) == -1);
	/* 65,536 inflated bytes: exactly one chunk of the reader.
	 * "blob 65525\0" is 11 of them. */
	size_t n = 65536, body = 65525;
	char *big = malloc(n);
	NB_CHECK(big != NULL);
	memcpy(big, "blob 65525", 11);
	memset(big + 11, 'y', body);
	NB_CHECK(read_made(big, n, n, &len) == 0 && len == body);
	NB_CHECK(read_made(big, n, n - 1, &len) == -1);
	free(big);
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test_loose: reading a loose object hung\n";
	ssize_t w = write(2, msg, sizeof(msg) - 1);
	(void)w;
	_exit(2);
}

/* Through the record: cut short is corrupt at once; sound loose, packed,
 * and git-made objects read. */
NB_TEST(record_reports_cut_short_objects)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	signal(SIGALRM, on_alarm);
	alarm(60);
	char whole[41], cut[41], packed[41], folder[41];
	NB_CHECK(git_id(&ch, "head -c 200000 /dev/urandom | git hash-object -w --stdin", cut) == 0);
	NB_CHECK(git_id(&ch, "printf 'whole\\n' | git hash-object -w --stdin", whole) == 0);
	NB_CHECK(git_id(&ch, "printf 'folder\\n' | git hash-object -w --stdin", folder) == 0);
	NB_CHECK(git_id(&ch, "printf 'in a pack\\n' | git hash-object -w --stdin", packed) == 0);
	char script[256];
	snprintf(script, sizeof(script), "echo %s | git pack-objects -q objects/pack/pack >/dev/null"
		 " && git prune-packed && echo %s", packed, packed);
	NB_CHECK(git_id(&ch, script, packed) == 0);
	nb_buf raw = NB_BUF_INIT;
	NB_CHECK(loose_bytes(&ch, cut, &raw) == 0 && raw.len > 1000);
	NB_CHECK(chain_overwrite(&ch, cut, raw.ptr, raw.len / 2) == 0);
	/* A folder where an object's file should be. */
	char *fp = chain_loose(&ch, folder);
	NB_CHECK(unlink(fp) == 0 && mkdir(fp, 0755) == 0);
	free(fp);
	NB_CHECK(chain_reopen(&ch) == 0);
	nb_oid id;
	char *data = NULL;
	size_t len = 0;
	NB_CHECK(nb_oid_fromstr(&id, cut) == 0);
	NB_CHECK(nb_audit_read_blob(&ch.a, &id, &data, &len) != 0);
	free(data);
	data = NULL;
	const git_error *e = git_error_last();
	NB_CHECK(e && strstr(e->message, "is corrupt") && strstr(e->message, cut));
	size_t hl;
	git_object_t ht;
	NB_CHECK(git_odb_read_header(&hl, &ht, ch.a.odb, (const git_oid *)&id) < 0);
	NB_CHECK(nb_oid_fromstr(&id, folder) == 0);
	NB_CHECK(nb_audit_read_blob(&ch.a, &id, &data, &len) != 0);
	free(data);
	data = NULL;
	NB_CHECK(nb_oid_fromstr(&id, whole) == 0);
	NB_CHECK(nb_audit_read_blob(&ch.a, &id, &data, &len) == 0 && len == 6 &&
		 !memcmp(data, "whole\n", 6));
	free(data);
	data = NULL;
	NB_CHECK(nb_oid_fromstr(&id, packed) == 0);
	NB_CHECK(nb_audit_read_blob(&ch.a, &id, &data, &len) == 0 && len == 10 &&
		 !memcmp(data, "in a pack\n", 10));
	free(data);
	NB_CHECK(git_odb_read_header(&hl, &ht, ch.a.odb, (const git_oid *)&id) == 0 && hl == 10 &&
		 ht == GIT_OBJECT_BLOB);
	alarm(0);
	nb_buf_free(&raw);
	chain_close(&ch);
}

NB_TEST_MAIN("loose", NB_CASE(what_git_writes_reads_back), NB_CASE(headers_refused),
	     NB_CASE(limit_to_the_byte), NB_CASE(record_reports_cut_short_objects))

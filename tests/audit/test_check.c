/*
 * test_check.c - nb_audit_check_objects (check.c): every object the
 * publications reach read back and hashed again. A record of three
 * publications (chain_fixture.h) is damaged the ways a disk or a hand can
 * damage it - a loose object deleted, replaced or garbled, a byte of a
 * pack flipped, a folder, commit or tag gone, a tag or a tree naming an
 * object of another type - and each must be named in the report
 * (publication, object, path, missing or corrupt) and counted, while the
 * honest record, loose or packed, passes. (A read the disk refuses is an
 * I/O error: tests/e2e_record.sh injects one with strace.)
 */
#include <unistd.h>

#include "chain_fixture.h"
#include "harness.h"
#include "util/diag.h"

/* Three publications; pub-2's page differs from pub-1's, pub-3's from both. */
static void three(nb_test_state *nb__t, chain *ch)
{
	chain_open(ch);
	NB_CHECK(ch->ok);
	NB_CHECK(chain_pub(ch, "<p>first</p>\n") == 0);
	NB_CHECK(chain_pub(ch, "<p>second, with more words in it</p>\n") == 0);
	NB_CHECK(chain_pub(ch, "<p>third: another page again</p>\n") == 0);
	NB_CHECK(ch->n == 3);
}

/* Run the check on a freshly opened handle; its result. */
static int run(chain *ch, nb_buf *report, size_t *damaged)
{
	nb_buf_clear(report);
	*damaged = 99;
	if (chain_reopen(ch) != 0)
		return -2;
	return nb_audit_check_objects(&ch->a, ch->n, report, damaged);
}

static int lines(const nb_buf *b)
{
	int n = 0;
	for (size_t i = 0; i < b->len; i++)
		n += b->ptr[i] == '\n';
	return n;
}

NB_TEST(honest_record_passes)
{
	chain ch;
	three(nb__t, &ch);
	nb_buf report = NB_BUF_INIT;
	size_t damaged;
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 0 && report.len == 0);
	/* Packed as git packs it, nothing loose left: the same verdict. */
	NB_CHECK(chain_git(&ch, "repack -a -d -q") == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 0 && report.len == 0);
	NB_CHECK(!ch.a.io);
	nb_buf_free(&report);
	chain_close(&ch);
}

NB_TEST(missing_blob_named_per_publication)
{
	chain ch;
	three(nb__t, &ch);
	nb_buf report = NB_BUF_INIT;
	size_t damaged;
	char css[GIT_OID_HEXSZ + 1], page[GIT_OID_HEXSZ + 1], want[256];
	NB_CHECK(chain_rev(&ch, "pub-1:public/style.css", css) == 0);
	NB_CHECK(chain_rev(&ch, "pub-2:public/index.html", page) == 0);

	/* A page only pub-2 reaches: pub-2 alone is damaged. */
	NB_CHECK(chain_drop(&ch, page) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 1 && lines(&report) == 1);
	snprintf(want, sizeof(want),
		 "publication 2 is damaged: object %s (public/index.html) is missing\n", page);
	NB_CHECK_STR(nb_buf_cstr(&report), want);

	/* The style sheet all three reach: named for each of them. */
	NB_CHECK(chain_drop(&ch, css) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 4 && lines(&report) == 4);
	for (int n = 1; n <= 3; n++) {
		snprintf(want, sizeof(want),
			 "publication %d is damaged: object %s (public/style.css) is missing", n, css);
		NB_CHECK_CONTAINS(nb_buf_cstr(&report), want);
	}
	NB_CHECK(!ch.a.io);
	nb_buf_free(&report);
	chain_close(&ch);
}

NB_TEST(corrupt_loose_objects)
{
	chain ch;
	three(nb__t, &ch);
	nb_buf report = NB_BUF_INIT;
	size_t damaged;
	char page1[GIT_OID_HEXSZ + 1], page3[GIT_OID_HEXSZ + 1], yaml[GIT_OID_HEXSZ + 1];
	char want[256];
	NB_CHECK(chain_rev(&ch, "pub-1:public/index.html", page1) == 0);
	NB_CHECK(chain_rev(&ch, "pub-3:public/index.html", page3) == 0);
	NB_CHECK(chain_rev(&ch, "pub-1:site/site.yaml", yaml) == 0);

	/* pub-3's page replaced by pub-1's file: a whole, valid object, but
	 * not the one its id names. */
	char *from = chain_loose(&ch, page1), *data = NULL;
	size_t len = 0;
	NB_CHECK(nb_fs_read(from, 1 << 20, &data, &len) == 0);
	NB_CHECK(data && chain_overwrite(&ch, page3, data, len) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 1);
	snprintf(want, sizeof(want),
		 "publication 3 is damaged: object %s (public/index.html) is corrupt\n", page3);
	NB_CHECK_STR(nb_buf_cstr(&report), want);

	/* Bytes that are no zlib stream at all, in every publication's
	 * site.yaml (it is the same object): corrupt three times over. */
	NB_CHECK(chain_overwrite(&ch, yaml, "not an object", 13) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 4);
	snprintf(want, sizeof(want), "object %s (site/site.yaml) is corrupt", yaml);
	for (int n = 1; n <= 3; n++) {
		char line[320];
		snprintf(line, sizeof(line), "publication %d is damaged: %s", n, want);
		NB_CHECK_CONTAINS(nb_buf_cstr(&report), line);
	}

	NB_CHECK(!ch.a.io);
	free(data);
	free(from);
	nb_buf_free(&report);
	chain_close(&ch);
}

/* A loose object cut short, at half its length or by its last byte (the
 * zlib checksum), or with bytes after its stream: corrupt, said at once.
 * libgit2 1.5 read a cut-short one forever (loose.c); alarm() turns a
 * hang back into a failure of this suite. */
NB_TEST(cut_short_loose_object)
{
	chain ch;
	three(nb__t, &ch);
	nb_buf report = NB_BUF_INIT;
	size_t damaged;
	char page[GIT_OID_HEXSZ + 1], want[256];
	NB_CHECK(chain_rev(&ch, "pub-2:public/index.html", page) == 0);
	char *path = chain_loose(&ch, page), *data = NULL;
	size_t len = 0;
	NB_CHECK(nb_fs_read(path, 1 << 20, &data, &len) == 0 && len > 8);
	snprintf(want, sizeof(want),
		 "publication 2 is damaged: object %s (public/index.html) is corrupt\n", page);
	const size_t cuts[] = { len / 2, len - 1 };
	alarm(60);
	for (size_t i = 0; i < 2 && data; i++) {
		NB_CHECK(chain_overwrite(&ch, page, data, cuts[i]) == 0);
		NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 1);
		NB_CHECK_STR(nb_buf_cstr(&report), want);
	}
	char *longer = malloc(len + 4);
	memcpy(longer, data, len);
	memcpy(longer + len, "junk", 4);
	NB_CHECK(chain_overwrite(&ch, page, longer, len + 4) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 1);
	NB_CHECK_STR(nb_buf_cstr(&report), want);
	/* Put back whole, it reads again. */
	NB_CHECK(chain_overwrite(&ch, page, data, len) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 0 && report.len == 0);
	alarm(0);
	NB_CHECK(!ch.a.io);
	free(longer);
	free(data);
	free(path);
	nb_buf_free(&report);
	chain_close(&ch);
}

NB_TEST(missing_folder_commit_and_tag)
{
	chain ch;
	three(nb__t, &ch);
	nb_buf report = NB_BUF_INIT;
	size_t damaged;
	char pub[GIT_OID_HEXSZ + 1], commit[GIT_OID_HEXSZ + 1], tag[GIT_OID_HEXSZ + 1];
	char want[256];
	NB_CHECK(chain_rev(&ch, "pub-1:public", pub) == 0);
	NB_CHECK(chain_rev(&ch, "pub-2^{commit}", commit) == 0);
	NB_CHECK(chain_rev(&ch, "pub-3", tag) == 0);

	/* pub-1's public/ folder (its own: its page is pub-1's alone). */
	NB_CHECK(chain_drop(&ch, pub) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 1);
	snprintf(want, sizeof(want),
		 "publication 1 is damaged: folder %s (public) is missing\n", pub);
	NB_CHECK_STR(nb_buf_cstr(&report), want);

	/* pub-2's commit. */
	NB_CHECK(chain_drop(&ch, commit) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 2);
	snprintf(want, sizeof(want),
		 "publication 2 is damaged: commit %s (the commit of pub-2) is missing", commit);
	NB_CHECK_CONTAINS(nb_buf_cstr(&report), want);

	/* pub-3's tag object: the name auditors use points at nothing. */
	NB_CHECK(chain_drop(&ch, tag) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 3);
	snprintf(want, sizeof(want), "publication 3 is damaged: tag %s (the tag of pub-3) is "
		 "missing\n", tag);
	NB_CHECK_CONTAINS(nb_buf_cstr(&report), want);
	NB_CHECK(!ch.a.io);
	/* Said so in the site's language too. */
	const char *line3 = strstr(nb_buf_cstr(&report), "publication 3");
	char *en = strndup(line3 ? line3 : "", strcspn(line3 ? line3 : "", "\n"));
	char *zh = nb_diag_translate("zh-CN", "audit", en);
	free(en);
	snprintf(want, sizeof(want), "第 3 次公示已损坏：标签 %s（pub-3 的标签）缺失", tag);
	NB_CHECK_CONTAINS(zh, want);
	free(zh);
	nb_buf_free(&report);
	chain_close(&ch);
}

/* A record from before tag objects: pub-N names its commit, and that
 * commit gone is the commit's damage, not a tag's. */
NB_TEST(missing_commit_named_directly_by_its_ref)
{
	chain ch;
	three(nb__t, &ch);
	nb_buf report = NB_BUF_INIT;
	size_t damaged;
	char c3[GIT_OID_HEXSZ + 1], c2[GIT_OID_HEXSZ + 1], want[256];
	nb_oid_tostr(c2, sizeof(c2), &ch.c[2]);
	nb_oid_tostr(c3, sizeof(c3), &ch.c[3]);
	for (int n = 1; n <= 3; n++) {
		char hex[GIT_OID_HEXSZ + 1];
		nb_oid_tostr(hex, sizeof(hex), &ch.c[n]);
		NB_CHECK(chain_git(&ch, "update-ref refs/tags/pub-%d %s", n, hex) == 0);
	}
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 0);
	/* One below the tip, known as a commit by its child's parent. */
	NB_CHECK(chain_drop(&ch, c2) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 1);
	snprintf(want, sizeof(want), "publication 2 is damaged: commit %s (the commit of pub-2) "
		 "is missing\n", c2);
	NB_CHECK_STR(nb_buf_cstr(&report), want);
	/* The tip itself, known by the branch. */
	NB_CHECK(chain_drop(&ch, c3) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 2);
	snprintf(want, sizeof(want), "publication 3 is damaged: commit %s (the commit of pub-3) "
		 "is missing\n", c3);
	NB_CHECK_CONTAINS(nb_buf_cstr(&report), want);
	nb_buf_free(&report);
	chain_close(&ch);
}

NB_TEST(tag_naming_a_blob)
{
	chain ch;
	three(nb__t, &ch);
	nb_buf report = NB_BUF_INIT;
	size_t damaged;
	char css[GIT_OID_HEXSZ + 1], want[256];
	NB_CHECK(chain_rev(&ch, "pub-1:public/style.css", css) == 0);
	/* pub-2 forced onto a blob: no tag, no commit, nothing to walk. */
	NB_CHECK(chain_git(&ch, "update-ref refs/tags/pub-2 %s", css) == 0);
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 1);
	snprintf(want, sizeof(want), "publication 2 is damaged: commit %s (the commit of pub-2) "
		 "is corrupt\n", css);
	NB_CHECK_STR(nb_buf_cstr(&report), want);
	nb_buf_free(&report);
	chain_close(&ch);
}

/* The offset and size in the pack of object `hex` (git verify-pack). */
static int pack_entry(chain *ch, const char *hex, long *off, long *size)
{
	char line[512];
	if (chain_git_out(ch, line, sizeof(line),
			  "verify-pack -v '%s'/objects/pack/*.idx | grep '^%s '", ch->repo, hex) != 0)
		return -1;
	char type[16];
	long osize;
	return sscanf(line + GIT_OID_HEXSZ, " %15s %ld %ld %ld", type, &osize, size, off) == 4
		       ? 0 : -1;
}

NB_TEST(flipped_byte_in_a_pack)
{
	chain ch;
	three(nb__t, &ch);
	nb_buf report = NB_BUF_INIT;
	size_t damaged;
	char page[GIT_OID_HEXSZ + 1], want[256], found[512] = "";
	NB_CHECK(chain_git(&ch, "repack -a -d -q") == 0);
	NB_CHECK(chain_rev(&ch, "pub-2:public/index.html", page) == 0);
	long off = 0, size = 0;
	NB_CHECK(pack_entry(&ch, page, &off, &size) == 0 && size > 4);
	/* The pack file itself (git names it by its content). */
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "ls %s/objects/pack/pack-*.pack", ch.repo);
	FILE *ls = popen(cmd, "r");
	if (ls && fgets(found, sizeof(found), ls))
		found[strcspn(found, "\n")] = '\0';
	if (ls)
		pclose(ls);
	NB_CHECK(found[0] != '\0');
	/* One byte in the middle of the entry's compressed data. */
	FILE *f = found[0] ? fopen(found, "r+b") : NULL;
	NB_CHECK(f != NULL);
	if (f) {
		long at = off + size / 2 + 1;
		fseek(f, at, SEEK_SET);
		int c = fgetc(f);
		fseek(f, at, SEEK_SET);
		fputc(c ^ 0x20, f);
		fclose(f);
	}
	NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged >= 1);
	snprintf(want, sizeof(want),
		 "publication 2 is damaged: object %s (public/index.html) is corrupt", page);
	NB_CHECK_CONTAINS(nb_buf_cstr(&report), want);
	NB_CHECK(!strstr(nb_buf_cstr(&report), "publication 1 "));
	NB_CHECK(!ch.a.io);
	nb_buf_free(&report);
	chain_close(&ch);
}

/* Record publication 4 (parent pub-3) whose root tree holds one entry
 * `name` of `mode` naming the object `hex`, written as git writes a tree
 * (hash-object --literally would do the same). 0 or -1. */
static int pub_with_entry(chain *ch, const char *mode, const char *name, const char *hex)
{
	unsigned char raw[256];
	nb_oid id, tree, commit;
	int len = snprintf((char *)raw, sizeof(raw), "%s %s", mode, name) + 1;
	if (nb_oid_fromstr(&id, hex) != 0)
		return -1;
	memcpy(raw + len, id.id, NB_OID_RAWSZ);
	len += NB_OID_RAWSZ;
	nb_signature *sig = NULL;
	int rc = git_odb_write(to_git_w(&tree), ch->a.odb, raw, (size_t)len, GIT_OBJECT_TREE) < 0 ||
		 nb_audit_signature_parse(&sig, "Test <t@example.org>") != 0 ? -1 : 0;
	if (rc == 0)
		rc = nb_audit_commit(&ch->a, &tree, &ch->c[3], 4, "Publication 4: test", sig, NULL,
				     &commit);
	if (rc == 0)
		ch->n = 4;
	nb_signature_free(sig);
	return rc;
}

NB_TEST(object_of_the_wrong_type)
{
	char css[GIT_OID_HEXSZ + 1], pub[GIT_OID_HEXSZ + 1], want[256];
	nb_buf report = NB_BUF_INIT;
	size_t damaged;
	for (int folder = 0; folder < 2; folder++) {
		chain ch;
		three(nb__t, &ch);
		NB_CHECK(chain_rev(&ch, "pub-1:public/style.css", css) == 0);
		NB_CHECK(chain_rev(&ch, "pub-1:public", pub) == 0);
		/* pub-4's "public" is a folder naming a blob that pub-1..3 hold
		 * whole, or its "page.html" a file naming their folder: every
		 * object is there and hashes right, but the tree cannot be read
		 * (git show pub-4:public fails), whichever was read first. */
		if (folder)
			NB_CHECK(pub_with_entry(&ch, "40000", "public", css) == 0);
		else
			NB_CHECK(pub_with_entry(&ch, "100644", "page.html", pub) == 0);
		NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 1);
		if (folder)
			snprintf(want, sizeof(want),
				 "publication 4 is damaged: folder %s (public) is corrupt\n", css);
		else
			snprintf(want, sizeof(want),
				 "publication 4 is damaged: object %s (page.html) is corrupt\n", pub);
		NB_CHECK_STR(nb_buf_cstr(&report), want);
		/* Publication 4 alone: the objects themselves stay whole for
		 * publications 1..3, read after it or before. */
		NB_CHECK(chain_reopen(&ch) == 0);
		nb_buf_clear(&report);
		NB_CHECK(nb_audit_check_objects(&ch.a, 4, &report, &damaged) == 0 && damaged == 1);
		NB_CHECK(!strstr(nb_buf_cstr(&report), "publication 1"));
		chain_close(&ch);
	}
	nb_buf_free(&report);
}

/* A repository made by someone else may name a file anything git allows,
 * line breaks included: the name of a damaged file must not write lines
 * of the report of its own ("verified" below reads as a verdict). */
NB_TEST(damaged_name_stays_one_line)
{
	static const char *const names[] = {
		"x\nverified: all good", "x\rpublication 4 is whole", "a\r\nb",
	};
	static const char *const shown[] = {
		"x\\x0averified: all good", "x\\x0dpublication 4 is whole", "a\\x0d\\x0ab",
	};
	/* An object no publication holds: missing wherever it is named. */
	const char *gone = "0123456789abcdef0123456789abcdef01234567";
	nb_buf report = NB_BUF_INIT;
	size_t damaged;
	char want[256];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		chain ch;
		three(nb__t, &ch);
		NB_CHECK(pub_with_entry(&ch, "100644", names[i], gone) == 0);
		NB_CHECK(run(&ch, &report, &damaged) == 0 && damaged == 1);
		snprintf(want, sizeof(want), "publication 4 is damaged: object %s (%s) is missing\n",
			 gone, shown[i]);
		NB_CHECK_STR(nb_buf_cstr(&report), want);
		NB_CHECK(lines(&report) == 1 && !memchr(report.ptr, '\r', report.len));
		chain_close(&ch);
	}
	nb_buf_free(&report);
}

NB_TEST_MAIN("check", NB_CASE(honest_record_passes), NB_CASE(missing_blob_named_per_publication),
	     NB_CASE(corrupt_loose_objects), NB_CASE(cut_short_loose_object),
	     NB_CASE(missing_folder_commit_and_tag),
	     NB_CASE(tag_naming_a_blob),
	     NB_CASE(missing_commit_named_directly_by_its_ref), NB_CASE(flipped_byte_in_a_pack),
	     NB_CASE(object_of_the_wrong_type), NB_CASE(damaged_name_stays_one_line))

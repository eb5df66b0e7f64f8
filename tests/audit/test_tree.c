/*
 * test_tree.c - a publication's trees (tree.c) against git's own: the
 * same file list given to `git update-index --index-info` and `git
 * write-tree` must give the same ids, `git ls-tree` must list entries in
 * git's order (a folder sorts as if its name ended in '/': `a.b` before
 * the folder `a`, `a0` after it), and `git fsck --strict` must find the
 * trees sound - with spaces, Chinese and other non-ASCII names, names
 * libgit2 judges (leading dot, `g`), 60 levels of folders, no files at
 * all. A re-publish writes only the folders that changed; a blob the
 * list names but the record lacks is written from its file, unless the
 * file changed meanwhile; a folder or file kept from the last publication
 * that the record lost stops the publish.
 */
#include <git2.h>

#include "harness.h"
#include "objects_fixture.h"

static const char EMPTY_TREE[] = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

static const char *const PATHS[] = {
	"a.b", "a/x", "a/y/z", "a/.hidden", "a-b", "a0", "ab", "a b/c d.txt", "Z",
	"foo/bar", "foo.bar", "foo-bar", "foo0", "gallery/g.png", ".well-known/security.txt",
	"\xc3\xa9", "\xe4\xb8\xad\xe6\x96\x87/\xe4\xbc\x9a\xe8\xae\xae \xe8\xae\xb0\xe5\xbd\x95.md",
	"\xe4\xb8\xad\xe6\x96\x87.txt",
};
enum { NPATHS = sizeof(PATHS) / sizeof(PATHS[0]) };

/* The root's entries in git's order, worked out by hand: bytes compared,
 * a folder's name followed by '/' (0x2f), which sorts after ' ' '-' '.'
 * and before '0'. */
static const char ROOT_ORDER[] =
	".well-known\nZ\na b\na-b\na.b\na\na0\nab\ndeep\nfoo-bar\nfoo.bar\nfoo\nfoo0\n"
	"gallery\n\xc3\xa9\n\xe4\xb8\xad\xe6\x96\x87.txt\n\xe4\xb8\xad\xe6\x96\x87\n";

/* Blobs holding "<path>\n", pushed to `f` with a 60-level deep file. */
static int make_list(chain *ch, nb_audit_files *f, const char *change)
{
	nb_buf deep = NB_BUF_INIT, text = NB_BUF_INIT;
	nb_buf_puts(&deep, "deep");
	for (int i = 1; i <= 60; i++)
		nb_buf_printf(&deep, "/d%d", i);
	nb_buf_puts(&deep, "/leaf.txt");
	int rc = 0;
	for (size_t i = 0; i <= NPATHS && rc == 0; i++) {
		const char *p = i < NPATHS ? PATHS[i] : nb_buf_cstr(&deep);
		nb_buf_clear(&text);
		nb_buf_printf(&text, "%s%s\n", p, change && !strcmp(p, change) ? " (changed)" : "");
		nb_oid id;
		rc = nb_audit_write_blob(&ch->a, text.ptr, text.len, &id);
		nb_audit_files_push(f, p, &id);
	}
	nb_buf_free(&deep);
	nb_buf_free(&text);
	nb_audit_files_sort(f);
	return rc;
}

/* git's tree id for the same list, made through a throw-away index. */
static int git_tree_of(chain *ch, const nb_audit_files *f, char hex[GIT_OID_HEXSZ + 1])
{
	nb_buf info = NB_BUF_INIT, out = NB_BUF_INIT;
	char h[GIT_OID_HEXSZ + 1];
	for (size_t i = 0; i < f->len; i++)
		nb_buf_printf(&info, "100644 %s\t%s\n", nb_oid_tostr(h, sizeof(h), &f->items[i].id),
			      f->items[i].path);
	char *list = nb_path_join(ch->dir, "index-info"), *index = nb_path_join(ch->dir, "index");
	unlink(index);
	int rc = nb_fs_write(list, info.ptr ? info.ptr : "", info.len) == 0 &&
		 obj_sh_out(&out, "export GIT_INDEX_FILE='%s'; git -C '%s' update-index "
			    "--index-info < '%s' && git -C '%s' write-tree", index, ch->repo, list,
			    ch->repo) == 0 && out.len == GIT_OID_HEXSZ + 1 ? 0 : -1;
	if (rc == 0)
		memcpy(hex, out.ptr, GIT_OID_HEXSZ);
	hex[rc == 0 ? GIT_OID_HEXSZ : 0] = '\0';
	free(list);
	free(index);
	nb_buf_free(&info);
	nb_buf_free(&out);
	return rc;
}

static int hash_and_write(chain *ch, const nb_audit_files *f, const git_tree *old,
			  const nb_audit_root *roots, char hex[GIT_OID_HEXSZ + 1])
{
	nb_audit_tree *t = NULL;
	nb_oid id;
	int rc = nb_audit_tree_hash(&ch->a, f, &t);
	rc = rc ? rc : nb_audit_tree_write(&ch->a, t, NULL, old, roots);
	rc = rc ? rc : nb_audit_tree_id(t, NULL, &id);
	nb_oid_tostr(hex, GIT_OID_HEXSZ + 1, &id);
	nb_audit_tree_free(t);
	return rc;
}

NB_TEST(same_trees_as_git)
{
	chain ch;
	chain_open(&ch);
	nb_audit_files f = { 0 };
	NB_CHECK(ch.ok && make_list(&ch, &f, NULL) == 0);
	char ours[GIT_OID_HEXSZ + 1], gits[GIT_OID_HEXSZ + 1];
	nb_audit_tree *t = NULL;
	NB_CHECK(nb_audit_tree_hash(&ch.a, &f, &t) == 0);
	/* Hashed before anything is written: git agrees already. */
	nb_oid id;
	NB_CHECK(nb_audit_tree_id(t, NULL, &id) == 0);
	NB_CHECK(git_tree_of(&ch, &f, gits) == 0);
	NB_CHECK_STR(nb_oid_tostr(ours, sizeof(ours), &id), gits);
	NB_CHECK(nb_audit_tree_write(&ch.a, t, NULL, NULL, NULL) == 0);
	NB_CHECK(obj_fsck(&ch) == 0);
	nb_buf out = NB_BUF_INIT;
	NB_CHECK(obj_sh_out(&out, "git -C '%s' -c core.quotePath=false ls-tree --name-only %s",
			    ch.repo, ours) == 0);
	NB_CHECK_STR(nb_buf_cstr(&out), ROOT_ORDER);
	/* A folder's id, as git names it. */
	char sub[GIT_OID_HEXSZ + 1];
	NB_CHECK(nb_audit_tree_id(t, "\xe4\xb8\xad\xe6\x96\x87", &id) == 0);
	NB_CHECK(chain_git_out(&ch, sub, sizeof(sub), "rev-parse %s:\xe4\xb8\xad\xe6\x96\x87",
			       ours) == 0);
	NB_CHECK_STR(nb_oid_tostr(ours, sizeof(ours), &id), sub);
	NB_CHECK(nb_audit_tree_id(t, "a.b", &id) == NB_AUDIT_ENOTFOUND);  /* a file */
	/* Every file with its path and id, listed back from git. */
	NB_CHECK(obj_sh_out(&out, "git -C '%s' -c core.quotePath=false ls-tree -r %s | wc -l",
			    ch.repo, gits) == 0);
	NB_CHECK_STR(nb_buf_cstr(&out), "19\n");
	nb_audit_tree_free(t);
	nb_buf_free(&out);
	nb_audit_files_free(&f);
	chain_close(&ch);
}

NB_TEST(listed_back)
{
	chain ch;
	chain_open(&ch);
	nb_audit_files f = { 0 }, back = { 0 }, sub = { 0 };
	char hex[GIT_OID_HEXSZ + 1];
	NB_CHECK(ch.ok && make_list(&ch, &f, NULL) == 0);
	NB_CHECK(hash_and_write(&ch, &f, NULL, NULL, hex) == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	git_oid id;
	git_tree *tree = NULL;
	NB_CHECK(git_oid_fromstr(&id, hex) == 0 && git_tree_lookup(&tree, ch.a.repo, &id) == 0);
	if (!tree) {
		nb_audit_files_free(&f);
		chain_close(&ch);
		return;
	}
	NB_CHECK(nb_audit_tree_files(&ch.a, tree, "", &back) == 0);
	NB_CHECK(back.len == f.len);
	for (size_t i = 0; i < f.len && i < back.len; i++) {
		NB_CHECK_STR(back.items[i].path, f.items[i].path);
		NB_CHECK(nb_oid_equal(&back.items[i].id, &f.items[i].id));
	}
	NB_CHECK(nb_audit_tree_files(&ch.a, tree, "a", &sub) == 0 && sub.len == 3);
	if (sub.len == 3) {
		NB_CHECK_STR(sub.items[0].path, ".hidden");
		NB_CHECK_STR(sub.items[1].path, "x");
		NB_CHECK_STR(sub.items[2].path, "y/z");
	}
	git_tree_free(tree);
	nb_audit_files_free(&f);
	nb_audit_files_free(&back);
	nb_audit_files_free(&sub);
	chain_close(&ch);
}

NB_TEST(no_files_is_the_empty_tree)
{
	chain ch;
	chain_open(&ch);
	nb_audit_files f = { 0 };
	nb_oid id;
	char hex[GIT_OID_HEXSZ + 1];
	NB_CHECK(ch.ok && nb_audit_write_tree(&ch.a, &f, &id) == 0);
	NB_CHECK_STR(nb_oid_tostr(hex, sizeof(hex), &id), EMPTY_TREE);
	nb_buf out = NB_BUF_INIT;
	NB_CHECK(obj_cat(&ch, &out, "-t", EMPTY_TREE) == 0);
	NB_CHECK_STR(nb_buf_cstr(&out), "tree\n");
	/* The same in a pack of ours (held, then loose). */
	NB_CHECK(chain_reopen(&ch) == 0 && nb_audit_pack_begin(&ch.a) == 0);
	NB_CHECK(nb_audit_write_tree(&ch.a, &f, &id) == 0 && nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK(obj_fsck(&ch) == 0);
	nb_buf_free(&out);
	chain_close(&ch);
}

/* The same trees when every object goes to a pack of ours. */
NB_TEST(same_trees_in_a_pack)
{
	chain ch;
	chain_open(&ch);
	nb_audit_files f = { 0 };
	NB_CHECK(ch.ok && nb_audit_pack_begin(&ch.a) == 0);
	/* Enough objects that the pack file is started. */
	char buf[32];
	for (int i = 0; i < 120; i++) {
		nb_oid id;
		snprintf(buf, sizeof(buf), "filler/%03d", i);
		NB_CHECK(nb_audit_write_blob(&ch.a, buf, strlen(buf), &id) == 0);
		nb_audit_files_push(&f, buf, &id);
	}
	NB_CHECK(make_list(&ch, &f, NULL) == 0);
	char ours[GIT_OID_HEXSZ + 1], gits[GIT_OID_HEXSZ + 1];
	NB_CHECK(hash_and_write(&ch, &f, NULL, NULL, ours) == 0);
	NB_CHECK(nb_audit_pack_end(&ch.a) == 0);
	NB_CHECK(obj_pack_count(&ch, "pack-", ".pack") == 1 && obj_loose_count(&ch) == 0);
	NB_CHECK(obj_fsck(&ch) == 0);
	NB_CHECK(git_tree_of(&ch, &f, gits) == 0);
	NB_CHECK_STR(ours, gits);
	nb_audit_files_free(&f);
	chain_close(&ch);
}

/* A re-publish with one file changed writes that blob and the three
 * folders above it (a/y, a, the root), nothing else. */
NB_TEST(republish_writes_what_changed)
{
	chain ch;
	chain_open(&ch);
	nb_audit_files f = { 0 }, g = { 0 };
	char first[GIT_OID_HEXSZ + 1], second[GIT_OID_HEXSZ + 1], gits[GIT_OID_HEXSZ + 1];
	NB_CHECK(ch.ok && make_list(&ch, &f, NULL) == 0);
	NB_CHECK(hash_and_write(&ch, &f, NULL, NULL, first) == 0);
	int before = obj_loose_count(&ch);
	NB_CHECK(make_list(&ch, &g, "a/y/z") == 0);
	NB_CHECK(obj_loose_count(&ch) == before + 1);
	git_oid id;
	git_tree *old = NULL;
	NB_CHECK(git_oid_fromstr(&id, first) == 0 && git_tree_lookup(&old, ch.a.repo, &id) == 0);
	NB_CHECK(hash_and_write(&ch, &g, old, NULL, second) == 0);
	NB_CHECK(obj_loose_count(&ch) == before + 4);
	NB_CHECK(git_tree_of(&ch, &g, gits) == 0);
	NB_CHECK_STR(second, gits);
	NB_CHECK(strcmp(first, second) != 0);
	NB_CHECK(obj_fsck(&ch) == 0);
	git_tree_free(old);
	nb_audit_files_free(&f);
	nb_audit_files_free(&g);
	chain_close(&ch);
}

/* A re-publish keeps what the last publication recorded unchanged
 * without writing it again, so it must find it there: a kept folder or
 * file the record lost stops the publish with the damage named (the
 * publication would name an object nobody has), and once it is back the
 * same publish goes through. */
NB_TEST(kept_entries_must_be_there)
{
	static const char *const gone[] = { "foo", "a0" };
	for (size_t k = 0; k < 2; k++) {
		chain ch;
		chain_open(&ch);
		nb_audit_files f = { 0 }, g = { 0 };
		char first[GIT_OID_HEXSZ + 1], second[GIT_OID_HEXSZ + 1];
		NB_CHECK(ch.ok && make_list(&ch, &f, NULL) == 0);
		NB_CHECK(hash_and_write(&ch, &f, NULL, NULL, first) == 0);
		NB_CHECK(make_list(&ch, &g, "a/y/z") == 0);
		git_oid id, lost;
		git_tree *old = NULL;
		NB_CHECK(git_oid_fromstr(&id, first) == 0 &&
			 git_tree_lookup(&old, ch.a.repo, &id) == 0);
		const git_tree_entry *e = old ? git_tree_entry_byname(old, gone[k]) : NULL;
		NB_CHECK(e != NULL);
		if (!e) {
			git_tree_free(old);
			chain_close(&ch);
			continue;
		}
		git_oid_cpy(&lost, git_tree_entry_id(e));
		char *saved = NULL, *path = obj_loose_path(&ch, &lost), hex[GIT_OID_HEXSZ + 1];
		size_t len = 0;
		git_oid_tostr(hex, sizeof(hex), &lost);
		NB_CHECK(nb_fs_read(path, 1 << 20, &saved, &len) == 0);
		NB_CHECK(unlink(path) == 0);
		NB_CHECK(hash_and_write(&ch, &g, old, NULL, second) != 0);
		NB_CHECK_CONTAINS(ch.a.err, "the audit repository is damaged");
		NB_CHECK_CONTAINS(ch.a.err, k ? "file a0" : "folder foo");
		NB_CHECK_CONTAINS(ch.a.err, hex);
		/* Put back: the same publish goes through. */
		NB_CHECK(saved && nb_fs_write(path, saved, len) == 0);
		ch.a.err[0] = '\0';
		NB_CHECK(hash_and_write(&ch, &g, old, NULL, second) == 0);
		NB_CHECK(obj_fsck(&ch) == 0);
		free(saved);
		free(path);
		git_tree_free(old);
		nb_audit_files_free(&f);
		nb_audit_files_free(&g);
		chain_close(&ch);
	}
}

/* A blob the list names but the record lacks comes from its file; a file
 * that no longer holds those bytes stops the publish. */
NB_TEST(missing_blob_from_its_file)
{
	chain ch;
	chain_open(&ch);
	char *pub = nb_path_join(ch.dir, "out");
	static const char page[] = "<p>\xe4\xb8\xad\xe6\x96\x87</p>\n";
	NB_CHECK(ch.ok && obj_put(pub, "\xe4\xb8\xad/a page.html", page, sizeof(page) - 1) == 0);
	char want[GIT_OID_HEXSZ + 1];
	NB_CHECK(obj_git_hash(pub, "\xe4\xb8\xad/a page.html", want) == 0);
	nb_audit_files f = { 0 };
	nb_oid id;
	NB_CHECK(nb_oid_fromstr(&id, want) == 0);
	nb_audit_files_push(&f, "public/\xe4\xb8\xad/a page.html", &id);
	nb_audit_root roots[] = { { "public/", pub }, { NULL, NULL } };
	char hex[GIT_OID_HEXSZ + 1];
	/* Without a root for it: named as missing. */
	NB_CHECK(hash_and_write(&ch, &f, NULL, NULL, hex) != 0);
	NB_CHECK_CONTAINS(ch.a.err, want);
	NB_CHECK_CONTAINS(ch.a.err, "is missing");
	NB_CHECK(hash_and_write(&ch, &f, NULL, roots, hex) == 0);
	nb_buf out = NB_BUF_INIT;
	NB_CHECK(obj_cat(&ch, &out, "-p", want) == 0);
	NB_CHECK_STR(nb_buf_cstr(&out), page);
	NB_CHECK(obj_fsck(&ch) == 0);
	/* Another list naming bytes the file no longer holds. */
	nb_audit_files g = { 0 };
	NB_CHECK(nb_oid_fromstr(&id, "0123456789012345678901234567890123456789") == 0);
	nb_audit_files_push(&g, "public/\xe4\xb8\xad/a page.html", &id);
	NB_CHECK(hash_and_write(&ch, &g, NULL, roots, hex) != 0);
	NB_CHECK_CONTAINS(ch.a.err, "changed while it was being published");
	nb_buf_free(&out);
	nb_audit_files_free(&f);
	nb_audit_files_free(&g);
	free(pub);
	chain_close(&ch);
}

/* Names git forbids in a tree are refused, with the message libgit2
 * gives, whichever path the folder's writing takes. */
NB_TEST(forbidden_names_refused)
{
	static const char *const bad[] = { "public/.git/config", "public/GIT~1/x", "public/.." };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		chain ch;
		chain_open(&ch);
		nb_audit_files f = { 0 };
		nb_oid id;
		NB_CHECK(ch.ok && nb_audit_write_blob(&ch.a, "x\n", 2, &id) == 0);
		nb_audit_files_push(&f, "public/page.html", &id);
		nb_audit_files_push(&f, bad[i], &id);
		nb_audit_files_sort(&f);
		char hex[GIT_OID_HEXSZ + 1];
		NB_CHECK(hash_and_write(&ch, &f, NULL, NULL, hex) != 0);
		NB_CHECK_CONTAINS(ch.a.err, "cannot add a");
		nb_audit_files_free(&f);
		chain_close(&ch);
	}
}

NB_TEST_MAIN("tree", NB_CASE(same_trees_as_git), NB_CASE(listed_back),
	     NB_CASE(no_files_is_the_empty_tree), NB_CASE(same_trees_in_a_pack),
	     NB_CASE(republish_writes_what_changed), NB_CASE(kept_entries_must_be_there),
	     NB_CASE(missing_blob_from_its_file),
	     NB_CASE(forbidden_names_refused))

/*
 * test_audit.c - unit tests for the publication record's pure parts: the
 * line diff, publication names, publisher parsing, and trees written from
 * file lists (object reuse, determinism) in a throw-away bare repository.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "config.h"
#include "fs.h"
#include "harness.h"
#include "textdiff.h"

static void udiff(nb_buf *b, const char *x, const char *y)
{
	nb_buf_clear(b);
	nb_textdiff_unified(b, x, strlen(x), y, strlen(y), "a", "b", 1);
}

NB_TEST(textdiff_basics)
{
	nb_buf b = NB_BUF_INIT;
	NB_CHECK(nb_textdiff_unified(&b, "a\nb\n", 4, "a\nb\n", 4, "a", "b", 3) == 0);
	NB_CHECK(b.len == 0);
	udiff(&b, "a\nb\nc\n", "a\nB\nc\n");
	NB_CHECK_STR(nb_buf_cstr(&b), "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
	udiff(&b, "", "x\n");
	NB_CHECK_STR(nb_buf_cstr(&b), "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n");
	udiff(&b, "x", "x\n");
	NB_CHECK_CONTAINS(nb_buf_cstr(&b), "\\ No newline at end of file");
	/* Two changes far apart: two hunks. */
	udiff(&b, "1\n2\n3\n4\n5\n6\n7\n8\n", "1\nX\n3\n4\n5\n6\nY\n8\n");
	NB_CHECK_CONTAINS(nb_buf_cstr(&b), "@@ -1,3 +1,3 @@");
	NB_CHECK_CONTAINS(nb_buf_cstr(&b), "@@ -6,3 +6,3 @@");
	nb_buf_free(&b);
}

NB_TEST(pub_names)
{
	NB_CHECK(nb_audit_parse_pub("3") == 3);
	NB_CHECK(nb_audit_parse_pub("pub-12") == 12);
	NB_CHECK(nb_audit_parse_pub("pub-") == 0);
	NB_CHECK(nb_audit_parse_pub("x3") == 0);
	NB_CHECK(nb_audit_parse_pub("") == 0);
}

NB_TEST(publisher)
{
	git_libgit2_init();
	git_signature *s = NULL;
	NB_CHECK(nb_audit_signature_parse(&s, "Li Mei <limei@example.org>") == 0);
	if (s) {
		NB_CHECK_STR(s->name, "Li Mei");
		NB_CHECK_STR(s->email, "limei@example.org");
	}
	git_signature_free(s);
	s = NULL;
	NB_CHECK(nb_audit_signature_parse(&s, "nobody") != 0);
	NB_CHECK(nb_audit_signature_parse(&s, "<a@b>") != 0);
	git_libgit2_shutdown();
}

static void add(nb_audit_files *f, nb_audit *a, const char *path, const char *text)
{
	git_oid id;
	nb_audit_write_blob(a, text, strlen(text), &id);
	if (f->len == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->items = realloc(f->items, f->cap * sizeof(*f->items));
	}
	f->items[f->len].path = strdup(path);
	f->items[f->len].id = id;
	f->len++;
}

NB_TEST(trees_reuse_objects)
{
	char dir[] = "/tmp/nb-test-audit.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	nb_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.site_dir = dir;
	cfg.audit_repo = nb_path_join(dir, "audit.git");
	cfg.audit_branch = "publications";
	cfg.output_path = nb_path_join(dir, "public");
	nb_audit a;
	NB_CHECK(nb_audit_open(&a, &cfg, 1) == 0);
	nb_audit_files f = { 0 };
	add(&f, &a, "site/content/b.md", "b\n");
	add(&f, &a, "site/content/a.md", "a\n");
	add(&f, &a, "site/content.md", "x\n");   /* sorts between "site/content/..." runs */
	add(&f, &a, "public/index.html", "<p>\n");
	nb_audit_files_sort(&f);
	git_oid t1, t2;
	NB_CHECK(nb_audit_write_tree(&a, &f, &t1) == 0);
	NB_CHECK(nb_audit_write_tree(&a, &f, &t2) == 0);
	NB_CHECK(git_oid_equal(&t1, &t2));
	git_tree *tree = NULL;
	NB_CHECK(git_tree_lookup(&tree, a.repo, &t1) == 0);
	nb_audit_files back = { 0 };
	NB_CHECK(nb_audit_tree_files(&a, tree, "site", &back) == 0);
	NB_CHECK(back.len == 3);
	if (back.len == 3) {
		NB_CHECK_STR(back.items[0].path, "content.md");
		NB_CHECK_STR(back.items[1].path, "content/a.md");
		NB_CHECK(nb_audit_files_find(&back, "content/b.md") == 2);
	}
	/* Changing one file keeps the other folder's tree id. */
	git_tree_entry *pub1 = NULL, *pub2 = NULL;
	git_tree_entry_bypath(&pub1, tree, "public");
	git_tree_free(tree);
	tree = NULL;
	nb_audit_files_free(&back);
	free(f.items[2].path);
	f.items[2].path = strdup("site/content/b.md");
	git_oid nb;
	nb_audit_write_blob(&a, "b2\n", 3, &nb);
	f.items[2].id = nb;
	NB_CHECK(nb_audit_write_tree(&a, &f, &t2) == 0);
	NB_CHECK(!git_oid_equal(&t1, &t2));
	NB_CHECK(git_tree_lookup(&tree, a.repo, &t2) == 0);
	git_tree_entry_bypath(&pub2, tree, "public");
	NB_CHECK(pub1 && pub2 && git_oid_equal(git_tree_entry_id(pub1), git_tree_entry_id(pub2)));
	git_tree_entry_free(pub1);
	git_tree_entry_free(pub2);
	git_tree_free(tree);
	/* The lock is exclusive within and across processes. */
	NB_CHECK(nb_audit_lock(&a, 0) == 0);
	nb_audit a2;
	NB_CHECK(nb_audit_open(&a2, &cfg, 0) == 0);
	NB_CHECK(nb_audit_lock(&a2, 0) != 0);
	NB_CHECK_CONTAINS(a2.err, "holds the lock");
	nb_audit_close(&a2);
	nb_audit_files_free(&f);
	nb_audit_close(&a);
	nb_fs_rmtree(dir);
	free(cfg.audit_repo);
	free(cfg.output_path);
}

NB_TEST_MAIN("audit", NB_CASE(textdiff_basics), NB_CASE(pub_names), NB_CASE(publisher),
	     NB_CASE(trees_reuse_objects))

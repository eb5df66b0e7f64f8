/*
 * test_audit.c - unit tests for the publication record's pure parts: the
 * line diff, publication names, publisher parsing, and trees written from
 * file lists (object reuse, determinism) in a throw-away bare repository;
 * then the re-publish shortcuts, each held against the slow way it
 * replaces: in-memory tree ids against libgit2's tree builder, the
 * manifest writer against json_dumps, hashing through inode records
 * against hashing every file, and writing a tree against the previous
 * publication (what is skipped, what is repaired, what is refused).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit_internal.h"
#include "util/buf.h"
#include "config/config.h"
#include "util/fs.h"
#include "harness.h"
#include "util/textdiff.h"

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
	nb_audit_write_blob(a, text, strlen(text), to_nb_w(&id));
	if (f->len == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->items = realloc(f->items, f->cap * sizeof(*f->items));
	}
	f->items[f->len].path = strdup(path);
	f->items[f->len].id = *to_nb(&id);
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
	NB_CHECK(nb_audit_write_tree(&a, &f, to_nb_w(&t1)) == 0);
	NB_CHECK(nb_audit_write_tree(&a, &f, to_nb_w(&t2)) == 0);
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
	nb_audit_write_blob(&a, "b2\n", 3, to_nb_w(&nb));
	f.items[2].id = *to_nb(&nb);
	NB_CHECK(nb_audit_write_tree(&a, &f, to_nb_w(&t2)) == 0);
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

/* ---- the re-publish shortcuts ------------------------------------------------ */

/* A throw-away site folder with a bare repository in it. */
typedef struct fixture {
	char dir[64];
	nb_config cfg;
	nb_audit a;
	int ok;
} fixture;

static void fixture_open(fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/nb-test-audit.XXXXXX");
	fx->ok = mkdtemp(fx->dir) != NULL;
	fx->cfg.site_dir = fx->dir;
	fx->cfg.audit_repo = nb_path_join(fx->dir, "audit.git");
	fx->cfg.audit_branch = "publications";
	fx->cfg.output_path = nb_path_join(fx->dir, "public");
	fx->ok = fx->ok && nb_audit_open(&fx->a, &fx->cfg, 1) == 0;
}

static void fixture_close(fixture *fx)
{
	nb_audit_close(&fx->a);
	nb_fs_rmtree(fx->dir);
	free(fx->cfg.audit_repo);
	free(fx->cfg.output_path);
}

/* Write `rel` under the fixture with `text`, its time `age` seconds ago
 * (records only keep files older than two seconds). */
static void put_file(fixture *fx, const char *rel, const char *text, int age)
{
	char *full = nb_path_join(fx->dir, rel);
	char *slash = strrchr(full, '/');
	*slash = '\0';
	nb_fs_mkdirs(full);
	*slash = '/';
	nb_fs_write(full, text, strlen(text));
	struct timespec t[2];
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= age;
	t[1] = t[0];
	utimensat(AT_FDCWD, full, t, 0);
	free(full);
}

/* The tree the old code wrote, folder by folder through libgit2's tree
 * builder: the reference the in-memory ids must equal. */
static int ref_tree(nb_audit *a, const nb_audit_files *f, size_t lo, size_t hi, size_t skip,
		    git_oid *out)
{
	git_treebuilder *tb = NULL;
	if (git_treebuilder_new(&tb, a->repo, NULL) < 0)
		return -1;
	int rc = 0;
	size_t i = lo;
	while (i < hi && rc == 0) {
		const char *p = f->items[i].path + skip;
		const char *slash = strchr(p, '/');
		if (!slash) {
			rc = git_treebuilder_insert(NULL, tb, p, to_git(&f->items[i].id), GIT_FILEMODE_BLOB);
			i++;
			continue;
		}
		size_t n = (size_t)(slash - p), j = i + 1;
		while (j < hi && !strncmp(f->items[j].path + skip, p, n + 1))
			j++;
		git_oid sub;
		rc = ref_tree(a, f, i, j, skip + n + 1, &sub);
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (rc == 0)
			rc = git_treebuilder_insert(NULL, tb, name, &sub, GIT_FILEMODE_TREE);
		i = j;
	}
	if (rc == 0)
		rc = git_treebuilder_write(out, tb);
	git_treebuilder_free(tb);
	return rc;
}

/* Remove a loose object, as if it had never been written. */
static void drop_object(fixture *fx, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1], rel[128];
	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(rel, sizeof(rel), "audit.git/objects/%.2s/%s", hex, hex + 2);
	char *p = nb_path_join(fx->dir, rel);
	unlink(p);
	free(p);
}

NB_TEST(tree_ids_in_memory)
{
	fixture fx;
	fixture_open(&fx);
	NB_CHECK(fx.ok);
	/* Names around '/' in byte order, names libgit2 judges, non-ASCII. */
	static const char *const paths[] = {
		"public/a-b", "public/a.b", "public/a/index.html", "public/a0",
		"public/ab/c/d/e.txt", "public/.noticeboard-output", "public/\xe4\xb8\xad.html",
		"public/g/index.html", "public/git~2", "site/content/x.md", "manifest.json",
	};
	nb_audit_files f = { 0 };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		add(&f, &fx.a, paths[i], paths[i]);
	nb_audit_files_sort(&f);
	git_oid want, got, sub;
	NB_CHECK(ref_tree(&fx.a, &f, 0, f.len, 0, &want) == 0);
	nb_audit_tree *t = NULL;
	NB_CHECK(nb_audit_tree_hash(&fx.a, &f, &t) == 0);
	nb_audit_tree_id(t, NULL, to_nb_w(&got));
	NB_CHECK(git_oid_equal(&got, &want));
	/* Hashing alone writes nothing... */
	drop_object(&fx, &want);
	NB_CHECK(!git_odb_exists(fx.a.odb, &want));
	nb_audit_tree_free(t);
	t = NULL;
	NB_CHECK(nb_audit_tree_hash(&fx.a, &f, &t) == 0);
	NB_CHECK(!git_odb_exists(fx.a.odb, &want));
	/* ... writing makes it whole. */
	NB_CHECK(nb_audit_tree_write(&fx.a, t, NULL, NULL, NULL) == 0);
	NB_CHECK(git_odb_exists(fx.a.odb, &want));
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	NB_CHECK(git_tree_lookup(&tree, fx.a.repo, &want) == 0);
	NB_CHECK(tree && git_tree_entry_bypath(&e, tree, "public") == 0);
	NB_CHECK(nb_audit_tree_id(t, "public", to_nb_w(&sub)) == 0);
	NB_CHECK(e && git_oid_equal(&sub, git_tree_entry_id(e)));
	NB_CHECK(nb_audit_tree_id(t, "pub", to_nb_w(&sub)) == GIT_ENOTFOUND);
	git_tree_entry_free(e);
	git_tree_free(tree);
	nb_audit_tree_free(t);
	/* One top-level folder alone: the sources, before the output exists. */
	nb_audit_files g = { 0 };
	add(&g, &fx.a, "site/only.md", "only here");
	add(&g, &fx.a, "public/only.html", "only there");
	nb_audit_files_sort(&g);
	git_oid sid, rid;
	NB_CHECK(nb_audit_tree_hash(&fx.a, &g, &t) == 0);
	nb_audit_tree_id(t, "site", to_nb_w(&sid));
	nb_audit_tree_id(t, NULL, to_nb_w(&rid));
	NB_CHECK(!git_odb_exists(fx.a.odb, &sid));
	NB_CHECK(nb_audit_tree_write(&fx.a, t, "site", NULL, NULL) == 0);
	NB_CHECK(git_odb_exists(fx.a.odb, &sid));
	NB_CHECK(!git_odb_exists(fx.a.odb, &rid));
	nb_audit_tree_free(t);
	nb_audit_files_free(&g);
	/* A name git refuses is refused as before. */
	add(&f, &fx.a, "public/x/.git", "x");
	nb_audit_files_sort(&f);
	NB_CHECK(nb_audit_write_tree(&fx.a, &f, to_nb_w(&got)) != 0);
	NB_CHECK_CONTAINS(fx.a.err, "cannot add a file to a tree");
	nb_audit_files_free(&f);
	fixture_close(&fx);
}

NB_TEST(tree_write_against_the_last_one)
{
	fixture fx;
	fixture_open(&fx);
	NB_CHECK(fx.ok);
	nb_audit_files f = { 0 };
	add(&f, &fx.a, "public/same/index.html", "same");
	add(&f, &fx.a, "public/new/index.html", "old text");
	nb_audit_files_sort(&f);
	git_oid t1, t2;
	NB_CHECK(nb_audit_write_tree(&fx.a, &f, to_nb_w(&t1)) == 0);
	git_tree *old = NULL;
	NB_CHECK(git_tree_lookup(&old, fx.a.repo, &t1) == 0);

	/* An unchanged folder is taken as complete without a look: even a
	 * blob removed behind our back under it is not noticed. */
	drop_object(&fx, to_git(&f.items[1].id));  /* public/same/index.html */
	/* The changed file's blob is not written yet (an id from a record). */
	git_oid nid;
	git_odb_hash(&nid, "new text", 8, GIT_OBJECT_BLOB);
	f.items[0].id = *to_nb(&nid);               /* public/new/index.html */
	nb_audit_tree *t = NULL;
	nb_audit_tree_hash(&fx.a, &f, &t);
	nb_audit_tree_id(t, NULL, to_nb_w(&t2));
	/* Without its file it cannot be made whole... */
	NB_CHECK(nb_audit_tree_write(&fx.a, t, NULL, old, NULL) != 0);
	NB_CHECK_CONTAINS(fx.a.err, "public/new/index.html");
	/* ... a file with other bytes is refused ... */
	put_file(&fx, "out/new/index.html", "other text", 0);
	char *out = nb_path_join(fx.dir, "out");
	const nb_audit_root roots[] = { { "public/", out }, { NULL, NULL } };
	NB_CHECK(nb_audit_tree_write(&fx.a, t, NULL, old, roots) != 0);
	NB_CHECK_CONTAINS(fx.a.err, "changed while");
	NB_CHECK(!git_odb_exists(fx.a.odb, &t2));
	/* ... and the right file repairs it. */
	put_file(&fx, "out/new/index.html", "new text", 0);
	NB_CHECK(nb_audit_tree_write(&fx.a, t, NULL, old, roots) == 0);
	NB_CHECK(git_odb_exists(fx.a.odb, &nid));
	NB_CHECK(git_odb_exists(fx.a.odb, &t2));
	free(out);
	nb_audit_tree_free(t);
	git_tree_free(old);
	nb_audit_files_free(&f);
	fixture_close(&fx);
}

/* json_dumps as publish used it, for comparison. */
static char *jansson_text(json_t *v)
{
	return json_dumps(v, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
}

NB_TEST(manifest_text_is_jansson_s)
{
	/* Every escape rule at once: quotes, backslash, slash, controls,
	 * DEL, BMP and astral characters, keys in byte order. */
	static const char *const odd[] = {
		"plain", "quote\"back\\slash/", "ctl\x01\x1f\b\f\n\r\t", "del\x7f",
		"\xe4\xb8\xad\xe6\x96\x87", "\xf0\x9f\x98\x80 astral", "", "Zz", "aa",
	};
	git_oid id0;
	memset(&id0, 0, sizeof(id0));
	json_t *docs = json_object();
	nb_audit_docs map = { 0 };
	nb_audit_files files = { 0 };
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		char key[64], hex[GIT_OID_HEXSZ + 1];
		git_oid id;
		git_odb_hash(&id, odd[i], strlen(odd[i]), GIT_OBJECT_BLOB);
		git_oid_tostr(hex, sizeof(hex), &id);
		snprintf(key, sizeof(key), "content/%s.md", odd[i]);
		json_object_set_new(docs, key, json_pack("{s:I, s:s, s:s}", "first",
							 (json_int_t)i + 1, "hash", hex, "id", odd[i]));
		nb_audit_docs_add(&map, key, odd[i], to_nb(&id), i + 1);
		snprintf(key, sizeof(key), "public/%s", odd[i]);
		nb_audit_files_push(&files, key, to_nb(&id));
	}
	/* Not UTF-8, as a path or as an id: left out, as jansson left it. */
	nb_audit_docs_add(&map, "content/bad\xff.md", "bad", to_nb(&id0), 1);
	nb_audit_docs_add(&map, "content/bad.md", "bad\xff", to_nb(&id0), 1);
	nb_audit_docs_sort(&map);
	nb_audit_files_push(&files, "public/bad\xff", to_nb(&id0));  /* not UTF-8: left out */
	nb_audit_files_sort(&files);
	json_t *fo = json_object();
	for (size_t i = 0; i < files.len; i++) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), to_git(&files.items[i].id));
		json_object_set_new(fo, files.items[i].path + 7, json_string(hex));
	}
	json_t *gen = json_pack("{s:s, s:{s:s, s:s}, s:s}", "name", "noticeboard", "libraries",
				"libyaml", "0.2.5", "cmark-gfm", "0.29", "theme", "sha256:00");
	json_t *m = json_pack("{s:s, s:I, s:s, s:O, s:o, s:O}", "as_of", "2026-11-25", "publication",
			      (json_int_t)12, "noticeboard", NB_VERSION, "documents", docs,
			      "files", fo, "generator", gen);
	char *want = jansson_text(m);
	nb_buf got = NB_BUF_INIT;
	NB_CHECK(nb_audit_manifest_text(&got, "2026-11-25", 12, &map, gen, &files, 7) == 0);
	json_decref(gen);
	NB_CHECK(want && got.len == strlen(want) + 1 && got.ptr[got.len - 1] == '\n');
	NB_CHECK(want && !strncmp(nb_buf_cstr(&got), want, strlen(want)));
	free(want);
	json_decref(m);

	/* Empty maps, and any other value. */
	json_t *none = json_object();
	nb_audit_docs nodocs = { 0 };
	nb_audit_files nofiles = { 0 };
	m = json_pack("{s:s, s:I, s:s, s:O, s:{}}", "as_of", "x", "publication", (json_int_t)1,
		      "noticeboard", NB_VERSION, "documents", none, "files");
	want = jansson_text(m);
	nb_buf_clear(&got);
	NB_CHECK(nb_audit_manifest_text(&got, "x", 1, &nodocs, NULL, &nofiles, 7) == 0);
	NB_CHECK(want && got.len == strlen(want) + 1 && !strncmp(got.ptr, want, strlen(want)));
	free(want);
	json_decref(m);
	json_decref(none);
	json_t *v = json_pack("{s:[], s:[i, b, n, {}, [s]], s:I, s:{s:{s:b}}}", "e", "a",
			      -7, 1, "\xf0\x9f\x98\x80", "big", (json_int_t)-9007199254740993LL,
			      "n", "m", "z", 0);
	json_object_set_new(v, "nul", json_stringn("a\0b", 3));
	want = jansson_text(v);
	nb_buf_clear(&got);
	NB_CHECK(nb_audit_json_text(&got, v) == 0);
	NB_CHECK_STR(nb_buf_cstr(&got), want ? want : "");
	free(want);
	/* Reals too, as jansson writes them (output/json.h). */
	json_object_set_new(v, "real", json_pack("[f, f, f]", 1.5, 1e21, -0.25));
	want = jansson_text(v);
	nb_buf_clear(&got);
	NB_CHECK(nb_audit_json_text(&got, v) == 0);
	NB_CHECK_STR(nb_buf_cstr(&got), want ? want : "");
	free(want);
	json_decref(v);
	nb_buf_free(&got);
	nb_audit_files_free(&files);
	nb_audit_docs_free(&map);
	json_decref(docs);
}

/* The same list, as paths and ids in one string, for comparing runs. */
static char *listing(nb_audit_files *f)
{
	nb_audit_files_sort(f);
	nb_buf b = NB_BUF_INIT;
	for (size_t i = 0; i < f->len; i++) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), to_git(&f->items[i].id));
		nb_buf_printf(&b, "%s %s\n", f->items[i].path, hex);
	}
	return nb_buf_detach(&b);
}

/* Whether the record file `rec` has a line for the inode of dir/rel. */
static int recorded(const char *rec, const char *dir, const char *rel)
{
	char *full = nb_path_join(dir, rel), *text = NULL, key[64];
	size_t len;
	struct stat st;
	int found = 0;
	if (stat(full, &st) == 0 && nb_fs_read(rec, 0, &text, &len) == 0) {
		snprintf(key, sizeof(key), "\n%llu %llu ", (unsigned long long)st.st_dev,
			 (unsigned long long)st.st_ino);
		found = strstr(text, key) != NULL;
	}
	free(text);
	free(full);
	return found;
}

NB_TEST(records_change_nothing)
{
	fixture fx;
	fixture_open(&fx);
	NB_CHECK(fx.ok);
	put_file(&fx, "site.yaml", "title: t\n", 10);
	put_file(&fx, "content/meetings/2024/a.md", "---\ntitle: A\n---\nbody\n", 10);
	put_file(&fx, "content/meetings/2024/b.md", "---\ntitle: B\nid: bee\n---\n", 10);
	put_file(&fx, "content/pages/d.md", "---\ntitle: D\ndraft: true\n---\n", 10);
	put_file(&fx, "content/pages/.hidden.md", "---\ntitle: H\n---\n", 10);
	put_file(&fx, "static/css/s.css", "p{}", 10);
	put_file(&fx, "out/index.html", "<p>", 10);
	put_file(&fx, "out/.noticeboard-output", "marker", 10);
	put_file(&fx, "elsewhere/secret.md", "---\ntitle: S\n---\n", 10);
	char *link_out = nb_path_join(fx.dir, "content/pages/out.md");
	char *secret = nb_path_join(fx.dir, "elsewhere/secret.md");
	NB_CHECK(symlink(secret, link_out) == 0);
	char *link_in = nb_path_join(fx.dir, "content/pages/in.md");
	NB_CHECK(symlink("../meetings/2024/a.md", link_in) == 0);
	char *src_rec = nb_path_join(fx.dir, ".noticeboard-cache/publish-sources");
	char *out_rec = nb_path_join(fx.dir, ".noticeboard-cache/publish-oids");
	char *out = nb_path_join(fx.dir, "out");

	/* Without records, with records written, with records read: the same. */
	char *runs[3][2];
	for (int r = 0; r < 3; r++) {
		nb_audit_files s = { 0 }, o = { 0 };
		nb_audit_docs docs = { 0 };
		NB_CHECK(nb_audit_hash_sources_cached(&fx.a, &fx.cfg, 1, &s, &docs,
						      r ? src_rec : NULL) == 0);
		NB_CHECK(nb_audit_hash_dir_cached(&fx.a, out, "public", 1, 1, &o,
						  r ? out_rec : NULL, NULL) == 0);
		json_t *dj = nb_audit_docs_json(&docs);
		char *d = json_dumps(dj, JSON_SORT_KEYS | JSON_COMPACT);
		json_decref(dj);
		nb_buf b = NB_BUF_INIT;
		char *l = listing(&s);
		nb_buf_printf(&b, "%s%s", l, d);
		free(l);
		free(d);
		runs[r][0] = nb_buf_detach(&b);
		runs[r][1] = listing(&o);
		nb_audit_files_free(&s);
		nb_audit_files_free(&o);
		nb_audit_docs_free(&docs);
	}
	for (int r = 1; r < 3; r++) {
		NB_CHECK_STR(runs[r][0], runs[0][0]);
		NB_CHECK_STR(runs[r][1], runs[0][1]);
	}
	/* What the build reads, and only that; the output with its dot file. */
	NB_CHECK_CONTAINS(runs[0][0], "site/content/pages/in.md ");
	NB_CHECK(!strstr(runs[0][0], "out.md") && !strstr(runs[0][0], "hidden"));
	NB_CHECK(!strstr(runs[0][0], "d.md"));  /* a draft */
	NB_CHECK_CONTAINS(runs[0][0], "\"id\":\"bee\"");
	NB_CHECK_CONTAINS(runs[0][0], "\"id\":\"2024/a\"");
	NB_CHECK_CONTAINS(runs[0][0], "site/static/css/s.css ");
	NB_CHECK_CONTAINS(runs[0][1], "public/.noticeboard-output ");
	struct stat st;
	NB_CHECK(stat(src_rec, &st) == 0 && st.st_size > 0);
	NB_CHECK(stat(out_rec, &st) == 0 && st.st_size > 0);

	/* A changed file is read again, whatever the record says; a draft
	 * that is no longer one is published. */
	put_file(&fx, "out/index.html", "<p>changed", 10);
	put_file(&fx, "content/pages/d.md", "---\ntitle: D\n---\n", 10);
	nb_audit_files s = { 0 }, o = { 0 };
	nb_audit_docs docs = { 0 };
	NB_CHECK(nb_audit_hash_sources_cached(&fx.a, &fx.cfg, 1, &s, &docs, src_rec) == 0);
	NB_CHECK(nb_audit_hash_dir_cached(&fx.a, out, "public", 1, 1, &o, out_rec, NULL) == 0);
	git_oid want;
	git_odb_hash(&want, "<p>changed", 10, GIT_OBJECT_BLOB);
	nb_audit_files_sort(&o);
	long i = nb_audit_files_find(&o, "public/index.html");
	NB_CHECK(i >= 0 && git_oid_equal(to_git(&o.items[i].id), &want));
	NB_CHECK(nb_audit_docs_find(&docs, "content/pages/d.md") != NULL);
	nb_audit_files_free(&s);
	nb_audit_files_free(&o);
	nb_audit_docs_free(&docs);

	/* A file left out (the output's marker) is neither listed nor written. */
	put_file(&fx, "out/.leave-me", "leave me out", 10);
	NB_CHECK(nb_audit_hash_dir_cached(&fx.a, out, "public", 1, 1, &o, out_rec, ".leave-me") == 0);
	nb_audit_files_sort(&o);
	git_oid left;
	git_odb_hash(&left, "leave me out", 12, GIT_OBJECT_BLOB);
	NB_CHECK(nb_audit_files_find(&o, "public/.leave-me") < 0 && !git_odb_exists(fx.a.odb, &left));
	NB_CHECK(nb_audit_files_find(&o, "public/index.html") >= 0);
	nb_audit_files_free(&o);

	/* Recorded when older than the file system's clock before hashing,
	 * however recent; never when it could still change unnoticed. */
	put_file(&fx, "out/fresh.html", "f", 0);
	put_file(&fx, "out/future.html", "f", -100);
	usleep(30 * 1000);
	NB_CHECK(nb_audit_hash_dir_cached(&fx.a, out, "public", 1, 1, &o, out_rec, NULL) == 0);
	NB_CHECK(recorded(out_rec, fx.dir, "out/fresh.html"));
	NB_CHECK(!recorded(out_rec, fx.dir, "out/future.html"));
	NB_CHECK(recorded(out_rec, fx.dir, "out/index.html"));
	nb_audit_files_free(&o);

	/* A record that is garbage, or cut short, is no record. */
	static const char *const bad[] = {
		"noticeboard-oids 3 -\n1 2 3 4 5 6 7 zz 0 0:\n",
		"noticeboard-oids 3 -\n1 2",
		"junk",
		"noticeboard-oids 3 -\n\n\n",
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		nb_fs_write(out_rec, bad[k], strlen(bad[k]));
		nb_audit_files x = { 0 };
		NB_CHECK(nb_audit_hash_dir_cached(&fx.a, out, "public", 1, 1, &x, out_rec, NULL) == 0);
		nb_audit_files_sort(&x);
		i = nb_audit_files_find(&x, "public/index.html");
		NB_CHECK(i >= 0 && git_oid_equal(to_git(&x.items[i].id), &want));
		nb_audit_files_free(&x);
	}
	for (int r = 0; r < 3; r++) {
		free(runs[r][0]);
		free(runs[r][1]);
	}
	free(link_out);
	free(link_in);
	free(secret);
	free(src_rec);
	free(out_rec);
	free(out);
	fixture_close(&fx);
}

/* ---- one pack per publication ---------------------------------------------- */

/* The names in <repo>/objects/pack, sorted, one per line. */
static char *pack_dir(fixture *fx)
{
	char *dir = nb_path_join(fx->dir, "audit.git/objects/pack");
	nb_strlist l = { 0 };
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			nb_strlist_push(&l, e->d_name);
	if (d)
		closedir(d);
	nb_strlist_sort(&l);
	nb_buf b = NB_BUF_INIT;
	for (size_t i = 0; i < l.len; i++)
		nb_buf_printf(&b, "%s\n", l.items[i]);
	nb_strlist_free(&l);
	free(dir);
	return nb_buf_detach(&b);
}

static int count_lines_with(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Whether `id` is a loose object file. */
static int is_loose(fixture *fx, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1], rel[128];
	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(rel, sizeof(rel), "audit.git/objects/%.2s/%s", hex, hex + 2);
	char *p = nb_path_join(fx->dir, rel);
	int ok = nb_fs_is_file(p);
	free(p);
	return ok;
}

/* Read `id` through a repository opened afresh, as another process (git,
 * a later noticeboard) would: 1 when it holds exactly `want`. */
static int fresh_reads(fixture *fx, const git_oid *id, const char *want, size_t len)
{
	git_repository *r = NULL;
	git_blob *b = NULL;
	int ok = git_repository_open_bare(&r, fx->cfg.audit_repo) == 0 &&
		 git_blob_lookup(&b, r, id) == 0 && (size_t)git_blob_rawsize(b) == len &&
		 !memcmp(git_blob_rawcontent(b), want, len);
	git_error_clear();
	git_blob_free(b);
	git_repository_free(r);
	return ok;
}

/* Text that deflates poorly, so the pack outgrows its write buffer. */
static char *noise(size_t len, unsigned seed)
{
	char *s = malloc(len + 1);
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		s[i] = (char)('!' + (seed >> 16) % 90);
	}
	s[len] = '\0';
	return s;
}

NB_TEST(pack_holds_a_publication)
{
	fixture fx;
	fixture_open(&fx);
	NB_CHECK(fx.ok);
	NB_CHECK(nb_audit_pack_begin(&fx.a) == 0);
	enum { N = 150 };
	char text[N][32];
	git_oid ids[N], empty, big;
	for (int i = 0; i < N; i++) {
		snprintf(text[i], sizeof(text[i]), "object %d\n", i);
		NB_CHECK(nb_audit_write_blob(&fx.a, text[i], strlen(text[i]), to_nb_w(&ids[i])) == 0);
	}
	NB_CHECK(nb_audit_write_blob(&fx.a, "", 0, to_nb_w(&empty)) == 0);
	char *large = noise(3 << 20, 7);
	NB_CHECK(nb_audit_write_blob(&fx.a, large, 3 << 20, to_nb_w(&big)) == 0);
	/* Output files hashed into it on the pool's threads. */
	for (int i = 0; i < 300; i++) {
		char rel[64], body[64];
		snprintf(rel, sizeof(rel), "out/p%03d/index.html", i);
		snprintf(body, sizeof(body), "<p>page %d</p>", i);
		put_file(&fx, rel, body, 10);
	}
	char *out = nb_path_join(fx.dir, "out");
	nb_audit_files o = { 0 };
	NB_CHECK(nb_audit_hash_dir(&fx.a, out, "public", 1, 1, &o) == 0);
	nb_audit_files_sort(&o);
	NB_CHECK(o.len == 300);
	git_oid want;
	git_odb_hash(&want, "<p>page 42</p>", 14, GIT_OBJECT_BLOB);
	long k = nb_audit_files_find(&o, "public/p042/index.html");
	NB_CHECK(k >= 0 && git_oid_equal(to_git(&o.items[k].id), &want));
	/* A tree libgit2 writes itself (a dot name), and ours. */
	nb_audit_files_push(&o, "public/.noticeboard-output", to_nb(&ids[0]));
	nb_audit_files_sort(&o);
	git_oid tree;
	NB_CHECK(nb_audit_write_tree(&fx.a, &o, to_nb_w(&tree)) == 0);

	/* Readable at once through this handle, including what went to disk
	 * before; invisible to anyone else, and nothing final on disk yet. */
	char *data = NULL;
	size_t len = 0;
	NB_CHECK(nb_audit_read_blob(&fx.a, to_nb(&ids[0]), &data, &len) == 0);
	NB_CHECK(data && len == strlen(text[0]) && !strcmp(data, text[0]));
	free(data);
	NB_CHECK(nb_audit_read_blob(&fx.a, to_nb(&big), &data, &len) == 0);
	NB_CHECK(data && len == (3u << 20) && !memcmp(data, large, len));
	free(data);
	NB_CHECK(nb_audit_read_blob(&fx.a, to_nb(&empty), &data, &len) == 0 && len == 0);
	free(data);
	git_tree *t = NULL;
	NB_CHECK(git_tree_lookup(&t, fx.a.repo, &tree) == 0);
	git_tree_entry *pe = NULL;
	git_tree *pt = NULL;
	NB_CHECK(t && git_tree_entry_bypath(&pe, t, "public") == 0);
	NB_CHECK(pe && git_tree_lookup(&pt, fx.a.repo, git_tree_entry_id(pe)) == 0);
	NB_CHECK(pt && git_tree_entrycount(pt) == 301);
	git_tree_free(pt);
	git_tree_entry_free(pe);
	git_tree_free(t);
	NB_CHECK(!fresh_reads(&fx, &ids[0], text[0], strlen(text[0])));
	NB_CHECK(!is_loose(&fx, &ids[0]));
	char *names = pack_dir(&fx);
	NB_CHECK(count_lines_with(names, "tmp_pack_nb_") == 1);
	NB_CHECK(!strstr(names, ".idx"));
	free(names);

	/* Ended: one pack and its index under their final names, read by
	 * libgit2's own pack reader and verified by git; later objects loose. */
	NB_CHECK(nb_audit_pack_end(&fx.a) == 0);
	names = pack_dir(&fx);
	NB_CHECK(count_lines_with(names, "\n") == 2);
	NB_CHECK(count_lines_with(names, ".idx\n") == 1 && count_lines_with(names, ".pack\n") == 1);
	NB_CHECK(!strstr(names, "tmp_"));
	free(names);
	for (int i = 0; i < N; i++)
		NB_CHECK(fresh_reads(&fx, &ids[i], text[i], strlen(text[i])));
	NB_CHECK(fresh_reads(&fx, &empty, "", 0));
	NB_CHECK(fresh_reads(&fx, &big, large, 3 << 20));
	NB_CHECK(fresh_reads(&fx, &want, "<p>page 42</p>", 14));
	NB_CHECK(!is_loose(&fx, &ids[0]) && !is_loose(&fx, &tree));
	nb_buf cmd = NB_BUF_INIT;
	nb_buf_printf(&cmd, "git --git-dir='%s' fsck --strict --no-dangling >/dev/null 2>&1 && "
		      "git --git-dir='%s' verify-pack '%s'/objects/pack/pack-*.idx >/dev/null 2>&1",
		      fx.cfg.audit_repo, fx.cfg.audit_repo, fx.cfg.audit_repo);
	NB_CHECK(system(nb_buf_cstr(&cmd)) == 0);
	nb_buf_free(&cmd);
	git_oid after;
	NB_CHECK(nb_audit_write_blob(&fx.a, "after\n", 6, to_nb_w(&after)) == 0);
	NB_CHECK(is_loose(&fx, &after));
	NB_CHECK(nb_audit_pack_end(&fx.a) == 0);  /* ending twice is harmless */
	free(large);
	free(out);
	nb_audit_files_free(&o);
	fixture_close(&fx);
}

NB_TEST(pack_few_objects_go_loose)
{
	fixture fx;
	fixture_open(&fx);
	NB_CHECK(fx.ok);
	NB_CHECK(nb_audit_pack_begin(&fx.a) == 0);
	git_oid a1, a2;
	NB_CHECK(nb_audit_write_blob(&fx.a, "one\n", 4, to_nb_w(&a1)) == 0);
	NB_CHECK(nb_audit_write_blob(&fx.a, "two\n", 4, to_nb_w(&a2)) == 0);
	/* Held: readable here, nothing on disk yet. */
	char *data = NULL;
	size_t len = 0;
	NB_CHECK(nb_audit_read_blob(&fx.a, to_nb(&a2), &data, &len) == 0 && len == 4 &&
		 !strcmp(data, "two\n"));
	free(data);
	NB_CHECK(!is_loose(&fx, &a1));
	char *names = pack_dir(&fx);
	NB_CHECK_STR(names, "");
	free(names);
	NB_CHECK(nb_audit_pack_end(&fx.a) == 0);
	NB_CHECK(is_loose(&fx, &a1) && is_loose(&fx, &a2));
	NB_CHECK(fresh_reads(&fx, &a2, "two\n", 4));
	names = pack_dir(&fx);
	NB_CHECK_STR(names, "");  /* no tiny pack, no temporary file */
	free(names);
	nb_audit_close(&fx.a);

	/* Few but big: a pack after all, rather than holding it all. */
	NB_CHECK(nb_audit_open(&fx.a, &fx.cfg, 0) == 0);
	NB_CHECK(nb_audit_pack_begin(&fx.a) == 0);
	size_t big = (64u << 20) + 1;
	char *huge = malloc(big);
	for (size_t i = 0; i < big; i++)
		huge[i] = (char)('a' + i % 23);
	git_oid h1, h2;
	NB_CHECK(nb_audit_write_blob(&fx.a, "small\n", 6, to_nb_w(&h1)) == 0);
	NB_CHECK(nb_audit_write_blob(&fx.a, huge, big, to_nb_w(&h2)) == 0);
	NB_CHECK(nb_audit_pack_end(&fx.a) == 0);
	NB_CHECK(!is_loose(&fx, &h1) && !is_loose(&fx, &h2));
	names = pack_dir(&fx);
	NB_CHECK(count_lines_with(names, ".pack\n") == 1 && count_lines_with(names, ".idx\n") == 1);
	free(names);
	NB_CHECK(fresh_reads(&fx, &h1, "small\n", 6) && fresh_reads(&fx, &h2, huge, big));
	free(huge);

	/* Held and never ended: nothing at all. */
	nb_audit_close(&fx.a);
	NB_CHECK(nb_audit_open(&fx.a, &fx.cfg, 0) == 0);
	NB_CHECK(nb_audit_pack_begin(&fx.a) == 0);
	git_oid g;
	NB_CHECK(nb_audit_write_blob(&fx.a, "never\n", 6, to_nb_w(&g)) == 0);
	nb_audit_close(&fx.a);
	NB_CHECK(nb_audit_open(&fx.a, &fx.cfg, 0) == 0);
	NB_CHECK(!is_loose(&fx, &g) && !git_odb_exists(fx.a.odb, &g));
	fixture_close(&fx);
}

NB_TEST(pack_unended_leaves_nothing)
{
	fixture fx;
	fixture_open(&fx);
	NB_CHECK(fx.ok);
	/* What a killed publish leaves: removed by the next one. */
	char *stale = nb_path_join(fx.dir, "audit.git/objects/pack/tmp_pack_nb_Zz9Zz9");
	char *keep = nb_path_join(fx.dir, "audit.git/objects/pack/tmp_pack_other");
	nb_fs_write(stale, "PACK", 4);
	nb_fs_write(keep, "x", 1);
	NB_CHECK(nb_audit_pack_begin(&fx.a) == 0);
	NB_CHECK(!nb_fs_is_file(stale));
	NB_CHECK(nb_fs_is_file(keep));  /* not ours: left alone */
	unlink(keep);
	git_oid ids[120];
	for (int i = 0; i < 120; i++) {
		char text[32];
		snprintf(text, sizeof(text), "gone %d", i);
		NB_CHECK(nb_audit_write_blob(&fx.a, text, strlen(text), to_nb_w(&ids[i])) == 0);
	}
	nb_audit_close(&fx.a);
	char *names = pack_dir(&fx);
	NB_CHECK_STR(names, "");
	free(names);
	NB_CHECK(nb_audit_open(&fx.a, &fx.cfg, 0) == 0);
	NB_CHECK(!fresh_reads(&fx, &ids[0], "gone 0", 6) && !is_loose(&fx, &ids[0]));
	NB_CHECK(!git_odb_exists(fx.a.odb, &ids[119]));
	free(stale);
	free(keep);
	fixture_close(&fx);
}

/* ---- walking the publications ------------------------------------------------ */

/* Walk publications 1..last (0: from the head) counting them into *seen;
 * how the walk ended. */
static int walk(nb_audit *a, size_t last, size_t *seen)
{
	nb_audit_pub_iter *it;
	const nb_audit_pub *p;
	int rc = last ? nb_audit_pub_iter_new(&it, a, last) : nb_audit_pub_iter_head(&it, a);
	*seen = 0;
	while (rc == 0 && (rc = nb_audit_pub_iter_next(&p, it)) == 0)
		(*seen)++;
	nb_audit_pub_iter_free(it);
	return rc;
}

/* Record publication n whose tree is only a manifest.json holding `docs`
 * (a JSON text, or NULL for a manifest without documents). */
static int record_pub(fixture *fx, size_t n, const char *docs, const nb_oid *parent, nb_oid *out)
{
	char text[256];
	snprintf(text, sizeof(text), "{\"as_of\": \"2026-01-0%zu\"%s%s}", n,
		 docs ? ", \"documents\": " : "", docs ? docs : "");
	nb_audit_files f = { 0 };
	nb_oid blob, tree;
	nb_signature *sig = NULL;
	char msg[64];
	snprintf(msg, sizeof(msg), "Publication %zu: test", n);
	int rc = nb_audit_write_blob(&fx->a, text, strlen(text), &blob);
	if (rc == 0) {
		nb_audit_files_push(&f, "manifest.json", &blob);
		rc = nb_audit_write_tree(&fx->a, &f, &tree);
	}
	if (rc == 0)
		rc = nb_audit_signature_parse(&sig, "Test <t@example.org>");
	if (rc == 0)
		rc = nb_audit_commit(&fx->a, &tree, parent, n, msg, sig, NULL, out);
	nb_signature_free(sig);
	nb_audit_files_free(&f);
	return rc;
}

NB_TEST(pub_iter_walks_the_chain)
{
	fixture fx;
	fixture_open(&fx);
	NB_CHECK(fx.ok);
	nb_oid c1, c2, c3;
	NB_CHECK(record_pub(&fx, 1, "{\"a.md\": {\"id\": \"a\", \"hash\": \"1111111111111111111111111111111111111111\"}}", NULL, &c1) == 0);
	NB_CHECK(record_pub(&fx, 2, NULL, &c1, &c2) == 0);
	NB_CHECK(record_pub(&fx, 3, "{\"b.md\": {\"id\": \"b\", \"hash\": \"2222222222222222222222222222222222222222\", \"first\": 3}}",
			    &c2, &c3) == 0);
	const nb_oid *want[3] = { &c1, &c2, &c3 };
	nb_audit_pub_iter *it;
	const nb_audit_pub *p, *last = NULL;
	NB_CHECK(nb_audit_pub_iter_new(&it, &fx.a, 3) == 0);
	size_t seen = 0;
	int rc;
	while ((rc = nb_audit_pub_iter_next(&p, it)) == 0) {
		seen++;
		NB_CHECK(p->n == seen && nb_oid_equal(nb_commit_id(p->commit), want[seen - 1]));
		/* The previous one's documents, as they were walked. */
		NB_CHECK(seen == 1 ? p->prev_docs == NULL
			 : seen == 2 ? nb_audit_docs_find(p->prev_docs, "a.md") != NULL
			 : p->prev_docs->len == 0);
		NB_CHECK(p->docs && p->docs->len == (seen == 2 ? 0u : 1u));
		last = p;
	}
	NB_CHECK(rc == NB_AUDIT_ITEROVER && seen == 3 && p == NULL);
	/* The end leaves the last one readable. */
	const nb_audit_doc *b = last ? nb_audit_docs_find(last->docs, "b.md") : NULL;
	NB_CHECK(b && b->first == 3 && !strcmp(nb_audit_doc_id(last->docs, b), "b"));
	NB_CHECK(nb_audit_pub_iter_next(&p, it) == NB_AUDIT_ITEROVER);
	nb_audit_pub_iter_free(it);

	/* A publication that is not there stops the walk with a message. */
	NB_CHECK(walk(&fx.a, 4, &seen) == -1 && seen == 3);
	NB_CHECK_CONTAINS(fx.a.err, "no publication 4");

	/* From the head: as far as the chain goes, and no further. */
	NB_CHECK(walk(&fx.a, 0, &seen) == NB_AUDIT_ITEROVER && seen == 3);
	nb_audit_pub_iter_free(NULL);

	/* A manifest whose documents are not whole (here a hash that is no
	 * blob id) stops the walk there, named (test_docs.c has the rest). */
	nb_oid c4;
	NB_CHECK(record_pub(&fx, 4, "{\"c.md\": {\"id\": \"c\", \"hash\": \"1\"}}", &c3, &c4) == 0);
	NB_CHECK(walk(&fx.a, 4, &seen) == -1 && seen == 3);
	NB_CHECK_CONTAINS(fx.a.err, "publication 4");
	NB_CHECK_CONTAINS(fx.a.err, "c.md");
	fixture_close(&fx);
}

NB_TEST_MAIN("audit", NB_CASE(textdiff_basics), NB_CASE(pub_names), NB_CASE(publisher),
	     NB_CASE(trees_reuse_objects), NB_CASE(tree_ids_in_memory),
	     NB_CASE(tree_write_against_the_last_one), NB_CASE(manifest_text_is_jansson_s),
	     NB_CASE(records_change_nothing), NB_CASE(pack_holds_a_publication),
	     NB_CASE(pack_few_objects_go_loose), NB_CASE(pack_unended_leaves_nothing),
	     NB_CASE(pub_iter_walks_the_chain))

/*
 * test_memo.c - the page memo (memo.h): a page is linked from the last
 * build instead of rendered only when its key is the recorded one and its
 * live file is the one recorded; anything else is a render.
 *
 * The key must move with every input a page is made from (the templates'
 * digest, the layout, each value of the context with its type, the
 * body's bytes and where they split) and with nothing else (a separately
 * built equal context, the publication number when the theme shows it
 * only in the tag). The record must come back whole or not at all: a
 * byte changed in it, or a record of another output folder, is no record.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "load/content.h"
#include "output/cache.h"
#include "output/memo.h"
#include "util/fs.h"
#include "harness.h"

static const nb_digest T1 = { 1, 2 }, T2 = { 1, 3 };

static json_t *context(const char *title)
{
	return json_pack("{s:s, s:i, s:f, s:b, s:n, s:[i,i], s:{s:s}}", "title", title, "n", 1,
			 "share", 0.5, "draft", 0, "none", "list", 1, 2, "page", "url",
			 "/meetings/a/");
}

static nb_digest key_of(const nb_memo *m, nb_digest tmpl, const char *layout, const json_t *ctx,
			const char *b0, const char *b1)
{
	nb_digest body = b0 ? nb_doc_body_digest(b0, strlen(b0), b1, strlen(b1)) : (nb_digest){ 0 };
	return nb_memo_key(m, tmpl, layout, ctx, b0 ? &body : NULL);
}

static void tmp_dirs(char site[], char out[])
{
	if (!mkdtemp(site))
		abort();
	snprintf(out, 64, "%s/public", site);
	if (mkdir(out, 0755) != 0)
		abort();
}

/* The key moves with each input, type and boundary, and with nothing
 * else. */
NB_TEST(key_moves_with_every_input)
{
	char site[] = "/tmp/nb-memo.XXXXXX", out[64];
	tmp_dirs(site, out);
	nb_memo *m = nb_memo_open(site, out);
	json_t *ctx = context("会议"), *again = context("会议");
	nb_digest k = key_of(m, T1, "meeting", ctx, "<p>正文</p>", "[]");
	NB_CHECK(nb_digest_eq(k, key_of(m, T1, "meeting", again, "<p>正文</p>", "[]")));
	NB_CHECK(!nb_digest_eq(k, key_of(m, T2, "meeting", ctx, "<p>正文</p>", "[]")));
	NB_CHECK(!nb_digest_eq(k, key_of(m, T1, "decision", ctx, "<p>正文</p>", "[]")));
	NB_CHECK(!nb_digest_eq(k, key_of(m, T1, "meeting", ctx, "<p>正文。</p>", "[]")));
	NB_CHECK(!nb_digest_eq(k, key_of(m, T1, "meeting", ctx, NULL, NULL)));
	/* The same bytes split elsewhere between the HTML and the headings. */
	NB_CHECK(!nb_digest_eq(key_of(m, T1, "meeting", ctx, "ab", "c"),
			       key_of(m, T1, "meeting", ctx, "a", "bc")));
	/* Each value, its type, its key. */
	struct {
		const char *key;
		json_t *v;
	} alt[] = {
		{ "title", json_string("会议。") }, { "n", json_integer(2) },
		{ "n", json_real(1.0) },           { "n", json_string("1") },
		{ "share", json_real(0.25) },      { "draft", json_true() },
		{ "none", json_false() },          { "list", json_pack("[i,i,i]", 1, 2, 3) },
		{ "list", json_pack("[i,i]", 2, 1) }, { "list", json_pack("{s:i,s:i}", "0", 1, "1", 2) },
		{ "page", json_pack("{s:s}", "url", "/meetings/b/") },
		{ "page", json_pack("{s:s}", "uri", "/meetings/a/") },
	};
	for (size_t i = 0; i < sizeof(alt) / sizeof(*alt); i++) {
		json_t *c = json_deep_copy(ctx);
		json_object_set_new(c, alt[i].key, alt[i].v);
		if (nb_digest_eq(k, key_of(m, T1, "meeting", c, "<p>正文</p>", "[]"))) {
			fprintf(stderr, "  key unchanged with %s changed (case %zu)\n", alt[i].key, i);
			NB_CHECK(0);
		}
		json_decref(c);
	}
	/* A member more, or a string's text that runs into the next key. */
	json_t *c = json_deep_copy(ctx);
	json_object_set_new(c, "extra", json_null());
	NB_CHECK(!nb_digest_eq(k, key_of(m, T1, "meeting", c, "<p>正文</p>", "[]")));
	json_decref(c);
	json_t *a = json_pack("{s:s, s:s}", "a", "bc", "d", "e");
	json_t *b = json_pack("{s:s, s:s}", "a", "b", "cd", "e");
	NB_CHECK(!nb_digest_eq(key_of(m, T1, "x", a, NULL, NULL), key_of(m, T1, "x", b, NULL, NULL)));
	json_decref(a);
	json_decref(b);
	json_decref(ctx);
	json_decref(again);
	nb_memo_free(m);
	nb_fs_rmtree(site);
}

/* A shared container is fed as its digest: the same key in every build
 * that shares it, and a change inside it still moves the key. With the
 * publication outside the keys, `site.publication` is a mark, not a
 * number; inside them, the number moves the key. */
NB_TEST(shared_containers_and_the_publication)
{
	char site[] = "/tmp/nb-memo.XXXXXX", out[64];
	tmp_dirs(site, out);
	nb_digest keys[4];
	const char *titles[2] = { "社区", "社区。" };
	for (int i = 0; i < 4; i++) {
		nb_memo *m = nb_memo_open(site, out);
		json_t *shared = json_pack("{s:s}", "title", titles[i / 2]);
		nb_memo_share(m, shared);
		json_t *ctx = json_pack("{s:O, s:s}", "site", shared, "x", "y");
		keys[i] = key_of(m, T1, "home", ctx, NULL, NULL);
		json_decref(ctx);
		json_decref(shared);
		nb_memo_free(m);
	}
	NB_CHECK(nb_digest_eq(keys[0], keys[1]));
	NB_CHECK(nb_digest_eq(keys[2], keys[3]));
	NB_CHECK(!nb_digest_eq(keys[0], keys[2]));

	nb_digest pub[2][2];
	for (int outside = 0; outside < 2; outside++)
		for (int p = 0; p < 2; p++) {
			nb_memo *m = nb_memo_open(site, out);
			nb_memo_publication(m, (size_t)(5 + p), outside);
			json_t *s = json_pack("{s:s, s:i}", "title", "社区", "publication", 5 + p);
			nb_memo_share_site(m, s);
			json_t *ctx = json_pack("{s:O}", "site", s);
			pub[outside][p] = key_of(m, T1, "home", ctx, NULL, NULL);
			json_decref(ctx);
			json_decref(s);
			nb_memo_free(m);
		}
	NB_CHECK(!nb_digest_eq(pub[0][0], pub[0][1]));
	NB_CHECK(nb_digest_eq(pub[1][0], pub[1][1]));
	nb_fs_rmtree(site);
}

static void put(const char *dir, const char *rel, const char *text)
{
	char *p = nb_path_join(dir, rel);
	if (nb_fs_write(p, text, strlen(text)) != 0)
		abort();
	free(p);
}

static char *slurp(const char *dir, const char *rel)
{
	char *p = nb_path_join(dir, rel), *data = NULL;
	size_t len;
	if (nb_fs_read(p, 0, &data, &len) != 0)
		data = NULL;
	free(p);
	return data;
}

/* Older than the memo's "settled" margin (20 ms), so it records them. */
static void settle(void)
{
	struct timespec w = { 0, 60 * 1000000L };
	while (nanosleep(&w, &w) != 0 && errno == EINTR)
		;
}

/* Pages a.html and b.html recorded under keys K1 and K2 for `out`. */
static const nb_digest K1 = { 11, 1 }, K2 = { 12, 2 }, ENV = { 7, 7 };

static json_t *written(void)
{
	return json_pack("{s:b, s:b}", "a.html", 1, "b/b.html", 1);
}

/* Returns what nb_memo_links_hold said with no record yet (0). */
static int record_two(const char *site, const char *out)
{
	put(out, "a.html", "AAA");
	put(out, "b/b.html", "BB");
	settle();
	nb_memo *m = nb_memo_open(site, out);
	json_t *w = written();
	int hold = nb_memo_links_hold(m, w, ENV);
	nb_memo_note(m, "a.html", K1, 0);
	nb_memo_note(m, "b/b.html", K2, 0);
	nb_memo_save(m);
	nb_memo_free(m);
	json_decref(w);
	return hold;
}

/* A recorded page comes back: linked (the same inode) under its key, and
 * not under another; not once its live file changed; links hold while
 * the same paths are written with the same environment. */
NB_TEST(recorded_pages_come_back_under_their_key)
{
	char site[] = "/tmp/nb-memo.XXXXXX", out[64], next[96];
	tmp_dirs(site, out);
	snprintf(next, sizeof(next), "%s/next", site);
	NB_CHECK(mkdir(next, 0755) == 0);
	NB_CHECK(record_two(site, out) == 0);

	nb_memo *m = nb_memo_open(site, out);
	const nb_memo_entry *a = nb_memo_find(m, "a.html"), *b = nb_memo_find(m, "b/b.html");
	NB_CHECK(a != NULL && b != NULL);
	NB_CHECK(nb_memo_find(m, "c.html") == NULL);
	size_t size = 0;
	NB_CHECK(nb_memo_reuse(m, a, K2, next, 0, &size) == 0);
	NB_CHECK(nb_memo_reuse(m, a, K1, next, 0, &size) == 1 && size == 3);
	char *got = slurp(next, "a.html");
	NB_CHECK(got && !strcmp(got, "AAA"));
	free(got);
	struct stat s1, s2;
	char *p1 = nb_path_join(out, "a.html"), *p2 = nb_path_join(next, "a.html");
	NB_CHECK(stat(p1, &s1) == 0 && stat(p2, &s2) == 0 && s1.st_ino == s2.st_ino);
	free(p1);
	free(p2);
	/* The live file rewritten (a new file, the same length): a render. */
	put(out, "b/b.html", "CC");
	NB_CHECK(nb_memo_reuse(m, b, K2, next, 0, &size) == 0);
	got = slurp(next, "b/b.html");
	NB_CHECK(got == NULL);
	free(got);

	json_t *w = written();
	NB_CHECK(nb_memo_links_hold(m, w, ENV) == 1);
	const nb_digest other = { 7, 8 };
	NB_CHECK(nb_memo_links_hold(m, w, other) == 0);
	json_object_del(w, "b/b.html");
	NB_CHECK(nb_memo_links_hold(m, w, ENV) == 0);
	json_decref(w);
	nb_memo_free(m);
	nb_fs_rmtree(site);
}

/* A record with any byte changed, or of another output folder, is no
 * record: nothing found, everything rendered. */
NB_TEST(a_damaged_or_foreign_record_is_none)
{
	char site[] = "/tmp/nb-memo.XXXXXX", out[64], other[96];
	tmp_dirs(site, out);
	NB_CHECK(record_two(site, out) == 0);
	snprintf(other, sizeof(other), "%s/other", site);
	NB_CHECK(mkdir(other, 0755) == 0);
	nb_memo *m = nb_memo_open(site, other);
	NB_CHECK(nb_memo_find(m, "a.html") == NULL);
	nb_memo_free(m);

	char real[4096];
	NB_CHECK(realpath(out, real) != NULL);
	char *path = nb_cache_file(site, "memo", real), *data = NULL;
	size_t len = 0;
	NB_CHECK(nb_fs_read(path, 0, &data, &len) == 0 && len > 40);
	m = nb_memo_open(site, out);
	NB_CHECK(nb_memo_find(m, "a.html") != NULL);
	nb_memo_free(m);
	/* Each byte in turn would take long; the head, a path, a stamp and
	 * the closing hash stand for the rest. */
	size_t at[] = { 0, len / 3, len / 2, len - 20, len - 1 };
	for (size_t i = 0; data && i < sizeof(at) / sizeof(*at); i++) {
		data[at[i]] ^= 0x20;
		NB_CHECK(nb_fs_write(path, data, len) == 0);
		m = nb_memo_open(site, out);
		if (nb_memo_find(m, "a.html") || nb_memo_find(m, "b/b.html")) {
			fprintf(stderr, "  a record with byte %zu changed was read\n", at[i]);
			NB_CHECK(0);
		}
		nb_memo_free(m);
		data[at[i]] ^= 0x20;
	}
	NB_CHECK(data && nb_fs_write(path, data, len - 1) == 0);
	m = nb_memo_open(site, out);
	NB_CHECK(nb_memo_find(m, "a.html") == NULL);
	nb_memo_free(m);
	free(data);
	free(path);
	nb_fs_rmtree(site);
}

NB_TEST_MAIN("memo", NB_CASE(key_moves_with_every_input),
	     NB_CASE(shared_containers_and_the_publication),
	     NB_CASE(recorded_pages_come_back_under_their_key),
	     NB_CASE(a_damaged_or_foreign_record_is_none))

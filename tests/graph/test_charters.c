/*
 * test_charters.c - a community's charter over its versions
 * (graph/charters.c): which version is in force on a given day, the list
 * of versions each page shows, and the comparison of each version with
 * the one before it, article by article. These are the statements a
 * resident reads as the rules that bind them, so each test writes its own
 * versions into the site fixture (tests/fixture_site.h) and checks the
 * graph against what those documents say, not against earlier output.
 */
#include "harness.h"

#include "fixture_site.h"
#include "render/render.h"

static const char *s_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_int_t int_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static int flag(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

#define CHARTER(title, com, v, eff)                                                  \
	"---\ntitle: \"" title "\"\ncommunity: \"" com "\"\nversion: " #v "\n"        \
	"effective: \"" eff "\"\n---\n"

/* Hongling's charter amended twice. v1 -> v2: 第一条 kept, 第二条's text
 * amended (一 -> 三), 第三条 消防安全 inserted so 文明养犬 moves from
 * 第三条 to 第四条, 停车 dropped. v2 -> v3: 文明养犬 moved up to 第二条
 * (where 卫生养护 was, which is dropped), 第三条's title reworded with its
 * text kept, 第四条 邻里互助 new. They replace the fixture's own two. */
static const char *const hl_versions[][2] = {
	{ "content/charters/hl/v1.md",
	  CHARTER("Hongling charter", "hl", 1, "2024-01-01")
	  "## 第一条 总则\n\n本公约由自治会全体会议制定。\n\n"
	  "## 第二条 卫生养护\n\n垃圾分类投放，每周一清运。\n\n"
	  "## 第三条 文明养犬\n\n犬只出户须拴绳。\n\n"
	  "## 第四条 停车\n\n车辆停放在划线车位内。\n" },
	{ "content/charters/hl/v2.md",
	  CHARTER("Hongling charter", "hl", 2, "2024-12-01")
	  "## 第一条 总则\n\n本公约由自治会全体会议制定。\n\n"
	  "## 第二条 卫生养护\n\n垃圾分类投放，每周三清运。\n\n"
	  "## 第三条 消防安全\n\n楼道不得堆放杂物。\n\n"
	  "## 第四条 文明养犬\n\n犬只出户须拴绳。\n" },
	{ "content/charters/hl/v3.md",
	  CHARTER("Hongling charter", "hl", 3, "2025-06-01")
	  "## 第一条 总则\n\n本公约由自治会全体会议制定。\n\n"
	  "## 第二条 文明养犬\n\n犬只出户须拴绳。\n\n"
	  "## 第三条 消防安全管理\n\n楼道不得堆放杂物。\n\n"
	  "## 第四条 邻里互助\n\n邻里之间互相帮助。\n" },
};
#define N_HL (sizeof(hl_versions) / sizeof(hl_versions[0]))

/* A second community whose charter shares an article title (停车) and
 * numbers with Hongling's and comes into force on other dates. */
static const char *const xs_docs[][2] = {
	{ "content/communities/xs.md",
	  "---\ntitle: \"Xinsheng\"\nname: \"Xinsheng\"\ntype: \"新兴住宅区\"\n"
	  "platform: \"residents-committee\"\ncommittee:\n"
	  "  - {name: \"X1\", role: \"主任\"}\n  - {name: \"X2\", role: \"委员\"}\n---\nAbout.\n" },
	{ "content/charters/xs/v1.md",
	  CHARTER("Xinsheng charter", "xs", 1, "2024-05-01")
	  "## 第一条 宗旨\n\n共建共治共享。\n" },
	{ "content/charters/xs/v2.md",
	  CHARTER("Xinsheng charter", "xs", 2, "2024-06-01")
	  "## 第一条 宗旨\n\n共建共治共享。\n\n"
	  "## 第二条 停车\n\n访客车辆限停两小时。\n" },
};

static int open_with(fixture *f, const char *as_of, const char *const (*extra)[2], size_t n)
{
	int rc = fixture_open_with(f, as_of, extra, n);
	if (rc)
		nb_diag_print(&f->d, stderr, 0);
	return rc;
}

/* Hongling's three versions and Xinsheng's documents together. */
static int open_both(fixture *f, const char *as_of)
{
	const char *const docs[][2] = {
		{ hl_versions[0][0], hl_versions[0][1] }, { hl_versions[1][0], hl_versions[1][1] },
		{ hl_versions[2][0], hl_versions[2][1] }, { xs_docs[0][0], xs_docs[0][1] },
		{ xs_docs[1][0], xs_docs[1][1] },         { xs_docs[2][0], xs_docs[2][1] },
	};
	return open_with(f, as_of, docs, sizeof(docs) / sizeof(docs[0]));
}

static const nb_page *page_of(const fixture *f, const char *id)
{
	long i = nb_site_find(&f->s, id);
	return i >= 0 ? &f->s.pages[i] : NULL;
}

/* The derived page at `out_path`, or NULL. */
static const nb_extra_page *extra_at(const fixture *f, const char *out_path)
{
	for (size_t i = 0; i < f->s.n_extra; i++)
		if (!strcmp(f->s.extra[i].out_path, out_path))
			return &f->s.extra[i];
	return NULL;
}

/* The comparison page of `com`'s version `v` as rendered (a new
 * reference), or NULL when there is none. */
static json_t *compare_page(const fixture *f, const char *com, int v)
{
	char path[128];
	snprintf(path, sizeof(path), "charters/%s/v%d/changes/index.html", com, v);
	const nb_extra_page *e = extra_at(f, path);
	return e ? nb_charters_compare_view(&f->s, e) : NULL;
}

/* The titles of the articles in `cmp`'s list `key`, joined by "|". */
static const char *titles(const json_t *cmp, const char *key, char *buf, size_t n)
{
	buf[0] = 0;
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(json_object_get(cmp, "compare"), key), i, a) {
		const char *t = s_of(a, "title");
		if (i)
			strncat(buf, "|", n - strlen(buf) - 1);
		strncat(buf, t ? t : "?", n - strlen(buf) - 1);
	}
	return buf;
}

/* The article titled `title` in `cmp`'s list `key`, or NULL. */
static const json_t *article(const json_t *cmp, const char *key, const char *title)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(json_object_get(cmp, "compare"), key), i, a)
		if (s_of(a, "title") && !strcmp(s_of(a, "title"), title))
			return a;
	return NULL;
}

static json_int_t count_of(const json_t *cmp, const char *key)
{
	return int_of(json_object_get(json_object_get(cmp, "compare"), "counts"), key);
}

/* The text a diff's spans give for one side: equal and `kind` spans in
 * order (chardiff.h: equal + delete is the old text, equal + insert the
 * new). */
static const char *side(const json_t *spans, const char *kind, char *buf, size_t n)
{
	buf[0] = 0;
	size_t i;
	json_t *sp;
	json_array_foreach(spans, i, sp) {
		const char *k = s_of(sp, "kind");
		if (k && (!strcmp(k, "equal") || !strcmp(k, kind)))
			strncat(buf, s_of(sp, "text") ? s_of(sp, "text") : "?",
				n - strlen(buf) - 1);
	}
	return buf;
}

/* Whether page `id`'s contents list has an article with anchor `anchor`:
 * a comparison's link to an article must land on it. */
static int has_anchor(const fixture *f, const char *id, const char *anchor)
{
	const nb_page *p = page_of(f, id);
	if (!p)
		return 0;
	json_t *pg = nb_site_page_view(&f->s, p);
	int found = 0;
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(pg, "articles"), i, a)
		if (s_of(a, "id") && !strcmp(s_of(a, "id"), anchor))
			found = 1;
	json_decref(pg);
	return found;
}

/* Whether article `a` links to `page_url` + "#" + `anchor`, an anchor that
 * page `id` has. */
static int links_to(const fixture *f, const json_t *a, const char *id, const char *page_url,
		    const char *anchor)
{
	char want[256];
	snprintf(want, sizeof(want), "%s#%s", page_url, anchor);
	return a && s_of(a, "url") && !strcmp(s_of(a, "url"), want) && has_anchor(f, id, anchor);
}

/*
 * Which version is in force, seen from every page that says so, on the
 * days around each effective date: none before the first, then each
 * version from its effective date on (the day itself included) until the
 * next one's. Only v3 is ever the latest.
 */
static void check_in_force(nb_test_state *nb__t, const char *as_of, int want)
{
	int failed = nb__t->failed_checks;
	fixture f;
	NB_CHECK(open_with(&f, as_of, hl_versions, N_HL) == 0);
	char want_url[64];
	snprintf(want_url, sizeof(want_url), "/charters/hl/v%d/", want);
	int marked = 0;
	for (int v = 1; v <= 3; v++) {
		char id[16];
		snprintf(id, sizeof(id), "hl/v%d", v);
		const nb_page *p = page_of(&f, id);
		NB_CHECK(p != NULL);
		if (!p)
			continue;
		int in_force = flag(p->page, "in_force");
		marked += in_force;
		NB_CHECK(in_force == (v == want));
		NB_CHECK(flag(p->item, "in_force") == (v == want));
		NB_CHECK(flag(p->page, "is_latest") == (v == 3));
		/* The others point readers to the one in force, when there is one. */
		const json_t *fv = json_object_get(p->page, "in_force_version");
		if (want && v != want)
			NB_CHECK_STR(s_of(fv, "url"), want_url);
		else
			NB_CHECK(fv == NULL);
		/* Its list of versions: all three in version order, itself the
		 * one viewed, and the same one in force. */
		json_t *vs = nb_charters_versions(&f.s, p, 1);
		NB_CHECK(json_array_size(vs) == 3);
		for (size_t k = 0; k < json_array_size(vs); k++) {
			const json_t *e = json_array_get(vs, k);
			char url[64];
			snprintf(url, sizeof(url), "/charters/hl/v%zu/", k + 1);
			NB_CHECK(int_of(e, "version") == (json_int_t)k + 1);
			NB_CHECK_STR(s_of(e, "url"), url);
			NB_CHECK(flag(e, "in_force") == ((int)k + 1 == want));
			NB_CHECK(flag(e, "current") == ((int)k + 1 == want));
			NB_CHECK(flag(e, "viewing") == ((int)k + 1 == v));
		}
		json_decref(vs);
	}
	NB_CHECK(marked == (want ? 1 : 0));
	/* The community page shows the one in force, or none. */
	const json_t *ch = json_object_get(fixture_page(&f, "hl"), "charter");
	if (want)
		NB_CHECK_STR(s_of(ch, "url"), want_url);
	else
		NB_CHECK(ch == NULL);
	if (nb__t->failed_checks > failed)
		fprintf(stderr, "  (as of %s, v%d in force)\n", as_of, want);
	fixture_free(&f);
}

NB_TEST(test_in_force_over_three_versions)
{
	check_in_force(NB_T, "2023-12-31", 0);
	check_in_force(NB_T, "2024-01-01", 1);
	check_in_force(NB_T, "2024-11-30", 1);
	check_in_force(NB_T, "2024-12-01", 2);
	check_in_force(NB_T, "2025-05-31", 2);
	check_in_force(NB_T, "2025-06-01", 3);
	check_in_force(NB_T, "2031-01-01", 3);
}

/* v3 adopted and not yet effective: the latest, not in force, and it
 * names the version that is (the theme's "not yet in force" notice). */
NB_TEST(test_not_yet_effective)
{
	fixture f;
	NB_CHECK(open_with(&f, "2025-01-15", hl_versions, N_HL) == 0);
	const json_t *v3 = fixture_page(&f, "hl/v3");
	NB_CHECK(flag(v3, "is_latest"));
	NB_CHECK(json_object_get(v3, "in_force") == NULL);
	NB_CHECK_STR(s_of(json_object_get(v3, "in_force_version"), "url"), "/charters/hl/v2/");
	const nb_page *p3 = page_of(&f, "hl/v3");
	NB_CHECK(p3 != NULL);
	NB_CHECK_STR(p3 ? s_of(p3->item, "status_label") : NULL, "v3");
	NB_CHECK(int_of(v3, "version") == 3);
	NB_CHECK(int_of(v3, "previous_version") == 2);
	NB_CHECK_CONTAINS(s_of(v3, "effective_display"), "2025");
	/* The one in force says so and is not the latest. */
	const json_t *v2 = fixture_page(&f, "hl/v2");
	NB_CHECK(flag(v2, "in_force"));
	NB_CHECK(json_object_get(v2, "is_latest") == NULL);
	NB_CHECK(json_object_get(v2, "in_force_version") == NULL);
	/* Its comparison page lists the versions with v2 in force, but the
	 * reader is on the comparison, not on v2. */
	json_t *c = compare_page(&f, "hl", 2);
	const json_t *e2 = json_array_get(json_object_get(c, "versions"), 1);
	NB_CHECK(int_of(e2, "version") == 2);
	NB_CHECK(flag(e2, "in_force"));
	NB_CHECK(json_object_get(e2, "viewing") == NULL);
	json_decref(c);
	/* The first version has nothing before it to compare with. */
	const json_t *v1 = fixture_page(&f, "hl/v1");
	NB_CHECK(json_object_get(v1, "changes_url") == NULL);
	NB_CHECK(json_object_get(v1, "previous_version") == NULL);
	NB_CHECK(compare_page(&f, "hl", 1) == NULL);
	fixture_free(&f);
}

/*
 * v1 -> v2, an amendment: each kind of change once, the articles matched
 * by title so that 文明养犬, moved from 第三条 to 第四条 by the insertion,
 * is unchanged (and marked renumbered) rather than shown as rewritten.
 */
NB_TEST(test_compare_amendment)
{
	fixture f;
	NB_CHECK(open_with(&f, "2024-07-01", hl_versions, N_HL) == 0);
	json_t *c = compare_page(&f, "hl", 2);
	NB_CHECK(c != NULL);
	if (!c) {
		fixture_free(&f);
		return;
	}
	char b[256];
	NB_CHECK(int_of(json_object_get(c, "old"), "version") == 1);
	NB_CHECK(int_of(json_object_get(c, "new"), "version") == 2);
	NB_CHECK_STR(s_of(json_object_get(c, "old"), "url"), "/charters/hl/v1/");
	NB_CHECK_STR(s_of(json_object_get(c, "new"), "url"), "/charters/hl/v2/");
	NB_CHECK_STR(titles(c, "added", b, sizeof(b)), "第三条 消防安全");
	NB_CHECK_STR(titles(c, "removed", b, sizeof(b)), "第四条 停车");
	NB_CHECK_STR(titles(c, "changed", b, sizeof(b)), "第二条 卫生养护");
	NB_CHECK_STR(titles(c, "unchanged", b, sizeof(b)), "第一条 总则|第四条 文明养犬");
	NB_CHECK(count_of(c, "added") == 1 && count_of(c, "removed") == 1);
	NB_CHECK(count_of(c, "changed") == 1 && count_of(c, "unchanged") == 2);

	/* The amended article: both texts, and a diff that gives each back
	 * with the one character replaced. */
	const json_t *chg = article(c, "changed", "第二条 卫生养护");
	const json_t *old = json_object_get(chg, "old");
	NB_CHECK_STR(s_of(chg, "text"), "垃圾分类投放，每周三清运。");
	NB_CHECK_STR(s_of(old, "text"), "垃圾分类投放，每周一清运。");
	NB_CHECK_STR(s_of(old, "title"), "第二条 卫生养护");
	NB_CHECK_STR(side(json_object_get(chg, "diff"), "delete", b, sizeof(b)),
		     "垃圾分类投放，每周一清运。");
	NB_CHECK_STR(side(json_object_get(chg, "diff"), "insert", b, sizeof(b)),
		     "垃圾分类投放，每周三清运。");
	NB_CHECK(int_of(chg, "deleted_chars") == 1);
	NB_CHECK(int_of(chg, "inserted_chars") == 1);
	NB_CHECK(json_object_get(chg, "renumbered") == NULL);
	NB_CHECK(json_object_get(chg, "title_diff") == NULL);
	NB_CHECK(json_object_get(chg, "title_only") == NULL);

	/* Moved by the insertion, same words: unchanged, its old number kept. */
	const json_t *dog = article(c, "unchanged", "第四条 文明养犬");
	NB_CHECK(flag(dog, "renumbered"));
	NB_CHECK_STR(s_of(json_object_get(dog, "old"), "title"), "第三条 文明养犬");
	NB_CHECK(json_object_get(article(c, "unchanged", "第一条 总则"), "renumbered") == NULL);

	/* Added and removed carry their own text, and every link lands on an
	 * article of the version it names: new ones on v2, the dropped one
	 * and old forms on v1. */
	const json_t *add = article(c, "added", "第三条 消防安全");
	const json_t *rem = article(c, "removed", "第四条 停车");
	NB_CHECK_STR(s_of(add, "text"), "楼道不得堆放杂物。");
	NB_CHECK_STR(s_of(rem, "text"), "车辆停放在划线车位内。");
	NB_CHECK(links_to(&f, add, "hl/v2", "/charters/hl/v2/", "第三条"));
	NB_CHECK(links_to(&f, rem, "hl/v1", "/charters/hl/v1/", "第四条"));
	NB_CHECK(links_to(&f, chg, "hl/v2", "/charters/hl/v2/", "第二条"));
	NB_CHECK(links_to(&f, old, "hl/v1", "/charters/hl/v1/", "第二条"));
	NB_CHECK(links_to(&f, dog, "hl/v2", "/charters/hl/v2/", "第四条"));
	NB_CHECK(links_to(&f, json_object_get(dog, "old"), "hl/v1", "/charters/hl/v1/", "第三条"));
	json_decref(c);
	fixture_free(&f);
}

/*
 * v2 -> v3 is compared with v2, not v1. A title matches before a number
 * does: 文明养犬, now 第二条, is v2's 第四条, not the 卫生养护 that was
 * 第二条 (dropped); a reworded title keeps its number's article
 * (消防安全 -> 消防安全管理, text kept: only the title changed); an
 * article whose title and number are both new is added.
 */
NB_TEST(test_compare_title_before_number)
{
	fixture f;
	NB_CHECK(open_with(&f, "2024-07-01", hl_versions, N_HL) == 0);
	json_t *c = compare_page(&f, "hl", 3);
	NB_CHECK(c != NULL);
	if (!c) {
		fixture_free(&f);
		return;
	}
	char b[256];
	NB_CHECK(int_of(json_object_get(c, "old"), "version") == 2);
	NB_CHECK_STR(s_of(json_object_get(c, "old"), "url"), "/charters/hl/v2/");
	NB_CHECK_STR(titles(c, "added", b, sizeof(b)), "第四条 邻里互助");
	NB_CHECK_STR(titles(c, "removed", b, sizeof(b)), "第二条 卫生养护");
	NB_CHECK_STR(titles(c, "changed", b, sizeof(b)), "第三条 消防安全管理");
	NB_CHECK_STR(titles(c, "unchanged", b, sizeof(b)), "第一条 总则|第二条 文明养犬");

	const json_t *dog = article(c, "unchanged", "第二条 文明养犬");
	NB_CHECK_STR(s_of(json_object_get(dog, "old"), "title"), "第四条 文明养犬");
	NB_CHECK(flag(dog, "renumbered"));
	/* The removed article is v2's own text, not v1's. */
	NB_CHECK_STR(s_of(article(c, "removed", "第二条 卫生养护"), "text"),
		     "垃圾分类投放，每周三清运。");

	const json_t *fire = article(c, "changed", "第三条 消防安全管理");
	NB_CHECK_STR(s_of(json_object_get(fire, "old"), "title"), "第三条 消防安全");
	NB_CHECK(flag(fire, "title_only"));
	NB_CHECK(int_of(fire, "deleted_chars") == 0);
	NB_CHECK(int_of(fire, "inserted_chars") == 0);
	NB_CHECK(json_object_get(fire, "renumbered") == NULL);
	const json_t *td = json_object_get(fire, "title_diff");
	NB_CHECK_STR(side(td, "delete", b, sizeof(b)), "第三条 消防安全");
	NB_CHECK_STR(side(td, "insert", b, sizeof(b)), "第三条 消防安全管理");
	json_decref(c);
	fixture_free(&f);
}

/*
 * A version rewritten rather than amended: every article renumbered and
 * reordered, some retitled too. What keeps its title is still paired
 * with its old self wherever it moved; what changed both title and
 * number has nothing to be paired with and is shown as added and removed,
 * never as a change of some unrelated article.
 */
NB_TEST(test_compare_rewrite)
{
	static const char *const docs[][2] = {
		{ "content/charters/hl/v1.md",
		  CHARTER("Hongling charter", "hl", 1, "2024-01-01")
		  "## 第一条 总则\n\n甲。\n\n## 第二条 卫生\n\n乙。\n\n"
		  "## 第三条 养犬\n\n丙。\n\n## 第四条 停车\n\n丁。\n" },
		{ "content/charters/hl/v2.md",
		  CHARTER("Hongling charter", "hl", 2, "2024-02-01")
		  "## 第一章 总纲\n\n甲。\n\n## 第二章 停车\n\n丁丁。\n\n"
		  "## 第三章 养犬\n\n丙。\n\n## 第四章 卫生\n\n乙。\n" },
	};
	fixture f;
	NB_CHECK(open_with(&f, "2024-07-01", docs, 2) == 0);
	json_t *c = compare_page(&f, "hl", 2);
	NB_CHECK(c != NULL);
	if (!c) {
		fixture_free(&f);
		return;
	}
	char b[256];
	NB_CHECK_STR(titles(c, "added", b, sizeof(b)), "第一章 总纲");
	NB_CHECK_STR(titles(c, "removed", b, sizeof(b)), "第一条 总则");
	NB_CHECK_STR(titles(c, "changed", b, sizeof(b)), "第二章 停车");
	NB_CHECK_STR(titles(c, "unchanged", b, sizeof(b)), "第三章 养犬|第四章 卫生");
	NB_CHECK_STR(s_of(json_object_get(article(c, "changed", "第二章 停车"), "old"), "title"),
		     "第四条 停车");
	NB_CHECK_STR(s_of(json_object_get(article(c, "changed", "第二章 停车"), "old"), "text"),
		     "丁。");
	NB_CHECK_STR(s_of(json_object_get(article(c, "unchanged", "第三章 养犬"), "old"), "title"),
		     "第三条 养犬");
	NB_CHECK_STR(s_of(json_object_get(article(c, "unchanged", "第四章 卫生"), "old"), "title"),
		     "第二条 卫生");
	NB_CHECK(flag(article(c, "unchanged", "第四章 卫生"), "renumbered"));
	json_decref(c);
	fixture_free(&f);
}

/*
 * Eleven versions, v1 to v11: v10 and v11 come before v2 in the order of
 * the files, so a list or a comparison that followed that order instead
 * of the versions' would show. Each comparison is with the version just
 * before.
 */
#define N_MANY 11

NB_TEST(test_many_versions_in_order)
{
	char path[N_MANY][48], text[N_MANY][320];
	const char *docs[N_MANY][2];
	for (int v = 1; v <= N_MANY; v++) {
		snprintf(path[v - 1], sizeof(path[0]), "content/charters/hl/v%d.md", v);
		/* v11 is not yet effective, so v10 is in force. */
		snprintf(text[v - 1], sizeof(text[0]),
			 "---\ntitle: \"Hongling charter\"\ncommunity: \"hl\"\nversion: %d\n"
			 "effective: \"%s-%02d-01\"\n---\n## 第一条 总则\n\n第%d版。\n",
			 v, v == N_MANY ? "2030" : "2020", v, v);
		docs[v - 1][0] = path[v - 1];
		docs[v - 1][1] = text[v - 1];
	}
	fixture f;
	NB_CHECK(open_with(&f, "2024-07-01", (const char *const (*)[2])docs, N_MANY) == 0);
	const nb_page *v1 = page_of(&f, "hl/v1");
	json_t *vs = v1 ? nb_charters_versions(&f.s, v1, 0) : NULL;
	NB_CHECK(json_array_size(vs) == N_MANY);
	for (size_t k = 0; k < json_array_size(vs); k++) {
		const json_t *e = json_array_get(vs, k);
		int v = (int)k + 1;
		char url[64], cu[80];
		snprintf(url, sizeof(url), "/charters/hl/v%d/", v);
		snprintf(cu, sizeof(cu), "/charters/hl/v%d/changes/", v);
		NB_CHECK(int_of(e, "version") == v);
		NB_CHECK_STR(s_of(e, "url"), url);
		NB_CHECK(flag(e, "in_force") == (v == 10));
		NB_CHECK(json_object_get(e, "viewing") == NULL);
		if (v == 1)
			NB_CHECK(json_object_get(e, "changes_url") == NULL);
		else
			NB_CHECK_STR(s_of(e, "changes_url"), cu);
	}
	json_decref(vs);
	size_t n_cmp = 0;
	for (size_t i = 0; i < f.s.n_extra; i++)
		n_cmp += f.s.extra[i].charter != NULL;
	NB_CHECK(n_cmp == N_MANY - 1);
	for (int v = 2; v <= N_MANY; v++) {
		json_t *c = compare_page(&f, "hl", v);
		NB_CHECK(c != NULL);
		if (!c)
			continue;
		char url[64], was[32], now[32];
		snprintf(url, sizeof(url), "/charters/hl/v%d/", v - 1);
		snprintf(was, sizeof(was), "第%d版。", v - 1);
		snprintf(now, sizeof(now), "第%d版。", v);
		NB_CHECK(int_of(json_object_get(c, "old"), "version") == v - 1);
		NB_CHECK(int_of(json_object_get(c, "new"), "version") == v);
		NB_CHECK_STR(s_of(json_object_get(c, "old"), "url"), url);
		const json_t *a = article(c, "changed", "第一条 总则");
		NB_CHECK_STR(s_of(a, "text"), now);
		NB_CHECK_STR(s_of(json_object_get(a, "old"), "text"), was);
		/* The comparison page lists the versions too, none as viewed. */
		NB_CHECK(json_array_size(json_object_get(c, "versions")) == N_MANY);
		json_decref(c);
	}
	fixture_free(&f);
}

/*
 * Two communities: each has its own versions, its own version in force
 * and comparisons within its own charter, though both have a v1 and a
 * v2 and an article titled 停车.
 */
NB_TEST(test_communities_do_not_mix)
{
	fixture f;
	NB_CHECK(open_both(&f, "2024-07-01") == 0);
	/* Xinsheng's v2 came into force in June; Hongling's v2 is not yet. */
	NB_CHECK(flag(fixture_page(&f, "xs/v2"), "in_force"));
	NB_CHECK(json_object_get(fixture_page(&f, "xs/v1"), "in_force") == NULL);
	NB_CHECK(flag(fixture_page(&f, "hl/v1"), "in_force"));
	NB_CHECK(json_object_get(fixture_page(&f, "hl/v2"), "in_force") == NULL);
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "hl/v2"), "in_force_version"), "url"),
		     "/charters/hl/v1/");
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "xs/v1"), "in_force_version"), "url"),
		     "/charters/xs/v2/");
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "hl"), "charter"), "url"),
		     "/charters/hl/v1/");
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "xs"), "charter"), "url"),
		     "/charters/xs/v2/");
	/* Xinsheng's v2 is its latest though Hongling has a v3. */
	NB_CHECK(flag(fixture_page(&f, "xs/v2"), "is_latest"));

	json_t *vs = nb_charters_versions(&f.s, page_of(&f, "xs/v2"), 1);
	NB_CHECK(json_array_size(vs) == 2);
	NB_CHECK_STR(s_of(json_array_get(vs, 0), "url"), "/charters/xs/v1/");
	NB_CHECK_STR(s_of(json_array_get(vs, 1), "url"), "/charters/xs/v2/");
	NB_CHECK(flag(json_array_get(vs, 1), "in_force"));
	json_decref(vs);
	vs = nb_charters_versions(&f.s, page_of(&f, "hl/v2"), 1);
	NB_CHECK(json_array_size(vs) == 3);
	for (size_t k = 0; k < json_array_size(vs); k++)
		NB_CHECK(!strncmp(s_of(json_array_get(vs, k), "url"), "/charters/hl/", 13));
	json_decref(vs);

	/* Xinsheng's comparison: its own v1 against its v2, where 停车 is new. */
	json_t *c = compare_page(&f, "xs", 2);
	NB_CHECK(c != NULL);
	char b[256];
	NB_CHECK_STR(s_of(json_object_get(c, "old"), "url"), "/charters/xs/v1/");
	NB_CHECK_STR(titles(c, "added", b, sizeof(b)), "第二条 停车");
	NB_CHECK_STR(titles(c, "unchanged", b, sizeof(b)), "第一条 宗旨");
	NB_CHECK(count_of(c, "removed") == 0 && count_of(c, "changed") == 0);
	NB_CHECK(json_array_size(json_object_get(c, "versions")) == 2);
	json_decref(c);
	/* Hongling's still drops its own 停车. */
	c = compare_page(&f, "hl", 2);
	NB_CHECK_STR(titles(c, "removed", b, sizeof(b)), "第四条 停车");
	NB_CHECK_STR(s_of(json_object_get(c, "old"), "url"), "/charters/hl/v1/");
	json_decref(c);
	NB_CHECK(compare_page(&f, "xs", 3) == NULL);
	fixture_free(&f);
}

/*
 * The comparison page's address and links under a site published below
 * its domain's root: written where its version's link points, titled
 * after its charter and version, and linking both versions.
 */
NB_TEST(test_compare_page_under_base_path)
{
	static const char *const docs[][2] = {
		{ "site.yaml", "title: \"Hongling\"\nlanguage: en\n"
			       "base_url: \"https://example.org/hl/\"\n" },
	};
	fixture f;
	NB_CHECK(open_with(&f, "2024-07-01", docs, 1) == 0);
	const nb_extra_page *e = extra_at(&f, "charters/hl/v2/changes/index.html");
	NB_CHECK(e != NULL);
	if (!e) {
		fixture_free(&f);
		return;
	}
	const nb_page *v2 = page_of(&f, "hl/v2");
	NB_CHECK(e->charter == v2);
	NB_CHECK_STR(s_of(v2->page, "changes_url"), "/hl/charters/hl/v2/changes/");
	NB_CHECK_STR(s_of(e->page, "url"), "/hl/charters/hl/v2/changes/");
	NB_CHECK_STR(s_of(e->page, "permalink"), "https://example.org/hl/charters/hl/v2/changes/");
	NB_CHECK_STR(s_of(e->page, "title"), "Hongling charter · Version 2: changes");
	json_t *c = nb_charters_compare_view(&f.s, e);
	NB_CHECK_STR(s_of(json_object_get(c, "new"), "url"), "/hl/charters/hl/v2/");
	NB_CHECK_STR(s_of(json_object_get(c, "old"), "url"), "/hl/charters/hl/v1/");
	NB_CHECK_STR(s_of(json_object_get(c, "community"), "url"), "/hl/communities/hl/");
	/* The breadcrumb before the page's own is the version compared. */
	const json_t *cr = json_object_get(c, "breadcrumbs");
	NB_CHECK_STR(s_of(json_array_get(cr, json_array_size(cr) - 2), "url"),
		     "/hl/charters/hl/v2/");
	const json_t *added = article(c, "added", "Article 2 Bins");
	NB_CHECK_STR(s_of(added, "url"), "/hl/charters/hl/v2/#article-2-bins");
	NB_CHECK(has_anchor(&f, "hl/v2", "article-2-bins"));
	json_t *vs = json_object_get(c, "versions");
	NB_CHECK_STR(s_of(json_array_get(vs, 1), "changes_url"), "/hl/charters/hl/v2/changes/");
	json_decref(c);
	fixture_free(&f);
}

/* The state one version is shown in: exactly one of in force, not yet in
 * force and superseded, on its page and in every list of versions. */
static void check_state(nb_test_state *nb__t, const fixture *f, int v, const char *want)
{
	char id[16];
	snprintf(id, sizeof(id), "hl/v%d", v);
	const nb_page *p = page_of(f, id);
	NB_CHECK(p != NULL);
	if (!p)
		return;
	static const char *const states[] = { "in_force", "not_yet_in_force", "superseded" };
	for (size_t k = 0; k < 3; k++) {
		int is = flag(p->page, states[k]), should = !strcmp(states[k], want);
		NB_CHECK(is == should);
		if (is != should)
			fprintf(stderr, "  (v%d: `%s` wrong, want %s)\n", v, states[k], want);
	}
	json_t *vs = nb_charters_versions(&f->s, page_of(f, "hl/v1"), 1);
	const json_t *e = json_array_get(vs, (size_t)v - 1);
	NB_CHECK(int_of(e, "version") == v);
	NB_CHECK(flag(e, "in_force") == !strcmp(want, "in_force"));
	NB_CHECK(flag(e, "not_yet_in_force") == !strcmp(want, "not_yet_in_force"));
	json_decref(vs);
}

/* The text of output file `rel` under `out` (malloc'd), or NULL. */
static char *output_of(const char *out, const char *rel)
{
	char *p = nb_path_join(out, rel), *data = NULL;
	size_t len = 0;
	if (nb_fs_read(p, 0, &data, &len) != 0)
		data = NULL;
	free(p);
	return data;
}

/*
 * Two versions adopted ahead of time. As of 2024-07-01 only v1 has taken
 * effect: v2 (effective 2024-12-01) is not yet in force just as v3 is,
 * though v3 is the latest; telling residents v2 "no longer applies" was
 * a wrong public statement about a rule that had not started to apply.
 * Only a version the one in force replaced is superseded. The rendered
 * pages say so in the theme's words.
 */
NB_TEST(test_every_pending_version_is_not_yet_in_force)
{
	static const struct {
		const char *as_of;
		const char *state[3];
	} days[] = {
		{ "2023-12-31", { "not_yet_in_force", "not_yet_in_force", "not_yet_in_force" } },
		{ "2024-07-01", { "in_force", "not_yet_in_force", "not_yet_in_force" } },
		{ "2025-01-15", { "superseded", "in_force", "not_yet_in_force" } },
		{ "2025-07-01", { "superseded", "superseded", "in_force" } },
	};
	for (size_t d = 0; d < sizeof(days) / sizeof(days[0]); d++) {
		fixture f;
		NB_CHECK(open_with(&f, days[d].as_of, hl_versions, N_HL) == 0);
		int failed = NB_T->failed_checks;
		for (int v = 1; v <= 3; v++)
			check_state(NB_T, &f, v, days[d].state[v - 1]);
		if (NB_T->failed_checks > failed)
			fprintf(stderr, "  (as of %s)\n", days[d].as_of);
		fixture_free(&f);
	}

	fixture f;
	NB_CHECK(open_with(&f, "2024-07-01", hl_versions, N_HL) == 0);
	char out[96];
	snprintf(out, sizeof(out), "%s/out", f.dir);
	nb_render_stats st;
	memset(&st, 0, sizeof(st));
	NB_CHECK(nb_fs_mkdirs(out) == 0);
	NB_CHECK(nb_render_site(&f.s, &f.c, out, &st, &f.d) == 0);
	for (int v = 2; v <= 3; v++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "charters/hl/v%d/index.html", v);
		char *html = output_of(out, rel);
		NB_CHECK_CONTAINS(html,
				  "<strong class=\"tag tag-pending\">Not yet in force</strong>");
		NB_CHECK_CONTAINS(html, "This version has been adopted but is not yet in force.");
		NB_CHECK(html && !strstr(html, "Earlier version"));
		NB_CHECK(html && !strstr(html, "no longer applies"));
		free(html);
	}
	/* v1's list of versions tags both pending versions. */
	char *html = output_of(out, "charters/hl/v1/index.html");
	const char *list = html ? strstr(html, "<ol class=\"versions\"") : NULL;
	size_t n = 0;
	for (const char *q = list; q && (q = strstr(q, "tag-pending")); q++)
		n++;
	NB_CHECK(n == 2);
	NB_CHECK(html && !strstr(html, "notice-warning"));
	free(html);
	fixture_free(&f);
}

/* How many comparison pages community `com` has. */
static size_t comparisons_of(const fixture *f, const char *com)
{
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "charters/%s/", com);
	size_t n = 0;
	for (size_t i = 0; i < f->s.n_extra; i++)
		n += f->s.extra[i].charter &&
		     !strncmp(f->s.extra[i].out_path, prefix, strlen(prefix));
	return n;
}

/*
 * Gaps in the numbers: Hongling's v2 is still a draft, and Xinsheng never
 * had a v2 (its v3 follows its v1). Each v3 is compared with its v1, the
 * closest lower version published, and its page and every list link to
 * that comparison; a comparison with "v2" would have none to show, and
 * there was none at all, so v3 had no comparison page and no link to one.
 */
NB_TEST(test_compare_across_a_gap)
{
	const char *const docs[][2] = {
		{ hl_versions[0][0], hl_versions[0][1] },
		{ "content/charters/hl/v2.md",
		  "---\ntitle: \"Hongling charter\"\ncommunity: \"hl\"\nversion: 2\n"
		  "effective: \"2024-12-01\"\ndraft: true\n---\n"
		  "## 第一条 总则\n\n草稿。\n\n## 第二条 卫生养护\n\n草稿。\n" },
		{ hl_versions[2][0], hl_versions[2][1] },
		{ xs_docs[0][0], xs_docs[0][1] },
		{ xs_docs[1][0], xs_docs[1][1] },
		{ "content/charters/xs/v3.md",
		  CHARTER("Xinsheng charter", "xs", 3, "2025-01-01")
		  "## 第一条 宗旨\n\n共建共治共享。\n\n"
		  "## 第二条 停车\n\n访客车辆限停两小时。\n" },
	};
	fixture f;
	NB_CHECK(open_with(&f, "2025-07-01", docs, sizeof(docs) / sizeof(docs[0])) == 0);
	NB_CHECK(page_of(&f, "hl/v2") == NULL);

	static const char *const coms[] = { "hl", "xs" };
	for (size_t k = 0; k < 2; k++) {
		char id[16], url1[64], cu[80];
		snprintf(id, sizeof(id), "%s/v3", coms[k]);
		snprintf(url1, sizeof(url1), "/charters/%s/v1/", coms[k]);
		snprintf(cu, sizeof(cu), "/charters/%s/v3/changes/", coms[k]);
		const json_t *v3 = fixture_page(&f, id);
		NB_CHECK_STR(s_of(v3, "changes_url"), cu);
		NB_CHECK(int_of(v3, "previous_version") == 1);
		/* Both lists of versions: v1 then v3, v3's comparison linked. */
		json_t *vs = nb_charters_versions(&f.s, page_of(&f, id), 1);
		NB_CHECK(json_array_size(vs) == 2);
		NB_CHECK(json_object_get(json_array_get(vs, 0), "changes_url") == NULL);
		NB_CHECK(int_of(json_array_get(vs, 1), "version") == 3);
		NB_CHECK_STR(s_of(json_array_get(vs, 1), "changes_url"), cu);
		json_decref(vs);
		/* One comparison page, v3 against v1. */
		NB_CHECK(comparisons_of(&f, coms[k]) == 1);
		json_t *c = compare_page(&f, coms[k], 3);
		NB_CHECK(c != NULL);
		NB_CHECK(int_of(json_object_get(c, "old"), "version") == 1);
		NB_CHECK_STR(s_of(json_object_get(c, "old"), "url"), url1);
		NB_CHECK(int_of(json_object_get(c, "new"), "version") == 3);
		NB_CHECK(json_array_size(json_object_get(c, "versions")) == 2);
		if (k == 0) {
			/* Against v1's text, not the draft's: 卫生养护 as v1 had it,
			 * 文明养犬 from v1's 第三条. */
			char b[256];
			NB_CHECK_STR(titles(c, "removed", b, sizeof(b)), "第二条 卫生养护");
			NB_CHECK_STR(s_of(article(c, "removed", "第二条 卫生养护"), "text"),
				     "垃圾分类投放，每周一清运。");
			const json_t *dog = article(c, "unchanged", "第二条 文明养犬");
			NB_CHECK_STR(s_of(json_object_get(dog, "old"), "title"), "第三条 文明养犬");
			NB_CHECK(links_to(&f, json_object_get(dog, "old"), "hl/v1", url1, "第三条"));
		} else {
			char b[256];
			NB_CHECK_STR(titles(c, "added", b, sizeof(b)), "第二条 停车");
			NB_CHECK_STR(titles(c, "unchanged", b, sizeof(b)), "第一条 宗旨");
		}
		json_decref(c);
		NB_CHECK(compare_page(&f, coms[k], 2) == NULL);
	}
	fixture_free(&f);
}

/*
 * Version numbers of four digits: a community that numbers its versions
 * by year and sequence, or has simply amended its charter a thousand
 * times. v1000 and v1001 were left out of every list of versions and of
 * the latest check without a word, so v1 claimed to be the latest. They
 * are versions like any other: listed in order, in force or not yet,
 * compared with the one before.
 */
NB_TEST(test_versions_of_four_digits)
{
	const char *const docs[][2] = {
		{ xs_docs[0][0], xs_docs[0][1] },
		{ "content/charters/xs/v1.md",
		  CHARTER("Xinsheng charter", "xs", 1, "2020-01-01") "## 第一条 宗旨\n\n甲。\n" },
		{ "content/charters/xs/v1000.md",
		  CHARTER("Xinsheng charter", "xs", 1000, "2021-01-01") "## 第一条 宗旨\n\n乙。\n" },
		{ "content/charters/xs/v1001.md",
		  CHARTER("Xinsheng charter", "xs", 1001, "2030-01-01") "## 第一条 宗旨\n\n丙。\n" },
	};
	fixture f;
	NB_CHECK(open_with(&f, "2024-07-01", docs, sizeof(docs) / sizeof(docs[0])) == 0);
	static const int vs_want[] = { 1, 1000, 1001 };
	static const char *const state[] = { "superseded", "in_force", "not_yet_in_force" };
	for (size_t k = 0; k < 3; k++) {
		char id[16];
		snprintf(id, sizeof(id), "xs/v%d", vs_want[k]);
		const nb_page *p = page_of(&f, id);
		NB_CHECK(p != NULL);
		if (!p)
			continue;
		NB_CHECK(flag(p->page, state[k]));
		NB_CHECK(flag(p->page, "is_latest") == (k == 2));
		NB_CHECK(int_of(p->page, "version") == vs_want[k]);
		if (k)
			NB_CHECK(int_of(p->page, "previous_version") == vs_want[k - 1]);
		json_t *vs = nb_charters_versions(&f.s, p, 1);
		NB_CHECK(json_array_size(vs) == 3);
		for (size_t j = 0; j < json_array_size(vs); j++) {
			const json_t *e = json_array_get(vs, j);
			char url[64];
			snprintf(url, sizeof(url), "/charters/xs/v%d/", vs_want[j]);
			NB_CHECK(int_of(e, "version") == vs_want[j]);
			NB_CHECK_STR(s_of(e, "url"), url);
			NB_CHECK(flag(e, "viewing") == (j == k));
			NB_CHECK(flag(e, "in_force") == (j == 1));
			NB_CHECK(flag(e, "not_yet_in_force") == (j == 2));
			NB_CHECK((json_object_get(e, "changes_url") != NULL) == (j > 0));
		}
		json_decref(vs);
	}
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "xs"), "charter"), "url"),
		     "/charters/xs/v1000/");
	NB_CHECK(comparisons_of(&f, "xs") == 2);
	json_t *c = compare_page(&f, "xs", 1001);
	NB_CHECK(int_of(json_object_get(c, "old"), "version") == 1000);
	NB_CHECK_STR(s_of(json_object_get(c, "old"), "url"), "/charters/xs/v1000/");
	const json_t *a = article(c, "changed", "第一条 宗旨");
	NB_CHECK_STR(s_of(json_object_get(a, "old"), "text"), "乙。");
	NB_CHECK_STR(s_of(a, "text"), "丙。");
	json_decref(c);
	fixture_free(&f);
}

NB_TEST_MAIN("charters",
	NB_CASE(test_in_force_over_three_versions),
	NB_CASE(test_not_yet_effective),
	NB_CASE(test_compare_amendment),
	NB_CASE(test_compare_title_before_number),
	NB_CASE(test_compare_rewrite),
	NB_CASE(test_many_versions_in_order),
	NB_CASE(test_communities_do_not_mix),
	NB_CASE(test_compare_page_under_base_path),
	NB_CASE(test_every_pending_version_is_not_yet_in_force),
	NB_CASE(test_compare_across_a_gap),
	NB_CASE(test_versions_of_four_digits))

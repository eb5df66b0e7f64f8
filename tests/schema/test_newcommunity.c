/*
 * test_newcommunity.c - the community document `init --community` and
 * `new community` write (newcommunity.c).
 *
 * What newcommunity.h and the README's `init` row promise: the answers
 * filled in (name, street, type, platform, chair), the committee as the
 * seven entries the schema asks for at least, with the roles and
 * affiliations of the seed document and … for the names nobody gave; the
 * file starts as `draft: true` and passes check as written; once the draft
 * line is removed every … is an error at its line and column, and filled
 * in the community passes. An unusable id, type or platform is refused
 * with a one-line reason in the site's language, and nothing is written.
 * Each test puts the text at content/communities/<id>.md of a small site
 * (check_site.h) and checks it there.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_site.h"
#include "load/meta.h"
#include "schema/newcommunity.h"
#include "util/buf.h"

static const char *const files[][2] = {
	{ "content/pages/about.md", "---\ntitle: \"About\"\n---\nUs.\n" },
};

/* The site with the community these answers give written in it (the
 * template must accept them). */
static void open_with(site *s, const nb_community_answers *a, int zh)
{
	site_open(s, "newcommunity", files, 1);
	nb_buf text = NB_BUF_INIT;
	if (nb_community_template(&text, a, zh) != 0)
		abort();
	char rel[128];
	snprintf(rel, sizeof(rel), "content/communities/%s.md", a->id);
	put(s, rel, nb_buf_cstr(&text));
	nb_buf_free(&text);
}

static const nb_doc *community(const site *s)
{
	for (size_t i = 0; i < s->c.len; i++)
		if (!strcmp(s->c.docs[i].kind, "communities"))
			return &s->c.docs[i];
	return NULL;
}

/* Member i's `key` is `want`. */
static void expect_member(nb_test_state *nb__t, const nb_doc *d, size_t i, const char *key,
			  const char *want)
{
	json_t *c = d ? nb_doc_get(d, "committee") : NULL;
	NB_CHECK_STR(json_string_value(json_object_get(json_array_get(c, i), key)), want);
	json_decref(c);
}

static size_t members(const nb_doc *d)
{
	json_t *c = d ? nb_doc_get(d, "committee") : NULL;
	size_t n = json_array_size(c);
	json_decref(c);
	return n;
}

NB_TEST(the_answers_are_filled_in_and_it_passes_check_as_a_draft)
{
	nb_community_answers a = { "huaiyin", "槐荫社区", "桂园街道", "老旧住宅区", "party", "周建华" };
	site s;
	open_with(&s, &a, 1);
	NB_CHECK(site_check(&s) == 0);
	NB_CHECK(s.d.len == 0);
	if (s.d.len)
		nb_diag_print(&s.d, stderr, 0);
	const nb_doc *d = community(&s);
	NB_CHECK(d && d->draft);
	NB_CHECK(d && !strcmp(d->path, "content/communities/huaiyin.md"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "title"), "槐荫社区"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "name"), "槐荫社区"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "street"), "桂园街道"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "type"), "老旧住宅区"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "platform"), "party"));
	/* Seven, the schema's least: the chair first, then … to fill in. */
	NB_CHECK(members(d) == 7);
	expect_member(NB_T, d, 0, "name", "周建华");
	expect_member(NB_T, d, 0, "role", "主任");
	expect_member(NB_T, d, 0, "affiliation", "社区党委");
	expect_member(NB_T, d, 1, "role", "副主任");
	for (size_t i = 1; i < 7; i++)
		expect_member(NB_T, d, i, "name", "……");
	expect_member(NB_T, d, 6, "affiliation", "居民代表");
	site_free(&s);
}

/* English, no name, street or chair: the id is the name, the street a
 * commented line, and the chair's name … too. */
NB_TEST(the_least_answers_in_english)
{
	nb_community_answers a = { "meilin", NULL, NULL, "新兴住宅区", "owners-committee", NULL };
	site s;
	open_with(&s, &a, 0);
	NB_CHECK(site_check(&s) == 0);
	NB_CHECK(s.d.len == 0);
	const nb_doc *d = community(&s);
	NB_CHECK(d && !strcmp(nb_doc_str(d, "title"), "meilin"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "name"), "meilin"));
	NB_CHECK(d && !nb_doc_has(d, "street"));
	NB_CHECK(members(d) == 7);
	expect_member(NB_T, d, 0, "name", "…");
	expect_member(NB_T, d, 0, "role", "chair");
	expect_member(NB_T, d, 1, "role", "vice-chair");
	expect_member(NB_T, d, 2, "role", "member");
	site_free(&s);
}

/* Published unfilled, each … is an error at its own line:
 *   1 ---  2 title  3 name  4 street  5 type  6 platform  7 committee
 *   8..14 the members, `  - {name: "…"` (the value at column 12). */
NB_TEST(each_placeholder_is_an_error_once_the_draft_line_is_removed)
{
	for (int chair = 0; chair < 2; chair++) {
		nb_community_answers a = { "huaiyin", "槐荫社区", "桂园街道", "老旧住宅区", "party",
					   chair ? "周建华" : NULL };
		site s;
		open_with(&s, &a, 1);
		NB_CHECK(edit(&s, "content/communities/huaiyin.md",
			      "draft: true   # 填好自治会成员的姓名后删除这一行，才会发布\n", ""));
		NB_CHECK(site_check(&s) == -1);
		size_t want = chair ? 6 : 7;
		NB_CHECK(s.d.len == want);
		NB_CHECK(diag_count(&s.d, "placeholder") == want);
		for (size_t i = 0; i < s.d.len; i++) {
			const nb_diag_entry *e = &s.d.items[i];
			NB_CHECK_STR(e->file, "content/communities/huaiyin.md");
			NB_CHECK(e->line == (int)(8 + i + (size_t)chair) && e->col == 12);
			NB_CHECK(e->hint != NULL);
		}
		if (s.d.len != want)
			nb_diag_print(&s.d, stderr, 0);
		site_free(&s);
	}
}

/* Names written in, the draft line removed: a community that passes. */
NB_TEST(filled_in_it_passes)
{
	for (int zh = 0; zh < 2; zh++) {
		nb_community_answers a = { "huaiyin", "槐荫社区", "桂园街道", "老旧住宅区", "party",
					   NULL };
		site s;
		open_with(&s, &a, zh);
		static const char *const names[] = { "周建华", "林晓燕", "王德明", "陈国强", "李秀英",
						     "张伟", "刘芳" };
		const char *dots = zh ? "\"……\"" : "\"…\"";
		for (size_t i = 0; i < 7; i++) {
			char quoted[64];
			snprintf(quoted, sizeof(quoted), "\"%s\"", names[i]);
			NB_CHECK(edit(&s, "content/communities/huaiyin.md", dots, quoted));
		}
		NB_CHECK(edit(&s, "content/communities/huaiyin.md", "draft: true", "draft: false"));
		NB_CHECK(site_check(&s) == 0);
		NB_CHECK(s.d.len == 0);
		if (s.d.len)
			nb_diag_print(&s.d, stderr, 0);
		const nb_doc *d = community(&s);
		NB_CHECK(d && !d->draft);
		site_free(&s);
	}
}

/* Refused answers: -1 and a one-line reason, in the language asked for. */
NB_TEST(an_unusable_id_type_or_platform_is_refused)
{
	static const struct { const char *id, *type, *platform; int zh; const char *says; } cases[] = {
		{ NULL, "城中村", "party", 1, "社区编号 `` 不能用" },
		{ "", "城中村", "party", 0, "`` is not a usable community id" },
		{ "hua yin", "城中村", "party", 0, "`hua yin` is not a usable community id" },
		{ "a/b", "城中村", "party", 0, "`a/b` is not a usable community id" },
		{ "..", "城中村", "party", 0, "`..` is not a usable community id" },
		{ ".hidden", "城中村", "party", 0, "`.hidden` is not a usable community id" },
		{ "x\"y", "城中村", "party", 0, "is not a usable community id" },
		{ "huaiyin", "村", "party", 1, "社区类型须是以下之一：商业区, 商住混合区" },
		{ "huaiyin", NULL, "party", 0, "the community type must be one of: 商业区" },
		{ "huaiyin", "城中村", "Party", 0, "the platform must be one of: party, residents-" },
		{ "huaiyin", "城中村", "党组织", 1, "自治平台须是以下之一：party" },
		{ "huaiyin", "城中村", NULL, 0, "mass-organisations" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nb_community_answers a = { cases[i].id, "名", NULL, cases[i].type, cases[i].platform,
					   NULL };
		nb_buf out = NB_BUF_INIT;
		NB_CHECK(nb_community_template(&out, &a, cases[i].zh) == -1);
		NB_CHECK_CONTAINS(nb_buf_cstr(&out), cases[i].says);
		NB_CHECK(!strchr(nb_buf_cstr(&out), '\n'));
		nb_buf_free(&out);
	}
}

/* Whatever the secretary typed comes back from the file as typed. */
NB_TEST(names_come_back_exactly_as_typed)
{
	static const char *const names[] = {
		"yes", "null", "~", "0123", "a: b # c", "\"引号\"社区", "back\\slash", "- dash",
		"&anchor", "*star", "{flow}", "  spaced  ", "槐荫社区（东片）",
		"two\nlines", "esc\x1b[1mbold", "c1\xc2\x9b",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		nb_community_answers a = { "c", names[i], names[i], "城中村", "village-company",
					   names[i] };
		site s;
		open_with(&s, &a, 1);
		NB_CHECK(site_check(&s) == 0);
		if (s.d.errors)
			nb_diag_print(&s.d, stderr, 0);
		const nb_doc *d = community(&s);
		NB_CHECK(d != NULL);
		if (d) {
			NB_CHECK_STR(nb_doc_str(d, "title"), names[i]);
			NB_CHECK_STR(nb_doc_str(d, "name"), names[i]);
			NB_CHECK_STR(nb_doc_str(d, "street"), names[i]);
			expect_member(NB_T, d, 0, "name", names[i]);
		}
		site_free(&s);
	}
}

NB_TEST_MAIN("newcommunity",
	     NB_CASE(the_answers_are_filled_in_and_it_passes_check_as_a_draft),
	     NB_CASE(the_least_answers_in_english),
	     NB_CASE(each_placeholder_is_an_error_once_the_draft_line_is_removed),
	     NB_CASE(filled_in_it_passes),
	     NB_CASE(an_unusable_id_type_or_platform_is_refused),
	     NB_CASE(names_come_back_exactly_as_typed))

/*
 * test_skeleton.c - the documents `noticeboard new KIND` writes
 * (skeleton.c; cli/cmd_new.c reads the arguments around it).
 *
 * What the README's `new` row and skeleton.c's top comment promise, as a
 * secretary meets it: every skeleton passes `check` as written (it starts
 * as `draft: true`); its fields are filled in from the site (the
 * committee as attendees and signatories, its chair, the place and date
 * of the latest meeting, the charter text in force as v<N+1>, the street
 * office as assessor); the `…` it leaves and an adopted decision's 0/0/0
 * votes are errors, at their file, line and column with a hint, once the
 * draft line is removed; `new` never overwrites (exit 2); and whatever
 * title is typed, quotes, colons, `#`, YAML's special words, Chinese,
 * comes back from the file exactly as typed. Each test writes a small
 * site (check_site.h), makes the skeleton from the site as loaded, puts
 * it at the path it names and checks the whole site again.
 */
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_site.h"
#include "cli/cli.h"
#include "load/meta.h"
#include "output/build.h"
#include "schema/newcommunity.h"
#include "schema/skeleton.h"
#include "util/buf.h"

/* One community whose chair (主任) is listed third, three meetings (the
 * last one still to come on most of the dates used below), a charter and
 * an evaluation for 2025 Q1: a clean site, every diagnostic a test sees
 * is the skeleton's. */
static const char *const files[][2] = {
	{ "site.yaml", "title: \"槐荫\"\n" },
	{ "content/communities/hy.md",
	  "---\ntitle: \"槐荫社区\"\nname: \"槐荫社区\"\nstreet: \"桂园街道\"\ntype: \"老旧住宅区\"\n"
	  "platform: \"party\"\ncommittee:\n"
	  "  - {name: \"林晓燕\", role: \"副主任\"}\n  - {name: \"陈国强\", role: \"委员\"}\n"
	  "  - {name: \"王德明\", role: \"主任\"}\n  - {name: \"李秀英\", role: \"委员\"}\n"
	  "  - {name: \"张伟\", role: \"委员\"}\n  - {name: \"刘芳\", role: \"委员\"}\n"
	  "  - {name: \"赵敏\", role: \"委员\"}\n---\n概况。\n" },
	{ "content/meetings/2025/m1.md",
	  "---\ntitle: \"三月全体会议\"\nid: \"m1\"\ncommunity: \"hy\"\nkind: \"plenary\"\n"
	  "date: \"2025-03-07\"\nlocation: \"党群服务中心\"\nchair: \"王德明\"\n"
	  "attendees: [林晓燕, 陈国强, 王德明, 李秀英, 张伟, 刘芳, 赵敏]\n---\n纪要。\n" },
	{ "content/meetings/2025/m2.md",
	  "---\ntitle: \"六月全体会议\"\nid: \"m2\"\ncommunity: \"hy\"\nkind: \"plenary\"\n"
	  "date: \"2025-06-13\"\nlocation: \"二楼会议室\"\nchair: \"王德明\"\n"
	  "attendees: [林晓燕, 陈国强, 王德明, 李秀英, 张伟, 刘芳, 赵敏]\n---\n纪要。\n" },
	{ "content/meetings/2025/m3.md",
	  "---\ntitle: \"九月全体会议\"\nid: \"m3\"\ncommunity: \"hy\"\nkind: \"plenary\"\n"
	  "date: \"2025-09-05\"\nlocation: \"三楼\"\nchair: \"王德明\"\n"
	  "attendees: [林晓燕, 陈国强, 王德明, 李秀英, 张伟, 刘芳, 赵敏]\n---\n纪要。\n" },
	{ "content/charters/hy/v1.md",
	  "---\ntitle: \"槐荫社区居民公约\"\ncommunity: \"hy\"\nversion: 1\n"
	  "effective: \"2024-01-01\"\n---\n\n## 第一条 总则\n\n邻里和睦。\n\n## 第二条 秩序\n\n"
	  "不占消防通道。\n" },
	{ "content/evaluations/2025/hy-2025-q1.md",
	  "---\ntitle: \"一季度评估\"\ncommunity: \"hy\"\nperiod: \"2025-Q1\"\n---\n评语。\n" },
	{ "content/pages/about.md", "---\ntitle: \"关于\"\n---\n我们。\n" },
};
#define N_FILES (sizeof(files) / sizeof(files[0]))

enum { MEETING, DECISION, EVALUATION, CHARTER, PAGE };

/* A skeleton's request: what `new` passes after reading its arguments. */
typedef struct req {
	int kind;
	const char *id, *title, *date, *community;
	int en;
} req;

typedef struct made {
	nb_buf rel, id, text, err;
	int rc;
} made;

/* Check the site again from its files (a site may be checked many times
 * in one test); nb_validate's result as site_check gives it. */
static int recheck(site *s)
{
	if (s->loaded)
		nb_content_free(&s->c);
	s->loaded = 0;
	nb_diag_free(&s->d);
	nb_diag_init(&s->d);
	return site_check(s);
}

/* The language the refusals are written in (nb_skeleton.lang): English
 * unless a test says otherwise. */
static const char *err_lang;

/* The skeleton `r` asks for, made from the site as it is now and, when it
 * was made, written at its path. m->rc is nb_skeleton_write's. */
static void make(site *s, const req *r, made *m)
{
	*m = (made){ NB_BUF_INIT, NB_BUF_INIT, NB_BUF_INIT, NB_BUF_INIT, 0 };
	nb_content c;
	nb_diag d;
	nb_diag_init(&d);
	nb_content_load(&c, &s->cfg, NULL, &d);
	nb_skeleton x = { &c, NULL, !r->en, "", 0, 0, r->title, r->date != NULL, err_lang };
	snprintf(x.date, sizeof(x.date), "%s", r->date ? r->date : "2025-07-20");
	x.year = atoi(x.date);
	x.month = atoi(x.date + 5);
	size_t n;
	x.community = nb_skeleton_community(&c, r->community, &n);
	m->rc = nb_skeleton_write(&m->rel, &m->id, &m->text, &m->err, &x, r->kind, r->id);
	if (m->rc == 0)
		put(s, nb_buf_cstr(&m->rel), nb_buf_cstr(&m->text));
	nb_content_free(&c);
	nb_diag_free(&d);
}

static void made_free(made *m)
{
	nb_buf_free(&m->rel);
	nb_buf_free(&m->id);
	nb_buf_free(&m->text);
	nb_buf_free(&m->err);
}

/* The loaded document at `rel` (after recheck), or NULL. */
static const nb_doc *doc_at(const site *s, const char *rel)
{
	for (size_t i = 0; i < s->c.len; i++)
		if (!strcmp(s->c.docs[i].path, rel))
			return &s->c.docs[i];
	return NULL;
}

/* A list of strings as one "a|b|c" string, for comparing with one
 * expectation; the caller frees. */
static char *joined(const nb_doc *doc, const char *key)
{
	json_t *v = doc ? nb_doc_get(doc, key) : NULL;
	nb_buf b = NB_BUF_INIT;
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
		nb_buf_printf(&b, "%s%s", i ? "|" : "", json_string_value(e) ? json_string_value(e)
									     : "(not text)");
	json_decref(v);
	char *out = strdup(nb_buf_cstr(&b));
	nb_buf_free(&b);
	return out;
}

/* The check passes with nothing to say; what it said is printed when
 * not. */
static void expect_clean(nb_test_state *nb__t, site *s, const char *what)
{
	int rc = recheck(s);
	NB_CHECK(rc == 0);
	NB_CHECK(s->d.len == 0);
	if (rc != 0 || s->d.len) {
		fprintf(stderr, "  after %s:\n", what);
		nb_diag_print(&s->d, stderr, 0);
	}
}

NB_TEST(the_site_alone_is_clean)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	expect_clean(NB_T, &s, "nothing");
	site_free(&s);
}

/* Every kind, in both languages, passes check as written. */
NB_TEST(every_skeleton_passes_check_as_written)
{
	for (int en = 0; en < 2; en++) {
		site s;
		site_open(&s, "skel", files, N_FILES);
		static const char *const what[] = { "meeting", "decision", "evaluation", "charter",
						    "page" };
		for (int k = MEETING; k <= PAGE; k++) {
			req r = { k, NULL, NULL, "2025-07-20", NULL, en };
			made m;
			make(&s, &r, &m);
			NB_CHECK(m.rc == 0);
			if (m.rc)
				fprintf(stderr, "  %s: %s\n", what[k], nb_buf_cstr(&m.err));
			const char *text = nb_buf_cstr(&m.text);
			NB_CHECK(!strncmp(text, "---\ntitle: ", 11));
			NB_CHECK_CONTAINS(text, "\ndraft: true ");
			expect_clean(NB_T, &s, what[k]);
			NB_CHECK(doc_at(&s, nb_buf_cstr(&m.rel)) != NULL);
			NB_CHECK(doc_at(&s, nb_buf_cstr(&m.rel)) && doc_at(&s, nb_buf_cstr(&m.rel))->draft);
			made_free(&m);
		}
		site_free(&s);
	}
}

NB_TEST(a_meeting_is_filled_in_from_the_committee_and_the_last_meeting)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	req r = { MEETING, NULL, NULL, "2025-07-20", NULL, 0 };
	made m;
	make(&s, &r, &m);
	NB_CHECK_STR(nb_buf_cstr(&m.rel), "content/meetings/2025/hy-2025-07-plenary.md");
	NB_CHECK_STR(nb_buf_cstr(&m.id), "hy-2025-07-plenary");
	recheck(&s);
	const nb_doc *d = doc_at(&s, nb_buf_cstr(&m.rel));
	NB_CHECK(d != NULL);
	if (d) {
		NB_CHECK_STR(d->id, "hy-2025-07-plenary");
		NB_CHECK_STR(nb_doc_str(d, "title"), "槐荫社区自治会2025年7月全体会议");
		NB_CHECK_STR(nb_doc_str(d, "community"), "hy");
		NB_CHECK_STR(nb_doc_str(d, "date"), "2025-07-20");
		/* The chair by role, wherever the committee lists it. */
		NB_CHECK_STR(nb_doc_str(d, "chair"), "王德明");
		/* From m2 (June): m3 is still to come on 20 July. */
		NB_CHECK_STR(nb_doc_str(d, "location"), "二楼会议室");
		char *who = joined(d, "attendees");
		NB_CHECK_STR(who, "林晓燕|陈国强|王德明|李秀英|张伟|刘芳|赵敏");
		free(who);
		NB_CHECK_STR(nb_doc_str(d, "status"), "draft-minutes");
	}
	made_free(&m);
	site_free(&s);
}

/* Without --date a decision takes the date of the meeting that took it;
 * with one, the latest meeting held by then. */
NB_TEST(a_decision_names_the_latest_meeting_and_takes_its_date)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	req r = { DECISION, NULL, NULL, NULL, NULL, 0 };
	made m;
	make(&s, &r, &m);
	/* "Today" is 20 July 2025 (make): m2, not m3, still to come. */
	NB_CHECK_STR(nb_buf_cstr(&m.rel), "content/decisions/2025/hy-2025-06-decision.md");
	recheck(&s);
	const nb_doc *d = doc_at(&s, nb_buf_cstr(&m.rel));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "meeting"), "m2"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "date"), "2025-06-13"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "title"), "关于……的决议"));
	made_free(&m);

	req r2 = { DECISION, "d-april", "关于加装电梯的决议", "2025-04-01", NULL, 0 };
	make(&s, &r2, &m);
	NB_CHECK_STR(nb_buf_cstr(&m.rel), "content/decisions/2025/d-april.md");
	recheck(&s);
	d = doc_at(&s, nb_buf_cstr(&m.rel));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "meeting"), "m1"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "date"), "2025-04-01"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "title"), "关于加装电梯的决议"));
	made_free(&m);
	site_free(&s);
}

/* The next version starts from the text in force, word for word, so the
 * comparison page shows exactly what the amendment changes. */
NB_TEST(a_charter_is_the_next_version_of_the_text_in_force)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	req r = { CHARTER, NULL, NULL, "2025-07-20", NULL, 0 };
	made m;
	make(&s, &r, &m);
	NB_CHECK_STR(nb_buf_cstr(&m.rel), "content/charters/hy/v2.md");
	NB_CHECK_CONTAINS(nb_buf_cstr(&m.text),
			  "---\n\n## 第一条 总则\n\n邻里和睦。\n\n## 第二条 秩序\n\n不占消防通道。\n");
	recheck(&s);
	const nb_doc *d = doc_at(&s, nb_buf_cstr(&m.rel));
	NB_CHECK(d != NULL);
	if (d) {
		json_int_t v = 0;
		NB_CHECK(nb_doc_integer(&v, d, "version") == 0 && v == 2);
		NB_CHECK_STR(nb_doc_str(d, "title"), "槐荫社区居民公约");
		NB_CHECK_STR(nb_doc_str(d, "effective"), "2025-07-20");
		char *who = joined(d, "signatories");
		NB_CHECK_STR(who, "林晓燕|陈国强|王德明|李秀英|张伟|刘芳|赵敏");
		free(who);
	}
	made_free(&m);
	/* One amendment at a time: v2 is pending as a draft. */
	make(&s, &r, &m);
	NB_CHECK(m.rc == -1);
	NB_CHECK_CONTAINS(nb_buf_cstr(&m.err), "content/charters/hy/v2.md");
	NB_CHECK_CONTAINS(nb_buf_cstr(&m.err), "hint: ");
	made_free(&m);
	site_free(&s);
}

NB_TEST(an_evaluation_is_for_the_quarter_and_refused_when_it_exists)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	req r = { EVALUATION, NULL, NULL, "2025-05-10", NULL, 0 };
	made m;
	make(&s, &r, &m);
	NB_CHECK_STR(nb_buf_cstr(&m.rel), "content/evaluations/2025/hy-2025-q2.md");
	recheck(&s);
	const nb_doc *d = doc_at(&s, nb_buf_cstr(&m.rel));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "period"), "2025-Q2"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "assessor"), "桂园街道办事处"));
	NB_CHECK(d && !strcmp(nb_doc_str(d, "title"), "槐荫社区2025年第二季度社区自治评估"));
	made_free(&m);
	/* 2025 Q1 has one already (hy-2025-q1.md): edit that file. */
	req r2 = { EVALUATION, "other", NULL, "2025-02-14", NULL, 0 };
	make(&s, &r2, &m);
	NB_CHECK(m.rc == -1);
	NB_CHECK_CONTAINS(nb_buf_cstr(&m.err), "content/evaluations/2025/hy-2025-q1.md");
	NB_CHECK_CONTAINS(nb_buf_cstr(&m.err), "2025-Q1");
	NB_CHECK_CONTAINS(nb_buf_cstr(&m.err), "hint: ");
	made_free(&m);
	site_free(&s);
}

/* On a Chinese site `new` refuses in Chinese, saying what to do instead;
 * the paths and the period stay as they are. */
NB_TEST(refusals_in_the_sites_language)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	err_lang = "zh-CN";
	made m;
	req ev = { EVALUATION, "other", NULL, "2025-02-14", NULL, 0 };
	make(&s, &ev, &m);
	NB_CHECK(m.rc == -1);
	NB_CHECK_STR(nb_buf_cstr(&m.err), "hy 已经有 2025-Q1 的评估：content/evaluations/2025/"
		     "hy-2025-q1.md\n  提示：修改那个文件，或用 --date 选另一个季度");
	made_free(&m);
	req ch = { CHARTER, NULL, NULL, "2025-07-20", NULL, 0 };
	make(&s, &ch, &m);
	NB_CHECK(m.rc == 0);
	made_free(&m);
	make(&s, &ch, &m);
	NB_CHECK(m.rc == -1);
	NB_CHECK_STR(nb_buf_cstr(&m.err), "content/charters/hy/v2.md 还是下一版的草稿，没有做任何"
		     "改动\n  提示：直接修改它，或先把它发布出去");
	made_free(&m);
	req pg = { MEETING, "about", NULL, "2025-07-20", NULL, 0 };
	make(&s, &pg, &m);
	NB_CHECK(m.rc == -1);
	NB_CHECK_STR(nb_buf_cstr(&m.err), "编号 `about` 已经被 content/pages/about.md（about）用了，"
		     "全站的编号不能重复；没有写入任何文件\n  提示：换一个编号，例如 `about-2`");
	made_free(&m);
	err_lang = NULL;
	site_free(&s);
}

/* Remove `draft: true` and what the template left is an error at its
 * place: the … of the default title, and (result: adopted uncommented)
 * the 0/0/0 votes. */
NB_TEST(placeholders_are_errors_once_the_draft_line_is_removed)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	req r = { DECISION, "d1", NULL, NULL, NULL, 0 };
	made m;
	make(&s, &r, &m);
	const char *rel = nb_buf_cstr(&m.rel);
	NB_CHECK(edit(&s, rel, "draft: true   # 草稿：写好后删除这一行才会发布\n", ""));
	NB_CHECK(edit(&s, rel, "# result: adopted", "result: adopted"));
	NB_CHECK(recheck(&s) == -1);
	NB_CHECK(s.d.len == 2);
	/* Line 2 `title: "关于……的决议"`: the value starts at column 8. */
	const nb_diag_entry *e = diag_find(&s.d, "placeholder", rel);
	NB_CHECK(e && e->line == 2 && e->col == 8 && e->hint);
	/* Line 8 `votes: {for: 0, ...}` once line 4 (draft) is gone. */
	e = diag_find(&s.d, "votes-placeholder", rel);
	NB_CHECK(e && e->line == 8 && e->col == 8 && e->hint);
	if (s.d.len != 2 || !e || e->line != 8)
		nb_diag_print(&s.d, stderr, 0);
	/* Filled in, it passes. */
	NB_CHECK(edit(&s, rel, "关于……的决议", "关于加装电梯的决议"));
	NB_CHECK(edit(&s, rel, "{for: 0, against: 0, abstain: 0}", "{for: 6, against: 1, abstain: 0}"));
	expect_clean(NB_T, &s, "filling the decision in");
	made_free(&m);
	site_free(&s);
}

/* The flow the README gives: `init --community` (or `new community`)
 * writes a draft whose committee is … but the chair, and the secretary
 * goes on with `new meeting` and `new charter` before the names are in.
 * The placeholder is listed once: twice would be the same name present
 * twice, an error even in a draft. */
NB_TEST(a_committee_of_placeholders_is_listed_once)
{
	for (int en = 0; en < 2; en++) {
		site s;
		site_open(&s, "skel", files + 7, 1);   /* pages/about.md alone */
		put(&s, "site.yaml", en ? "title: \"Huaiyin\"\nlanguage: en\n" : files[0][1]);
		nb_community_answers a = { "hy", "槐荫社区", "桂园街道", "老旧住宅区", "party",
					   en ? NULL : "周建华" };
		nb_buf text = NB_BUF_INIT;
		NB_CHECK(nb_community_template(&text, &a, !en) == 0);
		put(&s, "content/communities/hy.md", nb_buf_cstr(&text));
		nb_buf_free(&text);
		req r = { MEETING, NULL, NULL, "2025-07-20", NULL, en };
		made m;
		make(&s, &r, &m);
		expect_clean(NB_T, &s, en ? "new meeting (en)" : "new meeting");
		char *who = joined(doc_at(&s, nb_buf_cstr(&m.rel)), "attendees");
		NB_CHECK_STR(who, en ? "…" : "周建华|……");
		free(who);
		made_free(&m);
		req c = { CHARTER, NULL, NULL, "2025-07-20", NULL, en };
		make(&s, &c, &m);
		expect_clean(NB_T, &s, "new charter");
		made_free(&m);
		site_free(&s);
	}
}

/* `new page <prefix>N --title titles[N]` for each title. */
static void make_pages(site *s, const char *prefix, const char *const titles[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof(id), "%s%zu", prefix, i);
		req r = { PAGE, id, titles[i], "2025-07-20", NULL, 0 };
		made m;
		make(s, &r, &m);
		made_free(&m);
	}
}

/* Each page make_pages wrote loads back with its title exactly. */
static void expect_titles(nb_test_state *nb__t, const site *s, const char *prefix,
			  const char *const titles[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "content/pages/%s%zu.md", prefix, i);
		const nb_doc *d = doc_at(s, rel);
		NB_CHECK(d != NULL);
		if (d)
			NB_CHECK_STR(nb_doc_str(d, "title"), titles[i]);
	}
}

/* Titles a secretary may type, each coming back from the file exactly. */
NB_TEST(a_title_comes_back_exactly_as_typed)
{
	static const char *const titles[] = {
		"yes", "no", "null", "~", "true", "0123", "1e3", "2025-07-20",
		"关于“电动车”的决议", "a: b # c", "#hash", "\"quoted\" and 'single'",
		"back\\slash \\n", "- dash", "&anchor", "*alias", "!tag", "%pct", "@at",
		"`tick`", "{flow}", "[list]", "  lead and trail  ", "tab\there", "two\nlines",
		"槐荫社区：第一次会议", "…",
	};
	site s;
	site_open(&s, "skel", files, N_FILES);
	size_t n = sizeof(titles) / sizeof(titles[0]);
	make_pages(&s, "t", titles, n);
	/* An empty one is no title: the kind's own. */
	req r = { PAGE, "untitled", "", "2025-07-20", NULL, 0 };
	made m;
	make(&s, &r, &m);
	made_free(&m);
	expect_clean(NB_T, &s, "the titles");
	NB_CHECK(doc_at(&s, "content/pages/untitled.md") &&
		 !strcmp(nb_doc_str(doc_at(&s, "content/pages/untitled.md"), "title"), "新页面"));
	expect_titles(NB_T, &s, "t", titles, n);
	site_free(&s);
}

/* A title pasted with a control character in it (an escape sequence
 * from a terminal, a C1 control from a mis-decoded page) is written as a
 * YAML escape: the file loads, and gives the title back as typed. */
NB_TEST(a_title_with_control_characters_still_loads)
{
	static const char *const titles[] = {
		"esc\x1b[31mred", "bell\x07", "del\x7f", "c1 \xc2\x9b and nel \xc2\x85", "\x01",
		"line\xe2\x80\xa8" "and paragraph\xe2\x80\xa9" "separators",
	};
	site s;
	site_open(&s, "skel", files, N_FILES);
	size_t n = sizeof(titles) / sizeof(titles[0]);
	make_pages(&s, "c", titles, n);
	expect_clean(NB_T, &s, "the titles");
	expect_titles(NB_T, &s, "c", titles, n);
	site_free(&s);
}

/* An id another document has (or one that differs from it only by case)
 * would make both fail check, the published one too: `new` refuses it
 * and writes nothing. */
NB_TEST(an_id_already_used_is_refused)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	static const struct { int kind; const char *id, *owner; } cases[] = {
		{ DECISION, "m1", "content/meetings/2025/m1.md" },
		{ PAGE, "M2", "content/meetings/2025/m2.md" },
		{ MEETING, "About", "content/pages/about.md" },
		{ EVALUATION, "hy", "content/communities/hy.md" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req r = { cases[i].kind, cases[i].id, NULL, "2025-07-20", NULL, 0 };
		made m;
		make(&s, &r, &m);
		NB_CHECK(m.rc == -1);
		NB_CHECK_CONTAINS(nb_buf_cstr(&m.err), cases[i].owner);
		NB_CHECK_CONTAINS(nb_buf_cstr(&m.err), "hint: ");
		made_free(&m);
	}
	expect_clean(NB_T, &s, "the refused ids");
	NB_CHECK(s.c.len == N_FILES - 1);
	site_free(&s);
}

/* ---- `noticeboard new` itself (cli/cmd_new.c around skeleton.c) ---- */

/* Run `noticeboard -s DIR new ARGS...` (NULL-terminated); its exit code,
 * and what it printed on stderr into `out` (the caller frees). In
 * English: the fixture's site names no language, so new would speak
 * Chinese (e2e_secretary reads that). */
static int run_new(site *s, char **out, ...)
{
	setenv("NB_LANG", "en", 1);
	char *argv[16] = { "new" };
	int argc = 1;
	va_list ap;
	va_start(ap, out);
	for (char *a; argc < 15 && (a = va_arg(ap, char *));)
		argv[argc++] = a;
	va_end(ap);
	nb_cli cli = { .site_dir = s->dir, .quiet = 1 };
	FILE *tmp = tmpfile();
	int saved = dup(2);
	if (!tmp || saved < 0 || dup2(fileno(tmp), 2) < 0)
		abort();
	int rc = nb_cmd_new(&cli, argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	long n = ftell(tmp);
	*out = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	rewind(tmp);
	if (!*out || (n > 0 && fread(*out, 1, (size_t)n, tmp) != (size_t)n))
		abort();
	fclose(tmp);
	return rc;
}

NB_TEST(new_never_overwrites)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	char *err;
	NB_CHECK(run_new(&s, &err, "page", "about", NULL) == NB_EXIT_USAGE);
	NB_CHECK_CONTAINS(err, "content/pages/about.md already exists");
	NB_CHECK_CONTAINS(err, "hint: ");
	free(err);
	char *p = nb_path_join(s.dir, "content/pages/about.md"), *data = NULL;
	size_t len;
	NB_CHECK(nb_fs_read(p, 0, &data, &len) == 0 && !strcmp(data, files[N_FILES - 1][1]));
	free(data);
	free(p);
	/* The same month's default id twice: the second is refused. */
	NB_CHECK(run_new(&s, &err, "meeting", "--date", "2025-07-20", NULL) == NB_EXIT_OK);
	free(err);
	NB_CHECK(run_new(&s, &err, "meeting", "--date", "2025-07-21", NULL) == NB_EXIT_USAGE);
	NB_CHECK_CONTAINS(err, "hy-2025-07-plenary-2");
	free(err);
	site_free(&s);
}

NB_TEST(odd_arguments_are_clear_usage_errors)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	static const char *const cases[][4] = {
		/* args..., what the message must say */
		{ "meeting", "--date", "2025-02-30", "--date must be a real day" },
		{ "meeting", "--date", "next week", "--date must be a real day" },
		{ "meeting", "--community", "nowhere", "no community `nowhere`" },
		{ "meeting", "--community", "hy x", "no community `hy x`" },
		{ "page", "my page", NULL, "`my page` is not a usable id" },
		{ "page", "../../etc", NULL, "`../../etc` is not a usable id" },
		{ "page", "/abs", NULL, "`/abs` is not a usable id" },
		{ "memo", NULL, NULL, "KIND must be" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *err;
		int rc = cases[i][2] ? run_new(&s, &err, cases[i][0], cases[i][1], cases[i][2], NULL)
			 : cases[i][1] ? run_new(&s, &err, cases[i][0], cases[i][1], NULL)
				       : run_new(&s, &err, cases[i][0], NULL);
		NB_CHECK(rc == NB_EXIT_USAGE);
		NB_CHECK_CONTAINS(err, cases[i][3]);
		free(err);
	}
	/* Nothing was written by any of them. */
	expect_clean(NB_T, &s, "the refused commands");
	NB_CHECK(s.c.len == N_FILES - 1);
	site_free(&s);
}

/* A decision names the meeting that took it (`meeting:` is required): a
 * community with no meeting held by the decision's date has none to
 * name, so `new decision` says so instead of writing a file that fails
 * check. */
NB_TEST(a_decision_without_a_meeting_to_name_is_refused)
{
	site s;
	site_open(&s, "skel", files, N_FILES);
	req r = { DECISION, NULL, "关于加装电梯的决议", "2025-01-10", NULL, 0 };
	made m;
	make(&s, &r, &m);
	NB_CHECK(m.rc == -1);
	NB_CHECK_CONTAINS(nb_buf_cstr(&m.err), "hy has no meeting held by 2025-01-10");
	NB_CHECK_CONTAINS(nb_buf_cstr(&m.err), "hint: ");
	made_free(&m);
	/* The same through the command: a usage error, nothing written. */
	char *err;
	NB_CHECK(run_new(&s, &err, "decision", "--date", "2025-01-10", NULL) == NB_EXIT_USAGE);
	NB_CHECK_CONTAINS(err, "nothing was written");
	free(err);
	expect_clean(NB_T, &s, "the refused decision");
	NB_CHECK(s.c.len == N_FILES - 1);
	site_free(&s);
}

NB_TEST_MAIN("skeleton",
	     NB_CASE(the_site_alone_is_clean),
	     NB_CASE(every_skeleton_passes_check_as_written),
	     NB_CASE(a_meeting_is_filled_in_from_the_committee_and_the_last_meeting),
	     NB_CASE(a_decision_names_the_latest_meeting_and_takes_its_date),
	     NB_CASE(a_charter_is_the_next_version_of_the_text_in_force),
	     NB_CASE(an_evaluation_is_for_the_quarter_and_refused_when_it_exists),
	     NB_CASE(refusals_in_the_sites_language),
	     NB_CASE(placeholders_are_errors_once_the_draft_line_is_removed),
	     NB_CASE(a_committee_of_placeholders_is_listed_once),
	     NB_CASE(a_title_comes_back_exactly_as_typed),
	     NB_CASE(a_title_with_control_characters_still_loads),
	     NB_CASE(an_id_already_used_is_refused),
	     NB_CASE(new_never_overwrites),
	     NB_CASE(odd_arguments_are_clear_usage_errors),
	     NB_CASE(a_decision_without_a_meeting_to_name_is_refused))

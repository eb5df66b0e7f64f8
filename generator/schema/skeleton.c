/*
 * skeleton.c - what a new document of each kind looks like; see skeleton.h.
 *
 * A secretary should not have to remember field names. A new document has
 * every field of its kind either filled in or present as a commented-out
 * line that says what it is for, in the site's language. Values are taken
 * from the site where that is safe (the committee's members as attendees
 * and signatories, the community's latest meeting for a decision, the
 * next charter version), so the new file passes `noticeboard check` as
 * written. It starts as `draft: true`: nothing half-written reaches
 * residents until the secretary removes that line.
 */
#include "schema/skeleton.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/meta.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/utf8.h"

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A double-quoted YAML scalar. Characters YAML does not allow in a file
 * as they are (C0 and C1 controls but the tab, DEL: a title pasted with
 * an escape sequence) are written as escapes, or the new file would not
 * load at all; so are the line breaks YAML 1.1 folds into a space (NEL,
 * U+2028, U+2029). */
void nb_skeleton_quote(nb_buf *b, const char *s)
{
	nb_buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			nb_buf_putc(b, '\\');
		if (*p == '\n')
			nb_buf_puts(b, "\\n");
		else if ((*p < 0x20 && *p != '\t' && *p != '\r') || *p == 0x7f)
			nb_buf_printf(b, "\\x%02X", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			nb_buf_printf(b, "\\x%02X", *++p);
		else if (*p == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			nb_buf_printf(b, "\\u20%02X", 0x28 + (p[2] - 0xa8)), p += 2;
		else if (*p != '\r')
			nb_buf_putc(b, (char)*p);
	}
	nb_buf_putc(b, '"');
}

static void q(nb_buf *b, const char *s)
{
	nb_skeleton_quote(b, s);
}

/* `key: "value"` with an optional comment. */
static void field(nb_buf *b, const char *key, const char *value, const char *comment)
{
	nb_buf_printf(b, "%s: ", key);
	q(b, value);
	if (comment)
		nb_buf_printf(b, "   # %s", comment);
	nb_buf_putc(b, '\n');
}

static const char *ctitle(const nb_skeleton *x)
{
	const char *t = x->community ? nb_doc_str(x->community, "title") : NULL;
	return t ? t : (x->community ? x->community->id : "");
}

static const char *cid(const nb_skeleton *x)
{
	return x->community ? x->community->id : "";
}

/* Whether members[0..i) already has member i's name. */
static int named_before(const json_t *members, size_t i)
{
	const char *n = str(json_array_get(members, i), "name");
	for (size_t j = 0; j < i; j++) {
		const char *o = str(json_array_get(members, j), "name");
		if (o && !strcmp(o, n))
			return 1;
	}
	return 0;
}

/* The committee's names, as a YAML block list under `key`, each once: a
 * community still a draft holds `new community`'s placeholder … for
 * every name but the chair's, and a name listed twice is an error in a
 * meeting's attendance even while it is a draft. */
static void committee_list(nb_buf *b, const nb_skeleton *x, const char *key, const char *comment)
{
	json_t *members = x->community ? nb_doc_get(x->community, "committee") : NULL;
	nb_buf_printf(b, "%s:", key);
	if (!json_array_size(members)) {
		nb_buf_printf(b, " []   # %s\n", comment);
		json_decref(members);
		return;
	}
	nb_buf_printf(b, "   # %s\n", comment);
	size_t i;
	json_t *e;
	json_array_foreach(members, i, e) {
		if (!str(e, "name") || named_before(members, i))
			continue;
		nb_buf_puts(b, "  - ");
		q(b, str(e, "name"));
		nb_buf_putc(b, '\n');
	}
	json_decref(members);
}

/* The chair's name, a copy the caller frees, or NULL. */
static char *committee_chair(const nb_skeleton *x)
{
	json_t *members = x->community ? nb_doc_get(x->community, "committee") : NULL;
	size_t i;
	json_t *e;
	char *name = NULL;
	json_array_foreach(members, i, e) {
		const char *role = str(e, "role");
		if (json_is_true(json_object_get(e, "chair")) ||
		    (role && (!strcmp(role, "主任") || !strcmp(role, "主席") ||
			      !strcmp(role, "chair") || !strcmp(role, "召集人")))) {
			const char *n = str(e, "name");
			if (n && !(name = strdup(n)))
				abort();
			break;
		}
	}
	json_decref(members);
	return name;
}

/* The community's latest meeting (by date, then id) held on or before the
 * new document's date, or NULL: a meeting still to come decided nothing. */
static const nb_doc *latest_meeting(const nb_skeleton *x)
{
	const nb_doc *best = NULL;
	for (size_t i = 0; i < x->c->len; i++) {
		const nb_doc *d = &x->c->docs[i];
		const char *c = nb_doc_str(d, "community"), *dt = nb_doc_str(d, "date");
		if (!d->ok || strcmp(d->kind, "meetings") || !c || strcmp(c, cid(x)) || !dt ||
		    strcmp(dt, x->date) > 0)
			continue;
		if (!best || strcmp(dt, nb_doc_str(best, "date")) >= 0)
			best = d;
	}
	return best;
}

static void header_common(nb_buf *b, const nb_skeleton *x, const char *title, const char *id)
{
	nb_buf_puts(b, "---\n");
	field(b, "title", title, x->zh ? "标题（必填）" : "the title (required)");
	if (id)
		field(b, "id", id, x->zh ? "编号：全站唯一，其他文件用它引用本文件"
					  : "unique across the site; other documents refer to it");
	nb_buf_puts(b, x->zh ? "draft: true   # 草稿：写好后删除这一行才会发布\n"
			     : "draft: true   # a draft: delete this line to publish\n");
}

static void gen_meeting(nb_buf *b, const nb_skeleton *x, const char *id)
{
	const char *t = x->title;
	nb_buf tb = NB_BUF_INIT;
	if (!t) {
		if (x->zh)
			nb_buf_printf(&tb, "%s自治会%d年%d月全体会议", ctitle(x), x->year, x->month);
		else
			nb_buf_printf(&tb, "%s committee plenary meeting, %s", ctitle(x), x->date);
		t = nb_buf_cstr(&tb);
	}
	header_common(b, x, t, id);
	field(b, "community", cid(x), x->zh ? "社区编号（content/communities/<编号>.md）"
					   : "the community's id (content/communities/<id>.md)");
	field(b, "kind", "plenary", "plenary | coordination | party-deliberation | hearing | other");
	field(b, "date", x->date, "YYYY-MM-DD");
	field(b, "start", "19:00", x->zh ? "开始时间 HH:MM" : "start time, HH:MM");
	field(b, "end", "21:00", x->zh ? "结束时间 HH:MM，晚于开始" : "end time, HH:MM, after start");
	const nb_doc *last = latest_meeting(x);
	const char *loc = last ? nb_doc_str(last, "location") : NULL;
	if (loc)
		field(b, "location", loc, x->zh ? "地点（取自上次会议）" : "where (from the last meeting)");
	else
		nb_buf_puts(b, x->zh ? "# location: \"社区党群服务中心会议室\"   # 地点\n"
				     : "# location: \"Community centre meeting room\"   # where\n");
	char *chair = committee_chair(x);
	if (chair)
		field(b, "chair", chair, x->zh ? "主持人" : "who chaired");
	else
		nb_buf_puts(b, x->zh ? "# chair: \"\"   # 主持人\n" : "# chair: \"\"   # who chaired\n");
	free(chair);
	nb_buf_puts(b, x->zh ? "# recorder: \"\"   # 记录人\n" : "# recorder: \"\"   # who took the minutes\n");
	committee_list(b, x, "attendees",
		       x->zh ? "出席：自治会成员已列出，删去缺席的人，补充列席的代表"
			     : "present: the committee is listed; remove who was absent");
	nb_buf_puts(b, x->zh ? "absent: []   # 缺席：姓名，或 {name: \"王五\", reason: \"出差\"}\n"
			     : "absent: []   # absent: names, or {name: \"Wang Wu\", reason: \"travelling\"}\n");
	nb_buf_puts(b, x->zh ? "guests: []   # 列席：如 \"蔡明（街道社区建设办）\"\n"
			     : "guests: []   # invited guests, e.g. \"Cai Ming (street office)\"\n");
	nb_buf_printf(b, "agenda:   # %s\n", x->zh ? "议程：每项对应正文的一个 ## 小节"
						  : "the agenda: one ## section of the body each");
	const char *items_zh[] = { "议题一", "议题二" }, *items_en[] = { "First item", "Second item" };
	for (int i = 0; i < 2; i++) {
		nb_buf_puts(b, "  - ");
		q(b, x->zh ? items_zh[i] : items_en[i]);
		nb_buf_putc(b, '\n');
	}
	field(b, "status", "draft-minutes",
	      x->zh ? "draft-minutes（纪要待通过）| approved（已在后一次会议通过）"
		    : "draft-minutes | approved (by a later meeting)");
	nb_buf_puts(b, x->zh ? "# approved_at: \"\"   # 通过本纪要的后一次会议的编号\n"
			     : "# approved_at: \"\"   # id of the later meeting that approved these minutes\n");
	nb_buf_puts(b, x->zh ? "# summary: \"\"   # 一句话概括会议结果，用于列表和订阅\n"
			     : "# summary: \"\"   # one sentence on the outcome, for lists and feeds\n");
	nb_buf_puts(b, "---\n\n");
	if (x->zh)
		nb_buf_puts(b, "## 一、议题一\n\n（讨论情况和结论。）\n\n## 二、议题二\n\n（讨论情况和结论。）\n");
	else
		nb_buf_puts(b, "## 1. First item\n\n(Discussion and conclusion.)\n\n"
			       "## 2. Second item\n\n(Discussion and conclusion.)\n");
	nb_buf_free(&tb);
}

static void gen_decision(nb_buf *b, const nb_skeleton *x, const char *id, const nb_doc *meeting)
{
	header_common(b, x, x->title ? x->title : (x->zh ? "关于……的决议" : "Decision on …"), id);
	field(b, "community", cid(x), x->zh ? "社区编号" : "the community's id");
	field(b, "meeting", meeting->id, x->zh ? "作出决议的会议的编号（默认最近一次会议）"
					       : "the meeting that decided (default: the latest)");
	field(b, "date", x->date, "YYYY-MM-DD");
	field(b, "category", "services",
	      "public-order | opinion | appeals | neighbours | services | mediation | "
	      "fire-safety | sanitation | security");
	nb_buf_printf(b, "votes: {for: 0, against: 0, abstain: 0}   # %s\n",
		      x->zh ? "表决票数：赞成、反对、弃权，合计不超过会议出席人数"
			    : "the vote: not more than the meeting's attendees in all");
	field(b, "rule", "majority", x->zh ? "majority（过半数）| two-thirds（三分之二）"
					   : "majority | two-thirds");
	nb_buf_puts(b, x->zh ? "# result: adopted   # adopted | rejected | deferred；不写时按票数和规则计算\n"
			     : "# result: adopted   # adopted | rejected | deferred; computed from the votes when left out\n");
	nb_buf_puts(b, x->zh ? "# responsible: \"\"   # 负责落实的人或单位\n"
			     : "# responsible: \"\"   # who carries it out\n");
	nb_buf_puts(b, x->zh ? "# due: \"YYYY-MM-DD\"   # 完成期限\n" : "# due: \"YYYY-MM-DD\"   # deadline\n");
	nb_buf_puts(b, x->zh ? "progress: []   # 进展：- {date: \"YYYY-MM-DD\", note: \"……\", done: false}\n"
			     : "progress: []   # updates: - {date: \"YYYY-MM-DD\", note: \"…\", done: false}\n");
	nb_buf_puts(b, x->zh ? "# supersedes: \"\"   # 本决议取代的较早决议的编号\n"
			     : "# supersedes: \"\"   # id of an earlier decision this one replaces\n");
	nb_buf_puts(b, x->zh ? "# summary: \"\"   # 一句话概括，用于列表和订阅\n"
			     : "# summary: \"\"   # one sentence, for lists and feeds\n");
	nb_buf_puts(b, "---\n\n");
	nb_buf_puts(b, x->zh ? "自治会决定：\n\n1. ……；\n2. ……。\n" : "The committee decided:\n\n1. …;\n2. ….\n");
}

static void gen_evaluation(nb_buf *b, const nb_skeleton *x, const char *id, const char *period)
{
	nb_buf tb = NB_BUF_INIT;
	static const char *const qzh[] = { "一", "二", "三", "四" };
	if (x->zh)
		nb_buf_printf(&tb, "%s%d年第%s季度社区自治评估", ctitle(x), x->year,
			      qzh[(x->month - 1) / 3]);
	else
		nb_buf_printf(&tb, "%s self-governance evaluation, %s", ctitle(x), period);
	header_common(b, x, x->title ? x->title : nb_buf_cstr(&tb), id);
	nb_buf_free(&tb);
	field(b, "community", cid(x), x->zh ? "社区编号" : "the community's id");
	field(b, "period", period, x->zh ? "评估期：2024-Q3（季度）或 2024（年度）"
					 : "2024-Q3 (a quarter) or 2024 (a year)");
	const char *street = x->community ? nb_doc_str(x->community, "street") : NULL;
	if (street && x->zh) {
		nb_buf a = NB_BUF_INIT;
		nb_buf_printf(&a, "%s办事处", street);
		field(b, "assessor", nb_buf_cstr(&a), "评估单位");
		nb_buf_free(&a);
	} else {
		nb_buf_puts(b, x->zh ? "# assessor: \"\"   # 评估单位\n" : "# assessor: \"\"   # who assessed\n");
	}
	nb_buf_puts(b, x->zh ? "# 内部指标：比率，0 到 1 之间的小数（0.74 即 74%）\n"
			     : "# internal indicators: rates between 0 and 1 (0.74 is 74%)\n");
	nb_buf_puts(b, "# internal: {informed: 0.00, participation: 0.00, satisfaction: 0.00}\n");
	nb_buf_puts(b, x->zh ? "# survey: {respondents: 0}   # 问卷人数\n"
			     : "# survey: {respondents: 0}   # survey respondents\n");
	nb_buf_puts(b, x->zh ? "# 外部指标：信访量、案发数、行政管理成本（元）及全街道平均\n"
			     : "# external indicators: complaints, cases, admin cost and the street's average\n");
	nb_buf_puts(b, "# external: {complaints: 0, cases: 0, admin_cost: 0, admin_cost_average: 0}\n");
	nb_buf_puts(b, "---\n\n");
	nb_buf_puts(b, x->zh ? "（本期评估意见：成绩、问题和建议。）\n"
			     : "(The assessment: achievements, problems, recommendations.)\n");
}

static void gen_charter(nb_buf *b, const nb_skeleton *x, const char *id, int version, const nb_doc *prev)
{
	nb_buf tb = NB_BUF_INIT;
	nb_buf_printf(&tb, x->zh ? "%s自治公约" : "%s charter", ctitle(x));
	const char *t = x->title ? x->title : prev && nb_doc_str(prev, "title")
						  ? nb_doc_str(prev, "title") : nb_buf_cstr(&tb);
	header_common(b, x, t, id);
	nb_buf_free(&tb);
	field(b, "community", cid(x), x->zh ? "社区编号" : "the community's id");
	nb_buf_printf(b, "version: %d   # %s\n", version,
		      x->zh ? "版本号：必须与文件名 v<N>.md 一致" : "must match the file name v<N>.md");
	field(b, "effective", x->date, x->zh ? "生效日期" : "the date it takes effect");
	nb_buf_puts(b, x->zh ? "# adopted_at: \"\"   # 通过本版公约的会议编号\n"
			     : "# adopted_at: \"\"   # id of the meeting that adopted this version\n");
	committee_list(b, x, "signatories", x->zh ? "签署人" : "who signed");
	nb_buf_puts(b, x->zh ? "# summary: \"\"   # 本次修订改了什么，一句话\n"
			     : "# summary: \"\"   # what this version changes, in one sentence\n");
	nb_buf_puts(b, "---\n");
	if (prev && prev->body_len) {
		/* An amendment starts from the text in force, so the version
		 * comparison shows exactly what was changed. */
		if (prev->body[0] != '\n')
			nb_buf_putc(b, '\n');
		nb_buf_put(b, prev->body, prev->body_len);
	} else {
		nb_buf_puts(b, x->zh ? "\n## 第一条 总则\n\n为……，制定本公约。\n\n## 第二条 ……\n\n……\n"
				     : "\n## Article 1 General provisions\n\n…\n\n## Article 2 …\n\n…\n");
	}
}

static void gen_page(nb_buf *b, const nb_skeleton *x, const char *id)
{
	header_common(b, x, x->title ? x->title : (x->zh ? "新页面" : "New page"), NULL);
	(void)id;
	field(b, "date", x->date, x->zh ? "日期：页面据此出现在订阅中；修改后可加 updated: \"YYYY-MM-DD\""
					: "dated pages appear in the feeds; add updated: \"YYYY-MM-DD\" when amended");
	nb_buf_puts(b, x->zh ? "# summary: \"\"   # 一句话简介，用于列表、搜索引擎和订阅\n"
			     : "# summary: \"\"   # one sentence, for lists, search engines and feeds\n");
	nb_buf_puts(b, "---\n\n");
	nb_buf_puts(b, x->zh ? "## 小标题\n\n正文……\n" : "## A heading\n\nText…\n");
}

int nb_skeleton_kind(const char *k, const char **plural)
{
	static const char *const kinds[][2] = {
		{ "meeting", "meetings" }, { "decision", "decisions" },
		{ "evaluation", "evaluations" }, { "charter", "charters" }, { "page", "pages" },
		{ "community", "communities" },
	};
	for (int i = 0; i < 6; i++)
		if (!strcmp(k, kinds[i][0]) || !strcmp(k, kinds[i][1])) {
			*plural = kinds[i][1];
			return i;
		}
	return -1;
}

const nb_doc *nb_skeleton_community(const nb_content *c, const char *id, size_t *count)
{
	const nb_doc *found = NULL, *first = NULL;
	*count = 0;
	for (size_t i = 0; i < c->len; i++) {
		const nb_doc *d = &c->docs[i];
		if (!d->ok || strcmp(d->kind, "communities"))
			continue;
		(*count)++;
		if (!first)
			first = d;
		if (id && !strcmp(d->id, id))
			found = d;
	}
	return id ? found : (*count == 1 ? first : NULL);
}

/* Another document (not at `rel`) whose id is `id`, or one content.c
 * counts as the same (case, Unicode normalisation), or NULL. */
static const nb_doc *id_taken(const nb_content *c, const char *id, const char *rel)
{
	char *want = nb_utf8_fold(id);
	const nb_doc *hit = NULL;
	for (size_t i = 0; i < c->len && !hit; i++) {
		const nb_doc *d = &c->docs[i];
		if (!d->id || !strcmp(d->path, rel))
			continue;
		char *have = nb_utf8_fold(d->id);
		if (!strcmp(have, want))
			hit = d;
		free(have);
	}
	free(want);
	return hit;
}

int nb_skeleton_write(nb_buf *rel, nb_buf *idb, nb_buf *text, nb_buf *err, nb_skeleton *x,
		      int k, const char *id)
{
	const char *cname = x->community ? x->community->id : "community";
	/* `--title ""` is no title: the kind's own, as `new community`
	 * takes the id for an empty name (an empty title fails check). */
	if (x->title && !x->title[0])
		x->title = NULL;
	switch (k) {
	case 0: /* meeting */
		if (!id)
			nb_buf_printf(idb, "%s-%04d-%02d-plenary", cname, x->year, x->month);
		else
			nb_buf_puts(idb, id);
		nb_buf_printf(rel, "content/meetings/%04d/%s.md", x->year, nb_buf_cstr(idb));
		gen_meeting(text, x, nb_buf_cstr(idb));
		break;
	case 1: { /* decision */
		const nb_doc *m = x->community ? latest_meeting(x) : NULL;
		if (!m) {
			/* `meeting:` is required and names a meeting: with none
			 * to name, the new file would fail check. */
			nb_buf_printf(err, nb_diag_word(x->lang, "%s has no meeting held by %s for "
				      "the decision to name; nothing was written\n  hint: write the "
				      "meeting first (`noticeboard new meeting --date YYYY-MM-DD`), "
				      "or give the decision the date of the meeting that took it "
				      "(--date)",
				      "%s 在 %s 及之前没有开过会议，新决议无法写明是哪次会议作出的；"
				      "没有写入任何文件\n  提示：先写会议纪要（`noticeboard new "
				      "meeting --date YYYY-MM-DD`），或用 --date 写明作出这项决议的"
				      "会议日期"),
				      x->community ? cname : nb_diag_word(x->lang, "the site", "本站"),
				      x->date);
			return -1;
		}
		if (!x->date_given && m && nb_date_valid(nb_doc_str(m, "date"))) {
			/* A decision is dated by the meeting that took it. */
			snprintf(x->date, sizeof(x->date), "%s", nb_doc_str(m, "date"));
			x->year = atoi(x->date);
			x->month = atoi(x->date + 5);
		}
		if (!id)
			nb_buf_printf(idb, "%s-%04d-%02d-decision", cname, x->year, x->month);
		else
			nb_buf_puts(idb, id);
		nb_buf_printf(rel, "content/decisions/%04d/%s.md", x->year, nb_buf_cstr(idb));
		gen_decision(text, x, nb_buf_cstr(idb), m);
		break;
	}
	case 2: { /* evaluation */
		char period[32];
		snprintf(period, sizeof(period), "%04d-Q%d", x->year % 10000,
			 ((x->month - 1) / 3) % 4 + 1);
		for (size_t i = 0; i < x->c->len; i++) {
			const nb_doc *e = &x->c->docs[i];
			const char *ec = nb_doc_str(e, "community"), *ep = nb_doc_str(e, "period");
			if (e->ok && !strcmp(e->kind, "evaluations") && ec && ep &&
			    !strcmp(ec, cname) && !strcmp(ep, period)) {
				nb_buf_printf(err, nb_diag_word(x->lang, "%s already has an "
					      "evaluation for %s: %s\n  hint: edit that file, or pass "
					      "--date for another period",
					      "%s 已经有 %s 的评估：%s\n  提示：修改那个文件，或用 "
					      "--date 选另一个季度"), cname, period, e->path);
				return -1;
			}
		}
		if (!id)
			nb_buf_printf(idb, "%s-%04d-q%d", cname, x->year, (x->month - 1) / 3 + 1);
		else
			nb_buf_puts(idb, id);
		nb_buf_printf(rel, "content/evaluations/%04d/%s.md", x->year, nb_buf_cstr(idb));
		gen_evaluation(text, x, nb_buf_cstr(idb), period);
		break;
	}
	case 3: { /* charter */
		int top = 0;
		const nb_doc *prev = NULL;
		for (size_t i = 0; i < x->c->len; i++) {
			const nb_doc *e = &x->c->docs[i];
			const char *ec = nb_doc_str(e, "community");
			json_int_t v;
			if (!e->ok || strcmp(e->kind, "charters") || !ec || strcmp(ec, cname) ||
			    nb_doc_integer(&v, e, "version") != 0)
				continue;
			if ((int)v > top) {
				top = (int)v;
				prev = e;
			}
		}
		if (prev && prev->draft) {
			/* One amendment at a time: a pending draft is edited, not
			 * stacked under another version. */
			nb_buf_printf(err, nb_diag_word(x->lang, "%s is still a draft of the next "
				      "version; nothing was changed\n  hint: edit it, or publish it "
				      "first", "%s 还是下一版的草稿，没有做任何改动\n  提示：直接修改"
				      "它，或先把它发布出去"), prev->path);
			return -1;
		}
		nb_buf_printf(rel, "content/charters/%s/v%d.md", cname, top + 1);
		gen_charter(text, x, id, top + 1, prev);
		break;
	}
	default: /* page */
		nb_buf_puts(idb, id ? id : "new-page");
		nb_buf_printf(rel, "content/pages/%s.md", nb_buf_cstr(idb));
		gen_page(text, x, nb_buf_cstr(idb));
		break;
	}
	/* Ids are unique across the site: a second document with one would
	 * fail check, and so would the one that had it first. */
	const char *made = k == 3 ? id : nb_buf_cstr(idb);
	const nb_doc *other = made ? id_taken(x->c, made, nb_buf_cstr(rel)) : NULL;
	if (other) {
		nb_buf_printf(err, nb_diag_word(x->lang, "the id `%s` is already %s's (%s), and "
			      "ids are unique across the site; nothing was written\n  hint: give "
			      "another id, e.g. `%s-2`",
			      "编号 `%s` 已经被 %s（%s）用了，全站的编号不能重复；没有写入任何"
			      "文件\n  提示：换一个编号，例如 `%s-2`"),
			      made, other->path, other->id, made);
		return -1;
	}
	return 0;
}

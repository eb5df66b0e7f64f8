/*
 * test_validate.c - the check stage, end to end.
 *
 * Every test writes a small but complete site under /tmp (mkdtemp), breaks
 * exactly one thing in it by editing one line of a known-good file, then
 * loads it with nb_content_load and runs nb_validate. Going through real
 * files keeps the line and column numbers honest: they come from the YAML
 * parser exactly as a secretary will see them. The base site must validate
 * cleanly (first test), so each later test can insist that exactly the one
 * expected error appears, at the expected file, line and column.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "check_site.h"


#define COMMUNITY "content/communities/hongling.md"
#define MEETING03 "content/meetings/2024/hongling-2024-03.md"
#define MEETING06 "content/meetings/2024/hongling-2024-06.md"
#define DECISION "content/decisions/2024/hongling-fire.md"
#define CHARTER "content/charters/hongling/v1.md"
#define EVALUATION "content/evaluations/2024/hongling-2024-q3.md"

/* Line numbers below are the ones the tests assert; keep them in step. */
static const char *const base_files[][2] = {
	{ COMMUNITY,
	  "---\n"                                              /* 1 */
	  "title: \"红岭社区\"\n"                             /* 2 */
	  "name: \"红岭社区\"\n"                              /* 3 */
	  "type: \"老旧住宅区\"\n"                            /* 4 */
	  "platform: \"residents-committee\"\n"               /* 5 */
	  "population: 8640\n"                                 /* 6 */
	  "committee:\n"                                       /* 7 */
	  "  - {name: \"A1\", role: \"主任\", affiliation: \"社区党委\"}\n" /* 8 */
	  "  - {name: \"A2\", role: \"副主任\"}\n"            /* 9 */
	  "  - {name: \"A3\", role: \"委员\"}\n"              /* 10 */
	  "  - {name: \"A4\", role: \"委员\"}\n"              /* 11 */
	  "  - {name: \"A5\", role: \"委员\"}\n"              /* 12 */
	  "  - {name: \"A6\", role: \"委员\"}\n"              /* 13 */
	  "  - {name: \"A7\", role: \"委员\"}\n"              /* 14 */
	  "---\n"
	  "红岭社区概况。\n" },
	{ MEETING03,
	  "---\n"                                              /* 1 */
	  "title: \"红岭社区2024年3月全体会议\"\n"            /* 2 */
	  "id: \"hongling-2024-03\"\n"                         /* 3 */
	  "community: \"hongling\"\n"                          /* 4 */
	  "kind: \"plenary\"\n"                                /* 5 */
	  "date: \"2024-03-08\"\n"                             /* 6 */
	  "start: \"19:00\"\n"                                 /* 7 */
	  "end: \"21:00\"\n"                                   /* 8 */
	  "attendees: [A1, A2, A3, A4, A5, A6, A7, B1, B2, B3]\n" /* 9 */
	  "absent:\n"                                          /* 10 */
	  "  - \"C1\"\n"                                       /* 11 */
	  "  - {name: \"C2\", reason: \"出差\"}\n"            /* 12 */
	  "status: \"approved\"\n"                             /* 13 */
	  "approved_at: \"hongling-2024-06\"\n"                /* 14 */
	  "---\n"
	  "## 纪要\n" },
	{ MEETING06,
	  "---\n"
	  "title: \"红岭社区2024年6月协调会\"\n"
	  "id: \"hongling-2024-06\"\n"
	  "community: \"hongling\"\n"
	  "kind: \"coordination\"\n"
	  "date: \"2024-06-14\"\n"
	  "attendees: [A1, A2, A3, A4, A5, A6, A7]\n"
	  "---\n"
	  "## 纪要\n" },
	{ DECISION,
	  "---\n"                                              /* 1 */
	  "title: \"关于消防通道的决议\"\n"                   /* 2 */
	  "id: \"hongling-fire\"\n"                            /* 3 */
	  "community: \"hongling\"\n"                          /* 4 */
	  "meeting: \"hongling-2024-03\"\n"                    /* 5 */
	  "date: \"2024-03-08\"\n"                             /* 6 */
	  "category: \"fire-safety\"\n"                        /* 7 */
	  "votes:\n"                                           /* 8 */
	  "  for: 6\n"                                         /* 9 */
	  "  against: 2\n"                                     /* 10 */
	  "  abstain: 1\n"                                     /* 11 */
	  "result: \"adopted\"\n"                              /* 12 */
	  "due: \"2024-12-31\"\n"                              /* 13 */
	  "progress:\n"                                        /* 14 */
	  "  - {date: \"2024-04-01\", note: \"开工\", done: false}\n" /* 15 */
	  "---\n"
	  "决议正文。\n" },
	{ CHARTER,
	  "---\n"                                              /* 1 */
	  "title: \"红岭社区自治公约\"\n"                     /* 2 */
	  "community: \"hongling\"\n"                          /* 3 */
	  "version: 1\n"                                       /* 4 */
	  "effective: \"2024-03-15\"\n"                        /* 5 */
	  "adopted_at: \"hongling-2024-03\"\n"                 /* 6 */
	  "signatories: [A1, A2]\n"                            /* 7 */
	  "---\n"
	  "## 第一条 总则\n" },
	{ EVALUATION,
	  "---\n"                                              /* 1 */
	  "title: \"红岭社区2024年第三季度评估\"\n"           /* 2 */
	  "id: \"hongling-2024-q3\"\n"                         /* 3 */
	  "community: \"hongling\"\n"                          /* 4 */
	  "period: \"2024-Q3\"\n"                              /* 5 */
	  "internal:\n"                                        /* 6 */
	  "  informed: 0.74\n"                                 /* 7 */
	  "  participation: 0.33\n"                            /* 8 */
	  "  satisfaction: 0.81\n"                             /* 9 */
	  "survey: {respondents: 286}\n"                       /* 10 */
	  "external: {complaints: 21, cases: 9, admin_cost: 196000, admin_cost_average: 205000}\n"
	  "---\n"
	  "评估意见。\n" },
	{ "content/pages/about.md",
	  "---\n"
	  "title: \"关于本站\"\n"
	  "---\n"
	  "正文。\n" },
};

static void site_init(site *s)
{
	site_open(s, "validate", base_files, sizeof(base_files) / sizeof(base_files[0]));
}

static void dump(const nb_diag *d)
{
	nb_diag_print(d, stderr, 0);
}

/* Exactly one error, with this code, file, line and column. */
static const nb_diag_entry *expect_one(nb_test_state *nb__t, site *s,
				       const char *code, const char *file,
				       int line, int col)
{
	return site_expect_one(nb__t, s, code, NB_SEV_ERROR, file, line, col);
}

#define EDIT(s, rel, from, to) NB_CHECK(edit((s), (rel), (from), (to)))

NB_TEST(test_base_site_is_clean)
{
	site s;
	site_init(&s);
	NB_CHECK(site_check(&s) == 0);
	NB_CHECK(s.d.len == 0);
	if (s.d.len)
		dump(&s.d);
	site_free(&s);
}

NB_TEST(test_missing_required_field)
{
	site s;
	site_init(&s);
	EDIT(&s, MEETING03, "kind: \"plenary\"\n", "");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-required", MEETING03, 2, 1);
	if (e) {
		NB_CHECK_CONTAINS(e->msg, "`kind` is missing");
		NB_CHECK_CONTAINS(e->hint, "kind:");
	}
	site_free(&s);
}

NB_TEST(test_missing_title_without_schema)
{
	/* A kind with no schema still needs a title (common.yaml). */
	site s;
	site_init(&s);
	put(&s, "content/notices/n1.md", "---\nsubject: x\n---\nbody\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-required",
					    "content/notices/n1.md", 2, 1);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "`title`");
	site_free(&s);
}

NB_TEST(test_required_but_empty)
{
	site s;
	site_init(&s);
	EDIT(&s, DECISION, "category: \"fire-safety\"", "category:");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-required", DECISION, 7, 1);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "`category` is required but empty");
	site_free(&s);
}

/* `new page --title ""` writes `title: ""`: as empty as no value at all,
 * and published it would be a page without a name. */
NB_TEST(test_required_but_an_empty_string)
{
	site s;
	site_init(&s);
	put(&s, "content/pages/untitled.md", "---\ntitle: \"\"\n---\nbody\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-required",
					    "content/pages/untitled.md", 2, 1);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "`title` is required but empty");
	site_free(&s);
}

NB_TEST(test_wrong_type)
{
	site s;
	site_init(&s);
	EDIT(&s, DECISION, "  for: 6", "  for: \"six\"");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-type", DECISION, 9, 8);
	if (e)
		NB_CHECK_STR(e->msg, "`votes.for` must be a whole number, not text");
	site_free(&s);
}

NB_TEST(test_bad_enum_with_suggestion)
{
	site s;
	site_init(&s);
	EDIT(&s, MEETING03, "kind: \"plenary\"", "kind: \"plenery\"");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-enum", MEETING03, 5, 7);
	if (e) {
		NB_CHECK_CONTAINS(e->msg, "did you mean `plenary`?");
		NB_CHECK_STR(e->hint, "change it to `plenary`");
	}
	site_free(&s);
}

NB_TEST(test_bad_enum_lists_values)
{
	site s;
	site_init(&s);
	EDIT(&s, COMMUNITY, "type: \"老旧住宅区\"", "type: \"工业区\"");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-enum", COMMUNITY, 4, 7);
	if (e)
		NB_CHECK_CONTAINS(e->hint, "商业区, 商住混合区, 新兴住宅区, 老旧住宅区, 城中村, 插花地");
	site_free(&s);
}

NB_TEST(test_invalid_date)
{
	site s;
	site_init(&s);
	EDIT(&s, MEETING06, "date: \"2024-06-14\"", "date: \"2024-02-30\"");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-date", MEETING06, 6, 7);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "February 2024 has 29 days");
	site_free(&s);
}

NB_TEST(test_date_wrong_form_in_list_item)
{
	site s;
	site_init(&s);
	EDIT(&s, DECISION, "{date: \"2024-04-01\"", "{date: \"2024/04/01\"");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-date", DECISION, 15, 12);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "`progress[1].date: 2024/04/01`");
	site_free(&s);
}

NB_TEST(test_bad_time)
{
	site s;
	site_init(&s);
	EDIT(&s, MEETING03, "start: \"19:00\"", "start: \"25:00\"");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-time", MEETING03, 7, 8);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "`start: 25:00`");
	site_free(&s);
}

NB_TEST(test_end_before_start)
{
	site s;
	site_init(&s);
	EDIT(&s, MEETING03, "end: \"21:00\"", "end: \"18:30\"");
	expect_one(NB_T, &s, "time-order", MEETING03, 8, 6);
	site_free(&s);
}

NB_TEST(test_bad_period)
{
	site s;
	site_init(&s);
	EDIT(&s, EVALUATION, "period: \"2024-Q3\"", "period: \"2024-Q5\"");
	expect_one(NB_T, &s, "field-period", EVALUATION, 5, 9);
	site_free(&s);
}

NB_TEST(test_rate_outside_range)
{
	site s;
	site_init(&s);
	EDIT(&s, EVALUATION, "participation: 0.33", "participation: 1.3");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-range", EVALUATION, 8, 18);
	if (e) {
		NB_CHECK_STR(e->msg, "`internal.participation` is 1.3; it must be between 0 and 1");
		NB_CHECK_CONTAINS(e->hint, "fraction");
	}
	site_free(&s);
}

NB_TEST(test_negative_count)
{
	site s;
	site_init(&s);
	EDIT(&s, EVALUATION, "cases: 9", "cases: -9");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-range", EVALUATION, 11, 35);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "at least 0");
	site_free(&s);
}

/* A version number too large to be one: int-sized beyond 99999 it would
 * wrap when the versions are ordered, so it is refused where written. */
NB_TEST(test_charter_version_too_large)
{
	site s;
	site_init(&s);
	EDIT(&s, CHARTER, "version: 1", "version: 3000000000");
	NB_CHECK(site_check(&s) == -1);
	const nb_diag_entry *e = diag_find(&s.d, "field-range", NULL);
	NB_CHECK(e != NULL);
	if (e) {
		NB_CHECK_STR(e->file, CHARTER);
		NB_CHECK(e->line == 4 && e->col == 10);
		NB_CHECK_STR(e->msg, "`version` is 3000000000; it must be between 1 and 99999");
	}
	site_free(&s);
}

NB_TEST(test_committee_of_six)
{
	site s;
	site_init(&s);
	EDIT(&s, COMMUNITY, "  - {name: \"A7\", role: \"委员\"}\n", "");
	const nb_diag_entry *e = expect_one(NB_T, &s, "list-length", COMMUNITY, 8, 3);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "`committee` has 6 entries; it must have between 7 and 11");
	site_free(&s);
}

NB_TEST(test_committee_of_twelve)
{
	site s;
	site_init(&s);
	EDIT(&s, COMMUNITY, "  - {name: \"A7\", role: \"委员\"}\n",
	     "  - {name: \"A7\", role: \"委员\"}\n"
	     "  - {name: \"A8\"}\n  - {name: \"A9\"}\n  - {name: \"A10\"}\n"
	     "  - {name: \"A11\"}\n  - {name: \"A12\"}\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "list-length", COMMUNITY, 8, 3);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "has 12 entries");
	site_free(&s);
}

NB_TEST(test_committee_member_without_name)
{
	site s;
	site_init(&s);
	EDIT(&s, COMMUNITY, "{name: \"A3\", role: \"委员\"}", "{role: \"委员\"}");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-required", COMMUNITY, 10, 5);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "`committee[3]` lacks the required field `name`");
	site_free(&s);
}

NB_TEST(test_no_chair)
{
	site s;
	site_init(&s);
	EDIT(&s, COMMUNITY, "role: \"主任\"", "role: \"委员\"");
	expect_one(NB_T, &s, "committee-no-chair", COMMUNITY, 8, 3);
	site_free(&s);
}

NB_TEST(test_chair_by_flag)
{
	site s;
	site_init(&s);
	EDIT(&s, COMMUNITY, "role: \"主任\"", "role: \"书记\", chair: true");
	NB_CHECK(site_check(&s) == 0);
	if (s.d.len)
		dump(&s.d);
	site_free(&s);
}

NB_TEST(test_two_chairs)
{
	site s;
	site_init(&s);
	EDIT(&s, COMMUNITY, "{name: \"A2\", role: \"副主任\"}", "{name: \"A2\", role: \"召集人\"}");
	const nb_diag_entry *e = expect_one(NB_T, &s, "committee-many-chairs", COMMUNITY, 9, 5);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "`A1` and `A2`");
	site_free(&s);
}

NB_TEST(test_unknown_meeting_reference)
{
	site s;
	site_init(&s);
	EDIT(&s, DECISION, "meeting: \"hongling-2024-03\"", "meeting: \"hongling-2024-13\"");
	const nb_diag_entry *e = expect_one(NB_T, &s, "ref-unknown", DECISION, 5, 10);
	if (e) {
		NB_CHECK_CONTAINS(e->msg, "`meeting: hongling-2024-13` does not name any meeting");
		NB_CHECK_CONTAINS(e->msg, "did you mean `hongling-2024-03`?");
	}
	site_free(&s);
}

NB_TEST(test_reference_to_wrong_kind)
{
	site s;
	site_init(&s);
	EDIT(&s, DECISION, "meeting: \"hongling-2024-03\"", "meeting: \"hongling\"");
	expect_one(NB_T, &s, "ref-wrong-kind", DECISION, 5, 10);
	site_free(&s);
}

NB_TEST(test_reference_to_draft)
{
	site s;
	site_init(&s);
	EDIT(&s, MEETING06, "kind:", "draft: true\nkind:");
	const nb_diag_entry *e = expect_one(NB_T, &s, "ref-draft", MEETING03, 14, 14);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "refers to a draft");
	site_free(&s);
}

NB_TEST(test_meeting_of_other_community)
{
	site s;
	site_init(&s);
	char *other = strdup(base_files[0][1]);
	put(&s, "content/communities/beishan.md", other);
	free(other);
	put(&s, "content/meetings/2024/beishan-2024-03.md",
	    "---\ntitle: t\nid: beishan-2024-03\ncommunity: beishan\nkind: plenary\n"
	    "date: 2024-03-01\nattendees: [X, Y, Z, W, V, U, T, S, R]\n---\n");
	EDIT(&s, DECISION, "meeting: \"hongling-2024-03\"", "meeting: \"beishan-2024-03\"");
	const nb_diag_entry *e = expect_one(NB_T, &s, "ref-other-community", DECISION, 5, 10);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "community `beishan`");
	site_free(&s);
}

NB_TEST(test_votes_exceed_attendees)
{
	site s;
	site_init(&s);
	EDIT(&s, DECISION, "  for: 6", "  for: 9");
	const nb_diag_entry *e = expect_one(NB_T, &s, "votes-exceed-attendees", DECISION, 9, 3);
	if (e) {
		NB_CHECK_STR(e->msg, "votes (for 9 + against 2 + abstain 1 = 12) exceed the 10 attendees of meeting `hongling-2024-03`");
		NB_CHECK_STR(e->hint, "check the counts, or add the missing names to the meeting's attendees");
	}
	site_free(&s);
}

NB_TEST(test_result_mismatch_majority)
{
	site s;
	site_init(&s);
	/* 4 for of 8 cast is not more than half. */
	EDIT(&s, DECISION, "  for: 6\n  against: 2\n  abstain: 1",
	     "  for: 4\n  against: 3\n  abstain: 1");
	const nb_diag_entry *e = expect_one(NB_T, &s, "result-mismatch", DECISION, 12, 9);
	if (e) {
		NB_CHECK_CONTAINS(e->msg, "majority");
		NB_CHECK_CONTAINS(e->hint, "result: rejected");
	}
	site_free(&s);
}

NB_TEST(test_result_mismatch_two_thirds)
{
	site s;
	site_init(&s);
	/* 6 for of 9 cast is exactly two thirds: adopted... */
	EDIT(&s, DECISION, "result: \"adopted\"", "rule: \"two-thirds\"\nresult: \"adopted\"");
	NB_CHECK(site_check(&s) == 0);
	site_free(&s);
	/* ... 6 of 10 is not. */
	site_init(&s);
	EDIT(&s, DECISION, "  against: 2", "  against: 3");
	EDIT(&s, DECISION, "result: \"adopted\"", "rule: \"two-thirds\"\nresult: \"adopted\"");
	const nb_diag_entry *e = expect_one(NB_T, &s, "result-mismatch", DECISION, 13, 9);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "two-thirds");
	site_free(&s);
}

NB_TEST(test_vote_result_function)
{
	NB_CHECK_STR(nb_validate_vote_result(0, 0, 0, "majority"), "deferred");
	NB_CHECK_STR(nb_validate_vote_result(5, 4, 0, "majority"), "adopted");
	NB_CHECK_STR(nb_validate_vote_result(5, 4, 1, "majority"), "rejected");
	NB_CHECK_STR(nb_validate_vote_result(5, 5, 0, NULL), "rejected");
	NB_CHECK_STR(nb_validate_vote_result(2, 1, 0, "two-thirds"), "adopted");
	NB_CHECK_STR(nb_validate_vote_result(6, 3, 1, "two-thirds"), "rejected");
	NB_CHECK_STR(nb_validate_vote_result(0x7fffffffffffffffLL, 1, 1, "two-thirds"), "adopted");
}

NB_TEST(test_approved_at_earlier_meeting)
{
	site s;
	site_init(&s);
	EDIT(&s, MEETING06, "date: \"2024-06-14\"", "date: \"2024-02-14\"");
	const nb_diag_entry *e = expect_one(NB_T, &s, "approved-at-earlier", MEETING03, 14, 14);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "held on 2024-02-14, before this meeting (2024-03-08)");
	site_free(&s);
}

NB_TEST(test_supersedes_unknown)
{
	site s;
	site_init(&s);
	EDIT(&s, DECISION, "due:", "supersedes: \"hongling-old\"\ndue:");
	expect_one(NB_T, &s, "ref-unknown", DECISION, 13, 13);
	site_free(&s);
}

NB_TEST(test_supersedes_later_decision)
{
	site s;
	site_init(&s);
	put(&s, "content/decisions/2024/later.md",
	    "---\ntitle: t\nid: hongling-later\ncommunity: hongling\n"
	    "meeting: hongling-2024-06\ndate: 2024-06-14\ncategory: services\n---\n");
	EDIT(&s, DECISION, "due:", "supersedes: \"hongling-later\"\ndue:");
	expect_one(NB_T, &s, "supersedes-later", DECISION, 13, 13);
	site_free(&s);
}

NB_TEST(test_misspelt_field)
{
	site s;
	site_init(&s);
	EDIT(&s, MEETING03, "attendees:", "atendees:");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-unknown", MEETING03, 9, 1);
	if (e) {
		NB_CHECK_STR(e->msg, "unknown field `atendees`: did you mean `attendees`?");
		NB_CHECK_STR(e->hint, "rename it to `attendees`");
	}
	site_free(&s);
}

NB_TEST(test_misspelt_nested_field)
{
	site s;
	site_init(&s);
	EDIT(&s, DECISION, "  against: 2", "  agianst: 2");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-unknown", DECISION, 10, 3);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "did you mean `against`?");
	site_free(&s);
}

NB_TEST(test_unknown_field_passes)
{
	site s;
	site_init(&s);
	/* `population` (base) and these are unknown but unlike any known field. */
	EDIT(&s, MEETING03, "status:", "weather: \"晴\"\nphotographer: \"王五\"\nstatus:");
	EDIT(&s, DECISION, "  abstain: 1", "  abstain: 1\n  absent_members: 0");
	NB_CHECK(site_check(&s) == 0);
	NB_CHECK(s.d.len == 0);
	if (s.d.len)
		dump(&s.d);
	site_free(&s);
}

NB_TEST(test_absent_alternatives)
{
	site s;
	site_init(&s);
	EDIT(&s, MEETING03, "  - \"C1\"", "  - 42");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-type", MEETING03, 11, 5);
	if (e)
		NB_CHECK_STR(e->msg, "`absent[1]` must be text or a group of fields, not a whole number");
	site_free(&s);
	site_init(&s);
	EDIT(&s, MEETING03, "{name: \"C2\", reason:", "{nmae: \"C2\", reason:");
	NB_CHECK(site_check(&s) == -1);
	NB_CHECK(diag_find(&s.d, "field-required", NULL) != NULL);
	NB_CHECK(diag_find(&s.d, "field-unknown", NULL) != NULL);
	site_free(&s);
}

NB_TEST(test_duplicate_evaluation_period)
{
	site s;
	site_init(&s);
	put(&s, "content/evaluations/2024/hongling-2024-q3-again.md",
	    "---\ntitle: t\ncommunity: hongling\nperiod: 2024-Q3\n---\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "period-duplicate",
		"content/evaluations/2024/hongling-2024-q3.md", 5, 9);
	if (e)
		NB_CHECK_CONTAINS(e->hint, "hongling-2024-q3-again.md");
	site_free(&s);
}

NB_TEST(test_duplicate_charter_version)
{
	site s;
	site_init(&s);
	put(&s, "content/charters/hongling/v2.md",
	    "---\ntitle: t\ncommunity: hongling\nversion: 1\n---\n");
	NB_CHECK(site_check(&s) == -1);
	const nb_diag_entry *e = diag_find(&s.d, "charter-version-duplicate", NULL);
	NB_CHECK(e != NULL);
	if (e) {
		NB_CHECK_STR(e->file, "content/charters/hongling/v2.md");
		NB_CHECK(e->line == 4 && e->col == 10);
	}
	/* The same file also disagrees with its own name. */
	NB_CHECK(diag_find(&s.d, "charter-path-mismatch", NULL) != NULL);
	NB_CHECK(s.d.len == 2);
	site_free(&s);
}

NB_TEST(test_charter_path_mismatch)
{
	site s;
	site_init(&s);
	EDIT(&s, CHARTER, "version: 1", "version: 2");
	const nb_diag_entry *e = expect_one(NB_T, &s, "charter-path-mismatch", CHARTER, 4, 10);
	if (e)
		NB_CHECK_CONTAINS(e->hint, "content/charters/hongling/v2.md");
	site_free(&s);
}

NB_TEST(test_charter_adopted_at_other_community)
{
	site s;
	site_init(&s);
	put(&s, "content/communities/beishan.md", base_files[0][1]);
	put(&s, "content/meetings/2024/beishan-2024-03.md",
	    "---\ntitle: t\nid: beishan-2024-03\ncommunity: beishan\nkind: plenary\n"
	    "date: 2024-03-01\n---\n");
	EDIT(&s, CHARTER, "adopted_at: \"hongling-2024-03\"", "adopted_at: \"beishan-2024-03\"");
	expect_one(NB_T, &s, "ref-other-community", CHARTER, 6, 13);
	site_free(&s);
}

NB_TEST(test_site_schema_override)
{
	site s;
	site_init(&s);
	/* A site may add its own fields: here every page needs an `owner`. */
	put(&s, "schemas/pages.yaml",
	    "fields:\n  owner: {type: string, required: true}\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "field-required",
					    "content/pages/about.md", 2, 1);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "`owner`");
	site_free(&s);
}

NB_TEST(test_broken_site_schema)
{
	site s;
	site_init(&s);
	put(&s, "schemas/pages.yaml",
	    "fields:\n  owner: {tpye: string}\nrules: [no_such_rule]\n");
	NB_CHECK(site_check(&s) == -1);
	size_t n = 0;
	for (size_t i = 0; i < s.d.len; i++)
		if (!strcmp(s.d.items[i].code, "schema-invalid")) {
			n++;
			NB_CHECK_STR(s.d.items[i].file, "schemas/pages.yaml");
		}
	NB_CHECK(n == 2);
	NB_CHECK(s.d.len == 2);
	if (s.d.len)
		NB_CHECK(s.d.items[0].line == 2 && s.d.items[0].col == 11);
	site_free(&s);
}

NB_TEST(test_reports_every_error)
{
	/* One run lists every problem, across files. */
	site s;
	site_init(&s);
	EDIT(&s, MEETING03, "attendees:", "atendees:");
	EDIT(&s, EVALUATION, "informed: 0.74", "informed: 74");
	EDIT(&s, DECISION, "category: \"fire-safety\"", "category: \"fire\"");
	NB_CHECK(site_check(&s) == -1);
	NB_CHECK(s.d.errors == 3);
	site_free(&s);
}

NB_TEST_MAIN("validate",
	NB_CASE(test_base_site_is_clean),
	NB_CASE(test_missing_required_field),
	NB_CASE(test_missing_title_without_schema),
	NB_CASE(test_required_but_empty),
	NB_CASE(test_required_but_an_empty_string),
	NB_CASE(test_wrong_type),
	NB_CASE(test_bad_enum_with_suggestion),
	NB_CASE(test_bad_enum_lists_values),
	NB_CASE(test_invalid_date),
	NB_CASE(test_date_wrong_form_in_list_item),
	NB_CASE(test_bad_time),
	NB_CASE(test_end_before_start),
	NB_CASE(test_bad_period),
	NB_CASE(test_rate_outside_range),
	NB_CASE(test_negative_count), NB_CASE(test_charter_version_too_large),
	NB_CASE(test_committee_of_six),
	NB_CASE(test_committee_of_twelve),
	NB_CASE(test_committee_member_without_name),
	NB_CASE(test_no_chair),
	NB_CASE(test_chair_by_flag),
	NB_CASE(test_two_chairs),
	NB_CASE(test_unknown_meeting_reference),
	NB_CASE(test_reference_to_wrong_kind),
	NB_CASE(test_reference_to_draft),
	NB_CASE(test_meeting_of_other_community),
	NB_CASE(test_votes_exceed_attendees),
	NB_CASE(test_result_mismatch_majority),
	NB_CASE(test_result_mismatch_two_thirds),
	NB_CASE(test_vote_result_function),
	NB_CASE(test_approved_at_earlier_meeting),
	NB_CASE(test_supersedes_unknown),
	NB_CASE(test_supersedes_later_decision),
	NB_CASE(test_misspelt_field),
	NB_CASE(test_misspelt_nested_field),
	NB_CASE(test_unknown_field_passes),
	NB_CASE(test_absent_alternatives),
	NB_CASE(test_duplicate_evaluation_period),
	NB_CASE(test_duplicate_charter_version),
	NB_CASE(test_charter_path_mismatch),
	NB_CASE(test_charter_adopted_at_other_community),
	NB_CASE(test_site_schema_override),
	NB_CASE(test_broken_site_schema),
	NB_CASE(test_reports_every_error))

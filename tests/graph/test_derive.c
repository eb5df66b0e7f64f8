/*
 * test_derive.c - the per-kind derived facts of graph/derive.c, as
 * residents read them: a decision's status on the build's date (the due
 * date's boundary day, done by progress, the day it is overdue from), its
 * vote tally and result under each rule at the exact thresholds, a
 * meeting's attendance, status and decisions in order, and a community's
 * decisions grouped by status with their counts.
 *
 * Every expected value is worked out by hand from the documents written
 * here, on top of the fixture site (tests/fixture_site.h). test_site.c
 * covers the fixture's own pages; these add the edges it does not reach,
 * where a wrong fact on a public page would hide.
 */
#include "harness.h"

#include "fixture_site.h"

static const char *s_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long i_of(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* A meeting big enough for every vote below (votes may not exceed its
 * attendees), held long before any build date used here. */
#define BIG_MEETING                                                                    \
	{ "content/meetings/2024/mbig.md",                                             \
	  "---\ntitle: \"Big\"\nid: \"mbig\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"    \
	  "date: \"2024-01-10\"\nattendees: [P1, P2, P3, P4, P5, P6, P7, P8, P9, P10]\n" \
	  "status: \"approved\"\n---\nMinutes.\n" }

/* A decision of mbig with its own extra front matter lines. */
#define DEC(id, extra)                                                                 \
	{ "content/decisions/2024/" id ".md",                                          \
	  "---\ntitle: \"" id "\"\nid: \"" id "\"\ncommunity: \"hl\"\nmeeting: \"mbig\"\n" \
	  "date: \"2024-01-10\"\ncategory: \"fire-safety\"\n" extra "---\nText.\n" }

static int open_site(fixture *f, const char *as_of, const char *const (*extra)[2], size_t n)
{
	int rc = fixture_open_with(f, as_of, extra, n);
	if (rc)
		nb_diag_print(&f->d, stderr, 0);
	return rc;
}

/* The site as of `as_of` with the documents of array `docs`. */
#define OPEN(f, as_of, docs) open_site(f, as_of, docs, sizeof(docs) / sizeof(docs[0]))

static const char *const due_docs[][2] = {
	BIG_MEETING,
	DEC("d-apr30", "votes: {for: 3, against: 0, abstain: 0}\ndue: \"2024-04-30\"\n"
		       "responsible: \"Wang\"\n"),
	/* Due the day d-apr30 is overdue from: its due_display is the text
	 * d-apr30's overdue_since must show. */
	DEC("d-may01", "due: \"2024-05-01\"\n"),
	DEC("d-dec31", "due: \"2024-12-31\"\n"),
	DEC("d-jan01", "due: \"2025-01-01\"\n"),
	DEC("d-feb28", "due: \"2024-02-28\"\n"),
	DEC("d-feb29", "due: \"2024-02-29\"\n"),
};

/* Due 2024-04-30: open on the 30th itself, overdue on 1 May, and
 * overdue since 1 May, the day after; the same on its page and its item. */
NB_TEST(test_due_date_boundary_day)
{
	fixture f;
	NB_CHECK(OPEN(&f, "2024-04-30", due_docs) == 0);
	const json_t *d = fixture_page(&f, "d-apr30");
	NB_CHECK_STR(s_of(d, "status"), "open");
	NB_CHECK(json_object_get(d, "overdue_since") == NULL);
	NB_CHECK_STR(s_of(d, "as_of"), "2024-04-30");
	NB_CHECK_STR(s_of(d, "responsible"), "Wang");
	NB_CHECK_STR(s_of(d, "due"), "2024-04-30");
	NB_CHECK_STR(s_of(f.s.pages[nb_site_find(&f.s, "d-apr30")].item, "status"), "open");
	fixture_free(&f);

	NB_CHECK(OPEN(&f, "2024-05-01", due_docs) == 0);
	d = fixture_page(&f, "d-apr30");
	const json_t *item = f.s.pages[nb_site_find(&f.s, "d-apr30")].item;
	NB_CHECK_STR(s_of(d, "status"), "overdue");
	NB_CHECK_STR(s_of(item, "status"), "overdue");
	NB_CHECK_STR(s_of(item, "responsible"), "Wang");
	NB_CHECK_STR(s_of(d, "overdue_since"), s_of(fixture_page(&f, "d-may01"), "due_display"));
	NB_CHECK_STR(s_of(item, "overdue_since"), s_of(d, "overdue_since"));
	/* The due date itself is not the day it is overdue from. */
	NB_CHECK(strcmp(s_of(d, "overdue_since") ? s_of(d, "overdue_since") : "",
			s_of(d, "due_display") ? s_of(d, "due_display") : "") != 0);
	/* No votes recorded: still carried out, so it has a status. */
	NB_CHECK_STR(s_of(fixture_page(&f, "d-may01"), "status"), "open");
	NB_CHECK(json_object_get(fixture_page(&f, "d-may01"), "result") == NULL);
	fixture_free(&f);
}

/* The day after a month's, a year's and February's last day. */
NB_TEST(test_overdue_since_rolls_over)
{
	fixture f;
	NB_CHECK(OPEN(&f, "2025-06-01", due_docs) == 0);
	NB_CHECK_STR(s_of(fixture_page(&f, "d-dec31"), "overdue_since"),
		     s_of(fixture_page(&f, "d-jan01"), "due_display"));
	/* 2024 is a leap year: the 28th is followed by the 29th. */
	NB_CHECK_STR(s_of(fixture_page(&f, "d-feb28"), "overdue_since"),
		     s_of(fixture_page(&f, "d-feb29"), "due_display"));
	NB_CHECK_STR(s_of(fixture_page(&f, "d-apr30"), "overdue_since"),
		     s_of(fixture_page(&f, "d-may01"), "due_display"));
	fixture_free(&f);
}

static const char *const progress_docs[][2] = {
	BIG_MEETING,
	/* Done a week before it was due. */
	DEC("d-early", "due: \"2024-04-30\"\nprogress:\n"
		       "  - {date: \"2024-03-01\", note: \"Ordered\"}\n"
		       "  - {date: \"2024-04-23\", note: \"Fitted\", done: true}\n"),
	/* Done, but late. */
	DEC("d-latedone", "due: \"2024-04-30\"\nprogress:\n"
			  "  - {date: \"2024-05-20\", note: \"Fitted\", done: true}\n"),
	/* Work reported, never finished. */
	DEC("d-going", "due: \"2024-04-30\"\nprogress:\n"
		       "  - {date: \"2024-04-01\", note: \"Started\"}\n"
		       "  - {date: \"2024-04-20\", note: \"Half\", done: false}\n"),
};

/* Done is done, before or after the due date, and a done decision is never
 * overdue; notes without `done` leave it to the due date. */
NB_TEST(test_done_by_progress)
{
	fixture f;
	NB_CHECK(OPEN(&f, "2024-06-01", progress_docs) == 0);
	const json_t *e = fixture_page(&f, "d-early"), *l = fixture_page(&f, "d-latedone");
	const json_t *g = fixture_page(&f, "d-going");
	NB_CHECK_STR(s_of(e, "status"), "done");
	NB_CHECK(json_object_get(e, "overdue_since") == NULL);
	NB_CHECK_STR(s_of(l, "status"), "done");
	NB_CHECK(json_object_get(l, "overdue_since") == NULL);
	NB_CHECK_STR(s_of(g, "status"), "overdue");
	NB_CHECK(json_object_get(g, "overdue_since") != NULL);
	NB_CHECK_STR(s_of(f.s.pages[nb_site_find(&f.s, "d-early")].item, "status"), "done");
	NB_CHECK(json_object_get(f.s.pages[nb_site_find(&f.s, "d-early")].item,
				 "overdue_since") == NULL);
	/* The progress list as typed, in order, only the done entry marked. */
	const json_t *pr = json_object_get(e, "progress");
	NB_CHECK(json_array_size(pr) == 2);
	NB_CHECK_STR(s_of(json_array_get(pr, 0), "note"), "Ordered");
	NB_CHECK(json_object_get(json_array_get(pr, 0), "done") == NULL);
	NB_CHECK(json_is_true(json_object_get(json_array_get(pr, 1), "done")));
	NB_CHECK(json_array_size(json_object_get(g, "progress")) == 2);
	const json_t *gp = json_object_get(g, "progress");
	NB_CHECK(json_object_get(json_array_get(gp, 1), "done") == NULL);
	fixture_free(&f);
	/* Before its due date, done early is done, not open. */
	NB_CHECK(OPEN(&f, "2024-04-25", progress_docs) == 0);
	NB_CHECK_STR(s_of(fixture_page(&f, "d-early"), "status"), "done");
	NB_CHECK_STR(s_of(fixture_page(&f, "d-going"), "status"), "open");
	fixture_free(&f);
}

static const char *const update_docs[][2] = {
	BIG_MEETING,
	/* Done, then a later note that says nothing of it. */
	DEC("u-note-after", "due: \"2024-04-30\"\nprogress:\n"
			    "  - {date: \"2024-04-01\", note: \"Fitted\", done: true}\n"
			    "  - {date: \"2024-06-01\", note: \"Checked again\"}\n"),
	/* Written out of date order: the done one is the latest. */
	DEC("u-unordered", "due: \"2024-04-30\"\nprogress:\n"
			   "  - {date: \"2024-04-20\", note: \"Fitted\", done: true}\n"
			   "  - {date: \"2024-03-01\", note: \"Ordered\"}\n"),
	/* Done, then found wanting: no longer done. */
	DEC("u-reopened", "due: \"2024-04-30\"\nprogress:\n"
			  "  - {date: \"2024-04-01\", note: \"Fitted\", done: true}\n"
			  "  - {date: \"2024-05-10\", note: \"Broke\", done: false}\n"),
	/* Done on 2024-05-20: not yet on 2024-04-25. */
	DEC("u-later", "due: \"2024-06-30\"\nprogress:\n"
		       "  - {date: \"2024-05-20\", note: \"Fitted\", done: true}\n"),
};

/* The latest update by the build's date that says `done` either way
 * decides, by date, whatever the order written; notes decide nothing,
 * and an update dated after the build's date has not happened yet. */
NB_TEST(test_done_by_latest_update)
{
	fixture f;
	NB_CHECK(OPEN(&f, "2024-07-01", update_docs) == 0);
	NB_CHECK_STR(s_of(fixture_page(&f, "u-note-after"), "status"), "done");
	NB_CHECK_STR(s_of(fixture_page(&f, "u-unordered"), "status"), "done");
	NB_CHECK_STR(s_of(fixture_page(&f, "u-reopened"), "status"), "overdue");
	NB_CHECK_STR(s_of(fixture_page(&f, "u-later"), "status"), "done");
	NB_CHECK_STR(s_of(f.s.pages[nb_site_find(&f.s, "u-note-after")].item, "status"), "done");
	fixture_free(&f);
	NB_CHECK(OPEN(&f, "2024-04-25", update_docs) == 0);
	NB_CHECK_STR(s_of(fixture_page(&f, "u-later"), "status"), "open");
	NB_CHECK_STR(s_of(fixture_page(&f, "u-reopened"), "status"), "done");
	fixture_free(&f);
}

static const char *const vote_docs[][2] = {
	BIG_MEETING,
	/* Majority of those cast, abstentions included: 2 of 4 is not more
	 * than half; 3 of 5 is. */
	DEC("v-2-1-1", "votes: {for: 2, against: 1, abstain: 1}\ndue: \"2099-01-01\"\n"
		       "responsible: \"Li\"\n"),
	DEC("v-3-1-1", "votes: {for: 3, against: 1, abstain: 1}\n"),
	/* Two thirds: 4 of 6 is exactly two thirds; 5 of 8 is short. */
	DEC("v-4-2-0", "votes: {for: 4, against: 2, abstain: 0}\nrule: \"two-thirds\"\n"),
	DEC("v-5-2-1", "votes: {for: 5, against: 2, abstain: 1}\nrule: \"two-thirds\"\n"),
	/* 3 of 5 is a majority but not two thirds. */
	DEC("v-3-2-0", "votes: {for: 3, against: 2, abstain: 0}\nrule: \"two-thirds\"\n"),
	/* 1/2/5 of 8: 12.5, 25, 62.5; the half-point goes to the larger
	 * count though it is typed last (votes.h). */
	DEC("v-1-2-5", "votes: {for: 1, against: 2, abstain: 5}\n"),
	/* Nobody voted, no result typed: deferred. */
	DEC("v-0-0-0", "votes: {for: 0, against: 0, abstain: 0}\n"),
};

NB_TEST(test_vote_results_at_thresholds)
{
	fixture f;
	NB_CHECK(OPEN(&f, "2024-07-01", vote_docs) == 0);
	static const struct {
		const char *id, *result, *status;
	} want[] = {
		{ "v-2-1-1", "rejected", NULL }, { "v-3-1-1", "adopted", "open" },
		{ "v-4-2-0", "adopted", "open" }, { "v-5-2-1", "rejected", NULL },
		{ "v-3-2-0", "rejected", NULL }, { "v-0-0-0", "deferred", NULL },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const json_t *pg = fixture_page(&f, want[i].id);
		const json_t *it = f.s.pages[nb_site_find(&f.s, want[i].id)].item;
		NB_CHECK_STR(s_of(pg, "result"), want[i].result);
		NB_CHECK_STR(s_of(it, "result"), want[i].result);
		char key[32];
		snprintf(key, sizeof(key), "result_%s", want[i].result);
		NB_CHECK(json_is_true(json_object_get(pg, key)));
		if (want[i].status) {
			NB_CHECK_STR(s_of(pg, "status"), want[i].status);
			NB_CHECK(json_object_get(it, "not_adopted") == NULL);
		} else {
			/* Not adopted: nothing to carry out, so no status
			 * anywhere and every list tags it. */
			NB_CHECK(json_object_get(pg, "status") == NULL);
			NB_CHECK(json_object_get(it, "status") == NULL);
			NB_CHECK(json_is_true(json_object_get(it, "not_adopted")));
		}
		if (NB_T->failed_checks)
			fprintf(stderr, "    (after %s)\n", want[i].id);
	}
	/* Rejected: neither its item nor its page names anybody responsible
	 * or a due date. */
	const json_t *rj = f.s.pages[nb_site_find(&f.s, "v-2-1-1")].item;
	NB_CHECK(json_object_get(rj, "responsible") == NULL);
	NB_CHECK(json_object_get(rj, "due") == NULL);
	const json_t *rp = fixture_page(&f, "v-2-1-1");
	NB_CHECK(json_object_get(rp, "responsible") == NULL);
	NB_CHECK(json_object_get(rp, "due") == NULL && json_object_get(rp, "due_display") == NULL);
	NB_CHECK_STR(s_of(fixture_page(&f, "v-4-2-0"), "rule"), "two-thirds");
	NB_CHECK_STR(s_of(fixture_page(&f, "v-3-1-1"), "rule"), "majority");
	fixture_free(&f);
}

/* The tally as the table and the bar show it: counts, votes cast, whole
 * per cents adding up to 100 (votes.c), the bar's offsets. */
NB_TEST(test_vote_tally)
{
	fixture f;
	NB_CHECK(OPEN(&f, "2024-07-01", vote_docs) == 0);
	const json_t *v = json_object_get(fixture_page(&f, "v-2-1-1"), "votes");
	NB_CHECK(i_of(v, "for") == 2 && i_of(v, "against") == 1 && i_of(v, "abstain") == 1);
	NB_CHECK(i_of(v, "cast") == 4);
	NB_CHECK(json_is_true(json_object_get(v, "shares")));
	NB_CHECK(i_of(v, "for_pct") == 50 && i_of(v, "against_pct") == 25 &&
		 i_of(v, "abstain_pct") == 25);
	NB_CHECK(i_of(v, "against_x") == 50 && i_of(v, "abstain_x") == 75);
	/* 5/2/1 of 8: 62.5, 25, 12.5; the half-point goes to the larger
	 * count, so 63/25/12. */
	v = json_object_get(fixture_page(&f, "v-5-2-1"), "votes");
	NB_CHECK(i_of(v, "cast") == 8);
	NB_CHECK(i_of(v, "for_pct") == 63 && i_of(v, "against_pct") == 25 &&
		 i_of(v, "abstain_pct") == 12);
	NB_CHECK(i_of(v, "against_x") == 63 && i_of(v, "abstain_x") == 88);
	v = json_object_get(fixture_page(&f, "v-1-2-5"), "votes");
	NB_CHECK(i_of(v, "for_pct") == 12 && i_of(v, "against_pct") == 25 &&
		 i_of(v, "abstain_pct") == 63);
	v = json_object_get(fixture_page(&f, "v-5-2-1"), "votes");
	/* The item's tally is the page's. */
	NB_CHECK(json_equal(json_object_get(f.s.pages[nb_site_find(&f.s, "v-5-2-1")].item, "votes"),
			    v));
	/* No vote cast: counts of 0, no shares to draw. */
	v = json_object_get(fixture_page(&f, "v-0-0-0"), "votes");
	NB_CHECK(i_of(v, "cast") == 0);
	NB_CHECK(json_object_get(v, "shares") == NULL);
	NB_CHECK(json_object_get(v, "for_pct") == NULL);
	fixture_free(&f);
}

static const char *const meeting_docs[][2] = {
	{ "content/meetings/2024/ma.md",
	  "---\ntitle: \"Held\"\nid: \"ma\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
	  "date: \"2024-09-02\"\nattendees: [A1, A2, B1, B2]\n"
	  "absent: [C1, {name: C2, reason: \"Travel\"}, {name: C3}]\n"
	  "start: \"19:30\"\nlocation: \"Hall\"\n---\nMinutes.\n" },
	{ "content/meetings/2024/mb.md",
	  "---\ntitle: \"Next\"\nid: \"mb\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
	  "date: \"2024-09-03\"\nattendees: [A1]\nstart: \"19:00\"\nend: \"20:30\"\n"
	  "location: \"Room 2\"\n---\nAgenda.\n" },
	/* Three decisions of ma, on the day and after it: the order of
	 * their dates is neither the order of their ids nor its reverse. */
	{ "content/decisions/2024/ma-1.md",
	  "---\ntitle: \"Newest\"\nid: \"ma-1\"\ncommunity: \"hl\"\nmeeting: \"ma\"\n"
	  "date: \"2024-09-05\"\ncategory: \"fire-safety\"\n---\nText.\n" },
	{ "content/decisions/2024/ma-2.md",
	  "---\ntitle: \"Oldest\"\nid: \"ma-2\"\ncommunity: \"hl\"\nmeeting: \"ma\"\n"
	  "date: \"2024-09-02\"\ncategory: \"fire-safety\"\n---\nText.\n" },
	{ "content/decisions/2024/ma-3.md",
	  "---\ntitle: \"Middle\"\nid: \"ma-3\"\ncommunity: \"hl\"\nmeeting: \"ma\"\n"
	  "date: \"2024-09-04\"\ncategory: \"fire-safety\"\n---\nText.\n" },
};

/* Attendance with the absent as names and as {name, reason}; held on the
 * build's date is held (draft minutes by default), the day after is
 * upcoming with its time and place; decisions newest first by date. */
NB_TEST(test_meeting_attendance_status_decisions)
{
	fixture f;
	NB_CHECK(OPEN(&f, "2024-09-02", meeting_docs) == 0);
	const json_t *a = fixture_page(&f, "ma");
	NB_CHECK(i_of(a, "attendee_count") == 4);
	NB_CHECK(i_of(a, "member_count") == 7);
	const json_t *abs = json_object_get(a, "absent");
	NB_CHECK(json_array_size(abs) == 3);
	NB_CHECK_STR(s_of(json_array_get(abs, 0), "name"), "C1");
	NB_CHECK(json_object_get(json_array_get(abs, 0), "reason") == NULL);
	NB_CHECK_STR(s_of(json_array_get(abs, 1), "name"), "C2");
	NB_CHECK_STR(s_of(json_array_get(abs, 1), "reason"), "Travel");
	NB_CHECK_STR(s_of(json_array_get(abs, 2), "name"), "C3");
	NB_CHECK_STR(s_of(a, "status"), "draft-minutes");
	NB_CHECK(json_object_get(a, "upcoming") == NULL);
	NB_CHECK_STR(s_of(a, "time"), "19:30");
	const json_t *ai = f.s.pages[nb_site_find(&f.s, "ma")].item;
	NB_CHECK_STR(s_of(ai, "status"), "draft-minutes");
	NB_CHECK(json_object_get(ai, "upcoming") == NULL);
	const json_t *b = fixture_page(&f, "mb");
	const json_t *bi = f.s.pages[nb_site_find(&f.s, "mb")].item;
	NB_CHECK_STR(s_of(b, "status"), "upcoming");
	NB_CHECK_STR(s_of(bi, "status"), "upcoming");
	NB_CHECK(json_is_true(json_object_get(bi, "upcoming")));
	NB_CHECK_STR(s_of(bi, "time"), "19:00–20:30");
	NB_CHECK_STR(s_of(bi, "location"), "Room 2");
	NB_CHECK_STR(s_of(b, "location"), "Room 2");
	const json_t *ds = json_object_get(a, "decisions");
	NB_CHECK(json_array_size(ds) == 3);
	NB_CHECK_STR(s_of(json_array_get(ds, 0), "title"), "Newest");
	NB_CHECK_STR(s_of(json_array_get(ds, 1), "title"), "Middle");
	NB_CHECK_STR(s_of(json_array_get(ds, 2), "title"), "Oldest");
	NB_CHECK(json_array_size(json_object_get(b, "decisions")) == 0);
	fixture_free(&f);
	/* On its own date mb is held: no longer announced. */
	NB_CHECK(OPEN(&f, "2024-09-03", meeting_docs) == 0);
	NB_CHECK_STR(s_of(fixture_page(&f, "mb"), "status"), "draft-minutes");
	NB_CHECK(json_object_get(f.s.pages[nb_site_find(&f.s, "mb")].item, "upcoming") == NULL);
	fixture_free(&f);
}

static const char *const group_docs[][2] = {
	BIG_MEETING,
	DEC("x-done", "due: \"2024-05-01\"\nprogress:\n  - {date: \"2024-05-01\", done: true}\n"),
	/* Due the day before the build: overdue. Due on it: open. */
	DEC("x-late2", "due: \"2024-06-30\"\n"),
	DEC("x-today", "due: \"2024-07-01\"\n"),
	DEC("x-def", "votes: {for: 0, against: 0, abstain: 0}\n"),
	/* Another community's overdue decision is not hl's. */
	{ "content/communities/zz.md",
	  "---\ntitle: \"Zz\"\nname: \"Zz\"\ntype: \"老旧住宅区\"\n"
	  "platform: \"residents-committee\"\n"
	  "committee:\n  - {name: \"Z1\", role: \"主任\"}\n---\nAbout.\n" },
	{ "content/meetings/2024/mz.md",
	  "---\ntitle: \"Zz meeting\"\nid: \"mz\"\ncommunity: \"zz\"\nkind: \"plenary\"\n"
	  "date: \"2024-01-10\"\nattendees: [Z1]\nstatus: \"approved\"\n---\nMinutes.\n" },
	{ "content/decisions/2024/zz-1.md",
	  "---\ntitle: \"zz-1\"\nid: \"zz-1\"\ncommunity: \"zz\"\nmeeting: \"mz\"\n"
	  "date: \"2024-01-10\"\n"
	  "category: \"fire-safety\"\ndue: \"2024-02-01\"\n---\nText.\n" },
	/* A later decision replacing an earlier one. */
	{ "content/decisions/2024/s-new.md",
	  "---\ntitle: \"s-new\"\nid: \"s-new\"\ncommunity: \"hl\"\nmeeting: \"m1\"\n"
	  "date: \"2024-03-08\"\ncategory: \"fire-safety\"\nsupersedes: \"x-today\"\n"
	  "---\nText.\n" },
};

/* Is the item with URL `url` in array `arr`? */
static int has_url(const json_t *arr, const char *url)
{
	size_t i;
	json_t *it;
	json_array_foreach(arr, i, it)
		if (s_of(it, "url") && !strcmp(s_of(it, "url"), url))
			return 1;
	return 0;
}

/* The community page's decisions by status: overdue, open, done, other
 * (not adopted or deferred), each with its count, the counts adding up to
 * all its decisions and no other community's; as of the build's date. */
NB_TEST(test_community_decisions_by_status)
{
	fixture f;
	NB_CHECK(OPEN(&f, "2024-07-01", group_docs) == 0);
	const json_t *hl = fixture_page(&f, "hl");
	const json_t *gs = json_object_get(hl, "decisions_by_status");
	static const struct {
		const char *status;
		long long count;
		const char *urls[3];
	} want[] = {
		{ "overdue", 2, { "/decisions/d-late/", "/decisions/x-late2/" } },
		{ "open", 3, { "/decisions/d-open/", "/decisions/x-today/", "/decisions/s-new/" } },
		{ "done", 1, { "/decisions/x-done/" } },
		{ "other", 2, { "/decisions/d-no/", "/decisions/x-def/" } },
	};
	NB_CHECK(json_array_size(gs) == 4);
	long long total = 0;
	for (size_t k = 0; k < 4 && k < json_array_size(gs); k++) {
		const json_t *g = json_array_get(gs, k);
		const json_t *items = json_object_get(g, "items");
		NB_CHECK_STR(s_of(g, "status"), want[k].status);
		NB_CHECK(i_of(g, "count") == want[k].count);
		NB_CHECK(json_array_size(items) == (size_t)want[k].count);
		for (size_t j = 0; j < 3 && want[k].urls[j]; j++)
			NB_CHECK(has_url(items, want[k].urls[j]));
		NB_CHECK(!has_url(items, "/decisions/zz-1/"));
		NB_CHECK(s_of(g, "title") != NULL);
		total += i_of(g, "count");
		if (NB_T->failed_checks)
			fprintf(stderr, "    (group %s)\n", want[k].status);
	}
	NB_CHECK(total == (long long)json_array_size(json_object_get(hl, "decisions")));
	NB_CHECK(total == 8);
	NB_CHECK_STR(s_of(json_array_get(gs, 0), "title"),
		     nb_site_label(&f.s, "decision_status", "overdue"));
	NB_CHECK_STR(s_of(hl, "as_of"), "2024-07-01");
	/* zz has its one decision, overdue, alone. */
	const json_t *zg = json_object_get(fixture_page(&f, "zz"), "decisions_by_status");
	NB_CHECK(json_array_size(zg) == 1);
	NB_CHECK_STR(s_of(json_array_get(zg, 0), "status"), "overdue");
	NB_CHECK(i_of(json_array_get(zg, 0), "count") == 1);
	/* Meetings: the fixture's two and mbig, newest first. */
	const json_t *ms = json_object_get(hl, "meetings");
	NB_CHECK(json_array_size(ms) == 3);
	NB_CHECK_STR(s_of(json_array_get(ms, 2), "url"), "/meetings/mbig/");
	const json_t *zm = json_object_get(fixture_page(&f, "zz"), "meetings");
	NB_CHECK(json_array_size(zm) == 1);
	NB_CHECK_STR(s_of(json_array_get(zm, 0), "url"), "/meetings/mz/");
	fixture_free(&f);
}

/* Each of the two decisions names the other. */
NB_TEST(test_supersedes_both_ways)
{
	fixture f;
	NB_CHECK(OPEN(&f, "2024-07-01", group_docs) == 0);
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "s-new"), "supersedes"), "url"),
		     "/decisions/x-today/");
	NB_CHECK_STR(s_of(json_object_get(fixture_page(&f, "x-today"), "superseded_by"), "url"),
		     "/decisions/s-new/");
	NB_CHECK(json_object_get(fixture_page(&f, "x-today"), "supersedes") == NULL);
	NB_CHECK(json_object_get(fixture_page(&f, "s-new"), "superseded_by") == NULL);
	fixture_free(&f);
}

NB_TEST_MAIN("derive", NB_CASE(test_done_by_latest_update),
	NB_CASE(test_due_date_boundary_day),
	NB_CASE(test_overdue_since_rolls_over),
	NB_CASE(test_done_by_progress),
	NB_CASE(test_vote_results_at_thresholds),
	NB_CASE(test_vote_tally),
	NB_CASE(test_meeting_attendance_status_decisions),
	NB_CASE(test_community_decisions_by_status),
	NB_CASE(test_supersedes_both_ways))

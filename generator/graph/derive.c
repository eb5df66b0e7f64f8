/*
 * derive.c - pass 2 of linking, per kind: what no secretary should type
 * twice (a meeting's decisions, a decision's status as of a date, an
 * evaluation's change against the previous period, a community's
 * committee and documents).
 *
 * Each nb_derive_* reads the page's own front matter and the items of
 * pages it names; items of other pages are embedded as snapshots
 * (graph_internal.h snapshot), so a derivation never depends on the order
 * in which pages of other kinds are derived. Reverse links (a meeting's
 * decisions) are added after every page is derived, sharing the final
 * items.
 *
 * What only a page's own template shows (a meeting's attendance, a
 * decision's progress, an evaluation's indicator rows) is not derived
 * here but by nb_derive_*_view when the render stage builds that page's
 * context (site.h nb_site_page_view), from the same front matter and the
 * final items; the passes here derive the items and what other pages
 * read. A view is O(its page's fields) and reads no other page's view.
 * What a pass derives for a page itself goes into p->page through
 * nb_page_derived, made on first use: most meetings, decisions and
 * evaluations have nothing there (site.h).
 */
#include "graph/graph_internal.h"

#include <stdio.h>
#include <string.h>

#include "graph/index.h"
#include "util/date.h"
#include "graph/votes.h"
#include "graph/words.h"
#include "schema/validate.h"

/* A meeting after the build's date has not been held: it is announced,
 * with when and where, and has no minutes to approve. One held without a
 * `status` has minutes awaiting approval, the schema's default
 * (schemas/meetings.yaml): without it such a meeting showed no status and
 * was on no status page, so those pages' counts did not add up to all
 * meetings. */
static const char *meeting_status(const nb_site *s, const nb_doc *doc)
{
	const char *date = nb_doc_str(doc, "date"), *status = nb_doc_str(doc, "status");
	if (date && strcmp(date, s->as_of) > 0)
		return "upcoming";
	return status ? status : "draft-minutes";
}

/* The `time` a meeting page and an upcoming meeting's item show, or NULL. */
static char *meeting_time(const nb_doc *doc)
{
	const char *st = nb_doc_str(doc, "start"), *en = nb_doc_str(doc, "end");
	if (!st)
		return NULL;
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s%s%s", st, en ? "–" : "", en ? en : "");
	return nb_buf_detach(&b);
}

/* What a meeting's item needs from the graph: the label of its kind (the
 * feeds' category, and its page's, which takes it from the item), its
 * status. The rest of its page, its decisions included, is
 * nb_derive_meeting_view's. */
void nb_derive_meeting(nb_site *s, nb_page *p)
{
	const nb_doc *doc = p->doc;
	const char *kind_label = nb_site_label(s, "meeting_kinds", nb_doc_str(doc, "kind"));
	const char *status = meeting_status(s, doc);
	if (status) {
		nb_site_set_shared(s, p->item, "status", status);
		nb_site_set_shared(s, p->item, "status_label", nb_site_label(s, "meeting_status", status));
	}
	if (status && !strcmp(status, "upcoming")) {
		json_object_set_new(p->item, "upcoming", json_true());
		char *time = meeting_time(doc);
		if (time)
			nb_site_set_shared(s, p->item, "time", time);
		free(time);
		copy_doc_str(p->item, "location", doc, "location");
	}
	nb_site_set_shared(s, p->item, "kind_label", kind_label);
}

void nb_derive_meeting_view(const nb_site *s, const nb_page *p, const json_t *m, json_t *pg)
{
	char *time = meeting_time(p->doc);
	set_str(pg, "time", time);
	free(time);
	share_str(pg, "location", m, "location");
	share_str(pg, "chair", m, "chair");
	share_str(pg, "recorder", m, "recorder");
	nb_site_copy_strings(pg, m, "attendees");
	nb_site_copy_strings(pg, m, "guests");
	nb_site_copy_strings(pg, m, "agenda");
	json_object_set_new(pg, "attendee_count",
			    json_integer((json_int_t)json_array_size(json_object_get(pg, "attendees"))));
	json_t *absent = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(m, "absent"), i, e) {
		json_t *a = json_object();
		if (json_is_string(e))
			json_object_set(a, "name", e);
		else if (json_is_object(e)) {
			share_str(a, "name", e, "name");
			share_str(a, "reason", e, "reason");
		}
		json_array_append_new(absent, a);
	}
	/* Attendance as minutes state it, present of those expected (应到,
	 * 实到): the attendees and the absent, whoever they are for this kind
	 * of meeting. */
	json_object_set_new(pg, "member_count",
			    json_integer((json_int_t)(json_array_size(json_object_get(pg, "attendees")) +
						      json_array_size(absent))));
	json_object_set_new(pg, "absent", absent);
	const char *status = meeting_status(s, p->doc);
	if (status) {
		set_str(pg, "status", status);
		set_str(pg, "status_label", nb_site_label(s, "meeting_status", status));
	}
	if (status && !strcmp(status, "upcoming"))
		json_object_set_new(pg, "upcoming", json_true());
	json_t *ap = nb_site_item_view(s, str(m, "approved_at"));
	if (ap)
		json_object_set_new(pg, "approved_at", ap);
	/* Its decisions' final items, newest first, from the index: held
	 * in the graph they were a list per meeting, for this page alone. */
	json_t *decisions = json_array();
	const size_t *d;
	size_t nd = nb_site_index_decisions(s->ix, (size_t)(p - s->pages), &d);
	for (size_t k = 0; k < nd; k++)
		json_array_append(decisions, s->pages[d[k]].item);
	nb_site_sort_items(decisions);
	json_object_set_new(pg, "decisions", decisions);
}

/*
 * What the vote decided: `result:` when typed (the checker made sure it
 * agrees with the votes), else what the votes and rule give, else NULL
 * (no votes recorded). One answer for the page, the lists, the status and
 * the exports, so a decision the votes reject is never shown as in force.
 */
static const char *decision_result(const nb_doc *doc, const json_t *votes)
{
	const char *result = nb_doc_str(doc, "result");
	if (result || !json_is_object(votes))
		return result;
	return nb_validate_vote_result(int_of(votes, "for"), int_of(votes, "against"),
				       int_of(votes, "abstain"), nb_doc_str(doc, "rule"));
}

/* Whether the decision's progress says it is done as of the build date:
 * the latest update dated by then that says `done` either way decides
 * (by date; of one day, the later written). A note without `done` says
 * nothing of it. The last update as written decided before, so a note
 * after the done one ("checked again"), or updates written out of date
 * order, showed a finished decision as overdue; and one done after the
 * build date was done already. O(updates). */
static int decision_done(const nb_site *s, const nb_doc *doc)
{
	json_t *progress = nb_doc_get(doc, "progress");
	const char *when = NULL;
	int done = 0;
	size_t i;
	json_t *e;
	json_array_foreach(progress, i, e) {
		const char *d = str(e, "date");
		json_t *flag = json_object_get(e, "done");
		if (!d || !json_is_boolean(flag) || strcmp(d, s->as_of) > 0 ||
		    (when && strcmp(d, when) < 0))
			continue;
		when = d;
		done = json_is_true(flag);
	}
	json_decref(progress);
	return done;
}

/* Only an adopted decision (or one with no vote recorded) is carried out,
 * so only it can be open, overdue or done; NULL for the others. */
static const char *decision_status(const nb_site *s, const nb_doc *doc, const char *result)
{
	if (result && strcmp(result, "adopted"))
		return NULL; /* nothing to carry out */
	if (decision_done(s, doc))
		return "done";
	const char *due = nb_doc_str(doc, "due");
	if (due && strcmp(due, s->as_of) < 0)
		return "overdue";
	return "open";
}

/* A decision's votes as its page and item show them (a new reference),
 * or NULL. A committee of seven to fifteen casts few distinct counts, so
 * decisions with the same counts share one object, as repeated strings
 * are shared (site.c): some 600 bytes a decision otherwise, 20 MB of the
 * graph at 50,000 documents. Nothing changes an item after linking. */
static json_t *decision_votes(nb_site *s, const json_t *votes)
{
	if (!json_is_object(votes))
		return NULL;
	long long n[3] = { int_of(votes, "for"), int_of(votes, "against"), int_of(votes, "abstain") };
	char key[80];
	snprintf(key, sizeof(key), "%lld/%lld/%lld", n[0], n[1], n[2]);
	json_t *v = json_object_get(s->shared_votes, key);
	if (v)
		return json_incref(v);
	int pct[3];
	v = json_object();
	json_object_set_new(v, "for", json_integer(n[0]));
	json_object_set_new(v, "against", json_integer(n[1]));
	json_object_set_new(v, "abstain", json_integer(n[2]));
	json_object_set_new(v, "cast", json_integer(n[0] + n[1] + n[2]));
	/* The same whole per cents in the table, the bar and its text
	 * (votes.h); with no vote cast, no shares at all. */
	if (nb_votes_shares(pct, n, 3) == 0) {
		json_object_set_new(v, "shares", json_true());
		json_object_set_new(v, "for_pct", json_integer(pct[0]));
		json_object_set_new(v, "against_pct", json_integer(pct[1]));
		json_object_set_new(v, "abstain_pct", json_integer(pct[2]));
		json_object_set_new(v, "against_x", json_integer(pct[0]));
		json_object_set_new(v, "abstain_x", json_integer(pct[0] + pct[1]));
	}
	json_object_set(s->shared_votes, key, v);
	return v;
}

/* A decision's item: what lists, feeds and exports read. The rest of its
 * page is nb_derive_decision_view's, which takes the votes and the date
 * it is overdue from here. */
void nb_derive_decision(nb_site *s, nb_page *p)
{
	const nb_doc *doc = p->doc;
	json_t *it = p->item;
	json_t *typed = nb_doc_get(doc, "votes");
	json_t *votes = decision_votes(s, typed);
	if (votes)
		json_object_set_new(it, "votes", votes);
	const char *result = decision_result(doc, typed);
	json_decref(typed);
	if (result) {
		nb_site_set_shared(s, it, "result", result);
		const char *label = nb_site_label(s, "results", result);
		nb_site_set_shared(s, it, "result_label", label);
		if (label && label[0]) {
			nb_buf line = NB_BUF_INIT;
			nb_result_line_format(&line, s->theme->strings, label, votes);
			set_str(it, "result_line", nb_buf_cstr(&line));
			nb_buf_free(&line);
		}
		/* Not carried out: every list tags it so. */
		if (strcmp(result, "adopted"))
			json_object_set_new(it, "not_adopted", json_true());
	}
	/* The document number residents and the notice cite (D-2025-001). */
	set_str(it, "number", p->doc->id);
	const char *due = nb_doc_str(doc, "due");
	if (result && strcmp(result, "adopted")) {
		/* Nobody carries out what was not adopted. */
	} else {
		share_doc_str(s, it, "responsible", doc, "responsible");
		if (due) {
			share_doc_str(s, it, "due", doc, "due");
			nb_site_set_date_shared(s, it, "due_display", due);
		}
	}
	const char *status = decision_status(s, doc, result);
	if (status) {
		nb_site_set_shared(s, it, "status", status);
		nb_site_set_shared(s, it, "status_label", nb_site_label(s, "decision_status", status));
		char since[32];
		if (!strcmp(status, "overdue") && !nb_date_next(since, due))
			nb_site_set_date_shared(s, it, "overdue_since", since);
	}
}

void nb_derive_decision_view(const nb_site *s, const nb_page *p, const json_t *m, json_t *pg)
{
	json_t *mt = nb_site_item_view(s, str(m, "meeting"));
	if (mt)
		json_object_set_new(pg, "meeting", mt);
	set_str(pg, "category_label", nb_site_label(s, "categories", str(m, "category")));
	json_t *votes = json_object_get(p->item, "votes");
	if (votes)
		json_object_set(pg, "votes", votes);
	const char *rule = str(m, "rule");
	set_str(pg, "rule", rule ? rule : "majority");
	set_str(pg, "rule_label", nb_site_label(s, "rules", rule ? rule : "majority"));
	const char *result = decision_result(p->doc, json_object_get(m, "votes"));
	if (result) {
		set_str(pg, "result", result);
		set_str(pg, "result_label", nb_site_label(s, "results", result));
		char key[64];
		snprintf(key, sizeof(key), "result_%s", result);
		json_object_set_new(pg, key, json_true());
	}
	set_str(pg, "number", p->doc->id);
	/* Nobody carries out what was not adopted: its page names no one
	 * responsible and no due date, as its item does not. */
	const char *due = str(m, "due");
	if (!result || !strcmp(result, "adopted")) {
		share_str(pg, "responsible", m, "responsible");
		if (due) {
			share_str(pg, "due", m, "due");
			json_object_set_new(pg, "due_display", date_display(s, due));
		}
	}
	json_t *progress = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(m, "progress"), i, e) {
		json_t *u = json_object();
		const char *dt = str(e, "date");
		share_str(u, "date", e, "date");
		if (dt)
			json_object_set_new(u, "date_display", date_display(s, dt));
		share_str(u, "note", e, "note");
		if (json_is_true(json_object_get(e, "done")))
			json_object_set_new(u, "done", json_true());
		json_array_append_new(progress, u);
	}
	json_object_set_new(pg, "progress", progress);
	const char *status = decision_status(s, p->doc, result);
	if (status) {
		set_str(pg, "status", status);
		set_str(pg, "status_label", nb_site_label(s, "decision_status", status));
		json_t *since = json_object_get(p->item, "overdue_since");
		if (since)
			json_object_set(pg, "overdue_since", since);
		/* The day the status is judged as of: only a decision that
		 * has one depends on it, so only its page changes (and is
		 * rendered again, memo.h) on another day. */
		set_str(pg, "as_of", s->as_of);
		json_object_set_new(pg, "as_of_display", date_display(s, s->as_of));
	}
	json_t *sup = nb_site_item_view(s, str(m, "supersedes"));
	if (sup)
		json_object_set_new(pg, "supersedes", sup);
}

/* A period in the site's language: 2025年第一季度 / 2025 Q1. */
static json_t *period_display(const nb_site *s, const char *period)
{
	nb_buf b = NB_BUF_INIT;
	nb_period_format(&b, s->theme->strings, period);
	json_t *v = json_string(nb_buf_cstr(&b));
	nb_buf_free(&b);
	return v;
}

/* What an evaluation's period is called, in its item, where lists show
 * it and other pages (the trend table, the comparison) and its own view
 * read it (nb_eval_period); the previous period's evaluation for its
 * view. The rest of its page is nb_derive_evaluation_view's. */
void nb_derive_evaluation(nb_site *s, nb_page *p, const nb_page *prev)
{
	const char *period = nb_doc_str(p->doc, "period");
	p->previous = prev ? (size_t)(prev - s->pages) + 1 : 0;
	json_object_set_new(p->item, "status_label", period_display(s, period));
	/* Lists put evaluations newest first by the end of their period,
	 * a year before its own Q4 (site.h nb_site_item_later), as the
	 * trends and the comparison order them (words.h nb_period_cmp). */
	char end[11];
	if (!nb_period_end(end, period)) {
		nb_site_set_shared(s, p->item, "sort_date", end);
		nb_site_set_shared(s, p->item, "period", period);
	}
}

/* An indicator's row on an evaluation's page: its value, and its change
 * against the previous period's when that has it. */
static json_t *indicator_row(const nb_site *s, const nb_indicator *ind, const json_t *g,
			     double val, const nb_page *prev)
{
	json_t *r = json_object();
	set_str(r, "key", ind->key);
	set_str(r, "label", nb_site_label(s, "indicators", ind->key));
	json_object_set_new(r, "value", json_real(val));
	nb_buf b = NB_BUF_INIT;
	nb_indicator_format(&b, s, ind, val, 0);
	set_str(r, "value_display", nb_buf_cstr(&b));
	/* The cost means little alone: the district's average beside it. */
	json_t *avg = json_object_get(g, "admin_cost_average");
	if (nb_indicator_money(ind) && json_is_number(avg)) {
		nb_buf_clear(&b);
		nb_indicator_format(&b, s, ind, json_number_value(avg), 0);
		set_str(r, "average_display", nb_buf_cstr(&b));
	}
	double pv;
	if (prev && nb_indicator_value(&pv, prev, ind) == 0) {
		/* The change and its direction are those of the two figures
		 * shown (indicators.c nb_indicator_change): an arrow up beside
		 * "0.0" would say what the figures do not. */
		nb_buf_clear(&b);
		int dir = nb_indicator_change(&b, s, ind, val, pv);
		set_str(r, "change_display", nb_buf_cstr(&b));
		const char *trend = dir > 0 ? "up" : dir < 0 ? "down" : "same";
		set_str(r, "trend", trend);
		int better = (dir > 0 && ind->higher_better) || (dir < 0 && !ind->higher_better);
		if (better)
			json_object_set_new(r, "better", json_true());
		if (!better && dir)
			json_object_set_new(r, "worse", json_true());
	}
	nb_buf_free(&b);
	return r;
}

void nb_derive_evaluation_view(const nb_site *s, const nb_page *p, const json_t *m, json_t *pg)
{
	const nb_page *prev = p->previous ? &s->pages[p->previous - 1] : NULL;
	share_str(pg, "period", m, "period");
	share_str(pg, "assessor", m, "assessor");
	json_object_set_new(pg, "respondents",
			    json_integer(int_of(json_object_get(m, "survey"), "respondents")));
	json_t *rows = json_array();
	for (size_t i = 0; i < NB_N_INDICATORS; i++) {
		const nb_indicator *ind = &nb_indicators[i];
		double v;
		if (nb_indicator_value(&v, p, ind) == 0)
			json_array_append_new(rows, indicator_row(s, ind, json_object_get(m, ind->group),
								  v, prev));
	}
	json_object_set_new(pg, "indicators", rows);
	if (prev)
		json_object_set_new(pg, "previous", json_copy(prev->item));
	json_object_set(pg, "period_display", nb_eval_period(p));
	/* The street-level comparison, the same for every evaluation
	 * (indicators.c nb_evaluations_compare), when there is one. */
	json_t *cu = json_object_get(json_object_get(s->list_extra, "evaluations"), "compare_url");
	if (cu)
		json_object_set(pg, "compare_url", cu);
}

void nb_derive_community(nb_site *s, nb_page *p)
{
	/* Decoded once; what the page keeps of it are references to its
	 * strings, the rest is freed here. */
	json_t *m = nb_doc_meta(p->doc), *pg = nb_page_derived(p);
	share_str(pg, "name", m, "name");
	share_str(pg, "street", m, "street");
	share_str(pg, "type", m, "type");
	nb_site_set_shared(s, pg, "platform_label", nb_site_label(s, "platforms", str(m, "platform")));
	json_t *committee = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(m, "committee"), i, e) {
		json_t *c = json_object();
		share_str(c, "name", e, "name");
		share_str(c, "role", e, "role");
		share_str(c, "affiliation", e, "affiliation");
		const char *role = str(e, "role");
		int chair = json_is_true(json_object_get(e, "chair")) ||
			    (role && (!strcmp(role, "主任") || !strcmp(role, "主席") ||
				      !strcmp(role, "chair") || !strcmp(role, "召集人")));
		if (chair) {
			json_object_set_new(c, "chair", json_true());
			share_str(pg, "chair", e, "name");
		}
		json_array_append_new(committee, c);
	}
	json_object_set_new(pg, "committee", committee);
	nb_site_copy_strings(pg, m, "leaders");
	json_object_set_new(pg, "meetings", json_array());
	json_object_set_new(pg, "decisions", json_array());
	json_object_set_new(pg, "evaluations", json_array());
	json_object_set_new(pg, "charters", json_array());
	share_str(p->item, "status_label", m, "type");
	json_decref(m);
}

/* Append `item` to array `key` of page `owner` (a community, as the
 * caller checked), made on first use: shared, not
 * copied, since items are final once every page's pass 2 has run (copies
 * were a large part of the graph's memory); derive_reverse's other
 * references to items are shared for the same reason. */
static void push_item(nb_site *s, long owner, const char *key, const json_t *item)
{
	if (owner < 0)
		return;
	json_t *pg = nb_page_derived(&s->pages[owner]);
	json_t *arr = json_object_get(pg, key);
	if (!arr) {
		arr = json_array();
		json_object_set_new(pg, key, arr);
	}
	json_array_append(arr, (json_t *)item);
}

void nb_derive_reverse(nb_site *s)
{
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		const char *kind = p->doc->kind;
		long ci = nb_site_find(s, nb_doc_str(p->doc, "community"));
		if (ci >= 0 && strcmp(s->pages[ci].doc->kind, "communities"))
			ci = -1;
		if (!strcmp(kind, "decisions")) {
			/* Its meeting's page lists it as a view (index.h). */
			long si = nb_site_find(s, nb_doc_str(p->doc, "supersedes"));
			if (si >= 0) {
				json_object_set(nb_page_derived(&s->pages[si]), "superseded_by", p->item);
			}
			push_item(s, ci, "decisions", p->item);
		} else if (!strcmp(kind, "meetings")) {
			push_item(s, ci, "meetings", p->item);
		} else if (!strcmp(kind, "evaluations")) {
			push_item(s, ci, "evaluations", p->item);
		} else if (!strcmp(kind, "charters")) {
			push_item(s, ci, "charters", p->item);
			if (ci >= 0 && json_object_get(p->page, "in_force"))
				json_object_set(nb_page_derived(&s->pages[ci]), "charter", p->item);
		}
	}
	for (size_t i = 0; i < s->len; i++) {
		static const char *const lists[] = { "decisions", "meetings", "evaluations", "charters" };
		for (size_t k = 0; k < 4; k++) {
			json_t *arr = json_object_get(s->pages[i].page, lists[k]);
			if (json_is_array(arr))
				nb_site_sort_items(arr);
		}
	}
}

/* An evaluation's sort keys, read once (nb_doc_str is a walk over the
 * top-level keys). */
typedef struct eval_key {
	const nb_page *p;
	const char *cid, *period;
} eval_key;

/* Community, then time (words.h nb_period_cmp: by the end of the period,
 * a year after its own Q4), then id. The text order of `period` put the
 * year "2024" before "2024-Q1": first in the trend table and chart, and
 * the comparison took 2024-Q3 as the latest while the evaluations list
 * (by the end of the period) showed the year as newest. */
static int cmp_eval_community(const void *a, const void *b)
{
	const eval_key *x = a, *y = b;
	int c = strcmp(x->cid, y->cid);
	if (c)
		return c;
	c = nb_period_cmp(x->period, y->period);
	return c ? c : strcmp(x->p->doc->id, y->p->doc->id);
}

/* O(n log n) in the evaluations, O(n) in the pages. */
void nb_eval_index_build(const nb_site *s, nb_eval_index *ix)
{
	ix->v = calloc(s->len ? s->len : 1, sizeof(nb_page *));
	eval_key *k = calloc(s->len ? s->len : 1, sizeof(*k));
	if (!ix->v || !k)
		abort();
	ix->n = 0;
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		if (strcmp(p->doc->kind, "evaluations"))
			continue;
		eval_key e = { p, nb_doc_str(p->doc, "community"), nb_doc_str(p->doc, "period") };
		if (e.cid && e.period)
			k[ix->n++] = e;
	}
	qsort(k, ix->n, sizeof(*k), cmp_eval_community);
	for (size_t i = 0; i < ix->n; i++)
		ix->v[i] = k[i].p;
	free(k);
}

/* The evaluations of community `cid`, oldest period first (ties by id). */
size_t nb_eval_range(const nb_eval_index *ix, const char *cid, const nb_page *const **out)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(nb_doc_str(ix->v[mid]->doc, "community"), cid) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < ix->n && !strcmp(nb_doc_str(ix->v[end]->doc, "community"), cid))
		end++;
	*out = ix->v + lo;
	return end - lo;
}

/* Evaluations: the same community's closest earlier period of the same
 * granularity (ties: the first in content order). The community's range
 * is in time order (nb_period_cmp), so that is found by a binary search
 * for the first period not before p's and a walk back over the few of
 * the other granularity in between (a year's four quarters at most):
 * O(log k) for k evaluations of the community, where a scan of the range
 * per evaluation made years of quarterly history quadratic. */
const nb_page *nb_eval_previous(const nb_eval_index *ix, const nb_page *p)
{
	const char *cid = nb_doc_str(p->doc, "community");
	const char *period = nb_doc_str(p->doc, "period");
	if (!cid || !period)
		return NULL;
	const nb_page *const *ev;
	size_t n = nb_eval_range(ix, cid, &ev), lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (nb_period_cmp(nb_doc_str(ev[mid]->doc, "period"), period) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const nb_page *best = NULL;
	const char *best_period = NULL;
	for (size_t i = lo; i-- > 0;) {
		const char *qp = nb_doc_str(ev[i]->doc, "period");
		if (best_period && strcmp(qp, best_period))
			break;
		/* Same granularity only: a quarter compares with a quarter. */
		if (strlen(qp) != strlen(period) || strcmp(qp, period) >= 0)
			continue;
		if (!best || ev[i] < best)
			best = ev[i];
		best_period = qp;
	}
	return best;
}

/* Decisions of a community grouped by status, in the order residents act on. */
static json_t *decisions_by_status(const nb_site *s, const json_t *decisions)
{
	static const char *const order[] = { "overdue", "open", "done", "other" };
	json_t *groups = json_array();
	for (size_t k = 0; k < 4; k++) {
		json_t *items = json_array();
		size_t i;
		json_t *it;
		json_array_foreach(decisions, i, it) {
			const char *st = str(it, "status");
			if ((st && !strcmp(st, order[k])) || (!st && k == 3))
				json_array_append(items, it);
		}
		if (!json_array_size(items)) {
			json_decref(items);
			continue;
		}
		json_t *g = json_object();
		set_str(g, "status", order[k]);
		set_str(g, "title", k == 3 ? tstr(s, "status_other", "other")
					   : nb_site_label(s, "decision_status", order[k]));
		json_object_set_new(g, "count", json_integer((json_int_t)json_array_size(items)));
		json_object_set_new(g, "items", items);
		json_array_append_new(groups, g);
	}
	return groups;
}


/* A community page's decisions by status, with the date they are as of. */
void nb_derive_community_status(nb_site *s)
{
	for (size_t i = 0; i < s->len; i++) {
		nb_page *p = &s->pages[i];
		if (strcmp(p->doc->kind, "communities"))
			continue;
		json_t *pg = nb_page_derived(p);
		json_object_set_new(pg, "decisions_by_status",
				    decisions_by_status(s, json_object_get(pg, "decisions")));
		nb_site_set_shared(s, pg, "as_of", s->as_of);
		nb_site_set_date_shared(s, pg, "as_of_display", s->as_of);
	}
}

/*
 * records.c - a published record must be one; see records.h.
 *
 * Design. validate.c checks that each field has the right form. These
 * checks compare what a secretary wrote with the rest of the record, the
 * mistakes that pass every form check and still publish something false:
 * the text `noticeboard new` left to be replaced, a chair spelt one way in
 * the minutes and another in the committee, a name both present and
 * absent, a decision dated before the meeting that took it.
 *
 * Errors where the record cannot be right (someone both present and
 * absent; a deadline before the decision; a decision before its meeting;
 * a chair who is nowhere in the record), warnings where it may be (the
 * chair is a committee member but not on the attendance list, which may
 * just be incomplete; a decision dated after its meeting, which a later
 * written resolution can be). Drafts are what a secretary is still
 * writing: template text in them is expected, so placeholders are only
 * errors once `draft: true` is gone.
 *
 * Placeholders are looked for in the front matter, whose values are the
 * facts lists, feeds and the CSV repeat; the body is the secretary's prose,
 * where an ellipsis can be meant.
 */
#include "schema/records.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "load/meta.h"
#include "load/yamltree.h"

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 …, what the templates leave */

static const char *str_of(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void at(const nb_doc *doc, const char *ptr, int *line, int *col)
{
	nb_yaml_pos(doc->pos, ptr, 0, line, col);
	if (*line <= 0)
		*line = 1, *col = 1;
}

/* Where item `i` of the list `field` is (at's rule). */
static void at_item(const nb_doc *doc, const char *field, size_t i, int *line, int *col)
{
	char ptr[64];
	snprintf(ptr, sizeof(ptr), "/%s/%zu", field, i);
	at(doc, ptr, line, col);
}

/* ---- placeholders ---- */

static void find_placeholders(const nb_doc *doc, const json_t *v, nb_buf *ptr,
			      nb_buf *show, nb_diag *d)
{
	size_t pl = ptr->len, sl = show->len;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!strstr(s, ELLIPSIS))
			return;
		int line, col;
		at(doc, nb_buf_cstr(ptr), &line, &col);
		nb_error(d, doc->path, line, col, "placeholder",
			 "write the real text in place of the …, or keep `draft: true` until the document is ready",
			 "`%s: %s` still holds the template's placeholder …", nb_buf_cstr(show), s);
	} else if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach((json_t *)v, k, x) {
			nb_buf_printf(ptr, "/%s", k);
			nb_buf_printf(show, "%s%s", sl ? "." : "", k);
			find_placeholders(doc, x, ptr, show, d);
			ptr->len = pl, ptr->ptr[pl] = '\0';
			show->len = sl, show->ptr[sl] = '\0';
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			nb_buf_printf(ptr, "/%zu", i);
			nb_buf_printf(show, "[%zu]", i);
			find_placeholders(doc, x, ptr, show, d);
			ptr->len = pl, ptr->ptr[pl] = '\0';
			show->len = sl, show->ptr[sl] = '\0';
		}
	}
}

/* Votes absent, empty or 0/0/0 (as `new` writes them) on a decision
 * that says it was adopted: nobody voted for it on the record. With no
 * `result:` at all, 0/0/0 is what the site publishes as deferred
 * (graph/derive.c decision_result): right for a matter put off, wrong
 * for counts never filled in, so it is said, as a warning. */
static void votes_placeholder(const nb_doc *doc, const json_t *meta, nb_diag *d)
{
	const char *result = str_of(meta, "result");
	const json_t *votes = json_object_get(meta, "votes");
	if (result ? strcmp(result, "adopted") != 0 : !json_is_object(votes))
		return;
	static const char *const keys[] = { "for", "against", "abstain" };
	for (int i = 0; i < 3 && json_is_object(votes); i++) {
		const json_t *x = json_object_get(votes, keys[i]);
		if (x && !json_is_null(x) && !(json_is_integer(x) && json_integer_value(x) == 0))
			return; /* a count (or a wrong one, validate.c says so) */
	}
	int line, col;
	at(doc, votes ? "/votes" : "/result", &line, &col);
	if (!result) {
		nb_warning(d, doc->path, line, col, "votes-none",
			   "enter the counts, e.g. votes: {for: 7, against: 1, abstain: 1}; if the "
			   "meeting put the matter off, write result: deferred",
			   "no votes are counted and no result is given: the decision is published "
			   "as deferred");
		return;
	}
	nb_error(d, doc->path, line, col, "votes-placeholder",
		 "write the real counts, e.g. votes: {for: 7, against: 1, abstain: 1}, or keep `draft: true`",
		 "the decision says `result: adopted` but its votes are empty or 0/0/0, as the template left them");
}

void nb_records_placeholders(const nb_doc *doc, const json_t *meta, nb_diag *d)
{
	if (doc->draft || !json_is_object(meta))
		return;
	nb_buf ptr = NB_BUF_INIT, show = NB_BUF_INIT;
	find_placeholders(doc, meta, &ptr, &show, d);
	nb_buf_free(&ptr);
	nb_buf_free(&show);
	if (!strcmp(doc->kind, "decisions"))
		votes_placeholder(doc, meta, d);
}

/* ---- the people of a meeting ---- */

/* Spaces around a name (ASCII, or the ideographic U+3000 a Chinese input
 * method types) are not part of it. */
static int name_space(const char *p, size_t left)
{
	if (left >= 1 && (*p == ' ' || *p == '\t'))
		return 1;
	return left >= 3 && !memcmp(p, "\xe3\x80\x80", 3) ? 3 : 0;
}

/* The form two names are compared in: unspaced, NFKC (a compatibility
 * ideograph is its unified form; é typed with a combining accent is é;
 * full-width Ｌｉ Ｍｉｎｇ is Li Ming) and case-folded (util/utf8.h
 * nb_utf8_fold_name), so one person is one name whichever way the input
 * method spelt it, and present-and-absent cannot be dodged by a space.
 * Only for comparing: messages and pages quote the name as written.
 * Malloc'd. */
static char *name_key(const char *s)
{
	size_t b = 0, e = strlen(s), k;
	while (b < e && (k = name_space(s + b, e - b)))
		b += k;
	while (b < e) {
		if (s[e - 1] == ' ' || s[e - 1] == '\t')
			e--;
		else if (e - b >= 3 && !memcmp(s + e - 3, "\xe3\x80\x80", 3))
			e -= 3;
		else
			break;
	}
	char *t = strndup(s + b, e - b);
	if (!t)
		abort();
	char *key = nb_utf8_fold_name(t);
	free(t);
	return key;
}

static int same_name(const char *a, const char *b)
{
	char *x = name_key(a), *y = name_key(b);
	int same = !strcmp(x, y);
	free(x);
	free(y);
	return same;
}

/* Characters of a UTF-8 string, for comparing Chinese names by character
 * (李宏 and 李红 differ by one character, three bytes). */
static size_t chars(const char *s, unsigned *out, size_t cap)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && n < cap) {
		unsigned c = *p++;
		while ((*p & 0xC0) == 0x80)
			c = (c << 8) | *p++;
		out[n++] = c;
	}
	return n;
}

/* One character changed, added or removed: a likely slip, not a stranger.
 * Compared in their name_key forms. */
static int one_char_apart(const char *ka, const char *kb)
{
	unsigned x[64], y[64];
	char *a = name_key(ka), *b = name_key(kb);
	size_t n = chars(a, x, 64), m = chars(b, y, 64);
	int same = !strcmp(a, b);
	free(a);
	free(b);
	if (n < 2 || m < 2 || (n > m ? n - m : m - n) > 1 || same)
		return 0;
	size_t i = 0;
	while (i < n && i < m && x[i] == y[i])
		i++;
	size_t j = 0;
	while (j < n - i && j < m - i && x[n - 1 - j] == y[m - 1 - j])
		j++;
	return i + j >= (n > m ? n : m) - 1;
}

/* The name of a list item: a string, or an object's `name`. */
static const char *item_name(const json_t *x)
{
	return json_is_string(x) ? json_string_value(x) : str_of(x, "name");
}

static int in_list(const json_t *list, const char *name)
{
	size_t i;
	const json_t *x;
	json_array_foreach(list, i, x) {
		const char *n = item_name(x);
		if (n && same_name(n, name))
			return 1;
	}
	return 0;
}

static const char *similar_in(const json_t *list, const char *name)
{
	size_t i;
	const json_t *x;
	json_array_foreach(list, i, x) {
		const char *n = item_name(x);
		if (n && one_char_apart(name, n))
			return n;
	}
	return NULL;
}

static void check_person(const nb_doc *m, const json_t *meta, const char *field,
			 const char *what, const json_t *committee, nb_diag *d)
{
	const char *name = str_of(meta, field);
	if (!name || !name[0])
		return;
	const json_t *att = json_object_get(meta, "attendees");
	const json_t *guests = json_object_get(meta, "guests");
	if (in_list(att, name) || in_list(guests, name))
		return;
	char ptr[32];
	snprintf(ptr, sizeof(ptr), "/%s", field);
	int line, col;
	at(m, ptr, &line, &col);
	/* Chairing or recording is attending: an absentee cannot have. */
	if (in_list(json_object_get(meta, "absent"), name)) {
		nb_error(d, m->path, line, col, "person-present-and-absent",
			 "remove the name from `absent:`, or write who held that role at this "
			 "meeting",
			 "the %s `%s` is listed among the absent", what, name);
		return;
	}
	int listed = json_array_size(att) > 0;
	if (in_list(committee, name)) {
		if (listed)
			nb_warning(d, m->path, line, col, "person-not-attending",
				   "add the name to `attendees:`, or check who held that role at this meeting",
				   "the %s `%s` is a committee member but not among the meeting's attendees",
				   what, name);
		return;
	}
	const char *sug = similar_in(att, name);
	if (!sug)
		sug = similar_in(guests, name);
	if (!sug)
		sug = similar_in(committee, name);
	nb_buf hint = NB_BUF_INIT;
	if (sug)
		nb_buf_printf(&hint, "change it to `%s: %s`", field, sug);
	else
		nb_buf_printf(&hint, "check the name against the committee and `attendees:`; add the %s to `attendees:` or `guests:`",
			      what);
	if (sug)
		nb_error(d, m->path, line, col, "person-unknown", nb_buf_cstr(&hint),
			 "the %s `%s` is not among the committee or the attendees: did you mean `%s`?",
			 what, name, sug);
	else
		nb_error(d, m->path, line, col, "person-unknown", nb_buf_cstr(&hint),
			 "the %s `%s` is not among the committee or the attendees", what, name);
	nb_buf_free(&hint);
}

void nb_records_meeting(const nb_doc *m, const json_t *meta, const nb_doc *community,
			nb_diag *d)
{
	/* A copy of the community's committee, ours to free. */
	json_t *committee = community ? nb_doc_get(community, "committee") : NULL;
	check_person(m, meta, "chair", "chair", committee, d);
	check_person(m, meta, "recorder", "recorder", committee, d);
	json_decref(committee);
	const json_t *att = json_object_get(meta, "attendees");
	const json_t *absent = json_object_get(meta, "absent");
	size_t i;
	const json_t *x;
	/* A name listed twice is one person counted twice, and votes are
	 * checked against the number of attendees. */
	json_array_foreach(att, i, x) {
		const char *n = item_name(x);
		for (size_t j = 0; n && j < i; j++) {
			const char *o = item_name(json_array_get(att, j));
			if (!o || !same_name(o, n))
				continue;
			int line, col;
			at_item(m, "attendees", i, &line, &col);
			nb_error(d, m->path, line, col, "person-listed-twice",
				 "remove one of them; if two people share the name, tell them "
				 "apart, e.g. 王伟（3栋）",
				 "`%s` is listed twice among the attendees", n);
			break;
		}
	}
	/* A guest is not an attendee: attendees are the members present,
	 * and votes are checked against their number. */
	const json_t *guests = json_object_get(meta, "guests");
	json_array_foreach(guests, i, x) {
		const char *n = item_name(x);
		if (!n || !in_list(att, n))
			continue;
		int line, col;
		at_item(m, "guests", i, &line, &col);
		nb_error(d, m->path, line, col, "person-listed-twice",
			 "keep the name in one list: `attendees:` for the committee members "
			 "present, `guests:` for everyone else",
			 "`%s` is listed both among the attendees and among the guests", n);
	}
	/* Present as a member or as a guest: either way not absent. */
	json_array_foreach(absent, i, x) {
		const char *n = item_name(x);
		int member = n && in_list(att, n), guest = n && !member && in_list(guests, n);
		if (!member && !guest)
			continue;
		int line, col;
		at_item(m, "absent", i, &line, &col);
		if (member)
			nb_error(d, m->path, line, col, "person-present-and-absent",
				 "remove the name from `attendees:` or from `absent:`",
				 "`%s` is both among the attendees and absent", n);
		else
			nb_error(d, m->path, line, col, "person-present-and-absent",
				 "remove the name from `guests:` or from `absent:`",
				 "`%s` is both among the guests and absent", n);
	}
}

/* ---- the dates of a decision ---- */

void nb_records_decision(const nb_doc *dec, const nb_doc *meeting, nb_diag *d)
{
	const char *date = nb_doc_str(dec, "date");
	const char *due = nb_doc_str(dec, "due");
	int line, col;
	/* Dates are YYYY-MM-DD (validate.c checks the form): text order is
	 * date order. Malformed ones are left to that error. */
	if (!date || strlen(date) != 10)
		return;
	if (due && strlen(due) == 10 && strcmp(due, date) < 0) {
		at(dec, "/due", &line, &col);
		nb_error(d, dec->path, line, col, "due-before-decision",
			 "check both dates: a deadline comes after the decision that sets it",
			 "`due: %s` is before the decision's date (%s)", due, date);
	}
	/* A meeting of another community is a wrong reference, said already
	 * (ref-other-community); its date says nothing of this decision. */
	const char *mc = meeting ? nb_doc_str(meeting, "community") : NULL;
	const char *dc = nb_doc_str(dec, "community");
	if (mc && dc && strcmp(mc, dc))
		return;
	const char *md = meeting ? nb_doc_str(meeting, "date") : NULL;
	if (!md || strlen(md) != 10 || !strcmp(md, date))
		return;
	at(dec, "/date", &line, &col);
	if (strcmp(md, date) > 0)
		nb_error(d, dec->path, line, col, "decision-before-meeting",
			 "check `date:` and `meeting:`: a decision is taken at or after its meeting",
			 "`date: %s` is before its meeting `%s` (held on %s)", date, meeting->id, md);
	else
		nb_warning(d, dec->path, line, col, "decision-date-differs",
			   "a decision is usually dated the day of its meeting; write that date if the meeting took it",
			   "`date: %s` is not the date of its meeting `%s` (%s)", date, meeting->id, md);
}

/*
 * export.c - data/popolo.json and data/decisions.csv; see export.h.
 *
 * The mapping onto Popolo: a street office and each community's
 * self-governance committee are `organizations` (the committee's parent is
 * its street); committee members are `persons`, one per name within a
 * community (the same name in two communities is two records, since we
 * cannot know it is the same person); their seats are `memberships`;
 * meetings are `events`; decisions are `motions`, and the votes on each
 * are a `vote_event` with yes/no/abstain counts.
 *
 * Ids are readable and stable: they derive from document ids (which are
 * unique across a site), never from positions that shift when a document
 * is added elsewhere, except persons and memberships, numbered within
 * their community in committee order. Keys keep a fixed order and records
 * are sorted, so the files are byte-identical between builds.
 *
 * The JSON is streamed as text (output/json.h) rather than built as a
 * jansson tree and dumped. The export runs on its own thread while pages
 * render, so its working set adds to the build's peak: at 10,000 documents
 * the tree was some 30 MB of small objects for a 5 MB file. The writer's
 * NB_JSON_INDENT(2) is json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER)
 * byte for byte (the format the files were first published in), and
 * tests/render/test_export.c holds the whole file to that. Where the tree
 * would have refused a value (a string that is not valid UTF-8:
 * json_string returns NULL and json_object_set_new drops the key) the
 * pair is left out the same way. Records are written in
 * several passes over the pages (streets, then committees, persons,
 * memberships) because each Popolo list is one array in the file.
 *
 * Nothing here changes a shared value's reference count: the graph is only
 * read, which is what lets this run beside the renderer.
 *
 * Both files are written as they are made (output/writer.h nb_out_open),
 * in pieces of about NB_OUT_PIECE bytes: made whole first, popolo.json
 * was a doubling buffer of up to 8 MB for a 5 MB file at 10,000
 * documents, alive at the render stage's peak. The tests make them in
 * pieces of a byte or a few, and hold the joined text to the whole.
 *
 * The CSV starts with a UTF-8 BOM and uses CRLF (RFC 4180) because its
 * audience opens it in Excel, which otherwise shows Chinese as mojibake.
 */
#include "render/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/meta.h"
#include "output/json.h"
#include "util/utf8.h"

/* ---- fields, with the tree's rules for missing and invalid values ---- */

static int valid(const char *s)
{
	return nb_utf8_validate(s, strlen(s), NULL, NULL) == 0;
}

/* "key": "v"; nothing when v is missing or would not be a JSON string
 * (set_str of the tree version). */
static void field_str(nb_json *w, const char *key, const char *v)
{
	if (v && valid(v)) {
		nb_json_key(w, key);
		nb_json_string(w, v);
	}
}

/* "key": "v", or null when v is missing. */
static void field_str_or_null(nb_json *w, const char *key, const char *v)
{
	if (!v) {
		nb_json_key(w, key);
		nb_json_null(w);
	} else {
		field_str(w, key, v);
	}
}

/* "key": "<a><b>", or null when b is missing (committee_id and friends). */
static void field_cat_or_null(nb_json *w, const char *key, const char *a,
			      const char *b, nb_buf *tmp)
{
	if (!b) {
		field_str_or_null(w, key, NULL);
		return;
	}
	nb_buf_clear(tmp);
	nb_buf_puts(tmp, a);
	nb_buf_puts(tmp, b);
	field_str(w, key, nb_buf_cstr(tmp));
}

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int published(const nb_page *p, const char *kind)
{
	return !p->doc->draft && !strcmp(p->doc->kind, kind);
}

/* Reads the strings in place (load/meta.h nb_doc_str: a walk over the
 * top-level keys, no decoding), up to four per comparison. */
static int cmp_by_date(const void *a, const void *b)
{
	const nb_page *x = *(const nb_page *const *)a, *y = *(const nb_page *const *)b;
	const char *dx = nb_doc_str(x->doc, "date"), *dy = nb_doc_str(y->doc, "date");
	int c = strcmp(dx ? dx : "", dy ? dy : "");
	if (c)
		return c;
	/* By the clock, none first: "9:00" before "10:00" (meta.h). */
	int sx = nb_doc_time(x->doc, "start"), sy = nb_doc_time(y->doc, "start");
	c = (sx > sy) - (sx < sy);
	return c ? c : strcmp(x->doc->id, y->doc->id);
}

/* Published pages of one kind, oldest first (caller frees the array). */
static const nb_page **pages_of(const nb_site *s, const char *kind, size_t *n)
{
	const nb_page **v = calloc(s->len ? s->len : 1, sizeof(*v));
	if (!v)
		abort();
	*n = 0;
	for (size_t i = 0; i < s->len; i++)
		if (published(&s->pages[i], kind))
			v[(*n)++] = &s->pages[i];
	qsort(v, *n, sizeof(*v), cmp_by_date);
	return v;
}

static void field_committee(nb_json *w, const char *cid, nb_buf *tmp)
{
	field_cat_or_null(w, "organization_id", "committee/", cid, tmp);
}

/* "2024-03-08" + "19:00" -> "2024-03-08T19:00:00+08:00" (the committees
 * meet in China); just the date when the time is not known; null with no
 * date. */
/* `date` with the time of day `time` (minutes after midnight, -1 for
 * none: meta.h nb_meta_time, so "9:00" is 09:00 here as in the
 * calendar). */
static void field_when(nb_json *w, const char *key, const char *date, int time, nb_buf *tmp)
{
	if (!date) {
		field_str_or_null(w, key, NULL);
		return;
	}
	nb_buf_clear(tmp);
	nb_buf_puts(tmp, date);
	if (time >= 0)
		nb_buf_printf(tmp, "T%02d:%02d:00+08:00", time / 60, time % 60);
	field_str(w, key, nb_buf_cstr(tmp));
}

/* ---- the Popolo records ---- */

static void write_streets(const nb_site *s, nb_json *w, nb_buf *tmp)
{
	/* A set of the streets written; small, and our own. Its jansson keys
	 * also give the tree version's behaviour for a street that is not
	 * valid UTF-8 (never remembered, so written each time). */
	json_t *streets = json_object();
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		const char *street = nb_doc_str(p->doc, "street");
		if (!published(p, "communities") || !street || json_object_get(streets, street))
			continue;
		json_object_set_new(streets, street, json_true());
		nb_json_object(w);
		field_cat_or_null(w, "id", "street/", street, tmp);
		field_str(w, "name", street);
		field_str(w, "classification", "street");
		nb_json_close(w);
	}
	json_decref(streets);
}

static void write_committee(const nb_site *s, const nb_page *p, nb_json *w, nb_buf *tmp)
{
	int zh = strcmp(s->cfg->language, "en") != 0;
	const char *cid = p->doc->id, *title = str(p->item, "title");
	const char *street = nb_doc_str(p->doc, "street");
	nb_json_object(w);
	field_cat_or_null(w, "id", "committee/", cid, tmp);
	nb_buf_clear(tmp);
	/* glibc prints a NULL %s as "(null)", which the files have said */
	nb_buf_printf(tmp, zh ? "%s自治协调委员会" : "%s self-governance committee",
		      title ? title : "(null)");
	field_str(w, "name", nb_buf_cstr(tmp));
	field_str(w, "classification", "committee");
	if (street)
		field_cat_or_null(w, "parent_id", "street/", street, tmp);
	field_str(w, "community_id", cid);
	field_str(w, "community_type", nb_doc_str(p->doc, "type"));
	field_str(w, "url", nb_site_permalink(s, p, tmp));
	nb_json_close(w);
}

/*
 * A community's committee as persons (memberships == 0) or as memberships
 * (memberships == 1). Both passes number the persons the same way: one per
 * distinct name, in committee order. A person id that is not valid UTF-8
 * (a document id from a badly named file) is never remembered, as in the
 * tree version, so each of its seats makes a new person without an id.
 */
static void write_people(const nb_site *s, const nb_page *p, int memberships,
			 nb_json *w, nb_buf *tmp)
{
	int zh = strcmp(s->cfg->language, "en") != 0;
	const char *cid = p->doc->id;
	json_t *committee = nb_doc_get(p->doc, "committee");   /* our own copy */
	json_t *seen = json_object();   /* name -> person id */
	size_t np = 0, nm = 0, k;
	json_t *e;
	json_array_foreach(committee, k, e) {
		const char *name = str(e, "name");
		if (!name)
			continue;
		json_t *pid = json_object_get(seen, name);
		const char *pid_s;
		if (pid) {
			pid_s = json_string_value(pid);
		} else {
			nb_buf_clear(tmp);
			nb_buf_printf(tmp, "person/%s/%zu", cid, ++np);
			pid = json_string(nb_buf_cstr(tmp));
			pid_s = pid ? json_string_value(pid) : NULL;
			json_object_set_new(seen, name, pid);   /* takes pid */
			if (!memberships) {
				nb_json_object(w);
				field_str(w, "id", pid_s);
				field_str(w, "name", name);
				nb_json_close(w);
			}
		}
		if (!memberships)
			continue;
		nb_json_object(w);
		nb_buf_clear(tmp);
		nb_buf_printf(tmp, "membership/%s/%zu", cid, ++nm);
		field_str(w, "id", nb_buf_cstr(tmp));
		field_str(w, "person_id", pid_s);
		field_committee(w, cid, tmp);
		const char *role = str(e, "role"), *aff = str(e, "affiliation");
		field_str(w, "role", role ? role : (zh ? "委员" : "member"));
		nb_buf_clear(tmp);
		if (role && aff)
			nb_buf_printf(tmp, zh ? "%s（%s）" : "%s (%s)", role, aff);
		else
			nb_buf_puts(tmp, role ? role : aff ? aff : "");
		if (tmp->len)
			field_str(w, "label", nb_buf_cstr(tmp));
		if (json_is_true(json_object_get(e, "chair"))) {
			nb_json_key(w, "chair");
			nb_json_bool(w, 1);
		}
		nb_json_close(w);
	}
	json_decref(seen);
	json_decref(committee);
}

static void write_organizations(const nb_site *s, nb_json *w, nb_buf *tmp)
{
	nb_json_key(w, "organizations");
	nb_json_array(w);
	write_streets(s, w, tmp);
	for (size_t i = 0; i < s->len; i++)
		if (published(&s->pages[i], "communities"))
			write_committee(s, &s->pages[i], w, tmp);
	nb_json_close(w);
	for (int memberships = 0; memberships <= 1; memberships++) {
		nb_json_key(w, memberships ? "memberships" : "persons");
		nb_json_array(w);
		for (size_t i = 0; i < s->len; i++)
			if (published(&s->pages[i], "communities"))
				write_people(s, &s->pages[i], memberships, w, tmp);
		nb_json_close(w);
	}
}

static void write_events(const nb_site *s, nb_json *w, nb_buf *tmp)
{
	size_t n;
	const nb_page **v = pages_of(s, "meetings", &n);
	nb_json_key(w, "events");
	nb_json_array(w);
	for (size_t i = 0; i < n; i++) {
		const nb_doc *doc = v[i]->doc;
		const char *date = nb_doc_str(doc, "date"), *end = nb_doc_str(doc, "end");
		nb_json_object(w);
		field_str(w, "id", v[i]->doc->id);
		field_str(w, "name", str(v[i]->item, "title"));
		field_str(w, "classification", nb_doc_str(doc, "kind"));
		field_when(w, "start_date", date, nb_doc_time(doc, "start"), tmp);
		if (end)
			field_when(w, "end_date", date, nb_meta_time(end), tmp);
		else
			field_str_or_null(w, "end_date", NULL);
		field_str(w, "location", nb_doc_str(doc, "location"));
		field_committee(w, nb_doc_str(doc, "community"), tmp);
		/* As the site shows it: `upcoming` before the meeting is held
		 * (its item has it; the page's is a view, site.h). */
		field_str(w, "status", str(v[i]->item, "status"));
		field_str(w, "url", nb_site_permalink(s, v[i], tmp));
		nb_json_close(w);
	}
	nb_json_close(w);
	free(v);
}

/* A decision's voting rule, as its page says it: majority when none is
 * typed. Its result and status are in its item (the page's are a view
 * made when rendering, graph/site.h). */
static const char *rule_of(const nb_doc *doc)
{
	const char *rule = nb_doc_str(doc, "rule");
	return rule ? rule : "majority";
}

static long long count(const json_t *votes, const char *key)
{
	json_t *v = json_object_get(votes, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static void vote_count(nb_json *w, const char *option, long long value)
{
	nb_json_object(w);
	field_str(w, "option", option);
	nb_json_key(w, "value");
	nb_json_integer(w, value);
	nb_json_close(w);
}

static void write_motions(const nb_site *s, nb_json *w, nb_buf *tmp)
{
	size_t n;
	const nb_page **v = pages_of(s, "decisions", &n);
	nb_json_key(w, "motions");
	nb_json_array(w);
	for (size_t i = 0; i < n; i++) {
		const nb_doc *doc = v[i]->doc;
		const json_t *it = v[i]->item;
		nb_json_object(w);
		field_str(w, "id", v[i]->doc->id);
		field_committee(w, nb_doc_str(doc, "community"), tmp);
		field_str(w, "legislative_session_id", nb_doc_str(doc, "meeting"));
		field_str(w, "text", str(it, "title"));
		field_str(w, "date", nb_doc_str(doc, "date"));
		field_str(w, "classification", nb_doc_str(doc, "category"));
		field_str(w, "requirement", rule_of(doc));
		field_str_or_null(w, "result", str(it, "result"));
		field_str(w, "url", nb_site_permalink(s, v[i], tmp));
		nb_json_close(w);
	}
	nb_json_close(w);

	nb_json_key(w, "vote_events");
	nb_json_array(w);
	for (size_t i = 0; i < n; i++) {
		const nb_doc *doc = v[i]->doc;
		const json_t *it = v[i]->item;
		const char *id = v[i]->doc->id;
		json_t *vt = nb_doc_get(doc, "votes");   /* our own copy */
		if (!json_is_object(vt)) {
			json_decref(vt);
			continue;
		}
		nb_json_object(w);
		field_cat_or_null(w, "id", "vote/", id, tmp);
		field_str(w, "motion_id", id);
		field_committee(w, nb_doc_str(doc, "community"), tmp);
		field_str(w, "legislative_session_id", nb_doc_str(doc, "meeting"));
		field_str(w, "start_date", nb_doc_str(doc, "date"));
		field_str_or_null(w, "result", str(it, "result"));
		nb_json_key(w, "counts");
		nb_json_array(w);
		vote_count(w, "yes", count(vt, "for"));
		vote_count(w, "no", count(vt, "against"));
		vote_count(w, "abstain", count(vt, "abstain"));
		nb_json_close(w);
		nb_json_close(w);
		json_decref(vt);
	}
	nb_json_close(w);
	free(v);
}

void nb_export_popolo(const nb_site *s, size_t bound, nb_sink sink, void *ud)
{
	nb_buf tmp = NB_BUF_INIT, out = NB_BUF_INIT;
	nb_json w;
	nb_json_init(&w, &out, NB_JSON_INDENT(2));
	nb_json_stream(&w, bound, sink, ud);
	nb_json_object(&w);
	nb_json_key(&w, "meta");
	nb_json_object(&w);
	field_str(&w, "title", s->cfg->title);
	field_str(&w, "base_url", s->cfg->base_url);
	field_str(&w, "language", s->cfg->language);
	field_str(&w, "generator", "noticeboard");
	field_str(&w, "format", "popolo");
	nb_json_close(&w);
	write_organizations(s, &w, &tmp);
	write_events(s, &w, &tmp);
	write_motions(s, &w, &tmp);
	nb_json_close(&w);
	nb_buf_putc(&out, '\n');
	nb_json_flush(&w);
	nb_buf_free(&out);
	nb_buf_free(&tmp);
}

/* ---- the CSV ---- */

/* One RFC 4180 field: quoted only when it must be. */
static void csv_field(nb_buf *b, const char *v, int first)
{
	if (!first)
		nb_buf_putc(b, ',');
	if (!v)
		return;
	if (!strpbrk(v, ",\"\r\n")) {
		nb_buf_puts(b, v);
		return;
	}
	nb_buf_putc(b, '"');
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			nb_buf_putc(b, '"');
		nb_buf_putc(b, *p);
	}
	nb_buf_putc(b, '"');
}

static void csv_int(nb_buf *b, const json_t *votes, const char *key)
{
	json_t *v = json_object_get(votes, key);
	nb_buf_putc(b, ',');
	if (json_is_integer(v))
		nb_buf_printf(b, "%lld", (long long)json_integer_value(v));
}

void nb_export_csv(const nb_site *s, size_t bound, nb_sink sink, void *ud)
{
	size_t n;
	const nb_page **v = pages_of(s, "decisions", &n);
	nb_buf out = NB_BUF_INIT, *b = &out;
	nb_buf url = NB_BUF_INIT;
	nb_buf_puts(b, "\xEF\xBB\xBF"
		    "id,title,community,meeting,date,category,rule,for,against,abstain,"
		    "result,status,responsible,due,url\r\n");
	for (size_t i = 0; i < n; i++) {
		const nb_doc *doc = v[i]->doc;
		const json_t *it = v[i]->item;
		json_t *votes = nb_doc_get(doc, "votes");   /* our own copy */
		csv_field(b, v[i]->doc->id, 1);
		csv_field(b, str(it, "title"), 0);
		csv_field(b, nb_doc_str(doc, "community"), 0);
		csv_field(b, nb_doc_str(doc, "meeting"), 0);
		csv_field(b, nb_doc_str(doc, "date"), 0);
		csv_field(b, nb_doc_str(doc, "category"), 0);
		csv_field(b, rule_of(doc), 0);
		csv_int(b, votes, "for");
		csv_int(b, votes, "against");
		csv_int(b, votes, "abstain");
		csv_field(b, str(it, "result"), 0);
		csv_field(b, str(it, "status"), 0);
		csv_field(b, nb_doc_str(doc, "responsible"), 0);
		csv_field(b, nb_doc_str(doc, "due"), 0);
		csv_field(b, nb_site_permalink(s, v[i], &url), 0);
		nb_buf_puts(b, "\r\n");
		json_decref(votes);
		nb_buf_spill(b, bound ? bound : 1, sink, ud);
	}
	nb_buf_spill(b, 0, sink, ud);
	nb_buf_free(b);
	nb_buf_free(&url);
	free(v);
}

void nb_export_write(const nb_site *s, nb_out *o)
{
	nb_out_file f;
	nb_out_open(&f, o, "data/popolo.json");
	nb_export_popolo(s, NB_OUT_PIECE, nb_out_sink, &f);
	nb_out_close(&f);
	nb_out_open(&f, o, "data/decisions.csv");
	nb_export_csv(s, NB_OUT_PIECE, nb_out_sink, &f);
	nb_out_close(&f);
}

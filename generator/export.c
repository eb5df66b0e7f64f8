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
 * their community in committee order. Objects keep insertion order and
 * records are sorted, so the files are byte-identical between builds.
 *
 * The CSV starts with a UTF-8 BOM and uses CRLF (RFC 4180) because its
 * audience opens it in Excel, which otherwise shows Chinese as mojibake.
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void set_str(json_t *obj, const char *key, const char *v)
{
	if (v)
		json_object_set_new(obj, key, json_string(v));
}

static json_t *strf(const char *a, const char *b)
{
	nb_buf x = NB_BUF_INIT;
	nb_buf_printf(&x, "%s%s", a, b);
	json_t *v = json_string(nb_buf_cstr(&x));
	nb_buf_free(&x);
	return v;
}

static int published(const nb_page *p, const char *kind)
{
	return !p->doc->draft && !strcmp(p->doc->kind, kind);
}

static int cmp_by_date(const void *a, const void *b)
{
	const nb_page *x = *(const nb_page *const *)a, *y = *(const nb_page *const *)b;
	const char *dx = str(x->doc->meta, "date"), *dy = str(y->doc->meta, "date");
	int c = strcmp(dx ? dx : "", dy ? dy : "");
	if (c)
		return c;
	const char *sx = str(x->doc->meta, "start"), *sy = str(y->doc->meta, "start");
	c = strcmp(sx ? sx : "", sy ? sy : "");
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

static json_t *committee_id(const char *cid)
{
	return cid ? strf("committee/", cid) : json_null();
}

/* "2024-03-08" + "19:00" -> "2024-03-08T19:00:00+08:00" (the committees
 * meet in China); just the date when the time is not known. */
static json_t *when(const char *date, const char *time)
{
	if (!date)
		return json_null();
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, date);
	if (time && strlen(time) == 5)
		nb_buf_printf(&b, "T%s:00+08:00", time);
	json_t *v = json_string(nb_buf_cstr(&b));
	nb_buf_free(&b);
	return v;
}

static void add_organizations(const nb_site *s, json_t *root)
{
	int zh = strcmp(s->cfg->language, "en") != 0;
	json_t *orgs = json_array(), *persons = json_array(), *members = json_array();
	json_t *streets = json_object();
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		const char *street = str(p->doc->meta, "street");
		if (!published(p, "communities") || !street || json_object_get(streets, street))
			continue;
		json_object_set_new(streets, street, json_true());
		json_t *o = json_object();
		json_object_set_new(o, "id", strf("street/", street));
		set_str(o, "name", street);
		set_str(o, "classification", "street");
		json_array_append_new(orgs, o);
	}
	json_decref(streets);
	for (size_t i = 0; i < s->len; i++) {
		const nb_page *p = &s->pages[i];
		if (!published(p, "communities"))
			continue;
		const char *cid = p->doc->id, *title = str(p->page, "title");
		const char *street = str(p->doc->meta, "street");
		json_t *o = json_object();
		json_object_set_new(o, "id", committee_id(cid));
		nb_buf name = NB_BUF_INIT;
		nb_buf_printf(&name, zh ? "%s自治协调委员会" : "%s self-governance committee", title);
		set_str(o, "name", nb_buf_cstr(&name));
		nb_buf_free(&name);
		set_str(o, "classification", "committee");
		if (street)
			json_object_set_new(o, "parent_id", strf("street/", street));
		set_str(o, "community_id", cid);
		set_str(o, "community_type", str(p->doc->meta, "type"));
		set_str(o, "url", str(p->page, "permalink"));
		json_array_append_new(orgs, o);

		json_t *seen = json_object();   /* name -> person id */
		size_t np = 0, nm = 0;
		size_t k;
		json_t *e;
		json_array_foreach(json_object_get(p->doc->meta, "committee"), k, e) {
			const char *nm_s = str(e, "name");
			if (!nm_s)
				continue;
			json_t *pid = json_object_get(seen, nm_s);
			if (!pid) {
				char num[32];
				snprintf(num, sizeof(num), "/%zu", ++np);
				nb_buf b = NB_BUF_INIT;
				nb_buf_printf(&b, "person/%s%s", cid, num);
				pid = json_string(nb_buf_cstr(&b));
				nb_buf_free(&b);
				json_object_set_new(seen, nm_s, pid);
				json_t *per = json_object();
				json_object_set(per, "id", pid);
				set_str(per, "name", nm_s);
				json_array_append_new(persons, per);
			}
			json_t *m = json_object();
			nb_buf b = NB_BUF_INIT;
			nb_buf_printf(&b, "membership/%s/%zu", cid, ++nm);
			set_str(m, "id", nb_buf_cstr(&b));
			nb_buf_clear(&b);
			json_object_set(m, "person_id", pid);
			json_object_set_new(m, "organization_id", committee_id(cid));
			const char *role = str(e, "role"), *aff = str(e, "affiliation");
			set_str(m, "role", role ? role : (zh ? "委员" : "member"));
			if (role && aff)
				nb_buf_printf(&b, zh ? "%s（%s）" : "%s (%s)", role, aff);
			else
				nb_buf_puts(&b, role ? role : aff ? aff : "");
			if (b.len)
				set_str(m, "label", nb_buf_cstr(&b));
			nb_buf_free(&b);
			if (json_is_true(json_object_get(e, "chair")))
				json_object_set_new(m, "chair", json_true());
			json_array_append_new(members, m);
		}
		json_decref(seen);
	}
	json_object_set_new(root, "organizations", orgs);
	json_object_set_new(root, "persons", persons);
	json_object_set_new(root, "memberships", members);
}

static void add_events(const nb_site *s, json_t *root)
{
	size_t n;
	const nb_page **v = pages_of(s, "meetings", &n);
	json_t *events = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *m = v[i]->doc->meta, *e = json_object();
		const char *date = str(m, "date");
		set_str(e, "id", v[i]->doc->id);
		set_str(e, "name", str(v[i]->page, "title"));
		set_str(e, "classification", str(m, "kind"));
		json_object_set_new(e, "start_date", when(date, str(m, "start")));
		json_object_set_new(e, "end_date",
				    str(m, "end") ? when(date, str(m, "end")) : json_null());
		set_str(e, "location", str(m, "location"));
		json_object_set_new(e, "organization_id", committee_id(str(m, "community")));
		set_str(e, "status", str(m, "status"));
		set_str(e, "url", str(v[i]->page, "permalink"));
		json_array_append_new(events, e);
	}
	json_object_set_new(root, "events", events);
	free(v);
}

static long long count(const json_t *votes, const char *key)
{
	json_t *v = json_object_get(votes, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static json_t *vote_count(const char *option, long long value)
{
	json_t *c = json_object();
	set_str(c, "option", option);
	json_object_set_new(c, "value", json_integer(value));
	return c;
}

static void add_motions(const nb_site *s, json_t *root)
{
	size_t n;
	const nb_page **v = pages_of(s, "decisions", &n);
	json_t *motions = json_array(), *votes = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *m = v[i]->doc->meta, *pg = v[i]->page;
		const char *id = v[i]->doc->id;
		json_t *mo = json_object();
		set_str(mo, "id", id);
		json_object_set_new(mo, "organization_id", committee_id(str(m, "community")));
		set_str(mo, "legislative_session_id", str(m, "meeting"));
		set_str(mo, "text", str(pg, "title"));
		set_str(mo, "date", str(m, "date"));
		set_str(mo, "classification", str(m, "category"));
		set_str(mo, "requirement", str(pg, "rule"));
		json_object_set_new(mo, "result",
				    str(pg, "result") ? json_string(str(pg, "result")) : json_null());
		set_str(mo, "url", str(pg, "permalink"));
		json_array_append_new(motions, mo);

		json_t *vt = json_object_get(m, "votes");
		if (!json_is_object(vt))
			continue;
		json_t *ve = json_object();
		json_object_set_new(ve, "id", strf("vote/", id));
		set_str(ve, "motion_id", id);
		json_object_set_new(ve, "organization_id", committee_id(str(m, "community")));
		set_str(ve, "legislative_session_id", str(m, "meeting"));
		set_str(ve, "start_date", str(m, "date"));
		json_object_set_new(ve, "result",
				    str(pg, "result") ? json_string(str(pg, "result")) : json_null());
		json_t *counts = json_array();
		json_array_append_new(counts, vote_count("yes", count(vt, "for")));
		json_array_append_new(counts, vote_count("no", count(vt, "against")));
		json_array_append_new(counts, vote_count("abstain", count(vt, "abstain")));
		json_object_set_new(ve, "counts", counts);
		json_array_append_new(votes, ve);
	}
	json_object_set_new(root, "motions", motions);
	json_object_set_new(root, "vote_events", votes);
	free(v);
}

static void write_popolo(const nb_site *s, nb_out *o)
{
	json_t *root = json_object();
	json_t *meta = json_object();
	set_str(meta, "title", s->cfg->title);
	set_str(meta, "base_url", s->cfg->base_url);
	set_str(meta, "language", s->cfg->language);
	set_str(meta, "generator", "noticeboard");
	set_str(meta, "format", "popolo");
	json_object_set_new(root, "meta", meta);
	add_organizations(s, root);
	add_events(s, root);
	add_motions(s, root);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text)
		abort();
	size_t len = strlen(text);
	nb_buf b = NB_BUF_INIT;
	nb_buf_put(&b, text, len);
	nb_buf_putc(&b, '\n');
	nb_out_write(o, "data/popolo.json", b.ptr, b.len);
	nb_buf_free(&b);
	free(text);
	json_decref(root);
}

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

static void write_csv(const nb_site *s, nb_out *o)
{
	size_t n;
	const nb_page **v = pages_of(s, "decisions", &n);
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, "\xEF\xBB\xBF"
		    "id,title,community,meeting,date,category,rule,for,against,abstain,"
		    "result,status,responsible,due,url\r\n");
	for (size_t i = 0; i < n; i++) {
		json_t *m = v[i]->doc->meta, *pg = v[i]->page;
		json_t *votes = json_object_get(m, "votes");
		csv_field(&b, v[i]->doc->id, 1);
		csv_field(&b, str(pg, "title"), 0);
		csv_field(&b, str(m, "community"), 0);
		csv_field(&b, str(m, "meeting"), 0);
		csv_field(&b, str(m, "date"), 0);
		csv_field(&b, str(m, "category"), 0);
		csv_field(&b, str(pg, "rule"), 0);
		csv_int(&b, votes, "for");
		csv_int(&b, votes, "against");
		csv_int(&b, votes, "abstain");
		csv_field(&b, str(pg, "result"), 0);
		csv_field(&b, str(pg, "status"), 0);
		csv_field(&b, str(m, "responsible"), 0);
		csv_field(&b, str(m, "due"), 0);
		csv_field(&b, str(pg, "permalink"), 0);
		nb_buf_puts(&b, "\r\n");
	}
	nb_out_write(o, "data/decisions.csv", b.ptr, b.len);
	nb_buf_free(&b);
	free(v);
}

void nb_export_write(const nb_site *s, nb_out *o)
{
	write_popolo(s, o);
	write_csv(s, o);
}

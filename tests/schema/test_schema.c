/*
 * test_schema.c - the schema language: schema files loaded, checked and
 * merged (schema.c).
 *
 * A site's own schema replaces the built-in one of its kind, and a schema
 * with a mistake must say so, at the line and column of the mistake, and
 * never quietly check less than the secretary thinks: schema.c's top
 * comment. Each test writes a small site (check_site.h) with one
 * document per kind it needs and, where it says, a schemas/<kind>.yaml of
 * its own, then loads the schemas as the check stage does. Expectations
 * come from schema.h (the language) and generator/schemas/README.md (the
 * rules each built-in kind lists).
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "check_site.h"
#include "schema/schema.h"

/* The rules validate.c implements, as generator/schemas/README.md lists
 * them. */
static const char *const rules[] = {
	"committee_has_one_chair", "meeting_ends_after_start", "approved_at_later_meeting",
	"votes_within_attendees", "result_matches_votes", "supersedes_earlier_decision",
	"meeting_people_consistent", "decision_dates_consistent", "charter_version_unique",
	"charter_path_matches", "evaluation_period_unique",
};
#define N_RULES (sizeof(rules) / sizeof(rules[0]))

/* One document of each kind; the schemas only need their kinds. */
static const char *const docs[][2] = {
	{ "content/pages/about.md", "---\ntitle: \"About\"\n---\n" },
	{ "content/meetings/2024/m.md", "---\ntitle: \"M\"\n---\n" },
	{ "content/decisions/2024/d.md", "---\ntitle: \"D\"\n---\n" },
	{ "content/communities/c.md", "---\ntitle: \"C\"\n---\n" },
	{ "content/charters/c/v1.md", "---\ntitle: \"Ch\"\n---\n" },
	{ "content/evaluations/e.md", "---\ntitle: \"E\"\n---\n" },
	{ "content/notices/n.md", "---\ntitle: \"N\"\n---\n" },
};

/* The site with these documents and, when `schema` is given, the file
 * schemas/<kind>.yaml holding it; its schemas loaded into `out`. */
static void load(site *s, const char *kind, const char *schema, json_t **out)
{
	site_open(s, "schema", docs, sizeof(docs) / sizeof(docs[0]));
	if (schema) {
		char rel[64];
		snprintf(rel, sizeof(rel), "schemas/%s.yaml", kind);
		put(s, rel, schema);
	}
	nb_content_load(&s->c, &s->cfg, NULL, &s->d);
	s->loaded = 1;
	*out = nb_schema_load(&s->c, &s->cfg, rules, N_RULES, &s->d);
}

static const json_t *field(const json_t *schemas, const char *kind, const char *name)
{
	return json_object_get(json_object_get(json_object_get(schemas, kind), "fields"), name);
}

/* The rules of a kind, as one string "a b c". */
static void rules_of(const json_t *schemas, const char *kind, char *buf, size_t n)
{
	size_t i, at = 0;
	const json_t *r;
	buf[0] = '\0';
	json_array_foreach(json_object_get(json_object_get(schemas, kind), "rules"), i, r)
		at += (size_t)snprintf(buf + at, at < n ? n - at : 0, "%s%s", i ? " " : "",
				       json_string_value(r));
}

/* ---- the types a field schema allows ---- */

NB_TEST(types_named_or_implied)
{
	int t[NB_VT_COUNT];
	json_t *x = json_pack("{s:s}", "type", "date");
	NB_CHECK(nb_schema_types(x, t) == 1 && t[0] == NB_VT_DATE);
	json_decref(x);
	/* A list: any of them; a name that is no type adds nothing. */
	x = json_pack("{s:[s,s,s]}", "type", "string", "strnig", "object");
	NB_CHECK(nb_schema_types(x, t) == 2 && t[0] == NB_VT_STRING && t[1] == NB_VT_OBJECT);
	json_decref(x);
	/* Implied by ref, fields, items. */
	x = json_pack("{s:s}", "ref", "meetings");
	NB_CHECK(nb_schema_types(x, t) == 1 && t[0] == NB_VT_REF);
	json_decref(x);
	x = json_pack("{s:{}}", "fields");
	NB_CHECK(nb_schema_types(x, t) == 1 && t[0] == NB_VT_OBJECT);
	json_decref(x);
	x = json_pack("{s:{s:s}}", "items", "type", "string");
	NB_CHECK(nb_schema_types(x, t) == 1 && t[0] == NB_VT_LIST);
	json_decref(x);
	/* A named type is what it says, whatever else is there. */
	x = json_pack("{s:s, s:s}", "type", "string", "ref", "meetings");
	NB_CHECK(nb_schema_types(x, t) == 1 && t[0] == NB_VT_STRING);
	json_decref(x);
	/* Nothing said: anything goes. */
	x = json_pack("{s:b}", "required", 1);
	NB_CHECK(nb_schema_types(x, t) == 0);
	json_decref(x);
	/* Every type by its name, in schema.h's order. */
	static const char *const names[] = { "string", "integer", "number", "boolean", "date",
					     "time", "period", "list", "object", "ref" };
	for (int i = 0; i < NB_VT_COUNT; i++) {
		x = json_pack("{s:s}", "type", names[i]);
		NB_CHECK(nb_schema_types(x, t) == 1 && t[0] == i);
		json_decref(x);
	}
}

/* ---- the built-in schemas ---- */

NB_TEST(built_in_schemas_load_clean)
{
	site s;
	json_t *sch;
	load(&s, NULL, NULL, &sch);
	NB_CHECK(s.d.len == 0);
	if (s.d.len)
		nb_diag_print(&s.d, stderr, 0);
	/* Every kind that has documents, and only those. */
	NB_CHECK(json_object_size(sch) == 7);
	/* common.yaml under each: title required everywhere. */
	static const char *const kinds[] = { "pages", "meetings", "decisions", "communities",
					     "charters", "evaluations", "notices" };
	for (size_t i = 0; i < 7; i++) {
		const json_t *t = field(sch, kinds[i], "title");
		NB_CHECK(json_is_true(json_object_get(t, "required")));
	}
	/* The kinds' own fields and rules (README's table). */
	char buf[256];
	NB_CHECK_STR(json_string_value(json_object_get(field(sch, "meetings", "community"), "ref")),
		     "communities");
	rules_of(sch, "meetings", buf, sizeof(buf));
	NB_CHECK_STR(buf, "meeting_ends_after_start approved_at_later_meeting "
		     "meeting_people_consistent");
	rules_of(sch, "decisions", buf, sizeof(buf));
	NB_CHECK_STR(buf, "votes_within_attendees result_matches_votes "
		     "supersedes_earlier_decision decision_dates_consistent");
	rules_of(sch, "communities", buf, sizeof(buf));
	NB_CHECK_STR(buf, "committee_has_one_chair");
	/* A kind without a schema of its own gets common's fields only. */
	NB_CHECK(field(sch, "notices", "community") == NULL);
	NB_CHECK(field(sch, "notices", "date") != NULL);
	rules_of(sch, "notices", buf, sizeof(buf));
	NB_CHECK_STR(buf, "");
	json_decref(sch);
	site_free(&s);
}

/* A folder no schema names is a kind of its own, checked with common's
 * fields only: notices/ (the base site's) gets no word, but meeting/ and
 * decision/, a letter off meetings/ and decisions/, are warned of once
 * each, at their first document, naming the kind meant (their minutes
 * would otherwise be published with no meeting rule read and in no
 * meeting list), as are minutes/ and 决议/, other words for meetings and
 * decisions; a folder with a schema of the site's own is its kind. */
NB_TEST(kind_folder_near_miss_warned)
{
	site s;
	json_t *sch;
	const nb_diag_entry *e;
	site_open(&s, "schema", docs, sizeof(docs) / sizeof(docs[0]));
	put(&s, "content/meeting/2024/a.md", "---\ntitle: \"A\"\n---\n");
	put(&s, "content/meeting/2024/b.md", "---\ntitle: \"B\"\n---\n");
	put(&s, "content/decision/d.md", "---\ntitle: \"D2\"\n---\n");
	put(&s, "content/chartres/x.md", "---\ntitle: \"X\"\n---\n");
	put(&s, "schemas/chartres.yaml", "fields: {}\n");
	/* Other words for a kind: far from its name, as plain a slip. */
	put(&s, "content/Minutes/m.md", "---\ntitle: \"M\"\n---\n");
	put(&s, "content/决议/j.md", "---\ntitle: \"J\"\n---\n");
	nb_content_load(&s.c, &s.cfg, NULL, &s.d);
	s.loaded = 1;
	sch = nb_schema_load(&s.c, &s.cfg, rules, N_RULES, &s.d);
	NB_CHECK(diag_count(&s.d, "kind-unknown") == 4);
	e = diag_find(&s.d, "kind-unknown", "content/Minutes/m.md");
	NB_CHECK(e && strstr(e->msg, "did you mean `meetings`") && strstr(e->hint, "content/meetings/"));
	e = diag_find(&s.d, "kind-unknown", "content/决议/j.md");
	NB_CHECK(e && strstr(e->msg, "did you mean `decisions`"));
	NB_CHECK(s.d.errors == 0);
	e = diag_find(&s.d, "kind-unknown", "content/meeting/2024/a.md");
	NB_CHECK(e != NULL);
	if (e) {
		NB_CHECK(e->sev == NB_SEV_WARNING && e->line == 1 && e->col == 1);
		NB_CHECK_CONTAINS(e->msg, "content/meeting/");
		NB_CHECK_CONTAINS(e->msg, "did you mean `meetings`");
		NB_CHECK_CONTAINS(e->hint, "content/meetings/");
	}
	e = diag_find(&s.d, "kind-unknown", "content/decision/d.md");
	NB_CHECK(e && strstr(e->msg, "`decisions`"));
	NB_CHECK(!diag_find(&s.d, "kind-unknown", "content/notices/n.md"));
	NB_CHECK(!diag_find(&s.d, "kind-unknown", "content/chartres/x.md"));
	json_decref(sch);
	site_free(&s);
}

/* A site's schema replaces the built-in one whole, so an empty one (or
 * one naming nothing) would drop every field and rule of the kind without
 * a word: it is a warning at the file. One for a kind of the site's own
 * is not (nothing built in is replaced). A rule both common.yaml and the
 * kind list runs once, not twice with every error printed twice. */
/* The site of `docs` with `n` more files, its schemas loaded. */
static json_t *load_with(site *s, const char *const (*files)[2], size_t n)
{
	site_open(s, "schema", docs, sizeof(docs) / sizeof(docs[0]));
	for (size_t i = 0; i < n; i++)
		put(s, files[i][0], files[i][1]);
	nb_content_load(&s->c, &s->cfg, NULL, &s->d);
	s->loaded = 1;
	return nb_schema_load(&s->c, &s->cfg, rules, N_RULES, &s->d);
}

NB_TEST(empty_site_schema_and_rules_twice)
{
	static const char *const empty[] = { "", "fields: {}\n", "# to do\n" };
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		const char *const files[][2] = { { "schemas/decisions.yaml", empty[i] },
						 { "schemas/notices.yaml", empty[i] } };
		site s;
		json_t *sch = load_with(&s, files, 2);
		const nb_diag_entry *e = diag_find(&s.d, "schema-empty", "schemas/decisions.yaml");
		NB_CHECK(e != NULL);
		NB_CHECK(e && e->sev == NB_SEV_WARNING);
		NB_CHECK(diag_count(&s.d, "schema-empty") == 1);
		char buf[256];
		rules_of(sch, "decisions", buf, sizeof(buf));
		NB_CHECK_STR(buf, "");
		json_decref(sch);
		site_free(&s);
	}
	static const char *const twice[][2] = {
		{ "schemas/common.yaml", "fields: {title: {type: string, required: true}}\n"
					 "rules: [committee_has_one_chair]\n" },
		{ "schemas/communities.yaml", "fields: {name: {type: string}}\n"
					      "rules: [committee_has_one_chair]\n" },
	};
	site s;
	json_t *sch = load_with(&s, twice, 2);
	char buf[256];
	rules_of(sch, "communities", buf, sizeof(buf));
	NB_CHECK_STR(buf, "committee_has_one_chair");
	rules_of(sch, "meetings", buf, sizeof(buf));
	NB_CHECK_STR(buf, "committee_has_one_chair meeting_ends_after_start "
		     "approved_at_later_meeting meeting_people_consistent");
	NB_CHECK(!diag_find(&s.d, "schema-empty", NULL));
	json_decref(sch);
	site_free(&s);
}

/* ---- a site's own schemas ---- *//* ---- a site's own schemas ---- *//* ---- a site's own schemas ---- */

NB_TEST(site_schema_replaces_built_in_and_wins_over_common)
{
	site s;
	json_t *sch;
	load(&s, "meetings", "description: ours\n"
	     "fields:\n"
	     "  room: {type: string, required: true}\n"
	     "  date: {type: string}\n"
	     "rules: [meeting_people_consistent]\n", &sch);
	NB_CHECK(s.d.len == 0);
	/* Its own field; the built-in one's fields are gone. */
	NB_CHECK(json_is_true(json_object_get(field(sch, "meetings", "room"), "required")));
	NB_CHECK(field(sch, "meetings", "community") == NULL);
	/* Its `date` wins over common's. */
	NB_CHECK_STR(json_string_value(json_object_get(field(sch, "meetings", "date"), "type")),
		     "string");
	NB_CHECK_STR(json_string_value(json_object_get(field(sch, "pages", "date"), "type")),
		     "date");
	/* Common's fields are still there. */
	NB_CHECK(field(sch, "meetings", "title") != NULL);
	char buf[256];
	rules_of(sch, "meetings", buf, sizeof(buf));
	NB_CHECK_STR(buf, "meeting_people_consistent");
	/* Other kinds keep the built-in. */
	NB_CHECK(field(sch, "decisions", "votes") != NULL);
	json_decref(sch);
	site_free(&s);
}

NB_TEST(site_common_schema_merged_under_each_kind)
{
	site s;
	json_t *sch;
	load(&s, "common", "fields:\n  title: {type: string, required: true}\n"
	     "  owner: {type: string}\nrules: [charter_path_matches]\n", &sch);
	NB_CHECK(s.d.len == 0);
	NB_CHECK(field(sch, "pages", "owner") != NULL);
	NB_CHECK(field(sch, "meetings", "owner") != NULL);
	/* The built-in common's other fields are gone with it. */
	NB_CHECK(field(sch, "pages", "summary") == NULL);
	/* Common's rules come before the kind's own. */
	char buf[256];
	rules_of(sch, "communities", buf, sizeof(buf));
	NB_CHECK_STR(buf, "charter_path_matches committee_has_one_chair");
	json_decref(sch);
	site_free(&s);
}

/* ---- mistakes in a schema ----
 * Reported at the keyword's own position (its key), where the secretary
 * reads what they wrote. */

/* The one schema-invalid diagnostic of `s`, at this file, line, column. */
static const nb_diag_entry *expect_invalid(nb_test_state *nb__t, const site *s,
					   const char *file, int line, int col)
{
	NB_CHECK(s->d.len == 1);
	if (s->d.len != 1)
		nb_diag_print(&s->d, stderr, 0);
	const nb_diag_entry *e = diag_find(&s->d, "schema-invalid", NULL);
	NB_CHECK(e != NULL);
	if (!e)
		return NULL;
	NB_CHECK(e->sev == NB_SEV_ERROR);
	NB_CHECK_STR(e->file, file);
	NB_CHECK(e->line == line && e->col == col);
	if (e->line != line || e->col != col)
		fprintf(stderr, "  got %s:%d:%d\n", e->file, e->line, e->col);
	NB_CHECK(e->hint != NULL);
	return e;
}

NB_TEST(each_mistake_reported_where_it_is)
{
	static const struct {
		const char *schema;
		int line, col;
		const char *msg, *hint;
	} cases[] = {
		{ "fields:\n  room: {tpye: string}\n", 2, 10,
		  "unknown schema keyword `tpye`", "did you mean `type`?" },
		{ "fields:\n  room: {type: strnig}\n", 2, 10, "unknown type", "did you mean `string`?" },
		{ "fields:\n  room: {type: [string, 7]}\n", 2, 10, "unknown type", "use string," },
		{ "fields:\n  room: {type: string, required: \"yes\"}\n", 2, 24,
		  "`required` must be true or false", "write true or false" },
		{ "fields:\n  room:\n    same_community: 1\n", 3, 5,
		  "`same_community` must be true or false", "write true or false" },
		{ "fields:\n  room: {enum: []}\n", 2, 10, "`enum` must be a non-empty list",
		  "write a list" },
		{ "fields:\n  room: {one_of: [{tpye: string}]}\n", 2, 20,
		  "unknown schema keyword `tpye`", "did you mean `type`?" },
		{ "fields:\n  n: {type: integer, min: one}\n", 2, 22, "`min` must be a number",
		  "write a number" },
		{ "fields:\n  l: {type: list, items: string}\n", 2, 19,
		  "a field's schema must be a mapping of keywords", "{type: string}" },
		{ "fields:\n  o: {type: object, fields: [a, b]}\n", 2, 21,
		  "`fields` must be a mapping of field names to schemas", "field's name" },
		{ "fields:\n  r: {type: ref}\n", 2, 3,
		  "a field of type ref must say which kind it refers to (`ref:`)", "ref: meetings" },
		{ "fields:\n  r: {hint: [a]}\n", 2, 7, "`hint` must be text", "write text" },
		{ "feilds:\n  room: {type: string}\n", 1, 1, "unknown schema key `feilds`",
		  "did you mean `fields`?" },
		{ "fields: {}\nrules: [meeting_people_consistant]\n", 2, 9, "unknown rule",
		  "did you mean `meeting_people_consistent`?" },
		{ "rules: meeting_people_consistent\n", 1, 1, "`rules` must be a list of rule names",
		  "write a list" },
		{ "description: [a]\n", 1, 1, "`description` must be text", "write text" },
		{ "fields: []\n", 1, 1, "`fields` must be a mapping of field names to schemas",
		  "field's name" },
		/* Deep in a list item's object, under a name that holds a slash. */
		{ "fields:\n  absent:\n    items:\n      fields:\n        \"a/b\": {typ: string}\n",
		  5, 17, "unknown schema keyword `typ`", "did you mean `type`?" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		site s;
		json_t *sch;
		load(&s, "meetings", cases[i].schema, &sch);
		const nb_diag_entry *e = expect_invalid(NB_T, &s, "schemas/meetings.yaml",
							cases[i].line, cases[i].col);
		if (e) {
			NB_CHECK_STR(e->msg, cases[i].msg);
			NB_CHECK_CONTAINS(e->hint, cases[i].hint);
		}
		if (!e || strcmp(e->msg, cases[i].msg))
			fprintf(stderr, "  case %zu\n", i);
		/* A schema with a mistake is not used: common's fields only. */
		NB_CHECK(field(sch, "meetings", "title") != NULL);
		NB_CHECK(field(sch, "meetings", "room") == NULL);
		NB_CHECK(field(sch, "meetings", "community") == NULL);
		json_decref(sch);
		site_free(&s);
	}
}

NB_TEST(every_mistake_of_a_schema_reported)
{
	site s;
	json_t *sch;
	load(&s, "decisions", "fields:\n  a: {tpye: string}\n  b: {type: strnig}\n"
	     "rules: [nope, votes_within_attendees]\n", &sch);
	NB_CHECK(diag_count(&s.d, "schema-invalid") == 3);
	NB_CHECK(s.d.len == 3);
	json_decref(sch);
	site_free(&s);
}

/* A schema that is not YAML, or not a mapping, is reported by the YAML
 * reader, and not used either. */
NB_TEST(schema_that_does_not_parse)
{
	static const char *const bad[] = { "fields: {room: [\n", "- fields\n- rules\n" };
	for (size_t i = 0; i < 2; i++) {
		site s;
		json_t *sch;
		load(&s, "meetings", bad[i], &sch);
		NB_CHECK(s.d.errors >= 1);
		NB_CHECK(s.d.len >= 1 && !strcmp(s.d.items[0].file, "schemas/meetings.yaml"));
		NB_CHECK(field(sch, "meetings", "community") == NULL);
		NB_CHECK(field(sch, "meetings", "title") != NULL);
		json_decref(sch);
		site_free(&s);
	}
}

/* A broken common schema leaves `title` required: a page without one
 * still fails rather than publishing a blank heading. */
NB_TEST(broken_common_still_requires_title)
{
	site s;
	json_t *sch;
	load(&s, "common", "fields:\n  title: {type: string, required: ture}\n", &sch);
	expect_invalid(NB_T, &s, "schemas/common.yaml", 2, 25);
	static const char *const kinds[] = { "pages", "notices", "meetings" };
	for (size_t i = 0; i < 3; i++) {
		const json_t *t = field(sch, kinds[i], "title");
		NB_CHECK(json_is_true(json_object_get(t, "required")));
		NB_CHECK_STR(json_string_value(json_object_get(t, "type")), "string");
	}
	/* The kinds' own built-in schemas are still merged over it. */
	NB_CHECK(field(sch, "meetings", "community") != NULL);
	json_decref(sch);
	site_free(&s);
}

/* A schema file that cannot be read (larger than the site's limit) is an
 * error about that file, not a schema quietly left out. */
NB_TEST(unreadable_schema_is_an_error)
{
	site s;
	json_t *sch;
	site_open(&s, "schema", docs, 1);
	put(&s, "schemas/pages.yaml", "fields:\n  owner: {type: string, required: true}\n");
	nb_content_load(&s.c, &s.cfg, NULL, &s.d);
	s.loaded = 1;
	s.cfg.max_file_size = 8;
	sch = nb_schema_load(&s.c, &s.cfg, rules, N_RULES, &s.d);
	const nb_diag_entry *e = diag_find(&s.d, "schema-invalid", "schemas/pages.yaml");
	NB_CHECK(e != NULL && e->sev == NB_SEV_ERROR);
	NB_CHECK(s.d.errors == 1);
	NB_CHECK(field(sch, "pages", "owner") == NULL);
	json_decref(sch);
	site_free(&s);
}

NB_TEST_MAIN("schema", NB_CASE(types_named_or_implied), NB_CASE(built_in_schemas_load_clean),
	     NB_CASE(kind_folder_near_miss_warned), NB_CASE(empty_site_schema_and_rules_twice),
	     NB_CASE(site_schema_replaces_built_in_and_wins_over_common),
	     NB_CASE(site_common_schema_merged_under_each_kind),
	     NB_CASE(each_mistake_reported_where_it_is),
	     NB_CASE(every_mistake_of_a_schema_reported), NB_CASE(schema_that_does_not_parse),
	     NB_CASE(broken_common_still_requires_title), NB_CASE(unreadable_schema_is_an_error))

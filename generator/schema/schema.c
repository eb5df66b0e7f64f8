/*
 * schema.c - loading the schemas and checking them; see schema.h.
 *
 * A schema is YAML (yamltree.h), from the site's schemas/ folder or built
 * into the binary. Before it is used it is itself checked keyword by
 * keyword, with the same kind of message a document gets (file, line,
 * column, a suggestion for a misspelt keyword), because a site's schema
 * with a typo would otherwise silently check nothing. The common schema is
 * merged under each kind's.
 */
#include "schema/schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load/yamltree.h"
#include "util/buf.h"
#include "util/embedded.h"
#include "util/fs.h"
#include "util/suggest.h"

static const char *const type_names[NB_VT_COUNT] = {
	"string", "integer", "number", "boolean", "date", "time", "period",
	"list", "object", "ref",
};

static int type_from_name(const char *s)
{
	for (int i = 0; i < NB_VT_COUNT; i++)
		if (!strcmp(s, type_names[i]))
			return i;
	return -1;
}

/* Types a field schema allows, from `type`, or implied by `ref`, `fields`,
 * `items`. Returns how many; 0 means anything goes. */
int nb_schema_types(const json_t *sch, int out[NB_VT_COUNT])
{
	const json_t *t = json_object_get(sch, "type");
	int n = 0;
	if (json_is_string(t)) {
		int k = type_from_name(json_string_value(t));
		if (k >= 0)
			out[n++] = k;
	} else if (json_is_array(t)) {
		size_t i;
		const json_t *x;
		json_array_foreach(t, i, x) {
			int k = json_is_string(x) ? type_from_name(json_string_value(x)) : -1;
			if (k >= 0 && n < NB_VT_COUNT)
				out[n++] = k;
		}
	} else if (json_object_get(sch, "ref")) {
		out[n++] = NB_VT_REF;
	} else if (json_object_get(sch, "fields")) {
		out[n++] = NB_VT_OBJECT;
	} else if (json_object_get(sch, "items")) {
		out[n++] = NB_VT_LIST;
	}
	return n;
}

/* Checking a schema file itself, so a site's own schema with a typo fails
 * loudly instead of silently checking nothing. */
typedef struct sctx {
	nb_diag *d;
	const char *const *rules;  /* the rules validate.c implements */
	size_t n_rules;
	const char *file;
	const json_t *pos;
	nb_buf ptr;
	int bad;
} sctx;

static void schema_error(sctx *s, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void schema_error(sctx *s, const char *hint, const char *fmt, ...)
{
	int line, col;
	nb_yaml_pos(s->pos, nb_buf_cstr(&s->ptr), 1, &line, &col);
	nb_buf msg = NB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	nb_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	nb_error(s->d, s->file, line, col, "schema-invalid", hint, "%s", nb_buf_cstr(&msg));
	nb_buf_free(&msg);
	s->bad = 1;
}

static size_t sptr_push(sctx *s, const char *seg)
{
	size_t at = s->ptr.len;
	nb_buf_putc(&s->ptr, '/');
	for (const char *p = seg; *p; p++) {
		if (*p == '~')
			nb_buf_puts(&s->ptr, "~0");
		else if (*p == '/')
			nb_buf_puts(&s->ptr, "~1");
		else
			nb_buf_putc(&s->ptr, *p);
	}
	return at;
}

static void sptr_pop(sctx *s, size_t at)
{
	s->ptr.len = at;
	s->ptr.ptr[at] = '\0';
}

static const char *const field_keywords[] = {
	"type", "required", "enum", "min", "max", "items", "fields", "one_of",
	"ref", "same_community", "default", "hint", "description",
};

static void check_field_schema(sctx *s, const json_t *node);

static void check_type_name(sctx *s, const json_t *t)
{
	if (json_is_string(t) && type_from_name(json_string_value(t)) >= 0)
		return;
	const char *sug = json_is_string(t)
		? nb_suggest(json_string_value(t), type_names, NB_VT_COUNT) : NULL;
	char hint[256];
	snprintf(hint, sizeof(hint), sug ? "did you mean `%s`?" : "%s",
		 sug ? sug : "use string, integer, number, boolean, date, time, period, list, object or ref");
	schema_error(s, hint, "unknown type");
}

static void check_field_map(sctx *s, const json_t *fields)
{
	if (!json_is_object(fields)) {
		schema_error(s, "write each field's name followed by its schema",
			     "`fields` must be a mapping of field names to schemas");
		return;
	}
	const char *k;
	const json_t *x;
	json_object_foreach((json_t *)fields, k, x) {
		size_t at = sptr_push(s, k);
		check_field_schema(s, x);
		sptr_pop(s, at);
	}
}

static void check_field_schema(sctx *s, const json_t *node)
{
	if (!json_is_object(node)) {
		schema_error(s, "write e.g. {type: string}",
			     "a field's schema must be a mapping of keywords");
		return;
	}
	const char *k;
	const json_t *x;
	json_object_foreach((json_t *)node, k, x) {
		size_t at = sptr_push(s, k);
		size_t nk = sizeof(field_keywords) / sizeof(field_keywords[0]);
		int known = 0;
		for (size_t i = 0; i < nk; i++)
			known |= !strcmp(k, field_keywords[i]);
		if (!known) {
			const char *sug = nb_suggest(k, field_keywords, nk);
			char hint[256];
			snprintf(hint, sizeof(hint), sug ? "did you mean `%s`?" : "%s",
				 sug ? sug : "see generator/schemas/README.md for the keywords");
			schema_error(s, hint, "unknown schema keyword `%s`", k);
		} else if (!strcmp(k, "type")) {
			if (json_is_array(x)) {
				size_t i;
				const json_t *t;
				json_array_foreach(x, i, t)
					check_type_name(s, t);
			} else {
				check_type_name(s, x);
			}
		} else if (!strcmp(k, "required") || !strcmp(k, "same_community")) {
			if (!json_is_boolean(x))
				schema_error(s, "write true or false", "`%s` must be true or false", k);
		} else if (!strcmp(k, "enum") || !strcmp(k, "one_of")) {
			if (!json_is_array(x) || !json_array_size(x)) {
				schema_error(s, "write a list, e.g. [a, b]", "`%s` must be a non-empty list", k);
			} else if (!strcmp(k, "one_of")) {
				size_t i;
				const json_t *alt;
				json_array_foreach(x, i, alt) {
					char idx[32];
					snprintf(idx, sizeof(idx), "%zu", i);
					size_t at2 = sptr_push(s, idx);
					check_field_schema(s, alt);
					sptr_pop(s, at2);
				}
			}
		} else if (!strcmp(k, "min") || !strcmp(k, "max")) {
			if (!json_is_number(x))
				schema_error(s, "write a number", "`%s` must be a number", k);
		} else if (!strcmp(k, "items")) {
			check_field_schema(s, x);
		} else if (!strcmp(k, "fields")) {
			check_field_map(s, x);
		} else if (!strcmp(k, "ref") || !strcmp(k, "hint") ||
			   !strcmp(k, "description")) {
			if (!json_is_string(x))
				schema_error(s, "write text", "`%s` must be text", k);
		}
		sptr_pop(s, at);
	}
	int types[NB_VT_COUNT];
	int n = nb_schema_types(node, types);
	for (int i = 0; i < n; i++)
		if (types[i] == NB_VT_REF && !json_is_string(json_object_get(node, "ref")))
			schema_error(s, "add e.g. `ref: meetings`",
				     "a field of type ref must say which kind it refers to (`ref:`)");
}

static int rule_known(const sctx *s, const char *name)
{
	for (size_t i = 0; i < s->n_rules; i++)
		if (!strcmp(s->rules[i], name))
			return 1;
	return 0;
}

static void check_schema(sctx *s, const json_t *root)
{
	const char *k;
	const json_t *x;
	static const char *const top[] = { "description", "fields", "rules" };
	json_object_foreach((json_t *)root, k, x) {
		size_t at = sptr_push(s, k);
		if (!strcmp(k, "fields")) {
			check_field_map(s, x);
		} else if (!strcmp(k, "rules")) {
			size_t i;
			const json_t *r;
			if (!json_is_array(x))
				schema_error(s, "write a list, e.g. [votes_within_attendees]",
					     "`rules` must be a list of rule names");
			json_array_foreach(x, i, r) {
				char idx[32];
				snprintf(idx, sizeof(idx), "%zu", i);
				size_t at2 = sptr_push(s, idx);
				if (!json_is_string(r) || !rule_known(s, json_string_value(r))) {
					const char *sug = json_is_string(r)
						? nb_suggest(json_string_value(r), s->rules, s->n_rules) : NULL;
					char hint[256];
					snprintf(hint, sizeof(hint), sug ? "did you mean `%s`?" : "%s",
						 sug ? sug : "see generator/schemas/README.md for the rules");
					schema_error(s, hint, "unknown rule");
				}
				sptr_pop(s, at2);
			}
		} else if (!strcmp(k, "description")) {
			if (!json_is_string(x))
				schema_error(s, "write text", "`description` must be text");
		} else {
			const char *sug = nb_suggest(k, top, 3);
			char hint[256];
			snprintf(hint, sizeof(hint), sug ? "did you mean `%s`?" : "%s",
				 sug ? sug : "a schema holds description, fields and rules");
			schema_error(s, hint, "unknown schema key `%s`", k);
		}
		sptr_pop(s, at);
	}
}

/* The schema for `name` ("common" or a kind): the site's own file when it
 * has one, else the built-in one, else NULL. A schema with errors is
 * reported and not used. */
static json_t *load_schema(const nb_config *cfg, const char *name, const char *const *rules,
			   size_t n_rules, nb_diag *d)
{
	char rel[512];
	snprintf(rel, sizeof(rel), "schemas/%s.yaml", name);
	char *abs = nb_path_join(cfg->site_dir, rel);
	char *src = NULL;
	size_t len = 0;
	const char *text = NULL;
	char label[600];
	if (nb_fs_is_file(abs)) {
		if (nb_fs_read(abs, cfg->max_file_size, &src, &len) != 0) {
			nb_error(d, rel, 0, 0, "schema-invalid", NULL,
				 "cannot read the schema file");
			free(abs);
			return NULL;
		}
		text = src;
		snprintf(label, sizeof(label), "%s", rel);
	} else {
		const nb_embedded_file *f = nb_embedded_find(rel);
		if (f) {
			text = (const char *)f->data;
			len = f->len;
			snprintf(label, sizeof(label), "%s (built in)", rel);
		}
	}
	free(abs);
	if (!text)
		return NULL;
	json_t *root = NULL, *pos = NULL;
	if (nb_yaml_load(&root, &pos, text, len, label, 1, 1, &cfg->yaml_limits, d) != 0) {
		free(src);
		return NULL;
	}
	const int own = src != NULL;
	free(src);
	sctx s = { d, rules, n_rules, label, pos, NB_BUF_INIT, 0 };
	nb_buf_grow(&s.ptr, 64);
	check_schema(&s, root);
	nb_buf_free(&s.ptr);
	json_decref(pos);
	if (s.bad) {
		json_decref(root);
		return NULL;
	}
	/* A site's schema replaces the built-in one whole: an empty one (a
	 * file made to be filled in later) would silently drop every field
	 * and rule of the kind, the vote counts' among them. */
	if (own && nb_embedded_find(rel) &&
	    (!root || json_is_null(root) ||
	     (!json_object_size(json_object_get(root, "fields")) &&
	      !json_array_size(json_object_get(root, "rules")))))
		nb_warning(d, rel, 1, 1, "schema-empty",
			   "delete the file to check with the built-in schema, or list in it the "
			   "fields and rules this kind should have",
			   "%s names no field and no rule, so it replaces the built-in schema with "
			   "nothing: its documents get only the common checks", rel);
	return root;
}

/* Common fields under the kind's own (the kind's definition wins), common
 * rules before the kind's. */
static json_t *merge_schema(const json_t *common, const json_t *kind)
{
	json_t *fields = json_object(), *rules = json_array();
	const json_t *srcs[2] = { common, kind };
	for (int i = 0; i < 2; i++) {
		const char *k;
		json_t *x;
		json_object_foreach(json_object_get(srcs[i], "fields"), k, x)
			json_object_set(fields, k, x);
		/* A rule listed by both runs once: twice, each of its errors
		 * was printed twice. O(rules^2); a kind has a handful. */
		size_t j, n;
		json_t *y;
		json_array_foreach(json_object_get(srcs[i], "rules"), j, x) {
			int seen = 0;
			json_array_foreach(rules, n, y)
				seen |= json_equal(x, y);
			if (!seen)
				json_array_append(rules, x);
		}
	}
	json_t *m = json_object();
	json_object_set_new(m, "fields", fields);
	json_object_set_new(m, "rules", rules);
	return m;
}

/* When even common.yaml is missing or broken, `title` is still required. */
static json_t *fallback_common(void)
{
	return json_pack("{s:{s:{s:s,s:b}}}", "fields", "title", "type",
			 "string", "required", 1);
}

/* Folder names that say a built-in kind in other words: the name a
 * secretary would give the folder of minutes, in English or Chinese. Only
 * words that mean nothing else: `rules/` or `reports/` may well be a
 * committee's own. */
static const char *const kind_synonyms[][2] = {
	{ "minutes", "meetings" },	   { "会议", "meetings" },
	{ "会议纪要", "meetings" },	   { "纪要", "meetings" },
	{ "resolutions", "decisions" },	   { "motions", "decisions" },
	{ "决议", "decisions" },	   { "bylaws", "charters" },
	{ "constitution", "charters" },	   { "statutes", "charters" },
	{ "章程", "charters" },		   { "assessments", "evaluations" },
	{ "评估", "evaluations" },	   { "社区", "communities" },
};

/* The built-in kind that `name` says in other words, or NULL. */
static const char *kind_synonym(const char *name)
{
	for (size_t i = 0; i < sizeof(kind_synonyms) / sizeof(*kind_synonyms); i++)
		if (!strcasecmp(name, kind_synonyms[i][0]))
			return kind_synonyms[i][1];
	return NULL;
}

/*
 * A folder under content/ that no schema names is a kind of its own (free
 * pages, a committee's own records): its documents get only the common
 * checks and no lists. A near miss of a built-in kind (`meeting/` for
 * `meetings/`), or another word for one (`minutes/`), would silently
 * publish minutes that no vote, attendee or date rule ever read and that
 * no meeting list shows, so it is warned of, once, at its first document.
 */
static void warn_kind_near_miss(const nb_config *cfg, const nb_doc *doc, nb_diag *d)
{
	static const char *const kinds[] = { "communities", "meetings", "decisions",
					     "charters",    "evaluations", "pages" };
	char rel[512];
	snprintf(rel, sizeof(rel), "schemas/%s.yaml", doc->kind);
	char *abs = nb_path_join(cfg->site_dir, rel);
	int has = nb_fs_is_file(abs) || nb_embedded_find(rel);
	free(abs);
	const char *sug = has ? NULL : kind_synonym(doc->kind);
	if (!has && !sug)
		sug = nb_suggest(doc->kind, kinds, sizeof(kinds) / sizeof(*kinds));
	if (!sug)
		return;
	nb_buf hint = NB_BUF_INIT;
	nb_buf_printf(&hint, "move the files to content/%s/ if they are %s; a folder of your own "
			     "is fine under another name", sug, sug);
	nb_warning(d, doc->path, 1, 1, "kind-unknown", nb_buf_cstr(&hint),
		   "content/%s/ is not a kind noticeboard knows, so its documents get none of the "
		   "checks of %s and appear in no list: did you mean `%s`?", doc->kind, sug, sug);
	nb_buf_free(&hint);
}

json_t *nb_schema_load(const nb_content *c, const nb_config *cfg, const char *const *rules,
		       size_t n_rules, nb_diag *d)
{
	json_t *common = load_schema(cfg, "common", rules, n_rules, d);
	if (!common)
		common = fallback_common();
	json_t *schemas = json_object(); /* kind -> merged schema */
	for (size_t i = 0; i < c->len; i++) {
		const nb_doc *doc = &c->docs[i];
		if (!doc->ok || json_object_get(schemas, doc->kind))
			continue;
		json_t *own = load_schema(cfg, doc->kind, rules, n_rules, d);
		if (!own)
			warn_kind_near_miss(cfg, doc, d);
		json_object_set_new(schemas, doc->kind, merge_schema(common, own));
		json_decref(own);
	}
	json_decref(common);
	return schemas;
}

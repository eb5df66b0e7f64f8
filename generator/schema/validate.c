/*
 * validate.c - the check stage; see validate.h.
 *
 * Design. What a kind of document holds is data, not code: each kind has a
 * schema, generator/schemas/<kind>.yaml, built into the binary and
 * replaceable per site by <site>/schemas/<kind>.yaml. schemas/common.yaml
 * holds the fields every document may have (title, id, draft, layout,
 * summary, date) and is merged under each kind. Adding a field, an allowed
 * value or a range is therefore an edit to a YAML file a maintainer can
 * read; only a new *kind of cross-check* (one that compares fields, or
 * documents) needs C, as a named rule that schemas switch on.
 *
 * The schema language is described in schema.h; schema.c loads and
 * checks schema files, and this file checks documents against them.
 *
 * Unknown fields are legal (they reach the templates), but a field that is
 * within a small edit distance of a known one at the same level is an
 * error, because a misspelt `atendees:` would otherwise vanish silently.
 *
 * Values are checked against the schema only where the schema describes
 * them, so the recursion depth is bounded by the schema, never by the
 * content; hostile nesting in front matter costs nothing here.
 *
 * References are resolved through a site-wide id table (ids are unique
 * across the site, content.c enforces it). A published document may not
 * refer to a draft, since the link would lead nowhere on the published
 * site; a draft may, since neither is published.
 *
 * Every message is for a secretary: it quotes the field as written, says
 * what is wrong and, in the hint, what to write instead. Value errors point
 * at the value, misspelt keys at the key, missing fields at the start of the
 * front matter (or the object that lacks them). Each distinct problem has
 * its own code (listed in schemas/README.md) so editors and tests can tell
 * them apart.
 *
 * No state outlives a call: everything lives in a vctx on the stack.
 */
#include "schema/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/date.h"
#include "load/meta.h"
#include "util/embedded.h"
#include "util/fs.h"
#include "schema/records.h"
#include "schema/schema.h"
#include "util/suggest.h"
#include "schema/valuehint.h"
#include "load/yamltree.h"

/* ---- value types ---- */

/* What a value of each type is, as the secretary reads it: "must be …". */
static const char *const type_wants[NB_VT_COUNT] = {
	"text", "a whole number", "a number", "true or false",
	"a date like 2024-07-12", "a time like 19:30",
	"a period like 2024-Q3 or 2024", "a list", "a group of fields",
	"the id of a document",
};

static int type_accepts(int t, const json_t *v)
{
	switch (t) {
	case NB_VT_STRING: case NB_VT_DATE: case NB_VT_TIME: case NB_VT_REF:
		return json_is_string(v);
	case NB_VT_INTEGER: return json_is_integer(v);
	case NB_VT_NUMBER: return json_is_number(v);
	case NB_VT_BOOLEAN: return json_is_boolean(v);
	/* An unquoted `period: 2024` arrives as an integer. */
	case NB_VT_PERIOD: return json_is_string(v) || json_is_integer(v);
	case NB_VT_LIST: return json_is_array(v);
	case NB_VT_OBJECT: return json_is_object(v);
	}
	return 0;
}

/* The "not …" half of a type error. */
static const char *value_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: return "text";
	case JSON_INTEGER: return "a whole number";
	case JSON_REAL: return "a number with a decimal point";
	case JSON_TRUE: case JSON_FALSE: return "true/false";
	case JSON_ARRAY: return "a list";
	case JSON_OBJECT: return "a group of fields";
	case JSON_NULL: return "empty";
	}
	return "something else";
}

/* ---- small helpers ---- */

static const char *str_field(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* A kind's folder name as a singular noun for messages. */
static const char *kind_noun(const char *kind, char *buf, size_t n)
{
	static const char *const known[][2] = {
		{ "communities", "community" }, { "meetings", "meeting" },
		{ "decisions", "decision" }, { "charters", "charter" },
		{ "evaluations", "evaluation" }, { "pages", "page" },
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(kind, known[i][0]))
			return known[i][1];
	size_t len = strlen(kind);
	if (len > 1 && kind[len - 1] == 's')
		len--;
	snprintf(buf, n, "%.*s", (int)len, kind);
	return buf;
}

/* A value as it would be written in the file, shortened for messages. */
static void show_value(nb_buf *b, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: {
		const char *s = json_string_value(v);
		size_t len = strlen(s);
		if (len <= 80) {
			nb_buf_put(b, s, len);
			break;
		}
		/* Cut at a UTF-8 character boundary. */
		size_t cut = 80;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
		nb_buf_put(b, s, cut);
		nb_buf_puts(b, "…");
		break;
	}
	case JSON_INTEGER:
		nb_buf_printf(b, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		nb_buf_printf(b, "%g", json_real_value(v));
		break;
	case JSON_TRUE: nb_buf_puts(b, "true"); break;
	case JSON_FALSE: nb_buf_puts(b, "false"); break;
	case JSON_NULL: nb_buf_puts(b, "(empty)"); break;
	case JSON_ARRAY: nb_buf_puts(b, "(a list)"); break;
	case JSON_OBJECT: nb_buf_puts(b, "(a group of fields)"); break;
	}
}

static int is_date(const char *s)
{
	int y, m, dd;
	return s && nb_date_parse(s, &y, &m, &dd) == 1;
}

/* Minutes since midnight for H:MM or HH:MM, else -1. */
static int is_period(const json_t *v)
{
	int y;
	if (json_is_integer(v))
		return json_integer_value(v) >= 1000 && json_integer_value(v) <= 9999;
	const char *s = json_string_value(v);
	size_t len = s ? strlen(s) : 0;
	if (len == 4)
		return nb_date_digits(s, 4, &y);
	return len == 7 && nb_date_digits(s, 4, &y) && s[4] == '-' && s[5] == 'Q' &&
	       s[6] >= '1' && s[6] <= '4';
}

/* ---- the checking context ---- */

typedef struct vctx {
	const nb_content *c;
	nb_diag *d;
	json_t *ids;         /* id -> doc index, every loaded document */
	json_t *seen;        /* uniqueness rules: key -> doc index */
	const nb_doc *doc;   /* the document being checked */
	const json_t *meta;  /* its front matter, decoded once for every check */
	const json_t *schema; /* its kind's merged schema */
	nb_buf ptr;          /* JSON Pointer of the value being checked */
	nb_buf show;         /* the same path as people read it: committee[3].name */
} vctx;

typedef struct { size_t ptr, show; } vmark;

static vmark path_key(vctx *v, const char *key)
{
	vmark m = { v->ptr.len, v->show.len };
	nb_buf_putc(&v->ptr, '/');
	for (const char *p = key; *p; p++) {
		if (*p == '~')
			nb_buf_puts(&v->ptr, "~0");
		else if (*p == '/')
			nb_buf_puts(&v->ptr, "~1");
		else
			nb_buf_putc(&v->ptr, *p);
	}
	if (v->show.len)
		nb_buf_putc(&v->show, '.');
	nb_buf_puts(&v->show, key);
	return m;
}

/* List items are shown counting from 1, as people count lines. */
static vmark path_index(vctx *v, size_t i)
{
	vmark m = { v->ptr.len, v->show.len };
	nb_buf_printf(&v->ptr, "/%zu", i);
	nb_buf_printf(&v->show, "[%zu]", i + 1);
	return m;
}

static void path_pop(vctx *v, vmark m)
{
	v->ptr.len = m.ptr;
	v->ptr.ptr[m.ptr] = '\0';
	v->show.len = m.show;
	v->show.ptr[m.show] = '\0';
}

static const char *last_key(const vctx *v)
{
	const char *s = nb_buf_cstr(&v->show);
	const char *dot = strrchr(s, '.');
	return dot ? dot + 1 : s;
}

/* Report at the position of `ptr` in the current document (key or value
 * position); line 1 column 1 when the table knows nothing. */
static void report(vctx *v, const char *ptr, int want_key, const char *code,
		   const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void report(vctx *v, const char *ptr, int want_key, const char *code,
		   const char *hint, const char *fmt, ...)
{
	int line, col;
	nb_yaml_pos(v->doc->pos, ptr, want_key, &line, &col);
	if (line <= 0)
		line = 1, col = 1;
	nb_buf msg = NB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	nb_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	nb_error(v->d, v->doc->path, line, col, code, hint, "%s", nb_buf_cstr(&msg));
	nb_buf_free(&msg);
}

static const nb_doc *doc_by_id(const vctx *v, const char *id)
{
	json_t *i = id ? json_object_get(v->ids, id) : NULL;
	return i ? &v->c->docs[json_integer_value(i)] : NULL;
}

/* The document a reference field names, when it names one of `kind`
 * (errors about it are reported by the field check, not here). */
static const nb_doc *resolve(const vctx *v, const json_t *meta,
			     const char *field, const char *kind)
{
	const nb_doc *t = doc_by_id(v, str_field(meta, field));
	return t && !strcmp(t->kind, kind) ? t : NULL;
}

/* ---- field checks ---- */

static void check_value(vctx *v, const json_t *sch, const json_t *val);

static void type_error(vctx *v, const json_t *sch, const int *types, int n,
		       const json_t *val)
{
	nb_buf want = NB_BUF_INIT;
	for (int i = 0; i < n; i++) {
		if (i)
			nb_buf_puts(&want, i + 1 == n ? " or " : ", ");
		nb_buf_puts(&want, type_wants[types[i]]);
	}
	char hint[256];
	const char *k = last_key(v);
	switch (n == 1 ? types[0] : -1) {
	case NB_VT_STRING:
		snprintf(hint, sizeof(hint), "write text, in quotes if it looks like a number: %s: \"…\"", k);
		break;
	case NB_VT_INTEGER:
		snprintf(hint, sizeof(hint), "write digits only, without quotes or a decimal point, e.g. %s: 9", k);
		break;
	case NB_VT_NUMBER:
		snprintf(hint, sizeof(hint), "write a number without quotes, e.g. %s: 0.75", k);
		break;
	case NB_VT_BOOLEAN:
		snprintf(hint, sizeof(hint), "write %s: true or %s: false", k, k);
		break;
	case NB_VT_DATE:
		snprintf(hint, sizeof(hint), "write the date as YYYY-MM-DD, e.g. %s: 2024-07-12", k);
		break;
	case NB_VT_TIME:
		snprintf(hint, sizeof(hint), "write the time as HH:MM, e.g. %s: \"19:30\"", k);
		break;
	case NB_VT_PERIOD:
		snprintf(hint, sizeof(hint), "write a quarter like %s: 2024-Q3 or a year like %s: 2024", k, k);
		break;
	case NB_VT_LIST:
		snprintf(hint, sizeof(hint), "write one item per line below `%s:`, each starting with \"- \"", k);
		break;
	case NB_VT_OBJECT:
		snprintf(hint, sizeof(hint), "write the fields indented on the lines below `%s:`", k);
		break;
	case NB_VT_REF:
		snprintf(hint, sizeof(hint), "write the id of the document as text, e.g. %s: \"hongling-2024-03\"", k);
		break;
	default:
		snprintf(hint, sizeof(hint), "write it as %s", nb_buf_cstr(&want));
	}
	/* The schema's own advice knows the field better than we do. */
	const char *hs = str_field(sch, "hint");
	if (hs)
		snprintf(hint, sizeof(hint), "%s", hs);
	report(v, nb_buf_cstr(&v->ptr), 0, "field-type", hint,
	       "`%s` must be %s, not %s", nb_buf_cstr(&v->show),
	       nb_buf_cstr(&want), value_kind(val));
	nb_buf_free(&want);
}

static void check_date(vctx *v, const json_t *sch, const json_t *val)
{
	const char *s = json_string_value(val);
	int y, m, dd;
	int r = nb_date_parse(s, &y, &m, &dd);
	if (r == 1)
		return;
	char hint[256];
	const char *hs = str_field(sch, "hint");
	snprintf(hint, sizeof(hint), "%s", hs ? hs :
		 "write the date as YYYY-MM-DD (year-month-day), e.g. 2024-07-12");
	char iso[16];
	if (r < 0 && nb_valuehint_date(iso, s))
		snprintf(hint, sizeof(hint),
			 "write it as %s: %s (year-month-day, with dashes and two-digit month and day)",
			 last_key(v), iso);
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
	};
	if (r == 0 && m >= 1 && m <= 12)
		report(v, nb_buf_cstr(&v->ptr), 0, "field-date", hint,
		       "`%s: %s` is not a real date: %s %d has %d days",
		       nb_buf_cstr(&v->show), s, months[m - 1], y,
		       nb_date_month_days(y, m));
	else if (r == 0)
		report(v, nb_buf_cstr(&v->ptr), 0, "field-date", hint,
		       "`%s: %s` is not a real date: there are 12 months",
		       nb_buf_cstr(&v->show), s);
	else
		report(v, nb_buf_cstr(&v->ptr), 0, "field-date", hint,
		       "`%s: %s` is not a date in the form YYYY-MM-DD",
		       nb_buf_cstr(&v->show), s);
}

static void check_time(vctx *v, const json_t *sch, const json_t *val)
{
	const char *s = json_string_value(val);
	if (nb_meta_time(s) >= 0)
		return;
	const char *hs = str_field(sch, "hint");
	report(v, nb_buf_cstr(&v->ptr), 0, "field-time",
	       hs ? hs : "write the time on the 24-hour clock as HH:MM, e.g. \"19:30\"",
	       "`%s: %s` is not a time of day (HH:MM)", nb_buf_cstr(&v->show), s);
}

static void check_period(vctx *v, const json_t *sch, const json_t *val)
{
	if (is_period(val))
		return;
	nb_buf s = NB_BUF_INIT;
	show_value(&s, val);
	const char *hs = str_field(sch, "hint");
	report(v, nb_buf_cstr(&v->ptr), 0, "field-period",
	       hs ? hs : "write a quarter as YYYY-Qn (e.g. 2024-Q3) or a whole year as YYYY (e.g. 2024)",
	       "`%s: %s` is not a period", nb_buf_cstr(&v->show), nb_buf_cstr(&s));
	nb_buf_free(&s);
}

/* "between 0 and 1", "at least 0", "at most 11". */
static void describe_bounds(nb_buf *b, const json_t *min, const json_t *max)
{
	if (min && max) {
		nb_buf_puts(b, "between ");
		show_value(b, min);
		nb_buf_puts(b, " and ");
		show_value(b, max);
	} else if (min) {
		nb_buf_puts(b, "at least ");
		show_value(b, min);
	} else {
		nb_buf_puts(b, "at most ");
		show_value(b, max);
	}
}

static void check_range(vctx *v, const json_t *sch, const json_t *val)
{
	const json_t *min = json_object_get(sch, "min");
	const json_t *max = json_object_get(sch, "max");
	min = json_is_number(min) ? min : NULL;
	max = json_is_number(max) ? max : NULL;
	double x = json_number_value(val);
	if ((!min || x >= json_number_value(min)) && (!max || x <= json_number_value(max)))
		return;
	nb_buf b = NB_BUF_INIT, s = NB_BUF_INIT;
	describe_bounds(&b, min, max);
	show_value(&s, val);
	char hint[256];
	const char *hs = str_field(sch, "hint");
	snprintf(hint, sizeof(hint), "%s", hs ? hs : "correct the number");
	report(v, nb_buf_cstr(&v->ptr), 0, "field-range", hint,
	       "`%s` is %s; it must be %s", nb_buf_cstr(&v->show),
	       nb_buf_cstr(&s), nb_buf_cstr(&b));
	nb_buf_free(&b);
	nb_buf_free(&s);
}

static void check_count(vctx *v, const json_t *sch, const json_t *val)
{
	const json_t *min = json_object_get(sch, "min");
	const json_t *max = json_object_get(sch, "max");
	min = json_is_number(min) ? min : NULL;
	max = json_is_number(max) ? max : NULL;
	size_t n = json_array_size(val);
	double x = (double)n;
	if ((!min || x >= json_number_value(min)) && (!max || x <= json_number_value(max)))
		return;
	nb_buf b = NB_BUF_INIT;
	describe_bounds(&b, min, max);
	const char *hs = str_field(sch, "hint");
	report(v, nb_buf_cstr(&v->ptr), 0, "list-length",
	       hs ? hs : "add or remove entries",
	       "`%s` has %zu %s; it must have %s", nb_buf_cstr(&v->show), n,
	       n == 1 ? "entry" : "entries", nb_buf_cstr(&b));
	nb_buf_free(&b);
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static void check_enum(vctx *v, const json_t *en, const json_t *val)
{
	size_t i;
	const json_t *x;
	json_array_foreach(en, i, x)
		if (json_equal((json_t *)x, (json_t *)val))
			return;
	size_t n = json_array_size(en);
	const char **names = calloc(n + 1, sizeof(*names));
	if (!names)
		abort();
	size_t k = 0;
	nb_buf list = NB_BUF_INIT, s = NB_BUF_INIT;
	json_array_foreach(en, i, x) {
		if (i)
			nb_buf_puts(&list, ", ");
		show_value(&list, x);
		if (json_is_string(x))
			names[k++] = json_string_value(x);
	}
	show_value(&s, val);
	/* Edit distance is over bytes, so it only means "a typo" for ASCII:
	 * one changed Chinese character (3 bytes) is a different word. */
	const char *sug = json_is_string(val) && is_ascii(json_string_value(val))
		? nb_suggest(json_string_value(val), names, k) : NULL;
	char hint[1024], key[128];
	if (!sug && json_is_string(val) && !is_ascii(json_string_value(val)) &&
	    nb_valuehint_enum_label(key, sizeof(key), en, json_string_value(val))) {
		snprintf(hint, sizeof(hint), "change it to `%s`", key);
		report(v, nb_buf_cstr(&v->ptr), 0, "field-enum", hint,
		       "`%s: %s` is the label of `%s`: write the value itself",
		       nb_buf_cstr(&v->show), nb_buf_cstr(&s), key);
	} else if (sug) {
		snprintf(hint, sizeof(hint), "change it to `%s`", sug);
		report(v, nb_buf_cstr(&v->ptr), 0, "field-enum", hint,
		       "`%s: %s` is not one of the allowed values: did you mean `%s`?",
		       nb_buf_cstr(&v->show), nb_buf_cstr(&s), sug);
	} else {
		snprintf(hint, sizeof(hint), "use one of: %s", nb_buf_cstr(&list));
		report(v, nb_buf_cstr(&v->ptr), 0, "field-enum", hint,
		       "`%s: %s` is not one of the allowed values",
		       nb_buf_cstr(&v->show), nb_buf_cstr(&s));
	}
	free(names);
	nb_buf_free(&list);
	nb_buf_free(&s);
}

static void check_ref(vctx *v, const json_t *sch, const json_t *val)
{
	const char *kind = str_field(sch, "ref");
	const char *id = json_string_value(val);
	if (!kind || !id)
		return;
	char nb1[64], nb2[64];
	const char *noun = kind_noun(kind, nb1, sizeof(nb1));
	const char *show = nb_buf_cstr(&v->show);
	const char *ptr = nb_buf_cstr(&v->ptr);
	const nb_doc *t = doc_by_id(v, id);
	char hint[512];
	if (!t) {
		/* A document that failed to load has its error reported already;
		 * a second error here for every reference to it would bury the
		 * one that matters. */
		for (size_t i = 0; i < v->c->len; i++) {
			const nb_doc *o = &v->c->docs[i];
			if (!o->ok && o->id) {
				/* Its id may be only the path-derived one. */
				const char *base = strrchr(o->id, '/');
				if (!strcmp(o->id, id) || (base && !strcmp(base + 1, id)))
					return;
			}
		}
		/* Suggest among the published documents of the wanted kind. */
		const char **ids = calloc(v->c->len + 1, sizeof(*ids));
		if (!ids)
			abort();
		size_t n = 0;
		for (size_t i = 0; i < v->c->len; i++) {
			const nb_doc *o = &v->c->docs[i];
			if (o->ok && !o->draft && !strcmp(o->kind, kind))
				ids[n++] = o->id;
		}
		const char *sug = nb_suggest(id, ids, n);
		if (sug) {
			snprintf(hint, sizeof(hint), "change it to `%s`", sug);
			report(v, ptr, 0, "ref-unknown", hint,
			       "`%s: %s` does not name any %s: did you mean `%s`?",
			       show, id, noun, sug);
		} else {
			snprintf(hint, sizeof(hint),
				 "write the `id:` of the %s, or its file path under content/%s/ without .md",
				 noun, kind);
			report(v, ptr, 0, "ref-unknown", hint,
			       "`%s: %s` does not name any %s", show, id, noun);
		}
		free(ids);
		return;
	}
	if (strcmp(t->kind, kind)) {
		snprintf(hint, sizeof(hint), "write the id of a %s here", noun);
		report(v, ptr, 0, "ref-wrong-kind", hint,
		       "`%s: %s` names a %s (%s), not a %s", show, id,
		       kind_noun(t->kind, nb2, sizeof(nb2)), t->path, noun);
		return;
	}
	if (t->draft && !v->doc->draft) {
		snprintf(hint, sizeof(hint),
			 "publish that %s first (remove `draft: true` from %s), or mark this document as a draft too",
			 noun, t->path);
		report(v, ptr, 0, "ref-draft", hint,
		       "`%s: %s` refers to a draft %s, which is not published",
		       show, id, noun);
		return;
	}
	if (json_is_true(json_object_get(sch, "same_community"))) {
		const char *mine = str_field(v->meta, "community");
		const char *theirs = nb_doc_str(t, "community");
		if (mine && theirs && strcmp(mine, theirs)) {
			snprintf(hint, sizeof(hint),
				 "name a %s of community `%s`, or correct `community:`",
				 noun, mine);
			report(v, ptr, 0, "ref-other-community", hint,
			       "`%s: %s` is a %s of community `%s`, but this document belongs to community `%s`",
			       show, id, noun, theirs, mine);
		}
	}
}

static void check_fields(vctx *v, const json_t *fields, const json_t *obj);

static void check_list(vctx *v, const json_t *sch, const json_t *val)
{
	check_count(v, sch, val);
	const json_t *items = json_object_get(sch, "items");
	if (!json_is_object(items))
		return;
	size_t i;
	const json_t *x;
	json_array_foreach(val, i, x) {
		vmark m = path_index(v, i);
		check_value(v, items, x);
		path_pop(v, m);
	}
}

/* Does an alternative of one_of fit the value's type? */
static int alt_fits(const json_t *alt, const json_t *val)
{
	int types[NB_VT_COUNT];
	int n = nb_schema_types(alt, types);
	if (!n)
		return 1;
	for (int i = 0; i < n; i++)
		if (type_accepts(types[i], val))
			return 1;
	return 0;
}

static void check_value(vctx *v, const json_t *sch, const json_t *val)
{
	const json_t *alts = json_object_get(sch, "one_of");
	if (json_is_array(alts) && json_array_size(alts)) {
		size_t i;
		const json_t *alt;
		json_array_foreach(alts, i, alt)
			if (alt_fits(alt, val)) {
				check_value(v, alt, val);
				return;
			}
		int types[NB_VT_COUNT], n = 0;
		json_array_foreach(alts, i, alt) {
			int t[NB_VT_COUNT];
			int k = nb_schema_types(alt, t);
			for (int j = 0; j < k && n < NB_VT_COUNT; j++)
				types[n++] = t[j];
		}
		type_error(v, sch, types, n, val);
		return;
	}
	int types[NB_VT_COUNT];
	int n = nb_schema_types(sch, types);
	int t = -1;
	for (int i = 0; i < n && t < 0; i++)
		if (type_accepts(types[i], val))
			t = types[i];
	if (n && t < 0) {
		type_error(v, sch, types, n, val);
		return;
	}
	switch (t) {
	case NB_VT_DATE: check_date(v, sch, val); break;
	case NB_VT_TIME: check_time(v, sch, val); break;
	case NB_VT_PERIOD: check_period(v, sch, val); break;
	case NB_VT_INTEGER: case NB_VT_NUMBER: check_range(v, sch, val); break;
	case NB_VT_LIST: check_list(v, sch, val); break;
	case NB_VT_OBJECT: {
		const json_t *f = json_object_get(sch, "fields");
		if (json_is_object(f))
			check_fields(v, f, val);
		break;
	}
	case NB_VT_REF: check_ref(v, sch, val); break;
	default: break;
	}
	const json_t *en = json_object_get(sch, "enum");
	if (json_is_array(en))
		check_enum(v, en, val);
}

static void check_fields(vctx *v, const json_t *fields, const json_t *obj)
{
	const char *key;
	const json_t *fs, *val;
	char hint[512];
	json_object_foreach((json_t *)fields, key, fs) {
		if (!json_is_true(json_object_get(fs, "required")))
			continue;
		val = json_object_get(obj, key);
		const char *hs = str_field(fs, "hint");
		/* `title: ""` is as empty as `title:` (schemas/README.md:
		 * "present and not empty"): `new --title ""` writes it. */
		if (val && !json_is_null(val) && !(json_is_string(val) && !json_string_length(val))) {
			continue;
		} else if (val) {
			vmark m = path_key(v, key);
			snprintf(hint, sizeof(hint), "%s", hs ? hs : "write a value after the colon");
			report(v, nb_buf_cstr(&v->ptr), 1, "field-required", hint,
			       "`%s` is required but empty", nb_buf_cstr(&v->show));
			path_pop(v, m);
		} else if (!v->show.len) {
			snprintf(hint, sizeof(hint), "%s", hs ? hs : "");
			if (!hs)
				snprintf(hint, sizeof(hint), "add a line `%s: …` to the front matter", key);
			report(v, "", 0, "field-required", hint,
			       "the required field `%s` is missing", key);
		} else {
			if (hs)
				snprintf(hint, sizeof(hint), "%s", hs);
			else
				snprintf(hint, sizeof(hint), "add `%s: …` to `%s`", key,
					 nb_buf_cstr(&v->show));
			report(v, nb_buf_cstr(&v->ptr), 0, "field-required", hint,
			       "`%s` lacks the required field `%s`",
			       nb_buf_cstr(&v->show), key);
		}
	}
	size_t nf = json_object_size(fields), k = 0;
	const char **names = calloc(nf + 1, sizeof(*names));
	if (!names)
		abort();
	json_object_foreach((json_t *)fields, key, fs)
		names[k++] = key;
	json_object_foreach((json_t *)obj, key, val) {
		vmark m = path_key(v, key);
		fs = json_object_get(fields, key);
		if (fs) {
			if (!json_is_null(val))
				check_value(v, fs, val);
		} else {
			/* Unknown fields are the templates' business, unless
			 * one is a near-miss of a known field. */
			const char *sug = nb_suggest(key, names, k);
			if (sug) {
				snprintf(hint, sizeof(hint), "rename it to `%s`", sug);
				report(v, nb_buf_cstr(&v->ptr), 1, "field-unknown", hint,
				       "unknown field `%s`: did you mean `%s`?", key, sug);
			}
		}
		path_pop(v, m);
	}
	free(names);
}

/* ---- rules: cross-field and cross-document checks ---- */

typedef void (*rule_fn)(vctx *v);

/* Roles that make a committee member its chair (自治会主任/主席/召集人). */
static int is_chair(const json_t *member)
{
	static const char *const roles[] = { "主任", "主席", "chair", "召集人" };
	const json_t *c = json_object_get(member, "chair");
	if (json_is_boolean(c))
		return json_is_true(c); /* an explicit answer beats the role */
	const char *role = str_field(member, "role");
	if (!role)
		return 0;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(role, roles[i]))
			return 1;
	return 0;
}

static void rule_committee_has_one_chair(vctx *v)
{
	const json_t *com = json_object_get(v->meta, "committee");
	if (!json_is_array(com) || !json_array_size(com))
		return;
	size_t i, chairs = 0, first = 0;
	const json_t *m;
	json_array_foreach(com, i, m) {
		if (!json_is_object(m) || !is_chair(m))
			continue;
		if (chairs++ == 0) {
			first = i;
			continue;
		}
		char ptr[64], hint[512];
		snprintf(ptr, sizeof(ptr), "/committee/%zu", i);
		const char *a = str_field(json_array_get(com, first), "name");
		const char *b = str_field(m, "name");
		snprintf(hint, sizeof(hint),
			 "a committee has one chair; give `%s` another role (e.g. 副主任), or `chair: false`",
			 b ? b : "this member");
		report(v, ptr, 0, "committee-many-chairs", hint,
		       "the committee has more than one chair: `%s` and `%s`",
		       a ? a : "?", b ? b : "?");
	}
	if (!chairs)
		report(v, "/committee", 0, "committee-no-chair",
		       "give the chair `role: 主任` (or 主席, 召集人, chair), or add `chair: true` to the chair's entry",
		       "the committee has no chair");
}

static void rule_meeting_ends_after_start(vctx *v)
{
	const char *s = str_field(v->meta, "start");
	const char *e = str_field(v->meta, "end");
	int a = nb_meta_time(s), b = nb_meta_time(e);
	if (a < 0 || b < 0 || b > a)
		return;
	report(v, "/end", 0, "time-order",
	       "check both times; use the 24-hour clock, e.g. 19:00 to 21:00",
	       "the meeting ends (`end: %s`) before it starts (`start: %s`)", e, s);
}

static void rule_approved_at_later_meeting(vctx *v)
{
	const json_t *meta = v->meta;
	const nb_doc *a = resolve(v, meta, "approved_at", "meetings");
	if (!a)
		return;
	const char *hint = "minutes are approved at a later meeting; write the id of the meeting that approved them";
	if (a == v->doc) {
		report(v, "/approved_at", 0, "approved-at-earlier", hint,
		       "a meeting cannot approve its own minutes (`approved_at: %s`)", a->id);
		return;
	}
	const char *d0 = str_field(meta, "date"), *d1 = nb_doc_str(a, "date");
	if (!is_date(d0) || !is_date(d1))
		return;
	int cmp = strcmp(d1, d0);
	int t0 = nb_meta_time(str_field(meta, "start"));
	int t1 = nb_meta_time(nb_doc_str(a, "start"));
	/* On the same day only known start times can say which came first. */
	if (cmp < 0)
		report(v, "/approved_at", 0, "approved-at-earlier", hint,
		       "`approved_at: %s` is a meeting held on %s, before this meeting (%s)",
		       a->id, d1, d0);
	else if (cmp == 0 && t0 >= 0 && t1 >= 0 && t1 <= t0)
		report(v, "/approved_at", 0, "approved-at-earlier", hint,
		       "`approved_at: %s` is a meeting held on the same day (%s) but not after this one",
		       a->id, d1);
}

/* Vote counts; 0 when the votes are not all usable numbers (the field
 * checks report those). Missing counts are zero. */
static int get_votes(const json_t *meta, long long out[3])
{
	static const char *const keys[] = { "for", "against", "abstain" };
	const json_t *votes = json_object_get(meta, "votes");
	if (!json_is_object(votes))
		return 0;
	for (int i = 0; i < 3; i++) {
		const json_t *x = json_object_get(votes, keys[i]);
		if (!x || json_is_null(x))
			out[i] = 0;
		else if (json_is_integer(x) && json_integer_value(x) >= 0)
			out[i] = (long long)json_integer_value(x);
		else
			return 0;
	}
	return 1;
}

static void rule_votes_within_attendees(vctx *v)
{
	long long n[3];
	const nb_doc *m = resolve(v, v->meta, "meeting", "meetings");
	if (!m || !get_votes(v->meta, n))
		return;
	json_t *att = nb_doc_get(m, "attendees");   /* a copy, ours */
	int list = json_is_array(att);
	size_t have = json_array_size(att);
	json_decref(att);
	if (!list)
		return;
	/* Compare in floating point: counts near LLONG_MAX must not overflow. */
	long double cast = (long double)n[0] + n[1] + n[2];
	if (cast <= (long double)have)
		return;
	report(v, "/votes", 0, "votes-exceed-attendees",
	       "check the counts, or add the missing names to the meeting's attendees",
	       "votes (for %lld + against %lld + abstain %lld = %.0Lf) exceed the %zu attendees of meeting `%s`",
	       n[0], n[1], n[2], cast, have, m->id);
}

const char *nb_validate_vote_result(long long for_, long long against,
				    long long abstain, const char *rule)
{
	if (for_ == 0 && against == 0 && abstain == 0)
		return "deferred";
	/* 128-bit arithmetic: the products cannot overflow. */
	__int128 f = for_, cast = (__int128)for_ + against + abstain;
	if (rule && !strcmp(rule, "two-thirds"))
		return f * 3 >= cast * 2 ? "adopted" : "rejected";
	return f * 2 > cast ? "adopted" : "rejected";
}

static void rule_result_matches_votes(vctx *v)
{
	const json_t *meta = v->meta;
	const char *result = str_field(meta, "result");
	long long n[3];
	if (!result || !get_votes(meta, n))
		return;
	if (strcmp(result, "adopted") && strcmp(result, "rejected") &&
	    strcmp(result, "deferred"))
		return; /* field-enum already said so */
	const json_t *r = json_object_get(meta, "rule");
	const char *rule;
	if (r && !json_is_null(r)) {
		rule = json_string_value(r);
		if (!rule || (strcmp(rule, "majority") && strcmp(rule, "two-thirds")))
			return;
	} else {
		const json_t *fs = json_object_get(json_object_get(v->schema, "fields"), "rule");
		rule = str_field(fs, "default");
		if (!rule)
			rule = "majority";
	}
	const char *want = nb_validate_vote_result(n[0], n[1], n[2], rule);
	if (!strcmp(want, result))
		return;
	if (!n[0] && !n[1] && !n[2] && !strcmp(result, "adopted"))
		return; /* the template's 0/0/0: votes-placeholder (records.c) */
	char hint[512];
	snprintf(hint, sizeof(hint),
		 "check the vote counts and the rule, or change it to `result: %s`", want);
	const char *how = !strcmp(rule, "two-thirds")
		? "two thirds of the votes cast must be for"
		: "more than half of the votes cast must be for";
	report(v, "/result", 0, "result-mismatch", hint,
	       "`result: %s` does not agree with the votes: for %lld, against %lld, abstain %lld under the %s rule (%s) give `%s`",
	       result, n[0], n[1], n[2], rule, how, want);
}

static void rule_supersedes_earlier_decision(vctx *v)
{
	const json_t *meta = v->meta;
	const nb_doc *s = resolve(v, meta, "supersedes", "decisions");
	if (!s)
		return;
	if (s == v->doc) {
		report(v, "/supersedes", 0, "supersedes-self",
		       "write the id of the earlier decision this one replaces",
		       "a decision cannot supersede itself");
		return;
	}
	const char *d0 = str_field(meta, "date"), *d1 = nb_doc_str(s, "date");
	if (is_date(d0) && is_date(d1) && strcmp(d1, d0) > 0)
		report(v, "/supersedes", 0, "supersedes-later",
		       "a decision can only replace an earlier one; check the id and both dates",
		       "`supersedes: %s` was decided on %s, after this decision (%s)",
		       s->id, d1, d0);
}

/* Uniqueness: the first published document with `key` wins; later ones
 * get the error. Drafts are left out: they publish nothing to clash with. */
static const nb_doc *claim(vctx *v, const char *key)
{
	if (v->doc->draft)
		return NULL;
	json_t *prev = json_object_get(v->seen, key);
	if (prev)
		return &v->c->docs[json_integer_value(prev)];
	json_object_set_new(v->seen, key,
			    json_integer((json_int_t)(v->doc - v->c->docs)));
	return NULL;
}

static void rule_charter_version_unique(vctx *v)
{
	const char *com = str_field(v->meta, "community");
	const json_t *ver = json_object_get(v->meta, "version");
	if (!com || !json_is_integer(ver))
		return;
	nb_buf key = NB_BUF_INIT;
	nb_buf_printf(&key, "charter\x1f%s\x1f%lld", com, (long long)json_integer_value(ver));
	const nb_doc *prev = claim(v, nb_buf_cstr(&key));
	nb_buf_free(&key);
	if (!prev)
		return;
	char hint[512];
	snprintf(hint, sizeof(hint),
		 "each version of a charter has its own number; %s already is version %lld",
		 prev->path, (long long)json_integer_value(ver));
	report(v, "/version", 0, "charter-version-duplicate", hint,
	       "community `%s` already has a charter version %lld", com,
	       (long long)json_integer_value(ver));
}

static void rule_charter_path_matches(vctx *v)
{
	const char *com = str_field(v->meta, "community");
	const json_t *ver = json_object_get(v->meta, "version");
	if (!com || !json_is_integer(ver))
		return;
	long long n = (long long)json_integer_value(ver);
	nb_buf want = NB_BUF_INIT;
	nb_buf_printf(&want, "content/charters/%s/v%lld.md", com, n);
	const char *path = v->doc->path;
	if (strcmp(path, nb_buf_cstr(&want))) {
		/* Point at the field that disagrees with the file name. */
		static const char prefix[] = "content/charters/";
		const char *where = "";
		if (!strncmp(path, prefix, sizeof(prefix) - 1)) {
			const char *folder = path + sizeof(prefix) - 1;
			const char *slash = strchr(folder, '/');
			if (slash && (size_t)(slash - folder) == strlen(com) &&
			    !strncmp(folder, com, strlen(com)))
				where = "/version";
			else if (slash)
				where = "/community";
		}
		char hint[512];
		snprintf(hint, sizeof(hint),
			 "move the file to %s, or correct `community:` / `version:`",
			 nb_buf_cstr(&want));
		report(v, where, 0, "charter-path-mismatch", hint,
		       "this charter says community `%s`, version %lld, but its file is %s",
		       com, n, path);
	}
	nb_buf_free(&want);
}

static void rule_evaluation_period_unique(vctx *v)
{
	const char *com = str_field(v->meta, "community");
	const json_t *p = json_object_get(v->meta, "period");
	if (!com || !is_period(p))
		return;
	nb_buf per = NB_BUF_INIT, key = NB_BUF_INIT;
	show_value(&per, p);
	nb_buf_printf(&key, "period\x1f%s\x1f%s", com, nb_buf_cstr(&per));
	const nb_doc *prev = claim(v, nb_buf_cstr(&key));
	if (prev) {
		char hint[512];
		snprintf(hint, sizeof(hint),
			 "one evaluation per community and period; merge it with %s or correct `period:`",
			 prev->path);
		report(v, "/period", 0, "period-duplicate", hint,
		       "community `%s` already has an evaluation for %s",
		       com, nb_buf_cstr(&per));
	}
	nb_buf_free(&per);
	nb_buf_free(&key);
}

/* The record's own consistency (records.c). */
static void rule_meeting_people_consistent(vctx *v)
{
	nb_records_meeting(v->doc, v->meta, resolve(v, v->meta, "community", "communities"),
			   v->d);
}

static void rule_decision_dates_consistent(vctx *v)
{
	nb_records_decision(v->doc, resolve(v, v->meta, "meeting", "meetings"), v->d);
}

static const struct {
	const char *name;
	rule_fn fn;
} rule_table[] = {
	{ "meeting_people_consistent", rule_meeting_people_consistent },
	{ "decision_dates_consistent", rule_decision_dates_consistent },
	{ "committee_has_one_chair", rule_committee_has_one_chair },
	{ "meeting_ends_after_start", rule_meeting_ends_after_start },
	{ "approved_at_later_meeting", rule_approved_at_later_meeting },
	{ "votes_within_attendees", rule_votes_within_attendees },
	{ "result_matches_votes", rule_result_matches_votes },
	{ "supersedes_earlier_decision", rule_supersedes_earlier_decision },
	{ "charter_version_unique", rule_charter_version_unique },
	{ "charter_path_matches", rule_charter_path_matches },
	{ "evaluation_period_unique", rule_evaluation_period_unique },
};
#define N_RULES (sizeof(rule_table) / sizeof(rule_table[0]))

static rule_fn rule_find(const char *name)
{
	for (size_t i = 0; i < N_RULES; i++)
		if (!strcmp(rule_table[i].name, name))
			return rule_table[i].fn;
	return NULL;
}

/* The names schemas may list under `rules:`, for schema.c to check. */
static void rule_names(const char *names[N_RULES])
{
	for (size_t i = 0; i < N_RULES; i++)
		names[i] = rule_table[i].name;
}

int nb_validate(const nb_content *c, const nb_config *cfg, nb_diag *d)
{
	size_t before = d->errors;
	vctx v;
	memset(&v, 0, sizeof(v));
	v.c = c;
	v.d = d;
	v.ids = json_object();
	v.seen = json_object();
	nb_buf_init(&v.ptr);
	nb_buf_init(&v.show);
	nb_buf_grow(&v.ptr, 64);
	nb_buf_grow(&v.show, 64);

	for (size_t i = 0; i < c->len; i++)
		if (c->docs[i].ok && !json_object_get(v.ids, c->docs[i].id))
			json_object_set_new(v.ids, c->docs[i].id,
					    json_integer((json_int_t)i));

	const char *names[N_RULES];
	rule_names(names);
	json_t *schemas = nb_schema_load(c, cfg, names, N_RULES, d);

	for (size_t i = 0; i < c->len; i++) {
		const nb_doc *doc = &c->docs[i];
		if (!doc->ok)
			continue;
		v.doc = doc;
		v.schema = json_object_get(schemas, doc->kind);
		nb_buf_clear(&v.ptr);
		nb_buf_clear(&v.show);
		json_t *meta = nb_doc_meta(doc);
		v.meta = meta;
		if (json_is_object(meta))
			check_fields(&v, json_object_get(v.schema, "fields"), meta);
		nb_records_placeholders(doc, meta, d);
		size_t j;
		const json_t *r;
		json_array_foreach(json_object_get(v.schema, "rules"), j, r) {
			rule_fn fn = rule_find(json_string_value(r));
			if (fn)
				fn(&v);
		}
		json_decref(meta);
		v.meta = NULL;
	}

	json_decref(schemas);
	json_decref(v.ids);
	json_decref(v.seen);
	nb_buf_free(&v.ptr);
	nb_buf_free(&v.show);
	return d->errors > before ? -1 : 0;
}

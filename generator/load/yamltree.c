/*
 * yamltree.c - YAML text to a jansson tree plus a position table; see yamltree.h.
 *
 * We drive libyaml's *event* parser rather than its document loader for
 * three reasons: the loader keeps a full node graph (twice the memory),
 * it expands aliases without any limit (the "billion laughs" attack), and
 * it loses the mapping between a value and the place it was written. With
 * events we build the jansson tree directly, recording for every value its
 * JSON Pointer path and the line/column of its key and value, and we can
 * stop the moment a limit is crossed.
 *
 * Aliases share the anchored value (json_incref) instead of copying it, so
 * an alias bomb costs no memory before the node limit stops it. The tree is
 * therefore a DAG: callers must treat it as read-only (json_deep_copy before
 * mutating). Only the alias itself is in the position table; paths below
 * it resolve, through nb_yaml_pos's ancestor fallback, to the alias.
 *
 * An anchor is registered only after its node is complete, so an alias to
 * an enclosing node is "undefined" and cycles cannot be built.
 *
 * The position table comes in two forms with one reader, nb_yaml_pos. The
 * documented one is a jansson object of [kl, kc, vl, vc] arrays; each entry
 * costs about 350 bytes (an array, four integers, a hash pair), which is
 * fine for site.yaml and schemas but was 70 MB for the front matter of
 * 10,000 documents, all kept alive until the site is linked. The compact form
 * (nb_yaml_load_compact) is one JSON string of text records
 * "<pathlen>:<path> <kl> <kc> <vl> <vc>\n", about 25 bytes an entry.
 * It is searched linearly, which is fine because positions are looked
 * up only to report a problem, and a document has tens of entries. It stays
 * valid UTF-8 (paths come from validated keys, the rest is ASCII), so even
 * dumping it by mistake gives readable JSON.
 *
 * Builder recursion depth is bounded by limits.max_depth (checked before
 * descending), so hostile nesting cannot overflow the C stack.
 *
 * Plain scalars are typed by the YAML 1.2 core schema (libyaml itself does
 * no typing). JSON cannot hold infinity or NaN, so `.inf` and `.nan` are
 * reported as errors rather than silently turned into something else.
 */
#include "load/yamltree.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "load/yamlhint.h"

#define TAG_PREFIX "tag:yaml.org,2002:"

typedef struct anchor {
	char *name;
	json_t *val;     /* borrowed reference held by the tree */
	size_t nodes;    /* nodes in val after expansion */
} anchor;

typedef struct ctx {
	yaml_parser_t parser;
	const char *file;
	int first_line;
	nb_diag *d;
	int max_depth;
	size_t max_aliases, max_nodes, max_scalar;
	int compact;     /* positions go to `tab`, not `pos` */
	json_t *pos;
	nb_buf tab;      /* the compact table being built */
	anchor *anchors;
	size_t nanchors, capanchors;
	size_t aliases, nodes;
	nb_buf path;     /* JSON Pointer of the node being built */
	size_t parsed_line;  /* where the last event parsed ends (yamlhint.h) */
} ctx;

static int line_of(const ctx *c, yaml_mark_t m)
{
	return (int)m.line + c->first_line;
}

static int col_of(yaml_mark_t m)
{
	return (int)m.column + 1;
}

/* ---- syntax errors ---- */

static const char *syntax_hint(const ctx *c, const char *problem,
			       const char *context, const char *src,
			       size_t len)
{
	const yaml_parser_t *p = &c->parser;
	size_t at = p->problem_mark.index;
	/* mark.index counts characters; it equals the byte offset as long as
	 * everything before is ASCII, which is the case we need: a tab in
	 * indentation. Check both to be safe. */
	if (problem && strstr(problem, "cannot start any token") && at < len &&
	    src[at] == '\t')
		return "YAML does not allow tabs for indentation; use spaces";
	if (problem && strstr(problem, "tab"))
		return "YAML does not allow tabs for indentation; use spaces";
	/* `title: @会议`: the value, not the line, is at fault. */
	if (problem && strstr(problem, "cannot start any token") && at < len &&
	    (src[at] == '@' || src[at] == '`' || src[at] == '%'))
		return "YAML keeps @, ` and % for itself at the start of a value; "
		       "put the whole value in quotes, e.g. title: \"@value\"";
	/* `path: "C:\docs"`: the quote is closed, the backslash is the cause. */
	if (problem && (strstr(problem, "escape") || strstr(problem, "hexdecimal")))
		return "inside double quotes a backslash starts an escape like \\n; "
		       "write \\\\ for a backslash, or use single quotes";
	if (context && strstr(context, "quoted scalar"))
		return "a quoted value is missing its closing quote; add the "
		       "matching \" or ' at the end of the value";
	if (problem && strstr(problem, "mapping values are not allowed"))
		return "a value contains ': ' (colon and space) where YAML "
		       "does not expect a new field; put the whole value in "
		       "quotes, or check the indentation of this line";
	if (context && strstr(context, "simple key"))
		return "every field needs a colon followed by a space, like "
		       "`title: value`";
	if (context && strstr(context, "flow"))
		return "a [ or { list is not closed, or its items are not "
		       "separated by commas; add the missing , ] or }";
	if (problem && (strstr(problem, "did not find expected") ||
			strstr(problem, "indentation")))
		return "check the indentation of this line; YAML uses spaces, "
		       "and items of one list must line up";
	return "check this line and the one before it for a missing colon, "
	       "an unclosed quote or wrong indentation";
}

static void report_syntax(ctx *c, const char *src, size_t len)
{
	yaml_parser_t *p = &c->parser;
	const char *problem = p->problem ? p->problem : "unknown problem";
	const char *context = p->context;
	int line, col;

	if (p->error == YAML_READER_ERROR || p->error == YAML_MEMORY_ERROR) {
		/* Reader errors carry a byte offset, not a mark. */
		line = c->first_line, col = 1;
		for (size_t i = 0; i < p->problem_offset && i < len; i++) {
			if (src[i] == '\n')
				line++, col = 1;
			else if (((unsigned char)src[i] & 0xC0) != 0x80)
				col++;
		}
		nb_error(c->d, c->file, line, col, "yaml-syntax",
			 "save the file as UTF-8",
			 "YAML syntax error: %s", problem);
		return;
	}
	/* A full-width colon, a tab or text after a quote: say so, where it is. */
	if (nb_yaml_hint_cause(c->d, c->file, c->first_line, src, len, c->parsed_line,
			       p->problem_mark.line))
		return;
	yaml_mark_t m = p->problem_mark;
	/* An unclosed quote runs to the end of the file, and a key without
	 * its colon is noticed only on a later line; where the quote or the
	 * key started is what the author needs to see. */
	if (context && (strstr(context, "quoted scalar") ||
			strstr(context, "simple key")))
		m = p->context_mark;
	/* An unclosed [ or { is noticed only where the input ends; the
	 * bracket that was never closed is the place to look. */
	if (context && strstr(context, "flow") &&
	    p->problem_mark.line > p->context_mark.line)
		m = p->context_mark;
	line = line_of(c, m);
	col = col_of(m);
	const char *hint = syntax_hint(c, problem, context, src, len);
	if (context)
		nb_error(c->d, c->file, line, col, "yaml-syntax", hint,
			 "YAML syntax error: %s %s", problem, context);
	else
		nb_error(c->d, c->file, line, col, "yaml-syntax", hint,
			 "YAML syntax error: %s", problem);
}

/* ---- small helpers ---- */

static void put_pointer_segment(nb_buf *b, const char *key)
{
	nb_buf_putc(b, '/');
	for (const char *k = key; *k; k++) {
		if (*k == '~')
			nb_buf_puts(b, "~0");
		else if (*k == '/')
			nb_buf_puts(b, "~1");
		else
			nb_buf_putc(b, *k);
	}
}

/* ---- the compact position table ---- */

static void put_int(nb_buf *b, int v)
{
	char tmp[16];
	size_t n = 0;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		tmp[n++] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		tmp[n++] = '-';
	nb_buf_grow(b, n);
	while (n)
		b->ptr[b->len++] = tmp[--n];
	b->ptr[b->len] = '\0';
}

static void compact_put(nb_buf *t, const char *path, size_t plen,
			const int v[4])
{
	put_int(t, (int)plen);
	nb_buf_putc(t, ':');
	nb_buf_put(t, path, plen);
	for (int i = 0; i < 4; i++) {
		nb_buf_putc(t, ' ');
		put_int(t, v[i]);
	}
	nb_buf_putc(t, '\n');
}

/* Parse an optionally negative decimal at *p (< end); advances *p. */
static int get_int(const char **p, const char *end)
{
	const char *q = *p;
	int neg = q < end && *q == '-';
	q += neg;
	unsigned u = 0;
	while (q < end && *q >= '0' && *q <= '9')
		u = u * 10 + (unsigned)(*q++ - '0');
	*p = q;
	return neg ? (int)(0u - u) : (int)u;
}

/* Look `path` up in a compact table; 1 and v[] set when found. The last
 * record wins, as a repeated json_object_set would in the object form. A
 * malformed table (which we never write) ends the search, never reads
 * past `n`. */
static int compact_find(const char *t, size_t n, const char *path,
			size_t plen, int v[4])
{
	const char *p = t, *end = t + n;
	int found = 0;
	while (p < end) {
		size_t len = (size_t)get_int(&p, end);
		if (p >= end || *p != ':' || len > (size_t)(end - p - 1))
			break;
		const char *key = ++p;
		p += len;
		int w[4];
		for (int i = 0; i < 4; i++) {
			if (p >= end || *p != ' ')
				return found;
			p++;
			w[i] = get_int(&p, end);
		}
		if (p >= end || *p != '\n')
			break;
		p++;
		if (len == plen && memcmp(key, path, plen) == 0) {
			memcpy(v, w, sizeof w);
			found = 1;
		}
	}
	return found;
}

static void record_pos(ctx *c, yaml_mark_t key, yaml_mark_t val)
{
	int v[4] = { line_of(c, key), col_of(key), line_of(c, val),
		     col_of(val) };
	if (c->compact) {
		compact_put(&c->tab, c->path.ptr, c->path.len, v);
		return;
	}
	json_t *a = json_pack("[iiii]", v[0], v[1], v[2], v[3]);
	json_object_set_new(c->pos, nb_buf_cstr(&c->path), a);
}

/* Key line of the value at the current path, 0 when not recorded. */
static int recorded_key_line(const ctx *c)
{
	if (c->compact) {
		int v[4];
		return compact_find(c->tab.ptr, c->tab.len, c->path.ptr,
				    c->path.len, v) ? v[0] : 0;
	}
	json_t *p = json_object_get(c->pos, nb_buf_cstr(&c->path));
	return (int)json_integer_value(json_array_get(p, 0));
}

static const char *event_anchor(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.anchor;
	default:
		return NULL;
	}
}

static const char *event_tag(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.tag;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.tag;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.tag;
	default:
		return NULL;
	}
}

/* Short form of a tag for messages: "tag:yaml.org,2002:int" -> "!!int". */
static void tag_display(const char *tag, char *out, size_t n)
{
	size_t pl = strlen(TAG_PREFIX);
	if (strncmp(tag, TAG_PREFIX, pl) == 0)
		snprintf(out, n, "!!%s", tag + pl);
	else
		snprintf(out, n, "%s", tag);
}

static int tag_is(const char *tag, const char *name)
{
	size_t pl = strlen(TAG_PREFIX);
	return tag && strncmp(tag, TAG_PREFIX, pl) == 0 &&
	       strcmp(tag + pl, name) == 0;
}

/* ---- plain scalar typing (YAML 1.2 core schema) ---- */

static int is_null_form(const char *s)
{
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static int bool_form(const char *s)
{
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return 1;
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return 0;
	return -1;
}

static int all_in(const char *s, const char *set)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr(set, *s))
			return 0;
	return 1;
}

/* 1 and *v set: an integer; 2: integer form but out of range; 0: not. */
static int int_form(const char *s, json_int_t *v)
{
	int base = 10;
	const char *digits = s;
	if (!strncmp(s, "0x", 2) && all_in(s + 2, "0123456789abcdefABCDEF"))
		base = 16, digits = s + 2;
	else if (!strncmp(s, "0o", 2) && all_in(s + 2, "01234567"))
		base = 8, digits = s + 2;
	else if (!all_in(*s == '-' || *s == '+' ? s + 1 : s, "0123456789"))
		return 0;
	errno = 0;
	char *end;
	long long x = strtoll(digits, &end, base);
	if (errno == ERANGE || *end)
		return 2;
	*v = (json_int_t)x;
	return 1;
}

/* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static int float_form(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	int digits = 0;
	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == '.') {
		p++;
		int frac = 0;
		while (*p >= '0' && *p <= '9')
			p++, frac++;
		if (!digits && !frac)
			return 0;
	} else if (!digits) {
		return 0;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

static int special_float_form(const char *s)
{
	const char *p = (*s == '-' || *s == '+') ? s + 1 : s;
	if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF"))
		return 1;
	return !strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN");
}

static int scalar_error(ctx *c, yaml_mark_t m, const char *code,
			const char *hint, const char *msg, const char *val)
{
	nb_error(c->d, c->file, line_of(c, m), col_of(m), code, hint, msg,
		 val);
	return -1;
}

/* Build the value of a scalar event. `tag` is NULL for untagged plain
 * scalars, which are the only ones the core schema types. */
static int build_scalar(ctx *c, const yaml_event_t *ev, json_t **out)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	yaml_mark_t m = ev->start_mark;
	int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;

	if (n > c->max_scalar) {
		nb_error(c->d, c->file, line_of(c, m), col_of(m), "yaml-limit",
			 "the limit is set by limits.yaml_scalar in site.yaml; "
			 "raise it if this value is meant to be that long",
			 "value is %zu bytes, more than the limit of %zu bytes",
			 n, c->max_scalar);
		return -1;
	}
	if (memchr(s, '\0', n))
		return scalar_error(c, m, "yaml-nul",
				    "remove the \\0 escape from the value",
				    "value contains a NUL character%s", "");

	/* "!" is the non-specific tag: it forces plain-scalar resolution
	 * off, i.e. the value is a string. */
	if (tag && strcmp(tag, "!") == 0)
		tag = TAG_PREFIX "str";
	if (!tag && !plain)
		tag = TAG_PREFIX "str";

	if (tag_is(tag, "str")) {
		*out = json_stringn(s, n);
		return *out ? 0 : scalar_error(c, m, "yaml-utf8",
					       "save the file as UTF-8",
					       "value is not valid UTF-8%s", "");
	}

	json_int_t iv = 0;
	int ik = int_form(s, &iv);
	int b = bool_form(s);
	int special = special_float_form(s);

	if (tag && !tag_is(tag, "int") && !tag_is(tag, "float") &&
	    !tag_is(tag, "bool") && !tag_is(tag, "null")) {
		char shown[128];
		tag_display(tag, shown, sizeof shown);
		return scalar_error(c, m, "yaml-tag",
				    "remove the tag; the supported tags are "
				    "!!str, !!int, !!float, !!bool, !!null, "
				    "!!map and !!seq",
				    "unsupported YAML tag %s", shown);
	}
	if (special && (!tag || tag_is(tag, "float")))
		return scalar_error(c, m, "yaml-float",
				    "put the value in quotes to keep it as text",
				    "%s cannot be stored: JSON has no infinity "
				    "or NaN", s);
	if (tag_is(tag, "null") || (!tag && is_null_form(s))) {
		if (!is_null_form(s))
			return scalar_error(c, m, "yaml-tag",
					    "use ~ or null, or remove the tag",
					    "value '%s' is not null (tag !!null)",
					    s);
		*out = json_null();
		return 0;
	}
	if (tag_is(tag, "bool") || (!tag && b >= 0)) {
		if (b < 0)
			return scalar_error(c, m, "yaml-tag",
					    "use true or false, or remove the tag",
					    "value '%s' is not a boolean (tag !!bool)",
					    s);
		*out = json_boolean(b);
		return 0;
	}
	if (tag_is(tag, "int") || (!tag && ik)) {
		if (ik == 1) {
			*out = json_integer(iv);
			return 0;
		}
		if (tag_is(tag, "int"))
			return scalar_error(c, m, "yaml-tag",
					    ik == 2 ? "the number is too large; "
						      "put it in quotes to keep it as text"
						    : "remove the tag or fix the number",
					    "value '%s' is not an integer (tag !!int)",
					    s);
		/* Untagged and too large: keep the digits as text rather than
		 * lose precision (think of long reference numbers). */
		*out = json_stringn(s, n);
		return 0;
	}
	if (tag_is(tag, "float") || (!tag && float_form(s))) {
		if (!float_form(s) && ik != 1)
			return scalar_error(c, m, "yaml-tag",
					    "remove the tag or fix the number",
					    "value '%s' is not a number (tag !!float)",
					    s);
		double d = strtod(s, NULL);
		if (!isfinite(d))
			return scalar_error(c, m, "yaml-float",
					    "put the value in quotes to keep it as text",
					    "number %s is too large", s);
		*out = json_real(d);
		return 0;
	}
	*out = json_stringn(s, n);
	return *out ? 0 : scalar_error(c, m, "yaml-utf8",
				       "save the file as UTF-8",
				       "value is not valid UTF-8%s", "");
}

/* ---- the tree builder ---- */

static int next_event(ctx *c, yaml_event_t *ev, const char *src, size_t len)
{
	if (!yaml_parser_parse(&c->parser, ev)) {
		report_syntax(c, src, len);
		return -1;
	}
	c->parsed_line = ev->end_mark.line;
	return 0;
}

typedef struct input {
	const char *src;
	size_t len;
} input;

static int build_node(ctx *c, const input *in, yaml_event_t *ev, int depth,
		      json_t **out, size_t *nodes);

static int check_nodes(ctx *c, yaml_mark_t m)
{
	if (c->nodes <= c->max_nodes)
		return 0;
	nb_error(c->d, c->file, line_of(c, m), col_of(m), "yaml-limit",
		 "the limit is set by limits.yaml_nodes in site.yaml; a file "
		 "this large is usually an alias bomb, not real content",
		 "YAML document has more than %zu values after expanding "
		 "aliases", c->max_nodes);
	return -1;
}

static int check_collection(ctx *c, const yaml_event_t *ev, int depth,
			    const char *want_tag, const char *what)
{
	const char *tag = event_tag(ev);
	if (tag && strcmp(tag, "!") != 0 && !tag_is(tag, want_tag)) {
		char shown[128];
		tag_display(tag, shown, sizeof shown);
		int known = tag_is(tag, "map") || tag_is(tag, "seq") ||
			    tag_is(tag, "str") || tag_is(tag, "int") ||
			    tag_is(tag, "float") || tag_is(tag, "bool") ||
			    tag_is(tag, "null");
		nb_error(c->d, c->file, line_of(c, ev->start_mark),
			 col_of(ev->start_mark), "yaml-tag",
			 known ? "remove the tag or change the value"
			       : "remove the tag; the supported tags are "
				 "!!str, !!int, !!float, !!bool, !!null, "
				 "!!map and !!seq",
			 known ? "tag %s does not fit a %s"
			       : "unsupported YAML tag %s on a %s",
			 shown, what);
		return -1;
	}
	if (depth + 1 > c->max_depth) {
		nb_error(c->d, c->file, line_of(c, ev->start_mark),
			 col_of(ev->start_mark), "yaml-limit",
			 "the limit is set by limits.yaml_depth in site.yaml",
			 "YAML nesting is deeper than the limit of %d levels",
			 c->max_depth);
		return -1;
	}
	return 0;
}

static int build_sequence(ctx *c, const input *in, yaml_event_t *start,
			  int depth, json_t **out, size_t *nodes)
{
	if (check_collection(c, start, depth, "seq", "list") < 0)
		return -1;
	json_t *arr = json_array();
	size_t base = c->path.len;
	for (size_t i = 0;; i++) {
		yaml_event_t ev;
		if (next_event(c, &ev, in->src, in->len) < 0)
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		nb_buf_printf(&c->path, "/%zu", i);
		record_pos(c, ev.start_mark, ev.start_mark);
		if (start->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE)
			nb_yaml_hint_flow_item(c->d, c->file, line_of(c, ev.start_mark),
					       col_of(ev.start_mark), &ev);
		json_t *item;
		size_t n;
		int rc = build_node(c, in, &ev, depth + 1, &item, &n);
		c->path.len = base;
		c->path.ptr[base] = '\0';
		if (rc < 0)
			goto fail;
		json_array_append_new(arr, item);
		*nodes += n;
	}
	*out = arr;
	return 0;
fail:
	json_decref(arr);
	return -1;
}

/* `<<` as a plain key (quoted, it is an ordinary key "<<"). */
static int is_merge_key(const yaml_event_t *kev)
{
	const char *tag = event_tag(kev);
	return kev->data.scalar.length == 2 && !memcmp(kev->data.scalar.value, "<<", 2) &&
	       ((kev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag) ||
		(tag && tag_is(tag, "merge")));
}

/*
 * A merge key, `<<: *base` or `<<: [*a, *b]`: the value is read and kept
 * in `*merges` for build_mapping to apply once the mapping's own keys are
 * known. Honoured rather than refused because it is the YAML users know
 * for "the same votes, but ..."; before, `<<` was an ordinary field no
 * one read, and the anchored values silently went missing.
 */
static int take_merge(ctx *c, const input *in, const yaml_event_t *kev, int depth,
		      json_t **merges, yaml_mark_t *key_at, yaml_mark_t *val_at, size_t *nodes)
{
	if (*merges) {
		nb_error(c->d, c->file, line_of(c, kev->start_mark), col_of(kev->start_mark),
			 "yaml-merge", "merge several mappings with one list: `<<: [*a, *b]`",
			 "`<<` appears twice in one mapping");
		return -1;
	}
	yaml_event_t vev;
	if (next_event(c, &vev, in->src, in->len) < 0)
		return -1;
	yaml_mark_t at = vev.start_mark;
	json_t *val;
	size_t n;
	if (build_node(c, in, &vev, depth + 1, &val, &n) < 0)
		return -1;
	*nodes += n;
	json_t *list = json_array();
	if (json_is_object(val)) {
		json_array_append(list, val);
	} else if (json_is_array(val)) {
		size_t i;
		json_t *m;
		json_array_foreach(val, i, m)
			json_array_append(list, m);
	}
	size_t i;
	json_t *m;
	int bad = !json_is_object(val) && !json_is_array(val);
	json_array_foreach(list, i, m)
		bad |= !json_is_object(m);
	json_decref(val);
	if (bad) {
		json_decref(list);
		nb_error(c->d, c->file, line_of(c, at), col_of(at), "yaml-merge",
			 "write `<<: *name` with the anchor of a mapping, or a list of them "
			 "`<<: [*a, *b]`; to have a field named <<, quote it: \"<<\"",
			 "`<<` (merge) takes a mapping or a list of mappings");
		return -1;
	}
	*merges = list;
	*key_at = kev->start_mark;
	*val_at = at;
	return 0;
}

static int build_mapping(ctx *c, const input *in, yaml_event_t *start,
			 int depth, json_t **out, size_t *nodes)
{
	if (check_collection(c, start, depth, "map", "mapping") < 0)
		return -1;
	json_t *obj = json_object();
	json_t *merges = NULL;     /* the mappings `<<` names, in order */
	yaml_mark_t merge_key = { 0 }, merge_val = { 0 };
	size_t base = c->path.len;
	for (;;) {
		yaml_event_t kev, vev;
		if (next_event(c, &kev, in->src, in->len) < 0)
			goto fail;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			break;
		}
		if (kev.type != YAML_SCALAR_EVENT) {
			nb_error(c->d, c->file, line_of(c, kev.start_mark),
				 col_of(kev.start_mark), "yaml-key",
				 kev.type == YAML_ALIAS_EVENT
					 ? "write the key out instead of using an alias"
					 : "a key must be a simple word or text; check "
					   "for a stray '?', '[' or '{' before the colon",
				 "a field name must be plain text, not a %s",
				 kev.type == YAML_ALIAS_EVENT ? "alias"
				 : kev.type == YAML_SEQUENCE_START_EVENT
					 ? "list"
					 : "mapping");
			yaml_event_delete(&kev);
			goto fail;
		}
		/* Every scalar key becomes its text: `1:` is the key "1". */
		const char *key = (const char *)kev.data.scalar.value;
		if (memchr(key, '\0', kev.data.scalar.length)) {
			nb_error(c->d, c->file, line_of(c, kev.start_mark),
				 col_of(kev.start_mark), "yaml-nul",
				 "remove the \\0 escape from the field name",
				 "field name contains a NUL character");
			yaml_event_delete(&kev);
			goto fail;
		}
		if (is_merge_key(&kev)) {
			int rc = take_merge(c, in, &kev, depth, &merges, &merge_key, &merge_val,
					    nodes);
			yaml_event_delete(&kev);
			if (rc < 0)
				goto fail;
			continue;
		}
		put_pointer_segment(&c->path, key);
		if (json_object_get(obj, key)) {
			char hint[160];
			snprintf(hint, sizeof hint,
				 "the first '%.80s' is on line %d; remove one of "
				 "them or rename it", key, recorded_key_line(c));
			nb_error(c->d, c->file, line_of(c, kev.start_mark),
				 col_of(kev.start_mark), "yaml-duplicate-key",
				 hint, "field '%s' appears twice", key);
			yaml_event_delete(&kev);
			goto fail;
		}
		if (next_event(c, &vev, in->src, in->len) < 0) {
			yaml_event_delete(&kev);
			goto fail;
		}
		record_pos(c, kev.start_mark, vev.start_mark);
		json_t *val;
		size_t n;
		int rc = build_node(c, in, &vev, depth + 1, &val, &n);
		c->path.len = base;
		c->path.ptr[base] = '\0';
		if (rc < 0) {
			yaml_event_delete(&kev);
			goto fail;
		}
		json_object_set_new(obj, key, val);
		yaml_event_delete(&kev);
		*nodes += n;
	}
	/* Keys written in the mapping win over merged ones, and an earlier
	 * mapping of `<<: [*a, *b]` over a later one (YAML's merge rule). A
	 * merged key's position is the `<<` line. */
	size_t i;
	json_t *m;
	json_array_foreach(merges, i, m) {
		const char *k;
		json_t *v;
		json_object_foreach(m, k, v) {
			if (json_object_get(obj, k))
				continue;
			json_object_set(obj, k, v);
			put_pointer_segment(&c->path, k);
			record_pos(c, merge_key, merge_val);
			c->path.len = base;
			c->path.ptr[base] = '\0';
		}
	}
	json_decref(merges);
	*out = obj;
	return 0;
fail:
	json_decref(merges);
	json_decref(obj);
	return -1;
}

static anchor *find_anchor(ctx *c, const char *name)
{
	/* Newest first: YAML lets a later anchor reuse a name. */
	for (size_t i = c->nanchors; i-- > 0;)
		if (strcmp(c->anchors[i].name, name) == 0)
			return &c->anchors[i];
	return NULL;
}

static void add_anchor(ctx *c, const char *name, json_t *val, size_t nodes)
{
	if (c->nanchors == c->capanchors) {
		c->capanchors = c->capanchors ? c->capanchors * 2 : 8;
		c->anchors = realloc(c->anchors,
				     c->capanchors * sizeof(*c->anchors));
		if (!c->anchors)
			abort();
	}
	char *copy = strdup(name);
	if (!copy)
		abort();
	c->anchors[c->nanchors++] = (anchor){ copy, val, nodes };
}

/* Build the node that starts with `ev` (consumed here, even on error). */
static int build_node(ctx *c, const input *in, yaml_event_t *ev, int depth,
		      json_t **out, size_t *nodes)
{
	int rc = -1;
	*out = NULL;
	*nodes = 1;

	switch (ev->type) {
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		anchor *a = find_anchor(c, name);
		if (!a) {
			nb_error(c->d, c->file, line_of(c, ev->start_mark),
				 col_of(ev->start_mark), "yaml-alias",
				 "define the anchor (&name) before using it, "
				 "and not inside the value it names",
				 "alias *%s refers to an unknown anchor", name);
			break;
		}
		if (++c->aliases > c->max_aliases) {
			nb_error(c->d, c->file, line_of(c, ev->start_mark),
				 col_of(ev->start_mark), "yaml-limit",
				 "the limit is set by limits.yaml_aliases in "
				 "site.yaml",
				 "YAML document uses more than %zu aliases",
				 c->max_aliases);
			break;
		}
		/* The anchored node was counted once already; its copies are
		 * counted here so shared values cannot hide their size. */
		c->nodes += a->nodes;
		if (check_nodes(c, ev->start_mark) < 0)
			break;
		*nodes = a->nodes;
		*out = json_incref(a->val);
		rc = 0;
		break;
	}
	case YAML_SCALAR_EVENT:
		c->nodes++;
		if (check_nodes(c, ev->start_mark) < 0)
			break;
		rc = build_scalar(c, ev, out);
		break;
	case YAML_SEQUENCE_START_EVENT:
		c->nodes++;
		if (check_nodes(c, ev->start_mark) < 0)
			break;
		rc = build_sequence(c, in, ev, depth, out, nodes);
		break;
	case YAML_MAPPING_START_EVENT:
		c->nodes++;
		if (check_nodes(c, ev->start_mark) < 0)
			break;
		rc = build_mapping(c, in, ev, depth, out, nodes);
		break;
	default:
		nb_error(c->d, c->file, line_of(c, ev->start_mark),
			 col_of(ev->start_mark), "yaml-syntax", NULL,
			 "unexpected YAML event %d", (int)ev->type);
		break;
	}
	if (rc == 0 && ev->type != YAML_ALIAS_EVENT && event_anchor(ev))
		add_anchor(c, event_anchor(ev), *out, *nodes);
	yaml_event_delete(ev);
	return rc;
}

static const char *kind_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_ARRAY: return "a list";
	case JSON_STRING: return "text";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "true/false";
	default: return "a value";
	}
}

/* Parse the stream: exactly zero or one document. */
static int load_stream(ctx *c, const input *in, int want_mapping,
		       json_t **root)
{
	yaml_event_t ev;
	*root = NULL;
	if (next_event(c, &ev, in->src, in->len) < 0)
		return -1;
	yaml_event_delete(&ev); /* STREAM-START */
	if (next_event(c, &ev, in->src, in->len) < 0)
		return -1;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_mark_t m = ev.start_mark;
		yaml_event_delete(&ev);
		*root = json_object();
		m.line = 0, m.column = 0;
		record_pos(c, m, m);
		return 0;
	}
	yaml_event_delete(&ev); /* DOCUMENT-START */

	if (next_event(c, &ev, in->src, in->len) < 0)
		return -1;
	yaml_mark_t rm = ev.start_mark;
	int empty_plain = ev.type == YAML_SCALAR_EVENT &&
			  ev.data.scalar.length == 0 && !ev.data.scalar.tag &&
			  ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	record_pos(c, rm, rm);
	size_t n;
	if (build_node(c, in, &ev, 0, root, &n) < 0)
		return -1;
	if (empty_plain) {
		/* A document of only comments or `---`: no fields. */
		json_decref(*root);
		*root = json_object();
	}
	if (want_mapping && !json_is_object(*root)) {
		/* `title：…` makes the whole front matter one text. */
		if (!nb_yaml_hint_cause(c->d, c->file, c->first_line, in->src,
					in->len, 0, rm.line))
			nb_error(c->d, c->file, line_of(c, rm), col_of(rm), "yaml-root",
				 "write fields as `name: value`, one per line",
				 "expected fields (name: value), found %s",
				 kind_name(*root));
		goto fail;
	}

	if (next_event(c, &ev, in->src, in->len) < 0)
		goto fail;
	yaml_event_delete(&ev); /* DOCUMENT-END */
	if (next_event(c, &ev, in->src, in->len) < 0)
		goto fail;
	if (ev.type != YAML_STREAM_END_EVENT) {
		nb_error(c->d, c->file, line_of(c, ev.start_mark),
			 col_of(ev.start_mark), "yaml-multi-doc",
			 "a file holds one YAML document; remove the --- line "
			 "(in front matter, only the two fences may be ---)",
			 "a second YAML document starts here");
		yaml_event_delete(&ev);
		goto fail;
	}
	yaml_event_delete(&ev);
	return 0;
fail:
	json_decref(*root);
	*root = NULL;
	return -1;
}

static int load(json_t **out, json_t **pos_out, const char *src, size_t len,
		const char *file, int first_line, int want_mapping,
		const nb_yaml_limits *limits, nb_diag *d, int compact)
{
	*out = NULL;
	if (pos_out)
		*pos_out = NULL;

	/* A BOM (Windows editors write one) is not content; libyaml only
	 * skips it when it detects the encoding itself, which we do not let
	 * it do because the input is known to be UTF-8. */
	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
		src += 3, len -= 3;

	int bl, bc;
	if (nb_utf8_validate(src, len, &bl, &bc) < 0) {
		nb_error(d, file, bl + first_line - 1, bc, "utf8-invalid",
			 "save the file as UTF-8 and remove control characters",
			 "invalid UTF-8 or NUL byte in YAML");
		return -1;
	}

	ctx c;
	memset(&c, 0, sizeof c);
	c.file = file;
	c.first_line = first_line;
	c.d = d;
	c.max_depth = limits && limits->max_depth > 0 ? limits->max_depth : 64;
	c.max_aliases = limits && limits->max_aliases ? limits->max_aliases : 1000;
	c.max_nodes = limits && limits->max_nodes ? limits->max_nodes : 1000000;
	c.max_scalar = limits && limits->max_scalar ? limits->max_scalar
						     : (size_t)1 << 20;
	c.compact = compact && pos_out;
	if (!c.compact)
		c.pos = json_object();
	nb_buf_init(&c.tab);
	nb_buf_init(&c.path);
	nb_buf_puts(&c.path, ""); /* so cstr/ptr[len] are valid */
	if (!yaml_parser_initialize(&c.parser))
		abort();
	yaml_parser_set_input_string(&c.parser, (const unsigned char *)src, len);
	yaml_parser_set_encoding(&c.parser, YAML_UTF8_ENCODING);

	input in = { src, len };
	json_t *root;
	int rc = load_stream(&c, &in, want_mapping, &root);

	yaml_parser_delete(&c.parser);
	for (size_t i = 0; i < c.nanchors; i++)
		free(c.anchors[i].name);
	free(c.anchors);
	nb_buf_free(&c.path);
	if (rc < 0) {
		json_decref(c.pos);
		nb_buf_free(&c.tab);
		return -1;
	}
	*out = root;
	if (c.compact)
		c.pos = json_stringn_nocheck(nb_buf_cstr(&c.tab), c.tab.len);
	nb_buf_free(&c.tab);
	if (pos_out)
		*pos_out = c.pos;
	else
		json_decref(c.pos);
	return 0;
}

int nb_yaml_load(json_t **out, json_t **pos_out, const char *src, size_t len,
		 const char *file, int first_line, int want_mapping,
		 const nb_yaml_limits *limits, nb_diag *d)
{
	return load(out, pos_out, src, len, file, first_line, want_mapping,
		    limits, d, 0);
}

int nb_yaml_load_compact(json_t **out, json_t **pos_out, const char *src,
			 size_t len, const char *file, int first_line,
			 int want_mapping, const nb_yaml_limits *limits,
			 nb_diag *d)
{
	return load(out, pos_out, src, len, file, first_line, want_mapping,
		    limits, d, 1);
}

/* One table lookup, either form; 1 and v[] set when `path` is there. */
static int pos_get(const json_t *pos, const char *path, size_t plen, int v[4])
{
	if (json_is_string(pos))
		return compact_find(json_string_value(pos),
				    json_string_length(pos), path, plen, v);
	json_t *a = json_object_get(pos, path);
	if (!json_is_array(a))
		return 0;
	for (size_t i = 0; i < 4; i++)
		v[i] = (int)json_integer_value(json_array_get(a, i));
	return 1;
}

void nb_yaml_pos(const json_t *pos, const char *path, int want_key, int *line,
		 int *col)
{
	*line = 0, *col = 0;
	if (!pos || !path)
		return;
	nb_buf p = NB_BUF_INIT;
	nb_buf_puts(&p, path);
	for (;;) {
		int v[4];
		if (pos_get(pos, nb_buf_cstr(&p), p.len, v)) {
			size_t i = want_key ? 0 : 2;
			*line = v[i];
			*col = v[i + 1];
			break;
		}
		if (p.len == 0)
			break;
		char *slash = strrchr(p.ptr, '/');
		p.len = slash ? (size_t)(slash - p.ptr) : 0;
		p.ptr[p.len] = '\0';
	}
	nb_buf_free(&p);
}

const char *nb_load_library_version(void)
{
	return yaml_get_version_string();
}

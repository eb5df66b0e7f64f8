/*
 * json.c - the one JSON writer; see json.h for why it exists and what it
 * promises.
 *
 * The layout follows jansson's dump.c step for step: a container opens,
 * each member after the first is preceded by ',', and then - with an
 * indent - a new line at the member's depth, or - on one line - a space
 * unless compact; the first member gets the new line but no space; a
 * non-empty container closes on a new line at its own depth; an empty one
 * is "{}" or "[]". Keys are followed by ": " (":" when compact). Integers
 * and reals are formatted by hand and by jansson's own rule, so that the
 * search index's hundreds of thousands of postings cost no printf each.
 */
#include "output/json.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nb_json_init(nb_json *w, nb_buf *out, int flags)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->flags = flags;
}

void nb_json_stream(nb_json *w, size_t bound, nb_sink sink, void *ud)
{
	w->sink = sink;
	w->sink_ud = ud;
	w->bound = bound ? bound : 1;
}

void nb_json_flush(nb_json *w)
{
	if (w->sink)
		nb_buf_spill(w->out, 0, w->sink, w->sink_ud);
}

/* At the start of every call that writes: never between a member's text
 * and its refusal (json.h). */
static void spill(nb_json *w)
{
	if (w->sink)
		nb_buf_spill(w->out, w->bound, w->sink, w->sink_ud);
}

static void put_newline(nb_json *w, int depth)
{
	static const char spaces[] = "                                ";
	size_t n = (size_t)depth * (size_t)NB_JSON_INDENT(w->flags);
	nb_buf_putc(w->out, '\n');
	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		nb_buf_put(w->out, spaces, k);
		n -= k;
	}
}

/* Start a member of the innermost container. */
static void member(nb_json *w)
{
	int later = w->count[w->depth]++ > 0;
	if (later)
		nb_buf_putc(w->out, ',');
	if (NB_JSON_INDENT(w->flags))
		put_newline(w, w->depth);
	else if (later && !(w->flags & NB_JSON_COMPACT))
		nb_buf_putc(w->out, ' ');
}

/* Before a value: in an array it is a member; in an object nb_json_key
 * already started it. */
static void value(nb_json *w)
{
	if (w->depth && w->array[w->depth])
		member(w);
}

/* Take back a member that was refused: the text from `mark`, and its
 * count when it had started one. */
static int refuse(nb_json *w, size_t mark, size_t count)
{
	w->out->len = mark;
	if (w->out->ptr)
		w->out->ptr[mark] = '\0';
	w->count[w->depth] = count;
	return -1;
}

static void open_container(nb_json *w, int array)
{
	spill(w);
	value(w);
	if (w->depth + 1 >= NB_JSON_MAX_DEPTH)
		abort();
	nb_buf_putc(w->out, array ? '[' : '{');
	w->depth++;
	w->count[w->depth] = 0;
	w->array[w->depth] = (unsigned char)array;
}

void nb_json_object(nb_json *w)
{
	open_container(w, 0);
}

void nb_json_array(nb_json *w)
{
	open_container(w, 1);
}

void nb_json_close(nb_json *w)
{
	spill(w);
	if (w->depth == 0)
		abort();
	if (w->count[w->depth] && NB_JSON_INDENT(w->flags))
		put_newline(w, w->depth - 1);
	nb_buf_putc(w->out, w->array[w->depth] ? ']' : '}');
	w->depth--;
}

int nb_json_keyn(nb_json *w, const char *key, size_t len)
{
	spill(w);
	size_t mark = w->out->len, count = w->count[w->depth];
	member(w);
	if (nb_buf_put_json(w->out, key, len, (w->flags & NB_JSON_ENSURE_ASCII) != 0) != 0)
		return refuse(w, mark, count);
	if (w->flags & NB_JSON_COMPACT)
		nb_buf_putc(w->out, ':');
	else
		nb_buf_put(w->out, ": ", 2);
	return 0;
}

int nb_json_key(nb_json *w, const char *key)
{
	return nb_json_keyn(w, key, strlen(key));
}

int nb_json_stringn(nb_json *w, const char *s, size_t len)
{
	spill(w);
	size_t mark = w->out->len, count = w->count[w->depth];
	value(w);
	if (nb_buf_put_json(w->out, s, len, (w->flags & NB_JSON_ENSURE_ASCII) != 0) != 0)
		return refuse(w, mark, count);
	return 0;
}

int nb_json_string(nb_json *w, const char *s)
{
	return nb_json_stringn(w, s, strlen(s));
}

void nb_json_integer(nb_json *w, long long v)
{
	spill(w);
	char num[24];
	size_t n = sizeof(num);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		num[--n] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		num[--n] = '-';
	value(w);
	nb_buf_put(w->out, num + n, sizeof(num) - n);
}

/* jansson's jsonp_dtostr, in the C locale the program runs in. */
void nb_json_real(nb_json *w, double v)
{
	spill(w);
	char num[40];
	int len = snprintf(num, sizeof(num) - 2, "%.17g", v);
	if (len < 0)
		len = 0;
	if (!strchr(num, '.') && !strchr(num, 'e')) {
		memcpy(num + len, ".0", 3);
		len += 2;
	}
	char *start = strchr(num, 'e');
	if (start) {
		start++;
		char *end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, (size_t)len - (size_t)(end - num) + 1);
			len -= (int)(end - start);
		}
	}
	value(w);
	nb_buf_put(w->out, num, (size_t)len);
}

void nb_json_bool(nb_json *w, int v)
{
	spill(w);
	value(w);
	nb_buf_puts(w->out, v ? "true" : "false");
}

void nb_json_null(nb_json *w)
{
	spill(w);
	value(w);
	nb_buf_put(w->out, "null", 4);
}

static int cmp_cstr(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int object_value(nb_json *w, const json_t *v)
{
	size_t n = json_object_size(v), k = 0;
	const char **keys = malloc((n ? n : 1) * sizeof(*keys));
	if (!keys)
		abort();
	const char *key;
	json_t *x;
	json_object_foreach((json_t *)v, key, x)
		keys[k++] = key;
	if (w->flags & NB_JSON_SORT_KEYS)
		qsort(keys, n, sizeof(*keys), cmp_cstr);
	nb_json_object(w);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = nb_json_key(w, keys[i]);
		if (rc == 0)
			rc = nb_json_value(w, json_object_get(v, keys[i]));
	}
	free(keys);
	nb_json_close(w);
	return rc;
}

int nb_json_value(nb_json *w, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return object_value(w, v);
	case JSON_ARRAY: {
		int rc = 0;
		nb_json_array(w);
		for (size_t i = 0; i < json_array_size(v) && rc == 0; i++)
			rc = nb_json_value(w, json_array_get(v, i));
		nb_json_close(w);
		return rc;
	}
	case JSON_STRING:
		return nb_json_stringn(w, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		nb_json_integer(w, (long long)json_integer_value(v));
		return 0;
	case JSON_REAL:
		nb_json_real(w, json_real_value(v));
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		nb_json_bool(w, json_is_true(v));
		return 0;
	default:
		nb_json_null(w);
		return 0;
	}
}

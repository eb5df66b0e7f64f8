/*
 * test_json.c - the JSON writer (output/json.h) against json_dumps itself.
 *
 * Three published outputs were first written by json_dumps, each in its
 * own layout, and must not move a byte: popolo.json (JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER), the search index (JSON_COMPACT | JSON_SORT_KEYS)
 * and manifest.json (JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII).
 * So for each of those layouts, and jansson's plain one-line layout, the
 * writer is held to jansson on hostile strings (quotes, backslashes, every
 * control character, '/', DEL, U+2028, CJK, emoji, the largest code
 * point), on empty and nested containers, on integers at their limits, on
 * reals and on random trees - both streamed value by value, as the
 * outputs write, and through nb_json_value. Text that is not UTF-8 is
 * refused as jansson refuses it, leaving nothing behind.
 */
#include "harness.h"
#include "hostile_text.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

#include "output/json.h"

_Static_assert(NB_JSON_INDENT(3) == JSON_INDENT(3) && NB_JSON_COMPACT == JSON_COMPACT &&
	       NB_JSON_ENSURE_ASCII == JSON_ENSURE_ASCII && NB_JSON_SORT_KEYS == JSON_SORT_KEYS,
	       "the flags mean what jansson's do");

/* The layouts, as json_dumps was called for each. */
static const int layouts[] = {
	JSON_INDENT(2) | JSON_PRESERVE_ORDER,                /* popolo.json */
	JSON_COMPACT | JSON_SORT_KEYS,                       /* the search index */
	JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII, /* manifest.json */
	JSON_PRESERVE_ORDER,                                 /* one line, ", " */
};
#define N_LAYOUTS (sizeof(layouts) / sizeof(layouts[0]))

/* Each UTF-8 length at its edges, for the \uXXXX forms. */
static const char edges[] = "\xC2\x80 \xDF\xBF \xE0\xA0\x80 \xEF\xBF\xBF \xF0\x90\x80\x80";

static int cmp_key(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Feed a jansson tree through the streaming calls, keys sorted when the
 * layout says so (the callers sort as they make their keys). */
static void walk(nb_json *w, json_t *v)
{
	const char *k, *keys[64];
	json_t *x;
	size_t i, n = 0;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach(v, k, x)
			keys[n++] = k;
		if (w->flags & NB_JSON_SORT_KEYS)
			qsort(keys, n, sizeof(*keys), cmp_key);
		nb_json_object(w);
		for (i = 0; i < n; i++) {
			nb_json_key(w, keys[i]);
			walk(w, json_object_get(v, keys[i]));
		}
		nb_json_close(w);
		break;
	case JSON_ARRAY:
		nb_json_array(w);
		json_array_foreach(v, i, x)
			walk(w, x);
		nb_json_close(w);
		break;
	case JSON_STRING:
		nb_json_stringn(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		nb_json_integer(w, json_integer_value(v));
		break;
	case JSON_REAL:
		nb_json_real(w, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		nb_json_bool(w, json_is_true(v));
		break;
	default:
		nb_json_null(w);
		break;
	}
}

/* 1 when both ways of writing `v` give json_dumps's text; prints if not. */
static int same_as_dumps(json_t *v, int layout)
{
	char *want = json_dumps(v, (size_t)layout | JSON_ENCODE_ANY);
	int ok = want != NULL;
	for (int way = 0; way < 2 && ok; way++) {
		nb_buf b = NB_BUF_INIT;
		nb_json w;
		nb_json_init(&w, &b, layout & 0xFF);
		if (way)
			ok = nb_json_value(&w, v) == 0;
		else
			walk(&w, v);
		ok = ok && w.depth == 0 && !strcmp(nb_buf_cstr(&b), want);
		if (!ok)
			fprintf(stderr, "  layout %#x, %s:\n  json_dumps:\n%s\n  ours:\n%s\n", layout,
				way ? "nb_json_value" : "streamed", want, nb_buf_cstr(&b));
		nb_buf_free(&b);
	}
	free(want);
	return ok;
}

static int same_in_every_layout(json_t *v)
{
	int ok = 1;
	for (size_t i = 0; i < N_LAYOUTS; i++)
		ok &= same_as_dumps(v, layouts[i]);
	return ok;
}

NB_TEST(strings_like_jansson)
{
	json_t *root = json_object(), *arr = json_array();
	for (size_t i = 0; i <= N_HOSTILE; i++) {
		const char *text = i < N_HOSTILE ? hostile[i] : edges;
		json_t *s = json_string(text);
		NB_CHECK(s != NULL);   /* all valid UTF-8 */
		json_array_append_new(arr, s);
		json_object_set_new(root, text, json_string(text));
	}
	json_object_set_new(root, "all", arr);
	NB_CHECK(same_in_every_layout(root));
	json_decref(root);
	/* Every byte that can be a string on its own, one at a time. */
	for (int c = 1; c < 0x80; c++) {
		char s[2] = { (char)c, 0 };
		json_t *v = json_pack("{s:s}", s, s);
		NB_CHECK(same_in_every_layout(v));
		json_decref(v);
	}
}

NB_TEST(escapes_exact_text)
{
	/* Spelled out, so a change in jansson cannot move both sides at once. */
	nb_buf b = NB_BUF_INIT;
	nb_json w;
	nb_json_init(&w, &b, NB_JSON_INDENT(2));
	nb_json_array(&w);
	nb_json_string(&w, "\"\\/\b\f\n\r\t\x01\x1f\x7f");
	nb_json_string(&w, "社区😀");
	nb_json_close(&w);
	NB_CHECK_STR(nb_buf_cstr(&b),
		     "[\n  \"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001F\x7f\",\n  \"社区😀\"\n]");
	nb_buf_clear(&b);
	nb_json_init(&w, &b, NB_JSON_INDENT(1) | NB_JSON_ENSURE_ASCII);
	nb_json_object(&w);
	nb_json_key(&w, "é");
	nb_json_string(&w, "社😀\xEF\xBF\xBF");
	nb_json_close(&w);
	NB_CHECK_STR(nb_buf_cstr(&b), "{\n \"\\u00E9\": \"\\u793E\\uD83D\\uDE00\\uFFFF\"\n}");
	nb_buf_clear(&b);
	nb_json_init(&w, &b, NB_JSON_COMPACT);
	nb_json_object(&w);
	nb_json_key(&w, "a");
	nb_json_array(&w);
	nb_json_integer(&w, -7);
	nb_json_real(&w, 0.5);
	nb_json_close(&w);
	nb_json_key(&w, "b");
	nb_json_object(&w);
	nb_json_close(&w);
	nb_json_close(&w);
	NB_CHECK_STR(nb_buf_cstr(&b), "{\"a\":[-7,0.5],\"b\":{}}");
	nb_buf_free(&b);
}

NB_TEST(layout_like_jansson)
{
	json_t *v = json_pack(
		"{s:{}, s:[], s:[[], {}, [[]], {s:[]}, [{}]], s:{s:{s:{s:[i, i, i]}}},"
		" s:n, s:b, s:b, s:I, s:I, s:[s, n, {s:s}], s:{s:{}, s:[]}}",
		"empty_object", "empty_array", "nested", "k",
		"deep", "a", "b", "c", 0, -1, 42,
		"null", "true", 1, "false", 0,
		"max", (json_int_t)LLONG_MAX, "min", (json_int_t)LLONG_MIN,
		"mixed", "x", "y", "z", "zz", "b", "a");
	NB_CHECK(v != NULL);
	NB_CHECK(same_in_every_layout(v));
	json_decref(v);
	json_t *e[] = { json_array(), json_object(), json_string("top"), json_integer(0),
			json_null() };
	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		NB_CHECK(same_in_every_layout(e[i]));
		json_decref(e[i]);
	}
}

NB_TEST(reals_like_jansson)
{
	static const double reals[] = {
		0.0, -0.0, 1.0, -3.0, 0.5, 0.1, 1.0 / 3.0, 2.5e-7, 1e-5, 1e20, 1e21, 1e100,
		-1.5e300, 123456789012345678.0, 1e16, 9007199254740993.0, DBL_MAX, DBL_MIN,
		5e-324, 100.0, 1234.5678,
	};
	json_t *arr = json_array(), *obj = json_object();
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		json_array_append_new(arr, json_real(reals[i]));
		char k[16];
		snprintf(k, sizeof(k), "r%02zu", i);
		json_object_set_new(obj, k, json_real(reals[i]));
	}
	json_object_set_new(obj, "all", arr);
	NB_CHECK(same_in_every_layout(obj));
	json_decref(obj);
}

/* xorshift; the state is the caller's. */
static uint32_t rnd(uint32_t *st)
{
	uint32_t x = *st;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *st = x;
}

static void put_utf8(char *buf, size_t *len, uint32_t cp)
{
	if (cp < 0x80) {
		buf[(*len)++] = (char)cp;
	} else if (cp < 0x800) {
		buf[(*len)++] = (char)(0xC0 | cp >> 6);
		buf[(*len)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		buf[(*len)++] = (char)(0xE0 | cp >> 12);
		buf[(*len)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[(*len)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		buf[(*len)++] = (char)(0xF0 | cp >> 18);
		buf[(*len)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		buf[(*len)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[(*len)++] = (char)(0x80 | (cp & 0x3F));
	}
}

static json_t *random_string(uint32_t *st)
{
	static const uint32_t pick[] = { 0x22, 0x5C, 0x2F, 0x0A, 0x1F, 0x7F, 0xE9,
					 0x2028, 0x4E2D, 0xFF0C, 0xFEFF, 0x1F600,
					 0x10FFFF };
	char buf[256];
	size_t len = 0, n = rnd(st) % 12;
	for (size_t i = 0; i < n; i++)
		put_utf8(buf, &len, rnd(st) % 3 ? 1 + rnd(st) % 0x7F
						: pick[rnd(st) % (sizeof(pick) / sizeof(pick[0]))]);
	buf[len] = 0;
	return json_string(buf);
}

static json_t *random_tree(uint32_t *st, int depth)
{
	switch (rnd(st) % (depth > 4 ? 5 : 7)) {
	case 0: return random_string(st);
	case 1: return json_integer((json_int_t)(int32_t)rnd(st) * (rnd(st) % 2 ? 1 : 99991));
	case 2: return rnd(st) % 3 ? json_boolean(rnd(st) % 2) : json_null();
	case 3: return random_string(st);
	case 4: return json_real(ldexp((double)(int32_t)rnd(st), (int)(rnd(st) % 120) - 60));
	case 5: {
		json_t *a = json_array();
		for (size_t n = rnd(st) % 4; n; n--)
			json_array_append_new(a, random_tree(st, depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (size_t n = rnd(st) % 4; n; n--) {
			json_t *k = random_string(st);
			json_object_set_new(o, json_string_value(k), random_tree(st, depth + 1));
			json_decref(k);
		}
		return o;
	}
	}
}

NB_TEST(random_trees_like_jansson)
{
	uint32_t st = 2463534242u;
	int bad = 0;
	for (int i = 0; i < 400 && bad < 3; i++) {
		json_t *v = random_tree(&st, rnd(&st) % 2);
		if (!same_in_every_layout(v))
			bad++;
		json_decref(v);
	}
	NB_CHECK(bad == 0);
}

NB_TEST(refuses_what_jansson_refuses)
{
	static const char *const bad[] = { "\xff", "a\xC0\xAF", "\xED\xA0\x80 surrogate",
					   "\xF4\x90\x80\x80 past max", "cut \xE4\xB8" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		NB_CHECK(json_string(bad[i]) == NULL);  /* jansson refuses it too */
		for (size_t l = 0; l < N_LAYOUTS; l++) {
			/* A refused member leaves nothing: not even its comma. */
			nb_buf b = NB_BUF_INIT;
			nb_json w;
			nb_json_init(&w, &b, layouts[l] & 0xFF);
			nb_json_object(&w);
			NB_CHECK(nb_json_key(&w, "a") == 0);
			nb_json_integer(&w, 1);
			NB_CHECK(nb_json_key(&w, bad[i]) == -1);
			NB_CHECK(nb_json_key(&w, "b") == 0);
			nb_json_array(&w);
			NB_CHECK(nb_json_string(&w, bad[i]) == -1);
			NB_CHECK(nb_json_string(&w, "x") == 0);
			NB_CHECK(nb_json_string(&w, bad[i]) == -1);
			nb_json_close(&w);
			nb_json_close(&w);
			json_t *want = json_pack("{s:i, s:[s]}", "a", 1, "b", "x");
			char *text = json_dumps(want, (size_t)layouts[l]);
			NB_CHECK_STR(nb_buf_cstr(&b), text);
			free(text);
			json_decref(want);
			nb_buf_free(&b);
		}
	}
}

NB_TEST_MAIN("json",
	     NB_CASE(strings_like_jansson),
	     NB_CASE(escapes_exact_text),
	     NB_CASE(layout_like_jansson),
	     NB_CASE(reals_like_jansson),
	     NB_CASE(random_trees_like_jansson),
	     NB_CASE(refuses_what_jansson_refuses))

/*
 * test_yamltree.c - typing, key order, positions, errors and limits.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "harness.h"
#include "load/yamltree.h"

/* Load `src` (file line `first`) as a mapping; returns rc. */
static int load(const char *src, int first, json_t **out, json_t **pos,
		const nb_yaml_limits *lim, nb_diag *d)
{
	return nb_yaml_load(out, pos, src, strlen(src), "t.md", first, 1, lim, d);
}

static char *dump(const json_t *v)
{
	return json_dumps(v, JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Expect exactly one error with `code` at line:col. */
static void expect_error(nb_test_state *nb__t, const char *src, int first,
			 const nb_yaml_limits *lim, const char *code, int line,
			 int col)
{
	nb_diag d;
	nb_diag_init(&d);
	json_t *out = (json_t *)1, *pos = (json_t *)1;
	int rc = load(src, first, &out, &pos, lim, &d);
	NB_CHECK(rc == -1);
	if (rc == 0) {
		json_decref(out);
		json_decref(pos);
		out = pos = NULL;
	}
	NB_CHECK(out == NULL && pos == NULL);
	NB_CHECK(d.len == 1 && d.errors == 1);
	if (d.len >= 1) {
		NB_CHECK_STR(d.items[0].code, code);
		if (d.items[0].line != line || d.items[0].col != col)
			fprintf(stderr, "  got %d:%d (%s), want %d:%d\n",
				d.items[0].line, d.items[0].col,
				d.items[0].msg, line, col);
		NB_CHECK(d.items[0].line == line);
		NB_CHECK(d.items[0].col == col);
		NB_CHECK(d.items[0].hint != NULL);
	}
	nb_diag_free(&d);
}

NB_TEST(typing)
{
	const char *src =
		"n1: null\nn2: ~\nn3:\nn4: NULL\n"
		"b1: true\nb2: False\nb3: TRUE\nyes: yes\n"
		"i1: 42\ni2: -7\ni3: 0x1F\ni4: 0o17\ni5: +3\n"
		"f1: 3.5\nf2: -1e3\nf3: .5\n"
		"s1: 2024-07-12\ns2: '42'\ns3: \"true\"\ns4: 第五条\n"
		"s5: |\n  line1\n  line2\ns6: >\n  a\n  b\n"
		"big: 123456789012345678901234567890\n"
		"t1: !!str 12\nt2: !!int \"12\"\nt3: !!float 1\nt4: !!bool \"true\"\n"
		"t5: !!null ''\n";
	nb_diag d;
	nb_diag_init(&d);
	json_t *v = NULL;
	NB_CHECK(load(src, 1, &v, NULL, NULL, &d) == 0);
	NB_CHECK(d.len == 0);
	if (!v) {
		nb_diag_print(&d, stderr, 0);
		nb_diag_free(&d);
		return;
	}
	NB_CHECK(json_is_null(json_object_get(v, "n1")));
	NB_CHECK(json_is_null(json_object_get(v, "n2")));
	NB_CHECK(json_is_null(json_object_get(v, "n3")));
	NB_CHECK(json_is_null(json_object_get(v, "n4")));
	NB_CHECK(json_is_true(json_object_get(v, "b1")));
	NB_CHECK(json_is_false(json_object_get(v, "b2")));
	NB_CHECK(json_is_true(json_object_get(v, "b3")));
	NB_CHECK_STR(json_string_value(json_object_get(v, "yes")), "yes");
	NB_CHECK(json_integer_value(json_object_get(v, "i1")) == 42);
	NB_CHECK(json_integer_value(json_object_get(v, "i2")) == -7);
	NB_CHECK(json_integer_value(json_object_get(v, "i3")) == 31);
	NB_CHECK(json_integer_value(json_object_get(v, "i4")) == 15);
	NB_CHECK(json_integer_value(json_object_get(v, "i5")) == 3);
	NB_CHECK(json_is_real(json_object_get(v, "f1")) &&
		 json_real_value(json_object_get(v, "f1")) == 3.5);
	NB_CHECK(json_real_value(json_object_get(v, "f2")) == -1000.0);
	NB_CHECK(json_real_value(json_object_get(v, "f3")) == 0.5);
	NB_CHECK_STR(json_string_value(json_object_get(v, "s1")), "2024-07-12");
	NB_CHECK_STR(json_string_value(json_object_get(v, "s2")), "42");
	NB_CHECK_STR(json_string_value(json_object_get(v, "s3")), "true");
	NB_CHECK_STR(json_string_value(json_object_get(v, "s4")), "第五条");
	NB_CHECK_STR(json_string_value(json_object_get(v, "s5")), "line1\nline2\n");
	NB_CHECK_STR(json_string_value(json_object_get(v, "s6")), "a b\n");
	NB_CHECK_STR(json_string_value(json_object_get(v, "big")),
		     "123456789012345678901234567890");
	NB_CHECK_STR(json_string_value(json_object_get(v, "t1")), "12");
	NB_CHECK(json_integer_value(json_object_get(v, "t2")) == 12);
	NB_CHECK(json_is_real(json_object_get(v, "t3")));
	NB_CHECK(json_is_true(json_object_get(v, "t4")));
	NB_CHECK(json_is_null(json_object_get(v, "t5")));
	json_decref(v);
	nb_diag_free(&d);
}

NB_TEST(key_order_and_scalar_keys)
{
	const char *src = "zeta: 1\nalpha: 2\n中文: 3\n1: one\nnull: x\n"
			  "list:\n  - b\n  - a\nmap: {y: 1, x: 2}\n";
	nb_diag d;
	nb_diag_init(&d);
	json_t *v = NULL;
	NB_CHECK(load(src, 1, &v, NULL, NULL, &d) == 0);
	char *s = dump(v);
	NB_CHECK_STR(s, "{\"zeta\":1,\"alpha\":2,\"中文\":3,\"1\":\"one\","
			"\"null\":\"x\",\"list\":[\"b\",\"a\"],"
			"\"map\":{\"y\":1,\"x\":2}}");
	free(s);
	json_decref(v);
	nb_diag_free(&d);
}

NB_TEST(empty_document)
{
	nb_diag d;
	nb_diag_init(&d);
	json_t *v = NULL, *pos = NULL;
	NB_CHECK(load("", 2, &v, &pos, NULL, &d) == 0);
	NB_CHECK(json_is_object(v) && json_object_size(v) == 0);
	json_decref(v);
	json_decref(pos);
	NB_CHECK(load("# just a comment\n", 2, &v, NULL, NULL, &d) == 0);
	NB_CHECK(json_is_object(v) && json_object_size(v) == 0);
	json_decref(v);
	NB_CHECK(d.len == 0);
	nb_diag_free(&d);
}

NB_TEST(bom_and_crlf)
{
	const char *src = "\xEF\xBB\xBFtitle: x\r\nb: |\r\n  one\r\n  two\r\n";
	nb_diag d;
	nb_diag_init(&d);
	json_t *v = NULL, *pos = NULL;
	NB_CHECK(load(src, 1, &v, &pos, NULL, &d) == 0);
	NB_CHECK_STR(json_string_value(json_object_get(v, "title")), "x");
	NB_CHECK_STR(json_string_value(json_object_get(v, "b")), "one\ntwo\n");
	int l, c;
	nb_yaml_pos(pos, "/title", 1, &l, &c);
	NB_CHECK(l == 1 && c == 1);
	nb_yaml_pos(pos, "/b", 1, &l, &c);
	NB_CHECK(l == 2 && c == 1);
	json_decref(v);
	json_decref(pos);
	nb_diag_free(&d);
}

NB_TEST(positions)
{
	/* As if it were front matter starting on file line 2. */
	const char *src = "title: 会议纪要\n"           /* line 2 */
			  "votes:\n"                   /* line 3 */
			  "  for: 5\n"                 /* line 4 */
			  "  \"a/b~c\": 1\n"           /* line 5 */
			  "committee:\n"               /* line 6 */
			  "  - name: 张三\n"           /* line 7 */
			  "    role: chair\n";         /* line 8 */
	nb_diag d;
	nb_diag_init(&d);
	json_t *v = NULL, *pos = NULL;
	NB_CHECK(load(src, 2, &v, &pos, NULL, &d) == 0);
	int l, c;
	nb_yaml_pos(pos, "", 0, &l, &c);
	NB_CHECK(l == 2 && c == 1);
	nb_yaml_pos(pos, "/title", 1, &l, &c);
	NB_CHECK(l == 2 && c == 1);
	nb_yaml_pos(pos, "/title", 0, &l, &c);
	NB_CHECK(l == 2 && c == 8);
	nb_yaml_pos(pos, "/votes", 0, &l, &c);
	NB_CHECK(l == 4 && c == 3); /* a block mapping starts at its first key */
	nb_yaml_pos(pos, "/votes/for", 1, &l, &c);
	NB_CHECK(l == 4 && c == 3);
	nb_yaml_pos(pos, "/votes/for", 0, &l, &c);
	NB_CHECK(l == 4 && c == 8);
	nb_yaml_pos(pos, "/votes/a~1b~0c", 1, &l, &c);
	NB_CHECK(l == 5 && c == 3);
	nb_yaml_pos(pos, "/committee/0", 0, &l, &c);
	NB_CHECK(l == 7 && c == 5);
	nb_yaml_pos(pos, "/committee/0/name", 0, &l, &c);
	NB_CHECK(l == 7 && c == 11); /* columns count characters */
	nb_yaml_pos(pos, "/committee/0/role", 1, &l, &c);
	NB_CHECK(l == 8 && c == 5);
	/* Unknown paths fall back to the nearest known ancestor. */
	nb_yaml_pos(pos, "/committee/0/missing/deeper", 0, &l, &c);
	NB_CHECK(l == 7 && c == 5);
	nb_yaml_pos(NULL, "/x", 0, &l, &c);
	NB_CHECK(l == 0 && c == 0);
	json_t *a = json_object_get(pos, "/committee/0/name");
	NB_CHECK(json_is_array(a) && json_array_size(a) == 4);
	json_decref(v);
	json_decref(pos);
	nb_diag_free(&d);
}

NB_TEST(duplicate_key)
{
	expect_error(NB_T, "a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\n", 10, NULL,
		     "yaml-duplicate-key", 14, 3);
	nb_diag d;
	nb_diag_init(&d);
	json_t *v;
	NB_CHECK(load("a: 1\nb: 2\na: 3\n", 1, &v, NULL, NULL, &d) == -1);
	if (d.len)
		NB_CHECK_CONTAINS(d.items[0].hint, "line 1");
	nb_diag_free(&d);
}

NB_TEST(syntax_errors)
{
	/* Tab used for indentation on file line 12 (src line 3): named as
	 * such (yamlhint.c), not as libyaml's syntax error. */
	expect_error(NB_T, "a: 1\nb:\n\tc: 2\n", 10, NULL, "yaml-tab", 12, 1);
	/* Unclosed quote: reported where the quote opens. */
	expect_error(NB_T, "a: 1\ntitle: \"abc\ndate: 1\n", 1, NULL,
		     "yaml-syntax", 2, 8);
	/* Bad list indentation. */
	expect_error(NB_T, "a:\n  - x\n - y\n", 1, NULL, "yaml-syntax", 3, 2);
	nb_diag d;
	nb_diag_init(&d);
	json_t *v;
	NB_CHECK(load("a: 1\nb:\n\tc: 2\n", 1, &v, NULL, NULL, &d) == -1);
	if (d.len) {
		NB_CHECK_CONTAINS(d.items[0].msg, "a tab character in the indentation");
		NB_CHECK_CONTAINS(d.items[0].hint, "tab");
	}
	nb_diag_free(&d);
}

/* The one error `src` gives, its message and hint as a zh-CN site prints
 * them: none of libyaml's English may be left in the Chinese. */
static void expect_chinese(nb_test_state *nb__t, const char *src)
{
	static const char *const english[] = { "found", "while", "expected", "scanning",
					       "parsing", "escape", "unsupported", "tag" };
	nb_diag d;
	nb_diag_init(&d);
	json_t *v = NULL;
	NB_CHECK(load(src, 1, &v, NULL, NULL, &d) == -1);
	NB_CHECK(d.len == 1);
	for (size_t i = 0; i < d.len; i++) {
		char *m = nb_diag_translate("zh-CN", d.items[i].code, d.items[i].msg);
		char *h = nb_diag_translate("zh-CN", d.items[i].code, d.items[i].hint);
		for (size_t k = 0; k < sizeof(english) / sizeof(english[0]); k++) {
			NB_CHECK(!strstr(m, english[k]));
			NB_CHECK(!h || !strstr(h, english[k]));
		}
		if (!strcmp(m, d.items[i].msg) || (h && !strcmp(h, d.items[i].hint)))
			fprintf(stderr, "  for \"%s\": %s / %s\n", src, m, h ? h : "");
		free(m);
		free(h);
	}
	nb_diag_free(&d);
}

NB_TEST(libyaml_problems_in_chinese)
{
	/* A Windows path in double quotes: the quote is closed, and the hint
	 * says what the backslash does instead of asking for a quote. */
	nb_diag d;
	nb_diag_init(&d);
	json_t *v = NULL;
	NB_CHECK(load("a: 1\npath: \"C:\\docs\"\n", 1, &v, NULL, NULL, &d) == -1);
	NB_CHECK(d.len == 1);
	if (d.len) {
		NB_CHECK_STR(d.items[0].code, "yaml-syntax");
		NB_CHECK(d.items[0].line == 2 && d.items[0].col == 7);
		NB_CHECK_CONTAINS(d.items[0].hint, "backslash");
		NB_CHECK(!strstr(d.items[0].hint, "closing quote"));
	}
	nb_diag_free(&d);
	/* A value that starts with a character YAML reserves: quote it. */
	static const char *const reserved[] = { "title: @会议\n", "title: `a`\n", "a: 1\nb: %x\n" };
	for (size_t i = 0; i < sizeof(reserved) / sizeof(*reserved); i++) {
		nb_diag_init(&d);
		NB_CHECK(load(reserved[i], 1, &v, NULL, NULL, &d) == -1);
		NB_CHECK(d.len == 1 && d.items[0].hint);
		if (d.len && d.items[0].hint) {
			NB_CHECK_CONTAINS(d.items[0].hint, "put the whole value in quotes");
			char *zh = nb_diag_translate("zh-CN", "yaml-syntax", d.items[0].hint);
			NB_CHECK_CONTAINS(zh, "引号");
			free(zh);
		}
		nb_diag_free(&d);
	}
	expect_chinese(NB_T, "path: \"C:\\docs\"\n");
	expect_chinese(NB_T, "a: \"\\xZZ\"\n");
	expect_chinese(NB_T, "a: \"\\uD800x\"\n");
	expect_chinese(NB_T, "%YAML 9.9\n---\na: b\n");
	expect_chinese(NB_T, "a: @b\n");
	expect_chinese(NB_T, "a: `b\n");
	expect_chinese(NB_T, "a: !!binary x\n");
	expect_chinese(NB_T, "a: |0\n  x\n");
	expect_chinese(NB_T, "a: &\n");
	expect_chinese(NB_T, "a: !x!y b\n");
}

NB_TEST(structure_errors)
{
	expect_error(NB_T, "a: 1\n---\nb: 2\n", 1, NULL, "yaml-multi-doc", 2, 1);
	expect_error(NB_T, "- 1\n- 2\n", 5, NULL, "yaml-root", 5, 1);
	expect_error(NB_T, "? [a, b]\n: 1\n", 1, NULL, "yaml-key", 1, 3);
	expect_error(NB_T, "a: !custom x\n", 1, NULL, "yaml-tag", 1, 4);
	expect_error(NB_T, "a: !!int abc\n", 1, NULL, "yaml-tag", 1, 4);
	expect_error(NB_T, "a: !!seq {x: 1}\n", 1, NULL, "yaml-tag", 1, 4);
	expect_error(NB_T, "a: *nope\n", 1, NULL, "yaml-alias", 1, 4);
	expect_error(NB_T, "a: .inf\n", 1, NULL, "yaml-float", 1, 4);
	expect_error(NB_T, "ok: 1\nbad: \xFF\n", 1, NULL, "utf8-invalid", 2, 6);

	/* Not a mapping is fine when the caller does not ask for one. */
	nb_diag d;
	nb_diag_init(&d);
	json_t *v = NULL;
	NB_CHECK(nb_yaml_load(&v, NULL, "- 1\n- x\n", 8, "s.yaml", 1, 0, NULL,
			      &d) == 0);
	NB_CHECK(json_is_array(v) && json_array_size(v) == 2);
	json_decref(v);
	nb_diag_free(&d);
}

NB_TEST(aliases_share_and_count)
{
	const char *src = "base: &b\n  x: 1\n  y: [1, 2]\ncopy: *b\n";
	nb_diag d;
	nb_diag_init(&d);
	json_t *v = NULL, *pos = NULL;
	NB_CHECK(load(src, 1, &v, &pos, NULL, &d) == 0);
	char *s = dump(v);
	NB_CHECK_STR(s, "{\"base\":{\"x\":1,\"y\":[1,2]},"
			"\"copy\":{\"x\":1,\"y\":[1,2]}}");
	free(s);
	int l, c;
	nb_yaml_pos(pos, "/copy/y/1", 0, &l, &c); /* falls back to the alias */
	NB_CHECK(l == 4 && c == 7);
	json_decref(v);
	json_decref(pos);

	nb_yaml_limits lim = { 0, 2, 0, 0 };
	expect_error(NB_T, "a: &x 1\nb: *x\nc: *x\nd: *x\n", 1, &lim,
		     "yaml-limit", 4, 4);
	NB_CHECK(load("a: &x 1\nb: *x\nc: *x\nd: *x\n", 1, &v, NULL, &lim,
		      &d) == -1);
	if (d.len)
		NB_CHECK_CONTAINS(d.items[0].hint, "limits.yaml_aliases");
	nb_diag_free(&d);
}

NB_TEST(billion_laughs)
{
	const char *src =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	nb_diag d;
	nb_diag_init(&d);
	json_t *v = (json_t *)1;
	NB_CHECK(load(src, 1, &v, NULL, NULL, &d) == -1);
	NB_CHECK(v == NULL);
	NB_CHECK(d.len == 1);
	if (d.len) {
		NB_CHECK_STR(d.items[0].code, "yaml-limit");
		NB_CHECK_CONTAINS(d.items[0].msg, "1000000");
		NB_CHECK(d.items[0].line == 7); /* g: 10 + 91*9... passes 1e6 */
	}
	nb_diag_free(&d);
}

NB_TEST(depth_and_scalar_limits)
{
	/* The root mapping is level 1, so a limit of 2 refuses `b`'s mapping. */
	nb_yaml_limits lim = { 2, 0, 0, 8 };
	expect_error(NB_T, "a:\n  b:\n    c: 1\n", 1, &lim, "yaml-limit", 3, 5);
	expect_error(NB_T, "a: 0123456789\n", 1, &lim, "yaml-limit", 1, 4);

	/* Default depth 64: deep flow nesting is refused, not recursed. */
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, "a: ");
	for (int i = 0; i < 10000; i++)
		nb_buf_putc(&b, '[');
	for (int i = 0; i < 10000; i++)
		nb_buf_putc(&b, ']');
	nb_buf_putc(&b, '\n');
	nb_diag d;
	nb_diag_init(&d);
	json_t *v;
	NB_CHECK(load(nb_buf_cstr(&b), 1, &v, NULL, NULL, &d) == -1);
	NB_CHECK(d.len == 1);
	if (d.len) {
		NB_CHECK_STR(d.items[0].code, "yaml-limit");
		NB_CHECK_CONTAINS(d.items[0].hint, "limits.yaml_depth");
	}
	nb_diag_free(&d);
	nb_buf_free(&b);
}

/* The compact table (nb_yaml_load_compact) answers every nb_yaml_pos
 * question exactly as the object form does, including ancestor fallback,
 * escaped and multi-line keys; and errors are the same. */
NB_TEST(compact_positions)
{
	const char *src = "title: 会议纪要\n"
			  "\"a/b~c\": {x: 1, y: [2, 3]}\n"
			  "\"two\\nlines\": 1\n"
			  "\"12\": twelve\n"
			  "base: &b\n  k: [1, {z: 2}]\n"
			  "copy: *b\n"
			  "committee:\n  - name: 张三\n    role: chair\n"
			  "  -\n    - deep\n"
			  "empty:\n";
	nb_diag d;
	nb_diag_init(&d);
	json_t *v1 = NULL, *p1 = NULL, *v2 = NULL, *p2 = NULL;
	NB_CHECK(nb_yaml_load(&v1, &p1, src, strlen(src), "t.md", 3, 1, NULL, &d) == 0);
	NB_CHECK(nb_yaml_load_compact(&v2, &p2, src, strlen(src), "t.md", 3, 1,
				      NULL, &d) == 0);
	NB_CHECK(d.len == 0);
	NB_CHECK(json_equal(v1, v2));
	NB_CHECK(json_is_string(p2));
	NB_CHECK(json_object_size(p1) == 22);
	const char *extra[] = { "/nothing", "/a~1b~0c/y/7", "/copy/k/1/z",
				"/committee/1/0/more", "/two\nlines/x", "/12",
				"/title/", "", "/" };
	const char *path;
	json_t *ignored;
	size_t n = 0;
	json_object_foreach(p1, path, ignored) {
		for (int key = 0; key < 2; key++) {
			int l1, c1, l2, c2;
			nb_yaml_pos(p1, path, key, &l1, &c1);
			nb_yaml_pos(p2, path, key, &l2, &c2);
			NB_CHECK(l1 > 0 && l1 == l2 && c1 == c2);
		}
		n++;
	}
	NB_CHECK(n == 22);
	for (size_t i = 0; i < sizeof extra / sizeof *extra; i++) {
		for (int key = 0; key < 2; key++) {
			int l1, c1, l2, c2;
			nb_yaml_pos(p1, extra[i], key, &l1, &c1);
			nb_yaml_pos(p2, extra[i], key, &l2, &c2);
			NB_CHECK(l1 == l2 && c1 == c2);
		}
	}
	int l, c;
	nb_yaml_pos(p2, "/two\nlines", 1, &l, &c);
	NB_CHECK(l == 5 && c == 1);
	nb_yaml_pos(p2, "/committee/1/0", 0, &l, &c);
	NB_CHECK(l == 14 && c == 7);
	nb_yaml_pos(p2, "/a~1b~0c/y/1", 0, &l, &c);
	NB_CHECK(l == 4 && c == 24);
	json_decref(v1);
	json_decref(p1);
	json_decref(v2);
	json_decref(p2);

	/* A duplicate key names the first one's line in both forms. */
	const char *dup = "a: 1\nb:\n  c: 1\n  c: 2\n";
	nb_diag d2;
	nb_diag_init(&d2);
	NB_CHECK(nb_yaml_load(&v1, &p1, dup, strlen(dup), "t.md", 2, 1, NULL, &d) == -1);
	NB_CHECK(nb_yaml_load_compact(&v2, &p2, dup, strlen(dup), "t.md", 2, 1,
				      NULL, &d2) == -1);
	NB_CHECK(v2 == NULL && p2 == NULL);
	NB_CHECK(d.len == 1 && d2.len == 1);
	if (d.len == 1 && d2.len == 1) {
		NB_CHECK_STR(d2.items[0].msg, d.items[0].msg);
		NB_CHECK_STR(d2.items[0].hint, d.items[0].hint);
		NB_CHECK_CONTAINS(d2.items[0].hint, "on line 4");
		NB_CHECK(d2.items[0].line == d.items[0].line &&
			 d2.items[0].col == d.items[0].col);
	}
	nb_diag_free(&d);
	nb_diag_free(&d2);

	/* An empty document has a root entry; no table at all is allowed too. */
	nb_diag_init(&d);
	NB_CHECK(nb_yaml_load_compact(&v2, &p2, "", 0, "t.md", 2, 1, NULL, &d) == 0);
	nb_yaml_pos(p2, "/x", 0, &l, &c);
	NB_CHECK(l == 2 && c == 1);
	json_decref(v2);
	json_decref(p2);
	NB_CHECK(nb_yaml_load_compact(&v2, NULL, "a: 1\n", 5, "t.md", 1, 1, NULL, &d) == 0);
	json_decref(v2);
	NB_CHECK(d.len == 0);
	nb_diag_free(&d);
}

/* `<<` merges mappings: the mapping's own keys win wherever they are
 * written, an earlier mapping of a list over a later one; a quoted "<<"
 * is an ordinary key; anything but mappings is an error. */
NB_TEST(merge_keys)
{
	const char *src =
		"v: &v {for: 7, against: 2, abstain: 1}\n"
		"w: &w {against: 5, note: w}\n"
		"votes:\n  for: 8\n  <<: *v\n"
		"both:\n  <<: [*w, *v]\n  note: own\n"
		"inline: {<<: {a: 1}, b: 2}\n"
		"quoted: {\"<<\": x}\n";
	json_t *v = NULL, *pos = NULL;
	nb_diag d;
	nb_diag_init(&d);
	NB_CHECK(load(src, 1, &v, &pos, NULL, &d) == 0);
	NB_CHECK(d.len == 0);
	char *s = dump(json_object_get(v, "votes"));
	NB_CHECK_STR(s, "{\"for\":8,\"against\":2,\"abstain\":1}");
	free(s);
	s = dump(json_object_get(v, "both"));
	NB_CHECK_STR(s, "{\"note\":\"own\",\"against\":5,\"for\":7,\"abstain\":1}");
	free(s);
	s = dump(json_object_get(v, "inline"));
	NB_CHECK_STR(s, "{\"b\":2,\"a\":1}");
	free(s);
	s = dump(json_object_get(v, "quoted"));
	NB_CHECK_STR(s, "{\"<<\":\"x\"}");
	free(s);
	/* A merged field is found at the `<<` line. */
	int line, col;
	nb_yaml_pos(pos, "/votes/against", 0, &line, &col);
	NB_CHECK(line == 5);
	json_decref(v);
	json_decref(pos);
	nb_diag_free(&d);
	expect_error(nb__t, "a: &a [1]\nb: {<<: *a}\n", 1, NULL, "yaml-merge", 2, 9);
	expect_error(nb__t, "a: &a {x: 1}\nb: {<<: [*a, 3]}\n", 1, NULL, "yaml-merge", 2, 9);
	expect_error(nb__t, "a: &a {x: 1}\nb:\n  <<: *a\n  <<: *a\n", 1, NULL, "yaml-merge", 4, 3);
}

NB_TEST_MAIN("yaml", NB_CASE(typing), NB_CASE(merge_keys), NB_CASE(key_order_and_scalar_keys),
	     NB_CASE(empty_document), NB_CASE(bom_and_crlf), NB_CASE(positions),
	     NB_CASE(duplicate_key), NB_CASE(syntax_errors), NB_CASE(libyaml_problems_in_chinese),
	     NB_CASE(structure_errors), NB_CASE(aliases_share_and_count),
	     NB_CASE(billion_laughs), NB_CASE(depth_and_scalar_limits),
	     NB_CASE(compact_positions))

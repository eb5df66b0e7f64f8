/*
 * test_mustache.c - the Mustache engine against the official specification.
 *
 * The spec's YAML files are read as they are (from $NB_MUSTACHE_SPEC or
 * ../shared/mustache-spec) rather than converted to C once, so a newer spec
 * is tested by dropping in its files. The few YAML features the spec uses
 * (plain scalars typed as null, booleans, integers and floats; quoted and
 * block scalars as strings) are mapped to jansson by the small loader below.
 * Our own additions (error positions, depth limit, numbers, truthiness)
 * follow the spec run.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "harness.h"
#include "template/mustache.h"
#include "util/diag.h"

/* ---- libyaml -> jansson ---- */

static int plain_is_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static json_t *scalar_to_json(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;
	size_t len = n->data.scalar.length;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn(s, len);
	if (len == 0 || !strcmp(s, "~") || !strcmp(s, "null") ||
	    !strcmp(s, "Null") || !strcmp(s, "NULL"))
		return json_null();
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return json_true();
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return json_false();
	if (plain_is_int(s))
		return json_integer(strtoll(s, NULL, 10));
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (*end == '\0' && end != s && !errno && strpbrk(s, "0123456789"))
		return json_real(d);
	return json_stringn(s, len);
}

static json_t *yaml_to_json(yaml_document_t *doc, yaml_node_t *n, int depth)
{
	if (!n || depth > 64)
		return json_null();
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return scalar_to_json(n);
	case YAML_SEQUENCE_NODE: {
		json_t *a = json_array();
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++)
			json_array_append_new(
				a, yaml_to_json(doc, yaml_document_get_node(doc, *it),
						depth + 1));
		return a;
	}
	case YAML_MAPPING_NODE: {
		json_t *o = json_object();
		for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
		     pr < n->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = yaml_document_get_node(doc, pr->key);
			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			json_object_setn_new(
				o, (const char *)k->data.scalar.value,
				k->data.scalar.length,
				yaml_to_json(doc, yaml_document_get_node(doc, pr->value),
					     depth + 1));
		}
		return o;
	}
	default:
		return json_null();
	}
}

static json_t *load_yaml_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	yaml_parser_t parser;
	yaml_document_t doc;
	json_t *r = NULL;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (yaml_parser_load(&parser, &doc)) {
		r = yaml_to_json(&doc, yaml_document_get_root_node(&doc), 0);
		yaml_document_delete(&doc);
	} else {
		fprintf(stderr, "  %s: YAML error: %s (line %zu)\n", path,
			parser.problem ? parser.problem : "?",
			parser.problem_mark.line + 1);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return r;
}

/* ---- the spec run ---- */

static const char *spec_dir(void)
{
	const char *e = getenv("NB_MUSTACHE_SPEC");
	return e && *e ? e : "../shared/mustache-spec";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run one spec test; 1 if it passed. */
static int run_spec_test(const char *file, json_t *test)
{
	const char *name = json_string_value(json_object_get(test, "name"));
	const char *tpl = json_string_value(json_object_get(test, "template"));
	const char *want = json_string_value(json_object_get(test, "expected"));
	json_t *data = json_object_get(test, "data");
	json_t *partials = json_object_get(test, "partials");
	if (!tpl || !want) {
		fprintf(stderr, "  %s: %s: malformed test\n", file, name ? name : "?");
		return 0;
	}
	nb_mustache *m = nb_mustache_new(NULL);
	nb_diag d;
	nb_diag_init(&d);
	const char *key;
	json_t *val;
	json_object_foreach(partials, key, val) {
		if (json_is_string(val))
			nb_mustache_add(m, key, key, json_string_value(val),
					json_string_length(val), &d);
	}
	nb_mustache_add(m, "(template)", "(template)", tpl, strlen(tpl), &d);
	nb_buf out = NB_BUF_INIT;
	int rc = d.errors ? -1 : nb_mustache_render(m, "(template)", data, &out, &d);
	int ok = rc == 0 && strcmp(nb_buf_cstr(&out), want) == 0;
	if (!ok) {
		fprintf(stderr, "  %s: FAILED \"%s\"\n    template: \"%s\"\n"
			"    expected: \"%s\"\n    got:      \"%s\"\n",
			file, name ? name : "?", tpl, want, nb_buf_cstr(&out));
		if (d.len)
			nb_diag_print(&d, stderr, 0);
	}
	nb_buf_free(&out);
	nb_diag_free(&d);
	nb_mustache_free(m);
	return ok;
}

NB_TEST(spec_files)
{
	const char *dir = spec_dir();
	DIR *dh = opendir(dir);
	if (!dh) {
		static char why[512];
		snprintf(why, sizeof(why),
			 "mustache spec not found at %s: spec tests skipped", dir);
		nb_test_skip(why);
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(dh))) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".yml") != 0)
			continue;
		if (strstr(de->d_name, "lambdas")) /* we have no lambdas */
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(de->d_name);
	}
	closedir(dh);
	qsort(names, n, sizeof(*names), cmp_str);

	int total = 0, passed = 0;
	for (size_t i = 0; i < n; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		json_t *doc = load_yaml_file(path);
		json_t *tests = json_object_get(doc, "tests");
		NB_CHECK(json_is_array(tests));
		int ft = 0, fp = 0;
		size_t k;
		json_t *test;
		json_array_foreach(tests, k, test) {
			ft++;
			fp += run_spec_test(names[i], test);
		}
		printf("  %-22s %3d of %3d passed\n", names[i], fp, ft);
		total += ft;
		passed += fp;
		json_decref(doc);
		free(names[i]);
	}
	free(names);
	printf("mustache spec: %d of %d passed\n", passed, total);
	NB_CHECK(n > 0);
	NB_CHECK(total > 0);
	NB_CHECK(passed == total);
}

/* ---- our own ---- */

/* Render `tpl` (with optional partial "p") against JSON `data`. */
static char *render_str(const char *tpl, const char *partial, const char *data,
			nb_diag *d, int *rc)
{
	nb_mustache *m = nb_mustache_new(NULL);
	json_t *j = json_loads(data ? data : "{}", JSON_DECODE_ANY, NULL);
	nb_buf out = NB_BUF_INIT;
	int r = -1;
	if (partial)
		nb_mustache_add(m, "p", "p.mustache", partial, strlen(partial), d);
	if (nb_mustache_add(m, "t", "t.mustache", tpl, strlen(tpl), d) == 0)
		r = nb_mustache_render(m, "t", j, &out, d);
	if (rc)
		*rc = r;
	json_decref(j);
	nb_mustache_free(m);
	return nb_buf_detach(&out);
}

/* Expect parsing `tpl` to fail at line:col with a message and hint
 * containing the given words. */
static int syntax_at(nb_test_state *nb__t, const char *tpl, int line, int col,
		     const char *msg_part, const char *hint_part)
{
	nb_mustache *m = nb_mustache_new(NULL);
	nb_diag d;
	nb_diag_init(&d);
	int rc = nb_mustache_add(m, "t", "themes/x/t.mustache", tpl, strlen(tpl), &d);
	int before = nb__t->failed_checks;
	if (rc != -1)
		fprintf(stderr, "  for \"%s\": no syntax error\n", tpl);
	NB_CHECK(rc == -1);
	NB_CHECK(d.len == 1);
	if (d.len == 1) {
		nb_diag_entry *e = &d.items[0];
		if (e->line != line || e->col != col)
			fprintf(stderr, "  for \"%s\": got %d:%d, want %d:%d\n", tpl,
				e->line, e->col, line, col);
		NB_CHECK(e->line == line);
		NB_CHECK(e->col == col);
		NB_CHECK_STR(e->code, "template-syntax");
		NB_CHECK_STR(e->file, "themes/x/t.mustache");
		NB_CHECK_CONTAINS(e->msg, msg_part);
		NB_CHECK(e->hint != NULL);
		if (hint_part)
			NB_CHECK_CONTAINS(e->hint, hint_part);
	}
	NB_CHECK(!nb_mustache_has(m, "t"));
	nb_diag_free(&d);
	nb_mustache_free(m);
	return nb__t->failed_checks == before;
}

NB_TEST(syntax_errors)
{
	syntax_at(NB_T, "a\n  {{#x}}b", 2, 3, "unclosed section {{#x}}", "{{/x}}");
	syntax_at(NB_T, "{{#items}}\n{{/item}}", 2, 1, "does not match", "{{/items}}");
	syntax_at(NB_T, "x {{/y}}", 1, 3, "never opened", NULL);
	syntax_at(NB_T, "hello {{name", 1, 7, "unclosed tag", "}}");
	syntax_at(NB_T, "é ü {{{x}}", 1, 5, "unclosed tag", "}}}");
	syntax_at(NB_T, "\n\n {{=<%=}}", 3, 2, "bad delimiter", NULL);
	syntax_at(NB_T, "ab {{ }}", 1, 4, "empty tag", NULL);
	syntax_at(NB_T, "{{#a}}{{^b}}{{/b}}", 1, 1, "unclosed section", "{{/a}}");
	syntax_at(NB_T, "{{<base}}{{$x}}{{/base}}", 1, 16, "does not match", "{{/x}}");
	syntax_at(NB_T, "{{page title}}", 1, 1, "contains a space", NULL);
	syntax_at(NB_T, "{{a..b}}", 1, 1, "bad name", NULL);
	/* hints use the delimiters in force */
	syntax_at(NB_T, "{{=<% %>=}}\n<%#list%>", 2, 1, "unclosed section", "<%/list%>");
}

/* Two ASCII letters in a row in `s` once the tags it quotes ({{…}},
 * {{{…}}}, <%…%>), names in quotes and the example page.title are taken
 * out: what is left is the sentence around them. */
static int has_english_word(const char *s)
{
	int run = 0;
	for (const char *p = s; *p; p++) {
		const char *close = NULL;
		if (!strncmp(p, "{{", 2))
			close = strstr(p, "}}");
		else if (!strncmp(p, "<%", 2))
			close = strstr(p, "%>");
		if (*p == '"')  /* a name as the template wrote it */
			close = strchr(p + 1, '"');
		if (close) {
			p = *p == '"' ? close : close + 1 + (close[2] == '}');
			run = 0;
			continue;
		}
		if (!strncmp(p, "page.title", 10)) {
			p += 9;
			continue;
		}
		run = ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) ? run + 1 : 0;
		if (run == 2)
			return 1;
	}
	return 0;
}

/* A zh-CN site's theme maintainer reads a broken template's message and
 * hint in Chinese, not an English sentence behind a Chinese label. */
static void syntax_in_chinese(nb_test_state *nb__t, const char *tpl, const char *msg,
			      const char *hint)
{
	nb_mustache *m = nb_mustache_new(NULL);
	nb_diag d;
	nb_diag_init(&d);
	NB_CHECK(nb_mustache_add(m, "t", "t.mustache", tpl, strlen(tpl), &d) == -1);
	NB_CHECK(d.len == 1);
	if (d.len == 1) {
		char *zm = nb_diag_translate("zh-CN", d.items[0].code, d.items[0].msg);
		char *zh = nb_diag_translate("zh-CN", d.items[0].code, d.items[0].hint);
		NB_CHECK(!has_english_word(zm));
		NB_CHECK(!has_english_word(zh));
		if (msg)
			NB_CHECK_STR(zm, msg);
		if (hint)
			NB_CHECK_STR(zh, hint);
		if (has_english_word(zm) || has_english_word(zh))
			fprintf(stderr, "  for \"%s\": %s / %s\n", tpl, zm, zh);
		free(zm);
		free(zh);
	}
	nb_diag_free(&d);
	nb_mustache_free(m);
}

NB_TEST(syntax_errors_in_chinese)
{
	syntax_in_chinese(NB_T, "a\n  {{#page}}b", "模板语法错误：区块 {{#page}} 没有结束",
			  "请用 {{/page}} 结束这个区块");
	syntax_in_chinese(NB_T, "{{#items}}\n{{/item}}",
			  "模板语法错误：{{/item}} 与第 1 行开始的 {{#items}} 不配对",
			  "请先用 {{/items}} 结束 {{#items}}");
	syntax_in_chinese(NB_T, "x {{/y}}", NULL, NULL);
	syntax_in_chinese(NB_T, "hello {{name", "模板语法错误：标签 {{ 没有结束",
			  "请用 }} 结束这个标签");
	syntax_in_chinese(NB_T, "{{{x}}", NULL, NULL);
	syntax_in_chinese(NB_T, " {{=<%=}}", NULL, NULL);
	syntax_in_chinese(NB_T, "ab {{ }}", NULL, NULL);
	syntax_in_chinese(NB_T, "{{#a}}{{^b}}", NULL, NULL);
	syntax_in_chinese(NB_T, "{{<base}}", NULL, NULL);
	syntax_in_chinese(NB_T, "{{$title}}", NULL, NULL);
	syntax_in_chinese(NB_T, "{{page title}}", NULL, NULL);
	syntax_in_chinese(NB_T, "{{a..b}}", NULL, NULL);
	syntax_in_chinese(NB_T, "{{=<% %>=}}\n<%#list%>", NULL, "请用 <%/list%> 结束这个区块");
	nb_buf deep = NB_BUF_INIT;
	for (int i = 0; i < 300; i++)
		nb_buf_puts(&deep, "{{#a}}");
	syntax_in_chinese(NB_T, nb_buf_cstr(&deep), NULL, NULL);
	nb_buf_free(&deep);
}

NB_TEST(depth_limit)
{
	nb_mustache_limits lim = { 10 };
	nb_mustache *m = nb_mustache_new(&lim);
	nb_diag d;
	nb_diag_init(&d);
	const char *self = "x\n  {{>self}}\n";
	NB_CHECK(nb_mustache_add(m, "self", "layouts/self.mustache", self,
				 strlen(self), &d) == 0);
	nb_buf out = NB_BUF_INIT;
	nb_buf_puts(&out, "keep");
	json_t *data = json_object();
	NB_CHECK(nb_mustache_render(m, "self", data, &out, &d) == -1);
	NB_CHECK_STR(nb_buf_cstr(&out), "keep");
	NB_CHECK(d.errors == 1);
	if (d.len) {
		NB_CHECK_STR(d.items[0].code, "template-depth");
		NB_CHECK_STR(d.items[0].file, "layouts/self.mustache");
		NB_CHECK(d.items[0].line == 2);
		NB_CHECK(d.items[0].col == 3);
		NB_CHECK_CONTAINS(d.items[0].msg, "{{>self}}");
	}
	/* Bounded recursion through data renders fine. */
	nb_diag_free(&d);
	nb_diag_init(&d);
	NB_CHECK(nb_mustache_render(m, "missing", data, &out, &d) == -1);
	NB_CHECK(d.errors == 1);
	json_decref(data);
	nb_buf_free(&out);
	nb_diag_free(&d);
	nb_mustache_free(m);
}

NB_TEST(escaping)
{
	char *s = render_str("{{x}}|{{{x}}}|{{&x}}", NULL,
			     "{\"x\": \"<a href=\\\"u\\\">&'</a>\"}", NULL, NULL);
	NB_CHECK_STR(s, "&lt;a href=&quot;u&quot;&gt;&amp;&#39;&lt;/a&gt;|"
		     "<a href=\"u\">&'</a>|<a href=\"u\">&'</a>");
	free(s);
}

NB_TEST(numbers)
{
	char *s = render_str("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}", NULL,
			     "{\"a\": 1.210, \"b\": 1.5, \"c\": 0.1, \"d\": 42, "
			     "\"e\": -7, \"f\": 1e300, \"g\": 0.30000000000000004}",
			     NULL, NULL);
	NB_CHECK_STR(s, "1.21 1.5 0.1 42 -7 1e+300 0.30000000000000004");
	free(s);
}

NB_TEST(truthiness)
{
	char *s = render_str("{{#e}}E{{/e}}{{^e}}!e{{/e}}|{{#z}}Z{{.}}{{/z}}|"
			     "{{#n}}N{{/n}}{{^n}}!n{{/n}}|{{#a}}A{{/a}}{{^a}}!a{{/a}}|"
			     "{{#s}}{{.}}{{/s}}", NULL,
			     "{\"e\": \"\", \"z\": 0, \"n\": null, \"a\": [], \"s\": \"hi\"}",
			     NULL, NULL);
	NB_CHECK_STR(s, "!e|Z0|!n|!a|hi");
	free(s);
}

NB_TEST(partial_indent_and_replace)
{
	/* Data is not indented, template lines are. */
	char *s = render_str("<ul>\n  {{>p}}\n</ul>\n", "<li>{{x}}</li>\n<li>b</li>\n",
			     "{\"x\": \"1\\n2\"}", NULL, NULL);
	NB_CHECK_STR(s, "<ul>\n  <li>1\n2</li>\n  <li>b</li>\n</ul>\n");
	free(s);

	nb_mustache *m = nb_mustache_new(NULL);
	nb_diag d;
	nb_diag_init(&d);
	nb_mustache_add(m, "a", "a1", "one", 3, &d);
	nb_mustache_add(m, "a", "a2", "two", 3, &d);
	NB_CHECK(nb_mustache_has(m, "a"));
	NB_CHECK(!nb_mustache_has(m, "b"));
	/* Many templates: the table grows. */
	for (int i = 0; i < 200; i++) {
		char name[32];
		snprintf(name, sizeof(name), "t%d", i);
		nb_mustache_add(m, name, name, name, strlen(name), &d);
	}
	nb_buf out = NB_BUF_INIT;
	json_t *data = json_object();
	NB_CHECK(nb_mustache_render(m, "a", data, &out, &d) == 0);
	NB_CHECK(nb_mustache_render(m, "t123", data, &out, &d) == 0);
	NB_CHECK_STR(nb_buf_cstr(&out), "twot123");
	NB_CHECK(d.len == 0);
	json_decref(data);
	nb_buf_free(&out);
	nb_diag_free(&d);
	nb_mustache_free(m);
}

/* Digest of the set {page, a partial, a base it extends, an unrelated
 * layout}, with one of them replaced by `name`/`src` (NULL: none). */
static int digest_with(const char *name, const char *src, nb_digest *out)
{
	static const char *const base[][2] = {
		{ "page", "{{<base}}{{$main}}{{>item}}{{/main}}{{/base}}" },
		{ "base", "<main>{{$main}}{{/main}}</main>{{#x}}{{>footer}}{{/x}}" },
		{ "item", "<li>{{title}}</li>" },
		{ "other", "{{>item}} other" },
	};
	nb_mustache *m = nb_mustache_new(NULL);
	nb_diag d;
	nb_diag_init(&d);
	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		nb_mustache_add(m, base[i][0], base[i][0], base[i][1], strlen(base[i][1]), &d);
	if (name)
		nb_mustache_add(m, name, name, src, strlen(src), &d);
	int rc = nb_mustache_digest(m, "page", out);
	nb_diag_free(&d);
	nb_mustache_free(m);
	return rc;
}

NB_TEST(digest_covers_what_a_layout_reads)
{
	nb_digest d0, d;
	NB_CHECK(digest_with(NULL, NULL, &d0) == 0);
	NB_CHECK(digest_with(NULL, NULL, &d) == 0 && nb_digest_eq(d, d0));
	/* Another layout changes: not read by page. */
	NB_CHECK(digest_with("other", "changed", &d) == 0 && nb_digest_eq(d, d0));
	NB_CHECK(digest_with("unrelated", "new", &d) == 0 && nb_digest_eq(d, d0));
	/* The page itself, its partial, the parent it extends, a partial
	 * inside a section of that parent: each is read. */
	NB_CHECK(digest_with("page", "{{<base}}{{/base}}", &d) == 0 && !nb_digest_eq(d, d0));
	NB_CHECK(digest_with("item", "<li>{{title}}!</li>", &d) == 0 && !nb_digest_eq(d, d0));
	NB_CHECK(digest_with("base", "<main>{{$main}}{{/main}}</main>", &d) == 0 &&
		 !nb_digest_eq(d, d0));
	/* A partial it looks for that was missing appears. */
	NB_CHECK(digest_with("footer", "<footer></footer>", &d) == 0 && !nb_digest_eq(d, d0));
	/* A name taken from the data: anything may be read. */
	NB_CHECK(digest_with("item", "{{>*which}}", &d) == -1);
}

NB_TEST_MAIN("mustache",
	     NB_CASE(spec_files),
	     NB_CASE(syntax_errors),
	     NB_CASE(syntax_errors_in_chinese),
	     NB_CASE(depth_limit),
	     NB_CASE(escaping),
	     NB_CASE(numbers),
	     NB_CASE(truthiness),
	     NB_CASE(partial_indent_and_replace),
	     NB_CASE(digest_covers_what_a_layout_reads))

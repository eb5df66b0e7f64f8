/*
 * test_yamlhint.c - the real cause of a YAML error, read from the line
 * (yamlhint.c).
 *
 * A secretary who types `title：` with a Chinese input method, indents
 * with a tab or writes text after a closing quote must be told that, at
 * that line and column, with an example they can copy; and a line that
 * parsed as the text the author meant must never be blamed instead of the
 * real mistake. Expectations are worked out from yamlhint.c's top comment
 * and the messages it documents; columns count characters, as an editor
 * shows them. The hints are printed on terminals and in JSON, so they must
 * be whole UTF-8 whatever they quote.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "diag_find.h"
#include "load/yamlhint.h"
#include "load/yamltree.h"
#include "util/diag.h"
#include "util/utf8.h"

#define F "content/meetings/2024/m.md"

/* The one diagnostic of `d`, with this code, line and column. */
static const nb_diag_entry *one(nb_test_state *nb__t, const nb_diag *d, const char *code,
				int line, int col)
{
	NB_CHECK(d->len == 1);
	if (d->len != 1)
		nb_diag_print(d, stderr, 0);
	const nb_diag_entry *e = diag_find(d, code, NULL);
	NB_CHECK(e != NULL);
	if (!e)
		return NULL;
	NB_CHECK_STR(e->file, F);
	NB_CHECK(e->sev == NB_SEV_ERROR);
	NB_CHECK(e->line == line && e->col == col);
	if (e->line != line || e->col != col)
		fprintf(stderr, "  got %d:%d\n", e->line, e->col);
	NB_CHECK(e->hint != NULL);
	/* Whole UTF-8, both of them. */
	NB_CHECK(nb_utf8_validate(e->msg, strlen(e->msg), NULL, NULL) == 0);
	NB_CHECK(e->hint && nb_utf8_validate(e->hint, strlen(e->hint), NULL, NULL) == 0);
	return e;
}

/* nb_yaml_hint_cause over `src`, lines 0..upto, front matter starting on
 * line `first` of the file. */
static int cause(nb_diag *d, const char *src, int first, size_t upto)
{
	nb_diag_init(d);
	return nb_yaml_hint_cause(d, F, first, src, strlen(src), 0, upto);
}

/* ---- a full-width colon ---- */

NB_TEST(fullwidth_colon_after_a_field_name)
{
	nb_diag d;
	NB_CHECK(cause(&d, "title\xef\xbc\x9a会议纪要\n", 2, 0) == 1);
	const nb_diag_entry *e = one(NB_T, &d, "yaml-fullwidth-colon", 2, 6);
	if (e) {
		NB_CHECK_STR(e->msg, "full-width colon `：` after `title`: YAML needs an ASCII colon");
		NB_CHECK_STR(e->hint, "write `title: …` with an ASCII colon and a space after it, "
			     "e.g. `title: 会议纪要`");
	}
	nb_diag_free(&d);

	/* In a list item, with spaces around, on the third line; a CRLF
	 * file's CR is not part of the example. */
	NB_CHECK(cause(&d, "absent:\r\n  - {name: a}\r\n  - name \xef\xbc\x9a 王五\r\n", 2, 2) == 1);
	e = one(NB_T, &d, "yaml-fullwidth-colon", 4, 10);
	if (e)
		NB_CHECK_CONTAINS(e->hint, "e.g. `name: 王五`");
	nb_diag_free(&d);
}

/* The example quotes at most 40 bytes of the value: cut between two
 * characters, never inside one (a Chinese character is three bytes). */
NB_TEST(fullwidth_colon_long_value_cut_whole)
{
	static const char *const values[] = {
		"一二三四五六七八九十一二三四五六七八九十",   /* 60 bytes: 40 is inside 十 */
		"a一二三四五六七八九十一二三四五六七八九十", /* 41 is inside */
		"ab一二三四五六七八九十一二三四五六七八九十",
	};
	for (size_t i = 0; i < 3; i++) {
		char src[256];
		snprintf(src, sizeof(src), "title\xef\xbc\x9a%s\n", values[i]);
		nb_diag d;
		NB_CHECK(cause(&d, src, 1, 0) == 1);
		const nb_diag_entry *e = one(NB_T, &d, "yaml-fullwidth-colon", 1, 6);
		if (e) {
			/* What the example keeps is the value's beginning. */
			const char *ex = strstr(e->hint, "e.g. `title: ");
			NB_CHECK(ex != NULL);
			if (ex) {
				ex += strlen("e.g. `title: ");
				size_t n = strcspn(ex, "`");
				NB_CHECK(n >= 37 && n <= 40);
				NB_CHECK(strncmp(ex, values[i], n) == 0);
			}
		}
		nb_diag_free(&d);
	}
}

NB_TEST(fullwidth_colon_needs_a_field_name)
{
	/* Not after a plain field name: no cause found here. */
	static const char *const lines[] = {
		"\xef\xbc\x9a会议\n",           /* nothing before it */
		"备注\xef\xbc\x9a会议\n",       /* not a field name */
		"title: 时间\xef\xbc\x9a" "19:30\n", /* inside a value */
	};
	for (size_t i = 0; i < 3; i++) {
		nb_diag d;
		NB_CHECK(cause(&d, lines[i], 1, 0) == 0);
		NB_CHECK(d.len == 0);
		nb_diag_free(&d);
	}
}

/* ---- a tab ---- */

NB_TEST(tab_in_the_indentation)
{
	nb_diag d;
	NB_CHECK(cause(&d, "votes:\n  \tfor: 7\n", 2, 1) == 1);
	const nb_diag_entry *e = one(NB_T, &d, "yaml-tab", 3, 3);
	if (e) {
		NB_CHECK_STR(e->msg, "a tab character in the indentation: YAML indents with spaces only");
		NB_CHECK_CONTAINS(e->hint, "line 3");
	}
	nb_diag_free(&d);
	/* A tab after the text is not indentation. */
	NB_CHECK(cause(&d, "title: a\tb\n", 1, 0) == 0);
	NB_CHECK(d.len == 0);
	nb_diag_free(&d);
}

/* ---- text after a closing quote ---- */

NB_TEST(text_after_the_closing_quote)
{
	nb_diag d;
	NB_CHECK(cause(&d, "id: \"m1\"\ntitle: \"会议\" 补充\n", 2, 1) == 1);
	const nb_diag_entry *e = one(NB_T, &d, "yaml-after-quote", 3, 13);
	if (e) {
		NB_CHECK_STR(e->msg, "text after the closing quote: `补充`");
		NB_CHECK_STR(e->hint, "put the whole value inside the quotes, e.g. \"会议 补充\"");
	}
	nb_diag_free(&d);
	/* Escaped quotes are inside the value; trailing spaces are not text. */
	NB_CHECK(cause(&d, "a: \"say \\\"hi\\\"\" now  \n", 1, 0) == 1);
	e = one(NB_T, &d, "yaml-after-quote", 1, 17);
	if (e) {
		NB_CHECK_STR(e->msg, "text after the closing quote: `now`");
		NB_CHECK_CONTAINS(e->hint, "e.g. \"say \\\"hi\\\" now\"");
	}
	nb_diag_free(&d);
	NB_CHECK(cause(&d, "a: 'it''s' here\n", 1, 0) == 1);
	e = one(NB_T, &d, "yaml-after-quote", 1, 12);
	if (e)
		NB_CHECK_CONTAINS(e->hint, "e.g. 'it''s here'");
	nb_diag_free(&d);
	/* A quote or backslash in the text after it is escaped in the
	 * example, which must itself be a value YAML reads. */
	NB_CHECK(cause(&d, "title: \"A \"quoted\" C:\\x\"\n", 1, 0) == 1);
	e = one(NB_T, &d, "yaml-after-quote", 1, 12);
	if (e)
		NB_CHECK_STR(e->hint, "put the whole value inside the quotes, "
			     "e.g. \"A quoted\\\" C:\\\\x\\\"\"");
	nb_diag_free(&d);
	NB_CHECK(cause(&d, "a: 'x' it's\n", 1, 0) == 1);
	e = one(NB_T, &d, "yaml-after-quote", 1, 8);
	if (e)
		NB_CHECK_CONTAINS(e->hint, "e.g. 'x it''s'");
	nb_diag_free(&d);
}

NB_TEST(after_quote_only_where_it_is_text)
{
	static const char *const ok[] = {
		"a: \"x\" # a comment\n", /* a comment */
		"a: \"x\"   \n",          /* spaces */
		"a: \"never closed\n",    /* runs on */
		"a: x \"y\" z\n",         /* not a quoted value */
		"- \"x\" y\n",            /* no field */
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		nb_diag d;
		NB_CHECK(cause(&d, ok[i], 1, 0) == 0);
		NB_CHECK(d.len == 0);
		nb_diag_free(&d);
	}
	/* Text after a quote breaks parsing on its own line: an earlier one
	 * is not the cause of a failure further down. */
	nb_diag d;
	NB_CHECK(cause(&d, "a: \"x\" y\nb: c\n", 1, 1) == 0);
	NB_CHECK(d.len == 0);
	nb_diag_free(&d);
}

/* ---- only up to the failure ---- */

NB_TEST(lines_after_the_failure_not_read)
{
	nb_diag d;
	NB_CHECK(cause(&d, "a: 1\nb: [\ntitle\xef\xbc\x9ax\n\tc: 2\n", 1, 1) == 0);
	NB_CHECK(d.len == 0);
	nb_diag_free(&d);
	/* The first found is the one reported. */
	NB_CHECK(cause(&d, "\ta: 1\ntitle\xef\xbc\x9ax\n", 1, 1) == 1);
	one(NB_T, &d, "yaml-tab", 1, 1);
	nb_diag_free(&d);
	/* Nor before the last value that parsed: those lines are text. */
	static const char src[] = "\ta: 1\nb\xef\xbc\x9ax\nc\xef\xbc\x9ay\n";
	nb_diag_init(&d);
	NB_CHECK(nb_yaml_hint_cause(&d, F, 1, src, strlen(src), 2, 2) == 1);
	one(NB_T, &d, "yaml-fullwidth-colon", 3, 2);
	nb_diag_free(&d);
	nb_diag_init(&d);
	NB_CHECK(nb_yaml_hint_cause(&d, F, 1, src, strlen(src), 3, 3) == 0);
	NB_CHECK(d.len == 0);
	nb_diag_free(&d);
}

/* ---- through the YAML reader: what a secretary sees ---- */

static void load(nb_diag *d, const char *src, json_t **root)
{
	nb_diag_init(d);
	json_t *pos = NULL;
	*root = NULL;
	nb_yaml_load(root, &pos, src, strlen(src), F, 2, 1, NULL, d);
	json_decref(pos);
}

NB_TEST(reader_reports_the_cause)
{
	nb_diag d;
	json_t *root;
	load(&d, "id: \"m1\"\ntitle\xef\xbc\x9a会议\ndate: 2024-03-08\n", &root);
	NB_CHECK(root == NULL);
	one(NB_T, &d, "yaml-fullwidth-colon", 3, 6);
	nb_diag_free(&d);
	/* The whole front matter one line of text. */
	load(&d, "title\xef\xbc\x9a会议\n", &root);
	NB_CHECK(root == NULL);
	one(NB_T, &d, "yaml-fullwidth-colon", 2, 6);
	nb_diag_free(&d);
	load(&d, "id: \"m1\"\ntitle: \"会议\" 补充\ndate: 2024-03-08\n", &root);
	NB_CHECK(root == NULL);
	one(NB_T, &d, "yaml-after-quote", 3, 13);
	nb_diag_free(&d);
}

/* A line that parsed is what its author meant, and is not blamed for a
 * mistake further down: a literal block may hold `Note：` or a tab after
 * its indentation, and a list item may be `note：x`. */
NB_TEST(reader_blames_the_mistake_not_parsed_text)
{
	static const char *const srcs[] = {
		"summary: |\n  Note\xef\xbc\x9asee below\n  more\nid: \"m1\"\ntitle: \"会议\" 补充\n",
		"summary: |\n  code\n  \tmore\nid: \"m1\"\ntitle: \"会议\" 补充\n",
		"agenda:\n  - a\n  - note\xef\xbc\x9ax\nid: \"m1\"\ntitle: \"会议\" 补充\n",
	};
	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		nb_diag d;
		json_t *root;
		load(&d, srcs[i], &root);
		NB_CHECK(root == NULL);
		one(NB_T, &d, "yaml-after-quote", 6, 13);
		nb_diag_free(&d);
		/* Without the mistake, the same lines are a record. */
		char fixed[256];
		snprintf(fixed, sizeof(fixed), "%s", srcs[i]);
		strcpy(strstr(fixed, " 补充"), "\n");
		load(&d, fixed, &root);
		NB_CHECK(root != NULL && d.len == 0);
		json_decref(root);
		nb_diag_free(&d);
	}
}

/* ---- a full-width comma in a [ ] list ---- */

static void flow_item(nb_diag *d, const char *value, yaml_scalar_style_t style, int line,
		      int col)
{
	yaml_event_t ev;
	nb_diag_init(d);
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)value,
					  (int)strlen(value), 1, 1, style))
		abort();
	nb_yaml_hint_flow_item(d, F, line, col, &ev);
	yaml_event_delete(&ev);
}

NB_TEST(fullwidth_comma_in_a_flow_list)
{
	nb_diag d;
	flow_item(&d, "张三，李四", YAML_PLAIN_SCALAR_STYLE, 9, 13);
	const nb_diag_entry *e = one(NB_T, &d, "yaml-fullwidth-comma", 9, 15);
	if (e) {
		NB_CHECK_STR(e->msg, "full-width comma `，` in a [ ] list: YAML separates items "
			     "with an ASCII comma");
		NB_CHECK_STR(e->hint, "replace `，` with `, ` (an ASCII comma and a space), "
			     "e.g. [张三, 李四]");
	}
	nb_diag_free(&d);
	/* Three names, the first comma reported. */
	flow_item(&d, "Li，王五，赵六", YAML_PLAIN_SCALAR_STYLE, 3, 20);
	e = one(NB_T, &d, "yaml-fullwidth-comma", 3, 22);
	if (e)
		NB_CHECK_CONTAINS(e->hint, "e.g. [Li, 王五, 赵六]");
	nb_diag_free(&d);
	/* Quoted, it is the author's text; without one, nothing to say. */
	flow_item(&d, "张三，李四", YAML_DOUBLE_QUOTED_SCALAR_STYLE, 9, 13);
	NB_CHECK(d.len == 0);
	nb_diag_free(&d);
	flow_item(&d, "张三、李四", YAML_PLAIN_SCALAR_STYLE, 9, 13);
	NB_CHECK(d.len == 0);
	nb_diag_free(&d);
}

NB_TEST(reader_reports_the_comma)
{
	nb_diag d;
	json_t *root;
	load(&d, "id: m1\nattendees: [周建华, 张三，李四]\n", &root);
	one(NB_T, &d, "yaml-fullwidth-comma", 3, 20);
	json_decref(root);
	nb_diag_free(&d);
	load(&d, "attendees: [\"张三，李四\"]\n", &root);
	NB_CHECK(d.len == 0);
	NB_CHECK_STR(json_string_value(json_array_get(json_object_get(root, "attendees"), 0)),
		     "张三，李四");
	json_decref(root);
	nb_diag_free(&d);
}

NB_TEST_MAIN("yamlhint", NB_CASE(fullwidth_colon_after_a_field_name),
	     NB_CASE(fullwidth_colon_long_value_cut_whole),
	     NB_CASE(fullwidth_colon_needs_a_field_name), NB_CASE(tab_in_the_indentation),
	     NB_CASE(text_after_the_closing_quote), NB_CASE(after_quote_only_where_it_is_text),
	     NB_CASE(lines_after_the_failure_not_read), NB_CASE(reader_reports_the_cause),
	     NB_CASE(reader_blames_the_mistake_not_parsed_text),
	     NB_CASE(fullwidth_comma_in_a_flow_list), NB_CASE(reader_reports_the_comma))

/*
 * test_frontmatter.c - fences, BOM, CRLF and the line numbers of each part.
 */
#include <string.h>

#include "util/diag.h"
#include "load/frontmatter.h"
#include "harness.h"

static int split(nb_frontmatter *fm, const char *s, nb_diag *d)
{
	return nb_frontmatter_split(fm, s, strlen(s), "a.md", d);
}

NB_TEST(plain_fences)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_frontmatter fm;
	const char *s = "---\ntitle: x\ndate: 2024-07-12\n---\n# Body\ntext\n";
	NB_CHECK(split(&fm, s, &d) == 0);
	NB_CHECK(fm.has_yaml == 1);
	NB_CHECK(fm.yaml_line == 2);
	NB_CHECK(fm.yaml_len == strlen("title: x\ndate: 2024-07-12\n"));
	NB_CHECK(strncmp(fm.yaml, "title: x\n", 9) == 0);
	NB_CHECK(fm.body_line == 5);
	NB_CHECK(fm.body_len == strlen("# Body\ntext\n"));
	NB_CHECK(strncmp(fm.body, "# Body", 6) == 0);
	NB_CHECK(d.errors == 0);
	nb_diag_free(&d);
}

NB_TEST(bom_and_crlf)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_frontmatter fm;
	const char *s = "\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\nBody\r\n";
	NB_CHECK(split(&fm, s, &d) == 0);
	NB_CHECK(fm.has_yaml == 1);
	NB_CHECK(fm.yaml_line == 2);
	NB_CHECK(fm.yaml_len == strlen("title: x\r\n"));
	NB_CHECK(strncmp(fm.yaml, "title: x\r\n", fm.yaml_len) == 0);
	NB_CHECK(fm.body_line == 4);
	NB_CHECK(fm.body_len == strlen("Body\r\n"));
	NB_CHECK(strncmp(fm.body, "Body\r\n", fm.body_len) == 0);
	nb_diag_free(&d);
}

NB_TEST(dots_close_and_trailing_space)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_frontmatter fm;
	NB_CHECK(split(&fm, "--- \na: 1\n...\nB", &d) == 0);
	NB_CHECK(fm.has_yaml == 1 && fm.yaml_len == 5 && fm.body_line == 4);
	NB_CHECK(fm.body_len == 1 && fm.body[0] == 'B');
	nb_diag_free(&d);
}

NB_TEST(no_front_matter)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_frontmatter fm;
	const char *s = "\xEF\xBB\xBF# Title\n---\nmore\n";
	NB_CHECK(split(&fm, s, &d) == 0);
	NB_CHECK(fm.has_yaml == 0);
	NB_CHECK(fm.yaml == NULL);
	NB_CHECK(fm.body == s + 3);
	NB_CHECK(fm.body_len == strlen(s) - 3);
	NB_CHECK(fm.body_line == 1);
	/* "----" and "--- x" are not fences. */
	NB_CHECK(split(&fm, "----\na\n---\n", &d) == 0 && fm.has_yaml == 0);
	NB_CHECK(split(&fm, "--- x\na\n---\n", &d) == 0 && fm.has_yaml == 0);
	NB_CHECK(split(&fm, "", &d) == 0 && fm.has_yaml == 0 && fm.body_len == 0);
	NB_CHECK(d.errors == 0);
	nb_diag_free(&d);
}

NB_TEST(empty_front_matter)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_frontmatter fm;
	NB_CHECK(split(&fm, "---\n---\nBody", &d) == 0);
	NB_CHECK(fm.has_yaml == 1 && fm.yaml != NULL && fm.yaml_len == 0);
	NB_CHECK(fm.yaml_line == 2 && fm.body_line == 3);
	NB_CHECK(fm.body_len == 4);
	/* Closing fence as the very last line, without a newline. */
	NB_CHECK(split(&fm, "---\na: 1\n---", &d) == 0);
	NB_CHECK(fm.has_yaml == 1 && fm.yaml_len == 5 && fm.body_len == 0);
	NB_CHECK(fm.body_line == 4);
	nb_diag_free(&d);
}

NB_TEST(unterminated)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_frontmatter fm;
	NB_CHECK(split(&fm, "---\ntitle: x\n\nBody text\n", &d) == -1);
	NB_CHECK(d.errors == 1);
	NB_CHECK(d.len == 1);
	if (d.len == 1) {
		NB_CHECK(d.items[0].line == 1 && d.items[0].col == 1);
		NB_CHECK_STR(d.items[0].code, "frontmatter-unterminated");
		NB_CHECK_STR(d.items[0].file, "a.md");
		NB_CHECK_CONTAINS(d.items[0].hint, "---");
	}
	nb_diag_free(&d);
}

/* The one parse every reader of front matter uses (load, publish,
 * publication diff): split and YAML, with positions only when asked. */
NB_TEST(parse_gives_front_matter_and_body)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_frontmatter fm;
	json_t *meta, *pos;
	const char *src = "---\nid: a-1\ndraft: true\nvotes: {for: 7}\n---\n正文\n";
	NB_CHECK(nb_frontmatter_parse(&fm, &meta, &pos, src, strlen(src), "a.md", NULL, &d) == 0);
	NB_CHECK(json_is_true(json_object_get(meta, "draft")));
	NB_CHECK_STR(json_string_value(json_object_get(meta, "id")), "a-1");
	NB_CHECK(json_integer_value(json_object_get(json_object_get(meta, "votes"), "for")) == 7);
	NB_CHECK(fm.body_line == 6 && fm.body_len == strlen("正文\n"));
	int line = 0, col = 0;
	nb_yaml_pos(pos, "/votes/for", 0, &line, &col);
	NB_CHECK(json_is_string(pos) && line == 4);
	json_decref(meta);
	json_decref(pos);
	/* No positions asked for: none made. */
	NB_CHECK(nb_frontmatter_parse(&fm, &meta, NULL, src, strlen(src), "a.md", NULL, &d) == 0);
	NB_CHECK(json_object_size(meta) == 3);
	json_decref(meta);
	/* No front matter: empty objects, the whole file is body. */
	NB_CHECK(nb_frontmatter_parse(&fm, &meta, &pos, "正文\n", 7, "a.md", NULL, &d) == 0);
	NB_CHECK(json_is_object(meta) && json_object_size(meta) == 0 && json_is_object(pos));
	NB_CHECK(!fm.has_yaml && fm.body_len == 7);
	json_decref(meta);
	json_decref(pos);
	NB_CHECK(d.len == 0);
	/* Wrong YAML: the body is still known, the error is reported. */
	const char *bad = "---\ntitle: [x\n---\nbody\n";
	NB_CHECK(nb_frontmatter_parse(&fm, &meta, &pos, bad, strlen(bad), "a.md", NULL, &d) ==
		 NB_FRONTMATTER_EYAML);
	NB_CHECK(!meta && !pos && fm.has_yaml && fm.body_line == 4 && d.errors == 1);
	/* Never closed: the whole file is body. */
	const char *open = "---\ntitle: x\n";
	NB_CHECK(nb_frontmatter_parse(&fm, &meta, &pos, open, strlen(open), "a.md", NULL, &d) ==
		 NB_FRONTMATTER_EFENCE);
	NB_CHECK(!meta && !pos && fm.body_len == strlen(open) && d.errors == 2);
	nb_diag_free(&d);
}

NB_TEST_MAIN("frontmatter", NB_CASE(plain_fences), NB_CASE(bom_and_crlf),
	     NB_CASE(dots_close_and_trailing_space), NB_CASE(no_front_matter),
	     NB_CASE(empty_front_matter), NB_CASE(unterminated),
	     NB_CASE(parse_gives_front_matter_and_body))

/*
 * test_diffhtml.c - a character diff written as HTML.
 *
 * The link stage keeps a charter comparison as spans; these checks pin the
 * markup made from them (escaped text, labelled <del>/<ins>), that the
 * spans give the very bytes the computed diff gives, and that a comparison
 * page gains its `*_html` fields on a copy, the shared page untouched.
 */
#include "harness.h"

#include "render/diffhtml.h"
#include "util/chardiff.h"

#define ESCAPED "a<del><span class=\"visually-hidden\">删除：</span>&lt;</del>" \
		"<ins><span class=\"visually-hidden\">新增：</span>&amp;</ins>b"

NB_TEST(html_escapes_and_labels)
{
	nb_diff d;
	nb_chardiff("a<b", 3, "a&b", 3, &d);
	nb_buf h = NB_BUF_INIT;
	nb_diff_html(&d, "删除：", "新增：", &h);
	NB_CHECK_STR(nb_buf_cstr(&h), ESCAPED);
	nb_buf_clear(&h);
	nb_diff_html(&d, NULL, "", &h);
	NB_CHECK_STR(nb_buf_cstr(&h), "a<del>&lt;</del><ins>&amp;</ins>b");
	nb_buf_free(&h);
	nb_diff_free(&d);
}

NB_TEST(spans_give_the_same_html)
{
	nb_diff d;
	nb_chardiff("a<b", 3, "a&b", 3, &d);
	json_t *spans = nb_diff_json(&d);
	nb_buf h = NB_BUF_INIT;
	nb_diff_spans_html(spans, "删除：", "新增：", &h);
	NB_CHECK_STR(nb_buf_cstr(&h), ESCAPED);
	nb_buf_free(&h);
	json_decref(spans);
	nb_diff_free(&d);
}

NB_TEST(compare_page_gains_html_on_a_copy)
{
	nb_diff d, t;
	nb_chardiff("a<b", 3, "a&b", 3, &d);
	nb_chardiff("Old", 3, "New", 3, &t);
	json_t *art = json_pack("{s:s, s:o, s:o}", "id", "a1", "diff", nb_diff_json(&d),
				"title_diff", nb_diff_json(&t));
	json_t *plain = json_pack("{s:s, s:o}", "id", "a2", "diff", nb_diff_json(&d));
	json_t *page = json_pack("{s:s, s:{s:[o, o], s:[{s:s}]}}", "title", "x", "compare",
				 "changed", art, plain, "added", "text", "A & B <c>");
	json_t *strings = json_pack("{s:s, s:s}", "diff_deleted", "删除：", "diff_inserted",
				    "新增：");
	json_t *p = nb_diff_compare_page(page, strings);
	NB_CHECK(p != NULL && p != page);
	const json_t *changed = json_object_get(json_object_get(p, "compare"), "changed");
	const json_t *c0 = json_array_get(changed, 0), *c1 = json_array_get(changed, 1);
	NB_CHECK_STR(json_string_value(json_object_get(c0, "diff_html")), ESCAPED);
	NB_CHECK_STR(json_string_value(json_object_get(c0, "title_diff_html")),
		     "<del><span class=\"visually-hidden\">删除：</span>Old</del>"
		     "<ins><span class=\"visually-hidden\">新增：</span>New</ins>");
	NB_CHECK_STR(json_string_value(json_object_get(c1, "diff_html")), ESCAPED);
	NB_CHECK(json_object_get(c1, "title_diff_html") == NULL);
	/* Articles' text escaped once, as text_html. */
	const json_t *added = json_object_get(json_object_get(p, "compare"), "added");
	NB_CHECK_STR(json_string_value(json_object_get(json_array_get(added, 0), "text_html")),
		     "A &amp; B &lt;c&gt;");
	/* The rest is shared, and the graph's page is as it was. */
	NB_CHECK(json_object_get(p, "title") == json_object_get(page, "title"));
	NB_CHECK(json_object_get(art, "diff_html") == NULL);
	NB_CHECK(json_object_get(plain, "diff_html") == NULL);
	/* No comparison: nothing to do. */
	json_t *other = json_pack("{s:s}", "title", "y");
	NB_CHECK(nb_diff_compare_page(other, strings) == NULL);
	json_decref(other);
	json_decref(p);
	json_decref(page);
	json_decref(strings);
	nb_diff_free(&d);
	nb_diff_free(&t);
}

NB_TEST_MAIN("diffhtml",
	     NB_CASE(html_escapes_and_labels),
	     NB_CASE(spans_give_the_same_html),
	     NB_CASE(compare_page_gains_html_on_a_copy))

/*
 * test_paging.c - lists cut into pages (graph/paging.h): which items land
 * on which page, the URLs of the pages, and the navigation between them
 * (first and last page, two either side of the current one, gaps between).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/paging.h"
#include "harness.h"

static json_t *strings(void)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "page_before", "第 ", "page_of", " 页，共 ",
			 "page_after", " 页", "page_short_after", " 页");
}

/* A list of `n` items, newest first, dated in two years. */
static json_t *list_of(size_t n)
{
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		char date[16], url[32];
		snprintf(date, sizeof(date), "%s-01-%02zu", i < 25 ? "2025" : "2024", 28 - i % 28);
		snprintf(url, sizeof(url), "/meetings/m%zu/", i);
		json_array_append_new(items, json_pack("{s:s, s:s}", "date", date, "url", url));
	}
	return json_pack("{s:s, s:o}", "title", "会议", "items", items);
}

NB_TEST(counts_and_paths)
{
	NB_CHECK(nb_paging_count(0, 20) == 1);
	NB_CHECK(nb_paging_count(1, 20) == 1);
	NB_CHECK(nb_paging_count(20, 20) == 1);
	NB_CHECK(nb_paging_count(21, 20) == 2);
	NB_CHECK(nb_paging_count(45, 20) == 3);
	NB_CHECK(nb_paging_count(5, 0) == 5); /* a size of 0 is taken as 1 */
	nb_buf b = NB_BUF_INIT;
	nb_paging_rel(&b, 1);
	NB_CHECK_STR(nb_buf_cstr(&b), "");
	nb_paging_rel(&b, 12);
	NB_CHECK_STR(nb_buf_cstr(&b), "page/12/");
	nb_buf_free(&b);
}

/* Every item on exactly one page, in the list's order; the list's other
 * fields shared; years grouped per page. */
NB_TEST(items_land_on_one_page_each)
{
	json_t *list = list_of(45), *s = strings();
	const json_t *all = json_object_get(list, "items");
	size_t seen = 0;
	for (size_t no = 1; no <= 3; no++) {
		json_t *page = NULL;
		NB_CHECK(nb_paging_page(&page, list, "/meetings/", s, 20, no) == 0 && page);
		if (!page)
			continue;
		const json_t *items = json_object_get(page, "items");
		NB_CHECK(json_array_size(items) == (no < 3 ? 20u : 5u));
		for (size_t i = 0; i < json_array_size(items); i++)
			NB_CHECK(json_array_get(items, i) == json_array_get(all, seen++));
		NB_CHECK_STR(json_string_value(json_object_get(page, "title")), "会议");
		NB_CHECK_STR(json_string_value(json_object_get(page, "url")), "/meetings/");
		/* Page 2 holds items 20-39: 2025 (20-24), then 2024. */
		const json_t *groups = json_object_get(page, "groups");
		size_t in_groups = 0;
		for (size_t g = 0; g < json_array_size(groups); g++)
			in_groups += json_array_size(json_object_get(json_array_get(groups, g), "items"));
		NB_CHECK(in_groups == json_array_size(items));
		if (no == 2) {
			NB_CHECK(json_array_size(groups) == 2);
			NB_CHECK_STR(json_string_value(json_object_get(json_array_get(groups, 0), "title")),
				     "2025");
			NB_CHECK_STR(json_string_value(json_object_get(json_array_get(groups, 1), "title")),
				     "2024");
		}
		json_decref(page);
	}
	NB_CHECK(seen == 45);
	json_t *page = NULL;
	NB_CHECK(nb_paging_page(&page, list, "/meetings/", s, 20, 0) == -1 && !page);
	NB_CHECK(nb_paging_page(&page, list, "/meetings/", s, 20, 4) == -1 && !page);
	/* One page: no pagination at all. */
	NB_CHECK(nb_paging_page(&page, list, "/meetings/", s, 50, 1) == 0);
	NB_CHECK(page && !json_object_get(page, "pagination"));
	json_decref(page);
	json_decref(list);
	json_decref(s);
}

/* The numbers a page links, as text: "1 _ 8 9 [10] 11 12 _ 20". */
static void nav_text(char *out, size_t cap, const json_t *pg)
{
	out[0] = '\0';
	const json_t *pages = json_object_get(pg, "pages");
	for (size_t i = 0; i < json_array_size(pages); i++) {
		const json_t *e = json_array_get(pages, i);
		char one[32];
		if (json_is_true(json_object_get(e, "gap")))
			snprintf(one, sizeof(one), "%s_", i ? " " : "");
		else if (json_is_true(json_object_get(e, "current")))
			snprintf(one, sizeof(one), "%s[%lld]", i ? " " : "",
				 (long long)json_integer_value(json_object_get(e, "number")));
		else
			snprintf(one, sizeof(one), "%s%lld", i ? " " : "",
				 (long long)json_integer_value(json_object_get(e, "number")));
		strncat(out, one, cap - strlen(out) - 1);
	}
}

NB_TEST(navigation)
{
	json_t *s = strings();
	char got[256];
	json_t *pg = nb_paging_nav("/meetings/", s, 10, 20);
	nav_text(got, sizeof(got), pg);
	NB_CHECK_STR(got, "1 _ 8 9 [10] 11 12 _ 20");
	NB_CHECK_STR(json_string_value(json_object_get(pg, "label")), "第 10 页，共 20 页");
	NB_CHECK_STR(json_string_value(json_object_get(pg, "title_part")), "第 10 页");
	NB_CHECK_STR(json_string_value(json_object_get(pg, "prev_url")), "/meetings/page/9/");
	NB_CHECK_STR(json_string_value(json_object_get(pg, "next_url")), "/meetings/page/11/");
	NB_CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(pg, "pages"), 0),
							"url")),
		     "/meetings/");
	json_decref(pg);
	/* The first page: no way back, no title part, its own URL kept. */
	pg = nb_paging_nav("/meetings/", s, 1, 20);
	nav_text(got, sizeof(got), pg);
	NB_CHECK_STR(got, "[1] 2 3 _ 20");
	NB_CHECK(!json_object_get(pg, "prev_url") && !json_object_get(pg, "title_part"));
	NB_CHECK_STR(json_string_value(json_object_get(pg, "next_url")), "/meetings/page/2/");
	json_decref(pg);
	/* The last page; and the pages left out are one gap, however few. */
	pg = nb_paging_nav("/meetings/", s, 20, 20);
	nav_text(got, sizeof(got), pg);
	NB_CHECK_STR(got, "1 _ 18 19 [20]");
	NB_CHECK(!json_object_get(pg, "next_url"));
	json_decref(pg);
	pg = nb_paging_nav("/meetings/", s, 5, 7);
	nav_text(got, sizeof(got), pg);
	NB_CHECK_STR(got, "1 _ 3 4 [5] 6 7");
	json_decref(pg);
	json_decref(s);
}

NB_TEST_MAIN("paging", NB_CASE(counts_and_paths), NB_CASE(items_land_on_one_page_each),
	     NB_CASE(navigation))

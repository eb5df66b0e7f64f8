/*
 * paging.c - splitting a list into pages; see paging.h.
 *
 * A page holds references to the list's items, not copies: a list of
 * 25,000 meetings cut into 1,250 pages costs one array of pointers per
 * page. The numbered links show the first and last page and two either
 * side of the current one, with gaps between, so a list of a thousand
 * pages still has a short navigation that fits a phone.
 */
#include "graph/paging.h"

#include <string.h>

#include "graph/site.h"

/* Page numbers shown either side of the current one. */
#define PAGING_NEIGHBOURS 2

size_t nb_paging_count(size_t n, size_t page_size)
{
	if (!page_size)
		page_size = 1;
	return n ? (n + page_size - 1) / page_size : 1;
}

void nb_paging_rel(nb_buf *out, size_t no)
{
	if (no > 1)
		nb_buf_printf(out, "page/%zu/", no);
}

static const char *sget(const json_t *strings, const char *key, const char *fallback)
{
	const char *v = json_string_value(json_object_get(strings, key));
	return v ? v : fallback;
}

static json_t *page_url(const char *list_url, size_t no)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, list_url);
	nb_paging_rel(&b, no);
	json_t *v = json_string(nb_buf_cstr(&b));
	nb_buf_free(&b);
	return v;
}

json_t *nb_paging_nav(const char *list_url, const json_t *strings, size_t no, size_t total)
{
	json_t *pg = json_object();
	json_object_set_new(pg, "number", json_integer((json_int_t)no));
	json_object_set_new(pg, "total", json_integer((json_int_t)total));
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s%zu%s%zu%s", sget(strings, "page_before", "Page "), no,
		      sget(strings, "page_of", " of "), total, sget(strings, "page_after", ""));
	json_object_set_new(pg, "label", json_string(nb_buf_cstr(&b)));
	if (no > 1) {
		nb_buf_clear(&b);
		nb_buf_printf(&b, "%s%zu%s", sget(strings, "page_before", "Page "), no,
			      sget(strings, "page_short_after", ""));
		json_object_set_new(pg, "title_part", json_string(nb_buf_cstr(&b)));
		json_object_set_new(pg, "prev_url", page_url(list_url, no - 1));
	}
	nb_buf_free(&b);
	if (no < total)
		json_object_set_new(pg, "next_url", page_url(list_url, no + 1));
	json_t *pages = json_array();
	int gap = 0;
	for (size_t k = 1; k <= total; k++) {
		int near = k + PAGING_NEIGHBOURS >= no && k <= no + PAGING_NEIGHBOURS;
		if (k != 1 && k != total && !near) {
			if (!gap) {
				json_t *g = json_object();
				json_object_set_new(g, "gap", json_true());
				json_array_append_new(pages, g);
			}
			gap = 1;
			continue;
		}
		gap = 0;
		json_t *e = json_object();
		json_object_set_new(e, "number", json_integer((json_int_t)k));
		json_object_set_new(e, "url", page_url(list_url, k));
		if (k == no)
			json_object_set_new(e, "current", json_true());
		json_array_append_new(pages, e);
	}
	json_object_set_new(pg, "pages", pages);
	return pg;
}

int nb_paging_page(json_t **out, const json_t *list, const char *list_url,
		   const json_t *strings, size_t page_size, size_t no)
{
	*out = NULL;
	const json_t *all = json_object_get(list, "items");
	size_t n = json_array_size(all);
	size_t total = nb_paging_count(n, page_size);
	if (!page_size || no < 1 || no > total)
		return -1;
	json_t *page = json_copy((json_t *)list);
	if (!page)
		return -1;
	json_t *items = json_array();
	size_t end = no * page_size < n ? no * page_size : n;
	for (size_t i = (no - 1) * page_size; i < end; i++)
		json_array_append(items, json_array_get(all, i));
	json_object_set_new(page, "groups", nb_site_groups_by_year(items));
	json_object_set_new(page, "items", items);
	json_object_set_new(page, "url", json_string(list_url));
	if (total > 1)
		json_object_set_new(page, "pagination", nb_paging_nav(list_url, strings, no, total));
	*out = page;
	return 0;
}

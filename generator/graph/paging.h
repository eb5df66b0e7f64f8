/*
 * paging.h - splitting a list into pages of a fixed size.
 *
 * Every list (a kind's, each filter's) is cut into pages of
 * `pagination.page_size` items (config.h), so no page grows with the
 * archive: a 50,000-document site's meetings list was 15 MB in one page.
 * Page 1 keeps the list's own URL (links to it stay valid); page N lives
 * at `<list>page/N/`. Which items land on which page depends only on the
 * list's order (newest first, ties by URL), never on
 * threads, so output stays byte-identical.
 */
#ifndef NB_PAGING_H
#define NB_PAGING_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"

/* Pages a list of `n` items takes: at least one (an empty list still has
 * its page, which says there is nothing yet). */
size_t nb_paging_count(size_t n, size_t page_size);

/* The path of page `no` relative to the list's own, appended to `out`:
 * "" for page 1, "page/N/" after. */
void nb_paging_rel(nb_buf *out, size_t no);

/* The `pagination` object of page `no` of `total` (described below), for
 * pages that cut their items themselves (the publication history). */
json_t *nb_paging_nav(const char *list_url, const json_t *strings, size_t no, size_t total);

/*
 * Page `no` (1-based) of `list`, whose `items` are all of the list's items
 * in order: a new object with the list's other fields shared, `items` and
 * `groups` (by year) of that page only, `url` the list's first page and,
 * when there is more than one page, `pagination`: {number, total, label
 * ("第 2 页，共 5 页"), title_part (page 2 on: "第 2 页"), prev_url,
 * next_url, pages: [{number, url, current}|{gap}]}. `list_url` is the URL
 * of page 1; `strings` the theme's interface strings.
 */
int nb_paging_page(json_t **out, const json_t *list, const char *list_url,
		   const json_t *strings, size_t page_size, size_t no);

#endif

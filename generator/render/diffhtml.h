/*
 * diffhtml.h - a character diff (util/chardiff.h) written as HTML.
 *
 * The link stage keeps a charter comparison as data: each changed
 * article's `diff` (and `title_diff` when its title changed) is a list of
 * spans {"kind": "equal" | "delete" | "insert", "text": ...} (chardiff.h
 * nb_diff_json). The markup is
 * made here, when the comparison page is rendered, so graph/ holds no HTML
 * and a theme could draw the spans itself.
 */
#ifndef NB_DIFFHTML_H
#define NB_DIFFHTML_H

#include <jansson.h>

#include "util/buf.h"
#include "util/chardiff.h"

/*
 * Append the diff as HTML: text escaped, deletions in <del>, insertions in
 * <ins>, each opening with a visually hidden label (`del_label`,
 * `ins_label`, e.g. "删除：") for screen readers, which do not announce
 * <del>/<ins> by default. NULL labels are left out.
 */
void nb_diff_html(const nb_diff *d, const char *del_label, const char *ins_label,
		  nb_buf *out);

/* The same from spans as the link stage keeps them (see above). */
void nb_diff_spans_html(const json_t *spans, const char *del_label, const char *ins_label,
			nb_buf *out);

/*
 * A charter comparison page's data with its diffs as HTML: a copy of
 * `page` whose articles (compare.added, removed, changed, unchanged, and
 * each one's `old`) gain `text_html`, their `text` escaped, and changed
 * ones `diff_html` and, when the title changed, `title_diff_html`; labels
 * from the theme's
 * `strings` (diff_deleted, diff_inserted). Values not changed are shared,
 * not copied. NULL when the page has no comparison (use it as it is).
 */
json_t *nb_diff_compare_page(const json_t *page, const json_t *strings);

#endif

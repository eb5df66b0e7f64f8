/*
 * diffhtml.c - a character diff as HTML; see diffhtml.h.
 *
 * One writer per span serves both forms, the computed diff (tests, the
 * fuzzer) and the spans the link stage keeps, so a comparison reads the
 * same whichever way it reached here. The page copy shares every value it
 * does not change: a comparison page holds whole charters' text. Each
 * article's plain `text` is escaped here too, as `text_html`, the last
 * markup the link stage used to make.
 */
#include "render/diffhtml.h"

#include <string.h>

static void span_html(nb_diff_op op, const char *text, size_t len, const char *del_label,
		      const char *ins_label, nb_buf *out)
{
	const char *tag = op == NB_DIFF_DELETE ? "del" : op == NB_DIFF_INSERT ? "ins" : NULL;
	const char *label = op == NB_DIFF_DELETE ? del_label : ins_label;
	if (tag) {
		nb_buf_printf(out, "<%s>", tag);
		if (label && *label) {
			nb_buf_puts(out, "<span class=\"visually-hidden\">");
			nb_buf_put_html(out, label, strlen(label));
			nb_buf_puts(out, "</span>");
		}
	}
	nb_buf_put_html(out, text, len);
	if (tag)
		nb_buf_printf(out, "</%s>", tag);
}

void nb_diff_html(const nb_diff *d, const char *del_label, const char *ins_label,
		  nb_buf *out)
{
	for (size_t k = 0; k < d->len; k++)
		span_html(d->spans[k].op, d->spans[k].text, d->spans[k].len, del_label, ins_label,
			  out);
}

void nb_diff_spans_html(const json_t *spans, const char *del_label, const char *ins_label,
			nb_buf *out)
{
	size_t k;
	const json_t *sp;
	json_array_foreach(spans, k, sp) {
		const char *kind = json_string_value(json_object_get(sp, "kind"));
		const json_t *t = json_object_get(sp, "text");
		nb_diff_op op = !kind ? NB_DIFF_EQUAL : !strcmp(kind, "delete") ? NB_DIFF_DELETE
			: !strcmp(kind, "insert") ? NB_DIFF_INSERT : NB_DIFF_EQUAL;
		span_html(op, json_string_value(t) ? json_string_value(t) : "",
			  json_string_length(t), del_label, ins_label, out);
	}
}

/* `key` of `art` written as HTML into `html_key` of `copy`, when present. */
static void set_html(json_t *copy, const char *html_key, const json_t *art, const char *key,
		     const char *dl, const char *il)
{
	const json_t *spans = json_object_get(art, key);
	if (!json_is_array(spans))
		return;
	nb_buf h = NB_BUF_INIT;
	nb_diff_spans_html(spans, dl, il, &h);
	json_object_set_new(copy, html_key, json_stringn(h.ptr ? h.ptr : "", h.len));
	nb_buf_free(&h);
}

static const char *label(const json_t *strings, const char *key, const char *fallback)
{
	const char *v = json_string_value(json_object_get(strings, key));
	return v ? v : fallback;
}

/* A copy of article `a` with its text escaped as `text_html` (and its
 * diffs as HTML, for a changed one), `old` likewise. */
static json_t *article_html(const json_t *a, const char *dl, const char *il)
{
	json_t *c = json_copy((json_t *)a);
	const json_t *t = json_object_get(a, "text");
	if (json_is_string(t)) {
		nb_buf h = NB_BUF_INIT;
		nb_buf_put_html(&h, json_string_value(t), json_string_length(t));
		json_object_set_new(c, "text_html", json_stringn(h.ptr ? h.ptr : "", h.len));
		nb_buf_free(&h);
	}
	set_html(c, "title_diff_html", a, "title_diff", dl, il);
	set_html(c, "diff_html", a, "diff", dl, il);
	const json_t *old = json_object_get(a, "old");
	if (json_is_object(old))
		json_object_set_new(c, "old", article_html(old, dl, il));
	return c;
}

json_t *nb_diff_compare_page(const json_t *page, const json_t *strings)
{
	const json_t *cmp = json_object_get(page, "compare");
	if (!json_is_object(cmp) || !json_is_array(json_object_get(cmp, "changed")))
		return NULL;
	const char *dl = label(strings, "diff_deleted", "deleted: ");
	const char *il = label(strings, "diff_inserted", "inserted: ");
	json_t *cmp2 = json_copy((json_t *)cmp);
	static const char *const keys[] = { "added", "removed", "changed", "unchanged" };
	for (size_t k = 0; k < 4; k++) {
		json_t *arts = json_array();
		size_t i;
		const json_t *a;
		json_array_foreach(json_object_get(cmp, keys[k]), i, a)
			json_array_append_new(arts, article_html(a, dl, il));
		json_object_set_new(cmp2, keys[k], arts);
	}
	json_t *p = json_copy((json_t *)page);
	json_object_set_new(p, "compare", cmp2);
	return p;
}

/*
 * chardiff.h - character-level difference of two texts.
 *
 * Charter revisions are compared article by article, and within a changed
 * article residents need to see which words changed. Chinese is written
 * without spaces, so a word diff has nothing to split on and a byte diff
 * would cut characters in half: the unit here is the Unicode code point.
 *
 * The result is a list of spans, each EQUAL, DELETE or INSERT, that
 * reconstruct `a` (EQUAL + DELETE, in order) and `b` (EQUAL + INSERT, in
 * order). Within one changed stretch the deletion comes before the
 * insertion, so "管理" -> "停放与充电" reads as <del>管理</del><ins>停放与充电</ins>.
 *
 * Pure computation, so the link stage keeps a comparison as data (the
 * spans); render/diffhtml.h writes them as HTML when the page is made.
 */
#ifndef NB_CHARDIFF_H
#define NB_CHARDIFF_H

#include <stddef.h>

#include <jansson.h>

typedef enum nb_diff_op {
	NB_DIFF_EQUAL = 0,
	NB_DIFF_DELETE = 1,
	NB_DIFF_INSERT = 2,
} nb_diff_op;

typedef struct nb_diff_span {
	nb_diff_op op;
	const char *text;   /* points into a (EQUAL, DELETE) or b (INSERT) */
	size_t len;         /* bytes; always whole code points */
	size_t chars;       /* code points */
} nb_diff_span;

typedef struct nb_diff {
	nb_diff_span *spans;
	size_t len;
	size_t deleted;     /* code points deleted from a */
	size_t inserted;    /* code points inserted from b */
	int approximate;    /* work budget spent (myers.h): correct, not minimal */
} nb_diff;

/*
 * Diff a[0..alen) against b[0..blen) (UTF-8; an invalid byte counts as one
 * unit). Spans point into a and b, which must outlive the result. Equal
 * runs of a single character between two changes are folded into the
 * change, which reads better than "删<del>x</del>除" confetti. The result
 * is deterministic. Free with nb_diff_free.
 */
void nb_chardiff(const char *a, size_t alen, const char *b, size_t blen, nb_diff *out);
void nb_diff_free(nb_diff *d);

/* The diff as data, the form a page keeps it in: a new array of
 * {"kind": "equal" | "delete" | "insert", "text": ...}, in order
 * (render/diffhtml.h writes it as HTML). */
json_t *nb_diff_json(const nb_diff *d);

#endif

/*
 * textdiff.h - line diffs of two texts, printed as a unified diff.
 *
 * Used by `noticeboard diff` for document bodies and by the history pages
 * (graph/history.c keeps its lines as data); small and independent of the
 * rest, plain text on util/myers.c, so it sits below every stage.
 */
#ifndef NB_TEXTDIFF_H
#define NB_TEXTDIFF_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Append to `out` a unified diff (`--- label_a`, `+++ label_b`, `@@` hunks
 * with `context` lines around each change) of texts a and b, compared line
 * by line. Nothing is appended when they are equal. Returns the number of
 * hunks. A missing final newline is marked as diff(1) does.
 */
size_t nb_textdiff_unified(nb_buf *out, const char *a, size_t alen, const char *b,
			   size_t blen, const char *label_a, const char *label_b,
			   int context);

#endif

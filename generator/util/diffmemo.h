/*
 * diffmemo.h - character diffs kept between builds.
 *
 * Every build compares each charter version with its predecessor, article
 * by article (graph/charters.c), and the character diff of an article
 * (chardiff.h) is the costly part: a third of the link stage at 10,000
 * documents, half of it when versions are rewritten rather than amended,
 * all of it the same as last build after a one-line meeting edit. A diff
 * is a pure function of its two texts and of the program, so it is kept:
 * keyed by a 128-bit digest of the two texts (hash.h, each with its
 * length), in one file stamped with a salt naming the program (its
 * identity, as for the document memo, load/doccache.h). Another salt is
 * no memo at all, so a rebuilt program computes every diff again.
 *
 * A record keeps the spans' operations and byte lengths, not the text:
 * the spans are laid over the texts at hand again, and a record that does
 * not fit them exactly (its spans do not cover both texts, an equal span
 * is not equal, a span ends inside a character as chardiff counts
 * characters) is a miss, as is a file that is missing, short, from
 * another salt or whose closing hash over its bytes does not match. A
 * miss is simply a diff computed, so a memo can cost time, never a wrong
 * byte. Character counts are counted again, the way chardiff.c counts.
 *
 * The file holds what the last build used, in the order it used it:
 * records not asked for are dropped when it is saved, so it does not grow
 * with every edit. It is written aside and renamed (atomic), and only
 * when it would differ. Not thread-safe: one caller at a time.
 */
#ifndef NB_DIFFMEMO_H
#define NB_DIFFMEMO_H

#include <stddef.h>

#include "util/chardiff.h"

typedef struct nb_diffmemo nb_diffmemo;

/* Open the memo file `path` for diffs made under `salt` (any text). Never
 * fails: a file that cannot be used is an empty memo (*out is set, or
 * NULL with -1 when out of memory). */
int nb_diffmemo_open(nb_diffmemo **out, const char *path, const char *salt);

/* nb_chardiff(a, alen, b, blen, out), from the memo when it holds the
 * diff of these two texts, else computed and kept. `m` may be NULL (no
 * memo: computed). Spans point into a and b as nb_chardiff's do. */
void nb_diffmemo_chardiff(nb_diff *out, nb_diffmemo *m, const char *a, size_t alen,
			  const char *b, size_t blen);

/* How many diffs came from the memo, and how many were computed. */
void nb_diffmemo_counts(const nb_diffmemo *m, size_t *reused, size_t *made);

/* Write the memo with the diffs asked for since it was opened, in the
 * order first asked, when that differs from the file; 0, or -1 when it
 * could not be written (best effort: the next build only computes
 * again). */
int nb_diffmemo_save(nb_diffmemo *m);

void nb_diffmemo_free(nb_diffmemo *m);

#endif

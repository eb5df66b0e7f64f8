/*
 * skeleton.h - what a new document of each kind looks like, for
 * `noticeboard new` (cli/cmd_new.c parses its arguments; this writes the
 * file's text). The community document is newcommunity.h's.
 */
#ifndef NB_SKELETON_H
#define NB_SKELETON_H

#include <stddef.h>

#include "load/content.h"
#include "util/buf.h"

typedef struct nb_skeleton {
	const nb_content *c;       /* the site's documents, sources kept */
	const nb_doc *community;   /* may be NULL */
	int zh;                    /* comments in Chinese (else English) */
	char date[11];             /* YYYY-MM-DD */
	int year, month;           /* of `date` */
	const char *title;         /* --title or NULL */
	int date_given;            /* `date` was asked for, not today's */
	const char *lang;          /* what `err` says: "zh-CN", else English */
} nb_skeleton;

/* The kind named `k` (singular or plural): 0 meeting, 1 decision,
 * 2 evaluation, 3 charter, 4 page, 5 community, -1 none; *plural its
 * folder. */
int nb_skeleton_kind(const char *k, const char **plural);

/* The community `id`, or with id NULL the site's only one; NULL when there
 * is none (or, with id NULL, several). *count: the site's communities. */
const nb_doc *nb_skeleton_community(const nb_content *c, const char *id, size_t *count);

/*
 * A new document of kind k (0-4): its site-relative path into `rel`, its
 * id into `idb` (empty for a charter), its text into `text`. `id` may be
 * NULL for the kind's default. A decision takes the date of the
 * community's latest meeting unless x->date_given (x is updated). 0, or -1
 * with the reason and a hint in `err` (an evaluation for the period
 * exists, a charter draft is pending).
 */
int nb_skeleton_write(nb_buf *rel, nb_buf *idb, nb_buf *text, nb_buf *err, nb_skeleton *x,
		      int k, const char *id);

/* `s` as a double-quoted YAML scalar that loads back as `s` (a carriage
 * return dropped), whatever it holds: quotes, `#`, YAML's special words,
 * line breaks and control characters. */
void nb_skeleton_quote(nb_buf *b, const char *s);

#endif

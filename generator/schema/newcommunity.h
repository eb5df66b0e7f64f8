/*
 * newcommunity.h - the text of a new community document, shared by
 * `noticeboard init --community` and `noticeboard new community`.
 */
#ifndef NB_NEWCOMMUNITY_H
#define NB_NEWCOMMUNITY_H

#include "util/buf.h"

typedef struct nb_community_answers {
	const char *id;        /* required: the file is content/communities/<id>.md */
	const char *name;      /* 槐荫社区; default: the id */
	const char *street;    /* 桂园街道; may be NULL */
	const char *type;      /* one of the community types (老旧住宅区, …) */
	const char *platform;  /* party | residents-committee | … */
	const char *chair;     /* the committee's chair; may be NULL */
} nb_community_answers;

/* The allowed `type` and `platform` values, NULL-terminated, for prompts
 * and usage messages (they are the communities schema's enums). */
extern const char *const nb_community_types[];
extern const char *const nb_community_platforms[];

/* Whether the answers make a community: 0, or -1 with `out` holding a
 * one-line reason (an unusable id, an unknown type or platform) in the
 * language `zh` picks. A command says it in the language of its messages,
 * which NB_LANG may set apart from the site's, whose language the
 * document's own comments are in (nb_community_template). */
int nb_community_answers_check(nb_buf *out, const nb_community_answers *a, int zh);

/*
 * Write the document into `out`: `draft: true`, the answers filled in, the
 * committee as seven entries whose names are the placeholder … to replace
 * (records.c makes them errors once the draft line is removed). Returns 0,
 * or -1 with `out` holding a one-line reason (an unknown type or platform,
 * an unusable id) in the language `zh` picks.
 */
int nb_community_template(nb_buf *out, const nb_community_answers *a, int zh);

#endif

/*
 * records.h - checks that a published record is one: no text left from
 * the templates of `noticeboard new`, and the people and dates of a
 * meeting and its decisions agree with each other. See records.c.
 */
#ifndef NB_RECORDS_H
#define NB_RECORDS_H

#include "load/content.h"
#include "util/diag.h"

/* Front-matter text still holding the templates' `…`, and an adopted
 * decision whose votes are empty or 0/0/0; errors, except in drafts.
 * `meta` is the document's front matter (load/meta.h nb_doc_meta), which
 * the caller decoded once for all its checks. */
void nb_records_placeholders(const nb_doc *doc, const json_t *meta, nb_diag *d);

/* A meeting's chair and recorder among the committee (`community` may be
 * NULL) or the attendees and guests, with did-you-mean; a name both
 * attending and absent, or chairing (recording) and absent; a name
 * listed twice among the attendees. */
void nb_records_meeting(const nb_doc *m, const json_t *meta, const nb_doc *community,
			nb_diag *d);

/* A decision's `due` not before its `date`; its date against its meeting's
 * (`meeting` may be NULL): before it an error, after it a warning. */
void nb_records_decision(const nb_doc *dec, const nb_doc *meeting, nb_diag *d);

#endif

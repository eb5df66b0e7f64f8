/*
 * history.h - the publication history, shown on the site.
 *
 * The site's /history/ pages and every document's "first published in #N
 * · amended in #M" line come only from the audit repository (audit.h):
 * each publication's commit (publisher, message) and manifest.json (as-of
 * date, each document's path, id and source blob). Nothing is read from
 * the clock or the working folder, so the history a build shows is a pure
 * function of the publications it is given, and rebuilding publication N
 * from its recorded sources with the history up to N (`build
 * --audit-repo REPO --publication N`) reproduces its output byte for byte.
 *
 * `publish` shows the publication it is about to record: it passes the
 * pending one (number, as-of, publisher, the exact commit message, the
 * documents) and gets the same entry that reading the commit back later
 * gives, so the recorded output already lists itself.
 *
 * The data flows forward: load (here, with libgit2) -> build.c, after linking
 * -> nb_history_link (each document's publications, the history pages as
 * data) -> render.c.
 *
 * A publication's own pages cannot show its commit id (the commit hashes
 * them): the history pages of publication N (nb_site.publication) show
 * every earlier commit id and, for N, where to find it (the pub-N tag of
 * the audit repository), so rebuilding N gives the same bytes whether the
 * history given holds N's id or not.
 */
#ifndef NB_HISTORY_H
#define NB_HISTORY_H

#include <jansson.h>
#include <stddef.h>

#include "audit/audit.h"
#include "config/config.h"
#include "util/diag.h"
#include "graph/site.h"

/* The publication `publish` is about to record. */
typedef struct nb_history_pending {
	size_t number;
	const char *as_of;       /* YYYY-MM-DD */
	nb_time when;           /* the author's time: the recording date */
	const char *publisher;   /* the author's name */
	const char *message;     /* the whole commit message as it will be recorded */
	const nb_audit_docs *docs; /* sorted; the blobs already written */
	const char *email;       /* the author's email: whose key signs it */
	int is_signed;           /* it will be signed (audit.signing_key) */
} nb_history_pending;

/*
 * Publications 1..upto of an open repository, then `pending` (may be
 * NULL), as an array in publication order; each entry is
 *   {number, as_of, recorded (the commit's author date, YYYY-MM-DD, the
 *    date residents read), publisher, message, commit (its id, 40 hex;
 *    not in the pending one's entry, whose commit does not exist yet:
 *    publish adds it to what it remembers once recorded), signed (the
 *    commit carries a signature, not checked here: `verify` checks it),
 *    signer (the author's email, the principal its key must belong to),
 *    added: [{path, id}], removed: [{path, id}],
 *    changed: [{path, id, fields: [{field, from, to}], lines: [{kind, text}]}]}
 * with field values as display strings and `lines` a unified diff of the
 * body (kind: hunk, ctx, add, del, note). *out is NULL when there is no
 * publication at all. 0 or -1 (message in a->err).
 */
int nb_history_load(nb_audit *a, size_t upto, const nb_history_pending *pending,
		    json_t **out);

/*
 * Only the entry nb_history_load() appends for `pending`, given the last
 * publication's document map (its manifest's "documents"; NULL when there
 * is none): for `publish`, which keeps publications 1..N-1's entries from
 * its previous run instead of reading every manifest again. 0 or -1.
 */
int nb_history_entry(nb_audit *a, const nb_history_pending *pending,
		     const nb_audit_docs *prev_docs, json_t **out);

/*
 * The history a `build` shows, in two steps so that a build can tell
 * that its output is fresh without reading it. nb_history_find names the
 * publications: pub-1..pub-`publication` (0 = all) of the repository
 * `repo`, or site.yaml's audit.repository, by their chain (audit.h
 * nb_audit_chain_id), which fixes everything the history says; a few tag
 * reads. nb_history_read reads them: from what the last publish
 * remembered of that chain (audit.h nb_audit_state_load), else from the
 * repository. Without an explicit repo or publication, a missing
 * repository just means no history (upto 0, *out NULL, 0), and a broken
 * one a warning; anything asked for explicitly that is not there is an
 * error in `d` (-1). A build whose output is fresh for the chain reads no
 * object of it, so it does not notice an object damaged since the build
 * that made that output: checking the record is `verify`'s work, and
 * the build never did it on purpose.
 */
typedef struct nb_history_src {
	const char *repo;      /* borrowed from the caller or its config */
	const char *site_dir;  /* where the publish remembered it */
	size_t upto;           /* 0: there is no history */
	nb_oid chain;
	int asked;
	int remembered;        /* nb_history_read took it from the record */
} nb_history_src;

int nb_history_find(nb_history_src *out, const nb_config *cfg, const char *repo,
		    size_t publication, nb_diag *d);
int nb_history_read(nb_history_src *src, const nb_config *cfg, json_t **out,
		    nb_diag *d);
/* Mixes the chain into a cache key (nb_history_key); nothing when none. */
void nb_history_src_key(char hex[33], const nb_history_src *src);

/* The publication before `publication` in `src`'s repository, opened so
 * that a build reproducing `publication` (build --publication, verify
 * --rebuild) keeps that publication's pages as publish did
 * (output/pubtag.h): nb_history_previous_page reads one (an
 * nb_pubtag_previous page function, `ud` the nb_history_prev), and
 * nb_history_previous_id names them. 0, or -1 with an error in `d`. The
 * chain in the key (nb_history_src_key) already names them. */
typedef struct nb_history_prev nb_history_prev;
int nb_history_previous_open(nb_history_prev **out, const nb_history_src *src,
			     const nb_config *cfg, size_t publication, nb_diag *d);
int nb_history_previous_page(void *ud, const char *rel, nb_buf *out);
const char *nb_history_previous_id(const nb_history_prev *p);
void nb_history_previous_free(nb_history_prev *p);

/* A commit time's day in its own time zone, YYYY-MM-DD. */
void nb_history_recorded(char out[16], const nb_time *when);

/* The message of a publication's commit without its "Publication N: "
 * prefix, up to the first blank line. Caller frees. */
char *nb_history_subject(const char *commit_message);

/*
 * Link stage: note on each document page the publications that listed it
 * (nb_page.pubs, into s->pubs), from which its view makes `page.history`
 * = {first: {number, date_display, url}, amended: [...]} and its
 * `last_change` (site.h nb_site_page_view), and build the history pages
 * into s->history (array of {layout, out_path, page}). O(entries + pages):
 * each entry is found by id and each history page takes its own slice.
 * Nothing happens when `history` is NULL or empty. `history` is never
 * changed: the site shares its entries, and copies what it shows
 * differently (publish remembers the same entries, history.h).
 */
void nb_history_link(nb_site *s, const json_t *history);

/* Fold the history into a build-cache key (cache.h), so a new publication
 * is a cache miss. */
void nb_history_key(char hex[33], const json_t *history);

#endif

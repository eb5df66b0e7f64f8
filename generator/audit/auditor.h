/*
 * auditor.h - `noticeboard audit`: a third party's check of a served site
 * with nothing but its address (or a folder holding what it serves).
 *
 * One run: fetch the audit repository the site serves (fetch.h), check
 * its chain, every object and the signatures, compare the history with
 * the one seen last time (monitor.c), rebuild the last publication (or
 * all) from its record (rebuild.h), and compare every file of its public/
 * with what the site serves. The result is a JSON report (printed as text
 * for people by nb_auditor_print, in the site's language) and an NB_EXIT_*
 * code.
 */
#ifndef NB_AUDITOR_H
#define NB_AUDITOR_H

#include <jansson.h>
#include <stdio.h>

#include "audit/audit.h"
#include "audit/fetch.h"

typedef struct nb_auditor_opts {
	const char *site;            /* http(s) address or a folder holding a served site */
	const char *repo;            /* its audit repository elsewhere: address or bare repo; NULL */
	const char *allowed_signers; /* ssh allowed-signers file; NULL: signatures not checked */
	int all;                     /* rebuild every publication, not only the last */
	nb_fetch_limits limits;
} nb_auditor_opts;

/* Run the audit; *report (caller frees) holds every check. Returns 0 when
 * all holds, 1 when something does not, 4 when the only difference is a
 * rebuild of another generator's publication, 3 when the site or its
 * repository could not be read (the report's "fetch" check says why). */
int nb_auditor_run(const nb_auditor_opts *o, json_t **report);

/* The report as text for a person, every line in `lang` ("en" or "zh-CN";
 * the report's "language" is the one the site's record names), while the
 * JSON keeps the checks' English. */
void nb_auditor_print(const json_t *report, FILE *out, const char *lang);

/*
 * Every publication's commit and tag signature, against `allowed` (the
 * rules `verify` applies: from the first signed one on, each must be
 * signed and good). Problems are lines in `report`, returned counted;
 * *good counts good signatures, *first is the first signed publication;
 * *io set (a->err) on an I/O error.
 */
size_t nb_audit_check_signatures(nb_audit *a, const char *allowed, size_t last, nb_buf *report,
				 size_t *good, size_t *first, int *io);

/*
 * The history remembered for `site_key` against the repository's now
 * (monitor.c): problems (strings) appended to `problems`, *first set on
 * first contact, `file` receives the state file's path. 0, or -1 when
 * the state cannot be read (a->err).
 */
int nb_auditor_monitor(nb_audit *a, const char *site_key, const nb_oid *tip, int *first,
		       json_t *problems, char *file, size_t file_size);
/* Remember the branch tip and pub-1..last for `site_key`. 0 or -1. */
int nb_auditor_remember(nb_audit *a, const char *site_key, const nb_oid *tip, size_t last);

#endif

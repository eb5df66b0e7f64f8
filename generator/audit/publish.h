/*
 * publish.h - the publish sequence: build, record the publication in the
 * audit repository (audit.h), serve it. `noticeboard publish` parses its
 * arguments and calls nb_publish_run(); everything else is here, next to
 * the record it writes.
 */
#ifndef NB_PUBLISH_H
#define NB_PUBLISH_H

#include <stddef.h>

#include "config/config.h"
#include "util/diag.h"

typedef struct nb_publish_opts {
	const char *message;  /* -m; NULL: "publication" */
	const char *as;       /* the publisher "NAME <EMAIL>", or NULL (audit.h) */
	const char *as_of;    /* YYYY-MM-DD, checked by the caller */
	int allow_empty;      /* record even when nothing changed */
	int wait;             /* seconds to wait for the lock */
	int quiet;            /* no summary line on stdout */
	/* Prints diagnostics (the build's, and publish's own refusals) the
	 * way the command does; called zero or more times. */
	void (*report)(void *ctx, nb_diag *d);
	void *report_ctx;
} nb_publish_opts;

/* Run it. Returns an NB_EXIT_* code (build.h); what went wrong is printed
 * (stderr) or reported through `report`. */
int nb_publish_run(const nb_config *cfg, const nb_publish_opts *po);

/* The git library's version, "MAJOR.MINOR.REV" ("libgit2" in the
 * generator's identity: the history pages are read with it). */
void nb_audit_library_version(char *out, size_t n);

#endif

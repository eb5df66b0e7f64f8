/*
 * serve.h - `noticeboard serve`'s server: the site built with drafts into
 * a temporary folder, served on 127.0.0.1 by libmicrohttpd, rebuilt when
 * its files change, open pages reloaded (serve.c's top comment says how).
 */
#ifndef NB_SERVE_H
#define NB_SERVE_H

#include "util/diag.h"

typedef struct nb_serve_opts {
	const char *site_dir;
	const char *as_of;      /* YYYY-MM-DD, or NULL for today */
	long port;              /* 0 picks a free one */
	int quiet;              /* no progress lines */
	/* Prints a build's diagnostics (the command's own way, cli.h). */
	void (*report)(const void *ud, nb_diag *d);
	const void *report_ud;
} nb_serve_opts;

/* Serve until SIGINT, SIGTERM or SIGHUP; the exit status (build.h
 * NB_EXIT_*): CONTENT without site.yaml, IO when it cannot listen. */
int nb_serve_run(const nb_serve_opts *o);

#endif

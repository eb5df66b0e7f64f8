/*
 * diag.h - diagnostics: every error and warning the program reports.
 *
 * Secretaries are not programmers, so each message names the file, line and
 * column, says what is wrong, and (in `hint`) how to fix it. Stages never
 * print directly: they append to an nb_diag list and keep going, so one run
 * reports all errors of a site at once. The command decides how to print
 * them (text for people, JSON for editors) after sorting by file and line,
 * which also makes the output deterministic.
 */
#ifndef NB_DIAG_H
#define NB_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { NB_SEV_ERROR, NB_SEV_WARNING } nb_severity;

typedef struct nb_diag_entry {
	nb_severity sev;
	char *file;    /* path as the user knows it (relative to the site); may be "" */
	int line;      /* 1-based; 0 when unknown */
	int col;       /* 1-based; 0 when unknown */
	char *code;    /* short machine-readable code, e.g. "yaml-syntax" */
	char *msg;     /* what is wrong */
	char *hint;    /* how to fix it; may be NULL */
} nb_diag_entry;

typedef struct nb_diag {
	nb_diag_entry *items;
	size_t len, cap;
	size_t errors, warnings;
} nb_diag;

void nb_diag_init(nb_diag *d);
void nb_diag_free(nb_diag *d);

/* Record a diagnostic. `hint` may be NULL. Strings are copied. */
void nb_diag_add(nb_diag *d, nb_severity sev, const char *file, int line,
		 int col, const char *code, const char *hint, const char *fmt,
		 ...) __attribute__((format(printf, 8, 9)));

#define nb_error(d, file, line, col, code, hint, ...) \
	nb_diag_add((d), NB_SEV_ERROR, (file), (line), (col), (code), (hint), __VA_ARGS__)
#define nb_warning(d, file, line, col, code, hint, ...) \
	nb_diag_add((d), NB_SEV_WARNING, (file), (line), (col), (code), (hint), __VA_ARGS__)

/* Move all entries of `src` into `dst`, leaving `src` empty. */
void nb_diag_merge(nb_diag *dst, nb_diag *src);

/* Stable sort by file, line, column (insertion order breaks ties). */
void nb_diag_sort(nb_diag *d);

/*
 * Print as `file:line:col: error: message` plus an indented `hint:` line.
 * `color` enables ANSI colours (only on a terminal).
 */
void nb_diag_print(const nb_diag *d, FILE *out, int color);

/* Print as one JSON document: {"errors": N, "warnings": N, "diagnostics": [...]}. */
void nb_diag_print_json(const nb_diag *d, FILE *out);

#endif

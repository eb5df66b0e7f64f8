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
	char lang[8];  /* the language to print in; "" until site.yaml names it */
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
 * `color` enables ANSI colours (only on a terminal). A disk failure (code
 * "io") met by many files at once (a full disk: every page of the site)
 * is printed for the first NB_DIAG_SAME_SHOWN files, then counted in one
 * line per reason; the JSON form keeps every entry.
 */
#define NB_DIAG_SAME_SHOWN 3
void nb_diag_print(const nb_diag *d, FILE *out, int color);

/* Print as one JSON document: {"errors": N, "warnings": N, "diagnostics": [...]}. */
void nb_diag_print_json(const nb_diag *d, FILE *out);

/*
 * Diagnostics in the site's language (diag_i18n.c). Entries are recorded
 * in English and translated when printed, from a catalog keyed by `code`;
 * a code or text the catalog lacks prints in English.
 */

/* Print `d` in `lang` ("zh-CN" or "en"); nb_config_load calls it once it
 * has read site.yaml's `language`. Other values are ignored. */
void nb_diag_set_language(nb_diag *d, const char *lang);

/* The language `d` prints in: $NB_LANG when it is "en" or "zh-CN", else
 * the one set, else "zh-CN" (the default of site.yaml). `d` may be NULL. */
const char *nb_diag_language(const nb_diag *d);

/* `text` (a message or hint of diagnostic `code`) in `lang`, newly
 * allocated; a copy of `text` when there is no translation. NULL for NULL. */
char *nb_diag_translate(const char *lang, const char *code, const char *text);

/* 1 when the catalog has a Chinese entry for `code`. */
int nb_diag_has_translation(const char *code);

/* `en` or `zh` by `lang`: the few words printed around diagnostics. */
const char *nb_diag_word(const char *lang, const char *en, const char *zh);

#endif

/*
 * diag_find.h - looking diagnostics up, for the unit tests that assert
 * what a stage reported (the check stage, loading, themes).
 */
#ifndef NB_DIAG_FIND_H
#define NB_DIAG_FIND_H

#include <string.h>

#include "util/diag.h"

/* The first diagnostic with this code (and about this file, unless
 * `file` is NULL), or NULL. */
static inline const nb_diag_entry *diag_find(const nb_diag *d, const char *code,
					     const char *file)
{
	for (size_t i = 0; i < d->len; i++)
		if (!strcmp(d->items[i].code, code) && (!file || !strcmp(d->items[i].file, file)))
			return &d->items[i];
	return NULL;
}

/* How many diagnostics have this code. */
static inline size_t diag_count(const nb_diag *d, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < d->len; i++)
		n += !strcmp(d->items[i].code, code);
	return n;
}

#endif

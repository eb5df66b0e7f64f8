/*
 * mustache.h - our Mustache template engine.
 *
 * Implements the official specification (comments, delimiters,
 * interpolation, inverted, partials, sections, ~inheritance, ~dynamic-names;
 * no lambdas) over jansson values, proved by tests/test_mustache.c which runs
 * the spec's own YAML files from ../shared/mustache-spec.
 *
 * A template set (nb_mustache) holds named templates: the layouts of a theme
 * and their partials and parents share one namespace, as the spec requires.
 * Templates are parsed once when added, so syntax errors are reported up
 * front with file, line and column, and rendering many pages reuses the
 * parsed form. Rendering is read-only on the set, so threads may render
 * concurrently from one set.
 */
#ifndef NB_MUSTACHE_H
#define NB_MUSTACHE_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/hash.h"

typedef struct nb_mustache nb_mustache;

typedef struct nb_mustache_limits {
	int max_depth;   /* nesting of partials/parents at render time; 0 = default 64 */
} nb_mustache_limits;

nb_mustache *nb_mustache_new(const nb_mustache_limits *limits);
void nb_mustache_free(nb_mustache *m);

/*
 * Parse `src` and add it under `name`. `file` is the path used in
 * diagnostics (e.g. "themes/default/layouts/base.mustache"). On a syntax
 * error (unclosed tag, unclosed or mismatched section, bad delimiter
 * change, ...) records `file:line:col: error: ...` with a hint in `d` and
 * returns -1; otherwise 0. Adding a name twice replaces the earlier one.
 */
int nb_mustache_add(nb_mustache *m, const char *name, const char *file,
		    const char *src, size_t len, nb_diag *d);

/* 1 if a template of that name was added. */
int nb_mustache_has(const nb_mustache *m, const char *name);

/*
 * What rendering `name` can read from the set, for a cache key: the
 * depth limit, then the name and source of `name` and of every template
 * it includes or extends, transitively and in a fixed order, and the
 * names it looks for that are not in the set (added later, they would
 * change the output). Returns 0 with `out` set, or -1 when a template on
 * the way includes by a name taken from the data ({{>*name}}): then
 * anything in the set may be read, and the caller must key on all of it.
 */
int nb_mustache_digest(const nb_mustache *m, const char *name, nb_digest *out);

/*
 * Warn (template-partial-missing, with the tag's file and line and a
 * "did you mean") of every partial or parent that template `name` names
 * and the set does not have: rendered, such a tag shows nothing (the
 * spec's rule), so a misspelt name would leave a piece out of every page
 * unseen. Names taken from the data ({{>*name}}) are not looked at.
 * Returns how many it warned of.
 */
size_t nb_mustache_check_partials(const nb_mustache *m, const char *name, nb_diag *d);

/*
 * Render template `name` against `data` and append to `out`. Missing
 * partials/parents render as the empty string (the spec's rule). Exceeding
 * max_depth (a template that recurses without end) records an error naming
 * the template file and line and returns -1. Unknown `name` returns -1 with
 * an error.
 */
int nb_mustache_render(const nb_mustache *m, const char *name, json_t *data,
		       nb_buf *out, nb_diag *d);

#endif

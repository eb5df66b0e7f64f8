/*
 * yamltree.h - YAML (front matter, site.yaml, schemas) into jansson values.
 *
 * libyaml gives events with marks; we build a jansson tree keeping key order
 * and, beside it, a position table so that any later stage (validation,
 * linking) can point at the exact line and column of a field. Limits
 * protect against hostile input (alias bombs, deep nesting, huge scalars).
 *
 * Scalar typing follows the YAML 1.2 core schema for plain scalars (null,
 * true/false, integers, floats); quoted and block scalars are strings.
 * Dates stay strings: validation checks their form.
 */
#ifndef NB_YAML_H
#define NB_YAML_H

#include <jansson.h>
#include <stddef.h>

#include "util/diag.h"

typedef struct nb_yaml_limits {
	int max_depth;          /* nesting of collections; 0 = default 64 */
	size_t max_aliases;     /* alias dereferences per document; 0 = default 1000 */
	size_t max_nodes;       /* total nodes after alias expansion; 0 = default 1,000,000 */
	size_t max_scalar;      /* bytes in one scalar; 0 = default 1 MiB */
} nb_yaml_limits;

/*
 * Parse the single YAML document in `src`. `first_line` is the file line of
 * src's first line (so front matter reports file positions). An empty
 * document gives an empty object. The root must be a mapping when
 * `want_mapping` is set (front matter, config), else error.
 *
 * `*pos_out` (optional) receives an object mapping JSON Pointer paths
 * ("" for the root, "/votes/for", "/committee/0/name") to an array
 * [key_line, key_col, value_line, value_col]; for array items and the root
 * the key position equals the value position.
 *
 * Errors (syntax, duplicate key, non-scalar key, unknown tag, limit
 * exceeded) go to `d` as file:line:col with a hint; returns -1 and sets
 * *out to NULL. On success returns 0 and the caller owns *out and *pos_out.
 */
int nb_yaml_load(json_t **out, json_t **pos_out, const char *src, size_t len,
		 const char *file, int first_line, int want_mapping,
		 const nb_yaml_limits *limits, nb_diag *d);

/*
 * As nb_yaml_load, but *pos_out is a compact table (a JSON string, about
 * 25 bytes a value instead of 350) that only nb_yaml_pos reads: for callers
 * that keep many tables alive, like the content stage (one per document).
 * Thread-safe, as nb_yaml_load is: no shared state.
 */
int nb_yaml_load_compact(json_t **out, json_t **pos_out, const char *src,
			 size_t len, const char *file, int first_line,
			 int want_mapping, const nb_yaml_limits *limits,
			 nb_diag *d);

/*
 * Look up the position of `path` in a table from nb_yaml_load or
 * nb_yaml_load_compact (or an empty json_object()); falls back to
 * the nearest ancestor that has one. `want_key` picks the key position.
 * Sets *line and *col to 0 when nothing is known.
 */
void nb_yaml_pos(const json_t *pos, const char *path, int want_key, int *line,
		 int *col);

/* The YAML library's version ("libyaml" in the generator's identity). */
const char *nb_load_library_version(void);

#endif

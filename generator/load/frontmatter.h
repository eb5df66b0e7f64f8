/*
 * frontmatter.h - split a content file into YAML front matter and body.
 *
 * A file is `---\n<yaml>\n---\n<markdown>`. A UTF-8 BOM and CRLF line ends
 * are tolerated. The parts point into the caller's buffer (no copy), with
 * the line each part starts on so later stages report absolute positions.
 *
 * nb_frontmatter_parse is the one way the program turns a document's bytes
 * into front matter and body: the load stage, the publish's hashing of
 * sources (which needs `draft` and `id` before the build runs, audit/
 * files.c) and the publication diff of historical versions (audit/
 * pubdiff.c) all call it, so they cannot disagree on what a file says.
 */
#ifndef NB_FRONTMATTER_H
#define NB_FRONTMATTER_H

#include <jansson.h>
#include <stddef.h>

#include "load/yamltree.h"
#include "util/diag.h"

typedef struct nb_frontmatter {
	int has_yaml;         /* 0 when the file has no front matter at all */
	const char *yaml;     /* between the fences; NULL when has_yaml == 0 */
	size_t yaml_len;
	int yaml_line;        /* 1-based line of the first YAML line */
	const char *body;     /* after the closing fence (or whole file sans BOM) */
	size_t body_len;
	int body_line;        /* 1-based line of the first body line */
} nb_frontmatter;

/*
 * Returns 0, or -1 after recording an error in `d` (an opening `---` with no
 * closing one: error at the opening fence, hint says to add a closing `---`).
 */
int nb_frontmatter_split(nb_frontmatter *out, const char *src, size_t len,
			 const char *file, nb_diag *d);

enum { NB_FRONTMATTER_EFENCE = -1, NB_FRONTMATTER_EYAML = -2 };

/*
 * Split `src` (as nb_frontmatter_split, into *fm) and parse its YAML into
 * *meta, a new object (an empty one when the file has no front matter),
 * and, when `pos` is not NULL, its position table into *pos (the compact
 * one, yamltree.h nb_yaml_load_compact; an empty object when the file
 * has no front matter). `limits` may be NULL (the defaults). Returns 0;
 * NB_FRONTMATTER_EFENCE when the front matter is never closed (*fm holds
 * the whole file as body, *meta and *pos are NULL) or NB_FRONTMATTER_EYAML
 * when its YAML is wrong (*fm is set, *meta and *pos NULL), both after
 * reporting in `d`. Thread-safe: no shared state.
 */
int nb_frontmatter_parse(nb_frontmatter *fm, json_t **meta, json_t **pos, const char *src,
			 size_t len, const char *file, const nb_yaml_limits *limits, nb_diag *d);

#endif

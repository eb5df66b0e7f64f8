/*
 * frontmatter.h - split a content file into YAML front matter and body.
 *
 * A file is `---\n<yaml>\n---\n<markdown>`. A UTF-8 BOM and CRLF line ends
 * are tolerated. The parts point into the caller's buffer (no copy), with
 * the line each part starts on so later stages report absolute positions.
 */
#ifndef NB_FRONTMATTER_H
#define NB_FRONTMATTER_H

#include <stddef.h>

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

#endif

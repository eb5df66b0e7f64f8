/*
 * frontmatter.c - split `---` fenced YAML from the Markdown body.
 *
 * The split is purely line based and never looks inside the YAML: the YAML
 * parser reports its own errors with file positions thanks to yaml_line, so
 * this stage only has to get the fences and the line numbers right.
 *
 * A fence is a line holding exactly `---` (trailing blanks and a CR are
 * tolerated, because Windows editors and sloppy copy-paste produce them).
 * The closing fence may also be `...`, YAML's own end-of-document marker.
 * A file whose first line is not a fence has no front matter; all of it is
 * body. Nothing is copied: the parts point into the caller's buffer.
 * nb_frontmatter_parse adds the YAML parse, so that every reader of front
 * matter goes through the same split and the same parser settings.
 */
#include "load/frontmatter.h"

#include <string.h>

/* Length of the line starting at p (without its '\n'), and where the next
 * line starts. */
static size_t line_end(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl) {
		*next = end;
		return (size_t)(end - p);
	}
	*next = nl + 1;
	return (size_t)(nl - p);
}

/* Is line p[0..n) the three-character marker `mark`, allowing trailing
 * spaces, tabs and a CR? */
static int is_fence(const char *p, size_t n, const char *mark)
{
	if (n < 3 || memcmp(p, mark, 3) != 0)
		return 0;
	for (size_t i = 3; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

int nb_frontmatter_split(nb_frontmatter *out, const char *src, size_t len,
			 const char *file, nb_diag *d)
{
	const char *p = src, *end = src + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;

	memset(out, 0, sizeof(*out));
	out->body = p;
	out->body_len = (size_t)(end - p);
	out->body_line = 1;

	const char *next;
	size_t n = line_end(p, end, &next);
	if (!is_fence(p, n, "---"))
		return 0;

	const char *yaml = next;
	int line = 2; /* line number of the line starting at `next` */
	const char *q = next;
	while (q < end) {
		const char *after;
		size_t m = line_end(q, end, &after);
		if (is_fence(q, m, "---") || is_fence(q, m, "...")) {
			out->has_yaml = 1;
			out->yaml = yaml;
			out->yaml_len = (size_t)(q - yaml);
			out->yaml_line = 2;
			out->body = after;
			out->body_len = (size_t)(end - after);
			out->body_line = line + 1;
			return 0;
		}
		q = after;
		line++;
	}

	/* Leave the caller a usable body (the whole file) even on error, so a
	 * command that only wants text can still carry on. */
	nb_error(d, file, 1, 1, "frontmatter-unterminated",
		 "add a line with only --- after the last front-matter field",
		 "front matter starts with --- on line 1 but is never closed");
	return -1;
}

int nb_frontmatter_parse(nb_frontmatter *fm, json_t **meta, json_t **pos, const char *src,
			 size_t len, const char *file, const nb_yaml_limits *limits, nb_diag *d)
{
	*meta = NULL;
	if (pos)
		*pos = NULL;
	if (nb_frontmatter_split(fm, src, len, file, d) != 0)
		return NB_FRONTMATTER_EFENCE;
	if (!fm->has_yaml) {
		*meta = json_object();
		if (pos)
			*pos = json_object();
		return 0;
	}
	int rc = pos ? nb_yaml_load_compact(meta, pos, fm->yaml, fm->yaml_len, file,
					    fm->yaml_line, 1, limits, d)
		     : nb_yaml_load(meta, NULL, fm->yaml, fm->yaml_len, file, fm->yaml_line, 1,
				    limits, d);
	return rc == 0 ? 0 : NB_FRONTMATTER_EYAML;
}

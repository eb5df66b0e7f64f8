/*
 * theme.h - loading a theme: layouts and partials, interface strings, and
 * static files.
 *
 * The default theme is built into the program (embedded.h); a site's own
 * themes/<name>/ folder overrides it file by file, so a site can change one
 * layout without copying the rest. Interface strings go further: a site's
 * i18n/<language>.yaml is laid over the built-in one key by key, so it
 * need hold only the strings it changes. All templates are parsed here, before
 * any page is rendered, so every template syntax error of the theme is
 * reported at once with its file and line.
 */
#ifndef NB_THEME_H
#define NB_THEME_H

#include <jansson.h>
#include <stddef.h>

#include "config/config.h"
#include "util/diag.h"
#include "util/hash.h"
#include "template/mustache.h"

typedef struct nb_theme_file {
	char *dest;                 /* output-relative path, e.g. "css/style.css" */
	char *origin;               /* where it comes from, for messages:
				     * "static/x.svg", "themes/default/static/..." */
	char *disk_path;            /* source on disk, or NULL when embedded */
	const unsigned char *data;  /* embedded data when disk_path is NULL */
	size_t len;
} nb_theme_file;

typedef struct nb_theme {
	nb_mustache *templates;
	json_t *layouts;            /* array of layout names, in file path order */
	json_t *strings;            /* i18n for the site's language (object) */
	nb_theme_file *statics;     /* sorted by dest: the theme's static/
				     * files, each replaced by the site's
				     * static/ file of the same name, and the
				     * rest of the site's static/ */
	size_t n_statics;
	char *label;                /* "default (built in)" or "themes/x" for messages */
	/* Every template's name and source and the render limits: what a
	 * page's bytes depend on besides its layout and context (memo.h). */
	nb_digest templates_id;
	/* Whether the templates read `site.publication` only to write the
	 * default theme's meta tag (below): then a page's publication
	 * number is that tag's alone, and the page memo keeps it out of its
	 * keys (memo.h). Any other use, a `site` section or changed
	 * delimiters, and it is 0. */
	int publication_tag_only;
	/* Whether no template reads `site.as_of` (the date deadlines are
	 * judged by): then the page memo keeps it out of its keys, so a
	 * publish on a later day renders again only the pages whose data
	 * that day changes (an overdue decision, a list's status), not
	 * every page (memo.h). A tag that could read it (`site.as_of`, a
	 * name starting with `as_of`, a `site` section) or changed
	 * delimiters, and it is 0. */
	int as_of_unread;
} nb_theme;

/* The block of the default theme's base layout that names the page's
 * publication. */
#define NB_THEME_PUBLICATION_TAG \
	"{{#site.publication}}\n" \
	"<meta name=\"noticeboard:publication\" content=\"{{site.publication}}\">\n" \
	"{{/site.publication}}\n"

int nb_theme_load(nb_theme *t, const nb_config *cfg, nb_diag *d);
void nb_theme_free(nb_theme *t);

/* 1 when the theme has a layout of that name. */
int nb_theme_has_layout(const nb_theme *t, const char *name);

#endif

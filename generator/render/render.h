/*
 * render.h - the render and write stages: site graph into files.
 *
 * Each page's template context is assembled from the site graph (`site`,
 * `page`, `t`, plus `list` or `home`), rendered with the theme's layout,
 * and written into a staging folder. List pages, the home page, the 404
 * page, the theme's static files and content assets are written the same
 * way. Finally every internal link in the written HTML is checked against
 * the set of written files, so a broken link fails the build instead of
 * reaching residents.
 *
 * Pages render on nb_pool_jobs() threads ($NB_JOBS, default the number of
 * CPUs; 1 = serial); the output and the diagnostics are the same for any
 * number (render.c explains how).
 */
#ifndef NB_RENDER_H
#define NB_RENDER_H

#include <stddef.h>

#include "load/content.h"
#include "util/diag.h"
#include "util/fs.h"
#include "output/memo.h"
#include "output/pubtag.h"
#include "output/writer.h"
#include "graph/site.h"

/* Render everything into `dir` (which must exist and be empty). */
int nb_render_site(const nb_site *s, const nb_content *c, const char *dir,
		   nb_render_stats *st, nb_diag *d);

/* The same, linking pages that come out identical to their copy in
 * `reuse` (the live output folder; NULL: none) instead of writing them;
 * see nb_cache_link_same. With `in_place`, `dir` is not empty but an
 * earlier output of ours, brought up to date: files already right are
 * left alone, the rest replaced (never written through), and what this
 * output does not have is deleted (nb_cache_put). The result is the same
 * folder either way. With a `memo` (or NULL) whose output folder is
 * `reuse`, pages whose key it recorded are linked from there instead of
 * rendered, and this build's pages are noted in it for nb_memo_save. */
int nb_render_site_reusing(const nb_site *s, const nb_content *c, const char *dir,
			   const char *reuse, int in_place, nb_memo *memo, nb_render_stats *st,
			   nb_diag *d);

/* What an in-place `dir` held, listed and tidied ahead by the caller
 * (fs.h nb_fs_tidy; `err` its errno, 0 when it succeeded), so that the
 * walk overlaps with linking instead of waiting in front of the pages. */
typedef struct nb_render_earlier {
	nb_strlist files;
	int err;
} nb_render_earlier;

/* nb_render_site_reusing with `dir` already tidied into `earlier`
 * (its files taken; NULL: tidied here), and, for a publication with a
 * previous one, `prev` (NULL: none): each rendered page that is the
 * previous publication's but for its tag's number is written as that page
 * (pubtag.h). */
int nb_render_site_tidied(const nb_site *s, const nb_content *c, const char *dir,
			  const char *reuse, int in_place, nb_memo *memo,
			  nb_render_earlier *earlier, const nb_pubtag_previous *prev,
			  nb_render_stats *st, nb_diag *d);

#endif

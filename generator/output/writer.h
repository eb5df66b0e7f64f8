/*
 * writer.h - writing one output file beside the pages: what the feeds,
 * the open data and the render stage share.
 *
 * A file goes through the output cache (cache.h nb_cache_put), so an
 * unchanged one is linked from the previous output instead of rewritten,
 * and is counted in the build's figures. It lives here, in the output
 * stage, rather than in one of the renderers that use it, so that neither
 * renderer needs the other (feeds.c writes the open data of export.c).
 */
#ifndef NB_WRITER_H
#define NB_WRITER_H

#include <jansson.h>
#include <stddef.h>

#include "util/diag.h"

/* The file in the output folder that says noticeboard wrote it. It is
 * not part of the site: publications leave it out of what they record,
 * so a copy served without dot files still verifies. */
#define NB_BUILD_MARKER ".noticeboard-output"

/* What a render wrote, for the build's summary line. */
typedef struct nb_render_stats {
	size_t pages;       /* HTML pages written */
	size_t files;       /* all files written */
	size_t bytes;
	size_t unchanged;   /* of `files`, linked from the previous output */
	size_t skipped;     /* of `pages`, not rendered: unchanged (memo.h) */
	int feeds_reused;   /* feeds and open data linked, not made (render.c) */
	int search_reused;  /* the search index's files linked, not made */
	/* The search index merged per document (render/search.h): pages
	 * tokenized of all, and index files made of all. */
	size_t search_tokenized, search_docs, search_made, search_files;
} nb_render_stats;

/* Where the extra outputs go. */
typedef struct nb_out {
	const char *dir;        /* the staging folder */
	nb_render_stats *st;    /* files and bytes are added here */
	json_t *written;        /* set of output-relative paths (may be NULL) */
	nb_diag *d;
	const char *reuse;      /* previous output folder: identical files are
				 * linked from it, not rewritten (cache.h); or NULL */
	int in_place;           /* `dir` holds an earlier output (nb_cache_put) */
	json_t *rewritten;      /* paths written a second time go here (may be
				 * NULL): their file is not the first writer's */
} nb_out;

/* Write one output file (creating folders) and count it. 0 or -1. */
int nb_out_write(nb_out *o, const char *rel, const void *data, size_t len);

#endif

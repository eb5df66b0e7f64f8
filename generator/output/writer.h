/*
 * writer.h - writing one output file beside the pages: what the feeds,
 * the open data and the render stage share.
 *
 * A file goes through the output cache (cache.h nb_cache_put), so an
 * unchanged one is linked from the previous output instead of rewritten,
 * and is counted in the build's figures. It lives here, in the output
 * stage, rather than in one of the renderers that use it, so that neither
 * renderer needs the other (feeds.c writes the open data of export.c).
 *
 * A file too large to hold whole is written in pieces instead
 * (nb_out_open): data/popolo.json is some 5 MB at 10,000 documents, and
 * made in one growing buffer it held up to twice that at the render
 * stage's peak, beside the pages in flight. The pieces go to a temporary
 * in the staging folder, and closing it does with those bytes what
 * nb_out_write does with the same bytes in memory: linked from the
 * previous output when identical there (compared chunk by chunk,
 * cache.h nb_cache_put_file), else moved into place; counted, registered
 * in `written`, and a failure reported as the same "io" diagnostic. The
 * temporary never outlives the close, on success or failure.
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

/* The pieces a file made as it is written is handed over in: large
 * enough that a write is not a system call per record, small beside the
 * file (5 MB of open data, 2.4 MB of calendar at 10,000 documents). */
#define NB_OUT_PIECE ((size_t)128 << 10)

/* One output file being written in pieces. */
typedef struct nb_out_file {
	nb_out *o;
	char *rel;
	char *tmp;      /* the temporary's path, or NULL when none could be made */
	int fd;         /* the temporary, or -1 */
	int err;        /* errno of the first failure, or 0 */
	size_t len;     /* bytes appended */
} nb_out_file;

/* Start `rel`. A failure here or in an append is reported by the close. */
void nb_out_open(nb_out_file *f, nb_out *o, const char *rel);
void nb_out_append(nb_out_file *f, const void *data, size_t len);
/* nb_out_append in the shape of a sink (util/buf.h): `ud` is the file. */
void nb_out_sink(void *ud, const char *data, size_t len);
/* Put the file in place and count it, as nb_out_write. 0 or -1. */
int nb_out_close(nb_out_file *f);

#endif

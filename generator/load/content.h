/*
 * content.h - the load stage: content/ into documents.
 *
 * Walks content/, reads each Markdown file, checks it is UTF-8, splits the
 * front matter and parses it; for a build it also renders the Markdown
 * body (which depends on nothing but the file) and drops the source, so
 * the sources of a large site are never all in memory together. Nothing
 * here knows what a meeting is: kinds
 * are just first-level folders. Every problem is reported with its file
 * and line and loading goes on, so one run lists every broken file.
 * Documents come out sorted by path, which fixes the order of everything
 * downstream.
 */
#ifndef NB_CONTENT_H
#define NB_CONTENT_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/buf.h"
#include "config/config.h"
#include "util/diag.h"
#include "load/doc.h"
#include "markdown/markdown.h"

typedef struct nb_asset {
	char *src;         /* site-relative source path */
	char *dest;        /* output-relative path */
} nb_asset;

typedef struct nb_content {
	nb_doc *docs;      /* sorted by path */
	size_t len;
	nb_asset *assets;  /* non-Markdown files under content/, copied as they are */
	size_t n_assets;
	size_t reused;     /* documents restored from the memo, not loaded */
	int files[3];      /* the memo files the blobs are in, open (the
			    * memo's, and the load's scratch file while a
			    * blob still points into it) */
	int n_files;
} nb_content;

typedef struct nb_content_opts {
	/* Render each loaded body's Markdown with these options (html, text,
	 * toc) and free its source at once, unless keep_body says a later
	 * stage reads the body of that kind. NULL: render nothing and keep
	 * every source (`new`, which copies a body). */
	const nb_markdown_opts *markdown;
	int drafts;        /* render drafts too (they are published) */
	int (*keep_body)(const char *kind);  /* NULL: keep none */
	/* Reuse what unchanged files loaded into last time (doccache.h:
	 * the memo `memo_name` under this salt), and record this load for
	 * the next; NULL salt: no memo. */
	const char *memo_name;
	const char *memo_salt;
} nb_content_opts;

/* Load every document. Returns 0 when nothing went wrong, else -1 (docs
 * that did load are still there, for `check` to validate). `o` may be
 * NULL (the defaults above). */
int nb_content_load(nb_content *c, const nb_config *cfg, const nb_content_opts *o,
		    nb_diag *d);
/* A rendered document's HTML or plain text ("" when it was not
 * rendered): the string it holds, or, when it is in the memo file, read
 * into `scratch` (reads may run on any thread). `max` bytes at most
 * (SIZE_MAX: all of it), cut anywhere, for a caller that reads only the
 * start. NULL, with errno set, when the file no longer has it (it was cut
 * short under the build). */
const char *nb_doc_html(const nb_doc *doc, nb_buf *scratch);
const char *nb_doc_text(const nb_doc *doc, size_t max, nb_buf *scratch);
/* Its headings as a new array (empty when it was not rendered), made
 * from nb_doc_toc_text; NULL, with errno set, when they cannot be read
 * back. nb_doc_toc_parse makes it from the text (NULL, errno EIO, when
 * that is not an array: the cache file was damaged). */
json_t *nb_doc_toc(const nb_doc *doc);
json_t *nb_doc_toc_parse(const char *text, size_t len);
/* Report, as an io error naming the document, that its body, text or
 * headings cannot be read back from the build cache (errno says why). */
void nb_doc_unreadable(nb_diag *d, const nb_doc *doc);
/* The headings as JSON text, the same bytes wherever they are kept: read
 * back from the memo file like nb_doc_html, or the text held ("[]" when
 * not rendered). NULL, with errno set, when they cannot be read back. */
const char *nb_doc_toc_text(const nb_doc *doc, nb_buf *scratch);

/* The digest of a body as a page shows it: its HTML and its headings as
 * JSON text (nb_doc_toc_text), each with its length, so no two splits of
 * the same bytes meet. */
nb_digest nb_doc_body_digest(const char *html, size_t html_len, const char *toc,
			     size_t toc_len);

/* A document's HTML and headings' text for its page (nb_doc_html,
 * nb_doc_toc_text), checked against its body_key: 0, or -1 with errno set
 * when they cannot be read back or are not what was recorded (EIO: the
 * build cache was damaged, and a page made from them would be wrong
 * under a key that says otherwise). */
int nb_doc_page_body(const nb_doc *doc, nb_buf *html_scratch, nb_buf *toc_scratch,
		     const char **html, const char **toc);

/* Free every source text still held and every position table (body
 * becomes NULL, pos an empty table): once the site is linked nothing
 * reads them, but for the sources of the kinds `keep` names (NULL: none),
 * which views made while rendering read (site.h: charters compared). */
void nb_content_release_sources(nb_content *c, int (*keep)(const char *kind));
void nb_content_free(nb_content *c);

/* Check an id is safe as a URL path: segments of letters, digits, '-', '_',
 * '.' (not "." or ".."), separated by '/', no leading/trailing '/'. */
int nb_content_id_valid(const char *id);

#endif

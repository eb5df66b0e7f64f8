/*
 * markdown.h - Markdown bodies to HTML with libcmark-gfm.
 *
 * GFM extensions table, strikethrough, autolink, tagfilter and tasklist are
 * on (tagfilter only in safe mode: a site that opts in to raw HTML gets its
 * <script> and <iframe> as written). Raw HTML is off (cmark-gfm's safe default: raw HTML is omitted and
 * dangerous URLs are dropped) unless the site opts in; Markdown links and
 * images lose javascript:, vbscript:, file: and non-image data: URLs either
 * way. Headings get stable
 * ids that work for Chinese: "## 第五条 公共秩序" gets id "第五条" (a charter
 * article is addressed by its number, which survives edits of its title);
 * other headings get the slug of their text ("## 一、会议议程" ->
 * "一会议议程"), made unique in the document with -2, -3 suffixes.
 */
#ifndef NB_MARKDOWN_H
#define NB_MARKDOWN_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"

/*
 * Register cmark-gfm's extensions, once per process (pthread_once: safe
 * from any thread; rendering calls it too). nb_markdown_render may run on
 * many threads at once: it serializes the one part of cmark-gfm that
 * shares process-wide state (markdown.c, top comment).
 */
void nb_markdown_init(void);

typedef struct nb_markdown_opts {
	int unsafe_html;   /* site opted in to raw HTML */
} nb_markdown_opts;

/*
 * Render `src` to HTML appended to `html`. When `toc_out` is non-NULL it
 * receives a new array of {"level": n, "id": "...", "title": "plain text"}
 * for every heading in document order. `text_out` (optional) receives the
 * plain text of the document (for summaries and the search index),
 * paragraphs separated by "\n". Returns 0, -1 on parser failure.
 */
int nb_markdown_render(const char *src, size_t len, const nb_markdown_opts *o,
		       nb_buf *html, json_t **toc_out, nb_buf *text_out);

/*
 * nb_markdown_render, and in `links_out` (when non-NULL) a new array of
 * the links and images the site must check once it knows its files:
 * {"url", "text" (the link text or alt), "line", "col" (in src,
 * 1-based), "image", "local" (a relative path to a file: an attachment),
 * "alt" (false: an image without a text alternative)}, one for each link
 * or image that is local or lacks alt.
 */
int nb_markdown_render_links(const char *src, size_t len, const nb_markdown_opts *o,
			     nb_buf *html, json_t **toc_out, nb_buf *text_out, json_t **links_out);

/*
 * Split a charter body into articles: one per `##` heading. Returns a new
 * array of {"id": "第五条", "title": "第五条 公共秩序", "number": "第五条",
 * "text": "<markdown of the article body>", "line": n} in order. `first_line`
 * is the file line of src's first line.
 */
json_t *nb_markdown_articles(const char *src, size_t len, int first_line);

/* The Markdown library's version ("cmark-gfm" in the generator's identity,
 * output/identity.h; `noticeboard version`). */
const char *nb_markdown_library_version(void);

#endif

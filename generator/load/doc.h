/*
 * doc.h - one loaded document (nb_doc) and the bytes it may keep in a file
 * (nb_blob).
 *
 * Apart from content.h so that the document memo (doccache.h), which
 * content.c uses, can fill documents without including the loader that
 * uses it. The functions that read a document (nb_doc_html, ...) are in
 * content.h.
 */
#ifndef NB_DOC_H
#define NB_DOC_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/hash.h"

/* Bytes in a file the content holds open (nb_content.files). */
typedef struct nb_blob {
	int set;           /* 0: not in a file (a zeroed blob is none) */
	int fd;
	size_t len;
	off_t off;
} nb_blob;

typedef struct nb_doc {
	char *path;        /* site-relative, e.g. "content/meetings/2024/x.md" */
	char *kind;        /* first folder, e.g. "meetings"; "pages" for top-level files */
	char *id;          /* front matter `id`, else path under the kind without .md */
	/* The front matter, packed (util/jsonbin.h: one object), or NULL for
	 * none ({}); read it only through load/meta.h. Packed because it
	 * lives from the load to the end of the build: as jansson values it
	 * was 2.6 KB a document, the largest item at the link and render
	 * peaks; packed it is a fifth of that. */
	unsigned char *meta;
	size_t meta_len;
	json_t *pos;       /* position table from nb_yaml_load_compact (never
			    * NULL); opaque: read it only with nb_yaml_pos */
	char *src;         /* the whole file, owned; NULL once released */
	size_t src_len;
	const char *body;  /* points into src; NULL once released */
	size_t body_len;
	int body_line;
	/* The body rendered while loading (nb_content_opts.markdown); see
	 * markdown.h nb_markdown_render. Read them with nb_doc_html and
	 * nb_doc_text: once the load has recorded them in its memo they are
	 * not held here but read back from the memo file (html_at, text_at)
	 * when a page needs them, so a build does not keep the text of the
	 * whole site in memory. */
	char *html;
	char *text;        /* its plain text, for summaries and search */
	nb_blob html_at;   /* where html is when not held */
	nb_blob text_at;
	/* Its headings as compact JSON text (an array), written once when
	 * the body is rendered: the body digest, the memo and the scratch
	 * file all take these bytes. Read them with nb_doc_toc_text, or as
	 * JSON with nb_doc_toc. */
	char *toc;
	nb_blob toc_at;    /* where toc is when not held */
	/* The digest of the HTML and the headings' text (content.h
	 * nb_doc_body_digest), made when they are and kept in the memo
	 * with them: the body's part of its page's key (output/memo.h), so
	 * a rebuild that reuses the page reads neither back. */
	nb_digest body_key;
	json_t *links;     /* links and images to check and attachments
			    * (markdown.h nb_markdown_render_links), or NULL
			    * when not rendered; always held, they are few */
	int rendered;      /* html, text and toc exist */
	int draft;
	int ok;            /* 0 when loading failed (the error is in the diag) */
} nb_doc;

#endif

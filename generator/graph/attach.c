/*
 * attach.c - attachments and the link checks; see attach.h.
 *
 * It works on what the load stage kept of each body (the local links and
 * the images without alt, with their lines) and on the content's file
 * list (content.h nb_content.assets), never on the disk directly: the
 * walk already decided which files are content (symbolic links and
 * hidden files are its business), so an attachment is exactly a walked
 * file. Only its size is read here, with stat, for the list on the page.
 *
 * Order and so output are fixed by the documents' order and each link's
 * place in its body; a file linked twice from one document is listed and
 * published once, and a file linked from two documents is published
 * beside each (each page is complete on its own when printed or saved).
 */
#include "graph/attach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/fs.h"

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The path a local link names, without query or fragment, %XX decoded,
 * "./" segments dropped. 0; -1 when a segment is "..": the file could not
 * sit beside the page; -2 when what is left names no file at all (".",
 * "./", a decoded NUL), which a secretary is told as such rather than as
 * a link leaving the folder. */
static int link_path(const char *url, nb_buf *out)
{
	nb_buf raw = NB_BUF_INIT;
	size_t n = strcspn(url, "?#");
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (url[i] == '%' && i + 2 < n && (h = nb_hex_value(url[i + 1])) >= 0 &&
		    (l = nb_hex_value(url[i + 2])) >= 0) {
			nb_buf_putc(&raw, (char)(h * 16 + l));
			i += 2;
		} else {
			nb_buf_putc(&raw, url[i]);
		}
	}
	int rc = 0;
	nb_buf_clear(out);
	const char *p = nb_buf_cstr(&raw), *end = p + raw.len;
	if (memchr(p, '\0', raw.len))
		rc = -2;
	while (rc == 0 && p < end) {
		size_t sl = strcspn(p, "/");
		if (sl == 2 && p[0] == '.' && p[1] == '.')
			rc = -1;
		else if (sl && !(sl == 1 && p[0] == '.')) {
			if (out->len)
				nb_buf_putc(out, '/');
			nb_buf_put(out, p, sl);
		}
		p += sl + (p[sl] == '/');
	}
	if (rc == 0 && out->len == 0)
		rc = -2;
	nb_buf_cstr(out);
	nb_buf_free(&raw);
	return rc;
}

/* What a resident is told the file is, by its extension. */
static const char *type_of(const char *name)
{
	static const char *const types[][2] = {
		{ "pdf", "pdf" },
		{ "jpg", "image" }, { "jpeg", "image" }, { "png", "image" },
		{ "gif", "image" }, { "webp", "image" }, { "svg", "image" },
		{ "doc", "document" }, { "docx", "document" }, { "odt", "document" },
		{ "wps", "document" }, { "rtf", "document" }, { "txt", "document" },
		{ "xls", "spreadsheet" }, { "xlsx", "spreadsheet" }, { "ods", "spreadsheet" },
		{ "et", "spreadsheet" }, { "csv", "spreadsheet" },
		{ "ppt", "presentation" }, { "pptx", "presentation" }, { "odp", "presentation" },
		{ "dps", "presentation" },
		{ "mp3", "audio" }, { "m4a", "audio" }, { "mp4", "video" },
		{ "zip", "archive" },
	};
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');
	if (!dot)
		return "file";
	char ext[8];
	size_t i = 0;
	for (dot++; *dot && i + 1 < sizeof(ext); dot++)
		ext[i++] = (char)((*dot >= 'A' && *dot <= 'Z') ? *dot - 'A' + 'a' : *dot);
	ext[i] = '\0';
	if (*dot)
		return "file";
	for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++)
		if (!strcmp(types[k][0], ext))
			return types[k][1];
	return "file";
}

/* "830 B", "12 KB", "3.4 MB": integers only, so every build prints the
 * same; KB rounded, MB to a tenth. */
static void size_display(unsigned long long n, char *buf, size_t len)
{
	if (n < 1024)
		snprintf(buf, len, "%llu B", n);
	else if (n < 1024ULL * 1024)
		snprintf(buf, len, "%llu KB", (n + 512) / 1024);
	else {
		unsigned long long t = (n * 10 + 524288) / 1048576;
		snprintf(buf, len, "%llu.%llu MB", t / 10, t % 10);
	}
}

/* The link as an href: what was written, with the few characters an
 * attribute value or a URL cannot hold as they are percent-encoded. */
static void href_of(const char *path, nb_buf *out)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '#' ||
		    *p == '?' || *p == '%' || *p == '\\' || *p == 0x7f)
			nb_buf_printf(out, "%%%02X", *p);
		else
			nb_buf_putc(out, (char)*p);
	}
}

/* The folder of a document's file, site-relative ("content/meetings/2024"). */
static void doc_dir(const nb_doc *doc, nb_buf *out)
{
	const char *slash = strrchr(doc->path, '/');
	nb_buf_clear(out);
	nb_buf_put(out, doc->path, slash ? (size_t)(slash - doc->path) : 0);
	nb_buf_cstr(out);
}

/* The file a local link of `doc` names, site-relative, into `src`; `rel`
 * gets the path as linked. 0 when it is a walked content file; `bad` is
 * link_path's -1 or -2 when the link names no file beside the page. */
static int resolve(const nb_doc *doc, const char *url, const json_t *files, nb_buf *rel,
		   nb_buf *src, int *bad)
{
	*bad = link_path(url, rel);
	if (*bad)
		return -1;
	doc_dir(doc, src);
	nb_buf_putc(src, '/');
	nb_buf_puts(src, nb_buf_cstr(rel));
	return json_object_get(files, nb_buf_cstr(src)) ? 0 : -1;
}

static void check_doc(nb_site *s, nb_page *p, const json_t *files, nb_diag *d)
{
	const nb_doc *doc = p->doc;
	json_t *list = json_array(), *seen = json_object();
	nb_buf rel = NB_BUF_INIT, src = NB_BUF_INIT, b = NB_BUF_INIT;
	size_t i;
	json_t *l;
	json_array_foreach(doc->links, i, l) {
		const char *url = str(l, "url");
		int line = (int)json_integer_value(json_object_get(l, "line"));
		int col = (int)json_integer_value(json_object_get(l, "col"));
		int image = json_is_true(json_object_get(l, "image"));
		if (!json_is_true(json_object_get(l, "alt")))
			nb_error(d, doc->path, line, col, "image-alt-missing",
				 "describe the picture between the brackets, e.g. "
				 "![Photo of the meeting](photo.jpg): it is what a screen reader says, "
				 "and what shows when the picture cannot",
				 "image `%s` has no text alternative", url ? url : "");
		if (!url || !json_is_true(json_object_get(l, "local")))
			continue;
		int bad;
		if (resolve(doc, url, files, &rel, &src, &bad) != 0) {
			if (bad == -2)
				nb_error(d, doc->path, line, col, "link-names-no-file",
					 "link a file beside the document by its name, e.g. "
					 "[Sign-in sheet](signin.pdf); to link a page, write its "
					 "address, e.g. [Meetings](/meetings/)",
					 "%s `%s` names a folder, not a file; only files beside "
					 "the document are published with it", image ? "image" : "link",
					 url);
			else if (bad == -1)
				nb_error(d, doc->path, line, col, "link-outside-folder",
					 "put the file beside the document (in the same folder or "
					 "a folder under it) and link it by its name, e.g. "
					 "[Sign-in sheet](signin.pdf)",
					 "%s `%s` leaves the document's folder; only files beside "
					 "the document are published with it", image ? "image" : "link",
					 url);
			else
				nb_error(d, doc->path, line, col, "link-target-missing",
					 "put the file in the document's folder, or correct the "
					 "name (letters must match in case, and the extension too)",
					 "%s `%s` names a file that does not exist: %s",
					 image ? "image" : "link", url, nb_buf_cstr(&src));
			continue;
		}
		const char *key = nb_buf_cstr(&rel);
		const char *last = strrchr(key, '/');
		/* Every generated page is an index.html in its folder: an
		 * attachment of that name would replace one. */
		if (!strcmp(last ? last + 1 : key, "index.html")) {
			nb_error(d, doc->path, line, col, "attachment-name-reserved",
				 "rename the file (e.g. to original.html) and the link with it",
				 "attachment `%s` cannot be published: index.html is the name of "
				 "the document's own page", url);
			continue;
		}
		if (json_object_get(seen, key))
			continue;
		json_object_set_new(seen, key, json_true());
		json_object_set_new(s->attached, nb_buf_cstr(&src), json_true());
		/* Beside the page: <kind>/<id>/ + the path as linked. */
		const char *slash = strrchr(p->out_path, '/');
		nb_buf_clear(&b);
		nb_buf_put(&b, p->out_path, (size_t)(slash - p->out_path) + 1);
		nb_buf_puts(&b, key);
		json_array_append_new(s->attachments,
				      json_pack("{s:s, s:s}", "src", nb_buf_cstr(&src), "dest",
						nb_buf_cstr(&b)));
		char *abs = nb_path_join(s->cfg->site_dir, nb_buf_cstr(&src));
		struct stat st;
		unsigned long long size = stat(abs, &st) == 0 ? (unsigned long long)st.st_size : 0;
		free(abs);
		char sz[32];
		size_display(size, sz, sizeof(sz));
		const char *type = type_of(key);
		const char *base = strrchr(key, '/');
		const char *text = str(l, "text");
		nb_buf_clear(&b);
		href_of(key, &b);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:b}",
						      "name", base ? base + 1 : key, "title",
						      text && text[0] ? text : (base ? base + 1 : key),
						      "url", nb_buf_cstr(&b), "type", type, "type_label",
						      nb_site_label(s, "attachment_types", type), "size",
						      (json_int_t)size, "size_display", sz, "image",
						      !strcmp(type, "image")));
	}
	if (json_array_size(list)) {
		json_t *pg = nb_page_derived(p);
		json_object_set_new(pg, "attachments", list);
		json_object_set_new(pg, "has_attachments", json_true());
	}
	else
		json_decref(list);
	json_decref(seen);
	nb_buf_free(&rel);
	nb_buf_free(&src);
	nb_buf_free(&b);
}

int nb_attach_link(nb_site *s, const nb_content *c, nb_diag *d)
{
	size_t before = d->errors;
	json_t *files = json_object();
	for (size_t i = 0; i < c->n_assets; i++)
		json_object_set_new(files, c->assets[i].src, json_true());
	s->attachments = json_array();
	s->attached = json_object();
	for (size_t i = 0; i < s->len; i++)
		if (s->pages[i].doc->links)
			check_doc(s, &s->pages[i], files, d);
	/* A draft's files are not published where they lie either: what it
	 * links is published with it, once it is. */
	nb_buf rel = NB_BUF_INIT, src = NB_BUF_INIT;
	for (size_t i = 0; i < c->len; i++) {
		const nb_doc *doc = &c->docs[i];
		if (!doc->ok || !doc->draft || s->drafts || !doc->links)
			continue;
		size_t k;
		json_t *l;
		json_array_foreach(doc->links, k, l) {
			int outside;
			const char *url = str(l, "url");
			if (url && json_is_true(json_object_get(l, "local")) &&
			    resolve(doc, url, files, &rel, &src, &outside) == 0)
				json_object_set_new(s->attached, nb_buf_cstr(&src), json_true());
		}
	}
	nb_buf_free(&rel);
	nb_buf_free(&src);
	json_decref(files);
	return d->errors > before ? -1 : 0;
}

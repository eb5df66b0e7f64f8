/*
 * assets.c - the active-content policy for files published as they are;
 * see assets.h for what is refused and why.
 *
 * A small tokenizer over the bytes rather than an HTML or XML parser:
 * the files are arbitrary (HTML 4, XHTML, SVG from drawing programs) and
 * we need only to find tags, their names and their attributes, with
 * comments, CDATA and quoted values (which may hold '>') stepped over.
 * Where markup is too odd to follow (an unterminated tag or comment) the
 * scan stops with what it found so far, which errs on the side of
 * refusing: a browser's recovery could make a script of it.
 */
#include "output/assets.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fs.h"
#include "util/utf8.h"

static int ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

int nb_asset_scanned(const char *path)
{
	static const char *const ext[] = { ".html", ".htm", ".xhtml", ".xht", ".shtml",
					   ".svg", ".xml" };
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (ends_with_ci(path, ext[i]))
			return 1;
	return 0;
}

static int starts_ci(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(end - p) >= n && !strncasecmp(p, word, n);
}

/* Where `at` is, 1-based, the column in characters. */
static void position(const char *data, const char *at, int *line, int *col)
{
	const char *start = data;
	*line = 1;
	for (const char *p = data; p < at; p++)
		if (*p == '\n') {
			(*line)++;
			start = p + 1;
		}
	*col = (int)nb_utf8_length(start, (size_t)(at - start)) + 1;
}

static const char *find(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	for (; (size_t)(end - p) >= n; p++)
		if (!memcmp(p, word, n))
			return p;
	return NULL;
}

/* Elements that run code or embed another document. */
static int active_element(const char *name, size_t n)
{
	static const char *const names[] = { "script", "foreignobject", "iframe", "frame",
					     "frameset", "object", "embed", "applet", "base",
					     "handler", "listener", "portal" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && !strncasecmp(name, names[i], n))
			return 1;
	return 0;
}

/* An attribute value as a browser reads an address: character
 * references decoded, white space and control characters dropped,
 * lowercased. Then: does it run code, or load a document that may? */
static int active_value(const char *v, size_t n)
{
	nb_buf b = NB_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		unsigned long c = (unsigned char)v[i];
		if (c == '&') {
			const char *semi = memchr(v + i, ';', n - i);
			size_t len = semi ? (size_t)(semi - (v + i)) + 1 : 0;
			if (len > 2 && v[i + 1] == '#') {
				char *e;
				c = v[i + 2] == 'x' || v[i + 2] == 'X' ? strtoul(v + i + 3, &e, 16)
									: strtoul(v + i + 2, &e, 10);
				i += len - 1;
			} else if (len && starts_ci(v + i, v + n, "&colon;")) {
				c = ':';
				i += len - 1;
			} else if (len && (starts_ci(v + i, v + n, "&tab;") ||
					   starts_ci(v + i, v + n, "&newline;"))) {
				i += len - 1;
				continue;
			}
		}
		if (c <= 0x20 || c == 0x7f)
			continue;
		nb_buf_putc(&b, c < 0x80 ? (char)tolower((int)c) : '?');
	}
	const char *s = nb_buf_cstr(&b);
	int bad = strstr(s, "javascript:") || strstr(s, "vbscript:") ||
		  (!strncmp(s, "data:", 5) && (strstr(s, "html") || strstr(s, "svg") ||
					       strstr(s, "xml") || strstr(s, "script")));
	nb_buf_free(&b);
	return bad;
}

static int offence(const char *origin, const char *data, const char *at, nb_diag *d,
		   const char *what)
{
	int line, col;
	position(data, at, &line, &col);
	nb_error(d, origin, line, col, "asset-active-content",
		 "remove it, or publish the file with the site's own pages instead; a site "
		 "that must serve it as it is sets `assets.allow_active_content: true` in "
		 "site.yaml (see README.md for the header your web server should send)",
		 "%s in a file published as it is would run with the site's rights", what);
	return -1;
}

/* The attributes of the tag whose name ends at `p`; returns where the
 * tag ends (after '>'), or NULL with an offence reported. */
static const char *scan_attributes(const char *origin, const char *data, const char *p,
				   const char *end, nb_diag *d, int *bad)
{
	nb_buf what = NB_BUF_INIT;
	while (p < end && *p != '>') {
		if (isspace((unsigned char)*p) || *p == '/') {
			p++;
			continue;
		}
		const char *name = p;
		while (p < end && !isspace((unsigned char)*p) && *p != '=' && *p != '>' &&
		       *p != '/')
			p++;
		size_t nlen = (size_t)(p - name);
		const char *local = memchr(name, ':', nlen);
		local = local ? local + 1 : name;
		size_t llen = nlen - (size_t)(local - name);
		if (llen > 2 && !strncasecmp(local, "on", 2)) {
			nb_buf_printf(&what, "the event handler attribute `%.*s`", (int)nlen, name);
			*bad = offence(origin, data, name, d, nb_buf_cstr(&what));
			break;
		}
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || *p != '=')
			continue;
		p++;
		while (p < end && isspace((unsigned char)*p))
			p++;
		const char *v = p, *vend;
		if (p < end && (*p == '"' || *p == '\'')) {
			vend = memchr(p + 1, *p, (size_t)(end - p - 1));
			if (!vend)
				vend = end;
			v = p + 1;
			p = vend < end ? vend + 1 : end;
		} else {
			while (p < end && !isspace((unsigned char)*p) && *p != '>')
				p++;
			vend = p;
		}
		if (active_value(v, (size_t)(vend - v))) {
			nb_buf_printf(&what, "a script address in the attribute `%.*s`", (int)nlen,
				      name);
			*bad = offence(origin, data, v, d, nb_buf_cstr(&what));
			break;
		}
	}
	nb_buf_free(&what);
	return *bad ? NULL : p < end ? p + 1 : end;
}

int nb_asset_scan(const char *origin, const char *data, size_t len, nb_diag *d)
{
	const char *p = data, *end = data + len;
	int bad = 0;
	while (!bad && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		const char *lt = p;
		if (starts_ci(p, end, "<!--")) {
			const char *e = find(p + 4, end, "-->");
			p = e ? e + 3 : end;
		} else if (starts_ci(p, end, "<![CDATA[")) {
			const char *e = find(p + 9, end, "]]>");
			p = e ? e + 3 : end;
		} else if (starts_ci(p, end, "<?xml-stylesheet")) {
			bad = offence(origin, data, lt, d, "an <?xml-stylesheet?> instruction");
		} else if (starts_ci(p, end, "<?")) {
			const char *e = find(p + 2, end, "?>");
			p = e ? e + 2 : end;
		} else if (starts_ci(p, end, "<!")) {
			const char *e = p + 2;
			while (e < end && *e != '>' && *e != '[')
				e++;
			if (e < end && *e == '[')
				bad = offence(origin, data, lt, d,
					      "a DOCTYPE with its own entity declarations");
			p = e < end ? e + 1 : end;
		} else {
			p++;
			int closing = p < end && *p == '/';
			if (closing)
				p++;
			const char *name = p;
			while (p < end && (isalnum((unsigned char)*p) || *p == ':' || *p == '-' ||
					   *p == '_' || *p == '.'))
				p++;
			size_t nlen = (size_t)(p - name);
			if (!nlen)
				continue;  /* a '<' in text */
			const char *local = memchr(name, ':', nlen);
			local = local ? local + 1 : name;
			size_t llen = nlen - (size_t)(local - name);
			if (!closing && active_element(local, llen)) {
				char what[96];
				snprintf(what, sizeof(what), "the element <%.*s>", (int)nlen, name);
				bad = offence(origin, data, lt, d, what);
				break;
			}
			const char *after = scan_attributes(origin, data, p, end, d, &bad);
			p = after ? after : end;
		}
	}
	return bad ? -1 : 0;
}

int nb_asset_vet(const nb_config *cfg, const char *origin, const char *disk, nb_diag *d)
{
	if (cfg->allow_active_content || !nb_asset_scanned(origin))
		return 0;
	char *data;
	size_t len;
	if (nb_fs_read(disk, cfg->max_file_size, &data, &len) != 0) {
		if (errno == EFBIG)
			nb_error(d, origin, 0, 0, "file-too-large",
				 "make the file smaller, or raise limits.file_size in site.yaml",
				 "file is larger than the limit of %zu bytes", cfg->max_file_size);
		else
			nb_error(d, origin, 0, 0, "io", NULL, "cannot read: %s", strerror(errno));
		return -1;
	}
	int rc = nb_asset_scan(origin, data, len, d);
	free(data);
	return rc;
}

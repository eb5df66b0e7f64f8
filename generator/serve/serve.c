/*
 * serve.c - the local preview server; see serve.h.
 *
 * The site is built with drafts into a temporary folder outside the site
 * (never the real output folder: a preview must not be published by
 * accident) and served on 127.0.0.1 by libmicrohttpd, which handles HTTP so
 * we only map URLs to files. The main thread polls the site's inputs
 * (site.yaml, content/, themes/, static/) every 500 ms by size and mtime -
 * portable, and cheap next to a build - and rebuilds when they change.
 *
 * Live reload: HTML responses get one injected <script src> (a file, not
 * inline code, so a strict Content-Security-Policy still holds) carrying
 * the build generation it was served from. The script listens on an
 * EventSource endpoint that announces each new generation, so a page
 * reloads after every rebuild, including one that finished before the
 * page connected. When a build fails, every HTML URL serves an error page
 * listing the diagnostics (and the terminal prints them) until it is fixed.
 *
 * Threads: libmicrohttpd runs a thread per connection (an event stream
 * blocks its thread on a condition variable); the shared state is one
 * struct guarded by a mutex. Ctrl-C is taken synchronously with
 * sigtimedwait(), which is also the poll timer, so no signal handler and no
 * global state are needed, and shutdown frees everything.
 *
 * libmicrohttpd is loaded when `serve` starts, not linked (util/dynlib.h:
 * it and GnuTLS were a large part of every command's start-up); its
 * functions are called through the table in serve_state.
 */
#include "serve/serve.h"

#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "util/buf.h"
#include "output/build.h"
#include "output/cache.h"
#include "config/config.h"
#include "util/dynlib.h"
#include "util/fs.h"

#ifndef NB_MHD_SONAME
#define NB_MHD_SONAME "libmicrohttpd.so.12"
#endif

#define EVENTS_URL "/__noticeboard/events"
#define RELOAD_URL "/__noticeboard/reload.js"

static const char reload_js[] =
	"/* noticeboard serve: reload this page after each rebuild. */\n"
	"(function () {\n"
	"\t\"use strict\";\n"
	"\tvar me = document.currentScript;\n"
	"\tif (!me || !window.EventSource) return;\n"
	"\tvar gen = me.getAttribute(\"data-generation\") || \"0\";\n"
	"\tvar es = new EventSource(\"" EVENTS_URL "?since=\" + encodeURIComponent(gen));\n"
	"\tes.addEventListener(\"reload\", function () { es.close(); location.reload(); });\n"
	"})();\n";

/* The libmicrohttpd functions this module calls (see the top comment). */
typedef struct mhd_api {
	struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
					   MHD_AccessHandlerCallback, void *, ...);
	void (*stop_daemon)(struct MHD_Daemon *);
	const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *,
						       enum MHD_DaemonInfoType, ...);
	struct MHD_Response *(*create_response_from_buffer)(size_t, void *,
							    enum MHD_ResponseMemoryMode);
	struct MHD_Response *(*create_response_from_callback)(uint64_t, size_t,
							      MHD_ContentReaderCallback, void *,
							      MHD_ContentReaderFreeCallback);
	enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
	enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int,
					  struct MHD_Response *);
	void (*destroy_response)(struct MHD_Response *);
	const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind,
					       const char *);
	size_t (*http_unescape)(char *);
} mhd_api;

typedef struct serve_state {
	mhd_api mhd;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	unsigned long generation;  /* bumped after every build, good or bad */
	char *error_html;          /* the error page while the last build failed */
	int built;                 /* a build has ever succeeded */
	int stopping;
	char out[PATH_MAX];        /* the built site */
	char base_path[1024];
} serve_state;

typedef struct stream {
	serve_state *st;
	unsigned long seen;
	int greeted;
} stream;

/* ---- the change scan ---- */

static void scan_dir(const char *site, const char *rel, uint64_t *h)
{
	char *root = nb_path_join(site, rel);
	nb_strlist files = { 0 };
	if (nb_fs_is_dir(root))
		nb_fs_walk(root, &files, NULL);
	for (size_t i = 0; i < files.len; i++) {
		char *p = nb_path_join(root, files.items[i]);
		struct stat sb;
		if (stat(p, &sb) == 0) {
			uint64_t v[3] = { (uint64_t)sb.st_size, (uint64_t)sb.st_mtim.tv_sec,
					  (uint64_t)sb.st_mtim.tv_nsec };
			for (const char *c = p; *c; c++)
				*h = (*h ^ (unsigned char)*c) * 1099511628211ull;
			for (int k = 0; k < 3; k++)
				*h = (*h ^ v[k]) * 1099511628211ull;
		}
		free(p);
	}
	nb_strlist_free(&files);
	free(root);
}

/* A fingerprint of every input of a build. */
static uint64_t scan(const char *site)
{
	uint64_t h = 14695981039346656037ull;
	char *yaml = nb_path_join(site, "site.yaml");
	struct stat sb;
	if (stat(yaml, &sb) == 0)
		h = (h ^ ((uint64_t)sb.st_size * 31 + (uint64_t)sb.st_mtim.tv_nsec +
			  (uint64_t)sb.st_mtim.tv_sec)) * 1099511628211ull;
	free(yaml);
	static const char *const dirs[] = { "content", "themes", "static" };
	for (size_t i = 0; i < 3; i++)
		scan_dir(site, dirs[i], &h);
	return h;
}

/* ---- builds ---- */

/* The line a diagnostic points at, as it stands in the file, with the
 * character at its column marked: a secretary sees the mistake itself,
 * not only its coordinates. Nothing when the file cannot be read. */
static void put_source_line(nb_buf *b, const char *site_dir, const nb_diag_entry *e)
{
	if (e->line <= 0 || !e->file[0] || e->file[0] == '/' || strstr(e->file, ".."))
		return;
	char *path = nb_path_join(site_dir, e->file);
	char *src = NULL;
	size_t len = 0;
	int rc = nb_fs_read(path, 4u << 20, &src, &len);
	free(path);
	if (rc != 0)
		return;
	const char *p = src, *end = src + len;
	for (int ln = 1; ln < e->line && p < end; ln++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		/* The column counts characters; find its bytes. */
		size_t at = 0;
		for (int col = 1; col < e->col && at < n; col++)
			for (at++; at < n && ((unsigned char)p[at] & 0xC0) == 0x80; at++)
				;
		size_t mark_end = at;
		if (e->col > 0 && at < n)
			for (mark_end++; mark_end < n && ((unsigned char)p[mark_end] & 0xC0) == 0x80; mark_end++)
				;
		nb_buf_printf(b, "<pre class=\"nb-src\"><span class=\"nb-ln\">%d</span> ", e->line);
		nb_buf_put_html(b, p, at);
		if (mark_end > at) {
			nb_buf_puts(b, "<mark>");
			nb_buf_put_html(b, p + at, mark_end - at);
			nb_buf_puts(b, "</mark>");
		}
		nb_buf_put_html(b, p + mark_end, n - mark_end);
		nb_buf_puts(b, "</pre>");
	}
	free(src);
}

static void put_diag_html(nb_buf *b, const nb_diag *d, const char *site_dir)
{
	const char *lang = nb_diag_language(d);
	nb_buf_puts(b, "<ol class=\"nb-errors\">\n");
	for (size_t i = 0; i < d->len; i++) {
		const nb_diag_entry *e = &d->items[i];
		char *msg = nb_diag_translate(lang, e->code, e->msg);
		char *hint = nb_diag_translate(lang, e->code, e->hint);
		nb_buf_puts(b, "<li><code>");
		nb_buf_put_html(b, e->file, strlen(e->file));
		if (e->line)
			nb_buf_printf(b, ":%d", e->line);
		if (e->col)
			nb_buf_printf(b, ":%d", e->col);
		nb_buf_printf(b, "</code> <strong>%s</strong> ",
			      e->sev == NB_SEV_ERROR ? nb_diag_word(lang, "error:", "错误：")
						     : nb_diag_word(lang, "warning:", "警告："));
		nb_buf_put_html(b, msg, strlen(msg));
		put_source_line(b, site_dir, e);
		if (hint) {
			nb_buf_printf(b, "<br><span class=\"nb-hint\">%s", nb_diag_word(lang, "hint: ", "提示："));
			nb_buf_put_html(b, hint, strlen(hint));
			nb_buf_puts(b, "</span>");
		}
		nb_buf_puts(b, "</li>\n");
		free(msg);
		free(hint);
	}
	nb_buf_puts(b, "</ol>\n");
}

/* In the site's language (the diagnostics know it from site.yaml). */
static char *error_page(const nb_diag *d, const char *site_dir)
{
	nb_buf b = NB_BUF_INIT;
	int zh = !strcmp(nb_diag_language(d), "zh-CN");
	nb_buf_printf(&b,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>%s · noticeboard serve</title>\n"
		"<style>body{font:16px/1.6 system-ui,sans-serif;margin:0;padding:1.5rem;"
		"color:#1b1b1b;background:#fff}h1{color:#a4000f;font-size:1.6rem}"
		"code{font-size:1rem;background:#f3f2f1;padding:.1em .3em;word-break:break-all}"
		".nb-errors li{margin:.8rem 0}.nb-hint{color:#3d3d3d}"
		".nb-src{background:#f3f2f1;padding:.4em .6em;margin:.3rem 0;white-space:pre-wrap;"
		"word-break:break-all}.nb-ln{color:#505050;margin-right:.6em}"
		"mark{background:#ffdd00;color:#1b1b1b}</style>\n"
		"</head>\n<body>\n<main>\n",
		zh ? "zh-CN" : "en", zh ? "构建失败" : "Build failed");
	if (zh)
		nb_buf_printf(&b, "<h1>构建失败：%zu 个错误</h1>\n"
			      "<p>请改正下面列出的文件并保存；网站重新构建后，本页会自动刷新。</p>\n",
			      d->errors);
	else
		nb_buf_printf(&b, "<h1>Build failed: %zu error%s</h1>\n"
			      "<p>Fix the files below and save; this page reloads when the site builds again.</p>\n",
			      d->errors, d->errors == 1 ? "" : "s");
	put_diag_html(&b, d, site_dir);
	nb_buf_puts(&b, "</main>\n</body>\n</html>\n");
	return nb_buf_detach(&b);
}

static void rebuild(serve_state *st, const nb_serve_opts *so, const nb_build_opts *o)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nb_diag d;
	nb_diag_init(&d);
	nb_build_result r;
	int rc = nb_build_run(o, &r, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	nb_diag_sort(&d);
	so->report(so->report_ud, &d);
	char *page = rc == NB_EXIT_OK ? NULL : error_page(&d, o->site_dir);
	if (rc == NB_EXIT_OK && !so->quiet) {
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (!strcmp(nb_diag_language(&d), "zh-CN"))
			fprintf(stderr, "已生成 %zu 个页面，来自 %zu 个文档，用时 %.2f 秒\n",
				r.pages, r.documents, secs);
		else
			fprintf(stderr, "built %zu pages from %zu documents in %.2f s\n", r.pages,
				r.documents, secs);
	} else if (rc != NB_EXIT_OK) {
		fputs(!strcmp(nb_diag_language(&d), "zh-CN")
			      ? "网站生成失败：改正错误之前，预览页面会列出这些错误\n"
			      : "build failed: the preview shows the errors until they are fixed\n",
		      stderr);
	}
	pthread_mutex_lock(&st->mu);
	free(st->error_html);
	st->error_html = page;
	st->built |= rc == NB_EXIT_OK;
	st->generation++;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->mu);
	nb_diag_free(&d);
}

/* ---- HTTP ---- */

static const char *content_type(const char *path)
{
	static const char *const map[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".htm", "text/html; charset=utf-8" },
		{ ".xhtml", "application/xhtml+xml; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".webmanifest", "application/manifest+json" },
		{ ".xml", "application/xml; charset=utf-8" },
		{ ".atom", "application/atom+xml" },
		{ ".rss", "application/rss+xml" },
		{ ".ics", "text/calendar; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".csv", "text/csv; charset=utf-8" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" },
		{ ".gif", "image/gif" },
		{ ".webp", "image/webp" },
		{ ".ico", "image/x-icon" },
		{ ".pdf", "application/pdf" },
		{ ".woff2", "font/woff2" },
		{ ".woff", "font/woff" },
		{ ".avif", "image/avif" },
		{ ".mp3", "audio/mpeg" },
		{ ".mp4", "video/mp4" },
	};
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (!strcasecmp(dot, map[i][0]))
				return map[i][1];
	return "application/octet-stream";
}

static int hexval(int c)
{
	return nb_hex_value(c);
}

/*
 * The output-relative file for a URL path, or NULL when it is unsafe.
 * The check decodes %-escapes a second time (libmicrohttpd already decoded
 * once), so "%252e%252e" is refused too, then refuses any "." or ".."
 * segment, backslash or NUL. The file is the path as decoded once: decoding
 * it again served "a b.txt" for "/a%2520b.txt", the URL of "a%20b.txt".
 */
static char *safe_path(const char *url)
{
	nb_buf b = NB_BUF_INIT;
	for (const char *p = url; *p; p++) {
		if (p[0] == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			int c = hexval(p[1]) * 16 + hexval(p[2]);
			if (c == 0) {
				nb_buf_free(&b);
				return NULL;
			}
			nb_buf_putc(&b, (char)c);
			p += 2;
		} else {
			nb_buf_putc(&b, *p);
		}
	}
	char *s = nb_buf_detach(&b);
	if (!s)
		s = strdup("");
	for (char *seg = s; seg; ) {
		char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.') ||
		    memchr(seg, '\\', n)) {
			free(s);
			return NULL;
		}
		seg = end ? end + 1 : NULL;
	}
	free(s);
	return strdup(url);
}

/*
 * libmicrohttpd decodes the path's %-escapes before handle() sees it, and a
 * decoded %00 ends the C string there: "/index.html%00.png" arrived as
 * "/index.html" and that file was served. This decoder, used instead of
 * libmicrohttpd's, leaves a string holding an encoded NUL as it came, so
 * safe_path meets the "%00" and the answer is 400.
 */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	const mhd_api *m = cls;
	for (const char *p = s; *p; p++)
		if (p[0] == '%' && p[1] == '0' && p[2] == '0')
			return strlen(s);
	return m->http_unescape(s);
}

/* What every answer says: its type, never cached (a preview changes under
 * it), and not to be sniffed into another type. */
static void typed(const mhd_api *m, struct MHD_Response *r, const char *type)
{
	m->add_response_header(r, "Content-Type", type);
	m->add_response_header(r, "Cache-Control", "no-store");
	m->add_response_header(r, "X-Content-Type-Options", "nosniff");
}

/* `body` (freed here, NULL when it could not be made) as the answer;
 * `allow` the Allow header or NULL. */
static enum MHD_Result reply_allow(const mhd_api *m, struct MHD_Connection *c, unsigned status,
				   const char *type, char *body, size_t len, const char *allow)
{
	struct MHD_Response *r = NULL;
	if (body)
		r = m->create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	typed(m, r, type);
	if (allow)
		m->add_response_header(r, "Allow", allow);
	enum MHD_Result ok = m->queue_response(c, status, r);
	m->destroy_response(r);
	return ok;
}

static enum MHD_Result reply(const mhd_api *m, struct MHD_Connection *c, unsigned status,
			     const char *type, char *body, size_t len)
{
	return reply_allow(m, c, status, type, body, len, NULL);
}

static enum MHD_Result reply_text(const mhd_api *m, struct MHD_Connection *c, unsigned status, const char *msg)
{
	char *s = strdup(msg);
	return reply(m, c, status, "text/plain; charset=utf-8", s, s ? strlen(s) : 0);
}

/* The one byte range a "Range: bytes=..." header asks of a file of `len`
 * bytes (RFC 9110 14.1.2): "A-B", "A-" or "-N". 1 with the range in
 * [*lo, *hi]; 0 when there is none to honour (no header, another unit,
 * a malformed or multi-part request: the whole file answers, as the RFC
 * allows); -1 when it starts past the end (416). A browser's PDF viewer
 * and its video player ask for parts of attachments. */
static int byte_range(const char *h, size_t len, size_t *lo, size_t *hi)
{
	if (!h || strncasecmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0;
	const char *p = h + 6;
	char *end;
	if (*p == '-') {
		if (p[1] < '0' || p[1] > '9')
			return 0;
		errno = 0;
		unsigned long long n = strtoull(p + 1, &end, 10);
		if (*end || errno)
			return 0;
		if (n == 0 || len == 0)
			return -1;
		*lo = n >= len ? 0 : len - (size_t)n;
		*hi = len - 1;
		return 1;
	}
	if (*p < '0' || *p > '9')
		return 0;
	errno = 0;
	unsigned long long a = strtoull(p, &end, 10), b = ULLONG_MAX;
	if (errno || *end != '-')
		return 0;
	if (end[1]) {
		if (end[1] < '0' || end[1] > '9')
			return 0;
		b = strtoull(end + 1, &end, 10);
		if (*end || errno || b < a)
			return 0;
	}
	if (a >= len)
		return -1;
	*lo = (size_t)a;
	*hi = b >= len ? len - 1 : (size_t)b;
	return 1;
}

/* A file that is no page: whole, or the part a Range header asks for
 * (206), or 416 for a part past its end. `body` is freed here. */
static enum MHD_Result reply_file(const mhd_api *m, struct MHD_Connection *c,
				  const char *type, char *body, size_t len)
{
	size_t lo = 0, hi = 0;
	int part = byte_range(m->lookup_connection_value(c, MHD_HEADER_KIND, "Range"), len,
			      &lo, &hi);
	unsigned status = MHD_HTTP_OK;
	char range[96] = "";
	if (part < 0) {
		snprintf(range, sizeof(range), "bytes */%zu", len);
		free(body);
		body = strdup("");
		len = 0;
		status = MHD_HTTP_RANGE_NOT_SATISFIABLE;
	} else if (part > 0) {
		snprintf(range, sizeof(range), "bytes %zu-%zu/%zu", lo, hi, len);
		memmove(body, body + lo, hi - lo + 1);
		len = hi - lo + 1;
		status = MHD_HTTP_PARTIAL_CONTENT;
	}
	struct MHD_Response *r = body ? m->create_response_from_buffer(len, body,
								       MHD_RESPMEM_MUST_FREE)
				      : NULL;
	if (!r) {
		free(body);
		return MHD_NO;
	}
	typed(m, r, type);
	m->add_response_header(r, "Accept-Ranges", "bytes");
	if (range[0])
		m->add_response_header(r, "Content-Range", range);
	enum MHD_Result ok = m->queue_response(c, status, r);
	m->destroy_response(r);
	return ok;
}

/* Serve HTML with the live-reload script before </head>. */
static enum MHD_Result reply_html(const mhd_api *m, struct MHD_Connection *c, unsigned status, const char *html,
				  size_t len, unsigned long gen)
{
	nb_buf b = NB_BUF_INIT;
	char tag[160];
	snprintf(tag, sizeof(tag), "<script src=\"" RELOAD_URL "\" data-generation=\"%lu\"></script>\n",
		 gen);
	const char *at = memmem(html, len, "</head>", 7);
	size_t pre = at ? (size_t)(at - html) : len;
	nb_buf_put(&b, html, pre);
	nb_buf_puts(&b, tag);
	nb_buf_put(&b, html + pre, len - pre);
	size_t n = b.len;
	return reply(m, c, status, "text/html; charset=utf-8", nb_buf_detach(&b), n);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	stream *s = cls;
	serve_state *st = s->st;
	if (!s->greeted) {
		s->greeted = 1;
		return snprintf(buf, max, "retry: 1000\n: connected\n\n");
	}
	pthread_mutex_lock(&st->mu);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 15;
	while (!st->stopping && st->generation == s->seen)
		if (pthread_cond_timedwait(&st->cond, &st->mu, &until) == ETIMEDOUT)
			break;
	int stopping = st->stopping;
	unsigned long gen = st->generation;
	pthread_mutex_unlock(&st->mu);
	if (stopping)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (gen == s->seen)
		return snprintf(buf, max, ": ping\n\n");
	s->seen = gen;
	return snprintf(buf, max, "event: reload\ndata: %lu\n\n", gen);
}

static enum MHD_Result reply_events(struct MHD_Connection *c, serve_state *st)
{
	const mhd_api *m = &st->mhd;
	stream *s = calloc(1, sizeof(*s));
	if (!s)
		return MHD_NO;
	s->st = st;
	const char *since = m->lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	pthread_mutex_lock(&st->mu);
	s->seen = since ? strtoul(since, NULL, 10) : st->generation;
	pthread_mutex_unlock(&st->mu);
	struct MHD_Response *r = m->create_response_from_callback(MHD_SIZE_UNKNOWN, 256,
								    stream_read, s, free);
	if (!r) {
		free(s);
		return MHD_NO;
	}
	m->add_response_header(r, "Content-Type", "text/event-stream");
	m->add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ok = m->queue_response(c, MHD_HTTP_OK, r);
	m->destroy_response(r);
	return ok;
}

/*
 * The query string as the client sent it (after '?', still encoded), kept
 * as the request's con_cls: the handler only sees the decoded path and the
 * decoded arguments, and a redirect rebuilt from those could not give back
 * what was sent (an escaped '&' or '=' in a value, '+', a lone key).
 */
static void *keep_query(void *cls, const char *uri, struct MHD_Connection *c)
{
	const char *q = strchr(uri, '?');
	return q && q[1] ? strdup(q + 1) : NULL;
}

static void forget_query(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	free(*con_cls);
	*con_cls = NULL;
}

/* `s` into `b`, %-encoding what may not stand in a Location header:
 * controls, space, bytes past ASCII, and those in `also`. */
static void put_encoded(nb_buf *b, const char *s, const char *also)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p > 0x20 && *p < 0x7f && !strchr(also, *p))
			nb_buf_putc(b, (char)*p);
		else
			nb_buf_printf(b, "%%%02X", *p);
}

/*
 * A folder asked for without its slash: redirected to it, as Hugo's and
 * Zola's servers and static hosts do, so the address bar shows the URL the
 * site links to and relative addresses resolve inside the folder. `url` is
 * decoded (libmicrohttpd), so Location encodes it again; `query` (or NULL)
 * is as sent, its escapes kept, so a search is not lost on the way.
 */
static enum MHD_Result redirect_slash(const mhd_api *m, struct MHD_Connection *c,
				      const char *url, const char *query)
{
	nb_buf loc = NB_BUF_INIT;
	put_encoded(&loc, url, "%?#\\\"<>^`{|}");
	nb_buf_putc(&loc, '/');
	if (query) {
		nb_buf_putc(&loc, '?');
		put_encoded(&loc, query, "#\\\"<>^`{|}");
	}
	char *body = strdup("moved: the folder's address ends with /\n");
	struct MHD_Response *r = NULL;
	if (body)
		r = m->create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ok = MHD_NO;
	if (r) {
		m->add_response_header(r, "Location", nb_buf_cstr(&loc));
		typed(m, r, "text/plain; charset=utf-8");
		ok = m->queue_response(c, MHD_HTTP_MOVED_PERMANENTLY, r);
		m->destroy_response(r);
	} else {
		free(body);
	}
	nb_buf_free(&loc);
	return ok;
}

static int is_html_url(const char *rel)
{
	size_t n = strlen(rel);
	if (n == 0 || rel[n - 1] == '/')
		return 1;
	const char *dot = strrchr(rel, '.'), *slash = strrchr(rel, '/');
	return !dot || (slash && dot < slash) || !strcmp(dot, ".html");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	serve_state *st = cls;
	const mhd_api *m = &st->mhd;
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		char *s = strdup("only GET and HEAD are served\n");
		return reply_allow(m, c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
				   s, s ? strlen(s) : 0, "GET, HEAD");
	}
	if (!strcmp(url, RELOAD_URL))
		return reply(m, c, MHD_HTTP_OK, "text/javascript; charset=utf-8", strdup(reload_js),
			     sizeof(reload_js) - 1);
	if (!strcmp(url, EVENTS_URL))
		return reply_events(c, st);

	char *rel = safe_path(url);
	if (!rel)
		return reply_text(m, c, MHD_HTTP_BAD_REQUEST, "bad path\n");
	size_t bl = strlen(st->base_path);
	const char *inside = NULL;
	if (!strncmp(rel, st->base_path, bl))
		inside = rel + bl;
	else if (!strncmp(rel, st->base_path, bl - 1) && rel[bl - 1] == '\0')
		inside = "";

	pthread_mutex_lock(&st->mu);
	unsigned long gen = st->generation;
	char *err = st->error_html ? strdup(st->error_html) : NULL;
	pthread_mutex_unlock(&st->mu);
	enum MHD_Result ok;
	if (err && inside && is_html_url(inside)) {
		ok = reply_html(m, c, MHD_HTTP_INTERNAL_SERVER_ERROR, err, strlen(err), gen);
		free(err);
		free(rel);
		return ok;
	}
	free(err);

	char *file = NULL;
	if (inside) {
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "%s/%s", st->out, inside);
		if (url[0] && url[strlen(url) - 1] != '/' && nb_fs_is_dir(nb_buf_cstr(&b))) {
			nb_buf_free(&b);
			free(rel);
			return redirect_slash(m, c, url, *con_cls);
		}
		if (b.len && b.ptr[b.len - 1] == '/')
			nb_buf_puts(&b, "index.html");
		file = nb_buf_detach(&b);
	}
	free(rel);
	unsigned status = MHD_HTTP_OK;
	char *data = NULL;
	size_t len = 0;
	if (!file || !nb_fs_is_file(file) || nb_fs_read(file, 0, &data, &len) != 0) {
		free(file);
		file = nb_path_join(st->out, "404.html");
		status = MHD_HTTP_NOT_FOUND;
		if (nb_fs_read(file, 0, &data, &len) != 0) {
			free(file);
			return reply_text(m, c, MHD_HTTP_NOT_FOUND, "not found\n");
		}
	}
	const char *type = content_type(file);
	if (!strncmp(type, "text/html", 9)) {
		ok = reply_html(m, c, status, data, len, gen);
		free(data);
	} else if (status == MHD_HTTP_OK) {
		ok = reply_file(m, c, type, data, len);
	} else {
		ok = reply(m, c, status, type, data, len);
	}
	free(file);
	return ok;
}

/* libmicrohttpd's functions into `m`; 0, or -1 having said why. */
static int load_mhd(mhd_api *m)
{
	const nb_dynlib_sym syms[] = {
		{ "MHD_start_daemon", &m->start_daemon },
		{ "MHD_stop_daemon", &m->stop_daemon },
		{ "MHD_get_daemon_info", &m->get_daemon_info },
		{ "MHD_create_response_from_buffer", &m->create_response_from_buffer },
		{ "MHD_create_response_from_callback", &m->create_response_from_callback },
		{ "MHD_add_response_header", &m->add_response_header },
		{ "MHD_queue_response", &m->queue_response },
		{ "MHD_destroy_response", &m->destroy_response },
		{ "MHD_lookup_connection_value", &m->lookup_connection_value },
		{ "MHD_http_unescape", &m->http_unescape },
	};
	char err[512];
	if (nb_dynlib_load(NB_MHD_SONAME, syms, sizeof(syms) / sizeof(syms[0]), err,
			   sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "noticeboard serve: %s (install libmicrohttpd: `make deps`)\n", err);
	return -1;
}

int nb_serve_run(const nb_serve_opts *o)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_config cfg;
	int crc = nb_config_load(&cfg, o->site_dir, &d);
	serve_state *st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	snprintf(st->base_path, sizeof(st->base_path), "%s",
		 crc == 0 && cfg.base_path ? cfg.base_path : "/");
	/* The few lines serve prints itself, in the site's language too. */
	char lang[8];
	snprintf(lang, sizeof(lang), "%s", nb_diag_language(&d));
	nb_config_free(&cfg);
	if (crc != 0) {
		/* Without site.yaml there is nothing to preview; other errors show in the page. */
		int missing = 0;
		for (size_t i = 0; i < d.len; i++)
			missing |= !strcmp(d.items[i].code, "config-missing");
		if (missing) {
			o->report(o->report_ud, &d);
			nb_diag_free(&d);
			free(st);
			return NB_EXIT_CONTENT;
		}
	}
	nb_diag_free(&d);
	if (load_mhd(&st->mhd) != 0) {
		free(st);
		return NB_EXIT_IO;
	}

	const char *tmpdir = getenv("TMPDIR");
	char tmp[PATH_MAX - 64];
	snprintf(tmp, sizeof(tmp), "%s/noticeboard-serve-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "noticeboard serve: cannot create a temporary folder: %s\n",
			strerror(errno));
		free(st);
		return NB_EXIT_IO;
	}
	snprintf(st->out, sizeof(st->out), "%s/site", tmp);
	pthread_mutex_init(&st->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_cond_init(&st->cond, &ca);
	pthread_condattr_destroy(&ca);

	/* Block the stop signals before any thread starts, so all inherit it. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	nb_build_opts bo = { .site_dir = o->site_dir, .as_of = o->as_of, .output = st->out,
			     .drafts = 1 };
	uint64_t seen = scan(o->site_dir);
	rebuild(st, o, &bo);

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)o->port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct MHD_Daemon *mhd = st->mhd.start_daemon(
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
		(uint16_t)o->port, NULL, NULL, handle, st,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, &st->mhd,
		MHD_OPTION_URI_LOG_CALLBACK, keep_query, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, forget_query, NULL,
		MHD_OPTION_END);
	int rc = NB_EXIT_OK;
	if (!mhd) {
		fprintf(stderr, nb_diag_word(lang, "noticeboard serve: cannot listen on 127.0.0.1:%ld "
					     "(in use? try --port)\n",
					     "noticeboard serve：无法在 127.0.0.1:%ld 上监听"
					     "（端口已被占用？请用 --port 换一个）\n"), o->port);
		rc = NB_EXIT_IO;
	} else {
		const union MHD_DaemonInfo *info = st->mhd.get_daemon_info(mhd, MHD_DAEMON_INFO_BIND_PORT);
		unsigned bound = info ? info->port : (unsigned)o->port;
		printf(nb_diag_word(lang, "serving http://127.0.0.1:%u%s (drafts shown; Ctrl-C stops)\n",
				    "预览地址：http://127.0.0.1:%u%s（显示草稿；按 Ctrl-C 停止）\n"),
		       bound, st->base_path);
		fflush(stdout);
		for (;;) {
			struct timespec tick = { 0, 500 * 1000 * 1000 };
			int sig = sigtimedwait(&stop, NULL, &tick);
			if (sig > 0)
				break;
			uint64_t now = scan(o->site_dir);
			if (now != seen) {
				seen = now;
				if (!o->quiet)
					fputs(nb_diag_word(lang, "change detected: rebuilding\n",
							   "发现改动：重新生成\n"), stderr);
				rebuild(st, o, &bo);
			}
		}
		if (!o->quiet)
			fputs(nb_diag_word(lang, "stopping\n", "正在停止\n"), stderr);
		pthread_mutex_lock(&st->mu);
		st->stopping = 1;
		pthread_cond_broadcast(&st->cond);
		pthread_mutex_unlock(&st->mu);
		st->mhd.stop_daemon(mhd);
	}
	nb_cache_forget(o->site_dir, st->out);
	nb_fs_rmtree(tmp);
	free(st->error_html);
	pthread_cond_destroy(&st->cond);
	pthread_mutex_destroy(&st->mu);
	free(st);
	return rc;
}

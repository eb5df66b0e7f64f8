/*
 * test_serve.c - the preview server (serve.c) over real HTTP: the small
 * fixture site (fixture_site.h) with a few static files is served in this
 * process on a free port and asked what a browser, a hurried secretary and
 * a hostile client ask.
 *
 * What is expected comes from README's "Previewing" section and serve.c's
 * top comment: pages with the live-reload script, the 404 page with status
 * 404, GET and HEAD only, nothing cached, 400 for `..`, a backslash or an
 * encoded NUL however they are spelt, nothing outside the built site ever
 * served (its `.previous` generation, staging folders, the site's own
 * files), a rebuild after a change that open pages hear of, the list of
 * errors while a build fails. Where README is silent, what the preview
 * servers of Hugo and Zola do: a folder without its trailing slash is
 * redirected to it, and a file's type follows its extension.
 *
 * The server runs in a thread; the stop signals are blocked in every
 * thread (serve takes them with sigtimedwait), so the test stops it with
 * SIGTERM to the process, as Ctrl-C would.
 */
#include <arpa/inet.h>
#include <glob.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fixture_site.h"
#include "harness.h"
#include "output/build.h"
#include "serve/serve.h"
#include "util/buf.h"

typedef struct server {
	char dir[64];          /* the test's folder: site/ and tmp/ */
	char site[96];
	char tmp[96];          /* TMPDIR: serve's temporary folder goes here */
	nb_serve_opts o;
	pthread_t th;
	int port;
	pthread_mutex_t mu;
	int done, rc;          /* nb_serve_run returned rc */
	size_t reports;        /* builds reported */
	size_t errors;         /* errors in the last one */
} server;

static void on_report(const void *ud, nb_diag *d)
{
	server *s = (server *)ud;
	pthread_mutex_lock(&s->mu);
	s->reports++;
	s->errors = d->errors;
	pthread_mutex_unlock(&s->mu);
}

static void *serve_main(void *p)
{
	server *s = p;
	int rc = nb_serve_run(&s->o);
	pthread_mutex_lock(&s->mu);
	s->rc = rc;
	s->done = 1;
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof(a);
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &n) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = { 30, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void write_file(const char *dir, const char *rel, const char *text)
{
	char *p = nb_path_join(dir, rel);
	if (nb_fs_write(p, text, strlen(text)) != 0)
		abort();
	free(p);
}

/* Files added to the fixture: a draft and what static/ may hold. */
static const char *const static_files[][2] = {
	{ "static/公告.txt", "通知\n" },
	{ "static/a b.txt", "with a space\n" },
	{ "static/a%20b.txt", "with a percent sign\n" },
	{ "static/app.webmanifest", "{\"name\": \"Hongling\"}\n" },
	{ "static/old/minutes.htm", "<!DOCTYPE html><title>Old</title><p>Old minutes.</p>\n" },
	{ "static/doc.pdf", "%PDF-1.4\n%%EOF\n" },
	{ "static/blob.bin", "\x01\x02\x03" },
	{ "content/pages/plan.md", "---\ntitle: \"Bike plan\"\ndraft: true\n---\nNot yet.\n" },
	{ "static/资料/index.html",
	  "<!DOCTYPE html><html><head><title>资料</title></head><body>资料页</body></html>\n" },
};

/* The fixture site (with `yaml` as its site.yaml when given) and the
 * static files above, served; 0 once the server answers. */
static int server_start(server *s, const char *yaml)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->mu, NULL);
	snprintf(s->dir, sizeof(s->dir), "/tmp/nb-test-serve.XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->site, sizeof(s->site), "%s/site", s->dir);
	snprintf(s->tmp, sizeof(s->tmp), "%s/tmp", s->dir);
	if (nb_fs_mkdirs(s->tmp) != 0)
		return -1;
	fixture f;
	memset(&f, 0, sizeof(f));
	snprintf(f.dir, sizeof(f.dir), "%.40s/site", s->dir);
	fixture_write(&f, fixture_files, sizeof(fixture_files) / sizeof(fixture_files[0]));
	fixture_write(&f, static_files, sizeof(static_files) / sizeof(static_files[0]));
	if (yaml)
		write_file(s->site, "site.yaml", yaml);
	setenv("TMPDIR", s->tmp, 1);
	s->port = free_port();
	s->o = (nb_serve_opts){ s->site, "2024-07-01", s->port, 1, on_report, s };
	/* Blocked here, so in every thread serve and libmicrohttpd start. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	if (pthread_create(&s->th, NULL, serve_main, s) != 0)
		return -1;
	for (int i = 0; i < 1200; i++) {
		int fd = connect_to(s->port);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		pthread_mutex_lock(&s->mu);
		int done = s->done;
		pthread_mutex_unlock(&s->mu);
		if (done)
			return -1;
		usleep(100 * 1000);
	}
	return -1;
}

/* Ctrl-C: nb_serve_run's exit status. */
static int server_stop(server *s)
{
	kill(getpid(), SIGTERM);
	pthread_join(s->th, NULL);
	pthread_mutex_destroy(&s->mu);
	return s->rc;
}

static void server_free(server *s)
{
	nb_fs_rmtree(s->dir);
}

/* serve's built site: <tmp>/noticeboard-serve-XXXXXX/site, or "". */
static void built_dir(const server *s, char *out, size_t n)
{
	char pat[160];
	snprintf(pat, sizeof(pat), "%s/noticeboard-serve-*", s->tmp);
	glob_t g;
	out[0] = '\0';
	if (glob(pat, 0, NULL, &g) == 0 && g.gl_pathc == 1)
		snprintf(out, n, "%s/site", g.gl_pathv[0]);
	globfree(&g);
}

/* ---- a plain HTTP/1.1 client ---- */

typedef struct resp {
	int status;  /* 0: no answer */
	char *head;  /* status line and headers */
	char *body;
	size_t body_len;
} resp;

static void resp_free(resp *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* Send `req` as it is (nothing normalised, as a hostile client sends it)
 * and read the answer until the server closes. */
static resp raw(int port, const char *req, size_t len)
{
	resp r = { 0 };
	int fd = connect_to(port);
	if (fd < 0)
		return r;
	for (size_t done = 0; done < len; ) {
		ssize_t w = send(fd, req + done, len - done, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	nb_buf all = NB_BUF_INIT;
	char buf[8192];
	ssize_t got;
	while ((got = recv(fd, buf, sizeof(buf), 0)) > 0)
		nb_buf_put(&all, buf, (size_t)got);
	close(fd);
	const char *s = nb_buf_cstr(&all);
	const char *end = strstr(s, "\r\n\r\n");
	if (!strncmp(s, "HTTP/1.", 7) && end) {
		r.status = atoi(s + 9);
		r.head = strndup(s, (size_t)(end - s) + 2);
		r.body_len = all.len - (size_t)(end + 4 - s);
		r.body = malloc(r.body_len + 1);
		memcpy(r.body, end + 4, r.body_len);
		r.body[r.body_len] = '\0';
	}
	nb_buf_free(&all);
	return r;
}

static resp req(int port, const char *method, const char *target, const char *extra)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n",
		      method, target, extra ? extra : "");
	resp r = raw(port, b.ptr, b.len);
	nb_buf_free(&b);
	return r;
}

static resp get(int port, const char *target)
{
	return req(port, "GET", target, NULL);
}

/* Only the status of a GET. */
static int status_of(int port, const char *target)
{
	resp r = get(port, target);
	int st = r.status;
	resp_free(&r);
	return st;
}

/* A header's value (case-insensitive name), in `out`; "" when absent. */
static const char *header(const resp *r, const char *name, char *out, size_t n)
{
	out[0] = '\0';
	size_t nl = strlen(name);
	for (const char *p = r->head ? strstr(r->head, "\r\n") : NULL; p; p = strstr(p + 2, "\r\n"))
		if (!strncasecmp(p + 2, name, nl) && p[2 + nl] == ':') {
			const char *v = p + 3 + nl;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r");
			snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), v);
			break;
		}
	return out;
}

#define HDR(r, name) header(&(r), (name), hbuf, sizeof(hbuf))

/* GET `target` until its body holds `needle` (a rebuild to finish): 1
 * when it did within `secs`. */
static int wait_body(int port, const char *target, const char *needle, int secs)
{
	for (int i = 0; i < secs * 10; i++) {
		resp r = get(port, target);
		int hit = r.body && strstr(r.body, needle);
		resp_free(&r);
		if (hit)
			return 1;
		usleep(100 * 1000);
	}
	return 0;
}

/* Read an event stream until `needle` arrives: 1 when it did in `secs`. */
static int stream_until(int fd, nb_buf *got, const char *needle, int secs)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (strstr(nb_buf_cstr(got), needle))
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > secs)
			return 0;
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 200) > 0) {
			char buf[1024];
			ssize_t n = recv(fd, buf, sizeof(buf), 0);
			if (n <= 0)
				return strstr(nb_buf_cstr(got), needle) != NULL;
			nb_buf_put(got, buf, (size_t)n);
		}
	}
}

static int open_stream(int port, const char *since)
{
	int fd = connect_to(port);
	char r[256];
	int n = snprintf(r, sizeof(r), "GET /__noticeboard/events?since=%s HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n", since);
	if (fd >= 0 && send(fd, r, (size_t)n, MSG_NOSIGNAL) != n) {
		close(fd);
		fd = -1;
	}
	return fd;
}

#define START(s, yaml)                                                        \
	do {                                                                  \
		if (server_start(s, yaml) != 0) {                             \
			NB_CHECK(!"the server started");                      \
			server_stop(s);                                       \
			server_free(s);                                       \
			return;                                               \
		}                                                             \
	} while (0)

static const char RELOAD_TAG[] =
	"<script src=\"/__noticeboard/reload.js\" data-generation=\"1\"></script>\n</head>";

/* ---- the tests ---- */

NB_TEST(pages_and_their_headers)
{
	server s;
	START(&s, NULL);
	char hbuf[256];
	resp r = get(s.port, "/");
	NB_CHECK(r.status == 200);
	NB_CHECK_STR(HDR(r, "Content-Type"), "text/html; charset=utf-8");
	NB_CHECK_STR(HDR(r, "Cache-Control"), "no-store");
	NB_CHECK_STR(HDR(r, "X-Content-Type-Options"), "nosniff");
	/* The reload script once, just before </head>, naming build 1. */
	NB_CHECK_CONTAINS(r.body, RELOAD_TAG);
	const char *once = r.body ? strstr(r.body, "reload.js") : NULL;
	NB_CHECK(once && !strstr(once + 1, "reload.js"));
	NB_CHECK_CONTAINS(r.body, "Hongling");
	char len[32];
	snprintf(len, sizeof(len), "%zu", r.body_len);
	NB_CHECK_STR(HDR(r, "Content-Length"), len);
	/* index.html by name, a query string, a folder's page. */
	resp same = get(s.port, "/index.html");
	NB_CHECK(same.status == 200 && same.body_len == r.body_len &&
		 !memcmp(same.body, r.body, r.body_len));
	resp_free(&same);
	same = get(s.port, "/index.html?utm=1&x=../../site.yaml#frag");
	NB_CHECK(same.status == 200 && same.body_len == r.body_len);
	resp_free(&same);
	resp m = get(s.port, "/meetings/");
	NB_CHECK(m.status == 200);
	NB_CHECK_CONTAINS(m.body, "March plenary");
	NB_CHECK_CONTAINS(m.body, RELOAD_TAG);
	resp_free(&m);
	/* A draft is previewed, under its banner. */
	resp d = get(s.port, "/pages/plan/");
	NB_CHECK(d.status == 200);
	NB_CHECK_CONTAINS(d.body, "Bike plan");
	NB_CHECK_CONTAINS(d.body, "class=\"banner-draft\"");
	resp_free(&d);
	d = get(s.port, "/pages/about/");
	NB_CHECK(d.body && !strstr(d.body, "class=\"banner-draft\""));
	resp_free(&d);
	/* HEAD: the same headers, no body. */
	resp h = req(s.port, "HEAD", "/", NULL);
	NB_CHECK(h.status == 200);
	NB_CHECK(h.body_len == 0);
	NB_CHECK_STR(HDR(h, "Content-Length"), len);
	NB_CHECK_STR(HDR(h, "Content-Type"), "text/html; charset=utf-8");
	resp_free(&h);
	/* A range of a file is exactly those bytes (byte_ranges has the rest). */
	resp g = req(s.port, "GET", "/robots.txt", "Range: bytes=0-3\r\n");
	resp whole = get(s.port, "/robots.txt");
	NB_CHECK(g.status == 206 && whole.status == 200 && g.body_len == 4 &&
		 whole.body_len > 4 && !memcmp(g.body, whole.body, 4));
	resp_free(&g);
	resp_free(&whole);
	resp_free(&r);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	server_free(&s);
}

NB_TEST(not_found_and_methods)
{
	server s;
	START(&s, NULL);
	char hbuf[256];
	const char *missing[] = { "/nope", "/nope/", "/meetings/nope/", "/nope.css",
				  "/%E4%B8%8D%E5%9C%A8/", "//etc/passwd", "/%2fetc/passwd",
				  "/etc/passwd", NULL };
	for (size_t i = 0; missing[i]; i++) {
		resp r = get(s.port, missing[i]);
		NB_CHECK(r.status == 404);
		/* The site's 404 page, with the reload script. */
		NB_CHECK_CONTAINS(r.body, "<!DOCTYPE html>");
		NB_CHECK_CONTAINS(r.body, "/__noticeboard/reload.js");
		NB_CHECK(r.body && !strstr(r.body, "root:"));
		NB_CHECK_STR(HDR(r, "Cache-Control"), "no-store");
		resp_free(&r);
	}
	/* A folder without an index page is not listed. */
	resp r = get(s.port, "/css/");
	NB_CHECK(r.status == 404);
	resp_free(&r);
	const char *methods[] = { "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW",
				  "PROPFIND", NULL };
	for (size_t i = 0; methods[i]; i++) {
		r = req(s.port, methods[i], "/", "Content-Length: 0\r\n");
		NB_CHECK(r.status == 405);
		NB_CHECK_STR(HDR(r, "Allow"), "GET, HEAD");
		/* Typed, and not to be sniffed into HTML, like every answer. */
		NB_CHECK_STR(HDR(r, "Content-Type"), "text/plain; charset=utf-8");
		NB_CHECK_STR(HDR(r, "X-Content-Type-Options"), "nosniff");
		NB_CHECK_STR(HDR(r, "Cache-Control"), "no-store");
		NB_CHECK_STR(r.body, "only GET and HEAD are served\n");
		resp_free(&r);
	}
	/* A body sent with POST is not read as the next request. */
	r = req(s.port, "POST", "/index.html", "Content-Length: 5\r\n\r\nhello");
	NB_CHECK(r.status == 405);
	resp_free(&r);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	server_free(&s);
}

/* ".." however it is spelt, a backslash, an encoded NUL: 400, and no
 * byte of a file outside the built site. */
NB_TEST(paths_that_leave_the_site)
{
	server s;
	START(&s, NULL);
	char out[PATH_MAX];
	built_dir(&s, out, sizeof(out));
	NB_CHECK(out[0]);
	/* A secret beside the built site and one in the site folder. */
	write_file(s.tmp, "secret.txt", "SECRET-TMP\n");
	write_file(s.site, "secret.txt", "SECRET-SITE\n");
	const char *bad[] = {
		"/../site.yaml", "/../../site/site.yaml", "/../secret.txt", "/%2e%2e/secret.txt",
		"/%2E%2E/secret.txt", "/..%2fsecret.txt", "/..%2Fsecret.txt", "/.%2e/secret.txt",
		"/%2e%2e%2fsecret.txt", "/meetings/../../secret.txt", "/meetings/%2e%2e/%2e%2e/secret.txt",
		"/./index.html", "/%2e/index.html", "/%252e%252e/secret.txt", "/..", "/meetings/..",
		"/index.html%00.png", "/index.html%00", "/%00", "/%00/../secret.txt",
		"/a\\b", "/..\\secret.txt", "/%5c..%5csecret.txt", "/meetings\\..\\..\\secret.txt",
		"/%2e%2e%5csecret.txt", NULL,
	};
	for (size_t i = 0; bad[i]; i++) {
		resp r = get(s.port, bad[i]);
		if (r.status != 400)
			fprintf(stderr, "  %s: %d\n", bad[i], r.status);
		NB_CHECK(r.status == 400);
		NB_CHECK(r.body && !strstr(r.body, "SECRET") && !strstr(r.body, "title:"));
		resp_free(&r);
	}
	/* A raw NUL, which no browser sends: libmicrohttpd's URL ends there,
	 * so what is asked for is the part before it, checked as any path. */
	static const char nul[] = "GET /../secret.txt\0/index.html HTTP/1.1\r\nHost: x\r\n"
				  "Connection: close\r\n\r\n";
	resp r = raw(s.port, nul, sizeof(nul) - 1);
	NB_CHECK(r.status == 400 || r.status == 0);
	NB_CHECK(!r.body || !strstr(r.body, "SECRET"));
	resp_free(&r);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	server_free(&s);
}

/* Percent-encoded and raw UTF-8 names, a space, a literal percent sign,
 * a folder without its slash. */
NB_TEST(names_and_folders)
{
	server s;
	START(&s, NULL);
	char hbuf[256];
	resp r = get(s.port, "/%E5%85%AC%E5%91%8A.txt");
	NB_CHECK(r.status == 200);
	NB_CHECK_STR(r.body, "通知\n");
	NB_CHECK_STR(HDR(r, "Content-Type"), "text/plain; charset=utf-8");
	resp_free(&r);
	r = get(s.port, "/公告.txt");
	NB_CHECK(r.status == 200);
	NB_CHECK_STR(r.body, "通知\n");
	resp_free(&r);
	r = get(s.port, "/%E8%B5%84%E6%96%99/");
	NB_CHECK(r.status == 200);
	NB_CHECK_CONTAINS(r.body, "资料页");
	resp_free(&r);
	r = get(s.port, "/a%20b.txt");
	NB_CHECK(r.status == 200);
	NB_CHECK_STR(r.body, "with a space\n");
	resp_free(&r);
	/* A file whose name holds "%20" is that file, not "a b.txt". */
	r = get(s.port, "/a%2520b.txt");
	NB_CHECK(r.status == 200);
	NB_CHECK_STR(r.body, "with a percent sign\n");
	resp_free(&r);
	/* A folder without its slash: redirected to it, encoded again. */
	static const char *const folders[][2] = {
		{ "/meetings", "/meetings/" },
		{ "/meetings?page=2", "/meetings/?page=2" },
		{ "/meetings/2024", "/meetings/2024/" },
		{ "/%E8%B5%84%E6%96%99", "/%E8%B5%84%E6%96%99/" },
		{ "/资料", "/%E8%B5%84%E6%96%99/" },
		{ "/css", "/css/" },
	};
	for (size_t i = 0; i < sizeof(folders) / sizeof(folders[0]); i++) {
		r = get(s.port, folders[i][0]);
		NB_CHECK(r.status == 301);
		NB_CHECK_STR(HDR(r, "Location"), folders[i][1]);
		NB_CHECK_STR(HDR(r, "Cache-Control"), "no-store");
		NB_CHECK_STR(HDR(r, "X-Content-Type-Options"), "nosniff");
		resp_free(&r);
	}
	/* Its query string kept as it was sent (a search must not be lost on
	 * the way): escapes, '+' and empty values untouched, what may not
	 * stand in a Location header (raw UTF-8, quotes, <>) encoded. */
	static const char *const queries[][2] = {
		{ "/meetings?q=%E5%85%AC%E5%91%8A&p=a+b&e=&f",
		  "/meetings/?q=%E5%85%AC%E5%91%8A&p=a+b&e=&f" },
		{ "/meetings?q=%26%3D%23%25", "/meetings/?q=%26%3D%23%25" },
		{ "/meetings?q=公告", "/meetings/?q=%E5%85%AC%E5%91%8A" },
		{ "/meetings?q=\"<x>\"", "/meetings/?q=%22%3Cx%3E%22" },
		{ "/%E8%B5%84%E6%96%99?a=1", "/%E8%B5%84%E6%96%99/?a=1" },
		{ "/meetings?", "/meetings/" },
	};
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		r = get(s.port, queries[i][0]);
		NB_CHECK(r.status == 301);
		NB_CHECK_STR(HDR(r, "Location"), queries[i][1]);
		resp_free(&r);
	}
	r = req(s.port, "HEAD", "/meetings", NULL);
	NB_CHECK(r.status == 301 && r.body_len == 0);
	NB_CHECK_STR(HDR(r, "Location"), "/meetings/");
	resp_free(&r);
	/* A file is never redirected. */
	r = get(s.port, "/robots.txt");
	NB_CHECK(r.status == 200 && !HDR(r, "Location")[0]);
	resp_free(&r);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	server_free(&s);
}

/* A site under a path (base_url /board/): served there, and only there. */
NB_TEST(base_path)
{
	server s;
	START(&s, "title: \"Hongling\"\nlanguage: en\nbase_url: \"/board/\"\n");
	char hbuf[256];
	resp r = get(s.port, "/board/");
	NB_CHECK(r.status == 200);
	NB_CHECK_CONTAINS(r.body, "href=\"/board/meetings/\"");
	resp_free(&r);
	r = get(s.port, "/board/meetings/");
	NB_CHECK(r.status == 200);
	NB_CHECK_CONTAINS(r.body, "March plenary");
	resp_free(&r);
	r = get(s.port, "/board");
	NB_CHECK(r.status == 301);
	NB_CHECK_STR(HDR(r, "Location"), "/board/");
	resp_free(&r);
	r = get(s.port, "/board/meetings");
	NB_CHECK(r.status == 301);
	NB_CHECK_STR(HDR(r, "Location"), "/board/meetings/");
	resp_free(&r);
	const char *outside[] = { "/", "/meetings/", "/boardx/", "/robots.txt", NULL };
	for (size_t i = 0; outside[i]; i++) {
		NB_CHECK(status_of(s.port, outside[i]) == 404);
	}
	NB_CHECK(status_of(s.port, "/board/../board/") == 400);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	server_free(&s);
}

/* Each kind of file the build writes or copies, with its type, text
 * types with their charset. */
NB_TEST(content_types)
{
	server s;
	START(&s, NULL);
	char hbuf[256];
	static const char *const want[][2] = {
		{ "/css/style.css", "text/css; charset=utf-8" },
		{ "/js/search.js", "text/javascript; charset=utf-8" },
		{ "/feed.xml", "application/xml; charset=utf-8" },
		{ "/sitemap.xml", "application/xml; charset=utf-8" },
		{ "/meetings.ics", "text/calendar; charset=utf-8" },
		{ "/data/popolo.json", "application/json" },
		{ "/data/decisions.csv", "text/csv; charset=utf-8" },
		{ "/robots.txt", "text/plain; charset=utf-8" },
		{ "/favicon.svg", "image/svg+xml" },
		{ "/doc.pdf", "application/pdf" },
		{ "/blob.bin", "application/octet-stream" },
		{ "/app.webmanifest", "application/manifest+json" },
		{ "/__noticeboard/reload.js", "text/javascript; charset=utf-8" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		resp r = get(s.port, want[i][0]);
		if (r.status != 200)
			fprintf(stderr, "  %s: %d\n", want[i][0], r.status);
		NB_CHECK(r.status == 200);
		NB_CHECK_STR(HDR(r, "Content-Type"), want[i][1]);
		NB_CHECK_STR(HDR(r, "X-Content-Type-Options"), "nosniff");
		NB_CHECK_STR(HDR(r, "Cache-Control"), "no-store");
		/* Only HTML gets the reload script. */
		NB_CHECK(r.body && !strstr(r.body, "<script src=\"/__noticeboard/"));
		resp_free(&r);
	}
	resp r = get(s.port, "/__noticeboard/reload.js");
	NB_CHECK_CONTAINS(r.body, "new EventSource(\"/__noticeboard/events?since=\"");
	NB_CHECK_CONTAINS(r.body, "location.reload()");
	resp_free(&r);
	/* An old .htm page (static/ may hold one) is a page, not a download. */
	r = get(s.port, "/old/minutes.htm");
	NB_CHECK(r.status == 200);
	NB_CHECK_STR(HDR(r, "Content-Type"), "text/html; charset=utf-8");
	NB_CHECK_CONTAINS(r.body, "Old minutes.");
	resp_free(&r);
	/* The PDF byte for byte. */
	r = get(s.port, "/doc.pdf");
	NB_CHECK(r.body_len == 15 && !memcmp(r.body, "%PDF-1.4\n%%EOF\n", 15));
	resp_free(&r);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	server_free(&s);
}

/* Parts of an attachment, as a browser's PDF viewer or video player asks
 * for them: one range answers 206 with exactly those bytes, a range past
 * the end 416; several ranges, a malformed one or another unit get the
 * whole file (RFC 9110 allows ignoring them). Pages are never cut. */
NB_TEST(byte_ranges)
{
	server s;
	START(&s, NULL);
	char hbuf[256];
	static const struct {
		const char *range;
		int status;
		const char *body, *content_range;
	} want[] = {
		{ "bytes=0-3", 206, "%PDF", "bytes 0-3/15" },
		{ "bytes=9-", 206, "%%EOF\n", "bytes 9-14/15" },
		{ "bytes=-4", 206, "EOF\n", "bytes 11-14/15" },
		{ "bytes=-40", 206, "%PDF-1.4\n%%EOF\n", "bytes 0-14/15" },
		{ "bytes=5-100", 206, "1.4\n%%EOF\n", "bytes 5-14/15" },
		{ "bytes=14-14", 206, "\n", "bytes 14-14/15" },
		{ "bytes=15-", 416, "", "bytes */15" },
		{ "bytes=-0", 416, "", "bytes */15" },
		{ "bytes=0-1,4-5", 200, "%PDF-1.4\n%%EOF\n", "" },
		{ "bytes=3-1", 200, "%PDF-1.4\n%%EOF\n", "" },
		{ "bytes=x-1", 200, "%PDF-1.4\n%%EOF\n", "" },
		{ "bytes=1-2x", 200, "%PDF-1.4\n%%EOF\n", "" },
		{ "items=0-1", 200, "%PDF-1.4\n%%EOF\n", "" },
		{ "bytes=99999999999999999999999-", 200, "%PDF-1.4\n%%EOF\n", "" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char extra[128];
		snprintf(extra, sizeof(extra), "Range: %s\r\n", want[i].range);
		resp r = req(s.port, "GET", "/doc.pdf", extra);
		if (r.status != want[i].status)
			fprintf(stderr, "  %s: %d\n", want[i].range, r.status);
		NB_CHECK(r.status == want[i].status);
		NB_CHECK(r.body_len == strlen(want[i].body) &&
			 !memcmp(r.body, want[i].body, r.body_len));
		NB_CHECK_STR(HDR(r, "Content-Range"), want[i].content_range);
		NB_CHECK_STR(HDR(r, "Accept-Ranges"), "bytes");
		NB_CHECK_STR(HDR(r, "Content-Type"), "application/pdf");
		resp_free(&r);
	}
	resp r = req(s.port, "GET", "/", "Range: bytes=0-3\r\n");
	NB_CHECK(r.status == 200 && r.body_len > 4);
	NB_CHECK_STR(HDR(r, "Content-Range"), "");
	resp_free(&r);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	server_free(&s);
}

/* Requests no browser sends: huge, malformed, cut off. The server answers
 * each without crashing and goes on serving. */
NB_TEST(hostile_requests)
{
	server s;
	START(&s, NULL);
	nb_buf big = NB_BUF_INIT;
	nb_buf_puts(&big, "/");
	for (int i = 0; i < 8000; i++)
		nb_buf_putc(&big, 'a');
	resp r = get(s.port, nb_buf_cstr(&big));
	NB_CHECK(r.status == 404);
	resp_free(&r);
	for (int i = 0; i < 200000; i++)
		nb_buf_puts(&big, "%2e%2e/");
	r = get(s.port, nb_buf_cstr(&big));
	NB_CHECK(r.status == 0 || r.status == 414 || r.status == 400 || r.status == 431);
	resp_free(&r);
	nb_buf_free(&big);
	const char *junk[] = { "\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
			       "GET /index.html HTTP/1.1\r\n", "GET index.html HTTP/1.1\r\nHost: x\r\n"
			       "Connection: close\r\n\r\n", "G\x01T / HTTP/1.1\r\n\r\n", NULL };
	for (size_t i = 0; junk[i]; i++) {
		/* Cut off: the server's timeout is long, so only send and go. */
		int fd = connect_to(s.port);
		if (fd >= 0) {
			send(fd, junk[i], strlen(junk[i]), MSG_NOSIGNAL);
			shutdown(fd, SHUT_WR);
			char buf[512];
			recv(fd, buf, sizeof(buf), 0);
			close(fd);
		}
	}
	/* HEAD of the event stream ends at once (libmicrohttpd still sends
	 * the empty last chunk). */
	r = req(s.port, "HEAD", "/__noticeboard/events?since=1", NULL);
	NB_CHECK(r.status == 200 && r.body && !strstr(r.body, "event:"));
	resp_free(&r);
	NB_CHECK(status_of(s.port, "/") == 200);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	server_free(&s);
}

/* An edit rebuilds the site; an open page hears of it; a failed build
 * shows its errors in every page until it is fixed; what is built never
 * includes the previous generation or staging folders. */
NB_TEST(rebuild_reload_and_errors)
{
	server s;
	START(&s, NULL);
	char hbuf[256];
	int es = open_stream(s.port, "1");
	NB_CHECK(es >= 0);
	nb_buf ev = NB_BUF_INIT;
	NB_CHECK(stream_until(es, &ev, ": connected\n\n", 30));
	NB_CHECK(!strstr(nb_buf_cstr(&ev), "event: reload"));
	/* A page from before this server (generation 0) reloads at once. */
	int old = open_stream(s.port, "0");
	nb_buf oldev = NB_BUF_INIT;
	NB_CHECK(stream_until(old, &oldev, "event: reload\ndata: 1\n\n", 30));
	close(old);
	nb_buf_free(&oldev);
	/* The edit. mtime resolution may hide a same-size write: a longer one. */
	write_file(s.site, "content/pages/about.md",
		   "---\ntitle: \"About us, edited\"\ndate: \"2024-01-05\"\n---\nWe moved.\n");
	NB_CHECK(stream_until(es, &ev, "event: reload\ndata: 2\n\n", 60));
	NB_CHECK(wait_body(s.port, "/pages/about/", "About us, edited", 30));
	resp r = get(s.port, "/pages/about/");
	NB_CHECK_CONTAINS(r.body, "data-generation=\"2\"");
	resp_free(&r);
	/* The build it replaced is kept beside the site, never served. */
	char out[PATH_MAX];
	built_dir(&s, out, sizeof(out));
	nb_buf prev = NB_BUF_INIT;
	nb_buf_printf(&prev, "%s.previous/index.html", out);
	NB_CHECK(nb_fs_is_file(nb_buf_cstr(&prev)));
	nb_buf_free(&prev);
	const char *sib[] = { "/../site.previous/index.html", "/..%2fsite.previous/index.html",
			      "/%2e%2e/site.previous/", NULL };
	for (size_t i = 0; sib[i]; i++) {
		NB_CHECK(status_of(s.port, sib[i]) == 400);
	}
	/* A broken document (its votes' brace never closed): every page
	 * lists the error, status 500;
	 * files other than pages are still served from the last build. */
	write_file(s.site, "content/decisions/2024/d-no.md",
		   "---\ntitle: \"Paint it red\"\nid: \"d-no\"\ncommunity: \"hl\"\n"
		   "meeting: \"m2\"\ndate: \"2024-06-14\"\ncategory: \"fire-safety\"\n"
		   "votes: {for: 1, against: 2, abstain: 0\n---\nText.\n");
	NB_CHECK(stream_until(es, &ev, "event: reload\ndata: 3\n\n", 60));
	NB_CHECK(wait_body(s.port, "/", "Build failed", 30));
	const char *pages[] = { "/", "/meetings/", "/pages/about/", "/nope/", "/index.html", NULL };
	for (size_t i = 0; pages[i]; i++) {
		r = get(s.port, pages[i]);
		NB_CHECK(r.status == 500);
		NB_CHECK_CONTAINS(r.body, "Build failed: 1 error");
		NB_CHECK_CONTAINS(r.body, "content/decisions/2024/d-no.md");
		NB_CHECK_CONTAINS(r.body, "data-generation=\"3\"");
		NB_CHECK_STR(HDR(r, "Content-Type"), "text/html; charset=utf-8");
		resp_free(&r);
	}
	NB_CHECK(status_of(s.port, "/css/style.css") == 200);
	pthread_mutex_lock(&s.mu);
	NB_CHECK(s.reports == 3 && s.errors == 1);
	pthread_mutex_unlock(&s.mu);
	/* Fixed: the preview is back. */
	write_file(s.site, "content/decisions/2024/d-no.md",
		   "---\ntitle: \"Paint it blue\"\nid: \"d-no\"\ncommunity: \"hl\"\nmeeting: \"m2\"\n"
		   "date: \"2024-06-14\"\ncategory: \"fire-safety\"\n"
		   "votes: {for: 1, against: 2, abstain: 0}\n---\nText.\n");
	NB_CHECK(stream_until(es, &ev, "event: reload\ndata: 4\n\n", 60));
	NB_CHECK(wait_body(s.port, "/decisions/d-no/", "Paint it blue", 30));
	NB_CHECK(status_of(s.port, "/") == 200);
	close(es);
	nb_buf_free(&ev);
	/* Stopped: the temporary folder is gone, no output folder was made. */
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	char gone[PATH_MAX];
	built_dir(&s, gone, sizeof(gone));
	NB_CHECK_STR(gone, "");
	char *pub = nb_path_join(s.site, "public");
	NB_CHECK(!nb_fs_is_dir(pub));
	free(pub);
	server_free(&s);
}

/* Connections open when the server stops (an event stream, an idle one,
 * one kept alive) end, so stopping never waits on a browser tab. */
NB_TEST(stop_with_open_streams)
{
	server s;
	START(&s, NULL);
	int es = open_stream(s.port, "1");
	nb_buf ev = NB_BUF_INIT;
	NB_CHECK(stream_until(es, &ev, ": connected\n\n", 30));
	/* A connection that said nothing yet, one kept alive after a page:
	 * what a browser holds open. */
	int idle = connect_to(s.port);
	int alive = connect_to(s.port);
	static const char ka[] = "GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n";
	NB_CHECK(idle >= 0 && alive >= 0 &&
		 send(alive, ka, sizeof(ka) - 1, MSG_NOSIGNAL) == (ssize_t)sizeof(ka) - 1);
	nb_buf kab = NB_BUF_INIT;
	NB_CHECK(stream_until(alive, &kab, "Allow: /", 30));
	nb_buf_free(&kab);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	NB_CHECK(t1.tv_sec - t0.tv_sec < 10);
	close(idle);
	close(alive);
	close(es);
	nb_buf_free(&ev);
	server_free(&s);
}

typedef struct hammer {
	int port;
	volatile int stop;
	size_t asked, bad;
	size_t css_len;
} hammer;

static void *hammer_main(void *p)
{
	hammer *h = p;
	while (!h->stop) {
		resp r = get(h->port, h->asked % 2 ? "/css/style.css" : "/pages/about/");
		int ok = r.status == 200 && r.body &&
			 (h->asked % 2 ? r.body_len == h->css_len : strstr(r.body, "</html>") != NULL);
		if (!ok)
			fprintf(stderr, "  during a rebuild: %d, %zu bytes\n", r.status, r.body_len);
		h->bad += !ok;
		h->asked++;
		resp_free(&r);
	}
	return NULL;
}

/* Requests while the site is rebuilt again and again: each is answered
 * from the old build or the new one, whole, never a 404 or a cut file. */
NB_TEST(requests_during_rebuilds)
{
	server s;
	START(&s, NULL);
	resp css = get(s.port, "/css/style.css");
	NB_CHECK(css.status == 200 && css.body_len > 100);
	hammer h = { s.port, 0, 0, 0, css.body_len };
	resp_free(&css);
	pthread_t th;
	NB_CHECK(pthread_create(&th, NULL, hammer_main, &h) == 0);
	char title[128], want[64];
	for (int i = 0; i < 4; i++) {
		snprintf(title, sizeof(title), "---\ntitle: \"About, edit number %d\"\n"
			 "date: \"2024-01-05\"\n---\nEdit %d.\n", i + 1, i + 1);
		write_file(s.site, "content/pages/about.md", title);
		snprintf(want, sizeof(want), "edit number %d", i + 1);
		NB_CHECK(wait_body(s.port, "/pages/about/", want, 60));
	}
	h.stop = 1;
	pthread_join(th, NULL);
	NB_CHECK(h.asked > 10);
	NB_CHECK(h.bad == 0);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	server_free(&s);
}

/* A site whose first build fails: pages show the errors, other files are
 * not found (there is no build yet), and the preview comes when fixed. */
NB_TEST(first_build_fails)
{
	server s;
	START(&s, "title: \"Hongling\"\nlanguage: en\nbase_url: [\"/\"\n");
	char hbuf[256];
	resp r = get(s.port, "/");
	NB_CHECK(r.status == 500);
	/* Unreadable, site.yaml names no language: the default, zh-CN. */
	NB_CHECK_CONTAINS(r.body, "<h1>构建失败：1 个错误</h1>");
	NB_CHECK_CONTAINS(r.body, "<code>site.yaml:");
	NB_CHECK_STR(HDR(r, "Content-Type"), "text/html; charset=utf-8");
	resp_free(&r);
	NB_CHECK(status_of(s.port, "/css/style.css") == 404);
	write_file(s.site, "site.yaml", "title: \"Hongling\"\nlanguage: en\nbase_url: \"/\"\n");
	NB_CHECK(wait_body(s.port, "/", "March plenary", 60));
	NB_CHECK(status_of(s.port, "/") == 200);
	NB_CHECK(server_stop(&s) == NB_EXIT_OK);
	server_free(&s);
}

/* Nothing to preview without site.yaml; a port in use is said and the
 * temporary folder removed. Neither waits for Ctrl-C. */
NB_TEST(no_site_or_port_in_use)
{
	char dir[] = "/tmp/nb-test-serve.XXXXXX";
	NB_CHECK(mkdtemp(dir) != NULL);
	server s;
	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&s.mu, NULL);
	snprintf(s.tmp, sizeof(s.tmp), "%s", dir);
	setenv("TMPDIR", dir, 1);
	nb_serve_opts o = { dir, "2024-07-01", 0, 1, on_report, &s };
	NB_CHECK(nb_serve_run(&o) == NB_EXIT_CONTENT);
	NB_CHECK(s.reports == 1 && s.errors >= 1);
	/* A site, and its port taken by someone else. */
	fixture f;
	memset(&f, 0, sizeof(f));
	snprintf(f.dir, sizeof(f.dir), "%s", dir);
	fixture_write(&f, fixture_files, sizeof(fixture_files) / sizeof(fixture_files[0]));
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof(a);
	NB_CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(fd, 1) == 0 &&
		 getsockname(fd, (struct sockaddr *)&a, &n) == 0);
	o.port = ntohs(a.sin_port);
	NB_CHECK(nb_serve_run(&o) == NB_EXIT_IO);
	close(fd);
	char left[PATH_MAX];
	built_dir(&s, left, sizeof(left));
	NB_CHECK_STR(left, "");
	pthread_mutex_destroy(&s.mu);
	nb_fs_rmtree(dir);
}

NB_TEST_MAIN("serve", NB_CASE(pages_and_their_headers), NB_CASE(not_found_and_methods),
	     NB_CASE(paths_that_leave_the_site), NB_CASE(names_and_folders), NB_CASE(base_path),
	     NB_CASE(content_types), NB_CASE(byte_ranges), NB_CASE(hostile_requests),
	     NB_CASE(rebuild_reload_and_errors), NB_CASE(stop_with_open_streams),
	     NB_CASE(requests_during_rebuilds), NB_CASE(first_build_fails),
	     NB_CASE(no_site_or_port_in_use))

/*
 * fetch.c - a site's files and audit repository, fetched as a static host
 * serves them; see fetch.h.
 *
 * Why it is done this way:
 *
 * - libcurl, not libgit2, does the HTTP. libgit2 speaks only git's smart
 *   HTTP protocol, which needs a git server; the audit repository of a
 *   noticeboard site is served by whatever serves its pages, i.e. as
 *   plain files ("dumb" HTTP, what `git update-server-info` prepares). So
 *   the files are fetched here one by one: info/refs, HEAD,
 *   objects/info/packs, the packs, and loose objects for anything the
 *   packs lack (a mirror made from an ordinary repository has them).
 *
 * - Nothing served is trusted. Each pack is streamed into libgit2's
 *   indexer, which hashes every object in it, checks the pack's checksum
 *   and writes the index itself: the served .idx is never read. Each loose
 *   object is inflated and hashed against the id it was asked for before
 *   it is stored. Refs are only written once every object they reach is
 *   here, so a repository this module made is complete or not updated.
 *
 * - Nothing served may hang the auditor or fill its disk: every request
 *   has a connect timeout, a total timeout and a floor on speed, and every
 *   body a size limit, counted as it arrives (a server may lie about
 *   Content-Length or send none).
 *
 * - A local folder is read through the same functions, so `audit DIR`
 *   runs exactly the checks `audit URL` runs, without HTTP.
 *
 * - libcurl is loaded when a URL is fetched, not linked (util/dynlib.h:
 *   it and what it brings were half of every command's start-up); its
 *   functions are called through the table in nb_fetch.
 */
#include "audit/fetch.h"
#include <git2.h>

#include <curl/curl.h>
#include <errno.h>
#include <git2.h>
#include <git2/sys/repository.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/loose.h"
#include "config/config.h"
#include "util/dynlib.h"
#include "util/fs.h"

#ifndef NB_CURL_SONAME
#define NB_CURL_SONAME "libcurl.so.4"
#endif

/* The libcurl functions this module calls (see the top comment). */
typedef struct curl_api {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
} curl_api;

struct nb_fetch {
	CURL *curl;          /* NULL for a local folder */
	curl_api api;        /* with curl */
	char *base;          /* ends with '/' */
	nb_fetch_limits lim;
	char err[1024];
};

typedef int (*sink_fn)(void *ud, const void *data, size_t len);

static void set_err(nb_fetch *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(nb_fetch *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->err, sizeof(f->err), fmt, ap);
	va_end(ap);
}

int nb_fetch_is_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8);
}

const char *nb_fetch_error(const nb_fetch *f) { return f->err; }
const char *nb_fetch_base(const nb_fetch *f) { return f->base; }

int nb_fetch_new(nb_fetch **out, const char *base, const nb_fetch_limits *limits)
{
	nb_fetch *f = calloc(1, sizeof(*f));
	if (!f)
		abort();
	*out = f;
	if (limits)
		f->lim = *limits;
	if (!f->lim.timeout_secs)
		f->lim.timeout_secs = 120;
	if (!f->lim.max_pack)
		f->lim.max_pack = (uint64_t)2 << 30;
	if (!f->lim.max_file)
		f->lim.max_file = (size_t)256 << 20;
	size_t n = strlen(base);
	f->base = malloc(n + 2);
	if (!f->base)
		abort();
	memcpy(f->base, base, n + 1);
	if (!n || base[n - 1] != '/')
		strcpy(f->base + n, "/");
	if (!nb_fetch_is_url(base)) {
		if (!nb_fs_is_dir(base)) {
			set_err(f, "%s is not a folder", base);
			return -1;
		}
		return 0;
	}
	curl_api *a = &f->api;
	const nb_dynlib_sym syms[] = {
		{ "curl_global_init", &a->global_init },
		{ "curl_global_cleanup", &a->global_cleanup },
		{ "curl_easy_init", &a->easy_init },
		{ "curl_easy_cleanup", &a->easy_cleanup },
		{ "curl_easy_reset", &a->easy_reset },
		{ "curl_easy_setopt", &a->easy_setopt },
		{ "curl_easy_perform", &a->easy_perform },
		{ "curl_easy_getinfo", &a->easy_getinfo },
		{ "curl_easy_strerror", &a->easy_strerror },
	};
	if (nb_dynlib_load(NB_CURL_SONAME, syms, sizeof(syms) / sizeof(syms[0]), f->err,
			   sizeof(f->err)) != 0)
		return -1;
	a->global_init(CURL_GLOBAL_DEFAULT);
	f->curl = a->easy_init();
	if (!f->curl) {
		set_err(f, "cannot start an HTTP client");
		return -1;
	}
	return 0;
}

void nb_fetch_free(nb_fetch *f)
{
	if (!f)
		return;
	if (f->curl) {
		f->api.easy_cleanup(f->curl);
		f->api.global_cleanup();
	}
	free(f->base);
	free(f);
}

/* ---- one file ------------------------------------------------------------ */

typedef struct body {
	sink_fn sink;
	void *ud;
	uint64_t got, max;
	int over, sink_failed;
} body;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	body *b = ud;
	size_t len = size * n;
	b->got += len;
	if (b->got > b->max) {
		b->over = 1;
		return 0;
	}
	if (b->sink(b->ud, p, len) != 0) {
		b->sink_failed = 1;
		return 0;
	}
	return len;
}

/* `rel` percent-encoded where a URL needs it ('/' kept). */
static void put_url_path(nb_buf *u, const char *rel)
{
	for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			nb_buf_putc(u, (char)*p);
		else
			nb_buf_printf(u, "%%%02X", *p);
	}
}

static int stream_http(nb_fetch *f, const char *rel, uint64_t max, sink_fn sink, void *ud)
{
	nb_buf url = NB_BUF_INIT;
	nb_buf_puts(&url, f->base);
	put_url_path(&url, rel);
	body b = { sink, ud, 0, max, 0, 0 };
	char cerr[CURL_ERROR_SIZE] = "";
	CURL *h = f->curl;
	f->api.easy_reset(h);
	f->api.easy_setopt(h, CURLOPT_URL, nb_buf_cstr(&url));
	f->api.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	f->api.easy_setopt(h, CURLOPT_WRITEDATA, &b);
	f->api.easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	f->api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	f->api.easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
	f->api.easy_setopt(h, CURLOPT_TIMEOUT, f->lim.timeout_secs);
	/* A server that trickles is as bad as one that hangs. */
	f->api.easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	f->api.easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
	f->api.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	f->api.easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	f->api.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	f->api.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	f->api.easy_setopt(h, CURLOPT_USERAGENT, "noticeboard-audit/" NB_VERSION);
	/* Bytes as served: no transparent decompression that could hide them. */
	f->api.easy_setopt(h, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	f->api.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	CURLcode cr = f->api.easy_perform(h);
	long code = 0;
	f->api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	int rc = 0;
	if (cr == CURLE_OK && (code == 404 || code == 410)) {
		set_err(f, "%s: not found (HTTP %ld)", nb_buf_cstr(&url), code);
		rc = 1;
	} else if (cr == CURLE_OK && (code < 200 || code >= 300)) {
		set_err(f, "%s: the server answered HTTP %ld", nb_buf_cstr(&url), code);
		rc = -1;
	} else if (b.over || cr == CURLE_FILESIZE_EXCEEDED) {
		set_err(f, "%s: larger than the limit of %llu bytes", nb_buf_cstr(&url),
			(unsigned long long)max);
		rc = -1;
	} else if (b.sink_failed) {
		rc = -1;  /* the sink left its message */
	} else if (cr != CURLE_OK) {
		set_err(f, "%s: %s", nb_buf_cstr(&url), cerr[0] ? cerr : f->api.easy_strerror(cr));
		rc = -1;
	}
	nb_buf_free(&url);
	return rc;
}

static int stream_file(nb_fetch *f, const char *rel, uint64_t max, sink_fn sink, void *ud)
{
	char *path = nb_path_join(f->base, rel);
	FILE *in = fopen(path, "rb");
	int rc = 0;
	if (!in) {
		rc = errno == ENOENT || errno == ENOTDIR ? 1 : -1;
		set_err(f, "%s: %s", path, rc == 1 ? "not found" : strerror(errno));
		free(path);
		return rc;
	}
	char chunk[65536];
	uint64_t got = 0;
	size_t n;
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), in)) > 0) {
		got += n;
		if (got > max) {
			set_err(f, "%s: larger than the limit of %llu bytes", path,
				(unsigned long long)max);
			rc = -1;
		} else if (sink(ud, chunk, n) != 0) {
			rc = -1;
		}
	}
	if (rc == 0 && ferror(in)) {
		set_err(f, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	fclose(in);
	free(path);
	return rc;
}

static int stream(nb_fetch *f, const char *rel, uint64_t max, sink_fn sink, void *ud)
{
	/* Paths come from what the site serves: none may leave the base. */
	if (rel[0] == '/' || !strcmp(rel, "..") || !strncmp(rel, "../", 3) ||
	    strstr(rel, "/../") || (strlen(rel) >= 3 && !strcmp(rel + strlen(rel) - 3, "/.."))) {
		set_err(f, "refusing the path `%s`: it leaves %s", rel, f->base);
		return -1;
	}
	return f->curl ? stream_http(f, rel, max, sink, ud) : stream_file(f, rel, max, sink, ud);
}

static int to_buf(void *ud, const void *data, size_t len)
{
	nb_buf_put(ud, data, len);
	return 0;
}

int nb_fetch_get(nb_fetch *f, const char *rel, size_t max, nb_buf *out)
{
	nb_buf_clear(out);
	return stream(f, rel, max ? max : f->lim.max_file, to_buf, out);
}

/* ---- packs --------------------------------------------------------------- */

typedef struct pack_sink {
	nb_fetch *f;
	git_indexer *idx;
	git_indexer_progress st;
	const char *name;
} pack_sink;

static int to_indexer(void *ud, const void *data, size_t len)
{
	pack_sink *p = ud;
	if (git_indexer_append(p->idx, data, len, &p->st) < 0) {
		const git_error *e = git_error_last();
		set_err(p->f, "%s%s is not a valid pack: %s", p->f->base, p->name,
			e ? e->message : "unreadable");
		return -1;
	}
	return 0;
}

static int fetch_pack(nb_fetch *f, const char *repo, const char *name, const char *dest)
{
	char *dir = nb_path_join(dest, "objects/pack");
	nb_buf rel = NB_BUF_INIT;
	nb_buf_printf(&rel, "%sobjects/pack/%s", repo, name);
	pack_sink p = { f, NULL, { 0 }, nb_buf_cstr(&rel) };
	git_indexer_options o;
	git_indexer_options_init(&o, GIT_INDEXER_OPTIONS_VERSION);
	int rc = git_indexer_new(&p.idx, dir, 0, NULL, &o);
	if (rc < 0) {
		set_err(f, "cannot index packs in %s: %s", dir, git_error_last()->message);
	} else {
		rc = stream(f, nb_buf_cstr(&rel), f->lim.max_pack, to_indexer, &p);
		if (rc == 1)
			rc = -1;  /* a listed pack that is not there */
		if (rc == 0 && git_indexer_commit(p.idx, &p.st) < 0) {
			set_err(f, "%s%s is not a valid pack: %s", f->base, nb_buf_cstr(&rel),
				git_error_last()->message);
			rc = -1;
		}
	}
	git_indexer_free(p.idx);
	nb_buf_free(&rel);
	free(dir);
	return rc;
}

/* Every pack objects/info/packs lists. */
static int fetch_packs(nb_fetch *f, const char *repo, const char *dest, size_t *packs)
{
	nb_buf rel = NB_BUF_INIT, list = NB_BUF_INIT;
	nb_buf_printf(&rel, "%sobjects/info/packs", repo);
	int rc = nb_fetch_get(f, nb_buf_cstr(&rel), 16 << 20, &list);
	if (rc == 1)
		rc = 0;  /* no packs: loose objects only */
	char *line = list.ptr, *end = list.ptr + list.len;
	while (rc == 0 && line && line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		if (nl)
			*nl = '\0';
		size_t n = strlen(line);
		/* "P pack-<40 hex>.pack"; anything else is ignored, as git does. */
		if (n == 2 + 5 + 40 + 5 && !strncmp(line, "P pack-", 7) &&
		    !strcmp(line + n - 5, ".pack") && strspn(line + 7, "0123456789abcdef") == 40) {
			rc = fetch_pack(f, repo, line + 2, dest);
			*packs += rc == 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	nb_buf_free(&rel);
	nb_buf_free(&list);
	return rc;
}

/* ---- loose objects and the walk ------------------------------------------ */

/* Ids seen by the walk: open addressing, at most half full. */
typedef struct oidset {
	git_oid *ids;
	unsigned char *used;
	size_t cap, len;
} oidset;

static int oidset_add(oidset *s, const git_oid *id)
{
	if (2 * (s->len + 1) > s->cap) {
		oidset old = *s;
		s->cap = old.cap ? old.cap * 2 : 1024;
		s->ids = malloc(s->cap * sizeof(*s->ids));
		s->used = calloc(s->cap, 1);
		if (!s->ids || !s->used)
			abort();
		s->len = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.used[i])
				oidset_add(s, &old.ids[i]);
		free(old.ids);
		free(old.used);
	}
	size_t i;
	memcpy(&i, id->id, sizeof(i));
	for (i &= s->cap - 1; s->used[i]; i = (i + 1) & (s->cap - 1))
		if (git_oid_equal(&s->ids[i], id))
			return 0;
	s->used[i] = 1;
	s->ids[i] = *id;
	s->len++;
	return 1;
}

/* Fetch the loose object `id`, check it hashes to `id`, store it. */
static int fetch_loose(nb_fetch *f, const char *repo, git_odb *odb, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	nb_buf rel = NB_BUF_INIT, raw = NB_BUF_INIT, obj = NB_BUF_INIT;
	nb_buf_printf(&rel, "%sobjects/%.2s/%s", repo, hex, hex + 2);
	int rc = nb_fetch_get(f, nb_buf_cstr(&rel), 0, &raw);
	if (rc == 1)
		set_err(f, "object %s is missing: neither the packs of %s%s nor %s%s hold it", hex,
			f->base, repo, f->base, nb_buf_cstr(&rel));
	if (rc != 0) {
		rc = -1;
		goto done;
	}
	rc = -1;
	git_object_t t;
	size_t hdr, len;
	int whole = nb_audit_loose_object(&obj, &t, &hdr, &len, &raw, f->lim.max_file);
	if (whole == -1) {
		set_err(f, "%s%s is not a loose object (bad zlib data or too large)", f->base,
			nb_buf_cstr(&rel));
		goto done;
	}
	git_oid got;
	if (whole != 0 || git_odb_hash(&got, obj.ptr + hdr, len, t) < 0 ||
	    !git_oid_equal(&got, id)) {
		set_err(f, "%s%s is not object %s: its content hashes otherwise", f->base,
			nb_buf_cstr(&rel), hex);
		goto done;
	}
	if (git_odb_write(&got, odb, obj.ptr + hdr, len, t) < 0) {
		set_err(f, "cannot store object %s: %s", hex, git_error_last()->message);
		goto done;
	}
	rc = 0;
done:
	nb_buf_free(&rel);
	nb_buf_free(&raw);
	nb_buf_free(&obj);
	return rc;
}

typedef struct walk {
	nb_fetch *f;
	const char *repo;
	git_repository *r;
	git_odb *odb;
	oidset seen;
	git_oid *stack;
	size_t len, cap;
	size_t loose;
} walk;

static void push(walk *w, const git_oid *id)
{
	if (!oidset_add(&w->seen, id))
		return;
	if (w->len == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		w->stack = realloc(w->stack, w->cap * sizeof(*w->stack));
		if (!w->stack)
			abort();
	}
	w->stack[w->len++] = *id;
}

static int walk_one(walk *w, const git_oid *id)
{
	if (!git_odb_exists(w->odb, id)) {
		if (fetch_loose(w->f, w->repo, w->odb, id) != 0)
			return -1;
		w->loose++;
	}
	size_t size;
	git_object_t t;
	if (git_odb_read_header(&size, &t, w->odb, id) < 0) {
		set_err(w->f, "cannot read object: %s", git_error_last()->message);
		return -1;
	}
	if (t == GIT_OBJECT_BLOB)
		return 0;
	git_object *o = NULL;
	if (git_object_lookup(&o, w->r, id, GIT_OBJECT_ANY) < 0) {
		set_err(w->f, "cannot read object: %s", git_error_last()->message);
		return -1;
	}
	if (t == GIT_OBJECT_COMMIT) {
		const git_commit *c = (const git_commit *)o;
		push(w, git_commit_tree_id(c));
		for (unsigned i = 0; i < git_commit_parentcount(c); i++)
			push(w, git_commit_parent_id(c, i));
	} else if (t == GIT_OBJECT_TAG) {
		push(w, git_tag_target_id((const git_tag *)o));
	} else if (t == GIT_OBJECT_TREE) {
		const git_tree *tr = (const git_tree *)o;
		for (size_t i = 0; i < git_tree_entrycount(tr); i++) {
			const git_tree_entry *e = git_tree_entry_byindex(tr, i);
			if (git_tree_entry_type(e) != GIT_OBJECT_COMMIT)  /* submodules: not ours */
				push(w, git_tree_entry_id(e));
		}
	}
	git_object_free(o);
	return 0;
}

/* ---- refs ---------------------------------------------------------------- */

typedef struct ref {
	char *name;
	git_oid id;
} ref;

/* info/refs: "<hex>\t<refname>" lines; the peeled "^{}" ones are skipped
 * (the walk reaches what tags point at). Only branches and tags. */
static int parse_refs(nb_fetch *f, const char *rel, nb_buf *text, ref **out, size_t *n)
{
	char *line = text->ptr, *end = text->ptr + text->len;
	*out = NULL;
	*n = 0;
	while (line && line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		if (nl)
			*nl = '\0';
		char *tab = strchr(line, '\t');
		git_oid id;
		if (tab && strstr(tab + 1, "^{}")) {
			/* peeled: what the tag points at; the walk reaches it */
		} else if (tab && tab - line == GIT_OID_HEXSZ && git_oid_fromstrn(&id, line, GIT_OID_HEXSZ) == 0 &&
		    (!strncmp(tab + 1, "refs/heads/", 11) || !strncmp(tab + 1, "refs/tags/", 10)) &&
		    git_reference_is_valid_name(tab + 1)) {
			*out = realloc(*out, (*n + 1) * sizeof(**out));
			if (!*out)
				abort();
			(*out)[*n].name = strdup(tab + 1);
			(*out)[*n].id = id;
			(*n)++;
		} else if (*line) {
			set_err(f, "%s%s: cannot read the line `%.80s`", f->base, rel, line);
			return -1;
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

static int drop_ref(const char *name, void *ud)
{
	git_reference_remove(ud, name);
	return 0;
}

/* Replace dest's refs by the served ones; HEAD as served. */
static int write_refs(nb_fetch *f, git_repository *r, const ref *refs, size_t n, const nb_buf *head)
{
	git_reference_foreach_name(r, drop_ref, r);
	for (size_t i = 0; i < n; i++) {
		git_reference *gr = NULL;
		if (git_reference_create(&gr, r, refs[i].name, &refs[i].id, 1, "noticeboard audit") < 0) {
			set_err(f, "cannot write the ref %s: %s", refs[i].name, git_error_last()->message);
			return -1;
		}
		git_reference_free(gr);
	}
	if (head->len > 16 && !strncmp(head->ptr, "ref: refs/heads/", 16)) {
		char *name = strndup(head->ptr + 5, strcspn(head->ptr + 5, "\r\n"));
		if (name && git_reference_is_valid_name(name))
			git_repository_set_head(r, name);
		free(name);
	}
	return 0;
}

int nb_fetch_repo(nb_fetch *f, const char *repo, const char *dest, size_t *packs, size_t *loose)
{
	*packs = *loose = 0;
	git_libgit2_init();
	git_repository *r = NULL;
	git_odb *odb = NULL;
	ref *refs = NULL;
	size_t nrefs = 0;
	nb_buf text = NB_BUF_INIT, head = NB_BUF_INIT, rel = NB_BUF_INIT;
	walk w = { f, repo, NULL, NULL, { 0 }, NULL, 0, 0, 0 };
	int rc = -1;
	if (git_repository_init(&r, dest, 1) < 0) {
		set_err(f, "cannot create %s: %s", dest, git_error_last()->message);
		goto done;
	}
	nb_buf_printf(&rel, "%sinfo/refs", repo);
	int g = nb_fetch_get(f, nb_buf_cstr(&rel), 64 << 20, &text);
	if (g == 1) {
		char why[sizeof(f->err)];
		snprintf(why, sizeof(why), "%s", f->err);
		set_err(f, "%s: no audit repository is served at %s%s (a site serves it as "
			"audit.git/; give its address with --repo)", why, f->base, repo);
	}
	if (g != 0 || parse_refs(f, nb_buf_cstr(&rel), &text, &refs, &nrefs) != 0)
		goto done;
	if (!nrefs) {
		set_err(f, "%s%s lists no branch or tag", f->base, nb_buf_cstr(&rel));
		goto done;
	}
	nb_buf_clear(&rel);
	nb_buf_printf(&rel, "%sHEAD", repo);
	if (nb_fetch_get(f, nb_buf_cstr(&rel), 4096, &head) < 0)
		goto done;
	if (fetch_packs(f, repo, dest, packs) != 0)
		goto done;
	if (git_repository_odb(&odb, r) < 0 || git_odb_refresh(odb) < 0) {
		set_err(f, "cannot open %s: %s", dest, git_error_last()->message);
		goto done;
	}
	w.r = r;
	w.odb = odb;
	for (size_t i = 0; i < nrefs; i++)
		push(&w, &refs[i].id);
	while (w.len)
		if (walk_one(&w, &w.stack[--w.len]) != 0)
			goto done;
	*loose = w.loose;
	rc = write_refs(f, r, refs, nrefs, &head);
done:
	for (size_t i = 0; i < nrefs; i++)
		free(refs[i].name);
	free(refs);
	free(w.stack);
	free(w.seen.ids);
	free(w.seen.used);
	nb_buf_free(&text);
	nb_buf_free(&head);
	nb_buf_free(&rel);
	git_odb_free(odb);
	git_repository_free(r);
	git_libgit2_shutdown();
	return rc;
}

/* ---- keys and places ------------------------------------------------------ */

char *nb_fetch_site_key(const char *site)
{
	nb_buf k = NB_BUF_INIT;
	if (!nb_fetch_is_url(site)) {
		char *real = nb_fs_resolve(site);
		const char *p = real ? real : site;
		size_t n = strlen(p);
		while (n && p[n - 1] == '/')
			n--;
		nb_buf_puts(&k, "file://");
		nb_buf_put(&k, p, n);
		nb_buf_putc(&k, '/');
		free(real);
	} else {
		const char *p = strstr(site, "://") + 3;
		size_t scheme = (size_t)(p - site);
		for (size_t i = 0; i < scheme; i++)
			nb_buf_putc(&k, (char)(site[i] >= 'A' && site[i] <= 'Z' ? site[i] + 32 : site[i]));
		size_t hl = strcspn(p, "/?#");
		const char *colon = memchr(p, ':', hl);
		size_t name = colon ? (size_t)(colon - p) : hl;
		for (size_t i = 0; i < name; i++)
			nb_buf_putc(&k, (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]));
		int https = scheme == 8;
		if (colon && strncmp(colon, https ? ":443" : ":80", hl - name))
			nb_buf_put(&k, colon, hl - name);
		const char *path = p + hl;
		size_t pl = strcspn(path, "?#");
		while (pl && path[pl - 1] == '/')
			pl--;
		nb_buf_put(&k, path, pl);
		nb_buf_putc(&k, '/');
	}
	return nb_buf_detach(&k);
}

char *nb_fetch_key_file(const char *key)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha256(), NULL);
	nb_buf b = NB_BUF_INIT;
	const char *p = strstr(key, "://");
	p = p ? p + 3 : key;
	for (; *p && b.len < 80; p++) {
		char c = *p;
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			   c == '.' || c == '-';
		nb_buf_putc(&b, keep ? c : '_');
	}
	nb_buf_putc(&b, '-');
	for (int i = 0; i < 6; i++)
		nb_buf_printf(&b, "%02x", md[i]);
	return nb_buf_detach(&b);
}

char *nb_fetch_xdg_dir(const char *kind)
{
	char var[32];
	snprintf(var, sizeof(var), "XDG_%s_HOME", kind);
	const char *env = getenv(var), *home = getenv("HOME");
	nb_buf b = NB_BUF_INIT;
	if (env && env[0] == '/')
		nb_buf_printf(&b, "%s/noticeboard", env);
	else if (home && *home)
		nb_buf_printf(&b, "%s/%s/noticeboard", home,
			      !strcmp(kind, "STATE") ? ".local/state" : ".cache");
	else
		return NULL;
	if (nb_fs_mkdirs(nb_buf_cstr(&b)) != 0) {
		nb_buf_free(&b);
		return NULL;
	}
	return nb_buf_detach(&b);
}

char *nb_fetch_mirror(const char *url, const nb_fetch_limits *limits, char *err, size_t errn)
{
	size_t n = strlen(url);
	while (n && url[n - 1] == '/')
		n--;
	int is_repo = n >= 4 && !strncmp(url + n - 4, ".git", 4);
	char *key = nb_fetch_site_key(url), *file = nb_fetch_key_file(key);
	char *cache = nb_fetch_xdg_dir("CACHE");
	char *dest = NULL;
	nb_fetch *f = NULL;
	if (!cache) {
		snprintf(err, errn, "no cache folder: set XDG_CACHE_HOME or HOME");
		goto done;
	}
	nb_buf d = NB_BUF_INIT;
	nb_buf_printf(&d, "%s/repos/%s.git", cache, file);
	dest = nb_buf_detach(&d);
	size_t packs, loose;
	if (nb_fetch_new(&f, url, limits) != 0 ||
	    nb_fetch_repo(f, is_repo ? "" : "audit.git/", dest, &packs, &loose) != 0) {
		snprintf(err, errn, "%s", nb_fetch_error(f));
		free(dest);
		dest = NULL;
	}
done:
	nb_fetch_free(f);
	free(cache);
	free(key);
	free(file);
	return dest;
}

/* The branch a bare repository's HEAD names, else the default. */
static char *head_branch(const char *path)
{
	nb_buf b = NB_BUF_INIT;
	char *head = nb_path_join(path, "HEAD"), *data = NULL;
	size_t len = 0;
	if (nb_fs_read(head, 4096, &data, &len) == 0 && len > 16 &&
	    !strncmp(data, "ref: refs/heads/", 16))
		nb_buf_put(&b, data + 16, strcspn(data + 16, "\r\n"));
	else
		nb_buf_puts(&b, "publications");
	free(data);
	free(head);
	return nb_buf_detach(&b);
}

/*
 * The language of the site a repository records, given without its site:
 * its branch's last site.yaml says (as `audit` reads it), so an auditor
 * reads a Chinese committee's record in Chinese; English when the record
 * cannot say - it was zh-CN, the default of a site.yaml, for a repository
 * no site.yaml described. $NB_LANG still overrides (util/diag.h). A failure
 * here is no verdict on the record, whose own checks come after: a->err
 * is left as it was.
 */
static const char *record_language(nb_audit *a)
{
	char err[sizeof(a->err)];
	memcpy(err, a->err, sizeof(err));
	int io = a->io, refused = a->refused;
	git_oid id;
	git_commit *c = NULL;
	char *text = NULL;
	size_t len;
	const char *lang = "en";
	if (git_reference_name_to_id(&id, a->repo, a->refname) == 0 &&
	    git_commit_lookup(&c, a->repo, &id) == 0 &&
	    nb_audit_read_path(a, c, "site/site.yaml", &text, &len) == 0)
		lang = nb_config_language_of(text, len);
	git_error_clear();
	free(text);
	git_commit_free(c);
	memcpy(a->err, err, sizeof(err));
	a->io = io;
	a->refused = refused;
	return lang;
}

int nb_audit_open_any(nb_audit *a, nb_config *cfg, const char *site_dir, const char *repo,
		      const char *cmd)
{
	if (!repo)
		return nb_audit_open_site(a, cfg, site_dir, cmd);
	memset(cfg, 0, sizeof(*cfg));
	char err[1024];
	char *path = nb_fetch_is_url(repo) ? nb_fetch_mirror(repo, NULL, err, sizeof(err))
					   : strdup(repo);
	if (!path) {
		fprintf(stderr, "noticeboard %s: %s\n", cmd, err);
		return 3;  /* NB_EXIT_IO */
	}
	cfg->audit_repo = path;
	cfg->audit_branch = head_branch(path);
	/* No served folder: nothing the repository could be inside. */
	cfg->output_path = strdup("/dev/null/no-output");
	cfg->site_dir = strdup(".");
	cfg->params = json_object();
	cfg->audit_mirrors = json_array();
	cfg->language = strdup("en");
	if (nb_audit_open(a, cfg, 0) != 0) {
		nb_buf prefix = NB_BUF_INIT;
		nb_buf_printf(&prefix, "noticeboard %s: ", cmd);
		nb_audit_say(cfg, nb_buf_cstr(&prefix), a->err);
		nb_buf_free(&prefix);
		nb_audit_close(a);
		nb_config_free(cfg);
		return 3;
	}
	free(cfg->language);
	cfg->language = strdup(record_language(a));
	return 0;
}

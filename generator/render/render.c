/*
 * render.c - the render and write stages; see render.h.
 *
 * Pages are rendered in parallel (pool.h). Every HTML page is a task:
 * rendering it, writing the file and scanning it for internal links
 * happen on a worker thread, and the rendered bytes are freed as soon as
 * they are written, so memory holds a batch of pages rather than the site.
 *
 * Why this is safe on the shared site graph: a page's template context
 * takes references to shared values (json_copy of `site`, a page's list
 * items), and jansson's reference counts, although changed atomically in
 * this build, are also read plainly (json_incref checks for the immortal
 * singletons first), which is a data race between threads. So contexts
 * are built and freed on the main thread only, a batch ahead of the
 * workers (render_pages); workers only read (the template engine does not
 * touch reference counts, mustache.h). ThreadSanitizer finds no race in a
 * full build this way. The same holds for views (graph/site.h): a
 * document's `page` is made with its context (nb_site_page_view) and
 * freed with it, and since it takes references to the graph's items and
 * front matter it is made there too, on the main thread, not on the
 * worker that renders it.
 *
 * Why the output does not depend on the number of threads: the main
 * thread lists the tasks in the serial order first and registers their
 * output paths in `written` (so the set, the sitemap built from it and the
 * link check see the same paths as a serial build). A path registered
 * twice (a page whose URL collides with another's) is a `dup`: its worker
 * keeps the bytes, and the main thread writes it after the phase, in task
 * order, so the last writer wins as before. Each task has its own
 * diagnostics and counters, merged in task order after the phase.
 *
 * The link check: during the phase `written` is read-only and already
 * holds every HTML page, so a worker resolves most links at once and
 * keeps only those it could not (to static files, feeds, search files,
 * or broken ones) in a compact per-page list; those are checked against
 * the final set at the end, with the same messages as before.
 *
 * The page memo (memo.h), on a rebuild: a worker first hashes its task's
 * context (read-only, as the template engine reads it), the templates its
 * layout reads and, for a document, its body's digest into the page key, and
 * when the last build recorded that key for the path and the live file is
 * untouched, links that file instead of rendering (a `skipped` task: no
 * bytes, no link scan, and the body never made a value; nor its charts,
 * which its context holds as digests or as data: trends.h). The containers
 * many contexts share (`site` per navigation kind, `t`, list items, trend
 * tables) are hashed once before the phase. After the writes, the pages
 * whose file is exactly their render (one writer, no diagnostic) are
 * noted for the next record, which build.c (or publish, once it serves
 * the output) writes. Skipped pages' links resolved when recorded; when a
 * path the recorded build wrote is gone (or the base path or alternates
 * changed), their files are read and scanned like rendered bytes before
 * the final check, so the messages and their order are a full render's.
 * The feeds are keyed as a group over exactly what they read (feeds_main)
 * and linked whole when that is unchanged; the search index is merged per
 * document (search.h) and each of its files noted under the digest of its
 * bytes, so one that would come out the same is linked, not made.
 *
 * While the workers render, a thread of its own builds the search index
 * (search.c, read-only on the graph and creating only its own values);
 * its files are written at once unless their path is already taken, and
 * registered after the phase so `written` stays read-only meanwhile.
 */
#include "render/render.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "output/cache.h"
#include "render/context.h"
#include "render/feeds.h"
#include "util/fs.h"
#include "util/hash.h"
#include "output/memo.h"
#include "output/writer.h"
#include "template/mustache.h"
#include "graph/paging.h"
#include "util/pool.h"
#include "render/search.h"
#include "render/trends.h"
#include "util/utf8.h"

#if !JSON_HAVE_ATOMIC_BUILTINS
#error "parallel rendering needs jansson's atomic reference counts (JSON_HAVE_ATOMIC_BUILTINS)"
#endif

/* One HTML page. Everything a worker writes lives here. One per page of
 * the site, alive through the stage, so what only some tasks have (a
 * diagnostic, a second writer's bytes) is held apart: 144 bytes a task,
 * not 232. */
typedef struct task {
	nb_page_kind kind;
	size_t idx;           /* into s->pages, s->extra or s->history; NB_PAGE_LIST: the page
			       * number */
	const char *name;     /* NB_PAGE_LIST: the kind */
	const char *layout;
	char *rel;            /* output-relative path (owned) */
	unsigned dup : 1;        /* an earlier task or file has this path */
	unsigned superseded : 1; /* a later task writes this path: links not checked */
	unsigned ok : 1;         /* rendered, or reused (`skipped`) */
	unsigned skipped : 1;    /* the live file linked, not rendered (memo.h) */
	unsigned quiet : 1;      /* no diagnostic */
	unsigned files : 1;      /* its file was put (not when dup: finish_task) */
	unsigned unchanged : 1;  /* ... linked or kept, not written */
	unsigned tagged : 1;     /* its file carries a tag pubtag.h finds */
	int unread;           /* errno reading a skipped page to check its links */
	const nb_memo_entry *rec; /* what the memo recorded for `rel`, or NULL */
	nb_digest key;        /* the page key, with a memo */
	nb_digest tmpl;       /* what its layout reads (layout_digest) */
	json_t *ctx;          /* the template context, while in flight */
	nb_diag *d;           /* its diagnostics, or NULL for none (most pages) */
	size_t bytes;
	nb_buf *out;          /* the bytes, kept only when dup */
	nb_buf pending;       /* hrefs unresolved while rendering, NUL-terminated each */
} task;

typedef struct layout_id {
	const char *name;
	nb_digest d;
} layout_id;

typedef struct out_ctx {
	const nb_site *s;
	const char *dir;
	nb_render_stats *st;
	nb_diag *d;
	json_t *written;   /* output-relative paths written (set) */
	const char *reuse; /* previous output folder, or NULL (cache.h) */
	int in_place;      /* `dir` holds an earlier output to update (cache.h) */
	nb_memo *memo;     /* or NULL */
	const nb_pubtag_previous *prev; /* the previous publication, or NULL */
	layout_id *layouts; /* each layout's templates, once (layout_digest) */
	size_t n_layouts;
	json_t *navs;      /* `site` per navigation kind (nb_context_site_for) */
	/* The communities' trend charts: their digests for contexts (main
	 * thread), their drawings for the pages rendered (workers, under its
	 * lock); `charts` points to it, so that workers reach it through the
	 * const out_ctx they share. */
	nb_trend_charts chart_cache;
	nb_trend_charts *charts;
	json_t *rewritten; /* paths a second writer wrote (set, nb_out) */
	json_t *assets;    /* rel -> origin of each file copied as it is */
	json_t *folded;    /* see fold_clash */
	task *tasks;
	size_t n_tasks, cap_tasks;
	/* The search index while the workers run (see the top comment). */
	int in_phase;
	nb_diag search_d;
	json_t *search_seen;   /* rels written during the phase (set) */
	json_t *search_order;  /* the same, in order, to register after it */
	json_t *search_later;  /* [rel, bytes] to write after the phase */
	nb_digest *search_keys; /* each search_order file's content digest */
	size_t n_search_keys, cap_search_keys;
	nb_search_stats search_st;
	int have_search_key;   /* with a memo (search_main) */
	int search_ok;         /* its files all its own, no diagnostics */
	/* Feeds, calendars and open data, written by a thread of their own
	 * during the phase into their own set, counters and diagnostics. */
	json_t *feeds_written;
	nb_render_stats feeds_st;
	nb_diag feeds_d;
	const json_t *feeds_taken; /* after the phase: paths the feeds hold */
	nb_digest feeds_key;       /* with a memo (nb_feeds_inputs) */
	int have_feeds_key;
	int feeds_reused;          /* linked from the served folder */
	int feeds_ok;              /* written without diagnostics */
} out_ctx;

static const char *str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int write_out(out_ctx *o, const char *rel, const void *data, size_t len)
{
	if (o->feeds_taken && json_object_get(o->feeds_taken, rel)) {
		/* A static file at a feed's path: the feed, written during
		 * the phase, stays, as it did when feeds were written last. */
		json_object_set_new(o->written, rel, json_true());
		json_object_set_new(o->rewritten, rel, json_true());
		o->st->files++;
		o->st->bytes += len;
		return 0;
	}
	/* The same writer as the feeds (feeds.h): identical files are
	 * linked from the live folder, a second write never goes through
	 * such a link, errors and counts are recorded the same way. */
	nb_out out = { o->dir, o->st, o->written, o->d, o->reuse, o->in_place, o->rewritten };
	return nb_out_write(&out, rel, data, len);
}

/* Map a root-relative URL to the output file that serves it. */
static int link_target_exists(const out_ctx *o, const char *href)
{
	const char *base = o->s->cfg->base_path;
	nb_buf b = NB_BUF_INIT;
	const char *p = href + strlen(base);
	size_t n = strcspn(p, "?#");
	nb_buf_put(&b, p, n);
	if (b.len == 0 || b.ptr[b.len - 1] == '/')
		nb_buf_puts(&b, "index.html");
	int ok = json_object_get(o->written, nb_buf_cstr(&b)) != NULL;
	if (!ok) {
		nb_buf_puts(&b, "/index.html");
		ok = json_object_get(o->written, nb_buf_cstr(&b)) != NULL;
	}
	nb_buf_free(&b);
	return ok;
}

/* Another language's build (site.yaml `alternates`) is not in this output. */
static int is_alternate(const out_ctx *o, const char *href)
{
	size_t i;
	json_t *a;
	json_array_foreach(o->s->cfg->alternates, i, a) {
		const char *u = str(a, "url");
		if (u && u[0] && !strncmp(href, u, strlen(u)))
			return 1;
	}
	return 0;
}

/* href/src values pointing inside the site that `written` (every HTML
 * page, during the phase) does not resolve yet: kept for the final check. */
static void collect_links(const out_ctx *o, task *t, const char *html)
{
	const char *base = o->s->cfg->base_path;
	size_t bl = strlen(base);
	nb_buf href = NB_BUF_INIT;
	/* The attributes are found as `href="` and `src="` themselves, in
	 * document order, rather than as every `="`: a page's SVG charts have
	 * thousands of those, and looking at each one cost a tenth of a build. */
	const char *nh = strstr(html, "href=\""), *ns = strstr(html, "src=\"");
	for (const char *p; nh || ns; ) {
		if (nh && (!ns || nh + 1 < ns)) {
			p = nh + 4;
			nh = strstr(p + 2, "href=\"");
		} else {
			p = ns + 3;
			ns = strstr(p + 2, "src=\"");
		}
		if (p < html + 4)
			continue;
		const char *v = p + 2, *end = strchr(v, '"');
		if (!end)
			break;
		if (strncmp(v, base, bl) != 0 || v[bl] == '/')
			continue;
		nb_buf_clear(&href);
		nb_buf_put(&href, v, (size_t)(end - v));
		const char *h = nb_buf_cstr(&href);
		if (link_target_exists(o, h) || is_alternate(o, h))
			continue;
		nb_buf_put(&t->pending, h, href.len + 1);
	}
	nb_buf_free(&href);
}


/*
 * Render, write and scan one page; runs on a worker. Touches only `t`
 * (whose context the main thread built), the file system, read-only
 * shared data and the trend charts' cache (under its lock, trends.h): no
 * reference count changes here.
 */
/* A copy of `v` on the heap, for what only a few tasks keep. */
static void *keep(const void *v, size_t n)
{
	void *p = malloc(n);
	if (!p)
		abort();
	return memcpy(p, v, n);
}

static void run_task(const out_ctx *o, task *t)
{
	/* A document's body is in its key as the digest it carries; its
	 * HTML and headings are read back from the build cache and made
	 * values only for a page that is rendered. */
	const nb_doc *doc = t->kind == NB_PAGE_DOC ? o->s->pages[t->idx].doc : NULL;
	nb_diag d;
	nb_diag_init(&d);
	nb_buf hb = NB_BUF_INIT, tb = NB_BUF_INIT;
	json_t *drawn = NULL;
	if (o->memo) {
		t->key = nb_memo_key(o->memo, t->tmpl, t->layout, t->ctx,
				     doc ? &doc->body_key : NULL);
		size_t size;
		int reused = t->rec && !t->dup && !t->superseded
				     ? nb_memo_reuse(o->memo, t->rec, t->key, o->dir, o->in_place, &size)
				     : 0;
		if (reused) {
			t->ok = t->skipped = t->files = 1;
			t->bytes += size;
			t->unchanged = reused == 1;
			t->tagged = nb_memo_entry_tagged(t->rec);
			goto done;
		}
	}
	if (doc) {
		const char *html, *toc_text;
		if (nb_doc_page_body(doc, &hb, &tb, &html, &toc_text) != 0) {
			nb_doc_unreadable(&d, doc);
			goto done;
		}
		/* The page object is this context's own view (doc_context):
		 * adding to it changes no shared value's reference count. */
		json_t *page = json_object_get(t->ctx, "page");
		/* Our own renderer's output, valid UTF-8: no second validation. */
		json_object_set_new(page, "content", json_stringn_nocheck(html, strlen(html)));
		/* Made from the text on this thread, so no shared value's
		 * reference count changes (a held array would be shared). */
		json_t *toc = nb_doc_toc_parse(toc_text, strlen(toc_text));
		if (!toc) {
			nb_doc_unreadable(&d, doc);
			goto done;
		}
		json_object_set_new(page, "toc", toc);
		/* What the context left to draw (its trend charts, the
		 * notice's QR code): drawn only now, and the charts freed
		 * once rendered rather than with the batch. */
		drawn = nb_context_draw_later(page, o->charts, o->s, &o->s->pages[t->idx]);
	} else if (t->kind == NB_PAGE_EXTRA) {
		drawn = nb_context_draw_list_later(t->ctx);
	}
	nb_buf out = NB_BUF_INIT;
	if (nb_mustache_render(o->s->theme->templates, t->layout, t->ctx, &out, &d) == 0) {
		t->ok = 1;
		if (!t->dup) {
			int same;
			if (nb_cache_put(o->reuse, o->dir, o->in_place, t->rel, out.ptr ? out.ptr : "",
					 out.len, &same) != 0)
				nb_error(&d, t->rel, 0, 0, "io", "check free disk space and permissions",
					 "cannot write output file: %s", strerror(errno));
			t->unchanged = same != 0;
			t->files = 1;
			t->bytes += out.len;
			t->tagged = o->memo && nb_pubtag_has(out.ptr ? out.ptr : "", out.len);
		}
		collect_links(o, t, nb_buf_cstr(&out));
	}
	if (t->ok && t->dup)
		t->out = keep(&out, sizeof(out));
	else
		nb_buf_free(&out);
done:
	if (drawn)
		nb_trend_charts_undraw(drawn);
	if (d.len)
		t->d = keep(&d, sizeof(d));
	nb_buf_free(&hb);
	nb_buf_free(&tb);
}

static void emit_search_file(void *ud, const char *rel, const char *data, size_t len);

typedef struct batch {
	const out_ctx *o;
	size_t lo;
} batch;

static void run_task_at(void *ud, size_t i)
{
	const batch *b = ud;
	run_task(b->o, &b->o->tasks[b->lo + i]);
}

/* Pages per fork/join round: enough to keep the threads busy, few enough
 * that the contexts and the bytes in flight stay small. Two batches of
 * contexts are alive at once (the next is built while this one renders),
 * and at 10,000 documents they were the render stage's part of the
 * build's peak when contexts held their pages' charts: 4 MB a batch held
 * some 7 MB of them. Charts are now drawn by the worker (trends.h); the
 * views below still weigh tens of KB a page with deep histories. */
#define BATCH 128
#define BATCH_BYTES ((size_t)2 << 20)

/* Heap bytes under `v`, roughly as jansson allocates them (a string is
 * its struct and its bytes, an object its hash table and one pair per
 * key); shared values are counted again, so this is an upper bound. */
static size_t value_weight(const json_t *v)
{
	size_t w = 0, i;
	const char *k;
	const json_t *e;
	if (json_is_string(v))
		return 48 + json_string_length(v);
	if (json_is_array(v))
		json_array_foreach(v, i, e)
			w += 8 + value_weight(e);
	else if (json_is_object(v))
		json_object_foreach((json_t *)v, k, e)
			w += 64 + strlen(k) + value_weight(e);
	return 128 + w;
}

/* Bytes a context brings that the graph does not already hold: the
 * views made for it (site.h: a charter's versions, a comparison's
 * articles, tens of KB each with deep histories). A document's body and
 * its charts come later, on the worker (run_task), and are freed as soon
 * as the page is rendered. */
static size_t ctx_weight(const json_t *ctx)
{
	const json_t *page = json_object_get(ctx, "page");
	size_t w = 0;
	const json_t *vs = json_object_get(page, "versions"), *cmp = json_object_get(page, "compare");
	if (vs)
		w += value_weight(vs);
	if (cmp)
		w += value_weight(cmp);
	return w;
}

/* Contexts of tasks from lo up to at most hi, stopping early once the
 * batch holds BATCH_BYTES (a charter's comparison with deep histories is
 * tens of KB, so a count alone would let a batch of them hold MBs). Main
 * thread only (they take references). Returns the end of the batch. */
static size_t build_contexts(out_ctx *o, size_t lo, size_t hi)
{
	size_t bytes = 0, i = lo;
	while (i < hi && bytes < BATCH_BYTES) {
		task *t = &o->tasks[i];
		t->ctx = nb_context_page(o->navs, o->s, o->charts, t->kind, t->idx, t->name);
		bytes += ctx_weight(t->ctx);
		i++;
	}
	return i;
}

static void drop_contexts(out_ctx *o, size_t lo, size_t hi)
{
	for (size_t i = lo; i < hi; i++) {
		json_decref(o->tasks[i].ctx);
		o->tasks[i].ctx = NULL;
	}
}

/*
 * All planned pages. The main thread builds the contexts of the next
 * batch while the pool renders the current one, then frees the finished
 * batch's contexts: every reference count change happens on this thread.
 */
static void render_pages(out_ctx *o, size_t jobs)
{
	size_t n = o->n_tasks;
	size_t hi = build_contexts(o, 0, n < BATCH ? n : BATCH);
	for (size_t lo = 0; lo < n;) {
		batch b = { o, lo };
		nb_pool *pool = nb_pool_start(jobs, hi - lo, run_task_at, &b);
		size_t next = build_contexts(o, hi, hi + BATCH < n ? hi + BATCH : n);
		nb_pool_wait(pool);
		drop_contexts(o, lo, hi);
		lo = hi;
		hi = next;
	}
}

/* The feeds, calendars and open data as a group (memo.h): when the last
 * build recorded their files under the key of what they read (feeds.h
 * nb_feeds_inputs) and none was touched, they are linked from the served
 * folder instead of made again. */
static void feeds_reused_one(void *ud, const char *rel, size_t size)
{
	out_ctx *o = ud;
	json_object_set_new(o->feeds_written, rel, json_true());
	o->feeds_st.files++;
	o->feeds_st.bytes += size;
	o->feeds_st.unchanged++;
}

static void *feeds_main(void *ud)
{
	out_ctx *o = ud;
	nb_out fo = { o->dir, &o->feeds_st, o->feeds_written, &o->feeds_d, o->reuse,
		      o->in_place, NULL };
	if (o->memo) {
		o->feeds_key = nb_feeds_inputs(o->s, o->memo);
		o->have_feeds_key = 1;
		if (o->reuse && nb_memo_reuse_group(o->memo, o->feeds_key, o->dir, o->in_place,
						    feeds_reused_one, o) > 0) {
			o->feeds_reused = 1;
			return NULL;
		}
	}
	nb_feeds_write_documents(o->s, &fo);
	return NULL;
}

/* A search file's key for the page memo, in the order of search_order. */
static void search_key_add(out_ctx *o, nb_digest key)
{
	if (o->n_search_keys == o->cap_search_keys) {
		o->cap_search_keys = o->cap_search_keys ? o->cap_search_keys * 2 : 256;
		o->search_keys = realloc(o->search_keys, o->cap_search_keys * sizeof(nb_digest));
		if (!o->search_keys)
			abort();
	}
	o->search_keys[o->n_search_keys++] = key;
}

/* A file of the search index put from the served folder instead of made
 * (search.h nb_search_reuse): when the last build recorded it with these
 * bytes' digest and it is untouched (memo.h). Counted and registered as
 * emit_search_file does for one it writes; a path a page takes is left to
 * emit_search_file, which knows what to do with it. */
static int search_reuse_one(void *ud, const char *rel, nb_digest key, size_t *size)
{
	out_ctx *o = ud;
	if (json_object_get(o->written, rel) || json_object_get(o->search_seen, rel) ||
	    !nb_memo_reuse_file(o->memo, nb_memo_find(o->memo, rel), key, o->dir, o->in_place,
				size))
		return 0;
	json_object_set_new(o->search_seen, rel, json_true());
	json_array_append_new(o->search_order, json_string(rel));
	search_key_add(o, key);
	o->st->files++;
	o->st->bytes += *size;
	o->st->unchanged++;
	return 1;
}

/* The search index, merged per document (search.h): with a memo, the
 * pages' tokenizations kept in the site's cache folder, and the index
 * files whose bytes would not change put from the served folder. */
static void *search_main(void *ud)
{
	out_ctx *o = ud;
	if (!o->memo) {
		nb_search_build(o->s, emit_search_file, o, &o->search_d);
		return NULL;
	}
	o->have_search_key = 1;
	char program[512];
	nb_cache_program(program, sizeof(program));
	char *path = nb_path_join(o->s->cfg->site_dir, NB_CACHE_DIR "/search");
	nb_search_memo *m = nb_search_memo_open(path, program);
	free(path);
	nb_search_build_memo(o->s, m, emit_search_file, o->reuse ? search_reuse_one : NULL, o,
			     &o->search_st, &o->search_d);
	/* Keyed by what each page gives the index, the record is right
	 * whatever else the build finds; not one made from an unreadable text. */
	if (o->search_d.len == 0)
		nb_search_memo_save(m);
	nb_search_memo_free(m);
	return NULL;
}

/* Register a task's path in `written` (main thread, serial order). A path
 * taken already makes this a second write, and the last earlier page of
 * that path loses its links to this one (as a later page replaced them). */
static void plan_path(out_ctx *o, task *t)
{
	if (json_object_get(o->written, t->rel)) {
		t->dup = 1;
		for (task *e = t; e-- > o->tasks;)
			if (!strcmp(e->rel, t->rel)) {
				e->superseded = 1;
				break;
			}
	}
	json_object_set_new(o->written, t->rel, json_true());
}

/* The templates a layout can read (mustache.h nb_mustache_digest), so a
 * page is rendered again when one of those changed and not when another
 * layout did; all of the theme's when it includes by a name from the
 * data. Once per layout per build (main thread). */
static nb_digest layout_digest(out_ctx *o, const char *layout)
{
	for (size_t i = 0; i < o->n_layouts; i++)
		if (!strcmp(o->layouts[i].name, layout))
			return o->layouts[i].d;
	nb_digest d;
	if (nb_mustache_digest(o->s->theme->templates, layout, &d) != 0)
		d = o->s->theme->templates_id;
	o->layouts = realloc(o->layouts, (o->n_layouts + 1) * sizeof(*o->layouts));
	if (!o->layouts)
		abort();
	o->layouts[o->n_layouts++] = (layout_id){ layout, d };
	return d;
}

/* The next task, in the array plan_tasks sized. */
static task *add_task(out_ctx *o, nb_page_kind kind, size_t idx, const char *name,
		      const char *layout, const char *rel)
{
	if (o->n_tasks == o->cap_tasks)
		abort();
	task *t = &o->tasks[o->n_tasks++];
	t->kind = kind;
	t->idx = idx;
	t->name = name;
	t->layout = layout;
	t->rel = strdup(rel ? rel : "");
	if (!t->rel)
		abort();
	plan_path(o, t);
	/* Reused only from a live folder of ours (`reuse`, cache.h). */
	t->rec = o->memo && o->reuse ? nb_memo_find(o->memo, t->rel) : NULL;
	if (o->memo)
		t->tmpl = layout_digest(o, layout);
	return t;
}

/* Every HTML page but the search page, in the order a serial build wrote
 * them: documents, main lists, derived pages, history, home, 404. Counted
 * first and allocated once, with a place for the search page (added after
 * the phase): grown by doubling, the array and its copy were both alive,
 * and the search page's one more task doubled it again at the stage's
 * peak (5.8 MB for 12,500 tasks where 2.9 MB hold them). */
static void plan_tasks(out_ctx *o, json_t *kinds)
{
	const nb_site *s = o->s;
	json_t *nav = json_object_get(s->site, "nav");
	size_t i;
	json_t *e;
	json_array_foreach(nav, i, e)
		json_array_append(kinds, json_object_get(e, "kind"));
	/* Free pages have a list too, though they are not in the navigation. */
	json_array_append_new(kinds, json_string("pages"));
	o->cap_tasks = s->len + s->n_extra + json_array_size(s->history) + 3;
	json_array_foreach(kinds, i, e) {
		size_t n = json_array_size(json_object_get(s->lists, json_string_value(e)));
		if (n)
			o->cap_tasks += nb_paging_count(n, s->cfg->page_size);
	}
	o->tasks = calloc(o->cap_tasks, sizeof(*o->tasks));
	if (!o->tasks)
		abort();
	for (i = 0; i < s->len; i++)
		add_task(o, NB_PAGE_DOC, i, NULL, s->pages[i].layout, s->pages[i].out_path);
	json_array_foreach(kinds, i, e) {
		const char *kind = json_string_value(e);
		size_t n = json_array_size(json_object_get(s->lists, kind));
		if (!n)
			continue;
		size_t total = nb_paging_count(n, s->cfg->page_size);
		for (size_t no = 1; no <= total; no++) {
			nb_buf rel = NB_BUF_INIT;
			nb_buf_printf(&rel, "%s/", kind);
			nb_paging_rel(&rel, no);
			nb_buf_puts(&rel, "index.html");
			add_task(o, NB_PAGE_LIST, no, kind, "list", nb_buf_cstr(&rel));
			nb_buf_free(&rel);
		}
	}
	for (size_t k = 0; k < s->n_extra; k++)
		add_task(o, NB_PAGE_EXTRA, k, NULL, s->extra[k].layout, s->extra[k].out_path);
	json_array_foreach(s->history, i, e)
		add_task(o, NB_PAGE_HISTORY, i, NULL, str(e, "layout"), str(e, "out_path"));
	add_task(o, NB_PAGE_HOME, 0, NULL, "home", "index.html");
	add_task(o, NB_PAGE_404, 0, NULL, "404", "404.html");
}

/* The rule of pubtag.h for a page rendered in a publication with a
 * previous one (main thread, after the phase, in task order); pages the
 * memo put were put that way already (memo.h). A previous page that
 * cannot be read fails the build: the page's number would be a guess. */
static void keep_previous(out_ctx *o, task *t)
{
	size_t size;
	nb_buf why = NB_BUF_INIT;
	int same, rc = o->prev && t->ok && !t->skipped && !t->dup && t->files
		       ? nb_pubtag_keep(o->prev, o->reuse, o->dir, o->in_place, t->rel, &size, &same,
					&why) : 0;
	/* A disk that failed is an I/O error (exit 3); damage is the record's. */
	if (rc == NB_PUBTAG_EPREVIOUS || rc == NB_PUBTAG_EPREVIOUS_IO)
		nb_error(o->d, t->rel, 0, 0, rc == NB_PUBTAG_EPREVIOUS ? "history" : "io",
			 rc == NB_PUBTAG_EPREVIOUS
			 ? "`noticeboard verify` lists what is damaged in the audit repository; "
			   "restore it from a mirror or a backup, then publish again"
			 : "check the disk that holds the audit repository, then publish again",
			 "cannot read this page as the previous publication served it: %s",
			 nb_buf_cstr(&why));
	else if (rc < 0)
		nb_error(o->d, t->rel, 0, 0, "io", "check free disk space and permissions",
			 "cannot rewrite output file: %s", strerror(errno));
	else if (rc > 0)
		t->bytes = size, t->unchanged = same != 0, t->tagged = 1;
	nb_buf_free(&why);
}

/* Fold a finished task into the totals (main thread, task order). */
static void finish_task(out_ctx *o, task *t)
{
	t->quiet = t->d == NULL;
	if (t->d) {
		nb_diag_merge(o->d, t->d);
		nb_diag_free(t->d);
		free(t->d);
		t->d = NULL;
	}
	if (t->ok) {
		o->st->pages++;
		o->st->skipped += (size_t)t->skipped;
		if (t->dup) {
			/* After the phase: the earlier writer of this path is done. */
			write_out(o, t->rel, t->out->ptr ? t->out->ptr : "", t->out->len);
			nb_buf_free(t->out);
			free(t->out);
			t->out = NULL;
		}
	}
	o->st->files += t->files;
	o->st->bytes += t->bytes;
	o->st->unchanged += t->unchanged;
}

/* Search files while the workers run: `written` is theirs to read, so a
 * path is only noted here; one that is taken already waits for the phase
 * to end, to be written in order like any second write. */
static void emit_search_file(void *ud, const char *rel, const char *data, size_t len)
{
	out_ctx *o = ud;
	if (!o->in_phase) {
		write_out(o, rel, data, len);
		return;
	}
	if (json_object_get(o->written, rel) || json_object_get(o->search_seen, rel)) {
		json_t *later = json_array();
		json_array_append_new(later, json_string(rel));
		json_array_append_new(later, json_stringn(data, len));
		json_array_append_new(o->search_later, later);
		return;
	}
	int same;
	if (nb_cache_put(o->reuse, o->dir, o->in_place, rel, data, len, &same) != 0)
		nb_error(&o->search_d, rel, 0, 0, "io", "check free disk space and permissions",
			 "cannot write output file: %s", strerror(errno));
	o->st->unchanged += (size_t)same;
	json_object_set_new(o->search_seen, rel, json_true());
	json_array_append_new(o->search_order, json_string(rel));
	if (o->have_search_key)
		search_key_add(o, nb_search_file_key(data, len));
	o->st->files++;
	o->st->bytes += len;
}

/* What the build writes at `rel`, in words, for a collision message. */
static void describe_output(const out_ctx *o, const char *rel, nb_buf *b)
{
	for (size_t i = 0; i < o->n_tasks; i++) {
		const task *t = &o->tasks[i];
		if (strcmp(t->rel, rel))
			continue;
		switch (t->kind) {
		case NB_PAGE_DOC:
			nb_buf_printf(b, "the page of %s", o->s->pages[t->idx].doc->path);
			return;
		case NB_PAGE_LIST: nb_buf_printf(b, "the list of %s", t->name); return;
		case NB_PAGE_EXTRA: nb_buf_puts(b, "a derived list or comparison page"); return;
		case NB_PAGE_HISTORY: nb_buf_puts(b, "a page of the publication history"); return;
		case NB_PAGE_HOME: nb_buf_puts(b, "the home page"); return;
		case NB_PAGE_404: nb_buf_puts(b, "the not-found page"); return;
		case NB_PAGE_SEARCH: nb_buf_puts(b, "the search page"); return;
		}
	}
	if (!strncmp(rel, "search/", 7))
		nb_buf_puts(b, "the search index");
	else
		nb_buf_puts(b, "a generated feed, calendar, open-data file, sitemap or robots.txt");
}

/* A file copied as it is may never replace generated output, nor another
 * such file: either would publish something other than what the sources
 * say while every check passes. */
static void collision(out_ctx *o, const char *origin, const char *rel)
{
	nb_buf what = NB_BUF_INIT;
	describe_output(o, rel, &what);
	nb_error(o->d, origin, 0, 0, "asset-collision",
		 "rename or move the file: a file copied as it is may not replace a "
		 "page or file the build makes",
		 "would be published as %s, where the build writes %s", rel, nb_buf_cstr(&what));
	nb_buf_free(&what);
}

/* Paths that differ only by case or Unicode normalisation are one file
 * on a case-insensitive file system (and to many servers): an asset may
 * not share one with another asset or with generated output. A generated
 * path that is its own fold (all of them in the demo and the corpora) is
 * found by its fold in the written sets themselves; `folded`, made at the
 * first asset, holds only the others (fold -> path) and the assets (fold
 * -> [rel, origin]). A map of every generated path's fold was 19 MB of a
 * re-publish's peak at 50,000 documents. */
static int fold_clash(out_ctx *o, const char *rel, const char *origin)
{
	if (!o->folded) {
		o->folded = json_object();
		const json_t *sets[2] = { o->written, o->feeds_taken };
		for (size_t i = 0; i < 2; i++) {
			const char *k;
			json_t *v;
			json_object_foreach((json_t *)sets[i], k, v) {
				char *f = nb_utf8_fold(k);
				if (strcmp(f, k))
					json_object_set_new(o->folded, f, json_string(k));
				free(f);
			}
		}
	}
	char *f = nb_utf8_fold(rel);
	json_t *prev = json_object_get(o->folded, f);
	const char *prel = json_is_string(prev) ? json_string_value(prev)
			   : json_string_value(json_array_get(prev, 0));
	const char *porigin = json_string_value(json_array_get(prev, 1));
	if (!prev && (json_object_get(o->written, f) ||
		      (o->feeds_taken && json_object_get(o->feeds_taken, f))))
		prel = f;
	if (prel) {
		nb_buf what = NB_BUF_INIT;
		if (porigin)
			nb_buf_puts(&what, porigin);
		else
			describe_output(o, prel, &what);
		nb_error(o->d, origin, 0, 0, "asset-collision",
			 "rename one of them so the names differ by more than case",
			 "would be published as %s, which a case-insensitive file system takes for "
			 "%s (%s)", rel, prel, nb_buf_cstr(&what));
		nb_buf_free(&what);
	} else {
		json_object_set_new(o->folded, f, json_pack("[ss]", rel, origin));
	}
	free(f);
	return prel != NULL;
}

/* Copy one asset to `rel` unless something else is published there. */
static void put_asset(out_ctx *o, const char *rel, const char *origin, const char *disk,
		      const void *data, size_t len, size_t max)
{
	json_t *prev = json_object_get(o->assets, rel);
	if (prev) {
		nb_error(o->d, origin, 0, 0, "asset-collision",
			 "rename or remove one of them",
			 "would be published as %s, like %s", rel, json_string_value(prev));
		return;
	}
	if (json_object_get(o->written, rel) ||
	    (o->feeds_taken && json_object_get(o->feeds_taken, rel))) {
		collision(o, origin, rel);
		return;
	}
	if (fold_clash(o, rel, origin))
		return;
	json_object_set_new(o->assets, rel, json_string(origin));
	if (!disk) {
		write_out(o, rel, data, len);
		return;
	}
	char *owned;
	if (nb_fs_read(disk, max, &owned, &len) != 0) {
		nb_error(o->d, origin, 0, 0, "io", NULL, "cannot read: %s", strerror(errno));
		return;
	}
	write_out(o, rel, owned, len);
	free(owned);
}

/* A file under content/ published as it is (an asset or an attachment),
 * through put_asset, so that it may not replace anything else published. */
static void copy_content_file(out_ctx *o, const char *src, const char *dest)
{
	char *from = nb_path_join(o->s->cfg->site_dir, src);
	put_asset(o, dest, src, from, NULL, 0, o->s->cfg->max_file_size);
	free(from);
}

/* The theme's static files merged with the site's static/ (theme.h),
 * then the files beside the documents in content/. */
static void copy_statics(out_ctx *o, const nb_content *c)
{
	const nb_site *s = o->s;
	for (size_t i = 0; i < s->theme->n_statics; i++) {
		const nb_theme_file *f = &s->theme->statics[i];
		put_asset(o, f->dest, f->origin, f->disk_path, f->data, f->len, 0);
	}
	for (size_t i = 0; i < c->n_assets; i++) {
		/* A document's attachment is published beside its page only. */
		if (!json_object_get(s->attached, c->assets[i].src))
			copy_content_file(o, c->assets[i].src, c->assets[i].dest);
	}
	size_t i;
	json_t *a;
	json_array_foreach(s->attachments, i, a)
		copy_content_file(o, str(a, "src"), str(a, "dest"));
}

/* Outputs written after the assets (the feeds of a serial build, the
 * sitemap, robots.txt) went over any asset at their path: one of those
 * is a collision too. */
static void late_collisions(out_ctx *o)
{
	const char *rel;
	json_t *origin;
	json_object_foreach(o->assets, rel, origin)
		if (json_object_get(o->rewritten, rel))
			collision(o, json_string_value(origin), rel);
}

/* What link checking depends on besides `written` (memo.h). */
static nb_digest link_env(const nb_site *s)
{
	nb_hash h;
	nb_hash_init(&h, 0);
	nb_hash_str(&h, s->cfg->base_path, strlen(s->cfg->base_path));
	size_t i;
	json_t *a;
	json_array_foreach(s->cfg->alternates, i, a) {
		const char *u = str(a, "url");
		nb_hash_str(&h, u ? u : "", u ? strlen(u) : 0);
	}
	return nb_hash_final(&h);
}

static void rescan_at(void *ud, size_t i)
{
	const out_ctx *o = ud;
	task *t = &o->tasks[i];
	if (!t->skipped || t->superseded)
		return;
	char *path = nb_path_join(o->dir, t->rel);
	char *data;
	size_t len;
	if (nb_fs_read(path, 0, &data, &len) == 0) {
		collect_links(o, t, data);
		free(data);
	} else {
		t->unread = errno ? errno : EIO;
	}
	free(path);
}

/* The memo's pages, when their recorded build's links may no longer
 * resolve: scanned from their files as if just rendered (the same bytes;
 * `written` is final and only read, as during the phase). */
static void rescan_skipped(out_ctx *o, size_t jobs)
{
	nb_pool_wait(nb_pool_start(jobs, o->n_tasks, rescan_at, o));
	for (size_t i = 0; i < o->n_tasks; i++)
		if (o->tasks[i].unread)
			nb_error(o->d, o->tasks[i].rel, 0, 0, "io", NULL,
				 "cannot read the page to check its links: %s",
				 strerror(o->tasks[i].unread));
}

/* Tell the memo which files are exactly their page's render: not a
 * path two tasks or another writer shared, and without diagnostics. */
static int note_pages(out_ctx *o)
{
	/* The paths first: each note names one of them (memo.h). */
	const int hold = nb_memo_links_hold(o->memo, o->written, link_env(o->s));
	for (size_t i = 0; i < o->n_tasks; i++) {
		const task *t = &o->tasks[i];
		if (t->ok && t->quiet && !t->dup && !t->superseded &&
		    !json_object_get(o->rewritten, t->rel))
			nb_memo_note(o->memo, t->rel, t->key, t->tagged);
	}
	/* The search index's files likewise, under theirs. */
	if (o->have_search_key && o->search_ok) {
		size_t i;
		json_t *e;
		int whole = 1;
		json_array_foreach(o->search_order, i, e)
			whole &= !json_object_get(o->rewritten, json_string_value(e));
		if (whole && o->n_search_keys == json_array_size(o->search_order))
			json_array_foreach(o->search_order, i, e)
				nb_memo_note(o->memo, json_string_value(e), o->search_keys[i], 0);
	}
	/* The feeds' files under their group key (nb_feeds_inputs), all of them
	 * or none: one another writer also wrote is not theirs alone. */
	if (o->have_feeds_key && o->feeds_ok) {
		const char *rel;
		json_t *v;
		int whole = 1;
		json_object_foreach(o->feeds_written, rel, v)
			whole &= !json_object_get(o->rewritten, rel);
		if (whole)
			json_object_foreach(o->feeds_written, rel, v)
				nb_memo_note(o->memo, rel, o->feeds_key, 0);
	}
	return hold;
}

static void check_links(out_ctx *o)
{
	for (size_t i = 0; i < o->n_tasks; i++) {
		const task *t = &o->tasks[i];
		if (t->superseded)
			continue;
		for (size_t at = 0; at < t->pending.len;) {
			const char *href = t->pending.ptr + at;
			at += strlen(href) + 1;
			if (!link_target_exists(o, href) && !is_alternate(o, href))
				nb_error(o->d, t->rel, 0, 0, "link-broken",
					 "fix the link in the document or template that produced it",
					 "internal link to %s does not resolve to any page", href);
		}
	}
}

int nb_render_site(const nb_site *s, const nb_content *c, const char *dir,
		   nb_render_stats *st, nb_diag *d)
{
	return nb_render_site_reusing(s, c, dir, NULL, 0, NULL, st, d);
}

/* In place: what the earlier output holds that this one does not write
 * goes, except the build's marker. Any other dot file goes too: a
 * .htaccess planted in a served folder survived in the previous
 * generation and the next publish recorded it as published (found by
 * `verify --rebuild`, which could not reproduce it from the sources). */
static void prune_stale(out_ctx *o, const nb_strlist *before)
{
	for (size_t i = 0; i < before->len; i++) {
		const char *rel = before->items[i];
		if (json_object_get(o->written, rel) || !strcmp(rel, NB_BUILD_MARKER))
			continue;
		if (nb_fs_prune(o->dir, rel) != 0)
			nb_error(o->d, rel, 0, 0, "io", "check the output folder's permissions",
				 "cannot delete a file the site no longer has: %s", strerror(errno));
	}
}

static void share_one(void *ud, const json_t *v)
{
	nb_memo_share(ud, v);
}

/* What the search index did, for NB_BUILD_STATS. */
static void search_stats(const out_ctx *o, nb_render_stats *st)
{
	st->search_docs = o->search_st.docs;
	st->search_tokenized = o->search_st.tokenized;
	st->search_files = o->search_st.shards + o->search_st.chunks;
	st->search_made = o->search_st.shards_made + o->search_st.chunks_made;
	/* Nothing tokenized or made (index.json, a few bytes, always is). */
	st->search_reused = o->have_search_key && !o->search_st.tokenized && !st->search_made;
}

/* The files an in-place `dir` holds, tidied (fs.h nb_fs_tidy) here or
 * by the caller ahead (`ahead`, its files taken). */
static nb_strlist take_earlier(const char *dir, nb_render_earlier *ahead, nb_diag *d)
{
	nb_strlist earlier = { 0 };
	int err = 0;
	if (ahead) {
		earlier = ahead->files;
		memset(&ahead->files, 0, sizeof(ahead->files));
		err = ahead->err;
	} else if (nb_fs_tidy(dir, &earlier) != 0) {
		err = errno;
	}
	if (err)
		nb_error(d, "", 0, 0, "io", "delete the folder by hand and build again",
			 "cannot read the previous output %s: %s", dir, strerror(err));
	return earlier;
}

int nb_render_site_reusing(const nb_site *s, const nb_content *c, const char *dir,
			   const char *reuse, int in_place, nb_memo *memo, nb_render_stats *st,
			   nb_diag *d)
{
	return nb_render_site_tidied(s, c, dir, reuse, in_place, memo, NULL, NULL, st, d);
}

int nb_render_site_tidied(const nb_site *s, const nb_content *c, const char *dir,
			  const char *reuse, int in_place, nb_memo *memo,
			  nb_render_earlier *ahead, const nb_pubtag_previous *prev,
			  nb_render_stats *st, nb_diag *d)
{
	memset(st, 0, sizeof(*st));
	size_t before = d->errors;
	if (prev && (!prev->page || !s->publication))
		prev = NULL;
	out_ctx o = { .s = s, .dir = dir, .st = st, .d = d, .written = json_object(),
		      .reuse = reuse, .in_place = in_place, .memo = memo, .prev = prev,
		      .rewritten = json_object(), .navs = json_object(), .assets = json_object() };
	nb_strlist earlier = in_place ? take_earlier(dir, ahead, d) : (nb_strlist){ 0 };
	json_t *kinds = json_array();
	plan_tasks(&o, kinds);
	o.charts = &o.chart_cache;
	nb_trend_charts_init(o.charts, s, NB_TREND_CHARTS_BYTES);
	if (memo) {
		/* What every page's context shares (context.h): `site`'s
		 * members (its copy differs only in `nav`) and `t`. */
		const char *k;
		json_t *v;
		/* The publication outside the keys when the theme shows it
		 * only in its meta tag (memo.h). */
		nb_memo_publication(memo, s->publication, s->theme->publication_tag_only);
		nb_memo_as_of(memo, s->theme->as_of_unread);
		json_object_foreach(s->site, k, v)
			nb_memo_share(memo, v);
		nb_memo_share_site(memo, s->site);
		nb_memo_share(memo, s->theme->strings);
		nb_site_each_shared(s, share_one, memo);
		/* Each kind's `site` (context.h), made now so it is shared. */
		for (size_t i = 0; i < o.n_tasks; i++) {
			const task *t = &o.tasks[i];
			nb_context_site_for(o.navs, s, nb_context_nav_kind(s, t->kind, t->idx, t->name));
		}
		nb_context_site_for(o.navs, s, NULL);
		json_object_foreach(o.navs, k, v)
			nb_memo_share_site(memo, v);
	}

	/* The phase: pages on the pool, the search index on a thread of its
	 * own (or before the pages, serially). */
	const int search = nb_theme_has_layout(s->theme, "search");
	const size_t jobs = nb_pool_jobs();
	o.in_phase = 1;
	nb_diag_init(&o.search_d);
	o.search_seen = json_object();
	o.search_order = json_array();
	o.search_later = json_array();
	pthread_t search_thread;
	int search_threaded = search && jobs > 1 &&
			      pthread_create(&search_thread, NULL, search_main, &o) == 0;
	if (search && !search_threaded)
		search_main(&o);
	/* Feeds overlap the pages too: at 10,000 documents they are an
	 * eighth of the stage, which written afterwards left one core idle. */
	pthread_t feeds_thread;
	memset(&o.feeds_st, 0, sizeof(o.feeds_st));
	nb_diag_init(&o.feeds_d);
	o.feeds_written = json_object();
	int feeds_threaded = jobs > 1 &&
			     pthread_create(&feeds_thread, NULL, feeds_main, &o) == 0;
	render_pages(&o, jobs);
	if (search_threaded)
		pthread_join(search_thread, NULL);
	/* On one core, after the pages but the same way: keyed as a group,
	 * so a machine with one core links them too. */
	if (feeds_threaded)
		pthread_join(feeds_thread, NULL);
	else
		feeds_main(&o);
	o.in_phase = 0;

	for (size_t i = 0; i < o.n_tasks; i++) {
		keep_previous(&o, &o.tasks[i]);
		finish_task(&o, &o.tasks[i]);
	}
	size_t i;
	json_t *e;
	json_array_foreach(o.search_order, i, e)
		json_object_set_new(o.written, json_string_value(e), json_true());
	o.search_ok = o.search_d.len == 0 && json_array_size(o.search_later) == 0;
	search_stats(&o, st);
	nb_diag_merge(d, &o.search_d);
	json_array_foreach(o.search_later, i, e) {
		json_t *data = json_array_get(e, 1);
		write_out(&o, json_string_value(json_array_get(e, 0)), json_string_value(data),
			  json_string_length(data));
	}
	json_decref(o.search_seen);
	json_decref(o.search_later);
	if (search) {
		task *t = add_task(&o, NB_PAGE_SEARCH, 0, NULL, "search", "search/index.html");
		t->ctx = nb_context_page(o.navs, s, o.charts, t->kind, t->idx, t->name);
		run_task(&o, t);
		json_decref(t->ctx);
		t->ctx = NULL;
		keep_previous(&o, t);
		finish_task(&o, t);
	}

	o.feeds_taken = o.feeds_written;
	copy_statics(&o, c);
	o.feeds_taken = NULL;
	/* Feeds, calendars, open data, then the sitemap: after the HTML,
	 * which the sitemap lists, and before the link check, which may link
	 * to them. Threaded, they are registered here, in the serial order. */
	nb_out fo = { dir, st, o.written, d, reuse, in_place, o.rewritten };
	const char *rel;
	json_t *v;
	json_object_foreach(o.feeds_written, rel, v) {
		if (json_object_get(o.written, rel))
			json_object_set_new(o.rewritten, rel, json_true());
		json_object_set_new(o.written, rel, json_true());
	}
	st->files += o.feeds_st.files;
	st->bytes += o.feeds_st.bytes;
	st->unchanged += o.feeds_st.unchanged;
	st->feeds_reused = o.feeds_reused;
	o.feeds_ok = o.feeds_d.len == 0;
	nb_diag_merge(d, &o.feeds_d);
	nb_diag_free(&o.feeds_d);
	nb_feeds_write_index(s, &fo);
	late_collisions(&o);
	const int links_hold = memo ? note_pages(&o) : 1;
	json_decref(o.feeds_written);
	json_decref(o.search_order);
	free(o.search_keys);
	if (d->errors == before) {
		if (!links_hold && st->skipped)
			rescan_skipped(&o, jobs);
		check_links(&o);
	}
	if (in_place && d->errors == before)
		prune_stale(&o, &earlier);
	nb_strlist_free(&earlier);
	for (size_t k = 0; k < o.n_tasks; k++) {
		free(o.tasks[k].rel);
		nb_buf_free(&o.tasks[k].pending);
	}
	free(o.tasks);
	json_decref(kinds);
	json_decref(o.written);
	json_decref(o.rewritten);
	json_decref(o.assets);
	json_decref(o.folded);
	json_decref(o.navs);
	nb_trend_charts_free(o.charts);
	free(o.layouts);
	return d->errors > before ? -1 : 0;
}

/*
 * content.c - the load stage; see content.h.
 *
 * Loading a document (read, check UTF-8, split, parse the YAML) depends on
 * nothing but its own file and the read-only config, so the files are
 * loaded in parallel on the pool (pool.h): task i fills docs[i] and
 * reports into diags[i], its own diagnostic list. Afterwards the main
 * thread merges those lists in walk order, exactly the order a serial loop
 * would have reported in, so messages do not depend on the number of
 * threads. What runs in a task was checked for shared state: libyaml keeps
 * its parser per call, jansson has no mutable globals (its hash seed is set
 * atomically, and by the config before we get here) and a task's values
 * are never seen by another thread before nb_pool_wait; frontmatter, utf8,
 * yamltree, fs and diag keep everything on the stack or in the caller's
 * structures. The walk, the id check and the sort stay serial: they are
 * cheap and need every document.
 *
 * Memory matters as much as time, because documents live until the site
 * is linked: positions use the compact table (nb_yaml_load_compact), half
 * a megabyte per thousand documents instead of seven, and a build renders
 * each body's Markdown in the same task and frees the source right away
 * (markdown.c keeps no shared state either), so the sources, a tenth of
 * a build's memory at 10,000 documents, are never held together. Nor
 * are the rendered HTML and text when there is a memo: the task that
 * renders a document moves them, with its memo record, to the load job's
 * scratch file (doccache.h nb_doccache_spill; the job owns the file,
 * tasks reserve their bytes atomically), which is what kept a first
 * build's load at 136 MB at 10,000 documents. Without a memo (or when
 * the scratch file cannot be made or written) they stay in memory. The
 * front matter is packed in the task too, once the loader has read its
 * id and draft flag from the tree (load/meta.c): the trees of the whole
 * site, 26 MB at 10,000 documents, are never held together.
 */
#include "load/content.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output/assets.h"
#include "util/buf.h"
#include "load/doccache.h"
#include "load/frontmatter.h"
#include "load/meta.h"
#include "util/fs.h"
#include "util/pool.h"
#include "util/utf8.h"
#include "load/yamltree.h"

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

int nb_content_id_valid(const char *id)
{
	int line, col;
	/* The walk refuses file names that are not UTF-8, but an id given
	 * elsewhere (`noticeboard new`) is not from a file. */
	if (!id[0] || id[0] == '/' || nb_utf8_validate(id, strlen(id), &line, &col) != 0)
		return 0;
	const char *seg = id;
	for (const char *p = id;; p++) {
		if (*p == '/' || *p == '\0') {
			size_t n = (size_t)(p - seg);
			if (n == 0 || (n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return 0;
			if (seg[0] == '.')
				return 0;
			if (*p == '\0')
				return 1;
			seg = p + 1;
			continue;
		}
		unsigned char ch = (unsigned char)*p;
		if (ch >= 0x80)
			continue; /* UTF-8 letters, checked above */
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.')
			continue;
		return 0;
	}
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* A name a Markdown file has elsewhere (`x.MD`, `x.markdown`): written as
 * a document, but a document is a `.md` file, and copied as it lies it
 * would publish its source, a draft's too, in place of its page. */
static int markdown_named(const char *rel)
{
	static const char *const ext[] = { ".md", ".markdown", ".mdown", ".mkd", ".mkdn",
					   ".mdwn", ".mdtxt", ".mdtext" };
	size_t n = strlen(rel);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t m = strlen(ext[i]);
		if (n > m && rel[n - m - 1] != '/' && !strcasecmp(rel + n - m, ext[i]))
			return 1;
	}
	return 0;
}

static void report_extension(const char *rel, nb_diag *d)
{
	char *path = nb_path_join("content", rel);
	const char *dot = strrchr(rel, '.');
	const char *slash = strrchr(rel, '/');
	const char *name = slash ? slash + 1 : rel;
	char hint[512];
	snprintf(hint, sizeof(hint), "rename it to `%.*s.md`",
		 (int)(dot - name) > 200 ? 200 : (int)(dot - name), name);
	nb_error(d, path, 0, 0, "document-extension", hint,
		 "a document's file name must end in `.md` (in small letters); this file "
		 "would be published as it is, not as a page");
	free(path);
}

/* What a document is before its file is read: path, kind, id from the
 * path, empty front matter. */
static void doc_start(nb_doc *doc, const char *rel)
{
	memset(doc, 0, sizeof(*doc));
	doc->path = nb_path_join("content", rel);
	const char *slash = strchr(rel, '/');
	doc->kind = slash ? strndup(rel, (size_t)(slash - rel)) : xstrdup("pages");
	const char *under = slash ? slash + 1 : rel;
	doc->id = strndup(under, strlen(under) - 3);
	doc->pos = json_object();   /* and no front matter: meta NULL, {} */
}

/*
 * Cells of the GitHub-style tables in a Markdown body, counted before it
 * is parsed, because the parser's cost grows with them: a 6 MB table took
 * 36 s and 1.45 GB. A table is a row holding '|' followed by a delimiter
 * row (only '|', ':', '-' and spaces), and runs to the next blank line;
 * fenced code is skipped. A row counts its '|' plus one, which
 * overcounts by at most one a row: a bound, not a census. Returns the
 * body line (0-based) where `max` is passed, or -1.
 */
static int table_cells_over(const char *body, size_t len, size_t max)
{
	size_t cells = 0;
	int line = 0, in_table = 0, fence = 0;
	const char *prev = NULL;
	size_t prev_len = 0;
	for (const char *p = body, *end = body + len; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *t = p;
		while (t < p + n && (*t == ' ' || *t == '\t'))
			t++;
		size_t tn = (size_t)(p + n - t);
		if (tn >= 3 && (!strncmp(t, "```", 3) || !strncmp(t, "~~~", 3))) {
			fence = !fence;
			in_table = 0;
		} else if (!fence) {
			size_t pipes = 0, dashes = 0, other = 0;
			for (size_t i = 0; i < tn; i++) {
				if (t[i] == '|' && (i == 0 || t[i - 1] != '\\'))
					pipes++;
				else if (t[i] == '-')
					dashes++;
				else if (t[i] != ':' && t[i] != ' ' && t[i] != '\t' && t[i] != '\r')
					other++;
			}
			if (!tn) {
				in_table = 0;
			} else if (!in_table && pipes && dashes && !other && prev &&
				   memchr(prev, '|', prev_len)) {
				in_table = 1;
				cells += 2 * (pipes + 1);  /* the header and this row */
			} else if (in_table) {
				cells += pipes + 1;
			}
			if (cells > max)
				return line;
		}
		prev = t;
		prev_len = tn;
		p = nl ? nl + 1 : end;
	}
	return -1;
}

/* What the loader itself reads of the front matter `meta`: the id and
 * whether it is a draft; ok when they are usable. */
static void doc_fields(nb_doc *doc, const json_t *meta, nb_diag *d)
{
	int line, col;
	json_t *id = json_object_get(meta, "id");
	if (id) {
		if (!json_is_string(id)) {
			nb_yaml_pos(doc->pos, "/id", 0, &line, &col);
			nb_error(d, doc->path, line, col, "id-type",
				 "write the id as text, e.g. id: \"2024-03-plenary\"",
				 "`id` must be text");
			return;
		}
		free(doc->id);
		doc->id = xstrdup(json_string_value(id));
	}
	if (!nb_content_id_valid(doc->id)) {
		nb_yaml_pos(doc->pos, "/id", 0, &line, &col);
		nb_error(d, doc->path, id ? line : 0, id ? col : 0, "id-invalid",
			 "use letters, digits, '-', '_' and '.', with '/' between parts; "
			 "no '..', no leading '/' or '.'",
			 "id `%s` cannot be used as a web address", doc->id);
		return;
	}
	json_t *draft = json_object_get(meta, "draft");
	doc->draft = draft && json_is_true(draft);
	doc->ok = 1;
}

/* Read and parse the started document `doc` from its file `abs`. */
static void load_doc(nb_doc *doc, const nb_config *cfg, const char *abs, nb_diag *d)
{
	int rc = nb_fs_read(abs, cfg->max_file_size, &doc->src, &doc->src_len);
	int e = errno;
	if (rc != 0) {
		char ebuf[128];
		if (e == EFBIG)
			nb_error(d, doc->path, 0, 0, "file-too-large",
				 "split the document, or raise limits.file_size in site.yaml",
				 "file is larger than the limit of %zu bytes",
				 cfg->max_file_size);
		else /* strerror_r: this runs on the pool's threads */
			nb_error(d, doc->path, 0, 0, "io", NULL, "cannot read file: %s",
				 strerror_r(e, ebuf, sizeof ebuf));
		return;
	}
	int line, col;
	if (nb_utf8_validate(doc->src, doc->src_len, &line, &col) != 0) {
		nb_error(d, doc->path, line, col, "utf8",
			 "save the file as UTF-8 (in most editors: Save with encoding → UTF-8)",
			 "the file is not valid UTF-8 text (or holds a NUL byte)");
		return;
	}
	nb_frontmatter fm;
	json_t *meta, *pos;
	int parsed = nb_frontmatter_parse(&fm, &meta, &pos, doc->src, doc->src_len, doc->path,
					  &cfg->yaml_limits, d);
	if (parsed == NB_FRONTMATTER_EFENCE)
		return;
	doc->body = fm.body;
	doc->body_len = fm.body_len;
	doc->body_line = fm.body_line;
	int over = table_cells_over(fm.body, fm.body_len, cfg->max_table_cells);
	if (over >= 0) {
		nb_error(d, doc->path, fm.body_line + over, 1, "markdown-table-limit",
			 "split the table over several documents, or attach it as a file "
			 "(e.g. CSV) beside the document; the limit is limits.table_cells in "
			 "site.yaml",
			 "the document's tables have more than %zu cells", cfg->max_table_cells);
		parsed = -1;
	}
	if (parsed != 0) {
		json_decref(meta);
		json_decref(pos);
		return;
	}
	/* Packed for the rest of the build (load/meta.c); the tree is read
	 * here for the id and draft, then freed. This runs in the load task,
	 * so no document's tree outlives its task. */
	nb_doc_meta_set(doc, meta);
	json_decref(doc->pos);
	doc->pos = pos;
	doc_fields(doc, meta, d);
	json_decref(meta);
}

/* Lines in the file, not the body, for the link checks. */
static void links_in_file(nb_doc *doc)
{
	size_t i;
	json_t *l;
	json_array_foreach(doc->links, i, l)
		json_object_set_new(l, "line", json_integer(json_integer_value(
			json_object_get(l, "line")) + doc->body_line - 1));
}

/* The body to HTML, text and toc, then the source gone unless a later
 * stage reads the body (nb_content_opts). A draft that is not published
 * is not rendered, but its links are still read: the files it links are
 * its attachments, not published until it is (attach.h). A document
 * that failed to load has nothing to render. */
static void render_body(nb_doc *doc, const nb_content_opts *o)
{
	if (doc->ok && (!doc->draft || o->drafts)) {
		nb_buf html = NB_BUF_INIT, text = NB_BUF_INIT;
		json_t *toc = NULL;
		nb_markdown_render_links(doc->body, doc->body_len, o->markdown, &html, &toc,
					 &text, &doc->links);
		links_in_file(doc);
		/* Headings hold integers and strings only, so the dump fails
		 * only for want of memory. */
		doc->toc = toc ? json_dumps(toc, JSON_COMPACT | JSON_REAL_PRECISION(17)) : strdup("[]");
		json_decref(toc);
		if (!doc->toc)
			abort();
		/* Kept until the end of the build: no slack from doubling. */
		doc->html = nb_buf_detach_fit(&html);
		doc->text = nb_buf_detach_fit(&text);
		doc->rendered = 1;
	} else if (doc->ok) {
		nb_buf html = NB_BUF_INIT;
		nb_markdown_render_links(doc->body, doc->body_len, o->markdown, &html, NULL, NULL,
					 &doc->links);
		links_in_file(doc);
		nb_buf_free(&html);
	}
	if (o->keep_body && o->keep_body(doc->kind))
		return;
	free(doc->src);
	doc->src = NULL;
	doc->src_len = 0;
	doc->body = NULL;
	doc->body_len = 0;
}

nb_digest nb_doc_body_digest(const char *html, size_t html_len, const char *toc,
			     size_t toc_len)
{
	nb_hash h;
	nb_hash_init(&h, 0x626f6479ULL);
	nb_hash_str(&h, html, html_len);
	nb_hash_str(&h, toc, toc_len);
	return nb_hash_final(&h);
}

/* body_key from the strings a fresh document holds ("" and "[]" when it
 * was not rendered). */
static void body_key(nb_doc *doc)
{
	const char *t = doc->toc ? doc->toc : "[]";
	const char *html = doc->html ? doc->html : "";
	doc->body_key = nb_doc_body_digest(html, strlen(html), t, strlen(t));
}

typedef struct load_job {
	const nb_config *cfg;
	const nb_content_opts *o;
	const char **rel;  /* the i-th Markdown file, in walk order */
	nb_doc *docs;
	nb_diag *diags;    /* one list per file */
	/* The memo (doccache.h), when there is one: */
	const nb_doccache *memo;
	long long now;
	unsigned char *restored;  /* docs[i] came from the memo */
	nb_buf *recs;             /* docs[i]'s new record, or empty */
	nb_doccache_scratch scratch;  /* fresh HTML and text until saved */
} load_job;

static void load_task(void *ud, size_t i)
{
	load_job *j = ud;
	nb_doc *doc = &j->docs[i];
	doc_start(doc, j->rel[i]);
	char *abs = nb_path_join(j->cfg->site_dir, doc->path);
	/* Stat before reading: a file changed in between is then recorded
	 * with its old stat, which the next build misses. */
	struct stat st;
	int have_st = j->memo && stat(abs, &st) == 0;
	int need_body = j->o && j->o->keep_body && j->o->keep_body(doc->kind);
	if (have_st && nb_doccache_restore(j->memo, &st, doc, need_body)) {
		j->restored[i] = 1;
	} else {
		load_doc(doc, j->cfg, abs, &j->diags[i]);
		if (j->o && j->o->markdown)
			render_body(doc, j->o);
		body_key(doc);
		/* A kept body (charters, whose articles are split from it) is
		 * recorded with the rest, so those restore too. */
		if (have_st && j->diags[i].len == 0 && (!doc->src || need_body))
			nb_doccache_encode(doc, &st, j->now, &j->recs[i]);
		if (j->memo)
			nb_doccache_spill(&j->scratch, doc, &j->recs[i]);
	}
	free(abs);
}

static int cmp_doc(const void *a, const void *b)
{
	return strcmp(((const nb_doc *)a)->path, ((const nb_doc *)b)->path);
}

int nb_content_load(nb_content *c, const nb_config *cfg, const nb_content_opts *o,
		    nb_diag *d)
{
	memset(c, 0, sizeof(*c));
	char *root = nb_path_join(cfg->site_dir, "content");
	if (!nb_fs_is_dir(root)) {
		nb_error(d, "content", 0, 0, "content-missing",
			 "create a content/ folder beside site.yaml, or run `noticeboard init`",
			 "the site has no content/ folder");
		free(root);
		return -1;
	}
	free(root);
	size_t before = d->errors;
	nb_strlist files = { 0 };
	if (nb_fs_walk_site(cfg->site_dir, "content", &files, d) != 0) {
		nb_strlist_free(&files);
		return -1;
	}
	size_t n_md = 0;
	for (size_t i = 0; i < files.len; i++)
		n_md += ends_with(files.items[i], ".md");
	c->docs = calloc(n_md ? n_md : 1, sizeof(nb_doc));
	c->assets = calloc(files.len - n_md + 1, sizeof(nb_asset));
	load_job job = { .cfg = cfg, .o = o, .rel = calloc(n_md ? n_md : 1, sizeof(char *)),
			 .docs = c->docs, .diags = calloc(n_md ? n_md : 1, sizeof(nb_diag)),
			 .scratch = { .fd = -1 } };
	if (!c->docs || !c->assets || !job.rel || !job.diags)
		abort();
	for (size_t i = 0; i < files.len; i++) {
		const char *rel = files.items[i];
		if (ends_with(rel, ".md")) {
			job.rel[c->len++] = rel;
		} else if (markdown_named(rel)) {
			report_extension(rel, d);
		} else {
			nb_asset *a = &c->assets[c->n_assets++];
			a->src = nb_path_join("content", rel);
			a->dest = xstrdup(rel);
			char *disk = nb_path_join(cfg->site_dir, a->src);
			nb_asset_vet(cfg, a->src, disk, d);
			free(disk);
		}
	}
	nb_doccache *memo = o && o->memo_salt
		? nb_doccache_open(cfg->site_dir, o->memo_name, o->memo_salt) : NULL;
	if (memo) {
		job.memo = memo;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		job.now = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
		job.restored = calloc(c->len + 1, 1);
		job.recs = calloc(c->len + 1, sizeof(nb_buf));
		if (!job.restored || !job.recs)
			abort();
		nb_doccache_scratch_open(&job.scratch, memo);
	}
	size_t jobs = nb_pool_jobs();
	nb_pool_wait(nb_pool_start(jobs < c->len ? jobs : c->len, c->len,
				   load_task, &job));
	for (size_t i = 0; i < c->len; i++)
		nb_diag_merge(d, &job.diags[i]);
	if (memo) {
		nb_doccache_save(memo, c->docs, c->len, job.recs, job.restored);
		c->n_files = nb_doccache_take_files(memo, c->files);
		/* Saving moved the recorded documents' text into `docs`; the
		 * scratch file stays only while a document still reads from
		 * it (one not recorded, or a memo that could not be written). */
		int scratch_used = 0;
		for (size_t i = 0; i < c->len && job.scratch.fd >= 0; i++)
			scratch_used |= c->docs[i].html_at.set && c->docs[i].html_at.fd == job.scratch.fd;
		if (scratch_used)
			c->files[c->n_files++] = job.scratch.fd;
		else if (job.scratch.fd >= 0)
			close(job.scratch.fd);
		for (size_t i = 0; i < c->len; i++) {
			c->reused += job.restored[i];
			nb_buf_free(&job.recs[i]);
			/* In the memo file now: read back when needed. */
			nb_doc *doc = &c->docs[i];
			if (doc->html_at.set) {
				free(doc->html);
				doc->html = NULL;
			}
			if (doc->text_at.set) {
				free(doc->text);
				doc->text = NULL;
			}
			if (doc->toc_at.set) {
				free(doc->toc);
				doc->toc = NULL;
			}
		}
		free(job.recs);
		free(job.restored);
		nb_doccache_close(memo);
	}
	free(job.diags);
	free(job.rel);
	nb_strlist_free(&files);
	qsort(c->docs, c->len, sizeof(nb_doc), cmp_doc);

	/* Ids are unique across the site, since references name only the id;
	 * and not only byte for byte: ids that differ only by case or by
	 * Unicode normalisation (nb_utf8_fold) are one page on a
	 * case-insensitive file system or server, and one to a reader. */
	json_t *seen = json_object();
	for (size_t i = 0; i < c->len; i++) {
		nb_doc *doc = &c->docs[i];
		if (!doc->ok)
			continue;
		char *folded = nb_utf8_fold(doc->id);
		json_t *prev = json_object_get(seen, folded);
		if (prev) {
			const nb_doc *other = &c->docs[json_integer_value(prev)];
			int line, col;
			nb_yaml_pos(doc->pos, "/id", 0, &line, &col);
			char hint[512];
			snprintf(hint, sizeof(hint),
				 "ids are unique across the site; %s already uses %s — "
				 "give this document another `id:`", other->path,
				 strcmp(other->id, doc->id) ? "one that differs only by upper and "
				 "lower case or by how its letters are composed" : "it");
			if (!strcmp(other->id, doc->id))
				nb_error(d, doc->path, line ? line : 1, col ? col : 1,
					 "id-duplicate", hint, "duplicate id `%s`", doc->id);
			else
				nb_error(d, doc->path, line ? line : 1, col ? col : 1,
					 "id-collision", hint,
					 "id `%s` is the same as `%s` but for case or Unicode "
					 "normalisation", doc->id, other->id);
			doc->ok = 0;
			free(folded);
			continue;
		}
		json_object_set_new(seen, folded, json_integer((json_int_t)i));
		free(folded);
	}
	json_decref(seen);
	return d->errors > before ? -1 : 0;
}

/* Sources and position tables are for loading, validation and linking;
 * after those the graph holds what rendering needs, and at 10,000
 * documents these two are a quarter of the build's memory. */
void nb_content_release_sources(nb_content *c, int (*keep)(const char *kind))
{
	/* One empty table for all: 10,000 of them were 2 MB. */
	json_t *none = json_object();
	for (size_t i = 0; i < c->len; i++) {
		nb_doc *doc = &c->docs[i];
		if (!keep || !keep(doc->kind)) {
			free(doc->src);
			doc->src = NULL;
			doc->src_len = 0;
			doc->body = NULL;
			doc->body_len = 0;
		}
		json_decref(doc->pos);
		doc->pos = json_incref(none);
	}
	json_decref(none);
}

/* A blob's bytes into `scratch`, NUL-terminated; `max` bytes at most. */
static const char *blob_read(const nb_blob *b, size_t max, nb_buf *scratch)
{
	size_t want = b->len < max ? b->len : max, got = 0;
	nb_buf_clear(scratch);
	nb_buf_grow(scratch, want + 1);
	while (got < want) {
		ssize_t r = pread(b->fd, scratch->ptr + got, want - got, b->off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return NULL;
		}
		got += (size_t)r;
	}
	scratch->len = want;
	scratch->ptr[want] = '\0';
	return scratch->ptr;
}

const char *nb_doc_html(const nb_doc *doc, nb_buf *scratch)
{
	if (doc->html_at.set)
		return blob_read(&doc->html_at, SIZE_MAX, scratch);
	return doc->html ? doc->html : "";
}

const char *nb_doc_text(const nb_doc *doc, size_t max, nb_buf *scratch)
{
	if (doc->text_at.set)
		return blob_read(&doc->text_at, max, scratch);
	return doc->text ? doc->text : "";
}

const char *nb_doc_toc_text(const nb_doc *doc, nb_buf *scratch)
{
	if (doc->toc_at.set)
		return blob_read(&doc->toc_at, SIZE_MAX, scratch);
	return doc->toc ? doc->toc : "[]";
}

int nb_doc_page_body(const nb_doc *doc, nb_buf *html_scratch, nb_buf *toc_scratch,
		     const char **html, const char **toc)
{
	*html = nb_doc_html(doc, html_scratch);
	*toc = nb_doc_toc_text(doc, toc_scratch);
	if (!*html || !*toc)
		return -1;
	if (!nb_digest_eq(nb_doc_body_digest(*html, strlen(*html), *toc, strlen(*toc)),
			  doc->body_key)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

json_t *nb_doc_toc_parse(const char *text, size_t len)
{
	json_t *toc = json_loadb(text, len, 0, NULL);
	if (!json_is_array(toc)) {
		json_decref(toc);
		errno = EIO;
		return NULL;
	}
	return toc;
}

json_t *nb_doc_toc(const nb_doc *doc)
{
	nb_buf b = NB_BUF_INIT;
	const char *text = nb_doc_toc_text(doc, &b);
	json_t *toc = text ? nb_doc_toc_parse(text, strlen(text)) : NULL;
	nb_buf_free(&b);
	return toc;
}

void nb_doc_unreadable(nb_diag *d, const nb_doc *doc)
{
	nb_error(d, doc->path, 0, 0, "io", "build again; if it recurs, delete .noticeboard-cache",
		 "cannot read back the document's body from the build cache: %s", strerror(errno));
}

void nb_content_free(nb_content *c)
{
	for (size_t i = 0; i < c->len; i++) {
		nb_doc *doc = &c->docs[i];
		free(doc->path);
		free(doc->kind);
		free(doc->id);
		nb_doc_meta_free(doc);
		json_decref(doc->pos);
		free(doc->src);
		free(doc->html);
		free(doc->text);
		free(doc->toc);
		json_decref(doc->links);
	}
	free(c->docs);
	for (int i = 0; i < c->n_files; i++)
		close(c->files[i]);
	for (size_t i = 0; i < c->n_assets; i++) {
		free(c->assets[i].src);
		free(c->assets[i].dest);
	}
	free(c->assets);
	memset(c, 0, sizeof(*c));
}

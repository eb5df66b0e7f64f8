/*
 * build.c - running the pipeline; see build.h.
 *
 * The output folder is only ever replaced when it is one this program made
 * (it holds a `.noticeboard-output` marker): a mistyped `output:` must
 * not wipe someone's documents.
 *
 * A rebuild updates the previous generation in place (claim_dir); that
 * folder is claimed and its walk (fs.h nb_fs_tidy, ~13,000 folders at
 * 10,000 documents) started on a thread once the documents are loaded, so
 * it runs on the other core while the main thread links, and the render stage, whose
 * main thread builds every page's context, no longer waits for it.
 */
#include "output/build.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/cache.h"
#include "config/config.h"
#include "load/content.h"
#include "util/diffmemo.h"
#include "util/clock.h"
#include "util/date.h"
#include "util/fs.h"
#include "graph/attach.h"
#include "graph/history.h"
#include "output/memo.h"
#include "output/sums.h"
#include "util/pool.h"
#include "render/notice.h"
#include "render/render.h"
#include "graph/site.h"
#include "template/theme.h"
#include "schema/validate.h"

#define MARKER ".noticeboard-output"

static int is_inside(const char *child, const char *parent)
{
	size_t n = strlen(parent);
	return strncmp(child, parent, n) == 0 && (child[n] == '/' || child[n] == '\0');
}

/* The folder `dir`, which does not exist, resolved as it will be once
 * made: the nearest folder above it resolved, the rest read as written,
 * `.` and `..` included, since a folder that making it adds is a plain
 * one and `x/..` is then where x was made. -1 when the rest passes
 * through something that exists and is no folder (a file, a link that
 * points nowhere): only making the folders would tell what it names. */
static int resolve_ahead(const char *dir, char out[PATH_MAX])
{
	char *head = strdup(dir);
	if (!head)
		abort();
	const char *rest = dir;
	int found = 0;
	while (!found) {
		char *slash = strrchr(head, '/');
		if (!slash) {
			found = realpath(".", out) != NULL;
			rest = dir;
			break;
		}
		*slash = '\0';
		rest = dir + (slash - head) + 1;
		found = realpath(head[0] ? head : "/", out) != NULL;
	}
	free(head);
	if (found && !nb_fs_is_dir(out))
		return errno = ENOTDIR, -1;
	for (const char *p = rest; found && *p;) {
		size_t n = strcspn(p, "/"), len = strlen(out);
		struct stat st;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* `out` is resolved: no link in it, so its parent is its
			 * dirname. */
			char *up = strrchr(out, '/');
			up[up == out] = '\0';
		} else if (n && !(n == 1 && p[0] == '.')) {
			size_t at = len == 1 ? 0 : len;
			if (at + 1 + n >= PATH_MAX)
				return errno = ENAMETOOLONG, -1;
			snprintf(out + at, PATH_MAX - at, "/%.*s", (int)n, p);
			/* Only past a `..` can the rest meet something that
			 * exists: a folder (or a link to one) is read as the
			 * kernel will read it. */
			char real[PATH_MAX];
			if (lstat(out, &st) == 0) {
				if (!realpath(out, real))
					return -1;
				if (!nb_fs_is_dir(real))
					return errno = ENOTDIR, -1;
				memcpy(out, real, strlen(real) + 1);
			}
		}
		p += n + strspn(p + n, "/");
	}
	return found ? 0 : -1;
}

/* Refuse output folders that would overwrite sources or foreign files:
 * NB_EXIT_CONTENT; NB_EXIT_IO when the disk fails us; NB_EXIT_OK. */
int nb_build_check_output(const nb_config *cfg, const char *out, nb_diag *d)
{
	char site_real[PATH_MAX], out_real[PATH_MAX];
	if (!realpath(cfg->site_dir, site_real)) {
		nb_error(d, "", 0, 0, "io", NULL, "cannot read %s: %s", cfg->site_dir,
			 strerror(errno));
		return NB_EXIT_IO;
	}
	/* The output may not exist yet: resolve its parent instead. */
	char *parent = strdup(out);
	char *slash = strrchr(parent, '/');
	const char *leaf = out;
	if (slash) {
		*slash = '\0';
		leaf = strrchr(out, '/') + 1;
	} else {
		free(parent);
		parent = strdup(".");
	}
	if (!parent[0]) {
		free(parent);
		parent = strdup("/");
	}
	/* A parent still to make is made only once the output is allowed:
	 * a refused `-o content/x/public` or `-o x/../content` must leave no
	 * x behind. A parent that cannot be read ahead (it passes through a
	 * file) cannot be made: the disk's refusal, as when making it fails,
	 * and as a staging folder beside a file (`-o notes.txt/public`). */
	int make_parent = 0;
	if (!realpath(parent, out_real)) {
		make_parent = 1;
		if (resolve_ahead(parent, out_real) != 0) {
			nb_error(d, "site.yaml", 0, 0, "output-invalid", NULL,
				 "cannot create the output folder's parent %s: %s", parent,
				 strerror(errno));
			free(parent);
			return NB_EXIT_IO;
		}
	}
	size_t n = strlen(out_real);
	snprintf(out_real + n, sizeof(out_real) - n, "/%s", leaf);
	/* The site's own folders: the sources (an output there would be read
	 * back as pages), the files published as they are and the themes (an
	 * output there is copied into the next output, or recorded by publish
	 * as the site's sources), and the caches. */
	static const char *const own[] = { "content", "static", "themes", NB_CACHE_DIR };
	int inside_own = 0;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		char own_real[PATH_MAX + 32];
		snprintf(own_real, sizeof(own_real), "%s/%s", site_real, own[i]);
		inside_own |= is_inside(out_real, own_real);
	}
	if (!strcmp(out_real, site_real) || is_inside(site_real, out_real) || inside_own ||
	    (strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0 || !leaf[0])) {
		nb_error(d, "site.yaml", 0, 0, "output-invalid",
			 "set `output:` to a folder of its own, e.g. `public`",
			 "output folder %s would overwrite the site's own files", out);
		free(parent);
		return NB_EXIT_CONTENT;
	}
	/* A disk full or a folder we may not write in is no fault of the
	 * content. */
	if (make_parent && nb_fs_mkdirs(parent) != 0) {
		nb_error(d, "site.yaml", 0, 0, "output-invalid", NULL,
			 "cannot create the output folder's parent %s: %s", parent, strerror(errno));
		free(parent);
		return NB_EXIT_IO;
	}
	free(parent);
	/* A link is not the folder it names: the swap would replace the
	 * link itself, and the folder a web server serves through it would
	 * never change again. */
	struct stat st;
	if (lstat(out, &st) == 0 && S_ISLNK(st.st_mode)) {
		nb_error(d, "site.yaml", 0, 0, "output-invalid",
			 "set `output:` (or -o) to the folder the link points to",
			 "output %s is a symbolic link; noticeboard replaces the folder it "
			 "builds, not what a link points to", out);
		return NB_EXIT_CONTENT;
	}
	/* A file there is not a folder to replace: the swap would move it
	 * aside and serve a folder in its place (`-o site.yaml`). */
	if (lstat(out, &st) == 0 && !nb_fs_is_dir(out)) {
		nb_error(d, "site.yaml", 0, 0, "output-invalid",
			 "choose a folder for the output, e.g. `public`",
			 "output %s is a file, not a folder", out);
		return NB_EXIT_CONTENT;
	}
	if (nb_fs_is_dir(out)) {
		char *marker = nb_path_join(out, MARKER);
		int ours = nb_fs_is_file(marker);
		free(marker);
		if (!ours) {
			char *probe = NULL;
			nb_strlist files = { 0 };
			nb_fs_walk(out, &files, NULL);
			size_t nfiles = files.len;
			nb_strlist_free(&files);
			free(probe);
			if (nfiles > 0) {
				nb_error(d, "site.yaml", 0, 0, "output-foreign",
					 "move those files away or choose another `output:`; "
					 "noticeboard only replaces folders it created",
					 "output folder %s holds files noticeboard did not write", out);
				return NB_EXIT_CONTENT;
			}
		}
	}
	return NB_EXIT_OK;
}

/*
 * The previous generation. Rebuilding used to mean a fresh staging tree
 * (on a disk at 10,000 documents: 10,000 folders and 11,000 hard links
 * made, and as many entries deleted from the tree it replaced, a second of
 * a two-second rebuild) although a secretary's edit changes a handful of
 * files. So the tree a build replaces is kept beside the output as
 * `<output>.previous` (NB_CACHE_PREVIOUS), never served, and the next
 * build brings it up to date in place (render.h: files already right are
 * left alone, others replaced, never written through, stale ones deleted)
 * and swaps it in with the same atomic exchange; the served folder is
 * still only ever the old site or the new one. It is used only when it
 * holds our marker and this build holds its lock (flock on the folder; a
 * concurrent build falls back to a fresh staging folder), and it may be
 * deleted at any time: the next build then writes a fresh tree again.
 * `publish` (which passes `reuse`) keeps its own side folder.
 *
 * Returns the locked folder's descriptor (the output itself for
 * `update_output`), or -1 to build fresh.
 */
static int claim_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0 ||
	    fstatat(fd, MARKER, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

int nb_build_claim_previous(const char *out)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s" NB_CACHE_PREVIOUS, out);
	return claim_dir(path);
}

/* The replaced output folder, deleted on a thread of its own. */
typedef struct old_output {
	char path[4200];
	int rc, err;
} old_output;

typedef struct validate_job {
	const nb_content *c;
	const nb_config *cfg;
	nb_diag d;
} validate_job;

static void *validate_main(void *ud)
{
	validate_job *j = ud;
	nb_validate(j->c, j->cfg, &j->d);
	return NULL;
}

static void *delete_main(void *ud)
{
	old_output *t = ud;
	t->rc = nb_fs_rmtree(t->path);
	t->err = t->rc ? errno : 0;
	return NULL;
}

/* The generation to update in place, tidied (render.h nb_render_earlier)
 * on a thread of its own while the main thread links: at 10,000 pages
 * the walk of its ~13,000 folders was a fifth of a rebuild's render
 * stage, all of it in front of the first page. */
typedef struct tidy_job {
	char dir[4200];
	nb_render_earlier earlier;
} tidy_job;

static void *tidy_main(void *ud)
{
	tidy_job *t = ud;
	t->earlier.err = nb_fs_tidy(t->dir, &t->earlier.files) != 0 ? errno : 0;
	return NULL;
}

/* The page memo's record saved (memo.h nb_memo_save: a stamp of every
 * output file, and a wait of up to 50 ms for the newest to settle) on a
 * thread of its own while the main thread frees the graph (finish). The
 * memo is the thread's alone until finish joins it. */
static void *save_main(void *ud)
{
	nb_memo_save(ud);
	return NULL;
}

/* The site graph, in the order data flows: documents linked (site.h),
 * then what is added to the typed site: attachments, the printed notice,
 * the history pages from the publication record. */
static void link_graph(nb_site *site, const nb_config *cfg, const nb_content *content,
		       const nb_theme *theme, const nb_site_opts *so, const json_t *history,
		       nb_diag *d)
{
	nb_site_link(site, cfg, content, theme, so, d);
	nb_attach_link(site, content, d);
	nb_notice_link(site, d);
	nb_history_link(site, history);
}

/* What one build holds while it runs, for its steps below. */
typedef struct build_run {
	nb_config cfg;
	const char *out;
	char out_buf[4096];  /* `out` without trailing slashes */
	json_t *history;
	const char *as_of;
	char today[11];      /* as_of when none is given or recorded: read once,
			      * so the key and the pages judge the same day */
	nb_cache_key key;
	nb_clock clk;      /* NB_BUILD_STATS=1: each stage's time and memory */
	int stats;
	nb_theme theme;
	nb_content content;
	nb_site site;
	nb_memo *memo;
	nb_diffmemo *diffs;  /* charter comparisons' diffs (util/diffmemo.h) */
	int prev_lock, exchanged, deleting;
	int claimed, direct, tidying; /* claim_ahead */
	int saving;                   /* save_main */
	pthread_t deleter, tidier, saver;
	tidy_job tidy;
	old_output old_tree;
	/* A publication's predecessor, whose unchanged pages it keeps
	 * (pubtag.h): given by publish, or opened here (hprev). */
	nb_pubtag_previous prev;
	int have_prev;
	nb_history_prev *hprev;
} build_run;

/* The no-op shortcut (cache.h): same inputs, same options, and the
 * output folder still the one the recorded build left. Only after a build
 * without any diagnostic, so warnings are never swallowed. 1 when the
 * output is fresh (the result filled from the record), else 0.
 *
 * Not for publish's side folder (`reuse`): it is the served folder's
 * previous generation moved there, or new, and is swapped in or removed
 * when the publish ends, so no record of it can match the next time (the
 * folder's identity is in the key). Making the key walked the served
 * folder too, which is not the output here: 0.35 s of a re-publish at
 * 10,000 documents, for a record never read. */
static int fresh_output(build_run *b, const nb_build_opts *o, const nb_history_src *hs,
			nb_build_result *r, nb_diag *d)
{
	if (!o->check_only && !o->reuse && d->len == 0) {
		nb_cache_key_make(&b->key, b->cfg.site_dir, b->out, b->as_of, o->drafts);
		/* A history given (publish's, with its pending entry) by its
		 * text; one read from the repository by its chain, which fixes
		 * it, so a fresh output never reads it (history.h). */
		if (o->history)
			nb_history_key(b->key.hex, b->history);
		else
			nb_history_src_key(b->key.hex, hs);
		/* The pages name the publication they are (sums.h, site.h),
		 * or the one before that served them so (pubtag.h). */
		if (o->publication) {
			json_t *pub = json_pack("{s:I, s:s}", "publication", (json_int_t)o->publication,
						"previous", o->previous && o->previous->id ? o->previous->id : "");
			nb_history_key(b->key.hex, pub);
			json_decref(pub);
		}
		nb_cache_counts cc;
		if (nb_cache_fresh(&b->key, b->cfg.site_dir, b->out, &cc)) {
			r->documents = cc.documents;
			r->pages = cc.pages;
			r->files = cc.files;
			r->bytes = cc.bytes;
			if (b->stats)
				fprintf(stderr, "stats: written 0, unchanged %zu\n", cc.files);
			return 1;
		}
	}
	return 0;
}

/* The folder write_generation will update in place, claimed as it would
 * claim it and its tidying started, once the documents are loaded: the walk costs
 * the other core, not the render stage's main thread. Silent: an output
 * that nb_build_check_output refuses is left unclaimed, for write_generation to
 * report after the content's diagnostics as always. A folder that exists
 * has a parent, so nb_build_check_output creates nothing here. */
static void claim_ahead(build_run *b, const nb_build_opts *o)
{
	char previous[4200];
	snprintf(previous, sizeof(previous), "%s" NB_CACHE_PREVIOUS, b->out);
	b->direct = o->update_output && (b->prev_lock = claim_dir(b->out)) >= 0;
	if (!b->direct && !o->reuse)
		b->prev_lock = claim_dir(previous);
	if (b->prev_lock < 0)
		return;
	nb_diag scratch;
	nb_diag_init(&scratch);
	int ok = nb_build_check_output(&b->cfg, b->out, &scratch) == 0;
	nb_diag_free(&scratch);
	if (!ok) {
		close(b->prev_lock);
		b->prev_lock = -1;
		return;
	}
	b->claimed = 1;
	snprintf(b->tidy.dir, sizeof(b->tidy.dir), "%s", b->direct ? b->out : previous);
	b->tidying = pthread_create(&b->tidier, NULL, tidy_main, &b->tidy) == 0;
	if (!b->tidying)
		tidy_main(&b->tidy);
}

static void tidy_join(build_run *b)
{
	if (b->tidying)
		pthread_join(b->tidier, NULL);
	b->tidying = 0;
}

/* Theme and documents loaded, then validated beside linking. */
static void load_and_link(build_run *b, const nb_build_opts *o, nb_build_result *r,
			  nb_diag *d)
{
	nb_theme_load(&b->theme, &b->cfg, d);
	/* Markdown is rendered while loading, sources freed as it goes,
	 * except the bodies linking reads (content.h). */
	nb_markdown_opts mo = { b->cfg.unsafe_html };
	/* The memo of loaded documents (doccache.h): its salt is everything
	 * besides a file that decides what loading it gives. */
	char program[256], salt[512];
	nb_cache_program(program, sizeof(program));
	snprintf(salt, sizeof(salt),
		 "markdown %d drafts %d yaml %d %zu %zu %zu file %zu cells %zu program %s",
		 b->cfg.unsafe_html, o->drafts, b->cfg.yaml_limits.max_depth,
		 b->cfg.yaml_limits.max_aliases, b->cfg.yaml_limits.max_nodes,
		 b->cfg.yaml_limits.max_scalar, b->cfg.max_file_size, b->cfg.max_table_cells,
		 program);
	nb_content_opts co = { &mo, o->drafts, nb_site_reads_body,
			       o->drafts ? "docs-preview" : "docs", program[0] ? salt : NULL };
	nb_content_load(&b->content, &b->cfg, &co, d);
	if (b->stats)
		fprintf(stderr, "stats: documents %zu, reused %zu\n", b->content.len,
			b->content.reused);
	/* After loading, whose pool has both cores, beside linking. */
	if (!o->check_only)
		claim_ahead(b, o);
	/* Validation and linking overlap: both only read the documents
	 * (linking takes its references on this thread; validation touches
	 * no reference count but of its own values, see validate.h), and
	 * their diagnostics are merged in the serial order, validation's
	 * first. Joined before the sources it reads are released. */
	validate_job vj = { &b->content, &b->cfg, { 0 } };
	nb_diag_init(&vj.d);
	pthread_t validator;
	const int validating = nb_pool_jobs() > 1 &&
			       pthread_create(&validator, NULL, validate_main, &vj) == 0;
	if (!validating)
		validate_main(&vj);
	nb_clock_stage(&b->clk, "load");
	nb_diag link_d;
	nb_diag_init(&link_d);
	/* Charter comparisons' article diffs (diffmemo.h): a diff depends on
	 * its two texts and the program alone. Two files, as for the
	 * document memo, so a preview does not evict a build's diffs. */
	nb_diffmemo *diffs = NULL;   /* used by the comparison views, saved after rendering */
	if (program[0]) {
		char *path = nb_path_join(b->cfg.site_dir, o->drafts ? NB_CACHE_DIR "/charter-diffs-preview"
								     : NB_CACHE_DIR "/charter-diffs");
		snprintf(salt, sizeof(salt), "chardiff program %s", program);
		nb_diffmemo_open(&diffs, path, salt);
		free(path);
	}
	nb_site_opts so = { b->as_of, o->drafts, o->publication, diffs };
	b->diffs = diffs;
	link_graph(&b->site, &b->cfg, &b->content, &b->theme, &so, b->history, &link_d);
	/* The history as read is linked (its own copies in the graph): not
	 * held through rendering. The as-of date may have been its. */
	b->as_of = b->site.as_of;
	json_decref(b->history);
	b->history = NULL;
	if (validating)
		pthread_join(validator, NULL);
	nb_diag_merge(d, &vj.d);
	nb_diag_merge(d, &link_d);
	r->documents = b->site.len;
	nb_content_release_sources(&b->content, nb_site_reads_body);
	nb_clock_stage(&b->clk, "link");
}

/* What rendering read: the graph, the documents and the theme (each
 * left empty, so finish() may free it again). */
static void release_graph(build_run *b)
{
	json_decref(b->history);
	b->history = NULL;
	nb_site_free(&b->site);
	nb_content_free(&b->content);
	nb_theme_free(&b->theme);
}

/* Render into the previous generation, the output itself or a staging
 * folder, and make it the served one. Returns the exit code. */
static int write_generation(build_run *b, const nb_build_opts *o, nb_build_result *r,
			    nb_diag *d)
{
	int rc = NB_EXIT_OK;
	int refused = nb_build_check_output(&b->cfg, b->out, d);
	if (refused)
		return refused;
	/* The previous generation (see claim_dir) is updated in place
	 * when it can be, or the output itself when it is not served;
	 * otherwise a fresh staging folder. */
	char staging[4200], previous[4200];
	snprintf(previous, sizeof(previous), "%s" NB_CACHE_PREVIOUS, b->out);
	const int direct = b->claimed ? b->direct
				      : o->update_output && (b->prev_lock = claim_dir(b->out)) >= 0;
	if (!b->claimed && !direct && !o->reuse)
		b->prev_lock = claim_dir(previous);
	const int in_place = b->prev_lock >= 0;
	if (in_place) {
		snprintf(staging, sizeof(staging), "%s", direct ? b->out : previous);
	} else {
		snprintf(staging, sizeof(staging), "%s.staging-%ld", b->out, (long)getpid());
		nb_fs_rmtree(staging);
		if (nb_fs_mkdirs(staging) != 0) {
			nb_error(d, "", 0, 0, "io", NULL, "cannot create %s: %s", staging,
				 strerror(errno));
			return NB_EXIT_IO;
		}
	}
	nb_render_stats st;
	/* Reuse identical files from the live folder only when it is ours
	 * (nb_build_check_output let it through, so it is ours or empty). */
	const char *from = o->reuse ? o->reuse : b->out;
	char *live_marker = nb_path_join(from, MARKER);
	const char *reuse = nb_fs_is_file(live_marker) ? from : NULL;
	free(live_marker);
	/* The page memo (memo.h) of the folder that is served: `out`
	 * for a build, which swaps into it; for publish the live folder,
	 * whose files the skipped pages are linked from into the side
	 * folder, and which publish saves after serving the side; a first
	 * publish too (nothing served yet, so nothing recorded to reuse),
	 * or the next one would render every page and compare each with
	 * the record (pubtag.h). */
	if (!o->reuse && !o->update_output)
		b->memo = nb_memo_open(b->cfg.site_dir, b->out);
	else if (o->reuse && o->update_output)
		b->memo = nb_memo_open(b->cfg.site_dir, o->reuse);
	if (b->memo && b->have_prev)
		nb_memo_previous(b->memo, b->prev.id);
	tidy_join(b);
	nb_render_site_tidied(&b->site, &b->content, staging, reuse, in_place, b->memo,
			      b->claimed ? &b->tidy.earlier : NULL, b->have_prev ? &b->prev : NULL,
			      &st, d);
	/* Every comparison's view was made (its page key needs it), so the
	 * diff memo now holds exactly the diffs this site uses. */
	if (b->stats) {
		size_t reused, made;
		nb_diffmemo_counts(b->diffs, &reused, &made);
		fprintf(stderr, "stats: charter diffs %zu, reused %zu\n", reused + made, reused);
	}
	nb_diffmemo_save(b->diffs);
	nb_clock_stage(&b->clk, "render");
	if (b->stats)
		fprintf(stderr, "stats: rendered %zu, skipped %zu; feeds and open data %s; "
			"search index %s\n", st.pages - st.skipped, st.skipped,
			st.feeds_reused ? "reused" : "made",
			st.search_reused ? "reused" : "made");
	if (b->stats && st.search_docs)
		fprintf(stderr, "stats: search index: tokenized %zu of %zu documents, made %zu of "
			"%zu shard and chunk files\n", st.search_tokenized, st.search_docs,
			st.search_made, st.search_files);
	/* A publication's digests read the output back (below): the graph,
	 * the documents and the theme are not needed for that, and holding
	 * them through it put the digests' lists (about 40 MB at 50,000
	 * documents) on top of the graph: the publish's peak of memory. A
	 * plain build frees them in finish(), beside the memo's saving. */
	if (o->publication)
		release_graph(b);
	char *marker = nb_path_join(staging, MARKER);
	static const char note[] =
		"This folder was written by noticeboard and is replaced whole by each build.\n";
	unlink(marker);
	if (nb_fs_write(marker, note, sizeof(note) - 1) != 0)
		nb_error(d, "", 0, 0, "io", "check free disk space and permissions",
			 "cannot write %s: %s", marker, strerror(errno));
	free(marker);
	/* A publication's output lists its files' SHA-256 (sums.h), each
	 * read unless the site's digest memo knows it: one memo per site,
	 * since it finds files by device and inode, whatever folder holds
	 * them. */
	if (o->publication && !d->errors) {
		char *memo = b->memo ? nb_cache_file(b->cfg.site_dir, "sums", "") : NULL;
		if (nb_sums_write(staging, memo, o->update_output ? &r->walked : NULL) != 0)
			nb_error(d, "", 0, 0, "io", NULL, "cannot write %s/%s: %s", staging,
				 NB_SUMS_FILE, strerror(errno));
		free(memo);
	}
	r->pages = st.pages;
	r->files = st.files;
	r->bytes = st.bytes;
	/* A failed build leaves a previous generation half updated: it is
	 * not served, and the next build compares every file anyway. */
	if (d->errors) {
		if (!in_place)
			nb_fs_rmtree(staging);
		int io = 0;
		for (size_t i = 0; i < d->len; i++)
			io |= !strcmp(d->items[i].code, "io");
		rc = io ? NB_EXIT_IO : NB_EXIT_CONTENT;
	} else if (direct) {
		nb_clock_stage(&b->clk, "swap");
		if (b->stats)
			fprintf(stderr, "stats: written %zu, unchanged %zu\n",
				st.files - st.unchanged, st.unchanged);
	} else if (nb_fs_exchange_dir(staging, b->out, &b->exchanged) != 0) {
		nb_error(d, "", 0, 0, "io", NULL, "cannot replace %s: %s", b->out,
			 strerror(errno));
		if (!in_place)
			nb_fs_rmtree(staging);
		rc = NB_EXIT_IO;
	} else {
		/* The replaced site is no longer served. Kept as the
		 * previous generation, the next build updates it instead
		 * of creating and deleting a whole tree. When it cannot
		 * be kept, deleting it (a second on a disk at 10,000
		 * pages) overlaps with freeing the graph. */
		if (b->exchanged && !in_place &&
		    (o->reuse || nb_fs_rename_noreplace(staging, previous) != 0)) {
			snprintf(b->old_tree.path, sizeof(b->old_tree.path), "%s", staging);
			b->deleting = pthread_create(&b->deleter, NULL, delete_main,
						     &b->old_tree) == 0;
			if (!b->deleting)
				delete_main(&b->old_tree);
		}
		if (b->memo && !o->update_output) {
			b->saving = pthread_create(&b->saver, NULL, save_main, b->memo) == 0;
			if (!b->saving)
				nb_memo_save(b->memo);
		}
		nb_clock_stage(&b->clk, "swap");
		if (b->stats)
			fprintf(stderr, "stats: written %zu, unchanged %zu\n",
				st.files - st.unchanged, st.unchanged);
		if (d->len == 0) {
			nb_cache_counts cc = { r->documents, r->pages, r->files, r->bytes };
			nb_cache_record(&b->key, b->cfg.site_dir, b->out, &cc);
		}
	}
	return rc;
}

/* Whether a plain build is about to replace the output of a publication:
 * only a publication writes manifest.sha256 (sums.h). A build after a
 * publish is the usual way to preview an edit, and it changes what the
 * served folder's residents read while the record says otherwise. */
static int over_publication(const build_run *b, const nb_build_opts *o)
{
	if (o->publication || o->reuse)
		return 0;
	char *sums = nb_path_join(b->out, NB_SUMS_FILE);
	int is = nb_fs_is_file(sums);
	free(sums);
	return is;
}

/* What the build held, released; the old tree's deletion joined. */
static int finish(build_run *b, nb_diag *d, int rc)
{
	tidy_join(b);
	nb_strlist_free(&b->tidy.earlier.files);
	/* The graph first, beside the memo's saving (save_main); the
	 * output's lock is held until that is done. */
	release_graph(b);
	if (b->saving)
		pthread_join(b->saver, NULL);
	b->saving = 0;
	nb_memo_free(b->memo);
	nb_diffmemo_free(b->diffs);
	nb_history_previous_free(b->hprev);
	if (b->prev_lock >= 0)
		close(b->prev_lock);
	if (b->deleting)
		pthread_join(b->deleter, NULL);
	if (b->old_tree.rc != 0) {
		nb_error(d, "", 0, 0, "io", "delete it by hand; the new site is already served",
			 "cannot delete the previous output (now at %s): %s", b->old_tree.path,
			 strerror(b->old_tree.err));
		rc = NB_EXIT_IO;
	}
	nb_config_free(&b->cfg);
	if (b->clk.on)
		nb_clock_stage(&b->clk, "free");
	return rc;
}

int nb_build_run(const nb_build_opts *o, nb_build_result *r, nb_diag *d)
{
	build_run run = { .prev_lock = -1, .old_tree = { "", 0, 0 } }, *b = &run;
	memset(r, 0, sizeof(*r));
	if (nb_config_load(&b->cfg, o->site_dir, d) != 0) {
		int io = 0;
		for (size_t i = 0; i < d->len; i++)
			io |= !strcmp(d->items[i].code, "io");
		nb_config_free(&b->cfg);
		return io ? NB_EXIT_IO : NB_EXIT_CONTENT;
	}
	/* `-o www/` is www: with the slash kept, its last part is empty
	 * (refused as the site's own files) and the staging and previous
	 * folders would be made inside it. */
	b->out = o->output ? o->output : b->cfg.output_path;
	size_t n = strlen(b->out);
	if (n < sizeof(b->out_buf)) {
		memcpy(b->out_buf, b->out, n + 1);
		while (n > 1 && b->out_buf[n - 1] == '/')
			b->out_buf[--n] = '\0';
		b->out = b->out_buf;
	}
	snprintf(r->output, sizeof(r->output), "%s", b->out);
	/* The publication history is an input like the sources (history.h):
	 * named by its chain for the key, read only when the output is not
	 * fresh, or first when the as-of date comes from it. */
	nb_history_src hs = { 0 };
	if (o->history) {
		b->history = json_incref((json_t *)o->history);
	} else if (!o->check_only &&
		   (nb_history_find(&hs, &b->cfg, o->audit_repo, o->publication, d) != 0 ||
		    (!o->as_of && o->publication &&
		     nb_history_read(&hs, &b->cfg, &b->history, d) != 0))) {
		nb_config_free(&b->cfg);
		return NB_EXIT_USAGE;
	}
	/* Rebuilding a publication judges deadlines as it did. */
	b->as_of = o->as_of;
	if (!b->as_of && o->publication && b->history)
		b->as_of = json_string_value(json_object_get(
			json_array_get(b->history, json_array_size(b->history) - 1), "as_of"));
	if (!b->as_of) {
		nb_date_today(b->today);
		b->as_of = b->today;
	}
	b->key = (nb_cache_key){ .hex = "" };
	b->stats = getenv("NB_BUILD_STATS") != NULL;
	if (fresh_output(b, o, &hs, r, d)) {
		json_decref(b->history);
		nb_config_free(&b->cfg);
		return NB_EXIT_OK;
	}
	nb_clock_start(&b->clk, b->stats, "");
	if (!b->history && hs.upto) {
		if (nb_history_read(&hs, &b->cfg, &b->history, d) != 0) {
			nb_config_free(&b->cfg);
			return NB_EXIT_USAGE;
		}
		if (b->stats)
			fprintf(stderr, "stats: history of %zu publications %s\n", hs.upto,
				hs.remembered ? "remembered by the last publish" : "read from the repository");
		nb_clock_stage(&b->clk, "history");
	}
	/* A publication after the first keeps its predecessor's unchanged
	 * pages (pubtag.h): publish's, or read from the record. */
	if (!o->check_only && o->publication > 1) {
		if (o->previous) {
			b->prev = *o->previous;
			b->have_prev = 1;
		} else if (nb_history_previous_open(&b->hprev, &hs, &b->cfg, o->publication, d) == 0) {
			b->prev = (nb_pubtag_previous){ nb_history_previous_page, b->hprev,
							nb_history_previous_id(b->hprev) };
			b->have_prev = 1;
		} else {
			return finish(b, d, NB_EXIT_USAGE);
		}
	}
	load_and_link(b, o, r, d);
	int rc = NB_EXIT_OK;
	if (d->errors)
		rc = NB_EXIT_CONTENT;
	else if (!o->check_only) {
		int over = over_publication(b, o);
		rc = write_generation(b, o, r, d);
		if (rc == NB_EXIT_OK && over)
			nb_warning(d, "", 0, 0, "output-unrecorded",
				   "run `noticeboard publish` to record and serve the site; to preview "
				   "without touching what is served, use `noticeboard serve` or "
				   "`build -o` another folder",
				   "%s served a publication; this build replaced it with pages no "
				   "publication recorded: residents read them now, and `verify` and "
				   "auditors report the difference", b->out);
	}
	if (o->update_output && rc == NB_EXIT_OK) {
		r->memo = b->memo;   /* publish saves it once it serves the output */
		b->memo = NULL;
	}
	return finish(b, d, rc);
}

/*
 * cmd_publish.c - `noticeboard publish`: build, then record the publication
 * in the audit repository (see audit.h for the layout).
 *
 * Order of steps, chosen so that a publish killed at any moment leaves the
 * served folder old or new and the branch at the old or new publication:
 *
 *   1. take the lock (a second publish waits or fails clearly);
 *   2. check the history is intact (refuse a rewritten branch);
 *   3. hash the sources; when they equal the last publication's, rebuild
 *      that publication (history up to it) and, if the output is the same
 *      too, record nothing. Otherwise build into a side folder
 *      `<output>.staging-publish` (the output's previous generation,
 *      build.c, moved there and updated in place when there is one),
 *      not the live one, so a refused or
 *      failed publish changes nothing that is served; the build shows the
 *      publication history including this pending one (history.h), so the
 *      recorded output already lists itself. "Unchanged" cannot be judged
 *      from the output: the history pages make every new publication's
 *      output differ from the last one's;
 *   4. write objects, the commit and its tag object - a big publication's
 *      into one pack, a small one's loose (audit.h) - and make them
 *      durable, then move the branch (one atomic ref update), then point
 *      pub-N at the tag;
 *   5. swap the side folder in (one atomic rename); what was served
 *      becomes the previous generation.
 *
 * A kill between 4 and 5 leaves the new publication recorded and the old
 * site served; `noticeboard verify` reports exactly that, and the next
 * publish (which records nothing new) serves it.
 *
 * A re-publish after one edit costs what changed, not the size of the
 * site: sources and output files whose inode is unchanged keep their blob
 * ids without being read (audit.h), trees are hashed in memory and only
 * folders that differ from the last publication's are looked at and
 * written, manifest.json is written without a JSON library's per-token
 * cost, and the last publication's document map and history come from a
 * record kept by the previous publish (see pub_cache) instead of parsing
 * every manifest in the history. None of it changes a byte of what is
 * recorded: the shortcuts only decide what needs reading and writing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "util/buf.h"
#include "output/build.h"
#include "output/cache.h"
#include "cli/cli.h"
#include "config/config.h"
#include "util/fs.h"
#include "graph/history.h"
#include "output/memo.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] publish [-m MESSAGE] [--as \"NAME <EMAIL>\"]\n"
	"                   [--as-of DATE] [--allow-empty] [--wait SECONDS]\n\n"
	"Builds the site, then records the publication in the audit repository\n"
	"(site.yaml audit.repository, default audit.git): one commit tagged pub-N\n"
	"holding the sources (drafts never), the exact output and manifest.json.\n"
	"Publishing unchanged content records nothing.\n\n"
	"  -m, --message MSG  what this publication is about\n"
	"  --as WHO           the publisher, \"NAME <EMAIL>\" (default: $NB_PUBLISHER,\n"
	"                     then $GIT_AUTHOR_NAME/$GIT_AUTHOR_EMAIL, then git's\n"
	"                     user.name/user.email)\n"
	"  --as-of DATE       judge deadlines as of DATE (YYYY-MM-DD); default today;\n"
	"                     recorded so the output can be rebuilt byte for byte\n"
	"  --allow-empty      record a publication even when nothing changed\n"
	"  --wait SECONDS     wait this long for another publish to finish (default 0)\n";

static int valid_date(const char *s)
{
	int y, m, d;
	char extra;
	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3 &&
	       m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* Remove staging folders left by killed publishes (we hold the lock). */
static void clean_stale(const char *side)
{
	char *dir = strdup(side);
	if (!dir)
		abort();
	char *slash = strrchr(dir, '/');
	const char *leaf = slash ? slash + 1 : side;
	if (slash)
		*slash = '\0';
	DIR *d = opendir(slash ? dir : ".");
	if (d) {
		size_t n = strlen(leaf);
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strncmp(e->d_name, leaf, n) && !strncmp(e->d_name + n, ".staging-", 9)) {
				char *p = slash ? nb_path_join(dir, e->d_name) : strdup(e->d_name);
				nb_fs_rmtree(p);
				free(p);
			}
		}
		closedir(d);
	}
	free(dir);
	nb_fs_rmtree(side);
}

/*
 * Deleting the site a publication replaced: 20,000 entries, most of what
 * serving a re-publish costs. By descriptor: one getdents64 listing per
 * folder and one unlinkat per entry, its type taken from the listing,
 * where a path-based removal (nb_fs_rmtree) pays a path walk and an lstat
 * per entry. Symlinks are removed, never followed.
 */
struct pub_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int drop_dir(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	nb_buf list = NB_BUF_INIT;
	int rc = 0;
	for (;;) {
		nb_buf_grow(&list, 32768);
		ssize_t n = getdents64(fd, list.ptr + list.len, list.cap - list.len - 1);
		if (n <= 0) {
			rc = n < 0 ? -1 : 0;
			break;
		}
		list.len += (size_t)n;
	}
	for (size_t off = 0; off < list.len;) {
		const struct pub_dirent64 *e = (const struct pub_dirent64 *)(list.ptr + off);
		off += e->d_reclen;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		int dir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;
			dir = fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			      S_ISDIR(st.st_mode);
		}
		if (dir ? drop_dir(fd, e->d_name) : unlinkat(fd, e->d_name, 0))
			rc = -1;
	}
	nb_buf_free(&list);
	close(fd);
	if (unlinkat(parent, name, AT_REMOVEDIR) != 0)
		rc = -1;
	return rc;
}

/* Serve `side` in place of `live` (one atomic exchange, as nb_fs_swap_dir
 * does). What was served before becomes the output's previous generation
 * (build.c), which the next build or publish updates in place, or is
 * deleted when one is there already. 0, or -1 with errno when the
 * exchange failed (a failed deletion only leaves a stale folder, which the
 * next publish removes). */
static int serve_side(const char *side, const char *live)
{
	/* Durable before served, and the exchange itself durable after: a
	 * publication reported as served is served after a power cut too. */
	int exchanged;
	if (nb_fs_sync_tree(side) != 0 || nb_fs_exchange_dir(side, live, &exchanged) != 0)
		return -1;
	char *parent = nb_path_join(live, "..");
	int synced = nb_fs_fsync_dir(parent);
	free(parent);
	if (synced != 0)
		return -1;
	if (!exchanged)
		return 0;
	char prev[4200];
	snprintf(prev, sizeof(prev), "%s" NB_CACHE_PREVIOUS, live);
	if (nb_fs_rename_noreplace(side, prev) == 0)
		return 0;
	if (drop_dir(AT_FDCWD, side) != 0)
		nb_fs_rmtree(side);
	return 0;
}

/* The output's previous generation, when there is one of ours that no
 * build holds, becomes the side folder: the build then updates it in
 * place (nb_build_opts.update_output) instead of writing a whole tree. */
static void take_previous(const char *live, const char *side)
{
	int fd = nb_build_claim_previous(live);
	if (fd < 0)
		return;
	char prev[4200];
	snprintf(prev, sizeof(prev), "%s" NB_CACHE_PREVIOUS, live);
	if (rename(prev, side) != 0)
		nb_fs_rmtree(side);
	close(fd);
}


/* Whether the last publication's `name` folder is the tree id `id`. */
static int same_as_recorded(const nb_tree *recorded, const char *name,
			    const nb_audit_tree *t)
{
	nb_oid id;
	const nb_oid *old = nb_tree_entry_id(recorded, name);
	return old && nb_audit_tree_id(t, name, &id) == 0 && nb_oid_equal(old, &id);
}

typedef struct pub_opts {
	const char *message, *as, *as_of;
	int allow_empty, wait;
} pub_opts;

/* Build into the side folder with the given history. An NB_EXIT_* code;
 * on failure the side folder is removed and the reason printed. */
static int build_side(const nb_cli *cli, const nb_config *cfg, const pub_opts *po,
		      const char *side, const json_t *history, nb_memo **memo)
{
	/* An earlier try's memo (same sources, but the output changed) is
	 * of a side folder that is gone. */
	nb_memo_free(*memo);
	*memo = NULL;
	/* Unchanged files are hard-linked from the served folder (cache.h):
	 * fewer writes, and the same inodes let the hashing skip them. */
	take_previous(cfg->output_path, side);
	nb_build_opts bo = { cfg->site_dir, po->as_of, side, 0, 0, NULL, 0, history,
			     cfg->output_path, 1 };
	nb_build_result br;
	nb_diag d;
	nb_diag_init(&d);
	int brc = nb_build_run(&bo, &br, &d);
	*memo = br.memo;
	nb_cli_report(cli, &d);
	int zh = !strcmp(nb_diag_language(&d), "zh-CN");
	nb_diag_free(&d);
	if (brc != NB_EXIT_OK) {
		nb_fs_rmtree(side);
		if (!cli->quiet)
			fputs(zh ? "没有发布任何内容：网站生成失败\n"
				 : "nothing was published: the build failed\n", stderr);
	}
	return brc;
}

/* NB_BUILD_STATS=1: seconds per step on stderr (where a re-publish's time
 * goes: hashing sources, building, hashing the output, recording). */
typedef struct pub_clock {
	int on;
	double wall, cpu;
} pub_clock;

static void pub_stage(pub_clock *c, const char *name)
{
	if (!c->on)
		return;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	double w = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	double u = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
	if (name)
		fprintf(stderr, "stats: publish %-8s %6.3f s wall %6.3f s cpu\n", name,
			w - c->wall, u - c->cpu);
	c->wall = w;
	c->cpu = u;
}

/*
 * What a publish remembers for the next one, in <site>/.noticeboard-cache
 * (deleting it costs only time): blob ids by inode for the sources and
 * for the output (audit.h), and the last publication's document map and
 * history entries, the two things that otherwise mean parsing its
 * manifest and every earlier one's. That last record names the chain of
 * publications it describes (nb_audit_chain_id) and is used only for that
 * exact chain, so a new, moved or rewritten tag makes it a miss, and a
 * miss reads the repository as before. Its history entries are those the
 * build was given, which history.h guarantees are what reading the
 * commits back gives.
 */
typedef struct pub_cache {
	char *sources, *outputs, *state;
} pub_cache;

static const char STATE_MAGIC[] = "noticeboard-publish-state 2 ";
enum { STATE_HEAD = 256 };

/* The first line: the chain it describes and the program that wrote it
 * (history entries are this program's rendering of the commits). */
static size_t state_head(char *head, const nb_oid *chain)
{
	char hex[NB_OID_HEXSZ + 1], prog[160];
	nb_oid_tostr(hex, sizeof(hex), chain);
	nb_audit_program_id(prog, sizeof(prog));
	return (size_t)snprintf(head, STATE_HEAD, "%s%s %s\n", STATE_MAGIC, hex, prog);
}

/*
 * The record: a line naming the chain and the program, the document
 * count, then per document four NUL-terminated fields (path, id, blob id,
 * first publication; none can hold a NUL), then the history entries as
 * JSON. The documents are not JSON because parsing 10,000 small objects
 * with jansson cost more than all the rest of the record together.
 */
static json_t *state_docs(const char **p, const char *end, size_t count)
{
	json_t *docs = json_object();
	for (size_t i = 0; i < count; i++) {
		const char *f[4];
		for (int k = 0; k < 4; k++) {
			const char *z = *p < end ? memchr(*p, '\0', (size_t)(end - *p)) : NULL;
			if (!z) {
				json_decref(docs);
				return NULL;
			}
			f[k] = *p;
			*p = z + 1;
		}
		char *stop;
		long long first = strtoll(f[3], &stop, 10);
		json_t *d = json_object();
		json_object_set_new(d, "first", json_integer((json_int_t)first));
		json_object_set_new(d, "hash", json_string(f[2]));
		json_object_set_new(d, "id", json_string(f[1]));
		if (*stop || json_object_size(d) != 3 || json_object_set_new(docs, f[0], d) != 0) {
			json_decref(docs);
			return NULL;
		}
	}
	return docs;
}

static void state_load(const char *path, const nb_oid *chain, json_t **docs,
		       json_t **history)
{
	*docs = *history = NULL;
	char *text;
	size_t len;
	if (nb_fs_read(path, 0, &text, &len) != 0)
		return;
	char head[STATE_HEAD];
	size_t hl = state_head(head, chain);
	char *nl;
	unsigned long long count;
	if (len > hl && !memcmp(text, head, hl) && text[hl] >= '0' && text[hl] <= '9' &&
	    (count = strtoull(text + hl, &nl, 10), *nl == '\n')) {
		const char *p = nl + 1, *end = text + len;
		json_t *d = state_docs(&p, end, (size_t)count);
		json_error_t je;
		json_t *h = d ? json_loadb(p, (size_t)(end - p), 0, &je) : NULL;
		if (json_is_array(h)) {
			*docs = d;
			*history = h;
		} else {
			json_decref(d);
			json_decref(h);
		}
	}
	free(text);
}

/* `history` is the entries' text (nb_audit_json_text). Best effort, and
 * atomic: a torn record would be a miss anyway (it cannot parse). */
static void state_save(const char *path, const nb_oid *chain, const json_t *docs,
		       const nb_buf *history)
{
	nb_buf b = NB_BUF_INIT;
	char head[STATE_HEAD];
	state_head(head, chain);
	nb_buf_printf(&b, "%s%zu\n", head, json_object_size(docs));
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)docs, k, v) {
		nb_buf_put(&b, k, strlen(k) + 1);
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *h = json_string_value(json_object_get(v, "hash"));
		json_t *first = json_object_get(v, "first");
		if (!id || !h || !json_is_integer(first)) {
			nb_buf_free(&b);
			return;
		}
		nb_buf_put(&b, id, strlen(id) + 1);
		nb_buf_put(&b, h, strlen(h) + 1);
		nb_buf_printf(&b, "%" JSON_INTEGER_FORMAT, json_integer_value(first));
		nb_buf_putc(&b, '\0');
	}
	nb_buf_put(&b, history->ptr, history->len);
	nb_buf tmp = NB_BUF_INIT;
	nb_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	if (nb_fs_write(nb_buf_cstr(&tmp), b.ptr, b.len) != 0 ||
	    rename(nb_buf_cstr(&tmp), path) != 0)
		remove(nb_buf_cstr(&tmp));
	nb_buf_free(&tmp);
	nb_buf_free(&b);
}

/* manifest.json, byte for byte as json_dumps wrote it (audit.h). */
static void manifest_text(nb_buf *out, const pub_opts *po, size_t n, json_t *docs,
			  const nb_audit_files *files)
{
	/* Sorted, so the output's files are one run. */
	nb_audit_files out_files = { 0 };
	for (size_t i = 0; i < files->len; i++) {
		if (!strncmp(files->items[i].path, "public/", 7)) {
			if (!out_files.items)
				out_files.items = &files->items[i];
			out_files.len++;
		}
	}
	if (nb_audit_manifest_text(out, po->as_of, n, docs, &out_files, 7) == 0)
		return;
	/* What the fast writer leaves to jansson (audit.h). */
	json_t *fo = json_object();
	for (size_t i = 0; i < out_files.len; i++) {
		char hex[NB_OID_HEXSZ + 1];
		nb_oid_tostr(hex, sizeof(hex), &out_files.items[i].id);
		json_object_set_new(fo, out_files.items[i].path + 7, json_string(hex));
	}
	json_t *m = json_pack("{s:s, s:I, s:s, s:O, s:o}", "as_of", po->as_of, "publication",
			      (json_int_t)n, "noticeboard", NB_VERSION, "documents", docs,
			      "files", fo);
	char *s = json_dumps(m, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	if (!s)
		abort();
	nb_buf_puts(out, s);
	nb_buf_putc(out, '\n');
	free(s);
	json_decref(m);
}

/* The As-of trailer of a publication's commit (publish writes it). */
static int recorded_as_of(char out[16], const nb_commit *c)
{
	const char *m = strstr(nb_commit_message(c), "\nAs-of: ");
	if (!m || strlen(m + 8) < 10)
		return 0;
	memcpy(out, m + 8, 10);
	out[10] = '\0';
	return 1;
}

static int publish(const nb_cli *cli, const nb_config *cfg, const pub_opts *po)
{
	pub_clock clk = { .on = getenv("NB_BUILD_STATS") != NULL };
	pub_stage(&clk, NULL);
	nb_audit a;
	int rc = nb_audit_open(&a, cfg, 1);
	nb_signature *who = NULL;
	nb_audit_files files = { 0 };
	nb_audit_tree *tree = NULL;
	json_t *docs = json_object(), *old_docs = NULL, *old_manifest = NULL, *history = NULL;
	nb_commit *parent = NULL;
	nb_tree *ptree = NULL;
	char *side = NULL;
	nb_memo *memo = NULL;
	nb_buf msg = NB_BUF_INIT, htext = NB_BUF_INIT, mtext = NB_BUF_INIT;
	pub_cache cache = {
		nb_path_join(cfg->site_dir, ".noticeboard-cache/publish-sources"),
		nb_path_join(cfg->site_dir, ".noticeboard-cache/publish-oids"),
		nb_path_join(cfg->site_dir, ".noticeboard-cache/publish-state"),
	};
	if (rc != 0)
		goto fail;
	if (nb_audit_publisher(&a, po->as, &who) != 0 || nb_audit_lock(&a, po->wait) != 0)
		goto fail;
	/* Serving renames a folder over the output; a mount point cannot be
	 * renamed over, so the publication would be recorded and never
	 * served. Refused before anything is recorded. */
	if (nb_fs_is_mount_point(cfg->output_path) == 1) {
		nb_diag d;
		nb_diag_init(&d);
		nb_error(&d, "site.yaml", 0, 0, "output-mount-point",
			 "set `output:` in site.yaml to a folder inside the mount (for example "
			 "`output: public/site`) and serve that folder",
			 "the output folder %s is a mount point: publish serves a new site by "
			 "renaming a folder over it, which a mount point refuses; nothing was "
			 "recorded", cfg->output_path);
		nb_cli_report(cli, &d);
		nb_diag_free(&d);
		nb_audit_close(&a);
		rc = NB_EXIT_CONTENT;
		goto out;
	}
	size_t last;
	nb_oid tip, chain;
	if (nb_audit_head(&a, 1, &last, &tip) != 0)
		goto fail;
	/* From here every new object goes into one pack (audit.h), made
	 * durable by nb_audit_commit before any ref names it. */
	if (nb_audit_pack_begin(&a) != 0)
		goto fail;
	/* Without it nothing is remembered; a publish goes on regardless. */
	int have_chain = nb_audit_chain_id(&a, last, &chain) == 0;
	if (last) {
		if (nb_audit_pub_commit(&a, last, &parent) != 0 ||
		    nb_commit_tree(&ptree, parent) < 0)
			goto fail;
		/* Publications follow each other: one may not judge deadlines
		 * as of a day before the last one did. */
		char prev_as_of[16];
		if (recorded_as_of(prev_as_of, parent) && strcmp(po->as_of, prev_as_of) < 0) {
			nb_diag d;
			nb_diag_init(&d);
			nb_error(&d, "", 0, 0, "as-of-before-previous",
				 "give --as-of a date on or after the last publication's, or leave it "
				 "out to use today",
				 "--as-of %s is before %s, the as-of date of the last publication "
				 "(pub-%zu); nothing was recorded", po->as_of, prev_as_of, last);
			nb_cli_report(cli, &d);
			nb_diag_free(&d);
			nb_audit_close(&a);
			rc = NB_EXIT_USAGE;
			goto out;
		}
		/* Its documents and the history up to it: remembered, or read. */
		if (have_chain)
			state_load(cache.state, &chain, &old_docs, &history);
		if (!old_docs) {
			json_decref(history);
			history = NULL;
			if (nb_audit_manifest(&a, parent, &old_manifest) != 0)
				goto fail;
			old_docs = json_incref(json_object_get(old_manifest, "documents"));
		}
	}

	/* The build refuses to replace a folder it did not write; building
	 * beside it must not bypass that. */
	if (nb_fs_is_dir(cfg->output_path)) {
		char *marker = nb_path_join(cfg->output_path, NB_BUILD_MARKER);
		int ours = nb_fs_is_file(marker);
		free(marker);
		/* Listing 10,000 files only matters when the folder is not ours. */
		size_t nfiles = 0;
		if (!ours) {
			nb_strlist present = { 0 };
			nb_fs_walk(cfg->output_path, &present, NULL);
			nfiles = present.len;
			nb_strlist_free(&present);
		}
		if (!ours && nfiles) {
			snprintf(a.err, sizeof(a.err), "output folder %s holds files noticeboard did "
				 "not write; move them away or choose another `output:`",
				 cfg->output_path);
			goto fail;
		}
	}
	/* The sources first: whether anything changed is decided from them,
	 * because the output shows the publication history, which a new
	 * publication changes by itself. */
	pub_stage(&clk, "open");
	if (nb_audit_hash_sources_cached(&a, cfg, 1, &files, docs, cache.sources) != 0)
		goto fail;
	nb_audit_files_sort(&files);
	nb_audit_tree_hash(&a, &files, &tree);
	int same_sources = same_as_recorded(ptree, "site", tree);
	/* Complete in the database before anything reads its blobs (the
	 * history diffs changed documents): an id from the inode record
	 * may name a blob written by a publish that never completed. */
	const nb_audit_root src_root[] = { { "site/", cfg->site_dir }, { NULL, NULL } };
	if (!same_sources && nb_audit_tree_write(&a, tree, "site", ptree, src_root) != 0)
		goto fail;
	nb_audit_tree_free(tree);
	tree = NULL;
	pub_stage(&clk, "sources");
	size_t n = last + 1;
	size_t added, changed, removed;
	nb_audit_doc_changes(old_docs, docs, &added, &changed, &removed);

	/* The fixed-format message; trailers make it greppable by git log. */
	char *m = strdup(po->message ? po->message : "");
	if (!m)
		abort();
	size_t ml = strlen(m);
	while (ml && (m[ml - 1] == '\n' || m[ml - 1] == ' '))
		m[--ml] = '\0';
	nb_buf_printf(&msg, "Publication %zu: %s\n\n", n, ml ? m : "publication");
	free(m);
	nb_buf_printf(&msg, "Documents: %zu added, %zu changed, %zu removed\n\n", added,
		      changed, removed);
	nb_buf_printf(&msg, "As-of: %s\nNoticeboard-Version: %s\n", po->as_of, NB_VERSION);

	size_t sl = strlen(cfg->output_path) + 32;
	side = malloc(sl);
	if (!side)
		abort();
	snprintf(side, sl, "%s.staging-publish", cfg->output_path);
	clean_stale(side);
	if (last && !history && nb_history_load(&a, last, NULL, &history) != 0)
		goto fail;
	if (same_sources && !po->allow_empty) {
		/* Same sources: rebuild pub-last as recorded; if the program
		 * still writes the same output, there is nothing to record. */
		rc = build_side(cli, cfg, po, side, history, &memo);
		if (rc != NB_EXIT_OK)
			goto out_closed;
		nb_audit_files pub = { 0 };
		int same = 0;
		if (nb_audit_hash_dir_cached(&a, side, "public", 1, 0, &pub, cache.outputs) == 0) {
			nb_audit_files_drop(&pub, "public/" NB_BUILD_MARKER);
			nb_audit_files_sort(&pub);
			nb_audit_tree_hash(&a, &pub, &tree);
			same = same_as_recorded(ptree, "public", tree);
			nb_audit_tree_free(tree);
			tree = NULL;
		}
		nb_audit_files_free(&pub);
		if (same) {
			rc = NB_EXIT_OK;
			if (serve_side(side, cfg->output_path) != 0) {
				fprintf(stderr, "noticeboard publish: pub-%zu is recorded but cannot "
					"replace %s: %s\n", last, cfg->output_path, strerror(errno));
				rc = NB_EXIT_IO;
			} else {
				nb_memo_save(memo);
			}
			if (!cli->quiet)
				printf("nothing changed since publication %zu (pub-%zu); nothing recorded\n",
				       last, last);
			nb_audit_close(&a);
			goto out;
		}
		clean_stale(side);
	}

	/* Build beside the live folder, showing this publication in the
	 * history exactly as reading it back from the commit will. */
	nb_person wp = nb_signature_person(who);
	nb_history_pending pend = { n, po->as_of, wp.when, wp.name, msg.ptr, docs };
	json_t *entry = NULL;
	if (nb_history_entry(&a, &pend, old_docs, &entry) != 0)
		goto fail;
	if (!history)
		history = json_array();
	json_array_append_new(history, entry);
	/* Kept as text now, before anything could touch the entries. */
	int keep_state = nb_audit_json_text(&htext, history) == 0;
	pub_stage(&clk, "history");
	rc = build_side(cli, cfg, po, side, history, &memo);
	if (rc != NB_EXIT_OK)
		goto out_closed;
	pub_stage(&clk, "build");

	/* The output's ids: new files hashed and written, linked ones known. */
	if (nb_audit_hash_dir_cached(&a, side, "public", 1, 1, &files, cache.outputs) != 0)
		goto fail;
	/* The marker says who wrote the folder; it is not published. */
	nb_audit_files_drop(&files, "public/" NB_BUILD_MARKER);
	nb_audit_files_sort(&files);
	pub_stage(&clk, "hash");

	/* manifest.json: documents keep the publication they first appeared in. */
	const char *k;
	json_t *v;
	json_object_foreach(docs, k, v) {
		json_t *od = old_docs ? json_object_get(old_docs, k) : NULL;
		json_t *first = od ? json_object_get(od, "first") : NULL;
		json_object_set_new(v, "first", json_integer(first ? json_integer_value(first)
								   : (json_int_t)n));
	}
	manifest_text(&mtext, po, n, docs, &files);
	nb_oid mid, root;
	if (nb_audit_write_blob(&a, mtext.ptr, mtext.len, &mid) != 0)
		goto fail;
	pub_stage(&clk, "manifest");

	/* The tree: what equals the last publication is neither hashed from
	 * disk nor written again (audit.h). */
	nb_audit_files_push(&files, "manifest.json", &mid);
	nb_audit_files_sort(&files);
	const nb_audit_root roots[] = {
		{ "site/", cfg->site_dir }, { "public/", side }, { NULL, NULL },
	};
	nb_audit_tree_hash(&a, &files, &tree);
	if (nb_audit_tree_write(&a, tree, NULL, ptree, roots) != 0)
		goto fail;
	nb_audit_tree_id(tree, NULL, &root);
	pub_stage(&clk, "tree");

	nb_oid cid;
	if (nb_audit_commit(&a, &root, last ? &tip : NULL, n, msg.ptr, who,
			    cfg->audit_signing_key, &cid) != 0)
		goto fail;
	pub_stage(&clk, "record");
	if (keep_state && nb_audit_chain_id(&a, n, &chain) == 0)
		state_save(cache.state, &chain, docs, &htext);
	pub_stage(&clk, "remember");
	/* Recorded; now serve it. */
	if (serve_side(side, cfg->output_path) != 0) {
		fprintf(stderr, "noticeboard publish: recorded pub-%zu but cannot replace %s: %s\n",
			n, cfg->output_path, strerror(errno));
		rc = NB_EXIT_IO;
		nb_audit_close(&a);
		goto out;
	}
	/* The pages served now are what the page memo records (memo.h). */
	nb_memo_save(memo);
	if (!cli->quiet) {
		char hex[12];
		nb_oid_tostr(hex, sizeof(hex), &cid);
		printf("published pub-%zu (%s): %zu documents added, %zu changed, %zu removed; as of %s%s\n",
		       n, hex, added, changed, removed, po->as_of,
		       cfg->audit_signing_key ? "; signed" : "");
	}
	rc = NB_EXIT_OK;
	nb_audit_close(&a);
	pub_stage(&clk, "swap");
	goto out;
fail:
	rc = NB_EXIT_IO;
	fprintf(stderr, "noticeboard publish: %s\n", a.err);
	if (side)
		nb_fs_rmtree(side);
	nb_audit_close(&a);
	goto out;
out_closed:
	/* The build failed and said why; the side folder is gone. */
	nb_audit_close(&a);
out:
	nb_memo_free(memo);
	nb_buf_free(&msg);
	nb_buf_free(&htext);
	nb_buf_free(&mtext);
	nb_audit_tree_free(tree);
	json_decref(history);
	free(side);
	free(cache.sources);
	free(cache.outputs);
	free(cache.state);
	nb_tree_free(ptree);
	nb_commit_free(parent);
	nb_signature_free(who);
	nb_audit_files_free(&files);
	json_decref(docs);
	json_decref(old_docs);
	json_decref(old_manifest);
	pub_stage(&clk, "free");
	return rc;
}

int nb_cmd_publish(const nb_cli *cli, int argc, char **argv)
{
	pub_opts po = { NULL, NULL, NULL, 0, 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if ((!strcmp(a, "-m") || !strcmp(a, "--message")) && i + 1 < argc) {
			po.message = argv[++i];
		} else if (!strcmp(a, "--as") && i + 1 < argc) {
			po.as = argv[++i];
		} else if (!strcmp(a, "--as-of") && i + 1 < argc) {
			po.as_of = argv[++i];
		} else if (!strcmp(a, "--allow-empty")) {
			po.allow_empty = 1;
		} else if (!strcmp(a, "--wait") && i + 1 < argc) {
			po.wait = atoi(argv[++i]);
		} else {
			fprintf(stderr, "noticeboard publish: unknown argument `%s`\n\n%s", a, usage);
			return NB_EXIT_USAGE;
		}
	}
	char today[16];
	if (!po.as_of) {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		po.as_of = today;
	} else if (!valid_date(po.as_of)) {
		fprintf(stderr, "noticeboard publish: --as-of wants a date YYYY-MM-DD, got `%s`\n",
			po.as_of);
		return NB_EXIT_USAGE;
	}
	nb_config cfg;
	nb_diag d;
	nb_diag_init(&d);
	if (nb_config_load(&cfg, cli->site_dir, &d) != 0) {
		nb_cli_report(cli, &d);
		nb_diag_free(&d);
		nb_config_free(&cfg);
		return NB_EXIT_CONTENT;
	}
	nb_diag_free(&d);
	int rc = publish(cli, &cfg, &po);
	nb_config_free(&cfg);
	return rc;
}

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
 *      `<output>.staging-publish`, not the live one, so a refused or
 *      failed publish changes nothing that is served; the build shows the
 *      publication history including this pending one (history.h), so the
 *      recorded output already lists itself. "Unchanged" cannot be judged
 *      from the output: the history pages make every new publication's
 *      output differ from the last one's;
 *   4. write objects and the commit, then move the branch (one atomic ref
 *      update), then tag pub-N;
 *   5. swap the side folder in (one atomic rename).
 *
 * A kill between 4 and 5 leaves the new publication recorded and the old
 * site served; `noticeboard verify` reports exactly that, and the next
 * publish (which records nothing new) serves it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "build.h"
#include "cli.h"
#include "config.h"
#include "fs.h"
#include "history.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] publish [-m MESSAGE] [--as \"NAME <EMAIL>\"]\n"
	"                   [--as-of DATE] [--allow-empty] [--wait SECONDS]\n\n"
	"Builds the site, then records the publication in the audit repository\n"
	"(site.yaml audit.repository, default audit.git): one commit tagged pub-N\n"
	"holding the sources (drafts never), the exact output and manifest.json.\n"
	"Publishing unchanged content records nothing.\n\n"
	"  -m, --message MSG  what this publication is about\n"
	"  --as WHO           the publisher, \"NAME <EMAIL>\" (default: $NB_PUBLISHER,\n"
	"                     then git's user.name/user.email)\n"
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

static json_t *files_object(const nb_audit_files *f, size_t skip)
{
	json_t *o = json_object();
	for (size_t i = 0; i < f->len; i++) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &f->items[i].id);
		json_object_set_new(o, f->items[i].path + skip, json_string(hex));
	}
	return o;
}

static const git_oid *entry_id(const git_tree *t, const char *name)
{
	const git_tree_entry *e = t ? git_tree_entry_byname(t, name) : NULL;
	return e ? git_tree_entry_id(e) : NULL;
}

static int same_entry(const git_tree *a, const git_tree *b, const char *name)
{
	const git_oid *x = entry_id(a, name), *y = entry_id(b, name);
	return x && y && git_oid_equal(x, y);
}

typedef struct pub_opts {
	const char *message, *as, *as_of;
	int allow_empty, wait;
} pub_opts;

/* Build into the side folder with the given history. An NB_EXIT_* code;
 * on failure the side folder is removed and the reason printed. */
static int build_side(const nb_cli *cli, const nb_config *cfg, const pub_opts *po,
		      const char *side, const json_t *history)
{
	/* Unchanged files are hard-linked from the served folder (cache.h):
	 * fewer writes, and the same inodes let the hashing skip them. */
	nb_build_opts bo = { cfg->site_dir, po->as_of, side, 0, 0, NULL, 0, history,
			     cfg->output_path };
	nb_build_result br;
	nb_diag d;
	nb_diag_init(&d);
	int brc = nb_build_run(&bo, &br, &d);
	nb_cli_report(cli, &d);
	nb_diag_free(&d);
	if (brc != NB_EXIT_OK) {
		nb_fs_rmtree(side);
		if (!cli->quiet)
			fprintf(stderr, "nothing was published: the build failed\n");
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

static int publish(const nb_cli *cli, const nb_config *cfg, const pub_opts *po)
{
	pub_clock clk = { .on = getenv("NB_BUILD_STATS") != NULL };
	pub_stage(&clk, NULL);
	nb_audit a;
	int rc = nb_audit_open(&a, cfg, 1);
	git_signature *who = NULL;
	nb_audit_files files = { 0 };
	json_t *docs = json_object(), *manifest = NULL, *old_manifest = NULL;
	git_commit *parent = NULL;
	git_tree *ptree = NULL, *t0 = NULL;
	git_treebuilder *tb = NULL;
	char *side = NULL, *oids = NULL;
	char *mjson = NULL;
	json_t *history = NULL;
	nb_buf msg = NB_BUF_INIT;
	if (rc != 0)
		goto fail;
	if (nb_audit_publisher(&a, po->as, &who) != 0 || nb_audit_lock(&a, po->wait) != 0)
		goto fail;
	size_t last;
	git_oid tip;
	if (nb_audit_head(&a, 1, &last, &tip) != 0)
		goto fail;
	if (last) {
		if (nb_audit_pub_commit(&a, last, &parent) != 0 ||
		    git_commit_tree(&ptree, parent) < 0)
			goto fail;
		if (nb_audit_manifest(&a, parent, &old_manifest) != 0)
			goto fail;
	}

	/* The build refuses to replace a folder it did not write; building
	 * beside it must not bypass that. */
	if (nb_fs_is_dir(cfg->output_path)) {
		char *marker = nb_path_join(cfg->output_path, ".noticeboard-output");
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
	if (nb_audit_hash_sources(&a, cfg, 1, &files, docs) != 0)
		goto fail;
	nb_audit_files_sort(&files);
	git_oid t0_id;
	if (nb_audit_write_tree(&a, &files, &t0_id) != 0)
		goto fail;
	if (git_tree_lookup(&t0, a.repo, &t0_id) < 0)
		goto fail_git;
	pub_stage(&clk, "sources");
	size_t n = last + 1;
	json_t *old_docs = old_manifest ? json_object_get(old_manifest, "documents") : NULL;
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
	/* Blob ids of the output by inode (audit.h), beside the build cache. */
	oids = nb_path_join(cfg->site_dir, ".noticeboard-cache/publish-oids");
	if (ptree && same_entry(t0, ptree, "site") && !po->allow_empty) {
		/* Same sources: rebuild pub-last as recorded; if the program
		 * still writes the same output, there is nothing to record. */
		int same = 0;
		if (nb_history_load(&a, last, NULL, &history) != 0)
			goto fail;
		rc = build_side(cli, cfg, po, side, history);
		if (rc != NB_EXIT_OK)
			goto out_closed;
		nb_audit_files pub = { 0 };
		git_oid pid;
		git_tree *pt = NULL;
		if (nb_audit_hash_dir_cached(&a, side, "public", 1, 0, &pub, oids) == 0) {
			nb_audit_files_sort(&pub);
			if (nb_audit_write_tree(&a, &pub, &pid) == 0 &&
			    git_tree_lookup(&pt, a.repo, &pid) == 0)
				same = same_entry(pt, ptree, "public");
		}
		git_tree_free(pt);
		nb_audit_files_free(&pub);
		json_decref(history);
		history = NULL;
		if (same) {
			if (nb_fs_swap_dir(side, cfg->output_path) != 0)
				fprintf(stderr, "noticeboard publish: cannot replace %s: %s\n",
					cfg->output_path, strerror(errno));
			if (!cli->quiet)
				printf("nothing changed since publication %zu (pub-%zu); nothing recorded\n",
				       last, last);
			rc = NB_EXIT_OK;
			nb_audit_close(&a);
			goto out;
		}
		clean_stale(side);
	}

	/* Build beside the live folder, showing this publication in the
	 * history exactly as reading it back from the commit will. */
	nb_history_pending pend = { n, po->as_of, who->name, msg.ptr, docs };
	if (nb_history_load(&a, last, &pend, &history) != 0)
		goto fail;
	rc = build_side(cli, cfg, po, side, history);
	if (rc != NB_EXIT_OK)
		goto out_closed;
	pub_stage(&clk, "build");

	/* The output's objects. */
	if (nb_audit_hash_dir_cached(&a, side, "public", 1, 1, &files, oids) != 0)
		goto fail;
	pub_stage(&clk, "hash");
	nb_audit_files_sort(&files);
	git_tree_free(t0);
	t0 = NULL;
	if (nb_audit_write_tree(&a, &files, &t0_id) != 0)
		goto fail;
	if (git_tree_lookup(&t0, a.repo, &t0_id) < 0)
		goto fail_git;

	/* manifest.json: documents keep the publication they first appeared in. */
	const char *k;
	json_t *v;
	json_object_foreach(docs, k, v) {
		json_t *od = old_docs ? json_object_get(old_docs, k) : NULL;
		json_t *first = od ? json_object_get(od, "first") : NULL;
		json_object_set_new(v, "first", json_integer(first ? json_integer_value(first)
								   : (json_int_t)n));
	}
	nb_audit_files out_files = { 0 };
	/* Sorted, so the output's files are one run. */
	for (size_t i = 0; i < files.len; i++) {
		if (!strncmp(files.items[i].path, "public/", 7)) {
			if (!out_files.items)
				out_files.items = &files.items[i];
			out_files.len++;
		}
	}
	manifest = json_pack("{s:s, s:I, s:s, s:O, s:o}", "as_of", po->as_of,
			     "publication", (json_int_t)n, "noticeboard", NB_VERSION,
			     "documents", docs, "files", files_object(&out_files, 7));
	mjson = json_dumps(manifest, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	if (!mjson)
		abort();
	nb_buf mb = NB_BUF_INIT;
	nb_buf_puts(&mb, mjson);
	nb_buf_putc(&mb, '\n');
	git_oid mid, root;
	int wrc = nb_audit_write_blob(&a, mb.ptr, mb.len, &mid);
	nb_buf_free(&mb);
	if (wrc != 0)
		goto fail;
	if (git_treebuilder_new(&tb, a.repo, t0) < 0 ||
	    git_treebuilder_insert(NULL, tb, "manifest.json", &mid, GIT_FILEMODE_BLOB) < 0 ||
	    git_treebuilder_write(&root, tb) < 0)
		goto fail_git;

	git_oid cid;
	wrc = nb_audit_commit(&a, &root, last ? &tip : NULL, n, msg.ptr, who,
			      cfg->audit_signing_key, &cid);
	if (wrc != 0)
		goto fail;
	pub_stage(&clk, "record");
	/* Recorded; now serve it. */
	if (nb_fs_swap_dir(side, cfg->output_path) != 0) {
		fprintf(stderr, "noticeboard publish: recorded pub-%zu but cannot replace %s: %s\n",
			n, cfg->output_path, strerror(errno));
		rc = NB_EXIT_IO;
		nb_audit_close(&a);
		goto out;
	}
	if (!cli->quiet) {
		char hex[12];
		git_oid_tostr(hex, sizeof(hex), &cid);
		printf("published pub-%zu (%s): %zu documents added, %zu changed, %zu removed; as of %s%s\n",
		       n, hex, added, changed, removed, po->as_of,
		       cfg->audit_signing_key ? "; signed" : "");
	}
	rc = NB_EXIT_OK;
	nb_audit_close(&a);
	pub_stage(&clk, "swap");
	goto out;
fail_git:
	{
		const git_error *e = git_error_last();
		snprintf(a.err, sizeof(a.err), "%s", e && e->message ? e->message : "git error");
	}
fail:
	fprintf(stderr, "noticeboard publish: %s\n", a.err);
	if (side)
		nb_fs_rmtree(side);
	nb_audit_close(&a);
	rc = NB_EXIT_IO;
	goto out;
out_closed:
	/* The build failed and said why; the side folder is gone. */
	nb_audit_close(&a);
out:
	nb_buf_free(&msg);
	json_decref(history);
	free(mjson);
	free(side);
	free(oids);
	git_treebuilder_free(tb);
	git_tree_free(t0);
	git_tree_free(ptree);
	git_commit_free(parent);
	git_signature_free(who);
	nb_audit_files_free(&files);
	json_decref(docs);
	json_decref(manifest);
	json_decref(old_manifest);
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

/*
 * publish.c - the publish sequence (publish.h): build, then record the
 * publication in the audit repository (see audit.h for the layout), then
 * serve it with a copy of the repository (served.h).
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
 *   5. write the served copy of the repository into the side folder
 *      (audit.git/, served.h: it holds the new publication, so it
 *      can only be written once that is recorded, and the record leaves
 *      it out), then swap the side folder in (one atomic rename); what
 *      was served becomes the previous generation.
 *
 * Each step is a function on one pub_run, returning go on, done or
 * failed, so that the sequence reads top to bottom in nb_publish_run().
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
 * record kept by the previous publish (state.c) instead of parsing
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
#include <unistd.h>

#include "audit/audit_internal.h"
#include "audit/served.h"
#include "audit/publish.h"
#include "config/config.h"
#include "graph/history.h"
#include "output/build.h"
#include "output/cache.h"
#include "output/identity.h"
#include "output/memo.h"
#include "output/sums.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/fs.h"

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
static int drop_dir(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	nb_buf list = NB_BUF_INIT;
	int rc = nb_fs_listing(&list, fd);
	size_t off = 0;
	const nb_fs_dirent *e;
	while ((e = nb_fs_listing_next(&list, &off))) {
		int dir = e->type == DT_DIR;
		if (e->type == DT_UNKNOWN) {
			struct stat st;
			dir = fstatat(fd, e->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			      S_ISDIR(st.st_mode);
		}
		if (dir ? drop_dir(fd, e->name) : unlinkat(fd, e->name, 0))
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

/* Build into the side folder with the given history, as publication
 * `number` (the pages' meta tag), keeping the unchanged pages of `prev`,
 * the publication before it (NULL: none; pubtag.h). An NB_EXIT_* code;
 * on failure the side folder is removed and the reason printed. The output then gets what
 * publish adds to a build: the served audit copy of the generation before
 * is dropped (it is rewritten after recording, served.h) and
 * manifest.sha256 written, so that both the "unchanged?" comparison and
 * the record see the site exactly as it will be served, minus audit.git/.
 * `walked` gets the build's walk of the folder (build.h), the served copy
 * left out as it was dropped, for the record to hash; the caller frees
 * it. */
static int build_side(const nb_config *cfg, const nb_publish_opts *po, const char *side,
		      const json_t *history, size_t number, const nb_pubtag_previous *prev,
		      nb_memo **memo, nb_fs_files *walked)
{
	/* An earlier try's memo (same sources, but the output changed) is
	 * of a side folder that is gone. */
	nb_memo_free(*memo);
	*memo = NULL;
	/* Unchanged files are hard-linked from the served folder (cache.h):
	 * fewer writes, and the same inodes let the hashing skip them. */
	take_previous(cfg->output_path, side);
	nb_build_opts bo = { .site_dir = cfg->site_dir, .as_of = po->as_of, .output = side,
			     .publication = number, .history = history,
			     .reuse = cfg->output_path, .update_output = 1, .previous = prev };
	nb_build_result br;
	nb_diag d;
	nb_diag_init(&d);
	int brc = nb_build_run(&bo, &br, &d);
	*memo = br.memo;
	if (po->report)
		po->report(po->report_ctx, &d);
	int zh = !strcmp(nb_diag_language(&d), "zh-CN");
	nb_diag_free(&d);
	if (brc == NB_EXIT_OK && nb_audit_served_drop(side, &br.walked) != 0) {
		nb_buf what = NB_BUF_INIT;
		nb_buf_printf(&what, "cannot remove %s/%s: %s", side, NB_SERVED_AUDIT,
			      strerror(errno));
		nb_audit_say(cfg, "noticeboard publish: ", nb_buf_cstr(&what));
		nb_buf_free(&what);
		brc = NB_EXIT_IO;
	} else if (brc != NB_EXIT_OK && !po->quiet) {
		fputs(zh ? "没有发布任何内容：网站生成失败\n"
			 : "nothing was published: the build failed\n", stderr);
	}
	if (brc != NB_EXIT_OK)
		nb_fs_rmtree(side);
	*walked = br.walked;
	return brc;
}

/* What a publish remembers for the next one, in <site>/.noticeboard-cache
 * (deleting it costs only time): blob ids by inode for the sources and
 * for the output (audit.h), and the last publication's documents and
 * history (state.c). */
typedef struct pub_cache {
	char *sources, *outputs, *state;
} pub_cache;

/* manifest.json, byte for byte as json_dumps wrote it (audit.h). */
static void manifest_text(nb_buf *out, const nb_publish_opts *po, size_t n,
			  const nb_audit_docs *docs, const nb_audit_files *files)
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
	/* Which program made the output (identity.h). */
	char git[32];
	nb_audit_library_version(git, sizeof(git));
	json_t *gen = nb_generator_identity(git);
	if (nb_audit_manifest_text(out, po->as_of, n, docs, gen, &out_files, 7) == 0) {
		json_decref(gen);
		return;
	}
	/* What the fast writer leaves to jansson (audit.h). */
	json_t *fo = json_object();
	for (size_t i = 0; i < out_files.len; i++) {
		char hex[NB_OID_HEXSZ + 1];
		nb_oid_tostr(hex, sizeof(hex), &out_files.items[i].id);
		json_object_set_new(fo, out_files.items[i].path + 7, json_string(hex));
	}
	json_t *m = json_pack("{s:s, s:I, s:s, s:O, s:o, s:o}", "as_of", po->as_of, "publication",
			      (json_int_t)n, "noticeboard", NB_VERSION, "documents",
			      nb_audit_docs_json(docs),
			      "files", fo, "generator", gen);
	char *s = json_dumps(m, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	if (!s)
		abort();
	nb_buf_puts(out, s);
	nb_buf_putc(out, '\n');
	free(s);
	json_decref(m);
}

/* The As-of trailer of a publication's commit (publish writes it). The
 * last one: the publisher's message comes first and may hold a line that
 * reads like it, which then refused every later publication as dated
 * before it. */
static int recorded_as_of(char out[16], const nb_commit *c)
{
	const char *m = NULL;
	for (const char *p = nb_commit_message(c); (p = strstr(p, "\nAs-of: ")); p++)
		m = p;
	if (!m || strlen(m + 8) < 10)
		return 0;
	memcpy(out, m + 8, 10);
	out[10] = '\0';
	return 1;
}

/* Everything one publish holds, so that its steps can be functions. */
typedef struct pub_run {
	const nb_config *cfg;
	const nb_publish_opts *po;
	nb_clock clk;
	nb_audit a;
	nb_signature *who;
	nb_audit_files files;
	nb_audit_tree *tree;
	nb_audit_docs docs, old_docs;  /* sorted (docs.c) */
	int have_old;  /* old_docs holds the last publication's */
	json_t *history;
	nb_commit *parent;
	nb_tree *ptree;
	char *side;
	nb_memo *memo;
	nb_buf msg, htext, mtext;
	pub_cache cache;
	size_t last, n, added, changed, removed;
	nb_oid tip, chain;
	int have_chain, same_sources;
	json_t *hsaved;  /* the history as given to the build, remembered */
	nb_audit_previous prev;  /* the publication before the one built */
	int have_prev;
	int rc;  /* the exit code, once a step returns PUB_DONE */
} pub_run;

/* What a step returns: go on, stop with r->rc (the repository closed and
 * the reason told), or fail with the message in r->a.err. */
enum { PUB_FAIL = -1, PUB_NEXT = 0, PUB_DONE = 1 };

static int pub_done(pub_run *r, int rc)
{
	if (r->have_prev)
		nb_audit_previous_free(&r->prev);
	r->have_prev = 0;
	/* A refused or failed first publish: what it made is no record, and
	 * `verify` would take it for one that lost its publications. */
	nb_audit_discard_new(&r->a);
	nb_audit_close(&r->a);
	r->rc = rc;
	return PUB_DONE;
}

/* Whether publish's own lines speak Chinese: the site's language, as the
 * build's summary does (NB_LANG overrides, for scripts that read English). */
static int pub_zh(const pub_run *r)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_diag_set_language(&d, r->cfg->language);
	int zh = !strcmp(nb_diag_language(&d), "zh-CN");
	nb_diag_free(&d);
	return zh;
}

static int pub_refuse(pub_run *r, int rc, const char *file, const char *code,
		      const char *hint, const char *what)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_error(&d, file, 0, 0, code, hint, "%s", what);
	if (r->po->report)
		r->po->report(r->po->report_ctx, &d);
	nb_diag_free(&d);
	return pub_done(r, rc);
}

/* ssh-keygen itself failed (NB_KEY_TOOL_FAILED): killed, or ended in a
 * way that is not its refusal of the key. Said as the program's failure,
 * with what ran and what it said: told the key was refused, a publisher
 * went after a key that was fine. */
static void pub_tool_failed(pub_run *r, nb_diag *d)
{
	const nb_config *cfg = r->cfg;
	char ended[128];
	int st = r->a.key_status;
	if (st >= 256)
		snprintf(ended, sizeof(ended), "was ended by signal %d (%s)", st - 256,
			 strsignal(st - 256));
	else
		snprintf(ended, sizeof(ended), "exited with status %d", st);
	const char *hint = "make sure the ssh-keygen found first on PATH is OpenSSH's and works "
			   "(`ssh-keygen -l -f KEY` prints the key's fingerprint; Debian and "
			   "Ubuntu: `apt install openssh-client`), then publish again; or remove "
			   "`signing_key:` from site.yaml to publish unsigned";
	if (r->a.err[0])
		nb_error(d, "site.yaml", cfg->audit_signing_key_line, cfg->audit_signing_key_col,
			 "audit-signing-key", hint, "ssh-keygen failed, not the signing key %s "
			 "(audit.signing_key): `%s` %s and said: %s; nothing was recorded",
			 cfg->audit_signing_key, r->a.key_ran, ended, r->a.err);
	else
		nb_error(d, "site.yaml", cfg->audit_signing_key_line, cfg->audit_signing_key_col,
			 "audit-signing-key", hint, "ssh-keygen failed, not the signing key %s "
			 "(audit.signing_key): `%s` %s and said nothing; nothing was recorded",
			 cfg->audit_signing_key, r->a.key_ran, ended);
}

/* audit.signing_key could not sign (r->a.key_refused): said at the line
 * of site.yaml that sets it, with what to do, before anything is
 * recorded (a commit or tag it cannot sign is never written). */
static int pub_key_refused(pub_run *r)
{
	const nb_config *cfg = r->cfg;
	const char *key = cfg->audit_signing_key, *why = r->a.err;
	const char *fix_path = "correct `signing_key:` under `audit:` in site.yaml (a path from "
			       "the site folder, or an absolute one), or remove that line to "
			       "publish unsigned";
	nb_diag d;
	nb_diag_init(&d);
	int line = cfg->audit_signing_key_line, col = cfg->audit_signing_key_col;
	switch (r->a.key_refused) {
	case NB_KEY_MISSING:
		nb_error(&d, "site.yaml", line, col, "audit-signing-key", fix_path,
			 "the signing key %s (audit.signing_key) does not exist; nothing was "
			 "recorded", key);
		break;
	case NB_KEY_NOT_FILE:
		nb_error(&d, "site.yaml", line, col, "audit-signing-key", fix_path,
			 "the signing key %s (audit.signing_key) is not a file; nothing was "
			 "recorded", key);
		break;
	case NB_KEY_UNREADABLE:
		nb_error(&d, "site.yaml", line, col, "audit-signing-key", fix_path,
			 "the signing key %s (audit.signing_key) cannot be read: %s; nothing was "
			 "recorded", key, why);
		break;
	case NB_KEY_NO_TOOL:
		nb_error(&d, "site.yaml", line, col, "audit-signing-key",
			 "install OpenSSH's ssh-keygen (Debian and Ubuntu: `apt install "
			 "openssh-client`), or remove `signing_key:` from site.yaml to publish "
			 "unsigned",
			 "ssh-keygen, which signs each publication with audit.signing_key, is not "
			 "installed; nothing was recorded");
		break;
	case NB_KEY_PASSPHRASE:
		nb_error(&d, "site.yaml", line, col, "audit-signing-key",
			 "publish from a terminal to type the passphrase, load the key into "
			 "ssh-agent first (`ssh-add KEY`), or use a key without a passphrase",
			 "the signing key %s (audit.signing_key) is locked by a passphrase that "
			 "was not given or was wrong; nothing was recorded", key);
		break;
	case NB_KEY_TOO_OPEN:
		nb_error(&d, "site.yaml", line, col, "audit-signing-key",
			 "let only its owner read it: `chmod 600 KEY`",
			 "the signing key %s (audit.signing_key) may be read by others, so "
			 "ssh-keygen will not use it; nothing was recorded", key);
		break;
	case NB_KEY_TOOL_FAILED:
		pub_tool_failed(r, &d);
		break;
	default:
		nb_error(&d, "site.yaml", line, col, "audit-signing-key",
			 "`signing_key:` names an SSH private key, such as one made by "
			 "`ssh-keygen -t ed25519 -f KEY`; check it with `ssh-keygen -y -f KEY`",
			 "the signing key %s (audit.signing_key) cannot sign: %s; nothing was "
			 "recorded", key, why);
		break;
	}
	if (r->po->report)
		r->po->report(r->po->report_ctx, &d);
	nb_diag_free(&d);
	return pub_done(r, r->a.key_refused == NB_KEY_TOOL_FAILED ? NB_EXIT_IO : NB_EXIT_CONTENT);
}

/* Open and lock the repository, check its history, and load the last
 * publication's documents and history. */
static int pub_open(pub_run *r)
{
	const nb_config *cfg = r->cfg;
	/* Locked first: a refused first publish removes the repository it
	 * made only while it holds the lock, and one waiting for that lock
	 * then opens the repository again. */
	for (int tries = 0;; tries++) {
		if (nb_audit_open(&r->a, cfg, 1) != 0)
			return PUB_FAIL;
		int locked = nb_audit_lock(&r->a, r->po->wait);
		if (locked == 0)
			break;
		if (locked != NB_AUDIT_LOCK_GONE || tries == 3)
			return PUB_FAIL;
		nb_audit_close(&r->a);
	}
	/* Who publishes is said by how publish is called (--as or the
	 * environment). */
	if (nb_audit_publisher(&r->a, r->po->as, &r->who) != 0) {
		nb_audit_say(cfg, "noticeboard publish: ", r->a.err);
		return pub_done(r, NB_EXIT_USAGE);
	}
	/* Signing comes last, after the build: a key that cannot sign is
	 * found first, rather than minutes later with nothing to show. */
	if (cfg->audit_signing_key && nb_audit_ssh_key_check(&r->a, cfg->audit_signing_key) != 0)
		return r->a.key_refused ? pub_key_refused(r) : PUB_FAIL;
	/* Serving renames a folder over the output; a mount point cannot be
	 * renamed over, so the publication would be recorded and never
	 * served. Refused before anything is recorded. */
	if (nb_fs_is_mount_point(cfg->output_path) == 1) {
		char what[4400];
		snprintf(what, sizeof(what), "the output folder %s is a mount point: publish "
			 "serves a new site by renaming a folder over it, which a mount point "
			 "refuses; nothing was recorded", cfg->output_path);
		return pub_refuse(r, NB_EXIT_CONTENT, "site.yaml", "output-mount-point",
				  "set `output:` in site.yaml to a folder inside the mount (for "
				  "example `output: public/site`) and serve that folder", what);
	}
	if (nb_audit_head(&r->a, 1, &r->last, &r->tip) != 0)
		return PUB_FAIL;
	/* From here every new object goes into one pack (audit.h), made
	 * durable by nb_audit_commit before any ref names it. */
	if (nb_audit_pack_begin(&r->a) != 0)
		return PUB_FAIL;
	/* Without it nothing is remembered; a publish goes on regardless. */
	r->have_chain = nb_audit_chain_id(&r->a, r->last, &r->chain) == 0;
	if (!r->last)
		return PUB_NEXT;
	if (nb_audit_pub_commit(&r->a, r->last, &r->parent) != 0 ||
	    nb_commit_tree(&r->ptree, r->parent) < 0)
		return PUB_FAIL;
	/* Publications follow each other: one may not judge deadlines as of
	 * a day before the last one did. */
	char prev_as_of[16];
	if (recorded_as_of(prev_as_of, r->parent) && strcmp(r->po->as_of, prev_as_of) < 0) {
		char what[256];
		snprintf(what, sizeof(what), "--as-of %s is before %s, the as-of date of the "
			 "last publication (pub-%zu); nothing was recorded", r->po->as_of,
			 prev_as_of, r->last);
		return pub_refuse(r, NB_EXIT_USAGE, "", "as-of-before-previous",
				  "give --as-of a date on or after the last publication's, or "
				  "leave it out to use today", what);
	}
	/* Its documents and the history up to it: remembered, or read. */
	r->have_old = r->have_chain &&
		nb_audit_state_load(r->cache.state, &r->chain, &r->old_docs, &r->history) == 0;
	if (!r->have_old) {
		json_t *m;
		if (nb_audit_manifest(&r->a, r->parent, &m) != 0)
			return PUB_FAIL;
		char err[512];
		int rc = nb_audit_docs_from_json(&r->old_docs, json_object_get(m, "documents"), err,
						 sizeof(err));
		json_decref(m);
		if (rc != 0) {
			nb_audit_refuse(&r->a, "publication %zu: %s", r->last, err);
			return PUB_FAIL;
		}
		r->have_old = 1;
	}
	return PUB_NEXT;
}

/* The build refuses to replace a folder it did not write, or one of the
 * site's own, a file or a link; building beside it must not bypass
 * that, and the refusal must name the folder the secretary set, not the
 * side folder, before anything is recorded. Build's own check, words and
 * codes (build.h nb_build_check_output). */
static int pub_check_output(pub_run *r)
{
	nb_diag d;
	nb_diag_init(&d);
	int rc = nb_build_check_output(r->cfg, r->cfg->output_path, &d);
	if (d.len && r->po->report)
		r->po->report(r->po->report_ctx, &d);
	nb_diag_free(&d);
	return rc == NB_EXIT_OK ? PUB_NEXT : pub_done(r, rc);
}

/* The fixed-format message; trailers make it greppable by git log. */
static void pub_message(pub_run *r)
{
	char *m = strdup(r->po->message ? r->po->message : "");
	if (!m)
		abort();
	size_t ml = strlen(m);
	while (ml && (m[ml - 1] == '\n' || m[ml - 1] == ' '))
		m[--ml] = '\0';
	nb_buf_printf(&r->msg, "Publication %zu: %s\n\n", r->n, ml ? m : "publication");
	free(m);
	nb_buf_printf(&r->msg, "Documents: %zu added, %zu changed, %zu removed\n\n", r->added,
		      r->changed, r->removed);
	nb_buf_printf(&r->msg, "As-of: %s\nNoticeboard-Version: %s\n", r->po->as_of, NB_VERSION);
}

/* The sources first: whether anything changed is decided from them,
 * because the output shows the publication history, which a new
 * publication changes by itself. */
static int pub_sources(pub_run *r)
{
	const nb_config *cfg = r->cfg;
	if (nb_audit_hash_sources_cached(&r->a, cfg, 1, &r->files, &r->docs,
					 r->cache.sources) != 0)
		return PUB_FAIL;
	nb_audit_files_sort(&r->files);
	nb_audit_tree_hash(&r->a, &r->files, &r->tree);
	r->same_sources = same_as_recorded(r->ptree, "site", r->tree);
	/* Complete in the database before anything reads its blobs (the
	 * history diffs changed documents): an id from the inode record
	 * may name a blob written by a publish that never completed. */
	const nb_audit_root src_root[] = { { "site/", cfg->site_dir }, { NULL, NULL } };
	if (!r->same_sources &&
	    nb_audit_tree_write(&r->a, r->tree, "site", r->ptree, src_root) != 0)
		return PUB_FAIL;
	nb_audit_tree_free(r->tree);
	r->tree = NULL;
	nb_clock_stage(&r->clk, "sources");
	r->n = r->last + 1;
	nb_audit_docs_changes(r->have_old ? &r->old_docs : NULL, &r->docs, &r->added, &r->changed,
			      &r->removed);
	pub_message(r);
	size_t sl = strlen(cfg->output_path) + 32;
	r->side = malloc(sl);
	if (!r->side)
		abort();
	snprintf(r->side, sl, "%s.staging-publish", cfg->output_path);
	clean_stale(r->side);
	if (r->last && !r->history && nb_history_load(&r->a, r->last, NULL, &r->history) != 0)
		return PUB_FAIL;
	return PUB_NEXT;
}

/* Serve the side folder, with the audit repository's served copy written
 * into it first (served.h): recorded, so the copy holds it. */
static int pub_serve(pub_run *r, size_t n, int fresh)
{
	nb_buf what = NB_BUF_INIT;
	if (nb_audit_served_write(&r->a, r->side, r->cfg->output_path) != 0) {
		/* Said as serve_side's failure is: a bare reason read as if
		 * nothing had been recorded. */
		nb_buf_printf(&what, "pub-%zu is recorded but cannot be served: %s", n, r->a.err);
		nb_fs_rmtree(r->side);
	} else if (serve_side(r->side, r->cfg->output_path) != 0) {
		nb_buf_printf(&what, fresh ? "recorded pub-%zu but cannot replace %s: %s"
			      : "pub-%zu is recorded but cannot replace %s: %s", n,
			      r->cfg->output_path, strerror(errno));
	}
	if (what.len) {
		nb_audit_say(r->cfg, "noticeboard publish: ", nb_buf_cstr(&what));
		nb_buf_free(&what);
		return pub_done(r, NB_EXIT_IO);
	}
	/* The pages served now are what the page memo records (memo.h). */
	nb_memo_save(r->memo);
	return PUB_NEXT;
}

/* The publication before pub-`n`, whose unchanged pages pub-`n` keeps
 * (output/pubtag.h), read from the record; *out NULL for the first. */
static int pub_previous(pub_run *r, size_t n, nb_pubtag_previous *as,
			const nb_pubtag_previous **out)
{
	*out = NULL;
	if (r->have_prev) {
		nb_audit_previous_free(&r->prev);
		r->have_prev = 0;
	}
	if (n < 2)
		return PUB_NEXT;
	if (nb_audit_previous_open(&r->prev, &r->a, n - 1) != 0)
		return PUB_FAIL;
	r->have_prev = 1;
	*as = (nb_pubtag_previous){ nb_audit_previous_page, &r->prev, r->prev.id };
	*out = as;
	return PUB_NEXT;
}

/* The memo of what is served now names the pages as recorded, by the id
 * of pub-`n`'s public/ tree, so the next publication may keep them
 * without reading them (output/memo.h). */
static void pub_memo_names(pub_run *r, const nb_oid *public_tree)
{
	char hex[NB_OID_HEXSZ + 1] = "";
	if (public_tree)
		nb_oid_tostr(hex, sizeof(hex), public_tree);
	nb_memo_published(r->memo, hex);
}

/* Same sources: rebuild pub-last as recorded; if the program still writes
 * the same output, there is nothing to record (PUB_DONE). */
static int pub_unchanged(pub_run *r)
{
	nb_pubtag_previous as;
	const nb_pubtag_previous *prev;
	if (pub_previous(r, r->last, &as, &prev) != PUB_NEXT)
		return PUB_FAIL;
	nb_fs_files walked;
	r->rc = build_side(r->cfg, r->po, r->side, r->history, r->last, prev, &r->memo, &walked);
	if (r->rc != NB_EXIT_OK) {
		nb_fs_files_free(&walked);
		return pub_done(r, r->rc);
	}
	nb_audit_files pub = { 0 };
	int same = 0;
	int hashed = nb_audit_hash_walked_cached(&r->a, r->side, "public", &walked, 0, &pub,
						 r->cache.outputs, NB_BUILD_MARKER);
	nb_fs_files_free(&walked);
	if (hashed == 0) {
		nb_audit_files_sort(&pub);
		nb_audit_tree_hash(&r->a, &pub, &r->tree);
		same = same_as_recorded(r->ptree, "public", r->tree);
		nb_audit_tree_free(r->tree);
		r->tree = NULL;
	}
	nb_audit_files_free(&pub);
	if (!same) {
		clean_stale(r->side);
		return PUB_NEXT;
	}
	pub_memo_names(r, nb_tree_entry_id(r->ptree, "public"));
	int st = pub_serve(r, r->last, 0);
	if (st != PUB_NEXT)
		return st;
	if (!r->po->quiet) {
		if (pub_zh(r))
			printf("自第%zu次公示（pub-%zu）以来没有改动，未记录新的公示\n",
			       r->last, r->last);
		else
			printf("nothing changed since publication %zu (pub-%zu); nothing recorded\n",
			       r->last, r->last);
	}
	return pub_done(r, NB_EXIT_OK);
}

/* Build with this publication in the history, exactly as reading it back
 * from the commit will show it, then hash the output. */
static int pub_build(pub_run *r)
{
	nb_person wp = nb_signature_person(r->who);
	nb_history_pending pend = { r->n, r->po->as_of, wp.when, wp.name,
				    r->msg.ptr, &r->docs, wp.email,
				    r->cfg->audit_signing_key != NULL };
	json_t *entry = NULL;
	if (nb_history_entry(&r->a, &pend, r->have_old ? &r->old_docs : NULL, &entry) != 0)
		return PUB_FAIL;
	/* Documents keep the publication they first appeared in. That is
	 * the last use of the previous publication's map: it goes before
	 * the build, whose peak memory it would otherwise add to. */
	for (size_t i = 0; i < r->docs.len; i++) {
		nb_audit_doc *d = &r->docs.items[i];
		const nb_audit_doc *od = r->have_old
			? nb_audit_docs_find(&r->old_docs, nb_audit_doc_path(&r->docs, d)) : NULL;
		d->first = od && od->first ? od->first : r->n;
	}
	nb_audit_docs_free(&r->old_docs);
	r->have_old = 0;
	if (!r->history)
		r->history = json_array();
	json_array_append_new(r->history, entry);
	/* The build reads the entries and never changes them (history.h
	 * nb_history_link); the commit id joins the last one once it exists. */
	r->hsaved = json_incref(r->history);
	nb_clock_stage(&r->clk, "history");
	nb_pubtag_previous as;
	const nb_pubtag_previous *prev;
	if (pub_previous(r, r->n, &as, &prev) != PUB_NEXT)
		return PUB_FAIL;
	nb_fs_files walked;
	r->rc = build_side(r->cfg, r->po, r->side, r->history, r->n, prev, &r->memo, &walked);
	if (r->rc != NB_EXIT_OK) {
		nb_fs_files_free(&walked);
		return pub_done(r, r->rc);
	}
	nb_clock_stage(&r->clk, "build");
	/* The output's ids: new files hashed and written, linked ones known,
	 * from the build's own walk. The marker says who wrote the folder;
	 * it is not published. */
	int hashed = nb_audit_hash_walked_cached(&r->a, r->side, "public", &walked, 1, &r->files,
						 r->cache.outputs, NB_BUILD_MARKER);
	nb_fs_files_free(&walked);
	if (hashed != 0)
		return PUB_FAIL;
	nb_audit_files_sort(&r->files);
	nb_clock_stage(&r->clk, "hash");
	return PUB_NEXT;
}

/* manifest.json, the tree and the commit. */
static int pub_record(pub_run *r)
{
	manifest_text(&r->mtext, r->po, r->n, &r->docs, &r->files);
	nb_oid mid, root, cid;
	if (nb_audit_write_blob(&r->a, r->mtext.ptr, r->mtext.len, &mid) != 0)
		return PUB_FAIL;
	nb_clock_stage(&r->clk, "manifest");
	/* The tree: what equals the last publication is neither hashed from
	 * disk nor written again (audit.h). */
	nb_audit_files_push(&r->files, "manifest.json", &mid);
	nb_audit_files_sort(&r->files);
	const nb_audit_root roots[] = {
		{ "site/", r->cfg->site_dir }, { "public/", r->side }, { NULL, NULL },
	};
	nb_audit_tree_hash(&r->a, &r->files, &r->tree);
	if (nb_audit_tree_write(&r->a, r->tree, NULL, r->ptree, roots) != 0)
		return PUB_FAIL;
	nb_audit_tree_id(r->tree, NULL, &root);
	nb_oid pub_tree;
	pub_memo_names(r, nb_audit_tree_id(r->tree, "public", &pub_tree) == 0 ? &pub_tree : NULL);
	nb_clock_stage(&r->clk, "tree");
	if (nb_audit_commit(&r->a, &root, r->last ? &r->tip : NULL, r->n, r->msg.ptr, r->who,
			    r->cfg->audit_signing_key, &cid) != 0)
		return PUB_FAIL;
	nb_clock_stage(&r->clk, "record");
	char hex[NB_OID_HEXSZ + 1];
	nb_oid_tostr(hex, sizeof(hex), &cid);
	json_object_set_new(json_array_get(r->hsaved, json_array_size(r->hsaved) - 1), "commit",
			    json_string(hex));
	if (nb_audit_json_text(&r->htext, r->hsaved) == 0 &&
	    nb_audit_chain_id(&r->a, r->n, &r->chain) == 0)
		nb_audit_state_save(r->cache.state, &r->chain, &r->docs, &r->htext);
	nb_clock_stage(&r->clk, "remember");
	int st = pub_serve(r, r->n, 1);
	if (st != PUB_NEXT)
		return st;
	if (!r->po->quiet) {
		if (pub_zh(r))
			printf("已发布第%zu次公示（%.11s）：新增 %zu 个文档，修订 %zu 个，删除 %zu 个；"
			       "截至 %s%s\n", r->n, hex, r->added, r->changed, r->removed,
			       r->po->as_of, r->cfg->audit_signing_key ? "；已签名" : "");
		else
			printf("published pub-%zu (%.11s): %zu documents added, %zu changed, "
			       "%zu removed; as of %s%s\n", r->n, hex, r->added, r->changed,
			       r->removed, r->po->as_of, r->cfg->audit_signing_key ? "; signed" : "");
	}
	nb_clock_stage(&r->clk, "swap");
	return pub_done(r, NB_EXIT_OK);
}

static void pub_free(pub_run *r)
{
	nb_memo_free(r->memo);
	nb_buf_free(&r->msg);
	nb_buf_free(&r->htext);
	nb_buf_free(&r->mtext);
	nb_audit_tree_free(r->tree);
	json_decref(r->history);
	json_decref(r->hsaved);
	free(r->side);
	free(r->cache.sources);
	free(r->cache.outputs);
	free(r->cache.state);
	nb_tree_free(r->ptree);
	nb_commit_free(r->parent);
	nb_signature_free(r->who);
	nb_audit_files_free(&r->files);
	nb_audit_docs_free(&r->docs);
	nb_audit_docs_free(&r->old_docs);
	nb_clock_stage(&r->clk, "free");
}

int nb_publish_run(const nb_config *cfg, const nb_publish_opts *po)
{
	pub_run r = {
		.cfg = cfg, .po = po,
		.msg = NB_BUF_INIT, .htext = NB_BUF_INIT, .mtext = NB_BUF_INIT,
		.cache = {
			nb_path_join(cfg->site_dir, ".noticeboard-cache/publish-sources"),
			nb_path_join(cfg->site_dir, ".noticeboard-cache/publish-oids"),
			nb_audit_state_path(cfg->site_dir),
		},
	};
	nb_clock_start(&r.clk, getenv("NB_BUILD_STATS") != NULL, "publish ");
	int st = pub_open(&r);
	if (st == PUB_NEXT)
		st = pub_check_output(&r);
	if (st == PUB_NEXT) {
		nb_clock_stage(&r.clk, "open");
		st = pub_sources(&r);
	}
	if (st == PUB_NEXT && r.same_sources && !po->allow_empty)
		st = pub_unchanged(&r);
	if (st == PUB_NEXT)
		st = pub_build(&r);
	if (st == PUB_NEXT)
		st = pub_record(&r);
	if (st == PUB_FAIL && r.a.key_refused) {
		/* A passphrase is only asked for when signing. */
		if (r.side)
			nb_fs_rmtree(r.side);
		pub_key_refused(&r);
	} else if (st == PUB_FAIL) {
		nb_audit_say(cfg, "noticeboard publish: ", r.a.err);
		if (r.side)
			nb_fs_rmtree(r.side);
		/* A refusal is a verdict on the record or the settings, which
		 * scripts tell from a disk that failed. */
		pub_done(&r, r.a.refused ? NB_EXIT_CONTENT : NB_EXIT_IO);
	}
	pub_free(&r);
	return r.rc;
}

void nb_audit_library_version(char *out, size_t n)
{
	int maj, min, rev;
	git_libgit2_version(&maj, &min, &rev);
	snprintf(out, n, "%d.%d.%d", maj, min, rev);
}

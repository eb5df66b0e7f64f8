/*
 * chain_fixture.h - a throw-away audit repository holding a small chain
 * of publications, for the tests that tamper with one (test_check.c,
 * test_monitor.c, test_record.c, test_commit.c, test_served.c).
 *
 * Each publication is recorded the way publish records it (nb_audit_commit:
 * commit, tag object, branch, pub-N), its tree a manifest, site/site.yaml,
 * public/index.html (its own text) and public/style.css (the same in every
 * publication, so one object is reached by all of them). The objects are
 * loose, as a small publish leaves them; tests that want a pack run git.
 * Tampering goes through git itself, on a closed handle, and the handle is
 * opened again afterwards so that no libgit2 cache hides the damage.
 */
#ifndef NB_TEST_CHAIN_FIXTURE_H
#define NB_TEST_CHAIN_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit_internal.h"
#include "config/config.h"
#include "util/buf.h"
#include "util/fs.h"

enum { CHAIN_MAX = 8 };

typedef struct chain {
	char dir[64];
	char *repo;           /* <dir>/audit.git */
	nb_config cfg;
	nb_audit a;
	int ok;
	size_t n;             /* publications recorded */
	nb_oid c[CHAIN_MAX + 1];  /* c[n]: publication n's commit */
} chain;

static inline void chain_open(chain *ch)
{
	memset(ch, 0, sizeof(*ch));
	snprintf(ch->dir, sizeof(ch->dir), "/tmp/nb-test-chain.XXXXXX");
	ch->ok = mkdtemp(ch->dir) != NULL;
	ch->repo = nb_path_join(ch->dir, "audit.git");
	ch->cfg.site_dir = ch->dir;
	ch->cfg.audit_repo = ch->repo;
	ch->cfg.audit_branch = "publications";
	ch->cfg.output_path = nb_path_join(ch->dir, "public");
	ch->ok = ch->ok && nb_audit_open(&ch->a, &ch->cfg, 1) == 0;
}

/* Closed and opened again: what a new command would see. */
static inline int chain_reopen(chain *ch)
{
	nb_audit_close(&ch->a);
	return nb_audit_open(&ch->a, &ch->cfg, 0);
}

static inline void chain_close(chain *ch)
{
	nb_audit_close(&ch->a);
	nb_fs_rmtree(ch->dir);
	free(ch->repo);
	free(ch->cfg.output_path);
}

static inline int chain_blob(chain *ch, nb_audit_files *f, const char *path, const char *text)
{
	nb_oid id;
	if (nb_audit_write_blob(&ch->a, text, strlen(text), &id) != 0)
		return -1;
	nb_audit_files_push(f, path, &id);
	return 0;
}

/* Record publication n + 1 on top of the last one, public/index.html
 * holding `page`. 0 or -1. */
static inline int chain_pub(chain *ch, const char *page)
{
	size_t n = ch->n + 1;
	char manifest[128], msg[64];
	snprintf(manifest, sizeof(manifest), "{\"publication\": %zu}\n", n);
	snprintf(msg, sizeof(msg), "Publication %zu: test", n);
	nb_audit_files f = { 0 };
	nb_oid tree;
	nb_signature *sig = NULL;
	int rc = chain_blob(ch, &f, "manifest.json", manifest);
	rc = rc ? rc : chain_blob(ch, &f, "public/index.html", page);
	rc = rc ? rc : chain_blob(ch, &f, "public/style.css", "body { margin: 0 }\n");
	rc = rc ? rc : chain_blob(ch, &f, "site/site.yaml", "title: Test\n");
	if (rc == 0) {
		nb_audit_files_sort(&f);
		rc = nb_audit_write_tree(&ch->a, &f, &tree);
	}
	if (rc == 0)
		rc = nb_audit_signature_parse(&sig, "Test <t@example.org>");
	if (rc == 0)
		rc = nb_audit_commit(&ch->a, &tree, n > 1 ? &ch->c[n - 1] : NULL, n, msg, sig,
				     NULL, &ch->c[n]);
	if (rc == 0)
		ch->n = n;
	nb_signature_free(sig);
	nb_audit_files_free(&f);
	return rc;
}


/* The fixture with three publications ("<p>one</p>" ...), an auditor's
 * state (XDG_STATE_HOME) kept below it: what the auditor's and the
 * monitor's tests start from. 0, or -1 when a step failed. */
static inline int chain_open_three(chain *ch)
{
	chain_open(ch);
	if (!ch->ok)
		return -1;
	char *state = nb_path_join(ch->dir, "state");
	setenv("XDG_STATE_HOME", state, 1);
	free(state);
	return chain_pub(ch, "<p>one</p>\n") || chain_pub(ch, "<p>two</p>\n") ||
			       chain_pub(ch, "<p>three</p>\n")
		       ? -1
		       : 0;
}

/* A shell command run quietly (its output to /dev/null, whatever it
 * redirects itself); its exit status. */
static inline int chain_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int chain_sh(const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	nb_buf cmd = NB_BUF_INIT;
	nb_buf_printf(&cmd, "(%s) >/dev/null 2>&1", line);
	int rc = system(nb_buf_cstr(&cmd));
	nb_buf_free(&cmd);
	return rc;
}
/* The shell command running `git -C <repo> <args>` as a fixed identity,
 * its output sent to `redirect`; into `cmd`. */
static inline void chain_cmd(const chain *ch, nb_buf *cmd, const char *redirect,
			     const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static inline void chain_cmd(const chain *ch, nb_buf *cmd, const char *redirect,
			     const char *fmt, va_list ap)
{
	char args[1024];
	vsnprintf(args, sizeof(args), fmt, ap);
	nb_buf_printf(cmd, "GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@example.org "
		      "GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@example.org "
		      "git -C '%s' %s %s", ch->repo, args, redirect);
}

/* Run `git -C <repo> ...` quietly; its exit status (0 when it worked). */
static inline int chain_git(chain *ch, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline int chain_git(chain *ch, const char *fmt, ...)
{
	nb_buf cmd = NB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	chain_cmd(ch, &cmd, ">/dev/null 2>&1", fmt, ap);
	va_end(ap);
	int rc = system(nb_buf_cstr(&cmd));
	nb_buf_free(&cmd);
	return rc;
}

/* The first line git prints for `git -C <repo> ...`, in `out`; 0 or -1. */
static inline int chain_git_out(chain *ch, char *out, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline int chain_git_out(chain *ch, char *out, size_t n, const char *fmt, ...)
{
	nb_buf cmd = NB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	chain_cmd(ch, &cmd, "2>/dev/null", fmt, ap);
	va_end(ap);
	FILE *p = popen(nb_buf_cstr(&cmd), "r");
	nb_buf_free(&cmd);
	out[0] = '\0';
	if (!p)
		return -1;
	int got = fgets(out, (int)n, p) != NULL;
	int st = pclose(p);
	out[strcspn(out, "\n")] = '\0';
	return got && st == 0 ? 0 : -1;
}

/* The id of `rev` (anything git rev-parse takes) as hex; 0 or -1. */
static inline int chain_rev(chain *ch, const char *rev, char hex[GIT_OID_HEXSZ + 1])
{
	char line[128];
	if (chain_git_out(ch, line, sizeof(line), "rev-parse '%s'", rev) != 0 ||
	    strlen(line) != GIT_OID_HEXSZ)
		return -1;
	memcpy(hex, line, GIT_OID_HEXSZ + 1);
	return 0;
}

/* The loose file of object `hex` (caller frees). */
static inline char *chain_loose(chain *ch, const char *hex)
{
	nb_buf p = NB_BUF_INIT;
	nb_buf_printf(&p, "%s/objects/%.2s/%s", ch->repo, hex, hex + 2);
	return nb_buf_detach(&p);
}

/* Remove object `hex`'s loose file; 0 when there was one. */
static inline int chain_drop(chain *ch, const char *hex)
{
	char *p = chain_loose(ch, hex);
	int rc = unlink(p);
	free(p);
	return rc;
}

/* Replace object `hex`'s loose file with `len` bytes of `data`. 0 or -1. */
static inline int chain_overwrite(chain *ch, const char *hex, const void *data, size_t len)
{
	char *p = chain_loose(ch, hex);
	int rc = nb_fs_is_file(p) && unlink(p) == 0 && nb_fs_write(p, data, len) == 0 ? 0 : -1;
	free(p);
	return rc;
}

#endif

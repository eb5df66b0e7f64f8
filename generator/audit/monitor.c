/*
 * monitor.c - remembering the history a site served, as a Certificate
 * Transparency monitor remembers a log's head; see auditor.h.
 *
 * Why: every check of one fetch can pass on a history that was rewritten
 * since the last look - a forged pub-2 whose parent is pub-1 is a
 * perfectly consistent chain. Only someone who saw the old one can tell.
 * So `audit` keeps, per site, the branch tip and the commit of every
 * pub-N it saw, and a later history must extend it: the old tip an
 * ancestor of (or equal to) the new one, every pub-N seen before still
 * naming the same commit. The first look has nothing to compare with and
 * says so (trust on first use).
 *
 * The state is one small text file per site, named after the site's
 * normalized address (fetch.h), written whole to a temporary name and
 * renamed, so a killed audit leaves the old state or the new one:
 *
 *   noticeboard-audit-state 1
 *   site https://example.org/
 *   branch refs/heads/publications
 *   head <commit id>
 *   pub 1 <commit id>
 *   pub 2 <commit id>
 *   ...
 */
#include "audit/auditor.h"
#include "audit/audit_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/fetch.h"
#include "util/fs.h"

static char *state_path(const char *site_key)
{
	char *dir = nb_fetch_xdg_dir("STATE");
	if (!dir)
		return NULL;
	char *file = nb_fetch_key_file(site_key);
	nb_buf p = NB_BUF_INIT;
	nb_buf_printf(&p, "%s/%s.state", dir, file);
	free(dir);
	free(file);
	return nb_buf_detach(&p);
}

/* The commit pub-N names now, or 0 when there is none. */
static int pub_now(nb_audit *a, size_t n, git_oid *out)
{
	git_commit *c = NULL;
	if (nb_audit_pub_commit(a, n, &c) != 0)
		return 0;
	*out = *git_commit_id(c);
	git_commit_free(c);
	return 1;
}

static void problem(json_t *problems, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(json_t *problems, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(problems, json_string(msg));
}

/* Whether the served tip contains commit `old`. A tip that names no
 * commit here (no branch is served, or its commit is gone) contains
 * nothing, and is not given to git_graph_descendant_of: libgit2 (1.5)
 * leaks 64 bytes when the descendant is missing. */
static int contains(nb_audit *a, const git_oid *tip, const git_oid *old)
{
	if (git_oid_equal(old, tip))
		return 1;
	git_object_t type;
	size_t len;
	if (git_oid_is_zero(tip) || git_odb_read_header(&len, &type, a->odb, tip) < 0 ||
	    type != GIT_OBJECT_COMMIT) {
		git_error_clear();
		return 0;
	}
	return git_graph_descendant_of(a->repo, tip, old) == 1;
}

/* One line of the state against the repository: 1 for the head line, 0
 * for another line this program writes, -1 for one it does not. */
static int check_line(nb_audit *a, const git_oid *tip, const char *line, json_t *problems,
		      size_t *seen)
{
	git_oid old, now;
	char hex[GIT_OID_HEXSZ + 1];
	unsigned long n;
	if (!strncmp(line, "head ", 5) && git_oid_fromstrn(&old, line + 5, GIT_OID_HEXSZ) == 0) {
		git_oid_tostr(hex, sizeof(hex), &old);
		if (!contains(a, tip, &old))
			problem(problems, "history rewritten or rolled back: the branch was at %s when "
				"last audited, and the served branch does not contain it", hex);
		return 1;
	} else if (sscanf(line, "pub %lu %40s", &n, hex) == 2 &&
		   git_oid_fromstrn(&old, hex, GIT_OID_HEXSZ) == 0) {
		(*seen)++;
		if (!pub_now(a, n, &now))
			problem(problems, "history rolled back: pub-%lu was served when last audited "
				"and is gone now", n);
		else if (!git_oid_equal(&old, &now))
			problem(problems, "history rewritten: pub-%lu named commit %s when last "
				"audited and names another now", n, hex);
		return 0;
	}
	return !strncmp(line, "site ", 5) || !strncmp(line, "branch ", 7) ? 0 : -1;
}

int nb_auditor_monitor(nb_audit *a, const char *site_key, const nb_oid *tip_id, int *first,
		       json_t *problems, char *file, size_t file_size)
{
	const git_oid *tip = to_git(tip_id);
	char *path = state_path(site_key);
	*first = 0;
	if (!path) {
		/* The machine's set-up, not the site's: no verdict (exit 3). */
		nb_audit_set_err(a, "no folder to remember sites in: set XDG_STATE_HOME or HOME");
		a->io = 1;
		return -1;
	}
	snprintf(file, file_size, "%s", path);
	char *data = NULL;
	size_t len = 0, seen = 0;
	int rc = nb_fs_read(path, 16 << 20, &data, &len);
	free(path);
	if (rc != 0) {
		if (errno != ENOENT) {
			nb_audit_set_err(a, "cannot read %s: %s", file, strerror(errno));
			a->io = 1;
			return -1;
		}
		*first = 1;
		return 0;
	}
	if (strncmp(data, "noticeboard-audit-state 1\n", 26)) {
		problem(problems, "%s is not a state file this program wrote; move it away to start "
			"over", file);
		free(data);
		return 0;
	}
	/* A state without its head, or with a line this program never writes,
	 * compares less than was seen: saying the history extends it would
	 * vouch for what was not checked, and then forget the old history. */
	int heads = 0, odd = 0;
	for (char *line = data + 26, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		int k = check_line(a, tip, line, problems, &seen);
		heads += k == 1;
		odd += k < 0;
	}
	if (heads != 1 || odd)
		problem(problems, "%s was cut short or changed: it does not hold the history this "
			"program remembered; move it away to start over", file);
	free(data);
	return 0;
}

int nb_auditor_remember(nb_audit *a, const char *site_key, const nb_oid *tip_id, size_t last)
{
	const git_oid *tip = to_git(tip_id);
	char *path = state_path(site_key);
	if (!path) {
		/* The machine's set-up, not the site's: no verdict (exit 3). */
		nb_audit_set_err(a, "no folder to remember sites in: set XDG_STATE_HOME or HOME");
		a->io = 1;
		return -1;
	}
	nb_buf b = NB_BUF_INIT, tmp = NB_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), tip);
	nb_buf_printf(&b, "noticeboard-audit-state 1\nsite %s\nbranch %s\nhead %s\n", site_key,
		      a->refname, hex);
	for (size_t n = 1; n <= last; n++) {
		git_oid id;
		if (pub_now(a, n, &id)) {
			git_oid_tostr(hex, sizeof(hex), &id);
			nb_buf_printf(&b, "pub %zu %s\n", n, hex);
		}
	}
	nb_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	int rc = 0;
	int fd = open(nb_buf_cstr(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int ok = fd >= 0 && write(fd, b.ptr, b.len) == (ssize_t)b.len && fsync(fd) == 0;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	if (!ok || rename(nb_buf_cstr(&tmp), path) != 0) {
		nb_audit_set_err(a, "cannot write %s: %s", path, strerror(errno));
		a->io = 1;
		if (fd >= 0)
			unlink(nb_buf_cstr(&tmp));
		rc = -1;
	}
	free(path);
	nb_buf_free(&b);
	nb_buf_free(&tmp);
	return rc;
}

/*
 * cmd_push.c - `noticeboard push [REMOTE]`: send the publication branch and
 * every pub-N tag to the mirrors listed in site.yaml (audit.mirrors), or to
 * REMOTE, so independent auditors hold copies.
 *
 * The transfer is done by git itself (`git push`), not libgit2: it speaks
 * every transport with the user's ssh configuration, keys and known_hosts,
 * exactly as an auditor's own git would. Pushes are never forced, so git
 * refuses a mirror whose branch is not an ancestor of ours or whose pub-N
 * tags name other commits: a mirror holding a different history is
 * evidence and is never overwritten. File paths are resolved against the
 * site folder; a missing file mirror is created as a bare repository.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit/audit.h"
#include "util/buf.h"
#include "output/build.h"
#include "cli/cli.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/utf8.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] push [REMOTE]\n\n"
	"Sends the publication branch and its pub-N tags to every mirror in\n"
	"site.yaml (audit.mirrors: file paths or ssh URLs), or only to REMOTE.\n"
	"Never forces: a mirror holding a different history is refused.\n";

/* Run git with our stdout/stderr; returns its exit status, or -1 with
 * errno saying why git could not be run. The child only hands exec's
 * errno back through a pipe closed on exec: it said so itself, in
 * English on every site, and the parent then reported git as stopping
 * "for the reason it gave above". */
static int run_git(char *const argv[])
{
	int fd[2];
	if (pipe2(fd, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fd[0]);
		close(fd[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		close(fd[0]);
		execvp(argv[0], argv);
		int e = errno;
		(void)!write(fd[1], &e, sizeof(e));
		_exit(127);
	}
	close(fd[1]);
	int exec_err = 0;
	ssize_t n;
	while ((n = read(fd[0], &exec_err, sizeof(exec_err))) < 0 && errno == EINTR)
		;
	close(fd[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (n == (ssize_t)sizeof(exec_err)) {
		errno = exec_err;
		return -1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A line of push's own on stderr, in the site's language (audit.h
 * nb_audit_say). */
static void say(const nb_config *cfg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const nb_config *cfg, const char *fmt, ...)
{
	nb_buf b = NB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	nb_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	nb_audit_say(cfg, "noticeboard push: ", nb_buf_cstr(&b));
	nb_buf_free(&b);
}

/* push's report of what it did, on stdout, in the site's language as the
 * lines `say` prints. */
static void tell(const nb_config *cfg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tell(const nb_config *cfg, const char *fmt, ...)
{
	nb_buf b = NB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	nb_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	nb_diag d;
	nb_diag_init(&d);
	nb_diag_set_language(&d, cfg->language);
	char *s = nb_diag_translate(nb_diag_language(&d), "@", nb_buf_cstr(&b));
	nb_diag_free(&d);
	nb_utf8_fputs_line(stdout, "", s);
	free(s);
	nb_buf_free(&b);
}

static int is_url(const char *s)
{
	if (strstr(s, "://"))
		return 1;
	/* scp-like user@host:path */
	const char *colon = strchr(s, ':');
	const char *slash = strchr(s, '/');
	return colon && (!slash || colon < slash);
}

/* `tip`: pub-`last`'s commit, which the mirror's branch is set to. Not
 * the branch's own tip: that may be a publication recorded but not yet
 * tagged (a publish stopped between the two, commit.c), which mirrors get
 * once the next publish has tagged it. */
static int push_one(nb_audit *a, const char *mirror, size_t last, const nb_oid *tip)
{
	char *url = is_url(mirror) || mirror[0] == '/' ? strdup(mirror)
						      : nb_path_join(a->cfg->site_dir, mirror);
	if (!url)
		abort();
	int rc = -1;
	if (!is_url(url) && !nb_fs_is_dir(url)) {
		if (nb_audit_init_mirror(a, url) < 0) {
			say(a->cfg, "cannot create the mirror %s: %s", url, a->err);
			free(url);
			return -1;
		}
	}
	nb_buf gd = NB_BUF_INIT, br = NB_BUF_INIT;
	nb_buf_printf(&gd, "--git-dir=%s", a->path);
	char hex[NB_OID_HEXSZ + 1];
	nb_oid_tostr(hex, sizeof(hex), tip);
	nb_buf_printf(&br, "%s:%s", hex, a->refname);
	/* --atomic: a mirror that refuses the branch (another history)
	 * takes none of the tags either, which would name commits its
	 * branch never had. */
	char *argv[] = { "git", gd.ptr, "push", "--quiet", "--atomic", url, br.ptr,
			 "refs/tags/pub-*:refs/tags/pub-*", NULL };
	int st = run_git(argv);
	if (st < 0) {
		say(a->cfg, "cannot run git to push to %s: %s", url, strerror(errno));
	} else if (st == 0) {
		tell(a->cfg, "pushed %s and pub-1..pub-%zu to %s", a->refname + 11, last, url);
		rc = 0;
	} else if (st == 1) {
		say(a->cfg, "%s refused the push (a mirror holding another history is never "
		    "overwritten)", url);
	} else {
		/* git dies with 128 when it never reached the mirror (a host
		 * that does not resolve, no access): calling that a refusal
		 * sent the publisher looking for another history there. */
		say(a->cfg, "cannot push to %s: git stopped (exit %d) for the reason it gave above",
		    url, st);
	}
	nb_buf_free(&gd);
	nb_buf_free(&br);
	free(url);
	return rc;
}

/* To `only`, or to every mirror site.yaml lists: an exit status. */
static int push_all(nb_audit *a, const nb_config *cfg, const char *only, size_t last,
		    const nb_oid *tip)
{
	if (only)
		return push_one(a, only, last, tip) ? NB_EXIT_IO : NB_EXIT_OK;
	if (!json_array_size(cfg->audit_mirrors)) {
		say(cfg, "no mirrors; list them in site.yaml under audit.mirrors, or give one: "
		    "noticeboard push PATH-OR-URL");
		return NB_EXIT_USAGE;
	}
	int rc = NB_EXIT_OK;
	size_t i;
	json_t *m;
	json_array_foreach(cfg->audit_mirrors, i, m) {
		if (json_is_string(m) && push_one(a, json_string_value(m), last, tip) != 0)
			rc = NB_EXIT_IO;
	}
	return rc;
}

int nb_cmd_push(const nb_cli *cli, int argc, char **argv)
{
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if (argv[i][0] != '-' && !only) {
			only = argv[i];
		} else {
			return nb_cli_unknown_arg(cli, "push", argv[i], usage);
		}
	}
	nb_config cfg;
	nb_audit a;
	int rc = nb_audit_open_site(&a, &cfg, cli->site_dir, "push");
	if (rc)
		return rc;
	size_t last;
	nb_oid tip;
	if (nb_audit_head(&a, 0, &last, &tip) != 0) {
		nb_audit_say(&cfg, "noticeboard push: ", a.err);
		rc = NB_EXIT_IO;
	} else if (!last) {
		say(&cfg, "no publications to push");
		rc = NB_EXIT_IO;
	} else {
		if (a.unfinished)
			say(&cfg, "publication %zu is recorded but not tagged (a publish stopped "
			    "between the two): pushing pub-1..pub-%zu; run `noticeboard publish`, "
			    "which tags it, then push again", a.unfinished, last);
		rc = push_all(&a, &cfg, only, last, &tip);
	}
	nb_audit_close(&a);
	nb_config_free(&cfg);
	return rc;
}

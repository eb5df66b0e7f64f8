/*
 * sign.c - signed publications: SSH signatures on each publication's
 * commit and on its pub-N tag, checked the way git checks them.
 *
 * Why it is built this way:
 *
 * - git's own format, so plain git verifies: the commit carries a
 *   `gpgsig` header, the tag the armoured signature after its message,
 *   both made by `ssh-keygen -Y sign -n git` (gpg.format=ssh), and
 *   `git verify-commit` / `git verify-tag` with gpg.ssh.allowedSignersFile
 *   accept them. The tag is signed too: it is the name auditors use
 *   ("pub-3"), and an unsigned tag could be moved to another signed commit
 *   without anyone's key.
 *
 * - A good signature is not enough: the key must belong to the publisher
 *   the record names. The allowed-signers principal is matched with the
 *   commit's author email (the tagger's for a tag), so one secretary's key
 *   cannot sign a publication in another's name.
 *
 * - Signing may be turned on after years of unsigned publications. Those
 *   stay as they are (history is never rewritten), so what is checked is
 *   that every publication from the first signed one on is signed and
 *   good; the earlier ones are reported as published before signing
 *   began, not as failures.
 *
 * - ssh-keygen is run as a child process with files in a private
 *   temporary folder; nothing is passed through a shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit/audit_internal.h"
#include "util/buf.h"
#include "util/fs.h"

#define sign_err nb_audit_set_err

/* ---- running ssh-keygen -------------------------------------------------- */

/* Read both pipes as the child writes them: reading one to its end first
 * would leave the child blocked on the other once that pipe's buffer
 * (64 KiB) is full, and both of us waiting for ever. Closes both fds.
 * 0, or -1 when poll fails. */
static int drain(int fo, int fe, nb_buf *out, nb_buf *err)
{
	struct pollfd fds[2] = { { .fd = fo, .events = POLLIN }, { .fd = fe, .events = POLLIN } };
	nb_buf *to[2] = { out, err };
	int open_fds = 2, rc = 0;
	char buf[4096];
	while (open_fds > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = -1;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			ssize_t n = read(fds[i].fd, buf, sizeof(buf));
			if (n > 0) {
				if (to[i])
					nb_buf_put(to[i], buf, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	return rc;
}

/* Run argv with stdin from `in` (or /dev/null), capturing stdout into
 * `out` and stderr into `err` (both optional). Returns the exit status,
 * RUN_SIGNAL + the signal that ended it (a crash, a kill), or -1 when it
 * could not be run at all. */
#define RUN_SIGNAL 256
static int run(char *const argv[], const char *in, nb_buf *out, nb_buf *err)
{
	int po[2], pe[2];
	if (pipe(po) != 0)
		return -1;
	if (pipe(pe) != 0) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		return -1;
	}
	if (pid == 0) {
		int fd = open(in ? in : "/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	int rc = drain(po[0], pe[0], out, err);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (rc != 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? RUN_SIGNAL + WTERMSIG(st) : -1;
}

/* The file execvp runs for `name`: the first executable one on PATH. A
 * failing ssh-keygen is named by it, as a stand-in early on PATH is not
 * OpenSSH's. `name` itself when none is found. */
static void on_path(const char *name, char *out, size_t n)
{
	const char *path = getenv("PATH");
	snprintf(out, n, "%s", name);
	for (const char *p = path; p && *p;) {
		size_t len = strcspn(p, ":");
		char dir[4096];
		snprintf(dir, sizeof(dir), "%.*s", (int)len, len ? p : ".");
		char *f = nb_path_join(dir, name);
		struct stat sb;
		int hit = stat(f, &sb) == 0 && S_ISREG(sb.st_mode) && access(f, X_OK) == 0;
		if (hit)
			snprintf(out, n, "%s", f);
		free(f);
		if (hit || !p[len])
			return;
		p += len + 1;
	}
}

static char *temp_dir(void)
{
	const char *t = getenv("TMPDIR");
	char *p = nb_path_join(t && t[0] ? t : "/tmp", "noticeboard-sig.XXXXXX");
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

/* The key or ssh-keygen refused (audit.h NB_KEY_*): a setting the
 * publisher fixes, not a disk that failed. a->err keeps ssh-keygen's last
 * line, without the passphrase prompt before it or the CR LF it ends
 * lines with on a terminal, which printed as \x0d\x0a. */
static void key_refuse(nb_audit *a, int kind, const nb_buf *err)
{
	char line[512] = "";
	if (err && err->len) {
		const char *s = err->ptr, *end = err->ptr + err->len;
		while (end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
			end--;
		const char *from = end;
		while (from > s && from[-1] != '\n' && from[-1] != '\r')
			from--;
		const char *prompt = "Enter passphrase: ";
		if ((size_t)(end - from) > strlen(prompt) && !strncmp(from, prompt, strlen(prompt)))
			from += strlen(prompt);
		snprintf(line, sizeof(line), "%.*s", (int)(end - from), from);
	}
	sign_err(a, "%s", line);
	a->key_refused = kind;
	/* ssh-keygen failing is no verdict on the settings (exit 3). */
	a->refused = kind != NB_KEY_TOOL_FAILED;
	a->io = 0;
}

/* What ran and how it ended, for NB_KEY_TOOL_FAILED: `args` are
 * ssh-keygen's arguments before the key's. */
static void tool_ran(nb_audit *a, const char *args, const char *key, int st)
{
	char tool[512];
	on_path("ssh-keygen", tool, sizeof(tool));
	snprintf(a->key_ran, sizeof(a->key_ran), "%s %s %s", tool, args, key);
	a->key_status = st;
}

/* Why ssh-keygen, which ended with `st` (run()), could not use `key`. */
static int key_trouble(const char *key, int st, const nb_buf *err)
{
	if (st == 127)
		return NB_KEY_NO_TOOL;
	if (st >= RUN_SIGNAL)
		return NB_KEY_TOOL_FAILED;
	struct stat sb;
	if (stat(key, &sb) != 0)
		return errno == ENOENT ? NB_KEY_MISSING : NB_KEY_UNREADABLE;
	if (!S_ISREG(sb.st_mode))
		return NB_KEY_NOT_FILE;
	int fd = open(key, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NB_KEY_UNREADABLE;
	close(fd);
	/* ssh-keygen ends with status 255 whenever it will not use a key, and
	 * names the key as it was given ("Load key \"KEY\": invalid format",
	 * "KEY is not a public key file."). Another status (1 is its usage
	 * message: one too old to know -Y sign), or words that are not about
	 * the key, are the program failing: calling that a refused key sent
	 * the publisher after a key that was fine. */
	const char *said = nb_buf_cstr(err);
	if (st != 255)
		return NB_KEY_TOOL_FAILED;
	if (strstr(said, "UNPROTECTED PRIVATE KEY FILE"))
		return NB_KEY_TOO_OPEN;
	if (strstr(said, "passphrase"))
		return NB_KEY_PASSPHRASE;
	return strstr(said, key) ? NB_KEY_INVALID : NB_KEY_TOOL_FAILED;
}

int nb_audit_ssh_key_check(nb_audit *a, const char *key)
{
	/* As ssh-keygen opens it: a folder opens too, and is no key. */
	int fd = open(key, O_RDONLY | O_CLOEXEC);
	int why = errno;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		nb_buf err = NB_BUF_INIT;
		if (fd < 0)
			nb_buf_puts(&err, strerror(why));
		key_refuse(a, fd >= 0 ? NB_KEY_NOT_FILE : why == ENOENT ? NB_KEY_MISSING
			   : NB_KEY_UNREADABLE, &err);
		nb_buf_free(&err);
		return -1;
	}
	close(fd);
	/* The fingerprint needs no passphrase: ssh-keygen is there, and the
	 * file is a key it reads. */
	char *argv[] = { "ssh-keygen", "-l", "-f", (char *)key, NULL };
	nb_buf err = NB_BUF_INIT;
	int rc = run(argv, NULL, NULL, &err);
	if (rc > 0) {
		tool_ran(a, "-l -f", key, rc);
		key_refuse(a, key_trouble(key, rc, &err), &err);
	} else if (rc < 0) {
		sign_err(a, "cannot run ssh-keygen: %s", strerror(errno));
	}
	nb_buf_free(&err);
	return rc == 0 ? 0 : -1;
}

int nb_audit_ssh_sign(nb_audit *a, const char *key, const char *payload, nb_buf *sig)
{
	char *dir = temp_dir();
	if (!dir) {
		sign_err(a, "cannot create a temporary folder: %s", strerror(errno));
		return -1;
	}
	char *file = nb_path_join(dir, "commit");
	char *sigf = nb_path_join(dir, "commit.sig");
	int rc = -1;
	if (nb_fs_write(file, payload, strlen(payload)) != 0) {
		sign_err(a, "cannot write %s: %s", file, strerror(errno));
	} else {
		char *argv[] = { "ssh-keygen", "-Y", "sign", "-n", "git", "-f",
				 (char *)key, file, NULL };
		nb_buf err = NB_BUF_INIT;
		int st = run(argv, NULL, NULL, &err);
		char *data;
		size_t len;
		if (st > 0) {
			tool_ran(a, "-Y sign -n git -f", key, st);
			key_refuse(a, key_trouble(key, st, &err), &err);
		} else if (st != 0) {
			sign_err(a, "ssh-keygen could not sign with %s: %s", key,
				err.len ? nb_buf_cstr(&err) : "failed to run");
		} else if (nb_fs_read(sigf, 0, &data, &len) != 0) {
			sign_err(a, "ssh-keygen wrote no signature");
		} else {
			nb_buf_put(sig, data, len);
			free(data);
			rc = 0;
		}
		nb_buf_free(&err);
	}
	unlink(file);
	unlink(sigf);
	rmdir(dir);
	free(file);
	free(sigf);
	free(dir);
	return rc;
}


/*
 * Check `sig` over `payload` against `allowed` for the principal `email`.
 * 0 good; -1 with a->err saying why (a key not allowed, another signer's
 * key, a bad signature).
 */
static int verify_payload(nb_audit *a, const char *payload, size_t plen, const char *sig,
			  size_t slen, const char *allowed, const char *email)
{
	/* ssh-keygen fails alike on a file it cannot read and on a key not in
	 * it: a typo in --allowed-signers would read as every publication
	 * signed by a stranger. A read error is said as one (a->io). */
	int fd = open(allowed, O_RDONLY | O_CLOEXEC);
	char byte;
	if (fd < 0 || read(fd, &byte, 1) < 0) {
		sign_err(a, "cannot read %s: %s", allowed, strerror(errno));
		a->io = 1;
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	char *dir = temp_dir();
	if (!dir) {
		sign_err(a, "cannot create a temporary folder: %s", strerror(errno));
		return -1;
	}
	char *pf = nb_path_join(dir, "payload");
	char *sf = nb_path_join(dir, "payload.sig");
	int rc = -1;
	if (nb_fs_write(pf, payload, plen) != 0 || nb_fs_write(sf, sig, slen) != 0) {
		sign_err(a, "cannot write temporary files in %s", dir);
	} else {
		nb_buf out = NB_BUF_INIT, err = NB_BUF_INIT;
		char *vf[] = { "ssh-keygen", "-Y", "verify", "-f", (char *)allowed, "-I",
			       (char *)email, "-n", "git", "-s", sf, NULL };
		if (run(vf, pf, &out, &err) == 0) {
			rc = 0;
		} else if (err.len && (strstr(err.ptr, "Signature verification failed") ||
				       strstr(err.ptr, "Couldn't parse signature"))) {
			/* The key may be the right one, the bytes are not what it
			 * signed (or the signature is cut short or garbled):
			 * naming the key's owner would read as "wrong key". */
			char *e = nb_buf_detach(&err);
			e[strcspn(e, "\n")] = '\0';
			sign_err(a, "bad signature: %s", e);
			free(e);
		} else {
			/* Why not: whose key it is, if anyone's. */
			char *fp[] = { "ssh-keygen", "-Y", "find-principals", "-f",
				       (char *)allowed, "-s", sf, NULL };
			nb_buf who = NB_BUF_INIT;
			if (run(fp, NULL, &who, NULL) != 0 || !who.len) {
				sign_err(a, "signed by a key not in %s", allowed);
			} else {
				char *w = nb_buf_detach(&who);
				w[strcspn(w, "\n")] = '\0';
				sign_err(a, "signed with the key of %s, but the publisher is %s: the "
					 "signing key must be the publisher's own (audit.allowed_signers)",
					 w, email);
				free(w);
			}
			nb_buf_free(&who);
		}
		nb_buf_free(&out);
		nb_buf_free(&err);
	}
	unlink(pf);
	unlink(sf);
	rmdir(dir);
	free(pf);
	free(sf);
	free(dir);
	return rc;
}

int nb_audit_verify_signature(nb_audit *a, const nb_oid *commit_id,
			      const char *allowed_signers, char *who, size_t who_size)
{
	const git_oid *commit = to_git(commit_id);
	git_buf sig = GIT_BUF_INIT, data = GIT_BUF_INIT;
	int rc = git_commit_extract_signature(&sig, &data, a->repo, (git_oid *)commit, NULL);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		sign_err(a, "not signed");
		return GIT_ENOTFOUND;
	}
	if (rc < 0) {
		const git_error *e = git_error_last();
		sign_err(a, "cannot read the signature: %s", e && e->message ? e->message : "");
		a->io = e && e->klass == GIT_ERROR_OS;
		return -1;
	}
	git_commit *c = NULL;
	rc = git_commit_lookup(&c, a->repo, commit);
	if (rc == 0) {
		const char *email = git_commit_author(c)->email;
		rc = verify_payload(a, data.ptr, data.size, sig.ptr, sig.size, allowed_signers, email);
		if (rc == 0)
			snprintf(who, who_size, "%s", email);
		git_commit_free(c);
	} else {
		sign_err(a, "cannot read the commit");
		rc = -1;
	}
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	return rc;
}

int nb_audit_signed_with_key(nb_audit *a, const nb_oid *commit_id, const char *key)
{
	git_buf sig = GIT_BUF_INIT, data = GIT_BUF_INIT;
	int rc = git_commit_extract_signature(&sig, &data, a->repo, (git_oid *)to_git(commit_id),
					      NULL);
	if (rc < 0) {
		git_error_clear();
		sign_err(a, "not signed");
		return -1;
	}
	char *yf[] = { "ssh-keygen", "-y", "-f", (char *)key, NULL };
	nb_buf pub = NB_BUF_INIT, err = NB_BUF_INIT;
	char *dir = NULL, *allowed = NULL;
	rc = -1;
	/* The public half as ssh-keygen wrote it beside the key: -y asks for
	 * a passphrase, which without a terminal (the key in ssh-agent)
	 * fails, and the publisher's own publication cut short before its
	 * tag was then called not theirs, to be discarded. */
	nb_buf pubfile = NB_BUF_INIT;
	nb_buf_printf(&pubfile, "%s.pub", key);
	char *text = NULL;
	size_t tlen = 0;
	if (nb_fs_read(nb_buf_cstr(&pubfile), 64 * 1024, &text, &tlen) == 0 && tlen &&
	    !memchr(text, '\0', tlen))
		nb_buf_put(&pub, text, strcspn(text, "\n"));
	free(text);
	nb_buf_free(&pubfile);
	if (!pub.len && (run(yf, NULL, &pub, &err) != 0 || !pub.len)) {
		sign_err(a, "cannot read the public half of %s: %s", key,
			 err.len ? nb_buf_cstr(&err) : "ssh-keygen failed");
	} else if (!(dir = temp_dir())) {
		sign_err(a, "cannot create a temporary folder: %s", strerror(errno));
	} else {
		/* One principal, this key: an allowed-signers file of our own. */
		nb_buf line = NB_BUF_INIT;
		nb_buf_printf(&line, "publisher namespaces=\"git\" %s", nb_buf_cstr(&pub));
		allowed = nb_path_join(dir, "allowed");
		if (nb_fs_write(allowed, line.ptr, line.len) != 0)
			sign_err(a, "cannot write %s: %s", allowed, strerror(errno));
		else
			rc = verify_payload(a, data.ptr, data.size, sig.ptr, sig.size, allowed,
					    "publisher");
		/* Our allowed-signers file is gone by the time anyone reads this. */
		if (rc != 0 && !strncmp(a->err, "signed by a key not in ", 23))
			sign_err(a, "signed with a key other than %s", key);
		nb_buf_free(&line);
		unlink(allowed);
		rmdir(dir);
	}
	free(allowed);
	free(dir);
	nb_buf_free(&pub);
	nb_buf_free(&err);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	return rc;
}

static const char SSH_ARMOR[] = "-----BEGIN SSH SIGNATURE-----";

int nb_audit_verify_tag_signature(nb_audit *a, const nb_oid *tag_id,
				  const char *allowed_signers, char *who, size_t who_size)
{
	const git_oid *tag = to_git(tag_id);
	git_odb_object *o = NULL;
	if (git_odb_read(&o, a->odb, tag) < 0) {
		const git_error *e = git_error_last();
		sign_err(a, "cannot read the tag: %s", e && e->message ? e->message : "");
		a->io = e && e->klass == GIT_ERROR_OS;
		return -1;
	}
	const char *data = git_odb_object_data(o);
	size_t len = git_odb_object_size(o);
	char *text = strndup(data, len);
	if (!text)
		abort();
	git_odb_object_free(o);
	/* git's rule: the signature starts at the armour, at a line start. */
	char *armor = NULL;
	for (char *p = strstr(text, SSH_ARMOR); p; p = strstr(p + 1, SSH_ARMOR))
		if (p == text || p[-1] == '\n')
			armor = p;
	char *tl = strstr(text, "\ntagger ");
	int rc;
	if (!armor || !tl) {
		sign_err(a, "not signed");
		rc = GIT_ENOTFOUND;
	} else {
		/* The tagger's email, between < and > on its line. */
		char *lt = strchr(tl, '<'), *gt = lt ? strchr(lt, '>') : NULL;
		char *eol = strchr(tl + 1, '\n');
		if (!lt || !gt || (eol && gt > eol)) {
			sign_err(a, "the tag names no tagger");
			rc = -1;
		} else {
			char *email = strndup(lt + 1, (size_t)(gt - lt - 1));
			if (!email)
				abort();
			rc = verify_payload(a, text, (size_t)(armor - text), armor, strlen(armor),
					    allowed_signers, email);
			if (rc == 0)
				snprintf(who, who_size, "%s", email);
			free(email);
		}
	}
	free(text);
	return rc;
}

/* The tagger line's time: "+0800" from minutes east. */
static void put_offset(nb_buf *b, int minutes)
{
	char sign = minutes < 0 ? '-' : '+';
	int m = minutes < 0 ? -minutes : minutes;
	nb_buf_printf(b, "%c%02d%02d", sign, m / 60, m % 60);
}

int nb_audit_tag_write(nb_audit *a, const char *name, const nb_oid *commit_id,
		       const nb_signature *tagger, const char *message,
		       const char *signing_key, nb_oid *out_id)
{
	const git_oid *commit = to_git(commit_id);
	git_oid *out = to_git_w(out_id);
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), commit);
	nb_buf t = NB_BUF_INIT;
	nb_buf_printf(&t, "object %s\ntype commit\ntag %s\ntagger %s <%s> %lld ", hex, name,
		      tagger->name, tagger->email, (long long)tagger->when.time);
	put_offset(&t, tagger->when.offset);
	nb_buf_printf(&t, "\n\n%s", message);
	/* The armour must start a line, or git (and the check above) finds
	 * no signature; git tag ends every message so. */
	if (message[0] && message[strlen(message) - 1] != '\n')
		nb_buf_putc(&t, '\n');
	int rc = 0;
	if (signing_key) {
		nb_buf sig = NB_BUF_INIT;
		rc = nb_audit_ssh_sign(a, signing_key, nb_buf_cstr(&t), &sig);
		nb_buf_put(&t, sig.ptr, sig.len);
		nb_buf_free(&sig);
	}
	if (rc == 0 && git_odb_write(out, a->odb, t.ptr, t.len, GIT_OBJECT_TAG) < 0) {
		const git_error *e = git_error_last();
		sign_err(a, "cannot write the tag: %s", e && e->message ? e->message : "");
		a->io = e && e->klass == GIT_ERROR_OS;
		rc = -1;
	}
	nb_buf_free(&t);
	return rc;
}

int nb_audit_commit_signed(const nb_commit *c)
{
	git_buf b = { 0 };
	int rc = git_commit_header_field(&b, c, "gpgsig") == 0;
	git_buf_dispose(&b);
	return rc;
}

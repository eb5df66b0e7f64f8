/*
 * test_sign.c - signed publications (sign.c): what publish signs with
 * audit.signing_key is what git itself accepts (git verify-commit and
 * verify-tag against an allowed-signers file), and the checks refuse, each
 * with a message saying why, a changed commit or tag, a signature made with
 * another key, one cut short or garbled, and a key file that is missing, a
 * folder, open to others or not a key (a refusal of the setting, each
 * told apart, and found before building where no passphrase is needed).
 * nb_audit_signed_with_key accepts that very key and nothing else.
 *
 * Keys are made with ssh-keygen (ed25519, no passphrase) in the chain's
 * temporary folder; the suite is skipped where ssh-keygen is missing.
 */
#include <fcntl.h>
#include <signal.h>

#include "audit/auditor.h"
#include "chain_fixture.h"
#include "harness.h"

typedef struct keys {
	char *mine;      /* t@example.org's private key */
	char *other;     /* o@example.org's, also in allowed_signers */
	char *stranger;  /* in no allowed-signers file */
	char *allowed;   /* allowed_signers naming mine and other */
} keys;

static char *make_key(chain *ch, const char *name)
{
	char *p = nb_path_join(ch->dir, name);
	if (chain_sh("ssh-keygen -q -t ed25519 -N '' -C %s -f '%s' </dev/null >/dev/null 2>&1", name,
	       p) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

/* A chain whose site signs with k->mine; 0 when everything was made. */
static int keys_open(chain *ch, keys *k)
{
	memset(k, 0, sizeof(*k));
	chain_open(ch);
	if (!ch->ok)
		return -1;
	k->mine = make_key(ch, "mine");
	k->other = make_key(ch, "other");
	k->stranger = make_key(ch, "stranger");
	k->allowed = nb_path_join(ch->dir, "allowed_signers");
	if (!k->mine || !k->other || !k->stranger)
		return -1;
	ch->cfg.audit_signing_key = k->mine;
	return chain_sh("{ printf 't@example.org namespaces=\"git\" '; cat '%s.pub';"
		  "  printf 'o@example.org namespaces=\"git\" '; cat '%s.pub'; } >'%s'",
		  k->mine, k->other, k->allowed);
}

static void keys_close(chain *ch, keys *k)
{
	free(k->mine);
	free(k->other);
	free(k->stranger);
	free(k->allowed);
	chain_close(ch);
}

/* Publication n + 1 by `who` ("NAME <EMAIL>"), commit and tag signed with
 * `key` (NULL: unsigned), as publish records it. 0 or -1. */
static int pub(chain *ch, const char *who, const char *key)
{
	size_t n = ch->n + 1;
	char msg[64];
	snprintf(msg, sizeof(msg), "Publication %zu: test", n);
	nb_audit_files f = { 0 };
	nb_oid tree;
	nb_signature *sig = NULL;
	int rc = chain_blob(ch, &f, "public/index.html", msg);
	if (rc == 0)
		rc = nb_audit_write_tree(&ch->a, &f, &tree);
	if (rc == 0)
		rc = nb_audit_signature_parse(&sig, who);
	ch->cfg.audit_signing_key = (char *)key;
	if (rc == 0)
		rc = nb_audit_commit(&ch->a, &tree, n > 1 ? &ch->c[n - 1] : NULL, n, msg, sig,
				     key, &ch->c[n]);
	if (rc == 0)
		ch->n = n;
	nb_signature_free(sig);
	nb_audit_files_free(&f);
	return rc;
}

/* `git verify-commit` / `verify-tag` of `rev` against `allowed`, as the
 * README's auditor's guide runs it: 0 when git accepts it. */
static int git_verify(chain *ch, const char *what, const char *rev, const char *allowed)
{
	return chain_git(ch, "-c gpg.ssh.allowedSignersFile='%s' verify-%s '%s'", allowed, what,
			 rev);
}

/* How forge changes an object's text: in place; 0, or -1 when it cannot. */
typedef int (*mutate_fn)(nb_buf *obj, const char *from, const char *to);

/* The first `from` replaced by `to`. */
static int replace(nb_buf *obj, const char *from, const char *to)
{
	const char *at = strstr(nb_buf_cstr(obj), from);
	if (!at)
		return -1;
	nb_buf out = NB_BUF_INIT;
	nb_buf_put(&out, obj->ptr, (size_t)(at - obj->ptr));
	nb_buf_puts(&out, to);
	nb_buf_puts(&out, at + strlen(from));
	nb_buf_free(obj);
	*obj = out;
	return 0;
}

/* One base64 character of the signature's body changed, ten before its
 * end (past the padding, whose bits a decoder may ignore). */
static int garble(nb_buf *obj, const char *from, const char *to)
{
	char *end = strstr(nb_buf_cstr(obj), "-----END SSH SIGNATURE-----");
	int n = 0;
	for (char *p = end; p && p > obj->ptr; p--)
		if (p[-1] != '\n' && p[-1] != ' ' && p[-1] != '=' && ++n == 10) {
			p[-1] = p[-1] == 'A' ? 'B' : 'A';
			return 0;
		}
	return -1;
}

/* A copy of object `rev` (a commit or tag) changed by `fn`, written to
 * the repository; its id in `hex`. 0 or -1. */
static int forge_with(chain *ch, const char *rev, const char *type, mutate_fn fn,
		      const char *from, const char *to, char hex[GIT_OID_HEXSZ + 1])
{
	nb_buf cmd = NB_BUF_INIT;
	nb_buf_printf(&cmd, "git -C '%s' cat-file %s '%s'", ch->repo, type, rev);
	FILE *p = popen(nb_buf_cstr(&cmd), "r");
	nb_buf_free(&cmd);
	if (!p)
		return -1;
	nb_buf obj = NB_BUF_INIT;
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof(buf), p)) > 0)
		nb_buf_put(&obj, buf, got);
	int rc = pclose(p) == 0 && obj.len ? fn(&obj, from, to) : -1;
	char *file = nb_path_join(ch->dir, "forged");
	if (rc == 0)
		rc = nb_fs_write(file, obj.ptr, obj.len);
	if (rc == 0)
		rc = chain_git_out(ch, hex, GIT_OID_HEXSZ + 1, "hash-object -w -t %s '%s'", type,
				   file);
	free(file);
	nb_buf_free(&obj);
	return rc;
}

static int forge(chain *ch, const char *rev, const char *type, const char *from, const char *to,
		 char hex[GIT_OID_HEXSZ + 1])
{
	return forge_with(ch, rev, type, replace, from, to, hex);
}

static nb_oid oid_hex(const char *hex)
{
	nb_oid id;
	git_oid_fromstr(to_git_w(&id), hex);
	return id;
}

/* pub-n's tag object id. */
static nb_oid tag_of(chain *ch, size_t n)
{
	char rev[32], hex[GIT_OID_HEXSZ + 1] = "";
	snprintf(rev, sizeof(rev), "refs/tags/pub-%zu", n);
	chain_rev(ch, rev, hex);
	return oid_hex(hex);
}

#define NEED_KEYS(ch, k)                                                      \
	do {                                                                  \
		if (keys_open(ch, k) != 0) {                                  \
			keys_close(ch, k);                                    \
			nb_test_skip("ssh-keygen cannot make keys here");     \
		}                                                             \
	} while (0)

NB_TEST(signed_publication_verifies_as_git_does)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	NB_CHECK(pub(&ch, "Test <t@example.org>", k.mine) == 0);
	char who[128] = "";
	NB_CHECK(nb_audit_verify_signature(&ch.a, &ch.c[1], k.allowed, who, sizeof(who)) == 0);
	NB_CHECK_STR(who, "t@example.org");
	nb_oid tag = tag_of(&ch, 1);
	who[0] = '\0';
	NB_CHECK(nb_audit_verify_tag_signature(&ch.a, &tag, k.allowed, who, sizeof(who)) == 0);
	NB_CHECK_STR(who, "t@example.org");
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &ch.c[1], k.mine) == 0);
	/* Plain git agrees: the signatures are git's own format. */
	NB_CHECK(git_verify(&ch, "commit", "pub-1^{commit}", k.allowed) == 0);
	NB_CHECK(git_verify(&ch, "tag", "pub-1", k.allowed) == 0);
	/* The history pages see a signature. */
	git_commit *c = NULL;
	NB_CHECK(git_commit_lookup(&c, ch.a.repo, to_git(&ch.c[1])) == 0);
	NB_CHECK(c && nb_audit_commit_signed(c));
	git_commit_free(c);
	keys_close(&ch, &k);
}

NB_TEST(unsigned_publication)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	NB_CHECK(pub(&ch, "Test <t@example.org>", NULL) == 0);
	char who[128] = "untouched";
	NB_CHECK(nb_audit_verify_signature(&ch.a, &ch.c[1], k.allowed, who, sizeof(who)) ==
		 GIT_ENOTFOUND);
	NB_CHECK_STR(ch.a.err, "not signed");
	NB_CHECK_STR(who, "untouched");
	nb_oid tag = tag_of(&ch, 1);
	NB_CHECK(nb_audit_verify_tag_signature(&ch.a, &tag, k.allowed, who, sizeof(who)) ==
		 GIT_ENOTFOUND);
	NB_CHECK_STR(ch.a.err, "not signed");
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &ch.c[1], k.mine) == -1);
	NB_CHECK_STR(ch.a.err, "not signed");
	git_commit *c = NULL;
	NB_CHECK(git_commit_lookup(&c, ch.a.repo, to_git(&ch.c[1])) == 0);
	NB_CHECK(c && !nb_audit_commit_signed(c));
	git_commit_free(c);
	NB_CHECK(git_verify(&ch, "commit", "pub-1^{commit}", k.allowed) != 0);
	keys_close(&ch, &k);
}

/* Another allowed signer's key on a publication in t@'s name: refused,
 * naming whose key it was; a key nobody allowed: refused as such. */
NB_TEST(another_key)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	NB_CHECK(pub(&ch, "Test <t@example.org>", k.other) == 0);
	NB_CHECK(pub(&ch, "Test <t@example.org>", k.stranger) == 0);
	char who[128] = "";
	NB_CHECK(nb_audit_verify_signature(&ch.a, &ch.c[1], k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "signed with the key of o@example.org, but the publisher is "
			  "t@example.org");
	NB_CHECK_STR(who, "");
	nb_oid tag = tag_of(&ch, 1);
	NB_CHECK(nb_audit_verify_tag_signature(&ch.a, &tag, k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "signed with the key of o@example.org, but the publisher is "
			  "t@example.org");
	NB_CHECK(nb_audit_verify_signature(&ch.a, &ch.c[2], k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "signed by a key not in ");
	NB_CHECK_CONTAINS(ch.a.err, k.allowed);
	tag = tag_of(&ch, 2);
	NB_CHECK(nb_audit_verify_tag_signature(&ch.a, &tag, k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "signed by a key not in ");
	NB_CHECK_STR(who, "");
	/* git refuses the stranger's too; signed_with_key only takes its key. */
	NB_CHECK(git_verify(&ch, "commit", "pub-2^{commit}", k.allowed) != 0);
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &ch.c[1], k.mine) == -1);
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &ch.c[1], k.stranger) == -1);
	/* Said against the key, not a temporary file that is gone. */
	NB_CHECK_CONTAINS(ch.a.err, "signed with a key other than ");
	NB_CHECK_CONTAINS(ch.a.err, k.stranger);
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &ch.c[1], k.other) == 0);
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &ch.c[2], k.mine) == -1);
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &ch.c[2], k.stranger) == 0);
	keys_close(&ch, &k);
}

/* The publisher's own key over bytes that changed afterwards: a bad
 * signature, said as such (not as someone else's key). */
NB_TEST(tampered_commit_and_tag)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	NB_CHECK(pub(&ch, "Test <t@example.org>", k.mine) == 0);
	char hex[GIT_OID_HEXSZ + 1] = "", who[128] = "";
	NB_CHECK(forge(&ch, "pub-1^{commit}", "commit", "Publication 1: test",
		       "Publication 1: tesT", hex) == 0);
	nb_oid forged = oid_hex(hex);
	NB_CHECK(!nb_oid_equal(&forged, &ch.c[1]));
	NB_CHECK(nb_audit_verify_signature(&ch.a, &forged, k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "bad signature");
	NB_CHECK(!strstr(ch.a.err, "signed with the key of"));
	NB_CHECK_STR(who, "");
	NB_CHECK(git_verify(&ch, "commit", hex, k.allowed) != 0);
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &forged, k.mine) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "bad signature");
	/* The author moved to another allowed signer's name: the bytes
	 * changed after signing, so bad, whoever's key it is. */
	NB_CHECK(forge(&ch, "pub-1^{commit}", "commit", "<t@example.org>", "<o@example.org>",
		       hex) == 0);
	forged = oid_hex(hex);
	NB_CHECK(nb_audit_verify_signature(&ch.a, &forged, k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "bad signature");
	NB_CHECK(git_verify(&ch, "commit", hex, k.allowed) != 0);
	/* A tag pointed at another commit (its signature is over the old). */
	NB_CHECK(pub(&ch, "Test <t@example.org>", k.mine) == 0);
	char c2[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_rev(&ch, "pub-2^{commit}", c2) == 0);
	char c1[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_rev(&ch, "pub-1^{commit}", c1) == 0);
	NB_CHECK(forge(&ch, "pub-1", "tag", c1, c2, hex) == 0);
	forged = oid_hex(hex);
	NB_CHECK(nb_audit_verify_tag_signature(&ch.a, &forged, k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "bad signature");
	NB_CHECK(git_verify(&ch, "tag", hex, k.allowed) != 0);
	keys_close(&ch, &k);
}

/* A signature cut short or with a garbled byte: refused as bad, never
 * taken for a missing one or a stranger's key. */
NB_TEST(truncated_or_garbled_signature)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	NB_CHECK(pub(&ch, "Test <t@example.org>", k.mine) == 0);
	char hex[GIT_OID_HEXSZ + 1] = "", who[128] = "";
	/* Without its footer (the tag's signature ends the object). */
	NB_CHECK(forge(&ch, "pub-1", "tag", "-----END SSH SIGNATURE-----\n", "", hex) == 0);
	nb_oid forged = oid_hex(hex);
	NB_CHECK(nb_audit_verify_tag_signature(&ch.a, &forged, k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "bad signature");
	NB_CHECK(git_verify(&ch, "tag", hex, k.allowed) != 0);
	/* One character of the signature changed. */
	NB_CHECK(forge_with(&ch, "pub-1", "tag", garble, NULL, NULL, hex) == 0);
	forged = oid_hex(hex);
	NB_CHECK(nb_audit_verify_tag_signature(&ch.a, &forged, k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "bad signature");
	NB_CHECK(git_verify(&ch, "tag", hex, k.allowed) != 0);
	/* The commit's gpgsig header without its footer. */
	NB_CHECK(forge(&ch, "pub-1^{commit}", "commit", " -----END SSH SIGNATURE-----\n", "",
		       hex) == 0);
	forged = oid_hex(hex);
	NB_CHECK(nb_audit_verify_signature(&ch.a, &forged, k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "bad signature");
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &forged, k.mine) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "bad signature");
	NB_CHECK(forge_with(&ch, "pub-1^{commit}", "commit", garble, NULL, NULL, hex) == 0);
	forged = oid_hex(hex);
	NB_CHECK(nb_audit_verify_signature(&ch.a, &forged, k.allowed, who, sizeof(who)) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "bad signature");
	NB_CHECK(git_verify(&ch, "commit", hex, k.allowed) != 0);
	NB_CHECK_STR(who, "");
	keys_close(&ch, &k);
}

/* The key file: what a secretary gets wrong in site.yaml or on disk. Each
 * fails to sign, nothing is recorded, and the failure is the setting's (a
 * refusal, publish exits 1), told apart by what went wrong. */
NB_TEST(bad_key_files)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	char *missing = nb_path_join(ch.dir, "no-such-key");
	char *folder = nb_path_join(ch.dir, "afolder");
	char *garbage = nb_path_join(ch.dir, "garbage");
	char *open = nb_path_join(ch.dir, "open");
	mkdir(folder, 0700);
	nb_fs_write(garbage, "not a key\n", 10);
	chmod(garbage, 0600);
	NB_CHECK(chain_sh("cp '%s' '%s' && chmod 0644 '%s'", k.mine, open, open) == 0);
	const char *bad[] = { missing, folder, garbage, open, NULL };
	const int why[] = { NB_KEY_MISSING, NB_KEY_NOT_FILE, NB_KEY_INVALID, NB_KEY_TOO_OPEN };
	for (size_t i = 0; bad[i]; i++) {
		nb_buf sig = NB_BUF_INIT;
		ch.a.refused = ch.a.key_refused = 0;
		NB_CHECK(nb_audit_ssh_sign(&ch.a, bad[i], "payload\n", &sig) == -1);
		NB_CHECK(sig.len == 0);
		NB_CHECK(ch.a.refused && !ch.a.io);
		NB_CHECK(ch.a.key_refused == why[i]);
		/* ssh-keygen's last line, without the CR LF a terminal gets. */
		NB_CHECK(ch.a.err[0] && !strpbrk(ch.a.err, "\r\n"));
		nb_buf_free(&sig);
		NB_CHECK(pub(&ch, "Test <t@example.org>", bad[i]) == -1);
		NB_CHECK(ch.a.key_refused == why[i]);
		NB_CHECK(ch.n == 0);
		NB_CHECK(chain_git(&ch, "rev-parse --verify -q refs/heads/publications") != 0);
	}
	NB_CHECK_CONTAINS(ch.a.err, "private key");
	/* signed_with_key with such a key refuses and says it cannot read it. */
	NB_CHECK(pub(&ch, "Test <t@example.org>", k.mine) == 0);
	for (size_t i = 0; bad[i]; i++) {
		NB_CHECK(nb_audit_signed_with_key(&ch.a, &ch.c[1], bad[i]) == -1);
		NB_CHECK_CONTAINS(ch.a.err, "cannot read the public half of ");
		NB_CHECK_CONTAINS(ch.a.err, bad[i]);
	}
	free(missing);
	free(folder);
	free(garbage);
	free(open);
	keys_close(&ch, &k);
}

/* What publish checks before building: every key file that cannot sign
 * whatever is typed, and a missing ssh-keygen, are found without asking
 * for a passphrase; a key locked by one passes (only signing can tell
 * whether it will be given). */
NB_TEST(key_checked_before_signing)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	char *missing = nb_path_join(ch.dir, "no-such-key");
	char *folder = nb_path_join(ch.dir, "afolder");
	char *garbage = nb_path_join(ch.dir, "garbage");
	char *locked = nb_path_join(ch.dir, "locked");
	mkdir(folder, 0700);
	nb_fs_write(garbage, "not a key\n", 10);
	NB_CHECK(chain_sh("ssh-keygen -q -t ed25519 -N 'secret words' -f '%s' </dev/null",
			  locked) == 0);
	const char *bad[] = { missing, folder, garbage, NULL };
	const int why[] = { NB_KEY_MISSING, NB_KEY_NOT_FILE, NB_KEY_INVALID };
	for (size_t i = 0; bad[i]; i++) {
		ch.a.refused = ch.a.key_refused = 0;
		NB_CHECK(nb_audit_ssh_key_check(&ch.a, bad[i]) == -1);
		NB_CHECK(ch.a.refused && ch.a.key_refused == why[i]);
	}
	ch.a.refused = ch.a.key_refused = 0;
	NB_CHECK(nb_audit_ssh_key_check(&ch.a, k.mine) == 0);
	NB_CHECK(nb_audit_ssh_key_check(&ch.a, locked) == 0);
	NB_CHECK(!ch.a.refused && !ch.a.key_refused);
	/* Signing with it, no terminal and no agent to give the passphrase. */
	char *agent = getenv("SSH_AUTH_SOCK") ? strdup(getenv("SSH_AUTH_SOCK")) : NULL;
	unsetenv("SSH_AUTH_SOCK");
	nb_buf sig = NB_BUF_INIT;
	int tty = open("/dev/tty", O_RDONLY | O_CLOEXEC);
	if (tty >= 0) {
		/* ssh-keygen would ask the terminal, and wait. */
		close(tty);
		fprintf(stderr, "  key_checked_before_signing: a terminal: passphrase not tried\n");
	} else {
		NB_CHECK(nb_audit_ssh_sign(&ch.a, locked, "payload\n", &sig) == -1);
		NB_CHECK(ch.a.refused && ch.a.key_refused == NB_KEY_PASSPHRASE);
	}
	if (agent)
		setenv("SSH_AUTH_SOCK", agent, 1);
	free(agent);
	nb_buf_free(&sig);
	/* No ssh-keygen on the PATH. */
	const char *old = getenv("PATH");
	char *saved = strdup(old ? old : "/usr/bin:/bin");
	NB_CHECK(setenv("PATH", ch.dir, 1) == 0);
	ch.a.refused = ch.a.key_refused = 0;
	NB_CHECK(nb_audit_ssh_key_check(&ch.a, k.mine) == -1);
	NB_CHECK(ch.a.refused && ch.a.key_refused == NB_KEY_NO_TOOL);
	NB_CHECK(nb_audit_ssh_sign(&ch.a, k.mine, "payload\n", &sig) == -1);
	NB_CHECK(ch.a.key_refused == NB_KEY_NO_TOOL);
	NB_CHECK(setenv("PATH", saved, 1) == 0);
	free(saved);
	nb_buf_free(&sig);
	free(missing);
	free(folder);
	free(garbage);
	free(locked);
	keys_close(&ch, &k);
}

/* A publication cut short before its tag is finished only when signed
 * with the site's key, compared through the key's public half: read from
 * KEY.pub beside it, so a key locked by a passphrase (signing through
 * ssh-agent, no terminal to type it) is still known for the publisher's. */
NB_TEST(signed_with_locked_key)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	NB_CHECK(pub(&ch, "Test <t@example.org>", k.mine) == 0);
	char *locked = nb_path_join(ch.dir, "locked");
	NB_CHECK(chain_sh("cp '%s' '%s' && cp '%s.pub' '%s.pub' && ssh-keygen -q -p -P '' "
			  "-N 'secret words' -f '%s' </dev/null >/dev/null", k.mine, locked,
			  k.mine, locked, locked) == 0);
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &ch.c[1], locked) == 0);
	/* The half beside it is what is compared: another key's is refused. */
	NB_CHECK(chain_sh("cp '%s.pub' '%s.pub'", k.other, locked) == 0);
	NB_CHECK(nb_audit_signed_with_key(&ch.a, &ch.c[1], locked) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "signed with a key other than");
	free(locked);
	keys_close(&ch, &k);
}

/* A tag written with a message that does not end its line: the signature
 * still starts a line, where git (and the check) look for it. */
NB_TEST(tag_message_without_newline)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	NB_CHECK(pub(&ch, "Test <t@example.org>", k.mine) == 0);
	nb_signature *tagger = NULL;
	NB_CHECK(nb_audit_signature_parse(&tagger, "Test <t@example.org>") == 0);
	nb_oid tag;
	NB_CHECK(nb_audit_tag_write(&ch.a, "extra", &ch.c[1], tagger, "no newline", k.mine,
				    &tag) == 0);
	char who[128] = "";
	NB_CHECK(nb_audit_verify_tag_signature(&ch.a, &tag, k.allowed, who, sizeof(who)) == 0);
	NB_CHECK_STR(who, "t@example.org");
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), to_git(&tag));
	NB_CHECK(git_verify(&ch, "tag", hex, k.allowed) == 0);
	/* The message is kept, its line ended. */
	char line[128];
	NB_CHECK(chain_git_out(&ch, line, sizeof(line), "cat-file tag %s | sed -n 6p", hex) == 0);
	NB_CHECK_STR(line, "no newline");
	nb_signature_free(tagger);
	keys_close(&ch, &k);
}

/* An allowed-signers file that cannot be read is a read error (verify's
 * exit 3), never every publication "signed by a key not in" it. */
NB_TEST(allowed_signers_unreadable)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	NB_CHECK(pub(&ch, "Test <t@example.org>", k.mine) == 0);
	char *missing = nb_path_join(ch.dir, "no_such_allowed_signers");
	char who[128] = "";
	nb_oid tag = tag_of(&ch, 1);
	const char *bad[] = { missing, ch.dir, NULL };
	for (size_t i = 0; bad[i]; i++) {
		NB_CHECK(nb_audit_verify_signature(&ch.a, &ch.c[1], bad[i], who, sizeof(who)) == -1);
		NB_CHECK(ch.a.io);
		NB_CHECK_CONTAINS(ch.a.err, "cannot read ");
		NB_CHECK_CONTAINS(ch.a.err, bad[i]);
		NB_CHECK(nb_audit_verify_tag_signature(&ch.a, &tag, bad[i], who, sizeof(who)) == -1);
		NB_CHECK(ch.a.io);
		NB_CHECK_CONTAINS(ch.a.err, "cannot read ");
	}
	NB_CHECK_STR(who, "");
	/* check_signatures stops there and says so, with nothing reported bad. */
	nb_buf rep = NB_BUF_INIT;
	size_t good = 0, first = 0;
	int io = 0;
	NB_CHECK(nb_audit_check_signatures(&ch.a, missing, 1, &rep, &good, &first, &io) == 0);
	NB_CHECK(io == 1 && good == 0);
	NB_CHECK_STR(nb_buf_cstr(&rep), "");
	nb_buf_free(&rep);
	/* An empty file names no one: a key not in it, not a read error. */
	char *empty = nb_path_join(ch.dir, "empty_allowed");
	NB_CHECK(nb_fs_write(empty, "", 0) == 0);
	NB_CHECK(nb_audit_verify_signature(&ch.a, &ch.c[1], empty, who, sizeof(who)) == -1);
	NB_CHECK(!ch.a.io);
	NB_CHECK_CONTAINS(ch.a.err, "signed by a key not in ");
	free(empty);
	free(missing);
	keys_close(&ch, &k);
}

/* The signature is over the exact bytes: a payload signed here verifies
 * with ssh-keygen as git runs it, a one-byte change does not. */
NB_TEST(sign_payload_with_ssh_keygen)
{
	chain ch;
	keys k;
	NEED_KEYS(&ch, &k);
	nb_buf sig = NB_BUF_INIT;
	const char *payload = "tree 0000\n\n公示 1\n";
	NB_CHECK(nb_audit_ssh_sign(&ch.a, k.mine, payload, &sig) == 0);
	NB_CHECK(!strncmp(nb_buf_cstr(&sig), "-----BEGIN SSH SIGNATURE-----\n", 30));
	NB_CHECK_CONTAINS(nb_buf_cstr(&sig), "-----END SSH SIGNATURE-----\n");
	char *sf = nb_path_join(ch.dir, "p.sig"), *pf = nb_path_join(ch.dir, "p");
	NB_CHECK(nb_fs_write(sf, sig.ptr, sig.len) == 0);
	NB_CHECK(nb_fs_write(pf, payload, strlen(payload)) == 0);
	const char *v = "ssh-keygen -Y verify -f '%s' -I t@example.org -n git -s '%s' <'%s' "
			">/dev/null 2>&1";
	NB_CHECK(chain_sh(v, k.allowed, sf, pf) == 0);
	NB_CHECK(nb_fs_write(pf, payload, strlen(payload) - 1) == 0);
	NB_CHECK(chain_sh(v, k.allowed, sf, pf) != 0);
	/* Another namespace is another signature: git's is "git". */
	NB_CHECK(nb_fs_write(pf, payload, strlen(payload)) == 0);
	NB_CHECK(chain_sh("ssh-keygen -Y verify -f '%s' -I t@example.org -n file -s '%s' <'%s' "
		    ">/dev/null 2>&1", k.allowed, sf, pf) != 0);
	free(sf);
	free(pf);
	nb_buf_free(&sig);
	keys_close(&ch, &k);
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test_sign: running ssh-keygen hung\n";
	ssize_t w = write(2, msg, sizeof(msg) - 1);
	(void)w;
	_exit(2);
}

/* An ssh-keygen that says more than a pipe holds (64 KiB) on stderr while
 * its stdout is still open: signing must read both as they come, not wait
 * for stdout's end while the child waits for room on stderr. A fake
 * ssh-keygen first on PATH writes 200000 bytes to stderr and then fails,
 * or writes the signature file and succeeds; alarm() turns a hang into a
 * failure of this suite. */
NB_TEST(ssh_keygen_saying_much_on_stderr)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	char *bin = nb_path_join(ch.dir, "bin");
	char *fake = nb_path_join(bin, "ssh-keygen");
	NB_CHECK(mkdir(bin, 0700) == 0);
	const char *old = getenv("PATH");
	char *saved = strdup(old ? old : "/usr/bin:/bin");
	nb_buf path = NB_BUF_INIT;
	nb_buf_printf(&path, "%s:%s", bin, saved);
	NB_CHECK(setenv("PATH", nb_buf_cstr(&path), 1) == 0);
	signal(SIGALRM, on_alarm);
	alarm(30);
	const char *fail = "#!/bin/sh\nhead -c 200000 /dev/zero | tr '\\0' x >&2\nexit 1\n";
	NB_CHECK(nb_fs_write(fake, fail, strlen(fail)) == 0 && chmod(fake, 0700) == 0);
	nb_buf sig = NB_BUF_INIT;
	NB_CHECK(nb_audit_ssh_sign(&ch.a, "some-key", "payload\n", &sig) == -1);
	NB_CHECK(sig.len == 0);
	NB_CHECK(ch.a.key_refused == NB_KEY_MISSING);
	NB_CHECK_CONTAINS(ch.a.err, "xxxxxxxx");
	/* The last argument is the file to sign; the signature goes next to it. */
	const char *good = "#!/bin/sh\nfor f; do :; done\nprintf 'SIG\\n' >\"$f.sig\"\n"
			   "head -c 200000 /dev/zero | tr '\\0' x >&2\n";
	NB_CHECK(nb_fs_write(fake, good, strlen(good)) == 0);
	NB_CHECK(nb_audit_ssh_sign(&ch.a, "some-key", "payload\n", &sig) == 0);
	NB_CHECK_STR(nb_buf_cstr(&sig), "SIG\n");
	alarm(0);
	NB_CHECK(setenv("PATH", saved, 1) == 0);
	nb_buf_free(&sig);
	nb_buf_free(&path);
	free(saved);
	free(fake);
	free(bin);
	chain_close(&ch);
}

NB_TEST_MAIN("sign", NB_CASE(signed_publication_verifies_as_git_does),
	     NB_CASE(unsigned_publication), NB_CASE(another_key), NB_CASE(tampered_commit_and_tag),
	     NB_CASE(truncated_or_garbled_signature), NB_CASE(bad_key_files),
	     NB_CASE(key_checked_before_signing), NB_CASE(signed_with_locked_key),
	     NB_CASE(tag_message_without_newline), NB_CASE(allowed_signers_unreadable),
	     NB_CASE(sign_payload_with_ssh_keygen),
	     NB_CASE(ssh_keygen_saying_much_on_stderr))

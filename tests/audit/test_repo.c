/*
 * test_repo.c - opening and creating the publication record (repo.c).
 * A missing repository is created bare, on the configured branch, whole
 * (no half-made folder is ever left at its path) or, for the reading
 * commands, reported as missing with what to run; a folder that is not a
 * repository, a file in its place, a bad branch name and a repository in
 * the served folder (or the served folder in it) are refused with a
 * message naming the path, and nb_audit_open_site turns that into the
 * exit code README gives (1 for site.yaml, 3 for the record).
 */
#include <fcntl.h>
#include <sys/wait.h>

#include "chain_fixture.h"
#include "harness.h"
#include "objects_fixture.h"

/* The fixture's folder with its configuration, but the record at `rel`
 * below it, opened into `b` (`create` as nb_audit_open). */
static int open_at(chain *ch, nb_config *cfg, nb_audit *b, const char *rel, int create)
{
	*cfg = ch->cfg;
	cfg->audit_repo = nb_path_join(ch->dir, rel);
	return nb_audit_open(b, cfg, create);
}

static void close_at(nb_config *cfg, nb_audit *b)
{
	nb_audit_close(b);
	free(cfg->audit_repo);
}

/* Entries of the fixture's folder whose names hold `part`. */
static int entries_with(const chain *ch, const char *part)
{
	DIR *d = opendir(ch->dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += strstr(e->d_name, part) != NULL;
	if (d)
		closedir(d);
	return n;
}

/* `git <args>` on the repository at `path`, its first line in `out`. */
static int git_at(const char *path, char *out, size_t n, const char *args)
{
	nb_buf b = NB_BUF_INIT;
	int rc = obj_sh_out(&b, "git --git-dir='%s' %s", path, args);
	snprintf(out, n, "%s", nb_buf_cstr(&b));
	out[strcspn(out, "\n")] = '\0';
	nb_buf_free(&b);
	return rc;
}

NB_TEST(missing_is_reported_or_created_bare)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	nb_config cfg;
	nb_audit b;
	char want[512], line[256];
	/* A reading command: told it is missing and what to run; nothing made. */
	NB_CHECK(open_at(&ch, &cfg, &b, "records/audit.git", 0) == NB_AUDIT_ENOTFOUND);
	snprintf(want, sizeof(want), "no audit repository at %s/records/audit.git; "
		 "run `noticeboard publish` first", ch.dir);
	NB_CHECK_STR(b.err, want);
	NB_CHECK(!nb_fs_is_dir(cfg.audit_repo));
	close_at(&cfg, &b);
	/* publish: made, bare, on the configured branch, the folders above too. */
	cfg = ch.cfg;
	cfg.audit_branch = "records/2024";
	cfg.audit_repo = nb_path_join(ch.dir, "records/audit.git");
	NB_CHECK(nb_audit_open(&b, &cfg, 1) == 0);
	NB_CHECK(b.repo && b.odb && b.lock_fd == -1);
	NB_CHECK_STR(b.refname, "refs/heads/records/2024");
	NB_CHECK(git_at(cfg.audit_repo, line, sizeof(line), "rev-parse --is-bare-repository") == 0);
	NB_CHECK_STR(line, "true");
	NB_CHECK(git_at(cfg.audit_repo, line, sizeof(line), "symbolic-ref HEAD") == 0);
	NB_CHECK_STR(line, "refs/heads/records/2024");
	/* No staging folder is left beside it. */
	char *records = nb_path_join(ch.dir, "records");
	DIR *d = opendir(records);
	struct dirent *e;
	int others = 0;
	while (d && (e = readdir(d)))
		others += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
			  strcmp(e->d_name, "audit.git");
	if (d)
		closedir(d);
	NB_CHECK(d && others == 0);
	free(records);
	close_at(&cfg, &b);
	/* And is then opened as it is, by a reader too. */
	cfg.audit_branch = "records/2024";
	cfg.audit_repo = nb_path_join(ch.dir, "records/audit.git");
	NB_CHECK(nb_audit_open(&b, &cfg, 0) == 0);
	close_at(&cfg, &b);
	chain_close(&ch);
}

/* An empty folder (made ready by hand, or a mount) becomes the record. */
NB_TEST(empty_folder_becomes_the_repository)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	char *p = nb_path_join(ch.dir, "empty.git");
	NB_CHECK(nb_fs_mkdirs(p) == 0);
	nb_config cfg;
	nb_audit b;
	char line[256];
	NB_CHECK(open_at(&ch, &cfg, &b, "empty.git", 1) == 0);
	NB_CHECK(git_at(p, line, sizeof(line), "rev-parse --is-bare-repository") == 0);
	NB_CHECK_STR(line, "true");
	NB_CHECK(entries_with(&ch, ".staging-") == 0);
	close_at(&cfg, &b);
	free(p);
	chain_close(&ch);
}

/* Something that is not a repository where the record should be: it is
 * neither replaced nor used, and the message names the path. */
NB_TEST(not_a_repository_is_refused_and_kept)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	nb_config cfg;
	nb_audit b;
	char *folder = nb_path_join(ch.dir, "notes"), *file = nb_path_join(ch.dir, "notes/a.txt");
	char want[512];
	NB_CHECK(nb_fs_mkdirs(folder) == 0 && nb_fs_write(file, "mine\n", 5) == 0);
	for (int create = 0; create <= 1; create++) {
		/* Neither "run publish first" nor git's "could not find": what
		 * is there and what to do. */
		NB_CHECK(open_at(&ch, &cfg, &b, "notes", create) == (create ? -1 : NB_AUDIT_ENOTFOUND));
		snprintf(want, sizeof(want), "%s%s is not a git repository; move it away, or set "
			 "audit.repository in site.yaml to the folder publish records to",
			 create ? "cannot create the audit repository: " : "", folder);
		NB_CHECK_STR(b.err, want);
		NB_CHECK(nb_fs_is_file(file));
		NB_CHECK(entries_with(&ch, ".staging-") == 0);
		close_at(&cfg, &b);
	}
	/* A file in its place. */
	char *plain = nb_path_join(ch.dir, "plain.git");
	NB_CHECK(nb_fs_write(plain, "x\n", 2) == 0);
	for (int create = 0; create <= 1; create++) {
		NB_CHECK(open_at(&ch, &cfg, &b, "plain.git", create) == (create ? -1 : NB_AUDIT_ENOTFOUND));
		NB_CHECK_CONTAINS(b.err, plain);
		NB_CHECK_CONTAINS(b.err, " is not a git repository; move it away");
		NB_CHECK(nb_fs_is_file(plain));
		NB_CHECK(entries_with(&ch, ".staging-") == 0);
		close_at(&cfg, &b);
	}
	free(plain);
	free(folder);
	free(file);
	chain_close(&ch);
}

NB_TEST(bad_branch_name_is_refused)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	nb_config cfg;
	nb_audit b;
	char *bad[] = { "a..b", "with space", "end.lock", "a:b" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[256];
		cfg = ch.cfg;
		cfg.audit_branch = bad[i];
		cfg.audit_repo = nb_path_join(ch.dir, "new.git");
		NB_CHECK(nb_audit_open(&b, &cfg, 1) == -1);
		snprintf(want, sizeof(want), "audit.branch `%s` is not a valid git branch name",
			 bad[i]);
		NB_CHECK_STR(b.err, want);
		NB_CHECK(!nb_fs_is_dir(cfg.audit_repo));
		close_at(&cfg, &b);
	}
	chain_close(&ch);
}

/* The web server would publish the whole history, a .git included. */
NB_TEST(repository_and_served_folder_apart)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	nb_config cfg;
	nb_audit b;
	char want[1024];
	/* Below the served folder, before that folder even exists. */
	NB_CHECK(open_at(&ch, &cfg, &b, "public/audit.git", 1) == -1);
	snprintf(want, sizeof(want), "the audit repository %s is inside the served folder %s; "
		 "set audit.repository in site.yaml to a folder outside it", cfg.audit_repo,
		 ch.cfg.output_path);
	NB_CHECK_STR(b.err, want);
	NB_CHECK(!nb_fs_is_dir(cfg.audit_repo));
	close_at(&cfg, &b);
	/* The served folder itself, reached through a symlink. */
	char *pub = nb_path_join(ch.dir, "public"), *link = nb_path_join(ch.dir, "www");
	NB_CHECK(nb_fs_mkdirs(pub) == 0 && symlink(pub, link) == 0);
	NB_CHECK(open_at(&ch, &cfg, &b, "www", 1) == -1);
	NB_CHECK_CONTAINS(b.err, "is inside the served folder");
	close_at(&cfg, &b);
	/* The served folder inside the repository. */
	cfg = ch.cfg;
	cfg.output_path = nb_path_join(ch.repo, "site");
	NB_CHECK(nb_audit_open(&b, &cfg, 0) == -1);
	snprintf(want, sizeof(want), "the audit repository %s is inside the served folder %s",
		 ch.repo, cfg.output_path);
	NB_CHECK_CONTAINS(b.err, want);
	nb_audit_close(&b);
	free((char *)cfg.output_path);
	/* A name that only starts like it is apart. */
	NB_CHECK(open_at(&ch, &cfg, &b, "public-audit.git", 1) == 0);
	close_at(&cfg, &b);
	free(pub);
	free(link);
	chain_close(&ch);
}

/* A killed init's staging folder goes once its process is gone; a live
 * one (another publish creating the record right now) stays. */
NB_TEST(killed_init_leftovers_removed)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	pid_t dead = fork();
	if (dead == 0)
		_exit(0);
	NB_CHECK(dead > 0 && waitpid(dead, NULL, 0) == dead);
	char rel[128];
	snprintf(rel, sizeof(rel), "new.git.staging-init-%ld/objects/x", (long)dead);
	NB_CHECK(obj_put(ch.dir, rel, "half\n", 5) == 0);
	snprintf(rel, sizeof(rel), "new.git.staging-init-%ld/HEAD", (long)getppid());
	NB_CHECK(obj_put(ch.dir, rel, "live\n", 5) == 0);
	nb_config cfg;
	nb_audit b;
	NB_CHECK(open_at(&ch, &cfg, &b, "new.git", 1) == 0);
	snprintf(rel, sizeof(rel), "new.git.staging-init-%ld", (long)dead);
	char *gone = nb_path_join(ch.dir, rel);
	NB_CHECK(!nb_fs_is_dir(gone));
	snprintf(rel, sizeof(rel), "new.git.staging-init-%ld/HEAD", (long)getppid());
	char *kept = nb_path_join(ch.dir, rel);
	NB_CHECK(nb_fs_is_file(kept));
	NB_CHECK(entries_with(&ch, ".staging-") == 1);
	close_at(&cfg, &b);
	free(gone);
	free(kept);
	chain_close(&ch);
}

/* `audit.repository: audit.git/` names the same folder. */
NB_TEST(trailing_slash_is_the_same_repository)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	nb_config cfg;
	nb_audit b;
	char line[256];
	NB_CHECK(open_at(&ch, &cfg, &b, "slash.git/", 1) == 0);
	NB_CHECK(git_at(cfg.audit_repo, line, sizeof(line), "rev-parse --is-bare-repository") == 0);
	NB_CHECK_STR(line, "true");
	NB_CHECK(entries_with(&ch, ".staging-") == 0);
	close_at(&cfg, &b);
	NB_CHECK(open_at(&ch, &cfg, &b, "slash.git", 0) == 0);
	close_at(&cfg, &b);
	chain_close(&ch);
}

/* The configured branch is not the one the publications are on: if
 * another branch holds the last one, audit.branch was changed, and the
 * message says to set it back rather than blaming an intruder. */
NB_TEST(other_branch_named)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	NB_CHECK(chain_pub(&ch, "<p>one</p>\n") == 0 && chain_pub(&ch, "<p>two</p>\n") == 0);
	nb_config cfg = ch.cfg;
	cfg.audit_branch = "main";
	nb_audit b;
	size_t last;
	nb_oid tip;
	NB_CHECK(nb_audit_open(&b, &cfg, 0) == 0);
	NB_CHECK(nb_audit_head(&b, 1, &last, &tip) == -1 && last == 2);
	NB_CHECK_STR(b.err, "the branch main is missing but publications up to pub-2 exist on "
		     "the branch publications; set audit.branch in site.yaml to `publications`");
	nb_audit_close(&b);
	/* A branch that is behind them is no such branch: the history was
	 * removed. */
	NB_CHECK(chain_git(&ch, "update-ref refs/heads/publications pub-1^{commit}") == 0);
	NB_CHECK(nb_audit_open(&b, &cfg, 0) == 0);
	NB_CHECK(nb_audit_head(&b, 1, &last, &tip) == -1);
	NB_CHECK_STR(b.err, "the branch main is missing but publications up to pub-2 exist: the "
		     "history was removed by someone else; refusing to publish");
	nb_audit_close(&b);
	chain_close(&ch);
}

/* What nb_audit_open_site prints on stderr and returns. */
static int open_site(const char *dir, char *err, size_t n)
{
	char tmp[] = "/tmp/nb-test-repo-err.XXXXXX";
	int fd = mkstemp(tmp);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	nb_config cfg;
	nb_audit a;
	int rc = nb_audit_open_site(&a, &cfg, dir, "verify");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (rc == 0) {
		nb_audit_close(&a);
		nb_config_free(&cfg);
	}
	ssize_t got = pread(fd, err, n - 1, 0);
	err[got > 0 ? got : 0] = '\0';
	close(fd);
	unlink(tmp);
	return rc;
}

NB_TEST(open_site_exit_codes)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	char err[4096], want[512];
	char *site = nb_path_join(ch.dir, "site"), *yaml = nb_path_join(ch.dir, "site/site.yaml");
	/* No site.yaml: a content error, 1, its diagnostic printed. */
	NB_CHECK(nb_fs_mkdirs(site) == 0);
	NB_CHECK(open_site(site, err, sizeof(err)) == 1);
	NB_CHECK_CONTAINS(err, "site.yaml");
	/* No record yet: an I/O error, 3, the command named. */
	const char *conf = "title: T\nlanguage: en\n";
	NB_CHECK(nb_fs_write(yaml, conf, strlen(conf)) == 0);
	NB_CHECK(open_site(site, err, sizeof(err)) == 3);
	snprintf(want, sizeof(want), "noticeboard verify: no audit repository at %s/audit.git; "
		 "run `noticeboard publish` first\n", site);
	NB_CHECK_STR(err, want);
	/* A record: 0, nothing said. */
	char *repo = nb_path_join(site, "audit.git");
	NB_CHECK(nb_audit_init_mirror(&ch.a, repo) == 0);
	NB_CHECK(open_site(site, err, sizeof(err)) == 0);
	NB_CHECK_STR(err, "");
	free(repo);
	free(site);
	free(yaml);
	chain_close(&ch);
}

NB_TEST_MAIN("repo", NB_CASE(missing_is_reported_or_created_bare),
	     NB_CASE(empty_folder_becomes_the_repository),
	     NB_CASE(not_a_repository_is_refused_and_kept), NB_CASE(bad_branch_name_is_refused),
	     NB_CASE(repository_and_served_folder_apart), NB_CASE(killed_init_leftovers_removed),
	     NB_CASE(trailing_slash_is_the_same_repository), NB_CASE(other_branch_named),
	     NB_CASE(open_site_exit_codes))

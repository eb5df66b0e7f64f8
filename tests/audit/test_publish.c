/*
 * test_publish.c - the publish sequence (publish.c): build beside the
 * served folder, record, then serve. Whatever step fails, the served
 * folder is a whole publication - the old one or the new one - and the
 * record is at the old publication or the new one, never between: a
 * refused build, a foreign or unreachable output folder, a branch or a
 * tag that cannot be written, a lock held by another publish, a date
 * before the last one. Faults come only from what is on disk (a file or
 * a folder where the other should be) or a lock another handle holds.
 *
 * "What is served" is judged as verify does: the served folder's files,
 * without its audit.git/ copy and the output marker, against each
 * publication's recorded public/.
 */
#include <errno.h>
#include <sys/wait.h>

#include "audit/rebuild.h"
#include "harness.h"
#include "output/cache.h"
#include "output/sums.h"
#include "publish_fixture.h"

/* Publications recorded: how many pub-N tags, and whether the branch is
 * at the last one (1), missing with none (1) or elsewhere (0). */
static size_t tags(pubsite *p, int *branch_ok)
{
	nb_buf out = NB_BUF_INIT;
	size_t n = 0;
	if (obj_sh_out(&out, "git --git-dir='%s' tag -l 'pub-*' | wc -l", p->repo) == 0)
		n = strtoul(nb_buf_cstr(&out), NULL, 10);
	char tip[GIT_OID_HEXSZ + 1], last[GIT_OID_HEXSZ + 1], rev[32];
	snprintf(rev, sizeof(rev), "pub-%zu^{commit}", n);
	int have = chain_rev(&p->git, "refs/heads/publications", tip) == 0;
	*branch_ok = n ? have && chain_rev(&p->git, rev, last) == 0 && !strcmp(tip, last) : !have;
	nb_buf_free(&out);
	return n;
}

/* The publication the served folder is, whole (0: none; -1: no record). */
static long served(pubsite *p)
{
	nb_audit a;
	if (pubsite_audit(p, &a) != 0) {
		nb_audit_close(&a);
		return -1;
	}
	nb_audit_files all = { 0 }, here = { 0 };
	long which = 0;
	if (nb_audit_hash_dir(&a, p->out, "", 1, 0, &all) == 0) {
		for (size_t i = 0; i < all.len; i++)
			if (strncmp(all.items[i].path, NB_SERVED_AUDIT "/", 10))
				nb_audit_files_push(&here, all.items[i].path, &all.items[i].id);
		nb_audit_files_sort(&here);
		int ok;
		for (size_t n = tags(p, &ok); n >= 1 && !which; n--) {
			nb_commit *c = NULL;
			nb_tree *t = NULL;
			nb_audit_files pub = { 0 };
			if (nb_audit_pub_commit(&a, n, &c) == 0 && nb_commit_tree(&t, c) == 0 &&
			    nb_audit_tree_files(&a, t, "public", &pub) == 0 &&
			    nb_audit_files_compare(&pub, &here, NULL, NULL) == 0)
				which = (long)n;
			nb_audit_files_free(&pub);
			nb_tree_free(t);
			nb_commit_free(c);
		}
	}
	nb_audit_files_free(&all);
	nb_audit_files_free(&here);
	nb_audit_close(&a);
	return which;
}

/* Entries beside the site's folders that a publish leaves only while it
 * runs (<output>.staging-publish, <repo>.staging-init-*). */
static int staging(const pubsite *p)
{
	DIR *d = opendir(p->site);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += strstr(e->d_name, ".staging-") != NULL;
	if (d)
		closedir(d);
	return n;
}

/* The state a test expects: `want` publications, the branch at the last,
 * the served folder publication `serving`, nothing staged. */
#define STATE(p, want, serving)                                                              \
	do {                                                                                  \
		int ok_;                                                                      \
		NB_CHECK(tags(p, &ok_) == (want));                                            \
		NB_CHECK(ok_);                                                                \
		NB_CHECK(served(p) == (serving));                                             \
		NB_CHECK(staging(p) == 0);                                                    \
	} while (0)

/* Nothing where the record goes and nothing staged: what a refused
 * first publish leaves (a repository that records nothing would read as
 * one whose publications were lost). */
static int no_record(const pubsite *p)
{
	struct stat st;
	return lstat(p->repo, &st) != 0 && errno == ENOENT && staging(p) == 0;
}

/* A change to one document, so that the next publish records. */
static int edit(pubsite *p, const char *text)
{
	char page[256];
	snprintf(page, sizeof(page), "---\ntitle: \"About\"\ndate: \"2024-01-05\"\n---\n%s\n", text);
	return pubsite_put(p, "content/pages/about.md", page);
}

/* Run publish (as pubsite_publish, or with `po`) with stderr captured in
 * `err`; its exit code. */
static int publish_opts_err(pubsite *p, const char *as_of, const nb_publish_opts *po, char *err,
			    size_t n)
{
	char tmp[] = "/tmp/nb-test-publish-err.XXXXXX";
	int fd = mkstemp(tmp);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	int rc = po ? nb_publish_run(&p->cfg, po) : pubsite_publish(p, as_of);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ssize_t got = pread(fd, err, n - 1, 0);
	err[got > 0 ? got : 0] = '\0';
	close(fd);
	unlink(tmp);
	return rc;
}

static int publish_err(pubsite *p, const char *as_of, char *err, size_t n)
{
	return publish_opts_err(p, as_of, NULL, err, n);
}

/* Diagnostics publish reports: their codes, one a line. */
static void codes(void *ctx, nb_diag *d)
{
	for (size_t i = 0; i < d->len; i++)
		nb_buf_printf(ctx, "%s\n", d->items[i].code);
}

/* The same with the file and the message: "code file: message". */
static void messages(void *ctx, nb_diag *d)
{
	for (size_t i = 0; i < d->len; i++)
		nb_buf_printf(ctx, "%s %s: %s\n", d->items[i].code, d->items[i].file,
			      d->items[i].msg);
}

NB_TEST(records_then_serves)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	STATE(&p, 1, 1);
	/* The served copy of the record holds what is served. */
	char mine[GIT_OID_HEXSZ + 1], copy[GIT_OID_HEXSZ + 1];
	nb_buf out = NB_BUF_INIT;
	NB_CHECK(chain_rev(&p.git, "pub-1", mine) == 0);
	NB_CHECK(obj_sh_out(&out, "git --git-dir='%s/audit.git' rev-parse pub-1", p.out) == 0);
	snprintf(copy, sizeof(copy), "%.40s", nb_buf_cstr(&out));
	NB_CHECK_STR(copy, mine);
	/* Nothing changed (the same sources, as of the same day): nothing
	 * recorded, the same served. */
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	STATE(&p, 1, 1);
	/* A change: recorded and served. */
	NB_CHECK(edit(&p, "Moved.") == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-03") == NB_EXIT_OK);
	STATE(&p, 2, 2);
	nb_buf_free(&out);
	pubsite_close(&p);
}

/* The build refuses the sources: nothing recorded, nothing replaced. */
NB_TEST(refused_build_changes_nothing)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	/* A second, so that the output's previous generation exists: the
	 * next build starts from it in the side folder. */
	NB_CHECK(edit(&p, "Moved.") == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	char *prev = nb_path_join(p.site, "public" NB_CACHE_PREVIOUS);
	NB_CHECK(nb_fs_is_dir(prev));
	free(prev);
	NB_CHECK(pubsite_put(&p, "content/decisions/2024/d-bad.md",
			     "---\nid: \"d-bad\"\ncommunity: \"hl\"\n---\nNo title.\n") == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-02") == NB_EXIT_CONTENT);
	STATE(&p, 2, 2);
	pubsite_close(&p);
}

/* Folders noticeboard did not write are not replaced, even through the
 * side folder. */
NB_TEST(foreign_output_refused)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_put(&p, "public/mine.html", "<p>mine</p>\n") == 0);
	/* As `build` refuses it: a content error, the same diagnostic. */
	nb_buf got = NB_BUF_INIT;
	nb_publish_opts po = { .message = "test", .as = "Test <t@example.org>",
			       .as_of = "2024-07-01", .quiet = 1, .report = messages,
			       .report_ctx = &got };
	NB_CHECK(nb_publish_run(&p.cfg, &po) == NB_EXIT_CONTENT);
	char want[512];
	snprintf(want, sizeof(want), "output-foreign site.yaml: output folder %s holds files "
		 "noticeboard did not write\n", p.out);
	NB_CHECK_STR(nb_buf_cstr(&got), want);
	nb_buf_free(&got);
	NB_CHECK(no_record(&p));
	char *mine = nb_path_join(p.out, "mine.html");
	NB_CHECK(nb_fs_is_file(mine));
	free(mine);
	pubsite_close(&p);
}

/* A file where the output folder should be: the exchange would serve
 * the site over it after recording; it is refused before, with build's
 * own diagnostic for it (not the one for a folder of files noticeboard
 * did not write), and kept. */
NB_TEST(file_at_output_refused_before_recording)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(nb_fs_write(p.out, "precious\n", 9) == 0);
	nb_buf got = NB_BUF_INIT;
	nb_publish_opts po = { .message = "test", .as = "Test <t@example.org>",
			       .as_of = "2024-07-01", .quiet = 1, .report = messages,
			       .report_ctx = &got };
	for (int i = 0; i < 2; i++) {
		nb_buf_clear(&got);
		NB_CHECK(nb_publish_run(&p.cfg, &po) == NB_EXIT_CONTENT);
		char want[512];
		snprintf(want, sizeof(want), "output-invalid site.yaml: output %s is a file, "
			 "not a folder\n", p.out);
		NB_CHECK_STR(nb_buf_cstr(&got), want);
		NB_CHECK(no_record(&p));
		char *text = NULL;
		size_t len = 0;
		NB_CHECK(nb_fs_read(p.out, 64, &text, &len) == 0);
		NB_CHECK_STR(text, "precious\n");
		free(text);
	}
	/* Moved away, the site is published there. */
	NB_CHECK(unlink(p.out) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	STATE(&p, 1, 1);
	nb_buf_free(&got);
	pubsite_close(&p);
}

/* The output cannot be built where it is asked for (a file where its
 * parent folder should be): nothing recorded. */
NB_TEST(unbuildable_output_records_nothing)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved.") == 0);
	char *blocked = nb_path_join(p.site, "blocked"), *keep = p.cfg.output_path;
	NB_CHECK(nb_fs_write(blocked, "x", 1) == 0);
	p.cfg.output_path = nb_path_join(blocked, "public");
	nb_buf got = NB_BUF_INIT;
	nb_publish_opts po = { .message = "test", .as = "Test <t@example.org>",
			       .as_of = "2024-07-02", .quiet = 1, .report = messages,
			       .report_ctx = &got };
	NB_CHECK(nb_publish_run(&p.cfg, &po) == NB_EXIT_IO);
	char want[512];
	snprintf(want, sizeof(want), "io : cannot create %s/public.staging-publish", blocked);
	NB_CHECK_CONTAINS(nb_buf_cstr(&got), want);
	NB_CHECK_CONTAINS(nb_buf_cstr(&got), ": Not a directory\n");
	nb_buf_free(&got);
	free(p.cfg.output_path);
	p.cfg.output_path = keep;
	STATE(&p, 1, 1);
	NB_CHECK(nb_fs_is_file(blocked));
	free(blocked);
	pubsite_close(&p);
}

/* The branch cannot be moved (a folder where git's lock file goes): the
 * objects written are no publication, what is served stays; once the
 * obstacle is gone the next publish records and serves. */
NB_TEST(branch_not_moved_records_nothing)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved.") == 0);
	char *lock = nb_path_join(p.repo, "refs/heads/publications.lock/x"), err[4096];
	NB_CHECK(obj_put(p.repo, "refs/heads/publications.lock/x", "x", 1) == 0);
	NB_CHECK(publish_err(&p, "2024-07-02", err, sizeof(err)) == NB_EXIT_IO);
	NB_CHECK_CONTAINS(err, "publications.lock");
	STATE(&p, 1, 1);
	*strrchr(lock, '/') = '\0';
	NB_CHECK(nb_fs_rmtree(lock) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-02") == NB_EXIT_OK);
	STATE(&p, 2, 2);
	free(lock);
	pubsite_close(&p);
}

/* The branch moved but pub-N could not be tagged: the record is at the
 * new publication (the tag follows from the branch), the old one served;
 * the next publish tags it and serves it, recording nothing more. */
NB_TEST(untagged_publication_completed_by_next_publish)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved.") == 0);
	char *lock = nb_path_join(p.repo, "refs/tags/pub-2.lock"), err[4096];
	NB_CHECK(obj_put(p.repo, "refs/tags/pub-2.lock/x", "x", 1) == 0);
	NB_CHECK(publish_err(&p, "2024-07-02", err, sizeof(err)) == NB_EXIT_IO);
	NB_CHECK_CONTAINS(err, "refs/tags/pub-2.lock");
	NB_CHECK_CONTAINS(err, "; publication 2 is recorded on the branch publications but not "
			  "tagged pub-2: once that is fixed, the next `noticeboard publish` tags and "
			  "serves it\n");
	int ok;
	NB_CHECK(tags(&p, &ok) == 1 && !ok);
	NB_CHECK(served(&p) == 1 && staging(&p) == 0);
	NB_CHECK(nb_fs_rmtree(lock) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-02") == NB_EXIT_OK);
	STATE(&p, 2, 2);
	free(lock);
	pubsite_close(&p);
}

/* The served copy of the record cannot be written (a file where a folder
 * of the copy served until now is): the publication is recorded, the old
 * site still served, and the message says so; once the obstacle is gone
 * the next publish records nothing and serves it (README: what is
 * guaranteed when publish says done). */
NB_TEST(recorded_but_not_served_is_said_and_completed)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved.") == 0);
	char *pack = nb_path_join(p.out, "audit.git/objects/pack"), err[4096];
	NB_CHECK(nb_fs_rmtree(pack) == 0 && nb_fs_write(pack, "x", 1) == 0);
	NB_CHECK(publish_err(&p, "2024-07-02", err, sizeof(err)) == NB_EXIT_IO);
	NB_CHECK_CONTAINS(err, pack);
	NB_CHECK_CONTAINS(err, "noticeboard publish: pub-2 is recorded but cannot be served: ");
	int ok;
	NB_CHECK(tags(&p, &ok) == 2 && ok);
	NB_CHECK(staging(&p) == 0);
	NB_CHECK(unlink(pack) == 0);
	/* What is served is still pub-1 (its copy of the record aside). */
	NB_CHECK(served(&p) == 1);
	NB_CHECK(pubsite_publish(&p, "2024-07-02") == NB_EXIT_OK);
	STATE(&p, 2, 2);
	free(pack);
	pubsite_close(&p);
}

/* Another publish holds the lock: refused, naming it; nothing changes.
 * A refusal, not a failure to read or write: exit 1 (README). */
NB_TEST(locked_record_changes_nothing)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved.") == 0);
	nb_audit other;
	NB_CHECK(pubsite_audit(&p, &other) == 0 && nb_audit_lock(&other, 0) == 0);
	char err[4096], want[512];
	NB_CHECK(publish_err(&p, "2024-07-02", err, sizeof(err)) == NB_EXIT_CONTENT);
	snprintf(want, sizeof(want), "another publish (pid %ld) holds the lock %s/noticeboard.lock",
		 (long)getpid(), p.repo);
	NB_CHECK_CONTAINS(err, want);
	nb_audit_close(&other);
	STATE(&p, 1, 1);
	pubsite_close(&p);
}

/* The site's language (site.yaml `language:`) speaks: publish's refusals
 * are the record's own sentences (a->err), and a secretary publishing a
 * Chinese site reads them in Chinese - the lock, a publisher given
 * wrong, a record path taken by something else; an English site reads
 * them as they were, and so does a script that sets NB_LANG=en. */
static void set_language(pubsite *p, const char *lang)
{
	free(p->cfg.language);
	p->cfg.language = strdup(lang);
}

NB_TEST(refusals_in_the_site_language)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	char *keep = getenv("NB_LANG") ? strdup(getenv("NB_LANG")) : NULL;
	unsetenv("NB_LANG");
	set_language(&p, "zh-CN");
	char err[4096], want[1024];
	/* Something that is no repository where the record goes. */
	NB_CHECK(pubsite_put(&p, "audit.git/notes.txt", "mine\n") == 0);
	NB_CHECK(publish_err(&p, "2024-07-01", err, sizeof(err)) == NB_EXIT_CONTENT);
	snprintf(want, sizeof(want), "noticeboard publish: 无法建立审计仓库：%s 已经存在，但不是 git "
		 "仓库；请把它移走，或在 site.yaml 里把 audit.repository 设为发布时记录公示的文件夹\n",
		 p.repo);
	NB_CHECK_STR(err, want);
	char *notes = nb_path_join(p.repo, "notes.txt");
	NB_CHECK(unlink(notes) == 0 && rmdir(p.repo) == 0);
	free(notes);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved.") == 0);
	/* Another publish holds the lock. */
	nb_audit other;
	NB_CHECK(pubsite_audit(&p, &other) == 0 && nb_audit_lock(&other, 0) == 0);
	NB_CHECK(publish_err(&p, "2024-07-02", err, sizeof(err)) == NB_EXIT_CONTENT);
	snprintf(want, sizeof(want), "noticeboard publish: 另一次发布（进程号 %ld）正在进行，它占用着锁 "
		 "%s/noticeboard.lock；请等它结束，或加上 --wait 秒数 让这次发布等它\n",
		 (long)getpid(), p.repo);
	NB_CHECK_STR(err, want);
	/* A script reading English says so. */
	setenv("NB_LANG", "en", 1);
	NB_CHECK(publish_err(&p, "2024-07-02", err, sizeof(err)) == NB_EXIT_CONTENT);
	snprintf(want, sizeof(want), "noticeboard publish: another publish (pid %ld) holds the lock "
		 "%s/noticeboard.lock; wait for it to finish, or use --wait SECONDS\n",
		 (long)getpid(), p.repo);
	NB_CHECK_STR(err, want);
	unsetenv("NB_LANG");
	/* An English site. */
	set_language(&p, "en");
	NB_CHECK(publish_err(&p, "2024-07-02", err, sizeof(err)) == NB_EXIT_CONTENT);
	NB_CHECK_STR(err, want);
	nb_audit_close(&other);
	/* Who publishes, written wrong. */
	nb_publish_opts po = { .message = "test", .as = "Nobody", .as_of = "2024-07-02",
			       .quiet = 1 };
	NB_CHECK(publish_opts_err(&p, NULL, &po, err, sizeof(err)) == NB_EXIT_USAGE);
	NB_CHECK_STR(err, "noticeboard publish: --as wants \"NAME <EMAIL>\", got `Nobody`\n");
	set_language(&p, "zh-CN");
	NB_CHECK(publish_opts_err(&p, NULL, &po, err, sizeof(err)) == NB_EXIT_USAGE);
	NB_CHECK_STR(err, "noticeboard publish: --as 要写成 \"姓名 <邮箱>\"，例如 --as \"李梅 "
		     "<limei@example.org>\"；现在写的是 `Nobody`\n");
	/* The history rewound behind the last publication's back. */
	NB_CHECK(pubsite_publish(&p, "2024-07-02") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved again.") == 0);
	NB_CHECK(chain_sh("git --git-dir='%s' update-ref refs/heads/publications "
			  "'pub-1^{commit}'", p.repo) == 0);
	NB_CHECK(publish_err(&p, "2024-07-03", err, sizeof(err)) == NB_EXIT_CONTENT);
	NB_CHECK_STR(err, "noticeboard publish: 分支 publications 不在 pub-2：它的历史被别人改写或延长"
		     "了；noticeboard 从不改写历史，也拒绝在其上发布（请把分支恢复到 pub-2）\n");
	if (keep)
		setenv("NB_LANG", keep, 1);
	free(keep);
	NB_CHECK(chain_sh("git --git-dir='%s' update-ref refs/heads/publications "
			  "'pub-2^{commit}'", p.repo) == 0);
	STATE(&p, 2, 2);
	pubsite_close(&p);
}

/* Deadlines may not be judged as of a day before the last publication's. */
NB_TEST(as_of_before_the_last_refused)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved.") == 0);
	nb_buf got = NB_BUF_INIT;
	nb_publish_opts po = { .message = "test", .as = "Test <t@example.org>",
			       .as_of = "2024-06-30", .quiet = 1, .report = codes,
			       .report_ctx = &got };
	NB_CHECK(nb_publish_run(&p.cfg, &po) == NB_EXIT_USAGE);
	NB_CHECK_STR(nb_buf_cstr(&got), "as-of-before-previous\n");
	STATE(&p, 1, 1);
	/* The same day is not before. */
	po.as_of = "2024-07-01";
	NB_CHECK(nb_publish_run(&p.cfg, &po) == NB_EXIT_OK);
	STATE(&p, 2, 2);
	nb_buf_free(&got);
	pubsite_close(&p);
}

/* The branch rewound to pub-1 behind pub-2's back, then removed: each a
 * refusal of the record's state (exit 1), recording nothing. */
NB_TEST(rewritten_or_removed_history_is_exit_1)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved.") == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-02") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved again.") == 0);
	NB_CHECK(chain_sh("git --git-dir='%s' update-ref refs/heads/publications "
			  "'pub-1^{commit}'", p.repo) == 0);
	char err[4096];
	NB_CHECK(publish_err(&p, "2024-07-03", err, sizeof(err)) == NB_EXIT_CONTENT);
	NB_CHECK_CONTAINS(err, "the branch publications is not at pub-2: its history was "
			  "rewritten");
	NB_CHECK(chain_sh("git --git-dir='%s' update-ref -d refs/heads/publications",
			  p.repo) == 0);
	NB_CHECK(publish_err(&p, "2024-07-03", err, sizeof(err)) == NB_EXIT_CONTENT);
	NB_CHECK_CONTAINS(err, "the branch publications is missing but publications up to "
			  "pub-2 exist: the history was removed by someone else");
	int ok;
	NB_CHECK(tags(&p, &ok) == 2 && staging(&p) == 0);
	pubsite_close(&p);
}

/* The last publication's manifest.json is not JSON (someone with write
 * access replaced it): the record's state, exit 1; nothing recorded. */
NB_TEST(unreadable_last_manifest_is_exit_1)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	NB_CHECK(pubsite_rewrite(&p, 1, 1, "git update-index --cacheinfo 100644,$(printf "
				 "'{not json' | git hash-object -w --stdin),manifest.json") == 0);
	NB_CHECK(edit(&p, "Moved.") == 0);
	char err[4096];
	NB_CHECK(publish_err(&p, "2024-07-02", err, sizeof(err)) == NB_EXIT_CONTENT);
	NB_CHECK_CONTAINS(err, "manifest.json is not valid JSON");
	int ok;
	NB_CHECK(tags(&p, &ok) == 1 && ok && staging(&p) == 0);
	pubsite_close(&p);
}

/* Something that is no repository where the record goes: publish cannot
 * make it there; the settings' fault (exit 1), and what is there stays. */
NB_TEST(record_path_occupied_is_exit_1)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_put(&p, "audit.git/notes.txt", "mine\n") == 0);
	char err[4096];
	NB_CHECK(publish_err(&p, "2024-07-01", err, sizeof(err)) == NB_EXIT_CONTENT);
	NB_CHECK_CONTAINS(err, "audit.git is not a git repository; move it away");
	char *mine = nb_path_join(p.repo, "notes.txt");
	NB_CHECK(nb_fs_is_file(mine));
	free(mine);
	NB_CHECK(staging(&p) == 0);
	pubsite_close(&p);
}

/* Who publishes is part of how publish is called: a malformed --as, or
 * none at all, is a usage error (exit 2), recording nothing. */
NB_TEST(no_or_malformed_publisher_is_exit_2)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	NB_CHECK(edit(&p, "Moved.") == 0);
	nb_publish_opts po = { .message = "test", .as = "Nobody", .as_of = "2024-07-02",
			       .quiet = 1 };
	NB_CHECK(nb_publish_run(&p.cfg, &po) == NB_EXIT_USAGE);
	/* None from anywhere: no --as, no variables, a config naming no one. */
	const char *keep[] = { "NB_PUBLISHER", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "HOME",
			       "XDG_CONFIG_HOME", "GIT_CONFIG_NOSYSTEM" };
	char *saved[6];
	for (int i = 0; i < 6; i++) {
		const char *v = getenv(keep[i]);
		saved[i] = v ? strdup(v) : NULL;
		unsetenv(keep[i]);
	}
	setenv("HOME", p.dir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	po.as = NULL;
	NB_CHECK(nb_publish_run(&p.cfg, &po) == NB_EXIT_USAGE);
	for (int i = 0; i < 6; i++) {
		if (saved[i])
			setenv(keep[i], saved[i], 1);
		else
			unsetenv(keep[i]);
		free(saved[i]);
	}
	STATE(&p, 1, 1);
	pubsite_close(&p);
}

/* A first publish the build refuses leaves no repository behind (one
 * with no publication reads as a record whose publications were lost:
 * verify said "no publication to compare with"); once corrected, the
 * site is published as pub-1, whole. */
NB_TEST(refused_first_publish_leaves_no_record)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_put(&p, "content/decisions/2024/d-bad.md",
			     "---\nid: \"d-bad\"\ncommunity: \"hl\"\n---\nNo title.\n") == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_CONTENT);
	NB_CHECK(no_record(&p));
	char *bad = nb_path_join(p.site, "content/decisions/2024/d-bad.md");
	NB_CHECK(unlink(bad) == 0);
	free(bad);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	STATE(&p, 1, 1);
	NB_CHECK(obj_fsck(&p.git) == 0);
	pubsite_close(&p);
}

/* Only what the run made is removed: an empty repository that was there
 * before (made by hand, say) stays when the first publish is refused. */
NB_TEST(refused_first_publish_keeps_an_existing_repository)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(chain_sh("git init -q --bare '%s'", p.repo) == 0);
	NB_CHECK(pubsite_put(&p, "content/decisions/2024/d-bad.md",
			     "---\nid: \"d-bad\"\ncommunity: \"hl\"\n---\nNo title.\n") == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_CONTENT);
	char *head = nb_path_join(p.repo, "HEAD");
	NB_CHECK(nb_fs_is_file(head));
	free(head);
	NB_CHECK(staging(&p) == 0);
	pubsite_close(&p);
}

/* How many of `pid`'s descriptors are open on a file named `name`. */
static int fds_on(pid_t pid, const char *name)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%ld/fd", (long)pid);
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char fd[400], to[4096];
		snprintf(fd, sizeof(fd), "%s/%s", dir, e->d_name);
		ssize_t len = readlink(fd, to, sizeof(to) - 1);
		to[len > 0 ? len : 0] = '\0';
		const char *slash = strrchr(to, '/');
		n += slash && !strcmp(slash + 1, name);
	}
	if (d)
		closedir(d);
	return n;
}

/* A publish waiting (--wait) for the lock of a repository that a refused
 * first publish then removes opens the repository again, made anew, and
 * records pub-1 there: not into a folder that no longer exists. */
NB_TEST(waiting_publish_reopens_a_removed_record)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	nb_audit first;
	NB_CHECK(nb_audit_open(&first, &p.cfg, 1) == 0 && first.created);
	NB_CHECK(nb_audit_lock(&first, 0) == 0);
	fflush(stdout);
	fflush(stderr);
	pid_t child = fork();
	if (child == 0) {
		nb_publish_opts po = { .message = "test", .as = "Test <t@example.org>",
				       .as_of = "2024-07-01", .quiet = 1, .wait = 60 };
		_exit(nb_publish_run(&p.cfg, &po));
	}
	/* Waiting: its own descriptor on the lock beside the one it got
	 * from this process. */
	for (int i = 0; i < 600 && fds_on(child, "noticeboard.lock") < 2; i++)
		usleep(50 * 1000);
	NB_CHECK(fds_on(child, "noticeboard.lock") == 2);
	NB_CHECK(nb_audit_discard_new(&first) == 1);
	nb_audit_close(&first);
	int status = 0;
	NB_CHECK(waitpid(child, &status, 0) == child);
	NB_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == NB_EXIT_OK);
	STATE(&p, 1, 1);
	NB_CHECK(obj_fsck(&p.git) == 0);
	pubsite_close(&p);
}

/* Every file under `dir` with its digest, one a line (what a web server
 * serving it shows). */
static int digests(nb_buf *out, const char *dir)
{
	nb_buf_clear(out);
	return obj_sh_out(out, "cd '%s' && find . -type f | LC_ALL=C sort | xargs sha256sum", dir);
}

/* The output a link to the folder a web server serves (public -> www), as
 * a deployment may set it up: serving exchanged the link itself for the
 * new site, and www never changed again while every publish recorded a
 * publication and said it served it. Refused as `build` refuses it, with
 * the same diagnostic (exit 1), before anything is recorded. */
NB_TEST(linked_output_refused_before_recording)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	NB_CHECK(pubsite_publish(&p, "2024-07-01") == NB_EXIT_OK);
	char *www = nb_path_join(p.site, "www");
	NB_CHECK(rename(p.out, www) == 0 && symlink(www, p.out) == 0);
	nb_buf before = NB_BUF_INIT, after = NB_BUF_INIT, got = NB_BUF_INIT;
	NB_CHECK(digests(&before, www) == 0 && before.len > 0);
	NB_CHECK(edit(&p, "Moved.") == 0);
	nb_publish_opts po = { .message = "test", .as = "Test <t@example.org>",
			       .as_of = "2024-07-02", .quiet = 1, .report = messages,
			       .report_ctx = &got };
	NB_CHECK(nb_publish_run(&p.cfg, &po) == NB_EXIT_CONTENT);
	char want[1024];
	snprintf(want, sizeof(want), "output-invalid site.yaml: output %s is a symbolic link; "
		 "noticeboard replaces the folder it builds, not what a link points to\n", p.out);
	NB_CHECK_STR(nb_buf_cstr(&got), want);
	int ok;
	NB_CHECK(tags(&p, &ok) == 1 && ok && staging(&p) == 0);
	struct stat st;
	char to[4096];
	ssize_t len = readlink(p.out, to, sizeof(to) - 1);
	to[len > 0 ? len : 0] = '\0';
	NB_CHECK(lstat(p.out, &st) == 0 && S_ISLNK(st.st_mode));
	NB_CHECK_STR(to, www);
	NB_CHECK(digests(&after, www) == 0);
	NB_CHECK_STR(nb_buf_cstr(&after), nb_buf_cstr(&before));
	char *prev = nb_path_join(p.site, "public" NB_CACHE_PREVIOUS);
	NB_CHECK(lstat(prev, &st) != 0);
	free(prev);
	nb_buf_free(&before);
	nb_buf_free(&after);
	nb_buf_free(&got);
	free(www);
	pubsite_close(&p);
}

/* The same on the first publish (the link to an empty folder): no
 * repository is left either. */
NB_TEST(linked_output_refused_on_the_first_publish)
{
	pubsite p;
	NB_CHECK(pubsite_open(&p) == 0);
	char *www = nb_path_join(p.site, "www");
	NB_CHECK(mkdir(www, 0755) == 0 && symlink(www, p.out) == 0);
	nb_buf got = NB_BUF_INIT;
	nb_publish_opts po = { .message = "test", .as = "Test <t@example.org>",
			       .as_of = "2024-07-01", .quiet = 1, .report = codes,
			       .report_ctx = &got };
	NB_CHECK(nb_publish_run(&p.cfg, &po) == NB_EXIT_CONTENT);
	NB_CHECK_STR(nb_buf_cstr(&got), "output-invalid\n");
	NB_CHECK(no_record(&p));
	DIR *d = opendir(www);
	int entries = 0;
	while (d && readdir(d))
		entries++;
	if (d)
		closedir(d);
	NB_CHECK(entries == 2);
	nb_buf_free(&got);
	free(www);
	pubsite_close(&p);
}

NB_TEST_MAIN("publish", NB_CASE(records_then_serves), NB_CASE(refused_build_changes_nothing),
	     NB_CASE(foreign_output_refused), NB_CASE(file_at_output_refused_before_recording),
	     NB_CASE(unbuildable_output_records_nothing),
	     NB_CASE(branch_not_moved_records_nothing),
	     NB_CASE(untagged_publication_completed_by_next_publish),
	     NB_CASE(recorded_but_not_served_is_said_and_completed),
	     NB_CASE(locked_record_changes_nothing),
	     NB_CASE(refusals_in_the_site_language), NB_CASE(as_of_before_the_last_refused),
	     NB_CASE(rewritten_or_removed_history_is_exit_1),
	     NB_CASE(unreadable_last_manifest_is_exit_1), NB_CASE(record_path_occupied_is_exit_1),
	     NB_CASE(no_or_malformed_publisher_is_exit_2),
	     NB_CASE(refused_first_publish_leaves_no_record),
	     NB_CASE(refused_first_publish_keeps_an_existing_repository),
	     NB_CASE(waiting_publish_reopens_a_removed_record),
	     NB_CASE(linked_output_refused_before_recording),
	     NB_CASE(linked_output_refused_on_the_first_publish))

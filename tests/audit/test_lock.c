/*
 * test_lock.c - the publication lock (lock.c): one publish at a time.
 * A second publisher is refused, or waits, and the refusal names the
 * holder's pid and the lock file; a holder killed with SIGKILL leaves
 * nothing locked (the kernel drops a flock with its process), and taking
 * the lock removes the git lock files only a killed publish can leave.
 * The holders that must die are child processes, each opening the record
 * through its own handle as another publish would.
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "chain_fixture.h"
#include "harness.h"

/* <repo>/<rel> (caller frees). */
static char *in_repo(const chain *ch, const char *rel)
{
	return nb_path_join(ch->repo, rel);
}

/* A second handle on the fixture's record: another publish. */
static int other(chain *ch, nb_audit *b)
{
	return nb_audit_open(b, &ch->cfg, 0);
}

/* A child process that takes the lock through its own handle, says so
 * on `ready` and holds it `hold_ms` milliseconds (-1: until killed).
 * Its pid, or -1. */
static pid_t holder(chain *ch, int hold_ms)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		nb_audit b;
		char ok = other(ch, &b) == 0 && nb_audit_lock(&b, 0) == 0 ? 'y' : 'n';
		if (write(p[1], &ok, 1) != 1)
			_exit(2);
		if (hold_ms < 0)
			for (;;)
				pause();
		usleep((useconds_t)hold_ms * 1000);
		nb_audit_close(&b);
		_exit(0);
	}
	close(p[1]);
	char ok = 'n';
	if (pid < 0 || read(p[0], &ok, 1) != 1 || ok != 'y') {
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		pid = -1;
	}
	close(p[0]);
	return pid;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

NB_TEST(second_publisher_is_refused)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	nb_audit b;
	NB_CHECK(other(&ch, &b) == 0);
	NB_CHECK(nb_audit_lock(&ch.a, 0) == 0);
	/* The file names its holder. */
	char *lp = in_repo(&ch, "noticeboard.lock"), *text = NULL, want[512];
	size_t len = 0;
	NB_CHECK(nb_fs_read(lp, 4096, &text, &len) == 0);
	snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	NB_CHECK_STR(text, want);
	free(text);
	/* The other publish: refused at once, told who, where and what to do. */
	double t0 = now_s();
	NB_CHECK(nb_audit_lock(&b, 0) == -1);
	NB_CHECK(now_s() - t0 < 5);  /* not waiting (bounds loose: loaded CI machines) */
	snprintf(want, sizeof(want), "another publish (pid %ld) holds the lock %s; wait for it "
		 "to finish, or use --wait SECONDS", (long)getpid(), lp);
	NB_CHECK_STR(b.err, want);
	NB_CHECK(b.lock_fd == -1);
	/* Released: the holder is no longer named, and the other may take it. */
	nb_audit_unlock(&ch.a);
	NB_CHECK(ch.a.lock_fd == -1);
	NB_CHECK(nb_fs_read(lp, 4096, &text, &len) == 0 && len == 0);
	free(text);
	NB_CHECK(nb_audit_lock(&b, 0) == 0);
	NB_CHECK(nb_audit_lock(&ch.a, 0) == -1);
	nb_audit_close(&b);  /* closing releases too */
	NB_CHECK(nb_audit_lock(&ch.a, 0) == 0);
	free(lp);
	chain_close(&ch);
}

/* `--wait N` waits N seconds, not until the clock's second turns. */
NB_TEST(wait_lasts_the_seconds_asked)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	nb_audit b;
	NB_CHECK(other(&ch, &b) == 0);
	NB_CHECK(nb_audit_lock(&ch.a, 0) == 0);
	char want[512];
	snprintf(want, sizeof(want), "another publish (pid %ld) holds the lock %s/noticeboard.lock",
		 (long)getpid(), ch.repo);
	for (int i = 0; i < 3; i++) {
		double t0 = now_s();
		NB_CHECK(nb_audit_lock(&b, 1) == -1);
		double waited = now_s() - t0;
		NB_CHECK(waited >= 1.0 && waited < 10);
		NB_CHECK_CONTAINS(b.err, want);
	}
	nb_audit_close(&b);
	chain_close(&ch);
}

NB_TEST(waiting_publisher_gets_it_when_released)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	pid_t pid = holder(&ch, 600);
	NB_CHECK(pid > 0);
	/* Held by another process: its pid is the one named. */
	NB_CHECK(nb_audit_lock(&ch.a, 0) == -1);
	char want[64];
	snprintf(want, sizeof(want), "another publish (pid %ld) holds", (long)pid);
	NB_CHECK_CONTAINS(ch.a.err, want);
	double t0 = now_s();
	NB_CHECK(nb_audit_lock(&ch.a, 30) == 0);
	NB_CHECK(now_s() - t0 < 25);
	NB_CHECK(ch.a.lock_fd >= 0);
	int st = -1;
	NB_CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	chain_close(&ch);
}

NB_TEST(killed_holder_leaves_nothing_locked)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	pid_t pid = holder(&ch, -1);
	NB_CHECK(pid > 0);
	NB_CHECK(nb_audit_lock(&ch.a, 0) == -1);
	/* kill -9: no unlock ran, its pid is still in the file. */
	NB_CHECK(pid > 0 && kill(pid, SIGKILL) == 0 && waitpid(pid, NULL, 0) == pid);
	char *lp = in_repo(&ch, "noticeboard.lock"), *text = NULL, want[64];
	size_t len = 0;
	snprintf(want, sizeof(want), "%ld\n", (long)pid);
	NB_CHECK(nb_fs_read(lp, 4096, &text, &len) == 0);
	NB_CHECK_STR(text, want);
	free(text);
	/* Yet the lock is free at once, and names the new holder. */
	NB_CHECK(nb_audit_lock(&ch.a, 0) == 0);
	snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	NB_CHECK(nb_fs_read(lp, 4096, &text, &len) == 0);
	NB_CHECK_STR(text, want);
	free(text);
	free(lp);
	chain_close(&ch);
}

/* A publish killed while git held a ref's lock file leaves it behind; it
 * would block every later update of that ref. Nothing else is touched. */
NB_TEST(stale_git_lock_files_are_removed)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	NB_CHECK(chain_pub(&ch, "<p>one</p>\n") == 0);
	char *branch = in_repo(&ch, "refs/heads/publications.lock");
	char *packed = in_repo(&ch, "packed-refs.lock");
	char *foreign = in_repo(&ch, "refs/heads/other.lock");
	/* Not holding our lock, a publish removes nothing: the files may be
	 * the holder's own. */
	nb_audit b;
	NB_CHECK(other(&ch, &b) == 0);
	NB_CHECK(nb_audit_lock(&b, 0) == 0);
	NB_CHECK(nb_fs_write(branch, "x\n", 2) == 0);
	NB_CHECK(nb_fs_write(packed, "x\n", 2) == 0);
	NB_CHECK(nb_fs_write(foreign, "x\n", 2) == 0);
	NB_CHECK(nb_audit_lock(&ch.a, 0) == -1);
	NB_CHECK(nb_fs_is_file(branch) && nb_fs_is_file(packed));
	nb_audit_close(&b);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_lock(&ch.a, 0) == 0);
	NB_CHECK(!nb_fs_is_file(branch) && !nb_fs_is_file(packed));
	NB_CHECK(nb_fs_is_file(foreign));
	/* And the branch moves again. */
	NB_CHECK(chain_pub(&ch, "<p>two</p>\n") == 0);
	char hex[GIT_OID_HEXSZ + 1], want[GIT_OID_HEXSZ + 1];
	nb_oid_tostr(want, sizeof(want), &ch.c[2]);
	NB_CHECK(chain_rev(&ch, "publications", hex) == 0);
	NB_CHECK_STR(hex, want);
	free(branch);
	free(packed);
	free(foreign);
	chain_close(&ch);
}

/* A lock file that cannot be opened is named, with the reason. */
NB_TEST(unopenable_lock_is_named)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	char *lp = in_repo(&ch, "noticeboard.lock");
	NB_CHECK(nb_fs_mkdirs(lp) == 0);
	NB_CHECK(nb_audit_lock(&ch.a, 0) == -1);
	NB_CHECK(ch.a.lock_fd == -1);
	char want[512];
	snprintf(want, sizeof(want), "cannot open the lock %s: Is a directory", lp);
	NB_CHECK_STR(ch.a.err, want);
	free(lp);
	chain_close(&ch);
}

NB_TEST_MAIN("lock", NB_CASE(second_publisher_is_refused), NB_CASE(wait_lasts_the_seconds_asked),
	     NB_CASE(waiting_publisher_gets_it_when_released),
	     NB_CASE(killed_holder_leaves_nothing_locked), NB_CASE(stale_git_lock_files_are_removed),
	     NB_CASE(unopenable_lock_is_named))

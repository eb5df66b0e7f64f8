/*
 * lock.c - one publish at a time: the publication lock; see nb_audit_lock
 * in audit.h.
 *
 * The lock is a flock on <repo>/noticeboard.lock rather than an O_EXCL
 * file: the kernel releases it when the holder dies, so a `kill -9` can
 * never leave the repository locked, and the file still names the pid of
 * the holder for the error message. Holding it also means a git lock file
 * for our refs can only be a killed publish's leftover, so taking the lock
 * removes those.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit_internal.h"
#include "util/fs.h"

/* ---- lock ---------------------------------------------------------------- */

int nb_audit_lock(nb_audit *a, int wait_secs)
{
	char *lp = nb_path_join(a->path, "noticeboard.lock");
	int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		/* The folder went away since it was opened. */
		int gone = errno == ENOENT;
		set_err(a, "cannot open the lock %s: %s", lp, strerror(errno));
		a->io = !gone;
		free(lp);
		return gone ? NB_AUDIT_LOCK_GONE : -1;
	}
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		int why = errno, busy = why == EWOULDBLOCK;
		/* Whole seconds of the clock would give up as soon as the
		 * second turns: `--wait 1` waited anything from 0 to 1 s. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long waited = (now.tv_sec - t0.tv_sec) * 1000000000LL +
				   (now.tv_nsec - t0.tv_nsec);
		if (!busy) {
			/* Not held by anyone: naming a holder would send the
			 * publisher looking for another publish. */
			set_err(a, "cannot lock %s: %s", lp, strerror(why));
			a->io = 1;
			close(fd);
			free(lp);
			return -1;
		}
		if (waited >= wait_secs * 1000000000LL) {
			char pid[32] = "";
			ssize_t r = pread(fd, pid, sizeof(pid) - 1, 0);
			pid[r > 0 ? r : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			refuse(a, "another publish (pid %s) holds the lock %s; "
			       "wait for it to finish, or use --wait SECONDS",
			       pid[0] ? pid : "unknown", lp);
			close(fd);
			free(lp);
			return -1;
		}
		usleep(100 * 1000);
	}
	/* The holder may have removed the repository (a refused first
	 * publish removes the one it made): this lock is then on a file
	 * nobody else will ever lock, in a folder that is gone. */
	struct stat held, here;
	if (fstat(fd, &held) != 0 || stat(lp, &here) != 0 || held.st_ino != here.st_ino ||
	    held.st_dev != here.st_dev) {
		set_err(a, "the audit repository %s was removed while waiting for its lock", a->path);
		close(fd);
		free(lp);
		return NB_AUDIT_LOCK_GONE;
	}
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* The lock holds anyway; the pid is only for messages. */
	}
	a->lock_fd = fd;
	/*
	 * Under our lock no other noticeboard writes the repository, so git
	 * lock files for our refs can only be left by a killed publish; they
	 * would block every later ref update.
	 */
	size_t sn = strlen(a->refname) + 8;
	char *stale = malloc(sn);
	if (!stale)
		abort();
	snprintf(stale, sn, "%s.lock", a->refname);
	char *sp = nb_path_join(a->path, stale);
	unlink(sp);
	free(sp);
	free(stale);
	char *pr = nb_path_join(a->path, "packed-refs.lock");
	unlink(pr);
	free(pr);
	free(lp);
	return 0;
}

void nb_audit_unlock(nb_audit *a)
{
	if (a->lock_fd >= 0) {
		/* Leave the file (removing it would race with a waiter that has
		 * it open); clear the pid so nobody is named as holder. */
		if (ftruncate(a->lock_fd, 0) != 0) {
			/* harmless */
		}
		flock(a->lock_fd, LOCK_UN);
		close(a->lock_fd);
		a->lock_fd = -1;
	}
}

/*
 * writer.c - one output file written through the cache; see writer.h.
 *
 * A file written in pieces goes to a temporary named
 * `.noticeboard-stream-N` at the top of the staging folder: in the output's
 * file system, so it is renamed into place rather than copied, and taken
 * with O_EXCL at the first free N, so an in-place output's leftover of
 * that name (from a build killed meanwhile; it is pruned as any file the
 * build did not write) is never written through. Made with mode 0644 as
 * nb_fs_write makes every other output file, the umask applying alike.
 */
#include "output/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/cache.h"
#include "util/fs.h"

/* Whether `rel` was written before: then a second write must not go
 * through a link into the live folder (a static file at a feed's path). */
static int again(const nb_out *o, const char *rel)
{
	return o->written && json_object_get(o->written, rel);
}

/* What every write ends with: its error (errno `err`), its registration
 * and its counts. */
static int done(nb_out *o, const char *rel, int rc, int err, size_t len)
{
	if (rc != 0)
		nb_error(o->d, rel, 0, 0, "io", "check free disk space and permissions",
			 "cannot write output file: %s", strerror(err));
	if (o->written)
		json_object_set_new(o->written, rel, json_true());
	o->st->files++;
	o->st->bytes += len;
	return rc;
}

int nb_out_write(nb_out *o, const char *rel, const void *data, size_t len)
{
	int rc;
	if (!again(o, rel)) {
		/* Unchanged exports (megabytes on a large site) are linked from
		 * the live folder like unchanged pages, so a publish need not
		 * re-hash them. */
		int same;
		rc = nb_cache_put(o->reuse, o->dir, o->in_place, rel, data, len, &same);
		o->st->unchanged += (size_t)same;
	} else {
		char *path = nb_path_join(o->dir, rel);
		unlink(path);
		rc = nb_fs_write(path, data, len);
		free(path);
		if (o->rewritten)
			json_object_set_new(o->rewritten, rel, json_true());
	}
	return done(o, rel, rc, errno, len);
}

/* Tries before giving up on a free temporary name. */
#define TMP_TRIES 1000

void nb_out_open(nb_out_file *f, nb_out *o, const char *rel)
{
	memset(f, 0, sizeof(*f));
	f->o = o;
	f->fd = -1;
	f->rel = strdup(rel);
	if (!f->rel)
		abort();
	char name[48];
	for (int k = 0; k < TMP_TRIES && f->fd < 0; k++) {
		snprintf(name, sizeof(name), ".noticeboard-stream-%d", k);
		free(f->tmp);
		f->tmp = nb_path_join(o->dir, name);
		f->fd = open(f->tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (f->fd < 0 && errno == ENOENT && nb_fs_mkdirs(o->dir) == 0)
			f->fd = open(f->tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (f->fd < 0 && errno != EEXIST)
			break;
	}
	if (f->fd < 0) {
		f->err = errno;
		free(f->tmp);
		f->tmp = NULL;
	}
}

void nb_out_append(nb_out_file *f, const void *data, size_t len)
{
	if (f->err || !len)
		return;
	if (nb_fs_pwrite_all(f->fd, data, len, (off_t)f->len) != 0)
		f->err = errno;
	else
		f->len += len;
}

void nb_out_sink(void *ud, const char *data, size_t len)
{
	nb_out_append(ud, data, len);
}

int nb_out_close(nb_out_file *f)
{
	nb_out *o = f->o;
	int rc = f->err ? -1 : 0, err = f->err;
	/* The temporary is gone after each branch (renamed or removed): once
	 * renamed, its name is free for another's, so never unlinked then. */
	if (rc != 0) {
		if (f->tmp)
			unlink(f->tmp);
	} else if (!again(o, f->rel)) {
		int same;
		rc = nb_cache_put_file(o->reuse, o->dir, o->in_place, f->rel, f->fd, f->tmp,
				       f->len, &same);
		err = errno;
		o->st->unchanged += (size_t)same;
	} else {
		char *path = nb_path_join(o->dir, f->rel);
		unlink(path);
		rc = nb_fs_rename_into(f->tmp, path);
		err = errno;
		if (rc != 0)
			unlink(f->tmp);
		free(path);
		if (o->rewritten)
			json_object_set_new(o->rewritten, f->rel, json_true());
	}
	if (f->fd >= 0)
		close(f->fd);
	rc = done(o, f->rel, rc, err, f->len);
	free(f->tmp);
	free(f->rel);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	return rc;
}

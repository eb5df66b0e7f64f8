/*
 * writer.c - one output file written through the cache; see writer.h.
 */
#include "output/writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/cache.h"
#include "util/fs.h"

int nb_out_write(nb_out *o, const char *rel, const void *data, size_t len)
{
	int rc;
	if (!(o->written && json_object_get(o->written, rel))) {
		/* Unchanged exports (megabytes on a large site) are linked from
		 * the live folder like unchanged pages, so a publish need not
		 * re-hash them. */
		int same;
		rc = nb_cache_put(o->reuse, o->dir, o->in_place, rel, data, len, &same);
		o->st->unchanged += (size_t)same;
	} else {
		/* A second write must not go through a link into the live
		 * folder (a static file at a feed's path). */
		char *path = nb_path_join(o->dir, rel);
		unlink(path);
		rc = nb_fs_write(path, data, len);
		free(path);
		if (o->rewritten)
			json_object_set_new(o->rewritten, rel, json_true());
	}
	if (rc != 0)
		nb_error(o->d, rel, 0, 0, "io", "check free disk space and permissions",
			 "cannot write output file: %s", strerror(errno));
	if (o->written)
		json_object_set_new(o->written, rel, json_true());
	o->st->files++;
	o->st->bytes += len;
	return rc;
}

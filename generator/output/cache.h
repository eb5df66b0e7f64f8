/*
 * cache.h - the no-op rebuild shortcut.
 *
 * Secretaries rebuild after every edit, and often after none. A build is a
 * pure function of the site folder's files, the options (as-of date,
 * drafts, output folder) and the program itself, so when none of those
 * changed since the last successful, diagnostic-free build into the same
 * output folder, that folder already holds exactly what a build would
 * write, and the build can stop before loading anything.
 *
 * The key is a hash of every input file's path, size, inode and change
 * times (like make and ninja: stat, not read, so 50,000 documents cost
 * milliseconds), plus the options and the executable's identity. The
 * record lives in <site>/.noticeboard-cache/build-<output hash>, never in the output,
 * so outputs stay byte-identical to a clean build. Any doubt (no record,
 * another output, the output folder replaced or touched at its top level,
 * an unreadable file) is a miss, and a miss is simply a full build.
 *
 * A miss is cheaper than it sounds: files that come out identical are
 * linked from the live folder (nb_cache_link_same), and pages whose
 * inputs did not change are not even rendered (memo.h, which keeps its
 * own record beside this one: nb_cache_file, nb_cache_put_live).
 */
#ifndef NB_CACHE_H
#define NB_CACHE_H

#include <stddef.h>
#include "util/fs.h"

/* The previous generation of the output folder `<output>.previous`,
 * kept by build.c to be updated in place. Like the output folder it is
 * never an input: the key skips both. */
#define NB_CACHE_PREVIOUS ".previous"
/* The cache folder in the site folder (cache.c, doccache.c, memo.c). */
#define NB_CACHE_DIR ".noticeboard-cache"

typedef struct nb_cache_key {
	char hex[33];           /* the inputs' hash; "" when it could not be made */
	char out_real[4096];    /* the output folder's real path */
} nb_cache_key;

typedef struct nb_cache_counts {
	size_t documents, pages, files, bytes;
} nb_cache_counts;

/* The running program's identity (the stat of its executable and the
 * versions of the libraries it renders with), as text for keys and
 * salts: a rebuilt binary or an upgraded library may load or render
 * differently. "" when it cannot be known. */
void nb_cache_program(char *buf, size_t n);

/* Hash the site's inputs and options. `as_of` may be NULL (today). */
void nb_cache_key_make(nb_cache_key *k, const char *site_dir, const char *out,
		       const char *as_of, int drafts);

/* 1 when the output folder is what the recorded build with this key left;
 * fills `c` with that build's counts. */
int nb_cache_fresh(const nb_cache_key *k, const char *site_dir, const char *out,
		   nb_cache_counts *c);

/* Record a successful build (best effort: a cache that cannot be written
 * only costs the next build its shortcut). */
void nb_cache_record(const nb_cache_key *k, const char *site_dir, const char *out,
		     const nb_cache_counts *c);

/* The path of this site's cache file of kind `kind` (e.g. "build",
 * "memo") for the output folder `out_real` (malloc'd). */
char *nb_cache_file(const char *site_dir, const char *kind, const char *out_real);

/* Delete what the cache keeps for the output folder `out` (its no-op
 * record and page memo), before a folder that is not reused is removed:
 * `serve` builds into a new temporary folder each time it starts, and its
 * records would otherwise pile up in the site's cache. */
void nb_cache_forget(const char *site_dir, const char *out);

/* Replace the cache file `path` (from nb_cache_file) with `data`
 * atomically (written aside, renamed), best effort. */
void nb_cache_store(const char *site_dir, const char *path, const void *data, size_t len);

/*
 * Unchanged outputs. A rebuild renders every page again, but most pages
 * come out byte-identical to the live folder's copy; writing them anew
 * costs a fresh inode and a data write each (on ext4 the inode
 * allocation alone was a fifth of a 1,000-document build). When the file
 * at `rel` under `prev_dir` holds exactly `data`, hard-link it to
 * `new_path` instead (the staging folder is still complete, and the swap
 * still atomic). Returns 0 when linked, -1 when the caller must write
 * (different bytes, no such file, another file system).
 *
 * The two folders then share those inodes, so nothing may write into an
 * output file in place: every writer creates (O_TRUNC on a fresh path) and
 * the render stage unlinks before writing a path twice.
 */
int nb_cache_link_same(const char *prev_dir, const char *rel, const char *new_path,
		       const void *data, size_t len);

/*
 * Put one output file at `dir`/`rel`, the one way every writer of the
 * render stage does it. `dir` is either a fresh staging folder or, with
 * `in_place`, the previous generation's output being brought up to date
 * (build.c): there a file already holding exactly `data` is left as it is,
 * and any other is removed first, never written through (it may be a hard
 * link shared with the live folder). Otherwise the file is linked from
 * `reuse` (the live folder, or NULL) when identical there
 * (nb_cache_link_same), else written. `*unchanged` is set to 1 when no
 * bytes were written. Returns 0 or -1 with errno.
 */
int nb_cache_put(const char *reuse, const char *dir, int in_place, const char *rel,
		 const void *data, size_t len, int *unchanged);

/*
 * The same for a file written in pieces (writer.h nb_out_open): its `len`
 * bytes are in the temporary `tmp`, open at `fd`, in `dir`'s file system.
 * Compared chunk by chunk with the file it may stand for, then either
 * renamed to `dir`/`rel` or, when no bytes need writing, dropped: `tmp`
 * is gone afterwards whatever happened. `fd` stays open (the caller's).
 */
int nb_cache_put_file(const char *reuse, const char *dir, int in_place, const char *rel,
		      int fd, const char *tmp, size_t len, int *unchanged);

/*
 * Whether `live`/`rel` is still the file `want` describes (device, inode,
 * size, modification and change times), not followed if a link.
 *
 * Unchanged pages, not even rendered (memo.h): put the live folder's file
 * `live`/`rel` at `dir`/`rel` as a hard link, like nb_cache_put does with
 * identical bytes, but only when that file still is `want` (device,
 * inode, size, modification and change times as recorded after the build
 * that wrote it). In place, a `dir`/`rel` that is that inode already is
 * left as it is. Returns 0 when done, -1 when the caller must render.
 */
int nb_cache_live_is(const char *live, const char *rel, const nb_fs_stamp *want);

int nb_cache_put_live(const char *live, const char *dir, int in_place, const char *rel,
		      const nb_fs_stamp *want);

#endif

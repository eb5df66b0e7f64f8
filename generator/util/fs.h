/*
 * fs.h - the file-system operations the pipeline needs, with paths as
 * plain C strings.
 *
 * Directory walks return sorted lists so every later stage sees files in
 * the same order on every machine: output must be byte-identical between
 * builds. Writing the output never happens in place: the build fills a
 * staging folder and nb_fs_swap_dir() exchanges it with the live one in a
 * single rename, so readers see the old site or the new one, never a mix.
 */
#ifndef NB_FS_H
#define NB_FS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <jansson.h>

#include "util/buf.h"

typedef struct nb_strlist {
	char **items;
	size_t len, cap;
} nb_strlist;

void nb_strlist_push(nb_strlist *l, const char *s);
void nb_strlist_sort(nb_strlist *l);
void nb_strlist_free(nb_strlist *l);

/* "a" + "b" -> "a/b" (malloc'd); an empty or NULL `a` gives a copy of b. */
char *nb_path_join(const char *a, const char *b);

/* Read a whole file. Returns 0, or -1 with errno set. `max` of 0 = no limit;
 * a larger file fails with errno EFBIG. The buffer is NUL-terminated. */
int nb_fs_read(const char *path, size_t max, char **data, size_t *len);
/* The same from an open file (from where it stands; left open). */
int nb_fs_read_fd(int fd, size_t max, char **data, size_t *len);

/* Write a file, creating parent folders. Returns 0 or -1 with errno. */
int nb_fs_write(const char *path, const void *data, size_t len);

/* Replace `path` with `data` atomically, for caches: written to
 * `<path>.tmp` under a lock (creating parent folders) and renamed over
 * it, so readers see the old file or the new one. 0, or -1 when it could
 * not (another writer holds the lock, or an I/O error): the old file is
 * then untouched. */
int nb_fs_replace(const char *path, const void *data, size_t len);

/* An anonymous scratch file in `dir` (made if missing), read and written
 * by one build and gone when closed or when the process dies: O_TMPFILE,
 * or on a file system without it a named file unlinked at once. Its
 * descriptor (close-on-exec), or -1 with errno. */
int nb_fs_scratch(const char *dir);

/* All `n` bytes at `off`, across short reads and EINTR: 0, or -1 with
 * errno (EIO when the file ends first). The memos and the pack writer
 * read and write their files by offset through these. */
int nb_fs_pread_all(int fd, void *buf, size_t n, off_t off);
int nb_fs_pwrite_all(int fd, const void *buf, size_t n, off_t off);

int nb_fs_mkdirs(const char *path);
int nb_fs_rmtree(const char *path);
int nb_fs_is_dir(const char *path);
int nb_fs_is_file(const char *path);

/* A file's stamp: what stat says of which file it is and of when its
 * bytes last changed (device, inode, size, modification and change times
 * to the nanosecond). The memos keep one per recorded file, so it holds
 * these seven numbers only: 56 bytes, where a struct stat is 144. */
typedef struct nb_fs_stamp {
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
} nb_fs_stamp;

void nb_fs_stamp_of(nb_fs_stamp *out, const struct stat *st);
int nb_fs_stamp_same(const nb_fs_stamp *a, const nb_fs_stamp *b);

/*
 * When a file may be remembered by its stat. A record of what a file
 * holds (its blob id, its SHA-256) is trusted while its device, inode,
 * size and modification time are unchanged, so it must be impossible to
 * change the file later and keep the time: the time must be older than
 * the file system's own "now" at the moment the file is read (git's
 * racy-clean rule). The fence is that "now": a file touched before
 * reading any, whose time the same file system sets with the same clock
 * and granularity (1 ns, 1 s, 2 s: whatever it has). Files on another
 * file system, or when the fence cannot be written, fall back to a
 * margin: modified at least two seconds before the fence was set.
 */
typedef struct nb_fs_fence {
	int ok;
	dev_t dev;
	struct timespec t;
	long long margin;      /* seconds: older than this is old enough */
} nb_fs_fence;

/* Set the fence with a scratch file `<near>.fence` (made and removed). */
void nb_fs_fence_set(nb_fs_fence *f, const char *near);
/* Whether the file `st` stats may be remembered: modified before `f`. */
int nb_fs_fence_before(const nb_fs_fence *f, const struct stat *st);

/*
 * What a walk left out, and why (relative paths). A walk never drops a
 * file without saying so: nb_fs_walk_report turns each of these into an
 * error naming the entry, so a secretary learns why a document is not on
 * the site instead of finding it missing.
 */
typedef struct nb_walk_issues {
	nb_strlist escaped;    /* symbolic links resolving outside root, or nowhere */
	nb_strlist loops;      /* links to a folder the walk already read ... */
	nb_strlist loop_firsts; /* ... and where it read it ("" for root) */
	nb_strlist too_deep;   /* folders below NB_FS_WALK_DEPTH levels */
	nb_strlist special;    /* pipes, sockets, devices */
} nb_walk_issues;

/* How many folders deep a walk goes below its root. */
#define NB_FS_WALK_DEPTH 64

void nb_walk_issues_free(nb_walk_issues *w);

/*
 * A folder's whole listing, read with getdents64 into `list` (appended):
 * one system call per few hundred entries, with no DIR stream (fdopendir
 * stats the folder again and allocates a stream per folder). A published
 * site is mostly folders holding one index.html, so these per-folder
 * costs are what walking it costs. 0, or -1 with errno.
 */
typedef struct nb_fs_dirent {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;  /* DT_REG, DT_DIR, ...; DT_UNKNOWN: stat it */
	char name[];
} nb_fs_dirent;

int nb_fs_listing(nb_buf *list, int fd);

/* The listing's entry at *off, which moves past it; NULL at its end.
 * "." and ".." are skipped. */
const nb_fs_dirent *nb_fs_listing_next(const nb_buf *list, size_t *off);

/* Record the folder `st` (reached as `rel`) in `seen`, a jansson object
 * keyed by device and inode: NULL when it is new, else the rel it was
 * first reached as. How every walk reads a folder once. */
const char *nb_fs_seen(json_t *seen, const struct stat *st, const char *rel);

/*
 * Every regular file below `root` with its stat, in the order the
 * folders list them (not sorted), appended to `out`: what a publication
 * records (audit/files.c) and lists in manifest.sha256 (output/sums.c),
 * walked once for both. Each folder is read in one go (nb_fs_listing) and
 * closed before its subfolders are opened, so depth costs no file
 * descriptors; a file's one fstatat is relative to its folder. With
 * `dotfiles` 0, names starting with '.' are left out. Two flavours:
 * plain (`confine` 0: symbolic links followed wherever they lead) and
 * confined (nb_fs_walk's rules: a link leading out of the root left out,
 * NB_FS_WALK_DEPTH levels at most). Each folder is read once
 * (nb_fs_seen). Devices, pipes and sockets are never listed. 0, or -1 with
 * errno and `where` set to the folder that could not be read, relative to
 * the root ("" for the root).
 */
typedef struct nb_fs_file {
	char *rel;
	struct stat st;
} nb_fs_file;

typedef struct nb_fs_files {
	nb_fs_file *items;
	size_t len, cap;
} nb_fs_files;

int nb_fs_walk_stat(nb_fs_files *out, const char *root, int dotfiles, int confine,
		    nb_buf *where);
void nb_fs_files_push(nb_fs_files *l, const char *rel, const struct stat *st);
void nb_fs_files_free(nb_fs_files *l);

/*
 * Regular files below `root`, as paths relative to it, sorted bytewise.
 * Names starting with '.' are skipped (editor and VCS files). Symbolic links
 * are followed only when they resolve inside `root`; others are reported in
 * `issues->escaped` and left out. Each folder is read once: a link to a
 * folder already read (a link cycle such as `a -> .`, or a second way to
 * the same folder, which could make a walk exponential) is reported in
 * `issues->loops` and not followed, and so are folders nested too deep.
 * `issues` may be NULL (nothing reported). Returns 0 or -1 with errno.
 */
int nb_fs_walk(const char *root, nb_strlist *files, nb_walk_issues *issues);

/*
 * The walk of a site's own folder (content/, static/, themes/<name>/):
 * `label` is that folder relative to the site, as the user knows it. The
 * folder itself must resolve inside the site (a `static` link to a
 * private folder would publish it), and everything nb_fs_walk left out is
 * an error naming the entry. Returns 0; -1 when the folder cannot be
 * read or lies outside the site (errors in `d` then too).
 */
struct nb_diag;
int nb_fs_walk_site(const char *site_dir, const char *label, nb_strlist *files,
		    struct nb_diag *d);

/* 1 when the file name `rel` (its last part) is an editor's backup or
 * autosave copy: `x~`, `#x#`, `x.bak`, `x.orig`, `x.swp`, `x.swo` (any
 * case). The walks of a site's sources (nb_fs_walk_site, and the audit's
 * record of them) leave such files out, nb_fs_walk_site with a warning
 * naming each: copied as they lie, the backup of a draft would publish
 * the draft. The output walks keep them: a served file nobody made must
 * be seen. */
int nb_fs_backup_name(const char *rel);

/* 1 when the resolved path `real` is `dir_real` or below it. */
int nb_path_below(const char *real, const char *dir_real);

/* realpath of a path that may not exist yet: the longest existing prefix
 * resolved, the rest appended (malloc'd). */
char *nb_fs_resolve(const char *path);

/* 1 when `path` resolves to `dir` or a place below it (both resolved
 * through symbolic links), else 0; 0 too when either does not exist. */
int nb_fs_within(const char *path, const char *dir);

/*
 * Updating a folder in place (build.c keeps the previous output to bring
 * up to date rather than writing a fresh tree): nb_fs_tidy lists the
 * regular files below `root` (relative paths, in no order) and deletes on
 * the way anything that is neither a regular file nor a folder - symbolic
 * links are removed, never followed - so that writing below `root`
 * afterwards cannot land outside it. Returns 0 or -1 with errno.
 */
int nb_fs_tidy(const char *root, nb_strlist *files);

/* Delete the file root/rel, then each parent folder below `root` that it
 * leaves empty. Returns 0 or -1 with errno; a path that is missing or no
 * longer a file is not an error. */
int nb_fs_prune(const char *root, const char *rel);

/* Make room to create the file `path` where an earlier tree may stand in
 * the way: a folder at `path` itself, or a file where one of its parent
 * folders must be. Only components below `root` are touched. */
void nb_fs_clear_way(const char *root, const char *path);

/* Copy a file (creating parents). */
int nb_fs_copy(const char *from, const char *to);

/*
 * Make `staging` live at `live`: atomically exchange them when `live`
 * exists (renameat2 RENAME_EXCHANGE), then delete what was live. Returns 0
 * or -1 with errno.
 */
int nb_fs_swap_dir(const char *staging, const char *live);

/* The same without the deletion: on success `*exchanged` tells whether
 * `staging` now holds the previous site (to be deleted by the caller,
 * which may overlap that with other work) or `live` did not exist. */
int nb_fs_exchange_dir(const char *staging, const char *live, int *exchanged);

/* Rename `from` to `to` unless `to` exists (renameat2 RENAME_NOREPLACE).
 * Returns 0 or -1 with errno. */
int nb_fs_rename_noreplace(const char *from, const char *to);

/* link(2) or rename(2) `from` to `to`, creating `to`'s folders when they
 * are missing: how an output file whose bytes are on disk already is put
 * in place (output/cache.c). 0, or -1 with errno. */
int nb_fs_link_into(const char *from, const char *to);
int nb_fs_rename_into(const char *from, const char *to);

/* Make a folder's entries (names created, renamed, removed in it)
 * durable: fsync of the folder itself. 0 or -1 with errno. */
int nb_fs_fsync_dir(const char *dir);

/* Make every file below `dir` durable at once: syncfs of its file system
 * (one call instead of an fsync per file of a 20,000-file site). 0 or -1. */
int nb_fs_sync_tree(const char *dir);

/* Whether `path` is the root of a mount (its own or a bind mount): such a
 * folder cannot be renamed over. 1, 0, or -1 with errno. */
int nb_fs_is_mount_point(const char *path);

/* Directory holding the running executable (malloc'd), or NULL. */
char *nb_fs_exe_dir(void);

#endif

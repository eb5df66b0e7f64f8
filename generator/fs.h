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

int nb_fs_mkdirs(const char *path);
int nb_fs_rmtree(const char *path);
int nb_fs_is_dir(const char *path);
int nb_fs_is_file(const char *path);

/*
 * Regular files below `root`, as paths relative to it, sorted bytewise.
 * Names starting with '.' are skipped (editor and VCS files). Symbolic links
 * are followed only when they resolve inside `root`; others are reported in
 * `escaped` (relative paths) and left out. Returns 0 or -1 with errno.
 */
int nb_fs_walk(const char *root, nb_strlist *files, nb_strlist *escaped);

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

/* Directory holding the running executable (malloc'd), or NULL. */
char *nb_fs_exe_dir(void);

#endif

/*
 * sums.h - /manifest.sha256: every served file with its SHA-256, in the
 * format `sha256sum` writes and `sha256sum -c` checks, so that a copy of
 * the site downloaded with wget or curl can be checked against the
 * publication without git or this program.
 *
 * It lists the site: every regular file below the output folder except
 * itself, dot files (the build marker is not the site, build.h) and the
 * served audit repository (audit.git/, which is not part of the
 * publication it records). Paths relative to the site root, sorted
 * bytewise, one `<64 hex>  <path>` line each, escaped as sha256sum
 * escapes them (a leading backslash when the name holds one or a newline).
 *
 * publish writes it after the build and before hashing the output, so it
 * is recorded in the publication's public/ like any page, and a rebuild
 * (`verify --rebuild`) writes it the same way by calling nb_sums_write.
 */
#ifndef NB_SUMS_H
#define NB_SUMS_H

#include <stddef.h>

#include "util/buf.h"
#include "util/fs.h"

#define NB_SUMS_FILE "manifest.sha256"
/* The folder of the site where publish serves the audit repository. */
#define NB_SERVED_AUDIT "audit.git"

/* The list's text for the site in `dir`, from `walked` (its files as
 * fs.h nb_fs_walk_stat finds them, plain flavour, dot files included:
 * those this list leaves out are left out here), or from a walk of its
 * own when NULL. With `memo` (a cache file's path; NULL reads every
 * file), a file whose device, inode, size and modification time (the
 * walk's stat) the memo holds keeps its recorded digest unread, and the
 * memo is then replaced by this list's (sums.c says why that is safe). 0,
 * or -1 with errno. */
int nb_sums_text(nb_buf *out, const char *dir, const char *memo, const nb_fs_files *walked);

/* Walk `dir` and write the list to dir/manifest.sha256 as a new file
 * (never through a hard link to an earlier generation's). With `walked`
 * (an empty list), the walk is handed back, manifest.sha256 as now
 * written included: what a publication records of the folder is then
 * this same walk (audit.h nb_audit_hash_walked_cached), not a second
 * one. 0, or -1 with errno. */
int nb_sums_write(const char *dir, const char *memo, nb_fs_files *walked);

/* SHA-256 of a buffer as 64 lowercase hex digits and a NUL. */
void nb_sums_sha256_hex(char out[65], const void *data, size_t len);

#endif

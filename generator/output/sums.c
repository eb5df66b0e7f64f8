/*
 * sums.c - /manifest.sha256 (sums.h).
 *
 * Every file is read and hashed on each publish: a list computed from
 * the bytes on disk cannot vouch for a file it did not read. That is the
 * whole site read back each time (270 MB at 10,000 documents, 0.9 s in
 * one thread, most of it reading). The files are hashed on the
 * pool's threads, each into its own slot, and the lines written in path
 * order after, so the list does not depend on the number of threads.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/sums.h"
#include "util/fs.h"
#include "util/pool.h"

void nb_sums_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int ml = 0;
	if (EVP_Digest(data, len, md, &ml, EVP_sha256(), NULL) != 1 || ml != 32)
		abort();
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static int listed(const char *path)
{
	size_t n = strlen(NB_SERVED_AUDIT);
	if (!strncmp(path, NB_SERVED_AUDIT, n) && path[n] == '/')
		return 0;
	return strcmp(path, NB_SUMS_FILE) != 0;
}

/* A path as sha256sum writes it: `\` and newline escaped, and then the
 * line starts with a backslash. */
static void put_line(nb_buf *out, const char *hex, const char *path)
{
	int esc = strpbrk(path, "\\\n") != NULL;
	if (esc)
		nb_buf_putc(out, '\\');
	nb_buf_printf(out, "%s  ", hex);
	for (const char *p = path; *p; p++) {
		if (esc && *p == '\\')
			nb_buf_puts(out, "\\\\");
		else if (*p == '\n')
			nb_buf_puts(out, "\\n");
		else
			nb_buf_putc(out, *p);
	}
	nb_buf_putc(out, '\n');
}

/* One file's digest, on a pool thread: each task writes only its slot. */
typedef struct sum_job {
	const char *dir;
	const char *const *rel;
	char (*hex)[65];
	int *err;          /* 0, or the errno of reading that file */
} sum_job;

static void sum_one(void *ud, size_t i)
{
	const sum_job *j = ud;
	char *p = nb_path_join(j->dir, j->rel[i]), *data;
	size_t len;
	if (nb_fs_read(p, 0, &data, &len) != 0) {
		j->err[i] = errno ? errno : EIO;
	} else {
		nb_sums_sha256_hex(j->hex[i], data, len);
		free(data);
	}
	free(p);
}

int nb_sums_text(nb_buf *out, const char *dir)
{
	nb_strlist files = { 0 };
	if (nb_fs_walk(dir, &files, NULL) != 0) {
		nb_strlist_free(&files);
		return -1;
	}
	size_t n = 0;
	for (size_t i = 0; i < files.len; i++)
		if (listed(files.items[i]))
			files.items[n++] = files.items[i];
		else
			free(files.items[i]);
	files.len = n;
	sum_job j = { dir, (const char *const *)files.items, calloc(n ? n : 1, sizeof(*j.hex)),
		      calloc(n ? n : 1, sizeof(int)) };
	if (!j.hex || !j.err)
		abort();
	nb_pool_wait(nb_pool_start(nb_pool_jobs(), n, sum_one, &j));
	/* Lines and the first failure in path order, whatever the threads. */
	int rc = 0, e = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (j.err[i])
			rc = -1, e = j.err[i];
		else
			put_line(out, j.hex[i], files.items[i]);
	}
	free(j.hex);
	free(j.err);
	nb_strlist_free(&files);
	errno = e;
	return rc;
}

int nb_sums_write(const char *dir)
{
	nb_buf b = NB_BUF_INIT;
	int rc = nb_sums_text(&b, dir);
	char *p = nb_path_join(dir, NB_SUMS_FILE);
	if (rc == 0) {
		/* The side folder's files may be links to the served ones. */
		if (unlink(p) != 0 && errno != ENOENT)
			rc = -1;
		else
			rc = nb_fs_write(p, b.ptr, b.len);
	}
	int e = errno;
	free(p);
	nb_buf_free(&b);
	errno = e;
	return rc;
}

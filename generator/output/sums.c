/*
 * sums.c - /manifest.sha256 (sums.h).
 *
 * Every file is read and hashed on each publish: SHA-256 runs at several
 * hundred MB/s, a fraction of what the build that wrote the files cost,
 * and a list computed from the bytes on disk cannot vouch for a file it
 * did not read.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/sums.h"
#include "util/fs.h"

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

int nb_sums_text(nb_buf *out, const char *dir)
{
	nb_strlist files = { 0 };
	if (nb_fs_walk(dir, &files, NULL) != 0) {
		nb_strlist_free(&files);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < files.len && rc == 0; i++) {
		if (!listed(files.items[i]))
			continue;
		char *p = nb_path_join(dir, files.items[i]), *data;
		size_t len;
		rc = nb_fs_read(p, 0, &data, &len);
		free(p);
		if (rc != 0)
			break;
		char hex[65];
		nb_sums_sha256_hex(hex, data, len);
		free(data);
		put_line(out, hex, files.items[i]);
	}
	int e = errno;
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

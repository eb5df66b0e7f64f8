/*
 * objects_fixture.h - asking git itself about the objects the audit code
 * writes (test_pack.c, test_files.c, test_tree.c, test_loose.c).
 *
 * The repository is chain_fixture.h's (a bare record opened through
 * nb_audit_open); these helpers add what those tests need on top: git's
 * whole output of a command, files counted in the object folders, and
 * files written into a temporary folder. git is the oracle: what these
 * modules write must be what git would write and reads back.
 */
#ifndef NB_TEST_OBJECTS_FIXTURE_H
#define NB_TEST_OBJECTS_FIXTURE_H

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain_fixture.h"

/* The whole standard output of a shell command; its exit status (0 when
 * it worked), -1 when it could not be run. */
static inline int obj_sh_out(nb_buf *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline int obj_sh_out(nb_buf *out, const char *fmt, ...)
{
	nb_buf cmd = NB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	char line[4096];
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	nb_buf_printf(&cmd, "%s 2>/dev/null", line);
	nb_buf_clear(out);
	FILE *p = popen(nb_buf_cstr(&cmd), "r");
	nb_buf_free(&cmd);
	if (!p)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		nb_buf_put(out, chunk, n);
	return pclose(p);
}

/* Files in `dir` whose names start with `prefix` and end with `suffix`. */
static inline int obj_count(const char *dir, const char *prefix, const char *suffix)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	size_t pl = strlen(prefix), sl = strlen(suffix);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l >= pl + sl && !strncmp(e->d_name, prefix, pl) &&
		    !strcmp(e->d_name + l - sl, suffix) && strcmp(e->d_name, ".") &&
		    strcmp(e->d_name, ".."))
			n++;
	}
	closedir(d);
	return n;
}

/* Loose object files in the record (objects/xx/...). */
static inline int obj_loose_count(const chain *ch)
{
	int n = 0;
	char dir[512];
	for (int i = 0; i < 256; i++) {
		snprintf(dir, sizeof(dir), "%s/objects/%02x", ch->repo, i);
		n += obj_count(dir, "", "");
	}
	return n;
}

/* The path of `id`'s loose object file in the record (malloc'd). */
static inline char *obj_loose_path(const chain *ch, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1], rel[64];
	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(rel, sizeof(rel), "objects/%.2s/%s", hex, hex + 2);
	return nb_path_join(ch->repo, rel);
}

/* Files in objects/pack named pack-*<suffix> (".pack", ".idx"), or
 * starting with `prefix` when suffix is "". */
static inline int obj_pack_count(const chain *ch, const char *prefix, const char *suffix)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/objects/pack", ch->repo);
	return obj_count(dir, prefix, suffix);
}

/* `git fsck --strict` of the record, with nothing to say but dangling
 * objects; 0 when clean. */
static inline int obj_fsck(chain *ch)
{
	return chain_git(ch, "fsck --strict --no-dangling --no-progress");
}

/* git's answer for object `hex`: `git cat-file <how> <hex>` whole. */
static inline int obj_cat(chain *ch, nb_buf *out, const char *how, const char *hex)
{
	return obj_sh_out(out, "git -C '%s' cat-file %s %s", ch->repo, how, hex);
}

/* Write `len` bytes to <dir>/<rel>, making the folders. 0 or -1. */
static inline int obj_put(const char *dir, const char *rel, const void *data, size_t len)
{
	char *full = nb_path_join(dir, rel);
	char *slash = strrchr(full, '/');
	*slash = '\0';
	nb_fs_mkdirs(full);
	*slash = '/';
	int rc = nb_fs_write(full, data, len);
	free(full);
	return rc;
}

/* `git hash-object` of <dir>/<rel>, as hex; 0 or -1. */
static inline int obj_git_hash(const char *dir, const char *rel, char hex[GIT_OID_HEXSZ + 1])
{
	nb_buf out = NB_BUF_INIT;
	char *full = nb_path_join(dir, rel);
	int rc = obj_sh_out(&out, "git hash-object --no-filters '%s'", full);
	free(full);
	rc = rc == 0 && out.len == GIT_OID_HEXSZ + 1 ? 0 : -1;
	if (rc == 0)
		memcpy(hex, out.ptr, GIT_OID_HEXSZ);
	hex[rc == 0 ? GIT_OID_HEXSZ : 0] = '\0';
	nb_buf_free(&out);
	return rc;
}

/* Bytes that do not compress: a fixed xorshift stream. */
static inline void obj_noise(unsigned char *p, size_t n, unsigned long long seed)
{
	unsigned long long x = seed | 1;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (unsigned char)(x >> 24);
	}
}

#endif

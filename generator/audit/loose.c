/*
 * loose.c - reading the record's loose objects so that a damaged one is
 * reported, never waited on; see nb_audit_loose_guard in
 * audit_internal.h.
 *
 * Why: libgit2 1.5 (Debian 12's) loops forever reading a loose object
 * whose file was cut short (libgit2 issue 7342, fixed upstream by pull
 * request 7346): its inflate loop takes zlib's "no progress possible"
 * for "call again". `verify` or `audit` on a record with one truncated
 * file hung instead of naming it, and so did publish on such a record.
 *
 * So a backend of our own comes before libgit2's (priority 3, above the
 * loose backend's 1 and the packs' 2) and answers for every object that
 * is a loose file in the record: it reads the file, inflates it with zlib
 * in one call bounded by the file's own length, and takes only a stream
 * that ends where the file does, with a header `<type> <size>\0` whose
 * size is what follows. Anything else is corrupt, at once. An object that
 * is not a loose file here is not ours (GIT_ENOTFOUND): libgit2 reads it
 * from the packs as before. What we hand back is still hashed by
 * libgit2 (strict verification is on by default) and by check.c, so this
 * reader only has to be exact about the bytes, not trusted about them.
 *
 * Cost: one failed open per packed object read (the record's own reads
 * go to packs mostly), next to the inflate of the pack entry itself.
 * Writes never come here (no write member): libgit2's loose writer and
 * pack.c's own backend keep them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <git2/sys/odb_backend.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "audit/audit_internal.h"
#include "audit/loose.h"
#include "util/buf.h"

enum { LOOSE_PRIORITY = 3 };

typedef struct loose_guard {
	git_odb_backend parent;  /* first: libgit2 hands this pointer back */
	char *objects;           /* the repository's objects/ folder */
} loose_guard;

static int corrupt(const git_oid *id, const char *why)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	git_error_set(GIT_ERROR_ODB, "loose object %s is corrupt: %s", hex, why);
	return -1;
}

/* The file of loose object `id`, whole, into `raw`: 0, GIT_ENOTFOUND when
 * there is none, or -1 (an I/O error, or a file that is not one). */
static int read_file(const loose_guard *g, const git_oid *id, nb_buf *raw)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	nb_buf path = NB_BUF_INIT;
	nb_buf_printf(&path, "%s/%.2s/%s", g->objects, hex, hex + 2);
	int fd = open(nb_buf_cstr(&path), O_RDONLY | O_CLOEXEC);
	nb_buf_free(&path);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return GIT_ENOTFOUND;
		git_error_set(GIT_ERROR_OS, "cannot open loose object %s: %s", hex, strerror(errno));
		return -1;
	}
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) != 0) {
		git_error_set(GIT_ERROR_OS, "cannot read loose object %s: %s", hex, strerror(errno));
		rc = -1;
	} else if (!S_ISREG(st.st_mode)) {
		rc = corrupt(id, "not a file");
	}
	while (rc == 0) {
		nb_buf_grow(raw, 65536);
		ssize_t n = read(fd, raw->ptr + raw->len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			git_error_set(GIT_ERROR_OS, "cannot read loose object %s: %s", hex,
				      strerror(errno));
			rc = -1;
		}
		if (n <= 0)
			break;
		raw->len += (size_t)n;
	}
	close(fd);
	return rc;
}

/* Inflate `raw` whole into `out`, at most `max` bytes: 0 when the stream
 * ends exactly where the bytes do, else -1. Each inflate call either
 * makes progress or ends the loop: zlib's Z_BUF_ERROR (no progress
 * possible) is the end here. */
static int inflate_whole(const nb_buf *raw, size_t max, nb_buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (raw->len > UINT_MAX || inflateInit(&z) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)raw->ptr;
	z.avail_in = (uInt)raw->len;
	int zr = Z_OK;
	while (zr == Z_OK) {
		/* Judged on the bytes, not on where a chunk ends: exactly
		 * `max` is taken, one byte more is not. */
		if (out->len > max)
			break;
		nb_buf_grow(out, 65536);
		z.next_out = (unsigned char *)out->ptr + out->len;
		z.avail_out = 65536;
		zr = inflate(&z, Z_NO_FLUSH);
		out->len = (size_t)((char *)z.next_out - out->ptr);
	}
	inflateEnd(&z);
	return zr == Z_STREAM_END && z.avail_in == 0 && out->len <= max ? 0 : -1;
}

/* The header `<type> <size>\0` at the start of `obj`: the type, and where
 * the object's `len` bytes start. 0, or -1 when it is not one or the size
 * is not what follows. */
static int parse(const nb_buf *obj, git_object_t *type, size_t *at, size_t *len)
{
	const char *p = obj->ptr, *end = p + obj->len;
	const char *nul = memchr(p, '\0', obj->len < 64 ? obj->len : 64);
	const char *sp = nul ? memchr(p, ' ', (size_t)(nul - p)) : NULL;
	if (!sp)
		return -1;
	static const struct { const char *name; git_object_t type; } types[] = {
		{ "blob", GIT_OBJECT_BLOB }, { "tree", GIT_OBJECT_TREE },
		{ "commit", GIT_OBJECT_COMMIT }, { "tag", GIT_OBJECT_TAG },
	};
	*type = GIT_OBJECT_INVALID;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if ((size_t)(sp - p) == strlen(types[i].name) &&
		    !memcmp(p, types[i].name, (size_t)(sp - p)))
			*type = types[i].type;
	if (*type == GIT_OBJECT_INVALID)
		return -1;
	size_t n = 0;
	if (sp + 1 == nul || (sp[1] == '0' && sp + 2 != nul))
		return -1;  /* no digits, or a leading zero */
	for (const char *d = sp + 1; d < nul; d++) {
		if (*d < '0' || *d > '9' || n > (SIZE_MAX - 9) / 10)
			return -1;
		n = n * 10 + (size_t)(*d - '0');
	}
	*at = (size_t)(nul + 1 - p);
	*len = n;
	return (size_t)(end - (nul + 1)) == n ? 0 : -1;
}

int nb_audit_loose_object(nb_buf *obj, git_object_t *type, size_t *at, size_t *len,
			  const nb_buf *raw, size_t max)
{
	if (inflate_whole(raw, max, obj) != 0)
		return -1;
	return parse(obj, type, at, len) != 0 ? -2 : 0;
}

static int guard_read(void **out, size_t *len, git_object_t *type, git_odb_backend *b,
		      const git_oid *id)
{
	nb_buf raw = NB_BUF_INIT, obj = NB_BUF_INIT;
	int rc = read_file((loose_guard *)b, id, &raw);
	size_t at = 0;
	int whole = rc == 0 ? nb_audit_loose_object(&obj, type, &at, len, &raw, SIZE_MAX) : 0;
	if (whole == -1)
		rc = corrupt(id, "its compressed data is cut short or damaged");
	else if (whole == -2)
		rc = corrupt(id, "its header does not name a type and its size");
	if (rc == 0) {
		unsigned char *data = git_odb_backend_data_alloc(b, *len + 1);
		if (!data) {
			rc = -1;
		} else {
			memcpy(data, obj.ptr + at, *len);
			data[*len] = '\0';
			*out = data;
		}
	}
	nb_buf_free(&raw);
	nb_buf_free(&obj);
	return rc;
}

static int guard_read_header(size_t *len, git_object_t *type, git_odb_backend *b,
			     const git_oid *id)
{
	void *data = NULL;
	int rc = guard_read(&data, len, type, b, id);
	if (rc == 0)
		git_odb_backend_data_free(b, data);
	return rc;
}

static void guard_free(git_odb_backend *b)
{
	loose_guard *g = (loose_guard *)b;
	free(g->objects);
	free(g);
}

int nb_audit_loose_guard(nb_audit *a)
{
	loose_guard *g = calloc(1, sizeof(*g));
	if (!g)
		abort();
	nb_buf p = NB_BUF_INIT;
	nb_buf_printf(&p, "%sobjects", git_repository_path(a->repo));
	g->objects = nb_buf_detach(&p);
	git_odb_init_backend(&g->parent, GIT_ODB_BACKEND_VERSION);
	g->parent.read = guard_read;
	g->parent.read_header = guard_read_header;
	g->parent.free = guard_free;
	if (git_odb_add_backend(a->odb, &g->parent, LOOSE_PRIORITY) < 0) {
		guard_free(&g->parent);
		return git_fail(a, "cannot open the object database");
	}
	return 0;
}

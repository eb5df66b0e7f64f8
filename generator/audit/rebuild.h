/*
 * rebuild.h - reproduce a publication from its own record and compare.
 *
 * A publication records its sources (site/), its output (public/) and the
 * date it was judged as of (manifest.json). Building those sources again
 * as of that date, with the publication history up to it, must give the
 * recorded output byte for byte: anything else means the output was not
 * made from those sources - or was made by another generator, which the
 * manifest names and which is then reported as such, not as tampering.
 */
#ifndef NB_REBUILD_H
#define NB_REBUILD_H

#include <jansson.h>
#include <stddef.h>

#include "audit/audit.h"

/* What a file comparison found, for the callback below. */
typedef void (*nb_audit_diff_fn)(void *ud, const char *what, const char *path);

/*
 * Compare a publication's public/ (`pub`) with `here`, both sorted: each
 * difference ("modified", "missing" from here, "extra" in here) is passed
 * to `fn` (may be NULL). The output marker (build.h) is not content and
 * is skipped. Returns the number of differences.
 */
size_t nb_audit_files_compare(const nb_audit_files *pub, const nb_audit_files *here,
			      nb_audit_diff_fn fn, void *ud);

typedef struct nb_rebuild {
	size_t publication;
	size_t files;          /* files of its public/ */
	int built;             /* the sources built (else `err` says why) */
	json_t *differ;        /* [{"path", "what"}] where the rebuild differs; owned */
	int other_generator;   /* the record names another generator than this one */
	char recorded[256];    /* the generator the manifest names ("unknown" when none) */
	char running[256];     /* this program */
	char err[2048];
} nb_rebuild;

/*
 * Rebuild publication `n` of the open repository in a temporary folder
 * (removed afterwards): its site/ written out, built in-process as of its
 * recorded date with the history up to it (the same pipeline as
 * `build --audit-repo --publication N`), the output hashed and compared
 * with public/. Returns 0 with the verdict in `r` (free with
 * nb_rebuild_free), or -1 when the record could not be read or the disk
 * failed (a->err says why).
 */
int nb_audit_rebuild(nb_audit *a, size_t n, nb_rebuild *r);
void nb_rebuild_free(nb_rebuild *r);

/* 0 when the rebuild reproduced the publication. */
static inline int nb_rebuild_failed(const nb_rebuild *r)
{
	return !r->built || json_array_size(r->differ) > 0;
}

#endif

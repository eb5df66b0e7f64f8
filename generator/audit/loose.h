/*
 * loose.h - loose objects read by the audit code itself (loose.c): for
 * the record's own object database and for the loose files `audit`
 * fetches, one reading that ends on a damaged file.
 */
#ifndef NB_AUDIT_LOOSE_H
#define NB_AUDIT_LOOSE_H

#include <git2.h>

#include "audit/audit.h"
#include "util/buf.h"

/* Put loose.c's reader of loose objects before libgit2's in a->odb: a
 * loose object cut short is reported corrupt instead of read forever
 * (libgit2 1.5). 0, or -1 with a->err. */
int nb_audit_loose_guard(nb_audit *a);
/* The object in the bytes `raw` of a loose object file: inflated into
 * `obj` (at most `max` bytes), its type, and where its `len` bytes start
 * there. 0; -1 when the stream is cut short, damaged, followed by other
 * bytes or over `max`; -2 when its header names no type or another size.
 * The bytes are not hashed here. */
int nb_audit_loose_object(nb_buf *obj, git_object_t *type, size_t *at, size_t *len,
			  const nb_buf *raw, size_t max);

#endif

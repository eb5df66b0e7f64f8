/*
 * audit_internal.h - what the audit/ files share and nobody else sees.
 *
 * audit.c was one file of 2,900 lines; it is now a file per noun (repo.c
 * says which). The helpers below were its static functions; they keep
 * their short names here (as set_err always had) so the code reads as it
 * did, and carry the nb_audit_ prefix in the linker's eyes.
 */
#ifndef NB_AUDIT_INTERNAL_H
#define NB_AUDIT_INTERNAL_H

#include <git2.h>
#include <stdint.h>

#include "audit/audit.h"
#include "util/buf.h"

/* audit.h's own id type and codes are libgit2's, byte for byte. */
_Static_assert(sizeof(nb_oid) == sizeof(git_oid) && NB_OID_RAWSZ == GIT_OID_RAWSZ,
	       "nb_oid holds a git_oid");
_Static_assert(NB_AUDIT_ENOTFOUND == GIT_ENOTFOUND, "the same not-found code");

/* An nb_oid seen as libgit2's git_oid (the same 20 bytes, only ever
 * passed to libgit2's functions), and the other way. */
static inline const git_oid *to_git(const nb_oid *o)
{
	return (const git_oid *)(const void *)o;
}

static inline git_oid *to_git_w(nb_oid *o)
{
	return (git_oid *)(void *)o;
}

static inline const nb_oid *to_nb(const git_oid *o)
{
	return (const nb_oid *)(const void *)o;
}

static inline nb_oid *to_nb_w(git_oid *o)
{
	return (nb_oid *)(void *)o;
}

/* repo.c */
#define set_err nb_audit_set_err
#define refuse nb_audit_refuse
#define git_fail nb_audit_git_fail
#define xstrdup nb_audit_xstrdup
#define is_inside nb_audit_is_inside
/* Leave libgit2's last error in a->err after `what` (a->io when it was
 * the operating system's). Returns -1. */
int git_fail(nb_audit *a, const char *what);
/* strdup that aborts when out of memory, as every allocation here does. */
char *xstrdup(const char *s);
/* Whether `child` is `parent` or below it (both resolved paths). */
int is_inside(const char *child, const char *parent);

/* files.c */
#define files_push nb_audit_files_push_git
/* nb_audit_files_push for libgit2's ids. */
void files_push(nb_audit_files *f, const char *path, const git_oid *id);
#define hash_file nb_audit_hash_file
/* A file's blob id, the blob written when `write` and missing. 0 or -1. */
int hash_file(nb_audit *a, const char *full, int write, git_oid *out);

/* pack.c */
#define entry_make nb_audit_pack_entry_make
#define pack_add_entry nb_audit_pack_add_entry
#define put_object nb_audit_put_object
#define have_object nb_audit_have_object
/* Whether a publication's pack is open and has its file started (entries
 * made ahead of time, entry_make, may go to it). */
int nb_audit_pack_spilled(const nb_audit *a);
/* A pack entry for an object: header and zlib stream appended to `out`,
 * the header's length and the entry's CRC. Pure (any thread). 0 or -1. */
int entry_make(git_object_t type, const void *data, size_t len, nb_buf *out,
	       uint8_t *hdr, uint32_t *crc);
/* Append an entry entry_make() made (the pack's file is started). */
int pack_add_entry(nb_audit_pack *p, const git_oid *id, git_object_t type, uint64_t size,
		   const nb_buf *e, uint8_t hdr, uint32_t crc);
/* Write an object whose id is known: into the pack while one is open. */
int put_object(nb_audit *a, const git_oid *id, git_object_t type, const void *data,
	       size_t len);
/* Whether the database has an object (no pack re-scan on a miss). */
int have_object(nb_audit *a, const git_oid *id);

/* commit.c */
#define tag_target nb_audit_tag_target
/* The commit refs/tags/pub-n names (peeled). 0 or a libgit2 error code. */
int tag_target(nb_audit *a, size_t n, git_oid *out);

#endif

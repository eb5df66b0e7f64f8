/*
 * served.h - the audit repository served with the site, at
 * /audit.git/, so that `git clone https://SITE/audit.git` works from any
 * static host through git's "dumb" HTTP protocol, and the site carries
 * its own history.
 *
 * The copy is a bare repository that a fetcher reads with nothing but
 * GET requests: HEAD, info/refs (as `git update-server-info` writes it),
 * objects/info/packs and the packs with their indexes; every object the
 * refs reach is in a pack, so no loose object is ever asked for. It is
 * also a valid local repository (refs in packed-refs), so `git clone
 * public/audit.git` works before the site is uploaded.
 *
 * Packs are immutable and named by their content, so the copy never
 * rewrites history it served before: the audit repository's own packs
 * (every publication of a served site is one, audit.h) and the packs of
 * the copy served until now are hard-linked (copied across file systems).
 * Only loose objects of the audit repository that none of those hold -
 * publications recorded while the site served no copy - go into one new
 * pack, written by libgit2's pack builder and linked into the audit
 * repository as well, in place of those loose objects, so that the next
 * copy links it from there even when the live folder no longer holds a
 * copy (a plain build in between). A publish that records nothing adds no
 * pack.
 *
 * The copy is written into publish's side folder after the publication is
 * recorded (it holds it) and before the one atomic swap, so what is served
 * is the old site with the old copy or the new with the new. The
 * publication's record of public/ leaves audit.git/ out: it records the
 * site, not a copy of the record itself.
 *
 * site.yaml audit.serve: false writes no copy; audit.mirror (a URL) writes
 * none either, and the history page sends auditors to the mirror.
 */
#ifndef NB_SERVED_H
#define NB_SERVED_H

#include "audit/audit.h"

/* Remove the copy from an output folder (an earlier generation's, before
 * the output is hashed), and from `walked` (NULL: none), a walk of that
 * folder made before (fs.h nb_fs_walk_stat), so that the walk still says
 * what the folder holds. 0, or -1 with errno. */
int nb_audit_served_drop(const char *dir, nb_fs_files *walked);

/* Leave the copy out of a list of a served folder's files (paths relative
 * to its root, as `verify` hashes it): it is not the site. */
void nb_audit_served_leave_out(nb_audit_files *f);

/*
 * Write the copy of the open repository `a` (its refs and objects as they
 * are now) to <dir>/audit.git, reusing the packs of <live>/audit.git (the
 * copy served until now; may be missing). Nothing when a->cfg turns the
 * copy off. 0, or -1 with a->err set.
 */
int nb_audit_served_write(nb_audit *a, const char *dir, const char *live);

#endif

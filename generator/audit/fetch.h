/*
 * fetch.h - reading a served site and its audit repository the way a
 * static host offers them: plain files over HTTP(S) ("dumb" git), or the
 * same files in a local folder.
 *
 * A third party auditing a site has its address and nothing else. The
 * audit repository is served beside the pages as SITE/audit.git/ (HEAD,
 * info/refs, objects/info/packs and the packs, maybe loose objects), which
 * git itself can clone over dumb HTTP; libgit2 speaks only the smart
 * protocol, so this module fetches those files itself (libcurl) and lets
 * libgit2's indexer check every pack. See fetch.c for the why.
 */
#ifndef NB_FETCH_H
#define NB_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "config/config.h"
#include "util/buf.h"

typedef struct nb_fetch nb_fetch;

/* Limits: nothing read from a site may hang the auditor or fill its disk. */
typedef struct nb_fetch_limits {
	long timeout_secs;     /* whole request; 0: 120 */
	uint64_t max_pack;     /* bytes of one pack; 0: 2 GiB */
	size_t max_file;       /* bytes of one served file or loose object; 0: 256 MiB */
} nb_fetch_limits;

/* 1 when `s` is an http:// or https:// address. */
int nb_fetch_is_url(const char *s);

/*
 * A reader of `base`: an http(s) address or a local folder. Paths given
 * to the functions below are relative to it. `limits` may be NULL.
 * Returns 0 or -1 (message in nb_fetch_error()).
 */
int nb_fetch_new(nb_fetch **out, const char *base, const nb_fetch_limits *limits);
void nb_fetch_free(nb_fetch *f);
const char *nb_fetch_error(const nb_fetch *f);
/* The address a relative path is read from (for messages). */
const char *nb_fetch_base(const nb_fetch *f);

/* Read `rel` into `out` (cleared first), at most `max` bytes (0: the file
 * limit). 0, 1 when it is not there (HTTP 404/410, no such file), -1 on
 * any other failure (message names the address). */
int nb_fetch_get(nb_fetch *f, const char *rel, size_t max, nb_buf *out);

/*
 * Copy the audit repository under `repo` (a path relative to the base,
 * e.g. "audit.git/", or "" when the base is the repository) into the bare
 * repository `dest` (created when missing): every pack listed in
 * objects/info/packs run through libgit2's indexer (which checks it and
 * writes its own index), then every object the refs reach that is still
 * missing read as a loose object and hashed against its id; then dest's
 * refs are replaced by the served ones and HEAD set as served.
 * *packs and *loose count what was fetched. 0 or -1.
 */
int nb_fetch_repo(nb_fetch *f, const char *repo, const char *dest, size_t *packs,
		  size_t *loose);

/*
 * For commands given an address instead of a repository: fetch the audit
 * repository of `url` (a site, whose repository is `audit.git/` below it,
 * or an address ending in `.git`) into a cache folder,
 * $XDG_CACHE_HOME/noticeboard/repos/<site key>.git (default
 * ~/.cache/noticeboard/...), and return that folder (caller frees).
 * NULL with a message in `err` on failure.
 */
char *nb_fetch_mirror(const char *url, const nb_fetch_limits *limits, char *err, size_t errn);

/*
 * For the reading commands (log, diff, history, verify): open `repo` when
 * given - a bare repository's folder, or an address fetched as
 * nb_fetch_mirror() does - with a configuration of its own (the branch
 * HEAD names, else `publications`; no site, no output folder); else the
 * site's, as nb_audit_open_site(). Returns an NB_EXIT_* code (message
 * printed, prefixed with `cmd`); on 0 the caller closes both.
 */
int nb_audit_open_any(nb_audit *a, nb_config *cfg, const char *site_dir, const char *repo,
		      const char *cmd);

/*
 * A site's address in one spelling, for keys: scheme and host lower-case,
 * the default port dropped, one trailing slash; a local folder becomes
 * its absolute real path with "file://" before it. Caller frees.
 */
char *nb_fetch_site_key(const char *site);

/* `key` made a file name: letters, digits, '.', '-' kept, the rest '_',
 * then '-' and 12 hex digits of its SHA-256 (two keys never share one). */
char *nb_fetch_key_file(const char *key);

/* $XDG_<kind>_HOME/noticeboard (kind "STATE" or "CACHE"), default
 * ~/.local/state or ~/.cache; created. Caller frees; NULL without HOME. */
char *nb_fetch_xdg_dir(const char *kind);

#endif

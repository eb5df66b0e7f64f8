/*
 * identity.h - which program made an output: noticeboard's version, the
 * version of every library whose code shapes the output, and a digest of
 * the built-in default theme.
 *
 * publish records it in each publication's manifest.json under
 * "generator", so that an auditor who rebuilds a publication knows which
 * program to rebuild it with, and `verify --rebuild` / `audit` compare it
 * with the running binary's, which nb_generator_identity() gives in the
 * same shape:
 *
 *   {"name": "noticeboard", "version": NB_VERSION,
 *    "libraries": {"cmark-gfm", "jansson", "libcrypto", "libgit2",
 *                  "libqrencode", "libyaml", "utf8proc": version},
 *    "theme": "sha256:<hex>"}
 *
 * Libraries: cmark-gfm renders Markdown, libyaml reads the sources,
 * jansson carries every page's data, utf8proc normalises and measures
 * text, libqrencode draws the notices' QR codes, libgit2 reads the history
 * the pages show, libcrypto hashes manifest.sha256. Each part that links a
 * library answers for its version (nb_<part>_library_version), so this
 * module includes none of them. libgit2's comes from the caller
 * (audit/publish.h nb_audit_library_version): audit is a later stage than
 * output, which may not include it. The allocator and the web server of
 * `serve` do not change a byte of output and are left out.
 *
 * The theme digest is SHA-256 over the built-in theme's files (embedded.h,
 * "theme/default/...") in path order, each as its path, a NUL, its length
 * in decimal, a NUL, then its bytes: a site that uses the built-in theme
 * is rebuilt the same only by a program with the same theme.
 */
#ifndef NB_IDENTITY_H
#define NB_IDENTITY_H

#include <jansson.h>

/* The running program's identity, as above. New reference. */
json_t *nb_generator_identity(const char *libgit2_version);

/* "sha256:" and 64 hex digits of the built-in theme, NUL-terminated. */
void nb_generator_theme_digest(char out[72]);

#endif

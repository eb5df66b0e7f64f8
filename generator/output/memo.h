/*
 * memo.h - the page memo: a rebuild does not render the pages whose
 * inputs did not change.
 *
 * A page is a pure function of the theme's templates, its layout, its
 * template context and, for a document, its body (render.c adds the HTML
 * and headings to the context only when it renders). So each HTML page
 * gets a 128-bit key over those (hash.h; the body as the digest its
 * document carries, doc.h body_key; the context walked read-only in one
 * stream, every value type-tagged, containers with their sizes,
 * strings and keys with their lengths). Containers that many contexts
 * hold by reference (`site` per navigation kind, the theme's strings,
 * every list item, the trend tables: nb_memo_share) are hashed once per
 * build and fed as their digest wherever they occur. After a
 * build that was swapped in, the memo records for each page whose file is
 * exactly its render: the key, and the live file's device, inode, size,
 * modification and change times. A later build into the same output that
 * computes the same key, and finds the live file still with that stamp,
 * hard-links the live file instead of rendering (cache.h
 * nb_cache_put_live): same bytes as a render, since output files are
 * never written through (cache.h) and anything that changes a file's
 * bytes moves its change time, which no one can set back.
 *
 * Change times are only as fine as the file system's clock: a file
 * edited within the same tick as the build wrote it would keep its stamp.
 * So a page is recorded only when its change time is well before the
 * moment its stamp was taken (20 ms, or 3 s on a file system that keeps
 * whole seconds); a page written just before the record is rendered again
 * next time, which costs a render, never a wrong byte.
 *
 * The publication number (site.h nb_site.publication) is in every page's
 * <head> as <meta name="noticeboard:publication" content="N">, and in
 * nothing else a page shows when the theme reads `site.publication` only
 * for that tag (theme.h publication_tag_only). Then the keys leave it out
 * (nb_memo_share_site), and the number a page names is the first
 * publication that served it as it is (pubtag.h). So when the record is
 * of the previous publication's pages as publish recorded them (the id
 * publish gave them, nb_memo_published, is the one this build is given
 * for them, nb_memo_previous), a page whose key matches is its recorded
 * file, linked as it is, when the record says its tag is one the rule
 * sees (noted from the bytes when the file was put: nb_memo_note, so a
 * re-publish reads none of the pages it keeps). Without a previous publication (the first one),
 * a page whose key matches is its recorded file with that one number
 * rewritten, written as a new file (never through the live one), when
 * its tag names exactly the recorded publication; anything else and the
 * page is rendered. The pages' other mentions of publications (history
 * lines, links) are in their contexts, so in keys.
 *
 * The date deadlines are judged by (`site.as_of`) is in every page's
 * context too; when no template can read it (theme.h as_of_unread) the
 * keys leave it out the same way (nb_memo_as_of), and what that date
 * changes in a page's own data (a decision's status, its "as of" note, a
 * list's statuses) is in its context, so in its key.
 *
 * Links: a reused page's bytes are those of a build that succeeded, so
 * every internal link in it resolved then. When every path that build
 * wrote is written again, and the base path and alternates are the same,
 * they still resolve; otherwise the caller reads the reused pages again
 * and checks their links as if rendered (nb_memo_links_hold).
 *
 * The record is one binary file per output folder in the site's cache
 * folder (cache.h nb_cache_file), stamped with the program's identity and
 * the output's real path and ended by a hash of its bytes: any record
 * that is missing, short, garbled or from another program is no record,
 * and no record is simply a full render.
 */
#ifndef NB_MEMO_H
#define NB_MEMO_H

#include <jansson.h>
#include <stddef.h>

#include "util/hash.h"

typedef struct nb_memo nb_memo;
typedef struct nb_memo_entry nb_memo_entry;

/* The memo of the output folder `out`, with the record of the last build
 * into it when there is a usable one. */
nb_memo *nb_memo_open(const char *site_dir, const char *out);
void nb_memo_free(nb_memo *m);

/* Hash once a container that many contexts share (by pointer, unchanged
 * until the memo is freed). Main thread, before any nb_memo_key. Which
 * containers are shared must follow from the code alone, never from the
 * data's history: a container is fed as its digest when shared and
 * walked when not, two different keys for the same values. */
void nb_memo_share(nb_memo *m, const json_t *v);

/* The publication this build's pages name (0: none), and whether the
 * keys leave it out (the theme shows it only in the meta tag). Before
 * any nb_memo_share_site. */
void nb_memo_publication(nb_memo *m, size_t publication, int outside_key);

/* The id of the previous publication's pages (publish: its public/ tree),
 * when this build is a publication that has one (NULL or "": none). */
void nb_memo_previous(nb_memo *m, const char *id);

/* The id the pages of this build were recorded under, once publish has
 * recorded them; saved with the record (m may be NULL). */
void nb_memo_published(nb_memo *m, const char *id);

/* Whether the keys leave out the site's `as_of` (no template reads it,
 * theme.h as_of_unread). Before any nb_memo_share_site. */
void nb_memo_as_of(nb_memo *m, int outside_key);

/* nb_memo_share for a `site` object: with the publication (or `as_of`)
 * outside the keys, that member is fed as a mark, not its value. */
void nb_memo_share_site(nb_memo *m, const json_t *site);

/* The page key: read-only on `ctx` and the memo (no reference counts
 * touched), so workers may call it. `body` is the digest of what a
 * document's page adds to its context only when it is rendered (its HTML
 * and headings: content.h nb_doc.body_key), NULL for other pages; so a
 * page that is not rendered neither reads its body back from the build
 * cache nor turns it into values. */
nb_digest nb_memo_key(const nb_memo *m, nb_digest templates, const char *layout,
		      const json_t *ctx, const nb_digest *body);

/* The recorded page at `rel`, or NULL. Read-only. */
const nb_memo_entry *nb_memo_find(const nb_memo *m, const char *rel);

/* Put the recorded page `e` at `dir`/`rel` without rendering it when it
 * had key `key` and its live file is untouched (see the top comment;
 * `in_place` as in cache.h nb_cache_put), its publication tag rewritten
 * when the number changed and no previous publication is known (see the
 * top comment). Returns 1 (linked) or 2 (written, renumbered)
 * and the file's size, or 0: render it. Worker-safe. */
int nb_memo_reuse(const nb_memo *m, const nb_memo_entry *e, nb_digest key, const char *dir,
		  int in_place, size_t *size);

/* A file noted under the digest of its own bytes (the search index's
 * files: render.c), put from the served folder when the record has it
 * with that digest and it is untouched. No publication number is in such
 * a file, so, unlike a page, it is put whatever publication the record is
 * of. Returns 1 and its size, or 0: make it. Worker-safe. */
int nb_memo_reuse_file(const nb_memo *m, const nb_memo_entry *e, nb_digest key,
		       const char *dir, int in_place, size_t *size);

/* The digest of one value as the key walks it (shared containers by
 * their digest): for keys of outputs other than pages. Read-only. */
nb_digest nb_memo_value(const nb_memo *m, const json_t *v);

/* Outputs made together from one key (the feeds and open data: render.c
 * notes each of their files with the same key). When the record has
 * files under `key` and every one is untouched in the served folder, put
 * them all at `dir` as nb_memo_reuse does, call `fn` for each (its path
 * and size) and return how many; else -1, having put none, and the
 * caller makes them all. Read-only on the memo: any thread. */
long nb_memo_reuse_group(const nb_memo *m, nb_digest key, const char *dir, int in_place,
			 void (*fn)(void *ud, const char *rel, size_t size), void *ud);

/* For the next record (main thread, after the pages and after
 * nb_memo_links_hold): the file at `rel` is exactly the render of a page
 * with key `key` and no diagnostic, and `tagged` when its bytes carry a
 * tag pubtag.h finds (nb_pubtag_find), so the next publication can keep
 * it without reading it. A path not in the build's `written` set is not
 * recorded; the note keeps that set's copy of the path, not one of its
 * own. */
void nb_memo_note(nb_memo *m, const char *rel, nb_digest key, int tagged);

/* Whether the recorded page `e` (may be NULL) was noted `tagged`. */
int nb_memo_entry_tagged(const nb_memo_entry *e);

/* Whether the links of reused pages still resolve: every path of the
 * recorded build is in `written` (this build's set of written paths) and
 * `env` (what else link checking depends on) is the recorded one. Also
 * keeps both for the next record. */
int nb_memo_links_hold(nb_memo *m, const json_t *written, nb_digest env);

/* After this build's output is served (build.c swapped it in, or publish
 * served its side folder): record it (best effort; NULL: nothing). */
void nb_memo_save(nb_memo *m);

#endif

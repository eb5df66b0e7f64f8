/*
 * doccache.h - the load stage's memo: documents as they loaded last time.
 *
 * Loading a document (read it, check its UTF-8, parse its YAML, render its
 * Markdown) depends on nothing but its own file and a few settings, and it
 * was a third of the CPU of a rebuild after a secretary's one-line edit.
 * So a build keeps, in <site>/.noticeboard-cache/docs, what
 * each file loaded into (id, kind, draft flag, front matter, links and
 * headings, the position table, the rendered HTML and its text, and for
 * the kinds whose body linking reads, charters, the body itself), keyed by
 * the file's path and stat (size, inode, modification and change times,
 * the way make and git notice an edit without reading), and the next build
 * restores unchanged files from it instead of loading them again.
 *
 * What is restored equals what loading gives: the front matter and links
 * are kept in a binary form that reads back to the same values, bit for
 * bit and in key order (util/jsonbin.h), and a document is recorded only
 * when it loaded without any diagnostic, so every warning and error is
 * reported again by every build. The salt names everything besides the
 * file that decides how it loads: the Markdown and draft options, the
 * YAML and file-size limits and the program itself (its own stat, like
 * the no-op key in cache.h), so any change there is a miss for every
 * file. A file changed within two seconds of a build is not recorded by
 * that build (git's "racy clean" rule: a later edit in the same timestamp
 * tick could keep size and times). Any doubt - no memo, another salt, a
 * short or garbled file, a record whose hash does not match - is a miss,
 * and a miss is simply a load.
 *
 * The memo is appended to, not rewritten: records go at the end of
 * `docs`, and a small index beside it, `docs.idx`, replaced atomically,
 * names the live ones; an edit of one document costs one record and the
 * index, and the file is written anew only when dead records are more
 * than half of it. Opening reads only the index; restoring reads only the
 * document's own record head. Why a crash at any moment leaves either a
 * usable memo or one seen to be unusable, never a wrong document, is in
 * doccache.c.
 *
 * The memo is also where a build keeps the bodies while it runs: after
 * the load, every recorded document's HTML and text are read back from
 * the memo file by offset when a page, the search index or a summary
 * needs them, instead of the whole site's text staying in memory through
 * linking and rendering (43 MB at 10,000 documents, 215 MB at 50,000).
 * The build holds the file open, so a later build appending to it or
 * writing a new one does not disturb it (an append only adds bytes past
 * those any index named so far; a new file is another file); a file cut
 * short under it is an error, never a shorter page (content.h
 * nb_doc_html).
 *
 * Threads: nb_doccache_restore and nb_doccache_encode are called from the
 * load tasks; the memo is read-only once open, and each task writes only
 * its own document and record buffer.
 */
#ifndef NB_DOCCACHE_H
#define NB_DOCCACHE_H

#include <stddef.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "load/doc.h"

typedef struct nb_doccache nb_doccache;

/* Open the memo <site_dir>/.noticeboard-cache/<name> (and <name>.idx)
 * for loads under `salt` (see above; any text); only the index is read.
 * One memo per name, whatever the salt, so
 * a new program or setting replaces the memo instead of adding one; a
 * build and a preview (`serve`, drafts shown) use two names, so they do
 * not evict each other. Never fails: an unusable memo is an empty one. */
nb_doccache *nb_doccache_open(const char *site_dir, const char *name, const char *salt);

/* Restore `doc` (whose path, kind and id are set) from the record of its
 * file, whose stat is `st`; 1 when restored, 0 on a miss (doc untouched).
 * With `need_body` (the build keeps this kind's body, content.h
 * keep_body) only a record that kept the body will do; it comes back as
 * doc->src (the body alone) and doc->body.
 * Its HTML and text are not copied: html_at and text_at point into the
 * memo file (content.h nb_blob), which stays open until the content is
 * freed (nb_doccache_take_files). */
int nb_doccache_restore(const nb_doccache *c, const struct stat *st, nb_doc *doc, int need_body);

/* The record of a document that loaded without diagnostics, all but its
 * HTML and text (taken from the document when saved: its strings, or
 * the scratch file its blobs point into), appended to `rec`
 * for nb_doccache_save; a document holding its source (doc->src, a kind
 * content.h keep_body keeps) is recorded with its body; 0, or -1 when it cannot be recorded (rec
 * unchanged). `now` is the build's start (nanoseconds since the epoch), for
 * the racy-clean rule. */
int nb_doccache_encode(const nb_doc *doc, const struct stat *st, long long now, nb_buf *rec);

/* The load's scratch file: where a load task puts a fresh document's
 * HTML and text as soon as they are made (nb_doccache_spill), so that a
 * build recording thousands of new documents (a first build) does not
 * hold the text of the whole site until nb_doccache_save copies it into
 * `docs`. An anonymous file in the memo's folder (O_TMPFILE, else one
 * made and unlinked at once): no index ever names it and a killed build
 * leaves nothing behind. It belongs to the load job that opened it;
 * tasks reserve their bytes with the atomic `end` and write with pwrite,
 * so they need no lock. */
typedef struct nb_doccache_scratch {
	int fd;                 /* -1: none, the text stays in memory */
	_Atomic unsigned long long end;
} nb_doccache_scratch;

/* Open `s` beside the memo; s->fd is -1 when that fails (no error: the
 * documents then hold their text, as without it). */
void nb_doccache_scratch_open(nb_doccache_scratch *s, const nb_doccache *c);
/* Move a rendered document's record `rec` (from nb_doccache_encode, or
 * empty when it is not recorded), HTML, text and headings into `s`,
 * pointing html_at, text_at and toc_at at them, freeing the strings and
 * the headings' array and leaving in `rec`
 * only what saving needs to find the rest; on any failure the document
 * and record stay as they were (never a blob that was not written
 * whole). Safe from several load tasks at once. */
void nb_doccache_spill(nb_doccache_scratch *s, nb_doc *doc, nb_buf *rec);

/* Record what this build loaded: for document i of `docs`, a new record
 * when `recs[i]` holds one (nb_doccache_encode), else the old one when
 * docs[i] was restored (`restored[i]`), and point the recorded
 * documents' html_at and text_at into the memo file. Written only when
 * something differs from the memo as opened: new records appended and
 * the index replaced, or the whole memo written anew when most of it is
 * dead (doccache.c); a memo that cannot be written only costs the next
 * build its reuse. */
void nb_doccache_save(nb_doccache *c, nb_doc *docs, size_t n, const nb_buf *recs,
		      const unsigned char *restored);

/* The memo file that now holds the recorded documents' HTML and text
 * (restore and save point their html_at and text_at into it), open, into
 * `files`; returns how many (0 or 1). The caller closes them once it
 * reads no more blobs (nb_content_free); the file stays readable after
 * another build replaces the memo, as an open file does. Call once, after
 * nb_doccache_save. */
int nb_doccache_take_files(nb_doccache *c, int files[2]);

void nb_doccache_close(nb_doccache *c);

#endif

/*
 * feeds.h - the outputs beyond pages: Atom feeds, iCalendar files,
 * sitemap.xml and robots.txt (and, through export.h, the open data).
 *
 * They are written after the HTML, from the same site graph, by the render
 * stage's single call to nb_feeds_write(). Like every output they must be
 * byte-identical between builds, so no clock is ever read: a feed entry's
 * time is its document's date at midnight UTC, a calendar's DTSTAMP is the
 * meeting's date. Drafts never appear, even in a preview build.
 */
#ifndef NB_FEEDS_H
#define NB_FEEDS_H

#include <jansson.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/hash.h"
#include "output/memo.h"
#include "output/writer.h"
#include "graph/site.h"

/*
 * Write /feed.xml, /meetings.ics, /sitemap.xml, /robots.txt, per community
 * communities/<id>/feed.xml and communities/<id>/meetings.ics, and the open
 * data in data/. `written` is the render stage's set of written paths: the
 * sitemap lists the HTML files in it, and the new files are added to it so
 * links to them pass the link check. Returns 0, or -1 with errors in `d`.
 */
int nb_feeds_write(const nb_site *s, const char *dir, nb_render_stats *st,
		   json_t *written, nb_diag *d);

/*
 * The same in two halves, for a render stage that overlaps them with the
 * pages. nb_feeds_write_documents writes the feeds, calendars and open
 * data; it only reads the graph and creates values of its own (no
 * reference count of a shared value changes), so it may run on a thread
 * while pages render, given an nb_out whose `written`, counters and
 * diagnostics are its own. nb_feeds_write_index writes sitemap.xml and
 * robots.txt, and must come after every other output is in o->written.
 */
void nb_feeds_write_documents(const nb_site *s, nb_out *o);

/* Everything nb_feeds_write_documents reads, as one digest (for the page
 * memo, memo.h: its files are linked, not made, when it is unchanged):
 * the pages' data (front matter included), each document's id, kind and
 * draft flag, base_url, title, description and language, and the theme's
 * strings. Shared containers are hashed through `m` (nb_memo_value). A
 * new input of the feeds or of export.c must be added here too.
 * Read-only: any thread. */
nb_digest nb_feeds_inputs(const nb_site *s, const struct nb_memo *m);
void nb_feeds_write_index(const nb_site *s, nb_out *o);

/* The host of base_url ("example.org"), or "noticeboard" when base_url is
 * relative; malloc'd. Used in tag URIs and calendar UIDs. */
char *nb_feeds_host(const char *base_url);

#endif

/*
 * export.h - open data: the site's records as files a program can read.
 *
 * data/popolo.json follows the shape of the Popolo standard (organizations,
 * persons, memberships, events, motions, vote events) so civic-tech tools
 * that read parliaments' data can read a committee's; data/decisions.csv is
 * the same decisions as one spreadsheet row each, for people who open
 * things in Excel. Both are built from the site graph, drafts left out.
 */
#ifndef NB_EXPORT_H
#define NB_EXPORT_H

#include "util/buf.h"
#include "output/writer.h"
#include "graph/site.h"

/* Write data/popolo.json and data/decisions.csv through `o`. */
void nb_export_write(const nb_site *s, nb_out *o);

/* The two files' bytes, appended to `out` (what nb_export_write writes). */
void nb_export_popolo(const nb_site *s, nb_buf *out);
void nb_export_csv(const nb_site *s, nb_buf *out);

/*
 * A JSON writer that streams text into an nb_buf laid out exactly as
 * jansson's json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER) lays out the
 * same tree: two-space indentation, ": " after keys, "," at line ends,
 * "{}" and "[]" when empty, integers as %lld, and strings escaped as
 * jansson 2.14 does (\" \\ \b \f \n \r \t, other controls \u00XX in upper
 * case; '/', DEL and non-ASCII as they are). The export used to build a
 * tree and dump it; this writes the same bytes without holding the tree.
 *
 * Open a container, then in an object call nb_jw_key before each value;
 * in an array just write the values. Strings must be valid UTF-8 (check
 * with nb_utf8_validate): jansson refuses to hold anything else.
 */
#define NB_JW_MAX_DEPTH 16

typedef struct nb_jw {
	nb_buf *out;
	int depth;                        /* open containers */
	size_t count[NB_JW_MAX_DEPTH];    /* members written in each */
	unsigned char array[NB_JW_MAX_DEPTH];  /* 1 when it is an array */
} nb_jw;

void nb_jw_init(nb_jw *w, nb_buf *out);
void nb_jw_object(nb_jw *w);
void nb_jw_array(nb_jw *w);
void nb_jw_close(nb_jw *w);
void nb_jw_key(nb_jw *w, const char *key);
void nb_jw_string(nb_jw *w, const char *s);
void nb_jw_stringn(nb_jw *w, const char *s, size_t len);
void nb_jw_integer(nb_jw *w, long long v);
void nb_jw_null(nb_jw *w);
void nb_jw_bool(nb_jw *w, int v);

#endif

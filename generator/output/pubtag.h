/*
 * pubtag.h - the publication tag every page of a publication carries,
 * <meta name="noticeboard:publication" content="N">, and which N it names.
 *
 * N is the first publication that served the page exactly as it is. A
 * publication's page that is byte for byte the previous publication's
 * page but for that number keeps the previous page's bytes, number and
 * all (nb_pubtag_same_but_number); any other page names the publication
 * being made. So:
 *
 *   - a page saved by a resident names a publication whose recorded
 *     public/ holds exactly those bytes, and every publication since holds
 *     them too, until the page changed;
 *   - a re-publish after one edit records the pages that edit changed,
 *     not every page again (each publication used to add the whole site,
 *     compressed, to the repository the site serves: 57 MB at 10,000
 *     documents);
 *   - the rule is a function of this publication's render and the
 *     previous publication's pages, both in the record, so `verify
 *     --rebuild` reproduces it.
 *
 * The tag must be there exactly once, lie within the first
 * NB_PUBTAG_WITHIN bytes and come before </head>; a page without such a
 * tag (a theme that dropped it) is left as rendered.
 */
#ifndef NB_PUBTAG_H
#define NB_PUBTAG_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define NB_PUBTAG "<meta name=\"noticeboard:publication\" content=\""
#define NB_PUBTAG_WITHIN 4096

/* The tag of a page: 0 with the offset of its number's first digit, how
 * many digits and the number; -1 when the page has no single well-formed
 * tag as above. */
int nb_pubtag_find(const char *data, size_t len, size_t *at, size_t *digits, uint64_t *number);

/* Whether the page carries such a tag. */
int nb_pubtag_has(const char *data, size_t len);

/* Whether `page` and `prev` both carry a tag and are the same bytes but
 * for its number. */
int nb_pubtag_same_but_number(const char *page, size_t page_len, const char *prev,
			      size_t prev_len);

/* The previous publication, as a publication build is given it (build.h):
 * `page` puts the bytes it served at `rel` (relative to the site root)
 * into `out` and returns 1, 0 when it served nothing there, -1 when they
 * cannot be read (`out` then saying why: what of the record is damaged or
 * unreadable), -2 when that is because the operating system failed (an
 * I/O error, not damage); called on the main thread only. `id` names those pages
 * as publish recorded them (its public/ tree id), for the page memo and
 * the no-op key. */
typedef struct nb_pubtag_previous {
	int (*page)(void *ud, const char *rel, nb_buf *out);
	void *ud;
	const char *id;
} nb_pubtag_previous;

/* The rule for a page just rendered and written at `dir`/`rel` (reuse and
 * in_place as for cache.h nb_cache_put): when it is the previous
 * publication's page but for the tag's number, that page is written in
 * its place. 1 when so (*size its size, *unchanged as nb_cache_put says),
 * 0 when the page stays, NB_PUBTAG_EPREVIOUS when the previous page cannot
 * be read (`why` then says why, as `page` put it; NB_PUBTAG_EPREVIOUS_IO
 * when the disk failed), -1 (errno) when the page cannot be read back or
 * written. */
#define NB_PUBTAG_EPREVIOUS (-2)
#define NB_PUBTAG_EPREVIOUS_IO (-3)
int nb_pubtag_keep(const nb_pubtag_previous *prev, const char *reuse, const char *dir,
		   int in_place, const char *rel, size_t *size, int *unchanged, nb_buf *why);

#endif

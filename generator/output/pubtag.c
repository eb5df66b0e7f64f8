/*
 * pubtag.c - the publication tag; see pubtag.h for the rule and why.
 *
 * Found by one bounded search of the page's head, never by parsing the
 * HTML: the tag is written by the theme's base layout in one piece, and
 * anything that does not look exactly like it is no tag, which only ever
 * makes a page count as changed.
 */
#include "output/pubtag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/cache.h"
#include "util/fs.h"

int nb_pubtag_find(const char *data, size_t len, size_t *at, size_t *digits, uint64_t *number)
{
	const size_t tl = sizeof(NB_PUBTAG) - 1;
	const char *tag = memmem(data, len < NB_PUBTAG_WITHIN ? len : NB_PUBTAG_WITHIN, NB_PUBTAG, tl);
	const char *head_end = memmem(data, len, "</head>", 7);
	if (!tag || !head_end || tag > head_end)
		return -1;
	size_t p = (size_t)(tag - data) + tl, n = 0;
	uint64_t v = 0;
	while (p + n < len && data[p + n] >= '0' && data[p + n] <= '9' && n < 19)
		v = v * 10 + (uint64_t)(data[p + n++] - '0');
	/* Digits, no leading zero, then the tag's end; and no second tag. */
	if (!n || (data[p] == '0') || len - (p + n) < 2 || memcmp(data + p + n, "\">", 2) ||
	    memmem(tag + 1, len - (size_t)(tag + 1 - data), NB_PUBTAG, tl))
		return -1;
	*at = p;
	*digits = n;
	*number = v;
	return 0;
}

int nb_pubtag_has(const char *data, size_t len)
{
	size_t at, digits;
	uint64_t n;
	return nb_pubtag_find(data, len, &at, &digits, &n) == 0;
}

int nb_pubtag_same_but_number(const char *page, size_t page_len, const char *prev,
			      size_t prev_len)
{
	size_t a, an, b, bn;
	uint64_t x, y;
	if (nb_pubtag_find(page, page_len, &a, &an, &x) != 0 ||
	    nb_pubtag_find(prev, prev_len, &b, &bn, &y) != 0)
		return 0;
	return a == b && page_len - an == prev_len - bn && !memcmp(page, prev, a) &&
	       !memcmp(page + a + an, prev + b + bn, page_len - a - an);
}

/* The page is read back from `dir` rather than kept from its render: the
 * previous page can only be read on the main thread (the record is one
 * libgit2 repository), after the workers are done, and keeping every
 * rendered page until then would hold the whole site in memory when all
 * are rendered (verify --rebuild, a publish after a plain build). A
 * re-publish renders only the pages that changed, so it reads back few. */
int nb_pubtag_keep(const nb_pubtag_previous *prev, const char *reuse, const char *dir,
		   int in_place, const char *rel, size_t *size, int *unchanged, nb_buf *why)
{
	nb_buf was = NB_BUF_INIT;
	int rc = prev->page(prev->ud, rel, &was);
	if (rc < 0) {
		nb_buf_clear(why);
		nb_buf_put(why, was.ptr ? was.ptr : "", was.len);
		nb_buf_free(&was);
		return rc == -2 ? NB_PUBTAG_EPREVIOUS_IO : NB_PUBTAG_EPREVIOUS;
	}
	char *path = nb_path_join(dir, rel), *data = NULL;
	size_t len = 0;
	if (rc > 0 && nb_fs_read(path, 0, &data, &len) != 0) {
		rc = -1;
	} else if (rc > 0 && nb_pubtag_same_but_number(data, len, was.ptr ? was.ptr : "", was.len)) {
		if (nb_cache_put(reuse, dir, in_place, rel, was.ptr, was.len, unchanged) != 0)
			rc = -1;
		*size = was.len;
	} else {
		rc = 0;
	}
	int e = errno;
	free(data);
	free(path);
	nb_buf_free(&was);
	errno = e;
	return rc;
}

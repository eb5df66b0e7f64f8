/*
 * chardiff.c - character-level difference; see chardiff.h.
 *
 * Both texts are decoded into arrays of code points (with the byte offset
 * of each) and aligned by myers.c, the same minimal edit script the line
 * diff uses, in memory linear in the texts' length. A reader expects the
 * minimal edit, and Myers gives it for every text a charter holds; only
 * past the work budget (hostile or wholly rewritten megabytes) is the
 * script merely correct, and `approximate` says so.
 *
 * Ties follow myers.h: deletions before insertions in each changed
 * stretch, the output fixed by the two texts alone.
 */
#include "util/chardiff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/myers.h"
#include "util/utf8.h"

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		abort();
	return p;
}

/* Byte offsets of each code point, plus one past the end; returns count. */
static size_t split(const char *s, size_t len, size_t **off_out, uint32_t **cp_out)
{
	size_t *off = xcalloc(len + 1, sizeof(size_t));
	uint32_t *cp = xcalloc(len + 1, sizeof(uint32_t));
	size_t n = 0, i = 0;
	while (i < len) {
		off[n] = i;
		int k = nb_utf8_decode(s + i, len - i, &cp[n]);
		if (k < 1)
			k = 1;
		/* U+FFFD from a bad byte must not equal another bad byte. */
		if (cp[n] == 0xFFFD && (unsigned char)s[i] != 0xEF)
			cp[n] = 0x110000u + (unsigned char)s[i];
		i += (size_t)k;
		n++;
	}
	off[n] = len;
	*off_out = off;
	*cp_out = cp;
	return n;
}

/*
 * Fold a lone equal character between two changes into the change. The
 * op string grows (one 'E' becomes 'D' + 'I'), so it is rebuilt.
 */
static char *fold_lone_equals(char *ops, size_t *nops)
{
	size_t n = *nops;
	char *out = xcalloc(2 * n + 1, 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (ops[i] == 'E' && i > 0 && i + 1 < n && ops[i - 1] != 'E' &&
		    ops[i + 1] != 'E') {
			out[k++] = 'D';
			out[k++] = 'I';
		} else {
			out[k++] = ops[i];
		}
	}
	free(ops);
	*nops = k;
	return out;
}

static void push(nb_diff *d, size_t *cap, nb_diff_op op, const char *text, size_t len,
		 size_t chars)
{
	if (!chars)
		return;
	if (d->len == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		d->spans = realloc(d->spans, *cap * sizeof(nb_diff_span));
		if (!d->spans)
			abort();
	}
	d->spans[d->len++] = (nb_diff_span){ op, text, len, chars };
}

void nb_chardiff(const char *a, size_t alen, const char *b, size_t blen, nb_diff *out)
{
	memset(out, 0, sizeof(*out));
	size_t *aoff, *boff;
	uint32_t *acp, *bcp;
	size_t n = split(a, alen, &aoff, &acp), m = split(b, blen, &boff, &bcp);
	nb_myers md;
	nb_myers_diff(&md, acp, n, bcp, m, 0);
	out->approximate = md.approximate;
	size_t nops = md.len;
	char *ops = fold_lone_equals(md.ops, &nops);

	/* Walk the ops, emitting maximal runs; in a change, deletion first. */
	size_t cap = 0, i = 0, j = 0, k = 0;
	while (k < nops) {
		if (ops[k] == 'E') {
			size_t i0 = i;
			while (k < nops && ops[k] == 'E')
				i++, j++, k++;
			push(out, &cap, NB_DIFF_EQUAL, a + aoff[i0], aoff[i] - aoff[i0], i - i0);
			continue;
		}
		size_t i0 = i, j0 = j;
		while (k < nops && ops[k] != 'E') {
			if (ops[k] == 'D')
				i++;
			else
				j++;
			k++;
		}
		push(out, &cap, NB_DIFF_DELETE, a + aoff[i0], aoff[i] - aoff[i0], i - i0);
		push(out, &cap, NB_DIFF_INSERT, b + boff[j0], boff[j] - boff[j0], j - j0);
		out->deleted += i - i0;
		out->inserted += j - j0;
	}
	free(ops);
	free(aoff);
	free(boff);
	free(acp);
	free(bcp);
}

void nb_diff_free(nb_diff *d)
{
	free(d->spans);
	memset(d, 0, sizeof(*d));
}

/* Every span of every comparison on every build (a rewritten charter
 * has thousands): built directly, the three kinds shared, not through
 * json_pack's format parser. A span whose text is not UTF-8 is left out,
 * as json_pack left it out. */
json_t *nb_diff_json(const nb_diff *d)
{
	json_t *kinds[3] = { json_string("equal"), json_string("delete"), json_string("insert") };
	json_t *spans = json_array();
	for (size_t k = 0; k < d->len; k++) {
		json_t *text = json_stringn(d->spans[k].text, d->spans[k].len);
		if (!text)
			continue;
		json_t *e = json_object();
		json_object_set(e, "kind", kinds[d->spans[k].op]);
		json_object_set_new(e, "text", text);
		json_array_append_new(spans, e);
	}
	for (size_t k = 0; k < 3; k++)
		json_decref(kinds[k]);
	return spans;
}

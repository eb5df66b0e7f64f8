/*
 * jsonbin.h - jansson values in a compact binary form that reads back to
 * the same values.
 *
 * The document memo (load/doccache.h) keeps every document's front matter
 * and links between builds, and restoring them was a JSON parse per
 * document: 7 % of the CPU of a one-meeting rebuild at 10,000 documents,
 * most of it spent scanning and unescaping text that was written by us a
 * build earlier. This form has nothing to scan: a tag byte, then a
 * length-prefixed string, a count of members, or the number's own bytes.
 * So it reads back exactly: reals are their 64 bits (no printing and
 * parsing of 17 digits), integers their 64 bits, strings their bytes
 * (NUL included), and object keys in their order (jansson keeps insertion
 * order). It is not an interchange format: little-endian, this program's
 * own, and only ever read back from a file whose checksum matched.
 */
#ifndef NB_JSONBIN_H
#define NB_JSONBIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Append `n` bytes of `v`, little-endian; a u32 length then the bytes:
 * the pieces of this form, for files that hold it among their own. */
void nb_jsonbin_put_u(nb_buf *out, uint64_t v, size_t n);
void nb_jsonbin_put_bytes(nb_buf *out, const char *s, size_t n);

/* Append `v`'s binary form to `out`. */
void nb_jsonbin_put(nb_buf *out, const json_t *v);

/* The value whose binary form starts at *p (before `end`), as a new
 * reference, with *p moved past it; NULL when the bytes are not one
 * (cut short, an unknown tag, nested deeper than 1,000). */
json_t *nb_jsonbin_get(const unsigned char **p, const unsigned char *end);

#endif

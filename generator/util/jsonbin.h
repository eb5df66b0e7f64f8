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

/*
 * Reading the binary form in place, for values kept in it (load/meta.h):
 * nothing is made, and what is handed out points into the bytes.
 */
/* Move *p past the value there: 0, or -1 when the bytes are not one. */
int nb_jsonbin_skip(const unsigned char **p, const unsigned char *end);
/* Where the value of member `key` starts in the object at `obj` (before
 * `end`), skipping the members before it; NULL when `obj` is not an
 * object, has no such member, or is damaged before it. */
const unsigned char *nb_jsonbin_member(const unsigned char *obj, const unsigned char *end,
				       const char *key, size_t key_len);
/* The string at `v` as a C string (its NUL is in the bytes), its length
 * in *len (when not NULL); NULL when `v` is not a whole string. */
const char *nb_jsonbin_string(const unsigned char *v, const unsigned char *end, size_t *len);
/* The number (integer or real) or the integer at `v` into *out: 0, or -1
 * when it is not one. */
int nb_jsonbin_number(double *out, const unsigned char *v, const unsigned char *end);
int nb_jsonbin_integer(json_int_t *out, const unsigned char *v, const unsigned char *end);

#endif

/*
 * json.h - the one JSON writer: text streamed into an nb_buf, laid out
 * byte for byte as jansson's json_dumps lays out the same values.
 *
 * Three outputs were first published as json_dumps of a jansson tree and
 * must not move a byte (consumers diff publications, and manifest.json is
 * hashed into the record): data/popolo.json (JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER), the search index (JSON_COMPACT | JSON_SORT_KEYS)
 * and manifest.json (JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII).
 * Building the tree cost more than the rest of each job (30 MB of small
 * values for a 5 MB export; a 20,000-entry manifest sorted again), so they
 * are written as they are made - and each once had its own imitation of
 * jansson's layout. This is the one; the layout is a parameter, with
 * jansson's own flags' meaning:
 *
 *   NB_JSON_INDENT(n)    each member on its own line, n spaces a level
 *   NB_JSON_COMPACT      no space after ',' and ':'
 *   NB_JSON_ENSURE_ASCII everything past U+007F as \uXXXX (pairs past U+FFFF)
 *   NB_JSON_SORT_KEYS    nb_json_value() writes object keys in strcmp order
 *
 * Streamed keys and values go in the order they are given (the caller
 * knows its order: popolo's is fixed, the manifest's and the index's are
 * sorted as they are made). Strings are escaped as jansson 2.14 does
 * (nb_buf_put_json): \" \\ \b \f \n \r \t, other controls \u00XX. Text
 * that is not valid UTF-8 jansson refuses to hold: here the string (or
 * key) is refused too - nothing written, -1 - so callers leave the pair
 * out as json_object_set_new did. tests/output/test_json.c holds every
 * layout to json_dumps.
 *
 * Streamed (nb_json_stream), the text goes on to a sink whenever the
 * buffer has passed a bound, so a file of megabytes costs a buffer of
 * about the bound. That happens only at the start of a call, before any
 * of its text: a refused key or string takes back what it wrote from the
 * buffer, which must therefore still hold it.
 */
#ifndef NB_JSON_H
#define NB_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"

#define NB_JSON_INDENT(n)    ((n) & 0x1F)
#define NB_JSON_COMPACT      0x20
#define NB_JSON_ENSURE_ASCII 0x40
#define NB_JSON_SORT_KEYS    0x80

#define NB_JSON_MAX_DEPTH 64

typedef struct nb_json {
	nb_buf *out;
	int flags;
	int depth;                              /* open containers */
	size_t count[NB_JSON_MAX_DEPTH];        /* members written in each */
	unsigned char array[NB_JSON_MAX_DEPTH]; /* 1 when it is an array */
	nb_sink sink;                           /* streamed: where text goes */
	void *sink_ud;
	size_t bound;                           /* ... once `out` holds this */
} nb_json;

void nb_json_init(nb_json *w, nb_buf *out, int flags);

/* Hand the text to `sink` whenever `out` holds `bound` bytes or more (at
 * the start of a call; 1 hands over each call's text); nb_json_flush
 * hands over the rest at the end. */
void nb_json_stream(nb_json *w, size_t bound, nb_sink sink, void *ud);
void nb_json_flush(nb_json *w);

/* Open a container; in an object call nb_json_key before each value, in
 * an array just write the values; then close it. Deeper than
 * NB_JSON_MAX_DEPTH aborts (our shapes are shallow). */
void nb_json_object(nb_json *w);
void nb_json_array(nb_json *w);
void nb_json_close(nb_json *w);

/* 0, or -1 when not valid UTF-8 (nothing written: the member is left out,
 * its value must then not be written either). */
int nb_json_key(nb_json *w, const char *key);
int nb_json_keyn(nb_json *w, const char *key, size_t len);
int nb_json_string(nb_json *w, const char *s);
int nb_json_stringn(nb_json *w, const char *s, size_t len);

void nb_json_integer(nb_json *w, long long v);
/* As jansson: %.17g, ".0" added when it would read as an integer, the
 * exponent without '+' or leading zeros. Finite values only (jansson
 * holds no others). */
void nb_json_real(nb_json *w, double v);
void nb_json_bool(nb_json *w, int v);
void nb_json_null(nb_json *w);

/* A jansson value, keys sorted under NB_JSON_SORT_KEYS, else in its own
 * order. 0, or -1 when a string in it is refused (what was written of the
 * value stays: the caller drops the whole text, which it cannot once
 * streamed). */
int nb_json_value(nb_json *w, const json_t *v);

#endif

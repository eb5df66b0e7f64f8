/*
 * jsonbin.c - the binary form of jansson values; see jsonbin.h.
 *
 * Tags: 'o' object (u32 count, then key as u32 length and bytes, value),
 * 'a' array (u32 count, values), 's' string (u32 length, bytes, a NUL
 * byte), 'i' integer (8 bytes), 'r' real (its 8 bytes), 't', 'f', 'n'.
 * Numbers are little-endian whatever the machine, so a memo stays
 * readable by the same program on the same data however it was built.
 * A string's NUL is not part of its value: it is there so that a reader
 * of the bytes in place (nb_jsonbin_string) can hand out the string as a
 * C string without copying it, as jansson's json_string_value does.
 *
 * Reading in place (nb_jsonbin_skip, _member, _string, _number) checks
 * every length against the end of the bytes, like decoding: damaged
 * bytes give "not there", never a read outside them.
 */
#include "util/jsonbin.h"

#include <stdint.h>
#include <string.h>

#define MAX_DEPTH 1000

void nb_jsonbin_put_u(nb_buf *b, uint64_t v, size_t n)
{
	unsigned char tmp[8];
	for (size_t i = 0; i < n; i++)
		tmp[i] = (unsigned char)(v >> (8 * i));
	nb_buf_put(b, tmp, n);
}

void nb_jsonbin_put_bytes(nb_buf *b, const char *s, size_t n)
{
	nb_jsonbin_put_u(b, n, 4);
	nb_buf_put(b, s, n);
}

void nb_jsonbin_put(nb_buf *out, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		size_t kl;
		json_t *x;
		nb_buf_putc(out, 'o');
		nb_jsonbin_put_u(out, json_object_size(v), 4);
		json_object_keylen_foreach((json_t *)v, k, kl, x) {
			nb_jsonbin_put_bytes(out, k, kl);
			nb_jsonbin_put(out, x);
		}
		break;
	}
	case JSON_ARRAY:
		nb_buf_putc(out, 'a');
		nb_jsonbin_put_u(out, json_array_size(v), 4);
		for (size_t i = 0; i < json_array_size(v); i++)
			nb_jsonbin_put(out, json_array_get(v, i));
		break;
	case JSON_STRING:
		nb_buf_putc(out, 's');
		nb_jsonbin_put_bytes(out, json_string_value(v), json_string_length(v));
		nb_buf_putc(out, '\0');
		break;
	case JSON_INTEGER:
		nb_buf_putc(out, 'i');
		nb_jsonbin_put_u(out, (uint64_t)json_integer_value(v), 8);
		break;
	case JSON_REAL: {
		double d = json_real_value(v);
		uint64_t bits;
		memcpy(&bits, &d, 8);
		nb_buf_putc(out, 'r');
		nb_jsonbin_put_u(out, bits, 8);
		break;
	}
	case JSON_TRUE:
		nb_buf_putc(out, 't');
		break;
	case JSON_FALSE:
		nb_buf_putc(out, 'f');
		break;
	default:
		nb_buf_putc(out, 'n');
		break;
	}
}

typedef struct rd {
	const unsigned char *p, *end;
} rd;

static int get_u(rd *r, size_t n, uint64_t *v)
{
	if ((size_t)(r->end - r->p) < n)
		return -1;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v |= (uint64_t)r->p[i] << (8 * i);
	r->p += n;
	return 0;
}

static const char *get_bytes(rd *r, size_t *n)
{
	uint64_t l;
	if (get_u(r, 4, &l) != 0 || (uint64_t)(r->end - r->p) < l)
		return NULL;
	const char *s = (const char *)r->p;
	r->p += l;
	*n = (size_t)l;
	return s;
}

/* A string's bytes and the NUL after them. */
static const char *get_string(rd *r, size_t *n)
{
	const char *s = get_bytes(r, n);
	if (!s || r->p >= r->end || *r->p != 0)
		return NULL;
	r->p++;
	return s;
}

static json_t *get_value(rd *r, int depth);

static json_t *get_members(rd *r, int depth, int object)
{
	uint64_t n;
	/* Each member takes a byte at least: a count beyond what is left is
	 * damage, not a reason to loop four billion times. */
	if (depth >= MAX_DEPTH || get_u(r, 4, &n) != 0 || n > (uint64_t)(r->end - r->p))
		return NULL;
	json_t *c = object ? json_object() : json_array();
	for (uint64_t i = 0; i < n; i++) {
		size_t kl = 0;
		const char *k = object ? get_bytes(r, &kl) : NULL;
		json_t *x = object && !k ? NULL : get_value(r, depth + 1);
		if (!x || (object ? json_object_setn_new_nocheck(c, k, kl, x)
				  : json_array_append_new(c, x)) != 0) {
			json_decref(c);
			return NULL;
		}
	}
	return c;
}

static json_t *get_value(rd *r, int depth)
{
	if (r->p >= r->end)
		return NULL;
	uint64_t u;
	size_t n;
	const char *s;
	switch (*r->p++) {
	case 'o':
		return get_members(r, depth, 1);
	case 'a':
		return get_members(r, depth, 0);
	case 's':
		s = get_string(r, &n);
		return s ? json_stringn_nocheck(s, n) : NULL;
	case 'i':
		return get_u(r, 8, &u) == 0 ? json_integer((json_int_t)u) : NULL;
	case 'r': {
		double d;
		if (get_u(r, 8, &u) != 0)
			return NULL;
		memcpy(&d, &u, 8);
		return json_real(d);
	}
	case 't':
		return json_true();
	case 'f':
		return json_false();
	case 'n':
		return json_null();
	default:
		return NULL;
	}
}

json_t *nb_jsonbin_get(const unsigned char **p, const unsigned char *end)
{
	rd r = { *p, end };
	json_t *v = get_value(&r, 0);
	if (v)
		*p = r.p;
	return v;
}

/* Past one value without making it: -1 when the bytes are not one. */
static int skip_value(rd *r, int depth)
{
	if (r->p >= r->end)
		return -1;
	uint64_t n;
	size_t l;
	switch (*r->p++) {
	case 'o':
	case 'a': {
		/* The limit decoding has (get_members), no other: a value
		 * that decodes is one the in-place readers can step over. */
		int object = r->p[-1] == 'o';
		if (depth >= MAX_DEPTH || get_u(r, 4, &n) != 0 ||
		    n > (uint64_t)(r->end - r->p))
			return -1;
		for (uint64_t i = 0; i < n; i++)
			if ((object && !get_bytes(r, &l)) || skip_value(r, depth + 1) != 0)
				return -1;
		return 0;
	}
	case 's':
		return get_string(r, &l) ? 0 : -1;
	case 'i':
	case 'r':
		return get_u(r, 8, &n);
	case 't':
	case 'f':
	case 'n':
		return 0;
	default:
		return -1;
	}
}

int nb_jsonbin_skip(const unsigned char **p, const unsigned char *end)
{
	rd r = { *p, end };
	if (skip_value(&r, 0) != 0)
		return -1;
	*p = r.p;
	return 0;
}

const unsigned char *nb_jsonbin_member(const unsigned char *obj, const unsigned char *end,
				       const char *key, size_t key_len)
{
	rd r = { obj, end };
	uint64_t n;
	if (!obj || r.p >= r.end || *r.p++ != 'o' || get_u(&r, 4, &n) != 0)
		return NULL;
	for (uint64_t i = 0; i < n; i++) {
		size_t kl;
		const char *k = get_bytes(&r, &kl);
		if (!k)
			return NULL;
		if (kl == key_len && !memcmp(k, key, kl))
			return r.p < r.end ? r.p : NULL;
		if (skip_value(&r, 1) != 0)
			return NULL;
	}
	return NULL;
}

const char *nb_jsonbin_string(const unsigned char *v, const unsigned char *end, size_t *len)
{
	if (!v || v >= end || *v != 's')
		return NULL;
	rd r = { v + 1, end };
	size_t n;
	const char *s = get_string(&r, &n);
	if (s && len)
		*len = n;
	return s;
}

int nb_jsonbin_number(double *out, const unsigned char *v, const unsigned char *end)
{
	if (!v || v >= end || (*v != 'i' && *v != 'r'))
		return -1;
	rd r = { v + 1, end };
	uint64_t u;
	if (get_u(&r, 8, &u) != 0)
		return -1;
	if (*v == 'i') {
		*out = (double)(json_int_t)u;
	} else {
		memcpy(out, &u, 8);
	}
	return 0;
}

int nb_jsonbin_integer(json_int_t *out, const unsigned char *v, const unsigned char *end)
{
	if (!v || v >= end || *v != 'i')
		return -1;
	rd r = { v + 1, end };
	uint64_t u;
	if (get_u(&r, 8, &u) != 0)
		return -1;
	*out = (json_int_t)u;
	return 0;
}

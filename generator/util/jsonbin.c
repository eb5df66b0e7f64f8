/*
 * jsonbin.c - the binary form of jansson values; see jsonbin.h.
 *
 * Tags: 'o' object (u32 count, then key as u32 length and bytes, value),
 * 'a' array (u32 count, values), 's' string (u32 length, bytes), 'i'
 * integer (8 bytes), 'r' real (its 8 bytes), 't', 'f', 'n'. Numbers are
 * little-endian whatever the machine, so a memo stays readable by the
 * same program on the same data however it was built.
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
		s = get_bytes(r, &n);
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

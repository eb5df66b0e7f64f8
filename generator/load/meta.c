/*
 * meta.c - a document's front matter, read; see meta.h.
 *
 * The front matter is kept packed, in the binary form of util/jsonbin.h
 * (nb_doc.meta: one object's bytes, owned by the document), from the
 * moment the load has read what it needs from the parsed tree until the
 * documents are freed. At 10,000 documents the trees were some 26 MB of
 * small jansson values held from the load to the end of the render, the
 * largest single item at both peaks; the packed bytes are about a fifth
 * of that, and a document restored from the memo (doccache.c) keeps the
 * memo's bytes as they are, with no decoding at all.
 *
 * Reads cost what they read. A top-level string is found by walking the
 * object's keys in place, hopping over the values before it (a nested
 * list costs a hop per element), and handed out as a pointer into the
 * bytes, which hold a NUL after every string: nothing is made, nothing
 * is freed, no reference count is touched, so any thread may read. A
 * value is decoded into new jansson values the caller owns; a caller
 * that reads many nested fields of one document decodes the whole object
 * once (nb_doc_meta) rather than field by field.
 *
 * Bytes that came from elsewhere (the memo) are checked whole when they
 * are adopted (nb_doc_meta_adopt), and every read is bounds-checked
 * anyway (jsonbin.h): damaged bytes read as "missing", never outside the
 * buffer.
 */
#include "load/meta.h"

#include <stdlib.h>
#include <string.h>

#include "util/jsonbin.h"

/* The empty object, for a document with no front matter (meta NULL). */
static const unsigned char empty[5] = { 'o', 0, 0, 0, 0 };

static const unsigned char *bytes(const nb_doc *doc, size_t *len)
{
	*len = doc->meta ? doc->meta_len : sizeof(empty);
	return doc->meta ? doc->meta : empty;
}

/* Where the value of top-level `key` starts, and the end of the bytes. */
static const unsigned char *member(const nb_doc *doc, const char *key,
				   const unsigned char **end)
{
	*end = NULL;
	if (!doc->meta)
		return NULL;
	*end = doc->meta + doc->meta_len;
	return nb_jsonbin_member(doc->meta, *end, key, strlen(key));
}

const char *nb_doc_strn(const nb_doc *doc, const char *key, size_t *len)
{
	const unsigned char *end, *v = member(doc, key, &end);
	return nb_jsonbin_string(v, end, len);
}

const char *nb_doc_str(const nb_doc *doc, const char *key)
{
	return nb_doc_strn(doc, key, NULL);
}

int nb_doc_number(double *out, const nb_doc *doc, const char *group, const char *key)
{
	const unsigned char *end, *g = member(doc, group, &end);
	const unsigned char *v = g ? nb_jsonbin_member(g, end, key, strlen(key)) : NULL;
	return nb_jsonbin_number(out, v, end);
}

int nb_doc_integer(json_int_t *out, const nb_doc *doc, const char *key)
{
	const unsigned char *end, *v = member(doc, key, &end);
	return nb_jsonbin_integer(out, v, end);
}

int nb_meta_time(const char *s)
{
	size_t n = s ? strlen(s) : 0, h = n - 3;
	if ((n != 4 && n != 5) || s[h] != ':')
		return -1;
	int v[2] = { 0, 0 };
	for (size_t i = 0; i < n; i++) {
		if (i == h)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v[i > h] = v[i > h] * 10 + (s[i] - '0');
	}
	return v[0] > 23 || v[1] > 59 ? -1 : v[0] * 60 + v[1];
}

int nb_doc_time(const nb_doc *doc, const char *key)
{
	return nb_meta_time(nb_doc_str(doc, key));
}

int nb_doc_has(const nb_doc *doc, const char *key)
{
	const unsigned char *end;
	return member(doc, key, &end) != NULL;
}

json_t *nb_doc_get(const nb_doc *doc, const char *key)
{
	const unsigned char *end, *v = member(doc, key, &end);
	return v ? nb_jsonbin_get(&v, end) : NULL;
}

json_t *nb_doc_meta(const nb_doc *doc)
{
	size_t n;
	const unsigned char *p = bytes(doc, &n);
	json_t *m = nb_jsonbin_get(&p, p + n);
	/* Bytes that do not decode were refused when adopted; an empty
	 * object is what a document without front matter reads as. */
	return m ? m : json_object();
}

const unsigned char *nb_doc_meta_bytes(const nb_doc *doc, size_t *len)
{
	return bytes(doc, len);
}

void nb_doc_meta_hash(const nb_doc *doc, nb_hash *h)
{
	size_t n;
	const unsigned char *p = bytes(doc, &n);
	nb_hash_str(h, (const char *)p, n);
}

void nb_doc_meta_set(nb_doc *doc, const json_t *meta)
{
	nb_buf b = NB_BUF_INIT;
	nb_jsonbin_put(&b, meta);
	nb_doc_meta_free(doc);
	doc->meta_len = b.len;
	doc->meta = (unsigned char *)nb_buf_detach_fit(&b);
}

int nb_doc_meta_adopt(nb_doc *doc, const unsigned char *p, size_t len)
{
	const unsigned char *q = p;
	if (!len || *p != 'o' || nb_jsonbin_skip(&q, p + len) != 0 || q != p + len)
		return -1;
	unsigned char *copy = malloc(len);
	if (!copy)
		abort();
	memcpy(copy, p, len);
	nb_doc_meta_free(doc);
	doc->meta = copy;
	doc->meta_len = len;
	return 0;
}

void nb_doc_meta_free(nb_doc *doc)
{
	free(doc->meta);
	doc->meta = NULL;
	doc->meta_len = 0;
}

/*
 * meta.c - a document's front matter, read; see meta.h.
 *
 * For now the front matter is the jansson object the loader built, held
 * by the document; the values handed out are deep copies, so that no
 * caller shares a reference with the document.
 */
#include "load/meta.h"

#include <string.h>

#include "util/jsonbin.h"

const char *nb_doc_strn(const nb_doc *doc, const char *key, size_t *len)
{
	json_t *v = json_object_get(doc->meta, key);
	if (!json_is_string(v))
		return NULL;
	if (len)
		*len = json_string_length(v);
	return json_string_value(v);
}

const char *nb_doc_str(const nb_doc *doc, const char *key)
{
	return nb_doc_strn(doc, key, NULL);
}

int nb_doc_number(double *out, const nb_doc *doc, const char *group, const char *key)
{
	json_t *v = json_object_get(json_object_get(doc->meta, group), key);
	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

int nb_doc_integer(json_int_t *out, const nb_doc *doc, const char *key)
{
	json_t *v = json_object_get(doc->meta, key);
	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return 0;
}

int nb_doc_has(const nb_doc *doc, const char *key)
{
	return json_object_get(doc->meta, key) != NULL;
}

json_t *nb_doc_get(const nb_doc *doc, const char *key)
{
	json_t *v = json_object_get(doc->meta, key);
	return v ? json_deep_copy(v) : NULL;
}

json_t *nb_doc_meta(const nb_doc *doc)
{
	return json_deep_copy(doc->meta);
}

void nb_doc_meta_hash(const nb_doc *doc, nb_hash *h)
{
	nb_buf b = NB_BUF_INIT;
	nb_jsonbin_put(&b, doc->meta);
	nb_hash_str(h, b.ptr ? b.ptr : "", b.len);
	nb_buf_free(&b);
}

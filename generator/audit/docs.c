/*
 * docs.c - a publication's document map (audit.h nb_audit_docs): each
 * document's path, id, source blob id and first publication, sorted by
 * path.
 *
 * manifest.json holds the map as its "documents" object, and the publish
 * used to hold it as one too: a jansson object of objects, about 600 bytes
 * a document, made from the sources and held through the whole build
 * (6 MB at 10,000 documents, 30 MB at 50,000), beside the last
 * publication's, read back from the record. Here it is an array of fixed
 * records over one text buffer, about 100 bytes a document, sorted once;
 * two maps are compared by merging them (O(n + m)), and the manifest and
 * the record are written from it in order. JSON stays at the edges: a
 * manifest read back is converted once (nb_audit_docs_from_json), and a
 * manifest the fast writer refuses is made with jansson from
 * nb_audit_docs_json.
 */
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "util/utf8.h"

static int utf8_ok(const char *s)
{
	return nb_utf8_validate(s, strlen(s), NULL, NULL) == 0;
}

void nb_audit_docs_add(nb_audit_docs *m, const char *path, const char *id, const nb_oid *hash,
		       size_t first)
{
	/* jansson refused such a key or value, and the manifest never held
	 * the document: it stays out here too. */
	if (!utf8_ok(path) || !utf8_ok(id))
		return;
	if (m->len == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		nb_audit_doc *n = realloc(m->items, cap * sizeof(*n));
		if (!n)
			abort();
		m->items = n;
		m->cap = cap;
	}
	nb_audit_doc *d = &m->items[m->len++];
	d->path = m->text.len;
	nb_buf_put(&m->text, path, strlen(path) + 1);
	d->id = m->text.len;
	nb_buf_put(&m->text, id, strlen(id) + 1);
	d->hash = *hash;
	d->first = first;
}

static int cmp_doc(const void *a, const void *b, void *ud)
{
	const nb_buf *text = ud;
	return strcmp(text->ptr + ((const nb_audit_doc *)a)->path,
		      text->ptr + ((const nb_audit_doc *)b)->path);
}

void nb_audit_docs_sort(nb_audit_docs *m)
{
	if (m->len > 1)
		qsort_r(m->items, m->len, sizeof(*m->items), cmp_doc, &m->text);
}

const nb_audit_doc *nb_audit_docs_find(const nb_audit_docs *m, const char *path)
{
	size_t lo = 0, hi = m ? m->len : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(nb_audit_doc_path(m, &m->items[mid]), path);
		if (!c)
			return &m->items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void nb_audit_docs_free(nb_audit_docs *m)
{
	free(m->items);
	nb_buf_free(&m->text);
	memset(m, 0, sizeof(*m));
}

int nb_audit_docs_from_json(nb_audit_docs *out, const json_t *docs, char *err, size_t errsz)
{
	memset(out, 0, sizeof(*out));
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)docs, k, v) {
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *hex = json_string_value(json_object_get(v, "hash"));
		json_t *first = json_object_get(v, "first");
		nb_oid hash;
		if (!id || !hex || nb_oid_fromstr(&hash, hex) != 0 ||
		    (first && (!json_is_integer(first) || json_integer_value(first) < 0))) {
			snprintf(err, errsz, "manifest.json: document %s has no valid id, hash or "
				 "first publication", k);
			nb_audit_docs_free(out);
			return -1;
		}
		nb_audit_docs_add(out, k, id, &hash, first ? (size_t)json_integer_value(first) : 0);
	}
	nb_audit_docs_sort(out);
	return 0;
}

json_t *nb_audit_docs_json(const nb_audit_docs *m)
{
	json_t *o = json_object();
	char hex[NB_OID_HEXSZ + 1];
	for (size_t i = 0; i < m->len; i++) {
		const nb_audit_doc *d = &m->items[i];
		nb_oid_tostr(hex, sizeof(hex), &d->hash);
		json_t *e = json_pack("{s:s, s:s}", "id", nb_audit_doc_id(m, d), "hash", hex);
		if (d->first)
			json_object_set_new(e, "first", json_integer((json_int_t)d->first));
		json_object_set_new(o, nb_audit_doc_path(m, d), e);
	}
	return o;
}

void nb_audit_docs_changes(const nb_audit_docs *old, const nb_audit_docs *now, size_t *added,
			   size_t *changed, size_t *removed)
{
	*added = *changed = *removed = 0;
	size_t i = 0, j = 0, n = old ? old->len : 0, m = now ? now->len : 0;
	while (i < n || j < m) {
		int c = i == n ? 1 : j == m ? -1
			: strcmp(nb_audit_doc_path(old, &old->items[i]),
				 nb_audit_doc_path(now, &now->items[j]));
		if (c < 0) {
			(*removed)++;
			i++;
		} else if (c > 0) {
			(*added)++;
			j++;
		} else {
			*changed += !nb_oid_equal(&old->items[i].hash, &now->items[j].hash);
			i++;
			j++;
		}
	}
}

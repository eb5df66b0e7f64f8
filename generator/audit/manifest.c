/*
 * manifest.c - manifest.json: written as it is made, read back, and
 * compared; see nb_audit_manifest_text in audit.h.
 *
 * manifest.json was first written by json_dumps(JSON_INDENT(1) |
 * JSON_SORT_KEYS | JSON_ENSURE_ASCII) of a tree, and its blob is part of
 * every publication, so its bytes must not move. Building that tree (a
 * value per file, 20,000 at 10,000 documents) and having jansson sort
 * every object's keys again cost more than the rest of recording a
 * publication. So the file list, already sorted by path, is streamed
 * through the program's one JSON writer (output/json.h) in that layout,
 * the top-level keys written in their sorted order; the documents, a
 * jansson object the publish builds anyway, go through nb_json_value,
 * which sorts them. tests/audit/test_audit.c holds the whole text to
 * json_dumps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "output/json.h"
#include "util/buf.h"

/* jansson's flags, as publish first called json_dumps. */
#define MANIFEST_LAYOUT (NB_JSON_INDENT(1) | NB_JSON_SORT_KEYS | NB_JSON_ENSURE_ASCII)

int nb_audit_json_text(nb_buf *out, const json_t *v)
{
	nb_buf b = NB_BUF_INIT;
	nb_json w;
	nb_json_init(&w, &b, MANIFEST_LAYOUT);
	int rc = v ? nb_json_value(&w, v) : -1;
	if (rc == 0)
		nb_buf_put(out, b.ptr, b.len);
	nb_buf_free(&b);
	return rc;
}

int nb_audit_manifest_text(nb_buf *out, const char *as_of, size_t publication,
			   const json_t *docs, const json_t *generator,
			   const nb_audit_files *files, size_t skip)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_grow(&b, files->len * 80 + json_object_size(docs) * 120 + 256);
	nb_json w;
	nb_json_init(&w, &b, MANIFEST_LAYOUT);
	nb_json_object(&w);
	nb_json_key(&w, "as_of");
	int rc = nb_json_string(&w, as_of);
	nb_json_key(&w, "documents");
	if (rc == 0)
		rc = docs ? nb_json_value(&w, docs) : -1;
	nb_json_key(&w, "files");
	nb_json_object(&w);
	char hex[NB_OID_HEXSZ + 1];
	for (size_t i = 0; i < files->len && rc == 0; i++) {
		/* A path jansson would refuse (not UTF-8) is left out, as
		 * json_object_set_new() left it out. */
		if (nb_json_key(&w, files->items[i].path + skip) != 0)
			continue;
		nb_oid_tostr(hex, sizeof(hex), &files->items[i].id);
		nb_json_string(&w, hex);
	}
	nb_json_close(&w);
	if (generator && rc == 0) {
		nb_json_key(&w, "generator");
		rc = nb_json_value(&w, generator);
	}
	nb_json_key(&w, "noticeboard");
	if (rc == 0)
		rc = nb_json_string(&w, NB_VERSION);
	nb_json_key(&w, "publication");
	nb_json_integer(&w, (long long)publication);
	nb_json_close(&w);
	nb_buf_putc(&b, '\n');
	if (rc == 0)
		nb_buf_put(out, b.ptr, b.len);
	nb_buf_free(&b);
	return rc;
}

int nb_audit_manifest(nb_audit *a, const git_commit *c, json_t **out)
{
	char *data;
	size_t len;
	int rc = nb_audit_read_path(a, c, "manifest.json", &data, &len);
	if (rc)
		return rc;
	json_error_t je;
	*out = json_loadb(data, len, 0, &je);
	free(data);
	if (!*out) {
		set_err(a, "manifest.json is not valid JSON: %s", je.text);
		return -1;
	}
	return 0;
}
void nb_audit_doc_changes(const json_t *old_docs, const json_t *new_docs,
			  size_t *added, size_t *changed, size_t *removed)
{
	*added = *changed = *removed = 0;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)new_docs, k, v) {
		json_t *o = old_docs ? json_object_get(old_docs, k) : NULL;
		if (!o)
			(*added)++;
		else if (!json_equal(json_object_get(o, "hash"), json_object_get(v, "hash")))
			(*changed)++;
	}
	json_object_foreach((json_t *)old_docs, k, v) {
		if (!new_docs || !json_object_get(new_docs, k))
			(*removed)++;
	}
}

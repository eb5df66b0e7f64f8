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
 * the top-level keys written in their sorted order, and so are the
 * documents (docs.c), sorted by path as jansson sorts keys, each one's
 * keys ("first", "hash", "id") in that order too. tests/audit/test_audit.c
 * holds the whole text to json_dumps.
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

/* The documents object, as json_dumps wrote the jansson object publish
 * once made (every document has its first publication by then). */
static int documents_text(nb_json *w, const nb_audit_docs *docs)
{
	char hex[NB_OID_HEXSZ + 1];
	int rc = 0;
	nb_json_object(w);
	for (size_t i = 0; i < docs->len && rc == 0; i++) {
		const nb_audit_doc *d = &docs->items[i];
		if (nb_json_key(w, nb_audit_doc_path(docs, d)) != 0)
			continue;
		nb_json_object(w);
		if (d->first) {
			nb_json_key(w, "first");
			nb_json_integer(w, (long long)d->first);
		}
		nb_json_key(w, "hash");
		nb_oid_tostr(hex, sizeof(hex), &d->hash);
		nb_json_string(w, hex);
		nb_json_key(w, "id");
		rc = nb_json_string(w, nb_audit_doc_id(docs, d));
		nb_json_close(w);
	}
	nb_json_close(w);
	return rc;
}

int nb_audit_manifest_text(nb_buf *out, const char *as_of, size_t publication,
			   const nb_audit_docs *docs, const json_t *generator,
			   const nb_audit_files *files, size_t skip)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_grow(&b, files->len * 80 + (docs ? docs->len : 0) * 160 + 256);
	nb_json w;
	nb_json_init(&w, &b, MANIFEST_LAYOUT);
	nb_json_object(&w);
	nb_json_key(&w, "as_of");
	int rc = nb_json_string(&w, as_of);
	nb_json_key(&w, "documents");
	if (rc == 0)
		rc = docs ? documents_text(&w, docs) : -1;
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
		refuse(a, "manifest.json is not valid JSON: %s", je.text);
		return -1;
	}
	return 0;
}

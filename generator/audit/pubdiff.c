/*
 * pubdiff.c - one document's change between two sources; see pubdiff.h.
 *
 * Front matter is flattened to dotted leaf paths before comparing, so a
 * change deep in a nested map (votes.for) is named precisely and key
 * order or YAML style never shows up as a change. Arrays are indexed
 * (progress.2.note): a list entry inserted in the middle reads as several
 * changed entries, which is still accurate and keeps the rule simple.
 */
#include "audit/pubdiff.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "load/frontmatter.h"

static void flatten(json_t *v, const char *prefix, json_t *out)
{
	if (json_is_object(v) && json_object_size(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x) {
			nb_buf b = NB_BUF_INIT;
			nb_buf_printf(&b, "%s%s%s", prefix, prefix[0] ? "." : "", k);
			flatten(x, nb_buf_cstr(&b), out);
			nb_buf_free(&b);
		}
	} else if (json_is_array(v) && json_array_size(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			nb_buf b = NB_BUF_INIT;
			nb_buf_printf(&b, "%s%s%zu", prefix, prefix[0] ? "." : "", i);
			flatten(json_array_get(v, i), nb_buf_cstr(&b), out);
			nb_buf_free(&b);
		}
	} else {
		json_object_set(out, prefix, v);
	}
}

void nb_pubdiff_parse(const char *path, const char *src, size_t len, nb_pubdiff_doc *p)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_frontmatter fm;
	json_t *meta = NULL;
	p->flat = json_object();
	p->body = src;
	p->body_len = len;
	p->id = NULL;
	if (nb_frontmatter_parse(&fm, &meta, NULL, src, len, path, NULL, &d) !=
	    NB_FRONTMATTER_EFENCE) {
		p->body = fm.body;
		p->body_len = fm.body_len;
	}
	/* A file without front matter has no fields, not an empty one. */
	if (meta && fm.has_yaml) {
		flatten(meta, "", p->flat);
		json_t *id = json_object_get(meta, "id");
		if (json_is_string(id)) {
			p->id = strdup(json_string_value(id));
			if (!p->id)
				abort();
		}
	}
	json_decref(meta);
	nb_diag_free(&d);
}

void nb_pubdiff_doc_free(nb_pubdiff_doc *d)
{
	json_decref(d->flat);
	free(d->id);
	d->flat = NULL;
	d->id = NULL;
}

json_t *nb_pubdiff_fields(const nb_pubdiff_doc *a, const nb_pubdiff_doc *b)
{
	json_t *fields = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(b->flat, k, v) {
		json_t *o = json_object_get(a->flat, k);
		if (!o || !json_equal(o, v))
			json_array_append_new(fields, json_pack("{s:s, s:O?, s:O?}", "field", k,
								"from", o, "to", v));
	}
	json_object_foreach(a->flat, k, v) {
		if (!json_object_get(b->flat, k))
			json_array_append_new(fields, json_pack("{s:s, s:O?, s:O?}", "field", k,
								"from", v, "to", NULL));
	}
	return fields;
}

char *nb_pubdiff_show(const json_t *v)
{
	char *s;
	if (!v)
		s = strdup("(none)");
	else if (json_is_string(v))
		s = strdup(json_string_value(v));
	else
		s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	if (!s)
		abort();
	return s;
}

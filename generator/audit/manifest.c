/*
 * manifest.c - manifest.json: written in jansson's exact layout without
 * building its values, read back, and compared; see nb_audit_manifest_text
 * in audit.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_internal.h"
#include "util/buf.h"
#include "util/utf8.h"

/* ---- manifest.json ---------------------------------------------------------- */

/*
 * jansson's dump format, reproduced: jansson builds the text through a
 * callback per token and sorts every object's keys again, which for a
 * 20,000-entry manifest cost more than the rest of recording a
 * publication. Its rules (dump.c, utf.c): strings are checked as UTF-8
 * (RFC 3629: no overlongs, surrogates or values past U+10FFFF); `"`, `\`
 * and control characters are escaped; everything past U+007F is written
 * as \uXXXX (upper-case hex; a surrogate pair past U+FFFF); keys are
 * sorted bytewise; JSON_INDENT(1) puts each member on its own line.
 * Strings go through nb_buf_put_json (buf.h) with JSON_ENSURE_ASCII's
 * rule. tests/audit/test_audit.c holds this against json_dumps itself.
 */
static void put_indent(nb_buf *b, int depth)
{
	nb_buf_grow(b, (size_t)depth + 1);
	b->ptr[b->len++] = '\n';
	for (int i = 0; i < depth; i++)
		b->ptr[b->len++] = ' ';
	b->ptr[b->len] = '\0';
}

static int cmp_cstr(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int put_json(nb_buf *b, const json_t *v, int depth)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v);
		if (!n) {
			nb_buf_put(b, "{}", 2);
			return 0;
		}
		const char **keys = malloc(n * sizeof(*keys));
		if (!keys)
			abort();
		size_t k = 0;
		const char *key;
		json_t *x;
		json_object_foreach((json_t *)v, key, x)
			keys[k++] = key;
		qsort(keys, n, sizeof(*keys), cmp_cstr);
		nb_buf_putc(b, '{');
		int rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (i)
				nb_buf_putc(b, ',');
			put_indent(b, depth + 1);
			rc = nb_buf_put_json(b, keys[i], strlen(keys[i]), 1);
			nb_buf_put(b, ": ", 2);
			if (rc == 0)
				rc = put_json(b, json_object_get(v, keys[i]), depth + 1);
		}
		free(keys);
		put_indent(b, depth);
		nb_buf_putc(b, '}');
		return rc;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);
		if (!n) {
			nb_buf_put(b, "[]", 2);
			return 0;
		}
		nb_buf_putc(b, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				nb_buf_putc(b, ',');
			put_indent(b, depth + 1);
			if (put_json(b, json_array_get(v, i), depth + 1) != 0)
				return -1;
		}
		put_indent(b, depth);
		nb_buf_putc(b, ']');
		return 0;
	}
	case JSON_STRING:
		return nb_buf_put_json(b, json_string_value(v), json_string_length(v), 1);
	case JSON_INTEGER:
		put_ll(b, (long long)json_integer_value(v));
		return 0;
	case JSON_TRUE:
		nb_buf_put(b, "true", 4);
		return 0;
	case JSON_FALSE:
		nb_buf_put(b, "false", 5);
		return 0;
	case JSON_NULL:
		nb_buf_put(b, "null", 4);
		return 0;
	default:
		return -1;  /* reals: left to jansson */
	}
}

int nb_audit_json_text(nb_buf *out, const json_t *v)
{
	nb_buf b = NB_BUF_INIT;
	int rc = v ? put_json(&b, v, 0) : -1;
	if (rc == 0)
		nb_buf_put(out, b.ptr, b.len);
	nb_buf_free(&b);
	return rc;
}

int nb_audit_manifest_text(nb_buf *out, const char *as_of, size_t publication,
			   const json_t *docs, const nb_audit_files *files, size_t skip)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_grow(&b, files->len * 80 + json_object_size(docs) * 120 + 256);
	nb_buf_puts(&b, "{\n \"as_of\": ");
	int rc = nb_buf_put_json(&b, as_of, strlen(as_of), 1);
	nb_buf_puts(&b, ",\n \"documents\": ");
	if (rc == 0)
		rc = docs ? put_json(&b, docs, 1) : -1;
	nb_buf_puts(&b, ",\n \"files\": ");
	size_t shown = 0;
	char hex[GIT_OID_HEXSZ + 1];
	for (size_t i = 0; i < files->len && rc == 0; i++) {
		const char *k = files->items[i].path + skip;
		/* What json_object_set_new() would refuse. */
		if (nb_utf8_validate(k, strlen(k), NULL, NULL) != 0)
			continue;
		nb_buf_put(&b, shown ? ",\n  " : "{\n  ", 4);
		rc = nb_buf_put_json(&b, k, strlen(k), 1);
		nb_buf_put(&b, ": \"", 3);
		nb_oid_tostr(hex, sizeof(hex), &files->items[i].id);
		nb_buf_put(&b, hex, GIT_OID_HEXSZ);
		nb_buf_putc(&b, '"');
		shown++;
	}
	nb_buf_puts(&b, shown ? "\n }" : "{}");
	nb_buf_puts(&b, ",\n \"noticeboard\": ");
	if (rc == 0)
		rc = nb_buf_put_json(&b, NB_VERSION, strlen(NB_VERSION), 1);
	nb_buf_puts(&b, ",\n \"publication\": ");
	put_ull(&b, publication);
	nb_buf_puts(&b, "\n}\n");
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

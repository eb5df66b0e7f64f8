/*
 * diag.c - collecting, sorting and printing diagnostics; see diag.h.
 */
#include "util/diag.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"

static char *dup_or_null(const char *s)
{
	if (!s)
		return NULL;
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

void nb_diag_init(nb_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void nb_diag_free(nb_diag *d)
{
	for (size_t i = 0; i < d->len; i++) {
		free(d->items[i].file);
		free(d->items[i].code);
		free(d->items[i].msg);
		free(d->items[i].hint);
	}
	free(d->items);
	nb_diag_init(d);
}

static void push(nb_diag *d, nb_diag_entry e)
{
	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = realloc(d->items, d->cap * sizeof(*d->items));
		if (!d->items)
			abort();
	}
	d->items[d->len++] = e;
	if (e.sev == NB_SEV_ERROR)
		d->errors++;
	else
		d->warnings++;
}

void nb_diag_add(nb_diag *d, nb_severity sev, const char *file, int line,
		 int col, const char *code, const char *hint, const char *fmt, ...)
{
	nb_buf msg = NB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	nb_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	nb_diag_entry e = {
		.sev = sev,
		.file = dup_or_null(file ? file : ""),
		.line = line,
		.col = col,
		.code = dup_or_null(code ? code : "error"),
		.msg = nb_buf_detach(&msg),
		.hint = dup_or_null(hint),
	};
	push(d, e);
}

void nb_diag_merge(nb_diag *dst, nb_diag *src)
{
	if (!dst->lang[0])
		memcpy(dst->lang, src->lang, sizeof(dst->lang));
	for (size_t i = 0; i < src->len; i++)
		push(dst, src->items[i]);
	free(src->items);
	nb_diag_init(src);
}

static int cmp_entry(const nb_diag_entry *a, const nb_diag_entry *b)
{
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

void nb_diag_sort(nb_diag *d)
{
	/* Insertion sort keeps equal entries in the order they were found;
	 * diagnostic lists are short. A merge sort would be needed only for
	 * sites with tens of thousands of errors. */
	for (size_t i = 1; i < d->len; i++) {
		nb_diag_entry e = d->items[i];
		size_t j = i;
		while (j > 0 && cmp_entry(&d->items[j - 1], &e) > 0) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = e;
	}
}

/* File names and ids come from content authors: a control character in
 * one must not reach the terminal, where it could rewrite what the
 * secretary sees (utf8.h: C0, DEL, C1, bidi controls made visible). */
static void put_safe(FILE *out, const char *s)
{
	nb_utf8_fputs_visible(out, s, 0);
}

/* How many disk failures with the message of entry `i` were printed
 * before it; `seen` holds the first entry of each such message (at most
 * `cap`; past that every one is printed). */
typedef struct {
	size_t first[16], count[16];
	size_t n;
} same_io;

static size_t *same_io_count(same_io *s, const nb_diag *d, size_t i)
{
	const nb_diag_entry *e = &d->items[i];
	if (e->sev != NB_SEV_ERROR || strcmp(e->code, "io") != 0)
		return NULL;
	for (size_t k = 0; k < s->n; k++) {
		const nb_diag_entry *f = &d->items[s->first[k]];
		if (!strcmp(f->msg, e->msg) && !strcmp(f->hint ? f->hint : "", e->hint ? e->hint : ""))
			return &s->count[k];
	}
	if (s->n == sizeof(s->first) / sizeof(s->first[0]))
		return NULL;
	s->first[s->n] = i;
	s->count[s->n] = 0;
	return &s->count[s->n++];
}

void nb_diag_print(const nb_diag *d, FILE *out, int color)
{
	const char *bold = color ? "\033[1m" : "";
	const char *red = color ? "\033[1;31m" : "";
	const char *mag = color ? "\033[1;35m" : "";
	const char *cyan = color ? "\033[36m" : "";
	const char *rst = color ? "\033[0m" : "";
	const char *lang = nb_diag_language(d);
	same_io same = { .n = 0 };
	for (size_t i = 0; i < d->len; i++) {
		const nb_diag_entry *e = &d->items[i];
		size_t *n_same = same_io_count(&same, d, i);
		if (n_same && (*n_same)++ >= NB_DIAG_SAME_SHOWN)
			continue;
		char *msg = nb_diag_translate(lang, e->code, e->msg);
		char *hint = nb_diag_translate(lang, e->code, e->hint);
		fputs(bold, out);
		if (e->file[0]) {
			put_safe(out, e->file);
			if (e->line > 0) {
				fprintf(out, ":%d", e->line);
				if (e->col > 0)
					fprintf(out, ":%d", e->col);
			}
			fputs(": ", out);
		}
		fputs(rst, out);
		if (e->sev == NB_SEV_ERROR)
			fprintf(out, "%s%s%s", red, nb_diag_word(lang, "error: ", "错误："), rst);
		else
			fprintf(out, "%s%s%s", mag, nb_diag_word(lang, "warning: ", "警告："), rst);
		fputs(bold, out);
		put_safe(out, msg);
		fprintf(out, "%s\n", rst);
		if (hint && hint[0]) {
			fprintf(out, "  %s%s%s", cyan, nb_diag_word(lang, "hint: ", "提示："), rst);
			put_safe(out, hint);
			fputc('\n', out);
		}
		free(msg);
		free(hint);
	}
	for (size_t k = 0; k < same.n; k++) {
		if (same.count[k] <= NB_DIAG_SAME_SHOWN)
			continue;
		const nb_diag_entry *e = &d->items[same.first[k]];
		char *msg = nb_diag_translate(lang, e->code, e->msg);
		size_t more = same.count[k] - NB_DIAG_SAME_SHOWN;
		if (!strcmp(lang, "zh-CN"))
			fprintf(out, "%s错误：%s另有 %zu 个文件出现同样的错误：", red, rst, more);
		else
			fprintf(out, "%serror: %s%zu more files met the same error: ", red, rst, more);
		fputs(bold, out);
		put_safe(out, msg);
		fprintf(out, "%s\n", rst);
		free(msg);
	}
}

void nb_diag_print_json(const nb_diag *d, FILE *out)
{
	json_t *arr = json_array();
	const char *lang = nb_diag_language(d);
	for (size_t i = 0; i < d->len; i++) {
		const nb_diag_entry *e = &d->items[i];
		/* `code` stays the same in every language; scripts match on it. */
		char *msg = nb_diag_translate(lang, e->code, e->msg);
		char *hint = nb_diag_translate(lang, e->code, e->hint);
		json_t *o = json_object();
		json_object_set_new(o, "severity", json_string(e->sev == NB_SEV_ERROR ? "error" : "warning"));
		json_object_set_new(o, "file", json_string(e->file));
		json_object_set_new(o, "line", json_integer(e->line));
		json_object_set_new(o, "column", json_integer(e->col));
		json_object_set_new(o, "code", json_string(e->code));
		json_object_set_new(o, "message", json_string(msg));
		json_object_set_new(o, "hint", hint ? json_string(hint) : json_null());
		json_array_append_new(arr, o);
		free(msg);
		free(hint);
	}
	json_t *root = json_object();
	json_object_set_new(root, "errors", json_integer((json_int_t)d->errors));
	json_object_set_new(root, "warnings", json_integer((json_int_t)d->warnings));
	json_object_set_new(root, "diagnostics", arr);
	json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
}

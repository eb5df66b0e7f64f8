/*
 * fuzz_markdown.c - libFuzzer target: Markdown to HTML, the heading-id and
 * table-of-contents pass, and the charter article splitter.
 *
 * The first byte picks safe or raw-HTML mode so both paths are covered. In
 * safe mode the output must never contain a raw <script or a javascript:
 * link: that is the property residents' browsers rely on, so it is checked
 * here (abort() makes libFuzzer save the input) and not only in e2e tests.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/buf.h"
#include "markdown/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int contains_ci(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (!strncasecmp(s + i, needle, k))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	nb_markdown_opts o = { data[0] & 1 };
	const char *src = (const char *)data + 1;
	size_t len = size - 1;
	nb_buf html, text;
	nb_buf_init(&html);
	nb_buf_init(&text);
	json_t *toc = NULL;
	nb_markdown_render(src, len, &o, &html, &toc, &text);
	if (!o.unsafe_html && html.len &&
	    (contains_ci(html.ptr, html.len, "<script") ||
	     contains_ci(html.ptr, html.len, "href=\"javascript:")))
		abort();
	json_decref(toc);
	nb_buf_free(&html);
	nb_buf_free(&text);
	json_t *arts = nb_markdown_articles(src, len, 1);
	json_decref(arts);
	return 0;
}

/*
 * fuzz_mustache.c - libFuzzer target: the Mustache parser and renderer.
 *
 * The input is split at the first NUL byte into a template and a partial
 * (named "p", so `{{> p}}` and `{{< p}}` reach it and the template can
 * recurse through it), both are parsed, and the template is rendered
 * against a fixed context with the shapes the theme sees: nested objects,
 * lists, booleans, HTML that must be escaped. A low depth limit turns
 * endless recursion into the engine's error instead of a fuzzer timeout.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/diag.h"
#include "template/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char CONTEXT[] =
	"{\"page\":{\"title\":\"<script>x</script>\",\"kind\":\"meetings\","
	"\"list\":[{\"a\":1,\"b\":\"x\"},{\"a\":2,\"b\":\"y\"}],\"t\":true,\"f\":false,"
	"\"n\":null,\"e\":[],\"o\":{\"p\":{\"q\":\"deep\"}}},"
	"\"site\":{\"title\":\"S\",\"base_path\":\"/\"},\"lang\":\"zh-CN\","
	"\"x\":\"&<>\\\"'\",\"num\":1.5,\"p\":\"p\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	const char *partial = nul ? (const char *)nul + 1 : "";
	size_t plen = nul ? size - tlen - 1 : 0;

	nb_mustache_limits lim = { 16 };
	nb_mustache *m = nb_mustache_new(&lim);
	nb_diag d;
	nb_diag_init(&d);
	int ok = nb_mustache_add(m, "t", "t.mustache", (const char *)data, tlen, &d) == 0;
	nb_mustache_add(m, "p", "p.mustache", partial, plen, &d);
	if (ok) {
		json_error_t err;
		json_t *ctx = json_loads(CONTEXT, 0, &err);
		nb_buf out;
		nb_buf_init(&out);
		nb_mustache_render(m, "t", ctx, &out, &d);
		nb_buf_free(&out);
		json_decref(ctx);
	}
	nb_diag_free(&d);
	nb_mustache_free(m);
	return 0;
}

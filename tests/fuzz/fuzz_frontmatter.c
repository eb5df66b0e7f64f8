/*
 * fuzz_frontmatter.c - libFuzzer target: the front-matter splitter and the
 * YAML loader, exactly as the load stage chains them (content.c).
 *
 * Tight limits are passed so that an alias bomb or deep nesting is found
 * to be *refused* quickly rather than timing the fuzzer out; the limits
 * themselves are part of what is under test. Whatever the input, the call
 * must return cleanly, and on success the tree and position table must be
 * well formed (position lookups on every top-level key must not crash).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "load/frontmatter.h"
#include "load/yamltree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private NUL-terminated copy: the loader must not read past len,
	 * and ASan catches it if it does since malloc'd size == size + 1. */
	char *src = malloc(size + 1);
	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	nb_diag d;
	nb_diag_init(&d);
	nb_frontmatter fm;
	if (nb_frontmatter_split(&fm, src, size, "fuzz.md", &d) == 0 && fm.has_yaml) {
		nb_yaml_limits lim = { 32, 200, 20000, 1 << 16 };
		json_t *v = NULL, *pos = NULL;
		if (nb_yaml_load(&v, &pos, fm.yaml, fm.yaml_len, "fuzz.md", fm.yaml_line,
				 1, &lim, &d) == 0) {
			const char *k;
			json_t *x;
			json_object_foreach(v, k, x) {
				char path[256];
				int line, col;
				snprintf(path, sizeof(path), "/%s", k);
				nb_yaml_pos(pos, path, 1, &line, &col);
			}
			json_decref(v);
			json_decref(pos);
		}
	}
	/* The raw input as a whole YAML document too (site.yaml's path). */
	{
		nb_yaml_limits lim = { 32, 200, 20000, 1 << 16 };
		json_t *v = NULL, *pos = NULL;
		if (nb_yaml_load(&v, &pos, src, size, "site.yaml", 1, 0, &lim, &d) == 0) {
			json_decref(v);
			json_decref(pos);
		}
	}
	nb_diag_free(&d);
	free(src);
	return 0;
}

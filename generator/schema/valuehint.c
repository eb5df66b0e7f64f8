/*
 * valuehint.c - what a secretary meant by a value that is not allowed; see
 * valuehint.h.
 *
 * A value can be wrong in a way that says what was meant: a date written
 * as on paper (2025/3/6), an enum given as the Chinese label the site
 * shows for it (消防 for fire-safety). validate.c reports the error; these
 * find the value to suggest, so the hint can say exactly what to write.
 */
#include "schema/valuehint.h"

#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/embedded.h"
#include "load/yamltree.h"

/* A date written the way people write it on paper, 2025/3/6, 2025.3.6,
 * 2025-3-6 or 2025年3月6日: its YYYY-MM-DD form into iso (when it is a
 * real date). */
int nb_valuehint_date(char iso[16], const char *s)
{
	int y = 0, m = 0, d = 0, n = 0;
	char rest[8] = "";
	if (sscanf(s, "%4d/%2d/%2d%n", &y, &m, &d, &n) != 3 &&
	    sscanf(s, "%4d.%2d.%2d%n", &y, &m, &d, &n) != 3 &&
	    sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 &&
	    sscanf(s, "%4d\xe5\xb9\xb4%2d\xe6\x9c\x88%2d%n", &y, &m, &d, &n) != 3)
		return 0;
	snprintf(rest, sizeof(rest), "%s", s + n);
	if (rest[0] && strcmp(rest, "\xe6\x97\xa5")) /* only a closing 日 may follow */
		return 0;
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > nb_date_month_days(y, m))
		return 0;
	/* Each field is range-checked above; unsigned and %.4u/%.2u tell the
	 * compiler so, which a sanitizer build's format check needs. */
	snprintf(iso, 16, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
	return 1;
}

/*
 * A value typed as its Chinese label (`category: 消防` for fire-safety):
 * the allowed value whose label in the built-in theme's zh-CN strings is
 * the text, or else holds it or is held in it, when exactly one does; into
 * key. Labels are not accepted as values: the value is what URLs, the CSV
 * and the filters use, and one spelling per value keeps them stable, so
 * the secretary is told which value to write instead.
 */
int nb_valuehint_enum_label(char *key, size_t n, const json_t *en, const char *text)
{
	const nb_embedded_file *f = nb_embedded_find("theme/default/i18n/zh-CN.yaml");
	if (!f || !text || strlen(text) < 3)
		return 0;
	nb_yaml_limits lim = { 0 }; /* zeros: the defaults */
	nb_diag scratch;
	nb_diag_init(&scratch);
	json_t *root = NULL, *pos = NULL;
	int found = 0, exact = 0;
	const char *exact_value = NULL;
	if (nb_yaml_load(&root, &pos, (const char *)f->data, f->len, "i18n", 1, 1,
			 &lim, &scratch) == 0) {
		const char *sect;
		json_t *labels;
		json_object_foreach(root, sect, labels) {
			if (!json_is_object(labels))
				continue;
			size_t i;
			const json_t *x;
			json_array_foreach(en, i, x) {
				const char *label = json_string_value(json_object_get(labels, json_string_value(x)));
				if (!label || !(strstr(label, text) || strstr(text, label)))
					continue;
				/* 通过 is held in 未通过: being a value's very label
				 * decides between the two. */
				if (!strcmp(label, text)) {
					if (exact && strcmp(exact_value, json_string_value(x)))
						exact = 2;
					else if (!exact)
						exact = 1, exact_value = json_string_value(x);
				}
				if (found && strcmp(key, json_string_value(x)))
					found = 2; /* two values fit: no guess */
				else if (!found)
					found = 1, snprintf(key, n, "%s", json_string_value(x));
			}
		}
	}
	if (exact == 1)
		snprintf(key, n, "%s", exact_value);
	json_decref(root);
	json_decref(pos);
	nb_diag_free(&scratch);
	return exact == 1 || (!exact && found == 1);
}

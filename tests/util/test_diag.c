/*
 * test_diag.c - printing diagnostics (diag.h).
 *
 * A full disk fails every file the build writes: at 10,000 documents that
 * was 10,000 identical errors and their hints. The text form shows the
 * first few of each disk failure and counts the rest in one line; every
 * other diagnostic, and the JSON form, keeps each entry.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "util/diag.h"

/* What nb_diag_print writes for `d`, NUL-terminated (the caller frees). */
static char *printed(const nb_diag *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		abort();
	nb_diag_print(d, f, 0);
	fclose(f);
	return text;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void full_disk(nb_diag *d, const char *lang, size_t files)
{
	unsetenv("NB_LANG"); /* the site's language decides here */
	nb_diag_init(d);
	nb_diag_set_language(d, lang);
	for (size_t i = 0; i < files; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "page-%03zu/index.html", i);
		nb_diag_add(d, NB_SEV_ERROR, rel, 0, 0, "io", "check free disk space and permissions",
			    "cannot write output file: No space left on device");
	}
}

NB_TEST(a_full_disk_is_said_once_per_reason)
{
	nb_diag d;
	full_disk(&d, "en", 40);
	/* Another reason, and a content error, between them. */
	nb_diag_add(&d, NB_SEV_ERROR, "page-900/index.html", 0, 0, "io", NULL,
		    "cannot create page-900: Permission denied");
	nb_diag_add(&d, NB_SEV_ERROR, "content/meetings/a.md", 3, 7, "field-type", NULL,
		    "`date` must be a date");
	char *text = printed(&d);
	NB_CHECK(count(text, "No space left on device") == 4);
	NB_CHECK_CONTAINS(text, "page-000/index.html: error: cannot write output file");
	NB_CHECK_CONTAINS(text, "page-002/index.html: error: cannot write output file");
	NB_CHECK(strstr(text, "page-003/index.html") == NULL);
	NB_CHECK(strstr(text, "page-039/index.html") == NULL);
	NB_CHECK_CONTAINS(text, "error: 37 more files met the same error: cannot write output "
				"file: No space left on device\n");
	NB_CHECK(count(text, "hint: check free disk space") == 3);
	NB_CHECK_CONTAINS(text, "page-900/index.html: error: cannot create page-900");
	NB_CHECK_CONTAINS(text, "content/meetings/a.md:3:7: error: `date` must be a date");
	NB_CHECK(d.errors == 42);
	free(text);

	/* JSON keeps every entry: scripts count them. */
	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);
	nb_diag_print_json(&d, f);
	fclose(f);
	NB_CHECK(count(json, "No space left on device") == 40);
	free(json);
	nb_diag_free(&d);
}

NB_TEST(a_few_failures_are_each_shown)
{
	nb_diag d;
	full_disk(&d, "en", 3);
	char *text = printed(&d);
	NB_CHECK(count(text, "No space left on device") == 3);
	NB_CHECK(strstr(text, "more files") == NULL);
	free(text);
	nb_diag_free(&d);
}

NB_TEST(the_count_line_speaks_the_site_language)
{
	nb_diag d;
	full_disk(&d, "zh-CN", 10);
	char *text = printed(&d);
	NB_CHECK_CONTAINS(text, "错误：另有 7 个文件出现同样的错误：无法写入输出文件：");
	free(text);
	nb_diag_free(&d);
}

NB_TEST_MAIN("test_diag", NB_CASE(a_full_disk_is_said_once_per_reason),
	     NB_CASE(a_few_failures_are_each_shown), NB_CASE(the_count_line_speaks_the_site_language))

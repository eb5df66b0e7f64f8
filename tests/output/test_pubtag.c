/*
 * test_pubtag.c - the publication tag (output/pubtag.h): where it is found
 * and when a page is the previous publication's but for its number. What
 * is no tag must be no tag: a page counts as changed rather than keep a
 * number it may not deserve.
 */
#include <stdio.h>
#include <string.h>

#include "output/pubtag.h"
#include "harness.h"

static const char *page(char *buf, size_t n, const char *number, const char *body)
{
	snprintf(buf, n, "<!doctype html><html><head><title>t</title>\n%s%s\">\n</head><body>%s</body></html>",
		 NB_PUBTAG, number, body);
	return buf;
}

static int find(const char *s, uint64_t *number)
{
	size_t at, digits;
	return nb_pubtag_find(s, strlen(s), &at, &digits, number);
}

NB_TEST(finds_the_number)
{
	char b[512];
	uint64_t n = 0;
	NB_CHECK(find(page(b, sizeof(b), "12", "x"), &n) == 0 && n == 12);
	size_t at, digits;
	NB_CHECK(nb_pubtag_find(b, strlen(b), &at, &digits, &n) == 0 && digits == 2 &&
		 !memcmp(b + at, "12\">", 4));
	/* Not a number, a leading zero, an unclosed tag: no tag. */
	NB_CHECK(find(page(b, sizeof(b), "", "x"), &n) == -1);
	NB_CHECK(find(page(b, sizeof(b), "07", "x"), &n) == -1);
	NB_CHECK(find(page(b, sizeof(b), "7 ", "x"), &n) == -1);
	/* Twice (even in the body), or after </head>: no tag. */
	char twice[600];
	snprintf(twice, sizeof(twice), "%s", page(b, sizeof(b), "3", NB_PUBTAG "3\">"));
	NB_CHECK(find(twice, &n) == -1);
	char late[600];
	snprintf(late, sizeof(late), "<html><head></head><body>%s3\"></body>", NB_PUBTAG);
	NB_CHECK(find(late, &n) == -1);
	char nohead[600];
	snprintf(nohead, sizeof(nohead), "<html><head>%s3\">", NB_PUBTAG);
	NB_CHECK(find(nohead, &n) == -1);
	/* Starting past the first NB_PUBTAG_WITHIN bytes: no tag. */
	static char far[NB_PUBTAG_WITHIN + 600];
	memset(far, ' ', NB_PUBTAG_WITHIN);
	snprintf(far + NB_PUBTAG_WITHIN, 600, "<head>%s3\"></head>", NB_PUBTAG);
	NB_CHECK(find(far, &n) == -1);
	memcpy(far + NB_PUBTAG_WITHIN - 10, "<head>", 6);
	NB_CHECK(find(far + 100, &n) == 0 && n == 3);
}

/* Whether pages with tag numbers `x` and `y` and bodies `bx`, `by` are
 * the same but for the number. */
static int same(const char *x, const char *bx, const char *y, const char *by)
{
	char a[512], b[512];
	page(a, sizeof(a), x, bx);
	page(b, sizeof(b), y, by);
	return nb_pubtag_same_but_number(a, strlen(a), b, strlen(b));
}

NB_TEST(same_but_for_the_number)
{
	NB_CHECK(same("9", "x", "10", "x"));
	NB_CHECK(same("3", "x", "3", "x"));
	/* One byte elsewhere differs, before or after the tag. */
	NB_CHECK(!same("9", "x", "10", "y"));
	char a[512], b[512];
	page(a, sizeof(a), "9", "x");
	page(b, sizeof(b), "9", "x");
	b[20] = 'X';
	NB_CHECK(!nb_pubtag_same_but_number(a, strlen(a), b, strlen(b)));
	/* A page without a tag is never the same as one with. */
	NB_CHECK(!nb_pubtag_same_but_number(a, strlen(a), "<html><head></head></html>", 26));
	/* The number's digits are all that may differ: not a longer tail. */
	NB_CHECK(!same("9", "x", "9", "xx"));
	NB_CHECK(!same("19", "x", "9", "xx"));
}

NB_TEST_MAIN("pubtag", NB_CASE(finds_the_number), NB_CASE(same_but_for_the_number))

/*
 * test_fetch.c - unit tests for what `audit` keys its memory by and how it
 * reads a folder: one spelling per site address (so the same site is
 * never first contact twice, and two sites never share a state file),
 * file names made from keys, and paths that would leave the served folder.
 */
#include <stdlib.h>
#include <string.h>

#include "audit/fetch.h"
#include "util/fs.h"
#include "harness.h"

static void key_is(nb_test_state *nb__t, const char *site, const char *want)
{
	char *k = nb_fetch_site_key(site);
	NB_CHECK_STR(k, want);
	free(k);
}

NB_TEST(site_keys)
{
	key_is(nb__t, "https://Notices.Example.ORG", "https://notices.example.org/");
	key_is(nb__t, "HTTPS://notices.example.org:443/", "https://notices.example.org/");
	key_is(nb__t, "http://notices.example.org:80//", "http://notices.example.org/");
	key_is(nb__t, "http://notices.example.org:8080/x/", "http://notices.example.org:8080/x/");
	key_is(nb__t, "https://notices.example.org:80/", "https://notices.example.org:80/");
	key_is(nb__t, "http://h/a/b?q=1#f", "http://h/a/b/");
	/* The path is the site's: its case is kept. */
	key_is(nb__t, "http://h/Site/", "http://h/Site/");
	key_is(nb__t, "/", "file:///");
}

NB_TEST(key_files)
{
	char *a = nb_fetch_key_file("https://notices.example.org/");
	char *b = nb_fetch_key_file("http://notices.example.org/");
	NB_CHECK(!strncmp(a, "notices.example.org_-", 21));
	NB_CHECK(strlen(a) == 21 + 12);
	/* Same sanitized name, different sites: the hash keeps them apart. */
	NB_CHECK(strcmp(a, b) != 0);
	NB_CHECK(strchr(a, '/') == NULL);
	free(a);
	free(b);
	char *c = nb_fetch_key_file("file:///srv/../etc/x/");
	NB_CHECK(strchr(c, '/') == NULL && strstr(c, "..") != NULL);  /* dots kept, no slash */
	free(c);
}

NB_TEST(folder_reads_stay_inside)
{
	char tmpl[] = "/tmp/nb-test-fetch-XXXXXX";
	NB_CHECK(mkdtemp(tmpl) != NULL);
	char *f = nb_path_join(tmpl, "page.html");
	NB_CHECK(nb_fs_write(f, "hello", 5) == 0);
	nb_fetch *r = NULL;
	NB_CHECK(nb_fetch_new(&r, tmpl, NULL) == 0);
	nb_buf b = NB_BUF_INIT;
	NB_CHECK(nb_fetch_get(r, "page.html", 0, &b) == 0);
	NB_CHECK(b.len == 5 && !memcmp(b.ptr, "hello", 5));
	NB_CHECK(nb_fetch_get(r, "absent.html", 0, &b) == 1);
	NB_CHECK(nb_fetch_get(r, "page.html", 3, &b) == -1);  /* over the limit */
	NB_CHECK(strstr(nb_fetch_error(r), "limit") != NULL);
	NB_CHECK(nb_fetch_get(r, "../etc/passwd", 0, &b) == -1);
	NB_CHECK(nb_fetch_get(r, "a/../../x", 0, &b) == -1);
	NB_CHECK(nb_fetch_get(r, "/etc/passwd", 0, &b) == -1);
	NB_CHECK(strstr(nb_fetch_error(r), "refusing") != NULL);
	nb_buf_free(&b);
	nb_fetch_free(r);
	nb_fetch *none = NULL;
	NB_CHECK(nb_fetch_new(&none, "/nonexistent/folder", NULL) == -1);
	nb_fetch_free(none);
	nb_fs_rmtree(tmpl);
	free(f);
}

NB_TEST_MAIN("fetch", NB_CASE(site_keys), NB_CASE(key_files), NB_CASE(folder_reads_stay_inside))

/*
 * test_identity.c - which program made an output (identity.h).
 *
 * Every publication records this identity and `verify --rebuild` and
 * `audit` compare it with the running program's: a wrong entry sends an
 * auditor to rebuild with the wrong program, a missing one lets a
 * different program pass as the same. Held here against the libraries
 * themselves (their own version calls, not noticeboard's wrappers) and
 * against a theme digest recomputed from identity.h's description.
 */
#include "harness.h"

#include <cmark-gfm.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <yaml.h>

#include "output/identity.h"
#include "util/embedded.h"

NB_TEST(names_the_running_libraries)
{
	json_t *id = nb_generator_identity("9.8.7");
	NB_CHECK(json_object_size(id) == 4);
	NB_CHECK_STR(json_string_value(json_object_get(id, "name")), "noticeboard");
	NB_CHECK_STR(json_string_value(json_object_get(id, "version")), NB_VERSION);
	const json_t *libs = json_object_get(id, "libraries");
	NB_CHECK(json_object_size(libs) == 7);
	static const char *const names[] = { "cmark-gfm", "jansson", "libcrypto", "libgit2",
					     "libqrencode", "libyaml", "utf8proc" };
	const char *const want[] = {
		cmark_version_string(), jansson_version_str(),
		OpenSSL_version(OPENSSL_VERSION_STRING), "9.8.7", QRcode_APIVersionString(),
		yaml_get_version_string(), utf8proc_version(),
	};
	for (size_t i = 0; i < 7; i++) {
		const char *v = json_string_value(json_object_get(libs, names[i]));
		NB_CHECK(want[i] && want[i][0]);
		NB_CHECK_STR(v, want[i]);
	}
	/* The same program, the same identity, as `verify` compares it. */
	json_t *again = nb_generator_identity("9.8.7"), *other = nb_generator_identity("9.8.8");
	NB_CHECK(json_equal(id, again));
	NB_CHECK(!json_equal(id, other));
	json_decref(id);
	json_decref(again);
	json_decref(other);
}

static int by_path(const void *a, const void *b)
{
	return strcmp((*(const nb_embedded_file *const *)a)->path,
		      (*(const nb_embedded_file *const *)b)->path);
}

/* identity.h: SHA-256 over the built-in theme's files in path order,
 * each as its path, a NUL, its length in decimal, a NUL, its bytes. */
static void digest_by_hand(char out[72], size_t *files)
{
	const nb_embedded_file **f = calloc(nb_embedded_count + 1, sizeof(*f));
	size_t n = 0;
	for (size_t i = 0; i < nb_embedded_count; i++)
		if (!strncmp(nb_embedded_files[i].path, "theme/default/", 14))
			f[n++] = &nb_embedded_files[i];
	qsort(f, n, sizeof(*f), by_path);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (size_t i = 0; i < n; i++) {
		char len[32];
		snprintf(len, sizeof(len), "%zu", f[i]->len);
		EVP_DigestUpdate(ctx, f[i]->path, strlen(f[i]->path) + 1);
		EVP_DigestUpdate(ctx, len, strlen(len) + 1);
		EVP_DigestUpdate(ctx, f[i]->data, f[i]->len);
	}
	unsigned char md[32];
	unsigned ml = 0;
	EVP_DigestFinal_ex(ctx, md, &ml);
	EVP_MD_CTX_free(ctx);
	strcpy(out, "sha256:");
	for (int i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
	*files = n;
	free(f);
}

NB_TEST(theme_digest_as_described)
{
	char want[72], got[72];
	size_t files = 0;
	digest_by_hand(want, &files);
	/* The built-in theme is there, and not all that is embedded. */
	NB_CHECK(files > 5 && files < nb_embedded_count);
	nb_generator_theme_digest(got);
	NB_CHECK(strlen(got) == 71);
	NB_CHECK_STR(got, want);
	json_t *id = nb_generator_identity("1.0.0");
	NB_CHECK_STR(json_string_value(json_object_get(id, "theme")), want);
	json_decref(id);
}

NB_TEST_MAIN("identity", NB_CASE(names_the_running_libraries), NB_CASE(theme_digest_as_described))

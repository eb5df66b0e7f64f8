/*
 * identity.c - the generator's identity (identity.h).
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/yamltree.h"
#include "markdown/markdown.h"
#include "output/identity.h"
#include "render/notice.h"
#include "util/embedded.h"
#include "util/utf8.h"

#ifndef NB_VERSION
#define NB_VERSION "dev"
#endif

void nb_generator_theme_digest(char out[72])
{
	static const char prefix[] = "theme/default/";
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int ml = 0;
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	for (size_t i = 0; ok && i < nb_embedded_count; i++) {
		const nb_embedded_file *f = &nb_embedded_files[i];
		if (strncmp(f->path, prefix, sizeof(prefix) - 1))
			continue;
		char len[32];
		int ll = snprintf(len, sizeof(len), "%zu", f->len);
		ok = EVP_DigestUpdate(ctx, f->path, strlen(f->path) + 1) == 1 &&
		     EVP_DigestUpdate(ctx, len, (size_t)ll + 1) == 1 &&
		     EVP_DigestUpdate(ctx, f->data, f->len) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &ml) == 1 && ml == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		abort();
	memcpy(out, "sha256:", 7);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
}

json_t *nb_generator_identity(const char *libgit2_version)
{
	char theme[72];
	nb_generator_theme_digest(theme);
	json_t *libs = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				 "cmark-gfm", nb_markdown_library_version(),
				 "jansson", jansson_version_str(),
				 "libcrypto", OpenSSL_version(OPENSSL_VERSION_STRING),
				 "libgit2", libgit2_version,
				 "libqrencode", nb_notice_library_version(),
				 "libyaml", nb_load_library_version(),
				 "utf8proc", nb_utf8_library_version());
	json_t *id = json_pack("{s:s, s:s, s:o, s:s}", "name", "noticeboard", "version",
			       NB_VERSION, "libraries", libs, "theme", theme);
	if (!libs || !id)
		abort();
	return id;
}

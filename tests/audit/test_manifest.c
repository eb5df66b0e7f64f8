/*
 * test_manifest.c - manifest.json as publish writes it and reads it back
 * (manifest.c). Its bytes are part of every publication, so the layout is
 * checked character by character against what json_dumps(JSON_INDENT(1) |
 * JSON_SORT_KEYS | JSON_ENSURE_ASCII) wrote, worked out by hand here: one
 * space of indent per level, keys sorted, non-ASCII as \u escapes (upper-case hex, as jansson writes them), a
 * document's "first" only when it has one; and a manifest that is not
 * JSON is an error naming it, not an empty publication.
 */
#include "chain_fixture.h"
#include "harness.h"

static void hash_of(nb_oid *id, char c)
{
	memset(id->id, 0, sizeof(id->id));
	id->id[0] = (unsigned char)c;
}

NB_TEST(manifest_text_layout)
{
	nb_audit_docs docs;
	memset(&docs, 0, sizeof(docs));
	nb_oid h1, h2, f1, f2;
	hash_of(&h1, 0x11);
	hash_of(&h2, 0x22);
	hash_of(&f1, 0xab);
	hash_of(&f2, 0xcd);
	nb_audit_docs_add(&docs, "content/b.md", "b", &h2, 0);
	nb_audit_docs_add(&docs, "content/a.md", "a-\xc3\xa9", &h1, 3);
	nb_audit_docs_sort(&docs);
	nb_audit_files files = { 0 };
	nb_audit_files_push(&files, "site/public/index.html", &f1);
	nb_audit_files_push(&files, "site/public/\xc3\xa9.html", &f2);
	nb_audit_files_sort(&files);
	json_t *gen = json_pack("{s:s, s:i}", "version", "0.1", "build", 7);
	nb_buf out = NB_BUF_INIT;
	/* "site/" taken off every file's path. */
	NB_CHECK(nb_audit_manifest_text(&out, "2026-11-25", 2, &docs, gen, &files, 5) == 0);
	const char *want =
		"{\n"
		" \"as_of\": \"2026-11-25\",\n"
		" \"documents\": {\n"
		"  \"content/a.md\": {\n"
		"   \"first\": 3,\n"
		"   \"hash\": \"1100000000000000000000000000000000000000\",\n"
		"   \"id\": \"a-\\u00E9\"\n"
		"  },\n"
		"  \"content/b.md\": {\n"
		"   \"hash\": \"2200000000000000000000000000000000000000\",\n"
		"   \"id\": \"b\"\n"
		"  }\n"
		" },\n"
		" \"files\": {\n"
		"  \"public/index.html\": \"ab00000000000000000000000000000000000000\",\n"
		"  \"public/\\u00E9.html\": \"cd00000000000000000000000000000000000000\"\n"
		" },\n"
		" \"generator\": {\n"
		"  \"build\": 7,\n"
		"  \"version\": \"0.1\"\n"
		" },\n"
		" \"noticeboard\": \"" NB_VERSION "\",\n"
		" \"publication\": 2\n"
		"}\n";
	NB_CHECK_STR(nb_buf_cstr(&out), want);
	/* The same as jansson writes the same value. */
	json_t *v = json_loads(nb_buf_cstr(&out), 0, NULL);
	char *dumped = v ? json_dumps(v, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
	nb_buf_clear(&out);
	NB_CHECK(dumped && nb_audit_json_text(&out, v) == 0);
	NB_CHECK_STR(nb_buf_cstr(&out), dumped ? dumped : "");
	free(dumped);
	json_decref(v);

	/* No generator, nothing in either map: empty objects, no key left
	 * out but "generator". */
	nb_audit_docs none;
	memset(&none, 0, sizeof(none));
	nb_audit_files nofiles = { 0 };
	nb_buf_clear(&out);
	NB_CHECK(nb_audit_manifest_text(&out, "2026-01-01", 1, &none, NULL, &nofiles, 0) == 0);
	NB_CHECK_STR(nb_buf_cstr(&out), "{\n \"as_of\": \"2026-01-01\",\n \"documents\": {},\n"
		     " \"files\": {},\n \"noticeboard\": \"" NB_VERSION "\",\n"
		     " \"publication\": 1\n}\n");
	/* Without a document map there is no manifest, and nothing written. */
	nb_buf_clear(&out);
	NB_CHECK(nb_audit_manifest_text(&out, "2026-01-01", 1, NULL, NULL, &nofiles, 0) == -1);
	NB_CHECK(out.len == 0);
	NB_CHECK(nb_audit_json_text(&out, NULL) == -1 && out.len == 0);
	nb_buf_free(&out);
	json_decref(gen);
	nb_audit_files_free(&files);
	nb_audit_docs_free(&docs);
}

/* A publication whose manifest.json holds `text`; its commit in ch->c[1]. */
static int pub_with_manifest(chain *ch, const char *text)
{
	nb_audit_files f = { 0 };
	nb_oid tree;
	nb_signature *sig = NULL;
	int rc = chain_blob(ch, &f, "manifest.json", text);
	rc = rc ? rc : chain_blob(ch, &f, "public/index.html", "<p>x</p>\n");
	if (rc == 0) {
		nb_audit_files_sort(&f);
		rc = nb_audit_write_tree(&ch->a, &f, &tree);
	}
	rc = rc ? rc : nb_audit_signature_parse(&sig, "Test <t@example.org>");
	rc = rc ? rc : nb_audit_commit(&ch->a, &tree, ch->n ? &ch->c[ch->n] : NULL, ch->n + 1,
				       "Publication: test", sig, NULL, &ch->c[ch->n + 1]);
	if (rc == 0)
		ch->n++;
	nb_signature_free(sig);
	nb_audit_files_free(&f);
	return rc;
}

NB_TEST(manifest_read_back)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	NB_CHECK(pub_with_manifest(&ch, "{\"as_of\": \"2026-11-25\", \"publication\": 1}\n") == 0);
	NB_CHECK(pub_with_manifest(&ch, "{\"as_of\": \"2026-11-25\",") == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	nb_commit *c = NULL;
	json_t *m = NULL;
	NB_CHECK(nb_audit_pub_commit(&ch.a, 1, &c) == 0);
	NB_CHECK(c && nb_audit_manifest(&ch.a, c, &m) == 0);
	NB_CHECK_STR(json_string_value(json_object_get(m, "as_of")), "2026-11-25");
	NB_CHECK(json_integer_value(json_object_get(m, "publication")) == 1);
	json_decref(m);
	nb_commit_free(c);
	c = NULL;
	m = NULL;
	NB_CHECK(nb_audit_pub_commit(&ch.a, 2, &c) == 0);
	NB_CHECK(c && nb_audit_manifest(&ch.a, c, &m) == -1 && m == NULL);
	NB_CHECK_CONTAINS(ch.a.err, "manifest.json is not valid JSON: ");
	nb_commit_free(c);
	chain_close(&ch);
}

NB_TEST_MAIN("manifest", NB_CASE(manifest_text_layout), NB_CASE(manifest_read_back))

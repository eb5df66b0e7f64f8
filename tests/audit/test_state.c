/*
 * test_state.c - what a publish remembers (audit/state.c): a record is
 * read back only for the chain and program it names, whole; anything
 * else (another chain, a record cut short at any byte, a flipped byte in
 * its head, a missing file) is a miss and never a partial result, and a
 * reader that wants only the history gets the same history.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "util/buf.h"
#include "util/fs.h"
#include "harness.h"

/* The sample documents as a manifest holds them. */
static json_t *sample_docs_json(void)
{
	return json_pack("{s:{s:s, s:s, s:i}, s:{s:s, s:s, s:i}}",
			 "content/meetings/a.md", "id", "a", "hash",
			 "1111111111111111111111111111111111111111", "first", 1,
			 "content/decisions/b.md", "id", "b", "hash",
			 "2222222222222222222222222222222222222222", "first", 2);
}

static nb_audit_docs sample_docs(void)
{
	nb_audit_docs d = { 0 };
	char err[256];
	json_t *j = sample_docs_json();
	if (nb_audit_docs_from_json(&d, j, err, sizeof(err)) != 0)
		abort();
	json_decref(j);
	return d;
}

/* Whether `docs` is exactly the sample, in path order. */
static int is_sample(const nb_audit_docs *docs)
{
	json_t *got = nb_audit_docs_json(docs), *want = sample_docs_json();
	int same = json_equal(got, want) && docs->len == 2 &&
		   !strcmp(nb_audit_doc_path(docs, &docs->items[0]), "content/decisions/b.md");
	json_decref(got);
	json_decref(want);
	return same;
}

static json_t *sample_history(void)
{
	return json_pack("[{s:i, s:s}, {s:i, s:s}]", "number", 1, "commit", "c1", "number", 2,
			 "commit", "c2");
}

/* A record for `chain` in a fresh temporary folder; its path (caller frees). */
static char *saved(const nb_oid *chain)
{
	char dir[] = "/tmp/nb-test-state.XXXXXX";
	if (!mkdtemp(dir))
		abort();
	char *path = nb_path_join(dir, "publish-state");
	nb_audit_docs docs = sample_docs();
	json_t *hist = sample_history();
	nb_buf text = NB_BUF_INIT;
	if (nb_audit_json_text(&text, hist) != 0)
		abort();
	nb_audit_state_save(path, chain, &docs, &text);
	nb_buf_free(&text);
	nb_audit_docs_free(&docs);
	json_decref(hist);
	return path;
}

static void drop(char *path)
{
	remove(path);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	rmdir(path);
	free(path);
}

NB_TEST(round_trip)
{
	nb_oid chain, other;
	memset(&chain, 0xab, sizeof(chain));
	memset(&other, 0xab, sizeof(other));
	other.id[NB_OID_RAWSZ - 1] ^= 1;
	char *path = saved(&chain);
	nb_audit_docs docs;
	json_t *hist = NULL, *want_hist = sample_history();
	NB_CHECK(nb_audit_state_load(path, &chain, &docs, &hist) == 0);
	NB_CHECK(is_sample(&docs));
	NB_CHECK(json_equal(hist, want_hist));
	nb_audit_docs_free(&docs);
	json_decref(hist);
	/* Only the history: the documents are stepped over. */
	NB_CHECK(nb_audit_state_load(path, &chain, NULL, &hist) == 0);
	NB_CHECK(json_equal(hist, want_hist));
	json_decref(hist);
	/* Another chain (one bit of one tag's commit): a miss. */
	hist = (json_t *)1;
	NB_CHECK(nb_audit_state_load(path, &other, &docs, &hist) == NB_AUDIT_ENOTFOUND);
	NB_CHECK(docs.len == 0 && hist == NULL);
	json_decref(want_hist);
	drop(path);
	hist = (json_t *)1;
	NB_CHECK(nb_audit_state_load("/nonexistent/publish-state", &chain, NULL, &hist) ==
		 NB_AUDIT_ENOTFOUND);
	NB_CHECK(hist == NULL);
}

NB_TEST(damaged_records_are_misses)
{
	nb_oid chain;
	memset(&chain, 0x5a, sizeof(chain));
	char *path = saved(&chain);
	char *whole;
	size_t len;
	NB_CHECK(nb_fs_read(path, 0, &whole, &len) == 0);
	/* Cut short at every byte: never a partial record. The JSON's closing
	 * bracket is the last byte, so every cut is a miss. */
	size_t hits = 0;
	for (size_t cut = 0; cut < len; cut++) {
		NB_CHECK(nb_fs_write(path, whole, cut) == 0);
		nb_audit_docs docs;
		json_t *hist = NULL;
		if (nb_audit_state_load(path, &chain, &docs, &hist) == 0)
			hits++;
		NB_CHECK(hist != NULL || docs.len == 0);
		nb_audit_docs_free(&docs);
		json_decref(hist);
	}
	NB_CHECK(hits == 0);
	/* A flipped byte in the head (magic, chain, program): a miss. */
	const char *nl = memchr(whole, '\n', len);
	for (size_t at = 0; nl && at < (size_t)(nl - whole); at++) {
		whole[at] ^= 0x01;
		NB_CHECK(nb_fs_write(path, whole, len) == 0);
		json_t *hist = NULL;
		NB_CHECK(nb_audit_state_load(path, &chain, NULL, &hist) == NB_AUDIT_ENOTFOUND);
		NB_CHECK(hist == NULL);
		whole[at] ^= 0x01;
	}
	/* A document count larger than the documents: a miss, not a read
	 * past them into the history. */
	nb_buf b = NB_BUF_INIT;
	const char *count = nl + 1;
	nb_buf_put(&b, whole, (size_t)(count - whole));
	nb_buf_puts(&b, "3");
	nb_buf_put(&b, count + 1, len - (size_t)(count + 1 - whole));
	NB_CHECK(nb_fs_write(path, b.ptr, b.len) == 0);
	json_t *hist = NULL;
	NB_CHECK(nb_audit_state_load(path, &chain, NULL, &hist) == NB_AUDIT_ENOTFOUND);
	nb_buf_free(&b);
	free(whole);
	drop(path);
}

NB_TEST_MAIN("state", NB_CASE(round_trip), NB_CASE(damaged_records_are_misses))

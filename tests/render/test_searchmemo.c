/*
 * test_searchmemo.c - the search index's memo record (searchmemo.h).
 *
 * A record that comes back wrong would put another page's words under a
 * document in the site's search: so a record must come back exactly as
 * written (tokens, shard digests, rows, postings, lookups by key), and
 * any other record must be no record: another program's, every single
 * byte changed, every length cut short, and the garbled ones a correct
 * hash would let through (a token id out of range or twice in a page, a
 * score out of range, a token holding a NUL, counts that do not match).
 * Saving never half-replaces the old record.
 */
#include "harness.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/searchmemo.h"
#include "util/fs.h"

static void tmp_path(char dir[], char path[], size_t n)
{
	if (!mkdtemp(dir))
		abort();
	snprintf(path, n, "%s/.noticeboard-cache/search", dir);
}

typedef struct sdoc {
	nb_digest key;
	const char *row;
	uint32_t ids[4], scores[4];
	size_t n;
} sdoc;

static const char *const toks[] = { "会议", "bins", "x", "fire-lane" };
static const sdoc docs[] = {
	{ { 1, 2 }, "[\"/meetings/m1/\",\"March\"]", { 0, 3, 1 }, { 5, 63, 1 }, 3 },
	{ { 3, 4 }, "[\"/pages/about/\",\"About\"]", { 2 }, { 7 }, 1 },
	{ { 5, 6 }, "", { 0 }, { 0 }, 0 },
};

/* Write the record of `docs`, with `program`, and save it. */
static void write_record(const char *path, const char *program)
{
	nb_search_memo *m = nb_search_memo_open(path, program);
	nb_search_memo_begin(m, 4, 3, 2);
	for (int i = 0; i < 4; i++)
		nb_search_memo_token(m, toks[i], (uint32_t)strlen(toks[i]));
	nb_search_memo_shard(m, (nb_digest){ 11, 12 });
	nb_search_memo_shard(m, (nb_digest){ 13, 14 });
	for (int i = 0; i < 3; i++) {
		nb_buf p = NB_BUF_INIT;
		for (size_t k = 0; k < docs[i].n; k++)
			nb_search_memo_put_posting(&p, docs[i].ids[k], docs[i].scores[k]);
		nb_search_memo_doc(m, docs[i].key, docs[i].row, (uint32_t)strlen(docs[i].row),
				   (const uint8_t *)p.ptr, (uint32_t)p.len);
		nb_buf_free(&p);
	}
	nb_search_memo_end(m);
	nb_search_memo_save(m);
	nb_search_memo_free(m);
}

NB_TEST(record_comes_back_as_written)
{
	char dir[] = "/tmp/nb-smemo.XXXXXX", path[128];
	tmp_path(dir, path, sizeof(path));
	write_record(path, "prog A");
	nb_search_memo *m = nb_search_memo_open(path, "prog A");
	NB_CHECK(m->have);
	NB_CHECK(m->ntok == 4 && m->ndoc == 3 && m->nshards == 2);
	for (uint32_t i = 0; i < m->ntok && i < 4; i++) {
		NB_CHECK(m->tok_len[i] == strlen(toks[i]));
		NB_CHECK_STR(m->tok[i], toks[i]);
	}
	NB_CHECK(m->nshards == 2 && nb_digest_eq(m->shard[0], (nb_digest){ 11, 12 }) &&
		 nb_digest_eq(m->shard[1], (nb_digest){ 13, 14 }));
	for (int i = 0; i < 3 && m->have; i++) {
		long at = nb_search_memo_find(m, docs[i].key);
		NB_CHECK(at == i);
		if (at != i)
			continue;
		const nb_smemo_doc *d = &m->doc[at];
		NB_CHECK(d->row_len == strlen(docs[i].row) &&
			 !memcmp(d->row, docs[i].row, d->row_len));
		const uint8_t *p = d->post, *end = p + d->post_len;
		size_t k = 0;
		uint32_t id, score;
		while (p < end && nb_search_memo_posting(&p, end, &id, &score) == 0) {
			NB_CHECK(k < docs[i].n && id == docs[i].ids[k] && score == docs[i].scores[k]);
			k++;
		}
		NB_CHECK(p == end && k == docs[i].n);
	}
	NB_CHECK(nb_search_memo_find(m, (nb_digest){ 1, 3 }) == -1);
	nb_search_memo_release(m);
	NB_CHECK(m->doc[0].row_len && !memcmp(m->doc[0].row, docs[0].row, m->doc[0].row_len));
	nb_search_memo_free(m);
	/* Another program: no record; no program known: none either. */
	m = nb_search_memo_open(path, "prog B");
	NB_CHECK(!m->have && m->ndoc == 0 && nb_search_memo_find(m, docs[0].key) == -1);
	nb_search_memo_free(m);
	m = nb_search_memo_open(path, "");
	NB_CHECK(!m->have);
	nb_search_memo_free(m);
	nb_fs_rmtree(dir);
}

/* Every byte changed, every length cut short: no record. */
NB_TEST(any_damage_is_no_record)
{
	char dir[] = "/tmp/nb-smemo.XXXXXX", path[128];
	tmp_path(dir, path, sizeof(path));
	write_record(path, "prog A");
	char *data = NULL;
	size_t len = 0;
	NB_CHECK(nb_fs_read(path, 0, &data, &len) == 0 && len > 60);
	size_t kept = 0;
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			data[i] ^= (char)(1 << bit);
			NB_CHECK(nb_fs_write(path, data, len) == 0);
			nb_search_memo *m = nb_search_memo_open(path, "prog A");
			kept += m->have;
			nb_search_memo_free(m);
			data[i] ^= (char)(1 << bit);
		}
	}
	for (size_t n = 0; n < len; n++) {
		NB_CHECK(nb_fs_write(path, data, n) == 0);
		nb_search_memo *m = nb_search_memo_open(path, "prog A");
		kept += m->have;
		nb_search_memo_free(m);
	}
	NB_CHECK(kept == 0);
	/* Whole again: a record. */
	NB_CHECK(nb_fs_write(path, data, len) == 0);
	nb_search_memo *m = nb_search_memo_open(path, "prog A");
	NB_CHECK(m->have);
	nb_search_memo_free(m);
	free(data);
	nb_fs_rmtree(dir);
}

/* Garbled records with a correct hash (written through the API, which
 * does not check): each must be refused when opened. */
static int opens(const char *path, uint32_t ntok, const char *tok, uint32_t tok_len,
		 uint32_t ndoc, const uint32_t *ids, const uint32_t *scores, size_t n,
		 size_t docs_written)
{
	nb_search_memo *m = nb_search_memo_open(path, "p");
	nb_search_memo_begin(m, ntok, ndoc, 0);
	for (uint32_t i = 0; i < ntok; i++)
		nb_search_memo_token(m, i == 0 ? tok : "t", i == 0 ? tok_len : 1);
	nb_buf p = NB_BUF_INIT;
	for (size_t k = 0; k < n; k++)
		nb_search_memo_put_posting(&p, ids[k], scores[k]);
	for (size_t d = 0; d < docs_written; d++)
		nb_search_memo_doc(m, (nb_digest){ d, d }, "[]", 2, (const uint8_t *)p.ptr,
				   (uint32_t)p.len);
	nb_buf_free(&p);
	nb_search_memo_end(m);
	nb_search_memo_save(m);
	nb_search_memo_free(m);
	m = nb_search_memo_open(path, "p");
	int have = m->have;
	nb_search_memo_free(m);
	return have;
}

NB_TEST(garbled_with_a_good_hash_is_no_record)
{
	char dir[] = "/tmp/nb-smemo.XXXXXX", path[128];
	tmp_path(dir, path, sizeof(path));
	const uint32_t ok_ids[] = { 0, 1 }, ok_sc[] = { 1, 63 };
	/* The control: well formed, it opens. */
	NB_CHECK(opens(path, 2, "a", 1, 1, ok_ids, ok_sc, 2, 1));
	const uint32_t out_ids[] = { 0, 2 }, twice[] = { 1, 1 };
	NB_CHECK(!opens(path, 2, "a", 1, 1, out_ids, ok_sc, 2, 1));     /* id past the tokens */
	NB_CHECK(!opens(path, 2, "a", 1, 1, twice, ok_sc, 2, 1));       /* a token twice */
	const uint32_t zero[] = { 1, 0 }, high[] = { 1, 64 };
	NB_CHECK(!opens(path, 2, "a", 1, 1, ok_ids, zero, 2, 1));       /* score 0 */
	NB_CHECK(!opens(path, 2, "a", 1, 1, ok_ids, high, 2, 1));       /* score 64 */
	NB_CHECK(!opens(path, 2, "a\0b", 3, 1, ok_ids, ok_sc, 2, 1));   /* NUL in a token */
	NB_CHECK(!opens(path, 2, "", 0, 1, ok_ids, ok_sc, 2, 1));       /* empty token */
	NB_CHECK(!opens(path, 2, "a", 1, 2, ok_ids, ok_sc, 2, 1));      /* a document short */
	NB_CHECK(!opens(path, 2, "a", 1, 1, ok_ids, ok_sc, 2, 2));      /* a document more */
	/* The same token in two documents is fine. */
	NB_CHECK(opens(path, 2, "a", 1, 2, ok_ids, ok_sc, 2, 2));
	nb_fs_rmtree(dir);
}

NB_TEST(postings_round_trip_and_refuse_bad_bytes)
{
	static const uint32_t ids[] = { 0, 1, 127, 128, 16383, 16384, 1u << 21, 1u << 28,
					UINT32_MAX };
	nb_buf b = NB_BUF_INIT;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		nb_search_memo_put_posting(&b, ids[i], (uint32_t)(i % 63 + 1));
	const uint8_t *p = (const uint8_t *)b.ptr, *end = p + b.len;
	uint32_t id, score;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		NB_CHECK(nb_search_memo_posting(&p, end, &id, &score) == 0);
		NB_CHECK(id == ids[i] && score == i % 63 + 1);
	}
	NB_CHECK(p == end);
	/* Cut inside the varint, before the score; a varint too long. */
	static const uint8_t cut[] = { 0x80 }, noscore[] = { 0x05 },
			     longv[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x01 },
			     big[] = { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x01 };
	p = cut;
	NB_CHECK(nb_search_memo_posting(&p, cut + 1, &id, &score) == -1 && p == cut);
	p = noscore;
	NB_CHECK(nb_search_memo_posting(&p, noscore + 1, &id, &score) == -1);
	p = longv;
	NB_CHECK(nb_search_memo_posting(&p, longv + sizeof(longv), &id, &score) == -1);
	p = big;   /* 2^35 - 1: past 32 bits */
	NB_CHECK(nb_search_memo_posting(&p, big + sizeof(big), &id, &score) == -1);
	nb_buf_free(&b);
}

/* Many documents, keys crowding one slot of the lookup table. */
NB_TEST(every_key_found_among_many)
{
	char dir[] = "/tmp/nb-smemo.XXXXXX", path[128];
	tmp_path(dir, path, sizeof(path));
	enum { N = 1000 };
	nb_search_memo *m = nb_search_memo_open(path, "p");
	nb_search_memo_begin(m, 1, N, 0);
	nb_search_memo_token(m, "t", 1);
	nb_buf p = NB_BUF_INIT;
	nb_search_memo_put_posting(&p, 0, 9);
	for (uint64_t i = 0; i < N; i++) {
		/* Half share lo ^ (hi >> 7) == 0: one slot, whatever the size. */
		nb_digest k = i % 2 ? (nb_digest){ i, i << 7 } : (nb_digest){ i * 7919 + 1, i };
		nb_search_memo_doc(m, k, "[]", 2, (const uint8_t *)p.ptr, (uint32_t)p.len);
	}
	nb_buf_free(&p);
	nb_search_memo_end(m);
	nb_search_memo_save(m);
	nb_search_memo_free(m);
	m = nb_search_memo_open(path, "p");
	NB_CHECK(m->have && m->ndoc == N);
	size_t wrong = 0;
	for (uint64_t i = 0; i < N; i++) {
		nb_digest k = i % 2 ? (nb_digest){ i, i << 7 } : (nb_digest){ i * 7919 + 1, i };
		wrong += nb_search_memo_find(m, k) != (long)i;
	}
	NB_CHECK(wrong == 0);
	NB_CHECK(nb_search_memo_find(m, (nb_digest){ 3, 3 << 7 | 1 }) == -1);
	nb_search_memo_free(m);
	nb_fs_rmtree(dir);
}

static ino_t inode(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static size_t files_in(const char *dir)
{
	char *d = nb_path_join(dir, ".noticeboard-cache");
	size_t n = 0;
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", d);
	FILE *f = popen(cmd, "r");
	if (f && fscanf(f, "%zu", &n) != 1)
		n = 0;
	if (f)
		pclose(f);
	free(d);
	return n;
}

/* The same record again leaves the file be; another replaces it whole;
 * one made but not saved leaves the old one and no temporary. */
NB_TEST(saving_replaces_whole_or_not_at_all)
{
	char dir[] = "/tmp/nb-smemo.XXXXXX", path[128];
	tmp_path(dir, path, sizeof(path));
	write_record(path, "prog A");
	ino_t first = inode(path);
	NB_CHECK(first != 0);
	write_record(path, "prog A");
	NB_CHECK(inode(path) == first);
	NB_CHECK(files_in(dir) == 1);
	/* Made, not saved. */
	nb_search_memo *m = nb_search_memo_open(path, "prog A");
	nb_search_memo_begin(m, 0, 0, 0);
	nb_search_memo_end(m);
	nb_search_memo_free(m);
	NB_CHECK(inode(path) == first && files_in(dir) == 1);
	m = nb_search_memo_open(path, "prog A");
	NB_CHECK(m->have && m->ndoc == 3);
	nb_search_memo_free(m);
	/* Another record: replaced. */
	m = nb_search_memo_open(path, "prog A");
	nb_search_memo_begin(m, 0, 0, 0);
	nb_search_memo_end(m);
	nb_search_memo_save(m);
	nb_search_memo_free(m);
	NB_CHECK(files_in(dir) == 1);
	m = nb_search_memo_open(path, "prog A");
	NB_CHECK(m->have && m->ndoc == 0 && m->ntok == 0);
	nb_search_memo_free(m);
	nb_fs_rmtree(dir);
}

NB_TEST_MAIN("searchmemo", NB_CASE(record_comes_back_as_written),
	     NB_CASE(any_damage_is_no_record), NB_CASE(garbled_with_a_good_hash_is_no_record),
	     NB_CASE(postings_round_trip_and_refuse_bad_bytes),
	     NB_CASE(every_key_found_among_many), NB_CASE(saving_replaces_whole_or_not_at_all))

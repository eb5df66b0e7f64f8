/*
 * test_search.c - the search tokenizer, shard keys and index files
 * (generator/render/search.c).
 *
 * search.js reimplements the tokenizer rules; the browser tests check the
 * two agree end to end, these pin the rules themselves. The index files
 * are written as JSON text by hand (no jansson values, for memory), and
 * published outputs must not change by a byte, so two tests hold them:
 * one against files recorded from the jansson-based writer (escaping, key
 * order, number format), one against jansson itself, which rebuilds the
 * whole index the simple way from nb_search_tokens and json_dumps and must
 * come out identical for a site big enough to have many postings per
 * token, far-apart documents and several metadata chunks.
 */
#include "harness.h"
#include "render/search.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/fs.h"

static int has(json_t *counts, const char *tok, long n)
{
	json_t *v = json_object_get(counts, tok);
	return v && json_integer_value(v) == n;
}

NB_TEST(cjk_bigrams_and_unigrams)
{
	json_t *c = json_object();
	nb_search_tokens("电动自行车，充电", c);
	NB_CHECK(has(c, "电动", 1));
	NB_CHECK(has(c, "自行", 1));
	NB_CHECK(has(c, "行车", 1));
	NB_CHECK(has(c, "充电", 1));
	NB_CHECK(has(c, "电", 2));
	NB_CHECK(has(c, "动", 1));
	NB_CHECK(has(c, "车", 1));
	NB_CHECK(!json_object_get(c, "车充"));   /* punctuation breaks runs */
	NB_CHECK(json_object_size(c) == 5 + 6);  /* bigrams + distinct characters */
	json_decref(c);
}

NB_TEST(latin_words_fold_case_and_width)
{
	json_t *c = json_object();
	nb_search_tokens("Fire SAFETY, fire! ＥＶ 2024年 Café", c);
	NB_CHECK(has(c, "fire", 2));
	NB_CHECK(has(c, "safety", 1));
	NB_CHECK(has(c, "ev", 1));
	NB_CHECK(has(c, "2024", 1));
	NB_CHECK(has(c, "年", 1));
	NB_CHECK(json_object_get(c, "café") != NULL);
	json_decref(c);
}

NB_TEST(empty_and_single)
{
	json_t *c = json_object();
	nb_search_tokens("", c);
	NB_CHECK(json_object_size(c) == 0);
	nb_search_tokens("…", c);
	NB_CHECK(json_object_size(c) == 0);
	nb_search_tokens("槐", c);
	NB_CHECK(has(c, "槐", 1));
	json_decref(c);
}

NB_TEST(long_words_are_cut)
{
	json_t *c = json_object();
	char w[200];
	memset(w, 'a', 150);
	w[150] = '\0';
	nb_search_tokens(w, c);
	NB_CHECK(json_object_size(c) == 1);
	const char *k = json_object_iter_key(json_object_iter(c));
	NB_CHECK(k && strlen(k) == 64);
	json_decref(c);
}

NB_TEST(keys_and_hash)
{
	char k[16];
	nb_search_key("电动", k, sizeof(k));
	NB_CHECK_STR(k, "电动");
	nb_search_key("safety", k, sizeof(k));
	NB_CHECK_STR(k, "saf");
	nb_search_key("ev", k, sizeof(k));
	NB_CHECK_STR(k, "ev");
	nb_search_key("x", k, sizeof(k));
	NB_CHECK_STR(k, "x");
	/* FNV-1a reference values; search.js must compute the same. */
	NB_CHECK(nb_search_hash("") == 2166136261u);
	NB_CHECK(nb_search_hash("a") == 0xe40c292cu);
}

/* ---- whole index files ---- */

/* A site of hand-made pages: just what nb_search_build reads. */
typedef struct fake_site {
	nb_site s;
	nb_theme theme;
	nb_doc *docs;
	nb_page *pages;
} fake_site;

static void fake_init(fake_site *f, size_t n)
{
	memset(f, 0, sizeof(*f));
	f->theme.strings = json_pack("{s:{s:s, s:s}}", "kinds", "meetings", "会议", "decisions",
				     "决定");
	f->docs = calloc(n ? n : 1, sizeof(nb_doc));
	f->pages = calloc(n ? n : 1, sizeof(nb_page));
	f->s.theme = &f->theme;
	f->s.pages = f->pages;
	f->s.len = n;
}

/* Page i, as its list item (what the index reads: the page's own fields
 * are a view, graph/site.h); community NULL leaves it without one. */
static void fake_page(fake_site *f, size_t i, const char *kind, const char *title,
		      const char *community, const char *date, const char *url, const char *text)
{
	f->docs[i].kind = (char *)kind;
	f->pages[i].doc = &f->docs[i];
	f->docs[i].text = (char *)text;
	json_t *p = json_object();
	/* json_stringn_nocheck: a title that is not UTF-8 must get through
	 * to the writer, which has to leave it out as json_dumps did. */
	json_object_set_new(p, "title", json_stringn_nocheck(title, strlen(title)));
	if (community)
		json_object_set_new(p, "community", json_pack("{s:s}", "title", community));
	json_object_set_new(p, "date_display", json_string(date));
	json_object_set_new(p, "url", json_string(url));
	f->pages[i].item = p;
}

static void fake_free(fake_site *f)
{
	for (size_t i = 0; i < f->s.len; i++)
		json_decref(f->pages[i].item);
	free(f->pages);
	free(f->docs);
	json_decref(f->theme.strings);
}

/* Collects the emitted files: rel -> text, and their order. */
typedef struct files {
	json_t *by_rel;
	json_t *order;
} files;

static void collect(void *ud, const char *rel, const char *data, size_t len)
{
	files *fs = ud;
	json_object_set_new(fs->by_rel, rel, json_stringn(data, len));
	json_array_append_new(fs->order, json_string(rel));
}

static const char *file(const files *fs, const char *rel)
{
	return json_string_value(json_object_get(fs->by_rel, rel));
}

static void build(const fake_site *f, files *fs)
{
	fs->by_rel = json_object();
	fs->order = json_array();
	nb_diag d;
	nb_diag_init(&d);
	nb_search_build(&f->s, collect, fs, &d);
	if (d.errors)
		abort(); /* texts held in memory cannot fail to read */
	nb_diag_free(&d);
}

static void files_free(files *fs)
{
	json_decref(fs->by_rel);
	json_decref(fs->order);
}

/*
 * Recorded from the jansson-based writer (json_dumps with JSON_COMPACT |
 * JSON_SORT_KEYS) for the site below: quotes, backslashes, the named and
 * the \u00XX control escapes, '/' and DEL left alone, CJK, Latin with
 * accents, an astral character, and a title that is not UTF-8 (left out of
 * its row, as json_string refused it).
 */
static const char *const want_index = "{\"chunk\":50,\"docs\":3,\"shards\":8,\"version\":1}";
static const char *const want_chunk =
	"[[\"Fire \\\"drill\\\" \\\\ path/to\\b\\f\177\",\"会议\",\"槐荫 \\\"东\\\"\","
	"\"2024年3月1日\",\"/meetings/a/\",\"电动车 充电 Fire safety\\u0001 "
	"\\\"quoted\\\" back\\\\slash Café 😀 line break\\u001F end "
	"\\u000B\\b\\f tail\"]"
	",[\"充电桩 FIRE\",\"决定\",\"\",\"\",\"/decisions/b/\",\"fire Fire FIRE 电动 ＥＶ\"]"
	",[\"notices\",\"x\",\"d\",\"/n/c/\"]]";
static const char *const want_shards[8] = {
	"{\"bad\":[2,21],\"break\":[0,1],\"line\":[0,1],\"充电\":[0,1,1,20],\"车\":[0,"
	"1],\"😀\":[0,1]}",
	"{\"slash\":[0,1],\"电\":[0,2,1,21]}",
	"{\"end\":[0,1],\"ev\":[1,1],\"path\":[0,20],\"动\":[0,1,1,1]}",
	"{\"桩\":[1,20]}",
	"{\"quoted\":[0,1],\"to\":[0,20]}",
	"{\"back\":[0,1],\"café\":[0,1],\"safety\":[0,1],\"tail\":[0,1],\"动车\":[0,"
	"1]}",
	"{\"drill\":[0,20],\"fire\":[0,21,1,23],\"text\":[2,1],\"title\":[2,20],"
	"\"充\":[0,1,1,20],\"电动\":[0,1,1,1]}",
	"{\"电桩\":[1,20]}",
};

static void small_site(fake_site *f)
{
	fake_init(f, 3);
	fake_page(f, 0, "meetings", "Fire \"drill\" \\ path/to\b\f\x7f", "槐荫 \"东\"",
		  "2024年3月1日", "/meetings/a/",
		  "电动车 充电 Fire\tsafety\x01 \"quoted\" back\\slash Café 😀 line\nbreak\x1f end\r\n"
		  "\x0b\x08\x0c tail");
	fake_page(f, 1, "decisions", "充电桩 FIRE", NULL, "", "/decisions/b/",
		  "fire Fire FIRE 电动 ＥＶ");
	fake_page(f, 2, "notices", "bad \xff title", "x", "d", "/n/c/", "bad \xc3\x28 text");
}

NB_TEST(files_match_recorded_output)
{
	fake_site f;
	small_site(&f);
	files fs;
	build(&f, &fs);
	if (getenv("NB_SEARCH_DUMP")) {   /* to record after an intended change */
		const char *rel;
		json_t *v;
		json_object_foreach(fs.by_rel, rel, v)
			printf("%s\n%s\n", rel, json_string_value(v));
	}
	NB_CHECK(json_array_size(fs.order) == 8 + 1 + 1);
	/* Shards, then chunks, then the manifest: the order they are emitted
	 * in is the order render.c registers them. */
	NB_CHECK_STR(json_string_value(json_array_get(fs.order, 0)), "search/t/0.json");
	NB_CHECK_STR(json_string_value(json_array_get(fs.order, 7)), "search/t/7.json");
	NB_CHECK_STR(json_string_value(json_array_get(fs.order, 8)), "search/d/0.json");
	NB_CHECK_STR(json_string_value(json_array_get(fs.order, 9)), "search/index.json");
	NB_CHECK_STR(file(&fs, "search/index.json"), want_index);
	NB_CHECK_STR(file(&fs, "search/d/0.json"), want_chunk);
	char rel[32];
	for (int i = 0; i < 8; i++) {
		snprintf(rel, sizeof(rel), "search/t/%d.json", i);
		NB_CHECK_STR(file(&fs, rel), want_shards[i]);
	}
	files_free(&fs);
	fake_free(&f);
}

NB_TEST(no_documents)
{
	fake_site f;
	fake_init(&f, 0);
	files fs;
	build(&f, &fs);
	NB_CHECK(json_array_size(fs.order) == 8 + 1 + 1);
	NB_CHECK_STR(file(&fs, "search/t/3.json"), "{}");
	NB_CHECK_STR(file(&fs, "search/d/0.json"), "[]");
	NB_CHECK_STR(file(&fs, "search/index.json"),
		     "{\"chunk\":50,\"docs\":0,\"shards\":8,\"version\":1}");
	files_free(&fs);
	fake_free(&f);
}

/* A decision's id is its document number: residents type it, or a part
 * of it, from the printed notice, and it ranks like the title (score 20). */
NB_TEST(decision_number_is_indexed)
{
	fake_site f;
	fake_init(&f, 2);
	fake_page(&f, 0, "decisions", "楼道照明", NULL, "", "/decisions/D-2025-001/", "改造");
	f.docs[0].id = (char *)"D-2025-001";
	fake_page(&f, 1, "meetings", "会议", NULL, "", "/meetings/m-2025-002/", "记录");
	f.docs[1].id = (char *)"m-2025-002";
	files fs;
	build(&f, &fs);
	nb_buf all = NB_BUF_INIT;
	for (int i = 0; i < 8; i++) {
		char rel[32];
		snprintf(rel, sizeof(rel), "search/t/%d.json", i);
		nb_buf_puts(&all, file(&fs, rel));
	}
	const char *t = nb_buf_cstr(&all);
	NB_CHECK_CONTAINS(t, "\"d\":[0,20]");
	NB_CHECK_CONTAINS(t, "\"2025\":[0,20]");
	NB_CHECK_CONTAINS(t, "\"001\":[0,20]");
	/* Only decisions have document numbers. */
	NB_CHECK(!strstr(t, "\"002\""));
	nb_buf_free(&all);
	files_free(&fs);
	fake_free(&f);
}

/* ---- the same index, the simple way, with jansson ---- */

static const char *jstr(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static char *dumps(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(v);
	return s;
}

/* The snippet rule, restated: the first 200 characters, runs of white
 * space as one space, none leading. */
static json_t *ref_snippet(const char *t)
{
	char *out = malloc(strlen(t) + 1);
	size_t n = 0, chars = 0;
	int space = 0;
	for (const unsigned char *p = (const unsigned char *)t; *p && chars < 200;) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			space = n > 0;
			p++;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = 0;
		do
			out[n++] = (char)*p++;
		while ((*p & 0xC0) == 0x80);
		chars++;
	}
	out[n] = '\0';
	json_t *v = json_string(out);
	free(out);
	return v;
}

static void check_against_jansson(nb_test_state *nb__t, const fake_site *f)
{
	files fs;
	build(f, &fs);
	json_t *idx = json_loads(file(&fs, "search/index.json"), 0, NULL);
	size_t nshards = (size_t)json_integer_value(json_object_get(idx, "shards"));
	NB_CHECK(nshards >= 8 && (nshards & (nshards - 1)) == 0);
	NB_CHECK(json_integer_value(json_object_get(idx, "docs")) == (json_int_t)f->s.len);
	json_decref(idx);

	/* token -> [doc, score, ...] */
	json_t *post = json_object();
	for (size_t i = 0; i < f->s.len; i++) {
		json_t *body = json_object(), *title = json_object();
		nb_search_tokens(f->pages[i].doc->text, body);
		nb_search_tokens(jstr(f->pages[i].item, "title"), title);
		json_t *all = json_deep_copy(body);
		json_object_update(all, title);
		const char *tok;
		json_t *v;
		json_object_foreach(all, tok, v) {
			json_int_t b = json_integer_value(json_object_get(body, tok));
			json_int_t sc = (b > 20 ? 20 : b) + (json_object_get(title, tok) ? 20 : 0);
			json_t *l = json_object_get(post, tok);
			if (!l)
				json_object_set_new(post, tok, l = json_array());
			json_array_append_new(l, json_integer((json_int_t)i));
			json_array_append_new(l, json_integer(sc));
		}
		json_decref(all);
		json_decref(body);
		json_decref(title);
	}
	json_t **shard = calloc(nshards, sizeof(json_t *));
	for (size_t k = 0; k < nshards; k++)
		shard[k] = json_object();
	const char *tok;
	json_t *v;
	json_object_foreach(post, tok, v) {
		char key[64];
		nb_search_key(tok, key, sizeof(key));
		json_object_set(shard[nb_search_hash(key) & (nshards - 1)], tok, v);
	}
	char rel[64];
	int bad = 0;
	for (size_t k = 0; k < nshards; k++) {
		char *want = dumps(shard[k]);
		snprintf(rel, sizeof(rel), "search/t/%zu.json", k);
		const char *got = file(&fs, rel);
		if (!got || strcmp(got, want))
			bad++;
		free(want);
	}
	NB_CHECK(bad == 0);
	free(shard);
	json_decref(post);

	size_t nchunks = f->s.len ? (f->s.len + 49) / 50 : 1;
	bad = 0;
	for (size_t c = 0; c < nchunks; c++) {
		json_t *chunk = json_array();
		for (size_t i = c * 50; i < f->s.len && i < c * 50 + 50; i++) {
			const nb_page *p = &f->pages[i];
			const char *label = jstr(json_object_get(f->theme.strings, "kinds"), p->doc->kind);
			json_t *d = json_array();
			json_array_append_new(d, json_string(jstr(p->item, "title")));
			json_array_append_new(d, json_string(*label ? label : p->doc->kind));
			json_array_append_new(d, json_string(jstr(json_object_get(p->item, "community"), "title")));
			json_array_append_new(d, json_string(jstr(p->item, "date_display")));
			json_array_append_new(d, json_string(jstr(p->item, "url")));
			json_array_append_new(d, ref_snippet(p->doc->text));
			json_array_append_new(chunk, d);
		}
		char *want = dumps(chunk);
		snprintf(rel, sizeof(rel), "search/d/%zu.json", c);
		const char *got = file(&fs, rel);
		if (!got || strcmp(got, want)) {
			bad++;
			fprintf(stderr, "  %s differs:\n  want %.300s\n  got  %.300s\n", rel, want,
				got ? got : "(none)");
		}
		free(want);
	}
	NB_CHECK(bad == 0);
	NB_CHECK(json_array_size(fs.order) == nshards + nchunks + 1);
	files_free(&fs);
}

NB_TEST(files_match_jansson)
{
	fake_site f;
	small_site(&f);
	check_against_jansson(NB_T, &f);
	fake_free(&f);

	/* Every ASCII character, escaped or not, in each field. */
	char ascii[128];
	for (int i = 1; i < 128; i++)
		ascii[i - 1] = (char)i;
	ascii[127] = '\0';
	fake_init(&f, 1);
	fake_page(&f, 0, "meetings", ascii, ascii, ascii, ascii, ascii);
	check_against_jansson(NB_T, &f);
	fake_free(&f);

	/* The index keys CJK tokens by number and words by string: four-byte
	 * CJK (U+20000), letters of other scripts whose UTF-8 starts like
	 * CJK's (Glagolitic U+2C30, Yi U+A000), Hangul, fullwidth forms and
	 * CJK next to words must give what the string tokenizer gives. */
	fake_init(&f, 2);
	fake_page(&f, 0, "meetings", "𠀀𠀁标题", NULL, "2024", "/a/",
		  "𠀀𠀁𠀂 ⰰⰱⰲ ꀀꀁ 한국어 ＡＢＣ１２ 槐荫abc社区 x槐 𠀀槐 槐𠀀");
	fake_page(&f, 1, "decisions", "ⰰⰱ", NULL, "2024", "/b/", "ꀀꀁ 槐荫 𠀁𠀂 한국");
	check_against_jansson(NB_T, &f);
	fake_free(&f);
}

NB_TEST(large_site_matches_jansson)
{
	/* 1,200 documents: tokens in every document (one-byte deltas), in a
	 * few far-apart ones (multi-byte), in one (kept inside the entry),
	 * body counts over the cap, titles; 24 metadata chunks; enough
	 * postings for more than the minimum number of shards. */
	enum { N = 1200 };
	static const char *const words[] = { "居民", "议事", "电动车", "充电", "楼道", "消防",
					     "维修", "基金", "物业", "绿化", "停车", "安全" };
	fake_site f;
	fake_init(&f, N);
	char **texts = calloc(N, sizeof(char *)), **titles = calloc(N, sizeof(char *));
	uint32_t r = 12345;
	for (size_t i = 0; i < N; i++) {
		size_t cap = 40000, n = 0;
		char *t = malloc(cap);
		n += (size_t)snprintf(t + n, cap - n, "doc%zu common ", i);
		if (i % 97 == 0)
			n += (size_t)snprintf(t + n, cap - n, "rare%zu sparse ", i);
		for (int k = 0; k < 600; k++) {
			r = r * 1103515245u + 12345u;
			n += (size_t)snprintf(t + n, cap - n, "%s%s", words[(r >> 16) % 12],
					      (r >> 8) % 5 ? "" : "，word ");
		}
		texts[i] = t;
		titles[i] = malloc(64);
		snprintf(titles[i], 64, "第%zu次 \"%s\" Meeting", i, words[i % 12]);
		fake_page(&f, i, i % 3 ? "meetings" : "decisions", titles[i], "槐荫社区", "2024年",
			  "/m/x/", texts[i]);
	}
	check_against_jansson(NB_T, &f);
	/* The shards made a range at a time (search.c make_shards): one
	 * shard per range, and a few per range, give the same files. */
	setenv("NB_SEARCH_RANGE_BYTES", "1", 1);
	check_against_jansson(NB_T, &f);
	setenv("NB_SEARCH_RANGE_BYTES", "20000", 1);
	check_against_jansson(NB_T, &f);
	unsetenv("NB_SEARCH_RANGE_BYTES");
	fake_free(&f);
	for (size_t i = 0; i < N; i++) {
		free(texts[i]);
		free(titles[i]);
	}
	free(texts);
	free(titles);
}

/* nb_search_inputs: what the index reads changes the digest; the rest of
 * a page's data does not. */
static nb_digest inputs_of(const char *title, const char *date, const char *url,
			   const char *text, const char *status)
{
	fake_site f;
	fake_init(&f, 2);
	fake_page(&f, 0, "meetings", title, "槐荫社区", date, url, text);
	fake_page(&f, 1, "decisions", "决定", NULL, "2024-01-02", "/d/", "正文");
	json_object_set_new(f.pages[0].item, "status", json_string(status));
	nb_diag d;
	nb_diag_init(&d);
	nb_digest out;
	if (nb_search_inputs(&f.s, &out, &d) != 0 || d.errors)
		abort(); /* texts held in memory cannot fail to read */
	nb_diag_free(&d);
	fake_free(&f);
	return out;
}

NB_TEST(inputs_digest_follows_what_the_index_reads)
{
	nb_digest a = inputs_of("会议", "2024-03-08", "/m/", "电动自行车", "open");
	NB_CHECK(nb_digest_eq(a, inputs_of("会议", "2024-03-08", "/m/", "电动自行车", "open")));
	NB_CHECK(nb_digest_eq(a, inputs_of("会议", "2024-03-08", "/m/", "电动自行车", "closed")));
	NB_CHECK(!nb_digest_eq(a, inputs_of("会议二", "2024-03-08", "/m/", "电动自行车", "open")));
	NB_CHECK(!nb_digest_eq(a, inputs_of("会议", "2024-03-09", "/m/", "电动自行车", "open")));
	NB_CHECK(!nb_digest_eq(a, inputs_of("会议", "2024-03-08", "/n/", "电动自行车", "open")));
	NB_CHECK(!nb_digest_eq(a, inputs_of("会议", "2024-03-08", "/m/", "电动自行", "open")));
}

/* ---- merged per document (nb_search_build_memo) ---- */

/* The page memo's part, simulated: a file of the last build is put again
 * when the digest asked for is that of its bytes. */
typedef struct prior {
	files *out;
	const files *last;
} prior;

static void emit_to(void *ud, const char *rel, const char *data, size_t len)
{
	collect(((prior *)ud)->out, rel, data, len);
}

static int reuse_last(void *ud, const char *rel, nb_digest key, size_t *size)
{
	prior *p = ud;
	const char *bytes = file(p->last, rel);
	if (!bytes || !nb_digest_eq(nb_search_file_key(bytes, strlen(bytes)), key))
		return 0;
	collect(p->out, rel, bytes, strlen(bytes));
	*size = strlen(bytes);
	return 1;
}

/* Build with the memo at `path` (then saved), putting `last`'s files
 * when asked (NULL: none). */
static nb_search_stats build_memo(const fake_site *f, const char *path, const char *program,
				  const files *last, files *fs)
{
	fs->by_rel = json_object();
	fs->order = json_array();
	prior p = { fs, last };
	nb_search_memo *m = nb_search_memo_open(path, program);
	nb_search_stats st;
	nb_diag d;
	nb_diag_init(&d);
	nb_search_build_memo(&f->s, m, emit_to, last ? reuse_last : NULL, &p, &st, &d);
	if (d.errors)
		abort();
	nb_diag_free(&d);
	nb_search_memo_save(m);
	nb_search_memo_free(m);
	return st;
}

/* Exactly the files a build without any memo makes. */
static void check_fresh(nb_test_state *nb__t, const fake_site *f, const files *fs)
{
	files want;
	build(f, &want);
	NB_CHECK(json_equal(want.by_rel, fs->by_rel));
	NB_CHECK(json_array_size(want.order) == json_array_size(fs->order));
	files_free(&want);
}

/* Pages 0..n-1 of a site big enough for several chunks and shards; text
 * `k` of page i is its own (edits change one page). */
typedef struct gen_site {
	fake_site f;
	char *text[200], *title[200], *url[200];
} gen_site;

static void gen_init(gen_site *g, size_t n, const size_t *order)
{
	static const char *const words[] = { "居民", "议事", "电动车", "充电", "楼道",
					     "消防", "维修", "基金", "storage", "garden" };
	fake_init(&g->f, n);
	for (size_t k = 0; k < n; k++) {
		size_t i = order ? order[k] : k;
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "doc%zu ", i);
		for (size_t w = 0; w < 30; w++)
			nb_buf_printf(&b, "%s%s", words[(i * 7 + w * 3) % 10], w % 4 ? "" : " ");
		g->text[k] = strdup(nb_buf_cstr(&b));
		nb_buf_clear(&b);
		nb_buf_printf(&b, "第%zu次会议", i);
		g->title[k] = strdup(nb_buf_cstr(&b));
		nb_buf_clear(&b);
		nb_buf_printf(&b, "/meetings/m%zu/", i);
		g->url[k] = strdup(nb_buf_cstr(&b));
		nb_buf_free(&b);
		fake_page(&g->f, k, i % 5 ? "meetings" : "decisions", g->title[k], "槐荫社区",
			  "2024年", g->url[k], g->text[k]);
	}
}

static void gen_free(gen_site *g)
{
	for (size_t k = 0; k < g->f.s.len; k++) {
		free(g->text[k]);
		free(g->title[k]);
		free(g->url[k]);
	}
	fake_free(&g->f);
}

/* Page k's text with `more` after it; the text it had is returned, for
 * the caller to put back. */
static char *append_text(gen_site *g, size_t k, const char *more)
{
	char *was = g->text[k];
	nb_buf grown = NB_BUF_INIT;
	nb_buf_printf(&grown, "%s %s", was, more);
	g->text[k] = strdup(nb_buf_cstr(&grown));
	nb_buf_free(&grown);
	g->f.docs[k].text = g->text[k];
	return was;
}

static char *memo_path(char *dir)
{
	if (!mkdtemp(dir))
		abort();
	return nb_path_join(dir, "search");
}

/* The folder must be empty but for the record: the scratch files of
 * the made pages' parts (search.c spill) are gone with the build. */
static void memo_cleanup(nb_test_state *nb__t, char *dir, char *path)
{
	unlink(path);
	free(path);
	NB_CHECK(rmdir(dir) == 0);
}

/* Every kind of edit: the merged index is the index made from scratch,
 * and only the pages whose key changed are tokenized again. */
NB_TEST(memo_merge_equals_fresh_build)
{
	char dir[] = "/tmp/test_search_XXXXXX";
	char *path = memo_path(dir);
	gen_site g;
	files last, now;
	gen_init(&g, 120, NULL);
	nb_search_stats st = build_memo(&g.f, path, "p1", NULL, &last);
	check_fresh(NB_T, &g.f, &last);
	NB_CHECK(st.tokenized == 120 && st.shards_made == st.shards && st.chunks == 3);

	/* Nothing changed: nothing tokenized, every file put again. */
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 0 && st.shards_made == 0 && st.chunks_made == 0);
	files_free(&now);

	/* A word appended to one page's text: that page alone is tokenized,
	 * the shard of that word and its chunk made. */
	char *was = append_text(&g, 70, "appended");
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 1 && st.chunks_made == 1 && st.shards_made == 1);
	files_free(&last);
	last = now;

	/* Back as it was: the recorded keys have moved on, the output not. */
	free(g.text[70]);
	g.text[70] = was;
	g.f.docs[70].text = was;
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 1);
	files_free(&last);
	last = now;

	/* A word the page has once more: only its score changes. */
	was = append_text(&g, 20, "doc20");
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 1 && st.shards_made == 1);
	free(g.text[20]);
	g.text[20] = was;
	g.f.docs[20].text = was;
	files_free(&last);
	last = now;
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	files_free(&last);
	last = now;

	/* Front matter the index does not read: nothing tokenized. */
	json_object_set_new(g.f.pages[3].item, "status", json_string("closed"));
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 0 && st.shards_made == 0);
	files_free(&now);

	/* A title, a date, a decision's number: each is the page's key. */
	json_object_set_new(g.f.pages[4].item, "title", json_string("改名"));
	json_object_set_new(g.f.pages[6].item, "date_display", json_string("2025年"));
	g.f.docs[10].id = (char *)"D-2024-010";
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 3);
	files_free(&last);
	last = now;
	gen_free(&g);

	/* Pages added, removed, reordered: recorded pages keep their
	 * postings, the numbering is new. */
	size_t order[121];
	for (size_t k = 0; k < 121; k++)
		order[k] = k;
	gen_init(&g, 121, order);
	json_object_set_new(g.f.pages[4].item, "title", json_string("改名"));
	json_object_set_new(g.f.pages[6].item, "date_display", json_string("2025年"));
	g.f.docs[10].id = (char *)"D-2024-010";
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 1);
	files_free(&last);
	last = now;
	gen_free(&g);
	order[5] = 90;   /* two pages swapped: as many pages, other numbers */
	order[90] = 5;
	gen_init(&g, 121, order);
	json_object_set_new(g.f.pages[4].item, "title", json_string("改名"));
	json_object_set_new(g.f.pages[6].item, "date_display", json_string("2025年"));
	g.f.docs[10].id = (char *)"D-2024-010";
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 0);
	files_free(&last);
	last = now;
	gen_free(&g);
	for (size_t k = 0; k < 119; k++)
		order[k] = k < 50 ? 119 - k : k - 50 + (k >= 80);
	gen_init(&g, 119, order);
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 3); /* the three edited pages are as generated again */
	files_free(&last);
	gen_free(&g);
	files_free(&now);
	memo_cleanup(NB_T, dir, path);
}

/* The same edits with the shards made one per range, and with the
 * scratch files in memory (a memo folder that cannot be made): the
 * output does not depend on where the made pages' parts wait. */
NB_TEST(memo_merge_in_ranges_and_in_memory)
{
	char dir[] = "/tmp/test_search_XXXXXX";
	char *path = memo_path(dir);
	gen_site g;
	files last, now;
	setenv("NB_SEARCH_RANGE_BYTES", "1", 1);
	gen_init(&g, 120, NULL);
	nb_search_stats st = build_memo(&g.f, path, "p1", NULL, &last);
	check_fresh(NB_T, &g.f, &last);
	char *was = append_text(&g, 70, "appended doc3");
	st = build_memo(&g.f, path, "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 1 && st.shards_made >= 1 && st.shards_made <= 2);
	files_free(&now);
	/* No folder for the scratch files (nor the record). */
	st = build_memo(&g.f, "/dev/null/nowhere/search", "p1", &last, &now);
	check_fresh(NB_T, &g.f, &now);
	NB_CHECK(st.tokenized == 120);
	unsetenv("NB_SEARCH_RANGE_BYTES");
	free(g.text[70]);
	g.text[70] = was;
	files_free(&last);
	files_free(&now);
	gen_free(&g);
	memo_cleanup(NB_T, dir, path);
}

/* A record that is short, garbled or another program's is no record:
 * everything is tokenized, and the output is the same. */
NB_TEST(memo_damage_is_a_miss)
{
	char dir[] = "/tmp/test_search_XXXXXX";
	char *path = memo_path(dir);
	gen_site g;
	files fs, again;
	gen_init(&g, 60, NULL);
	build_memo(&g.f, path, "p1", NULL, &fs);
	nb_search_stats st = build_memo(&g.f, path, "p2", &fs, &again);
	NB_CHECK(st.tokenized == 60);
	check_fresh(NB_T, &g.f, &again);
	files_free(&again);
	char *data;
	size_t len;
	NB_CHECK(nb_fs_read(path, SIZE_MAX, &data, &len) == 0 && len > 100);
	for (int damage = 0; damage < 3; damage++) {
		char *bad = malloc(len);
		memcpy(bad, data, len);
		size_t n = len;
		if (damage == 0)
			n = len / 2;              /* cut short */
		else if (damage == 1)
			bad[len / 2] ^= 0x40;     /* one byte changed */
		else
			memset(bad + 40, 0xff, 8); /* counts garbled */
		NB_CHECK(nb_fs_write(path, bad, n) == 0);
		free(bad);
		st = build_memo(&g.f, path, "p2", &fs, &again);
		NB_CHECK(st.tokenized == 60);
		check_fresh(NB_T, &g.f, &again);
		files_free(&again);
		/* Rewritten whole: usable again. */
		st = build_memo(&g.f, path, "p2", &fs, &again);
		NB_CHECK(st.tokenized == 0);
		files_free(&again);
	}
	free(data);
	files_free(&fs);
	gen_free(&g);
	memo_cleanup(NB_T, dir, path);
}

NB_TEST_MAIN("search", NB_CASE(cjk_bigrams_and_unigrams), NB_CASE(latin_words_fold_case_and_width),
	     NB_CASE(empty_and_single), NB_CASE(long_words_are_cut), NB_CASE(keys_and_hash),
	     NB_CASE(files_match_recorded_output), NB_CASE(no_documents), NB_CASE(decision_number_is_indexed),
	     NB_CASE(files_match_jansson), NB_CASE(large_site_matches_jansson),
	     NB_CASE(inputs_digest_follows_what_the_index_reads),
	     NB_CASE(memo_merge_equals_fresh_build), NB_CASE(memo_merge_in_ranges_and_in_memory),
	     NB_CASE(memo_damage_is_a_miss))

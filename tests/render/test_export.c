/*
 * test_export.c - the open-data export (data/popolo.json, decisions.csv).
 *
 * popolo.json was first published as jansson's json_dumps(JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) of a tree; it is now streamed by nb_jw, and
 * consumers that diff publications must not see a byte move. So the
 * writer is held to json_dumps itself: on hostile strings (quotes,
 * backslashes, every control character, '/', DEL, U+2028, CJK, emoji), on
 * empty and nested containers, and on random trees. The export as a whole
 * is held to it too: its output, parsed and dumped again by jansson, must
 * come back byte for byte, and the records must carry the mapping the
 * Popolo schema and the README describe.
 */
#include "harness.h"

#include <limits.h>
#include <stdint.h>

#include "render/export.h"

static const char *const hostile[] = {
	"",
	"plain",
	"say \"hi\"",
	"back\\slash\\",
	"\\\"",
	"\b\f\n\r\t",
	"\x01\x02\x03\x04\x05\x06\x07\x0b\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
	"\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f",
	"del\x7f",
	"</script><!-- a/b //",
	"社区自治协调委员会（槐荫）",
	"emoji 😀 family 👨‍👩‍👧 flag 🇨🇳",
	"line\xE2\x80\xA8sep\xE2\x80\xA9para",
	"\xEF\xBB\xBF" "bom",
	"\xF4\x8F\xBF\xBF max",
	"mixed \"引号\"\n\t\\ 😀 \x1f end",
};
#define N_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* Feed a jansson tree through the writer, in its own key order. */
static void walk(nb_jw *w, json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		nb_jw_object(w);
		json_object_foreach(v, k, x) {
			nb_jw_key(w, k);
			walk(w, x);
		}
		nb_jw_close(w);
		break;
	case JSON_ARRAY:
		nb_jw_array(w);
		json_array_foreach(v, i, x)
			walk(w, x);
		nb_jw_close(w);
		break;
	case JSON_STRING:
		nb_jw_stringn(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		nb_jw_integer(w, json_integer_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		nb_jw_bool(w, json_is_true(v));
		break;
	default:
		nb_jw_null(w);
		break;
	}
}

/* 1 when the writer's text for `v` is json_dumps's; prints both if not. */
static int same_as_dumps(json_t *v)
{
	char *want = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	nb_buf b = NB_BUF_INIT;
	nb_jw w;
	nb_jw_init(&w, &b);
	walk(&w, v);
	int ok = want && w.depth == 0 && !strcmp(nb_buf_cstr(&b), want);
	if (!ok)
		fprintf(stderr, "  json_dumps:\n%s\n  nb_jw:\n%s\n", want ? want : "(null)",
			nb_buf_cstr(&b));
	free(want);
	nb_buf_free(&b);
	return ok;
}

NB_TEST(writer_escapes_like_jansson)
{
	json_t *root = json_object(), *arr = json_array();
	for (size_t i = 0; i < N_HOSTILE; i++) {
		json_t *s = json_string(hostile[i]);
		NB_CHECK(s != NULL);   /* all valid UTF-8 */
		json_array_append_new(arr, s);
		json_object_set_new(root, hostile[i], json_string(hostile[i]));
	}
	json_object_set_new(root, "all", arr);
	NB_CHECK(same_as_dumps(root));
	json_decref(root);

	/* Every byte that can start a string on its own, one at a time. */
	for (int c = 1; c < 0x80; c++) {
		char s[2] = { (char)c, 0 };
		json_t *v = json_pack("[s]", s);
		NB_CHECK(same_as_dumps(v));
		json_decref(v);
	}
}

NB_TEST(writer_escapes_exact_text)
{
	/* Spelled out, so a change in jansson cannot move both sides at once. */
	nb_buf b = NB_BUF_INIT;
	nb_jw w;
	nb_jw_init(&w, &b);
	nb_jw_array(&w);
	nb_jw_string(&w, "\"\\/\b\f\n\r\t\x01\x1f\x7f");
	nb_jw_string(&w, "社区😀");
	nb_jw_close(&w);
	NB_CHECK_STR(nb_buf_cstr(&b),
		     "[\n  \"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001F\x7f\",\n  \"社区😀\"\n]");
	nb_buf_free(&b);
}

NB_TEST(writer_layout_like_jansson)
{
	json_t *v = json_pack(
		"{s:{}, s:[], s:[[], {}, [[]], {s:[]}], s:{s:{s:{s:[i, i, i]}}},"
		" s:n, s:b, s:b, s:I, s:I, s:[s, n, {s:s}]}",
		"empty_object", "empty_array", "nested", "k",
		"deep", "a", "b", "c", 0, -1, 42,
		"null", "true", 1, "false", 0,
		"max", (json_int_t)LLONG_MAX, "min", (json_int_t)LLONG_MIN,
		"mixed", "x", "y", "z");
	NB_CHECK(v != NULL);
	NB_CHECK(same_as_dumps(v));
	json_decref(v);
	json_t *e = json_array();
	NB_CHECK(same_as_dumps(e));
	json_decref(e);
	e = json_object();
	NB_CHECK(same_as_dumps(e));
	json_decref(e);
}

/* xorshift; the state is the caller's. */
static uint32_t rnd(uint32_t *st)
{
	uint32_t x = *st;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *st = x;
}

static json_t *random_string(uint32_t *st)
{
	static const uint32_t pick[] = { 0x22, 0x5C, 0x2F, 0x0A, 0x1F, 0x7F, 0xE9,
					 0x2028, 0x4E2D, 0xFF0C, 0xFEFF, 0x1F600,
					 0x10FFFF };
	char buf[256];
	size_t len = 0, n = rnd(st) % 12;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = rnd(st) % 3 ? 1 + rnd(st) % 0x7F
					  : pick[rnd(st) % (sizeof(pick) / sizeof(pick[0]))];
		if (cp < 0x80) {
			buf[len++] = (char)cp;
		} else if (cp < 0x800) {
			buf[len++] = (char)(0xC0 | cp >> 6);
			buf[len++] = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			buf[len++] = (char)(0xE0 | cp >> 12);
			buf[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			buf[len++] = (char)(0x80 | (cp & 0x3F));
		} else {
			buf[len++] = (char)(0xF0 | cp >> 18);
			buf[len++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			buf[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			buf[len++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	buf[len] = 0;
	return json_string(buf);
}

static json_t *random_tree(uint32_t *st, int depth)
{
	switch (rnd(st) % (depth > 4 ? 4 : 6)) {
	case 0: return random_string(st);
	case 1: return json_integer((json_int_t)(int32_t)rnd(st));
	case 2: return rnd(st) % 3 ? json_boolean(rnd(st) % 2) : json_null();
	case 3: return random_string(st);
	case 4: {
		json_t *a = json_array();
		for (size_t n = rnd(st) % 4; n; n--)
			json_array_append_new(a, random_tree(st, depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (size_t n = rnd(st) % 4; n; n--) {
			json_t *k = random_string(st);
			json_object_set_new(o, json_string_value(k), random_tree(st, depth + 1));
			json_decref(k);
		}
		return o;
	}
	}
}

NB_TEST(writer_matches_dumps_on_random_trees)
{
	uint32_t st = 2463534242u;
	int bad = 0;
	for (int i = 0; i < 400 && bad < 3; i++) {
		json_t *v = rnd(&st) % 2 ? json_array() : json_object();
		for (size_t n = 1 + rnd(&st) % 5; n; n--) {
			json_t *x = random_tree(&st, 1);
			if (json_is_array(v))
				json_array_append_new(v, x);
			else {
				char k[16];
				snprintf(k, sizeof(k), "k%zu", n);
				json_object_set_new(v, k, x);
			}
		}
		if (!same_as_dumps(v))
			bad++;
		json_decref(v);
	}
	NB_CHECK(bad == 0);
}

/* ---- the export over a small site ---- */

#define MAX_PAGES 16

typedef struct fake_site {
	nb_config cfg;
	nb_doc docs[MAX_PAGES];
	nb_page pages[MAX_PAGES];
	nb_site s;
} fake_site;

static void add(fake_site *f, const char *kind, const char *id, int draft,
		json_t *meta, json_t *page)
{
	size_t i = f->s.len++;
	f->docs[i].kind = (char *)kind;
	f->docs[i].id = (char *)id;
	f->docs[i].draft = draft;
	f->docs[i].meta = meta;
	f->pages[i].doc = &f->docs[i];
	f->pages[i].page = page;
}

static void fake_init(fake_site *f, const char *language, const char *title)
{
	memset(f, 0, sizeof(*f));
	f->cfg.title = (char *)title;
	f->cfg.base_url = (char *)"https://example.org/a/";
	f->cfg.language = (char *)language;
	f->s.cfg = &f->cfg;
	f->s.pages = f->pages;
}

static void fake_free(fake_site *f)
{
	for (size_t i = 0; i < f->s.len; i++) {
		json_decref(f->docs[i].meta);
		json_decref(f->pages[i].page);
	}
}

/* A site with the shapes the mapping branches on, and hostile text. */
static void fake_committees(fake_site *f, const char *hostile_text)
{
	add(f, "communities", "huaiyin", 0,
	    json_pack("{s:s, s:s, s:[{s:s, s:s, s:b}, {s:s, s:s, s:s}, {s:s, s:s},"
		      " {s:s}, {s:s}, {s:i}]}",
		      "street", "兴福街道", "type", "residential", "committee",
		      "name", "王芳", "role", "主任", "chair", 1,
		      "name", "李\"明\"", "role", "委员", "affiliation", hostile_text,
		      "name", "赵强", "affiliation", "物业公司",
		      "name", "王芳",
		      "name", hostile_text,
		      "role", 3),
	    json_pack("{s:s, s:s}", "title", "槐荫", "permalink",
		      "https://example.org/a/communities/huaiyin/"));
	add(f, "communities", "jinhui", 0,
	    json_pack("{s:s, s:[{s:s}]}", "street", "兴福街道", "committee", "name", "王芳"),
	    json_pack("{s:s}", "title", hostile_text));
	add(f, "communities", "nostreet", 0, json_pack("{}"), json_pack("{s:s}", "title", "无街道"));
	add(f, "communities", "secret", 1, json_pack("{s:s}", "street", "草稿街道"),
	    json_pack("{s:s}", "title", "草稿"));
}

static void fake_records(fake_site *f, const char *hostile_text)
{
	add(f, "meetings", "m-late", 0,
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "date", "2024-06-01",
		      "start", "19:00", "end", "21:30", "kind", "plenary",
		      "location", hostile_text, "community", "huaiyin", "status", "held"),
	    json_pack("{s:s, s:s}", "title", hostile_text, "permalink", "https://example.org/a/m/"));
	add(f, "meetings", "m-early", 0,
	    json_pack("{s:s, s:s}", "date", "2024-03-08", "start", "9"),
	    json_pack("{s:s}", "title", "早"));
	add(f, "meetings", "m-nodate", 0, json_pack("{s:s}", "end", "10:00"),
	    json_pack("{s:s}", "title", "无日期"));
	add(f, "decisions", "d-2", 0,
	    json_pack("{s:s, s:s, s:s, s:s, s:{s:i, s:i, s:i}, s:s, s:s}",
		      "community", "huaiyin", "meeting", "m-late", "date", "2024-06-01",
		      "category", "budget", "votes", "for", 7, "against", 1, "abstain", 0,
		      "responsible", "王芳, \"主任\"", "due", "2024-07-01"),
	    json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", hostile_text, "rule", "majority",
		      "result", "passed", "status", "done", "permalink", "https://example.org/a/d2/"));
	add(f, "decisions", "d-1", 0,
	    json_pack("{s:s, s:{s:s}}", "date", "2024-03-08", "votes", "for", "many"),
	    json_pack("{s:s}", "title", "无结果"));
	add(f, "decisions", "d-novotes", 0, json_pack("{s:s}", "date", "2024-05-01"),
	    json_pack("{s:s}", "title", "无表决"));
	add(f, "decisions", "d-draft", 1, json_pack("{s:s}", "date", "2024-01-01"),
	    json_pack("{s:s}", "title", "草稿决定"));
}

static json_t *export_json(const nb_site *s, nb_buf *text)
{
	nb_export_popolo(s, text);
	json_error_t err;
	json_t *v = json_loads(nb_buf_cstr(text), 0, &err);
	if (!v)
		fprintf(stderr, "  popolo.json does not parse: %s at %d:%d\n", err.text,
			err.line, err.column);
	return v;
}

static const char *at(json_t *root, const char *list, size_t i, const char *key)
{
	json_t *v = json_object_get(json_array_get(json_object_get(root, list), i), key);
	return json_is_string(v) ? json_string_value(v) : json_is_null(v) ? "(json null)" : NULL;
}

NB_TEST(export_is_jansson_layout_for_hostile_text)
{
	for (size_t h = 0; h < N_HOSTILE; h++) {
		fake_site f;
		fake_init(&f, h % 2 ? "en" : "zh-CN", hostile[h]);
		fake_committees(&f, hostile[h]);
		fake_records(&f, hostile[h]);
		nb_buf text = NB_BUF_INIT;
		json_t *root = export_json(&f.s, &text);
		NB_CHECK(root != NULL);
		if (root) {
			char *again = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			nb_buf want = NB_BUF_INIT;
			nb_buf_puts(&want, again);
			nb_buf_putc(&want, '\n');
			NB_CHECK_STR(nb_buf_cstr(&text), nb_buf_cstr(&want));
			NB_CHECK_STR(json_string_value(json_object_get(
					     json_object_get(root, "meta"), "title")), hostile[h]);
			NB_CHECK_STR(at(root, "events", 2, "location"), hostile[h]);
			NB_CHECK_STR(at(root, "motions", 2, "text"), hostile[h]);
			free(again);
			nb_buf_free(&want);
			json_decref(root);
		}
		nb_buf_free(&text);
		fake_free(&f);
	}
}

NB_TEST(export_records_follow_the_mapping)
{
	fake_site f;
	fake_init(&f, "zh-CN", "社区公示");
	fake_committees(&f, "居委会");
	fake_records(&f, "议题");
	nb_buf text = NB_BUF_INIT;
	json_t *root = export_json(&f.s, &text);
	NB_CHECK(root != NULL);
	if (!root) {
		nb_buf_free(&text);
		fake_free(&f);
		return;
	}
	/* Top-level order is part of the published layout. */
	const char *keys[] = { "meta", "organizations", "persons", "memberships",
			       "events", "motions", "vote_events" };
	size_t i = 0;
	const char *k;
	json_t *x;
	json_object_foreach(root, k, x)
		NB_CHECK_STR(k, i < 7 ? keys[i++] : "(extra key)");
	NB_CHECK(i == 7);
	NB_CHECK_CONTAINS(nb_buf_cstr(&text), "{\n  \"meta\": {\n    \"title\": \"社区公示\",\n");

	/* One street (drafts left out), then the committees in page order. */
	NB_CHECK(json_array_size(json_object_get(root, "organizations")) == 4);
	NB_CHECK_STR(at(root, "organizations", 0, "id"), "street/兴福街道");
	NB_CHECK_STR(at(root, "organizations", 1, "id"), "committee/huaiyin");
	NB_CHECK_STR(at(root, "organizations", 1, "name"), "槐荫自治协调委员会");
	NB_CHECK_STR(at(root, "organizations", 1, "parent_id"), "street/兴福街道");
	NB_CHECK_STR(at(root, "organizations", 1, "url"), "https://example.org/a/communities/huaiyin/");
	NB_CHECK_STR(at(root, "organizations", 3, "id"), "committee/nostreet");
	NB_CHECK(at(root, "organizations", 3, "parent_id") == NULL);

	/* A name seated twice is one person; numbering is per community. */
	NB_CHECK(json_array_size(json_object_get(root, "persons")) == 5);
	NB_CHECK_STR(at(root, "persons", 0, "id"), "person/huaiyin/1");
	NB_CHECK_STR(at(root, "persons", 3, "name"), "居委会");
	NB_CHECK_STR(at(root, "persons", 4, "id"), "person/jinhui/1");
	NB_CHECK(json_array_size(json_object_get(root, "memberships")) == 6);
	NB_CHECK_STR(at(root, "memberships", 0, "label"), "主任");
	NB_CHECK(json_is_true(json_object_get(json_array_get(
		json_object_get(root, "memberships"), 0), "chair")));
	NB_CHECK_STR(at(root, "memberships", 1, "label"), "委员（居委会）");
	NB_CHECK_STR(at(root, "memberships", 2, "role"), "委员");
	NB_CHECK_STR(at(root, "memberships", 2, "label"), "物业公司");
	NB_CHECK_STR(at(root, "memberships", 3, "id"), "membership/huaiyin/4");
	NB_CHECK_STR(at(root, "memberships", 3, "person_id"), "person/huaiyin/1");
	NB_CHECK(at(root, "memberships", 3, "label") == NULL);

	/* Oldest first; times in China; null where nothing is known. */
	NB_CHECK_STR(at(root, "events", 0, "id"), "m-nodate");
	NB_CHECK_STR(at(root, "events", 0, "start_date"), "(json null)");
	NB_CHECK_STR(at(root, "events", 0, "end_date"), "(json null)");
	NB_CHECK_STR(at(root, "events", 0, "organization_id"), "(json null)");
	NB_CHECK_STR(at(root, "events", 1, "start_date"), "2024-03-08");
	NB_CHECK_STR(at(root, "events", 2, "start_date"), "2024-06-01T19:00:00+08:00");
	NB_CHECK_STR(at(root, "events", 2, "end_date"), "2024-06-01T21:30:00+08:00");
	NB_CHECK_STR(at(root, "events", 2, "organization_id"), "committee/huaiyin");

	NB_CHECK(json_array_size(json_object_get(root, "motions")) == 3);
	NB_CHECK_STR(at(root, "motions", 0, "id"), "d-1");
	NB_CHECK_STR(at(root, "motions", 0, "result"), "(json null)");
	NB_CHECK_STR(at(root, "motions", 2, "requirement"), "majority");
	NB_CHECK(json_array_size(json_object_get(root, "vote_events")) == 2);
	NB_CHECK_STR(at(root, "vote_events", 1, "id"), "vote/d-2");
	json_t *counts = json_object_get(json_array_get(json_object_get(root, "vote_events"), 1),
					 "counts");
	NB_CHECK(json_integer_value(json_object_get(json_array_get(counts, 0), "value")) == 7);
	NB_CHECK(json_integer_value(json_object_get(json_array_get(counts, 1), "value")) == 1);
	/* A count that is not a number is 0, not left out. */
	counts = json_object_get(json_array_get(json_object_get(root, "vote_events"), 0), "counts");
	NB_CHECK(json_integer_value(json_object_get(json_array_get(counts, 0), "value")) == 0);

	json_decref(root);
	nb_buf_free(&text);
	fake_free(&f);
}

NB_TEST(export_in_english)
{
	fake_site f;
	fake_init(&f, "en", "Notices");
	fake_committees(&f, "Residents");
	nb_buf text = NB_BUF_INIT;
	json_t *root = export_json(&f.s, &text);
	NB_CHECK_STR(at(root, "organizations", 1, "name"), "槐荫 self-governance committee");
	NB_CHECK_STR(at(root, "memberships", 1, "label"), "委员 (Residents)");
	NB_CHECK_STR(at(root, "memberships", 3, "role"), "member");
	json_decref(root);
	nb_buf_free(&text);
	fake_free(&f);
}

NB_TEST(export_leaves_out_what_jansson_would_refuse)
{
	/* json_string() refuses text that is not UTF-8 and the tree version
	 * dropped the key; the file must stay valid JSON either way. */
	fake_site f;
	fake_init(&f, "zh-CN", "bad \xff title");
	add(&f, "meetings", "m", 0, json_pack("{s:s}", "date", "2024-01-02"),
	    json_pack("{s:o}", "title", json_string_nocheck("bad \xc0\xaf")));
	nb_buf text = NB_BUF_INIT;
	json_t *root = export_json(&f.s, &text);
	NB_CHECK(root != NULL);
	NB_CHECK(json_object_get(json_object_get(root, "meta"), "title") == NULL);
	NB_CHECK_STR(at(root, "events", 0, "id"), "m");
	NB_CHECK(at(root, "events", 0, "name") == NULL);
	NB_CHECK_STR(at(root, "events", 0, "start_date"), "2024-01-02");
	json_decref(root);
	nb_buf_free(&text);
	fake_free(&f);
}

NB_TEST(export_empty_site)
{
	fake_site f;
	fake_init(&f, "zh-CN", "空");
	nb_buf text = NB_BUF_INIT;
	nb_export_popolo(&f.s, &text);
	NB_CHECK_STR(nb_buf_cstr(&text),
		     "{\n  \"meta\": {\n    \"title\": \"空\",\n"
		     "    \"base_url\": \"https://example.org/a/\",\n"
		     "    \"language\": \"zh-CN\",\n    \"generator\": \"noticeboard\",\n"
		     "    \"format\": \"popolo\"\n  },\n  \"organizations\": [],\n"
		     "  \"persons\": [],\n  \"memberships\": [],\n  \"events\": [],\n"
		     "  \"motions\": [],\n  \"vote_events\": []\n}\n");
	nb_buf_free(&text);
}

NB_TEST(csv_quotes_only_what_it_must)
{
	fake_site f;
	fake_init(&f, "zh-CN", "t");
	fake_records(&f, "a,b \"c\"\r\nd");
	nb_buf b = NB_BUF_INIT;
	nb_export_csv(&f.s, &b);
	const char *s = nb_buf_cstr(&b);
	const char *head = "\xEF\xBB\xBF" "id,title,community,meeting,date,category,rule,"
			   "for,against,abstain,result,status,responsible,due,url\r\n";
	NB_CHECK(!strncmp(s, head, strlen(head)));
	NB_CHECK_CONTAINS(s, "\r\nd-1,无结果,,,2024-03-08,,,,,,,,,,\r\n");
	NB_CHECK_CONTAINS(s, "\r\nd-2,\"a,b \"\"c\"\"\r\nd\",huaiyin,m-late,2024-06-01,budget,"
			     "majority,7,1,0,passed,done,\"王芳, \"\"主任\"\"\",2024-07-01,"
			     "https://example.org/a/d2/\r\n");
	NB_CHECK(!strstr(s, "d-draft"));
	nb_buf_free(&b);
	fake_free(&f);
}

NB_TEST_MAIN("export",
	     NB_CASE(writer_escapes_like_jansson),
	     NB_CASE(writer_escapes_exact_text),
	     NB_CASE(writer_layout_like_jansson),
	     NB_CASE(writer_matches_dumps_on_random_trees),
	     NB_CASE(export_is_jansson_layout_for_hostile_text),
	     NB_CASE(export_records_follow_the_mapping),
	     NB_CASE(export_in_english),
	     NB_CASE(export_leaves_out_what_jansson_would_refuse),
	     NB_CASE(export_empty_site),
	     NB_CASE(csv_quotes_only_what_it_must))

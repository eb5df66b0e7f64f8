/*
 * test_export.c - the open-data export (data/popolo.json, decisions.csv).
 *
 * popolo.json was first published as jansson's json_dumps(JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) of a tree; it is now streamed by the JSON writer
 * (output/json.h, held to json_dumps in tests/output/test_json.c), and
 * consumers that diff publications must not see a byte move. The export
 * as a whole is held to it: its output, parsed and dumped again by
 * jansson, must come back byte for byte, and the records must carry the
 * mapping the Popolo schema and the README describe. The build writes
 * both files in pieces as they are made (export.h); the checks read them
 * made a value at a time, and hold pieces of every size to the whole.
 */
#include "harness.h"
#include "hostile_text.h"

#include "render/export.h"
#include "load/meta.h"


/* ---- the export over a small site ---- */

#define MAX_PAGES 16

typedef struct fake_site {
	nb_config cfg;
	nb_doc docs[MAX_PAGES];
	nb_page pages[MAX_PAGES];
	nb_site s;
} fake_site;

/* A page of its front matter and its list item, which is all the exports
 * read of it (its `page` is a view made when rendering, graph/site.h; its
 * address is base_url/kind/id/): the title, and a decision's result and
 * status; a meeting's status, as linking gives it to a past one. */
static void add(fake_site *f, const char *kind, const char *id, int draft,
		json_t *meta, json_t *item)
{
	size_t i = f->s.len++;
	f->docs[i].kind = (char *)kind;
	f->docs[i].id = (char *)id;
	f->docs[i].draft = draft;
	nb_doc_meta_set(&f->docs[i], meta);
	f->pages[i].doc = &f->docs[i];
	f->pages[i].item = item;
	if (!strcmp(kind, "meetings") && json_object_get(meta, "status"))
		json_object_set(item, "status", json_object_get(meta, "status"));
	json_decref(meta);
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
		nb_doc_meta_free(&f->docs[i]);
		json_decref(f->pages[i].item);
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
	    json_pack("{s:s}", "title", "槐荫"));
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
	    json_pack("{s:s}", "title", hostile_text));
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
	    json_pack("{s:s, s:s, s:s}", "title", hostile_text, "result", "passed", "status",
		      "done"));
	add(f, "decisions", "d-1", 0,
	    json_pack("{s:s, s:{s:s}}", "date", "2024-03-08", "votes", "for", "many"),
	    json_pack("{s:s}", "title", "无结果"));
	add(f, "decisions", "d-novotes", 0, json_pack("{s:s}", "date", "2024-05-01"),
	    json_pack("{s:s}", "title", "无表决"));
	add(f, "decisions", "d-draft", 1, json_pack("{s:s}", "date", "2024-01-01"),
	    json_pack("{s:s}", "title", "草稿决定"));
}

/* The pieces a file is handed over in, joined (nb_export_popolo's sink). */
typedef struct pieces {
	nb_buf text;
	size_t n, smallest;   /* pieces, and the smallest but the last */
	size_t last;
} pieces;

static void take(void *ud, const char *data, size_t len)
{
	pieces *p = ud;
	if (p->n && p->last < p->smallest)
		p->smallest = p->last;
	p->n++;
	p->last = len;
	nb_buf_put(&p->text, data, len);
}

/* The file made in pieces of `bound`: streamed as the build writes it. */
static void export_in(const nb_site *s, int csv, size_t bound, pieces *p)
{
	memset(p, 0, sizeof(*p));
	p->smallest = (size_t)-1;
	if (csv)
		nb_export_csv(s, bound, take, p);
	else
		nb_export_popolo(s, bound, take, p);
}

/* popolo.json as the build streams it, but a value at a time (bound 1),
 * so that every member boundary is a piece's: what the checks below hold
 * to json_dumps is what many pieces joined make. */
static json_t *export_json(const nb_site *s, nb_buf *text)
{
	pieces p;
	export_in(s, 0, 1, &p);
	nb_buf_put(text, p.text.ptr, p.text.len);
	nb_buf_free(&p.text);
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
	NB_CHECK_STR(at(root, "events", 2, "status"), "held");
	NB_CHECK_STR(at(root, "events", 2, "url"), "https://example.org/a/meetings/m-late/");

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
	json_decref(export_json(&f.s, &text));
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
	pieces p;
	export_in(&f.s, 1, 1, &p);
	nb_buf b = p.text;
	const char *s = nb_buf_cstr(&b);
	const char *head = "\xEF\xBB\xBF" "id,title,community,meeting,date,category,rule,"
			   "for,against,abstain,result,status,responsible,due,url\r\n";
	NB_CHECK(!strncmp(s, head, strlen(head)));
	/* No rule typed: majority, as the decision's page says. */
	NB_CHECK_CONTAINS(s, "\r\nd-1,无结果,,,2024-03-08,,majority,,,,,,,,"
			     "https://example.org/a/decisions/d-1/\r\n");
	NB_CHECK_CONTAINS(s, "\r\nd-2,\"a,b \"\"c\"\"\r\nd\",huaiyin,m-late,2024-06-01,budget,"
			     "majority,7,1,0,passed,done,\"王芳, \"\"主任\"\"\",2024-07-01,"
			     "https://example.org/a/decisions/d-2/\r\n");
	NB_CHECK(!strstr(s, "d-draft"));
	nb_buf_free(&b);
	fake_free(&f);
}

/* Whatever the bound, the pieces joined are the file made in one piece,
 * and none but the last is smaller than the bound: the writer hands text
 * over as it passes it, and keeps no more than a piece. */
NB_TEST(export_in_pieces_is_the_whole)
{
	fake_site f;
	fake_init(&f, "zh-CN", hostile[0]);
	fake_committees(&f, hostile[1]);
	fake_records(&f, hostile[2]);
	const size_t bounds[] = { 1, 7, 64, 1000 };
	for (int csv = 0; csv <= 1; csv++) {
		pieces whole;
		export_in(&f.s, csv, (size_t)1 << 30, &whole);
		NB_CHECK(whole.n == 1);
		NB_CHECK(whole.text.len > 300);
		for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
			pieces p;
			export_in(&f.s, csv, bounds[i], &p);
			NB_CHECK(p.text.len == whole.text.len &&
				 !memcmp(p.text.ptr, whole.text.ptr, whole.text.len));
			NB_CHECK(p.n > whole.text.len / (bounds[i] + 400));
			NB_CHECK(p.n == 1 || p.smallest >= bounds[i]);
			nb_buf_free(&p.text);
		}
		nb_buf_free(&whole.text);
	}
	fake_free(&f);
}

NB_TEST_MAIN("export",
	     NB_CASE(export_is_jansson_layout_for_hostile_text),
	     NB_CASE(export_records_follow_the_mapping),
	     NB_CASE(export_in_english),
	     NB_CASE(export_leaves_out_what_jansson_would_refuse),
	     NB_CASE(export_in_pieces_is_the_whole),
	     NB_CASE(export_empty_site),
	     NB_CASE(csv_quotes_only_what_it_must))

/*
 * test_attach.c - a document's attachments are published beside its page,
 * listed once each, and a link to a file that is not there is an error.
 *
 * Secretaries link the scanned minutes and the sign-in sheet next to a
 * meeting's file; a resident who finds the link dead, or the list missing
 * one, cannot check the record. The fixture site plus documents and files
 * of our own is linked through the real stages (nb_attach_link as the
 * build runs it after nb_site_link) and held to facts worked out by hand:
 * where each file is published, its listed name, type and size, one entry
 * per file however it is written, and an error at the right line for a
 * missing file, a link leaving the folder, an image without alt text and
 * an attachment named index.html.
 */
#include "harness.h"

#include "fixture_site.h"
#include "graph/attach.h"

#define MEETING(id, body)                                                     \
	"---\ntitle: \"" id "\"\nid: \"" id "\"\ncommunity: \"hl\"\n"           \
	"kind: \"plenary\"\ndate: \"2024-03-01\"\nattendees: [A1, A2]\n---\n" body

/* 1800 bytes: "2 KB" (rounded, not cut), and 2 MB + 60 KB: "2.1 MB". */
static char kb[1801], mb[2 * 1048576 + 61440 + 1];

static const char *const good[][2] = {
	{ "content/meetings/a1.md",
	  MEETING("a1", "[签到表](signin.pdf) and [again](./signin.pdf?v=2#p1), "
			"[the same](sign%69n.pdf)\n\n"
			"![现场照片](photos/site.JPG)\n\n[budget](budget.xlsx)\n\n"
			"[space](my%20file.txt)\n\n[rate](100%25.pdf)\n") },
	{ "content/meetings/signin.pdf", "%PDF-1.4 tiny" },
	{ "content/meetings/photos/site.JPG", NULL },
	{ "content/meetings/budget.xlsx", NULL },
	{ "content/meetings/my file.txt", "hello" },
	/* Another document in the same folder linking the same file: it is
	 * published beside that page too. */
	{ "content/meetings/a2.md", MEETING("a2", "[签到表](signin.pdf)\n") },
	/* A draft's file is claimed, not published where it lies. */
	{ "content/meetings/dr.md",
	  "---\ntitle: \"dr\"\nid: \"dr\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
	  "date: \"2024-03-02\"\nattendees: [A1, A2]\ndraft: true\n---\n[x](secret.pdf)\n" },
	{ "content/meetings/secret.pdf", "secret" },
	{ "content/meetings/loose.pdf", "nobody links me" },
	{ "content/meetings/100%.pdf", "pct" },
};

static int open_good(fixture *f)
{
	const char *files[10][2];
	for (size_t i = 0; i < 10; i++) {
		files[i][0] = good[i][0];
		files[i][1] = good[i][1];
	}
	memset(kb, 'k', sizeof(kb) - 1);
	memset(mb, 'm', sizeof(mb) - 1);
	files[2][1] = kb;
	files[3][1] = mb;
	if (fixture_open_with(f, "2025-01-31", (const char *const (*)[2])files, 10) != 0)
		return -1;
	return nb_attach_link(&f->s, &f->c, &f->d);
}

/* The {src, dest} entries of the site whose dest is `dest`. */
static int published(const fixture *f, const char *src, const char *dest)
{
	size_t i;
	json_t *a;
	int n = 0;
	json_array_foreach(f->s.attachments, i, a) {
		json_t *s = json_object_get(a, "src"), *d = json_object_get(a, "dest");
		if (!strcmp(json_string_value(d), dest))
			n += !strcmp(json_string_value(s), src) ? 1 : 100;
	}
	return n;
}

static const json_t *attachments_of(fixture *f, const char *id)
{
	long i = nb_site_find(&f->s, id);
	if (i < 0)
		return NULL;
	return json_object_get(nb_page_derived(&f->s.pages[i]), "attachments");
}

static const char *field(const json_t *list, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(list, i), key));
}

NB_TEST(attachments_listed_and_published)
{
	fixture f;
	int rc = open_good(&f);
	for (size_t k = 0; rc != 0 && k < f.d.len; k++)
		fprintf(stderr, "  diag %s:%d %s\n", f.d.items[k].file, f.d.items[k].line,
			f.d.items[k].msg);
	NB_CHECK(rc == 0);
	const json_t *l = attachments_of(&f, "a1");
	/* signin.pdf three ways is one file; then the photo, budget, text,
	 * the rate sheet. */
	NB_CHECK(json_array_size(l) == 5);
	NB_CHECK_STR(field(l, 0, "name"), "signin.pdf");
	NB_CHECK_STR(field(l, 0, "title"), "签到表");
	NB_CHECK_STR(field(l, 0, "url"), "signin.pdf");
	NB_CHECK_STR(field(l, 0, "type"), "pdf");
	NB_CHECK_STR(field(l, 0, "size_display"), "13 B");
	NB_CHECK_STR(field(l, 1, "name"), "site.JPG");
	NB_CHECK_STR(field(l, 1, "url"), "photos/site.JPG");
	NB_CHECK_STR(field(l, 1, "type"), "image");
	NB_CHECK_STR(field(l, 1, "size_display"), "2 KB");
	NB_CHECK(json_is_true(json_object_get(json_array_get(l, 1), "image")));
	NB_CHECK_STR(field(l, 2, "type"), "spreadsheet");
	NB_CHECK_STR(field(l, 2, "size_display"), "2.1 MB");
	NB_CHECK(json_integer_value(json_object_get(json_array_get(l, 2), "size")) ==
		 2 * 1048576 + 61440);
	NB_CHECK_STR(field(l, 3, "name"), "my file.txt");
	NB_CHECK_STR(field(l, 3, "url"), "my%20file.txt");
	NB_CHECK_STR(field(l, 3, "type"), "document");
	/* A % in a name is written %25 in the href, or the link is dead. */
	NB_CHECK_STR(field(l, 4, "name"), "100%.pdf");
	NB_CHECK_STR(field(l, 4, "url"), "100%25.pdf");
	/* Published beside each page that links it, once per page. */
	NB_CHECK(published(&f, "content/meetings/signin.pdf", "meetings/a1/signin.pdf") == 1);
	NB_CHECK(published(&f, "content/meetings/signin.pdf", "meetings/a2/signin.pdf") == 1);
	NB_CHECK(published(&f, "content/meetings/photos/site.JPG",
			   "meetings/a1/photos/site.JPG") == 1);
	NB_CHECK(json_array_size(f.s.attachments) == 6);
	NB_CHECK(json_array_size(attachments_of(&f, "a2")) == 1);
	/* Claimed: linked by a page or by a draft; a loose file is not. */
	NB_CHECK(json_object_get(f.s.attached, "content/meetings/signin.pdf") != NULL);
	NB_CHECK(json_object_get(f.s.attached, "content/meetings/secret.pdf") != NULL);
	NB_CHECK(json_object_get(f.s.attached, "content/meetings/loose.pdf") == NULL);
	/* A page with no local links has no list. */
	NB_CHECK(attachments_of(&f, "m1") == NULL);
	fixture_free(&f);
}

/* Each bad link is one error at its own line, with its own code. */
NB_TEST(bad_links_are_errors_at_their_line)
{
	fixture f;
	const char *const files[][2] = {
		{ "content/meetings/b1.md",
		  MEETING("b1", "[gone](missing.pdf)\n\n[up](../x.pdf)\n\n![](p.png)\n\n"
				"[page](sub/index.html)\n\n[dots](%2e%2e/x.pdf)\n\n"
				"[case](SIGNIN.pdf)\n\n[here](.)\n\n[nul](%00.pdf)\n") },
		{ "content/x.pdf", "x" },
		{ "content/meetings/p.png", "png" },
		{ "content/meetings/signin.pdf", "pdf" },
		{ "content/meetings/sub/index.html", "<p>" },
	};
	NB_CHECK(fixture_open_with(&f, "2025-01-31", files, 5) == 0);
	NB_CHECK(nb_attach_link(&f.s, &f.c, &f.d) == -1);
	static const struct { const char *code; int line; } want[] = {
		{ "link-target-missing", 9 }, { "link-outside-folder", 11 },
		{ "image-alt-missing", 13 }, { "attachment-name-reserved", 15 },
		{ "link-outside-folder", 17 }, { "link-target-missing", 19 },
		{ "link-names-no-file", 21 }, { "link-names-no-file", 23 },
	};
	size_t n_want = sizeof(want) / sizeof(want[0]);
	NB_CHECK(f.d.len == n_want);
	for (size_t k = 0; k < f.d.len && k < n_want; k++) {
		NB_CHECK_STR(f.d.items[k].code, want[k].code);
		if (f.d.items[k].line != want[k].line)
			fprintf(stderr, "  %s at line %d, not %d\n", f.d.items[k].code,
				f.d.items[k].line, want[k].line);
		NB_CHECK(f.d.items[k].line == want[k].line);
		NB_CHECK_STR(f.d.items[k].file, "content/meetings/b1.md");
		/* An English site's hint gives an English example, a Chinese
		 * one's a Chinese example. */
		const char *hint = f.d.items[k].hint ? f.d.items[k].hint : "";
		int ascii = 1;
		for (const char *c = hint; *c; c++)
			ascii &= (unsigned char)*c < 0x80;
		NB_CHECK(ascii);
		if (!ascii)
			fprintf(stderr, "  %s hint: %s\n", f.d.items[k].code, hint);
		if (strstr(hint, "](")) {
			char *zh = nb_diag_translate("zh-CN", f.d.items[k].code, hint);
			NB_CHECK(zh && (strstr(zh, "[签到表](") || strstr(zh, "[会议现场照片](")));
			free(zh);
		}
	}
	/* The image without alt is still published: only the text is missing. */
	NB_CHECK(published(&f, "content/meetings/p.png", "meetings/b1/p.png") == 1);
	NB_CHECK(json_array_size(f.s.attachments) == 1);
	fixture_free(&f);
}

NB_TEST_MAIN("attach", NB_CASE(attachments_listed_and_published),
	     NB_CASE(bad_links_are_errors_at_their_line))

/*
 * test_feeds.c - the calendars and Atom feeds say what the documents say.
 *
 * Residents subscribe to meetings.ics to be told of meetings, so an event
 * at the wrong hour, on the wrong day or with a garbled title is a wrong
 * public fact. The fixture site plus documents of our own is linked
 * through the real stages and its feeds written by nb_feeds_write into a
 * temporary folder, then read back byte for byte and held to facts worked
 * out by hand from those documents and to RFC 5545 (times with a TZID
 * that a VTIMEZONE defines, all-day events as VALUE=DATE ending the next
 * day, lines folded at 75 octets without cutting a UTF-8 character, TEXT
 * escaping, CRLF, stable distinct UIDs) and RFC 4287 (ids, updated
 * times, newest first, escaping, links under the base path).
 * tests/e2e_outputs.sh parses a built calendar with ical.js; these name
 * the exact line that went wrong and cover the cases it does not.
 */
#include "harness.h"

#include "fixture_site.h"
#include "render/feeds.h"

/* Our documents, as of 2025-01-31 (every meeting is past). The site has
 * an absolute base_url under a path, as a site publishing feeds must. */
#define M3_TITLE "槐荫社区自治会二〇二四年第三次全体会议关于电动自行车" \
		 "集中充电棚选址与消防通道整治及垃圾分类与楼道照明"
#define M3_AGENDA "充电棚选址充电棚选址充电棚选址充电棚选址充电棚选址"
#define MJ_TITLE "Jinhui May meeting on the bicycle shed - the fire lane and the bins " \
		 "by the east gate"

static const char *const extra[][2] = {
	{ "site.yaml", "title: \"Hongling\"\nlanguage: en\n"
		       "base_url: \"https://example.org/nb/\"\n" },
	/* Timed, with a location needing every TEXT escape and a title of
	 * 50 CJK characters (150 octets): SUMMARY must fold. */
	{ "content/meetings/2024/m3.md",
	  "---\ntitle: \"" M3_TITLE "\"\n"
	  "id: \"m3\"\ncommunity: \"hl\"\nkind: \"plenary\"\ndate: \"2024-09-20\"\n"
	  "attendees: [A1, A2]\nstart: \"09:30\"\nend: \"11:45\"\n"
	  "location: \"Room 3, Block B; east\\\\gate\\nupstairs\"\n"
	  "agenda: [\"Bikes, bins; more\", \"" M3_AGENDA "\"]\n"
	  "---\n## Minutes\n" },
	/* No time: all-day, on the day before a leap day and on the last
	 * day of a year. */
	{ "content/meetings/2024/m4.md",
	  "---\ntitle: \"Leap year walk\"\nid: \"m4\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
	  "date: \"2024-02-28\"\nattendees: [A1, A2]\n---\n## Minutes\n" },
	{ "content/meetings/2024/m5.md",
	  "---\ntitle: \"Year end\"\nid: \"m5\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
	  "date: \"2024-12-31\"\nattendees: [A1, A2]\n---\n## Minutes\n" },
	/* Drafts: in no feed and no calendar. */
	{ "content/meetings/2024/mdraft.md",
	  "---\ntitle: \"Secret draft meeting\"\nid: \"mdraft\"\ncommunity: \"hl\"\n"
	  "kind: \"plenary\"\ndate: \"2024-10-01\"\nattendees: [A1, A2]\ndraft: true\n"
	  "---\n## Minutes\n" },
	{ "content/decisions/2024/ddraft.md",
	  "---\ntitle: \"Secret draft decision\"\nid: \"ddraft\"\ncommunity: \"hl\"\n"
	  "meeting: \"m2\"\ndate: \"2024-06-14\"\ncategory: \"fire-safety\"\n"
	  "votes: {for: 3, against: 0, abstain: 0}\ndraft: true\n---\nText.\n" },
	/* A second community, whose meeting is in its calendar only; its
	 * ASCII title of 84 octets folds at exactly 75. */
	{ "content/communities/jh.md",
	  "---\ntitle: \"Jinhui\"\nname: \"Jinhui\"\ntype: \"商品房小区\"\n"
	  "platform: \"residents-committee\"\ncommittee:\n"
	  "  - {name: \"B1\", role: \"主任\"}\n  - {name: \"B2\", role: \"委员\"}\n"
	  "---\nAbout.\n" },
	{ "content/meetings/2024/mj.md",
	  "---\ntitle: \"" MJ_TITLE "\"\nid: \"mj\"\ncommunity: \"jh\"\nkind: \"plenary\"\n"
	  "date: \"2024-05-01\"\nattendees: [B1, B2]\nstart: \"18:00\"\nend: \"19:30\"\n"
	  "---\n## Minutes\n" },
};

typedef struct built {
	fixture f;
	char out[96];
	nb_render_stats st;
	int rc;
} built;

/* The fixture loaded and linked again with its drafts, as a preview
 * (serve) does: feeds.h says drafts stay out even then, and only then
 * are they in the graph for the feeds to leave out. */
static int relink_with_drafts(fixture *f)
{
	nb_site_free(&f->s);
	nb_content_free(&f->c);
	nb_markdown_opts mo = { 0 };
	nb_content_opts co = { &mo, 1, nb_site_reads_body, NULL, NULL };
	nb_content_load(&f->c, &f->cfg, &co, &f->d);
	nb_site_opts so = { "2025-01-31", 1, 0, NULL };
	nb_site_link(&f->s, &f->cfg, &f->c, &f->theme, &so, &f->d);
	return f->d.errors ? -1 : 0;
}

/* Link the site of the fixture and `docs` (with its drafts when
 * `drafts`) and write its feeds into <fixture>/<sub>. */
static void build_with(built *b, const char *sub, const char *const (*docs)[2], size_t n,
		       int drafts)
{
	memset(b, 0, sizeof(*b));
	b->rc = fixture_open_with(&b->f, "2025-01-31", docs, n);
	if (b->rc == 0 && drafts)
		b->rc = relink_with_drafts(&b->f);
	snprintf(b->out, sizeof(b->out), "%s/%s", b->f.dir, sub);
	if (b->rc == 0 && nb_fs_mkdirs(b->out) == 0)
		b->rc = nb_feeds_write(&b->f.s, b->out, &b->st, NULL, &b->f.d);
	if (b->rc)
		nb_diag_print(&b->f.d, stderr, 0);
}

static void build_as(built *b, const char *sub, int drafts)
{
	build_with(b, sub, extra, sizeof(extra) / sizeof(extra[0]), drafts);
}

static void build(built *b, const char *sub)
{
	build_as(b, sub, 0);
}

/* Output file `rel` (malloc'd), or NULL. */
static char *readout(const built *b, const char *rel)
{
	char *p = nb_path_join(b->out, rel), *data = NULL;
	size_t len = 0;
	if (nb_fs_read(p, 0, &data, &len) != 0)
		data = NULL;
	free(p);
	return data;
}

/* RFC 5545 3.1 unfolding: every CRLF followed by one space or tab goes. */
static char *unfold(const char *s)
{
	size_t n = s ? strlen(s) : 0, j = 0;
	char *u = malloc(n + 1);
	if (!u)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n' && (s[i + 2] == ' ' || s[i + 2] == '\t')) {
			i += 2;
			continue;
		}
		u[j++] = s[i];
	}
	u[j] = '\0';
	return u;
}

/* The unfolded VEVENT whose UID is `uid` (malloc'd, from BEGIN to END
 * inclusive), or NULL. */
static char *event(const char *unfolded, const char *uid)
{
	char key[128];
	snprintf(key, sizeof(key), "\r\nUID:%s\r\n", uid);
	const char *u = unfolded ? strstr(unfolded, key) : NULL;
	if (!u)
		return NULL;
	const char *beg = u;
	while (beg > unfolded && strncmp(beg, "BEGIN:VEVENT", 12))
		beg--;
	const char *end = strstr(u, "END:VEVENT\r\n");
	if (!end || strncmp(beg, "BEGIN:VEVENT", 12))
		return NULL;
	end += 12;
	char *e = malloc((size_t)(end - beg) + 1);
	if (!e)
		abort();
	memcpy(e, beg, (size_t)(end - beg));
	e[end - beg] = '\0';
	return e;
}

/* Bytes [p, p+n) are whole UTF-8 sequences: none starts or ends cut. */
static int whole_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t k = p[i] < 0x80 ? 1 : (p[i] & 0xE0) == 0xC0 ? 2 : (p[i] & 0xF0) == 0xE0 ? 3
			 : (p[i] & 0xF8) == 0xF0 ? 4 : 0;
		if (!k || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((p[i + j] & 0xC0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

/* RFC 5545 3.1 on the raw file: every line ends in CRLF (no bare CR or
 * LF), is at most 75 octets, and holds whole characters, so that no
 * line break cuts a character in two. Returns the number of folds. */
static size_t check_lines(nb_test_state *nb__t, const char *ics)
{
	size_t folds = 0;
	NB_CHECK(ics != NULL);
	for (const char *p = ics; p && *p;) {
		const char *e = strstr(p, "\r\n");
		NB_CHECK(e != NULL);
		if (!e)
			break;
		size_t n = (size_t)(e - p);
		if (n > 75 || !whole_utf8((const unsigned char *)p, n) || memchr(p, '\n', n) ||
		    memchr(p, '\r', n))
			fprintf(stderr, "  bad line (%zu octets): %.*s\n", n, (int)n, p);
		NB_CHECK(n <= 75);
		NB_CHECK(whole_utf8((const unsigned char *)p, n));
		NB_CHECK(!memchr(p, '\n', n) && !memchr(p, '\r', n));
		folds += *p == ' ';
		p = e + 2;
	}
	return folds;
}

/* Number of occurrences of `needle` in `hay`. */
static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

NB_TEST(test_timed_meeting_in_site_zone)
{
	built b;
	build(&b, "out");
	NB_CHECK(b.rc == 0);
	char *raw = readout(&b, "meetings.ics"), *ics = unfold(raw);
	/* The zone every TZID names is defined, once, before the events:
	 * without it a client may read the time as floating or as UTC. */
	NB_CHECK_CONTAINS(ics, "\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n"
			       "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
			       "TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\n");
	NB_CHECK(count(ics, "BEGIN:VTIMEZONE") == 1);
	NB_CHECK(ics && strstr(ics, "END:VTIMEZONE") < strstr(ics, "BEGIN:VEVENT"));
	NB_CHECK(count(ics, ";TZID=") == count(ics, ";TZID=Asia/Shanghai:"));
	/* 19:00-21:00 on 2024-03-08, as typed, in the site's zone. */
	char *m1 = event(ics, "m1@example.org");
	NB_CHECK_CONTAINS(m1, "\r\nDTSTART;TZID=Asia/Shanghai:20240308T190000\r\n");
	NB_CHECK_CONTAINS(m1, "\r\nDTEND;TZID=Asia/Shanghai:20240308T210000\r\n");
	NB_CHECK_CONTAINS(m1, "\r\nSUMMARY:March plenary\r\n");
	/* A morning meeting with minutes: not shifted, not rounded. */
	char *m3 = event(ics, "m3@example.org");
	NB_CHECK_CONTAINS(m3, "\r\nDTSTART;TZID=Asia/Shanghai:20240920T093000\r\n");
	NB_CHECK_CONTAINS(m3, "\r\nDTEND;TZID=Asia/Shanghai:20240920T114500\r\n");
	NB_CHECK(m3 && !strstr(m3, "VALUE=DATE"));
	NB_CHECK_CONTAINS(m3, "\r\nDTSTAMP:20240920T000000Z\r\n");
	NB_CHECK_CONTAINS(m3, "\r\nURL:https://example.org/nb/meetings/m3/\r\n");
	free(m1);
	free(m3);
	free(ics);
	free(raw);
	fixture_free(&b.f);
}

NB_TEST(test_all_day_meetings)
{
	built b;
	build(&b, "out");
	char *raw = readout(&b, "meetings.ics"), *ics = unfold(raw);
	/* No time given: a DATE on its day, DTEND the day after (RFC 5545
	 * 3.6.1: DTEND is exclusive), into a leap day and across a year end. */
	const char *const want[][3] = {
		{ "m2@example.org", "20240614", "20240615" },
		{ "m4@example.org", "20240228", "20240229" },
		{ "m5@example.org", "20241231", "20250101" },
	};
	for (size_t i = 0; i < 3; i++) {
		char *e = event(ics, want[i][0]), s[64], t[64];
		snprintf(s, sizeof(s), "\r\nDTSTART;VALUE=DATE:%s\r\n", want[i][1]);
		snprintf(t, sizeof(t), "\r\nDTEND;VALUE=DATE:%s\r\n", want[i][2]);
		NB_CHECK_CONTAINS(e, s);
		NB_CHECK_CONTAINS(e, t);
		NB_CHECK(e && !strstr(e, "TZID") && count(e, "DTSTART") == 1 &&
			 count(e, "DTEND") == 1);
		free(e);
	}
	free(ics);
	free(raw);
	fixture_free(&b.f);
}

NB_TEST(test_folding_keeps_characters_whole)
{
	built b;
	build(&b, "out");
	const char *files[] = { "meetings.ics", "communities/hl/meetings.ics",
				"communities/jh/meetings.ics" };
	for (size_t i = 0; i < 3; i++) {
		char *raw = readout(&b, files[i]);
		check_lines(NB_T, raw);
		free(raw);
	}
	char *raw = readout(&b, "meetings.ics"), *ics = unfold(raw);
	/* The long title was folded (the check above saw cut lines) and
	 * unfolds to exactly what the document says. */
	NB_CHECK(raw && !strstr(raw, "SUMMARY:" M3_TITLE "\r\n"));
	NB_CHECK(check_lines(NB_T, raw) >= 2);
	NB_CHECK_CONTAINS(ics, "\r\nSUMMARY:" M3_TITLE "\r\n");
	/* Folds are as long as the rule allows: a first line of 75 octets
	 * is "SUMMARY:" and 22 whole characters (74 octets, the 23rd would
	 * make 77); so the line carries exactly those.
	 * A continuation line is a space and 24 characters (73 octets: a
	 * 25th would make 76). */
	char first[200];
	snprintf(first, sizeof(first), "\r\nSUMMARY:%.66s\r\n %.72s\r\n ", M3_TITLE,
		 M3_TITLE + 66);
	NB_CHECK_CONTAINS(raw, first);
	/* One octet more than allowed is a fold too late: the ASCII title's
	 * first line is 75 octets exactly, the next a space and the rest,
	 * whose own leading space survives. */
	NB_CHECK_CONTAINS(raw, "\r\nSUMMARY:Jinhui May meeting on the bicycl"
			       "e shed - the fire lane and the bins\r\n  by the east gate\r\n");
	NB_CHECK_CONTAINS(ics, "\r\nSUMMARY:" MJ_TITLE "\r\n");
	free(ics);
	free(raw);
	fixture_free(&b.f);
}

NB_TEST(test_text_escaping)
{
	built b;
	build(&b, "out");
	char *raw = readout(&b, "meetings.ics"), *ics = unfold(raw);
	char *m3 = event(ics, "m3@example.org");
	/* RFC 5545 3.3.11: backslash, semicolon, comma and newline. */
	NB_CHECK_CONTAINS(m3, "\r\nLOCATION:Room 3\\, Block B\\; east\\\\gate\\nupstairs\r\n");
	/* The agenda, one item a line, escaped the same. */
	NB_CHECK_CONTAINS(m3, "\\n1. Bikes\\, bins\\; more\\n2. " M3_AGENDA "\r\n");
	NB_CHECK(m3 && strstr(m3, "\r\nDESCRIPTION:"));
	free(m3);
	free(ics);
	free(raw);
	fixture_free(&b.f);
}

/* The UIDs of an unfolded calendar, in order, into v (at most max). */
static size_t uids(const char *ics, char v[][64], size_t max)
{
	size_t n = 0;
	for (const char *p = ics; p && (p = strstr(p, "\r\nUID:")) && n < max; n++) {
		p += 6;
		size_t k = strcspn(p, "\r");
		snprintf(v[n], 64, "%.*s", (int)k, p);
	}
	return n;
}

NB_TEST(test_uids_stable_and_distinct)
{
	built a, b;
	build(&a, "one");
	build(&b, "two");
	char *ra = readout(&a, "meetings.ics"), *rb = readout(&b, "meetings.ics");
	char *ia = unfold(ra), *ib = unfold(rb);
	char ua[16][64], ub[16][64];
	size_t na = uids(ia, ua, 16), nb = uids(ib, ub, 16);
	/* m1 m2 m3 m4 m5 mj: six published meetings, one UID each. */
	NB_CHECK(na == 6 && nb == 6);
	NB_CHECK(count(ia, "BEGIN:VEVENT") == 6);
	for (size_t i = 0; i < na && i < nb; i++) {
		NB_CHECK_STR(ua[i], ub[i]);
		for (size_t j = 0; j < i; j++)
			NB_CHECK(strcmp(ua[i], ua[j]) != 0);
	}
	/* Calendar order: by date then start, the site's whole year. */
	const char *order[] = { "m4@example.org", "m1@example.org", "mj@example.org",
				"m2@example.org", "m3@example.org", "m5@example.org" };
	for (size_t i = 0; i < 6 && i < na; i++)
		NB_CHECK_STR(ua[i], order[i]);
	/* The same event keeps its UID in its community's calendar, so a
	 * resident subscribed to both sees it once. */
	char *rh = readout(&a, "communities/hl/meetings.ics"), *ih = unfold(rh);
	char uh[16][64];
	size_t nh = uids(ih, uh, 16);
	NB_CHECK(nh == 5);
	NB_CHECK(ih && !strstr(ih, "UID:mj@"));
	char *rj = readout(&a, "communities/jh/meetings.ics"), *ij = unfold(rj);
	NB_CHECK(count(ij, "BEGIN:VEVENT") == 1);
	NB_CHECK_CONTAINS(ij, "\r\nUID:mj@example.org\r\n");
	NB_CHECK_CONTAINS(ij, "\r\nDTSTART;TZID=Asia/Shanghai:20240501T180000\r\n");
	NB_CHECK_CONTAINS(ij, "\r\nDTEND;TZID=Asia/Shanghai:20240501T193000\r\n");
	/* Byte-identical between builds: no clock, no address. */
	NB_CHECK(ra && rb && !strcmp(ra, rb));
	free(ra); free(rb); free(ia); free(ib); free(rh); free(ih); free(rj); free(ij);
	fixture_free(&a.f);
	fixture_free(&b.f);
}

NB_TEST(test_drafts_in_no_feed)
{
	built b;
	build_as(&b, "out", 1);
	NB_CHECK(b.rc == 0);
	/* The drafts are in this graph: the feeds are what leave them out. */
	NB_CHECK(nb_site_find(&b.f.s, "mdraft") >= 0 && nb_site_find(&b.f.s, "ddraft") >= 0);
	const char *files[] = { "meetings.ics", "communities/hl/meetings.ics", "feed.xml",
				"communities/hl/feed.xml" };
	for (size_t i = 0; i < 4; i++) {
		char *t = readout(&b, files[i]);
		NB_CHECK(t != NULL);
		NB_CHECK(t && !strstr(t, "Secret draft"));
		NB_CHECK(t && !strstr(t, "mdraft") && !strstr(t, "ddraft"));
		free(t);
	}
	fixture_free(&b.f);
}

/* Position of `needle` in `hay`, or SIZE_MAX. */
static size_t at(const char *hay, const char *needle)
{
	const char *p = hay ? strstr(hay, needle) : NULL;
	return p ? (size_t)(p - hay) : (size_t)-1;
}

NB_TEST(test_atom_order_ids_and_links)
{
	built b;
	build(&b, "out");
	char *x = readout(&b, "feed.xml");
	/* The feed's time is its newest entry's: m5, 2024-12-31. */
	NB_CHECK_CONTAINS(x, "<id>tag:example.org,2024:feed</id>\n"
			     "  <updated>2024-12-31T00:00:00Z</updated>\n");
	NB_CHECK_CONTAINS(x, "<link rel=\"self\" type=\"application/atom+xml\" "
			     "href=\"https://example.org/nb/feed.xml\"/>");
	/* Newest first; on one day meetings before decisions, then by id. */
	const char *ids[] = { "meetings/m5", "meetings/m3", "meetings/m2", "decisions/d-no",
			      "meetings/mj", "meetings/m1", "decisions/d-late",
			      "decisions/d-open", "meetings/m4", "pages/about" };
	size_t prev = 0;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char id[96];
		snprintf(id, sizeof(id), "<id>tag:example.org,2024:%s</id>", ids[i]);
		size_t p = at(x, id);
		if (p == (size_t)-1 || p < prev)
			fprintf(stderr, "  entry %s missing or out of order\n", ids[i]);
		NB_CHECK(p != (size_t)-1 && p >= prev);
		NB_CHECK(count(x, id) == 1);
		prev = p;
	}
	/* Every entry's updated is no later than the one before it. */
	char last[32] = "9999";
	for (const char *p = x; p && (p = strstr(p, "<entry>")); p++) {
		const char *u = strstr(p, "<updated>");
		NB_CHECK(u && strncmp(u + 9, last, 20) <= 0);
		if (u)
			snprintf(last, sizeof(last), "%.20s", u + 9);
	}
	/* An entry's link, time and text, the title escaped as XML text and
	 * the HTML content escaped once more. */
	NB_CHECK_CONTAINS(x, "<id>tag:example.org,2024:meetings/m3</id>\n"
			     "    <updated>2024-09-20T00:00:00Z</updated>\n"
			     "    <published>2024-09-20T00:00:00Z</published>\n"
			     "    <link rel=\"alternate\" type=\"text/html\" "
			     "href=\"https://example.org/nb/meetings/m3/\"/>");
	NB_CHECK_CONTAINS(x, "<title>" M3_TITLE "</title>");
	NB_CHECK_CONTAINS(x, "<title>About &lt;us&gt; &amp; them</title>");
	NB_CHECK_CONTAINS(x, "&gt;About &amp;lt;us&amp;gt; &amp;amp; them&lt;/a&gt;");
	NB_CHECK(x && !strstr(x, "About <us>"));
	free(x);
	/* A community's feed: its own entries only, its own id and link. */
	char *h = readout(&b, "communities/hl/feed.xml");
	char *j = readout(&b, "communities/jh/feed.xml");
	NB_CHECK_CONTAINS(h, "<id>tag:example.org,2024:feed/communities/hl</id>");
	NB_CHECK_CONTAINS(h, "href=\"https://example.org/nb/communities/hl/feed.xml\"/>");
	NB_CHECK(h && !strstr(h, "meetings/mj"));
	NB_CHECK(count(j, "<entry>") == 1);
	NB_CHECK_CONTAINS(j, "<id>tag:example.org,2024:meetings/mj</id>\n"
			     "    <updated>2024-05-01T00:00:00Z</updated>");
	free(h);
	free(j);
	fixture_free(&b.f);
}

/* A time the checks accept as H:MM is that time everywhere: "9:00" to
 * "11:00" is 09:00-11:00 in the calendar and the open data (it was an
 * all-day event: only HH:MM was read as a time, and "11:00" sorted
 * before "9:00"), and a 9:00 meeting comes before a 10:00 one that day. */
NB_TEST(test_short_times)
{
	static const char *const docs[][2] = {
		{ "site.yaml", "title: \"Hongling\"\nlanguage: en\n"
			       "base_url: \"https://example.org/nb/\"\n" },
		{ "content/meetings/2024/m10.md",
		  "---\ntitle: \"Ten\"\nid: \"m10\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
		  "date: \"2024-09-21\"\nattendees: [A1, A2]\nstart: \"10:00\"\n---\nText.\n" },
		{ "content/meetings/2024/m9.md",
		  "---\ntitle: \"Nine\"\nid: \"m9\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
		  "date: \"2024-09-21\"\nattendees: [A1, A2]\nstart: \"9:00\"\nend: \"11:00\"\n"
		  "---\nText.\n" },
	};
	built b;
	build_with(&b, "out", docs, sizeof(docs) / sizeof(docs[0]), 0);
	NB_CHECK(b.rc == 0);
	char *raw = readout(&b, "meetings.ics"), *ics = unfold(raw);
	char *m9 = event(ics, "m9@example.org");
	NB_CHECK_CONTAINS(m9, "\r\nDTSTART;TZID=Asia/Shanghai:20240921T090000\r\n");
	NB_CHECK_CONTAINS(m9, "\r\nDTEND;TZID=Asia/Shanghai:20240921T110000\r\n");
	NB_CHECK(m9 && !strstr(m9, "VALUE=DATE"));
	NB_CHECK(ics && strstr(ics, "UID:m9@") && strstr(ics, "UID:m10@") &&
		 strstr(ics, "UID:m9@") < strstr(ics, "UID:m10@"));
	free(m9);
	free(ics);
	free(raw);
	raw = readout(&b, "data/popolo.json");
	NB_CHECK_CONTAINS(raw, "\"start_date\": \"2024-09-21T09:00:00+08:00\"");
	NB_CHECK_CONTAINS(raw, "\"end_date\": \"2024-09-21T11:00:00+08:00\"");
	free(raw);
	fixture_free(&b.f);
}

/* A meeting with a start and no end lasts no time in the calendar (RFC
 * 5545 3.6.1: it ends as it starts), said with DURATION:PT0S, because
 * Exchange and Outlook do not import an event with neither DTEND nor
 * DURATION; and no end is made up, as the open data has none either. A
 * meeting with an end, or an all-day one, has no DURATION beside it. */
NB_TEST(test_start_without_end)
{
	static const char *const docs[][2] = {
		{ "site.yaml", "title: \"Hongling\"\nlanguage: en\n"
			       "base_url: \"https://example.org/nb/\"\n" },
		{ "content/meetings/2024/ms.md",
		  "---\ntitle: \"Start only\"\nid: \"ms\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
		  "date: \"2024-10-12\"\nattendees: [A1, A2]\nstart: \"19:30\"\n---\nText.\n" },
		{ "content/meetings/2024/mn.md",
		  "---\ntitle: \"No time\"\nid: \"mn\"\ncommunity: \"hl\"\nkind: \"plenary\"\n"
		  "date: \"2024-10-13\"\nattendees: [A1, A2]\n---\nText.\n" },
	};
	built b;
	build_with(&b, "out", docs, sizeof(docs) / sizeof(docs[0]), 0);
	NB_CHECK(b.rc == 0);
	char *raw = readout(&b, "meetings.ics"), *ics = unfold(raw);
	char *ms = event(ics, "ms@example.org"), *mn = event(ics, "mn@example.org");
	char *m1 = event(ics, "m1@example.org");
	NB_CHECK_CONTAINS(ms, "\r\nDTSTART;TZID=Asia/Shanghai:20241012T193000\r\nDURATION:PT0S\r\n");
	NB_CHECK(ms && !strstr(ms, "DTEND") && count(ms, "DURATION") == 1);
	/* The fixture's m1 has an end: DTEND, no DURATION. */
	NB_CHECK_CONTAINS(m1, "\r\nDTEND;TZID=Asia/Shanghai:20240308T210000\r\n");
	NB_CHECK(m1 && !strstr(m1, "DURATION"));
	NB_CHECK_CONTAINS(mn, "\r\nDTSTART;VALUE=DATE:20241013\r\nDTEND;VALUE=DATE:20241014\r\n");
	NB_CHECK(mn && !strstr(mn, "DURATION"));
	NB_CHECK(count(ics, "DURATION") == 1);
	free(ms);
	free(mn);
	free(m1);
	free(ics);
	free(raw);
	raw = readout(&b, "data/popolo.json");
	NB_CHECK_CONTAINS(raw, "\"start_date\": \"2024-10-12T19:30:00+08:00\"");
	free(raw);
	fixture_free(&b.f);
}

/* A decision's entry says its result and votes before its text, as its
 * list item does: the fixture's d-no (1 for, 2 against, no result typed)
 * is rejected, d-open adopted 3-0-0. An entry gave the title and text
 * only, so a rejected decision read in a feed reader as one adopted. */
NB_TEST(test_decision_entries_say_the_result)
{
	built b;
	build(&b, "out");
	char *x = readout(&b, "feed.xml");
	const char *no = x ? strstr(x, "<id>tag:example.org,2024:decisions/d-no</id>") : NULL;
	const char *end = no ? strstr(no, "</entry>") : NULL;
	NB_CHECK(no && end);
	if (no && end) {
		char *e = strndup(no, (size_t)(end - no));
		NB_CHECK_CONTAINS(e, "<summary>Result: Rejected (For 1, Against 2, Abstained 0)");
		NB_CHECK_CONTAINS(e, "&lt;p&gt;Result: Rejected (For 1, Against 2, Abstained 0)&lt;/p&gt;");
		free(e);
	}
	const char *yes = x ? strstr(x, "<id>tag:example.org,2024:decisions/d-open</id>") : NULL;
	end = yes ? strstr(yes, "</entry>") : NULL;
	NB_CHECK(yes && end);
	if (yes && end) {
		char *e = strndup(yes, (size_t)(end - yes));
		NB_CHECK_CONTAINS(e, "<summary>Result: Adopted (For 3, Against 0, Abstained 0)");
		free(e);
	}
	/* A meeting's entry has no result line. */
	const char *m = x ? strstr(x, "<id>tag:example.org,2024:meetings/m2</id>") : NULL;
	end = m ? strstr(m, "</entry>") : NULL;
	NB_CHECK(m && end && !memmem(m, (size_t)(end - m), "Result", 6));
	free(x);
	fixture_free(&b.f);
}

NB_TEST_MAIN("feeds",
	NB_CASE(test_timed_meeting_in_site_zone),
	NB_CASE(test_all_day_meetings),
	NB_CASE(test_folding_keeps_characters_whole),
	NB_CASE(test_text_escaping),
	NB_CASE(test_uids_stable_and_distinct),
	NB_CASE(test_drafts_in_no_feed),
	NB_CASE(test_short_times),
	NB_CASE(test_start_without_end),
	NB_CASE(test_atom_order_ids_and_links),
	NB_CASE(test_decision_entries_say_the_result))

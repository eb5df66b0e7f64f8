/*
 * test_previous.c - the previous publication's pages, read from the
 * record (previous.c) for the next publication to keep those it serves
 * unchanged. A page is its recorded bytes (1), a path the publication
 * served nothing at is absent (0), and a record that cannot say - a page
 * or a folder missing from it - is an error (-1), never "absent": an
 * absent page is numbered anew and called new in the published changes.
 * The error names the page or folder and its object, and is what the
 * page is read into (`out`): the build that asked knows no record.
 */
#include "chain_fixture.h"
#include "harness.h"

/* Publication 1 with pages in a folder below public/ too: public/index.html,
 * public/meetings/a.html, public/meetings/2024/b.html. */
static void deep(nb_test_state *nb__t, chain *ch)
{
	chain_open(ch);
	NB_CHECK(ch->ok);
	nb_audit_files f = { 0 };
	nb_oid tree;
	nb_signature *sig = NULL;
	int rc = chain_blob(ch, &f, "manifest.json", "{\"publication\": 1}\n");
	rc = rc ? rc : chain_blob(ch, &f, "public/index.html", "<p>home</p>\n");
	rc = rc ? rc : chain_blob(ch, &f, "public/meetings/a.html", "<p>a</p>\n");
	rc = rc ? rc : chain_blob(ch, &f, "public/meetings/2024/b.html", "<p>b</p>\n");
	if (rc == 0) {
		nb_audit_files_sort(&f);
		rc = nb_audit_write_tree(&ch->a, &f, &tree);
	}
	rc = rc ? rc : nb_audit_signature_parse(&sig, "Test <t@example.org>");
	rc = rc ? rc : nb_audit_commit(&ch->a, &tree, NULL, 1, "Publication 1: test", sig, NULL,
				       &ch->c[1]);
	NB_CHECK(rc == 0);
	ch->n = 1;
	nb_signature_free(sig);
	nb_audit_files_free(&f);
}

/* previous_page's return, the bytes in `out`. */
static int page(nb_audit_previous *p, const char *rel, nb_buf *out)
{
	nb_buf_puts(out, "stale");
	return nb_audit_previous_page(p, rel, out);
}

NB_TEST(pages_as_recorded)
{
	chain ch;
	chain_open(&ch);
	NB_CHECK(ch.ok);
	NB_CHECK(chain_pub(&ch, "<p>one</p>\n") == 0);
	NB_CHECK(chain_pub(&ch, "<p>two</p>\n") == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	nb_audit_previous p;
	nb_buf out = NB_BUF_INIT;
	char want[GIT_OID_HEXSZ + 1];
	/* Publication 1's pages, named by its public/ tree. */
	NB_CHECK(nb_audit_previous_open(&p, &ch.a, 1) == 0);
	NB_CHECK(chain_rev(&ch, "pub-1:public", want) == 0);
	NB_CHECK_STR(p.id, want);
	NB_CHECK(page(&p, "index.html", &out) == 1);
	NB_CHECK_STR(nb_buf_cstr(&out), "<p>one</p>\n");
	NB_CHECK(page(&p, "style.css", &out) == 1);
	NB_CHECK_STR(nb_buf_cstr(&out), "body { margin: 0 }\n");
	/* Nothing served there: absent, and nothing left in `out`. */
	NB_CHECK(page(&p, "about.html", &out) == 0 && out.len == 0);
	NB_CHECK(page(&p, "meetings/a.html", &out) == 0 && out.len == 0);
	NB_CHECK(page(&p, "index.html/x", &out) == 0 && out.len == 0);
	/* Outside public/: not a page of the publication. */
	NB_CHECK(page(&p, "../manifest.json", &out) == 0);
	nb_audit_previous_free(&p);
	NB_CHECK(p.public == NULL);
	/* Publication 2's are its own. */
	NB_CHECK(nb_audit_previous_open(&p, &ch.a, 2) == 0);
	NB_CHECK(chain_rev(&ch, "pub-2:public", want) == 0);
	NB_CHECK_STR(p.id, want);
	NB_CHECK(page(&p, "index.html", &out) == 1);
	NB_CHECK_STR(nb_buf_cstr(&out), "<p>two</p>\n");
	nb_audit_previous_free(&p);
	/* A publication there is not. */
	NB_CHECK(nb_audit_previous_open(&p, &ch.a, 3) == -1 && ch.a.err[0]);
	nb_buf_free(&out);
	chain_close(&ch);
}

NB_TEST(pages_in_folders)
{
	chain ch;
	deep(nb__t, &ch);
	NB_CHECK(chain_reopen(&ch) == 0);
	nb_audit_previous p;
	nb_buf out = NB_BUF_INIT;
	NB_CHECK(nb_audit_previous_open(&p, &ch.a, 1) == 0);
	NB_CHECK(page(&p, "meetings/a.html", &out) == 1);
	NB_CHECK_STR(nb_buf_cstr(&out), "<p>a</p>\n");
	NB_CHECK(page(&p, "meetings/2024/b.html", &out) == 1);
	NB_CHECK_STR(nb_buf_cstr(&out), "<p>b</p>\n");
	/* A folder is no page; nor is a path through a page. */
	NB_CHECK(page(&p, "meetings", &out) == 0 && out.len == 0);
	NB_CHECK(page(&p, "meetings/2024", &out) == 0);
	NB_CHECK(page(&p, "meetings/a.html/index.html", &out) == 0);
	NB_CHECK(page(&p, "meetings/2025/b.html", &out) == 0);
	NB_CHECK(page(&p, "meetings//a.html", &out) == 0);
	nb_audit_previous_free(&p);
	nb_buf_free(&out);
	chain_close(&ch);
}

NB_TEST(missing_page_or_public_folder_is_an_error)
{
	chain ch;
	deep(nb__t, &ch);
	char blob[GIT_OID_HEXSZ + 1], pub[GIT_OID_HEXSZ + 1];
	NB_CHECK(chain_rev(&ch, "pub-1:public/meetings/a.html", blob) == 0);
	NB_CHECK(chain_rev(&ch, "pub-1:public", pub) == 0);
	/* A page's bytes gone from the record. */
	NB_CHECK(chain_drop(&ch, blob) == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	nb_audit_previous p;
	nb_buf out = NB_BUF_INIT;
	NB_CHECK(nb_audit_previous_open(&p, &ch.a, 1) == 0);
	NB_CHECK(page(&p, "meetings/a.html", &out) == -1 && !ch.a.io);
	char want[256];
	snprintf(want, sizeof(want), "the audit repository is damaged: the previous publication's "
		 "page public/meetings/a.html (%s) cannot be read: ", blob);
	NB_CHECK_CONTAINS(ch.a.err, want);
	NB_CHECK(strncmp(ch.a.err, want, strlen(want)) == 0);
	NB_CHECK_STR(nb_buf_cstr(&out), ch.a.err);
	NB_CHECK(page(&p, "index.html", &out) == 1);
	nb_audit_previous_free(&p);
	/* Its whole public/ folder: nothing to open. */
	NB_CHECK(chain_drop(&ch, pub) == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_previous_open(&p, &ch.a, 1) == -1);
	NB_CHECK_CONTAINS(ch.a.err, "cannot read publication 1's public/ tree");
	NB_CHECK(p.public == NULL);
	nb_audit_previous_free(&p);
	nb_buf_free(&out);
	chain_close(&ch);
}

/* A folder gone from the record is damage, not "no page there": every
 * page below it would otherwise be published as new. */
NB_TEST(missing_folder_is_an_error_not_an_absent_page)
{
	chain ch;
	deep(nb__t, &ch);
	char y2024[GIT_OID_HEXSZ + 1], meetings[GIT_OID_HEXSZ + 1], want[256];
	NB_CHECK(chain_rev(&ch, "pub-1:public/meetings/2024", y2024) == 0);
	NB_CHECK(chain_rev(&ch, "pub-1:public/meetings", meetings) == 0);
	nb_audit_previous p;
	nb_buf out = NB_BUF_INIT;

	NB_CHECK(chain_drop(&ch, y2024) == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_previous_open(&p, &ch.a, 1) == 0);
	NB_CHECK(page(&p, "meetings/2024/b.html", &out) == -1 && !ch.a.io);
	snprintf(want, sizeof(want), "the audit repository is damaged: the previous publication's "
		 "folder public/meetings/2024 (%s) cannot be read: ", y2024);
	NB_CHECK_CONTAINS(ch.a.err, want);
	NB_CHECK_STR(nb_buf_cstr(&out), ch.a.err);
	/* What the record still holds reads as before. */
	NB_CHECK(page(&p, "meetings/a.html", &out) == 1);
	NB_CHECK_STR(nb_buf_cstr(&out), "<p>a</p>\n");
	NB_CHECK(page(&p, "meetings/2025/b.html", &out) == 0);
	nb_audit_previous_free(&p);

	NB_CHECK(chain_drop(&ch, meetings) == 0);
	NB_CHECK(chain_reopen(&ch) == 0);
	NB_CHECK(nb_audit_previous_open(&p, &ch.a, 1) == 0);
	NB_CHECK(page(&p, "meetings/a.html", &out) == -1);
	snprintf(want, sizeof(want), "folder public/meetings (%s) cannot be read", meetings);
	NB_CHECK_CONTAINS(ch.a.err, want);
	NB_CHECK(page(&p, "meetings/2024/b.html", &out) == -1);
	NB_CHECK_CONTAINS(ch.a.err, want);
	NB_CHECK(page(&p, "index.html", &out) == 1);
	NB_CHECK(page(&p, "about.html", &out) == 0);
	nb_audit_previous_free(&p);
	nb_buf_free(&out);
	chain_close(&ch);
}

NB_TEST_MAIN("previous", NB_CASE(pages_as_recorded), NB_CASE(pages_in_folders),
	     NB_CASE(missing_page_or_public_folder_is_an_error),
	     NB_CASE(missing_folder_is_an_error_not_an_absent_page))

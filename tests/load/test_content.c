/*
 * test_content.c - the load stage (content.h): content/ into documents.
 *
 * What a secretary puts under content/ must come out as exactly one of: a
 * document, an attachment, or a diagnostic naming the file. So the tests
 * write small sites and look, file by file, at which of those each became:
 * kind from the first folder, id from the path or `id:`, ids that cannot
 * be web addresses or that two files claim, Markdown under another name,
 * editors' backups, encodings and fences, the table limit. Diagnostics
 * must name the right file and line and come out the same, in the same
 * order, whatever the number of threads; and the memo must give back the
 * document loading gave.
 */
#include "harness.h"

#include <time.h>

#include "check_site.h"
#include "config/config.h"
#include "load/content.h"
#include "load/meta.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

#define SITE_YAML "title: \"T\"\nlanguage: en\nbase_url: \"/\"\n"

/* A file of `len` bytes (binary allowed), parents made. */
static void put_bytes(const site *s, const char *rel, const char *data, size_t len)
{
	char *p = nb_path_join(s->dir, rel);
	if (nb_fs_write(p, data, len) != 0)
		abort();
	free(p);
}

static void site_new(site *s, const char *site_yaml)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->dir, "/tmp/nb-content-XXXXXX");
	if (!mkdtemp(s->dir))
		abort();
	put(s, "site.yaml", site_yaml ? site_yaml : SITE_YAML);
	nb_diag_init(&s->d);
}

/* Load the site: config, then content/ with `o`; the load's return. */
static int site_load(site *s, const nb_content_opts *o)
{
	if (nb_config_load(&s->cfg, s->dir, &s->d) != 0)
		abort();
	s->loaded = 1;
	return nb_content_load(&s->c, &s->cfg, o, &s->d);
}

static void site_unload(site *s)
{
	if (s->loaded) {
		nb_content_free(&s->c);
		nb_config_free(&s->cfg);
	}
	s->loaded = 0;
	nb_diag_free(&s->d);
	nb_diag_init(&s->d);
}

/* site_unload, then the folder (this site loads its config whole, which
 * check_site.h's site_free does not free). */
static void site_drop(site *s)
{
	site_unload(s);
	nb_diag_free(&s->d);
	nb_fs_rmtree(s->dir);
}

static const nb_doc *doc_at(const site *s, const char *path)
{
	for (size_t i = 0; i < s->c.len; i++)
		if (!strcmp(s->c.docs[i].path, path))
			return &s->c.docs[i];
	return NULL;
}

static const nb_asset *asset_at(const site *s, const char *src)
{
	for (size_t i = 0; i < s->c.n_assets; i++)
		if (!strcmp(s->c.assets[i].src, src))
			return &s->c.assets[i];
	return NULL;
}

/* Every diagnostic as one line each, in order, for comparing runs. */
static char *diag_text(const nb_diag *d)
{
	nb_buf b = NB_BUF_INIT;
	for (size_t i = 0; i < d->len; i++) {
		const nb_diag_entry *e = &d->items[i];
		nb_buf_printf(&b, "%d %s:%d:%d %s %s | %s\n", (int)e->sev, e->file, e->line,
			      e->col, e->code, e->msg, e->hint ? e->hint : "");
	}
	return nb_buf_detach(&b);
}

static void dump(const nb_diag *d)
{
	nb_diag_print(d, stderr, 0);
}

/* The loaded documents, each as one line of what the rest of the build reads. */
static char *docs_text(const nb_content *c)
{
	nb_buf b = NB_BUF_INIT, scratch = NB_BUF_INIT;
	for (size_t i = 0; i < c->len; i++) {
		const nb_doc *doc = &c->docs[i];
		json_t *meta = nb_doc_meta(doc);
		char *m = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
		nb_buf_printf(&b, "%s|%s|%s|ok=%d|draft=%d|%s|", doc->path, doc->kind, doc->id,
			      doc->ok, doc->draft, m ? m : "-");
		const char *h = nb_doc_html(doc, &scratch);
		nb_buf_printf(&b, "html=%s|", h ? h : "(unreadable)");
		h = nb_doc_text(doc, SIZE_MAX, &scratch);
		nb_buf_printf(&b, "text=%s|", h ? h : "(unreadable)");
		h = nb_doc_toc_text(doc, &scratch);
		nb_buf_printf(&b, "toc=%s|", h ? h : "(unreadable)");
		/* The page key's part of the body, the same restored or loaded. */
		nb_buf_printf(&b, "key=%016llx%016llx\n", (unsigned long long)doc->body_key.hi,
			      (unsigned long long)doc->body_key.lo);
		free(m);
		json_decref(meta);
	}
	nb_buf_free(&scratch);
	return nb_buf_detach(&b);
}

NB_TEST(ids_that_are_web_addresses)
{
	static const char *const good[] = { "a", "2024/m-1", "x_y.z", "a./b", "会议/三月", "v1.md" };
	static const char *const bad[] = { "", "/a", "a/", "a//b", ".", "..", "./a", "a/./b",
					   "a/../b", "../x", ".hidden", "a/.b", "a b", "a?b",
					   "a#b", "a%20b", "a\\b", "a\nb", "a:b",
					   "caf\xe9", "\xe4\xbc\x9a\xd2\xe9", "a\xc3" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!nb_content_id_valid(good[i]))
			fprintf(stderr, "  refused: \"%s\"\n", good[i]);
		NB_CHECK(nb_content_id_valid(good[i]));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (nb_content_id_valid(bad[i]))
			fprintf(stderr, "  accepted: \"%s\"\n", bad[i]);
		NB_CHECK(!nb_content_id_valid(bad[i]));
	}
}

NB_TEST(documents_kinds_ids_and_attachments)
{
	site s;
	site_new(&s, NULL);
	put(&s, "content/meetings/2024/m1.md", "---\ntitle: \"M1\"\n---\nBody\n");
	put(&s, "content/about.md", "---\ntitle: \"About\"\n---\n");
	put(&s, "content/decisions/d.md", "---\ntitle: \"D\"\nid: \"d-7\"\n---\n");
	put(&s, "content/pages/draft.md", "---\ntitle: \"Dr\"\ndraft: true\n---\n");
	put(&s, "content/meetings/2024/minutes.pdf", "%PDF-1.4\n");
	put(&s, "content/decisions/d-7/plan.csv", "a,b\n1,2\n");
	put(&s, "content/pages/notes.md.txt", "not a document\n");
	int rc = site_load(&s, NULL);
	NB_CHECK(rc == 0);
	NB_CHECK(s.d.len == 0);
	if (s.d.len)
		dump(&s.d);
	NB_CHECK(s.c.len == 4);
	NB_CHECK(s.c.n_assets == 3);
	if (s.c.len == 4) {
		/* Sorted by path, bytewise. */
		NB_CHECK_STR(s.c.docs[0].path, "content/about.md");
		NB_CHECK_STR(s.c.docs[1].path, "content/decisions/d.md");
		NB_CHECK_STR(s.c.docs[2].path, "content/meetings/2024/m1.md");
		NB_CHECK_STR(s.c.docs[3].path, "content/pages/draft.md");
	}
	const nb_doc *d = doc_at(&s, "content/meetings/2024/m1.md");
	NB_CHECK(d && d->ok && !d->draft);
	NB_CHECK_STR(d ? d->kind : NULL, "meetings");
	NB_CHECK_STR(d ? d->id : NULL, "2024/m1");
	NB_CHECK_STR(d ? nb_doc_str(d, "title") : NULL, "M1");
	NB_CHECK(d && d->body_line == 4);
	d = doc_at(&s, "content/about.md");
	NB_CHECK_STR(d ? d->kind : NULL, "pages");
	NB_CHECK_STR(d ? d->id : NULL, "about");
	d = doc_at(&s, "content/decisions/d.md");
	NB_CHECK_STR(d ? d->kind : NULL, "decisions");
	NB_CHECK_STR(d ? d->id : NULL, "d-7");
	d = doc_at(&s, "content/pages/draft.md");
	NB_CHECK(d && d->ok && d->draft);
	NB_CHECK_STR(d ? d->id : NULL, "draft");
	const nb_asset *a = asset_at(&s, "content/meetings/2024/minutes.pdf");
	NB_CHECK_STR(a ? a->dest : NULL, "meetings/2024/minutes.pdf");
	a = asset_at(&s, "content/decisions/d-7/plan.csv");
	NB_CHECK_STR(a ? a->dest : NULL, "decisions/d-7/plan.csv");
	a = asset_at(&s, "content/pages/notes.md.txt");
	NB_CHECK_STR(a ? a->dest : NULL, "pages/notes.md.txt");
	site_drop(&s);
}

NB_TEST(no_content_folder_is_an_error)
{
	site s;
	site_new(&s, NULL);
	NB_CHECK(site_load(&s, NULL) == -1);
	NB_CHECK(s.d.errors == 1);
	NB_CHECK(diag_find(&s.d, "content-missing", "content") != NULL);
	site_drop(&s);
}

/* `x.MD`, `x.markdown`: meant as documents, so neither published as
 * their source nor dropped, but an error naming each. */
NB_TEST(markdown_under_another_name_is_an_error)
{
	site s;
	site_new(&s, NULL);
	put(&s, "content/meetings/m.MD", "---\ntitle: \"M\"\n---\n");
	put(&s, "content/pages/p.markdown", "---\ntitle: \"P\"\n---\n");
	put(&s, "content/pages/q.Md", "---\ntitle: \"Q\"\n---\n");
	put(&s, "content/r.mkd", "---\ntitle: \"R\"\n---\n");
	put(&s, "content/pages/ok.md", "---\ntitle: \"Ok\"\n---\n");
	NB_CHECK(site_load(&s, NULL) == -1);
	NB_CHECK(s.d.errors == 4);
	NB_CHECK(diag_count(&s.d, "document-extension") == 4);
	const nb_diag_entry *e = diag_find(&s.d, "document-extension", "content/meetings/m.MD");
	NB_CHECK(e != NULL);
	NB_CHECK_CONTAINS(e ? e->hint : NULL, "rename it to `m.md`");
	e = diag_find(&s.d, "document-extension", "content/pages/p.markdown");
	NB_CHECK_CONTAINS(e ? e->hint : NULL, "rename it to `p.md`");
	e = diag_find(&s.d, "document-extension", "content/pages/q.Md");
	NB_CHECK_CONTAINS(e ? e->hint : NULL, "rename it to `q.md`");
	NB_CHECK(diag_find(&s.d, "document-extension", "content/r.mkd") != NULL);
	/* Not an attachment either: that would publish the source. */
	NB_CHECK(s.c.n_assets == 0);
	NB_CHECK(s.c.len == 1);
	NB_CHECK(doc_at(&s, "content/pages/ok.md") != NULL);
	site_drop(&s);
}

/* An editor's backup is neither a document nor an attachment (the
 * backup of a draft would publish it), but each is named in a warning. */
NB_TEST(backups_are_left_out_with_a_warning)
{
	site s;
	site_new(&s, NULL);
	static const char *const backups[] = {
		"content/meetings/m.md~", "content/meetings/#m.md#", "content/pages/a.md.bak",
		"content/pages/a.md.orig", "content/pages/a.md.swp", "content/pages/a.md.SWO",
		"content/pages/photo.JPG.BAK",
	};
	size_t n = sizeof(backups) / sizeof(backups[0]);
	for (size_t i = 0; i < n; i++)
		put(&s, backups[i], "---\ntitle: \"Old draft\"\ndraft: true\n---\nSecret\n");
	put(&s, "content/meetings/m.md", "---\ntitle: \"M\"\n---\n");
	put(&s, "content/pages/a.md", "---\ntitle: \"A\"\n---\n");
	NB_CHECK(site_load(&s, NULL) == 0);
	NB_CHECK(s.d.errors == 0);
	NB_CHECK(s.d.warnings == n);
	for (size_t i = 0; i < n; i++) {
		const nb_diag_entry *e = diag_find(&s.d, "file-backup", backups[i]);
		if (!e)
			fprintf(stderr, "  no warning for %s\n", backups[i]);
		NB_CHECK(e && e->sev == NB_SEV_WARNING);
	}
	NB_CHECK(s.c.len == 2);
	NB_CHECK(s.c.n_assets == 0);
	NB_CHECK(doc_at(&s, "content/meetings/m.md") != NULL);
	NB_CHECK(doc_at(&s, "content/pages/a.md") != NULL);
	site_drop(&s);
}

NB_TEST(ids_that_cannot_be_addresses_are_errors_at_their_line)
{
	site s;
	site_new(&s, NULL);
	put(&s, "content/meetings/bad.md", "---\ntitle: \"B\"\nid: \"../x\"\n---\n");
	put(&s, "content/meetings/a b.md", "---\ntitle: \"AB\"\n---\n");
	put(&s, "content/meetings/n.md", "---\ntitle: \"N\"\n\nid: 7\n---\n");
	put(&s, "content/meetings/fine.md", "---\ntitle: \"F\"\n---\n");
	NB_CHECK(site_load(&s, NULL) == -1);
	NB_CHECK(s.d.errors == 3);
	const nb_diag_entry *e = diag_find(&s.d, "id-invalid", "content/meetings/bad.md");
	NB_CHECK(e && e->line == 3 && e->col == 5);
	NB_CHECK_CONTAINS(e ? e->msg : NULL, "`../x`");
	e = diag_find(&s.d, "id-invalid", "content/meetings/a b.md");
	NB_CHECK(e && e->line == 0);
	NB_CHECK_CONTAINS(e ? e->msg : NULL, "`a b`");
	e = diag_find(&s.d, "id-type", "content/meetings/n.md");
	NB_CHECK(e && e->line == 4 && e->col == 5);
	const nb_doc *d = doc_at(&s, "content/meetings/bad.md");
	NB_CHECK(d && !d->ok);
	d = doc_at(&s, "content/meetings/n.md");
	NB_CHECK(d && !d->ok);
	d = doc_at(&s, "content/meetings/fine.md");
	NB_CHECK(d && d->ok);
	site_drop(&s);
}

/* Two files claiming one id: the second in path order is the error, at
 * its `id:` line, and the hint names the first, whichever way each got
 * its id; ids one letter's case apart are one page on many servers. */
/* A file name in another encoding (a folder zipped on a GBK system): a
 * document's id came from it and every link to the page came out empty;
 * an attachment was published but left out of the audit manifest, so
 * `verify` failed right after `publish`. Neither is published now, and
 * each is an error naming the file. */
NB_TEST(a_file_name_that_is_not_utf8_is_an_error)
{
	site s;
	site_new(&s, NULL);
	put(&s, "content/pages/caf\xe9.md", "---\ntitle: \"Cafe\"\n---\n");
	put(&s, "content/pages/\xbb\xe1\xd2\xe9.md", "---\ntitle: \"GBK\"\nid: \"meeting\"\n---\n");
	put(&s, "content/pages/caf\xe9.pdf", "%PDF-1.4\n");
	put(&s, "content/\xd2\xe9/plan.pdf", "%PDF-1.4\n");
	put(&s, "content/pages/ok.md", "---\ntitle: \"Ok\"\n---\n");
	put(&s, "content/pages/\xe4\xbc\x9a\xe8\xae\xae.md", "---\ntitle: \"UTF-8\"\n---\n");
	NB_CHECK(site_load(&s, NULL) == -1);
	NB_CHECK(s.d.errors == 4);
	static const char *const bad[] = { "content/pages/caf\xe9.md",
					   "content/pages/\xbb\xe1\xd2\xe9.md",
					   "content/pages/caf\xe9.pdf", "content/\xd2\xe9/plan.pdf" };
	for (size_t i = 0; i < 4; i++) {
		const nb_diag_entry *e = diag_find(&s.d, "file-name-encoding", bad[i]);
		NB_CHECK_CONTAINS(e ? e->msg : NULL, "not UTF-8");
		NB_CHECK(doc_at(&s, bad[i]) == NULL && asset_at(&s, bad[i]) == NULL);
	}
	NB_CHECK(s.c.len == 2 && s.c.n_assets == 0);
	const nb_doc *d = doc_at(&s, "content/pages/\xe4\xbc\x9a\xe8\xae\xae.md");
	NB_CHECK_STR(d ? d->id : NULL, "\xe4\xbc\x9a\xe8\xae\xae");
	site_drop(&s);
}

NB_TEST(an_id_claimed_twice_is_an_error_naming_both)
{
	site s;
	site_new(&s, NULL);
	put(&s, "content/meetings/a.md", "---\ntitle: \"A\"\nid: \"same\"\n---\n");
	put(&s, "content/meetings/b.md", "---\ntitle: \"B\"\n\nid: \"same\"\n---\n");
	put(&s, "content/pages/x.md", "---\ntitle: \"X\"\n---\n");
	put(&s, "content/decisions/y.md", "---\ntitle: \"Y\"\nid: \"x\"\n---\n");
	put(&s, "content/pages/Notes.md", "---\ntitle: \"N1\"\n---\n");
	put(&s, "content/pages/notes.md", "---\ntitle: \"N2\"\n---\n");
	put(&s, "content/pages/top.md", "---\ntitle: \"T1\"\n---\n");
	put(&s, "content/top.md", "---\ntitle: \"T2\"\n---\n");
	put(&s, "content/pages/caf\xc3\xa9.md", "---\ntitle: \"C1\"\n---\n");
	put(&s, "content/pages/cafe\xcc\x81.md", "---\ntitle: \"C2\"\n---\n");
	NB_CHECK(site_load(&s, NULL) == -1);
	NB_CHECK(s.d.errors == 5);
	const nb_diag_entry *e = diag_find(&s.d, "id-duplicate", "content/meetings/b.md");
	NB_CHECK(e && e->line == 4 && e->col == 5);
	NB_CHECK_CONTAINS(e ? e->hint : NULL, "content/meetings/a.md");
	e = diag_find(&s.d, "id-duplicate", "content/pages/x.md");
	NB_CHECK_CONTAINS(e ? e->hint : NULL, "content/decisions/y.md");
	e = diag_find(&s.d, "id-collision", "content/pages/notes.md");
	NB_CHECK_CONTAINS(e ? e->msg : NULL, "`notes`");
	NB_CHECK_CONTAINS(e ? e->msg : NULL, "`Notes`");
	NB_CHECK_CONTAINS(e ? e->hint : NULL, "content/pages/Notes.md");
	/* Composed and decomposed é: one address to a reader and to most
	 * file systems. */
	NB_CHECK(diag_find(&s.d, "id-collision", "content/pages/cafe\xcc\x81.md") ||
		 diag_find(&s.d, "id-collision", "content/pages/caf\xc3\xa9.md"));
	/* content/pages/top.md and content/top.md: both pages, both `top`. */
	e = diag_find(&s.d, "id-duplicate", "content/top.md");
	NB_CHECK_CONTAINS(e ? e->hint : NULL, "content/pages/top.md");
	const nb_doc *d = doc_at(&s, "content/meetings/a.md");
	NB_CHECK(d && d->ok);
	d = doc_at(&s, "content/meetings/b.md");
	NB_CHECK(d && !d->ok);
	site_drop(&s);
}

NB_TEST(encodings_fences_and_empty_files)
{
	site s;
	site_new(&s, NULL);
	put(&s, "content/pages/latin1.md", "---\ntitle: \"L\"\n---\nok\nbad \xff here\n");
	put_bytes(&s, "content/pages/nul.md", "---\ntitle: \"Z\"\n---\na\0b\n", 24);
	put(&s, "content/pages/bom.md", "\xEF\xBB\xBF---\ntitle: \"B\"\nid: \"bom\"\n---\nText\n");
	put(&s, "content/pages/crlf.md", "---\r\ntitle: \"C\"\r\nid: \"crlf\"\r\n---\r\nText\r\n");
	put(&s, "content/pages/empty.md", "");
	put(&s, "content/pages/plain.md", "Just text\n");
	put(&s, "content/pages/open.md", "\n\n---\ntitle: \"O\"\nbody\n");
	put(&s, "content/pages/unclosed.md", "---\ntitle: \"U\"\nbody\n");
	put(&s, "content/pages/yaml.md", "---\ntitle: \"Y\"\n  x: [\n---\n");
	NB_CHECK(site_load(&s, NULL) == -1);
	const nb_diag_entry *e = diag_find(&s.d, "utf8", "content/pages/latin1.md");
	NB_CHECK(e && e->line == 5 && e->col == 5);
	e = diag_find(&s.d, "utf8", "content/pages/nul.md");
	NB_CHECK(e && e->line == 4);
	e = diag_find(&s.d, "frontmatter-unterminated", "content/pages/unclosed.md");
	NB_CHECK(e && e->line == 1);
	NB_CHECK(s.d.errors == 4);  /* and one for yaml.md */
	int yaml_err = 0;
	for (size_t i = 0; i < s.d.len; i++)
		yaml_err += !strcmp(s.d.items[i].file, "content/pages/yaml.md") &&
			    s.d.items[i].sev == NB_SEV_ERROR;
	NB_CHECK(yaml_err == 1);
	NB_CHECK(s.c.len == 9);
	const nb_doc *d = doc_at(&s, "content/pages/bom.md");
	NB_CHECK(d && d->ok);
	NB_CHECK_STR(d ? d->id : NULL, "bom");
	NB_CHECK_STR(d ? nb_doc_str(d, "title") : NULL, "B");
	d = doc_at(&s, "content/pages/crlf.md");
	NB_CHECK(d && d->ok);
	NB_CHECK_STR(d ? d->id : NULL, "crlf");
	NB_CHECK_STR(d ? nb_doc_str(d, "title") : NULL, "C");
	/* No front matter is no fields, not an error: the schema asks for them. */
	d = doc_at(&s, "content/pages/empty.md");
	NB_CHECK(d && d->ok);
	NB_CHECK_STR(d ? d->id : NULL, "empty");
	d = doc_at(&s, "content/pages/plain.md");
	NB_CHECK(d && d->ok && d->body_line == 1);
	/* A fence not on the first line is body text. */
	d = doc_at(&s, "content/pages/open.md");
	NB_CHECK(d && d->ok && !nb_doc_has(d, "title"));
	static const char *const failed[] = { "content/pages/latin1.md", "content/pages/nul.md",
					      "content/pages/unclosed.md", "content/pages/yaml.md" };
	for (size_t i = 0; i < 4; i++) {
		d = doc_at(&s, failed[i]);
		NB_CHECK(d && !d->ok);
	}
	site_drop(&s);
}

NB_TEST(a_file_over_the_size_limit_is_an_error)
{
	site s;
	site_new(&s, SITE_YAML "limits:\n  file_size: 100\n");
	char big[160];
	memset(big, 'x', sizeof(big));
	memcpy(big, "---\ntitle: \"B\"\n---\n", 19);
	put_bytes(&s, "content/pages/big.md", big, sizeof(big));
	put_bytes(&s, "content/pages/fits.md", big, 100);
	NB_CHECK(site_load(&s, NULL) == -1);
	NB_CHECK(s.d.errors == 1);
	if (s.d.errors != 1)
		dump(&s.d);
	const nb_diag_entry *e = diag_find(&s.d, "file-too-large", "content/pages/big.md");
	NB_CHECK_CONTAINS(e ? e->msg : NULL, "100 bytes");
	const nb_doc *d = doc_at(&s, "content/pages/big.md");
	NB_CHECK(d && !d->ok);
	d = doc_at(&s, "content/pages/fits.md");
	NB_CHECK(d && d->ok);
	site_drop(&s);
}

/* 4 cells a row; the header and the delimiter row count 8 together. */
NB_TEST(tables_over_the_limit_are_an_error_at_their_row)
{
	site s;
	site_new(&s, SITE_YAML "limits:\n  table_cells: 10\n");
	put(&s, "content/pages/big.md",
	    "---\ntitle: \"Big\"\n---\nIntro\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
	put(&s, "content/pages/fits.md", "---\ntitle: \"Fits\"\n---\n| a | b |\n|---|---|\n");
	put(&s, "content/pages/code.md",
	    "---\ntitle: \"Code\"\n---\n```\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n```\n");
	put(&s, "content/pages/two.md",
	    "---\ntitle: \"Two\"\n---\n| a | b |\n|---|---|\n\n| c | d |\n|---|---|\n");
	NB_CHECK(site_load(&s, NULL) == -1);
	NB_CHECK(s.d.errors == 2);
	const nb_diag_entry *e = diag_find(&s.d, "markdown-table-limit", "content/pages/big.md");
	NB_CHECK(e && e->line == 8 && e->col == 1);
	NB_CHECK_CONTAINS(e ? e->msg : NULL, "more than 10 cells");
	e = diag_find(&s.d, "markdown-table-limit", "content/pages/two.md");
	NB_CHECK(e && e->line == 8);
	const nb_doc *d = doc_at(&s, "content/pages/fits.md");
	NB_CHECK(d && d->ok);
	d = doc_at(&s, "content/pages/code.md");
	NB_CHECK(d && d->ok);
	d = doc_at(&s, "content/pages/big.md");
	NB_CHECK(d && !d->ok);
	site_drop(&s);
}

/* Broken files of several sorts, each reported, in walk order, and the
 * same list and documents with one thread or four. */
static void write_many(const site *s)
{
	char rel[64], text[128];
	for (int i = 0; i < 48; i++) {
		snprintf(rel, sizeof(rel), "content/meetings/f%02d.md", i);
		switch (i % 4) {
		case 0:
			snprintf(text, sizeof(text), "---\ntitle: \"F%d\"\nbody\n", i);
			break;
		case 1:
			snprintf(text, sizeof(text), "---\ntitle: \"F%d\"\nid: \"/x%d\"\n---\n", i, i);
			break;
		case 2:
			snprintf(text, sizeof(text), "---\ntitle: \"F%d\xfe\"\n---\n", i);
			break;
		default:
			snprintf(text, sizeof(text), "---\ntitle: \"F%d\"\n---\n# H\n\nText *%d*\n",
				 i, i);
		}
		put(s, rel, text);
	}
}

static void load_with_jobs(site *s, const char *jobs, char **diags, char **docs)
{
	setenv("NB_JOBS", jobs, 1);
	nb_markdown_opts mo = { 0 };
	nb_content_opts o = { &mo, 0, NULL, NULL, NULL };
	site_load(s, &o);
	*diags = diag_text(&s->d);
	*docs = docs_text(&s->c);
	site_unload(s);
}

NB_TEST(diagnostics_do_not_depend_on_the_thread_count)
{
	site s;
	site_new(&s, NULL);
	write_many(&s);
	char *diag1, *docs1, *diag4, *docs4;
	load_with_jobs(&s, "1", &diag1, &docs1);
	NB_CHECK(site_load(&s, NULL) == -1);
	NB_CHECK(s.d.errors == 36);
	/* In walk order: each error's file after the one before. */
	for (size_t i = 1; i < s.d.len; i++)
		NB_CHECK(strcmp(s.d.items[i - 1].file, s.d.items[i].file) < 0);
	NB_CHECK(diag_find(&s.d, "frontmatter-unterminated", "content/meetings/f00.md") != NULL);
	NB_CHECK(diag_find(&s.d, "id-invalid", "content/meetings/f01.md") != NULL);
	NB_CHECK(diag_find(&s.d, "utf8", "content/meetings/f02.md") != NULL);
	site_unload(&s);
	for (int round = 0; round < 5; round++) {
		load_with_jobs(&s, "4", &diag4, &docs4);
		NB_CHECK_STR(diag4, diag1);
		NB_CHECK_STR(docs4, docs1);
		free(diag4);
		free(docs4);
	}
	NB_CHECK_CONTAINS(docs1, "<em>3</em>");
	unsetenv("NB_JOBS");
	free(diag1);
	free(docs1);
	site_drop(&s);
}

/* Past the memo's racy window (doccache.h: a file changed within two
 * seconds of a load is not recorded), which a file's ctime, unlike its
 * mtime, cannot be set back out of. */
static void wait_out_racy_window(void)
{
	struct timespec ts = { 2, 200000000 };
	while (nanosleep(&ts, &ts) != 0)
		;
}

NB_TEST(the_memo_gives_back_what_loading_gave)
{
	site s;
	site_new(&s, NULL);
	static const char *const files[][2] = {
		{ "content/meetings/m1.md", "---\ntitle: \"M1\"\nvotes: {for: 3}\n---\n"
					    "## Agenda\n\nItem *one* & [two](m2.md)\n" },
		{ "content/meetings/m2.md", "---\ntitle: \"M2\"\nid: \"m-two\"\n---\nText\n" },
		{ "content/pages/d.md", "---\ntitle: \"Draft\"\ndraft: true\n---\nHidden\n" },
		{ "content/charters/c/v1.md", "---\ntitle: \"C\"\n---\n## Article 1\n\nA.\n" },
	};
	size_t n = sizeof(files) / sizeof(files[0]);
	for (size_t i = 0; i < n; i++)
		put(&s, files[i][0], files[i][1]);
	wait_out_racy_window();
	nb_markdown_opts mo = { 0 };
	nb_content_opts plain = { &mo, 0, NULL, NULL, NULL };
	NB_CHECK(site_load(&s, &plain) == 0);
	char *want = docs_text(&s.c);
	site_unload(&s);

	nb_content_opts memo = { &mo, 0, NULL, "load", "salt-1" };
	NB_CHECK(site_load(&s, &memo) == 0);
	NB_CHECK(s.c.reused == 0);
	char *first = docs_text(&s.c);
	NB_CHECK_STR(first, want);
	site_unload(&s);
	NB_CHECK(site_load(&s, &memo) == 0);
	NB_CHECK(s.c.reused == n);
	char *again = docs_text(&s.c);
	NB_CHECK_STR(again, want);
	site_unload(&s);

	/* An edit is loaded anew, the rest still restored. */
	put(&s, files[1][0], "---\ntitle: \"M2 corrected\"\nid: \"m-two\"\n---\nFixed text\n");
	wait_out_racy_window();
	NB_CHECK(site_load(&s, &memo) == 0);
	NB_CHECK(s.c.reused == n - 1);
	const nb_doc *d = doc_at(&s, "content/meetings/m2.md");
	NB_CHECK_STR(d ? nb_doc_str(d, "title") : NULL, "M2 corrected");
	nb_buf b = NB_BUF_INIT;
	NB_CHECK_CONTAINS(d ? nb_doc_html(d, &b) : NULL, "Fixed text");
	nb_buf_free(&b);
	site_unload(&s);
	free(want);
	free(first);
	free(again);
	site_drop(&s);
}

/* The memo's scratch file and its restores, with four threads, give
 * what one thread without a memo gives. */
NB_TEST(the_memo_with_threads_gives_what_one_thread_gives)
{
	site s;
	site_new(&s, NULL);
	write_many(&s);
	wait_out_racy_window();
	char *diag1, *docs1;
	load_with_jobs(&s, "1", &diag1, &docs1);
	setenv("NB_JOBS", "4", 1);
	nb_markdown_opts mo = { 0 };
	nb_content_opts memo = { &mo, 0, NULL, "load", "salt-t" };
	for (int round = 0; round < 3; round++) {
		NB_CHECK(site_load(&s, &memo) == -1);
		/* The 12 good files are recorded by the first load. */
		NB_CHECK(s.c.reused == (round ? 12 : 0));
		char *diags = diag_text(&s.d), *docs = docs_text(&s.c);
		NB_CHECK_STR(diags, diag1);
		NB_CHECK_STR(docs, docs1);
		free(diags);
		free(docs);
		site_unload(&s);
	}
	unsetenv("NB_JOBS");
	free(diag1);
	free(docs1);
	site_drop(&s);
}

NB_TEST_MAIN("content",
	     NB_CASE(ids_that_are_web_addresses),
	     NB_CASE(documents_kinds_ids_and_attachments),
	     NB_CASE(no_content_folder_is_an_error),
	     NB_CASE(markdown_under_another_name_is_an_error),
	     NB_CASE(backups_are_left_out_with_a_warning),
	     NB_CASE(ids_that_cannot_be_addresses_are_errors_at_their_line),
	     NB_CASE(a_file_name_that_is_not_utf8_is_an_error),
	     NB_CASE(an_id_claimed_twice_is_an_error_naming_both),
	     NB_CASE(encodings_fences_and_empty_files),
	     NB_CASE(a_file_over_the_size_limit_is_an_error),
	     NB_CASE(tables_over_the_limit_are_an_error_at_their_row),
	     NB_CASE(diagnostics_do_not_depend_on_the_thread_count),
	     NB_CASE(the_memo_gives_back_what_loading_gave),
	     NB_CASE(the_memo_with_threads_gives_what_one_thread_gives))

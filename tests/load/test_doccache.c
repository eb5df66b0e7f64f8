/*
 * test_doccache.c - the memo of loaded documents (doccache.h).
 *
 * What a restored document holds must be what loading gave, value for
 * value: front matter with every JSON type (reals that do not print
 * short, big integers, nested containers, CJK and control characters,
 * key order), the position table as bytes, the HTML, text and headings,
 * the draft flag and an unrendered draft. And the memo must only ever
 * answer for the file it was made from: another stat, another salt, or a
 * memo cut short is a miss; a file changed within the racy window or one
 * that failed to load is not recorded; a memo garbled anywhere never
 * gives back a malformed document.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "load/content.h"
#include "load/doccache.h"
#include "load/meta.h"
#include "util/fs.h"

#define NOW_S 2000000000LL
#define NOW (NOW_S * 1000000000LL)

static char *site_dir(void)
{
	char tmpl[] = "/tmp/nb-doccache-XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

static struct stat old_stat(long long size, long long ino)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_size = (off_t)size;
	st.st_ino = (ino_t)ino;
	st.st_dev = 7;
	st.st_mode = 0100644;
	st.st_mtim.tv_sec = (time_t)(NOW_S - 3600);
	st.st_mtim.tv_nsec = 123456789;
	st.st_ctim = st.st_mtim;
	return st;
}

static void make_doc(nb_doc *d, const char *path, int rendered)
{
	memset(d, 0, sizeof(*d));
	d->path = strdup(path);
	d->kind = strdup("meetings");
	d->id = strdup("m-1");
	json_t *meta = json_loads("{\"title\":\"槐荫社区\\u0001\\\"会议\\\"\",\"votes\":{\"for\":7,"
			     "\"against\":0},\"ratio\":0.1,\"third\":0.3333333333333333,"
			     "\"big\":9007199254740993,\"neg\":-4.5e-300,\"flag\":true,"
			     "\"none\":null,\"list\":[1,\"二\",[],{}],\"a\":1,\"Z\":2}",
			     0, NULL);
	nb_doc_meta_set(d, meta);
	json_decref(meta);
	d->pos = json_stringn_nocheck("\x01\x00\x02pos", 6);
	if (rendered) {
		d->html = strdup("<h2 id=\"第五条\">第五条</h2>\n<p>正文 &amp; more</p>\n");
		d->text = strdup("第五条\n正文 & more\n");
		d->toc = strdup("[{\"level\":2,\"id\":\"第五条\",\"title\":\"第五条\"}]");
		d->rendered = 1;
	}
	nb_buf t = NB_BUF_INIT;
	const char *toc = nb_doc_toc_text(d, &t), *html = d->html ? d->html : "";
	d->body_key = nb_doc_body_digest(html, strlen(html), toc, strlen(toc));
	nb_buf_free(&t);
	d->ok = 1;
}

/* Two rendered documents whose HTML differs. */
static void two_docs(nb_doc docs[2])
{
	make_doc(&docs[0], "content/meetings/a.md", 1);
	make_doc(&docs[1], "content/meetings/b.md", 1);
	free(docs[1].html);
	docs[1].html = strdup("<p>乙</p>\n");
}

static void free_doc(nb_doc *d)
{
	free(d->path);
	free(d->kind);
	free(d->id);
	nb_doc_meta_free(d);
	json_decref(d->pos);
	free(d->html);
	free(d->text);
	free(d->toc);
}

/* A fresh document as load_task starts one before restoring. */
static void blank_doc(nb_doc *d, const char *path)
{
	memset(d, 0, sizeof(*d));
	d->path = strdup(path);
	d->pos = json_object();
}

/* Save `docs` as a build with these stats would, then reopen. */
static nb_doccache *save_and_reopen(const char *dir, const char *salt, nb_doc *docs,
				    const struct stat *st, size_t n)
{
	nb_doccache *c = nb_doccache_open(dir, "docs", salt);
	nb_buf recs[4] = { NB_BUF_INIT, NB_BUF_INIT, NB_BUF_INIT, NB_BUF_INIT };
	unsigned char restored[4] = { 0 };
	for (size_t i = 0; i < n; i++)
		nb_doccache_encode(&docs[i], &st[i], NOW, &recs[i]);
	nb_doccache_save(c, docs, n, recs, restored);
	for (size_t i = 0; i < n; i++)
		nb_buf_free(&recs[i]);
	nb_doccache_close(c);
	return nb_doccache_open(dir, "docs", salt);
}

static void done(nb_doccache *c, nb_doc *docs, size_t n, char *dir)
{
	nb_doccache_close(c);
	for (size_t i = 0; i < n; i++)
		free_doc(&docs[i]);
	nb_fs_rmtree(dir);
	free(dir);
}

static int same_json(const json_t *a, const json_t *b)
{
	char *x = json_dumps(a, JSON_COMPACT | JSON_REAL_PRECISION(17));
	char *y = json_dumps(b, JSON_COMPACT | JSON_REAL_PRECISION(17));
	int same = x && y && !strcmp(x, y) && json_equal((json_t *)a, (json_t *)b);
	free(x);
	free(y);
	return same;
}

/* The two documents' front matter, decoded, are the same values. */
static int same_meta(const nb_doc *a, const nb_doc *b)
{
	json_t *x = nb_doc_meta(a), *y = nb_doc_meta(b);
	int same = same_json(x, y);
	json_decref(x);
	json_decref(y);
	return same;
}

NB_TEST(restores_what_loading_gave)
{
	char *dir = site_dir();
	nb_doc docs[2];
	make_doc(&docs[0], "content/meetings/a.md", 1);
	make_doc(&docs[1], "content/meetings/b.md", 0);
	docs[1].draft = 1;
	struct stat st[2] = { old_stat(100, 1), old_stat(200, 2) };
	nb_doccache *c = save_and_reopen(dir, "salt", docs, st, 2);

	nb_doc r;
	blank_doc(&r, "content/meetings/a.md");
	NB_CHECK(nb_doccache_restore(c, &st[0], &r, 0) == 1);
	NB_CHECK_STR(r.id, "m-1");
	NB_CHECK_STR(r.kind, "meetings");
	NB_CHECK(same_meta(&r, &docs[0]));
	/* key order survives (a before Z as written, not sorted) */
	json_t *rm = nb_doc_meta(&r);
	char *m = json_dumps(rm, JSON_COMPACT);
	NB_CHECK(m && strstr(m, "\"a\":1,\"Z\":2"));
	free(m);
	NB_CHECK(json_real_value(json_object_get(rm, "third")) == 0.3333333333333333);
	NB_CHECK(json_integer_value(json_object_get(rm, "big")) == 9007199254740993LL);
	json_decref(rm);
	/* and reads in place the same */
	NB_CHECK_STR(nb_doc_str(&r, "title"), "槐荫社区\x01\"会议\"");
	NB_CHECK(json_is_string(r.pos) && json_string_length(r.pos) == 6 &&
		 !memcmp(json_string_value(r.pos), "\x01\x00\x02pos", 6));
	/* The body is not copied: it is read back from the memo file. */
	NB_CHECK(r.rendered && r.html == NULL && r.text == NULL);
	NB_CHECK(r.html_at.set && r.text_at.set);
	nb_buf b = NB_BUF_INIT;
	NB_CHECK_STR(nb_doc_html(&r, &b), docs[0].html);
	NB_CHECK_STR(nb_doc_text(&r, SIZE_MAX, &b), docs[0].text);
	NB_CHECK_STR(nb_doc_text(&r, 3, &b), "第");
	NB_CHECK(nb_doc_text(&r, 4, &b) && b.len == 4); /* bytes, cut anywhere */
	NB_CHECK(r.toc == NULL && r.toc_at.set);
	NB_CHECK_STR(nb_doc_toc_text(&r, &b), docs[0].toc);
	nb_buf_free(&b);
	json_t *toc = nb_doc_toc(&r);
	NB_CHECK(json_is_array(toc) && json_array_size(toc) == 1);
	json_decref(toc);
	NB_CHECK(r.ok == 1 && r.draft == 0);
	free_doc(&r);

	blank_doc(&r, "content/meetings/b.md");
	NB_CHECK(nb_doccache_restore(c, &st[1], &r, 0) == 1);
	NB_CHECK(r.draft == 1 && !r.rendered && !r.html_at.set && r.toc == NULL);
	free_doc(&r);
	done(c, docs, 2, dir);
}

/* What a build does: load (one restored, one fresh), save, take the
 * file, drop the held bodies; the bodies then come from the new memo
 * even after another build replaced it on disk, and a memo cut short
 * under the build is an error, not a wrong page. */
NB_TEST(bodies_are_read_back_from_the_memo_file)
{
	char *dir = site_dir();
	nb_doc docs[2];
	two_docs(docs);
	struct stat st[2] = { old_stat(100, 1), old_stat(200, 2) };
	nb_doccache_close(save_and_reopen(dir, "salt", docs, st, 1));

	nb_doccache *c = nb_doccache_open(dir, "docs", "salt");
	nb_doc got[2];
	blank_doc(&got[0], "content/meetings/a.md");
	NB_CHECK(nb_doccache_restore(c, &st[0], &got[0], 0) == 1);
	make_doc(&got[1], "content/meetings/b.md", 1);
	free(got[1].html);
	got[1].html = strdup(docs[1].html);
	unsigned char restored[2] = { 1, 0 };
	nb_buf recs[2] = { NB_BUF_INIT, NB_BUF_INIT };
	NB_CHECK(nb_doccache_encode(&got[1], &st[1], NOW, &recs[1]) == 0);
	nb_doccache_save(c, got, 2, recs, restored);
	int files[2];
	NB_CHECK(nb_doccache_take_files(c, files) == 1);
	nb_doccache_close(c);
	NB_CHECK(got[0].html_at.set && got[1].html_at.set && got[1].text_at.set);
	free(got[1].toc);
	got[1].toc = NULL;
	NB_CHECK(got[0].html_at.fd == files[0] && got[1].html_at.fd == files[0]);
	free(got[1].html);
	free(got[1].text);
	got[1].html = got[1].text = NULL;

	/* Another build replaces the memo: ours is still readable. */
	nb_doccache_close(save_and_reopen(dir, "salt", &docs[1], &st[1], 1));
	nb_buf b = NB_BUF_INIT;
	NB_CHECK_STR(nb_doc_html(&got[0], &b), docs[0].html);
	NB_CHECK_STR(nb_doc_text(&got[0], SIZE_MAX, &b), docs[0].text);
	NB_CHECK_STR(nb_doc_html(&got[1], &b), "<p>乙</p>\n");
	NB_CHECK_STR(nb_doc_text(&got[1], SIZE_MAX, &b), docs[1].text);
	NB_CHECK(got[1].toc_at.set && got[0].toc_at.set);
	NB_CHECK_STR(nb_doc_toc_text(&got[1], &b), docs[1].toc);
	NB_CHECK_STR(nb_doc_toc_text(&got[0], &b), docs[0].toc);

	/* Cut short: NULL with errno, never a shorter body. (The build
	 * holds the memo read-only; cut it through another opening.) */
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", files[0]);
	int w = open(self, O_WRONLY);
	NB_CHECK(w >= 0 && ftruncate(w, got[1].html_at.off + 2) == 0);
	if (w >= 0)
		close(w);
	errno = 0;
	NB_CHECK(nb_doc_html(&got[1], &b) == NULL && errno == EIO);
	NB_CHECK(nb_doc_html(&got[0], &b) != NULL);
	nb_buf_free(&b);
	close(files[0]);
	for (int i = 0; i < 2; i++) {
		nb_buf_free(&recs[i]);
		free_doc(&got[i]);
	}
	done(NULL, docs, 2, dir);
}

NB_TEST(answers_only_for_the_same_file_and_salt)
{
	char *dir = site_dir();
	nb_doc doc;
	make_doc(&doc, "content/meetings/a.md", 1);
	struct stat st = old_stat(100, 1);
	nb_doccache *c = save_and_reopen(dir, "salt", &doc, &st, 1);
	struct stat other[5] = { st, st, st, st, st };
	other[0].st_size = 101;
	other[1].st_ino = 9;
	other[2].st_mtim.tv_nsec++;
	other[3].st_ctim.tv_sec++;
	other[4].st_dev = 8;
	for (int i = 0; i < 5; i++) {
		nb_doc r;
		blank_doc(&r, "content/meetings/a.md");
		NB_CHECK(nb_doccache_restore(c, &other[i], &r, 0) == 0);
		NB_CHECK(r.id == NULL && r.meta == NULL);
		free_doc(&r);
	}
	nb_doc r;
	blank_doc(&r, "content/meetings/other.md");
	NB_CHECK(nb_doccache_restore(c, &st, &r, 0) == 0);
	free_doc(&r);
	nb_doccache_close(c);
	c = nb_doccache_open(dir, "docs", "another salt");
	blank_doc(&r, "content/meetings/a.md");
	NB_CHECK(nb_doccache_restore(c, &st, &r, 0) == 0);
	free_doc(&r);
	nb_doccache_close(c);
	free_doc(&doc);
	nb_fs_rmtree(dir);
	free(dir);
}

NB_TEST(racy_and_failed_files_are_not_recorded)
{
	nb_doc doc;
	make_doc(&doc, "content/meetings/a.md", 1);
	struct stat st = old_stat(100, 1);
	nb_buf rec = NB_BUF_INIT;
	st.st_mtim.tv_sec = (time_t)(NOW_S - 1);
	NB_CHECK(nb_doccache_encode(&doc, &st, NOW, &rec) == -1 && rec.len == 0);
	st = old_stat(100, 1);
	st.st_ctim.tv_sec = (time_t)NOW_S;
	NB_CHECK(nb_doccache_encode(&doc, &st, NOW, &rec) == -1 && rec.len == 0);
	st = old_stat(100, 1);
	doc.ok = 0;
	NB_CHECK(nb_doccache_encode(&doc, &st, NOW, &rec) == -1 && rec.len == 0);
	doc.ok = 1;
	NB_CHECK(nb_doccache_encode(&doc, &st, NOW, &rec) == 0 && rec.len > 0);
	nb_buf_free(&rec);
	free_doc(&doc);
}

/* Restore a.md from the memo in `dir` as a build would; 1 when restored,
 * and then `wrong` counts a malformed document and `page_ok` says
 * whether its page may be made from its body (nb_doc_page_body). */
static int try_restore(const char *dir, const struct stat *st, size_t len, size_t *wrong,
		       int *page_ok)
{
	nb_doccache *c = nb_doccache_open(dir, "docs", "salt");
	nb_doc r;
	blank_doc(&r, "content/meetings/a.md");
	int got = nb_doccache_restore(c, st, &r, 0);
	if (got) {
		*wrong += !r.meta || !r.id || !r.kind ||
			  (r.rendered && (!r.html_at.set || !r.text_at.set || !r.toc_at.set)) ||
			  (r.toc_at.set && (size_t)r.toc_at.off + r.toc_at.len > len) ||
			  (r.html_at.set && (size_t)r.html_at.off + r.html_at.len > len) ||
			  (r.text_at.set && (size_t)r.text_at.off + r.text_at.len > len);
		nb_buf hb = NB_BUF_INIT, tb = NB_BUF_INIT;
		const char *html, *toc;
		*page_ok = nb_doc_page_body(&r, &hb, &tb, &html, &toc) == 0;
		nb_buf_free(&hb);
		nb_buf_free(&tb);
	}
	free_doc(&r);
	nb_doccache_close(c);
	return got;
}

NB_TEST(a_damaged_memo_is_a_miss)
{
	char *dir = site_dir();
	nb_doc doc;
	make_doc(&doc, "content/meetings/a.md", 1);
	struct stat st = old_stat(100, 1);
	nb_doccache_close(save_and_reopen(dir, "salt", &doc, &st, 1));
	char *cache = nb_path_join(dir, ".noticeboard-cache");
	nb_strlist files = { 0 };
	nb_fs_walk(cache, &files, NULL);
	nb_strlist_sort(&files);
	/* The records and their index, nothing else. */
	NB_CHECK(files.len == 2 && !strcmp(files.items[0], "docs") &&
		 !strcmp(files.items[1], "docs.idx"));
	for (size_t k = 0; k < files.len; k++) {
		char *file = nb_path_join(cache, files.items[k]);
		char *data = NULL;
		size_t len = 0, wrong = 0, restored = 0;
		NB_CHECK(nb_fs_read(file, 0, &data, &len) == 0 && len > 100);
		/* Every cut of either file is a miss; a flipped byte at many
		 * places never restores a wrong document (a flip inside the
		 * HTML may restore, but then with the flipped byte only; a
		 * flip in the index or a record's head must miss). */
		int page_ok = 0;
		for (size_t cut = 0; cut < len; cut += 1 + cut / 16) {
			nb_fs_write(file, data, cut);
			restored += try_restore(dir, &st, len, &wrong, &page_ok);
		}
		NB_CHECK(restored == 0);
		/* A flip in the HTML may restore, but its page is then never
		 * made from it; one in the text may (summaries and search
		 * read it, unchecked). */
		size_t head = k == 0 ? len - strlen(doc.html) - strlen(doc.text) : len;
		size_t flips = 0, in_html = 0, pages = 0;
		for (size_t at = 0; at < len; at += 7) {
			data[at] ^= 0x55;
			nb_fs_write(file, data, len);
			data[at] ^= 0x55;
			int got = try_restore(dir, &st, len, &wrong, &page_ok);
			flips += got && at < head;
			if (got && at >= head && at < head + strlen(doc.html)) {
				in_html++;
				pages += page_ok;
			}
		}
		NB_CHECK(wrong == 0);
		NB_CHECK(flips == 0);
		NB_CHECK(pages == 0);
		NB_CHECK(k == 1 || in_html > 5);
		nb_fs_write(file, data, len);
		NB_CHECK(try_restore(dir, &st, len, &wrong, &page_ok) == 1 && page_ok);
		free(data);
		free(file);
	}
	nb_strlist_free(&files);
	free(cache);
	free_doc(&doc);
	nb_fs_rmtree(dir);
	free(dir);
}

static off_t size_of(const char *dir, const char *name)
{
	char *c = nb_path_join(dir, ".noticeboard-cache");
	char *p = nb_path_join(c, name);
	struct stat st;
	off_t n = stat(p, &st) == 0 ? st.st_size : -1;
	free(p);
	free(c);
	return n;
}

static char *read_memo(const char *dir, const char *name, size_t *len)
{
	char *c = nb_path_join(dir, ".noticeboard-cache");
	char *p = nb_path_join(c, name);
	char *data = NULL;
	*len = 0;
	if (nb_fs_read(p, 0, &data, len) != 0)
		data = NULL;
	free(p);
	free(c);
	return data;
}

/* One build: documents with `fresh[i]` set are loaded anew (a new
 * record), the others restored. */
static void build_once(nb_test_state *nb__t, const char *dir, nb_doc *docs,
		       const struct stat *st, size_t n, const unsigned char *fresh)
{
	nb_doccache *c = nb_doccache_open(dir, "docs", "salt");
	nb_buf recs[8];
	unsigned char restored[8] = { 0 };
	for (size_t i = 0; i < n; i++) {
		nb_buf_init(&recs[i]);
		if (fresh[i]) {
			NB_CHECK(nb_doccache_encode(&docs[i], &st[i], NOW, &recs[i]) == 0);
		} else {
			nb_doc r;
			blank_doc(&r, docs[i].path);
			restored[i] = (unsigned char)nb_doccache_restore(c, &st[i], &r, 0);
			NB_CHECK(restored[i]);
			free_doc(&r);
			/* save reads the blob offsets of what was restored */
			docs[i].html_at = r.html_at;
			docs[i].text_at = r.text_at;
			docs[i].toc_at = r.toc_at;
		}
	}
	nb_doccache_save(c, docs, n, recs, restored);
	for (size_t i = 0; i < n; i++) {
		nb_buf_free(&recs[i]);
		memset(&docs[i].html_at, 0, sizeof(nb_blob));
		memset(&docs[i].text_at, 0, sizeof(nb_blob));
		memset(&docs[i].toc_at, 0, sizeof(nb_blob));
	}
	nb_doccache_close(c);
}

/* Every document of `docs` restores from the memo in `dir` as it was. */
static void restores_all(nb_test_state *nb__t, const char *dir, const nb_doc *docs,
			 const struct stat *st, size_t n)
{
	nb_doccache *c = nb_doccache_open(dir, "docs", "salt");
	for (size_t i = 0; i < n; i++) {
		nb_doc r;
		nb_buf b = NB_BUF_INIT;
		blank_doc(&r, docs[i].path);
		NB_CHECK(nb_doccache_restore(c, &st[i], &r, 0) == 1);
		NB_CHECK_STR(nb_doc_html(&r, &b), docs[i].html);
		NB_CHECK(same_meta(&r, &docs[i]));
		NB_CHECK_STR(nb_doc_toc_text(&r, &b), docs[i].toc);
		nb_buf_free(&b);
		free_doc(&r);
	}
	nb_doccache_close(c);
}

/* An edit appends one record: what was in the file stays byte for byte,
 * the index names the new record, and once the dead records are more
 * than half of the file it is written anew with the live ones only. */
NB_TEST(an_edit_appends_and_dead_records_are_compacted)
{
	char *dir = site_dir();
	nb_doc docs[4];
	struct stat st[4];
	unsigned char all[4] = { 1, 1, 1, 1 }, one[4] = { 0, 1, 0, 0 };
	for (int i = 0; i < 4; i++) {
		char path[64];
		snprintf(path, sizeof(path), "content/meetings/%c.md", 'a' + i);
		make_doc(&docs[i], path, 1);
		st[i] = old_stat(100 + i, 1 + i);
	}
	build_once(nb__t, dir, docs, st, 4, all);
	size_t before_len, after_len;
	char *before = read_memo(dir, "docs", &before_len);
	off_t first = size_of(dir, "docs");
	/* b.md edited: one record more, at the end. */
	st[1].st_size++;
	free(docs[1].html);
	docs[1].html = strdup("<p>改过</p>\n");
	build_once(nb__t, dir, docs, st, 4, one);
	char *after = read_memo(dir, "docs", &after_len);
	NB_CHECK(before && after && after_len > before_len && !memcmp(before, after, before_len));
	NB_CHECK(size_of(dir, "docs") - first < first / 2);
	restores_all(nb__t, dir, docs, st, 4);
	free(before);
	free(after);
	/* Edited again and again: the file grows by one record each time
	 * until the dead records are more than half of it, then shrinks. */
	off_t largest = 0, last = size_of(dir, "docs");
	int shrank = 0;
	for (int k = 0; k < 8 && !shrank; k++) {
		st[1].st_size++;
		build_once(nb__t, dir, docs, st, 4, one);
		off_t now = size_of(dir, "docs");
		shrank = now < last;
		largest = now > largest ? now : largest;
		last = now;
	}
	NB_CHECK(shrank && largest <= 2 * first + first / 4);
	NB_CHECK(last < first + first / 2);
	restores_all(nb__t, dir, docs, st, 4);
	done(NULL, docs, 4, dir);
}

/* A build killed in the middle of an append leaves bytes past what the
 * index vouches for: they are ignored, and the next append writes over
 * them. A torn index (or one naming bytes the file does not have) is a
 * miss for the whole memo. */
NB_TEST(a_torn_append_is_never_read)
{
	char *dir = site_dir();
	nb_doc docs[2];
	make_doc(&docs[0], "content/meetings/a.md", 1);
	make_doc(&docs[1], "content/meetings/b.md", 1);
	struct stat st[2] = { old_stat(100, 1), old_stat(200, 2) };
	unsigned char both[2] = { 1, 1 }, second[2] = { 0, 1 };
	build_once(nb__t, dir, docs, st, 2, both);
	size_t len;
	char *good = read_memo(dir, "docs", &len);
	char *cache = nb_path_join(dir, ".noticeboard-cache");
	char *file = nb_path_join(cache, "docs");
	/* The torn tail: half a record of junk. */
	nb_buf torn = NB_BUF_INIT;
	nb_buf_put(&torn, good, len);
	nb_buf_put(&torn, "\x40\x00\x00\x00garbage", 11);
	nb_fs_write(file, torn.ptr, torn.len);
	size_t wrong = 0;
	int page_ok = 0;
	NB_CHECK(try_restore(dir, &st[0], torn.len, &wrong, &page_ok) == 1 && wrong == 0 &&
		 page_ok);
	st[1].st_size++;
	build_once(nb__t, dir, docs, st, 2, second);
	size_t now_len;
	char *now = read_memo(dir, "docs", &now_len);
	/* Written where the vouched bytes end: no junk in the middle. */
	NB_CHECK(now && now_len > len && !memcmp(now, good, len) &&
		 memcmp(now + len, "\x40\x00\x00\x00garbage", 11) != 0);
	NB_CHECK(try_restore(dir, &st[0], now_len, &wrong, &page_ok) == 1 && wrong == 0 &&
		 page_ok);
	/* The records cut off below what the index names: a miss. */
	nb_fs_write(file, now, len);
	NB_CHECK(try_restore(dir, &st[0], len, &wrong, &page_ok) == 0);
	nb_buf_free(&torn);
	free(now);
	free(good);
	free(file);
	free(cache);
	done(NULL, docs, 2, dir);
}

/* Charters keep their body for linking (content.h keep_body): the record
 * keeps it too, and a build that needs it takes only such a record. */
NB_TEST(a_kept_body_is_restored_with_the_document)
{
	char *dir = site_dir();
	nb_doc docs[2];
	make_doc(&docs[0], "content/charters/c.md", 1);
	make_doc(&docs[1], "content/charters/d.md", 1);
	const char *src = "## 第一条 名称\n\n本会名称为槐荫社区居民议事会。\n";
	docs[0].src = strdup(src);
	docs[0].src_len = strlen(src);
	docs[0].body = docs[0].src;
	docs[0].body_len = docs[0].src_len;
	docs[0].body_line = 9;
	struct stat st[2] = { old_stat(100, 1), old_stat(200, 2) };
	nb_doccache *c = save_and_reopen(dir, "salt", docs, st, 2);
	nb_doc r;
	blank_doc(&r, "content/charters/c.md");
	NB_CHECK(nb_doccache_restore(c, &st[0], &r, 1) == 1);
	NB_CHECK(r.src && r.body == r.src && r.body_len == strlen(src) &&
		 !memcmp(r.body, src, r.body_len) && r.body_line == 9);
	NB_CHECK(same_meta(&r, &docs[0]));
	free(r.src);
	free_doc(&r);
	/* Recorded without its body: no good to a build that reads it. */
	blank_doc(&r, "content/charters/d.md");
	NB_CHECK(nb_doccache_restore(c, &st[1], &r, 1) == 0 && !r.src && !r.id);
	NB_CHECK(nb_doccache_restore(c, &st[1], &r, 0) == 1 && !r.src);
	free_doc(&r);
	free(docs[0].src);
	done(c, docs, 2, dir);
}

NB_TEST(unchanged_memo_is_not_rewritten_and_removed_files_go)
{
	char *dir = site_dir();
	nb_doc docs[2];
	make_doc(&docs[0], "content/meetings/a.md", 1);
	make_doc(&docs[1], "content/meetings/b.md", 1);
	struct stat st[2] = { old_stat(100, 1), old_stat(200, 2) };
	nb_doccache *c = save_and_reopen(dir, "salt", docs, st, 2);
	/* A build restoring only a.md (b.md deleted): a.md's record is kept
	 * as it was, b.md's dropped. */
	unsigned char restored[1] = { 1 };
	nb_buf recs[1] = { NB_BUF_INIT };
	nb_doccache_save(c, docs, 1, recs, restored);
	nb_doccache_close(c);
	c = nb_doccache_open(dir, "docs", "salt");
	nb_doc r;
	blank_doc(&r, "content/meetings/a.md");
	NB_CHECK(nb_doccache_restore(c, &st[0], &r, 0) == 1);
	free_doc(&r);
	blank_doc(&r, "content/meetings/b.md");
	NB_CHECK(nb_doccache_restore(c, &st[1], &r, 0) == 0);
	free_doc(&r);
	done(c, docs, 2, dir);
}

/* A first build: each fresh document's HTML, text and headings go to the
 * load's scratch file as it loads (nb_doccache_spill) and are read back
 * from there; saving copies them into the memo and points the recorded
 * documents there, while one not recorded (a racy file, as every file of
 * a fresh copy is) keeps reading the scratch file; the memo then
 * restores exactly what was rendered. */
NB_TEST(spilled_text_reaches_the_memo)
{
	char *dir = site_dir();
	nb_doc docs[2];
	two_docs(docs);
	free(docs[1].toc);
	docs[1].toc = strdup("[{\"level\":3,\"id\":\"乙\",\"title\":\"乙 & 丙\"}]");
	const char *want_toc[2] = { "[{\"level\":2,\"id\":\"第五条\",\"title\":\"第五条\"}]",
				    "[{\"level\":3,\"id\":\"乙\",\"title\":\"乙 & 丙\"}]" };
	char *want_html[2] = { strdup(docs[0].html), strdup(docs[1].html) };
	char *want_text[2] = { strdup(docs[0].text), strdup(docs[1].text) };
	struct stat st[2] = { old_stat(100, 1), old_stat(200, 2) };
	nb_doccache *c = nb_doccache_open(dir, "docs", "salt");
	nb_doccache_scratch sc;
	nb_doccache_scratch_open(&sc, c);
	NB_CHECK(sc.fd >= 0);
	nb_buf recs[2] = { NB_BUF_INIT, NB_BUF_INIT };
	unsigned char restored[2] = { 0, 0 };
	NB_CHECK(nb_doccache_encode(&docs[0], &st[0], NOW, &recs[0]) == 0);
	nb_buf b = NB_BUF_INIT;
	for (int i = 0; i < 2; i++) {
		size_t full = recs[i].len;
		nb_doccache_spill(&sc, &docs[i], &recs[i]);
		/* The record too: only its place stays in memory. */
		NB_CHECK(i == 1 || (full > 100 && recs[i].len < 100));
		NB_CHECK(docs[i].html == NULL && docs[i].text == NULL);
		NB_CHECK(docs[i].html_at.set && docs[i].html_at.fd == sc.fd);
		NB_CHECK_STR(nb_doc_html(&docs[i], &b), want_html[i]);
		NB_CHECK_STR(nb_doc_text(&docs[i], SIZE_MAX, &b), want_text[i]);
		/* The headings are no longer held as JSON. */
		NB_CHECK(docs[i].toc == NULL);
		NB_CHECK(docs[i].toc_at.set && docs[i].toc_at.fd == sc.fd);
		NB_CHECK_STR(nb_doc_toc_text(&docs[i], &b), want_toc[i]);
	}
	nb_doccache_save(c, docs, 2, recs, restored);
	NB_CHECK(docs[0].html_at.set && docs[0].html_at.fd != sc.fd);
	NB_CHECK(docs[0].toc_at.set && docs[0].toc_at.fd != sc.fd);
	NB_CHECK(docs[1].html_at.fd == sc.fd && docs[1].toc_at.fd == sc.fd);
	for (int i = 0; i < 2; i++) {
		NB_CHECK_STR(nb_doc_html(&docs[i], &b), want_html[i]);
		NB_CHECK_STR(nb_doc_text(&docs[i], SIZE_MAX, &b), want_text[i]);
		NB_CHECK_STR(nb_doc_toc_text(&docs[i], &b), want_toc[i]);
		json_t *toc = nb_doc_toc(&docs[i]);
		NB_CHECK(json_array_size(toc) == 1);
		NB_CHECK(json_integer_value(json_object_get(json_array_get(toc, 0), "level")) ==
			 (i ? 3 : 2));
		json_decref(toc);
	}
	int files[2];
	int n = nb_doccache_take_files(c, files);
	nb_doccache_close(c);
	c = nb_doccache_open(dir, "docs", "salt");
	nb_doc r;
	blank_doc(&r, "content/meetings/a.md");
	NB_CHECK(nb_doccache_restore(c, &st[0], &r, 0) == 1);
	NB_CHECK_STR(nb_doc_html(&r, &b), want_html[0]);
	NB_CHECK_STR(nb_doc_text(&r, SIZE_MAX, &b), want_text[0]);
	NB_CHECK_STR(nb_doc_toc_text(&r, &b), want_toc[0]);
	free_doc(&r);
	nb_buf_free(&b);
	for (int i = 0; i < 2; i++) {
		nb_buf_free(&recs[i]);
		free(want_html[i]);
		free(want_text[i]);
	}
	for (int i = 0; i < n; i++)
		close(files[i]);
	close(sc.fd);
	done(c, docs, 2, dir);
}

NB_TEST_MAIN("doccache",
	     NB_CASE(restores_what_loading_gave),
	     NB_CASE(bodies_are_read_back_from_the_memo_file),
	     NB_CASE(answers_only_for_the_same_file_and_salt),
	     NB_CASE(racy_and_failed_files_are_not_recorded),
	     NB_CASE(a_damaged_memo_is_a_miss),
	     NB_CASE(an_edit_appends_and_dead_records_are_compacted),
	     NB_CASE(a_torn_append_is_never_read),
	     NB_CASE(a_kept_body_is_restored_with_the_document),
	     NB_CASE(unchanged_memo_is_not_rewritten_and_removed_files_go),
	     NB_CASE(spilled_text_reaches_the_memo))

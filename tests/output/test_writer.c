/*
 * test_writer.c - a file written in pieces (writer.h nb_out_open) ends
 * as nb_out_write leaves the same bytes: the whole file, linked from the
 * previous output when identical there and only then, never written
 * through a link into it, counted, registered, an "io" error when it
 * cannot be put, and no temporary left in the staging folder either way.
 *
 * The files are larger than the 32 KB the cache compares at a time, and
 * the different ones differ only in their last byte, so a comparison that
 * stopped early or skipped a chunk would link the wrong file.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/writer.h"
#include "util/buf.h"
#include "util/fs.h"
#include "harness.h"

#define BIG ((size_t)100000)

/* BIG bytes of text; `last` is its last byte. */
static char *text(char last)
{
	char *t = malloc(BIG);
	if (!t)
		abort();
	for (size_t i = 0; i < BIG; i++)
		t[i] = (char)('a' + (i * 7 + i / 13) % 26);
	t[BIG - 1] = last;
	return t;
}

typedef struct fixture {
	char root[32];
	char *dir, *live;     /* the staging folder, the previous output */
	char *t, *u;          /* BIG bytes each, differing in the last */
	nb_render_stats st;
	nb_diag d;
	nb_out o;
} fixture;

static void setup(fixture *f, int in_place)
{
	memset(f, 0, sizeof(*f));
	strcpy(f->root, "/tmp/nb-writer.XXXXXX");
	if (!mkdtemp(f->root))
		abort();
	f->dir = nb_path_join(f->root, "stage");
	f->live = nb_path_join(f->root, "live");
	nb_fs_mkdirs(f->dir);
	nb_fs_mkdirs(f->live);
	nb_diag_init(&f->d);
	f->t = text('z');
	f->u = text('y');
	f->o = (nb_out){ f->dir, &f->st, json_object(), &f->d, f->live, in_place, json_object() };
}

/* Entries at the top of the staging folder whose name starts with '.':
 * only a temporary would be one here. */
static int dot_files(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* Every test ends here: whatever happened, no temporary was left. */
static void teardown(nb_test_state *nb__t, fixture *f)
{
	NB_CHECK(dot_files(f->dir) == 0);
	nb_fs_rmtree(f->root);
	json_decref(f->o.written);
	json_decref(f->o.rewritten);
	nb_diag_free(&f->d);
	free(f->dir);
	free(f->live);
	free(f->t);
	free(f->u);
}

/* Stream `data` to `rel` in pieces of `piece` bytes. */
static int stream(nb_out *o, const char *rel, const char *data, size_t len, size_t piece)
{
	nb_out_file f;
	nb_out_open(&f, o, rel);
	for (size_t at = 0; at < len; at += piece)
		nb_out_sink(&f, data + at, len - at < piece ? len - at : piece);
	return nb_out_close(&f);
}

static ino_t inode(const char *dir, const char *rel)
{
	char *p = nb_path_join(dir, rel);
	struct stat st;
	ino_t i = stat(p, &st) == 0 ? st.st_ino : 0;
	free(p);
	return i;
}

/* Whether `dir`/`rel` holds exactly `data`. */
static int holds(const char *dir, const char *rel, const char *data, size_t len)
{
	char *p = nb_path_join(dir, rel), *got = NULL;
	size_t n = 0;
	int same = 0;
	if (nb_fs_read(p, 0, &got, &n) == 0) {
		same = n == len && !memcmp(got, data, len);
		free(got);
	}
	free(p);
	return same;
}

/* `rel` was written anew with `now` and never through the live folder's
 * file, which still holds `was` (BIG bytes each). */
static int replaced(const fixture *f, const char *rel, const char *now, const char *was)
{
	return inode(f->dir, rel) != inode(f->live, rel) && holds(f->dir, rel, now, BIG) &&
	       holds(f->live, rel, was, BIG);
}

static void put_live(fixture *f, const char *rel, const char *data, size_t len)
{
	char *p = nb_path_join(f->live, rel);
	if (nb_fs_write(p, data, len) != 0)
		abort();
	free(p);
}

/* The live folder's file at `rel` in the staging folder too, as an
 * earlier build's output being updated in place holds it. */
static void link_staged(fixture *f, const char *rel)
{
	char *from = nb_path_join(f->live, rel), *to = nb_path_join(f->dir, rel);
	if (link(from, to) != 0)
		abort();
	free(from);
	free(to);
}

NB_TEST(a_new_file_is_the_pieces_joined)
{
	fixture f;
	setup(&f, 0);
	const char *t = f.t;
	const size_t pieces[] = { 1, 4093, BIG };
	for (size_t i = 0; i < 3; i++) {
		char rel[32];
		snprintf(rel, sizeof(rel), "data/p%zu.json", i);
		NB_CHECK(stream(&f.o, rel, t, BIG, pieces[i]) == 0);
		NB_CHECK(holds(f.dir, rel, t, BIG));
		NB_CHECK(json_object_get(f.o.written, rel) != NULL);
	}
	NB_CHECK(f.st.files == 3 && f.st.bytes == 3 * BIG && f.st.unchanged == 0);
	NB_CHECK(f.d.len == 0);
	/* Made as nb_fs_write makes files, not as a private temporary. */
	char *p = nb_path_join(f.dir, "data/p0.json");
	struct stat st;
	mode_t mask = umask(0);
	umask(mask);
	NB_CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == (0644 & ~mask));
	free(p);
	teardown(nb__t, &f);
}

NB_TEST(an_identical_file_is_linked_a_different_one_written)
{
	fixture f;
	setup(&f, 0);
	const char *t = f.t, *u = f.u;
	put_live(&f, "same.json", t, BIG);
	put_live(&f, "other.json", u, BIG);
	put_live(&f, "short.json", t, BIG - 1);
	NB_CHECK(stream(&f.o, "same.json", t, BIG, 1000) == 0);
	NB_CHECK(inode(f.dir, "same.json") == inode(f.live, "same.json"));
	NB_CHECK(f.st.unchanged == 1);
	NB_CHECK(stream(&f.o, "other.json", t, BIG, 1000) == 0);
	NB_CHECK(replaced(&f, "other.json", t, u));
	NB_CHECK(stream(&f.o, "short.json", t, BIG, 1000) == 0);
	NB_CHECK(inode(f.dir, "short.json") != inode(f.live, "short.json"));
	NB_CHECK(holds(f.dir, "short.json", t, BIG));
	NB_CHECK(f.st.files == 3 && f.st.unchanged == 1 && f.st.bytes == 3 * BIG);
	teardown(nb__t, &f);
}

/* In place: the earlier file is kept when it holds the bytes, else
 * replaced, never written through (it may be a link into the live folder). */
NB_TEST(in_place_keeps_or_replaces_never_writes_through)
{
	fixture f;
	setup(&f, 1);
	f.o.reuse = NULL;
	const char *t = f.t, *u = f.u;
	put_live(&f, "kept.json", t, BIG);
	put_live(&f, "changed.json", u, BIG);
	link_staged(&f, "kept.json");
	link_staged(&f, "changed.json");
	ino_t kept = inode(f.dir, "kept.json");
	NB_CHECK(stream(&f.o, "kept.json", t, BIG, 5000) == 0);
	NB_CHECK(inode(f.dir, "kept.json") == kept);
	NB_CHECK(stream(&f.o, "changed.json", t, BIG, 5000) == 0);
	NB_CHECK(replaced(&f, "changed.json", t, u));
	NB_CHECK(f.st.unchanged == 1 && f.st.files == 2);
	teardown(nb__t, &f);
}

/* A path written before (a static file at a feed's path): replaced, not
 * written through, and noted as rewritten. */
NB_TEST(a_second_write_replaces_and_is_noted)
{
	fixture f;
	setup(&f, 0);
	const char *t = f.t, *u = f.u;
	put_live(&f, "feed.xml", t, BIG);
	NB_CHECK(stream(&f.o, "feed.xml", t, BIG, 777) == 0);
	NB_CHECK(inode(f.dir, "feed.xml") == inode(f.live, "feed.xml"));
	NB_CHECK(json_object_get(f.o.rewritten, "feed.xml") == NULL);
	NB_CHECK(stream(&f.o, "feed.xml", u, BIG, 777) == 0);
	NB_CHECK(replaced(&f, "feed.xml", u, t));
	NB_CHECK(json_object_get(f.o.rewritten, "feed.xml") != NULL);
	NB_CHECK(f.st.files == 2 && f.st.unchanged == 1);
	teardown(nb__t, &f);
}

/* A file that cannot be put: the "io" error naming it, as nb_out_write
 * gives, and no temporary left behind. */
NB_TEST(a_failure_is_an_io_error_and_leaves_nothing)
{
	fixture f;
	setup(&f, 0);
	f.o.reuse = NULL;
	const char *t = f.t;
	char *data = nb_path_join(f.dir, "data");
	NB_CHECK(nb_fs_write(data, "a file", 6) == 0);   /* where a folder is needed */
	free(data);
	NB_CHECK(stream(&f.o, "data/popolo.json", t, BIG, 4096) == -1);
	NB_CHECK(f.d.len == 1 && f.d.errors == 1);
	if (f.d.len) {
		NB_CHECK_STR(f.d.items[0].code, "io");
		NB_CHECK_STR(f.d.items[0].file, "data/popolo.json");
		NB_CHECK_CONTAINS(f.d.items[0].msg, "cannot write output file");
	}
	NB_CHECK(json_object_get(f.o.written, "data/popolo.json") != NULL);
	NB_CHECK(f.st.files == 1);
	/* No staging folder at all: the temporary cannot be made either. */
	f.o.dir = "/proc/nb-no-such-folder";
	NB_CHECK(stream(&f.o, "x.json", t, 10, 4) == -1);
	NB_CHECK(f.d.len == 2);
	teardown(nb__t, &f);
}

NB_TEST_MAIN("writer",
	     NB_CASE(a_new_file_is_the_pieces_joined),
	     NB_CASE(an_identical_file_is_linked_a_different_one_written),
	     NB_CASE(in_place_keeps_or_replaces_never_writes_through),
	     NB_CASE(a_second_write_replaces_and_is_noted),
	     NB_CASE(a_failure_is_an_io_error_and_leaves_nothing))

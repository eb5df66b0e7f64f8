/*
 * test_cache.c - the no-op rebuild shortcut (cache.h).
 *
 * The worst this module can do is a stale site: an edit that leaves the
 * key as it was, so the build stops early and residents keep reading the
 * old page. So every kind of input change is made here the hard way (the
 * same size, the modification time set back to the nanosecond, the same
 * inode) and must move the key; and what a build never reads (its own
 * output, staging folders, .git, the audit record), the number of threads
 * and the order readdir gives must not, or every build would be a full
 * one. The record (nb_cache_fresh) must then only answer for the very
 * output folder it was written for, and nb_cache_put must never write
 * through a file the live folder shares.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output/cache.h"
#include "util/fs.h"
#include "harness.h"

/*
 * readdir, reversed on demand: the key must not depend on the order a
 * folder lists its entries in, and a file system gives one order only,
 * so the test gives the other. Each stream is read whole on its first
 * call and handed out backwards; cache.c reads every folder to its end.
 */
static int reverse_readdir;
static pthread_mutex_t rd_lock = PTHREAD_MUTEX_INITIALIZER;
typedef struct rd_stream {
	DIR *d;
	struct dirent *e;
	size_t n, next;
} rd_stream;
static rd_stream rd_streams[64];

struct dirent *readdir(DIR *d)
{
	static struct dirent *(*real)(DIR *);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "readdir");
	if (!__atomic_load_n(&reverse_readdir, __ATOMIC_SEQ_CST))
		return real(d);
	pthread_mutex_lock(&rd_lock);
	rd_stream *s = NULL;
	for (size_t i = 0; i < 64 && !s; i++)
		if (rd_streams[i].d == d)
			s = &rd_streams[i];
	if (!s) {
		for (size_t i = 0; i < 64 && !s; i++)
			if (!rd_streams[i].d)
				s = &rd_streams[i];
		if (!s)
			abort();
		*s = (rd_stream){ .d = d };
		struct dirent *e;
		while ((e = real(d))) {
			s->e = realloc(s->e, (s->n + 1) * sizeof(*e));
			if (!s->e)
				abort();
			s->e[s->n++] = *e;
		}
	}
	struct dirent *r = NULL;
	if (s->next < s->n) {
		r = &s->e[s->n - 1 - s->next++];
	} else {
		/* Kept until the next stream takes the slot: r is NULL here. */
		free(s->e);
		*s = (rd_stream){ 0 };
	}
	pthread_mutex_unlock(&rd_lock);
	return r;
}

static void put(const char *dir, const char *rel, const char *text)
{
	char *p = nb_path_join(dir, rel);
	if (nb_fs_write(p, text, strlen(text)) != 0)
		abort();
	free(p);
}

/* Rewrite the file in place (same inode) and give it back its old
 * modification time to the nanosecond: only its change time, which no
 * program can set, still tells the edit. */
static void edit_sly(const char *dir, const char *rel, const char *text)
{
	char *p = nb_path_join(dir, rel);
	struct stat before, after;
	if (stat(p, &before) != 0)
		abort();
	if (nb_fs_write(p, text, strlen(text)) != 0)
		abort();
	struct timespec ts[2] = { before.st_atim, before.st_mtim };
	if (utimensat(AT_FDCWD, p, ts, 0) != 0 || stat(p, &after) != 0)
		abort();
	/* The premise: nothing but the bytes and the change time moved. */
	if (after.st_size != before.st_size || after.st_ino != before.st_ino ||
	    after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
	    after.st_mtim.tv_nsec != before.st_mtim.tv_nsec)
		abort();
	free(p);
}

typedef struct site {
	char dir[64];
	char out[96];
	char outside[64];   /* a folder beside the site, for links to lead to */
} site;

static void site_make(site *s)
{
	strcpy(s->dir, "/tmp/nb-cache-XXXXXX");
	strcpy(s->outside, "/tmp/nb-cache-out-XXXXXX");
	if (!mkdtemp(s->dir) || !mkdtemp(s->outside))
		abort();
	snprintf(s->out, sizeof(s->out), "%s/public", s->dir);
	put(s->dir, "site.yaml", "title: \"Hongling\"\nbase_url: \"/a/\"\n");
	put(s->dir, "content/meetings/2024/m1.md", "---\ntitle: \"AAAA\"\n---\nMinutes.\n");
	put(s->dir, "content/meetings/2024/scan.pdf", "%PDF-1.4 one");
	put(s->dir, "content/meetings/2025/m2.md", "---\ntitle: \"June\"\n---\nMinutes.\n");
	put(s->dir, "content/pages/about.md", "---\ntitle: \"About\"\n---\nUs.\n");
	put(s->dir, "themes/plain/templates/page.html", "<p>{{title}}</p>\n");
	put(s->dir, "static/logo.svg", "<svg/>");
	put(s->dir, "public/.noticeboard-output", "");
	put(s->dir, "public/index.html", "old page");
	put(s->outside, "real.md", "---\ntitle: \"Real\"\n---\nBody.\n");
	put(s->outside, "other.md", "---\ntitle: \"Else\"\n---\nBody.\n");
	put(s->outside, "folder/a.md", "---\ntitle: \"A\"\n---\n");
}

static void site_free(site *s)
{
	nb_fs_rmtree(s->dir);
	nb_fs_rmtree(s->outside);
	char prev[128];
	snprintf(prev, sizeof(prev), "%s" NB_CACHE_PREVIOUS, s->out);
	nb_fs_rmtree(prev);
}

/* The key as a build of `s` into its output, as of a fixed date. */
static void key_of(const site *s, char hex[33])
{
	nb_cache_key k;
	nb_cache_key_make(&k, s->dir, s->out, "2024-07-01", 0);
	memcpy(hex, k.hex, 33);
}

static char *at(const site *s, const char *rel)
{
	return nb_path_join(s->dir, rel);
}

NB_TEST(same_inputs_same_key)
{
	site s;
	site_make(&s);
	char a[33], b[33];
	key_of(&s, a);
	key_of(&s, b);
	NB_CHECK(strlen(a) == 32);
	NB_CHECK_STR(a, b);
	site_free(&s);
}

/* An edit that keeps the size, the inode and the modification time,
 * down to the nanosecond: a content file, an attachment, a theme file,
 * site.yaml (its base URL: "/a/" to "/b/"), a file in static/. */
NB_TEST(same_size_same_mtime_edits_move_the_key)
{
	static const char *const edits[][2] = {
		{ "content/meetings/2024/m1.md", "---\ntitle: \"BBBB\"\n---\nMinutes.\n" },
		{ "content/meetings/2024/scan.pdf", "%PDF-1.4 two" },
		{ "content/pages/about.md", "---\ntitle: \"Abou!\"\n---\nUs.\n" },
		{ "themes/plain/templates/page.html", "<b>{{title}}</b>\n" },
		{ "site.yaml", "title: \"Hongling\"\nbase_url: \"/b/\"\n" },
		{ "static/logo.svg", "<SVG/>" },
	};
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		site s;
		site_make(&s);
		char a[33], b[33];
		key_of(&s, a);
		edit_sly(s.dir, edits[i][0], edits[i][1]);
		key_of(&s, b);
		NB_CHECK(a[0] && b[0]);
		if (!strcmp(a, b))
			fprintf(stderr, "  edit of %s left the key\n", edits[i][0]);
		NB_CHECK(strcmp(a, b) != 0);
		site_free(&s);
	}
}

/* The modification time alone moved, within its second. */
NB_TEST(mtime_within_the_second_moves_the_key)
{
	site s;
	site_make(&s);
	char *p = at(&s, "content/meetings/2024/m1.md");
	struct stat st;
	NB_CHECK(stat(p, &st) == 0);
	struct timespec ts[2] = { st.st_atim, { st.st_mtim.tv_sec, 1 } };
	NB_CHECK(utimensat(AT_FDCWD, p, ts, 0) == 0);
	char a[33], b[33];
	key_of(&s, a);
	ts[1].tv_nsec = 2;
	NB_CHECK(utimensat(AT_FDCWD, p, ts, 0) == 0);
	key_of(&s, b);
	NB_CHECK(strcmp(a, b) != 0);
	free(p);
	site_free(&s);
}

/* Files renamed, added and removed; folders added (empty) and removed;
 * at the top and deep in a unit folder (content/<kind>/<year>). */
NB_TEST(tree_changes_move_the_key)
{
	site s;
	site_make(&s);
	char prev[33], now[33];
	key_of(&s, prev);
#define STEP(what)                                                            \
	do {                                                                  \
		what;                                                         \
		key_of(&s, now);                                              \
		NB_CHECK(now[0] && strcmp(prev, now) != 0);                   \
		if (!strcmp(prev, now))                                       \
			fprintf(stderr, "  unchanged after %s\n", #what);     \
		memcpy(prev, now, 33);                                        \
	} while (0)
	char *a = at(&s, "content/meetings/2024/m1.md"), *b = at(&s, "content/meetings/2024/m9.md");
	char *m3 = at(&s, "content/meetings/2024/m3.md");
	char *top = at(&s, "notes.txt"), *top2 = at(&s, "notes2.txt");
	char *empty = at(&s, "content/meetings/2024/empty"), *e2 = at(&s, "content/empty");
	STEP(NB_CHECK(rename(a, b) == 0));
	STEP(NB_CHECK(rename(b, a) == 0));
	STEP(put(s.dir, "content/meetings/2024/m3.md", "new"));
	STEP(NB_CHECK(unlink(m3) == 0));
	STEP(put(s.dir, "notes.txt", "x"));
	STEP(NB_CHECK(rename(top, top2) == 0));
	STEP(NB_CHECK(unlink(top2) == 0));
	STEP(NB_CHECK(mkdir(empty, 0755) == 0));
	STEP(NB_CHECK(rmdir(empty) == 0));
	STEP(NB_CHECK(mkdir(e2, 0755) == 0));
	STEP(NB_CHECK(rmdir(e2) == 0));
	STEP(NB_CHECK(chmod(a, 0600) == 0));
#undef STEP
	free(a);
	free(b);
	free(m3);
	free(top);
	free(top2);
	free(empty);
	free(e2);
	site_free(&s);
}

/* Links are followed: the file a link leads to is an input like any
 * other, wherever it is; a link that leads nowhere, or round in a
 * circle, is a miss (no key), never a key that skips what is behind it. */
NB_TEST(links_are_followed)
{
	site s;
	site_make(&s);
	char target[128], other[128], folder[128];
	snprintf(target, sizeof(target), "%s/real.md", s.outside);
	snprintf(other, sizeof(other), "%s/other.md", s.outside);
	snprintf(folder, sizeof(folder), "%s/folder", s.outside);
	char *link = at(&s, "content/pages/real.md"), *flink = at(&s, "content/linked");
	NB_CHECK(symlink(target, link) == 0);
	NB_CHECK(symlink(folder, flink) == 0);
	char a[33], b[33];
	key_of(&s, a);
	/* The target edited, the link untouched. */
	edit_sly(s.outside, "real.md", "---\ntitle: \"Rea!\"\n---\nBody.\n");
	key_of(&s, b);
	NB_CHECK(a[0] && b[0] && strcmp(a, b) != 0);
	/* The link led elsewhere, to a file of the same size. */
	memcpy(a, b, 33);
	NB_CHECK(unlink(link) == 0 && symlink(other, link) == 0);
	key_of(&s, b);
	NB_CHECK(b[0] && strcmp(a, b) != 0);
	/* A file added in a linked folder outside the site. */
	memcpy(a, b, 33);
	put(s.outside, "folder/b.md", "new");
	key_of(&s, b);
	NB_CHECK(b[0] && strcmp(a, b) != 0);
	/* Edited there. */
	memcpy(a, b, 33);
	edit_sly(s.outside, "folder/b.md", "NEW");
	key_of(&s, b);
	NB_CHECK(b[0] && strcmp(a, b) != 0);
	/* Dangling: no key. */
	NB_CHECK(unlink(other) == 0);
	key_of(&s, b);
	NB_CHECK_STR(b, "");
	NB_CHECK(unlink(link) == 0);
	/* A circle: no key. */
	char *loop = at(&s, "content/meetings/2024/loop");
	char *up = at(&s, "content");
	NB_CHECK(symlink(up, loop) == 0);
	key_of(&s, b);
	NB_CHECK_STR(b, "");
	free(loop);
	free(up);
	free(link);
	free(flink);
	site_free(&s);
}

/* The options and the place: the as-of date (and today when none is
 * given), drafts, the output folder. */
NB_TEST(options_move_the_key)
{
	site s;
	site_make(&s);
	nb_cache_key k1, k2;
	nb_cache_key_make(&k1, s.dir, s.out, "2024-07-01", 0);
	nb_cache_key_make(&k2, s.dir, s.out, "2024-07-02", 0);
	NB_CHECK(strcmp(k1.hex, k2.hex) != 0);
	nb_cache_key_make(&k2, s.dir, s.out, "2024-07-01", 1);
	NB_CHECK(strcmp(k1.hex, k2.hex) != 0);
	char other[128];
	snprintf(other, sizeof(other), "%s/elsewhere", s.outside);
	nb_cache_key_make(&k2, s.dir, other, "2024-07-01", 0);
	NB_CHECK(k2.hex[0] && strcmp(k1.hex, k2.hex) != 0);
	NB_CHECK_STR(k2.out_real, other);
	/* No date: today's in China Standard Time, UTC+8 (as the build
	 * judges deadlines, whatever the machine's zone). Taken as UTC, this
	 * failed every day from 16:00 to 24:00 UTC. */
	char today[11];
	time_t now = time(NULL) + 8 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	nb_cache_key_make(&k1, s.dir, s.out, NULL, 0);
	nb_cache_key_make(&k2, s.dir, s.out, today, 0);
	NB_CHECK(k1.hex[0]);
	NB_CHECK_STR(k1.hex, k2.hex);
	site_free(&s);
}

/* What a build never reads, and publishing or building writes, does not
 * count: the output folder (in place or swapped for a new one), its
 * previous generation, staging folders, the cache, .git, the audit
 * record. */
NB_TEST(what_no_build_reads_does_not_move_the_key)
{
	site s;
	site_make(&s);
	char a[33], b[33];
	char prev[128];
	snprintf(prev, sizeof(prev), "%s" NB_CACHE_PREVIOUS, s.out);
	NB_CHECK(mkdir(prev, 0755) == 0);
	put(s.dir, ".git/HEAD", "ref: refs/heads/main\n");
	put(s.dir, "audit.git/HEAD", "ref: refs/heads/publications\n");
	key_of(&s, a);
	put(s.dir, "public/index.html", "new page, longer");
	put(s.dir, "public/meetings/m1/index.html", "page");
	put(prev, "index.html", "older");
	put(s.dir, "public.staging-4242/index.html", "staged");
	put(s.dir, NB_CACHE_DIR "/build-1234", "record");
	put(s.dir, ".git/HEAD", "ref: refs/heads/other\n");
	put(s.dir, ".git/objects/ab/cdef", "object");
	put(s.dir, "audit.git/refs/tags/p1", "0123\n");
	key_of(&s, b);
	NB_CHECK_STR(b, a);
	/* The build's swap: the output folder is a new one. */
	char *old = at(&s, "public.old");
	NB_CHECK(rename(s.out, old) == 0);
	put(s.dir, "public/.noticeboard-output", "");
	put(s.dir, "public/index.html", "swapped");
	nb_fs_rmtree(old);
	free(old);
	key_of(&s, b);
	NB_CHECK_STR(b, a);
	site_free(&s);
}

/* An output folder below a folder of the site (`output: dist/www`):
 * each build swaps the output with its previous generation through a
 * staging folder beside them, which gives the folder they are in new
 * times. That is no edit: the key stays, or the shortcut never fires.
 * What else that folder holds is still an input like any other. */
NB_TEST(output_below_a_subfolder_does_not_move_the_key)
{
	/* One level, and deep enough that a folder the output is in is walked
	 * by a pool task (content/<kind>/<year> depth). */
	static const char *const outs[] = { "dist/www", "a/b/c/d/www" };
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		site s;
		site_make(&s);
		char rel[64], a[33], b[33];
		snprintf(s.out, sizeof(s.out), "%s/%s", s.dir, outs[i]);
		snprintf(rel, sizeof(rel), "%s/.noticeboard-output", outs[i]);
		put(s.dir, rel, "");
		snprintf(rel, sizeof(rel), "%s" NB_CACHE_PREVIOUS "/.noticeboard-output", outs[i]);
		put(s.dir, rel, "");
		char *dist = at(&s, outs[i]);
		*strrchr(dist, '/') = '\0';
		put(dist, "notes.txt", "AAAA");
		key_of(&s, a);
		/* A build: staged beside the output, then swapped with it. */
		char staged[160], prev[160];
		snprintf(staged, sizeof(staged), "%s.staging-4242", s.out);
		snprintf(prev, sizeof(prev), "%s" NB_CACHE_PREVIOUS, s.out);
		put(staged, "index.html", "staged");
		nb_fs_rmtree(staged);
		NB_CHECK(rename(s.out, staged) == 0);
		NB_CHECK(rename(prev, s.out) == 0);
		NB_CHECK(rename(staged, prev) == 0);
		put(s.out, "index.html", "new page");
		key_of(&s, b);
		if (strcmp(a, b))
			fprintf(stderr, "  output %s: the swap moved the key\n", outs[i]);
		NB_CHECK(a[0] && !strcmp(a, b));
		/* Beside the output, an edit is still an edit. */
		edit_sly(dist, "notes.txt", "BBBB");
		key_of(&s, b);
		NB_CHECK(b[0] && strcmp(a, b) != 0);
		free(dist);
		site_free(&s);
	}
}

/* Content whose names merely look like what is skipped is still
 * content: the loader reads every file not starting with a dot, and
 * every folder below content/, static/, themes/ and schemas/. */
NB_TEST(content_named_like_skipped_folders_counts)
{
	static const char *const names[] = {
		"content/pages/plan.staging-2025.md",
		"static/mirror.git",
		"content/meetings/2024/minutes.git",
		/* Folders too, inside what the build reads. */
		"content/meetings/2024.staging-old/m.md",
		"static/project.git/readme.txt",
		"themes/x.git/layouts/page.mustache",
		"schemas/a.staging-1/meeting.yaml",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		site s;
		site_make(&s);
		put(s.dir, names[i], "AAAA");
		char a[33], b[33];
		key_of(&s, a);
		edit_sly(s.dir, names[i], "BBBB");
		key_of(&s, b);
		if (!strcmp(a, b))
			fprintf(stderr, "  edit of %s left the key\n", names[i]);
		NB_CHECK(a[0] && strcmp(a, b) != 0);
		site_free(&s);
	}
}

/* The number of threads and the order of a folder's entries. */
NB_TEST(threads_and_readdir_order_do_not_matter)
{
	site s;
	site_make(&s);
	for (int i = 0; i < 12; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "content/decisions/%d/d%d.md", 2010 + i % 5, i);
		put(s.dir, rel, "x");
		snprintf(rel, sizeof(rel), "content/pages/p%d.md", i);
		put(s.dir, rel, "y");
	}
	const char *jobs = getenv("NB_JOBS");
	char *saved = jobs ? strdup(jobs) : NULL;
	char a[33], b[33];
	setenv("NB_JOBS", "1", 1);
	key_of(&s, a);
	setenv("NB_JOBS", "7", 1);
	key_of(&s, b);
	NB_CHECK(a[0]);
	NB_CHECK_STR(b, a);
	__atomic_store_n(&reverse_readdir, 1, __ATOMIC_SEQ_CST);
	key_of(&s, b);
	__atomic_store_n(&reverse_readdir, 0, __ATOMIC_SEQ_CST);
	NB_CHECK_STR(b, a);
	if (saved)
		setenv("NB_JOBS", saved, 1);
	else
		unsetenv("NB_JOBS");
	free(saved);
	site_free(&s);
}

/*
 * The program itself. A run of this very test binary under another name
 * (a copy: another inode) is another program, and so is the same file
 * touched; the same file run again is not. The child prints its key
 * (see child_key below) and leaves before the suite runs.
 */
__attribute__((constructor)) static void child_key(void)
{
	const char *dir = getenv("NB_TEST_CACHE_SITE");
	const char *out = getenv("NB_TEST_CACHE_OUT");
	if (!dir || !out)
		return;
	nb_cache_key k;
	nb_cache_key_make(&k, dir, out, "2024-07-01", 0);
	char program[256];
	nb_cache_program(program, sizeof(program));
	printf("%s|%s\n", k.hex, program);
	fflush(stdout);
	_exit(0);
}

static void run_key(const char *exe, const site *s, char *buf, size_t n)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "NB_TEST_CACHE_SITE='%s' NB_TEST_CACHE_OUT='%s' '%s'", s->dir,
		 s->out, exe);
	FILE *p = popen(cmd, "r");
	buf[0] = '\0';
	if (!p || !fgets(buf, (int)n, p))
		buf[0] = '\0';
	if (p)
		pclose(p);
}

NB_TEST(another_program_moves_the_key)
{
	site s;
	site_make(&s);
	char exe[128], copy[160];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	NB_CHECK(len > 0);
	exe[len > 0 ? len : 0] = '\0';
	snprintf(copy, sizeof(copy), "%s/test-copy", s.outside);
	char *bytes = NULL;
	size_t blen = 0;
	NB_CHECK(nb_fs_read(exe, 0, &bytes, &blen) == 0);
	NB_CHECK(nb_fs_write(copy, bytes, blen) == 0 && chmod(copy, 0755) == 0);
	free(bytes);
	char own[512], again[512], other[512], touched[512];
	run_key(exe, &s, own, sizeof(own));
	run_key(exe, &s, again, sizeof(again));
	run_key(copy, &s, other, sizeof(other));
	struct stat st;
	NB_CHECK(stat(copy, &st) == 0);
	struct timespec ts[2] = { st.st_atim, { st.st_mtim.tv_sec - 60, 0 } };
	NB_CHECK(utimensat(AT_FDCWD, copy, ts, 0) == 0);
	run_key(copy, &s, touched, sizeof(touched));
	NB_CHECK(strlen(own) > 34 && own[32] == '|');
	NB_CHECK_STR(again, own);
	NB_CHECK(strncmp(own, other, 32) != 0);
	NB_CHECK(strncmp(other, touched, 32) != 0);
	NB_CHECK(strncmp(own, touched, 32) != 0);
	/* The identity names the version and the file's inode. */
	char program[256], ino[32];
	nb_cache_program(program, sizeof(program));
	NB_CHECK(strncmp(program, NB_VERSION " ", strlen(NB_VERSION) + 1) == 0);
	NB_CHECK(stat(exe, &st) == 0);
	snprintf(ino, sizeof(ino), " %llu ", (unsigned long long)st.st_ino);
	NB_CHECK_CONTAINS(program, ino);
	site_free(&s);
}

/*
 * The libraries that shape the output (identity.h) are part of the
 * program: after an upgrade of libcmark-gfm, utf8proc or libqrencode the
 * same binary renders differently, and the key must say so. Their version calls are
 * given here (the executable's definition wins over the library's), so
 * the test can play the upgrade.
 */
static const char *fake_cmark, *fake_utf8proc, *fake_qrencode;

const char *cmark_version_string(void);
const char *cmark_version_string(void)
{
	static const char *(*real)(void);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "cmark_version_string");
	return fake_cmark ? fake_cmark : real();
}

const char *utf8proc_version(void);
const char *utf8proc_version(void)
{
	static const char *(*real)(void);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "utf8proc_version");
	return fake_utf8proc ? fake_utf8proc : real();
}

/* libqrencode draws the notices' QR codes into pages. */
const char *QRcode_APIVersionString(void);
const char *QRcode_APIVersionString(void)
{
	static const char *(*real)(void);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "QRcode_APIVersionString");
	return fake_qrencode ? fake_qrencode : real();
}

NB_TEST(library_upgrade_moves_the_key)
{
	site s;
	site_make(&s);
	char a[33], b[33], c[33];
	key_of(&s, a);
	fake_cmark = "0.0.1.gfm.99";
	key_of(&s, b);
	fake_cmark = NULL;
	fake_utf8proc = "0.0.1";
	key_of(&s, c);
	fake_utf8proc = NULL;
	NB_CHECK(a[0] && b[0] && c[0]);
	NB_CHECK(strcmp(a, b) != 0);
	NB_CHECK(strcmp(a, c) != 0);
	key_of(&s, b);
	NB_CHECK_STR(b, a);
	/* libqrencode upgraded, and gone: two other programs. */
	char program[256], real[256];
	nb_cache_program(real, sizeof(real));
	fake_qrencode = "0.0.1";
	key_of(&s, b);
	nb_cache_program(program, sizeof(program));
	NB_CHECK(b[0] && strcmp(a, b) != 0);
	NB_CHECK_CONTAINS(program, " 0.0.1");
	fake_qrencode = "";
	key_of(&s, c);
	NB_CHECK(c[0] && strcmp(a, c) != 0 && strcmp(b, c) != 0);
	fake_qrencode = NULL;
	/* The library the program links, by its own version call. */
	char v[64];
	snprintf(v, sizeof(v), " %s", QRcode_APIVersionString());
	NB_CHECK(strlen(v) > 2);
	NB_CHECK_CONTAINS(real, v);
	key_of(&s, b);
	NB_CHECK_STR(b, a);
	site_free(&s);
}

/* The record answers only for the output folder it was written for, as
 * that build left it, and only under the same key. */
NB_TEST(record_is_fresh_only_for_that_output)
{
	site s;
	site_make(&s);
	nb_cache_key k;
	nb_cache_key_make(&k, s.dir, s.out, "2024-07-01", 0);
	nb_cache_counts c = { 3, 5, 7, 11 }, got = { 0 };
	NB_CHECK(!nb_cache_fresh(&k, s.dir, s.out, &got));
	nb_cache_record(&k, s.dir, s.out, &c);
	NB_CHECK(nb_cache_fresh(&k, s.dir, s.out, &got));
	NB_CHECK(got.documents == 3 && got.pages == 5 && got.files == 7 && got.bytes == 11);
	/* The record is not in the output, and does not move the key. */
	char *rec = nb_cache_file(s.dir, "build", k.out_real);
	NB_CHECK(strncmp(rec, s.dir, strlen(s.dir)) == 0 && strstr(rec, "/" NB_CACHE_DIR "/"));
	nb_cache_key k2;
	nb_cache_key_make(&k2, s.dir, s.out, "2024-07-01", 0);
	NB_CHECK_STR(k2.hex, k.hex);
	/* Another key (an edit since). */
	nb_cache_key other = k;
	other.hex[0] = other.hex[0] == '0' ? '1' : '0';
	NB_CHECK(!nb_cache_fresh(&other, s.dir, s.out, &got));
	/* No key could be made: never fresh. */
	other.hex[0] = '\0';
	NB_CHECK(!nb_cache_fresh(&other, s.dir, s.out, &got));
	/* The output touched at its top level. */
	put(s.dir, "public/stray.html", "x");
	NB_CHECK(!nb_cache_fresh(&k, s.dir, s.out, &got));
	nb_cache_record(&k, s.dir, s.out, &c);
	NB_CHECK(nb_cache_fresh(&k, s.dir, s.out, &got));
	/* The marker gone. */
	char *marker = at(&s, "public/.noticeboard-output");
	NB_CHECK(unlink(marker) == 0);
	NB_CHECK(!nb_cache_fresh(&k, s.dir, s.out, &got));
	put(s.dir, "public/.noticeboard-output", "");
	nb_cache_record(&k, s.dir, s.out, &c);
	NB_CHECK(nb_cache_fresh(&k, s.dir, s.out, &got));
	/* Replaced by another folder. */
	nb_fs_rmtree(s.out);
	put(s.dir, "public/.noticeboard-output", "");
	NB_CHECK(!nb_cache_fresh(&k, s.dir, s.out, &got));
	/* Forgotten. */
	nb_cache_record(&k, s.dir, s.out, &c);
	NB_CHECK(nb_cache_fresh(&k, s.dir, s.out, &got));
	nb_cache_forget(s.dir, s.out);
	NB_CHECK(!nb_cache_fresh(&k, s.dir, s.out, &got));
	NB_CHECK(access(rec, F_OK) != 0);
	/* A damaged record is no record. */
	nb_cache_record(&k, s.dir, s.out, &c);
	char *data = NULL;
	size_t len = 0;
	NB_CHECK(nb_fs_read(rec, 0, &data, &len) == 0);
	NB_CHECK(len > 40);
	if (len > 40) {
		data[len - 2] = '\0';   /* the counts cut short */
		char *cut = strrchr(data, '\n');
		NB_CHECK(nb_fs_write(rec, data, (size_t)(cut - data) + 1) == 0);
		NB_CHECK(!nb_cache_fresh(&k, s.dir, s.out, &got));
	}
	free(data);
	free(marker);
	free(rec);
	site_free(&s);
}

static int same_inode(const char *a, const char *b)
{
	struct stat x, y;
	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_ino == y.st_ino && x.st_dev == y.st_dev;
}

static char *slurp(const char *p)
{
	char *d = NULL;
	size_t n = 0;
	return nb_fs_read(p, 0, &d, &n) == 0 ? d : NULL;
}

/* Identical bytes are linked from the live folder; different bytes are
 * written, and in place a file shared with the live folder is replaced,
 * never written through. */
NB_TEST(put_links_same_and_never_writes_through)
{
	site s;
	site_make(&s);
	char live[128], stage[128];
	snprintf(live, sizeof(live), "%s/live", s.outside);
	snprintf(stage, sizeof(stage), "%s/stage", s.outside);
	put(live, "a/index.html", "same");
	put(live, "b/index.html", "old");
	int unchanged = -1;
	NB_CHECK(nb_cache_put(live, stage, 0, "a/index.html", "same", 4, &unchanged) == 0);
	NB_CHECK(unchanged == 1);
	char *la = nb_path_join(live, "a/index.html"), *sa = nb_path_join(stage, "a/index.html");
	char *lb = nb_path_join(live, "b/index.html"), *sb = nb_path_join(stage, "b/index.html");
	NB_CHECK(same_inode(la, sa));
	NB_CHECK(nb_cache_put(live, stage, 0, "b/index.html", "new", 3, &unchanged) == 0);
	NB_CHECK(unchanged == 0);
	NB_CHECK(!same_inode(lb, sb));
	char *t = slurp(sb);
	NB_CHECK_STR(t, "new");
	free(t);
	/* In place: `stage` is brought up to date while `live` is served;
	 * a/index.html is one inode in both. */
	NB_CHECK(nb_cache_put(NULL, stage, 1, "a/index.html", "same", 4, &unchanged) == 0);
	NB_CHECK(unchanged == 1 && same_inode(la, sa));
	NB_CHECK(nb_cache_put(NULL, stage, 1, "a/index.html", "edit", 4, &unchanged) == 0);
	NB_CHECK(unchanged == 0);
	t = slurp(la);
	NB_CHECK_STR(t, "same");
	free(t);
	t = slurp(sa);
	NB_CHECK_STR(t, "edit");
	free(t);
	/* Same length, other bytes: not linked. */
	NB_CHECK(nb_cache_link_same(live, "b/index.html", sb, "OLD", 3) == -1);
	free(la);
	free(sa);
	free(lb);
	free(sb);
	site_free(&s);
}

NB_TEST_MAIN("cache", NB_CASE(same_inputs_same_key),
	     NB_CASE(same_size_same_mtime_edits_move_the_key),
	     NB_CASE(mtime_within_the_second_moves_the_key), NB_CASE(tree_changes_move_the_key),
	     NB_CASE(links_are_followed), NB_CASE(options_move_the_key),
	     NB_CASE(what_no_build_reads_does_not_move_the_key),
	     NB_CASE(content_named_like_skipped_folders_counts),
	     NB_CASE(threads_and_readdir_order_do_not_matter),
	     NB_CASE(another_program_moves_the_key), NB_CASE(library_upgrade_moves_the_key),
	     NB_CASE(output_below_a_subfolder_does_not_move_the_key),
	     NB_CASE(record_is_fresh_only_for_that_output),
	     NB_CASE(put_links_same_and_never_writes_through))

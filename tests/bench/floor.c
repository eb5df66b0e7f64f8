/*
 * floor.c - the machine's floor for a site build.
 *
 *   floor SOURCE_DIR REFERENCE_OUTPUT_DIR FRESH_DIR
 *
 * Reads every file under SOURCE_DIR, then writes, for every file of
 * REFERENCE_OUTPUT_DIR (a real build's output), a file of the same size at
 * the same relative path under FRESH_DIR (which must not exist), creating
 * the folders as it goes. It prints the elapsed seconds of that read+write
 * work: no generator can do less I/O than this, so `build / floor` is how far
 * a build is from the machine's limit. The reference tree is walked before
 * the clock starts (only its shape is needed), and the bytes written are
 * filler: formatting HTML is the generator's job, not the floor's.
 *
 * Single-threaded on purpose: it is the cost of the system calls and page
 * cache copies, which more threads do not make cheaper on a small machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct entry {
	char *rel;
	off_t size;
	int dir;
} entry;

/* nftw has no user pointer, so the walk fills these file-scope lists;
 * this is a one-shot benchmark tool, not library code. */
static entry *ents;
static size_t nents, cap;
static size_t root_len;
static char **srcs;
static size_t nsrc, srccap;

static int on_ref(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)f;
	if (strlen(path) <= root_len)
		return 0;
	if (nents == cap) {
		cap = cap ? cap * 2 : 1024;
		ents = realloc(ents, cap * sizeof(*ents));
		if (!ents)
			exit(3);
	}
	ents[nents].rel = strdup(path + root_len + 1);
	ents[nents].size = st->st_size;
	ents[nents].dir = type == FTW_D;
	nents++;
	return 0;
}

static int on_src(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	if (type != FTW_F)
		return 0;
	if (nsrc == srccap) {
		srccap = srccap ? srccap * 2 : 1024;
		srcs = realloc(srcs, srccap * sizeof(*srcs));
		if (!srcs)
			exit(3);
	}
	srcs[nsrc++] = strdup(path);
	return 0;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: floor SOURCE_DIR REFERENCE_OUTPUT_DIR FRESH_DIR\n");
		return 2;
	}
	root_len = strlen(argv[2]);
	while (root_len > 1 && argv[2][root_len - 1] == '/')
		root_len--;
	/* Pre-order walk: every folder comes before what it holds. */
	if (nftw(argv[2], on_ref, 64, FTW_PHYS) != 0) {
		perror(argv[2]);
		return 3;
	}
	static char fill[1 << 16];
	memset(fill, 'x', sizeof(fill));
	static char rbuf[1 << 16];

	double t0 = now();
	/* Listing the sources is part of the work: a generator must find them. */
	if (nftw(argv[1], on_src, 64, FTW_PHYS) != 0) {
		perror(argv[1]);
		return 3;
	}
	unsigned long long in = 0, out = 0;
	for (size_t i = 0; i < nsrc; i++) {
		int fd = open(srcs[i], O_RDONLY);
		if (fd < 0) {
			perror(srcs[i]);
			return 3;
		}
		ssize_t n;
		while ((n = read(fd, rbuf, sizeof(rbuf))) > 0)
			in += (unsigned long long)n;
		close(fd);
	}
	if (mkdir(argv[3], 0777)) {
		perror(argv[3]);
		return 3;
	}
	int root = open(argv[3], O_DIRECTORY | O_RDONLY);
	if (root < 0) {
		perror(argv[3]);
		return 3;
	}
	for (size_t i = 0; i < nents; i++) {
		if (ents[i].dir) {
			if (mkdirat(root, ents[i].rel, 0777) && errno != EEXIST) {
				perror(ents[i].rel);
				return 3;
			}
			continue;
		}
		int fd = openat(root, ents[i].rel, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0) {
			perror(ents[i].rel);
			return 3;
		}
		for (off_t left = ents[i].size; left > 0;) {
			size_t k = left > (off_t)sizeof(fill) ? sizeof(fill) : (size_t)left;
			if (write(fd, fill, k) != (ssize_t)k) {
				perror(ents[i].rel);
				return 3;
			}
			left -= (off_t)k;
			out += k;
		}
		close(fd);
	}
	close(root);
	double t1 = now();
	printf("%.3f %zu %llu %zu %llu\n", t1 - t0, nsrc, in, nents, out);
	for (size_t i = 0; i < nents; i++)
		free(ents[i].rel);
	free(ents);
	for (size_t i = 0; i < nsrc; i++)
		free(srcs[i]);
	free(srcs);
	return 0;
}

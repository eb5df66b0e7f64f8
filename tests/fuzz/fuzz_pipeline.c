/*
 * fuzz_pipeline.c - libFuzzer target: the whole document pipeline.
 *
 * Each input becomes one document of a small real site on disk (a temp
 * folder made once per process, with one valid community beside it) and
 * nb_build_run does everything `noticeboard build` does: config, theme,
 * load, validate, link, render, atomic swap. Driving the real entry point
 * instead of re-chaining the stages here means the fuzzer tests exactly
 * what residents get, at a few hundred executions a second.
 *
 * The first input byte picks the kind folder so validation of every
 * schema is reached; the rest is the file. After a build the output must
 * stay inside the output folder: the only entries of the site folder are
 * the ones it started with plus `public` and the rebuild cache record.
 *
 * The site folder's path is process-wide state by necessity: libFuzzer
 * calls the entry point with no user pointer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/build.h"
#include "util/diag.h"
#include "util/fs.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char site_dir[64];

static void cleanup(void)
{
	if (site_dir[0])
		nb_fs_rmtree(site_dir);
}

static void put(const char *rel, const char *text)
{
	char *p = nb_path_join(site_dir, rel);
	char *dir = strdup(p);
	*strrchr(dir, '/') = '\0';
	nb_fs_mkdirs(dir);
	if (nb_fs_write(p, text, strlen(text)) != 0)
		abort();
	free(dir);
	free(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* Under $TMPDIR when set: run.sh points it at a folder it removes,
	 * since a crashing input ends the process before atexit runs. */
	const char *tmp = getenv("TMPDIR");
	snprintf(site_dir, sizeof(site_dir), "%s/nb-fuzz-site.XXXXXX",
		 tmp && tmp[0] && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(site_dir))
		abort();
	atexit(cleanup);
	put("site.yaml", "title: Fuzz\nlanguage: en\nbase_url: \"/\"\ntheme: default\n"
		"output: public\nlimits:\n  yaml_depth: 32\n  yaml_aliases: 200\n"
		"  yaml_nodes: 20000\n  template_depth: 16\n");
	put("content/communities/c.md",
	    "---\ntitle: \"C\"\nname: \"C\"\nstreet: \"S\"\ntype: \"t\"\n"
	    "platform: \"residents-committee\"\npopulation: 10\n"
	    "committee:\n  - {name: \"A\", role: \"主任\", affiliation: \"x\"}\n---\nbody\n");
	return 0;
}

static const char *const kinds[] = {
	"content/pages/fuzz.md", "content/meetings/2024/fuzz.md",
	"content/decisions/2024/fuzz.md", "content/charters/c/v1.md",
	"content/evaluations/2024/fuzz.md", "content/communities/fuzz.md",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *rel = kinds[data[0] % (sizeof(kinds) / sizeof(kinds[0]))];
	char *path = nb_path_join(site_dir, rel);
	char *dir = strdup(path);
	*strrchr(dir, '/') = '\0';
	nb_fs_mkdirs(dir);
	if (nb_fs_write(path, data + 1, size - 1) != 0)
		abort();

	nb_diag d;
	nb_diag_init(&d);
	nb_build_opts o = { .site_dir = site_dir, .as_of = "2026-11-25" };
	nb_build_result r;
	nb_build_run(&o, &r, &d);
	nb_diag_free(&d);

	/* Containment: nothing new beside content/, site.yaml and public/. */
	DIR *dh = opendir(site_dir);
	struct dirent *e;
	while (dh && (e = readdir(dh))) {
		const char *n = e->d_name;
		if (strcmp(n, ".") && strcmp(n, "..") && strcmp(n, "content") &&
		    strcmp(n, "site.yaml") && strcmp(n, "public") &&
		    strcmp(n, ".noticeboard-cache")) {
			fprintf(stderr, "fuzz_pipeline: wrote outside the output folder: %s\n", n);
			abort();
		}
	}
	if (dh)
		closedir(dh);
	unlink(path);
	free(dir);
	free(path);
	return 0;
}

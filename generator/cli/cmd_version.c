/*
 * cmd_version.c - `noticeboard version`: the program and library versions,
 * which auditors record beside a publication.
 */
#include <cmark-gfm.h>
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <yaml.h>

#include "output/build.h"
#include "cli/cli.h"

int nb_cmd_version(const nb_cli *cli, int argc, char **argv)
{
	if (argc > 0 && nb_cli_wants_help(argc, argv)) {
		puts("usage: noticeboard version\n\nPrints the version of noticeboard and of the libraries it uses.");
		return NB_EXIT_OK;
	}
	int maj, min, rev;
	git_libgit2_version(&maj, &min, &rev);
	printf("noticeboard %s\n", NB_VERSION);
	printf("  cmark-gfm %s, libyaml %s, jansson %s, libgit2 %d.%d.%d\n",
	       cmark_version_string(), yaml_get_version_string(), JANSSON_VERSION,
	       maj, min, rev);
	return NB_EXIT_OK;
}

/*
 * cmd_version.c - `noticeboard version`: the program, the libraries that
 * shape its output and the built-in theme's digest - what publish records
 * as the generator's identity (output/identity.h), so an auditor can tell
 * whether this binary is the one a publication was made with.
 */
#include <jansson.h>
#include <stdio.h>

#include "audit/publish.h"
#include "cli/cli.h"
#include "output/build.h"
#include "output/identity.h"

int nb_cmd_version(const nb_cli *cli, int argc, char **argv)
{
	if (argc > 0 && nb_cli_wants_help(argc, argv)) {
		puts("usage: noticeboard version\n\nPrints the version of noticeboard, of the "
		     "libraries that shape its output, and the digest of its built-in theme.");
		return NB_EXIT_OK;
	}
	char git[32];
	nb_audit_library_version(git, sizeof(git));
	json_t *id = nb_generator_identity(git);
	printf("noticeboard %s\n", json_string_value(json_object_get(id, "version")));
	const char *k;
	json_t *v;
	int first = 1;
	fputs("  ", stdout);
	json_object_foreach(json_object_get(id, "libraries"), k, v) {
		printf("%s%s %s", first ? "" : ", ", k, json_string_value(v));
		first = 0;
	}
	printf("\n  theme %s\n", json_string_value(json_object_get(id, "theme")));
	json_decref(id);
	return NB_EXIT_OK;
}

/*
 * cmd_check.c - `noticeboard check`: run every check of a build, write
 * nothing, and report all errors at once (as text, or JSON for editors).
 */
#include <stdio.h>
#include <string.h>

#include "output/build.h"
#include "cli/cli.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] check [--format text|json] [--as-of DATE] [--drafts]\n\n"
	"Checks every document: front matter, field types and values, references\n"
	"between documents, templates. Reports all errors sorted by file and line.\n\n"
	"  --format json   print diagnostics as one JSON document on stdout\n"
	"  --as-of DATE    judge deadlines as of DATE (YYYY-MM-DD); default today in China\n"
	"  --drafts        check drafts as if they were published\n";

int nb_cmd_check(const nb_cli *cli, int argc, char **argv)
{
	nb_build_opts o = { cli->site_dir, NULL, NULL, 0, 1, NULL, 0, NULL, NULL, 0, NULL };
	int json = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if (!strcmp(a, "--format") && i + 1 < argc) {
			const char *f = argv[++i];
			if (!strcmp(f, "json"))
				json = 1;
			else if (strcmp(f, "text")) {
				nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
					     "noticeboard check: unknown format `%s` (text or json)\n", f);
				return NB_EXIT_USAGE;
			}
		} else if (!strcmp(a, "--format=json")) {
			json = 1;
		} else if (!strcmp(a, "--format=text")) {
			json = 0;
		} else if (!strcmp(a, "--as-of") && i + 1 < argc) {
			o.as_of = argv[++i];
			if (nb_cli_as_of(cli, "check", o.as_of))
				return NB_EXIT_USAGE;
		} else if (!strcmp(a, "--drafts")) {
			o.drafts = 1;
		} else {
			return nb_cli_unknown_arg(cli, "check", a, usage);
		}
	}
	nb_diag d;
	nb_diag_init(&d);
	nb_build_result r;
	int rc = nb_build_run(&o, &r, &d);
	if (json) {
		nb_diag_sort(&d);
		nb_diag_print_json(&d, stdout);
	} else {
		nb_cli_report(cli, &d);
		if (!d.errors && (!cli->quiet && (cli->tty || cli->verbose)))
			nb_cli_print(stderr, nb_diag_language(&d), "checked %zu documents: no errors\n",
				     r.documents);
	}
	nb_diag_free(&d);
	return rc;
}

/*
 * cmd_serve.c - `noticeboard serve [--port N] [--as-of DATE]`: its
 * arguments; the preview server itself is serve/serve.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "output/build.h"
#include "serve/serve.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] serve [--port N] [--as-of DATE]\n\n"
	"Previews the site at http://127.0.0.1:PORT/ with drafts shown (marked by\n"
	"a banner). The site is built into a temporary folder, never into its\n"
	"output folder. When a file under the site changes it is rebuilt and open\n"
	"pages reload; build errors are printed here and shown in the page.\n"
	"Ctrl-C stops.\n\n"
	"  --port N       the port (default 1313; 0 picks a free one)\n"
	"  --as-of DATE   judge deadlines as of DATE (YYYY-MM-DD); default today in China\n";

/* A build's diagnostics, printed as every command prints them. */
static void report(const void *ud, nb_diag *d)
{
	nb_cli_report(ud, d);
}

int nb_cmd_serve(const nb_cli *cli, int argc, char **argv)
{
	nb_serve_opts o = { cli->site_dir, NULL, 1313, cli->quiet, report, cli };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if ((!strcmp(a, "--port") || !strcmp(a, "-p")) && i + 1 < argc) {
			/* An empty value is no number: it was taken as 0, a free
			 * port nobody asked for. */
			char *end;
			o.port = strtol(argv[++i], &end, 10);
			if (!*argv[i] || *end || o.port < 0 || o.port > 65535) {
				nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
					     "noticeboard serve: --port needs a number from 0 to 65535, "
					     "got `%s`\n", argv[i]);
				return NB_EXIT_USAGE;
			}
		} else if (!strcmp(a, "--as-of") && i + 1 < argc) {
			o.as_of = argv[++i];
			if (nb_cli_as_of(cli, "serve", o.as_of))
				return NB_EXIT_USAGE;
		} else {
			return nb_cli_unknown_arg(cli, "serve", a, usage);
		}
	}
	return nb_serve_run(&o);
}

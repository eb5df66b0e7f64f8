/*
 * cmd_publish.c - `noticeboard publish`: its arguments. The sequence
 * itself (build, record, serve) is nb_publish_run() in audit/publish.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "audit/publish.h"
#include "cli/cli.h"
#include "config/config.h"
#include "output/build.h"
#include "util/date.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] publish [-m MESSAGE] [--as \"NAME <EMAIL>\"]\n"
	"                   [--as-of DATE] [--allow-empty] [--wait SECONDS]\n\n"
	"Builds the site, then records the publication in the audit repository\n"
	"(site.yaml audit.repository, default audit.git): one commit tagged pub-N\n"
	"holding the sources (drafts never), the exact output and manifest.json.\n"
	"Publishing unchanged content records nothing.\n\n"
	"  -m, --message MSG  what this publication is about\n"
	"  --as WHO           the publisher, \"NAME <EMAIL>\" (default: $NB_PUBLISHER,\n"
	"                     then $GIT_AUTHOR_NAME/$GIT_AUTHOR_EMAIL, then git's\n"
	"                     user.name/user.email)\n"
	"  --as-of DATE       judge deadlines as of DATE (YYYY-MM-DD); default today in China;\n"
	"                     recorded so the output can be rebuilt byte for byte\n"
	"  --allow-empty      record a publication even when nothing changed\n"
	"  --wait SECONDS     wait this long for another publish to finish (default 0)\n";

static void report(void *cli, nb_diag *d)
{
	nb_cli_report(cli, d);
}

int nb_cmd_publish(const nb_cli *cli, int argc, char **argv)
{
	nb_publish_opts po = { .quiet = cli->quiet, .report = report, .report_ctx = (void *)cli };
	const char *wait = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if ((!strcmp(a, "-m") || !strcmp(a, "--message")) && i + 1 < argc) {
			po.message = argv[++i];
		} else if (!strcmp(a, "--as") && i + 1 < argc) {
			po.as = argv[++i];
		} else if (!strcmp(a, "--as-of") && i + 1 < argc) {
			po.as_of = argv[++i];
		} else if (!strcmp(a, "--allow-empty")) {
			po.allow_empty = 1;
		} else if (!strcmp(a, "--wait") && i + 1 < argc) {
			wait = argv[++i];
		} else {
			return nb_cli_unknown_arg(cli, "publish", a, usage);
		}
	}
	char today[11];
	if (!po.as_of) {
		nb_date_today(today);
		po.as_of = today;
	} else if (nb_cli_as_of(cli, "publish", po.as_of)) {
		return NB_EXIT_USAGE;
	}
	nb_config cfg;
	nb_diag d;
	nb_diag_init(&d);
	if (nb_config_load(&cfg, cli->site_dir, &d) != 0) {
		nb_cli_report(cli, &d);
		nb_diag_free(&d);
		nb_config_free(&cfg);
		return NB_EXIT_CONTENT;
	}
	nb_diag_free(&d);
	/* atoi read `--wait five` as 0 and `--wait -5` as no wait: the
	 * publish then gave up at once, telling the publisher to use --wait.
	 * Said once the site's language is known. */
	if (wait) {
		char *end;
		long secs = strtol(wait, &end, 10);
		if (!*wait || *end || secs < 0 || secs > 86400) {
			char what[256];
			snprintf(what, sizeof(what), "--wait wants a number of seconds from 0 to "
				 "86400, got `%.64s`", wait);
			nb_audit_say(&cfg, "noticeboard publish: ", what);
			nb_config_free(&cfg);
			return NB_EXIT_USAGE;
		}
		po.wait = (int)secs;
	}
	int rc = nb_publish_run(&cfg, &po);
	nb_config_free(&cfg);
	return rc;
}

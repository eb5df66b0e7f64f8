/*
 * cmd_audit.c - `noticeboard audit URL|DIR`: a third party's check of a
 * served site, needing no site folder. Argument parsing only; the work
 * is audit/auditor.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/auditor.h"
#include "cli/cli.h"
#include "output/build.h"
#include "util/diag.h"

static const char usage[] =
	"usage: noticeboard audit URL|DIR [--repo URL|PATH] [--allowed-signers FILE]\n"
	"                         [--all] [--json] [--timeout SECS]\n\n"
	"Checks a served site from outside, with nothing but its address: fetches\n"
	"its audit repository (URL/audit.git/, plain files as any static host serves\n"
	"them), checks the chain of publications, every object and (with\n"
	"--allowed-signers) every signature, compares the history with the one seen\n"
	"at the last audit of this site (remembered under $XDG_STATE_HOME/noticeboard/;\n"
	"the first audit trusts what it sees and says so), rebuilds the last\n"
	"publication from its recorded sources, and fetches every file of its public/\n"
	"to compare with what is served. DIR is a folder holding a served site\n"
	"(audit.git/ inside): the same checks without HTTP.\n\n"
	"  --repo URL|PATH   the audit repository elsewhere (a mirror): an address\n"
	"                    served the same way, or a bare repository's folder\n"
	"  --allowed-signers FILE  ssh allowed-signers file: check signatures\n"
	"  --all             rebuild every publication, not only the last\n"
	"  --json            the report as JSON\n"
	"  --timeout SECS    give up on one HTTP request after SECS (default 120)\n\n"
	"The text report speaks the site's language (as its record's site.yaml\n"
	"says; NB_LANG=en|zh-CN overrides); --json is English in every language.\n\n"
	"Exit status: 0 only when everything holds; 1 when something does not; 3\n"
	"when the site or its repository cannot be read; 4 when the only difference\n"
	"is a rebuild of a publication another generator made.\n";

int nb_cmd_audit(const nb_cli *cli, int argc, char **argv)
{
	nb_auditor_opts o;
	memset(&o, 0, sizeof(o));
	int json = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if (!strcmp(a, "--repo") && i + 1 < argc) {
			o.repo = argv[++i];
		} else if (!strcmp(a, "--allowed-signers") && i + 1 < argc) {
			o.allowed_signers = argv[++i];
		} else if (!strcmp(a, "--all")) {
			o.all = 1;
		} else if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "--timeout") && i + 1 < argc) {
			char *end;
			long s = strtol(argv[++i], &end, 10);
			if (*end || s <= 0 || s > 86400) {
				nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
					     "noticeboard audit: --timeout wants seconds (1-86400), "
					     "got `%s`\n", argv[i]);
				return NB_EXIT_USAGE;
			}
			o.limits.timeout_secs = s;
		} else if (a[0] != '-' && !o.site) {
			o.site = a;
		} else {
			return nb_cli_unknown_arg(cli, "audit", a, usage);
		}
	}
	if (!o.site) {
		nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
			     "noticeboard audit: give the site's address or folder\n\n");
		fputs(usage, stderr);
		return NB_EXIT_USAGE;
	}
	json_t *report = NULL;
	int rc = nb_auditor_run(&o, &report);
	if (json) {
		json_dumpf(report, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		putchar('\n');
	} else if (!cli->quiet || rc) {
		/* The audited site's language, as its record says (NB_LANG
		 * overrides). English when the record cannot say (nothing
		 * fetched, no publication), as for a repository given to
		 * verify, log, diff or history without its site (audit/fetch.c
		 * record_language): it was zh-CN here, so one unreadable record
		 * was answered in two languages. */
		const char *lang = json_string_value(json_object_get(report, "language"));
		nb_diag d;
		nb_diag_init(&d);
		nb_diag_set_language(&d, lang ? lang : "en");
		nb_auditor_print(report, stdout, nb_diag_language(&d));
		nb_diag_free(&d);
	}
	json_decref(report);
	return rc;
}

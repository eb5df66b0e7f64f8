/*
 * cmd_build.c - `noticeboard build`: the pipeline, then one summary line.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "output/build.h"
#include "cli/cli.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] build [-o DIR] [--as-of DATE] [--drafts]\n"
	"                   [--audit-repo REPO] [--publication N]\n\n"
	"Builds the site into its output folder (site.yaml `output:`, default public/).\n"
	"The folder is replaced whole only when the build succeeds; the one it\n"
	"replaces is kept beside it as <output>.previous (never served) for the\n"
	"next build to update in place. Both it and .noticeboard-cache/ may be\n"
	"deleted at any time.\n\n"
	"  -o, --output DIR  write into DIR instead\n"
	"  --as-of DATE      judge deadlines as of DATE (YYYY-MM-DD); default today in China\n"
	"  --drafts          include drafts (for previews; never publish them)\n"
	"  --audit-repo REPO take the publication history from this bare repository\n"
	"                    (default: site.yaml audit.repository, when it exists)\n"
	"  --publication N   show the history up to publication N, judged as of its\n"
	"                    recorded date: with N's recorded sources this rebuilds\n"
	"                    its output byte for byte\n";

int nb_cmd_build(const nb_cli *cli, int argc, char **argv)
{
	nb_build_opts o = { cli->site_dir, NULL, NULL, 0, 0, NULL, 0, NULL, NULL, 0, NULL };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			o.output = argv[++i];
		} else if (!strcmp(a, "--as-of") && i + 1 < argc) {
			o.as_of = argv[++i];
			if (nb_cli_as_of(cli, "build", o.as_of))
				return NB_EXIT_USAGE;
		} else if (!strcmp(a, "--drafts")) {
			o.drafts = 1;
		} else if (!strcmp(a, "--audit-repo") && i + 1 < argc) {
			o.audit_repo = argv[++i];
		} else if (!strcmp(a, "--publication") && i + 1 < argc) {
			o.publication = nb_audit_parse_pub(argv[++i]);
			if (!o.publication) {
				nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
					     "noticeboard build: --publication wants a number or "
					     "pub-N, got `%s`\n", argv[i]);
				return NB_EXIT_USAGE;
			}
		} else {
			return nb_cli_unknown_arg(cli, "build", a, usage);
		}
	}
	int talk = !cli->quiet && (cli->tty || cli->verbose);
	if (talk && cli->tty) {
		nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir), "building %s …",
			     cli->site_dir);
		fputc('\r', stderr);
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nb_diag d;
	nb_diag_init(&d);
	nb_build_result r;
	int rc = nb_build_run(&o, &r, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (talk && cli->tty)
		fputs("\033[K", stderr);
	nb_cli_report(cli, &d);
	if (rc == NB_EXIT_OK && talk) {
		double secs = (double)(t1.tv_sec - t0.tv_sec) +
			      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		char a[32], b[32];
		if (!strcmp(nb_diag_language(&d), "zh-CN"))
			fprintf(stderr, "已生成 %s 个页面，来自 %s 个文档，用时 %.2f 秒\n",
				nb_cli_thousands(r.pages, a, sizeof(a)),
				nb_cli_thousands(r.documents, b, sizeof(b)), secs);
		else
			fprintf(stderr, "built %s pages from %s documents in %.2f s\n",
				nb_cli_thousands(r.pages, a, sizeof(a)),
				nb_cli_thousands(r.documents, b, sizeof(b)), secs);
	} else if (rc != NB_EXIT_OK && !cli->quiet) {
		const char *where = r.output[0] ? r.output : "the output folder";
		if (!strcmp(nb_diag_language(&d), "zh-CN"))
			fprintf(stderr, "没有发布任何内容：%s 保持原样\n", r.output[0] ? where : "输出文件夹");
		else
			fprintf(stderr, "nothing was published: %s is unchanged\n", where);
	}
	nb_diag_free(&d);
	return rc;
}

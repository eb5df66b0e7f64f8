/*
 * cmd_init.c - `noticeboard init DIR`: a new site that builds at once.
 *
 * It writes only site.yaml and one page; the theme is built into the
 * program, so a secretary starts from a working site and adds documents.
 * It refuses to touch a folder that already holds a site.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "cli.h"
#include "fs.h"

static const char usage[] =
	"usage: noticeboard init DIR [--language zh-CN|en] [--title TITLE]\n\n"
	"Creates DIR with site.yaml and content/pages/about.md. Build it with\n"
	"`noticeboard -s DIR build`.\n";

int nb_cmd_init(const nb_cli *cli, int argc, char **argv)
{
	const char *dir = NULL, *lang = "zh-CN", *title = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if (!strcmp(a, "--language") && i + 1 < argc) {
			lang = argv[++i];
		} else if (!strcmp(a, "--title") && i + 1 < argc) {
			title = argv[++i];
		} else if (a[0] != '-' && !dir) {
			dir = a;
		} else {
			fprintf(stderr, "noticeboard init: unknown argument `%s`\n\n%s", a, usage);
			return NB_EXIT_USAGE;
		}
	}
	if (!dir) {
		fprintf(stderr, "noticeboard init: name the folder to create\n\n%s", usage);
		return NB_EXIT_USAGE;
	}
	int zh = strcmp(lang, "en") != 0;
	if (strcmp(lang, "en") && strcmp(lang, "zh-CN")) {
		fprintf(stderr, "noticeboard init: language must be zh-CN or en\n");
		return NB_EXIT_USAGE;
	}
	if (!title)
		title = zh ? "社区自治专栏" : "Community self-governance";
	char *yaml = nb_path_join(dir, "site.yaml");
	if (nb_fs_is_file(yaml)) {
		fprintf(stderr, "noticeboard init: %s already exists; nothing was changed\n", yaml);
		free(yaml);
		return NB_EXIT_USAGE;
	}
	char site[2048];
	snprintf(site, sizeof(site),
		 "# Settings of this site. See `noticeboard help` and README.md.\n"
		 "title: \"%s\"\n"
		 "language: %s\n"
		 "base_url: \"/\"\n"
		 "# theme: default        # built into noticeboard\n"
		 "# output: public        # where `build` writes the site\n"
		 "params:\n"
		 "  street: \"\"\n",
		 title, lang);
	const char *page = zh ?
		"---\ntitle: 关于本站\nsummary: 本站公开社区自治协调委员会的会议纪要、决议、公约和评估。\n---\n\n"
		"本站公开社区自治协调委员会的工作：会议纪要、决议及表决结果、社区自治公约和季度评估。\n\n"
		"## 如何添加内容\n\n"
		"在 `content/meetings/` 下新建会议纪要，在 `content/decisions/` 下新建决议，"
		"然后运行 `noticeboard check` 检查、`noticeboard build` 生成网站。\n"
		:
		"---\ntitle: About this site\nsummary: The committee's minutes, decisions, charter and evaluations.\n---\n\n"
		"This site publishes the work of the community self-governance committee: minutes,\n"
		"decisions and their votes, the charter, and quarterly evaluations.\n\n"
		"## Adding content\n\n"
		"Add minutes under `content/meetings/` and decisions under `content/decisions/`,\n"
		"then run `noticeboard check` and `noticeboard build`.\n";
	char *about = nb_path_join(dir, "content/pages/about.md");
	int rc = NB_EXIT_OK;
	if (nb_fs_write(yaml, site, strlen(site)) != 0 ||
	    nb_fs_write(about, page, strlen(page)) != 0) {
		fprintf(stderr, "noticeboard init: cannot write into %s: %s\n", dir, strerror(errno));
		rc = NB_EXIT_IO;
	} else if (!cli->quiet) {
		printf("created %s\n  %s\n  %s\n\nnext: noticeboard -s %s build\n", dir, yaml,
		       about, dir);
	}
	free(yaml);
	free(about);
	return rc;
}

/*
 * cmd_init.c - `noticeboard init DIR`: a new site that builds at once.
 *
 * It writes only site.yaml and one page; the theme is built into the
 * program, so a secretary starts from a working site and adds documents.
 * It refuses to touch a folder that already holds a site.
 *
 * Every other document names a community, so init also writes the first
 * one (newcommunity.c) from --community and its options, or, on a
 * terminal, from the answers to a few questions; a script that gives no
 * --community gets the site alone, as before. Nothing is written until
 * every answer is valid.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/build.h"
#include "cli/cli.h"
#include "util/fs.h"
#include "schema/newcommunity.h"
#include "schema/skeleton.h"

static const char usage[] =
	"usage: noticeboard init DIR [--language zh-CN|en] [--title TITLE]\n"
	"                        [--community ID --type TYPE --platform PLATFORM\n"
	"                         [--community-name NAME] [--street S] [--chair NAME]]\n\n"
	"Creates DIR with site.yaml and content/pages/about.md, and with --community\n"
	"the first community, content/communities/ID.md (a draft until its committee's\n"
	"names are filled in). On a terminal without --community it asks for them.\n"
	"Build it with `noticeboard -s DIR build`.\n";

/* One answer from the terminal into buf (trimmed); def when left empty. */
static const char *ask(char *buf, size_t n, const char *question, const char *def)
{
	printf("%s%s%s%s: ", question, def ? " [" : "", def ? def : "", def ? "]" : "");
	fflush(stdout);
	if (!fgets(buf, (int)n, stdin))
		return def;
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf[0] ? buf : def;
}

static void ask_community(nb_community_answers *ca, int zh, char bufs[6][256])
{
	nb_buf types = NB_BUF_INIT, plats = NB_BUF_INIT;
	for (size_t i = 0; nb_community_types[i]; i++)
		nb_buf_printf(&types, "%s%s", i ? ", " : "", nb_community_types[i]);
	for (size_t i = 0; nb_community_platforms[i]; i++)
		nb_buf_printf(&plats, "%s%s", i ? ", " : "", nb_community_platforms[i]);
	char q[512];
	ca->id = ask(bufs[0], 256, zh ? "第一个社区的编号（字母和 -，如 huaiyin；留空则不建）"
				     : "the first community's id (letters and -, e.g. huaiyin; empty: none)", NULL);
	if (ca->id) {
		ca->name = ask(bufs[1], 256, zh ? "社区名称（如 槐荫社区）" : "its name", ca->id);
		ca->street = ask(bufs[2], 256, zh ? "所属街道" : "its street (街道)", NULL);
		snprintf(q, sizeof(q), zh ? "社区类型（%s）" : "its type (%s)", nb_buf_cstr(&types));
		ca->type = ask(bufs[3], 256, q, NULL);
		snprintf(q, sizeof(q), zh ? "自治平台（%s）" : "its platform (%s)", nb_buf_cstr(&plats));
		ca->platform = ask(bufs[4], 256, q, NULL);
		ca->chair = ask(bufs[5], 256, zh ? "自治会主任的姓名" : "the committee chair's name", NULL);
	}
	nb_buf_free(&types);
	nb_buf_free(&plats);
}

int nb_cmd_init(const nb_cli *cli, int argc, char **argv)
{
	const char *dir = NULL, *lang = NULL, *title = NULL;
	nb_community_answers ca = { 0 };
	int community_opts = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if (!strcmp(a, "--language") && i + 1 < argc) {
			lang = argv[++i];
		} else if (!strcmp(a, "--title") && i + 1 < argc) {
			title = argv[++i];
		} else if (!strcmp(a, "--community") && i + 1 < argc) {
			ca.id = argv[++i];
		} else if (!strcmp(a, "--community-name") && i + 1 < argc) {
			ca.name = argv[++i], community_opts = 1;
		} else if (!strcmp(a, "--street") && i + 1 < argc) {
			ca.street = argv[++i], community_opts = 1;
		} else if (!strcmp(a, "--type") && i + 1 < argc) {
			ca.type = argv[++i], community_opts = 1;
		} else if (!strcmp(a, "--platform") && i + 1 < argc) {
			ca.platform = argv[++i], community_opts = 1;
		} else if (!strcmp(a, "--chair") && i + 1 < argc) {
			ca.chair = argv[++i], community_opts = 1;
		} else if (a[0] != '-' && !dir) {
			dir = a;
		} else {
			return nb_cli_unknown_arg(cli, "init", a, usage);
		}
	}
	/* A mistake in the arguments is told in the language asked for, else
	 * as every usage error (the site of -s or ., else English). */
	const char *ul = lang && (!strcmp(lang, "en") || !strcmp(lang, "zh-CN"))
				 ? nb_cli_language(lang) : nb_cli_usage_language(cli->site_dir);
	if (!dir) {
		nb_cli_print(stderr, ul, "noticeboard init: name the folder to create, e.g. "
			     "`noticeboard init my-site`\n\n");
		fputs(usage, stderr);
		return NB_EXIT_USAGE;
	}
	if (!lang)
		lang = "zh-CN";
	int zh = strcmp(lang, "en") != 0;
	if (strcmp(lang, "en") && strcmp(lang, "zh-CN")) {
		nb_cli_print(stderr, ul, "noticeboard init: --language must be zh-CN or en, "
			     "got `%s`\n", lang);
		return NB_EXIT_USAGE;
	}
	if (!title)
		title = zh ? "社区自治专栏" : "Community self-governance";
	/* What init says is in the new site's language (NB_LANG overrides, as
	 * for every command's diagnostics). */
	nb_diag say;
	nb_diag_init(&say);
	nb_diag_set_language(&say, lang);
	const char *sl = nb_diag_language(&say);
	char *yaml = nb_path_join(dir, "site.yaml");
	if (nb_fs_is_file(yaml)) {
		/* Said in the language of the site that is there. */
		fprintf(stderr, nb_diag_word(nb_cli_usage_language(dir), "noticeboard init: %s "
					 "already exists; nothing was changed\n",
					 "noticeboard init：%s 已经存在，没有做任何改动\n"),
			yaml);
		free(yaml);
		return NB_EXIT_USAGE;
	}
	if (community_opts && !ca.id) {
		fprintf(stderr, nb_diag_word(sl, "noticeboard init: --type, --platform, --street, "
					 "--chair and --community-name describe the community "
					 "given with --community\n\n%s",
					 "noticeboard init：--type、--platform、--street、--chair 和 "
					 "--community-name 说明的是 --community 指定的社区\n\n%s"),
			usage);
		free(yaml);
		return NB_EXIT_USAGE;
	}
	char bufs[6][256];
	if (!ca.id && isatty(0) && isatty(1) && !cli->quiet)
		ask_community(&ca, zh, bufs);
	nb_buf ctext = NB_BUF_INIT;
	char *cpath = NULL;
	if (ca.id) {
		/* The reason in the messages' language, the document's
		 * comments in the site's. */
		const int zh_says = !strcmp(nb_diag_word(sl, "en", "zh"), "zh");
		if (nb_community_answers_check(&ctext, &ca, zh_says) != 0 ||
		    nb_community_template(&ctext, &ca, zh) != 0) {
			fprintf(stderr, nb_diag_word(sl, "noticeboard init: %s; nothing was created\n",
						 "noticeboard init：%s；没有创建任何文件\n"),
				nb_buf_cstr(&ctext));
			nb_buf_free(&ctext);
			free(yaml);
			return NB_EXIT_USAGE;
		}
		nb_buf b = NB_BUF_INIT;
		nb_buf_printf(&b, "content/communities/%s.md", ca.id);
		cpath = nb_path_join(dir, nb_buf_cstr(&b));
		nb_buf_free(&b);
	}
	/* The title quoted as `new` quotes values: a " or \ in it, written
	 * as it was, left a site.yaml the next command could not read. */
	nb_buf site = NB_BUF_INIT;
	nb_buf_puts(&site, "# Settings of this site. See `noticeboard help` and README.md.\n"
		    "title: ");
	nb_skeleton_quote(&site, title);
	nb_buf_printf(&site, "\nlanguage: %s\n"
		      "base_url: \"/\"\n"
		      "# theme: default        # built into noticeboard\n"
		      "# output: public        # where `build` writes the site\n"
		      "params:\n"
		      "  street: \"\"\n", lang);
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
	if (nb_fs_write(yaml, site.ptr, site.len) != 0 ||
	    nb_fs_write(about, page, strlen(page)) != 0 ||
	    (cpath && nb_fs_write(cpath, ctext.ptr, ctext.len) != 0)) {
		fprintf(stderr, nb_diag_word(sl, "noticeboard init: cannot write into %s: %s\n",
					 "noticeboard init：无法写入 %s：%s\n"), dir, strerror(errno));
		rc = NB_EXIT_IO;
	} else if (!cli->quiet) {
		printf(nb_diag_word(sl, "created %s\n  %s\n  %s\n", "已创建 %s\n  %s\n  %s\n"), dir,
		       yaml, about);
		if (cpath)
			printf("  %s   (%s)\n", cpath, zh ? "填好自治会成员姓名后删除 draft: true"
							 : "fill in the committee's names, then remove draft: true");
		printf(nb_diag_word(sl, "\nnext: noticeboard -s %s build\n",
				    "\n下一步：noticeboard -s %s build\n"), dir);
	}
	free(yaml);
	free(about);
	free(cpath);
	nb_buf_free(&ctext);
	nb_buf_free(&site);
	return rc;
}

/*
 * cmd_new.c - `noticeboard new KIND [ID]`: start a document from a template.
 *
 *   noticeboard new meeting|decision|evaluation|charter|page [ID]
 *       [--community C] [--title T] [--date YYYY-MM-DD]
 *   noticeboard new community ID --type T --platform P [--title NAME]
 *       [--street S] [--chair NAME]
 *
 * This file reads the arguments, the site and its communities; what the
 * new file says is schema/skeleton.c's (and schema/newcommunity.c's for a
 * community).
 *
 * It never overwrites: an existing file is a usage error (exit 2), since
 * losing minutes to a mistyped id is worse than typing a second id.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/build.h"
#include "util/buf.h"
#include "util/date.h"
#include "cli/cli.h"
#include "config/config.h"
#include "load/content.h"
#include "util/fs.h"
#include "schema/newcommunity.h"
#include "schema/skeleton.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] new KIND [ID] [--community C] [--title T] [--date D]\n\n"
	"Writes a new document with every field of its kind filled in or explained:\n"
	"  meeting     content/meetings/<year>/<id>.md   (id default <community>-<yyyy>-<mm>-plenary)\n"
	"  decision    content/decisions/<year>/<id>.md  (id default <community>-<yyyy>-<mm>-decision)\n"
	"  evaluation  content/evaluations/<year>/<id>.md (id default <community>-<yyyy>-q<n>)\n"
	"  charter     content/charters/<community>/v<N+1>.md (N = the latest version)\n"
	"  page        content/pages/<id>.md             (id default new-page)\n"
	"  community   content/communities/<id>.md       (id required; --title the name,\n"
	"              --type and --platform required, --street, --chair optional)\n\n"
	"  --community C   the community (needed when the site has more than one)\n"
	"  --title T       the title (default: one made from the kind and date)\n"
	"  --date D        the date, YYYY-MM-DD (default: today)\n\n"
	"New documents start with `draft: true`; remove that line to publish.\n"
	"An existing file is never overwritten (exit status 2).\n";

/* Why new cannot tell which community is meant, then the communities. */
static void list_communities(const nb_content *c, const char *community, size_t n,
			     const char *lang)
{
	if (community)
		fprintf(stderr, nb_diag_word(lang, "noticeboard new: no community `%s`\n",
					     "noticeboard new：没有社区 `%s`\n"), community);
	else
		fprintf(stderr, nb_diag_word(lang, "noticeboard new: this site has %zu communities: "
					     "choose one with --community\n",
					     "noticeboard new：本站有 %zu 个社区，请用 --community 选一个\n"),
			n);
	fputs(nb_diag_word(lang, "communities:", "社区："), stderr);
	for (size_t i = 0; i < c->len; i++)
		if (c->docs[i].ok && !strcmp(c->docs[i].kind, "communities"))
			fprintf(stderr, " %s", c->docs[i].id);
	fputc('\n', stderr);
}

/* Whether the arguments themselves are wrong (said, before site.yaml is
 * read, in the usage language as every usage error). */
static int bad_args(const nb_cli *cli, const char *kind, int k, const char *date, const char *id)
{
	const char *ul = nb_cli_usage_language(cli->site_dir);
	if (k < 0) {
		if (kind)
			nb_cli_print(stderr, ul, "noticeboard new: there is no kind `%s`: KIND must be "
				     "meeting, decision, evaluation, charter, page or community\n\n",
				     kind);
		else
			nb_cli_print(stderr, ul, "noticeboard new: name the kind of document to "
				     "create, e.g. `noticeboard new meeting`\n\n");
		fputs(usage, stderr);
		return 1;
	}
	if (date && !nb_date_valid(date)) {
		nb_cli_print(stderr, ul, "noticeboard new: --date must be a real day written "
			     "YYYY-MM-DD, e.g. 2025-03-07; got `%s`\n", date);
		return 1;
	}
	if (id && !nb_content_id_valid(id)) {
		nb_cli_print(stderr, ul, "noticeboard new: `%s` is not a usable id: use letters, "
			     "digits, '-' and '_', e.g. huaiyin-2025-03-plenary\n", id);
		return 1;
	}
	return 0;
}

int nb_cmd_new(const nb_cli *cli, int argc, char **argv)
{
	const char *kind = NULL, *id = NULL, *community = NULL, *title = NULL, *date = NULL;
	nb_community_answers ca = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if (!strcmp(a, "--community") && i + 1 < argc) {
			community = argv[++i];
		} else if (!strcmp(a, "--title") && i + 1 < argc) {
			title = argv[++i];
		} else if (!strcmp(a, "--date") && i + 1 < argc) {
			date = argv[++i];
		} else if (!strcmp(a, "--type") && i + 1 < argc) {
			ca.type = argv[++i];
		} else if (!strcmp(a, "--platform") && i + 1 < argc) {
			ca.platform = argv[++i];
		} else if (!strcmp(a, "--street") && i + 1 < argc) {
			ca.street = argv[++i];
		} else if (!strcmp(a, "--chair") && i + 1 < argc) {
			ca.chair = argv[++i];
		} else if (a[0] != '-' && !kind) {
			kind = a;
		} else if (a[0] != '-' && !id) {
			id = a;
		} else {
			return nb_cli_unknown_arg(cli, "new", a, usage);
		}
	}
	const char *plural = NULL;
	int k = kind ? nb_skeleton_kind(kind, &plural) : -1;
	if (bad_args(cli, kind, k, date, id))
		return NB_EXIT_USAGE;

	nb_diag d;
	nb_diag_init(&d);
	nb_config cfg;
	if (nb_config_load(&cfg, cli->site_dir, &d) != 0) {
		nb_cli_report(cli, &d);
		nb_diag_free(&d);
		nb_config_free(&cfg);
		return NB_EXIT_CONTENT;
	}
	/* What new says is in the site's language, as its diagnostics are. */
	char lang[8];
	snprintf(lang, sizeof(lang), "%s", nb_diag_language(&d));
	nb_content c;
	/* Sources kept (no Markdown options): gen_charter copies a body.
	 * Broken files elsewhere do not matter here. */
	nb_content_load(&c, &cfg, NULL, &d);
	nb_diag_free(&d);

	nb_skeleton x = { &c, NULL, strcmp(cfg.language, "en") != 0, "", 0, 0, title, date != NULL,
			  lang };
	if (date) {
		snprintf(x.date, sizeof(x.date), "%s", date);
	} else {
		nb_date_today(x.date);
	}
	x.year = atoi(x.date);
	x.month = atoi(x.date + 5);

	int rc = NB_EXIT_OK;
	nb_buf rel = NB_BUF_INIT, text = NB_BUF_INIT, idb = NB_BUF_INIT, err = NB_BUF_INIT;
	char *path = NULL;
	if (k < 4) {
		size_t n;
		x.community = nb_skeleton_community(&c, community, &n);
		if (!x.community && (community || n > 1)) {
			list_communities(&c, community, n, lang);
			rc = NB_EXIT_USAGE;
			goto done;
		}
		if (!x.community)
			fputs(nb_diag_word(lang, "noticeboard new: warning: the site has no community "
					   "yet; fill in `community:` once "
					   "content/communities/<id>.md exists\n",
					   "noticeboard new：警告：本站还没有社区；建好 "
					   "content/communities/<编号>.md 之后再填写 `community:`\n"),
			      stderr);
	}
	if (k == 5) { /* community */
		ca.id = id;
		ca.name = title;
		/* The reason in the messages' language, the document's
		 * comments in the site's. */
		const int zh_says = !strcmp(nb_diag_word(lang, "en", "zh"), "zh");
		if (!id || nb_community_answers_check(&text, &ca, zh_says) != 0 ||
		    nb_community_template(&text, &ca, x.zh) != 0) {
			fprintf(stderr, nb_diag_word(lang, "noticeboard new: %s\n\n%s",
						     "noticeboard new：%s\n\n%s"),
				id ? nb_buf_cstr(&text)
				   : nb_diag_word(lang, "name the community's id, e.g. "
						  "`new community huaiyin`",
						  "请写出社区的编号，例如 `new community huaiyin`"),
				usage);
			rc = NB_EXIT_USAGE;
			goto done;
		}
		nb_buf_puts(&idb, id);
		nb_buf_printf(&rel, "content/communities/%s.md", id);
	} else if (nb_skeleton_write(&rel, &idb, &text, &err, &x, k, id) != 0) {
		fprintf(stderr, nb_diag_word(lang, "noticeboard new: %s\n", "noticeboard new：%s\n"),
			nb_buf_cstr(&err));
		rc = NB_EXIT_USAGE;
		goto done;
	}
	path = nb_path_join(cfg.site_dir, nb_buf_cstr(&rel));
	if (nb_fs_is_file(path)) {
		fprintf(stderr, nb_diag_word(lang, "noticeboard new: %s already exists; nothing was "
					 "changed\n  hint: give another id, e.g. "
					 "`noticeboard new %s %s-2`\n",
					 "noticeboard new：%s 已经存在，没有做任何改动\n"
					 "  提示：换一个编号，例如 `noticeboard new %s %s-2`\n"),
			nb_buf_cstr(&rel), plural, idb.len ? nb_buf_cstr(&idb) : "ID");
		rc = NB_EXIT_USAGE;
	} else if (nb_fs_write(path, text.ptr, text.len) != 0) {
		fprintf(stderr, nb_diag_word(lang, "noticeboard new: cannot write %s: %s\n",
					 "noticeboard new：无法写入 %s：%s\n"), path, strerror(errno));
		rc = NB_EXIT_IO;
	} else if (!cli->quiet) {
		printf(nb_diag_word(lang, "created %s\n", "已创建 %s\n"), nb_buf_cstr(&rel));
	}
done:
	free(path);
	nb_buf_free(&rel);
	nb_buf_free(&text);
	nb_buf_free(&idb);
	nb_buf_free(&err);
	nb_content_free(&c);
	nb_config_free(&cfg);
	return rc;
}

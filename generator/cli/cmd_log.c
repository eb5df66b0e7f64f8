/*
 * cmd_log.c - `noticeboard log`: one line per publication.
 *
 * Everything is read from the audit repository (commit author and date,
 * message, manifest.json), never from the working folder, so the log is
 * what an auditor holding a mirror would see. Document counts come from
 * comparing consecutive manifests rather than from the commit message, so
 * they cannot disagree with what was recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "audit/fetch.h"
#include "output/build.h"
#include "cli/cli.h"
#include "util/utf8.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] log [--json] [--audit-repo REPO]\n\n"
	"Lists the publications: number, date, publisher, message, and the\n"
	"documents added (+), changed (~) and removed (-).\n\n"
	"  --json   one JSON array instead of lines\n"
	"  --audit-repo REPO  read this bare repository (a folder, or an http(s)\n"
	"                     address whose audit.git/ is fetched as `audit` does)\n"
	"                     instead of the site's: no site folder is needed\n";

/* "2026-11-25 15:20 +0800" in the publisher's own time zone. */
static void format_time(const nb_time *t, char *buf, size_t size)
{
	time_t s = (time_t)t->time + (time_t)t->offset * 60;
	struct tm tm;
	gmtime_r(&s, &tm);
	char d[32];
	strftime(d, sizeof(d), "%Y-%m-%d %H:%M", &tm);
	int off = t->offset < 0 ? -t->offset : t->offset;
	snprintf(buf, size, "%s %c%02d%02d", d, t->offset < 0 ? '-' : '+', off / 60, off % 60);
}

/* The subject without "Publication N: ". */
static char *subject(const nb_commit *c)
{
	const char *s = nb_commit_summary((nb_commit *)c);
	if (!s)
		s = "";
	if (!strncmp(s, "Publication ", 12)) {
		const char *colon = strstr(s, ": ");
		if (colon)
			s = colon + 2;
	}
	return strdup(s);
}

int nb_cmd_log(const nb_cli *cli, int argc, char **argv)
{
	int json = 0;
	const char *repo = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--audit-repo") && i + 1 < argc) {
			repo = argv[++i];
		} else {
			return nb_cli_unknown_arg(cli, "log", argv[i], usage);
		}
	}
	nb_config cfg;
	nb_audit a;
	int rc = nb_audit_open_any(&a, &cfg, cli->site_dir, repo, "log");
	if (rc)
		return rc;
	json_t *arr = json_array();
	nb_audit_pub_iter *it;
	const nb_audit_pub *p;
	size_t last = 0;
	rc = nb_audit_pub_iter_head(&it, &a);
	while (rc == 0 && (rc = nb_audit_pub_iter_next(&p, it)) == 0) {
		size_t n = p->n, ad, ch, rm;
		last = n;
		nb_audit_docs_changes(p->prev_docs, p->docs, &ad, &ch, &rm);
		const nb_person au_ = nb_commit_author(p->commit), *au = &au_;
		char when[64], hex[NB_OID_HEXSZ + 1];
		format_time(&au->when, when, sizeof(when));
		nb_oid_tostr(hex, sizeof(hex), nb_commit_id(p->commit));
		char *subj = subject(p->commit);
		json_t *as_of = json_object_get(p->manifest, "as_of");
		if (json) {
			json_array_append_new(arr, json_pack(
				"{s:I, s:s, s:s, s:s, s:O?, s:{s:s, s:s}, s:s, s:I, s:I, s:I}",
				"publication", (json_int_t)n, "tag", "", "commit", hex, "date", when,
				"as_of", as_of, "publisher", "name", au->name, "email", au->email,
				"message", subj ? subj : "", "added", (json_int_t)ad,
				"changed", (json_int_t)ch, "removed", (json_int_t)rm));
			char tag[32];
			snprintf(tag, sizeof(tag), "pub-%zu", n);
			json_object_set_new(json_array_get(arr, json_array_size(arr) - 1), "tag",
					    json_string(tag));
		} else {
			/* Names and messages are anyone's text: escaped so
			 * that none can drive the auditor's terminal. */
			printf("pub-%zu  %s  ", n, when);
			nb_utf8_fputs_visible(stdout, au->name, 0);
			fputs(" <", stdout);
			nb_utf8_fputs_visible(stdout, au->email, 0);
			printf(">  +%zu ~%zu -%zu  ", ad, ch, rm);
			nb_utf8_fputs_visible(stdout, subj ? subj : "", 0);
			putchar('\n');
		}
		free(subj);
	}
	if (rc != NB_AUDIT_ITEROVER) {
		nb_audit_say(&cfg, "noticeboard log: ", a.err);
		rc = NB_EXIT_IO;
		goto done;
	}
	rc = NB_EXIT_OK;
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		putchar('\n');
	} else if (!last && !cli->quiet) {
		nb_cli_print(stderr, nb_cli_language(cfg.language), "no publications yet\n");
	}
done:
	nb_audit_pub_iter_free(it);
	json_decref(arr);
	nb_audit_close(&a);
	nb_config_free(&cfg);
	return rc;
}

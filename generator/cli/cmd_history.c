/*
 * cmd_history.c - `noticeboard history DOCUMENT`: the publications in which
 * a document appeared, changed or was removed.
 *
 * DOCUMENT is an id (front matter `id`, or the path under its kind) or a
 * source path (content/...). The answer comes from the manifests, which
 * record each document's blob id per publication, so no text is compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/fetch.h"
#include "output/build.h"
#include "cli/cli.h"
#include "util/buf.h"
#include "util/utf8.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] history [--json] [--audit-repo REPO] DOCUMENT\n\n"
	"The publications in which DOCUMENT (an id or a content/ path) appeared,\n"
	"changed or was removed. Exit 1 when it was never published.\n\n"
	"  --audit-repo REPO  read this bare repository (a folder, or an http(s)\n"
	"                     address whose audit.git/ is fetched as `audit` does)\n"
	"                     instead of the site's: no site folder is needed\n";

/* The first document, in path order, that `doc` names (its path, with
 * or without content/, or its id), and its path; O(documents). */
static const nb_audit_doc *find(const nb_audit_docs *docs, const char *doc, const char **path)
{
	for (size_t i = 0; docs && i < docs->len; i++) {
		const nb_audit_doc *d = &docs->items[i];
		const char *k = nb_audit_doc_path(docs, d);
		if (!strcmp(k, doc) || !strcmp(nb_audit_doc_id(docs, d), doc) ||
		    (!strncmp(k, "content/", 8) && !strcmp(k + 8, doc))) {
			*path = k;
			return d;
		}
	}
	*path = NULL;
	return NULL;
}

int nb_cmd_history(const nb_cli *cli, int argc, char **argv)
{
	int json = 0;
	const char *repo = NULL;
	const char *doc = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--audit-repo") && i + 1 < argc) {
			repo = argv[++i];
		} else if (argv[i][0] != '-' && !doc) {
			doc = argv[i];
		} else {
			return nb_cli_unknown_arg(cli, "history", argv[i], usage);
		}
	}
	if (!doc) {
		nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
			     "noticeboard history: which document?\n\n");
		fputs(usage, stderr);
		return NB_EXIT_USAGE;
	}
	nb_config cfg;
	nb_audit a;
	int rc = nb_audit_open_any(&a, &cfg, cli->site_dir, repo, "history");
	if (rc)
		return rc;
	const char *lang = nb_cli_language(cfg.language);
	json_t *arr = json_array();
	nb_audit_pub_iter *it;
	const nb_audit_pub *p;
	size_t events = 0;
	rc = nb_audit_pub_iter_head(&it, &a);
	while (rc == 0 && (rc = nb_audit_pub_iter_next(&p, it)) == 0) {
		const char *path, *prev_path;
		const nb_audit_doc *e = find(p->docs, doc, &path);
		const nb_audit_doc *pe = find(p->prev_docs, doc, &prev_path);
		char hex[NB_OID_HEXSZ + 1];
		const char *hash = e ? nb_oid_tostr(hex, sizeof(hex), &e->hash) : NULL;
		const char *what = NULL;
		if (e && !pe)
			what = "added";
		else if (e && !nb_oid_equal(&e->hash, &pe->hash))
			what = "changed";
		else if (!e && pe)
			what = "removed";
		if (what) {
			events++;
			size_t n = p->n;
			const nb_person au_ = nb_commit_author(p->commit), *au = &au_;
			const char *as_of = json_string_value(json_object_get(p->manifest, "as_of"));
			if (json)
				json_array_append_new(arr, json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s}",
					"publication", (json_int_t)n, "change", what, "path", path,
					"hash", hash, "as_of", as_of, "publisher", au->name));
			else {
				/* Escaped: names and paths are anyone's text. */
				nb_buf line = NB_BUF_INIT;
				nb_buf_printf(&line, "pub-%zu  ", n);
				nb_cli_put_change(&line, lang, what, 9);
				fputs(nb_buf_cstr(&line), stdout);
				nb_buf_free(&line);
				nb_utf8_fputs_visible(stdout, as_of ? as_of : "", 0);
				fputs("  ", stdout);
				nb_utf8_fputs_visible(stdout, au->name, 0);
				fputs("  ", stdout);
				nb_utf8_fputs_visible(stdout, path ? path : doc, 0);
				putchar('\n');
			}
		}
	}
	if (rc != NB_AUDIT_ITEROVER) {
		nb_audit_say(&cfg, "noticeboard history: ", a.err);
		rc = NB_EXIT_IO;
		goto done;
	}
	rc = NB_EXIT_OK;
	if (json && rc == 0) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		putchar('\n');
	}
	if (rc == 0 && !events) {
		nb_cli_print(stderr, lang, "noticeboard history: `%s` is "
			     "in no publication (give its id or its content/ path)\n", doc);
		rc = NB_EXIT_CONTENT;
	}
done:
	nb_audit_pub_iter_free(it);
	json_decref(arr);
	nb_audit_close(&a);
	nb_config_free(&cfg);
	return rc;
}

/*
 * cmd_diff.c - `noticeboard diff [A [B]]`: what changed between two
 * publications, or between a publication and the working content.
 *
 * Both sides are reduced to the same thing: the published sources as a
 * sorted list of (path, blob id), paths relative to the site folder. A
 * publication's list comes from its `site/` tree; the working content is
 * hashed exactly as publish would record it (drafts left out), so "no
 * difference" here means "publish would record nothing new in site/".
 * Equal ids mean equal files, so only changed documents are read and
 * parsed. Front matter is compared as data (dotted field paths, so a
 * reformatted YAML line that means the same is not a change), the body as
 * text with a unified diff; pubdiff.h does both, for the site's history
 * pages too.
 *
 * Paths, field values and document text are anyone's bytes, and the text
 * output goes to an auditor's terminal: it shows control characters as
 * escapes (utf8.h nb_utf8_put_visible), so an ESC sequence in a title
 * cannot recolour, erase or rewrite the lines around it. The JSON output
 * carries the exact strings (JSON escapes them itself).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/fetch.h"
#include "util/buf.h"
#include "output/build.h"
#include "cli/cli.h"
#include "util/fs.h"
#include "audit/pubdiff.h"
#include "util/textdiff.h"
#include "util/utf8.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] diff [--stat] [--json] [--audit-repo REPO] [A [B]]\n\n"
	"Documents added, removed and changed between publication A and B\n"
	"(numbers or pub-N tags). With only A, between A and the working content;\n"
	"with neither, between the last publication and the working content.\n"
	"For a changed document: the front-matter fields that changed\n"
	"(votes.for: 7 → 8), then a unified diff of its text.\n"
	"Exit status: 0 no differences, 1 differences, like diff(1).\n\n"
	"  --stat   only the lists of documents and files\n"
	"  --json   one JSON object\n"
	"  --audit-repo REPO  read this bare repository (a folder, or an http(s)\n"
	"                     address whose audit.git/ is fetched as `audit` does)\n"
	"                     instead of the site's: no site folder is needed; with\n"
	"                     no B, B is the last publication (and with no A, A the\n"
	"                     one before), as there is no working content\n";

typedef struct side {
	char label[32];
	const char *site_dir;  /* working content; NULL for a publication */
	nb_audit_files files;  /* "content/...", "site.yaml", ... sorted */
} side;

static int load_pub(nb_audit *a, size_t n, side *s)
{
	snprintf(s->label, sizeof(s->label), "pub-%zu", n);
	nb_commit *c = NULL;
	nb_tree *t = NULL;
	int rc = -1;
	if (nb_audit_pub_commit(a, n, &c) == 0 && nb_commit_tree(&t, c) == 0)
		rc = nb_audit_tree_files(a, t, "site", &s->files);
	nb_tree_free(t);
	nb_commit_free(c);
	return rc;
}

static int load_working(nb_audit *a, const nb_config *cfg, side *s)
{
	snprintf(s->label, sizeof(s->label), "working");
	s->site_dir = cfg->site_dir;
	nb_audit_files raw = { 0 };
	int rc = nb_audit_hash_sources(a, cfg, 0, &raw, NULL);
	for (size_t i = 0; rc == 0 && i < raw.len; i++) {
		/* "site/content/x.md" -> "content/x.md" */
		raw.items[i].path = memmove(raw.items[i].path, raw.items[i].path + 5,
					    strlen(raw.items[i].path + 5) + 1);
	}
	s->files = raw;
	nb_audit_files_sort(&s->files);
	return rc;
}

static int read_side(nb_audit *a, const side *s, const nb_audit_file *f, char **data,
		     size_t *len)
{
	if (s->site_dir) {
		char *p = nb_path_join(s->site_dir, f->path);
		int rc = nb_fs_read(p, 0, data, len);
		free(p);
		return rc;
	}
	return nb_audit_read_blob(a, &f->id, data, len);
}

static void put_visible(nb_buf *b, const char *s)
{
	nb_utf8_put_visible(b, s, strlen(s), 0);
}

static int is_doc(const char *p)
{
	size_t n = strlen(p);
	return !strncmp(p, "content/", 8) && n > 3 && !strcmp(p + n - 3, ".md");
}

typedef struct report {
	int stat, json;
	const char *lang;   /* the summary line's */
	json_t *out;        /* the JSON document */
	nb_buf text;        /* the details, printed after the lists */
	size_t docs_added, docs_removed, docs_changed, files_changed;
} report;

static int changed_doc(nb_audit *a, report *r, const side *A, const side *B,
		       const nb_audit_file *fa, const nb_audit_file *fb, json_t *entry)
{
	char *da = NULL, *db = NULL;
	size_t la, lb;
	if (read_side(a, A, fa, &da, &la) != 0 || read_side(a, B, fb, &db, &lb) != 0) {
		free(da);
		free(db);
		return -1;
	}
	nb_pubdiff_doc pa, pb;
	nb_pubdiff_parse(fa->path, da, la, &pa);
	nb_pubdiff_parse(fb->path, db, lb, &pb);
	json_t *fields = nb_pubdiff_fields(&pa, &pb);
	if (!r->stat) {
		nb_buf_puts(&r->text, nb_diag_word(r->lang, "changed ", "修改 "));
		put_visible(&r->text, fb->path);
		nb_buf_putc(&r->text, '\n');
		size_t i;
		json_t *f;
		json_array_foreach(fields, i, f) {
			json_t *from = json_object_get(f, "from"), *to = json_object_get(f, "to");
			char *x = nb_pubdiff_show(json_is_null(from) ? NULL : from);
			char *y = nb_pubdiff_show(json_is_null(to) ? NULL : to);
			nb_buf_puts(&r->text, "  ");
			put_visible(&r->text, json_string_value(json_object_get(f, "field")));
			nb_buf_puts(&r->text, ": ");
			put_visible(&r->text, x);
			nb_buf_puts(&r->text, " → ");
			put_visible(&r->text, y);
			nb_buf_putc(&r->text, '\n');
			free(x);
			free(y);
		}
	}
	nb_buf diff = NB_BUF_INIT;
	/* The ---/+++ labels are one line each, whatever the path holds. */
	nb_buf la_ = NB_BUF_INIT, lb_ = NB_BUF_INIT;
	nb_buf_printf(&la_, "%s/", A->label);
	put_visible(&la_, fa->path);
	nb_buf_printf(&lb_, "%s/", B->label);
	put_visible(&lb_, fb->path);
	nb_textdiff_unified(&diff, pa.body, pa.body_len, pb.body, pb.body_len,
			    nb_buf_cstr(&la_), nb_buf_cstr(&lb_), 3);
	nb_buf_free(&la_);
	nb_buf_free(&lb_);
	if (!r->stat)
		nb_utf8_put_visible(&r->text, nb_buf_cstr(&diff), diff.len, NB_VISIBLE_LINES);
	json_object_set_new(entry, "fields", fields);
	json_object_set_new(entry, "diff", json_string(nb_buf_cstr(&diff)));
	if (pb.id)
		json_object_set_new(entry, "id", json_string(pb.id));
	nb_buf_free(&diff);
	nb_pubdiff_doc_free(&pa);
	nb_pubdiff_doc_free(&pb);
	free(da);
	free(db);
	return 0;
}

static int compare(nb_audit *a, report *r, const side *A, const side *B)
{
	json_t *docs = json_pack("{s:[], s:[], s:[]}", "added", "removed", "changed");
	json_t *files = json_pack("{s:[], s:[], s:[]}", "added", "removed", "changed");
	json_object_set_new(r->out, "documents", docs);
	json_object_set_new(r->out, "files", files);
	nb_buf lists = NB_BUF_INIT;
	size_t i = 0, j = 0;
	int rc = 0;
	while (rc == 0 && (i < A->files.len || j < B->files.len)) {
		const nb_audit_file *fa = i < A->files.len ? &A->files.items[i] : NULL;
		const nb_audit_file *fb = j < B->files.len ? &B->files.items[j] : NULL;
		int c = !fa ? 1 : !fb ? -1 : strcmp(fa->path, fb->path);
		const char *what;
		const char *path;
		if (c < 0) {
			what = "removed", path = fa->path, i++;
		} else if (c > 0) {
			what = "added", path = fb->path, j++;
		} else {
			i++, j++;
			if (nb_oid_equal(&fa->id, &fb->id))
				continue;
			what = "changed", path = fb->path;
		}
		int doc = is_doc(path);
		json_t *entry = json_pack("{s:s}", "path", path);
		json_array_append(json_object_get(doc ? docs : files, what), entry);
		nb_cli_put_change(&lists, r->lang, what, 9);
		if (!doc)
			nb_buf_puts(&lists, nb_diag_word(r->lang, "(file) ", "（文件）"));
		put_visible(&lists, path);
		nb_buf_putc(&lists, '\n');
		if (doc) {
			if (!strcmp(what, "added"))
				r->docs_added++;
			else if (!strcmp(what, "removed"))
				r->docs_removed++;
			else
				r->docs_changed++;
			if (c == 0)
				rc = changed_doc(a, r, A, B, fa, fb, entry);
		} else {
			r->files_changed++;
		}
		json_decref(entry);
	}
	if (!r->json) {
		/* The summary is for people, in the site's language; the lists
		 * and the unified diffs below keep git's words. */
		nb_cli_print(stdout, r->lang, "%s → %s: %zu documents added, %zu removed, %zu "
			     "changed; %zu other files changed\n", A->label, B->label,
			     r->docs_added, r->docs_removed, r->docs_changed, r->files_changed);
		fputs(nb_buf_cstr(&lists), stdout);
		if (r->text.len) {
			putchar('\n');
			fputs(nb_buf_cstr(&r->text), stdout);
		}
	}
	nb_buf_free(&lists);
	return rc;
}

int nb_cmd_diff(const nb_cli *cli, int argc, char **argv)
{
	report r = { 0, 0, "en", NULL, NB_BUF_INIT, 0, 0, 0, 0 };
	const char *args[2] = { NULL, NULL };
	int nargs = 0;
	const char *repo = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if (!strcmp(argv[i], "--stat")) {
			r.stat = 1;
		} else if (!strcmp(argv[i], "--json")) {
			r.json = 1;
		} else if (!strcmp(argv[i], "--audit-repo") && i + 1 < argc) {
			repo = argv[++i];
		} else if (argv[i][0] != '-' && nargs < 2 && nb_audit_parse_pub(argv[i])) {
			args[nargs++] = argv[i];
		} else {
			nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
				     "noticeboard diff: unknown argument `%s` (publications are "
				     "numbers or pub-N)\n\n", argv[i]);
			fputs(usage, stderr);
			return NB_EXIT_USAGE;
		}
	}
	nb_config cfg;
	nb_audit a;
	int rc = nb_audit_open_any(&a, &cfg, cli->site_dir, repo, "diff");
	if (rc)
		return rc;
	r.lang = nb_cli_language(cfg.language);
	side A = { "", NULL, { 0 } }, B = { "", NULL, { 0 } };
	size_t last;
	nb_oid tip;
	r.out = json_object();
	if (nb_audit_head(&a, 0, &last, &tip) != 0)
		goto fail;
	if (!last && !args[0]) {
		nb_cli_print(stderr, r.lang, "noticeboard diff: no publications yet\n");
		rc = NB_EXIT_USAGE;
		goto done;
	}
	/* A repository without its site has no working content: B is then
	 * the last publication, A the one before it. */
	size_t na = args[0] ? nb_audit_parse_pub(args[0]) : repo && last > 1 ? last - 1 : last;
	size_t nb = args[1] ? nb_audit_parse_pub(args[1]) : repo ? last : 0;
	if (load_pub(&a, na, &A) != 0)
		goto fail;
	if (nb ? load_pub(&a, nb, &B) : load_working(&a, &cfg, &B))
		goto fail;
	json_object_set_new(r.out, "from", json_string(A.label));
	json_object_set_new(r.out, "to", json_string(B.label));
	if (compare(&a, &r, &A, &B) != 0)
		goto fail;
	size_t total = r.docs_added + r.docs_removed + r.docs_changed + r.files_changed;
	if (r.json) {
		json_dumpf(r.out, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		putchar('\n');
	}
	rc = total ? NB_EXIT_CONTENT : NB_EXIT_OK;
	goto done;
fail:
	nb_audit_say(&cfg, "noticeboard diff: ", a.err);
	rc = NB_EXIT_IO;
done:
	nb_audit_files_free(&A.files);
	nb_audit_files_free(&B.files);
	json_decref(r.out);
	nb_buf_free(&r.text);
	nb_audit_close(&a);
	nb_config_free(&cfg);
	return rc;
}

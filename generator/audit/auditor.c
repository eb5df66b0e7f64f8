/*
 * auditor.c - `noticeboard audit`: checking a served site from outside;
 * see auditor.h.
 *
 * Why it is done this way:
 *
 * - The auditor needs nothing of the publisher's: the repository comes
 *   from the site itself (SITE/audit.git/, or a mirror given with
 *   --repo), fetched into a temporary folder and checked there with the
 *   same functions `verify` uses (chain, objects, signatures) and the
 *   same rebuild (rebuild.h).
 *
 * - Every check is run and reported, not only up to the first failure,
 *   and each is a JSON object {name, ok, detail, problems, files}: a
 *   person reads the text, a script reads --json, and both see the same
 *   verdicts.
 *
 * - What is served is compared file by file with the publication's
 *   public/: every file of the tree must be served with the same bytes
 *   (git blob ids again). Files served but not in the tree are not looked
 *   for: a static host cannot be listed, and they are not the
 *   publication's.
 *
 * - The history is remembered only when it extends the one remembered:
 *   a rewritten history never replaces the evidence of the old one.
 */
#include "audit/auditor.h"
#include "audit/audit_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit/rebuild.h"
#include "output/build.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/utf8.h"

/*
 * Every publication's commit and tag signature (audit/sign.c). From the
 * first signed one on each must be signed and good; earlier ones were
 * published before signing began and are not failures. Returns the
 * problems (lines in `report`); *good counts good signatures, *first the first
 * publication whose commit is signed; *io set (a->err) on an I/O error.
 */
size_t nb_audit_check_signatures(nb_audit *a, const char *allowed, size_t last, nb_buf *report,
				 size_t *good, size_t *first, int *io)
{
	static const char *const kinds[2] = { "commit", "tag" };
	size_t problems = 0, begun[2] = { 0, 0 };
	for (size_t n = 1; n <= last && !*io; n++) {
		git_commit *pc = NULL;
		if (nb_audit_pub_commit(a, n, &pc) != 0) {
			if (a->io) {
				*io = 1;
				break;
			}
			nb_buf_printf(report, "signature pub-%zu: %s\n", n, a->err);
			problems++;
			continue;
		}
		nb_oid ids[2] = { *nb_commit_id(pc) };
		nb_commit_free(pc);
		int have_tag = nb_audit_tag_id(a, n, &ids[1]) == 0 &&
			       !nb_oid_equal(&ids[1], &ids[0]);
		for (int k = 0; k < 2 && !*io; k++) {
			if (k == 1 && !have_tag)
				break;
			char who[256];
			int r = k ? nb_audit_verify_tag_signature(a, &ids[k], allowed, who, sizeof(who))
				  : nb_audit_verify_signature(a, &ids[k], allowed, who, sizeof(who));
			if (r == 0) {
				(*good)++;
				if (!begun[k])
					begun[k] = n;
			} else if (a->io) {
				*io = 1;
			} else if (r != GIT_ENOTFOUND || begun[k]) {
				if (r == GIT_ENOTFOUND)
					nb_buf_printf(report, "signature pub-%zu: its %s is not signed, but publications "
					       "are signed from pub-%zu on\n", n, kinds[k], begun[k]);
				else
					nb_buf_printf(report, "signature pub-%zu (%s): %s\n", n, kinds[k], a->err);
				problems++;
				if (!begun[k])
					begun[k] = n;
			}
		}
	}
	*first = begun[0];
	return problems;
}

/* ---- the run ---------------------------------------------------------------- */

typedef struct run {
	const nb_auditor_opts *o;
	json_t *checks;
	nb_fetch *site;
	nb_audit a;
	nb_config cfg;
	int opened;
	size_t last;
	nb_oid tip;
	int failed, other, io;
} run;

static json_t *add_check(run *r, const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static json_t *add_check(run *r, const char *name, int ok, const char *fmt, ...)
{
	char detail[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	json_t *c = json_pack("{s:s, s:b, s:s, s:[], s:[]}", "name", name, "ok", ok, "detail",
			      detail, "problems", "files");
	json_array_append_new(r->checks, c);
	if (!ok)
		r->failed = 1;
	return c;
}

/* Lines of `text` as problems of check `c`. */
static void add_lines(json_t *c, const char *text)
{
	json_t *p = json_object_get(c, "problems");
	for (const char *s = text; *s;) {
		size_t n = strcspn(s, "\n");
		if (n)
			json_array_append_new(p, json_stringn(s, n));
		s += n + (s[n] == '\n');
	}
}

static void add_file(json_t *c, const char *what, const char *path)
{
	json_array_append_new(json_object_get(c, "files"),
			      json_pack("{s:s, s:s}", "path", path, "what", what));
}

/* The repository into `tmp` (or the local mirror as it is): 0 with its
 * path in *path (caller frees), or -1 (check failed). */
static int get_repo(run *r, const char *tmp, char **path)
{
	const nb_auditor_opts *o = r->o;
	if (o->repo && !nb_fetch_is_url(o->repo)) {
		*path = strdup(o->repo);
		add_check(r, "fetch", 1, "the repository %s, read as it is", o->repo);
		return 0;
	}
	nb_fetch *f = r->site;
	if (o->repo && nb_fetch_new(&f, o->repo, &o->limits) != 0) {
		add_check(r, "fetch", 0, "%s", nb_fetch_error(f));
		nb_fetch_free(f);
		return -1;
	}
	size_t packs, loose;
	const char *rel = o->repo ? "" : "audit.git/";
	int rc = nb_fetch_repo(f, rel, tmp, &packs, &loose);
	if (rc == 0) {
		add_check(r, "fetch", 1, "%zu packs (each checked by git's indexer) and %zu loose "
			  "objects (each hashed) from %s%s", packs, loose, nb_fetch_base(f), rel);
		*path = strdup(tmp);
	} else {
		add_check(r, "fetch", 0, "%s", nb_fetch_error(f));
	}
	if (f != r->site)
		nb_fetch_free(f);
	return rc;
}

/* chain, objects, signatures. */
static void check_record(run *r)
{
	nb_audit *a = &r->a;
	char hex[GIT_OID_HEXSZ + 1] = "";
	int head = nb_audit_head(a, 0, &r->last, &r->tip);
	if (head == 0 && a->unfinished) {
		/* A publish stopped between moving the branch and tagging
		 * (commit.c): the branch is past pub-N, and saying it is at
		 * pub-N would be false. The next publish tags it. */
		char next[GIT_OID_HEXSZ + 1];
		nb_oid_tostr(hex, 8, &r->tip);
		nb_oid_tostr(next, 8, &a->unfinished_id);
		add_check(r, "chain", 1, "%zu publications; %s is at %s, publication %zu recorded "
			  "but not yet tagged (the next publish tags it), on pub-%zu (%s); each "
			  "pub-N+1 follows pub-N directly", r->last, a->refname, next, a->unfinished,
			  r->last, hex);
	} else if (head == 0) {
		nb_oid_tostr(hex, 8, &r->tip);
		add_check(r, "chain", 1, "%zu publications; %s is at pub-%zu (%s); each pub-N+1 "
			  "follows pub-N directly", r->last, a->refname, r->last, hex);
	} else {
		add_check(r, "chain", 0, "%s", a->err);
		r->io |= a->io;
		/* The history is still compared, from the branch as served: a
		 * chain failing its own check may extend the one seen before or
		 * rewrite it, and "rewritten" must not be said of the first. */
		if (git_reference_name_to_id(to_git_w(&r->tip), a->repo, a->refname) < 0)
			git_error_clear();
	}
	nb_buf rep = NB_BUF_INIT;
	size_t damaged = 0;
	if (nb_audit_check_objects(a, r->last, &rep, &damaged) != 0) {
		add_check(r, "objects", 0, "%s", a->err);
		r->io = 1;  /* only an I/O error stops it: no verdict, as verify */
	} else {
		json_t *c = add_check(r, "objects", !damaged, damaged ? "%zu objects damaged"
				      : "every object of pub-1..pub-%zu read and hashed again",
				      damaged ? damaged : r->last);
		add_lines(c, nb_buf_cstr(&rep));
	}
	nb_buf_clear(&rep);
	if (!r->o->allowed_signers) {
		json_t *c = add_check(r, "signatures", 1, "not checked: give --allowed-signers FILE");
		json_object_set_new(c, "skipped", json_true());
	} else {
		size_t good = 0, first = 0;
		int io = 0;
		size_t bad = nb_audit_check_signatures(a, r->o->allowed_signers, r->last, &rep, &good,
						       &first, &io);
		json_t *c = add_check(r, "signatures", !bad && !io && good, "%s", io ? a->err : "");
		r->io |= io;
		if (!io)
			json_object_set_new(c, "detail", json_sprintf(
				"%zu signatures good against %s%s", good, r->o->allowed_signers,
				good ? "" : "; no publication is signed"));
		add_lines(c, nb_buf_cstr(&rep));
	}
	nb_buf_free(&rep);
}

/* The history against the one remembered; remembered when it extends it. */
static void check_history(run *r, const char *key, int record_ok)
{
	char file[4096] = "";
	int first = 0;
	json_t *problems = json_array();
	if (nb_auditor_monitor(&r->a, key, &r->tip, &first, problems, file, sizeof(file)) != 0) {
		add_check(r, "history", 0, "%s", r->a.err);
		r->io |= r->a.io;
	} else if (json_array_size(problems)) {
		json_t *c = add_check(r, "history", 0, "the served history does not extend the one "
				      "seen before (remembered in %s; left unchanged)", file);
		json_object_set(c, "problems", problems);
	} else if (record_ok && nb_auditor_remember(&r->a, key, &r->tip, r->last) != 0) {
		/* Not remembered, the next audit cannot see a rollback: no pass. */
		add_check(r, "history", 0, "%s", r->a.err);
		r->io |= r->a.io;
	} else {
		int saved = record_ok;
		json_t *c = add_check(r, "history", 1, first
				      ? "first contact: nothing to compare with, this history is "
					"trusted on first use%s%s"
				      : "extends the history seen before%s%s",
				      saved ? "; remembered in " : "; not remembered (the record "
				      "failed its checks)", saved ? file : "");
		json_object_set_new(c, "first_contact", json_boolean(first));
	}
	json_decref(problems);
}

static void check_rebuild(run *r)
{
	size_t from = r->o->all ? 1 : r->last, good = 0;
	json_t *c = add_check(r, "rebuild", 1, "%s", "");
	json_t *pubs = json_array();
	json_object_set_new(c, "publications", pubs);
	for (size_t n = from; n && n <= r->last; n++) {
		nb_rebuild rb;
		char prefix[48];
		snprintf(prefix, sizeof(prefix), "pub-%zu", n);
		if (nb_audit_rebuild(&r->a, n, &rb) != 0) {
			json_array_append_new(json_object_get(c, "problems"),
					      json_sprintf("%s: %s", prefix, r->a.err));
			r->failed = 1;
			r->io |= r->a.io;
			json_object_set_new(c, "ok", json_false());
		} else if (!rb.built || (json_array_size(rb.differ) && !rb.other_generator)) {
			json_array_append_new(json_object_get(c, "problems"), rb.built
				? json_sprintf("%s: %zu files differ from what its recorded sources "
					       "build (it and this audit are both %s)", prefix,
					       json_array_size(rb.differ), rb.running)
				: json_sprintf("%s: %s", prefix, rb.err));
			for (size_t k = 0; k < json_array_size(rb.differ); k++) {
				json_t *d = json_array_get(rb.differ, k);
				add_file(c, json_string_value(json_object_get(d, "what")),
					 json_string_value(json_object_get(d, "path")));
			}
			r->failed = 1;
			json_object_set_new(c, "ok", json_false());
		} else if (json_array_size(rb.differ)) {
			json_array_append_new(json_object_get(c, "problems"), json_sprintf(
				"%s: made by another generator (%s; this audit is %s): %zu files "
				"differ when rebuilt here, which says nothing about tampering; "
				"audit it with %s", prefix, rb.recorded, rb.running,
				json_array_size(rb.differ), rb.recorded));
			json_object_set_new(c, "other_generator", json_true());
			r->other = 1;
		} else {
			good++;
		}
		json_array_append_new(pubs, json_pack("{s:I, s:s, s:b}", "publication", (json_int_t)n,
						      "generator", rb.recorded, "reproduced",
						      rb.built && !json_array_size(rb.differ)));
		nb_rebuild_free(&rb);
	}
	json_object_set_new(c, "detail", json_sprintf(
		"%zu of %zu publications rebuilt byte for byte from their recorded sources, as of "
		"their recorded dates", good, r->last && from ? r->last - from + 1 : 0));
}

/* Every file of the publication's public/, as served. */
static void check_served(run *r)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	nb_audit_files pub = { 0 };
	nb_buf body = NB_BUF_INIT;
	if (nb_audit_pub_commit(&r->a, r->last, &c) != 0 || git_commit_tree(&t, c) < 0 ||
	    nb_audit_tree_files(&r->a, t, "public", &pub) != 0) {
		add_check(r, "served", 0, "cannot read pub-%zu's public/: %s", r->last, r->a.err);
		goto done;
	}
	json_t *ch = add_check(r, "served", 1, "%s", "");
	size_t bad = 0, checked = 0;
	for (size_t i = 0; i < pub.len; i++) {
		const char *path = pub.items[i].path;
		if (!strcmp(path, NB_BUILD_MARKER))
			continue;
		checked++;
		int g = nb_fetch_get(r->site, path, 0, &body);
		git_oid id;
		if (g == 1) {
			add_file(ch, "missing", path);
		} else if (g < 0) {
			add_file(ch, "unreadable", path);
			json_array_append_new(json_object_get(ch, "problems"),
					      json_string(nb_fetch_error(r->site)));
		} else if (git_odb_hash(&id, body.ptr ? body.ptr : "", body.len, GIT_OBJECT_BLOB) < 0 ||
			   !git_oid_equal(&id, to_git(&pub.items[i].id))) {
			add_file(ch, "modified", path);
		} else {
			continue;
		}
		bad++;
	}
	json_object_set_new(ch, "ok", json_boolean(!bad));
	json_object_set_new(ch, "detail", bad
		? json_sprintf("%zu of the %zu files of pub-%zu are not served as published by %s",
			       bad, checked, r->last, nb_fetch_base(r->site))
		: json_sprintf("all %zu files of pub-%zu served byte for byte by %s", checked,
			       r->last, nb_fetch_base(r->site)));
	if (bad)
		r->failed = 1;
done:
	nb_buf_free(&body);
	nb_audit_files_free(&pub);
	git_tree_free(t);
	git_commit_free(c);
}

/* The language the audited site publishes in, from its last publication's
 * site.yaml: what the text report speaks (NB_LANG overrides). Read after
 * the checks, so a failure here never mixes into theirs; left out when the
 * record cannot say. */
static void site_language(run *r, json_t *report)
{
	git_commit *c = NULL;
	char *text = NULL;
	size_t len;
	if (nb_audit_pub_commit(&r->a, r->last, &c) == 0 &&
	    nb_audit_read_path(&r->a, c, "site/site.yaml", &text, &len) == 0)
		json_object_set_new(report, "language",
				    json_string(nb_config_language_of(text, len)));
	free(text);
	git_commit_free(c);
}

int nb_auditor_run(const nb_auditor_opts *o, json_t **report)
{
	run r;
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.checks = json_array();
	char *key = nb_fetch_site_key(o->site), *repo = NULL;
	*report = json_pack("{s:s, s:o}", "site", key, "checks", r.checks);
	const char *tmpdir = getenv("TMPDIR");
	nb_buf tmp = NB_BUF_INIT;
	nb_buf_printf(&tmp, "%s/nb-audit-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int made = 0, rc = NB_EXIT_IO;
	if (nb_fetch_new(&r.site, o->site, &o->limits) != 0) {
		add_check(&r, "fetch", 0, "%s", nb_fetch_error(r.site));
		goto done;
	}
	if (!mkdtemp(tmp.ptr)) {
		add_check(&r, "fetch", 0, "cannot create a temporary folder in %s",
			  tmpdir && *tmpdir ? tmpdir : "/tmp");
		goto done;
	}
	made = 1;
	if (get_repo(&r, tmp.ptr, &repo) != 0)
		goto done;
	json_object_set_new(*report, "repository", json_string(o->repo ? o->repo : "audit.git/"));
	/* Quietly: a failure to open is the fetch check's, reported below. */
	if (nb_audit_open_any(&r.a, &r.cfg, NULL, repo, "audit") != 0) {
		add_check(&r, "fetch", 0, "the fetched repository cannot be opened");
		goto done;
	}
	r.opened = 1;
	check_record(&r);
	int record_ok = !r.failed;
	if (r.last) {
		check_history(&r, key, record_ok);
		check_rebuild(&r);
		check_served(&r);
		json_object_set_new(*report, "publication", json_integer((json_int_t)r.last));
		site_language(&r, *report);
	}
	/* A read error is no verdict: exit 3 whatever else failed, as verify. */
	rc = r.io ? NB_EXIT_IO : r.failed ? NB_EXIT_CONTENT : r.other ? NB_EXIT_GENERATOR
	     : NB_EXIT_OK;
done:
	json_object_set_new(*report, "ok", json_boolean(rc == NB_EXIT_OK));
	json_object_set_new(*report, "exit", json_integer(rc));
	if (r.opened) {
		nb_audit_close(&r.a);
		nb_config_free(&r.cfg);
	}
	if (made)
		nb_fs_rmtree(tmp.ptr);
	nb_fetch_free(r.site);
	nb_buf_free(&tmp);
	free(repo);
	free(key);
	return rc;
}

/* ---- the text report -------------------------------------------------------- */

/*
 * The text speaks the report's language throughout, while the JSON keeps
 * the English the checks wrote (scripts match on it): each line is
 * translated as it is printed, through the diagnostics catalog
 * (util/diag_i18n.c) - the checks' own sentences under the code "audit",
 * and what they quote from below (fetch, chain, signature and history
 * errors) as shared "@" pieces, which a line that is only such an error
 * is looked up as too. Addresses, paths and ids are placed as they are.
 */

/* Check names and file states as the text shows them. */
static const char *const words[][2] = {
	{ "fetch", "获取记录" }, { "chain", "公示链" }, { "objects", "对象" },
	{ "signatures", "签名" }, { "history", "历史" }, { "rebuild", "重建" },
	{ "served", "网站文件" }, { "missing", "缺失" }, { "modified", "被改动" },
	{ "extra", "多出" }, { "unreadable", "无法读取" },
};

static const char *word(const char *lang, const char *en)
{
	for (size_t i = 0; en && i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(words[i][0], en))
			return nb_diag_word(lang, en, words[i][1]);
	return en ? en : "";
}

/* `s` padded with spaces to `width` columns (a CJK character is two). */
static void put_padded(FILE *out, const char *s, size_t width)
{
	size_t cols = nb_utf8_columns(s);
	fputs(s, out);
	for (; cols < width; cols++)
		fputc(' ', out);
}

static void put_line(FILE *out, const char *lang, const char *text)
{
	char *s = nb_diag_translate(lang, "audit", text);
	if (text && !strcmp(s, text)) {
		free(s);
		s = nb_diag_translate(lang, "@", text);
	}
	nb_utf8_fputs_visible(out, s ? s : "", 0);
	fputc('\n', out);
	free(s);
}

void nb_auditor_print(const json_t *report, FILE *out, const char *lang)
{
	int zh = !strcmp(lang, "zh-CN");
	fprintf(out, zh ? "noticeboard 审计：%s\n" : "noticeboard audit of %s\n",
		json_string_value(json_object_get(report, "site")));
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(report, "checks"), i, c) {
		int ok = json_is_true(json_object_get(c, "ok"));
		int skipped = json_is_true(json_object_get(c, "skipped"));
		fputs("  ", out);
		put_padded(out, skipped ? nb_diag_word(lang, "--", "未查")
			   : ok ? nb_diag_word(lang, "ok", "通过") : nb_diag_word(lang, "FAIL", "失败"), 4);
		fputs("  ", out);
		put_padded(out, word(lang, json_string_value(json_object_get(c, "name"))), 10);
		fputs("  ", out);
		put_line(out, lang, json_string_value(json_object_get(c, "detail")));
		size_t k;
		json_t *p;
		json_array_foreach(json_object_get(c, "problems"), k, p) {
			fputs("          ", out);
			put_line(out, lang, json_string_value(p));
		}
		json_array_foreach(json_object_get(c, "files"), k, p) {
			fprintf(out, "          %s%s", word(lang, json_string_value(json_object_get(p, "what"))),
				nb_diag_word(lang, ": ", "："));
			nb_utf8_fputs_visible(out, json_string_value(json_object_get(p, "path")), 0);
			fputc('\n', out);
		}
	}
	json_int_t rc = json_integer_value(json_object_get(report, "exit"));
	const char *verdict = rc == NB_EXIT_OK
		? nb_diag_word(lang, "everything holds", "全部检查通过")
		: rc == NB_EXIT_GENERATOR
		? nb_diag_word(lang, "made by another generator: rebuild it with that one",
			       "由其他版本的生成器发布：请用该版本重建")
		: rc == NB_EXIT_IO ? nb_diag_word(lang, "could not be checked", "无法检查")
		: nb_diag_word(lang, "FAILED: the site is not what it published",
			       "未通过：网站与其发布记录不符");
	fprintf(out, zh ? "结论：%s\n" : "result: %s\n", verdict);
}

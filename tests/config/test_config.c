/*
 * test_config.c - reading and checking site.yaml (config.c).
 *
 * Each test writes one site.yaml to a temporary folder and loads it. The
 * defaults asserted are the ones README.md's site.yaml table documents;
 * every bad value must be an error at its own line and column (counted by
 * hand from the text the test writes), with a hint, in Chinese as well as
 * English (the default site language is zh-CN), and must leave the
 * setting at its default rather than at something half-read.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "util/diag.h"
#include "util/fs.h"

typedef struct cfgsite {
	char dir[64];
	nb_config c;
	nb_diag d;
	int rc;
} cfgsite;

/* Load `yaml` as the site.yaml of a new folder (no file when NULL). */
static int load(cfgsite *s, const char *yaml)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->dir, "/tmp/nb-config-XXXXXX");
	if (!mkdtemp(s->dir))
		abort();
	if (yaml) {
		char *p = nb_path_join(s->dir, "site.yaml");
		if (nb_fs_write(p, yaml, strlen(yaml)) != 0)
			abort();
		free(p);
	}
	nb_diag_init(&s->d);
	s->rc = nb_config_load(&s->c, s->dir, &s->d);
	return s->rc;
}

static void done(cfgsite *s)
{
	nb_config_free(&s->c);
	nb_diag_free(&s->d);
	nb_fs_rmtree(s->dir);
}

/* `rel` joined to the site's folder, for comparing resolved paths. */
static int is_in_site(const cfgsite *s, const char *path, const char *rel)
{
	char *want = nb_path_join(s->dir, rel);
	int same = path && !strcmp(path, want);
	if (!same)
		fprintf(stderr, "  path %s, expected %s\n", path ? path : "(null)", want);
	free(want);
	return same;
}

/* The message and hint of `e` have a Chinese entry: what a zh-CN site
 * prints is not the English text. */
static void check_chinese(nb_test_state *nb__t, const nb_diag_entry *e)
{
	char *m = nb_diag_translate("zh-CN", e->code, e->msg);
	char *h = nb_diag_translate("zh-CN", e->code, e->hint);
	NB_CHECK(m && strcmp(m, e->msg));
	NB_CHECK(h && strcmp(h, e->hint));
	if (!m || !strcmp(m, e->msg))
		fprintf(stderr, "  untranslated message: %s\n", e->msg);
	if (!h || !strcmp(h, e->hint))
		fprintf(stderr, "  untranslated hint: %s\n", e->hint ? e->hint : "(null)");
	free(m);
	free(h);
}

/* Exactly one diagnostic: this code and severity at site.yaml line:col,
 * with a hint, both translated. */
static const nb_diag_entry *expect_one(nb_test_state *nb__t, cfgsite *s, const char *code,
				       nb_severity sev, int line, int col)
{
	NB_CHECK(s->rc == (sev == NB_SEV_ERROR ? -1 : 0));
	NB_CHECK(s->d.len == 1);
	if (s->d.len != 1)
		nb_diag_print(&s->d, stderr, 0);
	if (s->d.len < 1)
		return NULL;
	const nb_diag_entry *e = &s->d.items[0];
	NB_CHECK_STR(e->code, code);
	NB_CHECK_STR(e->file, "site.yaml");
	NB_CHECK(e->sev == sev);
	NB_CHECK(e->line == line);
	NB_CHECK(e->col == col);
	if (e->line != line || e->col != col)
		fprintf(stderr, "  got %d:%d (%s)\n", e->line, e->col, e->msg);
	NB_CHECK(e->hint != NULL);
	check_chinese(nb__t, e);
	return e;
}

#define ERR NB_SEV_ERROR
#define WARN NB_SEV_WARNING

NB_TEST(test_missing_file)
{
	cfgsite s;
	load(&s, NULL);
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-missing", ERR, 0, 0);
	if (e) {
		NB_CHECK_CONTAINS(e->msg, "no site.yaml in ");
		NB_CHECK_CONTAINS(e->msg, s.dir);
		NB_CHECK_CONTAINS(e->hint, "noticeboard init");
	}
	done(&s);
}

NB_TEST(test_not_yaml)
{
	cfgsite s;
	NB_CHECK(load(&s, "title: \"unclosed\n") == -1);
	NB_CHECK(s.d.errors >= 1);
	done(&s);
}

NB_TEST(test_readme_defaults)
{
	/* README.md, "site.yaml": every default in its table. */
	cfgsite s;
	NB_CHECK(load(&s, "# nothing set\ntitle: \"红岭\"\n") == 0);
	NB_CHECK(s.d.len == 0);
	NB_CHECK_STR(s.c.title, "红岭");
	done(&s);

	NB_CHECK(load(&s, "params: {}\n") == 0);
	NB_CHECK(s.d.len == 0);
	NB_CHECK_STR(s.c.title, "noticeboard");
	NB_CHECK_STR(s.c.description, "");
	NB_CHECK_STR(s.c.language, "zh-CN");
	NB_CHECK_STR(s.c.base_url, "/");
	NB_CHECK_STR(s.c.base_path, "/");
	NB_CHECK_STR(s.c.theme, "default");
	NB_CHECK_STR(s.c.output, "public");
	NB_CHECK(is_in_site(&s, s.c.output_path, "public"));
	NB_CHECK(json_is_object(s.c.params) && json_object_size(s.c.params) == 0);
	NB_CHECK(json_is_array(s.c.alternates) && json_array_size(s.c.alternates) == 0);
	NB_CHECK(s.c.unsafe_html == 0);
	NB_CHECK(s.c.allow_active_content == 0);
	NB_CHECK(s.c.page_size == 20);
	NB_CHECK(json_is_object(s.c.contact) && json_object_size(s.c.contact) == 0);
	NB_CHECK(s.c.max_table_cells == 20000);
	NB_CHECK(s.c.notice_period_days == 0);          /* no period */
	NB_CHECK(s.c.notice_objections == NULL);        /* no objections line */
	NB_CHECK(s.c.notice_committee == NULL);
	NB_CHECK(is_in_site(&s, s.c.audit_repo, "audit.git"));
	NB_CHECK_STR(s.c.audit_branch, "publications");
	NB_CHECK(s.c.audit_signing_key == NULL);        /* unsigned */
	NB_CHECK(s.c.audit_allowed_signers == NULL);
	NB_CHECK(json_is_array(s.c.audit_mirrors) && json_array_size(s.c.audit_mirrors) == 0);
	NB_CHECK(s.c.audit_serve == 1);                 /* served at /audit.git/ */
	NB_CHECK(s.c.audit_mirror == NULL);
	/* "safe defaults": bounded, non-zero. */
	NB_CHECK(s.c.max_file_size > 0);
	NB_CHECK(s.c.yaml_limits.max_depth > 0 && s.c.yaml_limits.max_nodes > 0);
	NB_CHECK(s.c.yaml_limits.max_scalar > 0 && s.c.template_depth > 0);
	NB_CHECK(strcmp(nb_diag_language(&s.d), "zh-CN") == 0 || getenv("NB_LANG"));
	done(&s);
}

NB_TEST(test_every_setting_read)
{
	cfgsite s;
	load(&s,
	     "title: \"红岭社区自治专栏\"\n"
	     "description: \"红岭社区自治会的会议、决议和公约\"\n"
	     "language: en\n"
	     "base_url: \"https://example.org/shequ\"\n"
	     "theme: \"hongling\"\n"
	     "output: \"/tmp/nb-config-out\"\n"
	     "params: {motto: \"共建共治\"}\n"
	     "markdown: {unsafe_html: true}\n"
	     "assets: {allow_active_content: true}\n"
	     "pagination: {page_size: 5}\n"
	     "contact: {phone: \"0755-12345678\", address: \"党群服务中心\", hours: \"\"}\n"
	     "limits: {file_size: 1000, yaml_depth: 10, yaml_aliases: 0, yaml_nodes: 50,\n"
	     "         yaml_scalar: 99, template_depth: 7, table_cells: 30}\n"
	     "notice: {committee: \"红岭社区自治协调委员会\", period_days: 7,\n"
	     "         objections: \"电话 0755-12345678\"}\n"
	     "alternates: {zh-CN: /, en: /en/}\n"
	     "audit:\n"
	     "  repository: records.git\n"
	     "  branch: pub\n"
	     "  signing_key: keys/id_ed25519\n"
	     "  allowed_signers: /etc/noticeboard/signers\n"
	     "  mirrors: [/mnt/backup/audit.git, \"git@example.org:hl/audit.git\"]\n"
	     "  serve: false\n"
	     "  mirror: https://mirror.example.org/audit.git\n");
	NB_CHECK(s.rc == 0);
	NB_CHECK(s.d.len == 0);
	if (s.d.len)
		nb_diag_print(&s.d, stderr, 0);
	NB_CHECK_STR(s.c.title, "红岭社区自治专栏");
	NB_CHECK_STR(s.c.language, "en");
	NB_CHECK_STR(nb_diag_language(&s.d), getenv("NB_LANG") ? nb_diag_language(&s.d) : "en");
	NB_CHECK_STR(s.c.base_url, "https://example.org/shequ/");
	NB_CHECK_STR(s.c.base_path, "/shequ/");
	NB_CHECK_STR(s.c.theme, "hongling");
	NB_CHECK(s.c.theme_line == 5 && s.c.theme_col == 8);
	NB_CHECK_STR(s.c.output_path, "/tmp/nb-config-out");
	NB_CHECK_STR(json_string_value(json_object_get(s.c.params, "motto")), "共建共治");
	NB_CHECK(s.c.unsafe_html == 1 && s.c.allow_active_content == 1);
	NB_CHECK(s.c.page_size == 5);
	NB_CHECK_STR(json_string_value(json_object_get(s.c.contact, "phone")), "0755-12345678");
	NB_CHECK(json_object_get(s.c.contact, "hours") == NULL);   /* empty: not set */
	NB_CHECK(json_object_size(s.c.contact) == 2);
	NB_CHECK(s.c.max_file_size == 1000 && s.c.yaml_limits.max_depth == 10);
	NB_CHECK(s.c.yaml_limits.max_aliases == 0 && s.c.yaml_limits.max_nodes == 50);
	NB_CHECK(s.c.yaml_limits.max_scalar == 99 && s.c.template_depth == 7);
	NB_CHECK(s.c.max_table_cells == 30);
	NB_CHECK_STR(s.c.notice_committee, "红岭社区自治协调委员会");
	NB_CHECK(s.c.notice_period_days == 7);
	NB_CHECK_STR(s.c.notice_objections, "电话 0755-12345678");
	NB_CHECK(json_array_size(s.c.alternates) == 2);
	const char *labels[2] = { "中文", "English" }, *urls[2] = { "/", "/en/" };
	for (size_t i = 0; i < 2 && i < json_array_size(s.c.alternates); i++) {
		json_t *a = json_array_get(s.c.alternates, i);
		NB_CHECK_STR(json_string_value(json_object_get(a, "label")), labels[i]);
		NB_CHECK_STR(json_string_value(json_object_get(a, "url")), urls[i]);
	}
	NB_CHECK(is_in_site(&s, s.c.audit_repo, "records.git"));
	NB_CHECK_STR(s.c.audit_branch, "pub");
	NB_CHECK(is_in_site(&s, s.c.audit_signing_key, "keys/id_ed25519"));
	NB_CHECK_STR(s.c.audit_allowed_signers, "/etc/noticeboard/signers");
	NB_CHECK(json_array_size(s.c.audit_mirrors) == 2);
	NB_CHECK(s.c.audit_serve == 0);
	NB_CHECK_STR(s.c.audit_mirror, "https://mirror.example.org/audit.git");
	done(&s);
}

NB_TEST(test_site_dir_trailing_slash)
{
	cfgsite s;
	memset(&s, 0, sizeof(s));
	strcpy(s.dir, "/tmp/nb-config-XXXXXX");
	if (!mkdtemp(s.dir))
		abort();
	char *p = nb_path_join(s.dir, "site.yaml");
	NB_CHECK(nb_fs_write(p, "title: x\n", 9) == 0);
	free(p);
	char slashed[80];
	snprintf(slashed, sizeof(slashed), "%s//", s.dir);
	nb_diag_init(&s.d);
	NB_CHECK(nb_config_load(&s.c, slashed, &s.d) == 0);
	NB_CHECK_STR(s.c.site_dir, s.dir);
	NB_CHECK(is_in_site(&s, s.c.output_path, "public"));
	done(&s);
}

/* ---- base_url ---- */

NB_TEST(test_base_url_forms)
{
	static const char *const forms[][3] = {
		/* as written, base_url, base_path */
		{ "\"https://example.org/shequ/\"", "https://example.org/shequ/", "/shequ/" },
		{ "\"https://example.org/shequ\"", "https://example.org/shequ/", "/shequ/" },
		{ "\"https://example.org\"", "https://example.org/", "/" },
		{ "\"http://127.0.0.1:8080/a/b/\"", "http://127.0.0.1:8080/a/b/", "/a/b/" },
		{ "\"/shequ\"", "/shequ/", "/shequ/" },
		{ "\"/\"", "/", "/" },
		{ "\"\"", "/", "/" },
		{ "", "/", "/" },
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		cfgsite s;
		char yaml[96];
		snprintf(yaml, sizeof(yaml), "base_url: %s\n", forms[i][0]);
		NB_CHECK(load(&s, yaml) == 0);
		NB_CHECK_STR(s.c.base_url, forms[i][1]);
		NB_CHECK_STR(s.c.base_path, forms[i][2]);
		done(&s);
	}
}

NB_TEST(test_base_url_neither_address_nor_path)
{
	/* Without a scheme or a leading /, every link on the site would be
	 * relative to the page it is on, broken everywhere but the home page. */
	static const char *const bad[] = {
		"example.org/shequ/", "shequ", "www.example.org", "ftp://example.org/",
		"\"https:example.org\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfgsite s;
		char yaml[96];
		snprintf(yaml, sizeof(yaml), "base_url: %s\n", bad[i]);
		load(&s, yaml);
		const nb_diag_entry *e = expect_one(NB_T, &s, "config-base-url", ERR, 1, 11);
		if (e)
			NB_CHECK_CONTAINS(e->hint, "https://example.org/shequ/");
		done(&s);
	}
}

NB_TEST(test_base_url_not_text)
{
	cfgsite s;
	load(&s, "title: x\nbase_url: [https://example.org/]\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-type", ERR, 2, 11);
	if (e)
		NB_CHECK_STR(e->msg, "`base_url` must be text");
	NB_CHECK_STR(s.c.base_url, "/");
	done(&s);
}

/* ---- language ---- */

NB_TEST(test_language)
{
	cfgsite s;
	load(&s, "title: x\nlanguage: fr\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-language", ERR, 2, 11);
	if (e) {
		NB_CHECK_STR(e->msg, "unsupported language `fr`");
		NB_CHECK_CONTAINS(e->hint, "`zh-CN`");
		NB_CHECK_CONTAINS(e->hint, "`en`");
	}
	done(&s);

	/* Spelt as in the README only: zh-CN, not zh-cn or zh. */
	static const char *const bad[] = { "EN", "zh", "zh-cn", "\"\"", "\" en\"" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char yaml[64];
		snprintf(yaml, sizeof(yaml), "language: %s\n", bad[i]);
		load(&s, yaml);
		NB_CHECK(s.rc == -1);
		NB_CHECK(s.d.len == 1 && !strcmp(s.d.items[0].code, "config-language"));
		done(&s);
	}

	load(&s, "language: 5\n");
	NB_CHECK(s.rc == -1);
	NB_CHECK(s.d.len == 1 && s.d.items[0].line == 1 && s.d.items[0].col == 11);
	NB_CHECK_STR(s.c.language, "zh-CN");
	done(&s);

	load(&s, "language: zh-CN\n");
	NB_CHECK(s.rc == 0 && s.d.len == 0);
	NB_CHECK_STR(s.c.language, "zh-CN");
	done(&s);
}

NB_TEST(test_language_of)
{
	static const char en[] = "title: x\nlanguage: en\n";
	static const char zh[] = "title: x\nlanguage: zh-CN\n";
	static const char fr[] = "language: fr\n";
	static const char broken[] = "language: [en\n";
	NB_CHECK_STR(nb_config_language_of(en, strlen(en)), "en");
	NB_CHECK_STR(nb_config_language_of(zh, strlen(zh)), "zh-CN");
	NB_CHECK_STR(nb_config_language_of(fr, strlen(fr)), "zh-CN");
	NB_CHECK_STR(nb_config_language_of(broken, strlen(broken)), "zh-CN");
	NB_CHECK_STR(nb_config_language_of("", 0), "zh-CN");
}

/* ---- unknown keys ---- */

NB_TEST(test_misspelt_key)
{
	cfgsite s;
	load(&s, "title: x\nlangauge: en\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-unknown-key", ERR, 2, 1);
	if (e) {
		NB_CHECK_STR(e->msg, "unknown setting `langauge`: did you mean `language`?");
		NB_CHECK_STR(e->hint, "rename it to `language`");
	}
	NB_CHECK_STR(s.c.language, "zh-CN");
	done(&s);

	load(&s, "audit:\n  branhc: pub\n");
	e = expect_one(NB_T, &s, "config-unknown-key", ERR, 2, 3);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "did you mean `branch`?");
	NB_CHECK_STR(s.c.audit_branch, "publications");
	done(&s);

	load(&s, "notice: {period_day: 7}\n");
	e = expect_one(NB_T, &s, "config-unknown-key", ERR, 1, 10);
	if (e)
		NB_CHECK_CONTAINS(e->msg, "did you mean `period_days`?");
	done(&s);

	load(&s, "pagination:\n  pagesize: 10\n");
	e = expect_one(NB_T, &s, "config-unknown-key", ERR, 2, 3);
	NB_CHECK(s.c.page_size == 20);
	done(&s);
}

NB_TEST(test_unknown_top_key_warns)
{
	/* Not like any setting: ignored with a warning, the site still loads. */
	cfgsite s;
	load(&s, "title: x\nfavourite_colour: red\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-unknown-key", WARN, 2, 1);
	if (e)
		NB_CHECK_CONTAINS(e->hint, "params:");
	done(&s);
}

NB_TEST(test_unknown_key_in_section_has_a_fix)
{
	/* Like no setting of its section: the hint names the ones there are. */
	cfgsite s;
	load(&s, "limits:\n  xyz: 1\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-unknown-key", ERR, 2, 3);
	if (e) {
		NB_CHECK_STR(e->msg, "unknown setting `xyz` in `limits`");
		NB_CHECK_CONTAINS(e->hint, "`file_size`, `yaml_depth`");
		NB_CHECK_CONTAINS(e->hint, "`table_cells`");
	}
	done(&s);

	load(&s, "params: [a]\n");
	e = expect_one(NB_T, &s, "config-type", ERR, 1, 9);
	if (e)
		NB_CHECK_CONTAINS(e->hint, "params:");
	done(&s);
}

/* ---- bad values, each at its line and column ---- */

NB_TEST(test_text_settings_not_text)
{
	static const char *const keys[] = { "title", "description", "theme", "output" };
	for (size_t i = 0; i < 4; i++) {
		cfgsite s;
		char yaml[96];
		snprintf(yaml, sizeof(yaml), "# site\n%s: [a, b]\n", keys[i]);
		load(&s, yaml);
		const nb_diag_entry *e = expect_one(NB_T, &s, "config-type", ERR, 2,
						    (int)strlen(keys[i]) + 3);
		if (e)
			NB_CHECK_CONTAINS(e->msg, keys[i]);
		done(&s);
	}
}

NB_TEST(test_theme_not_a_plain_name)
{
	static const char *const bad[] = { "\"../outside\"", "\"a/b\"", "\".hidden\"", "\"\"" };
	for (size_t i = 0; i < 4; i++) {
		cfgsite s;
		char yaml[64];
		snprintf(yaml, sizeof(yaml), "title: x\ntheme: %s\n", bad[i]);
		load(&s, yaml);
		expect_one(NB_T, &s, "config-theme", ERR, 2, 8);
		done(&s);
	}
}

NB_TEST(test_numbers)
{
	/* limits.*, pagination.page_size and notice.period_days: whole
	 * numbers from their minimum; a bad one keeps the default. */
	static const struct {
		const char *yaml;
		int line, col;
	} bad[] = {
		{ "pagination: {page_size: 0}\n", 1, 25 },
		{ "pagination: {page_size: \"20\"}\n", 1, 25 },
		{ "pagination: {page_size: 2.5}\n", 1, 25 },
		{ "pagination:\n  page_size: -1\n", 2, 14 },
		{ "limits:\n  file_size: 0\n", 2, 14 },
		{ "limits:\n  yaml_depth: 0\n", 2, 15 },
		{ "limits:\n  yaml_aliases: -1\n", 2, 17 },
		{ "limits:\n  yaml_nodes: 10MB\n", 2, 15 },
		{ "limits:\n  yaml_scalar: true\n", 2, 16 },
		{ "limits:\n  template_depth: 0\n", 2, 19 },
		{ "limits:\n  table_cells: 0\n", 2, 16 },
		{ "notice:\n  period_days: 0\n", 2, 16 },
		{ "notice:\n  period_days: \"7\"\n", 2, 16 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfgsite s;
		load(&s, bad[i].yaml);
		const nb_diag_entry *e = expect_one(NB_T, &s, "config-type", ERR, bad[i].line,
						    bad[i].col);
		if (e)
			NB_CHECK_CONTAINS(e->msg, "must be a whole number of at least");
		NB_CHECK(s.c.page_size == 20 && s.c.max_table_cells == 20000);
		NB_CHECK(s.c.notice_period_days == 0 && s.c.template_depth == 64);
		if (s.d.len != 1 || s.d.items[0].line != bad[i].line)
			fprintf(stderr, "  in: %s", bad[i].yaml);
		done(&s);
	}
}

NB_TEST(test_notice_period_bounds)
{
	/* README: 1-366. */
	cfgsite s;
	NB_CHECK(load(&s, "notice: {period_days: 1}\n") == 0);
	NB_CHECK(s.c.notice_period_days == 1);
	done(&s);
	NB_CHECK(load(&s, "notice: {period_days: 366}\n") == 0);
	NB_CHECK(s.c.notice_period_days == 366);
	done(&s);
	load(&s, "notice:\n  period_days: 367\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-notice-period", ERR, 2, 16);
	if (e)
		NB_CHECK_STR(e->msg, "`notice.period_days` is 367; at most 366 days");
	NB_CHECK(s.c.notice_period_days == 0);
	done(&s);
}

NB_TEST(test_booleans)
{
	cfgsite s;
	load(&s, "assets:\n  allow_active_content: \"yes\"\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-type", ERR, 2, 25);
	if (e)
		NB_CHECK_STR(e->msg, "`allow_active_content` must be true or false");
	NB_CHECK(s.c.allow_active_content == 0);
	done(&s);

	load(&s, "audit:\n  serve: 1\n");
	expect_one(NB_T, &s, "config-type", ERR, 2, 10);
	NB_CHECK(s.c.audit_serve == 1);
	done(&s);
}

NB_TEST(test_audit_mirror_url)
{
	static const char *const bad[] = {
		"/srv/audit.git", "git@example.org:audit.git", "ftp://example.org/a.git",
		"\"https://example.org/a b.git\"", "\"https://example.org/\\\"x\"",
		"javascript:alert(1)",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfgsite s;
		char yaml[128];
		snprintf(yaml, sizeof(yaml), "audit:\n  mirror: %s\n", bad[i]);
		load(&s, yaml);
		expect_one(NB_T, &s, "config-type", ERR, 2, 11);
		NB_CHECK(s.c.audit_mirror == NULL);
		done(&s);
	}
	cfgsite s;
	NB_CHECK(load(&s, "audit: {mirror: \"http://example.org/audit.git\"}\n") == 0);
	NB_CHECK_STR(s.c.audit_mirror, "http://example.org/audit.git");
	NB_CHECK(s.c.audit_serve == 1);
	done(&s);
}

NB_TEST(test_audit_branch_git_refuses)
{
	/* publish makes refs/heads/<branch>: a name git refuses stopped it
	 * after check and build had passed, naming no line of site.yaml. */
	static const char *const bad[] = {
		"\"a b\"", "\"\"", "\"x..y\"", "\"x.lock\"", "\"a/.b\"", "\"a:b\"",
		"\"a@{1}\"", "\"/a\"", "\"a/\"", "\"a.\"", "\"a//b\"", "\"a~1\"", "\"a\\\\b\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfgsite s;
		char yaml[128];
		snprintf(yaml, sizeof(yaml), "audit:\n  branch: %s\n", bad[i]);
		load(&s, yaml);
		expect_one(NB_T, &s, "config-audit-branch", ERR, 2, 11);
		NB_CHECK_STR(s.c.audit_branch, "publications");
		done(&s);
	}
	static const char *const good[] = { "pub", "site/records", "v1.0", "发布" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		cfgsite s;
		char yaml[128];
		snprintf(yaml, sizeof(yaml), "audit:\n  branch: %s\n", good[i]);
		NB_CHECK(load(&s, yaml) == 0);
		NB_CHECK_STR(s.c.audit_branch, good[i]);
		done(&s);
	}
}

NB_TEST(test_audit_mirrors_not_a_list_of_text)
{
	/* `push` sends the publications to each mirror: one that is dropped
	 * is a copy auditors count on that is never made. */
	cfgsite s;
	load(&s, "audit:\n  mirrors: /mnt/backup/audit.git\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-type", ERR, 2, 12);
	if (e)
		NB_CHECK_STR(e->msg, "`audit.mirrors` must be a list of paths or URLs");
	done(&s);

	load(&s, "audit:\n  mirrors:\n    - /mnt/a.git\n    - {url: /mnt/b.git}\n    - \"\"\n");
	NB_CHECK(s.rc == -1);
	NB_CHECK(s.d.len == 2);
	for (size_t i = 0; i < s.d.len; i++) {
		e = &s.d.items[i];
		NB_CHECK_STR(e->code, "config-type");
		NB_CHECK(e->line == 4 + (int)i && e->col == 7);
		NB_CHECK_STR(e->msg, "each of `audit.mirrors` must be a path or URL");
		check_chinese(NB_T, e);
	}
	done(&s);
}

NB_TEST(test_audit_repository_place)
{
	/* The record auditors trust may not sit where the build writes or
	 * reads: each place named by the README. */
	static const char *const bad[] = {
		"content/audit.git", "static/audit.git", "public/audit.git",
		"public.previous", ".noticeboard-cache/a.git", ".",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfgsite s;
		char yaml[128];
		snprintf(yaml, sizeof(yaml), "title: x\naudit:\n  repository: %s\n", bad[i]);
		load(&s, yaml);
		const nb_diag_entry *e = expect_one(NB_T, &s, "audit-repo-place", ERR, 3, 15);
		if (e)
			NB_CHECK_CONTAINS(e->msg, "overlap");
		/* The place is named in Chinese too, not left in English inside
		 * the Chinese sentence. */
		char *zh = e ? nb_diag_translate("zh-CN", e->code, e->msg) : NULL;
		NB_CHECK(zh && !strstr(zh, "the ") && !strstr(zh, "folder"));
		if (zh && (strstr(zh, "the ") || strstr(zh, "folder")))
			fprintf(stderr, "  %s\n", zh);
		free(zh);
		done(&s);
	}
	/* With the default repository, an output folder around it is named
	 * at `output:`. */
	cfgsite s;
	load(&s, "title: x\noutput: \".\"\n");
	expect_one(NB_T, &s, "audit-repo-place", ERR, 2, 9);
	done(&s);
	NB_CHECK(load(&s, "audit: {repository: ../records.git}\n") == 0);
	done(&s);
}

NB_TEST(test_signing_key_place)
{
	/* The private key may not sit where the build publishes from (and
	 * the record keeps) or writes to. */
	static const char *const bad[] = {
		"content/key", "static/keys/publisher", "themes/default/static/k",
		"public/key", "public.previous/key",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfgsite s;
		char yaml[128];
		snprintf(yaml, sizeof(yaml), "title: x\naudit:\n  signing_key: %s\n", bad[i]);
		load(&s, yaml);
		const nb_diag_entry *e = expect_one(NB_T, &s, "audit-key-place", ERR, 3, 16);
		if (e) {
			NB_CHECK_CONTAINS(e->msg, bad[i]);
			NB_CHECK_CONTAINS(e->msg, "would be published");
			char *zh = nb_diag_translate("zh-CN", e->code, e->msg);
			NB_CHECK(zh && !strstr(zh, "the ") && !strstr(zh, "published"));
			free(zh);
		}
		done(&s);
	}
	/* Beside them, in the site's folder or outside it, it is fine. */
	cfgsite s;
	NB_CHECK(load(&s, "audit: {signing_key: keys/publisher}\n") == 0);
	done(&s);
	NB_CHECK(load(&s, "audit: {signing_key: /home/secretary/.ssh/id_ed25519}\n") == 0);
	done(&s);
}

NB_TEST(test_alternates)
{
	cfgsite s;
	load(&s, "alternates:\n  fr: /fr/\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-language", ERR, 2, 7);
	if (e)
		NB_CHECK_STR(e->msg, "unsupported language `fr` in `alternates`");
	NB_CHECK(json_array_size(s.c.alternates) == 0);
	done(&s);

	load(&s, "alternates:\n  en: \"\"\n");
	expect_one(NB_T, &s, "config-type", ERR, 2, 7);
	NB_CHECK(json_array_size(s.c.alternates) == 0);
	done(&s);

	load(&s, "alternates:\n  en: [/en/]\n");
	expect_one(NB_T, &s, "config-type", ERR, 2, 7);
	done(&s);

	/* Like base_url: a URL without scheme or leading / would be a link
	 * relative to each page, the language switch broken on all but one. */
	load(&s, "alternates:\n  en: en.example.org/\n");
	expect_one(NB_T, &s, "config-type", ERR, 2, 7);
	NB_CHECK(json_array_size(s.c.alternates) == 0);
	done(&s);
	NB_CHECK(load(&s, "alternates: {en: \"https://en.example.org/\"}\n") == 0);
	NB_CHECK(json_array_size(s.c.alternates) == 1);
	done(&s);
}

NB_TEST(test_sections_not_mappings)
{
	/* A section written as one value: an error at the value, in the
	 * site's language. */
	static const struct {
		const char *yaml, *msg;
		int col;
	} bad[] = {
		{ "alternates: en\n", "`alternates` must be a mapping of languages to URLs", 13 },
		{ "pagination: 20\n", "`pagination` must be a mapping", 13 },
		{ "contact: \"0755-12345678\"\n", "`contact` must be a mapping of phone, address "
		  "and hours", 10 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfgsite s;
		load(&s, bad[i].yaml);
		const nb_diag_entry *e = expect_one(NB_T, &s, "config-type", ERR, 1, bad[i].col);
		if (e)
			NB_CHECK_STR(e->msg, bad[i].msg);
		done(&s);
	}
}

NB_TEST(test_settings_sections_not_ignored)
{
	/* `notice: 7` meant a period and `audit: records.git` a repository:
	 * read as nothing, the site would publish without them unwarned. */
	static const char *const keys[] = { "markdown", "assets", "limits", "audit", "notice" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		cfgsite s;
		char yaml[64], msg[96];
		snprintf(yaml, sizeof(yaml), "title: x\n%s: 7\n", keys[i]);
		snprintf(msg, sizeof(msg), "`%s` must be a mapping of settings", keys[i]);
		load(&s, yaml);
		const nb_diag_entry *e = expect_one(NB_T, &s, "config-type", ERR, 2,
						    (int)strlen(keys[i]) + 3);
		if (e) {
			NB_CHECK_STR(e->msg, msg);
			NB_CHECK_CONTAINS(e->hint, keys[i]);
		}
		done(&s);
	}
	/* And a switch that is not true or false is not silently off. */
	cfgsite s;
	load(&s, "markdown:\n  unsafe_html: \"yes\"\n");
	const nb_diag_entry *e = expect_one(NB_T, &s, "config-type", ERR, 2, 16);
	if (e)
		NB_CHECK_STR(e->msg, "`unsafe_html` must be true or false");
	NB_CHECK(s.c.unsafe_html == 0);
	done(&s);
}

NB_TEST(test_params_and_contact_types)
{
	cfgsite s;
	load(&s, "params: [a]\n");
	const nb_diag_entry *e = &s.d.items[0];
	NB_CHECK(s.rc == -1 && s.d.len == 1);
	if (s.d.len == 1) {
		NB_CHECK_STR(e->code, "config-type");
		NB_CHECK(e->line == 1 && e->col == 9);
	}
	done(&s);

	/* A phone number YAML reads as a number is not text. */
	load(&s, "contact:\n  phone: 12345678\n");
	e = expect_one(NB_T, &s, "config-type", ERR, 2, 10);
	if (e)
		NB_CHECK_CONTAINS(e->hint, "quotes");
	NB_CHECK(json_object_size(s.c.contact) == 0);
	done(&s);
}

NB_TEST(test_every_error_reported)
{
	/* One run names every mistake, not only the first. */
	cfgsite s;
	load(&s, "langauge: en\ntheme: \"../x\"\npagination: {page_size: 0}\n"
		 "notice: {period_days: 400}\n");
	NB_CHECK(s.rc == -1);
	NB_CHECK(s.d.errors == 4);
	done(&s);
}

NB_TEST_MAIN("config",
	     NB_CASE(test_missing_file),
	     NB_CASE(test_not_yaml),
	     NB_CASE(test_readme_defaults),
	     NB_CASE(test_every_setting_read),
	     NB_CASE(test_site_dir_trailing_slash),
	     NB_CASE(test_base_url_forms),
	     NB_CASE(test_base_url_neither_address_nor_path),
	     NB_CASE(test_base_url_not_text),
	     NB_CASE(test_language),
	     NB_CASE(test_language_of),
	     NB_CASE(test_misspelt_key),
	     NB_CASE(test_unknown_top_key_warns),
	     NB_CASE(test_unknown_key_in_section_has_a_fix),
	     NB_CASE(test_text_settings_not_text),
	     NB_CASE(test_theme_not_a_plain_name),
	     NB_CASE(test_numbers),
	     NB_CASE(test_notice_period_bounds),
	     NB_CASE(test_booleans),
	     NB_CASE(test_audit_mirror_url),
	     NB_CASE(test_audit_branch_git_refuses),
	     NB_CASE(test_audit_mirrors_not_a_list_of_text),
	     NB_CASE(test_audit_repository_place), NB_CASE(test_signing_key_place),
	     NB_CASE(test_alternates),
	     NB_CASE(test_sections_not_mappings),
	     NB_CASE(test_settings_sections_not_ignored),
	     NB_CASE(test_params_and_contact_types),
	     NB_CASE(test_every_error_reported))

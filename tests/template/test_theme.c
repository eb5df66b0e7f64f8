/*
 * test_theme.c - resolving and loading a theme (theme.h).
 *
 * The built-in default theme must load whole; a site's themes/<name>/
 * must replace the files it has and nothing else; a theme that does not
 * exist, a broken template, two templates claiming one name, a missing
 * required layout must each be an error naming the file; the static
 * files must come out once per output path, the site's static/ winning;
 * and nothing may be read through a symbolic link leaving the site.
 */
#include "harness.h"

#include <unistd.h>

#include "diag_find.h"
#include "config/config.h"
#include "template/theme.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"

#define SITE_YAML "title: \"T\"\nlanguage: en\nbase_url: \"/\"\n"

typedef struct site {
	char dir[64];
	char outside[64];   /* a folder beside the site, for links out of it */
	nb_config cfg;
	nb_theme t;
	nb_diag d;
	int loaded;
} site;

static void put(const char *dir, const char *rel, const char *text)
{
	char *p = nb_path_join(dir, rel);
	if (nb_fs_write(p, text, strlen(text)) != 0)
		abort();
	free(p);
}

static void link_to(const site *s, const char *target, const char *rel)
{
	char *p = nb_path_join(s->dir, rel);
	char *parent = strdup(p);
	*strrchr(parent, '/') = '\0';
	if (nb_fs_mkdirs(parent) != 0 || symlink(target, p) != 0)
		abort();
	free(parent);
	free(p);
}

static void site_new(site *s, const char *site_yaml)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->dir, "/tmp/nb-theme-XXXXXX");
	strcpy(s->outside, "/tmp/nb-theme-out-XXXXXX");
	if (!mkdtemp(s->dir) || !mkdtemp(s->outside))
		abort();
	put(s->dir, "site.yaml", site_yaml ? site_yaml : SITE_YAML);
	nb_diag_init(&s->d);
}

static int site_load(site *s)
{
	if (nb_config_load(&s->cfg, s->dir, &s->d) != 0)
		abort();
	s->loaded = 1;
	return nb_theme_load(&s->t, &s->cfg, &s->d);
}

static void site_free(site *s)
{
	if (s->loaded) {
		nb_theme_free(&s->t);
		nb_config_free(&s->cfg);
	}
	nb_diag_free(&s->d);
	nb_fs_rmtree(s->dir);
	nb_fs_rmtree(s->outside);
}

static const nb_theme_file *static_at(const nb_theme *t, const char *dest)
{
	for (size_t i = 0; i < t->n_statics; i++)
		if (!strcmp(t->statics[i].dest, dest))
			return &t->statics[i];
	return NULL;
}

/* Template `name` rendered against `json`, or NULL when it failed. */
static char *render(const site *s, const char *name, const char *json, nb_diag *d)
{
	json_t *data = json_loads(json, 0, NULL);
	nb_buf out = NB_BUF_INIT;
	int rc = nb_mustache_render(s->t.templates, name, data, &out, d);
	json_decref(data);
	if (rc != 0) {
		nb_buf_free(&out);
		return NULL;
	}
	return nb_buf_detach(&out);
}

/* Statics sorted by dest, each dest once: one file per output path. */
static int statics_sorted_once(const nb_theme *t)
{
	for (size_t i = 1; i < t->n_statics; i++)
		if (strcmp(t->statics[i - 1].dest, t->statics[i].dest) >= 0)
			return 0;
	return 1;
}

NB_TEST(the_built_in_theme_loads_whole)
{
	site s;
	site_new(&s, NULL);
	NB_CHECK(site_load(&s) == 0);
	NB_CHECK(s.d.len == 0);
	NB_CHECK_STR(s.t.label, "themes/default (built in)");
	static const char *const layouts[] = { "base", "home", "list", "page", "404", "meeting",
					       "decision", "charter", "evaluation" };
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		NB_CHECK(nb_theme_has_layout(&s.t, layouts[i]));
	NB_CHECK(!nb_theme_has_layout(&s.t, "footer"));  /* a partial */
	NB_CHECK(nb_mustache_has(s.t.templates, "footer"));
	NB_CHECK_STR(json_string_value(json_object_get(s.t.strings, "colon")), ": ");
	const nb_theme_file *f = static_at(&s.t, "css/style.css");
	NB_CHECK(f && !f->disk_path && f->data && f->len > 0);
	NB_CHECK_STR(f ? f->origin : NULL, "themes/default/static/css/style.css");
	NB_CHECK(static_at(&s.t, "favicon.svg") != NULL);
	NB_CHECK(statics_sorted_once(&s.t));
	/* Each layout once. */
	for (size_t i = 0; i < json_array_size(s.t.layouts); i++)
		for (size_t k = 0; k < i; k++)
			NB_CHECK(strcmp(json_string_value(json_array_get(s.t.layouts, k)),
					json_string_value(json_array_get(s.t.layouts, i))));
	site_free(&s);
}

NB_TEST(the_strings_follow_the_language)
{
	site s;
	site_new(&s, "title: \"T\"\nlanguage: zh-CN\nbase_url: \"/\"\n");
	NB_CHECK(site_load(&s) == 0);
	NB_CHECK_STR(json_string_value(json_object_get(s.t.strings, "colon")), "：");
	site_free(&s);
}

/* themes/default/ in the site replaces the built-in files it has, one by
 * one; the rest stay built in. */
NB_TEST(a_site_theme_folder_overrides_single_files)
{
	site s;
	site_new(&s, NULL);
	put(s.dir, "themes/default/layouts/page.mustache", "PAGE {{title}}");
	put(s.dir, "themes/default/partials/footer.mustache", "FOOT");
	put(s.dir, "themes/default/layouts/probe.mustache", "[{{> footer}}|{{> header}}]");
	NB_CHECK(site_load(&s) == 0);
	NB_CHECK(s.d.errors == 0);
	NB_CHECK_STR(s.t.label, "themes/default");
	char *out = render(&s, "page", "{\"title\":\"x\"}", &s.d);
	NB_CHECK_STR(out, "PAGE x");
	free(out);
	out = render(&s, "probe", "{}", &s.d);
	NB_CHECK(out && !strncmp(out, "[FOOT|", 6) && strlen(out) > 8);
	free(out);
	NB_CHECK(nb_theme_has_layout(&s.t, "probe"));
	NB_CHECK(nb_theme_has_layout(&s.t, "home"));
	NB_CHECK(static_at(&s.t, "css/style.css") != NULL);
	NB_CHECK_STR(json_string_value(json_object_get(s.t.strings, "colon")), ": ");
	site_free(&s);
}

NB_TEST(broken_and_clashing_templates_name_their_file)
{
	site s;
	site_new(&s, NULL);
	put(s.dir, "themes/default/layouts/page.mustache", "ok\n{{#items}}\nnever closed\n");
	put(s.dir, "themes/default/partials/home.mustache", "a partial named like a layout");
	NB_CHECK(site_load(&s) == -1);
	const nb_diag_entry *e = NULL;
	for (size_t i = 0; i < s.d.len && !e; i++)
		if (!strcmp(s.d.items[i].file, "themes/default/layouts/page.mustache"))
			e = &s.d.items[i];
	NB_CHECK(e && e->sev == NB_SEV_ERROR && e->line == 2);
	e = diag_find(&s.d, "theme-name-clash", "themes/default/partials/home.mustache");
	NB_CHECK_CONTAINS(e ? e->msg : NULL, "themes/default/layouts/home.mustache");
	site_free(&s);
}

NB_TEST(an_unknown_theme_is_an_error_at_its_line)
{
	site s;
	site_new(&s, SITE_YAML "theme: \"nope\"\n");
	NB_CHECK(site_load(&s) == -1);
	NB_CHECK(s.d.errors == 1);
	const nb_diag_entry *e = diag_find(&s.d, "theme-unknown", "site.yaml");
	NB_CHECK(e && e->line == 4 && e->col == 8);
	NB_CHECK_CONTAINS(e ? e->msg : NULL, "`nope`");
	site_free(&s);
}

/* A theme of the site's own is not laid over the default: what it lacks
 * is missing, and said so. */
NB_TEST(an_own_theme_must_have_every_required_layout)
{
	site s;
	site_new(&s, SITE_YAML "theme: \"mine\"\n");
	put(s.dir, "themes/mine/layouts/page.mustache", "P");
	put(s.dir, "themes/mine/layouts/base.mustache", "B");
	NB_CHECK(site_load(&s) == -1);
	NB_CHECK(s.d.errors == 3);
	NB_CHECK(diag_count(&s.d, "theme-layout-missing") == 3);
	int home = 0, list = 0, nf = 0;
	for (size_t i = 0; i < s.d.len; i++) {
		NB_CHECK_STR(s.d.items[i].file, "themes/mine");
		home += strstr(s.d.items[i].msg, "layouts/home.mustache") != NULL;
		list += strstr(s.d.items[i].msg, "layouts/list.mustache") != NULL;
		nf += strstr(s.d.items[i].msg, "layouts/404.mustache") != NULL;
	}
	NB_CHECK(home == 1 && list == 1 && nf == 1);
	NB_CHECK(static_at(&s.t, "css/style.css") == NULL);
	site_free(&s);
}

/* A site that changes one interface string (or one label of a group)
 * keeps every other: the built-in strings are the floor, so a copy made
 * before an upgrade added a string does not print it as nothing. */
NB_TEST(a_site_strings_file_changes_only_its_strings)
{
	site s;
	site_new(&s, NULL);
	put(s.dir, "themes/default/i18n/en.yaml",
	    "home: \"Front page\"\nresults:\n  adopted: \"Passed\"\nmine: \"Own\"\n");
	NB_CHECK(site_load(&s) == 0);
	NB_CHECK(s.d.len == 0);
	const json_t *st = s.t.strings;
	NB_CHECK_STR(json_string_value(json_object_get(st, "home")), "Front page");
	NB_CHECK_STR(json_string_value(json_object_get(st, "mine")), "Own");
	NB_CHECK_STR(json_string_value(json_object_get(st, "colon")), ": ");
	NB_CHECK_STR(json_string_value(json_object_get(st, "date_format")), "{d} {month} {y}");
	NB_CHECK(json_array_size(json_object_get(st, "months")) == 12);
	const json_t *r = json_object_get(st, "results");
	NB_CHECK_STR(json_string_value(json_object_get(r, "adopted")), "Passed");
	NB_CHECK_STR(json_string_value(json_object_get(r, "rejected")), "Rejected");
	site_free(&s);

	/* A theme of the site's own has no built-in floor. */
	site_new(&s, SITE_YAML "theme: \"mine\"\n");
	put(s.dir, "themes/mine/i18n/en.yaml", "home: \"H\"\n");
	site_load(&s);
	NB_CHECK(json_object_size(s.t.strings) == 1);
	site_free(&s);
}

NB_TEST(broken_interface_strings_name_their_file)
{
	site s;
	site_new(&s, NULL);
	put(s.dir, "themes/default/i18n/en.yaml", "colon: \": \"\nmore: [\n");
	NB_CHECK(site_load(&s) == -1);
	int in_file = 0;
	for (size_t i = 0; i < s.d.len; i++)
		in_file += !strcmp(s.d.items[i].file, "themes/default/i18n/en.yaml") &&
			   s.d.items[i].sev == NB_SEV_ERROR;
	NB_CHECK(in_file == 1);
	site_free(&s);
}

/* One file per output path: the site's static/ over the theme's static/,
 * the theme folder's over the built-in. */
NB_TEST(static_files_of_the_site_replace_the_theme_s)
{
	site s;
	site_new(&s, NULL);
	put(s.dir, "themes/default/static/css/extra.css", "b{}");
	put(s.dir, "themes/default/static/css/style.css", "theme{}");
	put(s.dir, "static/css/style.css", "site{}");
	put(s.dir, "static/robots.txt", "User-agent: *\n");
	put(s.dir, "static/js/site.js", "/* mine */");
	NB_CHECK(site_load(&s) == 0);
	NB_CHECK(s.d.len == 0);
	size_t n = s.t.n_statics;
	nb_theme_free(&s.t);
	nb_config_free(&s.cfg);
	/* A name that is not UTF-8 would be served but left out of the
	 * audit manifest: an error, and not published. */
	put(s.dir, "static/logo\xb1\xea.png", "png");
	NB_CHECK(site_load(&s) == -1);
	NB_CHECK(diag_find(&s.d, "file-name-encoding", "static/logo\xb1\xea.png") != NULL);
	NB_CHECK(s.t.n_statics == n);
	NB_CHECK(statics_sorted_once(&s.t));
	char *want = nb_path_join(s.dir, "static/css/style.css");
	const nb_theme_file *f = static_at(&s.t, "css/style.css");
	NB_CHECK_STR(f ? f->origin : NULL, "static/css/style.css");
	NB_CHECK_STR(f ? f->disk_path : NULL, want);
	free(want);
	want = nb_path_join(s.dir, "themes/default/static/css/extra.css");
	f = static_at(&s.t, "css/extra.css");
	NB_CHECK_STR(f ? f->origin : NULL, "themes/default/static/css/extra.css");
	NB_CHECK_STR(f ? f->disk_path : NULL, want);
	free(want);
	f = static_at(&s.t, "js/site.js");
	NB_CHECK_STR(f ? f->origin : NULL, "static/js/site.js");
	f = static_at(&s.t, "robots.txt");
	NB_CHECK_STR(f ? f->origin : NULL, "static/robots.txt");
	f = static_at(&s.t, "favicon.svg");
	NB_CHECK(f && !f->disk_path);
	site_free(&s);
}

NB_TEST(links_leaving_the_site_are_refused)
{
	site s;
	site_new(&s, NULL);
	put(s.outside, "layouts/page.mustache", "STOLEN");
	put(s.outside, "secret.txt", "secret");
	link_to(&s, s.outside, "themes/default");
	char *secret = nb_path_join(s.outside, "secret.txt");
	link_to(&s, secret, "static/passwd.txt");
	put(s.dir, "static/ok.txt", "ok");
	NB_CHECK(site_load(&s) == -1);
	NB_CHECK(diag_find(&s.d, "symlink-escape", "themes/default") != NULL);
	NB_CHECK(diag_find(&s.d, "symlink-escape", "static/passwd.txt") != NULL);
	NB_CHECK(static_at(&s.t, "passwd.txt") == NULL);
	NB_CHECK(static_at(&s.t, "ok.txt") != NULL);
	char *out = render(&s, "page", "{}", &s.d);
	NB_CHECK(!out || !strstr(out, "STOLEN"));
	free(out);
	free(secret);
	site_free(&s);

	site_new(&s, NULL);
	link_to(&s, s.outside, "static");
	put(s.dir, "themes/default/layouts/page.mustache", "x");
	char *file = nb_path_join(s.outside, "layouts/page.mustache");
	put(s.outside, "layouts/page.mustache", "STOLEN");
	link_to(&s, file, "themes/default/layouts/home.mustache");
	NB_CHECK(site_load(&s) == -1);
	NB_CHECK(diag_find(&s.d, "symlink-escape", "static") != NULL);
	NB_CHECK(diag_find(&s.d, "symlink-escape", "themes/default/layouts/home.mustache") != NULL);
	out = render(&s, "home", "{}", &s.d);
	NB_CHECK(!out || !strstr(out, "STOLEN"));
	free(out);
	free(file);
	site_free(&s);
}

/* The spec renders a partial the set lacks as nothing; a misspelt name
 * would leave a piece (the vote bar) out of every page, unseen. */
NB_TEST(a_partial_that_does_not_exist_is_named)
{
	site s;
	site_new(&s, NULL);
	put(s.dir, "themes/default/layouts/probe.mustache",
	    "<p>\n{{#votes}}\n  {{> votebra}}\n{{/votes}}\n{{> nothing_like_it}}\n"
	    "{{> votebar}}{{>*dyn}}\n");
	NB_CHECK(site_load(&s) == 0);
	NB_CHECK(s.d.errors == 0);
	NB_CHECK(diag_count(&s.d, "template-partial-missing") == 2);
	const nb_diag_entry *e = NULL, *e2 = NULL;
	for (size_t i = 0; i < s.d.len; i++) {
		if (strcmp(s.d.items[i].code, "template-partial-missing"))
			continue;
		if (!e)
			e = &s.d.items[i];
		else
			e2 = &s.d.items[i];
	}
	NB_CHECK_STR(e ? e->file : NULL, "themes/default/layouts/probe.mustache");
	NB_CHECK(e && e->line == 3 && e->col == 3);
	NB_CHECK_CONTAINS(e ? e->msg : NULL, "`votebra`");
	NB_CHECK_CONTAINS(e ? e->hint : NULL, "`votebar`");
	NB_CHECK(e2 && e2->line == 5);
	NB_CHECK_CONTAINS(e2 ? e2->msg : NULL, "`nothing_like_it`");
	NB_CHECK_CONTAINS(e2 ? e2->hint : NULL, "partials/nothing_like_it.mustache");
	site_free(&s);
}

NB_TEST_MAIN("theme",
	     NB_CASE(the_built_in_theme_loads_whole),
	     NB_CASE(the_strings_follow_the_language),
	     NB_CASE(a_site_theme_folder_overrides_single_files),
	     NB_CASE(broken_and_clashing_templates_name_their_file),
	     NB_CASE(a_partial_that_does_not_exist_is_named),
	     NB_CASE(an_unknown_theme_is_an_error_at_its_line),
	     NB_CASE(an_own_theme_must_have_every_required_layout),
	     NB_CASE(a_site_strings_file_changes_only_its_strings),
	     NB_CASE(broken_interface_strings_name_their_file),
	     NB_CASE(static_files_of_the_site_replace_the_theme_s),
	     NB_CASE(links_leaving_the_site_are_refused))

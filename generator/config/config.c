/*
 * config.c - reading and checking site.yaml; see config.h.
 */
#include "config/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "output/cache.h"
#include "util/fs.h"
#include "util/suggest.h"

static const char *const known_keys[] = {
	"title", "description", "language", "base_url", "theme", "output",
	"params", "markdown", "limits", "audit", "alternates", "assets", "notice", "pagination", "contact",
};
static const char *const notice_keys[] = {
	"committee", "period_days", "objections",
};
static const char *const limit_keys[] = {
	"file_size", "yaml_depth", "yaml_aliases", "yaml_nodes", "yaml_scalar",
	"template_depth", "table_cells",
};
static const char *const audit_keys[] = {
	"repository", "branch", "signing_key", "allowed_signers", "mirrors", "serve", "mirror",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

typedef struct ctx {
	const char *file;
	const json_t *pos;
	nb_diag *d;
} ctx;

static void at(const ctx *x, const char *path, int key, int *line, int *col)
{
	nb_yaml_pos(x->pos, path, key, line, col);
}

static void check_keys(const ctx *x, const json_t *obj, const char *prefix,
		       const char *const *keys, size_t n)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		int known = 0;
		for (size_t i = 0; i < n; i++)
			known |= !strcmp(k, keys[i]);
		if (known)
			continue;
		const char *s = nb_suggest(k, keys, n);
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", prefix, k);
		int line, col;
		at(x, path, 1, &line, &col);
		if (s) {
			char hint[128];
			snprintf(hint, sizeof(hint), "rename it to `%s`", s);
			nb_error(x->d, x->file, line, col, "config-unknown-key", hint,
				 "unknown setting `%s`: did you mean `%s`?", k, s);
		} else if (prefix[0] == '\0') {
			nb_warning(x->d, x->file, line, col, "config-unknown-key",
				   "values for templates belong under `params:`",
				   "unknown setting `%s` is ignored", k);
		} else {
			nb_buf hint = NB_BUF_INIT;
			nb_buf_printf(&hint, "remove it; `%s` takes ", prefix + 1);
			for (size_t i = 0; i < n; i++)
				nb_buf_printf(&hint, "%s`%s`", i ? ", " : "", keys[i]);
			nb_error(x->d, x->file, line, col, "config-unknown-key", nb_buf_cstr(&hint),
				 "unknown setting `%s` in `%s`", k, prefix + 1);
			nb_buf_free(&hint);
		}
	}
}

static char *get_str(const ctx *x, const json_t *obj, const char *key,
		     const char *prefix, const char *def)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return def ? xstrdup(def) : NULL;
	if (!json_is_string(v)) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", prefix, key);
		int line, col;
		at(x, path, 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-type",
			 "write it as text, in quotes if it looks like a number",
			 "`%s` must be text", key);
		return def ? xstrdup(def) : NULL;
	}
	return xstrdup(json_string_value(v));
}

static long long get_int(const ctx *x, const json_t *obj, const char *key,
			 const char *prefix, long long def, long long min)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return def;
	if (!json_is_integer(v) || json_integer_value(v) < min) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", prefix, key);
		int line, col;
		at(x, path, 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-type",
			 "write a plain number without quotes or units, or remove the line for the default",
			 "`%s` must be a whole number of at least %lld", key, min);
		return def;
	}
	return json_integer_value(v);
}

/* An http(s) address. */
static int is_http_url(const char *u)
{
	return !strncmp(u, "https://", 8) || !strncmp(u, "http://", 7);
}

/* Where a build is served: an http(s) address or a path from the server's
 * root. Anything else (example.org/shequ/) makes every link to it
 * relative to the page it is on: broken everywhere but one page. */
static int is_site_url(const char *u)
{
	return u[0] == '/' || is_http_url(u);
}

/*
 * Whether publish serves the audit repository at /audit.git/ (served.h):
 * `serve` (default true) turns the copy off; `mirror`, the URL of a copy
 * kept elsewhere, replaces it, so /history/ sends auditors there. Only an
 * http(s) URL: the history page tells residents to `git clone` it.
 */
static void served_copy(const ctx *x, nb_config *c, const json_t *audit)
{
	json_t *v = json_object_get(audit, "serve");
	if (v && !json_is_boolean(v)) {
		int line, col;
		at(x, "/audit/serve", 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-type", "write true or false",
			 "`audit.serve` must be true or false");
	}
	c->audit_serve = !v || !json_is_false(v);
	c->audit_mirror = get_str(x, audit, "mirror", "/audit", NULL);
	const char *u = c->audit_mirror;
	if (u && (!is_http_url(u) || strpbrk(u, " \t\r\n\"<>"))) {
		int line, col;
		at(x, "/audit/mirror", 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-type",
			 "write the full address git clones from, e.g. "
			 "`mirror: https://example.org/audit.git`, or remove the line",
			 "`audit.mirror` must be an http:// or https:// URL");
		free(c->audit_mirror);
		c->audit_mirror = NULL;
	}
}

/*
 * The audit repository is the record auditors trust, so it may not share
 * a folder with anything the build reads or replaces: inside content/ or
 * static/ it would be published (and its own history hashed into the
 * next publication), inside the output folder, its previous generation
 * or the cache it would be deleted or overwritten by a build. Nor may
 * one of those lie inside it.
 */
static void check_audit_place(const ctx *x, const nb_config *c, const json_t *audit)
{
	static const char *const what[] = {
		"content/, the documents", "static/, the files published as they are",
		"the output folder", "the output folder's previous generation",
		"the build cache " NB_CACHE_DIR "/",
	};
	char *places[5];
	places[0] = nb_path_join(c->site_dir, "content");
	places[1] = nb_path_join(c->site_dir, "static");
	places[2] = xstrdup(c->output_path);
	places[3] = malloc(strlen(c->output_path) + sizeof(NB_CACHE_PREVIOUS));
	if (!places[3])
		abort();
	sprintf(places[3], "%s" NB_CACHE_PREVIOUS, c->output_path);
	places[4] = nb_path_join(c->site_dir, NB_CACHE_DIR);
	char *repo = nb_fs_resolve(c->audit_repo);
	int given = audit && json_object_get(audit, "repository");
	for (size_t i = 0; i < COUNT(places); i++) {
		char *p = nb_fs_resolve(places[i]);
		int clash = nb_path_below(repo, p) || nb_path_below(p, repo);
		free(p);
		if (!clash)
			continue;
		int line, col;
		at(x, given ? "/audit/repository" : "/output", 0, &line, &col);
		nb_error(x->d, x->file, line, col, "audit-repo-place",
			 "set audit.repository in site.yaml to a folder of its own beside the "
			 "site's folders, e.g. `audit.git`",
			 "the audit repository %s and %s (%s) overlap", c->audit_repo,
			 what[i], places[i]);
		break;
	}
	free(repo);
	for (size_t i = 0; i < COUNT(places); i++)
		free(places[i]);
}

/*
 * The signing key is the one secret a site has: inside content/, static/
 * or themes/ it is copied to the served site and recorded, in the clear,
 * in every publication from then on (a history that is never rewritten,
 * served at /audit.git/ and pushed to mirrors); inside the output folder
 * or its previous generation a build deletes it.
 */
static void check_key_place(const ctx *x, const nb_config *c)
{
	static const char *const what[] = {
		"content/, the documents", "static/, the files published as they are",
		"themes/, whose files are published and recorded", "the output folder",
		"the output folder's previous generation",
	};
	char *places[5];
	places[0] = nb_path_join(c->site_dir, "content");
	places[1] = nb_path_join(c->site_dir, "static");
	places[2] = nb_path_join(c->site_dir, "themes");
	places[3] = xstrdup(c->output_path);
	places[4] = malloc(strlen(c->output_path) + sizeof(NB_CACHE_PREVIOUS));
	if (!places[4])
		abort();
	sprintf(places[4], "%s" NB_CACHE_PREVIOUS, c->output_path);
	char *key = nb_fs_resolve(c->audit_signing_key);
	for (size_t i = 0; i < COUNT(places); i++) {
		char *p = nb_fs_resolve(places[i]);
		int inside = nb_path_below(key, p);
		free(p);
		if (!inside)
			continue;
		nb_error(x->d, x->file, c->audit_signing_key_line, c->audit_signing_key_col,
			 "audit-key-place",
			 "move the key out of the site's published folders (for example to "
			 "~/.ssh/) and set audit.signing_key to where it is now",
			 "the signing key %s is inside %s (%s): it would be published with the "
			 "site and kept in the record of every publication", c->audit_signing_key,
			 what[i], places[i]);
		break;
	}
	free(key);
	for (size_t i = 0; i < COUNT(places); i++)
		free(places[i]);
}

/* A setting that must be a mapping is something else. */
static void not_a_mapping(const ctx *x, const char *key, const char *hint, const char *what)
{
	char path[64];
	snprintf(path, sizeof(path), "/%s", key);
	int line, col;
	at(x, path, 0, &line, &col);
	nb_error(x->d, x->file, line, col, "config-type", hint, "`%s` must be %s", key, what);
}

/* Sections read only when they are mappings: one written as a single
 * value (`notice: 7`, `audit: records.git`) would otherwise be dropped
 * and the site built without what it meant. */
static void check_sections(const ctx *x, const json_t *raw)
{
	static const char *const sections[][2] = {
		{ "markdown", "unsafe_html: false" }, { "assets", "allow_active_content: false" },
		{ "limits", "file_size: 16777216" }, { "audit", "repository: audit.git" },
		{ "notice", "period_days: 7" },
	};
	for (size_t i = 0; i < COUNT(sections); i++) {
		const json_t *v = json_object_get(raw, sections[i][0]);
		if (!v || json_is_null(v) || json_is_object(v))
			continue;
		char hint[128];
		snprintf(hint, sizeof(hint), "indent its settings under `%s:`, e.g. `%s`",
			 sections[i][0], sections[i][1]);
		not_a_mapping(x, sections[i][0], hint, "a mapping of settings");
	}
}

static void set_defaults(nb_config *c)
{
	c->yaml_limits.max_depth = 64;
	c->yaml_limits.max_aliases = 1000;
	c->yaml_limits.max_nodes = 1000000;
	c->yaml_limits.max_scalar = 1 << 20;
	c->max_file_size = 16u << 20;
	c->template_depth = 64;
	c->max_table_cells = 20000;
}

/* What the site is: title, language, addresses, theme, output folder. */
static void read_identity(const ctx *x, nb_config *c)
{
	c->title = get_str(x, c->raw, "title", "", "noticeboard");
	c->description = get_str(x, c->raw, "description", "", "");
	c->language = get_str(x, c->raw, "language", "", "zh-CN");
	/* From here on the diagnostics of this run speak the site's language
	 * (errors found before, in a site.yaml that did not parse, zh-CN). */
	nb_diag_set_language(x->d, c->language);
	if (strcmp(c->language, "zh-CN") && strcmp(c->language, "en")) {
		int line, col;
		at(x, "/language", 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-language",
			 "use `zh-CN` (Chinese, the default) or `en` (English)",
			 "unsupported language `%s`", c->language);
	}
	char *base = get_str(x, c->raw, "base_url", "", "/");
	if (base[0] && !is_site_url(base)) {
		int line, col;
		at(x, "/base_url", 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-base-url",
			 "write the full address, e.g. `base_url: https://example.org/shequ/`, "
			 "or the path from the server's root, e.g. `/shequ/`",
			 "`base_url` must begin with https://, http:// or /");
	}
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, base);
	if (b.len == 0 || b.ptr[b.len - 1] != '/')
		nb_buf_putc(&b, '/');
	c->base_url = nb_buf_detach(&b);
	free(base);
	/* The path of an absolute URL is what root-relative links need. */
	const char *p = c->base_url;
	const char *scheme = strstr(p, "://");
	if (scheme) {
		const char *slash = strchr(scheme + 3, '/');
		p = slash ? slash : "/";
	}
	c->base_path = xstrdup(p[0] == '/' ? p : "/");
	c->theme = get_str(x, c->raw, "theme", "", "default");
	at(x, "/theme", 0, &c->theme_line, &c->theme_col);
	if (strchr(c->theme, '/') || c->theme[0] == '.' || !c->theme[0]) {
		int line, col;
		at(x, "/theme", 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-theme",
			 "give the name of a folder under themes/", 
			 "theme `%s` is not a plain name", c->theme);
	}
	c->output = get_str(x, c->raw, "output", "", "public");
	c->output_path = c->output[0] == '/' ? xstrdup(c->output)
					     : nb_path_join(c->site_dir, c->output);
}

/* `params`: free values for the theme. */
static void read_params(const ctx *x, nb_config *c)
{
	json_t *params = json_object_get(c->raw, "params");
	if (params && json_is_object(params)) {
		json_decref(c->params);
		c->params = json_incref(params);
	} else if (params && !json_is_null(params)) {
		int line, col;
		at(x, "/params", 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-type",
			 "indent its values under `params:`, one `name: value` a line",
			 "`params` must be a mapping of names to values");
	}
}

/* Other-language builds of the same site: language -> base URL. */
static void read_alternates(const ctx *x, nb_config *c)
{
	json_t *alt = json_object_get(c->raw, "alternates");
	if (alt && json_is_object(alt)) {
		const char *lang;
		json_t *url;
		json_object_foreach(alt, lang, url) {
			char where[128];
			snprintf(where, sizeof(where), "/alternates/%s", lang);
			int line, col;
			at(x, where, 0, &line, &col);
			if (strcmp(lang, "zh-CN") && strcmp(lang, "en")) {
				nb_error(x->d, x->file, line, col, "config-language",
					 "use `zh-CN` or `en` as the key, e.g. `alternates: {en: /en/}`",
					 "unsupported language `%s` in `alternates`", lang);
			} else if (!json_is_string(url) || !is_site_url(json_string_value(url))) {
				nb_error(x->d, x->file, line, col, "config-type",
					 "give the URL of that language's build, e.g. `en: /en/`",
					 "`alternates.%s` must be a URL", lang);
			} else {
				json_t *a = json_object();
				json_object_set_new(a, "lang", json_string(lang));
				json_object_set(a, "url", url);
				json_object_set_new(a, "label", json_string(strcmp(lang, "en") ? "中文" : "English"));
				json_array_append_new(c->alternates, a);
			}
		}
	} else if (alt && !json_is_null(alt)) {
		not_a_mapping(x, "alternates", "write it as a mapping, e.g. `alternates: {en: /en/}`",
			      "a mapping of languages to URLs");
	}
}

/* How documents are read and lists cut: markdown, assets, limits, pagination. */
static void read_build_settings(const ctx *x, nb_config *c)
{
	json_t *md = json_object_get(c->raw, "markdown");
	if (md && json_is_object(md)) {
		static const char *const mk[] = { "unsafe_html" };
		check_keys(x, md, "/markdown", mk, 1);
		json_t *u = json_object_get(md, "unsafe_html");
		if (u && !json_is_boolean(u)) {
			int line, col;
			at(x, "/markdown/unsafe_html", 0, &line, &col);
			nb_error(x->d, x->file, line, col, "config-type", "write true or false",
				 "`unsafe_html` must be true or false");
		}
		c->unsafe_html = u && json_is_true(u);
	}

	json_t *assets = json_object_get(c->raw, "assets");
	if (assets && json_is_object(assets)) {
		static const char *const ak[] = { "allow_active_content" };
		check_keys(x, assets, "/assets", ak, 1);
		json_t *a = json_object_get(assets, "allow_active_content");
		if (a && !json_is_boolean(a)) {
			int line, col;
			at(x, "/assets/allow_active_content", 0, &line, &col);
			nb_error(x->d, x->file, line, col, "config-type", "write true or false",
				 "`allow_active_content` must be true or false");
		}
		c->allow_active_content = a && json_is_true(a);
	}

	json_t *lim = json_object_get(c->raw, "limits");
	if (lim && json_is_object(lim)) {
		check_keys(x, lim, "/limits", limit_keys, COUNT(limit_keys));
		c->max_file_size = (size_t)get_int(x, lim, "file_size", "/limits",
						   (long long)c->max_file_size, 1);
		c->yaml_limits.max_depth = (int)get_int(x, lim, "yaml_depth", "/limits",
							c->yaml_limits.max_depth, 1);
		c->yaml_limits.max_aliases = (size_t)get_int(x, lim, "yaml_aliases", "/limits",
							     (long long)c->yaml_limits.max_aliases, 0);
		c->yaml_limits.max_nodes = (size_t)get_int(x, lim, "yaml_nodes", "/limits",
							   (long long)c->yaml_limits.max_nodes, 1);
		c->yaml_limits.max_scalar = (size_t)get_int(x, lim, "yaml_scalar", "/limits",
							    (long long)c->yaml_limits.max_scalar, 1);
		c->template_depth = (int)get_int(x, lim, "template_depth", "/limits",
						 c->template_depth, 1);
		c->max_table_cells = (size_t)get_int(x, lim, "table_cells", "/limits",
						     (long long)c->max_table_cells, 1);
	}

	/* Lists are split so that no page grows with the archive. */
	c->page_size = 20;
	json_t *pag = json_object_get(c->raw, "pagination");
	if (pag && json_is_object(pag)) {
		static const char *const pk[] = { "page_size" };
		check_keys(x, pag, "/pagination", pk, 1);
		c->page_size = (size_t)get_int(x, pag, "page_size", "/pagination", 20, 1);
	} else if (pag && !json_is_null(pag)) {
		not_a_mapping(x, "pagination", "write it as a mapping, e.g. `pagination: {page_size: 20}`",
			      "a mapping");
	}
}

/* The committee's contact, in every page's footer. */
static void read_contact(const ctx *x, nb_config *c)
{
	/* The committee's contact, in every page's footer (and so on every
	 * printout): residents reading a notice need to know whom to ask. */
	json_t *contact = json_object_get(c->raw, "contact");
	c->contact = json_object();
	if (contact && json_is_object(contact)) {
		static const char *const ck[] = { "phone", "address", "hours" };
		check_keys(x, contact, "/contact", ck, COUNT(ck));
		for (size_t i = 0; i < COUNT(ck); i++) {
			char *v = get_str(x, contact, ck[i], "/contact", NULL);
			if (v && *v)
				json_object_set_new(c->contact, ck[i], json_string(v));
			free(v);
		}
	} else if (contact && !json_is_null(contact)) {
		not_a_mapping(x, "contact", "write it as a mapping with `phone:`, `address:` and "
			      "`hours:` lines indented under `contact:`",
			      "a mapping of phone, address and hours");
	}
}

/* audit.mirrors: where `push` copies the publications. A mirror dropped
 * here would be a copy auditors count on that push never makes, while
 * reporting success, so anything but a list of text is an error. */
static void read_mirrors(const ctx *x, nb_config *c, json_t *m)
{
	int line, col;
	if (m && !json_is_null(m) && !json_is_array(m)) {
		at(x, "/audit/mirrors", 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-type",
			 "write one per line under `mirrors:`, each after `- `, "
			 "e.g. `mirrors: [/mnt/backup/audit.git]`",
			 "`audit.mirrors` must be a list of paths or URLs");
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(m, i, v) {
		if (json_is_string(v) && json_string_length(v))
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/audit/mirrors/%zu", i);
		at(x, path, 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-type",
			 "write the path or ssh URL of a git repository, e.g. "
			 "`- git@example.org:hl/audit.git`",
			 "each of `audit.mirrors` must be a path or URL");
	}
	if (json_is_array(m)) {
		json_decref(c->audit_mirrors);
		c->audit_mirrors = json_incref(m);
	}
}

/* A branch name as git accepts it after refs/heads/ (git check-ref-format):
 * publish would otherwise stop at its first step, after check and build
 * had passed, with no line of site.yaml to look at. */
static int valid_branch(const char *b)
{
	size_t n = strlen(b);
	if (n == 0 || b[0] == '/' || b[n - 1] == '/' || b[n - 1] == '.' ||
	    strstr(b, "..") || strstr(b, "//") || strstr(b, "@{"))
		return 0;
	for (const char *p = b; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || strchr(" ~^:?*[\\", *p))
			return 0;
	for (const char *c = b; c; c = strchr(c, '/')) {
		c += *c == '/';
		size_t cl = strcspn(c, "/");
		if (c[0] == '.' || (cl >= 5 && !memcmp(c + cl - 5, ".lock", 5)))
			return 0;
	}
	return 1;
}

/* Where publications are recorded and how they are signed. */
static void read_audit(const ctx *x, nb_config *c)
{
	json_t *audit = json_object_get(c->raw, "audit");
	if (audit && !json_is_object(audit))
		audit = NULL;
	if (audit)
		check_keys(x, audit, "/audit", audit_keys, COUNT(audit_keys));
	char *repo = audit ? get_str(x, audit, "repository", "/audit", NULL) : NULL;
	if (!repo)
		repo = xstrdup("audit.git");
	c->audit_repo = repo[0] == '/' ? xstrdup(repo) : nb_path_join(c->site_dir, repo);
	free(repo);
	check_audit_place(x, c, audit);
	c->audit_branch = audit ? get_str(x, audit, "branch", "/audit", "publications")
				: xstrdup("publications");
	if (!valid_branch(c->audit_branch)) {
		int line, col;
		at(x, "/audit/branch", 0, &line, &col);
		nb_error(x->d, x->file, line, col, "config-audit-branch",
			 "use letters, digits, '-' and '/', e.g. `branch: publications`, "
			 "or remove the line",
			 "`audit.branch` `%s` is not a name git accepts for a branch",
			 c->audit_branch);
		free(c->audit_branch);
		c->audit_branch = xstrdup("publications");
	}
	if (audit) {
		char *k = get_str(x, audit, "signing_key", "/audit", NULL);
		if (k) {
			c->audit_signing_key = k[0] == '/' ? xstrdup(k) : nb_path_join(c->site_dir, k);
			free(k);
			at(x, "/audit/signing_key", 0, &c->audit_signing_key_line,
			   &c->audit_signing_key_col);
			check_key_place(x, c);
		}
		k = get_str(x, audit, "allowed_signers", "/audit", NULL);
		if (k) {
			c->audit_allowed_signers = k[0] == '/' ? xstrdup(k) : nb_path_join(c->site_dir, k);
			free(k);
		}
		read_mirrors(x, c, json_object_get(audit, "mirrors"));
		served_copy(x, c, audit);
	}
}

/* The printed notice (公示). */
static void read_notice(const ctx *x, nb_config *c)
{
	/* The printed notice (公示): who signs it, how long it is posted,
	 * where objections go; every one optional (render.c notice). */
	json_t *notice = json_object_get(c->raw, "notice");
	if (notice && json_is_object(notice)) {
		check_keys(x, notice, "/notice", notice_keys, COUNT(notice_keys));
		c->notice_committee = get_str(x, notice, "committee", "/notice", NULL);
		c->notice_objections = get_str(x, notice, "objections", "/notice", NULL);
		long long days = get_int(x, notice, "period_days", "/notice", 0, 1);
		if (days > 366) {
			int line, col;
			at(x, "/notice/period_days", 0, &line, &col);
			nb_error(x->d, x->file, line, col, "config-notice-period",
				 "a notice is posted for days or weeks, e.g. `period_days: 7`",
				 "`notice.period_days` is %lld; at most 366 days", days);
			days = 0;
		}
		c->notice_period_days = (int)days;
	}
}

int nb_config_load(nb_config *c, const char *site_dir, nb_diag *d)
{
	memset(c, 0, sizeof(*c));
	set_defaults(c);
	size_t sl = strlen(site_dir);
	while (sl > 1 && site_dir[sl - 1] == '/')
		sl--;
	c->site_dir = strndup(site_dir, sl);
	c->params = json_object();
	c->audit_mirrors = json_array();
	c->audit_serve = 1;
	c->alternates = json_array();

	char *path = nb_path_join(c->site_dir, "site.yaml");
	const char *file = "site.yaml";
	char *src;
	size_t len;
	if (nb_fs_read(path, 1 << 20, &src, &len) != 0) {
		int e = errno;
		free(path);
		if (e == ENOENT) {
			/* No site.yaml, no site: English, as a usage error
			 * outside any site (cli.h nb_cli_usage_language). */
			nb_diag_set_language(d, "en");
			nb_error(d, file, 0, 0, "config-missing",
				 "run `noticeboard init DIR` to create a new site, or "
				 "pass the site folder with -s DIR",
				 "no site.yaml in %s", c->site_dir);
		} else {
			nb_error(d, file, 0, 0, "io", NULL, "cannot read %s: %s",
				 c->site_dir, strerror(e));
		}
		return -1;
	}
	free(path);
	json_t *pos = NULL;
	int rc = nb_yaml_load(&c->raw, &pos, src, len, file, 1, 1,
			      &c->yaml_limits, d);
	free(src);
	if (rc != 0)
		return -1;

	size_t before = d->errors;
	ctx x = { file, pos, d };
	check_keys(&x, c->raw, "", known_keys, COUNT(known_keys));
	check_sections(&x, c->raw);

	read_identity(&x, c);
	read_params(&x, c);
	read_alternates(&x, c);
	read_build_settings(&x, c);
	read_contact(&x, c);
	read_audit(&x, c);
	read_notice(&x, c);
	json_decref(pos);
	return d->errors > before ? -1 : 0;
}

void nb_config_free(nb_config *c)
{
	free(c->site_dir);
	free(c->title);
	free(c->description);
	free(c->language);
	free(c->base_url);
	free(c->base_path);
	free(c->theme);
	free(c->output);
	free(c->output_path);
	json_decref(c->params);
	json_decref(c->raw);
	free(c->audit_repo);
	free(c->audit_branch);
	free(c->audit_signing_key);
	free(c->audit_allowed_signers);
	free(c->audit_mirror);
	json_decref(c->audit_mirrors);
	json_decref(c->alternates);
	free(c->notice_committee);
	free(c->notice_objections);
	json_decref(c->contact);
	memset(c, 0, sizeof(*c));
}

const char *nb_config_language_of(const char *src, size_t len)
{
	json_t *v = NULL;
	nb_diag d;
	nb_diag_init(&d);
	const char *lang = "zh-CN";
	if (nb_yaml_load(&v, NULL, src, len, "site.yaml", 1, 1, NULL, &d) == 0) {
		const char *l = json_string_value(json_object_get(v, "language"));
		if (l && !strcmp(l, "en"))
			lang = "en";
	}
	json_decref(v);
	nb_diag_free(&d);
	return lang;
}

/*
 * theme.c - resolving and loading a theme; see theme.h.
 */
#include "template/theme.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/assets.h"
#include "util/embedded.h"
#include "util/fs.h"
#include "load/yamltree.h"

/* One file of the merged theme: embedded, or on disk when the site has it. */
typedef struct src_file {
	char *rel;                  /* path within the theme */
	char *disk;                 /* NULL when embedded */
	const unsigned char *data;
	size_t len;
	const unsigned char *base;  /* the built-in file a site's replaces, or NULL */
	size_t base_len;
} src_file;

typedef struct file_set {
	src_file *items;
	size_t len, cap;
	json_t *index;              /* rel -> position in items */
} file_set;

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

static void set_put(file_set *s, const char *rel, const char *disk,
		    const unsigned char *data, size_t len)
{
	json_t *at = json_object_get(s->index, rel);
	src_file *f;
	if (at) {
		f = &s->items[json_integer_value(at)];
		if (!f->disk) {
			f->base = f->data;
			f->base_len = f->len;
		}
		free(f->disk);
	} else {
		if (s->len == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 64;
			s->items = realloc(s->items, s->cap * sizeof(src_file));
			if (!s->items)
				abort();
		}
		json_object_set_new(s->index, rel, json_integer((json_int_t)s->len));
		f = &s->items[s->len++];
		f->rel = xstrdup(rel);
		f->base = NULL;
		f->base_len = 0;
	}
	f->disk = disk ? xstrdup(disk) : NULL;
	f->data = data;
	f->len = len;
}

static int cmp_src(const void *a, const void *b)
{
	return strcmp(((const src_file *)a)->rel, ((const src_file *)b)->rel);
}

static int starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static size_t count_in(const char *data, size_t len, const char *what)
{
	size_t n = 0, wl = strlen(what);
	for (const char *p = data, *end = data + len; (p = memmem(p, (size_t)(end - p), what, wl));
	     p += wl)
		n++;
	return n;
}

/* Whether any tag of a template has a name for which `pred` holds: the
 * name as written after the tag's sigil, up to its closing braces or a
 * space. Comments and partials are looked at as names too, which only
 * errs towards a template reading something. */
static int any_tag_name(const char *data, size_t len, int (*pred)(const char *p, size_t n))
{
	const char *end = data + len;
	for (const char *p = data; (p = memmem(p, (size_t)(end - p), "{{", 2)); ) {
		p += 2;
		while (p < end && *p && strchr("{#^&/>!$< \t\r\n", *p))
			p++;
		const char *q = p;
		while (q < end && *q && !strchr("} \t\r\n", *q))
			q++;
		if (pred(p, (size_t)(q - p)))
			return 1;
	}
	return 0;
}

/* Whether the tag name p[0..n) is `name` or a name below it. */
static int names_below(const char *p, size_t n, const char *name)
{
	size_t k = strlen(name);
	return n >= k && !memcmp(p, name, k) && (n == k || p[k] == '.');
}

/* `site` itself: a section of it would show its members and resolve bare
 * names in it. */
static int is_site(const char *p, size_t n)
{
	return n == 4 && !memcmp(p, "site", 4);
}

static int may_read_as_of(const char *p, size_t n)
{
	return is_site(p, n) || names_below(p, n, "site.as_of") || names_below(p, n, "as_of");
}

/* Whether a template reads `site.publication` only in the meta tag block
 * (theme.h): every mention of it is in one of those blocks, no tag names
 * `site` itself, and the delimiters are not changed (which would hide
 * tags from this look). */
static int publication_tag_only(const char *data, size_t len)
{
	return count_in(data, len, "site.publication") ==
		       3 * count_in(data, len, NB_THEME_PUBLICATION_TAG) &&
	       !count_in(data, len, "{{=") && !any_tag_name(data, len, is_site);
}

/* Whether a template cannot read `site.as_of` (theme.h): the delimiters
 * are not changed, and no tag's name is `site`, `site.as_of` or below
 * it, or starts with the segment `as_of` (resolved through the context
 * stack, so within a section of `site`, in it). */
static int as_of_unread(const char *data, size_t len)
{
	return !count_in(data, len, "{{=") && !any_tag_name(data, len, may_read_as_of);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* Contents of a theme file, read from disk when it lives there. */
static int file_data(const src_file *f, char **owned, const char **data,
		     size_t *len)
{
	*owned = NULL;
	if (!f->disk) {
		*data = (const char *)f->data;
		*len = f->len;
		return 0;
	}
	if (nb_fs_read(f->disk, 0, owned, len) != 0)
		return -1;
	*data = *owned;
	return 0;
}

/* A file copied as it is to the output, from the theme or static/. */
static nb_theme_file *add_static(nb_theme *t, const char *dest, const char *origin,
				 const char *disk, const unsigned char *data, size_t len)
{
	t->statics = realloc(t->statics, (t->n_statics + 1) * sizeof(nb_theme_file));
	if (!t->statics)
		abort();
	nb_theme_file *s = &t->statics[t->n_statics++];
	s->dest = xstrdup(dest);
	s->origin = xstrdup(origin);
	s->disk_path = disk ? xstrdup(disk) : NULL;
	s->data = data;
	s->len = len;
	return s;
}

static int cmp_static(const void *a, const void *b)
{
	return strcmp(((const nb_theme_file *)a)->dest, ((const nb_theme_file *)b)->dest);
}

/* The site's own static/ folder, walked by content/'s rules (no link out
 * of the site, nothing left out in silence); a file there replaces the
 * theme's file of the same name, which is how a site overrides one. */
static void add_site_statics(nb_theme *t, const nb_config *cfg, nb_diag *d)
{
	char *sdir = nb_path_join(cfg->site_dir, "static");
	nb_strlist files = { 0 };
	if (nb_fs_is_dir(sdir) && nb_fs_walk_site(cfg->site_dir, "static", &files, d) == 0) {
		size_t n_theme = t->n_statics;
		for (size_t i = 0; i < files.len; i++) {
			char *origin = nb_path_join("static", files.items[i]);
			char *disk = nb_path_join(sdir, files.items[i]);
			nb_asset_vet(cfg, origin, disk, d);
			nb_theme_file *s = NULL;
			for (size_t k = 0; k < n_theme && !s; k++)
				if (!strcmp(t->statics[k].dest, files.items[i]))
					s = &t->statics[k];
			if (s) {
				free(s->origin);
				free(s->disk_path);
				s->origin = xstrdup(origin);
				s->disk_path = xstrdup(disk);
			} else {
				add_static(t, files.items[i], origin, disk, NULL, 0);
			}
			free(origin);
			free(disk);
		}
		if (t->n_statics > 1)
			qsort(t->statics, t->n_statics, sizeof(nb_theme_file), cmp_static);
	}
	nb_strlist_free(&files);
	free(sdir);
}

/* `over` laid over `base`, key by key and inside groups of keys. */
static void merge_over(json_t *base, json_t *over)
{
	const char *key;
	json_t *v;
	json_object_foreach(over, key, v) {
		json_t *b = json_object_get(base, key);
		if (json_is_object(b) && json_is_object(v))
			merge_over(b, v);
		else
			json_object_set(base, key, v);
	}
}

/* The interface strings from `f`. A site's file replacing the built-in
 * one is laid over it rather than instead of it: a site changing one
 * label should not have to copy the rest, and a copy made before an
 * upgrade added a string would otherwise print that string as nothing.
 * 1 when loaded. */
static int load_strings(nb_theme *t, const src_file *f, const char *label,
			const nb_config *cfg, nb_diag *d)
{
	char *owned;
	const char *data;
	size_t len;
	json_t *strings = NULL, *base = NULL;
	if (file_data(f, &owned, &data, &len) != 0 ||
	    nb_yaml_load(&strings, NULL, data, len, label, 1, 1, &cfg->yaml_limits, d) != 0) {
		free(owned);
		return 0;
	}
	free(owned);
	if (f->base && nb_yaml_load(&base, NULL, (const char *)f->base, f->base_len, label, 1, 1,
				    &cfg->yaml_limits, d) == 0) {
		merge_over(base, strings);
		json_decref(strings);
		strings = base;
	}
	json_decref(t->strings);
	t->strings = strings;
	return 1;
}

int nb_theme_has_layout(const nb_theme *t, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(t->layouts, i, v) {
		if (!strcmp(json_string_value(v), name))
			return 1;
	}
	return 0;
}

int nb_theme_load(nb_theme *t, const nb_config *cfg, nb_diag *d)
{
	memset(t, 0, sizeof(*t));
	nb_mustache_limits lim = { cfg->template_depth };
	t->templates = nb_mustache_new(&lim);
	t->publication_tag_only = 1;
	t->as_of_unread = 1;
	t->layouts = json_array();
	t->strings = json_object();

	file_set set = { 0 };
	set.index = json_object();
	size_t before = d->errors;

	char prefix[256];
	snprintf(prefix, sizeof(prefix), "theme/%s/", cfg->theme);
	int found = 0;
	for (size_t i = 0; i < nb_embedded_count; i++) {
		const nb_embedded_file *f = &nb_embedded_files[i];
		if (starts_with(f->path, prefix)) {
			set_put(&set, f->path + strlen(prefix), NULL, f->data, f->len);
			found = 1;
		}
	}
	char *rel_dir = nb_path_join("themes", cfg->theme);
	char *dir = nb_path_join(cfg->site_dir, rel_dir);
	if (nb_fs_is_dir(dir)) {
		nb_strlist files = { 0 };
		if (nb_fs_walk_site(cfg->site_dir, rel_dir, &files, d) == 0) {
			for (size_t i = 0; i < files.len; i++) {
				char *p = nb_path_join(dir, files.items[i]);
				set_put(&set, files.items[i], p, NULL, 0);
				free(p);
			}
		}
		nb_strlist_free(&files);
		found = 1;
		t->label = xstrdup(rel_dir);
	} else {
		t->label = malloc(strlen(rel_dir) + 16);
		if (!t->label)
			abort();
		sprintf(t->label, "%s (built in)", rel_dir);
	}
	if (!found) {
		nb_error(d, "site.yaml", cfg->theme_line, cfg->theme_col, "theme-unknown",
			 "create themes/<name>/ in the site folder, or remove `theme:` to "
			 "use the built-in `default` theme",
			 "unknown theme `%s`: there is no themes/%s/ folder", cfg->theme,
			 cfg->theme);
		goto done;
	}
	if (set.len > 1)
		qsort(set.items, set.len, sizeof(src_file), cmp_src);

	json_t *owner = json_object(); /* template name -> file, to catch clashes */
	json_t *added = json_array();  /* names, in file order, for the check below */
	nb_hash tid;
	nb_hash_init(&tid, (uint64_t)cfg->template_depth);
	char i18n_name[64];
	snprintf(i18n_name, sizeof(i18n_name), "i18n/%s.yaml", cfg->language);
	int have_i18n = 0;
	for (size_t i = 0; i < set.len; i++) {
		src_file *f = &set.items[i];
		char *label = nb_path_join(rel_dir, f->rel);
		int is_layout = starts_with(f->rel, "layouts/");
		int is_partial = starts_with(f->rel, "partials/");
		if ((is_layout || is_partial) && ends_with(f->rel, ".mustache")) {
			const char *base = strrchr(f->rel, '/') + 1;
			char *name = strndup(base, strlen(base) - strlen(".mustache"));
			json_t *prev = json_object_get(owner, name);
			char *owned;
			const char *data;
			size_t len;
			if (prev) {
				nb_error(d, label, 0, 0, "theme-name-clash",
					 "layouts and partials share one namespace; rename one of them",
					 "template name `%s` is also used by %s", name,
					 json_string_value(prev));
			} else if (file_data(f, &owned, &data, &len) != 0) {
				nb_error(d, label, 0, 0, "io", NULL, "cannot read: %s",
					 strerror(errno));
			} else {
				nb_mustache_add(t->templates, name, label, data, len, d);
				t->publication_tag_only &= publication_tag_only(data, len);
				t->as_of_unread &= as_of_unread(data, len);
				nb_hash_str(&tid, name, strlen(name));
				nb_hash_str(&tid, data, len);
				free(owned);
				json_object_set_new(owner, name, json_string(label));
				json_array_append_new(added, json_string(name));
				if (is_layout)
					json_array_append_new(t->layouts, json_string(name));
			}
			free(name);
		} else if (!strcmp(f->rel, i18n_name)) {
			have_i18n = load_strings(t, f, label, cfg, d);
		} else if (starts_with(f->rel, "static/")) {
			if (f->disk)
				nb_asset_vet(cfg, label, f->disk, d);
			add_static(t, f->rel + strlen("static/"), label, f->disk, f->data, f->len);
		}
		free(label);
	}
	json_decref(owner);
	/* Once every template is in: a tag naming one that is not would
	 * render as nothing on every page that reaches it. */
	size_t k;
	json_t *name;
	json_array_foreach(added, k, name)
		nb_mustache_check_partials(t->templates, json_string_value(name), d);
	json_decref(added);
	t->templates_id = nb_hash_final(&tid);
	add_site_statics(t, cfg, d);
	if (!have_i18n && d->errors == before)
		nb_warning(d, rel_dir, 0, 0, "theme-i18n",
			   "add i18n/<language>.yaml to the theme",
			   "theme has no interface strings for `%s`", cfg->language);
	static const char *const required[] = { "base", "home", "list", "page", "404" };
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!nb_theme_has_layout(t, required[i]))
			nb_error(d, rel_dir, 0, 0, "theme-layout-missing",
				 "every theme needs layouts base, home, list, page and 404",
				 "theme has no layouts/%s.mustache", required[i]);
	}
done:
	for (size_t i = 0; i < set.len; i++) {
		free(set.items[i].rel);
		free(set.items[i].disk);
	}
	free(set.items);
	json_decref(set.index);
	free(dir);
	free(rel_dir);
	return d->errors > before ? -1 : 0;
}

void nb_theme_free(nb_theme *t)
{
	nb_mustache_free(t->templates);
	json_decref(t->layouts);
	json_decref(t->strings);
	for (size_t i = 0; i < t->n_statics; i++) {
		free(t->statics[i].dest);
		free(t->statics[i].origin);
		free(t->statics[i].disk_path);
	}
	free(t->statics);
	free(t->label);
	memset(t, 0, sizeof(*t));
}

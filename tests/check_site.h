/*
 * check_site.h - a small complete site written to a temporary folder and
 * run through the check stage (nb_content_load, then nb_validate), for
 * the suites that assert a diagnostic at the file, line and column a
 * secretary sees (tests/schema/test_validate.c, test_records.c). Going
 * through real files keeps those numbers honest: they are the YAML
 * parser's. Each suite opens it with its own known-good files and changes
 * one line (edit).
 */
#ifndef NB_CHECK_SITE_H
#define NB_CHECK_SITE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "diag_find.h"
#include "harness.h"
#include "load/content.h"
#include "schema/validate.h"
#include "util/diag.h"
#include "util/fs.h"

typedef struct site {
	char dir[64];
	nb_config cfg;
	nb_content c;
	nb_diag d;
	int loaded;
} site;

static inline void put(const site *s, const char *rel, const char *text)
{
	char *p = nb_path_join(s->dir, rel);
	if (nb_fs_write(p, text, strlen(text)) != 0)
		abort();
	free(p);
}

/* A site in a new folder /tmp/nb-<name>-XXXXXX holding `files` (n pairs
 * of path and text). */
static inline void site_open(site *s, const char *name, const char *const (*files)[2],
			     size_t n)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/nb-%.32s-XXXXXX", name);
	if (!mkdtemp(s->dir))
		abort();
	for (size_t i = 0; i < n; i++)
		put(s, files[i][0], files[i][1]);
	s->cfg.site_dir = s->dir;
	s->cfg.max_file_size = 1 << 20;
	nb_diag_init(&s->d);
}

/* Replace the first `from` in file `rel` by `to`; 0 when `from` is absent. */
static inline int edit(site *s, const char *rel, const char *from, const char *to)
{
	char *p = nb_path_join(s->dir, rel), *data = NULL;
	size_t len = 0;
	if (nb_fs_read(p, 0, &data, &len) != 0)
		abort();
	char *at = strstr(data, from);
	if (at) {
		size_t pre = (size_t)(at - data), fl = strlen(from), tl = strlen(to);
		char *out = malloc(len - fl + tl + 1);
		if (!out)
			abort();
		memcpy(out, data, pre);
		memcpy(out + pre, to, tl);
		memcpy(out + pre + tl, at + fl, len - pre - fl + 1);
		if (nb_fs_write(p, out, strlen(out)) != 0)
			abort();
		free(out);
	}
	free(data);
	free(p);
	return at != NULL;
}

/* Load and check: nb_validate's result, or -100 when loading already
 * failed (the test's edit broke the YAML). */
static inline int site_check(site *s)
{
	int rc = nb_content_load(&s->c, &s->cfg, NULL, &s->d);
	s->loaded = 1;
	size_t load_errors = s->d.errors;
	rc |= nb_validate(&s->c, &s->cfg, &s->d);
	return load_errors ? -100 : rc;
}

/* Check the site and expect exactly one diagnostic: `code`, of severity
 * `sev`, at file:line:col, with a hint (the check failing for an error,
 * passing for a warning). It, or NULL; what was reported is printed when
 * it differs. */
static inline const nb_diag_entry *site_expect_one(nb_test_state *nb__t, site *s,
						   const char *code, nb_severity sev,
						   const char *file, int line, int col)
{
	int rc = site_check(s);
	NB_CHECK(rc == (sev == NB_SEV_ERROR ? -1 : 0));
	NB_CHECK(s->d.len == 1);
	const nb_diag_entry *e = diag_find(&s->d, code, NULL);
	NB_CHECK(e != NULL);
	if (s->d.len != 1 || !e)
		nb_diag_print(&s->d, stderr, 0);
	if (!e)
		return NULL;
	NB_CHECK_STR(e->file, file);
	NB_CHECK(e->line == line);
	NB_CHECK(e->col == col);
	NB_CHECK(e->sev == sev);
	NB_CHECK(e->hint != NULL);
	if (e->line != line || e->col != col)
		fprintf(stderr, "  got %s:%d:%d\n", e->file, e->line, e->col);
	return e;
}

static inline void site_free(site *s)
{
	if (s->loaded)
		nb_content_free(&s->c);
	nb_diag_free(&s->d);
	nb_fs_rmtree(s->dir);
}

#endif

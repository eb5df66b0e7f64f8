/*
 * config.h - site.yaml: what a site says about itself.
 *
 * Read once at the start of every command; everything later takes the
 * resulting nb_config by const pointer, so no stage can change settings
 * another stage relies on. Unknown keys are allowed (themes may read them
 * from `params`), but one that looks like a misspelling of a known key is
 * an error, because a silently ignored `langauge:` is worse than a stop.
 */
#ifndef NB_CONFIG_H
#define NB_CONFIG_H

#include <jansson.h>
#include <stddef.h>

#include "util/diag.h"
#include "load/yamltree.h"

typedef struct nb_config {
	char *site_dir;      /* as given on the command line, no trailing '/' */
	char *title;
	char *description;
	char *language;      /* "zh-CN" or "en" */
	char *base_url;      /* always ends with '/' */
	char *base_path;     /* path part of base_url; "/" by default */
	char *theme;
	int theme_line, theme_col;  /* where site.yaml names it, for errors */
	char *output;        /* output folder, relative to site_dir unless absolute */
	char *output_path;   /* site_dir joined with output */
	json_t *params;      /* free values for templates (object, never NULL) */
	json_t *raw;         /* the whole parsed file */
	int unsafe_html;     /* markdown.unsafe_html */
	int allow_active_content; /* assets.allow_active_content (assets.h) */
	nb_yaml_limits yaml_limits;
	size_t max_file_size;   /* limits.file_size, bytes */
	size_t max_table_cells; /* limits.table_cells: Markdown table cells a document may have */
	int template_depth;     /* limits.template_depth */
	char *audit_repo;       /* audit.repository, resolved against site_dir */
	char *audit_branch;     /* audit.branch */
	char *audit_signing_key;  /* audit.signing_key (ssh private key path) or NULL */
	int audit_signing_key_line, audit_signing_key_col; /* where site.yaml sets it */
	char *audit_allowed_signers; /* audit.allowed_signers or NULL */
	json_t *audit_mirrors;  /* audit.mirrors: array of strings (never NULL) */
	int audit_serve;        /* audit.serve: publish serves /audit.git/ (default 1) */
	char *audit_mirror;     /* audit.mirror: where auditors clone instead, or NULL */
	json_t *alternates;     /* [{lang, url, label}] other-language builds (never NULL) */
	char *notice_committee; /* notice.committee: who signs printed notices, or NULL */
	char *notice_objections; /* notice.objections: where to send objections, or NULL */
	int notice_period_days; /* notice.period_days: days a notice is posted; 0 unset */
	size_t page_size;       /* pagination.page_size: items per list page */
	json_t *contact;        /* contact: {phone, address, hours}, the set ones (never NULL
				 * after a load) */
} nb_config;

/*
 * Load `<site_dir>/site.yaml`. Missing file: error with a hint to run
 * `noticeboard init`. Returns 0, or -1 with errors in `d` (and the config
 * left safe to free).
 */
int nb_config_load(nb_config *c, const char *site_dir, nb_diag *d);
void nb_config_free(nb_config *c);

/* The language a site.yaml text names ("en" or "zh-CN", static), for
 * readers of a site they did not load, e.g. `audit` reading the one its
 * publication recorded: zh-CN, the default, when the text does not parse
 * or names no supported language. */
const char *nb_config_language_of(const char *src, size_t len);

#endif

/*
 * cli.c - helpers shared by the command files; see cli.h.
 */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "output/build.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/fs.h"
#include "util/utf8.h"

int nb_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

void nb_cli_report(const nb_cli *cli, nb_diag *d)
{
	nb_diag_sort(d);
	if (cli->quiet && d->warnings) {
		/* -q prints only errors; `d` is left whole for the caller (serve's
		 * page of errors shows the warnings too). */
		nb_diag errs;
		nb_diag_init(&errs);
		memcpy(errs.lang, d->lang, sizeof(errs.lang));
		for (size_t i = 0; i < d->len; i++) {
			const nb_diag_entry *e = &d->items[i];
			if (e->sev == NB_SEV_ERROR)
				nb_error(&errs, e->file, e->line, e->col, e->code, e->hint, "%s",
					 e->msg);
		}
		nb_diag_print(&errs, stderr, cli->color);
		nb_diag_free(&errs);
	} else {
		nb_diag_print(d, stderr, cli->color);
	}
	/* The warnings printed are counted too; -q printed none. */
	size_t w = cli->quiet ? 0 : d->warnings;
	if (d->errors && !strcmp(nb_diag_language(d), "zh-CN") && w)
		fprintf(stderr, "共 %zu 个错误，%zu 个警告。\n", d->errors, w);
	else if (d->errors && !strcmp(nb_diag_language(d), "zh-CN"))
		fprintf(stderr, "共 %zu 个错误。\n", d->errors);
	else if (d->errors && w)
		fprintf(stderr, "%zu error%s, %zu warning%s.\n", d->errors, d->errors == 1 ? "" : "s",
			w, w == 1 ? "" : "s");
	else if (d->errors)
		fprintf(stderr, "%zu error%s.\n", d->errors, d->errors == 1 ? "" : "s");
}

int nb_cli_as_of(const nb_cli *cli, const char *cmd, const char *value)
{
	if (nb_date_valid(value))
		return 0;
	nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir), "noticeboard %s: --as-of wants "
		     "a real day written YYYY-MM-DD, e.g. 2025-03-07; got `%s`\n", cmd, value);
	return NB_EXIT_USAGE;
}

const char *nb_cli_thousands(size_t n, char *buf, size_t size)
{
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%zu", n);
	size_t len = strlen(tmp), j = 0;
	for (size_t i = 0; i < len && j + 1 < size; i++) {
		if (i && (len - i) % 3 == 0 && j + 2 < size)
			buf[j++] = ',';
		buf[j++] = tmp[i];
	}
	buf[j] = '\0';
	return buf;
}

const char *nb_cli_language(const char *site_lang)
{
	nb_diag d;
	nb_diag_init(&d);
	nb_diag_set_language(&d, site_lang);
	const char *lang = strcmp(nb_diag_language(&d), "en") ? "zh-CN" : "en";
	nb_diag_free(&d);
	return lang;
}

const char *nb_cli_usage_language(const char *site_dir)
{
	const char *env = getenv("NB_LANG");
	if (env && (!strcmp(env, "en") || !strcmp(env, "zh-CN")))
		return env;
	char *path = nb_path_join(site_dir ? site_dir : ".", "site.yaml");
	char *text = NULL;
	size_t len = 0;
	/* A site.yaml is a few kilobytes; anything far larger is not one. */
	const char *lang = nb_fs_read(path, 1 << 20, &text, &len) == 0
				   ? nb_config_language_of(text, len) : "en";
	free(text);
	free(path);
	return lang;
}

/* The translated text, made visible, then the newlines `english` ended in. */
static void put_translated(FILE *out, const char *lang, const char *code, const char *english)
{
	size_t len = strlen(english), nl = 0;
	while (nl < len && english[len - nl - 1] == '\n')
		nl++;
	char *line = strndup(english, len - nl);
	if (!line)
		abort();
	char *s = nb_diag_translate(lang, code, line);
	/* Lines inside are kept: a build's diagnostics quoted in one (rebuild's
	 * "do not build: ...") print as they did. Paths are made one line
	 * before they are passed. */
	nb_utf8_fputs_visible(out, s, NB_VISIBLE_LINES);
	while (nl--)
		fputc('\n', out);
	free(s);
	free(line);
}

void nb_cli_print(FILE *out, const char *lang, const char *fmt, ...)
{
	nb_buf b = NB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	nb_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	put_translated(out, lang, "report", nb_buf_cstr(&b));
	nb_buf_free(&b);
}

void nb_cli_print_lines(const char *lang, const char *text)
{
	for (const char *s = text; *s;) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *line = strndup(s, n);
		if (!line)
			abort();
		put_translated(stdout, lang, "audit", line);
		fputc('\n', stdout);
		free(line);
		s += n + (e != NULL);
	}
}

void nb_cli_put_change(nb_buf *b, const char *lang, const char *what, size_t width)
{
	const char *w = !strcmp(what, "added") ? nb_diag_word(lang, what, "新增")
			: !strcmp(what, "removed") ? nb_diag_word(lang, what, "删除")
			: nb_diag_word(lang, what, "修改");
	size_t cols = nb_utf8_columns(w);
	nb_buf_puts(b, w);
	for (; cols < width; cols++)
		nb_buf_putc(b, ' ');
}

int nb_cli_unknown_arg(const nb_cli *cli, const char *cmd, const char *arg, const char *usage)
{
	nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
		     "noticeboard %s: unknown argument `%s`\n\n", cmd, arg);
	fputs(usage, stderr);
	return NB_EXIT_USAGE;
}

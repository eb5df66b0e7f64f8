/*
 * cli.c - helpers shared by the command files; see cli.h.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "output/build.h"
#include "util/date.h"

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

int nb_cli_as_of(const char *cmd, const char *value)
{
	if (nb_date_valid(value))
		return 0;
	fprintf(stderr, "noticeboard %s: --as-of wants a real day written YYYY-MM-DD, "
		"e.g. 2025-03-07; got `%s`\n", cmd, value);
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

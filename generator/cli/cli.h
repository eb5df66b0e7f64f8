/*
 * cli.h - what every command shares: global options and the command table.
 *
 * Each command lives in its own cmd_<name>.c, parses its own options, and
 * returns an exit code from build.h's NB_EXIT_* classes: 0 success, 1
 * content errors, 2 usage errors, 3 I/O or internal errors, 4 (verify,
 * audit) a rebuild differs from a publication another generator made.
 */
#ifndef NB_CLI_H
#define NB_CLI_H

#include <stdio.h>

#include "util/buf.h"
#include "util/diag.h"

typedef struct nb_cli {
	const char *site_dir;  /* -s DIR, default "." */
	int quiet;             /* -q */
	int verbose;           /* -v: summary even when not on a terminal */
	int tty;               /* stderr is a terminal */
	int color;             /* colours in diagnostics */
} nb_cli;

typedef struct nb_command {
	const char *name;
	const char *summary;
	int (*run)(const nb_cli *cli, int argc, char **argv);
} nb_command;

int nb_cmd_build(const nb_cli *cli, int argc, char **argv);
int nb_cmd_check(const nb_cli *cli, int argc, char **argv);
int nb_cmd_serve(const nb_cli *cli, int argc, char **argv);
int nb_cmd_init(const nb_cli *cli, int argc, char **argv);
int nb_cmd_new(const nb_cli *cli, int argc, char **argv);
int nb_cmd_version(const nb_cli *cli, int argc, char **argv);
int nb_cmd_help(const nb_cli *cli, int argc, char **argv);
int nb_cmd_publish(const nb_cli *cli, int argc, char **argv);
int nb_cmd_log(const nb_cli *cli, int argc, char **argv);
int nb_cmd_diff(const nb_cli *cli, int argc, char **argv);
int nb_cmd_verify(const nb_cli *cli, int argc, char **argv);
int nb_cmd_history(const nb_cli *cli, int argc, char **argv);
int nb_cmd_push(const nb_cli *cli, int argc, char **argv);
int nb_cmd_audit(const nb_cli *cli, int argc, char **argv);

/* The command table, terminated by a zeroed entry. */
extern const nb_command nb_commands[];

/* Print diagnostics (sorted) to stderr as text. */
void nb_cli_report(const nb_cli *cli, nb_diag *d);

/* 1 when argv holds -h/--help; commands print their usage then. */
int nb_cli_wants_help(int argc, char **argv);

/* 0 when `value` of --as-of is a real day written YYYY-MM-DD (date.h);
 * else says so for `cmd` in the usage language (nb_cli_usage_language)
 * and returns NB_EXIT_USAGE. A date that is no day (2026-02-30, "today")
 * judged every deadline by comparing text. */
int nb_cli_as_of(const nb_cli *cli, const char *cmd, const char *value);

/*
 * The language a command's report speaks, "en" or "zh-CN" (static): as
 * diagnostics are printed (util/diag.h), $NB_LANG first, then `site_lang`
 * (a site.yaml's `language`; NULL when none was read), then zh-CN.
 */
const char *nb_cli_language(const char *site_lang);

/*
 * The language of a usage error, printed before site.yaml is read: $NB_LANG,
 * else the `language` of SITE_DIR/site.yaml when there is one (read as
 * text, not checked), else English - a mistyped command outside any site
 * is answered in English.
 */
const char *nb_cli_usage_language(const char *site_dir);

/*
 * One line of a command's report for people: `fmt` and its arguments make
 * the English line, which is translated into `lang` through the diagnostics
 * catalog (util/diag_i18n.c, code "report"; what it quotes from the record
 * as "@" pieces) and printed made visible (utf8.h), so a path or message
 * from a repository cannot drive the terminal; line breaks are kept, so a
 * caller passing a path from a repository makes it one line first. A
 * trailing "\n" is printed as it is. Every string literal passed here is a message of its own, with
 * a Chinese entry (tests/util/test_diag_i18n.c checks): say "the record" by
 * a format of its own, not as an argument.
 */
void nb_cli_print(FILE *out, const char *lang, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Each line of `text`, lines the record's checks wrote (audit/check.c,
 * nb_audit_check_signatures: code "audit", as `audit` prints them), to
 * stdout in `lang`. */
void nb_cli_print_lines(const char *lang, const char *text);

/* "noticeboard CMD: unknown argument `ARG`" in the usage language
 * (nb_cli_usage_language), then `usage` (English, as --help prints it);
 * returns NB_EXIT_USAGE. */
int nb_cli_unknown_arg(const nb_cli *cli, const char *cmd, const char *arg, const char *usage);

/* What happened to a document ("added", "changed" or "removed", as --json
 * says it) for people in `lang`, padded with spaces to `width` columns (a
 * Chinese character takes two), appended to `b`. */
void nb_cli_put_change(nb_buf *b, const char *lang, const char *what, size_t width);

/* "1234567" -> "1,234,567" into buf. */
const char *nb_cli_thousands(size_t n, char *buf, size_t size);

#endif

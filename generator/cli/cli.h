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
 * else says so for `cmd` and returns NB_EXIT_USAGE. A date that is no
 * day (2026-02-30, "today") judged every deadline by comparing text. */
int nb_cli_as_of(const char *cmd, const char *value);

/* "1234567" -> "1,234,567" into buf. */
const char *nb_cli_thousands(size_t n, char *buf, size_t size);

#endif

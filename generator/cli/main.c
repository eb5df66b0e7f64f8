/*
 * main.c - the `noticeboard` command: global options, then a command.
 *
 *   noticeboard [-s SITE_DIR] [-q] [-v] [COMMAND] [ARGS]
 *
 * The command defaults to `build`. Global options go before the command so
 * each command is free to define its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/build.h"
#include "cli/cli.h"
#include "markdown/markdown.h"

/*
 * Read by jemalloc, the release build's allocator (Makefile), at start;
 * the sanitizer and fuzz builds' allocators ignore it. One arena for all
 * threads instead of one per thread: the load stage's workers free most
 * of what they allocate (rendered bodies go to the memo file), and with
 * arenas of their own those pages stayed reserved for threads that no
 * longer allocate, while linking on the main thread took fresh ones. At
 * 10,000 documents peak memory 187 -> 155 MB, at the same speed (the
 * threads' caches take the small allocations without the arena's lock).
 *
 * Freed pages are returned to the system 200 ms after they fall idle, not
 * 10 s, and at once rather than by MADV_FREE: pages so "freed" stay in the
 * process's resident set until the kernel needs them, and a publish frees
 * the graph it built before it records and packs. Re-publish peaks at
 * 10,000 documents 104-108 -> 99 MB, at 50,000 424 -> 413 MB; a full
 * build's peak and times are unchanged (84 MB).
 * MALLOC_CONF in the environment still overrides it.
 */
const char *malloc_conf = "narenas:1,dirty_decay_ms:200,muzzy_decay_ms:0";

const nb_command nb_commands[] = {
	{ "build", "build the site into the output folder (the default)", nb_cmd_build },
	{ "check", "check every document and report all errors; write nothing", nb_cmd_check },
	{ "serve", "preview the site locally, with drafts, rebuilding on change", nb_cmd_serve },
	{ "init", "create a new site folder with a first page", nb_cmd_init },
	{ "new", "start a new document (meeting, decision, …) from a template", nb_cmd_new },
	{ "version", "print the version", nb_cmd_version },
	{ "help", "show help for a command", nb_cmd_help },
	{ "publish", "build, then record the publication in the audit repository", nb_cmd_publish },
	{ "log", "list the publications", nb_cmd_log },
	{ "diff", "what changed between publications (or since the last one)", nb_cmd_diff },
	{ "verify", "check the served folder and the history against the record", nb_cmd_verify },
	{ "history", "the publications in which a document appeared or changed", nb_cmd_history },
	{ "push", "send the publications to the mirrors in site.yaml", nb_cmd_push },
	{ "audit", "check a served site from outside: its record, history and files", nb_cmd_audit },
	{ NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	fputs("usage: noticeboard [-s SITE_DIR] [-q] [-v] [COMMAND] [ARGS]\n\n"
	      "Builds a community's transparency site from Markdown documents.\n\n"
	      "Commands:\n", out);
	for (const nb_command *c = nb_commands; c->name; c++)
		fprintf(out, "  %-9s %s\n", c->name, c->summary);
	fputs("\nGlobal options:\n"
	      "  -s DIR    the site folder (holding site.yaml); default: current folder\n"
	      "  -q        quiet: print only errors\n"
	      "  -v        print the summary line even when not on a terminal\n"
	      "  -h        this help; `noticeboard COMMAND --help` for a command\n\n"
	      "Exit status: 0 success, 1 content errors, 2 usage errors, 3 I/O errors.\n",
	      out);
}

int nb_cmd_help(const nb_cli *cli, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "-h") && strcmp(argv[1], "--help")) {
		for (const nb_command *c = nb_commands; c->name; c++) {
			if (!strcmp(c->name, argv[1])) {
				char *args[] = { argv[1], (char *)"--help", NULL };
				return c->run(cli, 2, args);
			}
		}
		nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
			     "noticeboard: no command `%s`\n", argv[1]);
		return NB_EXIT_USAGE;
	}
	usage(stdout);
	return NB_EXIT_OK;
}

int main(int argc, char **argv)
{
	nb_cli cli = { ".", 0, 0, isatty(2), 0 };
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-s") || !strcmp(a, "--site")) {
			if (i + 1 >= argc) {
				nb_cli_print(stderr, nb_cli_usage_language(cli.site_dir),
					     "noticeboard: -s needs a folder\n");
				return NB_EXIT_USAGE;
			}
			cli.site_dir = argv[++i];
		} else if (!strncmp(a, "--site=", 7)) {
			cli.site_dir = a + 7;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			cli.quiet = 1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			cli.verbose = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return NB_EXIT_OK;
		} else if (!strcmp(a, "--version")) {
			return nb_cmd_version(&cli, 0, NULL);
		} else {
			nb_cli_print(stderr, nb_cli_usage_language(cli.site_dir),
				     "noticeboard: unknown option `%s`\n", a);
			usage(stderr);
			return NB_EXIT_USAGE;
		}
	}
	cli.color = cli.tty && !getenv("NO_COLOR");
	nb_markdown_init();
	const char *name = i < argc ? argv[i] : "build";
	for (const nb_command *c = nb_commands; c->name; c++) {
		if (!strcmp(c->name, name)) {
			int sub_argc = i < argc ? argc - i : 1;
			char *fallback[] = { (char *)"build", NULL };
			return c->run(&cli, sub_argc, i < argc ? argv + i : fallback);
		}
	}
	nb_cli_print(stderr, nb_cli_usage_language(cli.site_dir),
		     "noticeboard: unknown command `%s`\n", name);
	usage(stderr);
	return NB_EXIT_USAGE;
}

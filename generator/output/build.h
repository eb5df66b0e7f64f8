/*
 * build.h - the whole pipeline, as the commands use it:
 * config -> theme -> load -> validate -> link -> render -> swap.
 *
 * `build`, `check`, `serve` and `publish` all run this one function with
 * different options, so what `check` accepts is exactly what `build`
 * publishes. The output is written to a staging folder beside the live one
 * and swapped in only when everything succeeded; on any error the live
 * folder is untouched.
 */
#ifndef NB_BUILD_H
#define NB_BUILD_H

#include <jansson.h>
#include <stddef.h>

#include "output/pubtag.h"
#include "output/writer.h"
#include "util/diag.h"
#include "util/fs.h"

typedef struct nb_build_opts {
	const char *site_dir;
	const char *as_of;      /* YYYY-MM-DD or NULL for today */
	const char *output;     /* override of the configured output folder */
	int drafts;             /* include drafts */
	int check_only;         /* stop after linking; write nothing */
	/* The publication history shown (history.h): `history` as given
	 * (publish passes its pending publication), else read from
	 * `audit_repo` (NULL: site.yaml audit.repository; a missing one means
	 * no history) up to pub-`publication` (0: all). A `publication`
	 * makes the output that publication's: its pages' meta tag names it,
	 * or the earlier publication that served the page as it is
	 * (pubtag.h), and manifest.sha256 lists the files (sums.h); publish
	 * passes the one it records. */
	const char *audit_repo;
	size_t publication;
	const json_t *history;
	/* The folder to hard-link byte-identical files from (cache.h); NULL:
	 * the output folder itself. publish builds into a side folder and
	 * passes the live one. Used only when it holds the output marker. */
	const char *reuse;
	/* The output folder is not served (publish's side folder): when it
	 * holds an earlier output, update it in place, with no swap. */
	int update_output;
	/* A `publication` after the first keeps the pages the one before it
	 * served unchanged, number and all (pubtag.h): publish passes that
	 * publication here; NULL: read from `audit_repo`'s record. */
	const nb_pubtag_previous *previous;
} nb_build_opts;

typedef struct nb_build_result {
	size_t documents;
	size_t pages;
	size_t files;
	size_t bytes;
	char output[4096];      /* the output folder written */
	/* publish (update_output with reuse): the page memo (memo.h) of the
	 * served folder, for the caller to save once it has served this
	 * output in its place (nb_memo_save), then free; else NULL. */
	struct nb_memo *memo;
	/* A publication's build with update_output (publish's side folder):
	 * the walk of the output that manifest.sha256 was made from, with
	 * manifest.sha256 itself (sums.h nb_sums_write), for the record to
	 * use instead of walking the folder again; else empty. The caller
	 * frees it (nb_fs_files_free), whatever the build returned. */
	nb_fs_files walked;
} nb_build_result;

/* NB_BUILD_MARKER, the file that says noticeboard wrote the output
 * folder, is in writer.h: the render stage keeps it when pruning. */

/* Exit-code classes, shared by every command. */
/* NB_EXIT_GENERATOR: a rebuild differs from a publication another
 * generator made - not proof of anything either way (verify, audit). */
enum { NB_EXIT_OK = 0, NB_EXIT_CONTENT = 1, NB_EXIT_USAGE = 2, NB_EXIT_IO = 3,
       NB_EXIT_GENERATOR = 4 };

/*
 * The previous generation of the output folder `out` (build.c explains
 * it): locked for this process and returned as an open descriptor (close
 * it to let go), or -1 when there is none that is ours and free.
 */
int nb_build_claim_previous(const char *out);

/*
 * Whether `out` may be the output folder of the site `cfg` names: not the
 * site, its parent or one of its own folders, not a file or a symbolic
 * link, and empty or written by noticeboard. An NB_EXIT_* code, the
 * refusal in `d`; a missing parent is made once the output is allowed.
 * publish asks it of the served folder before it records anything, so a
 * refusal reads as build's does.
 */
struct nb_config;
int nb_build_check_output(const struct nb_config *cfg, const char *out, nb_diag *d);

/* Run the pipeline. Returns an NB_EXIT_* code; diagnostics are in `d`. */
int nb_build_run(const nb_build_opts *o, nb_build_result *r, nb_diag *d);

#endif

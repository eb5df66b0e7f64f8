/*
 * cmd_verify.c - `noticeboard verify [DIR] [--publication N]`: is what is
 * served exactly what was published, and is the record itself intact?
 *
 * Four checks, all reported (not just the first failure):
 *   0. The record itself: every object the publications reach is read and
 *      hashed again (audit/check.c); damage names the publication, object
 *      and path. A read the disk fails is an I/O error (exit 3), never
 *      damage or tampering.
 *   1. DIR (default the output folder) against the publication's public/
 *      tree, byte for byte via git blob ids: modified, missing and extra
 *      files. Dot files count: a planted .htaccess is a change; only the
 *      output marker is not part of the site (build.h). When they differ,
 *      what DIR is instead: an earlier publication (the last one recorded
 *      but not served) or nothing recorded (served but unrecorded).
 *   2. The chain: the branch is at the last pub-N and each pub-N is an
 *      ancestor of pub-N+1 (nothing was rewritten), and the manifest lists
 *      exactly the files of public/.
 *   3. Signatures, when a signing key or allowed-signers file is
 *      configured: every publication's commit, checked as git does.
 * Exit 0 only when everything holds; 1 otherwise; 3 for an I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/served.h"
#include "audit/auditor.h"
#include "audit/fetch.h"
#include "audit/rebuild.h"
#include "output/build.h"
#include "cli/cli.h"
#include "util/fs.h"
#include "util/utf8.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] verify [DIR] [--publication N]\n"
	"                   [--rebuild [N] | --rebuild --all] [--audit-repo REPO]\n"
	"                   [--allowed-signers FILE]\n\n"
	"Compares DIR (default: the output folder) with publication N (default:\n"
	"the last) byte for byte and lists modified, missing and extra files;\n"
	"reads every object of every publication back (as git fsck does) and\n"
	"names a damaged one; checks the chain of publications is unbroken and,\n"
	"when a signing key or allowed-signers file is configured, every signature.\n"
	"\n"
	"  --rebuild [N]     also rebuild publication N (default: the last) from its\n"
	"                    recorded sources, as of its recorded date, in a temporary\n"
	"                    folder, and compare the result with its public/\n"
	"  --all             with --rebuild: every publication\n"
	"  --audit-repo REPO read this bare repository (a folder, or an http(s) address\n"
	"                    fetched as `audit` does) instead of the site's; no site\n"
	"                    folder is needed, and DIR is compared only when given\n"
	"  --allowed-signers FILE  check signatures against FILE (default: site.yaml)\n\n"
	"Exit status: 0 only when all is identical and intact, 1 otherwise,\n"
	"3 when the disk could not be read, 4 when the only difference is a rebuild\n"
	"of a publication that another generator made (named in the report).\n";

/* Where a difference was found: the folder (pub 0), or publication
 * `pub` rebuilt; and the language the report speaks. */
typedef struct where {
	const char *lang;
	size_t pub;
} where;

/* A path from the record or the folder, one line whatever it holds: a
 * newline in a file's name must not make a line of the report. */
static char *one_line(const char *path)
{
	nb_buf b = NB_BUF_INIT;
	nb_utf8_put_visible(&b, path, strlen(path), 0);
	return nb_buf_detach(&b);
}

/* One line per file, in the words nb_audit_files_compare uses. */
static void print_diff(void *ud, const char *what, const char *path)
{
	const where *w = ud;
	int missing = !strcmp(what, "missing"), extra = !strcmp(what, "extra");
	char *p = one_line(path);
	if (w->pub)
		nb_cli_print(stdout, w->lang, missing ? "rebuild pub-%zu: missing: %s\n"
			     : extra ? "rebuild pub-%zu: extra: %s\n"
			     : "rebuild pub-%zu: modified: %s\n", w->pub, p);
	else
		nb_cli_print(stdout, w->lang, missing ? "missing: %s\n" : extra ? "extra: %s\n"
			     : "modified: %s\n", p);
	free(p);
}

/* The differences between a publication's public/ (`pub`) and a folder
 * (`here`), both sorted, printed in `lang` when it is not NULL (rebuild.h). */
static size_t compare(const nb_audit_files *pub, const nb_audit_files *here, const char *lang)
{
	where w = { lang, 0 };
	return nb_audit_files_compare(pub, here, lang ? print_diff : NULL, &w);
}

/*
 * The folder is not the publication: say what it is instead. An earlier
 * publication exactly: the last one was recorded but never served (a
 * publish stopped between the two; the next publish serves it). Compared
 * with an earlier one (--publication), any other publication, the last
 * one first: the folder is usually the last. Else what is served was
 * never recorded. Counts as one more problem.
 */
/* Whether commit `c` recorded `here` as its public/, file for file. */
static int serves(nb_audit *a, nb_commit *c, const nb_audit_files *here)
{
	nb_tree *t = NULL;
	nb_audit_files pub = { 0 };
	int same = nb_commit_tree(&t, c) == 0 && nb_audit_tree_files(a, t, "public", &pub) == 0 &&
		   compare(&pub, here, NULL) == 0;
	nb_audit_files_free(&pub);
	nb_tree_free(t);
	return same;
}

static size_t served_which(nb_audit *a, const char *lang, const char *dir,
			   const nb_audit_files *here, size_t want, size_t last)
{
	if (want == last && a->unfinished == last + 1) {
		nb_commit *c = NULL;
		int same = nb_audit_unfinished_commit(a, &c) == 0 && serves(a, c, here);
		nb_commit_free(c);
		if (same) {
			nb_cli_print(stdout, lang, "served but not tagged: %s is publication %zu, "
				     "which is on the branch but has no tag pub-%zu (see above)\n",
				     dir, last + 1, last + 1);
			return 1;
		}
	}
	/* Publications after `want` too: a folder serving pub-3 compared with
	 * pub-1 was called "no publication's output". */
	for (size_t n = last + 1; n-- > 1;) {
		if (n == want)
			continue;
		nb_commit *c = NULL;
		int same = nb_audit_pub_commit(a, n, &c) == 0 && serves(a, c, here);
		nb_commit_free(c);
		if (same) {
			if (want == last)
				nb_cli_print(stdout, lang, "recorded but not served: %s is still "
					     "pub-%zu; pub-%zu was recorded but never served (run "
					     "`noticeboard publish` to serve it)\n", dir, n, want);
			else
				nb_cli_print(stdout, lang, "%s is pub-%zu, not pub-%zu\n", dir, n,
					     want);
			return 1;
		}
	}
	nb_cli_print(stdout, lang, "served but unrecorded: what %s holds is no publication's "
		     "output (run `noticeboard publish` to record and serve the site, or find "
		     "who changed it)\n", dir);
	return 1;
}

/* Rebuild publications from..to (rebuild.h), printing each verdict.
 * Adds to *problems (tampering or a failed build) and *other (another
 * generator made it). 0, or -1 on an I/O error (a->err). */
static int rebuild_range(nb_audit *a, const char *lang, size_t from, size_t to,
			 size_t *problems, size_t *other, size_t *rebuilt)
{
	for (size_t n = from; n <= to; n++) {
		nb_rebuild r;
		if (nb_audit_rebuild(a, n, &r) != 0) {
			nb_rebuild_free(&r);
			if (a->io)
				return -1;
			nb_cli_print(stdout, lang, "rebuild pub-%zu: %s\n", n, a->err);
			(*problems)++;
			continue;
		}
		size_t nd = json_array_size(r.differ);
		if (!r.built) {
			nb_cli_print(stdout, lang, "rebuild pub-%zu: %s\n", n, r.err);
			(*problems)++;
		} else if (nd && r.other_generator) {
			nb_cli_print(stdout, lang, "rebuild pub-%zu: made by another generator (%s; "
				     "this is %s): %zu of its files differ when rebuilt here, which "
				     "says nothing about tampering; rebuild it with %s\n", n,
				     r.recorded, r.running, nd, r.recorded);
			(*other)++;
		} else if (nd) {
			where w = { lang, n };
			for (size_t k = 0; k < nd; k++) {
				json_t *d = json_array_get(r.differ, k);
				print_diff(&w, json_string_value(json_object_get(d, "what")),
					   json_string_value(json_object_get(d, "path")));
			}
			nb_cli_print(stdout, lang, "rebuild pub-%zu: %zu files differ from what its "
				     "recorded sources build (%s made it and rebuilt it)\n", n, nd,
				     r.running);
			*problems += nd;
		} else {
			(*rebuilt)++;
		}
		nb_rebuild_free(&r);
	}
	return 0;
}

/* The manifest must describe public/ exactly. */
static size_t check_manifest(const char *lang, const json_t *m, const nb_audit_files *pub,
			     size_t want)
{
	size_t problems = 0;
	json_t *mf = json_object_get(m, "files");
	for (size_t k = 0; k < pub->len; k++) {
		char hex[NB_OID_HEXSZ + 1];
		nb_oid_tostr(hex, sizeof(hex), &pub->items[k].id);
		const char *h = json_string_value(json_object_get(mf, pub->items[k].path));
		if (!h || strcmp(h, hex)) {
			char *p = one_line(pub->items[k].path);
			nb_cli_print(stdout, lang, "manifest: pub-%zu's manifest.json disagrees "
				     "about %s\n", want, p);
			free(p);
			problems++;
		}
	}
	if (json_object_size(mf) != pub->len) {
		nb_cli_print(stdout, lang, "manifest: pub-%zu's manifest.json lists %zu files, "
			     "public/ has %zu\n", want, json_object_size(mf), pub->len);
		problems++;
	}
	return problems;
}

/* DIR against the publication's public/. Problems, or (size_t)-1 on an
 * I/O error (a->err). */
static size_t check_folder(nb_audit *a, const char *lang, const char *dir,
			   const nb_audit_files *pub, size_t want, size_t last)
{
	nb_audit_files here = { 0 };
	size_t problems = 0;
	if (!nb_fs_is_dir(dir)) {
		nb_cli_print(stdout, lang, "missing: the folder %s\n", dir);
		problems++;
	} else if (nb_audit_hash_dir(a, dir, "", 1, 0, &here) != 0) {
		nb_audit_files_free(&here);
		return (size_t)-1;
	}
	/* The output marker is not part of what is served (build.h); older
	 * publications recorded it, so it is left out on both sides. */
	nb_audit_files_drop(&here, NB_BUILD_MARKER);
	/* Nor is the audit repository's served copy (served.h). */
	nb_audit_served_leave_out(&here);
	nb_audit_files_sort(&here);
	size_t differ = compare(pub, &here, lang);
	problems += differ;
	if (differ && here.len)
		problems += served_which(a, lang, dir, &here, want, last);
	nb_audit_files_free(&here);
	return problems;
}

/*
 * The branch at publication N+1 with no tag pub-N+1: a publish stopped
 * between recording it and tagging it (commit.c). Nothing served is
 * then unaccounted for - serving comes after the tag, so the folder is
 * still pub-N, which the rest of verify compares - and the next publish
 * tags it, so it is a warning, not a problem; unless the site signs and
 * the commit is not signed with its key: publish would refuse to tag it,
 * as noticeboard did not make it, and that is a problem. 0, 1 (problems),
 * or -1 on an I/O error (a->err).
 */
static int check_unfinished(const nb_cli *cli, nb_audit *a, const nb_config *cfg)
{
	char hex[NB_OID_HEXSZ + 1];
	nb_oid_tostr(hex, sizeof(hex), &a->unfinished_id);
	size_t n = a->unfinished;
	nb_diag d;
	nb_diag_init(&d);
	nb_diag_set_language(&d, cfg->language);
	const char *key = cfg->audit_signing_key;
	int rc = 0;
	if (key && nb_audit_signed_with_key(a, &a->unfinished_id, key) != 0) {
		if (a->io) {
			nb_diag_free(&d);
			return -1;
		}
		nb_error(&d, "", 0, 0, "publication-untagged",
			 "find who put it there; restore the branch to the last tagged publication",
			 "the branch ends in commit %.12s, which says it is publication %zu but is "
			 "not signed with this site's key (%s): noticeboard did not make it, and "
			 "`publish` will refuse to tag it", hex, n, a->err);
		rc = 1;
	} else {
		nb_warning(&d, "", 0, 0, "publication-untagged",
			   "run `noticeboard publish`: it tags the publication first",
			   "publication %zu is recorded (commit %.12s) but not tagged pub-%zu: a "
			   "publish stopped between the two; the next `publish` adds the tag, and "
			   "serves it when nothing changed since", n, hex, n);
	}
	nb_cli_report(cli, &d);
	nb_diag_free(&d);
	return rc;
}

typedef struct verify_opts {
	const char *dir, *repo, *allowed;
	size_t want, rebuild;  /* rebuild: 0 no, else the publication; */
	int rebuild_all;
} verify_opts;

static int parse(const nb_cli *cli, verify_opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return -1;
		} else if ((!strcmp(argv[i], "--publication") || !strcmp(argv[i], "-p")) &&
			   i + 1 < argc) {
			o->want = nb_audit_parse_pub(argv[++i]);
			if (!o->want) {
				nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
					     "noticeboard verify: --publication wants N or pub-N\n");
				return NB_EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--rebuild")) {
			o->rebuild = (size_t)-1;  /* the last, unless a number follows */
			if (i + 1 < argc && nb_audit_parse_pub(argv[i + 1]))
				o->rebuild = nb_audit_parse_pub(argv[++i]);
		} else if (!strcmp(argv[i], "--all")) {
			o->rebuild_all = 1;
		} else if (!strcmp(argv[i], "--audit-repo") && i + 1 < argc) {
			o->repo = argv[++i];
		} else if (!strcmp(argv[i], "--allowed-signers") && i + 1 < argc) {
			o->allowed = argv[++i];
		} else if (argv[i][0] != '-' && !o->dir) {
			o->dir = argv[i];
		} else {
			return nb_cli_unknown_arg(cli, "verify", argv[i], usage);
		}
	}
	if (o->rebuild_all && !o->rebuild) {
		nb_cli_print(stderr, nb_cli_usage_language(cli->site_dir),
			     "noticeboard verify: --all goes with --rebuild\n");
		return NB_EXIT_USAGE;
	}
	return 0;
}

int nb_cmd_verify(const nb_cli *cli, int argc, char **argv)
{
	verify_opts o = { 0 };
	int prc = parse(cli, &o, argc, argv);
	if (prc)
		return prc < 0 ? NB_EXIT_OK : prc;
	nb_config cfg;
	nb_audit a;
	int rc = nb_audit_open_any(&a, &cfg, cli->site_dir, o.repo, "verify");
	if (rc)
		return rc;
	const char *lang = nb_cli_language(cfg.language);
	const char *dir = o.dir ? o.dir : o.repo ? NULL : cfg.output_path;
	const char *allowed = o.allowed ? o.allowed : cfg.audit_allowed_signers;
	size_t problems = 0, last = 0, sigs = 0, first_signed = 0, want = o.want;
	size_t other = 0, rebuilt = 0;
	nb_oid tip;
	nb_commit *c = NULL;
	nb_tree *t = NULL;
	json_t *m = NULL;
	nb_audit_files pub = { 0 };
	if (nb_audit_head(&a, 0, &last, &tip) != 0) {
		if (a.io)
			goto io;
		nb_cli_print(stdout, lang, "broken chain: %s\n", a.err);
		problems++;
		/* Still compare with the tag asked for, or the highest one. */
	} else if (a.unfinished) {
		int u = check_unfinished(cli, &a, &cfg);
		if (u < 0)
			goto io;
		problems += (size_t)u;
	}
	/* The record itself: every object the publications reach, read. */
	nb_buf report = NB_BUF_INIT;
	size_t damaged = 0;
	int crc = nb_audit_check_objects(&a, last, &report, &damaged);
	nb_cli_print_lines(lang, nb_buf_cstr(&report));
	nb_buf_free(&report);
	if (crc != 0)
		goto io;
	problems += damaged;
	if (!want)
		want = last;  /* the highest tag, even when the chain is broken */
	if (!want) {
		nb_cli_print(stderr, lang, "noticeboard verify: no publication to compare with\n");
		rc = NB_EXIT_IO;
		goto done;
	}
	if (nb_audit_pub_commit(&a, want, &c) != 0 || nb_commit_tree(&t, c) < 0 ||
	    nb_audit_tree_files(&a, t, "public", &pub) != 0 ||
	    nb_audit_manifest(&a, c, &m) != 0) {
		if (damaged && !a.io) {
			if (dir)
				nb_cli_print(stdout, lang, "cannot compare %s with pub-%zu: its record "
					     "is damaged (above)\n", dir, want);
			else
				nb_cli_print(stdout, lang, "cannot compare it with pub-%zu: its record "
					     "is damaged (above)\n", want);
			problems++;
			goto signatures;
		}
		goto io;
	}
	if (dir) {
		size_t p = check_folder(&a, lang, dir, &pub, want, last);
		if (p == (size_t)-1)
			goto io;
		problems += p;
	}
	problems += check_manifest(lang, m, &pub, want);
	if (o.rebuild) {
		size_t to = o.rebuild == (size_t)-1 ? last : o.rebuild;
		if (to > last) {
			nb_cli_print(stdout, lang, "rebuild: there is no publication %zu (the last is "
				     "%zu)\n", to, last);
			problems++;
		} else if (rebuild_range(&a, lang, o.rebuild_all ? 1 : to, to, &problems, &other,
					 &rebuilt) != 0) {
			goto io;
		}
	}
signatures:
	if (cfg.audit_signing_key || allowed) {
		if (!allowed) {
			nb_cli_print(stdout, lang, "signatures: set audit.allowed_signers in site.yaml "
				     "to check them\n");
			problems++;
		} else {
			int io = 0;
			nb_buf sr = NB_BUF_INIT;
			problems += nb_audit_check_signatures(&a, allowed, last, &sr, &sigs,
							      &first_signed, &io);
			nb_cli_print_lines(lang, nb_buf_cstr(&sr));
			nb_buf_free(&sr);
			if (io)
				goto io;
		}
	}
	if (!problems && !other && !cli->quiet) {
		/* In pieces, each a sentence of the catalog's. */
		if (dir)
			nb_cli_print(stdout, lang, "verified: %s is identical to pub-%zu (%zu files); "
				     "chain of %zu publications unbroken", dir, want, pub.len, last);
		else
			nb_cli_print(stdout, lang, "verified: pub-%zu (%zu files) intact; chain of "
				     "%zu publications unbroken", want, pub.len, last);
		if (rebuilt)
			nb_cli_print(stdout, lang, "; %zu rebuilt byte for byte from their recorded "
				     "sources", rebuilt);
		if (sigs)
			nb_cli_print(stdout, lang, "; %zu signatures good", sigs);
		if (sigs && first_signed > 1)
			nb_cli_print(stdout, lang, " (signed from pub-%zu on; pub-1 to pub-%zu were "
				     "published before signing began)", first_signed,
				     first_signed - 1);
		printf("\n");
	} else if (problems && dir) {
		nb_cli_print(stdout, lang, "%zu problems found comparing %s with pub-%zu\n",
			     problems, dir, want);
	} else if (problems) {
		nb_cli_print(stdout, lang, "%zu problems found comparing the record with pub-%zu\n",
			     problems, want);
	} else if (other) {
		nb_cli_print(stdout, lang, "%zu publications were made by another generator and "
			     "could not be reproduced here; nothing else differs\n", other);
	}
	rc = problems ? NB_EXIT_CONTENT : other ? NB_EXIT_GENERATOR : NB_EXIT_OK;
	goto done;
io:
	nb_audit_say(&cfg, "noticeboard verify: ", a.err);
	rc = NB_EXIT_IO;
done:
	json_decref(m);
	nb_audit_files_free(&pub);
	nb_tree_free(t);
	nb_commit_free(c);
	nb_audit_close(&a);
	nb_config_free(&cfg);
	return rc;
}

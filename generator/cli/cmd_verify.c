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
#include "output/build.h"
#include "cli/cli.h"
#include "util/fs.h"

static const char usage[] =
	"usage: noticeboard [-s SITE_DIR] verify [DIR] [--publication N]\n\n"
	"Compares DIR (default: the output folder) with publication N (default:\n"
	"the last) byte for byte and lists modified, missing and extra files;\n"
	"reads every object of every publication back (as git fsck does) and\n"
	"names a damaged one; checks the chain of publications is unbroken and,\n"
	"when a signing key or allowed-signers file is configured, every signature.\n"
	"Exit status: 0 only when all is identical and intact, 1 otherwise,\n"
	"3 when the disk could not be read.\n";

/* The differences between a publication's public/ (`pub`) and a folder
 * (`here`), both sorted, printed when `print`. The output marker is not
 * served content (build.h); older publications recorded it. */
static size_t compare(const nb_audit_files *pub, const nb_audit_files *here, int print)
{
	size_t i = 0, j = 0, n = 0;
	while (i < pub->len || j < here->len) {
		if (i < pub->len && !strcmp(pub->items[i].path, NB_BUILD_MARKER)) {
			i++;
			continue;
		}
		int cmp = i >= pub->len ? 1 : j >= here->len ? -1
				: strcmp(pub->items[i].path, here->items[j].path);
		const char *what = cmp < 0 ? "missing" : cmp > 0 ? "extra"
				   : git_oid_equal(&pub->items[i].id, &here->items[j].id) ? NULL
				   : "modified";
		if (what && print)
			printf("%s: %s\n", what, cmp < 0 ? pub->items[i].path : here->items[j].path);
		n += what != NULL;
		i += cmp <= 0;
		j += cmp >= 0;
	}
	return n;
}

/*
 * The folder is not the publication: say what it is instead. An earlier
 * publication exactly: the last one was recorded but never served (a
 * publish stopped between the two; the next publish serves it). Else
 * what is served was never recorded. Counts as one more problem.
 */
static size_t served_which(nb_audit *a, const char *dir, const nb_audit_files *here,
			   size_t want, size_t last)
{
	for (size_t n = want; n-- > 1;) {
		git_commit *c = NULL;
		git_tree *t = NULL;
		nb_audit_files old = { 0 };
		int same = nb_audit_pub_commit(a, n, &c) == 0 && git_commit_tree(&t, c) == 0 &&
			   nb_audit_tree_files(a, t, "public", &old) == 0 &&
			   compare(&old, here, 0) == 0;
		nb_audit_files_free(&old);
		git_tree_free(t);
		git_commit_free(c);
		if (same) {
			if (want == last)
				printf("recorded but not served: %s is still pub-%zu; pub-%zu was recorded "
				       "but never served (run `noticeboard publish` to serve it)\n",
				       dir, n, want);
			else
				printf("%s is pub-%zu, not pub-%zu\n", dir, n, want);
			return 1;
		}
	}
	printf("served but unrecorded: what %s holds is no publication's output "
	       "(run `noticeboard publish` to record and serve the site, or find who changed it)\n",
	       dir);
	return 1;
}

/*
 * Every publication's commit and tag signature (audit/sign.c). From the
 * first signed one on each must be signed and good; earlier ones were
 * published before signing began and are not failures. Returns the
 * problems (printed); *good counts good signatures, *first the first
 * publication whose commit is signed; *io set (a->err) on an I/O error.
 */
static size_t check_signatures(nb_audit *a, const char *allowed, size_t last, size_t *good,
			       size_t *first, int *io)
{
	static const char *const kinds[2] = { "commit", "tag" };
	size_t problems = 0, begun[2] = { 0, 0 };
	for (size_t n = 1; n <= last && !*io; n++) {
		git_commit *pc = NULL;
		if (nb_audit_pub_commit(a, n, &pc) != 0) {
			if (a->io) {
				*io = 1;
				break;
			}
			printf("signature pub-%zu: %s\n", n, a->err);
			problems++;
			continue;
		}
		git_oid ids[2] = { *git_commit_id(pc) };
		git_commit_free(pc);
		char ref[64];
		snprintf(ref, sizeof(ref), "refs/tags/pub-%zu", n);
		int have_tag = git_reference_name_to_id(&ids[1], a->repo, ref) == 0 &&
			       !git_oid_equal(&ids[1], &ids[0]);
		for (int k = 0; k < 2 && !*io; k++) {
			if (k == 1 && !have_tag)
				break;
			char who[256];
			int r = k ? nb_audit_verify_tag_signature(a, &ids[k], allowed, who, sizeof(who))
				  : nb_audit_verify_signature(a, &ids[k], allowed, who, sizeof(who));
			if (r == 0) {
				(*good)++;
				if (!begun[k])
					begun[k] = n;
			} else if (a->io) {
				*io = 1;
			} else if (r != GIT_ENOTFOUND || begun[k]) {
				if (r == GIT_ENOTFOUND)
					printf("signature pub-%zu: its %s is not signed, but publications "
					       "are signed from pub-%zu on\n", n, kinds[k], begun[k]);
				else
					printf("signature pub-%zu (%s): %s\n", n, kinds[k], a->err);
				problems++;
				if (!begun[k])
					begun[k] = n;
			}
		}
	}
	*first = begun[0];
	return problems;
}

int nb_cmd_verify(const nb_cli *cli, int argc, char **argv)
{
	const char *dir = NULL;
	size_t want = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return NB_EXIT_OK;
		} else if ((!strcmp(argv[i], "--publication") || !strcmp(argv[i], "-p")) &&
			   i + 1 < argc) {
			want = nb_audit_parse_pub(argv[++i]);
			if (!want) {
				fprintf(stderr, "noticeboard verify: --publication wants N or pub-N\n");
				return NB_EXIT_USAGE;
			}
		} else if (argv[i][0] != '-' && !dir) {
			dir = argv[i];
		} else {
			fprintf(stderr, "noticeboard verify: unknown argument `%s`\n\n%s", argv[i], usage);
			return NB_EXIT_USAGE;
		}
	}
	nb_config cfg;
	nb_audit a;
	int rc = nb_audit_open_site(&a, &cfg, cli->site_dir, "verify");
	if (rc)
		return rc;
	if (!dir)
		dir = cfg.output_path;
	size_t problems = 0, last = 0, sigs = 0, first_signed = 0;
	git_oid tip;
	git_commit *c = NULL;
	git_tree *t = NULL;
	json_t *m = NULL;
	nb_audit_files pub = { 0 }, here = { 0 };
	if (nb_audit_head(&a, 0, &last, &tip) != 0) {
		if (a.io) {
			fprintf(stderr, "noticeboard verify: %s\n", a.err);
			rc = NB_EXIT_IO;
			goto done;
		}
		printf("broken chain: %s\n", a.err);
		problems++;
		/* Still compare with the tag asked for, or the highest one. */
	}
	/* The record itself: every object the publications reach, read. */
	nb_buf report = NB_BUF_INIT;
	size_t damaged = 0;
	int crc = nb_audit_check_objects(&a, last, &report, &damaged);
	fputs(nb_buf_cstr(&report), stdout);
	nb_buf_free(&report);
	if (crc != 0) {
		fprintf(stderr, "noticeboard verify: %s\n", a.err);
		rc = NB_EXIT_IO;
		goto done;
	}
	problems += damaged;
	if (!want)
		want = last;  /* the highest tag, even when the chain is broken */
	if (!want) {
		fprintf(stderr, "noticeboard verify: no publication to compare with\n");
		rc = NB_EXIT_IO;
		goto done;
	}
	if (nb_audit_pub_commit(&a, want, &c) != 0 || git_commit_tree(&t, c) < 0 ||
	    nb_audit_tree_files(&a, t, "public", &pub) != 0 ||
	    nb_audit_manifest(&a, c, &m) != 0) {
		if (damaged && !a.io) {
			printf("cannot compare %s with pub-%zu: its record is damaged (above)\n",
			       dir, want);
			problems++;
			goto signatures;
		}
		fprintf(stderr, "noticeboard verify: %s\n", a.err);
		rc = NB_EXIT_IO;
		goto done;
	}
	if (!nb_fs_is_dir(dir)) {
		printf("missing: the folder %s\n", dir);
		problems++;
	} else if (nb_audit_hash_dir(&a, dir, "", 1, 0, &here) != 0) {
		fprintf(stderr, "noticeboard verify: %s\n", a.err);
		rc = NB_EXIT_IO;
		goto done;
	}
	/* The output marker is not part of what is served (build.h); older
	 * publications recorded it, so it is left out on both sides. */
	nb_audit_files_drop(&here, NB_BUILD_MARKER);
	nb_audit_files_sort(&here);
	size_t differ = compare(&pub, &here, 1);
	problems += differ;
	if (differ && here.len)
		problems += served_which(&a, dir, &here, want, last);
	/* The manifest must describe public/ exactly. */
	json_t *mf = json_object_get(m, "files");
	size_t listed = json_object_size(mf);
	for (size_t k = 0; k < pub.len; k++) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &pub.items[k].id);
		const char *h = json_string_value(json_object_get(mf, pub.items[k].path));
		if (!h || strcmp(h, hex)) {
			printf("manifest: pub-%zu's manifest.json disagrees about %s\n", want,
			       pub.items[k].path);
			problems++;
		}
	}
	if (listed != pub.len) {
		printf("manifest: pub-%zu's manifest.json lists %zu files, public/ has %zu\n",
		       want, listed, pub.len);
		problems++;
	}
signatures:
	/* Signatures. */
	if (cfg.audit_signing_key || cfg.audit_allowed_signers) {
		if (!cfg.audit_allowed_signers) {
			printf("signatures: set audit.allowed_signers in site.yaml to check them\n");
			problems++;
		} else {
			int io = 0;
			problems += check_signatures(&a, cfg.audit_allowed_signers, last, &sigs,
						     &first_signed, &io);
			if (io) {
				fprintf(stderr, "noticeboard verify: %s\n", a.err);
				rc = NB_EXIT_IO;
				goto done;
			}
		}
	}
	if (!problems && !cli->quiet) {
		printf("verified: %s is identical to pub-%zu (%zu files); chain of %zu publications "
		       "unbroken", dir, want, pub.len, last);
		if (sigs)
			printf("; %zu signatures good", sigs);
		if (sigs && first_signed > 1)
			printf(" (signed from pub-%zu on; pub-1 to pub-%zu were published before "
			       "signing began)", first_signed, first_signed - 1);
		printf("\n");
	} else if (problems) {
		printf("%zu problems found comparing %s with pub-%zu\n", problems, dir, want);
	}
	rc = problems ? NB_EXIT_CONTENT : NB_EXIT_OK;
done:
	json_decref(m);
	nb_audit_files_free(&pub);
	nb_audit_files_free(&here);
	git_tree_free(t);
	git_commit_free(c);
	nb_audit_close(&a);
	nb_config_free(&cfg);
	return rc;
}

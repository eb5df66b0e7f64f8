/*
 * publish_fixture.h - a real site published with nb_publish_run, for the
 * tests of what publish records and of rebuilding it (test_publish.c,
 * test_rebuild.c).
 *
 * The site is fixture_site.h's (English, eleven documents) written into
 * <dir>/site, with its defaults: the record in site/audit.git, the output
 * in site/public. A publication is rewritten the way someone with write
 * access to the record would (pubsite_rewrite): git plumbing on a copy of
 * its tree, committed with the same author, dates and message, pub-N and
 * the branch moved to it, so that only what the edit changed differs.
 */
#ifndef NB_TEST_PUBLISH_FIXTURE_H
#define NB_TEST_PUBLISH_FIXTURE_H

#include "audit/publish.h"
#include "fixture_site.h"
#include "objects_fixture.h"
#include "output/build.h"

typedef struct pubsite {
	fixture f;         /* only f.dir: <dir>/site, where fixture_write puts the files */
	char dir[64];
	char *site, *repo, *out;
	nb_config cfg;
	chain git;         /* only git.repo, for chain_fixture.h's git helpers */
	int ok;
} pubsite;

/* Write the site; 0 when site.yaml loads. */
static inline int pubsite_open(pubsite *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->dir, sizeof(p->dir), "/tmp/nb-test-publish.XXXXXX");
	if (!mkdtemp(p->dir))
		return -1;
	p->site = nb_path_join(p->dir, "site");
	p->repo = nb_path_join(p->site, "audit.git");
	p->out = nb_path_join(p->site, "public");
	p->git.repo = p->repo;
	snprintf(p->f.dir, sizeof(p->f.dir), "%s", p->site);
	fixture_write(&p->f, fixture_files, sizeof(fixture_files) / sizeof(fixture_files[0]));
	nb_diag d;
	nb_diag_init(&d);
	p->ok = nb_config_load(&p->cfg, p->site, &d) == 0;
	nb_diag_free(&d);
	return p->ok ? 0 : -1;
}

static inline void pubsite_close(pubsite *p)
{
	if (p->ok)
		nb_config_free(&p->cfg);
	nb_fs_rmtree(p->dir);
	free(p->site);
	free(p->repo);
	free(p->out);
}

/* Write `text` to <site>/<rel>. 0 or -1. */
static inline int pubsite_put(pubsite *p, const char *rel, const char *text)
{
	return obj_put(p->site, rel, text, strlen(text));
}

/* `noticeboard publish --as-of DATE -q` on the site; its exit code. */
static inline int pubsite_publish(pubsite *p, const char *as_of)
{
	nb_publish_opts po = { .message = "test", .as = "Test <t@example.org>",
			       .as_of = as_of, .quiet = 1 };
	return nb_publish_run(&p->cfg, &po);
}

/* Open the record into `a` (for reading; close with nb_audit_close). */
static inline int pubsite_audit(pubsite *p, nb_audit *a)
{
	return nb_audit_open(a, &p->cfg, 0);
}

/*
 * Rewrite publication `n` (the last, or any when `move_branch` is 0):
 * `edits` is shell run with GIT_DIR the record and an index holding pub-n's
 * tree ($N is n), e.g. `git update-index --cacheinfo 100644,$(echo x |
 * git hash-object -w --stdin),public/index.html`. 0 when git did it all.
 */
static inline int pubsite_rewrite(pubsite *p, size_t n, int move_branch, const char *edits)
{
	char parent[64] = "";
	if (n > 1)
		snprintf(parent, sizeof(parent), "-p pub-%zu^{commit}", n - 1);
	return chain_sh(
		"set -e; export GIT_DIR='%s' GIT_INDEX_FILE='%s/index' GIT_WORK_TREE='%s/wt'; "
		"N=%zu; mkdir -p \"$GIT_WORK_TREE\"; rm -f \"$GIT_INDEX_FILE\"; "
		"git read-tree \"pub-$N^{commit}\"; %s; t=$(git write-tree); "
		"eval \"$(git log -1 --date=raw --format=\"export GIT_AUTHOR_NAME='%%an' "
		"GIT_AUTHOR_EMAIL='%%ae' GIT_AUTHOR_DATE='%%ad' GIT_COMMITTER_NAME='%%cn' "
		"GIT_COMMITTER_EMAIL='%%ce' GIT_COMMITTER_DATE='%%cd'\" \"pub-$N^{commit}\")\"; "
		"git cat-file commit \"pub-$N^{commit}\" | sed '1,/^$/d' > '%s/msg'; "
		"c=$(git commit-tree $t %s -F '%s/msg'); "
		"git tag -f -a \"pub-$N\" -m \"pub-$N\" $c; %s",
		p->repo, p->dir, p->dir, n, edits, p->dir, parent, p->dir,
		move_branch ? "git update-ref refs/heads/publications $c" : "true");
}

/* Every object of the record loose (publish packs a publication of 100
 * objects or more), so that chain_drop can remove one. 0 or -1. */
static inline int pubsite_loose(pubsite *p)
{
	return chain_sh("set -e; cd '%s/objects/pack'; for f in *.pack; do mv \"$f\" '%s/'; "
			"rm \"${f%%.pack}.idx\"; git --git-dir='%s' unpack-objects -q < '%s'/\"$f\"; "
			"done", p->repo, p->dir, p->repo, p->dir);
}

#endif

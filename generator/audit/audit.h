/*
 * audit.h - the publication record: a bare git repository holding one
 * commit per publication.
 *
 * Each publication is a commit on one branch (audit.branch, default
 * `publications`) tagged `pub-N`, whose tree is
 *
 *   site/          the published sources: site.yaml, content/ minus drafts,
 *                  themes/ and static/ when the site has them
 *   public/        the exact output that was served
 *   manifest.json  every output file and document with its git blob id,
 *                  the as-of date, the program version and identity
 *                  (output/identity.h), and for each
 *                  document the publication it first appeared in
 *
 * Plain git is enough to audit it: blob ids are git's own hashes, so
 * `git ls-tree`/`git hash-object` check the manifest without this program.
 *
 * Commands use these functions in the libgit2 style: each returns 0 or a
 * negative error code, results go to out-parameters, and a readable
 * message for the user is left in `a->err`.
 *
 * This header does not include git2.h: only audit/ uses libgit2, so the
 * rest of the program sees object ids as nb_oid (git's 20 bytes, its own
 * type) and commits, trees and signatures as opaque handles read through
 * the functions below. A change of libgit2 (or of git's hash) stays in
 * audit/.
 */
#ifndef NB_AUDIT_H
#define NB_AUDIT_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/fs.h"
#include "config/config.h"

/* An object id: the 20 bytes of git's SHA-1. */
enum { NB_OID_RAWSZ = 20, NB_OID_HEXSZ = 40 };
typedef struct nb_oid {
	unsigned char id[NB_OID_RAWSZ];
} nb_oid;

/* Hex, NUL-terminated, cut to n - 1 characters (as git_oid_tostr). */
char *nb_oid_tostr(char *out, size_t n, const nb_oid *id);
/* Exactly 40 hex digits. 0 or -1. */
int nb_oid_fromstr(nb_oid *out, const char *hex);
int nb_oid_equal(const nb_oid *a, const nb_oid *b);

/*
 * A publication's documents (docs.c): for each, its content/ path, id,
 * source blob id and the publication it first appeared in (0 while not
 * known), sorted by path once nb_audit_docs_sort ran. manifest.json holds
 * the same as its "documents" object. Strings live in `text`.
 */
typedef struct nb_audit_doc {
	size_t path, id;  /* offsets into the map's text */
	nb_oid hash;
	size_t first;
} nb_audit_doc;

typedef struct nb_audit_docs {
	nb_audit_doc *items;
	size_t len, cap;
	nb_buf text;
} nb_audit_docs;

static inline const char *nb_audit_doc_path(const nb_audit_docs *m, const nb_audit_doc *d)
{
	return m->text.ptr + d->path;
}

static inline const char *nb_audit_doc_id(const nb_audit_docs *m, const nb_audit_doc *d)
{
	return m->text.ptr + d->id;
}

/* Add a document (a path or id that is not UTF-8 is left out, as the
 * manifest leaves it out); sort before finding or comparing. */
void nb_audit_docs_add(nb_audit_docs *m, const char *path, const char *id, const nb_oid *hash,
		       size_t first);
void nb_audit_docs_sort(nb_audit_docs *m);
/* The document at `path`, or NULL; O(log n). `m` may be NULL. */
const nb_audit_doc *nb_audit_docs_find(const nb_audit_docs *m, const char *path);
void nb_audit_docs_free(nb_audit_docs *m);
/* A manifest's "documents" object, sorted. 0, or -1 with the reason in
 * `err` (an entry without a string id, a 40-hex hash, or a whole first
 * publication). */
int nb_audit_docs_from_json(nb_audit_docs *out, const json_t *docs, char *err, size_t errsz);
/* The map as the manifest's "documents" object (a new reference). */
json_t *nb_audit_docs_json(const nb_audit_docs *m);
/* Counts of documents added, changed (another blob) and removed from
 * `old` to `now`, both sorted; either may be NULL. O(n + m). */
void nb_audit_docs_changes(const nb_audit_docs *old, const nb_audit_docs *now, size_t *added,
			   size_t *changed, size_t *removed);

/* libgit2's "not found" (GIT_ENOTFOUND), as these functions return it. */
#define NB_AUDIT_ENOTFOUND (-3)

/* A publication's commit, a tree, a signature: opaque, owned by the caller
 * that got them, freed with their _free function. */
typedef struct git_commit nb_commit;
typedef struct git_tree nb_tree;
typedef struct git_signature nb_signature;

/* A time as git records it: seconds since the epoch and the offset of
 * the recorder's zone in minutes. */
typedef struct nb_time {
	long long time;
	int offset;
} nb_time;

/* The author of a commit; the strings live as long as the commit. */
typedef struct nb_person {
	const char *name, *email;
	nb_time when;
} nb_person;

void nb_commit_free(nb_commit *c);
const nb_oid *nb_commit_id(const nb_commit *c);
const char *nb_commit_message(const nb_commit *c);
/* The message's first paragraph on one line; NULL when out of memory. */
const char *nb_commit_summary(nb_commit *c);
nb_person nb_commit_author(const nb_commit *c);
/* The commit's root tree. 0 or a negative error code. */
int nb_commit_tree(nb_tree **out, const nb_commit *c);
void nb_tree_free(nb_tree *t);
/* The id of entry `name` of a tree (not below it); NULL when absent. */
const nb_oid *nb_tree_entry_id(const nb_tree *t, const char *name);
/* Who a signature names, and when; the strings live as long as it does. */
nb_person nb_signature_person(const nb_signature *s);
void nb_signature_free(nb_signature *s);

typedef struct nb_audit_pack nb_audit_pack;

typedef struct nb_audit {
	struct git_repository *repo;
	struct git_odb *odb;
	nb_audit_pack *pack; /* the publication's pack while one is open (owned by odb) */
	char *path;          /* the bare repository's folder */
	char *refname;       /* "refs/heads/<branch>" */
	const nb_config *cfg;
	int lock_fd;         /* -1 when not locked */
	int io;              /* the last error was the operating system's (exit 3) */
	/* The last error was a refusal: of the record's state (a history
	 * rewritten by someone else, a lock another publish holds) or of the
	 * site's settings, not a failure to read or write (publish exits 1). */
	int refused;
	int created;         /* this open made the repository (nb_audit_discard_new) */
	/* Why audit.signing_key could not sign (NB_KEY_*, 0 when it could):
	 * a setting the publisher fixes (publish exits 1), or ssh-keygen
	 * itself failing (NB_KEY_TOOL_FAILED, exit 3), a->err holding
	 * ssh-keygen's own words when it said any. */
	int key_refused;
	/* For NB_KEY_TOOL_FAILED: what ran (the program as found on PATH,
	 * its arguments up to the key) and how it ended: its exit status, or
	 * 256 + the signal that ended it. */
	char key_ran[1024];
	int key_status;
	char err[1024];      /* the last error, for the user */
	/* Set by nb_audit_head without repair: N+1 when the branch is at a
	 * commit that says it is publication N+1, on pub-N, but has no tag
	 * (a publish stopped between the two, which the next one finishes);
	 * else 0. Its commit id. */
	size_t unfinished;
	nb_oid unfinished_id;
} nb_audit;

/* One file of a snapshot: a path (relative to the snapshot's root) and its
 * git blob id. */
typedef struct nb_audit_file {
	char *path;
	nb_oid id;
} nb_audit_file;

typedef struct nb_audit_files {
	nb_audit_file *items;
	size_t len, cap;
} nb_audit_files;

void nb_audit_files_free(nb_audit_files *f);

/* Leave a message for the user in a->err (not an I/O error). */
void nb_audit_set_err(nb_audit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for a refusal (a->refused). */
void nb_audit_refuse(nb_audit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Print `text` (an English message: a->err, or a line quoting it) as one
 * line of stderr after `prefix` ("noticeboard publish: "), in the
 * language of the site `cfg` describes, as diagnostics are printed
 * (util/diag.h: $NB_LANG first, zh-CN when `cfg` is NULL or names none):
 * a secretary publishing a Chinese site reads why in Chinese. What it
 * quotes from a repository or a file is made visible (util/utf8.h).
 */
void nb_audit_say(const nb_config *cfg, const char *prefix, const char *text);
/* Append a copy of `path` with its id. */
void nb_audit_files_push(nb_audit_files *f, const char *path, const nb_oid *id);
/* Remove `path` from a list (sorted or not) when it is there. */
void nb_audit_files_drop(nb_audit_files *f, const char *path);
/* Index of `path` in a list sorted by path, or -1. */
long nb_audit_files_find(const nb_audit_files *f, const char *path);

/*
 * Open the configured repository; with `create`, make it (bare) when
 * missing. Returns 0, NB_AUDIT_ENOTFOUND when it does not exist and `create`
 * is 0, or -1. Refuses a repository inside the served output folder.
 * Calls git_libgit2_init(); nb_audit_close() shuts it down.
 */
int nb_audit_open(nb_audit *a, const nb_config *cfg, int create);
void nb_audit_close(nb_audit *a);
/* Remove the repository when this open made it (a->created), holds the
 * lock, and nothing names anything in it (no ref): a first publish that
 * was refused or failed leaves no record that is no record. Renamed
 * aside first, so that it disappears at once. 1 when removed. */
int nb_audit_discard_new(nb_audit *a);

/*
 * For the reading commands: load site.yaml into `cfg` (printing its
 * errors to stderr) and open the repository. Returns an NB_EXIT_* code
 * (message printed, prefixed with `cmd`); on 0 the caller closes both.
 */
int nb_audit_open_site(nb_audit *a, nb_config *cfg, const char *site_dir,
		       const char *cmd);

/*
 * Take the publication lock (<repo>/noticeboard.lock, held with flock so
 * a killed holder never leaves it stuck; it names the holder's pid).
 * Waits up to `wait_secs` seconds. Returns 0, -1 with a message naming
 * the holder (a->refused) or the reason it could not be taken, or
 * NB_AUDIT_LOCK_GONE when the repository was removed or replaced while
 * waiting (a refused first publish removes the one it made): open it
 * again.
 */
#define NB_AUDIT_LOCK_GONE (-2)
int nb_audit_lock(nb_audit *a, int wait_secs);
void nb_audit_unlock(nb_audit *a);

/*
 * One pack per publication. After nb_audit_pack_begin(), every object
 * written through this handle - by these functions and by libgit2 (tree
 * builder, commit, tag) - goes into one new pack file instead of a loose
 * file each, and reads find it there at once. nb_audit_pack_end() makes
 * them durable before anything may refer to them: a pack and its index
 * complete under their final names - or, for fewer than 100 objects
 * (git's own unpack limit) of under 64 MB, which are held in memory until
 * then, loose objects, as git itself unpacks small fetches, when the site
 * serves no copy of its record (a served copy is packs, so a served
 * site's small publication is a pack as well: served.h).
 * nb_audit_commit() ends the pack itself before it moves the branch. A
 * handle closed without the end leaves nothing behind; a killed process
 * may leave temporary files, which the next
 * begin removes (under the lock, which the caller must hold). 0 or -1.
 */
int nb_audit_pack_begin(nb_audit *a);
int nb_audit_pack_end(nb_audit *a);

/*
 * The last publication: its number (*last, 0 when none) and commit id.
 * Checks the history is intact: the branch tip is `pub-<last>`, the only
 * parent of pub-N+1 is pub-N, and pub-1 has none. With `repair` (under
 * the lock), a publish that was killed between moving the branch and
 * tagging is completed by creating the missing tag; without, that state
 * is left as it is and noted in a->unfinished. Returns 0 or -1 (history broken
 * or rewritten: the message says how; *last is then still the highest
 * pub-N tag, so `verify` can report and go on).
 */
int nb_audit_head(nb_audit *a, int repair, size_t *last, nb_oid *tip);

/* The commit of a->unfinished (see nb_audit), which has no tag. 0 or -1. */
int nb_audit_unfinished_commit(nb_audit *a, nb_commit **out);

/*
 * Read back every object publications 1..last reach (tag, commit, trees,
 * blobs), hashing each again, as `git fsck` does for them. Each damaged
 * object is a line in `report` ("publication N is damaged: object X
 * (path) is missing|corrupt"), counted in *damaged. Returns 0, or -1 when
 * an I/O error stopped it (a->err says which object; a->io set): a
 * failing disk is never reported as damage.
 */
int nb_audit_check_objects(nb_audit *a, size_t last, nb_buf *report, size_t *damaged);

/* The commit of publication `n` (peeling the tag). 0 or -1. */
int nb_audit_pub_commit(nb_audit *a, size_t n, nb_commit **out);

/* The object refs/tags/pub-n names (its tag object). 0,
 * NB_AUDIT_ENOTFOUND or -1 (a->err). */
int nb_audit_tag_id(nb_audit *a, size_t n, nb_oid *out);

/*
 * Hash every regular file below `dir` (including dot files when
 * `dotfiles`), writing missing blobs when `write`. Paths are relative to
 * dir, prefixed with `prefix` (may be ""), appended to `out` unsorted.
 */
int nb_audit_hash_dir(nb_audit *a, const char *dir, const char *prefix,
		      int dotfiles, int write, nb_audit_files *out);

/*
 * The same, remembering ids by inode in the file `cache` (NULL: none). A
 * re-publish hard-links unchanged output files from the served folder
 * (cache.h), so most of its files are the very inodes the last publish
 * hashed; a file whose device, inode, size and modification time (ns)
 * match the record keeps its id without being read. Such an id is not
 * checked against the object database here: nb_audit_tree_write() checks
 * the ones the last publication does not already hold, and writes a
 * missing one from the file. A file is only recorded when its time is
 * older than the file system's own clock before the hashing (a file
 * touched then, as git's index is used against racy writes): a write in
 * the same clock tick could leave the time unchanged. The cache is
 * rewritten with this folder's files; losing it only costs the next
 * publish its shortcut. `leave_out` (a path relative to `dir`, or NULL)
 * is neither listed, hashed nor written: the output folder's marker,
 * which is not part of the site, was written as a blob nothing refers to.
 */
int nb_audit_hash_dir_cached(nb_audit *a, const char *dir, const char *prefix,
			     int dotfiles, int write, nb_audit_files *out, const char *cache,
			     const char *leave_out);

/* The same for the files `walked` already found below `dir` (fs.h
 * nb_fs_walk_stat, plain flavour; with their stats, which the record is
 * matched by): a publish's build walks its output once, for
 * manifest.sha256 and for this (sums.h nb_sums_write). */
int nb_audit_hash_walked_cached(nb_audit *a, const char *dir, const char *prefix,
				const nb_fs_files *walked, int write, nb_audit_files *out,
				const char *cache, const char *leave_out);

/*
 * The published sources of a site, as `site/...` paths: site.yaml,
 * content/ without drafts, themes/ and static/. `docs` (optional) receives
 * each document (its first publication left 0), sorted.
 */
int nb_audit_hash_sources(nb_audit *a, const nb_config *cfg, int write,
			  nb_audit_files *out, nb_audit_docs *docs);

/*
 * The same with a record by inode in the file `cache` (NULL: none), as
 * for nb_audit_hash_dir_cached, that also keeps what the front matter
 * said (draft, id): an unchanged document is neither read nor parsed.
 * The record is only trusted by the same program for the same site.yaml.
 */
int nb_audit_hash_sources_cached(nb_audit *a, const nb_config *cfg, int write,
				 nb_audit_files *out, nb_audit_docs *docs, const char *cache);

/* Sort a list by path (bytewise, as git orders a flat path list). */
void nb_audit_files_sort(nb_audit_files *f);

/*
 * Trees in two steps, so that a re-publish costs what changed:
 *
 * nb_audit_tree_hash() computes every folder's tree id from a sorted list,
 * in memory, writing nothing (so it also answers "is this the tree we
 * recorded?"). nb_audit_tree_write() then makes the object database hold
 * the whole tree (`name` NULL) or one top-level folder of it, walking it
 * from the top against `old` (the previous publication's root tree, or
 * NULL): a folder whose id equals the old one at the same path is
 * complete already and skipped without a look; in the others only
 * entries that differ from the old ones are checked, a blob missing from
 * the database is written from its file (found through `roots`:
 * {"public/", dir} pairs, a NULL prefix ends the array), and a tree is
 * written when the database lacks it. `files` must outlive `t`.
 */
typedef struct nb_audit_tree nb_audit_tree;

typedef struct nb_audit_root {
	const char *prefix;  /* "public/": paths in the list that start so */
	const char *dir;     /* live below this folder */
} nb_audit_root;

int nb_audit_tree_hash(nb_audit *a, const nb_audit_files *files, nb_audit_tree **out);
/* The root's id (`name` NULL) or a top-level folder's; NB_AUDIT_ENOTFOUND. */
int nb_audit_tree_id(const nb_audit_tree *t, const char *name, nb_oid *out);
int nb_audit_tree_write(nb_audit *a, const nb_audit_tree *t, const char *name,
			const nb_tree *old, const nb_audit_root *roots);
void nb_audit_tree_free(nb_audit_tree *t);

/* Write the tree for a sorted list of files whose blobs are all written. */
int nb_audit_write_tree(nb_audit *a, const nb_audit_files *files, nb_oid *out);

/*
 * manifest.json's text: exactly what json_dumps(JSON_INDENT(1) |
 * JSON_SORT_KEYS | JSON_ENSURE_ASCII) writes, plus a newline, for
 * {"as_of", "documents": docs, "files": path -> blob id of `files` with
 * `skip` leading bytes dropped, "generator": `generator` (left out when
 * NULL; output/identity.h), "noticeboard": NB_VERSION, "publication"}
 * - without building 20,000 JSON values and sorting them again. Paths
 * jansson would refuse (not UTF-8) are left out as it leaves them out.
 * Returns -1 (out unchanged) when as_of is refused (not UTF-8) or docs is
 * NULL.
 */
int nb_audit_manifest_text(nb_buf *out, const char *as_of, size_t publication,
			   const nb_audit_docs *docs, const json_t *generator,
			   const nb_audit_files *files, size_t skip);

/* Any JSON value in that same format (no trailing newline). 0, or -1
 * (out unchanged) for NULL. */
int nb_audit_json_text(nb_buf *out, const json_t *v);

/* The running program's identity (version, and the executable's inode and
 * time), for records that depend on how this very program reads or shows
 * things: another build of it is another id. */
void nb_audit_program_id(char *out, size_t n);

/*
 * An id for the chain of publications pub-1..pub-`last` (a hash of the
 * commits their tags name), to key what is remembered about them: moving
 * any tag changes it. 0 or -1.
 */
int nb_audit_chain_id(nb_audit *a, size_t last, nb_oid *out);

/*
 * The chain remembered by the files that name it (refstamp.c): a stamp of
 * the repository's refs/ and packed-refs, taken before the chain is read
 * (0, or -1 when the refs are not plain files and folders: then nothing is
 * remembered); `recall` gives the last publication and chain remembered
 * with that very stamp for that repository and branch (1), or 0;
 * `remember` records them, unless a ref changed within the clock's tick
 * of now. Lets a build key its output by the chain without starting
 * libgit2.
 */
typedef struct nb_audit_refstamp nb_audit_refstamp;
int nb_audit_refstamp_take(nb_audit_refstamp **out, const char *repo);
char *nb_audit_refstamp_path(const char *site_dir);
int nb_audit_refstamp_recall(const nb_audit_refstamp *r, const char *path, const char *repo,
			     const char *branch, size_t *last, nb_oid *chain);
void nb_audit_refstamp_remember(const nb_audit_refstamp *r, const char *path, const char *repo,
				const char *branch, size_t last, const nb_oid *chain);
void nb_audit_refstamp_free(nb_audit_refstamp *r);

/*
 * What a publish remembers about chain `chain` (state.c): the last
 * publication's documents, sorted, and the history entries up to it
 * (graph/history.h). `docs` may be NULL when only the history is wanted.
 * 0, or NB_AUDIT_ENOTFOUND when the record is missing, malformed or about
 * another chain or program (`*docs` empty, `*history` NULL).
 */
char *nb_audit_state_path(const char *site_dir);
int nb_audit_state_load(const char *path, const nb_oid *chain, nb_audit_docs *docs,
			json_t **history);
/* Best effort and atomic; `history` is the entries' text (nb_audit_json_text). */
void nb_audit_state_save(const char *path, const nb_oid *chain, const nb_audit_docs *docs,
			 const nb_buf *history);

/* Every file under `subdir` ("" for all) of a tree, paths relative to it,
 * sorted. */
int nb_audit_tree_files(nb_audit *a, const nb_tree *tree, const char *subdir,
			nb_audit_files *out);

/* Write a blob from memory. */
int nb_audit_write_blob(nb_audit *a, const void *data, size_t len, nb_oid *out);
/* Read a blob (NUL-terminated copy, caller frees). */
int nb_audit_read_blob(nb_audit *a, const nb_oid *id, char **data, size_t *len);
/* Read `path` of a commit's tree. NB_AUDIT_ENOTFOUND when absent. */
int nb_audit_read_path(nb_audit *a, const nb_commit *c, const char *path,
		       char **data, size_t *len);
/*
 * Publication n's served pages, for publication n + 1 to keep those it
 * serves unchanged, number and all (output/pubtag.h): `id` names them
 * (the hex id of its public/ tree), nb_audit_previous_page (an
 * nb_pubtag_previous page function, `ud` the nb_audit_previous) reads one
 * from the record. previous.c explains why from the record. 0, or -1 with
 * a->err; `a` must stay open until nb_audit_previous_free.
 */
typedef struct nb_audit_previous {
	nb_audit *a;
	nb_tree *public;           /* its public/ tree */
	char id[NB_OID_HEXSZ + 1];
} nb_audit_previous;
int nb_audit_previous_open(nb_audit_previous *p, nb_audit *a, size_t n);
int nb_audit_previous_page(void *ud, const char *rel, nb_buf *out);
void nb_audit_previous_free(nb_audit_previous *p);

/* A publication's manifest.json, parsed. */
int nb_audit_manifest(nb_audit *a, const nb_commit *c, json_t **out);
/* Publication n's commit and manifest; on failure both are NULL and
 * a->err says why. */
int nb_audit_pub_load(nb_audit *a, size_t n, nb_commit **c, json_t **manifest);

/*
 * Walking publications 1..last in order, each with its commit, manifest
 * and the previous one's documents: the one loop of the reading commands
 * (log, history) and of the history pages, as git_revwalk is libgit2's.
 *
 *   nb_audit_pub_iter *it;
 *   const nb_audit_pub *p;
 *   rc = nb_audit_pub_iter_head(&it, a);   (or _new(&it, a, last))
 *   while (rc == 0 && (rc = nb_audit_pub_iter_next(&p, it)) == 0)
 *           ... p->n, p->commit, p->docs, p->prev_docs ...
 *   (rc is NB_AUDIT_ITEROVER at the end, -1 with a->err on a failure)
 *   nb_audit_pub_iter_free(it);
 *
 * What p points to belongs to the iterator: valid until the next call
 * that returns 0, or the free; at the end (NB_AUDIT_ITEROVER) the last
 * publication stays valid, so a caller can carry on from its documents.
 * A manifest without a "documents" object gets an empty one, so docs is
 * never NULL. Tags are read as nb_audit_pub_load reads them: the walkers
 * that must go on past a missing or damaged publication (objects,
 * signatures, the remembered heads) read tags themselves.
 */
#define NB_AUDIT_ITEROVER (-31)

typedef struct nb_audit_pub {
	size_t n;                /* the publication's number */
	nb_commit *commit;
	json_t *manifest;        /* manifest.json, parsed */
	const nb_audit_docs *docs;      /* its "documents" */
	const nb_audit_docs *prev_docs; /* publication n - 1's, NULL for the first */
} nb_audit_pub;

typedef struct nb_audit_pub_iter nb_audit_pub_iter;

int nb_audit_pub_iter_new(nb_audit_pub_iter **out, nb_audit *a, size_t last);
/* Up to the last publication, once nb_audit_head() found the chain
 * intact: 0, or -1 (a->err; *out is then NULL). */
int nb_audit_pub_iter_head(nb_audit_pub_iter **out, nb_audit *a);
/* 0 with *out set, NB_AUDIT_ITEROVER after the last, or -1 (a->err). */
int nb_audit_pub_iter_next(const nb_audit_pub **out, nb_audit_pub_iter *it);
void nb_audit_pub_iter_free(nb_audit_pub_iter *it);

/*
 * Record a publication: write the commit (parent = `parent` or none),
 * signed with `signing_key` when set, and its tag object, end the pack
 * (nb_audit_pack_end), move the branch from `parent` to the commit
 * (refusing if it moved meanwhile), then point `pub-<n>` at the tag.
 */
int nb_audit_commit(nb_audit *a, const nb_oid *tree, const nb_oid *parent,
		    size_t n, const char *message, const nb_signature *author,
		    const char *signing_key, nb_oid *out);

/*
 * Check a commit's SSH signature the way git does (ssh-keygen -Y verify
 * against `allowed_signers`), for the principal that is the commit's
 * author email: the key must be the publisher's. Returns 0 when good
 * (principal in `who`), NB_AUDIT_ENOTFOUND when unsigned, -1 when bad (a->err
 * says whose key it was, if anyone's).
 */
int nb_audit_verify_signature(nb_audit *a, const nb_oid *commit,
			      const char *allowed_signers, char *who, size_t who_size);

/* The same for publication's tag object `tag` (the signature git puts
 * after the tag's message), the principal matched with the tagger. */
int nb_audit_verify_tag_signature(nb_audit *a, const nb_oid *tag,
				  const char *allowed_signers, char *who, size_t who_size);

/* Whether a commit carries a signature (a `gpgsig` header), checked or
 * not: what the history pages show beside its commit id. */
int nb_audit_commit_signed(const nb_commit *c);

/* Whether `commit` carries a good signature made with the private SSH
 * key `key` itself (its public half from ssh-keygen -y): 0 when so; -1
 * with a->err saying why not (unsigned, another key, a bad signature, the
 * key unreadable). How publish tells a commit it made from one that only
 * looks like it before finishing it with a signed tag. */
int nb_audit_signed_with_key(nb_audit *a, const nb_oid *commit, const char *key);

/* What stops a signing key from signing: no file there, a folder or
 * another non-file, a file that cannot be read, no ssh-keygen, a
 * passphrase nobody gave, a key others may read (ssh-keygen ignores it),
 * not a key at all; or ssh-keygen itself failing (killed, or ending in a
 * way that is not its refusal of the key: a->refused is not set). */
enum { NB_KEY_MISSING = 1, NB_KEY_NOT_FILE, NB_KEY_UNREADABLE, NB_KEY_NO_TOOL,
       NB_KEY_PASSPHRASE, NB_KEY_TOO_OPEN, NB_KEY_INVALID, NB_KEY_TOOL_FAILED };

/* Sign `payload` with the SSH key `key` (ssh-keygen -Y sign -n git),
 * appending the armoured signature to `sig`. 0 or -1; when the key or
 * ssh-keygen is what failed, a->key_refused says how and a->refused is
 * set (but when ssh-keygen itself failed: NB_KEY_TOOL_FAILED). */
int nb_audit_ssh_sign(nb_audit *a, const char *key, const char *payload, nb_buf *sig);

/* Whether `key` can be used to sign, found without asking for its
 * passphrase (that is only known when signing): 0, or -1 with
 * a->key_refused and a->refused set as nb_audit_ssh_sign sets them. */
int nb_audit_ssh_key_check(nb_audit *a, const char *key);

/* Write an annotated tag object `name` -> `commit` (no ref), signed with
 * `signing_key` when set, as git tag -s does. 0 or -1. */
int nb_audit_tag_write(nb_audit *a, const char *name, const nb_oid *commit,
		       const nb_signature *tagger, const char *message,
		       const char *signing_key, nb_oid *out);

/* Parse "NAME <EMAIL>" into a signature dated now. 0 or -1. */
int nb_audit_signature_parse(nb_signature **out, const char *s);

/* The publisher: `as` ("NAME <EMAIL>"), else $NB_PUBLISHER, else (as git
 * does, each half separately) $GIT_AUTHOR_NAME / $GIT_AUTHOR_EMAIL, else
 * user.name / user.email from git's config; none of them is an error. */
int nb_audit_publisher(nb_audit *a, const char *as, nb_signature **out);

/* Create an empty bare repository at `path` (a mirror to push to). 0 or
 * -1 (a->err). */
int nb_audit_init_mirror(nb_audit *a, const char *path);

/* "3", "pub-3" -> 3; 0 when not a publication name. */
size_t nb_audit_parse_pub(const char *s);

#endif

/*
 * served.c - the audit repository's copy served at /audit.git/
 * (served.h).
 */
#include <dirent.h>
#include <errno.h>
#include <git2/sys/odb_backend.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit_internal.h"
#include "audit/served.h"
#include "output/sums.h"
#include "util/fs.h"

int nb_audit_served_drop(const char *dir, nb_fs_files *walked)
{
	char *p = nb_path_join(dir, NB_SERVED_AUDIT);
	int rc = nb_fs_is_dir(p) || nb_fs_is_file(p) ? nb_fs_rmtree(p) : 0;
	free(p);
	size_t n = strlen(NB_SERVED_AUDIT), k = 0;
	for (size_t i = 0; walked && i < walked->len; i++) {
		const char *rel = walked->items[i].rel;
		if (!strncmp(rel, NB_SERVED_AUDIT, n) && (rel[n] == '/' || rel[n] == '\0'))
			free(walked->items[i].rel);
		else
			walked->items[k++] = walked->items[i];
	}
	if (walked)
		walked->len = k;
	return rc;
}

void nb_audit_served_leave_out(nb_audit_files *f)
{
	size_t n = strlen(NB_SERVED_AUDIT), j = 0;
	for (size_t i = 0; i < f->len; i++) {
		if (!strncmp(f->items[i].path, NB_SERVED_AUDIT, n) && f->items[i].path[n] == '/')
			free(f->items[i].path);
		else
			f->items[j++] = f->items[i];
	}
	f->len = j;
}

static int io_err(nb_audit *a, const char *what, const char *path)
{
	nb_audit_set_err(a, "cannot %s %s: %s", what, path, strerror(errno));
	a->io = 1;
	return -1;
}

static int git_err(nb_audit *a, const char *what)
{
	const git_error *e = git_error_last();
	nb_audit_set_err(a, "cannot %s: %s", what, e && e->message ? e->message : "libgit2 error");
	return -1;
}

static int put_file(nb_audit *a, const char *dir, const char *name, const nb_buf *b)
{
	char *p = nb_path_join(dir, name);
	int rc = nb_fs_write(p, b->ptr ? b->ptr : "", b->len) == 0 ? 0 : io_err(a, "write", p);
	free(p);
	return rc;
}

/* Link `from` to `to` (a pack never changes, so a link is a copy), or
 * copy it where links cannot go. */
static int link_file(const char *from, const char *to)
{
	if (link(from, to) == 0 || errno == EEXIST)
		return 0;
	return nb_fs_copy(from, to);
}

/* The pack `stem`.pack of the folder `src` and its index into `dst`, the
 * index last: a pack is only there with it. When it has no index in `src`
 * (not complete), nothing. */
static int link_pack(nb_audit *a, const char *src, const char *dst, const char *stem, size_t n)
{
	static const char *const ext[] = { "pack", "idx" };
	nb_buf f[2] = { NB_BUF_INIT, NB_BUF_INIT }, t[2] = { NB_BUF_INIT, NB_BUF_INIT };
	for (int i = 0; i < 2; i++) {
		nb_buf_printf(&f[i], "%s/%.*s.%s", src, (int)n, stem, ext[i]);
		nb_buf_printf(&t[i], "%s/%.*s.%s", dst, (int)n, stem, ext[i]);
	}
	int rc = 0;
	for (int i = 0; i < 2 && rc == 0 && nb_fs_is_file(nb_buf_cstr(&f[1])); i++)
		if (link_file(nb_buf_cstr(&f[i]), nb_buf_cstr(&t[i])) != 0)
			rc = io_err(a, "copy", nb_buf_cstr(&f[i]));
	for (int i = 0; i < 2; i++) {
		nb_buf_free(&f[i]);
		nb_buf_free(&t[i]);
	}
	return rc;
}

/* Every complete pack (pack and index) of the pack folder `src` into
 * `dst`; a missing `src` holds none. */
static int link_packs(nb_audit *a, const char *src, const char *dst)
{
	DIR *d = opendir(src);
	if (!d)
		return errno == ENOENT ? 0 : io_err(a, "read", src);
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n >= 11 && !strncmp(e->d_name, "pack-", 5) && !strcmp(e->d_name + n - 5, ".pack"))
			rc = link_pack(a, src, dst, e->d_name, n - 5);
	}
	closedir(d);
	return rc;
}

/* Object ids, as the pack builder took them. */
typedef struct oid_list {
	git_oid *ids;
	size_t len, cap;
} oid_list;

static void oid_list_push(oid_list *l, const git_oid *id)
{
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->ids = realloc(l->ids, l->cap * sizeof(*l->ids));
		if (!l->ids)
			abort();
	}
	l->ids[l->len++] = *id;
}

/* The loose objects of the repository's object folder `objects` that
 * `have` lacks, into the pack builder and `added`. */
static int add_loose(nb_audit *a, const char *objects, git_odb *have, git_packbuilder *pb,
		     oid_list *added)
{
	static const char hexd[] = "0123456789abcdef";
	char sub[3] = { 0 };
	for (int i = 0; i < 256; i++) {
		sub[0] = hexd[i >> 4];
		sub[1] = hexd[i & 15];
		char *p = nb_path_join(objects, sub);
		DIR *d = opendir(p);
		free(p);
		if (!d)
			continue;
		struct dirent *e;
		int rc = 0;
		while (rc == 0 && (e = readdir(d))) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid id;
			if (strlen(e->d_name) != GIT_OID_HEXSZ - 2)
				continue;
			memcpy(hex, sub, 2);
			memcpy(hex + 2, e->d_name, GIT_OID_HEXSZ - 2);
			hex[GIT_OID_HEXSZ] = '\0';
			if (git_oid_fromstr(&id, hex) < 0 || git_odb_exists(have, &id))
				continue;
			if (git_packbuilder_insert(pb, &id, NULL) < 0)
				rc = git_err(a, "pack the audit repository's loose objects");
			else
				oid_list_push(added, &id);
		}
		closedir(d);
		if (rc)
			return rc;
	}
	return 0;
}

/* objects/info/packs: what a dumb fetcher reads to find the packs. */
static int write_pack_list(nb_audit *a, const char *objects)
{
	char *dir = nb_path_join(objects, "pack");
	DIR *d = opendir(dir);
	if (!d) {
		int rc = io_err(a, "read", dir);
		free(dir);
		return rc;
	}
	free(dir);
	nb_strlist names = { 0 };
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 5 && !strncmp(e->d_name, "pack-", 5) && !strcmp(e->d_name + n - 5, ".pack"))
			nb_strlist_push(&names, e->d_name);
	}
	closedir(d);
	nb_strlist_sort(&names);
	nb_buf b = NB_BUF_INIT;
	for (size_t i = 0; i < names.len; i++)
		nb_buf_printf(&b, "P %s\n", names.items[i]);
	nb_buf_putc(&b, '\n');
	nb_strlist_free(&names);
	int rc = put_file(a, objects, "info/packs", &b);
	nb_buf_free(&b);
	return rc;
}

/*
 * The pack just written into `pack_dir` as `name` (pack-<name>.pack) kept
 * in the audit repository's object folder `own` too, index last (git
 * reads a pack only once its index is there), then made durable; then the
 * loose objects `ids` it holds removed, as `git prune-packed` does, each
 * read from that pack before its file goes. Only this pack: it was made
 * here from the record's own objects, where the other packs of the copy
 * may come from the served folder, which the record never trusts. The
 * removal is best effort: an object left loose is the same object.
 */
static int keep_pack(nb_audit *a, const char *pack_dir, const char *own, const char *name,
		     const oid_list *ids)
{
	char *own_pack = nb_path_join(own, "pack");
	nb_buf from = NB_BUF_INIT, to = NB_BUF_INIT;
	nb_buf_printf(&from, "pack-%s", name);
	int rc = nb_fs_mkdirs(own_pack) == 0 ? 0 : io_err(a, "create", own_pack);
	if (rc == 0)
		rc = link_pack(a, pack_dir, own_pack, from.ptr, from.len);
	nb_buf_printf(&to, "%s/pack-%s.idx", own_pack, name);
	git_odb *odb = NULL;
	git_odb_backend *b = NULL;
	int ok = rc == 0 && nb_fs_is_file(nb_buf_cstr(&to)) && nb_fs_sync_tree(own_pack) == 0 &&
		 git_odb_new(&odb) == 0 && git_odb_backend_one_pack(&b, nb_buf_cstr(&to)) == 0;
	if (ok && git_odb_add_backend(odb, b, 1) != 0) {
		b->free(b);
		ok = 0;
	}
	char hex[GIT_OID_HEXSZ + 1];
	for (size_t i = 0; ok && i < ids->len; i++) {
		if (!git_odb_exists(odb, &ids->ids[i]))
			continue;
		git_oid_tostr(hex, sizeof(hex), &ids->ids[i]);
		nb_buf_clear(&from);
		nb_buf_printf(&from, "%s/%.2s/%s", own, hex, hex + 2);
		remove(nb_buf_cstr(&from));
		nb_buf_clear(&from);
		nb_buf_printf(&from, "%s/%.2s", own, hex);
		rmdir(nb_buf_cstr(&from));  /* only when it is empty */
	}
	git_error_clear();
	git_odb_free(odb);
	nb_buf_free(&from);
	nb_buf_free(&to);
	free(own_pack);
	return rc;
}

/* Every object the repository holds, in packs below <copy>/objects. */
static int write_objects(nb_audit *a, const char *copy, const char *live)
{
	const char *repo = git_repository_path(a->repo);
	char *objects = nb_path_join(copy, "objects");
	char *pack = nb_path_join(objects, "pack");
	char *own = nb_path_join(repo, "objects"), *own_pack = nb_path_join(own, "pack");
	char *served = nb_path_join(live, NB_SERVED_AUDIT "/objects/pack");
	git_odb *have = NULL;
	git_packbuilder *pb = NULL;
	oid_list added = { 0 };
	int rc = nb_fs_mkdirs(pack) == 0 ? 0 : io_err(a, "create", pack);
	if (rc == 0)
		rc = link_packs(a, own_pack, pack);
	if (rc == 0)
		rc = link_packs(a, served, pack);
	if (rc == 0 && git_odb_open(&have, objects) < 0)
		rc = git_err(a, "open the served copy's objects");
	if (rc == 0 && git_packbuilder_new(&pb, a->repo) < 0)
		rc = git_err(a, "start a pack");
	if (rc == 0)
		rc = add_loose(a, own, have, pb, &added);
	if (rc == 0 && added.len && git_packbuilder_write(pb, pack, 0, NULL, NULL) < 0)
		rc = git_err(a, "write the served copy's new pack");
	/* The new pack is kept in the audit repository too, in place of its
	 * loose objects, so that the next copy finds it there whatever the
	 * live folder then holds: a plain build in between serves no copy,
	 * and the publish after it packed every loose object of every earlier
	 * small publication again (62 MB of its 105 MB heap peak at 10,000
	 * documents, and a new pack of objects already served). */
	if (rc == 0 && added.len)
		rc = keep_pack(a, pack, own, git_packbuilder_name(pb), &added);
	if (rc == 0)
		rc = write_pack_list(a, objects);
	free(added.ids);
	git_packbuilder_free(pb);
	git_odb_free(have);
	free(objects);
	free(pack);
	free(own);
	free(own_pack);
	free(served);
	return rc;
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* info/refs as `git update-server-info` writes it (peeled tags on a line
 * of their own after the tag), and packed-refs for local clones. */
static int write_refs(nb_audit *a, const char *copy)
{
	git_strarray names = { 0 };
	if (git_reference_list(&names, a->repo) < 0)
		return git_err(a, "list the audit repository's refs");
	qsort(names.strings, names.count, sizeof(char *), by_name);
	nb_buf info = NB_BUF_INIT, packed = NB_BUF_INIT;
	nb_buf_puts(&packed, "# pack-refs with: peeled fully-peeled sorted \n");
	int rc = 0;
	for (size_t i = 0; i < names.count && rc == 0; i++) {
		git_oid id;
		git_object *o = NULL, *peeled = NULL;
		if (strncmp(names.strings[i], "refs/", 5) ||
		    git_reference_name_to_id(&id, a->repo, names.strings[i]) < 0)
			continue;
		char hex[GIT_OID_HEXSZ + 1], phex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &id);
		nb_buf_printf(&info, "%s\t%s\n", hex, names.strings[i]);
		nb_buf_printf(&packed, "%s %s\n", hex, names.strings[i]);
		if (git_object_lookup(&o, a->repo, &id, GIT_OBJECT_ANY) < 0) {
			rc = git_err(a, "read a ref's object");
		} else if (git_object_type(o) == GIT_OBJECT_TAG) {
			if (git_tag_peel(&peeled, (git_tag *)o) < 0) {
				rc = git_err(a, "peel a tag");
			} else {
				git_oid_tostr(phex, sizeof(phex), git_object_id(peeled));
				nb_buf_printf(&info, "%s\t%s^{}\n", phex, names.strings[i]);
				nb_buf_printf(&packed, "^%s\n", phex);
			}
		}
		git_object_free(peeled);
		git_object_free(o);
	}
	git_strarray_dispose(&names);
	if (rc == 0)
		rc = put_file(a, copy, "info/refs", &info);
	if (rc == 0)
		rc = put_file(a, copy, "packed-refs", &packed);
	nb_buf_free(&info);
	nb_buf_free(&packed);
	return rc;
}

int nb_audit_served_write(nb_audit *a, const char *dir, const char *live)
{
	if (!a->cfg->audit_serve || a->cfg->audit_mirror)
		return 0;
	char *copy = nb_path_join(dir, NB_SERVED_AUDIT);
	if (nb_audit_served_drop(dir, NULL) != 0) {
		int rc = io_err(a, "remove", copy);
		free(copy);
		return rc;
	}
	nb_buf head = NB_BUF_INIT, config = NB_BUF_INIT;
	nb_buf_printf(&head, "ref: %s\n", a->refname);
	nb_buf_puts(&config, "[core]\n\trepositoryformatversion = 0\n\tbare = true\n");
	char *refs = nb_path_join(copy, "refs/tags"), *heads = nb_path_join(copy, "refs/heads");
	int rc = write_objects(a, copy, live);
	if (rc == 0)
		rc = write_refs(a, copy);
	if (rc == 0)
		rc = put_file(a, copy, "HEAD", &head);
	if (rc == 0)
		rc = put_file(a, copy, "config", &config);
	if (rc == 0 && (nb_fs_mkdirs(refs) != 0 || nb_fs_mkdirs(heads) != 0))
		rc = io_err(a, "create", refs);
	free(refs);
	free(heads);
	nb_buf_free(&head);
	nb_buf_free(&config);
	free(copy);
	return rc;
}

/*
 * fs.c - file-system helpers; see fs.h for why walks are sorted and output
 * is swapped in whole.
 */
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/utf8.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		abort();
	return p;
}

void nb_strlist_push(nb_strlist *l, const char *s)
{
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = xrealloc(l->items, l->cap * sizeof(char *));
	}
	l->items[l->len] = strdup(s);
	if (!l->items[l->len])
		abort();
	l->len++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void nb_strlist_sort(nb_strlist *l)
{
	if (l->len > 1)
		qsort(l->items, l->len, sizeof(char *), cmp_str);
}

void nb_strlist_free(nb_strlist *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->len = l->cap = 0;
}

char *nb_path_join(const char *a, const char *b)
{
	nb_buf out = NB_BUF_INIT;
	if (a && a[0]) {
		nb_buf_puts(&out, a);
		if (a[strlen(a) - 1] != '/')
			nb_buf_putc(&out, '/');
	}
	nb_buf_puts(&out, b);
	return nb_buf_detach(&out);
}

int nb_fs_read_fd(int fd, size_t max, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	struct stat st;
	if (fstat(fd, &st) != 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	if (max && (size_t)st.st_size > max) {
		errno = EFBIG;
		return -1;
	}
	/* Room for the size fstat gave, the NUL and one more byte, so the
	 * read that finds end-of-file does not double the buffer. */
	size_t cap = (size_t)st.st_size + 2, n = 0;
	char *p = xrealloc(NULL, cap);
	for (;;) {
		if (n + 1 >= cap) {
			if (max && n > max) {
				free(p);
				errno = EFBIG;
				return -1;
			}
			cap *= 2;
			p = xrealloc(p, cap);
		}
		ssize_t r = read(fd, p + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(p);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	p[n] = '\0';
	*data = p;
	*len = n;
	return 0;
}

int nb_fs_read(const char *path, size_t max, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = nb_fs_read_fd(fd, max, data, len);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int nb_fs_mkdirs(const char *path)
{
	char *p = strdup(path);
	if (!p)
		abort();
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, 0755);
	int e = errno;
	free(p);
	if (rc != 0 && e != EEXIST) {
		errno = e;
		return -1;
	}
	return 0;
}

int nb_fs_write(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT) {
		const char *slash = strrchr(path, '/');
		if (slash && slash != path) {
			char *dir = strndup(path, (size_t)(slash - path));
			if (!dir)
				abort();
			int rc = nb_fs_mkdirs(dir);
			free(dir);
			if (rc != 0)
				return -1;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	if (fd < 0)
		return -1;
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return close(fd);
}

int nb_fs_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	DIR *dir = opendir(path);
	if (!dir)
		return -1;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *child = nb_path_join(path, e->d_name);
		if (nb_fs_rmtree(child) != 0)
			rc = -1;
		free(child);
	}
	closedir(dir);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}

int nb_fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int nb_fs_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void nb_fs_stamp_of(nb_fs_stamp *out, const struct stat *st)
{
	*out = (nb_fs_stamp){
		.dev = (uint64_t)st->st_dev, .ino = (uint64_t)st->st_ino,
		.size = (uint64_t)st->st_size,
		.mtime_s = (int64_t)st->st_mtim.tv_sec, .mtime_ns = (int64_t)st->st_mtim.tv_nsec,
		.ctime_s = (int64_t)st->st_ctim.tv_sec, .ctime_ns = (int64_t)st->st_ctim.tv_nsec,
	};
}

int nb_fs_stamp_same(const nb_fs_stamp *a, const nb_fs_stamp *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns &&
	       a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

void nb_fs_fence_set(nb_fs_fence *f, const char *near)
{
	memset(f, 0, sizeof(*f));
	f->margin = (long long)time(NULL) - 2;
	nb_buf p = NB_BUF_INIT;
	nb_buf_printf(&p, "%s.fence", near);
	const char *slash = strrchr(nb_buf_cstr(&p), '/');
	if (slash) {
		char *dir = strndup(p.ptr, (size_t)(slash - p.ptr));
		if (!dir)
			abort();
		nb_fs_mkdirs(dir);
		free(dir);
	}
	int fd = open(nb_buf_cstr(&p), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct stat st;
	if (fd >= 0 && futimens(fd, NULL) == 0 && fstat(fd, &st) == 0) {
		f->ok = 1;
		f->dev = st.st_dev;
		f->t = st.st_mtim;
	}
	if (fd >= 0)
		close(fd);
	unlink(nb_buf_cstr(&p));
	nb_buf_free(&p);
}

int nb_fs_fence_before(const nb_fs_fence *f, const struct stat *st)
{
	if (f->ok && st->st_dev == f->dev)
		return st->st_mtim.tv_sec < f->t.tv_sec ||
		       (st->st_mtim.tv_sec == f->t.tv_sec && st->st_mtim.tv_nsec < f->t.tv_nsec);
	return (long long)st->st_mtim.tv_sec < f->margin;
}

void nb_walk_issues_free(nb_walk_issues *w)
{
	nb_strlist_free(&w->escaped);
	nb_strlist_free(&w->loops);
	nb_strlist_free(&w->loop_firsts);
	nb_strlist_free(&w->too_deep);
	nb_strlist_free(&w->special);
}

int nb_path_below(const char *real, const char *dir_real)
{
	size_t n = strlen(dir_real);
	if (n == 1 && dir_real[0] == '/')
		return 1;
	return strncmp(real, dir_real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

static int within(const char *root_real, const char *path)
{
	char *real = realpath(path, NULL);
	if (!real)
		return 0;
	int ok = nb_path_below(real, root_real);
	free(real);
	return ok;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

/* realpath of a path that may not exist yet: resolve the longest existing
 * prefix and append the rest (malloc'd). */
char *nb_fs_resolve(const char *p)
{
	char *tmp = xstrdup(p);
	nb_buf rest = NB_BUF_INIT;
	char *r;
	for (;;) {
		r = realpath(tmp[0] ? tmp : ".", NULL);
		if (r)
			break;
		char *slash = strrchr(tmp, '/');
		nb_buf nr = NB_BUF_INIT;
		nb_buf_printf(&nr, "/%s%s", slash ? slash + 1 : tmp, nb_buf_cstr(&rest));
		nb_buf_free(&rest);
		rest = nr;
		if (!slash) {
			tmp[0] = '\0';
		} else if (slash == tmp) {
			r = xstrdup("");
			break;
		} else {
			*slash = '\0';
		}
	}
	nb_buf out = NB_BUF_INIT;
	nb_buf_printf(&out, "%s%s", r, nb_buf_cstr(&rest));
	free(r);
	free(tmp);
	nb_buf_free(&rest);
	return nb_buf_detach(&out);
}

int nb_fs_within(const char *path, const char *dir)
{
	char *dir_real = realpath(dir, NULL);
	if (!dir_real)
		return 0;
	int ok = within(dir_real, path);
	free(dir_real);
	return ok;
}

/* One walk's state: the folders read so far, by device and inode, each
 * with where it was read, so a second way into one is caught whatever
 * the links look like. */
typedef struct walker {
	const char *root_real;
	nb_strlist *files;
	nb_walk_issues *issues;
	json_t *seen;       /* "dev:ino" -> rel where read */
} walker;

typedef enum { LEFT_ESCAPED, LEFT_TOO_DEEP, LEFT_SPECIAL } left_out;

static void note(walker *w, left_out why, const char *rel)
{
	if (!w->issues)
		return;
	nb_strlist *l = why == LEFT_ESCAPED ? &w->issues->escaped
			: why == LEFT_TOO_DEEP ? &w->issues->too_deep : &w->issues->special;
	nb_strlist_push(l, rel);
}

const char *nb_fs_seen(json_t *seen, const struct stat *st, const char *rel)
{
	char key[64];
	snprintf(key, sizeof(key), "%llu:%llu", (unsigned long long)st->st_dev,
		 (unsigned long long)st->st_ino);
	json_t *prev = json_object_get(seen, key);
	if (prev)
		return json_string_value(prev);
	json_object_set_new(seen, key, json_string(rel));
	return NULL;
}

/* Enter the folder `abs` (rel) unless it was read already. 1 to enter. */
static int first_visit(walker *w, const struct stat *st, const char *rel, int link)
{
	const char *prev = nb_fs_seen(w->seen, st, rel);
	if (!prev || (!link && !strcmp(prev, rel)))
		return 1;  /* new, or the real folder register_folders noted */
	if (w->issues) {
		nb_strlist_push(&w->issues->loops, rel);
		nb_strlist_push(&w->issues->loop_firsts, prev);
	}
	return 0;
}

static int walk(walker *w, const char *abs, const char *rel, int depth)
{
	DIR *dir = opendir(abs);
	if (!dir)
		return -1;
	nb_strlist names = { 0 };
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		nb_strlist_push(&names, e->d_name);
	}
	closedir(dir);
	nb_strlist_sort(&names);
	int rc = 0;
	for (size_t i = 0; i < names.len && rc == 0; i++) {
		char *a = nb_path_join(abs, names.items[i]);
		char *r = nb_path_join(rel, names.items[i]);
		struct stat lst, st;
		if (lstat(a, &lst) == 0) {
			int ok = 1;
			if (S_ISLNK(lst.st_mode) && !within(w->root_real, a)) {
				note(w, LEFT_ESCAPED, r);
				ok = 0;
			}
			if (ok && stat(a, &st) == 0) {
				if (S_ISDIR(st.st_mode)) {
					if (depth + 1 > NB_FS_WALK_DEPTH)
						note(w, LEFT_TOO_DEEP, r);
					else if (first_visit(w, &st, r, S_ISLNK(lst.st_mode)))
						rc = walk(w, a, r, depth + 1);
				} else if (S_ISREG(st.st_mode)) {
					nb_strlist_push(w->files, r);
				} else {
					note(w, LEFT_SPECIAL, r);
				}
			}
		}
		free(a);
		free(r);
	}
	nb_strlist_free(&names);
	return rc;
}

/* Every real folder below `abs` (links not followed) into `seen`, so a
 * link is judged by where it leads, not by which comes first in the
 * walk's order: a link to any folder the tree already holds is a second
 * way into it. */
static void register_folders(json_t *seen, const char *abs, const char *rel, int depth)
{
	DIR *dir = depth <= NB_FS_WALK_DEPTH ? opendir(abs) : NULL;
	if (!dir)
		return;
	nb_strlist subs = { 0 };
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		unsigned char type = e->d_type;
		if (type == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISDIR(st.st_mode))
				type = DT_DIR;
		}
		if (type == DT_DIR)
			nb_strlist_push(&subs, e->d_name);
	}
	for (size_t i = 0; i < subs.len; i++) {
		char *a = nb_path_join(abs, subs.items[i]);
		char *r = nb_path_join(rel, subs.items[i]);
		struct stat st;
		if (fstatat(dirfd(dir), subs.items[i], &st, AT_SYMLINK_NOFOLLOW) == 0) {
			nb_fs_seen(seen, &st, r);
			register_folders(seen, a, r, depth + 1);
		}
		free(a);
		free(r);
	}
	closedir(dir);
	nb_strlist_free(&subs);
}

/*
 * The walk of a plain tree, which a site's folders and the output almost
 * always are: readdir's d_type tells files from folders, so no entry is
 * stat'ed. The careful walk (walk, above) pays a path walk and two stats
 * an entry, and a pass over every folder before it: listing the output
 * of 10,000 documents that way (14,000 files in 13,000 folders) took 0.4 s
 * of CPU, and a publish lists it twice. This walk gives up (1) at
 * anything the careful walk has a rule for - a symbolic link, an entry
 * whose type readdir does not give, a special file, a folder past the
 * depth limit or reached a second way (a bind mount), a folder it cannot
 * read - and nb_fs_walk then walks again the careful way, so which walk
 * ran never shows in the result. 0 when done.
 */
static int walk_plain(int at, const char *name, const char *rel, int depth, json_t *seen,
		      nb_strlist *files)
{
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (depth ? O_NOFOLLOW : 0));
	struct stat st;
	if (fd < 0)
		return 1;
	nb_buf list = NB_BUF_INIT;
	int rc = fstat(fd, &st) != 0 || nb_fs_seen(seen, &st, rel) || nb_fs_listing(&list, fd) != 0;
	size_t off = 0;
	const nb_fs_dirent *e;
	while (!rc && (e = nb_fs_listing_next(&list, &off))) {
		if (e->name[0] == '.')
			continue;
		char *r = nb_path_join(rel, e->name);
		if (e->type == DT_REG)
			nb_strlist_push(files, r);
		else if (e->type == DT_DIR && depth + 1 <= NB_FS_WALK_DEPTH)
			rc = walk_plain(fd, e->name, r, depth + 1, seen, files);
		else
			rc = 1;
		free(r);
	}
	nb_buf_free(&list);
	close(fd);
	return rc;
}

int nb_fs_listing(nb_buf *list, int fd)
{
	for (;;) {
		nb_buf_grow(list, 32768);
		ssize_t n = getdents64(fd, list->ptr + list->len, list->cap - list->len - 1);
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		list->len += (size_t)n;
	}
}

const nb_fs_dirent *nb_fs_listing_next(const nb_buf *list, size_t *off)
{
	while (*off < list->len) {
		const nb_fs_dirent *e = (const nb_fs_dirent *)(list->ptr + *off);
		*off += e->reclen;
		if (strcmp(e->name, ".") && strcmp(e->name, ".."))
			return e;
	}
	return NULL;
}

/* ---- the walk with stats (fs.h nb_fs_walk_stat) ---- */

typedef struct stat_walker {
	const char *root;
	char *root_real;   /* confined only */
	int dotfiles, confine;
	nb_buf rel;
	nb_fs_files *out;
	json_t *seen;      /* folders read (nb_fs_seen) */
	nb_buf *where;
} stat_walker;

void nb_fs_files_push(nb_fs_files *l, const char *rel, const struct stat *st)
{
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	l->items[l->len].rel = xstrdup(rel);
	l->items[l->len].st = *st;
	l->len++;
}

void nb_fs_files_free(nb_fs_files *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i].rel);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* The walk failed at the folder being read: say which. */
static int stat_walk_fail(stat_walker *w, int err)
{
	nb_buf_clear(w->where);
	nb_buf_puts(w->where, nb_buf_cstr(&w->rel));
	errno = err;
	return -1;
}

/* A symlink below a confined root: does it resolve inside? */
static int stat_link_within(const stat_walker *w)
{
	char *full = nb_path_join(w->root, nb_buf_cstr(&w->rel));
	int ok = within(w->root_real, full);
	free(full);
	return ok;
}

static int stat_walk_fd(stat_walker *w, int fd, int depth)
{
	nb_buf list = NB_BUF_INIT;
	int rc = nb_fs_listing(&list, fd) == 0 ? 0 : stat_walk_fail(w, errno);
	size_t base = w->rel.len;
	size_t off = 0;
	const nb_fs_dirent *e;
	while (rc == 0 && (e = nb_fs_listing_next(&list, &off))) {
		const char *name = e->name;
		if (name[0] == '.' && !w->dotfiles)
			continue;
		unsigned char type = e->type;
		if (type != DT_DIR && type != DT_REG && type != DT_LNK && type != DT_UNKNOWN)
			continue;  /* devices, pipes, sockets: never published */
		w->rel.len = base;
		if (base)
			nb_buf_putc(&w->rel, '/');
		nb_buf_puts(&w->rel, name);
		struct stat st;
		if (type != DT_DIR) {
			/* Confined, a link is judged by where it leads first. */
			int nofollow = w->confine && type != DT_REG;
			if (fstatat(fd, name, &st, nofollow ? AT_SYMLINK_NOFOLLOW : 0) != 0)
				continue;
			if (nofollow && S_ISLNK(st.st_mode) &&
			    (!stat_link_within(w) || fstatat(fd, name, &st, 0) != 0))
				continue;
			if (S_ISREG(st.st_mode)) {
				nb_fs_files_push(w->out, nb_buf_cstr(&w->rel), &st);
				continue;
			}
			if (!S_ISDIR(st.st_mode))
				continue;
		}
		if (w->confine && depth + 1 > NB_FS_WALK_DEPTH)
			continue;  /* a link cycle that stays inside the root */
		/* Unconfined, a cycle ends where the path would no longer fit,
		 * as it did when each level was opened by name. */
		if (strlen(w->root) + 1 + w->rel.len >= PATH_MAX) {
			rc = stat_walk_fail(w, ENAMETOOLONG);
			break;
		}
		int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub < 0) {
			rc = stat_walk_fail(w, errno);
			break;
		}
		/* A folder is read once: a link cycle or fan-out would make
		 * this walk exponential; the build reports it. */
		struct stat dst;
		if (fstat(sub, &dst) == 0 && nb_fs_seen(w->seen, &dst, nb_buf_cstr(&w->rel))) {
			close(sub);
			continue;
		}
		rc = stat_walk_fd(w, sub, depth + 1);
	}
	close(fd);
	nb_buf_free(&list);
	w->rel.len = base;
	if (w->rel.ptr)
		w->rel.ptr[base] = '\0';
	return rc;
}

int nb_fs_walk_stat(nb_fs_files *out, const char *root, int dotfiles, int confine,
		    nb_buf *where)
{
	stat_walker w = { root, NULL, dotfiles, confine, NB_BUF_INIT, out, NULL, where };
	int rc;
	if (confine && !(w.root_real = realpath(root, NULL)))
		return stat_walk_fail(&w, errno);
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rc = stat_walk_fail(&w, errno);
	} else {
		w.seen = json_object();
		struct stat st;
		if (fstat(fd, &st) == 0)
			nb_fs_seen(w.seen, &st, "");
		rc = stat_walk_fd(&w, fd, 0);
	}
	int e = errno;
	json_decref(w.seen);
	free(w.root_real);
	nb_buf_free(&w.rel);
	errno = e;
	return rc;
}

int nb_fs_walk(const char *root, nb_strlist *files, nb_walk_issues *issues)
{
	size_t had = files->len;
	json_t *seen = json_object();
	int plain = walk_plain(AT_FDCWD, root, "", 0, seen, files) == 0;
	json_decref(seen);
	if (plain) {
		nb_strlist_sort(files);
		return 0;
	}
	while (files->len > had)
		free(files->items[--files->len]);
	char *root_real = realpath(root, NULL);
	struct stat st;
	if (!root_real)
		return -1;
	if (stat(root_real, &st) != 0) {
		free(root_real);
		return -1;
	}
	walker w = { root_real, files, issues, json_object() };
	first_visit(&w, &st, "", 0);
	register_folders(w.seen, root, "", 1);
	int rc = walk(&w, root, "", 0);
	int e = errno;
	json_decref(w.seen);
	free(root_real);
	/* Sorting per folder gives "a/b" < "a-b" differences from a global
	 * bytewise sort; sort once more so callers get one total order. */
	nb_strlist_sort(files);
	errno = e;
	return rc;
}

static void walk_report(struct nb_diag *d, const char *label, const nb_walk_issues *w)
{
	char hint[256];
	snprintf(hint, sizeof(hint), "copy the file into %s/ instead of linking to it", label);
	for (size_t i = 0; i < w->escaped.len; i++) {
		char *p = nb_path_join(label, w->escaped.items[i]);
		nb_error(d, p, 0, 0, "symlink-escape", hint,
			 "symbolic link points outside %s/ (or nowhere); it is not published",
			 label);
		free(p);
	}
	for (size_t i = 0; i < w->loops.len; i++) {
		char *p = nb_path_join(label, w->loops.items[i]);
		char *first = nb_path_join(label, w->loop_firsts.items[i]);
		nb_error(d, p, 0, 0, "symlink-loop",
			 "remove the link: every folder may be reached one way only",
			 "symbolic link leads to %s, a folder already read; it is not followed",
			 first);
		free(first);
		free(p);
	}
	for (size_t i = 0; i < w->too_deep.len; i++) {
		char *p = nb_path_join(label, w->too_deep.items[i]);
		nb_error(d, p, 0, 0, "path-too-deep",
			 "move its files into a folder fewer levels down",
			 "folder is nested more than %d levels below %s/; nothing in it is published",
			 NB_FS_WALK_DEPTH, label);
		free(p);
	}
	for (size_t i = 0; i < w->special.len; i++) {
		char *p = nb_path_join(label, w->special.items[i]);
		nb_error(d, p, 0, 0, "file-special",
			 "remove it; only regular files and folders are published",
			 "not a regular file (a pipe, socket or device)");
		free(p);
	}
}

int nb_fs_backup_name(const char *rel)
{
	const char *slash = strrchr(rel, '/');
	const char *name = slash ? slash + 1 : rel;
	size_t n = strlen(name);
	if (n && name[n - 1] == '~')
		return 1;
	if (n > 1 && name[0] == '#' && name[n - 1] == '#')
		return 1;
	static const char *const ext[] = { ".bak", ".orig", ".swp", ".swo" };
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t m = strlen(ext[i]);
		if (n > m && !strcasecmp(name + n - m, ext[i]))
			return 1;
	}
	return 0;
}

/* Leave out of `files` what a site's sources may hold but must not
 * publish, each named: editors' backups (nb_fs_backup_name), a warning;
 * names that are not UTF-8 (a folder zipped on a GBK system), an error,
 * since the pages, links, search index and audit manifest that name a
 * file are UTF-8 text, so such a file would be published but
 * unreachable, or missing from the record of what was. */
static void drop_unpublished(nb_strlist *files, const char *label, struct nb_diag *d)
{
	size_t kept = 0;
	int line, col;
	for (size_t i = 0; i < files->len; i++) {
		const char *rel = files->items[i];
		int misnamed = nb_utf8_validate(rel, strlen(rel), &line, &col) != 0;
		if (!misnamed && !nb_fs_backup_name(rel)) {
			files->items[kept++] = files->items[i];
			continue;
		}
		char *p = nb_path_join(label, rel);
		if (misnamed)
			nb_error(d, p, 0, 0, "file-name-encoding",
				 "rename it (and its folder, if that is the part in another encoding)",
				 "not published: the file name is not UTF-8 text (it was probably "
				 "written in another encoding, e.g. GBK)");
		else
			nb_warning(d, p, 0, 0, "file-backup",
				   "delete it once you no longer need it; to publish the file, "
				   "give it a name of its own",
				   "not published: this is an editor's backup copy, and a draft's "
				   "text may be in it");
		free(p);
		free(files->items[i]);
	}
	files->len = kept;
}

int nb_fs_walk_site(const char *site_dir, const char *label, nb_strlist *files,
		    struct nb_diag *d)
{
	char *root = nb_path_join(site_dir, label);
	if (!nb_fs_within(root, site_dir)) {
		char hint[256];
		snprintf(hint, sizeof(hint),
			 "make %s/ a real folder inside the site and copy the files into it", label);
		nb_error(d, label, 0, 0, "symlink-escape", hint,
			 "%s/ is a symbolic link to a folder outside the site; nothing in it is published",
			 label);
		free(root);
		return -1;
	}
	nb_walk_issues w = { 0 };
	int rc = nb_fs_walk(root, files, &w);
	if (rc != 0)
		nb_error(d, label, 0, 0, "io", NULL, "cannot read %s/: %s", label, strerror(errno));
	walk_report(d, label, &w);
	drop_unpublished(files, label, d);
	nb_walk_issues_free(&w);
	free(root);
	return rc;
}

/* By descriptor, without following links: a link planted in the tree is
 * removed as an entry, whatever it points at. */
static int tidy_at(int parent, const char *name, const char *rel, nb_strlist *files,
		   int depth)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || depth > 64) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* The whole listing first: entries are removed as it goes. */
	nb_buf list = NB_BUF_INIT, path = NB_BUF_INIT;
	int rc = nb_fs_listing(&list, fd);
	size_t off = 0;
	const nb_fs_dirent *e;
	while ((e = nb_fs_listing_next(&list, &off))) {
		unsigned char type = e->type;
		if (type == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(fd, e->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
				rc = -1;
				continue;
			}
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
		}
		nb_buf_clear(&path);
		if (rel[0])
			nb_buf_printf(&path, "%s/", rel);
		nb_buf_puts(&path, e->name);
		if (type == DT_DIR) {
			if (tidy_at(fd, e->name, nb_buf_cstr(&path), files, depth + 1) != 0)
				rc = -1;
		} else if (type == DT_REG) {
			nb_strlist_push(files, nb_buf_cstr(&path));
		} else if (unlinkat(fd, e->name, 0) != 0) {
			rc = -1;
		}
	}
	nb_buf_free(&path);
	nb_buf_free(&list);
	close(fd);
	return rc;
}

int nb_fs_tidy(const char *root, nb_strlist *files)
{
	return tidy_at(AT_FDCWD, root, "", files, 0);
}

int nb_fs_prune(const char *root, const char *rel)
{
	char *path = nb_path_join(root, rel);
	/* Gone, or already replaced by a folder (EISDIR) or under a file
	 * (ENOTDIR) that the update wrote at its place: nothing to delete. */
	if (unlink(path) != 0) {
		int e = errno;
		free(path);
		errno = e;
		return e == ENOENT || e == ENOTDIR || e == EISDIR ? 0 : -1;
	}
	int rc = 0;
	size_t keep = strlen(root);
	for (char *slash; (slash = strrchr(path, '/')) != NULL && (size_t)(slash - path) > keep;) {
		*slash = '\0';
		if (rmdir(path) != 0)
			break; /* not empty (or gone): the folders above are not either */
	}
	free(path);
	return rc;
}

void nb_fs_clear_way(const char *root, const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
		nb_fs_rmtree(path);
	char *p = strdup(path);
	if (!p)
		abort();
	for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (lstat(p, &st) == 0 && !S_ISDIR(st.st_mode))
			unlink(p);
		*s = '/';
	}
	free(p);
}

int nb_fs_copy(const char *from, const char *to)
{
	char *data;
	size_t len;
	if (nb_fs_read(from, 0, &data, &len) != 0)
		return -1;
	int rc = nb_fs_write(to, data, len);
	free(data);
	return rc;
}

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int nb_fs_exchange_dir(const char *staging, const char *live, int *exchanged)
{
	*exchanged = 0;
	struct stat st;
	if (lstat(live, &st) != 0) {
		if (errno != ENOENT)
			return -1;
		return rename(staging, live);
	}
	if (syscall(SYS_renameat2, AT_FDCWD, staging, AT_FDCWD, live,
		    RENAME_EXCHANGE) != 0)
		return -1;
	*exchanged = 1;
	return 0;
}

int nb_fs_swap_dir(const char *staging, const char *live)
{
	int exchanged;
	if (nb_fs_exchange_dir(staging, live, &exchanged) != 0)
		return -1;
	/* `staging` now holds the previous site; it is no longer served. */
	return exchanged ? nb_fs_rmtree(staging) : 0;
}

/* op(from, to), creating `to`'s folders when they are missing. */
static int into(int (*op)(const char *, const char *), const char *from, const char *to)
{
	int rc = op(from, to);
	if (rc != 0 && errno == ENOENT) {
		const char *slash = strrchr(to, '/');
		if (slash && slash != to) {
			char *dir = strndup(to, (size_t)(slash - to));
			if (!dir)
				abort();
			if (nb_fs_mkdirs(dir) == 0)
				rc = op(from, to);
			free(dir);
		}
	}
	return rc;
}

int nb_fs_link_into(const char *from, const char *to)
{
	return into(link, from, to);
}

int nb_fs_rename_into(const char *from, const char *to)
{
	return into(rename, from, to);
}

int nb_fs_rename_noreplace(const char *from, const char *to)
{
	return syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0 ? 0 : -1;
}

/* fn(descriptor of the folder `dir`), errno kept. */
static int on_dir(const char *dir, int (*fn)(int))
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fn(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int nb_fs_fsync_dir(const char *dir)
{
	return on_dir(dir, fsync);
}

int nb_fs_sync_tree(const char *dir)
{
	return on_dir(dir, syncfs);
}

int nb_fs_is_mount_point(const char *path)
{
	struct statx sx;
	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) != 0)
		return -1;
	if (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
		return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
	/* Older kernels: another device than the parent's (misses a bind
	 * mount of the same file system, which the kernel above reports). */
	char *parent = nb_path_join(path, "..");
	struct stat a, b;
	int rc = stat(path, &a) == 0 && stat(parent, &b) == 0 ? a.st_dev != b.st_dev : -1;
	free(parent);
	return rc;
}

char *nb_fs_exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return strdup(buf);
}

/* One temporary name per file, taken under a lock: a writer that finds
 * it locked gives up (another build is replacing the file), and a killed
 * one leaves that one name, which the next writer truncates and reuses,
 * never a temporary per process. */
int nb_fs_replace(const char *path, const void *bytes, size_t len)
{
	const char *data = bytes;
	nb_buf tmp = NB_BUF_INIT;
	nb_buf_printf(&tmp, "%s.tmp", path);
	char *dir = strdup(path);
	if (!dir)
		abort();
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int fd = !slash || nb_fs_mkdirs(dir) == 0
		? open(nb_buf_cstr(&tmp), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644) : -1;
	free(dir);
	int rc = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 && ftruncate(fd, 0) == 0 ? 0 : -1;
	while (rc == 0 && len) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = -1;
		else
			data += w, len -= (size_t)w;
	}
	if (rc == 0 && rename(nb_buf_cstr(&tmp), path) != 0)
		rc = -1;
	if (fd >= 0)
		close(fd);
	nb_buf_free(&tmp);
	return rc;
}

int nb_fs_scratch(const char *dir)
{
	if (nb_fs_mkdirs(dir) != 0)
		return -1;
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	char *tmpl = nb_path_join(dir, ".scratch-XXXXXX");
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd >= 0)
		unlink(tmpl);
	free(tmpl);
	return fd;
}

int nb_fs_pread_all(int fd, void *buf, size_t n, off_t off)
{
	for (size_t got = 0; got < n;) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int nb_fs_pwrite_all(int fd, const void *buf, size_t n, off_t off)
{
	for (size_t done = 0; done < n;) {
		ssize_t r = pwrite(fd, (const char *)buf + done, n - done, off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

/*
 * state.c - what a publish remembers about the publications it recorded
 * (<site>/.noticeboard-cache/publish-state; deleting it costs only time).
 *
 * Two things otherwise mean reading every publication's manifest from the
 * repository: the last publication's document map (path -> id, blob id,
 * first publication), which the next publish compares its sources with,
 * and the history entries up to it (graph/history.h), which every build
 * and publish shows. At 10,000 documents and one publication, reading them
 * back was a third of a second, the whole of a no-op build, and it grows
 * with every publication.
 *
 * The record names the chain of publications it describes
 * (nb_audit_chain_id: the branch and the commits the pub-N tags name) and
 * the program that wrote it (history entries are this program's rendering
 * of the commits), and is used only for that exact chain and program: a
 * new, moved or rewritten tag, or another build of the program, makes it a
 * miss, and a miss reads the repository as before. Everything the entries
 * say is read from objects named by those commits, so the chain fixes
 * them. The entries are those the publish's build was given, which
 * history.h guarantees are what reading the commits back gives.
 *
 * Layout: a line naming the chain and the program, the document count,
 * then per document four NUL-terminated fields (path, id, blob id, first
 * publication; none can hold a NUL), then the history entries as JSON. The
 * documents are not JSON because parsing 10,000 small objects with
 * jansson cost more than all the rest of the record together; a reader
 * that wants only the history steps over them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "util/fs.h"

static const char STATE_MAGIC[] = "noticeboard-publish-state 3 ";
enum { STATE_HEAD = 256 };

char *nb_audit_state_path(const char *site_dir)
{
	return nb_path_join(site_dir, ".noticeboard-cache/publish-state");
}

/* The first line: the chain it describes and the program that wrote it. */
static size_t state_head(char *head, const nb_oid *chain)
{
	char hex[NB_OID_HEXSZ + 1], prog[160];
	nb_oid_tostr(hex, sizeof(hex), chain);
	nb_audit_program_id(prog, sizeof(prog));
	return (size_t)snprintf(head, STATE_HEAD, "%s%s %s\n", STATE_MAGIC, hex, prog);
}

/* `count` documents from *p on, into `docs`, or only stepped over when
 * `docs` is NULL. 0, or -1 for a record cut short or malformed. */
static int state_docs(const char **p, const char *end, size_t count, nb_audit_docs *docs)
{
	for (size_t i = 0; i < count; i++) {
		const char *f[4];
		for (int k = 0; k < 4; k++) {
			const char *z = *p < end ? memchr(*p, '\0', (size_t)(end - *p)) : NULL;
			if (!z)
				return -1;
			f[k] = *p;
			*p = z + 1;
		}
		char *stop;
		long long first = strtoll(f[3], &stop, 10);
		nb_oid hash;
		if (*stop || !f[3][0] || first < 1 || nb_oid_fromstr(&hash, f[2]) != 0)
			return -1;
		if (docs)
			nb_audit_docs_add(docs, f[0], f[1], &hash, (size_t)first);
	}
	if (docs)
		nb_audit_docs_sort(docs);
	return 0;
}

int nb_audit_state_load(const char *path, const nb_oid *chain, nb_audit_docs *docs,
			json_t **history)
{
	if (docs)
		memset(docs, 0, sizeof(*docs));
	*history = NULL;
	char *text;
	size_t len;
	if (nb_fs_read(path, 0, &text, &len) != 0)
		return NB_AUDIT_ENOTFOUND;
	char head[STATE_HEAD];
	size_t hl = state_head(head, chain);
	char *nl;
	unsigned long long count;
	json_t *h = NULL;
	if (len > hl && !memcmp(text, head, hl) && text[hl] >= '0' && text[hl] <= '9' &&
	    (count = strtoull(text + hl, &nl, 10), *nl == '\n')) {
		const char *p = nl + 1, *end = text + len;
		json_error_t je;
		if (state_docs(&p, end, (size_t)count, docs) == 0)
			h = json_loadb(p, (size_t)(end - p), 0, &je);
	}
	free(text);
	if (!json_is_array(h)) {
		if (docs)
			nb_audit_docs_free(docs);
		json_decref(h);
		return NB_AUDIT_ENOTFOUND;
	}
	*history = h;
	return 0;
}

void nb_audit_state_save(const char *path, const nb_oid *chain, const nb_audit_docs *docs,
			 const nb_buf *history)
{
	nb_buf b = NB_BUF_INIT;
	char head[STATE_HEAD];
	state_head(head, chain);
	nb_buf_printf(&b, "%s%zu\n", head, docs->len);
	char hex[NB_OID_HEXSZ + 1];
	for (size_t i = 0; i < docs->len; i++) {
		const nb_audit_doc *d = &docs->items[i];
		if (!d->first) {
			nb_buf_free(&b);
			return;
		}
		const char *k = nb_audit_doc_path(docs, d), *id = nb_audit_doc_id(docs, d);
		nb_buf_put(&b, k, strlen(k) + 1);
		nb_buf_put(&b, id, strlen(id) + 1);
		nb_oid_tostr(hex, sizeof(hex), &d->hash);
		nb_buf_put(&b, hex, sizeof(hex));
		nb_buf_printf(&b, "%zu", d->first);
		nb_buf_putc(&b, '\0');
	}
	nb_buf_put(&b, history->ptr, history->len);
	/* Atomic: a torn record would be a miss anyway (it cannot parse). */
	nb_buf tmp = NB_BUF_INIT;
	nb_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	if (nb_fs_write(nb_buf_cstr(&tmp), b.ptr, b.len) != 0 ||
	    rename(nb_buf_cstr(&tmp), path) != 0)
		remove(nb_buf_cstr(&tmp));
	nb_buf_free(&tmp);
	nb_buf_free(&b);
}

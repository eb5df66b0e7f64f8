/*
 * history.c - the publication history for the site; see history.h.
 *
 * Loading walks pub-1..pub-N once, keeping only the previous manifest's
 * document map: a document changed when its source blob id differs, so
 * only changed documents are read and diffed (pubdiff.h), and equal ids
 * cost nothing. Lists are sorted by path so the result never depends on
 * hash-table or directory order.
 *
 * Linking keys documents by id, not path: a page's "first published in"
 * is the first publication in which a document with its id appeared, and
 * it is amended in every later one that changed its source.
 *
 * The history pages are paged like every list (paging.h), so none grows
 * with the archive: /history/ by publications, newest first, each showing
 * at most a page's worth of its documents per kind with a link to the
 * rest; /history/N/ by documents (added, then amended, then removed, each
 * by path), so a page of amended documents with their line diffs stays
 * small too. A document's link into a publication names the page that
 * holds it, which depends only on that order.
 */
#include "graph/history.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/buf.h"
#include "graph/paging.h"
#include "util/hash.h"
#include "load/meta.h"
#include "audit/pubdiff.h"
#include "util/textdiff.h"

static const char *jstr(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

char *nb_history_subject(const char *msg)
{
	const char *p = msg ? msg : "";
	if (!strncmp(p, "Publication ", 12)) {
		const char *c = strstr(p, ": ");
		const char *nl = strchr(p, '\n');
		if (c && (!nl || c < nl))
			p = c + 2;
	}
	const char *end = strstr(p, "\n\n");
	size_t n = end ? (size_t)(end - p) : strlen(p);
	while (n && (p[n - 1] == '\n' || p[n - 1] == ' '))
		n--;
	char *s = strndup(p, n);
	if (!s)
		abort();
	return s;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of an object, sorted bytewise (caller frees the array only). */
static const char **sorted_keys(const json_t *o, size_t *n)
{
	*n = json_object_size(o);
	const char **k = calloc(*n ? *n : 1, sizeof(*k));
	if (!k)
		abort();
	size_t i = 0;
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)o, key, v)
		k[i++] = key;
	qsort(k, *n, sizeof(*k), cmp_cstr);
	return k;
}

/* The unified diff as lines for the template, without the file headers. */
static json_t *diff_lines(const char *diff)
{
	json_t *lines = json_array();
	const char *p = diff;
	int header = 2;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (header && n >= 3 && (!strncmp(p, "---", 3) || !strncmp(p, "+++", 3))) {
			header--;
		} else {
			const char *kind = p[0] == '@' ? "hunk" : p[0] == '+' ? "add" :
					   p[0] == '-' ? "del" : p[0] == '\\' ? "note" : "ctx";
			json_array_append_new(lines, json_pack("{s:s, s:s%}", "kind", kind, "text",
							       p, n));
		}
		p = nl ? nl + 1 : NULL;
	}
	return lines;
}

/* A document in a publication's lists, its keys in strcmp order, so that
 * in_key_order shares it rather than copying. */
static json_t *doc_ref(const char *path, const char *id)
{
	return json_pack("{s:s, s:s}", "id", id, "path", path);
}

/* A changed document's entry (doc_ref, with what changed). */
static int changed_entry(nb_audit *a, const char *path, const char *id, const nb_oid *oo,
			 const nb_oid *no, json_t **out)
{
	char *da = NULL, *db = NULL;
	size_t la, lb;
	if (nb_audit_read_blob(a, oo, &da, &la) != 0 || nb_audit_read_blob(a, no, &db, &lb) != 0) {
		free(da);
		free(db);
		return -1;
	}
	nb_pubdiff_doc pa, pb;
	nb_pubdiff_parse(path, da, la, &pa);
	nb_pubdiff_parse(path, db, lb, &pb);
	/* Values stay data here; the link stage words them in the site's
	 * language (field_change). */
	json_t *fields = nb_pubdiff_fields(&pa, &pb);
	json_t *entry = json_object();
	size_t i;
	json_t *f;
	/* The correction note, when this publication wrote one: a note
	 * left over from an earlier correction says nothing about this one. */
	json_array_foreach(fields, i, f) {
		json_t *to = json_object_get(f, "to");
		if (!strcmp(jstr(f, "field"), "change_note") && json_is_string(to))
			json_object_set(entry, "change_note", to);
	}
	nb_buf diff = NB_BUF_INIT;
	nb_textdiff_unified(&diff, pa.body, pa.body_len, pb.body, pb.body_len, "a", "b", 3);
	json_t *lines = diff_lines(nb_buf_cstr(&diff));
	json_object_set_new(entry, "fields", fields);
	json_object_set_new(entry, "has_fields", json_boolean(json_array_size(fields)));
	json_object_set_new(entry, "has_lines", json_boolean(json_array_size(lines)));
	json_object_set_new(entry, "id", json_string(id));
	json_object_set_new(entry, "lines", lines);
	json_object_set_new(entry, "path", json_string(path));
	nb_buf_free(&diff);
	nb_pubdiff_doc_free(&pa);
	nb_pubdiff_doc_free(&pb);
	free(da);
	free(db);
	*out = entry;
	return 0;
}

void nb_history_recorded(char out[16], const nb_time *when)
{
	/* The day in the publisher's own time zone, as `git log` shows it. */
	time_t t = (time_t)(when->time + (long long)when->offset * 60);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/* One publication's entry from its document map and the previous one's,
 * merged in path order. */
static int make_entry(nb_audit *a, size_t number, const char *as_of, const nb_time *when,
		      const char *publisher, const char *message, const nb_audit_docs *old_docs,
		      const nb_audit_docs *docs, json_t **out)
{
	char *subject = nb_history_subject(message);
	char recorded[16];
	nb_history_recorded(recorded, when);
	json_t *e = json_pack("{s:I, s:s, s:s, s:s, s:s, s:[], s:[], s:[]}", "number",
			      (json_int_t)number, "as_of", as_of, "recorded", recorded,
			      "publisher", publisher, "message", subject, "added", "changed",
			      "removed");
	free(subject);
	json_t *added = json_object_get(e, "added"), *changed = json_object_get(e, "changed"),
	       *removed = json_object_get(e, "removed");
	int rc = 0;
	size_t i = 0, j = 0, n = old_docs ? old_docs->len : 0, m = docs->len;
	while ((i < n || j < m) && rc == 0) {
		const nb_audit_doc *od = i < n ? &old_docs->items[i] : NULL;
		const nb_audit_doc *d = j < m ? &docs->items[j] : NULL;
		int c = !od ? 1 : !d ? -1 : strcmp(nb_audit_doc_path(old_docs, od),
						   nb_audit_doc_path(docs, d));
		if (c < 0) {
			json_array_append_new(removed, doc_ref(nb_audit_doc_path(old_docs, od),
							       nb_audit_doc_id(old_docs, od)));
			i++;
			continue;
		}
		const char *path = nb_audit_doc_path(docs, d);
		if (c > 0) {
			json_array_append_new(added, doc_ref(path, nb_audit_doc_id(docs, d)));
		} else if (!nb_oid_equal(&od->hash, &d->hash)) {
			json_t *item = NULL;
			rc = changed_entry(a, path, nb_audit_doc_id(docs, d), &od->hash, &d->hash,
					   &item);
			if (item)
				json_array_append_new(changed, item);
		}
		i += c == 0;
		j++;
	}
	if (rc != 0) {
		json_decref(e);
		return -1;
	}
	*out = e;
	return 0;
}

/* Whether the commit is signed, and whose key it must be (history.h). */
static void sign_state(json_t *e, int is_signed, const char *email)
{
	json_object_set_new(e, "signed", json_boolean(is_signed));
	json_object_set_new(e, "signer", json_string(email ? email : ""));
}

int nb_history_load(nb_audit *a, size_t upto, const nb_history_pending *pending,
		    json_t **out)
{
	*out = NULL;
	json_t *arr = json_array();
	nb_audit_pub_iter *it;
	const nb_audit_pub *p, *last = NULL;
	int rc;
	nb_audit_pub_iter_new(&it, a, upto);
	while ((rc = nb_audit_pub_iter_next(&p, it)) == 0) {
		json_t *e = NULL;
		const nb_person au_ = nb_commit_author(p->commit), *au = &au_;
		rc = make_entry(a, p->n, jstr(p->manifest, "as_of"), &au->when,
				au->name ? au->name : "", nb_commit_message(p->commit),
				p->prev_docs, p->docs, &e);
		if (rc != 0)
			break;
		char hex[NB_OID_HEXSZ + 1];
		nb_oid_tostr(hex, sizeof(hex), nb_commit_id(p->commit));
		json_object_set_new(e, "commit", json_string(hex));
		sign_state(e, nb_audit_commit_signed(p->commit), au->email);
		json_array_append_new(arr, e);
		last = p;
	}
	if (rc == NB_AUDIT_ITEROVER)
		rc = 0;
	if (rc == 0 && pending) {
		json_t *e = NULL;
		rc = nb_history_entry(a, pending, last ? last->docs : NULL, &e);
		if (rc == 0)
			json_array_append_new(arr, e);
	}
	nb_audit_pub_iter_free(it);
	if (rc != 0 || !json_array_size(arr)) {
		json_decref(arr);
		return rc ? -1 : 0;
	}
	*out = arr;
	return 0;
}

int nb_history_entry(nb_audit *a, const nb_history_pending *pending,
		     const nb_audit_docs *prev_docs, json_t **out)
{
	*out = NULL;
	int rc = make_entry(a, pending->number, pending->as_of, &pending->when,
			    pending->publisher, pending->message, prev_docs, pending->docs, out);
	if (rc == 0)
		sign_state(*out, pending->is_signed, pending->email);
	return rc;
}

/* A problem reading the history: an error when it was asked for
 * explicitly, else a warning and a site without history. */
static int history_problem(nb_diag *d, int asked, const char *err)
{
	if (asked)
		nb_error(d, "site.yaml", 0, 0, "history",
			 "give --audit-repo the publications' bare repository and "
			 "--publication a number `noticeboard log` lists",
			 "cannot read the publication history: %s", err);
	else
		nb_warning(d, "site.yaml", 0, 0, "history",
			   "`noticeboard verify` says what is wrong with the audit repository",
			   "the site is built without its publication history: %s", err);
	return asked ? -1 : 0;
}

int nb_history_find(nb_history_src *out, const nb_config *cfg, const char *repo,
		    size_t publication, nb_diag *d)
{
	memset(out, 0, sizeof(*out));
	out->asked = repo || publication;
	out->repo = repo ? repo : cfg->audit_repo;
	out->site_dir = cfg->site_dir;
	nb_config c = *cfg;
	c.audit_repo = (char *)out->repo;
	/* Before the first publish there is no record to read, and starting
	 * libgit2 (which parses the system's certificate bundle) was a tenth
	 * of a no-op build. A bad audit.branch is then publish's to report. */
	struct stat st;
	if (!out->asked && stat(c.audit_repo, &st) != 0 && errno == ENOENT)
		return 0;
	/* Nor once the refs that name the chain are the files they were
	 * when it was last found (audit.h nb_audit_refstamp_take). */
	nb_audit_refstamp *refs = NULL;
	char *memo = NULL;
	if (!out->asked && nb_audit_refstamp_take(&refs, c.audit_repo) == 0) {
		memo = nb_audit_refstamp_path(cfg->site_dir);
		if (nb_audit_refstamp_recall(refs, memo, c.audit_repo, c.audit_branch, &out->upto,
					     &out->chain)) {
			nb_audit_refstamp_free(refs);
			free(memo);
			return 0;
		}
	}
	nb_audit a;
	int rc = nb_audit_open(&a, &c, 0);
	size_t last = 0;
	nb_oid tip;
	if (rc == NB_AUDIT_ENOTFOUND && !out->asked) {
		nb_audit_close(&a);
		nb_audit_refstamp_free(refs);
		free(memo);
		return 0;
	}
	if (rc == 0 && nb_audit_head(&a, 0, &last, &tip) != 0)
		rc = -1;
	if (rc == 0 && publication > last) {
		snprintf(a.err, sizeof(a.err), "there is no publication %zu in %s (the last is %zu)",
			 publication, c.audit_repo, last);
		rc = -1;
	}
	size_t upto = publication ? publication : last;
	if (rc == 0 && upto && nb_audit_chain_id(&a, upto, &out->chain) != 0)
		rc = -1;
	if (rc == 0) {
		out->upto = upto;
		nb_audit_refstamp_remember(refs, memo, c.audit_repo, c.audit_branch, upto,
					   &out->chain);
	} else {
		rc = history_problem(d, out->asked, a.err);
	}
	nb_audit_close(&a);
	nb_audit_refstamp_free(refs);
	free(memo);
	return rc;
}

struct nb_history_prev {
	nb_config cfg;      /* the audit repository opened; `a` points at it */
	nb_audit a;
	nb_audit_previous p;
	int open, have;
};

int nb_history_previous_open(nb_history_prev **out, const nb_history_src *src,
			     const nb_config *cfg, size_t publication, nb_diag *d)
{
	*out = NULL;
	nb_history_prev *hp = calloc(1, sizeof(*hp));
	if (!hp)
		abort();
	hp->cfg = *cfg;
	hp->cfg.audit_repo = (char *)src->repo;
	const char *why = "there is no publication history";
	if (publication >= 2 && src->upto && src->repo) {
		hp->open = 1;
		if (nb_audit_open(&hp->a, &hp->cfg, 0) == 0 &&
		    nb_audit_previous_open(&hp->p, &hp->a, publication - 1) == 0)
			hp->have = 1;
		why = hp->a.err;
	}
	if (!hp->have) {
		nb_error(d, src->repo ? src->repo : "", 0, 0, "history",
			 "`noticeboard verify` says what is wrong with the audit repository",
			 "cannot read publication %zu's pages, which publication %zu keeps: %s",
			 publication - 1, publication, why);
		nb_history_previous_free(hp);
		return -1;
	}
	*out = hp;
	return 0;
}

int nb_history_previous_page(void *ud, const char *rel, nb_buf *out)
{
	return nb_audit_previous_page(&((nb_history_prev *)ud)->p, rel, out);
}

const char *nb_history_previous_id(const nb_history_prev *p)
{
	return p->p.id;
}

void nb_history_previous_free(nb_history_prev *p)
{
	if (!p)
		return;
	if (p->have)
		nb_audit_previous_free(&p->p);
	if (p->open)
		nb_audit_close(&p->a);
	free(p);
}

void nb_history_src_key(char hex[33], const nb_history_src *src)
{
	if (!src->upto)
		return;
	char chain[NB_OID_HEXSZ + 1];
	nb_oid_tostr(chain, sizeof(chain), &src->chain);
	json_t *k = json_pack("{s:s, s:I}", "chain", chain, "upto", (json_int_t)src->upto);
	nb_history_key(hex, k);
	json_decref(k);
}

int nb_history_read(nb_history_src *src, const nb_config *cfg, json_t **out,
		    nb_diag *d)
{
	*out = NULL;
	if (!src->upto)
		return 0;
	/* What the last publish remembered, when it is about this chain. */
	char *state = nb_audit_state_path(src->site_dir);
	int rc = nb_audit_state_load(state, &src->chain, NULL, out);
	free(state);
	src->remembered = rc == 0;
	if (rc == 0)
		return 0;
	nb_config c = *cfg;
	c.audit_repo = (char *)src->repo;
	nb_audit a;
	rc = nb_audit_open(&a, &c, 0);
	if (rc == 0)
		rc = nb_history_load(&a, src->upto, NULL, out);
	/* The chain the build's key names is the one read (a publish
	 * between nb_history_find and here moves no tag below upto, but a
	 * rewritten history would). */
	nb_oid now;
	if (rc == 0 && (nb_audit_chain_id(&a, src->upto, &now) != 0 ||
			!nb_oid_equal(&now, &src->chain))) {
		snprintf(a.err, sizeof(a.err), "the publications in %s changed while it was read; "
			 "build again", src->repo);
		rc = -1;
	}
	if (rc != 0) {
		json_decref(*out);
		*out = NULL;
		rc = history_problem(d, src->asked, a.err);
	}
	nb_audit_close(&a);
	return rc;
}

/* ---- link stage ------------------------------------------------------------ */

static const char *t(const nb_site *s, const char *key, const char *fallback)
{
	const char *v = json_string_value(json_object_get(s->theme->strings, key));
	return v ? v : fallback;
}

/* "doc-" + the id with anything but [A-Za-z0-9_-] as '-'. */
static char *anchor_of(const char *id)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_puts(&b, "doc-");
	for (const char *p = id; *p; p++) {
		char ch = *p;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			 (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
		nb_buf_putc(&b, ok ? ch : '-');
	}
	return nb_buf_detach(&b);
}

static char *pub_rel(size_t n)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "history/%zu/", n);
	return nb_buf_detach(&b);
}

static char *join(const char *a, const char *b)
{
	nb_buf x = NB_BUF_INIT;
	nb_buf_printf(&x, "%s%s", a, b);
	return nb_buf_detach(&x);
}

/* The page object common to both history layouts. */
static json_t *frame(const nb_site *s, const char *rel, const char *title, const char *layout,
		     json_t *crumbs)
{
	char *url = join(s->cfg->base_path, rel);
	char *perm = join(s->cfg->base_url, rel);
	json_t *pg = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", title, "url", url,
			       "permalink", s->cfg->base_url[0] == '/' ? url : perm, "kind",
			       "history", "layout", layout);
	json_array_append_new(crumbs, json_pack("{s:s}", "title", title));
	json_object_set_new(pg, "breadcrumbs", crumbs);
	free(url);
	free(perm);
	return pg;
}

static json_t *home_crumbs(const nb_site *s)
{
	return json_pack("[{s:s, s:s}]", "title", t(s, "home", "Home"), "url", s->cfg->base_path);
}

/* One history page, page `no` of `total` at `url` (its pagination is a
 * view made when it is rendered, nb_history_list_view: held for every page
 * from linking on, the navigation of a first publication's thousand pages
 * was 11 MB at 50,000 documents), `pub` the publication's place in the
 * history (publication pages). */
static json_t *add_page(nb_site *s, const char *layout, const char *rel, json_t *page,
			const char *url, size_t no, size_t total, size_t pub)
{
	char *out = join(rel, "index.html");
	json_t *e = json_pack("{s:s, s:s, s:o, s:I}", "layout", layout, "out_path", out, "page",
			      page, "pub", (json_int_t)pub);
	if (total > 1)
		json_object_set_new(e, "list", json_pack("{s:s, s:I, s:I}", "url", url, "no",
							 (json_int_t)no, "total", (json_int_t)total));
	json_array_append_new(s->history, e);
	free(out);
	return e;
}

json_t *nb_history_list_view(const nb_site *s, const json_t *h)
{
	const json_t *l = json_object_get(h, "list");
	if (!l)
		return NULL;
	return json_pack("{s:o}", "pagination",
			 nb_paging_nav(jstr(l, "url"), s->theme->strings,
				       (size_t)json_integer_value(json_object_get(l, "no")),
				       (size_t)json_integer_value(json_object_get(l, "total"))));
}

static const char *const doc_lists[] = { "added", "changed", "removed" };

static size_t page_size(const nb_site *s)
{
	return s->cfg->page_size ? s->cfg->page_size : 1;
}

/* `at`'s place among a publication's entries says which page of
 * /history/N/ holds it: its address there. */
static void change_url(nb_buf *u, const nb_site *s, const char *pub_url, size_t at,
		       const char *anchor)
{
	nb_buf_clear(u);
	nb_buf_puts(u, pub_url);
	nb_paging_rel(u, at / page_size(s) + 1);
	nb_buf_printf(u, "#%s", anchor);
}

/* Entry `d` of a publication at `pub_url` (the `at`-th of its entries) as
 * the history pages show it: a copy with its anchor, address, current
 * title and (`link`) page. */
static json_t *entry_view(const nb_site *s, const json_t *d, const char *pub_url, int link,
			  size_t at, nb_buf *u)
{
	json_t *it = json_copy((json_t *)d);
	const char *id = jstr(d, "id");
	long k = nb_site_find(s, id);
	char *anchor = anchor_of(id);
	json_object_set_new(it, "anchor", json_string(anchor));
	change_url(u, s, pub_url, at, anchor);
	json_object_set_new(it, "change_url", json_string(nb_buf_cstr(u)));
	free(anchor);
	if (k >= 0) {
		const nb_page *p = &s->pages[k];
		json_object_set(it, "title", json_object_get(p->item, "title"));
		if (link)
			json_object_set_new(it, "doc_url", json_string(p->url));
	} else {
		json_object_set_new(it, "title", json_string(id));
	}
	return it;
}

/* A publication with, of each of its lists (`added`, `changed`, `removed`,
 * read in that order as one list), the entries from `from` to before `to`
 * as pages show them (entry_view), or (`cap`) the first `cap` of each
 * with `added_more` etc. saying how many more its own page has. Its
 * counts are still the whole publication's. O(entries shown). */
static json_t *pub_view(const nb_site *s, const json_t *pub, size_t from, size_t to, size_t cap)
{
	json_t *c = json_copy((json_t *)pub);
	const char *url = jstr(pub, "url");
	nb_buf u = NB_BUF_INIT;
	size_t off = 0;
	for (size_t l = 0; l < 3; l++) {
		const json_t *arr = json_object_get(pub, doc_lists[l]);
		size_t n = json_array_size(arr), j = 0, end = n;
		if (cap) {
			end = n < cap ? n : cap;
		} else {
			j = from > off ? from - off : 0;
			end = to > off ? (to - off < n ? to - off : n) : 0;
		}
		json_t *part = json_array();
		for (; j < end; j++)
			json_array_append_new(part, entry_view(s, json_array_get(arr, j), url, l < 2,
							       off + j, &u));
		off += n;
		if (!cap) {
			char has[16];
			snprintf(has, sizeof(has), "has_%s", doc_lists[l]);
			json_object_set_new(c, has, json_boolean(json_array_size(part)));
		} else if (n > cap) {
			char more[16];
			snprintf(more, sizeof(more), "%s_more", doc_lists[l]);
			json_object_set_new(c, more, json_integer((json_int_t)(n - cap)));
		}
		json_object_set_new(c, doc_lists[l], part);
	}
	nb_buf_free(&u);
	return c;
}

json_t *nb_history_page_view(const nb_site *s, const json_t *h)
{
	json_t *pg = json_copy(json_object_get(h, "page"));
	const json_t *pub = json_object_get(h, "shows"), *sum = json_object_get(h, "summarize");
	if (pub)
		json_object_set_new(pg, "publication",
				    pub_view(s, pub, (size_t)json_integer_value(json_object_get(h, "from")),
					     (size_t)json_integer_value(json_object_get(h, "to")), 0));
	if (sum) {
		json_t *part = json_array();
		size_t i;
		json_t *p;
		json_array_foreach(sum, i, p)
			json_array_append_new(part, pub_view(s, p, 0, 0, page_size(s)));
		json_object_set_new(pg, "publications", part);
	}
	return pg;
}

static json_t *date_of(const nb_site *s, const char *iso)
{
	return nb_site_date_value(s, iso);
}

/* "votes.for" as residents read it: each part by its label
 * (field_labels), list positions as numbered items: "表决票数·赞成",
 * "落实进展·第3项·说明". A part without a label keeps its key. */
static void field_label(const nb_site *s, const char *key, nb_buf *out)
{
	const json_t *labels = json_object_get(s->theme->strings, "field_labels");
	for (const char *p = key; *p;) {
		size_t n = strcspn(p, ".");
		char part[128];
		snprintf(part, sizeof(part), "%.*s", (int)(n < sizeof(part) ? n : sizeof(part) - 1), p);
		if (p != key)
			nb_buf_puts(out, t(s, "field_sep", "."));
		if (n && strspn(part, "0123456789") == n && n < 10) {
			nb_buf_printf(out, "%s%ld%s", t(s, "field_item_prefix", "#"),
				      strtol(part, NULL, 10) + 1, t(s, "field_item_suffix", ""));
		} else {
			const char *l = json_string_value(json_object_get(labels, part));
			nb_buf_puts(out, l ? l : part);
		}
		p += n + (p[n] == '.');
	}
}

/* A field's value as residents read it: absent is the language's "none",
 * yes/no words, dates in the long form, enum values by their label. */
static json_t *value_display(const nb_site *s, const char *key, const json_t *v)
{
	static const char *const enums[][2] = {
		{ "category", "categories" }, { "result", "results" }, { "rule", "rules" },
		{ "status", "meeting_status" }, { "kind", "meeting_kinds" },
		{ "platform", "platforms" },
	};
	if (!v || json_is_null(v) || (json_is_array(v) && !json_array_size(v)) ||
	    (json_is_object(v) && !json_object_size(v)))
		return json_string(t(s, "none", "(none)"));
	if (json_is_boolean(v))
		return json_string(json_is_true(v) ? t(s, "field_yes", "yes") : t(s, "field_no", "no"));
	if (!json_is_string(v)) {
		char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		json_t *j = json_string(d ? d : "");
		free(d);
		return j;
	}
	const char *str = json_string_value(v), *last = strrchr(key, '.');
	last = last ? last + 1 : key;
	int y, m, d;
	char tail;
	if (sscanf(str, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && strlen(str) == 10)
		return date_of(s, str);
	for (size_t i = 0; i < sizeof(enums) / sizeof(enums[0]); i++) {
		const char *l = strcmp(last, enums[i][0]) ? NULL :
			json_string_value(json_object_get(json_object_get(s->theme->strings,
									  enums[i][1]), str));
		if (l)
			return json_string(l);
	}
	return json_incref((json_t *)v);
}

/* A changed document's fields as the history pages show them:
 * {key (the dotted path, for auditors and scripts), field, from, to}. */
static void field_change(const nb_site *s, json_t *doc)
{
	json_t *fields = json_object_get(doc, "fields"), *out = json_array();
	size_t i;
	json_t *f;
	nb_buf b = NB_BUF_INIT;
	json_array_foreach(fields, i, f) {
		const char *key = jstr(f, "field");
		nb_buf_clear(&b);
		field_label(s, key, &b);
		json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:o}", "key", key, "field",
						     nb_buf_cstr(&b), "from",
						     value_display(s, key, json_object_get(f, "from")),
						     "to", value_display(s, key, json_object_get(f, "to"))));
	}
	nb_buf_free(&b);
	json_object_set_new(doc, "fields", out);
}

/* Publication `n`'s entry as the pages show it, at `url`. */
static json_t *pub_shown(const nb_site *s, const json_t *e, size_t n, const char *url)
{
	/* The entries are shared with the history as read, and made into
	 * what pages show only by the pages' views (pub_view); the changed
	 * ones are copied, their fields shown as residents read them. */
	json_t *pub = json_copy((json_t *)e);
	json_t *changed = json_deep_copy(json_object_get(e, "changed"));
	json_object_set_new(pub, "changed", changed ? changed : json_array());
	json_object_set_new(pub, "url", json_string(url));
	/* This output's own commit cannot be on it (history.h). */
	if (n == s->publication) {
		json_object_del(pub, "commit");
		json_object_set_new(pub, "is_current", json_true());
	}
	/* Residents read the day it was recorded; the as-of date only says
	 * as of when deadlines were judged. */
	json_object_set_new(pub, "date", json_string(jstr(e, "recorded")));
	json_object_set_new(pub, "date_display", date_of(s, jstr(e, "recorded")));
	json_object_set_new(pub, "as_of_display", date_of(s, jstr(e, "as_of")));
	return pub;
}

/* Publication `pub` (entry `d` of it, the `at`-th of its entries;
 * `changed`: in its changed list) listed page k's document: the page's
 * view shows it (site.c). */
static void page_listed(nb_site *s, long k, const json_t *pub, const json_t *d, int changed,
			size_t at, nb_buf *u)
{
	if (k < 0)
		return;
	char *anchor = anchor_of(jstr(d, "id"));
	change_url(u, s, jstr(pub, "url"), at, anchor);
	free(anchor);
	nb_page *p = &s->pages[k];
	/* Doubling at powers of two: most documents have one or two. */
	if (!(p->n_pubs & (p->n_pubs - 1))) {
		struct nb_page_pub *n = realloc(p->pubs, (p->n_pubs ? p->n_pubs * 2 : 1) * sizeof(*n));
		if (!n)
			abort();
		p->pubs = n;
	}
	p->pubs[p->n_pubs++] = (struct nb_page_pub){ pub, d, strdup(nb_buf_cstr(u)), changed };
	if (!p->pubs[p->n_pubs - 1].url)
		abort();
}

/* `v` with every object's keys in strcmp order. The history comes read
 * from the commits (keys in the order an entry is made) or from what the
 * last publish remembered (state.c: in sorted order), the same values
 * either way; the page memo's keys (memo.h) walk objects in their own
 * order, so without this every history page was rendered again the first
 * time the source changed (530 pages at 10,000 documents after each new
 * program). What is already in order is shared, not copied: the
 * remembered entries are, and so are the documents of an entry read from
 * the commits (doc_ref), which hold the first publication's list of every
 * document (16 MB of a publish's peak at 50,000 documents when copied). Sharing is safe because linking copies what it changes
 * (pub_shown). A new reference; O(size of the history). */
static json_t *in_key_order(const json_t *v)
{
	json_t *copy = NULL;
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			json_t *o = in_key_order(e);
			if (o != e && !copy) {
				copy = json_array();
				for (size_t j = 0; j < i; j++)
					json_array_append(copy, json_array_get(v, j));
			}
			if (copy)
				json_array_append_new(copy, o);
			else
				json_decref(o);
		}
		return copy ? copy : json_incref((json_t *)v);
	}
	if (!json_is_object(v))
		return json_incref((json_t *)v);
	size_t n, i = 0;
	const char **keys = sorted_keys(v, &n);
	const char *k;
	json_t *e;
	json_object_foreach((json_t *)v, k, e) {
		if (k != keys[i++] && !copy)
			copy = json_object();
	}
	for (i = 0; i < n; i++) {
		e = json_object_get(v, keys[i]);
		json_t *o = in_key_order(e);
		if (o != e && !copy) {
			copy = json_object();
			for (size_t j = 0; j < i; j++)
				json_object_set(copy, keys[j], json_object_get(v, keys[j]));
		}
		if (copy)
			json_object_set_new(copy, keys[i], o);
		else
			json_decref(o);
	}
	free(keys);
	return copy ? copy : json_incref((json_t *)v);
}

void nb_history_link(nb_site *s, const json_t *read)
{
	if (!read || !json_array_size(read))
		return;
	json_t *history = in_key_order(read);
	s->history = json_array();
	char *index_url = join(s->cfg->base_path, "history/");
	json_object_set_new(s->site, "history_url", json_string(index_url));

	/* Each document's publications, in order (page_listed); the
	 * publications newest first. */
	json_t *pubs = json_array();
	nb_buf u = NB_BUF_INIT;
	size_t i;
	json_t *e;
	json_array_foreach(history, i, e) {
		size_t n = (size_t)json_integer_value(json_object_get(e, "number"));
		char *rel = pub_rel(n);
		char *url = join(s->cfg->base_path, rel);
		json_t *pub = pub_shown(s, e, n, url);
		json_t *counts = json_object();
		size_t entries = 0;
		for (size_t l = 0; l < 3; l++) {
			json_t *arr = json_object_get(pub, doc_lists[l]);
			json_object_set_new(counts, doc_lists[l],
					    json_integer((json_int_t)json_array_size(arr)));
			char has[16];
			snprintf(has, sizeof(has), "has_%s", doc_lists[l]);
			json_object_set_new(pub, has, json_boolean(json_array_size(arr)));
			size_t j;
			json_t *d;
			json_array_foreach(arr, j, d) {
				if (l == 2)
					break;
				if (l == 1)
					field_change(s, d);
				page_listed(s, nb_site_find(s, jstr(d, "id")), pub, d, l == 1,
					    entries + j, &u);
			}
			entries += json_array_size(arr);
		}
		json_object_set_new(pub, "counts", counts);
		json_object_set_new(pub, "has_changes", json_boolean(entries));

		/* /history/N/ */
		nb_buf title = NB_BUF_INIT;
		nb_buf_printf(&title, "%s%zu%s", t(s, "pub_prefix", "#"), n, t(s, "pub_suffix", ""));
		json_object_set_new(pub, "title", json_string(nb_buf_cstr(&title)));
		size_t total = nb_paging_count(entries, page_size(s));
		for (size_t no = 1; no <= total; no++) {
			nb_buf prel = NB_BUF_INIT;
			nb_buf_puts(&prel, rel);
			nb_paging_rel(&prel, no);
			json_t *crumbs = home_crumbs(s);
			json_array_append_new(crumbs, json_pack("{s:s, s:s}", "title",
								t(s, "history", "Publication history"),
								"url", index_url));
			json_t *pg = frame(s, nb_buf_cstr(&prel), nb_buf_cstr(&title), "publication",
					   crumbs);
			/* Its `publication` is a view (nb_history_page_view). */
			json_t *h = add_page(s, "publication", nb_buf_cstr(&prel), pg, url, no,
					     total, i);
			json_object_set(h, "shows", pub);
			json_object_set_new(h, "from", json_integer((json_int_t)((no - 1) * page_size(s))));
			json_object_set_new(h, "to", json_integer((json_int_t)(no * page_size(s))));
			nb_buf_free(&prel);
		}
		nb_buf_free(&title);
		json_array_insert(pubs, 0, pub);  /* newest first */
		json_decref(pub);
		free(rel);
		free(url);
	}
	/* Previous and next links on each publication's pages. */
	size_t np = json_array_size(pubs);
	json_t *he;
	json_array_foreach(s->history, i, he) {
		json_t *pg = json_object_get(he, "page");
		size_t q = (size_t)json_integer_value(json_object_get(he, "pub"));
		/* pubs is newest first: entry q is pubs[np - 1 - q]. */
		if (q > 0)
			json_object_set_new(pg, "prev", json_pack("{s:O}", "url",
				json_object_get(json_array_get(pubs, np - q), "url")));
		if (q + 1 < np)
			json_object_set_new(pg, "next", json_pack("{s:O}", "url",
				json_object_get(json_array_get(pubs, np - q - 2), "url")));
	}
	/* /history/, page_size publications a page. */
	size_t ps = page_size(s), total = nb_paging_count(np, ps);
	for (size_t no = 1; no <= total; no++) {
		nb_buf rel = NB_BUF_INIT;
		nb_buf_puts(&rel, "history/");
		nb_paging_rel(&rel, no);
		json_t *idx = frame(s, nb_buf_cstr(&rel), t(s, "history", "Publication history"),
				    "history", home_crumbs(s));
		/* Its `publications` are a view (nb_history_page_view). */
		json_t *part = json_array();
		for (size_t k = (no - 1) * ps; k < np && k < no * ps; k++)
			json_array_append(part, json_array_get(pubs, k));
		json_t *h = add_page(s, "history", nb_buf_cstr(&rel), idx, index_url, no, total,
				     0);
		json_object_set_new(h, "summarize", part);
		nb_buf_free(&rel);
	}
	s->pubs = pubs;
	nb_buf_free(&u);
	free(index_url);
	json_decref(history);
}

/* The key so far, then the history's canonical dump. */
void nb_history_key(char hex[33], const json_t *history)
{
	if (!history || !hex[0])
		return;
	char *dump = json_dumps(history, JSON_COMPACT | JSON_SORT_KEYS);
	if (!dump)
		abort();
	nb_hash h;
	nb_hash_init(&h, 0x686973746f7279ULL);
	nb_hash_str(&h, hex, strlen(hex));
	nb_hash_str(&h, dump, strlen(dump));
	free(dump);
	nb_digest_hex(hex, nb_hash_final(&h));
}

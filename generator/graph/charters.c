/*
 * charters.c - a community's charter over its versions.
 *
 * Each charter page learns its siblings (versions, oldest first), its
 * state as of the build date (in force, not yet in force, or superseded:
 * nb_charters_derive), whether it is the latest, and its articles (split
 * from its Markdown source, which the load stage keeps for charters:
 * site.h nb_site_reads_body). The comparison page of a version with its
 * predecessor (the closest lower version published, not version N-1:
 * numbers may have gaps, and a draft is not published) matches articles
 * by title, then by number, and shows each changed article's characters
 * deleted and inserted, kept as spans of data (util/chardiff.h);
 * render/diffhtml.c marks them up.
 *
 * The lists of versions and the comparisons grow with the square of a
 * community's versions, so they are views made when their page is
 * rendered and freed with its context (nb_charters_versions,
 * nb_charters_compare_view), and so is a version's list of articles, which
 * only its page shows (nb_charters_page_view); the link stage keeps only
 * a version's own facts. That needs the index (kept with the site) and the
 * charters' sources (kept by the load stage for the site's life,
 * content.h nb_content_release_sources).
 *
 * The article diffs are most of a comparison's cost and rarely change, so they
 * come from the build's diff memo (util/diffmemo.h, keyed by the two
 * texts) when an earlier build made them. Keyed by the texts, not by the
 * version numbers, so a version whose predecessor changes (its v2
 * published or withdrawn) gets the diffs of its new pair, never the old.
 */
#include "graph/graph_internal.h"

#include <stdio.h>
#include <string.h>

#include "graph/index.h"
#include "markdown/markdown.h"
#include "util/chardiff.h"
#include "util/diffmemo.h"

static int charter_version(const nb_site *s, const nb_page *p)
{
	return s->ix->rec[p - s->pages].as.charter.version;
}

/* The version page `p` is compared with: the closest lower version of its
 * charter that is published, so v3 after a missing or draft v2 is
 * compared with v1; or NULL. O(log k) for k versions (index.h). */
static const nb_page *charter_before(const nb_site *s, const nb_page *p)
{
	long i = nb_site_index_charter_before(s->ix, (size_t)(p - s->pages));
	return i >= 0 ? &s->pages[i] : NULL;
}

/* "/charters/huaiyin/v2/changes/" for a charter page's URL. */
static char *changes_url(const nb_page *p)
{
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%schanges/", p->url);
	return nb_buf_detach(&b);
}

/* The version in force for `p`'s community (index.h), or `p` itself for
 * a charter of no community, or NULL. O(1). */
static const nb_page *charter_in_force(const nb_site *s, const nb_page *p)
{
	if (!nb_doc_str(p->doc, "community"))
		return p;
	long fi = nb_site_index_charter_in_force(s->ix, (size_t)(p - s->pages));
	return fi >= 0 ? &s->pages[fi] : NULL;
}

/* The versions of `p`'s charter, oldest first, as the index keeps them
 * (ties in content order), into *out; their number. */
static size_t charter_versions(const nb_site *s, const nb_page *p, const size_t **out)
{
	if (!nb_doc_str(p->doc, "community"))
		return 0;
	return nb_site_index_charters(s->ix, (size_t)(p - s->pages), out);
}

/* Whether charter page `q` takes effect after the build date: adopted,
 * not yet in force. The index's rule for the version in force
 * (index.c), seen from the other side, so that no version is both. */
static int not_yet_in_force(const nb_site *s, const nb_page *q)
{
	const char *eff = s->ix->rec[q - s->pages].as.charter.effective;
	return eff && strcmp(eff, s->as_of) > 0;
}

/* Version `v`'s entry in a list of versions; `viewing` and `force` mark
 * the page shown and the version in force. */
static json_t *version_entry(const nb_site *s, const nb_page *q, int v, int viewing, int force)
{
	json_t *e = json_object();
	json_object_set_new(e, "version", json_integer(v));
	json_object_set(e, "url", json_object_get(q->item, "url"));
	json_object_set(e, "title", json_object_get(q->item, "title"));
	const char *eff = nb_doc_str(q->doc, "effective");
	if (eff)
		json_object_set_new(e, "effective_display", date_display(s, eff));
	if (viewing)
		json_object_set_new(e, "viewing", json_true());
	if (force) {
		/* `current` kept as the theme's older name for in force. */
		json_object_set_new(e, "in_force", json_true());
		json_object_set_new(e, "current", json_true());
	}
	if (not_yet_in_force(s, q))
		json_object_set_new(e, "not_yet_in_force", json_true());
	if (charter_before(s, q)) {
		char *cu = changes_url(q);
		set_str(e, "changes_url", cu);
		free(cu);
	}
	return e;
}

/*
 * The list of versions a charter page shows. It is made when the page is
 * rendered and freed with its context: k entries on each of k versions'
 * pages (and again on each comparison page) was a fifth of the heap at
 * 10,000 documents of deep history. So it holds each version's unmarked
 * entry (nb_page.version, made once when linking and shared by every
 * list, and by the page memo as one digest, memo.h) and makes only the
 * marked ones. O(k log k) through the index.
 */
json_t *nb_charters_versions(const nb_site *s, const nb_page *p, int viewing)
{
	const nb_page *force = charter_in_force(s, p);
	json_t *versions = json_array();
	const size_t *same;
	size_t nsame = charter_versions(s, p, &same);
	for (size_t j = 0; j < nsame; j++) {
		const nb_page *q = &s->pages[same[j]];
		int v = charter_version(s, q);
		if ((q == p && viewing) || q == force)
			json_array_append_new(versions,
					      version_entry(s, q, v, q == p && viewing, q == force));
		else
			json_array_append(versions, q->version);
	}
	return versions;
}

/*
 * A charter page's articles ({id, title}, its contents list), split from
 * its source when the page is rendered: held from linking to the end they
 * were an object per article of every version, some 3.5 MB at 10,000
 * documents of deep history, for the one page that shows them. O(its
 * source).
 */
void nb_charters_page_view(const nb_site *s, const nb_page *p, json_t *pg)
{
	json_t *arts = nb_markdown_articles(p->doc->body, p->doc->body_len, p->doc->body_line);
	json_t *toc = json_array();
	size_t k;
	json_t *a;
	json_array_foreach(arts, k, a) {
		json_t *e = json_object();
		json_object_set(e, "id", json_object_get(a, "id"));
		json_object_set(e, "title", json_object_get(a, "title"));
		json_array_append_new(toc, e);
	}
	json_object_set_new(pg, "articles", toc);
	json_decref(arts);
}

/*
 * Each charter page: its state as of the build date, one of three. In
 * force: the highest version whose `effective` date has come, or that
 * has none. Not yet in force: its `effective` date is still to come,
 * whatever its number (with v1 in force, an adopted v2 and v3 are both
 * pending; neither "no longer applies"). Superseded: any other version,
 * which can only be lower than the one in force. The theme reads the
 * state from `in_force`, `not_yet_in_force` and `superseded`, not from
 * `is_latest` (the highest version, in force or not yet) nor `viewing`
 * (the page a reader is on). Also its previous
 * version; its list of versions and its articles are made when rendered
 * (nb_charters_versions, nb_charters_page_view). O(log k) per charter
 * for k versions in its community, through the index; it scanned every
 * charter of the site once per version before.
 */
void nb_charters_derive(nb_site *s)
{
	const size_t *ch;
	size_t nch = nb_site_index_kind(s->ix, NB_KIND_CHARTER, &ch);
	for (size_t ic = 0; ic < nch; ic++) {
		nb_page *p = &s->pages[ch[ic]];
		const nb_page *force = charter_in_force(s, p);
		int mine = charter_version(s, p);
		const size_t *same;
		size_t nsame = charter_versions(s, p, &same);
		/* Oldest first, so only the last can be higher: O(1). */
		int latest = !nsame || charter_version(s, &s->pages[same[nsame - 1]]) <= mine;
		json_t *pg = nb_page_derived(p);
		json_object_set_new(pg, "version", json_integer(mine));
		if (latest)
			json_object_set_new(pg, "is_latest", json_true());
		if (p == force)
			json_object_set_new(pg, "in_force", json_true());
		else if (not_yet_in_force(s, p))
			json_object_set_new(pg, "not_yet_in_force", json_true());
		else
			json_object_set_new(pg, "superseded", json_true());
		if (p != force && force)
			json_object_set_new(pg, "in_force_version", snapshot(force->item));
		const nb_page *prev = charter_before(s, p);
		if (prev) {
			char *cu = changes_url(p);
			set_str(pg, "changes_url", cu);
			free(cu);
			json_object_set_new(pg, "previous_version",
					    json_integer(charter_version(s, prev)));
		}
		const char *eff = nb_doc_str(p->doc, "effective");
		if (eff)
			json_object_set_new(pg, "effective_display", date_display(s, eff));
		p->version = version_entry(s, p, mine, 0, 0);
		json_t *ad = item_of(s, nb_doc_str(p->doc, "adopted_at"));
		if (ad)
			json_object_set_new(pg, "adopted_at", ad);
		json_t *sig = nb_doc_get(p->doc, "signatories");
		nb_site_copy_strings_of(pg, "signatories", sig);
		json_decref(sig);
		char label[32];
		snprintf(label, sizeof(label), "v%d", mine);
		set_str(p->item, "status_label", label);
		if (p == force)
			json_object_set_new(p->item, "in_force", json_true());
	}
}


/* ---- charter comparison ---- */

/* An article's title without its number: "第五条 公共秩序" -> "公共秩序". */
static const char *title_rest(const json_t *a)
{
	const char *t = str(a, "title"), *num = str(a, "number");
	if (!t)
		return "";
	size_t nl = num ? strlen(num) : 0;
	if (nl && !strncmp(t, num, nl))
		t += nl;
	for (;;) {
		if (*t == ' ' || *t == '\t')
			t++;
		else if (!strncmp(t, "\xe3\x80\x80", 3)) /* U+3000 ideographic space */
			t += 3;
		else
			break;
	}
	return t;
}

/* Article text without surrounding blank lines. */
static void article_text(const json_t *a, const char **p, size_t *len)
{
	const char *t = str(a, "text");
	if (!t)
		t = "";
	size_t n = strlen(t);
	while (n && (*t == '\n' || *t == ' ' || *t == '\r'))
		t++, n--;
	while (n && (t[n - 1] == '\n' || t[n - 1] == ' ' || t[n - 1] == '\r'))
		n--;
	*p = t;
	*len = n;
}

/* Built for every article of every comparison on every build, so it
 * shares the article's strings rather than copying them. */
static json_t *article_ref(const nb_page *p, const json_t *a)
{
	json_t *r = json_object();
	json_object_set(r, "id", json_object_get(a, "id"));
	json_object_set(r, "title", json_object_get(a, "title"));
	json_object_set(r, "number", json_object_get(a, "number"));
	nb_buf b = NB_BUF_INIT;
	nb_buf_printf(&b, "%s#%s", p->url, str(a, "id") ? str(a, "id") : "");
	set_str(r, "url", nb_buf_cstr(&b));
	nb_buf_free(&b);
	const char *t;
	size_t n;
	article_text(a, &t, &n);
	/* Plain text; render/diffhtml.c escapes it as text_html. Valid
	 * UTF-8: a JSON string's, trimmed of ASCII blanks. */
	json_object_set_new(r, "text", json_stringn_nocheck(t, n));
	return r;
}

static void push_to(json_t *cmp, const char *key, json_t *v)
{
	json_array_append_new(json_object_get(cmp, key), v);
}

/*
 * Match the articles of two versions: first by title text after the
 * number (a renumbered article keeps its title: v1 第七条 文明养犬 is v2
 * 第九条 文明养犬), then, among those left, by number (an article whose
 * title was reworded keeps its place). What is left is added or removed.
 */
static json_t *compare_articles(const nb_site *s, const nb_page *oldp, const nb_page *newp)
{
	json_t *ao = nb_markdown_articles(oldp->doc->body, oldp->doc->body_len,
					  oldp->doc->body_line);
	json_t *an = nb_markdown_articles(newp->doc->body, newp->doc->body_len,
					  newp->doc->body_line);
	size_t no = json_array_size(ao), nn = json_array_size(an);
	long *match_new = malloc((nn ? nn : 1) * sizeof(long));
	char *used_old = calloc(no ? no : 1, 1);
	if (!match_new || !used_old)
		abort();
	for (size_t j = 0; j < nn; j++) {
		match_new[j] = -1;
		const char *rj = title_rest(json_array_get(an, j));
		for (size_t i = 0; i < no && *rj; i++) {
			if (!used_old[i] && !strcmp(rj, title_rest(json_array_get(ao, i)))) {
				match_new[j] = (long)i;
				used_old[i] = 1;
				break;
			}
		}
	}
	for (size_t j = 0; j < nn; j++) {
		const char *nj = str(json_array_get(an, j), "number");
		for (size_t i = 0; i < no && match_new[j] < 0 && nj && *nj; i++) {
			const char *ni = str(json_array_get(ao, i), "number");
			if (!used_old[i] && ni && !strcmp(nj, ni)) {
				match_new[j] = (long)i;
				used_old[i] = 1;
			}
		}
	}
	json_t *cmp = json_object();
	json_object_set_new(cmp, "added", json_array());
	json_object_set_new(cmp, "removed", json_array());
	json_object_set_new(cmp, "changed", json_array());
	json_object_set_new(cmp, "unchanged", json_array());
	for (size_t j = 0; j < nn; j++) {
		json_t *a = json_array_get(an, j);
		if (match_new[j] < 0) {
			push_to(cmp, "added", article_ref(newp, a));
			continue;
		}
		json_t *o = json_array_get(ao, (size_t)match_new[j]);
		json_t *r = article_ref(newp, a);
		json_t *old = article_ref(oldp, o);
		json_object_set_new(r, "old", old);
		const char *num_o = str(o, "number"), *num_n = str(a, "number");
		if (num_o && num_n && strcmp(num_o, num_n))
			json_object_set_new(r, "renumbered", json_true());
		const char *to, *tn;
		size_t lo, ln;
		article_text(o, &to, &lo);
		article_text(a, &tn, &ln);
		int same_title = !strcmp(title_rest(o), title_rest(a));
		if (same_title && lo == ln && !memcmp(to, tn, lo)) {
			push_to(cmp, "unchanged", r);
			continue;
		}
		nb_diff d;
		if (!same_title) {
			const char *ot = str(o, "title"), *nt = str(a, "title");
			nb_chardiff(ot, strlen(ot), nt, strlen(nt), &d);
			json_object_set_new(r, "title_diff", nb_diff_json(&d));
			nb_diff_free(&d);
		}
		nb_diffmemo_chardiff(&d, s->diffs, to, lo, tn, ln);
		json_object_set_new(r, "diff", nb_diff_json(&d));
		json_object_set_new(r, "deleted_chars", json_integer((json_int_t)d.deleted));
		json_object_set_new(r, "inserted_chars", json_integer((json_int_t)d.inserted));
		if (!d.deleted && !d.inserted)
			json_object_set_new(r, "title_only", json_true());
		nb_diff_free(&d);
		push_to(cmp, "changed", r);
	}
	for (size_t i = 0; i < no; i++)
		if (!used_old[i])
			push_to(cmp, "removed", article_ref(oldp, json_array_get(ao, i)));
	static const char *const keys[] = { "added", "removed", "changed", "unchanged" };
	json_t *counts = json_object();
	for (size_t k = 0; k < 4; k++)
		json_object_set_new(counts, keys[k],
				    json_integer((json_int_t)json_array_size(json_object_get(cmp, keys[k]))));
	json_object_set_new(cmp, "counts", counts);
	free(match_new);
	free(used_old);
	json_decref(ao);
	json_decref(an);
	return cmp;
}

/* One derived comparison page per charter version that has a lower
 * published one: O(c log k) lookups. Its list of versions and the comparison of
 * articles, a page's worth of text each, are made when it is rendered
 * (nb_charters_compare_view): held from linking to the end they were a
 * fifth of the heap at 10,000 documents of deep history. */
void nb_charters_compare(nb_extra_ctx *x)
{
	nb_site *s = x->s;
	const size_t *ch;
	size_t nch = nb_site_index_kind(s->ix, NB_KIND_CHARTER, &ch);
	for (size_t ic = 0; ic < nch; ic++) {
		nb_page *p = &s->pages[ch[ic]];
		const char *cu = str(p->page, "changes_url");
		if (!cu)
			continue;
		int v = charter_version(s, p);
		const nb_page *prev = charter_before(s, p);
		nb_buf t = NB_BUF_INIT;
		nb_buf_printf(&t, "%s%s%s%d%s%s", str(p->item, "title"), tstr(s, "title_sep", " · "),
			      tstr(s, "version_prefix", "v"), v, tstr(s, "version_suffix", ""),
			      tstr(s, "changes_title", " changes"));
		json_t *crumbs = nb_extra_kind_crumbs(x, "charters");
		json_array_append_new(crumbs, nb_extra_crumb(str(p->item, "title"), p->url));
		/* changes_url carries the base path; the derived page wants it relative. */
		const char *rel = cu + strlen(s->cfg->base_path);
		nb_extra_page *e = nb_extra_add(x, "charter-compare", "charters", rel, nb_buf_cstr(&t),
					     crumbs);
		nb_buf_free(&t);
		if (!e) {
			json_object_del(p->page, "changes_url");
			continue;
		}
		json_t *pg = e->page;
		json_object_set(pg, "community", json_object_get(p->item, "community"));
		json_object_set(pg, "charter_title", json_object_get(p->item, "title"));
		json_t *nv = json_object(), *ov = json_object();
		json_object_set_new(nv, "version", json_integer(v));
		json_object_set(nv, "url", json_object_get(p->item, "url"));
		json_object_set(nv, "effective_display", json_object_get(p->page, "effective_display"));
		json_object_set_new(ov, "version", json_integer(charter_version(s, prev)));
		json_object_set(ov, "url", json_object_get(prev->item, "url"));
		const char *eff = nb_doc_str(prev->doc, "effective");
		if (eff)
			json_object_set_new(ov, "effective_display", date_display(s, eff));
		json_object_set_new(pg, "new", nv);
		json_object_set_new(pg, "old", ov);
		e->charter = p;
	}
}

json_t *nb_charters_compare_view(const nb_site *s, const nb_extra_page *e)
{
	const nb_page *p = e->charter;
	const nb_page *prev = p ? charter_before(s, p) : NULL;
	if (!prev)
		return NULL;
	json_t *pg = json_copy(e->page);
	json_object_set_new(pg, "versions", nb_charters_versions(s, p, 0));
	json_object_set(pg, "description", json_object_get(p->item, "summary"));
	json_object_set_new(pg, "compare", compare_articles(s, prev, p));
	return pg;
}

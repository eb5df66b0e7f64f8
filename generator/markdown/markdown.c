/*
 * markdown.c - Markdown to HTML, table of contents, plain text, articles.
 *
 * Rendering is cmark-gfm with its GFM extensions. The one thing cmark-gfm
 * cannot do is put ids on headings, and patching its HTML output afterwards
 * is fragile: in unsafe mode a raw `<h2>` written by the author looks the
 * same as one cmark produced. So we work on the tree instead: after parsing,
 * every heading node (at any depth: in lists and block quotes too) is
 * replaced by a CUSTOM_BLOCK node whose on_enter/on_exit are
 * `<hN id="...">` and `</hN>`, and the heading's inline children are moved
 * into it. The HTML renderer then emits the heading exactly as before, with
 * the id, and raw HTML never gets one.
 *
 * Ids: a heading that starts with a charter number ("第五条", "第三章") is
 * addressed by that number, because the number is what people cite and it
 * survives edits of the title. Anything else gets nb_utf8_slug of its plain
 * text; an empty slug becomes "section". Duplicates get -2, -3, ... so every
 * id in a document is unique.
 *
 * GFM's tagfilter runs only in safe mode; see nb_markdown_render.
 *
 * Link and image URLs: cmark-gfm's safe mode empties javascript:, vbscript:,
 * file: and data: URLs (but data:image/png, gif, jpeg, webp), and its
 * unsafe mode (markdown.unsafe_html) lets them all through. A site opts in
 * to raw HTML to write an embed or a widget as HTML, not to make
 * `[通知](javascript:...)` in a secretary's Markdown live, so with raw HTML
 * on we apply the same rule to Markdown links and images ourselves
 * (neutralise_urls); raw HTML itself is kept as written, which is what the
 * option means.
 *
 * Thread safety. Documents are rendered on many threads at once (content.c
 * loads on the pool), and cmark-gfm is not safe for that as it stands:
 *
 * - Its inline parser finds the next interesting byte through one static,
 *   process-wide table (SPECIAL_CHARS and SKIP_CHARS in inlines.c). The
 *   inline extensions' characters (`~` of strikethrough, `:` and `w` of
 *   autolink, `|` of table) are not in it by default: every parse adds them
 *   at the start of its inline pass and removes them again at its end
 *   (cmark_manage_extensions_special_characters, called from
 *   process_inlines inside cmark_parser_finish). A parser that finishes on
 *   one thread therefore clears `~` while another is in the middle of its
 *   inline pass, and that one then reads `~~struck~~` and `www.x.org` as
 *   plain text: the output depended on timing (about half of all clean
 *   builds of a realistic site differed; NB_JOBS=1 never did). Upstream
 *   still has the table (0.29.0.gfm.6 as packaged by Debian, and later).
 * - Its extension registry is a process-wide list filled lazily, guarded
 *   by an unlocked flag.
 *
 * The table's state is process-wide, so the guard must be process-wide
 * too: one mutex, held around cmark_parser_finish and nothing else. That
 * is exactly the span from the add to the remove (the inline pass), so
 * while one parser is in it no other can change the table. Block parsing
 * (cmark_parser_feed), our heading rewrite, text extraction and HTML
 * rendering stay parallel. Any cmark parse anywhere in the program must go
 * through parse_finish below: even a parser without extensions reads the
 * table. The registry is filled once with pthread_once. These two statics
 * are the only global state here, and they guard the library's, not ours.
 *
 * Cost, measured on the benchmark corpus (tests/bench/gen_corpus.c, 2,000
 * documents, 11 MB of Markdown): the inline pass is 0.03-0.05 s of the
 * 0.27 s that Markdown takes, in a build of about 2 s of CPU; at NB_JOBS=2
 * the threads waited 0.08 s in all for the lock (on a loaded machine, where
 * a thread holding it gets preempted), and the build's wall time was within
 * the noise of the unlocked one. Block parsing and HTML output, the bulk of
 * the Markdown work, stay parallel, and pages, search and feeds do not parse
 * Markdown at all.
 *
 * tests/e2e_determinism.sh builds a site using every extension 30 times
 * clean at 1, 2 and 8 threads and requires one output, and `make test` runs
 * it under ThreadSanitizer (build/tsan) for races in our own code. TSan
 * cannot see this one: libcmark-gfm is not instrumented, so its writes to
 * the table are invisible to it; the comparison of outputs is what fails
 * without the lock (and the threads case of tests/test_markdown.c).
 */
#include "markdown/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

static const char *const extension_names[] = {
	"table", "strikethrough", "autolink", "tagfilter", "tasklist",
};

static pthread_once_t registry_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t inline_table_lock = PTHREAD_MUTEX_INITIALIZER;

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

void nb_markdown_init(void)
{
	pthread_once(&registry_once, register_extensions);
}

/* cmark_parser_finish under the lock that keeps cmark-gfm's special-
 * character table fixed while a parser's inline pass reads it (top of
 * file). */
static cmark_node *parse_finish(cmark_parser *parser)
{
	pthread_mutex_lock(&inline_table_lock);
	cmark_node *doc = cmark_parser_finish(parser);
	pthread_mutex_unlock(&inline_table_lock);
	return doc;
}

/* ---- heading ids ---- */

static int is_cjk_numeral(uint32_t c)
{
	static const uint32_t set[] = {
		0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D,
		0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343, 0x96F6,
		0x4E24, /* 〇一二三四五六七八九十百千零两 */
	};
	if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19))
		return 1;
	for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
		if (set[i] == c)
			return 1;
	return 0;
}

/* Length in bytes of a leading "第<numerals>条" or "第<numerals>章" token in
 * s, or 0 when s does not start with one. */
static size_t charter_number(const char *s, size_t len)
{
	uint32_t cp;
	size_t i = 0;
	int n = nb_utf8_decode(s, len, &cp);
	if (cp != 0x7B2C) /* 第 */
		return 0;
	i += (size_t)n;
	size_t digits = 0;
	for (;;) {
		if (i >= len)
			return 0;
		n = nb_utf8_decode(s + i, len - i, &cp);
		if (!is_cjk_numeral(cp))
			break;
		i += (size_t)n, digits++;
	}
	if (!digits || (cp != 0x6761 && cp != 0x7AE0)) /* 条 章 */
		return 0;
	return i + (size_t)n;
}

static char *base_id(const char *title)
{
	size_t len = strlen(title);
	const char *p = title;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = charter_number(p, len - (size_t)(p - title));
	if (n) {
		char *id = malloc(n + 1);
		if (!id)
			abort();
		memcpy(id, p, n);
		id[n] = '\0';
		return id;
	}
	char *slug = nb_utf8_slug(title);
	if (!*slug) {
		free(slug);
		slug = strdup("section");
		if (!slug)
			abort();
	}
	return slug;
}

/* Make `base` unique among the keys of `used` (a set), record it, and return
 * it malloc'd. Takes ownership of base. */
static char *unique_id(json_t *used, char *base)
{
	if (!json_object_get(used, base)) {
		json_object_set_new(used, base, json_true());
		return base;
	}
	nb_buf b = NB_BUF_INIT;
	for (int k = 2;; k++) {
		nb_buf_clear(&b);
		nb_buf_printf(&b, "%s-%d", base, k);
		if (!json_object_get(used, nb_buf_cstr(&b)))
			break;
	}
	free(base);
	json_object_set_new(used, nb_buf_cstr(&b), json_true());
	return nb_buf_detach(&b);
}

/* ---- plain text ---- */

/* Text extraction state. A soft line break becomes a space, except between
 * two non-ASCII characters: Chinese wraps lines without spaces, and a space
 * there would show in summaries and split search terms. */
typedef struct text_state {
	nb_buf *out;
	size_t start;       /* our output starts here in out */
	int pending_space;
} text_state;

static void text_put(text_state *t, const char *s, size_t n)
{
	if (!n)
		return;
	if (t->pending_space) {
		size_t len = t->out->len;
		int prev_wide = len > t->start &&
				((unsigned char)t->out->ptr[len - 1] & 0x80);
		int next_wide = (unsigned char)s[0] & 0x80;
		int at_line_start = len == t->start ||
				    t->out->ptr[len - 1] == '\n';
		if (!(prev_wide && next_wide) && !at_line_start)
			nb_buf_putc(t->out, ' ');
		t->pending_space = 0;
	}
	nb_buf_put(t->out, s, n);
}

static void text_newline(text_state *t)
{
	t->pending_space = 0;
	if (t->out->len > t->start && t->out->ptr[t->out->len - 1] != '\n')
		nb_buf_putc(t->out, '\n');
}

/* Plain text of an inline subtree (a heading's title). */
static void inline_text(cmark_node *node, nb_buf *out)
{
	text_state t = { out, out->len, 0 };
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE: {
			const char *s = cmark_node_get_literal(n);
			if (s)
				text_put(&t, s, strlen(s));
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			t.pending_space = 1;
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* ---- rendering ---- */

/* cmark-gfm's scan_dangerous_url, for a URL as browsers read it: they drop
 * tabs, newlines and leading spaces and controls before the scheme, and
 * letters are case-insensitive (`JaVa&#9;Script:` decodes to one). */
static int dangerous_url(const char *url)
{
	static const char *const schemes[] = { "javascript:", "vbscript:", "file:", "data:" };
	static const char *const images[] = { "image/png", "image/gif", "image/jpeg", "image/webp" };
	char head[32];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)url; *p && n < sizeof head - 1; p++)
		if (*p > 0x20 && *p != 0x7f)
			head[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
	head[n] = '\0';
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
		size_t k = strlen(schemes[i]);
		if (strncmp(head, schemes[i], k))
			continue;
		if (i < 3)
			return 1;
		for (size_t j = 0; j < sizeof images / sizeof *images; j++)
			if (!strncmp(head + k, images[j], strlen(images[j])))
				return 0;
		return 1;
	}
	return 0;
}

/* With raw HTML on, empty the dangerous URLs of Markdown links and images,
 * as safe mode does (top of file). */
static void neutralise_urls(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE))
			continue;
		const char *url = cmark_node_get_url(n);
		if (url && dangerous_url(url))
			cmark_node_set_url(n, "");
	}
	cmark_iter_free(it);
}

typedef struct heading_list {
	cmark_node **items;
	size_t len, cap;
} heading_list;

/* Whether a link's URL names a file beside the document: no scheme, not
 * root-relative or protocol-relative, not only a fragment or query, and
 * not a folder (`../decisions/`, a page's address). */
static int url_is_local_file(const char *u)
{
	if (!u || !u[0] || u[0] == '/' || u[0] == '#' || u[0] == '?')
		return 0;
	size_t n = strcspn(u, ":/?#");
	if (u[n] == ':')
		return 0;
	size_t path = strcspn(u, "?#");
	return path > 0 && u[path - 1] != '/';
}

/* A link or image worth checking once the site is known (markdown.h
 * nb_markdown_render_links): one to a local file, or an image without a
 * text alternative wherever it points. */
static void note_link(cmark_node *n, int image, json_t *links)
{
	const char *u = cmark_node_get_url(n);
	int local = url_is_local_file(u);
	nb_buf a = NB_BUF_INIT;
	inline_text(n, &a);
	int alt = !image;
	for (size_t i = 0; i < a.len && !alt; i++)
		alt = a.ptr[i] != ' ';
	if (local || !alt)
		json_array_append_new(links, json_pack("{s:s, s:s, s:i, s:i, s:b, s:b, s:b}",
						       "url", u ? u : "", "text", nb_buf_cstr(&a),
						       "line", cmark_node_get_start_line(n),
						       "col", cmark_node_get_start_column(n),
						       "image", image, "local", local, "alt", alt));
	nb_buf_free(&a);
}

/* cmark counts columns in bytes; a secretary's editor counts characters
 * (a Chinese character is one column, not three). */
static void char_columns(const char *src, size_t len, json_t *links)
{
	size_t i;
	json_t *l;
	json_array_foreach(links, i, l) {
		long long line = json_integer_value(json_object_get(l, "line"));
		long long col = json_integer_value(json_object_get(l, "col"));
		size_t at = 0;
		for (long long n = 1; n < line && at < len; at++)
			n += src[at] == '\n';
		long long chars = 1;
		for (long long b = 0; b + 1 < col && at < len && src[at] != '\n'; b++, at++)
			chars += ((unsigned char)src[at] & 0xC0) != 0x80;
		json_object_set_new(l, "col", json_integer(chars));
	}
}

static void collect(cmark_node *doc, heading_list *hl, nb_buf *text_out, json_t *links)
{
	text_state t = { text_out, text_out ? text_out->len : 0, 0 };
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && type == CMARK_NODE_HEADING) {
			if (hl->len == hl->cap) {
				hl->cap = hl->cap ? hl->cap * 2 : 16;
				hl->items = realloc(hl->items,
						    hl->cap * sizeof(*hl->items));
				if (!hl->items)
					abort();
			}
			hl->items[hl->len++] = n;
		}
		if (links && ev == CMARK_EVENT_ENTER &&
		    (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE))
			note_link(n, type == CMARK_NODE_IMAGE, links);
		if (!text_out)
			continue;
		if (ev == CMARK_EVENT_EXIT) {
			const char *ts = cmark_node_get_type_string(n);
			if (type == CMARK_NODE_PARAGRAPH ||
			    type == CMARK_NODE_HEADING ||
			    (ts && strcmp(ts, "table_row") == 0))
				text_newline(&t);
			else if (ts && strcmp(ts, "table_cell") == 0)
				t.pending_space = 1;
			continue;
		}
		switch (type) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE: {
			const char *s = cmark_node_get_literal(n);
			if (s)
				text_put(&t, s, strlen(s));
			break;
		}
		case CMARK_NODE_CODE_BLOCK: {
			const char *s = cmark_node_get_literal(n);
			text_newline(&t);
			if (s)
				text_put(&t, s, strlen(s));
			text_newline(&t);
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			t.pending_space = 1;
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	if (text_out) {
		while (text_out->len > t.start &&
		       (text_out->ptr[text_out->len - 1] == '\n' ||
			text_out->ptr[text_out->len - 1] == ' '))
			text_out->len--;
		if (text_out->ptr)
			text_out->ptr[text_out->len] = '\0';
	}
}

/* Replace heading `h` with a custom block that renders it with an id. */
static void give_id(cmark_node *h, const char *id)
{
	int level = cmark_node_get_heading_level(h);
	nb_buf open = NB_BUF_INIT, close = NB_BUF_INIT;
	nb_buf_printf(&open, "<h%d id=\"", level);
	nb_buf_put_html(&open, id, strlen(id));
	nb_buf_puts(&open, "\">");
	nb_buf_printf(&close, "</h%d>", level);

	/* The tags go on an inline node inside an empty custom block: the
	 * block supplies the line breaks around it, the inline keeps the
	 * tags tight around the title (`<h2 id="x">title</h2>`) as cmark
	 * writes ordinary headings. */
	cmark_node *blk = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
	cmark_node *tag = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
	cmark_node_set_on_enter(tag, nb_buf_cstr(&open));
	cmark_node_set_on_exit(tag, nb_buf_cstr(&close));
	/* cmark-gfm leaves inline literals as chunks pointing into the
	 * heading's own content buffer until someone asks for them as a C
	 * string; freeing `h` below would free what they point to (found by
	 * tests/fuzz/fuzz_markdown: `<p>` then `-` with raw HTML on). Asking
	 * for each literal makes cmark copy it into memory the node owns. */
	cmark_iter *it = cmark_iter_new(h);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER)
			(void)cmark_node_get_literal(cmark_iter_get_node(it));
	cmark_iter_free(it);
	cmark_node *child;
	while ((child = cmark_node_first_child(h)) != NULL) {
		cmark_node_unlink(child);
		cmark_node_append_child(tag, child);
	}
	cmark_node_append_child(blk, tag);
	cmark_node_replace(h, blk);
	cmark_node_free(h);
	nb_buf_free(&open);
	nb_buf_free(&close);
}

int nb_markdown_render(const char *src, size_t len, const nb_markdown_opts *o,
		       nb_buf *html, json_t **toc_out, nb_buf *text_out)
{
	return nb_markdown_render_links(src, len, o, html, toc_out, text_out, NULL);
}

/* cmark-gfm draws a task item ("- [x] …") as a disabled checkbox with no
 * label, which screen readers announce as an unlabelled form control (an
 * axe "label" violation on every page of minutes with a to-do list). A
 * resident cannot tick it anyway, so it is written as the character it
 * stands for, which prints, needs no label and is read out by its name. */
static void put_tasks_as_text(nb_buf *html, const char *out)
{
	static const struct { const char *from, *to; } box[] = {
		{ "<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
		  "<span class=\"task task-done\">\u2611</span>" },
		{ "<input type=\"checkbox\" disabled=\"\" />",
		  "<span class=\"task\">\u2610</span>" },
	};
	const char *p = out;
	for (;;) {
		const char *next = strstr(p, "<input type=\"checkbox\"");
		if (!next)
			break;
		size_t i;
		for (i = 0; i < 2; i++)
			if (!strncmp(next, box[i].from, strlen(box[i].from)))
				break;
		nb_buf_put(html, p, (size_t)(next - p));
		if (i == 2) { /* someone's raw HTML: as it was */
			nb_buf_putc(html, '<');
			p = next + 1;
			continue;
		}
		nb_buf_puts(html, box[i].to);
		p = next + strlen(box[i].from);
	}
	nb_buf_puts(html, p);
}

int nb_markdown_render_links(const char *src, size_t len, const nb_markdown_opts *o,
			     nb_buf *html, json_t **toc_out, nb_buf *text_out, json_t **links_out)
{
	nb_markdown_init();
	if (toc_out)
		*toc_out = NULL;
	if (links_out)
		*links_out = NULL;

	/* Smart punctuation stays off: it would turn quotes in Chinese text
	 * into the wrong (Western) curly forms. */
	int options = CMARK_OPT_DEFAULT | CMARK_OPT_GITHUB_PRE_LANG;
	if (o && o->unsafe_html)
		options |= CMARK_OPT_UNSAFE;

	cmark_parser *parser = cmark_parser_new(options);
	if (!parser)
		return -1;
	for (size_t i = 0; i < sizeof extension_names / sizeof *extension_names;
	     i++) {
		/* tagfilter escapes <script>, <iframe>, <style> and friends in
		 * raw HTML. A site that opted in to raw HTML did so for exactly
		 * those (video embeds, widgets), so it only runs in safe mode,
		 * where it backs up cmark's omission of raw HTML. */
		if (o && o->unsafe_html &&
		    strcmp(extension_names[i], "tagfilter") == 0)
			continue;
		cmark_syntax_extension *e =
			cmark_find_syntax_extension(extension_names[i]);
		if (e)
			cmark_parser_attach_syntax_extension(parser, e);
	}
	cmark_parser_feed(parser, src, len);
	cmark_node *doc = parse_finish(parser);
	if (!doc) {
		cmark_parser_free(parser);
		return -1;
	}

	if (o && o->unsafe_html)
		neutralise_urls(doc);
	heading_list hl = { NULL, 0, 0 };
	json_t *links = links_out ? json_array() : NULL;
	collect(doc, &hl, text_out, links);
	if (links)
		char_columns(src, len, links);

	json_t *used = json_object();
	json_t *toc = toc_out ? json_array() : NULL;
	nb_buf title = NB_BUF_INIT;
	for (size_t i = 0; i < hl.len; i++) {
		cmark_node *h = hl.items[i];
		nb_buf_clear(&title);
		inline_text(h, &title);
		char *id = unique_id(used, base_id(nb_buf_cstr(&title)));
		if (toc)
			json_array_append_new(
				toc, json_pack("{s:i, s:s, s:s}", "level",
					       cmark_node_get_heading_level(h),
					       "id", id, "title",
					       nb_buf_cstr(&title)));
		give_id(h, id);
		free(id);
	}
	nb_buf_free(&title);
	json_decref(used);
	free(hl.items);

	char *out = cmark_render_html(doc, options,
				      cmark_parser_get_syntax_extensions(parser));
	if (out) {
		put_tasks_as_text(html, out);
		cmark_get_default_mem_allocator()->free(out);
	}
	cmark_node_free(doc);
	cmark_parser_free(parser);
	if (!out) {
		json_decref(toc);
		json_decref(links);
		return -1;
	}
	if (toc_out)
		*toc_out = toc;
	if (links_out)
		*links_out = links;
	return 0;
}

/* ---- articles ---- */

/* If line p[0..n) opens or closes a fenced code block, return the fence
 * character and set *flen; else 0. Up to three spaces of indent. */
static char fence_of(const char *p, size_t n, size_t *flen)
{
	size_t i = 0;
	while (i < n && i < 3 && p[i] == ' ')
		i++;
	if (i >= n || (p[i] != '`' && p[i] != '~'))
		return 0;
	char ch = p[i];
	size_t k = 0;
	while (i + k < n && p[i + k] == ch)
		k++;
	if (k < 3)
		return 0;
	*flen = k;
	return ch;
}

static int is_blank_after_fence(const char *p, size_t n, char ch)
{
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == ch))
		i++;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
		i++;
	return i == n;
}

/* If line p[0..n) is an ATX level-2 heading, set the title span and
 * return 1. Handles the optional closing #'s and a trailing CR. */
static int h2_title(const char *p, size_t n, const char **t, size_t *tn)
{
	size_t i = 0;
	while (i < n && i < 3 && p[i] == ' ')
		i++;
	if (n - i < 2 || p[i] != '#' || p[i + 1] != '#')
		return 0;
	i += 2;
	if (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
		return 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	size_t e = n;
	while (e > i && (p[e - 1] == ' ' || p[e - 1] == '\t' || p[e - 1] == '\r'))
		e--;
	/* Closing sequence: #'s preceded by a space (or the whole title). */
	size_t h = e;
	while (h > i && p[h - 1] == '#')
		h--;
	if (h < e && (h == i || p[h - 1] == ' ' || p[h - 1] == '\t')) {
		e = h;
		while (e > i && (p[e - 1] == ' ' || p[e - 1] == '\t'))
			e--;
	}
	*t = p + i;
	*tn = e - i;
	return 1;
}

static int blank_line(const char *p, const char *e)
{
	for (; p < e; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return 0;
	return 1;
}

static void finish_article(json_t *a, const char *body, const char *end)
{
	/* Drop blank lines around the article text; keep everything else. */
	while (body < end) {
		const char *nl = memchr(body, '\n', (size_t)(end - body));
		const char *le = nl ? nl + 1 : end;
		if (!blank_line(body, le))
			break;
		body = le;
	}
	while (end > body) {
		const char *ls = end;
		if (ls > body && ls[-1] == '\n')
			ls--;
		while (ls > body && ls[-1] != '\n')
			ls--;
		if (!blank_line(ls, end))
			break;
		end = ls;
	}
	while (end > body && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	json_object_set_new(a, "text", json_stringn(body, (size_t)(end - body)));
}

json_t *nb_markdown_articles(const char *src, size_t len, int first_line)
{
	json_t *arr = json_array();
	json_t *used = json_object();
	json_t *cur = NULL;
	const char *body = NULL;
	const char *p = src, *end = src + len;
	char fence = 0;
	size_t fence_len = 0;

	for (int line = first_line; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		size_t n = (size_t)((nl ? nl : end) - p);
		size_t fl;
		char fc = fence_of(p, n, &fl);
		const char *t;
		size_t tn;

		if (fence) {
			if (fc == fence && fl >= fence_len &&
			    is_blank_after_fence(p, n, fc))
				fence = 0;
		} else if (fc) {
			fence = fc, fence_len = fl;
		} else if (h2_title(p, n, &t, &tn)) {
			if (cur)
				finish_article(cur, body, p);
			char *title = strndup(t, tn);
			if (!title)
				abort();
			size_t num = charter_number(title, tn);
			char *id = unique_id(used, base_id(title));
			cur = json_object();
			json_object_set_new(cur, "id", json_string(id));
			json_object_set_new(cur, "title", json_string(title));
			json_object_set_new(cur, "number",
					    json_stringn(title, num));
			json_object_set_new(cur, "line", json_integer(line));
			json_array_append_new(arr, cur);
			body = next;
			free(id);
			free(title);
		}
		p = next;
	}
	if (cur)
		finish_article(cur, body, end);
	json_decref(used);
	return arr;
}

const char *nb_markdown_library_version(void)
{
	return cmark_version_string();
}

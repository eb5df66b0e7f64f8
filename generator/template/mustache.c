/*
 * mustache.c - Mustache templates: parse once, render many times.
 *
 * A site renders the same few layouts for tens of thousands of pages, so
 * all the work that does not depend on the data happens once, in
 * nb_mustache_add, and rendering is a plain walk over a tree.
 *
 * Parsing runs in four passes over the source:
 *
 *   1. tokenize: split the source into text and tags, following set-delimiter
 *      tags as they come (they change how the rest is read). Text is cut at
 *      every newline so that each token lies on one line.
 *   2. match: pair every {{#x}} {{^x}} {{<x}} {{$x}} with its {{/x}}. All
 *      syntax errors are found by passes 1 and 2, before any tree exists,
 *      so the tree builder cannot fail.
 *   3. standalone: a line holding only whitespace and one section-like tag
 *      (or only parent/block tags, which the inheritance spec lets share a
 *      line) disappears from the output; its whitespace tokens are dropped
 *      and the leading whitespace is remembered as the tag's indentation.
 *      A block opened and closed on one line ("  {{$b}}{{/b}}") is the
 *      exception: it is an inline slot, and its line keeps its newline
 *      ("Standalone block" in the spec needs exactly that).
 *   4. build: turn the tokens into a tree of nodes allocated from one arena
 *      per template, so freeing a template is freeing a few chunks.
 *
 * Indentation. The spec describes indentation of a standalone partial as
 * prepending it to every line of the partial's source. Doing that literally
 * would mean re-parsing the partial for every indentation, so instead the
 * tree marks where source lines begin: a text node carrying F_BOL (possibly
 * empty, before a tag that starts a line). While rendering, the current
 * indentation is written before every such node. Text that comes from the
 * data is never indented, exactly as if the source had been rewritten.
 *
 * Blocks get the same treatment, per the spec's rule that "block indentation
 * is removed at the site of definition and added at the site of expansion":
 * a block passed to a parent ({{<p}}{{$b}}...{{/b}}{{/p}}) has its own
 * indentation (the leading whitespace of its first line) stripped from the
 * start of each of its lines at parse time; the {{$b}} where it is expanded
 * records the indentation to add at render time.
 *
 * Overrides. Rendering a parent pushes a frame listing the blocks passed to
 * it. A {{$b}} looks the name up in all frames and takes the outermost
 * definition, so the page that started the chain wins over the layouts it
 * extends ("Multi-level inheritance"). The frames live on the C stack.
 *
 * Rendering only reads the set and the data; all mutable state (context
 * stack, indentation, depth) lives in a struct on the caller's stack, so any
 * number of threads may render from one set at once.
 */
#include "template/mustache.h"

#include <math.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/suggest.h"

#define DEFAULT_MAX_DEPTH 64
/* Nesting of sections in one template's source; far beyond any real theme,
 * it only keeps the recursive tree builder off the end of the C stack. */
#define MAX_NESTING 256
#define MAX_DELIM 32

static void oom(void)
{
	fputs("noticeboard: out of memory\n", stderr);
	abort();
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

static char *xmemdup(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* ---- arena: every node and name of a template, freed in one go ---- */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
};

static void *arena_alloc(struct arena *a, size_t n)
{
	const size_t al = alignof(max_align_t);
	n = (n + al - 1) / al * al;
	if (!a->head || a->head->cap - a->head->used < n) {
		size_t cap = a->head ? a->head->cap * 2 : 1024;
		if (cap > 65536)
			cap = 65536;
		if (cap < n)
			cap = n;
		struct chunk *c = xrealloc(NULL, sizeof(*c) + cap);
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
	}
	void *p = (char *)a->head->data + a->head->used;
	a->head->used += n;
	return p;
}

static void arena_free(struct arena *a)
{
	while (a->head) {
		struct chunk *next = a->head->next;
		free(a->head);
		a->head = next;
	}
}

/* ---- the parsed form ---- */

enum { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL, N_PARENT, N_BLOCK };

enum {
	F_BOL = 1,        /* TEXT: begins a source line; indentation goes first */
	F_ESCAPE = 2,     /* VAR: HTML-escape the value */
	F_DYNAMIC = 4,    /* PARTIAL/PARENT: the name is looked up in the data */
	F_STANDALONE = 8, /* PARTIAL/PARENT/BLOCK: the tag had a line to itself */
};

/* A dotted name split at the dots; nseg == 0 is the implicit iterator. */
struct name {
	const char **seg;
	size_t nseg;
};

struct node {
	unsigned char kind, flags;
	int line, col;          /* of the tag, for render-time errors */
	const char *text;       /* TEXT: the text; PARTIAL/PARENT/BLOCK: the name */
	size_t len;
	uint64_t hash;          /* PARTIAL/PARENT: hash of a static name */
	struct name nm;         /* VAR/SECTION/INVERTED, dynamic PARTIAL/PARENT */
	const char *ind;        /* indentation to add (PARTIAL/PARENT/BLOCK) */
	size_t indl;
	struct node **kids;     /* SECTION/INVERTED/BLOCK body; PARENT: its blocks */
	size_t nkids;
	const char *file;       /* template file, for render-time errors */
};

struct tmpl {
	char *name;
	size_t namelen;
	uint64_t hash;
	char *file;
	char *src;              /* own copy: text nodes point into it */
	size_t len;
	struct arena arena;
	struct node **kids;
	size_t nkids;
};

struct nb_mustache {
	struct tmpl **slots;    /* open addressing, linear probing */
	size_t cap, count;
	int max_depth;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	arena_free(&t->arena);
	free(t->name);
	free(t->file);
	free(t->src);
	free(t);
}

/* ---- the set ---- */

nb_mustache *nb_mustache_new(const nb_mustache_limits *limits)
{
	nb_mustache *m = xrealloc(NULL, sizeof(*m));
	m->cap = 16;
	m->count = 0;
	m->slots = xrealloc(NULL, m->cap * sizeof(*m->slots));
	memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->max_depth = limits && limits->max_depth > 0 ? limits->max_depth
						      : DEFAULT_MAX_DEPTH;
	return m;
}

void nb_mustache_free(nb_mustache *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		tmpl_free(m->slots[i]);
	free(m->slots);
	free(m);
}

static size_t slot_of(const nb_mustache *m, const char *name, size_t len,
		      uint64_t h)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;
	for (;;) {
		const struct tmpl *t = m->slots[i];
		if (!t || (t->hash == h && t->namelen == len &&
			   memcmp(t->name, name, len) == 0))
			return i;
		i = (i + 1) & mask;
	}
}

static const struct tmpl *find_tmpl(const nb_mustache *m, const char *name,
				    size_t len, uint64_t h)
{
	return m->slots[slot_of(m, name, len, h)];
}

static void insert_tmpl(nb_mustache *m, struct tmpl *t)
{
	if ((m->count + 1) * 2 > m->cap) {
		struct tmpl **old = m->slots;
		size_t oldcap = m->cap;
		m->cap *= 2;
		m->slots = xrealloc(NULL, m->cap * sizeof(*m->slots));
		memset(m->slots, 0, m->cap * sizeof(*m->slots));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				m->slots[slot_of(m, old[i]->name, old[i]->namelen,
						 old[i]->hash)] = old[i];
		free(old);
	}
	size_t i = slot_of(m, t->name, t->namelen, t->hash);
	if (m->slots[i])
		tmpl_free(m->slots[i]);
	else
		m->count++;
	m->slots[i] = t;
}

int nb_mustache_has(const nb_mustache *m, const char *name)
{
	size_t len = strlen(name);
	return find_tmpl(m, name, len, hash_bytes(name, len)) != NULL;
}

/* ---- pass 1: tokens ---- */

struct tok {
	char kind;              /* 'T' text, 'v' var, '&', or the sigil # ^ / ! > < $ = */
	unsigned char standalone, dropped, dynamic;
	size_t start, end;      /* whole token in the source */
	size_t ns, nl;          /* the name, trimmed, without a dynamic '*' */
	int line, col;
	size_t match;           /* index of the matching open/close tag */
	size_t lineid;          /* which source line (pass 3) */
	size_t inds, indl;      /* standalone: leading whitespace of the line */
	const char *od, *cd;    /* delimiters in force, for hints */
	size_t odl, cdl;
};

struct parser {
	struct tmpl *t;
	const char *src;
	size_t len;
	nb_diag *d;
	struct tok *toks;
	size_t ntok, cap;
	/* position cursor: line numbers are computed once, moving forward */
	size_t cur;
	int cur_line, cur_col;
};

static void locate(struct parser *p, size_t off, int *line, int *col)
{
	/* Tags come in source order, so one forward walk serves them all;
	 * columns count characters, not bytes (UTF-8 continuations skipped). */
	for (; p->cur < off; p->cur++) {
		unsigned char c = (unsigned char)p->src[p->cur];
		if (c == '\n') {
			p->cur_line++;
			p->cur_col = 1;
		} else if ((c & 0xC0) != 0x80) {
			p->cur_col++;
		}
	}
	*line = p->cur_line;
	*col = p->cur_col;
}

static struct tok *push_tok(struct parser *p)
{
	if (p->ntok == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->toks = xrealloc(p->toks, p->cap * sizeof(*p->toks));
	}
	struct tok *t = &p->toks[p->ntok++];
	memset(t, 0, sizeof(*t));
	return t;
}

static void add_text(struct parser *p, size_t a, size_t b)
{
	while (a < b) {
		const char *nl = memchr(p->src + a, '\n', b - a);
		size_t e = nl ? (size_t)(nl - p->src) + 1 : b;
		struct tok *t = push_tok(p);
		t->kind = 'T';
		t->start = a;
		t->end = e;
		a = e;
	}
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && is_ws(s[*a]))
		(*a)++;
	while (*b > *a && is_ws(s[*b - 1]))
		(*b)--;
}

static const char *kind_word(char k)
{
	switch (k) {
	case '#': return "section";
	case '^': return "inverted section";
	case '<': return "parent";
	case '$': return "block";
	default: return "tag";
	}
}

/* Report a syntax error at token `t`; takes over (frees) `hint`. */
static int syntax_error(struct parser *p, const struct tok *t, nb_buf *hint,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int syntax_error(struct parser *p, const struct tok *t, nb_buf *hint,
			const char *fmt, ...)
{
	nb_buf msg = NB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	nb_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	nb_error(p->d, p->t->file, t->line, t->col, "template-syntax",
		 hint && hint->len ? hint->ptr : NULL, "%s", nb_buf_cstr(&msg));
	nb_buf_free(&msg);
	if (hint)
		nb_buf_free(hint);
	return -1;
}

/* A data name: "." or dot-separated non-empty parts. */
static int valid_dotted(const char *s, size_t n)
{
	if (n == 1 && s[0] == '.')
		return 1;
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return 0;
	return 1;
}

static int tokenize(struct parser *p)
{
	const char *s = p->src;
	size_t n = p->len, pos = 0;
	const char *od = "{{", *cd = "}}";
	size_t odl = 2, cdl = 2;

	while (pos < n) {
		const char *q = memmem(s + pos, n - pos, od, odl);
		size_t ts = q ? (size_t)(q - s) : n;
		add_text(p, pos, ts);
		if (!q)
			break;
		struct tok *t = push_tok(p);
		t->start = ts;
		t->od = od, t->odl = odl, t->cd = cd, t->cdl = cdl;
		locate(p, ts, &t->line, &t->col);
		size_t a = ts + odl, cs, ce;
		char c = a < n ? s[a] : '\0';
		if (c == '{' || c == '=') {
			/* {{{name}}} and {{=a b=}} close with an extra character. */
			char needle[MAX_DELIM + 2];
			needle[0] = c == '{' ? '}' : '=';
			memcpy(needle + 1, cd, cdl);
			const char *f = memmem(s + a + 1, n - a - 1, needle, cdl + 1);
			if (!f) {
				nb_buf h = NB_BUF_INIT;
				nb_buf_printf(&h, "close the tag with %c%.*s",
					      needle[0], (int)cdl, cd);
				return syntax_error(p, t, &h, "unclosed tag %.*s%c",
						    (int)odl, od, c);
			}
			t->kind = c == '{' ? '&' : '=';
			cs = a + 1;
			ce = (size_t)(f - s);
			t->end = ce + 1 + cdl;
		} else {
			const char *f = a <= n ? memmem(s + a, n - a, cd, cdl) : NULL;
			if (!f) {
				nb_buf h = NB_BUF_INIT;
				nb_buf_printf(&h, "close the tag with %.*s",
					      (int)cdl, cd);
				return syntax_error(p, t, &h, "unclosed tag %.*s",
						    (int)odl, od);
			}
			if (c && strchr("&#^/!><$", c)) {
				t->kind = c;
				cs = a + 1;
			} else {
				t->kind = 'v';
				cs = a;
			}
			ce = (size_t)(f - s);
			t->end = ce + cdl;
		}
		pos = t->end;
		if (t->kind == '!')
			continue;
		trim(s, &cs, &ce);
		if (t->kind == '=') {
			/* Two delimiters separated by whitespace, neither with '='. */
			size_t a1 = cs, b1 = cs;
			while (b1 < ce && !is_ws(s[b1]))
				b1++;
			size_t a2 = b1;
			while (a2 < ce && is_ws(s[a2]))
				a2++;
			size_t b2 = a2;
			while (b2 < ce && !is_ws(s[b2]))
				b2++;
			int bad = b1 == a1 || b2 == a2 || b2 != ce ||
				  memchr(s + a1, '=', b1 - a1) ||
				  memchr(s + a2, '=', b2 - a2) ||
				  b1 - a1 > MAX_DELIM || b2 - a2 > MAX_DELIM;
			if (bad) {
				nb_buf h = NB_BUF_INIT;
				nb_buf_printf(&h, "write it as %.*s=<%% %%>=%.*s: two "
					      "delimiters without '=', separated by a space",
					      (int)odl, od, (int)cdl, cd);
				return syntax_error(p, t, &h, "bad delimiter change %.*s",
						    (int)(t->end - ts), s + ts);
			}
			od = s + a1, odl = b1 - a1;
			cd = s + a2, cdl = b2 - a2;
			continue;
		}
		if ((t->kind == '>' || t->kind == '<' || t->kind == '/') &&
		    cs < ce && s[cs] == '*') {
			/* {{>*name}}: the partial's name is the value of `name`. */
			t->dynamic = 1;
			cs++;
			trim(s, &cs, &ce);
		}
		t->ns = cs;
		t->nl = ce - cs;
		if (t->nl == 0) {
			nb_buf h = NB_BUF_INIT;
			nb_buf_printf(&h, "put a name inside the tag, e.g. %.*stitle%.*s",
				      (int)odl, od, (int)cdl, cd);
			return syntax_error(p, t, &h, "empty tag %.*s",
					    (int)(t->end - ts), s + ts);
		}
		for (size_t i = cs; i < ce; i++)
			if (is_ws(s[i])) {
				nb_buf h = NB_BUF_INIT;
				nb_buf_printf(&h, "names cannot contain spaces; "
					      "did you mean %.*s%.*s%.*s?", (int)odl, od,
					      (int)(i - cs), s + cs, (int)cdl, cd);
				return syntax_error(p, t, &h,
						    "tag name \"%.*s\" contains a space",
						    (int)(ce - cs), s + cs);
			}
		int data_name = t->dynamic || strchr("v&#^", t->kind) != NULL;
		if (data_name && !valid_dotted(s + cs, ce - cs)) {
			nb_buf h = NB_BUF_INIT;
			nb_buf_puts(&h, "use \".\" alone, or names joined by single dots "
				    "like page.title");
			return syntax_error(p, t, &h, "bad name \"%.*s\"",
					    (int)(ce - cs), s + cs);
		}
	}
	return 0;
}

/* ---- pass 2: pair open and close tags ---- */

static int opens(char k)
{
	return k == '#' || k == '^' || k == '<' || k == '$';
}

static void tag_text(nb_buf *b, const struct tok *t, char sigil,
		     const char *s)
{
	nb_buf_put(b, t->od, t->odl);
	nb_buf_putc(b, sigil);
	if (t->dynamic)
		nb_buf_putc(b, '*');
	nb_buf_put(b, s + t->ns, t->nl);
	nb_buf_put(b, t->cd, t->cdl);
}

static int match_tags(struct parser *p)
{
	size_t stack[MAX_NESTING], sp = 0;
	const char *s = p->src;
	for (size_t i = 0; i < p->ntok; i++) {
		struct tok *t = &p->toks[i];
		if (opens(t->kind)) {
			if (sp == MAX_NESTING) {
				nb_buf h = NB_BUF_INIT;
				nb_buf_puts(&h, "close some sections before opening more");
				return syntax_error(p, t, &h, "sections nested more "
						    "than %d deep", MAX_NESTING);
			}
			stack[sp++] = i;
		} else if (t->kind == '/') {
			nb_buf m = NB_BUF_INIT, h = NB_BUF_INIT;
			if (sp == 0) {
				tag_text(&m, t, '/', s);
				nb_buf_puts(&h, "remove it, or open the section with ");
				tag_text(&h, t, '#', s);
				nb_buf_puts(&h, " before it");
				int r = syntax_error(p, t, &h, "%s closes a section "
						     "that was never opened",
						     nb_buf_cstr(&m));
				nb_buf_free(&m);
				return r;
			}
			struct tok *o = &p->toks[stack[sp - 1]];
			if (o->nl != t->nl || o->dynamic != t->dynamic ||
			    memcmp(s + o->ns, s + t->ns, t->nl) != 0) {
				tag_text(&m, t, '/', s);
				nb_buf_puts(&m, " does not match ");
				tag_text(&m, o, o->kind, s);
				nb_buf_printf(&m, " opened at line %d", o->line);
				nb_buf_puts(&h, "close ");
				tag_text(&h, o, o->kind, s);
				nb_buf_puts(&h, " with ");
				tag_text(&h, o, '/', s);
				nb_buf_puts(&h, " first");
				int r = syntax_error(p, t, &h, "%s", nb_buf_cstr(&m));
				nb_buf_free(&m);
				return r;
			}
			sp--;
			o->match = i;
			t->match = (size_t)(o - p->toks);
		}
	}
	if (sp) {
		struct tok *o = &p->toks[stack[sp - 1]];
		nb_buf m = NB_BUF_INIT, h = NB_BUF_INIT;
		tag_text(&m, o, o->kind, s);
		nb_buf_printf(&h, "close the %s with ", kind_word(o->kind));
		tag_text(&h, o, '/', s);
		int r = syntax_error(p, o, &h, "unclosed %s %s",
				     kind_word(o->kind), nb_buf_cstr(&m));
		nb_buf_free(&m);
		return r;
	}
	return 0;
}

/* ---- pass 3: standalone lines ---- */

/* Whitespace that may surround a standalone tag: blanks, and the line end. */
static int blank_text(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t')
			continue;
		if (c == '\n' && i + 1 == b)
			continue;
		if (c == '\r' && i + 2 == b && s[i + 1] == '\n')
			continue;
		return 0;
	}
	return 1;
}

static void mark_standalone(struct parser *p)
{
	const char *s = p->src;
	size_t lineid = 0;
	for (size_t i = 0; i < p->ntok; lineid++) {
		size_t j = i;
		while (j < p->ntok) {
			const struct tok *t = &p->toks[j++];
			if (t->kind == 'T' && s[t->end - 1] == '\n')
				break;
		}
		size_t ntags = 0, ninh = 0, nvar = 0;
		int blank = 1, inline_block = 0;
		for (size_t k = i; k < j; k++) {
			struct tok *t = &p->toks[k];
			t->lineid = lineid;
			if (t->kind == 'T') {
				blank &= blank_text(s, t->start, t->end);
				continue;
			}
			ntags++;
			nvar += t->kind == 'v' || t->kind == '&';
			if (t->kind == '<' || t->kind == '$' ||
			    (t->kind == '/' && strchr("<$", p->toks[t->match].kind)))
				ninh++;
			/* A block opened and closed on one line is an inline slot:
			 * its line keeps its whitespace and its newline. */
			if (t->kind == '$' && t->match < j)
				inline_block = 1;
		}
		int standalone = blank && ntags > 0 && nvar == 0 &&
				 (ntags == 1 || (ninh == ntags && !inline_block));
		if (standalone) {
			int first = 1;
			for (size_t k = i; k < j; k++) {
				struct tok *t = &p->toks[k];
				if (t->kind == 'T') {
					t->dropped = 1;
					continue;
				}
				t->standalone = 1;
				if (first && k > i) {
					/* leading whitespace, without any line end */
					const struct tok *w = &p->toks[i];
					size_t e = w->start;
					while (e < w->end && (s[e] == ' ' || s[e] == '\t'))
						e++;
					t->inds = w->start;
					t->indl = e - w->start;
				}
				first = 0;
			}
		}
		i = j;
	}
}

/* ---- pass 4: the tree ---- */

struct nvec {
	struct node **v;
	size_t n, cap;
};

static void nv_push(struct nvec *nv, struct node *x)
{
	if (nv->n == nv->cap) {
		nv->cap = nv->cap ? nv->cap * 2 : 8;
		nv->v = xrealloc(nv->v, nv->cap * sizeof(*nv->v));
	}
	nv->v[nv->n++] = x;
}

static void nv_finish(struct parser *p, struct nvec *nv, struct node ***out,
		      size_t *n)
{
	*n = nv->n;
	*out = NULL;
	if (nv->n) {
		*out = arena_alloc(&p->t->arena, nv->n * sizeof(**out));
		memcpy(*out, nv->v, nv->n * sizeof(**out));
	}
	free(nv->v);
}

static struct node *new_node(struct parser *p, int kind, const struct tok *t)
{
	struct node *x = arena_alloc(&p->t->arena, sizeof(*x));
	memset(x, 0, sizeof(*x));
	x->kind = (unsigned char)kind;
	x->file = p->t->file;
	if (t) {
		x->line = t->line;
		x->col = t->col;
		x->text = p->src + t->ns;
		x->len = t->nl;
	}
	return x;
}

static void set_name(struct parser *p, struct node *x, const struct tok *t)
{
	const char *s = p->src + t->ns;
	size_t n = t->nl;
	if (n == 1 && s[0] == '.')
		return; /* implicit iterator: nseg stays 0 */
	size_t nseg = 1;
	for (size_t i = 0; i < n; i++)
		nseg += s[i] == '.';
	char *copy = arena_alloc(&p->t->arena, n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	x->nm.seg = arena_alloc(&p->t->arena, nseg * sizeof(*x->nm.seg));
	x->nm.nseg = nseg;
	size_t k = 0;
	x->nm.seg[k++] = copy;
	for (size_t i = 0; i < n; i++)
		if (copy[i] == '.') {
			copy[i] = '\0';
			x->nm.seg[k++] = copy + i + 1;
		}
}

/* The indentation a definition strips, as a span of the source. */
struct span {
	const char *s;
	size_t n;
};

static size_t common_prefix(struct span strip, const char *s, size_t n)
{
	size_t k = 0;
	while (k < strip.n && k < n && s[k] == strip.s[k])
		k++;
	return k;
}

static int tok_bol(const struct parser *p, const struct tok *t)
{
	return t->start == 0 || p->src[t->start - 1] == '\n';
}

static void push_marker(struct parser *p, struct nvec *out)
{
	struct node *x = new_node(p, N_TEXT, NULL);
	x->flags = F_BOL;
	x->text = "";
	nv_push(out, x);
}

static void close_marker(struct parser *p, size_t close, struct nvec *out)
{
	const struct tok *c = &p->toks[close];
	if (!c->standalone && tok_bol(p, c))
		push_marker(p, out);
}

static void set_indent(struct node *x, const char *ws, size_t n,
		       struct span strip)
{
	size_t k = common_prefix(strip, ws, n);
	x->ind = ws + k;
	x->indl = n - k;
}

/*
 * The indentation of a block, in the source: for a block whose opening tag
 * stands alone, the leading whitespace of the first line of its content
 * (its "intrinsic" indentation); otherwise the whitespace before the tag if
 * nothing else precedes it on its line.
 */
static struct span block_indent(const struct parser *p, size_t i)
{
	const struct tok *t = &p->toks[i];
	const char *s = p->src;
	struct span r = { s + t->start, 0 };
	const struct tok *w = NULL;
	if (t->standalone && p->toks[t->match].lineid != t->lineid) {
		size_t k = i + 1;
		while (k < p->ntok && p->toks[k].lineid == t->lineid)
			k++;
		if (k < p->ntok && p->toks[k].kind == 'T')
			w = &p->toks[k];
	} else if (i > 0 && p->toks[i - 1].kind == 'T' &&
		   p->toks[i - 1].lineid == t->lineid &&
		   tok_bol(p, &p->toks[i - 1])) {
		w = &p->toks[i - 1];
		if (!blank_text(s, w->start, w->end))
			w = NULL;
	}
	if (w) {
		r.s = s + w->start;
		while (w->start + r.n < w->end &&
		       (r.s[r.n] == ' ' || r.s[r.n] == '\t'))
			r.n++;
	}
	return r;
}

static void build(struct parser *p, size_t lo, size_t hi, struct nvec *out,
		  struct span strip);

static struct node *build_block(struct parser *p, size_t i, struct span strip,
				int def)
{
	const struct tok *t = &p->toks[i];
	struct node *x = new_node(p, N_BLOCK, t);
	struct span ind = block_indent(p, i);
	if (t->standalone)
		x->flags |= F_STANDALONE;
	struct nvec kids = { 0 };
	if (def) {
		/* An argument to a parent: strip its own indentation. */
		x->ind = ind.s;
		x->indl = ind.n;
		build(p, i + 1, t->match, &kids, ind);
	} else {
		set_indent(x, ind.s, ind.n, strip);
		build(p, i + 1, t->match, &kids, strip);
	}
	close_marker(p, t->match, &kids);
	nv_finish(p, &kids, &x->kids, &x->nkids);
	return x;
}

/* Inside {{<parent}}...{{/parent}} only the blocks count; the spec has
 * everything else ignored. */
static void build_args(struct parser *p, size_t lo, size_t hi,
		       struct nvec *out, struct span strip)
{
	for (size_t i = lo; i < hi; i++) {
		const struct tok *t = &p->toks[i];
		if (t->kind == '$') {
			nv_push(out, build_block(p, i, strip, 1));
			i = t->match;
		} else if (opens(t->kind)) {
			i = t->match;
		}
	}
}

static void build(struct parser *p, size_t lo, size_t hi, struct nvec *out,
		  struct span strip)
{
	const char *s = p->src;
	for (size_t i = lo; i < hi; i++) {
		const struct tok *t = &p->toks[i];
		if (t->kind == 'T') {
			if (t->dropped)
				continue;
			struct node *x = new_node(p, N_TEXT, NULL);
			size_t a = t->start;
			if (tok_bol(p, t)) {
				x->flags = F_BOL;
				a += common_prefix(strip, s + a, t->end - a);
			}
			x->text = s + a;
			x->len = t->end - a;
			nv_push(out, x);
			continue;
		}
		if (!t->standalone && tok_bol(p, t))
			push_marker(p, out);
		struct node *x = NULL;
		struct nvec kids = { 0 };
		switch (t->kind) {
		case 'v':
		case '&':
			x = new_node(p, N_VAR, t);
			x->flags = t->kind == 'v' ? F_ESCAPE : 0;
			set_name(p, x, t);
			break;
		case '#':
		case '^':
			x = new_node(p, t->kind == '#' ? N_SECTION : N_INVERTED, t);
			set_name(p, x, t);
			build(p, i + 1, t->match, &kids, strip);
			close_marker(p, t->match, &kids);
			nv_finish(p, &kids, &x->kids, &x->nkids);
			i = t->match;
			break;
		case '>':
		case '<':
			x = new_node(p, t->kind == '>' ? N_PARTIAL : N_PARENT, t);
			if (t->dynamic) {
				x->flags |= F_DYNAMIC;
				set_name(p, x, t);
			} else {
				x->hash = hash_bytes(x->text, x->len);
			}
			if (t->standalone) {
				x->flags |= F_STANDALONE;
				set_indent(x, s + t->inds, t->indl, strip);
			}
			if (t->kind == '<') {
				build_args(p, i + 1, t->match, &kids, strip);
				nv_finish(p, &kids, &x->kids, &x->nkids);
				i = t->match;
			}
			break;
		case '$':
			x = build_block(p, i, strip, 0);
			i = t->match;
			break;
		default: /* comments and delimiter changes leave nothing */
			break;
		}
		if (x)
			nv_push(out, x);
	}
}

int nb_mustache_add(nb_mustache *m, const char *name, const char *file,
		    const char *src, size_t len, nb_diag *d)
{
	struct tmpl *t = xrealloc(NULL, sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->namelen = strlen(name);
	t->name = xmemdup(name, t->namelen);
	t->hash = hash_bytes(name, t->namelen);
	t->file = xmemdup(file ? file : name, strlen(file ? file : name));
	t->src = xmemdup(src, len);
	t->len = len;

	struct parser p = { 0 };
	p.t = t;
	p.src = t->src;
	p.len = len;
	p.d = d;
	p.cur_line = 1;
	p.cur_col = 1;
	if (tokenize(&p) < 0 || match_tags(&p) < 0) {
		free(p.toks);
		tmpl_free(t);
		return -1;
	}
	mark_standalone(&p);
	struct nvec top = { 0 };
	struct span none = { "", 0 };
	build(&p, 0, p.ntok, &top, none);
	nv_finish(&p, &top, &t->kids, &t->nkids);
	free(p.toks);
	insert_tmpl(m, t);
	return 0;
}

/* ---- what a template reads (nb_mustache_digest) ---- */

struct reach {
	const nb_mustache *m;
	nb_hash *h;
	const struct tmpl **seen;
	size_t nseen, capseen;
	int dynamic;
};

static void reach_tmpl(struct reach *r, const char *name, size_t len, uint64_t hash);

static void reach_nodes(struct reach *r, struct node *const *kids, size_t n)
{
	for (size_t i = 0; i < n && !r->dynamic; i++) {
		const struct node *k = kids[i];
		if (k->kind == N_PARTIAL || k->kind == N_PARENT) {
			if (k->flags & F_DYNAMIC)
				r->dynamic = 1;
			else
				reach_tmpl(r, k->text, k->len, k->hash);
		}
		/* Section bodies, blocks, and a parent's blocks. */
		reach_nodes(r, k->kids, k->nkids);
	}
}

static void reach_tmpl(struct reach *r, const char *name, size_t len, uint64_t hash)
{
	const struct tmpl *t = find_tmpl(r->m, name, len, hash);
	nb_hash_u64(r->h, t ? 1 : 0);
	nb_hash_str(r->h, name, len);
	if (!t)
		return;
	for (size_t i = 0; i < r->nseen; i++)
		if (r->seen[i] == t)
			return;
	if (r->nseen == r->capseen) {
		r->capseen = r->capseen ? r->capseen * 2 : 16;
		r->seen = xrealloc(r->seen, r->capseen * sizeof(*r->seen));
	}
	r->seen[r->nseen++] = t;
	nb_hash_str(r->h, t->src, t->len);
	reach_nodes(r, t->kids, t->nkids);
}

int nb_mustache_digest(const nb_mustache *m, const char *name, nb_digest *out)
{
	nb_hash h;
	nb_hash_init(&h, 0x74706c73ULL);
	nb_hash_u64(&h, (uint64_t)m->max_depth);
	struct reach r = { m, &h, NULL, 0, 0, 0 };
	size_t len = strlen(name);
	reach_tmpl(&r, name, len, hash_bytes(name, len));
	free(r.seen);
	*out = nb_hash_final(&h);
	return r.dynamic ? -1 : 0;
}

/* ---- partials named but not in the set (nb_mustache_check_partials) ---- */

struct absent {
	const nb_mustache *m;
	nb_diag *d;
	const char **names;     /* every template's name, for "did you mean" */
	size_t nnames;
	size_t found;
};

static void absent_nodes(struct absent *a, struct node *const *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct node *k = kids[i];
		if ((k->kind == N_PARTIAL || k->kind == N_PARENT) && !(k->flags & F_DYNAMIC) &&
		    !find_tmpl(a->m, k->text, k->len, k->hash)) {
			char *name = strndup(k->text, k->len);
			if (!name)
				oom();
			const char *near = nb_suggest(name, a->names, a->nnames);
			char hint[160];
			if (near)
				snprintf(hint, sizeof(hint), "did you mean `%s`?", near);
			else
				snprintf(hint, sizeof(hint), "add partials/%.100s.mustache to the theme, "
					 "or remove the tag", name);
			nb_warning(a->d, k->file, k->line, k->col, "template-partial-missing", hint,
				   "the theme has no template `%s`; this tag shows nothing", name);
			free(name);
			a->found++;
		}
		absent_nodes(a, k->kids, k->nkids);
	}
}

size_t nb_mustache_check_partials(const nb_mustache *m, const char *name, nb_diag *d)
{
	size_t len = strlen(name);
	const struct tmpl *t = find_tmpl(m, name, len, hash_bytes(name, len));
	if (!t)
		return 0;
	struct absent a = { m, d, xrealloc(NULL, (m->count + 1) * sizeof(char *)), 0, 0 };
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i])
			a.names[a.nnames++] = m->slots[i]->name;
	absent_nodes(&a, t->kids, t->nkids);
	free(a.names);
	return a.found;
}

/* ---- rendering ---- */

/* Blocks passed to the parents being rendered, innermost first. */
struct frame {
	const struct node *parent;
	const struct frame *outer;
};

/* How the next output relates to indentation, set when a block override
 * starts: mid-line (skip the indentation of its first line) or at the
 * start of a line (indent even if the override starts inline). */
enum { FIRST_NONE, FIRST_SUPPRESS, FIRST_FORCE };

struct rstate {
	const nb_mustache *m;
	nb_buf *out;
	nb_diag *d;
	json_t **ctx;
	size_t nctx, capctx;
	nb_buf ind;         /* indentation; ind.ptr[ind_base..] is in force */
	size_t ind_base;
	int depth;
	int first;
	int failed;
};

static void push_ctx(struct rstate *st, json_t *v)
{
	if (st->nctx == st->capctx) {
		st->capctx = st->capctx ? st->capctx * 2 : 16;
		st->ctx = xrealloc(st->ctx, st->capctx * sizeof(*st->ctx));
	}
	st->ctx[st->nctx++] = v;
}

static json_t *lookup(const struct rstate *st, const struct name *nm)
{
	if (nm->nseg == 0)
		return st->nctx ? st->ctx[st->nctx - 1] : NULL;
	json_t *v = NULL;
	/* Only the first part walks the stack; the rest must resolve inside
	 * what it found ("Dotted Names - Context Precedence"). */
	for (size_t k = st->nctx; k-- > 0;)
		if (json_is_object(st->ctx[k]) &&
		    (v = json_object_get(st->ctx[k], nm->seg[0])))
			break;
	for (size_t i = 1; v && i < nm->nseg; i++)
		v = json_is_object(v) ? json_object_get(v, nm->seg[i]) : NULL;
	return v;
}

/* Empty strings are false as well as the spec's false, null and []: a
 * theme writes {{#subtitle}}<h2>{{subtitle}}</h2>{{/subtitle}} and means
 * "if there is one". Zero stays true; it is a value worth showing. */
static int truthy(const json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	return 1;
}

static void put_indent(struct rstate *st)
{
	nb_buf_put(st->out, st->ind.ptr ? st->ind.ptr + st->ind_base : "",
		   st->ind.len - st->ind_base);
}

/* Shortest text that reads back as the same double. */
static size_t format_real(char *buf, size_t size, double x)
{
	int n = 0;
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, size, "%.*g", prec, x);
		if (!isfinite(x) || strtod(buf, NULL) == x)
			break;
	}
	return n > 0 ? (size_t)n : 0;
}

static void put_value(struct rstate *st, const json_t *v, int escape)
{
	char tmp[64];
	const char *s = NULL;
	size_t n = 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		break;
	case JSON_INTEGER:
		n = (size_t)snprintf(tmp, sizeof(tmp), "%" JSON_INTEGER_FORMAT,
				     json_integer_value(v));
		s = tmp;
		break;
	case JSON_REAL:
		n = format_real(tmp, sizeof(tmp), json_real_value(v));
		s = tmp;
		break;
	case JSON_TRUE:
		s = "true", n = 4;
		break;
	case JSON_FALSE:
		s = "false", n = 5;
		break;
	default: /* null, objects and arrays print nothing */
		return;
	}
	if (n == 0)
		return;
	if (st->first == FIRST_FORCE)
		put_indent(st);
	st->first = FIRST_NONE;
	if (escape)
		nb_buf_put_html(st->out, s, n);
	else
		nb_buf_put(st->out, s, n);
}

static const struct node *find_override(const struct frame *f,
					const char *name, size_t len)
{
	const struct node *found = NULL;
	for (; f; f = f->outer)
		for (size_t i = 0; i < f->parent->nkids; i++) {
			const struct node *b = f->parent->kids[i];
			if (b->len == len && memcmp(b->text, name, len) == 0) {
				found = b; /* keep going: the outermost wins */
				break;
			}
		}
	return found;
}

static int render(struct rstate *st, struct node *const *kids, size_t n,
		  const struct frame *fr);

/* {{>name}} and {{<name}}: find the template, then render it with the
 * indentation of a standalone tag, or none when inline. */
static int render_include(struct rstate *st, const struct node *k,
			  const struct frame *fr)
{
	const struct tmpl *t;
	if (k->flags & F_DYNAMIC) {
		const json_t *v = lookup(st, &k->nm);
		if (!json_is_string(v))
			return 0;
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		t = find_tmpl(st->m, s, n, hash_bytes(s, n));
	} else {
		t = find_tmpl(st->m, k->text, k->len, k->hash);
	}
	if (!t)
		return 0;
	if (st->depth >= st->m->max_depth) {
		nb_buf h = NB_BUF_INIT;
		nb_buf_printf(&h, "a template that includes itself needs a section "
			      "that ends the recursion, e.g. {{#children}}...{{/children}}; "
			      "deeper nesting can be allowed with limits.template_depth in site.yaml");
		nb_error(st->d, k->file, k->line, k->col, "template-depth",
			 nb_buf_cstr(&h),
			 "templates nested more than %d deep at %s%s%.*s}} (a template "
			 "that includes itself without end?)", st->m->max_depth,
			 k->kind == N_PARTIAL ? "{{>" : "{{<",
			 k->flags & F_DYNAMIC ? "*" : "", (int)k->len, k->text);
		nb_buf_free(&h);
		st->failed = 1;
		return -1;
	}
	size_t old_len = st->ind.len, old_base = st->ind_base;
	if (k->flags & F_STANDALONE)
		nb_buf_put(&st->ind, k->ind, k->indl);
	else
		st->ind_base = st->ind.len;
	struct frame f = { k, fr };
	st->depth++;
	int r = render(st, t->kids, t->nkids, k->kind == N_PARENT ? &f : fr);
	st->depth--;
	st->ind.len = old_len;
	st->ind_base = old_base;
	return r;
}

static int render(struct rstate *st, struct node *const *kids, size_t n,
		  const struct frame *fr)
{
	for (size_t i = 0; i < n && !st->failed; i++) {
		const struct node *k = kids[i];
		switch (k->kind) {
		case N_TEXT:
			if (k->flags & F_BOL) {
				if (st->first != FIRST_SUPPRESS)
					put_indent(st);
			} else if (st->first == FIRST_FORCE) {
				put_indent(st);
			}
			st->first = FIRST_NONE;
			nb_buf_put(st->out, k->text, k->len);
			break;
		case N_VAR: {
			const json_t *v = lookup(st, &k->nm);
			if (v)
				put_value(st, v, k->flags & F_ESCAPE);
			break;
		}
		case N_SECTION: {
			json_t *v = lookup(st, &k->nm);
			if (!truthy(v))
				break;
			if (json_is_array(v)) {
				size_t idx;
				json_t *item;
				json_array_foreach(v, idx, item) {
					push_ctx(st, item);
					render(st, k->kids, k->nkids, fr);
					st->nctx--;
					if (st->failed)
						break;
				}
			} else {
				push_ctx(st, v);
				render(st, k->kids, k->nkids, fr);
				st->nctx--;
			}
			break;
		}
		case N_INVERTED:
			if (!truthy(lookup(st, &k->nm)))
				render(st, k->kids, k->nkids, fr);
			break;
		case N_PARTIAL:
		case N_PARENT:
			render_include(st, k, fr);
			break;
		case N_BLOCK: {
			const struct node *o = find_override(fr, k->text, k->len);
			if (!o) {
				render(st, k->kids, k->nkids, fr);
				break;
			}
			size_t old_len = st->ind.len;
			nb_buf_put(&st->ind, k->ind, k->indl);
			st->first = k->flags & F_STANDALONE ? FIRST_FORCE
							    : FIRST_SUPPRESS;
			render(st, o->kids, o->nkids, fr);
			st->first = FIRST_NONE;
			st->ind.len = old_len;
			break;
		}
		}
	}
	return st->failed ? -1 : 0;
}

int nb_mustache_render(const nb_mustache *m, const char *name, json_t *data,
		       nb_buf *out, nb_diag *d)
{
	size_t len = strlen(name);
	const struct tmpl *t = find_tmpl(m, name, len, hash_bytes(name, len));
	if (!t) {
		nb_error(d, "", 0, 0, "template-missing",
			 "check the layout name, and that the theme has a file for it",
			 "no template named \"%s\"", name);
		return -1;
	}
	struct rstate st = { 0 };
	st.m = m;
	st.out = out;
	st.d = d;
	nb_buf_init(&st.ind);
	push_ctx(&st, data);
	size_t mark = out->len;
	int r = render(&st, t->kids, t->nkids, NULL);
	free(st.ctx);
	nb_buf_free(&st.ind);
	if (r < 0 && out->ptr) {
		/* Half a page is worse than none: leave `out` as it was. */
		out->len = mark;
		out->ptr[mark] = '\0';
	}
	return r;
}

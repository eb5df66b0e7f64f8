/*
 * yamlhint.c - the real cause of a YAML error, read from the source line.
 *
 * libyaml reports where parsing broke and in its own terms ("did not find
 * expected key while parsing a block mapping"), which is often a line or
 * two after the mistake and names the wrong one: text after a closing
 * quote is reported as if it were an indentation problem. The mistakes
 * secretaries actually make are few and visible in the text itself: a
 * full-width colon typed with a Chinese input method, a tab, a closing
 * quote followed by more text. When parsing has failed, the lines up to
 * where it failed are read for these, and the first one found is reported
 * instead of libyaml's message, at its own line and column.
 *
 * Only lines up to the failure are read, only when parsing failed, and
 * only from the line where the last value that parsed ends: a full-width
 * colon or a tab in a value that parsed (`Note：` in a `|` block, a list
 * item `备注：x`) is text the author meant, and blaming it hid the real
 * mistake further down.
 *
 * One mistake does not fail parsing: `[张三，李四]` is a list of one item
 * named "张三，李四". An unquoted item of a [ ] list is where a Chinese comma
 * cannot be meant as text (quotes say it is), so there it is an error.
 */
#include "load/yamlhint.h"

#include <string.h>

#include "util/buf.h"

#define FW_COLON "\xef\xbc\x9a" /* U+FF1A ： */
#define FW_COMMA "\xef\xbc\x8c" /* U+FF0C ， */

static int is_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* Column (1-based, in characters) of byte `off` within a line. */
static int col_at(const char *line, size_t off)
{
	int col = 1;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/* `key：value`, the key a plain field name: report it. */
static int fullwidth_colon(nb_diag *d, const char *file, int lineno,
			   const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i + 1 < n && s[i] == '-' && s[i + 1] == ' ')
		i += 2;
	while (i < n && s[i] == ' ')
		i++;
	size_t k0 = i;
	while (i < n && is_key_char(s[i]))
		i++;
	size_t k1 = i;
	while (i < n && s[i] == ' ')
		i++;
	if (k1 == k0 || n - i < 3 || memcmp(s + i, FW_COLON, 3))
		return 0;
	size_t v = i + 3;
	while (v < n && s[v] == ' ')
		v++;
	int key_len = (int)(k1 - k0), val_len = (int)(n - v);
	/* The example's value cut short, between two characters: a hint
	 * with half a character in it is not UTF-8. */
	if (val_len > 40) {
		val_len = 40;
		while (val_len > 0 && ((unsigned char)s[v + (size_t)val_len] & 0xC0) == 0x80)
			val_len--;
	}
	nb_buf hint = NB_BUF_INIT;
	nb_buf_printf(&hint, "write `%.*s: …` with an ASCII colon and a space after it, e.g. `%.*s: %.*s`",
		      key_len, s + k0, key_len, s + k0, val_len, s + v);
	nb_error(d, file, lineno, col_at(s, i), "yaml-fullwidth-colon", nb_buf_cstr(&hint),
		 "full-width colon `：` after `%.*s`: YAML needs an ASCII colon",
		 key_len, s + k0);
	nb_buf_free(&hint);
	return 1;
}

static int tab_indent(nb_diag *d, const char *file, int lineno, const char *s,
		      size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t')) {
		if (s[i] == '\t') {
			nb_buf hint = NB_BUF_INIT;
			nb_buf_printf(&hint, "replace the tab at the start of line %d with spaces, lined up with the fields above",
				      lineno);
			nb_error(d, file, lineno, col_at(s, i), "yaml-tab", nb_buf_cstr(&hint),
				 "a tab character in the indentation: YAML indents with spaces only");
			nb_buf_free(&hint);
			return 1;
		}
		i++;
	}
	return 0;
}

/* `key: "quoted" more`: the value's quote closes before its text ends. */
static int after_quote(nb_diag *d, const char *file, int lineno, const char *s,
		       size_t n)
{
	const char *colon = memchr(s, ':', n);
	if (!colon || (size_t)(colon - s) + 1 >= n || colon[1] != ' ')
		return 0;
	size_t i = (size_t)(colon - s) + 1;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || (s[i] != '"' && s[i] != '\''))
		return 0;
	char q = s[i];
	size_t open = i++;
	for (; i < n; i++) {
		if (q == '"' && s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == q && q == '\'' && i + 1 < n && s[i + 1] == '\'')
			i++;
		else if (s[i] == q)
			break;
	}
	if (i >= n)
		return 0;
	size_t rest = i + 1;
	while (rest < n && s[rest] == ' ')
		rest++;
	if (rest >= n || s[rest] == '#')
		return 0;
	size_t end = n;
	while (end > rest && s[end - 1] == ' ')
		end--;
	/* The example moves the closing quote to the end of the value; a
	 * quote or backslash in the text it takes in is escaped as the
	 * quotes need, or the example itself would not read. */
	nb_buf ex = NB_BUF_INIT, hint = NB_BUF_INIT;
	nb_buf_put(&ex, s + open, i - open);
	for (size_t k = i + 1; k < end; k++) {
		if (s[k] == q || (q == '"' && s[k] == '\\'))
			nb_buf_putc(&ex, q == '"' ? '\\' : '\'');
		nb_buf_putc(&ex, s[k]);
	}
	nb_buf_putc(&ex, q);
	nb_buf_printf(&hint, "put the whole value inside the quotes, e.g. %s", nb_buf_cstr(&ex));
	nb_error(d, file, lineno, col_at(s, rest), "yaml-after-quote", nb_buf_cstr(&hint),
		 "text after the closing quote: `%.*s`", (int)(end - rest), s + rest);
	nb_buf_free(&ex);
	nb_buf_free(&hint);
	return 1;
}

int nb_yaml_hint_cause(nb_diag *d, const char *file, int first_line,
		       const char *src, size_t len, size_t from, size_t upto)
{
	const char *p = src, *end = src + len;
	for (size_t ln = 0; p < end && ln <= upto; ln++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		int lineno = (int)ln + first_line;
		if (ln >= from && (fullwidth_colon(d, file, lineno, p, n) ||
				   tab_indent(d, file, lineno, p, n)))
			return 1;
		/* Text after a quote breaks parsing on its own line. */
		if (ln == upto && after_quote(d, file, lineno, p, n))
			return 1;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

void nb_yaml_hint_flow_item(nb_diag *d, const char *file, int line, int col,
			    const yaml_event_t *ev)
{
	if (ev->type != YAML_SCALAR_EVENT ||
	    ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return;
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *at = memmem(v, n, FW_COMMA, 3);
	if (!at)
		return;
	nb_buf ex = NB_BUF_INIT, hint = NB_BUF_INIT;
	nb_buf_putc(&ex, '[');
	for (const char *p = v; p < v + n;) {
		const char *c = memmem(p, (size_t)(v + n - p), FW_COMMA, 3);
		if (!c) {
			nb_buf_put(&ex, p, (size_t)(v + n - p));
			break;
		}
		nb_buf_put(&ex, p, (size_t)(c - p));
		nb_buf_puts(&ex, ", ");
		p = c + 3;
	}
	nb_buf_putc(&ex, ']');
	nb_buf_printf(&hint, "replace `，` with `, ` (an ASCII comma and a space), e.g. %s",
		      nb_buf_cstr(&ex));
	nb_error(d, file, line, col + col_at(v, (size_t)(at - v)) - 1,
		 "yaml-fullwidth-comma", nb_buf_cstr(&hint),
		 "full-width comma `，` in a [ ] list: YAML separates items with an ASCII comma");
	nb_buf_free(&ex);
	nb_buf_free(&hint);
}

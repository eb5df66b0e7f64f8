/*
 * utf8.c - UTF-8 validation, decoding and slugs; see utf8.h.
 *
 * Everything here is built on one strict decoder (nb_utf8_decode) so that
 * validation, length and slugs agree on what a character is. The decoder
 * rejects overlong forms, surrogates and values above U+10FFFF, exactly the
 * set RFC 3629 forbids, because content that passes validation is later
 * handed to libraries (jansson, cmark) that assume well-formed UTF-8.
 *
 * Slugs keep CJK text as it is: a Chinese heading's id is its characters,
 * which browsers display readably in the address bar, instead of an opaque
 * percent-encoded or transliterated form.
 */
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util/buf.h"

int nb_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	if (len == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	unsigned c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int n;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		/* Continuation byte in lead position, C0/C1 (always
		 * overlong) or F5..FF (beyond U+10FFFF). */
		*cp = 0xFFFD;
		return 1;
	}
	if ((size_t)n > len) {
		*cp = 0xFFFD;
		return 1;
	}
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return n;
}

/* True when decoding at s produced a real character, not an error. A literal
 * U+FFFD in the text is valid and is three bytes long, which tells the two
 * apart. */
static int decode_ok(const char *s, size_t len, uint32_t *cp, int *n)
{
	*n = nb_utf8_decode(s, len, cp);
	return !(*cp == 0xFFFD && *n == 1);
}

int nb_utf8_validate(const char *s, size_t len, int *line, int *col)
{
	int ln = 1, cl = 1;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		int n;
		if (!decode_ok(s + i, len - i, &cp, &n) || cp == 0) {
			if (line)
				*line = ln;
			if (col)
				*col = cl;
			return -1;
		}
		i += (size_t)n;
		if (cp == '\n')
			ln++, cl = 1;
		else
			cl++;
	}
	return 0;
}

size_t nb_utf8_length(const char *s, size_t len)
{
	size_t count = 0, i = 0;
	while (i < len) {
		uint32_t cp;
		i += (size_t)nb_utf8_decode(s + i, len - i, &cp);
		count++;
	}
	return count;
}

size_t nb_utf8_columns(const char *s)
{
	size_t cols = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			cols += *p >= 0xE0 ? 2 : 1;
	return cols;
}

static int is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) ||
	       c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
	       c == 0x3000;
}

/* CJK symbol block members that are letters or numbers, not punctuation:
 * 々 〆 〇 (〇 is the CJK zero in dates such as 二〇二四), Hangzhou
 * numerals, kana repeat marks. Dropping them would change meaning. */
static int is_cjk_letterlike(uint32_t c)
{
	return (c >= 0x3005 && c <= 0x3007) || (c >= 0x3021 && c <= 0x3029) ||
	       (c >= 0x3031 && c <= 0x3035) || (c >= 0x3038 && c <= 0x303C);
}

static int is_dropped(uint32_t c)
{
	if (c < 0x80)
		return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9'));
	if (c < 0xA0 || c == 0xFFFD)
		return 1; /* C1 controls; undecodable bytes */
	/* Latin-1 punctuation and symbols, except the letters in it. */
	if (c >= 0xA1 && c <= 0xBF)
		return !(c == 0xAA || c == 0xB5 || c == 0xBA);
	if (c == 0xD7 || c == 0xF7)
		return 1;
	if (c >= 0x2000 && c <= 0x206F)
		return 1;
	if (c >= 0x3000 && c <= 0x303F)
		return !is_cjk_letterlike(c);
	if ((c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
	    (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65))
		return 1;
	if (c == 0xFEFF)
		return 1; /* BOM / zero-width no-break space */
	return 0;
}

char *nb_utf8_slug(const char *s)
{
	nb_buf out = NB_BUF_INIT;
	size_t len = strlen(s), i = 0;
	int pending_dash = 0;
	nb_buf_put(&out, "", 0); /* a slug of only punctuation is "", not garbage */
	while (i < len) {
		uint32_t cp;
		int n = nb_utf8_decode(s + i, len - i, &cp);
		const char *at = s + i;
		i += (size_t)n;
		if (is_space(cp) || cp == '-' || cp == '_') {
			pending_dash = 1;
			continue;
		}
		if (is_dropped(cp))
			continue;
		/* A dash is only emitted between two kept characters, which
		 * trims leading and trailing dashes for free. */
		if (pending_dash && out.len)
			nb_buf_putc(&out, '-');
		pending_dash = 0;
		if (cp >= 'A' && cp <= 'Z')
			nb_buf_putc(&out, (char)(cp - 'A' + 'a'));
		else
			nb_buf_put(&out, at, (size_t)n);
	}
	return nb_buf_detach(&out);
}

static int is_invisible_format(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9F) || c == 0x200E || c == 0x200F ||
	       (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void nb_utf8_put_visible(nb_buf *out, const char *s, size_t len, int flags)
{
	int lines = flags & NB_VISIBLE_LINES;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		int n;
		unsigned char c = (unsigned char)s[i];
		if (!decode_ok(s + i, len - i, &cp, &n)) {
			nb_buf_printf(out, "\\x%02x", c);
			i++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7F) {
			int keep = lines && (cp == '\n' || cp == '\t' ||
					     (cp == '\r' && i + 1 < len && s[i + 1] == '\n'));
			if (keep)
				nb_buf_putc(out, (char)cp);
			else
				nb_buf_printf(out, "\\x%02x", (unsigned)cp);
		} else if (is_invisible_format(cp)) {
			nb_buf_printf(out, "\\u%04x", (unsigned)cp);
		} else {
			nb_buf_put(out, s + i, (size_t)n);
		}
		i += (size_t)n;
	}
}

void nb_utf8_fputs_visible(FILE *f, const char *s, int flags)
{
	nb_buf b = NB_BUF_INIT;
	nb_utf8_put_visible(&b, s, strlen(s), flags);
	fwrite(nb_buf_cstr(&b), 1, b.len, f);
	nb_buf_free(&b);
}

void nb_utf8_fputs_line(FILE *f, const char *prefix, const char *s)
{
	fputs(prefix, f);
	nb_utf8_fputs_visible(f, s, 0);
	fputc('\n', f);
}

static char *fold(const char *s, int flags)
{
	/* ASCII, nearly every path: NFC and NFKC leave it, no character of
	 * it is ignorable, folding is lowercasing. */
	size_t n_ascii = 0;
	while (s[n_ascii] && !((unsigned char)s[n_ascii] & 0x80))
		n_ascii++;
	if (!s[n_ascii]) {
		char *low = malloc(n_ascii + 1);
		if (!low)
			abort();
		for (size_t i = 0; i <= n_ascii; i++)
			low[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
		return low;
	}
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
					  (utf8proc_option_t)(UTF8PROC_NULLTERM | UTF8PROC_STABLE |
							      UTF8PROC_COMPOSE |
							      UTF8PROC_CASEFOLD | flags));
	if (n < 0) {
		char *copy = strdup(s);
		if (!copy)
			abort();
		return copy;
	}
	return (char *)out;
}

char *nb_utf8_fold(const char *s)
{
	return fold(s, 0);
}

char *nb_utf8_fold_name(const char *s)
{
	return fold(s, UTF8PROC_COMPAT | UTF8PROC_IGNORE);
}

int nb_buf_put_json(nb_buf *b, const char *s, size_t len, int ascii)
{
	static const char hex[] = "0123456789ABCDEF";
	const size_t mark = b->len;
	size_t run = 0, i = 0;
	nb_buf_grow(b, len + 2);
	nb_buf_putc(b, '"');
	while (i < len) {
		unsigned char u = (unsigned char)s[i];
		if (u >= 0x20 && u < 0x80 && u != '"' && u != '\\') {
			i++;
			continue;
		}
		uint32_t cp = u;
		int n = 1;
		if (u >= 0x80) {
			n = nb_utf8_decode(s + i, len - i, &cp);
			if (cp == 0xFFFD && n == 1) { /* not UTF-8: write nothing */
				b->len = mark;
				b->ptr[mark] = '\0';
				return -1;
			}
			if (!ascii) {
				i += (size_t)n;
				continue;
			}
		}
		nb_buf_put(b, s + run, i - run);
		i += (size_t)n;
		run = i;
		switch (cp) {
		case '"': nb_buf_put(b, "\\\"", 2); continue;
		case '\\': nb_buf_put(b, "\\\\", 2); continue;
		case '\b': nb_buf_put(b, "\\b", 2); continue;
		case '\f': nb_buf_put(b, "\\f", 2); continue;
		case '\n': nb_buf_put(b, "\\n", 2); continue;
		case '\r': nb_buf_put(b, "\\r", 2); continue;
		case '\t': nb_buf_put(b, "\\t", 2); continue;
		default: break;
		}
		uint32_t units[2] = { cp, 0 };
		int nu = 1;
		if (cp >= 0x10000) {
			units[0] = 0xD800 | ((cp - 0x10000) >> 10);
			units[1] = 0xDC00 | ((cp - 0x10000) & 0x3FF);
			nu = 2;
		}
		for (int k = 0; k < nu; k++) {
			char esc[6] = { '\\', 'u', hex[units[k] >> 12 & 15], hex[units[k] >> 8 & 15],
					hex[units[k] >> 4 & 15], hex[units[k] & 15] };
			nb_buf_put(b, esc, 6);
		}
	}
	nb_buf_put(b, s + run, len - run);
	nb_buf_putc(b, '"');
	return 0;
}

const char *nb_utf8_library_version(void)
{
	return utf8proc_version();
}

/*
 * buf.c - growable byte buffer; see buf.h for the design.
 */
#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void nb_buf_init(nb_buf *b)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}

void nb_buf_free(nb_buf *b)
{
	free(b->ptr);
	nb_buf_init(b);
}

void nb_buf_clear(nb_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void nb_buf_grow(nb_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->ptr, cap);
	if (!p) {
		fputs("noticeboard: out of memory\n", stderr);
		abort();
	}
	b->ptr = p;
	b->cap = cap;
}

void nb_buf_put(nb_buf *b, const void *data, size_t len)
{
	nb_buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void nb_buf_puts(nb_buf *b, const char *s)
{
	nb_buf_put(b, s, strlen(s));
}

void nb_buf_putc(nb_buf *b, char c)
{
	nb_buf_put(b, &c, 1);
}

void nb_buf_put_uint(nb_buf *b, unsigned long long v)
{
	char d[20];
	size_t n = 0;
	do {
		d[sizeof(d) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	nb_buf_put(b, d + sizeof(d) - n, n);
}

void nb_buf_vprintf(nb_buf *b, const char *fmt, va_list ap)
{
	if (!fmt)
		return;
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	nb_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void nb_buf_printf(nb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	nb_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void nb_buf_put_html(nb_buf *b, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		nb_buf_put(b, s + start, i - start);
		nb_buf_puts(b, rep);
		start = i + 1;
	}
	nb_buf_put(b, s + start, len - start);
}

char *nb_buf_detach(nb_buf *b)
{
	char *p = b->ptr;
	if (!p) {
		p = malloc(1);
		if (!p)
			abort();
		p[0] = '\0';
	}
	nb_buf_init(b);
	return p;
}

void nb_buf_shrink(nb_buf *b)
{
	if (!b->ptr || b->cap == b->len + 1)
		return;
	char *p = realloc(b->ptr, b->len + 1);
	if (p) {
		b->ptr = p;
		b->cap = b->len + 1;
	}
}

char *nb_buf_detach_fit(nb_buf *b)
{
	nb_buf_shrink(b);
	return nb_buf_detach(b);
}

const char *nb_buf_cstr(const nb_buf *b)
{
	return b->ptr ? b->ptr : "";
}

int nb_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void nb_buf_spill(nb_buf *b, size_t bound, nb_sink sink, void *ud)
{
	if (b->len && b->len >= bound) {
		sink(ud, b->ptr, b->len);
		nb_buf_clear(b);
	}
}

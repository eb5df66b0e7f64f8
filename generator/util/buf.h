/*
 * buf.h - growable byte buffer.
 *
 * Every stage that produces text (Markdown, templates, XML, JSON) appends
 * into an nb_buf. The buffer is always NUL-terminated so its contents can be
 * handed to C string APIs without copying. Allocation failure aborts: a site
 * generator that runs out of memory has no useful way to continue, and
 * checking every append would bury the logic that matters.
 */
#ifndef NB_BUF_H
#define NB_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct nb_buf {
	char *ptr;   /* NUL-terminated contents; never NULL after init */
	size_t len;  /* bytes used, excluding the terminator */
	size_t cap;  /* bytes allocated */
} nb_buf;

#define NB_BUF_INIT { NULL, 0, 0 }

void nb_buf_init(nb_buf *b);
void nb_buf_free(nb_buf *b);
void nb_buf_clear(nb_buf *b);
void nb_buf_grow(nb_buf *b, size_t extra);
void nb_buf_put(nb_buf *b, const void *data, size_t len);
void nb_buf_puts(nb_buf *b, const char *s);
void nb_buf_putc(nb_buf *b, char c);
/* Append `v` in decimal, as printf's %llu writes it, without printf:
 * drawings (a QR code's path) write thousands of numbers a page. */
void nb_buf_put_uint(nb_buf *b, unsigned long long v);
void nb_buf_printf(nb_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nb_buf_vprintf(nb_buf *b, const char *fmt, va_list ap);
/* Append with HTML escaping of & < > " ' (safe in text and quoted attributes). */
void nb_buf_put_html(nb_buf *b, const char *s, size_t len);
/* Append with XML escaping (same set; XML has no named &#39;-less form issue). */
#define nb_buf_put_xml nb_buf_put_html
/* The value of hex digit `c` (0-15), or -1: for %XX escapes in URLs. */
int nb_hex_value(int c);
/* Hand the contents to the caller (who frees them) and reset the buffer. */
char *nb_buf_detach(nb_buf *b);
/* Give back the slack left by doubling, for buffers kept until the end
 * of the build; nb_buf_detach_fit detaches the result. */
void nb_buf_shrink(nb_buf *b);
char *nb_buf_detach_fit(nb_buf *b);
/* Return a const pointer that is valid even for a never-written buffer. */
const char *nb_buf_cstr(const nb_buf *b);

/* Where text made in pieces goes (a file being written, output/writer.h;
 * a test's buffer): each call hands over the next `len` bytes. */
typedef void (*nb_sink)(void *ud, const char *data, size_t len);

/* Once `b` holds `bound` bytes or more (and any), hand them to `sink` and
 * empty it, keeping its memory: a file made in pieces then costs one
 * buffer of about `bound` bytes, not the whole file. A `bound` of 0 hands
 * over whatever it holds (the last piece). */
void nb_buf_spill(nb_buf *b, size_t bound, nb_sink sink, void *ud);

#endif

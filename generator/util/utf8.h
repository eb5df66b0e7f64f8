/*
 * utf8.h - UTF-8 validation and the few Unicode-aware string helpers we need.
 *
 * Content is Chinese; ids, anchors and search all have to treat a CJK
 * character as a unit rather than as bytes.
 */
#ifndef NB_UTF8_H
#define NB_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"

/*
 * Check that `s[0..len)` is valid UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF) and holds no NUL byte. Returns 0 when valid; otherwise -1
 * and sets *line and *col (1-based, col counted in characters) of the first
 * bad byte.
 */
int nb_utf8_validate(const char *s, size_t len, int *line, int *col);

/* Decode one code point at s (len bytes left); returns bytes consumed (>=1), *cp = U+FFFD on error. */
int nb_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Number of code points in s[0..len). */
size_t nb_utf8_length(const char *s, size_t len);

/* Terminal columns `s` takes when padded into a table: a character of
 * three or more bytes (CJK) two, any other one. */
size_t nb_utf8_columns(const char *s);

/*
 * Slug for heading anchors and ids: ASCII letters lowercased, digits kept,
 * CJK and other letters kept as they are; runs of white space, '-' and '_'
 * become one '-'; other punctuation (ASCII, CJK symbols U+3000-303F,
 * fullwidth forms U+FF00-FF0F/FF1A-FF20/FF3B-FF40/FF5B-FF65, general
 * punctuation U+2000-206F) is dropped; leading/trailing '-' trimmed.
 * Returns malloc'd. "第五条 公共秩序" -> "第五条-公共秩序";
 * "一、会议议程" -> "一会议议程"; "Fire Safety!" -> "fire-safety".
 */
char *nb_utf8_slug(const char *s);

/*
 * Text from content, commits and file names on its way to a terminal:
 * append s[0..len) to out with everything that could move the cursor,
 * recolour, retitle or reorder what the reader sees made visible instead.
 * C0 controls, DEL and bytes that are not UTF-8 become `\x1b`; C1 controls
 * (U+0080-U+009F, which some terminals obey) and the bidirectional and
 * line-separator controls (U+200E, U+200F, U+2028-U+202E, U+2066-U+2069)
 * become `\u009b`. Everything else, Chinese included, is kept as it is.
 * With NB_VISIBLE_LINES (multi-line text: a diff, a document body) "\n",
 * "\t" and "\r\n" are kept too.
 */
#define NB_VISIBLE_LINES 1
void nb_utf8_put_visible(nb_buf *out, const char *s, size_t len, int flags);
/* The same, written to f; s is NUL-terminated. */
void nb_utf8_fputs_visible(FILE *f, const char *s, int flags);
/* One line to f: `prefix` (the program's own words, as they are), then s
 * made visible, then a newline. For errors quoting what a repository or a
 * file holds. */
void nb_utf8_fputs_line(FILE *f, const char *prefix, const char *s);

/*
 * The form two names are compared in when they must not differ only in
 * ways a reader or a file system ignores: Unicode canonical composition
 * (NFC, so "é" typed as e + U+0301 equals the precomposed letter, and a
 * CJK compatibility ideograph such as U+F900 equals its unified form)
 * and then full case folding (so "About", "ABOUT" and "about" are one,
 * as on case-insensitive file systems; "Straße" folds like "strasse").
 * By utf8proc, Unicode's own tables. Returns malloc'd; invalid UTF-8 is
 * copied as it is.
 */
char *nb_utf8_fold(const char *s);

/*
 * The form two people's names are compared in (schema/records.c): Unicode's
 * NFKC_Casefold, that is nb_utf8_fold with compatibility decomposition
 * (full-width Ｌｉ is Li, ﬁ is fi, ① is 1) and default ignorable characters
 * (zero-width space, soft hyphen) dropped, since a reader sees one person
 * whichever way an input method typed the name. Not for ids or paths: two
 * files whose names differ only so are two files to a file system.
 * Returns malloc'd; invalid UTF-8 is copied as it is.
 */
char *nb_utf8_fold_name(const char *s);

/*
 * Append s as a quoted JSON string (here, beside the decoder it needs,
 * so that buf.c stays below utf8.c) escaped exactly as jansson's json_dumps
 * does (without JSON_ESCAPE_SLASH): \" \\ \b \f \n \r \t, other control
 * characters as \u00XX (upper-case hex), and with `ascii` (JSON_ENSURE_ASCII)
 * every non-ASCII character as \uXXXX (a surrogate pair above U+FFFF);
 * without it, as it is. Writers that stream JSON text (the search index,
 * the open-data export, the audit manifest) must match files jansson wrote
 * byte for byte. Returns -1, having written nothing, when s is not valid
 * UTF-8 (json_string() refuses such a string), else 0.
 */
int nb_buf_put_json(nb_buf *b, const char *s, size_t len, int ascii);

/* The Unicode library's version ("utf8proc" in the generator's identity). */
const char *nb_utf8_library_version(void);

#endif

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

#endif

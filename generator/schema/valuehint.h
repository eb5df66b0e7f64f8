/*
 * valuehint.h - the value a secretary meant, for the hint of an error
 * about a date or an enum; see valuehint.c.
 */
#ifndef NB_VALUEHINT_H
#define NB_VALUEHINT_H

#include <jansson.h>
#include <stddef.h>

/* `s` written as 2025/3/6, 2025.3.6, 2025-3-6 or 2025年3月6日 and a real
 * date: 1 with its YYYY-MM-DD form in iso; else 0. */
int nb_valuehint_date(char iso[16], const char *s);

/* `text` is the zh-CN label of exactly one of the allowed values `en` in
 * the built-in theme's strings, or else holds or is held in exactly one:
 * 1 with that value in key; else 0. */
int nb_valuehint_enum_label(char *key, size_t n, const json_t *en, const char *text);

#endif

/*
 * schema.h - the schema language: what a kind of document holds.
 *
 * Each kind has a schema, generator/schemas/<kind>.yaml, built into the
 * binary and replaceable per site by <site>/schemas/<kind>.yaml;
 * schemas/common.yaml holds the fields every document may have and is
 * merged under each kind. Checking documents against them is validate.c's.
 *
 * The schema language (also in generator/schemas/README.md):
 *
 *   description: text            what the kind is (documentation only)
 *   fields:                      the known fields, name -> field schema
 *     <name>: <field schema>
 *   rules: [name, ...]           cross-field rules, implemented in validate.c
 *
 * A field schema is a mapping of these keywords (all optional):
 *
 *   type      string | integer | number | boolean | date (YYYY-MM-DD, a
 *             real calendar date) | time (HH:MM) | period (2024-Q3 or
 *             2024) | list | object | ref; or a list of them, meaning any
 *             of those (e.g. [string, object])
 *   required  true: the field must be present and not empty
 *   enum      [values]: the value must be one of these
 *   min, max  numbers: bounds of the value; for a list, of its item count
 *   items     field schema every list item must match
 *   fields    name -> field schema, for an object (its known fields)
 *   one_of    [field schema, ...]: the first alternative whose type fits
 *             the value is the one the value is checked against
 *   ref       <kind>: the value is the id of a published document of that
 *             kind (type ref is implied)
 *   same_community  true: the referenced document must belong to the same
 *             `community` as the referring one
 *   default   the value assumed when the field is absent (rules read it,
 *             templates may; validation does not insert it)
 *   hint      text added to errors about this field, saying how to fix it
 *   description  documentation only
 */
#ifndef NB_SCHEMA_H
#define NB_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

#include "config/config.h"
#include "load/content.h"
#include "util/diag.h"

/* The value types a field schema names. */
enum nb_vtype {
	NB_VT_STRING, NB_VT_INTEGER, NB_VT_NUMBER, NB_VT_BOOLEAN, NB_VT_DATE, NB_VT_TIME,
	NB_VT_PERIOD, NB_VT_LIST, NB_VT_OBJECT, NB_VT_REF, NB_VT_COUNT
};

/* Types a field schema allows, from `type`, or implied by `ref`, `fields`,
 * `items`, into out. Returns how many; 0 means anything goes. */
int nb_schema_types(const json_t *sch, int out[NB_VT_COUNT]);

/* The merged schema (common under the kind's own) of every kind among the
 * loaded documents, as kind -> {fields, rules}; a schema file with errors
 * is reported to d and left out (a missing or broken common schema still
 * requires `title`). `rules` are the rule names a schema may list. New
 * reference. */
json_t *nb_schema_load(const nb_content *c, const nb_config *cfg, const char *const *rules,
		       size_t n_rules, nb_diag *d);

#endif

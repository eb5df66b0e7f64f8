/*
 * validate.h - the check stage: does the content make sense?
 *
 * Loading (content.h) only knows that a document is well-formed YAML. This
 * stage knows what a meeting or a decision is: field types, allowed values,
 * references between documents and the cross-document rules of the domain
 * (votes within attendees, one chair per committee, ...). What each kind
 * holds is data (generator/schemas/<kind>.yaml, built into the binary and
 * overridable per site); the cross-checks that need code are named rules
 * the schemas switch on. See schema.h for the schema language.
 */
#ifndef NB_VALIDATE_H
#define NB_VALIDATE_H

#include "config/config.h"
#include "load/content.h"
#include "util/diag.h"

/* Load schemas (embedded, overridable by <site>/schemas/<kind>.yaml), check
 * every loaded document (doc->ok) of every kind, report all errors to d.
 * Kinds with no schema only get the common checks (title required).
 * Returns 0 when no errors were added. Only reads the content, and
 * changes no reference count but of values it makes itself, so it may run
 * on a thread of its own beside linking (build.c). */
int nb_validate(const nb_content *c, const nb_config *cfg, nb_diag *d);

/* The outcome the votes give under a rule: "adopted" or "rejected"; votes
 * cast = for+against+abstain; majority: for*2 > cast; two-thirds:
 * for*3 >= cast*2; all zero → "deferred". An unknown rule counts as
 * majority. */
const char *nb_validate_vote_result(long long for_, long long against,
				    long long abstain, const char *rule);

#endif

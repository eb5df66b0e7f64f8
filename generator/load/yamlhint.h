/*
 * yamlhint.h - the real cause of a YAML error, read from the source line
 * (full-width colon, tab in the indentation, text after a closing quote);
 * see yamlhint.c.
 */
#ifndef NB_YAMLHINT_H
#define NB_YAMLHINT_H

#include <stddef.h>
#include <yaml.h>

#include "util/diag.h"

/*
 * After a YAML error in `src` (whose line 0 is line `first_line` of
 * `file`), read lines `from`..`upto` (0-based: the line where the last
 * value that parsed ends, and where parsing failed) for a mistake
 * secretaries make. Reports the first one found to `d` and returns 1;
 * returns 0 when none is found (report libyaml's error then).
 */
int nb_yaml_hint_cause(nb_diag *d, const char *file, int first_line,
		       const char *src, size_t len, size_t from, size_t upto);

/*
 * An item of a [ ] list (`ev`, at line/col of `file`): a plain item holding
 * a full-width comma `，` is two or more items typed with a Chinese comma
 * ([张三，李四] is one attendee otherwise); reports it as an error.
 */
void nb_yaml_hint_flow_item(nb_diag *d, const char *file, int line, int col,
			    const yaml_event_t *ev);

#endif

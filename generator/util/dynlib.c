/*
 * dynlib.c - dlopen with every symbol resolved up front; see dynlib.h.
 *
 * All symbols are looked up before any slot is written, so a library that
 * lacks one function (an older soname someone installed by hand) fails
 * here with its name, not later with a crash in the middle of a command.
 * RTLD_NOW for the same reason: unresolved symbols of the library itself
 * are reported at open.
 */
#include "util/dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nb_dynlib_load(const char *soname, const nb_dynlib_sym *syms, size_t n, char *err,
		   size_t errlen)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();
		snprintf(err, errlen, "cannot load %s: %s", soname, why ? why : "not found");
		return -1;
	}
	void **found = calloc(n ? n : 1, sizeof(*found));
	if (!found)
		abort();
	for (size_t i = 0; i < n; i++) {
		dlerror();
		found[i] = dlsym(h, syms[i].name);
		if (!found[i]) {
			snprintf(err, errlen, "%s has no function %s: a different version from the "
				 "one noticeboard was built with", soname, syms[i].name);
			free(found);
			dlclose(h);
			return -1;
		}
	}
	for (size_t i = 0; i < n; i++)
		memcpy(syms[i].slot, &found[i], sizeof(void *));
	free(found);
	return 0;
}

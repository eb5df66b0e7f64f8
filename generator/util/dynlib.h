/*
 * dynlib.h - a library loaded when a command needs it, not at start-up.
 *
 * Every run of noticeboard paid for loading libraries only two commands
 * use: libcurl (`audit URL`) and libmicrohttpd (`serve`) bring 36 of the
 * program's 51 shared objects with them (GnuTLS, Kerberos, LDAP, SSH,
 * nghttp2, ...), and mapping and relocating them took 20 of the 40 ms
 * an empty run cost: half of a no-op rebuild, which secretaries run after
 * every edit. git keeps libcurl out of its main binary for the same
 * reason (its HTTP lives in git-remote-http). So those two are opened with
 * dlopen by the one module that uses each (audit/fetch.c, serve/serve.c),
 * which keeps its table of functions in its own state: no global.
 *
 * The soname is the one the program was built against (the Makefile reads
 * it from the development library), so the ABI is the one the headers
 * describe. A library that cannot be opened, or lacks a function, is an
 * error naming both, for the caller to report; nothing is half loaded.
 *
 * A library, once loaded, stays mapped until the process exits: unloading
 * libcurl or GnuTLS, with their thread-local state and exit handlers, is a
 * known way to crash at exit, and the command that loaded it ends soon
 * after anyway. So there is no handle to close.
 */
#ifndef NB_DYNLIB_H
#define NB_DYNLIB_H

#include <stddef.h>

/* One function to resolve: its name and where its address goes (a
 * pointer to the caller's function pointer, as void *; POSIX guarantees
 * that object and function pointers convert). */
typedef struct nb_dynlib_sym {
	const char *name;
	void *slot;
} nb_dynlib_sym;

/* Load `soname` (once per process; later calls find it loaded) and
 * resolve every symbol of `syms` into its slot. 0, or -1 with a message
 * in `err` and every slot untouched. */
int nb_dynlib_load(const char *soname, const nb_dynlib_sym *syms, size_t n, char *err,
		   size_t errlen);

#endif

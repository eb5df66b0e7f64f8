/*
 * test_dynlib.c - libraries loaded when a command needs them
 * (generator/util/dynlib.h): every symbol resolved or none, and an error
 * that names the library and the missing function.
 */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "util/dynlib.h"

NB_TEST(resolves_every_symbol)
{
	double (*c)(double) = NULL, (*s)(double) = NULL;
	const nb_dynlib_sym syms[] = { { "cos", &c }, { "sin", &s } };
	char err[256] = "";
	NB_CHECK(nb_dynlib_load("libm.so.6", syms, 2, err, sizeof(err)) == 0);
	NB_CHECK(c && s && c(0.0) == 1.0 && s(0.0) == 0.0);
	/* A second load finds it loaded and resolves again. */
	c = NULL;
	NB_CHECK(nb_dynlib_load("libm.so.6", syms, 1, err, sizeof(err)) == 0 && c);
}

NB_TEST(missing_function_resolves_none)
{
	double (*c)(double) = NULL;
	void (*nope)(void) = NULL;
	const nb_dynlib_sym syms[] = { { "cos", &c }, { "nb_no_such_function", &nope } };
	char err[256] = "";
	NB_CHECK(nb_dynlib_load("libm.so.6", syms, 2, err, sizeof(err)) == -1);
	NB_CHECK(c == NULL && nope == NULL);
	NB_CHECK(strstr(err, "libm.so.6") && strstr(err, "nb_no_such_function"));
}

NB_TEST(missing_library_named)
{
	void (*f)(void) = NULL;
	const nb_dynlib_sym syms[] = { { "f", &f } };
	char err[256] = "";
	NB_CHECK(nb_dynlib_load("libnoticeboard-absent.so.9", syms, 1, err, sizeof(err)) == -1);
	NB_CHECK(f == NULL && strstr(err, "libnoticeboard-absent.so.9"));
}

NB_TEST_MAIN("dynlib",
	     NB_CASE(resolves_every_symbol),
	     NB_CASE(missing_function_resolves_none),
	     NB_CASE(missing_library_named))

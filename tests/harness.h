/*
 * harness.h - the unit-test harness: one header, no library.
 *
 * Each tests/test_<module>.c defines test functions with NB_TEST and lists
 * them in NB_TEST_MAIN. A failed NB_CHECK records the file and line and the
 * test goes on, so one run shows every broken expectation. The closing line
 * is "N passed, N failed" so CI can read it. A test may call nb_test_skip()
 * when what it needs (../shared) is absent; skips are counted and printed.
 */
#ifndef NB_TEST_HARNESS_H
#define NB_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct nb_test_state {
	int failed_checks;
	int skipped;
	const char *name;
} nb_test_state;

typedef void (*nb_test_fn)(nb_test_state *);

typedef struct nb_test_case {
	const char *name;
	nb_test_fn fn;
} nb_test_case;

#define NB_TEST(name) static void name(nb_test_state *nb__t)

#define NB_CHECK(cond)                                                        \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "  %s:%d: %s: check failed: %s\n",    \
				__FILE__, __LINE__, nb__t->name, #cond);      \
			nb__t->failed_checks++;                               \
		}                                                             \
	} while (0)

#define NB_CHECK_STR(got, want)                                               \
	do {                                                                  \
		const char *nb__g = (got), *nb__w = (want);                   \
		if (!nb__g || strcmp(nb__g, nb__w) != 0) {                    \
			fprintf(stderr,                                       \
				"  %s:%d: %s: expected \"%s\", got \"%s\"\n",   \
				__FILE__, __LINE__, nb__t->name, nb__w,       \
				nb__g ? nb__g : "(null)");                     \
			nb__t->failed_checks++;                               \
		}                                                             \
	} while (0)

#define NB_CHECK_CONTAINS(hay, needle)                                        \
	do {                                                                  \
		const char *nb__h = (hay), *nb__n = (needle);                 \
		if (!nb__h || !strstr(nb__h, nb__n)) {                        \
			fprintf(stderr,                                       \
				"  %s:%d: %s: expected to contain \"%s\" in:\n%s\n", \
				__FILE__, __LINE__, nb__t->name, nb__n,       \
				nb__h ? nb__h : "(null)");                     \
			nb__t->failed_checks++;                               \
		}                                                             \
	} while (0)

#define nb_test_skip(why)                                                     \
	do {                                                                  \
		fprintf(stderr, "  %s: skipped: %s\n", nb__t->name, (why));   \
		nb__t->skipped = 1;                                           \
		return;                                                       \
	} while (0)

#define NB_T nb__t

static inline int nb_test_run(const char *suite, const nb_test_case *cases,
			      size_t n)
{
	int passed = 0, failed = 0, skipped = 0;
	for (size_t i = 0; i < n; i++) {
		nb_test_state st = { 0, 0, cases[i].name };
		cases[i].fn(&st);
		if (st.skipped)
			skipped++;
		else if (st.failed_checks)
			failed++, fprintf(stderr, "FAIL %s/%s\n", suite, cases[i].name);
		else
			passed++;
	}
	printf("%s: %d passed, %d failed, %d skipped\n", suite, passed, failed,
	       skipped);
	return failed ? 1 : 0;
}

#define NB_TEST_MAIN(suite, ...)                                              \
	int main(void)                                                        \
	{                                                                     \
		static const nb_test_case cases[] = { __VA_ARGS__ };          \
		return nb_test_run(suite, cases, sizeof(cases) / sizeof(cases[0])); \
	}

#define NB_CASE(fn) { #fn, fn }

#endif

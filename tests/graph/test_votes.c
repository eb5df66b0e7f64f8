/*
 * test_votes.c - vote shares as residents read them (votes.h).
 *
 * The six cases of the issue that asked for the rule, then what the rule
 * promises of any counts: the column adds up to 100, a count of 0 is 0 %,
 * every share is within one of the exact one rounded down, and ties go by
 * the documented order so output never depends on anything else.
 */
#include "harness.h"

#include <limits.h>

#include "graph/votes.h"

static int shares3(int pct[3], long long f, long long a, long long b)
{
	long long c[3] = { f, a, b };
	return nb_votes_shares(pct, c, 3);
}

#define CHECK_SHARES(f, a, b, pf, pa, pb)                                    \
	do {                                                                 \
		int p_[3] = { -1, -1, -1 };                                  \
		NB_CHECK(shares3(p_, f, a, b) == 0);                          \
		NB_CHECK(p_[0] == (pf) && p_[1] == (pa) && p_[2] == (pb));   \
		if (p_[0] != (pf) || p_[1] != (pa) || p_[2] != (pb))         \
			fprintf(stderr, "    (%d,%d,%d) gave %d/%d/%d\n",    \
				(int)(f), (int)(a), (int)(b), p_[0], p_[1], p_[2]); \
	} while (0)

NB_TEST(six_one_zero)
{
	/* Truncation said 85/14/1: a share for nobody. */
	CHECK_SHARES(6, 1, 0, 86, 14, 0);
}

NB_TEST(twelve_one_zero)
{
	CHECK_SHARES(12, 1, 0, 92, 8, 0);
}

NB_TEST(two_four_one)
{
	/* Truncation said 28/57/15. */
	CHECK_SHARES(2, 4, 1, 29, 57, 14);
}

NB_TEST(one_one_one_tie_goes_to_the_first_option)
{
	CHECK_SHARES(1, 1, 1, 34, 33, 33);
}

NB_TEST(zero_zero_zero_has_no_shares)
{
	int p[3] = { -1, -1, -1 };
	NB_CHECK(shares3(p, 0, 0, 0) == NB_VOTES_NONE);
	NB_CHECK(p[0] == 0 && p[1] == 0 && p[2] == 0);
}

NB_TEST(hundred_zero_zero)
{
	CHECK_SHARES(100, 0, 0, 100, 0, 0);
}

NB_TEST(ties_in_remainders)
{
	/* 1/3 each of against and abstain remainders; the larger count
	 * first, then the earlier option. */
	CHECK_SHARES(1, 2, 0, 33, 67, 0);     /* 33.3 / 66.7 */
	CHECK_SHARES(2, 1, 0, 67, 33, 0);
	CHECK_SHARES(0, 1, 1, 0, 50, 50);
	CHECK_SHARES(1, 0, 2, 33, 0, 67);
	CHECK_SHARES(0, 3, 3, 0, 50, 50);
	/* 16.67 / 16.67 / 66.67: all three remainders equal and two per
	 * cents to give: the larger count, then the first option. */
	CHECK_SHARES(1, 1, 4, 17, 16, 67);
	/* Six equal options, 16.67 each, four per cents to give: in order. */
	long long c[6] = { 1, 1, 1, 1, 1, 1 };
	int p[6];
	NB_CHECK(nb_votes_shares(p, c, 6) == 0);
	NB_CHECK(p[0] == 17 && p[1] == 17 && p[2] == 17 && p[3] == 17 && p[4] == 16 && p[5] == 16);
}

NB_TEST(bad_input)
{
	int p[3];
	NB_CHECK(shares3(p, -1, 2, 0) == -1);
	long long c[1] = { 1 };
	NB_CHECK(nb_votes_shares(p, c, 0) == -1);
	long long big[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	int pb[9];
	NB_CHECK(nb_votes_shares(pb, big, 9) == -1);
}

NB_TEST(large_counts_do_not_overflow)
{
	CHECK_SHARES(LLONG_MAX / 2, LLONG_MAX / 2, 0, 50, 50, 0);
	CHECK_SHARES(LLONG_MAX / 3, 1, 0, 100, 0, 0);
}

/* Every combination up to 40 votes: the promises of votes.h. */
NB_TEST(properties_exhaustive)
{
	int bad = 0;
	for (long long f = 0; f <= 40; f++)
		for (long long a = 0; a <= 40; a++)
			for (long long b = 0; b <= 40; b++) {
				int p[3];
				int rc = shares3(p, f, a, b);
				long long cast = f + a + b, c[3] = { f, a, b };
				if (!cast) {
					bad += rc != NB_VOTES_NONE;
					continue;
				}
				bad += rc != 0 || p[0] + p[1] + p[2] != 100;
				for (int i = 0; i < 3; i++) {
					long long lo = c[i] * 100 / cast;
					bad += !c[i] && p[i];
					bad += p[i] < lo || p[i] > lo + 1;
					/* Nearest whole per cent, unless the column needed it. */
					long long twice = c[i] * 200, near = (twice + cast) / (2 * cast);
					bad += p[i] != near && p[i] != near - 1 && p[i] != near + 1;
				}
			}
	NB_CHECK(bad == 0);
}

NB_TEST_MAIN("votes", NB_CASE(six_one_zero), NB_CASE(twelve_one_zero), NB_CASE(two_four_one),
	     NB_CASE(one_one_one_tie_goes_to_the_first_option), NB_CASE(zero_zero_zero_has_no_shares),
	     NB_CASE(hundred_zero_zero), NB_CASE(ties_in_remainders), NB_CASE(bad_input),
	     NB_CASE(large_counts_do_not_overflow), NB_CASE(properties_exhaustive))

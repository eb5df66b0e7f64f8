/*
 * votes.h - the share of each option in a vote, as residents read it.
 *
 * A vote's shares are printed in the table, drawn as the bar, spoken by
 * the bar's text alternative and printed on the notice; they must be the
 * same whole numbers everywhere and add up to 100, so they are computed
 * once, here, and the theme only prints them.
 *
 * The rule: each share is its count over the votes cast, to the nearest
 * whole per cent; the column always adds up to 100 (largest remainder,
 * also called Hamilton's method: every option gets the whole per cents
 * its count is worth, and the per cents left over go one each to the
 * options with the largest remainders); a count of 0 is always 0 %; with
 * no votes cast there are no shares. Equal remainders are broken by the
 * larger count first, then by the earlier option (for, against, abstain
 * in that order), so the same counts always give the same shares.
 */
#ifndef NB_VOTES_H
#define NB_VOTES_H

#include <stddef.h>

/* At most this many options in one vote. */
#define NB_VOTES_MAX_OPTIONS 8

/* nb_votes_shares returns this when no vote was cast: there are no shares. */
#define NB_VOTES_NONE 1

/*
 * Whole per cents of `counts[0..n)` into `pct[0..n)`, adding up to 100.
 * Returns 0, NB_VOTES_NONE when every count is 0 (pct is set to 0s), or
 * -1 when a count is negative or n is 0 or above NB_VOTES_MAX_OPTIONS.
 */
int nb_votes_shares(int *pct, const long long *counts, size_t n);

#endif

/*
 * test_suggest.c - "did you mean" (suggest.h).
 *
 * The distance is Damerau-Levenshtein over bytes, capped; the suggestion
 * is the nearest candidate when it is near enough for a typo, never the
 * word itself, and nothing when the word is a known name.
 */
#include "harness.h"

#include "util/suggest.h"

NB_TEST(distance_counts_edits_and_a_swap_once)
{
	NB_CHECK(nb_suggest_distance("", "", 9) == 0);
	NB_CHECK(nb_suggest_distance("abc", "abc", 9) == 0);
	NB_CHECK(nb_suggest_distance("", "abc", 9) == 3);
	NB_CHECK(nb_suggest_distance("abc", "", 9) == 3);
	NB_CHECK(nb_suggest_distance("kitten", "sitting", 9) == 3);
	NB_CHECK(nb_suggest_distance("attendees", "atendees", 9) == 1);   /* one left out */
	NB_CHECK(nb_suggest_distance("atendees", "attendees", 9) == 1);
	NB_CHECK(nb_suggest_distance("ttile", "title", 9) == 1);          /* a swap */
	NB_CHECK(nb_suggest_distance("tilte", "title", 9) == 1);
	NB_CHECK(nb_suggest_distance("ab", "ba", 9) == 1);
	NB_CHECK(nb_suggest_distance("abcd", "badc", 9) == 2);            /* two swaps */
	NB_CHECK(nb_suggest_distance("votes", "vote", 9) == 1);
	NB_CHECK(nb_suggest_distance("date", "DATE", 9) == 4);            /* bytes: case counts */
}

NB_TEST(distance_is_capped)
{
	NB_CHECK(nb_suggest_distance("kitten", "sitting", 2) == 2);
	NB_CHECK(nb_suggest_distance("a", "abcdefgh", 3) == 3);
	NB_CHECK(nb_suggest_distance("abc", "abd", 1) == 1);
	/* Names longer than the table are never near anything. */
	char a[80], b[80];
	memset(a, 'x', 70);
	a[70] = '\0';
	memcpy(b, a, 71);
	b[69] = 'y';
	NB_CHECK(nb_suggest_distance(a, b, 5) == 5);
	a[64] = '\0';
	memcpy(b, a, 65);
	b[63] = 'y';
	NB_CHECK(nb_suggest_distance(a, b, 5) == 1);
}

static const char *const fields[] = { "title", "date", "attendees", "absent", "agenda",
				      "community", "votes", "result", "due", "category" };
#define NF (sizeof(fields) / sizeof(fields[0]))

NB_TEST(suggests_the_nearest_known_name)
{
	NB_CHECK_STR(nb_suggest("atendees", fields, NF), "attendees");
	NB_CHECK_STR(nb_suggest("tilte", fields, NF), "title");
	NB_CHECK_STR(nb_suggest("dat", fields, NF), "date");
	NB_CHECK_STR(nb_suggest("vots", fields, NF), "votes");
	NB_CHECK_STR(nb_suggest("comunity", fields, NF), "community");
	NB_CHECK_STR(nb_suggest("catgeroy", fields, NF), "category");  /* two swaps */
	NB_CHECK_STR(nb_suggest("reslut", fields, NF), "result");
}

NB_TEST(suggests_nothing_for_a_known_or_distant_name)
{
	/* Itself: a known name is not a typo, wherever it is in the list. */
	NB_CHECK(nb_suggest("category", fields, NF) == NULL);
	NB_CHECK(nb_suggest("title", fields, NF) == NULL);
	static const char *const near_then_same[] = { "dates", "date" };
	NB_CHECK(nb_suggest("date", near_then_same, 2) == NULL);
	/* Short names: one edit only. */
	NB_CHECK(nb_suggest("dx", fields, NF) == NULL);
	NB_CHECK(nb_suggest("du", fields, NF) != NULL);
	NB_CHECK(nb_suggest("daet", fields, NF) != NULL);
	NB_CHECK(nb_suggest("dtea", fields, NF) == NULL);
	/* Long names: never more than three edits. */
	NB_CHECK_STR(nb_suggest("attndeesxx", fields, NF), "attendees");
	NB_CHECK(nb_suggest("attxxdeesxx", fields, NF) == NULL);
	NB_CHECK(nb_suggest("location", fields, NF) == NULL);
	NB_CHECK(nb_suggest("", fields, NF) == NULL);
	NB_CHECK(nb_suggest("title", NULL, 0) == NULL);
}

NB_TEST(the_first_of_equally_near_names_wins)
{
	static const char *const ab[] = { "cart", "card" };
	static const char *const ba[] = { "card", "cart" };
	NB_CHECK_STR(nb_suggest("carx", ab, 2), "cart");
	NB_CHECK_STR(nb_suggest("carx", ba, 2), "card");
	/* But a nearer one later still wins. */
	static const char *const later[] = { "attendance", "attendees" };
	NB_CHECK_STR(nb_suggest("attendes", later, 2), "attendees");
}

NB_TEST_MAIN("suggest",
	     NB_CASE(distance_counts_edits_and_a_swap_once),
	     NB_CASE(distance_is_capped),
	     NB_CASE(suggests_the_nearest_known_name),
	     NB_CASE(suggests_nothing_for_a_known_or_distant_name),
	     NB_CASE(the_first_of_equally_near_names_wins))
